//! The username: its shape, and what it looks like instead when it is not one.

use super::*;

/// A 15- or 18-character Salesforce record Id with the given 3-character key prefix.
fn is_record_id(s: &str, prefix: &str) -> bool {
    (s.len() == 15 || s.len() == 18)
        && s.starts_with(prefix)
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub(super) fn percent_decode(s: &str) -> Option<String> {
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
pub fn assess_username(username: &str) -> Judgement {
    pasted(username)
        .or_else(|| other_value(username))
        .unwrap_or_else(|| shape(username))
}

/// Copy-paste artefacts and values meant for another setting: empty, a secret, quotes, a display
/// name, whitespace, invisible characters.
fn pasted(username: &str) -> Option<Judgement> {
    let fail = |code, message: String| Judgement::fail(code, message, format!("{FIND_USERNAME}."));
    if username.trim().is_empty() {
        return Some(fail(
            "empty",
            if username.is_empty() {
                "the username is empty".into()
            } else {
                format!("the username is only whitespace ({})", quoted(username))
            },
        ));
    }
    if let Some(shape) = crate::lookalike::secret_shape(username) {
        return Some(Judgement::fail(
            Pasted::Secret.code(),
            format!(
                "the username is {} ({} characters; not shown), not a username: a value meant for another setting was given here",
                shape.what,
                username.chars().count()
            ),
            format!("Give the username the JWT acts for. {FIND_USERNAME}."),
        ));
    }
    let trimmed = username.trim();
    if trimmed.starts_with(is_quote) || trimmed.ends_with(is_quote) {
        return Some(Judgement::fail(
            "quoted",
            format!(
                "the username {} has quotes around it, which become part of the value",
                quoted(username)
            ),
            format!("Remove the quotes: use {}.", trimmed.trim_matches(is_quote)),
        ));
    }
    if username.contains(['<', '>']) {
        let inner = username
            .split_once('<')
            .and_then(|(_, r)| r.split_once('>'))
            .map(|(i, _)| i.trim().to_string());
        return Some(Judgement::fail(
            "display-name",
            format!(
                "the username {} looks like an email header with a display name, not a username",
                quoted(username)
            ),
            match inner {
                Some(i) if !i.is_empty() => {
                    format!("Use the address alone, {i}, if that is the Username in Setup > Users.")
                }
                _ => format!("{FIND_USERNAME}."),
            },
        ));
    }
    if username.chars().any(char::is_whitespace) {
        let fix = if trimmed.chars().any(char::is_whitespace) {
            format!("Remove the whitespace. {FIND_USERNAME}.")
        } else {
            format!("Remove the whitespace: use {trimmed}.")
        };
        return Some(Judgement::fail(
            "whitespace",
            format!(
                "the username {} has {}; Salesforce looks it up as is and finds no user",
                quoted(username),
                describe_whitespace(username)
            ),
            fix,
        ));
    }
    if let Some(c) = username.chars().find(|c| is_invisible(*c)) {
        return Some(Judgement::fail(
            "invisible-character",
            format!(
                "the username {} contains an invisible character (U+{:04X}), a copy-paste artefact",
                quoted(username),
                c as u32
            ),
            "Type the username again by hand, or copy it from Setup > Users as plain text.",
        ));
    }
    None
}

/// Another kind of value where the username goes: a mailto: link, a URL, a record Id, too long.
fn other_value(username: &str) -> Option<Judgement> {
    let fail = |code, message: String| Judgement::fail(code, message, format!("{FIND_USERNAME}."));
    let lower = username.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("mailto:") {
        return Some(Judgement::fail(
            "mailto",
            format!("the username {} is a mailto: link", quoted(username)),
            format!("Drop the mailto: prefix: use {rest}, if that is the Username."),
        ));
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(fail(
            Pasted::Url.code(),
            format!(
                "the username {} is a URL, not a username (is it the login URL?)",
                quoted(username)
            ),
        ));
    }
    if has_percent_escape(username) {
        let decoded = percent_decode(username);
        return Some(Judgement::fail(
            "url-encoded",
            format!(
                "the username {} is URL-encoded; the JWT carries it as is, so Salesforce finds no such user",
                quoted(username)
            ),
            match decoded {
                Some(d) => format!("Use it decoded: {d}. Don't URL-encode the sub claim."),
                None => "Use it decoded (%40 is @). Don't URL-encode the sub claim.".into(),
            },
        ));
    }
    if is_record_id(username, "005") {
        return Some(fail(
            "user-id",
            format!(
                "the username {} is a User Id, not a username; the JWT's sub must be the Username",
                quoted(username)
            ),
        ));
    }
    if is_record_id(username, "00D") {
        return Some(fail(
            "org-id",
            format!(
                "the username {} is an Organization Id, not a username",
                quoted(username)
            ),
        ));
    }
    let len = username.chars().count();
    if len > MAX_USERNAME_LEN {
        return Some(fail(
            "too-long",
            format!(
                "the username is {len} characters long; Salesforce usernames have at most {MAX_USERNAME_LEN}"
            ),
        ));
    }
    None
}

/// The `local@domain.tld` shape itself.
fn shape(username: &str) -> Judgement {
    let fail = |code, message: String| Judgement::fail(code, message, format!("{FIND_USERNAME}."));
    let lower = username.to_ascii_lowercase();
    let ats = username.matches('@').count();
    if ats == 0 {
        return fail(
            "no-at",
            format!(
                "the username {} has no '@': Salesforce usernames look like email addresses (jane@acme.com)",
                quoted(username)
            ),
        );
    }
    if ats > 1 {
        return fail(
            "several-at",
            format!("the username {} has more than one '@'", quoted(username)),
        );
    }
    let Some(parts) = split_username(username) else {
        return fail(
            "missing-part",
            format!(
                "the username {} has nothing before or after its '@'",
                quoted(username)
            ),
        );
    };
    if let Some(bad) = invalid_character(username, parts) {
        return bad;
    }
    let labels: Vec<&str> = parts.domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return fail(
            "bad-domain",
            format!(
                "the part after '@' in {} is not a domain like acme.com",
                quoted(username)
            ),
        );
    }
    if lower.ends_with(".invalid") {
        return Judgement::fail(
            "sandbox-email",
            format!(
                "the username {} ends in .invalid, which Salesforce appends to the Email of sandbox users; it is the user's email, not the username",
                quoted(username)
            ),
            "In the sandbox, open Setup > Users and copy the Username field (it ends in .<sandbox name>, e.g. jane@acme.com.uat), not the Email.",
        );
    }
    if !username.is_ascii() {
        return Judgement::warn(
            "non-ascii",
            format!(
                "the username {} contains non-ASCII characters; check it is the Username exactly as Setup > Users shows it",
                quoted(username)
            ),
            format!("{FIND_USERNAME}."),
        );
    }
    Judgement::pass(
        "valid",
        format!(
            "the username {} has the shape of a Salesforce username",
            quoted(username)
        ),
    )
}

/// A character a username can't contain, before or after its '@'.
fn invalid_character(username: &str, parts: UsernameParts<'_>) -> Option<Judgement> {
    let fail = |code, message: String| Judgement::fail(code, message, format!("{FIND_USERNAME}."));
    if let Some(c) = parts
        .local
        .chars()
        .find(|&c| !(c.is_alphanumeric() || LOCAL_SPECIALS.contains(c)))
    {
        return Some(fail(
            "invalid-character",
            format!(
                "the username {} contains {:?}, which a username can't contain",
                quoted(username),
                c
            ),
        ));
    }
    if let Some(c) = parts
        .domain
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return Some(fail(
            "invalid-character",
            format!(
                "the username {} contains {:?} after the '@', which a username can't contain",
                quoted(username),
                c
            ),
        ));
    }
    None
}
