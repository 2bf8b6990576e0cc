use super::*;
use crate::bundle::cert::{CertError, CertificateFile, decode_certificates};
use crate::bundle::key::{KeyError, PrivateKey, decode_private_key};
use crate::bundle::source::ReadError;
use crate::bundle::{Origin, pem_text};
use crate::checks::testing::ctx;
use crate::finding::Status;
use std::path::PathBuf;

const VALID_KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");
const VALID_CERT: &[u8] = include_bytes!("../../../fixtures/valid/server.crt");

// The checks' outcomes as reports see them (a skip as a skip outcome).
fn cert_parse(b: &Bundle, ctx: &Context) -> Outcome {
    CERT_PARSE.outcome(b, ctx, &mut Scratch::default())
}
fn cert_matches_key(b: &Bundle, ctx: &Context) -> Outcome {
    CERT_MATCHES_KEY.outcome(b, ctx, &mut Scratch::default())
}
fn cert_validity(b: &Bundle, ctx: &Context) -> Outcome {
    CERT_VALIDITY.outcome(b, ctx, &mut Scratch::default())
}
fn cert_signature_algorithm(b: &Bundle, ctx: &Context) -> Outcome {
    CERT_SIGNATURE_ALGORITHM.outcome(b, ctx, &mut Scratch::default())
}

fn key(bytes: &[u8]) -> Loaded<PrivateKey, KeyError> {
    Loaded::Ok(decode_private_key(bytes, None).expect("fixture key decodes"))
}

fn cert(bytes: &[u8]) -> Loaded<CertificateFile, CertError> {
    Loaded::Ok(decode_certificates(bytes).expect("fixture cert decodes"))
}

fn bundle(
    key_state: Loaded<PrivateKey, KeyError>,
    cert_state: Loaded<CertificateFile, CertError>,
) -> Bundle {
    let mut b = Bundle::empty("test");
    b.key.state = key_state;
    b.cert.state = cert_state;
    b.cert.origin = Some(Origin::File(PathBuf::from("fixtures/x/server.crt")));
    b
}

fn valid() -> Bundle {
    bundle(key(VALID_KEY), cert(VALID_CERT))
}

#[test]
fn cert_parse_passes_with_subject_issuer_and_format() {
    let o = cert_parse(&valid(), &ctx());
    assert_eq!(o.status, Status::Pass, "{}", o.message);
    assert!(o.message.contains("self-signed") && o.message.contains("CN=sfjwt-valid"));
    assert!(o.message.contains("(PEM)"));
    assert_eq!(o.evidence["format"], "pem");
    assert_eq!(o.evidence["chain_length"], 1);
    assert_eq!(o.evidence["not_after"], "2125-01-01T00:00:00Z");
    assert_eq!(o.evidence["self_signed"], true);
    assert_eq!(o.evidence["origin"], "fixtures/x/server.crt");
    assert!(
        o.evidence["fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
}

#[test]
fn cert_parse_lists_the_rest_of_a_chain() {
    let chain = include_bytes!("../../../fixtures/cert-chain/server.crt");
    let o = cert_parse(&bundle(Loaded::Missing("x".into()), cert(chain)), &ctx());
    assert_eq!(o.status, Status::Pass);
    assert!(
        o.message
            .contains("1 more certificate in the file was not checked: O=Acme, CN=Acme Test CA"),
        "{}",
        o.message
    );
    assert!(o.message.contains("issued by O=Acme, CN=Acme Test CA"));
    assert_eq!(o.evidence["chain_length"], 2);
    assert_eq!(o.evidence["others"][0], "O=Acme, CN=Acme Test CA");
}

#[test]
fn cert_parse_warns_on_the_base64_of_a_certificate_file() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(VALID_CERT);
    let o = cert_parse(
        &bundle(Loaded::Missing("x".into()), cert(b64.as_bytes())),
        &ctx(),
    );
    // It reads, but Salesforce takes the uploaded file as it is.
    assert_eq!(o.status, Status::Warn);
    assert_eq!(o.evidence["repairs"][0], pem_text::REPAIR_BASE64_PEM);
    assert!(o.fix.as_deref().unwrap().contains("as OpenSSL wrote it"));
}

#[test]
fn cert_parse_warns_on_a_key_in_the_file_and_on_escaped_text() {
    let mut both = VALID_CERT.to_vec();
    both.extend_from_slice(VALID_KEY);
    let o = cert_parse(&bundle(Loaded::Missing("x".into()), cert(&both)), &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("also holds a private key"));

    let text = std::str::from_utf8(VALID_CERT)
        .unwrap()
        .replace('\n', "\\n");
    let o = cert_parse(
        &bundle(Loaded::Missing("x".into()), cert(text.as_bytes())),
        &ctx(),
    );
    assert_eq!(o.status, Status::Warn);
    assert_eq!(o.evidence["repairs"][0], pem_text::REPAIR_LITERAL_NEWLINES);

    let crlf = std::str::from_utf8(VALID_CERT)
        .unwrap()
        .replace('\n', "\r\n");
    let o = cert_parse(
        &bundle(Loaded::Missing("x".into()), cert(crlf.as_bytes())),
        &ctx(),
    );
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("CRLF"));
}

