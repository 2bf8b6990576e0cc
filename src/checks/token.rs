//! token.exchange, token.introspection, token.usable: with `--live`, the test assertion goes to
//! the token endpoint, and Salesforce's answer becomes findings. Only Salesforce can see setup
//! steps 2, 4 and 6 (the app, its policies, the user's profile); this is where they are proven.
//!
//! **Where it sends.** The assertion only to the token endpoint of the login URL, and only when
//! login-url.host accepted that URL (as gathering parsed it) and
//! [`LoginUrl::may_receive_assertion`] agrees: HTTPS to a Salesforce host, or to a host the user
//! declared their custom domain (`--custom-domain`, `custom_domain`: an explicit statement that
//! the host is their Salesforce login, so it counts as a Salesforce host), or plain `http://` on
//! a loopback host (a local emulator). Never to `--audience`. Introspection and revocation go to
//! the login URL too, so a declaration widens no other request. The one request that goes
//! elsewhere is token.usable's UserInfo call, to the `instance_url` of the answer, and only when
//! that is HTTPS on a Salesforce host by `hosts::parse` without any declaration (Salesforce names
//! the org's My Domain there), or loopback when the login URL was. With `--probe-audiences`, a
//! refused assertion is followed by at most 3 more to the org's My Domain or the login URL
//! (`probe`): Salesforce login hosts of the login URL's environment only. A login URL that does
//! not qualify makes `token.exchange` skip, with no connection made.
//!
//! **What it sends.** `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…` as a
//! form: the same test assertion the assertion checks made (one RSA signature per bundle). No
//! client secret, no scope. With a consumer secret, the issued token is then introspected with
//! the consumer key and secret.
//!
//! **What it leaves behind.** Nothing: after the checks, [`finish`] revokes the issued token at
//! `/services/oauth2/revoke`, and the `token.exchange` finding says so (`revoked` in its
//! evidence). A failed revocation is reported there, but does not fail the exchange.
//!
//! **Time.** Each request is bounded by `--timeout`, and all the requests of one bundle share
//! one [`Budget`] of 2 × `--timeout` from the first: each gets `--timeout` or what is left,
//! whichever is less; introspection takes at most half of what is left, so that revoking the
//! token keeps the other half; a request with (almost) nothing left is not sent, and its
//! finding says so (for revocation: that the token was not revoked, and how to end its
//! session). So one bundle's `--live` ends within 2 × `--timeout`, whatever the endpoint does.
//!
//! **Retries.** A transient answer (HTTP 5xx, or `unknown_error`) is retried once, after
//! [`Http::retry_pause`](token::Http::retry_pause) (one second; tests set it to zero), when the
//! bundle's time leaves room for the pause and a request; nothing else is retried: a timeout, a
//! refused connection or an error of the credentials would only double the wait, and each
//! exchange counts as a login (3,600 per user per hour). Introspection and revocation are never
//! retried.
//!
//! **Secrets.** The assertion, the access token and the consumer secret never appear in a
//! finding: answers are read field by field, texts from the server are cut and scrubbed of all
//! three, transport errors are described from their causes (never with the request's URL).

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::login_url::LOGIN_URL_HOST;
use super::{Check, Docs, Group, Scratch, Skip};
use crate::bundle::{Bundle, Secret, Setting, inputs};
use crate::context::Context;
use crate::finding::{Finding, Outcome};
use crate::jwt::Minted;
use crate::redact::Redactor;
use crate::salesforce::errors::{self, Kind, Match};
use crate::salesforce::hosts::LoginUrl;
use crate::salesforce::identity::shorten_key;
use crate::salesforce::token::{
    self, BUDGET_TIMEOUTS, Budget, Failure, Fault, INTROSPECT_PATH, IntrospectAnswer, Issued,
    JWT_BEARER_GRANT, MIN_REQUEST_TIME, NotJson, REVOKE_PATH, Response, Session, TokenAnswer,
};
use crate::steps::Step;

mod clock;
mod exchange;
mod introspection;
mod probe;
mod revoke;
mod secrets;
mod tls;
mod usable;

pub use self::revoke::finish;
pub(super) use self::secrets::know_session;
pub use self::usable::TOKEN_USABLE;
use self::{exchange::*, introspection::*, secrets::*};

