//! `iss` (the consumer key) and `sub` (the username).

use serde_json::{Map, Value};

use super::*;

// --- iss -------------------------------------------------------------------------------------

const ISS_FIX: &str = "Put the app's Consumer Key in iss: Setup > App Manager (or External Client App Manager) > the app > Settings > OAuth Settings > Consumer Key and Secret.";

pub(super) fn iss(
    c: &Map<String, Value>,
    expected: Option<&str>,
    judged_by: Option<&'static str>,
) -> Vec<RuleResult> {
    let iss = match c.get("iss") {
        None => {
            return vec![
                fail(
                    RuleId::IssPresent,
                    "there is no iss claim: Salesforce finds the app by it (invalid_client_id / client identifier invalid)",
                    ISS_FIX,
                ),
                see(RuleId::IssFormat, "no iss", RuleId::IssPresent),
                see(RuleId::IssMatches, "no iss", RuleId::IssPresent),
            ];
        }
        Some(Value::String(s)) => s.as_str(),
        Some(v) => {
            return vec![
                fail(
                    RuleId::IssPresent,
                    format!("iss is {}, not a string", json_kind(v)),
                    ISS_FIX,
                ),
                see(RuleId::IssFormat, "iss is not a string", RuleId::IssPresent),
                see(
                    RuleId::IssMatches,
                    "iss is not a string",
                    RuleId::IssPresent,
                ),
            ];
        }
    };
    let a = assess_consumer_key(iss);
    let format = match judged_by {
        Some(check) if a.status >= Status::Warn && expected == Some(iss) => {
            left_to(RuleId::IssFormat, "iss is the consumer key given", check)
        }
        _ => r(
            RuleId::IssFormat,
            a.status,
            format!("iss: {}", a.message),
            a.fix,
        ),
    };
    let matches = match expected {
        None => skip(
            RuleId::IssMatches,
            "no consumer key was given to compare iss with (--consumer-key)",
        ),
        Some(key) if key == iss => pass(RuleId::IssMatches, "iss is the consumer key given"),
        Some(key) if key.trim() == iss.trim() => fail(
            RuleId::IssMatches,
            "iss and the consumer key given differ only in whitespace around them; Salesforce compares them exactly (client identifier invalid)",
            "Trim the whitespace where iss is set, or from the consumer key given.",
        ),
        Some(key) => fail(
            RuleId::IssMatches,
            format!(
                "iss {} is not the consumer key given ({}): Salesforce would look up another app (invalid_client_id / client identifier invalid)",
                key_label(iss),
                key_label(key)
            ),
            format!("{ISS_FIX} Use the same value where the token is built and in --consumer-key."),
        ),
    };
    vec![pass(RuleId::IssPresent, "iss is present"), format, matches]
}

/// A consumer key as messages show it: its first 8 characters, or nothing when it is no key.
fn key_label(key: &str) -> String {
    let t = key.trim();
    if t.starts_with("3MVG") {
        shorten_key(t)
    } else {
        format!("({} characters, not shown)", key.chars().count())
    }
}

// --- sub -------------------------------------------------------------------------------------

const SUB_FIX: &str = "Put the Username of the user the integration acts as in sub: Setup > Users > the user > Username (not the Email).";

pub(super) fn sub(
    c: &Map<String, Value>,
    expected: Option<&str>,
    judged_by: Option<&'static str>,
) -> Vec<RuleResult> {
    let (present, subject) = match subject_claim(c) {
        Ok(found) => found,
        Err(results) => return results,
    };
    let prn = c.get("prn");
    let claim = if prn.is_some() { "prn" } else { "sub" };
    let a = assess_username(subject);
    let format = match judged_by {
        Some(check) if a.status >= Status::Warn && expected == Some(subject) => left_to(
            RuleId::SubFormat,
            &format!("{claim} is the username given"),
            check,
        ),
        _ => r(
            RuleId::SubFormat,
            a.status,
            format!("{claim}: {}", a.message),
            a.fix,
        ),
    };
    let matches = sub_matches(claim, subject, expected);
    vec![present, format, matches]
}

