//! Keystores as keys: a PKCS#12 file (`.p12`, `.pfx`, as `openssl pkcs12 -export` and `keytool
//! -storetype PKCS12` write it) or a Java KeyStore (JKS, JCEKS), opened with the passphrase, one
//! private key entry chosen (by `--key-alias` when there are several), and its certificate kept
//! for when no certificate is given.
//!
//! Recognised by content, not by name: PKCS#12 by its DER shape (version 3, an authSafe), JKS
//! and JCEKS by their magic numbers. Everything read from the file is bounded
//! ([`MAX_ENTRIES`], [`MAX_CHAIN`], the lengths against what is left); nothing here panics.

use std::fmt;

use super::encrypted::rsa_from_decrypted_pkcs8;
use super::*;

mod jks;
mod pkcs12;

/// The most entries (PKCS#12 bags, JKS entries) sfjwt reads from one keystore.
pub const MAX_ENTRIES: usize = 256;
/// The most certificates in one entry's chain.
pub const MAX_CHAIN: usize = 16;
/// The most aliases a finding lists.
const MAX_LISTED: usize = 20;

/// What kind of keystore a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum StoreKind {
    Pkcs12,
    Jks,
    Jceks,
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StoreKind::Pkcs12 => "PKCS#12 keystore",
            StoreKind::Jks => "Java KeyStore (JKS)",
            StoreKind::Jceks => "Java KeyStore (JCEKS)",
        })
    }
}

/// The keystore entry a key was read from: what the key's and the certificate's findings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeystoreEntry {
    pub kind: StoreKind,
    /// The entry's alias, display-safe.
    pub alias: String,
    /// The entry's certificate chain, DER, its own certificate first (may be empty).
    pub certs: Vec<Vec<u8>>,
}

/// How a private key entry's key is kept in the file.
enum Protected {
    /// A PKCS#8 `PrivateKeyInfo` (a PKCS#12 keyBag, or a shrouded one already decrypted).
    Plain(Zeroizing<Vec<u8>>),
    /// An `EncryptedPrivateKeyInfo` (a PKCS#12 pkcs8ShroudedKeyBag).
    Pkcs8(Vec<u8>),
    /// JKS's proprietary key protector (`jks::recover`).
    Jks(Vec<u8>),
    /// JCEKS's PBEWithMD5AndTripleDES, the whole `EncryptedPrivateKeyInfo` (`jks::jceks_recover`).
    Jceks(Vec<u8>),
}

/// One entry as read from the file.
struct Entry {
    alias: String,
    key: Option<Protected>,
    certs: Vec<Vec<u8>>,
}

/// A keystore as read, its integrity checked with the password.
struct Store {
    kind: StoreKind,
    entries: Vec<Entry>,
    /// Said in key.parse (e.g. certificates skipped).
    notes: Vec<String>,
}

/// The kind of keystore `bytes` is, by content; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<StoreKind> {
    match bytes.get(..4)? {
        [0xFE, 0xED, 0xFE, 0xED] => return Some(StoreKind::Jks),
        [0xCE, 0xCE, 0xCE, 0xCE] => return Some(StoreKind::Jceks),
        _ => {}
    }
    matches!(der::shape(bytes), Ok(der::Shape::Pkcs12)).then_some(StoreKind::Pkcs12)
}

/// Opens the keystore, chooses the private key entry (`alias`, or the only one) and decodes its
/// key. The entry's certificate chain comes with the key ([`PrivateKey::keystore`]).
pub(super) fn open(
    kind: StoreKind,
    bytes: &[u8],
    passphrase: Option<&[u8]>,
    super::Entry {
        alias,
        key_password,
    }: super::Entry<'_>,
) -> Result<PrivateKey, KeyError> {
    let store_name = kind.to_string();
    let pass = match passphrase {
        Some(p) => p,
        // `openssl pkcs12 -export -passout pass:` writes a store with an empty password, which
        // OpenSSL opens without asking: so does sfjwt, saying so.
        None if kind == StoreKind::Pkcs12 && pkcs12::read(bytes, b"").is_ok() => b"",
        None => {
            return Err(KeyError::KeystoreNeedsPassword {
                store: store_name.clone(),
            });
        }
    };
    let (store, store_pass, repair) = read_trying_trimmed(kind, bytes, pass)?;
    let entry = choose(&store, alias)?;
    // The entry key's own password when one was given, else the store's (keytool's default).
    let pass = key_password.unwrap_or(store_pass);
    let plain = match entry.key.as_ref() {
        Some(Protected::Plain(p)) => p.clone(),
        Some(Protected::Pkcs8(epki)) => {
            encrypted::decrypt_plain(epki, pass).map_err(|e| match e {
                // The store's MAC passed with this password, so the key's own is another.
                KeyError::WrongPassphrase => KeyError::KeystoreKeyPassword {
                    store: store_name.clone(),
                    alias: entry.alias.clone(),
                },
                other => other,
            })?
        }
        Some(Protected::Jks(protected)) => {
            jks::recover(protected, pass).ok_or_else(|| KeyError::KeystoreKeyPassword {
                store: store_name.clone(),
                alias: entry.alias.clone(),
            })?
        }
        Some(Protected::Jceks(epki)) => {
            jks::jceks_recover(epki, pass).ok_or_else(|| KeyError::KeystoreKeyPassword {
                store: store_name.clone(),
                alias: entry.alias.clone(),
            })?
        }
        None => unreachable_entry(&store_name)?,
    };
    let rsa = rsa_from_decrypted_pkcs8(&plain).map_err(|e| match e {
        KeyError::WrongPassphrase => KeyError::KeystoreDamaged {
            store: store_name.clone(),
            problem: format!(
                "the key of the entry {} does not read as a PKCS#8 private key",
                entry.alias
            ),
        },
        other => other,
    })?;
    let mut key = PrivateKey::new(rsa, kind.format(), repair.into_iter().collect());
    key.notes.extend(store.notes.iter().cloned());
    if pass.is_empty() {
        key.notes
            .push("the keystore's password is empty: whoever has the file has the key".into());
    }
    key.keystore = Some(KeystoreEntry {
        kind,
        alias: entry.alias.clone(),
        certs: entry.certs.clone(),
    });
    Ok(key)
}

