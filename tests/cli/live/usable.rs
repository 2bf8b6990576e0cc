//! token.usable through the real binary: the one UserInfo call before the token is revoked,
//! and what each answer of the identity service becomes.

use super::*;
use emulator::userinfo::{Mode, OTHER_ORG_ID};

impl Run {
    fn usable(&self) -> &Value {
        finding(&self.json, "token.usable")
    }
}

/// The one UserInfo request was made with the issued token, before it was revoked, and the
/// run sent exactly `tokens` token requests, `introspections`, one UserInfo and one revocation.
fn assert_one_call_then_revoked(emu: &Emulator, introspections: usize) {
    let issued = emu.issued();
    assert_eq!(emu.token_requests().len(), 1, "one exchange");
    assert_eq!(emu.introspections().len(), introspections);
    let calls = emu.userinfo_requests();
    assert_eq!(calls.len(), 1, "one UserInfo request");
    assert_eq!(
        calls[0].authorization.as_deref(),
        Some(format!("Bearer {}", issued[0]).as_str())
    );
    let revocations = emu.revocations();
    assert_eq!(revocations.len(), 1, "one revocation");
    assert!(
        calls[0].at <= revocations[0].at,
        "UserInfo before the revocation"
    );
    assert_eq!(emu.revoked(), issued, "every issued token was revoked");
}

#[test]
fn a_good_token_works_for_the_userinfo_call_and_is_revoked_after_it() {
    let emu = Emulator::start();
    let run = run_against(&emu, &[]);
    let u = run.usable();
    assert_eq!(u["status"], "pass", "{u:#}");
    let ev = &u["evidence"];
    assert_eq!(ev["org_id"], ORG_ID);
    assert_eq!(ev["user_id"], USER_ID);
    assert_eq!(ev["username"], APPROVED);
    assert_eq!(ev["active"], true);
    assert_eq!(ev["http_status"], 200);
    assert_eq!(
        ev["endpoint"],
        format!("{}/services/oauth2/userinfo", emu.origin())
    );
    let message = text(u, "message");
    assert!(
        message.contains(APPROVED) && message.contains(ORG_ID),
        "{message}"
    );
    assert!(
        text(u, "evidence.request").is_empty()
            && u["evidence"]["request"]
                .as_str()
                .unwrap()
                .contains("<the access token, not shown>"),
        "{u:#}"
    );
    assert_eq!(run.code, 0);
    assert_one_call_then_revoked(&emu, 1);
}

#[test]
fn without_a_secret_plain_live_sends_one_exchange_one_userinfo_and_one_revoke() {
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    let run = live_run(dir.path(), &[], &[("SFJWT_CONSUMER_SECRET", "")]);
    run.assert_hides(&emu.secrets());
    assert_eq!(run.usable()["status"], "pass");
    assert_one_call_then_revoked(&emu, 0);
}

#[test]
fn the_expected_org_passes_in_15_characters_and_fails_for_another_org() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--expect-org", &ORG_ID[..15]]);
    assert_eq!(run.usable()["status"], "pass", "{:#}", run.usable());
    assert_eq!(run.usable()["evidence"]["expected_org"], &ORG_ID[..15]);

    let emu = Emulator::start();
    let run = run_against(&emu, &["--expect-org", OTHER_ORG_ID]);
    let u = run.usable();
    assert_eq!(u["status"], "fail", "{u:#}");
    assert_eq!(steps(u), [3, 5]);
    let message = text(u, "message");
    assert!(
        message.contains(ORG_ID)
            && message.contains(OTHER_ORG_ID)
            && message.contains("--expect-org"),
        "{message}"
    );
    assert!(text(u, "fix").contains("refreshed sandbox"), "{u:#}");
    assert_eq!(run.code, 1);
    assert_one_call_then_revoked(&emu, 1);
}

