//! What the retrieved app metadata says about each setup step the `app.*` checks cover: one
//! [`Judgement`] per check, in words that name the app, the field read and the Setup screen of
//! the fix (which differs between an External Client App and a Connected App).

use super::{AppKind, AppMetadata, FileKind};
use crate::bundle::cert::Certificate;
use crate::finding::Judgement;
use crate::salesforce::identity::shorten_key;
use crate::salesforce::scopes;

/// Where the app's settings are edited in Setup, for each kind of app.
struct Screens {
    /// The app in Setup: "Setup > External Client App Manager > NAME".
    app: &'static str,
    /// Where the certificate is uploaded and the JWT Bearer flow turned on.
    jwt: &'static str,
    /// Where the scopes are chosen.
    scopes: &'static str,
    /// Where the permitted users, profiles and permission sets are set.
    policy: &'static str,
    /// Where "Introspect all Tokens" is.
    introspection: &'static str,
    /// The field that holds the certificate.
    cert_field: &'static str,
}

const ECA: Screens = Screens {
    app: "Setup > External Client App Manager > the app",
    jwt: "Edit Settings > OAuth Settings > Flow Enablement > Enable JWT Bearer Flow, and upload server.crt",
    scopes: "Edit Settings > OAuth Settings > OAuth Scopes",
    policy: "Policies > Edit > OAuth Policies > Permitted Users \"Admin approved users are pre-authorized\", then select the integration user's profile or permission set under App Policies",
    introspection: "Edit Settings > OAuth Settings > Security > Introspect all Tokens",
    cert_field: "ExtlClntAppGlobalOauthSettings.certificate",
};

const CONNECTED_APP: Screens = Screens {
    app: "Setup > App Manager > the app",
    jwt: "Edit > API (Enable OAuth Settings) > Enable OAuth Settings, Use digital signatures, and upload server.crt",
    scopes: "Edit > API (Enable OAuth Settings) > Selected OAuth Scopes",
    policy: "Manage > Edit Policies > Permitted Users \"Admin approved users are pre-authorized\", then Manage Profiles or Manage Permission Sets",
    introspection: "Edit > API (Enable OAuth Settings) > Introspect All Tokens",
    cert_field: "ConnectedApp.oauthConfig.certificate",
};

fn screens(app: &AppMetadata) -> &'static Screens {
    match app.kind {
        AppKind::ExternalClientApp => &ECA,
        AppKind::ConnectedApp => &CONNECTED_APP,
    }
}

fn has_file(app: &AppMetadata, kind: FileKind) -> bool {
    app.files
        .iter()
        .any(|f| super::file_kind(f).is_some_and(|(k, _)| k == kind))
}

/// Why an External Client App's global OAuth settings (the consumer key, the certificate) may be
/// missing from a retrieve.
const GLOBAL_NOT_RETRIEVED: &str = "the ExtlClntAppGlobalOauthSettings (.ecaGlblOauth) file was not retrieved: it needs the org setting \"Allow Access to OAuth Consumer Secrets via Metadata API\" and the user permission \"View External Client Apps Consumer Secrets in Metadata\"";

/// app.consumer-key: the app's consumer key against the bundle's.
pub fn consumer_key(app: &AppMetadata, bundle_key: Option<&str>) -> Judgement {
    let name = &app.name;
    let Some(key) = app.consumer_key.as_deref().map(str::trim) else {
        let why = match app.kind {
            AppKind::ExternalClientApp if !has_file(app, FileKind::GlobalOauth) => {
                GLOBAL_NOT_RETRIEVED
            }
            _ => "the files read have no consumerKey",
        };
        return Judgement::warn(
            "no-consumer-key",
            format!("the metadata of {name} holds no consumer key to compare: {why}"),
            format!(
                "Retrieve the app's global OAuth settings (sf project retrieve start --metadata ExtlClntAppGlobalOauthSettings), or compare the key by hand in {}: Settings > OAuth Settings > Consumer Key and Secret.",
                screens(app).app
            ),
        );
    };
    let Some(bundle_key) = bundle_key.map(str::trim) else {
        return Judgement::info(
            "no-bundle-key",
            format!(
                "the app {name} has the consumer key {}; the bundle gives none to compare (pass --consumer-key, or put consumer_key in sfjwt.toml)",
                shorten_key(key)
            ),
        );
    };
    if key == bundle_key {
        Judgement::pass(
            "same-key",
            format!(
                "the app {name} has the bundle's consumer key ({})",
                shorten_key(key)
            ),
        )
    } else {
        Judgement::fail(
            "other-key",
            format!(
                "the app {name} has the consumer key {}, but the bundle's is {}: Salesforce looks the app up by the assertion's iss, so it answers invalid_client_id (client identifier invalid) or finds another app",
                shorten_key(key),
                shorten_key(bundle_key)
            ),
            format!(
                "Copy the Consumer Key of the app in {}: Settings > OAuth Settings > Consumer Key and Secret, and set it as consumer_key in sfjwt.toml or --consumer-key; or give the metadata of the app the bundle uses (--app NAME).",
                screens(app).app
            ),
        )
    }
}

