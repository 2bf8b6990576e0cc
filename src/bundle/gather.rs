//! Gathering one bundle's inputs: flags override the environment, which overrides the bundle
//! directory's `sfjwt.toml` and its default files (`server.key`, `server.crt`).

use std::fmt;
use std::path::{Path, PathBuf};

use super::app;
use super::cert::decode_certificates;
use super::config::{self, Config};
use super::inputs::{
    APP, APP_METADATA, AUDIENCE, CERT, CONSUMER_KEY, CONSUMER_SECRET, CUSTOM_DOMAIN, EXPECT_ORG,
    InputSpec, KEY_ALIAS, KEY_PASSPHRASE, KEY_PASSWORD, LOGIN_URL, PRIVATE_KEY, USERNAME,
};
use super::key::{Entry, KeyError, decode_private_key_with};
use super::source::{ReadError, read_file_capped};
use super::survey::NotInBundle;
use super::{Bundle, CertInput, Declared, KeyInput, Loaded, Origin, Secret, Setting};
use crate::redact::Redactor;

/// Where the private key comes from when it is given outside a bundle directory.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// `--key PATH`.
    Path(PathBuf),
    /// `--key -` or `$SFJWT_PRIVATE_KEY`: bytes already read (or why they could not be), with
    /// where they came from.
    Bytes {
        bytes: Result<Vec<u8>, ReadError>,
        origin: Origin,
    },
}

impl Drop for KeySource {
    /// Key bytes from standard input or `$SFJWT_PRIVATE_KEY` are wiped when the run is done.
    fn drop(&mut self) {
        if let KeySource::Bytes { bytes: Ok(b), .. } = self {
            zeroize::Zeroize::zeroize(b);
        }
    }
}

/// What flags and the environment give, shared by every bundle of a run.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    pub key: Option<KeySource>,
    pub cert: Option<PathBuf>,
    /// `--next-cert`: a candidate certificate to judge for rotation (cert.rotation).
    pub next_cert: Option<PathBuf>,
    pub consumer_key: Option<Setting>,
    pub username: Option<Setting>,
    pub login_url: Option<Setting>,
    pub custom_domain: Option<Declared>,
    pub audience: Option<Setting>,
    /// `--expect-org` or `$SFJWT_EXPECT_ORG`: the org the token must be for (token.usable).
    pub expect_org: Option<Setting>,
    pub consumer_secret: Option<Secret>,
    pub key_passphrase: Option<Secret>,
    /// A keystore entry key's own password (`--key-password-file`, `$SFJWT_KEY_PASSWORD`).
    pub key_password: Option<Secret>,
    /// `--key-alias` or `$SFJWT_KEY_ALIAS`: the entry of a keystore given as the key.
    pub key_alias: Option<Setting>,
    /// `--app-metadata` or `$SFJWT_APP_METADATA`: the retrieved app metadata (the app.* checks).
    pub app_metadata: Option<Setting>,
    /// `--app` or `$SFJWT_APP`: which app of that metadata is the bundle's.
    pub app: Option<Setting>,
}

impl Inputs {
    /// True when flags and the environment give nothing at all.
    pub fn is_empty(&self) -> bool {
        self.key.is_none()
            && self.cert.is_none()
            && self.consumer_key.is_none()
            && self.username.is_none()
            && self.login_url.is_none()
            && self.custom_domain.is_none()
            && self.audience.is_none()
            && self.consumer_secret.is_none()
    }
}

/// Reads environment variables named in `sfjwt.toml` (`consumer_secret_env`, ...).
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Asks for a passphrase at a terminal; `None` when there is no terminal or the user gave none.
pub type PassphrasePrompt<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A problem that stops the run (exit 2): a secret file given on the command line cannot be
/// read. A bundle itself never stops a run: what is wrong with it is its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatherError(pub String);

impl From<GatherError> for crate::exit::RunError {
    fn from(e: GatherError) -> Self {
        crate::exit::RunError(e.0)
    }
}

impl fmt::Display for GatherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Default file names in a bundle directory, as the inputs declare them.
pub const DEFAULT_KEY_FILE: &str = bundle_file(&PRIVATE_KEY);
/// What the setup guide's `openssl genpkey -aes-256-cbc` writes before decryption.
pub const ENCRYPTED_KEY_FILE: &str = "server.pass.key";
pub const DEFAULT_CERT_FILE: &str = bundle_file(&CERT);

/// The file a bundle directory holds an input in; an input without one does not compile here.
const fn bundle_file(spec: &InputSpec) -> &'static str {
    match spec.bundle_file {
        Some(file) => file,
        None => panic!("the input has no bundle file"),
    }
}

/// An input's key in `sfjwt.toml`, as the inputs declare it; one without does not compile here.
const fn toml_key(spec: &InputSpec) -> &'static str {
    match spec.toml {
        Some(key) => key,
        None => panic!("the input has no sfjwt.toml key"),
    }
}

