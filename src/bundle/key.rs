//! Decoding the RSA private key from whatever the user has: PEM or DER, PKCS#1 or PKCS#8,
//! encrypted PKCS#8 with a passphrase; and recognising, by name, what is not a usable key (a
//! certificate, a CSR, a public key, an EC or SSH key, a legacy-encrypted PEM, a truncated file).
//!
//! Nothing here panics, and no message ever contains key material or the passphrase.

use std::fmt;
use std::sync::OnceLock;

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::EncodePublicKey;
use zeroize::Zeroizing;

use super::pem_text::{self, PemBlock, der};

/// The setup guide's commands, reused in fixes.
pub const CMD_GENKEY: &str =
    "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key";
pub const CMD_CSR: &str = "openssl req -new -key server.key -out server.csr";
pub const CMD_CERT: &str =
    "openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt";
/// Where the certificate goes in Salesforce.
pub const UPLOAD_CERT: &str = "upload server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow → certificate)";

/// The most PBKDF2 iterations sfjwt runs to decrypt a key (OpenSSL uses 2048; OWASP advises
/// 600000). The count comes from the key file: 10 million took 3 s in a release build (and twice
/// that with the line-break retry), so a hostile file could stall a fleet run; 1 million is
/// above every tool's default.
pub const MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;
/// The largest scrypt cost sfjwt runs, as N × r (128 × N × r bytes of memory, here 128 MiB) and
/// as N × r × p (the work). OpenSSL's own default memory limit stops at N × r = 2^18.
pub const MAX_SCRYPT_COST: u64 = 1 << 20;
/// The largest RSA modulus sfjwt decodes.
pub const MAX_RSA_BITS: usize = 16384;

/// How the key was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
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

impl KeyFormat {
    /// A stable short code for JSON evidence, e.g. `pkcs8-pem`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn is_encrypted(self) -> bool {
        matches!(
            self,
            KeyFormat::EncryptedPkcs8Pem | KeyFormat::EncryptedPkcs8Der
        )
    }

    pub fn is_pem(self) -> bool {
        matches!(
            self,
            KeyFormat::Pkcs1Pem | KeyFormat::Pkcs8Pem | KeyFormat::EncryptedPkcs8Pem
        )
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
    /// Other things worth knowing that needed no repair (e.g. a certificate in the same file).
    pub notes: Vec<String>,
    /// The key as PKCS#1 DER, as it was decoded: what the fast signer is made from.
    pkcs1_der: Pkcs1Der,
    /// ring's form of the key, made on the first signature; `None` when ring does not take
    /// the key (fewer than 2048 or more than 4096 bits, or an exponent it refuses).
    fast: OnceLock<Option<ring::signature::RsaKeyPair>>,
}

/// PKCS#1 DER of a private key: wiped when dropped, never shown by `Debug`.
struct Pkcs1Der(Zeroizing<Vec<u8>>);

impl fmt::Debug for Pkcs1Der {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl PrivateKey {
    fn new(rsa: Rsa, format: KeyFormat, repairs: Vec<String>) -> Self {
        PrivateKey {
            key: rsa.key,
            format,
            bits: rsa.bits,
            spki_der: rsa.spki_der,
            repairs,
            notes: Vec::new(),
            pkcs1_der: rsa.pkcs1_der,
            fast: OnceLock::new(),
        }
    }

    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(&self.spki_der)
    }

    /// Signs `message` with RS256 (RSASSA-PKCS1-v1_5 with SHA-256): one RSA private-key
    /// operation. Keys of 2048 to 4096 bits are signed with ring, about four times faster than
    /// the `rsa` crate (docs/performance.md has the numbers); ring's form of the key is made on
    /// the first signature, so a bundle that signs nothing never pays for it. Other keys (a weak
    /// 1024-bit key, a larger one) are signed with `rsa`. PKCS#1 v1.5 signatures are
    /// deterministic: both give the same bytes.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let fast = self
            .fast
            .get_or_init(|| ring::signature::RsaKeyPair::from_der(&self.pkcs1_der.0).ok());
        match fast {
            Some(pair) => {
                let mut signature = vec![0; pair.public().modulus_len()];
                pair.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &ring::rand::SystemRandom::new(),
                    message,
                    &mut signature,
                )
                .map_err(|_| "ring could not sign with the key".to_string())?;
                Ok(signature)
            }
            None => self.sign_rs256_with_rsa(message),
        }
    }

    /// [`PrivateKey::sign_rs256`] with the `rsa` crate, for the keys ring does not take.
    fn sign_rs256_with_rsa(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(message);
        self.key
            .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
            .map_err(|e| e.to_string())
    }
}

