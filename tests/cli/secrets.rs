//! Secret hygiene: every command, in every format, on its success and its error paths, run with
//! canary secrets (the consumer secret from the environment and from a file, the key's passphrase
//! from the environment and from a file, the private key's PEM body lines, and, with `--live`,
//! the assertions and tokens the emulator saw). No canary may appear in standard output, standard
//! error or any file sfjwt writes.
//!
//! Also here: the warning for a secret file others can read, and sfjwt.toml's refusal of secrets.

use crate::common;
use crate::emulator;

use std::path::{Path, PathBuf};

use common::AT;
use common::canaries::{Canaries, base64_body};
use emulator::{CONSUMER_KEY, CONSUMER_SECRET, Emulator};

/// A consumer secret of the right shape, given through `$SFJWT_CONSUMER_SECRET`.
const SECRET_ENV: &str = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00";
/// Another, given through `--consumer-secret-file`.
const SECRET_FILE: &str = "DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0";
/// The passphrase of `tests/data/canary.pass.key` (the `valid` key, encrypted).
const PASSPHRASE: &str = "Canary-Passphrase-5b1d9e7f";
/// A wrong passphrase: a canary too.
const WRONG_PASSPHRASE: &str = "Wrong-Canary-Passphrase-a41c";
const ENCRYPTED_KEY: &str = "tests/data/canary.pass.key";
/// A keystore given as the key, and its password (fixtures/keystores/README.md): a canary too.
const KEYSTORE: &str = "fixtures/keystores/two-keys.p12";
const KEYSTORE_PASSWORD: &str = "changeit-sfjwt";

/// Every value that must never be printed or written, and `extra` (the credentials a live
/// run made).
fn canaries(extra: &[String]) -> Canaries {
    let mut c = Canaries::new();
    for secret in [
        SECRET_ENV,
        SECRET_FILE,
        PASSPHRASE,
        WRONG_PASSPHRASE,
        CONSUMER_SECRET,
        KEYSTORE_PASSWORD,
    ] {
        c = c.secret(secret, "a canary secret");
    }
    for key in [
        "fixtures/valid/server.key",
        "fixtures/pkcs1-key/server.key",
        ENCRYPTED_KEY,
    ] {
        c = c.key_pem(&std::fs::read_to_string(key).unwrap(), key);
    }
    for e in extra {
        c = c.secret(e, "a credential of the live run");
    }
    c
}

/// A temporary directory for one case: the secret files (0600) and the report files.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        for (name, value) in [
            ("secret.txt", format!("{SECRET_FILE}\n")),
            ("pass.txt", format!("{PASSPHRASE}\n")),
            ("wrong-pass.txt", format!("{WRONG_PASSPHRASE}\n")),
            ("emulator-secret.txt", format!("{CONSUMER_SECRET}\n")),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, value).unwrap();
            chmod(&path, 0o600);
        }
        Scratch { dir }
    }
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
    /// `--output FORMAT=PATH` for every report format but `except`.
    fn all_reports(&self, except: &str) -> Vec<String> {
        let mut args = Vec::new();
        for format in common::report_formats() {
            if format != except {
                args.push("--output".to_string());
                args.push(format!(
                    "{format}={}",
                    self.path(&format!("report.{format}"))
                ));
            }
        }
        args
    }
    /// Every file in the directory but the secret files: what sfjwt wrote.
    fn written(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".txt") && !name.starts_with("report") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            out.push((name, text));
        }
        out
    }
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

/// One run: its exit code and everything it printed or wrote.
struct Run {
    code: i32,
    outputs: Vec<(String, String)>,
}

impl Run {
    fn stderr(&self) -> &str {
        &self.outputs.iter().find(|(n, _)| n == "stderr").unwrap().1
    }
    fn stdout(&self) -> &str {
        &self.outputs.iter().find(|(n, _)| n == "stdout").unwrap().1
    }
}

