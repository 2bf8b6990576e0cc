//! Repairing PEM text mangled in real life, and splitting it into blocks.
//!
//! Keys and certificates travel through CI secrets, `.env` files, JSON, chat and web forms, and
//! come out with literal `\n` escapes, Windows line endings, a byte order mark, surrounding
//! quotes, indentation, squeezed onto one line, or base64-encoded whole. [`decode_text`] undoes
//! all of that and says, in plain words, what it did; [`blocks`] then splits the text into PEM
//! blocks.
//!
//! [`der`] is a minimal DER reader, used to recognise what a block or a DER file holds (a key, a
//! certificate, a CSR...) before handing it to the real parsers, and to tell a truncated file
//! from a malformed one.
//!
//! Nothing here panics on any input: every index is checked and every loop is linear.

/// Text after repairs, and what was repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    pub text: String,
    /// Each repair in plain words, e.g. "literal \n sequences were turned into line breaks".
    pub repairs: Vec<String>,
}

impl Drop for Repaired {
    /// The text is a private key as often as not: wiped when dropped.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.text);
    }
}

pub const REPAIR_BOM: &str = "a UTF-8 byte order mark (BOM) at the start was removed";
pub const REPAIR_UTF16: &str =
    "the file was UTF-16 text (as Windows PowerShell writes it) and was read as such";
pub const REPAIR_QUOTES: &str = "surrounding quotes were removed";
pub const REPAIR_LITERAL_NEWLINES: &str = "literal \\n sequences were turned into line breaks";
pub const REPAIR_JSON_SLASHES: &str = "JSON-escaped slashes (\\/) were turned back into /";
pub const REPAIR_CRLF: &str = "Windows line endings (CRLF) were turned into plain line breaks";
pub const REPAIR_CR: &str = "lone carriage returns (CR) were turned into line breaks";
pub const REPAIR_INDENT: &str = "indentation and trailing spaces were removed from lines";
pub const REPAIR_ONE_LINE: &str =
    "the PEM was on one line with spaces instead of line breaks; the line breaks were put back";
pub const REPAIR_NO_BREAKS: &str = "the PEM had lost its line breaks; they were put back";
pub const REPAIR_BARE_BASE64: &str =
    "the text was base64 without -----BEGIN/END----- lines; it was decoded as DER";
pub const REPAIR_BASE64_PEM: &str = "the text was the base64 of a PEM file (as `base64 -w0` \
     makes it for a CI secret) and was decoded; whatever uses the value must decode it too \
     (`base64 -d`)";

/// Turns bytes into repaired text, or `None` when they are not text (binary: DER or garbage).
///
/// Handles a UTF-8 BOM, UTF-16 with a BOM, and stray non-UTF-8 bytes around a PEM block (read
/// lossily when the bytes hold a `-----BEGIN` line).
pub fn decode_text(bytes: &[u8]) -> Option<Repaired> {
    let mut repairs = Vec::new();
    let mut text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        repairs.push(REPAIR_BOM.to_string());
        String::from_utf8_lossy(rest).into_owned()
    } else if let Some(text) = utf16_text(bytes) {
        repairs.push(REPAIR_UTF16.to_string());
        text
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                if !looks_textual(s) {
                    return None;
                }
                s.to_string()
            }
            Err(_) => {
                if find_bytes(bytes, b"-----BEGIN").is_some() {
                    String::from_utf8_lossy(bytes).into_owned()
                } else {
                    return None;
                }
            }
        }
    };
    let mut out = repair(&text);
    zeroize::Zeroize::zeroize(&mut text);
    repairs.append(&mut out.repairs);
    if let Some(mut inner) = base64_of_pem(&out.text) {
        // One level only: the base64 of the base64 of a PEM file is left alone.
        repairs.push(REPAIR_BASE64_PEM.to_string());
        repairs.append(&mut inner.repairs);
        out = inner;
    }
    out.repairs = repairs;
    Some(out)
}

