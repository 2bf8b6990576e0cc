//! The PEM repairer: text detection, the repairs, the block splitter, base64 and the DER reader.
//! The body is `sfjwt::fuzzing::pem_repair`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::pem_repair(data));
