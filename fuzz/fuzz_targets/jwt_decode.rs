//! JWT decoding and claim linting: `decode_bytes`, every rule, the signature precheck and
//! verification against the fixtures' certificate, and both renderings (text, JSON) of `sfjwt decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::jwt::{self, Expectations};
use time::OffsetDateTime;

const CERT: &[u8] = include_bytes!("../../fixtures/valid/server.crt");

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let Ok(decoded) = jwt::decode_bytes(bytes) else {
        return;
    };
    let expect = if selector & 1 == 0 {
        Expectations::default()
    } else {
        Expectations {
            consumer_key: Some(
                "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D",
            ),
            username: Some("integration@acme.com"),
            login_url: Some(if selector & 2 == 0 {
                "https://login.salesforce.com"
            } else {
                "acme--dev.sandbox.my.salesforce.com"
            }),
        }
    };
    // 2026-11-29T13:00:00Z
    let at = OffsetDateTime::from_unix_timestamp(1_795_957_200).unwrap();
    let cert = (selector & 4 != 0).then_some(CERT);
    let report = sfjwt::decode::build(&decoded, &expect, cert, None, at);
    let _ = sfjwt::decode::render_text(&report, &decoded, at);
    let _ = serde_json::to_string_pretty(&report);
    let _ = decoded.header_json();
    let _ = decoded.claims_json();
});
