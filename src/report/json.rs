//! `--format json`: the report as the schema in DESIGN.md.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report always serialises");
    out.push('\n');
    out
}