/// Runs sfjwt with both secret canaries in the environment (unless `env` overrides them),
/// collects standard output, standard error and the files written in `scratch`, and fails if
/// any canary (or any of `extra`) shows in any of them.
fn run(
    label: &str,
    args: &[String],
    env: &[(&str, &str)],
    stdin: Option<Vec<u8>>,
    scratch: &Scratch,
    extra: &[String],
) -> Run {
    let mut cmd = common::sfjwt();
    cmd.env("SFJWT_CONSUMER_SECRET", SECRET_ENV);
    cmd.env("SFJWT_KEY_PASSPHRASE", PASSPHRASE);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args).timeout(common::PATIENCE);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().expect("sfjwt runs");
    let mut outputs = vec![
        (
            "stdout".to_string(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ),
        (
            "stderr".to_string(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
    ];
    outputs.extend(scratch.written());
    scan(label, &outputs, extra);
    let code = out.status.code().expect("sfjwt exited on its own");
    assert!(
        !outputs[1].1.contains("panicked"),
        "{label}: {}",
        outputs[1].1
    );
    Run { code, outputs }
}

/// Fails if any canary, or any of `extra`, shows in any of the outputs.
fn scan(label: &str, outputs: &[(String, String)], extra: &[String]) {
    canaries(extra).assert_absent(label, outputs);
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// A bundle: the encrypted canary key (its passphrase named by `key_passphrase_env`), the
/// `valid` certificate, the fixtures' consumer key and user, and this login URL.
fn bundle(login_url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(ENCRYPTED_KEY, dir.path().join("server.key")).unwrap();
    chmod(&dir.path().join("server.key"), 0o600);
    std::fs::copy("fixtures/valid/server.crt", dir.path().join("server.crt")).unwrap();
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        format!(
            "consumer_key = \"{CONSUMER_KEY}\"\nusername = \"{}\"\nlogin_url = \"{login_url}\"\n\
             key_passphrase_env = \"CANARY_PASSPHRASE\"\n",
            emulator::APPROVED
        ),
    )
    .unwrap();
    dir
}

fn dir_arg(dir: &tempfile::TempDir) -> String {
    dir.path().display().to_string()
}

// --- check -----------------------------------------------------------------------------------

#[test]
fn check_in_every_format_with_every_secret_source() {
    let bundle = bundle("https://login.salesforce.com");
    let b = dir_arg(&bundle);
    for stdout_format in common::report_formats() {
        // Consumer secret and passphrase from the environment (the passphrase through the
        // variable sfjwt.toml names), every other format to a file.
        let s = Scratch::new();
        let mut args = strings(&["check", "--at", AT, "--format", stdout_format, &b]);
        args.extend(s.all_reports(stdout_format));
        let r = run(
            stdout_format,
            &args,
            &[("CANARY_PASSPHRASE", PASSPHRASE)],
            None,
            &s,
            &[],
        );
        assert_eq!(r.code, 0, "{stdout_format}: {}", r.stdout());
        assert!(r.outputs.len() >= 6, "every report was written");
        let all: String = r.outputs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(all.contains("fe0c69733482"), "the key shows by fingerprint");
    }
}

#[test]
fn check_with_secrets_from_files_and_output_replacing_stdout() {
    let s = Scratch::new();
    let args = strings(&[
        "check",
        "--at",
        AT,
        "--key",
        ENCRYPTED_KEY,
        "--cert",
        "fixtures/valid/server.crt",
        "--consumer-key",
        CONSUMER_KEY,
        "--username",
        "integration@acme.com",
        "--login-url",
        "https://login.salesforce.com",
        "--consumer-secret-file",
        &s.path("secret.txt"),
        "--key-passphrase-file",
        &s.path("pass.txt"),
        "--output",
        &s.path("report.out"),
        "--output",
        &format!("json={}", s.path("report.json")),
    ]);
    let r = run("files", &args, &[], None, &s, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr());
    assert!(r.stdout().is_empty(), "--output PATH replaced stdout");
    let report = std::fs::read_to_string(s.path("report.json")).unwrap();
    assert!(report.contains("consumer-secret.format"));
    assert!(report.contains("\"pass\""));
}

#[test]
fn check_with_a_keystore_and_its_password_in_every_format() {
    let s = Scratch::new();
    for format in common::report_formats() {
        for (password, alias) in [
            (KEYSTORE_PASSWORD, "sfjwt"),
            (KEYSTORE_PASSWORD, "nobody"),
            (WRONG_PASSPHRASE, "sfjwt"),
        ] {
            let args = strings(&[
                "check",
                "--at",
                AT,
                "--key",
                KEYSTORE,
                "--key-alias",
                alias,
                "--format",
                format,
            ]);
            let env = [("SFJWT_KEY_PASSPHRASE", password)];
            let r = run(
                &format!("keystore {format} {alias}"),
                &args,
                &env,
                None,
                &s,
                &[],
            );
            assert!(r.code < 2, "{format}: {}", r.stderr());
        }
    }
}

#[test]
fn check_with_the_key_on_stdin_and_in_the_environment() {
    let s = Scratch::new();
    let key = std::fs::read("fixtures/valid/server.key").unwrap();
    let mut args = strings(&["check", "--at", AT, "--key", "-", "--format", "json"]);
    args.extend(s.all_reports("json"));
    let r = run("stdin key", &args, &[], Some(key.clone()), &s, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout());

    let s = Scratch::new();
    let mut args = strings(&["check", "--at", AT]);
    args.extend(s.all_reports("text"));
    let text = String::from_utf8(key).unwrap().replace('\n', "\\n");
    let r = run(
        "env key with literal \\n",
        &args,
        &[("SFJWT_PRIVATE_KEY", &text)],
        None,
        &s,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stdout());
}

#[test]
fn check_error_paths_wrong_passphrase() {
    let bundle = bundle("https://login.salesforce.com");
    let b = dir_arg(&bundle);
    // A wrong passphrase, from the environment and from a file.
    let s = Scratch::new();
    let mut args = strings(&["check", "--at", AT, &b]);
    args.extend(s.all_reports("text"));
    let r = run(
        "wrong passphrase (env)",
        &args,
        // $SFJWT_KEY_PASSPHRASE would win over the variable sfjwt.toml names.
        &[
            ("SFJWT_KEY_PASSPHRASE", ""),
            ("CANARY_PASSPHRASE", WRONG_PASSPHRASE),
        ],
        None,
        &s,
        &[],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout().contains("passphrase given does not decrypt it"));
    let s = Scratch::new();
    let mut args = strings(&[
        "check",
        "--at",
        AT,
        "--key",
        ENCRYPTED_KEY,
        "--key-passphrase-file",
        &s.path("wrong-pass.txt"),
        "--format",
        "json",
    ]);
    args.extend(s.all_reports("json"));
    let r = run("wrong passphrase (file)", &args, &[], None, &s, &[]);
    assert_eq!(r.code, 1);
}

#[test]
fn check_error_paths_refused_arguments() {
    // Secrets as flag values are refused without being repeated.
    let s = Scratch::new();
    for flag in ["--consumer-secret", "--key-passphrase"] {
        let args = strings(&["check", flag, SECRET_ENV, "fixtures/valid"]);
        let r = run(flag, &args, &[], None, &s, &[]);
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr());
    }
    // Bad flags next to secrets.
    for bad in [
        &["check", "--format", "yaml", "fixtures/valid"][..],
        &["check", "--timeout", "0", "--live", "fixtures/valid"],
        &["check", "--bogus", "fixtures/valid"],
        &["decode", "--bogus"],
        &["explain", "--format", "xml", "invalid_grant"],
    ] {
        let r = run(&bad.join(" "), &strings(bad), &[], None, &s, &[]);
        assert_eq!(r.code, 2, "{bad:?}");
    }
    // An unwritable output path, after the secrets were read.
    let args = strings(&[
        "check",
        "--consumer-secret-file",
        &s.path("secret.txt"),
        "--output",
        "/nonexistent/dir/report.json",
        "fixtures/valid",
    ]);
    let r = run("unwritable --output", &args, &[], None, &s, &[]);
    assert_eq!(r.code, 2);
}

#[test]
fn check_error_paths_broken_inputs() {
    let s = Scratch::new();
    // A broken key whose body lines are canaries: corrupted in the middle.
    let key = std::fs::read_to_string("fixtures/valid/server.key").unwrap();
    let broken = key.replacen("\n", "\n!!", 10);
    let r = run(
        "corrupted key",
        &strings(&["check", "--at", AT, "--key", "-"]),
        &[],
        Some(broken.into_bytes()),
        &s,
        &[],
    );
    assert_eq!(r.code, 1);
    // The key given as the certificate, and the certificate as the key.
    let r = run(
        "swapped",
        &strings(&[
            "check",
            "--at",
            AT,
            "--format",
            "json",
            "--key",
            "fixtures/valid/server.crt",
            "--cert",
            "fixtures/pkcs1-key/server.key",
        ]),
        &[],
        None,
        &s,
        &[],
    );
    assert_eq!(r.code, 1);
}

// --- sfjwt.toml ------------------------------------------------------------------------------

#[test]
fn sfjwt_toml_refuses_secrets_without_repeating_them() {
    let s = Scratch::new();
    for line in [
        format!("consumer_secret = \"{SECRET_ENV}\""),
        format!("client_secret = \"{SECRET_ENV}\""),
        format!("key_passphrase = \"{PASSPHRASE}\""),
        format!("passphrase = \"{PASSPHRASE}\""),
        format!("consumer_secret_env = \"{SECRET_FILE}\""),
        format!("key_passphrase_env = \"{PASSPHRASE}\""),
        format!(
            "private_key = \"{}\"",
            &base64_body(&std::fs::read_to_string("fixtures/valid/server.key").unwrap())[..64]
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sfjwt.toml"),
            format!("consumer_key = \"{CONSUMER_KEY}\"\n{line}\n"),
        )
        .unwrap();
        let setting = line.split(' ').next().unwrap().to_string();
        // The refusal is the bundle's config.parse finding (exit 1, DESIGN.md), in every
        // report format; `run` scans each for the canaries.
        for format in common::report_formats() {
            let r = run(
                &format!("{setting} (--format {format})"),
                &strings(&["check", "--format", format, &dir_arg(&dir)]),
                &[],
                None,
                &s,
                &[],
            );
            assert_eq!(r.code, 1, "{setting} ({format}): {}", r.stderr());
            assert!(r.stdout().contains("config.parse"), "{}", r.stdout());
            assert!(r.stdout().contains(&setting), "{format}: {}", r.stdout());
        }
    }
}

// --- warnings for secret files others can read -----------------------------------------------

#[cfg(unix)]
#[test]
fn a_secret_file_others_can_read_is_warned_about() {
    let s = Scratch::new();
    let secret = PathBuf::from(s.path("secret.txt"));
    let pass = PathBuf::from(s.path("pass.txt"));
    chmod(&secret, 0o644);
    chmod(&pass, 0o640);
    let args = strings(&[
        "check",
        "--at",
        AT,
        "--key",
        ENCRYPTED_KEY,
        "--consumer-secret-file",
        &s.path("secret.txt"),
        "--key-passphrase-file",
        &s.path("pass.txt"),
    ]);
    let r = run("loose modes", &args, &[], None, &s, &[]);
    assert_eq!(r.code, 0, "{}", r.stdout());
    let err = r.stderr();
    assert!(
        err.contains(&format!(
            "warning: --consumer-secret-file {} has mode 0644: its group and others can read the consumer secret",
            secret.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "warning: --key-passphrase-file {} has mode 0640: its group can read the key's passphrase",
            pass.display()
        )),
        "{err}"
    );
    assert!(err.contains(&format!("chmod 600 {}", secret.display())));

    chmod(&secret, 0o600);
    chmod(&pass, 0o400);
    let r = run("tight modes", &args, &[], None, &s, &[]);
    assert_eq!(r.code, 0);
    assert!(!r.stderr().contains("warning"), "{}", r.stderr());
}

// --- decode and explain ----------------------------------------------------------------------

#[test]
fn decode_and_explain_in_both_formats() {
    let s = Scratch::new();
    let token = std::fs::read_to_string("fixtures/tokens/good.jwt").unwrap();
    for format in ["text", "json"] {
        let r = run(
            "decode",
            &strings(&[
                "decode",
                "--at",
                AT,
                "--format",
                format,
                "--cert",
                "fixtures/valid/server.crt",
                "-",
            ]),
            &[],
            Some(token.clone().into_bytes()),
            &s,
            &[],
        );
        assert_eq!(r.code, 0, "{}", r.stdout());
        // The private key pasted where a token goes.
        let key = std::fs::read("fixtures/valid/server.key").unwrap();
        let r = run(
            "decode a key",
            &strings(&["decode", "--format", format, "-"]),
            &[],
            Some(key),
            &s,
            &[],
        );
        assert_eq!(r.code, 2);
        // An error paste that quotes the secret, the passphrase and the key.
        let key = std::fs::read_to_string(ENCRYPTED_KEY).unwrap();
        let paste = format!(
            "POST /services/oauth2/introspect client_secret={SECRET_ENV}&token=x\n\
             {{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}}\n\
             passphrase: {PASSPHRASE}\n{key}\n\
             {{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}}\n"
        );
        let r = run(
            "explain a paste",
            &strings(&["explain", "--format", format, "-"]),
            &[],
            Some(paste.into_bytes()),
            &s,
            &[],
        );
        assert_eq!(r.code, 0, "{}", r.stdout());
        assert!(r.stdout().contains("user-not-approved") || r.stdout().contains("approved"));
        let r = run(
            "explain an argument",
            &strings(&[
                "explain",
                "--format",
                format,
                &format!("invalid_client: client_secret {SECRET_FILE} is wrong"),
            ]),
            &[],
            None,
            &s,
            &[],
        );
        assert!(r.code <= 1);
    }
}

// --- --live against the emulator -------------------------------------------------------------

#[test]
fn live_in_every_format_with_the_secret_from_a_file_and_from_the_environment() {
    let emu = Emulator::start();
    let bundle = bundle(&emu.origin());
    let b = dir_arg(&bundle);
    for (label, secret_args, env_secret) in [
        ("secret file", true, SECRET_ENV),
        ("secret env", false, CONSUMER_SECRET),
    ] {
        let s = Scratch::new();
        let mut args = strings(&["check", "--live", "--timeout", "10", &b]);
        if secret_args {
            args.push("--consumer-secret-file".into());
            args.push(s.path("emulator-secret.txt"));
        }
        args.extend(s.all_reports("text"));
        let r = run(
            label,
            &args,
            &[
                ("CANARY_PASSPHRASE", PASSPHRASE),
                ("SFJWT_CONSUMER_SECRET", env_secret),
            ],
            None,
            &s,
            &emu.secrets(),
        );
        assert_eq!(r.code, 0, "{label}: {}", r.stdout());
        let json = std::fs::read_to_string(s.path("report.json")).unwrap();
        assert!(json.contains("\"revoked\": true"), "{json}");
    }
    assert!(
        !emu.issued().is_empty(),
        "tokens were issued (and looked for)"
    );
}

#[test]
fn live_with_a_wrong_consumer_secret_and_a_refused_user() {
    let emu = Emulator::start();
    let bundle = bundle(&emu.origin());
    let s = Scratch::new();
    let mut args = strings(&["check", "--live", "--timeout", "10", &dir_arg(&bundle)]);
    args.extend(s.all_reports("text"));
    // The environment's canary secret is not the emulator's: introspection is refused.
    let r = run(
        "wrong secret",
        &args,
        &[("CANARY_PASSPHRASE", PASSPHRASE)],
        None,
        &s,
        &emu.secrets(),
    );
    assert_eq!(r.code, 1, "{}", r.stdout());
    assert!(r.stdout().contains("token.introspection"));

    let refused = tempfile::tempdir().unwrap();
    for f in ["server.key", "server.crt"] {
        std::fs::copy(bundle.path().join(f), refused.path().join(f)).unwrap();
    }
    let toml = std::fs::read_to_string(bundle.path().join("sfjwt.toml"))
        .unwrap()
        .replace(emulator::APPROVED, emulator::NOT_APPROVED);
    std::fs::write(refused.path().join("sfjwt.toml"), toml).unwrap();
    let s = Scratch::new();
    let mut args = strings(&["check", "--live", "--timeout", "10", &dir_arg(&refused)]);
    args.extend(s.all_reports("json"));
    let r = run(
        "refused user",
        &args,
        &[("CANARY_PASSPHRASE", PASSPHRASE)],
        None,
        &s,
        &emu.secrets(),
    );
    assert_eq!(r.code, 1);
    assert!(!emu.assertions().is_empty());
}

/// The scan itself works: `--show-assertion` prints the assertion on purpose (with a warning),
/// and the assertions the emulator received are canaries of the live runs.
#[test]
#[should_panic(expected = "shows part of")]
fn the_canary_scan_catches_a_leak() {
    let emu = Emulator::start();
    let bundle = bundle(&emu.origin());
    let s = Scratch::new();
    let args = strings(&["check", "--live", "--show-assertion", &dir_arg(&bundle)]);
    let r = run(
        "shown",
        &args,
        &[("CANARY_PASSPHRASE", PASSPHRASE)],
        None,
        &s,
        &[],
    );
    assert_eq!(emu.assertions().len(), 1);
    scan("--show-assertion", &r.outputs, &emu.secrets());
}

// --- --env-file ------------------------------------------------------------------------------

/// An env file (in its own directory: it holds the canaries) giving the consumer secret, the
/// passphrase `bundle()` names, and a second bundle's key through the variable its `key_env`
/// names, as a multi-line quoted PEM.
fn env_file_and_named_bundle() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let pem = std::fs::read_to_string("fixtures/pkcs1-key/server.key").unwrap();
    let file = dir.path().join("ci.env");
    std::fs::write(
        &file,
        format!(
            "SFJWT_CONSUMER_SECRET={SECRET_FILE}\nexport CANARY_PASSPHRASE='{PASSPHRASE}'\n\
             ACME_KEY=\"{}\"\n",
            pem.trim_end()
        ),
    )
    .unwrap();
    chmod(&file, 0o600);
    let named = dir.path().join("named");
    std::fs::create_dir(&named).unwrap();
    std::fs::copy("fixtures/valid/server.crt", named.join("server.crt")).unwrap();
    std::fs::write(
        named.join("sfjwt.toml"),
        format!(
            "consumer_key = \"{CONSUMER_KEY}\"\nusername = \"integration@acme.com\"\n\
             login_url = \"https://login.salesforce.com\"\nkey_env = \"ACME_KEY\"\n"
        ),
    )
    .unwrap();
    let (file, named) = (file.display().to_string(), named.display().to_string());
    (dir, file, named)
}

