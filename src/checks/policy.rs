//! Per-check policy: `--allow ID`, `--warn ID`, `--deny ID` (repeatable) and `[checks]` in a
//! bundle's sfjwt.toml (`allow = [...]`, `warn = [...]`, `deny = [...]`). An id or a prefix
//! (`app`, `cert`) names checks; the most specific pattern wins, and at equal length the
//! command line wins over sfjwt.toml. Only warnings and failures change: `allow` reports them as
//! `info`, `warn` lowers a failure to a warning, `deny` raises a warning to a failure. A changed
//! finding says so in its message and in `evidence.policy`, so nothing allowed is silently gone.

use serde_json::json;

use super::REGISTRY;
use crate::finding::{Finding, Status};

/// What a pattern does to the findings it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

/// One pattern of the policy and where it was given (`--allow key.file-permissions`, `allow in
/// b/sfjwt.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub level: Level,
    pub pattern: String,
    pub by: String,
}

/// Why a pattern names no check: "no check is named X; did you mean Y? The checks are ...".
pub fn pattern_problem(pattern: &str) -> Option<String> {
    let pattern = pattern.trim();
    if REGISTRY.iter().any(|c| covers(pattern, c.id)) {
        return None;
    }
    let shown = crate::text::display_safe(pattern);
    let known = prefixes_and_ids();
    let closest = known
        .iter()
        .map(|k| {
            (
                crate::salesforce::hosts::edit_distance(k, &pattern.to_ascii_lowercase()),
                k,
            )
        })
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| *k);
    Some(match closest {
        Some(k) => format!(
            "no check is named `{shown}`; did you mean `{k}`? (`sfjwt explain` lists the checks)"
        ),
        None => {
            let prefixes: Vec<&str> = known.iter().copied().filter(|k| !k.contains('.')).collect();
            format!(
                "no check is named `{shown}`; a pattern is a check id (`sfjwt explain` lists them) or the prefix of one: {}",
                prefixes.join(", ")
            )
        }
    })
}

/// Every prefix (`key`, `cert`, ...) and every id, for did-you-mean.
fn prefixes_and_ids() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for c in REGISTRY {
        let prefix = c.id.split('.').next().unwrap_or(c.id);
        if !out.contains(&prefix) {
            out.push(prefix);
        }
    }
    out.extend(REGISTRY.iter().map(|c| c.id));
    out
}

/// Whether `pattern` names the check `id`: the id itself, or a prefix of it up to a `.`.
fn covers(pattern: &str, id: &str) -> bool {
    id == pattern
        || id
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The rule that decides for `id`: the longest pattern that covers it, the last of equal length
/// (`rules` lists sfjwt.toml's first, then the command line's).
fn deciding<'a>(rules: &'a [Rule], id: &str) -> Option<&'a Rule> {
    rules
        .iter()
        .enumerate()
        .filter(|(_, r)| covers(r.pattern.trim(), id))
        .max_by_key(|(i, r)| (r.pattern.trim().len(), *i))
        .map(|(_, r)| r)
}

/// The rules of the bundle's `[checks]`, or the failure of config.parse that says which pattern
/// names no check, in which file.
pub fn bundle_rules(bundle: &crate::bundle::Bundle) -> Result<Vec<Rule>, crate::finding::Outcome> {
    let Some((path, policy)) = &bundle.check_policy else {
        return Ok(Vec::new());
    };
    let mut rules = Vec::new();
    for (level, patterns) in [
        (Level::Allow, &policy.allow),
        (Level::Warn, &policy.warn),
        (Level::Deny, &policy.deny),
    ] {
        let name: &str = level.into();
        for pattern in patterns {
            if let Some(problem) = pattern_problem(pattern) {
                return Err(crate::finding::Outcome::fail(
                    format!("{}: [checks] {name}: {problem}", path.display()),
                    format!(
                        "Correct the pattern in {}: a check id (`sfjwt explain` lists them) or its prefix, such as `key` or `app`",
                        path.display()
                    ),
                )
                .with("file", path.display().to_string()));
            }
            rules.push(Rule {
                level,
                pattern: pattern.trim().to_owned(),
                by: format!("{name} in {}", path.display()),
            });
        }
    }
    Ok(rules)
}