/// A bundle directory's settings.
pub const CONFIG_FILE: &str = "sfjwt.toml";

/// Builds one bundle from a directory (or none) and the run's inputs.
pub fn gather(
    name: &str,
    dir: Option<&Path>,
    inputs: &Inputs,
    env: EnvLookup<'_>,
    prompt: Option<PassphrasePrompt<'_>>,
) -> Bundle {
    let config_path = dir.unwrap_or(Path::new(".")).join(CONFIG_FILE);
    let (config, read) = match dir.map(|_| config::load(&config_path)) {
        Some(Ok(Some(config))) => (config, Some(Ok(config_path.clone()))),
        None | Some(Ok(None)) => (Config::default(), None),
        // The bundle's settings are unknown: config.parse says why, its other checks skip.
        Some(Err(e)) => {
            let mut bundle = Bundle::empty(name);
            bundle.dir = dir.map(Path::to_path_buf);
            bundle.config = Some(Err(e));
            know_given_secrets(&mut bundle, inputs);
            return bundle;
        }
    };
    let own = Own {
        config: &config,
        path: &config_path,
        env,
    };
    let mut bundle = Bundle::empty(name);
    bundle.dir = dir.map(Path::to_path_buf);
    bundle.config = read;
    bundle.config_lines = config.lines.clone();
    bundle.check_policy = config.checks.clone().map(|c| (config_path.clone(), c));
    bundle.unset = own.unset_variables();
    let mut merge = |given: &Option<Setting>, value: &Option<String>, spec: &InputSpec| {
        merged(given, own.setting(value, spec), &mut bundle.overridden)
    };
    let consumer_key = merge(&inputs.consumer_key, &config.consumer_key, &CONSUMER_KEY);
    let username = merge(&inputs.username, &config.username, &USERNAME);
    let login_url = merge(&inputs.login_url, &config.login_url, &LOGIN_URL);
    let audience = merge(&inputs.audience, &config.audience, &AUDIENCE);
    let key_alias = merge(&inputs.key_alias, &config.key_alias, &KEY_ALIAS);
    bundle.expect_org = merge(&inputs.expect_org, &config.org_id, &EXPECT_ORG);
    (bundle.consumer_key, bundle.username) = (consumer_key, username);
    (bundle.login_url, bundle.audience) = (login_url, audience);
    bundle.custom_domain = inputs.custom_domain.clone().or_else(|| {
        let setting = own.setting(&config.custom_domain, &CUSTOM_DOMAIN)?;
        // config::parse_located accepted only the declarations' names.
        let kind = setting.value.parse().ok()?;
        Some(Declared {
            kind,
            origin: setting.origin,
        })
    });
    let app_name = merge(&inputs.app, &config.app, &APP);
    load_consumer_secret(&mut bundle, inputs, &config, env);
    load_app(&mut bundle, dir, &own, inputs, app_name.as_ref());

    let passphrase = inputs
        .key_passphrase
        .clone()
        .or_else(|| named_env_secret(config.key_passphrase_env.as_deref(), env));
    if let Some(p) = &passphrase {
        bundle.secrets.add(p.expose(), KEY_PASSPHRASE.label);
    }
    let key_password = inputs
        .key_password
        .clone()
        .or_else(|| named_env_secret(config.key_password_env.as_deref(), env));
    if let Some(p) = &key_password {
        bundle.secrets.add(p.expose(), KEY_PASSWORD.label);
    }
    let unlock = Unlock {
        passphrase,
        alias: key_alias.as_ref().map(|a| a.value.as_str()),
        key_password,
    };
    bundle.key = load_key(dir, &own, inputs, unlock, prompt, &mut bundle.secrets);
    if let (Loaded::Invalid(e), Some(var)) =
        (&bundle.key.state, config.key_passphrase_env.as_deref())
        && e.needs_passphrase()
    {
        bundle.key.passphrase_hint = Some(unset_variable_hint(var, &KEY_PASSPHRASE));
    }
    note_key_override(&mut bundle, dir, &own);
    bundle.cert = load_cert(dir, &own, inputs);
    keystore_cert(&mut bundle, inputs.cert.is_some() || config.cert.is_some());
    bundle.next_cert = next_cert_path(inputs, &config, dir)
        .as_deref()
        .map(load_next_cert);
    guard_settings(&mut bundle);
    // Validated once, here: every check reads the typed value.
    let _ = bundle.login_url_parsed();
    bundle
}

/// The consumer secret as given (its flag's file, `$SFJWT_CONSUMER_SECRET`, or the variable
/// sfjwt.toml names), known to the bundle's redactor.
fn load_consumer_secret(bundle: &mut Bundle, inputs: &Inputs, config: &Config, env: EnvLookup<'_>) {
    bundle.consumer_secret = inputs
        .consumer_secret
        .clone()
        .or_else(|| named_env_secret(config.consumer_secret_env.as_deref(), env));
    if let Some(s) = &bundle.consumer_secret {
        bundle.secrets.add(s.expose(), CONSUMER_SECRET.label);
    }
}