/// Why the bytes given as the private key are not a usable RSA private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// Zero bytes.
    Empty,
    /// Only spaces and line breaks.
    WhitespaceOnly,
    /// Text without a `-----BEGIN ...-----` line (OpenSSL: "no start line").
    NotPem,
    /// Binary data that is not DER of any kind sfjwt knows.
    Unrecognised,
    /// `-----BEGIN` without `-----END`, or DER shorter than its header announces.
    Truncated,
    /// The base64 between BEGIN and END has characters that are not base64, or some are missing.
    BadBase64,
    /// The structure is broken inside (OpenSSL: "nested asn1 error").
    Malformed { what: String },
    /// The structure reads, but its numbers do not form a valid RSA key (corrupted).
    InvalidRsa,
    /// An RSA modulus larger than sfjwt decodes.
    TooLarge { bits: usize },
    /// An encrypted PKCS#8 key and no passphrase was given: the caller may prompt for one.
    NeedsPassphrase,
    /// An encrypted PKCS#8 key and the passphrase given does not decrypt it.
    WrongPassphrase,
    /// An encrypted PKCS#8 key whose encryption sfjwt does not implement.
    UnsupportedEncryption { scheme: String },
    /// An encrypted PKCS#8 key whose encryption parameters (scrypt N, r, p; PBKDF2 iterations;
    /// keyLength; IV) are invalid or past sfjwt's bounds: refused before any key derivation.
    BadEncryptionParameters { problem: String },
    /// Old OpenSSL encryption: `Proc-Type: 4,ENCRYPTED` headers inside the PEM.
    LegacyEncrypted { cipher: String },
    /// A certificate (`server.crt`) given as the key.
    IsCertificate,
    /// A certificate signing request (`server.csr`) given as the key.
    IsCsr,
    /// A public key given as the key; `form` names it, e.g. `-----BEGIN PUBLIC KEY-----`.
    IsPublicKey { form: String },
    /// An elliptic-curve key: Salesforce needs RSA.
    EcKey { curve: Option<String> },
    /// Another key type (Ed25519, DSA, RSA-PSS...): Salesforce needs a plain RSA key.
    OtherKeyType { algorithm: String },
    /// An OpenSSH-format private key (`-----BEGIN OPENSSH PRIVATE KEY-----`).
    SshKey { key_type: Option<String> },
    /// A PuTTY `.ppk` key.
    PuttyKey,
    /// A PKCS#12 (`.p12` / `.pfx`) bundle.
    Pkcs12,
    /// A PEM block of another kind.
    OtherPem { label: String },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for KeyError {}

impl KeyError {
    /// What is wrong, in plain words (no key material).
    pub fn message(&self) -> String {
        match self {
            KeyError::Empty => "the private key is empty (0 bytes)".into(),
            KeyError::WhitespaceOnly => {
                "the private key holds only spaces and line breaks".into()
            }
            KeyError::NotPem => "the private key is text without a -----BEGIN ...----- line, so it is not a PEM key (OpenSSL says \"no start line\")".into(),
            KeyError::Unrecognised => {
                "the private key is binary data that is neither PEM nor a DER key".into()
            }
            KeyError::Truncated => "the private key is cut short: its end is missing (a -----BEGIN line without its -----END line, or fewer bytes than the key announces)".into(),
            KeyError::BadBase64 => "the base64 text of the private key is damaged: it has characters that are not base64, or some are missing".into(),
            KeyError::Malformed { what } => {
                format!("the private key reads as {what}, but its structure inside is broken (OpenSSL says \"nested asn1 error\")")
            }
            KeyError::InvalidRsa => "the private key has the shape of an RSA key, but its numbers do not fit together: it is corrupted".into(),
            KeyError::TooLarge { bits } => {
                format!("the RSA key has {bits} bits, more than the {MAX_RSA_BITS} sfjwt reads")
            }
            KeyError::NeedsPassphrase => {
                "the private key is encrypted (encrypted PKCS#8) and no passphrase was given".into()
            }
            KeyError::WrongPassphrase => {
                "the private key is encrypted and the passphrase given does not decrypt it".into()
            }
            KeyError::UnsupportedEncryption { scheme } => {
                format!("the private key is encrypted with {scheme}, which sfjwt does not decrypt")
            }
            KeyError::BadEncryptionParameters { problem } => format!(
                "the private key is encrypted, but the encryption parameters in the file were refused before any decryption: {problem}"
            ),
            KeyError::LegacyEncrypted { cipher } => format!(
                "the private key uses OpenSSL's old encrypted PEM format (Proc-Type: 4,ENCRYPTED, cipher {cipher}), which sfjwt and most JWT libraries do not read"
            ),
            KeyError::IsCertificate => "this is a certificate (-----BEGIN CERTIFICATE-----), not the private key: server.crt was given where server.key belongs".into(),
            KeyError::IsCsr => "this is a certificate signing request (server.csr, -----BEGIN CERTIFICATE REQUEST-----), not the private key".into(),
            KeyError::IsPublicKey { form } => {
                format!("this is a public key ({form}), not the private key")
            }
            KeyError::EcKey { curve } => format!(
                "this is an elliptic-curve (EC{}) private key; the JWT Bearer flow signs with RS256, so Salesforce needs an RSA key",
                curve.as_deref().map(|c| format!(", {c}")).unwrap_or_default()
            ),
            KeyError::OtherKeyType { algorithm } => format!(
                "this is a {algorithm} private key; the JWT Bearer flow signs with RS256, so Salesforce needs an RSA key"
            ),
            KeyError::SshKey { key_type } => format!(
                "this is an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----{}), the format ssh-keygen writes; JWT libraries need a PEM key (PKCS#8 or PKCS#1)",
                key_type.as_deref().map(|t| format!(", type {t}")).unwrap_or_default()
            ),
            KeyError::PuttyKey => "this is a PuTTY private key (.ppk); JWT libraries need a PEM key (PKCS#8 or PKCS#1)".into(),
            KeyError::Pkcs12 => "this is a PKCS#12 bundle (.p12 / .pfx), not a bare private key".into(),
            KeyError::OtherPem { label } => {
                format!("this PEM holds -----BEGIN {label}-----, not a private key")
            }
        }
    }

