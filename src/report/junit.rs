//! `--format junit`: JUnit XML for CI test reports (Jenkins, GitLab, Azure DevOps, GitHub test
//! reporters). One `<testsuite>` per bundle, one `<testcase>` per check; a failure is a
//! `<failure>` with the message and the fix, a skip a `<skipped>` with its reason. A warning is a
//! `<failure>` under `--fail-on warning` (it fails the run), otherwise a passing test case whose
//! `<system-out>` says what to look at.
//!
//! The elements and attributes are those of the JUnit schema that CI servers read (Jenkins'
//! junit-10.xsd, the Ant/Surefire format): `testsuites` (name, tests, failures, errors, time),
//! `testsuite` (name, tests, failures, errors, skipped, time, timestamp, id, package),
//! `properties`/`property`, `testcase` (name, classname, time), `failure`/`skipped`
//! (message, type) and `system-out`. `timestamp` is `evaluated_at` without its zone designator
//! (the Ant format has none); it is UTC, and the `evaluated_at` property keeps the `Z`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::spool::Spool;
use super::text::step_title;
use super::totals::Totals;
use super::{BundleReport, Head, Render, Report};
use crate::finding::{Finding, Status};

pub fn render(report: &Report) -> String {
    super::render(report, super::ReportFormat::Junit)
}

/// How one finding shows in JUnit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

fn outcome(f: &Finding, fail_on_warning: bool) -> Outcome {
    match f.status {
        Status::Fail => Outcome::Failed,
        Status::Warn if fail_on_warning => Outcome::Failed,
        Status::Skip => Outcome::Skipped,
        _ => Outcome::Passed,
    }
}

struct Tally {
    tests: usize,
    failures: usize,
    skipped: usize,
}

fn tally(bundle: &BundleReport, fail_on_warning: bool) -> Tally {
    let mut t = Tally {
        tests: bundle.checks.len(),
        failures: 0,
        skipped: 0,
    };
    for f in &bundle.checks {
        match outcome(f, fail_on_warning) {
            Outcome::Failed => t.failures += 1,
            Outcome::Skipped => t.skipped += 1,
            Outcome::Passed => {}
        }
    }
    t
}

/// The JUnit XML report. The root's `tests` and `failures` count every bundle's, so the suites
/// are spooled as the bundles finish, and the document written at the end.
#[derive(Debug, Default)]
pub struct Junit {
    suites: Spool,
    written: usize,
    tests: usize,
    failures: usize,
}

impl Render for Junit {
    fn bundle(&mut self, head: &Head<'_>, b: &BundleReport, _: &mut dyn Write) -> io::Result<()> {
        let t = tally(b, head.run.fail_on_warning);
        self.tests += t.tests;
        self.failures += t.failures;
        let timestamp = head
            .evaluated_at
            .strip_suffix('Z')
            .unwrap_or(head.evaluated_at);
        let mut out = String::new();
        suite(&mut out, self.written, b, head, timestamp);
        self.written += 1;
        self.suites.push(out.as_bytes())?;
        Ok(())
    }

    fn finish(&mut self, _: &Head<'_>, totals: &mut Totals, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::new();
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"sfjwt\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"0\">",
            self.tests, self.failures
        );
        // The schema has no attribute for bundles by verdict (the JSON report's `summary`): a
        // comment says them to a person, and each suite's `verdict` property to a program.
        let _ = writeln!(
            out,
            "  <!-- sfjwt: {} -->",
            super::summary::totals_line(totals.counts)
        );
        w.write_all(out.as_bytes())?;
        self.suites.copy_to(w)?;
        w.write_all(b"</testsuites>\n")
    }
}

fn suite(
    out: &mut String,
    index: usize,
    bundle: &BundleReport,
    report: &Head<'_>,
    timestamp: &str,
) {
    let strict = report.run.fail_on_warning;
    let t = tally(bundle, strict);
    let name = attr(&bundle.name);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"0\" timestamp=\"{}\" id=\"{index}\" package=\"sfjwt\">",
        t.tests,
        t.failures,
        t.skipped,
        attr(timestamp)
    );
    out.push_str("    <properties>\n");
    for (k, v) in [
        ("sfjwt.version", report.tool.version),
        ("evaluated_at", report.evaluated_at),
        ("verdict", bundle.verdict.as_str()),
        ("fail_on", if strict { "warning" } else { "error" }),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{}\" value=\"{}\"/>",
            attr(k),
            attr(v)
        );
    }
    out.push_str("    </properties>\n");
    let class = attr(&classname(&bundle.name));
    for f in &bundle.checks {
        case(out, &class, f, strict);
    }
    out.push_str("  </testsuite>\n");
}

