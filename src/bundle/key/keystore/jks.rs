//! The Java KeyStore file (`keytool -storetype JKS`, and JCEKS alike), read by hand: no crate
//! reads it on the RustCrypto stack, and the format is small.
//!
//! ```text
//! u32 magic (0xFEEDFEED JKS, 0xCECECECE JCEKS), u32 version (1 or 2), u32 entry count
//! each entry: u32 tag, UTF alias (u16 length + modified UTF-8), u64 date (ms)
//!   tag 1, private key:  u32 length + EncryptedPrivateKeyInfo DER, u32 chain length,
//!                        each certificate: [version 2: UTF type "X.509"] u32 length + DER
//!   tag 2, trusted cert: [version 2: UTF type] u32 length + DER
//!   tag 3, secret key (JCEKS only): a Java serialized object, which sfjwt does not read
//! u8[20] SHA-1(password as UTF-16BE || "Mighty Aphrodite" || every byte before it)
//! ```
//!
//! A JKS private key is protected with Sun's "JKS key protector" (OID 1.3.6.1.4.1.42.2.17.1.1):
//! `salt (20) || key XOR stream || check (20)`, the stream made of `SHA-1(password || previous)`
//! blocks starting from the salt, and the check `SHA-1(password || plain key)`. The password is
//! UTF-16BE, as Java's `char[]` is. A JCEKS key is protected with Sun's PBEWithMD5AndTripleDES
//! (1.3.6.1.4.1.42.2.19.1, `jceks_recover`): 3DES-CBC, its key and IV made from an 8-byte salt
//! by MD5 over each half and the password (one byte a character), iterated.

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::{Entry, MAX_CHAIN, MAX_ENTRIES, Protected, Store, StoreKind, damaged, safe_alias};
use crate::bundle::key::KeyError;

const OID_JKS_KEY_PROTECTOR: &str = "1.3.6.1.4.1.42.2.17.1.1";
const OID_JCEKS_KEY_PROTECTOR: &str = "1.3.6.1.4.1.42.2.19.1";
const TAG_PRIVATE_KEY: u32 = 1;
const TAG_TRUSTED_CERT: u32 = 2;
const TAG_SECRET_KEY: u32 = 3;
const DIGEST: usize = 20;

/// A bounded reader over the file: every read checks what is left, nothing panics.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.data.get(self.at..end)?;
        self.at = end;
        Some(out)
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn utf(&mut self) -> Option<String> {
        let len = usize::from(self.u16()?);
        // Java's modified UTF-8 differs from UTF-8 only for NUL and characters past U+FFFF.
        self.take(len)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// A u32 length and that many bytes.
    fn blob(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        self.take(len)
    }
}

/// The password as Java's `char[]` is hashed: UTF-16 big-endian, no terminator (a passphrase
/// that is not UTF-8 is taken as Latin-1, byte for byte).
fn utf16be(pass: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut bmp = crate::bundle::kdf::derive::bmp_password(pass);
    let len = bmp.len().saturating_sub(2);
    bmp.truncate(len);
    bmp
}

/// Reads a JKS or JCEKS file and checks its integrity with the password.
pub(super) fn read(bytes: &[u8], pass: &[u8], kind: StoreKind) -> Result<Store, KeyError> {
    let cut = || {
        damaged(
            kind,
            "the file ends before its entries do (it is cut short)",
        )
    };
    let body_len = bytes.len().checked_sub(DIGEST).ok_or_else(cut)?;
    let mut r = Reader {
        data: &bytes[..body_len],
        at: 4,
    };
    let version = r.u32().ok_or_else(cut)?;
    if version != 1 && version != 2 {
        return Err(damaged(
            kind,
            format!("its version is {version}, not 1 or 2"),
        ));
    }
    let count = usize::try_from(r.u32().ok_or_else(cut)?).unwrap_or(usize::MAX);
    if count > MAX_ENTRIES {
        return Err(damaged(
            kind,
            format!("it announces {count} entries, more than the {MAX_ENTRIES} sfjwt reads"),
        ));
    }
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        entries.push(entry(&mut r, version, kind)?.ok_or_else(cut)?);
    }
    if r.at != body_len {
        return Err(damaged(kind, "it has bytes after its last entry"));
    }
    let mut hash = Sha1::new();
    hash.update(&*utf16be(pass));
    hash.update(b"Mighty Aphrodite");
    hash.update(&bytes[..body_len]);
    if hash.finalize().as_slice() != &bytes[body_len..] {
        return Err(KeyError::KeystoreWrongPassword {
            store: kind.to_string(),
        });
    }
    Ok(Store {
        kind,
        entries,
        notes: Vec::new(),
    })
}

