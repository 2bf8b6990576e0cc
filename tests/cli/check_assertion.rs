//! `assertion.claims` and `assertion.signature` in `sfjwt check`, through the real binary: the
//! valid bundle mints an assertion that verifies, the mismatched one fails with the fix, missing
//! inputs skip with the reason, and the signed token never shows without --show-assertion.

use crate::common;

use common::{AT, check_json, finding, sfjwt, status_of};

fn good_token() -> String {
    std::fs::read_to_string("fixtures/tokens/good.jwt")
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn the_valid_bundle_mints_an_assertion_that_verifies() {
    let (code, report) = check_json(&["fixtures/valid"]);
    assert_eq!(code, 0);
    assert_eq!(status_of(&report, "assertion.claims"), "pass");
    assert_eq!(status_of(&report, "assertion.signature"), "pass");
    let claims = finding(&report, "assertion.claims");
    assert_eq!(claims["steps"], serde_json::json!([5, 7]));
    assert_eq!(
        claims["evidence"]["header"],
        serde_json::json!({"alg": "RS256"})
    );
    assert_eq!(claims["evidence"]["claims"]["exp"], 1_795_957_380);
    assert_eq!(
        claims["evidence"]["claims"]["aud"],
        "https://login.salesforce.com"
    );
    let sig = finding(&report, "assertion.signature");
    assert!(sig["message"].as_str().unwrap().contains("verifies"));
    assert_eq!(sig["evidence"]["verified"], true);
}

#[test]
fn a_mismatched_key_fails_the_signature_with_the_fix() {
    let (code, report) = check_json(&["fixtures/key-mismatch"]);
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "assertion.claims"), "pass");
    assert_eq!(status_of(&report, "assertion.signature"), "fail");
    let sig = finding(&report, "assertion.signature");
    assert!(
        sig["message"]
            .as_str()
            .unwrap()
            .contains("invalid assertion")
    );
    assert!(sig["fix"].as_str().unwrap().contains("openssl x509 -req"));
    assert_eq!(sig["steps"], serde_json::json!([1, 2, 7]));
}

#[test]
fn missing_inputs_skip_with_the_reason() {
    // A key, nothing else.
    let (_, report) = check_json(&["--key", "fixtures/valid/server.key"]);
    for id in ["assertion.claims", "assertion.signature"] {
        assert_eq!(status_of(&report, id), "skip", "{id}");
    }
    let m = finding(&report, "assertion.claims")["message"]
        .as_str()
        .unwrap()
        .to_string();
    for phrase in ["no consumer key", "no username", "no login URL or audience"] {
        assert!(m.contains(phrase), "{m}");
    }
    assert!(
        finding(&report, "assertion.signature")["message"]
            .as_str()
            .unwrap()
            .contains("certificate")
    );

    // Identity but no key: both skip for the key.
    let mut args = vec!["--cert", "fixtures/valid/server.crt"];
    args.extend(crate::common::IDENTITY_FLAGS);
    let (_, report) = check_json(&args);
    for id in ["assertion.claims", "assertion.signature"] {
        assert_eq!(status_of(&report, id), "skip", "{id}");
        let m = finding(&report, id)["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(m.contains("private key"), "{id}: {m}");
    }

    // The key-only bundle: the claims are judged, the signature can't be verified.
    let (_, report) = check_json(&["fixtures/key-only"]);
    assert_eq!(status_of(&report, "assertion.claims"), "pass");
    assert_eq!(status_of(&report, "assertion.signature"), "skip");

    // --audience stands in for the login URL.
    let (_, report) = check_json(&[
        "--key",
        "fixtures/valid/server.key",
        "--cert",
        "fixtures/valid/server.crt",
        "--consumer-key",
        "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D",
        "--username",
        "integration@acme.com",
        "--audience",
        "https://acme.my.salesforce.com",
    ]);
    assert_eq!(status_of(&report, "assertion.claims"), "pass");
    assert_eq!(status_of(&report, "assertion.signature"), "pass");
    assert_eq!(
        finding(&report, "assertion.claims")["evidence"]["aud_source"],
        "--audience"
    );
}

#[test]
fn the_signed_assertion_never_shows_without_the_flag() {
    let token = good_token();
    let signature = token.rsplit('.').next().unwrap().to_string();
    for format in common::report_formats() {
        let out = sfjwt()
            .args(["check", "--at", AT, "--format", format, "fixtures/valid"])
            .output()
            .unwrap();
        let all = common::all_output(&out);
        assert!(!all.contains(&signature), "{format} shows the assertion");
        assert!(
            !all.contains("eyJhbGciOiJSUzI1NiJ9."),
            "{format} shows the token"
        );
    }
    let out = sfjwt()
        .args(["check", "--at", AT, "--show-assertion", "fixtures/valid"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&token), "{text}");
    assert!(
        text.contains("WARNING: the assertion below is a credential until 2026-11-29T13:03:00Z"),
        "{text}"
    );
}

#[test]
fn the_text_report_shows_the_decoded_header_and_claims() {
    let out = sfjwt()
        .args(["check", "--at", AT, "fixtures/valid"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(r#"header {"alg":"RS256"}"#), "{text}");
    assert!(
        text.contains(r#"claims {"aud":"https://login.salesforce.com","exp":1795957380,"#),
        "{text}"
    );
    assert!(
        text.contains("exp 1795957380 = 2026-11-29T13:03:00Z (in 3 minutes)"),
        "{text}"
    );
}

#[test]
fn a_secret_given_as_the_consumer_key_never_reaches_the_report() {
    let secret = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    for format in common::report_formats() {
        let out = sfjwt()
            .args(["check", "--at", AT, "--format", format])
            .arg("fixtures/secret-as-consumer-key")
            .output()
            .unwrap();
        let all = common::all_output(&out);
        assert!(!all.contains(secret), "{format}: {all}");
        assert!(all.contains("consumer-key.format"), "{format}: {all}");
    }
    let (_, report) = check_json(&["fixtures/secret-as-consumer-key"]);
    let iss = finding(&report, "assertion.claims")["evidence"]["claims"]["iss"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(iss.starts_with("<not shown: 64 characters"), "{iss}");
}
