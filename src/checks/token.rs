//! token.exchange, token.introspection: with `--live`, the test assertion goes to the token
//! endpoint, and Salesforce's answer becomes findings. Only Salesforce can see setup steps 2, 4
//! and 6 (the app, its policies, the user's profile); this is where they are proven.
//!
//! **Where it sends.** Only to the token endpoint of the login URL, and only when
//! login-url.host accepted that URL (as gathering parsed it) and it is HTTPS, or plain `http://` on a loopback host (a
//! local emulator). Never to `--audience`, and never to the `instance_url` of an answer. A login
//! URL that does not qualify makes `token.exchange` skip, with no connection made.
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
use crate::bundle::{Bundle, inputs};
use crate::context::Context;
use crate::finding::{Finding, Outcome};
use crate::jwt::printable_limited;
use crate::redact::Redactor;
use crate::salesforce::errors::{self, Kind, Match};
use crate::salesforce::hosts::{self, LoginUrl};
use crate::salesforce::identity::shorten_key;
use crate::salesforce::token::{
    self, BUDGET_TIMEOUTS, Budget, Failure, Fault, INTROSPECT_PATH, IntrospectAnswer, Issued,
    JWT_BEARER_GRANT, MIN_REQUEST_TIME, NotJson, REVOKE_PATH, Response, Session, TokenAnswer,
};
use crate::steps::Step;

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
        what: "With --live, POSTs the test assertion (the one assertion.claims and assertion.signature looked at) to the login URL's token endpoint, <login URL>/services/oauth2/token, as Salesforce's JWT Bearer flow expects: Content-Type application/x-www-form-urlencoded, grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and assertion=<the assertion>, no client secret, no scope. It sends only when login-url.host accepted the URL and it is HTTPS (plain http:// only to a loopback emulator: 127.0.0.0/8, ::1, localhost); otherwise it skips and connects nowhere. It never sends to --audience or to the instance_url of an answer. Each request has a connect and a total timeout (--timeout, 15 s by default), and all the requests of one bundle (the exchange, its retry, introspection, revocation) share 2 × --timeout, so a bundle's live checks end within it whatever the endpoint does; each request reads at most 256 KiB of the answer, follows no redirect, and honours the HTTPS_PROXY / NO_PROXY variables (loopback is always reached directly). On success it reports the instance URL, the org id and the user id (from the identity URL), the scope and the token type, and a fingerprint of the access token, never the token; after the checks the token is revoked at /services/oauth2/revoke and the finding says so. On an error answer it reports the HTTP status and the raw error and error_description, with the error catalog's cause, steps and fix (the finding's steps are the matched error's: [4, 6] for \"user hasn't approved this consumer\"). Redirects, HTML pages, bodies that are not JSON or cut short, a 200 without an access token, 5xx answers, DNS failures, refused connections, TLS failures and timeouts each get their own finding. A transient answer (HTTP 5xx, unknown_error) is retried once, a second later, when the bundle's time leaves room for it; nothing else is retried.",
        why: "Offline checks cannot see the app, its policies or the user's profile (setup steps 2, 4 and 6): only Salesforce can. An assertion that is well-formed and verifies with the certificate still fails when the certificate uploaded to the app is another one (invalid assertion), the consumer key belongs to another org (client identifier invalid), the user's profile is not pre-authorized (user hasn't approved this consumer), the user is inactive, or the caller's IP is outside the profile's Login IP Ranges (ip restricted).",
        fix: "Follow the fix of the error Salesforce returned; `sfjwt explain '<the error text>'` gives the same entry. For transport failures: check the login URL's host (nslookup), the network path (a proxy: set HTTPS_PROXY), and run again; for a transient 5xx or unknown_error, run again in a few minutes (for sandboxes, prefer the My Domain URL over test.salesforce.com).",
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
            inputs::LOGIN_URL.how_to_give()
        )));
    };
    let url = super::require::accepted_login_url(bundle).map_err(|_| {
        Skip::new(format!(
            "no request was sent: the login URL {} was not accepted (see {}). --live sends the assertion only over HTTPS to a Salesforce login host, or over http:// to a loopback emulator (127.0.0.0/8, ::1, localhost)",
            hosts::shown(&setting.value),
            LOGIN_URL_HOST.id
        ))
    })?;
    let allowed = url.scheme == "https" || (url.scheme == "http" && url.is_loopback());
    if !allowed {
        return Err(Skip::new(format!(
            "no request was sent: {} is not HTTPS; --live sends the assertion over plain http:// only to a loopback emulator",
            url.base_url()
        )));
    }
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
    let endpoint = target.endpoint();
    let fields = [
        ("grant_type", JWT_BEARER_GRANT),
        ("assertion", minted.token.as_str()),
    ];
    // The bundle's time for --live starts with its first request.
    let budget = Budget::start(ctx.http.timeout);
    let started = Instant::now();
    let tries = attempts(client, &endpoint, &fields, &budget, ctx.http.retry_pause);
    let elapsed = started.elapsed();
    let secrets = Secrets::new(bundle, &minted.token, None);
    let out = match &tries.result {
        Ok(resp) => answered(
            bundle,
            scratch,
            &target,
            &secrets,
            &minted.token,
            resp,
            &tries,
            budget,
        ),
        Err(f) => fault(&target, f, &budget.describe(tries.bound)),
    };
    let sent = format!(
        "POST {endpoint} (application/x-www-form-urlencoded: grant_type={JWT_BEARER_GRANT}, assertion=<the test assertion for {}, not shown>)",
        printable_limited(&minted.claims.sub, 100)
    );
    let out = exchange_evidence(out, &sent, &tries, &budget, elapsed, made_now, &secrets)
        .with("endpoint", endpoint.as_str())
        .with(
            "assertion_fingerprint",
            crate::fingerprint::fingerprint(minted.token.as_bytes()),
        );
    // The access token, when one was issued, is scrubbed too.
    Ok(match &scratch.live {
        Some(session) => secrets.with_token(&session.access_token).scrub(out),
        None => secrets.scrub(out),
    })
}

