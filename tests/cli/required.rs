//! The key and the certificate are not optional (DESIGN.md, statuses): a bundle directory without
//! them fails its parse check and names what it holds instead; flags alone without them warn and
//! say which checks did not run. And every fix names the files that were read, as seen from
//! where sfjwt was run. The key and certificate are fixtures/valid's, made by the setup guide's
//! OpenSSL commands (fixtures/make.sh).

use std::path::Path;

use crate::common::{AT, IDENTITY_FLAGS, finding, sfjwt, status_of};

const VALID: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/valid");

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(Path::new(VALID).join(from), to).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// `sfjwt check --format json ARGS` run in `cwd`: (exit code, report).
fn check_in(cwd: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = sfjwt()
        .current_dir(cwd)
        .args(["check", "--at", AT, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

fn message<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    finding(report, id)["message"].as_str().unwrap()
}

fn fix<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    finding(report, id)["fix"].as_str().unwrap_or("")
}

#[test]
fn a_bundle_with_only_sfjwt_toml_fails_even_without_fail_on_warning() {
    let tmp = tempfile::tempdir().unwrap();
    copy("sfjwt.toml", &tmp.path().join("b/sfjwt.toml"));
    let (code, report) = check_in(tmp.path(), &["b"]);
    assert_eq!(code, 1);
    assert_eq!(report["bundles"][0]["verdict"], "fail");
    assert_eq!(status_of(&report, "key.parse"), "fail");
    assert_eq!(status_of(&report, "cert.parse"), "fail");
    assert_eq!(
        message(&report, "key.parse"),
        "no private key in b: there is no server.key; it holds no file that looks like a private key"
    );
    let key_fix = fix(&report, "key.parse");
    assert!(key_fix.starts_with("Put the private key made in setup step 1 at b/server.key (or name its file in b/sfjwt.toml: `key = \"FILE\"`"), "{key_fix}");
    assert!(key_fix.contains("-out b/server.key`"), "{key_fix}");
    for id in ["key.strength", "cert.matches-key", "assertion.claims"] {
        assert_eq!(status_of(&report, id), "skip", "{id}");
    }
    assert_eq!(
        message(&report, "key.strength"),
        "there is no private key (see key.parse)"
    );
}

#[test]
fn a_key_without_its_certificate_fails_the_certificate_and_says_how_to_make_it_from_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    copy("sfjwt.toml", &tmp.path().join("key-only/sfjwt.toml"));
    copy("server.key", &tmp.path().join("key-only/server.key"));
    for extra in [&[][..], &["--fail-on", "warning"][..]] {
        let mut args = vec!["key-only"];
        args.extend_from_slice(extra);
        let (code, report) = check_in(tmp.path(), &args);
        assert_eq!(code, 1, "{extra:?}");
        assert_eq!(status_of(&report, "key.parse"), "pass");
        assert_eq!(status_of(&report, "cert.parse"), "fail");
        let f = fix(&report, "cert.parse");
        assert!(
            f.contains("`openssl req -new -key key-only/server.key -out key-only/server.csr`"),
            "{f}"
        );
        assert!(f.contains("-out key-only/server.crt`"), "{f}");
    }
}

#[test]
fn a_key_and_certificate_under_other_names_are_named_with_the_setting_that_would_use_them() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("b");
    copy("sfjwt.toml", &b.join("sfjwt.toml"));
    copy("server.key", &b.join("private.pem"));
    copy("server.crt", &b.join("cert.pem"));
    let (code, report) = check_in(tmp.path(), &["b"]);
    assert_eq!(code, 1);
    assert_eq!(
        message(&report, "key.parse"),
        "no private key in b: there is no server.key; it holds private.pem (a PEM private key)"
    );
    assert_eq!(
        fix(&report, "key.parse"),
        "If private.pem is the private key made in setup step 1, name it in b/sfjwt.toml: `key = \"private.pem\"`; or rename it: `mv b/private.pem b/server.key`."
    );
    assert_eq!(
        message(&report, "cert.parse"),
        "no certificate in b: there is no server.crt; it holds cert.pem (a PEM certificate)"
    );
    assert_eq!(
        finding(&report, "cert.parse")["evidence"]["candidates"][0]["file"],
        "cert.pem"
    );

    // The fix, applied, makes the bundle pass.
    let toml = std::fs::read_to_string(b.join("sfjwt.toml")).unwrap();
    std::fs::write(
        b.join("sfjwt.toml"),
        format!("key = \"private.pem\"\ncert = \"cert.pem\"\n{toml}"),
    )
    .unwrap();
    let (code, report) = check_in(tmp.path(), &["b"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        message(&report, "key.parse"),
        "reads as a 2048-bit RSA private key (PKCS#8 PEM) from b/private.pem, fingerprint sha256:fe0c69733482"
    );
}