pub static TOKEN_EXCHANGE: Check = Check {
    id: "token.exchange",
    title: "Token exchange at the token endpoint",
    steps: &[
        Step::App,
        Step::ConsumerKeyAndSecret,
        Step::Policies,
        Step::LoginUrl,
        Step::Username,
        Step::Assertion,
    ],
    group: Group::Live,
    docs: Docs {
        passes_when: "(--live) The token endpoint accepts the test assertion and issues an access token.",
        what: "With --live, POSTs the test assertion (the one assertion.claims and assertion.signature looked at) to the login URL's token endpoint, <login URL>/services/oauth2/token, as Salesforce's JWT Bearer flow expects: Content-Type application/x-www-form-urlencoded, grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and assertion=<the assertion>, no client secret, no scope. It sends only when login-url.host accepted the URL and it is HTTPS, to a Salesforce host or to a custom domain declared with --custom-domain (plain http:// only to a loopback emulator: 127.0.0.0/8, ::1, localhost); otherwise it skips and connects nowhere. It never sends the assertion to --audience or to the instance_url of an answer (token.usable alone sends the issued token there, to the UserInfo endpoint). Each request has a connect and a total timeout (--timeout, 15 s by default), and all the requests of one bundle (the exchange, its retry, introspection, revocation) share 2 × --timeout, so a bundle's live checks end within it whatever the endpoint does; each request reads at most 256 KiB of the answer, follows no redirect, and honours the HTTPS_PROXY / NO_PROXY variables (loopback is always reached directly). On success it reports the instance URL, the org id and the user id (from the identity URL), the scope and the token type, and a fingerprint of the access token, never the token; after the checks the token is revoked at /services/oauth2/revoke and the finding says so. On an error answer it reports the HTTP status and the raw error and error_description, with the error catalog's cause, steps and fix (the finding's steps are the matched error's: [4, 6] for \"user hasn't approved this consumer\"). Redirects, HTML pages, bodies that are not JSON or cut short, a 200 without an access token, 5xx answers, DNS failures, refused connections, TLS failures and timeouts each get their own finding. A transient answer (HTTP 5xx, unknown_error) is retried once, a second later, when the bundle's time leaves room for it; nothing else is retried. The answer's Date header is compared with this machine's clock (clock_offset_secs in the evidence): more than 60 s apart, the finding says that this machine's clock is wrong, not the credentials (a pass becomes a warning). A token issued through a generic host (login.salesforce.com, test.salesforce.com) makes the finding info, with the org's My Domain from the answer's instance_url and the sfjwt.toml lines that pin it. With --probe-audiences, a refusal that another pair of token host and aud can fix (audience is invalid, user hasn't approved this consumer, app_not_found) is followed by the other pairs of {the login URL, the org's My Domain (the login URL, or an audience that is one)} × {the environment's generic host, the My Domain}, at most 4 token requests in all, only to Salesforce login hosts of the login URL's environment, stopping at the first that issues a token: the finding names that pair and the sfjwt.toml lines that pin it, and its token serves the checks after it and is revoked. With --app-metadata, a refusal that an app setting can cause (invalid assertion, client identifier invalid, app not found, user not approved, refresh_token scope) says whether the retrieved metadata explains it (the app checks that failed offline, evidence app_metadata_explains) or shows no cause of it.",
        why: "Offline checks cannot see the user's profile, or the app as the org holds it (setup steps 2, 4 and 6), unless its metadata is given with --app-metadata: only Salesforce can. An assertion that is well-formed and verifies with the certificate still fails when the certificate uploaded to the app is another one (invalid assertion), the consumer key belongs to another org (client identifier invalid), the user's profile is not pre-authorized (user hasn't approved this consumer), the user is inactive, or the caller's IP is outside the profile's Login IP Ranges (ip restricted).",
        fix: "Follow the fix of the error Salesforce returned; `sfjwt explain '<the error text>'` gives the same entry. For transport failures: check the login URL's host (nslookup), the network path (a proxy: set HTTPS_PROXY; a TLS-inspecting proxy: give its root CA with --ca-file, never turn verification off), and run again; for a transient 5xx or unknown_error, run again in a few minutes (for sandboxes, prefer the My Domain URL over test.salesforce.com).",
        references: &[
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (remoteaccess_oauth_jwt_flow): the request and the response",
            "reference/salesforce-jwt.md §1A (JSON errors, HTTP 400), §1C (redirects, HTML, 5xx), §2.7 (request format), §2.11 (the response: access_token, scope, instance_url, id, token_type)",
            "RFC 7523 §2.1 (the JWT bearer grant), RFC 7009 (token revocation)",
            "Salesforce Help: Revoke OAuth Tokens (/services/oauth2/revoke)",
            "simple-salesforce/simple-salesforce#814: intermittent 500 errors from test.salesforce.com",
        ],
    },
    run: run_exchange,
};

