//! A bundle: everything sfjwt knows about one set of JWT Bearer credentials, gathered from flags,
//! the environment and a bundle directory, with the key and certificate already decoded once.

pub mod app;
pub mod cert;
pub mod config;
pub mod env_file;
pub mod gather;
pub mod inputs;
pub mod issue;
pub mod kdf;
pub mod key;
pub mod pem_text;
pub mod salted;
pub mod source;
pub mod survey;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use self::cert::{CertError, CertificateFile};
use self::key::{KeyError, PrivateKey};
use self::source::ReadError;
use crate::redact::Redactor;
use crate::salesforce::hosts::{self, CustomDomain, LoginUrl, Rejection};

/// Where a setting came from, so messages can say which value to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, e.g. `--username`.
    Flag(&'static str),
    /// An environment variable.
    Env(String),
    /// An environment variable that replaced the bundle's own value: the variable, and what it
    /// replaced ("login_url in b/sfjwt.toml", "b/server.key").
    Overriding { var: String, replaced: String },
    /// The environment variable a bundle's `sfjwt.toml` names for the input (`username_env`):
    /// the variable, the setting that names it and the file.
    Named {
        var: String,
        setting: &'static str,
        path: PathBuf,
    },
    /// A setting in a bundle's `sfjwt.toml`: the file and the setting's name.
    Config {
        path: PathBuf,
        setting: &'static str,
    },
    /// A file (a key or certificate file, or a secret file).
    File(PathBuf),
    /// Standard input (`--key -`).
    Stdin,
    /// Typed at a terminal prompt.
    Prompt,
    /// The certificate of a keystore's entry (the key file, as shown).
    Keystore { alias: String, file: String },
    /// A field of the retrieved app metadata (`consumerSecret`): the field and the file.
    AppMetadata { field: &'static str, file: PathBuf },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::Env(var) => write!(f, "${var}"),
            Origin::Overriding { var, replaced } => {
                write!(f, "${var}, which overrides {replaced}")
            }
            Origin::Named { var, setting, path } => {
                write!(f, "${var} ({setting} in {})", path.display())
            }
            Origin::Config { path, setting } => write!(f, "{setting} in {}", path.display()),
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Stdin => write!(f, "standard input"),
            Origin::Prompt => write!(f, "the terminal prompt"),
            Origin::Keystore { alias, file } => {
                write!(f, "the keystore entry {alias} of {file}")
            }
            Origin::AppMetadata { field, file } => write!(f, "{field} in {}", file.display()),
        }
    }
}

impl Origin {
    /// The setting of `sfjwt.toml` the value was read from, or that names its variable.
    pub fn setting(&self) -> Option<&'static str> {
        match self {
            Origin::Config { setting, .. } | Origin::Named { setting, .. } => Some(setting),
            _ => None,
        }
    }

    /// The file the value was read from, when it came from one: a key, certificate or secret
    /// file, or the bundle's `sfjwt.toml`. Reports point at it (e.g. GitHub annotations).
    pub fn file(&self) -> Option<&Path> {
        match self {
            Origin::File(path) | Origin::Config { path, .. } | Origin::Named { path, .. } => {
                Some(path)
            }
            _ => None,
        }
    }
}

/// A plain (non-secret) setting and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub origin: Origin,
}

impl Setting {
    pub fn new(value: impl Into<String>, origin: Origin) -> Self {
        Setting {
            value: value.into(),
            origin,
        }
    }
}

/// The custom-domain declaration ([`CustomDomain`]) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub kind: CustomDomain,
    pub origin: Origin,
}

/// A secret value. Its `Debug` never shows it; only [`Secret::expose`] does, for the code that
/// must use it. Its bytes are overwritten with zeros when it is dropped (each clone too).
#[derive(Clone)]
pub struct Secret {
    value: String,
    pub origin: Origin,
}

impl Secret {
    pub fn new(value: impl Into<String>, origin: Origin) -> Self {
        Secret {
            value: value.into(),
            origin,
        }
    }
    pub fn expose(&self) -> &str {
        &self.value
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.value);
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted> from {})", self.origin)
    }
}

