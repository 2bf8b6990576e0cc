//! Decoding the RSA private key from whatever the user has: PEM or DER, PKCS#1 or PKCS#8,
//! encrypted PKCS#8 with a passphrase; and recognising what is not a private key.
//! STUB: to be implemented.

use std::fmt;

/// How the key was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    Pkcs1Pem,
    Pkcs8Pem,
    EncryptedPkcs8Pem,
    Pkcs1Der,
    Pkcs8Der,
    EncryptedPkcs8Der,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::Pkcs1Pem => "PKCS#1 PEM",
            KeyFormat::Pkcs8Pem => "PKCS#8 PEM",
            KeyFormat::EncryptedPkcs8Pem => "encrypted PKCS#8 PEM",
            KeyFormat::Pkcs1Der => "PKCS#1 DER",
            KeyFormat::Pkcs8Der => "PKCS#8 DER",
            KeyFormat::EncryptedPkcs8Der => "encrypted PKCS#8 DER",
        })
    }
}

/// A decoded RSA private key.
#[derive(Debug)]
pub struct PrivateKey {
    pub key: rsa::PrivateKey,
    pub format: KeyFormat,
    /// Modulus size in bits.
    pub bits: usize,
    /// DER SubjectPublicKeyInfo of the public half: compare with the certificate's.
    pub spki_der: Vec<u8>,
    /// What had to be repaired in the text before it decoded (literal `\n`, CRLF, BOM...).
    pub repairs: Vec<String>,
}

impl PrivateKey {
    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(&self.spki_der)
    }
}

/// Why the bytes given as the private key are not a usable RSA private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    NeedsPassphrase,
}

impl KeyError {
    /// What is wrong, in plain words (no key material).
    pub fn message(&self) -> String {
        "the file is empty".into()
    }
    /// How to fix it.
    pub fn fix(&self) -> String {
        "give the server.key".into()
    }
    /// A stable short code for JSON evidence, e.g. `empty`, `is-certificate`.
    pub fn code(&self) -> &'static str {
        "empty"
    }
}

/// Decodes a private key.
pub fn decode_private_key(
    _bytes: &[u8],
    _passphrase: Option<&[u8]>,
) -> Result<PrivateKey, KeyError> {
    Err(KeyError::Empty)
}