/// Applies the policy to one bundle's findings.
pub fn apply(findings: &mut [Finding], rules: &[Rule]) {
    if rules.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        let was = f.status;
        if !matches!(was, Status::Warn | Status::Fail) {
            continue;
        }
        let Some(rule) = deciding(rules, f.id) else {
            continue;
        };
        let (now, words) = match (rule.level, was) {
            (Level::Allow, _) => (Status::Info, "allowed"),
            (Level::Warn, Status::Fail) => (Status::Warn, "lowered to a warning"),
            (Level::Deny, Status::Warn) => (Status::Fail, "raised to a failure"),
            _ => continue,
        };
        let would = if was == Status::Fail { "fail" } else { "warn" };
        f.message = format!("{} [{words} by {}: it would {would}]", f.message, rule.by);
        f.status = now;
        let mut evidence = f.evidence.to_map();
        evidence.insert(
            "policy".into(),
            json!({"level": <&str>::from(rule.level), "by": rule.by, "was": was.as_str()}),
        );
        f.evidence = evidence.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &'static str, status: Status) -> Finding {
        Finding {
            id,
            status,
            steps: vec![1],
            title: "t",
            message: "m".into(),
            fix: Some("f".into()),
            evidence: serde_json::Map::new().into(),
        }
    }

    fn rule(level: Level, pattern: &str, by: &str) -> Rule {
        Rule {
            level,
            pattern: pattern.into(),
            by: by.into(),
        }
    }

    #[test]
    fn patterns_name_ids_or_prefixes_and_unknown_ones_get_a_did_you_mean() {
        assert!(pattern_problem("key.file-permissions").is_none());
        assert!(pattern_problem("app").is_none());
        assert!(pattern_problem("cert").is_none());
        let p = pattern_problem("key.file-permision").unwrap();
        assert!(p.contains("did you mean `key.file-permissions`"), "{p}");
        let p = pattern_problem("ke").unwrap();
        assert!(p.contains("did you mean `key`"), "{p}");
        assert!(pattern_problem("").is_some());
        assert!(
            pattern_problem("zzzzzzzzzzzz")
                .unwrap()
                .contains("config, key, cert")
        );
        assert!(!covers("key.file", "key.file-permissions"));
        assert!(covers("key", "key.file-permissions"));
    }

    #[test]
    fn the_most_specific_pattern_wins_and_the_command_line_breaks_ties() {
        let rules = [
            rule(Level::Deny, "key", "deny in b/sfjwt.toml"),
            rule(
                Level::Allow,
                "key.file-permissions",
                "--allow key.file-permissions",
            ),
            rule(Level::Warn, "cert", "warn in b/sfjwt.toml"),
            rule(Level::Deny, "cert", "--deny cert"),
        ];
        let mut f = [
            finding("key.file-permissions", Status::Warn),
            finding("key.strength", Status::Warn),
            finding("cert.validity", Status::Warn),
            finding("cert.parse", Status::Pass),
            finding("username.format", Status::Fail),
        ];
        apply(&mut f, &rules);
        assert_eq!(f[0].status, Status::Info);
        assert_eq!(
            f[0].message,
            "m [allowed by --allow key.file-permissions: it would warn]"
        );
        assert_eq!(f[0].evidence.get("policy").unwrap()["was"], "warn");
        assert_eq!(f[1].status, Status::Fail);
        assert!(
            f[1].message
                .ends_with("[raised to a failure by deny in b/sfjwt.toml: it would warn]")
        );
        assert_eq!(
            f[2].status,
            Status::Fail,
            "--deny cert wins over warn in sfjwt.toml"
        );
        assert_eq!((f[3].status, f[3].message.as_str()), (Status::Pass, "m"));
        assert_eq!((f[4].status, f[4].message.as_str()), (Status::Fail, "m"));
        let mut g = [finding("cert.validity", Status::Fail)];
        apply(
            &mut g,
            &[rule(Level::Warn, "cert.validity", "--warn cert.validity")],
        );
        assert_eq!(g[0].status, Status::Warn);
        assert!(g[0].message.contains("lowered to a warning"));
    }
}
