//! `--format text`. STUB.
use super::Report;
pub fn render(report: &Report) -> String {
    format!("{:?}\n", report)
}
