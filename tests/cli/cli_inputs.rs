//! Where inputs come from: flags, the environment, bundle directories, standard input, secret
//! files; and how the run is shaped by --at, --expiry-warn-days, --fail-on, --output, --color.

use crate::common;

use common::{AT, check_json, finding, sfjwt, status_of};

const VALID_KEY: &str = "fixtures/valid/server.key";
const VALID_CERT: &str = "fixtures/valid/server.crt";

fn message(report: &serde_json::Value, id: &str) -> String {
    finding(report, id)["message"].as_str().unwrap().to_string()
}

#[test]
fn a_key_and_certificate_alone_are_checked_and_the_rest_is_skipped_with_reasons() {
    let (code, r) = check_json(&["--key", VALID_KEY, "--cert", VALID_CERT]);
    assert_eq!(code, 0);
    assert_eq!(r["bundles"][0]["name"], "command line");
    for id in [
        "key.parse",
        "cert.parse",
        "cert.matches-key",
        "cert.validity",
    ] {
        assert_eq!(status_of(&r, id), "pass", "{id}");
    }
    for (id, reason) in [
        ("login-url.host", "--login-url"),
        ("username.format", "--username"),
        ("consumer-key.format", "--consumer-key"),
    ] {
        assert_eq!(status_of(&r, id), "skip", "{id}");
        assert!(
            message(&r, id).contains(reason),
            "{id}: {}",
            message(&r, id)
        );
    }
}

#[test]
fn the_key_can_come_on_standard_input() {
    let pem = std::fs::read(VALID_KEY).unwrap();
    let out = sfjwt()
        .args([
            "check", "--at", AT, "--format", "json", "--key", "-", "--cert", VALID_CERT,
        ])
        .write_stdin(pem)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status_of(&r, "key.parse"), "pass");
    assert_eq!(status_of(&r, "cert.matches-key"), "pass");
    assert_eq!(status_of(&r, "key.file-permissions"), "skip");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("PRIVATE KEY"));
}

#[test]
fn endless_standard_input_is_cut_at_the_cap_and_reported() {
    let out = sfjwt()
        .args(["check", "--at", AT, "--format", "json", "--key", "-"])
        .write_stdin(vec![b'A'; 2 * 1024 * 1024])
        .timeout(common::PATIENCE)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&r, "key.parse");
    assert_eq!(f["status"], "fail");
    assert!(
        f["message"].as_str().unwrap().contains("standard input"),
        "{f}"
    );
    assert_eq!(out.status.code(), Some(1));
}

