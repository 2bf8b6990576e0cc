//! Decoding PEM text: choosing the block, decrypting a legacy encrypted PEM, and naming what
//! is not a usable key (an OpenSSH key, a certificate, a CSR...).

use super::legacy::decrypt_legacy_pem;
use super::*;

/// The key type of an OpenSSH public key line (`ssh-rsa AAAA... comment`).
pub(super) fn ssh_public_key_type(text: &str) -> Option<&str> {
    let first = text.split_whitespace().next()?;
    let known = first.starts_with("ssh-") || first.starts_with("ecdsa-sha2-");
    (known && text.split_whitespace().nth(1)?.starts_with("AAAA")).then_some(first)
}

pub(super) fn decode_pem(
    text: &str,
    passphrase: Option<&[u8]>,
    repairs: Vec<String>,
) -> Result<PrivateKey, KeyError> {
    let blocks = pem_text::blocks(text);
    // The first private key in the file; else the first block, to name what it is.
    let chosen = blocks
        .iter()
        .position(|b| KEY_LABELS.contains(&b.label.as_str()))
        .or(if blocks.is_empty() { None } else { Some(0) });
    let Some(index) = chosen else {
        // "-----BEGIN" somewhere, but no well-formed marker line.
        return Err(KeyError::Malformed {
            what: "PEM text".into(),
        });
    };
    let Some(block) = blocks.get(index) else {
        return Err(KeyError::NotPem);
    };

    let notes = file_notes(&blocks, block);

    let label = block.label.as_str();
    refuse_other_label(block)?;

    if let Some(refused) = legacy_encryption(block) {
        refused?;
        let mut key = decrypt_legacy_pem(block, passphrase, repairs)?;
        key.notes.extend(notes);
        return Ok(key);
    }
    if label == "DSA PRIVATE KEY" {
        return Err(KeyError::OtherKeyType {
            algorithm: "DSA".into(),
        });
    }
    if !block.complete {
        return Err(KeyError::Truncated);
    }
    let body = block.body.as_ref().map_err(|_| KeyError::BadBase64)?;
    if body.is_empty() {
        return Err(KeyError::Truncated);
    }
    let mut key = decode_der(body, passphrase, true, repairs)?;
    key.notes.extend(notes);
    Ok(key)
}

/// What else the file holds, worth knowing though it needs no repair: more keys, certificates.
fn file_notes(blocks: &[PemBlock], block: &PemBlock) -> Vec<String> {
    let mut notes = Vec::new();
    let key_blocks = blocks
        .iter()
        .filter(|b| KEY_LABELS.contains(&b.label.as_str()))
        .count();
    if key_blocks > 1 {
        notes.push(format!(
            "the file holds {key_blocks} private keys; the first was used"
        ));
    }
    let certs = blocks
        .iter()
        .filter(|b| b.label.contains("CERTIFICATE") && !b.label.contains("REQUEST"))
        .count();
    if certs > 0 && KEY_LABELS.contains(&block.label.as_str()) {
        notes.push(format!(
            "the file also holds {}, which {} ignored",
            crate::words::count(certs as i64, "certificate", "certificates"),
            if certs == 1 { "was" } else { "were" }
        ));
    }
    notes
}

/// A block that is not a private key sfjwt reads (an OpenSSH key, a certificate, a CSR, a
/// public key, PKCS#12, any other label) is named as what it is.
fn refuse_other_label(block: &PemBlock) -> Result<(), KeyError> {
    let label = block.label.as_str();
    Err(match label {
        "PRIVATE KEY"
        | "RSA PRIVATE KEY"
        | "ENCRYPTED PRIVATE KEY"
        | "EC PRIVATE KEY"
        | "DSA PRIVATE KEY" => return Ok(()),
        "OPENSSH PRIVATE KEY" => {
            let key_type = block.body.as_ref().ok().and_then(|b| openssh_key_type(b));
            KeyError::SshKey { key_type }
        }
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" | "PKCS7" | "CMS" => {
            KeyError::IsCertificate
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => KeyError::IsCsr,
        "PUBLIC KEY" => KeyError::IsPublicKey {
            form: "-----BEGIN PUBLIC KEY-----, as `openssl rsa -pubout` writes".into(),
        },
        "RSA PUBLIC KEY" => KeyError::IsPublicKey {
            form: "-----BEGIN RSA PUBLIC KEY-----, PKCS#1".into(),
        },
        "PKCS12" => KeyError::Pkcs12,
        _ => KeyError::OtherPem {
            label: label.chars().take(60).collect(),
        },
    })
}

/// `Proc-Type: 4,ENCRYPTED` in a PEM block, the legacy OpenSSL encryption: `Some(Ok(()))` for
/// an RSA key, to decrypt; `Some(Err(_))` for a key of the wrong type, refused without it.
pub(super) fn legacy_encryption(block: &PemBlock) -> Option<Result<(), KeyError>> {
    let proc_type = block.header("Proc-Type")?;
    if !proc_type.to_ascii_uppercase().contains("ENCRYPTED") {
        return None;
    }
    if block.label == "EC PRIVATE KEY" {
        // The cipher does not matter: it is the wrong key type anyway.
        return Some(Err(KeyError::EcKey { curve: None }));
    }
    if block.label == "DSA PRIVATE KEY" {
        return Some(Err(KeyError::OtherKeyType {
            algorithm: "DSA".into(),
        }));
    }
    Some(Ok(()))
}

/// The key type inside an OpenSSH private key (its public part is not encrypted).
pub(super) fn openssh_key_type(body: &[u8]) -> Option<String> {
    let rest = body.strip_prefix(b"openssh-key-v1\0")?;
    fn string(input: &[u8]) -> Option<(&[u8], &[u8])> {
        let (len, rest) = input.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if rest.len() < len {
            return None;
        }
        Some(rest.split_at(len))
    }
    let (_cipher, rest) = string(rest)?;
    let (_kdf, rest) = string(rest)?;
    let (_kdf_options, rest) = string(rest)?;
    let (_count, rest) = rest.split_first_chunk::<4>()?;
    let (public, _) = string(rest)?;
    let (key_type, _) = string(public)?;
    let key_type = std::str::from_utf8(key_type).ok()?;
    (key_type.len() <= 40 && key_type.is_ascii()).then(|| key_type.to_string())
}
