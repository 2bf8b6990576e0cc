//! Each target form: the bytes written for it, and the reading back that proves they hold the
//! key (and certificate) they were made from. Reading back goes through sfjwt's own key reader
//! for the PEM and DER forms, `p12-keystore` for PKCS#12 and [`super::jks`] for JKS.

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use zeroize::Zeroizing;

use super::Target;
use super::jks;
use crate::bundle::cert::Certificate;
use crate::bundle::key::{PrivateKey, decode_private_key, decode_private_key_in};

/// PBKDF2 and MAC iterations of a PKCS#12 file: what OpenSSL 3 and Java write.
const PKCS12_ITERATIONS: u32 = 10_000;

/// What a keystore needs besides the key.
pub struct StoreParts<'a> {
    pub cert: &'a Certificate,
    pub alias: &'a str,
    pub password: &'a str,
}

/// What reading a written file back found.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadBack {
    pub key_fingerprint: String,
    /// The certificate's DER, for the keystores.
    pub cert_der: Option<Vec<u8>>,
    /// The alias of the keystore entry.
    pub alias: Option<String>,
}

fn pkcs8_der(key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>, String> {
    let doc = key
        .rsa()
        .map_err(|e| e.to_string())?
        .to_pkcs8_der()
        .map_err(|e| format!("cannot encode the key as PKCS#8: {e}"))?;
    Ok(Zeroizing::new(doc.as_bytes().to_vec()))
}

/// The PKCS#8 PEM sfjwt writes (LF line ends): `pkcs8`, and what `base64` and `escaped` encode.
fn pkcs8_pem(key: &PrivateKey) -> Result<Zeroizing<String>, String> {
    key.rsa()
        .map_err(|e| e.to_string())?
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the key as PKCS#8 PEM: {e}"))
}

/// The bytes of `target` for `key` (and, for a keystore, `store`).
pub fn encode(
    target: Target,
    key: &PrivateKey,
    store: Option<&StoreParts<'_>>,
) -> Result<Zeroizing<Vec<u8>>, String> {
    let bytes = |s: Zeroizing<String>| Zeroizing::new(s.as_bytes().to_vec());
    match target {
        Target::Pkcs8 => Ok(bytes(pkcs8_pem(key)?)),
        Target::Pkcs1 => key
            .rsa()
            .map_err(|e| e.to_string())?
            .to_pkcs1_pem(LineEnding::LF)
            .map(bytes)
            .map_err(|e| format!("cannot encode the key as PKCS#1 PEM: {e}")),
        Target::Der => pkcs8_der(key),
        Target::Base64 => {
            use base64::Engine;
            let pem = pkcs8_pem(key)?;
            let text =
                Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(pem.as_bytes()));
            Ok(bytes(text))
        }
        Target::Escaped => Ok(bytes(Zeroizing::new(pkcs8_pem(key)?.replace('\n', "\\n")))),
        Target::Pkcs12 => pkcs12(key, store.ok_or("a PKCS#12 keystore needs a certificate")?),
        Target::Jks => {
            let store = store.ok_or("a JKS keystore needs a certificate")?;
            let entry = jks::Entry {
                alias: store.alias.to_string(),
                pkcs8_der: pkcs8_der(key)?,
                chain: vec![store.cert.der.clone()],
            };
            let created_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            let mut salt = [0u8; 20];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut salt)
                .map_err(|_| "the system's random number generator failed".to_string())?;
            jks::write(&entry, store.password, created_ms, salt).map(Zeroizing::new)
        }
    }
}

