//! The hostile-input suite: every case feeds sfjwt something broken, endless, huge, absurd or in
//! the wrong place, and must end fast (well inside [`LIMIT`]) with exit 1 (a finding) or 2 (the
//! run could not happen), a message that names the problem, and no panic.
//!
//! Cases run the real binary with their own runner rather than assert_cmd's, because several
//! need a standard input that never ends (`/dev/zero`, `yes`), which assert_cmd cannot give.
//! `hostile_inputs.rs` holds the first, older cases; the fuzz targets (`fuzz/`) cover the
//! parsers underneath, and their regressions are at the end of this file.

use crate::common;
use crate::emulator;

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::AT;
use emulator::{Emulator, Fault, Stalling};

/// A case still running after this has hung (debug build, a loaded 2-core machine): it is
/// killed and fails. Most take milliseconds; the slowest are the network ones, bounded by
/// `--timeout 1` against faults that last [`common::FOREVER`]. No case asserts a tighter time:
/// what shows that a bound held is its message (the refusal names the limit) or that the run
/// ended at all.
const LIMIT: Duration = common::PATIENCE;

const VALID: &str = "fixtures/valid";
const PASSPHRASE: &str = "sfjwt-fixture-passphrase";

/// What a case's standard input is.
enum In {
    /// Nothing (`/dev/null`).
    Null,
    /// These bytes, then end of file.
    Bytes(Vec<u8>),
    /// A file or device (`/dev/zero`, `/dev/urandom`).
    File(&'static str),
    /// The output of `yes TEXT`: endless text.
    Yes(&'static str),
}

/// How a case ended.
#[derive(Debug)]
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// The environment every case starts from: that of `common::sfjwt()`, and no SFJWT_* variable
/// at all, no proxy variable in any spelling.
fn base_command() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sfjwt"));
    common::clean_env(&mut cmd);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("SFJWT_") || k.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(&key);
        }
    }
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The arguments, for a failure message: long ones cut.
fn shown(args: &[OsString]) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|a| {
            let a = a.to_string_lossy();
            if a.chars().count() > 80 {
                format!(
                    "{}…({} bytes)",
                    a.chars().take(60).collect::<String>(),
                    a.len()
                )
            } else {
                a.into_owned()
            }
        })
        .collect();
    format!("sfjwt {}", parts.join(" "))
}

