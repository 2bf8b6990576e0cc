//! Decoding the RSA private key from whatever the user has: PEM or DER, PKCS#1 or PKCS#8,
//! encrypted PKCS#8 (PBES2, PBES1, PKCS#12 PBE) or legacy `Proc-Type: 4,ENCRYPTED` PEM with a
//! passphrase; and recognising, by name, what is not a usable key (a certificate, a CSR, a
//! public key, an EC or SSH key, a key encrypted with an obsolete cipher, a truncated file).
//!
//! Nothing here panics, and no message ever contains key material or the passphrase.

use std::fmt;
use std::sync::OnceLock;

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::EncodePublicKey;
use zeroize::Zeroizing;

use super::pem_text::{self, PemBlock, der};

pub(crate) mod cbc;
mod encrypted;
mod from_der;
mod from_pem;
mod from_salted;
mod keystore;
mod legacy;

pub use encrypted::describe_encryption;
use from_der::decode_der;
pub use from_der::{curve_name, key_algorithm_name};
use from_pem::{decode_pem, ssh_public_key_type};
pub use from_salted::OpensslEnc;
pub use keystore::{KeystoreEntry, StoreKind};

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
/// The most iterations of PBES1's PBKDF1 and of the PKCS#12 key derivation sfjwt runs: the
/// count comes from the key file, as PBKDF2's does, and is bounded alike (one hash an
/// iteration, where PBKDF2 runs two; the PKCS#12 derivation runs it twice, for key and IV).
pub const MAX_PBE_ITERATIONS: u32 = MAX_PBKDF2_ITERATIONS;
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
    /// OpenSSL's legacy encrypted PEM: `Proc-Type: 4,ENCRYPTED` and `DEK-Info` headers.
    LegacyEncryptedPem,
    /// A private key entry of a PKCS#12 file (`.p12`, `.pfx`).
    Pkcs12Keystore,
    /// A private key entry of a Java KeyStore.
    JksKeystore,
    JceksKeystore,
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
            KeyFormat::LegacyEncryptedPem => "legacy encrypted PEM, Proc-Type: 4,ENCRYPTED",
            KeyFormat::Pkcs12Keystore => "PKCS#12 keystore",
            KeyFormat::JksKeystore => "Java KeyStore (JKS)",
            KeyFormat::JceksKeystore => "Java KeyStore (JCEKS)",
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
            KeyFormat::EncryptedPkcs8Pem
                | KeyFormat::EncryptedPkcs8Der
                | KeyFormat::LegacyEncryptedPem
                | KeyFormat::Pkcs12Keystore
                | KeyFormat::JksKeystore
                | KeyFormat::JceksKeystore
        )
    }

    pub fn is_pem(self) -> bool {
        matches!(
            self,
            KeyFormat::Pkcs1Pem
                | KeyFormat::Pkcs8Pem
                | KeyFormat::EncryptedPkcs8Pem
                | KeyFormat::LegacyEncryptedPem
        )
    }
}

