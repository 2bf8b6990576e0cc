//! The report: one value that every renderer takes.

pub mod json;
pub mod text;

use serde::Serialize;

use crate::finding::{Finding, Status};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Tool {
    pub fn this() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A bundle's overall result: the worst status among its findings, where `info` and `skip`
/// count as `pass`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn of(findings: &[Finding]) -> Self {
        findings
            .iter()
            .map(|f| match f.status {
                Status::Fail => Verdict::Fail,
                Status::Warn => Verdict::Warn,
                _ => Verdict::Pass,
            })
            .max()
            .unwrap_or(Verdict::Pass)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BundleReport {
    pub name: String,
    pub verdict: Verdict,
    pub checks: Vec<Finding>,
}

impl BundleReport {
    pub fn new(name: String, checks: Vec<Finding>) -> Self {
        BundleReport {
            name,
            verdict: Verdict::of(&checks),
            checks,
        }
    }
}

/// The result of one `sfjwt check` run (JSON contract, schema_version 1).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339, UTC.
    pub evaluated_at: String,
    pub bundles: Vec<BundleReport>,
}

impl Report {
    pub fn verdict(&self) -> Verdict {
        self.bundles
            .iter()
            .map(|b| b.verdict)
            .max()
            .unwrap_or(Verdict::Pass)
    }
}
