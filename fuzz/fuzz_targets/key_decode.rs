//! Key decoding: PEM, DER, PKCS#1, PKCS#8 and encrypted PKCS#8, with and without a passphrase.
//! The body is `sfjwt::fuzzing::key_decode`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::key_decode(data));
