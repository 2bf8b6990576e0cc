//! Every shipped fixture bundle, run through the real binary: the right check gets the right
//! status, the message names the cause and the fix is there.

mod common;

use common::{check_json, finding, status_of};

/// (bundle, check id, expected status, a phrase the message or fix must contain)
const EXPECTATIONS: &[(&str, &str, &str, &str)] = &[
    ("valid", "key.parse", "pass", "2048"),
    ("valid", "cert.matches-key", "pass", "sha256:"),
    ("pkcs1-key", "key.parse", "pass", "PKCS#1"),
    ("der", "key.parse", "pass", "DER"),
    ("der", "cert.parse", "pass", ""),
    ("legacy-encrypted-key", "key.parse", "fail", "openssl"),
    (
        "key-mismatch",
        "cert.matches-key",
        "fail",
        "invalid assertion",
    ),
    ("expired-cert", "cert.validity", "fail", "expired"),
    ("expiring-soon", "cert.validity", "warn", "10 days"),
    ("not-yet-valid", "cert.validity", "fail", "2099"),
    ("weak-key", "key.strength", "fail", "1024"),
    ("sha1-cert", "cert.signature-algorithm", "", "sha256"),
    ("ec-key", "key.parse", "fail", "RSA"),
    ("key-is-cert", "key.parse", "fail", "certificate"),
    ("key-is-csr", "key.parse", "fail", "request"),
    ("key-is-public-key", "key.parse", "fail", "public key"),
    ("cert-is-key", "cert.parse", "fail", "private key"),
    ("cert-is-csr", "cert.parse", "fail", "openssl x509"),
    ("truncated-key", "key.parse", "fail", "truncated"),
    ("empty-key", "key.parse", "fail", "empty"),
    ("key-literal-newlines", "key.parse", "pass", "\\n"),
    ("key-crlf", "key.parse", "pass", ""),
    ("key-bom", "key.parse", "pass", ""),
    ("key-one-line", "key.parse", "warn", "one line"),
    ("cert-chain", "cert.parse", "pass", "1 more certificate"),
    ("cert-chain", "cert.matches-key", "pass", ""),
    ("key-only", "cert.parse", "skip", "--cert"),
    ("key-only", "key.parse", "pass", ""),
];

#[test]
fn each_fixture_makes_the_right_check_report_the_right_status() {
    let mut failures = Vec::new();
    for (bundle, id, status, phrase) in EXPECTATIONS {
        let dir = format!("fixtures/{bundle}");
        let (_, report) = check_json(&[&dir]);
        let f = finding(&report, id);
        let got = status_of(&report, id);
        if !status.is_empty() && got != *status {
            failures.push(format!(
                "{bundle}: {id} is {got}, expected {status}: {}",
                f["message"]
            ));
            continue;
        }
        let text = format!("{} {}", f["message"], f["fix"]).to_lowercase();
        if !text.contains(&phrase.to_lowercase()) {
            failures.push(format!(
                "{bundle}: {id} does not mention {phrase:?}: {text}"
            ));
        }
        if matches!(got.as_str(), "fail" | "warn") && f["fix"].as_str().is_none_or(str::is_empty) {
            failures.push(format!("{bundle}: {id} is {got} without a fix"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
