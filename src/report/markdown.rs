//! `--format markdown`: a report to paste into a support ticket or a pull request, readable
//! without sfjwt. The verdict on top; per bundle a checklist of the seven setup steps, the
//! findings to fix with cause and fix, every check's result, and a table of the inputs
//! (fingerprints, never secrets); how and when the report was made. A fleet's report puts what
//! needs attention first and stays within [`BUDGET`] bytes ([`layout`]).
//!
//! Everything that comes from the checks or the inputs is escaped: `|`, line breaks and the
//! characters that would start emphasis, links or HTML cannot break the page.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::summary;
use super::text::step_title;
use super::totals::Totals;
use super::{BundleReport, Head, Render, Report, Verdict};
use crate::checks::{self, Group};
use crate::finding::{Finding, Status};

mod inputs;
mod layout;

use inputs::inputs;

pub use layout::BUDGET;

/// The line every markdown report carries about secrets.
pub const REDACTED: &str = "**Secrets were redacted.** This report never holds the private key, its passphrase, the consumer secret or an access token. Keys and certificates are shown by fingerprint (`sha256:` and the first 12 hex digits of the SHA-256 of the public key): compare fingerprints to compare values. The consumer key is cut to its first 8 characters.";

pub fn render(report: &Report) -> String {
    super::render(report, super::ReportFormat::Markdown)
}

/// The markdown renderer. The report's head (the verdict, the summary tables) needs every
/// bundle and what needs attention comes first, so the sections are kept as the bundles finish,
/// but only as many as the [`BUDGET`] can hold ([`layout::Sections`]); the report is written at
/// the end.
#[derive(Debug, Default)]
pub struct Markdown {
    sections: layout::Sections,
    /// The first bundle's failing and warning checks, for the verdict line of a single bundle.
    first: Option<(usize, usize)>,
}

impl Render for Markdown {
    fn bundle(&mut self, head: &Head<'_>, b: &BundleReport, _: &mut dyn Write) -> io::Result<()> {
        if self.first.is_none() {
            self.first = Some((count_status(b, Status::Fail), count_status(b, Status::Warn)));
        }
        self.sections.add(b, head);
        Ok(())
    }

    fn finish(
        &mut self,
        report: &Head<'_>,
        totals: &mut Totals,
        w: &mut dyn Write,
    ) -> io::Result<()> {
        let mut head_text = String::new();
        head(&mut head_text, report, totals, self.first.unwrap_or((0, 0)))?;
        let footer = format!(
            "---\n\nMade by sfjwt {} (`sfjwt check --format markdown`). `sfjwt explain CHECK_ID` prints what a check looks at, why it matters and how to fix it.\n",
            report.tool.version
        );
        w.write_all(head_text.as_bytes())?;
        let room = BUDGET.saturating_sub(head_text.len() + footer.len());
        self.sections.write(w, report, totals, room)?;
        w.write_all(footer.as_bytes())
    }
}

pub(super) fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "PASS",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Info => "info",
        Status::Warn => "**WARN**",
        Status::Fail => "**FAIL**",
        Status::Skip => "skip",
    }
}

fn head(
    out: &mut String,
    report: &Head<'_>,
    totals: &mut Totals,
    (fails, warns): (usize, usize),
) -> io::Result<()> {
    let verdict = totals.verdict();
    let counts = totals.counts;
    let _ = writeln!(out, "# sfjwt report: {}\n", verdict_word(verdict));
    let what = if counts.total() == 1 {
        match verdict {
            Verdict::Fail => format!(
                "{} failed: the JWT Bearer login will not work until {} fixed.",
                crate::words::count(fails as i64, "check", "checks"),
                if fails == 1 { "it is" } else { "they are" }
            ),
            Verdict::Warn => format!(
                "No check failed, {} warned: the login should work, but fix what is listed below.",
                crate::words::count(warns as i64, "check", "checks"),
            ),
            Verdict::Pass => "No check failed or warned.".to_string(),
        }
    } else {
        format!(
            "{} bundles: {} pass, {} warn, {} fail.",
            counts.total(),
            counts.pass,
            counts.warn,
            counts.fail
        )
    };
    let _ = writeln!(out, "**Verdict: {}.** {what}\n", verdict_word(verdict));
    for note in &totals.notes {
        let _ = writeln!(out, "> **Note:** {}\n", escape(note, false));
    }
    if counts.total() > 1 {
        let _ = writeln!(
            out,
            "| bundles | pass | warn | fail |\n|---:|---:|---:|---:|\n| {} | {} | {} | {} |\n",
            counts.total(),
            counts.pass,
            counts.warn,
            counts.fail
        );
    }
    if report.run.fail_on_warning {
        let _ = writeln!(
            out,
            "This run used `--fail-on warning`: a warning fails it like a failure.\n"
        );
    }

    let _ = writeln!(out, "- **Tool:** sfjwt {}", report.tool.version);
    if report.run.at_given {
        let _ = writeln!(
            out,
            "- **Evaluated at:** {} (given with `--at`: would these credentials pass at that instant?)",
            report.evaluated_at
        );
        if !report.run.generated_at.is_empty() {
            let _ = writeln!(out, "- **Report made:** {}", report.run.generated_at);
        }
    } else {
        let _ = writeln!(
            out,
            "- **Evaluated at:** {} (the time of the run; no `--at`)",
            report.evaluated_at
        );
    }
    let _ = writeln!(
        out,
        "- **Certificate expiry warning:** within {} days (`--expiry-warn-days`)",
        report.run.expiry_warn_days
    );
    let _ = writeln!(out, "\n> {REDACTED}\n");

    if counts.total() > 1 {
        summary_tables(out, report, totals)?;
    }
    Ok(())
}

