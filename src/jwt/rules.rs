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
use super::{printable, printable_str};
use crate::finding::Status;
use crate::salesforce::hosts::{self, Environment, HostKind, LoginUrl};
use crate::salesforce::identity::{assess_consumer_key, assess_username, shorten_key};

/// How far an `exp` may be in the past, or an `iat`/`nbf` in the future, before a rule goes
/// past `warn`: clocks drift. Salesforce does not document its own allowance
/// (salesforce-jwt.md §4), so sfjwt warns inside this window and fails beyond it.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// An `exp` at or above this many seconds (the year 5138) is not a date in seconds: it is
/// milliseconds, as the Salesforce CLI's `Date.now() + 300`.
const MILLIS_THRESHOLD: f64 = 1e11;

/// Longer than the documented 3 minutes but at most this long is `info`; longer is `warn`.
const LONG_WINDOW_SECS: f64 = 3600.0;

/// The claims Salesforce reads or that are known to be harmless.
const KNOWN_CLAIMS: &[&str] = &["iss", "sub", "prn", "aud", "exp", "iat", "nbf", "jti"];

/// A rule's metadata.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable id, shown as evidence; never reused.
    pub id: &'static str,
    /// The setup steps its fix points at.
    pub steps: &'static [u8],
    /// When the rule passes.
    pub passes_when: &'static str,
}

/// Every rule, in the order [`lint`] reports them.
pub static RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "encoding",
        steps: &[7],
        passes_when: "each part is base64url without padding (RFC 7515)",
    },
    RuleInfo {
        id: "duplicates",
        steps: &[7],
        passes_when: "no header parameter or claim appears twice",
    },
    RuleInfo {
        id: "alg",
        steps: &[7],
        passes_when: "the header's alg is RS256",
    },
    RuleInfo {
        id: "typ",
        steps: &[7],
        passes_when: "the header has no typ, or typ JWT",
    },
    RuleInfo {
        id: "header.unexpected",
        steps: &[7],
        passes_when: "the header has no parameters besides alg and typ",
    },
    RuleInfo {
        id: "iss.present",
        steps: &[3, 7],
        passes_when: "iss is present and a string",
    },
    RuleInfo {
        id: "iss.format",
        steps: &[3, 7],
        passes_when: "iss has the shape of a Salesforce consumer key",
    },
    RuleInfo {
        id: "iss.matches",
        steps: &[3, 7],
        passes_when: "iss is the consumer key given (--consumer-key)",
    },
    RuleInfo {
        id: "sub.present",
        steps: &[6, 7],
        passes_when: "sub (or the legacy prn) is present and a string",
    },
    RuleInfo {
        id: "sub.format",
        steps: &[6, 7],
        passes_when: "the subject has the shape of a Salesforce username",
    },
    RuleInfo {
        id: "sub.matches",
        steps: &[6, 7],
        passes_when: "the subject is the username given (--username)",
    },
    RuleInfo {
        id: "aud.present",
        steps: &[5, 7],
        passes_when: "aud is present",
    },
    RuleInfo {
        id: "aud.format",
        steps: &[5, 7],
        passes_when: "aud is one string with its scheme (https://...)",
    },
    RuleInfo {
        id: "aud.salesforce",
        steps: &[5, 7],
        passes_when: "aud is a Salesforce authorization server: login or test.salesforce.com, a My Domain, or an Experience Cloud site",
    },
    RuleInfo {
        id: "aud.matches",
        steps: &[5, 7],
        passes_when: "aud is the audience of the login URL given (--login-url)",
    },
    RuleInfo {
        id: "exp.present",
        steps: &[7],
        passes_when: "exp is present and an integer",
    },
    RuleInfo {
        id: "exp.unit",
        steps: &[7],
        passes_when: "exp is in seconds, not milliseconds",
    },
    RuleInfo {
        id: "exp.expired",
        steps: &[7],
        passes_when: "exp is after the instant of the run (--at, or now)",
    },
    RuleInfo {
        id: "exp.window",
        steps: &[7],
        passes_when: "exp is at most the documented 3 minutes ahead (after iat, or after the run's instant)",
    },
    RuleInfo {
        id: "iat",
        steps: &[7],
        passes_when: "iat, when present, is a time in seconds not in the future",
    },
    RuleInfo {
        id: "nbf",
        steps: &[7],
        passes_when: "nbf, when present, is not in the future",
    },
    RuleInfo {
        id: "claims.unexpected",
        steps: &[7],
        passes_when: "the claims are only iss, sub (or prn), aud, exp, and optionally iat, nbf, jti",
    },
];

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}

