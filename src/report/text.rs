//! `--format text`: for a person at a terminal. Grouped by setup step, one line per check, the
//! fix under each failure or warning, and a summary line per bundle.

use std::fmt::Write as _;
use std::io::{self, Write};

use colored::{ColoredString, Colorize};

use super::summary::StatusCounts;
use super::totals::Totals;
use super::{BundleReport, Head, Render, Report, Verdict};
use crate::finding::{Finding, Status};

/// What each setup step of the guide is about, for the group headings.
pub fn step_title(step: u8) -> &'static str {
    crate::steps::Step::from_number(step).map_or("Other", crate::steps::Step::title)
}

/// The step a finding is listed under: the last of its steps, which is where its fix is made
/// (the certificate is made in step 1 but uploaded in step 2; the username is chosen in step 6
/// for the environment chosen in step 5).
pub fn group_step(finding: &Finding) -> u8 {
    finding.steps.iter().copied().max().unwrap_or(0)
}

/// A status as a coloured four-letter word, as every text output shows it.
pub fn mark(status: Status) -> ColoredString {
    let word = format!("{:<4}", status.as_str());
    match status {
        Status::Pass => word.green(),
        Status::Info => word.cyan(),
        Status::Warn => word.yellow().bold(),
        Status::Fail => word.red().bold(),
        Status::Skip => word.dimmed(),
    }
}

fn verdict_word(v: Verdict) -> ColoredString {
    match v {
        Verdict::Pass => "pass".green().bold(),
        Verdict::Warn => "warn".yellow().bold(),
        Verdict::Fail => "FAIL".red().bold(),
    }
}

pub fn render(report: &Report) -> String {
    super::render(report, super::ReportFormat::Text)
}

/// A bundle's verdict and counts on one line: "fleet/b0001: pass (14 pass, 3 skip)".
fn closing_line(bundle: &BundleReport) -> String {
    format!(
        "{}: {} ({})",
        bundle.name,
        verdict_word(bundle.verdict),
        StatusCounts::of(&bundle.checks).words()
    )
}

/// The text report, bundle by bundle as each finishes; several bundles end with a summary.
/// Under `--quiet` a passing bundle is its closing line alone; a bundle with a warning or a
/// failure is shown in full, set off by blank lines.
#[derive(Debug, Default)]
pub struct Text {
    /// Bundles written so far.
    written: usize,
    /// The last one written was shown in full.
    after_full: bool,
}

impl Render for Text {
    fn bundle(
        &mut self,
        head: &Head<'_>,
        bundle: &BundleReport,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        let mut out = String::new();
        if head.run.quiet && bundle.verdict == Verdict::Pass {
            if self.after_full {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", closing_line(bundle));
            self.after_full = false;
        } else {
            if self.written > 0 {
                out.push('\n');
            }
            render_bundle(&mut out, bundle, head.evaluated_at);
            self.after_full = true;
        }
        self.written += 1;
        w.write_all(out.as_bytes())
    }

    fn finish(
        &mut self,
        head: &Head<'_>,
        totals: &mut Totals,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        if totals.counts.total() > 1 {
            let mut out = String::new();
            super::summary::write_text(&mut out, head, totals)?;
            w.write_all(out.as_bytes())?;
        }
        Ok(())
    }
}

fn render_bundle(out: &mut String, bundle: &BundleReport, evaluated_at: &str) {
    let _ = writeln!(
        out,
        "{} {}",
        bundle.name.bold(),
        format!("(evaluated at {evaluated_at})").dimmed()
    );
    let width = bundle.checks.iter().map(|f| f.id.len()).max().unwrap_or(0);
    let mut steps: Vec<u8> = bundle.checks.iter().map(group_step).collect();
    steps.sort_unstable();
    steps.dedup();
    for step in steps {
        let _ = writeln!(
            out,
            "\n  {}",
            format!("Step {step}: {}", step_title(step)).bold()
        );
        for f in bundle.checks.iter().filter(|f| group_step(f) == step) {
            let _ = writeln!(
                out,
                "    {}  {:<width$}  {}",
                mark(f.status),
                f.id,
                f.message
            );
            // Evidence named `details`: extra lines a check wants shown under its message.
            if let Some(serde_json::Value::Array(lines)) = f.evidence.get("details") {
                for line in lines.iter().filter_map(serde_json::Value::as_str) {
                    let _ = writeln!(out, "    {:<4}  {:<width$}    {}", "", "", line.dimmed());
                }
            }
            if let (Some(fix), Status::Warn | Status::Fail) = (&f.fix, f.status) {
                let _ = writeln!(
                    out,
                    "    {:<4}  {:<width$}  {} {}",
                    "",
                    "",
                    "fix:".bold(),
                    fix
                );
            }
        }
    }
    let _ = writeln!(out, "\n  {}", closing_line(bundle));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{bundle, finding};

    fn fleet(quiet: bool) -> Report {
        Report {
            schema_version: 1,
            tool: crate::report::Tool::this(),
            evaluated_at: "2026-11-29T13:00:00Z".into(),
            bundles: vec![
                bundle("a", vec![finding("key.parse", Status::Pass)]),
                bundle("b", vec![finding("key.parse", Status::Fail)]),
                bundle(
                    "c",
                    vec![
                        finding("key.parse", Status::Pass),
                        finding("cert.parse", Status::Skip),
                    ],
                ),
            ],
            run: crate::report::RunInfo {
                quiet,
                ..Default::default()
            },
        }
    }

    #[test]
    fn quiet_shows_a_passing_bundle_as_one_line_and_a_failing_one_in_full() {
        colored::control::set_override(false);
        let quiet = render(&fleet(true));
        let lines: Vec<&str> = quiet.lines().collect();
        assert_eq!(lines[0], "a: pass (1 pass)");
        assert!(quiet.contains("fix: fix key.parse"), "{quiet}");
        assert!(quiet.contains("\nc: pass (1 pass, 1 skip)\n"), "{quiet}");
        assert_eq!(
            lines.last().copied(),
            Some("3 bundles: 2 pass, 0 warn, 1 fail")
        );
        let full = render(&fleet(false));
        assert!(full.lines().count() > quiet.lines().count());
        assert!(full.starts_with("a (evaluated at"), "{full}");
    }
}
