//! What `sfjwt new` writes to sfjwt.toml and prints.

use super::{Paths, Settings};
use crate::bundle::cert::Certificate;
use crate::bundle::gather::{DEFAULT_CERT_FILE, DEFAULT_KEY_FILE};

/// The identity settings sfjwt.toml holds: (setting, value given, placeholder, what it is).
fn identity(settings: &Settings) -> [(&'static str, Option<&str>, &'static str, &'static str); 3] {
    [
        (
            "consumer_key",
            settings.consumer_key.as_deref(),
            "3MVG9...",
            "the External Client App's Consumer Key (setup step 3)",
        ),
        (
            "username",
            settings.username.as_deref(),
            "integration@example.com",
            "the Salesforce user the tokens act for (pre-authorized in step 4)",
        ),
        (
            "login_url",
            settings.login_url.as_deref(),
            "https://login.salesforce.com",
            "https://test.salesforce.com for a sandbox, or the org's My Domain",
        ),
    ]
}

/// sfjwt.toml: the values given, and a commented placeholder for each one not given.
pub fn config_toml(settings: &Settings) -> String {
    let mut out = String::from(
        "# sfjwt.toml, written by sfjwt new. Secrets are never written here: a consumer secret\n\
         # or key passphrase is named by the environment variable holding it\n\
         # (consumer_secret_env, key_passphrase_env).\n",
    );
    out.push_str(&format!(
        "key = \"{DEFAULT_KEY_FILE}\"\ncert = \"{DEFAULT_CERT_FILE}\"\n"
    ));
    for (name, value, placeholder, what) in identity(settings) {
        out.push_str(&format!("# {what}\n"));
        match value {
            Some(v) => out.push_str(&format!(
                "{name} = {}\n",
                toml::Value::String(v.to_string())
            )),
            None => out.push_str(&format!("# {name} = \"{placeholder}\"\n")),
        }
    }
    out
}

/// The report of a run: what was made, step 2, and the next command.
pub fn made(settings: &Settings, paths: &Paths, bits: usize, cert: &Certificate) -> String {
    let dir = settings.dir.display();
    let days = (cert.not_after - cert.not_before).whole_days();
    let mut out = format!("sfjwt new: made in {dir}\n");
    out.push_str(&format!(
        "  {}  RSA {bits}-bit private key, PKCS#8 PEM, mode 0600 (key {}); keep it secret\n",
        paths.key.display(),
        cert.fingerprint()
    ));
    out.push_str(&format!(
        "  {}  self-signed certificate, SHA-256 with RSA, subject {}\n      valid {} to {} ({days} days), serial {}\n",
        paths.cert.display(),
        cert.subject,
        date_time(cert.not_before),
        date_time(cert.not_after),
        cert.serial
    ));
    if let Some(csr) = &paths.csr {
        out.push_str(&format!(
            "  {}  signing request (PKCS#10) for a certification authority; upload the certificate it signs instead of server.crt\n",
            csr.display()
        ));
    }
    out.push_str(&format!(
        "  {}  the bundle's settings\n",
        paths.config.display()
    ));
    let missing: Vec<&str> = identity(settings)
        .iter()
        .filter(|(_, value, ..)| value.is_none())
        .map(|(name, ..)| *name)
        .collect();
    if !missing.is_empty() {
        let flags: Vec<String> = missing
            .iter()
            .map(|name| format!("--{}", name.replace('_', "-")))
            .collect();
        out.push_str(&format!(
            "  still missing: {} (fill {} in {}, or pass {} to sfjwt check)\n",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
            paths.config.display(),
            flags.join(", ")
        ));
    }
    out.push_str(&format!(
        "\nStep 2: upload the certificate to Salesforce\n  \
         1. Setup -> Apps -> App Manager -> New External Client App (or open yours); Distribution State: Local.\n  \
         2. In API (Enable OAuth Settings), check Enable OAuth; add the scopes api and refresh_token, offline_access.\n  \
         3. Under Flow Enablement, check Enable JWT Bearer Flow, click Choose File and upload {}.\n  \
         4. Click Create (or Save); then copy the Consumer Key (step 3) into {}.\n\
         \nNext: sfjwt check {dir}\n",
        paths.cert.display(),
        paths.config.display()
    ));
    out
}

pub(crate) fn date_time(t: time::OffsetDateTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| t.to_string())
}
