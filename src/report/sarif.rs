//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning and the other tools that read static
//! analysis results. One run; its rules are the registry's checks (id, title, what the check
//! looks at, how to fix it, a link to docs/checks.md); one result per finding that reports a
//! problem (fail: `error`, warn: `warning`) or that the per-check policy allowed (`note`, with
//! an accepted suppression that says who allowed it, so that it is visible, never silently
//! gone). Every result has a physical location, as code scanning requires: the file the finding
//! is about and, for a value of `sfjwt.toml`, its line ([`super::location`]).
//!
//! Paths are written as relative URI references, as given (run sfjwt from the repository root
//! with relative bundle paths, as for `--format github`). `partialFingerprints` hold the
//! bundle's name and the check id, hashed, so that code scanning keeps one alert per bundle
//! and check across runs whatever the message says (a certificate's days left change daily).
//!
//! Written as the bundles finish: the head, each bundle's results, then the invocation.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Value, json};

use super::location;
use super::totals::Totals;
use super::{BundleReport, Head, Render};
use crate::checks::REGISTRY;
use crate::finding::{Finding, Status};

/// The schema the document names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `partialFingerprints` key of sfjwt's own fingerprint (its version, should the recipe
/// change).
pub const FINGERPRINT_KEY: &str = "sfjwtBundleCheck/v1";

/// The SARIF renderer: the head at the start, results as each bundle finishes, the invocation
/// at the end.
#[derive(Debug, Default)]
pub struct Sarif {
    /// A result was written: the next one needs a comma first.
    written: bool,
}

impl Render for Sarif {
    fn start(&mut self, _: &Head<'_>, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::new();
        head(&mut out);
        w.write_all(out.as_bytes())
    }

    fn bundle(&mut self, _: &Head<'_>, b: &BundleReport, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::new();
        bundle(&mut out, b, &mut self.written);
        w.write_all(out.as_bytes())
    }

    fn finish(
        &mut self,
        head: &Head<'_>,
        totals: &mut Totals,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        let mut out = String::new();
        tail(&mut out, head, &totals.notes);
        w.write_all(out.as_bytes())
    }
}

