//! `sfjwt convert` through the real binary: every source form to every target form, read back
//! by sfjwt itself (`sfjwt check --key OUT`) and by the tool the form is for (openssl, keytool)
//! when it is installed; files never written over, never an input, mode 0600; no secret in what
//! it prints.

use crate::common::{self, AT, sfjwt};

use std::path::{Path, PathBuf};
use std::process::Output;

use clap::ValueEnum;
use common::canaries::Canaries;
use sfjwt::commands::convert::Target;

/// The fixtures' key (all three sources hold it) and its certificate.
const FINGERPRINT: &str = "sha256:fe0c69733482";
const CERT: &str = "fixtures/valid/server.crt";
/// The passphrase of `fixtures/encrypted-key/server.key`.
const FIXTURE_PASSPHRASE: &str = "sfjwt-fixture-passphrase";
/// The keystores' password in these tests: a canary too.
const STORE_PASSWORD: &str = "Canary-Store-Password-93ad1c";

/// The sources: (key file, passphrase it needs).
const SOURCES: [(&str, Option<&str>); 3] = [
    ("fixtures/valid/server.key", None),
    ("fixtures/pkcs1-key/server.key", None),
    (
        "fixtures/encrypted-key/server.key",
        Some(FIXTURE_PASSPHRASE),
    ),
];

fn name(target: Target) -> String {
    target.to_possible_value().unwrap().get_name().to_string()
}

/// Every value that must never be printed: the key's PEM (the fixtures' key in both encodings),
/// the passphrases.
fn canaries() -> Canaries {
    Canaries::new()
        .key_pem(
            &std::fs::read_to_string("fixtures/valid/server.key").unwrap(),
            "the private key",
        )
        .key_pem(
            &std::fs::read_to_string("fixtures/pkcs1-key/server.key").unwrap(),
            "the PKCS#1 key",
        )
        .secret(FIXTURE_PASSPHRASE, "the key's passphrase")
        .secret(STORE_PASSWORD, "the keystore's password")
}

/// Runs `sfjwt convert --key KEY --to TARGET --out OUT` (with the certificate for a keystore),
/// the passphrase (or the store password) in `$SFJWT_KEY_PASSPHRASE`, never prompting; checks
/// that nothing secret was printed.
fn convert(key: &str, passphrase: Option<&str>, target: Target, out: &Path) -> Output {
    let mut cmd = sfjwt();
    cmd.args([
        "convert",
        "--no-prompt",
        "--key",
        key,
        "--to",
        &name(target),
        "--out",
    ])
    .arg(out);
    if target.is_keystore() {
        cmd.args(["--cert", CERT]);
    }
    if let Some(p) = passphrase.or(target.is_keystore().then_some(STORE_PASSWORD)) {
        cmd.env("SFJWT_KEY_PASSPHRASE", p);
    }
    let output = cmd.timeout(common::PATIENCE).output().unwrap();
    let label = format!("convert {key} --to {}", name(target));
    canaries().assert_absent(
        &label,
        &[
            (
                "stdout".into(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
            ),
            (
                "stderr".into(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            ),
        ],
    );
    output
}

fn installed(tool: &str) -> bool {
    let found = std::process::Command::new("which")
        .arg(tool)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIPPED: {tool} is not installed; the read-back by {tool} did not run");
    }
    found
}

/// Runs a consuming tool; it must succeed. Returns its standard output and error.
fn tool(program: &str, args: &[&str], stdin: Option<Vec<u8>>) -> String {
    let mut cmd = assert_cmd::Command::new(program);
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.timeout(common::PATIENCE).output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        common::all_output(&out)
    );
    common::all_output(&out)
}

/// The key as PEM for openssl: the file as it is, or its decoding for base64 and escaped.
fn as_openssl_reads_it(target: Target, out: &Path) -> (Vec<&'static str>, Option<Vec<u8>>) {
    let bytes = std::fs::read(out).unwrap();
    match target {
        Target::Base64 => {
            use base64::Engine;
            let pem = base64::engine::general_purpose::STANDARD
                .decode(&bytes)
                .unwrap();
            (vec![], Some(pem))
        }
        Target::Escaped => {
            let text = String::from_utf8(bytes).unwrap().replace("\\n", "\n");
            (vec![], Some(text.into_bytes()))
        }
        Target::Der => (vec!["-inform", "DER"], None),
        _ => (vec![], None),
    }
}

