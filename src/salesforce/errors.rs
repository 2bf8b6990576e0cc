//! The error catalog: every failure a Salesforce JWT Bearer login is known to produce, with its
//! causes, setup steps and fix; and matching, from what people paste ([`match_text`]) or from a
//! token endpoint's answer ([`match_response`]), to catalog entries.
//!
//! The catalog is data, `errors.toml`, embedded in the binary and parsed on first use only (a
//! `sfjwt check` that never explains an error never parses it).
//!
//! Matching works on a normalised copy of the text (see [`super::paste`]) in one pass: every
//! place where a word starts is looked up in an index of the catalog's phrases (descriptions,
//! error codes, patterns, wrappers of other tools). Then:
//! - a description next to one of its error codes (JSON, `error: description`, `error -
//!   description`, `error::description`, a query string, ...) matches with high confidence;
//! - a description alone matches when it is distinctive, when the text around it is about
//!   Salesforce (a wrapper such as "Error authenticating with JWT" is near), or when it is
//!   nearly the whole text;
//! - an error code alone matches when nothing that looks like a description comes with it;
//! - other texts (HTML pages, other tools' messages) match through patterns.
//!
//! Input beyond [`MAX_TEXT_BYTES`] is ignored, so any paste is handled in bounded time.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::paste::{self, is_word};

/// The most of a text (or a response body) that is looked at.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// How far apart (bytes of normalised text) an error code and its description may be and still
/// count as one error: enough for pretty-printed JSON with a few fields between them.
const MAX_PAIR_GAP: usize = 200;
/// How far from a wrapper (an "about Salesforce" marker) a short description is still recognised.
const CONTEXT_WINDOW: usize = 2000;
/// How much text besides a phrase may surround it for the phrase to be "the whole input".
const NEARLY_ALL_SLACK: usize = 16;
/// How far an error code looks for a description key around it.
const DESCRIPTION_KEY_WINDOW: usize = 300;
/// How far a pattern looks for its other strings on the same line.
const LINE_WINDOW: usize = 4096;

const CATALOG_TOML: &str = include_str!("errors.toml");

/// Where an error text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Origin {
    /// A JSON error body from Salesforce's token endpoint.
    Salesforce,
    /// An HTML page or an HTTP-level failure.
    Http,
    /// A message printed by a client tool, before or around the request.
    Client,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What kind of failure it is, and so what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Kind {
    /// Fix the setup.
    Setup,
    /// Retry (with backoff).
    Transient,
    /// Not the JWT grant: the tool used another grant type by mistake.
    OtherGrant,
    /// No known cause.
    Unexplained,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a form of an error was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seen {
    /// In live responses.
    Live,
    /// Only in Salesforce's documentation.
    Documented,
}

/// One (error, error_description) pair as Salesforce sends it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub error: String,
    #[serde(default)]
    pub description: Option<String>,
    pub seen: Seen,
    /// Distinctive enough to recognise without its error code or a Salesforce context nearby.
    #[serde(default)]
    pub alone: bool,
}

/// Strings that identify a text that is not an OAuth error body, all on one line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    pub all: Vec<String>,
    #[serde(default)]
    pub alone: bool,
    /// The text as people see it, when it differs from the entry's first signature.
    #[serde(default)]
    pub signature: Option<String>,
}

/// One known cause, with the setup steps it points at.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub text: String,
    pub steps: Vec<u8>,
}

/// One catalog entry: a failure, its causes, steps, fix and references.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable, kebab-case id.
    pub id: String,
    pub title: String,
    pub origin: Origin,
    pub kind: Kind,
    #[serde(default)]
    pub http_status: Option<String>,
    #[serde(default = "yes")]
    pub confirmed: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// The setup steps (1-7) the fix is made in.
    pub steps: Vec<u8>,
    /// One sentence.
    pub cause: String,
    #[serde(default)]
    pub causes: Vec<Cause>,
    pub fix: String,
    pub references: Vec<String>,
    #[serde(default)]
    pub forms: Vec<Form>,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// This entry answers for this error code when it comes without a description.
    #[serde(default)]
    pub code_alone: Option<String>,
    #[serde(default)]
    pub signatures: Vec<String>,
    /// Real pastes; each must match this entry first (tested).
    #[serde(default)]
    pub examples: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Entry {
    /// The error code of the first form, if the entry is an OAuth error.
    pub fn error(&self) -> Option<&str> {
        self.forms.first().map(|f| f.error.as_str())
    }

    /// The description as Salesforce sends it (the live form first), or the text people see.
    pub fn description(&self) -> Option<&str> {
        self.forms
            .iter()
            .find_map(|f| f.description.as_deref())
            .or_else(|| self.signatures.first().map(String::as_str))
    }

    /// `error: description`, `error` or the signature: how the entry is listed.
    pub fn headline(&self) -> String {
        match (
            self.error(),
            self.forms.first().and_then(|f| f.description.as_deref()),
        ) {
            (Some(e), Some(d)) => format!("{e}: {d}"),
            (Some(e), None) => format!("{e} (no description)"),
            _ => self.description().unwrap_or(&self.title).to_string(),
        }
    }

    fn has_code(&self, code: &str) -> bool {
        self.forms.iter().any(|f| f.error == code)
    }
}

