//! Response parsing of `sfjwt check --live`: the error catalog over an HTTP answer, the token and
//! introspection parsers, and redaction.
//! The body is `sfjwt::fuzzing::live_response`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::live_response(data));
