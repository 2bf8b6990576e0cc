use super::*;
use crate::bundle::cert::decode_certificates;
use time::macros::datetime;

#[test]
fn subjects_read_in_both_forms_in_the_order_given() {
    let dn = parse_subject("CN=integration,O=Acme\\, Inc.,C=US").unwrap();
    let slash = parse_subject("/CN=integration/O=Acme, Inc./C=US").unwrap();
    assert_eq!(dn, slash);
    assert_eq!(dn.len(), 3);
    for bad in ["", "CN", "XX=1", "C=USA", "CN=", "/CN=a/emailAddress=nope"] {
        let e = parse_subject(bad).unwrap_err();
        assert!(e.starts_with("--subject"), "{bad}: {e}");
    }
}

#[test]
fn periods_are_whole_seconds_and_bounded() {
    let p = Period::days_from(datetime!(2026-12-03 17:00:00.5 UTC), 365).unwrap();
    assert_eq!(p.not_before, datetime!(2026-12-03 17:00:00 UTC));
    assert_eq!(p.not_after, datetime!(2027-12-03 17:00:00 UTC));
    assert!(Period::days_from(p.not_before, 0).is_err());
    assert!(generate_key(1024).is_err());
}

#[test]
fn a_self_signed_certificate_carries_the_key_and_a_fresh_serial() {
    let key = generate_key(2048).unwrap();
    let subject = subject_of_cn("sfjwt test").unwrap();
    let period = Period::days_from(datetime!(2026-12-03 17:00:00 UTC), 30).unwrap();
    let first = self_signed(&key, &subject, period).unwrap();
    let second = self_signed(&key, &subject_of(&first).unwrap(), period).unwrap();
    let (a, b) = (
        decode_certificates(&first).unwrap().first,
        decode_certificates(&second).unwrap().first,
    );
    assert_eq!(a.subject, b.subject);
    assert_eq!(a.subject, a.issuer);
    assert_ne!(a.serial, b.serial);
    assert_eq!(a.not_before, period.not_before);
    assert_eq!(a.not_after, period.not_after);
    let pem_key = key_pem(&key).unwrap();
    let parsed = crate::bundle::key::decode_private_key(pem_key.as_bytes(), None).unwrap();
    assert_eq!(parsed.spki_der, a.spki_der);
    assert!(!signing_request(&key, &subject).unwrap().is_empty());
}

/// OpenSSL reads what is built: the certificate verifies as self-signed, with the key's public
/// key and the extensions `openssl req -x509` writes; the request verifies.
#[test]
fn openssl_verifies_the_certificate_and_the_request() {
    if std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: openssl is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = generate_key(2048).unwrap();
    let subject = parse_subject("/CN=sfjwt test/O=Acme").unwrap();
    let period = Period::days_from(time::OffsetDateTime::now_utc(), 365).unwrap();
    let crt = dir.path().join("server.crt");
    let csr = dir.path().join("server.csr");
    std::fs::write(
        &crt,
        pem("CERTIFICATE", &self_signed(&key, &subject, period).unwrap()),
    )
    .unwrap();
    let request = signing_request(&key, &subject).unwrap();
    std::fs::write(&csr, pem("CERTIFICATE REQUEST", &request)).unwrap();
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{:?}: {}",
            args,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let verified = run(&[
        os("verify"),
        os("-CAfile"),
        crt.as_os_str(),
        crt.as_os_str(),
    ]);
    assert!(verified.trim_end().ends_with(": OK"), "{verified}");
    let text = run(&[
        os("x509"),
        os("-noout"),
        os("-text"),
        os("-in"),
        crt.as_os_str(),
    ]);
    for wanted in [
        "Version: 3 (0x2)",
        "sha256WithRSAEncryption",
        "Subject: CN = sfjwt test, O = Acme",
        "X509v3 Subject Key Identifier",
        "X509v3 Authority Key Identifier",
        "X509v3 Basic Constraints: critical",
        "CA:TRUE",
    ] {
        assert!(text.contains(wanted), "{wanted} not in:\n{text}");
    }
    run(&[
        os("req"),
        os("-verify"),
        os("-noout"),
        os("-in"),
        csr.as_os_str(),
    ]);
}
