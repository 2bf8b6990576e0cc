//! Custom domains (declared, and the hosts a declaration can't cover) and placeholders.

use super::super::*;

fn declared(input: &str, d: CustomDomain) -> Result<LoginUrl, Rejection> {
    parse_declared(input, Some(d))
}

/// (input, declaration, kind, audience, token endpoint, warnings)
type Case = (
    &'static str,
    CustomDomain,
    HostKind,
    &'static str,
    &'static str,
    &'static [WarningCode],
);

const DECLARED: &[Case] = &[
    (
        "https://login.acme.com",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://login.acme.com",
        "https://login.acme.com/services/oauth2/token",
        &[],
    ),
    (
        "login.acme.com",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://login.acme.com",
        "https://login.acme.com/services/oauth2/token",
        &[],
    ),
    (
        "https://login.acme.com/services/oauth2/token",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://login.acme.com",
        "https://login.acme.com/services/oauth2/token",
        &[WarningCode::ServicesPath],
    ),
    (
        "https://login.acme.com/home",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://login.acme.com",
        "https://login.acme.com/services/oauth2/token",
        &[WarningCode::PathIgnored],
    ),
    (
        // A company's own domain may name Salesforce in a subdomain.
        "https://salesforce.acme.com",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://salesforce.acme.com",
        "https://salesforce.acme.com/services/oauth2/token",
        &[],
    ),
    (
        "https://partners.acme.com",
        CustomDomain::Site,
        HostKind::CustomDomainSite,
        "https://partners.acme.com",
        "https://partners.acme.com/services/oauth2/token",
        &[],
    ),
    (
        "https://acme.com/customers",
        CustomDomain::Site,
        HostKind::CustomDomainSite,
        "https://acme.com/customers",
        "https://acme.com/customers/services/oauth2/token",
        &[],
    ),
    (
        "https://acme.com/customers/s/login",
        CustomDomain::Site,
        HostKind::CustomDomainSite,
        "https://acme.com/customers",
        "https://acme.com/customers/services/oauth2/token",
        &[WarningCode::SitePagePath],
    ),
    (
        "https://login.acme.com:8443",
        CustomDomain::Login,
        HostKind::CustomDomain,
        "https://login.acme.com:8443",
        "https://login.acme.com:8443/services/oauth2/token",
        &[WarningCode::NonStandardPort],
    ),
];

#[test]
fn a_declared_custom_domain_is_its_own_audience_and_token_endpoint() {
    for &(input, d, kind, aud, token, warnings) in DECLARED {
        let u = declared(input, d).unwrap_or_else(|r| panic!("{input}: {r:?}"));
        assert_eq!(u.kind, kind, "{input}");
        assert!(u.kind.is_declared());
        assert_eq!(u.declared, Some(d));
        assert_eq!(u.scheme, "https");
        assert_eq!(u.environment, Environment::Unknown, "{input}");
        assert_eq!(u.default_audience(), aud, "{input}");
        // No generic host: the org's environment is unknown.
        assert_eq!(u.accepted_audiences(), [aud], "{input}");
        assert_eq!(u.token_endpoint(), token, "{input}");
        let codes: Vec<_> = u.warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, warnings, "{input}");
        assert_eq!(u.describe(), d.describe());
        assert_eq!(u.may_receive_assertion(), Ok(()));
    }
}

#[test]
fn without_the_declaration_the_same_hosts_fail_and_could_be_declared() {
    for &(input, ..) in DECLARED {
        let r = parse(input).unwrap_err();
        assert!(r.custom_domain_possible, "{input}: {r:?}");
        assert!(
            matches!(
                r.code,
                RejectionCode::NotSalesforce | RejectionCode::LookAlike
            ),
            "{input}: {r:?}"
        );
    }
    let r = parse("https://login.acme.com").unwrap_err();
    assert_eq!(
        r.message,
        "login.acme.com is not a Salesforce login host, and no custom domain was declared"
    );
}

