//! Helpers shared by the command-line tests: run the real binary with a clean environment.

#![allow(dead_code)]

pub mod canaries;
pub mod sarif;

pub use sarif::sarif_schema_errors;

use assert_cmd::Command;
use clap::ValueEnum;
use sfjwt::bundle::inputs::INPUTS;
use sfjwt::report::ReportFormat;

/// How long a test waits for a run before it calls it hung: generous for a debug build on a
/// loaded 2-core machine. No outcome depends on a run being faster than this; a fault that
/// must not be waited out lasts [`FOREVER`].
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

/// How long an emulated fault (a stalled answer, a body that never ends) lasts: longer than
/// [`PATIENCE`], so a run that waits it out fails by hanging, not by a clock reading.
pub const FOREVER: std::time::Duration = std::time::Duration::from_secs(180);

/// The instant every test evaluates at, so expiry windows never drift.
pub const AT: &str = "2026-11-29T13:00:00Z";

/// The flags of fixtures/valid's identity (its sfjwt.toml), for runs without a bundle directory.
pub const IDENTITY_FLAGS: [&str; 6] = [
    "--consumer-key",
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D",
    "--username",
    "integration@acme.com",
    "--login-url",
    "https://login.salesforce.com",
];

/// The proxy variables reqwest reads (both cases): tests unset them, or point them all at a
/// recording proxy.
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// Every report format of `sfjwt check`, from sfjwt's own list ([`ReportFormat`]): a test that
/// iterates these covers a format added later without a change.
pub fn report_formats() -> Vec<&'static str> {
    ReportFormat::value_variants()
        .iter()
        .map(|f| f.name())
        .collect()
}

/// The formats of `sfjwt decode` and `sfjwt explain`, from sfjwt's own list.
pub fn command_formats() -> Vec<String> {
    sfjwt::cli::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect()
}

/// The environment variables of sfjwt's inputs, from sfjwt's own list ([`INPUTS`]): a test that
/// clears these clears an input added later without a change.
pub fn input_variables() -> Vec<&'static str> {
    INPUTS.iter().filter_map(|spec| spec.env).collect()
}

/// Variables sfjwt reads that are not inputs: the passphrase variable the fixtures' `sfjwt.toml`
/// names, the colour override, the extra CA file of `--live` and its debug builds' test hook.
pub const OTHER_VARIABLES: [&str; 4] = [
    "SFJWT_FIXTURE_PASSPHRASE",
    "CLICOLOR_FORCE",
    "SSL_CERT_FILE",
    "SFJWT_TEST_RESOLVE",
];

/// Every variable a spawned sfjwt must not inherit: every [`INPUTS`] variable,
/// [`OTHER_VARIABLES`], and the proxy variables with `NO_PROXY`.
pub fn scrubbed_variables() -> Vec<&'static str> {
    input_variables()
        .into_iter()
        .chain(OTHER_VARIABLES)
        .chain(PROXY_VARIABLES)
        .chain(["NO_PROXY", "no_proxy"])
        .collect()
}

/// A plain `std::process::Command` (one that runs sfjwt, or `script` running it) in the
/// environment [`sfjwt()`] gives: no [`scrubbed_variables`], no colour.
pub fn clean_env(cmd: &mut std::process::Command) -> &mut std::process::Command {
    for var in scrubbed_variables() {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1")
}

/// `sfjwt` with none of the [`scrubbed_variables`] (no input variable, no proxy), no colour,
/// run from the package root.
pub fn sfjwt() -> Command {
    let mut cmd = Command::cargo_bin("sfjwt").expect("the sfjwt binary is built");
    for var in scrubbed_variables() {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// Everything a run printed, standard output then standard error, as text.
pub fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `sfjwt check --at AT --format json ARGS...` and returns (exit code, parsed JSON).
pub fn check_json(args: &[&str]) -> (i32, serde_json::Value) {
    let out = sfjwt()
        .args(["check", "--at", AT, "--format", "json"])
        .args(args)
        .output()
        .expect("sfjwt runs");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("sfjwt exited"), json)
}

/// The status of one check in the first bundle of a JSON report.
pub fn status_of(report: &serde_json::Value, id: &str) -> String {
    finding(report, id)["status"]
        .as_str()
        .expect("status is a string")
        .to_string()
}

/// One finding of the first bundle of a JSON report.
pub fn finding<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["bundles"][0]["checks"]
        .as_array()
        .expect("checks is an array")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {report:#}"))
}

/// Copies the fixture bundle fixtures/KIND to DST, with the key file at 0600, so a report does
/// not depend on the umask of the checkout (git keeps no file modes).
pub fn copy_fixture(kind: &str, dst: &std::path::Path) {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind);
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // server.pass.key: the setup guide's encrypted key (fixtures/trailhead).
        for name in ["server.key", "server.pass.key"] {
            let key = dst.join(name);
            if key.exists() {
                std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
        }
    }
}

/// Copies fixtures/NAME into DIR/NAME (see [`copy_fixture`]).
pub fn copy_bundle(name: &str, dir: &std::path::Path) {
    copy_fixture(name, &dir.join(name));
}

/// Runs `sfjwt check --at AT ARGS... BUNDLES...` in a temporary directory holding copies of the
/// bundles (key at 0600), by their relative names, so no path or mode in a report needs filtering.
pub fn check_copies(bundles: &[&str], args: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    for b in bundles {
        copy_bundle(b, dir.path());
    }
    let out = sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT])
        .args(args)
        .args(bundles)
        .output()
        .unwrap();
    (dir, out)
}

/// As [`check_copies`], for a run that must print nothing on standard error: (exit code, stdout).
pub fn check_copies_quietly(bundles: &[&str], args: &[&str]) -> (i32, String) {
    let (_dir, out) = check_copies(bundles, args);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Runs `sfjwt ARGS` on a terminal (util-linux `script`) with nothing typed, and returns its
/// exit code and what the terminal showed.
pub fn on_a_terminal_with_no_input(args: &str) -> (Option<i32>, String) {
    let bin = assert_cmd::cargo::cargo_bin("sfjwt");
    let out = clean_env(&mut std::process::Command::new("script"))
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs sfjwt on a terminal");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
