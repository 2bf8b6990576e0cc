use super::*;

const VALID_CERT: &[u8] = include_bytes!("../../../fixtures/valid/server.crt");
const VALID_KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");

fn fixture_cert(name: &str) -> &'static [u8] {
    match name {
        "valid" => VALID_CERT,
        "der" => include_bytes!("../../../fixtures/der/server.crt"),
        "expired-cert" => include_bytes!("../../../fixtures/expired-cert/server.crt"),
        "expiring-soon" => include_bytes!("../../../fixtures/expiring-soon/server.crt"),
        "not-yet-valid" => include_bytes!("../../../fixtures/not-yet-valid/server.crt"),
        "sha1-cert" => include_bytes!("../../../fixtures/sha1-cert/server.crt"),
        "weak-key" => include_bytes!("../../../fixtures/weak-key/server.crt"),
        "ec-key" => include_bytes!("../../../fixtures/ec-key/server.crt"),
        "cert-chain" => include_bytes!("../../../fixtures/cert-chain/server.crt"),
        "cert-is-key" => include_bytes!("../../../fixtures/cert-is-key/server.crt"),
        "cert-is-csr" => include_bytes!("../../../fixtures/cert-is-csr/server.crt"),
        "encrypted-key-as-cert" => include_bytes!("../../../fixtures/encrypted-key/server.key"),
        "public-key-as-cert" => include_bytes!("../../../fixtures/key-is-public-key/server.key"),
        other => panic!("no fixture {other}"),
    }
}

fn decode(name: &str) -> Result<CertificateFile, CertError> {
    decode_certificates(fixture_cert(name))
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    let text = pem_text::decode_text(pem).unwrap().text.clone();
    pem_text::blocks(&text)[0].body.clone().unwrap()
}

#[test]
fn the_valid_certificate_reads_with_its_details() {
    let f = decode("valid").unwrap();
    assert_eq!(f.format, CertFormat::Pem);
    assert!(f.others.is_empty() && f.repairs.is_empty() && !f.contains_private_key);
    let c = &f.first;
    assert_eq!(
        c.subject,
        "C=US, ST=California, L=San Francisco, O=Acme, OU=Integration, CN=sfjwt-valid"
    );
    assert_eq!(c.issuer, c.subject);
    assert!(c.self_signed);
    assert_eq!(c.public_key, CertPublicKey::Rsa { bits: 2048 });
    assert_eq!(
        c.signature_algorithm,
        SignatureAlgorithm {
            name: "sha256WithRSAEncryption".into(),
            oid: "1.2.840.113549.1.1.11".into(),
            strength: HashStrength::Strong
        }
    );
    assert_eq!(
        c.not_before,
        time::macros::datetime!(2025-01-01 00:00:00 UTC)
    );
    assert_eq!(
        c.not_after,
        time::macros::datetime!(2125-01-01 00:00:00 UTC)
    );
    assert!(!c.serial.is_empty() && c.serial.chars().all(|ch| ch.is_ascii_hexdigit()));
    assert_eq!(c.serial, c.serial.to_lowercase());
    let key = crate::bundle::key::decode_private_key(VALID_KEY, None).unwrap();
    assert_eq!(c.spki_der, key.spki_der);
    assert_eq!(c.fingerprint(), key.fingerprint());
}

#[test]
fn der_is_the_same_certificate() {
    let f = decode("der").unwrap();
    assert_eq!(f.format, CertFormat::Der);
    assert_eq!(f.first.der, pem_der(VALID_CERT));
}

#[test]
fn dates_algorithms_and_key_kinds_are_read() {
    let c = decode("expired-cert").unwrap().first;
    assert_eq!(
        c.not_after,
        time::macros::datetime!(2021-01-01 00:00:00 UTC)
    );
    let c = decode("expiring-soon").unwrap().first;
    assert_eq!(
        c.not_after,
        time::macros::datetime!(2026-12-10 00:00:00 UTC)
    );
    let c = decode("not-yet-valid").unwrap().first;
    assert_eq!(
        c.not_before,
        time::macros::datetime!(2099-01-01 00:00:00 UTC)
    );
    let c = decode("sha1-cert").unwrap().first;
    assert_eq!(c.signature_algorithm.name, "sha1WithRSAEncryption");
    assert_eq!(c.signature_algorithm.strength, HashStrength::Weak);
    let c = decode("weak-key").unwrap().first;
    assert_eq!(c.public_key, CertPublicKey::Rsa { bits: 1024 });
    let c = decode("ec-key").unwrap().first;
    assert_eq!(
        c.public_key,
        CertPublicKey::Ec {
            curve: "P-256".into()
        }
    );
    assert_eq!(c.signature_algorithm.name, "ecdsa-with-SHA256");
    assert_eq!(c.signature_algorithm.strength, HashStrength::Strong);
}

