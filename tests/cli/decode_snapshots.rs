//! Snapshots of `sfjwt decode` output, text and JSON, at the fixed test instant. Review changes
//! with `cargo insta review`, or `INSTA_UPDATE=always cargo test --test cli decode_snapshots::` and git diff.

use crate::common;

use common::{AT, IDENTITY_FLAGS as EXPECT, sfjwt};

fn decode(token: &str, args: &[&str]) -> String {
    let input = std::fs::read(format!("fixtures/tokens/{token}.jwt")).unwrap();
    let out = sfjwt()
        .args(["decode", "--at", AT])
        .args(args)
        .arg("-")
        .write_stdin(input)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r#""version": "[^"]+""#, r#""version": "[version]""#);
    s
}

#[test]
fn text_of_a_good_token_without_a_certificate() {
    insta::assert_snapshot!(decode("good", &[]));
}

#[test]
fn text_of_an_expired_token_with_every_expectation() {
    let mut args = vec!["--cert", "fixtures/valid/server.crt"];
    args.extend_from_slice(&EXPECT);
    insta::assert_snapshot!(decode("expired", &args));
}

#[test]
fn text_of_the_salesforce_cli_millisecond_exp() {
    insta::assert_snapshot!(decode(
        "millis-exp",
        &["--cert", "fixtures/valid/server.crt"]
    ));
}

#[test]
fn json_of_the_salesforce_cli_millisecond_exp() {
    let mut args = vec!["--format", "json", "--cert", "fixtures/valid/server.crt"];
    args.extend_from_slice(&EXPECT);
    settings().bind(|| insta::assert_snapshot!(decode("millis-exp", &args)));
}

#[test]
fn json_of_a_token_signed_by_the_wrong_key() {
    let args = ["--format", "json", "--cert", "fixtures/valid/server.crt"];
    settings().bind(|| insta::assert_snapshot!(decode("wrong-key", &args)));
}