/// The app metadata of the bundle (the flag's or the environment's path, else `app_metadata` in
/// sfjwt.toml, relative to the bundle directory), read and chosen from; its consumer secret
/// serves introspection when no other was given.
fn load_app(
    bundle: &mut Bundle,
    dir: Option<&Path>,
    own: &Own<'_>,
    inputs: &Inputs,
    name: Option<&Setting>,
) {
    let given = inputs.app_metadata.clone().or_else(|| {
        let relative = own.config.app_metadata.as_ref()?;
        let path = dir.map_or_else(|| relative.clone(), |d| d.join(relative));
        let origin = Origin::Config {
            path: own.path.to_path_buf(),
            setting: toml_key(&APP_METADATA),
        };
        Some(Setting::new(path.to_string_lossy(), origin))
    });
    let Some(given) = given else {
        return;
    };
    let path = PathBuf::from(&given.value);
    let input = app::load(
        &given,
        path,
        name,
        bundle.consumer_key.as_ref(),
        &mut bundle.secrets,
    );
    if bundle.consumer_secret.is_none()
        && let Some(chosen) = input.chosen()
        && let (Some(secret), Some(file)) = (&chosen.app.consumer_secret, &chosen.app.secret_file)
    {
        let origin = Origin::AppMetadata {
            field: "consumerSecret",
            file: file.clone(),
        };
        bundle.consumer_secret = Some(Secret::new(secret.expose(), origin));
    }
    bundle.app = Some(input);
}

/// A bundle's own values: what its `sfjwt.toml` says, and the variables it names.
struct Own<'a> {
    config: &'a Config,
    path: &'a Path,
    env: EnvLookup<'a>,
}

impl Own<'_> {
    /// Where the value of the variable the bundle names for `spec` comes from.
    fn named(&self, spec: &InputSpec) -> Option<(String, Origin)> {
        let var = self.config.variable(spec)?;
        let origin = Origin::Named {
            var: var.to_string(),
            setting: spec.toml_env?,
            path: self.path.to_path_buf(),
        };
        Some((var.to_string(), origin))
    }

    /// A plain input's own value: written in `sfjwt.toml`, else in the variable it names.
    fn setting(&self, value: &Option<String>, spec: &InputSpec) -> Option<Setting> {
        if let Some(v) = value {
            let setting = toml_key(spec);
            let origin = Origin::Config {
                path: self.path.to_path_buf(),
                setting,
            };
            return Some(Setting::new(v.clone(), origin));
        }
        let (var, origin) = self.named(spec)?;
        (self.env)(&var).map(|v| Setting::new(v, origin))
    }

    /// Key or certificate bytes from the variable the bundle names for them, capped as a file
    /// is; `None` when it names none.
    fn bytes(&self, spec: &InputSpec) -> Option<(Result<Vec<u8>, ReadError>, Origin)> {
        let (var, origin) = self.named(spec)?;
        let bytes = match (self.env)(&var) {
            None => Err(ReadError::Unset(unset_variable_hint(&var, spec))),
            Some(mut v) if v.len() as u64 > super::source::MAX_INPUT_BYTES => {
                zeroize::Zeroize::zeroize(&mut v);
                Err(ReadError::TooLarge {
                    limit: super::source::MAX_INPUT_BYTES,
                })
            }
            Some(v) => Ok(v.into_bytes()),
        };
        Some((bytes, origin))
    }

    /// The variables the bundle names that are not set: what a check needing the input says
    /// when it is missing, instead of "not given" (a flag or `SFJWT_*` that gives the input
    /// anyway leaves nothing missing, and the sentence unsaid).
    fn unset_variables(&self) -> Vec<(&'static InputSpec, String)> {
        let mut unset = Vec::new();
        for spec in super::inputs::INPUTS {
            let var = match (self.config.variable(spec), spec.toml_env) {
                (Some(var), _) => var,
                (None, None) if spec == &&CONSUMER_SECRET => {
                    match self.config.consumer_secret_env.as_deref() {
                        Some(var) => var,
                        None => continue,
                    }
                }
                _ => continue,
            };
            if (self.env)(var).is_none() {
                unset.push((*spec, unset_variable_hint(var, spec)));
            }
        }
        unset
    }
}

