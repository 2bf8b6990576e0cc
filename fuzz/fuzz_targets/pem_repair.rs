//! The PEM repairer: text detection (BOM, UTF-16, lossy), the repairs (literal `\n`, CRLF,
//! quotes, one-line PEM...), the block splitter, base64 and the minimal DER reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::bundle::pem_text::{self, der};

fuzz_target!(|data: &[u8]| {
    if let Some(repaired) = pem_text::decode_text(data) {
        for block in pem_text::blocks(&repaired.text) {
            let _ = block.header("Proc-Type");
            if let Ok(body) = &block.body {
                let _ = der::shape(body);
            }
        }
        let _ = pem_text::is_bare_base64(&repaired.text);
        let _ = pem_text::base64_decode(&repaired.text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let again = pem_text::repair(text);
        let _ = pem_text::blocks(&again.text);
    }
    // The DER reader on raw bytes.
    let _ = der::shape(data);
    if let Ok(kids) = der::children(data) {
        for kid in kids {
            let _ = der::oid_string(kid.value);
            let _ = der::algorithm(&kid);
            let _ = der::integer_bits(kid.value);
        }
    }
});