/// A decoded RSA private key.
#[derive(Debug)]
pub struct PrivateKey {
    /// The rsa crate's form of the key, decoded on first use ([`PrivateKey::rsa`]) when ring
    /// took the key, at once when it did not.
    key: OnceLock<rsa::PrivateKey>,
    pub format: KeyFormat,
    /// Modulus size in bits.
    pub bits: usize,
    /// DER SubjectPublicKeyInfo of the public half: compare with the certificate's.
    pub spki_der: Vec<u8>,
    /// What had to be repaired in the text before it decoded (literal `\n`, CRLF, BOM...).
    pub repairs: Vec<String>,
    /// Other things worth knowing that needed no repair (e.g. a certificate in the same file).
    pub notes: Vec<String>,
    /// The `openssl enc` file the key was decrypted from, and with what; `None` for any other.
    pub openssl_enc: Option<from_salted::OpensslEnc>,
    /// The keystore entry the key was read from, with its certificates.
    pub keystore: Option<KeystoreEntry>,
    /// The key as PKCS#1 DER, as it was decoded: what the fast signer is made from.
    pkcs1_der: Pkcs1Der,
    /// ring's form of the key, made when it is decoded; `None` when ring does not take the key
    /// (fewer than 2048 bits, more than it signs, or an exponent it refuses).
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
            openssl_enc: None,
            keystore: None,
            pkcs1_der: rsa.pkcs1_der,
            fast: OnceLock::from(rsa.fast),
        }
    }

    /// The rsa crate's form of the key: for encoding it (convert) and for certificates (new,
    /// renew), and for signing the keys ring does not take.
    pub fn rsa(&self) -> Result<&rsa::PrivateKey, KeyError> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key =
            rsa::PrivateKey::from_pkcs1_der(&self.pkcs1_der.0).map_err(|_| KeyError::InvalidRsa)?;
        Ok(self.key.get_or_init(|| key))
    }

    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(&self.spki_der)
    }

    /// Signs `message` with RS256 (RSASSA-PKCS1-v1_5 with SHA-256): one RSA private-key
    /// operation. The keys ring takes are signed with ring, about four times faster than the
    /// `rsa` crate (docs/performance.md has the numbers); ring's form of the key is made when
    /// the key is decoded, and checks it, in place of the rsa crate's. Other keys (a weak
    /// 1024-bit key, an exponent ring refuses) are signed with `rsa`. PKCS#1 v1.5 signatures are
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
        self.rsa()
            .map_err(|e| e.to_string())?
            .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &digest)
            .map_err(|e| e.to_string())
    }
}