/// Connects the input to the command: what to write to its standard input, and the process
/// feeding it, if any.
fn connect(cmd: &mut Command, input: In) -> (Option<Child>, Option<Vec<u8>>) {
    match input {
        In::Null => {
            cmd.stdin(Stdio::null());
            (None, None)
        }
        In::Bytes(b) => {
            cmd.stdin(Stdio::piped());
            (None, Some(b))
        }
        In::File(path) => {
            cmd.stdin(std::fs::File::open(path).expect("the device opens"));
            (None, None)
        }
        In::Yes(text) => {
            let mut yes = Command::new("yes")
                .arg(text)
                .stdout(Stdio::piped())
                .spawn()
                .expect("yes runs");
            cmd.stdin(yes.stdout.take().expect("yes has a stdout"));
            (Some(yes), None)
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
fn read_all(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = pipe.read_to_end(&mut s);
        s
    })
}

/// Waits for the child, polling; kills it past [`LIMIT`] (then `None`).
fn wait_bounded(child: &mut Child, started: Instant) -> Option<std::process::ExitStatus> {
    loop {
        if let Some(status) = child.try_wait().expect("wait works") {
            return Some(status);
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs sfjwt with these arguments, input and environment, and kills it past [`LIMIT`].
fn run_with(args: &[OsString], input: In, env: &[(&str, &OsStr)]) -> Out {
    let mut cmd = base_command();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let (feeder, bytes) = connect(&mut cmd, input);
    let started = Instant::now();
    let mut child = cmd.spawn().expect("sfjwt starts");
    let writer = bytes.map(|b| {
        let mut stdin = child.stdin.take().expect("a piped stdin");
        // sfjwt may stop reading early (past its cap): a broken pipe here is expected.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&b);
        })
    });
    let out_reader = read_all(child.stdout.take().expect("stdout"));
    let err_reader = read_all(child.stderr.take().expect("stderr"));
    let status = wait_bounded(&mut child, started);
    if let Some(mut yes) = feeder {
        let _ = yes.kill();
        let _ = yes.wait();
    }
    if let Some(w) = writer {
        let _ = w.join();
    }
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    let Some(status) = status else {
        panic!(
            "{} did not end within {LIMIT:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            shown(args)
        );
    };
    let code = status.code().unwrap_or_else(|| {
        panic!(
            "{} was killed by a signal: {status:?}\n{stderr}",
            shown(args)
        )
    });
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{} panicked:\n{stderr}",
        shown(args)
    );
    Out {
        code,
        stdout,
        stderr,
    }
}

fn os_args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// Runs the case and checks the contract: exit 1 or 2 as expected, and every `needle` (a part
/// of the message that names the problem) in standard output or error.
fn expect(args: Vec<OsString>, input: In, code: i32, needles: &[&str]) -> Out {
    expect_env(args, input, &[], code, needles)
}

fn expect_env(
    args: Vec<OsString>,
    input: In,
    env: &[(&str, &OsStr)],
    code: i32,
    needles: &[&str],
) -> Out {
    assert!(code == 1 || code == 2, "a hostile case ends in 1 or 2");
    let out = run_with(&args, input, env);
    assert_eq!(
        out.code,
        code,
        "{}: exit {} (wanted {code})\n{}",
        shown(&args),
        out.code,
        out.all()
    );
    let all = out.all();
    for needle in needles {
        assert!(
            all.contains(needle),
            "{}: {needle:?} missing from:\n{all}",
            shown(&args)
        );
    }
    if code == 2 {
        assert!(
            out.stderr.contains("error"),
            "an exit 2 says why on standard error: {}",
            out.stderr
        );
    }
    out
}

/// `check --at AT` followed by these arguments.
fn check(args: &[&str]) -> Vec<OsString> {
    let mut all = os_args(&["check", "--at", AT]);
    all.extend(os_args(args));
    all
}

fn check_os(args: &[&OsStr]) -> Vec<OsString> {
    let mut all = os_args(&["check", "--at", AT]);
    all.extend(args.iter().map(|a| a.to_os_string()));
    all
}

/// A sfjwt.toml that cannot be used is its bundle's config.parse finding, not a tool error
/// (DESIGN.md, exit codes). In every report format the run ends, exit 1, without a panic, with
/// every `needle` of the finding, and never shows `never` (a secret written in the file); in
/// JSON, config.parse fails naming the file and every other check skips "(see config.parse)".
fn broken_sfjwt_toml_in_every_format(dir: &Path, needles: &[&str], never: Option<&str>) {
    for format in common::report_formats() {
        let args = check_os(&[OsStr::new("--format"), OsStr::new(format), dir.as_os_str()]);
        let out = expect(args, In::Null, 1, needles);
        if let Some(secret) = never {
            assert!(!out.all().contains(secret), "{format}: {}", out.all());
        }
        if format != "json" {
            continue;
        }
        let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let checks = report["bundles"][0]["checks"].as_array().unwrap();
        let config = &checks[0];
        assert_eq!(
            (config["id"].as_str(), config["status"].as_str()),
            (Some("config.parse"), Some("fail")),
            "{config}"
        );
        let file = config["evidence"]["file"].as_str().unwrap();
        assert!(file.ends_with("sfjwt.toml"), "{config}");
        for c in &checks[1..] {
            assert_eq!(c["status"], "skip", "{c}");
            let message = c["message"].as_str().unwrap();
            assert!(message.ends_with("(see config.parse)"), "{c}");
        }
    }
}

/// A temporary directory with one file in it.
fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// A copy of the `valid` bundle (key at 0600), to break one part of.
fn valid_bundle() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["server.key", "server.crt", "sfjwt.toml"] {
        std::fs::copy(Path::new(VALID).join(f), dir.path().join(f)).unwrap();
    }
    chmod(&dir.path().join("server.key"), 0o600);
    dir
}

fn chmod(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Deterministic noise.
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 7) as u8
        })
        .collect()
}

/// The base64 body of a PEM file with one character changed to another base64 character, in
/// the middle of the body: valid base64, broken DER inside.
fn mutate_pem_body(pem: &[u8], at_fraction: f64) -> Vec<u8> {
    let text = String::from_utf8(pem.to_vec()).unwrap();
    let start = text.find('\n').unwrap() + 1;
    let end = text.rfind("-----END").unwrap();
    let pos = start + ((end - start) as f64 * at_fraction) as usize;
    let mut bytes = text.into_bytes();
    let mut pos = pos;
    while !bytes[pos].is_ascii_alphanumeric() {
        pos += 1;
    }
    bytes[pos] = if bytes[pos] == b'A' { b'B' } else { b'A' };
    bytes
}

