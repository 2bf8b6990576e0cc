//! Redaction: the one step every text sfjwt prints passes through, so that no secret it holds
//! reaches an output, whole or in part.
//!
//! A [`Redactor`] knows secrets by fingerprints of their pieces, never by their text: for a
//! secret of [`WINDOW`] bytes or more, a hash of each of its windows of [`WINDOW`] bytes; for a
//! shorter one (at least [`MIN_WHOLE`] bytes), a hash of the whole. [`Redactor::scrub`] hashes
//! every window of a text the same way and replaces each run of text covered by a known window
//! with `[redacted: WHAT]`. So a secret is found wherever any 16 bytes of it appear: whole, cut
//! short, quoted, inside a URL or a path, or next to other text. Each secret is also known in
//! its percent-encoded form (how a form body or a URL carries it).
//!
//! Hash collisions can only redact text that holds no secret, never let a secret through.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of the window table: its keys are hashes already, well mixed (see [`mix`]).
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The length of the pieces a long secret is known by: any run of this many bytes of a secret
/// is redacted.
pub const WINDOW: usize = 16;

/// The shortest secret that is redacted at all. Shorter ones would match ordinary words.
pub const MIN_WHOLE: usize = 6;

/// The base of the rolling hash (odd, so that it is invertible modulo 2^64).
const BASE: u64 = 0x0100_0000_01b3_a5c1;

/// Bits of the prefilter: a text position is looked up only when its bit is set.
const FILTER_BITS: usize = 1 << 16;

/// Secrets known by the hashes of their pieces, each with the words that replace it.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Window hashes of the long secrets, with the index of their label.
    windows: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    /// Whole hashes of the short secrets: (length, hash, label).
    wholes: Vec<(usize, u64, u32)>,
    labels: Vec<String>,
    /// One bit per `hash % FILTER_BITS` of a window, so most positions cost one memory read.
    filter: Vec<u64>,
    /// Some secret holds a character that JSON escapes (`"`, `\\`, a control character), so
    /// that its JSON text may not hold the secret's windows as they are.
    json_escaped: bool,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("windows", &self.windows.len())
            .field("wholes", &self.wholes.len())
            .field("labels", &self.labels)
            .finish()
    }
}

/// The hash of `bytes` as the rolling hash computes it.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |h, &b| {
        h.wrapping_mul(BASE).wrapping_add(u64::from(b) + 1)
    })
}

