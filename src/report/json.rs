//! `--format json`: the report as the schema in DESIGN.md, with the `summary` of its bundles
//! (counted as it is written, so it always agrees with `bundles`).

use std::io::{self, Write};

use serde::Serialize;

use super::spool::Spool;
use super::summary::Summary;
use super::totals::Totals;
use super::{BundleReport, Head, Render, Report, Tool};

/// The JSON document before its bundles: the contract's fields in the order a reader wants
/// them, counts before the bundles.
#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: &'a Tool,
    evaluated_at: &'a str,
    summary: Summary,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

pub fn render(report: &Report) -> String {
    super::render(report, super::ReportFormat::Json)
}

/// The summary's `expiring` as serde writes it when empty, where the entries are put.
const EMPTY_EXPIRING: &str = "\"expiring\": []";

/// `--format json`: the same document for one bundle or a million. The bundles are spooled as
/// they finish (each as it will be written), the document is written at the end: its head with
/// the summary counted from them, the `expiring` entries streamed from their spool, then the
/// bundles copied.
#[derive(Debug, Default)]
pub struct Json {
    bundles: Spool,
}

impl Render for Json {
    fn bundle(&mut self, _: &Head<'_>, b: &BundleReport, _: &mut dyn Write) -> io::Result<()> {
        let sep: &[u8] = if self.bundles.is_empty() {
            b"\n    "
        } else {
            b",\n    "
        };
        self.bundles.push(sep)?;
        let mut text = serde_json::to_string_pretty(b).map_err(io::Error::other)?;
        // JSON strings hold no raw line breaks: every one is between tokens.
        text = text.replace('\n', "\n    ");
        self.bundles.push(text.as_bytes())?;
        Ok(())
    }

    fn finish(
        &mut self,
        head: &Head<'_>,
        totals: &mut Totals,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        let doc = Document {
            schema_version: head.schema_version,
            tool: head.tool,
            evaluated_at: head.evaluated_at,
            summary: totals.summary_without_expiring(),
            notes: &totals.notes,
        };
        let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
        let at = text.find(EMPTY_EXPIRING).expect("the summary has expiring");
        w.write_all(&text.as_bytes()[..at])?;
        w.write_all(b"\"expiring\": [")?;
        let mut first = true;
        totals.expiring(None, |e| {
            let entry = serde_json::to_string_pretty(&e).map_err(io::Error::other)?;
            w.write_all(if first { b"\n      " } else { b",\n      " })?;
            first = false;
            w.write_all(entry.replace('\n', "\n      ").as_bytes())
        })?;
        if !first {
            w.write_all(b"\n    ")?;
        }
        w.write_all(b"]")?;
        let rest = &text[at + EMPTY_EXPIRING.len()..];
        // The head ends with the document's closing brace: the bundles go before it.
        let rest = rest.strip_suffix("\n}").unwrap_or(rest);
        w.write_all(rest.as_bytes())?;
        w.write_all(b",\n  \"bundles\": [")?;
        let any = !self.bundles.is_empty();
        self.bundles.copy_to(w)?;
        w.write_all(if any { b"\n  ]\n}\n" } else { b"]\n}\n" })
    }
}

/// `--format jsonl`: one bundle per line, as it finishes, for log pipelines: each line the
/// bundle's JSON object (`name`, `verdict`, `checks` as in the JSON report) with the run's
/// `schema_version`, `tool` and `evaluated_at`, so that every line stands alone. No summary
/// line: every line has the same shape (count verdicts with `jq -s`).
#[derive(Debug, Default)]
pub struct Lines;

#[derive(Serialize)]
struct Line<'a> {
    schema_version: u32,
    tool: &'a Tool,
    evaluated_at: &'a str,
    #[serde(flatten)]
    bundle: &'a BundleReport,
}

impl Render for Lines {
    fn bundle(&mut self, head: &Head<'_>, b: &BundleReport, w: &mut dyn Write) -> io::Result<()> {
        let line = Line {
            schema_version: head.schema_version,
            tool: head.tool,
            evaluated_at: head.evaluated_at,
            bundle: b,
        };
        serde_json::to_writer(&mut *w, &line).map_err(io::Error::other)?;
        w.write_all(b"\n")
    }

    fn finish(&mut self, _: &Head<'_>, _: &mut Totals, _: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::report::testing::{bundle, finding};

    /// The document written in pieces (head and summary at the end, bundles spooled, expiring
    /// streamed) is byte for byte the one serde writes of the whole report at once.
    #[test]
    fn the_streamed_document_is_the_whole_document() {
        let mut expiring = finding("cert.validity", Status::Warn);
        expiring.evidence = serde_json::Map::from_iter([
            (
                "not_after".to_string(),
                serde_json::json!("2026-12-10T00:00:00Z"),
            ),
            ("days_left".to_string(), serde_json::json!(10)),
        ])
        .into();
        let mut report = Report {
            schema_version: 1,
            tool: Tool::this(),
            evaluated_at: "2026-11-29T13:00:00Z".into(),
            bundles: vec![
                bundle(
                    "a",
                    vec![finding("key.parse", Status::Pass), expiring.clone()],
                ),
                bundle("b", vec![]),
                bundle("c", vec![expiring]),
            ],
            run: Default::default(),
        };
        report.run.notes = vec!["a note".into()];
        #[derive(Serialize)]
        struct Whole<'a> {
            schema_version: u32,
            tool: &'a Tool,
            evaluated_at: &'a str,
            summary: Summary,
            notes: &'a [String],
            bundles: &'a [BundleReport],
        }
        let whole = Whole {
            schema_version: 1,
            tool: &report.tool,
            evaluated_at: &report.evaluated_at,
            summary: Summary::of(&report),
            notes: &report.run.notes,
            bundles: &report.bundles,
        };
        let want = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(render(&report), want);
    }

    #[test]
    fn the_summary_counts_bundles_by_verdict_and_checks_by_status() {
        let report = Report {
            schema_version: 1,
            tool: Tool::this(),
            evaluated_at: "2026-11-29T13:00:00Z".into(),
            bundles: vec![
                bundle("a", vec![finding("key.parse", Status::Pass)]),
                bundle(
                    "b",
                    vec![
                        finding("key.parse", Status::Fail),
                        finding("cert.parse", Status::Skip),
                    ],
                ),
                bundle("c", vec![finding("cert.validity", Status::Warn)]),
            ],
            run: Default::default(),
        };
        let text = render(&report);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json["summary"],
            serde_json::json!({"bundles": 3, "pass": 1, "warn": 1, "fail": 1,
                "checks": {"pass": 1, "info": 0, "warn": 1, "fail": 1, "skip": 1},
                "expiring": []})
        );
        // Counts first, so a reader of a long report sees them before the bundles.
        assert!(text.find("\"summary\"").unwrap() < text.find("\"bundles\"").unwrap());
    }
}
