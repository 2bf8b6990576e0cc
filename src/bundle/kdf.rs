//! The encryption parameters of an encrypted PKCS#8 key (PBES2: PBKDF2 or scrypt, and the
//! cipher's IV), read from the file's own DER and checked before any dependency sees them.
//!
//! They come from the key file, so they are input like any other, and the crates that decrypt
//! take them as given: `pkcs5` panics on a scrypt cost N of 0 (its log2 underflows), `scrypt`
//! allocates 128 · N · r bytes and PBKDF2 runs as many iterations as the file asks. Each value is
//! checked here against what RFC 8018 (PBKDF2) and RFC 7914 (scrypt) allow and against sfjwt's
//! own bounds ([`MAX_PBKDF2_ITERATIONS`], [`MAX_SCRYPT_COST`]); one that fails becomes a sentence
//! naming the value and what is wrong with it. Schemes sfjwt does not implement are left to the
//! caller, which names them.
//!
//! The schemes older than PBES2 that OpenSSL still writes (PBES1 with DES, PKCS#12's PBE with
//! 3DES, `openssl pkcs8 -v1 ...`) are read here into a [`Pbe`], with their iteration count
//! bounded as PBKDF2's is ([`MAX_PBE_ITERATIONS`]); [`derive`] holds the derivations sfjwt runs
//! for them, since the `pkcs5` crate decrypts only PBES2.

use super::key::{MAX_PBE_ITERATIONS, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_COST};
use super::pem_text::der::{self, Tlv};

pub mod derive;

const OID_PBES2: &str = "1.2.840.113549.1.5.13";
const OID_PBKDF2: &str = "1.2.840.113549.1.5.12";
const OID_SCRYPT: &str = "1.3.6.1.4.1.11591.4.11";

/// The longest salt the `pkcs5` crate holds.
pub const MAX_SALT_BYTES: usize = 32;
/// The largest scrypt r and p the `pkcs5` crate reads (16-bit fields).
pub const MAX_SCRYPT_R_P: u64 = 0xFFFF;

/// The longest PKCS#12 PBE salt sfjwt reads (OpenSSL writes 8 bytes; RFC 7292 sets no limit).
pub const MAX_PKCS12_SALT_BYTES: usize = 64;

/// A password-based scheme older than PBES2 that sfjwt decrypts itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PbeScheme {
    /// PBES1 pbeWithMD5AndDES-CBC (`openssl pkcs8 -v1 PBE-MD5-DES`).
    Pbes1Md5Des,
    /// PBES1 pbeWithSHA1AndDES-CBC (`-v1 PBE-SHA1-DES`).
    Pbes1Sha1Des,
    /// PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC (`-v1 PBE-SHA1-3DES`, OpenSSL 1.0's default).
    Pkcs12Sha1Des3,
    /// PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC (`-v1 PBE-SHA1-2DES`).
    Pkcs12Sha1Des2,
}

impl PbeScheme {
    fn from_oid(oid: &str) -> Option<Self> {
        Some(match oid {
            "1.2.840.113549.1.5.3" => PbeScheme::Pbes1Md5Des,
            "1.2.840.113549.1.5.10" => PbeScheme::Pbes1Sha1Des,
            "1.2.840.113549.1.12.1.3" => PbeScheme::Pkcs12Sha1Des3,
            "1.2.840.113549.1.12.1.4" => PbeScheme::Pkcs12Sha1Des2,
            _ => return None,
        })
    }

    /// Its name, as `describe_encryption` gives it.
    pub fn name(self) -> &'static str {
        match self {
            PbeScheme::Pbes1Md5Des => "PBES1 pbeWithMD5AndDES-CBC",
            PbeScheme::Pbes1Sha1Des => "PBES1 pbeWithSHA1AndDES-CBC",
            PbeScheme::Pkcs12Sha1Des3 => "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC",
            PbeScheme::Pkcs12Sha1Des2 => "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC",
        }
    }

    fn is_pkcs12(self) -> bool {
        matches!(self, PbeScheme::Pkcs12Sha1Des3 | PbeScheme::Pkcs12Sha1Des2)
    }
}