/// Text that other tools put around Salesforce's errors; it marks the text as being about
/// Salesforce, and names the tool.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wrapper {
    pub text: String,
    #[serde(default)]
    pub tool: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    entry: Vec<Entry>,
    #[serde(default)]
    wrapper: Vec<Wrapper>,
}

/// The parsed catalog with its matching index.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    wrappers: Vec<Wrapper>,
    index: Index,
}

/// What a phrase found in the text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Description {
        entry: usize,
        form: usize,
    },
    Code {
        code: usize,
    },
    Alias {
        entry: usize,
    },
    Pattern {
        entry: usize,
        pattern: usize,
    },
    Wrapper {
        wrapper: usize,
    },
    /// A key that holds a description (`error_description`): its presence near an error code
    /// means the description is there, even if it is not a known one.
    DescriptionKey,
}

#[derive(Debug)]
struct Needle {
    text: Vec<u8>,
    target: Target,
}

#[derive(Debug, Default)]
struct Index {
    /// Needles by their first word.
    by_first_word: HashMap<Vec<u8>, Vec<Needle>>,
    /// Error codes, and the entry each answers for when it comes alone.
    codes: Vec<(String, Option<usize>)>,
}

/// A description or phrase as the matcher compares it: normalised, without trailing punctuation.
fn needle_text(s: &str) -> Vec<u8> {
    let mut n = paste::normalize(s);
    while n.last().is_some_and(|c| !is_word(*c)) {
        n.pop();
    }
    while n.first().is_some_and(|c| !is_word(*c)) {
        n.remove(0);
    }
    n
}

impl Index {
    fn add(&mut self, text: Vec<u8>, target: Target) {
        let first: Vec<u8> = text.iter().copied().take_while(|&c| is_word(c)).collect();
        if first.is_empty() {
            return;
        }
        let bucket = self.by_first_word.entry(first).or_default();
        bucket.push(Needle { text, target });
        // Longest first: where two descriptions start at the same place ("ip restricted" and
        // "ip restricted or invalid login hours"), the longer one is the one found.
        bucket.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
    }

    fn build(entries: &[Entry], wrappers: &[Wrapper]) -> Self {
        let mut index = Index::default();
        let mut code_ids: HashMap<String, usize> = HashMap::new();
        for (ei, entry) in entries.iter().enumerate() {
            for (fi, form) in entry.forms.iter().enumerate() {
                let code = form.error.to_ascii_lowercase();
                if !code_ids.contains_key(&code) {
                    code_ids.insert(code.clone(), index.codes.len());
                    index.codes.push((code, None));
                }
                if let Some(d) = &form.description {
                    index.add(
                        needle_text(d),
                        Target::Description {
                            entry: ei,
                            form: fi,
                        },
                    );
                }
            }
            for alias in &entry.aliases {
                index.add(needle_text(alias), Target::Alias { entry: ei });
            }
            for (pi, pattern) in entry.patterns.iter().enumerate() {
                if let Some(anchor) = pattern.all.first() {
                    index.add(
                        needle_text(anchor),
                        Target::Pattern {
                            entry: ei,
                            pattern: pi,
                        },
                    );
                }
            }
        }
        // Which entry a code answers for alone: the one declaring it, or the only one using it.
        for (code, alone) in index.codes.iter_mut() {
            let declared = entries
                .iter()
                .position(|e| e.code_alone.as_deref() == Some(code.as_str()));
            let users: Vec<usize> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.has_code(code))
                .map(|(i, _)| i)
                .collect();
            *alone = declared.or(if users.len() == 1 {
                Some(users[0])
            } else {
                None
            });
        }
        let codes: Vec<(Vec<u8>, usize)> = index
            .codes
            .iter()
            .enumerate()
            .map(|(ci, (code, _))| (code.as_bytes().to_vec(), ci))
            .collect();
        for (text, ci) in codes {
            index.add(text, Target::Code { code: ci });
        }
        for (wi, w) in wrappers.iter().enumerate() {
            index.add(needle_text(&w.text), Target::Wrapper { wrapper: wi });
        }
        for key in ["error_description", "errordescription", "error description"] {
            index.add(key.as_bytes().to_vec(), Target::DescriptionKey);
        }
        index
    }
}

