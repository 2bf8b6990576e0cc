//! Sources shown: an environment variable that replaces bundles' own settings is said once per
//! run, naming the variable and how many bundles; each finding's origin says what it replaced;
//! key.parse says where its key came from.

use crate::common::{AT, copy_bundle, sfjwt};

#[test]
fn an_environment_variable_replacing_bundle_settings_is_noted_once_with_the_count() {
    let dir = tempfile::tempdir().unwrap();
    for b in ["valid", "expiring-soon", "key-mismatch"] {
        copy_bundle(b, dir.path());
    }
    // A bundle without its own login_url: the variable gives it, replacing nothing.
    copy_bundle("valid", &dir.path().join("own"));
    let toml = dir.path().join("own/valid/sfjwt.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("login_url"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&toml, without).unwrap();
    let stale_key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/key-mismatch/server.key"
    ))
    .unwrap();

    let out = sfjwt()
        .current_dir(dir.path())
        .env("SFJWT_LOGIN_URL", "https://login.salesforce.com")
        .env("SFJWT_PRIVATE_KEY", &stale_key)
        .args(["check", "--at", AT, "--json"])
        .args(["valid", "expiring-soon", "key-mismatch", "own/valid"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let url_note =
        "sfjwt: note: $SFJWT_LOGIN_URL replaced the bundle's own value in 3 of 4 bundles";
    assert_eq!(stderr.matches(url_note).count(), 1, "{stderr}");
    let key_note =
        "sfjwt: note: $SFJWT_PRIVATE_KEY replaced the bundle's own value in 4 of 4 bundles";
    assert_eq!(stderr.matches(key_note).count(), 1, "{stderr}");
    assert!(!stderr.contains("BEGIN"), "no key material in the note");

    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = json["notes"].as_array().expect("notes in the JSON report");
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .starts_with("$SFJWT_LOGIN_URL replaced")
    );
    let first = &json["bundles"][0]["checks"];
    let by_id = |id: &str| {
        first
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    let host = by_id("login-url.host");
    assert!(
        host["message"]
            .as_str()
            .unwrap()
            .contains("(from $SFJWT_LOGIN_URL, which overrides login_url in valid/sfjwt.toml)"),
        "{host}"
    );
    let key = by_id("key.parse");
    assert!(
        key["message"]
            .as_str()
            .unwrap()
            .contains("from $SFJWT_PRIVATE_KEY, which overrides valid/server.key"),
        "{key}"
    );
    // The stale key is the mismatching one: the note is what explains the failure.
    assert_eq!(by_id("cert.matches-key")["status"], "fail");

    // Without the variables, no note.
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT, "--json", "valid"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("notes").is_none());
}

#[test]
fn the_markdown_report_carries_the_note_for_a_ticket() {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    let out = sfjwt()
        .current_dir(dir.path())
        .env("SFJWT_USERNAME", "someone.else@acme.com")
        .args(["check", "--at", AT, "--format", "markdown", "valid"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("> **Note:** $SFJWT_USERNAME replaced the bundle's own value in 1 of 1 bundle"),
        "{md}"
    );
}
