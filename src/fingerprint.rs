//! Fingerprints: how sfjwt shows a value that must be compared but never printed.

use sha2::{Digest, Sha256};

/// `sha256:` and the first 12 hex digits of the SHA-256 of `bytes`.
///
/// For keys and certificates, pass the DER `SubjectPublicKeyInfo`, so the private key and the
/// certificate that carries its public half show the same fingerprint.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::from("sha256:");
    for b in &digest[..6] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256_prefix_with_twelve_hex_digits() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223...
        assert_eq!(fingerprint(b"abc"), "sha256:ba7816bf8f01");
    }
}
