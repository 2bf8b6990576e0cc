//! The token's encoding and its header: base64url, duplicate members, `alg`, `typ`, other parameters.

use serde_json::{Map, Value};

use super::*;

// --- encoding --------------------------------------------------------------------------------

pub(super) fn encoding(d: &Decoded) -> RuleResult {
    const FIX: &str = "Encode each part with base64url (RFC 4648 §5) without padding: - and _ instead of + and /, and no trailing =. Most JWT libraries do this; hand-built tokens often use plain base64.";
    if d.encoding.contains(&EncodingIssue::StandardAlphabet) {
        fail(
            RuleId::Encoding,
            "the token uses the standard base64 alphabet (+ or /), not base64url (- and _): JWT decoders, Salesforce's among them, read it as a different token or reject it (invalid assertion)",
            FIX,
        )
    } else if d.encoding.contains(&EncodingIssue::Padding) {
        warn(
            RuleId::Encoding,
            "the token's parts end in = padding, which JWS compact serialization forbids; whether Salesforce tolerates it is not documented",
            FIX,
        )
    } else {
        pass(RuleId::Encoding, "the parts are base64url without padding")
    }
}

pub(super) fn duplicates(d: &Decoded) -> RuleResult {
    if d.duplicates.is_empty() {
        pass(
            RuleId::Duplicates,
            "no header parameter or claim appears twice",
        )
    } else {
        warn(
            RuleId::Duplicates,
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

pub(super) fn alg(h: &Map<String, Value>) -> RuleResult {
    let Some(v) = h.get("alg") else {
        return fail(
            RuleId::Alg,
            "the header has no alg; Salesforce requires {\"alg\":\"RS256\"}",
            ALG_FIX,
        );
    };
    let Some(alg) = v.as_str() else {
        return fail(
            RuleId::Alg,
            format!(
                "the header's alg is {}, not a string",
                crate::text::one_line_json(v, true)
            ),
            ALG_FIX,
        );
    };
    let shown = crate::text::one_line(alg);
    let upper = alg.to_ascii_uppercase();
    if alg == "RS256" {
        pass(
            RuleId::Alg,
            "alg is RS256 (SHA256withRSA), as Salesforce requires",
        )
    } else if upper == "RS256" {
        fail(
            RuleId::Alg,
            format!(
                "alg is {shown}: algorithm names are case-sensitive, and Salesforce requires RS256"
            ),
            ALG_FIX,
        )
    } else if upper == "NONE" {
        fail(
            RuleId::Alg,
            "alg is none: the token is unsigned, and Salesforce accepts only RS256-signed assertions (invalid assertion)",
            ALG_FIX,
        )
    } else if upper.starts_with("HS") {
        fail(
            RuleId::Alg,
            format!(
                "alg is {shown}, an HMAC with a shared secret: Salesforce verifies the assertion with the uploaded certificate's public key, so it must be RS256 (signing with the consumer secret is a common mix-up)"
            ),
            ALG_FIX,
        )
    } else if upper.starts_with("ES") || upper == "EDDSA" {
        fail(
            RuleId::Alg,
            format!(
                "alg is {shown}, an elliptic-curve signature: Salesforce documents only RS256, and EC keys are reported not to work for this flow"
            ),
            ALG_FIX,
        )
    } else {
        fail(
            RuleId::Alg,
            format!("alg is {shown}: Salesforce documents only RS256"),
            ALG_FIX,
        )
    }
}

pub(super) fn typ(h: &Map<String, Value>) -> RuleResult {
    match h.get("typ") {
        None => pass(RuleId::Typ, "no typ (optional)"),
        Some(Value::String(t)) if t.eq_ignore_ascii_case("JWT") => pass(
            RuleId::Typ,
            format!("typ is {} (accepted)", crate::text::one_line(t)),
        ),
        Some(v) => info_fix(
            RuleId::Typ,
            format!(
                "typ is {}; Salesforce's doc header has no typ, and JWT is the usual value when one is sent",
                crate::text::one_line_json(v, true)
            ),
            "Send {\"alg\":\"RS256\"} alone, or with \"typ\":\"JWT\".",
        ),
    }
}

pub(super) fn header_unexpected(h: &Map<String, Value>) -> RuleResult {
    let extra: Vec<String> = h
        .keys()
        .filter(|k| *k != "alg" && *k != "typ")
        .map(|k| crate::text::one_line(k))
        .collect();
    if extra.is_empty() {
        return pass(
            RuleId::HeaderUnexpected,
            "the header has only alg and typ, if any",
        );
    }
    if h.contains_key("crit") {
        return warn(
            RuleId::HeaderUnexpected,
            format!(
                "the header has crit (and {}): it names extensions a verifier must understand or reject the token, and Salesforce documents none",
                extra.join(", ")
            ),
            "Drop crit from the header; send {\"alg\":\"RS256\"}.",
        );
    }
    info(
        RuleId::HeaderUnexpected,
        format!(
            "the header also has {}: Salesforce doesn't need it (one certificate per app, no kid or x5t) and is not known to read it",
            extra.join(", ")
        ),
    )
}