/// Why the bytes given as the private key are not a usable RSA private key.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
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
    /// An encrypted key (PKCS#8, legacy `Proc-Type: 4,ENCRYPTED` PEM, or an `openssl enc` file)
    /// and no passphrase was given: the caller may prompt for one. The fix decrypts an
    /// `openssl enc` file with `openssl enc -d`, any other with `openssl pkey`.
    NeedsPassphrase { openssl_enc: bool },
    /// An encrypted key and the passphrase given does not decrypt it.
    WrongPassphrase,
    /// An encrypted PKCS#8 key whose encryption sfjwt does not implement (RC2, RC4, MD2,
    /// Camellia...); `legacy_provider` when OpenSSL 3 reads it only with its legacy provider.
    UnsupportedEncryption {
        scheme: String,
        legacy_provider: bool,
    },
    /// An encrypted PKCS#8 key whose encryption parameters (scrypt N, r, p; PBKDF2 iterations;
    /// keyLength; IV) are invalid or past sfjwt's bounds: refused before any key derivation.
    BadEncryptionParameters { problem: String },
    /// Old OpenSSL encryption (`Proc-Type: 4,ENCRYPTED` headers inside the PEM) with a cipher
    /// sfjwt does not decrypt.
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
    #[strum(serialize = "openssh-key")]
    SshKey { key_type: Option<String> },
    /// A PuTTY `.ppk` key.
    PuttyKey,
    /// A PKCS#12 (`.p12` / `.pfx`) bundle in a PEM block (`-----BEGIN PKCS12-----`).
    Pkcs12,
    /// A keystore and no password was given: the caller may prompt for one.
    KeystoreNeedsPassword { store: String },
    /// A keystore whose integrity check (MAC) fails with the password given.
    KeystoreWrongPassword { store: String },
    /// The store's password opens the keystore, not the key of the entry (a JKS entry made
    /// with its own `-keypass`).
    KeystoreKeyPassword { store: String, alias: String },
    /// A keystore without any private key entry (trusted certificates only).
    KeystoreNoPrivateKey { store: String, certificates: usize },
    /// A keystore with several private key entries and no alias given.
    KeystoreAliasNeeded { store: String, aliases: Vec<String> },
    /// An alias that names no private key entry of the keystore.
    KeystoreUnknownAlias {
        store: String,
        alias: String,
        aliases: Vec<String>,
    },
    /// A keystore whose structure is broken.
    KeystoreDamaged { store: String, problem: String },
    /// A keystore that reads, holding something sfjwt does not read.
    KeystoreUnsupported { store: String, what: String },
    /// A PEM block of another kind.
    #[strum(serialize = "unexpected-pem")]
    OtherPem { label: String },
    /// An `openssl enc` file that no combination sfjwt tries decrypts to a key with the
    /// passphrase given: a wrong passphrase, or parameters outside the list.
    OpensslEncNotDecrypted { base64: bool },
    /// An `openssl enc` file that decrypts to a key that is itself encrypted.
    OpensslEncEncryptedInside { params: String },
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
            KeyError::NeedsPassphrase { openssl_enc: false } => {
                "the private key is encrypted and no passphrase was given".into()
            }
            KeyError::NeedsPassphrase { openssl_enc: true } => {
                "the private key is an openssl enc file (Salted__) and no passphrase was given".into()
            }
            KeyError::WrongPassphrase => {
                "the private key is encrypted and the passphrase given does not decrypt it".into()
            }
            KeyError::UnsupportedEncryption { scheme, legacy_provider } => format!(
                "the private key is encrypted with {scheme}, which sfjwt does not decrypt{}",
                if *legacy_provider {
                    " (an obsolete scheme: OpenSSL 3 itself reads it only with its legacy provider)"
                } else {
                    ""
                }
            ),
            KeyError::BadEncryptionParameters { problem } => format!(
                "the private key is encrypted, but the encryption parameters in the file were refused before any decryption: {problem}"
            ),
            KeyError::LegacyEncrypted { cipher } => format!(
                "the private key uses OpenSSL's old encrypted PEM format (Proc-Type: 4,ENCRYPTED) with the cipher {cipher}, which sfjwt does not decrypt (it decrypts AES-128/192/256-CBC, DES-EDE3-CBC, DES-EDE-CBC and DES-CBC)"
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
            KeyError::KeystoreNeedsPassword { .. }
            | KeyError::KeystoreWrongPassword { .. }
            | KeyError::KeystoreKeyPassword { .. }
            | KeyError::KeystoreNoPrivateKey { .. }
            | KeyError::KeystoreAliasNeeded { .. }
            | KeyError::KeystoreUnknownAlias { .. }
            | KeyError::KeystoreDamaged { .. }
            | KeyError::KeystoreUnsupported { .. }
            => keystore::message(self),
            KeyError::OtherPem { label } => {
                format!("this PEM holds -----BEGIN {label}-----, not a private key")
            }
            KeyError::OpensslEncNotDecrypted { .. } => from_salted::not_decrypted_message(),
            KeyError::OpensslEncEncryptedInside { params } => format!(
                "the private key is an openssl enc file that decrypts ({params}) to a key that is itself encrypted, which would need a second passphrase"
            ),
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
            KeyError::NeedsPassphrase { openssl_enc: false } => "Give the passphrase: set $SFJWT_KEY_PASSPHRASE, or `key_passphrase_env = \"VAR\"` in sfjwt.toml naming a variable that holds it, or run on a terminal to be asked. Or decrypt the key once, as the setup guide does: `openssl pkey -in server.key -out server.key.new` (asks for the passphrase), then keep server.key.new as a secret.".into(),
            KeyError::NeedsPassphrase { openssl_enc: true } => "Give the passphrase the pipeline decrypts the file with: set $SFJWT_KEY_PASSPHRASE, or `key_passphrase_env = \"VAR\"` in sfjwt.toml naming the CI variable that holds it, or run on a terminal to be asked. To see which parameters it was made with, decrypt it as the pipeline does, e.g. `openssl enc -d -aes-256-cbc -pbkdf2 -in server.key -out server.key.new`.".into(),
            KeyError::WrongPassphrase => "Check the passphrase (the one given with -pass when the key was made, e.g. `openssl genpkey -aes-256-cbc -pass pass:...`); test it with `openssl pkey -in server.key -noout`. If it is lost, make a new key and certificate (setup guide, step 1) and upload the new server.crt.".into(),
            KeyError::UnsupportedEncryption { legacy_provider, .. } => {
                let legacy = if *legacy_provider {
                    " -provider legacy -provider default"
                } else {
                    ""
                };
                format!(
                    "Re-encrypt the key with AES-256 and PBKDF2-SHA256: `openssl pkcs8 -topk8{legacy} -v2 aes-256-cbc -v2prf hmacWithSHA256 -in server.key -out server.key.new` (asks for the old and the new passphrase), or decrypt it: `openssl pkey{legacy} -in server.key -out server.key.new`. Then replace server.key with server.key.new; the certificate does not change."
                )
            }
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
            KeyError::KeystoreNeedsPassword { .. }
            | KeyError::KeystoreWrongPassword { .. }
            | KeyError::KeystoreKeyPassword { .. }
            | KeyError::KeystoreNoPrivateKey { .. }
            | KeyError::KeystoreAliasNeeded { .. }
            | KeyError::KeystoreUnknownAlias { .. }
            | KeyError::KeystoreDamaged { .. }
            | KeyError::KeystoreUnsupported { .. }
            => keystore::fix(self),
            KeyError::OtherPem { .. } => format!(
                "Give the private key, server.key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----). {remake}"
            ),
            KeyError::OpensslEncNotDecrypted { base64 } => from_salted::not_decrypted_fix(*base64),
            KeyError::OpensslEncEncryptedInside { .. } => from_salted::encrypted_inside_fix(),
        }
    }

    /// A key that needs a password (an encrypted key, a keystore) and none was given: the
    /// caller may prompt for one.
    pub fn needs_passphrase(&self) -> bool {
        matches!(
            self,
            KeyError::NeedsPassphrase { .. } | KeyError::KeystoreNeedsPassword { .. }
        )
    }

    /// A stable short code for JSON evidence, e.g. `empty`, `is-certificate`.
    pub fn code(&self) -> &'static str {
        self.into()
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
/// `passphrase` is used only for an encrypted key (PKCS#8, legacy `Proc-Type: 4,ENCRYPTED`
/// PEM, or an `openssl enc` file). For one, `None` gives
/// [`KeyError::NeedsPassphrase`] and a wrong one [`KeyError::WrongPassphrase`].
pub fn decode_private_key(bytes: &[u8], passphrase: Option<&[u8]>) -> Result<PrivateKey, KeyError> {
    decode_private_key_in(bytes, passphrase, None)
}

