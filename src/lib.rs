//! sfjwt: a doctor for Salesforce JWT Bearer credentials.
//!
//! The library holds all the logic: gathering inputs into a [`bundle::Bundle`], running the
//! [`checks::REGISTRY`] over it into a [`report::Report`], and rendering that report. The binary
//! only parses arguments and maps the result to an exit code.

pub mod app;
pub mod bundle;
pub mod checks;
pub mod cli;
pub mod context;
pub mod decode;
pub mod finding;
pub mod fingerprint;
pub mod jwt;
pub mod report;
pub mod salesforce;
pub mod words;