/// How far an input got: not given, not readable, not decodable, or decoded.
#[derive(Debug)]
pub enum Loaded<T, E> {
    /// Not given; the text says what would provide it.
    Missing(String),
    /// Not in the bundle directory where it should be: what the directory holds instead. A key
    /// or certificate missing from a bundle fails its parse check.
    NotInBundle(survey::NotInBundle),
    /// Given, but its file could not be read.
    Unreadable(ReadError),
    /// Read, but not what it should be.
    Invalid(E),
    Ok(T),
}

impl<T, E> Loaded<T, E> {
    pub fn ok(&self) -> Option<&T> {
        match self {
            Loaded::Ok(v) => Some(v),
            _ => None,
        }
    }
}

/// The private key input.
#[derive(Debug)]
pub struct KeyInput {
    /// Where it came from: a file, `$SFJWT_PRIVATE_KEY`, standard input.
    pub origin: Option<Origin>,
    pub state: Loaded<PrivateKey, KeyError>,
    /// Why no passphrase was available, when the key needs one and the reason is known.
    pub passphrase_hint: Option<String>,
}

/// The certificate input.
#[derive(Debug)]
pub struct CertInput {
    pub origin: Option<Origin>,
    pub state: Loaded<CertificateFile, CertError>,
}

/// Why a file input is missing, from its declaration: "no private key was given (--key,
/// $SFJWT_PRIVATE_KEY, or server.key in a bundle directory)".
fn not_given(spec: &inputs::InputSpec) -> String {
    let mut ways = vec![spec.flag.to_string()];
    ways.extend(spec.env.map(|env| format!("${env}")));
    format!(
        "no {} was given ({}, or {} in a bundle directory)",
        spec.noun.trim_start_matches("the "),
        ways.join(", "),
        spec.bundle_file.unwrap_or_default()
    )
}

/// Everything about one set of credentials.
#[derive(Debug)]
pub struct Bundle {
    /// How the bundle is named in reports: its directory as given, or `command line`.
    pub name: String,
    /// The bundle directory, when the bundle is one.
    pub dir: Option<PathBuf>,
    /// The environment variables that replaced one of the bundle's own settings or files.
    pub overridden: Vec<&'static str>,
    /// The variables the bundle's `sfjwt.toml` names for an input (`username_env`) that are not
    /// set: the input, and the sentence that says so. The checks that need the input say it.
    pub unset: Vec<(&'static inputs::InputSpec, String)>,
    /// The bundle directory's `sfjwt.toml`: `None` when there is none (or no directory), its
    /// path when it read, why not when it did not (`config.parse`).
    pub config: Option<Result<PathBuf, config::ConfigError>>,
    /// The line of each top-level setting of that `sfjwt.toml` ([`config::Config::lines`]).
    pub config_lines: Vec<(String, u32)>,
    pub key: KeyInput,
    pub cert: CertInput,
    /// `--next-cert`: the candidate certificate of a rotation, read like the certificate; `None`
    /// when the run was not asked to judge one (cert.rotation is then not reported).
    pub next_cert: Option<CertInput>,
    /// `--app-metadata` (or `app_metadata` in sfjwt.toml): the app chosen from the retrieved
    /// metadata, or why none could be; `None` when none was given (the `app.*` checks are then
    /// not reported).
    pub app: Option<app::AppInput>,
    /// `[checks]` of the bundle's sfjwt.toml and the file, when it has one.
    pub check_policy: Option<(PathBuf, config::CheckPolicy)>,
    pub consumer_key: Option<Setting>,
    pub username: Option<Setting>,
    pub login_url: Option<Setting>,
    /// The login URL's host declared a custom domain (`--custom-domain`, `custom_domain`):
    /// set it before the login URL is parsed ([`Bundle::login_url_parsed`]).
    pub custom_domain: Option<Declared>,
    pub audience: Option<Setting>,
    /// The org the token must be for (`--expect-org`, `org_id`): token.usable fails on another.
    pub expect_org: Option<Setting>,
    pub consumer_secret: Option<Secret>,
    /// Every secret of this bundle, and every value that looks like one, by the hashes of its
    /// pieces: what the report of this bundle is scrubbed of ([`crate::redact`]).
    pub secrets: Redactor,
    /// `login_url` validated, once: gathering does it ([`Bundle::login_url_parsed`]).
    login_url_parsed: OnceLock<ParsedLoginUrl>,
}

/// The login URL validated: its typed value, or why it cannot be used.
pub type ParsedLoginUrl = Result<LoginUrl, Rejection>;

impl Bundle {
    /// A bundle with nothing in it: every input missing. Tests and the gatherer start here.
    pub fn empty(name: impl Into<String>) -> Self {
        Bundle {
            name: name.into(),
            dir: None,
            overridden: Vec::new(),
            unset: Vec::new(),
            config: None,
            config_lines: Vec::new(),
            key: KeyInput {
                origin: None,
                state: Loaded::Missing(not_given(&inputs::PRIVATE_KEY)),
                passphrase_hint: None,
            },
            cert: CertInput {
                origin: None,
                state: Loaded::Missing(not_given(&inputs::CERT)),
            },
            next_cert: None,
            app: None,
            check_policy: None,
            consumer_key: None,
            username: None,
            login_url: None,
            custom_domain: None,
            audience: None,
            expect_org: None,
            consumer_secret: None,
            secrets: Redactor::new(),
            login_url_parsed: OnceLock::new(),
        }
    }

