//! OpenSSL's legacy encrypted PEM (`Proc-Type: 4,ENCRYPTED` and `DEK-Info: CIPHER,IV`, as
//! `openssl rsa -traditional -aes256` and OpenSSL 1.x's `genrsa -des3` write it): the key is
//! `EVP_BytesToKey` with MD5 and one round over the passphrase and the first 8 bytes of the IV,
//! the cipher CBC with PKCS#7 padding, the plaintext a PKCS#1 `RSAPrivateKey`.

use super::cbc::Cbc;
use super::encrypted::with_passphrase;
use super::from_der::{rsa_from_pkcs1, rsa_from_pkcs8};
use super::*;
use crate::bundle::kdf::derive;

/// The cipher a `DEK-Info` header names, among those sfjwt decrypts.
fn cipher(name: &str) -> Option<Cbc> {
    Some(match name.to_ascii_uppercase().as_str() {
        "AES-128-CBC" => Cbc::Aes128,
        "AES-192-CBC" => Cbc::Aes192,
        "AES-256-CBC" => Cbc::Aes256,
        "DES-EDE3-CBC" => Cbc::DesEde3,
        "DES-EDE-CBC" => Cbc::DesEde2,
        "DES-CBC" => Cbc::Des,
        _ => return None,
    })
}

/// Decrypts an RSA key block with a `Proc-Type: 4,ENCRYPTED` header (EC and DSA keys are
/// refused before, as the wrong key type).
pub(super) fn decrypt_legacy_pem(
    block: &PemBlock,
    passphrase: Option<&[u8]>,
    repairs: Vec<String>,
) -> Result<PrivateKey, KeyError> {
    let dek_info = block.header("DEK-Info").unwrap_or("");
    let (name, iv_hex) = dek_info.split_once(',').unwrap_or((dek_info, ""));
    let name: String = name.trim().chars().take(40).collect();
    let Some(cipher) = cipher(&name) else {
        return Err(KeyError::LegacyEncrypted {
            cipher: if name.is_empty() {
                "not named".into()
            } else {
                name
            },
        });
    };
    let iv = iv(iv_hex.trim(), &name, cipher)
        .map_err(|problem| KeyError::BadEncryptionParameters { problem })?;
    if !block.complete {
        return Err(KeyError::Truncated);
    }
    let body = block.body.as_ref().map_err(|_| KeyError::BadBase64)?;
    if body.is_empty() {
        return Err(KeyError::Truncated);
    }
    let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase { openssl_enc: false })?;
    let (rsa, passphrase_repair) = with_passphrase(passphrase, |pass| {
        let key = derive::evp_bytes_to_key_md5(pass, &iv[..8], cipher.key_bytes());
        let plain = cipher
            .decrypt(&key, &iv, body)
            .ok_or(KeyError::WrongPassphrase)?;
        rsa_from_plaintext(&plain)
    })?;
    let mut repairs = repairs;
    repairs.extend(passphrase_repair);
    Ok(PrivateKey::new(rsa, KeyFormat::LegacyEncryptedPem, repairs))
}

/// The IV of `DEK-Info`, which also salts the key: hexadecimal, the cipher's block long.
fn iv(hex: &str, name: &str, cipher: Cbc) -> Result<Vec<u8>, String> {
    let want = cipher.iv_bytes();
    if hex.is_empty() {
        return Err(format!("its DEK-Info header names {name} but gives no IV"));
    }
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || !hex.len().is_multiple_of(2) {
        return Err(format!(
            "its DEK-Info IV is not hexadecimal bytes ({name} takes {want} bytes, {} hex digits)",
            want * 2
        ));
    }
    if hex.len() != want * 2 {
        return Err(format!(
            "its DEK-Info IV is {} bytes, and {name} takes {want}",
            hex.len() / 2
        ));
    }
    Ok((0..hex.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect())
}

/// The RSA key in the decrypted bytes: PKCS#1, as OpenSSL writes it (or PKCS#8). Anything
/// else is what a wrong passphrase that happened to leave valid padding decrypts to.
fn rsa_from_plaintext(plain: &[u8]) -> Result<Rsa, KeyError> {
    let raw = || {
        der::read(plain)
            .map(|(t, _)| t.raw)
            .map_err(|_| KeyError::WrongPassphrase)
    };
    match der::shape(plain) {
        Ok(der::Shape::Pkcs1PrivateKey) => rsa_from_pkcs1(raw()?),
        Ok(der::Shape::Pkcs8 { algorithm, curve }) => rsa_from_pkcs8(raw()?, &algorithm, curve),
        _ => Err(KeyError::WrongPassphrase),
    }
}
