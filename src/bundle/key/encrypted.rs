//! Encrypted PKCS#8: decrypting it with the passphrase, within bounds, and naming its
//! encryption. PBES2 (PBKDF2 with any HMAC-SHA PRF, or scrypt; AES, DES-EDE3 or DES) is
//! decrypted by the `pkcs5` crate; PBES1 with DES and PKCS#12's PBE with 3DES, which it does
//! not decrypt, here, with the derivations of `kdf::derive`.

use super::cbc::Cbc;
use super::from_der::rsa_from_pkcs8;
use super::*;
use crate::bundle::kdf::derive::{self, Pkcs12Purpose};
use crate::bundle::kdf::{self, Pbe, PbeScheme};

/// The decrypted key, and the repair its passphrase needed, if any.
pub(super) type Decrypted = (Rsa, Option<String>);

pub(super) fn decrypt_pkcs8(
    der_bytes: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Decrypted, KeyError> {
    // The parameters come from the file: checked before the decrypting crates see them (they
    // panic or allocate as told on some values), and before any passphrase is asked for: a
    // scheme sfjwt does not decrypt is said as such, with or without one.
    kdf::check(der_bytes).map_err(|problem| KeyError::BadEncryptionParameters { problem })?;
    if kdf::pbe(der_bytes).is_none() {
        implemented_info(der_bytes)?;
    }
    let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase { openssl_enc: false })?;
    with_passphrase(passphrase, |pass| {
        rsa_from_decrypted_pkcs8(&decrypt_plain(der_bytes, pass)?)
    })
}

/// The scheme sfjwt does not decrypt, named.
fn unsupported(der_bytes: &[u8]) -> KeyError {
    KeyError::UnsupportedEncryption {
        scheme: describe_encryption(der_bytes),
        legacy_provider: needs_legacy_provider(der_bytes),
    }
}

/// The `EncryptedPrivateKeyInfo` when the `pkcs5` crate decrypts its scheme.
fn implemented_info(
    der_bytes: &[u8],
) -> Result<rsa::pkcs8::EncryptedPrivateKeyInfoRef<'_>, KeyError> {
    use rsa::pkcs8::der::Decode;

    let info = rsa::pkcs8::EncryptedPrivateKeyInfoRef::from_der(der_bytes)
        .map_err(|_| unsupported(der_bytes))?;
    if !implemented(&info.encryption_algorithm) {
        return Err(unsupported(der_bytes));
    }
    Ok(info)
}

/// Decrypts an `EncryptedPrivateKeyInfo`-shaped structure (an algorithm and a ciphertext) to
/// its plaintext, whatever it holds: a PKCS#12 file's encrypted certificates are decrypted
/// alike. [`KeyError::WrongPassphrase`] when the padding is wrong.
pub(super) fn decrypt_plain(der_bytes: &[u8], pass: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    kdf::check(der_bytes).map_err(|problem| KeyError::BadEncryptionParameters { problem })?;
    if let Some(pbe) = kdf::pbe(der_bytes) {
        let pbe = pbe.map_err(|problem| KeyError::BadEncryptionParameters { problem })?;
        return decrypt_pbe(&pbe, pass).ok_or(KeyError::WrongPassphrase);
    }
    let info = implemented_info(der_bytes)?;
    let doc = info.decrypt(pass).map_err(|e| match e {
        rsa::pkcs8::Error::EncryptedPrivateKey(
            rsa::pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. }
            | rsa::pkcs8::pkcs5::Error::NoPbes1CryptSupport,
        ) => unsupported(der_bytes),
        _ => KeyError::WrongPassphrase,
    })?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

