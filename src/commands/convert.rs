//! `sfjwt convert`: the private key (and, for a keystore, its certificate) written in the form
//! another tool wants, to a new file only (never over one, never to standard output), whole or
//! not at all, at mode 0600; then read back to prove it holds the same key.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::outputs::{same_file, temp::TempFile};
use crate::bundle::cert::{Certificate, decode_certificates};
use crate::bundle::gather::KeySource;
use crate::bundle::inputs::KEY_PASSPHRASE;
use crate::bundle::key::{KeyError, PrivateKey};
use crate::bundle::source::read_file_capped;
use crate::bundle::{Origin, Secret};
use crate::exit::{ExitStatus, RunError};
use crate::text::display_safe;

mod forms;
mod jks;
mod say;

/// The forms `convert` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// PKCS#8 PEM (`BEGIN PRIVATE KEY`), unencrypted.
    Pkcs8,
    /// PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), unencrypted.
    Pkcs1,
    /// PKCS#8 DER, unencrypted.
    Der,
    /// A PKCS#12 keystore (.p12) of the key and the certificate, under a password.
    Pkcs12,
    /// A Java KeyStore (JKS) of the key and the certificate, under a password.
    Jks,
    /// `base64 -w0` of the PKCS#8 PEM file.
    Base64,
    /// The PKCS#8 PEM on one line with a literal `\n` at each line break.
    Escaped,
}

impl Target {
    /// A keystore: it holds the certificate too, under a password.
    pub fn is_keystore(self) -> bool {
        matches!(self, Target::Pkcs12 | Target::Jks)
    }
}

/// What `sfjwt convert` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// `--key PATH` or `--key -`.
    pub key: KeySource,
    pub cert: Option<PathBuf>,
    pub to: Target,
    pub out: PathBuf,
    /// `--key-alias`: the entry to read from a keystore given as the key, and the alias of the
    /// entry written (default: the entry read, else `sfjwt`).
    pub alias: Option<String>,
    /// The key's passphrase, and a keystore's password: from `--key-passphrase-file` or
    /// `$SFJWT_KEY_PASSPHRASE`.
    pub passphrase: Option<Secret>,
    /// A keystore entry key's own password, where it is not the store's: from
    /// `--key-password-file` or `$SFJWT_KEY_PASSWORD`.
    pub key_password: Option<Secret>,
    /// Ask on the terminal for a passphrase or password that was not given.
    pub prompt: bool,
    /// The files given on the command line: `--out` must not be one of them.
    pub input_files: Vec<PathBuf>,
}

/// Runs `sfjwt convert`.
pub fn run(settings: &Settings) -> Result<ExitStatus, RunError> {
    refuse_out(settings)?;
    let (key, typed) = match load_key(settings)? {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!(
                "sfjwt: error: --key {}: {}\n  fix: {}",
                key_origin(&settings.key),
                display_safe(&e.message()),
                display_safe(&e.fix())
            );
            return Ok(ExitStatus::Findings);
        }
    };
    let cert = load_cert(settings, &key)?;
    let password = if settings.to.is_keystore() {
        Some(store_password(settings, typed)?)
    } else {
        None
    };
    let alias = settings
        .alias
        .clone()
        .or_else(|| key.keystore.as_ref().map(|e| e.alias.clone()))
        .unwrap_or_else(|| DEFAULT_ALIAS.to_string());
    let store = match (&cert, &password) {
        (Some(cert), Some(password)) => Some(forms::StoreParts {
            cert,
            alias: &alias,
            password: password.expose(),
        }),
        _ => None,
    };
    let bytes = forms::encode(settings.to, &key, store.as_ref()).map_err(RunError)?;
    write_new(&settings.out, &bytes)?;
    let back = read_back(settings, password.as_ref(), &key, cert.as_ref())?;
    for note in say::notes(settings, &key, cert.as_ref()) {
        eprintln!("sfjwt: note: {}", display_safe(&note));
    }
    println!(
        "{}",
        display_safe(&say::wrote(settings, &key, cert.as_ref(), &back))
    );
    println!(
        "{}",
        display_safe(&say::next(settings, password.as_ref(), &alias))
    );
    Ok(ExitStatus::Ok)
}

fn key_origin(key: &KeySource) -> String {
    match key {
        KeySource::Path(p) => p.display().to_string(),
        KeySource::Bytes { origin, .. } => origin.to_string(),
    }
}

/// `--out` must be new: an existing file (an input above all) is never written over.
fn refuse_out(settings: &Settings) -> Result<(), RunError> {
    let out = &settings.out;
    if let Some(input) = settings.input_files.iter().find(|i| same_file(i, out)) {
        return Err(RunError(format!(
            "--out {} is {}, an input of this run: sfjwt convert never writes over its inputs; \
             choose a new path",
            out.display(),
            input.display()
        )));
    }
    if std::fs::symlink_metadata(out).is_ok() {
        return Err(exists(out));
    }
    Ok(())
}

fn exists(out: &Path) -> RunError {
    RunError(format!(
        "--out {} already exists: sfjwt convert never writes over a file; remove it, or choose a \
         new path",
        out.display()
    ))
}

/// The key, and the passphrase typed at the prompt to decrypt it (a keystore may take it as
/// its password). An unreadable file stops the run (exit 2); a key that reads but is not a
/// usable RSA private key is the inner error (exit 1).
type Loaded = Result<(PrivateKey, Option<Secret>), KeyError>;

/// The alias of a keystore entry written from a key that did not come from one.
pub const DEFAULT_ALIAS: &str = "sfjwt";

