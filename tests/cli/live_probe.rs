//! `--probe-audiences` through the real binary, over HTTPS against the emulator behind its TLS
//! front, whose org takes the pairs of token host and `aud` that each kind of org is reported to
//! take (tests/cli/emulator/hosts.rs): the probe finds the pair, never sends more than 4 token
//! requests, never runs without the flag, and every token issued is revoked.

use crate::common;
use crate::emulator;
use crate::live::{Run, bundle, live_run, steps, text};

use serde_json::Value;

use emulator::hosts::HostRules;
use emulator::{APPROVED, Emulator, HttpsEmulator, MY_DOMAIN, NOT_APPROVED};

const LOGIN: &str = "https://login.salesforce.com";
const CA: &str = "fixtures/tls/ca.crt";

/// `sfjwt check --live --ca-file CA ARGS` on a bundle for `login_url`, through the front;
/// nothing the emulator handled shows in any output.
fn probe_run(emu: &HttpsEmulator, login_url: &str, args: &[&str]) -> Run {
    let dir = bundle(login_url);
    let hook = emu.resolve_env(&["login.salesforce.com", "acme.my.salesforce.com"]);
    let mut all = vec!["--ca-file", CA];
    all.extend_from_slice(args);
    let run = live_run(dir.path(), &all, &[("SFJWT_TEST_RESOLVE", hook.as_str())]);
    run.assert_hides(&emu.secrets());
    run
}

/// The (host, aud) of every token request the emulator got, in order.
fn pairs_sent(emu: &HttpsEmulator) -> Vec<(String, String)> {
    emu.token_requests()
        .iter()
        .map(|r| {
            let assertion = r.field("assertion").unwrap();
            let claims = assertion.split('.').nth(1).unwrap();
            let claims: Value = serde_json::from_slice(
                &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims)
                    .unwrap(),
            )
            .unwrap();
            (
                r.host.clone().unwrap_or_default(),
                claims["aud"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_my_domain_org_that_wants_the_generic_aud_is_found_in_two_requests_and_pinned() {
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::MyDomainEndpointGenericAud);
    let run = probe_run(&emu, MY_DOMAIN, &["--probe-audiences"]);
    let ex = run.exchange();
    assert_eq!(
        ex["status"], "fail",
        "the configured pair does not work: {ex:#}"
    );
    assert_eq!(
        pairs_sent(&emu),
        [
            ("acme.my.salesforce.com".to_string(), MY_DOMAIN.to_string()),
            ("acme.my.salesforce.com".to_string(), LOGIN.to_string()),
        ]
    );
    let ev = &ex["evidence"];
    assert_eq!(ev["working_audience"], LOGIN);
    assert_eq!(
        ev["working_endpoint"],
        format!("{MY_DOMAIN}/services/oauth2/token")
    );
    assert_eq!(ev["token_requests"], 2);
    assert_eq!(
        ev["pin"],
        serde_json::json!([
            format!("login_url = \"{MY_DOMAIN}\""),
            format!("audience = \"{LOGIN}\"")
        ])
    );
    assert!(
        text(ex, "fix").contains(&format!("audience = \"{LOGIN}\"")),
        "{ex:#}"
    );
    assert_eq!(steps(ex), [5]);
    // The token the probe got serves the checks after it, and is revoked.
    assert_eq!(ev["revoked"], true, "{ex:#}");
    assert_eq!(common::finding(&run.json, "token.usable")["status"], "pass");
    assert_eq!(emu.issued().len(), 1);
    assert_eq!(emu.revoked(), emu.issued());
    assert_eq!(run.code, 1);
}

#[test]
fn an_external_client_app_that_refuses_the_generic_aud_is_pinned_to_the_my_domain() {
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::EcaMyDomainOnly);
    let run = probe_run(&emu, MY_DOMAIN, &["--audience", LOGIN, "--probe-audiences"]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert!(text(ex, "message").contains("app_not_found"), "{ex:#}");
    assert_eq!(ex["evidence"]["working_audience"], MY_DOMAIN);
    assert_eq!(emu.token_requests().len(), 2);
    assert_eq!(emu.revoked(), emu.issued());
    assert_eq!(emu.issued().len(), 1);
}

#[test]
fn the_probe_never_sends_more_than_four_token_requests_and_says_none_worked() {
    // A user no pair can log in: the generic host with a My Domain audience leaves three more
    // pairs to try, four requests in all.
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::Documented);
    let run = probe_run(
        &emu,
        LOGIN,
        &[
            "--username",
            NOT_APPROVED,
            "--audience",
            MY_DOMAIN,
            "--probe-audiences",
        ],
    );
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(emu.token_requests().len(), 4, "{:?}", pairs_sent(&emu));
    assert_eq!(ex["evidence"]["token_requests"], 4);
    assert_eq!(ex["evidence"]["probe"].as_array().unwrap().len(), 3);
    assert!(
        text(ex, "message").contains("None issued a token"),
        "{ex:#}"
    );
    assert!(emu.issued().is_empty());
    let mut seen = pairs_sent(&emu);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "four different pairs");
    assert!(
        seen.iter()
            .all(|(host, _)| host == "login.salesforce.com" || host == "acme.my.salesforce.com"),
        "{seen:?}"
    );
}

#[test]
fn without_the_flag_or_for_another_refusal_nothing_more_is_sent() {
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::MyDomainEndpointGenericAud);
    let run = probe_run(&emu, MY_DOMAIN, &[]);
    assert_eq!(run.exchange()["status"], "fail");
    assert_eq!(
        emu.token_requests().len(),
        1,
        "never without --probe-audiences"
    );
    assert!(run.exchange()["evidence"]["probe"].is_null());

    // Another key's certificate on the app: invalid assertion, which no pair fixes.
    let emu = HttpsEmulator::front(Emulator::with_cert(&emulator::fixture_cert("weak-key")));
    let run = probe_run(&emu, MY_DOMAIN, &["--probe-audiences"]);
    let ex = run.exchange();
    assert_eq!(ex["evidence"]["catalog_id"], "invalid-assertion", "{ex:#}");
    assert_eq!(emu.token_requests().len(), 1);
    assert!(
        ex["evidence"]["probe"]
            .as_str()
            .unwrap()
            .starts_with("not tried")
    );
}

#[test]
fn a_working_pair_needs_no_probe_and_the_generic_host_alone_has_nothing_else_to_try() {
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::Documented);
    let run = probe_run(&emu, LOGIN, &["--probe-audiences"]);
    let ex = run.exchange();
    assert_eq!(
        ex["status"], "info",
        "a token, through the generic host: {ex:#}"
    );
    assert!(
        ex["evidence"]["probe"]
            .as_str()
            .unwrap()
            .starts_with("not needed")
    );
    assert_eq!(emu.token_requests().len(), 1);
    assert_eq!(emu.revoked(), emu.issued());

    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::MyDomainEndpointGenericAud);
    let run = probe_run(&emu, LOGIN, &["--probe-audiences", "--username", APPROVED]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail");
    assert_eq!(emu.token_requests().len(), 1);
    assert!(
        text(ex, "message").contains("My Domain is not known"),
        "{ex:#}"
    );
}

/// Prints the text report of a probe that finds the pair, for the README:
/// `cargo test --test cli live_probe::print_probe -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_probe() {
    let emu = Emulator::start_https();
    emu.set_host_rules(HostRules::MyDomainEndpointGenericAud);
    let run = probe_run(&emu, MY_DOMAIN, &["--probe-audiences"]);
    println!("{}", run.text());
}
