//! Which bundles a markdown report shows, in what order and how fully, within [`BUDGET`] bytes.
//!
//! What needs attention comes first: failing bundles, then warning ones, each in full, then the
//! passing ones. A passing bundle of a fleet is folded (`<details>`, its full section inside), or
//! under `--quiet` one line (name, verdict, counts). The whole report stays under GitHub's limit
//! for a job summary (1 MiB per step): past the budget, passing bundles become one line each,
//! and what still does not fit is left out, with a sentence saying how many bundles and where
//! to read them (the JSON report). A single bundle (the support ticket) is shown in full, as
//! ever.

use std::fmt::Write as _;
use std::io::Write;

use super::{code, one_line, verdict_word, write_bundle};
use crate::report::summary::{self, StatusCounts};
use crate::report::{BundleReport, Report, Verdict};

/// The most bytes a markdown report holds: under GitHub's 1 MiB (1,048,576 bytes) for a step
/// summary, with room for a line or two a workflow adds to the same step.
pub const BUDGET: usize = 1_000_000;

/// Room kept for the sentences that say what was left out, and the headings.
const NOTES: usize = 2_048;

/// Where to read what the report leaves out.
const SEE_JSON: &str = "see the JSON report (`sfjwt check --json`, or `--output json=PATH` beside the markdown one), which always has every bundle in full";

/// Writes the bundles' sections in `room` bytes at most.
pub fn write_bundles(w: &mut dyn Write, report: &Report, room: usize) -> std::io::Result<()> {
    let mut left = room.saturating_sub(NOTES);
    let ordered = summary::worst_first(report);
    let split = ordered
        .iter()
        .position(|b| b.verdict == Verdict::Pass)
        .unwrap_or(ordered.len());
    let (problems, passing) = ordered.split_at(split);
    let single = report.bundles.len() == 1;

    let mut out = String::new();
    let mut shown = 0;
    for bundle in problems {
        out.clear();
        write_bundle(&mut out, bundle, report);
        if out.len() > left {
            break;
        }
        left -= out.len();
        w.write_all(out.as_bytes())?;
        shown += 1;
    }
    if shown < problems.len() {
        let failing = problems[shown..]
            .iter()
            .filter(|b| b.verdict == Verdict::Fail)
            .count();
        let warning = problems.len() - shown - failing;
        let table = if problems.len() > super::SUMMARY_ROWS {
            format!("the first {} of them", super::SUMMARY_ROWS)
        } else {
            "every one of them".to_string()
        };
        let _ = writeln!(
            w,
            "**{} not shown here** ({failing} failing, {warning} warning, {} passing), to keep this report under GitHub's 1 MiB limit for a job summary. The summary table above names {table} that did not pass; {SEE_JSON}.\n",
            crate::words::count((problems.len() - shown) as i64, "bundle", "bundles"),
            passing.len()
        );
        return Ok(());
    }
    if passing.is_empty() {
        return Ok(());
    }
    if single && !report.run.quiet {
        out.clear();
        write_bundle(&mut out, passing[0], report);
        return w.write_all(out.as_bytes());
    }
    write_passing(w, passing, report, left)
}

/// The passing bundles: folded in full while the room lasts (never under `--quiet`), then one
/// line each, then, when even the lines do not fit, a sentence for the rest.
fn write_passing(
    w: &mut dyn Write,
    passing: &[&BundleReport],
    report: &Report,
    mut left: usize,
) -> std::io::Result<()> {
    if report.bundles.len() > 1 {
        let _ = writeln!(w, "## Passing bundles\n");
    }
    let lines: Vec<String> = passing.iter().map(|b| one_line_of(b)).collect();
    let mut lines_after: usize = lines.iter().map(String::len).sum();
    let mut folded = 0;
    if !report.run.quiet {
        let mut out = String::new();
        for (bundle, line) in passing.iter().zip(&lines) {
            lines_after -= line.len();
            out.clear();
            fold(&mut out, bundle, report);
            if out.len() + lines_after > left {
                break;
            }
            left -= out.len();
            w.write_all(out.as_bytes())?;
            folded += 1;
        }
    }
    let mut listed = folded;
    for line in &lines[folded..] {
        if line.len() > left {
            break;
        }
        left -= line.len();
        w.write_all(line.as_bytes())?;
        listed += 1;
    }
    if listed > folded {
        w.write_all(b"\n")?;
    }
    let not_listed = passing.len() - listed;
    if not_listed > 0 {
        let _ = writeln!(
            w,
            "**{} not listed**, to keep this report under GitHub's 1 MiB limit for a job summary; {SEE_JSON}.\n",
            crate::words::count(not_listed as i64, "passing bundle", "passing bundles")
        );
    } else if !report.run.quiet && folded < passing.len() {
        let _ = writeln!(
            w,
            "{} not shown in detail, to keep this report under GitHub's 1 MiB limit for a job summary; {SEE_JSON}.\n",
            crate::words::count(
                (passing.len() - folded) as i64,
                "passing bundle",
                "passing bundles"
            )
        );
    }
    Ok(())
}

