use super::*;
use crate::bundle::cert::decode_certificates;
use crate::bundle::key::decode_private_key;
use crate::bundle::{Loaded, Origin};
use crate::checks::testing::ctx;

const KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";

fn flag(v: &str, f: &'static str) -> Option<Setting> {
    Some(Setting::new(v, Origin::Flag(f)))
}

/// A bundle with the given key and certificate fixture files and the standard identity.
fn bundle(key: Option<&[u8]>, cert: Option<&[u8]>) -> Bundle {
    let mut b = Bundle::empty("t");
    if let Some(k) = key {
        b.key.state = Loaded::Ok(decode_private_key(k, None).unwrap());
    }
    if let Some(c) = cert {
        b.cert.state = Loaded::Ok(decode_certificates(c).unwrap());
    }
    b.consumer_key = flag(KEY, "--consumer-key");
    b.username = flag("integration@acme.com", "--username");
    b.login_url = flag("https://login.salesforce.com", "--login-url");
    b
}

const VALID_KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");
const VALID_CERT: &[u8] = include_bytes!("../../../fixtures/valid/server.crt");
const OTHER_KEY: &[u8] = include_bytes!("../../../fixtures/key-mismatch/server.key");

fn valid() -> Bundle {
    bundle(Some(VALID_KEY), Some(VALID_CERT))
}

fn details(o: &Outcome) -> Vec<String> {
    o.evidence["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_valid_bundle_mints_an_assertion_that_passes_and_verifies() {
    let b = valid();
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Pass, "{}", o.message);
    assert!(o.message.contains("alg RS256"), "{}", o.message);
    assert!(o.message.contains("iss 3MVG9u8j…"), "{}", o.message);
    assert!(
        o.message.contains("exp 2026-11-29T13:03:00Z"),
        "{}",
        o.message
    );
    assert_eq!(o.evidence["header"], serde_json::json!({"alg": "RS256"}));
    assert_eq!(
        o.evidence["claims"],
        serde_json::json!({"iss": KEY, "sub": "integration@acme.com",
            "aud": "https://login.salesforce.com", "exp": 1_795_957_380})
    );
    assert_eq!(
        o.evidence["rules"].as_array().unwrap().len(),
        jwt::RULES.len()
    );
    let d = details(&o);
    assert_eq!(d[0], r#"header {"alg":"RS256"}"#);
    assert!(d[1].starts_with(r#"claims {"aud":"https://login.salesforce.com","exp":1795957380"#));
    assert_eq!(d[2], "exp 1795957380 = 2026-11-29T13:03:00Z (in 3 minutes)");
    assert_eq!(
        o.evidence["aud_source"],
        "derived from the login URL (--login-url)"
    );
    assert!(o.evidence.get("assertion").is_none());

    let s = ASSERTION_SIGNATURE.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(s.status, Status::Pass, "{}", s.message);
    assert!(s.message.contains("RS256 signature verifies"));
    assert_eq!(s.evidence["verified"], true);
}

#[test]
fn a_mismatched_key_fails_the_signature_with_the_fix() {
    let b = bundle(Some(OTHER_KEY), Some(VALID_CERT));
    let s = ASSERTION_SIGNATURE.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(s.status, Status::Fail);
    assert!(s.message.contains("invalid assertion"), "{}", s.message);
    let fix = s.fix.unwrap();
    assert!(fix.contains("openssl x509 -req -sha256"), "{fix}");
    assert!(fix.contains("Flow Enablement"), "{fix}");
    assert_eq!(s.evidence["verified"], false);
    assert_ne!(
        s.evidence["key_fingerprint"],
        s.evidence["cert_fingerprint"]
    );
    // The claims are fine: the key is not their business.
    assert_eq!(
        ASSERTION_CLAIMS
            .outcome(&b, &ctx(), &mut Scratch::default())
            .status,
        Status::Pass
    );
}

#[test]
fn missing_inputs_skip_and_say_which() {
    let b = bundle(None, Some(VALID_CERT));
    for check in [&ASSERTION_CLAIMS, &ASSERTION_SIGNATURE] {
        let o = check.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("private key"), "{}", o.message);
    }

    let b = bundle(Some(VALID_KEY), None);
    assert_eq!(
        ASSERTION_CLAIMS
            .outcome(&b, &ctx(), &mut Scratch::default())
            .status,
        Status::Pass
    );
    let o = ASSERTION_SIGNATURE.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Skip);
    assert!(o.message.contains("certificate"), "{}", o.message);

    let mut b = valid();
    b.consumer_key = None;
    b.login_url = None;
    for check in [&ASSERTION_CLAIMS, &ASSERTION_SIGNATURE] {
        let o = check.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("no consumer key"), "{}", o.message);
        assert!(o.message.contains("--login-url"), "{}", o.message);
        assert!(!o.message.contains("no username"), "{}", o.message);
    }

    let mut b = valid();
    b.username = None;
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert!(o.message.contains("no username for sub"), "{}", o.message);

    let mut b = valid();
    b.login_url = flag("https://acme.lightning.force.com", "--login-url");
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Skip);
    assert!(o.message.contains("login-url.host"), "{}", o.message);

    let mut b = valid();
    b.key.state = Loaded::Invalid(crate::bundle::key::KeyError::Empty);
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Skip);
    assert!(o.message.contains("key.parse"), "{}", o.message);
}

