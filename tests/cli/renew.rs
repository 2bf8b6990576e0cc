//! `sfjwt renew` through the real binary: the new certificate has the same key and subject, a
//! new validity and serial, and sits beside the old one, which is left byte-identical; nothing
//! is written over; a certificate of another key is refused; an encrypted key's passphrase is
//! never printed; what it prints.

use crate::common::{self, AT, sfjwt};
use crate::new::{contents, new_in, openssl, random_parts_filtered, same_public_key};

use std::path::Path;
use std::process::Output;

use common::canaries::Canaries;

/// The start of the renewed certificates' validity in these tests.
const RENEW_AT: &str = "2027-10-01T00:00:00Z";
/// A day into the renewed certificates' validity (2027-10-02), for openssl verify -attime.
const VERIFY_AT: &str = "1822435200";
/// The passphrase of `fixtures/encrypted-key/server.key`.
const FIXTURE_PASSPHRASE: &str = "sfjwt-fixture-passphrase";

fn renew_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = sfjwt();
    cmd.current_dir(cwd)
        .args(["renew", "--no-prompt"])
        .args(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.timeout(common::PATIENCE).output().unwrap()
}

/// A bundle made by `sfjwt new acme --at AT` in a new temporary directory.
fn made_bundle() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = new_in(
        tmp.path(),
        &["acme", "--at", AT, "--subject", "CN=acme-jwt,O=Acme,C=US"],
    );
    assert!(out.status.success(), "{}", common::all_output(&out));
    tmp
}

fn x509(dir: &Path, cert: &str, field: &str) -> String {
    openssl(dir, &["x509", "-noout", field, "-in", cert])
}