/// Runs `attempt` with the passphrase; when it is wrong and ends with a line break (as one read
/// from a file often does), once more without it, and says so.
pub(super) fn with_passphrase(
    passphrase: &[u8],
    attempt: impl Fn(&[u8]) -> Result<Rsa, KeyError>,
) -> Result<Decrypted, KeyError> {
    match attempt(passphrase) {
        Err(KeyError::WrongPassphrase) => {
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

/// The RSA key in a decrypted PKCS#8 `PrivateKeyInfo`; anything else is what a wrong
/// passphrase that happened to leave valid padding decrypts to.
pub(super) fn rsa_from_decrypted_pkcs8(plain: &[u8]) -> Result<Rsa, KeyError> {
    match der::shape(plain) {
        Ok(der::Shape::Pkcs8 { algorithm, curve }) => {
            let raw = der::read(plain)
                .map(|(t, _)| t.raw)
                .map_err(|_| KeyError::WrongPassphrase)?;
            rsa_from_pkcs8(raw, &algorithm, curve)
        }
        _ => Err(KeyError::WrongPassphrase),
    }
}

/// Decrypts a PBES1 or PKCS#12 PBE key (its parameters checked by `kdf::pbe`); `None` when the
/// padding is wrong.
fn decrypt_pbe(pbe: &Pbe<'_>, passphrase: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (salt, c, data) = (pbe.salt, pbe.iterations, pbe.ciphertext);
    match pbe.scheme {
        PbeScheme::Pkcs12Sha1Des3 | PbeScheme::Pkcs12Sha1Des2 => {
            let cipher = if pbe.scheme == PbeScheme::Pkcs12Sha1Des3 {
                Cbc::DesEde3
            } else {
                Cbc::DesEde2
            };
            let bmp = derive::bmp_password(passphrase);
            let key = derive::pkcs12_sha1(&bmp, salt, c, Pkcs12Purpose::Key, cipher.key_bytes());
            let iv = derive::pkcs12_sha1(&bmp, salt, c, Pkcs12Purpose::Iv, cipher.iv_bytes());
            cipher.decrypt(&key, &iv, data)
        }
        // PBES1 (RFC 8018 §6.1): PBKDF1 makes 16 bytes, the DES key and then the IV.
        PbeScheme::Pbes1Md5Des => {
            let dk = derive::pbkdf1::<md5::Md5>(passphrase, salt, c, 16);
            Cbc::Des.decrypt(&dk[..8], &dk[8..], data)
        }
        PbeScheme::Pbes1Sha1Des => {
            let dk = derive::pbkdf1::<sha1::Sha1>(passphrase, salt, c, 16);
            Cbc::Des.decrypt(&dk[..8], &dk[8..], data)
        }
    }
}

/// Whether the `pkcs5` crate decrypts this scheme for sfjwt: PBES2 with PBKDF2 (HMAC-SHA1,
/// -SHA224, -SHA256, -SHA384, -SHA512) or scrypt, and AES, DES-EDE3 or DES. Its iterations,
/// N, r and p are within bounds: `kdf::check` saw to it.
pub(super) fn implemented(scheme: &rsa::pkcs8::pkcs5::EncryptionScheme) -> bool {
    use rsa::pkcs8::pkcs5::{EncryptionScheme, pbes2};
    let EncryptionScheme::Pbes2(params) = scheme else {
        return false;
    };
    #[allow(unreachable_patterns)]
    let cipher = matches!(
        params.encryption,
        pbes2::EncryptionScheme::Aes128Cbc { .. }
            | pbes2::EncryptionScheme::Aes192Cbc { .. }
            | pbes2::EncryptionScheme::Aes256Cbc { .. }
            | pbes2::EncryptionScheme::Aes128Gcm { .. }
            | pbes2::EncryptionScheme::Aes256Gcm { .. }
            | pbes2::EncryptionScheme::DesEde3Cbc { .. }
            | pbes2::EncryptionScheme::DesCbc { .. }
    );
    cipher
}

/// Whether OpenSSL 3 reads this encryption only with its legacy provider: every PBES1 scheme
/// (PBKDF1 is there), PKCS#12's RC2 and RC4 schemes, and PBES2 with RC2-CBC.
fn needs_legacy_provider(der_bytes: &[u8]) -> bool {
    let oids = || -> Option<(String, Option<String>)> {
        let (outer, _) = der::read(der_bytes).ok()?;
        let kids = der::children(outer.value).ok()?;
        let (oid, params) = der::algorithm(kids.first()?)?;
        let cipher = params
            .and_then(|p| der::children(p.value).ok())
            .and_then(|parts| parts.get(1).and_then(der::algorithm))
            .map(|(cipher, _)| cipher);
        Some((oid, cipher))
    };
    match oids() {
        Some((oid, cipher)) if oid == "1.2.840.113549.1.5.13" => {
            cipher.as_deref() == Some("1.2.840.113549.3.2")
        }
        Some((oid, _)) => ["1.2.840.113549.1.5.", "1.2.840.113549.1.12.1."]
            .iter()
            .any(|arc| oid.starts_with(arc)),
        None => false,
    }
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
            "1.2.392.200011.61.1.1.1.2" => "Camellia-128-CBC".into(),
            "1.2.392.200011.61.1.1.1.3" => "Camellia-192-CBC".into(),
            "1.2.392.200011.61.1.1.1.4" => "Camellia-256-CBC".into(),
            "1.2.410.200046.1.1.2" => "ARIA-128-CBC".into(),
            "1.2.410.200046.1.1.7" => "ARIA-192-CBC".into(),
            "1.2.410.200046.1.1.12" => "ARIA-256-CBC".into(),
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
