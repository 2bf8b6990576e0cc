//! `sfjwt.toml` parsing, including the refusal of plain-text secrets.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match sfjwt::bundle::config::parse(text) {
        Ok(config) => {
            let _ = format!("{config:?}");
        }
        Err(problem) => assert!(!problem.is_empty()),
    }
});
