//! Certificate decoding: PEM (one certificate or a chain), DER, and everything that is not one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::bundle::cert::decode_certificates;

fuzz_target!(|data: &[u8]| {
    match decode_certificates(data) {
        Ok(file) => {
            let _ = file.first.fingerprint();
            let _ = format!("{:?}", file.first);
        }
        Err(e) => {
            let (message, fix, code) = (e.message(), e.fix(), e.code());
            assert!(!message.is_empty() && !fix.is_empty() && !code.is_empty());
        }
    }
});
