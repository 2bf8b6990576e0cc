//! The error-text matcher behind `sfjwt explain`, and its text and JSON renderings.
//! The body is `sfjwt::fuzzing::error_match`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::error_match(data));
