//! Values that look like secrets: what sfjwt recognises as a credential by its shape alone,
//! wherever it is given (a flag, a variable, a `sfjwt.toml` field, a file name, a server's
//! answer), so that it is described and never echoed.
//!
//! Recognised: PEM blocks (a private key, encrypted or not, and any other block: a certificate
//! where a username goes is no secret, but it is no username either, and 1,500 characters of it
//! help nobody), the base64 of a PEM file (`base64 -w0 server.key`), the bare base64 of a DER
//! key or certificate (a PEM body without its armour), signed JWTs (assertions and tokens),
//! Salesforce access tokens (`00D...!...`), and the shapes of a consumer secret (64 hex digits,
//! or 19 digits for older apps).

use std::borrow::Cow;

use base64::Engine as _;

use crate::redact::Redactor;

/// What a value looks like, in words for a message ("a PEM private key").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// A noun phrase: "a PEM private key", "the base64 of a PEM private key".
    pub what: &'static str,
    pub class: Class,
}

/// The kinds of values [`secret_shape`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A private key, in any of its encodings, or a PEM block that may hold one.
    PrivateKey,
    /// A certificate or a certificate request: public, but never a username or a path.
    Certificate,
    /// A signed JWT or an access token: a credential until it expires.
    Token,
    /// The shape of a consumer secret: 64 hex digits, or 19 digits.
    SecretShaped,
}

impl Shape {
    /// A credential, not only a value that must not be echoed.
    pub fn secret(self) -> bool {
        self.class != Class::Certificate
    }
}

const fn shape(what: &'static str, class: Class) -> Option<Shape> {
    Some(Shape { what, class })
}

const fn key(what: &'static str) -> Option<Shape> {
    shape(what, Class::PrivateKey)
}

const fn public(what: &'static str) -> Option<Shape> {
    shape(what, Class::Certificate)
}

/// What `value` looks like, when it has the shape of a credential (or of a PEM block).
pub fn secret_shape(value: &str) -> Option<Shape> {
    let v = value
        .trim()
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '`'));
    if let Some(i) = v.find("-----BEGIN") {
        return pem_shape(&v[i..]);
    }
    if is_hex64(v) {
        return shape(
            "a value with a consumer secret's shape (64 hex digits)",
            Class::SecretShaped,
        );
    }
    if v.len() == 19 && v.bytes().all(|b| b.is_ascii_digit()) {
        return shape(
            "a value with a legacy consumer secret's shape (19 digits)",
            Class::SecretShaped,
        );
    }
    if is_jwt(v) {
        return shape("a signed JWT (an assertion or a token)", Class::Token);
    }
    if is_access_token(v) {
        return shape("a Salesforce access token", Class::Token);
    }
    base64_shape(v)
}

fn pem_shape(block: &str) -> Option<Shape> {
    let label = block["-----BEGIN".len()..]
        .trim_start()
        .split("-----")
        .next()
        .unwrap_or("");
    if label.contains("PRIVATE KEY") {
        key("a PEM private key")
    } else if label.contains("CERTIFICATE REQUEST") {
        public("a PEM certificate request")
    } else if label.contains("CERTIFICATE") {
        public("a PEM certificate")
    } else {
        // PKCS#12, an unknown label, or a block cut before its label ends: it may hold a key.
        key("a PEM block")
    }
}

