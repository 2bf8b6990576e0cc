//! Writes that lose nothing, through the real binary: a report replaces its file whole (a
//! temporary file beside it, renamed into place), keeps the file's mode and symlinks; a run that
//! fails leaves earlier reports as they were; an output that is an input (also the file behind
//! `--key -`) or that repeats another under a different spelling is refused; FIFOs, devices,
//! directories and sockets are handled without blocking; SIGINT, SIGTERM and SIGHUP mid-run leave
//! no partial report and no temporary file; and a passphrase prompt cut short by Ctrl-C or a
//! signal leaves the terminal's echo on.

#![cfg(unix)]

use crate::common;

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{AT, copy_bundle, sfjwt};

/// A generous bound for anything that must not hang, on a loaded two-core machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// The names in a directory, sorted: a temporary file left behind shows here.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A temporary directory holding a copy of the `valid` bundle, at `DIR/valid`.
fn with_valid_bundle() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    dir
}

/// `sfjwt check --at AT ARGS` run in `dir`: (exit code, standard error).
fn check_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = sfjwt()
        .current_dir(dir)
        .args(["check", "--at", AT])
        .args(args)
        .timeout(PATIENCE)
        .output()
        .unwrap();
    (
        out.status.code().expect("sfjwt exited"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// --- inputs are never written over --------------------------------------------------------------

#[test]
fn the_key_on_standard_input_is_never_replaced_by_the_report() {
    let dir = with_valid_bundle();
    let key = dir.path().join("k.pem");
    std::fs::copy(dir.path().join("valid/server.key"), &key).unwrap();
    std::os::unix::fs::symlink("k.pem", dir.path().join("key-link")).unwrap();
    let before = std::fs::read(&key).unwrap();
    for output in ["k.pem", "json=./k.pem", "junit=key-link", "valid/../k.pem"] {
        // Standard input is the file itself, not a pipe of its bytes.
        let mut cmd = sfjwt_command();
        cmd.current_dir(dir.path())
            .args(["check", "--at", AT, "--key", "-", "-o", output])
            .stdin(std::fs::File::open(&key).unwrap());
        let (code, err) = run(cmd);
        assert_eq!(code, Some(2), "{output}: {err}");
        assert!(err.contains("standard input (--key -)"), "{output}: {err}");
        assert_eq!(std::fs::read(&key).unwrap(), before, "{output}");
    }
    assert_eq!(listing(dir.path()), ["k.pem", "key-link", "valid"]);
}

#[test]
fn the_key_of_a_bundle_under_another_spelling_is_never_replaced() {
    let dir = with_valid_bundle();
    std::os::unix::fs::symlink("valid/server.key", dir.path().join("key-link")).unwrap();
    let key = dir.path().join("valid/server.key");
    let before = std::fs::read(&key).unwrap();
    for output in [
        "json=valid/../valid/server.key",
        "./valid//server.key",
        "junit=key-link",
    ] {
        let (code, err) = check_in(dir.path(), &["valid", "-o", output]);
        assert_eq!(code, 2, "{output}: {err}");
        assert!(err.contains("an input of this run"), "{output}: {err}");
        assert_eq!(std::fs::read(&key).unwrap(), before, "{output}");
    }
    assert_eq!(
        listing(&dir.path().join("valid")),
        ["server.crt", "server.key", "sfjwt.toml"]
    );
}

// --- whole reports, or none ----------------------------------------------------------------------

#[test]
fn an_earlier_report_is_unchanged_after_a_run_that_fails() {
    let dir = with_valid_bundle();
    std::fs::create_dir(dir.path().join("broken")).unwrap();
    std::fs::write(dir.path().join("broken/sfjwt.toml"), "username = \n").unwrap();
    let report = dir.path().join("r.json");
    let mut cases = vec![
        // A second output that cannot be written, found before the checks run.
        &[
            "valid",
            "-o",
            "json=r.json",
            "-o",
            "junit=no/such/dir/r.xml",
        ][..],
        // A bundle directory that does not exist.
        &["no-such-bundle", "-o", "json=r.json"],
        // The same path twice.
        &["valid", "-o", "json=r.json", "-o", "junit=./r.json"],
    ];
    // After the outputs were prepared and the checks ran (a broken sfjwt.toml no longer stops
    // a run: it is config.parse's finding, and `broken` is reported): a report that cannot be
    // written (/dev/full: no space left) once r.json's temporary file is written whole.
    // Interruptions mid-run are the sig*_mid_run_leaves_no_partial_report_* tests below.
    if cfg!(target_os = "linux") {
        cases.push(&[
            "broken",
            "valid",
            "-o",
            "json=r.json",
            "-o",
            "markdown=new.md",
            "-o",
            "junit=/dev/full",
        ]);
    }
    for args in cases {
        std::fs::write(&report, "the earlier report\n").unwrap();
        let (code, err) = check_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&report).unwrap(),
            "the earlier report\n",
            "{args:?}"
        );
        assert_eq!(
            listing(dir.path()),
            ["broken", "r.json", "valid"],
            "{args:?}: no temporary file, no new report"
        );
    }
}

