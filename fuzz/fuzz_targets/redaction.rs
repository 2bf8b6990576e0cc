//! Argument screening, look-alike detection, the Redactor and display-safe text. The body is
//! `sfjwt::fuzzing::redaction`, shared with `tests/cli/fuzz_corpus.rs` (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::redaction(data));
