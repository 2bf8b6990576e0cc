//! `sfjwt new DIR` through the real binary: the files it makes pass every offline check and
//! read as OpenSSL expects (the certificate carries the key's public key and verifies as
//! self-signed, the signing request verifies); the key is 0600 and of the size asked; nothing
//! is ever written over; bad flags are refused with a clear message; what it prints.

use crate::common::{self, AT, IDENTITY_FLAGS, sfjwt};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

/// Runs `sfjwt new ARGS...` in `cwd` (so the paths it prints are relative to it).
pub fn new_in(cwd: &Path, args: &[&str]) -> Output {
    sfjwt()
        .current_dir(cwd)
        .arg("new")
        .args(args)
        .timeout(common::PATIENCE)
        .output()
        .unwrap()
}

/// Every file in `dir` and its bytes.
pub fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Runs openssl in `dir`; it must succeed. Returns its standard output and error.
pub fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        common::all_output(&out)
    );
    common::all_output(&out)
}

pub fn same_public_key(dir: &Path, key: &str, cert: &str) {
    assert_eq!(
        openssl(dir, &["x509", "-noout", "-pubkey", "-in", cert]),
        openssl(dir, &["pkey", "-pubout", "-in", key]),
        "the certificate {cert} carries the public key of {key}"
    );
}

fn key_bits(dir: &Path) -> String {
    openssl(dir, &["pkey", "-noout", "-text", "-in", "server.key"])
        .lines()
        .next()
        .unwrap()
        .to_string()
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn new_then_check_passes_every_offline_check() {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = vec!["acme", "--at", AT];
    args.extend(IDENTITY_FLAGS);
    let out = new_in(tmp.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let dir = tmp.path().join("acme");
    let (code, report) = common::check_json(&[dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{report:#}");
    for check in report["bundles"][0]["checks"].as_array().unwrap() {
        let status = check["status"].as_str().unwrap();
        // The consumer secret is optional and not given: its check is skipped.
        let expected = if check["id"] == "consumer-secret.format" {
            "skip"
        } else {
            "pass"
        };
        assert_eq!(status, expected, "{check:#}");
    }
}

#[test]
fn openssl_reads_what_new_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = new_in(
        tmp.path(),
        &["acme", "--csr", "--subject", "/CN=acme-jwt/O=Acme/C=US"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let dir = tmp.path().join("acme");
    same_public_key(&dir, "server.key", "server.crt");
    let verified = openssl(&dir, &["verify", "-CAfile", "server.crt", "server.crt"]);
    assert_eq!(verified.trim(), "server.crt: OK");
    let request = openssl(&dir, &["req", "-verify", "-noout", "-in", "server.csr"]);
    assert!(request.contains("verify OK"), "{request}");
    assert_eq!(
        openssl(&dir, &["req", "-noout", "-pubkey", "-in", "server.csr"]),
        openssl(&dir, &["pkey", "-pubout", "-in", "server.key"])
    );
    let text = openssl(&dir, &["x509", "-noout", "-text", "-in", "server.crt"]);
    for expected in [
        "Version: 3 (0x2)",
        "Signature Algorithm: sha256WithRSAEncryption",
        "Subject: CN = acme-jwt, O = Acme, C = US",
        "Issuer: CN = acme-jwt, O = Acme, C = US",
        "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier",
        "CA:TRUE",
        "Public-Key: (2048 bit)",
    ] {
        assert!(text.contains(expected), "no {expected:?} in\n{text}");
    }
    assert_eq!(key_bits(&dir), "Private-Key: (2048 bit, 2 primes)");
    assert_eq!(mode(&dir.join("server.key")), 0o600);
    let key = std::fs::read_to_string(dir.join("server.key")).unwrap();
    assert!(
        key.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "PKCS#8 PEM"
    );
}

#[test]
fn the_dn_form_of_the_subject_and_the_validity_asked_for() {
    // 730 days from 2026-11-29 end on 2028-11-28: 2028 is a leap year.
    let tmp = tempfile::tempdir().unwrap();
    let out = new_in(
        tmp.path(),
        &[
            "d",
            "--subject",
            "CN=acme-jwt, O=Acme\\, Inc., OU=IT, C=DE",
            "--days",
            "730",
            "--at",
            AT,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let dir = tmp.path().join("d");
    let shown = openssl(
        &dir,
        &["x509", "-noout", "-subject", "-dates", "-in", "server.crt"],
    );
    assert_eq!(
        shown,
        "subject=CN = acme-jwt, O = \"Acme, Inc.\", OU = IT, C = DE\n\
         notBefore=Nov 29 13:00:00 2026 GMT\nnotAfter=Nov 28 13:00:00 2028 GMT\n"
    );
}

#[test]
fn the_default_subject_is_the_username_else_the_directory_name() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(new_in(tmp.path(), &["acme-prod"]).status.success());
    let dir = tmp.path().join("acme-prod");
    assert_eq!(
        openssl(&dir, &["x509", "-noout", "-subject", "-in", "server.crt"]),
        "subject=CN = acme-prod\n"
    );
    assert!(
        new_in(tmp.path(), &["u", "--username", "int@acme.com"])
            .status
            .success()
    );
    assert_eq!(
        openssl(
            &tmp.path().join("u"),
            &["x509", "-noout", "-subject", "-in", "server.crt"]
        ),
        "subject=CN = int@acme.com\n"
    );
}

#[test]
fn bits_are_honoured_3072_and_4096() {
    // 4096-bit generation is the slow one in a debug build: one key of each size, no more.
    for bits in ["3072", "4096"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = new_in(tmp.path(), &["k", "--bits", bits]);
        assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
        let dir = tmp.path().join("k");
        assert_eq!(
            key_bits(&dir),
            format!("Private-Key: ({bits} bit, 2 primes)")
        );
        same_public_key(&dir, "server.key", "server.crt");
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("RSA {bits}-bit")));
    }
}

#[test]
fn a_second_run_exits_2_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(new_in(tmp.path(), &["acme", "--csr"]).status.success());
    let dir = tmp.path().join("acme");
    let before = contents(&dir);
    assert_eq!(before.len(), 4, "{:?}", before.keys());
    let again = new_in(tmp.path(), &["acme", "--csr"]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("already exist") && err.contains("wrote nothing"),
        "{err}"
    );
    assert_eq!(
        contents(&dir),
        before,
        "every file byte-identical, no file added"
    );
}

#[test]
fn one_existing_file_makes_new_write_none_of_the_others() {
    for existing in ["sfjwt.toml", "server.crt", "server.csr"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("acme");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join(existing), "mine\n").unwrap();
        let out = new_in(tmp.path(), &["acme", "--csr"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{existing}: {}",
            common::all_output(&out)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains(existing));
        let left = contents(&dir);
        assert_eq!(
            left,
            BTreeMap::from([(existing.to_string(), b"mine\n".to_vec())]),
            "{existing}: nothing else written, no temporary file left"
        );
    }
}

#[test]
fn a_directory_that_does_not_exist_is_made() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(new_in(tmp.path(), &["a/b/c"]).status.success());
    let names: Vec<String> = contents(&tmp.path().join("a/b/c")).into_keys().collect();
    assert_eq!(names, ["server.crt", "server.key", "sfjwt.toml"]);
}

#[test]
fn bad_flags_are_refused_with_exit_2_and_nothing_made() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--bits", "1024"],
            "--bits 1024: sfjwt new makes 2048-, 3072- or 4096-bit keys",
        ),
        (
            &["--days", "0"],
            "--days 0: a certificate must be valid for 1 to 36500 days",
        ),
        (&["--subject", "CN=a,Q=b"], "`Q` is not a subject attribute"),
        (&["--subject", "acme"], "`acme` has no `=`"),
        (
            &["--subject", "/CN=a/C=USA"],
            "the C value is 3 characters long",
        ),
        (&["--subject", ""], "--subject is empty"),
    ];
    for (flags, message) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let mut args = vec!["acme"];
        args.extend(flags);
        let out = new_in(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{flags:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!tmp.path().join("acme").exists(), "{flags:?}: nothing made");
    }
}