#[test]
fn a_declaration_never_covers_a_typo_a_look_alike_plain_http_or_an_address() {
    for (input, code) in [
        ("https://login.salesforce.co", RejectionCode::Typo),
        ("login.saleforce.com", RejectionCode::Typo),
        (
            "https://login.salesforce.com.evil.example",
            RejectionCode::LookAlike,
        ),
        ("https://login-salesforce.com", RejectionCode::LookAlike),
        (
            "https://login.salesforce-login.com",
            RejectionCode::LookAlike,
        ),
        ("https://xn--lgin-5qa.acme.com", RejectionCode::LookAlike),
        ("http://login.acme.com", RejectionCode::InsecureHttp),
        ("http://acme.com/customers", RejectionCode::InsecureHttp),
        ("https://10.0.0.1", RejectionCode::NotSalesforce),
        (
            "https://acme.lightning.force.com",
            RejectionCode::NotLoginHost,
        ),
        ("https://my.salesforce.com", RejectionCode::IncompleteHost),
        ("https://login.your-domain.com", RejectionCode::Placeholder),
    ] {
        for d in [CustomDomain::Login, CustomDomain::Site] {
            let r = declared(input, d).unwrap_err();
            assert_eq!(r.code, code, "{input} {d:?}: {r:?}");
        }
        let r = parse(input).unwrap_err();
        if code != RejectionCode::InsecureHttp && code != RejectionCode::NotSalesforce {
            assert!(!r.custom_domain_possible, "{input}: {r:?}");
        }
    }
    let r = declared("http://login.acme.com", CustomDomain::Login).unwrap_err();
    assert_eq!(r.suggestion.as_deref(), Some("https://login.acme.com"));
    let r = declared("http://acme.com/customers", CustomDomain::Site).unwrap_err();
    assert_eq!(r.suggestion.as_deref(), Some("https://acme.com/customers"));
}

#[test]
fn a_salesforce_host_declared_is_classified_as_usual_and_keeps_the_declaration() {
    for (input, kind) in [
        ("https://login.salesforce.com", HostKind::Production),
        ("https://acme.my.salesforce.com", HostKind::MyDomain),
        (
            "https://acme.my.site.com/customers",
            HostKind::ExperienceCloudSite,
        ),
    ] {
        for d in [CustomDomain::Login, CustomDomain::Site] {
            let u = declared(input, d).unwrap();
            assert_eq!(u.kind, kind, "{input}");
            assert_eq!(u.declared, Some(d));
            assert_eq!(u.default_audience(), ok_plain(input).default_audience());
        }
    }
    assert_eq!(ok_plain("https://login.salesforce.com").declared, None);
}

fn ok_plain(input: &str) -> LoginUrl {
    parse(input).unwrap()
}

#[test]
fn aud_is_the_declared_custom_domain_only_on_the_login_urls_host() {
    let login = declared("https://acme.com/customers", CustomDomain::Site).unwrap();
    let aud = parse_as_for("https://acme.com/customers", "aud", Some(&login)).unwrap();
    assert_eq!(aud.kind, HostKind::CustomDomainSite);
    assert_eq!(aud.base_url(), login.default_audience());
    let other = parse_as_for("https://evil.example", "aud", Some(&login)).unwrap_err();
    assert_eq!(other.code, RejectionCode::NotSalesforce);
    let sf = parse_as_for("https://login.salesforce.com", "aud", Some(&login)).unwrap();
    assert_eq!(sf.kind, HostKind::Production);
    assert_eq!(sf.declared, None);
    // Without a declared login URL, aud is parsed as any value.
    assert!(parse_as_for("https://acme.com", "aud", None).is_err());
    let plain = parse("https://acme.my.salesforce.com").unwrap();
    assert!(parse_as_for("https://acme.com", "aud", Some(&plain)).is_err());
}

