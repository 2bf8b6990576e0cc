//! `sfjwt check --live` through the real binary, against the token endpoint emulator
//! (tests/cli/emulator) on 127.0.0.1: success, every error Salesforce answers with, every transport
//! fault, and the safety rules (where it sends, what it never shows, what it leaves behind).
//!
//! Every run writes all five report formats (standard output JSON, plus text, markdown, JUnit
//! and GitHub files) with a canary consumer secret, and every output and standard error is
//! searched for the secret, the assertions the emulator received and the tokens it issued.

use crate::common;
use crate::emulator;

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use common::{finding, sfjwt, status_of};
use emulator::{
    APPROVED, CONSUMER_SECRET, Emulator, Fault, INACTIVE, IP_RESTRICTED, NOT_APPROVED, ORG_ID,
    Stalling, USER_ID, closed_port,
};

/// A bundle with the `valid` fixture's key and certificate, the fixtures' consumer key, the
/// approved user and this login URL.
pub(crate) fn bundle(login_url: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    for f in ["server.key", "server.crt"] {
        std::fs::copy(fixtures.join(f), dir.path().join(f)).expect("copy the fixture");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        format!(
            "consumer_key = \"{}\"\nusername = \"{APPROVED}\"\nlogin_url = \"{login_url}\"\n",
            emulator::CONSUMER_KEY
        ),
    )
    .unwrap();
    dir
}

/// One run of `sfjwt check --live`: its exit code, its JSON report, and every output.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) json: Value,
    /// Standard output and error (the JSON report), and the report of every other format.
    pub(crate) outputs: Vec<(String, String)>,
    elapsed: Duration,
}

impl Run {
    pub(crate) fn exchange(&self) -> &Value {
        finding(&self.json, "token.exchange")
    }
    pub(crate) fn introspection(&self) -> &Value {
        finding(&self.json, "token.introspection")
    }
    pub(crate) fn text(&self) -> &str {
        &self.outputs.iter().find(|(n, _)| n == "text").unwrap().1
    }
    /// No output contains any of these values.
    pub(crate) fn assert_hides(&self, secrets: &[String]) {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            for (name, text) in &self.outputs {
                assert!(
                    !text.contains(secret.as_str()),
                    "the {name} output shows a secret ({} characters):\n{text}",
                    secret.len()
                );
            }
        }
    }
}

/// Runs `sfjwt check DIR --live ARGS` with `SFJWT_CONSUMER_SECRET` set to the emulator's secret
/// (unless `env` sets it), writing every format.
pub(crate) fn live_run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let path = |f: &str| out_dir.path().join(f).display().to_string();
    let mut cmd = sfjwt();
    cmd.env("SFJWT_CONSUMER_SECRET", CONSUMER_SECRET);
    for (k, v) in env {
        cmd.env(k, v);
    }
    // Every format but JSON (which is standard output) to a file of its own.
    let files: Vec<&str> = common::report_formats()
        .into_iter()
        .filter(|f| *f != "json")
        .collect();
    cmd.arg("check")
        .arg(dir)
        .args(["--live", "--format", "json"]);
    for name in &files {
        cmd.arg("--output")
            .arg(format!("{name}={}", path(&format!("report.{name}"))));
    }
    cmd.args(args);
    let started = Instant::now();
    let out = cmd
        .timeout(common::PATIENCE)
        .output()
        .expect("sfjwt runs and ends within the tests' patience");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
    let mut outputs = vec![
        ("stdout".to_string(), stdout),
        ("stderr".to_string(), stderr),
    ];
    for name in files {
        let file = out_dir.path().join(format!("report.{name}"));
        outputs.push((
            name.to_string(),
            std::fs::read_to_string(file).expect("the report was written"),
        ));
    }
    Run {
        code: out.status.code().expect("sfjwt exited"),
        json,
        outputs,
        elapsed,
    }
}

/// Runs against the emulator with the standard bundle, checks that nothing it handled shows.
fn run_against(emu: &Emulator, args: &[&str]) -> Run {
    let dir = bundle(&emu.origin());
    let run = live_run(dir.path(), args, &[]);
    run.assert_hides(&emu.secrets());
    run
}

