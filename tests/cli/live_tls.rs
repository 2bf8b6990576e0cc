//! `sfjwt check --live` over real HTTPS, against the emulator behind its TLS front
//! (tests/cli/emulator/tls.rs), as through a TLS-inspecting proxy: the login URL is
//! `https://login.salesforce.com`, the debug build's test hook `SFJWT_TEST_RESOLVE` points it
//! (and the My Domain) at the front on 127.0.0.1, and the front's certificate is signed by a test
//! CA that no system store holds. With the CA given (`--ca-file`, `SSL_CERT_FILE`) the exchange
//! works end to end; without it, or with another CA, the handshake fails, verification being on,
//! and no assertion is sent.

use crate::common;
use crate::emulator;
use crate::live::{Run, bundle, live_run};

use serde_json::Value;

use common::sfjwt;
use emulator::{Emulator, HttpsEmulator, MY_DOMAIN, ORG_ID, tls_fixture};

const LOGIN: &str = "https://login.salesforce.com";
const CA: &str = "fixtures/tls/ca.crt";
const OTHER_CA: &str = "fixtures/tls/other-ca.crt";

/// The hosts a run may connect to: the login host, and the My Domain of its answers.
fn resolve(emu: &HttpsEmulator) -> String {
    emu.resolve_env(&["login.salesforce.com", "acme.my.salesforce.com"])
}

/// `sfjwt check --live ARGS` on a bundle for [`LOGIN`], through the front, with `env` added;
/// nothing the emulator handled shows in any output.
fn run_tls(emu: &HttpsEmulator, args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = bundle(LOGIN);
    let hook = resolve(emu);
    let mut env = env.to_vec();
    env.push(("SFJWT_TEST_RESOLVE", hook.as_str()));
    let run = live_run(dir.path(), args, &env);
    run.assert_hides(&emu.secrets());
    run
}

/// The exchange got a token over TLS (info: through the generic host, with the My Domain to pin),
/// introspection and UserInfo passed, and the one token was revoked: four requests, all through
/// the front, UserInfo to the My Domain.
fn assert_round_trip(emu: &HttpsEmulator, run: &Run) -> Value {
    let ex = run.exchange().clone();
    assert_eq!(ex["status"], "info", "{ex:#}");
    assert_eq!(ex["evidence"]["my_domain"], MY_DOMAIN, "{ex:#}");
    assert_eq!(ex["evidence"]["instance_url"], MY_DOMAIN, "{ex:#}");
    assert_eq!(ex["evidence"]["org_id"], ORG_ID);
    assert_eq!(
        ex["evidence"]["endpoint"],
        format!("{LOGIN}/services/oauth2/token")
    );
    assert_eq!(ex["evidence"]["revoked"], true, "{ex:#}");
    assert_eq!(run.introspection()["status"], "pass");
    let usable = common::finding(&run.json, "token.usable");
    assert_eq!(usable["status"], "pass", "{usable:#}");
    assert_eq!(emu.token_requests().len(), 1);
    assert_eq!(emu.introspections().len(), 1);
    assert_eq!(emu.userinfo_requests().len(), 1);
    assert_eq!(emu.revocations().len(), 1);
    assert_eq!(emu.received().len(), 4, "{:#?}", emu.received());
    assert_eq!(emu.issued().len(), 1);
    assert_eq!(emu.revoked(), emu.issued(), "the token is revoked");
    for r in emu.received() {
        let host = if r.path == emulator::USERINFO_PATH {
            "acme.my.salesforce.com"
        } else {
            "login.salesforce.com"
        };
        assert_eq!(r.host.as_deref(), Some(host), "{r:?}");
    }
    assert!(emu.handshakes() >= 1);
    ex
}

#[test]
fn with_the_proxy_ca_in_ca_file_the_exchange_works_over_https_and_the_token_is_revoked() {
    let emu = Emulator::start_https();
    let run = run_tls(&emu, &["--ca-file", CA], &[]);
    let ex = assert_round_trip(&emu, &run);
    assert_eq!(
        ex["evidence"]["ca_files"],
        serde_json::json!([CA]),
        "{ex:#}"
    );
    assert_eq!(run.code, 0, "{:#}", run.json);
}

#[test]
fn with_the_proxy_ca_in_ssl_cert_file_the_exchange_works_the_same() {
    let emu = Emulator::start_https();
    let run = run_tls(&emu, &[], &[("SSL_CERT_FILE", CA)]);
    let ex = assert_round_trip(&emu, &run);
    assert_eq!(
        ex["evidence"]["ca_files"],
        serde_json::json!([CA]),
        "{ex:#}"
    );
}

#[test]
fn ca_file_and_ssl_cert_file_are_both_trusted() {
    // The wrong CA in one, the right one in the other: both are added, so it verifies.
    let emu = Emulator::start_https();
    let run = run_tls(&emu, &["--ca-file", OTHER_CA], &[("SSL_CERT_FILE", CA)]);
    let ex = assert_round_trip(&emu, &run);
    assert_eq!(
        ex["evidence"]["ca_files"],
        serde_json::json!([OTHER_CA, CA]),
        "{ex:#}"
    );
}

