//! The catalog ids that code names: declared once here, and checked against `errors.toml` when
//! the catalog loads ([`super::catalog`]) and by a unit test, so renaming an entry in the TOML
//! cannot leave code naming an id that no longer exists.

/// The aud claim does not fit the host: the matcher adds the audience it saw as evidence.
pub const AUDIENCE_INVALID: &str = "audience-invalid";
/// An HTML page from Salesforce where the token endpoint answers JSON.
pub const HTML_INSTEAD_OF_JSON: &str = "html-instead-of-json";
/// Node's fetch failed with no reason printed (the Salesforce CLI's retries, most often).
pub const FETCH_FAILED: &str = "fetch-failed";
/// The identity service (UserInfo) refused a token Salesforce had just issued.
pub const IDENTITY_BAD_OAUTH_TOKEN: &str = "identity-bad-oauth-token";
/// The identity service says the token is another org's.
pub const IDENTITY_WRONG_ORG: &str = "identity-wrong-org";
/// The identity service says the user lacks access to the information.
pub const IDENTITY_NO_ACCESS: &str = "identity-no-access";
/// The user is inactive (the token endpoint's `inactive user`; UserInfo's `Inactive`).
pub const INACTIVE_USER: &str = "inactive-user";
/// The org is inactive (UserInfo's `Inactive_Org`).
pub const INACTIVE_ORG: &str = "inactive-org";
/// A redirect turned the POST into a GET (a 3xx, or 405 "Only POST allowed").
pub const LIGHTNING_HOST_REDIRECT: &str = "lightning-host-redirect";
/// An HTML page that is not Salesforce's: the login host is mistyped.
pub const NOT_SALESFORCE_HOST: &str = "not-salesforce-host";
/// A 5xx answer.
pub const SERVER_ERROR: &str = "server-error";
/// An empty 400: the client uses TLS older than 1.2.
pub const TLS_TOO_OLD: &str = "tls-too-old";

/// The assertion's signature does not verify with the uploaded certificate (app.certificate).
pub const INVALID_ASSERTION: &str = "invalid-assertion";
/// The iss is no app's consumer key in the org (app.consumer-key).
pub const CLIENT_ID_INVALID: &str = "client-id-invalid";
/// The External Client App is not installed in the org (app.consumer-key).
pub const APP_NOT_FOUND: &str = "app-not-found";
/// The user is not pre-authorized (app.policy).
pub const USER_NOT_APPROVED: &str = "user-not-approved";
/// The user is not admin approved for the app (app.policy).
pub const APP_ACCESS_NOT_APPROVED: &str = "app-access-not-approved";
/// The app lacks the refresh_token scope or is not pre-authorized (app.scopes).
pub const REFRESH_SCOPE_REQUIRED: &str = "refresh-scope-required";

/// Every id above.
pub const NAMED: &[&str] = &[
    APP_ACCESS_NOT_APPROVED,
    APP_NOT_FOUND,
    AUDIENCE_INVALID,
    CLIENT_ID_INVALID,
    FETCH_FAILED,
    HTML_INSTEAD_OF_JSON,
    IDENTITY_BAD_OAUTH_TOKEN,
    IDENTITY_NO_ACCESS,
    IDENTITY_WRONG_ORG,
    INACTIVE_ORG,
    INACTIVE_USER,
    INVALID_ASSERTION,
    LIGHTNING_HOST_REDIRECT,
    NOT_SALESFORCE_HOST,
    REFRESH_SCOPE_REQUIRED,
    SERVER_ERROR,
    TLS_TOO_OLD,
    USER_NOT_APPROVED,
];
