//! Snapshots of every report format, rendered in-process from one hand-built report
//! (`renderers/sample.rs`) instead of a real `sfjwt check` run: adding a check changes the
//! per-fixture findings snapshots (check_fixtures.rs), not these. One snapshot per
//! [`ReportFormat`] (named `FORMAT_sample`), the text one again with colour forced on, and the
//! markdown of a single bundle (its verdict sentence differs from a fleet's). The markdown
//! checklist names the registered checks that would cover a step no finding covers
//! (`not_checked_reason` reads `checks::REGISTRY`): that line moves when a check of that step
//! is added.
//!
//! Colour is one process-wide switch (`colored::control::set_override`); the renders here hold
//! [`COLOUR`] and set it for each render. No other module of this binary renders with colour
//! in-process.

mod sample;

use std::sync::Mutex;

use clap::ValueEnum;
use sfjwt::report::{self, Report, ReportFormat};

static COLOUR: Mutex<()> = Mutex::new(());

/// The report in one format, coloured or not.
fn render(report: &Report, format: ReportFormat, colour: bool) -> String {
    let _lock = COLOUR
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    colored::control::set_override(colour);
    let out = report::render(report, format);
    colored::control::set_override(false);
    out
}

#[test]
fn every_format_of_the_sample_report() {
    let report = sample::report();
    for format in ReportFormat::value_variants() {
        let out = render(&report, *format, false);
        assert!(!out.is_empty(), "{}", format.name());
        if *format == ReportFormat::Sarif {
            // Hostile names, a flags-only bundle, policy notes: still valid SARIF 2.1.0.
            let doc: serde_json::Value = serde_json::from_str(&out).expect("well-formed JSON");
            let errors = crate::common::sarif_schema_errors(&doc);
            assert!(errors.is_empty(), "the SARIF 2.1.0 schema: {errors:#?}");
        }
        insta::assert_snapshot!(format!("{}_sample", format.name()), out);
    }
}

#[test]
fn text_of_the_sample_report_with_colour_forced() {
    let out = render(&sample::report(), ReportFormat::Text, true);
    assert!(out.contains("\u{1b}[1;31mfail"), "colour is on");
    insta::assert_snapshot!("text_sample_coloured", out);
}

#[test]
fn markdown_of_one_bundle() {
    let mut report = sample::report();
    report.bundles.retain(|b| b.name == "broken");
    let out = render(&report, ReportFormat::Markdown, false);
    insta::assert_snapshot!("markdown_sample_one_bundle", out);
}
