//! What a bundle directory holds when its key or certificate is not where sfjwt looks: the files
//! that look like a private key or a certificate, so the finding can name them and the setting
//! that would use them (`key = "private.pem"`), instead of only saying what is missing.
//!
//! Only names and PEM labels are looked at: at most [`MAX_ENTRIES`] directory entries, and the
//! first [`SNIFF_BYTES`] of each regular file (wiped after). Nothing read here is shown.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The most directory entries looked at.
pub const MAX_ENTRIES: usize = 512;
/// The most bytes read from one file to see what it is.
pub const SNIFF_BYTES: u64 = 16 * 1024;
/// The most candidates named in a finding.
pub const MAX_NAMED: usize = 8;

/// What a file in the directory looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Kind {
    /// A PEM private key (PKCS#8, PKCS#1, encrypted, OpenSSH).
    PemKey,
    /// A PEM file with a private key and a certificate.
    PemKeyAndCert,
    /// A PEM certificate (or a chain).
    PemCert,
    /// A PKCS#12 keystore (`.p12`, `.pfx`): a key and its certificate.
    Pkcs12,
    /// A Java KeyStore (`.jks`, `.keystore`).
    Jks,
    /// An `openssl enc` file (`Salted__`, or its base64 `U2FsdGVkX1`): a key kept encrypted in a
    /// repository, decrypted with the passphrase.
    OpensslEnc,
    /// Named like a key (`.key`), content not PEM.
    KeyByName,
    /// Named like a certificate (`.crt`, `.cer`, `.der`), content not PEM.
    CertByName,
}

impl Kind {
    /// In words, for a finding: "a PEM private key".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::PemKey => "a PEM private key",
            Kind::PemKeyAndCert => "a PEM file with a private key and a certificate",
            Kind::PemCert => "a PEM certificate",
            Kind::Pkcs12 => "a PKCS#12 keystore, which holds a key and its certificate",
            Kind::Jks => "a Java KeyStore",
            Kind::OpensslEnc => "an openssl enc file (Salted__), read with the passphrase",
            Kind::KeyByName => "named like a key file",
            Kind::CertByName => "named like a certificate file",
        }
    }

    /// It may hold the private key.
    pub fn key_like(self) -> bool {
        matches!(
            self,
            Kind::PemKey
                | Kind::PemKeyAndCert
                | Kind::Pkcs12
                | Kind::Jks
                | Kind::OpensslEnc
                | Kind::KeyByName
        )
    }

    /// It may hold the certificate.
    pub fn cert_like(self) -> bool {
        matches!(
            self,
            Kind::PemCert | Kind::PemKeyAndCert | Kind::Pkcs12 | Kind::Jks | Kind::CertByName
        )
    }

    /// A keystore: sfjwt reads the key and certificate out of it only after conversion.
    pub fn keystore(self) -> bool {
        matches!(self, Kind::Pkcs12 | Kind::Jks)
    }

    /// A stable code for JSON evidence.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// One file of the directory that may be what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its name in the directory.
    pub name: String,
    pub kind: Kind,
}

/// The key-like and certificate-like files of `dir`, by name, in name order. A directory that
/// cannot be listed has none.
pub fn candidates(dir: &Path) -> Vec<Candidate> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = entries
        .take(MAX_ENTRIES)
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            // A name that is itself a secret's shape is never repeated.
            if crate::lookalike::secret_shape(&name).is_some() {
                return None;
            }
            let kind = classify(&e.path(), &name)?;
            Some(Candidate { name, kind })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// What the file looks like, from its PEM labels, else its name.
fn classify(path: &Path, name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "p12" | "pfx" => return Some(Kind::Pkcs12),
        "jks" | "keystore" => return Some(Kind::Jks),
        "toml" | "md" | "txt" | "csr" | "pub" | "json" | "yml" | "yaml" | "sh" => return None,
        _ => {}
    }
    let mut head = sniff(path);
    if crate::bundle::salted::read(&head).is_some() {
        zeroize::Zeroize::zeroize(&mut head);
        return Some(Kind::OpensslEnc);
    }
    let text = String::from_utf8_lossy(&head);
    let key = text.contains("PRIVATE KEY-----");
    let cert = text.contains("-----BEGIN CERTIFICATE-----")
        || text.contains("-----BEGIN TRUSTED CERTIFICATE-----");
    drop(text);
    zeroize::Zeroize::zeroize(&mut head);
    match (key, cert) {
        (true, true) => Some(Kind::PemKeyAndCert),
        (true, false) => Some(Kind::PemKey),
        (false, true) => Some(Kind::PemCert),
        (false, false) => match ext {
            "key" => Some(Kind::KeyByName),
            "crt" | "cer" | "der" => Some(Kind::CertByName),
            _ => None,
        },
    }
}

fn sniff(path: &Path) -> Vec<u8> {
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(SNIFF_BYTES).read_to_end(&mut head);
    }
    head
}

/// Where a bundle directory's key or certificate was looked for and not found: the file, the
/// `sfjwt.toml` that named it (when one did), and what the directory holds instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInBundle {
    /// The bundle directory.
    pub dir: PathBuf,
    /// The file looked for, as named: `server.key`, or the value of `key =`.
    pub file: PathBuf,
    /// The `sfjwt.toml` whose setting named the file; `None` for the default name.
    pub named_by: Option<PathBuf>,
    /// The files of the directory that look like it (or like the other input).
    pub candidates: Vec<Candidate>,
}

impl NotInBundle {
    /// Looks at `dir` once the file is known to be missing.
    pub fn survey(dir: &Path, file: PathBuf, named_by: Option<PathBuf>) -> Self {
        NotInBundle {
            dir: dir.to_path_buf(),
            file,
            named_by,
            candidates: candidates(dir),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in files {
            std::fs::write(dir.path().join(name), content).unwrap();
        }
        dir
    }

    #[test]
    fn names_key_like_and_certificate_like_files_by_content_then_by_name() {
        let dir = dir_with(&[
            (
                "private.pem",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            ),
            (
                "cert.pem",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            ),
            ("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"),
            (
                "both.pem",
                "-----BEGIN CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\n",
            ),
            ("my-app.pfx", "\u{30}binary"),
            ("old.key", "binary"),
            ("server.key.enc", "Salted__12345678ciphertext"),
            ("ci.key.b64", "U2FsdGVkX19hYmNkZWZnaGlqa2xtbm9w\n"),
            ("sfjwt.toml", "username = \"x\"\n"),
            ("server.csr", "-----BEGIN CERTIFICATE REQUEST-----\n"),
            ("notes", "hello"),
        ]);
        let found = candidates(dir.path());
        let got: Vec<(&str, Kind)> = found.iter().map(|c| (c.name.as_str(), c.kind)).collect();
        assert_eq!(
            got,
            [
                ("both.pem", Kind::PemKeyAndCert),
                ("cert.pem", Kind::PemCert),
                ("ci.key.b64", Kind::OpensslEnc),
                ("id_rsa", Kind::PemKey),
                ("my-app.pfx", Kind::Pkcs12),
                ("old.key", Kind::KeyByName),
                ("private.pem", Kind::PemKey),
                ("server.key.enc", Kind::OpensslEnc),
            ]
        );
        assert!(Kind::Pkcs12.key_like() && Kind::Pkcs12.cert_like());
        assert!(!Kind::PemCert.key_like() && !Kind::PemKey.cert_like());
    }

    #[test]
    fn an_unlistable_directory_has_no_candidates() {
        assert!(candidates(Path::new("/nonexistent/sfjwt")).is_empty());
    }
}
