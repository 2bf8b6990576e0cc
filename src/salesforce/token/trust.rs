//! Certificates the HTTPS client of `--live` trusts **in addition to** the system store:
//! `--ca-file PATH` and `$SSL_CERT_FILE` (a TLS-inspecting proxy's root CA, a company CA).
//!
//! They are added beside the platform's roots, never in their place, and nothing else about
//! verification changes: the server's chain must still lead to a trusted root, be valid now and
//! name the host. On Linux rustls-native-certs already reads `$SSL_CERT_FILE` instead of the
//! default bundle; sfjwt adds its certificates itself so that macOS and Windows, whose stores
//! ignore the variable, behave the same.

use std::path::{Path, PathBuf};

use crate::bundle::source::read_file_capped;

/// The environment variable whose file's certificates are trusted beside the system store.
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";

/// What a CA file must be, for the errors about one that is not.
pub const CA_FILE_IS: &str = "a CA file is the PEM file of the CA to trust beside the system store (one or more BEGIN CERTIFICATE blocks), such as your TLS-inspecting proxy's root CA as exported from the proxy's admin console (Zscaler, Netskope, Palo Alto, ...) or from the browser's certificate viewer, or one DER certificate";

/// Where a CA file was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaOrigin {
    /// `--ca-file PATH`.
    Flag,
    /// `$SSL_CERT_FILE`.
    Env,
}

/// A CA file that was read: where it was named and its certificates (DER), each one usable as
/// a trust anchor.
#[derive(Clone, PartialEq, Eq)]
pub struct CaFile {
    pub path: PathBuf,
    pub origin: CaOrigin,
    certs: Vec<Vec<u8>>,
}

impl std::fmt::Debug for CaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaFile")
            .field("path", &self.path)
            .field("origin", &self.origin)
            .field("certificates", &self.certs.len())
            .finish()
    }
}

impl CaFile {
    /// Reads a CA file (at most `MAX_INPUT_BYTES`): a PEM bundle of certificates, or one DER
    /// certificate. An error names the file and says what a CA file must be.
    ///
    /// For `--ca-file`, every certificate must be usable as a trust anchor; `$SSL_CERT_FILE`
    /// is often a whole system bundle, so one odd certificate in it is left out (as the system
    /// store's loader does), and only a file with no usable certificate is an error.
    pub fn read(path: &Path, origin: CaOrigin) -> Result<CaFile, String> {
        let named = label(path, origin);
        let fail = |why: String| format!("{named}: {why}; {CA_FILE_IS}");
        let bytes = read_file_capped(path).map_err(|e| fail(e.to_string()))?;
        let found = certificates_in(&bytes).map_err(fail)?;
        let mut certs = Vec::with_capacity(found.len());
        for (i, der) in found.into_iter().enumerate() {
            match usable_as_root(&der) {
                Ok(()) => certs.push(der),
                Err(why) if origin == CaOrigin::Flag => {
                    return Err(fail(format!("certificate {} of the file {why}", i + 1)));
                }
                Err(_) => {}
            }
        }
        if certs.is_empty() {
            return Err(fail(
                "none of its certificates can be a trusted root".into(),
            ));
        }
        Ok(CaFile {
            path: path.to_path_buf(),
            origin,
            certs,
        })
    }

    /// `--ca-file PATH`, or `$SSL_CERT_FILE (PATH)`.
    pub fn label(&self) -> String {
        label(&self.path, self.origin)
    }

    /// The path as it may be printed.
    pub fn shown_path(&self) -> String {
        crate::text::display_safe(&self.path.display().to_string()).into_owned()
    }

    /// How many certificates it adds.
    pub fn count(&self) -> usize {
        self.certs.len()
    }

    /// Its certificates, for `reqwest::ClientBuilder::tls_certs_merge`.
    pub fn certificates(&self) -> Vec<reqwest::Certificate> {
        self.certs
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok())
            .collect()
    }
}

fn label(path: &Path, origin: CaOrigin) -> String {
    let shown = crate::text::display_safe(&path.display().to_string()).into_owned();
    match origin {
        CaOrigin::Flag => format!("--ca-file {shown}"),
        CaOrigin::Env => format!("${SSL_CERT_FILE} ({shown})"),
    }
}

/// The certificates (DER) of a CA file's bytes: the `CERTIFICATE` blocks of PEM text (other
/// blocks are ignored), or the bytes themselves when they are one DER X.509 certificate. Says
/// why when there is none; never quotes the file.
pub fn certificates_in(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let blocks = pem::parse_many(bytes)
            .map_err(|_| "its PEM text does not read (a block cut short or mangled)".to_string())?;
        let total = blocks.len();
        let certs: Vec<Vec<u8>> = blocks
            .into_iter()
            .filter(|b| b.tag() == "CERTIFICATE")
            .map(pem::Pem::into_contents)
            .collect();
        if certs.is_empty() {
            return Err(format!(
                "it holds {total} PEM block{} but no BEGIN CERTIFICATE block",
                if total == 1 { "" } else { "s" }
            ));
        }
        for (i, der) in certs.iter().enumerate() {
            if x509_parser::parse_x509_certificate(der).is_err() {
                return Err(format!(
                    "certificate {} of the file does not read as an X.509 certificate",
                    i + 1
                ));
            }
        }
        return Ok(certs);
    }
    match x509_parser::parse_x509_certificate(bytes) {
        Ok(([], _)) => Ok(vec![bytes.to_vec()]),
        _ => Err("it holds no certificate: it is neither PEM text nor a DER certificate".into()),
    }
}