fn is_hex64(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    v.starts_with("eyJ")
        && (parts.len() == 3 || parts.len() == 5)
        && parts[..2].iter().all(|p| p.len() >= 4)
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

/// `00D` and the org id's 12 or 15 characters, `!`, and the token's random part.
fn is_access_token(v: &str) -> bool {
    let Some((org, rest)) = v.split_once('!') else {
        return false;
    };
    org.starts_with("00D")
        && (org.len() == 15 || org.len() == 18)
        && org.bytes().all(|b| b.is_ascii_alphanumeric())
        && rest.len() >= 16
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The base64 of a PEM file, or of a DER key or certificate.
fn base64_shape(v: &str) -> Option<Shape> {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let stripped = compact.replace("\\n", "");
    if stripped.len() < 40
        || !stripped
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        return None;
    }
    // "-----BEGIN" in base64, at any of the three alignments a file can start with.
    if stripped.starts_with("LS0tLS1CRUdJTi") {
        let decoded = decode_base64(&stripped)?;
        let text = String::from_utf8_lossy(&decoded);
        return match pem_shape(&text)? {
            s if s.secret() => key("the base64 of a PEM private key"),
            _ => public("the base64 of a PEM certificate"),
        };
    }
    let der = decode_base64(&stripped)?;
    der_shape(&der)
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let e = &base64::engine::general_purpose::STANDARD;
    let no_pad = &base64::engine::general_purpose::STANDARD_NO_PAD;
    e.decode(text)
        .ok()
        .or_else(|| no_pad.decode(text.trim_end_matches('=')).ok())
        .or_else(|| {
            // Cut short: the whole groups of four still tell what it is.
            let whole = text.len() / 4 * 4;
            no_pad.decode(text[..whole].trim_end_matches('=')).ok()
        })
}

/// PKCS#1 and PKCS#8 keys start `SEQUENCE { INTEGER 0, ...`; an encrypted PKCS#8 key names a
/// PKCS#5 or PKCS#12 encryption OID; a certificate is `SEQUENCE { SEQUENCE { [0] version` (v3)
/// or `SEQUENCE { SEQUENCE { INTEGER serial` (v1).
fn der_shape(der: &[u8]) -> Option<Shape> {
    let body = match der {
        [0x30, 0x82, _, _, rest @ ..] | [0x30, 0x81, _, rest @ ..] => rest,
        _ => return None,
    };
    const PKCS5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
    const PKCS12_PBE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
    let head = &body[..body.len().min(32)];
    if body.starts_with(&[0x02, 0x01, 0x00]) {
        key("the base64 of a DER private key")
    } else if body.first() == Some(&0x30)
        && (head.windows(PKCS5.len()).any(|w| w == PKCS5)
            || head.windows(PKCS12_PBE.len()).any(|w| w == PKCS12_PBE))
    {
        key("the base64 of an encrypted DER private key")
    } else if matches!(
        body,
        [0x30, 0x82, _, _, 0xa0 | 0x02, ..] | [0x30, 0x81, _, 0xa0 | 0x02, ..]
    ) {
        public("the base64 of a DER certificate")
    } else {
        None
    }
}

/// Makes `redactor` know a private key by its material, in the encodings it is printed in when
/// it is printed at all: the base64 of its DER (a PEM body, joined or line by line; the text of a
/// DER file's base64), and the base64 of a PEM file given as such (`base64 -w0 server.key`),
/// with the PEM inside it. `bytes` is the key as it was given: a file, `--key -`,
/// `$SFJWT_PRIVATE_KEY`.
pub fn add_key_material(redactor: &mut Redactor, bytes: &[u8]) {
    const WHAT: &str = "private key";
    let Ok(text) = std::str::from_utf8(bytes) else {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        redactor.add_bytes(b64.as_bytes(), WHAT);
        return;
    };
    let body = base64_body(text);
    redactor.add_bytes(body.as_bytes(), WHAT);
    if body.starts_with("LS0tLS1CRUdJTi")
        && let Some(mut inner) = decode_base64(&body)
    {
        if let Ok(pem) = std::str::from_utf8(&inner) {
            redactor.add_bytes(base64_body(pem).as_bytes(), WHAT);
        }
        zeroize::Zeroize::zeroize(&mut inner);
    }
}

/// The base64 characters of a PEM text, armour and headers taken out, joined: what any line or
/// run of lines of its body is a part of. Literal `\n` (a key pasted into JSON) is a line break.
fn base64_body(text: &str) -> zeroize::Zeroizing<String> {
    let mut out = zeroize::Zeroizing::new(String::with_capacity(text.len()));
    let text = text.replace("\\n", "\n");
    let mut rest = text.as_str();
    // Armour lines can share a line with the body (a one-line PEM): cut them out by their dashes.
    while !rest.is_empty() {
        let (part, after) = match rest.find("-----") {
            Some(i) => {
                let tail = &rest[i + 5..];
                let close = tail.find("-----").map_or(tail.len(), |j| j + 5);
                (&rest[..i], &tail[close..])
            }
            None => (rest, ""),
        };
        for line in part.lines().filter(|l| !l.contains(':')) {
            out.extend(
                line.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')),
            );
        }
        rest = after;
    }
    out
}

/// Words of a text that is not sfjwt's own (an argument parser's error, a TOML error, a
/// server's answer), with every value that looks like a credential, and every PEM block,
/// replaced by `[redacted: WHAT]`.
pub fn redact_lookalikes(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(i) = rest.find("-----BEGIN") {
        let (before, block) = rest.split_at(i);
        out.push_str(&redact_words(before, &mut changed));
        let end = block_end(block);
        out.push_str("[redacted: ");
        out.push_str(pem_shape(block).map_or("a PEM block", |s| s.what));
        out.push(']');
        changed = true;
        rest = &block[end..];
    }
    let tail = redact_words(rest, &mut changed);
    if !changed {
        return Cow::Borrowed(text);
    }
    out.push_str(&tail);
    Cow::Owned(out)
}

/// Where a PEM block that starts `block` ends: after its `-----END ...-----`, or, when the text
/// holds none (cut short, or a one-line paste), at the end of the text.
fn block_end(block: &str) -> usize {
    let Some(i) = block.find("-----END") else {
        return block.len();
    };
    let after = &block[i + "-----END".len()..];
    match after.find("-----") {
        Some(j) => i + "-----END".len() + j + "-----".len(),
        None => block.len(),
    }
}

fn redact_words<'a>(text: &'a str, changed: &mut bool) -> Cow<'a, str> {
    let is_separator = |c: char| {
        c.is_whitespace() || matches!(c, '\'' | '"' | '`' | ',' | ';' | '(' | ')' | '<' | '>')
    };
    let mut out = String::new();
    let mut last = 0;
    let mut found = false;
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_separator(c), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                start = None;
                let word = &text[s..i];
                let value = word
                    .rsplit_once('=')
                    .map_or(word, |(_, v)| v)
                    .trim_start_matches('-');
                if let Some(shape) = secret_shape(value) {
                    let at = i - value.len();
                    out.push_str(&text[last..at]);
                    out.push_str("[redacted: ");
                    out.push_str(shape.what);
                    out.push(']');
                    last = i;
                    found = true;
                }
            }
            _ => {}
        }
    }
    if !found {
        return Cow::Borrowed(text);
    }
    *changed = true;
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
