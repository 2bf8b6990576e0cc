//! Whether a username fits the environment (production or sandbox) of the login URL.

use super::*;
use crate::salesforce::hosts::{Environment, HostKind, LoginUrl, Partition};

pub fn is_common_tld(label: &str) -> bool {
    COMMON_TLDS.contains(&label.to_ascii_lowercase().as_str())
}

/// `uat`, `UAT2`, `dev1` → true: a typical sandbox name, trailing digits ignored.
pub fn is_typical_sandbox_suffix(suffix: &str) -> bool {
    let lower = suffix.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    TYPICAL_SANDBOX_SUFFIXES.contains(&stem)
}

/// The sandbox suffix a username's domain seems to carry, lower-cased: `acme.com.uat` → `uat`,
/// `acme.com.dev` → `dev`, `acme.dev` → none, `acme.co.uk` → none. A heuristic: it relies on
/// [`COMMON_TLDS`].
pub fn sandbox_suffix(domain: &str) -> Option<String> {
    let labels: Vec<String> = domain.split('.').map(|l| l.to_ascii_lowercase()).collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let last = &labels[labels.len() - 1];
    let prev = &labels[labels.len() - 2];
    if !is_common_tld(last) {
        return Some(last.clone());
    }
    let compound = COMPOUND_SUFFIXES.contains(&format!("{prev}.{last}").as_str());
    if labels.len() >= 3 && is_common_tld(prev) && !compound {
        return Some(last.clone());
    }
    None
}

/// Whether a username fits the environment the login URL points at. A heuristic: sandbox copies
/// append `.<sandbox name>` to usernames, but usernames can be edited, and production usernames
/// may end in anything. Returns a `Skip` assessment when there is nothing to compare.
pub fn assess_username_environment(username: &str, url: &LoginUrl) -> Judgement {
    let Some(parts) = split_username(username) else {
        return skip(
            "no-domain",
            "the username has no part after '@' to compare with the environment (see username.format)",
        );
    };
    let host = &url.host;
    if url.kind == HostKind::Loopback {
        return skip(
            "loopback",
            format!(
                "the login URL is a loopback address ({host}), which doesn't say whether the org is a sandbox"
            ),
        );
    }
    if url.environment == Environment::Unknown {
        return skip(
            "unknown-environment",
            format!(
                "{host} is {}, which doesn't say whether the org is production or a sandbox",
                url.describe()
            ),
        );
    }
    if url.partition == Some(Partition::Scratch) {
        return Judgement::pass(
            "scratch-org",
            format!(
                "{host} is a scratch org, whose usernames carry no sandbox suffix: nothing to compare"
            ),
        );
    }
    let domain = parts.domain.to_ascii_lowercase();
    let suffix = sandbox_suffix(&domain);
    let shown_user = quoted(username);
    match url.environment {
        Environment::Sandbox => sandbox_verdict(url, &domain, suffix, &shown_user, host),
        Environment::Production => match suffix {
            Some(s) if is_typical_sandbox_suffix(&s) => Judgement::warn(
                "sandbox-suffix-on-production",
                format!(
                    "the username {shown_user} ends in .{s}, which looks like a sandbox suffix, but {host} logs in to production; a heuristic, as production usernames may end in .{s} too"
                ),
                format!(
                    "If the user lives in a sandbox, use https://test.salesforce.com or the sandbox's My Domain URL (https://<name>--{s}.sandbox.my.salesforce.com) as the login URL. If this is a production username, ignore this warning."
                ),
            ),
            Some(s) => Judgement::info(
                "uncommon-tld-on-production",
                format!(
                    "the username {shown_user} ends in .{s}, not a common top-level domain; if that is a sandbox name, the user lives in a sandbox and {host} (production) won't find it"
                ),
            ),
            None => Judgement::pass(
                "no-sandbox-suffix",
                format!(
                    "the username {shown_user} has no sandbox suffix, as expected for {host} (production)"
                ),
            ),
        },
        Environment::Unknown => skip(
            "unknown-environment",
            format!("{host} doesn't say whether the org is production or a sandbox"),
        ),
    }
}

/// The username against a sandbox login URL: the sandbox's own suffix when the host names it,
/// any sandbox-like suffix otherwise.
fn sandbox_verdict(
    url: &LoginUrl,
    domain: &str,
    suffix: Option<String>,
    shown_user: &str,
    host: &str,
) -> Judgement {
    if let Some(name) = url.sandbox.as_deref() {
        let name = name.to_ascii_lowercase();
        if domain.ends_with(&format!(".{name}")) {
            return Judgement::pass(
                "matches-sandbox",
                format!("the username {shown_user} ends in .{name}, the sandbox named in {host}"),
            );
        }
        let fix = format!(
            "Open Setup > Users in the sandbox \"{name}\" and copy the Username: a sandbox copy appends .{name} to production usernames (jane@acme.com becomes jane@acme.com.{name}). If the user lives in another org, point the login URL at that org."
        );
        return match suffix {
            Some(s) => Judgement::warn(
                "other-sandbox-suffix",
                format!(
                    "the username {shown_user} ends in .{s}, but {host} is the sandbox \"{name}\", whose usernames usually end in .{name}; a heuristic, as usernames can be edited"
                ),
                fix,
            ),
            None => Judgement::warn(
                "no-sandbox-suffix",
                format!(
                    "the username {shown_user} has no sandbox suffix, but {host} is the sandbox \"{name}\", whose usernames usually end in .{name}; a heuristic, as usernames can be edited"
                ),
                fix,
            ),
        };
    }
    match suffix {
        Some(s) => Judgement::pass(
            "sandbox-suffix",
            format!(
                "the username {shown_user} ends in .{s}, which looks like a sandbox suffix, as {host} expects"
            ),
        ),
        None => Judgement::warn(
            "no-sandbox-suffix",
            format!(
                "the username {shown_user} has no sandbox suffix, but {host} logs in to sandboxes, whose usernames usually end in .<sandbox name>; a heuristic, and scratch-org users have none"
            ),
            "If the user lives in a sandbox, copy its Username from Setup > Users in that sandbox (e.g. jane@acme.com.uat). If it lives in production, use https://login.salesforce.com or the production My Domain URL as the login URL.",
        ),
    }
}