/// The token requests of one exchange: the first, and the one retry of a transient answer
/// when the bundle's time leaves room for it.
struct Attempts {
    result: Result<Response, Failure>,
    /// What the first attempt got, when it was retried.
    retried: Option<String>,
    /// What the first attempt got, when it was transient but too little time was left to
    /// retry it.
    not_retried: Option<String>,
    /// The bound of the last request sent.
    bound: Duration,
    /// The pause before the retry.
    pause: Duration,
}

fn attempts(
    client: &reqwest::blocking::Client,
    endpoint: &str,
    fields: &[(&str, &str)],
    budget: &Budget,
    pause: Duration,
) -> Attempts {
    // The first request of the bundle gets the whole --timeout: the budget is twice that.
    let bound = budget.next_request().unwrap_or(MIN_REQUEST_TIME);
    let first = token::post_form(client, endpoint, fields, bound);
    let Some(why) = transient(&first) else {
        return Attempts {
            result: first,
            retried: None,
            not_retried: None,
            bound,
            pause,
        };
    };
    match budget.pause_then_request(pause) {
        Some(retry_bound) => Attempts {
            result: token::post_form(client, endpoint, fields, retry_bound),
            retried: Some(why),
            not_retried: None,
            bound: retry_bound,
            pause,
        },
        None => Attempts {
            result: first,
            retried: None,
            not_retried: Some(why),
            bound,
            pause,
        },
    }
}

/// The request lines, the attempts and the answer's status in the exchange's evidence.
fn exchange_evidence(
    mut out: Outcome,
    sent: &str,
    tries: &Attempts,
    budget: &Budget,
    elapsed: Duration,
    made_now: bool,
    secrets: &Secrets,
) -> Outcome {
    let answer = match &tries.result {
        Ok(r) => format!("HTTP {}", r.status),
        Err(f) => format!("no answer ({})", f.fault.as_str()),
    };
    let mut details = vec![format!("{sent} → {answer} in {} ms", elapsed.as_millis())];
    if let Some(why) = &tries.retried {
        details.push(format!(
            "the first attempt got {why}; retried once, {} later",
            token::seconds(tries.pause)
        ));
    }
    if let Some(why) = &tries.not_retried {
        details.push(format!(
            "the first attempt got {why}, which is retried once when time allows, but not enough was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout)",
            token::seconds(budget.total())
        ));
    }
    if made_now {
        details.push(
            "--at is not the current time: the assertion sent was made for the current time (its exp is judged by Salesforce's clock)"
                .to_string(),
        );
    }
    if let Some(Value::Array(more)) = out.evidence.remove("details") {
        details.extend(
            more.into_iter()
                .filter_map(|v| v.as_str().map(String::from)),
        );
    }
    out = out
        .with("attempts", if tries.retried.is_some() { 2 } else { 1 })
        .with("elapsed_ms", elapsed.as_millis() as u64)
        .with("budget_ms", budget.total().as_millis() as u64)
        .with("details", Value::from(details));
    if let Some(why) = &tries.retried {
        out = out.with("first_attempt", why.as_str());
    }
    if let Some(why) = &tries.not_retried {
        out = out.with("retry_skipped", why.as_str());
    }
    if let Ok(r) = &tries.result {
        out = out.with("http_status", r.status);
        if let Some(ct) = &r.content_type {
            out = out.with("content_type", secrets.cut(ct, 100));
        }
    }
    out
}

