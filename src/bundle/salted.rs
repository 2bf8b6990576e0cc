//! `openssl enc` files, as pipelines keep a key in a repository (`server.key.enc`, decrypted in
//! CI with `openssl enc -d -aes-256-cbc -pbkdf2 -in server.key.enc -out server.key -k $PASS`):
//! `Salted__`, an 8-byte salt and the ciphertext, or the base64 of that (`-a`, starting
//! `U2FsdGVkX1`).
//!
//! The file records none of its parameters: not the cipher, not the key derivation
//! (`EVP_BytesToKey` with `-md`, one round, as OpenSSL did before 1.1.1 and still does without
//! `-pbkdf2`; or PBKDF2 with HMAC-`-md` and `-iter` rounds). So sfjwt tries the combinations
//! users pick ([`KDFS`] × [`CIPHERS`], declared once here and named in findings), cheapest first,
//! and knows it found them when the plaintext reads as a key. The PBKDF2 work of the whole list
//! is bounded at compile time ([`WORK_BUDGET`]): a wrong passphrase costs every derivation once.
//! A file made with `-nosalt` has no header and is not recognised.
//!
//! Derived keys and plaintexts are wiped when dropped. Nothing here knows what a key is: the
//! caller says whether a plaintext is one.

use md5::Md5;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use zeroize::Zeroizing;

use super::kdf::derive;
use super::key::cbc::Cbc;

/// The first bytes of an `openssl enc` file made with a salt (the default).
pub const MAGIC: &[u8] = b"Salted__";
/// The first characters of its base64 form (`openssl enc -a`): `Salted__` in base64.
pub const MAGIC_BASE64: &str = "U2FsdGVkX1";

/// The digest of the key derivation (`-md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Md {
    Md5,
    Sha1,
    Sha256,
    Sha512,
}

impl Md {
    /// As OpenSSL's `-md` takes it, e.g. `sha256`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// As in "HMAC-SHA256": `MD5`, `SHA1`, `SHA256`, `SHA512`.
    pub fn plain(self) -> String {
        self.code().to_ascii_uppercase()
    }

    /// Output bytes: one PBKDF2 block.
    const fn bytes(self) -> u64 {
        match self {
            Md::Md5 => 16,
            Md::Sha1 => 20,
            Md::Sha256 => 32,
            Md::Sha512 => 64,
        }
    }
}

/// How the key and IV are derived from the passphrase and the salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kdf {
    /// `EVP_BytesToKey` with one round: `openssl enc` without `-pbkdf2`. Weak: one hash a guess.
    BytesToKey(Md),
    /// PBKDF2 with HMAC-`Md` and this many iterations: `-pbkdf2` (10000) or `-iter N`.
    Pbkdf2(Md, u32),
}

impl Kdf {
    pub fn md(self) -> Md {
        match self {
            Kdf::BytesToKey(md) | Kdf::Pbkdf2(md, _) => md,
        }
    }

    /// The iteration count: 1 for `EVP_BytesToKey`.
    pub fn iterations(self) -> u32 {
        match self {
            Kdf::BytesToKey(_) => 1,
            Kdf::Pbkdf2(_, n) => n,
        }
    }

