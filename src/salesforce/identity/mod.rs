//! The shapes of usernames, consumer keys and consumer secrets, and whether a username fits the
//! environment of a login URL. Pure functions: no network, no panics on any input.
//!
//! Sources: salesforce-jwt.md §3.1 (consumer key), §3.2 (consumer secret), §3.3 (username),
//! §2.3 (`sub`), §1A row 1 (a username from the wrong org gives "user hasn't approved this
//! consumer").
//!
//! Every [`Judgement`] message is one line. Messages about the consumer key show at most its
//! first 8 characters ([`shorten_key`]), and none when the value looks like a secret; messages
//! about the consumer secret never show any of it.

use crate::finding::{Judgement, Status};

use super::hosts::describe_whitespace;
use crate::text::quoted;

mod consumer;
mod environment;
mod username;

pub use consumer::{
    SecretFormat, assess_consumer_key, assess_consumer_secret, is_canonical_consumer_key,
    secret_format, shorten_key,
};
pub use environment::{
    assess_username_environment, is_common_tld, is_typical_sandbox_suffix, sandbox_suffix,
};
pub use username::assess_username;

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

/// A value meant for another input, found where this one goes: the one set of evidence codes for
/// that mistake, the same code whatever the input it was put in (the login URL, the username,
/// the consumer key or secret, and the claims that carry them).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::EnumIter,
)]
pub enum Pasted {
    /// A private key, a token, a consumer secret: described, never shown.
    #[strum(serialize = "looks-like-secret")]
    Secret,
    /// A username or an email address.
    #[strum(serialize = "looks-like-username")]
    Username,
    /// A URL (the login URL, most likely).
    #[strum(serialize = "looks-like-url")]
    Url,
    /// A consumer key (3MVG...).
    #[strum(serialize = "looks-like-consumer-key")]
    ConsumerKey,
}

impl Pasted {
    /// The evidence code.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// A judgement that could not be made, with the reason.
fn skip(code: &'static str, message: impl Into<String>) -> Judgement {
    Judgement::new(Status::Skip, code, message, None)
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

#[cfg(test)]
mod tests;

/// Why a value is not an org id, or `None` when it is one: `00D` and 12 or 15 more letters and
/// digits (the 15-character id, case-sensitive, or the 18-character one).
pub fn org_id_problem(value: &str) -> Option<String> {
    let v = value.trim();
    if !matches!(v.len(), 15 | 18) || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some(format!(
            "{} is not an org id: an org id is 15 or 18 letters and digits starting with 00D (Setup > Company Information > Salesforce.com Organization ID)",
            crate::text::quoted(&crate::text::one_line_limited(v, 40))
        ));
    }
    (!v.starts_with("00D")).then(|| {
        format!(
            "{} is not an org id: org ids start with 00D (a user id starts with 005)",
            crate::text::quoted(v)
        )
    })
}

/// Whether two Salesforce ids (an org's, a user's) name the same record: their first 15
/// characters, case-sensitive (the last three of an 18-character id only encode the case of the
/// first 15).
pub fn same_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.len() >= 15 && b.len() >= 15 && a.get(..15) == b.get(..15)
}

#[cfg(test)]
mod org_id_tests {
    use super::*;

    #[test]
    fn org_ids_are_15_or_18_characters_from_00d_and_compare_on_15() {
        assert_eq!(org_id_problem("00D5g000004XyZ1EAK"), None);
        assert_eq!(org_id_problem("00D5g000004XyZ1"), None);
        assert!(
            org_id_problem("0055g00000ABcDeAAF")
                .unwrap()
                .contains("005")
        );
        assert!(org_id_problem("00D5g").is_some());
        assert!(org_id_problem("00D5g000004XyZ1-AK").is_some());
        assert!(same_id("00D5g000004XyZ1EAK", "00D5g000004XyZ1"));
        assert!(!same_id("00D5g000004XyZ1EAK", "00D5g000004xyz1EAK"));
        assert!(!same_id("00D5g000004XyZ1EAK", "00D5g000004XyZ2EAK"));
    }
}