/// A setting as flags and the environment give it, else as the bundle's `sfjwt.toml` does. An
/// environment variable that replaces the bundle's own value says so in its origin, and is
/// counted: a stale variable silently replacing every bundle's value is a classic way to turn a
/// failure into a pass.
fn merged(
    given: &Option<Setting>,
    own: Option<Setting>,
    overridden: &mut Vec<&'static str>,
) -> Option<Setting> {
    let Some(given) = given else { return own };
    match (&given.origin, own) {
        (Origin::Env(var), Some(own)) => {
            overridden.extend(env_name(var));
            Some(Setting::new(
                given.value.clone(),
                Origin::Overriding {
                    var: var.clone(),
                    replaced: own.origin.to_string(),
                },
            ))
        }
        _ => Some(given.clone()),
    }
}

/// `$SFJWT_PRIVATE_KEY` given while the bundle directory holds its own key file: the key's
/// origin says it replaced that file, and the variable is counted.
fn note_key_override(bundle: &mut Bundle, dir: Option<&Path>, own: &Own<'_>) {
    let Some(Origin::Env(var)) = &bundle.key.origin else {
        return;
    };
    let replaced = match own.named(&PRIVATE_KEY) {
        Some((_, named)) => Some(named.to_string()),
        None => bundle_key_file(dir, own.config).map(|f| f.display().to_string()),
    };
    if let Some(replaced) = replaced {
        bundle.overridden.extend(env_name(var));
        bundle.key.origin = Some(Origin::Overriding {
            var: var.clone(),
            replaced,
        });
    }
}

/// The declared name of an input's environment variable.
fn env_name(var: &str) -> Option<&'static str> {
    super::inputs::INPUTS
        .iter()
        .find_map(|spec| spec.env.filter(|e| *e == var))
}

/// The secrets given by flag or environment, known to the bundle's redactor although its
/// sfjwt.toml did not read: its report (the bundle's name, the config.parse finding) must not
/// show them either.
fn know_given_secrets(bundle: &mut Bundle, inputs: &Inputs) {
    if let Some(s) = &inputs.consumer_secret {
        bundle.secrets.add(s.expose(), CONSUMER_SECRET.label);
    }
    if let Some(p) = &inputs.key_passphrase {
        bundle.secrets.add(p.expose(), KEY_PASSPHRASE.label);
    }
    if let Some(p) = &inputs.key_password {
        bundle.secrets.add(p.expose(), KEY_PASSWORD.label);
    }
    if let Some(KeySource::Bytes {
        bytes: Ok(bytes), ..
    }) = &inputs.key
    {
        crate::lookalike::add_key_material(&mut bundle.secrets, bytes);
    }
}

/// Why no value came from the variable that `sfjwt.toml` names for an input. For a secret, the
/// name is shown only when it looks like one (upper case, digits and `_`, as variables are
/// written): a mixed-case "name" may be the secret itself, written where its variable's name goes.
fn unset_variable_hint(var: &str, spec: &InputSpec) -> String {
    let conventional = var
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let noun = spec.noun;
    let setting = spec.toml_env.or(spec.toml).unwrap_or_default();
    if conventional || !spec.secret {
        format!("sfjwt.toml names ${var} for {noun}, but it is not set")
    } else {
        format!(
            "the variable that {setting} in sfjwt.toml names is not set (its name, {} \
             characters, is not shown: variable names are upper case, so it may be \
             {noun} itself; write the variable's name there, e.g. {})",
            var.chars().count(),
            spec.env.unwrap_or_default()
        )
    }
}

/// Values that are no secret by their role but look like one (a PEM key given as the username),
/// or that hold a secret of this bundle (the consumer secret inside the login URL), are known
/// to the bundle's redactor whole: they are described in the report, never shown, not even
/// cut short.
fn guard_settings(bundle: &mut Bundle) {
    let settings = [
        (&bundle.consumer_key, CONSUMER_KEY.label),
        (&bundle.username, USERNAME.label),
        (&bundle.login_url, LOGIN_URL.label),
        (&bundle.audience, AUDIENCE.label),
    ];
    for (setting, noun) in settings {
        let Some(value) = setting.as_ref().map(|s| s.value.as_str()) else {
            continue;
        };
        let what = match crate::lookalike::secret_shape(value) {
            Some(shape) => format!("{} given as the {noun}", shape.what),
            None => match bundle.secrets.found_in(value) {
                Some(secret) => format!("the {noun}, which holds the {secret}"),
                None => continue,
            },
        };
        bundle.secrets.add(value, &what);
    }
}

fn named_env_secret(var: Option<&str>, env: EnvLookup<'_>) -> Option<Secret> {
    let var = var?;
    env(var).map(|v| Secret::new(v, Origin::Env(var.to_string())))
}

/// In a bundle directory, a key or certificate file that is not there: the default file absent,
/// or the file its setting names absent. `None` outside a directory, and when the file exists
/// (reading it may still fail: that is the parse check's finding).
fn not_in_bundle(
    dir: Option<&Path>,
    named: Option<&Path>,
    path: Option<&Path>,
    default: &str,
    config_path: &Path,
) -> Option<NotInBundle> {
    let dir = dir?;
    match path {
        Some(p) if std::fs::symlink_metadata(p).is_ok() => None,
        _ => Some(NotInBundle::survey(
            dir,
            named.map_or_else(|| PathBuf::from(default), Path::to_path_buf),
            named.map(|_| config_path.to_path_buf()),
        )),
    }
}

