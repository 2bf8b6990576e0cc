use super::*;
use crate::bundle::{Origin, Setting};
use crate::checks::testing::ctx;
use crate::finding::Status;
use crate::salesforce::hosts::CustomDomain;

fn run_with(url: &str) -> Outcome {
    let mut b = Bundle::empty("test");
    b.login_url = Some(Setting::new(url, Origin::Flag("--login-url")));
    LOGIN_URL_HOST.outcome(&b, &ctx(), &mut Scratch::default())
}

fn status(url: &str) -> Status {
    run_with(url).status
}

fn ev<'a>(o: &'a Outcome, key: &str) -> &'a Value {
    o.evidence
        .get(key)
        .unwrap_or_else(|| panic!("no evidence {key} in {o:?}"))
}

#[test]
fn missing_login_url_is_skipped_with_how_to_give_it() {
    let o = LOGIN_URL_HOST.outcome(&Bundle::empty("t"), &ctx(), &mut Scratch::default());
    assert_eq!(o.status, Status::Skip);
    for s in ["--login-url", "$SFJWT_LOGIN_URL", "login_url", "sfjwt.toml"] {
        assert!(o.message.contains(s), "{}", o.message);
    }
}

#[test]
fn generic_hosts_pass_with_the_spring_26_note() {
    let o = run_with("login.salesforce.com");
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("app_not_found"), "{}", o.message);
    assert!(o.message.contains("My Domain"));
    assert!(o.message.contains("https:// assumed"));
    assert!(o.message.contains("(from --login-url)"));
    assert!(!o.message.contains("500"));
    assert_eq!(ev(&o, "host_kind"), "production");
    assert_eq!(ev(&o, "environment"), "production");
    assert_eq!(ev(&o, "default_audience"), "https://login.salesforce.com");
    assert_eq!(
        ev(&o, "token_endpoint"),
        "https://login.salesforce.com/services/oauth2/token"
    );
    assert_eq!(ev(&o, "source"), "--login-url");
    assert_eq!(ev(&o, "assumed_https"), true);

    let o = run_with("https://test.salesforce.com");
    assert_eq!(o.status, Status::Pass);
    assert!(o.message.contains("app_not_found"));
    assert!(o.message.contains("500"));
    assert!(!o.message.contains("assumed"));
    assert_eq!(ev(&o, "environment"), "sandbox");
    assert!(o.fix.is_none());
}

#[test]
fn my_domain_and_sites_pass_with_their_details_as_evidence() {
    let o = run_with("https://acme--uat.sandbox.my.salesforce.com");
    assert_eq!(o.status, Status::Pass);
    assert!(!o.message.contains("app_not_found"));
    assert!(o.message.contains("\"uat\""));
    assert_eq!(ev(&o, "host_kind"), "my-domain-sandbox");
    assert_eq!(ev(&o, "sandbox"), "uat");
    assert_eq!(ev(&o, "my_domain"), "acme");
    assert_eq!(
        ev(&o, "default_audience"),
        "https://acme--uat.sandbox.my.salesforce.com"
    );
    assert_eq!(
        ev(&o, "accepted_audiences"),
        &serde_json::json!([
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://test.salesforce.com"
        ])
    );

    let o = run_with("https://acme.my.site.com/customers");
    assert_eq!(o.status, Status::Pass);
    assert_eq!(ev(&o, "site_path"), "/customers");
    assert_eq!(
        ev(&o, "token_endpoint"),
        "https://acme.my.site.com/customers/services/oauth2/token"
    );
    assert_eq!(
        ev(&o, "default_audience"),
        "https://acme.my.site.com/customers"
    );

    let o = run_with("https://acme.trailblaze.my.salesforce.com");
    assert_eq!(o.status, Status::Pass);
    assert_eq!(ev(&o, "partition"), "trailblaze");
    assert_eq!(ev(&o, "org_type"), "Trailhead Playground");
    assert!(o.message.contains("Trailhead Playground"));

    let o = run_with("https://acme.my.salesforce.mil");
    assert_eq!(o.status, Status::Pass);
    assert_eq!(ev(&o, "cloud"), "government-cloud");

    for url in [
        "https://acme.my.salesforce.com",
        "https://acme.develop.my.salesforce.com",
        "https://acme.scratch.my.salesforce.com",
        "https://acme.patch.my.salesforce.com",
        "https://acme.demo.my.salesforce.com",
        "https://acme.free.my.salesforce.com",
        "https://acme.force.com/customers",
        "https://acme.my.sfcrmproducts.cn",
        "https://acme.my-salesforce.com",
        "https://acme--uat.my.salesforce.com",
    ] {
        assert_eq!(status(url), Status::Pass, "{url}");
    }
}

