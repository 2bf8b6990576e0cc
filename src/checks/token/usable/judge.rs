//! What token.usable makes of the UserInfo endpoint's answer.

use super::*;

/// One thing wrong with a token that the UserInfo endpoint accepted.
struct Problem {
    what: String,
    steps: &'static [u8],
    fix: String,
}

/// The user, org and scopes of an accepted token, against what the bundle expects.
pub(super) fn judged(
    bundle: &Bundle,
    ctx: &Context,
    session: &Session,
    endpoint: &str,
    user: &UserInfo,
) -> Outcome {
    let mut problems = Vec::new();
    let org = user
        .organization_id
        .as_deref()
        .or(session.org_id.as_deref());
    if let (Some(expected), Some(org)) = (&bundle.expect_org, org)
        && !crate::salesforce::identity::same_id(&expected.value, org)
    {
        problems.push(Problem {
            what: format!("the token is for the org {org}, not the expected {} ({})", expected.value, expected.origin),
            steps: &[3, 5],
            fix: "The login URL and the consumer key reached another org: a refreshed sandbox gets a new org id, and a consumer key copied from another org's app logs in there. Use the My Domain and the app's consumer key of the org you mean, or correct --expect-org / org_id when the org id changed on purpose (Setup > Company Information > Salesforce.com Organization ID).".into(),
        });
    }
    problems.extend(user_problems(bundle, session, user));
    problems.extend(scope_problems(ctx, session));
    let about = about(user, org);
    let mut out = if problems.is_empty() {
        Outcome::pass(format!(
            "GET {endpoint} with the token → HTTP 200: {about}. The token works for API calls{}",
            match &bundle.expect_org {
                Some(e) => format!(", in the expected org ({})", e.origin),
                None => String::new(),
            }
        ))
    } else {
        let what: Vec<&str> = problems.iter().map(|p| p.what.as_str()).collect();
        let fix: Vec<&str> = problems.iter().map(|p| p.fix.as_str()).collect();
        let mut steps: Vec<u8> = problems
            .iter()
            .flat_map(|p| p.steps.iter().copied())
            .collect();
        steps.sort_unstable();
        steps.dedup();
        Outcome::fail(
            format!(
                "GET {endpoint} with the token → HTTP 200 ({about}), but {}",
                what.join("; and ")
            ),
            fix.join(" "),
        )
        .with_steps(&steps)
    };
    for (key, value) in [
        ("user_id", user.user_id.clone()),
        ("org_id", org.map(str::to_string)),
        ("username", user.preferred_username.clone()),
        ("user_type", user.user_type.clone()),
        (
            "expected_org",
            bundle.expect_org.as_ref().map(|e| e.value.clone()),
        ),
    ] {
        if let Some(v) = value {
            out = out.with(key, v);
        }
    }
    if let Some(active) = user.active {
        out = out.with("active", active);
    }
    scope_evidence(out, ctx, session)
}

/// "user integration@acme.com (0055g…), org 00D5g…, active".
fn about(user: &UserInfo, org: Option<&str>) -> String {
    let mut parts = Vec::new();
    match (&user.preferred_username, &user.user_id) {
        (Some(name), Some(id)) => parts.push(format!("user {name} ({id})")),
        (Some(name), None) => parts.push(format!("user {name}")),
        (None, Some(id)) => parts.push(format!("user {id}")),
        (None, None) => {}
    }
    if let Some(o) = org {
        parts.push(format!("org {o}"));
    }
    parts.push(
        match user.active {
            Some(true) => "active",
            Some(false) => "not active",
            None => "activity not said",
        }
        .into(),
    );
    parts.join(", ")
}

/// Whether the token's user is the assertion's `sub`, the identity URL's user, and active.
fn user_problems(bundle: &Bundle, session: &Session, user: &UserInfo) -> Vec<Problem> {
    let mut out = Vec::new();
    if let (Some(sub), Some(name)) = (&bundle.username, &user.preferred_username)
        && !sub.value.trim().eq_ignore_ascii_case(name.trim())
    {
        out.push(Problem {
            what: format!("the token's user is {name}, not the assertion's sub {}", crate::text::quoted(&sub.value)),
            steps: &[6],
            fix: "Salesforce logged in another user than the username names: check the username (setup step 6) and that no other tool rewrites the sub.".into(),
        });
    }
    if let (Some(a), Some(b)) = (&session.user_id, &user.user_id)
        && !crate::salesforce::identity::same_id(a, b)
    {
        out.push(Problem {
            what: format!("the UserInfo user {b} is not the user {a} of the token answer's identity URL"),
            steps: &[5],
            fix: "The token was answered for by another host than the one that issued it: send it to the instance_url of its own answer.".into(),
        });
    }
    if user.active == Some(false) {
        let fix = errors::catalog()
            .get(errors::ids::INACTIVE_USER)
            .map_or_else(String::new, |e| e.fix.trim().to_string());
        out.push(Problem {
            what: "the user is not active (\"active\": false)".into(),
            steps: &[6],
            fix,
        });
    }
    out
}

