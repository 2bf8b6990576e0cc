//! `sfjwt.toml`: a bundle directory's settings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::inputs::{
    CERT, CONSUMER_SECRET, CUSTOM_DOMAIN, INPUTS, InputSpec, KEY_PASSPHRASE, KEY_PASSWORD,
    NEXT_CERT, PRIVATE_KEY, toml_settings,
};
use super::source::{ReadError, read_file_capped};

/// The settings a bundle's `sfjwt.toml` may hold. Secrets are named by the environment variable
/// that holds them, never written here. Unknown settings are refused before the fields are read
/// ([`parse_located`]: with a did-you-mean), so serde need not refuse them again.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct Config {
    pub consumer_key: Option<String>,
    pub username: Option<String>,
    pub login_url: Option<String>,
    /// `login` or `site`: the login URL's host is the org's custom domain
    /// ([`CustomDomain`](crate::salesforce::hosts::CustomDomain)); checked when the file is read.
    pub custom_domain: Option<String>,
    pub audience: Option<String>,
    /// The org id the token must be for with `--live` (`--expect-org`); checked when the file
    /// is read.
    pub org_id: Option<String>,
    /// The key file, relative to the bundle directory (default `server.key`).
    pub key: Option<PathBuf>,
    /// The private key entry to use when the key file is a keystore holding several.
    pub key_alias: Option<String>,
    /// The certificate file, relative to the bundle directory (default `server.crt`).
    pub cert: Option<PathBuf>,
    /// The candidate certificate of a rotation (`--next-cert`), relative to the bundle
    /// directory: each bundle of a fleet can name its own.
    pub next_cert: Option<PathBuf>,
    /// The retrieved app metadata (a directory or a file), relative to the bundle directory.
    pub app_metadata: Option<PathBuf>,
    /// The app of that metadata, when it holds several.
    pub app: Option<String>,
    /// The environment variable holding the consumer secret.
    pub consumer_secret_env: Option<String>,
    /// The environment variable holding the key's passphrase.
    pub key_passphrase_env: Option<String>,
    /// The environment variable holding a keystore entry key's own password.
    pub key_password_env: Option<String>,
    /// `[checks]`: the bundle's per-check policy (`allow`, `warn`, `deny`: check ids or
    /// prefixes, judged by the checks layer).
    pub checks: Option<CheckPolicy>,
    /// The variables that hold an input (`username_env = "ACME_USERNAME"`), by the setting that
    /// names them: every input's [`InputSpec::toml_env`] that the file sets.
    #[serde(skip)]
    pub variables: BTreeMap<&'static str, String>,
    /// The 1-based line of each top-level setting (`login_url = ...`), so that reports can
    /// point at the line a value came from (SARIF, GitHub annotations).
    #[serde(skip)]
    pub lines: Vec<(String, u32)>,
}

/// `[checks]` in sfjwt.toml: check ids or prefixes by what to do with their warnings and
/// failures.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckPolicy {
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub warn: Vec<String>,
    #[serde(default)]
    pub deny: Vec<String>,
}

/// The table of sfjwt.toml that holds the per-check policy.
pub const CHECKS_TABLE: &str = "checks";

impl Config {
    /// The line of `sfjwt.toml` where a top-level setting is written.
    pub fn line_of(&self, setting: &str) -> Option<u32> {
        self.lines
            .iter()
            .find(|(k, _)| k == setting)
            .map(|(_, line)| *line)
    }

    /// The environment variable this bundle names for an input (`username_env`), if any.
    pub fn variable(&self, spec: &InputSpec) -> Option<&str> {
        self.variables.get(spec.toml_env?).map(String::as_str)
    }
}

/// Keys that would put a secret in the file in plain text.
const SECRET_KEYS: &[(&str, &str)] = &[
    ("consumer_secret", "consumer_secret_env"),
    ("key_passphrase", "key_passphrase_env"),
    ("key_password", "key_password_env"),
    ("passphrase", "key_passphrase_env"),
    ("client_secret", "consumer_secret_env"),
    ("private_key", "key"),
];

/// Why a `sfjwt.toml` cannot be used: `config.parse` fails with it, and the bundle's other
/// checks are skipped (its settings are unknown); the other bundles of a run are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub problem: String,
    /// Where in the file, 1-based, when the problem is at one place.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.problem)
    }
}

/// What is wrong with a `sfjwt.toml`'s text, and at which byte it is, when at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub at: Option<usize>,
}

impl Problem {
    fn new(message: String, at: Option<usize>) -> Self {
        Problem { message, at }
    }
}