/// Reads `out` back with the tool its form is for (a keystore with `password`).
fn read_back_by_its_tool(target: Target, out: &Path, password: &str) {
    let path = out.to_str().unwrap();
    let pass = format!("pass:{password}");
    match target {
        Target::Pkcs12 => {
            if installed("openssl") {
                let info = tool(
                    "openssl",
                    &["pkcs12", "-in", path, "-info", "-noout", "-passin", &pass],
                    None,
                );
                assert!(info.contains("MAC: sha256"), "{info}");
                assert!(info.contains("AES-256-CBC"), "{info}");
            }
            if installed("keytool") {
                let list = tool(
                    "keytool",
                    &["-list", "-keystore", path, "-storepass", password],
                    None,
                );
                assert!(
                    list.contains("sfjwt, ") && list.contains("PrivateKeyEntry"),
                    "{list}"
                );
            }
        }
        Target::Jks => {
            if installed("keytool") {
                let list = tool(
                    "keytool",
                    &["-list", "-v", "-keystore", path, "-storepass", password],
                    None,
                );
                assert!(list.contains("Keystore type: JKS"), "{list}");
                assert!(list.contains("Alias name: sfjwt"), "{list}");
                assert!(list.contains("Entry type: PrivateKeyEntry"), "{list}");
            }
        }
        _ => {
            if installed("openssl") {
                let (mut args, stdin) = as_openssl_reads_it(target, out);
                args.extend(["-noout", "-check"]);
                if stdin.is_none() {
                    args.extend(["-in", path]);
                }
                let said = tool("openssl", &[&["pkey"], args.as_slice()].concat(), stdin);
                assert!(said.contains("valid"), "{said}");
            }
        }
    }
}

#[test]
fn every_source_converts_to_every_form_and_reads_back_as_the_same_key() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (key, passphrase)) in SOURCES.iter().enumerate() {
        for &target in Target::value_variants() {
            let out = dir.path().join(format!("{i}.{}", name(target)));
            let ran = convert(key, *passphrase, target, &out);
            let said = common::all_output(&ran);
            assert_eq!(
                ran.status.code(),
                Some(0),
                "{key} --to {}: {said}",
                name(target)
            );
            assert!(said.contains(&format!("key {FINGERPRINT}")), "{said}");
            assert!(said.contains("; read back: same key"), "{said}");
            assert_eq!(
                passphrase.is_some() && !target.is_keystore(),
                said.contains("is not:"),
                "{said}"
            );
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
                assert_eq!(mode, 0o600, "{}", out.display());
            }
            // A keystore's password is the key's passphrase when the key had one.
            read_back_by_its_tool(target, &out, passphrase.unwrap_or(STORE_PASSWORD));
        }
    }
    // Only the new files are left: no temporary file.
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        SOURCES.len() * Target::value_variants().len()
    );
}

#[test]
fn sfjwt_check_reads_every_key_form_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    // The keystores are read back by p12-keystore and sfjwt's JKS reader inside convert (above);
    // `check --key` takes the key forms.
    for &target in Target::value_variants().iter().filter(|t| !t.is_keystore()) {
        let out = dir.path().join(name(target));
        assert_eq!(
            convert(SOURCES[2].0, SOURCES[2].1, target, &out)
                .status
                .code(),
            Some(0)
        );
        let (_, report) = common::check_json(&["--key", out.to_str().unwrap(), "--cert", CERT]);
        let parse = common::finding(&report, "key.parse");
        assert_eq!(parse["status"], "pass", "{}: {parse}", name(target));
        assert_eq!(parse["evidence"]["fingerprint"], FINGERPRINT);
        assert_eq!(parse["evidence"]["encrypted"], false);
        assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
    }
}