    /// How to fix it.
    pub fn fix(&self) -> String {
        let remake = format!(
            "If you no longer have the key the uploaded certificate was made from, make a new pair (setup guide, step 1): `{CMD_GENKEY}`, `{CMD_CSR}`, `{CMD_CERT}`, then {UPLOAD_CERT}."
        );
        match self {
            KeyError::Empty | KeyError::WhitespaceOnly => format!(
                "Give the private key made in step 1 (server.key, starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----); if it comes from an environment variable or CI secret, check that the secret is set and not empty. {remake}"
            ),
            KeyError::NotPem => format!(
                "Give the content of server.key, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY----- included (not a file name, a fingerprint or a password); copy it again from the file with `cat server.key`. {remake}"
            ),
            KeyError::Unrecognised => format!(
                "Give server.key as made in step 1 (PEM text), or a DER key (`openssl pkcs8 -topk8 -nocrypt -in server.key -outform DER -out server.der`). {remake}"
            ),
            KeyError::Truncated | KeyError::BadBase64 => format!(
                "Copy the key again from server.key, whole: every line from -----BEGIN ...----- to -----END ...----- included (`cat server.key`); in CI secrets, paste the file content as is. Check it with `openssl pkey -in server.key -noout`. {remake}"
            ),
            KeyError::Malformed { .. } | KeyError::InvalidRsa => format!(
                "Copy the key again from the original server.key and check it with `openssl pkey -in server.key -noout`. {remake}"
            ),
            KeyError::TooLarge { .. } => format!(
                "Use a 2048-bit (or 3072/4096-bit) RSA key: `{CMD_GENKEY}`, then `{CMD_CSR}`, `{CMD_CERT}`, and {UPLOAD_CERT}."
            ),
            KeyError::NeedsPassphrase => "Give the passphrase: set $SFJWT_KEY_PASSPHRASE, or `key_passphrase_env = \"VAR\"` in sfjwt.toml naming a variable that holds it, or run on a terminal to be asked. Or decrypt the key once, as the setup guide does: `openssl pkcs8 -in server.key -out server.key.new` (asks for the passphrase), then keep server.key.new as a secret.".into(),
            KeyError::WrongPassphrase => "Check the passphrase (the one given with -pass when the key was made, e.g. `openssl genpkey -aes-256-cbc -pass pass:...`); test it with `openssl pkey -in server.key -noout`. If it is lost, make a new key and certificate (setup guide, step 1) and upload the new server.crt.".into(),
            KeyError::UnsupportedEncryption { .. } => "Re-encrypt the key with AES-256 and PBKDF2-SHA256: `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new` (asks for the old and the new passphrase), or decrypt it: `openssl pkcs8 -in server.key -out server.key.new`. Then replace server.key with server.key.new.".into(),
            KeyError::BadEncryptionParameters { .. } => format!(
                "These parameters are written into the key file by the tool that encrypted it, and a damaged or hand-made file can hold any value. Re-encrypt the key with OpenSSL's standard settings (PBKDF2 with HMAC-SHA256, AES-256-CBC): `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new` (asks for the old and the new passphrase), check it with `openssl pkey -in server.key.new -noout`, and replace server.key with server.key.new; the certificate does not change. If OpenSSL cannot read the key either, the file is damaged: restore server.key from where it is kept. {remake}"
            ),
            KeyError::LegacyEncrypted { .. } => "Convert it once (OpenSSL asks for the passphrase): `openssl pkcs8 -topk8 -v2 aes-256-cbc -in server.key -out server.key.new` keeps it encrypted in the PKCS#8 format; or `openssl rsa -in server.key -out server.key.new` removes the passphrase, as the setup guide's server.key is. Then replace server.key with server.key.new; the certificate does not change.".into(),
            KeyError::IsCertificate => format!(
                "Give the private key, server.key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), and give server.crt as the certificate (--cert). {remake}"
            ),
            KeyError::IsCsr => format!(
                "Give server.key, the key the CSR was made from (`{CMD_CSR}`), not server.csr. {remake}"
            ),
            KeyError::IsPublicKey { .. } => format!(
                "Give the private key, server.key: the public key (and the certificate) are made from it, not the other way round. {remake}"
            ),
            KeyError::EcKey { .. } | KeyError::OtherKeyType { .. } => format!(
                "Make an RSA key and a certificate for it (setup guide, step 1): `{CMD_GENKEY}`, `{CMD_CSR}`, `{CMD_CERT}`, then {UPLOAD_CERT}."
            ),
            KeyError::SshKey { key_type } => {
                if key_type.as_deref().is_some_and(|t| t != "ssh-rsa") {
                    format!(
                        "An SSH key of this type cannot sign RS256. Make an RSA key and certificate (setup guide, step 1): `{CMD_GENKEY}`, `{CMD_CSR}`, `{CMD_CERT}`, then {UPLOAD_CERT}."
                    )
                } else {
                    "Convert a copy to PEM with ssh-keygen (it asks for the current passphrase; -N '' leaves the copy unencrypted): `cp server.key server.pem && ssh-keygen -p -m PEM -N '' -f server.pem`, or keep it encrypted in PKCS#8 with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in server.pem -out server.key.new`. Then use the converted file as server.key, and make sure the certificate uploaded to Salesforce was made from this key.".into()
                }
            }
            KeyError::PuttyKey => "Export it with PuTTYgen: `puttygen server.ppk -O private-openssh -o server.key` (or in the PuTTYgen window: Conversions → Export OpenSSH key), then check it with `openssl pkey -in server.key -noout`.".into(),
            KeyError::Pkcs12 => "Extract the key: `openssl pkcs12 -in server.p12 -nocerts -nodes -out server.key` (and the certificate with `openssl pkcs12 -in server.p12 -clcerts -nokeys -out server.crt`).".into(),
            KeyError::OtherPem { .. } => format!(
                "Give the private key, server.key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----). {remake}"
            ),
        }
    }

