//! Decoding the certificate uploaded to the app (`server.crt`): PEM or DER, a chain, and
//! recognising what is not a certificate (the private key, the CSR, a public key...).
//!
//! Nothing here panics on any input.

use std::fmt;

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::key::{CMD_CERT, CMD_CSR, CMD_GENKEY, UPLOAD_CERT, curve_name, key_algorithm_name};
use super::pem_text::{self, der};

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

impl fmt::Display for CertPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertPublicKey::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            CertPublicKey::Ec { curve } => write!(f, "EC {curve}"),
            CertPublicKey::Other { algorithm } => write!(f, "{algorithm}"),
        }
    }
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
    /// Subject and issuer are the same name (what `openssl x509 -req -signkey` makes).
    pub self_signed: bool,
}

impl Certificate {
    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(&self.spki_der)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum CertFormat {
    Pem,
    Der,
}

impl fmt::Display for CertFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CertFormat::Pem => "PEM",
            CertFormat::Der => "DER",
        })
    }
}

impl CertFormat {
    /// A stable short code for JSON evidence, e.g. `pem`.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A certificate file: the first certificate is the one checked; the rest of a chain is listed.
#[derive(Debug, Clone)]
pub struct CertificateFile {
    pub first: Certificate,
    /// Subjects of the other certificates in the file, in order.
    pub others: Vec<String>,
    /// The other certificates that read, in order (for hints: e.g. the key's certificate is
    /// not the first).
    pub rest: Vec<Certificate>,
    pub format: CertFormat,
    pub repairs: Vec<String>,
    /// The file also holds a private key (it must never be uploaded).
    pub contains_private_key: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum CertError {
    /// Zero bytes.
    Empty,
    /// Only spaces and line breaks.
    WhitespaceOnly,
    /// Text without a `-----BEGIN ...-----` line.
    NotPem,
    /// Binary data that is not DER of any kind sfjwt knows.
    Unrecognised,
    /// `-----BEGIN` without `-----END`, or DER shorter than its header announces.
    Truncated,
    /// The base64 between BEGIN and END is damaged.
    BadBase64,
    /// Has the shape of a certificate, but does not read as X.509.
    Malformed,
    /// The private key given as the certificate.
    IsPrivateKey { encrypted: bool },
    /// The certificate signing request (`server.csr`) given as the certificate.
    IsCsr,
    /// A bare public key given as the certificate.
    IsPublicKey,
    /// A PKCS#12 bundle (`.p12` / `.pfx`).
    Pkcs12,
    /// A PKCS#7 bundle (`.p7b` / `.p7c`).
    Pkcs7,
    /// A PEM block of another kind.
    #[strum(serialize = "unexpected-pem")]
    OtherPem { label: String },
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for CertError {}

impl CertError {
    pub fn message(&self) -> String {
        match self {
            CertError::Empty => "the certificate is empty (0 bytes)".into(),
            CertError::WhitespaceOnly => "the certificate holds only spaces and line breaks".into(),
            CertError::NotPem => "the certificate is text without a -----BEGIN CERTIFICATE----- line".into(),
            CertError::Unrecognised => "the certificate is binary data that is neither PEM nor a DER certificate".into(),
            CertError::Truncated => "the certificate is cut short: its end is missing (a -----BEGIN line without its -----END line, or fewer bytes than it announces)".into(),
            CertError::BadBase64 => "the base64 text of the certificate is damaged: it has characters that are not base64, or some are missing".into(),
            CertError::Malformed => "the certificate has the shape of an X.509 certificate but does not read as one: it is corrupted".into(),
            CertError::IsPrivateKey { encrypted } => format!(
                "this is the {}private key (server.key), not the certificate: never upload the private key; Salesforce needs server.crt",
                if *encrypted { "encrypted " } else { "" }
            ),
            CertError::IsCsr => "this is the certificate signing request (server.csr), not the certificate: Salesforce needs server.crt, the certificate made from it".into(),
            CertError::IsPublicKey => "this is a bare public key, not a certificate: Salesforce needs an X.509 certificate (server.crt)".into(),
            CertError::Pkcs12 => "this is a PKCS#12 bundle (.p12 / .pfx), which holds the private key; Salesforce needs the certificate alone (server.crt)".into(),
            CertError::Pkcs7 => "this is a PKCS#7 bundle (.p7b) of certificates, not a single certificate".into(),
            CertError::OtherPem { label } => format!("this PEM holds -----BEGIN {label}-----, not a certificate"),
        }
    }

    pub fn fix(&self) -> String {
        let make = format!(
            "Make server.crt from server.key (setup guide, step 1): `{CMD_CSR}`, then `{CMD_CERT}`, and {UPLOAD_CERT}."
        );
        match self {
            CertError::IsPrivateKey { .. } => format!(
                "Give server.crt as the certificate (--cert) and keep server.key secret. If server.crt is lost, make it again from the key: `{CMD_CSR}`, then `{CMD_CERT}`, and {UPLOAD_CERT}."
            ),
            CertError::IsCsr => format!(
                "Sign the CSR into a certificate: `{CMD_CERT}`, give server.crt as the certificate, and {UPLOAD_CERT}."
            ),
            CertError::IsPublicKey => make,
            CertError::Pkcs12 => "Extract the certificate: `openssl pkcs12 -in server.p12 -clcerts -nokeys -out server.crt`, and give server.crt.".into(),
            CertError::Pkcs7 => "Extract the certificates: `openssl pkcs7 -print_certs -in server.p7b -out server.crt`, keep only the one issued for your key (the first), and give server.crt.".into(),
            CertError::Truncated | CertError::BadBase64 | CertError::Malformed => format!(
                "Copy the certificate again, whole, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE----- included, and check it with `openssl x509 -in server.crt -noout -subject`. If the file is lost: {make}"
            ),
            CertError::Empty
            | CertError::WhitespaceOnly
            | CertError::NotPem
            | CertError::Unrecognised
            | CertError::OtherPem { .. } => format!(
                "Give the certificate uploaded to the External Client App, server.crt (-----BEGIN CERTIFICATE-----). If you do not have it: {make} If you make a new private key too (`{CMD_GENKEY}`), use that key from then on."
            ),
        }
    }

    pub fn code(&self) -> &'static str {
        self.into()
    }
}

const CERT_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];
const PRIVATE_KEY_LABELS: &[&str] = &[
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
];

/// Decodes a certificate file: PEM (one certificate or a chain) or DER.
pub fn decode_certificates(bytes: &[u8]) -> Result<CertificateFile, CertError> {
    if bytes.is_empty() {
        return Err(CertError::Empty);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(CertError::WhitespaceOnly);
    }
    match pem_text::decode_text(bytes) {
        None => decode_der_file(bytes, Vec::new()),
        Some(repaired) => {
            let text = repaired.text.trim();
            if text.is_empty() {
                return Err(CertError::WhitespaceOnly);
            }
            if text.contains("-----BEGIN") {
                return decode_pem(text, repaired.repairs.clone());
            }
            if text.starts_with("PuTTY-User-Key-File-") {
                return Err(CertError::IsPrivateKey { encrypted: false });
            }
            let first = text.split_whitespace().next().unwrap_or("");
            if first.starts_with("ssh-") || first.starts_with("ecdsa-sha2-") {
                return Err(CertError::IsPublicKey);
            }
            if pem_text::is_bare_base64(text)
                && let Ok(der_bytes) = pem_text::base64_decode(text)
                && der_bytes.first() == Some(&der::SEQUENCE)
            {
                let mut repairs = repaired.repairs.clone();
                repairs.push(pem_text::REPAIR_BARE_BASE64.to_string());
                return decode_der_file(&der_bytes, repairs);
            }
            Err(CertError::NotPem)
        }
    }
}

fn decode_pem(text: &str, repairs: Vec<String>) -> Result<CertificateFile, CertError> {
    let blocks = pem_text::blocks(text);
    let contains_private_key = blocks
        .iter()
        .any(|b| PRIVATE_KEY_LABELS.contains(&b.label.as_str()));
    let mut certs = blocks
        .iter()
        .filter(|b| CERT_LABELS.contains(&b.label.as_str()));
    let Some(first_block) = certs.next() else {
        let Some(block) = blocks.first() else {
            return Err(CertError::Malformed);
        };
        let label = block.label.as_str();
        return Err(match label {
            "ENCRYPTED PRIVATE KEY" => CertError::IsPrivateKey { encrypted: true },
            l if PRIVATE_KEY_LABELS.contains(&l) => CertError::IsPrivateKey {
                encrypted: block
                    .header("Proc-Type")
                    .is_some_and(|p| p.contains("ENCRYPTED")),
            },
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => CertError::IsCsr,
            "PUBLIC KEY" | "RSA PUBLIC KEY" => CertError::IsPublicKey,
            "PKCS7" | "CMS" => CertError::Pkcs7,
            "PKCS12" => CertError::Pkcs12,
            _ => CertError::OtherPem {
                label: label.chars().take(60).collect(),
            },
        });
    };
    if !first_block.complete {
        return Err(CertError::Truncated);
    }
    let body = first_block
        .body
        .as_ref()
        .map_err(|_| CertError::BadBase64)?;
    let first = parse_certificate(body)?;
    let mut others = Vec::new();
    let mut rest = Vec::new();
    for b in certs {
        match &b.body {
            Ok(body) if b.complete => match parse_certificate(body) {
                Ok(c) => {
                    others.push(c.subject.clone());
                    rest.push(c);
                }
                Err(_) => others.push("(a certificate that does not read)".into()),
            },
            _ => others.push("(a damaged certificate)".into()),
        }
    }
    Ok(CertificateFile {
        first,
        others,
        rest,
        format: CertFormat::Pem,
        repairs,
        contains_private_key,
    })
}

fn decode_der_file(bytes: &[u8], repairs: Vec<String>) -> Result<CertificateFile, CertError> {
    if bytes.first() != Some(&der::SEQUENCE) {
        return Err(CertError::Unrecognised);
    }
    let shape = match der::shape(bytes) {
        Ok(s) => s,
        Err(der::DerError::Truncated) => return Err(CertError::Truncated),
        Err(der::DerError::Malformed) => return Err(CertError::Unrecognised),
    };
    match shape {
        der::Shape::Certificate => {}
        der::Shape::Pkcs1PrivateKey | der::Shape::Pkcs8 { .. } | der::Shape::Sec1EcKey { .. } => {
            return Err(CertError::IsPrivateKey { encrypted: false });
        }
        der::Shape::EncryptedPkcs8 { .. } => {
            return Err(CertError::IsPrivateKey { encrypted: true });
        }
        der::Shape::Csr => return Err(CertError::IsCsr),
        der::Shape::Spki { .. } | der::Shape::Pkcs1PublicKey => return Err(CertError::IsPublicKey),
        der::Shape::Pkcs12 => return Err(CertError::Pkcs12),
        der::Shape::Pkcs7 { .. } => return Err(CertError::Pkcs7),
        der::Shape::Other => return Err(CertError::Unrecognised),
    }
    let (outer, mut rest) = der::read(bytes).map_err(|_| CertError::Truncated)?;
    let first = parse_certificate(outer.raw)?;
    // Concatenated DER certificates: list the others.
    let mut others = Vec::new();
    let mut parsed = Vec::new();
    while rest.first() == Some(&der::SEQUENCE) && others.len() < 100 {
        match der::read(rest) {
            Ok((tlv, r)) => {
                match parse_certificate(tlv.raw) {
                    Ok(c) => {
                        others.push(c.subject.clone());
                        parsed.push(c);
                    }
                    Err(_) => others.push("(a certificate that does not read)".into()),
                }
                rest = r;
            }
            Err(_) => break,
        }
    }
    Ok(CertificateFile {
        first,
        others,
        rest: parsed,
        format: CertFormat::Der,
        repairs,
        contains_private_key: false,
    })
}

/// One line, printable, bounded: for names shown in messages.
fn clean(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    if s.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// Parses one DER certificate.
fn parse_certificate(der_bytes: &[u8]) -> Result<Certificate, CertError> {
    let (outer, _) = der::read(der_bytes).map_err(|e| match e {
        der::DerError::Truncated => CertError::Truncated,
        der::DerError::Malformed => CertError::Malformed,
    })?;
    let raw = outer.raw;
    match der::shape(raw) {
        Ok(der::Shape::Certificate) => {}
        Ok(der::Shape::Csr) => return Err(CertError::IsCsr),
        Err(der::DerError::Truncated) => return Err(CertError::Truncated),
        _ => return Err(CertError::Malformed),
    }
    let (_, x) = X509Certificate::from_der(raw).map_err(|_| CertError::Malformed)?;

    let serial = {
        let bytes = x.raw_serial();
        let start = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len().saturating_sub(1));
        bytes
            .get(start..)
            .unwrap_or(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };

    let spki = x.public_key();
    let spki_oid = spki.algorithm.algorithm.to_id_string();
    let public_key = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => CertPublicKey::Rsa {
            bits: der::integer_bits(rsa.modulus),
        },
        Ok(PublicKey::EC(_)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| curve_name(&o.to_id_string()))
                .unwrap_or_else(|| "unnamed curve".into());
            CertPublicKey::Ec { curve }
        }
        _ => CertPublicKey::Other {
            algorithm: key_algorithm_name(&spki_oid),
        },
    };

