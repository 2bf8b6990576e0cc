//! Per-bundle variables (`username_env`, `consumer_key_env`, `key_env`, ... in sfjwt.toml) and
//! `--env-file`: a fleet whose bundles each take their own values from CI secrets, through the
//! real binary.

use crate::common;

use std::path::Path;

use common::{AT, finding, sfjwt};

const VALID_KEY: &str = "fixtures/valid/server.key";
const CONSUMER_KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";

/// A bundle directory DIR/NAME with the `valid` certificate, no key file, and a sfjwt.toml
/// naming NAME-specific variables for the username, the consumer key and the key.
fn named_bundle(dir: &Path, name: &str) {
    let bundle = dir.join(name);
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::copy("fixtures/valid/server.crt", bundle.join("server.crt")).unwrap();
    let up = name.to_ascii_uppercase();
    std::fs::write(
        bundle.join("sfjwt.toml"),
        format!(
            "username_env = \"{up}_USERNAME\"\nconsumer_key_env = \"{up}_CONSUMER_KEY\"\n\
             key_env = \"{up}_KEY\"\nlogin_url = \"https://login.salesforce.com\"\n"
        ),
    )
    .unwrap();
}

/// The bundle of a JSON report by its name.
fn bundle<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("no bundle {name} in {report:#}"))
}

/// One finding of a bundle of a JSON report.
fn check<'a>(bundle: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    bundle["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {bundle:#}"))
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", common::all_output(out));
    })
}

/// A dotenv line holding the text as a double-quoted multi-line value.
fn quoted(name: &str, text: &str) -> String {
    format!("{name}=\"{}\"\n", text.trim_end())
}

#[test]
fn each_bundle_of_a_fleet_takes_its_own_values_from_its_own_variables() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        named_bundle(dir.path(), name);
    }
    let pem = std::fs::read_to_string(VALID_KEY).unwrap();
    let pkcs1 = std::fs::read_to_string("fixtures/pkcs1-key/server.key").unwrap();
    // b's values come from the env file; a's and c's from the environment (c's key as base64).
    let env_file = dir.path().join("ci.env");
    std::fs::write(
        &env_file,
        format!(
            "# bundle b\nexport B_USERNAME=b@acme.com\nB_CONSUMER_KEY='{CONSUMER_KEY}B'\n{}",
            quoted("B_KEY", &pkcs1)
        ),
    )
    .unwrap();
    use base64::Engine;
    let c_key = base64::engine::general_purpose::STANDARD.encode(&pem);
    let out = sfjwt()
        .current_dir(dir.path())
        .env("A_USERNAME", "a@acme.com")
        .env("A_CONSUMER_KEY", format!("{CONSUMER_KEY}A"))
        .env("A_KEY", &pem)
        .env("C_USERNAME", "c@acme.com")
        .env("C_CONSUMER_KEY", format!("{CONSUMER_KEY}C"))
        .env("C_KEY", &c_key)
        .args([
            "check",
            "--at",
            AT,
            "--format",
            "json",
            "--env-file",
            "ci.env",
        ])
        .args(["a", "b", "c"])
        .output()
        .unwrap();
    let report = json(&out);
    for (name, format) in [("a", "pkcs8-pem"), ("b", "pkcs1-pem"), ("c", "pkcs8-pem")] {
        let b = bundle(&report, name);
        let username = check(b, "username.format");
        assert_eq!(username["status"], "pass", "{username:#}");
        assert_eq!(username["evidence"]["username"], format!("{name}@acme.com"));
        let up = name.to_ascii_uppercase();
        assert_eq!(
            username["evidence"]["source"],
            format!("${up}_USERNAME (username_env in {name}/sfjwt.toml)")
        );
        let claims = check(b, "assertion.claims");
        let iss = claims["evidence"]["claims"]["iss"]
            .as_str()
            .unwrap_or_default();
        assert!(iss.ends_with(&up), "{claims:#}");
        let key = check(b, "key.parse");
        assert_eq!(key["status"], "pass", "{key:#}");
        assert_eq!(key["evidence"]["format"], format, "{key:#}");
        let repaired = key["evidence"]["repairs"].to_string();
        assert_eq!(
            name == "c",
            repaired.contains("base64 of a PEM file"),
            "{key:#}"
        );
        assert_eq!(
            key["evidence"]["origin"],
            format!("${up}_KEY (key_env in {name}/sfjwt.toml)")
        );
        assert_eq!(check(b, "cert.matches-key")["status"], "pass");
    }
    let all = common::all_output(&out);
    assert!(!all.contains("MII"), "no key text is printed");
    assert!(!all.contains(&c_key[..40]), "nor its base64");
}

#[test]
fn sfjwt_variables_replacing_the_bundles_own_named_values_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        named_bundle(dir.path(), name);
    }
    let pem = std::fs::read_to_string(VALID_KEY).unwrap();
    let out = sfjwt()
        .current_dir(dir.path())
        .env("A_USERNAME", "a@acme.com")
        .env("A_KEY", &pem)
        .env("B_KEY", &pem)
        .env("SFJWT_USERNAME", "everyone@acme.com")
        .args(["check", "--at", AT, "--format", "json", "a", "b"])
        .output()
        .unwrap();
    let report = json(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // a's own value came from its variable, b's variable is not set: only a's is replaced.
    assert!(
        stderr.contains("$SFJWT_USERNAME replaced the bundle's own value in 1 of 2 bundles"),
        "{stderr}"
    );
    let a = check(bundle(&report, "a"), "username.format");
    assert_eq!(
        a["evidence"]["source"],
        "$SFJWT_USERNAME, which overrides $A_USERNAME (username_env in a/sfjwt.toml)"
    );
}