pub(crate) fn steps(f: &Value) -> Vec<u64> {
    f["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .collect()
}

pub(crate) fn text(f: &Value, key: &str) -> String {
    f[key].as_str().unwrap_or_default().to_string()
}

// --- success ---------------------------------------------------------------------------------

#[test]
fn a_good_bundle_gets_a_token_introspects_it_and_revokes_it() {
    let emu = Emulator::start();
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    let message = text(ex, "message");
    for part in [
        ORG_ID,
        USER_ID,
        "api refresh_token",
        "Bearer",
        &emu.origin(),
        "revoked it afterwards",
    ] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    let ev = &ex["evidence"];
    assert_eq!(ev["org_id"], ORG_ID);
    assert_eq!(ev["user_id"], USER_ID);
    assert_eq!(ev["instance_url"], emu.origin());
    assert_eq!(ev["scope"], "api refresh_token");
    assert_eq!(ev["token_type"], "Bearer");
    assert_eq!(ev["http_status"], 200);
    assert_eq!(ev["attempts"], 1);
    assert_eq!(ev["revoked"], true);
    assert_eq!(
        ev["endpoint"],
        format!("{}/services/oauth2/token", emu.origin())
    );
    assert!(
        ev["access_token_fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );

    let intro = run.introspection();
    assert_eq!(intro["status"], "pass", "{intro:#}");
    assert_eq!(intro["evidence"]["active"], true);
    assert_eq!(intro["evidence"]["username"], APPROVED);
    assert_eq!(run.code, 0, "{:#}", run.json);

    // What went over the wire: one exchange as a form, no secret and no scope; the
    // introspection with the key and secret; the revocation of the issued token.
    let posts = emu.token_requests();
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post.method, "POST");
    assert_eq!(
        post.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let names: Vec<&str> = post.form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["grant_type", "assertion"]);
    let intro_req = &emu.introspections()[0];
    assert_eq!(intro_req.field("client_secret"), Some(CONSUMER_SECRET));
    assert_eq!(intro_req.field("token_type_hint"), Some("access_token"));
    assert_eq!(emu.revoked(), emu.issued(), "every issued token is revoked");
    assert_eq!(emu.issued().len(), 1);
    // Revocation comes after introspection.
    assert!(emu.revocations()[0].at >= intro_req.at);
    assert!(run.text().contains("revoked"), "{}", run.text());
}

#[test]
fn without_a_consumer_secret_introspection_skips_and_the_token_is_still_revoked() {
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    let run = live_run(dir.path(), &[], &[("SFJWT_CONSUMER_SECRET", "")]);
    run.assert_hides(&emu.secrets());
    assert_eq!(status_of(&run.json, "token.exchange"), "pass");
    let intro = run.introspection();
    assert_eq!(intro["status"], "skip");
    assert!(
        text(intro, "message").contains("no consumer secret"),
        "{intro:#}"
    );
    assert!(emu.introspections().is_empty());
    assert_eq!(emu.revoked(), emu.issued());
    assert_eq!(run.code, 0);
}

#[test]
fn a_fleet_of_bundles_exchanges_and_revokes_one_token_each() {
    let emu = Emulator::start();
    let parent = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        let b = bundle(&emu.origin());
        let target = parent.path().join(name);
        std::fs::create_dir(&target).unwrap();
        for f in ["server.key", "server.crt", "sfjwt.toml"] {
            std::fs::copy(b.path().join(f), target.join(f)).unwrap();
        }
    }
    let run = live_run(parent.path(), &[], &[]);
    run.assert_hides(&emu.secrets());
    let bundles = run.json["bundles"].as_array().unwrap();
    assert_eq!(bundles.len(), 3);
    for b in bundles {
        let ex = b["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "token.exchange")
            .unwrap();
        assert_eq!(ex["status"], "pass", "{ex:#}");
        assert_eq!(ex["evidence"]["revoked"], true);
    }
    assert_eq!(emu.issued().len(), 3);
    let mut issued = emu.issued();
    let mut revoked = emu.revoked();
    issued.sort();
    revoked.sort();
    assert_eq!(issued, revoked);
}

#[test]
fn an_at_far_from_now_still_sends_an_assertion_made_for_the_real_time() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--at", "2030-01-01T00:00:00Z"]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    assert!(
        ex["evidence"]["details"]
            .to_string()
            .contains("--at is not the current time"),
        "{ex:#}"
    );
}

// --- Salesforce's errors ---------------------------------------------------------------------

