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

mod from_response;
mod from_text;
pub mod ids;
mod index;

pub use from_response::{match_pair, match_response};
pub use from_text::{FanOut, Retry, match_text, match_text_with_fan_out};
use index::{Index, Target, needle_text};

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
    /// A generic entry names these more specific ones: when one of them is found in the same
    /// text, this entry is left out (a client's catch-all key message beside the specific one).
    #[serde(default)]
    pub yields_to: Vec<String>,
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
        let catalog = Catalog::parse(CATALOG_TOML)
            .expect("the embedded error catalog parses (see its tests)");
        // Every id the code names is in the catalog: a renamed entry that left code behind is
        // caught here, on first use, and by the unit test that loads the catalog.
        if let Some(id) = ids::NAMED.iter().find(|id| catalog.get(id).is_none()) {
            panic!("the error catalog has no entry {id:?}, which salesforce::errors::ids names");
        }
        catalog
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

#[cfg(test)]
mod tests;
