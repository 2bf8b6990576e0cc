//! Decoding the certificate uploaded to the app (`server.crt`): PEM or DER, a chain, and
//! recognising what is not a certificate.
//! STUB: to be implemented.

use time::OffsetDateTime;

/// How strong the hash of the certificate's signature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashStrength {
    /// SHA-256 or stronger.
    Strong,
    /// SHA-1, MD5, MD2.
    Weak,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// e.g. `sha256WithRSAEncryption`.
    pub name: String,
    pub oid: String,
    pub strength: HashStrength,
}

/// The certificate's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertPublicKey {
    Rsa { bits: usize },
    Ec { curve: String },
    Other { algorithm: String },
}

#[derive(Debug, Clone)]
pub struct Certificate {
    pub der: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    /// Serial number in colon-free lower-case hex.
    pub serial: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub signature_algorithm: SignatureAlgorithm,
    pub public_key: CertPublicKey,
    /// DER SubjectPublicKeyInfo: compare with the private key's.
    pub spki_der: Vec<u8>,
    pub self_signed: bool,
}

impl Certificate {
    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(&self.spki_der)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertFormat {
    Pem,
    Der,
}

/// A certificate file: the first certificate is the one checked; the rest of a chain is listed.
#[derive(Debug, Clone)]
pub struct CertificateFile {
    pub first: Certificate,
    /// Subjects of the other certificates in the file, in order.
    pub others: Vec<String>,
    pub format: CertFormat,
    pub repairs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertError {
    Empty,
}

impl CertError {
    pub fn message(&self) -> String {
        "the file is empty".into()
    }
    pub fn fix(&self) -> String {
        "give server.crt".into()
    }
    pub fn code(&self) -> &'static str {
        "empty"
    }
}

pub fn decode_certificates(_bytes: &[u8]) -> Result<CertificateFile, CertError> {
    Err(CertError::Empty)
}
