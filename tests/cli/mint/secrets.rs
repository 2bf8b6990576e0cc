//! `sfjwt mint`'s secrets: the key, the passphrase and the consumer secret show in no output,
//! whichever way they are given (`$SFJWT_PRIVATE_KEY`, sfjwt.toml's `key_passphrase_env`,
//! `--env-file`, `--consumer-secret-file`); standard output holds the token and nothing else.

use crate::common::canaries::Canaries;
use crate::common::{AT, IDENTITY_FLAGS, sfjwt};

const PASSPHRASE: &str = "sfjwt-fixture-passphrase";
const SECRET: &str = "F1E2D3C4B5A6978812345678ABCDEF0011223344556677889900AABBCCDDEEFF";

fn canaries() -> Canaries {
    Canaries::new()
        .key_pem(
            &std::fs::read_to_string("fixtures/valid/server.key").unwrap(),
            "the private key",
        )
        .secret(PASSPHRASE, "the passphrase")
        .secret(SECRET, "the consumer secret")
}

/// Runs `sfjwt mint --at AT ARGS` in ENV; asserts exit 0, stdout one JWT line, no canary in
/// either stream; returns stderr.
fn mints_quietly(label: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = sfjwt();
    cmd.args(["mint", "--at", AT]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("sfjwt runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    canaries().assert_absent(
        label,
        &[
            ("stdout".into(), stdout.clone()),
            ("stderr".into(), stderr.clone()),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{label}: {stderr}");
    let token = stdout.strip_suffix('\n').expect("one line");
    assert!(
        !token.contains(['\n', ' ']),
        "{label}: stdout is the token alone"
    );
    assert_eq!(token.split('.').count(), 3, "{label}");
    assert!(!stderr.contains(token), "{label}");
    stderr
}

#[test]
fn a_key_in_its_variable_and_a_consumer_secret_file_show_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let key = std::fs::read_to_string("fixtures/valid/server.key").unwrap();
    let mut args = vec!["--consumer-secret-file", secret.to_str().unwrap()];
    args.extend(IDENTITY_FLAGS);
    mints_quietly("env key", &args, &[("SFJWT_PRIVATE_KEY", &key)]);
}

#[test]
fn the_passphrase_variable_sfjwt_toml_names_decrypts_the_key() {
    let stderr = mints_quietly(
        "key_passphrase_env",
        &["fixtures/encrypted-key"],
        &[("SFJWT_FIXTURE_PASSPHRASE", PASSPHRASE)],
    );
    assert!(stderr.contains("credential until its exp, 2026-11-29T13:03:00Z"));
}

#[test]
fn an_env_file_gives_the_identity_and_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(
        &env,
        format!(
            "SFJWT_CONSUMER_KEY={}\nSFJWT_USERNAME=envfile@acme.com\n\
             SFJWT_LOGIN_URL=https://test.salesforce.com\nSFJWT_KEY_PASSPHRASE={PASSPHRASE}\n",
            IDENTITY_FLAGS[1]
        ),
    )
    .unwrap();
    let stderr = mints_quietly(
        "env file",
        &[
            "--env-file",
            env.to_str().unwrap(),
            "--key",
            "fixtures/encrypted-key/server.key",
            "--no-prompt",
        ],
        &[],
    );
    assert!(stderr.contains("log in as envfile@acme.com"), "{stderr}");
    assert!(stderr.contains("https://test.salesforce.com/services/oauth2/token"));
}
