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
mod tests;