/// The result of one rule on one token.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub id: &'static str,
    pub status: Status,
    /// One line, plain words.
    pub message: String,
    /// What to change; `None` when it passes or is skipped.
    pub fix: Option<String>,
}

impl RuleResult {
    /// The setup steps of the rule.
    pub fn steps(&self) -> &'static [u8] {
        rule(self.id).map_or(&[7], |r| r.steps)
    }
}

/// What the token is compared with, when known: the values the user configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expectations<'a> {
    pub consumer_key: Option<&'a str>,
    pub username: Option<&'a str>,
    /// The login URL as given (parsed here; a bare host is accepted).
    pub login_url: Option<&'a str>,
}

fn r(
    id: &'static str,
    status: Status,
    message: impl Into<String>,
    fix: Option<String>,
) -> RuleResult {
    debug_assert!(rule(id).is_some(), "unknown rule id {id}");
    RuleResult {
        id,
        status,
        message: message.into(),
        fix,
    }
}
fn pass(id: &'static str, message: impl Into<String>) -> RuleResult {
    r(id, Status::Pass, message, None)
}
fn skip(id: &'static str, message: impl Into<String>) -> RuleResult {
    r(id, Status::Skip, message, None)
}
fn info(id: &'static str, message: impl Into<String>) -> RuleResult {
    r(id, Status::Info, message, None)
}
fn info_fix(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
    r(id, Status::Info, message, Some(fix.into()))
}
fn warn(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
    r(id, Status::Warn, message, Some(fix.into()))
}
fn fail(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> RuleResult {
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
    out.extend(iss(c, expect.consumer_key));
    out.extend(sub(c, expect.username));
    out.extend(aud(c, expect.login_url));
    out.extend(exp(c, now, at));
    out.push(iat(c, now));
    out.push(nbf(c, now));
    out.push(claims_unexpected(c));
    out
}

// --- encoding --------------------------------------------------------------------------------

fn encoding(d: &Decoded) -> RuleResult {
    const FIX: &str = "Encode each part with base64url (RFC 4648 §5) without padding: - and _ instead of + and /, and no trailing =. Most JWT libraries do this; hand-built tokens often use plain base64.";
    if d.encoding.contains(&EncodingIssue::StandardAlphabet) {
        fail(
            "encoding",
            "the token uses the standard base64 alphabet (+ or /), not base64url (- and _): JWT decoders, Salesforce's among them, read it as a different token or reject it (invalid assertion)",
            FIX,
        )
    } else if d.encoding.contains(&EncodingIssue::Padding) {
        warn(
            "encoding",
            "the token's parts end in = padding, which JWS compact serialization forbids; whether Salesforce tolerates it is not documented",
            FIX,
        )
    } else {
        pass("encoding", "the parts are base64url without padding")
    }
}

fn duplicates(d: &Decoded) -> RuleResult {
    if d.duplicates.is_empty() {
        pass("duplicates", "no header parameter or claim appears twice")
    } else {
        warn(
            "duplicates",
            format!(
                "{} more than once; sfjwt shows the last value, but which one Salesforce reads is not documented",
                d.duplicates.join(", ")
            ),
            "Send each header parameter and claim once.",
        )
    }
}

// --- header ----------------------------------------------------------------------------------

const ALG_FIX: &str = "Build the header as {\"alg\":\"RS256\"} and sign header.payload with SHA256withRSA using the private key whose certificate is uploaded to the app (jsonwebtoken: Algorithm::RS256; Node jsonwebtoken: algorithm: 'RS256'; PyJWT: algorithm='RS256').";

fn alg(h: &Map<String, Value>) -> RuleResult {
    let Some(v) = h.get("alg") else {
        return fail(
            "alg",
            "the header has no alg; Salesforce requires {\"alg\":\"RS256\"}",
            ALG_FIX,
        );
    };
    let Some(alg) = v.as_str() else {
        return fail(
            "alg",
            format!("the header's alg is {}, not a string", printable(v, true)),
            ALG_FIX,
        );
    };
    let shown = printable_str(alg);
    let upper = alg.to_ascii_uppercase();
    if alg == "RS256" {
        pass(
            "alg",
            "alg is RS256 (SHA256withRSA), as Salesforce requires",
        )
    } else if upper == "RS256" {
        fail(
            "alg",
            format!(
                "alg is {shown}: algorithm names are case-sensitive, and Salesforce requires RS256"
            ),
            ALG_FIX,
        )
    } else if upper == "NONE" {
        fail(
            "alg",
            "alg is none: the token is unsigned, and Salesforce accepts only RS256-signed assertions (invalid assertion)",
            ALG_FIX,
        )
    } else if upper.starts_with("HS") {
        fail(
            "alg",
            format!(
                "alg is {shown}, an HMAC with a shared secret: Salesforce verifies the assertion with the uploaded certificate's public key, so it must be RS256 (signing with the consumer secret is a common mix-up)"
            ),
            ALG_FIX,
        )
    } else if upper.starts_with("ES") || upper == "EDDSA" {
        fail(
            "alg",
            format!(
                "alg is {shown}, an elliptic-curve signature: Salesforce documents only RS256, and EC keys are reported not to work for this flow"
            ),
            ALG_FIX,
        )
    } else {
        fail(
            "alg",
            format!("alg is {shown}: Salesforce documents only RS256"),
            ALG_FIX,
        )
    }
}

fn typ(h: &Map<String, Value>) -> RuleResult {
    match h.get("typ") {
        None => pass("typ", "no typ (optional)"),
        Some(Value::String(t)) if t.eq_ignore_ascii_case("JWT") => {
            pass("typ", format!("typ is {} (accepted)", printable_str(t)))
        }
        Some(v) => info_fix(
            "typ",
            format!(
                "typ is {}; Salesforce's doc header has no typ, and JWT is the usual value when one is sent",
                printable(v, true)
            ),
            "Send {\"alg\":\"RS256\"} alone, or with \"typ\":\"JWT\".",
        ),
    }
}

fn header_unexpected(h: &Map<String, Value>) -> RuleResult {
    let extra: Vec<String> = h
        .keys()
        .filter(|k| *k != "alg" && *k != "typ")
        .map(|k| printable_str(k))
        .collect();
    if extra.is_empty() {
        return pass(
            "header.unexpected",
            "the header has only alg and typ, if any",
        );
    }
    if h.contains_key("crit") {
        return warn(
            "header.unexpected",
            format!(
                "the header has crit (and {}): it names extensions a verifier must understand or reject the token, and Salesforce documents none",
                extra.join(", ")
            ),
            "Drop crit from the header; send {\"alg\":\"RS256\"}.",
        );
    }
    info(
        "header.unexpected",
        format!(
            "the header also has {}: Salesforce doesn't need it (one certificate per app, no kid or x5t) and is not known to read it",
            extra.join(", ")
        ),
    )
}

// --- iss -------------------------------------------------------------------------------------

const ISS_FIX: &str = "Put the app's Consumer Key in iss: Setup > App Manager (or External Client App Manager) > the app > Settings > OAuth Settings > Consumer Key and Secret.";

fn iss(c: &Map<String, Value>, expected: Option<&str>) -> Vec<RuleResult> {
    let iss = match c.get("iss") {
        None => {
            return vec![
                fail(
                    "iss.present",
                    "there is no iss claim: Salesforce finds the app by it (invalid_client_id / client identifier invalid)",
                    ISS_FIX,
                ),
                skip("iss.format", "no iss (see iss.present)"),
                skip("iss.matches", "no iss (see iss.present)"),
            ];
        }
        Some(Value::String(s)) => s.as_str(),
        Some(v) => {
            return vec![
                fail(
                    "iss.present",
                    format!("iss is {}, not a string", json_kind(v)),
                    ISS_FIX,
                ),
                skip("iss.format", "iss is not a string (see iss.present)"),
                skip("iss.matches", "iss is not a string (see iss.present)"),
            ];
        }
    };
    let a = assess_consumer_key(iss);
    let format = r("iss.format", a.status, format!("iss: {}", a.message), a.fix);
    let matches = match expected {
        None => skip(
            "iss.matches",
            "no consumer key was given to compare iss with (--consumer-key)",
        ),
        Some(key) if key == iss => pass("iss.matches", "iss is the consumer key given"),
        Some(key) if key.trim() == iss.trim() => fail(
            "iss.matches",
            "iss and the consumer key given differ only in whitespace around them; Salesforce compares them exactly (client identifier invalid)",
            "Trim the whitespace where iss is set, or from the consumer key given.",
        ),
        Some(key) => fail(
            "iss.matches",
            format!(
                "iss {} is not the consumer key given ({}): Salesforce would look up another app (invalid_client_id / client identifier invalid)",
                key_label(iss),
                key_label(key)
            ),
            format!("{ISS_FIX} Use the same value where the token is built and in --consumer-key."),
        ),
    };
    vec![pass("iss.present", "iss is present"), format, matches]
}

/// A consumer key as messages show it: its first 8 characters, or nothing when it is no key.
fn key_label(key: &str) -> String {
    let t = key.trim();
    if t.starts_with("3MVG") {
        shorten_key(t)
    } else {
        format!("({} characters, not shown)", key.chars().count())
    }
}

// --- sub -------------------------------------------------------------------------------------

const SUB_FIX: &str = "Put the Username of the user the integration acts as in sub: Setup > Users > the user > Username (not the Email).";

fn sub(c: &Map<String, Value>, expected: Option<&str>) -> Vec<RuleResult> {
    let skip_rest = |why: &str| {
        vec![
            skip("sub.format", format!("{why} (see sub.present)")),
            skip("sub.matches", format!("{why} (see sub.present)")),
        ]
    };
    let sub = c.get("sub");
    let prn = c.get("prn");
    let (present, subject) = match (sub, prn) {
        (None, None) => {
            let mut v = vec![fail(
                "sub.present",
                "there is no sub claim: Salesforce doesn't know which user the assertion is for (user hasn't approved this consumer)",
                SUB_FIX,
            )];
            v.extend(skip_rest("no sub"));
            return v;
        }
        (_, Some(p)) if !p.is_string() => {
            let mut v = vec![fail(
                "sub.present",
                format!(
                    "prn is {}, not a string; Salesforce reads prn before sub",
                    json_kind(p)
                ),
                "Drop prn and send the username in sub.",
            )];
            v.extend(skip_rest("prn is not a string"));
            return v;
        }
        (Some(s), None) if !s.is_string() => {
            let mut v = vec![fail(
                "sub.present",
                format!("sub is {}, not a string", json_kind(s)),
                SUB_FIX,
            )];
            v.extend(skip_rest("sub is not a string"));
            return v;
        }
        (Some(s), None) => (
            pass("sub.present", "sub is present"),
            s.as_str().unwrap_or_default(),
        ),
        (None, Some(p)) => (
            info_fix(
                "sub.present",
                "the subject is in the legacy prn claim, which Salesforce still accepts; sub is the documented name",
                "Send the username in sub instead of prn.",
            ),
            p.as_str().unwrap_or_default(),
        ),
        (Some(s), Some(p)) => {
            let p = p.as_str().unwrap_or_default();
            if s.as_str() == Some(p) {
                (
                    info_fix(
                        "sub.present",
                        "both sub and the legacy prn are present, with the same value; Salesforce reads prn",
                        "Send sub only.",
                    ),
                    p,
                )
            } else {
                (
                    warn(
                        "sub.present",
                        format!(
                            "both sub ({}) and the legacy prn ({}) are present and differ: when both are given, Salesforce uses prn",
                            printable(s, true),
                            hosts::shown(p)
                        ),
                        "Send the username in sub only, and drop prn.",
                    ),
                    p,
                )
            }
        }
    };
    let claim = if prn.is_some() { "prn" } else { "sub" };
    let a = assess_username(subject);
    let format = r(
        "sub.format",
        a.status,
        format!("{claim}: {}", a.message),
        a.fix,
    );
    let matches = match expected {
        None => skip(
            "sub.matches",
            "no username was given to compare the subject with (--username)",
        ),
        Some(u) if u == subject => pass("sub.matches", format!("{claim} is the username given")),
        Some(u) if u.eq_ignore_ascii_case(subject) => warn(
            "sub.matches",
            format!(
                "{claim} {} and the username given {} differ only in case; whether Salesforce matches usernames case-insensitively here is not documented",
                hosts::shown(subject),
                hosts::shown(u)
            ),
            "Use the Username exactly as Setup > Users shows it, in both places.",
        ),
        Some(u) => fail(
            "sub.matches",
            format!(
                "{claim} {} is not the username given ({}): the assertion acts for another user, or none (user hasn't approved this consumer)",
                hosts::shown(subject),
                hosts::shown(u)
            ),
            format!("{SUB_FIX} Use the same value where the token is built and in --username."),
        ),
    };
    vec![present, format, matches]
}

// --- aud -------------------------------------------------------------------------------------

const AUD_FIX: &str = "Set aud to the authorization server URL as one string: https://login.salesforce.com (production), https://test.salesforce.com (sandbox), your My Domain URL (required by some External Client Apps since Spring '26; then use it as the login URL too), or the Experience Cloud site URL.";

const SPRING_26: &str = "since Spring '26, External Client Apps on some orgs reject the generic login.salesforce.com / test.salesforce.com aud with app_not_found (\"External client app is not installed in this org\"): then use the My Domain URL for both aud and the token endpoint";

fn aud(c: &Map<String, Value>, login_url: Option<&str>) -> Vec<RuleResult> {
    let skip_rest = |why: &str| {
        vec![
            skip("aud.format", format!("{why} (see aud.present)")),
            skip("aud.salesforce", format!("{why} (see aud.present)")),
            skip("aud.matches", format!("{why} (see aud.present)")),
        ]
    };
    let Some(value) = c.get("aud") else {
        let mut v = vec![fail(
            "aud.present",
            "there is no aud claim: Salesforce requires the authorization server URL there (audience is invalid)",
            AUD_FIX,
        )];
        v.extend(skip_rest("no aud"));
        return v;
    };
    let mut out = vec![pass("aud.present", "aud is present")];
    let aud: &str = match value {
        Value::String(s) => s,
        Value::Array(items) => {
            let hint = match items.as_slice() {
                [Value::String(one)] => {
                    format!(" Send it as the string \"{}\".", printable_str(one))
                }
                _ => String::new(),
            };
            out.push(fail(
                "aud.format",
                format!(
                    "aud is an array ({}); JWT allows that, but Salesforce needs one string and answers audience is invalid",
                    printable(value, false)
                ),
                format!("{AUD_FIX}{hint}"),
            ));
            out.push(skip(
                "aud.salesforce",
                "aud is not a string (see aud.format)",
            ));
            out.push(skip("aud.matches", "aud is not a string (see aud.format)"));
            return out;
        }
        other => {
            out.push(fail(
                "aud.format",
                format!("aud is {}, not a string", json_kind(other)),
                AUD_FIX,
            ));
            out.push(skip(
                "aud.salesforce",
                "aud is not a string (see aud.format)",
            ));
            out.push(skip("aud.matches", "aud is not a string (see aud.format)"));
            return out;
        }
    };
    let shown = hosts::shown(aud);
    out.push(if aud.chars().any(char::is_whitespace) || aud.is_empty() {
        fail(
            "aud.format",
            format!("aud {shown} is empty or has whitespace; Salesforce compares it exactly (audience is invalid)"),
            AUD_FIX,
        )
    } else if !aud.contains("://") {
        fail(
            "aud.format",
            format!(
                "aud {shown} is a host without a scheme; Salesforce needs the URL with https:// and answers audience is invalid"
            ),
            format!("Use https://{aud}. {AUD_FIX}"),
        )
    } else if aud.ends_with('/') {
        warn(
            "aud.format",
            format!(
                "aud {shown} ends in a slash; working clients have sent it, but whether Salesforce always ignores it is not documented"
            ),
            format!("Use {}.", aud.trim_end_matches('/')),
        )
    } else {
        pass("aud.format", format!("aud {shown} is one string with its scheme"))
    });

    let parsed = hosts::parse(aud);
    out.push(match &parsed {
        Err(rej) => fail(
            "aud.salesforce",
            if rej.message.contains("the login URL") {
                rej.message.replacen("the login URL", "aud", 1)
            } else {
                format!("aud {shown}: {}", rej.message)
            },
            match &rej.suggestion {
                Some(s) => format!("Use {s}. {AUD_FIX}"),
                None => AUD_FIX.to_string(),
            },
        ),
        Ok(url) => aud_kind(url, &shown),
    });

    out.push(match login_url {
        None => skip(
            "aud.matches",
            "no login URL was given to compare aud with (--login-url)",
        ),
        Some(login) => match (hosts::parse(login), &parsed) {
            (Err(rej), _) => warn(
                "aud.matches",
                format!(
                    "the login URL given can't be used, so aud was not compared with it: {}",
                    rej.message
                ),
                rej.fix,
            ),
            (_, Err(_)) => skip(
                "aud.matches",
                "aud is not a Salesforce URL (see aud.salesforce)",
            ),
            (Ok(login), Ok(aud_url)) => aud_matches(aud, aud_url, &login),
        },
    });
    out
}

fn aud_kind(url: &LoginUrl, shown: &str) -> RuleResult {
    if !url.warnings.is_empty() {
        let problems: Vec<&str> = url.warnings.iter().map(|w| w.message.as_str()).collect();
        let fixes: Vec<&str> = url.warnings.iter().map(|w| w.fix.as_str()).collect();
        return warn(
            "aud.salesforce",
            format!(
                "aud {shown} is {}, but {}; aud should be exactly the authorization server URL",
                url.describe(),
                problems.join("; ")
            ),
            fixes.join(" "),
        );
    }
    match url.kind {
        HostKind::Production | HostKind::Sandbox => pass(
            "aud.salesforce",
            format!("aud {shown} is {}", url.describe()),
        ),
        HostKind::MyDomain
        | HostKind::MyDomainSandbox
        | HostKind::MyDomainPartition(_)
        | HostKind::ExperienceCloudSite
        | HostKind::LegacySite => pass(
            "aud.salesforce",
            format!(
                "aud {shown} is {}: accepted when the assertion is posted to that host (and required there by some External Client Apps since Spring '26)",
                url.describe()
            ),
        ),
        HostKind::Loopback => info(
            "aud.salesforce",
            format!("aud {shown} is {}: for tests only", url.describe()),
        ),
        HostKind::LegacyInstance
        | HostKind::LegacySandboxInstance
        | HostKind::UnrecognisedSalesforce => warn(
            "aud.salesforce",
            format!(
                "aud {shown} is {}, not an authorization server Salesforce documents as an aud",
                url.describe()
            ),
            AUD_FIX,
        ),
    }
}

fn aud_matches(aud: &str, aud_url: &LoginUrl, login: &LoginUrl) -> RuleResult {
    let base = aud_url.base_url();
    let accepted = login.accepted_audiences();
    let default = login.default_audience();
    let login_shown = login.base_url();
    let normalised = aud.trim_end_matches('/');
    if normalised == default || base == default {
        let note = if login.kind.is_generic() {
            "; if an External Client App answers app_not_found, use the My Domain URL for both aud and the login URL (a Spring '26 change)".to_string()
        } else {
            String::new()
        };
        return pass(
            "aud.matches",
            format!("aud is the audience of the login URL {login_shown}{note}"),
        );
    }
    if accepted.iter().any(|a| a == normalised || *a == base) {
        return info_fix(
            "aud.matches",
            format!(
                "aud {} is the generic host of the login URL's environment, which Salesforce accepts with {login_shown}; but {SPRING_26}",
                hosts::shown(aud)
            ),
            format!("If Salesforce answers app_not_found, use {default} as aud."),
        );
    }
    let fix = format!(
        "Use {default} as aud when posting to {}, or change the login URL to the server the aud names.",
        login.token_endpoint()
    );
    let (ae, le) = (effective_environment(aud_url), effective_environment(login));
    if ae != Environment::Unknown && le != Environment::Unknown && ae != le {
        return fail(
            "aud.matches",
            format!(
                "aud {} is a {ae} audience, but the login URL {login_shown} is a {le} host: Salesforce answers audience is invalid",
                hosts::shown(aud)
            ),
            fix,
        );
    }
    if aud_url.kind.is_generic() || login.kind.is_generic() {
        return warn(
            "aud.matches",
            format!(
                "aud {} names another server than the login URL {login_shown}; Salesforce expects the aud to name the server the assertion is posted to, and mixed pairs work only on some orgs",
                hosts::shown(aud)
            ),
            fix,
        );
    }
    fail(
        "aud.matches",
        format!(
            "aud {} names another org or site than the login URL {login_shown}: Salesforce answers audience is invalid",
            hosts::shown(aud)
        ),
        fix,
    )
}

fn effective_environment(url: &LoginUrl) -> Environment {
    match url.kind {
        HostKind::Loopback => Environment::Unknown,
        _ => url.environment,
    }
}

// --- exp, iat, nbf ---------------------------------------------------------------------------

const EXP_FIX: &str = "Set exp to the current UTC time in whole seconds plus 180 when the assertion is built, e.g. Math.floor(Date.now() / 1000) + 180 in JavaScript, int(time.time()) + 180 in Python.";

fn exp(c: &Map<String, Value>, now: f64, at: OffsetDateTime) -> Vec<RuleResult> {
    let skip_rest = |why: &str| {
        vec![
            skip("exp.unit", format!("{why} (see exp.present)")),
            skip("exp.expired", format!("{why} (see exp.present)")),
            skip("exp.window", format!("{why} (see exp.present)")),
        ]
    };
    let Some(raw) = c.get("exp") else {
        let mut v = vec![fail(
            "exp.present",
            "there is no exp claim: Salesforce requires the assertion's expiry",
            EXP_FIX,
        )];
        v.extend(skip_rest("no exp"));
        return v;
    };
    let date = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            let mut v = vec![fail(
                "exp.present",
                format!("exp is {what}, not a number of seconds"),
                EXP_FIX,
            )];
            v.extend(skip_rest("exp is not a number"));
            return v;
        }
    };
    let shown = printable(raw, true);
    let mut out = vec![match date.form {
        DateForm::Integer => pass("exp.present", format!("exp is {shown}")),
        DateForm::String => warn(
            "exp.present",
            format!(
                "exp is the string {shown}; Salesforce's own doc example does this and it is accepted, but RFC 7519 wants a number"
            ),
            EXP_FIX,
        ),
        DateForm::Fraction => warn(
            "exp.present",
            format!("exp {shown} has a fraction; Salesforce's doc asks for whole seconds"),
            EXP_FIX,
        ),
    }];

    let secs = date.seconds;
    let millis = secs >= MILLIS_THRESHOLD;
    out.push(if millis && secs / 1000.0 < MILLIS_THRESHOLD {
        warn(
            "exp.unit",
            format!(
                "exp {shown} looks like milliseconds since 1970 ({} as milliseconds), not seconds: read as seconds, as Salesforce reads it, it is {}. The Salesforce CLI sends Date.now() + 300 this way, and Salesforce accepts it today, but the assertion then never expires in practice",
                describe_instant(secs / 1000.0),
                describe_instant(secs)
            ),
            EXP_FIX,
        )
    } else if millis {
        warn(
            "exp.unit",
            format!("exp {shown} is far too large for a time in seconds (it is {})", describe_instant(secs)),
            EXP_FIX,
        )
    } else {
        pass("exp.unit", "exp is in seconds")
    });

    let delta = secs - now;
    let when = format!("{} ({})", describe_instant(secs), relative(delta));
    let at_shown = crate::text::rfc3339(at);
    out.push(if delta > 0.0 {
        pass("exp.expired", format!("exp is {when}"))
    } else if delta >= -(CLOCK_SKEW_SECS as f64) {
        warn(
            "exp.expired",
            format!(
                "exp is {when}: expired as of {at_shown}, by less than the {CLOCK_SKEW_SECS} s of clock skew sfjwt allows; Salesforce's own allowance is not documented, and past it the answer is invalid_grant / expired authorization code"
            ),
            format!("{EXP_FIX} Keep the machine's clock in sync (NTP)."),
        )
    } else {
        let duration = if (0.0..1e9).contains(&secs) {
            format!(
                " (exp {shown} looks like a lifetime in seconds, not an instant: exp is the moment of expiry)"
            )
        } else {
            String::new()
        };
        fail(
            "exp.expired",
            format!(
                "exp is {when}: expired as of {at_shown}, by {}; Salesforce answers invalid_grant / expired authorization code{duration}",
                span(delta)
            ),
            format!(
                "{EXP_FIX} Build a new assertion for each login, in UTC (time.mktime(datetime.utcnow().timetuple()) is a classic bug in timezones ahead of UTC), and keep the clock in sync. If this token came from a log, decode it with --at set to when it was sent."
            ),
        )
    });

    out.push(if millis {
        skip("exp.window", "exp is not in seconds (see exp.unit)")
    } else {
        window(c, secs, delta, &at_shown)
    });
    out
}

