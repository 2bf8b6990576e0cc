//! `sfjwt check --next-cert`: the candidate certificate of a rotation judged against the current
//! certificate and the key (cert.rotation), through the real binary. Fixtures: fixtures/rotation.

use crate::common;

use common::{check_json, finding};

/// cert.rotation of fixtures/valid with this candidate: status, message, fix, evidence.
fn rotation(candidate: &str, extra: &[&str]) -> serde_json::Value {
    let next = format!("fixtures/rotation/{candidate}");
    let mut args = vec!["fixtures/valid", "--next-cert", next.as_str()];
    args.extend_from_slice(extra);
    let (_code, report) = check_json(&args);
    finding(&report, "cert.rotation").clone()
}

#[test]
fn the_same_key_is_a_zero_downtime_rotation() {
    for file in ["renewed.crt", "renewed.der"] {
        let f = rotation(file, &[]);
        assert_eq!(f["status"], "pass", "{f:#}");
        let message = f["message"].as_str().unwrap();
        assert!(
            message.starts_with("same key: zero-downtime rotation"),
            "{message}"
        );
        assert_eq!(f["evidence"]["same_public_key"], true);
        assert_eq!(
            f["evidence"]["candidate_fingerprint"],
            f["evidence"]["current_fingerprint"]
        );
        assert_ne!(
            f["evidence"]["candidate_certificate"],
            f["evidence"]["current_certificate"]
        );
        assert_eq!(f["evidence"]["not_after"], "2126-01-01T00:00:00Z");
    }
}

#[test]
fn a_new_key_warns_with_the_plan() {
    let f = rotation("new-key.crt", &[]);
    assert_eq!(f["status"], "warn");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("a key rotation: every client must switch")
    );
    let fix = f["fix"].as_str().unwrap();
    assert!(
        fix.contains("10 minutes")
            && fix.contains("sfjwt check --live")
            && fix.contains("sfjwt renew"),
        "{fix}"
    );
    assert_eq!(f["evidence"]["same_public_key"], false);
}

#[test]
fn the_current_certificate_again_is_nothing_to_rotate() {
    let (_, report) = check_json(&["fixtures/valid", "--next-cert", "fixtures/valid/server.crt"]);
    let f = finding(&report, "cert.rotation");
    assert_eq!(f["status"], "warn");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("nothing to rotate")
    );
}

#[test]
fn the_candidates_own_problems_warn_and_expiry_fails_under_expiry_fail_days() {
    for (file, words) in [
        ("expired.crt", "expired on 2021-01-01"),
        ("short.crt", "in 20 days"),
        ("sha1.crt", "sha1WithRSAEncryption"),
    ] {
        let f = rotation(file, &[]);
        assert_eq!(f["status"], "warn", "{file}: {f:#}");
        assert!(
            f["message"].as_str().unwrap().contains(words),
            "{file}: {f:#}"
        );
    }
    assert!(
        rotation("short.crt", &[])["message"]
            .as_str()
            .unwrap()
            .contains("expires before the current certificate")
    );
    assert_eq!(
        rotation("expired.crt", &["--expiry-fail-days", "0"])["status"],
        "fail"
    );
}

#[test]
fn a_file_that_is_not_a_certificate_fails_naming_it() {
    let f = rotation("server.csr", &[]);
    assert_eq!(f["status"], "fail");
    assert_eq!(f["evidence"]["error"], "is-csr");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("fixtures/rotation/server.csr")
            && message.contains("certificate signing request"),
        "{message}"
    );
    let f = rotation("absent.crt", &[]);
    assert_eq!(f["status"], "fail");
}

#[test]
fn without_next_cert_the_check_is_not_reported_and_with_several_bundles_it_is_exit_2() {
    let (_, report) = check_json(&["fixtures/valid"]);
    assert!(
        report["bundles"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != "cert.rotation")
    );
    let out = common::sfjwt()
        .args([
            "check",
            "fixtures/valid",
            "fixtures/der",
            "--next-cert",
            "fixtures/rotation/renewed.crt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--next-cert fixtures/rotation/renewed.crt names one certificate")
    );
}

/// The text report's cert.rotation finding (its line and the fix under it) and the exit code.
fn rotation_text(next: &str, extra: &[&str]) -> (i32, String) {
    let out = common::sfjwt()
        .args([
            "check",
            "fixtures/valid",
            "--at",
            common::AT,
            "--next-cert",
            next,
        ])
        .args(extra)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines().skip_while(|l| !l.contains("cert.rotation"));
    let mut block: Vec<&str> = lines.next().into_iter().collect();
    block.extend(lines.take_while(|l| l.starts_with("          ")));
    (out.status.code().unwrap(), block.join("\n"))
}