#[test]
fn cert_parse_warns_when_not_given_and_fails_unreadable_and_invalid() {
    let o = cert_parse(&Bundle::empty("x"), &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(
        o.message.starts_with("no certificate was given"),
        "{}",
        o.message
    );
    assert!(
        o.message.ends_with(
            "cert.matches-key, cert.validity, cert.signature-algorithm and assertion.signature did not run"
        ),
        "{}",
        o.message
    );

    let o = cert_parse(
        &bundle(
            key(VALID_KEY),
            Loaded::Unreadable(ReadError::PermissionDenied),
        ),
        &ctx(),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("fixtures/x/server.crt") && o.message.contains("denied"));

    let o = cert_parse(
        &bundle(key(VALID_KEY), Loaded::Invalid(CertError::IsCsr)),
        &ctx(),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("server.csr"));
    assert!(o.fix.unwrap().contains("openssl x509 -req -sha256"));
    assert_eq!(o.evidence["error"], "is-csr");
}

#[test]
fn cert_matches_key_passes_with_the_shared_fingerprint() {
    let o = cert_matches_key(&valid(), &ctx());
    assert_eq!(o.status, Status::Pass);
    let fp = decode_private_key(VALID_KEY, None).unwrap().fingerprint();
    assert_eq!(o.evidence["fingerprint"], fp.as_str());
    assert!(o.message.contains(&fp));

    // The other encodings of the same key and certificate.
    let der_key = include_bytes!("../../../fixtures/der/server.key");
    let der_cert = include_bytes!("../../../fixtures/der/server.crt");
    let o = cert_matches_key(&bundle(key(der_key), cert(der_cert)), &ctx());
    assert_eq!(o.status, Status::Pass);
    let chain_key = include_bytes!("../../../fixtures/cert-chain/server.key");
    let chain = include_bytes!("../../../fixtures/cert-chain/server.crt");
    let o = cert_matches_key(&bundle(key(chain_key), cert(chain)), &ctx());
    assert_eq!(o.status, Status::Pass);
}

#[test]
fn cert_matches_key_fails_on_a_mismatch_with_both_fingerprints() {
    let other = include_bytes!("../../../fixtures/key-mismatch/server.key");
    let o = cert_matches_key(&bundle(key(other), cert(VALID_CERT)), &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("invalid assertion"));
    assert_ne!(
        o.evidence["key_fingerprint"],
        o.evidence["cert_fingerprint"]
    );
    let fix = o.fix.unwrap();
    assert!(fix.contains("openssl x509 -req -sha256") && fix.contains("Enable JWT Bearer Flow"));
}

#[test]
fn cert_matches_key_says_when_the_matching_certificate_is_not_first() {
    let chain_key = include_bytes!("../../../fixtures/cert-chain/server.key");
    let chain = std::str::from_utf8(include_bytes!("../../../fixtures/cert-chain/server.crt"))
        .unwrap()
        .to_string();
    let split = chain.find("-----END CERTIFICATE-----").unwrap() + 26;
    let reversed = format!("{}{}", &chain[split..], &chain[..split]);
    let o = cert_matches_key(&bundle(key(chain_key), cert(reversed.as_bytes())), &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message.contains("certificate 2 in the file"),
        "{}",
        o.message
    );
    assert_eq!(o.evidence["matching_position"], 2);
}

#[test]
fn cert_matches_key_fails_on_a_non_rsa_certificate() {
    let ec = include_bytes!("../../../fixtures/ec-key/server.crt");
    let o = cert_matches_key(&bundle(key(VALID_KEY), cert(ec)), &ctx());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("EC P-256") && o.message.contains("not RSA"));
}

#[test]
fn cert_matches_key_skips_without_both_inputs() {
    let o = cert_matches_key(
        &bundle(key(VALID_KEY), Loaded::Missing("no cert".into())),
        &ctx(),
    );
    assert_eq!(
        (o.status, o.message.as_str()),
        (Status::Skip, "there is no certificate (see cert.parse)")
    );
    let o = cert_matches_key(
        &bundle(Loaded::Invalid(KeyError::IsCsr), cert(VALID_CERT)),
        &ctx(),
    );
    assert_eq!(
        (o.status, o.message.as_str()),
        (Status::Skip, "the key did not read (see key.parse)")
    );
    let o = cert_matches_key(
        &bundle(key(VALID_KEY), Loaded::Invalid(CertError::Truncated)),
        &ctx(),
    );
    assert_eq!(
        (o.status, o.message.as_str()),
        (
            Status::Skip,
            "the certificate did not read (see cert.parse)"
        )
    );
}