    /// A stable code for evidence: `evp-bytes-to-key` or `pbkdf2`.
    pub fn code(self) -> &'static str {
        match self {
            Kdf::BytesToKey(_) => "evp-bytes-to-key",
            Kdf::Pbkdf2(..) => "pbkdf2",
        }
    }

    /// The weak derivation, `openssl enc` warns of ("deprecated key derivation used").
    pub fn is_weak(self) -> bool {
        matches!(self, Kdf::BytesToKey(_))
    }

    /// In words: "PBKDF2-HMAC-SHA256 10000 iterations", "EVP_BytesToKey-MD5 1 iteration".
    pub fn describe(self) -> String {
        match self {
            Kdf::BytesToKey(md) => format!("EVP_BytesToKey-{} 1 iteration", md.plain()),
            Kdf::Pbkdf2(md, n) => format!("PBKDF2-HMAC-{} {n} iterations", md.plain()),
        }
    }

    /// Its `openssl enc` options: `-md md5`, `-pbkdf2`, `-md sha512 -pbkdf2 -iter 100000`.
    fn options(self) -> String {
        match self {
            Kdf::BytesToKey(md) => format!("-md {}", md.code()),
            Kdf::Pbkdf2(md, n) => {
                let md = if md == Md::Sha256 {
                    String::new()
                } else {
                    format!("-md {} ", md.code())
                };
                let iter = if n == DEFAULT_PBKDF2_ITERATIONS {
                    String::new()
                } else {
                    format!(" -iter {n}")
                };
                format!("{md}-pbkdf2{iter}")
            }
        }
    }

    /// The work of one derivation of [`DERIVED_BYTES`], in hash-function calls of its digest's
    /// HMAC (two hashes each): iterations × PBKDF2 blocks. `EVP_BytesToKey` counts as its
    /// blocks.
    pub const fn work(self) -> u64 {
        match self {
            Kdf::BytesToKey(md) => DERIVED_BYTES.div_ceil(md.bytes()),
            Kdf::Pbkdf2(md, n) => n as u64 * DERIVED_BYTES.div_ceil(md.bytes()),
        }
    }
}

/// The cipher (`-aes-256-cbc`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
pub enum Cipher {
    #[strum(serialize = "aes-256-cbc")]
    Aes256Cbc,
    #[strum(serialize = "aes-128-cbc")]
    Aes128Cbc,
    #[strum(serialize = "aes-192-cbc")]
    Aes192Cbc,
    #[strum(serialize = "des-ede3-cbc")]
    DesEde3Cbc,
    #[strum(serialize = "aes-256-ctr")]
    Aes256Ctr,
}

impl Cipher {
    /// As OpenSSL names it, e.g. `aes-256-cbc` (`-aes-256-cbc`).
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// As findings name it: `AES-256-CBC`.
    pub fn name(self) -> String {
        self.code().to_ascii_uppercase()
    }

    fn key_iv_bytes(self) -> (usize, usize) {
        match self {
            Cipher::Aes256Cbc | Cipher::Aes256Ctr => (32, 16),
            Cipher::Aes128Cbc => (16, 16),
            Cipher::Aes192Cbc => (24, 16),
            Cipher::DesEde3Cbc => (24, 8),
        }
    }

    /// The plaintext; `None` when a CBC padding is wrong (what a wrong key gives, 255 in 256).
    fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let cbc = match self {
            Cipher::Aes256Cbc => Cbc::Aes256,
            Cipher::Aes128Cbc => Cbc::Aes128,
            Cipher::Aes192Cbc => Cbc::Aes192,
            Cipher::DesEde3Cbc => Cbc::DesEde3,
            Cipher::Aes256Ctr => {
                use ctr::cipher::{KeyIvInit, StreamCipher};
                let mut buf = Zeroizing::new(data.to_vec());
                let mut ctr = ctr::Ctr128BE::<aes::Aes256>::new_from_slices(key, iv).ok()?;
                ctr.apply_keystream(&mut buf);
                return Some(buf);
            }
        };
        cbc.decrypt(key, iv, data)
    }
}

/// `openssl enc -pbkdf2`'s iteration count when `-iter` is not given.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 10_000;

/// The key derivations sfjwt tries, cheapest first: `EVP_BytesToKey` with OpenSSL 1.0's default
/// digest (MD5: Salesforce's sfdx-travisci sample), 1.1.0's (SHA-256) and SHA-1; then PBKDF2
/// with the default and the counts guides give, with SHA-256 (the default) and SHA-512 (`-md
/// sha512 -pbkdf2 -iter 100000`, a much-copied answer).
pub const KDFS: &[Kdf] = &[
    Kdf::BytesToKey(Md::Md5),
    Kdf::BytesToKey(Md::Sha256),
    Kdf::BytesToKey(Md::Sha1),
    Kdf::Pbkdf2(Md::Sha256, 1_000),
    Kdf::Pbkdf2(Md::Sha512, DEFAULT_PBKDF2_ITERATIONS),
    Kdf::Pbkdf2(Md::Sha256, DEFAULT_PBKDF2_ITERATIONS),
    Kdf::Pbkdf2(Md::Sha512, 100_000),
    Kdf::Pbkdf2(Md::Sha256, 100_000),
];

