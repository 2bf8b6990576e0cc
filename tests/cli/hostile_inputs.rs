//! Bad input never panics and never hangs: every case ends fast with exit 1 (a finding) or 2 (the
//! run could not happen) and a message that says what was wrong.

use crate::common;

use common::{AT, sfjwt};

/// Runs `sfjwt check --at AT ARGS...`, with a time limit, and returns (code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = sfjwt()
        .args(["check", "--at", AT])
        .args(args)
        .timeout(common::PATIENCE)
        .output()
        .expect("sfjwt runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "panic: {stderr}");
    let code = out
        .status
        .code()
        .expect("exited on its own, not killed by the time limit");
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn dev_zero_as_the_key_is_refused_without_reading_it() {
    let (code, out, _) = run(&[os("--key"), os("/dev/zero")]);
    assert_eq!(code, 1);
    assert!(out.contains("not a regular file"), "{out}");
}

#[test]
fn a_directory_as_the_key_or_certificate_is_a_finding() {
    let (code, out, _) = run(&[os("--key"), os("fixtures"), os("--cert"), os("src")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("the private key (fixtures) could not be read: it is a directory"),
        "{out}"
    );
    assert!(
        out.contains("the certificate (src) could not be read: it is a directory"),
        "{out}"
    );
}

#[test]
fn a_missing_key_file_is_a_finding_naming_the_path() {
    let (code, out, _) = run(&[os("--key"), os("no/such/server.key")]);
    assert_eq!(code, 1);
    assert!(
        out.contains("no/such/server.key") && out.contains("does not exist"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_certificate_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("server.crt");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let (code, out, _) = run(&[os("--cert"), fifo.as_os_str()]);
    assert_eq!(code, 1);
    assert!(out.contains("not a regular file"), "{out}");
}

#[test]
fn a_64_mib_key_file_is_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.key");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024).unwrap();
    let (code, out, _) = run(&[os("--key"), big.as_os_str()]);
    assert_eq!(code, 1);
    assert!(out.contains("larger than"), "{out}");
}

#[test]
fn binary_garbage_as_key_and_certificate_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&junk, bytes).unwrap();
    let (code, out, _) = run(&[
        os("--key"),
        junk.as_os_str(),
        os("--cert"),
        junk.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("key.parse") && out.contains("cert.parse"),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn a_non_utf8_path_is_handled() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.key");
    let path = dir.path().join(name);
    std::fs::copy("fixtures/valid/server.key", &path).unwrap();
    let (code, out, _) = run(&[os("--key"), path.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("2048-bit"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_non_utf8_environment_value_stops_the_run_cleanly() {
    use std::os::unix::ffi::OsStrExt;
    let out = sfjwt()
        .env(
            "SFJWT_CONSUMER_SECRET",
            std::ffi::OsStr::from_bytes(b"\xff\xfe"),
        )
        .args(["check", "--at", AT, "fixtures/valid"])
        .timeout(common::PATIENCE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SFJWT_CONSUMER_SECRET") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn absurd_flag_values_exit_2() {
    for args in [
        &["--expiry-warn-days", "-1"][..],
        &["--expiry-warn-days", "99999999999"],
        &["--at", "99999-01-01T00:00:00Z"],
        &["--at", ""],
        &["--format", ""],
    ] {
        let os_args: Vec<&std::ffi::OsStr> = args.iter().map(|a| os(a)).collect();
        let mut all = os_args.clone();
        all.push(os("fixtures/valid"));
        let (code, _, err) = run(&all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.is_empty(), "{args:?} says why");
    }
}

#[test]
fn huge_and_odd_text_values_are_findings() {
    let long = "a".repeat(100_000);
    let odd = "\u{202e}moc.ecrofselas.nigol\u{7}";
    for value in [long.as_str(), odd, "\"", "https://[", "   "] {
        let (code, _, err) = run(&[
            os("--login-url"),
            os(value),
            os("--username"),
            os(value),
            os("--consumer-key"),
            os(value),
        ]);
        assert!(code == 1 || code == 2, "{value:?}: {code} {err}");
    }
}

#[test]
fn every_fixture_renders_in_every_format_without_panicking() {
    for entry in std::fs::read_dir("fixtures").unwrap() {
        let path = entry.unwrap().path();
        if !path.join("sfjwt.toml").is_file() {
            continue;
        }
        for format in common::report_formats() {
            let (code, out, _) = run(&[os("--format"), os(format), path.as_os_str()]);
            assert!(code == 0 || code == 1, "{}: {code}", path.display());
            assert!(!out.is_empty());
            assert!(!out.contains("MII"), "{}: key material", path.display());
        }
    }
}
