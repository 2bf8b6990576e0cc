use super::*;

const VALID_KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");
const VALID_CERT: &[u8] = include_bytes!("../../../fixtures/valid/server.crt");
const PASS: &[u8] = b"sfjwt-fixture-passphrase";

fn fixture_key(name: &str) -> &'static [u8] {
    match name {
        "valid" => VALID_KEY,
        "pkcs1-key" => include_bytes!("../../../fixtures/pkcs1-key/server.key"),
        "der" => include_bytes!("../../../fixtures/der/server.key"),
        "encrypted-key" => include_bytes!("../../../fixtures/encrypted-key/server.key"),
        "legacy-encrypted-key" => {
            include_bytes!("../../../fixtures/legacy-encrypted-key/server.key")
        }
        "key-mismatch" => include_bytes!("../../../fixtures/key-mismatch/server.key"),
        "weak-key" => include_bytes!("../../../fixtures/weak-key/server.key"),
        "ec-key" => include_bytes!("../../../fixtures/ec-key/server.key"),
        "key-is-cert" => include_bytes!("../../../fixtures/key-is-cert/server.key"),
        "key-is-csr" => include_bytes!("../../../fixtures/key-is-csr/server.key"),
        "key-is-public-key" => include_bytes!("../../../fixtures/key-is-public-key/server.key"),
        "truncated-key" => include_bytes!("../../../fixtures/truncated-key/server.key"),
        "empty-key" => include_bytes!("../../../fixtures/empty-key/server.key"),
        "key-literal-newlines" => {
            include_bytes!("../../../fixtures/key-literal-newlines/server.key")
        }
        "key-crlf" => include_bytes!("../../../fixtures/key-crlf/server.key"),
        "key-bom" => include_bytes!("../../../fixtures/key-bom/server.key"),
        "key-one-line" => include_bytes!("../../../fixtures/key-one-line/server.key"),
        "cert-chain" => include_bytes!("../../../fixtures/cert-chain/server.key"),
        other => panic!("no fixture {other}"),
    }
}

fn decode(name: &str) -> Result<PrivateKey, KeyError> {
    decode_private_key(fixture_key(name), None)
}

fn valid() -> PrivateKey {
    decode("valid").expect("the valid fixture decodes")
}

/// The DER inside the first PEM block of `pem`.
fn pem_der(pem: &[u8]) -> Vec<u8> {
    let text = pem_text::decode_text(pem).unwrap().text.clone();
    pem_text::blocks(&text)[0].body.clone().unwrap()
}

fn pem(label: &str, der: &[u8]) -> String {
    let mut b64 = String::new();
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in der.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let lines: Vec<String> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

#[test]
fn the_valid_key_decodes_as_pkcs8_pem_with_2048_bits() {
    let k = valid();
    assert_eq!(k.format, KeyFormat::Pkcs8Pem);
    assert_eq!(k.bits, 2048);
    assert!(k.repairs.is_empty());
    assert!(k.notes.is_empty());
    assert!(k.fingerprint().starts_with("sha256:"));
    assert_eq!(k.fingerprint().len(), "sha256:".len() + 12);
}

#[test]
fn the_spki_is_byte_equal_to_the_certificates() {
    // The certificate's SubjectPublicKeyInfo is the 7th element of the TBSCertificate (v3).
    let cert = pem_der(VALID_CERT);
    let (outer, _) = der::read(&cert).unwrap();
    let kids = der::children(outer.value).unwrap();
    let tbs = der::children(kids[0].value).unwrap();
    let spki = tbs
        .iter()
        .find(|t| matches!(der::shape(t.raw), Ok(der::Shape::Spki { .. })))
        .unwrap();
    assert_eq!(valid().spki_der, spki.raw);
}

#[test]
fn pkcs1_and_der_and_encrypted_keys_are_the_same_key() {
    let fp = valid().fingerprint();
    let k = decode("pkcs1-key").unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::Pkcs1Pem, fp.clone())
    );
    let k = decode("der").unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::Pkcs8Der, fp.clone())
    );
    let k = decode_private_key(fixture_key("encrypted-key"), Some(PASS)).unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::EncryptedPkcs8Pem, fp.clone())
    );
    assert!(k.repairs.is_empty());
    // PKCS#1 DER, made from the PKCS#1 PEM.
    let der = pem_der(fixture_key("pkcs1-key"));
    let k = decode_private_key(&der, None).unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::Pkcs1Der, fp.clone())
    );
    // Encrypted PKCS#8 DER.
    let der = pem_der(fixture_key("encrypted-key"));
    let k = decode_private_key(&der, Some(PASS)).unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::EncryptedPkcs8Der, fp)
    );
}

