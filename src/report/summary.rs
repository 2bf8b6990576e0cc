//! What a run of many bundles comes to: bundles by verdict, and the certificates that expire
//! soonest. Shared by the text and markdown reports.

use std::fmt::Write as _;

use colored::Colorize;
use serde::Serialize;
use serde_json::Value;

use super::totals::Totals;
use super::{BundleReport, Head, Report, Verdict};
use crate::finding::{Finding, Status};

/// How many certificates the "expiring soonest" tables list.
pub const EXPIRY_ROWS: usize = 10;

/// Bundles counted by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
}

impl Counts {
    pub fn of(report: &Report) -> Counts {
        let mut c = Counts::default();
        for b in &report.bundles {
            match b.verdict {
                Verdict::Pass => c.pass += 1,
                Verdict::Warn => c.warn += 1,
                Verdict::Fail => c.fail += 1,
            }
        }
        c
    }
    pub fn total(self) -> usize {
        self.pass + self.warn + self.fail
    }
}

/// The JSON report's `summary`: bundles by verdict, (`checks`) findings by status, and
/// (`expiring`) every certificate that was read, soonest expiry first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub bundles: usize,
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub checks: StatusCounts,
    pub expiring: Vec<Expiring>,
}

/// One entry of the JSON summary's `expiring`: what a monitor alerts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Expiring {
    pub bundle: String,
    pub not_after: String,
    pub days_left: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warns_from: Option<String>,
    /// Only with `--expiry-fail-days`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fails_from: Option<String>,
}

impl From<&Expiry<'_>> for Expiring {
    fn from(e: &Expiry<'_>) -> Self {
        Expiring {
            bundle: e.bundle.to_string(),
            not_after: e.not_after.to_string(),
            days_left: e.days_left,
            warns_from: e.warns_from.map(str::to_string),
            fails_from: e.fails_from.map(str::to_string),
        }
    }
}

impl Summary {
    /// The summary of a whole report at once: what [`super::totals::Totals`] counts bundle by
    /// bundle, kept as the reference the streamed JSON document is tested against.
    pub fn of(report: &Report) -> Summary {
        let counts = Counts::of(report);
        let mut checks = StatusCounts::default();
        for b in &report.bundles {
            checks.add(&b.checks);
        }
        Summary {
            bundles: counts.total(),
            pass: counts.pass,
            warn: counts.warn,
            fail: counts.fail,
            checks,
            expiring: expiries(report).iter().map(Expiring::from).collect(),
        }
    }
}

/// Findings counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub pass: usize,
    pub info: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
}

impl StatusCounts {
    pub fn of(findings: &[Finding]) -> StatusCounts {
        let mut c = StatusCounts::default();
        c.add(findings);
        c
    }

    pub fn add(&mut self, findings: &[Finding]) {
        for f in findings {
            *match f.status {
                Status::Pass => &mut self.pass,
                Status::Info => &mut self.info,
                Status::Warn => &mut self.warn,
                Status::Fail => &mut self.fail,
                Status::Skip => &mut self.skip,
            } += 1;
        }
    }

    /// "14 pass, 1 info, 3 skip": `pass` always, the others when there are any.
    pub fn words(self) -> String {
        [
            (self.pass, Status::Pass),
            (self.info, Status::Info),
            (self.warn, Status::Warn),
            (self.fail, Status::Fail),
            (self.skip, Status::Skip),
        ]
        .into_iter()
        .filter(|&(n, s)| n > 0 || s == Status::Pass)
        .map(|(n, s)| format!("{n} {}", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// "498 bundles: 496 pass, 1 warn, 1 fail", the fleet's totals.
pub fn totals_line(counts: Counts) -> String {
    format!(
        "{}: {} pass, {} warn, {} fail",
        crate::words::count(counts.total() as i64, "bundle", "bundles"),
        counts.pass,
        counts.warn,
        counts.fail
    )
}

/// One bundle's certificate end date, from `cert.validity`'s evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry<'a> {
    pub bundle: &'a str,
    pub not_after: &'a str,
    pub days_left: i64,
    /// From `cert.validity`'s evidence: when it starts warning and (with
    /// `--expiry-fail-days`) failing.
    pub warns_from: Option<&'a str>,
    pub fails_from: Option<&'a str>,
}

impl Expiry<'_> {
    /// The end date alone, YYYY-MM-DD, as the tables show it.
    pub fn date(&self) -> &str {
        self.not_after.get(..10).unwrap_or(self.not_after)
    }
}

/// Every bundle whose certificate was read, soonest expiry first (expired ones, most negative
/// first); ties keep the run's order.
pub fn expiries(report: &Report) -> Vec<Expiry<'_>> {
    let mut out: Vec<Expiry<'_>> = report.bundles.iter().filter_map(expiry).collect();
    out.sort_by_key(|e| e.days_left);
    out
}

/// A bundle's certificate end date, when `cert.validity` ran on it.
pub fn expiry(bundle: &BundleReport) -> Option<Expiry<'_>> {
    let f = bundle.finding("cert.validity")?;
    Some(Expiry {
        bundle: &bundle.name,
        not_after: f.evidence.get("not_after")?.as_str()?,
        days_left: f.evidence.get("days_left")?.as_i64()?,
        warns_from: f.evidence.get("warns_from").and_then(Value::as_str),
        fails_from: f.evidence.get("fails_from").and_then(Value::as_str),
    })
}

