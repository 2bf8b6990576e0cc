//! What a check says about one bundle: a status, a message in plain words, the fix, and evidence.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::redact::Redactor;

/// The outcome of one check. Ordered from least to most severe, so `max` gives the worst.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    /// Not applicable, or its input is missing: the message says which.
    Skip,
    /// The check holds.
    Pass,
    /// Worth knowing, nothing to fix.
    Info,
    /// Likely to cause trouble, or bad practice.
    Warn,
    /// Will make the JWT Bearer login fail.
    Fail,
}

/// The one severity rule every check follows, status by status, most severe first: what
/// docs/checks.md states and what a check's status must mean.
pub const SEVERITY_RULE: &[(Status, &str)] = &[
    (
        Status::Fail,
        "Salesforce refuses it (documented, or seen answered with an error), or sfjwt cannot look at what a login needs: a bundle directory without its key or certificate. Examples: a key that does not match the certificate, a consumer key cut short with an ellipsis, plain http to a login host, a setup-guide placeholder as the login URL.",
    ),
    (
        Status::Warn,
        "Salesforce accepts it today, but it should be fixed, or it will fail soon or under conditions the run cannot see; and what is unconfirmed, saying so in the message. Examples: an expired certificate (Salesforce still accepts it for JWT logins; `--expiry-fail-days N` makes expiry fail), a SHA-1 certificate, a certificate expiring within `--expiry-warn-days`, a key file others can read, a key or certificate not given at all when only flags are used. `--fail-on warning` makes warnings fail the run.",
    ),
    (
        Status::Info,
        "True and worth knowing, nothing to fix, or not verifiable offline: a loopback emulator URL, a declared custom domain.",
    ),
    (Status::Pass, "The check holds."),
    (
        Status::Skip,
        "Not applicable, or an optional input is missing; the message says which, or names the check whose finding explains it (see key.parse).",
    ),
];

impl Status {
    /// Its name, as the JSON report writes it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a check's function returns: the framework adds the check's id, title and steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub fix: Option<String>,
    pub evidence: Map<String, Value>,
    /// Overrides the check's own steps (for findings whose cause points elsewhere).
    pub steps: Option<Vec<u8>>,
}

impl Outcome {
    fn new(status: Status, message: impl Into<String>, fix: Option<String>) -> Self {
        Outcome {
            status,
            message: message.into(),
            fix,
            evidence: Map::new(),
            steps: None,
        }
    }
    pub fn pass(message: impl Into<String>) -> Self {
        Self::new(Status::Pass, message, None)
    }
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Status::Info, message, None)
    }
    pub fn skip(reason: impl Into<String>) -> Self {
        Self::new(Status::Skip, reason, None)
    }
    pub fn warn(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Warn, message, Some(fix.into()))
    }
    pub fn fail(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Fail, message, Some(fix.into()))
    }
    /// Adds one piece of evidence (never a secret).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }
    pub fn with_steps(mut self, steps: &[u8]) -> Self {
        self.steps = Some(steps.to_vec());
        self
    }
}

/// What knowledge code (below the checks) says about one value: the one result type there.
/// `code` is a stable, machine-readable name for what was found (evidence `problem`, an
/// annotation's title); the message takes the value's noun from its caller, so no one edits a
/// message after the fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub status: Status,
    pub code: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl Judgement {
    pub fn new(
        status: Status,
        code: &'static str,
        message: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Judgement {
            status,
            code,
            message: message.into(),
            fix,
        }
    }
    pub fn pass(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Status::Pass, code, message, None)
    }
    pub fn info(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(Status::Info, code, message, None)
    }
    pub fn warn(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Warn, code, message, Some(fix.into()))
    }
    pub fn fail(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Fail, code, message, Some(fix.into()))
    }
}

impl From<Judgement> for Outcome {
    /// The judgement as a check's outcome; its code is not evidence unless the check adds it.
    fn from(j: Judgement) -> Self {
        Outcome::new(j.status, j.message, j.fix)
    }
}

/// One check's result on one bundle, as reported (JSON contract: id, status, steps, title,
/// message, fix, evidence).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub status: Status,
    pub steps: Vec<u8>,
    pub title: &'static str,
    pub message: String,
    pub fix: Option<String>,
    pub evidence: Evidence,
}