/// Asserts a failed exchange: its catalog entry, steps, and the raw error in the evidence.
fn assert_refused(run: &Run, catalog_id: &str, error: &str, description: &str, want_steps: &[u64]) {
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["catalog_id"], catalog_id, "{ex:#}");
    assert_eq!(ex["evidence"]["error"], error);
    assert_eq!(ex["evidence"]["error_description"], description);
    assert_eq!(ex["evidence"]["http_status"], 400);
    assert_eq!(steps(ex), want_steps, "{ex:#}");
    let message = text(ex, "message");
    assert!(message.contains("HTTP 400"), "{message}");
    assert!(message.contains(description), "{message}");
    assert!(!text(ex, "fix").is_empty());
    assert!(
        ex["evidence"]["revoked"].is_null(),
        "nothing to revoke: {ex:#}"
    );
    let intro = run.introspection();
    assert_eq!(intro["status"], "skip");
    assert!(text(intro, "message").contains("got no token"), "{intro:#}");
    assert_eq!(run.code, 1);
}

#[test]
fn a_user_whose_profile_is_not_pre_authorized_points_at_steps_4_and_6() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--username", NOT_APPROVED]);
    assert_refused(
        &run,
        "user-not-approved",
        "invalid_grant",
        "user hasn't approved this consumer",
        &[4, 6],
    );
    assert!(emu.revocations().is_empty());
    assert!(emu.introspections().is_empty());
}

#[test]
fn an_unknown_user_gets_the_same_answer_as_salesforce_gives() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--username", "nobody@acme.com"]);
    assert_refused(
        &run,
        "user-not-approved",
        "invalid_grant",
        "user hasn't approved this consumer",
        &[4, 6],
    );
}

#[test]
fn an_inactive_user_points_at_step_6() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--username", INACTIVE]);
    assert_refused(
        &run,
        "inactive-user",
        "invalid_grant",
        "inactive user",
        &[6],
    );
    // The support report says why step 4 (policies) was not proven.
    let markdown = &run.outputs.iter().find(|(n, _)| n == "markdown").unwrap().1;
    assert!(
        markdown
            .contains("`token.exchange` failed on step 6 first, so it could not prove this one"),
        "{markdown}"
    );
}

#[test]
fn an_ip_restricted_user_points_at_step_6() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--username", IP_RESTRICTED]);
    assert_refused(
        &run,
        "ip-restricted",
        "invalid_grant",
        "ip restricted",
        &[6],
    );
}

#[test]
fn a_consumer_key_the_org_does_not_know_points_at_steps_3_and_5() {
    let emu = Emulator::start();
    let other = format!("3MVG9{}", "A".repeat(80));
    let run = run_against(&emu, &["--consumer-key", &other]);
    assert_refused(
        &run,
        "client-id-invalid",
        "invalid_client_id",
        "client identifier invalid",
        &[3, 5],
    );
}

#[test]
fn a_certificate_uploaded_from_another_key_gives_invalid_assertion() {
    let emu = Emulator::with_cert(&emulator::fixture_cert("weak-key"));
    let run = run_against(&emu, &[]);
    assert_refused(
        &run,
        "invalid-assertion",
        "invalid_grant",
        "invalid assertion",
        &[1, 2, 7],
    );
}

#[test]
fn an_audience_for_another_server_is_refused_and_nothing_goes_to_it() {
    let emu = Emulator::start();
    let run = run_against(&emu, &["--audience", "https://login.salesforce.com"]);
    assert_refused(
        &run,
        "audience-invalid",
        "invalid_grant",
        "audience is invalid",
        &[5],
    );
    // The assertion went to the login URL (the emulator), never to the audience.
    assert_eq!(emu.token_requests().len(), 1);
    assert_eq!(
        run.exchange()["evidence"]["endpoint"],
        format!("{}/services/oauth2/token", emu.origin())
    );
}

#[test]
fn an_exp_already_past_by_the_servers_clock_gives_expired_authorization_code() {
    let emu = Emulator::start();
    emu.set_clock_ahead(3600);
    let run = run_against(&emu, &[]);
    assert_refused(
        &run,
        "assertion-expired",
        "invalid_grant",
        "expired authorization code",
        &[7],
    );
}

// --- introspection and revocation ---------------------------------------------------------------

