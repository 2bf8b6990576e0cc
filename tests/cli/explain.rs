//! `sfjwt explain`: error texts (as arguments and on standard input), check and error ids,
//! `--list`, both formats, exit codes, and inputs that are too large or empty.

use crate::common;

use common::sfjwt;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

/// What the Salesforce CLI prints when the user is not pre-authorized.
const CLI_PASTE: &str = "Error (1): We encountered a JSON web token error, which is likely not an issue with Salesforce CLI. Here’s the error: Error authenticating with JWT.\nErrors encountered:\nuser hasn't approved this consumer\n";

fn explain_json(args: &[&str], stdin: Option<&str>) -> (i32, Value) {
    let mut cmd = sfjwt();
    cmd.arg("explain").args(args).args(["--format", "json"]);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().expect("sfjwt runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("sfjwt exited"), json)
}

/// `sfjwt explain -` in text format with `stdin`: what it printed.
fn explain_stdin_text(stdin: impl Into<Vec<u8>>) -> String {
    let out = sfjwt()
        .args(["explain", "-"])
        .write_stdin(stdin.into())
        .output()
        .expect("sfjwt runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn match_ids(json: &Value) -> Vec<String> {
    json["matches"]
        .as_array()
        .expect("matches is an array")
        .iter()
        .map(|m| m["id"].as_str().expect("id is a string").to_string())
        .collect()
}

#[test]
fn an_error_text_as_an_argument_is_explained() {
    sfjwt()
        .args(["explain", "invalid_grant: audience is invalid"])
        .assert()
        .code(0)
        .stdout(contains("invalid_grant: audience is invalid"))
        .stdout(contains("[audience-invalid]"))
        .stdout(contains("Steps:"))
        .stdout(contains("5 (Authorization server URL)"))
        .stdout(contains("Fix:"))
        .stdout(contains("https://test.salesforce.com"));
}

#[test]
fn several_words_are_joined() {
    let (code, json) = explain_json(&["invalid_grant:", "invalid", "assertion"], None);
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["invalid-assertion"]);
}

#[test]
fn the_json_has_the_contract_shape() {
    let (code, json) = explain_json(&[CLI_PASTE], None);
    assert_eq!(code, 0);
    assert_eq!(json["schema_version"], 1);
    let m = &json["matches"][0];
    assert_eq!(m["id"], "user-not-approved");
    assert_eq!(m["error"], "invalid_grant");
    assert_eq!(m["error_description"], "user hasn't approved this consumer");
    assert_eq!(m["steps"], serde_json::json!([4, 6]));
    assert!(m["cause"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(m["fix"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(m["via"], "Salesforce CLI");
}

#[test]
fn standard_input_with_a_dash() {
    let (code, json) = explain_json(
        &["-"],
        Some(r#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#),
    );
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["client-id-invalid"]);
}

#[test]
fn standard_input_without_an_argument_when_piped() {
    let (code, json) = explain_json(&[], Some(CLI_PASTE));
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["user-not-approved"]);
}

#[test]
fn several_errors_in_one_paste_in_order() {
    let paste = "10:00:01 login failed: invalid_client_id: client identifier invalid\n10:05:12 login failed: invalid_grant: audience is invalid  [audience=https://login.salesforce.com login=https://test.salesforce.com/]\n";
    let (code, json) = explain_json(&["-"], Some(paste));
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["client-id-invalid", "audience-invalid"]);
    assert_eq!(
        json["matches"][1]["evidence"]["login"],
        "https://test.salesforce.com/"
    );
    assert!(
        json.get("fan_out").is_none(),
        "no Salesforce CLI list: {json}"
    );
}

#[test]
fn the_sf_cli_trailing_audience_line_is_a_retry_not_a_second_cause() {
    let paste = "Error authenticating with JWT.\nErrors encountered:\nExternal client app is not installed in this org\naudience is invalid  [audience=https://login.salesforce.com login=https://test.salesforce.com/]\n";
    let (code, json) = explain_json(&["-"], Some(paste));
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["app-not-found"]);
    assert_eq!(json["fan_out"]["retries"][0]["id"], "audience-invalid");
    assert_eq!(
        json["fan_out"]["retries"][0]["login"],
        "https://test.salesforce.com/"
    );
}

#[test]
fn unrecognised_text_exits_1_with_an_empty_list() {
    let (code, json) = explain_json(&["the build failed because the disk is full"], None);
    assert_eq!(code, 1);
    assert_eq!(json["matches"], serde_json::json!([]));
    sfjwt()
        .args(["explain", "the build failed because the disk is full"])
        .assert()
        .code(1)
        .stdout(contains("No known Salesforce JWT error"))
        .stderr("");
}

#[test]
fn a_check_id_prints_its_docs() {
    sfjwt()
        .args(["explain", "cert.matches-key"])
        .assert()
        .code(0)
        .stdout(contains("cert.matches-key"))
        .stdout(contains("Passes when:"))
        .stdout(contains("Steps:"));
    let (code, json) = explain_json(&["cert.matches-key"], None);
    assert_eq!(code, 0);
    assert_eq!(json["check"]["id"], "cert.matches-key");
    assert_eq!(json["check"]["steps"], serde_json::json!([1, 2]));
    for key in [
        "title",
        "group",
        "passes_when",
        "what",
        "why",
        "fix",
        "references",
    ] {
        assert!(json["check"].get(key).is_some(), "check.{key} is missing");
    }
    assert_eq!(json["matches"], serde_json::json!([]));
}

#[test]
fn every_check_id_is_explained() {
    for id in sfjwt::checks::REGISTRY.iter().map(|c| c.id) {
        let (code, json) = explain_json(&[id], None);
        assert_eq!(code, 0, "{id}");
        assert_eq!(json["check"]["id"], id);
    }
}

#[test]
fn an_error_id_prints_its_entry() {
    let (code, json) = explain_json(&["app-not-found"], None);
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["app-not-found"]);
    assert_eq!(json["matches"][0]["matched_on"], "id");
    sfjwt()
        .args(["explain", "lightning-host-redirect"])
        .assert()
        .code(0)
        .stdout(contains("Error 405 Only POST allowed"))
        .stdout(contains("lightning.force.com"));
}

#[test]
fn list_shows_errors_and_checks() {
    sfjwt()
        .args(["explain", "--list"])
        .assert()
        .code(0)
        .stdout(contains("user-not-approved"))
        .stdout(contains(
            "invalid_grant: user hasn't approved this consumer",
        ))
        .stdout(contains("pem-no-start-line"))
        .stdout(contains("cert.matches-key"));
    let (code, json) = explain_json(&["--list"], None);
    assert_eq!(code, 0);
    let errors = json["errors"].as_array().expect("errors");
    assert!(errors.iter().any(|e| e["id"] == "user-not-approved"));
    let checks = json["checks"].as_array().expect("checks");
    assert!(checks.iter().any(|c| c["id"] == "login-url.host"));
}

#[test]
fn list_shows_the_client_entries_with_their_steps() {
    let out = sfjwt().args(["explain", "--list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for (id, steps) in [
        ("key-file-missing", "1,7"),
        ("key-pkcs1-where-pkcs8-needed", "1"),
        ("dns-failure", "5"),
        ("tls-untrusted-certificate", "5"),
        ("fetch-failed", "5"),
        ("url-not-reset", "5"),
        ("session-not-valid-for-rest", "2,4,6"),
        ("scratch-org-c-1016", "2"),
    ] {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{text}"));
        assert_eq!(line.split_whitespace().nth(1), Some(steps), "{line}");
    }
    let docs = std::fs::read_to_string("docs/errors.md").unwrap();
    for id in ["key-file-missing", "fetch-failed", "data-not-available"] {
        assert!(docs.contains(id), "docs/errors.md lists {id}");
    }
}

#[test]
fn list_with_a_text_is_a_usage_error() {
    sfjwt()
        .args(["explain", "--list", "invalid assertion"])
        .assert()
        .code(2);
}

#[test]
fn empty_input_is_a_usage_error() {
    sfjwt()
        .args(["explain", "-"])
        .write_stdin("  \n")
        .assert()
        .code(2)
        .stderr(contains("nothing to explain"))
        .stdout("");
    sfjwt().args(["explain", ""]).assert().code(2);
}

#[test]
fn a_huge_paste_is_read_up_to_one_mebibyte() {
    let mut big = String::from("invalid_grant: expired authorization code\n");
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("2025-06-01T10:00:00Z INFO request served in 3 ms\n");
    }
    sfjwt()
        .args(["explain", "-", "--format", "json"])
        .write_stdin(big)
        .timeout(crate::common::PATIENCE)
        .assert()
        .code(0)
        .stdout(contains("assertion-expired"))
        .stderr(contains("only its first 1 MiB"));
}

#[test]
fn colour_follows_the_flag() {
    sfjwt()
        .args([
            "explain",
            "--color",
            "always",
            "invalid_grant: inactive user",
        ])
        .assert()
        .code(0)
        .stdout(contains("\u{1b}["));
    sfjwt()
        .args(["explain", "invalid_grant: inactive user"])
        .assert()
        .code(0)
        .stdout(contains("\u{1b}[").not());
}

#[test]
fn help_documents_the_exit_codes() {
    let out = sfjwt()
        .args(["explain", "--help"])
        .output()
        .expect("sfjwt runs");
    assert_eq!(out.status.code(), Some(0));
    // Help is wrapped to the terminal: compare with the line breaks undone.
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in [
        "Exit codes: 0 the text was recognised",
        "1 the text was read but holds no known error",
        "2 nothing could be explained",
    ] {
        assert!(help.contains(phrase), "{phrase:?} not in:\n{help}");
    }
}

#[test]
fn snapshot_of_the_cli_paste_as_text() {
    let out = sfjwt()
        .args(["explain", CLI_PASTE])
        .output()
        .expect("sfjwt runs");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(
        "explain_text_user_not_approved",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn snapshot_of_the_cli_paste_as_json() {
    let out = sfjwt()
        .args(["explain", "--format", "json", CLI_PASTE])
        .output()
        .expect("sfjwt runs");
    assert_eq!(out.status.code(), Some(0));
    // The raw text, so that the snapshot also shows the order of the fields.
    insta::assert_snapshot!(
        "explain_json_user_not_approved",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_paste_is_never_echoed() {
    // Whatever surrounds the error (a token, a key) stays out of the output: only catalog text
    // and URLs read from the CLI's audience suffix are printed.
    let paste = "access_token=00D5e000000CANARY!AQ4AQ secret=CANARY-SECRET-1234\n\
                 -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANCANARYKEY\n-----END PRIVATE KEY-----\n\
                 invalid_grant: audience is invalid  [audience=https://login.salesforce.com login=https://test.salesforce.com/]\n";
    for format in &common::command_formats() {
        sfjwt()
            .args(["explain", "--format", format, "-"])
            .write_stdin(paste)
            .assert()
            .code(0)
            .stdout(contains("audience-invalid"))
            .stdout(contains("CANARY").not())
            .stdout(contains("canary").not())
            .stderr(contains("CANARY").not());
    }
}

#[test]
fn no_input_on_a_terminal_prints_a_hint_and_exits_2() {
    let (code, shown) = common::on_a_terminal_with_no_input("explain");
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("nothing to explain"), "{shown}");
    assert!(shown.contains("sfjwt explain -"), "{shown}");
}

#[test]
fn a_pasted_jwt_is_sent_to_decode_and_never_repeated() {
    let jwt = std::fs::read_to_string("fixtures/tokens/good.jwt").expect("token fixture");
    let (code, json) = explain_json(&["-"], Some(&jwt));
    assert_eq!(code, 1, "a JWT is not a known error");
    assert_eq!(match_ids(&json), Vec::<String>::new());
    let hint = json["hint"].as_str().expect("a hint");
    assert!(hint.contains("sfjwt decode -"), "{hint}");
    let text = explain_stdin_text(jwt.clone());
    assert!(text.contains("This is a JWT"), "{text}");
    let signature = jwt.trim().rsplit('.').next().unwrap();
    for shown in [text.as_ref(), hint] {
        assert!(
            !shown.contains(signature) && !shown.contains("eyJ"),
            "{shown}"
        );
    }
}

#[test]
fn a_mistyped_check_id_gets_a_did_you_mean() {
    sfjwt()
        .args(["explain", "cert.matchs-key"])
        .assert()
        .code(1)
        .stdout(contains("did you mean the check `cert.matches-key`?"));
    let (code, json) = explain_json(&["audience-invalide"], None);
    assert_eq!(code, 1);
    assert!(
        json["hint"]
            .as_str()
            .is_some_and(|h| h.contains("the error `audience-invalid`")),
        "{json}"
    );
    // A real error text gets no guess.
    let (_, json) = explain_json(&["invalid_grant: audience is invalid"], None);
    assert!(json.get("hint").is_none(), "{json}");
}

/// The Salesforce CLI's fan-out as harvested from `sf org login jwt` 2.150.6: the first line is
/// the answer, the four after it are its retries (labelled, with their hosts, never causes).
#[test]
fn the_sf_cli_fan_out_reports_retries_apart_from_the_cause() {
    let paste = std::fs::read_to_string("tests/data/clients/sf-cli/user-not-approved.txt").unwrap();
    let (code, json) = explain_json(&["-"], Some(&paste));
    assert_eq!(code, 0);
    assert_eq!(match_ids(&json), ["user-not-approved"], "{json}");
    let f = &json["fan_out"];
    assert_eq!(f["tool"], "Salesforce CLI");
    assert_eq!(f["attempts"], 5);
    let retries: Vec<_> = f["retries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["attempt"].as_u64().unwrap(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        retries,
        [
            (2, "fetch-failed".to_string()),
            (3, "fetch-failed".to_string()),
            (4, "user-not-approved".to_string()),
            (5, "user-not-approved".to_string()),
        ]
    );
    let text = explain_stdin_text(paste);
    assert!(text.contains("retries with other audiences and"), "{text}");
    assert!(text.contains("not causes"), "{text}");
    assert!(text.contains("  retry 2: "), "{text}");
    assert!(!text.contains("2 known errors"), "one cause only: {text}");
}

#[test]
fn the_sf_cli_audience_retries_carry_their_hosts() {
    let paste = std::fs::read_to_string("tests/data/clients/sf-cli/audience-invalid.txt").unwrap();
    let (_, json) = explain_json(&["-"], Some(&paste));
    assert_eq!(match_ids(&json), ["audience-invalid"]);
    let r4 = &json["fan_out"]["retries"][2];
    assert_eq!(r4["attempt"], 4);
    assert_eq!(r4["audience"], "https://login.salesforce.com");
    assert!(
        r4["login"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:"),
        "{r4}"
    );
}

#[test]
fn key_loading_errors_name_the_form_and_the_command_that_makes_it() {
    for (paste, id, command) in [
        (
            "Exception in thread \"main\" java.security.spec.InvalidKeySpecException: java.security.InvalidKeyException: IOException : algid parse error, not a sequence",
            "key-pkcs1-where-pkcs8-needed",
            "sfjwt convert --key server.key --to pkcs8",
        ),
        (
            "TypeError: Password was not given but private key is encrypted",
            "key-encrypted-no-passphrase",
            "sfjwt convert --key server.key --to pkcs8",
        ),
        (
            "Error: secretOrPrivateKey has a minimum key size of 2048 bits for RS256",
            "key-weak-1024-bit",
            "sfjwt new",
        ),
        (
            "jwt.exceptions.InvalidKeyError: Could not parse the provided public key.",
            "key-unreadable",
            "sfjwt check --key server.key",
        ),
    ] {
        let (code, json) = explain_json(&[paste], None);
        assert_eq!(code, 0, "{paste}");
        assert_eq!(match_ids(&json), [id], "{paste}");
        let fix = json["matches"][0]["fix"].as_str().unwrap();
        assert!(fix.contains(command), "{id}: {fix}");
    }
}
