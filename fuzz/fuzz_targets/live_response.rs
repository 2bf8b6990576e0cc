//! Response parsing of `sfjwt check --live`: `match_response` (the error catalog over an HTTP
//! answer), the token response parser, the introspection parser, and redaction.
//!
//! The first two bytes are the HTTP status, the third picks the Content-Type; the rest is the
//! body.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use sfjwt::salesforce::{errors, token};

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json;charset=UTF-8"),
    Some("text/html"),
    Some("text/plain"),
    Some("application/x-www-form-urlencoded"),
    Some("APPLICATION/JSON"),
];

fuzz_target!(|data: &[u8]| {
    let [hi, lo, ct, body @ ..] = data else {
        return;
    };
    let status = 100 + u16::from_be_bytes([*hi, *lo]) % 500;
    let content_type = CONTENT_TYPES[usize::from(*ct) % CONTENT_TYPES.len()];
    let _ = errors::match_response(status, content_type, body);
    let response = token::Response {
        status,
        content_type: content_type.map(str::to_string),
        location: (status / 100 == 3).then(|| "https://acme.lightning.force.com/".to_string()),
        body: body.to_vec(),
        truncated: false,
        elapsed: Duration::from_millis(5),
    };
    if let token::TokenAnswer::Issued(issued) = token::parse_token_response(&response) {
        let _ = issued.access_token.fingerprint();
        let _ = issued.access_token.kind();
        // Debug never shows the token. (Compared whole: a token such as `n(<redacted>` is a
        // substring of the redacted form, which the first version of this check took for a leak.)
        assert_eq!(
            format!("{:?}", issued.access_token),
            "AccessToken(<redacted>)"
        );
    }
    let _ = token::parse_introspection(&response);
    let text = String::from_utf8_lossy(body);
    let _ = token::redact(&text, &["00Dxx0000001gEH!AQ4AQFakeToken", "secret-secret"]);
});