#[test]
fn check_with_secrets_from_an_env_file_in_every_format() {
    let bundle = bundle("https://login.salesforce.com");
    let b = dir_arg(&bundle);
    let (_keep, env_file, named) = env_file_and_named_bundle();
    // The environment's secrets are empty: the file's are the ones used.
    let env = [("SFJWT_CONSUMER_SECRET", ""), ("SFJWT_KEY_PASSPHRASE", "")];
    for stdout_format in common::report_formats() {
        let s = Scratch::new();
        let mut args = strings(&["check", "--at", AT, "--format", stdout_format]);
        args.extend(strings(&["--env-file", &env_file, &b, &named]));
        args.extend(s.all_reports(stdout_format));
        let r = run(stdout_format, &args, &env, None, &s, &[]);
        assert_eq!(r.code, 0, "{stdout_format}: {}{}", r.stdout(), r.stderr());
        let all: String = r.outputs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(all.contains("fe0c69733482"), "the keys show by fingerprint");
    }
    // A secret of the file given where it would be echoed is refused without it.
    let s = Scratch::new();
    let args = strings(&[
        "check",
        "--env-file",
        &env_file,
        "--username",
        SECRET_FILE,
        &b,
    ]);
    let r = run("env-file secret as a flag", &args, &env, None, &s, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr());
}

