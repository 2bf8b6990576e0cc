//! key.parse and cert.parse when there is no key or no certificate. The two are not optional:
//! a run never passes without looking at them. Missing from a bundle directory, the parse check
//! fails and names what the directory holds instead, with the setting that would use it; given
//! nowhere (flags and the environment only), it warns and says which checks did not run.

use serde_json::{Value, json};

use super::Check;
use super::files::shown;
use crate::bundle::inputs::{self, InputSpec};
use crate::bundle::key::{CMD_CERT, CMD_CSR, CMD_GENKEY, UPLOAD_CERT};
use crate::bundle::survey::{Candidate, Kind, MAX_NAMED, NotInBundle};
use crate::finding::Outcome;

/// Which of the two inputs is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Key,
    Cert,
}

impl Input {
    /// Its declaration: its name, its setting in `sfjwt.toml`, its file in a bundle.
    fn spec(self) -> &'static InputSpec {
        match self {
            Input::Key => &inputs::PRIVATE_KEY,
            Input::Cert => &inputs::CERT,
        }
    }

    /// "private key".
    fn noun(self) -> &'static str {
        self.spec().noun.trim_start_matches("the ")
    }

    /// Its setting in `sfjwt.toml`: `key`, `cert`.
    fn setting(self) -> &'static str {
        self.spec().toml.unwrap_or_default()
    }

    /// Its file in a bundle directory: `server.key`, `server.crt`.
    fn default_file(self) -> &'static str {
        self.spec().bundle_file.unwrap_or_default()
    }

    fn wants(self, kind: Kind) -> bool {
        match self {
            Input::Key => kind.key_like(),
            Input::Cert => kind.cert_like(),
        }
    }
}

/// Given nowhere: a warning naming the checks that could not run without it.
pub fn not_given(reason: &str, input: Input, not_run: &[&Check]) -> Outcome {
    let ids: Vec<&str> = not_run.iter().map(|c| c.id).collect();
    let fix = match input {
        Input::Key => {
            "Give the private key made in setup step 1: `--key server.key` (or `--key -` to pipe it in), $SFJWT_PRIVATE_KEY holding its PEM text, or run sfjwt on the bundle directory that holds server.key."
        }
        Input::Cert => {
            "Give the certificate uploaded to the External Client App: `--cert server.crt`, or run sfjwt on the bundle directory that holds server.crt."
        }
    };
    Outcome::warn(
        format!("{reason}: {} did not run", crate::words::and_list(&ids)),
        fix,
    )
    .with("missing", input.setting())
    .with("not_run", Value::from(ids))
}

/// Missing from its bundle directory: a failure naming what the directory holds instead.
pub fn not_in_bundle(missing: &NotInBundle, input: Input) -> Outcome {
    let dir = shown(&missing.dir);
    let toml = missing
        .named_by
        .clone()
        .unwrap_or_else(|| missing.dir.join(crate::bundle::gather::CONFIG_FILE));
    let toml = shown(&toml);
    let file = missing.file.display().to_string();
    let what = match &missing.named_by {
        None => format!("there is no {file}"),
        Some(_) => format!(
            "{file}, which {} = in {toml} names, is not there",
            input.setting()
        ),
    };
    let like: Vec<&Candidate> = missing
        .candidates
        .iter()
        .filter(|c| input.wants(c.kind))
        .collect();
    let mut message = format!("no {} in {dir}: {what}", input.noun());
    if like.is_empty() {
        message.push_str(&format!(
            "; it holds no file that looks like a {}",
            input.noun()
        ));
    } else {
        let named: Vec<String> = like
            .iter()
            .take(MAX_NAMED)
            .map(|c| format!("{} ({})", c.name, c.kind.describe()))
            .collect();
        message.push_str(&format!(
            "; it holds {}{}",
            crate::words::and_list(&named),
            if like.len() > MAX_NAMED {
                format!(" and {} more", like.len() - MAX_NAMED)
            } else {
                String::new()
            }
        ));
    }
    let fix = fix(missing, input, &like, &toml);
    let candidates: Vec<Value> = like
        .iter()
        .map(|c| json!({"file": c.name, "kind": c.kind.code()}))
        .collect();
    Outcome::fail(message, fix)
        .with("missing", shown(&missing.dir.join(&missing.file)))
        .with("candidates", Value::from(candidates))
}

fn fix(missing: &NotInBundle, input: Input, like: &[&Candidate], toml: &str) -> String {
    let in_dir = |name: &str| shown(&missing.dir.join(name));
    let default = input.default_file();
    let setting = input.setting();
    let usable = like.iter().find(|c| !c.kind.keystore());
    // A PKCS#12 file needs one command; a JKS one, a conversion first.
    let keystore = like
        .iter()
        .find(|c| c.kind == Kind::Pkcs12)
        .or_else(|| like.iter().find(|c| c.kind.keystore()));
    match (usable, keystore) {
        (Some(c), _) => format!(
            "If {} is the {} made in setup step 1, name it in {toml}: `{setting} = \"{}\"`; or rename it: `mv {} {}`.",
            c.name,
            input.noun(),
            c.name,
            in_dir(&c.name),
            in_dir(default)
        ),
        // sfjwt reads a keystore as the key when it is named, and its entry's certificate then
        // serves as the certificate.
        (None, Some(c)) => match input {
            Input::Key => format!(
                "{} is a keystore, which sfjwt reads as the key when it is named: `key = \"{}\"` in {toml} (its password is the passphrase: $SFJWT_KEY_PASSPHRASE, or key_passphrase_env in {toml}; --key-alias or key_alias chooses the entry when it holds several). Its entry's certificate serves when there is no {}.",
                c.name,
                c.name,
                Input::Cert.default_file()
            ),
            Input::Cert => format!(
                "{} is a keystore: name it as the key, `key = \"{}\"` in {toml}, and its entry's certificate serves as the certificate; or take the certificate out: {}.",
                c.name,
                c.name,
                extract_cert(c.kind, &in_dir(&c.name), &in_dir(default))
            ),
        },
        (None, None) => match input {
            Input::Key => format!(
                "Put the private key made in setup step 1 at {default} (or name its file in {toml}: `key = \"FILE\"`; or give --key PATH or $SFJWT_PRIVATE_KEY). To make a new key and certificate: `{CMD_GENKEY}`, `{CMD_CSR}`, `{CMD_CERT}`, then {UPLOAD_CERT}."
            ),
            Input::Cert => format!(
                "Put the certificate uploaded to the External Client App at {default} (or name its file in {toml}: `cert = \"FILE\"`; or give --cert PATH). To make it from the key: `{CMD_CSR}`, then `{CMD_CERT}`, and {UPLOAD_CERT}."
            ),
        },
    }
}

/// The command that takes the certificate out of a PKCS#12 file (OpenSSL) or a JKS (keytool).
fn extract_cert(kind: Kind, store: &str, out: &str) -> String {
    if kind == Kind::Jks {
        format!(
            "`keytool -exportcert -rfc -keystore {store} -file {out}` (with -alias NAME when it holds several entries)"
        )
    } else {
        format!("`openssl pkcs12 -in {store} -clcerts -nokeys -out {out}`")
    }
}
