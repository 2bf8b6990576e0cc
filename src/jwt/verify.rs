//! Verifying a decoded token's signature with the public key of a certificate, as Salesforce
//! does with the certificate uploaded to the app.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;

use super::Decoded;

/// What verifying the signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The signature verifies with the certificate's public key.
    Verified { alg: String },
    /// It does not: the token was signed by another key, or altered after signing.
    Mismatch { alg: String },
    /// No signature at all (`alg: none`, or nothing after the second dot).
    Unsigned,
    /// HS256/384/512: an HMAC with a shared secret, which no certificate can verify.
    Hmac { alg: String },
    /// An algorithm sfjwt does not verify (ES256, EdDSA, or an unknown name).
    Unsupported { alg: String },
    /// The header has no `alg`, or not as a string.
    NoAlg,
    /// The certificate's public key is not an RSA key.
    CertKeyNotRsa,
    /// The signature is not as long as the key's modulus: the token was cut short, or signed
    /// by a key of another size.
    WrongLength { got: usize, expected: usize },
}

impl Verification {
    pub fn is_verified(&self) -> bool {
        matches!(self, Verification::Verified { .. })
    }
}

fn rsa_algorithm(alg: &str) -> Option<Algorithm> {
    Some(match alg {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        _ => return None,
    })
}

/// RSA key sizes in bytes that signatures come in (1024 to 4096 bits, and 8192).
const RSA_SIGNATURE_LENGTHS: &[usize] = &[128, 192, 256, 384, 512, 1024];

/// What can be said about the signature without a certificate: `Err` with the verdict when the
/// token can't be verified by any certificate (unsigned, HMAC, an unknown algorithm, no alg).
pub fn precheck(decoded: &Decoded) -> Result<(), Verification> {
    rsa_alg(decoded).map(|_| ())
}

/// Whether the signature's length is one an RSA key makes (256 bytes for 2048 bits); a token
/// cut short usually isn't.
pub fn plausible_rsa_length(decoded: &Decoded) -> bool {
    RSA_SIGNATURE_LENGTHS.contains(&decoded.signature().len())
}

fn rsa_alg(decoded: &Decoded) -> Result<(String, Algorithm), Verification> {
    let Some(alg) = decoded.alg() else {
        return Err(Verification::NoAlg);
    };
    if alg.eq_ignore_ascii_case("none") || decoded.signature().is_empty() {
        return Err(Verification::Unsigned);
    }
    if alg.to_ascii_uppercase().starts_with("HS") {
        return Err(Verification::Hmac { alg: alg.into() });
    }
    match rsa_algorithm(alg) {
        Some(a) => Ok((alg.to_string(), a)),
        None => Err(Verification::Unsupported { alg: alg.into() }),
    }
}

/// Verifies the signature of `decoded` with the public key in `spki_der` (a certificate's DER
/// SubjectPublicKeyInfo), using the token's own `alg` when it is an RSA algorithm. Whether that
/// `alg` is the one Salesforce takes is the `alg` rule's business, not this function's.
pub fn verify(decoded: &Decoded, spki_der: &[u8]) -> Verification {
    let (alg, algorithm) = match rsa_alg(decoded) {
        Ok(x) => x,
        Err(v) => return v,
    };
    if verifies_with_ring(decoded, spki_der, algorithm) {
        return Verification::Verified { alg };
    }
    verify_with_rsa(decoded, spki_der, alg, algorithm)
}