/// The `--require-scope` scopes the token lacks.
fn scope_problems(ctx: &Context, session: &Session) -> Vec<Problem> {
    if ctx.require_scopes.is_empty() {
        return Vec::new();
    }
    let granted = granted(session);
    let Some(named) = &session.scope else {
        return vec![Problem {
            what: format!(
                "the token answer named no scope, so --require-scope {} cannot be confirmed",
                ctx.require_scopes.join(" ")
            ),
            steps: &[2],
            fix: "Check the app's Selected OAuth Scopes (App Manager > the app > OAuth Settings)."
                .into(),
        }];
    };
    let missing: Vec<&str> = ctx
        .require_scopes
        .iter()
        .map(String::as_str)
        .filter(|s| !scopes::covers(&granted, s))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![Problem {
        what: format!(
            "its scopes \"{named}\" lack {} (--require-scope)",
            missing.join(", ")
        ),
        steps: &[2],
        fix: format!(
            "Add {} to the app's Selected OAuth Scopes: App Manager > the External Client App > Settings tab > OAuth Settings > Edit (Connected Apps: Edit > API (Enable OAuth Settings)). The JWT grant gets the app's scopes (it sends no scope parameter); a change can take a few minutes to apply.",
            missing.join(", ")
        ),
    }]
}

fn scope_evidence(mut out: Outcome, ctx: &Context, session: &Session) -> Outcome {
    let granted = granted(session);
    if session.scope.is_some() {
        out = out.with("scopes", Value::from(granted.clone()));
    }
    if !ctx.require_scopes.is_empty() {
        let missing: Vec<&str> = ctx
            .require_scopes
            .iter()
            .map(String::as_str)
            .filter(|s| session.scope.is_none() || !scopes::covers(&granted, s))
            .collect();
        out = out
            .with("required_scopes", Value::from(ctx.require_scopes.clone()))
            .with("missing_scopes", Value::from(missing));
    }
    out
}

/// The catalog entry of an identity service's refusal code (Salesforce Help, "Query for User
/// Information": its error codes).
fn entry_for(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_lowercase().as_str() {
        "bad_oauth_token" | "missing_oauth_token" => errors::ids::IDENTITY_BAD_OAUTH_TOKEN,
        "wrong_org" => errors::ids::IDENTITY_WRONG_ORG,
        "no_access" => errors::ids::IDENTITY_NO_ACCESS,
        "inactive" => errors::ids::INACTIVE_USER,
        "inactive_org" => errors::ids::INACTIVE_ORG,
        _ => return None,
    })
}

/// A refusal of the UserInfo endpoint: its code's catalog entry, or the catalog's match of the
/// body; a refusal that may be for want of an identity scope only warns.
pub(super) fn refused(
    session: &Session,
    endpoint: &str,
    resp: &Response,
    code: Option<&str>,
    description: Option<&str>,
) -> Outcome {
    let said = [code, description]
        .into_iter()
        .flatten()
        .map(|s| one_line_limited(s, 200))
        .collect::<Vec<_>>()
        .join(" / ");
    let said = if said.is_empty() {
        format!("{} bytes", resp.body.len())
    } else {
        said
    };
    let granted = granted(session);
    let no_identity_scope = !IDENTITY_SCOPES.iter().any(|s| scopes::covers(&granted, s));
    let entry = code
        .and_then(entry_for)
        .and_then(|id| errors::catalog().get(id))
        .or_else(|| {
            errors::match_response(resp.status, resp.content_type.as_deref(), &resp.body)
                .first()
                .map(|m| m.entry)
        });
    // No_Access, or a 403 the catalog does not know, from a token without an identity scope.
    let no_access = entry.is_some_and(|e| e.id == errors::ids::IDENTITY_NO_ACCESS);
    let scope_only = no_identity_scope && (no_access || (resp.status == 403 && entry.is_none()));
    let mut out = if scope_only {
        Outcome::warn(
            format!("HTTP {} from {endpoint}: {said}. The token's scopes (\"{}\") include none of the identity service's (id, openid, full), which the UserInfo endpoint may need: the token may still work for the REST API, but sfjwt could not confirm it", resp.status, session.scope.as_deref().unwrap_or("")),
            "To let sfjwt (and any tool that asks who is logged in) confirm the token, add \"Access the identity URL service (id, profile, email, address, phone)\" to the app's Selected OAuth Scopes. Otherwise, this warning only says the token was not confirmed.",
        )
        .with_steps(&[2])
        .with("problem", "no-identity-scope")
    } else if let Some(e) = entry {
        Outcome::fail(
            format!(
                "HTTP {} from {endpoint}: {said}. {}",
                resp.status,
                e.cause.trim()
            ),
            e.fix.trim(),
        )
        .with_steps(&e.steps)
        .with("catalog_id", e.id.as_str())
        .with("catalog_title", e.title.as_str())
    } else {
        Outcome::fail(
            format!("HTTP {} from {endpoint}: {said}; the token Salesforce issued a moment ago does not work for this API call, and the error catalog does not know this answer", resp.status),
            "Look the answer up with `sfjwt explain '<the answer>'`; check the user's profile (Session Security Level Required at Login: None; API Enabled) and the app's IP relaxation policy.",
        )
        .with_steps(&[4, 6])
    };
    if let Some(c) = code {
        out = out.with("error", one_line_limited(c, 100));
    }
    if let Some(d) = description {
        out = out.with("error_description", one_line_limited(d, 300));
    }
    out
}
