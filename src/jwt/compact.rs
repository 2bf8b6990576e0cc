//! Taking a compact JWT (`header.payload.signature`) apart, as a person pastes it.
//!
//! [`decode`] tolerates what copying a token from a log, a terminal or an HTTP request adds
//! around it (surrounding whitespace and newlines, a `Bearer ` prefix, quotes, the form body
//! `grant_type=...&assertion=...`, line breaks inside a wrapped token) and says what it
//! dropped. Everything else that is not a JWT gets a [`DecodeError`] naming what the input is
//! instead: empty, far too large, a PEM private key, an access token, JSON, the wrong number of
//! parts, a bad character, a truncated part, a part that is not JSON. No error message quotes
//! the input beyond one offending character.

use std::fmt;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// The longest token [`decode`] reads. A Salesforce assertion is well under 2 KB; even a JWT
/// carrying a certificate chain in its header stays under a few KB.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// The base64url decoder: no padding (stripped beforehand), lenient about trailing bits.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// One of the three parts of a compact JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Part {
    Header,
    Payload,
    Signature,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A way the token's encoding departs from JWS compact serialization (RFC 7515 §2: base64url
/// without padding), which [`decode`] tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EncodingIssue {
    /// `=` padding at the end of a part.
    Padding,
    /// `+` or `/` from the standard base64 alphabet instead of base64url's `-` and `_`.
    StandardAlphabet,
}

/// A compact JWT taken apart. Its `Debug` never shows the signature.
#[derive(Clone)]
pub struct Decoded {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims set (the payload).
    pub claims: Map<String, Value>,
    /// What was dropped or repaired around the token to read it, in plain words.
    pub notes: Vec<String>,
    /// Departures from base64url without padding.
    pub encoding: Vec<EncodingIssue>,
    /// Member names that appear more than once in the header or the claims (`claims.exp`).
    pub duplicates: Vec<String>,
    /// `header.payload` exactly as in the token: what the signature signs.
    signing_input: String,
    signature: Vec<u8>,
}

impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("notes", &self.notes)
            .field("encoding", &self.encoding)
            .field("duplicates", &self.duplicates)
            .field(
                "signature",
                &format_args!("<{} bytes>", self.signature.len()),
            )
            .finish()
    }
}

impl Decoded {
    /// The header's `alg`, when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// How many bytes the signature has (0 for an unsigned token).
    pub fn signature_len(&self) -> usize {
        self.signature.len()
    }

    pub(crate) fn signing_input(&self) -> &str {
        &self.signing_input
    }