impl Catalog {
    /// Parses catalog text (the embedded one, or another for tests).
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let file: CatalogFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let index = Index::build(&file.entry, &file.wrapper);
        Ok(Catalog {
            entries: file.entry,
            wrappers: file.wrapper,
            index,
        })
    }

    /// Every entry, in catalog order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The wrappers of other tools the matcher knows.
    pub fn wrappers(&self) -> &[Wrapper] {
        &self.wrappers
    }

    /// Looks an entry up by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// The embedded catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The embedded text is part of the program, and a unit test parses it: a failure here is
        // a build that should never have passed its tests.
        Catalog::parse(CATALOG_TOML).expect("the embedded error catalog parses (see its tests)")
    })
}

/// What in the text made the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum MatchedOn {
    /// The catalog id itself was asked for.
    Id,
    /// An error code next to one of its descriptions.
    ErrorAndDescription,
    /// A description without its error code.
    Description,
    /// A known message or page (not an OAuth error body).
    Phrase,
    /// The HTTP status of a response.
    HttpStatus,
    /// An error code without a description.
    ErrorCode,
}

impl MatchedOn {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// In plain words, for the text output.
    pub fn describe(self) -> &'static str {
        match self {
            MatchedOn::Id => "its catalog id",
            MatchedOn::ErrorAndDescription => "the error code and its description",
            MatchedOn::Description => "the description",
            MatchedOn::Phrase => "a known message",
            MatchedOn::HttpStatus => "the HTTP status",
            MatchedOn::ErrorCode => "the error code alone",
        }
    }
}

/// How sure the match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One catalog entry recognised in a text or a response.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub entry: &'static Entry,
    /// The error code as found (or the entry's, when the match came from elsewhere); `None` for
    /// entries that are not OAuth error bodies.
    pub error: Option<String>,
    /// The description as Salesforce sends it, or the text of the page or message.
    pub error_description: String,
    pub matched_on: MatchedOn,
    pub confidence: Confidence,
    /// The tool whose wrapper surrounds the error (Salesforce CLI, simple-salesforce, ...).
    pub via: Option<String>,
    /// Values read from the text around the error, e.g. the `audience` and `login` URLs the
    /// Salesforce CLI appends. Only URLs are taken: never anything else of the paste.
    pub evidence: Vec<(String, String)>,
    /// What the evidence says, when it points at one cause (a production audience sent to a
    /// sandbox host, ...).
    pub hint: Option<String>,
    /// Where in the (normalised) text it was first found; orders the matches.
    pub position: usize,
}

impl Match {
    fn new(entry: &'static Entry, matched_on: MatchedOn, confidence: Confidence) -> Self {
        Match {
            entry,
            error: entry.error().map(str::to_string),
            error_description: entry
                .forms
                .first()
                .and_then(|f| f.description.clone())
                .or_else(|| entry.signatures.first().cloned())
                .unwrap_or_default(),
            matched_on,
            confidence,
            via: None,
            evidence: Vec::new(),
            hint: None,
            position: 0,
        }
    }

    /// The entry itself, as `sfjwt explain ID` shows it.
    pub fn of_entry(entry: &'static Entry) -> Self {
        Match::new(entry, MatchedOn::Id, Confidence::High)
    }

    pub fn id(&self) -> &str {
        &self.entry.id
    }

    pub fn steps(&self) -> &[u8] {
        &self.entry.steps
    }