#[test]
fn loopback_is_info_and_its_origin_is_the_audience() {
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:8080",
    ] {
        let o = run_with(url);
        assert_eq!(o.status, Status::Info, "{url}");
        assert_eq!(ev(&o, "default_audience"), url);
        assert_eq!(ev(&o, "host_kind"), "loopback");
        assert!(o.message.contains("emulator"));
        assert_eq!(ev(&o, "port"), 8080);
    }
}

#[test]
fn usable_urls_with_problems_warn_and_name_the_value_to_use() {
    let o = run_with("https://login.salesforce.com/services/oauth2/token");
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("/services/oauth2/token"));
    assert!(
        o.fix
            .as_deref()
            .unwrap()
            .contains("Use https://login.salesforce.com ")
    );
    assert_eq!(ev(&o, "warnings"), &serde_json::json!(["services-path"]));

    let o = run_with("https://na1.salesforce.com");
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.contains("legacy"));
    assert!(o.fix.as_deref().unwrap().contains("My Domain"));

    for url in [
        "https://cs42.salesforce.com",
        "https://cs42.my.salesforce.com",
        "https://login.salesforce.com:8443",
        "https://login.salesforce.com?x=1",
        "https://login.salesforce.com#x",
        "https://acme.my.salesforce.com/lightning/page/home",
        "https://acme.my.site.com/customers/s/login",
        "https://acme.foo.bar.salesforce.com",
        "http://127.0.0.1:8080/services/oauth2/token",
    ] {
        let o = run_with(url);
        assert_eq!(o.status, Status::Warn, "{url}");
        assert!(!o.message.contains('\n'));
    }
}

#[test]
fn unusable_urls_fail_with_the_problem_and_a_suggestion() {
    let o = run_with("http://login.salesforce.com");
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("unsupported_grant_type"));
    assert_eq!(ev(&o, "problem"), "insecure-http");
    assert_eq!(ev(&o, "suggestion"), "https://login.salesforce.com");

    let o = run_with("https://acme.lightning.force.com");
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .contains("did you mean https://acme.my.salesforce.com")
    );
    assert_eq!(ev(&o, "host"), "acme.lightning.force.com");

    let o = run_with("login.saleforce.com");
    assert_eq!(ev(&o, "problem"), "typo");
    assert!(
        o.message
            .contains("did you mean https://login.salesforce.com")
    );

    for url in [
        "",
        " ",
        "\"https://login.salesforce.com\"",
        "login.salesforce.com\n",
        "ftp://login.salesforce.com",
        "https://login.salesforce.com@evil.example",
        "https://login.salesforce.com.evil.example",
        "https://login-salesforce.com",
        "https://evil.example",
        "https://login.salesforce.co",
        "test.saslesforce.com",
        "logn.salesforce.com",
        "https://acme--c.vf.force.com",
        "https://acme.file.force.com",
        "https://acme--c.visualforce.com",
        "https://acme.lightning.crmforce.mil",
        "https://acme.lightning.sfcrmapps.cn",
        "http://[",
        "not a url",
    ] {
        let o = run_with(url);
        assert_eq!(o.status, Status::Fail, "{url:?}");
        assert!(o.fix.is_some());
        assert!(o.message.ends_with("(from --login-url)"), "{}", o.message);
        assert!(!o.message.contains('\n'));
    }
}

#[test]
fn the_origin_of_the_value_is_named() {
    let mut b = Bundle::empty("t");
    b.login_url = Some(Setting::new(
        "http://login.salesforce.com",
        Origin::Env("SFJWT_LOGIN_URL".into()),
    ));
    let o = LOGIN_URL_HOST.outcome(&b, &ctx(), &mut Scratch::default());
    assert!(o.message.contains("(from $SFJWT_LOGIN_URL)"));
    assert_eq!(ev(&o, "source"), "$SFJWT_LOGIN_URL");
}

#[test]
fn never_panics_on_odd_input() {
    for url in [
        "a".repeat(10 * 1024),
        "\u{0}".into(),
        "é".repeat(3000),
        "https://[".into(),
        "🙂".into(),
    ] {
        let _ = run_with(&url);
    }
}

fn run_declared(url: &str, kind: CustomDomain) -> Outcome {
    let mut b = Bundle::empty("test");
    b.login_url = Some(Setting::new(url, Origin::Flag("--login-url")));
    b.custom_domain = Some(Declared {
        kind,
        origin: Origin::Flag("--custom-domain"),
    });
    LOGIN_URL_HOST.outcome(&b, &ctx(), &mut Scratch::default())
}

