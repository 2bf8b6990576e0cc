//! Replays the committed fuzz seeds (`fuzz/corpus/TARGET/seed-*`) through the functions the fuzz
//! targets in `fuzz/fuzz_targets/` call (`sfjwt::fuzzing`), without libFuzzer: what the fuzzers
//! found stays fixed in CI, which never builds the fuzz crate. A crash a fuzzer finds is committed as
//! `seed-regression-*` in its target's corpus (see docs/fuzzing.md), and so replayed here.

use std::path::Path;
use std::time::Instant;

use crate::common::PATIENCE;

use sfjwt::fuzzing;

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

/// Runs `f` on every seed of `target`; one that has not returned after [`PATIENCE`] (debug
/// build, a loaded 2-core machine) has hung. A seed that is merely slow is found by the fuzzer's
/// own timeout, not here.
fn replay(target: &str, f: impl Fn(&[u8])) {
    for (name, bytes) in seeds(target) {
        let started = Instant::now();
        f(&bytes);
        let took = started.elapsed();
        assert!(took < PATIENCE, "{target}/{name} took {took:?}");
    }
}

#[test]
fn key_decode() {
    replay("key_decode", fuzzing::key_decode);
}

#[test]
fn cert_decode() {
    replay("cert_decode", fuzzing::cert_decode);
}

#[test]
fn pem_repair() {
    replay("pem_repair", fuzzing::pem_repair);
}

#[test]
fn login_url() {
    replay("login_url", fuzzing::login_url);
}

#[test]
fn error_match() {
    replay("error_match", fuzzing::error_match);
}

#[test]
fn config_toml() {
    replay("config_toml", fuzzing::config_toml);
}

#[test]
fn live_response() {
    replay("live_response", fuzzing::live_response);
}

#[test]
fn jwt_decode() {
    let cert =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid/server.crt"))
            .unwrap();
    replay("jwt_decode", |data| fuzzing::jwt_decode(data, &cert));
}

#[test]
fn redaction() {
    replay("redaction", fuzzing::redaction);
}
