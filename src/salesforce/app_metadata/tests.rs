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
    let file = if name.contains('/') {
        format!("{name}.crt")
    } else {
        format!("{name}/server.crt")
    };
    std::fs::read_to_string(fixture(&file))
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn eca_valid_reads_every_field() {
    let app = one("eca-valid");
    assert_eq!(app.name, "Acme_Integration");
    assert_eq!(app.kind, AppKind::ExternalClientApp);
    assert_eq!(app.files.len(), 5);
    assert_eq!(app.oauth_enabled, Some(true));
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
    assert_eq!(app.oauth_enabled, Some(true));
}

#[test]
fn a_retrieve_in_metadata_format_reads_as_the_source_format() {
    let mut source = one("eca-valid");
    let mut metadata = one("eca-metadata-format");
    assert!(
        metadata
            .files
            .iter()
            .all(|f| !f.to_string_lossy().ends_with("-meta.xml"))
    );
    assert_eq!(metadata.files.len(), 5);
    // The same elements on the same lines, in files of other names.
    let placed = |app: &AppMetadata| -> Vec<(&str, u32)> {
        app.places.iter().map(|(e, _, line)| (*e, *line)).collect()
    };
    assert_eq!(placed(&source), placed(&metadata));
    (source.files, metadata.files) = (Vec::new(), Vec::new());
    (source.places, metadata.places) = (Vec::new(), Vec::new());
    assert_eq!(source, metadata);
}

#[test]
fn a_zip_is_refused_with_how_to_unzip_it() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("unpackaged.zip");
    std::fs::write(&zip, b"PK\x03\x04").unwrap();
    let err = read(&zip).unwrap_err();
    assert!(err.problem.contains("unzip"), "{err}");
}

#[test]
fn the_walk_is_capped_and_skips_links() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..=64 {
        std::fs::write(dir.path().join(format!("f{i}.txt")), b"").unwrap();
    }
    let err = read_capped_at(dir.path(), 64).unwrap_err();
    assert!(err.problem.contains("more than 64 entries"), "{err}");
    assert!(read(dir.path()).unwrap().is_empty());

    let deep = tempfile::tempdir().unwrap();
    let mut at = deep.path().to_path_buf();
    for i in 0..MAX_DEPTH + 3 {
        at = at.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&at).unwrap();
    let src = fixture(
        "app/eca-valid/force-app/main/default/extlClntAppGlobalOauthSets/Acme_Integration_glbloauth.ecaGlblOauth-meta.xml",
    );
    std::fs::copy(&src, at.join("Deep_glbloauth.ecaGlblOauth-meta.xml")).unwrap();
    assert!(
        read(deep.path()).unwrap().is_empty(),
        "too deep is not read"
    );

    #[cfg(unix)]
    {
        let linked = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(fixture("app/eca-valid"), linked.path().join("link")).unwrap();
        std::os::unix::fs::symlink(&src, linked.path().join("L.ecaGlblOauth-meta.xml")).unwrap();
        assert!(
            read(linked.path()).unwrap().is_empty(),
            "links are not followed"
        );
    }
}

fn app(name: &str, key: &str) -> AppMetadata {
    let mut a = AppMetadata::new(name, AppKind::ExternalClientApp);
    a.consumer_key = Some(key.to_owned());
    a
}

#[test]
fn choose_by_name_then_alone_then_by_consumer_key() {
    let two = || vec![app("A", "3MVG9a"), app("B", "3MVG9b")];
    let c = choose(two(), Some("b"), None).unwrap();
    assert_eq!(
        (c.app.name.as_str(), c.by, c.others),
        ("B", ChosenBy::Name, vec!["A".to_owned()])
    );
    assert_eq!(
        choose(two(), Some("C"), None).unwrap_err(),
        NotChosen::NoSuchName {
            name: "C".into(),
            names: vec!["A".into(), "B".into()]
        }
    );
    let c = choose(two(), None, Some(" 3MVG9b\n")).unwrap();
    assert_eq!((c.app.name.as_str(), c.by), ("B", ChosenBy::ConsumerKey));
    assert_eq!(
        choose(two(), None, Some("3MVG9z")).unwrap_err(),
        NotChosen::Ambiguous {
            names: vec!["A".into(), "B".into()],
            by_key: Some(0)
        }
    );
    assert_eq!(
        choose(two(), None, None).unwrap_err(),
        NotChosen::Ambiguous {
            names: vec!["A".into(), "B".into()],
            by_key: None
        }
    );
    let same = vec![app("A", "3MVG9a"), app("B", "3MVG9a")];
    assert!(matches!(
        choose(same, None, Some("3MVG9a")),
        Err(NotChosen::Ambiguous {
            by_key: Some(2),
            ..
        })
    ));
    assert_eq!(
        choose(vec![app("A", "k")], None, Some("other")).unwrap().by,
        ChosenBy::Only
    );
    assert_eq!(
        choose(Vec::new(), None, None).unwrap_err(),
        NotChosen::NoApp
    );
}

#[test]
fn two_apps_in_one_project_read_apart() {
    let apps = read(&fixture("app/two-apps")).unwrap();
    let names: Vec<_> = apps.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Acme_Integration", "Other_Integration"]);
    assert!(apps.iter().all(|a| a.files.len() == 5));
    let c = choose(apps, None, Some(KEY)).unwrap();
    assert_eq!(c.app.name, "Acme_Integration");
}

#[test]
fn failing_variants_read_as_they_fail() {
    assert_eq!(
        one("eca-other-cert").certificate_pem.as_deref(),
        Some(cert("rotation/new-key").as_str())
    );
    assert_eq!(one("eca-oauth-off").oauth_enabled, Some(false));
    assert_eq!(one("eca-no-introspect").introspect_all_tokens, Some(false));
    let none = one("eca-no-profiles");
    assert!(none.profiles.is_empty() && none.permission_sets.is_empty());
    assert_eq!(
        one("connected-app-self-authorized").admin_approved,
        Some(false)
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
    assert!(
        hostile(big.as_bytes())
            .problem
            .contains("larger than 1024 KiB")
    );
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

#[test]
fn two_retrieves_of_one_app_are_an_error_naming_both_files() {
    let err = read(&fixture("app")).unwrap_err();
    assert!(err.problem.starts_with("a second "), "{err}");
    assert!(err.problem.contains("(the first is "), "{err}");
}

#[test]
fn elements_are_placed_on_the_line_of_their_start_tag() {
    let doc = xml::parse(
        "<?xml version=\"1.0\"?>\n<A>\n  <b>one</b>\n\n  <c>two\nlines</c>\n  <d><e>x</e></d>\n</A>\n",
    )
    .unwrap();
    assert_eq!(doc.line_of("b"), Some(3));
    assert_eq!(
        doc.line_of("c"),
        Some(5),
        "a text on two lines: its start tag's line"
    );
    assert_eq!(doc.line_of("e"), Some(7), "after the text's own line break");
    assert_eq!(doc.line_of("missing"), None);
    let app = one("eca-no-introspect");
    let (_, file, line) = app
        .places
        .iter()
        .find(|(e, _, _)| *e == "isIntrospectAllTokens")
        .expect("placed");
    let text = std::fs::read_to_string(file).unwrap();
    let at = text.lines().nth(*line as usize - 1).unwrap();
    assert!(at.contains("<isIntrospectAllTokens>"), "{at}");
}