#[test]
fn a_chain_uses_the_first_and_lists_the_others() {
    let f = decode("cert-chain").unwrap();
    assert!(f.first.subject.ends_with("CN=sfjwt-chain-leaf"));
    assert_eq!(f.first.issuer, "O=Acme, CN=Acme Test CA");
    assert!(!f.first.self_signed);
    assert_eq!(f.others, vec!["O=Acme, CN=Acme Test CA"]);
    // Concatenated DER too.
    let text = std::str::from_utf8(fixture_cert("cert-chain")).unwrap();
    let blocks = pem_text::blocks(text);
    let mut der = blocks[0].body.clone().unwrap();
    der.extend(blocks[1].body.clone().unwrap());
    let f = decode_certificates(&der).unwrap();
    assert_eq!(f.others, vec!["O=Acme, CN=Acme Test CA"]);
}

#[test]
fn the_wrong_things_are_named() {
    assert_eq!(
        decode("cert-is-key").unwrap_err(),
        CertError::IsPrivateKey { encrypted: false }
    );
    assert_eq!(
        decode("encrypted-key-as-cert").unwrap_err(),
        CertError::IsPrivateKey { encrypted: true }
    );
    assert_eq!(decode("cert-is-csr").unwrap_err(), CertError::IsCsr);
    assert_eq!(
        decode("public-key-as-cert").unwrap_err(),
        CertError::IsPublicKey
    );
    assert_eq!(decode_certificates(b"").unwrap_err(), CertError::Empty);
    assert_eq!(
        decode_certificates(b" \n ").unwrap_err(),
        CertError::WhitespaceOnly
    );
    assert_eq!(
        decode_certificates(b"see the attachment").unwrap_err(),
        CertError::NotPem
    );
    assert_eq!(
        decode_certificates(&[0x00, 0xff, 0x13, 0x37]).unwrap_err(),
        CertError::Unrecognised
    );
    // DER forms.
    assert_eq!(
        decode_certificates(&pem_der(fixture_cert("cert-is-key"))).unwrap_err(),
        CertError::IsPrivateKey { encrypted: false }
    );
    assert_eq!(
        decode_certificates(&pem_der(fixture_cert("cert-is-csr"))).unwrap_err(),
        CertError::IsCsr
    );
    let e = decode("cert-is-csr").unwrap_err();
    assert!(e.fix().contains(CMD_CERT));
    let e = decode("cert-is-key").unwrap_err();
    assert!(e.message().contains("private key"));
}

#[test]
fn truncation_and_damage_are_told_apart() {
    let text = std::str::from_utf8(VALID_CERT).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let no_end = lines[..8].join("\n");
    assert_eq!(
        decode_certificates(no_end.as_bytes()).unwrap_err(),
        CertError::Truncated
    );
    let mut short = lines[..8].to_vec();
    short.push(lines[lines.len() - 1]);
    assert_eq!(
        decode_certificates(short.join("\n").as_bytes()).unwrap_err(),
        CertError::Truncated
    );
    let damaged = text.replacen("MII", "M!I", 1);
    assert_eq!(
        decode_certificates(damaged.as_bytes()).unwrap_err(),
        CertError::BadBase64
    );
    let der = pem_der(VALID_CERT);
    assert_eq!(
        decode_certificates(&der[..der.len() - 10]).unwrap_err(),
        CertError::Truncated
    );
}

#[test]
fn mangled_text_is_repaired() {
    let text = std::str::from_utf8(VALID_CERT).unwrap();
    let f = decode_certificates(text.replace('\n', "\\n").as_bytes()).unwrap();
    assert_eq!(f.repairs, vec![pem_text::REPAIR_LITERAL_NEWLINES]);
    let f = decode_certificates(text.replace('\n', " ").as_bytes()).unwrap();
    assert_eq!(f.repairs, vec![pem_text::REPAIR_ONE_LINE]);
}