#[test]
fn the_text_report_of_each_kind_of_rotation() {
    for (name, next, extra, code) in [
        ("same_key", "fixtures/rotation/renewed.crt", &[][..], 0),
        ("new_key", "fixtures/rotation/new-key.crt", &[][..], 0),
        ("identical", "fixtures/valid/server.crt", &[][..], 0),
        ("short", "fixtures/rotation/short.crt", &[][..], 0),
        ("sha1", "fixtures/rotation/sha1.crt", &[][..], 0),
        (
            "not_a_certificate",
            "fixtures/rotation/server.csr",
            &[][..],
            1,
        ),
        (
            "expired_fails",
            "fixtures/rotation/expired.crt",
            &["--expiry-fail-days", "0"][..],
            1,
        ),
    ] {
        let (got, text) = rotation_text(next, extra);
        assert_eq!(got, code, "{name}: exit code\n{text}");
        assert!(text.contains("cert.rotation"), "{name}: {text}");
        insta::assert_snapshot!(format!("text_{name}"), text);
    }
}

#[test]
fn the_pass_says_which_file_the_candidate_replaces() {
    let f = rotation("renewed.crt", &[]);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("`mv fixtures/rotation/renewed.crt fixtures/valid/server.crt`"),
        "{message}"
    );
}

#[test]
fn a_fleets_json_summary_lists_every_expiry_soonest_first_with_the_dates_it_warns_and_fails() {
    let (_, report) = check_json(&[
        "fixtures/valid",
        "fixtures/expiring-soon",
        "--expiry-fail-days",
        "7",
    ]);
    let expiring = report["summary"]["expiring"].as_array().unwrap();
    let names: Vec<&str> = expiring
        .iter()
        .map(|e| e["bundle"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["fixtures/expiring-soon", "fixtures/valid"],
        "{expiring:#?}"
    );
    let soon = &expiring[0];
    assert_eq!(soon["not_after"], "2026-12-10T00:00:00Z");
    assert_eq!(soon["days_left"], 10);
    assert_eq!(soon["warns_from"], "2026-11-10T00:00:00Z");
    assert_eq!(soon["fails_from"], "2026-12-03T00:00:00Z");
    // The same dates as cert.validity's evidence of that bundle.
    let validity = report["bundles"][1]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "cert.validity")
        .unwrap();
    assert_eq!(validity["evidence"]["warns_from"], soon["warns_from"]);
    assert_eq!(validity["evidence"]["fails_from"], soon["fails_from"]);
}

/// `next_cert` in a bundle's sfjwt.toml: each bundle of a fleet names its own candidate
/// (relative to its directory), judged as --next-cert judges it; a bundle without one has no
/// cert.rotation. A key written where the path goes is refused without repeating it.
#[test]
fn next_cert_in_sfjwt_toml_judges_each_bundles_own_candidate() {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, candidate) in [
        ("a", Some("renewed.crt")),
        ("b", Some("new-key.crt")),
        ("c", None),
    ] {
        let dir = tmp.path().join("fleet").join(name);
        common::copy_fixture("valid", &dir);
        if let Some(candidate) = candidate {
            std::fs::copy(
                root.join("fixtures/rotation").join(candidate),
                dir.join("next.crt"),
            )
            .unwrap();
            let toml = std::fs::read_to_string(dir.join("sfjwt.toml")).unwrap();
            std::fs::write(
                dir.join("sfjwt.toml"),
                format!("{toml}next_cert = \"next.crt\"\n"),
            )
            .unwrap();
        }
    }
    let out = common::sfjwt()
        .current_dir(tmp.path())
        .args(["check", "--at", common::AT, "--format", "json", "fleet"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rotation = |i: usize| {
        report["bundles"][i]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "cert.rotation")
            .map(|c| c["status"].as_str().unwrap().to_string())
    };
    assert_eq!(rotation(0).as_deref(), Some("pass"), "same key");
    assert_eq!(rotation(1).as_deref(), Some("warn"), "a key rotation");
    assert_eq!(rotation(2), None, "no candidate named");

    let dir = tmp.path().join("fleet/c");
    let key = std::fs::read_to_string(dir.join("server.key")).unwrap();
    let toml = std::fs::read_to_string(dir.join("sfjwt.toml")).unwrap();
    let written = format!("{toml}next_cert = \"\"\"{key}\"\"\"\n");
    std::fs::write(dir.join("sfjwt.toml"), written).unwrap();
    let out = common::sfjwt()
        .current_dir(tmp.path())
        .args(["check", "--at", common::AT, "--format", "json", "fleet/c"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("PRIVATE KEY-----"),
        "the key is never repeated"
    );
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let parse = finding(&report, "config.parse");
    assert_eq!(parse["status"], "fail", "{parse:#}");
    assert!(
        parse["message"]
            .as_str()
            .unwrap()
            .contains("`next_cert` holds"),
        "{parse:#}"
    );
}
