//! `sfjwt mint`'s curl recipe posts to the token endpoint of the login URL the inputs name (a
//! custom domain, a site with its path), and its aud is the one check derives; the inputs may
//! come from the environment alone.

use crate::common::{AT, IDENTITY_FLAGS, all_output, sfjwt};

/// (exit code, aud, stderr) of `sfjwt mint --at AT ARGS...`.
fn aud_and_stderr(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = sfjwt();
    cmd.args(["mint", "--at", AT]).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("sfjwt runs");
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let aud = stdout
        .trim_end()
        .split('.')
        .nth(1)
        .and_then(|p| {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|c| c["aud"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default();
    (out.status.code().unwrap(), aud, all_output(&out))
}

#[test]
fn a_declared_custom_domain_is_the_aud_and_the_endpoint() {
    let (code, aud, stderr) = aud_and_stderr(&["fixtures/custom-domain"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(aud, "https://login.acme.com");
    assert!(
        stderr.contains("curl -sS https://login.acme.com/services/oauth2/token -d"),
        "{stderr}"
    );
}

#[test]
fn a_site_keeps_its_path_in_the_aud_and_the_endpoint() {
    let (code, aud, stderr) = aud_and_stderr(&["fixtures/experience-cloud-site"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(aud, "https://acme.my.site.com/customers");
    assert!(
        stderr.contains("curl -sS https://acme.my.site.com/customers/services/oauth2/token -d"),
        "{stderr}"
    );
}

#[test]
fn audience_overrides_the_aud_and_the_login_url_keeps_the_endpoint() {
    let mut args = vec!["--key", "fixtures/valid/server.key"];
    args.extend(IDENTITY_FLAGS);
    args.extend(["--audience", "https://test.salesforce.com"]);
    let (code, aud, stderr) = aud_and_stderr(&args, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(aud, "https://test.salesforce.com");
    assert!(stderr.contains("curl -sS https://login.salesforce.com/services/oauth2/token"));
    // The audience given is the user's choice: its mismatch is said, not enforced.
    assert!(
        stderr.contains("sfjwt: warning: the assertion's aud.matches (the audience given)"),
        "{stderr}"
    );
}

#[test]
fn an_unusable_login_url_refuses_with_its_fix() {
    let (code, aud, stderr) = aud_and_stderr(&["fixtures/http-url"], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(aud.is_empty());
    assert!(stderr.contains("the login URL can't be used"), "{stderr}");
}

#[test]
fn the_environment_alone_gives_every_input() {
    let key = std::fs::read_to_string("fixtures/valid/server.key").unwrap();
    let env = [
        ("SFJWT_PRIVATE_KEY", key.as_str()),
        ("SFJWT_CONSUMER_KEY", IDENTITY_FLAGS[1]),
        ("SFJWT_USERNAME", "env@acme.com"),
        ("SFJWT_LOGIN_URL", "https://acme.my.salesforce.com"),
    ];
    let (code, aud, stderr) = aud_and_stderr(&[], &env);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(aud, "https://acme.my.salesforce.com");
    assert!(stderr.contains("log in as env@acme.com"));
    assert!(stderr.contains("curl -sS https://acme.my.salesforce.com/services/oauth2/token"));
    assert!(stderr.contains("no certificate was given"), "{stderr}");
    assert!(!stderr.contains("PRIVATE KEY"));
}

#[test]
fn an_undeclared_custom_domain_refuses_and_says_how_to_declare_it() {
    let (code, aud, stderr) = aud_and_stderr(&["fixtures/custom-domain-undeclared"], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(aud.is_empty());
    assert!(stderr.contains("--custom-domain login"), "{stderr}");
    // Only a run that mints says what it did not compare.
    assert!(!stderr.contains("no certificate was given"), "{stderr}");
}
