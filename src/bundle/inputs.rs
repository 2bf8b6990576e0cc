//! Every input sfjwt takes, declared once. The clap flags take their environment variables from
//! here, the merge of flags, environment and `sfjwt.toml` names its origins from here, skip
//! messages say how to give an input from here, and the tests clear the environment from here.

/// One input: what it is called and every place it can be given.
#[derive(Debug, PartialEq, Eq)]
pub struct InputSpec {
    /// What the input is, in a sentence ("the username").
    pub noun: &'static str,
    /// The command-line flag that gives it (for a secret: the flag of a file holding it).
    pub flag: &'static str,
    /// The environment variable that gives it.
    pub env: Option<&'static str>,
    /// Its key in `sfjwt.toml` (for a secret: the key naming the variable that holds it).
    pub toml: Option<&'static str>,
    /// Its key in `sfjwt.toml` naming the environment variable that holds it (`username_env`),
    /// so each bundle of a fleet can take its own value from a CI secret. Secrets' `toml` already
    /// is such a key; the private key has both (`key` a file, `key_env` a variable).
    pub toml_env: Option<&'static str>,
    /// The file a bundle directory holds it in, when it has one.
    pub bundle_file: Option<&'static str>,
    /// A secret: never printed, never taken as a flag's value.
    pub secret: bool,
    /// What it is called where it is redacted: `[redacted: consumer secret]`.
    pub label: &'static str,
}

impl InputSpec {
    /// The ways to give it, for a skip message: "pass --username, set $SFJWT_USERNAME, or put
    /// username in sfjwt.toml".
    pub fn how_to_give(&self) -> String {
        let mut ways = Vec::new();
        if self.secret {
            if let Some(env) = self.env {
                ways.push(format!("set ${env}"));
            }
            ways.push(format!("pass {} PATH", self.flag));
            if let Some(toml) = self.toml_env.or(self.toml) {
                ways.push(format!(
                    "name the variable that holds it with {toml} in sfjwt.toml"
                ));
            }
        } else {
            ways.push(format!("pass {}", self.flag));
            if let Some(env) = self.env {
                ways.push(format!("set ${env}"));
            }
            match (self.toml, self.toml_env) {
                (Some(toml), Some(var)) => ways.push(format!("put {toml} or {var} in sfjwt.toml")),
                (Some(toml), None) => ways.push(format!("put {toml} in sfjwt.toml")),
                _ => {}
            }
            if let Some(file) = self.bundle_file {
                ways.push(format!("keep it as {file} in the bundle directory"));
            }
        }
        match ways.len() {
            0 => String::new(),
            1 => ways.remove(0),
            n => {
                let last = ways.remove(n - 1);
                format!("{}, or {last}", ways.join(", "))
            }
        }
    }
}

pub const CONSUMER_KEY: InputSpec = InputSpec {
    noun: "the consumer key",
    flag: "--consumer-key",
    env: Some("SFJWT_CONSUMER_KEY"),
    toml: Some("consumer_key"),
    toml_env: Some("consumer_key_env"),
    bundle_file: None,
    secret: false,
    label: "consumer key",
};

pub const USERNAME: InputSpec = InputSpec {
    noun: "the username",
    flag: "--username",
    env: Some("SFJWT_USERNAME"),
    toml: Some("username"),
    toml_env: Some("username_env"),
    bundle_file: None,
    secret: false,
    label: "username",
};

pub const LOGIN_URL: InputSpec = InputSpec {
    noun: "the login URL",
    flag: "--login-url",
    env: Some("SFJWT_LOGIN_URL"),
    toml: Some("login_url"),
    toml_env: Some("login_url_env"),
    bundle_file: None,
    secret: false,
    label: "login URL",
};

