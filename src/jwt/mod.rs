//! JWT bearer assertions the way Salesforce judges them: minting the test assertion, taking a
//! compact JWT apart, verifying its signature against a certificate, and one implementation of
//! Salesforce's header and claim rules, shared by `sfjwt check` and `sfjwt decode`.
//!
//! - [`mint`]: signs `{"alg":"RS256"}` + `{iss, sub, aud, exp}` with the bundle's key
//!   (ring, or the `rsa` crate for key sizes ring refuses), `exp` = the run's instant +
//!   [`ASSERTION_LIFETIME_SECS`].
//! - [`decode`]: reads a compact JWT as a person pastes it (whitespace, `Bearer `, quotes, a
//!   form body's `assertion=` parameter, lines wrapped by a terminal), and names what is wrong
//!   when the input is not a JWT at all. It never echoes the input back.
//! - [`verify`]: checks the signature with the public key of a certificate (its DER
//!   SubjectPublicKeyInfo).
//! - [`lint`]: every rule in [`RULES`], each with a stable id, a status, a message and a fix.
//!
//! Sources: reference/salesforce-jwt.md §2.1-2.6 (header, iss, sub, aud, exp, iat/nbf/jti),
//! §0.4-0.5 (the aud and exp rules as Salesforce applies them today), §1A rows 2-5.
//!
//! Nothing here panics on any input, and nothing here prints or returns the signature bytes of a
//! decoded token, or a token it did not mint. Claims are shown through [`shown_members`], which
//! hides values that look like secrets.

use serde_json::{Map, Value};

mod compact;
mod mint;
mod rules;
mod times;
mod verify;

pub use compact::{DecodeError, Decoded, EncodingIssue, MAX_TOKEN_LEN, Part, decode, decode_bytes};
pub use mint::{
    ASSERTION_LIFETIME_SECS, AssertionClaims, MintError, Minted, header_json, mint, mint_decoded,
};
pub use rules::{
    CLOCK_SKEW_SECS, Expectations, JudgedBy, RULES, RuleId, RuleInfo, RuleResult, lint, rule,
};
pub use times::{NumericDate, describe_instant, relative};
pub use verify::{Verification, plausible_rsa_length, precheck, verify};

/// A header or claims object as it may be shown: every string value that looks like a secret
/// (a consumer secret, a PEM block, a JWT, an access token: what `consumer-key.format` refuses
/// to show) is replaced by its length and fingerprint. A consumer secret put in `iss` must not
/// reach a report.
pub fn shown_members(members: &Map<String, Value>) -> Map<String, Value> {
    members
        .iter()
        .map(|(k, v)| {
            let shown = match v {
                Value::String(s) if looks_like_secret(s) => Value::String(format!(
                    "<not shown: {} characters that look like a secret; {}>",
                    s.chars().count(),
                    crate::fingerprint::fingerprint(s.as_bytes())
                )),
                other => other.clone(),
            };
            (k.clone(), shown)
        })
        .collect()
}

/// Whether a value looks like something that must never be printed.
pub fn looks_like_secret(value: &str) -> bool {
    crate::salesforce::identity::assess_consumer_key(value).code
        == crate::salesforce::identity::Pasted::Secret.code()
}

/// Characters of one value shown in a one-line rendering before it is cut.
pub const MAX_SHOWN_VALUE: usize = crate::text::MAX_ONE_LINE;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn printable_escapes_terminal_tricks_and_cuts_long_values() {
        assert_eq!(
            crate::text::one_line_json(&json!("a\u{1b}[31mb"), false),
            "a\\u{1b}[31mb"
        );
        assert_eq!(
            crate::text::one_line_json(&json!("x\u{202E}y"), false),
            "x\\u{202e}y"
        );
        assert_eq!(
            crate::text::one_line_json(&json!("plain"), true),
            "\"plain\""
        );
        assert_eq!(
            crate::text::one_line_json(&json!(["a", 1]), false),
            "[\"a\",1]"
        );
        let long = crate::text::one_line_json(&json!("é".repeat(500)), false);
        assert!(long.ends_with("… (500 characters)"), "{long}");
        assert_eq!(long.chars().filter(|c| *c == 'é').count(), MAX_SHOWN_VALUE);
    }

    /// Thousands of mangled tokens (characters replaced, removed, inserted; cut anywhere):
    /// decoding, linting and verifying never panic.
    #[test]
    fn mangled_tokens_never_panic() {
        let good = include_str!("../../fixtures/tokens/good.jwt")
            .trim()
            .to_string();
        let cert = crate::bundle::cert::decode_certificates(include_bytes!(
            "../../fixtures/valid/server.crt"
        ))
        .unwrap();
        let at = time::macros::datetime!(2026-11-29 13:00 UTC);
        let expect = Expectations {
            consumer_key: Some("3MVG9x"),
            username: Some("a@b.co"),
            login_url: Some("https://test.salesforce.com"),
            ..Default::default()
        };
        let alphabet: Vec<char> = "eyJ.-_=+/ \n\"{}[]:,0123456789abcXYZ\u{0}é🙂%!"
            .chars()
            .collect();
        // A fixed linear congruential generator: the same cases every run.
        let mut state: u64 = 0x5eed;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n.max(1)
        };
        let mut decoded_some = 0;
        for _ in 0..3000 {
            let mut chars: Vec<char> = good.chars().collect();
            for _ in 0..=next(4) {
                let i = next(chars.len() + 1);
                match next(4) {
                    0 if i < chars.len() => chars[i] = alphabet[next(alphabet.len())],
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    2 => chars.insert(i.min(chars.len()), alphabet[next(alphabet.len())]),
                    _ => chars.truncate(i),
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(d) = decode(&text) {
                decoded_some += 1;
                let _ = lint(&d, &expect, at);
                let _ = verify(&d, &cert.first.spki_der);
                let _ = precheck(&d);
            }
        }
        assert!(decoded_some > 100, "the mutations still reach the rules");
    }

    #[test]
    fn values_that_look_like_secrets_are_not_shown() {
        let secret = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";
        let m = json!({"iss": secret, "sub": "jane@acme.com", "x": "00D5g000004ABCD!AQ8AQPkzabc"});
        let shown = shown_members(m.as_object().unwrap());
        let text = Value::Object(shown.clone()).to_string();
        assert!(!text.contains(secret), "{text}");
        assert!(!text.contains("AQ8AQPkzabc"), "{text}");
        assert!(
            shown["iss"]
                .as_str()
                .unwrap()
                .starts_with("<not shown: 64 characters")
        );
        assert_eq!(shown["sub"], "jane@acme.com");
    }
}
