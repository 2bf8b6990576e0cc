//! token.usable: before the token is revoked, one `GET <instance_url>/services/oauth2/userinfo`
//! with it, to prove that it works for an API call and to see whose it is: the user (the
//! assertion's `sub`), active, in the expected org, with the scopes required.
//!
//! **Where it sends.** Only to the `instance_url` of the token answer, and only when that is an
//! HTTPS URL on a Salesforce host (`hosts::parse` accepts it without any custom-domain
//! declaration), or, when the token came from a loopback emulator, a loopback URL (and only
//! that: an emulator's answer never sends the token off the machine). Anything else
//! is a warning, and nothing is sent: the token is a credential.

use super::*;
use crate::salesforce::hosts::{self, HostKind};
use crate::salesforce::scopes;
use crate::salesforce::token::{USERINFO_PATH, UserInfo, UserInfoAnswer};
use crate::text::one_line_limited;

/// Scopes that give the identity service (the UserInfo endpoint): without one of them it may
/// refuse a token that works for the REST API.
const IDENTITY_SCOPES: &[&str] = &["id", "openid", "full"];

pub static TOKEN_USABLE: Check = Check {
    id: "token.usable",
    title: "The issued token works for an API call",
    steps: &[Step::App, Step::ConsumerKeyAndSecret],
    group: Group::Live,
    docs: Docs {
        passes_when: "(--live) The issued token works for one API call (GET <instance_url>/services/oauth2/userinfo): the user is the assertion's sub, active, in the expected org when one is named (--expect-org, org_id in sfjwt.toml), and the token has every --require-scope.",
        what: "With --live, after token.exchange got a token and before it is revoked, sends one GET <instance_url>/services/oauth2/userinfo with Authorization: Bearer <the token>, where instance_url is the one Salesforce returned with the token, and only when it is HTTPS on a Salesforce host (or loopback, for a token from a local emulator). Reports the user id, the org id, the username and whether the user is active, and compares them with the assertion's sub, the identity URL of the token answer, and the expected org (--expect-org ORGID or org_id in sfjwt.toml: the first 15 characters of the ids, case-sensitive). With --require-scope SCOPE (repeatable), fails when the token's scopes lack one (full counts for every scope but refresh_token; refresh_token is offline_access; id is profile, email, address, phone). The identity service's refusals (Bad_OAuth_Token, Wrong_Org, Inactive, No_Access, INVALID_SESSION_ID) are mapped to the error catalog's cause, steps and fix. Never shows the token.",
        why: "A token that is issued is not always usable: a profile that requires a high-assurance session, sessions locked to an IP, or missing scopes make the first API call fail (INVALID_SESSION_ID, Bad_OAuth_Token); after a sandbox refresh, or with a consumer key copied from another org, the login works and reaches the wrong org. Only a call with the token shows it.",
        fix: "Follow the finding's fix: for Bad_OAuth_Token or INVALID_SESSION_ID, set Session Security Level Required at Login to None on the user's profile and relax IP restrictions in the app's policies; for another org, use the login URL and consumer key of the org you mean; for a missing scope, add it to the app's Selected OAuth Scopes (the JWT grant takes the app's scopes; it sends no scope parameter) and wait a few minutes.",
        references: &[
            "Salesforce Help: Query for User Information (remoteaccess_using_userinfo_endpoint): the request, the answer and its error codes",
            "Salesforce Help: OAuth Tokens and Scopes (remoteaccess_oauth_tokens_scopes)",
            "OpenID Connect Core 1.0 §5.3 (the UserInfo endpoint)",
            "https://github.com/forcedotcom/SalesforceMobileSDK-Android/pull/2430: UserInfo answers 403 for a token it refuses",
        ],
    },
    run: run_usable,
};

/// The UserInfo URL below the token answer's `instance_url`, or why the token must not go there.
fn userinfo_url(session: &Session) -> Result<String, String> {
    let Some(instance) = &session.instance_url else {
        return Err(
            "the token answer had no instance_url, so there is no API host to try the token at"
                .into(),
        );
    };
    let shown = crate::text::quoted(&one_line_limited(instance, 200));
    let url = hosts::parse(instance).map_err(|_| {
        format!("the instance_url {shown} of the token answer is not a Salesforce host, and the token is sent only to one")
    })?;
    let fits = match (url.kind, session.loopback) {
        (HostKind::Loopback, true) => true,
        (HostKind::Loopback, false) | (_, true) => false,
        (kind, _) => url.scheme == "https" && !kind.is_declared() && !kind.is_site(),
    };
    if !fits || url.site_path.is_some() {
        return Err(format!(
            "the instance_url {shown} of the token answer is not an HTTPS Salesforce host{}, and the token is sent only to one",
            if session.loopback {
                " or a loopback emulator"
            } else {
                ""
            }
        ));
    }
    Ok(format!("{}{USERINFO_PATH}", url.origin()))
}