/// Why a first attempt is worth one retry: a 5xx, or Salesforce's `unknown_error`.
fn transient(result: &Result<Response, Failure>) -> Option<String> {
    let r = result.as_ref().ok()?;
    if (500..=599).contains(&r.status) {
        return Some(format!("HTTP {}", r.status));
    }
    match token::parse_token_response(r) {
        TokenAnswer::OAuthError { error: Some(e), .. }
            if e.eq_ignore_ascii_case("unknown_error") =>
        {
            Some(format!("HTTP {} unknown_error", r.status))
        }
        _ => None,
    }
}

/// The outcome of an answer from the endpoint. The token is read from the answer as it came;
/// everything else from its scrubbed copy.
#[allow(clippy::too_many_arguments)]
fn answered(
    bundle: &Bundle,
    scratch: &mut Scratch,
    target: &Target,
    secrets: &Secrets,
    assertion: &str,
    resp: &Response,
    tries: &Attempts,
    budget: Budget,
) -> Outcome {
    match token::parse_token_response(resp) {
        TokenAnswer::Issued(issued) => {
            let issued = Secrets(secrets.0.clone())
                .with_token(&issued.access_token)
                .issued(*issued);
            issued_outcome(
                bundle,
                scratch,
                target,
                assertion,
                issued,
                tries.retried.as_deref(),
                budget,
            )
        }
        _ => not_issued(target, &secrets.response(resp), tries),
    }
}

/// The outcome of an answer that issued no token, from its scrubbed copy.
fn not_issued(target: &Target, resp: &Response, tries: &Attempts) -> Outcome {
    let endpoint = target.endpoint();
    let ok_status = (200..300).contains(&resp.status);
    let size = body_size(resp);
    let not_token = "Check that the login URL is the org's login host (sfjwt check --login-url URL); run again; if it persists, something between this machine and Salesforce (a proxy, a TLS-inspecting gateway, a captive portal) answers instead of Salesforce: compare with `curl -i -d grant_type=x <token endpoint>`, which should return Salesforce's JSON error unsupported_grant_type.";
    match token::parse_token_response(resp) {
        // The scrubbed copy of an answer that issued a token: not reached.
        TokenAnswer::Issued(_) => Outcome::skip("the answer issued a token"),
        TokenAnswer::Redirect { location } => redirect_outcome(resp, &endpoint, location.as_deref()),
        TokenAnswer::NoToken { fields } if ok_status => Outcome::fail(
            format!(
                "HTTP {} from {endpoint} is JSON without an access_token (fields: {}): not a token response, so no token was issued",
                resp.status,
                field_list(&fields)
            ),
            not_token,
        )
        .with_steps(&[5])
        .with("problem", "no-access-token")
        .with("fields", Value::from(shown_fields(&fields))),
        TokenAnswer::NotJson {
            reason: reason @ (NotJson::InvalidJson | NotJson::NotAnObject | NotJson::Empty),
        } if ok_status => not_json_outcome(resp, &endpoint, &size, reason, not_token),
        other => {
            let matches = errors::match_response(
                resp.status,
                resp.content_type.as_deref(),
                &resp.body,
            );
            let (error, description) = match &other {
                TokenAnswer::OAuthError { error, description } => (error.clone(), description.clone()),
                _ => (None, None),
            };
            catalog_outcome(resp, &endpoint, &size, &matches, error, description, tries)
        }
    }
}

/// A 2xx answer whose body is no JSON object.
fn not_json_outcome(
    resp: &Response,
    endpoint: &str,
    size: &str,
    reason: NotJson,
    not_token: &str,
) -> Outcome {
    let what = match reason {
        NotJson::Empty => "is empty".to_string(),
        NotJson::NotAnObject => "is JSON, but not an object".to_string(),
        _ if resp.truncated => {
            "is not valid JSON: it is far too long for a token response".to_string()
        }
        _ => {
            "is not valid JSON: it was cut short, or is not the token endpoint's answer".to_string()
        }
    };
    Outcome::fail(
        format!(
            "HTTP {} from {endpoint}, but its body ({size}) {what}; no token could be read",
            resp.status
        ),
        not_token,
    )
    .with_steps(&[5])
    .with(
        "problem",
        match reason {
            NotJson::Empty => "empty-body",
            NotJson::NotAnObject => "json-not-an-object",
            _ => "invalid-json",
        },
    )
    .with("body_bytes", resp.body.len())
    .with("truncated", resp.truncated)
}

/// "123 bytes, text/html" and whether the body was cut at the cap.
fn body_size(resp: &Response) -> String {
    let cut = if resp.truncated {
        format!(
            " (longer than {} KiB: only that much was read)",
            token::MAX_RESPONSE_BYTES / 1024
        )
    } else {
        String::new()
    };
    format!(
        "{} bytes{}{cut}",
        resp.body.len(),
        resp.content_type
            .as_deref()
            .map(|ct| format!(", {}", printable_limited(ct, 80)))
            .unwrap_or_default()
    )
}