/// The ciphers tried with each derivation, the most used first.
pub const CIPHERS: &[Cipher] = &[
    Cipher::Aes256Cbc,
    Cipher::Aes128Cbc,
    Cipher::Aes192Cbc,
    Cipher::DesEde3Cbc,
    Cipher::Aes256Ctr,
];

/// Bytes derived once per [`Kdf`]: the longest key and IV of [`CIPHERS`] (AES-256: 32 + 16).
/// `openssl enc` derives key then IV in one output, and a longer PBKDF2 or `EVP_BytesToKey`
/// output begins with the shorter one, so every cipher's key and IV are a prefix of it.
pub const DERIVED_BYTES: u64 = 48;

/// The most work ([`Kdf::work`]) the whole list may cost: what a wrong passphrase runs (twice
/// when it ends with a line break, retried without). The list costs 332,008: a wrong passphrase
/// took 6.4 s in a debug build (0.8 s for the right one, found at PBKDF2-HMAC-SHA256 10000).
pub const WORK_BUDGET: u64 = 400_000;

/// The work of every derivation in [`KDFS`].
pub const fn total_work() -> u64 {
    let mut total = 0;
    let mut i = 0;
    while i < KDFS.len() {
        total += KDFS[i].work();
        i += 1;
    }
    total
}

const _: () = assert!(total_work() <= WORK_BUDGET);

/// One combination: what the finding names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub kdf: Kdf,
    pub cipher: Cipher,
}

impl Params {
    /// "AES-256-CBC, PBKDF2-HMAC-SHA256 10000 iterations".
    pub fn describe(self) -> String {
        format!("{}, {}", self.cipher.name(), self.kdf.describe())
    }

    /// The `openssl enc` options that make or read such a file: `-aes-256-cbc -pbkdf2`.
    pub fn options(self) -> String {
        format!("-{} {}", self.cipher.code(), self.kdf.options())
    }
}

/// An `openssl enc` file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaltedFile {
    pub salt: [u8; 8],
    pub ciphertext: Vec<u8>,
    /// It was base64 (`-a`).
    pub base64: bool,
}

/// Why a file that starts as an `openssl enc` file cannot be read as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// Shorter than its header and salt, or no ciphertext.
    Truncated,
    /// Its base64 form does not decode.
    BadBase64,
}

/// The file, if `bytes` start as one (raw, or base64 after leading white space); `None` for
/// anything else.
pub fn read(bytes: &[u8]) -> Option<Result<SaltedFile, Damage>> {
    if bytes.starts_with(MAGIC) {
        return Some(split(bytes, false));
    }
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    if !bytes[start..].starts_with(MAGIC_BASE64.as_bytes()) {
        return None;
    }
    let text: Zeroizing<Vec<u8>> = Zeroizing::new(
        bytes[start..]
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
    );
    use base64::Engine as _;
    Some(
        match base64::engine::general_purpose::STANDARD.decode(&*text) {
            Ok(raw) => split(&raw, true),
            Err(_) => Err(Damage::BadBase64),
        },
    )
}

fn split(raw: &[u8], base64: bool) -> Result<SaltedFile, Damage> {
    let rest = raw.get(MAGIC.len()..).ok_or(Damage::Truncated)?;
    if rest.len() <= 8 {
        return Err(Damage::Truncated);
    }
    let (salt, ciphertext) = rest.split_at(8);
    Ok(SaltedFile {
        salt: salt.try_into().map_err(|_| Damage::Truncated)?,
        ciphertext: ciphertext.to_vec(),
        base64,
    })
}