#[test]
fn an_encrypted_key_needs_the_right_passphrase() {
    let bytes = fixture_key("encrypted-key");
    assert_eq!(
        decode_private_key(bytes, None).unwrap_err(),
        KeyError::NeedsPassphrase { openssl_enc: false }
    );
    assert_eq!(
        decode_private_key(bytes, Some(b"not-it")).unwrap_err(),
        KeyError::WrongPassphrase
    );
    assert_eq!(
        decode_private_key(bytes, Some(b"")).unwrap_err(),
        KeyError::WrongPassphrase
    );
    let k = decode_private_key(bytes, Some(b"sfjwt-fixture-passphrase\r\n")).unwrap();
    assert_eq!(
        k.repairs,
        vec!["a line break at the end of the passphrase was ignored"]
    );
}

#[test]
fn a_legacy_encrypted_pem_decrypts_with_its_passphrase() {
    let bytes = fixture_key("legacy-encrypted-key");
    let k = decode_private_key(bytes, Some(PASS)).unwrap();
    assert_eq!(
        (k.format, k.fingerprint()),
        (KeyFormat::LegacyEncryptedPem, valid().fingerprint())
    );
    assert!(k.format.is_encrypted() && k.format.is_pem());
    assert_eq!(k.format.code(), "legacy-encrypted-pem");
    assert_eq!(
        decode_private_key(bytes, None).unwrap_err(),
        KeyError::NeedsPassphrase { openssl_enc: false }
    );
    assert_eq!(
        decode_private_key(bytes, Some(b"not-it")).unwrap_err(),
        KeyError::WrongPassphrase
    );
    let k = decode_private_key(bytes, Some(b"sfjwt-fixture-passphrase\n")).unwrap();
    assert_eq!(
        k.repairs,
        vec!["a line break at the end of the passphrase was ignored"]
    );
}

#[test]
fn a_legacy_cipher_sfjwt_does_not_decrypt_is_named() {
    let text = std::str::from_utf8(fixture_key("legacy-encrypted-key")).unwrap();
    let named = |dek_info: &str| {
        let line = text.lines().find(|l| l.starts_with("DEK-Info:")).unwrap();
        text.replace(line, dek_info)
    };
    let camellia = named("DEK-Info: CAMELLIA-256-CBC,FA8E9140463981FC40460C8075522AB5");
    for pass in [None, Some(PASS)] {
        let e = decode_private_key(camellia.as_bytes(), pass).unwrap_err();
        assert_eq!(
            e,
            KeyError::LegacyEncrypted {
                cipher: "CAMELLIA-256-CBC".into()
            }
        );
        assert!(e.fix().contains("openssl pkcs8 -topk8"));
        assert_eq!(e.code(), "legacy-encrypted");
    }
    // The IV is the salt too: a wrong one is refused before any derivation.
    for (dek_info, problem) in [
        (
            "DEK-Info: AES-256-CBC,FA8E",
            "its DEK-Info IV is 2 bytes, and AES-256-CBC takes 16",
        ),
        (
            "DEK-Info: AES-256-CBC,XYZ",
            "its DEK-Info IV is not hexadecimal",
        ),
        (
            "DEK-Info: AES-256-CBC",
            "its DEK-Info header names AES-256-CBC but gives no IV",
        ),
    ] {
        let e = decode_private_key(named(dek_info).as_bytes(), Some(PASS)).unwrap_err();
        let KeyError::BadEncryptionParameters { problem: got } = &e else {
            panic!("{dek_info}: {e:?}");
        };
        assert!(got.starts_with(problem), "{dek_info}: {got}");
    }
}