#[test]
fn introspection_says_when_introspect_all_tokens_is_off() {
    let emu = Emulator::start();
    emu.set_introspect_all_tokens(false);
    let run = run_against(&emu, &[]);
    assert_eq!(status_of(&run.json, "token.exchange"), "pass");
    let intro = run.introspection();
    assert_eq!(intro["status"], "warn", "{intro:#}");
    assert_eq!(steps(intro), [2]);
    assert!(
        text(intro, "message").contains("Introspect all Tokens"),
        "{intro:#}"
    );
    assert!(text(intro, "fix").contains("OAuth Settings"), "{intro:#}");
    assert_eq!(intro["evidence"]["active"], false);
    assert_eq!(emu.revoked(), emu.issued());
    assert_eq!(run.code, 0, "a warning does not fail the run by default");
}

#[test]
fn introspection_with_a_wrong_secret_fails_on_step_3_and_never_shows_the_secret() {
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    let wrong = "0DDBA11C0DDBA11C0DDBA11C0DDBA11C0DDBA11C0DDBA11C0DDBA11C0DDBA11C";
    let run = live_run(dir.path(), &[], &[("SFJWT_CONSUMER_SECRET", wrong)]);
    let mut secrets = emu.secrets();
    secrets.push(wrong.to_string());
    run.assert_hides(&secrets);
    assert_eq!(status_of(&run.json, "token.exchange"), "pass");
    let intro = run.introspection();
    assert_eq!(intro["status"], "fail", "{intro:#}");
    assert_eq!(steps(intro), [3]);
    assert_eq!(intro["evidence"]["error"], "invalid_client");
    assert!(
        text(intro, "message").contains("not this app's"),
        "{intro:#}"
    );
    assert_eq!(
        emu.revoked(),
        emu.issued(),
        "revoked even when introspection failed"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn a_failed_revocation_is_reported_but_does_not_fail_the_exchange() {
    let emu = Emulator::start();
    emu.set_revoke_status(400);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    assert_eq!(ex["evidence"]["revoked"], false);
    assert!(
        text(&ex["evidence"], "revoke_error").contains("unsupported_token_type"),
        "{ex:#}"
    );
    assert!(text(ex, "message").contains("Revoking it"), "{ex:#}");
    assert_eq!(emu.revocations().len(), 1);
    assert_eq!(run.code, 0);
}

// --- faults ------------------------------------------------------------------------------------

fn assert_fault(run: &Run, transport: &str) -> String {
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["transport"], transport, "{ex:#}");
    assert!(!text(ex, "fix").is_empty());
    assert_eq!(run.introspection()["status"], "skip");
    assert_eq!(run.code, 1);
    text(ex, "message")
}

#[test]
fn a_closed_port_is_a_refused_connection_reported_at_once() {
    // "At once": well before the timeout, which is long enough that a loaded machine cannot
    // be mistaken for a wait (the whole bundle could take 2 x 50 s).
    let dir = bundle(&format!("http://127.0.0.1:{}", closed_port()));
    let run = live_run(
        dir.path(),
        &["--timeout", "50", "--retry-pause-ms", "0"],
        &[],
    );
    let message = assert_fault(&run, "connection-refused");
    assert!(message.contains("refused"), "{message}");
    assert!(
        run.elapsed < Duration::from_secs(25),
        "took {:?}: it waited for the timeout",
        run.elapsed
    );
    eprintln!("closed port: {:?}", run.elapsed);
}

#[test]
fn a_stalled_endpoint_ends_within_the_timeout() {
    let emu = Emulator::start();
    // The endpoint answers after FOREVER: the run ends (within the tests' patience) only by
    // its own timeout.
    emu.set_fault(Fault::Delay(common::FOREVER));
    let run = run_against(&emu, &["--timeout", "1"]);
    let message = assert_fault(&run, "timeout");
    assert!(message.contains("within 1 s"), "{message}");
    assert!(
        run.elapsed >= Duration::from_secs(1),
        "took {:?}",
        run.elapsed
    );
    assert_eq!(emu.token_requests().len(), 1, "a timeout is not retried");
    eprintln!("stalled endpoint, --timeout 1: {:?}", run.elapsed);
}

#[test]
fn an_answer_whose_body_never_ends_ends_within_the_timeout() {
    let endpoint = Stalling::start();
    let dir = bundle(&endpoint.origin());
    let run = live_run(dir.path(), &["--timeout", "1"], &[]);
    let ex = run.exchange();
    let message = assert_fault(&run, "timeout");
    assert!(message.contains("HTTP 200"), "{message}");
    assert!(message.contains("had not finished"), "{ex:#}");
    // The body never ends (the endpoint serves for FOREVER): ending at all is the timeout.
    assert_eq!(endpoint.hits(), 1, "a timeout is not retried");
    eprintln!("body that never ends, --timeout 1: {:?}", run.elapsed);
}

// --- one bundle's --live ends within 2 x --timeout --------------------------------------------

/// `--timeout 2`, and no pause before a retry: every request of a bundle must end within
/// 2 x 2 s. The slack on top is for the machine (starting the binary, signing, the reports),
/// not for the requests: at least [`SLACK`], and more when the machine is loaded, measured by
/// the same run against an emulator that answers at once, just before.
const TIMEOUT: &[&str] = &["--timeout", "2", "--retry-pause-ms", "0"];
const BOUND: Duration = Duration::from_secs(4);
const SLACK: Duration = Duration::from_secs(4);

fn assert_within_the_bound(run: &Run, what: &str) {
    let quick = run_against(&Emulator::start(), TIMEOUT).elapsed;
    let slack = SLACK.max(Duration::from_secs(1) + quick * 3);
    assert!(
        run.elapsed < BOUND + slack,
        "{what}: took {:?}, the bound is {BOUND:?} (+ {slack:?} of slack; the same run against \
         an emulator that answers at once took {quick:?})",
        run.elapsed
    );
    eprintln!(
        "{what}, --timeout 2: {:?} (at once: {quick:?})",
        run.elapsed
    );
}

#[test]
fn introspection_and_revocation_that_never_answer_share_the_bundles_time() {
    // The exchange is quick; introspection and revocation stall. Each used to get a whole
    // --timeout of its own; now introspection takes at most half of what is left, and
    // revocation the rest, so the bundle ends within 2 x --timeout, and revocation was still
    // attempted.
    let emu = Emulator::start();
    emu.set_after_token_delay(common::FOREVER);
    let run = run_against(&emu, TIMEOUT);
    assert_within_the_bound(&run, "stalled introspection and revocation");
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    assert_eq!(ex["evidence"]["revoked"], false, "{ex:#}");
    assert_eq!(ex["evidence"]["budget_ms"], 4000, "{ex:#}");
    let message = text(ex, "message");
    assert!(message.contains("Revoking it failed"), "{message}");
    assert!(message.contains("timeout"), "{message}");
    assert!(message.contains("Session Management"), "{message}");
    let intro = run.introspection();
    assert_eq!(intro["status"], "warn", "{intro:#}");
    assert!(
        text(intro, "message").contains("what was left of this bundle's 4 s for --live"),
        "{intro:#}"
    );
    assert_eq!(emu.introspections().len(), 1);
    assert_eq!(emu.revocations().len(), 1, "revocation was attempted");
    assert_eq!(run.code, 0);
}

#[test]
fn a_slow_503_is_retried_once_and_both_end_within_the_bundles_time() {
    let emu = Emulator::start();
    emu.set_fault(Fault::ServerError(503));
    emu.set_token_delay(Duration::from_millis(1500));
    let run = run_against(&emu, TIMEOUT);
    assert_within_the_bound(&run, "slow 503, retried");
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["attempts"], 2, "{ex:#}");
    assert_eq!(ex["evidence"]["http_status"], 503);
    assert!(text(ex, "message").contains("retried once"), "{ex:#}");
    assert_eq!(emu.token_requests().len(), 2, "one retry, no more");
    assert_eq!(run.code, 1);
}

