use super::*;
use crate::bundle::gather::{Inputs, gather};
use crate::bundle::{Origin, Setting};
use serde_json::Value;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// fixtures/valid with the app metadata of fixtures/app/NAME.
fn bundle(app: &str) -> Bundle {
    let inputs = Inputs {
        app_metadata: Some(Setting::new(
            fixture(&format!("app/{app}")).to_string_lossy(),
            Origin::Flag("--app-metadata"),
        )),
        ..Inputs::default()
    };
    gather("valid", Some(&fixture("valid")), &inputs, &|_| None, None)
}

fn outcome(check: &Check, b: &Bundle) -> Outcome {
    let ctx = Context::new(time::macros::datetime!(2026-11-29 13:00 UTC));
    check.outcome(b, &ctx, &mut Scratch::default())
}

const ALL: [&Check; 6] = [
    &APP_CONSUMER_KEY,
    &APP_CERTIFICATE,
    &APP_JWT_FLOW,
    &APP_SCOPES,
    &APP_POLICY,
    &APP_INTROSPECTION,
];

#[test]
fn the_valid_apps_pass_every_check() {
    for valid in [
        "eca-valid",
        "connected-app-valid",
        "eca-metadata-format",
        "eca-bare-cert",
        "two-apps",
    ] {
        let b = bundle(valid);
        for check in ALL {
            let o = outcome(check, &b);
            assert_eq!(
                o.status,
                Status::Pass,
                "{valid} {}: {}",
                check.id,
                o.message
            );
        }
    }
}

/// Each failing fixture fails (or warns) exactly the check it is for.
#[test]
fn each_check_fails_on_its_own_fixture() {
    for (fixture, failing, status, words) in [
        (
            "eca-other-key",
            &APP_CONSUMER_KEY,
            Status::Fail,
            "3MVG9Oth…",
        ),
        (
            "eca-consumer-secret",
            &APP_CONSUMER_KEY,
            Status::Warn,
            "source control",
        ),
        (
            "eca-other-cert",
            &APP_CERTIFICATE,
            Status::Fail,
            "another public key",
        ),
        (
            "eca-no-jwt",
            &APP_JWT_FLOW,
            Status::Fail,
            "the JWT Bearer flow is off",
        ),
        ("eca-oauth-off", &APP_JWT_FLOW, Status::Fail, "OAuth is off"),
        ("eca-no-refresh", &APP_SCOPES, Status::Fail, "refresh_token"),
        ("eca-no-api", &APP_SCOPES, Status::Fail, "lack api"),
        (
            "eca-self-authorized",
            &APP_POLICY,
            Status::Fail,
            "self-authorize",
        ),
        (
            "connected-app-self-authorized",
            &APP_POLICY,
            Status::Fail,
            "self-authorize",
        ),
        (
            "eca-no-profiles",
            &APP_POLICY,
            Status::Fail,
            "no profile or permission set",
        ),
        ("eca-no-introspect", &APP_INTROSPECTION, Status::Warn, "off"),
    ] {
        let b = bundle(fixture);
        for check in ALL {
            let o = outcome(check, &b);
            if check.id == failing.id {
                assert_eq!(o.status, status, "{fixture} {}: {}", check.id, o.message);
                assert!(o.message.contains(words), "{fixture}: {}", o.message);
                assert!(
                    o.fix.as_deref().is_some_and(|f| f.contains("Setup >")
                        || f.contains("source control")
                        || f.contains("version control")),
                    "{fixture}: {:?}",
                    o.fix
                );
            } else if check.id == APP_CERTIFICATE.id
                && failing.id == APP_JWT_FLOW.id
                && fixture == "eca-no-jwt"
            {
                assert_eq!(o.status, Status::Skip, "{}", o.message);
                assert!(o.message.ends_with("(see app.jwt-flow)"));
            } else {
                assert_eq!(
                    o.status,
                    Status::Pass,
                    "{fixture} {}: {}",
                    check.id,
                    o.message
                );
            }
        }
    }
}

#[test]
fn a_renewed_certificate_of_the_same_key_passes_and_says_so() {
    let o = outcome(&APP_CERTIFICATE, &bundle("eca-renewed-cert"));
    assert_eq!(o.status, Status::Pass, "{}", o.message);
    assert!(
        o.message.contains("another certificate than the bundle's"),
        "{}",
        o.message
    );
    assert_eq!(o.evidence["problem"], "same-key");
    assert_ne!(
        o.evidence["uploaded_fingerprint"],
        o.evidence["cert_fingerprint"]
    );
}

#[test]
fn evidence_names_the_app_the_files_and_how_it_was_chosen() {
    let o = outcome(&APP_CONSUMER_KEY, &bundle("two-apps"));
    assert_eq!(o.evidence["app"], "Acme_Integration");
    assert_eq!(o.evidence["app_kind"], "external-client-app");
    assert_eq!(o.evidence["chosen_by"], "consumer-key");
    assert_eq!(
        o.evidence["other_apps"],
        serde_json::json!(["Other_Integration"])
    );
    assert_eq!(o.evidence["files"].as_array().map(Vec::len), Some(5));
    assert!(
        o.message
            .contains("chosen by its consumer key among 2 apps"),
        "{}",
        o.message
    );
    let o = outcome(&APP_SCOPES, &bundle("eca-valid"));
    assert_eq!(
        o.evidence["scopes"],
        serde_json::json!(["api", "refresh_token"])
    );
    let o = outcome(&APP_POLICY, &bundle("connected-app-valid"));
    assert_eq!(o.evidence["app_kind"], "connected-app");
    assert_eq!(o.evidence["ip_relaxation"], "ENFORCE");
}

#[test]
fn metadata_that_does_not_read_fails_app_consumer_key_and_skips_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("X.eca-meta.xml"), "<!DOCTYPE x><a/>").unwrap();
    let inputs = Inputs {
        app_metadata: Some(Setting::new(
            dir.path().to_string_lossy(),
            Origin::Flag("--app-metadata"),
        )),
        ..Inputs::default()
    };
    let b = gather("valid", Some(&fixture("valid")), &inputs, &|_| None, None);
    let o = outcome(&APP_CONSUMER_KEY, &b);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message.contains("DOCTYPE") && o.message.ends_with("(from --app-metadata)"),
        "{}",
        o.message
    );
    for check in &ALL[1..] {
        let o = outcome(check, &b);
        assert_eq!(o.status, Status::Skip);
        assert_eq!(o.message, "no app was read (see app.consumer-key)");
    }
}

#[test]
fn the_secret_of_the_metadata_serves_introspection_and_is_never_shown() {
    const CANARY: &str = "CA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1E";
    let b = bundle("eca-consumer-secret");
    let secret = b.consumer_secret.as_ref().expect("the metadata's secret");
    assert_eq!(secret.expose(), CANARY);
    assert!(matches!(
        &secret.origin,
        Origin::AppMetadata {
            field: "consumerSecret",
            ..
        }
    ));
    for check in ALL {
        let o = outcome(check, &b);
        let text = format!(
            "{} {:?} {}",
            o.message,
            o.fix,
            Value::Object(o.evidence.clone())
        );
        assert!(!text.contains(&CANARY[..8]), "{}: {text}", check.id);
    }
}

#[test]
fn docs_are_complete() {
    for c in ALL {
        for text in [c.docs.passes_when, c.docs.what, c.docs.why, c.docs.fix] {
            assert!(text.trim().len() > 20, "{}", c.id);
        }
        assert!(crate::checks::find(c.id).is_some(), "{}", c.id);
        assert_eq!(c.group, Group::App);
    }
}
