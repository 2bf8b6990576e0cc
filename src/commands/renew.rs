//! `sfjwt renew`: a new certificate from the **same** key, for the same subject, with a fresh
//! serial and a new validity, written beside the old one (never over a file). Salesforce
//! verifies the assertion with the certificate's public key, which does not change: clients
//! keep signing with the key they have while the app's certificate is replaced.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::outputs::new_files::{NewFile, NewFilesError, write_new_files};
use crate::bundle::cert::{Certificate, decode_certificates};
use crate::bundle::gather::{CONFIG_FILE, DEFAULT_CERT_FILE, DEFAULT_KEY_FILE};
use crate::bundle::issue::{self, Period};
use crate::bundle::key::PrivateKey;
use crate::bundle::source::read_file_capped;
use crate::bundle::{Origin, Secret, config};
use crate::exit::{ExitStatus, RunError};

mod say;

/// What `sfjwt renew` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// The bundle directory (default `.` when neither it nor `--key`/`--cert` is given).
    pub dir: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub days: u32,
    pub out: Option<PathBuf>,
    /// `--at`: the new certificate's validity starts then instead of now.
    pub at: Option<OffsetDateTime>,
    /// The key's passphrase: `--key-passphrase-file` or `$SFJWT_KEY_PASSPHRASE`.
    pub passphrase: Option<Secret>,
    pub prompt: bool,
}

/// The key and certificate to renew, and the bundle directory they came from.
#[derive(Debug)]
pub struct Files {
    pub dir: Option<PathBuf>,
    pub key: PathBuf,
    pub cert: PathBuf,
    /// The environment variable the bundle's sfjwt.toml names for the key's passphrase.
    pub passphrase_env: Option<String>,
}

/// Runs `sfjwt renew`.
pub fn run(settings: &Settings) -> Result<ExitStatus, RunError> {
    let period = Period::days_from(
        settings.at.unwrap_or_else(OffsetDateTime::now_utc),
        settings.days,
    )
    .map_err(RunError)?;
    let files = locate(settings)?;
    let out = settings
        .out
        .clone()
        .unwrap_or_else(|| default_out(&files.cert, period.not_before));
    if std::fs::symlink_metadata(&out).is_ok() {
        return Err(exists(&out));
    }
    let old = read_cert(&files.cert)?;
    let key = read_key(settings, &files)?;
    if key.spki_der != old.spki_der {
        return Err(RunError(format!(
            "{} is not the certificate of {}: its public key is {}, the key's is {}. Renewing it \
             would make a certificate the clients' key does not match, and the app would reject \
             their tokens; give the certificate made from this key (or the key of this certificate)",
            files.cert.display(),
            files.key.display(),
            old.fingerprint(),
            key_fingerprint(&key)
        )));
    }
    let subject = issue::subject_of(&old.der).map_err(RunError)?;
    let rsa_key = key.rsa().map_err(|e| RunError(e.to_string()))?;
    let der = issue::self_signed(rsa_key, &subject, period).map_err(RunError)?;
    let new_file = NewFile {
        path: out.clone(),
        bytes: issue::pem("CERTIFICATE", &der).into_bytes(),
        owner_only: false,
    };
    match write_new_files(&[new_file]) {
        Ok(()) => {}
        Err(NewFilesError::Exist(_)) => return Err(exists(&out)),
        Err(NewFilesError::Io(path, e)) => {
            return Err(RunError(format!("cannot write {}: {e}", path.display())));
        }
    }
    let new = decode_certificates(&der)
        .map_err(|e| RunError(format!("the certificate just made: {}", e.message())))?
        .first;
    super::new::print_lines(&say::renewed(&files, &old, &new, &out));
    Ok(ExitStatus::Ok)
}

fn key_fingerprint(key: &PrivateKey) -> String {
    crate::fingerprint::fingerprint(&key.spki_der)
}

fn exists(out: &Path) -> RunError {
    RunError(format!(
        "{} already exists: sfjwt renew never writes over a file, and wrote nothing; choose \
         another --out, or move it away",
        out.display()
    ))
}

/// `server.renewed-YYYY-MM-DD.crt` beside the old certificate (its stem, the new validity's
/// first day).
fn default_out(cert: &Path, start: OffsetDateTime) -> PathBuf {
    let stem = cert
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "server".to_string());
    let date = start.date();
    cert.with_file_name(format!(
        "{stem}.renewed-{:04}-{:02}-{:02}.crt",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// The key and certificate: `--key` and `--cert`, or the bundle's (its sfjwt.toml's, else
/// server.key and server.crt).
fn locate(settings: &Settings) -> Result<Files, RunError> {
    if let (Some(key), Some(cert)) = (&settings.key, &settings.cert) {
        return Ok(Files {
            dir: None,
            key: key.clone(),
            cert: cert.clone(),
            passphrase_env: None,
        });
    }
    let dir = settings.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(RunError(format!(
            "{} is not a directory: give a bundle directory (with server.key and server.crt), \
             or --key and --cert",
            dir.display()
        )));
    }
    let config = config::load(&dir.join(CONFIG_FILE))
        .map_err(|e| RunError(format!("{e}")))?
        .unwrap_or_default();
    Ok(Files {
        key: dir.join(config.key.as_deref().unwrap_or(Path::new(DEFAULT_KEY_FILE))),
        cert: dir.join(
            config
                .cert
                .as_deref()
                .unwrap_or(Path::new(DEFAULT_CERT_FILE)),
        ),
        passphrase_env: config.key_passphrase_env.clone(),
        dir: Some(dir),
    })
}

fn read_cert(path: &Path) -> Result<Certificate, RunError> {
    let bytes = read_file_capped(path)
        .map_err(|e| RunError(format!("the certificate {}: {e}", path.display())))?;
    decode_certificates(&bytes)
        .map(|file| file.first)
        .map_err(|e| {
            RunError(format!(
                "the certificate {}: {}; {}",
                path.display(),
                e.message(),
                e.fix()
            ))
        })
}

/// The key, decrypted with the passphrase given (`--key-passphrase-file`,
/// `$SFJWT_KEY_PASSPHRASE`, the bundle's key_passphrase_env) or typed at the prompt.
fn read_key(settings: &Settings, files: &Files) -> Result<PrivateKey, RunError> {
    let path = &files.key;
    let bytes = zeroize::Zeroizing::new(
        read_file_capped(path).map_err(|e| RunError(format!("the key {}: {e}", path.display())))?,
    );
    let from_env = files.passphrase_env.as_deref().and_then(|name| {
        std::env::var(name)
            .ok()
            .map(|v| Secret::new(v, Origin::Env(name.to_string())))
    });
    let given = settings.passphrase.as_ref().or(from_env.as_ref());
    let given = given.map(|p| p.expose().as_bytes());
    let origin = path.display().to_string();
    let decoded = super::decode_key_or_prompt(
        &bytes,
        given,
        crate::bundle::key::Entry::default(),
        settings.prompt,
        &origin,
    )
    .map(|(key, _)| key);
    decoded.map_err(|e| {
        RunError(format!(
            "the key {}: {}; fix: {}",
            path.display(),
            e.message(),
            e.fix()
        ))
    })
}