#[test]
fn org_id_in_sfjwt_toml_is_the_expected_org_and_the_flag_overrides_it() {
    let emu = Emulator::start();
    emu.set_userinfo(Mode::OtherOrg);
    let dir = bundle(&emu.origin());
    let toml = dir.path().join("sfjwt.toml");
    let mut settings = std::fs::read_to_string(&toml).unwrap();
    settings.push_str(&format!("org_id = \"{ORG_ID}\"\n"));
    std::fs::write(&toml, settings).unwrap();
    let run = live_run(dir.path(), &[], &[]);
    run.assert_hides(&emu.secrets());
    let u = run.usable();
    assert_eq!(u["status"], "fail", "{u:#}");
    assert!(text(u, "message").contains("org_id in"), "{u:#}");
    assert!(text(u, "message").contains(OTHER_ORG_ID), "{u:#}");

    let run = live_run(dir.path(), &["--expect-org", OTHER_ORG_ID], &[]);
    assert_eq!(run.usable()["status"], "pass", "{:#}", run.usable());
}

#[test]
fn an_expected_org_that_is_no_org_id_stops_at_the_flag_or_fails_config_parse() {
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    let out = sfjwt()
        .arg("check")
        .arg(dir.path())
        .args(["--live", "--expect-org", USER_ID])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("00D"));
    let toml = dir.path().join("sfjwt.toml");
    let mut settings = std::fs::read_to_string(&toml).unwrap();
    settings.push_str("org_id = \"acme\"\n");
    std::fs::write(&toml, settings).unwrap();
    let run = live_run(dir.path(), &[], &[]);
    assert_eq!(status_of(&run.json, "config.parse"), "fail");
    assert!(emu.received().is_empty(), "nothing was sent");
}

#[test]
fn an_inactive_user_fails_on_step_6() {
    let emu = Emulator::start();
    emu.set_userinfo(Mode::InactiveUser);
    let run = run_against(&emu, &[]);
    let u = run.usable();
    assert_eq!(u["status"], "fail", "{u:#}");
    assert_eq!(steps(u), [6]);
    assert_eq!(u["evidence"]["active"], false);
    assert!(text(u, "fix").contains("Active"), "{u:#}");
    assert_one_call_then_revoked(&emu, 1);
}

#[test]
fn required_scopes_pass_when_granted_and_fail_on_step_2_when_missing() {
    let emu = Emulator::start();
    let run = run_against(
        &emu,
        &[
            "--require-scope",
            "api",
            "--require-scope",
            "offline_access",
        ],
    );
    assert_eq!(run.usable()["status"], "pass", "{:#}", run.usable());

    let emu = Emulator::start();
    let run = run_against(&emu, &["--require-scope", "api", "--require-scope", "web"]);
    let u = run.usable();
    assert_eq!(u["status"], "fail", "{u:#}");
    assert_eq!(steps(u), [2]);
    assert_eq!(u["evidence"]["missing_scopes"], serde_json::json!(["web"]));
    assert!(text(u, "fix").contains("Selected OAuth Scopes"), "{u:#}");
    assert_one_call_then_revoked(&emu, 1);

    // full gives every scope but a refresh token.
    let emu = Emulator::start();
    emu.set_scope("full");
    let run = run_against(&emu, &["--require-scope", "web"]);
    assert_eq!(run.usable()["status"], "pass");
    let run = run_against(&emu, &["--require-scope", "refresh_token"]);
    assert_eq!(run.usable()["status"], "fail");
}

