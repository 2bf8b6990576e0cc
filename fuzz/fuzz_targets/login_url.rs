//! Login URL classification, and the username, consumer key and secret judged against it.
//! The body is `sfjwt::fuzzing::login_url`, shared with `tests/cli/fuzz_corpus.rs`
//! (which replays the seeds in CI).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| sfjwt::fuzzing::login_url(data));
