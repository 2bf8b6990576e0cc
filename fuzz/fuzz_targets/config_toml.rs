//! `sfjwt.toml` parsing, including the refusal of plain-text secrets.
//! The body is `sfjwt::fuzzing::config_toml`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::config_toml(data));
