//! The checks: each is data (id, title, setup steps, docs) plus one function from a bundle to an
//! outcome. [`REGISTRY`] is the one list that `check`, `explain`, the docs and the tests read.

mod absent;
pub mod app;
pub mod assertion;
mod cert;
mod config;
mod consumer;
pub mod files;
mod key;
pub mod location;
mod login_url;
pub mod policy;
pub mod require;
pub mod scratch;
#[cfg(test)]
mod testing;
pub mod token;
mod username;

pub use self::scratch::Scratch;
use crate::bundle::Bundle;
use crate::bundle::inputs::InputSpec;
use crate::context::Context;
use crate::finding::{Finding, Outcome};
use crate::steps::Step;

/// Which runs a check belongs to. Its name (`offline`, `live`, `config`) is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Group {
    /// Runs on every `sfjwt check`, with no network.
    Offline,
    /// Runs only with `--live`.
    Live,
    /// Runs, offline, on bundle directories that hold a `sfjwt.toml`.
    Config,
    /// Runs, offline, only with `--next-cert` (a candidate certificate for rotation).
    Rotation,
    /// Runs, offline, only with `--app-metadata` (the app as its retrieved metadata holds it).
    App,
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
    /// The setup steps of the setup guide the check covers.
    pub steps: &'static [Step],
    pub group: Group,
    pub docs: Docs,
    /// Runs the check over one bundle. A missing or broken input is the `Err`: the finding is a
    /// skip with its message. `Scratch` holds what earlier checks of the bundle made.
    pub run: Run,
}

/// What a check's function is.
pub type Run = fn(&Bundle, &Context, &mut Scratch) -> Result<Outcome, Skip>;

/// Why a check did not run: its message is the finding's. Written with `?` from `require::*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

impl Skip {
    /// A skip with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Skip(message.into())
    }

    /// "REASON (see ID)": the input was judged by `check`, whose finding says what is wrong.
    /// Taking the check itself, the text cannot name an id that does not exist.
    pub fn see(reason: impl std::fmt::Display, check: &Check) -> Self {
        Skip(format!("{reason} (see {})", check.id))
    }

    /// "no NOUN was given: HOW TO GIVE IT", from the input's declaration.
    pub fn missing(input: &InputSpec) -> Self {
        Skip(format!(
            "no {} was given: {}",
            input.noun.trim_start_matches("the "),
            input.how_to_give()
        ))
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }

    /// The message with `prefix` before it, e.g. "no test assertion: ".
    pub fn prefixed(self, prefix: &str) -> Self {
        Skip(format!("{prefix}{}", self.0))
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Skip> for Outcome {
    fn from(skip: Skip) -> Self {
        Outcome::skip(skip.0)
    }
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.id).finish()
    }
}