/// The 1-based line and column (in characters) of byte `at` of `text`.
pub fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Where the setting `key` is written (`key = ...` at the start of a line), as a byte offset.
fn offset_of_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            return Some(offset + line.len() - trimmed.len());
        }
        offset += line.len();
    }
    None
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
                line: None,
                column: None,
            });
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| ConfigError {
        path: path.to_path_buf(),
        problem: "it is not UTF-8 text; sfjwt.toml must be a TOML file".into(),
        line: None,
        column: None,
    })?;
    parse_located(&text).map(Some).map_err(|problem| {
        let (line, column) = match problem.at.map(|at| line_and_column(&text, at)) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        ConfigError {
            path: path.to_path_buf(),
            problem: problem.message,
            line,
            column,
        }
    })
}

/// Parses the text of a `sfjwt.toml`; the error says what is wrong.
pub fn parse(text: &str) -> Result<Config, String> {
    parse_located(text).map_err(|p| p.message)
}

/// Parses the text of a `sfjwt.toml`; the error says what is wrong and where.
pub fn parse_located(text: &str) -> Result<Config, Problem> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Problem::new(
            format!(
                "it is not valid TOML: {}",
                crate::lookalike::redact_lookalikes(e.message())
            ),
            e.span().map(|s| s.start),
        )
    })?;
    for (secret_key, instead) in SECRET_KEYS {
        if table.contains_key(*secret_key) {
            return Err(Problem::new(
                format!(
                    "`{secret_key}` would hold a secret in plain text, and sfjwt does not read \
                     secrets from sfjwt.toml; remove it, put the value in an environment variable \
                     and write `{instead} = \"VARIABLE_NAME\"` instead"
                ),
                offset_of_key(text, secret_key),
            ));
        }
    }
    if let Some(unknown) = table.keys().find(|k| !is_known_setting(k)) {
        return Err(unknown_setting(text, unknown));
    }
    check_custom_domain(text, &table)?;
    check_org_id(text, &table)?;
    let variables = named_variables(text, &table)?;
    let mut config = toml::from_str::<Config>(text).map_err(|e| {
        Problem::new(
            format!(
                "{}; the known settings are {}",
                // The parser quotes what it did not expect: a key or secret written as a
                // setting's name or value is described instead.
                crate::lookalike::redact_lookalikes(e.message()),
                known_settings()
            ),
            e.span().map(|s| s.start),
        )
    })?;
    check_paths_and_variables(text, &config)?;
    config.variables = variables;
    config.lines = table
        .keys()
        .filter_map(|k| {
            let at = offset_of_key(text, k)?;
            Some((k.clone(), line_and_column(text, at).0 as u32))
        })
        .collect();
    Ok(config)
}

/// The `*_env` settings naming the variable that holds an input: each a variable's name, and
/// not beside the input's own setting (`username` and `username_env` both would leave which one
/// counts to a rule to remember: the file gives one or the other).
fn named_variables(
    text: &str,
    table: &toml::Table,
) -> Result<BTreeMap<&'static str, String>, Problem> {
    let mut variables = BTreeMap::new();
    for spec in INPUTS {
        let Some(setting) = spec.toml_env else {
            continue;
        };
        let Some(value) = table.get(setting) else {
            continue;
        };
        let at = offset_of_key(text, setting);
        let Some(name) = value.as_str() else {
            return Err(Problem::new(
                format!(
                    "`{setting}` is a {}; it takes the name of the environment variable that \
                     holds {}, as a string: `{setting} = \"ACME_VARIABLE\"`",
                    value.type_str(),
                    spec.noun
                ),
                at,
            ));
        };
        if let Some(own) = spec.toml.filter(|own| table.contains_key(*own)) {
            return Err(Problem::new(
                format!(
                    "`{own}` and `{setting}` both give {}: keep one of them (`{setting}` names the \
                     variable that holds it)",
                    spec.noun
                ),
                at,
            ));
        }
        if !is_variable_name(name) || crate::lookalike::secret_shape(name).is_some() {
            return Err(not_a_variable_name(setting, spec, at));
        }
        variables.insert(setting, name.to_string());
    }
    Ok(variables)
}

