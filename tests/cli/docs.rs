//! docs/errors.md, docs/checks.md and docs/troubleshooting.md are generated from the error
//! catalog and the check registry. These tests fail when the committed files are stale; regenerate them with
//!
//!     UPDATE_DOCS=1 cargo test docs
//!
//! (`sfjwt::docs::REGENERATE`; it also rewrites README.md's check table, a unit test of the
//! library).

use std::path::PathBuf;

use sfjwt::docs::REGENERATE;

fn check_generated(relative: &str, generated: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty()) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create docs/");
        }
        std::fs::write(&path, generated).expect("write the generated page");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is stale: it differs from what the catalog and the registry generate. \
         Regenerate it with:\n\n    {REGENERATE}\n\nand commit the result."
    );
}

#[test]
fn docs_errors_md_is_current() {
    check_generated("docs/errors.md", &sfjwt::docs::errors_markdown());
}

#[test]
fn docs_checks_md_is_current() {
    check_generated("docs/checks.md", &sfjwt::docs::checks_markdown());
}

#[test]
fn docs_troubleshooting_md_is_current() {
    check_generated(
        "docs/troubleshooting.md",
        &sfjwt::docs::troubleshooting_markdown(),
    );
}
