//! Custom domains and placeholders through the real binary: `--custom-domain`,
//! `$SFJWT_CUSTOM_DOMAIN` and `custom_domain` declare the login URL's host; its origin (or site
//! URL) becomes the assertion's aud; a placeholder from the setup guide fails saying so.

use crate::common;

use common::{AT, check_json, finding, sfjwt, status_of};

const KEY: &str = "fixtures/valid/server.key";
const CERT: &str = "fixtures/valid/server.crt";
const CONSUMER_KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";

fn with_login_url(url: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "--key",
        KEY,
        "--cert",
        CERT,
        "--consumer-key",
        CONSUMER_KEY,
        "--username",
        "integration@acme.com",
        "--login-url",
        url,
    ];
    args.extend_from_slice(extra);
    check_json(&args)
}

fn aud(report: &serde_json::Value) -> &str {
    finding(report, "assertion.claims")["evidence"]["claims"]["aud"]
        .as_str()
        .expect("the test assertion's aud is a string")
}

#[test]
fn a_declared_custom_domain_is_info_and_its_origin_is_the_aud() {
    let (code, report) = with_login_url("https://login.acme.com", &["--custom-domain", "login"]);
    let host = finding(&report, "login-url.host");
    assert_eq!(host["status"], "info", "{host:#}");
    let message = host["message"].as_str().unwrap();
    assert!(
        message.starts_with("https://login.acme.com is a custom domain serving Salesforce login, as --custom-domain declares; that it reaches your org can't be verified offline: `sfjwt check --live` proves it"),
        "{message}"
    );
    assert_eq!(host["evidence"]["host_kind"], "custom-domain");
    assert_eq!(host["evidence"]["custom_domain"], "login");
    assert_eq!(aud(&report), "https://login.acme.com");
    assert_eq!(status_of(&report, "assertion.signature"), "pass");
    // Only the key file's mode could warn; nothing fails.
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_site_on_a_custom_domain_keeps_its_path_in_the_aud() {
    let (_, report) = with_login_url(
        "https://acme.com/customers/s/login",
        &["--custom-domain", "site"],
    );
    let host = finding(&report, "login-url.host");
    // The page part of the site URL is dropped, with a warning.
    assert_eq!(host["status"], "warn", "{host:#}");
    assert_eq!(
        host["evidence"]["default_audience"],
        "https://acme.com/customers"
    );
    assert_eq!(aud(&report), "https://acme.com/customers");

    let out = sfjwt()
        .args(["check", "--at", AT, "--format", "json"])
        .args(["--key", KEY, "--cert", CERT, "--consumer-key", CONSUMER_KEY])
        .args(["--username", "integration@acme.com"])
        .env("SFJWT_LOGIN_URL", "https://partners.acme.com")
        .env("SFJWT_CUSTOM_DOMAIN", "site")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let host = finding(&report, "login-url.host");
    assert_eq!(host["status"], "info", "{host:#}");
    assert_eq!(
        host["evidence"]["custom_domain_source"],
        "$SFJWT_CUSTOM_DOMAIN"
    );
    assert_eq!(aud(&report), "https://partners.acme.com");
}

#[test]
fn without_the_declaration_the_fix_says_how_to_give_it() {
    let (code, report) = with_login_url("https://login.acme.com", &[]);
    assert_eq!(code, 1);
    let host = finding(&report, "login-url.host");
    assert_eq!(host["status"], "fail");
    let fix = host["fix"].as_str().unwrap();
    assert!(fix.contains("--custom-domain login"), "{fix}");
    assert!(fix.contains("custom_domain in sfjwt.toml"), "{fix}");
    // A typo keeps its did-you-mean and is offered no declaration.
    let (_, report) = with_login_url("https://login.salesforce.co", &[]);
    let host = finding(&report, "login-url.host");
    assert!(host["message"].as_str().unwrap().contains("did you mean"));
    assert!(!host["fix"].as_str().unwrap().contains("--custom-domain"));
}

#[test]
fn a_declaration_on_a_salesforce_host_warns_that_it_is_not_needed() {
    let (_, report) = with_login_url(
        "https://acme.my.salesforce.com",
        &["--custom-domain", "login"],
    );
    let host = finding(&report, "login-url.host");
    assert_eq!(host["status"], "warn", "{host:#}");
    assert!(
        host["message"]
            .as_str()
            .unwrap()
            .contains("which a Salesforce host does not need")
    );
    assert_eq!(aud(&report), "https://acme.my.salesforce.com");
}

#[test]
fn a_declaration_that_is_no_kind_stops_the_run() {
    let out = sfjwt()
        .args(["check", "--custom-domain", "yes", "fixtures/valid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("login") && err.contains("site"), "{err}");
}

#[test]
fn placeholders_of_the_setup_guide_fail_saying_where_the_real_url_is() {
    for url in [
        "site.force.com/customers",
        "https://MyDomainName.my.salesforce.com",
        "https://MyDomainName--SandboxName.sandbox.my.salesforce.com",
    ] {
        let (code, report) = with_login_url(url, &[]);
        assert_eq!(code, 1, "{url}");
        let host = finding(&report, "login-url.host");
        assert_eq!(host["evidence"]["problem"], "placeholder", "{host:#}");
        assert!(host["message"].as_str().unwrap().contains("placeholder"));
        let fix = host["fix"].as_str().unwrap();
        assert!(fix.contains("Setup > My Domain"), "{fix}");
        assert!(
            fix.contains("Setup > Digital Experiences > All Sites"),
            "{fix}"
        );
    }
}

#[test]
fn decode_judges_aud_against_a_declared_custom_domain() {
    let token = std::fs::read_to_string("fixtures/tokens/good.jwt").unwrap();
    let claims = |extra: &[&str]| {
        let out = sfjwt()
            .args(["decode", "--at", AT, "--format", "json"])
            .args(["--login-url", "https://login.acme.com"])
            .args(extra)
            .write_stdin(token.trim())
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "assertion.claims")
            .cloned()
            .unwrap()
    };
    // Undeclared, the login URL can't be used; declared, the good token's aud
    // (login.salesforce.com) is compared with the custom domain, and named another server.
    let undeclared = claims(&[]);
    let message = undeclared["message"].as_str().unwrap();
    assert!(message.contains("can't be used"), "{message}");
    let declared = claims(&["--custom-domain", "login"]);
    let message = declared["message"].as_str().unwrap();
    assert!(
        message.contains("names another server than the login URL https://login.acme.com"),
        "{message}"
    );
}