    /// The JSON form (contract: `id`, `error`, `error_description`, `steps`, `cause`, `fix`; the
    /// other fields are additions), as a struct that serialises its fields in this order.
    pub fn json(&self) -> MatchJson<'_> {
        let e = self.entry;
        MatchJson {
            id: &e.id,
            error: self.error.as_deref(),
            error_description: &self.error_description,
            steps: &e.steps,
            cause: &e.cause,
            fix: &e.fix,
            title: &e.title,
            kind: e.kind.as_str(),
            origin: e.origin.as_str(),
            http_status: e.http_status.as_deref(),
            confirmed: e.confirmed,
            note: e.note.as_deref(),
            matched_on: self.matched_on.as_str(),
            confidence: self.confidence.as_str(),
            via: self.via.as_deref(),
            evidence: self
                .evidence
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            hint: self.hint.as_deref(),
            causes: &e.causes,
            references: &e.references,
        }
    }

    /// [`Match::json`] as a JSON value.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json()).unwrap_or(Value::Null)
    }
}

/// The JSON of one match; see [`Match::json`].
#[derive(Debug, Serialize)]
pub struct MatchJson<'a> {
    pub id: &'a str,
    pub error: Option<&'a str>,
    pub error_description: &'a str,
    pub steps: &'a [u8],
    pub cause: &'a str,
    pub fix: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub origin: &'static str,
    pub http_status: Option<&'a str>,
    pub confirmed: bool,
    pub note: Option<&'a str>,
    pub matched_on: &'static str,
    pub confidence: &'static str,
    pub via: Option<&'a str>,
    pub evidence: std::collections::BTreeMap<&'a str, &'a str>,
    pub hint: Option<&'a str>,
    pub causes: &'a [Cause],
    pub references: &'a [String],
}

/// A phrase found in the normalised text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    target: Target,
}

/// Scans the normalised text once, looking every word start up in the index.
fn scan(cat: &Catalog, norm: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < norm.len() {
        if !is_word(norm[i]) {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < norm.len() && is_word(norm[end]) {
            end += 1;
        }
        if let Some(needles) = cat.index.by_first_word.get(&norm[i..end]) {
            let mut described = false;
            for n in needles {
                let stop = i + n.text.len();
                let is_description = matches!(n.target, Target::Description { .. });
                if is_description && described {
                    continue;
                }
                if norm[i..].starts_with(&n.text) && paste::bounded(norm, i, stop, &n.text) {
                    described |= is_description;
                    hits.push(Hit {
                        start: i,
                        end: stop,
                        target: n.target,
                    });
                }
            }
        }
        i = end;
    }
    hits
}

/// The line around `[start, end)`, at most [`LINE_WINDOW`] bytes each way.
fn line_around(norm: &[u8], start: usize, end: usize) -> &[u8] {
    let lo_limit = start.saturating_sub(LINE_WINDOW);
    let lo = norm[lo_limit..start]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(lo_limit, |p| lo_limit + p + 1);
    let hi_limit = (end + LINE_WINDOW).min(norm.len());
    let hi = norm[end..hi_limit]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(hi_limit, |p| end + p);
    &norm[lo..hi]
}

/// Facts about the whole text that the rules below need.
struct Scene<'a> {
    norm: &'a [u8],
    hits: Vec<Hit>,
    /// Positions of wrapper hits, ascending.
    wrappers: Vec<(usize, usize)>,
    /// Positions of description keys, ascending.
    description_keys: Vec<usize>,
    /// The first and last word bytes of the text.
    first_word: usize,
    last_word_end: usize,
}