    /// A stable short code for JSON evidence, e.g. `empty`, `is-certificate`.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::Empty => "empty",
            KeyError::WhitespaceOnly => "whitespace-only",
            KeyError::NotPem => "not-pem",
            KeyError::Unrecognised => "unrecognised",
            KeyError::Truncated => "truncated",
            KeyError::BadBase64 => "bad-base64",
            KeyError::Malformed { .. } => "malformed",
            KeyError::InvalidRsa => "invalid-rsa",
            KeyError::TooLarge { .. } => "too-large",
            KeyError::NeedsPassphrase => "needs-passphrase",
            KeyError::WrongPassphrase => "wrong-passphrase",
            KeyError::UnsupportedEncryption { .. } => "unsupported-encryption",
            KeyError::BadEncryptionParameters { .. } => "bad-encryption-parameters",
            KeyError::LegacyEncrypted { .. } => "legacy-encrypted",
            KeyError::IsCertificate => "is-certificate",
            KeyError::IsCsr => "is-csr",
            KeyError::IsPublicKey { .. } => "is-public-key",
            KeyError::EcKey { .. } => "ec-key",
            KeyError::OtherKeyType { .. } => "other-key-type",
            KeyError::SshKey { .. } => "openssh-key",
            KeyError::PuttyKey => "putty-key",
            KeyError::Pkcs12 => "pkcs12",
            KeyError::OtherPem { .. } => "unexpected-pem",
        }
    }
}

/// PEM labels of private keys.
const KEY_LABELS: &[&str] = &[
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
];

/// Decodes a private key.
///
/// `passphrase` is used only for an encrypted PKCS#8 key. For one, `None` gives
/// [`KeyError::NeedsPassphrase`] and a wrong one [`KeyError::WrongPassphrase`].
pub fn decode_private_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<PrivateKey, KeyError> {
    if bytes.is_empty() {
        return Err(KeyError::Empty);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(KeyError::WhitespaceOnly);
    }
    match pem_text::decode_text(bytes) {
        None => {
            // Binary: DER, or garbage.
            decode_der(bytes, passphrase, false, Vec::new())
        }
        Some(repaired) => {
            let text = repaired.text.trim();
            if text.is_empty() {
                return Err(KeyError::WhitespaceOnly);
            }
            if text.contains("-----BEGIN") {
                return decode_pem(text, passphrase, repaired.repairs.clone());
            }
            if text.starts_with("PuTTY-User-Key-File-") {
                return Err(KeyError::PuttyKey);
            }
            if let Some(kind) = ssh_public_key_type(text) {
                return Err(KeyError::IsPublicKey {
                    form: format!("an OpenSSH public key, {kind} ..., as in id_rsa.pub"),
                });
            }
            if pem_text::is_bare_base64(text)
                && let Ok(der_bytes) = pem_text::base64_decode(text)
                && der_bytes.first() == Some(&der::SEQUENCE)
            {
                let mut repairs = repaired.repairs.clone();
                repairs.push(pem_text::REPAIR_BARE_BASE64.to_string());
                return decode_der(&der_bytes, passphrase, false, repairs);
            }
            Err(KeyError::NotPem)
        }
    }
}

/// The key type of an OpenSSH public key line (`ssh-rsa AAAA... comment`).
fn ssh_public_key_type(text: &str) -> Option<&str> {
    let first = text.split_whitespace().next()?;
    let known = first.starts_with("ssh-") || first.starts_with("ecdsa-sha2-");
    (known && text.split_whitespace().nth(1)?.starts_with("AAAA")).then_some(first)
}