/// A bundle's name as a JUnit classname. Jenkins splits a classname at its last dots into package
/// and class, so the path's directories become the packages (`deploy/acme` -> `deploy.acme`),
/// dots inside a directory's name become `_` (`acme.prod` -> `acme_prod`), and `.`, `./` and
/// empty components go (`./acme` -> `acme`; `.` alone -> `bundle`). The testsuite keeps the name
/// as given.
fn classname(name: &str) -> String {
    let parts: Vec<String> = name
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .map(|p| {
            if p == ".." {
                "up".to_owned()
            } else {
                p.replace('.', "_")
            }
        })
        .collect();
    if parts.is_empty() {
        "bundle".to_owned()
    } else {
        parts.join(".")
    }
}

fn case(out: &mut String, classname: &str, f: &Finding, strict: bool) {
    let open = format!(
        "    <testcase name=\"{}\" classname=\"{classname}\" time=\"0\"",
        attr(f.id)
    );
    match (outcome(f, strict), f.status) {
        (Outcome::Failed, status) => {
            let _ = writeln!(
                out,
                "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                attr(&f.message),
                status.as_str(),
                text(&details(f))
            );
        }
        (Outcome::Skipped, _) => {
            let _ = writeln!(
                out,
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                attr(&f.message)
            );
        }
        (Outcome::Passed, Status::Warn | Status::Info) => {
            let _ = writeln!(
                out,
                "{open}>\n      <system-out>{}</system-out>\n    </testcase>",
                text(&details(f))
            );
        }
        (Outcome::Passed, _) => {
            let _ = writeln!(out, "{open}/>");
        }
    }
}

/// The body of a failure: status and title, message, fix, steps, and where to read more.
fn details(f: &Finding) -> String {
    let mut s = format!("{} {}: {}\n{}", f.status.as_str(), f.id, f.title, f.message);
    if let Some(fix) = &f.fix {
        let _ = write!(s, "\nFix: {fix}");
    }
    let steps: Vec<String> = f
        .steps
        .iter()
        .map(|n| format!("{n} ({})", step_title(*n)))
        .collect();
    if !steps.is_empty() {
        let _ = write!(s, "\nSetup steps: {}", steps.join(", "));
    }
    let _ = write!(s, "\nMore: sfjwt explain {}", f.id);
    s
}

/// A character XML 1.0 allows; others (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{FFFD}',
        c => c,
    }
}

/// An attribute value: quotes, markup characters and line breaks as references, so a parser
/// gives back exactly the text (a raw line break in an attribute would be read as a space).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// Element text: markup characters as references; `\r` too, which a parser would drop.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod classname_tests {
    use super::classname;

    #[test]
    fn classnames_have_no_leading_dot_and_split_at_directories() {
        for (name, class) in [
            (".", "bundle"),
            ("./", "bundle"),
            ("./acme", "acme"),
            ("acme", "acme"),
            ("deploy/acme.prod", "deploy.acme_prod"),
            ("../x/./y/", "up.x.y"),
            ("command line", "command line"),
        ] {
            assert_eq!(classname(name), class, "{name}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fleet_totals_are_a_comment_after_the_root() {
        use crate::report::testing::{bundle, finding};
        let report = Report {
            schema_version: 1,
            tool: crate::report::Tool::this(),
            evaluated_at: "2026-11-29T13:00:00Z".into(),
            bundles: vec![
                bundle("a", vec![finding("key.parse", Status::Pass)]),
                bundle("b", vec![finding("key.parse", Status::Fail)]),
            ],
            run: Default::default(),
        };
        let xml = render(&report);
        assert_eq!(
            xml.lines().nth(2),
            Some("  <!-- sfjwt: 2 bundles: 1 pass, 0 warn, 1 fail -->")
        );
    }

    #[test]
    fn attributes_keep_quotes_markup_and_line_breaks() {
        assert_eq!(
            attr("a\"b'c<d>&e\nf\rg\th"),
            "a&quot;b&apos;c&lt;d&gt;&amp;e&#10;f&#13;g&#9;h"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_replaced() {
        assert_eq!(
            text("a\u{0}b\u{1b}c\u{ffff}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(text("x ]]> y"), "x ]]&gt; y");
    }
}