pub static TOKEN_INTROSPECTION: Check = Check {
    id: "token.introspection",
    title: "Token introspection with the consumer secret",
    steps: &[Step::App, Step::ConsumerKeyAndSecret],
    group: Group::Live,
    docs: Docs {
        passes_when: "(--live, with a consumer secret) The issued token introspects as active.",
        what: "With --live and a consumer secret ($SFJWT_CONSUMER_SECRET, --consumer-secret-file, or consumer_secret_env in sfjwt.toml), POSTs the token that token.exchange got to <login URL>/services/oauth2/introspect with token, token_type_hint=access_token, client_id (the consumer key) and client_secret, before the token is revoked. Active means the secret is right and the app may introspect tokens. {\"active\":false} for a token issued a moment ago means the secret was accepted but \"Introspect all Tokens\" is off (a warning). invalid_client means the consumer secret is not this app's (a failure). Skips when no secret was given, or when token.exchange got no token. Shows the username, scope and expiry the introspection returns, never the token or the secret.",
        why: "The JWT Bearer flow itself never uses the consumer secret, so nothing else can tell whether the secret you copied is right; integrations such as Nango use it to introspect tokens, which also needs \"Introspect all Tokens\" ticked in step 2 of the setup guide.",
        fix: "For invalid_client: copy the Consumer Secret again (the app > Settings tab > OAuth Settings > Consumer Key and Secret; Salesforce asks you to verify your identity). For an inactive token: in the app's Settings tab > OAuth Settings, edit and tick \"Introspect all Tokens\" (Connected Apps: App Manager > the app > Edit > API (Enable OAuth Settings)), save, and wait a few minutes.",
        references: &[
            "setup guide step 2 (\"Enable the Introspect all Tokens option\") and step 3 (Consumer Key and Secret)",
            "Salesforce Help: OAuth 2.0 Token Introspection Flow (remoteaccess_oauth_token_introspection)",
            "RFC 7662 (OAuth 2.0 Token Introspection)",
            "reference/salesforce-jwt.md §3.2: the consumer secret is not used by the JWT grant, only for introspection",
        ],
    },
    run: run_introspection,
};

/// How `--live` reaches the login URL, or why it must not.
struct Target<'a> {
    url: &'a LoginUrl,
}

impl Target<'_> {
    fn endpoint(&self) -> String {
        self.url.token_endpoint()
    }
}

fn target(bundle: &Bundle) -> Result<Target<'_>, Skip> {
    let Some(setting) = &bundle.login_url else {
        return Err(Skip::new(format!(
            "no request was sent: no login URL was given ({})",
            bundle.how_to_give(&inputs::LOGIN_URL)
        )));
    };
    let url = super::require::accepted_login_url(bundle).map_err(|_| {
        Skip::new(format!(
            "no request was sent: the login URL {} was not accepted (see {}). --live sends the assertion only over HTTPS to a Salesforce login host or to a custom domain declared with {}, or over http:// to a loopback emulator (127.0.0.0/8, ::1, localhost)",
            crate::text::quoted(&setting.value),
            LOGIN_URL_HOST.id,
            inputs::CUSTOM_DOMAIN.flag
        ))
    })?;
    url.may_receive_assertion()
        .map_err(|why| Skip::new(format!("no request was sent: {why}")))?;
    Ok(Target { url })
}

fn run_exchange(bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let target = target(bundle)?;
    let (minted, made_now) = super::assertion::live_assertion(bundle, ctx, scratch)
        .map_err(|skip| skip.prefixed("no request was sent: "))?;
    let client = match ctx.http.client(target.url.is_loopback()) {
        Ok(c) => c,
        Err(e) => {
            return Ok(Outcome::fail(
                format!("no request was sent: {e}"),
                "This is a problem of this machine or a bug in sfjwt: please report it with this message.",
            )
            .with_steps(&[7]));
        }
    };
    let out = exchange(bundle, ctx, scratch, &target, client, &minted, made_now);
    Ok(with_app_metadata(out, bundle, ctx))
}

/// A refusal, with what the retrieved app metadata (`--app-metadata`) says about its cause: the
/// app checks that failed offline for it, or that it shows none.
fn with_app_metadata(mut out: Outcome, bundle: &Bundle, ctx: &Context) -> Outcome {
    if out.status != crate::finding::Status::Fail {
        return out;
    }
    let Some(id) = out.evidence.get("catalog_id").and_then(|v| v.as_str()) else {
        return out;
    };
    let Some((sentence, failed)) = super::app::on_refusal(bundle, ctx, id) else {
        return out;
    };
    out.message.push_str(&sentence);
    out.with("app_metadata_explains", failed)
}

fn run_introspection(
    bundle: &Bundle,
    ctx: &Context,
    scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let secret = super::require::consumer_secret(
        bundle,
        "no consumer secret was given ($SFJWT_CONSUMER_SECRET, --consumer-secret-file, or consumer_secret_env in sfjwt.toml): introspection is what checks the secret and \"Introspect all Tokens\"",
    )?;
    let Some(session) = &scratch.live else {
        return Err(Skip::new(format!(
            "{} got no token, so there is nothing to introspect",
            TOKEN_EXCHANGE.id
        )));
    };
    let Some(consumer_key) = &bundle.consumer_key else {
        return Err(Skip::new("no consumer key (client_id) to introspect with"));
    };
    Ok(introspect(bundle, ctx, session, consumer_key, secret))
}

#[cfg(test)]
mod tests;