/// The ids of a bundle's findings with this status, in report order.
pub fn ids_with(bundle: &BundleReport, status: Status) -> Vec<&'static str> {
    bundle
        .checks
        .iter()
        .filter(|f| f.status == status)
        .map(|f| f.id)
        .collect()
}

/// A string evidence value of one finding.
pub fn evidence_str<'a>(finding: &'a Finding, key: &str) -> Option<&'a str> {
    finding.evidence.get(key).and_then(Value::as_str)
}

/// "fail: a, b; warn: c" for a bundle's problems.
pub fn problems(bundle: &BundleReport) -> String {
    let mut parts = Vec::new();
    for (status, word) in [(Status::Fail, "fail"), (Status::Warn, "warn")] {
        let ids = ids_with(bundle, status);
        if !ids.is_empty() {
            parts.push(format!("{word}: {}", ids.join(", ")));
        }
    }
    parts.join("; ")
}

/// "expired 700 days ago", "expires today", "10 days left".
pub fn days_left_words(days_left: i64) -> String {
    match days_left {
        d if d < 0 => format!("expired {} ago", crate::words::count(-d, "day", "days")),
        0 => "expires within a day".to_string(),
        d => format!("{} left", crate::words::count(d, "day", "days")),
    }
}

/// The summary at the end of a text report of several bundles: a table of the bundles that did
/// not pass, the certificates that expire soonest, and one closing line with the counts.
pub fn write_text(out: &mut String, head: &Head<'_>, totals: &mut Totals) -> std::io::Result<()> {
    let counts = totals.counts;
    let _ = writeln!(
        out,
        "\n{}",
        format!(
            "Summary of {} bundles (evaluated at {})",
            counts.total(),
            head.evaluated_at
        )
        .bold()
    );
    not_passing_table(out, totals)?;
    expiry_table(out, head, totals)?;
    let _ = writeln!(out, "\n{}", totals_line(counts));
    Ok(())
}

/// The bundles that did not pass, with their failing and warning checks.
fn not_passing_table(out: &mut String, totals: &mut Totals) -> std::io::Result<()> {
    let counts = totals.counts;
    if counts.fail + counts.warn == 0 {
        let _ = writeln!(out, "\n  Every bundle passed.");
        return Ok(());
    }
    let name_width = totals.name_width.max("bundle".len());
    let _ = writeln!(
        out,
        "\n  {:<7}  {:<name_width$}  {}",
        "verdict".dimmed(),
        "bundle".dimmed(),
        "checks".dimmed()
    );
    totals.not_passing(None, |verdict, row| {
        let word = match verdict {
            Verdict::Fail => format!("{:<7}", "FAIL").red().bold(),
            Verdict::Warn => format!("{:<7}", "warn").yellow().bold(),
            Verdict::Pass => format!("{:<7}", "pass").green(),
        };
        let _ = writeln!(out, "  {word}  {:<name_width$}  {}", row.name, row.problems);
        Ok(())
    })?;
    if counts.pass > 0 {
        let _ = writeln!(
            out,
            "  {}",
            format!(
                "(and {} that passed)",
                crate::words::count(counts.pass as i64, "bundle", "bundles")
            )
            .dimmed()
        );
    }
    Ok(())
}

/// The certificates that expire soonest, at most [`EXPIRY_ROWS`] of them.
fn expiry_table(out: &mut String, head: &Head<'_>, totals: &mut Totals) -> std::io::Result<()> {
    let all = totals.expiring_count();
    if all == 0 {
        return Ok(());
    }
    let _ = writeln!(out, "\n  {}", "Certificates expiring soonest".bold());
    let _ = writeln!(
        out,
        "  {:>9}  {:<10}  {}",
        "days left".dimmed(),
        "expires".dimmed(),
        "bundle".dimmed()
    );
    let mut shown = 0;
    totals.expiring(Some(EXPIRY_ROWS), |e| {
        let days = format!("{:>9}", e.days_left);
        let days = if e.days_left < 0 {
            days.red().bold()
        } else if e.days_left <= i64::from(head.run.expiry_warn_days) {
            days.yellow().bold()
        } else {
            days.normal()
        };
        let date = e.not_after.get(..10).unwrap_or(&e.not_after);
        let _ = writeln!(out, "  {days}  {date:<10}  {}", e.bundle);
        shown += 1;
        Ok(())
    })?;
    if all > shown {
        let _ = writeln!(
            out,
            "  {}",
            format!("(and {} more; the JSON report has every date)", all - shown).dimmed()
        );
    }
    Ok(())
}
