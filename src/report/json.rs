//! `--format json`: the report as the schema in DESIGN.md, with the `summary` of its bundles
//! (counted as it is written, so it always agrees with `bundles`).

use std::io::Write as _;

use serde::Serialize;

use super::summary::Summary;
use super::{BundleReport, Report, Tool};

/// The JSON document: the contract's fields in the order a reader wants them, counts before the
/// bundles.
#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: &'a Tool,
    evaluated_at: &'a str,
    summary: Summary,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    bundles: &'a [BundleReport],
}

fn document(report: &Report) -> Document<'_> {
    Document {
        schema_version: report.schema_version,
        tool: &report.tool,
        evaluated_at: &report.evaluated_at,
        summary: Summary::of(report),
        notes: &report.run.notes,
        bundles: &report.bundles,
    }
}

pub fn render(report: &Report) -> String {
    let mut out =
        serde_json::to_string_pretty(&document(report)).expect("a report always serialises");
    out.push('\n');
    out
}

/// Writes the report as JSON, streaming: nothing is built in memory first.
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &document(report))?;
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::report::testing::{bundle, finding};

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
