//! The contract JSON of `fixtures/valid` from a real `sfjwt check` run, at the fixed test
//! instant (`scripts/bench.sh` and docs/performance.md read this snapshot). How each format
//! renders is snapshotted in renderers.rs, from one hand-built report, so adding a check does not
//! rewrite those; what each bundle finds is in its own snapshot (check_fixtures.rs, `findings`).
//! The bundle is copied to a temporary directory with the key at mode 0600, so the report does
//! not depend on the umask of the checkout; it is run by its relative name, so no path needs
//! filtering.

use crate::common;

use common::check_copies_quietly as check;

#[test]
fn json_valid() {
    let (code, out) = check(&["valid"], &["--format", "json"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

/// Every report format has a snapshot of its own (named `FORMAT_...`, here, in renderers.rs or in
/// reports.rs): a format added later without one fails here.
#[test]
fn every_report_format_has_a_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/snapshots");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/cli/snapshots exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for format in common::report_formats() {
        let found = ["snapshots", "renderers", "reports"].iter().any(|module| {
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