/// Who the token is for, as the identity URL of the answer says.
fn org_and_user(issued: &Issued) -> String {
    match (&issued.org_id, &issued.user_id) {
        (Some(o), Some(u)) => format!("org {o}, user {u}"),
        _ => match &issued.id {
            Some(id) => format!(
                "org and user unknown (the id {} is not an identity URL)",
                hosts::shown(id)
            ),
            None => "org and user unknown (no id in the answer)".to_string(),
        },
    }
}

fn issued_outcome(
    bundle: &Bundle,
    scratch: &mut Scratch,
    target: &Target,
    assertion: &str,
    issued: Issued,
    retried: Option<&str>,
    budget: Budget,
) -> Outcome {
    let user = bundle
        .username
        .as_ref()
        .map(|u| hosts::shown(&u.value))
        .unwrap_or_else(|| "the user".into());
    let shown = |v: &Option<String>| v.as_deref().map(|s| printable_limited(s, 200));
    let instance = shown(&issued.instance_url);
    let mut parts = vec![org_and_user(&issued)];
    if let Some(i) = &instance {
        parts.push(format!("instance {i}"));
    }
    if let Some(s) = shown(&issued.scope) {
        parts.push(format!("scope \"{s}\""));
    }
    if let Some(t) = shown(&issued.token_type) {
        parts.push(format!("token type {t}"));
    }
    let fingerprint = issued.access_token.fingerprint();
    let after_retry = retried
        .map(|why| format!(" after one retry (the first attempt got {why})"))
        .unwrap_or_default();
    let mut out = Outcome::pass(format!(
        "the token endpoint issued an access token for {user}{after_retry}: {}. The token is not shown ({fingerprint}).",
        parts.join(", ")
    ))
    .with("access_token_fingerprint", fingerprint)
    .with("access_token_kind", issued.access_token.kind());
    for (key, value) in [
        ("instance_url", instance),
        ("identity_url", shown(&issued.id)),
        ("org_id", issued.org_id.clone()),
        ("user_id", issued.user_id.clone()),
        ("scope", shown(&issued.scope)),
        ("token_type", shown(&issued.token_type)),
    ] {
        if let Some(v) = value {
            out = out.with(key, v);
        }
    }
    let mut details = Vec::new();
    if issued.access_token.kind() == "jwt" {
        details.push("the org issues JWT-based access tokens (\"Issue JSON Web Token (JWT)-based access tokens\"): some APIs, such as the Pub/Sub API, reject them".to_string());
    }
    if !issued.unexpected.is_empty() {
        details.push(format!(
            "the answer also had {}, which Salesforce's JWT Bearer answers do not carry",
            field_list(&issued.unexpected)
        ));
        out = out.with(
            "unexpected_fields",
            Value::from(shown_fields(&issued.unexpected)),
        );
    }
    if !details.is_empty() {
        out = out.with("details", Value::from(details));
    }
    scratch.live = Some(Session {
        access_token: issued.access_token,
        base_url: target.url.base_url(),
        loopback: target.url.is_loopback(),
        assertion: assertion.to_string(),
        budget,
    });
    out
}

fn redirect_outcome(resp: &Response, endpoint: &str, location: Option<&str>) -> Outcome {
    let to = location
        .map(|l| format!(" to {}", hosts::shown(l)))
        .unwrap_or_default();
    let entry = errors::catalog().get("lightning-host-redirect");
    let fix = entry.map_or_else(String::new, |e| e.fix.clone());
    let mut out = Outcome::fail(
        format!(
            "HTTP {} from {endpoint}: a redirect{to} instead of a token. sfjwt follows no redirect, because a client that does turns the POST into a GET and loses the assertion (Salesforce then answers 405 \"Only POST allowed\" or unsupported_grant_type / grant type not supported). Lightning hosts (*.lightning.force.com) and http:// login URLs redirect like this",
            resp.status
        ),
        format!("{fix} Give the login URL with https:// and the login host itself, not a URL that redirects."),
    )
    .with_steps(&[5])
    .with("problem", "redirect")
    .with("catalog_id", "lightning-host-redirect");
    if let Some(l) = location {
        out = out.with("location", printable_limited(l, 300));
    }
    out
}