#[test]
fn a_private_key_next_to_the_certificate_is_flagged() {
    let mut both = VALID_CERT.to_vec();
    both.extend_from_slice(VALID_KEY);
    let f = decode_certificates(&both).unwrap();
    assert!(f.contains_private_key);
}

#[test]
fn signature_algorithms_are_judged() {
    use HashStrength::*;
    for (oid, strength) in [
        ("1.2.840.113549.1.1.11", Strong),
        ("1.2.840.113549.1.1.12", Strong),
        ("1.2.840.113549.1.1.13", Strong),
        ("1.2.840.113549.1.1.5", Weak),
        ("1.2.840.113549.1.1.4", Weak),
        ("1.2.840.113549.1.1.2", Weak),
        ("1.2.840.10045.4.3.2", Strong),
        ("1.2.840.10045.4.1", Weak),
        ("1.3.101.112", Unknown),
        ("1.2.3.4", Unknown),
    ] {
        assert_eq!(signature_algorithm(oid, None).strength, strength, "{oid}");
    }
    // RSASSA-PSS: no parameters means SHA-1; [0] { SEQUENCE { OID sha256 } } is strong.
    assert_eq!(
        signature_algorithm("1.2.840.113549.1.1.10", None).strength,
        Weak
    );
    let params = [
        0x30, 0x0F, 0xA0, 0x0D, 0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
        0x02, 0x01,
    ];
    let (tlv, _) = der::read(&params).unwrap();
    let alg = signature_algorithm("1.2.840.113549.1.1.10", Some(tlv));
    assert_eq!(alg.name, "RSASSA-PSS with SHA-256");
    assert_eq!(alg.strength, Strong);
}

#[test]
fn every_error_has_words_a_fix_and_a_code() {
    let all = [
        CertError::Empty,
        CertError::WhitespaceOnly,
        CertError::NotPem,
        CertError::Unrecognised,
        CertError::Truncated,
        CertError::BadBase64,
        CertError::Malformed,
        CertError::IsPrivateKey { encrypted: true },
        CertError::IsCsr,
        CertError::IsPublicKey,
        CertError::Pkcs12,
        CertError::Pkcs7,
        CertError::OtherPem { label: "X".into() },
    ];
    let mut codes = std::collections::HashSet::new();
    for e in &all {
        assert!(e.message().len() > 20 && e.fix().len() > 20, "{e:?}");
        assert!(!e.message().contains('\n') && !e.fix().contains('\n'));
        assert!(codes.insert(e.code()));
    }
}

#[test]
fn robustness_truncations_and_flips_never_panic() {
    let der = pem_der(VALID_CERT);
    for input in [VALID_CERT, fixture_cert("cert-chain"), &der[..]] {
        for cut in (0..input.len()).step_by(37) {
            let _ = decode_certificates(&input[..cut]);
        }
        let mut state: u32 = 0xC0FF_EE11;
        for _ in 0..500 {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let mut v = input.to_vec();
            let at = (state as usize) % v.len();
            v[at] ^= (state >> 24) as u8 | 1;
            let _ = decode_certificates(&v);
        }
    }
    let _ = decode_certificates(&vec![0x30; 4096]);
    let _ = decode_certificates(&vec![0xA0; 4096]);
}

/// The evidence codes are derived from the variant names: pinned here.
#[test]
fn format_codes() {
    assert_eq!(
        [CertFormat::Pem, CertFormat::Der].map(CertFormat::code),
        ["pem", "der"]
    );
}

/// The codes are derived from the variant names (some renamed): pinned here, every variant.
#[test]
fn error_codes() {
    let codes = [
        (CertError::Empty, "empty"),
        (CertError::WhitespaceOnly, "whitespace-only"),
        (CertError::NotPem, "not-pem"),
        (CertError::Unrecognised, "unrecognised"),
        (CertError::Truncated, "truncated"),
        (CertError::BadBase64, "bad-base64"),
        (CertError::Malformed, "malformed"),
        (
            CertError::IsPrivateKey { encrypted: false },
            "is-private-key",
        ),
        (CertError::IsCsr, "is-csr"),
        (CertError::IsPublicKey, "is-public-key"),
        (CertError::Pkcs12, "pkcs12"),
        (CertError::Pkcs7, "pkcs7"),
        (
            CertError::OtherPem {
                label: String::new(),
            },
            "unexpected-pem",
        ),
    ];
    for (error, code) in codes {
        assert_eq!(error.code(), code, "{error:?}");
    }
}
