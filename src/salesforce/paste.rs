//! Turning what people paste into text the error matcher can scan: one linear pass that lower-cases
//! ASCII, undoes the escapes that error texts travel in (JSON `\n` and `\u0027`, URL `%20` and
//! `+`, HTML `&#39;`), maps typographic quotes and dashes to ASCII, and collapses runs of spaces.
//!
//! The result is bytes, not a `String`: percent-decoding can produce invalid UTF-8, and every
//! phrase the matcher looks for is ASCII, so nothing is lost.

/// A byte of a word: ASCII letters, digits and `_` (error codes such as `invalid_grant` are one
/// word).
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Normalises pasted text for matching (see the module docs). Linear in the input's length.
pub fn normalize(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Normalized {
        bytes: Vec::with_capacity(b.len()),
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\\' => {
                // Any depth of escaping: `\n`, `\\n`, `\\\"` all count once.
                let mut j = i;
                while j < b.len() && b[j] == b'\\' {
                    j += 1;
                }
                match b.get(j) {
                    None => break,
                    Some(b'n') => {
                        out.emit(b'\n');
                        i = j + 1;
                    }
                    Some(b'r' | b't') => {
                        out.emit(b' ');
                        i = j + 1;
                    }
                    Some(b'u') => match hex_value(b, j + 1, 4) {
                        Some(code) => {
                            out.emit_char(code);
                            i = j + 5;
                        }
                        None => i = j,
                    },
                    // Drop the backslashes; the escaped character is handled normally.
                    Some(_) => i = j,
                }
            }
            b'%' => match hex_value(b, i + 1, 2) {
                Some(v) => {
                    // A byte, possibly part of a multi-byte character: emit it as is.
                    out.emit(v as u8);
                    i += 3;
                }
                None => {
                    out.emit(c);
                    i += 1;
                }
            },
            b'+' => {
                // Form encoding: `+` is a space. Nothing the matcher looks for contains `+`.
                out.emit(b' ');
                i += 1;
            }
            b'&' => match html_entity(b, i) {
                Some((code, len)) => {
                    out.emit_char(code);
                    i += len;
                }
                None => {
                    out.emit(c);
                    i += 1;
                }
            },
            _ => {
                out.emit(c);
                i += 1;
            }
        }
    }
    out.bytes
}

struct Normalized {
    bytes: Vec<u8>,
}

impl Normalized {
    fn ends_with(&self, tail: &[u8]) -> bool {
        self.bytes.ends_with(tail)
    }

    fn emit(&mut self, c: u8) {
        match c {
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                if !matches!(self.bytes.last(), None | Some(b' ' | b'\n')) {
                    self.bytes.push(b' ');
                }
            }
            b'\n' => {
                if self.bytes.last() == Some(&b' ') {
                    self.bytes.pop();
                }
                if !matches!(self.bytes.last(), None | Some(b'\n')) {
                    self.bytes.push(b'\n');
                }
            }
            // The last byte of U+2018/2019/201B (quotes), U+201C/201D/201E (double quotes),
            // U+2013/2014 (dashes), all E2 80 xx; and U+00A0 (no-break space), C2 A0.
            0x98 | 0x99 | 0x9b | 0x9c | 0x9d | 0x9e | 0x93 | 0x94
                if self.ends_with(&[0xe2, 0x80]) =>
            {
                self.bytes.truncate(self.bytes.len() - 2);
                let ascii = match c {
                    0x98 | 0x99 | 0x9b => b'\'',
                    0x93 | 0x94 => b'-',
                    _ => b'"',
                };
                self.emit(ascii);
            }
            0xa0 if self.ends_with(&[0xc2]) => {
                self.bytes.pop();
                self.emit(b' ');
            }
            _ => self.bytes.push(c.to_ascii_lowercase()),
        }
    }

    fn emit_char(&mut self, code: u32) {
        let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0u8; 4];
        for &byte in ch.encode_utf8(&mut buf).as_bytes() {
            self.emit(byte);
        }
    }
}

/// The value of `len` hex digits at `b[at..]`, if they are all there.
fn hex_value(b: &[u8], at: usize, len: usize) -> Option<u32> {
    let digits = b.get(at..at + len)?;
    let mut v = 0u32;
    for &d in digits {
        v = v * 16 + char::from(d).to_digit(16)?;
    }
    Some(v)
}