/// A finding from the error catalog's match of an answer (or, when nothing matched, from the
/// status alone).
fn catalog_outcome(
    resp: &Response,
    endpoint: &str,
    size: &str,
    matches: &[Match],
    error: Option<String>,
    description: Option<String>,
    tries: &Attempts,
) -> Outcome {
    let said = what_it_said(resp, size, error.as_deref(), description.as_deref());
    let Some(m) = matches.first() else {
        let mut out = Outcome::fail(
            format!(
                "HTTP {} from {endpoint}: {said}; no token was issued, and the error catalog does not know this answer",
                resp.status
            ),
            "Look the error up with `sfjwt explain '<error text>'` and in Salesforce's OAuth error documentation; check that the login URL is the org's login host, whose token endpoint answers with Salesforce's JSON errors.",
        )
        .with_steps(&[5, 7]);
        if let Some(e) = error {
            out = out.with("error", printable_limited(&e, 100));
        }
        if let Some(d) = description {
            out = out.with("error_description", printable_limited(&d, 300));
        }
        return out;
    };
    let e = m.entry;
    let transient = e.kind == Kind::Transient;
    let mut message = format!(
        "HTTP {} from {endpoint}: {said}. {}",
        resp.status,
        e.cause.trim()
    );
    if transient {
        message.push_str(match (&tries.retried, &tries.not_retried) {
            (Some(_), _) => " This is usually transient: sfjwt retried once and got the same; run again in a few minutes.",
            (None, Some(_)) => " This is usually transient, but too little of this bundle's time for --live was left to retry it: run again in a few minutes.",
            (None, None) => " This is usually transient: run again in a few minutes.",
        });
    }
    let mut fix = e.fix.trim().to_string();
    if let Some(h) = &m.hint {
        fix = format!("{h} {fix}");
    }
    let causes: Vec<Value> = e
        .causes
        .iter()
        .map(|c| {
            let steps: Vec<String> = c.steps.iter().map(u8::to_string).collect();
            Value::from(format!("{} (step {})", c.text.trim(), steps.join(", ")))
        })
        .collect();
    let mut out = Outcome::fail(message, fix)
        .with_steps(m.steps())
        .with("catalog_id", e.id.as_str())
        .with("catalog_title", e.title.as_str())
        .with("cause", e.cause.trim())
        .with("causes", Value::from(causes))
        .with("transient", transient);
    if let Some(err) = error {
        out = out.with("error", printable_limited(&err, 100));
    }
    if let Some(d) = description {
        out = out.with("error_description", printable_limited(&d, 300));
    }
    out
}

/// What an error answer said: its `error` and `error_description`, or what its body is.
fn what_it_said(
    resp: &Response,
    size: &str,
    error: Option<&str>,
    description: Option<&str>,
) -> String {
    match (error, description) {
        (Some(e), Some(d)) => format!(
            "{} / {}",
            printable_limited(e, 100),
            printable_limited(d, 300)
        ),
        (Some(e), None) => printable_limited(e, 100),
        (None, Some(d)) => printable_limited(d, 300),
        (None, None) => match token::json_object(resp) {
            Err(NotJson::Html) => format!(
                "an HTML page{} ({size})",
                html_title(&resp.body)
                    .map(|t| format!(" titled \"{t}\""))
                    .unwrap_or_default()
            ),
            Err(NotJson::Empty) => "an empty body".to_string(),
            _ => format!("a body sfjwt does not recognise ({size})"),
        },
    }
}

/// The `<title>` of an HTML page, as one printable line.
fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = text
        .get(open_end..close)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| printable_limited(&title, 120))
}

fn shown_fields(fields: &[String]) -> Vec<String> {
    fields
        .iter()
        .take(20)
        .map(|f| printable_limited(f, 60))
        .collect()
}

fn field_list(fields: &[String]) -> String {
    if fields.is_empty() {
        return "none".to_string();
    }
    let mut shown = shown_fields(fields).join(", ");
    if fields.len() > 20 {
        shown.push_str(&format!(" and {} more", fields.len() - 20));
    }
    shown
}