/// A `*_env` setting whose value is no variable's name; the value is not repeated: it is most
/// likely the value itself (a secret, for a secret input).
fn not_a_variable_name(setting: &str, spec: &InputSpec, at: Option<usize>) -> Problem {
    let what = spec.env.unwrap_or("ACME_VARIABLE");
    let value = if spec.secret {
        "may be the secret itself, which must never be written in sfjwt.toml: remove it, put the \
         secret in a variable"
    } else {
        "may be the value itself: write the value as such, or put it in a variable"
    };
    Problem::new(
        format!(
            "`{setting}` must be the name of an environment variable (letters, digits and _, not \
             starting with a digit), such as {what}; its value here is not one, and {value} and \
             write `{setting} = \"{what}\"`"
        ),
        at,
    )
}

fn is_known_setting(key: &str) -> bool {
    key == CHECKS_TABLE || toml_settings().any(|s| s == key)
}

/// An unknown setting: where it is, the known setting it is closest to, and the known ones.
fn unknown_setting(text: &str, key: &str) -> Problem {
    let shown = if crate::lookalike::secret_shape(key).is_some() {
        crate::lookalike::redact_lookalikes(key).to_string()
    } else {
        crate::text::display_safe(key).into_owned()
    };
    let message = match closest_setting(key) {
        Some(k) => format!(
            "`{shown}` is not a setting; did you mean `{k}`? The known settings are {}",
            known_settings()
        ),
        None => format!(
            "`{shown}` is not a setting; the known settings are {}",
            known_settings()
        ),
    };
    Problem::new(message, offset_of_key(text, key))
}