/// The PEM text inside `text` when `text` is nothing but the base64 of a PEM file (a CI secret made
/// with `base64 -w0 server.key`), repaired; `None` otherwise.
fn base64_of_pem(text: &str) -> Option<Repaired> {
    if text.contains("-----BEGIN") || !is_bare_base64(text) {
        return None;
    }
    let mut bytes = base64_decode(text).ok()?;
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if !body[start..].starts_with(b"-----BEGIN") {
        zeroize::Zeroize::zeroize(&mut bytes);
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(mut decoded) => {
            let inner = repair(decoded.trim_start_matches('\u{feff}'));
            zeroize::Zeroize::zeroize(&mut decoded);
            Some(inner)
        }
        Err(e) => {
            zeroize::Zeroize::zeroize(&mut e.into_bytes());
            None
        }
    }
}

/// UTF-16 text with a byte order mark, decoded; `None` otherwise.
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (le, rest) = if let Some(r) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (true, r)
    } else if let Some(r) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (false, r)
    } else {
        return None;
    };
    let units = rest.chunks_exact(2).map(|c| match c {
        [a, b] if le => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect();
    if text.contains("-----BEGIN") || looks_textual(&text) {
        Some(text)
    } else {
        None
    }
}

/// Valid UTF-8 that is mostly printable: control characters other than whitespace mean binary.
fn looks_textual(s: &str) -> bool {
    let controls = s
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    controls == 0 || (s.contains("-----BEGIN") && controls * 20 < s.len())
}

/// Finds `needle` in `haystack`.
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Repairs PEM text: quotes, literal escapes, line endings, indentation, one-line PEM.
pub fn repair(input: &str) -> Repaired {
    let mut repairs: Vec<String> = Vec::new();
    let mut note = |r: &str| {
        if !repairs.iter().any(|x| x == r) {
            repairs.push(r.to_string());
        }
    };

    let mut text = input.trim().to_string();

    // Surrounding quotes, as in `.env` files and JSON values (possibly with a trailing comma).
    for _ in 0..2 {
        let t = text.trim().trim_end_matches(',').trim();
        let unquoted = t
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .or_else(|| t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')));
        match unquoted {
            Some(inner) if inner.contains("-----") || inner.len() > 40 => {
                text = inner.trim().to_string();
                note(REPAIR_QUOTES);
            }
            _ => break,
        }
    }

    // Literal escape sequences: `\n`, `\r\n`, `\\n` (doubly escaped), `\/` (JSON).
    if text.contains('\\') {
        let (unescaped, newlines, slashes) = unescape(&text);
        if newlines {
            note(REPAIR_LITERAL_NEWLINES);
        }
        if slashes {
            note(REPAIR_JSON_SLASHES);
        }
        text = unescaped;
    }

    // Line endings.
    text = text.trim().to_string();
    if text.contains('\r') {
        if text.contains("\r\n") {
            note(REPAIR_CRLF);
            text = text.replace("\r\n", "\n");
        }
        if text.contains('\r') {
            note(REPAIR_CR);
            text = text.replace('\r', "\n");
        }
    }

    // Indentation and trailing spaces on lines.
    let mut trimmed_any = false;
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let t = line.trim();
        if t.len() != line.len() {
            trimmed_any = true;
        }
        lines.push(t.to_string());
    }

    // A PEM squeezed onto one line (or with its line breaks gone): put the breaks back.
    let mut out_lines: Vec<String> = Vec::new();
    let mut squeezed = false;
    let mut glued = false;
    for line in &lines {
        if has_marker(line) && !is_marker_line(line) {
            let (split, had_space) = split_squeezed_line(line);
            if had_space {
                squeezed = true;
            } else {
                glued = true;
            }
            out_lines.extend(split);
        } else {
            out_lines.push(line.clone());
        }
    }
    if squeezed {
        note(REPAIR_ONE_LINE);
    } else if glued {
        note(REPAIR_NO_BREAKS);
    } else if trimmed_any {
        note(REPAIR_INDENT);
    }

    let mut text = out_lines.join("\n");
    text.push('\n');
    Repaired { text, repairs }
}

/// Undoes literal escapes. Returns the text, whether newline escapes were seen, and whether
/// escaped slashes were seen.
fn unescape(text: &str) -> (String, bool, bool) {
    let mut out = String::with_capacity(text.len());
    let mut newlines = false;
    let mut slashes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        // A run of backslashes, then the escaped letter.
        while chars.peek() == Some(&'\\') {
            chars.next();
        }
        match chars.peek() {
            Some('n') => {
                chars.next();
                out.push('\n');
                newlines = true;
            }
            Some('r') => {
                chars.next();
                // `\r\n` becomes one line break; a lone `\r` too.
                newlines = true;
                let mut look = chars.clone();
                while look.peek() == Some(&'\\') {
                    look.next();
                }
                if look.peek() == Some(&'n') {
                    // Let the `\n` that follows make the break.
                } else {
                    out.push('\n');
                }
            }
            Some('/') => {
                chars.next();
                out.push('/');
                slashes = true;
            }
            _ => out.push('\\'),
        }
    }
    (out, newlines, slashes)
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

fn has_marker(line: &str) -> bool {
    line.contains(BEGIN) || line.contains(END)
}

/// `-----BEGIN LABEL-----` or `-----END LABEL-----` and nothing else.
fn is_marker_line(line: &str) -> bool {
    parse_marker(line).is_some()
}

/// Parses a whole line as a marker: `(is_begin, label)`.
fn parse_marker(line: &str) -> Option<(bool, String)> {
    let line = line.trim();
    let (begin, rest) = if let Some(r) = line.strip_prefix(BEGIN) {
        (true, r)
    } else if let Some(r) = line.strip_prefix(END) {
        (false, r)
    } else {
        return None;
    };
    let label = rest.strip_suffix(DASHES)?;
    if label.contains(DASHES) || label.trim().is_empty() && !label.is_empty() {
        return None;
    }
    Some((begin, label.trim().to_string()))
}

/// Splits one line holding markers and content into proper PEM lines; also says whether the
/// content between the markers was separated by whitespace.
fn split_squeezed_line(line: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut had_space = false;
    let mut rest = line;
    loop {
        let next_marker = [rest.find(BEGIN), rest.find(END)]
            .into_iter()
            .flatten()
            .min();
        let Some(start) = next_marker else {
            had_space |= rest.contains(char::is_whitespace);
            push_content(&mut out, rest);
            break;
        };
        let (before, from_marker) = rest.split_at(start);
        had_space |= before.contains(char::is_whitespace);
        push_content(&mut out, before);
        let prefix_len = if from_marker.starts_with(BEGIN) {
            BEGIN.len()
        } else {
            END.len()
        };
        let after_prefix = from_marker.get(prefix_len..).unwrap_or("");
        match after_prefix.find(DASHES) {
            Some(close) => {
                let marker_end = prefix_len + close + DASHES.len();
                let marker = from_marker.get(..marker_end).unwrap_or(from_marker);
                out.push(marker.to_string());
                rest = from_marker.get(marker_end..).unwrap_or("");
            }
            None => {
                // An unclosed marker: keep it as it is.
                out.push(from_marker.to_string());
                break;
            }
        }
    }
    (out, had_space)
}

/// Pushes the content between markers: headers (`Name: value`) then base64, one token a line.
fn push_content(out: &mut Vec<String>, content: &str) {
    let tokens: Vec<&str> = content.split_whitespace().collect();
    let mut i = 0;
    let mut had_headers = false;
    while i < tokens.len() {
        let t = tokens.get(i).copied().unwrap_or("");
        if t.ends_with(':') && t.len() > 1 && !t.starts_with(':') {
            // A header: its value is the next token.
            let value = tokens.get(i + 1).copied().unwrap_or("");
            out.push(format!("{t} {value}"));
            had_headers = true;
            i += 2;
            continue;
        }
        if had_headers {
            out.push(String::new());
            had_headers = false;
        }
        out.push(t.to_string());
        i += 1;
    }
}

/// One PEM block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    /// The label, e.g. `PRIVATE KEY`.
    pub label: String,
    /// RFC 1421 headers, e.g. `("Proc-Type", "4,ENCRYPTED")`, `("DEK-Info", "AES-256-CBC,...")`.
    pub headers: Vec<(String, String)>,
    /// The decoded body, or why the base64 did not decode.
    pub body: Result<Vec<u8>, Base64Error>,
    /// Whether the matching `-----END LABEL-----` line was found.
    pub complete: bool,
}