fn key_case(bytes: &[u8], needles: &[&str]) -> Out {
    let (_dir, path) = temp_file("server.key", bytes);
    chmod(&path, 0o600);
    let out = expect(
        check(&["--key", path.to_str().unwrap()]),
        In::Null,
        1,
        needles,
    );
    assert!(out.stdout.contains("key.parse"), "{}", out.stdout);
    out
}

fn cert_case(bytes: &[u8], needles: &[&str]) -> Out {
    let (_dir, path) = temp_file("server.crt", bytes);
    let out = expect(
        check(&["--cert", path.to_str().unwrap()]),
        In::Null,
        1,
        needles,
    );
    assert!(out.stdout.contains("cert.parse"), "{}", out.stdout);
    out
}

// --- mutated and truncated keys ------------------------------------------------------------

#[test]
fn key_pem_cut_in_half() {
    let key = read("fixtures/valid/server.key");
    key_case(&key[..key.len() / 2], &["cut short"]);
}

#[test]
fn key_pem_cut_just_before_its_end_line() {
    let key = read("fixtures/valid/server.key");
    let end = String::from_utf8_lossy(&key).rfind("-----END").unwrap();
    key_case(&key[..end], &["cut short"]);
}

#[test]
fn key_pem_with_a_character_that_is_not_base64() {
    let mut key = read("fixtures/valid/server.key");
    key[200] = b'!';
    key_case(&key, &["base64"]);
}

#[test]
fn key_pem_with_one_base64_character_changed_in_every_tenth_of_the_body() {
    let key = read("fixtures/valid/server.key");
    for tenth in 1..10 {
        let mutated = mutate_pem_body(&key, f64::from(tenth) / 10.0);
        let (_dir, path) = temp_file("server.key", &mutated);
        let out = run_with(
            &check(&["--key", path.to_str().unwrap(), "--format", "json"]),
            In::Null,
            &[],
        );
        // A flipped bit deep in a prime may still read (rsa checks the key's consistency: then
        // it fails), or it may land in a field sfjwt does not read: 0 or 1, never anything else.
        assert!(
            out.code == 0 || out.code == 1,
            "tenth {tenth}: {}",
            out.all()
        );
    }
}

#[test]
fn key_der_cut_at_every_hundred_bytes() {
    let key = read("fixtures/der/server.key");
    for len in (1..key.len()).step_by(100) {
        let (_dir, path) = temp_file("server.key", &key[..len]);
        let out = expect(
            check(&["--key", path.to_str().unwrap()]),
            In::Null,
            1,
            &["key.parse"],
        );
        assert!(
            out.stdout.contains("fail  key.parse"),
            "{len}: {}",
            out.stdout
        );
    }
}

#[test]
fn key_der_whose_length_announces_four_gigabytes() {
    let mut key = read("fixtures/der/server.key");
    // 30 82 LL LL -> 30 84 FF FF FF FF: a SEQUENCE of 4 GiB, in a 1 KiB file.
    key.splice(1..4, [0x84, 0xFF, 0xFF, 0xFF, 0xFF]);
    key_case(&key, &["cut short"]);
}

#[test]
fn key_of_ten_thousand_nested_sequences() {
    let mut der = Vec::new();
    for _ in 0..10_000 {
        der.extend_from_slice(&[0x30, 0x80]);
    }
    key_case(&der, &["key.parse"]);
}

#[test]
fn key_pem_of_fifty_thousand_empty_blocks() {
    let block = "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n";
    key_case(block.repeat(15_000).as_bytes(), &["key.parse"]);
}

#[test]
fn key_encrypted_with_more_pbkdf2_iterations_than_sfjwt_runs() {
    let (_d, pass) = temp_file("pass", PASSPHRASE.as_bytes());
    expect(
        check(&[
            "--key",
            "tests/data/pbkdf2-1000001-iterations.key",
            "--key-passphrase-file",
            pass.to_str().unwrap(),
        ]),
        In::Null,
        1,
        &["1000001 iterations", "at most 1000000"],
    );
}

