//! After the live checks: the token token.exchange got is revoked.

use super::*;
use crate::text::one_line_limited;

/// Where to end a session sfjwt could not revoke.
pub(super) const END_SESSION: &str = "the session stays valid until it times out; to end it now, remove it in Setup > Session Management, or revoke the app's tokens on the user's detail page (OAuth Connected Apps > Revoke)";

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
pub(super) fn revoked(result: Result<&Response, &str>) -> Result<u16, String> {
    let r = result.map_err(str::to_string)?;
    if (200..300).contains(&r.status) {
        return Ok(r.status);
    }
    let said = match token::json_object(r) {
        Ok(obj) => [obj.get("error"), obj.get("error_description")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|s| one_line_limited(s, 200))
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