/// A consumer secret in the retrieved app metadata: fixtures/app/eca-consumer-secret holds the
/// emulator's secret ([`CONSUMER_SECRET`], a canary). It is never printed or written, in any
/// format, offline (where app.consumer-key warns that it sits in files) or with `--live`
/// (where, with no other secret given, it serves introspection, and the report says from where).
#[test]
fn check_with_a_consumer_secret_in_app_metadata_in_every_format() {
    let emu = Emulator::start();
    let bundle = bundle(&emu.origin());
    let b = dir_arg(&bundle);
    let metadata = "fixtures/app/eca-consumer-secret";
    let env = [
        ("SFJWT_CONSUMER_SECRET", ""),
        ("CANARY_PASSPHRASE", PASSPHRASE),
    ];
    for stdout_format in common::report_formats() {
        let s = Scratch::new();
        let mut args = strings(&["check", "--at", AT, "--format", stdout_format, &b]);
        args.extend(strings(&["--app-metadata", metadata]));
        args.extend(s.all_reports(stdout_format));
        let r = run(stdout_format, &args, &env, None, &s, &[]);
        assert_eq!(r.code, 0, "{stdout_format}: {}{}", r.stdout(), r.stderr());
        let all: String = r.outputs.iter().map(|(_, t)| t.as_str()).collect();
        assert!(all.contains("app.consumer-key"), "{stdout_format}");
    }
    let s = Scratch::new();
    let mut args = strings(&["check", "--live", "--timeout", "10", &b]);
    args.extend(strings(&["--app-metadata", metadata]));
    args.extend(s.all_reports("text"));
    let r = run("live", &args, &env, None, &s, &emu.secrets());
    assert_eq!(r.code, 0, "live: {}{}", r.stdout(), r.stderr());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("report.json")).unwrap()).unwrap();
    let introspection = common::finding(&json, "token.introspection");
    assert_eq!(introspection["status"], "pass", "{introspection:#}");
    assert!(
        introspection["message"].as_str().unwrap().contains(
            "the consumer secret from consumerSecret in fixtures/app/eca-consumer-secret/"
        ),
        "the report says which secret introspection used: {introspection:#}"
    );
    assert_eq!(
        emu.introspections().len(),
        1,
        "introspected with the metadata's secret"
    );
    let secret = common::finding(&json, "consumer-secret.format");
    assert!(
        secret["message"]
            .as_str()
            .unwrap()
            .contains("(from consumerSecret in fixtures/app/eca-consumer-secret/"),
        "{secret:#}"
    );
}