#[test]
fn mangled_text_is_repaired_and_reported() {
    let fp = valid().fingerprint();
    for (name, repair) in [
        ("key-literal-newlines", pem_text::REPAIR_LITERAL_NEWLINES),
        ("key-crlf", pem_text::REPAIR_CRLF),
        ("key-bom", pem_text::REPAIR_BOM),
        ("key-one-line", pem_text::REPAIR_ONE_LINE),
    ] {
        let k = decode(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(k.fingerprint(), fp, "{name}");
        assert_eq!(k.repairs, vec![repair.to_string()], "{name}");
    }
}

#[test]
fn quoted_env_style_key_is_repaired() {
    let text = std::str::from_utf8(VALID_KEY).unwrap();
    let env = format!("\"{}\"", text.trim_end().replace('\n', "\\n"));
    let k = decode_private_key(env.as_bytes(), None).unwrap();
    assert_eq!(
        k.repairs,
        vec![pem_text::REPAIR_QUOTES, pem_text::REPAIR_LITERAL_NEWLINES]
    );
}

#[test]
fn bare_base64_is_decoded() {
    let text = std::str::from_utf8(VALID_KEY).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let k = decode_private_key(body.as_bytes(), None).unwrap();
    assert_eq!(k.fingerprint(), valid().fingerprint());
    assert_eq!(k.repairs, vec![pem_text::REPAIR_BARE_BASE64]);
}

#[test]
fn the_base64_of_a_key_file_is_decoded() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(VALID_KEY);
    let k = decode_private_key(b64.as_bytes(), None).unwrap();
    assert_eq!(k.fingerprint(), valid().fingerprint());
    assert_eq!(k.repairs, vec![pem_text::REPAIR_BASE64_PEM]);

    let encrypted = include_bytes!("../../../fixtures/encrypted-key/server.key");
    let b64 = base64::engine::general_purpose::STANDARD.encode(encrypted);
    let k = decode_private_key(b64.as_bytes(), Some(b"sfjwt-fixture-passphrase")).unwrap();
    assert_eq!(k.fingerprint(), valid().fingerprint());
    assert_eq!(
        decode_private_key(b64.as_bytes(), None).unwrap_err(),
        KeyError::NeedsPassphrase { openssl_enc: false }
    );
}

#[test]
fn the_wrong_things_are_named() {
    assert_eq!(decode("key-is-cert").unwrap_err(), KeyError::IsCertificate);
    assert_eq!(decode("key-is-csr").unwrap_err(), KeyError::IsCsr);
    assert!(matches!(
        decode("key-is-public-key").unwrap_err(),
        KeyError::IsPublicKey { .. }
    ));
    assert_eq!(
        decode("ec-key").unwrap_err(),
        KeyError::EcKey {
            curve: Some("P-256".into())
        }
    );
    assert_eq!(decode("truncated-key").unwrap_err(), KeyError::Truncated);
    assert_eq!(decode("empty-key").unwrap_err(), KeyError::Empty);
    assert_eq!(
        decode_private_key(b"  \n\t\r\n", None).unwrap_err(),
        KeyError::WhitespaceOnly
    );
    assert_eq!(
        decode_private_key(b"/home/me/server.key", None).unwrap_err(),
        KeyError::NotPem
    );
    assert_eq!(
        decode_private_key(&[0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0xff], None).unwrap_err(),
        KeyError::Unrecognised
    );
    // DER forms of the wrong things.
    assert_eq!(
        decode_private_key(&pem_der(VALID_CERT), None).unwrap_err(),
        KeyError::IsCertificate
    );
    assert_eq!(
        decode_private_key(&pem_der(fixture_key("key-is-csr")), None).unwrap_err(),
        KeyError::IsCsr
    );
    assert!(matches!(
        decode_private_key(&pem_der(fixture_key("key-is-public-key")), None).unwrap_err(),
        KeyError::IsPublicKey { .. }
    ));
    assert!(matches!(
        decode_private_key(&pem_der(fixture_key("ec-key")), None).unwrap_err(),
        KeyError::EcKey { .. }
    ));
}