/// Whether rustls takes a certificate as a trust anchor (what the verifier will do with it).
fn usable_as_root(der: &[u8]) -> Result<(), String> {
    let mut store = rustls::RootCertStore::empty();
    store
        .add(rustls::pki_types::CertificateDer::from(der.to_vec()))
        .map_err(|e| format!("cannot be a trusted root ({e})"))
}

/// What one run adds to the settings of every client ([`super::builder`]): the CA files trusted
/// beside the system store, and in debug builds the test hook's address overrides
/// ([`super::test_resolve`], for the HTTPS client only).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub ca_files: Vec<CaFile>,
    #[cfg(debug_assertions)]
    pub test_resolve: Vec<(String, std::net::SocketAddr)>,
}

impl Extras {
    /// The builder with these additions.
    pub fn apply(
        &self,
        b: reqwest::blocking::ClientBuilder,
        loopback: bool,
    ) -> reqwest::blocking::ClientBuilder {
        let b = b.tls_certs_merge(self.ca_files.iter().flat_map(CaFile::certificates));
        #[cfg(debug_assertions)]
        let b = if loopback {
            b
        } else {
            super::test_resolve::apply(b, &self.test_resolve)
        };
        #[cfg(not(debug_assertions))]
        let _ = loopback;
        b
    }

    /// The labels of the CA files (`--ca-file PATH`, `$SSL_CERT_FILE (PATH)`).
    pub fn ca_labels(&self) -> Vec<String> {
        self.ca_files.iter().map(CaFile::label).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/tls")
                .join(name),
        )
        .unwrap()
    }

    fn der_of(pem_bytes: &[u8]) -> Vec<u8> {
        pem::parse(pem_bytes).unwrap().into_contents()
    }

    #[test]
    fn a_pem_bundle_gives_each_of_its_certificates() {
        let mut bundle = fixture("ca.crt");
        bundle.extend_from_slice(b"\r\nsome text between blocks\r\n");
        bundle.extend_from_slice(&fixture("other-ca.crt"));
        let certs = certificates_in(&bundle).unwrap();
        assert_eq!(
            certs,
            [der_of(&fixture("ca.crt")), der_of(&fixture("other-ca.crt"))]
        );
    }

    #[test]
    fn one_der_certificate_is_a_ca_file_too() {
        let der = der_of(&fixture("ca.crt"));
        assert_eq!(certificates_in(&der).unwrap(), vec![der.clone()]);
        // With bytes after it, it is not one certificate.
        let mut longer = der;
        longer.push(0);
        assert!(certificates_in(&longer).is_err());
    }

    #[test]
    fn empty_files_and_garbage_hold_no_certificate() {
        for (bytes, why) in [
            (&b""[..], "the file is empty"),
            (&b" \n\t\n"[..], "the file is empty"),
            (
                &b"not a certificate at all"[..],
                "neither PEM text nor a DER",
            ),
            (
                &[0x30, 0x82, 0x01, 0x00, 0xff][..],
                "neither PEM text nor a DER",
            ),
            (
                &b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"[..],
                "does not read",
            ),
            (
                &b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"[..],
                "certificate 1 of the file does not read as an X.509 certificate",
            ),
        ] {
            let err = certificates_in(bytes).unwrap_err();
            assert!(err.contains(why), "{bytes:?}: {err}");
        }
    }

    #[test]
    fn pem_without_a_certificate_block_says_what_it_holds() {
        let key = fixture("server.key");
        let err = certificates_in(&key).unwrap_err();
        assert_eq!(err, "it holds 1 PEM block but no BEGIN CERTIFICATE block");
        // The key's text is never quoted.
        assert!(!err.contains("MII"));
    }

    #[test]
    fn a_ca_file_names_itself_and_says_what_it_must_be() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("proxy-ca.pem");
        let err = CaFile::read(&missing, CaOrigin::Flag).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "--ca-file {}: the file does not exist; ",
                missing.display()
            )),
            "{err}"
        );
        assert!(err.contains("root CA as exported from"), "{err}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let err = CaFile::read(&empty, CaOrigin::Env).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "$SSL_CERT_FILE ({}): the file is empty; ",
                empty.display()
            )),
            "{err}"
        );
        let ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls/ca.crt");
        let file = CaFile::read(&ca, CaOrigin::Flag).unwrap();
        assert_eq!(file.count(), 1);
        assert_eq!(file.certificates().len(), 1);
        assert_eq!(file.label(), format!("--ca-file {}", ca.display()));
    }
}
