//! PKCS#12 (RFC 7292), read by hand on the DER reader and the decryptions sfjwt already has:
//! a PFX of version 3 whose authSafe is `data` (password integrity: its MAC, HMAC-SHA1 or
//! HMAC-SHA256 with the PKCS#12 key derivation), holding `data` and `encryptedData` contents
//! of safe bags: keyBag, pkcs8ShroudedKeyBag (decrypted as an encrypted PKCS#8 key: PBES2 with
//! AES as OpenSSL 3 and keytool write it, PKCS#12 PBE 3DES as `-legacy` does) and certBag.
//! Certificates encrypted with RC2-40 (`-legacy`) are decrypted with the `rc2` crate.
//! Bags are tied to each other by localKeyId, named by friendlyName.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, InnerIvInit};
use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use super::{Entry, MAX_ENTRIES, Protected, Store, StoreKind, damaged, safe_alias};
use crate::bundle::kdf::derive::{self, Pkcs12Purpose};
use crate::bundle::key::{KeyError, MAX_PBE_ITERATIONS, encrypted};
use crate::bundle::pem_text::der::{self, Tlv, tlv};

const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
const OID_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
const OID_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
const OID_CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
const OID_X509_CERT: &str = "1.2.840.113549.1.9.22.1";
const OID_FRIENDLY_NAME: &str = "1.2.840.113549.1.9.20";
const OID_LOCAL_KEY_ID: &str = "1.2.840.113549.1.9.21";
const OID_SHA1: &str = "1.3.14.3.2.26";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const OID_RC2_128: &str = "1.2.840.113549.1.12.1.5";
const OID_RC2_40: &str = "1.2.840.113549.1.12.1.6";

const KIND: StoreKind = StoreKind::Pkcs12;

/// A safe bag as read: a key (or certificate), its friendlyName and localKeyId.
struct Bag {
    key: Option<Protected>,
    cert: Option<Vec<u8>>,
    name: Option<String>,
    local_id: Option<Vec<u8>>,
}

/// Reads a PKCS#12 file and checks its MAC with the password.
pub(super) fn read(bytes: &[u8], pass: &[u8]) -> Result<Store, KeyError> {
    let broken = |what: &str| damaged(KIND, what.to_string());
    let (pfx, _) = der::read(bytes).map_err(|_| broken("its outer structure does not read"))?;
    let parts =
        der::children(pfx.value).map_err(|_| broken("its outer structure does not read"))?;
    let (auth_safe, mac) = match parts.as_slice() {
        [_, auth_safe, mac, ..] => (auth_safe, Some(mac)),
        [_, auth_safe] => (auth_safe, None),
        _ => return Err(broken("it has no authSafe")),
    };
    let content = data_content(auth_safe).ok_or_else(|| {
        KeyError::KeystoreUnsupported {
            store: KIND.to_string(),
            what: "its content is not password-protected data (a public-key protected PKCS#12, which sfjwt does not read)".into(),
        }
    })?;
    let mut notes = Vec::new();
    match mac {
        Some(mac) => {
            if !mac_matches(mac, content, pass)? {
                return Err(KeyError::KeystoreWrongPassword {
                    store: KIND.to_string(),
                });
            }
        }
        None => notes.push("the PKCS#12 file has no MAC, so its integrity was not checked".into()),
    }
    let mut bags = Vec::new();
    let infos = der::children(
        der::read(content)
            .map_err(|_| broken("its authenticated safe does not read"))?
            .0
            .value,
    )
    .map_err(|_| broken("its authenticated safe does not read"))?;
    for info in infos {
        contents(&info, pass, &mut bags, &mut notes)?;
    }
    Ok(Store {
        kind: KIND,
        entries: entries(bags),
        notes,
    })
}

/// The content of a ContentInfo of type `data`: `SEQUENCE { OID data, [0] { OCTET STRING } }`.
fn data_content<'a>(info: &Tlv<'a>) -> Option<&'a [u8]> {
    let (oid, inner) = content_info(info)?;
    let octets = (oid == OID_DATA).then_some(inner)?;
    (octets.tag == der::OCTET_STRING).then_some(octets.value)
}