impl Check {
    /// Runs the check; a skip becomes a skip outcome.
    pub fn outcome(&self, bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Outcome {
        (self.run)(bundle, ctx, scratch).unwrap_or_else(Outcome::from)
    }

    /// Runs the check and wraps its outcome into a finding.
    /// Its fix names the bundle's real files ([`files::Files`]).
    pub fn evaluate(&self, bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Finding {
        let mut finding = self.finding(self.outcome(bundle, ctx, scratch));
        if let Some(fix) = &mut finding.fix {
            *fix = files::Files::of(bundle).apply(fix);
        }
        finding
    }

    /// A finding of this check from an outcome: the check's id, title and steps (as numbers,
    /// unless the outcome names its own) around it.
    pub fn finding(&self, outcome: Outcome) -> Finding {
        Finding {
            id: self.id,
            status: outcome.status,
            steps: outcome.steps.unwrap_or_else(|| self.step_numbers()),
            title: self.title,
            message: outcome.message,
            fix: outcome.fix,
            evidence: outcome.evidence.into(),
        }
    }

    /// The numbers of the check's setup steps, as reports write them.
    pub fn step_numbers(&self) -> Vec<u8> {
        self.steps.iter().map(|s| s.number()).collect()
    }

    /// Whether the check covers the setup step with this number.
    pub fn covers(&self, step: u8) -> bool {
        self.steps.iter().any(|s| s.number() == step)
    }
}

impl Group {
    /// Its name in `explain` and the docs: `offline`, `live` or `config`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// When its checks run, in words: "on every `sfjwt check`".
    pub fn runs_when(self) -> &'static str {
        match self {
            Group::Offline => "on every `sfjwt check`",
            Group::Live => "with `sfjwt check --live`",
            Group::Config => "on bundle directories that hold a sfjwt.toml",
            Group::Rotation => "with `sfjwt check --next-cert PATH`",
            Group::App => "with `sfjwt check --app-metadata PATH`",
        }
    }

    /// Whether the checks of this group run on this bundle in this run: a check whose input
    /// the run does not have is not reported.
    pub fn runs(self, bundle: &Bundle, ctx: &Context) -> bool {
        match self {
            Group::Offline => true,
            Group::Live => ctx.live,
            Group::Config => bundle.config.is_some(),
            Group::Rotation => bundle.next_cert.is_some(),
            Group::App => bundle.app.is_some(),
        }
    }
}

/// Every check, in report order.
pub static REGISTRY: &[&Check] = &[
    &config::CONFIG_PARSE,
    &key::KEY_PARSE,
    &key::KEY_STRENGTH,
    &key::KEY_FILE_PERMISSIONS,
    &cert::CERT_PARSE,
    &cert::CERT_MATCHES_KEY,
    &cert::CERT_VALIDITY,
    &cert::CERT_SIGNATURE_ALGORITHM,
    &cert::CERT_ROTATION,
    &login_url::LOGIN_URL_HOST,
    &username::USERNAME_FORMAT,
    &username::USERNAME_ENVIRONMENT,
    &consumer::CONSUMER_KEY_FORMAT,
    &consumer::CONSUMER_SECRET_FORMAT,
    &assertion::ASSERTION_CLAIMS,
    &assertion::ASSERTION_SIGNATURE,
    &app::APP_CONSUMER_KEY,
    &app::APP_CERTIFICATE,
    &app::APP_JWT_FLOW,
    &app::APP_SCOPES,
    &app::APP_POLICY,
    &app::APP_INTROSPECTION,
    &token::TOKEN_EXCHANGE,
    &token::TOKEN_INTROSPECTION,
    &token::TOKEN_USABLE,
];

/// Looks a check up by id.
pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}