/// The rolling hash, mixed (splitmix64's finaliser) so that its low bits, which index the
/// prefilter and the table, depend on every byte of the window.
fn mix(mut h: u64) -> u64 {
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Calls `f(start, mixed hash)` for every window of `len` bytes of `bytes`.
fn each_window(bytes: &[u8], len: usize, mut f: impl FnMut(usize, u64)) {
    if len == 0 || bytes.len() < len {
        return;
    }
    let top = (1..len).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = hash(&bytes[..len]);
    f(0, mix(h));
    for i in 1..=bytes.len() - len {
        h = h
            .wrapping_sub((u64::from(bytes[i - 1]) + 1).wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(u64::from(bytes[i + len - 1]) + 1);
        f(i, mix(h));
    }
}

impl Redactor {
    pub fn new() -> Self {
        Redactor::default()
    }

    /// True when no secret is known.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty() && self.wholes.is_empty()
    }

    /// Knows `secret` (and its percent-encoded form) from now on; `what` names it in the text
    /// that replaces it ("consumer secret", "private key"). Secrets shorter than [`MIN_WHOLE`]
    /// bytes are not known: they would match ordinary words.
    pub fn add(&mut self, secret: &str, what: &str) {
        self.add_bytes(secret.as_bytes(), what);
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        if encoded != secret {
            self.add_bytes(encoded.as_bytes(), what);
        }
    }

    /// As [`Redactor::add`], for bytes as they are (no encoded form).
    pub fn add_bytes(&mut self, secret: &[u8], what: &str) {
        if secret.len() < MIN_WHOLE {
            return;
        }
        self.json_escaped |= secret.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
        let label = self.label(what);
        if secret.len() < WINDOW {
            let entry = (secret.len(), mix(hash(secret)), label);
            if !self.wholes.contains(&entry) {
                self.wholes.push(entry);
            }
            return;
        }
        if self.filter.is_empty() {
            self.filter = vec![0; FILTER_BITS / 64];
        }
        self.windows.reserve(secret.len() - WINDOW + 1);
        each_window(secret, WINDOW, |_, h| {
            let bit = (h as usize) % FILTER_BITS;
            self.filter[bit / 64] |= 1 << (bit % 64);
            self.windows.entry(h).or_insert(label);
        });
    }

    /// Whether some secret holds a character that JSON escapes: then the JSON text of a value
    /// can hold that secret without holding its windows as they are.
    pub fn json_escapes_a_secret(&self) -> bool {
        self.json_escaped
    }

    fn label(&mut self, what: &str) -> u32 {
        match self.labels.iter().position(|l| l == what) {
            Some(i) => i as u32,
            None => {
                self.labels.push(what.to_string());
                (self.labels.len() - 1) as u32
            }
        }
    }

    fn window_label(&self, h: u64) -> Option<u32> {
        let bit = (h as usize) % FILTER_BITS;
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        self.windows.get(&h).copied()
    }

    /// The byte ranges of `text` that hold a known secret, merged, each with its label.
    fn spans(&self, text: &str) -> Vec<(usize, usize, u32)> {
        let bytes = text.as_bytes();
        let mut spans: Vec<(usize, usize, u32)> = Vec::new();
        if !self.windows.is_empty() {
            each_window(bytes, WINDOW, |i, h| {
                if let Some(label) = self.window_label(h) {
                    spans.push((i, i + WINDOW, label));
                }
            });
        }
        // One pass per length of the short secrets: there are one or two.
        for (n, &(len, _, _)) in self.wholes.iter().enumerate() {
            if self.wholes[..n].iter().any(|w| w.0 == len) {
                continue;
            }
            each_window(bytes, len, |i, h| {
                if let Some(w) = self.wholes.iter().find(|w| w.0 == len && w.1 == h) {
                    spans.push((i, i + len, w.2));
                }
            });
        }
        if spans.is_empty() {
            return spans;
        }
        for span in &mut spans {
            while !text.is_char_boundary(span.0) {
                span.0 -= 1;
            }
            while !text.is_char_boundary(span.1) {
                span.1 += 1;
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize, u32)> = Vec::with_capacity(spans.len().min(8));
        for (start, end, label) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end, label)),
            }
        }
        merged
    }

    /// `text` with every run that holds a known secret replaced by `[redacted: WHAT]`.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.is_empty() || text.len() < MIN_WHOLE {
            return Cow::Borrowed(text);
        }
        let spans = self.spans(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end, label) in spans {
            out.push_str(&text[at..start]);
            out.push_str("[redacted: ");
            out.push_str(&self.labels[label as usize]);
            out.push(']');
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// Scrubs a string in place; true when it changed.
    pub fn scrub_string(&self, text: &mut String) -> bool {
        match self.scrub(text) {
            Cow::Borrowed(_) => false,
            Cow::Owned(clean) => {
                *text = clean;
                true
            }
        }
    }

    /// Scrubs every string in a JSON value (object keys too); true when one changed.
    pub fn scrub_json(&self, value: &mut serde_json::Value) -> bool {
        crate::text::rewrite_json_strings(value, &|s| self.scrub_string(s))
    }

    /// The one redaction step for a text about to be printed: every known secret replaced, then
    /// the text made display-safe ([`crate::text`]); true when it changed.
    pub fn sanitize(&self, text: &mut String) -> bool {
        let scrubbed = self.scrub_string(text);
        crate::text::make_display_safe(text) | scrubbed
    }

    /// [`Redactor::sanitize`] for every string of a JSON value (object keys too).
    pub fn sanitize_json(&self, value: &mut serde_json::Value) -> bool {
        let scrubbed = self.scrub_json(value);
        crate::text::make_json_display_safe(value) | scrubbed
    }

    /// Whether `text` holds any known secret.
    pub fn finds_in(&self, text: &str) -> bool {
        self.found_in(text).is_some()
    }

    /// What the first known secret in `text` is ("consumer secret"), when it holds one.
    pub fn found_in(&self, text: &str) -> Option<&str> {
        if self.is_empty() {
            return None;
        }
        let (_, _, label) = *self.spans(text).first()?;
        Some(&self.labels[label as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00";

    fn knowing(pairs: &[(&str, &str)]) -> Redactor {
        let mut r = Redactor::new();
        for (s, what) in pairs {
            r.add(s, what);
        }
        r
    }

    #[test]
    fn a_whole_secret_is_replaced_with_what_it_is() {
        let r = knowing(&[(SECRET, "consumer secret")]);
        assert_eq!(
            r.scrub(&format!("a {SECRET} b")),
            "a [redacted: consumer secret] b"
        );
        assert_eq!(r.scrub("nothing here at all"), "nothing here at all");
        assert!(matches!(r.scrub("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn any_sixteen_bytes_of_a_secret_are_found_wherever_they_sit() {
        let r = knowing(&[(SECRET, "consumer secret")]);
        for (start, len) in [(0, 16), (5, 16), (48, 16), (3, 40), (10, 54)] {
            let piece = &SECRET[start..start + len];
            let text = format!("user=x{piece}…cut");
            let out = r.scrub(&text);
            assert!(!out.contains(piece), "{piece} in {out}");
            assert!(
                out.starts_with("user=x[redacted: consumer secret]"),
                "{out}"
            );
            assert!(out.ends_with("…cut"), "{out}");
        }
        // Fifteen bytes are not enough to say it is the secret.
        assert_eq!(r.scrub(&SECRET[..15]), &SECRET[..15]);
    }

    #[test]
    fn short_secrets_are_known_whole_and_tiny_ones_not_at_all() {
        let r = knowing(&[("hunter22", "passphrase"), ("abc", "passphrase")]);
        assert_eq!(
            r.scrub("p=hunter22&q=abc"),
            "p=[redacted: passphrase]&q=abc"
        );
        assert_eq!(r.scrub("hunter2"), "hunter2");
    }

    #[test]
    fn percent_encoded_forms_are_known_too() {
        let secret = "p@ss/word+with spaces&more=1";
        let r = knowing(&[(secret, "passphrase")]);
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        assert!(!r.scrub(&format!("body: {encoded}")).contains("word"));
        assert!(!r.scrub(secret).contains("word"));
    }

    #[test]
    fn adjacent_and_overlapping_secrets_merge_and_characters_stay_whole() {
        let r = knowing(&[
            ("ééééééééééééééééééé", "passphrase"),
            (SECRET, "consumer secret"),
        ]);
        let out = r
            .scrub(&format!("x{}{SECRET}y", "é".repeat(19)))
            .into_owned();
        assert_eq!(out, "x[redacted: passphrase]y");
        // A window that starts inside a multi-byte character widens to the character.
        let out = r.scrub(&format!("ab{}", &"é".repeat(19))).into_owned();
        assert_eq!(out, "ab[redacted: passphrase]");
    }

    #[test]
    fn json_values_and_keys_are_scrubbed() {
        let r = knowing(&[(SECRET, "consumer secret")]);
        let mut v = serde_json::json!({"a": [format!("x{SECRET}")], SECRET: 1, "n": 2});
        assert!(r.scrub_json(&mut v));
        let text = v.to_string();
        assert!(!text.contains(&SECRET[..16]), "{text}");
        assert_eq!(v["n"], 2);
        let mut clean = serde_json::json!({"a": "b"});
        assert!(!r.scrub_json(&mut clean));
    }

    #[test]
    fn the_rolling_hash_agrees_with_the_direct_one() {
        let text = b"the quick brown fox jumps over the lazy dog";
        each_window(text, WINDOW, |i, h| {
            assert_eq!(h, mix(hash(&text[i..i + WINDOW])));
        });
    }
}