/// The outcome of a request that got no (complete) answer.
/// `bound` says what bounded the request, e.g. "2 s (--timeout)".
fn fault(target: &Target, f: &Failure, bound: &str) -> Outcome {
    let endpoint = target.endpoint();
    let host = &target.url.host;
    let origin = target.url.origin();
    let detail = &f.detail;
    let (message, fix, steps): (String, String, &[u8]) = match f.fault {
        Fault::Dns => (
            format!("the host {host} did not resolve (DNS: {detail}); no request was sent"),
            format!("Check the host name: `nslookup {host}`. A misspelt My Domain, a sandbox that was deleted or refreshed under another name, or no DNS on this machine are the usual causes; a My Domain created minutes ago can take a while to resolve. Compare with Setup > My Domain. Behind a proxy, set HTTPS_PROXY."),
            &[5],
        ),
        Fault::Refused => (
            format!("the connection to {origin} was refused: nothing listens there ({detail}); no request was sent"),
            "Check the port of the login URL: Salesforce listens on 443, so give no port. A firewall may refuse outgoing HTTPS; behind a proxy, set HTTPS_PROXY. For a local emulator, start it first.".to_string(),
            &[5],
        ),
        Fault::Tls => (
            format!("the TLS handshake with {host} failed ({detail}); the assertion was not sent"),
            "Check that the login URL is the org's HTTPS login host, not a port that speaks plain HTTP. A TLS-inspecting proxy needs its CA in this machine's certificate store; a wrong system clock makes certificates look expired; Salesforce requires TLS 1.2 or later.".to_string(),
            &[5, 7],
        ),
        Fault::Timeout => (
            match f.status {
                Some(s) => format!(
                    "HTTP {s} from {endpoint}, but the answer had not finished after {bound}: {} bytes had come",
                    f.partial_bytes
                ),
                None => format!("no answer from {endpoint} within {bound}: {detail}"),
            },
            "Check the network path to the host: a firewall that drops packets instead of refusing them, or a proxy that is needed (set HTTPS_PROXY) or that stalls. Salesforce answers the token endpoint within a second or two; run again, with a longer --timeout on a slow link.".to_string(),
            &[5],
        ),
        Fault::Incomplete => (
            format!(
                "the connection closed before the answer was complete ({}{} bytes came: {detail}); no token could be read",
                f.status.map(|s| format!("HTTP {s}, ")).unwrap_or_default(),
                f.partial_bytes
            ),
            "Run again. If it persists, something between this machine and Salesforce (a proxy, a gateway) cuts answers short: try from another network, or `curl -i -d grant_type=x <token endpoint>`.".to_string(),
            &[5],
        ),
        Fault::Connect => (
            format!("could not connect to {origin} ({detail}); no request was sent"),
            "Check the network path: this machine's connection, a proxy (HTTPS_PROXY, NO_PROXY) that refuses or is needed, a firewall. `curl -v <login URL>` from the same machine shows where it stops.".to_string(),
            &[5],
        ),
        Fault::Other => (
            format!("the request to {endpoint} failed ({detail})"),
            "Run again; if it persists, report it with this message.".to_string(),
            &[5, 7],
        ),
    };
    Outcome::fail(message, fix)
        .with_steps(steps)
        .with("transport", f.fault.as_str())
        .with("transport_detail", detail.as_str())
        .with("elapsed_ms", f.elapsed.as_millis() as u64)
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
    let secrets = Secrets::new(bundle, &session.assertion, Some(session));
    let client = match ctx.http.client(session.loopback) {
        Ok(c) => c,
        Err(e) => {
            return Ok(Outcome::warn(
                format!("no request was sent: {e}"),
                "Report it with this message.",
            ));
        }
    };
    let endpoint = format!("{}{INTROSPECT_PATH}", session.base_url);
    let fields = [
        ("token", session.access_token.expose()),
        ("token_type_hint", "access_token"),
        ("client_id", consumer_key.value.as_str()),
        ("client_secret", secret.expose()),
    ];
    let from = format!("the consumer secret from {}", secret.origin);
    // At most half of the bundle's time that is left: revoking the token comes after.
    let Some(bound) = session.budget.next_request_sharing() else {
        return Ok(secrets.scrub(
            Outcome::warn(
                format!(
                    "the introspection request to {endpoint} was not sent: too little was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout), and what was left went to revoking the token; the exchange itself worked",
                    token::seconds(session.budget.total())
                ),
                "Run again, with a longer --timeout on a slow link; check the network path to the login host.",
            )
            .with("problem", "no-time-left")
            .with("endpoint", endpoint.as_str()),
        ));
    };
    let out = match token::post_form(client, &endpoint, &fields, bound) {
        Err(f) => Outcome::warn(
            format!(
                "the introspection request to {endpoint} got no answer within {} ({}: {}); the exchange itself worked",
                session.budget.describe(bound),
                f.fault.as_str(),
                f.detail
            ),
            "Run again; check the network path to the login host.",
        )
        .with("transport", f.fault.as_str()),
        Ok(resp) => introspection_answer(&endpoint, &from, &secrets.response(&resp)),
    };
    Ok(secrets.scrub(out.with("endpoint", endpoint.as_str())))
}

/// The outcome of an answer from the introspection endpoint.
fn introspection_answer(endpoint: &str, from: &str, resp: &Response) -> Outcome {
    let status = resp.status;
    let out = match token::parse_introspection(resp) {
        IntrospectAnswer::Active(obj) => active_outcome(endpoint, from, &obj),
        IntrospectAnswer::Inactive => Outcome::warn(
            format!(
                "{endpoint} accepted {from}, but says the token issued a moment ago is not active ({{\"active\":false}}): the app may not introspect tokens, because \"Introspect all Tokens\" is off"
            ),
            "In Setup > App Manager, open the External Client App, Settings tab > OAuth Settings > Edit, tick \"Introspect all Tokens\" and save (Connected Apps: App Manager > the app > Edit > API (Enable OAuth Settings)); changes can take a few minutes to apply.",
        )
        .with_steps(&[2])
        .with("active", false),
        IntrospectAnswer::OAuthError { error, description } => {
            introspection_error(endpoint, from, status, error, description)
        }
        IntrospectAnswer::Unexpected => Outcome::warn(
            format!(
                "HTTP {status} from {endpoint} is not an introspection answer ({} bytes); the token's state is unknown",
                resp.body.len()
            ),
            "Run again; check that the login URL is the org's login host.",
        ),
    };
    out.with("http_status", status)
}

