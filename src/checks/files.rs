//! The files a bundle's fixes name. Fixes are written with the setup guide's file names
//! (`server.key`, `server.crt`, `server.csr`, and `server.key.new` for a converted copy); a
//! finding's fix is given the bundle's real files instead ([`Files::apply`]): the key and the
//! certificate that were read (or, when they are missing, where they belong), with paths as seen
//! from where sfjwt was run, quoted for a shell when they need it. A command pasted from a fix
//! then works on the files it is about, from the directory the user is in.

use std::path::{Path, PathBuf};

use crate::bundle::{Bundle, Loaded, Origin};

/// The real files behind the guide's names, as a shell command would name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    /// `server.key`: the key file read, or where it belongs.
    key: Option<PathBuf>,
    /// `server.crt`: the certificate file read, or where it belongs.
    cert: Option<PathBuf>,
}

/// The guide's names, longest first (a name is never replaced inside a longer one), and what
/// each stands for.
const NAMES: &[(&str, Role)] = &[
    ("server.pass.key", Role::Key),
    ("server.key.new", Role::NewKey),
    ("server.crt.new", Role::NewCert),
    ("server.key", Role::Key),
    ("server.crt", Role::Cert),
    ("server.csr", Role::Csr),
    ("server.p12", Role::Key),
    ("server.ppk", Role::Key),
    ("server.p7b", Role::Cert),
    ("server.pem", Role::KeyCopy("pem")),
    ("server.der", Role::KeyCopy("der")),
];

#[derive(Debug, Clone, Copy)]
enum Role {
    Key,
    Cert,
    /// A converted copy of the key, written beside it, never over it.
    NewKey,
    NewCert,
    /// The certificate signing request, beside the certificate.
    Csr,
    /// A copy of the key in another form, beside it.
    KeyCopy(&'static str),
}

impl Files {
    /// The files of this bundle: those read, else the default names in its directory.
    pub fn of(bundle: &Bundle) -> Self {
        let dir = bundle.dir.as_deref();
        let key = match (&bundle.key.origin, &bundle.key.state) {
            (_, Loaded::NotInBundle(missing)) => Some(missing.dir.join(&missing.file)),
            (Some(Origin::File(path)), _) => Some(path.clone()),
            (Some(_), _) => None,
            (None, _) => dir.map(|d| d.join(crate::bundle::gather::DEFAULT_KEY_FILE)),
        };
        let cert = match (&bundle.cert.origin, &bundle.cert.state) {
            (_, Loaded::NotInBundle(missing)) => Some(missing.dir.join(&missing.file)),
            (Some(Origin::File(path)), _) => Some(path.clone()),
            (Some(_), _) => None,
            (None, _) => dir.map(|d| d.join(crate::bundle::gather::DEFAULT_CERT_FILE)),
        };
        Files { key, cert }
    }

    /// The guide's names in `text` replaced by this bundle's files. A name that is part of a
    /// longer path (`fixtures/x/server.key`) is already a real file and stays.
    pub fn apply(&self, text: &str) -> String {
        if !text.contains("server.") {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while let Some(at) = rest.find("server.") {
            let before = rest[..at].chars().next_back();
            let (head, tail) = rest.split_at(at);
            out.push_str(head);
            if !before.is_some_and(is_path_char) {
                for (name, role) in NAMES {
                    if let Some(after) = tail.strip_prefix(name)
                        && ends_name(after)
                        && let Some(real) = self.path(*role)
                    {
                        out.push_str(&shown(&real));
                        rest = after;
                        continue 'scan;
                    }
                }
            }
            out.push_str("server.");
            rest = &tail["server.".len()..];
        }
        out.push_str(rest);
        out
    }

    /// The real file for a role; `None` leaves the guide's name (no file is known).
    fn path(&self, role: Role) -> Option<PathBuf> {
        match role {
            Role::Key => self.key.clone(),
            Role::Cert => self.cert.clone(),
            Role::NewKey => self.key.as_deref().map(|k| beside(k, "key")),
            Role::NewCert => self.cert.as_deref().map(|c| beside(c, "crt")),
            Role::Csr => match (&self.cert, &self.key) {
                (Some(c), _) => Some(c.with_extension("csr")),
                (None, Some(k)) => Some(k.with_file_name("server.csr")),
                (None, None) => None,
            },
            Role::KeyCopy(ext) => self.key.as_deref().map(|k| with_suffix(k, ext)),
        }
    }
}

/// A converted copy of `path`, beside it and never over it: `server.key` → `server.key.new`,
/// `my-app.pfx` → `my-app.key`, `id_rsa` → `id_rsa.key`.
fn beside(path: &Path, ext: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match name {
        Some(n) if n.ends_with(&format!(".{ext}")) => with_suffix(path, "new"),
        Some(_) if path.extension().is_some() => path.with_extension(ext),
        Some(_) => with_suffix(path, ext),
        None => PathBuf::from(format!("server.{ext}.new")),
    }
}

/// `path` with `.suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_./-~".contains(c)
}

/// The text after a name ends it: nothing, or a character that cannot continue a file name
/// (a full stop only when a sentence ends there).
fn ends_name(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        None => true,
        Some('.') => !chars.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        Some(c) => !(c.is_ascii_alphanumeric() || "_-/".contains(c)),
    }
}