/// `sub.present`, and the subject (from `prn` when there is one); the three results when there
/// is no subject to judge.
fn subject_claim(c: &Map<String, Value>) -> Result<(RuleResult, &str), Vec<RuleResult>> {
    let skip_rest = |why: &str| {
        vec![
            see(RuleId::SubFormat, why, RuleId::SubPresent),
            see(RuleId::SubMatches, why, RuleId::SubPresent),
        ]
    };
    let sub = c.get("sub");
    let prn = c.get("prn");
    Ok(match (sub, prn) {
        (None, None) => {
            let mut v = vec![fail(
                RuleId::SubPresent,
                "there is no sub claim: Salesforce doesn't know which user the assertion is for (user hasn't approved this consumer)",
                SUB_FIX,
            )];
            v.extend(skip_rest("no sub"));
            return Err(v);
        }
        (_, Some(p)) if !p.is_string() => {
            let mut v = vec![fail(
                RuleId::SubPresent,
                format!(
                    "prn is {}, not a string; Salesforce reads prn before sub",
                    json_kind(p)
                ),
                "Drop prn and send the username in sub.",
            )];
            v.extend(skip_rest("prn is not a string"));
            return Err(v);
        }
        (Some(s), None) if !s.is_string() => {
            let mut v = vec![fail(
                RuleId::SubPresent,
                format!("sub is {}, not a string", json_kind(s)),
                SUB_FIX,
            )];
            v.extend(skip_rest("sub is not a string"));
            return Err(v);
        }
        (Some(s), None) => (
            pass(RuleId::SubPresent, "sub is present"),
            s.as_str().unwrap_or_default(),
        ),
        (None, Some(p)) => (
            info_fix(
                RuleId::SubPresent,
                "the subject is in the legacy prn claim, which Salesforce still accepts; sub is the documented name",
                "Send the username in sub instead of prn.",
            ),
            p.as_str().unwrap_or_default(),
        ),
        (Some(s), Some(p)) => {
            let p = p.as_str().unwrap_or_default();
            if s.as_str() == Some(p) {
                (
                    info_fix(
                        RuleId::SubPresent,
                        "both sub and the legacy prn are present, with the same value; Salesforce reads prn",
                        "Send sub only.",
                    ),
                    p,
                )
            } else {
                (
                    warn(
                        RuleId::SubPresent,
                        format!(
                            "both sub ({}) and the legacy prn ({}) are present and differ: when both are given, Salesforce uses prn",
                            crate::text::one_line_json(s, true),
                            crate::text::quoted(p)
                        ),
                        "Send the username in sub only, and drop prn.",
                    ),
                    p,
                )
            }
        }
    })
}

fn sub_matches(claim: &str, subject: &str, expected: Option<&str>) -> RuleResult {
    match expected {
        None => skip(
            RuleId::SubMatches,
            "no username was given to compare the subject with (--username)",
        ),
        Some(u) if u == subject => {
            pass(RuleId::SubMatches, format!("{claim} is the username given"))
        }
        Some(u) if u.eq_ignore_ascii_case(subject) => warn(
            RuleId::SubMatches,
            format!(
                "{claim} {} and the username given {} differ only in case; whether Salesforce matches usernames case-insensitively here is not documented",
                crate::text::quoted(subject),
                crate::text::quoted(u)
            ),
            "Use the Username exactly as Setup > Users shows it, in both places.",
        ),
        Some(u) => fail(
            RuleId::SubMatches,
            format!(
                "{claim} {} is not the username given ({}): the assertion acts for another user, or none (user hasn't approved this consumer)",
                crate::text::quoted(subject),
                crate::text::quoted(u)
            ),
            format!("{SUB_FIX} Use the same value where the token is built and in --username."),
        ),
    }
}