#[test]
fn a_slow_500_then_a_token_then_stalls_still_ends_within_the_bundles_time() {
    // 500 after 1.5 s, the retry's token after 1.5 s more: 1 s is left for introspection and
    // revocation, which both stall. The old bounds added up to 4 x --timeout + 1 s.
    let emu = Emulator::start();
    emu.set_fault(Fault::ServerErrorOnce);
    emu.set_token_delay(Duration::from_millis(1500));
    emu.set_after_token_delay(common::FOREVER);
    let run = run_against(&emu, TIMEOUT);
    assert_within_the_bound(&run, "slow 500, slow token, stalled revocation");
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    assert_eq!(ex["evidence"]["attempts"], 2, "{ex:#}");
    assert_eq!(ex["evidence"]["revoked"], false, "{ex:#}");
    let message = text(ex, "message");
    assert!(message.contains("Revoking it failed"), "{message}");
    assert!(
        message.contains("what was left of this bundle's 4 s for --live (2 × --timeout)"),
        "{message}"
    );
    assert!(message.contains("Session Management"), "{message}");
    assert_eq!(emu.token_requests().len(), 2);
    assert_eq!(emu.revocations().len(), 1, "revocation was attempted");
    assert_eq!(run.code, 0);
}

#[test]
fn a_body_that_trickles_cannot_stretch_the_request_past_its_timeout() {
    // One byte every 50 ms: no single read waits long, so only a deadline on the whole body
    // stops it.
    let endpoint = Stalling::trickling(Duration::from_millis(50));
    let dir = bundle(&endpoint.origin());
    let run = live_run(dir.path(), TIMEOUT, &[]);
    assert_within_the_bound(&run, "trickling body");
    let ex = run.exchange();
    let message = assert_fault(&run, "timeout");
    assert!(
        message.contains("HTTP 200") && message.contains("had not finished after 2 s (--timeout)"),
        "{ex:#}"
    );
    let partial = message
        .split(": ")
        .last()
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(partial > 1, "bytes kept coming: {message}");
    // One request, bounded by its --timeout (2 s), not by the bundle's 4 s: as sfjwt measured
    // the request itself, so starting the binary on a loaded machine does not count.
    let took = ex["evidence"]["elapsed_ms"].as_u64().expect("elapsed_ms");
    assert!(
        took < 3000,
        "one request, bounded by --timeout: {took} ms: {ex:#}"
    );
    assert_eq!(endpoint.hits(), 1, "a timeout is not retried");
}