fn validity(name_bytes: &[u8], ctx: &Context) -> Outcome {
    cert_validity(&bundle(Loaded::Missing("x".into()), cert(name_bytes)), ctx)
}

#[test]
fn cert_validity_passes_warns_and_fails_only_when_asked() {
    let o = validity(VALID_CERT, &ctx());
    assert_eq!(o.status, Status::Pass);
    assert!(
        o.message.contains("valid until 2125-01-01T00:00:00Z"),
        "{}",
        o.message
    );

    let soon = include_bytes!("../../../fixtures/expiring-soon/server.crt");
    let o = validity(soon, &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("in 10 days"), "{}", o.message);
    assert_eq!(o.evidence["days_left"], 10);
    assert!(o.fix.unwrap().contains("consumer key does not change"));
    // Not within a 5-day window.
    let mut narrow = ctx();
    narrow.expiry_warn_days = 5;
    assert_eq!(validity(soon, &narrow).status, Status::Pass);
    // Huge windows do not overflow.
    narrow.expiry_warn_days = i64::MAX;
    assert_eq!(validity(soon, &narrow).status, Status::Warn);

    let expired = include_bytes!("../../../fixtures/expired-cert/server.crt");
    // Salesforce still accepts an expired certificate for JWT logins: it warns.
    let o = validity(expired, &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("expired on 2021-01-01T00:00:00Z"));
    assert!(o.message.contains("SE 313488") && o.message.contains("keep working"));
    assert!(o.fix.unwrap().contains("consumer key does not change"));
    // --expiry-fail-days makes expiry, and expiring within its window, fail.
    let mut strict = ctx();
    strict.expiry_fail_days = Some(0);
    let o = validity(expired, &strict);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .ends_with("--expiry-fail-days 0 makes that a failure")
    );
    assert_eq!(validity(soon, &strict).status, Status::Warn);
    strict.expiry_fail_days = Some(11);
    let o = validity(soon, &strict);
    assert_eq!(o.status, Status::Fail, "{}", o.message);
    assert_eq!(validity(VALID_CERT, &strict).status, Status::Pass);

    // Whether Salesforce refuses a certificate before its start is unconfirmed: it warns.
    let future = include_bytes!("../../../fixtures/not-yet-valid/server.crt");
    let o = validity(future, &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("not valid yet") && o.message.contains("2099-01-01T00:00:00Z"));
    assert!(o.message.contains("unconfirmed"));

    assert_eq!(
        cert_validity(&Bundle::empty("x"), &ctx()).status,
        Status::Skip
    );
    let o = cert_validity(
        &bundle(key(VALID_KEY), Loaded::Unreadable(ReadError::NotFound)),
        &ctx(),
    );
    assert_eq!(o.status, Status::Skip);
}

#[test]
fn cert_signature_algorithm_passes_strong_hashes_and_warns_on_the_rest() {
    let o = cert_signature_algorithm(&valid(), &ctx());
    assert_eq!(o.status, Status::Pass);
    assert_eq!(o.evidence["algorithm"], "sha256WithRSAEncryption");

    let sha1 = include_bytes!("../../../fixtures/sha1-cert/server.crt");
    let o = cert_signature_algorithm(&bundle(key(VALID_KEY), cert(sha1)), &ctx());
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("sha1WithRSAEncryption"));
    assert!(o.message.contains("unconfirmed"));
    assert!(o.fix.unwrap().contains("-sha256"));

    let Loaded::Ok(mut file) = cert(VALID_CERT) else {
        unreachable!()
    };
    file.first.signature_algorithm = crate::bundle::cert::signature_algorithm("1.3.101.112", None);
    let o = cert_signature_algorithm(&bundle(key(VALID_KEY), Loaded::Ok(file)), &ctx());
    assert_eq!(o.status, Status::Warn);

    assert_eq!(
        cert_signature_algorithm(&Bundle::empty("x"), &ctx()).status,
        Status::Skip
    );
}

#[test]
fn cert_validity_evidence_has_the_dates_it_starts_warning_and_failing() {
    // fixtures/valid/server.crt ends 2125-01-01T00:00:00Z.
    let o = validity(VALID_CERT, &ctx());
    assert_eq!(o.evidence["warns_from"], "2124-12-02T00:00:00Z");
    assert!(
        o.evidence.get("fails_from").is_none(),
        "only with --expiry-fail-days"
    );
    let mut strict = ctx();
    strict.expiry_warn_days = 60;
    strict.expiry_fail_days = Some(7);
    let o = validity(VALID_CERT, &strict);
    assert_eq!(o.evidence["warns_from"], "2124-11-02T00:00:00Z");
    assert_eq!(o.evidence["fails_from"], "2124-12-25T00:00:00Z");
}
