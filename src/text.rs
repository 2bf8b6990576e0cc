//! Display-safe text: the one rule for what sfjwt may print of a value it did not write itself
//! (a file name, a username, a server's answer), in every format.
//!
//! Escaped, as Rust writes them (`\n`, `\u{1b}`): control characters (C0, DEL, C1: terminal
//! escape sequences start with them), characters that render as nothing or reorder the text
//! around them (zero-width characters, bidirectional embeddings, overrides and isolates: the
//! "Trojan Source" characters), and line and paragraph separators. Also escaped, so that a
//! value can never become a command of the CI runner that reads sfjwt's output: `::` at the
//! start of a value (a GitHub Actions workflow command, `::add-mask::`, `::stop-commands::`, is a
//! line that starts with it) and `##[` anywhere (the older form of the same commands).

use std::borrow::Cow;

/// Whether `c` must be escaped before it is printed: the one rule, for whole messages
/// ([`display_safe`]) as for one quoted value ([`quoted`], [`one_line`]). Control characters;
/// characters that render as nothing, as a space that is not one, or that reorder the text
/// around them (bidirectional embeddings, overrides and isolates U+2066-2069); line and
/// paragraph separators.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(
            c,
            '\u{00A0}'
                | '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The most characters of a bad input a message quotes ([`quoted`]).
pub const MAX_QUOTED: usize = 80;

/// Characters of one value shown in a one-line rendering ([`one_line`]) before it is cut.
pub const MAX_ONE_LINE: usize = 200;

/// Pushes `text` with every character of [`needs_escape`] escaped as Rust writes it, cut after
/// `max` characters; true when it was cut.
fn push_escaped(out: &mut String, text: &str, max: usize) -> bool {
    for (i, c) in text.chars().enumerate() {
        if i == max {
            return true;
        }
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    false
}

/// A value a user gave, quoted for a message: at most [`MAX_QUOTED`] characters (then `…`),
/// escaped by the one rule.
pub fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    if push_escaped(&mut out, text, MAX_QUOTED) {
        out.push('…');
    }
    out.push('"');
    out
}

/// A value as one printable line, cut after [`MAX_ONE_LINE`] characters with its length.
pub fn one_line(text: &str) -> String {
    one_line_limited(text, MAX_ONE_LINE)
}

/// A value as one printable line, cut after `max` characters with its length.
pub fn one_line_limited(text: &str, max: usize) -> String {
    let mut out = String::new();
    if push_escaped(&mut out, text, max) {
        out.push_str(&format!("… ({} characters)", text.chars().count()));
    }
    out
}

/// A JSON value as one printable line: strings as they are (quoted only when `quote_strings`),
/// other values as compact JSON, then as [`one_line`].
pub fn one_line_json(value: &serde_json::Value, quote_strings: bool) -> String {
    match value {
        serde_json::Value::String(s) if !quote_strings => one_line(s),
        other => one_line(&serde_json::to_string(other).unwrap_or_default()),
    }
}

/// Whether a value would be read as a workflow command where a renderer puts it at the start
/// of a line (after any spaces).
fn starts_a_command(text: &str) -> bool {
    text.trim_start().starts_with("::")
}

/// `text` as it may be printed: see the module documentation. Text that needs nothing is
/// returned as it is.
pub fn display_safe(text: &str) -> Cow<'_, str> {
    // Printable ASCII, the common case, needs no character-by-character look.
    let plain = text.bytes().all(|b| (b' '..=b'~').contains(&b)) || !text.chars().any(needs_escape);
    if plain && !starts_a_command(text) && !text.contains("##[") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let lead = text.len() - text.trim_start().len();
    for (i, c) in text.char_indices() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else if (c == ':' && i == lead && starts_a_command(text))
            || (c == '#' && text[i..].starts_with("##["))
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Makes a string display-safe in place; true when it changed.
pub fn make_display_safe(text: &mut String) -> bool {
    match display_safe(text) {
        Cow::Borrowed(_) => false,
        Cow::Owned(safe) => {
            *text = safe;
            true
        }
    }
}