/// Key and IV bytes for `kdf`: [`DERIVED_BYTES`] of them.
fn derive(kdf: Kdf, passphrase: &[u8], salt: &[u8]) -> Zeroizing<Vec<u8>> {
    // DERIVED_BYTES is 48: the cast cannot truncate.
    let len = DERIVED_BYTES as usize;
    match kdf {
        Kdf::BytesToKey(Md::Md5) => derive::evp_bytes_to_key::<Md5>(passphrase, salt, len),
        Kdf::BytesToKey(Md::Sha1) => derive::evp_bytes_to_key::<Sha1>(passphrase, salt, len),
        Kdf::BytesToKey(Md::Sha256) => derive::evp_bytes_to_key::<Sha256>(passphrase, salt, len),
        Kdf::BytesToKey(Md::Sha512) => derive::evp_bytes_to_key::<Sha512>(passphrase, salt, len),
        Kdf::Pbkdf2(md, n) => {
            let mut out = Zeroizing::new(vec![0u8; len]);
            match md {
                Md::Md5 => pbkdf2::pbkdf2_hmac::<Md5>(passphrase, salt, n, &mut out),
                Md::Sha1 => pbkdf2::pbkdf2_hmac::<Sha1>(passphrase, salt, n, &mut out),
                Md::Sha256 => pbkdf2::pbkdf2_hmac::<Sha256>(passphrase, salt, n, &mut out),
                Md::Sha512 => pbkdf2::pbkdf2_hmac::<Sha512>(passphrase, salt, n, &mut out),
            }
            out
        }
    }
}

/// Tries every combination, in order, until `accept` takes a plaintext: a plaintext is offered
/// only when its padding is valid and it starts as a key might (`-----BEGIN` after white space,
/// or a DER SEQUENCE); `accept` returns `None` to go on. `None` when no combination is taken.
pub fn decrypt<T>(
    file: &SaltedFile,
    passphrase: &[u8],
    mut accept: impl FnMut(Params, &[u8]) -> Option<T>,
) -> Option<(Params, T)> {
    for &kdf in KDFS {
        let material = derive(kdf, passphrase, &file.salt);
        for &cipher in CIPHERS {
            let (k, i) = cipher.key_iv_bytes();
            let Some(plain) = cipher.decrypt(&material[..k], &material[k..k + i], &file.ciphertext)
            else {
                continue;
            };
            if !looks_like_a_key(&plain) {
                continue;
            }
            let params = Params { kdf, cipher };
            if let Some(found) = accept(params, &plain) {
                return Some((params, found));
            }
        }
    }
    None
}

/// PEM text, or the first byte of DER.
pub fn looks_like_a_key(plain: &[u8]) -> bool {
    let text = plain.strip_prefix("\u{feff}".as_bytes()).unwrap_or(plain);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    text[start..].starts_with(b"-----BEGIN") || plain.first() == Some(&0x30)
}

/// Every combination tried, in words, for a finding.
pub fn tried() -> String {
    let kdfs: Vec<String> = KDFS.iter().map(|k| k.describe()).collect();
    let ciphers: Vec<String> = CIPHERS.iter().map(|c| c.name()).collect();
    format!(
        "the key derivations {}, each with {}",
        kdfs.join(", "),
        ciphers.join(", ")
    )
}

/// The command that decrypts such a file by hand: OpenSSL asks for the passphrase.
pub fn decrypt_command(options: &str, base64: bool, input: &str, output: &str) -> String {
    let a = if base64 { " -a" } else { "" };
    format!("openssl enc -d {options}{a} -in {input} -out {output}")
}

/// The command that encrypts a key as sfjwt advises: AES-256-CBC with PBKDF2 (10000
/// iterations, HMAC-SHA256), salted.
pub fn encrypt_command(input: &str, output: &str) -> String {
    format!("openssl enc -aes-256-cbc -pbkdf2 -salt -in {input} -out {output}")
}

#[cfg(test)]
mod tests;