#[test]
fn https_to_a_port_that_speaks_plain_http_is_a_tls_failure() {
    let emu = Emulator::start();
    let dir = bundle(&format!("https://127.0.0.1:{}", emu.port()));
    let run = live_run(dir.path(), &["--timeout", "5"], &[]);
    run.assert_hides(&emu.secrets());
    let message = assert_fault(&run, "tls");
    assert!(message.contains("TLS"), "{message}");
    assert!(emu.token_requests().is_empty(), "nothing was posted");
}

#[test]
fn a_5xx_is_retried_once_and_then_reported_as_transient() {
    let emu = Emulator::start();
    emu.set_fault(Fault::ServerError(503));
    let run = run_against(&emu, &["--retry-pause-ms", "0"]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["catalog_id"], "server-error");
    assert_eq!(ex["evidence"]["transient"], true);
    assert_eq!(ex["evidence"]["attempts"], 2);
    assert_eq!(ex["evidence"]["http_status"], 503);
    assert!(text(ex, "message").contains("retried once"), "{ex:#}");
    assert!(text(ex, "fix").to_lowercase().contains("retry"), "{ex:#}");
    assert_eq!(emu.token_requests().len(), 2, "one retry, no more");
    assert_eq!(run.code, 1);
}

#[test]
fn a_single_500_is_retried_and_the_exchange_passes() {
    let emu = Emulator::start();
    emu.set_fault(Fault::ServerErrorOnce);
    let run = run_against(&emu, &["--retry-pause-ms", "0"]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "pass", "{ex:#}");
    assert_eq!(ex["evidence"]["attempts"], 2);
    assert_eq!(ex["evidence"]["first_attempt"], "HTTP 500");
    assert!(text(ex, "message").contains("after one retry"), "{ex:#}");
    assert_eq!(emu.revoked(), emu.issued());
}

#[test]
fn unknown_error_is_retried_once_and_says_to_retry() {
    let emu = Emulator::start();
    emu.set_fault(Fault::UnknownError);
    let run = run_against(&emu, &["--retry-pause-ms", "0"]);
    assert_refused(
        &run,
        "unknown-error-retry",
        "unknown_error",
        "retry your request",
        &[7],
    );
    let ex = run.exchange();
    assert_eq!(ex["evidence"]["attempts"], 2);
    assert_eq!(ex["evidence"]["transient"], true);
    assert!(text(ex, "message").contains("run again"), "{ex:#}");
    assert_eq!(emu.token_requests().len(), 2);
}