/// The known setting a misspelt one most likely meant: within two edits, or the same letters
/// without `_` and `-`.
fn closest_setting(key: &str) -> Option<&'static str> {
    let plain = |s: &str| s.to_ascii_lowercase().replace(['_', '-'], "");
    toml_settings()
        .map(|known| {
            let d = if plain(known) == plain(key) {
                0
            } else {
                crate::salesforce::hosts::edit_distance(known, &key.to_ascii_lowercase())
            };
            (d, known)
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A key or certificate written where its path goes, a secret where its variable's name goes.
fn check_paths_and_variables(text: &str, config: &Config) -> Result<(), Problem> {
    for (spec, path) in [
        (&PRIVATE_KEY, &config.key),
        (&CERT, &config.cert),
        (&NEXT_CERT, &config.next_cert),
    ] {
        let (setting, file) = (
            spec.toml.unwrap_or_default(),
            spec.bundle_file.unwrap_or_default(),
        );
        let value = path.as_deref().map(|p| p.to_string_lossy());
        if let Some(value) = value
            && let Some(shape) = crate::lookalike::secret_shape(&value)
        {
            return Err(Problem::new(
                format!(
                    "`{setting}` holds {} ({} characters; not shown), not a path: `{setting}` \
                     names the file, relative to the bundle directory; save the text as {file} \
                     and write `{setting} = \"{file}\"` (or remove the setting, which means \
                     that file)",
                    shape.what,
                    value.chars().count(),
                ),
                offset_of_key(text, setting),
            ));
        }
    }
    for (spec, value) in [
        (&CONSUMER_SECRET, &config.consumer_secret_env),
        (&KEY_PASSPHRASE, &config.key_passphrase_env),
        (&KEY_PASSWORD, &config.key_password_env),
    ] {
        let setting = spec.toml.unwrap_or_default();
        if let Some(value) = value
            && (!is_variable_name(value) || looks_like_a_consumer_secret(value))
        {
            return Err(not_a_variable_name(
                setting,
                spec,
                offset_of_key(text, setting),
            ));
        }
    }
    Ok(())
}

/// `org_id` is a string holding an org id.
fn check_org_id(text: &str, table: &toml::Table) -> Result<(), Problem> {
    let Some(value) = table.get("org_id") else {
        return Ok(());
    };
    let problem = match value.as_str() {
        Some(v) => crate::salesforce::identity::org_id_problem(v),
        None => Some(format!(
            "`org_id` is a {}; it takes the org id as a string: `org_id = \"00D...\"`",
            value.type_str()
        )),
    };
    match problem {
        Some(p) => Err(Problem::new(
            format!("`org_id`: {p}"),
            offset_of_key(text, "org_id"),
        )),
        None => Ok(()),
    }
}

/// `custom_domain` is one of the declarations ([`CustomDomain`]'s names), a string.
fn check_custom_domain(text: &str, table: &toml::Table) -> Result<(), Problem> {
    use crate::salesforce::hosts::CustomDomain;
    use strum::VariantNames;
    let setting = CUSTOM_DOMAIN.toml.unwrap_or_default();
    let Some(value) = table.get(setting) else {
        return Ok(());
    };
    if value
        .as_str()
        .is_some_and(|v| v.parse::<CustomDomain>().is_ok())
    {
        return Ok(());
    }
    // The value is not repeated: a value in the wrong place may be a secret.
    let given = match value.as_str() {
        Some(_) => "a string that is not a declaration".to_string(),
        None => format!("a {}", value.type_str()),
    };
    let names: Vec<String> = CustomDomain::VARIANTS
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect();
    Err(Problem::new(
        format!(
            "`{setting}` is {given}; it takes {}: \"login\" when the login URL's host is a custom \
             domain serving your org's Salesforce login, \"site\" when the login URL is an \
             Experience Cloud site on a custom domain",
            names.join(" or ")
        ),
        offset_of_key(text, setting),
    ))
}

/// Every setting `sfjwt.toml` may hold, as the inputs declare them: "consumer_key, username, ...
/// and key_passphrase_env".
fn known_settings() -> String {
    let mut keys: Vec<&str> = toml_settings().collect();
    let last = keys.pop().unwrap_or_default();
    format!(
        "{} and {last}, and the table [{CHECKS_TABLE}] (allow, warn and deny: check ids or prefixes)",
        keys.join(", ")
    )
}

/// A value with the shape of a Salesforce consumer secret (64 hex characters, or 19 digits).
fn looks_like_a_consumer_secret(value: &str) -> bool {
    use crate::salesforce::identity::{SecretFormat, secret_format};
    matches!(
        secret_format(value),
        SecretFormat::UpperHex64 | SecretFormat::LowerHex64 | SecretFormat::LegacyDigits19
    )
}

/// Whether `name` can be an environment variable's name as shells write them.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 128
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
    fn custom_domain_is_login_or_site() {
        for v in ["login", "site"] {
            let c = parse(&format!("custom_domain = \"{v}\"")).unwrap();
            assert_eq!(c.custom_domain.as_deref(), Some(v));
        }
        for bad in ["custom_domain = true", "custom_domain = \"yes\""] {
            let p = parse_located(&format!("username = \"a@b.c\"\n{bad}\n")).unwrap_err();
            assert!(p.message.contains("\"login\" or \"site\""), "{}", p.message);
            assert_eq!(p.at, Some(19), "{bad}");
        }
        let p = parse("custom_domian = \"login\"").unwrap_err();
        assert!(p.contains("did you mean `custom_domain`"), "{p}");
    }

    #[test]
    fn refuses_a_plain_text_secret_without_echoing_it() {
        let err = parse("consumer_secret = \"ABCDEF0123\"").unwrap_err();
        assert!(err.contains("consumer_secret_env"), "{err}");
        assert!(!err.contains("ABCDEF0123"), "{err}");
    }

    #[test]
    fn org_id_must_be_an_org_id_and_says_where() {
        assert_eq!(
            parse("org_id = \"00D5g000004XyZ1\"")
                .unwrap()
                .org_id
                .as_deref(),
            Some("00D5g000004XyZ1")
        );
        for (bad, said) in [
            ("org_id = \"0055g00000ABcDeAAF\"", "start with 00D"),
            ("org_id = \"acme\"", "15 or 18"),
            ("org_id = 42", "takes the org id as a string"),
        ] {
            let p = parse_located(&format!("username = \"a@b.c\"\n{bad}")).unwrap_err();
            assert!(p.message.contains(said), "{bad}: {}", p.message);
            assert_eq!(p.at, Some(19), "{bad}");
        }
    }

    #[test]
    fn names_an_unknown_setting_and_lists_the_known_ones() {
        let err = parse("loginurl = \"x\"").unwrap_err();
        assert!(err.contains("loginurl"), "{err}");
        assert!(err.contains("login_url"), "{err}");
    }

    #[test]
    fn the_known_settings_are_the_declared_inputs_and_each_reads() {
        assert_eq!(
            known_settings(),
            "consumer_key, consumer_key_env, username, username_env, login_url, login_url_env, \
             custom_domain, audience, audience_env, key, key_env, key_alias, cert, cert_env, \
             next_cert, consumer_secret_env, key_passphrase_env, key_password_env, org_id, \
             app_metadata and app, and the table [checks] (allow, warn and deny: check ids or prefixes)"
        );
        let c = parse("[checks]\nallow = [\"key.file-permissions\"]\ndeny = [\"cert\"]\n").unwrap();
        let policy = c.checks.unwrap();
        assert_eq!(
            (policy.allow, policy.deny),
            (
                vec!["key.file-permissions".to_string()],
                vec!["cert".to_string()]
            )
        );
        assert!(
            parse("[checks]\nalow = [\"key\"]\n")
                .unwrap_err()
                .contains("unknown field `alow`")
        );
        for key in toml_settings() {
            // A declaration takes one of its names, org_id an org id; every other setting any
            // string.
            let value = match key {
                "custom_domain" => "login",
                "org_id" => "00D5g000004XyZ1EAK",
                _ => "X",
            };
            assert!(parse(&format!("{key} = \"{value}\"\n")).is_ok(), "{key}");
        }
    }

    #[test]
    fn every_input_can_be_named_by_its_variable() {
        let c = parse("username_env = \"ACME_USERNAME\"\nkey_env = \"ACME_KEY\"\n").unwrap();
        assert_eq!(
            c.variable(&super::super::inputs::USERNAME),
            Some("ACME_USERNAME")
        );
        assert_eq!(c.variable(&PRIVATE_KEY), Some("ACME_KEY"));
        assert_eq!(c.variable(&CERT), None);
        for spec in INPUTS.iter().filter(|s| s.toml_env.is_some()) {
            let setting = spec.toml_env.unwrap();
            assert!(parse(&format!("{setting} = \"V\"")).is_ok(), "{setting}");
        }
    }

    #[test]
    fn a_variable_setting_beside_its_value_or_not_a_name_is_refused_without_the_value() {
        let p = parse_located("username = \"a@b.c\"\nusername_env = \"ACME_USER\"\n").unwrap_err();
        assert!(
            p.message
                .contains("`username` and `username_env` both give"),
            "{}",
            p.message
        );
        assert_eq!(p.at, Some(19));
        let err = parse("key = \"k.pem\"\nkey_env = \"ACME_KEY\"").unwrap_err();
        assert!(err.contains("`key` and `key_env`"), "{err}");
        let err = parse("username_env = 3").unwrap_err();
        assert!(err.contains("`username_env` is a integer"), "{err}");
        for value in [
            "integration@acme.com",
            "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8",
        ] {
            let err = parse(&format!("consumer_key_env = \"{value}\"")).unwrap_err();
            assert!(
                err.contains("must be the name of an environment variable"),
                "{err}"
            );
            assert!(!err.contains(value), "{err}");
        }
        let pem = include_str!("../../fixtures/valid/server.key");
        let err = parse(&format!("key_env = '''{pem}'''")).unwrap_err();
        assert!(!err.contains("MII"), "{err}");
    }

    #[test]
    fn reports_bad_toml_with_its_reason() {
        let err = parse("consumer_key = ").unwrap_err();
        assert!(err.starts_with("it is not valid TOML"), "{err}");
    }

    #[test]
    fn a_key_written_where_its_path_goes_is_refused_without_repeating_it() {
        let pem = include_str!("../../fixtures/valid/server.key");
        for text in [
            format!("key = \"\"\"{pem}\"\"\"\n"),
            format!("cert = '''{pem}'''\n"),
            format!("key = \"{}\"\n", pem.replace('\n', "\\n")),
        ] {
            let err = parse(&text).unwrap_err();
            assert!(err.contains("a PEM private key"), "{err}");
            assert!(err.contains("not a path"), "{err}");
            assert!(!err.contains("MII"), "{err}");
        }
    }

    #[test]
    fn parser_errors_do_not_quote_secrets() {
        let secret = "C0FFEE00".repeat(8);
        let err = parse(&format!("\"{secret}\" = \"x\"\n")).unwrap_err();
        assert!(!err.contains(&secret[..16]), "{err}");
        assert!(err.contains("consumer secret's shape"), "{err}");
    }

    #[test]
    fn a_missing_file_is_no_config() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(&dir.path().join("sfjwt.toml")), Ok(None));
    }

    #[test]
    fn a_secret_written_where_a_variable_name_goes_is_refused_without_repeating_it() {
        for (setting, value) in [
            (
                "consumer_secret_env",
                "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
            ),
            (
                "consumer_secret_env",
                "ABCDEF081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"[1..].as_ref(),
            ),
            ("consumer_secret_env", "1234567890123456789"),
            ("key_passphrase_env", "correct horse battery staple"),
            ("key_passphrase_env", "p@ssw0rd!"),
        ] {
            let err = parse(&format!("{setting} = \"{value}\"\n")).unwrap_err();
            assert!(err.contains(setting), "{err}");
            assert!(!err.contains(value), "the value is repeated: {err}");
        }
        let ok =
            parse("consumer_secret_env = \"ACME_SF_SECRET\"\nkey_passphrase_env = \"_PASS2\"\n");
        assert!(ok.is_ok(), "{ok:?}");
    }
}
