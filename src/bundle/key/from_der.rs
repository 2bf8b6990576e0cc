//! Decoding DER: PKCS#1 and PKCS#8 RSA keys, and naming what else a DER key is.

use super::encrypted::decrypt_pkcs8;
use super::*;

/// Decodes DER bytes (from a PEM block when `from_pem`).
pub(super) fn decode_der(
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

pub(super) const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub(super) const OID_EC: &str = "1.2.840.10045.2.1";

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

pub(super) fn rsa_from_pkcs8(
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
pub(super) fn rsa_from_pkcs1(der_bytes: &[u8]) -> Result<Rsa, KeyError> {
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
    // ring takes the keys it signs (2048 to 8192 bits) after checking that their numbers form a
    // valid RSA key: its form is all a check run needs, and the rsa crate's (which recomputes the
    // CRT values on decoding, 8% of a bundle's instructions) is made only when asked for.
    if let Ok(pair) = ring::signature::RsaKeyPair::from_der(der_bytes) {
        let spki_der = spki_of(pair.public().as_ref());
        return Ok(Rsa {
            key: OnceLock::new(),
            bits,
            spki_der,
            pkcs1_der: Pkcs1Der(Zeroizing::new(der_bytes.to_vec())),
            fast: Some(pair),
        });
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
        key: OnceLock::from(key),
        bits,
        spki_der,
        pkcs1_der: Pkcs1Der(Zeroizing::new(der_bytes.to_vec())),
        fast: None,
    })
}

/// The DER SubjectPublicKeyInfo of an RSA public key given as a DER `RSAPublicKey`.
fn spki_of(rsa_public_key: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }.
    const RSA_ENCRYPTION: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bits = vec![0u8];
    bits.extend_from_slice(rsa_public_key);
    let mut content = RSA_ENCRYPTION.to_vec();
    content.extend(der::tlv(der::BIT_STRING, &bits));
    der::tlv(der::SEQUENCE, &content)
}