/// `sfjwt check --cert VALID_CERT --format json` with `SFJWT_PRIVATE_KEY` set to `value`: the
/// report, and standard output as text.
fn check_with_private_key_env(value: &str) -> (serde_json::Value, String) {
    let out = sfjwt()
        .env("SFJWT_PRIVATE_KEY", value)
        .args([
            "check", "--at", AT, "--format", "json", "--cert", VALID_CERT,
        ])
        .output()
        .unwrap();
    let r = serde_json::from_slice(&out.stdout).unwrap();
    (r, String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_key_can_come_from_sfjwt_private_key_with_literal_newlines() {
    let pem = std::fs::read_to_string(VALID_KEY)
        .unwrap()
        .replace('\n', "\\n");
    let (r, text) = check_with_private_key_env(&pem);
    assert_eq!(status_of(&r, "key.parse"), "pass");
    assert!(
        message(&r, "key.parse").contains("$SFJWT_PRIVATE_KEY")
            || message(&r, "key.parse").contains("\\n")
    );
    assert_eq!(status_of(&r, "cert.matches-key"), "pass");
    assert!(!text.contains("MII"), "no key material in the report");
}

#[test]
fn the_key_can_come_from_sfjwt_private_key_as_the_base64_of_the_file() {
    // What `base64 -w0 server.key` stores in a CI secret.
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(std::fs::read(VALID_KEY).unwrap());
    let (r, text) = check_with_private_key_env(&b64);
    assert_eq!(status_of(&r, "key.parse"), "pass");
    let m = message(&r, "key.parse");
    assert!(
        m.contains("base64 of a PEM file") && m.contains("base64 -d"),
        "{m}"
    );
    assert_eq!(status_of(&r, "cert.matches-key"), "pass");
    assert!(
        !text.contains(&b64[200..260]),
        "no part of the encoded key in the report"
    );
}

#[test]
fn the_environment_overrides_the_toml_and_flags_override_the_environment() {
    let out = sfjwt()
        .env("SFJWT_LOGIN_URL", "https://test.salesforce.com")
        .args(["check", "--at", AT, "--format", "json", "fixtures/valid"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = message(&r, "login-url.host");
    assert!(
        m.contains("test.salesforce.com") && m.contains("$SFJWT_LOGIN_URL"),
        "{m}"
    );

    let out = sfjwt()
        .env("SFJWT_LOGIN_URL", "https://test.salesforce.com")
        .args(["check", "--at", AT, "--format", "json", "fixtures/valid"])
        .args(["--login-url", "https://acme.my.salesforce.com"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = message(&r, "login-url.host");
    assert!(
        m.contains("acme.my.salesforce.com") && m.contains("--login-url"),
        "{m}"
    );
}

#[test]
fn a_consumer_secret_from_a_file_or_the_environment_is_checked_and_never_shown() {
    let secret = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    for by_file in [true, false] {
        let mut cmd = sfjwt();
        cmd.args(["check", "--at", AT, "--format", "json", "fixtures/valid"]);
        if by_file {
            cmd.arg("--consumer-secret-file").arg(&file);
        } else {
            cmd.env("SFJWT_CONSUMER_SECRET", secret);
        }
        let out = cmd.output().unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(status_of(&r, "consumer-secret.format"), "pass");
        let all = common::all_output(&out);
        assert!(!all.contains(&secret[..12]), "the secret leaked");
    }
}

#[test]
fn at_a_later_instant_the_certificate_has_expired_which_warns_unless_expiry_must_fail() {
    let run = |extra: &[&str]| {
        let out = sfjwt()
            .args([
                "check",
                "--at",
                "2125-06-01",
                "--format",
                "json",
                "fixtures/valid",
            ])
            .args(extra)
            .output()
            .unwrap();
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), r)
    };
    // Salesforce still accepts an expired certificate for JWT logins (SE 313488): a warning.
    let (code, r) = run(&[]);
    assert_eq!(status_of(&r, "cert.validity"), "warn");
    assert_eq!(r["evaluated_at"], "2125-06-01T00:00:00Z");
    assert_eq!(code, 0);
    assert_eq!(run(&["--fail-on", "warning"]).0, 1);
    let (code, r) = run(&["--expiry-fail-days", "0"]);
    assert_eq!(status_of(&r, "cert.validity"), "fail");
    assert_eq!(code, 1);
    // Within N days of --at fails too: the certificate ends 2125-01-01, 150 days after this.
    let out = sfjwt()
        .args([
            "check",
            "--at",
            "2124-08-04",
            "--expiry-fail-days",
            "150",
            "--format",
            "json",
        ])
        .arg("fixtures/valid")
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status_of(&r, "cert.validity"), "fail", "{r:#}");
}

#[test]
fn expiry_warn_days_moves_the_warning_window() {
    let (_, r) = check_json(&["fixtures/expiring-soon"]);
    assert_eq!(status_of(&r, "cert.validity"), "warn");
    let (_, r) = check_json(&["--expiry-warn-days", "5", "fixtures/expiring-soon"]);
    assert_eq!(status_of(&r, "cert.validity"), "pass");
}

#[test]
fn fail_on_warning_turns_warnings_into_exit_1() {
    // key.file-permissions is ignored here: the fixture's mode depends on the checkout.
    let (code, r) = check_json(&["fixtures/expiring-soon"]);
    assert_eq!(r["bundles"][0]["verdict"], "warn");
    assert_eq!(code, 0);
    let (code, _) = check_json(&["--fail-on", "warning", "fixtures/expiring-soon"]);
    assert_eq!(code, 1);
}

#[test]
fn output_writes_the_report_to_a_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    sfjwt()
        .args([
            "check",
            "--at",
            AT,
            "--format",
            "json",
            "fixtures/valid",
            "--output",
        ])
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["bundles"][0]["name"], "fixtures/valid");
}

#[test]
fn colour_follows_color_and_no_color() {
    let plain = |args: &[&str], no_color: bool| {
        let mut cmd = sfjwt();
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd
            .args(["check", "--at", AT, "fixtures/expiring-soon"])
            .args(args)
            .output()
            .unwrap();
        !String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    assert!(plain(&[], true), "NO_COLOR");
    assert!(plain(&[], false), "not a terminal");
    assert!(plain(&["--color", "never"], false));
    assert!(
        !plain(&["--color", "always"], true),
        "always wins over NO_COLOR"
    );
}

#[test]
fn several_bundles_are_reported_each_on_its_own_in_order() {
    let (code, r) = check_json(&["fixtures/valid", "fixtures/key-mismatch", "fixtures/der"]);
    let names: Vec<&str> = r["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["fixtures/valid", "fixtures/key-mismatch", "fixtures/der"]
    );
    assert_eq!(r["bundles"][1]["verdict"], "fail");
    assert_eq!(code, 1);
}

#[test]
fn the_json_report_has_the_contract_shape() {
    let (_, r) = check_json(&["fixtures/valid"]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["tool"]["name"], "sfjwt");
    assert_eq!(r["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(r["evaluated_at"], AT);
    let b = &r["bundles"][0];
    assert!(["pass", "warn", "fail"].contains(&b["verdict"].as_str().unwrap()));
    for c in b["checks"].as_array().unwrap() {
        for field in [
            "id", "status", "steps", "title", "message", "fix", "evidence",
        ] {
            assert!(c.get(field).is_some(), "{field} missing in {c}");
        }
        assert!(["pass", "info", "warn", "fail", "skip"].contains(&c["status"].as_str().unwrap()));
        assert!(
            c["steps"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| sfjwt::steps::Step::from_number(s.as_u64().unwrap() as u8).is_some())
        );
        assert!(c["evidence"].is_object());
    }
}

#[cfg(unix)]
#[test]
fn key_file_permissions_warns_on_a_readable_key_and_passes_at_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("server.key");
    std::fs::copy(VALID_KEY, &key).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, r) = check_json(&["--key", key.to_str().unwrap()]);
    let f = finding(&r, "key.file-permissions");
    assert_eq!(f["status"], "warn");
    assert!(f["fix"].as_str().unwrap().contains("chmod 600"), "{f}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (_, r) = check_json(&["--key", key.to_str().unwrap()]);
    assert_eq!(status_of(&r, "key.file-permissions"), "pass");
}

#[test]
fn a_bundle_directory_finds_server_pass_key_when_there_is_no_server_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/encrypted-key/server.key",
        dir.path().join("server.pass.key"),
    )
    .unwrap();
    std::fs::copy(VALID_CERT, dir.path().join("server.crt")).unwrap();
    let out = sfjwt()
        .env("SFJWT_KEY_PASSPHRASE", "sfjwt-fixture-passphrase")
        .args(["check", "--at", AT, "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status_of(&r, "key.parse"), "pass");
    assert!(
        message(&r, "key.parse").contains("encrypted"),
        "{}",
        message(&r, "key.parse")
    );
}

#[test]
fn the_current_directory_is_the_bundle_when_it_holds_one() {
    let out = sfjwt()
        .current_dir("fixtures/valid")
        .args(["check", "--at", AT, "--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["bundles"][0]["name"], ".");
    assert_eq!(status_of(&r, "cert.matches-key"), "pass");
}

/// Runs `sfjwt ARGS` under `script`, so it has a terminal, answers the passphrase prompt once it
/// appears, and returns everything the terminal showed.
#[cfg(unix)]
fn on_a_terminal(args: &str, answer: &str) -> String {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("sfjwt");
    let mut child = common::clean_env(&mut Command::new("script"))
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 256];
    let deadline = std::time::Instant::now() + common::PATIENCE;
    let mut answered = false;
    loop {
        let n = stdout.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if !answered && String::from_utf8_lossy(&seen).contains("Passphrase for") {
            // The prompt is printed once echo is off: typing now is not echoed.
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
            answered = true;
        }
        assert!(std::time::Instant::now() < deadline, "no end on a terminal");
    }
    child.wait().unwrap();
    String::from_utf8_lossy(&seen).into_owned()
}

#[cfg(unix)]
#[test]
fn on_a_terminal_the_passphrase_is_asked_for_and_not_echoed() {
    let shown = on_a_terminal(
        &format!("check --at {AT} fixtures/encrypted-key"),
        "sfjwt-fixture-passphrase",
    );
    assert!(
        shown.contains("Passphrase for fixtures/encrypted-key/server.key"),
        "{shown}"
    );
    assert!(shown.contains("decrypted with the passphrase"), "{shown}");
    assert!(
        !shown.contains("sfjwt-fixture-passphrase"),
        "the passphrase was echoed: {shown}"
    );
}

#[cfg(unix)]
#[test]
fn no_prompt_never_asks() {
    let shown = on_a_terminal(
        &format!("check --no-prompt --at {AT} fixtures/encrypted-key"),
        "unused",
    );
    assert!(!shown.contains("Passphrase for"), "{shown}");
    assert!(shown.contains("no passphrase was given"), "{shown}");
}