/// The bundle's own key file: the one `key =` names, else `server.key` or the setup guide's
/// encrypted `server.pass.key` when the directory holds one.
fn bundle_key_file(dir: Option<&Path>, config: &Config) -> Option<PathBuf> {
    match (&config.key, dir) {
        (Some(p), Some(d)) => Some(d.join(p)),
        (Some(p), None) => Some(p.clone()),
        (None, _) => present(dir, DEFAULT_KEY_FILE).or_else(|| present(dir, ENCRYPTED_KEY_FILE)),
    }
}

/// Finds a default file in the bundle directory, if anything by that name is there.
fn present(dir: Option<&Path>, file: &str) -> Option<PathBuf> {
    let path = dir?.join(file);
    std::fs::symlink_metadata(&path).ok().map(|_| path)
}

// One step per way the key can be given; split, it would only pass the same values around.
#[allow(clippy::too_many_arguments)]
fn load_key(
    dir: Option<&Path>,
    own: &Own<'_>,
    inputs: &Inputs,
    unlock: Unlock<'_>,
    prompt: Option<PassphrasePrompt<'_>>,
    secrets: &mut Redactor,
) -> KeyInput {
    let (bytes, origin) = match &inputs.key {
        Some(KeySource::Bytes { bytes, origin }) => (bytes.clone(), origin.clone()),
        Some(KeySource::Path(path)) => (read_file_capped(path), Origin::File(path.clone())),
        None if own.config.key.is_none() && own.named(&PRIVATE_KEY).is_some() => own
            .bytes(&PRIVATE_KEY)
            .expect("the bundle names a variable"),
        None => {
            let (config, config_path) = (own.config, own.path);
            let path = bundle_key_file(dir, config);
            if let Some(missing) = not_in_bundle(
                dir,
                config.key.as_deref(),
                path.as_deref(),
                DEFAULT_KEY_FILE,
                config_path,
            ) {
                return KeyInput {
                    origin: path.map(Origin::File),
                    state: Loaded::NotInBundle(missing),
                    passphrase_hint: None,
                };
            }
            match path {
                Some(path) => (read_file_capped(&path), Origin::File(path)),
                None => {
                    return KeyInput {
                        origin: None,
                        state: Bundle::empty("").key.state,
                        passphrase_hint: None,
                    };
                }
            }
        }
    };
    let state = match bytes {
        Err(e) => Loaded::Unreadable(e),
        Ok(mut bytes) => {
            crate::lookalike::add_key_material(secrets, &bytes);
            let state = decode_key_with_passphrase(&bytes, &origin, unlock, prompt, secrets);
            // The key file's bytes: wiped once decoded (the decoded key wipes itself on drop).
            zeroize::Zeroize::zeroize(&mut bytes);
            state
        }
    };
    KeyInput {
        origin: Some(origin),
        state,
        passphrase_hint: None,
    }
}

/// What opens the key: the passphrase (a keystore's password too), the keystore entry to use,
/// and that entry key's own password when it has one.
struct Unlock<'a> {
    passphrase: Option<Secret>,
    alias: Option<&'a str>,
    key_password: Option<Secret>,
}

fn decode_key_with_passphrase(
    bytes: &[u8],
    origin: &Origin,
    unlock: Unlock<'_>,
    prompt: Option<PassphrasePrompt<'_>>,
    secrets: &mut Redactor,
) -> Loaded<super::key::PrivateKey, KeyError> {
    let Unlock {
        passphrase,
        alias,
        key_password,
    } = unlock;
    let entry = Entry {
        alias,
        key_password: key_password.as_ref().map(|p| p.expose().as_bytes()),
    };
    let pass = passphrase.as_ref().map(|p| p.expose().as_bytes());
    let first = decode_private_key_with(bytes, pass, entry);
    match first {
        Ok(k) => Loaded::Ok(k),
        Err(e) if e.needs_passphrase() && passphrase.is_none() => {
            let question = format!("Passphrase for {origin}: ");
            match prompt.and_then(|ask| ask(&crate::text::display_safe(&question))) {
                Some(typed) => {
                    let typed = zeroize::Zeroizing::new(typed);
                    secrets.add(&typed, KEY_PASSPHRASE.label);
                    match decode_private_key_with(bytes, Some(typed.as_bytes()), entry) {
                        Ok(k) => Loaded::Ok(k),
                        Err(e) => Loaded::Invalid(e),
                    }
                }
                None => Loaded::Invalid(e),
            }
        }
        Err(e) => Loaded::Invalid(e),
    }
}

