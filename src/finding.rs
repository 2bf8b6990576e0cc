//! What a check says about one bundle: a status, a message in plain words, the fix, and evidence.

use serde::Serialize;
use serde_json::{Map, Value};

/// The outcome of one check. Ordered from least to most severe, so `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not applicable, or its input is missing: the message says which.
    Skip,
    /// The check holds.
    Pass,
    /// Worth knowing, nothing to fix.
    Info,
    /// Likely to cause trouble, or bad practice.
    Warn,
    /// Will make the JWT Bearer login fail.
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Skip => "skip",
            Status::Pass => "pass",
            Status::Info => "info",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// What a check's function returns: the framework adds the check's id, title and steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub fix: Option<String>,
    pub evidence: Map<String, Value>,
    /// Overrides the check's own steps (for findings whose cause points elsewhere).
    pub steps: Option<Vec<u8>>,
}

impl Outcome {
    fn new(status: Status, message: impl Into<String>, fix: Option<String>) -> Self {
        Outcome {
            status,
            message: message.into(),
            fix,
            evidence: Map::new(),
            steps: None,
        }
    }
    pub fn pass(message: impl Into<String>) -> Self {
        Self::new(Status::Pass, message, None)
    }
    pub fn info(message: impl Into<String>) -> Self {
        Self::new(Status::Info, message, None)
    }
    pub fn skip(reason: impl Into<String>) -> Self {
        Self::new(Status::Skip, reason, None)
    }
    pub fn warn(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Warn, message, Some(fix.into()))
    }
    pub fn fail(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self::new(Status::Fail, message, Some(fix.into()))
    }
    /// Adds one piece of evidence (never a secret).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.evidence.insert(key.to_string(), value.into());
        self
    }
    pub fn with_steps(mut self, steps: &[u8]) -> Self {
        self.steps = Some(steps.to_vec());
        self
    }
}

/// One check's result on one bundle, as reported (JSON contract: id, status, steps, title,
/// message, fix, evidence).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub status: Status,
    pub steps: Vec<u8>,
    pub title: &'static str,
    pub message: String,
    pub fix: Option<String>,
    pub evidence: Map<String, Value>,
}
