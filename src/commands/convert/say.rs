//! What `convert` says: the line naming what was written (fingerprints, never the key), the
//! notes on standard error, and the next step for the tool the form is for. The password of a
//! keystore is named by where it came from, never shown.

use super::forms::ReadBack;
use super::{Settings, Target};
use crate::bundle::Origin;
use crate::bundle::Secret;
use crate::bundle::cert::Certificate;
use crate::bundle::key::PrivateKey;

/// The `--to` value, as typed.
pub fn name(target: Target) -> String {
    clap::ValueEnum::to_possible_value(&target)
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// What the form is, in a few words.
fn form(target: Target) -> &'static str {
    match target {
        Target::Pkcs8 => "PKCS#8 PEM (BEGIN PRIVATE KEY), unencrypted",
        Target::Pkcs1 => "PKCS#1 PEM (BEGIN RSA PRIVATE KEY), unencrypted",
        Target::Der => "PKCS#8 DER, unencrypted",
        Target::Pkcs12 => "PKCS#12 keystore (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC)",
        Target::Jks => "JKS keystore",
        Target::Base64 => "base64 of the PKCS#8 PEM, one line",
        Target::Escaped => "the PKCS#8 PEM on one line with literal \\n",
    }
}

/// `wrote OUT: FORM, alias A, key sha256:..., certificate sha256:..., mode 0600; read back:
/// same key and certificate`.
pub fn wrote(
    settings: &Settings,
    key: &PrivateKey,
    cert: Option<&Certificate>,
    back: &ReadBack,
) -> String {
    let mut parts = vec![form(settings.to).to_string()];
    if let Some(alias) = &back.alias {
        parts.push(format!("alias {alias}"));
    }
    parts.push(format!("key {} (RSA {}-bit)", key.fingerprint(), key.bits));
    let keystore = settings.to.is_keystore();
    if let (true, Some(cert)) = (keystore, cert) {
        parts.push(format!(
            "certificate {} ({})",
            cert.fingerprint(),
            cert.subject
        ));
    }
    parts.push(format!("mode {}", mode(&settings.out)));
    format!(
        "wrote {}: {}; read back: same key{}",
        settings.out.display(),
        parts.join(", "),
        if keystore { " and certificate" } else { "" }
    )
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).map_or_else(
        |_| "unknown".into(),
        |m| format!("{:04o}", m.permissions().mode() & 0o7777),
    )
}

#[cfg(not(unix))]
fn mode(_path: &std::path::Path) -> String {
    "owner only".into()
}

/// Where the keystore's password came from, for the next step: never the password.
fn password_source(password: Option<&Secret>) -> String {
    match password.map(|p| &p.origin) {
        Some(Origin::Prompt) | None => "the password you typed".into(),
        Some(origin) => format!("the password in {origin}"),
    }
}

/// The next step, for the tools that take this form.
pub fn next(settings: &Settings, password: Option<&Secret>, alias: &str) -> String {
    let out = settings.out.display();
    let pw = password_source(password);
    match settings.to {
        Target::Pkcs8 => format!(
            "next: give {out} where a PEM key file is asked for, e.g. sf org login jwt \
             --jwt-key-file {out}"
        ),
        Target::Pkcs1 => format!(
            "next: give {out} to a tool that wants BEGIN RSA PRIVATE KEY (older SDKs and libraries)"
        ),
        Target::Der => format!(
            "next: Java reads {out} as it is: new PKCS8EncodedKeySpec(Files.readAllBytes(path))"
        ),
        Target::Pkcs12 => format!(
            "next: Java, MuleSoft: Keystore = {out}, Type = PKCS12, Key alias = {alias}, \
             Keystore password = Key password = {pw} (not shown); keytool -list -keystore {out} \
             lists it"
        ),
        Target::Jks => format!(
            "next: MuleSoft: Keystore = {out}, Type = JKS, Key alias = {alias}, Store password = \
             Key password = {pw} (not shown); keytool -list -keystore {out} lists it"
        ),
        Target::Base64 => format!(
            "next: store the content of {out} as a CI secret: SFJWT_PRIVATE_KEY takes it as it is, \
             and base64 -d turns it back into the PEM file"
        ),
        Target::Escaped => format!(
            "next: paste the content of {out} into a JSON string or an environment variable; \
             each literal \\n is a line break of the PEM"
        ),
    }
}

/// Notes for standard error: what changed on the way, and what the certificate is not used for.
pub fn notes(settings: &Settings, key: &PrivateKey, cert: Option<&Certificate>) -> Vec<String> {
    let mut notes: Vec<String> = key.repairs.iter().map(|r| format!("--key: {r}")).collect();
    if key.format.is_encrypted() && !settings.to.is_keystore() {
        notes.push(format!(
            "--key was encrypted ({}); {} is not: it is readable by anyone who can read the file \
             (mode 0600 keeps it to you)",
            key.format,
            settings.out.display()
        ));
    }
    if cert.is_some() && settings.cert.is_some() && !settings.to.is_keystore() {
        notes.push(format!(
            "--cert matches the key; --to {} holds the key only, so the certificate is not in {}",
            name(settings.to),
            settings.out.display()
        ));
    }
    notes
}
