//! Key decoding: PEM, DER, PKCS#1, PKCS#8 and encrypted PKCS#8, with and without a passphrase.
//!
//! The first byte picks the passphrase: none, the fixtures' passphrase (so mutations of
//! `fixtures/encrypted-key/server.pass.key` reach the decryption and the decoder behind it), the
//! same with a trailing line break (the retry path), or a wrong one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::bundle::key::decode_private_key;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let passphrase: Option<&[u8]> = match selector % 4 {
        0 => None,
        1 => Some(b"sfjwt-fixture-passphrase"),
        2 => Some(b"sfjwt-fixture-passphrase\r\n"),
        _ => Some(b"wrong"),
    };
    match decode_private_key(bytes, passphrase) {
        Ok(key) => {
            let _ = key.fingerprint();
            assert!(key.bits > 0);
        }
        Err(e) => {
            // Every error renders, and never repeats the input (it could be the key).
            let (message, fix, code) = (e.message(), e.fix(), e.code());
            assert!(!message.is_empty() && !fix.is_empty() && !code.is_empty());
        }
    }
});