/// No certificate given (no --cert, no `cert =`, no server.crt): a keystore key's entry
/// certificate serves, and its origin says it came from the entry.
fn keystore_cert(bundle: &mut Bundle, cert_named: bool) {
    if cert_named
        || !matches!(
            bundle.cert.state,
            Loaded::Missing(_) | Loaded::NotInBundle(_)
        )
    {
        return;
    }
    let (Loaded::Ok(key), Some(origin)) = (&bundle.key.state, &bundle.key.origin) else {
        return;
    };
    let Some(entry) = key.keystore.as_ref() else {
        return;
    };
    let Some(first) = entry.certs.first() else {
        return;
    };
    let file = match origin {
        Origin::File(path) => path.display().to_string(),
        other => other.to_string(),
    };
    bundle.cert = CertInput {
        origin: Some(Origin::Keystore {
            alias: entry.alias.clone(),
            file,
        }),
        state: match decode_certificates(first) {
            Ok(c) => Loaded::Ok(c),
            Err(e) => Loaded::Invalid(e),
        },
    };
}

fn load_cert(dir: Option<&Path>, own: &Own<'_>, inputs: &Inputs) -> CertInput {
    let (config, config_path) = (own.config, own.path);
    if inputs.cert.is_none()
        && config.cert.is_none()
        && let Some((bytes, origin)) = own.bytes(&CERT)
    {
        return CertInput {
            state: decoded_cert(bytes),
            origin: Some(origin),
        };
    }
    let path = match (&inputs.cert, &config.cert, dir) {
        (Some(p), _, _) => Some(p.clone()),
        (None, Some(p), Some(d)) => Some(d.join(p)),
        (None, Some(p), None) => Some(p.clone()),
        (None, None, _) => present(dir, DEFAULT_CERT_FILE),
    };
    if inputs.cert.is_none()
        && let Some(missing) = not_in_bundle(
            dir,
            config.cert.as_deref(),
            path.as_deref(),
            DEFAULT_CERT_FILE,
            config_path,
        )
    {
        return CertInput {
            origin: path.map(Origin::File),
            state: Loaded::NotInBundle(missing),
        };
    }
    let Some(path) = path else {
        return Bundle::empty("").cert;
    };
    CertInput {
        state: decoded_cert(read_file_capped(&path)),
        origin: Some(Origin::File(path)),
    }
}

/// The rotation candidate: the flag's, else the bundle's own `next_cert` (relative to its
/// directory).
fn next_cert_path(inputs: &Inputs, config: &Config, dir: Option<&Path>) -> Option<PathBuf> {
    inputs.next_cert.clone().or_else(|| {
        let relative = config.next_cert.as_ref()?;
        Some(dir.map_or_else(|| relative.clone(), |d| d.join(relative)))
    })
}

/// `--next-cert`: read once, with the same reader and caps as the certificate.
fn load_next_cert(path: &Path) -> CertInput {
    CertInput {
        state: decoded_cert(read_file_capped(path)),
        origin: Some(Origin::File(path.to_path_buf())),
    }
}

fn decoded_cert(
    bytes: Result<Vec<u8>, ReadError>,
) -> Loaded<super::cert::CertificateFile, super::cert::CertError> {
    match bytes {
        Err(e) => Loaded::Unreadable(e),
        Ok(bytes) => match decode_certificates(&bytes) {
            Ok(c) => Loaded::Ok(c),
            Err(e) => Loaded::Invalid(e),
        },
    }
}

/// A warning when a secret file can be read by its group or by others (Unix): whoever can read
/// it has the secret. `None` when it is owner-only, or on systems without Unix permissions.
pub fn loose_permissions_warning(path: &Path, flag: &str, what: &str) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            return None;
        }
        let who = match (mode & 0o070 != 0, mode & 0o007 != 0) {
            (true, true) => "its group and others",
            (true, false) => "its group",
            _ => "others",
        };
        Some(format!(
            "{flag} {} has mode {mode:04o}: {who} can read {what}; restrict it to its owner: `chmod 600 {}`",
            path.display(),
            path.display()
        ))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, flag, what);
        None
    }
}