/// The parameters of a [`PbeScheme`] key, read from its `EncryptedPrivateKeyInfo` and checked:
/// an 8-byte salt for PBES1 (RFC 8018 A.3), at most [`MAX_PKCS12_SALT_BYTES`] for PKCS#12, 1 to
/// [`MAX_PBE_ITERATIONS`] iterations, and whole 8-byte DES blocks of ciphertext.
#[derive(Debug, Clone, Copy)]
pub struct Pbe<'a> {
    pub scheme: PbeScheme,
    pub salt: &'a [u8],
    pub iterations: u32,
    pub ciphertext: &'a [u8],
}

/// The PBES1 or PKCS#12 PBE scheme of an `EncryptedPrivateKeyInfo` (its whole DER): `None` for
/// any other scheme (PBES2, or one sfjwt does not decrypt, which the caller names); `Err` says
/// which value is wrong and why, in words for a finding.
pub fn pbe(epki: &[u8]) -> Option<Result<Pbe<'_>, String>> {
    let (outer, _) = der::read(epki).ok()?;
    let kids = der::children(outer.value).ok()?;
    let (oid, params) = der::algorithm(kids.first()?)?;
    let scheme = PbeScheme::from_oid(&oid)?;
    Some(pbe_params(scheme, params, kids.get(1).copied()))
}

fn pbe_params<'a>(
    scheme: PbeScheme,
    params: Option<Tlv<'a>>,
    data: Option<Tlv<'a>>,
) -> Result<Pbe<'a>, String> {
    let name = scheme.name();
    let kids = sequence(params, name)?;
    let [salt, iterations, ..] = kids.as_slice() else {
        return Err(format!(
            "its {name} parameters are incomplete: they give a salt and an iteration count"
        ));
    };
    if salt.tag != der::OCTET_STRING {
        return Err(format!("its {name} salt is not an OCTET STRING"));
    }
    let len = salt.value.len();
    if scheme.is_pkcs12() && !(1..=MAX_PKCS12_SALT_BYTES).contains(&len) {
        return Err(format!(
            "its {name} salt is {len} bytes, and sfjwt reads 1 to {MAX_PKCS12_SALT_BYTES} (OpenSSL writes 8)"
        ));
    }
    if !scheme.is_pkcs12() && len != 8 {
        return Err(format!(
            "its {name} salt is {len} bytes, and PBES1 takes 8 (RFC 8018)"
        ));
    }
    let iterations = match integer(iterations, &format!("{name} iteration count"))? {
        Int::Value(n) if n > u64::from(MAX_PBE_ITERATIONS) => Err(format!(
            "{name} with {n} iterations, more than sfjwt runs (at most {MAX_PBE_ITERATIONS}; OpenSSL writes 2048)"
        )),
        Int::Value(n) if n >= 1 => Ok(u32::try_from(n).unwrap_or(MAX_PBE_ITERATIONS)),
        Int::Huge => Err(format!(
            "{name} with more than 2^64 iterations, more than sfjwt runs (at most {MAX_PBE_ITERATIONS}; OpenSSL writes 2048)"
        )),
        other => Err(format!(
            "its {name} iteration count is {other}, and it needs at least 1"
        )),
    }?;
    let ciphertext = match data {
        Some(t) if t.tag == der::OCTET_STRING => t.value,
        _ => return Err("its encrypted data is missing or not an OCTET STRING".into()),
    };
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(8) {
        return Err(format!(
            "its encrypted data is {} bytes, not a whole number of 8-byte DES blocks",
            ciphertext.len()
        ));
    }
    Ok(Pbe {
        scheme,
        salt: salt.value,
        iterations,
        ciphertext,
    })
}