/// app.consumer-key, further: a consumer secret in the retrieved files is a secret kept where it
/// should not be. `None` when the files hold none.
pub fn secret_in_files(app: &AppMetadata) -> Option<Judgement> {
    let file = app.secret_file.as_ref()?;
    Some(Judgement::warn(
        "secret-in-files",
        format!(
            "{} holds the app's consumer secret (consumerSecret; not shown): Salesforce says these settings must not be added to source control",
            file.display()
        ),
        "Remove the consumerSecret element from the file and keep it out of version control (add **/*.ecaGlblOauth-meta.xml to .gitignore and .forceignore); if the file was ever committed, rotate the secret (Settings > OAuth Settings > Consumer Key and Secret > Rotate). Give sfjwt the secret as $SFJWT_CONSUMER_SECRET for introspection.",
    ))
}

/// The uploaded certificate compared with the bundle's.
pub enum Uploaded<'a> {
    /// The PEM of the metadata did not decode.
    Unreadable(String),
    /// The certificate read.
    Read(&'a Certificate),
}

/// app.certificate: the uploaded certificate is the bundle's, or carries its key's public key.
/// `cert` is the bundle's certificate, `key_spki` its private key's public key, when they read.
pub fn certificate(
    app: &AppMetadata,
    uploaded: Uploaded<'_>,
    cert: Option<&Certificate>,
    key_spki: Option<&[u8]>,
) -> Judgement {
    let s = screens(app);
    let name = &app.name;
    let upload_again = format!(
        "In {} > {}, then retrieve the metadata again; or, if the app's certificate is the right one, sign with the key it was made from.",
        s.app, s.jwt
    );
    let uploaded = match uploaded {
        Uploaded::Unreadable(problem) => {
            return Judgement::fail(
                "unreadable",
                format!(
                    "the certificate in {} of {name} does not read: {problem}",
                    s.cert_field
                ),
                upload_again,
            );
        }
        Uploaded::Read(c) => c,
    };
    let cert_fp = |c: &Certificate| crate::fingerprint::fingerprint(&c.der);
    if let Some(cert) = cert.filter(|c| c.der == uploaded.der) {
        return Judgement::pass(
            "same-certificate",
            format!(
                "the certificate uploaded to {name} is the bundle's certificate ({}, {})",
                cert_fp(cert),
                uploaded.subject
            ),
        );
    }
    let ours = key_spki.or(cert.map(|c| c.spki_der.as_slice()));
    if ours == Some(uploaded.spki_der.as_slice()) {
        return Judgement::pass(
            "same-key",
            format!(
                "the certificate uploaded to {name} ({}, until {}) is another certificate than the bundle's{}, of the same public key ({}): Salesforce verifies the assertion with that key, so the login works",
                cert_fp(uploaded),
                crate::text::rfc3339(uploaded.not_after),
                cert.map(|c| format!(" ({})", cert_fp(c)))
                    .unwrap_or_default(),
                uploaded.fingerprint()
            ),
        );
    }
    let Some(ours) = ours else {
        return Judgement::info(
            "nothing-to-compare",
            format!(
                "the certificate uploaded to {name} has the public key {}; the bundle has no key or certificate that read to compare",
                uploaded.fingerprint()
            ),
        );
    };
    let same_subject = if cert.is_some_and(|c| c.subject == uploaded.subject) {
        "; it has the same subject as the bundle's certificate, so the Setup UI, which shows only the subject, cannot tell them apart"
    } else {
        ""
    };
    Judgement::fail(
        "other-key",
        format!(
            "the certificate uploaded to {name} ({}, public key {}) is not the bundle's and carries another public key than the bundle's key ({}): Salesforce verifies the assertion with the uploaded certificate and answers invalid_grant / invalid assertion{same_subject}",
            uploaded.subject,
            uploaded.fingerprint(),
            crate::fingerprint::fingerprint(ours)
        ),
        upload_again,
    )
}

