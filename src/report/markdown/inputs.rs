//! The inputs table of a bundle: what sfjwt read, from the findings' evidence.

use serde_json::Value;

use super::{cell, code_cell};
use crate::finding::{Finding, Status};
use crate::report::summary::{self, evidence_str};
use crate::report::{BundleReport, Head};

/// One row: the name of the input and what was read.
type Row = (&'static str, String);

/// The inputs table: what sfjwt read, from the findings' evidence. Values the checks did not
/// report stay out; secrets are never in the evidence.
pub(super) fn inputs(bundle: &BundleReport, report: &Head<'_>) -> Vec<Row> {
    let ev = Evidence { bundle };
    let mut rows: Vec<Row> = Vec::new();
    key_rows(&ev, &mut rows);
    cert_rows(&ev, report, &mut rows);
    login_url_rows(&ev, &mut rows);
    identity_rows(&ev, &mut rows);
    files_row(bundle, &mut rows);
    rows
}

/// The evidence of one bundle's findings, read by check id and key.
struct Evidence<'a> {
    bundle: &'a BundleReport,
}

impl Evidence<'_> {
    fn str(&self, id: &str, key: &str) -> Option<String> {
        self.bundle
            .finding(id)
            .and_then(|f| evidence_str(f, key))
            .map(str::to_string)
    }

    fn num(&self, id: &str, key: &str) -> Option<i64> {
        self.value(id, key).and_then(Value::as_i64)
    }

    fn flag(&self, id: &str, key: &str) -> Option<bool> {
        self.value(id, key).and_then(Value::as_bool)
    }

    fn value(&self, id: &str, key: &str) -> Option<&Value> {
        self.bundle.finding(id).and_then(|f| f.evidence.get(key))
    }

    fn skipped(&self, id: &str) -> bool {
        self.bundle
            .finding(id)
            .is_none_or(|f| f.status == Status::Skip)
    }

    /// The finding of a check that ran (not skipped).
    fn ran(&self, id: &str) -> Option<&Finding> {
        self.bundle.finding(id).filter(|f| f.status != Status::Skip)
    }
}

/// The private key.
fn key_rows(ev: &Evidence<'_>, rows: &mut Vec<Row>) {
    match ev.str("key.parse", "origin") {
        Some(origin) => rows.push(("Private key from", code_cell(&origin))),
        None if ev.skipped("key.parse") => rows.push(("Private key", "not given".into())),
        None => {}
    }
    if let Some(bits) = ev.num("key.parse", "bits") {
        let format = ev.str("key.parse", "format").unwrap_or_default();
        let encrypted = ev.flag("key.parse", "encrypted").unwrap_or(false);
        rows.push((
            "Key type and size",
            format!(
                "RSA, {bits} bits, {}{}",
                code_cell(&format),
                if encrypted {
                    ", encrypted (decrypted with the passphrase)"
                } else {
                    ""
                }
            ),
        ));
    } else if let Some(error) = ev
        .str("key.parse", "error")
        .or(ev.str("key.parse", "read_error"))
    {
        rows.push((
            "Key type and size",
            format!("unknown: it did not read ({})", cell(&error)),
        ));
    }
    if let Some(fp) = ev.str("key.parse", "fingerprint") {
        rows.push(("Key fingerprint", code_cell(&fp)));
    }
    if let Some(mode) = ev.str("key.file-permissions", "mode") {
        rows.push(("Key file mode", code_cell(&mode)));
    }
}

/// The certificate.
fn cert_rows(ev: &Evidence<'_>, report: &Head<'_>, rows: &mut Vec<Row>) {
    match ev.str("cert.parse", "origin") {
        Some(origin) => rows.push(("Certificate from", code_cell(&origin))),
        None if ev.skipped("cert.parse") => rows.push(("Certificate", "not given".into())),
        None => {}
    }
    if let Some(error) = ev
        .str("cert.parse", "error")
        .or(ev.str("cert.parse", "read_error"))
    {
        rows.push(("Certificate", format!("did not read ({})", cell(&error))));
    }
    for (key, name) in [
        ("subject", "Certificate subject"),
        ("issuer", "Certificate issuer"),
        ("serial", "Certificate serial"),
        ("public_key", "Certificate public key"),
        ("signature_algorithm", "Certificate signature algorithm"),
    ] {
        if let Some(v) = ev.str("cert.parse", key) {
            let mut value = code_cell(&v);
            if key == "issuer" && ev.flag("cert.parse", "self_signed") == Some(true) {
                value.push_str(" (self-signed)");
            }
            rows.push((name, value));
        }
    }
    cert_validity_rows(ev, report, rows);
    if let Some(fp) = ev.str("cert.parse", "fingerprint") {
        let note = match ev.str("key.parse", "fingerprint") {
            Some(k) if k == fp => " (same as the key's)",
            Some(_) => " (not the key's: see `cert.matches-key`)",
            None => "",
        };
        rows.push((
            "Certificate fingerprint",
            format!("{}{note}", code_cell(&fp)),
        ));
    }
    if let Some(n) = ev.num("cert.parse", "chain_length").filter(|n| *n > 1) {
        rows.push((
            "Certificates in the file",
            format!("{n} (only the first is checked)"),
        ));
    }
}

