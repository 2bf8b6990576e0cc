//! The reports of real `sfjwt check` runs: every format of a fleet run well-formed (how each
//! renders is snapshotted in renderers.rs, from one hand-built report), the markdown report's
//! checklist, the JUnit XML read back by a parser and held to the JUnit schema CI servers read,
//! escaping of hostile text in every format, several outputs in one run, and no secret in any
//! of them. Bundles are copied to a temporary directory with the key at 0600 and
//! run by their relative names, as in snapshots.rs.

use crate::common;

use std::collections::BTreeSet;

use clap::ValueEnum;
use sfjwt::report::ReportFormat;

use common::canaries::Canaries;
use common::{AT, check_copies as run, check_copies_quietly as check, copy_bundle, sfjwt};

// --- every format of a real run --------------------------------------------------------------

/// The bundles of the fleet run below: every verdict, a certificate expiring soon, one without its certificate (which fails).
const FLEET: [&str; 5] = [
    "valid",
    "lightning-url",
    "expiring-soon",
    "key-mismatch",
    "key-only",
];

/// A real run of several bundles in every format is well-formed and has its format's shape. How
/// each renders is snapshotted in renderers.rs, from a hand-built report; this holds the real
/// run's output together without listing its checks, so a new check changes nothing here.
#[test]
fn every_format_of_a_fleet_run_is_well_formed() {
    let (_, json) = check(&FLEET, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("well-formed JSON");
    let bundles = json["bundles"].as_array().expect("bundles");
    let verdicts: Vec<&str> = bundles
        .iter()
        .map(|b| b["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["pass", "fail", "warn", "fail", "fail"]);
    for variant in ReportFormat::value_variants() {
        let format = variant.name();
        let (code, out) = check(&FLEET, &["--format", format]);
        assert_eq!(code, 1, "{format}: three bundles fail");
        assert!(!out.is_empty(), "{format}");
        assert!(
            !out.contains('\u{1b}'),
            "{format}: not coloured off a terminal"
        );
        assert_shape(*variant, &out, bundles);
    }
}

/// What each format of the fleet run must hold, against its JSON report.
fn assert_shape(format: ReportFormat, out: &str, bundles: &[serde_json::Value]) {
    let names: Vec<&str> = bundles
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    let with = |status: &str| {
        bundles
            .iter()
            .flat_map(|b| b["checks"].as_array().unwrap())
            .filter(|c| c["status"] == status)
            .count()
    };
    match format {
        ReportFormat::Text => {
            for name in &names {
                assert!(
                    out.contains(&format!("{name} (evaluated at {AT})")),
                    "{out}"
                );
            }
            assert!(out.contains(&format!("Summary of 5 bundles (evaluated at {AT})")));
            assert!(
                out.ends_with("5 bundles: 1 pass, 1 warn, 3 fail\n"),
                "{out}"
            );
        }
        ReportFormat::Json => {
            let again: serde_json::Value = serde_json::from_str(out).expect("well-formed JSON");
            assert_eq!(again["bundles"].as_array().map(Vec::len), Some(5));
        }
        ReportFormat::Markdown => {
            assert!(out.starts_with("# sfjwt report: FAIL\n"), "{out}");
            assert!(out.contains("**Verdict: FAIL.** 5 bundles: 1 pass, 1 warn, 3 fail."));
            assert!(out.contains("## Summary"), "{out}");
            for name in &names {
                assert!(out.contains(&format!("## Bundle `{name}`: ")), "{name}");
            }
            assert_tables_hold(out);
        }
        ReportFormat::Junit => {
            let doc = roxmltree::Document::parse(out).expect("well-formed XML");
            assert_junit_schema(&doc);
            let suites = doc
                .root_element()
                .children()
                .filter(|n| n.has_tag_name("testsuite"));
            assert_eq!(suites.count(), 5, "one testsuite per bundle");
        }
        ReportFormat::Github => {
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), with("fail") + with("warn"), "{out}");
            for line in lines {
                assert!(
                    line.starts_with("::error ") || line.starts_with("::warning "),
                    "{line}"
                );
                assert!(line.contains(",title=sfjwt ") || line.contains(" title=sfjwt "));
            }
        }
        ReportFormat::Jsonl => assert_jsonl_shape(out, &names, bundles),
        ReportFormat::Sarif => {
            let doc: serde_json::Value = serde_json::from_str(out).expect("well-formed JSON");
            let errors = common::sarif_schema_errors(&doc);
            assert!(errors.is_empty(), "the SARIF 2.1.0 schema: {errors:#?}");
            let results = doc["runs"][0]["results"].as_array().expect("results");
            assert_eq!(results.len(), with("fail") + with("warn"), "{out}");
            for r in results {
                let uri = &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
                assert!(uri.as_str().is_some_and(|u| !u.is_empty()), "{r}");
            }
        }
    }
}

/// One line per bundle, in order, each the JSON report's bundle with the run's fields.
fn assert_jsonl_shape(out: &str, names: &[&str], bundles: &[serde_json::Value]) {
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let got: Vec<&str> = lines.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(got, names, "one line per bundle, in order");
    for (line, bundle) in lines.iter().zip(bundles) {
        assert_eq!(line["checks"], bundle["checks"], "the JSON report's bundle");
        assert_eq!(line["schema_version"], 1);
    }
}

// --- markdown --------------------------------------------------------------------------------

#[test]
fn markdown_lists_every_setup_step_and_says_when_none_checked_it() {
    let (_, out) = check(&["valid"], &["--format", "markdown"]);
    for step in sfjwt::steps::Step::ALL {
        let heading = format!("**Step {}: {}**", step.number(), step.title());
        assert!(out.contains(&heading), "{heading} is missing:\n{out}");
    }
    assert!(out.contains("**Step 4: Policies: pre-authorized users**: not checked."));
    assert!(out.contains("**Step 7: Assertion and token request**: pass (`assertion.claims`"));
    assert!(out.contains("Secrets were redacted"));
    assert!(out.contains("(given with `--at`"));
    assert!(out.contains("| Consumer key | `3MVG9u8j…` (85 characters"));
    assert!(
        !out.contains("3MVG9u8jz"),
        "only 8 characters of the consumer key"
    );
}

#[test]
fn markdown_without_at_says_the_time_of_the_run_is_used() {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--format", "markdown", "valid"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("(the time of the run; no `--at`)"), "{text}");
    assert!(!text.contains("Report made"), "{text}");
}

/// Every table row of a markdown report has as many cells as its table's header.
fn assert_tables_hold(md: &str) {
    let cells = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        n
    };
    let mut width = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            match width {
                None => width = Some(n),
                Some(w) => assert_eq!(n, w, "a row breaks its table: {line}"),
            }
        } else {
            width = None;
        }
    }
}

