//! Sun's Java KeyStore (JKS, version 2), written by hand (no crate writes it on the RustCrypto
//! stack). `sfjwt convert` reads what it wrote back with sfjwt's own keystore reader
//! (`bundle::key::keystore`, the one `sfjwt check --key` uses); the small reader here is the
//! writer's unit tests' only. The layout, as `sun.security.provider.
//! JavaKeyStore` reads it:
//!
//! ```text
//! u32 0xFEEDFEED, u32 2 (version), u32 entry count
//! per entry: u32 1 (private key), UTF alias, u64 creation time (ms since 1970),
//!            u32 length + EncryptedPrivateKeyInfo DER (OID 1.3.6.1.4.1.42.2.17.1.1),
//!            u32 chain length, per certificate: UTF "X.509", u32 length + DER
//! 20 bytes: SHA-1(password as UTF-16BE || "Mighty Aphrodite" || every byte above)
//! ```
//!
//! The key protector (`sun.security.provider.KeyProtector`): a random 20-byte salt; a keystream
//! of 20-byte blocks, each SHA-1(password as UTF-16BE || the previous block), the first after
//! the salt; the PKCS#8 DER XORed with it; then SHA-1(password || PKCS#8 DER) to check it. The
//! protection is weak (one SHA-1 a block, no iterations): it is the format's, and why keytool
//! says to migrate to PKCS#12. Java reads JKS still, and MuleSoft and older tools ask for it.

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

const MAGIC: u32 = 0xFEED_FEED;
const VERSION: u32 = 2;
const PRIVATE_KEY_ENTRY: u32 = 1;
const INTEGRITY_SALT: &[u8] = b"Mighty Aphrodite";
/// `1.3.6.1.4.1.42.2.17.1.1`, Sun's key protector, as DER content bytes.
const KEY_PROTECTOR_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];
const DIGEST_LEN: usize = 20;

/// The entry a keystore holds: the alias, the key (PKCS#8 DER) and its certificate chain (DER).
pub struct Entry {
    pub alias: String,
    pub pkcs8_der: Zeroizing<Vec<u8>>,
    pub chain: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Entry {
    /// The alias and the chain's size: never the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Entry({}, key <redacted>, {} certificates)",
            self.alias,
            self.chain.len()
        )
    }
}

/// The password as Java hands it to the key protector and the integrity check: UTF-16BE.
fn password_bytes(password: &str) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(password.encode_utf16().flat_map(u16::to_be_bytes).collect())
}

/// The key protector's keystream applied to `data` (the same operation both ways).
fn keystream_xor(password: &[u8], salt: &[u8; DIGEST_LEN], data: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(data.len()));
    let mut block = *salt;
    for chunk in data.chunks(DIGEST_LEN) {
        let mut h = Sha1::new();
        h.update(password);
        h.update(block);
        block.copy_from_slice(&h.finalize());
        out.extend(chunk.iter().zip(block).map(|(d, k)| d ^ k));
    }
    out
}

