//! `sfjwt check --app-metadata`: the app side as its retrieved metadata holds it (the app.*
//! checks), through the real binary. Fixtures: fixtures/app (made by fixtures/app/make.sh).

use crate::common;

use std::time::{Duration, Instant};

use serde_json::Value;

use common::{AT, check_json, finding};

const APP_CHECKS: [&str; 6] = [
    "app.consumer-key",
    "app.certificate",
    "app.jwt-flow",
    "app.scopes",
    "app.policy",
    "app.introspection",
];

/// The app fixtures, by name.
fn fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir("fixtures/app")
        .expect("fixtures/app exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The app.* findings of a JSON report: status, id, message, and fix when there is one.
fn app_findings(report: &Value) -> String {
    let mut shown = String::new();
    for check in report["bundles"][0]["checks"].as_array().expect("checks") {
        let id = check["id"].as_str().unwrap();
        if !id.starts_with("app.") {
            continue;
        }
        shown += &format!(
            "{}  {id}: {}\n",
            check["status"].as_str().unwrap(),
            check["message"].as_str().unwrap()
        );
        if let Some(fix) = check["fix"].as_str() {
            shown += &format!("      fix: {fix}\n");
        }
    }
    shown
}

/// One snapshot per app fixture (`app@NAME.snap`): fixtures/valid judged with its metadata.
/// Beside it: every app check is reported, each warning and failure has a fix, and the exit code
/// is 1 exactly when one fails.
#[test]
fn every_app_fixture_against_the_valid_bundle() {
    for name in fixtures() {
        let dir = format!("fixtures/app/{name}");
        let (code, report) = check_json(&["fixtures/valid", "--app-metadata", &dir]);
        let mut failed = false;
        for id in APP_CHECKS {
            let f = finding(&report, id);
            let status = f["status"].as_str().unwrap();
            if matches!(status, "warn" | "fail") {
                assert!(f["fix"].is_string(), "{name} {id} has no fix");
            }
            failed |= status == "fail";
        }
        assert_eq!(code, i32::from(failed), "{name}");
        insta::assert_snapshot!(
            format!("app@{name}"),
            format!("exit code {code}\n\n{}", app_findings(&report))
        );
    }
}

/// The text report as a user reads it, for the README's example: a copy of fixtures/valid (key
/// at 0600) and of the app's metadata, by relative names.
#[test]
fn the_text_report_of_an_app_with_another_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_bundle("valid", tmp.path());
    let app = std::path::Path::new("fixtures/app/eca-other-cert");
    copy_dir(app, &tmp.path().join("retrieved"));
    let out = common::sfjwt()
        .current_dir(tmp.path())
        .args(["check", "--at", AT, "--app-metadata", "retrieved", "valid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// Without --app-metadata no app check is reported; app_metadata in sfjwt.toml is relative to
/// the bundle directory, and --app-metadata overrides it.
#[test]
fn app_metadata_in_sfjwt_toml_and_its_override() {
    let (_, report) = check_json(&["fixtures/valid"]);
    let ids: Vec<&str> = report["bundles"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.iter().any(|id| id.starts_with("app.")), "{ids:?}");

    let tmp = tempfile::tempdir().unwrap();
    let bundle = tmp.path().join("bundle");
    common::copy_fixture("valid", &bundle);
    copy_dir(
        std::path::Path::new("fixtures/app/eca-other-cert"),
        &bundle.join("retrieved"),
    );
    let toml = bundle.join("sfjwt.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}app_metadata = \"retrieved\"\n")).unwrap();
    let b = bundle.to_string_lossy().into_owned();
    let (code, report) = check_json(&[&b]);
    assert_eq!(code, 1);
    assert_eq!(finding(&report, "app.certificate")["status"], "fail");
    let key = finding(&report, "app.consumer-key");
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("bundle/retrieved"),
        "{key:#}"
    );

    let (code, report) = check_json(&[&b, "--app-metadata", "fixtures/app/eca-valid"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(finding(&report, "app.certificate")["status"], "pass");

    // The environment too, and --app through $SFJWT_APP.
    let out = common::sfjwt()
        .args(["check", "--at", AT, "--format", "json", "fixtures/valid"])
        .env("SFJWT_APP_METADATA", "fixtures/app/two-apps")
        .env("SFJWT_APP", "Other_Integration")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&report, "app.consumer-key");
    assert_eq!(f["status"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["app"], "Other_Integration");
    assert_eq!(f["evidence"]["chosen_by"], "name");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Hostile metadata is a finding, quickly: a 2 MiB file, elements 10,000 deep, an entity
/// expansion, UTF-16, a zip, a directory of 60,000 files; never a panic or a hang.
#[test]
fn hostile_metadata_is_a_finding_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><ConnectedApp><label>&b;</label></ConnectedApp>";
    let utf16: Vec<u8> = "\u{feff}<ConnectedApp/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "huge",
            format!(
                "<ConnectedApp><label>{}</label></ConnectedApp>",
                "x".repeat(2 << 20)
            )
            .into_bytes(),
            "larger than",
        ),
        (
            "deep",
            format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000)).into_bytes(),
            "deeper",
        ),
        ("entities", laughs.as_bytes().to_vec(), "DOCTYPE"),
        ("utf16", utf16, "UTF-8"),
    ];
    for (name, bytes, said) in cases {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Evil.connectedApp-meta.xml"), bytes).unwrap();
        let d = dir.to_string_lossy().into_owned();
        let start = Instant::now();
        let (code, report) = check_json(&["fixtures/valid", "--app-metadata", &d]);
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{name} took {:?}",
            start.elapsed()
        );
        assert_eq!(code, 1, "{name}");
        let f = finding(&report, "app.consumer-key");
        assert_eq!(f["status"], "fail", "{name}");
        assert!(
            f["message"].as_str().unwrap().contains(said),
            "{name}: {f:#}"
        );
        assert_eq!(finding(&report, "app.policy")["status"], "skip");
    }
    let zip = tmp.path().join("unpackaged.zip");
    std::fs::write(&zip, b"PK\x03\x04").unwrap();
    let (_, report) = check_json(&["fixtures/valid", "--app-metadata", &zip.to_string_lossy()]);
    assert!(
        finding(&report, "app.consumer-key")["message"]
            .as_str()
            .unwrap()
            .contains("unzip")
    );

    let many = tmp.path().join("many");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..50_001 {
        std::fs::write(many.join(format!("f{i}")), b"").unwrap();
    }
    let start = Instant::now();
    let (_, report) = check_json(&["fixtures/valid", "--app-metadata", &many.to_string_lossy()]);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert!(
        finding(&report, "app.consumer-key")["message"]
            .as_str()
            .unwrap()
            .contains("more than 50000 entries")
    );

    let (code, report) = check_json(&["fixtures/valid", "--app-metadata", "fixtures/no-such-dir"]);
    assert_eq!(code, 1);
    assert!(
        finding(&report, "app.consumer-key")["message"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{report:#}"
    );
}

#[test]
fn explain_knows_every_app_check() {
    for id in APP_CHECKS {
        let out = common::sfjwt().args(["explain", id]).output().unwrap();
        assert!(out.status.success(), "{id}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(id) && text.contains("--app-metadata"),
            "{id}: {text}"
        );
    }
}

/// A fleet given one --app-metadata (read once for the run): every bundle is judged against it,
/// each by its own key and certificate.
#[test]
fn a_fleet_shares_one_app_metadata() {
    let (_dir, out) = common::check_copies(
        &["valid", "sha1-cert", "weak-key"],
        &[
            "--format",
            "json",
            "--app-metadata",
            &format!("{}/fixtures/app/eca-valid", env!("CARGO_MANIFEST_DIR")),
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bundles = report["bundles"].as_array().unwrap();
    assert_eq!(bundles.len(), 3);
    for b in bundles {
        let cert = b["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "app.certificate")
            .unwrap_or_else(|| panic!("{b:#}"));
        let want = if b["name"] == "weak-key" {
            "fail"
        } else {
            "pass"
        };
        assert_eq!(cert["status"], want, "{}: {cert:#}", b["name"]);
    }
}