/// The text of a markdown page outside its code spans (where `<` is shown as it is).
fn outside_code(md: &str) -> String {
    let mut out = String::new();
    for line in md.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '`' {
                let mut n = 0;
                while i + n < chars.len() && chars[i + n] == '`' {
                    n += 1;
                }
                // Find the closing run of exactly n backticks.
                let mut j = i + n;
                let mut close = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let mut m = 0;
                        while j + m < chars.len() && chars[j + m] == '`' {
                            m += 1;
                        }
                        if m == n {
                            close = Some(j + m);
                            break;
                        }
                        j += m;
                    } else {
                        j += 1;
                    }
                }
                match close {
                    Some(end) => i = end,
                    None => {
                        out.extend(&chars[i..i + n]);
                        i += n;
                    }
                }
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out.push('\n');
    }
    out
}

/// A value that tries to break every format: markup of each, quotes, line breaks, controls.
const HOSTILE: &str = "a|b*c_d`e<f>&g\"h'i%j:k,l\r\nm\u{1b}[31mn]]>o";

#[test]
fn hostile_text_cannot_break_any_format() {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    // Every format, by its variant: a format added later must say here what holds it together.
    for variant in ReportFormat::value_variants() {
        let format = variant.name();
        let out = sfjwt()
            .current_dir(dir.path())
            .args([
                "check",
                "--at",
                AT,
                "--format",
                format,
                "--username",
                HOSTILE,
            ])
            .arg("valid")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: the username fails");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_hostile_survives(*variant, &text);
    }
}