/// How many bundles that did not pass the summary table names; the JSON report has them all.
pub const SUMMARY_ROWS: usize = 100;

fn count_status(b: &BundleReport, s: Status) -> usize {
    b.checks.iter().filter(|f| f.status == s).count()
}

/// For several bundles: the bundles that did not pass, and the certificates expiring soonest.
fn summary_tables(out: &mut String, report: &Head<'_>, totals: &mut Totals) -> io::Result<()> {
    let _ = writeln!(out, "## Summary\n");
    let counts = totals.counts;
    let bad = counts.fail + counts.warn;
    if bad == 0 {
        let _ = writeln!(out, "Every bundle passed.\n");
    } else {
        let _ = writeln!(
            out,
            "| verdict | bundle | failed checks | warned checks |\n|---|---|---|---|"
        );
        totals.not_passing(Some(SUMMARY_ROWS), |verdict, row| {
            let ids = |ids: &[String]| {
                ids.iter()
                    .map(|id| code_cell(id))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                verdict_word(verdict),
                code_cell(&row.name),
                ids(&row.failed),
                ids(&row.warned)
            );
            Ok(())
        })?;
        if bad > SUMMARY_ROWS {
            let _ = writeln!(
                out,
                "\nand {} more that did not pass (the JSON report lists every bundle).",
                crate::words::count((bad - SUMMARY_ROWS) as i64, "bundle", "bundles")
            );
        }
        if counts.pass > 0 {
            let _ = writeln!(
                out,
                "\nand {} that passed.",
                crate::words::count(counts.pass as i64, "bundle", "bundles")
            );
        }
        out.push('\n');
    }
    let all = totals.expiring_count();
    if all > 0 {
        let _ = writeln!(
            out,
            "### Certificates expiring soonest\n\n| days left | expires | bundle |\n|---:|---|---|"
        );
        totals.expiring(Some(summary::EXPIRY_ROWS), |e| {
            let days = if e.days_left < 0 {
                format!("**{}** (expired)", e.days_left)
            } else if e.days_left <= i64::from(report.run.expiry_warn_days) {
                format!("**{}**", e.days_left)
            } else {
                e.days_left.to_string()
            };
            let date = e.not_after.get(..10).unwrap_or(&e.not_after);
            let _ = writeln!(
                out,
                "| {days} | {} | {} |",
                cell(date),
                code_cell(&e.bundle)
            );
            Ok(())
        })?;
        if all > summary::EXPIRY_ROWS {
            let _ = writeln!(
                out,
                "\nand {} more certificates (the JSON report has every date).",
                all - summary::EXPIRY_ROWS
            );
        }
        out.push('\n');
    }
    Ok(())
}

