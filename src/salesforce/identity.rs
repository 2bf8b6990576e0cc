//! The shapes of usernames, consumer keys and consumer secrets, and whether a username fits the
//! environment of a login URL. Pure functions: no network, no panics on any input.
//!
//! Sources: salesforce-jwt.md §3.1 (consumer key), §3.2 (consumer secret), §3.3 (username),
//! §2.3 (`sub`), §1A row 1 (a username from the wrong org gives "user hasn't approved this
//! consumer").
//!
//! Every [`Assessment`] message is one line. Messages about the consumer key show at most its
//! first 8 characters ([`shorten_key`]), and none when the value looks like a secret; messages
//! about the consumer secret never show any of it.

use crate::finding::Status;

use super::hosts::{Environment, HostKind, LoginUrl, Partition, describe_whitespace, shown};

/// The Username field of a Salesforce user holds at most 80 characters.
pub const MAX_USERNAME_LEN: usize = 80;

/// Every consumer key seen in the wild is `3MVG9` and 80 more of these characters: 85 in all.
pub const CONSUMER_KEY_LEN: usize = 85;

/// Sandbox-name suffixes that are common enough to suspect on a production host. Trailing digits
/// are ignored (`uat2`, `dev1`).
pub const TYPICAL_SANDBOX_SUFFIXES: &[&str] = &[
    "dev", "uat", "qa", "test", "staging", "stage", "full", "partial", "sit", "int", "preprod",
    "sandbox", "sbx", "devint", "hotfix", "training",
];

/// Top-level domains common in usernames: a compact list, enough to tell `acme.com.uat` (sandbox
/// suffix `uat`) from `acme.co.uk`. It is deliberately short, so the checks that use it say they
/// are heuristics.
#[rustfmt::skip]
pub const COMMON_TLDS: &[&str] = &[
    // generic
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "io", "co",
    "ai", "app", "dev", "cloud", "tech", "online", "site", "store", "shop", "xyz", "me", "tv",
    "cc", "us", "eu", "asia", "global", "group", "agency", "digital", "solutions", "services",
    "systems", "company", "email", "network", "world", "life", "health", "bank", "insurance",
    "law", "consulting", "energy", "media", "studio", "team", "work", "inc", "llc", "ltd",
    // country codes
    "ac", "ae", "ar", "at", "au", "be", "bg", "br", "by", "ca", "ch", "cl", "cn", "cz", "de", "dk",
    "ee", "eg", "es", "fi", "fr", "gr", "hk", "hr", "hu", "id", "ie", "il", "in", "is", "it", "jp",
    "ke", "kr", "lt", "lu", "lv", "ma", "mx", "my", "ng", "nl", "no", "nz", "pe", "ph", "pk", "pl",
    "pt", "qa", "ro", "rs", "ru", "sa", "se", "sg", "si", "sk", "th", "tr", "tw", "ua", "uk", "uy",
    "vn", "za",
];

/// Second-level registrations under a country code that are not sandbox suffixes
/// (`acme.co.uk`, not `acme.co` + `.uk`).
#[rustfmt::skip]
const COMPOUND_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "edu.au", "gov.au",
    "co.nz", "co.jp", "co.in", "co.za", "co.kr", "co.il", "com.br", "com.mx", "com.sg", "com.hk",
    "com.cn", "com.tr", "com.ar", "com.my", "com.ph", "com.tw", "com.pk", "com.eg", "com.sa",
    "com.ua", "com.pe", "com.uy", "com.vn", "co.th", "co.id", "co.ke",
];

/// A verdict on one value: status, a stable code, a one-line message and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub status: Status,
    /// Stable identifier of the branch taken, used as evidence.
    pub code: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl Assessment {
    fn new(status: Status, code: &'static str, message: String, fix: Option<String>) -> Self {
        Assessment {
            status,
            code,
            message,
            fix,
        }
    }
    fn pass(code: &'static str, message: String) -> Self {
        Self::new(Status::Pass, code, message, None)
    }
    fn info(code: &'static str, message: String) -> Self {
        Self::new(Status::Info, code, message, None)
    }
    fn skip(code: &'static str, message: String) -> Self {
        Self::new(Status::Skip, code, message, None)
    }
    fn warn(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Self::new(Status::Warn, code, message, Some(fix.into()))
    }
    fn fail(code: &'static str, message: String, fix: impl Into<String>) -> Self {
        Self::new(Status::Fail, code, message, Some(fix.into()))
    }
}

fn is_invisible(c: char) -> bool {
    super::hosts::is_invisible(c)
}

fn is_quote(c: char) -> bool {
    super::hosts::is_quote(c)
}

// ---------------------------------------------------------------------------------------------
// Username

/// A username split at its `@`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsernameParts<'a> {
    pub local: &'a str,
    pub domain: &'a str,
}

/// Splits `local@domain` at its only `@`; `None` unless both sides are non-empty.
pub fn split_username(username: &str) -> Option<UsernameParts<'_>> {
    let (local, domain) = username.split_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return None;
    }
    Some(UsernameParts { local, domain })
}

