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
use crate::report::summary::StatusCounts;
use crate::report::totals::Totals;
use crate::report::{BundleReport, Head, Verdict};

/// The most bytes a markdown report holds: under GitHub's 1 MiB (1,048,576 bytes) for a step
/// summary, with room for a line or two a workflow adds to the same step.
pub const BUDGET: usize = 1_000_000;

/// Room kept for the sentences that say what was left out, and the headings.
const NOTES: usize = 2_048;

/// Where to read what the report leaves out.
const SEE_JSON: &str = "see the JSON report (`sfjwt check --json`, or `--output json=PATH` beside the markdown one), which always has every bundle in full";

/// The sections a report may show, kept as the bundles finish: no more of each kind than the
/// [`BUDGET`] can hold (and the one that does not fit), so that a fleet's markdown report holds
/// bounded memory; the rest are only counted.
#[derive(Debug, Default)]
pub struct Sections {
    failing: Kept<String>,
    warning: Kept<String>,
    /// Passing bundles folded in full, each with the length of its one line.
    folded: Kept<(String, usize)>,
    lines: Kept<String>,
    /// The length of every passing bundle's one line.
    lines_len: usize,
    /// A single bundle that passed, in full.
    single: Option<String>,
}

/// The first items of a list, while they add up to at most [`BUDGET`] bytes (and one more), and
/// how many there were in all.
#[derive(Debug)]
struct Kept<T> {
    items: Vec<T>,
    bytes: usize,
    count: usize,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            items: Vec::new(),
            bytes: 0,
            count: 0,
        }
    }
}

impl<T> Kept<T> {
    /// Counts one more; `make` gives it and its length, called only while there is room.
    fn add(&mut self, make: impl FnOnce() -> (T, usize)) {
        self.count += 1;
        if self.bytes <= BUDGET && self.items.len() + 1 == self.count {
            let (item, len) = make();
            self.bytes += len;
            self.items.push(item);
        }
    }
}

impl Sections {
    pub fn add(&mut self, bundle: &BundleReport, report: &Head<'_>) {
        let section = || {
            let mut out = String::new();
            write_bundle(&mut out, bundle, report);
            let len = out.len();
            (out, len)
        };
        match bundle.verdict {
            Verdict::Fail => self.failing.add(section),
            Verdict::Warn => self.warning.add(section),
            Verdict::Pass => {
                let line = one_line_of(bundle);
                self.lines_len += line.len();
                if report.bundles == 1 && !report.run.quiet {
                    self.single = Some(section().0);
                }
                if !report.run.quiet && report.bundles > 1 {
                    let line_len = line.len();
                    self.folded.add(|| {
                        let mut out = String::new();
                        fold(&mut out, bundle, report);
                        let len = out.len();
                        ((out, line_len), len)
                    });
                }
                let len = line.len();
                self.lines.add(|| (line, len));
            }
        }
    }

    /// Writes the bundles' sections in `room` bytes at most.
    pub fn write(
        &self,
        w: &mut dyn Write,
        report: &Head<'_>,
        totals: &Totals,
        room: usize,
    ) -> std::io::Result<()> {
        let mut left = room.saturating_sub(NOTES);
        let problems = self.failing.count + self.warning.count;
        let passing = totals.counts.pass;
        let mut shown = 0;
        let mut shown_failing = 0;
        for (i, section) in self
            .failing
            .items
            .iter()
            .chain(&self.warning.items)
            .enumerate()
        {
            // Warning sections count only once every failing one was shown.
            if i >= self.failing.items.len() && shown < self.failing.count {
                break;
            }
            if section.len() > left {
                break;
            }
            left -= section.len();
            w.write_all(section.as_bytes())?;
            shown += 1;
            if i < self.failing.items.len() {
                shown_failing += 1;
            }
        }
        if shown < problems {
            let failing = self.failing.count - shown_failing;
            let warning = problems - shown - failing;
            let table = if problems > super::SUMMARY_ROWS {
                format!("the first {} of them", super::SUMMARY_ROWS)
            } else {
                "every one of them".to_string()
            };
            let _ = writeln!(
                w,
                "**{} not shown here** ({failing} failing, {warning} warning, {passing} passing), to keep this report under GitHub's 1 MiB limit for a job summary. The summary table above names {table} that did not pass; {SEE_JSON}.\n",
                crate::words::count((problems - shown) as i64, "bundle", "bundles"),
            );
            return Ok(());
        }
        if passing == 0 {
            return Ok(());
        }
        if let Some(single) = &self.single {
            return w.write_all(single.as_bytes());
        }
        self.write_passing(w, report, passing, left)
    }

    /// The passing bundles: folded in full while the room lasts (never under `--quiet`), then
    /// one line each, then, when even the lines do not fit, a sentence for the rest.
    fn write_passing(
        &self,
        w: &mut dyn Write,
        report: &Head<'_>,
        passing: usize,
        mut left: usize,
    ) -> std::io::Result<()> {
        if report.bundles > 1 {
            let _ = writeln!(w, "## Passing bundles\n");
        }
        let mut lines_after = self.lines_len;
        let mut folded = 0;
        for (section, line_len) in &self.folded.items {
            lines_after -= line_len;
            if section.len() + lines_after > left {
                break;
            }
            left -= section.len();
            w.write_all(section.as_bytes())?;
            folded += 1;
        }
        let mut listed = folded;
        for line in self.lines.items.iter().skip(folded) {
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
        let not_listed = passing - listed;
        if not_listed > 0 {
            let _ = writeln!(
                w,
                "**{} not listed**, to keep this report under GitHub's 1 MiB limit for a job summary; {SEE_JSON}.\n",
                crate::words::count(not_listed as i64, "passing bundle", "passing bundles")
            );
        } else if !report.run.quiet && folded < passing {
            let _ = writeln!(
                w,
                "{} not shown in detail, to keep this report under GitHub's 1 MiB limit for a job summary; {SEE_JSON}.\n",
                crate::words::count(
                    (passing - folded) as i64,
                    "passing bundle",
                    "passing bundles"
                )
            );
        }
        Ok(())
    }
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
fn fold(out: &mut String, bundle: &BundleReport, report: &Head<'_>) {
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
    use crate::report::{Report, RunInfo, Tool};

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
