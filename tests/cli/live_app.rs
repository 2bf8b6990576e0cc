//! The offline verdict of the app.* checks tied to the live one: for each app fixture, the
//! emulator answers as that app would ([`Emulator::for_app`]), and `sfjwt check --live
//! --app-metadata` on fixtures/valid must fail offline exactly the app check that explains the
//! refusal the token endpoint then gives (or pass both).

use crate::emulator::Emulator;
use crate::live::{Run, bundle, live_run, steps, text};

use common::finding;

use crate::common;

/// The run of fixtures/valid's key and certificate against the emulator of the app of `dir`.
fn tied(dir: &str) -> (Emulator, Run) {
    let emu = Emulator::for_app(dir);
    let b = bundle(&emu.origin());
    let run = live_run(b.path(), &["--app-metadata", dir], &[]);
    run.assert_hides(&emu.secrets());
    (emu, run)
}

#[test]
fn a_valid_app_passes_offline_and_live() {
    for dir in [
        "fixtures/app/eca-valid",
        "fixtures/app/connected-app-valid",
        "fixtures/app/eca-renewed-cert",
        "fixtures/app/eca-bare-cert",
    ] {
        let (emu, run) = tied(dir);
        for check in run.json["bundles"][0]["checks"].as_array().unwrap() {
            let id = check["id"].as_str().unwrap();
            if id.starts_with("app.") || id.starts_with("token.") {
                assert_eq!(check["status"], "pass", "{dir} {id}: {check:#}");
            }
        }
        assert_eq!(emu.issued().len(), 1, "{dir}");
        assert_eq!(emu.revoked(), emu.issued(), "{dir}: the token was revoked");
        assert_eq!(run.code, 0, "{dir}");
    }
}

/// Each failing app: the app check that fails offline, and the refusal the token endpoint gives
/// (its catalog entry and the steps it points at), which the offline check predicted.
#[test]
fn a_failing_app_fails_the_same_step_offline_and_live() {
    for (dir, check, catalog_id, want_steps) in [
        (
            "eca-other-cert",
            "app.certificate",
            "invalid-assertion",
            &[1u64, 2, 7][..],
        ),
        (
            "eca-no-jwt",
            "app.jwt-flow",
            "invalid-assertion",
            &[1, 2, 7],
        ),
        (
            "eca-oauth-off",
            "app.jwt-flow",
            "client-id-invalid",
            &[3, 5],
        ),
        (
            "eca-other-key",
            "app.consumer-key",
            "client-id-invalid",
            &[3, 5],
        ),
        (
            "eca-self-authorized",
            "app.policy",
            "user-not-approved",
            &[4, 6],
        ),
        (
            "eca-no-profiles",
            "app.policy",
            "user-not-approved",
            &[4, 6],
        ),
        (
            "connected-app-self-authorized",
            "app.policy",
            "user-not-approved",
            &[4, 6],
        ),
        (
            "eca-no-refresh",
            "app.scopes",
            "refresh-scope-required",
            &[2, 4],
        ),
    ] {
        let (emu, run) = tied(&format!("fixtures/app/{dir}"));
        let offline = finding(&run.json, check);
        assert_eq!(offline["status"], "fail", "{dir}: {offline:#}");
        let ex = run.exchange();
        assert_eq!(ex["status"], "fail", "{dir}: {ex:#}");
        assert_eq!(ex["evidence"]["catalog_id"], catalog_id, "{dir}: {ex:#}");
        assert_eq!(steps(ex), want_steps, "{dir}: {ex:#}");
        let explains = ex["evidence"]["app_metadata_explains"].as_array().unwrap();
        assert!(explains.iter().any(|id| id == check), "{dir}: {ex:#}");
        assert!(
            text(ex, "message").contains("The retrieved app metadata explains it: "),
            "{dir}: {ex:#}"
        );
        let offline_steps = steps(offline);
        assert!(
            offline_steps.iter().any(|s| want_steps.contains(s))
                || (catalog_id == "client-id-invalid" && check == "app.jwt-flow"),
            "{dir}: the offline {check} points at {offline_steps:?}, the refusal at {want_steps:?}"
        );
        assert!(emu.issued().is_empty(), "{dir}: no token was issued");
        assert_eq!(run.code, 1);
    }
}

/// "Introspect all Tokens" off: the login works and the token is revoked, but introspection
/// sees it inactive, which app.introspection warned about offline.
#[test]
fn introspection_off_warns_offline_and_fails_introspection_live() {
    for dir in [
        "fixtures/app/eca-no-introspect",
        "fixtures/app/connected-app-retrieved",
    ] {
        let (emu, run) = tied(dir);
        assert_eq!(
            finding(&run.json, "app.introspection")["status"],
            "warn",
            "{dir}"
        );
        assert_eq!(run.exchange()["status"], "pass", "{dir}");
        let intro = run.introspection();
        assert_ne!(intro["status"], "pass", "{dir}: {intro:#}");
        assert!(
            text(intro, "message").contains("Introspect all Tokens"),
            "{intro:#}"
        );
        assert_eq!(emu.revoked(), emu.issued(), "{dir}");
    }
}

/// A refusal the metadata does not explain: the app admits the integration user's profile, but
/// this user is not approved. The refusal says the metadata shows no cause, so the cause is in
/// the org (the user) or the metadata is stale.
#[test]
fn a_refusal_the_metadata_does_not_explain_says_so() {
    let emu = Emulator::for_app("fixtures/app/eca-valid");
    let b = bundle(&emu.origin());
    let run = live_run(
        b.path(),
        &[
            "--app-metadata",
            "fixtures/app/eca-valid",
            "--username",
            crate::emulator::NOT_APPROVED,
        ],
        &[],
    );
    let ex = run.exchange();
    assert_eq!(ex["evidence"]["catalog_id"], "user-not-approved", "{ex:#}");
    assert_eq!(
        ex["evidence"]["app_metadata_explains"],
        serde_json::json!([])
    );
    assert!(
        text(ex, "message").contains(
            "The retrieved app metadata shows no cause of it (app.policy and app.scopes pass)"
        ),
        "{ex:#}"
    );
    assert_eq!(finding(&run.json, "app.policy")["status"], "pass");
}