fn run_usable(bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let Some(session) = &scratch.live else {
        return Err(Skip::new(format!(
            "{} got no token, so there is nothing to try",
            TOKEN_EXCHANGE.id
        )));
    };
    let secrets = Secrets::new(bundle, &session.assertion, Some(session));
    let endpoint = match userinfo_url(session) {
        Ok(e) => e,
        Err(why) => {
            return Ok(secrets.scrub(Outcome::warn(
                format!("the token was not tried: {why}; whether it works for API calls is unknown"),
                "Run again; if the instance_url stays unusual, something between this machine and Salesforce answers for it: compare with the org's My Domain (Setup > My Domain).",
            ).with("problem", "instance-url-not-salesforce")));
        }
    };
    let Some(bound) = session.budget.next_request_sharing() else {
        return Ok(secrets.scrub(
            Outcome::warn(
                format!("the request to {endpoint} was not sent: too little was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout), and what was left went to revoking the token", token::seconds(session.budget.total())),
                "Run again, with a longer --timeout on a slow link.",
            )
            .with("problem", "no-time-left")
            .with("endpoint", endpoint.as_str()),
        ));
    };
    let out = match ctx
        .http
        .client(session.loopback)
        .map_err(|e| format!("no request was sent: {e}"))
        .and_then(|c| {
            token::get_with_bearer(c, &endpoint, &session.access_token, bound).map_err(|f| {
                format!(
                    "no answer within {} ({}: {})",
                    session.budget.describe(bound),
                    f.fault.as_str(),
                    f.detail
                )
            })
        }) {
        Err(why) => Outcome::warn(
            format!(
                "GET {endpoint} with the token got {why}; the exchange itself worked, whether the token works for API calls is unknown"
            ),
            "Run again; check the network path to the org's My Domain (the instance_url).",
        ),
        Ok(resp) => answered(bundle, ctx, session, &endpoint, &secrets.response(&resp)),
    };
    let sent = format!("GET {endpoint} (Authorization: Bearer <the access token, not shown>)");
    Ok(secrets.scrub(
        out.with("endpoint", endpoint.as_str())
            .with("request", sent),
    ))
}

/// What a UserInfo answer makes of the token.
fn answered(
    bundle: &Bundle,
    ctx: &Context,
    session: &Session,
    endpoint: &str,
    resp: &Response,
) -> Outcome {
    let out = match token::parse_userinfo(resp) {
        UserInfoAnswer::Info(user) => judged(bundle, ctx, session, endpoint, &user),
        UserInfoAnswer::Refused { code, description } => refused(
            session,
            endpoint,
            resp,
            code.as_deref(),
            description.as_deref(),
        ),
        UserInfoAnswer::Unexpected => Outcome::warn(
            format!(
                "HTTP {} from {endpoint}, but not the UserInfo endpoint's JSON ({} bytes); whether the token works for API calls is unknown",
                resp.status,
                resp.body.len()
            ),
            "Run again; if it persists, something between this machine and Salesforce answers instead of it (a proxy, a captive portal).",
        ),
    };
    out.with("http_status", resp.status)
}

/// The token's scopes, as its answer named them.
fn granted(session: &Session) -> Vec<&str> {
    session
        .scope
        .as_deref()
        .map(scopes::split)
        .unwrap_or_default()
}

mod judge;
use judge::{judged, refused};

#[cfg(test)]
mod tests {
    use super::*;

    fn session(instance: Option<&str>, loopback: bool) -> Session {
        Session {
            access_token: token::AccessToken::new("00D5g000004XyZ1!AQ4AQnot-a-real-token"),
            base_url: "https://login.salesforce.com".into(),
            loopback,
            assertion: "eyJ.eyJ.sig".into(),
            budget: Budget::start(Duration::from_secs(1)),
            instance_url: instance.map(str::to_string),
            org_id: None,
            user_id: None,
            scope: None,
        }
    }

    #[test]
    fn the_token_goes_only_to_an_https_salesforce_instance_or_loopback_from_loopback() {
        for (instance, loopback, want) in [
            (
                "https://acme.my.salesforce.com",
                false,
                Some("https://acme.my.salesforce.com/services/oauth2/userinfo"),
            ),
            (
                "https://na85.salesforce.com/",
                false,
                Some("https://na85.salesforce.com/services/oauth2/userinfo"),
            ),
            (
                "http://127.0.0.1:8080",
                true,
                Some("http://127.0.0.1:8080/services/oauth2/userinfo"),
            ),
            ("http://127.0.0.1:8080", false, None),
            // A loopback emulator's answer never sends the token off the machine.
            ("https://acme.my.salesforce.com", true, None),
            ("http://acme.my.salesforce.com", false, None),
            ("https://evil.example", false, None),
            ("https://acme.my.salesforce.com.evil.example", false, None),
            ("https://acme.my.site.com/customers", false, None),
        ] {
            let got = userinfo_url(&session(Some(instance), loopback));
            assert_eq!(got.as_deref().ok(), want, "{instance}: {got:?}");
        }
        assert!(userinfo_url(&session(None, false)).is_err());
    }
}
