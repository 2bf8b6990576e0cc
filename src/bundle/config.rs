//! `sfjwt.toml`: a bundle directory's settings.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::source::{ReadError, read_file_capped};

/// The settings a bundle's `sfjwt.toml` may hold. Secrets are named by the environment variable
/// that holds them, never written here.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub consumer_key: Option<String>,
    pub username: Option<String>,
    pub login_url: Option<String>,
    pub audience: Option<String>,
    /// The key file, relative to the bundle directory (default `server.key`).
    pub key: Option<PathBuf>,
    /// The certificate file, relative to the bundle directory (default `server.crt`).
    pub cert: Option<PathBuf>,
    /// The environment variable holding the consumer secret.
    pub consumer_secret_env: Option<String>,
    /// The environment variable holding the key's passphrase.
    pub key_passphrase_env: Option<String>,
}

/// Keys that would put a secret in the file in plain text.
const SECRET_KEYS: &[(&str, &str)] = &[
    ("consumer_secret", "consumer_secret_env"),
    ("key_passphrase", "key_passphrase_env"),
    ("passphrase", "key_passphrase_env"),
    ("client_secret", "consumer_secret_env"),
    ("private_key", "key"),
];

/// Why a `sfjwt.toml` cannot be used. The run stops (exit 2): the bundle's settings are unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.problem)
    }
}

/// Reads `path` if it exists; `Ok(None)` when there is no such file.
pub fn load(path: &Path) -> Result<Option<Config>, ConfigError> {
    let bytes = match read_file_capped(path) {
        Ok(b) => b,
        Err(ReadError::NotFound) => return Ok(None),
        Err(e) => {
            return Err(ConfigError {
                path: path.to_path_buf(),
                problem: format!("{e}"),
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigError {
        path: path.to_path_buf(),
        problem: "it is not UTF-8 text; sfjwt.toml must be a TOML file".into(),
    })?;
    parse(&text).map(Some).map_err(|problem| ConfigError {
        path: path.to_path_buf(),
        problem,
    })
}

/// Parses the text of a `sfjwt.toml`.
pub fn parse(text: &str) -> Result<Config, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("it is not valid TOML: {}", e.message()))?;
    for (secret_key, instead) in SECRET_KEYS {
        if table.contains_key(*secret_key) {
            return Err(format!(
                "`{secret_key}` would hold a secret in plain text, and sfjwt does not read secrets \
                 from sfjwt.toml; remove it, put the value in an environment variable and write \
                 `{instead} = \"VARIABLE_NAME\"` instead"
            ));
        }
    }
    Config::deserialize(table).map_err(|e| {
        format!(
            "{}; the known settings are consumer_key, username, login_url, audience, key, cert, \
             consumer_secret_env and key_passphrase_env",
            e.message()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_settings() {
        let c = parse(
            r#"
            consumer_key = "3MVG9abc"
            username = "integration@acme.com"
            login_url = "https://login.salesforce.com"
            key = "keys/server.key"
            consumer_secret_env = "ACME_SECRET"
            "#,
        )
        .unwrap();
        assert_eq!(c.consumer_key.as_deref(), Some("3MVG9abc"));
        assert_eq!(c.key, Some(PathBuf::from("keys/server.key")));
        assert_eq!(c.consumer_secret_env.as_deref(), Some("ACME_SECRET"));
        assert_eq!(c.cert, None);
    }

    #[test]
    fn refuses_a_plain_text_secret_without_echoing_it() {
        let err = parse("consumer_secret = \"ABCDEF0123\"").unwrap_err();
        assert!(err.contains("consumer_secret_env"), "{err}");
        assert!(!err.contains("ABCDEF0123"), "{err}");
    }

    #[test]
    fn names_an_unknown_setting_and_lists_the_known_ones() {
        let err = parse("loginurl = \"x\"").unwrap_err();
        assert!(err.contains("loginurl"), "{err}");
        assert!(err.contains("login_url"), "{err}");
    }

    #[test]
    fn reports_bad_toml_with_its_reason() {
        let err = parse("consumer_key = ").unwrap_err();
        assert!(err.starts_with("it is not valid TOML"), "{err}");
    }

    #[test]
    fn a_missing_file_is_no_config() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(&dir.path().join("sfjwt.toml")), Ok(None));
    }
}
