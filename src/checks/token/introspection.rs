//! token.introspection: what the introspection endpoint's answer becomes.

use super::*;
use crate::text::one_line_limited;

/// The outcome of an answer from the introspection endpoint.
pub(super) fn introspection_answer(endpoint: &str, from: &str, resp: &Response) -> Outcome {
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
pub(super) fn introspection_error(
    endpoint: &str,
    from: &str,
    status: u16,
    error: Option<String>,
    description: Option<String>,
) -> Outcome {
    let raw = [error.as_deref(), description.as_deref()]
        .into_iter()
        .flatten()
        .map(|s| one_line_limited(s, 200))
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
        out = out.with("error", one_line_limited(&e, 100));
    }
    if let Some(d) = description {
        out = out.with("error_description", one_line_limited(&d, 300));
    }
    out
}

pub(super) fn active_outcome(endpoint: &str, from: &str, obj: &Map<String, Value>) -> Outcome {
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(|s| one_line_limited(s, 200))
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

/// Introspects the token `token.exchange` got, with the consumer key and secret, and makes the
/// outcome of the answer.
pub(super) fn introspect(
    bundle: &Bundle,
    ctx: &Context,
    session: &Session,
    consumer_key: &Setting,
    secret: &Secret,
) -> Outcome {
    let secrets = Secrets::new(bundle, &session.assertion, Some(session));
    let client = match ctx.http.client(session.loopback) {
        Ok(c) => c,
        Err(e) => {
            return Outcome::warn(
                format!("no request was sent: {e}"),
                "Report it with this message.",
            );
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
        return secrets.scrub(
            Outcome::warn(
                format!(
                    "the introspection request to {endpoint} was not sent: too little was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout), and what was left went to revoking the token; the exchange itself worked",
                    token::seconds(session.budget.total())
                ),
                "Run again, with a longer --timeout on a slow link; check the network path to the login host.",
            )
            .with("problem", "no-time-left")
            .with("endpoint", endpoint.as_str()),
        );
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
    secrets.scrub(out.with("endpoint", endpoint.as_str()))
}