fn load_key(settings: &Settings) -> Result<Loaded, RunError> {
    let origin = key_origin(&settings.key);
    let mut bytes = zeroize::Zeroizing::new(
        match &settings.key {
            KeySource::Path(path) => read_file_capped(path),
            KeySource::Bytes { bytes, .. } => bytes.clone(),
        }
        .map_err(|e| RunError(format!("--key {origin}: {e}")))?,
    );
    let given = settings.passphrase.as_ref().map(|p| p.expose().as_bytes());
    let entry = crate::bundle::key::Entry {
        alias: settings.alias.as_deref(),
        key_password: settings
            .key_password
            .as_ref()
            .map(|p| p.expose().as_bytes()),
    };
    let loaded = super::decode_key_or_prompt(&bytes, given, entry, settings.prompt, &origin);
    zeroize::Zeroize::zeroize(&mut *bytes);
    Ok(loaded)
}

/// The certificate, when given (a keystore needs one): it must carry the key's public key.
fn load_cert(settings: &Settings, key: &PrivateKey) -> Result<Option<Certificate>, RunError> {
    let Some(path) = &settings.cert else {
        // A key read from a keystore brings its entry's certificate.
        if let Some(der) = key.keystore.as_ref().and_then(|e| e.certs.first()) {
            let cert = decode_certificates(der)
                .map_err(|e| {
                    RunError(format!("the keystore entry's certificate: {}", e.message()))
                })?
                .first;
            return Ok(Some(cert));
        }
        if settings.to.is_keystore() {
            return Err(RunError(format!(
                "--to {} needs --cert PATH: a keystore entry holds the key with its certificate \
                 (the server.crt uploaded to the app)",
                say::name(settings.to)
            )));
        }
        return Ok(None);
    };
    let file =
        read_file_capped(path).map_err(|e| RunError(format!("--cert {}: {e}", path.display())))?;
    let cert = decode_certificates(&file)
        .map_err(|e| {
            RunError(format!(
                "--cert {}: {} ({})",
                path.display(),
                e.message(),
                e.fix()
            ))
        })?
        .first;
    if cert.spki_der != key.spki_der {
        return Err(RunError(format!(
            "--cert {} is not the key's certificate: it carries the public key {}, and the key's \
             is {}; a keystore of the two would not sign logins the app accepts. Give the \
             certificate made from this key (the one uploaded to the app)",
            path.display(),
            cert.fingerprint(),
            key.fingerprint()
        )));
    }
    Ok(Some(cert))
}

/// A keystore's password: the passphrase given (`--key-passphrase-file`,
/// `$SFJWT_KEY_PASSPHRASE`), or the one typed for the key, or a new one typed twice.
fn store_password(settings: &Settings, typed: Option<Secret>) -> Result<Secret, RunError> {
    if let Some(given) = settings.passphrase.clone().or(typed) {
        return Ok(given);
    }
    let none = || {
        RunError(format!(
            "--to {} needs a password for the keystore: set ${} or pass {} PATH (on a \
             terminal, sfjwt asks for one); nothing was written",
            say::name(settings.to),
            KEY_PASSPHRASE.env.unwrap_or_default(),
            KEY_PASSPHRASE.flag
        ))
    };
    if !settings.prompt {
        return Err(none());
    }
    let first = super::terminal_prompt(&format!(
        "Password for the new keystore {}: ",
        settings.out.display()
    ))
    .ok_or_else(none)?;
    let first = Secret::new(first, Origin::Prompt);
    let again = super::terminal_prompt("The same password again: ").map(zeroize::Zeroizing::new);
    if again.as_deref().map(String::as_str) != Some(first.expose()) {
        return Err(RunError(
            "the two passwords differ; nothing was written".into(),
        ));
    }
    Ok(first)
}

/// Writes `bytes` to the new file `out`: a temporary file beside it (mode 0600 from the
/// start), put in place only if `out` still does not exist.
fn write_new(out: &Path, bytes: &[u8]) -> Result<(), RunError> {
    let cannot =
        |e: std::io::Error| RunError(format!("--out {}: cannot write: {e}", out.display()));
    let temp = TempFile::owner_only_beside(out).map_err(cannot)?;
    temp.file().write_all(bytes).map_err(cannot)?;
    match temp.link_as_new(out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(out)),
        Err(e) => Err(cannot(e)),
    }
}

/// Reads the written file back from disk; one that does not hold the same key and certificate
/// is removed (sfjwt made it a moment ago) and the run fails.
fn read_back(
    settings: &Settings,
    password: Option<&Secret>,
    key: &PrivateKey,
    cert: Option<&Certificate>,
) -> Result<forms::ReadBack, RunError> {
    let out = &settings.out;
    let bytes = zeroize::Zeroizing::new(
        std::fs::read(out)
            .map_err(|e| RunError(format!("--out {}: cannot read it back: {e}", out.display())))?,
    );
    let checked =
        forms::read_back(settings.to, &bytes, password.map(Secret::expose)).and_then(|back| {
            let same_cert =
                !settings.to.is_keystore() || back.cert_der.as_deref() == cert.map(|c| &c.der[..]);
            if back.key_fingerprint == key.fingerprint() && same_cert {
                Ok(back)
            } else {
                Err("it holds another key or certificate".into())
            }
        });
    checked.map_err(|why| {
        let _ = std::fs::remove_file(out);
        RunError(format!(
            "--out {}: reading it back failed ({why}), so it was removed; this is a bug in sfjwt, \
             please report it",
            out.display()
        ))
    })
}