#[test]
fn a_file_named_by_the_toml_but_absent_says_which_setting_named_it() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("b");
    copy("server.crt", &b.join("server.crt"));
    copy("server.key", &b.join("id_rsa"));
    std::fs::write(b.join("sfjwt.toml"), "key = \"keys/app.key\"\n").unwrap();
    let (code, report) = check_in(tmp.path(), &["b"]);
    assert_eq!(code, 1);
    assert_eq!(
        message(&report, "key.parse"),
        "no private key in b: keys/app.key, which key = in b/sfjwt.toml names, is not there; it holds id_rsa (a PEM private key)"
    );
    assert!(fix(&report, "key.parse").contains("`key = \"id_rsa\"`"));
}

#[test]
fn a_keystore_in_the_bundle_is_named_with_the_setting_that_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("b");
    copy("sfjwt.toml", &b.join("sfjwt.toml"));
    // Only the name makes it a keystore here; what sfjwt says about it does not read it.
    std::fs::write(b.join("my-app.pfx"), [0x30, 0x82, 0x01]).unwrap();
    std::fs::write(b.join("app.jks"), [0xfe, 0xed, 0xfe, 0xed]).unwrap();
    let (_, report) = check_in(tmp.path(), &["b"]);
    // Both are named; the fix takes the PKCS#12 file, which sfjwt reads once it is named.
    assert!(
        message(&report, "key.parse").ends_with(
            "it holds app.jks (a Java KeyStore) and my-app.pfx (a PKCS#12 keystore, which holds a key and its certificate)"
        ),
        "{}",
        message(&report, "key.parse")
    );
    assert!(
        fix(&report, "key.parse").contains("`key = \"my-app.pfx\"` in b/sfjwt.toml"),
        "{}",
        fix(&report, "key.parse")
    );
    assert!(
        fix(&report, "cert.parse")
            .contains("`openssl pkcs12 -in b/my-app.pfx -clcerts -nokeys -out b/server.crt`")
    );
}

#[test]
fn with_flags_only_a_missing_key_and_certificate_warn_and_name_the_checks_that_did_not_run() {
    let args = IDENTITY_FLAGS;
    let tmp = tempfile::tempdir().unwrap();
    let (code, report) = check_in(tmp.path(), &args);
    assert_eq!(code, 0, "a warning alone does not fail the run");
    assert_eq!(report["bundles"][0]["verdict"], "warn");
    assert_eq!(status_of(&report, "key.parse"), "warn");
    assert_eq!(
        message(&report, "key.parse"),
        "no private key was given (--key, $SFJWT_PRIVATE_KEY, or server.key in a bundle directory): key.strength, key.file-permissions, cert.matches-key, assertion.claims and assertion.signature did not run"
    );
    assert_eq!(status_of(&report, "cert.parse"), "warn");
    assert_eq!(
        finding(&report, "cert.parse")["evidence"]["not_run"],
        serde_json::json!([
            "cert.matches-key",
            "cert.validity",
            "cert.signature-algorithm",
            "assertion.signature"
        ])
    );
    let mut strict = args.to_vec();
    strict.extend(["--fail-on", "warning"]);
    let (code, _) = check_in(tmp.path(), &strict);
    assert_eq!(
        code, 1,
        "--fail-on warning fails a run that never looked at the key"
    );
}