#[test]
fn a_declared_custom_domain_is_info_with_its_origin_as_the_audience() {
    let o = run_declared("https://login.acme.com", CustomDomain::Login);
    assert_eq!(o.status, Status::Info, "{o:?}");
    assert_eq!(
        o.message,
        "https://login.acme.com is a custom domain serving Salesforce login, as --custom-domain declares; that it reaches your org can't be verified offline: `sfjwt check --live` proves it by getting a token at https://login.acme.com/services/oauth2/token (HTTPS only); its origin https://login.acme.com is the audience (from --login-url)"
    );
    assert!(o.fix.as_deref().unwrap().contains("sfjwt check --live"));
    assert_eq!(ev(&o, "host_kind"), "custom-domain");
    assert_eq!(ev(&o, "default_audience"), "https://login.acme.com");
    assert_eq!(ev(&o, "custom_domain"), "login");
    assert_eq!(ev(&o, "custom_domain_source"), "--custom-domain");
    assert_eq!(ev(&o, "environment"), "unknown");

    let o = run_declared("https://acme.com/customers", CustomDomain::Site);
    assert_eq!(o.status, Status::Info);
    assert!(
        o.message
            .contains("an Experience Cloud site on a custom domain")
    );
    assert!(
        o.message
            .contains("its site URL https://acme.com/customers is the audience"),
        "{}",
        o.message
    );
    assert_eq!(ev(&o, "host_kind"), "custom-domain-site");
    assert_eq!(ev(&o, "site_path"), "/customers");
    assert_eq!(
        ev(&o, "token_endpoint"),
        "https://acme.com/customers/services/oauth2/token"
    );
}

#[test]
fn a_declared_custom_domain_still_needs_https_and_a_real_name() {
    let o = run_declared("http://login.acme.com", CustomDomain::Login);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(ev(&o, "problem"), "insecure-http");
    assert_eq!(ev(&o, "suggestion"), "https://login.acme.com");
    assert!(!o.message.contains("does not cover"), "{}", o.message);

    let o = run_declared("https://login.salesforce.co", CustomDomain::Login);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(ev(&o, "problem"), "typo");
    assert!(
        o.message
            .contains("did you mean https://login.salesforce.com")
    );
    assert!(
        o.message
            .contains("com? The custom domain declaration (--custom-domain) does not cover it"),
        "{}",
        o.message
    );
}

#[test]
fn a_declaration_on_a_salesforce_host_is_not_needed_and_warns() {
    let o = run_declared("https://acme.my.salesforce.com", CustomDomain::Login);
    assert_eq!(o.status, Status::Warn);
    assert!(o.message.starts_with(
        "https://acme.my.salesforce.com is a My Domain login host (production), but it is declared a custom domain (--custom-domain), which a Salesforce host does not need"
    ), "{}", o.message);
    assert!(
        o.fix
            .as_deref()
            .unwrap()
            .starts_with("Remove the declaration (--custom-domain)")
    );
    assert_eq!(ev(&o, "host_kind"), "my-domain");
    assert_eq!(ev(&o, "default_audience"), "https://acme.my.salesforce.com");
}

#[test]
fn an_undeclared_host_that_could_be_a_custom_domain_is_told_how_to_declare_it() {
    let o = run_with("https://login.acme.com");
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        o.message,
        "login.acme.com is not a Salesforce login host, and no custom domain was declared (from --login-url)"
    );
    let fix = o.fix.as_deref().unwrap();
    for s in [
        "If login.acme.com is your org's custom domain",
        "--custom-domain login",
        "--custom-domain site",
        "$SFJWT_CUSTOM_DOMAIN",
        "custom_domain in sfjwt.toml",
    ] {
        assert!(fix.contains(s), "{s}: {fix}");
    }
    // A typo keeps its did-you-mean, and no declaration is offered.
    for url in [
        "https://login.salesforce.co",
        "https://login-salesforce.com",
    ] {
        let o = run_with(url);
        assert!(
            !o.fix.as_deref().unwrap().contains("--custom-domain"),
            "{url}"
        );
    }
}

#[test]
fn placeholders_fail_saying_where_to_find_the_real_url() {
    for url in [
        "https://site.force.com/customers",
        "site.force.com/customers",
        "https://MyDomainName.my.salesforce.com",
        "https://MyDomainName--SandboxName.sandbox.my.salesforce.com",
        "https://<name>.my.salesforce.com",
    ] {
        let o = run_with(url);
        assert_eq!(o.status, Status::Fail, "{url}");
        assert_eq!(ev(&o, "problem"), "placeholder");
        assert!(o.message.contains("placeholder"), "{}", o.message);
        let fix = o.fix.as_deref().unwrap();
        assert!(fix.contains("Setup > My Domain"), "{fix}");
        assert!(
            fix.contains("Setup > Digital Experiences > All Sites"),
            "{fix}"
        );
        assert!(!fix.contains("--custom-domain"), "{fix}");
        // A declaration does not make a placeholder real.
        let o = run_declared(url, CustomDomain::Site);
        assert_eq!(ev(&o, "problem"), "placeholder");
    }
}