fn decode_pem(
    text: &str,
    passphrase: Option<&[u8]>,
    repairs: Vec<String>,
) -> Result<PrivateKey, KeyError> {
    let blocks = pem_text::blocks(text);
    // The first private key in the file; else the first block, to name what it is.
    let chosen = blocks
        .iter()
        .position(|b| KEY_LABELS.contains(&b.label.as_str()))
        .or(if blocks.is_empty() { None } else { Some(0) });
    let Some(index) = chosen else {
        // "-----BEGIN" somewhere, but no well-formed marker line.
        return Err(KeyError::Malformed {
            what: "PEM text".into(),
        });
    };
    let Some(block) = blocks.get(index) else {
        return Err(KeyError::NotPem);
    };

    let mut notes = Vec::new();
    let key_blocks = blocks
        .iter()
        .filter(|b| KEY_LABELS.contains(&b.label.as_str()))
        .count();
    if key_blocks > 1 {
        notes.push(format!(
            "the file holds {key_blocks} private keys; the first was used"
        ));
    }
    let certs = blocks
        .iter()
        .filter(|b| b.label.contains("CERTIFICATE") && !b.label.contains("REQUEST"))
        .count();
    if certs > 0 && KEY_LABELS.contains(&block.label.as_str()) {
        notes.push(format!(
            "the file also holds {}, which {} ignored",
            crate::words::count(certs as i64, "certificate", "certificates"),
            if certs == 1 { "was" } else { "were" }
        ));
    }

    let label = block.label.as_str();
    match label {
        "PRIVATE KEY"
        | "RSA PRIVATE KEY"
        | "ENCRYPTED PRIVATE KEY"
        | "EC PRIVATE KEY"
        | "DSA PRIVATE KEY" => {}
        "OPENSSH PRIVATE KEY" => {
            let key_type = block.body.as_ref().ok().and_then(|b| openssh_key_type(b));
            return Err(KeyError::SshKey { key_type });
        }
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" | "PKCS7" | "CMS" => {
            return Err(KeyError::IsCertificate);
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => return Err(KeyError::IsCsr),
        "PUBLIC KEY" => {
            return Err(KeyError::IsPublicKey {
                form: "-----BEGIN PUBLIC KEY-----, as `openssl rsa -pubout` writes".into(),
            });
        }
        "RSA PUBLIC KEY" => {
            return Err(KeyError::IsPublicKey {
                form: "-----BEGIN RSA PUBLIC KEY-----, PKCS#1".into(),
            });
        }
        "PKCS12" => return Err(KeyError::Pkcs12),
        _ => {
            return Err(KeyError::OtherPem {
                label: label.chars().take(60).collect(),
            });
        }
    }

    if let Some(err) = legacy_encryption(block) {
        return Err(err);
    }
    if label == "DSA PRIVATE KEY" {
        return Err(KeyError::OtherKeyType {
            algorithm: "DSA".into(),
        });
    }
    if !block.complete {
        return Err(KeyError::Truncated);
    }
    let body = block.body.as_ref().map_err(|_| KeyError::BadBase64)?;
    if body.is_empty() {
        return Err(KeyError::Truncated);
    }
    let mut key = decode_der(body, passphrase, true, repairs)?;
    key.notes.extend(notes);
    Ok(key)
}

/// `Proc-Type: 4,ENCRYPTED` in a PEM block: the legacy OpenSSL encryption.
fn legacy_encryption(block: &PemBlock) -> Option<KeyError> {
    let proc_type = block.header("Proc-Type")?;
    if !proc_type.to_ascii_uppercase().contains("ENCRYPTED") {
        return None;
    }
    if block.label == "EC PRIVATE KEY" {
        // The cipher does not matter: it is the wrong key type anyway.
        return Some(KeyError::EcKey { curve: None });
    }
    if block.label == "DSA PRIVATE KEY" {
        return Some(KeyError::OtherKeyType {
            algorithm: "DSA".into(),
        });
    }
    let cipher = block
        .header("DEK-Info")
        .and_then(|v| v.split(',').next())
        .map(|c| c.trim().chars().take(40).collect::<String>())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "not named".into());
    Some(KeyError::LegacyEncrypted { cipher })
}

/// The key type inside an OpenSSH private key (its public part is not encrypted).
fn openssh_key_type(body: &[u8]) -> Option<String> {
    let rest = body.strip_prefix(b"openssh-key-v1\0")?;
    fn string(input: &[u8]) -> Option<(&[u8], &[u8])> {
        let (len, rest) = input.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if rest.len() < len {
            return None;
        }
        Some(rest.split_at(len))
    }
    let (_cipher, rest) = string(rest)?;
    let (_kdf, rest) = string(rest)?;
    let (_kdf_options, rest) = string(rest)?;
    let (_count, rest) = rest.split_first_chunk::<4>()?;
    let (public, _) = string(rest)?;
    let (key_type, _) = string(public)?;
    let key_type = std::str::from_utf8(key_type).ok()?;
    (key_type.len() <= 40 && key_type.is_ascii()).then(|| key_type.to_string())
}