#[test]
fn pkcs1_public_keys_sec1_ec_keys_and_other_labels_are_named() {
    use rsa::pkcs1::EncodeRsaPublicKey;
    let public = valid()
        .rsa()
        .unwrap()
        .to_public_key()
        .to_pkcs1_der()
        .unwrap();
    let text = pem("RSA PUBLIC KEY", public.as_bytes());
    assert!(matches!(
        decode_private_key(text.as_bytes(), None).unwrap_err(),
        KeyError::IsPublicKey { form } if form.contains("RSA PUBLIC KEY")
    ));
    assert!(matches!(
        decode_private_key(public.as_bytes(), None).unwrap_err(),
        KeyError::IsPublicKey { form } if form.contains("PKCS#1")
    ));

    // SEC 1: SEQUENCE { INTEGER 1, OCTET STRING (32), [0] OID P-256 }
    let mut sec1 = vec![0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20];
    sec1.extend_from_slice(&[7u8; 32]);
    sec1.extend_from_slice(&[
        0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07,
    ]);
    let text = pem("EC PRIVATE KEY", &sec1);
    assert_eq!(
        decode_private_key(text.as_bytes(), None).unwrap_err(),
        KeyError::EcKey {
            curve: Some("P-256".into())
        }
    );
    let legacy_ec = "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQUJD\n-----END EC PRIVATE KEY-----\n";
    assert!(matches!(
        decode_private_key(legacy_ec.as_bytes(), None).unwrap_err(),
        KeyError::EcKey { .. }
    ));

    let ed25519 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n-----END PRIVATE KEY-----\n";
    assert_eq!(
        decode_private_key(ed25519.as_bytes(), None).unwrap_err(),
        KeyError::OtherKeyType {
            algorithm: "Ed25519".into()
        }
    );
    let dsa = "-----BEGIN DSA PRIVATE KEY-----\nQUJD\n-----END DSA PRIVATE KEY-----\n";
    assert_eq!(
        decode_private_key(dsa.as_bytes(), None).unwrap_err(),
        KeyError::OtherKeyType {
            algorithm: "DSA".into()
        }
    );
    let pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nQUJD\n-----END PGP PRIVATE KEY BLOCK-----\n";
    assert_eq!(
        decode_private_key(pgp.as_bytes(), None).unwrap_err(),
        KeyError::OtherPem {
            label: "PGP PRIVATE KEY BLOCK".into()
        }
    );
}

