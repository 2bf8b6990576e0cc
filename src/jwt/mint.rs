//! Minting the test assertion the way Salesforce's doc builds it: header `{"alg":"RS256"}`,
//! claims `iss` (consumer key), `sub` (username), `aud` (authorization server), `exp` (whole
//! seconds, 3 minutes ahead), signed with SHA256withRSA (RS256) by the key's own signer
//! ([`PrivateKey::sign_rs256`]: the decoded key is used as it is, never encoded and parsed again).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use time::OffsetDateTime;

use crate::bundle::key::PrivateKey;

/// How far ahead of the run's instant the test assertion expires: the documented "within 3
/// minutes" (salesforce-jwt.md §2.5).
pub const ASSERTION_LIFETIME_SECS: i64 = 180;

/// The claims of the test assertion, serialised in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssertionClaims {
    /// The consumer key of the app.
    pub iss: String,
    /// The username the assertion acts for.
    pub sub: String,
    /// The authorization server: login/test.salesforce.com, My Domain, or the site URL.
    pub aud: String,
    /// Seconds since the epoch.
    pub exp: i64,
}

impl AssertionClaims {
    /// The claims for an assertion made at `at`: `exp` is `at` in whole seconds plus
    /// [`ASSERTION_LIFETIME_SECS`].
    pub fn new(
        iss: impl Into<String>,
        sub: impl Into<String>,
        aud: impl Into<String>,
        at: OffsetDateTime,
    ) -> Self {
        Self::with_lifetime(iss, sub, aud, at, ASSERTION_LIFETIME_SECS)
    }

    /// The claims for an assertion made at `at` that is valid for `lifetime_secs`: `exp` is `at`
    /// in whole seconds plus `lifetime_secs` (`sfjwt mint --lifetime`).
    pub fn with_lifetime(
        iss: impl Into<String>,
        sub: impl Into<String>,
        aud: impl Into<String>,
        at: OffsetDateTime,
        lifetime_secs: i64,
    ) -> Self {
        AssertionClaims {
            iss: iss.into(),
            sub: sub.into(),
            aud: aud.into(),
            exp: at.unix_timestamp().saturating_add(lifetime_secs),
        }
    }
}

/// The header of every minted assertion, exactly as Salesforce's doc writes it.
pub fn header_json() -> &'static str {
    r#"{"alg":"RS256"}"#
}

/// A minted test assertion, decoded back: what `sfjwt check` lints, verifies and (with
/// `--live`) sends. The token is a credential until `exp`: `Debug` never shows it.
pub struct Minted {
    pub claims: AssertionClaims,
    pub token: String,
    pub decoded: super::Decoded,
}

impl fmt::Debug for Minted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Minted")
            .field("claims", &self.claims)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// Mints the assertion and decodes it back: one RSA signature.
pub fn mint_decoded(key: &PrivateKey, claims: AssertionClaims) -> Result<Minted, MintError> {
    let token = mint(key, &claims)?;
    let decoded = super::decode(&token).map_err(|e| {
        MintError(format!(
            "the minted assertion did not decode back ({})",
            e.message()
        ))
    })?;
    Ok(Minted {
        claims,
        token,
        decoded,
    })
}

/// Why the test assertion could not be signed (not expected with a key that decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintError(pub String);

impl fmt::Display for MintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the test assertion could not be signed: {}", self.0)
    }
}

impl std::error::Error for MintError {}

/// Signs the claims with the private key: one RSA signature. The JWS compact form is
/// base64url(header) `.` base64url(claims JSON) `.` base64url(signature), without padding,
/// byte for byte what `jsonwebtoken::encode` makes of the same header and claims. The result is
/// a credential until `exp`: never print it unless the user asked for it.
pub fn mint(key: &PrivateKey, claims: &AssertionClaims) -> Result<String, MintError> {
    let claims_json = serde_json::to_vec(claims)
        .map_err(|e| MintError(format!("the claims do not serialise ({e})")))?;
    let mut token =
        String::with_capacity((header_json().len() + claims_json.len() + key.bits / 8) * 4 / 3 + 8);
    URL_SAFE_NO_PAD.encode_string(header_json(), &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&claims_json, &mut token);
    let signature = key.sign_rs256(token.as_bytes()).map_err(MintError)?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::key::decode_private_key;
    use time::macros::datetime;

    #[test]
    fn the_minted_assertion_has_the_documented_header_and_claims() {
        let key =
            decode_private_key(include_bytes!("../../fixtures/valid/server.key"), None).unwrap();
        let claims = AssertionClaims::new(
            "3MVG9key",
            "jane@acme.com",
            "https://login.salesforce.com",
            datetime!(2026-11-29 13:00 UTC),
        );
        assert_eq!(claims.exp, 1_795_957_380);
        let token = mint(&key, &claims).unwrap();
        let d = crate::jwt::decode(&token).unwrap();
        assert_eq!(d.header_json(), header_json());
        assert_eq!(
            d.claims_json(),
            r#"{"aud":"https://login.salesforce.com","exp":1795957380,"iss":"3MVG9key","sub":"jane@acme.com"}"#
        );
        assert_eq!(d.signature_len(), 256);
        // PKCS#1 v1.5 signatures are deterministic: the same input gives the same token.
        assert_eq!(mint(&key, &claims).unwrap(), token);
        // Claims are serialised in the documented order.
        let payload = token.split('.').nth(1).unwrap();
        use base64::Engine as _;
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        assert!(String::from_utf8(json).unwrap().starts_with(r#"{"iss":"#));
    }

    #[test]
    fn a_chosen_lifetime_sets_exp_from_the_instant_in_whole_seconds() {
        let at = datetime!(2026-11-29 13:00:00.75 UTC);
        let c = AssertionClaims::with_lifetime("i", "s", "a", at, 3600);
        assert_eq!(c.exp, datetime!(2026-11-29 14:00 UTC).unix_timestamp());
        assert_eq!(
            AssertionClaims::new("i", "s", "a", at).exp,
            c.exp - 3600 + 180
        );
    }
}
