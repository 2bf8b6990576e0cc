//! Salesforce's rules for a JWT bearer assertion, as one list of small functions over a
//! [`Decoded`] token. `sfjwt check` runs them on the assertion it mints, `sfjwt decode` on the
//! one it is given: the same code, the same ids, the same words.
//!
//! Each rule gives a [`RuleResult`] with a stable id (see [`RULES`]), a status, a one-line
//! message and, unless it passes, a fix. A rule whose input is missing (no `--username` to
//! compare `sub` with, no `iat` in the token) is `skip`, with the reason.
//!
//! Sources: reference/salesforce-jwt.md §2.1 (header), §2.2 (`iss`), §2.3 (`sub`, `prn`),
//! §2.4 and §0.4 (`aud`, the Spring '26 My Domain change), §2.5 and §0.5 (`exp`: the 3-minute
//! rule is advice, far-future values are accepted, the Salesforce CLI sends milliseconds),
//! §2.6 (`iat`, `nbf`, `jti`, no `scope`), §1A rows 2-5 (the errors each mistake gives).

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::compact::{Decoded, EncodingIssue, json_kind};
use super::mint::ASSERTION_LIFETIME_SECS;
use super::times::{DateForm, NumericDate, describe_instant, relative, span};

mod audience;
mod dates;
mod header;
mod subject;

use crate::finding::{Judgement, Status};
use crate::salesforce::hosts::Rejection;
use crate::salesforce::hosts::{self, Environment, HostKind, LoginUrl};
use crate::salesforce::identity::{assess_consumer_key, assess_username, shorten_key};
use audience::aud;
use dates::{exp, iat, nbf};
use header::{alg, duplicates, encoding, header_unexpected, typ};
use subject::{iss, sub};

/// How far an `exp` may be in the past, or an `iat`/`nbf` in the future, before a rule goes
/// past `warn`: clocks drift. Salesforce does not document its own allowance
/// (salesforce-jwt.md §4), so sfjwt warns inside this window and fails beyond it.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// An `exp` at or above this many seconds (the year 5138) is not a date in seconds: it is
/// milliseconds, as the Salesforce CLI's `Date.now() + 300`.
const MILLIS_THRESHOLD: f64 = 1e11;

/// Longer than the documented 3 minutes but at most this long is `info`; longer is `warn`.
const LONG_WINDOW_SECS: f64 = 3600.0;
/// A lifetime (exp - iat) below this cannot absorb the clock skew between signer and Salesforce
/// plus the request's latency: the assertion may arrive expired.
const SHORT_WINDOW_SECS: f64 = 60.0;

/// The claims Salesforce reads or that are known to be harmless.
const KNOWN_CLAIMS: &[&str] = &["iss", "sub", "prn", "aud", "exp", "iat", "nbf", "jti"];

/// A claim rule's stable id, shown as evidence; never reused. The list of every rule is
/// [`RULES`], in the order [`lint`] reports them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr, strum::EnumIter,
)]
pub enum RuleId {
    #[strum(serialize = "encoding")]
    Encoding,
    #[strum(serialize = "duplicates")]
    Duplicates,
    #[strum(serialize = "alg")]
    Alg,
    #[strum(serialize = "typ")]
    Typ,
    #[strum(serialize = "header.unexpected")]
    HeaderUnexpected,
    #[strum(serialize = "iss.present")]
    IssPresent,
    #[strum(serialize = "iss.format")]
    IssFormat,
    #[strum(serialize = "iss.matches")]
    IssMatches,
    #[strum(serialize = "sub.present")]
    SubPresent,
    #[strum(serialize = "sub.format")]
    SubFormat,
    #[strum(serialize = "sub.matches")]
    SubMatches,
    #[strum(serialize = "aud.present")]
    AudPresent,
    #[strum(serialize = "aud.format")]
    AudFormat,
    #[strum(serialize = "aud.salesforce")]
    AudSalesforce,
    #[strum(serialize = "aud.matches")]
    AudMatches,
    #[strum(serialize = "exp.present")]
    ExpPresent,
    #[strum(serialize = "exp.unit")]
    ExpUnit,
    #[strum(serialize = "exp.expired")]
    ExpExpired,
    #[strum(serialize = "exp.window")]
    ExpWindow,
    #[strum(serialize = "iat")]
    Iat,
    #[strum(serialize = "nbf")]
    Nbf,
    #[strum(serialize = "claims.unexpected")]
    ClaimsUnexpected,
}