pub const CUSTOM_DOMAIN: InputSpec = InputSpec {
    noun: "the custom domain declaration",
    flag: "--custom-domain",
    env: Some("SFJWT_CUSTOM_DOMAIN"),
    toml: Some("custom_domain"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "custom domain declaration",
};

pub const AUDIENCE: InputSpec = InputSpec {
    noun: "the audience",
    flag: "--audience",
    env: Some("SFJWT_AUDIENCE"),
    toml: Some("audience"),
    toml_env: Some("audience_env"),
    bundle_file: None,
    secret: false,
    label: "audience",
};

pub const PRIVATE_KEY: InputSpec = InputSpec {
    noun: "the private key",
    flag: "--key",
    env: Some("SFJWT_PRIVATE_KEY"),
    toml: Some("key"),
    toml_env: Some("key_env"),
    bundle_file: Some("server.key"),
    secret: true,
    label: "private key",
};

/// The private key entry of a keystore given as the key (PKCS#12, JKS) that holds several.
pub const KEY_ALIAS: InputSpec = InputSpec {
    noun: "the keystore entry's alias",
    flag: "--key-alias",
    env: Some("SFJWT_KEY_ALIAS"),
    toml: Some("key_alias"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "key alias",
};

pub const CERT: InputSpec = InputSpec {
    noun: "the certificate",
    flag: "--cert",
    env: None,
    toml: Some("cert"),
    toml_env: Some("cert_env"),
    bundle_file: Some("server.crt"),
    secret: false,
    label: "certificate",
};

pub const CONSUMER_SECRET: InputSpec = InputSpec {
    noun: "the consumer secret",
    flag: "--consumer-secret-file",
    env: Some("SFJWT_CONSUMER_SECRET"),
    toml: Some("consumer_secret_env"),
    toml_env: None,
    bundle_file: None,
    secret: true,
    label: "consumer secret",
};

pub const KEY_PASSPHRASE: InputSpec = InputSpec {
    noun: "the key's passphrase",
    flag: "--key-passphrase-file",
    env: Some("SFJWT_KEY_PASSPHRASE"),
    toml: Some("key_passphrase_env"),
    toml_env: None,
    bundle_file: None,
    secret: true,
    label: "key passphrase",
};

/// A keystore entry key's own password, where it is not the store's (a JKS made with
/// `keytool -keypass`); the store password is the passphrase.
pub const KEY_PASSWORD: InputSpec = InputSpec {
    noun: "the keystore entry's key password",
    flag: "--key-password-file",
    env: Some("SFJWT_KEY_PASSWORD"),
    toml: Some("key_password_env"),
    toml_env: None,
    bundle_file: None,
    secret: true,
    label: "key password",
};

/// The org the token must be for, with `--live` (token.usable): after a sandbox refresh or a
/// copied consumer key, the login can work and reach another org.
pub const EXPECT_ORG: InputSpec = InputSpec {
    noun: "the expected org id",
    flag: "--expect-org",
    env: Some("SFJWT_EXPECT_ORG"),
    toml: Some("org_id"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "expected org id",
};

/// The retrieved metadata of the External Client App or Connected App (the `app.*` checks): a
/// project directory, a metadata-format retrieve, or one file. In `sfjwt.toml`, relative to the
/// bundle directory.
pub const APP_METADATA: InputSpec = InputSpec {
    noun: "the app metadata",
    flag: "--app-metadata",
    env: Some("SFJWT_APP_METADATA"),
    toml: Some("app_metadata"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "app metadata",
};

/// Which app of the metadata is the bundle's, when it holds several and the consumer key does
/// not tell.
pub const APP: InputSpec = InputSpec {
    noun: "the app's name",
    flag: "--app",
    env: Some("SFJWT_APP"),
    toml: Some("app"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "app name",
};

/// `--next-cert`: the candidate certificate of a rotation (cert.rotation).
pub const NEXT_CERT: InputSpec = InputSpec {
    noun: "the next certificate",
    flag: "--next-cert",
    env: None,
    toml: Some("next_cert"),
    toml_env: None,
    bundle_file: None,
    secret: false,
    label: "next certificate",
};

/// Every input, in the order the help lists them.
pub const INPUTS: &[&InputSpec] = &[
    &CONSUMER_KEY,
    &USERNAME,
    &LOGIN_URL,
    &CUSTOM_DOMAIN,
    &AUDIENCE,
    &PRIVATE_KEY,
    &KEY_ALIAS,
    &CERT,
    &NEXT_CERT,
    &CONSUMER_SECRET,
    &KEY_PASSPHRASE,
    &KEY_PASSWORD,
    &EXPECT_ORG,
    &APP_METADATA,
    &APP,
];

/// Every `sfjwt.toml` setting the inputs declare: each input's own key, and the key naming the
/// variable that holds it.
pub fn toml_settings() -> impl Iterator<Item = &'static str> {
    INPUTS
        .iter()
        .flat_map(|s| s.toml.into_iter().chain(s.toml_env))
}

/// The secrets given as text in an environment variable (the private key's variable holds key
/// material, which is known by other means): the variable and the secret's label.
pub fn secret_env_vars() -> impl Iterator<Item = (&'static str, &'static str)> {
    INPUTS
        .iter()
        .filter(|s| s.secret && **s != &PRIVATE_KEY)
        .filter_map(|s| Some((s.env?, s.label)))
}

/// The flags that name a file holding a secret, with the secret's label.
pub fn secret_file_flags() -> impl Iterator<Item = (&'static str, &'static str)> {
    INPUTS
        .iter()
        .filter(|s| s.secret && s.flag.ends_with("-file"))
        .map(|s| (s.flag, s.label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_named_once() {
        let mut seen = std::collections::HashSet::new();
        for spec in INPUTS {
            assert!(seen.insert(spec.flag), "{} twice", spec.flag);
            if let Some(env) = spec.env {
                assert!(seen.insert(env), "{env} twice");
                assert!(env.starts_with("SFJWT_"), "{env}");
            }
            assert!(spec.flag.starts_with("--"), "{}", spec.flag);
            assert!(spec.noun.starts_with("the "), "{}", spec.noun);
            if let (Some(toml), Some(var)) = (spec.toml, spec.toml_env) {
                assert_eq!(var, format!("{toml}_env"), "{var}");
            }
        }
    }

    #[test]
    fn how_to_give_lists_every_way() {
        assert_eq!(
            USERNAME.how_to_give(),
            "pass --username, set $SFJWT_USERNAME, or put username or username_env in sfjwt.toml"
        );
        assert_eq!(
            CONSUMER_SECRET.how_to_give(),
            "set $SFJWT_CONSUMER_SECRET, pass --consumer-secret-file PATH, or name the variable \
             that holds it with consumer_secret_env in sfjwt.toml"
        );
        assert_eq!(
            PRIVATE_KEY.how_to_give(),
            "set $SFJWT_PRIVATE_KEY, pass --key PATH, or name the variable that holds it with \
             key_env in sfjwt.toml"
        );
        let vars: Vec<_> = secret_env_vars().collect();
        assert_eq!(
            vars,
            [
                ("SFJWT_CONSUMER_SECRET", "consumer secret"),
                ("SFJWT_KEY_PASSPHRASE", "key passphrase"),
                ("SFJWT_KEY_PASSWORD", "key password")
            ]
        );
        let files: Vec<_> = secret_file_flags().collect();
        assert_eq!(
            files,
            [
                ("--consumer-secret-file", "consumer secret"),
                ("--key-passphrase-file", "key passphrase"),
                ("--key-password-file", "key password")
            ]
        );
    }
}