/// An OAuth error from the introspection endpoint: `invalid_client` is the consumer secret.
fn introspection_error(
    endpoint: &str,
    from: &str,
    status: u16,
    error: Option<String>,
    description: Option<String>,
) -> Outcome {
    let raw = [error.as_deref(), description.as_deref()]
        .into_iter()
        .flatten()
        .map(|s| printable_limited(s, 200))
        .collect::<Vec<_>>()
        .join(" / ");
    let mut out = if error
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("invalid_client"))
    {
        Outcome::fail(
            format!(
                "HTTP {status} from {endpoint}: {raw}. The consumer secret ({from}) is not this app's: it was mistyped, copied from another app or org, or the app's secret was regenerated"
            ),
            "Copy the Consumer Secret again: App Manager > the External Client App > Settings tab > OAuth Settings > Consumer Key and Secret (Salesforce asks you to verify your identity), and give it as $SFJWT_CONSUMER_SECRET or --consumer-secret-file.",
        )
        .with_steps(&[3])
    } else {
        Outcome::fail(
            format!("HTTP {status} from {endpoint}: {raw}; the token could not be introspected"),
            "Check the consumer key and secret of the app (setup step 3) and that the app allows introspection (\"Introspect all Tokens\", step 2).",
        )
    };
    if let Some(e) = error {
        out = out.with("error", printable_limited(&e, 100));
    }
    if let Some(d) = description {
        out = out.with("error_description", printable_limited(&d, 300));
    }
    out
}

fn active_outcome(endpoint: &str, from: &str, obj: &Map<String, Value>) -> Outcome {
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(|s| printable_limited(s, 200))
    };
    let mut about = Vec::new();
    if let Some(u) = text("username") {
        about.push(format!("user {u}"));
    }
    if let Some(s) = text("scope") {
        about.push(format!("scope \"{s}\""));
    }
    let exp = obj.get("exp").and_then(Value::as_i64);
    if let Some(e) = exp {
        about.push(format!(
            "expires {}",
            crate::jwt::describe_instant(e as f64)
        ));
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    let mut out = Outcome::pass(format!(
        "the issued token introspects as active at {endpoint}{about}: {from} is right, and the app may introspect tokens (\"Introspect all Tokens\")"
    ))
    .with("active", true);
    for key in ["username", "scope", "token_type"] {
        if let Some(v) = text(key) {
            out = out.with(key, v);
        }
    }
    if let Some(c) = text("client_id") {
        out = out.with("client_id", shorten_key(&c));
    }
    if let Some(e) = exp {
        out = out.with("exp", e);
    }
    out
}

/// Where to end a session sfjwt could not revoke.
const END_SESSION: &str = "the session stays valid until it times out; to end it now, remove it in Setup > Session Management, or revoke the app's tokens on the user's detail page (OAuth Connected Apps > Revoke)";

/// Runs after every check of a bundle with `--live`: revokes the token `token.exchange` got, and
/// says so in its finding (`revoked` in the evidence, a sentence in the message). It takes
/// what is left of the bundle's time for `--live`; when nothing is, the finding says that the
/// token was not revoked and how to end its session.
pub fn finish(bundle: &Bundle, ctx: &Context, scratch: &Scratch, findings: &mut [Finding]) {
    let Some(session) = &scratch.live else {
        return;
    };
    let endpoint = format!("{}{REVOKE_PATH}", session.base_url);
    let result = match session.budget.next_request() {
        None => Err(format!(
            "not sent: no time was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout)",
            token::seconds(session.budget.total())
        )),
        Some(bound) => ctx
            .http
            .client(session.loopback)
            .map_err(|e| e.to_string())
            .and_then(|client| {
                token::post_form(
                    client,
                    &endpoint,
                    &[("token", session.access_token.expose())],
                    bound,
                )
                .map_err(|f| {
                    let within = session.budget.describe(bound);
                    format!("{} within {within}: {}", f.fault.as_str(), f.detail)
                })
            }),
    };
    let Some(f) = findings.iter_mut().find(|f| f.id == TOKEN_EXCHANGE.id) else {
        return;
    };
    let secrets = Secrets::new(bundle, &session.assertion, Some(session));
    let mut evidence = f.evidence.to_map();
    let shown = result.as_ref().map(|r| secrets.response(r));
    let (sentence, line) = match revoked(shown.as_ref().map_err(|e| e.as_str())) {
        Ok(status) => {
            evidence.insert("revoked".into(), true.into());
            (
                format!(
                    " sfjwt revoked it afterwards at {endpoint}, so it leaves no session behind."
                ),
                format!(
                    "POST {endpoint} (token=<the access token, not shown>) → HTTP {status}: revoked"
                ),
            )
        }
        Err(why) => {
            evidence.insert("revoked".into(), false.into());
            evidence.insert("revoke_error".into(), why.clone().into());
            let (verb, arrow) = if why.starts_with("not sent") {
                ("sfjwt did not revoke it", "not sent")
            } else {
                ("Revoking it failed", "not revoked")
            };
            (
                format!(
                    " {verb} at {endpoint} ({why}): {END_SESSION}. The exchange itself worked."
                ),
                format!("POST {endpoint} (token=<the access token, not shown>) → {why}: {arrow}"),
            )
        }
    };
    evidence.insert("revoke_endpoint".into(), endpoint.clone().into());
    let mut details = match evidence.remove("details") {
        Some(Value::Array(lines)) => lines,
        _ => Vec::new(),
    };
    details.push(line.into());
    evidence.insert("details".into(), Value::Array(details));
    let mut amended = Outcome {
        status: f.status,
        message: format!("{}{sentence}", f.message),
        fix: f.fix.clone(),
        evidence,
        steps: Some(f.steps.clone()),
    };
    amended = secrets.scrub(amended);
    f.message = amended.message;
    f.fix = amended.fix;
    f.evidence = amended.evidence.into();
}