/// What the hostile username must leave of each format: well-formed, no escape characters,
/// values read back whole.
fn assert_hostile_survives(variant: ReportFormat, text: &str) {
    match variant {
        ReportFormat::Text => {
            assert!(!text.contains('\u{1b}'), "no escape characters");
        }
        ReportFormat::Json => {
            let report: serde_json::Value = serde_json::from_str(text).expect("well-formed JSON");
            let finding = report["bundles"][0]["checks"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["id"] == "username.format"))
                .expect("the username's finding");
            assert_eq!(finding["status"], "fail", "{finding}");
            let message = finding["message"].as_str().expect("a message");
            assert!(
                !message.contains('\u{1b}'),
                "no escape characters: {message:?}"
            );
        }
        ReportFormat::Markdown => {
            assert_tables_hold(text);
            assert!(!text.contains('\u{1b}'), "no escape characters");
            assert!(!outside_code(text).contains("<f>"), "no raw HTML");
        }
        ReportFormat::Junit => {
            let doc = roxmltree::Document::parse(text).expect("well-formed XML");
            let failure = doc
                .descendants()
                .find(|n| n.has_tag_name("failure"))
                .expect("the username's failure");
            let message = failure.attribute("message").unwrap();
            // Read back exactly: quotes, markup and `%` survive (the check's message shows
            // the line break and the escape character as `\r\n` and `\u{1b}`).
            assert!(message.contains("a|b*c_d`e<f>&g\"h'i%j:k,l"), "{message:?}");
        }
        ReportFormat::Github => {
            // username.format only: assertion.claims leaves the same sub to it (one
            // mistake, one annotation), on one line.
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                lines.len(),
                1,
                "one annotation for the one mistake, on one line: {text}"
            );
            assert!(lines[0].contains("username.format"), "{text}");
            for line in lines {
                assert!(line.starts_with("::error "), "{text}");
                assert!(line.contains("%0AFix: "), "line breaks are escaped: {text}");
                assert!(line.contains("%25j"), "% is escaped: {text}");
            }
        }
        ReportFormat::Jsonl => {
            let line: serde_json::Value = serde_json::from_str(text.trim_end()).unwrap();
            let finding = line["checks"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["id"] == "username.format"))
                .expect("the username's finding");
            assert!(!finding["message"].as_str().unwrap().contains('\u{1b}'));
        }
        ReportFormat::Sarif => {
            let doc: serde_json::Value = serde_json::from_str(text).expect("well-formed JSON");
            let errors = common::sarif_schema_errors(&doc);
            assert!(errors.is_empty(), "the SARIF 2.1.0 schema: {errors:#?}");
            let result = doc["runs"][0]["results"]
                .as_array()
                .and_then(|r| r.iter().find(|r| r["ruleId"] == "username.format"))
                .expect("the username's result");
            let message = result["message"]["text"].as_str().unwrap();
            assert!(message.contains("a|b*c_d`e<f>&g\"h'i%j:k,l"), "{message:?}");
        }
    }
}

// --- JUnit -----------------------------------------------------------------------------------

/// Holds a document to Jenkins' junit-10.xsd, the JUnit schema CI servers read: which elements
/// may hold which, the attributes each may and must have, and the `time` pattern.
fn assert_junit_schema(doc: &roxmltree::Document) {
    fn check(node: roxmltree::Node, parent: Option<&str>) {
        let name = node.tag_name().name();
        let (children, required, allowed): (&[&str], &[&str], &[&str]) = match name {
            "testsuites" => (
                &["testsuite"],
                &[],
                &["name", "time", "tests", "failures", "errors"],
            ),
            "testsuite" => (
                &[
                    "testsuite",
                    "properties",
                    "testcase",
                    "system-out",
                    "system-err",
                ],
                &["name", "tests", "failures", "errors"],
                &[
                    "name",
                    "tests",
                    "failures",
                    "errors",
                    "group",
                    "time",
                    "skipped",
                    "timestamp",
                    "hostname",
                    "id",
                    "package",
                    "file",
                    "log",
                    "url",
                ],
            ),
            "properties" => (&["property"], &[], &[]),
            "property" => (&[], &["name", "value"], &["name", "value"]),
            "testcase" => (
                &["skipped", "error", "failure", "system-out", "system-err"],
                &["name"],
                &["name", "time", "classname", "group"],
            ),
            "failure" | "error" | "skipped" => (&[], &[], &["type", "message"]),
            "system-out" | "system-err" => (&[], &[], &[]),
            other => panic!("<{other}> is not in the JUnit schema (inside {parent:?})"),
        };
        for a in node.attributes() {
            assert!(
                allowed.contains(&a.name()),
                "<{name}> may not have the attribute {}",
                a.name()
            );
        }
        for r in required {
            assert!(node.attribute(*r).is_some(), "<{name}> needs {r}");
        }
        if let Some(t) = node.attribute("time") {
            assert!(
                !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "time {t:?}"
            );
        }
        for child in node.children().filter(|c| c.is_element()) {
            assert!(
                children.contains(&child.tag_name().name()),
                "<{}> may not be inside <{name}>",
                child.tag_name().name()
            );
            check(child, Some(name));
        }
    }
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    check(root, None);
}