/// PKCS#12 as OpenSSL 3 writes it by default: the key shrouded with PBES2 (PBKDF2-HMAC-SHA256,
/// AES-256-CBC), the certificate encrypted alike, an HMAC-SHA256 MAC; the localKeyId is the
/// SHA-1 of the certificate, as OpenSSL's.
fn pkcs12(key: &PrivateKey, store: &StoreParts<'_>) -> Result<Zeroizing<Vec<u8>>, String> {
    use sha1::Digest;
    let cannot = |e: p12_keystore::error::Error| format!("cannot write the PKCS#12 keystore: {e}");
    let der = pkcs8_der(key)?;
    let p12_key = p12_keystore::PrivateKey::from_der(&der).map_err(cannot)?;
    let cert = p12_keystore::Certificate::from_der(&store.cert.der).map_err(cannot)?;
    let key_id = sha1::Sha1::digest(&store.cert.der).to_vec();
    let chain = p12_keystore::PrivateKeyChain::new(key_id, p12_key, [cert]);
    let mut keystore = p12_keystore::KeyStore::new();
    keystore.add_entry(
        store.alias,
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    keystore
        .writer(store.password)
        .encryption_algorithm(p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256)
        .encryption_iterations(PKCS12_ITERATIONS)
        .mac_algorithm(p12_keystore::MacAlgorithm::HmacSha256)
        .mac_iterations(PKCS12_ITERATIONS)
        .write()
        .map(Zeroizing::new)
        .map_err(cannot)
}

/// Reads a written file back as the consuming tool would, independently of how it was made.
pub fn read_back(target: Target, bytes: &[u8], password: Option<&str>) -> Result<ReadBack, String> {
    let key_only = |bytes: &[u8]| -> Result<ReadBack, String> {
        let key = decode_private_key(bytes, None).map_err(|e| e.message())?;
        Ok(ReadBack {
            key_fingerprint: key.fingerprint(),
            cert_der: None,
            alias: None,
        })
    };
    let password = || password.ok_or_else(|| "a keystore is read with its password".to_string());
    match target {
        Target::Pkcs8 | Target::Pkcs1 | Target::Der => key_only(bytes),
        Target::Base64 => {
            use base64::Engine;
            let pem = Zeroizing::new(
                base64::engine::general_purpose::STANDARD
                    .decode(bytes)
                    .map_err(|e| format!("not base64: {e}"))?,
            );
            key_only(&pem)
        }
        Target::Escaped => {
            let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
            if text.contains('\n') {
                return Err("the escaped form holds a real line break".into());
            }
            key_only(Zeroizing::new(text.replace("\\n", "\n")).as_bytes())
        }
        // Keystores are read back by sfjwt's own keystore reader (the one `sfjwt check --key`
        // uses), not by the code that wrote them: a writer and a reader written apart agree
        // only when the file is what the format says.
        Target::Pkcs12 | Target::Jks => {
            let key = decode_private_key_in(bytes, Some(password()?.as_bytes()), None)
                .map_err(|e| e.message())?;
            let entry = key
                .keystore
                .as_ref()
                .ok_or("it did not read as a keystore")?;
            Ok(ReadBack {
                key_fingerprint: key.fingerprint(),
                cert_der: entry.certs.first().cloned(),
                alias: Some(entry.alias.clone()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    fn fixture(path: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
    }

    #[test]
    fn every_form_reads_back_as_the_same_key_and_certificate() {
        let key = decode_private_key(&fixture("fixtures/valid/server.key"), None).unwrap();
        let cert = crate::bundle::cert::decode_certificates(&fixture("fixtures/valid/server.crt"))
            .unwrap()
            .first;
        let store = StoreParts {
            cert: &cert,
            alias: "sfjwt",
            password: "fixture-store-pass",
        };
        for &target in Target::value_variants() {
            let bytes = encode(target, &key, Some(&store)).unwrap();
            let back = read_back(target, &bytes, Some(store.password)).unwrap();
            assert_eq!(back.key_fingerprint, key.fingerprint(), "{target:?}");
            if target.is_keystore() {
                assert_eq!(back.cert_der.as_deref(), Some(&cert.der[..]), "{target:?}");
                assert_eq!(back.alias.as_deref(), Some("sfjwt"), "{target:?}");
                assert!(read_back(target, &bytes, Some("wrong-password")).is_err());
            }
        }
    }

    #[test]
    fn the_text_forms_are_what_other_tools_expect() {
        let key = decode_private_key(&fixture("fixtures/pkcs1-key/server.key"), None).unwrap();
        let text = |t| String::from_utf8(encode(t, &key, None).unwrap().to_vec()).unwrap();
        let pkcs8 = text(Target::Pkcs8);
        assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(pkcs8.ends_with("-----END PRIVATE KEY-----\n"));
        assert!(text(Target::Pkcs1).starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let escaped = text(Target::Escaped);
        assert!(!escaped.contains('\n'));
        assert_eq!(escaped.replace("\\n", "\n"), pkcs8);
        let b64 = text(Target::Base64);
        assert!(!b64.contains('\n') && !b64.contains('='.to_string().repeat(3).as_str()));
        assert!(b64.starts_with("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk"));
        assert_eq!(encode(Target::Der, &key, None).unwrap()[0], 0x30);
        assert!(encode(Target::Pkcs12, &key, None).is_err());
    }
}