/// "- `fleet/b0001`: PASS (14 pass, 3 skip)"
fn one_line_of(bundle: &BundleReport) -> String {
    format!(
        "- {}: {} ({})\n",
        code(&bundle.name),
        verdict_word(bundle.verdict),
        StatusCounts::of(&bundle.checks).words()
    )
}

/// A passing bundle's full section, folded under its one line.
fn fold(out: &mut String, bundle: &BundleReport, report: &Report) {
    let _ = write!(
        out,
        "<details><summary><code>{}</code>: {} ({})</summary>\n\n",
        html(&bundle.name),
        verdict_word(bundle.verdict),
        StatusCounts::of(&bundle.checks).words()
    );
    write_bundle(out, bundle, report);
    out.push_str("</details>\n\n");
}

/// Text inside an HTML element: on one line, with `&`, `<`, `>` and `"` as references.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Status;
    use crate::report::testing::{bundle, finding};
    use crate::report::{RunInfo, Tool};

    fn fleet(passing: usize, failing: usize, quiet: bool) -> Report {
        let mut bundles = Vec::new();
        for i in 0..passing + failing {
            let status = if i % (passing + failing).max(1) < passing {
                Status::Pass
            } else {
                Status::Fail
            };
            let checks = (0..12)
                .map(|_| finding("key.parse", status))
                .chain([finding("cert.parse", Status::Skip)])
                .collect();
            bundles.push(bundle(&format!("fleet/b{i:04}"), checks));
        }
        Report {
            schema_version: 1,
            tool: Tool::this(),
            evaluated_at: "2026-11-29T13:00:00Z".into(),
            bundles,
            run: RunInfo {
                quiet,
                ..Default::default()
            },
        }
    }

    fn render(report: &Report) -> String {
        crate::report::render(report, crate::report::ReportFormat::Markdown)
    }

    #[test]
    fn failing_bundles_come_first_and_passing_ones_are_folded() {
        let md = render(&fleet(3, 1, false));
        let failing = md.find("## Bundle `fleet/b0003`: FAIL").unwrap();
        let passing = md.find("## Passing bundles").unwrap();
        assert!(failing < passing, "{md}");
        assert_eq!(md.matches("<details>").count(), 3, "{md}");
        assert!(md.contains("| 4 | 3 | 0 | 1 |"), "the counts table: {md}");
    }

    #[test]
    fn quiet_gives_a_passing_bundle_one_line() {
        let md = render(&fleet(3, 1, true));
        assert!(!md.contains("<details>"), "{md}");
        assert!(
            md.contains("- `fleet/b0000`: PASS (12 pass, 1 skip)\n"),
            "{md}"
        );
        assert!(md.contains("## Bundle `fleet/b0003`: FAIL"), "{md}");
    }

    #[test]
    fn a_thousand_bundles_stay_under_the_budget_and_say_what_was_left_out() {
        let md = render(&fleet(1000, 0, false));
        assert!(md.len() <= BUDGET, "{} bytes", md.len());
        assert!(
            md.contains("passing bundles not shown in detail"),
            "{}",
            &md[..2000]
        );
        assert_eq!(
            md.matches("- `fleet/b").count() + md.matches("<details>").count(),
            1000
        );

        let md = render(&fleet(0, 1000, false));
        assert!(md.len() <= BUDGET, "{} bytes", md.len());
        let note = md.find("bundles not shown here** (").expect("the note");
        assert!(md[note..].contains("0 passing"), "{}", &md[note..]);
        assert!(md.ends_with("how to fix it.\n"), "the footer is kept");
    }

    #[test]
    fn names_in_html_are_escaped() {
        assert_eq!(html("a<b>&\"c\nd"), "a&lt;b&gt;&amp;&quot;c d");
    }
}