#[test]
fn the_identity_services_refusals_are_mapped_to_the_catalog() {
    for (status, body, scope, want, catalog, want_steps) in [
        (
            403,
            "Bad_OAuth_Token",
            "api id",
            "fail",
            Some("identity-bad-oauth-token"),
            vec![2, 4, 6],
        ),
        (
            403,
            "Wrong_Org",
            "api id",
            "fail",
            Some("identity-wrong-org"),
            vec![3, 5],
        ),
        (
            401,
            r#"[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]"#,
            "api id",
            "fail",
            Some("session-not-valid-for-rest"),
            vec![2, 4, 6],
        ),
        // A token without an identity scope may work for the REST API and still be refused
        // here: a warning, not a failure.
        (
            403,
            "Insufficient_Scope",
            "api refresh_token",
            "warn",
            None,
            vec![2],
        ),
    ] {
        let emu = Emulator::start();
        emu.set_scope(scope)
            .set_userinfo(Mode::Refuse(status, body.to_string()));
        let run = run_against(&emu, &[]);
        let u = run.usable();
        assert_eq!(u["status"], want, "{body}: {u:#}");
        assert_eq!(
            u["evidence"]["catalog_id"].as_str(),
            catalog,
            "{body}: {u:#}"
        );
        assert_eq!(steps(u), want_steps, "{body}: {u:#}");
        assert_eq!(u["evidence"]["http_status"], status);
        assert!(!text(u, "fix").is_empty());
        assert_eq!(run.exchange()["evidence"]["revoked"], true);
        assert_one_call_then_revoked(&emu, 1);
    }
}

#[test]
fn no_token_means_no_userinfo_call() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--username", NOT_APPROVED]);
    let u = run.usable();
    assert_eq!(u["status"], "skip", "{u:#}");
    assert!(text(u, "message").contains("got no token"), "{u:#}");
    assert!(emu.userinfo_requests().is_empty());
}

// --- the clock ------------------------------------------------------------------------------

#[test]
fn an_honest_date_header_gives_the_offset_and_no_finding() {
    let emu = Emulator::start();
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    let offset = ex["evidence"]["clock_offset_secs"].as_i64().unwrap();
    assert!(offset.abs() <= 2, "{ex:#}");
    assert!(
        ex["evidence"]["server_date"]
            .as_str()
            .unwrap()
            .ends_with("GMT")
    );
}

#[test]
fn a_server_clock_far_ahead_names_this_machines_clock_not_the_credentials() {
    // Salesforce's clock 5 minutes ahead: the 3-minute assertion is already expired there.
    let emu = Emulator::start();
    emu.set_clock_ahead(300).set_date_ahead(300);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["catalog_id"], "assertion-expired");
    let offset = ex["evidence"]["clock_offset_secs"].as_i64().unwrap();
    assert!((-302..=-298).contains(&offset), "{ex:#}");
    let message = text(ex, "message");
    assert!(message.contains("behind Salesforce's"), "{message}");
    assert!(
        message.contains("the clock is wrong, not the credentials"),
        "{message}"
    );
    assert!(
        text(ex, "fix").starts_with("Set this machine's clock"),
        "{ex:#}"
    );
    assert!(steps(ex).contains(&7));
    assert_eq!(emu.token_requests().len(), 1);
    assert!(emu.issued().is_empty());
}

#[test]
fn a_token_issued_despite_a_drifting_clock_warns_about_the_clock() {
    let emu = Emulator::start();
    emu.set_date_ahead(-90);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "warn", "{ex:#}");
    assert!(
        text(ex, "message").contains("ahead of Salesforce's"),
        "{ex:#}"
    );
    assert_eq!(ex["evidence"]["revoked"], true);
    assert_eq!(run.code, 0, "a warning does not fail the run");
    assert_eq!(emu.revoked(), emu.issued());
}

#[test]
fn an_instance_url_that_is_no_salesforce_host_never_gets_the_token() {
    for instance in [
        "https://evil.example",
        "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com.evil.example",
        // A Salesforce host, but the token came from a loopback emulator: never off the machine.
        "https://acme.my.salesforce.com",
    ] {
        let emu = Emulator::start();
        emu.set_instance_url(instance);
        let run = run_against(&emu, &[]);
        let u = run.usable();
        assert_eq!(u["status"], "warn", "{instance}: {u:#}");
        assert_eq!(u["evidence"]["problem"], "instance-url-not-salesforce");
        assert!(
            text(u, "message").contains("the token was not tried"),
            "{u:#}"
        );
        assert!(emu.userinfo_requests().is_empty(), "{instance}");
        assert_eq!(
            emu.revoked(),
            emu.issued(),
            "still revoked at the login URL"
        );
    }
}
