//! JWT decoding and claim linting, the signature check against the fixtures' certificate, and
//! both renderings of `sfjwt decode`.
//! The body is `sfjwt::fuzzing::jwt_decode`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

const CERT: &[u8] = include_bytes!("../../fixtures/valid/server.crt");

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::jwt_decode(data, CERT));