/// app.jwt-flow: OAuth is on and a certificate is uploaded (which turns the JWT Bearer flow on).
pub fn jwt_flow(app: &AppMetadata) -> Judgement {
    let s = screens(app);
    let name = &app.name;
    if app.oauth_enabled == Some(false) {
        let field = match app.kind {
            AppKind::ExternalClientApp => "ExtlClntAppConfigurablePolicies.isOauthPluginEnabled",
            AppKind::ConnectedApp => "ConnectedApp.oauthConfig",
        };
        return Judgement::fail(
            "oauth-off",
            format!(
                "OAuth is off for {name} ({field}): no OAuth flow works, the JWT Bearer flow included"
            ),
            format!(
                "Turn OAuth on in {} ({}), then {}.",
                s.app,
                match app.kind {
                    AppKind::ExternalClientApp =>
                        "Policies > Plugin Policies > enable the OAuth plugin",
                    AppKind::ConnectedApp =>
                        "Edit > API (Enable OAuth Settings) > Enable OAuth Settings",
                },
                s.jwt
            ),
        );
    }
    if app.certificate_pem.is_none() {
        let why = match app.kind {
            AppKind::ExternalClientApp if !has_file(app, FileKind::GlobalOauth) => {
                format!("; {GLOBAL_NOT_RETRIEVED}")
            }
            _ => String::new(),
        };
        return Judgement::fail(
            "no-certificate",
            format!(
                "no certificate is uploaded to {name} ({} is empty): the JWT Bearer flow is off{why}",
                s.cert_field
            ),
            format!("In {} > {}.", s.app, s.jwt),
        );
    }
    Judgement::pass(
        "on",
        format!(
            "OAuth is on for {name} and a certificate is uploaded ({}), which enables the JWT Bearer flow",
            s.cert_field
        ),
    )
}