/// A cipher of PBES2, as far as its parameters go.
struct Cipher {
    name: &'static str,
    key_bytes: u64,
    /// The IV (or GCM nonce) the parameters must hold.
    iv_bytes: usize,
    iv_name: &'static str,
}

fn cipher(oid: &str) -> Option<Cipher> {
    let (name, key_bytes, iv_bytes, iv_name) = match oid {
        "2.16.840.1.101.3.4.1.2" => ("AES-128-CBC", 16, 16, "IV"),
        "2.16.840.1.101.3.4.1.22" => ("AES-192-CBC", 24, 16, "IV"),
        "2.16.840.1.101.3.4.1.42" => ("AES-256-CBC", 32, 16, "IV"),
        "2.16.840.1.101.3.4.1.6" => ("AES-128-GCM", 16, 12, "nonce"),
        "2.16.840.1.101.3.4.1.46" => ("AES-256-GCM", 32, 12, "nonce"),
        "1.2.840.113549.3.7" => ("DES-EDE3-CBC", 24, 8, "IV"),
        "1.3.14.3.2.7" => ("DES-CBC", 8, 8, "IV"),
        _ => return None,
    };
    Some(Cipher {
        name,
        key_bytes,
        iv_bytes,
        iv_name,
    })
}

/// Checks the PBES2 parameters of an `EncryptedPrivateKeyInfo` (its whole DER). `Ok` for every
/// other scheme and for key-derivation functions and ciphers sfjwt does not know: the caller
/// names those. `Err` says which value is wrong and why, in words for a finding.
pub fn check(epki: &[u8]) -> Result<(), String> {
    if let Some(pbe) = pbe(epki) {
        return pbe.map(|_| ());
    }
    let Some((oid, params)) = der::read(epki)
        .ok()
        .and_then(|(outer, _)| der::children(outer.value).ok())
        .and_then(|kids| kids.first().and_then(der::algorithm))
    else {
        return Ok(());
    };
    if oid != OID_PBES2 {
        return Ok(());
    }
    let broken =
        || "its PBES2 parameters are not a key-derivation function and a cipher".to_string();
    let parts = params
        .filter(|p| p.tag == der::SEQUENCE)
        .and_then(|p| der::children(p.value).ok())
        .ok_or_else(broken)?;
    let [kdf, enc, ..] = parts.as_slice() else {
        return Err(broken());
    };
    let (kdf_oid, kdf_params) = der::algorithm(kdf).ok_or_else(broken)?;
    let (enc_oid, enc_params) = der::algorithm(enc).ok_or_else(broken)?;
    let cipher = cipher(&enc_oid);
    if let Some(c) = &cipher {
        check_iv(c, enc_params)?;
    }
    match kdf_oid.as_str() {
        OID_PBKDF2 => check_pbkdf2(kdf_params, cipher.as_ref()),
        OID_SCRYPT => check_scrypt(kdf_params, cipher.as_ref()),
        _ => Ok(()),
    }
}

fn check_iv(c: &Cipher, params: Option<Tlv<'_>>) -> Result<(), String> {
    let (name, what) = (c.name, c.iv_name);
    match params {
        Some(t) if t.tag == der::OCTET_STRING && t.value.len() == c.iv_bytes => Ok(()),
        Some(t) if t.tag == der::OCTET_STRING => Err(format!(
            "its {name} {what} is {} bytes, and {name} takes {}",
            t.value.len(),
            c.iv_bytes
        )),
        Some(_) => Err(format!("its {name} {what} is not an OCTET STRING")),
        None => Err(format!("its {name} {what} is missing")),
    }
}