#[test]
fn a_named_variable_that_is_not_set_is_said_by_the_checks_that_need_it() {
    let dir = tempfile::tempdir().unwrap();
    named_bundle(dir.path(), "a");
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT, "--format", "json", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let a = bundle(&report, "a");
    let key = check(a, "key.parse");
    assert_eq!(key["status"], "fail");
    assert_eq!(
        key["message"],
        "sfjwt.toml names $A_KEY for the private key, but it is not set"
    );
    let username = check(a, "username.format");
    assert_eq!(username["status"], "skip");
    assert_eq!(
        username["message"],
        "sfjwt.toml names $A_USERNAME for the username, but it is not set"
    );
    assert_eq!(
        check(a, "consumer-key.format")["message"],
        "sfjwt.toml names $A_CONSUMER_KEY for the consumer key, but it is not set"
    );

    // With the key set, the test assertion says which of its inputs' variables are not set.
    let pem = std::fs::read_to_string(VALID_KEY).unwrap();
    let out = sfjwt()
        .current_dir(dir.path())
        .env("A_KEY", pem)
        .env("A_CONSUMER_KEY", CONSUMER_KEY)
        .args(["check", "--at", AT, "--format", "json", "a"])
        .output()
        .unwrap();
    let report = json(&out);
    let claims = check(bundle(&report, "a"), "assertion.claims");
    assert_eq!(claims["status"], "skip");
    assert_eq!(
        claims["message"],
        "no test assertion was made: no username for sub (sfjwt.toml names $A_USERNAME for the \
         username, but it is not set)"
    );
}

#[test]
fn an_env_file_gives_sfjwt_settings_in_dotenv_syntax_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let pem = std::fs::read_to_string(VALID_KEY).unwrap();
    let env_file = dir.path().join(".env");
    std::fs::write(
        &env_file,
        format!(
            "# sfjwt settings for CI\n\nexport SFJWT_USERNAME='integration@acme.com'\n\
             SFJWT_CONSUMER_KEY=\"{CONSUMER_KEY}\"   # the app's\n\
             SFJWT_LOGIN_URL=https://test.salesforce.com\n{}",
            quoted("SFJWT_PRIVATE_KEY", &pem)
        ),
    )
    .unwrap();
    let file = env_file.display().to_string();
    let cert = "--cert=fixtures/valid/server.crt";
    let (code, report) = {
        let out = sfjwt()
            .env("SFJWT_LOGIN_URL", "https://login.salesforce.com")
            .args([
                "check",
                "--at",
                AT,
                "--format",
                "json",
                cert,
                "--env-file",
                &file,
            ])
            .output()
            .unwrap();
        (out.status.code(), json(&out))
    };
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(finding(&report, "key.parse")["status"], "pass");
    let username = finding(&report, "username.format");
    assert_eq!(username["evidence"]["username"], "integration@acme.com");
    assert_eq!(username["evidence"]["source"], "$SFJWT_USERNAME");
    // The environment's login URL, not the file's.
    let claims = finding(&report, "assertion.claims");
    assert_eq!(
        claims["evidence"]["claims"]["aud"],
        "https://login.salesforce.com"
    );
}

#[test]
fn a_bad_env_file_stops_the_run_naming_the_line_never_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("bad.env");
    std::fs::write(
        &env_file,
        "SFJWT_USERNAME=a@acme.com\n# fine\nSFJWT_CONSUMER_SECRET C0FFEE00C0FFEE00 oops\n",
    )
    .unwrap();
    let file = env_file.display().to_string();
    let out = sfjwt()
        .args(["check", "fixtures/valid", "--env-file", &file])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("--env-file {file}:3: ")),
        "{stderr}"
    );
    assert!(!stderr.contains("C0FFEE00"), "{stderr}");
    assert!(out.stdout.is_empty());

    for (args, says) in [
        (
            vec!["--env-file", "no-such.env"],
            "--env-file no-such.env: the file does not exist",
        ),
        (vec!["--env-file", &file, "--output", &file], "is an input"),
    ] {
        let out = sfjwt()
            .args(["check", "fixtures/valid"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(says) || stderr.contains(":3:"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn an_env_file_is_not_written_over_by_output() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("ok.env");
    std::fs::write(&env_file, "SFJWT_USERNAME=a@acme.com\n").unwrap();
    let file = env_file.display().to_string();
    let out = sfjwt()
        .args([
            "check",
            "fixtures/valid",
            "--env-file",
            &file,
            "--output",
            &file,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", common::all_output(&out));
    assert_eq!(
        std::fs::read_to_string(&env_file).unwrap(),
        "SFJWT_USERNAME=a@acme.com\n"
    );
}
