use super::*;

const PASS: &[u8] = b"changeit-sfjwt";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/keystores/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).unwrap()
}

fn open_fixture(
    name: &str,
    pass: Option<&[u8]>,
    alias: Option<&str>,
) -> Result<PrivateKey, KeyError> {
    let bytes = fixture(name);
    decode_private_key_in(&bytes, pass, alias)
}

#[test]
fn every_keystore_made_from_the_valid_fixture_reads_as_its_key() {
    for name in [
        "openssl-default.p12",
        "openssl-legacy.pfx",
        "keytool-import.p12",
        "keytool-import.jks",
        "keytool-import.jceks",
    ] {
        let key = open_fixture(name, Some(PASS), None).unwrap();
        assert!(
            key.fingerprint().starts_with("sha256:fe0c69733482"),
            "{name}"
        );
        let entry = key.keystore.as_ref().unwrap();
        assert_eq!(entry.alias, "sfjwt", "{name}");
        assert!(!entry.certs.is_empty(), "{name}: the entry's certificate");
    }
}

#[test]
fn keystores_are_recognised_by_content_not_by_name() {
    assert_eq!(sniff(&fixture("keytool-import.jks")), Some(StoreKind::Jks));
    assert_eq!(
        sniff(&fixture("openssl-legacy.pfx")),
        Some(StoreKind::Pkcs12)
    );
    assert_eq!(sniff(b"\xCE\xCE\xCE\xCE rest"), Some(StoreKind::Jceks));
    assert_eq!(sniff(b"-----BEGIN PRIVATE KEY-----"), None);
}

#[test]
fn no_password_wrong_password_and_a_trailing_line_break() {
    for name in ["openssl-default.p12", "keytool-import.jks"] {
        assert!(matches!(
            open_fixture(name, None, None),
            Err(KeyError::KeystoreNeedsPassword { .. })
        ));
        assert!(matches!(
            open_fixture(name, Some(b"wrong"), None),
            Err(KeyError::KeystoreWrongPassword { .. })
        ));
        let key = open_fixture(name, Some(b"changeit-sfjwt\n"), None).unwrap();
        assert_eq!(
            key.repairs,
            ["a line break at the end of the passphrase was ignored"]
        );
    }
}

#[test]
fn several_entries_need_an_alias_and_an_unknown_one_lists_them() {
    let err = open_fixture("two-keys.p12", Some(PASS), None).unwrap_err();
    assert!(
        matches!(&err, KeyError::KeystoreAliasNeeded { aliases, .. } if aliases == &["sfjwt", "other"])
    );
    let key = open_fixture("two-keys.p12", Some(PASS), Some("sfjwt")).unwrap();
    assert!(key.fingerprint().starts_with("sha256:fe0c69733482"));
    let other = open_fixture("two-keys.p12", Some(PASS), Some("OTHER")).unwrap();
    assert_eq!(other.keystore.unwrap().alias, "other");
    let err = open_fixture("two-keys.p12", Some(PASS), Some("nope")).unwrap_err();
    assert_eq!(
        err.message(),
        "the private key is a PKCS#12 keystore without a private key entry named nope; its private key entries: sfjwt, other"
    );
}

#[test]
fn trusted_certificates_only_an_ec_key_and_a_key_password_of_its_own() {
    assert!(matches!(
        open_fixture("trusted-only.p12", Some(PASS), None),
        Err(KeyError::KeystoreNoPrivateKey {
            certificates: 1,
            ..
        })
    ));
    assert!(matches!(
        open_fixture("ec-key.p12", Some(PASS), None),
        Err(KeyError::EcKey { .. })
    ));
    assert!(matches!(
        open_fixture("key-password.jks", Some(PASS), None),
        Err(KeyError::KeystoreKeyPassword { alias, .. }) if alias == "own"
    ));
}

#[test]
fn the_jks_key_protector_checks_its_password() {
    // salt (20) || nothing || check (20): the check is SHA-1(password || empty plain key).
    let password = jks::recover(&[0u8; 40], PASS);
    assert!(password.is_none());
    assert!(jks::recover(&[0u8; 39], PASS).is_none(), "too short");
}

#[test]
fn damaged_and_hostile_keystores_are_findings_not_panics() {
    for name in ["keytool-import.jks", "openssl-default.p12", "two-keys.p12"] {
        let bytes = fixture(name);
        // Every truncation, and every byte flipped in the first 200.
        for len in (0..bytes.len()).step_by(5) {
            let _ = decode_private_key_in(&bytes[..len], Some(PASS), None);
        }
        for i in 0..bytes.len().min(200) {
            let mut copy = bytes.clone();
            copy[i] ^= 0xFF;
            let _ = decode_private_key_in(&copy, Some(PASS), None);
        }
    }
    // A JKS that announces more entries than sfjwt reads, and one that is cut short.
    let mut huge = vec![0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF];
    huge.extend([0u8; 20]);
    let err = decode_private_key_in(&huge, Some(PASS), None).unwrap_err();
    assert!(
        err.message().contains("more than the 256 sfjwt reads"),
        "{err}"
    );
    let jks = fixture("keytool-import.jks");
    let err = decode_private_key_in(&jks[..jks.len() - 30], Some(PASS), None).unwrap_err();
    assert!(matches!(err, KeyError::KeystoreDamaged { .. }), "{err}");
}

#[test]
fn the_jks_integrity_check_covers_every_byte() {
    let mut jks = fixture("keytool-import.jks");
    let last = jks.len() - 25;
    jks[last] ^= 1;
    // A changed certificate byte: the store's digest no longer matches.
    assert!(matches!(
        decode_private_key_in(&jks, Some(PASS), None),
        Err(KeyError::KeystoreWrongPassword { .. })
    ));
}
