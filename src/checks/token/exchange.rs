//! token.exchange: the token request, its one retry, and what each kind of answer (or
//! no answer) becomes.

use super::*;
use crate::salesforce::token::trust::Extras;
use crate::text::one_line_limited;

/// The token requests of one exchange: the first, and the one retry of a transient answer
/// when the bundle's time leaves room for it.
pub(super) struct Attempts {
    pub(super) result: Result<Response, Failure>,
    /// What the first attempt got, when it was retried.
    pub(super) retried: Option<String>,
    /// What the first attempt got, when it was transient but too little time was left to
    /// retry it.
    pub(super) not_retried: Option<String>,
    /// The bound of the last request sent.
    pub(super) bound: Duration,
    /// The pause before the retry.
    pub(super) pause: Duration,
}

pub(super) fn attempts(
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
pub(super) fn exchange_evidence(
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
pub(super) fn transient(result: &Result<Response, Failure>) -> Option<String> {
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

/// The outcome of an answer from the endpoint, and the session when it issued a token. The
/// token is read from the answer as it came; everything else from its scrubbed copy.
pub(super) fn answered(
    bundle: &Bundle,
    target: &Target,
    secrets: &Secrets,
    assertion: &str,
    resp: &Response,
    tries: &Attempts,
    budget: Budget,
) -> (Outcome, Option<Session>) {
    match token::parse_token_response(resp) {
        TokenAnswer::Issued(issued) => {
            let issued = Secrets(secrets.0.clone())
                .with_token(&issued.access_token)
                .issued(*issued);
            let (out, session) = issued_outcome(
                bundle,
                target,
                assertion,
                issued,
                tries.retried.as_deref(),
                budget,
            );
            (out, Some(session))
        }
        _ => (not_issued(target, &secrets.response(resp), tries), None),
    }
}

/// The outcome of an answer that issued no token, from its scrubbed copy.
pub(super) fn not_issued(target: &Target, resp: &Response, tries: &Attempts) -> Outcome {
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
pub(super) fn not_json_outcome(
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
pub(super) fn body_size(resp: &Response) -> String {
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
            .map(|ct| format!(", {}", one_line_limited(ct, 80)))
            .unwrap_or_default()
    )
}

/// Who the token is for, as the identity URL of the answer says.
pub(super) fn org_and_user(issued: &Issued) -> String {
    match (&issued.org_id, &issued.user_id) {
        (Some(o), Some(u)) => format!("org {o}, user {u}"),
        _ => match &issued.id {
            Some(id) => format!(
                "org and user unknown (the id {} is not an identity URL)",
                crate::text::quoted(id)
            ),
            None => "org and user unknown (no id in the answer)".to_string(),
        },
    }
}

/// The outcome of an answer that issued a token, and the session the checks after it use.
pub(super) fn issued_outcome(
    bundle: &Bundle,
    target: &Target,
    assertion: &str,
    issued: Issued,
    retried: Option<&str>,
    budget: Budget,
) -> (Outcome, Session) {
    let user = bundle
        .username
        .as_ref()
        .map(|u| crate::text::quoted(&u.value))
        .unwrap_or_else(|| "the user".into());
    let shown = |v: &Option<String>| v.as_deref().map(|s| one_line_limited(s, 200));
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
    let session = Session::of(issued, target.url, assertion.to_string(), budget);
    (out, session)
}

pub(super) fn redirect_outcome(resp: &Response, endpoint: &str, location: Option<&str>) -> Outcome {
    let to = location
        .map(|l| format!(" to {}", crate::text::quoted(l)))
        .unwrap_or_default();
    let entry = errors::catalog().get(errors::ids::LIGHTNING_HOST_REDIRECT);
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
    .with("catalog_id", errors::ids::LIGHTNING_HOST_REDIRECT);
    if let Some(l) = location {
        out = out.with("location", one_line_limited(l, 300));
    }
    out
}

/// A finding from the error catalog's match of an answer (or, when nothing matched, from the
/// status alone).
pub(super) fn catalog_outcome(
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
            out = out.with("error", one_line_limited(&e, 100));
        }
        if let Some(d) = description {
            out = out.with("error_description", one_line_limited(&d, 300));
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
        out = out.with("error", one_line_limited(&err, 100));
    }
    if let Some(d) = description {
        out = out.with("error_description", one_line_limited(&d, 300));
    }
    out
}

/// What an error answer said: its `error` and `error_description`, or what its body is.
pub(super) fn what_it_said(
    resp: &Response,
    size: &str,
    error: Option<&str>,
    description: Option<&str>,
) -> String {
    match (error, description) {
        (Some(e), Some(d)) => format!(
            "{} / {}",
            one_line_limited(e, 100),
            one_line_limited(d, 300)
        ),
        (Some(e), None) => one_line_limited(e, 100),
        (None, Some(d)) => one_line_limited(d, 300),
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
pub(super) fn html_title(body: &[u8]) -> Option<String> {
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
    (!title.is_empty()).then(|| one_line_limited(&title, 120))
}

pub(super) fn shown_fields(fields: &[String]) -> Vec<String> {
    fields
        .iter()
        .take(20)
        .map(|f| one_line_limited(f, 60))
        .collect()
}

pub(super) fn field_list(fields: &[String]) -> String {
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
/// `bound` says what bounded the request, e.g. "2 s (--timeout)"; `extras` are the CA files
/// the client trusted (for a TLS failure).
pub(super) fn fault(target: &Target, f: &Failure, bound: &str, extras: &Extras) -> Outcome {
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
        Fault::Tls => {
            let (message, fix) = super::tls::handshake_failed(host, detail, extras);
            (message, fix, &[5, 7])
        }
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

/// Sends the test assertion to the token endpoint (and retries a transient answer once), and
/// makes the outcome of what came back; an issued token is kept in `scratch` for the checks
/// after it.
pub(super) fn exchange(
    bundle: &Bundle,
    ctx: &Context,
    scratch: &mut Scratch,
    target: &Target,
    client: &reqwest::blocking::Client,
    minted: &Minted,
    made_now: bool,
) -> Outcome {
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
    let arrived = std::time::SystemTime::now();
    let secrets = Secrets::new(bundle, &minted.token, None);
    let out = match &tries.result {
        Ok(resp) => {
            let (out, session) = answered(
                bundle,
                target,
                &secrets,
                &minted.token,
                resp,
                &tries,
                budget,
            );
            scratch.live = session;
            out
        }
        Err(f) => fault(target, f, &budget.describe(tries.bound), &ctx.http.extras),
    };
    let out = match (&tries.result, &scratch.live) {
        _ if !ctx.probe_audiences => out,
        (Ok(_), None) => {
            let sent = if tries.retried.is_some() { 2 } else { 1 };
            let first = super::probe::First {
                minted,
                budget,
                sent,
                outcome: out,
            };
            super::probe::probe(bundle, ctx, scratch, target, first)
        }
        (Ok(_), Some(_)) => out.with("probe", "not needed: the configured pair works"),
        (Err(_), _) => out.with("probe", "not tried: the token endpoint did not answer"),
    };
    let out = match &scratch.live {
        Some(session) => super::probe::pin_my_domain(out, target, session, &minted.claims.aud),
        None => out,
    };
    let sent = format!(
        "POST {endpoint} (application/x-www-form-urlencoded: grant_type={JWT_BEARER_GRANT}, assertion=<the test assertion for {}, not shown>)",
        one_line_limited(&minted.claims.sub, 100)
    );
    let out = match &tries.result {
        Ok(resp) => super::clock::judged(
            out,
            super::clock::offset(resp, arrived),
            resp.date.as_deref(),
        ),
        Err(_) => out,
    };
    let out = exchange_evidence(out, &sent, &tries, &budget, elapsed, made_now, &secrets);
    let out = super::tls::with_ca_files(out, &ctx.http.extras)
        .with("endpoint", endpoint.as_str())
        .with(
            "assertion_fingerprint",
            crate::fingerprint::fingerprint(minted.token.as_bytes()),
        );
    // The access token, when one was issued, is scrubbed too.
    match &scratch.live {
        Some(session) => secrets.with_token(&session.access_token).scrub(out),
        None => secrets.scrub(out),
    }
}