#[test]
fn ssh_and_putty_keys_are_named() {
    // openssh-key-v1\0, "none", "none", "", 1 key, public key blob { "ssh-ed25519", ... }
    let mut body = b"openssh-key-v1\0".to_vec();
    for s in [&b"none"[..], b"none", b""] {
        body.extend_from_slice(&(s.len() as u32).to_be_bytes());
        body.extend_from_slice(s);
    }
    body.extend_from_slice(&1u32.to_be_bytes());
    let mut blob = Vec::new();
    blob.extend_from_slice(&11u32.to_be_bytes());
    blob.extend_from_slice(b"ssh-ed25519");
    body.extend_from_slice(&(blob.len() as u32).to_be_bytes());
    body.extend_from_slice(&blob);
    let text = pem("OPENSSH PRIVATE KEY", &body);
    let e = decode_private_key(text.as_bytes(), None).unwrap_err();
    assert_eq!(
        e,
        KeyError::SshKey {
            key_type: Some("ssh-ed25519".into())
        }
    );
    assert_eq!(e.code(), "openssh-key");
    assert!(!e.fix().contains("ssh-keygen -p"));
    let e = KeyError::SshKey {
        key_type: Some("ssh-rsa".into()),
    };
    assert!(e.fix().contains("ssh-keygen -p -m PEM"));

    assert_eq!(
        decode_private_key(b"PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n", None)
            .unwrap_err(),
        KeyError::PuttyKey
    );
    assert!(matches!(
        decode_private_key(b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ me@host\n", None).unwrap_err(),
        KeyError::IsPublicKey { .. }
    ));
}

#[test]
fn base64_damage_and_der_truncation_are_told_apart() {
    let text = std::str::from_utf8(VALID_KEY).unwrap();
    // A character that is not base64 in the body.
    let damaged = text.replacen("MII", "MI*", 1);
    assert_eq!(
        decode_private_key(damaged.as_bytes(), None).unwrap_err(),
        KeyError::BadBase64
    );
    // BEGIN and END intact, but lines lost in between: the DER is shorter than announced.
    let lines: Vec<&str> = text.lines().collect();
    let mut short = lines[..10].to_vec();
    short.push(lines[lines.len() - 1]);
    let short = short.join("\n");
    assert_eq!(
        decode_private_key(short.as_bytes(), None).unwrap_err(),
        KeyError::Truncated
    );
    // A DER key cut short.
    let der = pem_der(VALID_KEY);
    assert_eq!(
        decode_private_key(&der[..der.len() / 2], None).unwrap_err(),
        KeyError::Truncated
    );
}

#[test]
fn a_key_with_its_certificate_in_one_file_decodes_with_a_note() {
    let mut both = VALID_CERT.to_vec();
    both.extend_from_slice(VALID_KEY);
    let k = decode_private_key(&both, None).unwrap();
    assert_eq!(k.fingerprint(), valid().fingerprint());
    assert_eq!(
        k.notes,
        vec!["the file also holds 1 certificate, which was ignored"]
    );
}

#[test]
fn ring_and_the_rsa_crate_sign_the_same_bytes() {
    // PKCS#1 v1.5 is deterministic: the fast signer and the fallback must agree.
    let message = b"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOWtleSJ9";
    for name in ["valid", "pkcs1-key", "der", "key-mismatch", "encrypted-key"] {
        let k = match name {
            "encrypted-key" => {
                decode_private_key(fixture_key(name), Some(b"sfjwt-fixture-passphrase")).unwrap()
            }
            _ => decode(name).unwrap(),
        };
        assert!(
            k.key.get().is_none(),
            "{name}: ring took the key, so the rsa crate's form is not made until asked for"
        );
        let fast = k.sign_rs256(message).unwrap();
        assert!(
            matches!(k.fast.get(), Some(Some(_))),
            "{name}: ring takes a 2048-bit key"
        );
        assert_eq!(fast.len(), 256);
        assert_eq!(fast, k.sign_rs256_with_rsa(message).unwrap(), "{name}");
    }
}

#[test]
fn a_key_ring_refuses_signs_with_the_rsa_crate() {
    use rsa::sha2::{Digest, Sha256};
    let message = b"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOWtleSJ9";
    let weak = decode("weak-key").unwrap();
    let signature = weak.sign_rs256(message).unwrap();
    assert!(
        matches!(weak.fast.get(), Some(None)),
        "ring refuses 1024 bits"
    );
    assert_eq!(signature.len(), 128);
    weak.rsa()
        .unwrap()
        .to_public_key()
        .verify(
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(message),
            &signature,
        )
        .unwrap();
}

#[test]
fn debug_never_shows_the_key() {
    let k = valid();
    let _ = k.sign_rs256(b"x").unwrap();
    let shown = format!("{k:?}");
    assert!(shown.contains("pkcs1_der: <redacted>"), "{shown}");
    let der = pem_der(fixture_key("valid"));
    let private = &der[der.len() - 40..der.len() - 24];
    let hex: String = private.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!shown.to_lowercase().contains(&hex), "{shown}");
}