/// PBKDF2-params (RFC 8018 A.2): salt, iterationCount, keyLength OPTIONAL, prf DEFAULT SHA-1.
fn check_pbkdf2(params: Option<Tlv<'_>>, cipher: Option<&Cipher>) -> Result<(), String> {
    let kids = sequence(params, "PBKDF2")?;
    let [salt, iterations, rest @ ..] = kids.as_slice() else {
        return Err(
            "its PBKDF2 parameters are incomplete: RFC 8018 gives a salt and an iteration count"
                .into(),
        );
    };
    check_salt(salt, "PBKDF2")?;
    match integer(iterations, "PBKDF2 iteration count")? {
        Int::Value(n) if n > u64::from(MAX_PBKDF2_ITERATIONS) => Err(format!(
            "PBKDF2 with {n} iterations, more than sfjwt runs (at most {MAX_PBKDF2_ITERATIONS}; OpenSSL writes 2048)"
        )),
        Int::Value(n) if n >= 1 => Ok(()),
        Int::Huge => Err(format!(
            "PBKDF2 with more than 2^64 iterations, more than sfjwt runs (at most {MAX_PBKDF2_ITERATIONS}; OpenSSL writes 2048)"
        )),
        other => Err(format!(
            "its PBKDF2 iteration count is {other}, and RFC 8018 needs at least 1"
        )),
    }?;
    match rest.first() {
        Some(length) if length.tag == der::INTEGER => check_key_length(length, cipher),
        _ => Ok(()),
    }
}

/// scrypt-params (RFC 7914 §7.1): salt, costParameter N, blockSize r, parallelizationParameter
/// p, keyLength OPTIONAL.
fn check_scrypt(params: Option<Tlv<'_>>, cipher: Option<&Cipher>) -> Result<(), String> {
    let kids = sequence(params, "scrypt")?;
    let [salt, n, r, p, rest @ ..] = kids.as_slice() else {
        return Err(
            "its scrypt parameters are incomplete: RFC 7914 gives a salt, a cost N, a block size r and a parallelization p"
                .into(),
        );
    };
    check_salt(salt, "scrypt")?;
    let n = match integer(n, "scrypt cost N")? {
        Int::Value(n) if n > 1 && n.is_power_of_two() => n,
        Int::Huge => {
            return Err(format!(
                "its scrypt cost N is 2^64 or more, far more memory than sfjwt will use (at most N · r = {MAX_SCRYPT_COST})"
            ));
        }
        other => {
            return Err(format!(
                "its scrypt cost N is {other}, and RFC 7914 needs a power of two greater than 1"
            ));
        }
    };
    let r = at_least_one(r, "scrypt block size r")?;
    let p = at_least_one(p, "scrypt parallelization p")?;
    scrypt_bounds(n, r, p)?;
    match rest.first() {
        Some(length) => check_key_length(length, cipher),
        None => Ok(()),
    }
}

/// What RFC 7914 allows of N, r and p together, then what sfjwt runs.
fn scrypt_bounds(n: u64, r: u64, p: u64) -> Result<(), String> {
    let (n, r, p) = (u128::from(n), u128::from(r), u128::from(p));
    let log_n = n.trailing_zeros();
    if u128::from(log_n) >= 16 * r {
        return Err(format!(
            "its scrypt cost N = 2^{log_n} is not below 2^(128 · r / 8) = 2^{} for r = {r}, as RFC 7914 requires",
            16 * r
        ));
    }
    let p_max = u128::from(u32::MAX) * 32 / (128 * r);
    if p > p_max {
        return Err(format!(
            "its scrypt parallelization p = {p} is more than (2^32 - 1) · 32 / (128 · r) = {p_max}, the most RFC 7914 allows for r = {r}"
        ));
    }
    let max = u128::from(MAX_SCRYPT_R_P);
    if r > max || p > max {
        return Err(format!(
            "its scrypt block size r is {r} and its parallelization p {p}, and sfjwt reads at most {max} for each"
        ));
    }
    let bound = u128::from(MAX_SCRYPT_COST);
    let cost = n * r;
    if cost > bound {
        return Err(format!(
            "scrypt with more memory or work than sfjwt will use: N · r = {cost} (N = {n}, r = {r}) takes {} MiB, and sfjwt runs at most N · r = {bound} ({} MiB)",
            (cost * 128) >> 20,
            (bound * 128) >> 20
        ));
    }
    if cost * p > bound {
        return Err(format!(
            "scrypt with more memory or work than sfjwt will use: N · r · p = {} (N = {n}, r = {r}, p = {p}), and sfjwt runs at most N · r · p = {bound}",
            cost * p
        ));
    }
    Ok(())
}