/// An HTML character reference at `b[at]` (which is `&`): the code point and the length.
fn html_entity(b: &[u8], at: usize) -> Option<(u32, usize)> {
    let rest = b.get(at + 1..(at + 12).min(b.len()))?;
    let semi = rest.iter().position(|&c| c == b';')?;
    let name = &rest[..semi];
    let len = semi + 2;
    let code = match name {
        b"amp" => u32::from(b'&'),
        b"lt" => u32::from(b'<'),
        b"gt" => u32::from(b'>'),
        b"quot" => u32::from(b'"'),
        b"apos" => u32::from(b'\''),
        b"nbsp" => 0xa0,
        [b'#', b'x' | b'X', hex @ ..] if !hex.is_empty() && hex.len() <= 6 => {
            hex_value(hex, 0, hex.len())?
        }
        [b'#', dec @ ..] if !dec.is_empty() && dec.len() <= 7 => {
            std::str::from_utf8(dec).ok()?.parse().ok()?
        }
        _ => return None,
    };
    Some((code, len))
}

/// Whether `needle` occurs in `hay` at a word boundary on both ends (where the needle's own end
/// is a word byte).
pub fn find_word(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    let first = needle[0];
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let rel = hay[from..=hay.len() - needle.len()]
            .iter()
            .position(|&c| c == first)?;
        let at = from + rel;
        if hay[at..].starts_with(needle) && bounded(hay, at, at + needle.len(), needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether `hay[start..end]`, holding `needle`, stands on word boundaries.
pub fn bounded(hay: &[u8], start: usize, end: usize, needle: &[u8]) -> bool {
    let starts_word = needle.first().is_some_and(|&c| is_word(c));
    let ends_word = needle.last().is_some_and(|&c| is_word(c));
    let before_ok = !starts_word || start == 0 || !is_word(hay[start - 1]);
    let after_ok = !ends_word || end >= hay.len() || !is_word(hay[end]);
    before_ok && after_ok
}

/// Whether `needle` occurs anywhere in `hay` (plain substring).
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The largest index at most `at` that is a character boundary of `s`.
pub fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        String::from_utf8_lossy(&normalize(s)).into_owned()
    }

    #[test]
    fn lower_cases_and_collapses_spaces() {
        assert_eq!(
            n("User  Hasn't\tApproved   This Consumer"),
            "user hasn't approved this consumer"
        );
        assert_eq!(n("a \r\n  \n b"), "a\nb");
    }

    #[test]
    fn undoes_json_escapes_at_any_depth() {
        assert_eq!(
            n(r"Errors encountered:\nuser hasn\u0027t approved"),
            "errors encountered:\nuser hasn't approved"
        );
        assert_eq!(n(r#"{\"error\":\"x\"}"#), r#"{"error":"x"}"#);
        assert_eq!(n(r"a\\nb"), "a\nb");
        assert_eq!(n(r"C:\temp"), "c: emp");
        assert_eq!(n("ends with \\"), "ends with ");
    }

    #[test]
    fn undoes_url_and_form_encoding() {
        assert_eq!(
            n("error_description=client%20identifier%20invalid"),
            "error_description=client identifier invalid"
        );
        assert_eq!(n("user+hasn%27t+approved"), "user hasn't approved");
        assert_eq!(n("100%"), "100%");
        assert_eq!(n("%E2%80%99"), "'");
    }

    #[test]
    fn undoes_html_character_references() {
        assert_eq!(
            n("hasn&#39;t &amp; hasn&#x27;t &quot;x&quot; &bogus; &"),
            "hasn't & hasn't \"x\" &bogus; &"
        );
    }

    #[test]
    fn maps_typographic_quotes_and_dashes() {
        assert_eq!(n("Here’s the error – “x”"), "here's the error - \"x\"");
        assert_eq!(n("a\u{a0}b"), "a b");
        // Other non-ASCII text passes through untouched.
        assert_eq!(n("Fehler: Ünbekannt"), "fehler: Ünbekannt");
    }

    #[test]
    fn finds_words_on_boundaries_only() {
        assert_eq!(find_word(b"http 500 error", b"500"), Some(5));
        assert_eq!(find_word(b"took 15000 ms", b"500"), None);
        assert_eq!(find_word(b"invalid_grant_type", b"invalid_grant"), None);
        assert_eq!(find_word(b"", b"x"), None);
    }

    #[test]
    fn floors_to_character_boundaries() {
        let s = "aé";
        assert_eq!(floor_char_boundary(s, 2), 1);
        assert_eq!(floor_char_boundary(s, 3), 3);
        assert_eq!(floor_char_boundary(s, 99), 3);
    }
}