impl Drop for PemBlock {
    /// The body is a private key's DER as often as not: wiped when the block is dropped.
    fn drop(&mut self) {
        if let Ok(body) = &mut self.body {
            zeroize::Zeroize::zeroize(body);
        }
    }
}

impl PemBlock {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits repaired text into PEM blocks, in order. Text outside blocks is ignored (OpenSSL
/// writes "Bag Attributes" and `-text` dumps there).
pub fn blocks(text: &str) -> Vec<PemBlock> {
    struct Open {
        label: String,
        headers: Vec<(String, String)>,
        body: String,
        in_headers: bool,
    }
    fn finish(mut open: Open, complete: bool) -> PemBlock {
        let body = base64_decode(&open.body);
        // The base64 of a private key: wiped before its memory is freed.
        zeroize::Zeroize::zeroize(&mut open.body);
        PemBlock {
            label: open.label,
            headers: open.headers,
            body,
            complete,
        }
    }
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    for raw in text.lines() {
        let line = raw.trim();
        match parse_marker(line) {
            Some((true, label)) => {
                if let Some(o) = open.take() {
                    out.push(finish(o, false));
                }
                open = Some(Open {
                    label,
                    headers: Vec::new(),
                    // Room for a 16384-bit key's base64 up front: growing the string would leave
                    // copies of the key in freed memory, where zeroize cannot reach.
                    body: String::with_capacity(text.len().min(16 * 1024)),
                    in_headers: true,
                });
            }
            Some((false, label)) => {
                if let Some(o) = open.take() {
                    let complete = o.label == label;
                    out.push(finish(o, complete));
                }
            }
            None => {
                let Some(o) = open.as_mut() else { continue };
                if line.is_empty() {
                    o.in_headers = false;
                    continue;
                }
                if o.in_headers
                    && o.body.is_empty()
                    && let Some((name, value)) = line.split_once(':')
                {
                    let name = name.trim();
                    if !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        o.headers.push((name.to_string(), value.trim().to_string()));
                        continue;
                    }
                }
                o.in_headers = false;
                o.body.push_str(line);
            }
        }
    }
    if let Some(o) = open.take() {
        out.push(finish(o, false));
    }
    out
}

/// Why a base64 body did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// A character outside the base64 alphabet (the character itself is not kept).
    InvalidCharacter,
    /// The length does not fit base64 (characters were lost).
    BadLength,
}

/// Decodes standard base64 (RFC 4648 alphabet), ignoring whitespace; padding is optional.
pub fn base64_decode(s: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut n: u32 = 0;
    let mut padding = 0usize;
    for c in s.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding += 1;
            if padding > 2 {
                return Err(Base64Error::InvalidCharacter);
            }
            continue;
        }
        if padding > 0 {
            // Data after padding.
            return Err(Base64Error::InvalidCharacter);
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(Base64Error::InvalidCharacter),
        };
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        0 => {}
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => return Err(Base64Error::BadLength),
    }
    Ok(out)
}

/// Whether `text` is only base64 (and whitespace), long enough to be a key or certificate.
pub fn is_bare_base64(text: &str) -> bool {
    let mut count = 0usize;
    for c in text.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/' || c == b'=') {
            return false;
        }
        count += 1;
    }
    count >= 64
}

/// A minimal DER reader: enough to recognise keys, certificates and their relatives.
pub mod der;

#[cfg(test)]
mod tests;