/// Decodes DER bytes (from a PEM block when `from_pem`).
fn decode_der(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    from_pem: bool,
    repairs: Vec<String>,
) -> Result<PrivateKey, KeyError> {
    if bytes.first() != Some(&der::SEQUENCE) {
        return Err(if from_pem {
            KeyError::Malformed {
                what: "a PEM private key".into(),
            }
        } else {
            KeyError::Unrecognised
        });
    }
    let shape = match der::shape(bytes) {
        Ok(s) => s,
        Err(der::DerError::Truncated) => return Err(KeyError::Truncated),
        Err(der::DerError::Malformed) => {
            return Err(if from_pem {
                KeyError::Malformed {
                    what: "a PEM private key".into(),
                }
            } else {
                KeyError::Unrecognised
            });
        }
    };
    // `shape` read one complete SEQUENCE; keep exactly it (DER files may carry trailing bytes).
    let outer = der::read(bytes)
        .map(|(t, _)| t.raw)
        .map_err(|_| KeyError::Truncated)?;
    let format = |pem, der_format| if from_pem { pem } else { der_format };
    match shape {
        der::Shape::Pkcs1PrivateKey => {
            let rsa = rsa_from_pkcs1(outer)?;
            Ok(PrivateKey::new(
                rsa,
                format(KeyFormat::Pkcs1Pem, KeyFormat::Pkcs1Der),
                repairs,
            ))
        }
        der::Shape::Pkcs8 { algorithm, curve } => {
            let rsa = rsa_from_pkcs8(outer, &algorithm, curve)?;
            Ok(PrivateKey::new(
                rsa,
                format(KeyFormat::Pkcs8Pem, KeyFormat::Pkcs8Der),
                repairs,
            ))
        }
        der::Shape::EncryptedPkcs8 { .. } => {
            let (rsa, passphrase_repair) = decrypt_pkcs8(outer, passphrase)?;
            let mut repairs = repairs;
            repairs.extend(passphrase_repair);
            Ok(PrivateKey::new(
                rsa,
                format(KeyFormat::EncryptedPkcs8Pem, KeyFormat::EncryptedPkcs8Der),
                repairs,
            ))
        }
        der::Shape::Sec1EcKey { curve } => Err(KeyError::EcKey {
            curve: curve.map(|c| curve_name(&c)),
        }),
        der::Shape::Certificate | der::Shape::Pkcs7 { .. } => Err(KeyError::IsCertificate),
        der::Shape::Csr => Err(KeyError::IsCsr),
        der::Shape::Spki { .. } => Err(KeyError::IsPublicKey {
            form: "a DER SubjectPublicKeyInfo".into(),
        }),
        der::Shape::Pkcs1PublicKey => Err(KeyError::IsPublicKey {
            form: "a PKCS#1 RSA public key".into(),
        }),
        der::Shape::Pkcs12 => Err(KeyError::Pkcs12),
        der::Shape::Other => Err(if from_pem {
            KeyError::Malformed {
                what: "a PEM private key".into(),
            }
        } else {
            KeyError::Unrecognised
        }),
    }
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";

/// The name of a named-curve OID.
pub fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        "1.3.132.0.10" => "secp256k1".into(),
        "1.2.840.10045.3.1.1" => "P-192".into(),
        "1.3.132.0.33" => "P-224".into(),
        other => other.chars().take(64).collect(),
    }
}

/// The name of a public-key algorithm OID.
pub fn key_algorithm_name(oid: &str) -> String {
    match oid {
        OID_RSA => "RSA".into(),
        OID_EC => "EC".into(),
        "1.2.840.113549.1.1.10" => "RSA-PSS".into(),
        "1.3.101.112" => "Ed25519".into(),
        "1.3.101.113" => "Ed448".into(),
        "1.3.101.110" => "X25519".into(),
        "1.3.101.111" => "X448".into(),
        "1.2.840.10040.4.1" => "DSA".into(),
        "1.2.840.113549.1.3.1" | "1.2.840.10046.2.1" => "Diffie-Hellman".into(),
        "1.2.156.10197.1.301" => "SM2".into(),
        other => format!(
            "unknown algorithm (OID {})",
            other.chars().take(64).collect::<String>()
        ),
    }
}

/// An RSA private key as decoded, with what the other parts of [`PrivateKey`] are made from.
struct Rsa {
    key: rsa::PrivateKey,
    bits: usize,
    spki_der: Vec<u8>,
    pkcs1_der: Pkcs1Der,
}

fn rsa_from_pkcs8(
    der_bytes: &[u8],
    algorithm: &str,
    curve: Option<String>,
) -> Result<Rsa, KeyError> {
    match algorithm {
        OID_RSA => {}
        OID_EC => {
            return Err(KeyError::EcKey {
                curve: curve.map(|c| curve_name(&c)),
            });
        }
        other => {
            return Err(KeyError::OtherKeyType {
                algorithm: key_algorithm_name(other),
            });
        }
    }
    let malformed = || KeyError::Malformed {
        what: "a PKCS#8 RSA private key".into(),
    };
    let (outer, _) = der::read(der_bytes).map_err(|_| malformed())?;
    let kids = der::children(outer.value).map_err(|_| malformed())?;
    let inner = kids
        .get(2)
        .filter(|k| k.tag == der::OCTET_STRING)
        .ok_or_else(malformed)?;
    match der::shape(inner.value) {
        Ok(der::Shape::Pkcs1PrivateKey) => {}
        Err(der::DerError::Truncated) => return Err(KeyError::Truncated),
        _ => return Err(malformed()),
    }
    let inner_raw = der::read(inner.value)
        .map(|(t, _)| t.raw)
        .map_err(|_| malformed())?;
    rsa_from_pkcs1(inner_raw)
}