/// A finding's evidence: JSON values by name, in name order. It serialises as the JSON object
/// of the [`Map`] it is made from, but is held in one boxed slice instead of a B-tree: a report
/// of ten thousand bundles keeps half a million of these entries, and B-tree nodes made the
/// evidence most of a report's memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(Box<[(Box<str>, Entry)]>);

/// The value of one piece of evidence. A value with a JSON object inside (the test assertion's
/// rules, header and claims) is kept as compact JSON text: as a `Value`, every small object is a
/// B-tree node of over 600 bytes, and these objects were half of a fleet report's memory
/// (docs/performance.md). Reading it parses it once and keeps the result; writing a report parses
/// it for the moment only, so a fleet's report never holds them all parsed at once.
#[derive(Debug, Clone)]
enum Entry {
    Plain(Value),
    /// Boxed, so that the plain entries, most of them, stay the size of a `Value`.
    Packed(Box<Packed>),
}

#[derive(Debug, Clone)]
struct Packed {
    json: Box<str>,
    parsed: OnceLock<Value>,
}

impl Entry {
    fn new(value: Value) -> Self {
        if has_object(&value)
            && !has_float(&value)
            && let Ok(json) = serde_json::to_string(&value)
        {
            return Entry::Packed(Box::new(Packed {
                json: json.into_boxed_str(),
                parsed: OnceLock::new(),
            }));
        }
        Entry::Plain(value)
    }

    fn value(&self) -> &Value {
        match self {
            Entry::Plain(v) => v,
            Entry::Packed(p) => p.parsed.get_or_init(|| unpack(&p.json)),
        }
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

/// The value of packed evidence; the text was written by `serde_json` from a `Value`, so it
/// always parses.
fn unpack(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or(Value::Null)
}

fn has_object(v: &Value) -> bool {
    match v {
        Value::Object(_) => true,
        Value::Array(items) => items.iter().any(has_object),
        _ => false,
    }
}

/// Floats are left as they are: text would give them back exactly only with serde_json's
/// `float_roundtrip`.
fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(m) => m.values().any(has_float),
        _ => false,
    }
}

impl Finding {
    /// Makes the finding safe to print: every secret `secrets` knows redacted, then every text
    /// made display-safe ([`crate::text`]), in the message, the fix and all the evidence.
    pub fn sanitize(&mut self, secrets: &Redactor) {
        secrets.sanitize(&mut self.message);
        if let Some(fix) = &mut self.fix {
            secrets.sanitize(fix);
        }
        // A packed value needs nothing when its JSON text holds no escape that stands for a
        // character display-safe text escapes (`\"` stands for a quote, which it does not, unless
        // a secret holds one), none of the other characters it escapes, and no secret.
        let maybe = |json: &str| {
            let escape = if secrets.json_escapes_a_secret() {
                json.contains('\\')
            } else {
                json.split('\\')
                    .skip(1)
                    .any(|after| !after.starts_with('"'))
            };
            escape
                || json.contains("::")
                || json.contains("##[")
                || json.chars().any(crate::text::needs_escape)
                || secrets.finds_in(json)
        };
        self.evidence
            .rewrite(maybe, |value| secrets.sanitize_json(value));
    }
}

impl Evidence {
    /// Lets `f` rewrite every value; `f` says whether it changed one. Packed values are read
    /// for the moment only, and packed again when they changed; one whose JSON text `maybe`
    /// says holds nothing to rewrite is not read at all.
    pub fn rewrite(&mut self, maybe: impl Fn(&str) -> bool, f: impl Fn(&mut Value) -> bool) {
        for (_, entry) in self.0.iter_mut() {
            match entry {
                Entry::Plain(v) => {
                    f(v);
                }
                Entry::Packed(p) if maybe(&p.json) => {
                    let mut v = unpack(&p.json);
                    if f(&mut v) {
                        *entry = Entry::new(v);
                    }
                }
                Entry::Packed(_) => {}
            }
        }
    }

    /// Adds one piece of evidence, or replaces the value of one with that name.
    pub fn insert(&mut self, key: &str, value: Value) {
        match self.0.binary_search_by(|(k, _)| (**k).cmp(key)) {
            Ok(i) => self.0[i].1 = Entry::new(value),
            Err(i) => {
                let mut entries = std::mem::take(&mut self.0).into_vec();
                entries.insert(i, (key.into(), Entry::new(value)));
                self.0 = entries.into_boxed_slice();
            }
        }
    }