impl<'a> Scene<'a> {
    fn new(cat: &Catalog, norm: &'a [u8]) -> Self {
        let hits = scan(cat, norm);
        let wrappers = hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Wrapper { wrapper } => Some((h.start, wrapper)),
                _ => None,
            })
            .collect();
        let description_keys = hits
            .iter()
            .filter(|h| h.target == Target::DescriptionKey)
            .map(|h| h.start)
            .collect();
        let first_word = norm.iter().position(|&c| is_word(c)).unwrap_or(0);
        let last_word_end = norm.iter().rposition(|&c| is_word(c)).map_or(0, |p| p + 1);
        Scene {
            norm,
            hits,
            wrappers,
            description_keys,
            first_word,
            last_word_end,
        }
    }

    /// Wrapper hits within [`CONTEXT_WINDOW`] of a span.
    fn wrappers_near(&self, start: usize, end: usize) -> &[(usize, usize)] {
        let lo = start.saturating_sub(CONTEXT_WINDOW);
        let hi = end + CONTEXT_WINDOW;
        let a = self.wrappers.partition_point(|&(p, _)| p < lo);
        let b = self.wrappers.partition_point(|&(p, _)| p <= hi);
        &self.wrappers[a..b]
    }

    /// Whether the text near a span is about Salesforce.
    fn in_context(&self, start: usize, end: usize) -> bool {
        !self.wrappers_near(start, end).is_empty()
    }

    /// The tool whose wrapper is nearest to a span.
    fn via(&self, cat: &Catalog, start: usize, end: usize) -> Option<String> {
        self.wrappers_near(start, end)
            .iter()
            .filter_map(|&(p, w)| {
                cat.wrappers[w]
                    .tool
                    .as_ref()
                    .map(|t| (p.abs_diff(start), t))
            })
            .min_by_key(|(d, _)| *d)
            .map(|(_, t)| t.clone())
    }

    /// Whether a span is nearly all of the text (a bare paste of one description).
    fn nearly_all(&self, start: usize, end: usize) -> bool {
        let before = start.saturating_sub(self.first_word);
        let after = self.last_word_end.saturating_sub(end);
        before + after <= NEARLY_ALL_SLACK
    }

    /// Whether an unpaired error code comes without a description: no description key near it,
    /// and nothing but punctuation after it on its line (or it is the value of an `error` key).
    fn code_stands_alone(&self, hit: &Hit) -> bool {
        let norm = self.norm;
        let lo = hit.start.saturating_sub(DESCRIPTION_KEY_WINDOW);
        let hi = hit.end + DESCRIPTION_KEY_WINDOW;
        let first_key = self.description_keys.partition_point(|&p| p < lo);
        if self
            .description_keys
            .get(first_key)
            .is_some_and(|&p| p <= hi)
        {
            return false;
        }
        if self.keyed(hit.start) {
            return true;
        }
        let mut i = hit.end;
        while i < norm.len()
            && matches!(
                norm[i],
                b' ' | b'"' | b'\'' | b':' | b'=' | b'>' | b',' | b';' | b')' | b']' | b'}' | b'.'
            )
        {
            i += 1;
        }
        i >= norm.len() || norm[i] == b'\n'
    }

    /// Whether the code at `start` is the value of an `error` key (`"error": "…"`, `'error':
    /// '…'`, `error=…` in a query string).
    fn keyed(&self, start: usize) -> bool {
        let norm = self.norm;
        let mut i = start;
        let mut saw_eq = false;
        let mut steps = 0;
        while i > 0 && steps < 8 {
            match norm[i - 1] {
                b'=' => saw_eq = true,
                b'"' | b'\'' | b' ' | b':' | b'>' => {}
                _ => break,
            }
            i -= 1;
            steps += 1;
        }
        if i < 5 || &norm[i - 5..i] != b"error" {
            return false;
        }
        match i.checked_sub(6).map(|p| norm[p]) {
            Some(b'"' | b'\'') => true,
            None | Some(b'?' | b'&' | b'#' | b' ' | b'\n') => saw_eq,
            _ => false,
        }
    }

    /// Whether the other strings of a pattern are on the anchor's line.
    fn pattern_holds(&self, pattern: &Pattern, hit: &Hit) -> bool {
        let line = line_around(self.norm, hit.start, hit.end);
        pattern
            .all
            .iter()
            .skip(1)
            .all(|s| paste::find_word(line, &needle_text(s)).is_some())
    }
}

/// The `[audience=… login=…]` suffix the Salesforce CLI appends to audience errors. Only values
/// that are URLs are taken, so nothing else of a paste is ever repeated.
fn audience_evidence(norm: &[u8], after: usize) -> Vec<(String, String)> {
    let line = line_around(norm, after, after);
    let mut out = Vec::new();
    for key in ["audience", "login"] {
        let marker = format!("{key}=");
        let Some(p) = paste::find_word(line, marker.as_bytes()) else {
            continue;
        };
        let value: Vec<u8> = line[p + marker.len()..]
            .iter()
            .copied()
            .take_while(|&c| !matches!(c, b' ' | b']' | b'\n' | b'"' | b'\''))
            .take(201)
            .collect();
        let url_like = value.len() <= 200
            && (value.starts_with(b"https://") || value.starts_with(b"http://"))
            && value
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || b".-_:/".contains(&c));
        if url_like {
            out.push((
                key.to_string(),
                String::from_utf8_lossy(&value).into_owned(),
            ));
        }
    }
    out
}

