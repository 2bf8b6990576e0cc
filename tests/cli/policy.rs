//! Per-check policy through the real binary: `--allow`, `--warn`, `--deny` and `[checks]` in
//! sfjwt.toml. An allowed finding stays in every report, marked as allowed.

use crate::common;

use common::{AT, finding};

/// A copy of fixtures/valid whose key is readable by others (0644, as git checks it out on a CI
/// runner), with `extra` appended to its sfjwt.toml.
fn bundle(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b");
    common::copy_fixture("valid", &b);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(b.join("server.key"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }
    let toml = b.join("sfjwt.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}{extra}")).unwrap();
    dir
}

fn run(dir: &tempfile::TempDir, args: &[&str]) -> std::process::Output {
    common::sfjwt()
        .current_dir(dir.path())
        .args(["check", "--at", AT])
        .args(args)
        .arg("b")
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn an_allowed_warning_is_shown_as_allowed_in_every_format_and_passes_fail_on_warning() {
    let dir = bundle("");
    let out = run(&dir, &["--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(1), "the 0644 key warns");
    for format in common::report_formats() {
        let out = run(
            &dir,
            &[
                "--fail-on",
                "warning",
                "--allow",
                "key.file-permissions",
                "--format",
                format,
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            common::all_output(&out)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("allowed by --allow key.file-permissions: it would warn"),
            "{format}: {stdout}"
        );
    }
    let out = run(&dir, &["--allow", "key", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&report, "key.file-permissions");
    assert_eq!(f["status"], "info");
    assert_eq!(
        f["evidence"]["policy"],
        serde_json::json!({"level": "allow", "by": "--allow key", "was": "warn"})
    );
}

#[cfg(unix)]
#[test]
fn checks_in_sfjwt_toml_and_the_command_line_over_it() {
    let dir = bundle("\n[checks]\nallow = [\"key.file-permissions\"]\ndeny = [\"cert\"]\n");
    let out = run(&dir, &["--fail-on", "warning", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&report, "key.file-permissions");
    assert_eq!(f["status"], "info");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("allowed by allow in b/sfjwt.toml"),
        "{f:#}"
    );
    // The command line wins a tie of equal specificity; the file's more specific pattern wins
    // over a flag's prefix.
    let out = run(
        &dir,
        &["--deny", "key.file-permissions", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(&dir, &["--deny", "key", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
}

#[test]
fn unknown_ids_are_refused_with_a_did_you_mean() {
    let dir = bundle("");
    let out = run(&dir, &["--allow", "key.file-permision"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `key.file-permissions`"), "{err}");

    let dir = bundle("\n[checks]\nwarn = [\"certs\"]\n");
    let out = run(&dir, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = finding(&report, "config.parse");
    assert_eq!(f["status"], "fail");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `cert`"),
        "{f:#}"
    );
    assert_eq!(finding(&report, "key.parse")["status"], "skip");
}

#[test]
fn deny_raises_a_warning_and_warn_lowers_a_failure() {
    let (code, report) = common::check_json(&["fixtures/expired-cert", "--deny", "cert.validity"]);
    assert_eq!(code, 1);
    let f = finding(&report, "cert.validity");
    assert_eq!(f["status"], "fail", "{f:#}");
    assert_eq!(f["evidence"]["policy"]["was"], "warn");
    let (_, report) = common::check_json(&["fixtures/key-mismatch", "--warn", "cert.matches-key"]);
    let f = finding(&report, "cert.matches-key");
    assert_eq!(f["status"], "warn", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("lowered to a warning by --warn cert.matches-key")
    );
}