fn window(c: &Map<String, Value>, exp: f64, delta: f64, at_shown: &str) -> RuleResult {
    let iat = c
        .get("iat")
        .and_then(|v| NumericDate::read(v).ok())
        .filter(|d| d.seconds < MILLIS_THRESHOLD);
    let (lifetime, from) = match iat {
        Some(i) => (exp - i.seconds, "iat".to_string()),
        None => (delta, at_shown.to_string()),
    };
    if lifetime <= 0.0 {
        return match iat {
            Some(_) => fail(
                "exp.window",
                "exp is not after iat: the assertion was expired when it was made",
                EXP_FIX,
            ),
            None => skip("exp.window", "exp has passed (see exp.expired)"),
        };
    }
    let documented = ASSERTION_LIFETIME_SECS as f64;
    let long = format!("exp is {} after {from}", span(lifetime));
    if lifetime <= documented {
        pass(
            "exp.window",
            format!("{long}, within the documented 3 minutes"),
        )
    } else if lifetime <= LONG_WINDOW_SECS {
        info_fix(
            "exp.window",
            format!(
                "{long}, longer than the documented 3 minutes; Salesforce accepts longer windows in practice, but a leaked assertion stays usable that long"
            ),
            EXP_FIX,
        )
    } else {
        warn(
            "exp.window",
            format!(
                "{long}, far longer than the documented 3 minutes; Salesforce accepts it in practice, but a leaked assertion stays usable for {}",
                span(lifetime)
            ),
            EXP_FIX,
        )
    }
}