#[test]
fn weak_and_other_keys_decode_with_their_sizes() {
    assert_eq!(decode("weak-key").unwrap().bits, 1024);
    assert_eq!(decode("key-mismatch").unwrap().bits, 2048);
    assert_ne!(
        decode("key-mismatch").unwrap().fingerprint(),
        valid().fingerprint()
    );
    assert_eq!(decode("cert-chain").unwrap().bits, 2048);
}

#[test]
fn unsupported_encryption_is_named() {
    // EncryptedPrivateKeyInfo with PKCS#12 pbeWithSHAAnd40BitRC2-CBC (`openssl pkcs8 -topk8 -v1
    // PBE-SHA1-RC2-40`, legacy provider): SEQUENCE { SEQUENCE { OID, SEQUENCE { salt, iter } },
    // OCTET STRING }
    let der: Vec<u8> = vec![
        0x30, 0x2C, 0x30, 0x1C, 0x06, 0x0A, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01,
        0x06, 0x30, 0x0E, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0x02, 0x08, 0x00, 0x04, 0x0C,
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    ];
    let text = pem("ENCRYPTED PRIVATE KEY", &der);
    let e = decode_private_key(text.as_bytes(), Some(PASS)).unwrap_err();
    assert_eq!(
        e,
        KeyError::UnsupportedEncryption {
            scheme: "PKCS#12 pbeWithSHAAnd40BitRC2-CBC".into(),
            legacy_provider: true,
        }
    );
    assert!(e.message().contains("legacy provider"), "{}", e.message());
    assert!(
        e.fix().contains("`openssl pkcs8 -topk8 -provider legacy -provider default -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new`"),
        "{}",
        e.fix()
    );
    // The same, with no passphrase: no prompt is asked for what cannot be decrypted.
    assert_eq!(
        decode_private_key(text.as_bytes(), None)
            .unwrap_err()
            .code(),
        "unsupported-encryption"
    );
}

#[test]
fn every_error_has_words_a_fix_and_a_code() {
    let all = [
        KeyError::Empty,
        KeyError::WhitespaceOnly,
        KeyError::NotPem,
        KeyError::Unrecognised,
        KeyError::Truncated,
        KeyError::BadBase64,
        KeyError::Malformed { what: "x".into() },
        KeyError::InvalidRsa,
        KeyError::TooLarge { bits: 20000 },
        KeyError::NeedsPassphrase { openssl_enc: false },
        KeyError::WrongPassphrase,
        KeyError::UnsupportedEncryption {
            scheme: "x".into(),
            legacy_provider: false,
        },
        KeyError::BadEncryptionParameters {
            problem: "x".into(),
        },
        KeyError::LegacyEncrypted { cipher: "x".into() },
        KeyError::IsCertificate,
        KeyError::IsCsr,
        KeyError::IsPublicKey { form: "x".into() },
        KeyError::EcKey { curve: None },
        KeyError::OtherKeyType {
            algorithm: "x".into(),
        },
        KeyError::SshKey { key_type: None },
        KeyError::PuttyKey,
        KeyError::Pkcs12,
        KeyError::OtherPem { label: "x".into() },
    ];
    let mut codes = std::collections::HashSet::new();
    for e in &all {
        assert!(e.message().len() > 20, "{e:?}");
        assert!(e.fix().len() > 20, "{e:?}");
        assert!(
            !e.message().contains('\n') && !e.fix().contains('\n'),
            "{e:?}"
        );
        assert!(codes.insert(e.code()), "duplicate code {}", e.code());
        assert!(
            e.code()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
        );
    }
}

