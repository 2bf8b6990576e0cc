//! The report: one value that every renderer takes.

pub mod github;
pub mod json;
pub mod junit;
pub mod location;
pub mod markdown;
pub mod sarif;
pub mod spool;
pub mod summary;
pub mod text;
pub mod totals;

use std::io::{self, Write};

use serde::Serialize;

use totals::Totals;

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
    Jsonl,
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
            ReportFormat::Jsonl => &["jsonl", "ndjson"],
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
pub fn override_notes(counts: &[(&'static str, usize)], bundles: usize) -> Vec<String> {
    counts
        .iter()
        .map(|(var, n)| {
            format!(
                "${var} replaced the bundle's own value in {} of {}: the environment overrides sfjwt.toml and the bundle's files; unset it to check each bundle's own",
                n,
                crate::words::count(bundles as i64, "bundle", "bundles")
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

/// What every part of a report may say of the run: [`Report`] without its bundles, and how many
/// bundles there are (known before the first is checked). The run's notes are in [`Totals`]:
/// they are known only at the end.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub schema_version: u32,
    pub tool: &'a Tool,
    pub evaluated_at: &'a str,
    pub run: &'a RunInfo,
    pub bundles: usize,
}

impl Report {
    pub fn head(&self) -> Head<'_> {
        Head {
            schema_version: self.schema_version,
            tool: &self.tool,
            evaluated_at: &self.evaluated_at,
            run: &self.run,
            bundles: self.bundles.len(),
        }
    }
}

/// One format's renderer, fed the bundles one at a time, in order, as a fleet's checks finish:
/// what it writes at the start, per bundle and at the end. What it cannot write before the end
/// (the JSON summary comes before the bundles) it keeps in a [`spool::Spool`], never in a
/// growing list, so that a report of any number of bundles holds bounded memory.
pub trait Render {
    fn start(&mut self, _head: &Head<'_>, _w: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    fn bundle(&mut self, head: &Head<'_>, b: &BundleReport, w: &mut dyn Write) -> io::Result<()>;
    fn finish(&mut self, head: &Head<'_>, totals: &mut Totals, w: &mut dyn Write)
    -> io::Result<()>;
}

/// The renderer of a format.
pub fn renderer(format: ReportFormat) -> Box<dyn Render + Send> {
    match format {
        ReportFormat::Text => Box::new(text::Text::default()),
        ReportFormat::Json => Box::new(json::Json::default()),
        ReportFormat::Jsonl => Box::new(json::Lines),
        ReportFormat::Markdown => Box::new(markdown::Markdown::default()),
        ReportFormat::Junit => Box::new(junit::Junit::default()),
        ReportFormat::Github => Box::new(github::Github),
        ReportFormat::Sarif => Box::new(sarif::Sarif::default()),
    }
}

/// Writes a whole report in one format, through its renderer as a fleet run does.
pub fn write(report: &Report, format: ReportFormat, out: &mut dyn Write) -> io::Result<()> {
    let head = report.head();
    let mut totals = Totals::of(report);
    let mut r = renderer(format);
    let mut w = io::BufWriter::new(out);
    r.start(&head, &mut w)?;
    for b in &report.bundles {
        r.bundle(&head, b, &mut w)?;
    }
    r.finish(&head, &mut totals, &mut w)?;
    w.flush()
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
