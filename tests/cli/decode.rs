//! `sfjwt decode` through the real binary: one snapshot per OpenSSL-signed token fixture of its
//! status per check and per rule and its exit code; input that is no JWT exits 2 with a clear message;
//! the token and its signature are never printed.

use crate::common;

use common::{AT, sfjwt};
use serde_json::Value;

const KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";
const USER: &str = "integration@acme.com";
const LOGIN: &str = "https://login.salesforce.com";
const CERT: &str = "fixtures/valid/server.crt";

fn token(name: &str) -> String {
    std::fs::read_to_string(format!("fixtures/tokens/{name}.jwt")).expect("token fixture")
}

/// `sfjwt decode --at AT ARGS... -` with `stdin`; returns (exit code, stdout, stderr).
fn decode(args: &[&str], stdin: impl Into<Vec<u8>>) -> (i32, String, String) {
    let out = sfjwt()
        .args(["decode", "--at", AT])
        .args(args)
        .write_stdin(stdin.into())
        .output()
        .expect("sfjwt runs");
    (
        out.status.code().expect("sfjwt exited"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Decodes a token fixture with every expectation and the valid certificate, as JSON.
fn decode_json(name: &str) -> (i32, Value) {
    let (code, stdout, stderr) = decode(
        &[
            "--format",
            "json",
            "--cert",
            CERT,
            "--consumer-key",
            KEY,
            "--username",
            USER,
            "--login-url",
            LOGIN,
            "-",
        ],
        token(name),
    );
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{name}: stdout is not JSON ({e}):\n{stdout}\n{stderr}"));
    (code, json)
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

fn rule_statuses(report: &Value) -> Vec<(String, String)> {
    check(report, "assertion.claims")["evidence"]["rules"]
        .as_array()
        .expect("rules evidence")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One snapshot per token fixture (`findings@NAME.jwt.snap`), decoded with every expectation
/// and the valid certificate: the exit code, every check (status, id, message, its fix when it
/// has one) and every claim rule of assertion.claims (status, id, message). This is the table in
/// fixtures/README.md; a new rule adds a line to each. Beside it, for every token: each warning
/// or failure carries a fix.
#[test]
fn findings() {
    insta::glob!("../../fixtures/tokens", "*.jwt", |path| {
        let name = path
            .file_stem()
            .and_then(|n| n.to_str())
            .expect("fixtures/tokens/NAME.jwt");
        let (code, report) = decode_json(name);
        let mut shown = format!("exit code {code}\n\n");
        for f in report["checks"].as_array().expect("checks") {
            let (id, status) = (f["id"].as_str().unwrap(), f["status"].as_str().unwrap());
            let fix = f["fix"].as_str().filter(|f| !f.trim().is_empty());
            if matches!(status, "warn" | "fail") {
                assert!(fix.is_some(), "{name}: {id} is {status} without a fix");
            }
            shown += &format!(
                "{status:<4}  {id}: {}\n",
                f["message"].as_str().unwrap_or("")
            );
            if let Some(fix) = fix {
                shown += &format!("      fix: {fix}\n");
            }
        }
        shown += "\nclaim rules\n";
        for r in check(&report, "assertion.claims")["evidence"]["rules"]
            .as_array()
            .expect("rules evidence")
        {
            shown += &format!(
                "{:<4}  {}: {}\n",
                r["status"].as_str().unwrap(),
                r["id"].as_str().unwrap(),
                r["message"].as_str().unwrap_or("")
            );
        }
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn the_json_has_the_contract_shape() {
    let (code, report) = decode_json("good");
    assert_eq!(code, 0);
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["header"], serde_json::json!({"alg": "RS256"}));
    assert_eq!(report["claims"]["exp"], 1_795_957_380);
    assert_eq!(report["claims"]["iss"], KEY);
    assert_eq!(report["evaluated_at"], AT);
    assert_eq!(report["signature"]["bytes"], 256);
    assert_eq!(report["signature"]["verified"], true);
    let checks = report["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    for c in checks {
        for field in [
            "id", "status", "steps", "title", "message", "fix", "evidence",
        ] {
            assert!(c.get(field).is_some(), "{} lacks {field}", c["id"]);
        }
    }
    assert_eq!(
        check(&report, "assertion.claims")["steps"],
        serde_json::json!([5, 7])
    );
    assert_eq!(
        check(&report, "assertion.signature")["steps"],
        serde_json::json!([1, 2, 7])
    );
}

#[test]
fn the_salesforce_cli_millisecond_exp_is_named() {
    let (_, report) = decode_json("millis-exp");
    let message = check(&report, "assertion.claims")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("milliseconds"), "{message}");
    assert!(message.contains("Date.now() + 300"), "{message}");
    assert_eq!(report["header"]["typ"], "JWT");
}

#[test]
fn a_token_signed_by_the_wrong_key_fails_with_the_fix() {
    let (code, report) = decode_json("wrong-key");
    assert_eq!(code, 1);
    let s = check(&report, "assertion.signature");
    assert!(s["message"].as_str().unwrap().contains("invalid assertion"));
    assert!(s["fix"].as_str().unwrap().contains("openssl"));
    assert_eq!(s["evidence"]["verified"], false);
    assert_eq!(report["signature"]["verified"], false);
}

#[test]
fn expectations_are_compared_when_given() {
    let (code, stdout, _) = decode(
        &[
            "--format",
            "json",
            "--username",
            "someone@else.com",
            "--login-url",
            "https://test.salesforce.com",
            "--consumer-key",
            "3MVG9other",
        ],
        token("good"),
    );
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let rules = rule_statuses(&report);
    for id in ["sub.matches", "aud.matches", "iss.matches"] {
        assert!(
            rules.contains(&(id.to_string(), "fail".to_string())),
            "{id}: {rules:?}"
        );
    }
    let steps = check(&report, "assertion.claims")["steps"].clone();
    assert_eq!(steps, serde_json::json!([3, 5, 6, 7]));
}

#[test]
fn without_a_certificate_the_signature_is_plainly_not_verified() {
    let (code, stdout, _) = decode(&["-"], token("good"));
    assert_eq!(code, 0);
    assert!(stdout.contains("NOT verified (no --cert)"), "{stdout}");
    assert!(
        stdout.contains("2026-11-29T13:03:00Z (in 3 minutes)"),
        "{stdout}"
    );
    // Without an argument, a piped standard input is read too.
    let (code, stdout2, _) = decode(&[], token("good"));
    assert_eq!(code, 0);
    assert_eq!(stdout, stdout2);
}

#[test]
fn the_token_and_its_signature_are_never_printed() {
    let t = token("good");
    let t = t.trim();
    let signature = t.rsplit('.').next().unwrap();
    for format in &common::command_formats() {
        for args in [
            vec!["--format", format, "-"],
            vec!["--format", format, "--cert", CERT, "-"],
        ] {
            let (_, stdout, stderr) = decode(&args, t);
            assert!(
                !stdout.contains(signature),
                "{format}: stdout shows the signature"
            );
            assert!(
                !stderr.contains(signature),
                "{format}: stderr shows the signature"
            );
            assert!(!stdout.contains(t));
        }
    }
}

#[test]
fn a_token_given_as_an_argument_gets_a_shell_history_note_while_valid() {
    let t = token("good");
    let (code, _, stderr) = decode(&[t.trim()], Vec::new());
    assert_eq!(code, 0);
    assert!(stderr.contains("shell history"), "{stderr}");
    assert!(stderr.contains("2026-11-29T13:03:00Z"), "{stderr}");
    // An expired one is no credential any more: no note.
    let t = token("expired");
    let (_, _, stderr) = decode(&[t.trim()], Vec::new());
    assert!(!stderr.contains("shell history"), "{stderr}");
}

#[test]
fn what_surrounds_a_pasted_token_is_tolerated() {
    let t = token("good");
    let t = t.trim();
    for input in [
        format!("  {t}\n\n"),
        format!("Bearer {t}"),
        format!("\"{t}\""),
        format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={t}"),
        format!("{}\n{}", &t[..100], &t[100..]),
    ] {
        let (code, stdout, stderr) =
            decode(&["--format", "json", "--cert", CERT, "-"], input.clone());
        assert_eq!(code, 0, "{input:?}: {stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["signature"]["verified"], true, "{input:?}");
    }
}

#[test]
fn input_that_is_not_a_jwt_exits_2_with_a_clear_message() {
    let t = token("good");
    let t = t.trim();
    let (header_payload, _) = t.rsplit_once('.').unwrap();
    let key = std::fs::read("fixtures/valid/server.key").unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "empty"),
        (b" \n\t\n".to_vec(), "only whitespace"),
        (b"hello world, this is not a token".to_vec(), "no dots"),
        (header_payload.as_bytes().to_vec(), "two parts"),
        (t.as_bytes()[..100].to_vec(), "truncated"),
        (format!("{t}.x.y").into_bytes(), "five parts"),
        (b"eyJ!.eyJ.x".to_vec(), "'!'"),
        (vec![0x80, 0xff, 0x00, 0x13], "binary"),
        (key.clone(), "private key"),
        (b"{\"iss\":\"x\"}".to_vec(), "JSON"),
        (vec![b'a'; 100 * 1024], "bytes"),
        (vec![b'a'; 2 * 1024 * 1024], "larger than 1024 KiB"),
    ];
    let key_text = String::from_utf8_lossy(&key);
    let key_line = key_text.lines().nth(1).unwrap();
    for (input, phrase) in cases {
        let (code, stdout, stderr) = decode(&["-"], input.clone());
        assert_eq!(code, 2, "{phrase}: {stderr}");
        assert!(stdout.is_empty(), "{phrase}: {stdout}");
        assert!(stderr.contains(phrase), "{phrase}: {stderr}");
        assert!(!stderr.contains("panicked"), "{phrase}: {stderr}");
        assert!(!stderr.contains(key_line), "the key is never echoed");
        assert!(stderr.lines().count() <= 3, "{stderr}");
    }
}

#[test]
fn a_token_cut_inside_its_signature_is_caught_with_or_without_a_certificate() {
    let t = token("good");
    let cut = &t.trim()[..t.trim().len() - 20];
    let (code, stdout, _) = decode(&["-"], cut);
    assert_eq!(code, 0, "a warning, since nothing could be verified");
    assert!(stdout.contains("looks cut short"), "{stdout}");
    let (code, stdout, _) = decode(&["--cert", CERT, "-"], cut);
    assert_eq!(code, 1);
    assert!(stdout.contains("cut short"), "{stdout}");
    // Unsigned and HMAC tokens fail without a certificate too.
    for name in ["alg-none", "hs256"] {
        let (code, stdout, _) = decode(&["--format", "json", "-"], token(name));
        assert_eq!(code, 1, "{name}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(check(&report, "assertion.signature")["status"], "fail");
    }
}

#[test]
fn bad_flags_exit_2() {
    let t = token("good");
    for args in [
        vec!["--format", "xml", "-"],
        vec!["--at", "yesterday", "-"],
        vec!["--cert", "fixtures/does-not-exist.crt", "-"],
        vec!["--cert", "fixtures", "-"],
        vec!["--cert", "/dev/zero", "-"],
        vec!["--nope", "-"],
    ] {
        let (code, _, stderr) = decode(&args, t.clone());
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    let (_, _, stderr) = decode(&["--cert", "fixtures/does-not-exist.crt", "-"], t.clone());
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn a_certificate_that_is_not_one_is_a_finding() {
    let (code, stdout, _) = decode(
        &[
            "--format",
            "json",
            "--cert",
            "fixtures/valid/server.key",
            "-",
        ],
        token("good"),
    );
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let s = check(&report, "assertion.signature");
    assert_eq!(s["status"], "fail");
    assert!(
        s["message"].as_str().unwrap().contains("NOT verified"),
        "{s}"
    );
    assert!(
        s["message"].as_str().unwrap().contains("private key"),
        "{s}"
    );
}

#[test]
fn sfjwt_mints_byte_for_byte_what_openssl_signs() {
    // fixtures/tokens/good.jwt was signed by OpenSSL over the same header and claims that
    // `sfjwt check fixtures/valid` mints at the test instant: an independent check of minting.
    let out = sfjwt()
        .args([
            "check",
            "--at",
            AT,
            "--format",
            "json",
            "--show-assertion",
            "fixtures/valid",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let claims = report["bundles"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "assertion.claims")
        .unwrap();
    assert_eq!(
        claims["evidence"]["assertion"].as_str().unwrap(),
        token("good").trim()
    );
}

#[test]
fn a_secret_in_a_claim_is_not_shown() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let secret = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";
    let t = format!(
        "{}.{}.AAAA",
        b64(r#"{"alg":"RS256"}"#),
        b64(&format!(
            r#"{{"iss":"{secret}","sub":"{USER}","aud":"{LOGIN}","exp":1795957380}}"#
        ))
    );
    for format in &common::command_formats() {
        let (code, stdout, stderr) = decode(&["--format", format, "-"], t.clone());
        assert_eq!(code, 1, "iss.format fails");
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{stdout}"
        );
        assert!(stdout.contains("not shown"), "{stdout}");
    }
}

#[test]
fn no_token_on_a_terminal_prints_a_hint_and_exits_2() {
    let (code, shown) = common::on_a_terminal_with_no_input("decode");
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("no token given"), "{shown}");
    assert!(shown.contains("sfjwt decode - < token.txt"), "{shown}");
}

#[test]
fn a_lifetime_of_seconds_is_a_warning_that_names_skew_and_latency() {
    let (code, report) = decode_json("short-window");
    let rules = rule_statuses(&report);
    assert!(
        rules.contains(&("exp.window".to_string(), "warn".to_string())),
        "{rules:?}"
    );
    let rule = check(&report, "assertion.claims")["evidence"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "exp.window")
        .unwrap()
        .clone();
    let message = rule["message"].as_str().unwrap();
    assert!(message.contains("3 seconds after iat"), "{message}");
    assert!(
        message.contains("clock skew and network latency"),
        "{message}"
    );
    assert!(rule["fix"].as_str().unwrap().contains("180 s"), "{rule}");
    assert_eq!(report["verdict"], "warn");
    assert_eq!(
        code, 0,
        "decode fails only on failures unless --fail-on warning"
    );
}
