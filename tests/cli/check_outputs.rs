//! Where `sfjwt check` writes its reports and in which format: `-o -` (standard output),
//! `-o PATH` by its extension, `--json`, `--fail-on warn`, and the JSON report's `summary`.

use crate::common;

use common::{AT, copy_bundle, sfjwt};

/// A temporary directory holding copies of `valid` and `key-mismatch`.
fn bundles() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    copy_bundle("key-mismatch", dir.path());
    dir
}

/// Runs `sfjwt check --at AT ARGS` in DIR: (exit code, stdout, stderr).
fn check(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = sfjwt()
        .current_dir(dir)
        .args(["check", "--at", AT])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn dash_is_standard_output_and_no_file_named_dash_is_made() {
    let dir = bundles();
    let (code, out, err) = check(dir.path(), &["valid", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("valid (evaluated at"), "{out}");
    assert_eq!(
        out.matches("(evaluated at").count(),
        1,
        "written once: {out}"
    );

    // FORMAT=- takes standard output from the default --format report.
    let (code, out, err) = check(dir.path(), &["valid", "-o", "json=-", "-o", "junit=r.xml"]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(json["summary"]["bundles"], 1);
    assert!(dir.path().join("r.xml").is_file());
    assert_eq!(listing(dir.path()), ["key-mismatch", "r.xml", "valid"]);
}

#[test]
fn two_reports_that_want_standard_output_are_exit_2() {
    let dir = bundles();
    for args in [
        &["valid", "-o", "json=-", "-o", "junit=-"][..],
        &["valid", "-o", "-", "-o", "markdown=-"],
        &["valid", "--format", "text", "-o", "json=-"],
        &["valid", "--json", "-o", "junit=-"],
    ] {
        let (code, out, err) = check(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: nothing written: {out}");
        assert!(err.contains("standard output"), "{args:?}: {err}");
    }
    assert_eq!(listing(dir.path()), ["key-mismatch", "valid"]);
}

#[test]
fn a_plain_output_path_takes_its_format_from_the_extension() {
    let dir = bundles();
    let (code, out, err) = check(
        dir.path(),
        &[
            "valid", "-o", "r.json", "-o", "r.xml", "-o", "r.md", "-o", "r.TXT", "-o", "r.log",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "known extensions, no warning: {err}");
    assert!(
        out.is_empty(),
        "a plain -o takes the report off standard output: {out}"
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&read("r.json")).unwrap();
    assert_eq!(json["summary"]["pass"], 1);
    roxmltree::Document::parse(&read("r.xml")).expect("JUnit XML");
    assert!(read("r.md").starts_with("# sfjwt report: PASS"));
    assert!(read("r.TXT").starts_with("valid (evaluated at"));
    assert!(read("r.log").starts_with("valid (evaluated at"));

    // --format given: every plain path gets it, whatever the extension.
    let (code, _, err) = check(
        dir.path(),
        &["valid", "--format", "markdown", "-o", "x.json"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(read("x.json").starts_with("# sfjwt report"));
}

#[test]
fn an_unknown_extension_is_written_in_the_format_report_with_one_warning() {
    let dir = bundles();
    let (code, out, err) = check(dir.path(), &["valid", "-o", "report.htm"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "one warning: {err}");
    assert!(
        err.starts_with("sfjwt: warning: --output report.htm:"),
        "{err}"
    );
    assert!(err.contains(".htm names no report format"), "{err}");
    assert!(err.contains(".json json"), "it lists the extensions: {err}");
    let text = std::fs::read_to_string(dir.path().join("report.htm")).unwrap();
    assert!(text.starts_with("valid (evaluated at"), "text: {text}");
    // No extension at all (a FIFO, /dev/null, `report`): --format, without a warning.
    let (code, _, err) = check(dir.path(), &["valid", "-o", "report"]);
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn json_flag_is_format_json() {
    let dir = bundles();
    let (code, a, _) = check(dir.path(), &["valid", "--json"]);
    let (_, b, _) = check(dir.path(), &["valid", "--format", "json"]);
    let (_, c, _) = check(dir.path(), &["valid", "--json", "--format", "json"]);
    assert_eq!(code, 0);
    let parse = |s: &str| -> serde_json::Value { serde_json::from_str(s).unwrap() };
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("evaluated_at");
        v
    };
    assert_eq!(strip(parse(&a)), strip(parse(&b)));
    assert_eq!(strip(parse(&c)), strip(parse(&b)));
    let (code, out, err) = check(dir.path(), &["valid", "--json", "--format", "markdown"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("--json is --format json"), "{err}");
}

#[test]
fn fail_on_warn_is_fail_on_warning_and_help_keeps_the_two_words() {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("expiring-soon", dir.path());
    let (code, _, _) = check(dir.path(), &["expiring-soon"]);
    assert_eq!(code, 0, "a warning alone passes");
    for word in ["warn", "warning"] {
        let (code, _, err) = check(dir.path(), &["expiring-soon", "--fail-on", word]);
        assert_eq!(code, 1, "--fail-on {word}: {err}");
    }
    let help = sfjwt().args(["check", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("[possible values: error, warning]"), "{help}");
}

#[test]
fn the_json_summary_counts_bundles_by_verdict_and_checks_by_status() {
    let dir = bundles();
    copy_bundle("expiring-soon", dir.path());
    let (code, out, _) = check(
        dir.path(),
        &["--json", "valid", "expiring-soon", "key-mismatch"],
    );
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let summary = &json["summary"];
    assert_eq!(summary["bundles"], 3);
    assert_eq!(summary["pass"], 1);
    assert_eq!(summary["warn"], 1);
    assert_eq!(summary["fail"], 1);
    for status in ["pass", "info", "warn", "fail", "skip"] {
        let counted = json["bundles"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|b| b["checks"].as_array().unwrap())
            .filter(|c| c["status"] == status)
            .count();
        assert_eq!(summary["checks"][status], counted, "{status}");
    }
    // The JUnit report says the same totals, in a comment the schema allows.
    let (_, xml, _) = check(
        dir.path(),
        &[
            "--format",
            "junit",
            "valid",
            "expiring-soon",
            "key-mismatch",
        ],
    );
    assert!(
        xml.contains("<!-- sfjwt: 3 bundles: 1 pass, 1 warn, 1 fail -->"),
        "{xml}"
    );
}

#[test]
fn quiet_applies_to_text_and_markdown_outputs_not_to_json() {
    let dir = bundles();
    let (code, out, err) = check(
        dir.path(),
        &[
            "-q",
            "valid",
            "key-mismatch",
            "-o",
            "markdown=r.md",
            "-o",
            "json=r.json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("valid: pass ("), "{out}");
    assert!(out.contains("key-mismatch (evaluated at"), "{out}");
    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(md.contains("- `valid`: PASS ("), "{md}");
    assert!(!md.contains("## Bundle `valid`"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert!(
        json["bundles"][0]["checks"].as_array().unwrap().len() > 5,
        "complete"
    );
}