/// The host of a URL (lower-case already).
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// What an audience and login pair says, when it is one of the known mismatches.
fn audience_hint(evidence: &[(String, String)]) -> Option<String> {
    let get = |k: &str| {
        evidence
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let (aud, login) = (get("audience")?, get("login")?);
    let (aud_host, login_host) = (url_host(aud), url_host(login));
    let sandbox_host =
        login_host == "test.salesforce.com" || login_host.ends_with(".sandbox.my.salesforce.com");
    if aud_host == "login.salesforce.com" && sandbox_host {
        Some(format!(
            "a production audience ({aud}) was sent to a sandbox host ({login_host}): use \
             https://test.salesforce.com as aud, or the sandbox's My Domain URL for both"
        ))
    } else if aud_host == "test.salesforce.com" && login_host == "login.salesforce.com" {
        Some(format!(
            "a sandbox audience ({aud}) was sent to the production host {login_host}: use \
             https://login.salesforce.com as aud, or send the request to the sandbox"
        ))
    } else {
        None
    }
}

/// How many times one pattern's other strings are looked for before the pattern gives up (a
/// bound for inputs made of one phrase repeated).
const MAX_PATTERN_CHECKS: usize = 64;

/// Finds every catalog entry in a pasted text: JSON bodies (raw, pretty-printed, with extra
/// fields), `error: description` and its variants, query strings, the Salesforce CLI's and
/// other tools' wrappers, log lines, HTML pages. Each entry once, in order of first appearance.
/// Text that is not a Salesforce error gives an empty list.
pub fn match_text(text: &str) -> Vec<Match> {
    let text = &text[..paste::floor_char_boundary(text, MAX_TEXT_BYTES)];
    let cat = catalog();
    let norm = paste::normalize(text);
    let scene = Scene::new(cat, &norm);
    let hits = &scene.hits;
    let mut found: Vec<Match> = Vec::new();
    // The best confidence found so far per entry: later hits of an entry found with high
    // confidence (or, for codes and patterns, found at all) cost nothing.
    let mut best: Vec<Option<Confidence>> = vec![None; cat.entries.len()];
    let mut used_codes = vec![false; hits.len()];

    for (k, hit) in hits.iter().enumerate() {
        let Target::Description { entry, form } = hit.target else {
            continue;
        };
        if best[entry] == Some(Confidence::High) {
            continue;
        }
        let e = &cat.entries[entry];
        let f = &e.forms[form];
        let pair = pair_code(cat, hits, k);
        let (matched_on, confidence, error) = match pair {
            Some((j, code)) => {
                used_codes[j] = true;
                (
                    MatchedOn::ErrorAndDescription,
                    Confidence::High,
                    code.to_string(),
                )
            }
            None if f.alone || scene.in_context(hit.start, hit.end) => {
                (MatchedOn::Description, Confidence::Medium, f.error.clone())
            }
            None if scene.nearly_all(hit.start, hit.end) => {
                (MatchedOn::Description, Confidence::Low, f.error.clone())
            }
            None => continue,
        };
        if best[entry].is_some_and(|b| b >= confidence) {
            continue;
        }
        best[entry] = Some(confidence);
        let mut m = Match::new(e, matched_on, confidence);
        m.error = Some(error);
        m.error_description = f.description.clone().unwrap_or_default();
        m.via = scene.via(cat, hit.start, hit.end);
        m.position = pair.map_or(hit.start, |(j, _)| hits[j].start.min(hit.start));
        if e.id == "audience-invalid" {
            m.evidence = audience_evidence(&norm, hit.end);
            m.hint = audience_hint(&m.evidence);
        }
        found.push(m);
    }

    let mut pattern_checks: HashMap<(usize, usize), usize> = HashMap::new();
    for (k, hit) in hits.iter().enumerate() {
        let (entry, matched_on, confidence, error) = match hit.target {
            Target::Code { code } if !used_codes[k] => {
                let (name, alone) = &cat.index.codes[code];
                match alone {
                    Some(entry) if best[*entry].is_none() && scene.code_stands_alone(hit) => (
                        *entry,
                        MatchedOn::ErrorCode,
                        Confidence::Low,
                        Some(name.clone()),
                    ),
                    _ => continue,
                }
            }
            Target::Alias { entry } if best[entry].is_none() => (
                entry,
                MatchedOn::ErrorCode,
                Confidence::Medium,
                cat.entries[entry].error().map(str::to_string),
            ),
            Target::Pattern { entry, pattern } if best[entry].is_none() => {
                let checks = pattern_checks.entry((entry, pattern)).or_insert(0);
                if *checks >= MAX_PATTERN_CHECKS {
                    continue;
                }
                *checks += 1;
                let p = &cat.entries[entry].patterns[pattern];
                if !scene.pattern_holds(p, hit) {
                    continue;
                }
                // Unlike a description, a pattern that needs a context never matches without one:
                // "500 Internal Server Error" alone is anybody's.
                if !(p.alone || scene.in_context(hit.start, hit.end)) {
                    continue;
                }
                let confidence = Confidence::Medium;
                let error = cat.entries[entry].error().map(str::to_string);
                (entry, MatchedOn::Phrase, confidence, error)
            }
            _ => continue,
        };
        best[entry] = Some(confidence);
        let e = &cat.entries[entry];
        let mut m = Match::new(e, matched_on, confidence);
        m.error = error;
        if let Target::Pattern { pattern, .. } = hit.target
            && let Some(sig) = &e.patterns[pattern].signature
        {
            m.error_description = sig.clone();
        }
        if matched_on == MatchedOn::ErrorCode && e.code_alone.is_some() {
            m.error_description = String::new();
        }
        m.via = scene.via(cat, hit.start, hit.end);
        m.position = hit.start;
        found.push(m);
    }

    finish(found)
}

/// The error code that goes with the description at `hits[k]`: the nearest code of the same
/// entry just before it (`error: description`, JSON in the usual order), else just after it
/// (JSON with the description first).
fn pair_code<'c>(cat: &'c Catalog, hits: &[Hit], k: usize) -> Option<(usize, &'c str)> {
    let hit = &hits[k];
    let Target::Description { entry, .. } = hit.target else {
        return None;
    };
    let e = &cat.entries[entry];
    let code_of = |h: &Hit| match h.target {
        Target::Code { code } if e.has_code(&cat.index.codes[code].0) => {
            Some(cat.index.codes[code].0.as_str())
        }
        _ => None,
    };
    for j in (0..k).rev() {
        let h = &hits[j];
        if h.start + 2 * MAX_PAIR_GAP < hit.start {
            break;
        }
        if h.end <= hit.start
            && hit.start - h.end <= MAX_PAIR_GAP
            && let Some(code) = code_of(h)
        {
            return Some((j, code));
        }
    }
    for (j, h) in hits.iter().enumerate().skip(k + 1) {
        if h.start > hit.end + MAX_PAIR_GAP {
            break;
        }
        if let Some(code) = code_of(h) {
            return Some((j, code));
        }
    }
    None
}

