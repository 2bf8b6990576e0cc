//! Keys kept as `openssl enc` files (fixtures/openssl-enc, made by its make.sh from
//! fixtures/valid/server.key with the OpenSSL 3 command line), through the real binary: with the
//! passphrase, `key.parse` reads each with the valid key's fingerprint and names the parameters
//! it found; one made without `-pbkdf2` warns; a wrong passphrase or parameters outside the list
//! fail naming what was tried; no passphrase is the needs-passphrase finding; the passphrase is
//! never in the output.

use crate::common::{self, AT, IDENTITY_FLAGS, check_json, finding, status_of};

const DIR: &str = "fixtures/openssl-enc";
/// The passphrase make.sh encrypted every file with.
const PASSPHRASE: &str = "sfjwt-enc-test-passphrase";
const WRONG: &str = "not-the-right-one-42";
const FINGERPRINT: &str = "sha256:fe0c69733482";

/// Each file sfjwt decrypts: the status, and the evidence cipher, kdf, md, iterations, base64.
const DECRYPTED: &[(&str, &str, &str, &str, &str, u64, bool)] = &[
    (
        "md5-aes256.enc",
        "warn",
        "aes-256-cbc",
        "evp-bytes-to-key",
        "md5",
        1,
        false,
    ),
    (
        "sfdx-travisci.enc",
        "warn",
        "aes-256-cbc",
        "evp-bytes-to-key",
        "md5",
        1,
        false,
    ),
    (
        "sha256-aes256.enc",
        "warn",
        "aes-256-cbc",
        "evp-bytes-to-key",
        "sha256",
        1,
        false,
    ),
    (
        "pbkdf2-aes256.enc",
        "pass",
        "aes-256-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        false,
    ),
    (
        "pbkdf2-iter100000-aes256.enc",
        "pass",
        "aes-256-cbc",
        "pbkdf2",
        "sha256",
        100_000,
        false,
    ),
    (
        "pbkdf2-sha512-iter100000-aes256.enc",
        "pass",
        "aes-256-cbc",
        "pbkdf2",
        "sha512",
        100_000,
        false,
    ),
    (
        "pbkdf2-aes128.enc",
        "pass",
        "aes-128-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        false,
    ),
    (
        "pbkdf2-aes192.enc",
        "pass",
        "aes-192-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        false,
    ),
    (
        "pbkdf2-des3.enc",
        "pass",
        "des-ede3-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        false,
    ),
    (
        "pbkdf2-aes256ctr.enc",
        "pass",
        "aes-256-ctr",
        "pbkdf2",
        "sha256",
        10_000,
        false,
    ),
    (
        "md5-aes256.b64",
        "warn",
        "aes-256-cbc",
        "evp-bytes-to-key",
        "md5",
        1,
        true,
    ),
    (
        "pbkdf2-aes256.b64",
        "pass",
        "aes-256-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        true,
    ),
    (
        "pbkdf2-aes256-oneline.b64",
        "pass",
        "aes-256-cbc",
        "pbkdf2",
        "sha256",
        10_000,
        true,
    ),
];

fn run(file: &str, passphrase: Option<&str>) -> (serde_json::Value, String) {
    let key = format!("{DIR}/{file}");
    let mut cmd = common::sfjwt();
    cmd.args(["check", "--at", AT, "--format", "json", "--key", &key])
        .args(["--cert", "fixtures/valid/server.crt"])
        .args(IDENTITY_FLAGS);
    if let Some(p) = passphrase {
        cmd.env("SFJWT_KEY_PASSPHRASE", p);
    }
    let out = cmd.output().expect("sfjwt runs");
    let all = common::all_output(&out);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {all}"));
    (json, all)
}

#[test]
fn each_file_decrypts_to_the_valid_key_and_names_its_parameters() {
    for &(file, status, cipher, kdf, md, iter, base64) in DECRYPTED {
        let (report, all) = run(file, Some(PASSPHRASE));
        let parse = finding(&report, "key.parse");
        let ev = &parse["evidence"];
        assert_eq!(parse["status"], status, "{file}: {parse:#}");
        assert_eq!(ev["fingerprint"], FINGERPRINT, "{file}");
        assert_eq!(
            (&ev["enc_cipher"], &ev["enc_kdf"], &ev["enc_md"]),
            (&cipher.into(), &kdf.into(), &md.into()),
            "{file}"
        );
        assert_eq!(
            (ev["enc_iter"].as_u64(), ev["enc_base64"].as_bool()),
            (Some(iter), Some(base64))
        );
        assert_eq!(ev["encrypted"], true, "{file}");
        let message = parse["message"].as_str().unwrap();
        assert!(message.contains("openssl enc file"), "{file}: {message}");
        assert!(
            message.contains(&cipher.to_ascii_uppercase()),
            "{file}: {message}"
        );
        assert!(message.contains(": PKCS#8 PEM inside"), "{file}: {message}");
        assert_eq!(status_of(&report, "cert.matches-key"), "pass", "{file}");
        if status == "warn" {
            let fix = parse["fix"].as_str().unwrap();
            assert!(fix.contains("-pbkdf2"), "{file}: {fix}");
            assert!(message.contains("no -pbkdf2"), "{file}: {message}");
        }
        assert!(
            !all.contains(PASSPHRASE),
            "{file}: the passphrase is in the output"
        );
    }
}