/// Decodes a PKCS#1 `RSAPrivateKey`: the key, its bits and the DER SPKI of its public half.
fn rsa_from_pkcs1(der_bytes: &[u8]) -> Result<Rsa, KeyError> {
    let malformed = || KeyError::Malformed {
        what: "a PKCS#1 RSA private key".into(),
    };
    let (outer, _) = der::read(der_bytes).map_err(|_| malformed())?;
    let kids = der::children(outer.value).map_err(|_| malformed())?;
    let modulus = kids.get(1).ok_or_else(malformed)?;
    let bits = der::integer_bits(modulus.value);
    if bits > MAX_RSA_BITS {
        return Err(KeyError::TooLarge { bits });
    }
    let key = rsa::PrivateKey::from_pkcs1_der(der_bytes).map_err(|e| match e {
        rsa::pkcs1::Error::Asn1(_) => malformed(),
        _ => KeyError::InvalidRsa,
    })?;
    let spki_der = key
        .as_public_key()
        .to_public_key_der()
        .map_err(|_| KeyError::InvalidRsa)?
        .as_bytes()
        .to_vec();
    Ok(Rsa {
        key,
        bits,
        spki_der,
        pkcs1_der: Pkcs1Der(Zeroizing::new(der_bytes.to_vec())),
    })
}

/// The decrypted key, and the repair its passphrase needed, if any.
type Decrypted = (Rsa, Option<String>);

fn decrypt_pkcs8(der_bytes: &[u8], passphrase: Option<&[u8]>) -> Result<Decrypted, KeyError> {
    use rsa::pkcs8::der::Decode;

    // The parameters come from the file: checked before the decrypting crates see them (they
    // panic or allocate as told on some values).
    super::kdf::check(der_bytes)
        .map_err(|problem| KeyError::BadEncryptionParameters { problem })?;
    let info = match rsa::pkcs8::EncryptedPrivateKeyInfoRef::from_der(der_bytes) {
        Ok(info) => info,
        Err(_) => {
            return Err(KeyError::UnsupportedEncryption {
                scheme: describe_encryption(der_bytes),
            });
        }
    };
    if !implemented(&info.encryption_algorithm) {
        return Err(KeyError::UnsupportedEncryption {
            scheme: describe_encryption(der_bytes),
        });
    }
    let unsupported = || KeyError::UnsupportedEncryption {
        scheme: describe_encryption(der_bytes),
    };
    let Some(passphrase) = passphrase else {
        return Err(KeyError::NeedsPassphrase);
    };

    let attempt = |pass: &[u8]| -> Result<Rsa, KeyError> {
        let doc = info.decrypt(pass).map_err(|e| match e {
            rsa::pkcs8::Error::EncryptedPrivateKey(
                rsa::pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. }
                | rsa::pkcs8::pkcs5::Error::NoPbes1CryptSupport,
            ) => unsupported(),
            _ => KeyError::WrongPassphrase,
        })?;
        let plain = doc.as_bytes();
        match der::shape(plain) {
            Ok(der::Shape::Pkcs8 { algorithm, curve }) => {
                let raw = der::read(plain)
                    .map(|(t, _)| t.raw)
                    .map_err(|_| KeyError::WrongPassphrase)?;
                rsa_from_pkcs8(raw, &algorithm, curve)
            }
            // Decrypted to garbage: a wrong passphrase that happened to leave valid padding.
            _ => Err(KeyError::WrongPassphrase),
        }
    };

    match attempt(passphrase) {
        Err(KeyError::WrongPassphrase) => {
            // A passphrase read from a file often ends with a line break.
            let trimmed = passphrase
                .strip_suffix(b"\n")
                .map(|p| p.strip_suffix(b"\r").unwrap_or(p));
            match trimmed {
                Some(t) => Ok((
                    attempt(t)?,
                    Some("a line break at the end of the passphrase was ignored".into()),
                )),
                None => Err(KeyError::WrongPassphrase),
            }
        }
        Err(e) => Err(e),
        Ok(rsa) => Ok((rsa, None)),
    }
}

/// Whether sfjwt decrypts this scheme: PBES2 with PBKDF2 (an HMAC-SHA-2 PRF) or scrypt, and
/// AES. Its iterations, N, r and p are within bounds: `kdf::check` saw to it.
fn implemented(scheme: &rsa::pkcs8::pkcs5::EncryptionScheme) -> bool {
    use rsa::pkcs8::pkcs5::{EncryptionScheme, pbes2};
    let EncryptionScheme::Pbes2(params) = scheme else {
        return false;
    };
    let kdf = match &params.kdf {
        pbes2::Kdf::Pbkdf2(p) => p.prf != pbes2::Pbkdf2Prf::HmacWithSha1,
        pbes2::Kdf::Scrypt(_) => true,
        _ => false,
    };
    #[allow(unreachable_patterns)]
    let cipher = matches!(
        params.encryption,
        pbes2::EncryptionScheme::Aes128Cbc { .. }
            | pbes2::EncryptionScheme::Aes192Cbc { .. }
            | pbes2::EncryptionScheme::Aes256Cbc { .. }
            | pbes2::EncryptionScheme::Aes128Gcm { .. }
            | pbes2::EncryptionScheme::Aes256Gcm { .. }
    );
    kdf && cipher
}

