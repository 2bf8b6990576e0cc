//! Secrets given in the wrong place: every vector of a copy-paste mistake (a PEM key as a flag
//! value, as a variable, in sfjwt.toml; the consumer secret or the passphrase inside another
//! setting; credentials as argument errors would print them), through the real binary, in
//! every report format on standard output and in every `--output` file, and on standard error.
//! The canaries: any 16-character window of the key's base64 body and of its file's base64, the
//! consumer secret, the passphrase, a signed JWT and an access token. The format lists come from
//! sfjwt itself, so a new format is scanned without a change here.

use crate::{common, emulator};

use std::path::Path;

use common::canaries::{Canaries, base64_body, base64_of};

/// `$SFJWT_CONSUMER_SECRET` in every run.
const SECRET: &str = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00";
/// `$SFJWT_KEY_PASSPHRASE` in every run.
const PASSPHRASE: &str = "Canary-Passphrase-5b1d9e7f";
/// An access token of Salesforce's shape.
const ACCESS_TOKEN: &str = "00Dxx0000001gEH!AQ4AQFakeCanaryTokenValue.abcdefghijklmnop";

fn pem() -> String {
    std::fs::read_to_string("fixtures/valid/server.key").unwrap()
}

fn jwt() -> String {
    std::fs::read_to_string("fixtures/tokens/good.jwt")
        .unwrap()
        .trim()
        .to_string()
}

fn canaries() -> Canaries {
    Canaries::new()
        .key_pem(&pem(), "the private key")
        .key_pem(
            &std::fs::read_to_string("fixtures/pkcs1-key/server.key").unwrap(),
            "the PKCS#1 key",
        )
        .secret(SECRET, "the consumer secret")
        .secret(PASSPHRASE, "the passphrase")
        .secret(&jwt(), "the signed JWT")
        .secret(ACCESS_TOKEN, "the access token")
}

/// What one run printed: exit code, standard error, and (name, text) of every output.
struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `sfjwt ARGS` once per format of its command (`--format F` on standard output, every
/// other report format to an `--output` file, for `check`), with the secret canaries in the
/// environment, and scans standard output, standard error and every file written.
fn everywhere(label: &str, args: &[String], env: &[(&str, String)]) -> Vec<Ran> {
    everywhere_also(label, args, env, &Vec::new)
}

/// [`everywhere`], with `extra()` (read after each run: what a live run made) as canaries too.
fn everywhere_also(
    label: &str,
    args: &[String],
    env: &[(&str, String)],
    extra: &dyn Fn() -> Vec<String>,
) -> Vec<Ran> {
    let check = args.first().map(String::as_str) == Some("check");
    let formats: Vec<String> = if check {
        common::report_formats()
            .into_iter()
            .map(String::from)
            .collect()
    } else {
        common::command_formats()
    };
    let canaries = canaries();
    let mut ran = Vec::new();
    for format in &formats {
        let out_dir = tempfile::tempdir().unwrap();
        let mut cmd = common::sfjwt();
        cmd.env("SFJWT_CONSUMER_SECRET", SECRET)
            .env("SFJWT_KEY_PASSPHRASE", PASSPHRASE)
            .args(args)
            .args(["--format", format.as_str()]);
        if check {
            cmd.args(["--at", common::AT]);
            for other in formats.iter().filter(|f| *f != format) {
                let path = out_dir.path().join(format!("report.{other}"));
                cmd.arg("--output")
                    .arg(format!("{other}={}", path.display()));
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.timeout(common::PATIENCE).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let mut outputs = vec![
            (
                "stdout".to_string(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
            ),
            ("stderr".to_string(), stderr.clone()),
        ];
        outputs.extend(written(out_dir.path()));
        let label = format!("{label} (--format {format})");
        let mut canaries = canaries.clone();
        for e in extra() {
            canaries = canaries.secret(&e, "a credential of the live run");
        }
        canaries.assert_absent(&label, &outputs);
        assert!(!stderr.contains("panicked"), "{label}: {stderr}");
        ran.push(Ran {
            code: out.status.code().expect("sfjwt exited on its own"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        });
    }
    ran
}

/// Every file in `dir`, as (name, text).
fn written(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            (path.display().to_string(), text)
        })
        .collect()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Runs a vector that sfjwt must refuse before doing anything: exit 2, and standard error says
/// `says`.
fn refused(label: &str, args: &[String], env: &[(&str, String)], says: &str) {
    for r in everywhere(label, args, env) {
        assert_eq!(r.code, 2, "{label}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{label}: {}", r.stderr);
    }
}

// --- on the command line ----------------------------------------------------------------------

#[test]
fn a_key_given_to_key_is_refused_in_every_encoding() {
    let pem = pem();
    let b64 = base64_of(pem.as_bytes());
    let body = base64_body(&pem);
    let escaped = pem.replace('\n', "\\n");
    let key_eq = format!("--key={pem}");
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "--key PEM",
            vec!["check", "--key", &pem],
            "the value given to --key is a PEM private key",
        ),
        (
            "--key=PEM",
            vec!["check", &key_eq],
            "the value given to --key is a PEM private key",
        ),
        (
            "--key base64",
            vec!["check", "--key", &b64],
            "the base64 of a PEM private key",
        ),
        (
            "--key DER base64",
            vec!["check", "--key", &body],
            "the base64 of a DER private key",
        ),
        (
            "--key escaped PEM",
            vec!["check", "--key", &escaped],
            "a PEM private key",
        ),
    ];
    for (label, args, says) in cases {
        refused(label, &strings(&args), &[], says);
    }
}

#[test]
fn a_key_given_as_another_argument_is_refused_wherever_it_is() {
    let pem = pem();
    let b64 = base64_of(pem.as_bytes());
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "--username PEM",
            vec!["check", "--username", &pem],
            "--username is a PEM private key",
        ),
        (
            "--consumer-key PEM",
            vec!["check", "--consumer-key", &pem],
            "a PEM private key",
        ),
        (
            "--login-url PEM",
            vec!["check", "--login-url", &pem],
            "a PEM private key",
        ),
        (
            "--audience base64",
            vec!["check", "--audience", &b64],
            "a PEM private key",
        ),
        (
            "--cert PEM",
            vec!["check", "--cert", &pem],
            "--cert takes the path",
        ),
        (
            "an unknown flag, then PEM",
            vec!["check", "--bogus", &pem],
            "an argument is a PEM private key",
        ),
        (
            "a bundle directory that is a PEM",
            vec!["check", &pem],
            "an argument is a PEM private key",
        ),
        (
            "after --",
            vec!["check", "--", &pem],
            "an argument is a PEM private key",
        ),
        ("-o PEM", vec!["check", "-o", &pem], "the value given to -o"),
        (
            "--consumer-secret-file PEM",
            vec!["check", "--consumer-secret-file", &pem],
            "a PEM private key",
        ),
    ];
    for (label, args, says) in cases {
        refused(label, &strings(&args), &[], says);
    }
}