/// The status of a revocation the endpoint accepted, or why the token was not revoked.
fn revoked(result: Result<&Response, &str>) -> Result<u16, String> {
    let r = result.map_err(str::to_string)?;
    if (200..300).contains(&r.status) {
        return Ok(r.status);
    }
    let said = match token::json_object(r) {
        Ok(obj) => [obj.get("error"), obj.get("error_description")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| printable_limited(s, 200))
            .collect::<Vec<_>>()
            .join(" / "),
        Err(_) => String::new(),
    };
    Err(if said.is_empty() {
        format!("HTTP {}", r.status)
    } else {
        format!("HTTP {}: {said}", r.status)
    })
}

/// Makes `known` know what a live exchange made: the access token issued and, unless it is to
/// be printed (`--show-assertion`), the assertion sent.
pub(super) fn know_session(known: &mut Redactor, session: &Session, assertion_too: bool) {
    known.add(session.access_token.expose(), "access token");
    if assertion_too {
        known.add(&session.assertion, "signed assertion");
    }
}

/// The credentials of one bundle's live run: every secret the bundle holds, the assertion
/// sent and the token issued. Every answer is scrubbed of them before any of it is read for
/// display, so that nothing is cut short (or quoted, or escaped) before it is redacted; and
/// every outcome is scrubbed again before it leaves.
struct Secrets(Redactor);

impl Secrets {
    fn new(bundle: &Bundle, assertion: &str, session: Option<&Session>) -> Self {
        let mut known = bundle.secrets.clone();
        if let Some(s) = &bundle.consumer_secret {
            known.add(s.expose(), "consumer secret");
        }
        known.add(assertion, "signed assertion");
        if let Some(s) = session {
            know_session(&mut known, s, true);
        }
        Secrets(known)
    }

    /// Knows the access token an answer issued, too.
    fn with_token(mut self, token: &token::AccessToken) -> Self {
        self.0.add(token.expose(), "access token");
        self
    }

    /// The copy of an answer that is read for display: its body, content type and location
    /// scrubbed whole, before any of it is cut.
    fn response(&self, r: &Response) -> Response {
        let scrub = |v: &Option<String>| v.as_deref().map(|t| self.0.scrub(t).into_owned());
        let text = String::from_utf8_lossy(&r.body);
        Response {
            status: r.status,
            content_type: scrub(&r.content_type),
            location: scrub(&r.location),
            body: match self.0.scrub(&text) {
                std::borrow::Cow::Borrowed(_) => r.body.clone(),
                std::borrow::Cow::Owned(clean) => clean.into_bytes(),
            },
            truncated: r.truncated,
            elapsed: r.elapsed,
        }
    }

    /// An issued answer with what it shows scrubbed (the token itself is kept, to use).
    fn issued(&self, mut i: Issued) -> Issued {
        for field in [
            &mut i.instance_url,
            &mut i.id,
            &mut i.org_id,
            &mut i.user_id,
            &mut i.scope,
            &mut i.token_type,
        ]
        .into_iter()
        .flatten()
        {
            self.0.scrub_string(field);
        }
        for field in &mut i.unexpected {
            self.0.scrub_string(field);
        }
        i
    }

    /// A text of the answer, scrubbed, then cut to `max` characters as one printable line.
    fn cut(&self, text: &str, max: usize) -> String {
        printable_limited(&self.0.scrub(text), max)
    }

    fn scrub(&self, mut out: Outcome) -> Outcome {
        self.0.scrub_string(&mut out.message);
        if let Some(fix) = &mut out.fix {
            self.0.scrub_string(fix);
        }
        out.evidence.values_mut().for_each(|v| {
            self.0.scrub_json(v);
        });
        out
    }
}

#[cfg(test)]
mod tests;
