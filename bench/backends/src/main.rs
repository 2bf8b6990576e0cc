//! RS256 with each backend sfjwt's dependency tree offers, on the key of fixtures/valid:
//! loading the key, signing, verifying, and jsonwebtoken's own signing paths (which load the key
//! from DER on every signature). `openssl speed rsa2048` is the yardstick.

use divan::{Bencher, black_box};
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::Sha256;

fn main() {
    divan::main();
}

const PEM: &str = include_str!("../../../fixtures/valid/server.key");
/// A test assertion's signing input, as long as sfjwt's.
const MSG: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOXU4anpQZGUwSWd4TGQ2R25jZkJBZXBmSkJkMEtoOG9PT0w4LktMemRvY0oyaXNBakloS3RKMFJsZ0xLT214Z0pUX0tkTm5GUklCWHVETDdEIiwic3ViIjoiaW50ZWdyYXRpb25AYWNtZS5jb20iLCJhdWQiOiJodHRwczovL2xvZ2luLnNhbGVzZm9yY2UuY29tIiwiZXhwIjoxNzk1OTU3MzgwfQ";

fn rsa_key() -> rsa::PrivateKey {
    rsa::PrivateKey::from_pkcs8_pem(PEM).unwrap()
}
fn pkcs1() -> Vec<u8> {
    rsa_key().to_pkcs1_der().unwrap().as_bytes().to_vec()
}
fn pkcs8() -> Vec<u8> {
    rsa_key().to_pkcs8_der().unwrap().as_bytes().to_vec()
}

/// The pure-Rust `rsa` crate (what jsonwebtoken's rust_crypto backend uses).
mod rust_crypto {
    use super::*;

    /// Decoding the key: validation and CRT precomputation included.
    #[divan::bench]
    fn load_key(b: Bencher) {
        let der = pkcs1();
        b.bench(|| black_box(rsa::PrivateKey::from_pkcs1_der(&der).unwrap()));
    }

    /// Signing with a key decoded once.
    #[divan::bench]
    fn sign(b: Bencher) {
        let s = rsa::pkcs1v15::SigningKey::<Sha256>::new(rsa_key());
        b.bench(|| black_box(s.sign(MSG).to_vec()));
    }

    #[divan::bench]
    fn verify(b: Bencher) {
        let key = rsa_key();
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(key.clone()).sign(MSG);
        let v = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key.to_public_key());
        b.bench(|| v.verify(MSG, &sig).unwrap());
    }

    /// sfjwt before: re-encode the decoded key to PKCS#1 and sign through jsonwebtoken, which
    /// decodes it again on every signature.
    #[divan::bench]
    fn jsonwebtoken_sign(b: Bencher) {
        let key = rsa_key();
        let provider = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
        b.bench(|| {
            let der = key.to_pkcs1_der().unwrap();
            let k = EncodingKey::from_rsa_der(der.as_bytes());
            let signer = (provider.signer_factory)(&Algorithm::RS256, &k).unwrap();
            black_box(signer.try_sign(MSG).unwrap())
        });
    }
}

/// ring, which rustls already builds for `--live`.
mod ring_ {
    use super::*;
    use ring::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};

    #[divan::bench]
    fn load_key(b: Bencher) {
        let der = pkcs1();
        b.bench(|| black_box(RsaKeyPair::from_der(&der).unwrap()));
    }

    #[divan::bench]
    fn sign(b: Bencher) {
        let kp = RsaKeyPair::from_der(&pkcs1()).unwrap();
        let rng = ring::rand::SystemRandom::new();
        b.bench(|| {
            let mut sig = vec![0; kp.public().modulus_len()];
            kp.sign(&RSA_PKCS1_SHA256, &rng, MSG, &mut sig).unwrap();
            black_box(sig)
        });
    }

    #[divan::bench]
    fn verify(b: Bencher) {
        let kp = RsaKeyPair::from_der(&pkcs1()).unwrap();
        let mut sig = vec![0; kp.public().modulus_len()];
        kp.sign(
            &RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            MSG,
            &mut sig,
        )
        .unwrap();
        let public = kp.public_key().as_ref().to_vec();
        let alg = &ring::signature::RSA_PKCS1_2048_8192_SHA256;
        b.bench(|| {
            ring::signature::UnparsedPublicKey::new(alg, &public)
                .verify(MSG, &sig)
                .unwrap()
        });
    }
}

/// aws-lc-rs, behind jsonwebtoken's aws_lc_rs backend.
mod aws_lc {
    use super::*;
    use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};

    #[divan::bench]
    fn load_key(b: Bencher) {
        let der = pkcs1();
        b.bench(|| black_box(RsaKeyPair::from_der(&der).unwrap()));
    }

    #[divan::bench]
    fn load_key_pkcs8(b: Bencher) {
        let der = pkcs8();
        b.bench(|| black_box(RsaKeyPair::from_pkcs8(&der).unwrap()));
    }

    #[divan::bench]
    fn sign(b: Bencher) {
        let kp = RsaKeyPair::from_der(&pkcs1()).unwrap();
        let rng = aws_lc_rs::rand::SystemRandom::new();
        b.bench(|| {
            let mut sig = vec![0; kp.public_modulus_len()];
            kp.sign(&RSA_PKCS1_SHA256, &rng, MSG, &mut sig).unwrap();
            black_box(sig)
        });
    }

    #[divan::bench]
    fn verify(b: Bencher) {
        let kp = RsaKeyPair::from_der(&pkcs1()).unwrap();
        let mut sig = vec![0; kp.public_modulus_len()];
        kp.sign(
            &RSA_PKCS1_SHA256,
            &aws_lc_rs::rand::SystemRandom::new(),
            MSG,
            &mut sig,
        )
        .unwrap();
        let public = kp.public_key().as_ref().to_vec();
        let alg = &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256;
        b.bench(|| {
            aws_lc_rs::signature::UnparsedPublicKey::new(alg, &public)
                .verify(MSG, &sig)
                .unwrap()
        });
    }

    /// jsonwebtoken's aws_lc_rs backend as it is: the key is loaded from DER on every signature.
    #[divan::bench]
    fn jsonwebtoken_sign(b: Bencher) {
        let k = EncodingKey::from_rsa_der(&pkcs1());
        let provider = &jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER;
        b.bench(|| {
            let signer = (provider.signer_factory)(&Algorithm::RS256, &k).unwrap();
            black_box(signer.try_sign(MSG).unwrap())
        });
    }
}

/// The same signature from every backend: PKCS#1 v1.5 is deterministic.
#[divan::bench]
fn same_signature_everywhere() {
    let s1 = rsa::pkcs1v15::SigningKey::<Sha256>::new(rsa_key())
        .sign(MSG)
        .to_vec();
    let der = pkcs1();
    let r = ring::signature::RsaKeyPair::from_der(&der).unwrap();
    let mut s2 = vec![0; 256];
    r.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        MSG,
        &mut s2,
    )
    .unwrap();
    let a = aws_lc_rs::signature::RsaKeyPair::from_der(&der).unwrap();
    let mut s3 = vec![0; 256];
    a.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        MSG,
        &mut s3,
    )
    .unwrap();
    assert_eq!(s1, s2);
    assert_eq!(s1, s3);
}