#[test]
fn renew_keeps_the_key_and_subject_with_new_dates_and_serial() {
    let tmp = made_bundle();
    let dir = tmp.path().join("acme");
    let before = contents(&dir);
    let out = renew_in(
        tmp.path(),
        &["acme", "--at", RENEW_AT, "--days", "400"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let new = "server.renewed-2027-10-01.crt";
    same_public_key(&dir, "server.key", new);
    assert_eq!(
        x509(&dir, new, "-subject"),
        x509(&dir, "server.crt", "-subject")
    );
    assert_eq!(
        x509(&dir, new, "-subject"),
        "subject=CN = acme-jwt, O = Acme, C = US\n"
    );
    assert_eq!(
        x509(&dir, new, "-dates"),
        "notBefore=Oct  1 00:00:00 2027 GMT\nnotAfter=Nov  4 00:00:00 2028 GMT\n"
    );
    assert_ne!(
        x509(&dir, new, "-dates"),
        x509(&dir, "server.crt", "-dates")
    );
    assert_ne!(
        x509(&dir, new, "-serial"),
        x509(&dir, "server.crt", "-serial")
    );
    assert_eq!(
        openssl(&dir, &["verify", "-attime", VERIFY_AT, "-CAfile", new, new]).trim(),
        format!("{new}: OK")
    );
    let mut after = contents(&dir);
    assert!(after.remove(new).is_some());
    assert_eq!(
        after, before,
        "the old files are byte-identical, nothing else was written"
    );
}

#[test]
fn renew_twice_exits_2_and_changes_nothing() {
    let tmp = made_bundle();
    let dir = tmp.path().join("acme");
    assert!(
        renew_in(tmp.path(), &["acme", "--at", RENEW_AT], &[])
            .status
            .success()
    );
    let before = contents(&dir);
    let again = renew_in(tmp.path(), &["acme", "--at", RENEW_AT], &[]);
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("acme/server.renewed-2027-10-01.crt already exists")
            && err.contains("wrote nothing"),
        "{err}"
    );
    assert_eq!(contents(&dir), before);
    // --out naming an existing file: the same.
    let onto_old = renew_in(tmp.path(), &["acme", "--out", "acme/server.crt"], &[]);
    assert_eq!(onto_old.status.code(), Some(2));
    assert_eq!(contents(&dir), before);
}

#[test]
fn key_and_cert_flags_with_out() {
    let tmp = made_bundle();
    let out = renew_in(
        tmp.path(),
        &[
            "--key",
            "acme/server.key",
            "--cert",
            "acme/server.crt",
            "--out",
            "next.crt",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    same_public_key(tmp.path(), "acme/server.key", "next.crt");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "sfjwt check --key acme/server.key --cert acme/server.crt --next-cert next.crt"
        ),
        "{text}"
    );
}

#[test]
fn a_certificate_of_another_key_is_refused() {
    let tmp = made_bundle();
    assert!(new_in(tmp.path(), &["other"]).status.success());
    let before = (
        contents(&tmp.path().join("acme")),
        contents(&tmp.path().join("other")),
    );
    let out = renew_in(
        tmp.path(),
        &[
            "--key",
            "acme/server.key",
            "--cert",
            "other/server.crt",
            "--out",
            "next.crt",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("other/server.crt is not the certificate of acme/server.key")
            && err.contains("the clients' key does not match"),
        "{err}"
    );
    let after = (
        contents(&tmp.path().join("acme")),
        contents(&tmp.path().join("other")),
    );
    assert_eq!(after, before, "nothing changed");
    assert!(!tmp.path().join("next.crt").exists(), "nothing written");
}

#[test]
fn an_encrypted_key_renews_and_its_passphrase_is_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_bundle("encrypted-key", tmp.path());
    let canaries = Canaries::new().secret(FIXTURE_PASSPHRASE, "the key's passphrase");
    let runs = [
        // The passphrase variable the bundle's sfjwt.toml names.
        (
            vec!["encrypted-key", "--out", "a.crt"],
            ("SFJWT_FIXTURE_PASSPHRASE", FIXTURE_PASSPHRASE),
        ),
        (
            vec![
                "--key",
                "encrypted-key/server.key",
                "--cert",
                "encrypted-key/server.crt",
                "--out",
                "b.crt",
            ],
            ("SFJWT_KEY_PASSPHRASE", FIXTURE_PASSPHRASE),
        ),
    ];
    for (args, env) in runs {
        let out = renew_in(tmp.path(), &args, &[env]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            common::all_output(&out)
        );
        canaries.assert_absent(
            &format!("{args:?}"),
            &[("output".into(), common::all_output(&out))],
        );
    }
    assert_eq!(
        x509(tmp.path(), "a.crt", "-pubkey"),
        x509(tmp.path(), "b.crt", "-pubkey")
    );
    assert_eq!(
        x509(tmp.path(), "a.crt", "-pubkey"),
        x509(tmp.path(), "encrypted-key/server.crt", "-pubkey")
    );
    let wrong = renew_in(
        tmp.path(),
        &["encrypted-key", "--out", "c.crt"],
        &[("SFJWT_KEY_PASSPHRASE", "Wrong-Canary-5d1e")],
    );
    assert_eq!(wrong.status.code(), Some(2));
    let text = common::all_output(&wrong);
    assert!(text.contains("encrypted-key/server.key"), "{text}");
    assert!(!text.contains("Wrong-Canary-5d1e"), "{text}");
    assert!(!tmp.path().join("c.crt").exists());
    let none = renew_in(tmp.path(), &["encrypted-key", "--out", "c.crt"], &[]);
    assert_eq!(none.status.code(), Some(2), "{}", common::all_output(&none));
    assert!(!tmp.path().join("c.crt").exists());
}

#[test]
fn bad_days_and_a_missing_bundle_are_refused() {
    let tmp = made_bundle();
    let out = renew_in(tmp.path(), &["acme", "--days", "0"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--days 0: a certificate must be valid"));
    let out = renew_in(tmp.path(), &["nowhere"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere is not a directory"));
}

#[test]
fn what_renew_prints() {
    let tmp = made_bundle();
    let out = renew_in(tmp.path(), &["acme", "--at", RENEW_AT], &[]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    random_parts_filtered().bind(|| insta::assert_snapshot!("renew_prints", text));
}

/// A certificate a CA issued is renewed as a self-signed one: the output says so, and how to get
/// one from the CA instead.
#[test]
fn a_ca_issued_certificate_is_renewed_self_signed_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_bundle("cert-chain", tmp.path());
    let out = renew_in(tmp.path(), &["cert-chain"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("was issued by O=Acme, CN=Acme Test CA; the renewed"),
        "{text}"
    );
    assert!(
        text.contains("the renewed certificate is self-signed"),
        "{text}"
    );
    assert!(
        text.contains("openssl req -new -key cert-chain/server.key"),
        "{text}"
    );
    // A self-signed certificate renews without the note.
    let tmp = made_bundle();
    let out = renew_in(tmp.path(), &["acme"], &[]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("self-signed"));
}
