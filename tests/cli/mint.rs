//! `sfjwt mint`: the assertion alone on standard output, the warning and the curl recipe on
//! standard error, verified by sfjwt decode, by ring and by openssl.

mod endpoints;
mod secrets;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::common::{AT, IDENTITY_FLAGS, all_output, sfjwt};

/// `--at AT` in seconds since the epoch.
const AT_SECS: i64 = 1_795_957_200;
const CONSUMER_KEY: &str = IDENTITY_FLAGS[1];

/// Runs `sfjwt mint --at AT ARGS...`: (exit code, stdout, stderr).
fn mint(args: &[&str]) -> (i32, String, String) {
    let out = sfjwt()
        .args(["mint", "--at", AT])
        .args(args)
        .output()
        .expect("sfjwt runs");
    (
        out.status.code().expect("sfjwt exited"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// The token on standard output: exactly one line, and nothing else.
fn token_of(stdout: &str) -> &str {
    let token = stdout
        .strip_suffix('\n')
        .expect("stdout ends with a newline");
    assert!(!token.contains('\n'), "stdout is one line: {stdout:?}");
    assert_eq!(token.split('.').count(), 3, "a JWS compact token: {token}");
    token
}

fn part(token: &str, i: usize) -> serde_json::Value {
    let bytes = URL_SAFE_NO_PAD
        .decode(token.split('.').nth(i).unwrap())
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

fn signature(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(token.rsplit('.').next().unwrap())
        .expect("base64url signature")
}

fn signed_part(token: &str) -> &str {
    &token[..token.rfind('.').unwrap()]
}

#[test]
fn a_bundle_mints_one_line_with_the_documented_header_and_claims() {
    let (code, stdout, stderr) = mint(&["fixtures/valid"]);
    assert_eq!(code, 0, "{stderr}");
    let token = token_of(&stdout);
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
        br#"{"alg":"RS256"}"#
    );
    let claims = part(token, 1);
    assert_eq!(
        claims,
        serde_json::json!({
            "iss": CONSUMER_KEY,
            "sub": "integration@acme.com",
            "aud": "https://login.salesforce.com",
            "exp": AT_SECS + 180,
        })
    );
    assert!(stderr.contains("credential until its exp, 2026-11-29T13:03:00Z"));
    assert!(stderr.contains(
        "curl -sS https://login.salesforce.com/services/oauth2/token -d \
         grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer --data-urlencode \
         \"assertion=$ASSERTION\""
    ));
    assert!(!stderr.contains(token), "the token is on stdout only");
    assert!(!stderr.contains(signed_part(token).split('.').nth(1).unwrap()));
    assert!(!stderr.contains("longer than the 3 minutes"));
}

#[test]
fn the_standard_error_is_the_warning_and_the_recipe() {
    let (code, _, stderr) = mint(&["fixtures/valid"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(stderr);
}

#[test]
fn sfjwt_decode_verifies_the_minted_assertion_with_the_certificate() {
    let (_, stdout, _) = mint(&["fixtures/valid"]);
    let out = sfjwt()
        .args([
            "decode",
            "--cert",
            "fixtures/valid/server.crt",
            "--at",
            AT,
            "--format",
            "json",
        ])
        .write_stdin(stdout.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let signature = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "assertion.signature")
        .expect("a signature finding");
    assert_eq!(signature["status"], "pass", "{signature:#}");
    assert!(!all_output(&out).contains(token_of(&stdout)));
}

#[test]
fn ring_verifies_the_signature_with_the_certificate_public_key() {
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    let (_, stdout, _) = mint(&["fixtures/valid"]);
    let token = token_of(&stdout);
    let pem = std::fs::read("fixtures/valid/server.crt").unwrap();
    let (_, pem) = x509_parser::pem::parse_x509_pem(&pem).expect("a PEM certificate");
    let cert = pem.parse_x509().expect("an X.509 certificate");
    // The SPKI's BIT STRING is the PKCS#1 RSAPublicKey ring takes.
    let public_key = cert.public_key().subject_public_key.data.to_vec();
    let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key);
    key.verify(signed_part(token).as_bytes(), &signature(token))
        .expect("the signature verifies");
    let mut tampered = signed_part(token).as_bytes().to_vec();
    tampered[0] ^= 1;
    assert!(key.verify(&tampered, &signature(token)).is_err());
}

#[test]
fn openssl_verifies_the_signature_with_the_certificate_public_key() {
    let (_, stdout, _) = mint(&["fixtures/valid"]);
    let token = token_of(&stdout);
    let dir = tempfile::tempdir().unwrap();
    let pubkey = dir.path().join("pubkey.pem");
    let status = std::process::Command::new("openssl")
        .args([
            "x509",
            "-in",
            "fixtures/valid/server.crt",
            "-pubkey",
            "-noout",
            "-out",
        ])
        .arg(&pubkey)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("openssl runs");
    assert!(status.success());
    std::fs::write(dir.path().join("sig.bin"), signature(token)).unwrap();
    std::fs::write(dir.path().join("data"), signed_part(token)).unwrap();
    let out = std::process::Command::new("openssl")
        .args([
            "dgst",
            "-sha256",
            "-verify",
            "pubkey.pem",
            "-signature",
            "sig.bin",
            "data",
        ])
        .current_dir(dir.path())
        .output()
        .expect("openssl runs");
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Verified OK");
}

#[test]
fn a_long_lifetime_sets_exp_and_warns_why_it_matters() {
    let (code, stdout, stderr) = mint(&["fixtures/valid", "--lifetime", "1h"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(part(token_of(&stdout), 1)["exp"], AT_SECS + 3600);
    assert!(stderr.contains("until its exp, 2026-11-29T14:00:00Z (1 hour from"));
    assert!(stderr.contains("longer than the 3 minutes Salesforce documents"));
    assert!(stderr.contains("replayed until its exp"));
}

#[test]
fn bad_lifetimes_stop_the_run_with_the_reason() {
    for (lifetime, says) in [
        ("0", "0 seconds"),
        ("abc", "not a duration"),
        ("8d", "at most 7d"),
        ("-5m", "negative"),
    ] {
        let (code, stdout, stderr) = mint(&["fixtures/valid", &format!("--lifetime={lifetime}")]);
        assert_eq!(code, 2, "{lifetime}: {stderr}");
        assert!(stdout.is_empty(), "{lifetime}");
        assert!(stderr.contains(says), "{lifetime}: {stderr}");
    }
}

#[test]
fn flags_alone_mint_and_a_certificate_is_checked_against_the_key() {
    let mut args = vec![
        "--key",
        "fixtures/valid/server.key",
        "--cert",
        "fixtures/valid/server.crt",
    ];
    args.extend(IDENTITY_FLAGS);
    let (code, stdout, stderr) = mint(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(part(token_of(&stdout), 1)["sub"], "integration@acme.com");
    assert!(!stderr.contains("no certificate was given"));
}

#[test]
fn a_certificate_that_is_not_the_keys_refuses() {
    let (code, stdout, stderr) = mint(&["fixtures/key-mismatch"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("the certificate was not made from this private key"));
    assert!(stderr.contains("invalid assertion"));
}

#[test]
fn a_missing_consumer_key_or_username_is_named_with_where_it_comes_from() {
    let (code, stdout, stderr) = mint(&[
        "--key",
        "fixtures/valid/server.key",
        "--username",
        "a@acme.com",
        "--login-url",
        "https://login.salesforce.com",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("no consumer key"), "{stderr}");
    assert!(stderr.contains("--consumer-key") && stderr.contains("$SFJWT_CONSUMER_KEY"));
    let (code, stdout, stderr) = mint(&[
        "--key",
        "fixtures/valid/server.key",
        "--consumer-key",
        CONSUMER_KEY,
        "--login-url",
        "https://login.salesforce.com",
    ]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("no username"), "{stderr}");
    assert!(stderr.contains("--username") && stderr.contains("$SFJWT_USERNAME"));
}

#[test]
fn a_missing_login_url_or_key_refuses() {
    let (code, _, stderr) = mint(&[
        "--key",
        "fixtures/valid/server.key",
        "--consumer-key",
        CONSUMER_KEY,
        "--username",
        "a@acme.com",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no login URL or audience"), "{stderr}");
    let (code, _, stderr) = mint(&IDENTITY_FLAGS);
    assert_eq!(code, 2);
    assert!(stderr.contains("no private key was given"), "{stderr}");
}

#[test]
fn an_encrypted_key_with_its_passphrase_from_the_environment_mints() {
    const PASSPHRASE: &str = "sfjwt-fixture-passphrase";
    let out = sfjwt()
        .args([
            "mint",
            "--at",
            AT,
            "--key",
            "fixtures/encrypted-key/server.key",
        ])
        .args(IDENTITY_FLAGS)
        .env("SFJWT_KEY_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(part(token_of(&stdout), 1)["exp"], AT_SECS + 180);
    assert!(!all_output(&out).contains(PASSPHRASE));
    // Without it: exit 2, and the passphrase variable is named.
    let out = sfjwt()
        .args([
            "mint",
            "--at",
            AT,
            "--no-prompt",
            "--key",
            "fixtures/encrypted-key/server.key",
        ])
        .args(IDENTITY_FLAGS)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        all_output(&out).contains("SFJWT_KEY_PASSPHRASE"),
        "{}",
        all_output(&out)
    );
}

#[test]
fn two_bundles_stop_the_run() {
    let (code, stdout, stderr) = mint(&["fixtures/valid", "fixtures/der"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.contains("2 bundles were given"), "{stderr}");
}

/// mint lints its own assertion's iss, sub and aud: a value Salesforce would refuse prints
/// nothing (exit 2) and is never repeated when it is a secret; one worth a look is a warning on
/// standard error beside a printed assertion.
#[test]
fn the_minted_assertion_is_linted_and_a_refused_claim_prints_nothing() {
    let (code, out, err) = mint(&["fixtures/secret-as-consumer-key"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "nothing on standard output: {out}");
    assert!(err.contains("its iss.format would be refused"), "{err}");
    let toml = std::fs::read_to_string("fixtures/secret-as-consumer-key/sfjwt.toml").unwrap();
    let secret = toml
        .lines()
        .find_map(|l| l.strip_prefix("consumer_key = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("the fixture's consumer_key");
    assert!(!err.contains(secret), "the secret is never repeated: {err}");

    let (code, out, err) = mint(&["fixtures/url-encoded-username"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("its sub.format would be refused"), "{err}");

    let (code, out, err) = mint(&["fixtures/short-consumer-key"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "the assertion is printed");
    assert!(
        err.contains("sfjwt: warning: the assertion's iss.format"),
        "{err}"
    );

    let (code, _, err) = mint(&["fixtures/valid"]);
    assert_eq!(code, 0);
    assert!(
        !err.contains("the assertion's"),
        "a clean assertion has no lint line: {err}"
    );
}