    // signatureAlgorithm, read from the outer Certificate (with its parameters, for RSA-PSS).
    let signature_algorithm = der::children(outer.value)
        .ok()
        .and_then(|kids| kids.get(1).copied())
        .and_then(|t| der::algorithm(&t).map(|(oid, params)| signature_algorithm(&oid, params)))
        .ok_or(CertError::Malformed)?;

    Ok(Certificate {
        der: raw.to_vec(),
        subject: clean(&x.subject().to_string()),
        issuer: clean(&x.issuer().to_string()),
        serial,
        not_before: x.validity().not_before.to_datetime(),
        not_after: x.validity().not_after.to_datetime(),
        signature_algorithm,
        public_key,
        spki_der: spki.raw.to_vec(),
        self_signed: x.subject().as_raw() == x.issuer().as_raw(),
    })
}

/// Names a signature algorithm and judges its hash.
pub fn signature_algorithm(oid: &str, params: Option<der::Tlv<'_>>) -> SignatureAlgorithm {
    use HashStrength::*;
    let (name, strength): (String, HashStrength) = match oid {
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption".into(), Strong),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption".into(), Strong),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption".into(), Strong),
        "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption".into(), Unknown),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption".into(), Weak),
        "1.3.14.3.2.29" => ("sha1WithRSASignature".into(), Weak),
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption".into(), Weak),
        "1.2.840.113549.1.1.3" => ("md4WithRSAEncryption".into(), Weak),
        "1.2.840.113549.1.1.2" => ("md2WithRSAEncryption".into(), Weak),
        "1.2.840.113549.1.1.10" => {
            let hash = pss_hash(params);
            let strength = match hash.as_str() {
                "SHA-256" | "SHA-384" | "SHA-512" => Strong,
                "SHA-1" | "MD5" => Weak,
                _ => Unknown,
            };
            (format!("RSASSA-PSS with {hash}"), strength)
        }
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256".into(), Strong),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384".into(), Strong),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512".into(), Strong),
        "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224".into(), Unknown),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1".into(), Weak),
        "1.2.840.10040.4.3" => ("dsa-with-sha1".into(), Weak),
        "2.16.840.1.101.3.4.3.2" => ("dsa-with-sha256".into(), Unknown),
        "1.3.101.112" => ("Ed25519".into(), Unknown),
        "1.3.101.113" => ("Ed448".into(), Unknown),
        other => (format!("unknown (OID {other})"), Unknown),
    };
    SignatureAlgorithm {
        name,
        oid: oid.chars().take(64).collect(),
        strength,
    }
}

/// The hash of RSASSA-PSS parameters (`[0] hashAlgorithm`, SHA-1 by default).
fn pss_hash(params: Option<der::Tlv<'_>>) -> String {
    let Some(params) = params.filter(|p| p.tag == der::SEQUENCE) else {
        return "SHA-1".into();
    };
    let hash_oid = der::children(params.value)
        .ok()
        .and_then(|kids| kids.into_iter().find(|k| k.tag == der::CONTEXT_0))
        .and_then(|k| der::read(k.value).ok())
        .and_then(|(alg, _)| der::algorithm(&alg))
        .map(|(oid, _)| oid);
    match hash_oid.as_deref() {
        None | Some("1.3.14.3.2.26") => "SHA-1".into(),
        Some("2.16.840.1.101.3.4.2.1") => "SHA-256".into(),
        Some("2.16.840.1.101.3.4.2.2") => "SHA-384".into(),
        Some("2.16.840.1.101.3.4.2.3") => "SHA-512".into(),
        Some("2.16.840.1.101.3.4.2.4") => "SHA-224".into(),
        Some("1.2.840.113549.2.5") => "MD5".into(),
        Some(other) => format!("hash OID {other}"),
    }
}

#[cfg(test)]
mod tests;