#[test]
fn a_report_replaces_its_file_whole_and_keeps_its_mode() {
    let dir = with_valid_bundle();
    let report = dir.path().join("r.md");
    std::fs::write(&report, "x".repeat(100_000)).unwrap();
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, err) = check_in(dir.path(), &["valid", "-o", "markdown=r.md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.starts_with("# sfjwt report: PASS"), "{md}");
    assert!(
        !md.contains("xxxx"),
        "nothing of the longer file it replaced is left"
    );
    let mode = std::fs::metadata(&report).unwrap().permissions().mode();
    assert_eq!(mode & 0o7777, 0o640);
    assert_eq!(listing(dir.path()), ["r.md", "valid"]);
}

#[test]
fn a_symlink_output_is_written_through_and_stays_a_link() {
    let dir = with_valid_bundle();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    std::fs::write(dir.path().join("reports/r.json"), "old").unwrap();
    std::os::unix::fs::symlink("reports/r.json", dir.path().join("latest.json")).unwrap();
    std::os::unix::fs::symlink("reports/new.xml", dir.path().join("dangling.xml")).unwrap();
    let (code, err) = check_in(
        dir.path(),
        &[
            "valid",
            "-o",
            "json=latest.json",
            "-o",
            "junit=dangling.xml",
        ],
    );
    assert_eq!(code, 0, "{err}");
    for link in ["latest.json", "dangling.xml"] {
        let meta = std::fs::symlink_metadata(dir.path().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a link");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("reports/r.json")).unwrap()).unwrap();
    assert_eq!(json["bundles"][0]["name"], "valid");
    roxmltree::Document::parse(
        &std::fs::read_to_string(dir.path().join("reports/new.xml")).unwrap(),
    )
    .unwrap();
    assert_eq!(listing(&dir.path().join("reports")), ["new.xml", "r.json"]);
}

#[test]
fn one_file_under_two_spellings_is_refused() {
    let dir = with_valid_bundle();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("r", dir.path().join("link")).unwrap();
    for second in ["junit=./r", "junit=sub/../r", "markdown=link", "r"] {
        for r_exists in [false, true] {
            if r_exists {
                std::fs::write(dir.path().join("r"), "earlier").unwrap();
            } else {
                let _ = std::fs::remove_file(dir.path().join("r"));
            }
            let (code, err) = check_in(dir.path(), &["valid", "-o", "json=r", "-o", second]);
            assert_eq!(code, 2, "{second}, r exists: {r_exists}: {err}");
            assert!(err.contains("twice"), "{second}: {err}");
            if r_exists {
                assert_eq!(std::fs::read(dir.path().join("r")).unwrap(), b"earlier");
            }
        }
    }
    let mut expected = vec!["link", "r", "sub", "valid"];
    expected.sort();
    assert_eq!(listing(dir.path()), expected);
}

#[test]
fn runs_at_the_same_time_each_write_a_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    let bundles = ["valid", "expiring-soon", "key-mismatch", "lightning-url"];
    for b in bundles {
        copy_bundle(b, dir.path());
    }
    let runs: Vec<Child> = (0..3)
        .map(|_| {
            sfjwt_command()
                .current_dir(dir.path())
                .args([
                    "check",
                    "--at",
                    AT,
                    "-o",
                    "json=r.json",
                    "-o",
                    "junit=r.xml",
                ])
                .args(bundles)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for run in runs {
        let code = wait_for(run).code();
        assert_eq!(code, Some(1), "key-mismatch fails");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(json["bundles"].as_array().unwrap().len(), bundles.len());
    roxmltree::Document::parse(&std::fs::read_to_string(dir.path().join("r.xml")).unwrap())
        .unwrap();
    let mut expected: Vec<&str> = bundles.to_vec();
    expected.extend(["r.json", "r.xml"]);
    expected.sort();
    assert_eq!(listing(dir.path()), expected);
}

// --- outputs that are not regular files ---------------------------------------------------------

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn a_fifo_no_process_reads_is_refused_at_once() {
    let dir = with_valid_bundle();
    mkfifo(&dir.path().join("pipe"));
    std::fs::write(dir.path().join("r.json"), "earlier").unwrap();
    let (code, err) = check_in(
        dir.path(),
        &["valid", "-o", "json=r.json", "-o", "junit=pipe"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no process is reading"), "{err}");
    assert_eq!(
        std::fs::read(dir.path().join("r.json")).unwrap(),
        b"earlier"
    );
    assert_eq!(listing(dir.path()), ["pipe", "r.json", "valid"]);
}

#[test]
fn a_fifo_with_a_reader_gets_the_report() {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let dir = with_valid_bundle();
    let pipe = dir.path().join("pipe");
    mkfifo(&pipe);
    // The read end, opened without waiting for a writer; the report (a few KiB) fits in the
    // pipe's buffer, so it is read after sfjwt has exited.
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&pipe)
        .unwrap();
    let (code, err) = check_in(
        dir.path(),
        &["valid", "-o", "text=pipe", "--format", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let mut text = String::new();
    reader.read_to_string(&mut text).unwrap();
    assert!(text.contains("valid: pass"), "{text}");
    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo());
}

#[test]
fn dev_null_and_standard_output_are_written_as_they_are() {
    use std::os::unix::fs::FileTypeExt;
    let dir = with_valid_bundle();
    let (code, err) = check_in(dir.path(), &["valid", "-o", "json=/dev/null"]);
    assert_eq!(code, 0, "{err}");
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(
        null.file_type().is_char_device(),
        "/dev/null is still a device"
    );

    // Standard output appended to a log: the report is added after what the log held.
    let log = dir.path().join("ci.log");
    std::fs::write(&log, "earlier line\n").unwrap();
    let append = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let mut cmd = sfjwt_command();
    cmd.current_dir(dir.path())
        .args(["check", "--at", AT, "valid", "-o", "/dev/stdout"])
        .stdout(append);
    let (code, err) = run(cmd);
    assert_eq!(code, Some(0), "{err}");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.starts_with("earlier line\nvalid (evaluated at"),
        "{logged}"
    );
    assert_eq!(listing(dir.path()), ["ci.log", "valid"]);
}

#[test]
fn a_directory_or_a_socket_is_refused() {
    let dir = with_valid_bundle();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let (code, err) = check_in(dir.path(), &["valid", "-o", "json=reports"]);
    assert_eq!(code, 2);
    assert!(err.contains("reports is a directory"), "{err}");
    let (code, err) = check_in(dir.path(), &["valid", "-o", "json=new-dir/"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not name a file"), "{err}");
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
    let (code, err) = check_in(dir.path(), &["valid", "-o", "json=sock"]);
    assert_eq!(code, 2);
    assert!(err.contains("sock is a socket"), "{err}");
    assert_eq!(listing(dir.path()), ["reports", "sock", "valid"]);
}

// --- signals -------------------------------------------------------------------------------------

/// Waits for a child with a deadline, polling (no fixed sleep decides the outcome).
fn wait_for(mut child: Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("sfjwt did not exit within {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a command whose standard input and output are set, with a deadline: (exit code,
/// standard error).
fn run(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let status = wait_for(child);
    let mut err = String::new();
    stderr.read_to_string(&mut err).unwrap();
    (status.code(), err)
}

fn send(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Starts `sfjwt check --live` against a loopback endpoint that accepts and never answers,
/// writing two reports (one over an earlier file), sends `signal` once the endpoint has accepted
/// the connection (the run is then mid-way, its temporary files made), and returns the exit code
/// and the directory's contents.
fn interrupted_mid_run(signal: &str) -> (Option<i32>, Vec<String>, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("valid", dir.path());
    let toml = dir.path().join("valid/sfjwt.toml");
    let config = std::fs::read_to_string(&toml).unwrap().replace(
        "https://login.salesforce.com",
        &format!("http://127.0.0.1:{port}"),
    );
    std::fs::write(&toml, config).unwrap();
    std::fs::write(dir.path().join("r.json"), "the earlier report\n").unwrap();
    let (accepted, connection) = mpsc::channel();
    std::thread::spawn(move || {
        // Held open, never answered, until the test ends.
        let _ = accepted.send(listener.accept().map(|(stream, _)| stream));
    });
    let child = sfjwt_command()
        .current_dir(dir.path())
        .args(["check", "valid", "--live", "--timeout", "600"])
        .args(["-o", "json=r.json", "-o", "junit=r.xml"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stream = connection
        .recv_timeout(PATIENCE)
        .expect("sfjwt connects to the endpoint")
        .unwrap();
    let during = listing(dir.path());
    assert!(
        during.iter().any(|n| n.ends_with(".tmp")),
        "mid-run, the temporary files exist: {during:?}"
    );
    send(signal, child.id());
    let status = wait_for(child);
    drop(stream);
    let earlier = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    (status.code(), listing(dir.path()), earlier)
}

/// The sfjwt binary as a plain `std::process::Command` (to send it signals), in the environment
/// `sfjwt()` gives.
fn sfjwt_command() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sfjwt"));
    common::clean_env(&mut cmd);
    cmd
}

#[test]
fn sigint_mid_run_leaves_no_partial_report_and_no_temporary_file() {
    let (code, names, earlier) = interrupted_mid_run("INT");
    assert_eq!(code, Some(130));
    assert_eq!(names, ["r.json", "valid"]);
    assert_eq!(earlier, "the earlier report\n");
}

#[test]
fn sigterm_mid_run_leaves_no_partial_report_and_no_temporary_file() {
    let (code, names, earlier) = interrupted_mid_run("TERM");
    assert_eq!(code, Some(143));
    assert_eq!(names, ["r.json", "valid"]);
    assert_eq!(earlier, "the earlier report\n");
}

#[test]
fn sighup_mid_run_leaves_no_partial_report_and_no_temporary_file() {
    let (code, names, earlier) = interrupted_mid_run("HUP");
    assert_eq!(code, Some(129));
    assert_eq!(names, ["r.json", "valid"]);
    assert_eq!(earlier, "the earlier report\n");
}

// --- the terminal after an interrupted prompt ----------------------------------------------------

/// How a test cuts the passphrase prompt short.
enum Interrupt {
    /// Ctrl-C typed at the prompt.
    CtrlC,
    /// A signal sent to sfjwt from elsewhere.
    Signal(&'static str),
}

/// Runs `sfjwt check` on an encrypted key under `script` (a terminal), interrupts it at the
/// passphrase prompt, and returns sfjwt's exit code as the shell saw it, the `stty -a` the
/// shell ran on the same terminal afterwards, and the directory's contents.
fn prompt_interrupted(how: Interrupt) -> (String, String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_bundle("encrypted-key", dir.path());
    let bin = assert_cmd::cargo::cargo_bin("sfjwt");
    // The inner shell prints its pid and becomes sfjwt; the outer one reports how sfjwt exited
    // and what state it left the terminal in.
    let line = format!(
        "sh -c 'echo PID=$$; exec \"{}\" check --at {AT} -o json=r.json encrypted-key'; \
         echo EXIT=$?; stty -a",
        bin.display()
    );
    let mut child = common::clean_env(&mut Command::new("script"))
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let mut stdout = child.stdout.take().unwrap();
    let (chunks, seen) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || chunks.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = String::new();
    let mut interrupted = false;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match seen.recv_timeout(left) {
            Ok(chunk) => shown.push_str(&String::from_utf8_lossy(&chunk)),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!("no end on the terminal: {shown}");
            }
        }
        // The prompt is printed once echo is off.
        if !interrupted && shown.contains("Passphrase for") {
            let pid = shown
                .split("PID=")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .expect("the shell printed sfjwt's pid");
            match how {
                Interrupt::CtrlC => {
                    let stdin = child.stdin.as_mut().unwrap();
                    stdin.write_all(b"\x03").unwrap();
                    stdin.flush().unwrap();
                }
                Interrupt::Signal(signal) => send(signal, pid.parse().unwrap()),
            }
            interrupted = true;
        }
    }
    drop(child.stdin.take());
    wait_for(child);
    let exit = shown
        .split("EXIT=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the shell printed no exit code: {shown}"))
        .to_string();
    let stty = shown.split("EXIT=").nth(1).unwrap().to_string();
    (exit, stty, listing(dir.path()))
}

/// The terminal echoes, edits lines and turns Ctrl-C into SIGINT again, as `stty -a` shows.
fn assert_terminal_restored(stty: &str) {
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["echo", "icanon", "isig"] {
        assert!(flags.contains(&flag), "{flag} is not back on:\n{stty}");
        assert!(!flags.contains(&format!("-{flag}").as_str()), "{stty}");
    }
}

#[test]
fn ctrl_c_at_the_passphrase_prompt_leaves_the_terminal_as_it_was() {
    let (exit, stty, names) = prompt_interrupted(Interrupt::CtrlC);
    assert_eq!(exit, "130");
    assert_terminal_restored(&stty);
    assert_eq!(names, ["encrypted-key"], "no report, no temporary file");
}

#[test]
fn sigterm_at_the_passphrase_prompt_leaves_the_terminal_as_it_was() {
    let (exit, stty, names) = prompt_interrupted(Interrupt::Signal("TERM"));
    assert_eq!(exit, "143");
    assert_terminal_restored(&stty);
    assert_eq!(names, ["encrypted-key"], "no report, no temporary file");
}
