//! Keystores as keys (fixtures/keystores, made by its make.sh with openssl 3 and keytool 17),
//! through the real binary: each store opens with its password and reads as the key it holds,
//! its entry's certificate serving when no certificate is given; a wrong password, a store with
//! several keys and no alias, one with no private key, an EC key and a JKS key with a password of
//! its own are findings; the password is never in the output.

use crate::common;

use serde_json::Value;
use std::path::Path;

const DIR: &str = "fixtures/keystores";
/// The password make.sh gave every store.
const PASSWORD: &str = "changeit-sfjwt";
const WRONG: &str = "not-the-keystore-password-7";
/// fixtures/valid's key.
const VALID: &str = "sha256:fe0c69733482";

/// The stores holding fixtures/valid's key and certificate, with the format key.parse names.
const VALID_STORES: &[(&str, &str)] = &[
    ("openssl-default.p12", "pkcs12-keystore"),
    ("openssl-legacy.pfx", "pkcs12-keystore"),
    ("keytool-import.p12", "pkcs12-keystore"),
    ("keytool-import.jks", "jks-keystore"),
    ("keytool-import.jceks", "jceks-keystore"),
];
/// keytool's own keys: they read, with their own certificate.
const OWN_KEYS: &[&str] = &["keytool-genkeypair.p12", "keytool-genkeypair.jks"];

