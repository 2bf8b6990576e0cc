use super::*;
use crate::bundle::cert::decode_certificates;
use crate::bundle::key::decode_private_key;
use crate::jwt::{AssertionClaims, decode, mint};
use time::macros::datetime;

fn minted() -> String {
    let key =
        decode_private_key(include_bytes!("../../../fixtures/valid/server.key"), None).unwrap();
    let claims = AssertionClaims::new(
        "3MVG9key",
        "jane@acme.com",
        "https://login.salesforce.com",
        datetime!(2026-11-29 13:00 UTC),
    );
    mint(&key, &claims).unwrap()
}

fn spki(cert: &[u8]) -> Vec<u8> {
    decode_certificates(cert).unwrap().first.spki_der
}

#[test]
fn a_token_verifies_with_its_own_certificate_only() {
    let d = decode(&minted()).unwrap();
    let valid = spki(include_bytes!("../../../fixtures/valid/server.crt"));
    assert_eq!(
        verify(&d, &valid),
        Verification::Verified {
            alg: "RS256".into()
        }
    );
    let other = spki(include_bytes!("../../../fixtures/cert-chain/server.crt"));
    assert_eq!(
        verify(&d, &other),
        Verification::Mismatch {
            alg: "RS256".into()
        }
    );
    let weak = spki(include_bytes!("../../../fixtures/weak-key/server.crt"));
    assert_eq!(
        verify(&d, &weak),
        Verification::WrongLength {
            got: 256,
            expected: 128
        }
    );
    let ec = spki(include_bytes!("../../../fixtures/ec-key/server.crt"));
    assert_eq!(verify(&d, &ec), Verification::CertKeyNotRsa);
}

/// A token signed by `key` with `alg`, made with the `rsa` crate alone.
fn signed_with_rsa(key: &[u8], alg: &str) -> Decoded {
    use rsa::sha2::{Digest, Sha256, Sha384, Sha512};
    use rsa::{Pkcs1v15Sign, Pss};
    let decoded = decode_private_key(key, None).unwrap();
    let key = decoded.rsa().unwrap().clone();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}"}}"#)),
        URL_SAFE_NO_PAD.encode(r#"{"iss":"3MVG9key"}"#)
    );
    let m = input.as_bytes();
    let signature = match alg {
        "RS256" => key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(m)),
        "RS384" => key.sign(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(m)),
        "RS512" => key.sign(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(m)),
        "PS256" => key.sign(Pss::<Sha256>::new(), &Sha256::digest(m)),
        "PS384" => key.sign(Pss::<Sha384>::new(), &Sha384::digest(m)),
        "PS512" => key.sign(Pss::<Sha512>::new(), &Sha512::digest(m)),
        other => panic!("no {other}"),
    }
    .unwrap();
    decode(&format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))).unwrap()
}

#[test]
fn ring_and_the_rsa_crate_agree_on_every_rsa_algorithm() {
    let valid_key = include_bytes!("../../../fixtures/valid/server.key");
    let valid = spki(include_bytes!("../../../fixtures/valid/server.crt"));
    let other = spki(include_bytes!("../../../fixtures/cert-chain/server.crt"));
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
        let d = signed_with_rsa(valid_key, alg);
        let algorithm = rsa_algorithm(alg).unwrap();
        assert!(verifies_with_ring(&d, &valid, algorithm), "{alg}");
        let verified = Verification::Verified { alg: alg.into() };
        assert_eq!(verify_with_rsa(&d, &valid, alg.into(), algorithm), verified);
        assert_eq!(verify(&d, &valid), verified);
        assert!(!verifies_with_ring(&d, &other, algorithm), "{alg}");
        assert_eq!(
            verify(&d, &other),
            Verification::Mismatch { alg: alg.into() }
        );
    }
}

#[test]
fn a_weak_keys_token_verifies_with_its_certificate() {
    // 1024 bits: ring verifies RS256 with its legacy variant; PS256 goes to the rsa crate.
    let weak_key = include_bytes!("../../../fixtures/weak-key/server.key");
    let weak = spki(include_bytes!("../../../fixtures/weak-key/server.crt"));
    let d = signed_with_rsa(weak_key, "RS256");
    assert!(verifies_with_ring(&d, &weak, Algorithm::RS256));
    let d = signed_with_rsa(weak_key, "PS256");
    assert!(!verifies_with_ring(&d, &weak, Algorithm::PS256));
    assert_eq!(
        verify(&d, &weak),
        Verification::Verified {
            alg: "PS256".into()
        }
    );
}

#[test]
fn an_altered_token_does_not_verify() {
    let t = minted();
    let mut parts: Vec<String> = t.split('.').map(String::from).collect();
    // Change the claims: same signature, other payload.
    parts[1] = URL_SAFE_NO_PAD.encode(
            r#"{"iss":"3MVG9key","sub":"admin@acme.com","aud":"https://login.salesforce.com","exp":1795957380}"#,
        );
    let d = decode(&parts.join(".")).unwrap();
    let valid = spki(include_bytes!("../../../fixtures/valid/server.crt"));
    assert!(matches!(verify(&d, &valid), Verification::Mismatch { .. }));
}

#[test]
fn unsigned_hmac_and_other_algorithms_are_named() {
    let valid = spki(include_bytes!("../../../fixtures/valid/server.crt"));
    let tok = |h: &str, sig: &str| {
        format!(
            "{}.{}.{sig}",
            URL_SAFE_NO_PAD.encode(h),
            URL_SAFE_NO_PAD.encode("{}")
        )
    };
    let v = |t: String| verify(&decode(&t).unwrap(), &valid);
    assert_eq!(v(tok(r#"{"alg":"none"}"#, "")), Verification::Unsigned);
    assert_eq!(v(tok(r#"{"alg":"RS256"}"#, "")), Verification::Unsigned);
    assert_eq!(
        v(tok(r#"{"alg":"HS256"}"#, "AAAA")),
        Verification::Hmac {
            alg: "HS256".into()
        }
    );
    assert_eq!(
        v(tok(r#"{"alg":"ES256"}"#, "AAAA")),
        Verification::Unsupported {
            alg: "ES256".into()
        }
    );
    assert_eq!(v(tok(r#"{"alg":1}"#, "AAAA")), Verification::NoAlg);
    assert_eq!(v(tok(r#"{}"#, "AAAA")), Verification::NoAlg);
}