/// Names the encryption of an `EncryptedPrivateKeyInfo`, e.g.
/// "PBES2 (PBKDF2 with HMAC-SHA1, DES-EDE3-CBC)".
pub fn describe_encryption(der_bytes: &[u8]) -> String {
    fn name(oid: &str) -> String {
        match oid {
            "1.2.840.113549.1.5.13" => "PBES2".into(),
            "1.2.840.113549.1.5.12" => "PBKDF2".into(),
            "1.3.6.1.4.1.11591.4.11" => "scrypt".into(),
            "1.2.840.113549.1.5.1" => "PBES1 pbeWithMD2AndDES-CBC".into(),
            "1.2.840.113549.1.5.3" => "PBES1 pbeWithMD5AndDES-CBC".into(),
            "1.2.840.113549.1.5.4" => "PBES1 pbeWithMD2AndRC2-CBC".into(),
            "1.2.840.113549.1.5.6" => "PBES1 pbeWithMD5AndRC2-CBC".into(),
            "1.2.840.113549.1.5.10" => "PBES1 pbeWithSHA1AndDES-CBC".into(),
            "1.2.840.113549.1.5.11" => "PBES1 pbeWithSHA1AndRC2-CBC".into(),
            "1.2.840.113549.1.12.1.1" => "PKCS#12 pbeWithSHAAnd128BitRC4".into(),
            "1.2.840.113549.1.12.1.2" => "PKCS#12 pbeWithSHAAnd40BitRC4".into(),
            "1.2.840.113549.1.12.1.3" => "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC".into(),
            "1.2.840.113549.1.12.1.4" => "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC".into(),
            "1.2.840.113549.1.12.1.5" => "PKCS#12 pbeWithSHAAnd128BitRC2-CBC".into(),
            "1.2.840.113549.1.12.1.6" => "PKCS#12 pbeWithSHAAnd40BitRC2-CBC".into(),
            "1.2.840.113549.2.7" => "HMAC-SHA1".into(),
            "1.2.840.113549.2.8" => "HMAC-SHA224".into(),
            "1.2.840.113549.2.9" => "HMAC-SHA256".into(),
            "1.2.840.113549.2.10" => "HMAC-SHA384".into(),
            "1.2.840.113549.2.11" => "HMAC-SHA512".into(),
            "2.16.840.1.101.3.4.1.2" => "AES-128-CBC".into(),
            "2.16.840.1.101.3.4.1.22" => "AES-192-CBC".into(),
            "2.16.840.1.101.3.4.1.42" => "AES-256-CBC".into(),
            "2.16.840.1.101.3.4.1.6" => "AES-128-GCM".into(),
            "2.16.840.1.101.3.4.1.46" => "AES-256-GCM".into(),
            "1.2.840.113549.3.7" => "DES-EDE3-CBC".into(),
            "1.3.14.3.2.7" => "DES-CBC".into(),
            "1.2.840.113549.3.2" => "RC2-CBC".into(),
            other => format!("OID {}", other.chars().take(64).collect::<String>()),
        }
    }
    let describe = || -> Option<String> {
        let (outer, _) = der::read(der_bytes).ok()?;
        let kids = der::children(outer.value).ok()?;
        let (oid, params) = der::algorithm(kids.first()?)?;
        let mut out = name(&oid);
        if oid == "1.2.840.113549.1.5.13" {
            // PBES2-params: SEQUENCE { keyDerivationFunc, encryptionScheme }
            let params = params?;
            let parts = der::children(params.value).ok()?;
            let (kdf_oid, kdf_params) = der::algorithm(parts.first()?)?;
            let (enc_oid, _) = der::algorithm(parts.get(1)?)?;
            let mut kdf = name(&kdf_oid);
            if kdf_oid == "1.2.840.113549.1.5.12" {
                // PBKDF2-params: salt, iterations, [keyLength], [prf]; the default prf is SHA-1.
                let prf = kdf_params
                    .and_then(|p| der::children(p.value).ok())
                    .and_then(|k| k.iter().find(|t| t.tag == der::SEQUENCE).copied())
                    .and_then(|t| der::algorithm(&t))
                    .map(|(o, _)| name(&o))
                    .unwrap_or_else(|| "HMAC-SHA1".into());
                kdf = format!("{kdf} with {prf}");
            }
            out = format!("{out} ({kdf}, {})", name(&enc_oid));
        }
        Some(out)
    };
    describe().unwrap_or_else(|| "an encryption scheme sfjwt cannot read".into())
}

#[cfg(test)]
mod tests;
