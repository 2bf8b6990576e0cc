//! Every shipped fixture bundle, run through the real binary at the test instant: each check
//! reports the expected status, and every warning or failure names its cause and carries a fix.
//! This is the table in fixtures/README.md.

use crate::common;

use std::collections::BTreeMap;

use common::{check_json, finding};

/// Checks whose status does not depend on the bundle: file modes are not kept by git, and no
/// fixture gives a consumer secret.
const IGNORED: &[&str] = &["key.file-permissions"];

/// For each bundle: the checks that do not pass, with their status and a phrase that the
/// message or the fix must contain. Every other check must pass (consumer-secret.format skips:
/// no fixture gives a secret).
fn expectations() -> BTreeMap<&'static str, Vec<(&'static str, &'static str, &'static str)>> {
    let key_unread = [
        ("key.strength", "skip", "key.parse"),
        ("cert.matches-key", "skip", "key.parse"),
        ("assertion.claims", "skip", "key.parse"),
        ("assertion.signature", "skip", "key.parse"),
    ];
    let cert_unread = [
        ("cert.matches-key", "skip", "cert.parse"),
        ("cert.validity", "skip", "cert.parse"),
        ("cert.signature-algorithm", "skip", "cert.parse"),
        ("assertion.signature", "skip", "cert.parse"),
    ];
    let url_unusable = ("username.environment", "skip", "login-url.host");
    let no_aud = [
        ("assertion.claims", "skip", "login-url.host"),
        ("assertion.signature", "skip", "login-url.host"),
    ];
    let with = |mut v: Vec<(&'static str, &'static str, &'static str)>,
                more: &[(&'static str, &'static str, &'static str)]| {
        v.extend_from_slice(more);
        v
    };
    BTreeMap::from([
        ("valid", vec![]),
        ("pkcs1-key", vec![]),
        ("der", vec![]),
        ("key-crlf", vec![]),
        ("key-bom", vec![]),
        ("key-literal-newlines", vec![]),
        ("cert-chain", vec![]),
        ("sandbox-my-domain", vec![]),
        ("experience-cloud-site", vec![]),
        ("key-one-line", vec![("key.parse", "warn", "one line")]),
        (
            "key-only",
            with(
                vec![("cert.parse", "skip", "--cert")],
                &[
                    ("cert.matches-key", "skip", "certificate"),
                    ("cert.validity", "skip", "certificate"),
                    ("cert.signature-algorithm", "skip", "certificate"),
                    ("assertion.signature", "skip", "certificate"),
                ],
            ),
        ),
        (
            "encrypted-key",
            with(
                vec![(
                    "key.parse",
                    "fail",
                    "names $SFJWT_FIXTURE_PASSPHRASE for the passphrase, but it is not set",
                )],
                &key_unread,
            ),
        ),
        (
            "legacy-encrypted-key",
            with(vec![("key.parse", "fail", "openssl")], &key_unread),
        ),
        (
            "ec-key",
            with(vec![("key.parse", "fail", "RSA")], &key_unread),
        ),
        (
            "key-is-cert",
            with(vec![("key.parse", "fail", "certificate")], &key_unread),
        ),
        (
            "key-is-csr",
            with(vec![("key.parse", "fail", "request")], &key_unread),
        ),
        (
            "key-is-public-key",
            with(vec![("key.parse", "fail", "public key")], &key_unread),
        ),
        (
            "truncated-key",
            with(vec![("key.parse", "fail", "truncated")], &key_unread),
        ),
        (
            "empty-key",
            with(vec![("key.parse", "fail", "empty")], &key_unread),
        ),
        (
            "cert-is-key",
            with(vec![("cert.parse", "fail", "private key")], &cert_unread),
        ),
        (
            "cert-is-csr",
            with(vec![("cert.parse", "fail", "openssl x509")], &cert_unread),
        ),
        (
            "key-mismatch",
            vec![
                ("cert.matches-key", "fail", "invalid assertion"),
                ("assertion.signature", "fail", "invalid assertion"),
            ],
        ),
        ("expired-cert", vec![("cert.validity", "fail", "expired")]),
        (
            "expiring-soon",
            vec![("cert.validity", "warn", "in 10 days")],
        ),
        ("not-yet-valid", vec![("cert.validity", "fail", "2099")]),
        ("weak-key", vec![("key.strength", "fail", "1024")]),
        (
            "sha1-cert",
            vec![("cert.signature-algorithm", "fail", "-sha256")],
        ),
        (
            "sandbox-suffix-mismatch",
            vec![("username.environment", "warn", ".uat")],
        ),
        (
            "sandbox-no-suffix",
            vec![("username.environment", "warn", "sandbox")],
        ),
        (
            "loopback-url",
            vec![
                ("login-url.host", "info", "loopback"),
                ("username.environment", "skip", "loopback"),
                ("assertion.claims", "info", "aud.salesforce"),
            ],
        ),
        (
            "lightning-url",
            with(
                vec![
                    ("login-url.host", "fail", "https://acme.my.salesforce.com"),
                    url_unusable,
                ],
                &no_aud,
            ),
        ),
        (
            "typo-url",
            with(
                vec![
                    (
                        "login-url.host",
                        "fail",
                        "did you mean https://login.salesforce.com",
                    ),
                    url_unusable,
                ],
                &no_aud,
            ),
        ),
        (
            "http-url",
            with(
                vec![("login-url.host", "fail", "https://"), url_unusable],
                &no_aud,
            ),
        ),
        (
            "token-path-url",
            vec![("login-url.host", "warn", "/services/oauth2/token")],
        ),
        (
            "secret-as-consumer-key",
            vec![
                ("consumer-key.format", "fail", "consumer secret"),
                ("assertion.claims", "fail", "iss.format"),
            ],
        ),
        (
            "short-consumer-key",
            vec![
                ("consumer-key.format", "warn", "62 characters"),
                ("assertion.claims", "warn", "iss.format"),
            ],
        ),
        (
            "url-encoded-username",
            vec![
                ("username.format", "fail", "url-encoded"),
                ("username.environment", "skip", "username.format"),
                ("assertion.claims", "fail", "sub.format"),
            ],
        ),
    ])
}

#[test]
fn the_table_lists_every_fixture_bundle() {
    let mut dirs: Vec<String> = std::fs::read_dir("fixtures")
        .expect("fixtures/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().join("sfjwt.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let listed: Vec<String> = expectations().keys().map(|k| k.to_string()).collect();
    assert_eq!(dirs, listed);
}

#[test]
fn each_fixture_makes_the_right_checks_report_the_right_status() {
    let mut failures = Vec::new();
    for (bundle, expected) in expectations() {
        let (code, report) = check_json(&[&format!("fixtures/{bundle}")]);
        let checks = report["bundles"][0]["checks"]
            .as_array()
            .expect("checks")
            .clone();
        for check in &checks {
            let id = check["id"].as_str().expect("id");
            if id.starts_with("token.") {
                failures.push(format!("{bundle}: the live check {id} ran without --live"));
                continue;
            }
            if IGNORED.contains(&id) {
                continue;
            }
            let status = check["status"].as_str().expect("status");
            let (want, phrase) = match expected.iter().find(|(eid, _, _)| *eid == id) {
                Some((_, want, phrase)) => (*want, *phrase),
                None if id == "consumer-secret.format" => ("skip", "consumer secret"),
                None => ("pass", ""),
            };
            if status != want {
                failures.push(format!(
                    "{bundle}: {id} is {status}, expected {want}: {}",
                    check["message"]
                ));
                continue;
            }
            let text = format!("{} {}", check["message"], check["fix"]).to_lowercase();
            if !text.contains(&phrase.to_lowercase()) {
                failures.push(format!(
                    "{bundle}: {id} does not mention {phrase:?}: {text}"
                ));
            }
            if matches!(status, "fail" | "warn")
                && check["fix"].as_str().is_none_or(|f| f.trim().is_empty())
            {
                failures.push(format!("{bundle}: {id} is {status} without a fix"));
            }
        }
        for (id, _, _) in &expected {
            finding(&report, id);
        }
        let fails = expected.iter().any(|(_, s, _)| *s == "fail");
        let want_code = if fails { 1 } else { 0 };
        if code != want_code {
            failures.push(format!("{bundle}: exit code {code}, expected {want_code}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_encrypted_key_reads_with_the_passphrase_from_the_variable_its_toml_names() {
    let out = common::sfjwt()
        .env("SFJWT_FIXTURE_PASSPHRASE", "sfjwt-fixture-passphrase")
        .args([
            "check",
            "--at",
            common::AT,
            "--format",
            "json",
            "fixtures/encrypted-key",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::status_of(&report, "key.parse"), "pass");
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
    assert_eq!(out.status.code(), Some(0));
    let all = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(
        !all.contains("sfjwt-fixture-passphrase"),
        "the passphrase leaked"
    );
}

#[test]
fn a_wrong_passphrase_is_a_finding_not_a_crash() {
    let out = common::sfjwt()
        .env("SFJWT_KEY_PASSPHRASE", "not-the-passphrase")
        .args([
            "check",
            "--at",
            common::AT,
            "--format",
            "json",
            "fixtures/encrypted-key",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&report, "key.parse");
    assert_eq!(f["status"], "fail");
    assert!(f["message"].as_str().unwrap().contains("passphrase"), "{f}");
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("not-the-passphrase"));
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
    for bundle in expectations().keys() {
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