#[test]
fn fixes_name_the_file_read_relative_to_where_sfjwt_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("secrets/keys");
    // Another key than the certificate's: cert.matches-key fails and says how to remake it.
    std::fs::create_dir_all(&keys).unwrap();
    std::fs::copy(
        Path::new(VALID).join("../key-mismatch/server.key"),
        keys.join("id_rsa"),
    )
    .unwrap();
    copy("server.crt", &tmp.path().join("secrets/app.crt"));
    let abs_key = keys.join("id_rsa");
    let abs_cert = tmp.path().join("secrets/app.crt");
    let (code, report) = check_in(
        tmp.path(),
        &[
            "--key",
            abs_key.to_str().unwrap(),
            "--cert",
            abs_cert.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    let f = fix(&report, "cert.matches-key");
    assert!(
        f.contains("`openssl req -new -key secrets/keys/id_rsa -out secrets/app.csr`"),
        "{f}"
    );
    assert!(
        f.contains("-in secrets/app.csr -signkey secrets/keys/id_rsa -out secrets/app.crt`"),
        "{f}"
    );
    assert!(!f.contains("server.key"), "{f}");
}

#[test]
fn an_encrypted_key_saved_as_server_pass_key_is_named_in_its_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("b");
    copy("sfjwt.toml", &b.join("sfjwt.toml"));
    copy("server.crt", &b.join("server.crt"));
    std::fs::copy(
        Path::new(VALID).join("../encrypted-key/server.key"),
        b.join("server.pass.key"),
    )
    .unwrap();
    let (code, report) = check_in(tmp.path(), &["b", "--no-prompt"]);
    assert_eq!(code, 1);
    let f = fix(&report, "key.parse");
    assert!(
        f.contains("`openssl pkey -in b/server.pass.key -out b/server.pass.key.new`"),
        "{f}"
    );
}

/// The Trailhead / Salesforce DX recipe (`openssl genrsa -des3`, OpenSSL 3: PBES2 with
/// DES-EDE3-CBC), kept as server.pass.key (fixtures/trailhead/make.sh): with the passphrase the
/// bundle passes; without it, key.parse fails naming server.pass.key, not server.key.
#[test]
fn the_trailhead_recipe_bundle_decrypts_with_its_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let src = Path::new(VALID).join("../trailhead");
    let b = tmp.path().join("trailhead");
    std::fs::create_dir_all(&b).unwrap();
    for f in ["server.pass.key", "server.crt", "sfjwt.toml"] {
        std::fs::copy(src.join(f), b.join(f)).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(b.join("server.pass.key"), mode).unwrap();
    }
    let out = sfjwt()
        .current_dir(tmp.path())
        .env("SFJWT_FIXTURE_PASSPHRASE", "sfjwt-trailhead-passphrase")
        .args(["check", "--at", AT, "--format", "json", "trailhead"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert!(
        message(&report, "key.parse").contains(
            "(encrypted PKCS#8 PEM, decrypted with the passphrase) from trailhead/server.pass.key"
        ),
        "{}",
        message(&report, "key.parse")
    );
    assert_eq!(status_of(&report, "cert.matches-key"), "pass");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sfjwt-trailhead-passphrase"));

    let (code, report) = check_in(tmp.path(), &["trailhead", "--no-prompt"]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&report, "key.parse")["evidence"]["error"],
        "needs-passphrase"
    );
    let f = fix(&report, "key.parse");
    assert!(
        f.contains("-in trailhead/server.pass.key -out trailhead/server.pass.key.new"),
        "{f}"
    );
}

/// A consumer key cut short with an ellipsis, the form sfjwt itself prints it in: Salesforce can
/// only answer invalid_client_id, so the run fails.
#[test]
fn a_consumer_key_cut_short_with_an_ellipsis_fails_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    copy("server.key", &tmp.path().join("server.key"));
    copy("server.crt", &tmp.path().join("server.crt"));
    let (code, report) = check_in(
        tmp.path(),
        &[
            "--key",
            "server.key",
            "--cert",
            "server.crt",
            "--consumer-key",
            "3MVG9u8j…",
            "--username",
            "integration@acme.com",
            "--login-url",
            "https://login.salesforce.com",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "consumer-key.format"), "fail");
    assert!(message(&report, "consumer-key.format").contains("was cut short"));
    assert!(fix(&report, "consumer-key.format").contains("copy the Consumer Key"));
}