/// [`decode_private_key`], where a keystore (PKCS#12, JKS), recognised by its content, is
/// opened with the passphrase as its password, and `alias` chooses its private key entry.
pub fn decode_private_key_in(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    alias: Option<&str>,
) -> Result<PrivateKey, KeyError> {
    decode_private_key_with(
        bytes,
        passphrase,
        Entry {
            alias,
            key_password: None,
        },
    )
}

/// Which private key entry of a keystore to use, and its own password when it has one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entry<'a> {
    /// The entry's alias (`--key-alias`); `None` when the store holds one private key.
    pub alias: Option<&'a str>,
    /// The entry key's own password (`--key-password-file`, `$SFJWT_KEY_PASSWORD`), where it is
    /// not the store's (`keytool -keypass` on a JKS); `None`: the store password.
    pub key_password: Option<&'a [u8]>,
}

/// [`decode_private_key_in`], with the entry key's own password.
pub fn decode_private_key_with(
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    entry: Entry<'_>,
) -> Result<PrivateKey, KeyError> {
    if let Some(kind) = keystore::sniff(bytes) {
        return keystore::open(kind, bytes, passphrase, entry);
    }
    if bytes.is_empty() {
        return Err(KeyError::Empty);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(KeyError::WhitespaceOnly);
    }
    if let Some(file) = crate::bundle::salted::read(bytes) {
        return from_salted::decode(file, passphrase);
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

/// An RSA private key as decoded, with what the other parts of [`PrivateKey`] are made from.
struct Rsa {
    key: OnceLock<rsa::PrivateKey>,
    bits: usize,
    spki_der: Vec<u8>,
    pkcs1_der: Pkcs1Der,
    /// ring's form, when ring takes the key.
    fast: Option<ring::signature::RsaKeyPair>,
}

#[cfg(test)]
mod tests;
