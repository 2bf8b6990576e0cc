//! Every shipped fixture bundle, run through the real binary at the test instant: one snapshot of
//! its findings per bundle (what fixtures/README.md tabulates), and every warning or failure
//! carries a fix.

use crate::common;

use serde_json::Value;

use common::{check_json, finding};

/// The fixture bundles: every directory of fixtures/ with an `sfjwt.toml`, by name.
fn bundles() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("sfjwt.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

/// One snapshot per fixture bundle (`findings@BUNDLE__sfjwt.toml.snap`): the exit code and every
/// finding, in report order, with its status, id and message, and its fix when it has one. The
/// bundle is a copy with the key at 0600 (git keeps no modes), run by its name at the test
/// instant. A new check adds one line to each of these.
///
/// Beside the snapshot, what holds for every bundle: no live check runs without `--live`,
/// every warning and failure carries a fix, and the exit code is 1 exactly when a check fails.
#[test]
fn findings() {
    insta::glob!("../../fixtures", "*/sfjwt.toml", |toml| {
        let bundle = toml
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|n| n.to_str())
            .expect("fixtures/NAME/sfjwt.toml");
        let (_dir, out) = common::check_copies(&[bundle], &["--format", "json"]);
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{bundle}: stdout is not JSON ({e}):\n{}",
                common::all_output(&out)
            )
        });
        let code = out.status.code().expect("sfjwt exited");
        let checks = report["bundles"][0]["checks"].as_array().expect("checks");
        let mut shown = format!("exit code {code}\n\n");
        let mut fails = false;
        for check in checks {
            let id = check["id"].as_str().expect("id");
            let status = check["status"].as_str().expect("status");
            let fix = check["fix"].as_str().filter(|f| !f.trim().is_empty());
            assert!(
                !id.starts_with("token."),
                "{bundle}: the live check {id} ran without --live"
            );
            if matches!(status, "fail" | "warn") {
                assert!(fix.is_some(), "{bundle}: {id} is {status} without a fix");
            }
            fails |= status == "fail";
            shown += &format!("{status:<4}  {id}: {}\n", text(&check["message"]));
            if let Some(fix) = fix {
                shown += &format!("      fix: {fix}\n");
            }
        }
        assert_eq!(code, i32::from(fails), "{bundle}: the exit code");
        insta::assert_snapshot!(shown);
    });
}

/// A message as text (a string, or the JSON of anything else).
fn text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

#[test]
fn the_encrypted_keys_read_with_the_passphrase_from_the_variable_their_toml_names() {
    for bundle in ["fixtures/encrypted-key", "fixtures/legacy-encrypted-key"] {
        let out = common::sfjwt()
            .env("SFJWT_FIXTURE_PASSPHRASE", "sfjwt-fixture-passphrase")
            .args(["check", "--at", common::AT, "--format", "json", bundle])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(common::status_of(&report, "key.parse"), "pass", "{bundle}");
        assert_eq!(
            common::status_of(&report, "cert.matches-key"),
            "pass",
            "{bundle}"
        );
        assert_eq!(out.status.code(), Some(0), "{bundle}");
        let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(
            !all.contains("sfjwt-fixture-passphrase"),
            "{bundle}: the passphrase leaked"
        );
    }
}

#[test]
fn a_wrong_passphrase_is_a_finding_not_a_crash() {
    for bundle in ["fixtures/encrypted-key", "fixtures/legacy-encrypted-key"] {
        let out = common::sfjwt()
            .env("SFJWT_KEY_PASSPHRASE", "not-the-passphrase")
            .args(["check", "--at", common::AT, "--format", "json", bundle])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = finding(&report, "key.parse");
        assert_eq!(f["status"], "fail", "{bundle}");
        assert!(f["message"].as_str().unwrap().contains("passphrase"), "{f}");
        assert_eq!(out.status.code(), Some(1), "{bundle}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("not-the-passphrase"));
    }
}

/// With --live, the fixtures whose login URL login-url.host refuses (http://, Lightning hosts,
/// typos, ...) skip token.exchange and send nothing. Every proxy variable points at a closed
/// loopback port, so a request that slipped through would fail there instead of leaving the
/// machine. (No fixture with an accepted Salesforce host is run with --live here: that would
/// reach the real Salesforce.)
#[test]
fn with_live_a_refused_login_url_sends_nothing() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut checked = 0;
    for bundle in bundles() {
        let dir = format!("fixtures/{bundle}");
        let (_, offline) = check_json(&[&dir]);
        if common::status_of(&offline, "login-url.host") != "fail" {
            continue;
        }
        let mut cmd = common::sfjwt();
        for var in common::PROXY_VARIABLES {
            cmd.env(var, &closed);
        }
        let out = cmd
            .args([
                "check",
                "--at",
                common::AT,
                "--format",
                "json",
                "--live",
                &dir,
            ])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ex = finding(&report, "token.exchange");
        assert_eq!(ex["status"], "skip", "{bundle}: {ex}");
        assert!(
            ex["message"]
                .as_str()
                .unwrap()
                .starts_with("no request was sent"),
            "{bundle}: {ex}"
        );
        assert_eq!(common::status_of(&report, "token.introspection"), "skip");
        checked += 1;
    }
    assert!(
        checked >= 3,
        "only {checked} fixtures have a refused login URL"
    );
}
