//! `--probe-audiences`: when the token endpoint refuses the configured pair of token host and
//! `aud` for a reason another pair can fix, try the others, at most [`MAX_TOKEN_REQUESTS`] token
//! requests in all (the first exchange and its retry included), and stop at the first that
//! issues a token. The pairs are {the configured host, the org's My Domain} × {the generic host
//! of the org's environment, the My Domain}, the way the Salesforce CLI tries them (sfdx-core
//! `getLoginAudienceCombos`), but said out loud. Every request goes only to a Salesforce login
//! host of the configured URL's environment, over HTTPS (`hosts::parse` accepts it, no
//! custom-domain declaration); the token a pair issues is the bundle's session, revoked after
//! the checks like any other.

use super::*;
use crate::salesforce::hosts::{self, Environment, GENERIC_PRODUCTION, GENERIC_SANDBOX, HostKind};
use crate::text::one_line_limited;

/// The most token requests one bundle sends with `--probe-audiences`.
pub const MAX_TOKEN_REQUESTS: usize = 4;

/// The catalog entries of refusals a change of host or `aud` can fix (salesforce-jwt.md §2.4):
/// an audience the host does not take, a user "not approved" through a host the org does not
/// log in through, an External Client App that refuses the generic `aud` (`app_not_found`).
const PROBED_ON: &[&str] = &[
    errors::ids::AUDIENCE_INVALID,
    "user-not-approved",
    "app-not-found",
];

/// One pair of token endpoint and `aud`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pair {
    pub(super) url: LoginUrl,
    pub(super) aud: String,
}

impl Pair {
    fn describe(&self) -> String {
        format!("{} with aud {}", self.url.token_endpoint(), self.aud)
    }
}

fn is_my_domain(kind: HostKind) -> bool {
    matches!(
        kind,
        HostKind::MyDomain | HostKind::MyDomainSandbox | HostKind::MyDomainPartition(_)
    )
}

/// The org's My Domain as far as the bundle says it: the login URL, or an `--audience` /
/// `audience` that is one, of the login URL's environment.
fn my_domain(login: &LoginUrl, audience: Option<&Setting>) -> Option<LoginUrl> {
    if is_my_domain(login.kind) {
        return Some(login.clone());
    }
    let aud = hosts::parse(&audience?.value).ok()?;
    (is_my_domain(aud.kind) && aud.scheme == "https" && aud.environment == login.environment)
        .then_some(aud)
}

/// The pairs left to try after `tried`, in the order to try them, and why the My Domain is
/// not among them when it is not known.
pub(super) fn candidates(
    login: &LoginUrl,
    audience: Option<&Setting>,
    tried: &str,
) -> (Vec<Pair>, Option<String>) {
    let generic = match login.environment {
        Environment::Production => Some(GENERIC_PRODUCTION.to_string()),
        Environment::Sandbox => Some(GENERIC_SANDBOX.to_string()),
        Environment::Unknown => None,
    };
    let eligible = !login.is_loopback() && !login.kind.is_declared() && !login.kind.is_site();
    if !eligible {
        return (
            Vec::new(),
            Some(format!(
                "{} is not a Salesforce login host whose pairs can be probed",
                login.base_url()
            )),
        );
    }
    let mine = my_domain(login, audience);
    let unknown = mine.is_none().then(|| {
        format!("the org's My Domain is not known: give it as the login URL ({}) or as the audience to probe it too", inputs::LOGIN_URL.flag)
    });
    let mut endpoints: Vec<LoginUrl> = mine.iter().cloned().collect();
    if !endpoints.iter().any(|e| e.origin() == login.origin()) {
        endpoints.push(login.clone());
    }
    let auds: Vec<String> = generic
        .into_iter()
        .chain(mine.map(|m| m.origin()))
        .collect();
    let mut pairs = Vec::new();
    for url in &endpoints {
        for aud in &auds {
            let is_tried = url.origin() == login.origin() && aud == tried;
            if !is_tried
                && !pairs
                    .iter()
                    .any(|p: &Pair| p.url.origin() == url.origin() && &p.aud == aud)
            {
                pairs.push(Pair {
                    url: url.clone(),
                    aud: aud.clone(),
                });
            }
        }
    }
    (pairs, unknown)
}