/// A 15- or 18-character Salesforce record Id with the given 3-character key prefix.
fn is_record_id(s: &str, prefix: &str) -> bool {
    (s.len() == 15 || s.len() == 18)
        && s.starts_with(prefix)
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn has_percent_escape(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

const LOCAL_SPECIALS: &str = ".!#$%&'*+/=?^_`{|}~-";

const FIND_USERNAME: &str = "In Salesforce, open Setup > Users, open the user whose profile or permission set the app allows, and copy the Username field (not the Email)";

/// Whether a username has the shape Salesforce requires (`local@domain.tld`, at most 80
/// characters), and if not, what the value looks like instead.
pub fn assess_username(username: &str) -> Assessment {
    let fail = |code, message: String| Assessment::fail(code, message, format!("{FIND_USERNAME}."));
    if username.trim().is_empty() {
        return fail(
            "empty",
            if username.is_empty() {
                "the username is empty".into()
            } else {
                format!("the username is only whitespace ({})", shown(username))
            },
        );
    }
    if let Some(shape) = crate::lookalike::secret_shape(username) {
        return Assessment::fail(
            "looks-like-secret",
            format!(
                "the username is {} ({} characters; not shown), not a username: a value meant for another setting was given here",
                shape.what,
                username.chars().count()
            ),
            format!("Give the username the JWT acts for. {FIND_USERNAME}."),
        );
    }
    let trimmed = username.trim();
    if trimmed.starts_with(is_quote) || trimmed.ends_with(is_quote) {
        return Assessment::fail(
            "quoted",
            format!(
                "the username {} has quotes around it, which become part of the value",
                shown(username)
            ),
            format!("Remove the quotes: use {}.", trimmed.trim_matches(is_quote)),
        );
    }
    if username.contains(['<', '>']) {
        let inner = username
            .split_once('<')
            .and_then(|(_, r)| r.split_once('>'))
            .map(|(i, _)| i.trim().to_string());
        return Assessment::fail(
            "display-name",
            format!(
                "the username {} looks like an email header with a display name, not a username",
                shown(username)
            ),
            match inner {
                Some(i) if !i.is_empty() => {
                    format!("Use the address alone, {i}, if that is the Username in Setup > Users.")
                }
                _ => format!("{FIND_USERNAME}."),
            },
        );
    }
    if username.chars().any(char::is_whitespace) {
        let fix = if trimmed.chars().any(char::is_whitespace) {
            format!("Remove the whitespace. {FIND_USERNAME}.")
        } else {
            format!("Remove the whitespace: use {trimmed}.")
        };
        return Assessment::fail(
            "whitespace",
            format!(
                "the username {} has {}; Salesforce looks it up as is and finds no user",
                shown(username),
                describe_whitespace(username)
            ),
            fix,
        );
    }
    if let Some(c) = username.chars().find(|c| is_invisible(*c)) {
        return Assessment::fail(
            "invisible-character",
            format!(
                "the username {} contains an invisible character (U+{:04X}), a copy-paste artefact",
                shown(username),
                c as u32
            ),
            "Type the username again by hand, or copy it from Setup > Users as plain text.",
        );
    }
    let lower = username.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("mailto:") {
        return Assessment::fail(
            "mailto",
            format!("the username {} is a mailto: link", shown(username)),
            format!("Drop the mailto: prefix: use {rest}, if that is the Username."),
        );
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return fail(
            "url",
            format!(
                "the username {} is a URL, not a username (is it the login URL?)",
                shown(username)
            ),
        );
    }
    if has_percent_escape(username) {
        let decoded = percent_decode(username);
        return Assessment::fail(
            "url-encoded",
            format!(
                "the username {} is URL-encoded; the JWT carries it as is, so Salesforce finds no such user",
                shown(username)
            ),
            match decoded {
                Some(d) => format!("Use it decoded: {d}. Don't URL-encode the sub claim."),
                None => "Use it decoded (%40 is @). Don't URL-encode the sub claim.".into(),
            },
        );
    }
    if is_record_id(username, "005") {
        return fail(
            "user-id",
            format!(
                "the username {} is a User Id, not a username; the JWT's sub must be the Username",
                shown(username)
            ),
        );
    }
    if is_record_id(username, "00D") {
        return fail(
            "org-id",
            format!(
                "the username {} is an Organization Id, not a username",
                shown(username)
            ),
        );
    }
    let len = username.chars().count();
    if len > MAX_USERNAME_LEN {
        return fail(
            "too-long",
            format!(
                "the username is {len} characters long; Salesforce usernames have at most {MAX_USERNAME_LEN}"
            ),
        );
    }
    let ats = username.matches('@').count();
    if ats == 0 {
        return fail(
            "no-at",
            format!(
                "the username {} has no '@': Salesforce usernames look like email addresses (jane@acme.com)",
                shown(username)
            ),
        );
    }
    if ats > 1 {
        return fail(
            "several-at",
            format!("the username {} has more than one '@'", shown(username)),
        );
    }
    let Some(parts) = split_username(username) else {
        return fail(
            "missing-part",
            format!(
                "the username {} has nothing before or after its '@'",
                shown(username)
            ),
        );
    };
    if let Some(c) = parts
        .local
        .chars()
        .find(|&c| !(c.is_alphanumeric() || LOCAL_SPECIALS.contains(c)))
    {
        return fail(
            "invalid-character",
            format!(
                "the username {} contains {:?}, which a username can't contain",
                shown(username),
                c
            ),
        );
    }
    if let Some(c) = parts
        .domain
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return fail(
            "invalid-character",
            format!(
                "the username {} contains {:?} after the '@', which a username can't contain",
                shown(username),
                c
            ),
        );
    }
    let labels: Vec<&str> = parts.domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return fail(
            "bad-domain",
            format!(
                "the part after '@' in {} is not a domain like acme.com",
                shown(username)
            ),
        );
    }
    if lower.ends_with(".invalid") {
        return Assessment::fail(
            "sandbox-email",
            format!(
                "the username {} ends in .invalid, which Salesforce appends to the Email of sandbox users; it is the user's email, not the username",
                shown(username)
            ),
            "In the sandbox, open Setup > Users and copy the Username field (it ends in .<sandbox name>, e.g. jane@acme.com.uat), not the Email.",
        );
    }
    if !username.is_ascii() {
        return Assessment::warn(
            "non-ascii",
            format!(
                "the username {} contains non-ASCII characters; check it is the Username exactly as Setup > Users shows it",
                shown(username)
            ),
            format!("{FIND_USERNAME}."),
        );
    }
    Assessment::pass(
        "valid",
        format!(
            "the username {} has the shape of a Salesforce username",
            shown(username)
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Username vs environment

pub fn is_common_tld(label: &str) -> bool {
    COMMON_TLDS.contains(&label.to_ascii_lowercase().as_str())
}

/// `uat`, `UAT2`, `dev1` → true: a typical sandbox name, trailing digits ignored.
pub fn is_typical_sandbox_suffix(suffix: &str) -> bool {
    let lower = suffix.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    TYPICAL_SANDBOX_SUFFIXES.contains(&stem)
}

/// The sandbox suffix a username's domain seems to carry, lower-cased: `acme.com.uat` → `uat`,
/// `acme.com.dev` → `dev`, `acme.dev` → none, `acme.co.uk` → none. A heuristic: it relies on
/// [`COMMON_TLDS`].
pub fn sandbox_suffix(domain: &str) -> Option<String> {
    let labels: Vec<String> = domain.split('.').map(|l| l.to_ascii_lowercase()).collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let last = &labels[labels.len() - 1];
    let prev = &labels[labels.len() - 2];
    if !is_common_tld(last) {
        return Some(last.clone());
    }
    let compound = COMPOUND_SUFFIXES.contains(&format!("{prev}.{last}").as_str());
    if labels.len() >= 3 && is_common_tld(prev) && !compound {
        return Some(last.clone());
    }
    None
}

/// Whether a username fits the environment the login URL points at. A heuristic: sandbox copies
/// append `.<sandbox name>` to usernames, but usernames can be edited, and production usernames
/// may end in anything. Returns a `Skip` assessment when there is nothing to compare.
pub fn assess_username_environment(username: &str, url: &LoginUrl) -> Assessment {
    let Some(parts) = split_username(username) else {
        return Assessment::skip(
            "no-domain",
            "the username has no part after '@' to compare with the environment (see username.format)"
                .into(),
        );
    };
    let host = &url.host;
    if url.kind == HostKind::Loopback {
        return Assessment::skip(
            "loopback",
            format!(
                "the login URL is a loopback address ({host}), which doesn't say whether the org is a sandbox"
            ),
        );
    }
    if url.environment == Environment::Unknown {
        return Assessment::skip(
            "unknown-environment",
            format!(
                "{host} is {}, which doesn't say whether the org is production or a sandbox",
                url.describe()
            ),
        );
    }
    if url.partition == Some(Partition::Scratch) {
        return Assessment::pass(
            "scratch-org",
            format!(
                "{host} is a scratch org, whose usernames carry no sandbox suffix: nothing to compare"
            ),
        );
    }
    let domain = parts.domain.to_ascii_lowercase();
    let suffix = sandbox_suffix(&domain);
    let shown_user = shown(username);
    match url.environment {
        Environment::Sandbox => {
            if let Some(name) = url.sandbox.as_deref() {
                let name = name.to_ascii_lowercase();
                if domain.ends_with(&format!(".{name}")) {
                    return Assessment::pass(
                        "matches-sandbox",
                        format!(
                            "the username {shown_user} ends in .{name}, the sandbox named in {host}"
                        ),
                    );
                }
                let fix = format!(
                    "Open Setup > Users in the sandbox \"{name}\" and copy the Username: a sandbox copy appends .{name} to production usernames (jane@acme.com becomes jane@acme.com.{name}). If the user lives in another org, point the login URL at that org."
                );
                return match suffix {
                    Some(s) => Assessment::warn(
                        "other-sandbox-suffix",
                        format!(
                            "the username {shown_user} ends in .{s}, but {host} is the sandbox \"{name}\", whose usernames usually end in .{name}; a heuristic, as usernames can be edited"
                        ),
                        fix,
                    ),
                    None => Assessment::warn(
                        "no-sandbox-suffix",
                        format!(
                            "the username {shown_user} has no sandbox suffix, but {host} is the sandbox \"{name}\", whose usernames usually end in .{name}; a heuristic, as usernames can be edited"
                        ),
                        fix,
                    ),
                };
            }
            match suffix {
                Some(s) => Assessment::pass(
                    "sandbox-suffix",
                    format!(
                        "the username {shown_user} ends in .{s}, which looks like a sandbox suffix, as {host} expects"
                    ),
                ),
                None => Assessment::warn(
                    "no-sandbox-suffix",
                    format!(
                        "the username {shown_user} has no sandbox suffix, but {host} logs in to sandboxes, whose usernames usually end in .<sandbox name>; a heuristic, and scratch-org users have none"
                    ),
                    "If the user lives in a sandbox, copy its Username from Setup > Users in that sandbox (e.g. jane@acme.com.uat). If it lives in production, use https://login.salesforce.com or the production My Domain URL as the login URL.",
                ),
            }
        }
        Environment::Production => match suffix {
            Some(s) if is_typical_sandbox_suffix(&s) => Assessment::warn(
                "sandbox-suffix-on-production",
                format!(
                    "the username {shown_user} ends in .{s}, which looks like a sandbox suffix, but {host} logs in to production; a heuristic, as production usernames may end in .{s} too"
                ),
                format!(
                    "If the user lives in a sandbox, use https://test.salesforce.com or the sandbox's My Domain URL (https://<name>--{s}.sandbox.my.salesforce.com) as the login URL. If this is a production username, ignore this warning."
                ),
            ),
            Some(s) => Assessment::info(
                "uncommon-tld-on-production",
                format!(
                    "the username {shown_user} ends in .{s}, not a common top-level domain; if that is a sandbox name, the user lives in a sandbox and {host} (production) won't find it"
                ),
            ),
            None => Assessment::pass(
                "no-sandbox-suffix",
                format!(
                    "the username {shown_user} has no sandbox suffix, as expected for {host} (production)"
                ),
            ),
        },
        Environment::Unknown => Assessment::skip(
            "unknown-environment",
            format!("{host} doesn't say whether the org is production or a sandbox"),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Consumer key

/// The first 8 characters of a consumer key and "…": enough to recognise it.
pub fn shorten_key(key: &str) -> String {
    let mut out: String = key.chars().take(8).collect();
    if key.chars().count() > 8 {
        out.push('…');
    }
    out
}

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_digits19(s: &str) -> bool {
    s.len() == 19 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

/// Whether a value has exactly the shape of every consumer key observed: `^3MVG9[A-Za-z0-9._]{80}$`.
pub fn is_canonical_consumer_key(key: &str) -> bool {
    key.len() == CONSUMER_KEY_LEN && key.starts_with("3MVG9") && key.chars().all(is_key_char)
}

/// What a value given as a consumer key looks like, when it isn't one: these must not be shown.
fn secret_lookalike(value: &str) -> Option<&'static str> {
    if is_hex64(value) {
        Some("the consumer secret (64 hex characters), not the key")
    } else if is_digits19(value) {
        Some("a legacy consumer secret (19 digits), not the key")
    } else if value.contains("-----BEGIN") {
        Some("a PEM block (a key or certificate), not the consumer key")
    } else if value.starts_with("eyJ") && value.matches('.').count() == 2 {
        Some("a JWT (an assertion or a token), not the consumer key")
    } else if value.starts_with("00D") && value.contains('!') {
        Some("an access token (session id), not the consumer key")
    } else {
        crate::lookalike::secret_shape(value).map(|s| s.what)
    }
}

const FIND_KEY: &str = "In Salesforce, open Setup > App Manager (or External Client App Manager), open the app, go to Settings > OAuth Settings > Consumer Key and Secret, verify your identity, and copy the Consumer Key";

/// Whether a value has the shape of a Salesforce consumer key. The message shows at most
/// [`shorten_key`] of it, and nothing when it looks like a secret.
pub fn assess_consumer_key(key: &str) -> Assessment {
    let len = key.chars().count();
    if key.trim().is_empty() {
        return Assessment::fail(
            "empty",
            "the consumer key is empty".into(),
            format!("{FIND_KEY}."),
        );
    }
    let trimmed = key.trim().trim_matches(is_quote);
    if let Some(what) = secret_lookalike(trimmed) {
        return Assessment::fail(
            "looks-like-secret",
            format!("the consumer key looks like {what} ({len} characters; not shown)"),
            format!("{FIND_KEY} (it starts with 3MVG). Keep the secret out of the key setting."),
        );
    }
    let show_trimmed = trimmed.starts_with("3MVG");
    if key
        .chars()
        .any(|c| c.is_whitespace() || is_invisible(c) || is_quote(c))
    {
        let what = if key.chars().any(is_quote) {
            "quotes".to_string()
        } else if let Some(c) = key.chars().find(|c| is_invisible(*c)) {
            format!("an invisible character (U+{:04X})", c as u32)
        } else {
            describe_whitespace(key)
        };
        let named = if show_trimmed {
            format!("the consumer key {}", shorten_key(trimmed))
        } else {
            "the consumer key".to_string()
        };
        return Assessment::fail(
            "copy-paste",
            format!(
                "{named} has {what}: a copy-paste error that makes Salesforce answer invalid_client_id"
            ),
            format!("Remove it and keep only the key itself. {FIND_KEY} again if unsure."),
        );
    }
    if !key.starts_with("3MVG") {
        let hint = if key.to_ascii_uppercase().starts_with("3MVG") {
            "; the key is case-sensitive, and this one's case was changed"
        } else {
            ""
        };
        return Assessment::fail(
            "wrong-prefix",
            format!(
                "the consumer key doesn't start with 3MVG, as every Salesforce consumer key does ({len} characters; not shown){hint}"
            ),
            format!("{FIND_KEY}."),
        );
    }
    let short = shorten_key(key);
    if is_canonical_consumer_key(key) {
        return Assessment::pass(
            "valid",
            format!(
                "the consumer key {short} has the shape of a Salesforce consumer key (3MVG9, {CONSUMER_KEY_LEN} characters)"
            ),
        );
    }
    let mut oddities = Vec::new();
    if len != CONSUMER_KEY_LEN {
        oddities.push(format!(
            "has {len} characters where observed keys have {CONSUMER_KEY_LEN}"
        ));
    }
    if !key.starts_with("3MVG9") {
        oddities.push("doesn't start with 3MVG9".to_string());
    }
    if let Some(c) = key.chars().find(|c| !is_key_char(*c)) {
        oddities.push(format!(
            "contains {c:?}, outside letters, digits, '.' and '_'"
        ));
    }
    let truncated = key.ends_with("...") || key.contains('…');
    if truncated {
        oddities.push("looks truncated".to_string());
    }
    Assessment::warn(
        "unusual-shape",
        format!("the consumer key {short} {}", oddities.join(", ")),
        format!("{FIND_KEY} in full (use the copy button; the screen can wrap or shorten it)."),
    )
}

// ---------------------------------------------------------------------------------------------
// Consumer secret

/// The format of a consumer secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretFormat {
    /// 64 upper-case hex characters: the current format.
    UpperHex64,
    /// 19 digits: the legacy format.
    LegacyDigits19,
    /// 64 hex characters, not all upper-case.
    LowerHex64,
    /// Starts with `3MVG`: a consumer key.
    ConsumerKey,
    /// Empty, or whitespace around it.
    Blank,
    Other,
}

impl SecretFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretFormat::UpperHex64 => "hex-64-upper",
            SecretFormat::LegacyDigits19 => "digits-19",
            SecretFormat::LowerHex64 => "hex-64-lower",
            SecretFormat::ConsumerKey => "consumer-key",
            SecretFormat::Blank => "blank",
            SecretFormat::Other => "other",
        }
    }
}

/// Classifies a consumer secret without revealing it.
pub fn secret_format(secret: &str) -> SecretFormat {
    if secret.trim().is_empty() {
        SecretFormat::Blank
    } else if secret.starts_with("3MVG") {
        SecretFormat::ConsumerKey
    } else if is_hex64(secret) && !secret.bytes().any(|b| b.is_ascii_lowercase()) {
        SecretFormat::UpperHex64
    } else if is_hex64(secret) {
        SecretFormat::LowerHex64
    } else if is_digits19(secret) {
        SecretFormat::LegacyDigits19
    } else {
        SecretFormat::Other
    }
}

const SECRET_ROLE: &str = "the JWT grant doesn't use it, only token introspection does";

const FIND_SECRET: &str = "In Salesforce, open the app's Settings > OAuth Settings > Consumer Key and Secret, verify your identity, and copy the Consumer Secret with the copy button";

/// Whether a consumer secret has the shape of one. Never shows any of the secret: only its length
/// and format.
pub fn assess_consumer_secret(secret: &str) -> Assessment {
    let len = secret.chars().count();
    let fmt = secret_format(secret);
    if fmt == SecretFormat::Blank {
        return Assessment::warn(
            "blank",
            format!("the consumer secret is empty; {SECRET_ROLE}"),
            format!("{FIND_SECRET}, or leave it unset if you don't need introspection."),
        );
    }
    if secret.chars().any(|c| c.is_whitespace() || is_invisible(c)) {
        return Assessment::warn(
            "whitespace",
            format!(
                "the consumer secret ({len} characters, not shown) has {}, so introspection with it would fail; {SECRET_ROLE}",
                if secret.chars().any(char::is_whitespace) {
                    describe_whitespace(secret)
                } else {
                    "an invisible character".to_string()
                }
            ),
            format!("Remove the whitespace. {FIND_SECRET}."),
        );
    }
    if secret.starts_with(is_quote) || secret.ends_with(is_quote) {
        return Assessment::warn(
            "quoted",
            format!(
                "the consumer secret ({len} characters, not shown) has quotes around it, which become part of the value"
            ),
            "Remove the quotes around the secret.",
        );
    }
    match fmt {
        SecretFormat::ConsumerKey => Assessment::fail(
            "consumer-key",
            "the consumer secret starts with 3MVG: it is the consumer key, so the key and the secret were probably swapped".to_string(),
            format!(
                "{FIND_SECRET}; put the 3MVG... value in the consumer key setting and the 64-character secret in the secret setting."
            ),
        ),
        SecretFormat::UpperHex64 => Assessment::pass(
            "valid",
            format!(
                "the consumer secret has the current format, 64 upper-case hex characters; {SECRET_ROLE}"
            ),
        ),
        SecretFormat::LegacyDigits19 => Assessment::info(
            "legacy",
            format!(
                "the consumer secret has the legacy 19-digit format of older apps, which still works; {SECRET_ROLE}"
            ),
        ),
        SecretFormat::LowerHex64 => Assessment::warn(
            "lower-case-hex",
            format!(
                "the consumer secret is 64 hex characters but not upper-case as Salesforce shows it, so it was transformed or is another value, such as a hash; {SECRET_ROLE}"
            ),
            format!("{FIND_SECRET}, unchanged."),
        ),
        _ => Assessment::warn(
            "unusual-shape",
            format!(
                "the consumer secret is a {len}-character value in neither known format, 64 upper-case hex or 19 digits; {SECRET_ROLE}"
            ),
            format!("{FIND_SECRET}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::salesforce::hosts::parse;

    const KEY: &str =
        "3MVG99OxTyEMCQ3gNp2PjkqeZKxnmAiG1xV4oHh9AKL_rSK.BoSVPGZHQukXnVjzRgSuQqGn75NL7yfkQcyy7";
    const SECRET: &str = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";

    fn user(u: &str) -> (Status, &'static str) {
        let a = assess_username(u);
        assert!(!a.message.contains('\n'), "{u:?}: {a:?}");
        assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{u:?}: {a:?}");
        (a.status, a.code)
    }

    #[test]
    fn usernames_of_the_right_shape_pass() {
        for u in [
            "jane@acme.com",
            "jane.doe@acme.com.uat",
            "integration+jwt@acme.co.uk",
            "o'brien@acme.com",
            "00x7Vquser@acme.com.test",
            "test-abc123@example.com",
            "Jane@Acme.COM",
            "a@b.c",
        ] {
            assert_eq!(user(u), (Status::Pass, "valid"), "{u}");
        }
        let eighty = format!("{}@acme.com", "a".repeat(MAX_USERNAME_LEN - 9));
        assert_eq!(eighty.len(), MAX_USERNAME_LEN);
        assert_eq!(user(&eighty).0, Status::Pass);
    }

    #[test]
    fn usernames_of_the_wrong_shape_fail_with_the_reason() {
        for (u, code) in [
            ("", "empty"),
            ("  ", "empty"),
            ("\"jane@acme.com\"", "quoted"),
            ("'jane@acme.com'", "quoted"),
            ("Jane Doe <jane@acme.com>", "display-name"),
            ("<jane@acme.com>", "display-name"),
            ("jane@acme.com\n", "whitespace"),
            (" jane@acme.com", "whitespace"),
            ("jane @acme.com", "whitespace"),
            ("jane@acme.com\u{00A0}", "whitespace"),
            ("jane@acme.com\u{200B}", "invisible-character"),
            ("mailto:jane@acme.com", "mailto"),
            ("https://login.salesforce.com", "url"),
            ("jane%40acme.com", "url-encoded"),
            ("jane%2Bjwt@acme.com", "url-encoded"),
            ("005000000000001", "user-id"),
            ("005000000000001AAA", "user-id"),
            ("00D000000000001AAA", "org-id"),
            ("jane", "no-at"),
            ("jane@acme@com", "several-at"),
            ("@acme.com", "missing-part"),
            ("jane@", "missing-part"),
            ("jane,doe@acme.com", "invalid-character"),
            ("jane@acme_corp.com", "invalid-character"),
            ("jane@acme", "bad-domain"),
            ("jane@acme..com", "bad-domain"),
            ("jane@.acme.com", "bad-domain"),
            ("jane@acme.com.", "bad-domain"),
            ("jane@acme.com.invalid", "sandbox-email"),
            ("jane@acme.com.uat.invalid", "sandbox-email"),
        ] {
            assert_eq!(user(u), (Status::Fail, code), "{u:?}");
        }
        let long = format!("{}@acme.com", "a".repeat(MAX_USERNAME_LEN));
        assert_eq!(user(&long), (Status::Fail, "too-long"));
        assert_eq!(user("jöns@acme.se"), (Status::Warn, "non-ascii"));
    }

    #[test]
    fn username_fixes_name_the_corrected_value() {
        let a = assess_username("jane%40acme.com");
        assert!(a.fix.unwrap().contains("jane@acme.com"));
        let a = assess_username("Jane Doe <jane@acme.com>");
        assert!(a.fix.unwrap().contains("jane@acme.com"));
        let a = assess_username("jane@acme.com\n");
        assert!(a.fix.unwrap().contains("use jane@acme.com."));
        assert!(a.message.contains("trailing newline"));
        let a = assess_username("mailto:jane@acme.com");
        assert!(a.fix.unwrap().contains("jane@acme.com"));
        let a = assess_username("jane@acme.com.invalid");
        assert!(a.fix.unwrap().contains("Username"));
        let a = assess_username("005000000000001AAA");
        assert!(a.fix.unwrap().contains("Setup > Users"));
        assert_eq!(percent_decode("a%4"), Some("a%4".into()));
        assert_eq!(percent_decode("%e9"), None);
    }

    #[test]
    fn sandbox_suffixes_are_told_from_top_level_domains() {
        for (domain, suffix) in [
            ("acme.com", None),
            ("acme.com.uat", Some("uat")),
            ("acme.com.UAT", Some("uat")),
            ("acme.com.full", Some("full")),
            ("acme.com.dev", Some("dev")),
            ("acme.dev", None),
            ("acme.co.uk", None),
            ("acme.co.uk.qa", Some("qa")),
            ("acme.com.au", None),
            ("acme.com.qa", Some("qa")),
            ("acme.test", Some("test")),
            ("acme.io.partial", Some("partial")),
            ("acme.com.testing", Some("testing")),
            ("acme.com.int", Some("int")),
            ("acme", None),
            ("acme..com", None),
        ] {
            assert_eq!(sandbox_suffix(domain).as_deref(), suffix, "{domain}");
        }
        assert!(is_typical_sandbox_suffix("uat2"));
        assert!(is_typical_sandbox_suffix("DEV"));
        assert!(!is_typical_sandbox_suffix("acme"));
        assert!(is_common_tld("COM"));
    }

    fn env(username: &str, url: &str) -> (Status, &'static str) {
        let u = parse(url).unwrap();
        let a = assess_username_environment(username, &u);
        assert!(!a.message.contains('\n'));
        assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
        (a.status, a.code)
    }

    #[test]
    fn usernames_are_compared_with_the_environment() {
        let cases = [
            // My Domain sandbox: the suffix must be the sandbox name.
            (
                "jane@acme.com.uat",
                "https://acme--uat.sandbox.my.salesforce.com",
                Status::Pass,
                "matches-sandbox",
            ),
            (
                "jane@acme.com.UAT",
                "https://acme--uat.sandbox.my.salesforce.com",
                Status::Pass,
                "matches-sandbox",
            ),
            (
                "jane@acme.com.uat",
                "https://ACME--UAT.sandbox.my.salesforce.com",
                Status::Pass,
                "matches-sandbox",
            ),
            (
                "jane@acme.com.qa",
                "https://acme--uat.sandbox.my.salesforce.com",
                Status::Warn,
                "other-sandbox-suffix",
            ),
            (
                "jane@acme.com",
                "https://acme--uat.sandbox.my.salesforce.com",
                Status::Warn,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.com.uat",
                "https://acme--uat.my.salesforce.com",
                Status::Pass,
                "matches-sandbox",
            ),
            (
                "jane@acme.com.uat",
                "https://acme--uat.sandbox.my.site.com/partners",
                Status::Pass,
                "matches-sandbox",
            ),
            (
                "jane@acme.com.uat",
                "https://acme--uat.cs42.my.salesforce.com",
                Status::Pass,
                "matches-sandbox",
            ),
            // Generic sandbox host: any suffix.
            (
                "jane@acme.com.uat",
                "https://test.salesforce.com",
                Status::Pass,
                "sandbox-suffix",
            ),
            (
                "jane@acme.com",
                "https://test.salesforce.com",
                Status::Warn,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.com.full",
                "https://cs42.salesforce.com",
                Status::Pass,
                "sandbox-suffix",
            ),
            // Production.
            (
                "jane@acme.com",
                "https://login.salesforce.com",
                Status::Pass,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.dev",
                "https://login.salesforce.com",
                Status::Pass,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.co.uk",
                "https://acme.my.salesforce.com",
                Status::Pass,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.com.uat",
                "https://login.salesforce.com",
                Status::Warn,
                "sandbox-suffix-on-production",
            ),
            (
                "jane@acme.com.dev",
                "https://acme.my.salesforce.com",
                Status::Warn,
                "sandbox-suffix-on-production",
            ),
            (
                "jane@acme.com.qa2",
                "https://acme.develop.my.salesforce.com",
                Status::Warn,
                "sandbox-suffix-on-production",
            ),
            (
                "jane@acme.com.preprod",
                "https://na1.salesforce.com",
                Status::Warn,
                "sandbox-suffix-on-production",
            ),
            (
                "jane@acme.com.mysbx",
                "https://login.salesforce.com",
                Status::Info,
                "uncommon-tld-on-production",
            ),
            // Nothing to compare.
            (
                "test-abc@example.com",
                "https://acme.scratch.my.salesforce.com",
                Status::Pass,
                "scratch-org",
            ),
            (
                "jane@acme.com",
                "http://127.0.0.1:8080",
                Status::Skip,
                "loopback",
            ),
            (
                "jane@acme.com",
                "https://acme.force.com/customers",
                Status::Skip,
                "unknown-environment",
            ),
            (
                "jane@acme.com",
                "https://acme.patch.my.salesforce.com",
                Status::Skip,
                "unknown-environment",
            ),
            (
                "jane",
                "https://login.salesforce.com",
                Status::Skip,
                "no-domain",
            ),
        ];
        for (username, url, status, code) in cases {
            assert_eq!(env(username, url), (status, code), "{username} on {url}");
        }
    }

    #[test]
    fn environment_messages_are_honest_about_the_heuristic() {
        let u = parse("https://acme--uat.sandbox.my.salesforce.com").unwrap();
        let a = assess_username_environment("jane@acme.com", &u);
        assert!(a.message.contains("heuristic"));
        assert!(a.fix.unwrap().contains("jane@acme.com.uat"));
        let u = parse("https://login.salesforce.com").unwrap();
        let a = assess_username_environment("jane@acme.com.uat", &u);
        assert!(a.message.contains("heuristic"));
        assert!(a.fix.unwrap().contains("test.salesforce.com"));
        let u = parse("https://test.salesforce.com").unwrap();
        let a = assess_username_environment("jane@acme.com", &u);
        assert!(a.message.contains("heuristic"));
    }

    fn key(k: &str) -> (Status, &'static str) {
        let a = assess_consumer_key(k);
        assert!(!a.message.contains('\n'));
        assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
        (a.status, a.code)
    }

    #[test]
    fn consumer_keys_are_checked() {
        assert_eq!(KEY.len(), CONSUMER_KEY_LEN);
        assert_eq!(key(KEY), (Status::Pass, "valid"));
        assert!(assess_consumer_key(KEY).message.contains("3MVG99Ox…"));
        assert!(!assess_consumer_key(KEY).message.contains(&KEY[8..]));

        let short = &KEY[..60];
        assert_eq!(key(short), (Status::Warn, "unusual-shape"));
        assert!(assess_consumer_key(short).message.contains("60 characters"));
        assert_eq!(
            key(&format!("3MVGA{}", &KEY[5..])),
            (Status::Warn, "unusual-shape")
        );
        assert_eq!(
            key(&format!("{}-", &KEY[..84])),
            (Status::Warn, "unusual-shape")
        );
        let truncated = format!("{}...", &KEY[..40]);
        assert!(
            assess_consumer_key(&truncated)
                .message
                .contains("truncated")
        );

        for bad in [
            format!("{KEY}\n"),
            format!(" {KEY}"),
            format!("\"{KEY}\""),
            format!("{} {}", &KEY[..40], &KEY[40..]),
            format!("{KEY}\u{200B}"),
        ] {
            assert_eq!(key(&bad), (Status::Fail, "copy-paste"), "{bad:?}");
        }
        assert!(
            assess_consumer_key(&format!("{KEY}\n"))
                .message
                .contains("trailing newline")
        );

        assert_eq!(key(""), (Status::Fail, "empty"));
        assert_eq!(key(" "), (Status::Fail, "empty"));
        assert_eq!(key(SECRET), (Status::Fail, "looks-like-secret"));
        assert_eq!(
            key(&SECRET.to_ascii_lowercase()),
            (Status::Fail, "looks-like-secret")
        );
        assert_eq!(
            key("8814408051617436252"),
            (Status::Fail, "looks-like-secret")
        );
        assert_eq!(
            key("-----BEGIN PRIVATE KEY-----MIIE"),
            (Status::Fail, "looks-like-secret")
        );
        assert_eq!(
            key("eyJhbGciOi.eyJzdWIi.c2ln"),
            (Status::Fail, "looks-like-secret")
        );
        assert_eq!(
            key("00Dxx0000001gPL!AQ4AQ"),
            (Status::Fail, "looks-like-secret")
        );
        assert_eq!(key("04580y4051234051"), (Status::Fail, "wrong-prefix"));
        assert_eq!(
            key(&KEY.to_ascii_lowercase()),
            (Status::Fail, "wrong-prefix")
        );
        assert!(
            assess_consumer_key(&KEY.to_ascii_lowercase())
                .message
                .contains("case")
        );
    }

    #[test]
    fn key_messages_never_show_secret_lookalikes() {
        for value in [
            SECRET.to_string(),
            "8814408051617436252".into(),
            format!("{SECRET}\n"),
            "-----BEGIN PRIVATE KEY-----MIIEvQ".into(),
            "00Dxx0000001gPL!AQ4AQFakeToken".into(),
            "supersecretvalue".into(),
        ] {
            let a = assess_consumer_key(&value);
            let text = format!("{} {}", a.message, a.fix.unwrap_or_default());
            let trimmed = value.trim();
            assert!(!text.contains(&trimmed[..8]), "{value:?} leaked: {text}");
        }
        assert_eq!(shorten_key("3MVG9abc"), "3MVG9abc");
        assert_eq!(shorten_key("3MVG9abcd"), "3MVG9abc…");
        assert_eq!(shorten_key("ключ-ключ-ключ"), "ключ-клю…");
    }

    fn secret(s: &str) -> (Status, &'static str) {
        let a = assess_consumer_secret(s);
        let text = format!("{} {}", a.message, a.fix.clone().unwrap_or_default());
        if s.trim().len() >= 6 {
            assert!(!text.contains(s.trim()), "{s:?} leaked: {text}");
            assert!(!text.contains(&s.trim()[..6]), "{s:?} leaked: {text}");
        }
        assert!(!a.message.contains('\n'));
        assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
        (a.status, a.code)
    }

    #[test]
    fn consumer_secrets_are_checked_without_being_shown() {
        assert_eq!(secret(SECRET), (Status::Pass, "valid"));
        assert!(
            assess_consumer_secret(SECRET)
                .message
                .contains("introspection")
        );
        assert_eq!(secret("8814408051617436252"), (Status::Info, "legacy"));
        assert_eq!(
            secret(&SECRET.to_ascii_lowercase()),
            (Status::Warn, "lower-case-hex")
        );
        assert_eq!(secret(KEY), (Status::Fail, "consumer-key"));
        assert_eq!(secret("not-a-real-secret"), (Status::Warn, "unusual-shape"));
        assert_eq!(secret(&SECRET[..63]), (Status::Warn, "unusual-shape"));
        assert_eq!(secret(""), (Status::Warn, "blank"));
        assert_eq!(secret("\n"), (Status::Warn, "blank"));
        assert_eq!(secret(&format!("{SECRET}\n")), (Status::Warn, "whitespace"));
        assert_eq!(
            secret(&format!("{SECRET}\u{200B}")),
            (Status::Warn, "whitespace")
        );
        assert_eq!(secret(&format!("\"{SECRET}\"")), (Status::Warn, "quoted"));

        assert_eq!(secret_format(SECRET), SecretFormat::UpperHex64);
        assert_eq!(secret_format(KEY), SecretFormat::ConsumerKey);
        assert_eq!(secret_format("x"), SecretFormat::Other);
        assert_eq!(SecretFormat::LegacyDigits19.as_str(), "digits-19");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let big = "a".repeat(10 * 1024);
        let url = parse("https://acme--uat.sandbox.my.salesforce.com").unwrap();
        let inputs = [
            String::new(),
            "@".into(),
            "@@".into(),
            "%".into(),
            "%4".into(),
            "%%40".into(),
            "a@%40".into(),
            "\u{0}".into(),
            "<".into(),
            ">".into(),
            "<>".into(),
            "\"".into(),
            "3MVG".into(),
            "3MVG…".into(),
            "😀@😀.😀".into(),
            "a@b.".into(),
            ".@.".into(),
            "a@.".into(),
            big.clone(),
            format!("{big}@{big}.com"),
            format!("a@{}", ".".repeat(5000)),
            "é".repeat(5000),
            "%40".repeat(3000),
        ];
        for s in &inputs {
            let _ = assess_username(s);
            let _ = assess_username_environment(s, &url);
            let _ = assess_consumer_key(s);
            let _ = assess_consumer_secret(s);
            let _ = sandbox_suffix(s);
            let _ = shorten_key(s);
        }
    }
}
