//! `sfjwt new DIR`: step 1 of the setup without OpenSSL. A new RSA key (`server.key`, PKCS#8
//! PEM, mode 0600), its self-signed certificate (`server.crt`), with `--csr` a signing request
//! for a certification authority (`server.csr`), and `sfjwt.toml` from the identity flags. The
//! files are written together, whole or not at all, and never over a file that exists: one
//! that exists stops the run (exit 2) before anything is made. Then it says how to upload the
//! certificate (step 2) and what to run next.

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::outputs::new_files::{NewFile, NewFilesError, write_new_files};
use crate::bundle::cert::decode_certificates;
use crate::bundle::gather::{CONFIG_FILE, DEFAULT_CERT_FILE, DEFAULT_KEY_FILE};
use crate::bundle::issue::{self, Period};
use crate::exit::{ExitStatus, RunError};
use crate::text::display_safe;

pub(crate) mod say;

/// The signing request `--csr` writes in DIR (the key, certificate and settings files are the
/// bundle's defaults, as check reads them).
pub const CSR_FILE: &str = "server.csr";

/// What `sfjwt new` was asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dir: PathBuf,
    pub bits: usize,
    pub days: u32,
    /// `--subject`, as typed; default CN = the username, else the directory's name.
    pub subject: Option<String>,
    pub csr: bool,
    pub consumer_key: Option<String>,
    pub username: Option<String>,
    pub login_url: Option<String>,
    /// `--at`: the certificate's validity starts then instead of now.
    pub at: Option<OffsetDateTime>,
}

/// Runs `sfjwt new`.
pub fn run(settings: &Settings) -> Result<ExitStatus, RunError> {
    let period = Period::days_from(
        settings.at.unwrap_or_else(OffsetDateTime::now_utc),
        settings.days,
    )
    .map_err(RunError)?;
    let subject = match &settings.subject {
        Some(text) => issue::parse_subject(text),
        None => issue::subject_of_cn(&default_cn(settings)),
    }
    .map_err(RunError)?;
    if !issue::KEY_BITS.contains(&settings.bits) {
        return Err(RunError(format!(
            "--bits {}: sfjwt new makes 2048-, 3072- or 4096-bit keys (Salesforce needs at \
             least 2048); choose one of them",
            settings.bits
        )));
    }
    let paths = Paths::in_dir(&settings.dir, settings.csr);
    refuse_existing(&paths.all())?;
    let key = issue::generate_key(settings.bits).map_err(RunError)?;
    let cert_der = issue::self_signed(&key, &subject, period).map_err(RunError)?;
    let mut files = vec![
        NewFile {
            path: paths.key.clone(),
            bytes: issue::key_pem(&key).map_err(RunError)?.as_bytes().to_vec(),
            owner_only: true,
        },
        NewFile {
            path: paths.cert.clone(),
            bytes: issue::pem("CERTIFICATE", &cert_der).into_bytes(),
            owner_only: false,
        },
    ];
    if let Some(csr) = &paths.csr {
        let der = issue::signing_request(&key, &subject).map_err(RunError)?;
        files.push(NewFile {
            path: csr.clone(),
            bytes: issue::pem("CERTIFICATE REQUEST", &der).into_bytes(),
            owner_only: false,
        });
    }
    files.push(NewFile {
        path: paths.config.clone(),
        bytes: say::config_toml(settings).into_bytes(),
        owner_only: false,
    });
    write_in_dir(&settings.dir, &files)?;
    let cert = decode_certificates(&cert_der)
        .map_err(|e| RunError(format!("the certificate just made: {}", e.message())))?
        .first;
    print_lines(&say::made(settings, &paths, settings.bits, &cert));
    Ok(ExitStatus::Ok)
}

/// Prints text line by line, each made safe for a terminal (a line break inside
/// [`display_safe`] would be shown escaped).
pub(crate) fn print_lines(text: &str) {
    for line in text.lines() {
        println!("{}", display_safe(line));
    }
}

/// The paths of the files `new` makes in DIR.
#[derive(Debug, Clone)]
pub struct Paths {
    pub key: PathBuf,
    pub cert: PathBuf,
    pub csr: Option<PathBuf>,
    pub config: PathBuf,
}

impl Paths {
    fn in_dir(dir: &Path, csr: bool) -> Paths {
        Paths {
            key: dir.join(DEFAULT_KEY_FILE),
            cert: dir.join(DEFAULT_CERT_FILE),
            csr: csr.then(|| dir.join(CSR_FILE)),
            config: dir.join(CONFIG_FILE),
        }
    }

    fn all(&self) -> Vec<&Path> {
        let mut all = vec![self.key.as_path(), self.cert.as_path()];
        all.extend(self.csr.as_deref());
        all.push(&self.config);
        all
    }
}

/// The common name of the default subject: the username, else the directory's name.
fn default_cn(settings: &Settings) -> String {
    if let Some(user) = settings
        .username
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        return user.trim().to_string();
    }
    std::path::absolute(&settings.dir)
        .ok()
        .and_then(|p| {
            p.components().rev().find_map(|c| match c {
                std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
        })
        .unwrap_or_else(|| "sfjwt".to_string())
}

fn refuse_existing(paths: &[&Path]) -> Result<(), RunError> {
    let exist: Vec<PathBuf> = paths
        .iter()
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| p.to_path_buf())
        .collect();
    if exist.is_empty() {
        return Ok(());
    }
    Err(exist_error(&exist))
}

fn exist_error(exist: &[PathBuf]) -> RunError {
    let list: Vec<String> = exist.iter().map(|p| p.display().to_string()).collect();
    RunError(format!(
        "{} already {}: sfjwt new never writes over a file, and wrote nothing; choose a new \
         directory (or move {} away); to renew a certificate from an existing key, use sfjwt renew",
        list.join(", "),
        if list.len() == 1 { "exists" } else { "exist" },
        if list.len() == 1 { "it" } else { "them" },
    ))
}

/// Makes DIR when it does not exist, writes the files; when they cannot be written, a
/// directory this run made is removed again.
fn write_in_dir(dir: &Path, files: &[NewFile]) -> Result<(), RunError> {
    let made_dir = if dir.as_os_str().is_empty() || dir.is_dir() {
        false
    } else {
        std::fs::create_dir_all(dir).map_err(|e| {
            RunError(format!(
                "cannot create the directory {}: {e}",
                dir.display()
            ))
        })?;
        true
    };
    let written = write_new_files(files);
    if written.is_err() && made_dir {
        let _ = std::fs::remove_dir(dir);
    }
    match written {
        Ok(()) => Ok(()),
        Err(NewFilesError::Exist(exist)) => Err(exist_error(&exist)),
        Err(NewFilesError::Io(path, e)) => Err(RunError(format!(
            "cannot write {}: {e}; nothing was written",
            path.display()
        ))),
    }
}