/// `choose` only returns entries with a key; this keeps the match whole without a panic.
fn unreachable_entry(store: &str) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    Err(KeyError::KeystoreNoPrivateKey {
        store: store.to_string(),
        certificates: 0,
    })
}

/// Reads the store; when the password is wrong and ends with a line break (as one read from a
/// file often does), once more without it, and says so.
fn read_trying_trimmed<'p>(
    kind: StoreKind,
    bytes: &[u8],
    pass: &'p [u8],
) -> Result<(Store, &'p [u8], Option<String>), KeyError> {
    match read(kind, bytes, pass) {
        Err(KeyError::KeystoreWrongPassword { store }) => {
            let trimmed = pass
                .strip_suffix(b"\n")
                .map(|p| p.strip_suffix(b"\r").unwrap_or(p));
            match trimmed {
                Some(t) => Ok((
                    read(kind, bytes, t)?,
                    t,
                    Some("a line break at the end of the passphrase was ignored".into()),
                )),
                None => Err(KeyError::KeystoreWrongPassword { store }),
            }
        }
        other => other.map(|store| (store, pass, None)),
    }
}

fn read(kind: StoreKind, bytes: &[u8], pass: &[u8]) -> Result<Store, KeyError> {
    match kind {
        StoreKind::Pkcs12 => pkcs12::read(bytes, pass),
        StoreKind::Jks | StoreKind::Jceks => jks::read(bytes, pass, kind),
    }
}

/// The private key entry to use: the one `alias` names (exactly, else ignoring ASCII case, as
/// keytool lowercases JKS aliases), or the only one.
fn choose<'s>(store: &'s Store, alias: Option<&str>) -> Result<&'s Entry, KeyError> {
    let keys: Vec<&Entry> = store.entries.iter().filter(|e| e.key.is_some()).collect();
    let name = store.kind.to_string();
    if keys.is_empty() {
        return Err(KeyError::KeystoreNoPrivateKey {
            store: name,
            certificates: store.entries.iter().map(|e| e.certs.len()).sum(),
        });
    }
    let aliases = || list(&keys);
    match alias {
        Some(wanted) => keys
            .iter()
            .find(|e| e.alias == wanted)
            .or_else(|| keys.iter().find(|e| e.alias.eq_ignore_ascii_case(wanted)))
            .copied()
            .ok_or_else(|| KeyError::KeystoreUnknownAlias {
                store: name,
                alias: crate::text::display_safe(wanted)
                    .chars()
                    .take(100)
                    .collect(),
                aliases: aliases(),
            }),
        None if keys.len() > 1 => Err(KeyError::KeystoreAliasNeeded {
            store: name,
            aliases: aliases(),
        }),
        None => Ok(keys[0]),
    }
}

/// The aliases of the private key entries, for a finding (at most [`MAX_LISTED`]).
fn list(keys: &[&Entry]) -> Vec<String> {
    let mut out: Vec<String> = keys
        .iter()
        .take(MAX_LISTED)
        .map(|e| e.alias.clone())
        .collect();
    if keys.len() > MAX_LISTED {
        out.push(format!("and {} more", keys.len() - MAX_LISTED));
    }
    out
}

/// An alias read from the file, made safe to show (control characters escaped) and bounded.
fn safe_alias(raw: &str) -> String {
    crate::text::display_safe(raw).chars().take(100).collect()
}