#[test]
fn decode_and_explain_refuse_a_key_and_never_print_a_token() {
    let pem = pem();
    let b64 = base64_of(pem.as_bytes());
    refused(
        "decode PEM",
        &strings(&["decode", &pem]),
        &[],
        "sfjwt decode reads a signed JWT",
    );
    refused(
        "decode base64",
        &strings(&["decode", &b64]),
        &[],
        "the base64 of a PEM private key",
    );
    refused(
        "explain PEM",
        &strings(&["explain", &pem]),
        &[],
        "paste the error alone",
    );
    refused(
        "explain with the secret",
        &strings(&["explain", "invalid_client:", SECRET]),
        &[],
        "holds the consumer secret",
    );
    // The token is what decode reads; nothing of it (its signature above all) is printed back.
    for r in everywhere("decode JWT", &strings(&["decode", &jwt()]), &[]) {
        assert!(r.code <= 1, "{}", r.stderr);
    }
    // A paste that quotes a token and an access token: explained, neither shown.
    let paste = format!(
        "{{\"error\":\"invalid_grant\",\"error_description\":\"audience is invalid {} {ACCESS_TOKEN}\"}}",
        jwt()
    );
    for r in everywhere("explain a paste", &strings(&["explain", &paste]), &[]) {
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // The Salesforce CLI's fan-out, with a token and an access token in its retries'
    // lines and audience brackets: the retries are reported by id and URL, none of these shown.
    let fan_out = format!(
        "Error (JwtGrantError): Error authenticating with JWT.\nErrors encountered:\nuser hasn't approved this consumer\naudience is invalid  [audience={} login=https://acme.my.salesforce.com/{ACCESS_TOKEN}]\nfetch failed {ACCESS_TOKEN}\naudience is invalid  [audience=https://login.salesforce.com login=https://x.my.salesforce.com/?t={ACCESS_TOKEN}]\n",
        jwt()
    );
    for r in everywhere("explain a fan-out", &strings(&["explain", &fan_out]), &[]) {
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    // A JWT given to explain gets the decode hint, never the token.
    for r in everywhere("explain a JWT", &strings(&["explain", &jwt()]), &[]) {
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
}

#[test]
fn secrets_in_other_flags_are_refused_and_parser_errors_quote_no_secret() {
    let login_with_pass = format!("https://u:{PASSPHRASE}@login.salesforce.com");
    let secret_flag = format!("--{SECRET}");
    let token = jwt();
    let pass_eq = format!("--key-passphrase={PASSPHRASE}");
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "--username SECRET",
            vec!["check", "--username", SECRET],
            "holds the consumer secret",
        ),
        (
            "--timeout SECRET",
            vec!["check", "--timeout", SECRET],
            "holds the consumer secret",
        ),
        (
            "--format PASSPHRASE",
            vec!["check", "--format", PASSPHRASE],
            "holds the key passphrase",
        ),
        (
            "--login-url with the passphrase",
            vec!["check", "--login-url", &login_with_pass],
            "key passphrase",
        ),
        ("--at JWT", vec!["check", "--at", &token], "a signed JWT"),
        (
            "--username access token",
            vec!["check", "--username", ACCESS_TOKEN],
            "access token",
        ),
        (
            "--consumer-secret",
            vec!["check", "--consumer-secret", SECRET],
            "--consumer-secret is not accepted",
        ),
        (
            "--key-passphrase=",
            vec!["check", &pass_eq],
            "--key-passphrase is not accepted",
        ),
        (
            "--client-secret",
            vec!["check", "--client-secret", "abc"],
            "--client-secret is not accepted",
        ),
        (
            "a secret as a flag",
            vec!["check", &secret_flag],
            "holds the consumer secret",
        ),
    ];
    for (label, args, says) in cases {
        refused(label, &strings(&args), &[], says);
    }
    // Not known to sfjwt, only shaped like a secret: clap's error describes it.
    let other = "DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0DEC0DED0";
    let c = Canaries::new().secret(other, "a secret-shaped value");
    for args in [
        vec!["check", "--timeout", other],
        vec!["decode", "--format", other],
        vec!["explain", "--format", other],
    ] {
        let out = common::sfjwt().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        c.assert_absent(&format!("{args:?}"), &[("stderr".into(), stderr.clone())]);
        assert!(stderr.contains("consumer secret's shape"), "{stderr}");
    }
}

// --- in the environment -----------------------------------------------------------------------

#[test]
fn a_key_or_a_token_in_a_plain_variable_is_described_never_shown() {
    let pem = pem();
    let b64 = base64_of(pem.as_bytes());
    for (var, check) in [
        ("SFJWT_USERNAME", "username.format"),
        ("SFJWT_LOGIN_URL", "login-url.host"),
        ("SFJWT_AUDIENCE", "assertion.claims"),
        ("SFJWT_CONSUMER_KEY", "consumer-key.format"),
    ] {
        for value in [
            pem.clone(),
            b64.clone(),
            jwt(),
            ACCESS_TOKEN.to_string(),
            SECRET.to_string(),
        ] {
            let label = format!("{var}=<{}…>", &value[..6]);
            for r in everywhere(
                &label,
                &strings(&["check", "fixtures/valid"]),
                &[(var, value.clone())],
            ) {
                assert_eq!(r.code, 1, "{label}: {} fails", check);
            }
        }
    }
}

#[test]
fn the_secret_and_the_passphrase_inside_other_settings_are_redacted() {
    for (var, value) in [
        ("SFJWT_USERNAME", format!("{SECRET}@acme.com")),
        (
            "SFJWT_USERNAME",
            format!("integration+{PASSPHRASE}@acme.com"),
        ),
        (
            "SFJWT_LOGIN_URL",
            format!("https://user:{SECRET}@login.salesforce.com"),
        ),
        (
            "SFJWT_LOGIN_URL",
            format!("https://login.salesforce.com/{PASSPHRASE}/x"),
        ),
        (
            "SFJWT_LOGIN_URL",
            format!("https://login.salesforce.com/?client_secret={SECRET}"),
        ),
        (
            "SFJWT_LOGIN_URL",
            format!("https://login.salesforce.com/?p={}", &PASSPHRASE[..12]),
        ),
        (
            "SFJWT_AUDIENCE",
            format!("https://login.salesforce.com/{SECRET}"),
        ),
        ("SFJWT_CONSUMER_KEY", format!("3MVG9{SECRET}")),
    ] {
        let label = format!("{var} holding a secret");
        let c = Canaries::new().secret(&PASSPHRASE[..12], "a passphrase prefix");
        for r in everywhere(
            &label,
            &strings(&["check", "fixtures/valid"]),
            &[(var, value.clone())],
        ) {
            assert!(r.code <= 1, "{label}: {}", r.stderr);
            if value.contains(&PASSPHRASE[..12]) && !value.contains(PASSPHRASE) {
                // Not a secret sfjwt knows: a prefix of one is no secret to it.
                continue;
            }
            c.assert_absent(&label, &[("stderr".into(), r.stderr)]);
        }
    }
}

#[test]
fn a_key_in_the_right_variable_is_used_and_never_shown() {
    let pem = pem();
    for value in [
        pem.clone(),
        base64_of(pem.as_bytes()),
        pem.replace('\n', "\\n"),
    ] {
        let env = [("SFJWT_PRIVATE_KEY", value)];
        let args = strings(&["check", "--cert", "fixtures/valid/server.crt"]);
        for r in everywhere("SFJWT_PRIVATE_KEY", &args, &env) {
            assert!(r.code <= 1, "{}", r.stderr);
        }
    }
}

// --- in sfjwt.toml ----------------------------------------------------------------------------

/// A bundle directory: the `valid` bundle's files, with this sfjwt.toml.
fn bundle_with(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_fixture("valid", dir.path());
    std::fs::write(dir.path().join("sfjwt.toml"), toml).unwrap();
    dir
}

#[test]
fn sfjwt_toml_that_holds_a_key_or_a_secret_never_repeats_it() {
    let pem = pem();
    let base = "consumer_key = \"3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isjNOHzGCPNEvH8fnYJ7H7VZJEBQ2vzklaUk\"\nusername = \"integration@acme.com\"\nlogin_url = \"https://login.salesforce.com\"\n";
    let cases = [
        (
            format!("{base}key = \"\"\"{pem}\"\"\"\n"),
            Some("holds a PEM private key"),
        ),
        (format!("{base}cert = '''{pem}'''\n"), Some("not a path")),
        (
            format!("{base}key = \"{}\"\n", base64_of(pem.as_bytes())),
            Some("not a path"),
        ),
        (format!("\"{SECRET}\" = 1\n{base}"), Some("consumer secret")),
        (
            format!("\"{PASSPHRASE}\" = \"x\"\n{base}"),
            Some("key passphrase"),
        ),
        (
            format!("{base}consumer_secret = \"{SECRET}\"\n"),
            Some("consumer_secret_env"),
        ),
        (
            format!("{base}key_passphrase_env = \"{PASSPHRASE}\"\n"),
            Some("key_passphrase_env"),
        ),
        (
            format!(
                "username = \"\"\"{pem}\"\"\"\nlogin_url = \"https://login.salesforce.com/?x={SECRET}\"\n"
            ),
            None,
        ),
    ];
    // A refused sfjwt.toml is the bundle's config.parse finding (exit 1, DESIGN.md): what it
    // says is in the report, in every format, and the canaries are in none of them.
    for (toml, says) in cases {
        let dir = bundle_with(&toml);
        let args = strings(&["check", &dir.path().display().to_string()]);
        for r in everywhere("sfjwt.toml", &args, &[]) {
            assert_eq!(r.code, 1, "{}", r.stderr);
            if let Some(s) = says {
                assert!(r.stdout.contains("config.parse"), "{}", r.stdout);
                assert!(r.stdout.contains(s), "{s}: {}", r.stdout);
            }
        }
    }
}

#[test]
fn a_passphrase_written_where_its_variable_name_goes_is_not_echoed() {
    // A valid variable name, but not one written the way variables are: maybe the passphrase.
    let dir = tempfile::tempdir().unwrap();
    common::copy_fixture("valid", dir.path());
    std::fs::copy("tests/data/canary.pass.key", dir.path().join("server.key")).unwrap();
    let name = "MyKeyPassphraseIsThis";
    std::fs::write(
        dir.path().join("sfjwt.toml"),
        format!("key_passphrase_env = \"{name}\"\n"),
    )
    .unwrap();
    let out = common::sfjwt()
        .args([
            "check",
            "--at",
            common::AT,
            "--format",
            "json",
            "--no-prompt",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let all = common::all_output(&out);
    assert!(!all.contains(name), "{all}");
    assert!(all.contains("key_passphrase_env"), "{all}");
}

#[test]
fn a_bundle_named_after_a_secret_is_reported_without_the_name() {
    // A directory of bundles: the inner names come from the file system, not the command line.
    let parent = tempfile::tempdir().unwrap();
    common::copy_fixture("valid", &parent.path().join(SECRET));
    common::copy_fixture("valid", &parent.path().join(format!("x{PASSPHRASE}")));
    let args = strings(&["check", &parent.path().display().to_string()]);
    for r in everywhere("bundles named after secrets", &args, &[]) {
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}

/// A bundle whose sfjwt.toml does not read keeps nothing of its file, but the secrets given by
/// the environment are still known to its report: its name (and so the config.parse finding,
/// which names the file) never shows them.
#[test]
fn a_bundle_named_after_a_secret_whose_toml_does_not_read_is_reported_without_the_name() {
    let parent = tempfile::tempdir().unwrap();
    for name in [SECRET.to_string(), format!("x{PASSPHRASE}")] {
        let dir = parent.path().join(name);
        common::copy_fixture("valid", &dir);
        std::fs::write(
            dir.join("sfjwt.toml"),
            "usrname = \"integration@acme.com\"\n",
        )
        .unwrap();
    }
    let args = strings(&["check", &parent.path().display().to_string()]);
    for r in everywhere("broken bundles named after secrets", &args, &[]) {
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stdout.contains("config.parse"), "{}", r.stdout);
    }
}

// --- what the scan itself must catch ----------------------------------------------------------

#[test]
fn the_canaries_catch_every_form_of_the_key() {
    let c = canaries();
    let pem = pem();
    let body = base64_body(&pem);
    for leak in [
        pem.clone(),
        body[100..116].to_string(),
        // Across a line break of the PEM: the lines joined.
        body[60..76].to_string(),
        base64_of(pem.as_bytes())[300..316].to_string(),
        SECRET[20..36].to_string(),
        PASSPHRASE.to_string(),
        jwt()[jwt().len() - 20..].to_string(),
        ACCESS_TOKEN[..16].to_string(),
    ] {
        assert!(c.find(&format!("text {leak} text")).is_some(), "{leak}");
    }
    assert!(c.find("an ordinary report: sha256:fe0c69733482").is_none());
}
#[test]
fn base64_of_matches_the_known_answers() {
    assert_eq!(base64_of(b""), "");
    assert_eq!(base64_of(b"f"), "Zg==");
    assert_eq!(base64_of(b"fo"), "Zm8=");
    assert_eq!(base64_of(b"foo"), "Zm9v");
    assert_eq!(base64_of(b"-----BEGIN"), "LS0tLS1CRUdJTg==");
}

#[test]
fn the_scan_finds_any_window_and_never_prints_one() {
    let c = Canaries::new()
        .secret(
            "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00",
            "the consumer secret",
        )
        .secret("hunter22", "the passphrase");
    assert!(c.find("x 00C0FFEE00C0FFEE00C0 y").is_some());
    assert!(c.find("p=hunter22").is_some());
    assert!(c.find("C0FFEE00C0FFEE0 and hunter2").is_none());
    let caught = std::panic::catch_unwind(|| {
        c.assert_absent(
            "t",
            &[("stdout".into(), "a C0FFEE00C0FFEE00C0FFEE00 b".into())],
        )
    })
    .unwrap_err();
    let message = caught.downcast_ref::<String>().unwrap();
    assert!(message.contains("the consumer secret"), "{message}");
    assert!(!message.contains("C0FFEE00C0FFEE00"), "{message}");
}

// --- what a server answers --------------------------------------------------------------------

/// Endpoints that echo what they were sent: the assertion after 280 characters of an error's
/// description (a cut at 300 would keep its first characters) and in the content type; the
/// access token and the consumer secret in introspection's and revocation's errors.
#[test]
fn answers_that_echo_the_request_are_scrubbed_before_they_are_cut() {
    let emu = emulator::Emulator::start();
    let dir = bundle_with(&format!(
        "consumer_key = \"{}\"\nusername = \"{}\"\nlogin_url = \"{}\"\n",
        emulator::CONSUMER_KEY,
        emulator::APPROVED,
        emu.origin()
    ));
    let args = strings(&[
        "check",
        "--live",
        "--retry-pause-ms",
        "0",
        &dir.path().display().to_string(),
    ]);
    let env = [(
        "SFJWT_CONSUMER_SECRET",
        emulator::CONSUMER_SECRET.to_string(),
    )];
    let made = || emu.secrets();
    emu.set_fault(emulator::Fault::JsonEcho);
    for r in everywhere_also("an echoing token endpoint", &args, &env, &made) {
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    let echoed = emu.token_requests().len();
    emu.clear_fault().set_echo_after_token(true);
    for r in everywhere_also("echoing introspection and revocation", &args, &env, &made) {
        assert!(r.code <= 1, "{}", r.stderr);
    }
    assert!(echoed > 0 && !emu.issued().is_empty() && !emu.introspections().is_empty());
    emu.set_echo_after_token(false)
        .set_userinfo(emulator::userinfo::Mode::Echo);
    for r in everywhere_also("an echoing UserInfo endpoint", &args, &env, &made) {
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    assert!(!emu.userinfo_requests().is_empty());
}
