//! Snapshots of every output format of `sfjwt check`, at the fixed test instant. Bundles are
//! copied to a temporary directory with the key at mode 0600, so the report does not depend on
//! the umask of the checkout; they are run by their relative name, so no path needs filtering.

use crate::common;

use common::check_copies_quietly as check;

#[test]
fn text_valid() {
    let (code, out) = check(&["valid"], &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn text_key_mismatch() {
    let (code, out) = check(&["key-mismatch"], &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

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