    pub(crate) fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The header as it may be shown: values that look like a secret replaced (see
    /// [`super::shown_members`]).
    pub fn shown_header(&self) -> Map<String, Value> {
        super::shown_members(&self.header)
    }

    /// The claims as they may be shown (see [`Decoded::shown_header`]).
    pub fn shown_claims(&self) -> Map<String, Value> {
        super::shown_members(&self.claims)
    }

    /// The header as it may be shown, as compact JSON (keys sorted).
    pub fn header_json(&self) -> String {
        serde_json::to_string(&self.shown_header()).unwrap_or_default()
    }

    /// The claims as they may be shown, as compact JSON (keys sorted).
    pub fn claims_json(&self) -> String {
        serde_json::to_string(&self.shown_claims()).unwrap_or_default()
    }
}

/// Why the input is not a JWT.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum DecodeError {
    Empty,
    WhitespaceOnly,
    TooLarge {
        bytes: usize,
    },
    /// Not UTF-8 text; `utf16` when it starts with a UTF-16 byte order mark.
    NotText {
        utf16: bool,
    },
    /// A PEM private key (`-----BEGIN ... PRIVATE KEY-----`).
    PrivateKey,
    /// Some other PEM block (a certificate, a public key, a CSR).
    #[strum(serialize = "pem")]
    PemBlock {
        label: String,
    },
    /// A Salesforce access token (`00D...!...`).
    AccessToken,
    /// A JSON document: decoded claims or a token response, not the compact token.
    Json,
    /// Not three dot-separated parts.
    Parts {
        count: usize,
    },
    /// The header or the payload is empty.
    EmptyPart {
        part: Part,
    },
    /// A character that base64url does not have.
    BadCharacter {
        part: Part,
        ch: char,
        /// 1-based, in characters, within the part.
        position: usize,
    },
    /// The part ends in the middle of a base64 group, or its JSON ends early.
    Truncated {
        part: Part,
    },
    /// The part decodes, but not to JSON.
    NotJson {
        part: Part,
        detail: String,
    },
    /// The part is JSON, but not an object.
    NotObject {
        part: Part,
        found: &'static str,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for DecodeError {}

const WHAT_A_JWT_IS: &str = "a JWT bearer assertion is three base64url parts joined by dots, header.payload.signature, and starts with eyJ";

impl DecodeError {
    /// Stable identifier, for tests and JSON.
    pub fn code(&self) -> &'static str {
        self.into()
    }

    /// One line, plain words; never quotes the input.
    pub fn message(&self) -> String {
        match self {
            DecodeError::Empty => "the input is empty: there is no token to decode".into(),
            DecodeError::WhitespaceOnly => {
                "the input is only whitespace: there is no token to decode".into()
            }
            DecodeError::TooLarge { bytes } => format!(
                "the input is {bytes} bytes, more than the {MAX_TOKEN_LEN} bytes sfjwt reads as one token; a Salesforce assertion is well under 2 KB"
            ),
            DecodeError::NotText { utf16: true } => {
                "the input is UTF-16 text (what PowerShell's > writes), not plain ASCII".into()
            }
            DecodeError::NotText { utf16: false } => {
                "the input is binary data, not the text of a token".into()
            }
            DecodeError::PrivateKey => {
                "the input is a PEM private key, not a JWT (not shown). Never send the private key as the assertion: Salesforce answers invalid_grant / invalid assertion".into()
            }
            DecodeError::PemBlock { label } => {
                format!("the input is a PEM block ({label}), not a JWT")
            }
            DecodeError::AccessToken => {
                "the input looks like a Salesforce access token (00D...!...), the result of the login, not the assertion sent to get it (not shown)".into()
            }
            DecodeError::Json => {
                "the input is JSON, not a compact JWT (header.payload.signature); it may be decoded claims or a token response".into()
            }
            DecodeError::Parts { count: 1 } => {
                format!("the input has no dots, so it is not a JWT: {WHAT_A_JWT_IS}")
            }
            DecodeError::Parts { count: 2 } => {
                "the input has two parts, not three: the signature is missing, or the token was cut short after the payload".into()
            }
            DecodeError::Parts { count: 5 } => {
                "the input has five parts: it is an encrypted JWT (JWE), not a signed assertion; Salesforce's JWT bearer flow takes a signed JWT (JWS) of three parts".into()
            }
            DecodeError::Parts { count } => {
                format!("the input has {count} dot-separated parts, not three: {WHAT_A_JWT_IS}")
            }
            DecodeError::EmptyPart { part } => {
                format!("the token's {part} is empty: {WHAT_A_JWT_IS}")
            }
            DecodeError::BadCharacter { part, ch, position } => format!(
                "the token's {part} has {} at character {position}, which base64url doesn't use (it has only A-Z a-z 0-9 - _)",
                describe_char(*ch)
            ),
            DecodeError::Truncated { part } => format!(
                "the token's {part} ends early: the token looks truncated (cut off when it was copied, logged or stored)"
            ),
            DecodeError::NotJson { part, detail } => {
                format!("the token's {part} decodes, but not to JSON ({detail})")
            }
            DecodeError::NotObject { part, found } => {
                format!("the token's {part} is JSON {found}, not a JSON object")
            }
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> String {
        match self {
            DecodeError::Empty | DecodeError::WhitespaceOnly => {
                "Pass the token as an argument, or pipe it in: `pbpaste | sfjwt decode`, `sfjwt decode - < token.txt`.".into()
            }
            DecodeError::TooLarge { .. } => {
                "Give one token only, not a whole log or file: copy the eyJ... value of the assertion parameter.".into()
            }
            DecodeError::NotText { .. } => {
                "Save the token as plain ASCII text (in PowerShell: `Out-File -Encoding ascii`), or pass it as an argument.".into()
            }
            DecodeError::PrivateKey => {
                "Give the assertion (eyJ...), not the key. If this key was pasted somewhere shared, treat it as exposed: make a new key and certificate and upload the certificate to the app.".into()
            }
            DecodeError::PemBlock { .. } => {
                "Give the assertion (eyJ...) as the token; give the certificate with --cert to verify the signature.".into()
            }
            DecodeError::AccessToken => {
                "Give the assertion (the eyJ... value posted as assertion=... to /services/oauth2/token). Treat the access token as a secret.".into()
            }
            DecodeError::Json => {
                "Give the compact token itself: the eyJ... value posted as assertion=... to /services/oauth2/token.".into()
            }
            DecodeError::Parts { .. } | DecodeError::EmptyPart { .. } => {
                "Copy the whole token, from eyJ to the end of the signature: three parts separated by two dots.".into()
            }
            DecodeError::BadCharacter { .. } => {
                "Copy the token again as plain text; if it came from a URL or a form body, it may have been encoded or escaped on the way.".into()
            }
            DecodeError::Truncated { .. } => {
                "Copy the whole token again; logs and terminals often cut long lines. A Salesforce assertion with a 2048-bit key is about 600 to 800 characters.".into()
            }
            DecodeError::NotJson { .. } | DecodeError::NotObject { .. } => {
                "Check what built the token: each of header and payload must be a base64url-encoded JSON object.".into()
            }
        }
    }
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '%' => "'%' (a URL-encoded token?)".into(),
        c if c.is_control() || c.is_whitespace() || !c.is_ascii() => {
            format!("the character U+{:04X}", c as u32)
        }
        c => format!("'{c}'"),
    }
}

/// Decodes raw input bytes (a file, standard input): UTF-8, with a byte order mark tolerated.
pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.len() > MAX_TOKEN_LEN {
        return Err(DecodeError::TooLarge { bytes: bytes.len() });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => decode(text),
        Err(_) => Err(DecodeError::NotText {
            utf16: bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF"),
        }),
    }
}

/// Takes a compact JWT apart. See the module docs for what is tolerated around it.
pub fn decode(input: &str) -> Result<Decoded, DecodeError> {
    if input.len() > MAX_TOKEN_LEN {
        return Err(DecodeError::TooLarge { bytes: input.len() });
    }
    if input.is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut notes = Vec::new();
    let text = input.trim().trim_start_matches('\u{FEFF}').trim();
    if text.is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    refuse_pem(text)?;
    let text = unwrap_token(text, &mut notes);
    if text.is_empty() {
        return Err(DecodeError::WhitespaceOnly);
    }
    if text.starts_with('{') || text.starts_with('[') {
        return Err(DecodeError::Json);
    }
    if text.starts_with("00D") && text.contains('!') {
        return Err(DecodeError::AccessToken);
    }
    let compact = join_wrapped_lines(text, &mut notes);

    let parts: Vec<&str> = compact.split('.').collect();
    refuse_cut_payload(&parts)?;
    if parts.len() != 3 {
        return Err(DecodeError::Parts { count: parts.len() });
    }
    let mut encoding = Vec::new();
    let header_bytes = decode_part(parts[0], Part::Header, &mut encoding)?;
    let payload_bytes = decode_part(parts[1], Part::Payload, &mut encoding)?;
    let signature = decode_part(parts[2], Part::Signature, &mut encoding)?;
    let mut duplicates = Vec::new();
    let header = parse_object(&header_bytes, Part::Header, &mut duplicates)?;
    let claims = parse_object(&payload_bytes, Part::Payload, &mut duplicates)?;
    encoding.dedup();
    Ok(Decoded {
        header,
        claims,
        notes,
        encoding,
        duplicates,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature,
    })
}

/// A PEM block is not a token: a private key is named as such (it must not be pasted around).
fn refuse_pem(text: &str) -> Result<(), DecodeError> {
    let Some(pos) = text.find("-----BEGIN ") else {
        return Ok(());
    };
    let label: String = text[pos + 11..]
        .chars()
        .take_while(|c| *c != '-' && *c != '\n')
        .take(40)
        .collect();
    Err(if label.contains("PRIVATE KEY") {
        DecodeError::PrivateKey
    } else {
        DecodeError::PemBlock {
            label: label.trim().to_string(),
        }
    })
}

/// The token out of what was pasted around it: an `Authorization:` header name, a `Bearer `
/// prefix, a form body's `assertion` parameter, quotes; each removal noted.
fn unwrap_token<'a>(mut text: &'a str, notes: &mut Vec<String>) -> &'a str {
    if let Some(rest) = strip_prefix_ignore_case(text, "authorization:") {
        text = rest.trim_start();
        notes.push("dropped the `Authorization:` header name".to_string());
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "bearer")
        && rest.starts_with(char::is_whitespace)
    {
        text = rest.trim_start();
        notes.push("dropped the `Bearer ` prefix".to_string());
    }
    if let Some(value) = form_parameter(text, "assertion") {
        text = value;
        notes.push("took the assertion parameter of the form body".to_string());
    }
    let quotes: &[char] = &['"', '\'', '`'];
    if let (Some(first), Some(last)) = (text.chars().next(), text.chars().last())
        && quotes.contains(&first)
        && first == last
        && text.len() >= 2
    {
        text = text[first.len_utf8()..text.len() - last.len_utf8()].trim();
        notes.push("dropped the quotes around the token".to_string());
    }
    text
}

