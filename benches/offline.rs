//! In-process benchmarks of what `sfjwt check` does for one bundle, part by part, and of the
//! whole offline check over `fixtures/valid`. Run with `cargo bench --bench offline`; the
//! whole-process comparison with the OpenSSL CLI is `scripts/bench.sh`
//! (see docs/performance.md).

use std::path::Path;

use divan::{Bencher, black_box};
use sfjwt::bundle::cert::decode_certificates;
use sfjwt::bundle::gather::{self, Inputs};
use sfjwt::bundle::key::decode_private_key;
use sfjwt::checks;
use sfjwt::context::Context;
use sfjwt::jwt::{self, AssertionClaims};
use sfjwt::salesforce::hosts;
use time::macros::datetime;

fn main() {
    divan::main();
}

const KEY: &[u8] = include_bytes!("../fixtures/valid/server.key");
const KEY_PKCS1: &[u8] = include_bytes!("../fixtures/pkcs1-key/server.key");
const KEY_ENCRYPTED: &[u8] = include_bytes!("../fixtures/encrypted-key/server.key");
const CERT: &[u8] = include_bytes!("../fixtures/valid/server.crt");

fn claims() -> AssertionClaims {
    AssertionClaims::new(
        "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D",
        "integration@acme.com",
        "https://login.salesforce.com",
        datetime!(2026-11-29 13:00 UTC),
    )
}

/// Decoding the private key (PEM, base64, DER, and the RSA key's own checks).
#[divan::bench_group]
mod key {
    use super::*;

    #[divan::bench]
    fn pkcs8_pem() {
        black_box(decode_private_key(black_box(KEY), None).unwrap());
    }

    #[divan::bench]
    fn pkcs1_pem() {
        black_box(decode_private_key(black_box(KEY_PKCS1), None).unwrap());
    }

    /// PBKDF2 with the fixture's iteration count: slow by design.
    #[divan::bench(sample_count = 20)]
    fn encrypted_pkcs8_pem() {
        black_box(
            decode_private_key(black_box(KEY_ENCRYPTED), Some(b"sfjwt-fixture-passphrase"))
                .unwrap(),
        );
    }
}

#[divan::bench]
fn cert_decode() {
    black_box(decode_certificates(black_box(CERT)).unwrap());
}

/// Minting the test assertion: one RSA-2048 PKCS#1 v1.5 signature with SHA-256.
#[divan::bench]
fn mint_sign(bencher: Bencher) {
    let key = decode_private_key(KEY, None).unwrap();
    let claims = claims();
    bencher.bench(|| black_box(jwt::mint(&key, black_box(&claims)).unwrap()));
}

/// Minting and decoding it back, as `assertion.claims` does.
#[divan::bench]
fn mint_decoded(bencher: Bencher) {
    let key = decode_private_key(KEY, None).unwrap();
    bencher.bench(|| black_box(jwt::mint_decoded(&key, claims()).unwrap()));
}

/// Verifying the assertion's signature with the certificate's public key.
#[divan::bench]
fn verify(bencher: Bencher) {
    let key = decode_private_key(KEY, None).unwrap();
    let cert = decode_certificates(CERT).unwrap();
    let minted = jwt::mint_decoded(&key, claims()).unwrap();
    bencher.bench(|| {
        let v = jwt::verify(black_box(&minted.decoded), &cert.first.spki_der);
        assert!(v.is_verified());
    });
}

/// Linting the assertion's header and claims.
#[divan::bench]
fn lint(bencher: Bencher) {
    let key = decode_private_key(KEY, None).unwrap();
    let minted = jwt::mint_decoded(&key, claims()).unwrap();
    let expect = jwt::Expectations {
        consumer_key: Some(&minted.claims.iss),
        username: Some(&minted.claims.sub),
        login_url: Some("https://login.salesforce.com"),
        ..Default::default()
    };
    let at = datetime!(2026-11-29 13:00 UTC);
    bencher.bench(|| black_box(jwt::lint(black_box(&minted.decoded), &expect, at)));
}

/// Classifying login URLs (`login-url.host`).
#[divan::bench(args = [
    "https://login.salesforce.com",
    "https://acme--uat.sandbox.my.salesforce.com",
    "acme.lightning.force.com",
    "https://acme.my.site.com/partners",
])]
fn url_classify(url: &str) {
    let _ = black_box(hosts::parse(black_box(url)));
}

/// Gathering `fixtures/valid` from disk: reading sfjwt.toml, the key and the certificate.
#[divan::bench]
fn gather_valid() {
    let inputs = Inputs::default();
    let env = |_: &str| None;
    black_box(gather::gather(
        "fixtures/valid",
        Some(Path::new("fixtures/valid")),
        &inputs,
        &env,
        None,
    ));
}

/// Every offline check over `fixtures/valid`, gathering included: what `sfjwt check
/// fixtures/valid` does between parsing its arguments and rendering the report.
#[divan::bench]
fn run_all_valid() {
    let inputs = Inputs::default();
    let env = |_: &str| None;
    let bundle = gather::gather(
        "fixtures/valid",
        Some(Path::new("fixtures/valid")),
        &inputs,
        &env,
        None,
    );
    let ctx = Context::new(datetime!(2026-11-29 13:00 UTC));
    let findings = checks::run_all(&bundle, &ctx, &mut checks::Scratch::default());
    assert_eq!(findings.len(), 14);
    black_box(findings);
}