#[test]
fn the_audience_flag_overrides_and_is_judged() {
    let mut b = valid();
    b.audience = flag("login.salesforce.com", "--audience");
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("aud.format"), "{}", o.message);
    assert_eq!(o.steps, Some(vec![5, 7]));
    assert_eq!(o.evidence["aud_source"], "--audience");
    assert!(
        details(&o)
            .iter()
            .any(|l| l.starts_with("fail aud.format: ")),
        "{:?}",
        details(&o)
    );

    // A My Domain aud with the generic login URL: a warning, not a failure.
    b.audience = flag("https://acme.my.salesforce.com", "--audience");
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Warn, "{}", o.message);

    // Sandbox login URL: test.salesforce.com is derived.
    let mut b = valid();
    b.login_url = flag("test.salesforce.com", "--login-url");
    b.username = flag("integration@acme.com.uat", "--username");
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Pass, "{}", o.message);
    assert_eq!(o.evidence["claims"]["aud"], "https://test.salesforce.com");

    // A bad username is username.format's finding: the claims leave it there (one mistake,
    // one finding) and say so.
    let mut b = valid();
    b.username = flag("integration@acme.com ", "--username");
    let o = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Pass, "{}", o.message);
    assert!(
        o.message.ends_with("; sub.format: see username.format"),
        "{}",
        o.message
    );
    let sub = o.evidence["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "sub.format")
        .unwrap();
    assert_eq!(sub["status"], "skip");
    assert_eq!(
        sub["message"],
        "sub is the username given (see username.format)"
    );
}

#[test]
fn each_bundle_costs_one_signature() {
    let mut b = valid();
    b.username = flag("one-signature@acme.com", "--username");
    let before = SIGNATURES.with(|c| c.get());
    let findings = crate::checks::run_all(&b, &ctx(), &mut Scratch::default());
    let after = SIGNATURES.with(|c| c.get());
    assert_eq!(after - before, 1);
    for id in ["assertion.claims", "assertion.signature"] {
        let f = findings.iter().find(|f| f.id == id).unwrap();
        assert_eq!(f.status, Status::Pass, "{id}: {}", f.message);
    }
}

#[test]
fn the_assertion_is_shown_only_when_asked_for() {
    let mut b = valid();
    b.username = flag("show-assertion@acme.com", "--username");
    let hidden = ASSERTION_CLAIMS.outcome(&b, &ctx(), &mut Scratch::default());
    let mut c = ctx();
    c.show_assertion = true;
    let shown = ASSERTION_CLAIMS.outcome(&b, &c, &mut Scratch::default());
    let token = shown.evidence["assertion"].as_str().unwrap().to_string();
    assert_eq!(token.split('.').count(), 3);
    let signature = token.rsplit('.').next().unwrap();
    let everything = |o: &Outcome| {
        format!(
            "{} {:?} {}",
            o.message,
            o.fix,
            Value::Object(o.evidence.clone())
        )
    };
    assert!(!everything(&hidden).contains(signature));
    assert!(
        !everything(&ASSERTION_SIGNATURE.outcome(&b, &ctx(), &mut Scratch::default()))
            .contains(signature)
    );
    let d = details(&shown);
    assert!(
        d.iter()
            .any(|l| l.contains("WARNING") && l.contains("credential until 2026-11-29T13:03:00Z"))
    );
    assert!(d.last().unwrap().ends_with(&token));
    assert!(
        shown.evidence["assertion_warning"]
            .as_str()
            .unwrap()
            .contains("credential")
    );
}

#[test]
fn signature_outcomes_name_each_failure() {
    let cert = decode_certificates(VALID_CERT).unwrap().first;
    let fp = cert.fingerprint();
    for (v, phrase) in [
        (Verification::Unsigned, "no signature"),
        (
            Verification::Hmac {
                alg: "HS256".into(),
            },
            "HMAC",
        ),
        (
            Verification::Unsupported {
                alg: "ES256".into(),
            },
            "ES256",
        ),
        (Verification::NoAlg, "no algorithm"),
        (Verification::CertKeyNotRsa, "not RSA"),
        (
            Verification::WrongLength {
                got: 200,
                expected: 256,
            },
            "cut short",
        ),
        (
            Verification::Mismatch {
                alg: "RS256".into(),
            },
            "another key",
        ),
    ] {
        let o = signature_outcome("the token", &v, Some(&cert), None);
        assert_eq!(o.status, Status::Fail, "{v:?}");
        assert!(o.message.contains(phrase), "{v:?}: {}", o.message);
        assert!(o.fix.is_some());
        assert_eq!(o.evidence["cert_fingerprint"], fp.as_str());
    }
    let o = signature_outcome("the token", &Verification::Unsigned, None, None);
    assert_eq!(o.status, Status::Fail);
    assert!(o.evidence.get("cert_fingerprint").is_none());
}
