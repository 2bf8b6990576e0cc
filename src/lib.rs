//! sfjwt: a doctor for Salesforce JWT Bearer credentials.
//!
//! The library holds all the logic: gathering inputs into a [`bundle::Bundle`], running the
//! [`checks::REGISTRY`] over it into a [`report::Report`], and rendering that report. The binary
//! only parses arguments and maps the result to an exit code. [`explain`] turns an error text into
//! entries of the error catalog ([`salesforce::errors`]); [`docs`] renders the catalog and the
//! registry as Markdown.

pub mod bundle;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod context;
pub mod docs;
pub mod exit;
pub mod finding;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod interrupt;
pub mod jwt;
pub mod layers;
pub mod lookalike;
pub mod prompt;
pub mod redact;
pub mod report;
pub mod salesforce;
pub mod steps;
pub mod text;
pub mod words;