#[test]
fn a_redirect_is_not_followed_and_is_a_finding_about_the_login_url() {
    let emu = Emulator::start();
    emu.set_fault(Fault::Redirect);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["problem"], "redirect");
    assert_eq!(ex["evidence"]["http_status"], 302);
    assert_eq!(
        ex["evidence"]["location"],
        "https://acme.lightning.force.com/services/oauth2/token"
    );
    assert_eq!(steps(ex), [5]);
    let message = text(ex, "message");
    assert!(message.contains("POST into a GET"), "{message}");
    assert!(message.contains("lightning.force.com"), "{message}");
    // Exactly one request: the POST. No GET followed it.
    assert_eq!(emu.received().len(), 1, "{:?}", emu.received());
    assert_eq!(run.code, 1);
}

#[test]
fn an_html_page_instead_of_json_is_matched_by_the_catalog() {
    let emu = Emulator::start();
    emu.set_fault(Fault::Html);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert!(ex["evidence"]["catalog_id"].is_string(), "{ex:#}");
    assert!(steps(ex).contains(&5), "{ex:#}");
    assert!(text(ex, "message").contains("HTML page"), "{ex:#}");
    assert!(
        text(ex, "message").contains("URL No Longer Exists"),
        "{ex:#}"
    );
}

#[test]
fn a_page_that_echoes_the_request_never_gets_the_assertion_into_the_report() {
    let emu = Emulator::start();
    emu.set_fault(Fault::HtmlEcho);
    let run = run_against(&emu, &[]);
    assert_eq!(status_of(&run.json, "token.exchange"), "fail");
    assert_eq!(emu.assertions().len(), 1);
}

#[test]
fn json_cut_short_is_reported_and_the_partial_token_never_shows() {
    let emu = Emulator::start();
    emu.set_fault(Fault::TruncatedJson);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["problem"], "invalid-json");
    assert!(text(ex, "message").contains("cut short"), "{ex:#}");
    for (name, out) in &run.outputs {
        assert!(
            !out.contains("!AQ4AQ"),
            "the {name} output shows part of a token"
        );
    }
}

#[test]
fn a_200_without_an_access_token_is_not_a_success() {
    let emu = Emulator::start();
    emu.set_fault(Fault::NoToken);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["problem"], "no-access-token");
    assert!(text(ex, "message").contains("instance_url"), "{ex:#}");
    assert!(emu.revocations().is_empty());
}

#[test]
fn an_answer_over_the_size_cap_is_read_only_up_to_the_cap() {
    let emu = Emulator::start();
    emu.set_fault(Fault::Huge);
    let run = run_against(&emu, &[]);
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    assert_eq!(ex["evidence"]["truncated"], true);
    assert_eq!(ex["evidence"]["body_bytes"], 256 * 1024);
    assert!(text(ex, "message").contains("256 KiB"), "{ex:#}");
}

// --- where it sends ----------------------------------------------------------------------------

/// A stand-in HTTP proxy on 127.0.0.1 that records the first line of each request it gets and
/// refuses it (403), until [`RecordingProxy::finish`] (called once the program has exited).
struct RecordingProxy {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<Vec<String>>,
}

impl RecordingProxy {
    fn start() -> RecordingProxy {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let handle = std::thread::spawn(move || {
            let mut lines = Vec::new();
            loop {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        s.set_nonblocking(false).unwrap();
                        s.set_read_timeout(Some(common::PATIENCE)).unwrap();
                        let mut buf = [0u8; 4096];
                        let n = s.read(&mut buf).unwrap_or(0);
                        let head = String::from_utf8_lossy(&buf[..n]);
                        lines.push(head.lines().next().unwrap_or("").to_string());
                        let _ = s.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
                    }
                    // Nothing waiting: done once told (every connection the program made was
                    // queued before it exited), else poll again.
                    Err(_) if stopped.load(Ordering::SeqCst) => break,
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            lines
        });
        RecordingProxy { port, stop, handle }
    }

    /// The first line of every request it got; call it after the program has exited.
    fn finish(self) -> Vec<String> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.handle.join().unwrap()
    }
}

#[test]
fn an_http_login_url_off_loopback_makes_no_connection_and_skips_the_exchange() {
    // Every proxy variable points at a recording proxy: any connection attempt would show.
    let proxy = RecordingProxy::start();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let dir = bundle("http://login.salesforce.com");
    let env: Vec<(&str, &str)> = common::PROXY_VARIABLES
        .into_iter()
        .map(|v| (v, proxy_url.as_str()))
        .collect();
    let run = live_run(dir.path(), &[], &env);
    let ex = run.exchange();
    assert_eq!(ex["status"], "skip", "{ex:#}");
    assert!(
        text(ex, "message").contains("no request was sent"),
        "{ex:#}"
    );
    assert_eq!(status_of(&run.json, "login-url.host"), "fail");
    assert_eq!(run.introspection()["status"], "skip");
    let seen = proxy.finish();
    assert!(seen.is_empty(), "a connection was attempted: {seen:?}");
}

