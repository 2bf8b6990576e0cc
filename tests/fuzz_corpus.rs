//! Replays the committed fuzz seeds (`fuzz/corpus/TARGET/seed-*`) through the same library calls
//! as the fuzz targets in `fuzz/fuzz_targets/`, without libFuzzer: what the fuzzers found stays
//! fixed in CI, which never builds the fuzz crate. A crash a fuzzer finds is committed as
//! `seed-regression-*` in its target's corpus (see docs/fuzzing.md), and so replayed here.

use std::path::Path;
use std::time::{Duration, Instant};

use sfjwt::bundle::{cert, config, key, pem_text};
use sfjwt::jwt::{self, Expectations};
use sfjwt::salesforce::{errors, hosts, identity, token};

/// The seeds of one target, with their names.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{target} has seeds");
    out
}

/// Runs `f` on every seed of `target`; each must return within 5 seconds (debug build).
fn replay(target: &str, f: impl Fn(&[u8])) {
    for (name, bytes) in seeds(target) {
        let started = Instant::now();
        f(&bytes);
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(5),
            "{target}/{name} took {took:?}"
        );
    }
}

#[test]
fn key_decode() {
    replay("key_decode", |data| {
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
            Ok(k) => assert!(k.bits > 0 && k.fingerprint().starts_with("sha256:")),
            Err(e) => assert!(!e.message().is_empty() && !e.fix().is_empty()),
        }
    });
}

#[test]
fn cert_decode() {
    replay("cert_decode", |data| {
        match cert::decode_certificates(data) {
            Ok(file) => assert!(file.first.fingerprint().starts_with("sha256:")),
            Err(e) => assert!(!e.message().is_empty() && !e.fix().is_empty()),
        }
    });
}

#[test]
fn pem_repair() {
    replay("pem_repair", |data| {
        if let Some(repaired) = pem_text::decode_text(data) {
            for block in pem_text::blocks(&repaired.text) {
                if let Ok(body) = &block.body {
                    let _ = pem_text::der::shape(body);
                }
            }
        }
        let _ = pem_text::der::shape(data);
    });
}

#[test]
fn jwt_decode() {
    let cert = std::fs::read("fixtures/valid/server.crt").unwrap();
    let at = time::OffsetDateTime::from_unix_timestamp(1_795_957_200).unwrap();
    replay("jwt_decode", |data| {
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
        let with_cert = (selector & 4 != 0).then_some(cert.as_slice());
        let report = sfjwt::decode::build(&decoded, &expect, with_cert, None, at);
        let _ = sfjwt::decode::render_text(&report, &decoded, at);
    });
}

#[test]
fn login_url() {
    replay("login_url", |data| {
        let text = String::from_utf8_lossy(data);
        if let Ok(url) = hosts::parse(&text) {
            let _ = url.accepted_audiences();
            let _ = identity::assess_username_environment(&text, &url);
        }
        let _ = identity::assess_username(&text);
        let _ = identity::assess_consumer_key(&text);
        let _ = identity::assess_consumer_secret(&text);
    });
}

#[test]
fn error_match() {
    replay("error_match", |data| {
        let text = String::from_utf8_lossy(data);
        let found = errors::match_text(&text);
        let _ = sfjwt::explain::matches_text(&found);
        let _ = sfjwt::explain::subject(&text);
    });
}

#[test]
fn config_toml() {
    replay("config_toml", |data| {
        if let Ok(text) = std::str::from_utf8(data) {
            match config::parse(text) {
                Ok(_) => {}
                Err(problem) => assert!(!problem.is_empty()),
            }
        }
    });
}

#[test]
fn live_response() {
    replay("live_response", |data| {
        let [hi, lo, ct, body @ ..] = data else {
            return;
        };
        let status = 100 + u16::from_be_bytes([*hi, *lo]) % 500;
        // As fuzz/fuzz_targets/live_response.rs picks it.
        let content_types = [
            None,
            Some("application/json;charset=UTF-8"),
            Some("text/html"),
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("APPLICATION/JSON"),
        ];
        let content_type = content_types[usize::from(*ct) % content_types.len()];
        let _ = errors::match_response(status, content_type, body);
        let response = token::Response {
            status,
            content_type: content_type.map(str::to_string),
            location: None,
            body: body.to_vec(),
            truncated: false,
            elapsed: Duration::from_millis(1),
        };
        if let token::TokenAnswer::Issued(issued) = token::parse_token_response(&response) {
            assert_eq!(
                format!("{:?}", issued.access_token),
                "AccessToken(<redacted>)"
            );
        }
        let _ = token::parse_introspection(&response);
    });
}
