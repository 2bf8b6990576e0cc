//! Fleets: a few hundred bundles in one run. A directory of bundles is checked in name order
//! (whatever order the workers finish in), directories given one by one keep their order, the
//! text report ends with the summary, and the exit code follows the worst verdict and
//! `--fail-on`; a broken sfjwt.toml is that bundle's finding and stops nothing. Bundles are
//! copies of the fixtures, keys at 0600, in a temporary directory.

use crate::common;

use std::path::Path;

use common::{AT, copy_fixture, sfjwt};

/// The kinds of bundle in a generated fleet, and the verdict each gets at the test instant.
const KINDS: &[(&str, &str)] = &[
    ("valid", "pass"),
    ("der", "pass"),
    ("expiring-soon", "warn"),
    ("sandbox-no-suffix", "warn"),
    ("key-mismatch", "fail"),
    // Salesforce still accepts an expired certificate: it warns (--expiry-fail-days fails it).
    ("expired-cert", "warn"),
    ("lightning-url", "fail"),
];

/// Makes DIR/fleet with `n` bundles named so that name order differs from creation order, and
/// returns (name, expected verdict, kind) in name order.
fn make_fleet(
    dir: &Path,
    n: usize,
    kinds: &[(&'static str, &'static str)],
) -> Vec<(String, &'static str, &'static str)> {
    let mut made = Vec::new();
    for i in 0..n {
        // Created in order i, named by a scrambled number: the directory listing order and the
        // creation order are not the name order.
        let name = format!("b{:04}", (i * 7919) % 10_000);
        let (kind, verdict) = kinds[i % kinds.len()];
        copy_fixture(kind, &dir.join("fleet").join(&name));
        made.push((name, verdict, kind));
    }
    made.sort();
    // Not bundles: a hidden directory, a plain file, an empty directory.
    copy_fixture("valid", &dir.join("fleet/.cache"));
    std::fs::write(dir.join("fleet/README"), "not a bundle").unwrap();
    std::fs::create_dir_all(dir.join("fleet/empty")).unwrap();
    made
}

#[test]
fn a_directory_of_a_few_hundred_bundles_in_name_order_with_summary_and_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let expected = make_fleet(dir.path(), 280, KINDS);

    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT, "--format", "json", "fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "some bundles fail");
    assert!(out.stderr.is_empty(), "no progress line without a terminal");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String)> = json["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_string(),
                b["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v, _)| (format!("fleet/{n}"), v.to_string()))
        .collect();
    assert_eq!(got, want, "every bundle, in name order, with its verdict");

    // The text report ends with the summary: counts, the bundles that did not pass (failing
    // first, each in name order), and the certificates expiring soonest.
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT, "fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let count = |v: &str| expected.iter().filter(|(_, e, _)| *e == v).count();
    let last = text.lines().last().unwrap();
    assert_eq!(
        last,
        format!(
            "280 bundles: {} pass, {} warn, {} fail",
            count("pass"),
            count("warn"),
            count("fail")
        )
    );
    let summary = &text[text.find("Summary of 280 bundles").expect("a summary")..];
    let rows: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("  FAIL ") || l.starts_with("  warn "))
        .collect();
    let want_rows: Vec<String> = expected
        .iter()
        .filter(|(_, v, _)| *v == "fail")
        .chain(expected.iter().filter(|(_, v, _)| *v == "warn"))
        .map(|(n, _, _)| format!("fleet/{n}"))
        .collect();
    assert_eq!(rows.len(), want_rows.len());
    for (row, name) in rows.iter().zip(&want_rows) {
        assert!(row.contains(name.as_str()), "{row} should be {name}");
    }
    assert!(summary.contains(&format!("(and {} bundles that passed)", count("pass"))));
    // Expired certificates first (most days past), then the one expiring in 10 days.
    let expiring = &summary[summary.find("Certificates expiring soonest").unwrap()..];
    let first_rows: Vec<&str> = expiring.lines().skip(2).take(10).collect();
    // All expired certificates end on the same day: the first in name order leads.
    let first_expired = expected
        .iter()
        .find(|(_, _, kind)| *kind == "expired-cert")
        .unwrap();
    assert!(
        first_rows[0].trim_start().starts_with('-'),
        "an expired certificate leads: {}",
        first_rows[0]
    );
    assert!(
        first_rows[0].ends_with(&format!("fleet/{}", first_expired.0)),
        "{}",
        first_rows[0]
    );
    assert!(expiring.contains("(and 270 more; the JSON report has every date)"));
}