fn iat(c: &Map<String, Value>, now: f64) -> RuleResult {
    let Some(raw) = c.get("iat") else {
        return skip("iat", "no iat (optional; Salesforce's doc doesn't use it)");
    };
    const FIX: &str = "Set iat to the current UTC time in whole seconds, or leave it out.";
    let d = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            return warn(
                "iat",
                format!("iat is {what}, not a number of seconds"),
                FIX,
            );
        }
    };
    if d.seconds >= MILLIS_THRESHOLD {
        return warn(
            "iat",
            format!(
                "iat {} looks like milliseconds, not seconds",
                printable(raw, true)
            ),
            FIX,
        );
    }
    let delta = d.seconds - now;
    let when = format!("{} ({})", describe_instant(d.seconds), relative(delta));
    if delta > CLOCK_SKEW_SECS as f64 {
        warn(
            "iat",
            format!(
                "iat is {when}, in the future: the clock of the machine that made the assertion is ahead"
            ),
            format!("{FIX} Keep the clock in sync (NTP)."),
        )
    } else {
        pass("iat", format!("iat is {when}"))
    }
}

fn nbf(c: &Map<String, Value>, now: f64) -> RuleResult {
    let Some(raw) = c.get("nbf") else {
        return skip("nbf", "no nbf (optional)");
    };
    const FIX: &str = "Leave nbf out, or set it to the current UTC time in whole seconds.";
    let d = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            return warn(
                "nbf",
                format!("nbf is {what}, not a number of seconds"),
                FIX,
            );
        }
    };
    let delta = d.seconds - now;
    let when = format!("{} ({})", describe_instant(d.seconds), relative(delta));
    if delta > CLOCK_SKEW_SECS as f64 {
        warn(
            "nbf",
            format!(
                "nbf is {when}: the assertion is not valid before then; whether Salesforce checks nbf is not documented, but if it does, it rejects the assertion until then"
            ),
            FIX,
        )
    } else {
        pass("nbf", format!("nbf is {when}"))
    }
}

fn claims_unexpected(c: &Map<String, Value>) -> RuleResult {
    let extra: Vec<String> = c
        .keys()
        .filter(|k| !KNOWN_CLAIMS.contains(&k.as_str()))
        .map(|k| printable_str(k))
        .collect();
    if extra.is_empty() {
        return pass(
            "claims.unexpected",
            "no claims besides the ones Salesforce reads",
        );
    }
    let scope = if c.contains_key("scope") {
        "; no scope is needed: the scopes come from the app's settings and the user's approval"
    } else {
        ""
    };
    info(
        "claims.unexpected",
        format!(
            "the claims also have {}: Salesforce doesn't use them and is not known to reject them{scope}",
            extra.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests;