/// [`verify`] with the `rsa` crate (through `jsonwebtoken`): the authority on every signature
/// ring does not verify.
fn verify_with_rsa(
    decoded: &Decoded,
    spki_der: &[u8],
    alg: String,
    algorithm: Algorithm,
) -> Verification {
    let Ok(public) = rsa::PublicKey::from_public_key_der(spki_der) else {
        return Verification::CertKeyNotRsa;
    };
    let expected = public.size();
    let got = decoded.signature().len();
    if got != expected {
        return Verification::WrongLength { got, expected };
    }
    let Ok(pkcs1) = public.to_pkcs1_der() else {
        return Verification::CertKeyNotRsa;
    };
    let key = DecodingKey::from_rsa_der(pkcs1.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(decoded.signature());
    match jsonwebtoken::crypto::verify(
        &signature,
        decoded.signing_input().as_bytes(),
        &key,
        algorithm,
    ) {
        Ok(true) => Verification::Verified { alg },
        _ => Verification::Mismatch { alg },
    }
}

/// The fast path: ring verifies a good signature about four times faster than the `rsa` crate
/// (docs/performance.md). Only its "yes" is taken: on any "no" (a bad signature, or a key or
/// size ring does not take) [`verify`] asks the `rsa` crate, which says precisely what is wrong.
fn verifies_with_ring(decoded: &Decoded, spki_der: &[u8], algorithm: Algorithm) -> bool {
    use ring::signature as sig;
    let alg: &'static dyn sig::VerificationAlgorithm = match algorithm {
        Algorithm::RS256 => &sig::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &sig::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &sig::RSA_PSS_2048_8192_SHA512,
        _ => return false,
    };
    let Ok(spki) = rsa::pkcs8::spki::SubjectPublicKeyInfoRef::try_from(spki_der) else {
        return false;
    };
    if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
        return false;
    }
    let Some(pkcs1) = spki.subject_public_key.as_bytes() else {
        return false;
    };
    sig::UnparsedPublicKey::new(alg, pkcs1)
        .verify(decoded.signing_input().as_bytes(), decoded.signature())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::cert::decode_certificates;
    use crate::bundle::key::decode_private_key;
    use crate::jwt::{AssertionClaims, decode, mint};
    use time::macros::datetime;

    fn minted() -> String {
        let key =
            decode_private_key(include_bytes!("../../fixtures/valid/server.key"), None).unwrap();
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
        let valid = spki(include_bytes!("../../fixtures/valid/server.crt"));
        assert_eq!(
            verify(&d, &valid),
            Verification::Verified {
                alg: "RS256".into()
            }
        );
        let other = spki(include_bytes!("../../fixtures/cert-chain/server.crt"));
        assert_eq!(
            verify(&d, &other),
            Verification::Mismatch {
                alg: "RS256".into()
            }
        );
        let weak = spki(include_bytes!("../../fixtures/weak-key/server.crt"));
        assert_eq!(
            verify(&d, &weak),
            Verification::WrongLength {
                got: 256,
                expected: 128
            }
        );
        let ec = spki(include_bytes!("../../fixtures/ec-key/server.crt"));
        assert_eq!(verify(&d, &ec), Verification::CertKeyNotRsa);
    }

    /// A token signed by `key` with `alg`, made with the `rsa` crate alone.
    fn signed_with_rsa(key: &[u8], alg: &str) -> Decoded {
        use rsa::sha2::{Digest, Sha256, Sha384, Sha512};
        use rsa::{Pkcs1v15Sign, Pss};
        let key = decode_private_key(key, None).unwrap().key;
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
        let valid_key = include_bytes!("../../fixtures/valid/server.key");
        let valid = spki(include_bytes!("../../fixtures/valid/server.crt"));
        let other = spki(include_bytes!("../../fixtures/cert-chain/server.crt"));
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
        let weak_key = include_bytes!("../../fixtures/weak-key/server.key");
        let weak = spki(include_bytes!("../../fixtures/weak-key/server.crt"));
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
        let valid = spki(include_bytes!("../../fixtures/valid/server.crt"));
        assert!(matches!(verify(&d, &valid), Verification::Mismatch { .. }));
    }

    #[test]
    fn unsigned_hmac_and_other_algorithms_are_named() {
        let valid = spki(include_bytes!("../../fixtures/valid/server.crt"));
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
}