/// Orders matches by first appearance, keeps each entry once (with its best evidence), and drops
/// a "code without description" entry when a specific entry for the same code was found.
fn finish(mut found: Vec<Match>) -> Vec<Match> {
    found.sort_by_key(|m| m.position);
    let mut out: Vec<Match> = Vec::new();
    for m in found {
        match out.iter_mut().find(|o| o.entry.id == m.entry.id) {
            Some(o) => {
                if m.confidence > o.confidence {
                    let position = o.position;
                    let via = o.via.take();
                    *o = Match {
                        position,
                        via: via.or(m.via.clone()),
                        ..m
                    };
                } else if o.via.is_none() {
                    o.via = m.via;
                }
            }
            None => out.push(m),
        }
    }
    let specific: Vec<String> = out
        .iter()
        .filter(|m| m.entry.code_alone.is_none())
        .filter_map(|m| m.error.clone())
        .collect();
    out.retain(|m| match &m.entry.code_alone {
        Some(code) => !specific.iter().any(|s| s == code),
        None => true,
    });
    out
}

/// The catalog entries for one answer of the token endpoint: its HTTP status, `Content-Type` and
/// body (JSON error bodies, HTML pages such as 405 "Only POST allowed" or "URL No Longer
/// Exists", a page that is not Salesforce's, 5xx, an empty 400). An answer that is no error
/// (a 200 with an access token) gives an empty list. The body is read up to
/// [`MAX_TEXT_BYTES`]; nothing in it is ever copied into the result except Salesforce's own
/// `error` and `error_description`.
pub fn match_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Vec<Match> {
    let cat = catalog();
    let body = &body[..body.len().min(MAX_TEXT_BYTES)];
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let mut found: Vec<Match> = Vec::new();
    let by_id = |id: &str, on: MatchedOn, confidence: Confidence| {
        cat.get(id).map(|e| Match::new(e, on, confidence))
    };

    let empty = trimmed.trim().is_empty();
    if (300..400).contains(&status) {
        // A redirect: whatever its body says, the token request never reached a token endpoint.
        found.extend(by_id(
            "lightning-host-redirect",
            MatchedOn::HttpStatus,
            Confidence::High,
        ));
    } else if empty {
        let status_entry = match status {
            405 => Some("lightning-host-redirect"),
            400 => Some("tls-too-old"),
            500..=599 => Some("server-error"),
            _ => None,
        };
        if let Some(id) = status_entry {
            found.extend(by_id(id, MatchedOn::HttpStatus, Confidence::Medium));
        }
    } else if ct.contains("json") || trimmed.starts_with('{') {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(obj)) => {
                let error = obj.get("error").and_then(Value::as_str);
                let description = obj.get("error_description").and_then(Value::as_str);
                if error.is_some() || description.is_some() {
                    found.extend(match_pair(error, description));
                }
            }
            Ok(_) => {}
            Err(_) => found.extend(match_text(&text)),
        }
    } else if ct.contains("html") || trimmed.starts_with('<') {
        let lower = paste::normalize(&text);
        let from_text = match_text(&text);
        let salesforce = paste::find_word(&lower, b"salesforce").is_some()
            || paste::find_word(&lower, b"force.com").is_some();
        if status == 405 || paste::contains(&lower, b"only post allowed") {
            found.extend(by_id(
                "lightning-host-redirect",
                MatchedOn::Phrase,
                Confidence::High,
            ));
        } else if !from_text.is_empty() {
            found.extend(from_text);
        } else if (500..=599).contains(&status) {
            // Added below.
        } else if !salesforce {
            found.extend(by_id(
                "not-salesforce-host",
                MatchedOn::Phrase,
                Confidence::Medium,
            ));
        } else {
            found.extend(by_id(
                "html-instead-of-json",
                MatchedOn::Phrase,
                Confidence::Medium,
            ));
        }
    } else {
        found.extend(match_text(&text));
    }
    if (500..=599).contains(&status) && !found.iter().any(|m| m.entry.kind == Kind::Transient) {
        found.extend(by_id(
            "server-error",
            MatchedOn::HttpStatus,
            Confidence::Medium,
        ));
    }
    for (i, m) in found.iter_mut().enumerate() {
        m.position = i;
    }
    finish(found)
}