/// `value` as pretty JSON, every line after the first indented by `indent` spaces.
fn pretty(value: &Value, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    // JSON strings hold no raw line breaks: every one is between tokens.
    text.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

/// The document up to its results: the tool and its rules.
fn head(out: &mut String) {
    let driver = json!({
        "name": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": REGISTRY.iter().map(|c| rule(c)).collect::<Vec<_>>(),
    });
    let _ = write!(
        out,
        "{{\n  \"$schema\": \"{SCHEMA_URI}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\n        \"driver\": {}\n      }},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
        pretty(&driver, 8)
    );
}

/// One rule: a check of the registry.
fn rule(c: &crate::checks::Check) -> Value {
    let anchor = c.id.replace('.', "-");
    let steps: Vec<String> = c
        .steps
        .iter()
        .map(|s| format!("step-{}", s.number()))
        .collect();
    json!({
        "id": c.id,
        "name": pascal(c.id),
        "shortDescription": {"text": c.title},
        "fullDescription": {"text": format!("{} {}", c.docs.passes_when, c.docs.what)},
        "help": {
            "text": format!("{}\n\nWhy: {}\n\nMore: sfjwt explain {} (docs/checks.md#{anchor})", c.docs.fix, c.docs.why, c.id),
            "markdown": format!("{}\n\n**Why:** {}\n\nMore: `sfjwt explain {}`, [docs/checks.md](docs/checks.md#{anchor})", c.docs.fix, c.docs.why, c.id),
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": steps, "group": c.group.name()},
    })
}

/// A rule's name, as SARIF wants an identifier: `cert.matches-key` is `CertMatchesKey`.
fn pascal(id: &str) -> String {
    id.split(['.', '-'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// A bundle's results, each after a comma but the run's first.
fn bundle(out: &mut String, b: &BundleReport, written: &mut bool) {
    for f in &b.checks {
        let Some(level) = level(f) else { continue };
        out.push_str(if *written {
            ",\n        "
        } else {
            "\n        "
        });
        *written = true;
        out.push_str(&pretty(&result(b, f, level), 8));
    }
}

/// The SARIF level of a finding that is reported, `None` for one that is not.
fn level(f: &Finding) -> Option<&'static str> {
    match f.status {
        Status::Fail => Some("error"),
        Status::Warn => Some("warning"),
        Status::Info if f.evidence.contains_key("policy") => Some("note"),
        _ => None,
    }
}

fn result(b: &BundleReport, f: &Finding, level: &str) -> Value {
    let rule_index = REGISTRY.iter().position(|c| c.id == f.id);
    let mut message = f.message.clone();
    if let Some(fix) = &f.fix {
        let _ = write!(message, "\nFix: {fix}");
    }
    let mut result = json!({
        "ruleId": f.id,
        "level": level,
        "message": {"text": message},
        "locations": [location_of(b, f)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(&b.name, f.id)},
        "properties": {"bundle": b.name, "status": f.status.as_str(), "steps": f.steps},
    });
    if let Some(i) = rule_index {
        result["ruleIndex"] = json!(i);
    }
    if let Some(policy) = f.evidence.get("policy") {
        result["properties"]["policy"] = policy.clone();
    }
    if let Some(policy) = f
        .evidence
        .get("policy")
        .filter(|_| f.status == Status::Info)
    {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("allowed by the per-check policy ({})", policy_words(policy)),
        }]);
    }
    result
}

fn policy_words(policy: &Value) -> String {
    match policy {
        Value::String(s) => s.clone(),
        other => other
            .get("by")
            .and_then(Value::as_str)
            .map_or_else(|| other.to_string(), str::to_string),
    }
}

/// A physical location for every result: code scanning refuses a result without one.
fn location_of(b: &BundleReport, f: &Finding) -> Value {
    let place = location::or_bundle(b, f);
    let (uri, line, column) = match place {
        Some(p) => (uri(p.file), p.line, p.column),
        // A bundle of flags alone has no file: the current directory stands for it.
        None => (uri("."), None, None),
    };
    let mut region = json!({"startLine": line.unwrap_or(1).max(1)});
    if let Some(c) = column {
        region["startColumn"] = json!(c.max(1));
    }
    json!({
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": region},
        "logicalLocations": [{"name": b.name, "kind": "module"}],
    })
}

/// A path as a URI reference: `/` between parts, and every byte outside the unreserved set and
/// `/` percent-encoded; an absolute path becomes a `file:` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A stable fingerprint of a bundle and a check: the first 16 hex digits of SHA-256.
fn fingerprint(bundle: &str, id: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(format!("{bundle}\u{0}{id}").as_bytes());
    digest[..8].iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The end of the document: the invocation and the run's notes.
fn tail(out: &mut String, report: &Head<'_>, notes: &[String]) {
    let mut invocation = json!({"executionSuccessful": true});
    if !report.run.generated_at.is_empty() {
        invocation["endTimeUtc"] = json!(report.run.generated_at);
    }
    if !notes.is_empty() {
        invocation["toolExecutionNotifications"] = notes
            .iter()
            .map(|n| json!({"level": "note", "message": {"text": n}}))
            .collect();
    }
    let properties = json!({"evaluated_at": report.evaluated_at});
    let _ = write!(
        out,
        "\n      ],\n      \"invocations\": [\n        {}\n      ],\n      \"properties\": {}\n    }}\n  ]\n}}\n",
        pretty(&invocation, 8),
        pretty(&properties, 6)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("./fixtures/valid/server.key"),
            "fixtures/valid/server.key"
        );
        assert_eq!(uri("a b/sfjwt.toml"), "a%20b/sfjwt.toml");
        assert_eq!(uri("/abs/x#y"), "file:///abs/x%23y");
        assert_eq!(uri("dir\\file"), "dir/file");
    }

    #[test]
    fn rule_names_are_identifiers() {
        assert_eq!(pascal("cert.matches-key"), "CertMatchesKey");
        assert_eq!(pascal("app.jwt-flow"), "AppJwtFlow");
    }

    #[test]
    fn fingerprints_depend_on_bundle_and_check_only() {
        assert_eq!(fingerprint("b", "key.parse"), fingerprint("b", "key.parse"));
        assert_ne!(fingerprint("b", "key.parse"), fingerprint("c", "key.parse"));
        assert_ne!(
            fingerprint("b", "key.parse"),
            fingerprint("b", "cert.parse")
        );
        assert_eq!(fingerprint("b", "key.parse").len(), 16);
    }
}
