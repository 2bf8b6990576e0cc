//! Certificate decoding: PEM (one certificate or a chain), DER, and everything that is not one.
//! The body is `sfjwt::fuzzing::cert_decode`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::cert_decode(data));