impl RuleId {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// A rule's metadata.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable id, shown as evidence; never reused.
    pub id: RuleId,
    /// The setup steps its fix points at.
    pub steps: &'static [u8],
    /// When the rule passes.
    pub passes_when: &'static str,
}

/// Every rule, in the order [`lint`] reports them.
pub static RULES: &[RuleInfo] = &[
    RuleInfo {
        id: RuleId::Encoding,
        steps: &[7],
        passes_when: "each part is base64url without padding (RFC 7515)",
    },
    RuleInfo {
        id: RuleId::Duplicates,
        steps: &[7],
        passes_when: "no header parameter or claim appears twice",
    },
    RuleInfo {
        id: RuleId::Alg,
        steps: &[7],
        passes_when: "the header's alg is RS256",
    },
    RuleInfo {
        id: RuleId::Typ,
        steps: &[7],
        passes_when: "the header has no typ, or typ JWT",
    },
    RuleInfo {
        id: RuleId::HeaderUnexpected,
        steps: &[7],
        passes_when: "the header has no parameters besides alg and typ",
    },
    RuleInfo {
        id: RuleId::IssPresent,
        steps: &[3, 7],
        passes_when: "iss is present and a string",
    },
    RuleInfo {
        id: RuleId::IssFormat,
        steps: &[3, 7],
        passes_when: "iss has the shape of a Salesforce consumer key",
    },
    RuleInfo {
        id: RuleId::IssMatches,
        steps: &[3, 7],
        passes_when: "iss is the consumer key given (--consumer-key)",
    },
    RuleInfo {
        id: RuleId::SubPresent,
        steps: &[6, 7],
        passes_when: "sub (or the legacy prn) is present and a string",
    },
    RuleInfo {
        id: RuleId::SubFormat,
        steps: &[6, 7],
        passes_when: "the subject has the shape of a Salesforce username",
    },
    RuleInfo {
        id: RuleId::SubMatches,
        steps: &[6, 7],
        passes_when: "the subject is the username given (--username)",
    },
    RuleInfo {
        id: RuleId::AudPresent,
        steps: &[5, 7],
        passes_when: "aud is present",
    },
    RuleInfo {
        id: RuleId::AudFormat,
        steps: &[5, 7],
        passes_when: "aud is one string with its scheme (https://...)",
    },
    RuleInfo {
        id: RuleId::AudSalesforce,
        steps: &[5, 7],
        passes_when: "aud is a Salesforce authorization server: login or test.salesforce.com, a My Domain, or an Experience Cloud site",
    },
    RuleInfo {
        id: RuleId::AudMatches,
        steps: &[5, 7],
        passes_when: "aud is the audience of the login URL given (--login-url)",
    },
    RuleInfo {
        id: RuleId::ExpPresent,
        steps: &[7],
        passes_when: "exp is present and an integer",
    },
    RuleInfo {
        id: RuleId::ExpUnit,
        steps: &[7],
        passes_when: "exp is in seconds, not milliseconds",
    },
    RuleInfo {
        id: RuleId::ExpExpired,
        steps: &[7],
        passes_when: "exp is after the instant of the run (--at, or now)",
    },
    RuleInfo {
        id: RuleId::ExpWindow,
        steps: &[7],
        passes_when: "exp is at most the documented 3 minutes ahead (after iat, or after the run's instant)",
    },
    RuleInfo {
        id: RuleId::Iat,
        steps: &[7],
        passes_when: "iat, when present, is a time in seconds not in the future",
    },
    RuleInfo {
        id: RuleId::Nbf,
        steps: &[7],
        passes_when: "nbf, when present, is not in the future",
    },
    RuleInfo {
        id: RuleId::ClaimsUnexpected,
        steps: &[7],
        passes_when: "the claims are only iss, sub (or prn), aud, exp, and optionally iat, nbf, jti",
    },
];

/// Looks a rule up by id.
pub fn rule(id: RuleId) -> &'static RuleInfo {
    RULES
        .iter()
        .find(|r| r.id == id)
        .expect("every RuleId is in RULES")
}

/// The result of one rule on one token: a [`Judgement`] (its code is the rule id) and the typed
/// id. Reads as the judgement (`r.status`, `r.message`, `r.fix`).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub id: RuleId,
    pub judgement: Judgement,
    /// The input check that judged this rule's value instead (`sfjwt check`: "see
    /// username.format"), when the rule left it to that check.
    pub left_to: Option<&'static str>,
}

impl RuleResult {
    /// The setup steps of the rule.
    pub fn steps(&self) -> &'static [u8] {
        rule(self.id).steps
    }
}

