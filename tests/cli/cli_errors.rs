//! The run itself failing: bad flags and unusable arguments exit 2 with a clear message.

use crate::common;

use common::sfjwt;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn an_unknown_flag_exits_2() {
    sfjwt().args(["check", "--bogus"]).assert().code(2);
}

#[test]
fn a_bad_at_exits_2_and_shows_the_expected_form() {
    sfjwt()
        .args(["check", "--at", "tomorrow", "--username", "a@b.com"])
        .assert()
        .code(2)
        .stderr(contains("RFC 3339"));
}

#[test]
fn a_bad_format_exits_2() {
    sfjwt()
        .args(["check", "--format", "yaml", "--username", "a@b.com"])
        .assert()
        .code(2);
}

#[test]
fn a_consumer_secret_flag_is_refused_without_echoing_it() {
    sfjwt()
        .args(["check", "--consumer-secret", "CANARY-SECRET-1234"])
        .assert()
        .code(2)
        .stderr(contains("SFJWT_CONSUMER_SECRET"))
        .stderr(predicates::str::contains("CANARY-SECRET-1234").not())
        .stdout(predicates::str::contains("CANARY-SECRET-1234").not());
}

#[test]
fn a_passphrase_flag_is_refused_without_echoing_it() {
    sfjwt()
        .args(["check", "--key-passphrase=CANARY-PASS-1234"])
        .assert()
        .code(2)
        .stderr(contains("SFJWT_KEY_PASSPHRASE"))
        .stderr(predicates::str::contains("CANARY-PASS-1234").not());
}

#[test]
fn nothing_to_check_exits_2_with_a_hint() {
    let empty = tempfile::tempdir().unwrap();
    sfjwt()
        .current_dir(empty.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains("nothing to check"));
}

#[test]
fn a_missing_bundle_directory_exits_2() {
    sfjwt()
        .args(["check", "no/such/bundle"])
        .assert()
        .code(2)
        .stderr(contains("does not exist"));
}

#[test]
fn a_file_given_as_a_bundle_directory_exits_2_and_points_at_key() {
    sfjwt()
        .args(["check", "Cargo.toml"])
        .assert()
        .code(2)
        .stderr(contains("--key"));
}

#[test]
fn an_unwritable_output_exits_2() {
    sfjwt()
        .args([
            "check",
            "--username",
            "a@b.com",
            "--output",
            "/nonexistent-dir/report.json",
        ])
        .assert()
        .code(2)
        .stderr(contains("cannot write the report"));
}

/// A broken sfjwt.toml is the bundle's config.parse finding (exit 1), not a tool error (exit 2):
/// DESIGN.md, exit codes. The finding names the file, line and column.
#[test]
fn a_broken_sfjwt_toml_is_a_finding_naming_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sfjwt.toml"), "username = \n").unwrap();
    sfjwt()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(contains("config.parse"))
        .stdout(contains("sfjwt.toml:1:"))
        .stdout(contains("not valid TOML"))
        .stdout(contains("(see config.parse)"));
}

#[test]
fn a_plain_text_secret_in_sfjwt_toml_is_refused_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        "consumer_secret = \"CANARY0123456789\"\n",
    )
    .unwrap();
    sfjwt()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(contains("sfjwt.toml:1:1"))
        .stdout(contains("consumer_secret_env"))
        .stdout(predicates::str::contains("CANARY0123456789").not())
        .stderr(predicates::str::contains("CANARY0123456789").not());
}

#[test]
fn version_and_help_exit_0() {
    sfjwt()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(contains("sfjwt 0.1.0"));
    sfjwt()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(contains("--expiry-warn-days"));
}

#[test]
fn help_never_shows_environment_values() {
    sfjwt()
        .env("SFJWT_CONSUMER_KEY", "3MVG9-CANARY-VALUE")
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("3MVG9-CANARY-VALUE").not());
}