/// A damaged-keystore error.
fn damaged(kind: StoreKind, problem: impl Into<String>) -> KeyError {
    KeyError::KeystoreDamaged {
        store: kind.to_string(),
        problem: problem.into(),
    }
}

/// What is wrong, for the keystore errors ([`KeyError::message`]).
pub(super) fn message(e: &KeyError) -> String {
    match e {
        KeyError::KeystoreNeedsPassword { store } => {
            format!("the private key is a {store} and no password was given")
        }
        KeyError::KeystoreWrongPassword { store } => format!(
            "the private key is a {store} and the keystore password is wrong: the store's integrity check does not pass with it"
        ),
        KeyError::KeystoreKeyPassword { store, alias } => format!(
            "the private key is a {store}: the password opens the store, but not the key of the entry {alias}, which has a password of its own (or the key password given is wrong)"
        ),
        KeyError::KeystoreNoPrivateKey {
            store,
            certificates,
        } => format!(
            "the private key is a {store} without any private key entry (it holds {})",
            crate::words::count(*certificates as i64, "certificate", "certificates")
        ),
        KeyError::KeystoreAliasNeeded { store, aliases } => format!(
            "the private key is a {store} with {} private key entries and no alias was given to choose one: {}",
            aliases.len(),
            aliases.join(", ")
        ),
        KeyError::KeystoreUnknownAlias {
            store,
            alias,
            aliases,
        } => format!(
            "the private key is a {store} without a private key entry named {alias}; its private key entries: {}",
            aliases.join(", ")
        ),
        KeyError::KeystoreDamaged { store, problem } => {
            format!("the private key is a {store}, and the file is damaged: {problem}")
        }
        KeyError::KeystoreUnsupported { store, what } => {
            format!("the private key is a {store}, and {what}")
        }
        _ => String::new(),
    }
}

/// How to fix it, for the keystore errors ([`KeyError::fix`]).
pub(super) fn fix(e: &KeyError) -> String {
    match e {
        KeyError::KeystoreNeedsPassword { .. } => "Give the keystore password as the passphrase: set $SFJWT_KEY_PASSPHRASE, pass --key-passphrase-file PATH, or `key_passphrase_env = \"VAR\"` in sfjwt.toml naming a variable that holds it, or run on a terminal to be asked.".into(),
        KeyError::KeystoreWrongPassword { .. } => "Check the keystore password (the one given to `openssl pkcs12 -export -passout` or keytool's -storepass); test it with `openssl pkcs12 -in FILE -noout` or `keytool -list -keystore FILE`.".into(),
        KeyError::KeystoreKeyPassword { alias, .. } => format!(
            "Give the key's own password: set $SFJWT_KEY_PASSWORD, pass --key-password-file PATH, or name the variable that holds it with key_password_env in sfjwt.toml (the store password stays the passphrase). Or give the entry's key the store's password: `keytool -keypasswd -alias {alias} -keystore FILE`, or convert the store to PKCS#12, which has one password: `keytool -importkeystore -srckeystore FILE -destkeystore app.p12 -deststoretype PKCS12`."
        ),
        KeyError::KeystoreNoPrivateKey { .. } => "Give the keystore that holds the private key the certificate was made from (keytool lists its entries with `keytool -list -keystore FILE`: a PrivateKeyEntry is needed, a trustedCertEntry is only a certificate), or give server.key itself.".into(),
        KeyError::KeystoreAliasNeeded { .. } | KeyError::KeystoreUnknownAlias { .. } => "Choose the entry with --key-alias NAME, $SFJWT_KEY_ALIAS or `key_alias = \"NAME\"` in sfjwt.toml, using one of the aliases listed (`keytool -list -keystore FILE` lists them too).".into(),
        KeyError::KeystoreDamaged { .. } => "Restore the keystore from where it is kept, or export it again (`openssl pkcs12 -export -inkey server.key -in server.crt -out app.p12`); check it with `openssl pkcs12 -in FILE -noout` or `keytool -list -keystore FILE`.".into(),
        KeyError::KeystoreUnsupported { .. } => "Extract the key: `openssl pkcs12 -in FILE -nocerts -nodes -out server.key` (for a JKS or JCEKS, first `keytool -importkeystore -srckeystore FILE -destkeystore app.p12 -deststoretype PKCS12`), and give server.key.".into(),
        _ => String::new(),
    }
}

impl StoreKind {
    fn format(self) -> KeyFormat {
        match self {
            StoreKind::Pkcs12 => KeyFormat::Pkcs12Keystore,
            StoreKind::Jks => KeyFormat::JksKeystore,
            StoreKind::Jceks => KeyFormat::JceksKeystore,
        }
    }
}

#[cfg(test)]
mod tests;