impl std::ops::Deref for RuleResult {
    type Target = Judgement;
    fn deref(&self) -> &Judgement {
        &self.judgement
    }
}

impl std::ops::DerefMut for RuleResult {
    fn deref_mut(&mut self) -> &mut Judgement {
        &mut self.judgement
    }
}

impl From<RuleResult> for Judgement {
    fn from(r: RuleResult) -> Judgement {
        r.judgement
    }
}

/// What the token is compared with, when known: the values the user configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expectations<'a> {
    pub consumer_key: Option<&'a str>,
    pub username: Option<&'a str>,
    /// The login URL as given (parsed here unless `login_url_parsed` has it; a bare host is
    /// accepted).
    pub login_url: Option<&'a str>,
    /// The login URL as the bundle parsed it once, when the caller has it.
    pub login_url_parsed: Option<&'a Result<LoginUrl, Rejection>>,
    /// The login URL's host declared a custom domain, for `login_url` parsed here.
    pub custom_domain: Option<hosts::CustomDomain>,
    /// Inputs an input check already judged, each by that check's id.
    pub judged: JudgedBy,
}

/// The ids of the input checks that already judged the username and the consumer key (`sfjwt
/// check`). A claim rule holding the same value then says "(see username.format)" where it would
/// fail or warn a second time for the same mistake; `sfjwt decode` leaves these `None`, and the
/// rules judge the claims alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct JudgedBy {
    pub username: Option<&'static str>,
    pub consumer_key: Option<&'static str>,
}

fn r(id: RuleId, status: Status, message: impl Into<String>, fix: Option<String>) -> RuleResult {
    RuleResult {
        id,
        judgement: Judgement::new(status, id.as_str(), message, fix),
        left_to: None,
    }
}

/// A rule whose value an input check already judged: a skip that points at that check.
fn left_to(id: RuleId, what: &str, check: &'static str) -> RuleResult {
    RuleResult {
        left_to: Some(check),
        ..skip(id, format!("{what} (see {check})"))
    }
}
fn pass(id: RuleId, message: impl Into<String>) -> RuleResult {
    r(id, Status::Pass, message, None)
}
/// "REASON (see RULE)": `id` could not be judged because `judged_by` found the problem.
fn see(id: RuleId, reason: &str, judged_by: RuleId) -> RuleResult {
    skip(id, format!("{reason} (see {judged_by})"))
}
fn skip(id: RuleId, message: impl Into<String>) -> RuleResult {
    r(id, Status::Skip, message, None)
}
fn info(id: RuleId, message: impl Into<String>) -> RuleResult {
    r(id, Status::Info, message, None)
}
fn info_fix(id: RuleId, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
    r(id, Status::Info, message, Some(fix.into()))
}
fn warn(id: RuleId, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
    r(id, Status::Warn, message, Some(fix.into()))
}
fn fail(id: RuleId, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
    r(id, Status::Fail, message, Some(fix.into()))
}

/// Runs every rule over the token, as of `at`.
pub fn lint(decoded: &Decoded, expect: &Expectations<'_>, at: OffsetDateTime) -> Vec<RuleResult> {
    let now = at.unix_timestamp() as f64;
    let h = &decoded.header;
    let c = &decoded.claims;
    let mut out = vec![
        encoding(decoded),
        duplicates(decoded),
        alg(h),
        typ(h),
        header_unexpected(h),
    ];
    out.extend(iss(c, expect.consumer_key, expect.judged.consumer_key));
    out.extend(sub(c, expect.username, expect.judged.username));
    out.extend(aud(c, expect));
    out.extend(exp(c, now, at));
    out.push(iat(c, now));
    out.push(nbf(c, now));
    out.push(claims_unexpected(c));
    out
}

fn claims_unexpected(c: &Map<String, Value>) -> RuleResult {
    let extra: Vec<String> = c
        .keys()
        .filter(|k| !KNOWN_CLAIMS.contains(&k.as_str()))
        .map(|k| crate::text::one_line(k))
        .collect();
    if extra.is_empty() {
        return pass(
            RuleId::ClaimsUnexpected,
            "no claims besides the ones Salesforce reads",
        );
    }
    let scope = if c.contains_key("scope") {
        "; no scope is needed: the scopes come from the app's settings and the user's approval"
    } else {
        ""
    };
    info(
        RuleId::ClaimsUnexpected,
        format!(
            "the claims also have {}: Salesforce doesn't use them and is not known to reject them{scope}",
            extra.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests;