#[test]
fn key_encrypted_with_scrypt_work_past_the_bound() {
    expect_env(
        check(&["--key", "tests/data/scrypt-p16.key"]),
        In::Null,
        &[("SFJWT_KEY_PASSPHRASE", OsStr::new(PASSPHRASE))],
        1,
        &["scrypt with more memory or work"],
    );
}

#[test]
fn key_encrypted_with_scrypt_n_zero_is_a_finding_and_the_fleet_is_reported() {
    // scrypt N = 0 made the crate that derives the key panic (exit 101): no report for any
    // bundle, and the --output file left empty. Now it is key.parse's finding, beside the
    // other bundles' reports.
    let bad = valid_bundle();
    let key = bad.path().join("server.key");
    std::fs::copy("tests/data/scrypt-n0.key", &key).unwrap();
    chmod(&key, 0o600);
    let good = valid_bundle();
    let out_dir = tempfile::tempdir().unwrap();
    let json_path = out_dir.path().join("report.json");
    let output = OsString::from(format!("json={}", json_path.display()));
    expect_env(
        check_os(&[
            bad.path().as_os_str(),
            good.path().as_os_str(),
            OsStr::new("--output"),
            &output,
        ]),
        In::Null,
        &[("SFJWT_KEY_PASSPHRASE", OsStr::new(PASSPHRASE))],
        1,
        &[
            "fail  key.parse",
            "scrypt cost N is 0",
            "openssl pkcs8 -topk8",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap())
        .expect("the --output file is complete JSON");
    assert_eq!(report["bundles"].as_array().unwrap().len(), 2, "{report:#}");
    let bundle = |dir: &tempfile::TempDir| {
        let name = dir.path().display().to_string();
        report["bundles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{name} is reported: {report:#}"))
            .clone()
    };
    let (bad, good) = (bundle(&bad), bundle(&good));
    assert_eq!(bad["verdict"], "fail", "{bad:#}");
    let parse = bad["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "key.parse")
        .unwrap();
    assert_eq!(parse["status"], "fail", "{parse:#}");
    assert_eq!(parse["evidence"]["error"], "bad-encryption-parameters");
    assert_eq!(good["verdict"], "pass", "{good:#}");
}

#[test]
fn encrypted_key_with_a_wrong_passphrase() {
    expect_env(
        check(&["--key", "fixtures/encrypted-key/server.key"]),
        In::Null,
        &[("SFJWT_KEY_PASSPHRASE", OsStr::new("not the passphrase"))],
        1,
        &["passphrase given does not decrypt it"],
    );
}

#[test]
fn key_that_is_latin1_text() {
    key_case(b"Cl\xe9 priv\xe9e: \xe0 remplacer\n", &["key.parse"]);
}

#[test]
fn key_that_is_binary_noise() {
    key_case(&noise(3000, 1), &["key.parse"]);
}

// --- mutated and truncated certificates ----------------------------------------------------

#[test]
fn cert_pem_cut_in_half() {
    let cert = read("fixtures/valid/server.crt");
    cert_case(&cert[..cert.len() / 2], &["cut short"]);
}

#[test]
fn cert_pem_with_one_base64_character_changed() {
    let cert = read("fixtures/valid/server.crt");
    for tenth in [1, 3, 5, 7, 9] {
        let mutated = mutate_pem_body(&cert, f64::from(tenth) / 10.0);
        let (_dir, path) = temp_file("server.crt", &mutated);
        let out = run_with(&check(&["--cert", path.to_str().unwrap()]), In::Null, &[]);
        // A changed byte in the signature or a name still reads: 0 or 1.
        assert!(out.code == 0 || out.code == 1, "{tenth}: {}", out.all());
    }
}

#[test]
fn cert_der_cut_at_every_hundred_bytes() {
    let cert = read("fixtures/der/server.crt");
    for len in (1..cert.len()).step_by(100) {
        let (_dir, path) = temp_file("server.crt", &cert[..len]);
        let out = expect(
            check(&["--cert", path.to_str().unwrap()]),
            In::Null,
            1,
            &["cert.parse"],
        );
        assert!(
            out.stdout.contains("fail  cert.parse"),
            "{len}: {}",
            out.stdout
        );
    }
}

#[test]
fn cert_of_ten_thousand_nested_sequences() {
    let mut der = Vec::new();
    for _ in 0..10_000 {
        der.extend_from_slice(&[0x30, 0x80]);
    }
    cert_case(&der, &["cert.parse"]);
}

#[test]
fn cert_file_of_begin_lines_without_an_end() {
    let text = "-----BEGIN CERTIFICATE-----\n".repeat(30_000);
    cert_case(text.as_bytes(), &["cut short"]);
}

#[test]
fn cert_chain_of_seven_hundred_certificates() {
    let cert = read("fixtures/valid/server.crt");
    let chain = cert.repeat(700);
    assert!(chain.len() < 1024 * 1024);
    let (_dir, path) = temp_file("server.crt", &chain);
    let out = run_with(&check(&["--cert", path.to_str().unwrap()]), In::Null, &[]);
    assert!(out.code <= 1, "{}", out.all());
    assert!(out.stdout.contains("cert.parse"));
}

#[test]
fn cert_that_is_binary_noise() {
    cert_case(&noise(3000, 2), &["cert.parse"]);
}

// --- huge files, endless inputs, the wrong kind of file -------------------------------------

fn sparse(len: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big");
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    (dir, path)
}

#[test]
fn a_64_mib_certificate() {
    let (_d, path) = sparse(64 * 1024 * 1024);
    expect(
        check(&["--cert", path.to_str().unwrap()]),
        In::Null,
        1,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn a_key_one_byte_over_the_cap() {
    let (_d, path) = sparse(1024 * 1024 + 1);
    expect(
        check(&["--key", path.to_str().unwrap()]),
        In::Null,
        1,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn a_64_mib_sfjwt_toml() {
    let dir = valid_bundle();
    std::fs::File::create(dir.path().join("sfjwt.toml"))
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    broken_sfjwt_toml_in_every_format(dir.path(), &["sfjwt.toml", "larger than"], None);
}

#[test]
fn dev_urandom_as_the_key() {
    expect(
        check(&["--key", "/dev/urandom"]),
        In::Null,
        1,
        &["not a regular file"],
    );
}

#[test]
fn dev_zero_as_the_certificate() {
    expect(
        check(&["--cert", "/dev/zero"]),
        In::Null,
        1,
        &["not a regular file"],
    );
}

#[test]
fn key_on_stdin_from_dev_zero() {
    expect(
        check(&["--key", "-"]),
        In::File("/dev/zero"),
        1,
        &["standard input", "larger than 1024 KiB"],
    );
}

#[test]
fn key_on_stdin_from_an_endless_stream_of_text() {
    expect(
        check(&["--key", "-"]),
        In::Yes("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ"),
        1,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn decode_stdin_from_dev_zero() {
    expect(
        os_args(&["decode", "-"]),
        In::File("/dev/zero"),
        2,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn decode_stdin_from_dev_urandom() {
    expect(
        os_args(&["decode", "-"]),
        In::File("/dev/urandom"),
        2,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn decode_stdin_from_an_endless_stream_of_jwt_starts() {
    expect(
        os_args(&["decode", "-"]),
        In::Yes("eyJhbGciOiJSUzI1NiJ9."),
        2,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn decode_a_10_mb_token_on_stdin() {
    let header = "eyJhbGciOiJSUzI1NiJ9.";
    let mut token = header.as_bytes().to_vec();
    token.resize(10_000_000, b'A');
    token.extend_from_slice(b".c2ln");
    expect(
        os_args(&["decode", "-"]),
        In::Bytes(token),
        2,
        &["larger than 1024 KiB"],
    );
}

#[test]
fn decode_a_100_kb_token_as_an_argument() {
    let token = format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", "A".repeat(100_000));
    expect(os_args(&["decode", &token]), In::Null, 2, &["65536 bytes"]);
}

#[test]
fn decode_a_token_whose_header_nests_twenty_thousand_arrays() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let header = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let token = format!("{}.{}.c2ln", b64(&header), b64("{}"));
    let out = expect(os_args(&["decode", "-"]), In::Bytes(token.into()), 2, &[]);
    assert!(out.stderr.contains("JSON"), "{}", out.stderr);
}

#[test]
fn decode_binary_noise_on_stdin() {
    expect(
        os_args(&["decode", "-"]),
        In::Bytes(noise(5000, 3)),
        2,
        &["binary data"],
    );
}

#[test]
fn explain_stdin_from_dev_zero() {
    expect(
        os_args(&["explain", "-"]),
        In::File("/dev/zero"),
        1,
        &["No known Salesforce JWT error", "only its first 1 MiB"],
    );
}

#[test]
fn explain_stdin_from_an_endless_stream_of_near_misses() {
    expect(
        os_args(&["explain", "-"]),
        In::Yes("invalid_gran error_descriptio audience is invali {\"error\":"),
        1,
        &["only its first 1 MiB"],
    );
}

#[test]
fn explain_binary_noise_on_stdin() {
    expect(
        os_args(&["explain", "-"]),
        In::Bytes(noise(100_000, 4)),
        1,
        &["No known Salesforce JWT error"],
    );
}

#[test]
fn explain_empty_stdin() {
    expect(os_args(&["explain", "-"]), In::Bytes(Vec::new()), 2, &[]);
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("server.key");
    mkfifo(&fifo);
    expect(
        check_os(&[OsStr::new("--key"), fifo.as_os_str()]),
        In::Null,
        1,
        &["not a regular file"],
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_server_key_of_a_bundle() {
    let dir = valid_bundle();
    std::fs::remove_file(dir.path().join("server.key")).unwrap();
    mkfifo(&dir.path().join("server.key"));
    expect(
        check_os(&[dir.path().as_os_str()]),
        In::Null,
        1,
        &["not a regular file"],
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_sfjwt_toml() {
    let dir = valid_bundle();
    std::fs::remove_file(dir.path().join("sfjwt.toml")).unwrap();
    mkfifo(&dir.path().join("sfjwt.toml"));
    broken_sfjwt_toml_in_every_format(dir.path(), &["sfjwt.toml", "not a regular file"], None);
}

#[test]
fn a_directory_as_sfjwt_toml() {
    let dir = valid_bundle();
    std::fs::remove_file(dir.path().join("sfjwt.toml")).unwrap();
    std::fs::create_dir(dir.path().join("sfjwt.toml")).unwrap();
    broken_sfjwt_toml_in_every_format(dir.path(), &["sfjwt.toml", "directory"], None);
}

#[cfg(unix)]
#[test]
fn dev_zero_linked_as_the_server_key_of_a_bundle() {
    let dir = valid_bundle();
    std::fs::remove_file(dir.path().join("server.key")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("server.key")).unwrap();
    expect(
        check_os(&[dir.path().as_os_str()]),
        In::Null,
        1,
        &["not a regular file"],
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_as_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    expect(
        check_os(&[OsStr::new("--key"), a.as_os_str()]),
        In::Null,
        1,
        &["could not be read"],
    );
}

/// A FIFO as a secret file (what `<(pass show NAME)` gives) is refused unread, and the message
/// names the variable that does the same job.
#[cfg(unix)]
fn a_fifo_as_a_secret_file(flag: &str, bundle: &str, variable: &str) {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("secret");
    mkfifo(&fifo);
    expect(
        check_os(&[OsStr::new(flag), fifo.as_os_str(), OsStr::new(bundle)]),
        In::Null,
        2,
        &[
            flag,
            "not a regular file",
            &format!("set ${variable} instead"),
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_consumer_secret_file() {
    a_fifo_as_a_secret_file("--consumer-secret-file", VALID, "SFJWT_CONSUMER_SECRET");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_passphrase_file() {
    a_fifo_as_a_secret_file(
        "--key-passphrase-file",
        "fixtures/encrypted-key",
        "SFJWT_KEY_PASSPHRASE",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_certificate_names_no_stdin_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("server.crt");
    mkfifo(&fifo);
    let out = expect(
        check_os(&[
            OsStr::new("--cert"),
            fifo.as_os_str(),
            OsStr::new(VALID),
            OsStr::new("--format"),
            OsStr::new("json"),
        ]),
        In::Null,
        1,
        &["not a regular file"],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let parse = common::finding(&json, "cert.parse");
    assert_eq!(parse["status"], "fail");
    let fix = parse["fix"].as_str().unwrap();
    assert!(fix.contains("regular file"), "{fix}");
    assert!(!fix.contains("standard input"), "{fix}");
}

#[test]
fn the_certificate_from_standard_input_is_refused_with_the_way_to_give_it() {
    expect(
        check(&["--cert", "-", VALID]),
        In::Bytes(std::fs::read("fixtures/valid/server.crt").unwrap()),
        2,
        &["--cert -", "only --key", "give its path"],
    );
}

#[test]
fn a_directory_as_the_passphrase_file() {
    expect(
        check(&[
            "--key-passphrase-file",
            "fixtures",
            "fixtures/encrypted-key",
        ]),
        In::Null,
        2,
        &["--key-passphrase-file", "directory"],
    );
}

#[test]
fn a_64_mib_consumer_secret_file() {
    let (_d, path) = sparse(64 * 1024 * 1024);
    expect(
        check(&["--consumer-secret-file", path.to_str().unwrap(), VALID]),
        In::Null,
        2,
        &["--consumer-secret-file", "larger than"],
    );
}

// --- non-UTF-8 paths and content -----------------------------------------------------------

#[test]
fn sfjwt_toml_that_is_not_utf8() {
    let dir = valid_bundle();
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        b"username = \"int\xe9gration@acme.com\"\n",
    )
    .unwrap();
    broken_sfjwt_toml_in_every_format(dir.path(), &["sfjwt.toml", "not UTF-8"], None);
}

#[test]
fn sfjwt_toml_that_is_binary_noise() {
    let dir = valid_bundle();
    std::fs::write(dir.path().join("sfjwt.toml"), noise(2000, 5)).unwrap();
    broken_sfjwt_toml_in_every_format(dir.path(), &["sfjwt.toml", "not UTF-8"], None);
}

#[test]
fn sfjwt_toml_with_a_plain_text_secret() {
    let dir = valid_bundle();
    let mut toml = std::fs::read_to_string(dir.path().join("sfjwt.toml")).unwrap();
    toml.push_str("consumer_secret = \"CANARY-IN-TOML-0123456789\"\n");
    std::fs::write(dir.path().join("sfjwt.toml"), toml).unwrap();
    broken_sfjwt_toml_in_every_format(
        dir.path(),
        &["sfjwt.toml", "consumer_secret", "consumer_secret_env"],
        Some("CANARY-IN-TOML"),
    );
}

#[cfg(unix)]
#[test]
fn a_broken_bundle_in_a_directory_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join(OsStr::from_bytes(b"b\xfcndel"));
    std::fs::create_dir(&dir).unwrap();
    for f in ["server.crt", "sfjwt.toml"] {
        std::fs::copy(Path::new(VALID).join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("server.key"), b"not a key").unwrap();
    expect(
        check_os(&[dir.as_os_str()]),
        In::Null,
        1,
        &["b\u{fffd}ndel", "key.parse"],
    );
}

#[cfg(unix)]
#[test]
fn a_login_url_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    expect(
        check_os(&[
            OsStr::new("--login-url"),
            OsStr::from_bytes(b"https://login.salesforce.com/\xff"),
        ]),
        In::Null,
        2,
        &["UTF-8"],
    );
}

#[cfg(unix)]
#[test]
fn a_token_argument_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let args = vec![
        OsString::from("decode"),
        OsStr::from_bytes(b"eyJ\xff.e30.c2ln").to_os_string(),
    ];
    expect(args, In::Null, 2, &["UTF-8"]);
}

#[cfg(unix)]
#[test]
fn explain_text_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let args = vec![
        OsString::from("explain"),
        OsStr::from_bytes(b"invalid_grant \xff").to_os_string(),
    ];
    expect(args, In::Null, 2, &["UTF-8"]);
}

#[cfg(unix)]
#[test]
fn a_private_key_variable_of_binary_noise() {
    use std::os::unix::ffi::OsStrExt;
    let mut value = noise(100_000, 6);
    value.retain(|b| *b != 0);
    expect_env(
        check(&[]),
        In::Null,
        &[("SFJWT_PRIVATE_KEY", OsStr::from_bytes(&value))],
        1,
        &["SFJWT_PRIVATE_KEY", "key.parse"],
    );
}

// --- absurd flag values --------------------------------------------------------------------

fn flag_case(args: &[&str], needle: &str) {
    let mut all = args.to_vec();
    all.push(VALID);
    expect(check(&all), In::Null, 2, &[needle]);
}

#[test]
fn absurd_timeouts() {
    flag_case(&["--timeout", "0"], "--timeout");
    flag_case(&["--timeout", "601"], "--timeout");
    flag_case(&["--timeout", "99999999999999999999999"], "--timeout");
    flag_case(&["--timeout", "nan"], "--timeout");
    flag_case(&["--timeout", "1e9"], "--timeout");
}

#[test]
fn absurd_instants() {
    flag_case(&["--at", "2026-13-45T99:99:99Z"], "--at");
    flag_case(&["--at", "+999999-01-01T00:00:00Z"], "--at");
    flag_case(&["--at", "yesterday"], "--at");
}

#[test]
fn absurd_expiry_windows() {
    flag_case(
        &["--expiry-warn-days", "18446744073709551616"],
        "--expiry-warn-days",
    );
    flag_case(&["--expiry-warn-days", "-5"], "unexpected argument");
    flag_case(&["--expiry-warn-days", "0x10"], "--expiry-warn-days");
}

#[test]
fn unknown_formats_colours_and_thresholds() {
    flag_case(&["--format", "yaml"], "--format");
    flag_case(&["--color", "sometimes"], "--color");
    flag_case(&["--fail-on", "info"], "--fail-on");
    flag_case(&["--output", "yaml=report.yaml"], "yaml");
}

#[test]
fn two_thousand_bundle_directories_that_do_not_exist() {
    let dirs: Vec<String> = (0..2000).map(|i| format!("no/such/bundle{i}")).collect();
    let mut args = vec!["check".to_string()];
    args.extend(dirs);
    let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
    expect(args, In::Null, 2, &["no/such/bundle0"]);
}

#[test]
fn output_to_a_full_device() {
    expect(
        check(&["--output", "/dev/full", VALID]),
        In::Null,
        2,
        &["cannot write the report to /dev/full"],
    );
}

#[test]
fn output_over_the_private_key_of_the_run() {
    let dir = valid_bundle();
    let key = dir.path().join("server.key");
    let before = std::fs::read(&key).unwrap();
    let mut output = OsString::from("json=");
    output.push(key.as_os_str());
    expect(
        check_os(&[dir.path().as_os_str(), OsStr::new("--output"), &output]),
        In::Null,
        2,
        &["an input of this run"],
    );
    assert_eq!(std::fs::read(&key).unwrap(), before, "the key is untouched");
    for flag in ["--cert", "--consumer-secret-file"] {
        let (_d, path) = temp_file("input", b"3MVG9-not-really");
        let out = run_with(
            &check_os(&[
                OsStr::new(flag),
                path.as_os_str(),
                OsStr::new("--output"),
                path.as_os_str(),
            ]),
            In::Null,
            &[],
        );
        assert_eq!(out.code, 2, "{flag}: {}", out.all());
        assert_eq!(std::fs::read(&path).unwrap(), b"3MVG9-not-really");
    }
}

// --- answers that never end ----------------------------------------------------------------

/// A bundle of the `valid` key and certificate, the emulator's consumer key and user, and this
/// login URL.
fn live_bundle(login_url: &str) -> tempfile::TempDir {
    let dir = valid_bundle();
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        format!(
            "consumer_key = \"{}\"\nusername = \"{}\"\nlogin_url = \"{login_url}\"\n",
            emulator::CONSUMER_KEY,
            emulator::APPROVED
        ),
    )
    .unwrap();
    dir
}

#[test]
fn live_answer_whose_body_never_ends() {
    let endpoint = Stalling::start();
    let dir = live_bundle(&endpoint.origin());
    expect(
        check_os(&[
            dir.path().as_os_str(),
            OsStr::new("--live"),
            OsStr::new("--timeout"),
            OsStr::new("1"),
        ]),
        In::Null,
        1,
        &["token.exchange", "had not finished"],
    );
}

#[test]
fn live_endpoint_that_never_answers() {
    let emu = Emulator::start();
    emu.set_fault(Fault::Delay(common::FOREVER));
    let dir = live_bundle(&emu.origin());
    expect(
        check_os(&[
            dir.path().as_os_str(),
            OsStr::new("--live"),
            OsStr::new("--timeout"),
            OsStr::new("1"),
        ]),
        In::Null,
        1,
        &["token.exchange", "within 1 s"],
    );
}

#[test]
fn live_answer_of_two_mebibytes() {
    let emu = Emulator::start();
    emu.set_fault(Fault::Huge);
    let dir = live_bundle(&emu.origin());
    expect(
        check_os(&[dir.path().as_os_str(), OsStr::new("--live")]),
        In::Null,
        1,
        &["token.exchange"],
    );
}