pub(super) fn write_bundle(out: &mut String, bundle: &BundleReport, report: &Head<'_>) {
    let _ = writeln!(
        out,
        "## Bundle {}: {}\n",
        code(&bundle.name),
        verdict_word(bundle.verdict)
    );

    let _ = writeln!(out, "### Setup steps\n");
    for step in crate::steps::Step::ALL.map(crate::steps::Step::number) {
        let _ = writeln!(out, "{}", step_line(bundle, step));
    }
    out.push('\n');

    let to_fix: Vec<&Finding> = {
        let mut v: Vec<&Finding> = bundle
            .checks
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Warn))
            .collect();
        v.sort_by_key(|f| std::cmp::Reverse(f.status));
        v
    };
    let _ = writeln!(out, "### Findings to fix\n");
    if to_fix.is_empty() {
        let _ = writeln!(out, "None: no check failed or warned.\n");
    }
    for f in to_fix {
        let _ = writeln!(
            out,
            "#### {} {}: {}\n",
            if f.status == Status::Fail {
                "FAIL"
            } else {
                "WARN"
            },
            code(f.id),
            inline(f.title)
        );
        let _ = writeln!(out, "- **Setup steps:** {}", steps_words(&f.steps));
        let _ = writeln!(out, "- **Cause:** {}", inline(&f.message));
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "- **Fix:** {}", inline(fix));
        }
        let _ = writeln!(out, "- **More:** `sfjwt explain {}`\n", f.id);
    }

    let _ = writeln!(
        out,
        "### Every check\n\n| status | check | steps | result |\n|---|---|---|---|"
    );
    for f in &bundle.checks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            status_word(f.status),
            code_cell(f.id),
            f.steps
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            cell(&f.message)
        );
    }
    out.push('\n');

    let _ = writeln!(out, "### Inputs\n\n| input | value |\n|---|---|");
    for (name, value) in inputs(bundle, report) {
        let _ = writeln!(out, "| {name} | {value} |");
    }
    out.push('\n');
}

/// One line of the setup checklist: a GitHub task-list item, ticked when the step's checks
/// passed.
fn step_line(bundle: &BundleReport, step: u8) -> String {
    let findings: Vec<&Finding> = bundle
        .checks
        .iter()
        .filter(|f| f.steps.contains(&step))
        .collect();
    let ran: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.status != Status::Skip)
        .collect();
    let skipped: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.status == Status::Skip)
        .collect();
    let ids = |fs: &[&Finding]| fs.iter().map(|f| code(f.id)).collect::<Vec<_>>().join(", ");
    let title = format!("**Step {step}: {}**", inline(step_title(step)));
    let worst = ran.iter().map(|f| f.status).max();
    let (tick, status) = match worst {
        None if findings.is_empty() => {
            return format!(
                "- [ ] {title}: not checked. {}",
                not_checked_reason(bundle, step)
            );
        }
        None => {
            return format!(
                "- [ ] {title}: skipped, its inputs were missing ({})",
                ids(&skipped)
            );
        }
        Some(Status::Fail) => (' ', "**FAIL**"),
        Some(Status::Warn) => (' ', "**WARN**"),
        Some(_) => ('x', "pass"),
    };
    let mut line = format!("- [{tick}] {title}: {status} ({})", ids(&ran));
    if !skipped.is_empty() {
        let _ = write!(line, "; skipped: {}", ids(&skipped));
    }
    line
}

/// Why no check of this report covers a step: a check that covers it ran but stopped at another
/// step first; the registered checks that would cover it, under the flag that runs them; or,
/// when none is registered, what would.
fn not_checked_reason(bundle: &BundleReport, step: u8) -> String {
    let mut parts = elsewhere(bundle, step);
    let not_run: Vec<&checks::Check> = checks::REGISTRY
        .iter()
        .copied()
        .filter(|c| c.covers(step) && bundle.finding(c.id).is_none())
        .collect();
    for group in [
        Group::Live,
        Group::App,
        Group::Rotation,
        Group::Config,
        Group::Offline,
    ] {
        let ids: Vec<String> = not_run
            .iter()
            .filter(|c| c.group == group)
            .map(|c| code(c.id))
            .collect();
        if ids.is_empty() {
            continue;
        }
        let runs = if ids.len() == 1 { "runs" } else { "run" };
        parts.push(match group {
            Group::Live => format!(
                "{} {runs} only with `sfjwt check --live`, against Salesforce",
                ids.join(", ")
            ),
            Group::Offline => format!("{} did not run", ids.join(", ")),
            _ => format!("{} {runs} only {}", ids.join(", "), group.runs_when()),
        });
    }
    if !parts.is_empty() {
        return format!("{}.", parts.join("; "));
    }
    match step {
        4 => "No offline check can see the app's policies (pre-authorized users, profiles, permission sets): only a token exchange against Salesforce tests them.".to_string(),
        7 => "How the assertion is built and posted is tested by the assertion checks and by a token exchange against Salesforce.".to_string(),
        _ => "No check covers this step.".to_string(),
    }
}

