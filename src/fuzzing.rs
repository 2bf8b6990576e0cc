//! The bodies of the fuzz targets, one function per target.
//!
//! `fuzz/fuzz_targets/*.rs` (libFuzzer, its own workspace, not in CI) and `tests/cli/fuzz_corpus.rs`
//! (which replays the committed seeds in CI) both call these, so a seed is replayed through exactly
//! the calls the fuzzer made. Each function takes the raw fuzz input, drives one parser and what is
//! built on it, and panics only when an invariant breaks (an error without a message or fix, a
//! redacted value that shows itself): a panic is what the fuzzer reports as a crash.
//!
//! Not part of sfjwt's interface; hidden from the documentation.

use std::time::Duration;

use time::OffsetDateTime;

use crate::bundle::pem_text::{self, der};
use crate::bundle::{cert, config, key};
use crate::commands::{decode, explain};
use crate::jwt::{self, Expectations};
use crate::salesforce::{errors, hosts, identity, paste, token};

/// The time the fuzzed JWTs are judged at: 2026-11-29T13:00:00Z, as the tests' `--at`.
const AT_UNIX: i64 = 1_795_957_200;

/// Key decoding: PEM, DER, PKCS#1, PKCS#8 and encrypted PKCS#8, with and without a passphrase.
///
/// The first byte picks the passphrase: none, the fixtures' passphrase (so mutations of
/// `fixtures/encrypted-key/server.pass.key` reach the decryption and the decoder behind it), the
/// same with a trailing line break (the retry path), or a wrong one.
pub fn key_decode(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let passphrase: Option<&[u8]> = match selector % 4 {
        0 => None,
        1 => Some(b"sfjwt-fixture-passphrase"),
        2 => Some(b"sfjwt-fixture-passphrase\r\n"),
        _ => Some(b"wrong"),
    };
    match key::decode_private_key(bytes, passphrase) {
        Ok(key) => {
            assert!(key.bits > 0);
            assert!(key.fingerprint().starts_with("sha256:"));
        }
        // Every error renders. (It never repeats the input, which could be the key: the secrets
        // tests check that with canaries.)
        Err(e) => assert!(!e.message().is_empty() && !e.fix().is_empty() && !e.code().is_empty()),
    }
}

/// Certificate decoding: PEM (one certificate or a chain), DER, and everything that is not one.
pub fn cert_decode(data: &[u8]) {
    match cert::decode_certificates(data) {
        Ok(file) => {
            assert!(file.first.fingerprint().starts_with("sha256:"));
            let _ = format!("{:?}", file.first);
        }
        Err(e) => assert!(!e.message().is_empty() && !e.fix().is_empty() && !e.code().is_empty()),
    }
}

/// The PEM repairer: text detection (BOM, UTF-16, lossy), the repairs (literal `\n`, CRLF, quotes,
/// one-line PEM...), the block splitter, base64 and the minimal DER reader.
pub fn pem_repair(data: &[u8]) {
    if let Some(repaired) = pem_text::decode_text(data) {
        for block in pem_text::blocks(&repaired.text) {
            let _ = block.header("Proc-Type");
            if let Ok(body) = &block.body {
                let _ = der::shape(body);
            }
        }
        let _ = pem_text::is_bare_base64(&repaired.text);
        let _ = pem_text::base64_decode(&repaired.text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let again = pem_text::repair(text);
        let _ = pem_text::blocks(&again.text);
    }
    // The DER reader on raw bytes.
    let _ = der::shape(data);
    if let Ok(kids) = der::children(data) {
        for kid in kids {
            let _ = der::oid_string(kid.value);
            let _ = der::algorithm(&kid);
            let _ = der::integer_bits(kid.value);
        }
    }
}

/// JWT decoding and claim linting: `decode_bytes`, every rule, the signature precheck and
/// verification against `cert` (the fixtures' certificate), and both renderings of `sfjwt decode`.
///
/// The first byte picks the expectations (none, or a consumer key, username and a production or
/// sandbox login URL) and whether the certificate is given.
pub fn jwt_decode(data: &[u8], cert: &[u8]) {
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
            ..Default::default()
        }
    };
    let at = OffsetDateTime::from_unix_timestamp(AT_UNIX).expect("a valid timestamp");
    let cert = (selector & 4 != 0).then_some(cert);
    let report = decode::build(&decoded, &expect, cert, None, at);
    let _ = decode::render_text(&report, &decoded, at);
    let _ = serde_json::to_string_pretty(&report);
    let _ = decoded.header_json();
    let _ = decoded.claims_json();
}