/// A path as a shell command run where sfjwt was run names it: relative to the working
/// directory when it is inside it, quoted when it holds characters a shell would read.
pub fn shown(path: &Path) -> String {
    let relative = working_dir()
        .filter(|_| path.is_absolute())
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path);
    super::key::shell_quote(&relative.display().to_string())
}

fn working_dir() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok()).as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(key: Option<&str>, cert: Option<&str>) -> Files {
        Files {
            key: key.map(PathBuf::from),
            cert: cert.map(PathBuf::from),
        }
    }

    #[test]
    fn the_guides_names_become_the_bundles_files() {
        let f = files(Some("bundles/a/id_rsa"), Some("bundles/a/cert.pem"));
        assert_eq!(
            f.apply("`openssl req -new -key server.key -out server.csr`, then `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`; upload server.crt."),
            "`openssl req -new -key bundles/a/id_rsa -out bundles/a/cert.csr`, then `openssl x509 -req -sha256 -days 365 -in bundles/a/cert.csr -signkey bundles/a/id_rsa -out bundles/a/cert.pem`; upload bundles/a/cert.pem."
        );
    }

    #[test]
    fn converted_copies_go_beside_the_input_never_over_it() {
        let f = files(Some("b/server.pass.key"), None);
        assert_eq!(
            f.apply("openssl pkcs8 -in server.key -out server.key.new"),
            "openssl pkcs8 -in b/server.pass.key -out b/server.pass.key.new"
        );
        let f = files(Some("my-app.pfx"), None);
        assert_eq!(
            f.apply("-in server.p12 -nocerts -nodes -out server.key.new"),
            "-in my-app.pfx -nocerts -nodes -out my-app.key"
        );
        let f = files(Some("id_rsa"), None);
        assert_eq!(
            f.apply("cp server.key server.pem && ssh-keygen -f server.pem"),
            "cp id_rsa id_rsa.pem && ssh-keygen -f id_rsa.pem"
        );
        assert_eq!(f.apply("-out server.key.new"), "-out id_rsa.key");
    }

    #[test]
    fn real_paths_and_longer_names_stay_and_unknown_files_keep_the_guides_name() {
        let f = files(Some("k.pem"), None);
        assert_eq!(
            f.apply("cat fixtures/x/server.key"),
            "cat fixtures/x/server.key"
        );
        assert_eq!(f.apply("server.keystore"), "server.keystore");
        assert_eq!(f.apply("server.crt."), "server.crt.");
        assert_eq!(f.apply("(server.key)."), "(k.pem).");
        assert_eq!(f.apply("no names here"), "no names here");
    }

    #[test]
    fn paths_a_shell_would_split_are_quoted() {
        let f = files(Some("my keys/server.key"), None);
        assert_eq!(
            f.apply("chmod 600 server.key"),
            "chmod 600 'my keys/server.key'"
        );
    }

    #[test]
    fn absolute_paths_inside_the_working_directory_are_shown_relative() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            shown(&cwd.join("fixtures/valid/server.key")),
            "fixtures/valid/server.key"
        );
        assert_eq!(
            shown(Path::new("/elsewhere/server.key")),
            "/elsewhere/server.key"
        );
    }
}
