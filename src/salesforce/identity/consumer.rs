//! The consumer key and the consumer secret: their shapes, never their secret parts.

use super::*;

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
pub fn assess_consumer_key(key: &str) -> Judgement {
    let len = key.chars().count();
    if key.trim().is_empty() {
        return Judgement::fail("empty", "the consumer key is empty", format!("{FIND_KEY}."));
    }
    let trimmed = key.trim().trim_matches(is_quote);
    if let Some(what) = secret_lookalike(trimmed) {
        return Judgement::fail(
            Pasted::Secret.code(),
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
        return Judgement::fail(
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
        return Judgement::fail(
            "wrong-prefix",
            format!(
                "the consumer key doesn't start with 3MVG, as every Salesforce consumer key does ({len} characters; not shown){hint}"
            ),
            format!("{FIND_KEY}."),
        );
    }
    let short = shorten_key(key);
    if is_canonical_consumer_key(key) {
        return Judgement::pass(
            "valid",
            format!(
                "the consumer key {short} has the shape of a Salesforce consumer key (3MVG9, {CONSUMER_KEY_LEN} characters)"
            ),
        );
    }
    unusual_shape(key, len, &short)
}

/// A 3MVG key that is not of the canonical shape: what is odd about it. Cut short (an
/// ellipsis, as shortened displays and sfjwt's own reports show keys) or holding a character no
/// consumer key has, Salesforce can only refuse it (`invalid_client_id`): a failure. A length or
/// prefix other than the observed ones is only unusual: a warning.
fn unusual_shape(key: &str, len: usize, short: &str) -> Judgement {
    let again =
        format!("{FIND_KEY} in full (use the copy button; the screen can wrap or shorten it).");
    if key.ends_with("...") || key.contains('…') {
        return Judgement::fail(
            "truncated",
            format!(
                "the consumer key {short} was cut short: it holds an ellipsis, as shortened displays (and sfjwt's reports) show a key, and Salesforce can only answer invalid_client_id"
            ),
            again,
        );
    }
    if let Some(c) = key.chars().find(|c| !is_key_char(*c)) {
        return Judgement::fail(
            "invalid-character",
            format!(
                "the consumer key {short} contains {c:?}, which no consumer key holds (only letters, digits, '.' and '_'): Salesforce can only answer invalid_client_id"
            ),
            again,
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
    Judgement::warn(
        "unusual-shape",
        format!("the consumer key {short} {}", oddities.join(", ")),
        again,
    )
}

// Consumer secret

/// The format of a consumer secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum SecretFormat {
    /// 64 upper-case hex characters: the current format.
    #[strum(serialize = "hex-64-upper")]
    UpperHex64,
    /// 19 digits: the legacy format.
    #[strum(serialize = "digits-19")]
    LegacyDigits19,
    /// 64 hex characters, not all upper-case.
    #[strum(serialize = "hex-64-lower")]
    LowerHex64,
    /// Starts with `3MVG`: a consumer key.
    ConsumerKey,
    /// Empty, or whitespace around it.
    Blank,
    Other,
}

impl SecretFormat {
    pub fn as_str(self) -> &'static str {
        self.into()
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
pub fn assess_consumer_secret(secret: &str) -> Judgement {
    let len = secret.chars().count();
    let fmt = secret_format(secret);
    if fmt == SecretFormat::Blank {
        return Judgement::warn(
            "blank",
            format!("the consumer secret is empty; {SECRET_ROLE}"),
            format!("{FIND_SECRET}, or leave it unset if you don't need introspection."),
        );
    }
    if secret.chars().any(|c| c.is_whitespace() || is_invisible(c)) {
        return Judgement::warn(
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
        return Judgement::warn(
            "quoted",
            format!(
                "the consumer secret ({len} characters, not shown) has quotes around it, which become part of the value"
            ),
            "Remove the quotes around the secret.",
        );
    }
    match fmt {
        SecretFormat::ConsumerKey => Judgement::fail(
            Pasted::ConsumerKey.code(),
            "the consumer secret starts with 3MVG: it is the consumer key, so the key and the secret were probably swapped".to_string(),
            format!(
                "{FIND_SECRET}; put the 3MVG... value in the consumer key setting and the 64-character secret in the secret setting."
            ),
        ),
        SecretFormat::UpperHex64 => Judgement::pass(
            "valid",
            format!(
                "the consumer secret has the current format, 64 upper-case hex characters; {SECRET_ROLE}"
            ),
        ),
        SecretFormat::LegacyDigits19 => Judgement::info(
            "legacy",
            format!(
                "the consumer secret has the legacy 19-digit format of older apps, which still works; {SECRET_ROLE}"
            ),
        ),
        SecretFormat::LowerHex64 => Judgement::warn(
            "lower-case-hex",
            format!(
                "the consumer secret is 64 hex characters but not upper-case as Salesforce shows it, so it was transformed or is another value, such as a hash; {SECRET_ROLE}"
            ),
            format!("{FIND_SECRET}, unchanged."),
        ),
        _ => Judgement::warn(
            "unusual-shape",
            format!(
                "the consumer secret is a {len}-character value in neither known format, 64 upper-case hex or 19 digits; {SECRET_ROLE}"
            ),
            format!("{FIND_SECRET}."),
        ),
    }
}