#[test]
fn a_wrong_passphrase_fails_naming_what_was_tried() {
    let (report, all) = run("pbkdf2-aes256.enc", Some(WRONG));
    let parse = finding(&report, "key.parse");
    assert_eq!(parse["status"], "fail");
    assert_eq!(parse["evidence"]["error"], "openssl-enc-not-decrypted");
    let message = parse["message"].as_str().unwrap();
    for tried in [
        "EVP_BytesToKey-MD5 1 iteration",
        "PBKDF2-HMAC-SHA256 100000 iterations",
        "DES-EDE3-CBC",
    ] {
        assert!(message.contains(tried), "{message}");
    }
    let fix = parse["fix"].as_str().unwrap();
    assert!(
        fix.contains(
            "openssl enc -d -aes-256-cbc -pbkdf2 -in fixtures/openssl-enc/pbkdf2-aes256.enc"
        ),
        "{fix}"
    );
    assert!(!all.contains(WRONG));
}

#[test]
fn parameters_outside_the_list_fail_with_the_command_to_decrypt_by_hand() {
    for file in ["pbkdf2-iter12345-aes256.enc", "pbkdf2-aria256.enc"] {
        let (report, all) = run(file, Some(PASSPHRASE));
        let parse = finding(&report, "key.parse");
        assert_eq!(
            parse["evidence"]["error"], "openssl-enc-not-decrypted",
            "{file}"
        );
        assert!(
            parse["message"]
                .as_str()
                .unwrap()
                .contains("parameters sfjwt does not try")
        );
        assert!(!all.contains(PASSPHRASE));
    }
}

#[test]
fn no_passphrase_is_the_needs_passphrase_finding() {
    let (report, _) = run("pbkdf2-aes256.b64", None);
    let parse = finding(&report, "key.parse");
    assert_eq!(parse["status"], "fail");
    assert_eq!(parse["evidence"]["error"], "needs-passphrase");
    // The fix decrypts it as an openssl enc file, naming the file read (not `openssl pkey`).
    let fix = parse["fix"].as_str().unwrap();
    assert!(
        fix.contains(
            "`openssl enc -d -aes-256-cbc -pbkdf2 -in fixtures/openssl-enc/pbkdf2-aes256.b64 -out "
        ),
        "{fix}"
    );
    assert!(!fix.contains("openssl pkey"), "{fix}");
    assert!(
        parse["message"]
            .as_str()
            .unwrap()
            .contains("openssl enc file")
    );
}

#[test]
fn a_file_made_with_nosalt_is_not_recognised() {
    let (report, _) = run("nosalt-aes256.enc", Some(PASSPHRASE));
    assert_eq!(
        finding(&report, "key.parse")["evidence"]["error"],
        "unrecognised"
    );
}

#[test]
fn a_bundle_names_the_file_and_its_passphrase_variable() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    std::fs::create_dir(&bundle).unwrap();
    for f in ["server.key.enc", "server.crt", "sfjwt.toml"] {
        std::fs::copy(format!("{DIR}/bundle/{f}"), bundle.join(f)).unwrap();
    }
    let out = common::sfjwt()
        .args(["check", "--at", AT, "--format", "json"])
        .arg(&bundle)
        .env("SFJWT_ENC_TEST_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parse = finding(&report, "key.parse");
    assert_eq!(parse["status"], "pass", "{parse:#}");
    assert_eq!(parse["evidence"]["fingerprint"], FINGERPRINT);
    assert!(!common::all_output(&out).contains(PASSPHRASE));

    // Without the variable: needs-passphrase, naming the variable that is not set.
    let (_, report) = check_json(&[bundle.to_str().unwrap()]);
    let parse = finding(&report, "key.parse");
    assert_eq!(parse["evidence"]["error"], "needs-passphrase");
    assert!(
        parse["message"]
            .as_str()
            .unwrap()
            .contains("SFJWT_ENC_TEST_PASSPHRASE")
    );
}

#[test]
fn a_bundle_without_server_key_suggests_the_enc_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{DIR}/pbkdf2-aes256.enc"),
        dir.path().join("server.key.enc"),
    )
    .unwrap();
    std::fs::copy("fixtures/valid/server.crt", dir.path().join("server.crt")).unwrap();
    std::fs::copy("fixtures/valid/sfjwt.toml", dir.path().join("sfjwt.toml")).unwrap();
    let (_, report) = check_json(&[dir.path().to_str().unwrap()]);
    let parse = finding(&report, "key.parse");
    let fix = parse["fix"].as_str().unwrap_or_default();
    assert!(fix.contains("key = \"server.key.enc\""), "{parse:#}");
}
