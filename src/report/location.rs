//! Where a finding sits, for the reports that point at files (GitHub annotations, SARIF): the
//! file its value came from and the line, as the checks layer put them in its evidence
//! (`file`, `line`: [`crate::checks::location`]), else the key or certificate file of the
//! bundle for `key.*` and `cert.*`.

use serde_json::Value;

use super::BundleReport;
use super::summary::evidence_str;
use crate::finding::Finding;

/// A place in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub file: &'a str,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// The file a finding is about, and where in it when known.
pub fn of<'a>(bundle: &'a BundleReport, f: &'a Finding) -> Option<Place<'a>> {
    let number = |key: &str| f.evidence.get(key).and_then(Value::as_u64);
    if let Some(file) = evidence_str(f, "file") {
        return Some(Place {
            file,
            line: number("line"),
            column: number("column"),
        });
    }
    let from = if f.id.starts_with("key.") {
        "key.parse"
    } else if f.id.starts_with("cert.") {
        "cert.parse"
    } else {
        return None;
    };
    let file = bundle.finding(from).and_then(|p| evidence_str(p, "file"))?;
    Some(Place {
        file,
        line: None,
        column: None,
    })
}

/// A place for every finding, as SARIF needs one: the finding's own ([`of`]), else the bundle's
/// `sfjwt.toml`, key or certificate file, else the bundle directory itself (`None` for a bundle
/// made of flags alone, that has no file at all).
pub fn or_bundle<'a>(bundle: &'a BundleReport, f: &'a Finding) -> Option<Place<'a>> {
    of(bundle, f).or_else(|| {
        let file = ["config.parse", "key.parse", "cert.parse"]
            .iter()
            .find_map(|id| bundle.finding(id).and_then(|p| evidence_str(p, "file")))?;
        Some(Place {
            file,
            line: None,
            column: None,
        })
    })
}
