//! The subject of a new certificate, from `--subject`: the DN form `CN=x,O=y,OU=z,C=US` or
//! OpenSSL's `-subj` form `/CN=x/O=y`. Attributes are encoded in the order given (as OpenSSL's
//! `-subj` does, so `openssl x509 -subject` prints them as typed): UTF8String, except `C`
//! (PrintableString, two letters) and `emailAddress` (IA5String). A separator inside a value
//! is escaped with a backslash (`O=Acme\, Inc.`, `/O=A\/B`).

use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::der::asn1::{
    Any, Ia5StringRef, ObjectIdentifier, PrintableStringRef, Utf8StringRef,
};
use x509_cert::der::{Decode, Encode};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// What a value is encoded as.
#[derive(Clone, Copy)]
enum Kind {
    Utf8,
    Country,
    Email,
}

/// The attributes a subject may have: (names accepted, OID, encoding, longest value).
const ATTRIBUTES: &[(&[&str], &str, Kind, usize)] = &[
    (&["CN"], "2.5.4.3", Kind::Utf8, 64),
    (&["O"], "2.5.4.10", Kind::Utf8, 64),
    (&["OU"], "2.5.4.11", Kind::Utf8, 64),
    (&["L"], "2.5.4.7", Kind::Utf8, 128),
    (&["ST", "S"], "2.5.4.8", Kind::Utf8, 128),
    (&["C"], "2.5.4.6", Kind::Country, 2),
    (
        &["emailAddress", "E"],
        "1.2.840.113549.1.9.1",
        Kind::Email,
        255,
    ),
];

const FORMS: &str =
    "write it as CN=name,O=company,C=US (or /CN=name/O=company/C=US, as OpenSSL's -subj)";

/// Reads `--subject`.
pub fn parse_subject(text: &str) -> Result<Name, String> {
    let text = text.trim();
    let (body, separator) = match text.strip_prefix('/') {
        Some(rest) => (rest, '/'),
        None => (text, ','),
    };
    let parts = split_unescaped(body, separator);
    if parts.iter().all(|p| p.trim().is_empty()) {
        return Err(format!("--subject is empty: {FORMS}"));
    }
    let mut pairs = Vec::new();
    for part in parts {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!("--subject: `{}` has no `=`: {FORMS}", part.trim()));
        };
        pairs.push((name.trim().to_string(), unescape(value.trim())));
    }
    build(&pairs)
}

/// A subject of one common name (the default of `sfjwt new`).
pub fn subject_of_cn(cn: &str) -> Result<Name, String> {
    let cn: String = cn.chars().take(64).collect();
    build(&[("CN".to_string(), cn)])
}

fn build(pairs: &[(String, String)]) -> Result<Name, String> {
    let mut sequence = RdnSequence::default();
    for (name, value) in pairs {
        let Some(&(_, oid, kind, longest)) = ATTRIBUTES
            .iter()
            .find(|(names, ..)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        else {
            return Err(format!(
                "--subject: `{name}` is not a subject attribute sfjwt writes: use CN, O, OU, L, \
                 ST, C or emailAddress ({FORMS})"
            ));
        };
        if value.is_empty() {
            return Err(format!("--subject: {name}= has no value: {FORMS}"));
        }
        if value.chars().count() > longest {
            return Err(format!(
                "--subject: the {name} value is {} characters long; X.509 allows at most {longest}",
                value.chars().count()
            ));
        }
        let value = encode(kind, name, value)?;
        let mut rdn = RelativeDistinguishedName::default();
        rdn.insert(AttributeTypeAndValue {
            oid: ObjectIdentifier::new_unwrap(oid),
            value,
        })
        .map_err(|e| format!("--subject: {e}"))?;
        sequence.push(rdn);
    }
    let der = sequence.to_der().map_err(|e| format!("--subject: {e}"))?;
    Name::from_der(&der).map_err(|e| format!("--subject: {e}"))
}

fn encode(kind: Kind, name: &str, value: &str) -> Result<Any, String> {
    let encoded = match kind {
        Kind::Utf8 => Utf8StringRef::new(value).and_then(|v| Any::encode_from(&v)),
        Kind::Country => {
            if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(format!(
                    "--subject: C={value} is not a country code: C takes two letters (C=US, C=DE)"
                ));
            }
            PrintableStringRef::new(value).and_then(|v| Any::encode_from(&v))
        }
        Kind::Email => {
            if !value.is_ascii() || !value.contains('@') {
                return Err(format!("--subject: {name}={value} is not an email address"));
            }
            Ia5StringRef::new(value).and_then(|v| Any::encode_from(&v))
        }
    };
    encoded.map_err(|e| format!("--subject: {name}: {e}"))
}

/// Splits at each `separator` not preceded by a backslash (escapes are kept for [`unescape`]).
fn split_unescaped(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let last = parts.last_mut().expect("one part at least");
                last.push('\\');
                if let Some(next) = chars.next() {
                    last.push(next);
                }
            }
            c if c == separator => parts.push(String::new()),
            c => parts.last_mut().expect("one part at least").push(c),
        }
    }
    parts
}

/// `\X` is `X`.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}