#[test]
fn sfjwt_toml_holds_the_values_given_and_placeholders_for_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(
        new_in(tmp.path(), &["acme", "--username", "int@acme.com"])
            .status
            .success()
    );
    let toml = std::fs::read_to_string(tmp.path().join("acme/sfjwt.toml")).unwrap();
    insta::assert_snapshot!("new_sfjwt_toml", toml);
}

/// Snapshot settings for what new and renew print: the key's fingerprint and the random
/// serials change from run to run.
pub fn random_parts_filtered() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"sha256:[0-9a-f]{12}", "sha256:[fingerprint]");
    settings.add_filter(r"serial ( *)[0-9a-f]+", "serial $1[serial]");
    settings.add_filter(r"\(was [0-9a-f]+\)", "(was [old serial])");
    settings
}

#[test]
fn what_new_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let mut args = vec!["acme", "--csr", "--at", AT];
    args.extend(IDENTITY_FLAGS);
    let out = new_in(tmp.path(), &args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let settings = random_parts_filtered();
    settings.bind(|| insta::assert_snapshot!("new_prints", text));
    let missing = new_in(tmp.path(), &["bare", "--at", AT]);
    let text = String::from_utf8(missing.stdout).unwrap();
    settings.bind(|| insta::assert_snapshot!("new_prints_missing_inputs", text));
}
