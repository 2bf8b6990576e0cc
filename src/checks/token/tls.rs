//! token.exchange when the TLS handshake fails: what to tell someone behind a TLS-inspecting
//! proxy (its root CA goes in `--ca-file`, never verification off), and what it means when the
//! CA files given did not help.

use serde_json::Value;

use crate::finding::Outcome;
use crate::salesforce::token::trust::Extras;

/// The exchange's evidence `ca_files`: the paths of the CA files trusted beside the system
/// store, when any were given (never their contents), and a line of its details that names them.
pub(super) fn with_ca_files(mut out: Outcome, extras: &Extras) -> Outcome {
    if extras.ca_files.is_empty() {
        return out;
    }
    let paths: Vec<Value> = extras
        .ca_files
        .iter()
        .map(|f| Value::from(f.shown_path()))
        .collect();
    let named: Vec<String> = extras
        .ca_files
        .iter()
        .map(|f| {
            let n = f.count();
            format!(
                "{} ({n} certificate{})",
                f.label(),
                if n == 1 { "" } else { "s" }
            )
        })
        .collect();
    let line = format!("TLS: trusted beside the system store: {}", list(&named));
    if let Some(Value::Array(details)) = out.evidence.get_mut("details") {
        details.push(Value::from(line));
    }
    out.with("ca_files", Value::from(paths))
}

/// The message and fix of a failed TLS handshake with `host`, `detail` being what the TLS
/// stack said; `extras` are the CA files the client trusted beside the system store.
pub(super) fn handshake_failed(host: &str, detail: &str, extras: &Extras) -> (String, String) {
    let message =
        format!("the TLS handshake with {host} failed ({detail}); the assertion was not sent");
    let labels = extras.ca_labels();
    let rest = "Check that the login URL is the org's HTTPS login host, not a port that speaks plain HTTP; a wrong system clock makes certificates look expired or not yet valid; Salesforce requires TLS 1.2 or later.";
    let fix = if labels.is_empty() {
        format!(
            "If a TLS-inspecting proxy (Zscaler, Netskope, a corporate firewall) sits between this machine and Salesforce, export its root CA as PEM (from the proxy's admin console, or the browser's certificate viewer for {host}) and give it with --ca-file PATH, or set SSL_CERT_FILE to it: sfjwt trusts it beside the system store. Never turn certificate verification off. {rest}"
        )
    } else {
        let given = list(&labels);
        let verify = if detail.to_ascii_lowercase().contains("certificate") {
            format!(
                "The server's certificate still did not verify against {given} plus the system store"
            )
        } else {
            format!(
                "{given} {} trusted beside the system store, and the handshake still failed",
                if labels.len() == 1 { "was" } else { "were" }
            )
        };
        format!(
            "{verify}: the CA given is not the one that signed the certificate this connection got (a TLS-inspecting proxy signs with its own root CA: export that one as PEM, from the proxy's admin console or the browser's certificate viewer for {host}), or the certificate does not name {host}, or is outside its dates. Never turn certificate verification off. {rest}"
        )
    };
    (message, fix)
}

/// "A", "A and B", "A, B and C".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
