//! One snapshot of every id space the library exposes (as cargo-deny's `codes_unique`): a rename,
//! an addition or a removal shows in review as a line of `ids.snap`, and each space holds every
//! id once. Every list is read from sfjwt's own declaration, never copied here.
//!
//! The evidence `problem` codes are the names of the code enums (derived, `strum::VariantNames`).

use std::collections::BTreeMap;

use clap::ValueEnum;
use sfjwt::bundle::cert::CertError;
use sfjwt::bundle::inputs::INPUTS;
use sfjwt::bundle::key::KeyError;
use sfjwt::checks::REGISTRY;
use sfjwt::jwt::DecodeError;
use sfjwt::salesforce::errors;
use sfjwt::salesforce::hosts::{HostKind, RejectionCode, WarningCode};
use sfjwt::salesforce::identity::Pasted;
use sfjwt::salesforce::token::Fault;
use strum::VariantNames;

/// Each id space, by name, with its ids in declaration order.
fn spaces() -> Vec<(&'static str, Vec<String>)> {
    let catalog = errors::catalog();
    let owned = |ids: Vec<&str>| ids.into_iter().map(str::to_string).collect::<Vec<_>>();
    vec![
        (
            "check ids (checks::REGISTRY)",
            owned(REGISTRY.iter().map(|c| c.id).collect()),
        ),
        (
            "claim rule ids (jwt::RULES)",
            owned(sfjwt::jwt::RULES.iter().map(|r| r.id.as_str()).collect()),
        ),
        (
            "error catalog ids (salesforce::errors)",
            catalog.entries().iter().map(|e| e.id.clone()).collect(),
        ),
        (
            "error catalog aliases (salesforce::errors)",
            catalog
                .entries()
                .iter()
                .flat_map(|e| e.aliases.iter().cloned())
                .collect(),
        ),
        (
            "report formats (report::ReportFormat)",
            owned(
                sfjwt::report::ReportFormat::value_variants()
                    .iter()
                    .map(|f| f.name())
                    .collect(),
            ),
        ),
        (
            "input flags (bundle::inputs::INPUTS)",
            owned(INPUTS.iter().map(|i| i.flag).collect()),
        ),
        (
            "input environment variables (bundle::inputs::INPUTS)",
            owned(INPUTS.iter().filter_map(|i| i.env).collect()),
        ),
        (
            "input sfjwt.toml keys (bundle::inputs::INPUTS)",
            owned(INPUTS.iter().filter_map(|i| i.toml).collect()),
        ),
        codes(
            "key problem codes (bundle::key::KeyError)",
            KeyError::VARIANTS,
        ),
        codes(
            "certificate problem codes (bundle::cert::CertError)",
            CertError::VARIANTS,
        ),
        codes(
            "token decoding codes (jwt::DecodeError)",
            DecodeError::VARIANTS,
        ),
        codes(
            "login URL rejection codes (salesforce::hosts::RejectionCode)",
            RejectionCode::VARIANTS,
        ),
        codes(
            "login URL warning codes (salesforce::hosts::WarningCode)",
            WarningCode::VARIANTS,
        ),
        codes(
            "login host kinds (salesforce::hosts::HostKind)",
            HostKind::VARIANTS,
        ),
        codes(
            "pasted-value codes (salesforce::identity::Pasted)",
            Pasted::VARIANTS,
        ),
        codes(
            "live request faults (salesforce::token::Fault)",
            Fault::VARIANTS,
        ),
    ]
}

fn codes(name: &'static str, names: &[&str]) -> (&'static str, Vec<String>) {
    (name, names.iter().map(|n| n.to_string()).collect())
}

/// The ids that occur more than once in `ids`, with their counts.
fn repeated<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for id in ids {
        *counts.entry(id).or_default() += 1;
    }
    counts.into_iter().filter(|(_, n)| *n > 1).collect()
}

#[test]
fn every_id_space() {
    let mut shown = String::new();
    for (name, ids) in spaces() {
        shown += &format!("{name}: {}\n", ids.len());
        for id in &ids {
            shown += &format!("  {id}\n");
        }
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn each_id_space_holds_each_id_once() {
    for (name, ids) in spaces() {
        assert!(!ids.is_empty(), "{name} is empty");
        let twice = repeated(ids.iter().map(String::as_str));
        assert!(
            twice.is_empty(),
            "{name}: ids given more than once: {twice:?}"
        );
    }
}

/// `sfjwt explain ID` looks an id up among the checks first, then the catalog: an id in both
/// would hide the catalog entry.
#[test]
fn explain_ids_are_unique_across_checks_and_the_catalog() {
    let catalog = errors::catalog();
    let ids = REGISTRY
        .iter()
        .map(|c| c.id)
        .chain(catalog.entries().iter().map(|e| e.id.as_str()));
    let twice = repeated(ids);
    assert!(
        twice.is_empty(),
        "ids of both a check and a catalog entry: {twice:?}"
    );
}