/// A ContentInfo's type and its `[0]` content.
fn content_info<'a>(info: &Tlv<'a>) -> Option<(String, Tlv<'a>)> {
    let kids = der::children(info.value).ok()?;
    let oid = kids.first().filter(|t| t.tag == der::OID)?;
    let explicit = kids.get(1).filter(|t| t.tag == der::CONTEXT_0)?;
    let (inner, _) = der::read(explicit.value).ok()?;
    Some((der::oid_string(oid.value)?, inner))
}

/// The bags of one ContentInfo of the authenticated safe, decrypted when it is encryptedData.
fn contents(
    info: &Tlv<'_>,
    pass: &[u8],
    bags: &mut Vec<Bag>,
    notes: &mut Vec<String>,
) -> Result<(), KeyError> {
    let Some((oid, inner)) = content_info(info) else {
        return Err(damaged(
            KIND,
            "a content of its authenticated safe does not read",
        ));
    };
    match oid.as_str() {
        OID_DATA if inner.tag == der::OCTET_STRING => safe_bags(inner.value, bags),
        OID_ENCRYPTED_DATA => match decrypt_content(&inner, pass)? {
            Decrypted::Plain(plain) => safe_bags(&plain, bags),
            Decrypted::Skipped(why) => {
                notes.push(why);
                Ok(())
            }
        },
        _ => {
            notes.push(
                "a content of the PKCS#12 file of a type sfjwt does not read was skipped".into(),
            );
            Ok(())
        }
    }
}

enum Decrypted {
    Plain(Zeroizing<Vec<u8>>),
    Skipped(String),
}