/// One entry; `Ok(None)` when the file ends inside it.
fn entry(r: &mut Reader<'_>, version: u32, kind: StoreKind) -> Result<Option<Entry>, KeyError> {
    let Some(tag) = r.u32() else { return Ok(None) };
    let Some(alias) = r.utf() else {
        return Ok(None);
    };
    let alias = safe_alias(&alias);
    if r.take(8).is_none() {
        return Ok(None);
    }
    let cert = |r: &mut Reader<'_>| -> Option<Vec<u8>> {
        if version == 2 {
            r.utf()?;
        }
        r.blob().map(<[u8]>::to_vec)
    };
    match tag {
        TAG_PRIVATE_KEY => {
            let Some(epki) = r.blob() else {
                return Ok(None);
            };
            let Some(n) = r.u32() else { return Ok(None) };
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            if n > MAX_CHAIN {
                return Err(damaged(
                    kind,
                    format!(
                        "the entry {alias} announces a chain of {n} certificates, more than the {MAX_CHAIN} sfjwt reads"
                    ),
                ));
            }
            let mut certs = Vec::with_capacity(n);
            for _ in 0..n {
                let Some(c) = cert(r) else { return Ok(None) };
                certs.push(c);
            }
            let key = protected(epki, kind, &alias)?;
            Ok(Some(Entry {
                alias,
                key: Some(key),
                certs,
            }))
        }
        TAG_TRUSTED_CERT => Ok(cert(r).map(|c| Entry {
            alias,
            key: None,
            certs: vec![c],
        })),
        TAG_SECRET_KEY if kind == StoreKind::Jceks => Err(KeyError::KeystoreUnsupported {
            store: kind.to_string(),
            what: format!(
                "the entry {alias} is a secret key (a Java serialized object), which sfjwt does not read"
            ),
        }),
        other => Err(damaged(
            kind,
            format!("the entry {alias} has the unknown tag {other}"),
        )),
    }
}

/// How an entry's key is protected: JKS's key protector, or another scheme named by the
/// `EncryptedPrivateKeyInfo` (JCEKS's PBEWithMD5AndTripleDES, refused when decrypted).
fn protected(epki: &[u8], kind: StoreKind, alias: &str) -> Result<Protected, KeyError> {
    use crate::bundle::pem_text::der;
    let broken = || {
        damaged(
            kind,
            format!("the key of the entry {alias} is not an EncryptedPrivateKeyInfo"),
        )
    };
    let (outer, _) = der::read(epki).map_err(|_| broken())?;
    let kids = der::children(outer.value).map_err(|_| broken())?;
    let (oid, _) = kids.first().and_then(der::algorithm).ok_or_else(broken)?;
    match (oid.as_str(), kids.get(1)) {
        (OID_JKS_KEY_PROTECTOR, Some(data)) if data.tag == der::OCTET_STRING => {
            Ok(Protected::Jks(data.value.to_vec()))
        }
        (OID_JKS_KEY_PROTECTOR, _) => Err(broken()),
        (OID_JCEKS_KEY_PROTECTOR, _) => Ok(Protected::Jceks(outer.raw.to_vec())),
        _ => Ok(Protected::Pkcs8(outer.raw.to_vec())),
    }
}

/// Recovers a key protected by JKS's key protector: the PKCS#8 `PrivateKeyInfo`, or `None`
/// when the password is not the key's (its check does not match) or the data is too short.
pub(super) fn recover(protected: &[u8], pass: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let enc_len = protected.len().checked_sub(2 * DIGEST)?;
    let salt = &protected[..DIGEST];
    let encrypted = &protected[DIGEST..DIGEST + enc_len];
    let check = &protected[DIGEST + enc_len..];
    let password = utf16be(pass);
    let mut plain = Zeroizing::new(Vec::with_capacity(enc_len));
    let mut digest = Zeroizing::new(salt.to_vec());
    for chunk in encrypted.chunks(DIGEST) {
        let mut hash = Sha1::new();
        hash.update(&*password);
        hash.update(&*digest);
        digest.copy_from_slice(&hash.finalize());
        plain.extend(chunk.iter().zip(digest.iter()).map(|(c, k)| c ^ k));
    }
    let mut hash = Sha1::new();
    hash.update(&*password);
    hash.update(&*plain);
    (hash.finalize().as_slice() == check).then_some(plain)
}

/// Recovers a key protected by JCEKS's PBEWithMD5AndTripleDES (`com.sun.crypto.provider`'s
/// `PBES1Core` with DESede): `PBEParameter { salt (8 bytes), iterations }`; each half of the
/// salt (the first reversed when both halves are equal) is hashed with the password, MD5 over
/// `previous || password` as many times as the count says, making the 24-byte key and the IV.
/// `None` when the parameters do not read or the padding is wrong.
pub(super) fn jceks_recover(epki: &[u8], pass: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use crate::bundle::pem_text::der;
    use md5::Md5;
    let (outer, _) = der::read(epki).ok()?;
    let kids = der::children(outer.value).ok()?;
    let (_, params) = der::algorithm(kids.first()?)?;
    let data = kids.get(1).filter(|t| t.tag == der::OCTET_STRING)?;
    let params = der::children(params?.value).ok()?;
    let salt = params
        .first()
        .filter(|t| t.tag == der::OCTET_STRING && t.value.len() == 8)?;
    let count = params.get(1).filter(|t| t.tag == der::INTEGER)?.value;
    if count.is_empty() || count.len() > 4 {
        return None;
    }
    let count = count.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b));
    if count == 0 || count > crate::bundle::key::MAX_PBE_ITERATIONS {
        return None;
    }
    let mut salt = salt.value.to_vec();
    if salt[..4] == salt[4..] {
        salt[..4].reverse();
    }
    // Java takes the low byte of each character of the password.
    let password: Zeroizing<Vec<u8>> =
        Zeroizing::new(utf16be(pass).chunks_exact(2).map(|unit| unit[1]).collect());
    let mut derived = Zeroizing::new(Vec::with_capacity(32));
    for half in salt.chunks(4) {
        let mut block = Zeroizing::new(half.to_vec());
        for _ in 0..count {
            let mut hash = Md5::new();
            hash.update(&*block);
            hash.update(&*password);
            *block = hash.finalize().to_vec();
        }
        derived.extend_from_slice(&block);
    }
    super::super::cbc::Cbc::DesEde3.decrypt(&derived[..24], &derived[24..32], data.value)
}