#[test]
fn the_forms_are_what_their_tools_expect() {
    let dir = tempfile::tempdir().unwrap();
    let text = |target: Target| {
        let out = dir.path().join(name(target));
        assert_eq!(
            convert(SOURCES[0].0, None, target, &out).status.code(),
            Some(0)
        );
        std::fs::read(&out).unwrap()
    };
    let pkcs8 = String::from_utf8(text(Target::Pkcs8)).unwrap();
    assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let pkcs1 = String::from_utf8(text(Target::Pkcs1)).unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    // escaped: one line, no line break at its end either, the PEM when \n is read as one.
    let escaped = String::from_utf8(text(Target::Escaped)).unwrap();
    assert!(!escaped.contains('\n'));
    assert_eq!(escaped.replace("\\n", "\n"), pkcs8);
    // base64: base64 -w0 of the PKCS#8 PEM file.
    let b64 = text(Target::Base64);
    if installed("base64") {
        let out = assert_cmd::Command::new("base64")
            .arg("-w0")
            .write_stdin(pkcs8.clone())
            .output()
            .unwrap();
        assert_eq!(out.stdout, b64);
    }
    let der = text(Target::Der);
    assert_eq!(der[0], 0x30);
}

/// Runs convert with the valid key and `args`, and returns (exit code, all output).
fn convert_with(args: &[&str], passphrase: Option<&str>) -> (i32, String) {
    let mut cmd = sfjwt();
    cmd.args(["convert", "--no-prompt"]).args(args);
    if let Some(p) = passphrase {
        cmd.env("SFJWT_KEY_PASSPHRASE", p);
    }
    let out = cmd.timeout(common::PATIENCE).output().unwrap();
    let said = common::all_output(&out);
    canaries().assert_absent("convert", &[("output".into(), said.clone())]);
    (out.status.code().unwrap(), said)
}

#[test]
fn an_existing_out_is_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("server.p12");
    std::fs::write(&out, "precious").unwrap();
    for target in Target::value_variants() {
        let (code, said) = convert_with(
            &[
                "--key",
                SOURCES[0].0,
                "--cert",
                CERT,
                "--to",
                &name(*target),
                "--out",
                out.to_str().unwrap(),
            ],
            Some(STORE_PASSWORD),
        );
        assert_eq!(code, 2, "{said}");
        assert!(
            said.contains("already exists: sfjwt convert never writes over a file"),
            "{said}"
        );
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn an_input_is_never_the_out() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("server.key");
    std::fs::copy(SOURCES[0].0, &key).unwrap();
    let before = std::fs::read(&key).unwrap();
    let key = key.to_str().unwrap();
    let (code, said) = convert_with(&["--key", key, "--to", "pkcs8", "--out", key], None);
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("an input of this run"), "{said}");
    let (code, said) = convert_with(
        &["--key", key, "--cert", CERT, "--to", "pkcs8", "--out", CERT],
        None,
    );
    assert_eq!(code, 2, "{said}");
    assert_eq!(std::fs::read(key).unwrap(), before);
}

#[test]
fn a_certificate_of_another_key_is_refused_naming_both_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jks");
    let (code, said) = convert_with(
        &[
            "--key",
            "fixtures/key-mismatch/server.key",
            "--cert",
            CERT,
            "--to",
            "jks",
            "--out",
            out.to_str().unwrap(),
        ],
        Some(STORE_PASSWORD),
    );
    assert_eq!(code, 2, "{said}");
    assert!(said.contains("is not the key's certificate"), "{said}");
    assert!(
        said.contains(FINGERPRINT) && said.contains("sha256:fa5b356ea43b"),
        "{said}"
    );
    assert!(!out.exists());
}