/// What one probe request got.
struct Tried {
    pair: Pair,
    said: String,
}

/// Whether the first exchange's refusal is one the probe may fix.
pub(super) fn worth_probing(out: &Outcome) -> bool {
    out.evidence
        .get("catalog_id")
        .and_then(Value::as_str)
        .is_some_and(|id| PROBED_ON.contains(&id))
}

/// What the first exchange was: its assertion, the bundle's time, how many token requests it
/// sent (2 after a retry), and its outcome.
pub(super) struct First<'a> {
    pub(super) minted: &'a Minted,
    pub(super) budget: Budget,
    pub(super) sent: usize,
    pub(super) outcome: Outcome,
}

/// Tries the other pairs after the first exchange was refused; on a success the bundle's
/// session is the token it issued. Amends the exchange's outcome with what was tried.
pub(super) fn probe(
    bundle: &Bundle,
    ctx: &Context,
    scratch: &mut Scratch,
    target: &Target,
    first: First<'_>,
) -> Outcome {
    let First {
        minted,
        budget,
        sent: sent_so_far,
        outcome: out,
    } = first;
    if !worth_probing(&out) {
        return out.with(
            "probe",
            "not tried: this refusal is not one another host or audience fixes",
        );
    }
    let (pairs, unknown) = candidates(target.url, bundle.audience.as_ref(), &minted.claims.aud);
    let Some(key) = bundle.private_key() else {
        return out;
    };
    let room = MAX_TOKEN_REQUESTS.saturating_sub(sent_so_far);
    let mut tried: Vec<Tried> = Vec::new();
    let mut secrets = Secrets::new(bundle, &minted.token, None);
    for pair in pairs.into_iter().take(room) {
        let Some(bound) = budget.next_request_sharing() else {
            break;
        };
        match attempt(ctx, key, minted, &pair, (bound, budget), &mut secrets) {
            Ok(session) => {
                scratch.live = Some(session);
                return worked(
                    out,
                    &tried,
                    &pair,
                    unknown.as_deref(),
                    sent_so_far,
                    &secrets,
                );
            }
            Err(said) => tried.push(Tried { pair, said }),
        }
    }
    none_worked(out, &tried, unknown.as_deref(), sent_so_far, &secrets)
}

/// One probe request: a new assertion with the pair's `aud`, to the pair's endpoint.
/// `time` is the request's bound and the bundle's budget (which the session keeps).
fn attempt(
    ctx: &Context,
    key: &crate::bundle::key::PrivateKey,
    minted: &Minted,
    pair: &Pair,
    time: (Duration, Budget),
    secrets: &mut Secrets,
) -> Result<Session, String> {
    let (bound, budget) = time;
    let mut claims = minted.claims.clone();
    claims.aud = pair.aud.clone();
    let mut assertion = crate::jwt::mint(key, &claims).map_err(|e| format!("not sent: {e}"))?;
    secrets.0.add(&assertion, "signed assertion");
    pair.url
        .may_receive_assertion()
        .map_err(|e| format!("not sent: {e}"))?;
    let client = ctx
        .http
        .client(pair.url.is_loopback())
        .map_err(|e| format!("not sent: {e}"))?;
    let fields = [
        ("grant_type", JWT_BEARER_GRANT),
        ("assertion", assertion.as_str()),
    ];
    let result = token::post_form(client, &pair.url.token_endpoint(), &fields, bound);
    let resp = match result {
        Ok(r) => r,
        Err(f) => {
            zeroize::Zeroize::zeroize(&mut assertion);
            return Err(format!("no answer ({}: {})", f.fault.as_str(), f.detail));
        }
    };
    match token::parse_token_response(&resp) {
        TokenAnswer::Issued(issued) => {
            secrets.0.add(issued.access_token.expose(), "access token");
            let issued = secrets.issued(*issued);
            Ok(Session::of(issued, &pair.url, assertion, budget))
        }
        other => {
            zeroize::Zeroize::zeroize(&mut assertion);
            let shown = secrets.response(&resp);
            Err(match (other, token::parse_token_response(&shown)) {
                (
                    TokenAnswer::OAuthError { .. },
                    TokenAnswer::OAuthError { error, description },
                ) => {
                    format!(
                        "HTTP {}: {}",
                        shown.status,
                        [error, description]
                            .into_iter()
                            .flatten()
                            .map(|s| one_line_limited(&s, 200))
                            .collect::<Vec<_>>()
                            .join(" / ")
                    )
                }
                _ => format!("HTTP {}, no token", shown.status),
            })
        }
    }
}

