//! The report: one value that every renderer takes.

pub mod github;
pub mod json;
pub mod junit;
pub mod location;
pub mod markdown;
pub mod sarif;
pub mod summary;
pub mod text;

use serde::Serialize;

use crate::finding::{Finding, Status};

/// The formats of `sfjwt check` reports: one variant and its renderer per format; the tests and
/// `--output` iterate [`clap::ValueEnum::value_variants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
    Junit,
    Github,
    Sarif,
}

impl ReportFormat {
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The file name extensions that say this format, for `--output PATH` without `FORMAT=`
    /// and without `--format` (compared without regard to case).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ReportFormat::Text => &["txt", "log"],
            ReportFormat::Json => &["json"],
            ReportFormat::Markdown => &["md", "markdown"],
            ReportFormat::Junit => &["xml"],
            ReportFormat::Github => &[],
            ReportFormat::Sarif => &["sarif"],
        }
    }

    /// The format a path's extension says, when it says one.
    pub fn from_extension(path: &std::path::Path) -> Option<ReportFormat> {
        let ext = path.extension()?.to_str()?;
        <ReportFormat as clap::ValueEnum>::value_variants()
            .iter()
            .copied()
            .find(|f| f.extensions().iter().any(|e| e.eq_ignore_ascii_case(ext)))
    }
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
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
        self.into()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BundleReport {
    pub name: String,
    pub verdict: Verdict,
    pub checks: Vec<Finding>,
    /// The environment variables that replaced one of the bundle's own settings: counted into
    /// the run's notes ([`RunInfo::notes`]), not written per bundle.
    #[serde(skip)]
    pub overridden: Vec<&'static str>,
}

impl BundleReport {
    pub fn new(name: String, checks: Vec<Finding>) -> Self {
        BundleReport {
            name,
            verdict: Verdict::of(&checks),
            checks,
            overridden: Vec::new(),
        }
    }

    /// The finding of one check, when it ran on this bundle.
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.checks.iter().find(|f| f.id == id)
    }
}

/// How the run was made, for the reports that say so (markdown, JUnit). Not part of the JSON
/// contract: JSON readers have `evaluated_at`.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// When the report was made (RFC 3339, UTC); `evaluated_at` differs from it under `--at`.
    pub generated_at: String,
    /// `--at` was given: `evaluated_at` is that instant, not the time of the run.
    pub at_given: bool,
    /// `--fail-on warning`: warnings fail the run (JUnit reports them as failures).
    pub fail_on_warning: bool,
    /// `--expiry-warn-days`.
    pub expiry_warn_days: u32,
    /// `--quiet`: the text and markdown reports show a passing bundle as one line.
    pub quiet: bool,
    /// What the run as a whole must say, once: an environment variable that replaced bundles'
    /// own settings ([`override_notes`]). JSON writes them as `notes`.
    pub notes: Vec<String>,
}

/// One note per environment variable that replaced bundles' own settings: which, and in how many
/// of the run's bundles. Flags override the environment, which overrides `sfjwt.toml`; a stale
/// variable left in a shell or a CI job replaces every bundle's value without a word otherwise.
pub fn override_notes(bundles: &[BundleReport]) -> Vec<String> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for var in bundles.iter().flat_map(|b| &b.overridden) {
        match counts.iter_mut().find(|(v, _)| v == var) {
            Some((_, n)) => *n += 1,
            None => counts.push((var, 1)),
        }
    }
    counts
        .into_iter()
        .map(|(var, n)| {
            format!(
                "${var} replaced the bundle's own value in {} of {}: the environment overrides sfjwt.toml and the bundle's files; unset it to check each bundle's own",
                n,
                crate::words::count(bundles.len() as i64, "bundle", "bundles")
            )
        })
        .collect()
}

/// The result of one `sfjwt check` run (JSON contract, schema_version 1: [`json`] writes it
/// with its `summary`, counted when it is written).
#[derive(Debug, Clone)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339, UTC.
    pub evaluated_at: String,
    pub bundles: Vec<BundleReport>,
    pub run: RunInfo,
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

/// Writes the report in one format. Renderers write bundle by bundle, so a report of thousands
/// of bundles is never held a second time as one string.
pub fn write(
    report: &Report,
    format: ReportFormat,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        ReportFormat::Text => text::write(report, out),
        ReportFormat::Json => json::write(report, out),
        ReportFormat::Markdown => markdown::write(report, out),
        ReportFormat::Junit => junit::write(report, out),
        ReportFormat::Github => github::write(report, out),
        ReportFormat::Sarif => sarif::write(report, out),
    }
}

/// The report in one format, as a string (for tests and small reports).
pub fn render(report: &Report, format: ReportFormat) -> String {
    let mut out = Vec::new();
    write(report, format, &mut out).expect("writing to memory does not fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// Findings and bundles for the renderers' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::BundleReport;
    use crate::finding::{Evidence, Finding, Status};

    pub fn finding(id: &'static str, status: Status) -> Finding {
        Finding {
            id,
            status,
            steps: vec![1],
            title: "A check",
            message: format!("{id} is {}", status.as_str()),
            fix: matches!(status, Status::Warn | Status::Fail).then(|| format!("fix {id}")),
            evidence: Evidence::default(),
        }
    }

    pub fn bundle(name: &str, checks: Vec<Finding>) -> BundleReport {
        BundleReport::new(name.to_string(), checks)
    }
}