#[test]
fn a_keystore_needs_a_certificate_and_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.p12");
    let out = out.to_str().unwrap();
    for target in ["pkcs12", "jks"] {
        let (code, said) = convert_with(
            &["--key", SOURCES[0].0, "--to", target, "--out", out],
            Some(STORE_PASSWORD),
        );
        assert_eq!(code, 2, "{said}");
        assert!(said.contains("needs --cert PATH"), "{said}");
        let (code, said) = convert_with(
            &[
                "--key",
                SOURCES[0].0,
                "--cert",
                CERT,
                "--to",
                target,
                "--out",
                out,
            ],
            None,
        );
        assert_eq!(code, 2, "{said}");
        assert!(
            said.contains("needs a password for the keystore: set $SFJWT_KEY_PASSPHRASE"),
            "{said}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_key_that_cannot_be_used_is_exit_1_with_key_parse_s_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pem");
    let out = out.to_str().unwrap();
    let cases: [(&str, Option<&str>, &str); 4] = [
        ("fixtures/encrypted-key/server.key", None, "passphrase"),
        (
            "fixtures/encrypted-key/server.key",
            Some("Wrong-Canary-Passphrase"),
            "passphrase",
        ),
        ("fixtures/ec-key/server.key", None, "EC"),
        ("fixtures/key-is-cert/server.key", None, "certificate"),
    ];
    for (key, passphrase, says) in cases {
        let (code, said) = convert_with(&["--key", key, "--to", "pkcs8", "--out", out], passphrase);
        assert_eq!(code, 1, "{key}: {said}");
        assert!(
            said.contains(says) && said.contains("fix:"),
            "{key}: {said}"
        );
        assert!(!said.contains("Wrong-Canary-Passphrase"), "{said}");
    }
    let (code, said) = convert_with(
        &[
            "--key",
            "fixtures/no-such-key",
            "--to",
            "pkcs8",
            "--out",
            out,
        ],
        None,
    );
    assert_eq!(code, 2, "{said}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_key_from_standard_input_and_the_passphrase_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("pass");
    std::fs::write(&pass, format!("{FIXTURE_PASSPHRASE}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = dir.path().join("server.p12");
    let ran = sfjwt()
        .args([
            "convert",
            "--no-prompt",
            "--key",
            "-",
            "--cert",
            CERT,
            "--to",
            "pkcs12",
            "--out",
        ])
        .arg(&out)
        .arg("--key-passphrase-file")
        .arg(&pass)
        .args(["--key-alias", "salesforce"])
        .write_stdin(std::fs::read("fixtures/encrypted-key/server.key").unwrap())
        .timeout(common::PATIENCE)
        .output()
        .unwrap();
    let said = common::all_output(&ran);
    assert_eq!(ran.status.code(), Some(0), "{said}");
    assert!(
        said.contains("alias salesforce") && said.contains(&format!("{}", pass.display())),
        "{said}"
    );
    canaries().assert_absent("stdin", &[("output".into(), said)]);
    if installed("openssl") {
        let p = format!("pass:{FIXTURE_PASSPHRASE}");
        tool(
            "openssl",
            &[
                "pkcs12",
                "-in",
                out.to_str().unwrap(),
                "-info",
                "-noout",
                "-passin",
                &p,
            ],
            None,
        );
    }
}

#[test]
fn convert_help_and_completions_know_the_command() {
    let help = sfjwt().args(["convert", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for target in Target::value_variants() {
        assert!(help.contains(&name(*target)), "{help}");
    }
    assert!(
        help.contains("Exit codes: 0 written and read back"),
        "{help}"
    );
    let bash = sfjwt().args(["completions", "bash"]).output().unwrap();
    assert!(String::from_utf8_lossy(&bash.stdout).contains("convert"));
    let man = sfjwt().args(["man", "convert"]).output().unwrap();
    assert!(
        man.status.success() && String::from_utf8_lossy(&man.stdout).contains("sfjwt\\-convert")
    );
    let _ = (AT, PathBuf::new());
}

/// What openssl and keytool say of the keystores, committed: a machine without them skips
/// loudly, and the expected words stay in review.
#[test]
fn what_openssl_and_keytool_say_of_the_keystores() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = dir.path().join("server.p12");
    let jks = dir.path().join("server.jks");
    assert_eq!(
        convert(SOURCES[0].0, None, Target::Pkcs12, &p12)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        convert(SOURCES[0].0, None, Target::Jks, &jks).status.code(),
        Some(0)
    );
    let pass = format!("pass:{STORE_PASSWORD}");
    if installed("openssl") {
        let info = tool(
            "openssl",
            &[
                "pkcs12",
                "-in",
                p12.to_str().unwrap(),
                "-info",
                "-noout",
                "-passin",
                &pass,
            ],
            None,
        );
        insta::assert_snapshot!("openssl_pkcs12_info", info);
    }
    if installed("keytool") {
        let list = tool(
            "keytool",
            &[
                "-list",
                "-v",
                "-keystore",
                jks.to_str().unwrap(),
                "-storepass",
                STORE_PASSWORD,
            ],
            None,
        );
        let list = list.replace(dir.path().to_str().unwrap(), "DIR");
        let list: Vec<&str> = list
            .lines()
            .filter(|l| !l.starts_with("Creation date:"))
            .collect();
        insta::assert_snapshot!("keytool_list_jks", list.join("\n"));
    }
}

/// A keystore as the key (fixtures/keystores, made by openssl and keytool): its entry is
/// converted with the entry's own certificate; with several entries `--key-alias` chooses the
/// one read, and names the entry written.
#[test]
fn a_keystore_converts_with_its_entry_and_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |key: &str, extra: &[&str], out: &str| {
        sfjwt()
            .env("SFJWT_KEY_PASSPHRASE", "changeit-sfjwt")
            .args(["convert", "--key"])
            .arg(root.join("fixtures/keystores").join(key))
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap()
    };
    let out = run("openssl-default.p12", &["--to", "pkcs8"], "a.pem");
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(FINGERPRINT), "{said}");
    let out = run("keytool-import.jks", &["--to", "pkcs12"], "b.p12");
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("read back: same key and certificate"),
        "the entry's certificate went into the new keystore"
    );

    let out = run("two-keys.p12", &["--to", "jks"], "c.jks");
    assert_eq!(out.status.code(), Some(1));
    assert!(common::all_output(&out).contains("sfjwt, other"));
    assert!(!dir.path().join("c.jks").exists());
    let out = run(
        "two-keys.p12",
        &["--to", "jks", "--key-alias", "other"],
        "c.jks",
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::all_output(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("JKS keystore, alias other"));
    // Read back by sfjwt check: the entry's certificate serves and matches.
    let out = sfjwt()
        .env("SFJWT_KEY_PASSPHRASE", "changeit-sfjwt")
        .args(["check", "--at", AT, "--format", "json", "--key"])
        .arg(dir.path().join("c.jks"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::status_of(&report, "key.parse"), "pass");
    assert_eq!(common::status_of(&report, "cert.matches-key"), "pass");
    assert!(!common::all_output(&out).contains("changeit-sfjwt"));
}

/// A JKS entry whose key has a password of its own (`keytool -keypass`) converts with
/// `--key-password-file` (or `$SFJWT_KEY_PASSWORD`), and neither password is printed; without
/// it the key's password is asked for by name.
#[test]
fn a_jks_key_with_its_own_password_converts_with_key_password_file() {
    const STORE: &str = "changeit-sfjwt";
    const KEY_PASS: &str = "other-key-pass";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keypass");
    std::fs::write(&file, format!("{KEY_PASS}\n")).unwrap();
    let out = dir.path().join("server.key");
    let run = |extra: &[&str], env: Option<&str>| {
        let mut cmd = sfjwt();
        cmd.env("SFJWT_KEY_PASSPHRASE", STORE)
            .args([
                "convert",
                "--no-prompt",
                "--key",
                "fixtures/keystores/key-password.jks",
            ])
            .args(["--to", "pkcs8", "--out"])
            .arg(&out)
            .args(extra);
        if let Some(p) = env {
            cmd.env("SFJWT_KEY_PASSWORD", p);
        }
        let o = cmd.timeout(common::PATIENCE).output().unwrap();
        let said = common::all_output(&o);
        assert!(!said.contains(KEY_PASS) && !said.contains(STORE), "{said}");
        (o.status.code().unwrap(), said)
    };
    let (code, said) = run(&[], None);
    assert_eq!(code, 1, "{said}");
    assert!(!out.exists(), "nothing written");
    let (code, said) = run(&["--key-password-file", file.to_str().unwrap()], None);
    assert_eq!(code, 0, "{said}");
    let pem = std::fs::read_to_string(&out).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    std::fs::remove_file(&out).unwrap();
    let (code, said) = run(&[], Some(KEY_PASS));
    assert_eq!(code, 0, "{said}");
}