/// Reads a secret from a file named by a flag: at most one trailing line break is dropped.
pub fn read_secret_file(path: &Path, flag: &'static str) -> Result<Secret, GatherError> {
    let bytes = read_file_capped(path).map_err(|e| {
        let mut message = format!("{flag} {}: {e}", path.display());
        if e == ReadError::NotARegularFile {
            // `<(pass show ...)` is a pipe. Its writer may never write, so sfjwt does not wait on
            // it; the variable does the same job without a file.
            let spec = if flag == KEY_PASSPHRASE.flag {
                &KEY_PASSPHRASE
            } else {
                &CONSUMER_SECRET
            };
            let var = spec.env.unwrap_or_default();
            message.push_str(&format!(
                ". Give a regular file, or set ${var} instead: for a password manager, \
                 {var}=\"$(pass show NAME)\" sfjwt check ..."
            ));
        }
        GatherError(message)
    })?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        zeroize::Zeroize::zeroize(&mut e.into_bytes());
        GatherError(format!(
            "{flag} {}: the file is not UTF-8 text",
            path.display()
        ))
    })?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    // From here on the text is a Secret, which wipes it on drop.
    let text = Secret::new(text, Origin::File(path.to_path_buf()));
    if text.expose().is_empty() {
        return Err(GatherError(format!(
            "{flag} {}: the file is empty",
            path.display()
        )));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn flags_override_the_environment_which_overrides_the_toml() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE,
            "username = \"toml@acme.com\"\nlogin_url = \"https://test.salesforce.com\"\nconsumer_key = \"3MVG9toml\"\n",
        );
        let inputs = Inputs {
            username: Some(Setting::new("flag@acme.com", Origin::Flag("--username"))),
            login_url: Some(Setting::new(
                "https://login.salesforce.com",
                Origin::Env("SFJWT_LOGIN_URL".into()),
            )),
            ..Inputs::default()
        };
        let b = gather("b", Some(dir.path()), &inputs, &no_env, None);
        // The variable replaced the bundle's own value: its origin says so, and it is counted.
        // A flag is what the user typed for this run: not counted.
        assert_eq!(b.overridden, ["SFJWT_LOGIN_URL"]);
        assert_eq!(b.username.unwrap().value, "flag@acme.com");
        let url = b.login_url.unwrap();
        assert_eq!(url.value, "https://login.salesforce.com");
        assert_eq!(
            url.origin,
            Origin::Overriding {
                var: "SFJWT_LOGIN_URL".into(),
                replaced: format!("login_url in {}", dir.path().join(CONFIG_FILE).display()),
            }
        );
        assert_eq!(
            url.origin.to_string(),
            format!(
                "$SFJWT_LOGIN_URL, which overrides login_url in {}",
                dir.path().join(CONFIG_FILE).display()
            )
        );
        assert!(b.custom_domain.is_none());
        let ck = b.consumer_key.unwrap();
        assert_eq!(ck.value, "3MVG9toml");
        assert_eq!(
            ck.origin,
            Origin::Config {
                path: dir.path().join(CONFIG_FILE),
                setting: "consumer_key"
            }
        );
    }

    #[test]
    fn the_custom_domain_declaration_comes_from_the_flag_or_the_toml() {
        use crate::salesforce::hosts::{CustomDomain, HostKind};
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE,
            "login_url = \"https://acme.com/customers\"\ncustom_domain = \"site\"\n",
        );
        let b = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        let d = b.custom_domain.as_ref().unwrap();
        assert_eq!(d.kind, CustomDomain::Site);
        assert_eq!(
            d.origin,
            Origin::Config {
                path: dir.path().join(CONFIG_FILE),
                setting: "custom_domain"
            }
        );
        let url = b.login_url_parsed().unwrap().as_ref().unwrap();
        assert_eq!(url.kind, HostKind::CustomDomainSite);
        assert_eq!(url.default_audience(), "https://acme.com/customers");

        let inputs = Inputs {
            custom_domain: Some(Declared {
                kind: CustomDomain::Login,
                origin: Origin::Flag("--custom-domain"),
            }),
            ..Inputs::default()
        };
        let b = gather("b", Some(dir.path()), &inputs, &no_env, None);
        let url = b.login_url_parsed().unwrap().as_ref().unwrap();
        assert_eq!(url.kind, HostKind::CustomDomain);
        assert_eq!(url.default_audience(), "https://acme.com");
    }

    #[test]
    fn secrets_come_from_the_variable_the_toml_names() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE,
            "consumer_secret_env = \"ACME_SECRET\"\n",
        );
        let env = |name: &str| (name == "ACME_SECRET").then(|| "S3CRET".to_string());
        let b = gather("b", Some(dir.path()), &Inputs::default(), &env, None);
        let secret = b.consumer_secret.unwrap();
        assert_eq!(secret.expose(), "S3CRET");
        assert!(!format!("{secret:?}").contains("S3CRET"));
    }

    #[test]
    fn a_named_variable_is_the_bundles_own_value_with_its_origin() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE,
            "username_env = \"ACME_USERNAME\"\nlogin_url_env = \"ACME_URL\"\nkey_env = \"ACME_KEY\"\n",
        );
        let pem = include_str!("../../fixtures/valid/server.key");
        let env = |name: &str| match name {
            "ACME_USERNAME" => Some("b@acme.com".to_string()),
            "ACME_URL" => Some("https://test.salesforce.com".to_string()),
            "ACME_KEY" => Some(pem.to_string()),
            _ => None,
        };
        let toml = dir.path().join(CONFIG_FILE);
        let inputs = Inputs {
            login_url: Some(Setting::new(
                "https://login.salesforce.com",
                Origin::Env("SFJWT_LOGIN_URL".into()),
            )),
            ..Inputs::default()
        };
        let b = gather("b", Some(dir.path()), &inputs, &env, None);
        let username = b.username.as_ref().unwrap();
        assert_eq!(username.value, "b@acme.com");
        assert_eq!(
            username.origin.to_string(),
            format!("$ACME_USERNAME (username_env in {})", toml.display())
        );
        // $SFJWT_LOGIN_URL replaced the bundle's own value, which its variable held.
        assert_eq!(b.overridden, ["SFJWT_LOGIN_URL"]);
        assert_eq!(
            b.login_url.as_ref().unwrap().origin.to_string(),
            format!(
                "$SFJWT_LOGIN_URL, which overrides $ACME_URL (login_url_env in {})",
                toml.display()
            )
        );
        // No server.key, yet the key is there: its variable holds it, and the redactor knows it.
        assert!(b.private_key().is_some(), "{:?}", b.key.state);
        let body: String = pem.lines().nth(5).unwrap().to_string();
        assert!(!b.secrets.scrub(&body).contains(&body[..20]));
        assert!(b.unset.is_empty());
    }

    #[test]
    fn a_named_variable_that_is_not_set_says_so() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE,
            "username_env = \"ACME_USERNAME\"\nkey_env = \"ACME_KEY\"\ncert_env = \"ACME_CERT\"\n",
        );
        let b = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        assert!(b.username.is_none());
        assert_eq!(
            b.unset_hint(&USERNAME),
            Some("sfjwt.toml names $ACME_USERNAME for the username, but it is not set")
        );
        let Loaded::Unreadable(ReadError::Unset(why)) = &b.key.state else {
            panic!("{:?}", b.key.state)
        };
        assert_eq!(
            why,
            "sfjwt.toml names $ACME_KEY for the private key, but it is not set"
        );
        assert!(matches!(
            b.cert.state,
            Loaded::Unreadable(ReadError::Unset(_))
        ));
    }

    #[test]
    fn files_missing_from_a_bundle_directory_are_not_in_the_bundle_with_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "private.pem", "-----BEGIN PRIVATE KEY-----\n");
        let b = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        let Loaded::NotInBundle(missing) = &b.key.state else {
            panic!("{:?}", b.key.state)
        };
        assert_eq!(missing.file, Path::new("server.key"));
        assert_eq!(missing.named_by, None);
        assert_eq!(missing.candidates[0].name, "private.pem");
        assert!(matches!(b.cert.state, Loaded::NotInBundle(_)));
        // Outside a bundle directory, nothing was looked for: the input was not given.
        let b = gather("b", None, &Inputs::default(), &no_env, None);
        assert!(matches!(b.key.state, Loaded::Missing(_)));
        assert!(matches!(b.cert.state, Loaded::Missing(_)));
        assert!(b.key.origin.is_none());
    }

    #[test]
    fn a_key_file_named_in_the_toml_but_absent_is_not_in_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE, "key = \"keys/nope.key\"\n");
        let b = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        let Loaded::NotInBundle(missing) = &b.key.state else {
            panic!("{:?}", b.key.state)
        };
        assert_eq!(missing.file, Path::new("keys/nope.key"));
        assert_eq!(
            missing.named_by.as_deref(),
            Some(dir.path().join(CONFIG_FILE).as_path())
        );
    }

    #[test]
    fn a_broken_toml_is_the_bundles_finding_with_its_path_line_and_column() {
        // Not a GatherError (that would stop a fleet): the bundle carries the error for
        // config.parse, and none of the file's settings.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE, "username = \n");
        let bundle = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        let Some(Err(e)) = &bundle.config else {
            panic!("the error is the bundle's: {:?}", bundle.config);
        };
        assert_eq!(e.path, dir.path().join(CONFIG_FILE));
        assert_eq!(e.line, Some(1), "{e}");
        assert!(e.column.is_some(), "{e}");
        assert!(bundle.username.is_none());
    }

    #[test]
    fn a_toml_that_reads_is_the_bundles_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE, "username = \"a@b.c\"\n");
        let bundle = gather("b", Some(dir.path()), &Inputs::default(), &no_env, None);
        assert_eq!(bundle.config, Some(Ok(dir.path().join(CONFIG_FILE))));
    }

    #[test]
    fn a_secret_file_loses_one_trailing_newline_only() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "secret", "ABC\r\n");
        let s = read_secret_file(&dir.path().join("secret"), "--consumer-secret-file").unwrap();
        assert_eq!(s.expose(), "ABC");
        write(dir.path(), "empty", "\n");
        assert!(read_secret_file(&dir.path().join("empty"), "--x").is_err());
    }
}