/// Runs every check of the given groups over one bundle, in registry order, with one scratch
/// for the bundle. With `--live`, the token the live checks got is revoked afterwards
/// ([`token::finish`]).
pub fn run_all(bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Vec<Finding> {
    let rules = match policy::bundle_rules(bundle) {
        Ok(mut rules) => {
            rules.extend(ctx.policy.iter().cloned());
            rules
        }
        // `[checks]` names no check: the bundle's settings are not what its author meant.
        Err(problem) => {
            return REGISTRY
                .iter()
                .filter(|c| c.group.runs(bundle, ctx))
                .map(|c| match c.id == config::CONFIG_PARSE.id {
                    true => c.finding(problem.clone()),
                    false => c.finding(config::unread().into()),
                })
                .collect();
        }
    };
    let mut findings: Vec<Finding> = REGISTRY
        .iter()
        .filter(|c| c.group.runs(bundle, ctx))
        .map(|c| match &bundle.config {
            Some(Err(_)) if c.id != config::CONFIG_PARSE.id => c.finding(config::unread().into()),
            _ => c.evaluate(bundle, ctx, scratch),
        })
        .collect();
    if ctx.live {
        token::finish(bundle, ctx, scratch, &mut findings);
    }
    policy::apply(&mut findings, &rules);
    location::locate(bundle, &mut findings);
    findings
}

/// Every secret of one bundle once its checks ran: what it was given ([`Bundle::secrets`]), and
/// what the run made of it (its [`Scratch`]): the test assertion (unless `--show-assertion` asked
/// to print it) and, with `--live`, the assertion sent and the access token issued.
pub fn run_secrets(
    bundle: &mut Bundle,
    ctx: &Context,
    scratch: &Scratch,
) -> crate::redact::Redactor {
    let mut secrets = std::mem::take(&mut bundle.secrets);
    if !ctx.show_assertion
        && let Some(Ok(minted)) = &scratch.minted
    {
        secrets.add(&minted.token, "signed assertion");
    }
    if let Some(session) = &scratch.live {
        token::know_session(&mut secrets, session, !ctx.show_assertion);
    }
    secrets
}

#[cfg(test)]
mod tests {

    /// Every check that runs offline, on inputs of every odd shape at once: none panics.
    #[test]
    fn no_offline_check_panics_on_odd_input() {
        use crate::bundle::{Origin, Secret, Setting};
        let big = "x".repeat(10 * 1024);
        for v in ["", "\u{0}", "é", "@", "%", big.as_str(), "3MVG"] {
            let mut b = testing::with_user_and_url(v, v);
            b.consumer_key = Some(Setting::new(v, Origin::Flag("--consumer-key")));
            b.audience = Some(Setting::new(v, Origin::Flag("--audience")));
            b.consumer_secret = Some(Secret::new(v, Origin::Prompt));
            for c in REGISTRY.iter().filter(|c| c.group != Group::Live) {
                let _ = testing::run(c, &b);
            }
        }
    }

    /// key.parse and cert.parse name the checks that did not run without their input: the
    /// lists are the checks that skip pointing at them.
    #[test]
    fn the_checks_named_as_not_run_are_those_that_skip_for_the_missing_input() {
        use crate::bundle::gather::{Inputs, KeySource, gather};
        let valid = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
        let env = |_: &str| None;
        let ctx = Context::new(time::macros::datetime!(2026-11-29 13:00 UTC));
        for (inputs, parse, listed) in [
            (
                Inputs {
                    cert: Some(valid.join("server.crt")),
                    ..Inputs::default()
                },
                &key::KEY_PARSE,
                key::NOT_RUN_WITHOUT_KEY,
            ),
            (
                Inputs {
                    key: Some(KeySource::Path(valid.join("server.key"))),
                    ..Inputs::default()
                },
                &cert::CERT_PARSE,
                cert::NOT_RUN_WITHOUT_CERT,
            ),
        ] {
            let mut bundle = gather("t", None, &inputs, &env, None);
            bundle.username = testing::with_user("a@b.com").username;
            let findings = run_all(&bundle, &ctx, &mut Scratch::default());
            let pointer = format!("(see {})", parse.id);
            let mut skipped: Vec<&str> = findings
                .iter()
                .filter(|f| f.message.ends_with(&pointer))
                .map(|f| f.id)
                .collect();
            let mut named: Vec<&str> = listed.iter().map(|c| c.id).collect();
            skipped.sort_unstable();
            named.sort_unstable();
            assert_eq!(skipped, named, "{}", parse.id);
        }
    }

    #[test]
    fn a_bundle_parses_its_login_url_once() {
        use crate::salesforce::hosts::PARSED;
        PARSED.with(|p| p.borrow_mut().clear());
        let env = |_: &str| None;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
        let inputs = crate::bundle::gather::Inputs::default();
        let bundle = crate::bundle::gather::gather("valid", Some(&dir), &inputs, &env, None);
        let ctx = Context::new(time::macros::datetime!(2026-11-29 13:00 UTC));
        let findings = run_all(&bundle, &ctx, &mut Scratch::default());
        assert!(findings.len() > 10);
        let parsed = PARSED.with(|p| p.borrow().clone());
        // The login URL once, when the bundle is gathered; the assertion's aud claim, a value
        // of its own, once.
        assert_eq!(parsed, ["the login URL", "aud"], "{parsed:?}");
    }
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn group_names() {
        assert_eq!(Group::Offline.name(), "offline");
        assert_eq!(Group::Live.name(), "live");
    }

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
                c.steps.windows(2).all(|w| w[0] < w[1]),
                "{} lists its steps out of order",
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