/// The checks that cover `step` and ran, but whose finding points at other steps: a live token
/// exchange that Salesforce refused for a reason of another step never got as far as this one.
fn elsewhere(bundle: &BundleReport, step: u8) -> Vec<String> {
    checks::REGISTRY
        .iter()
        .filter(|c| c.covers(step))
        .filter_map(|c| bundle.finding(c.id))
        .filter(|f| f.status != Status::Skip && !f.steps.is_empty())
        .map(|f| {
            let steps: Vec<String> = f.steps.iter().map(u8::to_string).collect();
            format!(
                "{} {} on {} {} first, so it could not prove this one",
                code(f.id),
                match f.status {
                    Status::Fail => "failed",
                    Status::Warn => "warned",
                    _ => "ended",
                },
                if steps.len() == 1 { "step" } else { "steps" },
                steps.join(", ")
            )
        })
        .collect()
}

fn steps_words(steps: &[u8]) -> String {
    steps
        .iter()
        .map(|s| format!("{s} ({})", inline(step_title(*s))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text with every line break and control character turned into a space (U+FFFD for the
/// invisible ones), so it stays on its line.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Running text (a list item, a heading): code spans written with backticks in the checks'
/// messages stay code spans; everything else that Markdown would read as syntax is escaped.
pub fn inline(text: &str) -> String {
    escape(text, false)
}

/// Running text in a table cell: as [`inline`], and `|` is escaped everywhere, code spans
/// included (GitHub reads `\|` inside them as `|`).
pub fn cell(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, in_table: bool) -> String {
    let text = one_line(text);
    let balanced = text.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' {
            if balanced {
                in_code = !in_code;
                out.push('`');
            } else {
                out.push_str("\\`");
            }
            continue;
        }
        if in_code {
            if c == '|' && in_table {
                out.push_str("\\|");
            } else {
                out.push(c);
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let word_edge =
            !prev.is_some_and(char::is_alphanumeric) || !next.is_some_and(char::is_alphanumeric);
        match c {
            '\\' | '*' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if word_edge => out.push_str("\\_"),
            // `<` would open an HTML tag or an autolink; `>` is markup only at the start of a
            // line, where check text never stands.
            '<' => out.push_str("&lt;"),
            // `&` only when it would read as a character reference (`&amp;`, `&#60;`).
            '&' if looks_like_reference(&chars[i + 1..]) => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// True when the characters after a `&` would make it a character reference: letters, digits
/// or `#`, then `;`.
fn looks_like_reference(after: &[char]) -> bool {
    let name: Vec<&char> = after
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && after.get(name.len()) == Some(&';')
}

/// A value shown as code, safe for any backticks it holds; for running text.
pub fn code(text: &str) -> String {
    let text = one_line(text);
    let longest = longest_backtick_run(&text);
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {text} {fence}")
}

/// A value shown as code in a table cell: `|` escaped as well.
pub fn code_cell(text: &str) -> String {
    code(text).replace('|', "\\|")
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_escape_pipes_even_in_code_and_never_break_lines() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("run `a | b` now"), "run `a \\| b` now");
        assert_eq!(cell("one\ntwo\r\nthree"), "one two  three");
        assert!(!cell("x\u{0}y").contains('\u{0}'));
    }

    #[test]
    fn markdown_syntax_in_messages_is_escaped_and_code_spans_kept() {
        assert_eq!(
            inline("use `chmod 600 server.key` *now*"),
            "use `chmod 600 server.key` \\*now\\*"
        );
        assert_eq!(
            inline("<script> [x](http://e) ~~s~~"),
            "&lt;script> \\[x\\](http://e) \\~\\~s\\~\\~"
        );
        assert_eq!(
            inline("Setup > Users & Roles, &amp; &#60;"),
            "Setup > Users & Roles, &amp;amp; &amp;#60;"
        );
        // An unbalanced backtick cannot open a code span that swallows the rest of the page.
        assert_eq!(inline("it's a ` tick"), "it's a \\` tick");
        // Underscores inside words are left alone; at word edges they are escaped.
        assert_eq!(
            inline("consumer_key and _emph_"),
            "consumer_key and \\_emph\\_"
        );
    }

    #[test]
    fn code_spans_survive_backticks_in_values() {
        assert_eq!(code("abc"), "`abc`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
    }
}