fn sha1_of(parts: &[&[u8]]) -> [u8; DIGEST_LEN] {
    let mut h = Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// A DER length.
fn der_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    der_len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

/// The protected key as an EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID, NULL },
/// OCTET STRING salt || encrypted || check }.
fn protect(password: &[u8], salt: [u8; DIGEST_LEN], pkcs8_der: &[u8]) -> Vec<u8> {
    let mut blob = salt.to_vec();
    blob.extend_from_slice(&keystream_xor(password, &salt, pkcs8_der));
    blob.extend_from_slice(&sha1_of(&[password, pkcs8_der]));
    let mut algorithm = der(0x06, KEY_PROTECTOR_OID);
    algorithm.extend([0x05, 0x00]);
    let mut body = der(0x30, &algorithm);
    body.extend(der(0x04, &blob));
    der(0x30, &body)
}

/// Java's modified UTF-8 as `DataOutputStream.writeUTF` writes it (the same as UTF-8 for text
/// without NUL or characters outside the BMP, which is what an alias is).
fn put_utf(out: &mut Vec<u8>, text: &str) -> Result<(), String> {
    let len = u16::try_from(text.len()).map_err(|_| "the alias is too long".to_string())?;
    out.extend(len.to_be_bytes());
    out.extend(text.as_bytes());
    Ok(())
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), String> {
    let len = u32::try_from(bytes.len()).map_err(|_| "an entry is too large".to_string())?;
    out.extend(len.to_be_bytes());
    out.extend(bytes);
    Ok(())
}

/// A JKS keystore holding `entry`, made at `created_ms`, with `salt` for its key protector.
pub fn write(
    entry: &Entry,
    password: &str,
    created_ms: u64,
    salt: [u8; DIGEST_LEN],
) -> Result<Vec<u8>, String> {
    let password = password_bytes(password);
    let mut out = Vec::new();
    for word in [MAGIC, VERSION, 1, PRIVATE_KEY_ENTRY] {
        out.extend(word.to_be_bytes());
    }
    put_utf(&mut out, &entry.alias)?;
    out.extend(created_ms.to_be_bytes());
    put_bytes(&mut out, &protect(&password, salt, &entry.pkcs8_der))?;
    out.extend(
        u32::try_from(entry.chain.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    for cert in &entry.chain {
        put_utf(&mut out, "X.509")?;
        put_bytes(&mut out, cert)?;
    }
    let digest = sha1_of(&[&password, INTEGRITY_SALT, &out]);
    out.extend(digest);
    Ok(out)
}

#[cfg(test)]
/// Reads bytes off the front of a keystore.
struct Reader<'a>(&'a [u8]);

#[cfg(test)]
impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("the keystore ends early".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u16(&mut self) -> Result<usize, String> {
        Ok(usize::from(u16::from_be_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        )))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_be_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn utf(&mut self) -> Result<String, String> {
        let n = self.u16()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| "an alias is not UTF-8".into())
    }
    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

#[cfg(test)]
/// The content of the DER element at the front of `der` with this `tag`, and what follows it.
fn der_content(der: &[u8], tag: u8) -> Result<(&[u8], &[u8]), String> {
    let bad = || "the protected key is not the DER the key protector writes".to_string();
    let (&t, rest) = der.split_first().ok_or_else(bad)?;
    let (&first, rest) = rest.split_first().ok_or_else(bad)?;
    if t != tag {
        return Err(bad());
    }
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return Err(bad());
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, b| (a << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return Err(bad());
    }
    Ok(rest.split_at(len))
}

#[cfg(test)]
/// Undoes [`protect`]: the PKCS#8 DER, after its check digest is verified.
fn unprotect(password: &[u8], epki: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
    let (seq, _) = der_content(epki, 0x30)?;
    let (algorithm, rest) = der_content(seq, 0x30)?;
    let (oid, _) = der_content(algorithm, 0x06)?;
    if oid != KEY_PROTECTOR_OID {
        return Err("the key is not protected with Sun's key protector".into());
    }
    let (blob, _) = der_content(rest, 0x04)?;
    if blob.len() < 2 * DIGEST_LEN {
        return Err("the protected key is too short".into());
    }
    let salt: [u8; DIGEST_LEN] = blob[..DIGEST_LEN].try_into().expect("20 bytes");
    let (encrypted, check) = blob[DIGEST_LEN..].split_at(blob.len() - 2 * DIGEST_LEN);
    let plain = keystream_xor(password, &salt, encrypted);
    if sha1_of(&[password, &plain]) != check {
        return Err("the key's check digest does not match: wrong password".into());
    }
    Ok(plain)
}

#[cfg(test)]
/// Reads a JKS keystore of private key entries: the integrity digest is verified with
/// `password`, and each key unprotected with it.
pub fn read(bytes: &[u8], password: &str) -> Result<Vec<Entry>, String> {
    let password = password_bytes(password);
    let body_len = bytes
        .len()
        .checked_sub(DIGEST_LEN)
        .ok_or("the keystore is too short")?;
    let (body, digest) = bytes.split_at(body_len);
    if sha1_of(&[&password, INTEGRITY_SALT, body]) != digest {
        return Err("the keystore's integrity digest does not match".into());
    }
    let mut r = Reader(body);
    if r.u32()? != MAGIC || r.u32()? != VERSION {
        return Err("not a JKS keystore of version 2".into());
    }
    let count = r.u32()?;
    let mut entries = Vec::new();
    for _ in 0..count {
        if r.u32()? != PRIVATE_KEY_ENTRY {
            return Err("an entry is not a private key entry".into());
        }
        let alias = r.utf()?;
        r.take(8)?;
        let pkcs8_der = unprotect(&password, r.bytes()?)?;
        let mut chain = Vec::new();
        for _ in 0..r.u32()? {
            if r.utf()? != "X.509" {
                return Err("a certificate is not X.509".into());
            }
            chain.push(r.bytes()?.to_vec());
        }
        entries.push(Entry {
            alias,
            pkcs8_der,
            chain,
        });
    }
    if !r.0.is_empty() {
        return Err("bytes after the last entry".into());
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            alias: "sfjwt".into(),
            pkcs8_der: Zeroizing::new((0..=255u8).cycle().take(1217).collect()),
            chain: vec![vec![0x30, 0x03, 1, 2, 3]],
        }
    }

    #[test]
    fn a_written_keystore_reads_back_with_its_password_only() {
        let bytes = write(&entry(), "changeit", 1_700_000_000_000, [7; 20]).unwrap();
        assert_eq!(
            &bytes[..12],
            &[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1]
        );
        let back = read(&bytes, "changeit").unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].alias, "sfjwt");
        assert_eq!(*back[0].pkcs8_der, *entry().pkcs8_der);
        assert_eq!(back[0].chain, entry().chain);
        assert!(read(&bytes, "changeiT").unwrap_err().contains("integrity"));
        let mut cut = bytes.clone();
        cut.truncate(30);
        assert!(read(&cut, "changeit").is_err());
    }

    #[test]
    fn the_key_protector_matches_java_s_algorithm() {
        // The keystream's first block is SHA-1(UTF-16BE password || salt); the check digest
        // is SHA-1(UTF-16BE password || plaintext).
        let password = password_bytes("ab");
        assert_eq!(*password, [0, b'a', 0, b'b']);
        let salt = [1u8; 20];
        let epki = protect(&password, salt, b"key");
        let first = sha1_of(&[&password, &salt]);
        let blob = &epki[epki.len() - 43..];
        assert_eq!(&blob[..20], &salt);
        assert_eq!(blob[20], b'k' ^ first[0]);
        assert_eq!(&blob[23..], &sha1_of(&[&password, b"key"]));
        assert_eq!(*unprotect(&password, &epki).unwrap(), *b"key");
        assert!(
            unprotect(&password_bytes("ba"), &epki)
                .unwrap_err()
                .contains("wrong password")
        );
    }

    #[test]
    fn long_lengths_are_written_in_long_form() {
        let mut out = Vec::new();
        der_len(&mut out, 1234);
        assert_eq!(out, [0x82, 0x04, 0xd2]);
        assert_eq!(
            der_content(&der(0x04, &[9; 300]), 0x04).unwrap().0,
            &[9; 300][..]
        );
    }
}