/// The token without the spaces and line breaks inside it (a line wrapped by a terminal or an
/// editor), noting how many there were.
fn join_wrapped_lines(text: &str, notes: &mut Vec<String>) -> String {
    let whitespace_inside = text.chars().filter(|c| c.is_whitespace()).count();
    if whitespace_inside == 0 {
        return text.to_string();
    }
    notes.push(format!(
        "removed {} inside the token (a line wrapped by a terminal or an editor)",
        crate::words::count(
            i64::try_from(whitespace_inside).unwrap_or(i64::MAX),
            "space or line break",
            "spaces and line breaks"
        )
    ));
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `header.payload`: a missing signature, or a token cut inside its payload. A header that
/// reads and a payload that ends early is the cut token.
fn refuse_cut_payload(parts: &[&str]) -> Result<(), DecodeError> {
    if parts.len() != 2 {
        return Ok(());
    }
    let mut ignored = Vec::new();
    let header_reads = decode_part(parts[0], Part::Header, &mut ignored)
        .is_ok_and(|h| parse_object(&h, Part::Header, &mut Vec::new()).is_ok());
    let cut = header_reads
        && match decode_part(parts[1], Part::Payload, &mut ignored) {
            Err(DecodeError::Truncated { .. }) => true,
            Ok(bytes) => matches!(
                parse_object(&bytes, Part::Payload, &mut Vec::new()),
                Err(DecodeError::Truncated { .. })
            ),
            Err(_) => false,
        };
    if cut {
        return Err(DecodeError::Truncated {
            part: Part::Payload,
        });
    }
    Ok(())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The value of `name=` in an `a=b&c=d` form body, when the text is one.
fn form_parameter<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    if !text.contains('=') || !text.contains(&format!("{name}=")) {
        return None;
    }
    text.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim())
    })
}