/// A scope as the metadata spells it (`Api`, `RefreshToken`, `OfflineAccess`, `OpenID`) in the
/// spelling of OAuth and of token answers (`api`, `refresh_token`, `offline_access`, `openid`).
pub fn oauth_scope(metadata: &str) -> String {
    let metadata = metadata.trim();
    if metadata.eq_ignore_ascii_case("openid") {
        return "openid".to_owned();
    }
    let mut out = String::new();
    for (i, c) in metadata.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// app.scopes: `api` (or `full`) and `refresh_token` (or `offline_access`), as setup step 2 says.
pub fn scopes(app: &AppMetadata) -> Judgement {
    let s = screens(app);
    let name = &app.name;
    let granted: Vec<String> = app.scopes.iter().map(|m| oauth_scope(m)).collect();
    if granted.is_empty()
        && app.kind == AppKind::ExternalClientApp
        && !has_file(app, FileKind::Oauth)
    {
        return Judgement::warn(
            "not-retrieved",
            format!(
                "the metadata of {name} has no ExtlClntAppOauthSettings (.ecaOauth) file, which holds the scopes"
            ),
            "Retrieve it with the app (sf project retrieve start --metadata ExtlClntAppOauthSettings), or check the scopes by hand.",
        );
    }
    let refs: Vec<&str> = granted.iter().map(String::as_str).collect();
    let missing: Vec<&str> = ["api", "refresh_token"]
        .into_iter()
        .filter(|r| !scopes::covers(&refs, r))
        .collect();
    let listed = if app.scopes.is_empty() {
        "none".to_owned()
    } else {
        app.scopes.join(", ")
    };
    if missing.is_empty() {
        return Judgement::pass(
            "complete",
            format!("the scopes of {name} ({listed}) include api and refresh_token"),
        );
    }
    let what = missing
        .iter()
        .map(|m| match *m {
            "api" => "api (without it the token cannot call the REST or SOAP APIs)",
            _ => "refresh_token, offline_access (without it Salesforce answers \"user hasn't approved this consumer\" or \"refresh_token scope is required\" unless the user approved the app interactively)",
        })
        .collect::<Vec<_>>()
        .join(" and ");
    Judgement::fail(
        "missing",
        format!("the scopes of {name} ({listed}) lack {what}"),
        format!(
            "In {} > {}, add \"Manage user data via APIs (api)\" and \"Perform requests at any time (refresh_token, offline_access)\", save, and retrieve the metadata again.",
            s.app, s.scopes
        ),
    )
}

/// What the IP relaxation setting means for the JWT flow, for the message of app.policy.
fn ip_relaxation(app: &AppMetadata) -> String {
    match &app.ip_relaxation {
        Some(v) => format!(
            "; IP relaxation: {v} (the JWT Bearer flow enforces the profile's Login IP Ranges whatever it says)"
        ),
        None => String::new(),
    }
}

/// app.policy: "Admin approved users are pre-authorized", with a profile or permission set.
pub fn policy(app: &AppMetadata) -> Judgement {
    let s = screens(app);
    let name = &app.name;
    let fix = format!("In {} > {}.", s.app, s.policy);
    let field = match app.kind {
        AppKind::ExternalClientApp => {
            "ExtlClntAppOauthConfigurablePolicies.permittedUsersPolicyType"
        }
        AppKind::ConnectedApp => "ConnectedApp.oauthConfig.isAdminApproved",
    };
    match app.admin_approved {
        None => Judgement::warn(
            "not-retrieved",
            format!(
                "the metadata of {name} does not say who may use it ({field}){}",
                match app.kind {
                    AppKind::ExternalClientApp =>
                        ": the ExtlClntAppOauthConfigurablePolicies (.ecaOauthPlcy) file was not retrieved",
                    AppKind::ConnectedApp => "",
                }
            ),
            format!(
                "Retrieve the app's policies with it (sf project retrieve start --metadata ExtlClntAppOauthConfigurablePolicies), or check them by hand: {fix}"
            ),
        ),
        Some(false) => Judgement::fail(
            "self-authorized",
            format!(
                "{name} lets all users self-authorize ({field}): a JWT login then works only for a user who once approved the app in an interactive flow that issued a refresh token; for anyone else Salesforce answers \"user hasn't approved this consumer\"{}",
                ip_relaxation(app)
            ),
            fix,
        ),
        Some(true) if app.profiles.is_empty() && app.permission_sets.is_empty() => Judgement::fail(
            "nobody-approved",
            format!(
                "{name} admits only admin-approved users, but no profile or permission set is approved: every JWT login gets \"user hasn't approved this consumer\"{}",
                ip_relaxation(app)
            ),
            fix,
        ),
        Some(true) => {
            let mut who = Vec::new();
            if !app.profiles.is_empty() {
                who.push(format!("profiles {}", app.profiles.join(", ")));
            }
            if !app.permission_sets.is_empty() {
                who.push(format!(
                    "permission sets {}",
                    app.permission_sets.join(", ")
                ));
            }
            Judgement::pass(
                "pre-authorized",
                format!(
                    "{name} pre-authorizes admin-approved users: {} (the integration user must have one of them){}",
                    who.join(" and "),
                    ip_relaxation(app)
                ),
            )
        }
    }
}

/// app.introspection: "Introspect all Tokens", which token introspection (--live) needs.
pub fn introspection(app: &AppMetadata) -> Judgement {
    let s = screens(app);
    let name = &app.name;
    let field = match app.kind {
        AppKind::ExternalClientApp => "ExtlClntAppGlobalOauthSettings.isIntrospectAllTokens",
        AppKind::ConnectedApp => "ConnectedApp.oauthConfig.isIntrospectAllTokens",
    };
    let fix = format!("In {} > {}.", s.app, s.introspection);
    match app.introspect_all_tokens {
        Some(true) => Judgement::pass(
            "on",
            format!("\"Introspect all Tokens\" is on for {name} ({field})"),
        ),
        Some(false) => Judgement::warn(
            "off",
            format!(
                "\"Introspect all Tokens\" is off for {name} ({field}): the login works, but token introspection (sfjwt check --live with a consumer secret) cannot see the tokens it issues"
            ),
            fix,
        ),
        None => Judgement::warn(
            "not-said",
            format!(
                "the metadata of {name} does not say whether \"Introspect all Tokens\" is on ({field} is absent)"
            ),
            fix,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_scopes_read_as_oauth_scopes() {
        for (m, o) in [
            ("Api", "api"),
            ("RefreshToken", "refresh_token"),
            ("OfflineAccess", "offline_access"),
            ("OpenID", "openid"),
            ("Full", "full"),
            ("CustomPermissions", "custom_permissions"),
            ("refresh_token", "refresh_token"),
            (" api ", "api"),
        ] {
            assert_eq!(oauth_scope(m), o, "{m}");
        }
    }
}