/// The lines of evidence for what the probe tried.
fn tried_evidence(tried: &[Tried], worked: Option<&Pair>) -> Vec<Value> {
    let mut rows: Vec<Value> = tried
        .iter()
        .map(|t| {
            serde_json::json!({
                "endpoint": t.pair.url.token_endpoint(),
                "audience": t.pair.aud,
                "result": t.said,
            })
        })
        .collect();
    if let Some(p) = worked {
        rows.push(serde_json::json!({
            "endpoint": p.url.token_endpoint(),
            "audience": p.aud,
            "result": "issued a token",
        }));
    }
    rows
}

/// The request lines of the probe, for the exchange's details.
fn with_request_lines(mut out: Outcome, tried: &[Tried], worked: Option<&Pair>) -> Outcome {
    let mut lines = match out.evidence.remove("details") {
        Some(Value::Array(l)) => l,
        _ => Vec::new(),
    };
    let line = |p: &Pair, result: &str| {
        Value::from(format!(
            "--probe-audiences: POST {} (assertion=<a test assertion with aud {}, not shown>) → {result}",
            p.url.token_endpoint(),
            p.aud
        ))
    };
    lines.extend(tried.iter().map(|t| line(&t.pair, &t.said)));
    if let Some(p) = worked {
        lines.push(line(p, "a token"));
    }
    out.evidence.insert("details".into(), Value::Array(lines));
    out
}