fn decode_part(
    text: &str,
    part: Part,
    encoding: &mut Vec<EncodingIssue>,
) -> Result<Vec<u8>, DecodeError> {
    if text.is_empty() {
        return match part {
            Part::Signature => Ok(Vec::new()),
            _ => Err(DecodeError::EmptyPart { part }),
        };
    }
    let unpadded = text.trim_end_matches('=');
    if unpadded.len() != text.len() {
        encoding.push(EncodingIssue::Padding);
    }
    let mut standard = false;
    for (i, c) in unpadded.chars().enumerate() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => {}
            '+' | '/' => standard = true,
            _ => {
                return Err(DecodeError::BadCharacter {
                    part,
                    ch: c,
                    position: i + 1,
                });
            }
        }
    }
    let owned;
    let url_safe = if standard {
        encoding.push(EncodingIssue::StandardAlphabet);
        owned = unpadded.replace('+', "-").replace('/', "_");
        owned.as_str()
    } else {
        unpadded
    };
    if url_safe.len() % 4 == 1 {
        return Err(DecodeError::Truncated { part });
    }
    B64.decode(url_safe)
        .map_err(|_| DecodeError::Truncated { part })
}

/// The members of a JSON object, in order, duplicates kept.
struct Members(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// What kind of JSON value this is, in words ("a number", "an array").
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_object(
    bytes: &[u8],
    part: Part,
    duplicates: &mut Vec<String>,
) -> Result<Map<String, Value>, DecodeError> {
    // First as any JSON value, to tell "not JSON" from "JSON, but not an object".
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) if e.is_eof() => return Err(DecodeError::Truncated { part }),
        Err(e) => {
            let detail = if std::str::from_utf8(bytes).is_err() {
                "it is binary data".to_string()
            } else {
                format!("{} at column {}", classify(&e), e.column())
            };
            return Err(DecodeError::NotJson { part, detail });
        }
    };
    if !value.is_object() {
        return Err(DecodeError::NotObject {
            part,
            found: json_kind(&value),
        });
    }
    let members: Members = serde_json::from_slice(bytes).map_err(|e| DecodeError::NotJson {
        part,
        detail: classify(&e).to_string(),
    })?;
    let prefix = match part {
        Part::Header => "header",
        _ => "claims",
    };
    let mut map = Map::new();
    for (k, v) in members.0 {
        if map.contains_key(&k) {
            let name = format!("{prefix}.{k}");
            if !duplicates.contains(&name) {
                duplicates.push(name);
            }
        }
        // The last occurrence wins, as in most JSON parsers.
        map.insert(k, v);
    }
    Ok(map)
}

fn classify(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data => "unexpected data",
        serde_json::error::Category::Eof => "it ends early",
        serde_json::error::Category::Io => "a read error",
    }
}

#[cfg(test)]
mod tests;