/// The certificate's validity period, and the days left at the report's time.
fn cert_validity_rows(ev: &Evidence<'_>, report: &Head<'_>, rows: &mut Vec<Row>) {
    if let Some(v) = ev.str("cert.parse", "not_before") {
        rows.push(("Valid from", cell(&v)));
    }
    if let Some(v) = ev.str("cert.parse", "not_after") {
        let left = ev
            .num("cert.validity", "days_left")
            .map(|d| {
                format!(
                    " ({} at {})",
                    summary::days_left_words(d),
                    report.evaluated_at
                )
            })
            .unwrap_or_default();
        rows.push(("Valid until", format!("{}{left}", cell(&v))));
    }
}

/// The login URL.
fn login_url_rows(ev: &Evidence<'_>, rows: &mut Vec<Row>) {
    if let Some(url) = ev.str("login-url.host", "url") {
        rows.push(("Login URL", code_cell(&url)));
    } else if let Some(host) = ev.str("login-url.host", "host") {
        rows.push(("Login URL host", code_cell(&host)));
    } else if ev.skipped("login-url.host") {
        rows.push(("Login URL", "not given".into()));
    }
    if let Some(kind) = ev.str("login-url.host", "host_kind") {
        let env = ev.str("login-url.host", "environment").unwrap_or_default();
        rows.push((
            "Login URL kind",
            format!("{} ({} environment)", cell(&kind), cell(&env)),
        ));
    } else if let Some(problem) = ev.str("login-url.host", "problem") {
        rows.push((
            "Login URL kind",
            format!("not a usable login URL ({})", cell(&problem)),
        ));
    }
    if let Some(v) = ev.str("login-url.host", "token_endpoint") {
        rows.push(("Token endpoint", code_cell(&v)));
    }
    if let Some(v) = ev.str("login-url.host", "default_audience") {
        rows.push(("Audience (aud)", code_cell(&v)));
    }
    if let Some(v) = ev.str("login-url.host", "source") {
        rows.push(("Login URL from", cell(&v)));
    }
}

/// The username and the app's identifiers.
fn identity_rows(ev: &Evidence<'_>, rows: &mut Vec<Row>) {
    match ev.str("username.format", "username") {
        Some(u) => rows.push(("Username", code_cell(&u))),
        None if ev.skipped("username.format") => rows.push(("Username", "not given".into())),
        None => {}
    }
    if let Some(f) = ev.ran("consumer-key.format") {
        let length = f.evidence.get("length").and_then(Value::as_u64);
        let fp = evidence_str(f, "fingerprint").unwrap_or_default();
        let shown = match evidence_str(f, "key") {
            Some(k) => code_cell(k),
            None => "not shown: it does not look like a consumer key".to_string(),
        };
        rows.push((
            "Consumer key",
            format!(
                "{shown} ({} characters, fingerprint {})",
                length.unwrap_or(0),
                code_cell(fp)
            ),
        ));
    } else {
        rows.push(("Consumer key", "not given".into()));
    }
    match ev.ran("consumer-secret.format") {
        Some(f) => {
            let length = f.evidence.get("length").and_then(Value::as_u64);
            rows.push((
                "Consumer secret",
                format!(
                    "given, redacted ({} characters, {}, fingerprint {})",
                    length.unwrap_or(0),
                    cell(evidence_str(f, "format").unwrap_or("unknown format")),
                    code_cell(evidence_str(f, "fingerprint").unwrap_or_default())
                ),
            ));
        }
        None => rows.push(("Consumer secret", "not given (optional)".into())),
    }
}

/// The files the values came from.
fn files_row(bundle: &BundleReport, rows: &mut Vec<Row>) {
    let mut files: Vec<String> = Vec::new();
    // config.parse is reported first, but the key and the certificate lead this row: the
    // settings file comes after them, where the checks that use its values name it.
    let (settings, others): (Vec<_>, Vec<_>) =
        bundle.checks.iter().partition(|f| f.id == "config.parse");
    for f in others.into_iter().chain(settings) {
        if let Some(path) = evidence_str(f, "file")
            && !files.iter().any(|p| p == path)
        {
            files.push(path.to_string());
        }
    }
    if !files.is_empty() {
        rows.push((
            "Files read",
            files
                .iter()
                .map(|p| code_cell(p))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
}
