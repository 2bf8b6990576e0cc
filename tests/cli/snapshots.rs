//! Snapshots of the text and JSON formats of `sfjwt check` (markdown, JUnit and GitHub: reports.rs),
//! at the fixed test instant, on as few bundles as show each renderer's features; what each
//! bundle finds is in its own snapshot (check_fixtures.rs, `findings`). Bundles are
//! copied to a temporary directory with the key at mode 0600, so the report does not depend on
//! the umask of the checkout; they are run by their relative name, so no path needs filtering.

use crate::common;

use common::check_copies_quietly as check;

#[test]
fn text_several_bundles() {
    let (code, out) = check(&["valid", "lightning-url", "expiring-soon"], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn json_valid() {
    let (code, out) = check(&["valid"], &["--format", "json"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_key_mismatch() {
    let (code, out) = check(&["key-mismatch"], &["--format", "json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn text_with_colour_forced() {
    let (_, out) = check(&["expiring-soon"], &["--color", "always"]);
    assert!(out.contains("\u{1b}["), "--color always colours the text");
    insta::assert_snapshot!(out);
}

/// Every report format has a snapshot of its own (named `FORMAT_...`, here or in reports.rs): a
/// format added later without one fails here.
#[test]
fn every_report_format_has_a_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/snapshots");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/cli/snapshots exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for format in common::report_formats() {
        let found = ["snapshots", "reports"].iter().any(|module| {
            let prefix = format!("cli__{module}__{format}_");
            names
                .iter()
                .any(|n| n.starts_with(&prefix) && n.ends_with(".snap"))
        });
        assert!(
            found,
            "no snapshot of --format {format} in {}",
            dir.display()
        );
    }
}