#[test]
fn only_https_and_loopback_may_receive_the_assertion() {
    for input in [
        "https://login.salesforce.com",
        "https://acme.my.site.com/customers",
        "https://acme.foo.bar.salesforce.com",
        "http://127.0.0.1:8080",
        "http://localhost:9",
    ] {
        assert_eq!(
            parse(input).unwrap().may_receive_assertion(),
            Ok(()),
            "{input}"
        );
    }
    let mut custom = declared("https://login.acme.com", CustomDomain::Login).unwrap();
    assert_eq!(custom.may_receive_assertion(), Ok(()));
    // parse never returns plain http:// off loopback; the rule refuses it all the same.
    custom.scheme = "http";
    let why = custom.may_receive_assertion().unwrap_err();
    assert!(why.contains("not HTTPS"), "{why}");
    let mut sf = parse("https://login.salesforce.com").unwrap();
    sf.scheme = "http";
    assert!(sf.may_receive_assertion().is_err());
}

#[test]
fn placeholders_of_the_guide_and_the_docs_fail_saying_so() {
    for input in [
        "site.force.com/customers",
        "https://site.force.com/customers",
        "https://site.force.com",
        "https://MyDomainName.my.salesforce.com",
        "MyDomainName--SandboxName.sandbox.my.salesforce.com",
        "https://acme--SandboxName.sandbox.my.salesforce.com",
        "https://MyDomainName.my.site.com",
        "https://MyDomainName.my.site.com/customers",
        "https://MyCompany.my.salesforce.com",
        "https://MyDomain.my.salesforce.com",
        "https://yourInstance.salesforce.com",
        "https://your-domain.my.salesforce.com",
        "https://XXX.force.com",
    ] {
        let r = parse(input).unwrap_err();
        assert_eq!(r.code, RejectionCode::Placeholder, "{input}: {r:?}");
        assert!(r.message.contains("placeholder"), "{}", r.message);
        assert!(r.fix().contains("Setup > My Domain"), "{}", r.fix());
        assert!(r.fix().contains("Setup > Digital Experiences > All Sites"));
        assert!(!r.custom_domain_possible);
    }
    let r = parse("https://site.force.com/customers").unwrap_err();
    assert!(r.message.contains("setup guide (Step 5"), "{}", r.message);
    // In angle brackets: the placeholder is named, before anything else is judged.
    for (input, shown) in [
        ("https://<name>.my.salesforce.com", "<name>"),
        ("<your domain>", "<your domain>"),
        ("https://acme.my.site.com/<sitePath>", "<sitePath>"),
        (
            "https://<MyDomain>--<SandboxName>.sandbox.my.salesforce.com",
            "<MyDomain>",
        ),
    ] {
        let r = parse(input).unwrap_err();
        assert_eq!(r.code, RejectionCode::Placeholder, "{input}: {r:?}");
        assert!(r.message.contains(shown), "{}", r.message);
        assert!(r.names_input);
    }
    // Real names that merely resemble a placeholder are real names.
    for input in [
        "https://acme.force.com/customers",
        "https://mydomainname2.my.salesforce.com",
        "https://sites.force.com/customers",
        "https://acme.my.site.com/site",
    ] {
        assert!(parse(input).is_ok(), "{input}");
    }
}

#[test]
fn the_new_names_are_stable() {
    assert_eq!(CustomDomain::Login.as_str(), "login");
    assert_eq!(CustomDomain::Site.as_str(), "site");
    assert_eq!("site".parse::<CustomDomain>(), Ok(CustomDomain::Site));
    assert!("yes".parse::<CustomDomain>().is_err());
    assert_eq!(HostKind::CustomDomain.as_str(), "custom-domain");
    assert_eq!(HostKind::CustomDomainSite.as_str(), "custom-domain-site");
    assert_eq!(RejectionCode::Placeholder.as_str(), "placeholder");
}