/// Makes every string of a JSON value display-safe (object keys too); true when one changed.
pub fn make_json_display_safe(value: &mut serde_json::Value) -> bool {
    rewrite_json_strings(value, &make_display_safe)
}

/// Lets `f` rewrite every string of a JSON value, object keys too (`f` says whether it changed
/// one); true when any changed. Shared by display-safe text and the Redactor.
pub fn rewrite_json_strings(
    value: &mut serde_json::Value,
    f: &dyn Fn(&mut String) -> bool,
) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => f(s),
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| rewrite_json_strings(v, f) | changed),
        Value::Object(map) => {
            let mut keys_changed = false;
            if map.keys().any(|k| f(&mut k.clone())) {
                let old = std::mem::take(map);
                for (mut k, v) in old {
                    keys_changed |= f(&mut k);
                    map.insert(k, v);
                }
            }
            map.values_mut().fold(keys_changed, |changed, v| {
                rewrite_json_strings(v, f) | changed
            })
        }
        _ => false,
    }
}

/// Formats an instant as RFC 3339 in UTC, to the second.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_left_alone() {
        for s in [
            "fixtures/valid",
            "a: b",
            "https://[::1]:8080",
            "é 🙂 «x»",
            "a::b",
            "#1 ##",
        ] {
            assert!(matches!(display_safe(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn terminal_escapes_and_line_breaks_are_escaped() {
        assert_eq!(display_safe("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(display_safe("two\nlines\r\tx"), "two\\nlines\\r\\tx");
        assert_eq!(display_safe("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(display_safe("del\u{7f}"), "del\\u{7f}");
    }

    #[test]
    fn bidi_and_invisible_characters_are_escaped() {
        assert_eq!(display_safe("x\u{202E}y"), "x\\u{202e}y");
        assert_eq!(display_safe("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(display_safe("zero\u{200B}width"), "zero\\u{200b}width");
        assert_eq!(display_safe("\u{FEFF}bom"), "\\u{feff}bom");
        assert_eq!(display_safe("sep\u{2028}x"), "sep\\u{2028}x");
    }

    #[test]
    fn one_rule_for_quoted_values_one_lines_and_messages() {
        for c in [
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{202E}', '\u{00A0}', '\n',
        ] {
            let text = format!("a{c}b");
            let escaped = display_safe(&text).into_owned();
            assert_ne!(escaped, text);
            assert_eq!(quoted(&text), format!("\"{escaped}\""));
            assert_eq!(one_line(&text), escaped);
        }
        assert_eq!(
            quoted(&"x".repeat(100)),
            format!("\"{}…\"", "x".repeat(MAX_QUOTED))
        );
        let long = one_line(&"é".repeat(500));
        assert!(long.ends_with("… (500 characters)"), "{long}");
        assert_eq!(
            one_line_json(&serde_json::json!("plain"), true),
            "\"plain\""
        );
        assert_eq!(
            one_line_json(&serde_json::json!(["a", 1]), false),
            "[\"a\",1]"
        );
    }

    #[test]
    fn workflow_commands_cannot_be_spelt() {
        assert_eq!(
            display_safe("::add-mask::x"),
            "\\u{3a}:add-mask::x",
            "a value that starts with :: cannot start a command line"
        );
        assert_eq!(display_safe("  ::error::x"), "  \\u{3a}:error::x");
        assert_eq!(display_safe("a ##[error]b"), "a \\u{23}#[error]b");
        // A line break inside a value is escaped, so `::` after it starts no line.
        assert_eq!(display_safe("x\n::warning::y"), "x\\n::warning::y");
    }

    #[test]
    fn json_strings_and_keys_are_made_safe() {
        let mut v = serde_json::json!({"k\u{1b}": ["::set-output x", 1], "ok": "fine"});
        assert!(make_json_display_safe(&mut v));
        assert_eq!(v["k\\u{1b}"][0], "\\u{3a}:set-output x");
        assert_eq!(v["ok"], "fine");
        assert!(!make_json_display_safe(&mut v));
    }
}