#[test]
fn bundles_given_one_by_one_keep_their_order_and_fail_on_warning_counts_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let kinds = &[("valid", "pass"), ("expiring-soon", "warn")];
    let expected = make_fleet(dir.path(), 200, kinds);
    // Reverse name order on the command line.
    let given: Vec<String> = expected
        .iter()
        .rev()
        .map(|(n, _, _)| format!("fleet/{n}"))
        .collect();
    let run = |extra: &[&str]| {
        sfjwt()
            .current_dir(dir.path())
            .args(["check", "--at", AT, "--format", "json"])
            .args(extra)
            .args(&given)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = json["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, given, "the order given");
    assert_eq!(run(&["--fail-on", "warning"]).status.code(), Some(1));
    // Releasing after the certificate that expires on 2026-12-10 has expired fails the run
    // that asks for expiry to fail.
    let out = sfjwt()
        .current_dir(dir.path())
        .args([
            "check",
            "--at",
            "2026-12-11",
            "--expiry-fail-days",
            "0",
            "--format",
            "junit",
            "fleet",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element()
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .count(),
        200
    );
    assert_eq!(doc.root_element().attribute("failures"), Some("100"));
}

/// A broken sfjwt.toml is its bundle's config.parse finding, never a stop (DESIGN.md, exit
/// codes: one bad bundle never stops the others from being checked and reported). Whatever
/// order the workers finish in, every bundle is reported, in name order, in JSON and JUnit.
#[test]
fn broken_sfjwt_toml_bundles_are_reported_in_place_and_the_others_checked_whatever_the_timing() {
    let dir = tempfile::tempdir().unwrap();
    let mut expected: Vec<String> = make_fleet(dir.path(), 60, &[("valid", "pass")])
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    let broken = ["b0013", "b0041"];
    for name in broken {
        std::fs::create_dir_all(dir.path().join("fleet").join(name)).unwrap();
        std::fs::write(
            dir.path().join("fleet").join(name).join("sfjwt.toml"),
            "username = \n",
        )
        .unwrap();
        expected.push(name.to_string());
    }
    expected.sort();
    expected.dedup();
    for _ in 0..3 {
        let out = sfjwt()
            .current_dir(dir.path())
            .args(["check", "--at", AT, "--format", "json", "fleet"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "a finding, not a tool error");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let bundles = json["bundles"].as_array().unwrap();
        let names: Vec<&str> = bundles
            .iter()
            .map(|b| b["name"].as_str().unwrap())
            .collect();
        let want: Vec<String> = expected.iter().map(|n| format!("fleet/{n}")).collect();
        assert_eq!(names, want, "every bundle, in name order");
        for b in bundles {
            let name = b["name"].as_str().unwrap();
            let is_broken = broken.iter().any(|n| name.ends_with(n));
            let config = &b["checks"][0];
            assert_eq!(config["id"], "config.parse", "{name}");
            let (status, verdict) = if is_broken {
                ("fail", "fail")
            } else {
                ("pass", "pass")
            };
            assert_eq!(config["status"], status, "{name}: {config}");
            assert_eq!(b["verdict"], verdict, "{name}");
        }
    }
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT, "--format", "junit", "fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .count();
    assert_eq!(suites, expected.len(), "every bundle in the JUnit report");
}

/// Three bundles given one by one, the middle one with a misspelt setting on line 2 of its
/// sfjwt.toml (fixtures/broken-config): exit 1; all three reported in the order given; the
/// broken one's config.parse fails with the line, the column and a did-you-mean, and its
/// other checks skip "(see config.parse)"; the two others are checked in full. The GitHub
/// annotation points at the line and column.
#[test]
fn a_fleet_with_a_broken_sfjwt_toml_in_the_middle_checks_and_reports_all_three() {
    let dir = tempfile::tempdir().unwrap();
    let given = ["first", "broken", "last"];
    for (name, kind) in given
        .iter()
        .zip(["valid", "broken-config", "expiring-soon"])
    {
        copy_fixture(kind, &dir.path().join(name));
    }
    let run = |format: &str| {
        sfjwt()
            .current_dir(dir.path())
            .args(["check", "--at", AT, "--format", format])
            .args(given)
            .output()
            .unwrap()
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(1), "{}", common::all_output(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bundles = json["bundles"].as_array().unwrap();
    let names: Vec<&str> = bundles
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, given, "all three, in the order given");

    assert_broken_config(&bundles[1]);
    assert_checked_in_full(&bundles[0], "pass");
    assert_checked_in_full(&bundles[2], "warn");
    let validity = bundles[2]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "cert.validity")
        .unwrap();
    assert_eq!(
        validity["status"], "warn",
        "the last bundle is judged: {validity}"
    );

    let out = run("github");
    assert_eq!(out.status.code(), Some(1));
    let annotations = String::from_utf8(out.stdout).unwrap();
    let line = annotations
        .lines()
        .find(|l| l.contains("config.parse"))
        .unwrap_or_else(|| panic!("no config.parse annotation:\n{annotations}"));
    assert!(line.starts_with("::error "), "{line}");
    assert!(
        line.contains("file=broken/sfjwt.toml,line=2,col=1,"),
        "{line}"
    );
    assert!(
        annotations.contains("cert.validity"),
        "the last bundle is annotated too"
    );
}

/// The broken bundle: config.parse fails with the file, line, column and a did-you-mean; every
/// other check skips "(see config.parse)".
fn assert_broken_config(bundle: &serde_json::Value) {
    let checks = bundle["checks"].as_array().unwrap();
    let config = &checks[0];
    assert_eq!(config["id"], "config.parse");
    assert_eq!(config["status"], "fail", "{config}");
    assert_eq!(config["evidence"]["file"], "broken/sfjwt.toml", "{config}");
    assert_eq!(config["evidence"]["line"], 2, "{config}");
    assert_eq!(config["evidence"]["column"], 1, "{config}");
    let message = config["message"].as_str().unwrap();
    assert!(message.contains("broken/sfjwt.toml:2:1"), "{message}");
    assert!(message.contains("`usrname` is not a setting"), "{message}");
    assert!(message.contains("did you mean `username`?"), "{message}");
    assert!(config["fix"].as_str().is_some_and(|f| !f.is_empty()));
    assert!(checks.len() > 1);
    for c in &checks[1..] {
        assert_eq!(c["status"], "skip", "{c}");
        let m = c["message"].as_str().unwrap();
        assert!(m.ends_with("(see config.parse)"), "{c}");
    }
    assert_eq!(bundle["verdict"], "fail");
}

/// A good bundle beside the broken one: its sfjwt.toml reads, and its checks run.
fn assert_checked_in_full(bundle: &serde_json::Value, verdict: &str) {
    let name = bundle["name"].as_str().unwrap();
    let checks = bundle["checks"].as_array().unwrap();
    assert_eq!(bundle["verdict"], verdict, "{name}");
    assert_eq!(checks[0]["id"], "config.parse", "{name}");
    assert_eq!(checks[0]["status"], "pass", "{name}");
    for id in [
        "key.parse",
        "cert.parse",
        "cert.matches-key",
        "assertion.signature",
    ] {
        let f = checks.iter().find(|c| c["id"] == id).unwrap();
        assert_eq!(f["status"], "pass", "{name}: {f}");
    }
    let skipped_for_config = checks
        .iter()
        .filter(|c| {
            c["message"]
                .as_str()
                .unwrap_or("")
                .contains("(see config.parse)")
        })
        .count();
    assert_eq!(skipped_for_config, 0, "{name}");
}

#[test]
fn a_directory_that_holds_no_bundle_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("nothing/here")).unwrap();
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "nothing"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no bundle"));
}

/// What the terminal showed of `sfjwt ARGS` (a shell command line after the binary) run in `dir`
/// on a pseudo-terminal (util-linux `script`), without colour.
#[cfg(unix)]
fn on_a_terminal(dir: &std::path::Path, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("sfjwt");
    let out = common::clean_env(&mut std::process::Command::new("script"))
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// On a terminal, a run of many bundles shows its progress on standard error, and clears it.
#[cfg(unix)]
#[test]
fn on_a_terminal_many_bundles_show_progress() {
    let dir = tempfile::tempdir().unwrap();
    make_fleet(dir.path(), 30, &[("valid", "pass")]);
    let shown = on_a_terminal(
        dir.path(),
        &format!("check --at {AT} --format json fleet > report.json"),
    );
    assert!(shown.contains("checking bundles: "), "{shown:?}");
    assert!(shown.contains("/30"), "{shown:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(json["bundles"].as_array().unwrap().len(), 30);
}

/// When the report itself goes to the terminal, its bundles appear there as they finish: no
/// progress line breaks into them.
#[cfg(unix)]
#[test]
fn a_report_on_the_terminal_streams_without_a_progress_line() {
    let dir = tempfile::tempdir().unwrap();
    make_fleet(dir.path(), 30, &[("valid", "pass")]);
    let shown = on_a_terminal(dir.path(), &format!("check --at {AT} --quiet fleet"));
    assert!(!shown.contains("checking bundles"), "{shown:?}");
    assert!(shown.contains("30 bundles: 30 pass"), "{shown:?}");
}

/// The instant the 500-bundle fleet is judged at: `fixtures/valid`'s certificate is valid from
/// 2025-01-01 to 2125-01-01, so every bundle but the two broken ones passes.
const FLEET_AT: &str = "2026-12-01T00:00:00Z";

/// 500 bundles made from one key pair (`fixtures/valid`, copied 500 times, keys at 0600), with
/// one key cut short and one sfjwt.toml that is not TOML: one run writes the quiet text to
/// standard output and the JSON, JUnit and markdown reports to files. Every bundle is in the
/// JSON and JUnit reports, both failures are reported in full in the quiet text, and the
/// markdown stays under GitHub's 1 MiB job-summary limit with the two failing bundles first.
#[test]
fn five_hundred_bundles_one_broken_key_one_broken_sfjwt_toml() {
    let dir = tempfile::tempdir().unwrap();
    make_five_hundred(&dir.path().join("fleet"));
    let started = std::time::Instant::now();
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", FLEET_AT, "--quiet", "fleet"])
        .args([
            "-o",
            "json=r.json",
            "-o",
            "junit=r.xml",
            "-o",
            "markdown=r.md",
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1), "two bundles fail");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_every_bundle_in_json_and_junit(dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines = text.lines().count();
    assert!(lines < 600, "{lines} lines of quiet text");
    assert!(text.contains("fleet/b000: pass ("), "{text}");
    assert!(text.contains("fleet/b123: FAIL ("), "{text}");
    assert!(
        text.lines().any(|l| l.contains("fail  key.parse ")),
        "the key's failure in full:\n{text}"
    );
    assert!(
        text.contains("fail  config.parse") && text.contains("fleet/b321/sfjwt.toml:"),
        "the sfjwt.toml failure, with where it is:\n{text}"
    );
    assert_eq!(
        text.lines().last(),
        Some("500 bundles: 498 pass, 0 warn, 2 fail")
    );

    let md = std::fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(md.len() < 1 << 20, "{} bytes of markdown", md.len());
    let first = md
        .find("## Bundle `fleet/b123`: FAIL")
        .expect("b123 in full");
    let second = md
        .find("## Bundle `fleet/b321`: FAIL")
        .expect("b321 in full");
    let passing = md
        .find("## Passing bundles")
        .expect("then the passing ones");
    assert!(first < second && second < passing);
    assert!(
        md.contains("- `fleet/b000`: PASS ("),
        "quiet: one line each"
    );
    eprintln!(
        "500 bundles: {lines} lines of quiet text, {} bytes of markdown, {took:?}",
        md.len()
    );
}

/// FLEET/b000 to FLEET/b499, copies of `fixtures/valid` (keys at 0600); b123's key is cut in
/// half, b321's sfjwt.toml is not TOML (a string left open).
fn make_five_hundred(fleet: &Path) {
    for i in 0..500 {
        copy_fixture("valid", &fleet.join(format!("b{i:03}")));
    }
    let key = fleet.join("b123/server.key");
    let pem = std::fs::read(&key).unwrap();
    std::fs::write(&key, &pem[..pem.len() / 2]).unwrap();
    std::fs::write(
        fleet.join("b321/sfjwt.toml"),
        "consumer_key = \"3MVG9\nusername = integration@acme.com\n",
    )
    .unwrap();
}

/// r.json and r.xml in DIR hold all 500 bundles, the counts, and both failures.
fn assert_every_bundle_in_json_and_junit(dir: &Path) {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    let summary = &json["summary"];
    assert_eq!(
        [
            &summary["bundles"],
            &summary["pass"],
            &summary["warn"],
            &summary["fail"]
        ],
        [500, 498, 0, 2]
    );
    let bundles = json["bundles"].as_array().unwrap();
    assert_eq!(bundles.len(), 500);
    let finding = |name: &str, id: &str| {
        let b = bundles.iter().find(|b| b["name"] == name).unwrap();
        b["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(finding("fleet/b123", "key.parse")["status"], "fail");
    let config = finding("fleet/b321", "config.parse");
    assert_eq!(config["status"], "fail", "{config}");
    assert!(config["evidence"]["line"].as_u64().is_some(), "{config}");
    assert!(config["evidence"]["column"].as_u64().is_some(), "{config}");

    let xml = std::fs::read_to_string(dir.join("r.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .count();
    assert_eq!(suites, 500);
}

/// The quiet text and markdown of a small fleet: a passing bundle is one line, the warning and
/// the failure are in full; the totals are the text's last line and the markdown's first table.
#[test]
fn quiet_text_and_markdown_of_a_small_fleet() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["valid", "expiring-soon", "key-mismatch", "der"] {
        common::copy_bundle(kind, dir.path());
    }
    let run = |format: &str| {
        let out = sfjwt()
            .current_dir(dir.path())
            .args(["check", "--at", AT, "-q", "--format", format])
            .args(["valid", "expiring-soon", "key-mismatch", "der"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"sfjwt \d+\.\d+\.\d+\S*", "sfjwt [version]");
    settings.add_filter(
        r"\*\*Report made:\*\* \S+",
        "**Report made:** [time of the run]",
    );
    settings.bind(|| {
        insta::assert_snapshot!("quiet_text_small_fleet", run("text"));
        insta::assert_snapshot!("quiet_markdown_small_fleet", run("markdown"));
    });
}