    /// The value of one piece of evidence.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(key))
            .ok()
            .map(|i| self.0[i].1.value())
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.binary_search_by(|(k, _)| (**k).cmp(key)).is_ok()
    }
    /// The entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (&**k, v.value()))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The evidence as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
}

impl From<Map<String, Value>> for Evidence {
    fn from(map: Map<String, Value>) -> Self {
        // `Map` iterates in key order (serde_json without `preserve_order`); sorting keeps
        // `get`'s binary search right either way.
        let mut entries: Vec<(Box<str>, Entry)> = map
            .into_iter()
            .map(|(k, mut v)| {
                if let Value::String(s) = &mut v {
                    s.shrink_to_fit();
                }
                (k.into_boxed_str(), Entry::new(v))
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Evidence(entries.into_boxed_slice())
    }
}

/// `evidence["key"]`, `Value::Null` when there is no such evidence (as for a JSON value).
impl std::ops::Index<&str> for Evidence {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0.iter() {
            match v {
                Entry::Plain(v) => map.serialize_entry(&**k, v)?,
                Entry::Packed(p) => match p.parsed.get() {
                    Some(v) => map.serialize_entry(&**k, v)?,
                    None => map.serialize_entry(&**k, &unpack(&p.json))?,
                },
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_severity_rule_states_every_status_once_most_severe_first() {
        let statuses: Vec<Status> = SEVERITY_RULE.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses,
            [
                Status::Fail,
                Status::Warn,
                Status::Info,
                Status::Pass,
                Status::Skip
            ]
        );
    }

    #[test]
    fn status_names_are_the_json_names() {
        for s in [
            Status::Skip,
            Status::Pass,
            Status::Info,
            Status::Warn,
            Status::Fail,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(Status::Warn.as_str(), "warn");
    }
    use super::*;

    #[test]
    fn evidence_reads_and_serialises_like_the_map_it_came_from() {
        let mut map = Map::new();
        map.insert("zeta".into(), Value::from(1));
        map.insert("alpha".into(), Value::from("a"));
        map.insert("mid".into(), Value::from(vec!["x", "y"]));
        let ev = Evidence::from(map.clone());
        assert_eq!(ev.get("alpha"), Some(&Value::from("a")));
        assert_eq!(ev["zeta"], 1);
        assert_eq!(ev["missing"], Value::Null);
        assert!(ev.contains_key("mid") && !ev.contains_key("nope"));
        assert_eq!(ev.len(), 3);
        assert_eq!(
            serde_json::to_string(&ev).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        assert_eq!(ev.to_map(), map);
        assert!(Evidence::default().is_empty());
    }

    #[test]
    fn a_plain_entry_is_the_size_of_a_value() {
        assert_eq!(std::mem::size_of::<Entry>(), std::mem::size_of::<Value>());
    }

    #[test]
    fn evidence_with_objects_inside_is_packed_and_reads_and_serialises_the_same() {
        let map: Map<String, Value> = serde_json::from_str(
            r#"{"rules": [{"id": "alg", "status": "pass", "message": "alg is RS256"},
                          {"id": "exp", "status": "warn", "message": "m", "fix": "f"}],
                "header": {"alg": "RS256"},
                "claims": {"exp": 1795957380, "aud": "https://login.salesforce.com", "x": [1, {"y": null}]},
                "ratio": {"f": 0.1},
                "details": ["header {\"alg\":\"RS256\"}"],
                "bits": 2048}"#,
        )
        .unwrap();
        let ev = Evidence::from(map.clone());
        let packed = |k: &str| {
            let i = ev.0.iter().position(|(key, _)| &**key == k).unwrap();
            matches!(ev.0[i].1, Entry::Packed(_))
        };
        assert!(packed("rules") && packed("header") && packed("claims"));
        assert!(!packed("ratio"), "floats stay values");
        assert!(!packed("details") && !packed("bits"));
        // Written before and after a read: the same text as the map's, pretty or not.
        for _ in 0..2 {
            assert_eq!(
                serde_json::to_string_pretty(&ev).unwrap(),
                serde_json::to_string_pretty(&map).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&ev).unwrap(),
                serde_json::to_string(&map).unwrap()
            );
            assert_eq!(ev["rules"][1]["fix"], "f");
        }
        assert_eq!(ev["claims"], map["claims"]);
        assert_eq!(ev.to_map(), map);
        assert_eq!(ev, Evidence::from(map.clone()));
        assert!(ev.contains_key("header"));
    }
}
