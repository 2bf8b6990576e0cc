use super::*;
use std::time::{Duration, Instant};

const KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";
const CANARY: &str = "CA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1E";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn one(name: &str) -> AppMetadata {
    let mut apps = read(&fixture(&format!("app/{name}"))).expect("fixture reads");
    assert_eq!(apps.len(), 1, "{name}: {apps:?}");
    apps.remove(0)
}

fn cert(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("{name}/server.crt")))
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn eca_valid_reads_every_field() {
    let app = one("eca-valid");
    assert_eq!(app.name, "Acme_Integration");
    assert_eq!(app.kind, AppKind::ExternalClientApp);
    assert_eq!(app.files.len(), 4);
    assert_eq!(app.consumer_key.as_deref(), Some(KEY));
    assert_eq!(app.certificate_pem.as_deref(), Some(cert("valid").as_str()));
    assert_eq!(app.jwt_bearer_enabled, Some(true));
    assert_eq!(app.scopes, ["Api", "RefreshToken"]);
    assert_eq!(app.admin_approved, Some(true));
    assert_eq!(app.profiles, ["Integration User"]);
    assert_eq!(app.permission_sets, ["Acme_Integration_User"]);
    assert_eq!(app.ip_relaxation.as_deref(), Some("Enforce"));
    assert_eq!(app.introspect_all_tokens, Some(true));
    assert!(app.consumer_secret.is_none());
}

#[test]
fn connected_app_valid_reads_every_field() {
    let app = one("connected-app-valid");
    assert_eq!(app.name, "Acme_Integration");
    assert_eq!(app.kind, AppKind::ConnectedApp);
    assert_eq!(app.consumer_key.as_deref(), Some(KEY));
    assert_eq!(app.certificate_pem.as_deref(), Some(cert("valid").as_str()));
    assert_eq!(app.jwt_bearer_enabled, Some(true));
    assert_eq!(app.scopes, ["Api", "RefreshToken"]);
    assert_eq!(app.admin_approved, Some(true));
    assert_eq!(app.profiles, ["Integration User"]);
    assert_eq!(app.permission_sets, ["Acme_Integration_User"]);
    assert_eq!(app.ip_relaxation.as_deref(), Some("ENFORCE"));
    assert_eq!(app.introspect_all_tokens, Some(true));
}

#[test]
fn failing_variants_read_as_they_fail() {
    assert_eq!(
        one("eca-other-cert").certificate_pem.as_deref(),
        Some(cert("key-mismatch").as_str())
    );
    let no_jwt = one("eca-no-jwt");
    assert_eq!(
        (no_jwt.jwt_bearer_enabled, no_jwt.certificate_pem),
        (Some(false), None)
    );
    assert_eq!(one("eca-no-refresh").scopes, ["Api"]);
    assert_eq!(one("eca-self-authorized").admin_approved, Some(false));
}

#[test]
fn consumer_secret_is_read_and_never_debugged() {
    let app = one("eca-consumer-secret");
    assert_eq!(
        app.consumer_secret.as_ref().map(ConsumerSecret::expose),
        Some(CANARY)
    );
    let shown = format!("{app:?} {app:#?}");
    assert!(!shown.contains(CANARY), "{shown}");
    assert!(shown.contains("<redacted>"));
}

#[test]
fn a_single_file_reads() {
    let file = fixture(
        "app/connected-app-valid/force-app/main/default/connectedApps/Acme_Integration.connectedApp-meta.xml",
    );
    assert_eq!(read(&file).unwrap()[0].consumer_key.as_deref(), Some(KEY));
}

/// Writes `bytes` as a Connected App file in a fresh directory and reads it.
fn hostile(bytes: &[u8]) -> AppMetadataError {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Evil.connectedApp-meta.xml");
    std::fs::write(&file, bytes).unwrap();
    let start = Instant::now();
    let err = read(dir.path()).expect_err("hostile input is an error");
    assert!(start.elapsed() < Duration::from_secs(5), "slow: {err}");
    assert_eq!(err.path, file);
    err
}

#[test]
fn hostile_inputs_are_errors_quickly() {
    let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">\
        <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n\
        <ConnectedApp><label>&lol2;</label></ConnectedApp>";
    assert!(hostile(laughs.as_bytes()).problem.contains("DOCTYPE"));
    let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
    assert!(hostile(deep.as_bytes()).problem.contains("deeper"));
    let big = format!(
        "<ConnectedApp><label>{}</label></ConnectedApp>",
        "x".repeat(2 << 20)
    );
    assert!(hostile(big.as_bytes()).problem.contains("TooLarge"));
    let utf16: Vec<u8> = "\u{feff}<ConnectedApp/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(hostile(&utf16).problem.contains("UTF-8"));
    assert!(
        hostile(b"<ConnectedApp><oauthConfig><consumerKey>x")
            .problem
            .contains("truncated")
    );
    assert!(
        hostile(b"<ConnectedApp><a></b></ConnectedApp>")
            .problem
            .contains("malformed")
    );
    assert!(
        hostile(b"<ConnectedApp><label>&unknown;</label></ConnectedApp>")
            .problem
            .contains("entity")
    );
}