/// token.exchange failed in the TLS handshake: the front was reached, no handshake completed,
/// and nothing reached the emulator.
fn assert_refused_certificate(emu: &HttpsEmulator, run: &Run) -> Value {
    let ex = run.exchange().clone();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["transport"], "tls", "{ex:#}");
    let message = ex["message"].as_str().unwrap();
    assert!(
        message.contains("TLS handshake with login.salesforce.com failed"),
        "{message}"
    );
    assert!(message.contains("the assertion was not sent"), "{message}");
    let fix = ex["fix"].as_str().unwrap();
    assert!(fix.contains("--ca-file"), "{fix}");
    assert!(
        fix.contains("Never turn certificate verification off"),
        "{fix}"
    );
    assert!(emu.connections() >= 1, "sfjwt never connected to the front");
    assert_eq!(emu.handshakes(), 0, "a handshake completed");
    assert!(emu.received().is_empty(), "{:#?}", emu.received());
    assert!(emu.issued().is_empty());
    assert_eq!(run.code, 1);
    ex
}

#[test]
fn without_the_proxy_ca_the_handshake_fails_and_no_assertion_is_sent() {
    let emu = Emulator::start_https();
    let run = run_tls(&emu, &[], &[]);
    let ex = assert_refused_certificate(&emu, &run);
    let fix = ex["fix"].as_str().unwrap();
    assert!(fix.contains("SSL_CERT_FILE"), "{fix}");
    assert!(fix.contains("export its root CA as PEM"), "{fix}");
    assert!(ex["evidence"]["ca_files"].is_null(), "{ex:#}");
}

#[test]
fn another_ca_does_not_verify_the_certificate() {
    // other-ca.crt has the test CA's very name, with another key: only the signature tells
    // them apart, and verification is still on.
    let emu = Emulator::start_https();
    let run = run_tls(&emu, &["--ca-file", OTHER_CA], &[]);
    let ex = assert_refused_certificate(&emu, &run);
    let fix = ex["fix"].as_str().unwrap();
    assert!(
        fix.contains(&format!(
            "still did not verify against --ca-file {OTHER_CA} plus the system store"
        )),
        "{fix}"
    );
    assert_eq!(ex["evidence"]["ca_files"], serde_json::json!([OTHER_CA]));
}

/// `sfjwt check --live` with the hook set and `args`/`env` that stop the run: exit 2, nothing
/// on standard output, nothing sent; returns standard error.
fn refused_run(emu: &HttpsEmulator, args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = bundle(LOGIN);
    let out = sfjwt()
        .env("SFJWT_TEST_RESOLVE", resolve(emu))
        .envs(env.iter().copied())
        .args(["check", "--live", "--format", "json"])
        .arg(dir.path())
        .args(args)
        .timeout(common::PATIENCE)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(emu.connections(), 0, "a connection was made: {stderr}");
    assert!(emu.received().is_empty());
    stderr
}

#[test]
fn a_missing_or_certificate_less_ca_file_stops_the_run_before_anything_is_sent() {
    let emu = Emulator::start_https();
    let err = refused_run(&emu, &["--ca-file", "missing.pem"], &[]);
    assert!(
        err.contains("--ca-file missing.pem: the file does not exist"),
        "{err}"
    );
    assert!(err.contains("root CA as exported from"), "{err}");

    // A PEM file with no certificate in it: the fixture server's private key.
    let key = tls_fixture("server.key");
    let key_arg = key.display().to_string();
    let err = refused_run(&emu, &["--ca-file", &key_arg], &[]);
    assert!(err.contains("no BEGIN CERTIFICATE block"), "{err}");
    assert!(!err.contains("PRIVATE KEY-----"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    let empty_arg = empty.display().to_string();
    let err = refused_run(&emu, &["--ca-file", &empty_arg], &[]);
    assert!(err.contains("the file is empty"), "{err}");

    let err = refused_run(&emu, &[], &[("SSL_CERT_FILE", "missing.pem")]);
    assert!(
        err.contains("$SSL_CERT_FILE (missing.pem): the file does not exist"),
        "{err}"
    );
}

#[test]
fn the_test_hook_takes_only_loopback_addresses() {
    let emu = Emulator::start_https();
    let err = refused_run(
        &emu,
        &["--ca-file", CA],
        &[("SFJWT_TEST_RESOLVE", "login.salesforce.com=192.0.2.1:443")],
    );
    assert!(err.contains("192.0.2.1 is not a loopback address"), "{err}");
}

#[test]
fn without_live_a_ca_file_is_not_read() {
    let dir = bundle(LOGIN);
    let out = sfjwt()
        .args(["check", "--format", "json", "--ca-file", "missing.pem"])
        .arg(dir.path())
        .env("SSL_CERT_FILE", "missing-too.pem")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("missing"), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let live = json["bundles"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"].as_str().unwrap().starts_with("token."));
    assert!(!live, "{json:#}");
}

/// Prints the text report of a run through the front with and without the CA:
/// `cargo test --test cli live_tls::print_runs -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_runs() {
    let emu = Emulator::start_https();
    let dir = bundle(LOGIN);
    for args in [
        &["--ca-file", CA][..],
        &[][..],
        &["--ca-file", OTHER_CA][..],
    ] {
        let out = sfjwt()
            .env("SFJWT_TEST_RESOLVE", resolve(&emu))
            .env("SFJWT_CONSUMER_SECRET", emulator::CONSUMER_SECRET)
            .args(["check", "--live"])
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        println!(
            "--- sfjwt check --live {} -> exit {}",
            args.join(" "),
            out.status.code().unwrap()
        );
        println!("{}", String::from_utf8_lossy(&out.stdout));
    }
}
