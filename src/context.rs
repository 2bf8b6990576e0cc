//! Settings that apply to every bundle of one run.

use time::OffsetDateTime;

use crate::salesforce::token::Http;

#[derive(Debug, Clone)]
pub struct Context {
    /// The instant the run is evaluated at (`--at`, or now).
    pub at: OffsetDateTime,
    /// Warn when the certificate expires within this many days of `at`.
    pub expiry_warn_days: i64,
    /// `--expiry-fail-days`: fail when the certificate is expired or expires within this many
    /// days of `at`; without it, expiry only warns.
    pub expiry_fail_days: Option<i64>,
    /// `--live`: also run the checks that talk to the token endpoint.
    pub live: bool,
    /// `--show-assertion`: put the signed test assertion in the report (it is a credential
    /// until its `exp`).
    pub show_assertion: bool,
    /// The HTTP clients of `--live` and its `--timeout`: built on the first request only, so a
    /// run without `--live` never sets up TLS.
    pub http: Http,
    /// `--require-scope`: scopes the issued token must have (token.usable).
    pub require_scopes: Vec<String>,
    /// `--probe-audiences`: when the exchange is refused, try the other pairs of token endpoint
    /// and `aud` (at most 4 token requests in all).
    pub probe_audiences: bool,
    /// `--allow`, `--warn`, `--deny`: the command line's per-check policy.
    pub policy: Vec<crate::checks::policy::Rule>,
}

impl Context {
    pub fn new(at: OffsetDateTime) -> Self {
        Context {
            at,
            expiry_warn_days: 30,
            expiry_fail_days: None,
            live: false,
            show_assertion: false,
            http: Http::default(),
            require_scopes: Vec::new(),
            probe_audiences: false,
            policy: Vec::new(),
        }
    }
}
