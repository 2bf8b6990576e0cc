//! Encrypted PKCS#8 (PBES2): decrypting it with the passphrase, within bounds, and naming its
//! encryption.

use super::from_der::rsa_from_pkcs8;
use super::*;

/// The decrypted key, and the repair its passphrase needed, if any.
pub(super) type Decrypted = (Rsa, Option<String>);

pub(super) fn decrypt_pkcs8(
    der_bytes: &[u8],
    passphrase: Option<&[u8]>,
) -> Result<Decrypted, KeyError> {
    use rsa::pkcs8::der::Decode;

    // The parameters come from the file: checked before the decrypting crates see them (they
    // panic or allocate as told on some values).
    crate::bundle::kdf::check(der_bytes)
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
pub(super) fn implemented(scheme: &rsa::pkcs8::pkcs5::EncryptionScheme) -> bool {
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