/// Login URL classification (`hosts::parse`), and the identity shapes judged against it:
/// username, consumer key, consumer secret.
pub fn login_url(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match hosts::parse(&text) {
        Ok(url) => {
            let _ = url.origin();
            let _ = url.base_url();
            let _ = url.accepted_audiences();
            let _ = url.token_endpoint();
            let _ = url.describe();
            let _ = identity::assess_username_environment("integration@acme.com.uat", &url);
            let _ = identity::assess_username_environment(&text, &url);
        }
        Err(rejection) => {
            assert!(!rejection.message.is_empty() && !rejection.fix().is_empty());
        }
    }
    let _ = crate::text::quoted(&text);
    let _ = identity::assess_username(&text);
    let _ = identity::assess_consumer_key(&text);
    let _ = identity::assess_consumer_secret(&text);
    let _ = identity::shorten_key(&text);
    let _ = identity::sandbox_suffix(&text);
    // Split in two: an edit distance between arbitrary strings (used for "did you mean").
    let mid = paste::floor_char_boundary(&text, text.len() / 2);
    let (a, b) = text.split_at(mid);
    if a.len() <= 256 && b.len() <= 256 {
        let _ = hosts::edit_distance(a, b);
    }
}

/// The error-text matcher behind `sfjwt explain`: normalisation, the catalog patterns, the
/// wrappers, and the text and JSON renderings of what matched. A 0x1f byte splits the input into
/// an `error` and an `error_description` for `match_pair`.
pub fn error_match(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let found = errors::match_text(&text);
    let _ = explain::matches_text(&found);
    let _ = serde_json::to_string(&explain::matches_json(&found));
    let _ = explain::subject(&text);
    if let Some((first, rest)) = text.split_once('\u{1f}') {
        let _ = errors::match_pair(Some(first), Some(rest));
    }
}

/// `sfjwt.toml` parsing, including the refusal of plain-text secrets.
pub fn config_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match config::parse(text) {
        Ok(config) => {
            let _ = format!("{config:?}");
        }
        Err(problem) => assert!(!problem.is_empty()),
    }
}

/// The Content-Types [`live_response`] picks from.
const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json;charset=UTF-8"),
    Some("text/html"),
    Some("text/plain"),
    Some("application/x-www-form-urlencoded"),
    Some("APPLICATION/JSON"),
];

/// Response parsing of `sfjwt check --live`: `match_response` (the error catalog over an HTTP
/// answer), the token response parser, the introspection parser, and redaction.
///
/// The first two bytes are the HTTP status, the third picks the Content-Type; the rest is the body.
pub fn live_response(data: &[u8]) {
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
        date: None,
        body: body.to_vec(),
        truncated: false,
        elapsed: Duration::from_millis(5),
    };
    if let token::TokenAnswer::Issued(issued) = token::parse_token_response(&response) {
        let _ = issued.access_token.fingerprint();
        let _ = issued.access_token.kind();
        // Debug never shows the token. (Compared whole: a token such as `n(<redacted>` is a
        // substring of the redacted form, which a first version of this check took for a leak.)
        assert_eq!(
            format!("{:?}", issued.access_token),
            "AccessToken(<redacted>)"
        );
    }
    let _ = token::parse_introspection(&response);
    let text = String::from_utf8_lossy(body);
    let mut secrets = crate::redact::Redactor::new();
    secrets.add("00Dxx0000001gEH!AQ4AQFakeToken", "access token");
    secrets.add("secret-secret", "consumer secret");
    let _ = crate::lookalike::redact_lookalikes(&secrets.scrub(&text));
}

/// The secret-in-the-wrong-place machinery: argument screening, look-alike detection, the
/// Redactor and display-safe text, over arbitrary text. A 0x1f byte splits the input into a
/// secret and a text the secret is planted in; 0x00 bytes split the text into arguments.
///
/// Checked, besides never panicking: a scrubbed text holds no 16-byte run of the secret, and
/// display-safe text holds no character it escapes.
pub fn redaction(data: &[u8]) {
    use clap::CommandFactory;
    let text = String::from_utf8_lossy(data);
    let (secret, rest) = text.split_once('\u{1f}').unwrap_or(("", &text));
    let mut known = crate::redact::Redactor::new();
    known.add(secret, "consumer secret");
    crate::lookalike::add_key_material(&mut known, secret.as_bytes());
    let planted = format!("{rest}{secret}{rest}");
    let scrubbed = known.scrub(&planted);
    if secret.len() >= crate::redact::WINDOW {
        // What was not replaced holds no piece of the secret. (The replacement's own words may:
        // a secret can hold "consumer secret]".)
        let kept: Vec<&str> = scrubbed
            .split("[redacted: consumer secret]")
            .flat_map(|s| s.split("[redacted: private key]"))
            .collect();
        for (i, _) in secret.char_indices() {
            if let Some(piece) = secret.get(i..i + crate::redact::WINDOW) {
                assert!(
                    !kept.iter().any(|k| k.contains(piece)),
                    "a piece of the secret survived"
                );
            }
        }
    }
    let safe = crate::text::display_safe(&scrubbed);
    assert!(!safe.chars().any(crate::text::needs_escape));
    let _ = crate::lookalike::secret_shape(rest);
    let _ = crate::lookalike::redact_lookalikes(rest);
    let _ = crate::cli::argv::clean(rest, &known);
    let args: Vec<std::ffi::OsString> = std::iter::once("sfjwt")
        .chain(rest.split('\0'))
        .map(std::ffi::OsString::from)
        .collect();
    let _ = crate::cli::argv::screen(&args, &crate::cli::Cli::command(), &known);
}