#[test]
fn robustness_truncations_and_flips_never_panic() {
    let encrypted = fixture_key("encrypted-key");
    let der = pem_der(VALID_KEY);
    for input in [VALID_KEY, fixture_key("pkcs1-key"), encrypted, &der[..]] {
        for cut in (0..input.len()).step_by(37) {
            let _ = decode_private_key(&input[..cut], None);
        }
        // Byte flips at pseudo-random places.
        let mut state: u32 = 0x1234_5678;
        for _ in 0..300 {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let mut v = input.to_vec();
            let at = (state as usize) % v.len();
            v[at] ^= (state >> 24) as u8 | 1;
            let _ = decode_private_key(&v, None);
        }
    }
    // The encrypted key with a passphrase: fewer rounds, decryption is slow in debug builds.
    let mut state: u32 = 42;
    for _ in 0..12 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let mut v = encrypted.to_vec();
        let at = (state as usize) % v.len();
        v[at] ^= 0x04;
        let _ = decode_private_key(&v, Some(PASS));
    }
    // A key with a huge announced modulus is refused before any arithmetic.
    let _ = decode_private_key(&vec![0x30; 5000], None);
    let _ = decode_private_key(&vec![b'-'; 5000], None);
}

/// The evidence codes are derived from the variant names: pinned here.
#[test]
fn format_codes() {
    let codes = [
        KeyFormat::Pkcs1Pem,
        KeyFormat::Pkcs8Pem,
        KeyFormat::EncryptedPkcs8Pem,
        KeyFormat::Pkcs1Der,
        KeyFormat::Pkcs8Der,
        KeyFormat::EncryptedPkcs8Der,
    ]
    .map(KeyFormat::code);
    assert_eq!(
        codes,
        [
            "pkcs1-pem",
            "pkcs8-pem",
            "encrypted-pkcs8-pem",
            "pkcs1-der",
            "pkcs8-der",
            "encrypted-pkcs8-der"
        ]
    );
}

/// The codes are derived from the variant names (some renamed): pinned here, every variant.
#[test]
fn error_codes() {
    let codes = [
        (KeyError::Empty, "empty"),
        (KeyError::WhitespaceOnly, "whitespace-only"),
        (KeyError::NotPem, "not-pem"),
        (KeyError::Unrecognised, "unrecognised"),
        (KeyError::Truncated, "truncated"),
        (KeyError::BadBase64, "bad-base64"),
        (
            KeyError::Malformed {
                what: String::new(),
            },
            "malformed",
        ),
        (KeyError::InvalidRsa, "invalid-rsa"),
        (KeyError::TooLarge { bits: 0 }, "too-large"),
        (
            KeyError::NeedsPassphrase { openssl_enc: false },
            "needs-passphrase",
        ),
        (KeyError::WrongPassphrase, "wrong-passphrase"),
        (
            KeyError::UnsupportedEncryption {
                scheme: String::new(),
                legacy_provider: false,
            },
            "unsupported-encryption",
        ),
        (
            KeyError::BadEncryptionParameters {
                problem: String::new(),
            },
            "bad-encryption-parameters",
        ),
        (
            KeyError::LegacyEncrypted {
                cipher: String::new(),
            },
            "legacy-encrypted",
        ),
        (KeyError::IsCertificate, "is-certificate"),
        (KeyError::IsCsr, "is-csr"),
        (
            KeyError::IsPublicKey {
                form: String::new(),
            },
            "is-public-key",
        ),
        (KeyError::EcKey { curve: None }, "ec-key"),
        (
            KeyError::OtherKeyType {
                algorithm: String::new(),
            },
            "other-key-type",
        ),
        (KeyError::SshKey { key_type: None }, "openssh-key"),
        (KeyError::PuttyKey, "putty-key"),
        (KeyError::Pkcs12, "pkcs12"),
        (
            KeyError::OtherPem {
                label: String::new(),
            },
            "unexpected-pem",
        ),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code, "{error:?}");
    }
}

#[test]
fn the_public_key_from_ring_is_the_rsa_crates_byte_for_byte() {
    use rsa::pkcs8::EncodePublicKey;
    for name in ["valid", "pkcs1-key", "der", "key-mismatch"] {
        let k = decode(name).unwrap();
        let theirs = k
            .rsa()
            .unwrap()
            .as_public_key()
            .to_public_key_der()
            .unwrap();
        assert_eq!(k.spki_der, theirs.as_bytes(), "{name}");
    }
}