/// `sfjwt check --key DIR/FILE [ARGS]` as JSON with this password (if any) in
/// `$SFJWT_KEY_PASSPHRASE`: the report, and stdout and stderr together.
fn check(file: &str, password: Option<&str>, args: &[&str]) -> (Value, String) {
    let mut cmd = common::sfjwt();
    if let Some(p) = password {
        cmd.env("SFJWT_KEY_PASSPHRASE", p);
    }
    let key = format!("{DIR}/{file}");
    let out = cmd
        .args(["check", "--no-prompt", "--key", &key])
        .args(["--at", common::AT, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let all = common::all_output(&out);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{file}: stdout is not JSON ({e}):\n{all}"));
    assert!(
        !all.contains(PASSWORD),
        "{file}: the password leaked:\n{all}"
    );
    (report, all)
}

fn message(report: &Value, id: &str) -> String {
    common::finding(report, id)["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_file_make_sh_writes_is_tested() {
    let mut found: Vec<String> = std::fs::read_dir(DIR)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".sh") && !n.ends_with(".md"))
        .collect();
    found.sort_unstable();
    let mut listed: Vec<&str> = VALID_STORES.iter().map(|(f, _)| *f).collect();
    listed.extend(OWN_KEYS);
    listed.extend([
        "two-keys.p12",
        "trusted-only.p12",
        "key-password.jks",
        "ec-key.p12",
        "openssl-empty-password.p12",
    ]);
    listed.sort_unstable();
    assert_eq!(found, listed);
}

#[test]
fn each_store_reads_as_its_key_with_the_entry_certificate() {
    let mut shown = String::new();
    for &(file, format) in VALID_STORES {
        let (report, _) = check(file, Some(PASSWORD), &[]);
        let key = common::finding(&report, "key.parse");
        assert_eq!(key["status"], "pass", "{file}: {key}");
        assert_eq!(key["evidence"]["format"], format, "{file}");
        let fingerprint = key["evidence"]["fingerprint"].as_str().unwrap();
        assert!(fingerprint.starts_with(VALID), "{file}: {fingerprint}");
        assert_eq!(common::status_of(&report, "cert.parse"), "pass", "{file}");
        let cert = message(&report, "cert.parse");
        assert!(
            cert.contains(&format!("from the keystore entry sfjwt of {DIR}/{file}")),
            "{file}: {cert}"
        );
        assert_eq!(
            common::status_of(&report, "cert.matches-key"),
            "pass",
            "{file}"
        );
        shown += &format!(
            "{file}: {}\n{file}: {cert}\n",
            message(&report, "key.parse")
        );
    }
    for file in OWN_KEYS {
        let (report, _) = check(file, Some(PASSWORD), &[]);
        assert_eq!(common::status_of(&report, "key.parse"), "pass", "{file}");
        assert_eq!(
            common::status_of(&report, "cert.matches-key"),
            "pass",
            "{file}"
        );
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn a_certificate_given_is_used_and_compared() {
    let (report, _) = check(
        "openssl-default.p12",
        Some(PASSWORD),
        &["--cert", "fixtures/valid/server.crt"],
    );
    assert!(!message(&report, "cert.parse").contains("keystore"));
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
    let (report, _) = check(
        "keytool-genkeypair.p12",
        Some(PASSWORD),
        &["--cert", "fixtures/valid/server.crt"],
    );
    assert_eq!(common::status_of(&report, "cert.matches-key"), "fail");
}

#[test]
fn a_wrong_password_is_said_to_be_wrong_and_none_is_asked_for() {
    for &(file, _) in VALID_STORES {
        let (report, all) = check(file, Some(WRONG), &[]);
        let f = common::finding(&report, "key.parse");
        assert_eq!(f["status"], "fail", "{file}: {f}");
        assert_eq!(f["evidence"]["error"], "keystore-wrong-password", "{file}");
        assert!(message(&report, "key.parse").contains("the keystore password is wrong"));
        assert!(
            !all.contains(WRONG),
            "{file}: the wrong password leaked:\n{all}"
        );
        let (report, _) = check(file, None, &[]);
        let f = common::finding(&report, "key.parse");
        assert_eq!(
            f["evidence"]["error"], "keystore-needs-password",
            "{file}: {f}"
        );
        assert!(f["fix"].as_str().unwrap().contains("$SFJWT_KEY_PASSPHRASE"));
    }
}

#[test]
fn two_private_keys_need_an_alias_from_the_flag_the_environment_or_the_toml() {
    let (report, _) = check("two-keys.p12", Some(PASSWORD), &[]);
    assert_eq!(common::status_of(&report, "key.parse"), "fail");
    let text = message(&report, "key.parse");
    assert!(
        text.contains("2 private key entries") && text.contains("sfjwt, other"),
        "{text}"
    );
    let (report, _) = check("two-keys.p12", Some(PASSWORD), &["--key-alias", "sfjwt"]);
    assert_eq!(common::status_of(&report, "key.parse"), "pass");
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
    assert!(message(&report, "key.parse").contains("entry sfjwt"));
    let (report, _) = check("two-keys.p12", Some(PASSWORD), &["--key-alias", "nobody"]);
    let text = message(&report, "key.parse");
    assert!(
        text.contains("named nobody") && text.contains("sfjwt, other"),
        "{text}"
    );

    let out = common::sfjwt()
        .env("SFJWT_KEY_PASSPHRASE", PASSWORD)
        .env("SFJWT_KEY_ALIAS", "other")
        .args([
            "check",
            "--no-prompt",
            "--format",
            "json",
            "--at",
            common::AT,
        ])
        .args(["--key", "fixtures/keystores/two-keys.p12"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(message(&report, "key.parse").contains("entry other"));
}

#[test]
fn a_bundle_names_its_keystore_and_its_entry_certificate_serves() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(format!("{DIR}/two-keys.p12"), dir.path().join("app.p12")).unwrap();
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        "key = \"app.p12\"\nkey_alias = \"sfjwt\"\n",
    )
    .unwrap();
    let out = common::sfjwt()
        .env("SFJWT_KEY_PASSPHRASE", PASSWORD)
        .args([
            "check",
            "--no-prompt",
            "--format",
            "json",
            "--at",
            common::AT,
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::status_of(&report, "key.parse"), "pass");
    assert_eq!(common::status_of(&report, "cert.parse"), "pass");
    assert!(message(&report, "cert.parse").contains("from the keystore entry sfjwt of"));
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
}

#[test]
fn a_store_with_an_empty_password_opens_without_one_and_says_so() {
    let (report, _) = check("openssl-empty-password.p12", None, &[]);
    assert_eq!(common::status_of(&report, "key.parse"), "pass");
    assert!(message(&report, "key.parse").contains("the keystore's password is empty"));
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
}

#[test]
fn stores_without_a_usable_key_are_named() {
    let (report, _) = check("trusted-only.p12", Some(PASSWORD), &[]);
    assert_eq!(
        common::finding(&report, "key.parse")["evidence"]["error"],
        "keystore-no-private-key"
    );
    let (report, _) = check("ec-key.p12", Some(PASSWORD), &[]);
    assert_eq!(
        common::finding(&report, "key.parse")["evidence"]["error"],
        "ec-key"
    );
    let (report, _) = check("key-password.jks", Some(PASSWORD), &[]);
    let f = common::finding(&report, "key.parse");
    assert_eq!(f["evidence"]["error"], "keystore-key-password");
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("keytool -keypasswd -alias own")
    );
}

/// A JKS entry whose key has a password of its own (`keytool -keypass other-key-pass`): the
/// store password is the passphrase, the key's comes from `$SFJWT_KEY_PASSWORD`,
/// `--key-password-file` or `key_password_env`, and it is never shown.
#[test]
fn a_key_password_of_its_own_comes_from_the_key_password_sources() {
    const KEY_PASS: &str = "other-key-pass";
    let pass = |report: &Value| {
        assert_eq!(
            common::status_of(report, "key.parse"),
            "pass",
            "{}",
            message(report, "key.parse")
        );
        assert_eq!(common::status_of(report, "cert.matches-key"), "pass");
    };
    let run = |cmd: &mut assert_cmd::Command| {
        let out = cmd.output().unwrap();
        let all = common::all_output(&out);
        assert!(!all.contains(KEY_PASS) && !all.contains(PASSWORD), "{all}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let key = format!("{DIR}/key-password.jks");
    let base = |cmd: &mut assert_cmd::Command| {
        cmd.env("SFJWT_KEY_PASSPHRASE", PASSWORD).args([
            "check",
            "--no-prompt",
            "--at",
            common::AT,
            "--format",
            "json",
        ]);
    };
    let mut cmd = common::sfjwt();
    base(&mut cmd);
    cmd.env("SFJWT_KEY_PASSWORD", KEY_PASS)
        .args(["--key", &key]);
    pass(&run(&mut cmd));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keypass");
    std::fs::write(&file, format!("{KEY_PASS}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut cmd = common::sfjwt();
    base(&mut cmd);
    cmd.args(["--key", &key, "--key-password-file"]).arg(&file);
    pass(&run(&mut cmd));

    // A bundle naming the variables that hold both passwords.
    let b = dir.path().join("b");
    std::fs::create_dir(&b).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(&key),
        b.join("app.jks"),
    )
    .unwrap();
    std::fs::write(
        b.join("sfjwt.toml"),
        "key = \"app.jks\"\nkey_passphrase_env = \"APP_STORE_PASS\"\nkey_password_env = \"APP_KEY_PASS\"\n",
    )
    .unwrap();
    let mut cmd = common::sfjwt();
    cmd.env("APP_STORE_PASS", PASSWORD)
        .env("APP_KEY_PASS", KEY_PASS)
        .args([
            "check",
            "--no-prompt",
            "--at",
            common::AT,
            "--format",
            "json",
        ])
        .arg(&b);
    pass(&run(&mut cmd));

    // A wrong key password: the same finding, which says the key password may be wrong.
    let mut cmd = common::sfjwt();
    base(&mut cmd);
    cmd.env("SFJWT_KEY_PASSWORD", "not-it")
        .args(["--key", &key]);
    let report = run(&mut cmd);
    let f = common::finding(&report, "key.parse");
    assert_eq!(f["evidence"]["error"], "keystore-key-password");
    assert!(f["fix"].as_str().unwrap().contains("$SFJWT_KEY_PASSWORD"));
}