fn count_attr(node: roxmltree::Node, name: &str) -> usize {
    node.attribute(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .parse()
        .unwrap()
}

#[test]
fn junit_is_valid_and_its_counts_match_the_json_report() {
    let bundles = [
        "valid",
        "lightning-url",
        "expiring-soon",
        "key-only",
        "key-mismatch",
    ];
    let (_, xml) = check(&bundles, &["--format", "junit"]);
    let (_, json) = check(&bundles, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_junit_schema(&doc);

    let root = doc.root_element();
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), bundles.len(), "one testsuite per bundle");
    let (mut tests, mut failures) = (0, 0);
    for (suite, bundle) in suites.iter().zip(json["bundles"].as_array().unwrap()) {
        assert_eq!(suite.attribute("name"), bundle["name"].as_str());
        assert_eq!(suite.attribute("timestamp"), Some("2026-11-29T13:00:00"));
        let checks = bundle["checks"].as_array().unwrap();
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), checks.len(), "one testcase per check");
        assert_eq!(count_attr(*suite, "tests"), checks.len());
        let with = |status: &str| checks.iter().filter(|c| c["status"] == status).count();
        let failed = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        let skipped = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
            .count();
        assert_eq!(failed, with("fail"), "a failure per failing check");
        assert_eq!(count_attr(*suite, "failures"), failed);
        assert_eq!(skipped, with("skip"));
        assert_eq!(count_attr(*suite, "skipped"), skipped);
        assert_eq!(count_attr(*suite, "errors"), 0);
        for (case, finding) in cases.iter().zip(checks) {
            assert_eq!(case.attribute("name"), finding["id"].as_str());
            assert_eq!(case.attribute("classname"), bundle["name"].as_str());
            if let Some(f) = case.children().find(|n| n.has_tag_name("failure")) {
                assert_eq!(f.attribute("message"), finding["message"].as_str());
                assert_eq!(f.attribute("type"), Some("fail"));
                let body = f.text().unwrap();
                assert!(body.contains(finding["fix"].as_str().unwrap()), "{body}");
            }
            if let Some(s) = case.children().find(|n| n.has_tag_name("skipped")) {
                assert_eq!(s.attribute("message"), finding["message"].as_str());
            }
        }
        tests += cases.len();
        failures += failed;
    }
    assert_eq!(count_attr(root, "tests"), tests);
    assert_eq!(count_attr(root, "failures"), failures);
}

#[test]
fn junit_warnings_are_failures_only_under_fail_on_warning() {
    let failures = |args: &[&str]| {
        let (code, xml) = check(&["expiring-soon"], args);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_junit_schema(&doc);
        let n = doc
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .map(|n| n.attribute("type").unwrap().to_string())
            .collect::<Vec<_>>();
        (code, n)
    };
    assert_eq!(failures(&["--format", "junit"]), (0, vec![]));
    assert_eq!(
        failures(&["--format", "junit", "--fail-on", "warning"]),
        (1, vec!["warn".to_string()])
    );
}

// --- GitHub ----------------------------------------------------------------------------------