/// The keyLength field, when present: the cipher's key size, in bytes.
fn check_key_length(t: &Tlv<'_>, cipher: Option<&Cipher>) -> Result<(), String> {
    let length = integer(t, "keyLength")?;
    let Some(c) = cipher else {
        // A cipher sfjwt does not know: the caller names it.
        return Ok(());
    };
    if length == Int::Value(c.key_bytes) {
        return Ok(());
    }
    Err(format!(
        "its keyLength is {length} bytes, and {} takes a {}-byte key",
        c.name, c.key_bytes
    ))
}

fn check_salt(t: &Tlv<'_>, kdf: &str) -> Result<(), String> {
    if t.tag != der::OCTET_STRING {
        return Err(format!(
            "its {kdf} salt is not an OCTET STRING (RFC 8018's otherSource, which sfjwt does not read)"
        ));
    }
    if t.value.len() > MAX_SALT_BYTES {
        return Err(format!(
            "its {kdf} salt is {} bytes, more than the {MAX_SALT_BYTES} sfjwt reads (OpenSSL writes 8 or 16)",
            t.value.len()
        ));
    }
    Ok(())
}

/// The children of a parameters SEQUENCE.
fn sequence<'a>(params: Option<Tlv<'a>>, kdf: &str) -> Result<Vec<Tlv<'a>>, String> {
    params
        .filter(|p| p.tag == der::SEQUENCE)
        .and_then(|p| der::children(p.value).ok())
        .ok_or_else(|| format!("its {kdf} parameters are missing or not a SEQUENCE"))
}

fn at_least_one(t: &Tlv<'_>, what: &str) -> Result<u64, String> {
    match integer(t, what)? {
        Int::Value(v) if v >= 1 => Ok(v),
        Int::Huge => Err(format!(
            "its {what} is 2^64 or more, and sfjwt reads at most {MAX_SCRYPT_R_P}"
        )),
        other => Err(format!(
            "its {what} is {other}, and RFC 7914 needs at least 1"
        )),
    }
}

/// A DER INTEGER as far as a parameter needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Int {
    Negative,
    Value(u64),
    /// 2^64 or more.
    Huge,
}

impl std::fmt::Display for Int {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Int::Negative => f.write_str("negative"),
            Int::Value(v) => write!(f, "{v}"),
            Int::Huge => f.write_str("2^64 or more"),
        }
    }
}

fn integer(t: &Tlv<'_>, what: &str) -> Result<Int, String> {
    if t.tag != der::INTEGER {
        return Err(format!("its {what} is not an INTEGER"));
    }
    let (first, second) = match t.value {
        [] => return Err(format!("its {what} is an INTEGER with no digits")),
        [first] => (*first, None),
        [first, second, ..] => (*first, Some(*second)),
    };
    if let Some(second) = second
        && ((first == 0 && second < 0x80) || (first == 0xFF && second >= 0x80))
    {
        return Err(format!(
            "its {what} is not in DER's shortest form (it starts with a needless {first:02X} byte)"
        ));
    }
    if first >= 0x80 {
        return Ok(Int::Negative);
    }
    let digits = t.value.strip_prefix(&[0]).unwrap_or(t.value);
    if digits.len() > 8 {
        return Ok(Int::Huge);
    }
    Ok(Int::Value(
        digits.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)),
    ))
}

#[cfg(test)]
mod tests;