    /// Why the input is missing when the variable `sfjwt.toml` names for it is not set.
    pub fn unset_hint(&self, spec: &inputs::InputSpec) -> Option<&str> {
        self.unset
            .iter()
            .find(|(s, _)| *s == spec)
            .map(|(_, hint)| hint.as_str())
    }

    /// The variables `sfjwt.toml` names for a setting (consumer key, username, login URL,
    /// audience, consumer secret) that are not set while the setting is still missing, with
    /// the sentence that says so. The key, the certificate and the passphrase are left out:
    /// their own parse check already says it.
    pub fn unset_settings(&self) -> impl Iterator<Item = (&'static inputs::InputSpec, &str)> {
        self.unset
            .iter()
            .filter(|(spec, _)| {
                let missing = [
                    (&inputs::CONSUMER_KEY, self.consumer_key.is_none()),
                    (&inputs::USERNAME, self.username.is_none()),
                    (&inputs::LOGIN_URL, self.login_url.is_none()),
                    (&inputs::AUDIENCE, self.audience.is_none()),
                    (&inputs::CONSUMER_SECRET, self.consumer_secret.is_none()),
                ];
                missing.iter().any(|(s, m)| s == spec && *m)
            })
            .map(|(spec, hint)| (*spec, hint.as_str()))
    }

    /// How to give an input the bundle lacks ([`inputs::InputSpec::how_to_give`]), or, when the
    /// variable its `sfjwt.toml` names for it is not set, that sentence instead.
    pub fn how_to_give(&self, spec: &inputs::InputSpec) -> String {
        match self.unset_hint(spec) {
            Some(hint) => hint.to_string(),
            None => spec.how_to_give(),
        }
    }

    /// The decoded private key, if there is one.
    pub fn private_key(&self) -> Option<&PrivateKey> {
        self.key.state.ok()
    }

    /// The login URL validated into its typed value, or why it cannot be used; `None` when none
    /// was given. Parsed once per bundle (gathering does it; a bundle built by hand, on first
    /// use), and kept: set `login_url` and `custom_domain` before reading this.
    pub fn login_url_parsed(&self) -> Option<&ParsedLoginUrl> {
        let setting = self.login_url.as_ref()?;
        Some(self.login_url_parsed.get_or_init(|| {
            hosts::parse_declared(&setting.value, self.custom_domain.as_ref().map(|d| d.kind))
        }))
    }

    /// The decoded certificate file, if there is one.
    pub fn certificate(&self) -> Option<&CertificateFile> {
        self.cert.state.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_or_certificate_says_where_it_can_come_from() {
        let b = Bundle::empty("t");
        assert!(matches!(
            &b.key.state,
            Loaded::Missing(m) if m == "no private key was given (--key, $SFJWT_PRIVATE_KEY, or server.key in a bundle directory)"
        ));
        assert!(matches!(
            &b.cert.state,
            Loaded::Missing(m) if m == "no certificate was given (--cert, or server.crt in a bundle directory)"
        ));
    }
}
