//! Canaries: the secrets a test hands sfjwt, and a scan that fails when any part of one shows
//! in what sfjwt printed or wrote.
//!
//! A secret of 16 characters or more is found by any of its 16-character windows, so a secret
//! cut short, wrapped or quoted still counts; a private key by every window of its base64 body
//! (its lines joined, so a window may span two lines) and of the base64 of its file. Shorter
//! secrets are found whole.

use std::collections::HashMap;

/// The length of the windows a long secret is found by.
pub const WINDOW: usize = 16;

#[derive(Clone, Default)]
pub struct Canaries {
    /// Every 16-character window of every long secret, with what it is part of.
    windows: HashMap<Vec<u8>, String>,
    /// Short secrets, found whole.
    wholes: Vec<(String, String)>,
}

impl Canaries {
    pub fn new() -> Self {
        Canaries::default()
    }

    /// A secret: found by any 16-character window (or whole, when shorter).
    pub fn secret(mut self, value: &str, what: &str) -> Self {
        self.add(value, what);
        self
    }

    fn add(&mut self, value: &str, what: &str) {
        let bytes = value.as_bytes();
        if bytes.len() < WINDOW {
            if bytes.len() >= 6 {
                self.wholes.push((value.to_string(), what.to_string()));
            }
            return;
        }
        for w in bytes.windows(WINDOW) {
            self.windows
                .entry(w.to_vec())
                .or_insert_with(|| what.to_string());
        }
    }

    /// A private key, by its PEM text: every window of its base64 body and of the base64 of
    /// the file.
    pub fn key_pem(mut self, pem: &str, what: &str) -> Self {
        self.add(&base64_body(pem), what);
        self.add(&base64_of(pem.as_bytes()), &format!("the base64 of {what}"));
        self
    }

    /// What shows of any canary in `text`, if anything: (what it is, the first characters).
    pub fn find(&self, text: &str) -> Option<(String, String)> {
        let bytes = text.as_bytes();
        for w in bytes.windows(WINDOW) {
            if let Some(what) = self.windows.get(w) {
                return Some((what.clone(), String::from_utf8_lossy(&w[..4]).into_owned()));
            }
        }
        self.wholes
            .iter()
            .find(|(v, _)| text.contains(v.as_str()))
            .map(|(v, what)| (what.clone(), v[..4].to_string()))
    }

    /// Fails, naming the output and the canary (by its first four characters only), when any
    /// canary shows in any of `outputs` (name, text).
    pub fn assert_absent(&self, label: &str, outputs: &[(String, String)]) {
        for (name, text) in outputs {
            if let Some((what, start)) = self.find(text) {
                panic!(
                    "{label}: {name} shows part of {what} (a window starting {start}…):\n{}",
                    redact_for_panic(self, text)
                );
            }
        }
    }
}

/// The text with every canary window masked, so a failing test's message is no leak itself.
fn redact_for_panic(c: &Canaries, text: &str) -> String {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let bytes = text.as_bytes();
    for (i, w) in bytes.windows(WINDOW).enumerate() {
        if c.windows.contains_key(w) {
            out[i..i + WINDOW].fill(b'#');
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The base64 body of a PEM text, its lines joined.
pub fn base64_body(pem: &str) -> String {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .map(str::trim)
        .collect()
}

/// `base64 -w0` of some bytes.
pub fn base64_of(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