fn tried_words(tried: &[Tried]) -> String {
    tried
        .iter()
        .map(|t| format!("{} → {}", t.pair.describe(), t.said))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The exchange's outcome when a probed pair issued a token: still a failure of the configured
/// pair, whose fix is the pair that works.
fn worked(
    out: Outcome,
    tried: &[Tried],
    pair: &Pair,
    unknown: Option<&str>,
    sent_so_far: usize,
    secrets: &Secrets,
) -> Outcome {
    let pin = vec![
        format!("login_url = \"{}\"", pair.url.base_url()),
        format!("audience = \"{}\"", pair.aud),
    ];
    let before = if tried.is_empty() {
        String::new()
    } else {
        format!("{}; then ", tried_words(tried))
    };
    let mut message = format!(
        "{} --probe-audiences tried the other pairs of token host and aud: {before}{} issued a token, so that is the pair this org takes.",
        out.message,
        pair.describe()
    );
    if let Some(u) = unknown {
        message.push_str(&format!(" ({u}.)"));
    }
    let fix = format!(
        "Pin the pair that works in sfjwt.toml: `{}` and `{}` (or --login-url {} --audience {}), and give your integration the same token endpoint and aud. The token it issued was used for the checks after this one, then revoked.",
        pin[0],
        pin[1],
        pair.url.base_url(),
        pair.aud
    );
    let steps = [5];
    let requests = sent_so_far + tried.len() + 1;
    let out = with_request_lines(out, tried, Some(pair));
    secrets.scrub(
        Outcome {
            message,
            fix: Some(fix),
            steps: Some(steps.to_vec()),
            ..out
        }
        .with("probe", Value::from(tried_evidence(tried, Some(pair))))
        .with("token_requests", requests)
        .with("working_endpoint", pair.url.token_endpoint())
        .with("working_audience", pair.aud.as_str())
        .with("pin", Value::from(pin)),
    )
}

/// The exchange's outcome when no probed pair issued a token.
fn none_worked(
    mut out: Outcome,
    tried: &[Tried],
    unknown: Option<&str>,
    sent_so_far: usize,
    secrets: &Secrets,
) -> Outcome {
    let said = if tried.is_empty() {
        format!(
            " --probe-audiences had no other pair of token host and aud to try{}.",
            unknown.map(|u| format!(": {u}")).unwrap_or_default()
        )
    } else {
        format!(
            " --probe-audiences tried the other pairs of token host and aud: {}. None issued a token, so the host and the aud are not the cause{}.",
            tried_words(tried),
            unknown.map(|u| format!(" ({u})")).unwrap_or_default()
        )
    };
    out.message.push_str(&said);
    let out = with_request_lines(out, tried, None);
    secrets.scrub(
        out.with("probe", Value::from(tried_evidence(tried, None)))
            .with("token_requests", sent_so_far + tried.len()),
    )
}

/// After a token through a generic host (login.salesforce.com, test.salesforce.com): the org's
/// My Domain, from the `instance_url` Salesforce returned, and the lines that pin it (an
/// `info`: the exchange worked, but orgs that block the generic hosts, and External Client Apps
/// since Spring '26, need the My Domain).
pub(super) fn pin_my_domain(
    out: Outcome,
    target: &Target,
    session: &Session,
    aud: &str,
) -> Outcome {
    if !target.url.kind.is_generic() || out.status != crate::finding::Status::Pass {
        return out;
    }
    let Some(mine) = session
        .instance_url
        .as_deref()
        .and_then(|i| hosts::parse(i).ok())
        .filter(|u| is_my_domain(u.kind) && u.scheme == "https")
    else {
        return out;
    };
    let pin = vec![
        format!("login_url = \"{}\"", mine.origin()),
        format!("audience = \"{aud}\""),
    ];
    let message = format!(
        "{} It went through the generic host {}; this org's My Domain, as the instance_url of the answer says, is {}. Orgs that turn off logins through the generic hosts, and External Client Apps since Spring '26, need it.",
        out.message,
        target.url.host,
        mine.origin()
    );
    let fix = format!(
        "Pin the org's My Domain in sfjwt.toml: `{}`, keeping the aud that worked: `{}` (then `sfjwt check --live --probe-audiences` says whether the My Domain aud works too).",
        pin[0], pin[1]
    );
    Outcome {
        status: crate::finding::Status::Info,
        message,
        fix: Some(fix),
        ..out
    }
    .with("my_domain", mine.origin())
    .with("pin", Value::from(pin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Origin;

    fn pairs(login: &str, audience: Option<&str>, tried: &str) -> (Vec<(String, String)>, bool) {
        let url = hosts::parse(login).unwrap();
        let aud = audience.map(|a| Setting::new(a, Origin::Flag("--audience")));
        let (pairs, unknown) = candidates(&url, aud.as_ref(), tried);
        (
            pairs.into_iter().map(|p| (p.url.origin(), p.aud)).collect(),
            unknown.is_some(),
        )
    }

    #[test]
    fn the_pairs_are_host_by_aud_over_the_login_url_and_the_my_domain_without_the_tried_one() {
        let my = "https://acme.my.salesforce.com";
        let login = "https://login.salesforce.com";
        // A My Domain login URL whose own origin was the aud: the generic aud is left.
        assert_eq!(
            pairs(my, None, my),
            (vec![(my.into(), login.into())], false)
        );
        // The generic host with a My Domain audience: every other pair, My Domain first; with
        // the first exchange, 4 token requests at most.
        let (p, unknown) = pairs(login, Some(my), my);
        assert_eq!(
            p,
            vec![
                (my.into(), login.into()),
                (my.into(), my.into()),
                (login.into(), login.into()),
            ]
        );
        assert!(!unknown);
        assert!(p.len() < MAX_TOKEN_REQUESTS);
        // The generic host alone: nothing else is known to try, and it says why.
        assert_eq!(pairs(login, None, login), (vec![], true));
        // A sandbox: the generic aud is the sandbox's.
        let sbx = "https://acme--uat.sandbox.my.salesforce.com";
        assert_eq!(
            pairs(sbx, None, sbx).0,
            vec![(sbx.into(), "https://test.salesforce.com".into())]
        );
        // A production My Domain given as the audience of a sandbox login is not this org's
        // environment: never sent to; the sandbox's generic aud is tried instead.
        let test = "https://test.salesforce.com";
        assert_eq!(
            pairs(test, Some(my), my),
            (vec![(test.into(), test.into())], true)
        );
    }

    #[test]
    fn loopback_and_sites_are_never_probed() {
        assert!(
            pairs("http://127.0.0.1:8080", None, "http://127.0.0.1:8080")
                .0
                .is_empty()
        );
        assert!(
            pairs(
                "https://acme.my.site.com/partners",
                None,
                "https://acme.my.site.com/partners"
            )
            .0
            .is_empty()
        );
    }
}