/// Matches the `error` and `error_description` fields of a JSON body. Unlike free text, a body
/// from the token endpoint is Salesforce's for certain: a known code with an unknown description
/// still matches its code's entry (low confidence), carrying the description received.
pub fn match_pair(error: Option<&str>, description: Option<&str>) -> Vec<Match> {
    let cat = catalog();
    let error = error.map(str::trim).filter(|e| !e.is_empty());
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = description {
        let wanted = needle_text(d);
        for entry in cat.entries() {
            for form in &entry.forms {
                let Some(known) = &form.description else {
                    continue;
                };
                if needle_text(known) != wanted {
                    continue;
                }
                let paired = error.is_some_and(|e| entry.has_code(&e.to_ascii_lowercase()));
                let mut m = Match::new(
                    entry,
                    if paired {
                        MatchedOn::ErrorAndDescription
                    } else {
                        MatchedOn::Description
                    },
                    if paired {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                );
                m.error = error
                    .map(str::to_string)
                    .or_else(|| Some(form.error.clone()));
                m.error_description = known.clone();
                return vec![m];
            }
        }
        // Not an exact description: perhaps a longer text around a known one.
        let joined = format!("{}: {d}", error.unwrap_or(""));
        let from_text = match_text(&joined);
        if !from_text.is_empty() {
            return from_text;
        }
    }
    let Some(e) = error else {
        return Vec::new();
    };
    let code = e.to_ascii_lowercase();
    let Some((_, Some(entry))) = cat.index.codes.iter().find(|(c, _)| *c == code) else {
        return Vec::new();
    };
    let mut m = Match::new(&cat.entries[*entry], MatchedOn::ErrorCode, Confidence::Low);
    m.error = Some(e.to_string());
    m.error_description = description.unwrap_or("").chars().take(500).collect();
    vec![m]
}

#[cfg(test)]
mod tests;