/// Decrypts `EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] data } }`.
fn decrypt_content(inner: &Tlv<'_>, pass: &[u8]) -> Result<Decrypted, KeyError> {
    let broken = || damaged(KIND, "an encrypted content does not read");
    let kids = der::children(inner.value).map_err(|_| broken())?;
    let eci = kids.get(1).ok_or_else(broken)?;
    let parts = der::children(eci.value).map_err(|_| broken())?;
    let (algorithm, data) = match parts.as_slice() {
        [_, algorithm, data, ..] if data.tag == 0x80 => (algorithm, data.value),
        _ => return Err(broken()),
    };
    let (oid, params) = der::algorithm(algorithm).ok_or_else(broken)?;
    if oid == OID_RC2_40 || oid == OID_RC2_128 {
        let bits = if oid == OID_RC2_40 { 40 } else { 128 };
        return rc2_decrypt(params, data, pass, bits).map(Decrypted::Plain);
    }
    let mut body = algorithm.raw.to_vec();
    body.extend(tlv(der::OCTET_STRING, data));
    let epki = tlv(der::SEQUENCE, &body);
    match encrypted::decrypt_plain(&epki, pass) {
        Ok(plain) => Ok(Decrypted::Plain(plain)),
        // The MAC passed: a content that does not decrypt with the same password is skipped.
        Err(KeyError::UnsupportedEncryption { scheme, .. }) => Ok(Decrypted::Skipped(format!(
            "certificates encrypted with {scheme}, which sfjwt does not decrypt, were skipped"
        ))),
        Err(KeyError::WrongPassphrase) => Err(KeyError::KeystoreWrongPassword {
            store: KIND.to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// PKCS#12's pbeWithSHAAnd40BitRC2-CBC / 128BitRC2-CBC (what `openssl pkcs12 -export -legacy`
/// encrypts certificates with), its parameters bounded as the other PBE schemes' are.
fn rc2_decrypt(
    params: Option<Tlv<'_>>,
    data: &[u8],
    pass: &[u8],
    bits: usize,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let bad = |problem: &str| KeyError::BadEncryptionParameters {
        problem: problem.to_string(),
    };
    let kids = params
        .and_then(|p| der::children(p.value).ok())
        .ok_or_else(|| bad("its RC2 parameters do not read"))?;
    let (salt, iterations) = match kids.as_slice() {
        [s, i, ..] if s.tag == der::OCTET_STRING && i.tag == der::INTEGER => (s.value, i.value),
        _ => return Err(bad("its RC2 parameters do not read")),
    };
    let iterations = small_integer(iterations)
        .filter(|n| (1..=u64::from(MAX_PBE_ITERATIONS)).contains(n))
        .ok_or_else(|| bad("its RC2 iteration count is out of bounds"))?;
    if salt.is_empty() || salt.len() > crate::bundle::kdf::MAX_PKCS12_SALT_BYTES {
        return Err(bad("its RC2 salt is out of bounds"));
    }
    let iterations = u32::try_from(iterations).unwrap_or(MAX_PBE_ITERATIONS);
    let bmp = derive::bmp_password(pass);
    let key = derive::pkcs12_sha1(&bmp, salt, iterations, Pkcs12Purpose::Key, bits / 8);
    let iv = derive::pkcs12_sha1(&bmp, salt, iterations, Pkcs12Purpose::Iv, 8);
    let cipher = rc2::Rc2::new_with_eff_key_len(&key, bits);
    let wrong = || KeyError::KeystoreWrongPassword {
        store: KIND.to_string(),
    };
    let decryptor =
        cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv).map_err(|_| wrong())?;
    let mut buf = Zeroizing::new(data.to_vec());
    let len = decryptor
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| wrong())?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// Checks the MAC: `MacData { DigestInfo { algorithm, digest }, salt, iterations DEFAULT 1 }`.
fn mac_matches(mac: &Tlv<'_>, content: &[u8], pass: &[u8]) -> Result<bool, KeyError> {
    let broken = || damaged(KIND, "its MAC does not read");
    let kids = der::children(mac.value).map_err(|_| broken())?;
    let (info, salt) = match kids.as_slice() {
        [info, salt, ..] if salt.tag == der::OCTET_STRING => (info, salt.value),
        _ => return Err(broken()),
    };
    let iterations = match kids.get(2) {
        Some(t) if t.tag == der::INTEGER => small_integer(t.value).ok_or_else(broken)?,
        _ => 1,
    };
    if iterations == 0 || iterations > u64::from(MAX_PBE_ITERATIONS) || salt.len() > 64 {
        return Err(KeyError::BadEncryptionParameters {
            problem: format!(
                "its MAC takes {iterations} iterations and a {}-byte salt; sfjwt runs 1 to {MAX_PBE_ITERATIONS} iterations with a salt of at most 64 bytes",
                salt.len()
            ),
        });
    }
    let iterations = u32::try_from(iterations).unwrap_or(MAX_PBE_ITERATIONS);
    let parts = der::children(info.value).map_err(|_| broken())?;
    let (algorithm, digest) = match parts.as_slice() {
        [a, d, ..] if d.tag == der::OCTET_STRING => (a, d.value),
        _ => return Err(broken()),
    };
    let (oid, _) = der::algorithm(algorithm).ok_or_else(broken)?;
    let bmp = derive::bmp_password(pass);
    Ok(match oid.as_str() {
        OID_SHA1 => hmac_matches::<sha1::Sha1>(&bmp, salt, iterations, content, digest),
        OID_SHA256 => hmac_matches::<sha2::Sha256>(&bmp, salt, iterations, content, digest),
        other => {
            return Err(KeyError::KeystoreUnsupported {
                store: KIND.to_string(),
                what: format!(
                    "its MAC uses the digest {}, and sfjwt checks SHA-1 and SHA-256 MACs",
                    other.chars().take(64).collect::<String>()
                ),
            });
        }
    })
}

fn hmac_matches<D>(bmp: &[u8], salt: &[u8], iterations: u32, content: &[u8], digest: &[u8]) -> bool
where
    D: sha2::Digest + hmac::EagerHash,
    hmac::Hmac<D>: KeyInit + Mac,
{
    let len = <D as sha2::Digest>::output_size();
    let key = derive::pkcs12_kdf::<D>(bmp, salt, iterations, Pkcs12Purpose::Mac, len);
    let Ok(mut mac) = <hmac::Hmac<D> as KeyInit>::new_from_slice(&key) else {
        return false;
    };
    mac.update(content);
    mac.verify_slice(digest).is_ok()
}

/// The bags of a SafeContents: `SEQUENCE OF SafeBag { OID, [0] { value }, SET OF attribute }`.
fn safe_bags(contents: &[u8], bags: &mut Vec<Bag>) -> Result<(), KeyError> {
    let broken = || damaged(KIND, "a safe bag does not read");
    let (seq, _) = der::read(contents).map_err(|_| broken())?;
    for bag in der::children(seq.value).map_err(|_| broken())? {
        if bags.len() >= MAX_ENTRIES {
            return Err(damaged(
                KIND,
                format!("it holds more than the {MAX_ENTRIES} bags sfjwt reads"),
            ));
        }
        let kids = der::children(bag.value).map_err(|_| broken())?;
        let oid = kids
            .first()
            .filter(|t| t.tag == der::OID)
            .and_then(|t| der::oid_string(t.value))
            .ok_or_else(broken)?;
        let value = kids
            .get(1)
            .filter(|t| t.tag == der::CONTEXT_0)
            .and_then(|t| der::read(t.value).ok())
            .map(|(v, _)| v)
            .ok_or_else(broken)?;
        let (name, local_id) = attributes(kids.get(2));
        let (key, cert) = match oid.as_str() {
            OID_KEY_BAG => (
                Some(Protected::Plain(Zeroizing::new(value.raw.to_vec()))),
                None,
            ),
            OID_SHROUDED_KEY_BAG => (Some(Protected::Pkcs8(value.raw.to_vec())), None),
            OID_CERT_BAG => (None, Some(cert_bag(&value).ok_or_else(broken)?)),
            // CRL, secret and nested bags hold nothing sfjwt uses.
            _ => continue,
        };
        bags.push(Bag {
            key,
            cert,
            name,
            local_id,
        });
    }
    Ok(())
}

/// `CertBag { OID x509Certificate, [0] { OCTET STRING certificate DER } }`.
fn cert_bag(value: &Tlv<'_>) -> Option<Vec<u8>> {
    let kids = der::children(value.value).ok()?;
    let oid = kids.first().and_then(|t| der::oid_string(t.value))?;
    let explicit = kids.get(1).filter(|t| t.tag == der::CONTEXT_0)?;
    let (octets, _) = der::read(explicit.value).ok()?;
    (oid == OID_X509_CERT && octets.tag == der::OCTET_STRING).then(|| octets.value.to_vec())
}

/// A bag's friendlyName (a BMPString) and localKeyId.
fn attributes(set: Option<&Tlv<'_>>) -> (Option<String>, Option<Vec<u8>>) {
    let (mut name, mut local_id) = (None, None);
    let attrs = set
        .filter(|s| s.tag == der::SET)
        .and_then(|s| der::children(s.value).ok())
        .unwrap_or_default();
    for attr in attrs {
        let Ok(kids) = der::children(attr.value) else {
            continue;
        };
        let (Some(oid), Some(values)) = (kids.first(), kids.get(1)) else {
            continue;
        };
        let first = der::children(values.value)
            .ok()
            .and_then(|v| v.first().copied());
        match (der::oid_string(oid.value).as_deref(), first) {
            (Some(OID_FRIENDLY_NAME), Some(v)) if v.tag == 0x1E => {
                let units: Vec<u16> = v
                    .value
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                name = Some(safe_alias(&String::from_utf16_lossy(&units)));
            }
            (Some(OID_LOCAL_KEY_ID), Some(v)) if v.tag == der::OCTET_STRING => {
                local_id = Some(v.value.to_vec());
            }
            _ => {}
        }
    }
    (name, local_id)
}

/// The bags as entries: each key with the certificates of its localKeyId (all of them when it
/// is the only key and has none); the other certificates as entries of their own. A key
/// without a friendlyName is named by its place among the keys, from 1.
fn entries(bags: Vec<Bag>) -> Vec<Entry> {
    let (keys, certs): (Vec<Bag>, Vec<Bag>) = bags.into_iter().partition(|b| b.key.is_some());
    let only = keys.len() == 1 && keys[0].local_id.is_none();
    let mut used = vec![false; certs.len()];
    let mut out = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        let mut chain = Vec::new();
        for (j, cert) in certs.iter().enumerate() {
            if only || (key.local_id.is_some() && cert.local_id == key.local_id) {
                chain.extend(cert.cert.clone());
                used[j] = true;
            }
        }
        out.push(Entry {
            alias: key.name.unwrap_or_else(|| (i + 1).to_string()),
            key: key.key,
            certs: chain,
        });
    }
    for (j, cert) in certs.into_iter().enumerate() {
        if !used[j] {
            out.push(Entry {
                alias: cert.name.unwrap_or_else(|| "(unnamed)".into()),
                key: None,
                certs: cert.cert.into_iter().collect(),
            });
        }
    }
    out
}

/// A DER INTEGER's value when it is non-negative and fits in 64 bits.
fn small_integer(content: &[u8]) -> Option<u64> {
    let content = match content {
        [0, rest @ ..] if !rest.is_empty() => rest,
        [b, ..] if b & 0x80 != 0 => return None,
        other => other,
    };
    if content.is_empty() || content.len() > 8 {
        return None;
    }
    Some(content.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}
