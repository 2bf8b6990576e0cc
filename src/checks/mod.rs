//! The checks: each is data (id, title, setup steps, docs) plus one function from a bundle to an
//! outcome. [`REGISTRY`] is the one list that `check`, `explain`, the docs and the tests read.

pub mod assertion;
mod cert;
mod identity;
mod key;
pub mod live;
mod url;

use crate::bundle::Bundle;
use crate::context::Context;
use crate::finding::{Finding, Outcome};

/// Which runs a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Runs on every `sfjwt check`, with no network.
    Offline,
    /// Runs only with `--live`.
    Live,
}

/// A check's documentation, printed by `sfjwt explain ID` and rendered into `docs/checks.md`.
#[derive(Debug)]
pub struct Docs {
    /// One sentence: when the check passes.
    pub passes_when: &'static str,
    /// What the check looks at, in plain words.
    pub what: &'static str,
    /// Why it matters for the JWT Bearer flow.
    pub why: &'static str,
    /// How to fix a failure, with the concrete commands or Salesforce screens.
    pub fix: &'static str,
    /// Where the facts come from.
    pub references: &'static [&'static str],
}

/// One check: metadata plus the function that runs it.
pub struct Check {
    /// Stable id (contract); never reused.
    pub id: &'static str,
    /// Short title, shown next to the id.
    pub title: &'static str,
    /// The setup steps (1-7 of the setup guide) the check covers.
    pub steps: &'static [u8],
    pub group: Group,
    pub docs: Docs,
    pub run: fn(&Bundle, &Context) -> Outcome,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish()
    }
}

impl Check {
    /// Runs the check and wraps its outcome into a finding.
    pub fn evaluate(&self, bundle: &Bundle, ctx: &Context) -> Finding {
        let outcome = (self.run)(bundle, ctx);
        Finding {
            id: self.id,
            status: outcome.status,
            steps: outcome.steps.unwrap_or_else(|| self.steps.to_vec()),
            title: self.title,
            message: outcome.message,
            fix: outcome.fix,
            evidence: outcome.evidence.into(),
        }
    }
}

/// Every check, in report order.
pub static REGISTRY: &[&Check] = &[
    &key::KEY_PARSE,
    &key::KEY_STRENGTH,
    &key::KEY_FILE_PERMISSIONS,
    &cert::CERT_PARSE,
    &cert::CERT_MATCHES_KEY,
    &cert::CERT_VALIDITY,
    &cert::CERT_SIGNATURE_ALGORITHM,
    &url::LOGIN_URL_HOST,
    &identity::USERNAME_FORMAT,
    &identity::USERNAME_ENVIRONMENT,
    &identity::CONSUMER_KEY_FORMAT,
    &identity::CONSUMER_SECRET_FORMAT,
    &assertion::ASSERTION_CLAIMS,
    &assertion::ASSERTION_SIGNATURE,
    &live::TOKEN_EXCHANGE,
    &live::TOKEN_INTROSPECTION,
];

/// Looks a check up by id.
pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}

/// Runs every check of the given groups over one bundle, in registry order. With `--live`, the
/// token the live checks got is revoked afterwards ([`live::finish`]).
pub fn run_all(bundle: &Bundle, ctx: &Context) -> Vec<Finding> {
    let mut findings: Vec<Finding> = REGISTRY
        .iter()
        .filter(|c| c.group == Group::Offline || ctx.live)
        .map(|c| c.evaluate(bundle, ctx))
        .collect();
    if ctx.live {
        live::finish(bundle, ctx, &mut findings);
    }
    findings
}

/// Every secret of one bundle once its checks ran: what it was given ([`Bundle::secrets`]), and
/// what the run made of it: the test assertion (unless `--show-assertion` asked to print it) and,
/// with `--live`, the assertion sent and the access token issued.
pub fn run_secrets(bundle: &mut Bundle, ctx: &Context) -> crate::redact::Redactor {
    let mut secrets = std::mem::take(&mut bundle.secrets);
    if !ctx.show_assertion
        && let Some(Ok(minted)) = bundle.minted.get()
    {
        secrets.add(&minted.token, "signed assertion");
    }
    if let Some(session) = bundle.live.get() {
        live::know_session(&mut secrets, session, !ctx.show_assertion);
    }
    secrets
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique() {
        let mut seen = HashSet::new();
        for c in REGISTRY {
            assert!(seen.insert(c.id), "duplicate check id {}", c.id);
        }
    }

    #[test]
    fn every_check_has_docs_steps_and_a_well_formed_id() {
        for c in REGISTRY {
            assert!(!c.title.is_empty(), "{} has no title", c.id);
            assert!(!c.steps.is_empty(), "{} has no steps", c.id);
            assert!(
                c.steps.iter().all(|s| (1..=7).contains(s)),
                "{} has a step outside 1-7",
                c.id
            );
            for (name, text) in [
                ("passes_when", c.docs.passes_when),
                ("what", c.docs.what),
                ("why", c.docs.why),
                ("fix", c.docs.fix),
            ] {
                assert!(text.trim().len() > 20, "{} has no useful docs.{name}", c.id);
                // Sentences: docs/checks.md and docs/troubleshooting.md set them side by side.
                let first = text.chars().next().unwrap_or(' ');
                assert!(
                    first.is_uppercase() || first == '(',
                    "{}: docs.{name} starts a sentence",
                    c.id
                );
                assert!(
                    text.trim_end().ends_with(['.', ')', '`']),
                    "{}: docs.{name} ends a sentence",
                    c.id
                );
            }
            assert!(!c.docs.references.is_empty(), "{} has no references", c.id);
            assert!(
                c.id.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '.' || ch == '-'),
                "{} is not a lower-case dotted id",
                c.id
            );
        }
    }

    #[test]
    fn the_contract_ids_are_all_registered() {
        for id in [
            "key.parse",
            "key.strength",
            "key.file-permissions",
            "cert.parse",
            "cert.matches-key",
            "cert.validity",
            "cert.signature-algorithm",
            "login-url.host",
            "username.format",
            "username.environment",
            "consumer-key.format",
            "consumer-secret.format",
            "assertion.claims",
            "assertion.signature",
            "token.exchange",
            "token.introspection",
        ] {
            assert!(find(id).is_some(), "{id} is missing from the registry");
        }
    }
}