#[test]
fn https_login_hosts_go_through_the_system_proxy() {
    // The proxy refuses the tunnel, so nothing leaves the machine; what it saw proves the proxy
    // variables are honoured and that the assertion would only travel inside TLS.
    let proxy = RecordingProxy::start();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let dir = bundle("https://acme.my.salesforce.com");
    let run = live_run(
        dir.path(),
        &["--timeout", "2"],
        &[
            ("HTTPS_PROXY", proxy_url.as_str()),
            ("https_proxy", proxy_url.as_str()),
        ],
    );
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    let seen = proxy.finish();
    assert_eq!(
        seen,
        ["CONNECT acme.my.salesforce.com:443 HTTP/1.1"],
        "{ex:#}"
    );
}

#[test]
fn a_declared_custom_domain_over_plain_http_makes_no_connection_and_skips_the_exchange() {
    let proxy = RecordingProxy::start();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let env: Vec<(&str, &str)> = common::PROXY_VARIABLES
        .into_iter()
        .map(|v| (v, proxy_url.as_str()))
        .collect();
    for (url, kind) in [
        ("http://login.acme.com", "login"),
        ("http://acme.com/customers", "site"),
    ] {
        let dir = bundle(url);
        let run = live_run(dir.path(), &["--custom-domain", kind], &env);
        let host = finding(&run.json, "login-url.host");
        assert_eq!(host["status"], "fail", "{host:#}");
        assert_eq!(host["evidence"]["problem"], "insecure-http", "{host:#}");
        let ex = run.exchange();
        assert_eq!(ex["status"], "skip", "{ex:#}");
        assert!(
            text(ex, "message").contains("no request was sent"),
            "{ex:#}"
        );
        assert!(text(ex, "message").contains("--custom-domain"), "{ex:#}");
    }
    let seen = proxy.finish();
    assert!(seen.is_empty(), "a connection was attempted: {seen:?}");
}

#[test]
fn a_declared_custom_domain_over_https_is_sent_to_like_a_salesforce_host() {
    // The proxy refuses the tunnel: nothing leaves the machine, and the CONNECT shows that the
    // declared host is the one --live sends to, inside TLS. Undeclared, nothing is sent.
    let proxy = RecordingProxy::start();
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    let env = [
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("https_proxy", proxy_url.as_str()),
    ];
    let dir = bundle("https://login.acme.com");
    let run = live_run(dir.path(), &["--timeout", "2"], &env);
    assert_eq!(run.exchange()["status"], "skip");
    let run = live_run(
        dir.path(),
        &["--timeout", "2", "--custom-domain", "login"],
        &env,
    );
    assert_eq!(status_of(&run.json, "login-url.host"), "info");
    let ex = run.exchange();
    assert_eq!(ex["status"], "fail", "{ex:#}");
    let seen = proxy.finish();
    assert_eq!(seen, ["CONNECT login.acme.com:443 HTTP/1.1"], "{ex:#}");
}

#[test]
fn offline_runs_never_build_an_http_client() {
    // The same bundle without --live: no live finding, and nothing reaches the emulator.
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    let out = sfjwt()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = json["bundles"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.iter().any(|id| id.starts_with("token.")), "{ids:?}");
    assert!(emu.received().is_empty());
}

/// Prints the text report of a passing run and of a refused one, and the JSON of a passing one,
/// for the README:
/// `cargo test --test cli live::readme_output -- --ignored --nocapture`.
#[test]
#[ignore]
fn readme_output() {
    let emu = Emulator::start();
    let dir = bundle(&emu.origin());
    for args in [
        &[][..],
        &["--username", NOT_APPROVED][..],
        &["--format", "json"][..],
    ] {
        let out = sfjwt()
            .env("SFJWT_CONSUMER_SECRET", CONSUMER_SECRET)
            .arg("check")
            .arg(dir.path())
            .arg("--live")
            .args(args)
            .output()
            .unwrap();
        println!("--- exit {}", out.status.code().unwrap());
        println!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

mod usable;