#[test]
fn github_annotates_only_warnings_and_failures_and_points_at_the_file() {
    let (code, out) = check(&["valid"], &["--format", "github"]);
    assert_eq!(
        (code, out.as_str()),
        (0, ""),
        "a clean run annotates nothing"
    );
    let (_, out) = check(&["key-mismatch", "expiring-soon"], &["--format", "github"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("::error file=key-mismatch/server.crt,title="));
    assert!(lines[1].starts_with("::error title=sfjwt assertion.signature (key-mismatch)"));
    assert!(lines[2].starts_with("::warning file=expiring-soon/server.crt,title="));
    assert!(lines[0].contains("(key-mismatch)%3A Certificate matches key::"));
}

// --- several outputs -------------------------------------------------------------------------

#[test]
fn format_equals_path_outputs_are_written_beside_the_terminal_report() {
    let (dir, out) = run(
        &["valid", "expiring-soon"],
        &[
            "--output",
            "junit=out.xml",
            "--output",
            "markdown=out.md",
            "--output",
            "json=out.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Summary of 2 bundles"),
        "text on the terminal"
    );
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    roxmltree::Document::parse(&read("out.xml")).unwrap();
    assert!(read("out.md").starts_with("# sfjwt report: WARN"));
    let json: serde_json::Value = serde_json::from_str(&read("out.json")).unwrap();
    assert_eq!(json["bundles"].as_array().unwrap().len(), 2);
    assert!(
        !read("out.md").contains('\u{1b}'),
        "files are never coloured"
    );
}

#[test]
fn a_plain_output_path_takes_the_format_report_off_standard_output() {
    let (dir, out) = run(
        &["valid"],
        &[
            "--format",
            "markdown",
            "--output",
            "report.md",
            "--output",
            "github=annotations.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.starts_with("# sfjwt report: PASS"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("annotations.txt")).unwrap(),
        ""
    );
}

#[test]
fn an_unwritable_format_output_is_exit_2_and_leaves_no_files() {
    let (dir, out) = run(
        &["valid"],
        &[
            "--output",
            "markdown=first.md",
            "--output",
            "junit=no/such/dir/report.xml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot write the report to no/such/dir/report.xml"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing is checked");
    assert!(
        !dir.path().join("first.md").exists(),
        "no half-made outputs"
    );
}

#[test]
fn the_same_output_path_twice_and_unknown_formats_are_refused() {
    let (_, out) = run(&["valid"], &["--output", "a.txt", "--output", "json=a.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("twice"));
    let (_, out) = run(&["valid"], &["--output", "xml=a.xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junit"));
}

/// The outputs are made before the checks run; a run that fails after that removes them. A
/// broken sfjwt.toml used to be the trigger, but it is now a finding (config.parse, exit 1) and
/// every output is written. What still fails a run late is writing the report itself: here
/// the JUnit report is written whole to its temporary file, then the JSON one cannot be written
/// (/dev/full: no space left), so no report is renamed into place. Interruptions (SIGINT,
/// SIGTERM, SIGHUP mid-run) are covered by writes::sig*_mid_run_leaves_no_partial_report_*.
#[cfg(target_os = "linux")]
#[test]
fn a_run_that_fails_later_removes_the_outputs_it_made() {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT])
        .args([
            "--output",
            "junit=r.xml",
            "--output",
            "json=/dev/full",
            "valid",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/full"), "{err}");
    assert!(!dir.path().join("r.xml").exists());
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["valid"], "no temporary file left behind");
}

// --- secrets ---------------------------------------------------------------------------------

const CANARY_SECRET: &str = "CANARYSECRET0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123";
const CANARY_PASSPHRASE: &str = "CANARY-PASSPHRASE-7f3e9a";
const FIXTURE_PASSPHRASE: &str = "sfjwt-fixture-passphrase";

#[test]
fn no_secret_reaches_any_format_or_file() {
    let dir = tempfile::tempdir().unwrap();
    for b in ["valid", "encrypted-key"] {
        copy_bundle(b, dir.path());
    }
    let mut canaries = Canaries::new()
        .secret(CANARY_SECRET, "the consumer secret")
        .secret(CANARY_PASSPHRASE, "the wrong passphrase")
        .secret(FIXTURE_PASSPHRASE, "the passphrase");
    for key in ["valid/server.key", "encrypted-key/server.key"] {
        canaries = canaries.key_pem(&std::fs::read_to_string(dir.path().join(key)).unwrap(), key);
    }

    // The right passphrase (the key decrypts) and a wrong one (it does not): neither may show.
    for passphrase in [FIXTURE_PASSPHRASE, CANARY_PASSPHRASE] {
        for format in common::report_formats() {
            let mut cmd = sfjwt();
            cmd.current_dir(dir.path())
                .env("SFJWT_CONSUMER_SECRET", CANARY_SECRET)
                .env("SFJWT_FIXTURE_PASSPHRASE", passphrase)
                .args(["check", "--at", AT, "--no-prompt", "--format", format]);
            for other in common::report_formats() {
                cmd.arg("--output").arg(format!("{other}=out.{other}"));
            }
            let out = cmd.args(["valid", "encrypted-key"]).output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut seen = vec![
                (format!("stdout of {format}"), out.stdout),
                ("stderr".to_string(), out.stderr),
            ];
            for other in common::report_formats() {
                seen.push((
                    format!("out.{other}"),
                    std::fs::read(dir.path().join(format!("out.{other}"))).unwrap(),
                ));
            }
            let texts: Vec<(String, String)> = seen
                .iter()
                .map(|(what, bytes)| (what.clone(), String::from_utf8_lossy(bytes).into_owned()))
                .collect();
            canaries.assert_absent(format, &texts);
            // The secret was read: its fingerprint stands in for it.
            let md = &texts
                .iter()
                .find(|(what, _)| what == "out.markdown")
                .expect("the markdown report")
                .1;
            assert!(
                md.contains("| Consumer secret | given, redacted (64 characters"),
                "{md}"
            );
        }
    }
}

// --- completions and man page ----------------------------------------------------------------

#[test]
fn completions_and_man_pages_are_generated_from_the_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = sfjwt().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("fail-on"),
            "{shell} completes check's flags"
        );
    }
    let out = sfjwt().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH sfjwt 1"), "{page}");
    let out = sfjwt().args(["man", "check"]).output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH sfjwt-check 1"), "{page}");
    for flag in ["output", "fail\\-on", "expiry\\-warn\\-days", "format"] {
        assert!(page.contains(flag), "the page documents --{flag}");
    }
    sfjwt().args(["man", "nope"]).assert().code(2);
    sfjwt().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn every_format_is_accepted_and_formats_are_listed_in_help() {
    let help = sfjwt().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let formats = common::report_formats();
    let listed: BTreeSet<&str> = formats
        .iter()
        .copied()
        .filter(|f| help.contains(f))
        .collect();
    assert_eq!(listed.len(), formats.len(), "{help}");
}

/// Bundle directories whose names try to take over the terminal or the CI runner: an escape
/// sequence, a bidi override, a line break, and GitHub workflow commands. In every format the
/// names are escaped the same way, and no line sfjwt prints is a command it did not write.
#[test]
fn hostile_bundle_names_are_escaped_in_every_format() {
    let parent = tempfile::tempdir().unwrap();
    let names = [
        "\u{1b}]0;owned\u{7}\u{1b}[2Jclear",
        "rtl\u{202E}txt.crt",
        "two\nlines",
        "::add-mask::x",
        "##[error]boom",
        "::stop-commands::t",
    ];
    for name in names {
        common::copy_fixture("key-mismatch", &parent.path().join(name));
    }
    for format in common::report_formats() {
        let out = sfjwt()
            .current_dir(parent.path())
            .args(["check", "--at", AT, "--format", format, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = String::from_utf8(out.stdout).unwrap();
        for bad in ['\u{1b}', '\u{7}', '\u{202E}'] {
            assert!(
                !text.contains(bad),
                "{format}: {bad:?} printed raw:\n{text}"
            );
        }
        for line in text.lines() {
            let own = format == "github"
                && (line.starts_with("::error ") || line.starts_with("::warning "));
            assert!(
                own || !line.trim_start().starts_with("::"),
                "{format}: a workflow command sfjwt did not write: {line}"
            );
            assert!(!line.contains("##["), "{format}: {line}");
            if own {
                // Inside sfjwt's own annotation, a name cannot end the properties early: the
                // runner splits at the first `::` after the command, which must be sfjwt's.
                let rest = line.split_once(' ').map_or("", |(_, r)| r);
                let (props, message) = rest.split_once("::").unwrap_or((rest, ""));
                assert!(props.contains("title=sfjwt "), "{line}");
                assert!(props.ends_with(|c: char| c.is_ascii_alphabetic()), "{line}");
                assert!(message.starts_with(char::is_lowercase), "{line}");
            }
        }
        // The names are there, escaped (and escaped again as each format escapes), so the
        // bundles can still be told apart.
        for shown in ["u{1b}", "0;owned", "u{202e}txt", "two", "lines", "add-mask"] {
            assert!(text.contains(shown), "{format}: {shown}\n{text}");
        }
    }
}

/// JUnit classnames carry no leading `./` (Jenkins splits a classname on its dots): a bundle
/// given as `.` is class `bundle`, `./b` is `b`; the testsuite keeps the name as given.
#[test]
fn junit_classnames_have_no_leading_dot() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_bundle("valid", tmp.path());
    for (dir, arg, class, suite) in [
        (tmp.path().join("valid"), ".", "bundle", "."),
        (tmp.path().to_path_buf(), "./valid", "valid", "./valid"),
    ] {
        let out = common::sfjwt()
            .current_dir(&dir)
            .args(["check", "--at", common::AT, "--format", "junit", arg])
            .output()
            .unwrap();
        let xml = String::from_utf8_lossy(&out.stdout);
        assert!(
            xml.contains(&format!("classname=\"{class}\"")),
            "{arg}: {xml}"
        );
        assert!(!xml.contains("classname=\"."), "{arg}: {xml}");
        assert!(
            xml.contains(&format!("<testsuite name=\"{suite}\"")),
            "{arg}: {xml}"
        );
    }
}

/// `--at +Nd`: judged as of N days from now. fixtures/valid's certificate ends on 2125-01-01; the
/// test counts the days to it from today, so it holds whatever day it runs.
#[test]
fn at_takes_a_time_from_now() {
    let end = time::macros::datetime!(2125-01-01 0:00 UTC);
    let days = (end - time::OffsetDateTime::now_utc()).whole_days();
    for (offset, status) in [(days - 2, "pass"), (days + 2, "warn")] {
        let at = format!("+{offset}d");
        let out = common::sfjwt()
            .args([
                "check",
                "--format",
                "json",
                "--expiry-warn-days",
                "0",
                "--at",
                &at,
            ])
            .arg("fixtures/valid")
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{at}: {}", common::all_output(&out)));
        assert_eq!(common::status_of(&report, "cert.validity"), status, "{at}");
        let evaluated = report["evaluated_at"].as_str().unwrap();
        let want = (time::OffsetDateTime::now_utc() + time::Duration::days(offset)).year();
        assert!(
            evaluated.starts_with(&want.to_string()),
            "{at}: {evaluated}"
        );
    }
    let out = common::sfjwt()
        .args(["check", "--at", "+3m", "fixtures/valid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("+90d"));
}

// --- SARIF -----------------------------------------------------------------------------------

/// The results of a real run on failing bundles: a location on the file each is about (the
/// sfjwt.toml line for a value written there), levels, a fingerprint per bundle and check, and
/// an allowed finding as a suppressed note that says who allowed it.
#[test]
fn sarif_failing_bundles() {
    let (code, out) = check(
        &["typo-url", "key-mismatch", "short-consumer-key"],
        &["--format", "sarif", "--allow", "consumer-key.format"],
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("well-formed JSON");
    assert_eq!(doc["version"], "2.1.0");
    let errors = common::sarif_schema_errors(&doc);
    assert!(errors.is_empty(), "the SARIF 2.1.0 schema: {errors:#?}");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap() {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], r["ruleId"],
            "ruleIndex points at its rule"
        );
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&run["results"]).unwrap());
}

/// An app.* result points at the line of the element it judged in the retrieved metadata.
#[test]
fn sarif_app_findings_point_at_the_element_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = sfjwt()
        .current_dir(root)
        .args(["check", "--at", AT, "--format", "sarif"])
        .args([
            "--app-metadata",
            "fixtures/app/eca-other-cert",
            "fixtures/valid",
        ])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("well-formed JSON");
    let errors = common::sarif_schema_errors(&doc);
    assert!(errors.is_empty(), "the SARIF 2.1.0 schema: {errors:#?}");
    let result = doc["runs"][0]["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["ruleId"] == "app.certificate"))
        .expect("app.certificate fails");
    let place = &result["locations"][0]["physicalLocation"];
    let uri = place["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.ends_with(".ecaGlblOauth-meta.xml"), "{uri}");
    let line = place["region"]["startLine"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(root.join(uri)).unwrap();
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("<certificate>"),
        "line {line} of {uri}"
    );
}
