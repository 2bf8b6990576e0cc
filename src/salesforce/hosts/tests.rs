use super::classify::{is_cs_label, is_instance_label, split_sandbox};
use super::*;

fn ok(input: &str) -> LoginUrl {
    match parse(input) {
        Ok(u) => u,
        Err(r) => panic!("{input:?} was rejected: {r:?}"),
    }
}

fn rejected(input: &str) -> Rejection {
    match parse(input) {
        Ok(u) => panic!("{input:?} was accepted: {u:?}"),
        Err(r) => r,
    }
}

fn codes(u: &LoginUrl) -> Vec<WarningCode> {
    u.warnings.iter().map(|w| w.code).collect()
}

/// (input, kind, environment, audience, token endpoint)
const ACCEPTED: &[(&str, &str, Environment, &str, &str)] = &[
    (
        "https://login.salesforce.com",
        "production",
        Environment::Production,
        "https://login.salesforce.com",
        "https://login.salesforce.com/services/oauth2/token",
    ),
    (
        "https://test.salesforce.com",
        "sandbox",
        Environment::Sandbox,
        "https://test.salesforce.com",
        "https://test.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.my.salesforce.com",
        "my-domain",
        Environment::Production,
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme--uat.sandbox.my.salesforce.com",
        "my-domain-sandbox",
        Environment::Sandbox,
        "https://acme--uat.sandbox.my.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme--uat.my.salesforce.com",
        "my-domain-sandbox",
        Environment::Sandbox,
        "https://acme--uat.my.salesforce.com",
        "https://acme--uat.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.develop.my.salesforce.com",
        "my-domain-partition",
        Environment::Production,
        "https://acme.develop.my.salesforce.com",
        "https://acme.develop.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.scratch.my.salesforce.com",
        "my-domain-partition",
        Environment::Sandbox,
        "https://acme.scratch.my.salesforce.com",
        "https://acme.scratch.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.patch.my.salesforce.com",
        "my-domain-partition",
        Environment::Unknown,
        "https://acme.patch.my.salesforce.com",
        "https://acme.patch.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.demo.my.salesforce.com",
        "my-domain-partition",
        Environment::Production,
        "https://acme.demo.my.salesforce.com",
        "https://acme.demo.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.trailblaze.my.salesforce.com",
        "my-domain-partition",
        Environment::Production,
        "https://acme.trailblaze.my.salesforce.com",
        "https://acme.trailblaze.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.free.my.salesforce.com",
        "my-domain-partition",
        Environment::Unknown,
        "https://acme.free.my.salesforce.com",
        "https://acme.free.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.my.site.com",
        "experience-cloud-site",
        Environment::Production,
        "https://acme.my.site.com",
        "https://acme.my.site.com/services/oauth2/token",
    ),
    (
        "https://acme.my.site.com/customers",
        "experience-cloud-site",
        Environment::Production,
        "https://acme.my.site.com/customers",
        "https://acme.my.site.com/customers/services/oauth2/token",
    ),
    (
        "https://acme--uat.sandbox.my.site.com/partners/",
        "experience-cloud-site",
        Environment::Sandbox,
        "https://acme--uat.sandbox.my.site.com/partners",
        "https://acme--uat.sandbox.my.site.com/partners/services/oauth2/token",
    ),
    (
        "https://acme.force.com/customers",
        "legacy-site",
        Environment::Unknown,
        "https://acme.force.com/customers",
        "https://acme.force.com/customers/services/oauth2/token",
    ),
    (
        "globex.force.com/customers",
        "legacy-site",
        Environment::Unknown,
        "https://globex.force.com/customers",
        "https://globex.force.com/customers/services/oauth2/token",
    ),
    (
        "https://acme.my.salesforce.mil",
        "my-domain",
        Environment::Production,
        "https://acme.my.salesforce.mil",
        "https://acme.my.salesforce.mil/services/oauth2/token",
    ),
    (
        "https://acme.my.sfcrmproducts.cn",
        "my-domain",
        Environment::Production,
        "https://acme.my.sfcrmproducts.cn",
        "https://acme.my.sfcrmproducts.cn/services/oauth2/token",
    ),
    (
        "https://acme.my-salesforce.com",
        "my-domain",
        Environment::Production,
        "https://acme.my-salesforce.com",
        "https://acme.my-salesforce.com/services/oauth2/token",
    ),
    (
        "https://cs42.salesforce.com",
        "legacy-sandbox-instance",
        Environment::Sandbox,
        "https://test.salesforce.com",
        "https://cs42.salesforce.com/services/oauth2/token",
    ),
    (
        "https://cs42.my.salesforce.com",
        "legacy-sandbox-instance",
        Environment::Sandbox,
        "https://test.salesforce.com",
        "https://cs42.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme--uat.cs42.my.salesforce.com",
        "legacy-sandbox-instance",
        Environment::Sandbox,
        "https://test.salesforce.com",
        "https://acme--uat.cs42.my.salesforce.com/services/oauth2/token",
    ),
    (
        "https://na1.salesforce.com",
        "legacy-instance",
        Environment::Production,
        "https://login.salesforce.com",
        "https://na1.salesforce.com/services/oauth2/token",
    ),
    (
        "https://eu6.salesforce.com",
        "legacy-instance",
        Environment::Production,
        "https://login.salesforce.com",
        "https://eu6.salesforce.com/services/oauth2/token",
    ),
    (
        "https://gs1.salesforce.com",
        "legacy-instance",
        Environment::Production,
        "https://login.salesforce.com",
        "https://gs1.salesforce.com/services/oauth2/token",
    ),
    (
        "http://127.0.0.1:8080",
        "loopback",
        Environment::Unknown,
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/services/oauth2/token",
    ),
    (
        "http://127.5.6.7:9",
        "loopback",
        Environment::Unknown,
        "http://127.5.6.7:9",
        "http://127.5.6.7:9/services/oauth2/token",
    ),
    (
        "http://localhost:9999",
        "loopback",
        Environment::Unknown,
        "http://localhost:9999",
        "http://localhost:9999/services/oauth2/token",
    ),
    (
        "http://[::1]:8080",
        "loopback",
        Environment::Unknown,
        "http://[::1]:8080",
        "http://[::1]:8080/services/oauth2/token",
    ),
    (
        "https://localhost:8443/",
        "loopback",
        Environment::Unknown,
        "https://localhost:8443",
        "https://localhost:8443/services/oauth2/token",
    ),
    (
        "https://usa123s.sfdc-abc123.salesforce.com",
        "legacy-sandbox-instance",
        Environment::Sandbox,
        "https://test.salesforce.com",
        "https://usa123s.sfdc-abc123.salesforce.com/services/oauth2/token",
    ),
    (
        "https://acme.foo.bar.salesforce.com",
        "unrecognised-salesforce-host",
        Environment::Unknown,
        "https://acme.foo.bar.salesforce.com",
        "https://acme.foo.bar.salesforce.com/services/oauth2/token",
    ),
];

#[test]
fn accepted_hosts_are_classified_with_their_audience_and_token_endpoint() {
    for &(input, kind, env, aud, token) in ACCEPTED {
        let u = ok(input);
        assert_eq!(u.kind.as_str(), kind, "{input}");
        assert_eq!(u.environment, env, "{input}");
        assert_eq!(u.default_audience(), aud, "{input}");
        assert_eq!(u.token_endpoint(), token, "{input}");
        assert_eq!(u.accepted_audiences()[0], aud, "{input}");
        assert!(!u.describe().is_empty());
    }
}

#[test]
fn clean_hosts_have_no_warnings_and_legacy_ones_do() {
    for &(input, kind, ..) in ACCEPTED {
        let u = ok(input);
        let expect_warning = matches!(
            kind,
            "legacy-instance" | "legacy-sandbox-instance" | "unrecognised-salesforce-host"
        );
        assert_eq!(!u.warnings.is_empty(), expect_warning, "{input}: {u:?}");
    }
    assert_eq!(
        codes(&ok("https://na1.salesforce.com")),
        [WarningCode::LegacyInstanceHost]
    );
    assert_eq!(
        codes(&ok("https://cs42.salesforce.com")),
        [WarningCode::LegacyInstanceHost]
    );
    assert_eq!(
        codes(&ok("https://acme.foo.bar.salesforce.com")),
        [WarningCode::UnrecognisedSalesforceHost]
    );
    assert_eq!(
        codes(&ok("https://acme.foo.my.salesforce.com")),
        [WarningCode::UnrecognisedSalesforceHost]
    );
    assert_eq!(
        codes(&ok("https://acme.my.salesforce-sites.com")),
        [WarningCode::UnrecognisedSalesforceHost]
    );
}

#[test]
fn my_domain_parts_are_extracted() {
    let u = ok("https://Acme--UAT.sandbox.my.salesforce.com");
    assert_eq!(u.my_domain.as_deref(), Some("acme"));
    assert_eq!(u.sandbox.as_deref(), Some("uat"));
    assert_eq!(u.kind, HostKind::MyDomainSandbox);
    assert!(u.describe().contains("\"uat\""));

    let u = ok("https://acme--uat.cs42.my.salesforce.com");
    assert_eq!(u.sandbox.as_deref(), Some("uat"));
    assert_eq!(u.my_domain.as_deref(), Some("acme"));

    for p in Partition::ALL {
        let u = ok(&format!("https://acme.{}.my.salesforce.com", p.label()));
        assert_eq!(u.kind, HostKind::MyDomainPartition(p));
        assert_eq!(u.partition, Some(p));
        assert_eq!(u.environment, p.environment());
        assert!(u.describe().contains(p.describe()), "{}", u.describe());
    }
    assert_eq!(Partition::Trailblaze.describe(), "Trailhead Playground");
    assert_eq!(Partition::Free.describe(), "internal (reserved) org");

    let u = ok("https://acme.develop.my.site.com/s1");
    assert_eq!(u.kind, HostKind::ExperienceCloudSite);
    assert_eq!(u.partition, Some(Partition::Develop));

    let u = ok("https://acme--uat.sandbox.my.salesforce.mil");
    assert_eq!(u.cloud, Cloud::GovernmentCloud);
    assert_eq!(u.sandbox.as_deref(), Some("uat"));
    assert!(u.describe().contains("Government Cloud"));
    assert_eq!(
        ok("https://acme.my.sfcrmproducts.cn").cloud,
        Cloud::AlibabaCloud
    );
    assert_eq!(
        ok("https://acme.my-salesforce.com").cloud,
        Cloud::AlternativeDomain
    );
}

#[test]
fn generic_hosts_accept_only_their_own_generic_audience() {
    assert_eq!(
        ok("login.salesforce.com").accepted_audiences(),
        ["https://login.salesforce.com"]
    );
    assert_eq!(
        ok("https://acme.my.salesforce.com").accepted_audiences(),
        [
            "https://acme.my.salesforce.com",
            "https://login.salesforce.com"
        ]
    );
    assert_eq!(
        ok("https://acme--uat.sandbox.my.salesforce.com").accepted_audiences(),
        [
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://test.salesforce.com"
        ]
    );
    assert_eq!(
        ok("https://acme.my.site.com/customers").accepted_audiences(),
        ["https://acme.my.site.com/customers"]
    );
    assert_eq!(
        ok("http://127.0.0.1:1").accepted_audiences(),
        ["http://127.0.0.1:1"]
    );
    assert!(HostKind::Production.is_generic());
    assert!(HostKind::Sandbox.is_generic());
    assert!(!HostKind::MyDomain.is_generic());
}

#[test]
fn bare_hosts_assume_https_and_say_so() {
    let u = ok("login.salesforce.com");
    assert!(u.assumed_https);
    assert_eq!(u.origin(), "https://login.salesforce.com");
    let u = ok("acme.my.salesforce.com");
    assert!(u.assumed_https);
    assert_eq!(u.kind, HostKind::MyDomain);
    let u = ok("//acme.my.salesforce.com");
    assert!(u.assumed_https);
    assert!(!ok("https://login.salesforce.com").assumed_https);
    let u = ok("localhost:8080");
    assert!(u.assumed_https);
    assert_eq!(u.origin(), "https://localhost:8080");
    let u = ok("login.salesforce.com:443");
    assert_eq!(u.port, None);
}

#[test]
fn case_trailing_dots_and_slashes_are_normalised() {
    for input in [
        "HTTPS://LOGIN.SALESFORCE.COM",
        "https://Login.Salesforce.com/",
        "https://login.salesforce.com.",
        "https://login.salesforce.com./",
        "https://login.salesforce.com//",
        "https://login.salesforce.com:443",
    ] {
        let u = ok(input);
        assert_eq!(u.kind, HostKind::Production, "{input}");
        assert_eq!(u.origin(), "https://login.salesforce.com", "{input}");
        assert!(u.warnings.is_empty(), "{input}: {u:?}");
    }
    assert_eq!(
        ok("http://LOCALHOST.:8080").origin(),
        "http://localhost:8080"
    );
    assert_eq!(ok("http://127.1:8080").origin(), "http://127.0.0.1:8080");
}

#[test]
fn pasted_paths_warn_and_name_the_value_to_use() {
    for (input, what) in [
        (
            "https://login.salesforce.com/services/oauth2/token",
            "token endpoint",
        ),
        (
            "https://acme.my.salesforce.com/services/oauth2/authorize",
            "authorize endpoint",
        ),
        (
            "https://acme.my.salesforce.com/services/Soap/u/59.0",
            "SOAP",
        ),
        ("https://acme.my.salesforce.com/services/data/v60.0", "REST"),
        (
            "https://login.salesforce.com/services/oauth2/token&grant_type=x",
            "token endpoint",
        ),
        (
            "https://login.salesforce.com/services/oauth2/revoke",
            "OAuth endpoint",
        ),
        ("https://login.salesforce.com/services/apexrest/x", "API"),
    ] {
        let u = ok(input);
        assert_eq!(codes(&u), [WarningCode::ServicesPath], "{input}");
        assert!(u.warnings[0].message.contains(what), "{input}: {u:?}");
        assert!(
            u.warnings[0]
                .fix()
                .contains(&format!("Use {} ", u.origin())),
            "{input}: {u:?}"
        );
        assert_eq!(u.site_path, None);
        assert_eq!(u.token_endpoint(), format!("{}{TOKEN_PATH}", u.origin()));
    }

    let u = ok("https://acme.my.salesforce.com/lightning/page/home");
    assert_eq!(codes(&u), [WarningCode::PathIgnored]);
    assert!(
        u.warnings[0]
            .fix()
            .contains("https://acme.my.salesforce.com")
    );

    let u = ok("https://acme.my.site.com/customers/services/oauth2/token");
    assert_eq!(codes(&u), [WarningCode::ServicesPath]);
    assert_eq!(u.site_path.as_deref(), Some("/customers"));
    assert!(
        u.warnings[0]
            .fix()
            .contains("https://acme.my.site.com/customers as")
    );

    let u = ok("https://acme.my.site.com/customers/s/login");
    assert_eq!(codes(&u), [WarningCode::SitePagePath]);
    assert_eq!(u.default_audience(), "https://acme.my.site.com/customers");

    let u = ok("https://acme.my.site.com/services/oauth2/token");
    assert_eq!(u.site_path, None);
    assert_eq!(u.default_audience(), "https://acme.my.site.com");

    let u = ok("http://127.0.0.1:8080/services/oauth2/token");
    assert_eq!(codes(&u), [WarningCode::ServicesPath]);
    assert_eq!(u.default_audience(), "http://127.0.0.1:8080");
}

#[test]
fn query_fragment_and_ports_warn() {
    for input in [
        "https://login.salesforce.com?x=1",
        "https://login.salesforce.com#frag",
        "https://login.salesforce.com/?",
        "https://login.salesforce.com?x=1#f",
    ] {
        assert_eq!(codes(&ok(input)), [WarningCode::QueryOrFragment], "{input}");
    }
    let u = ok("https://acme.my.site.com/c?x=1");
    assert!(u.warnings[0].fix().contains("https://acme.my.site.com/c."));

    let u = ok("https://login.salesforce.com:8443");
    assert_eq!(codes(&u), [WarningCode::NonStandardPort]);
    assert_eq!(u.port, Some(8443));
    assert!(u.warnings[0].message.contains("8443"));
    assert!(ok("http://127.0.0.1:8443").warnings.is_empty());

    let u = ok("https://na1.salesforce.com:8443/services/oauth2/token?x#y");
    assert_eq!(
        codes(&u),
        [
            WarningCode::LegacyInstanceHost,
            WarningCode::NonStandardPort,
            WarningCode::ServicesPath,
            WarningCode::QueryOrFragment
        ]
    );
}

/// (input, rejection, suggestion)
const REJECTED: &[(&str, RejectionCode, Option<&str>)] = &[
    ("", RejectionCode::Empty, None),
    ("   ", RejectionCode::Empty, None),
    ("\n", RejectionCode::Empty, None),
    (
        "\"https://login.salesforce.com\"",
        RejectionCode::Quoted,
        Some("https://login.salesforce.com"),
    ),
    (
        "'acme.my.salesforce.com'",
        RejectionCode::Quoted,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "\u{201C}https://login.salesforce.com\u{201D}",
        RejectionCode::Quoted,
        Some("https://login.salesforce.com"),
    ),
    ("\"", RejectionCode::Quoted, None),
    (
        "login.salesforce.com\n",
        RejectionCode::Whitespace,
        Some("https://login.salesforce.com"),
    ),
    (
        " https://login.salesforce.com",
        RejectionCode::Whitespace,
        Some("https://login.salesforce.com"),
    ),
    ("not a url", RejectionCode::Whitespace, None),
    (
        "https://login. salesforce.com",
        RejectionCode::Whitespace,
        None,
    ),
    (
        "https://login.salesforce.com\u{00A0}",
        RejectionCode::Whitespace,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://l\u{043E}gin.salesforce.com",
        RejectionCode::NonAscii,
        None,
    ),
    (
        "https://\u{200B}login.salesforce.com",
        RejectionCode::NonAscii,
        None,
    ),
    (
        "https://login.salesforce.com/caf\u{E9}",
        RejectionCode::NonAscii,
        None,
    ),
    (
        "https:login.salesforce.com",
        RejectionCode::MalformedScheme,
        Some("https://login.salesforce.com"),
    ),
    (
        "https//login.salesforce.com",
        RejectionCode::MalformedScheme,
        Some("https://login.salesforce.com"),
    ),
    (
        "https:/login.salesforce.com",
        RejectionCode::MalformedScheme,
        Some("https://login.salesforce.com"),
    ),
    (
        "https:///login.salesforce.com",
        RejectionCode::MalformedScheme,
        Some("https://login.salesforce.com"),
    ),
    (
        "https:\\\\login.salesforce.com",
        RejectionCode::MalformedScheme,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://login.salesforce.com\\x",
        RejectionCode::Malformed,
        None,
    ),
    ("login.salesforce.com\\x", RejectionCode::Malformed, None),
    (
        "ftp://login.salesforce.com",
        RejectionCode::UnsupportedScheme,
        None,
    ),
    (
        "wss://login.salesforce.com",
        RejectionCode::UnsupportedScheme,
        None,
    ),
    ("file:///etc/passwd", RejectionCode::UnsupportedScheme, None),
    ("mailto:x@y.com", RejectionCode::UnsupportedScheme, None),
    (
        "javascript:alert(1)",
        RejectionCode::UnsupportedScheme,
        None,
    ),
    (
        "jane@acme.com",
        RejectionCode::Pasted(Pasted::Username),
        None,
    ),
    ("http://[", RejectionCode::Malformed, None),
    ("https://", RejectionCode::Malformed, None),
    ("https://???", RejectionCode::Malformed, None),
    ("https://a..b.com", RejectionCode::Malformed, None),
    ("https://*.salesforce.com", RejectionCode::Malformed, None),
    (
        "https://login.salesforce.com:99999",
        RejectionCode::Malformed,
        None,
    ),
    ("login.salesforce.com:abc", RejectionCode::Malformed, None),
    (
        "https://login.salesforce.com@evil.example",
        RejectionCode::UserInfo,
        None,
    ),
    (
        "https://user:pw@login.salesforce.com",
        RejectionCode::UserInfo,
        None,
    ),
    (
        "https://:pw@login.salesforce.com",
        RejectionCode::UserInfo,
        None,
    ),
    (
        "http://login.salesforce.com",
        RejectionCode::InsecureHttp,
        Some("https://login.salesforce.com"),
    ),
    (
        "http://acme.my.site.com/customers",
        RejectionCode::InsecureHttp,
        Some("https://acme.my.site.com/customers"),
    ),
    (
        "https://acme.lightning.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "http://acme.lightning.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme--uat.sandbox.lightning.force.com/lightning/page/home",
        RejectionCode::NotLoginHost,
        Some("https://acme--uat.sandbox.my.salesforce.com"),
    ),
    (
        "https://acme.develop.lightning.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.develop.my.salesforce.com"),
    ),
    (
        "https://acme.lightning.crmforce.mil",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.mil"),
    ),
    (
        "https://acme.lightning.sfcrmapps.cn",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.sfcrmproducts.cn"),
    ),
    (
        "https://acme.my-lightning.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my-salesforce.com"),
    ),
    (
        "https://acme.file.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme--c.vf.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme--uat--c.sandbox.vf.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme--uat.sandbox.my.salesforce.com"),
    ),
    (
        "https://acme--c.visualforce.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme--c.na1.visual.force.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme.my.salesforce-setup.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://lightning.force.com",
        RejectionCode::NotLoginHost,
        None,
    ),
    (
        "https://www.salesforce.com",
        RejectionCode::NotLoginHost,
        None,
    ),
    (
        "https://help.salesforce.com",
        RejectionCode::NotLoginHost,
        None,
    ),
    (
        "https://acme.salesforce.com",
        RejectionCode::NotLoginHost,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    ("https://my.site.com", RejectionCode::IncompleteHost, None),
    (
        "https://acme.sandbox.my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "https://-acme.my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "https://acme_corp.my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "https://acme--.my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "https://acme--a--b.my.salesforce.com",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "https://salesforce.com",
        RejectionCode::IncompleteHost,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://force.com",
        RejectionCode::IncompleteHost,
        Some("https://login.salesforce.com"),
    ),
    ("https://visualforce.com", RejectionCode::NotLoginHost, None),
    (
        "https://salesforce.mil",
        RejectionCode::IncompleteHost,
        None,
    ),
    (
        "login.saleforce.com",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://login.salesforce.co",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "test.saslesforce.com",
        RejectionCode::Typo,
        Some("https://test.salesforce.com"),
    ),
    (
        "logn.salesforce.com",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://lgoin.salesforce.com",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://tset.salesforce.com",
        RejectionCode::Typo,
        Some("https://test.salesforce.com"),
    ),
    (
        "https://logn.saleforce.com",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://login.salesforce.org",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://login.salesforce.co.uk",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://login.salesforce",
        RejectionCode::Typo,
        Some("https://login.salesforce.com"),
    ),
    (
        "https://acme.my.salesfroce.com",
        RejectionCode::Typo,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme.mysalesforce.com",
        RejectionCode::Typo,
        Some("https://acme.my.salesforce.com"),
    ),
    (
        "https://acme.forse.com/customers",
        RejectionCode::Typo,
        Some("https://acme.force.com"),
    ),
    (
        "https://login.salesforce.com.evil.example",
        RejectionCode::LookAlike,
        None,
    ),
    (
        "https://salesforce.com.evil",
        RejectionCode::LookAlike,
        None,
    ),
    (
        "https://login-salesforce.com",
        RejectionCode::LookAlike,
        None,
    ),
    (
        "https://salesforce-login.net",
        RejectionCode::LookAlike,
        None,
    ),
    (
        "https://acme.my.site.com.evil.example",
        RejectionCode::LookAlike,
        None,
    ),
    ("https://evil.example", RejectionCode::NotSalesforce, None),
    ("https://login.acme.com", RejectionCode::NotSalesforce, None),
    (
        "https://localhost.evil.example",
        RejectionCode::NotSalesforce,
        None,
    ),
    ("https://sub.localhost", RejectionCode::NotSalesforce, None),
    ("https://example", RejectionCode::NotSalesforce, None),
    ("https://10.0.0.1", RejectionCode::NotSalesforce, None),
    ("http://0.0.0.0:8080", RejectionCode::NotSalesforce, None),
    ("http://[::2]:8080", RejectionCode::NotSalesforce, None),
    (
        "http://[::ffff:127.0.0.1]:8080",
        RejectionCode::NotSalesforce,
        None,
    ),
];

#[test]
fn rejected_inputs_say_why_and_suggest_a_fix() {
    for &(input, code, suggestion) in REJECTED {
        let r = rejected(input);
        assert_eq!(r.code, code, "{input:?}: {r:?}");
        assert_eq!(r.suggestion.as_deref(), suggestion, "{input:?}: {r:?}");
        assert!(!r.message.is_empty() && !r.fix().is_empty(), "{input:?}");
        assert!(!r.message.contains('\n'), "{input:?}: one line");
        if let Some(s) = suggestion {
            // A suggestion is always itself a clean login URL.
            let u = ok(s);
            assert!(u.warnings.is_empty(), "{s}");
            assert!(
                r.message.contains(s) || r.fix().contains(s),
                "{input:?}: {r:?}"
            );
        }
    }
}

#[test]
fn rejection_messages_explain_the_mechanism() {
    let r = rejected("http://login.salesforce.com");
    assert!(r.message.contains("unsupported_grant_type"));
    assert!(r.message.contains("GET"));
    let r = rejected("https://acme.lightning.force.com");
    assert!(
        r.message
            .contains("did you mean https://acme.my.salesforce.com")
    );
    let r = rejected("https://login.salesforce.com@evil.example");
    assert!(r.message.contains("evil.example"));
    assert_eq!(r.host.as_deref(), Some("evil.example"));
    let r = rejected("https://login.salesforce.com.evil.example");
    assert!(r.message.contains("belongs to evil.example"));
    let r = rejected("login.salesforce.com\n");
    assert!(r.message.contains("trailing newline"), "{}", r.message);
    assert!(r.message.contains("\\n"), "{}", r.message);
    let r = rejected(" x");
    assert!(r.message.contains("leading space"));
    let r = rejected("https://l\u{043E}gin.salesforce.com");
    assert!(r.message.contains("U+043E"));
    let r = rejected("https://\u{200B}login.salesforce.com");
    assert!(r.message.contains("invisible"));
    let r = rejected("https://10.0.0.1");
    assert_eq!(r.host.as_deref(), Some("10.0.0.1"));
    let r = rejected("https://evil.example");
    assert_eq!(r.host.as_deref(), Some("evil.example"));
    assert!(r.message.contains("no custom domain was declared"));
    assert!(r.custom_domain_possible);
}

#[test]
fn messages_quote_at_most_a_bounded_part_of_the_input() {
    let long = format!("https://{}.example", "a".repeat(3000));
    let r = rejected(&long);
    assert_eq!(r.code, RejectionCode::TooLong);
    assert!(r.message.len() < 200);
    let long = format!("https://evil.example/{}", "a".repeat(1500));
    let r = rejected(&format!("'{long}'"));
    assert!(r.message.len() < 300, "{}", r.message);
    assert!(crate::text::quoted(&"x".repeat(500)).chars().count() < MAX_SHOWN + 5);
}

/// Odd inputs [`parse`] must survive: broken brackets, bare punctuation, empty labels.
const ODD_INPUTS: &[&str] = &[
    "",
    " ",
    "\0",
    "http://[",
    "https://[",
    "https://]",
    "https://[::1",
    "[::1]",
    "[::1]:8080",
    "::",
    ":",
    "://",
    "https:",
    "https:/",
    "//",
    "/",
    "@",
    "a@",
    "@b",
    "https://@",
    "https://:@",
    "https://%",
    "https://%zz",
    "https://%41.com",
    "https://xn--",
    "https://xn--ls8h.la",
    "https://.",
    "https://..",
    "...",
    "-",
    "https://-",
    "https://a-",
    "0",
    "127.0.0.1",
    "http://127.0.0.1:0",
    "http://127.0.0.1:65535",
    "http://127.0.0.1:65536",
    "https://login.salesforce.com:",
    "\u{1F600}",
    "ログイン.salesforce.com",
    "\u{FEFF}https://login.salesforce.com",
    "https://\u{0}x.com",
    "h\tt\tt\tp",
    "https://login.salesforce.com/%",
    "?",
    "#",
    "https://login.salesforce.com/\u{0}",
    "\"\"",
    "''",
    "“”",
    "--",
    "a--b",
    "https://a--b.my.salesforce.com",
    "https://--.my.salesforce.com",
    "https://.my.salesforce.com",
    "https://x..my.salesforce.com",
    "https://s.my.site.com/s",
    "https://s.my.site.com/S/services",
    "https://cs.salesforce.com",
    "https://cs1x.salesforce.com",
    "https://na.salesforce.com",
    "https://1.salesforce.com",
    "my",
    "sandbox",
    "https://sandbox.my.salesforce.com",
    "https://x.sandbox.my.site.com",
    "https://--uat.sandbox.my.salesforce.com",
];

#[test]
fn never_panics_on_odd_input() {
    let big = "a".repeat(10 * 1024);
    let mut inputs: Vec<String> = ODD_INPUTS.iter().map(|s| s.to_string()).collect();
    inputs.push(big.clone());
    inputs.push(format!("https://{big}"));
    inputs.push(format!("https://login.salesforce.com/{big}"));
    inputs.push(format!("https://{}", "a.".repeat(700)));
    inputs.push("\u{00E9}".repeat(5000));
    inputs.push("%40".repeat(3000));
    inputs.push("https://".repeat(1000));
    for input in &inputs {
        match parse(input) {
            Ok(u) => {
                let _ = (
                    u.origin(),
                    u.default_audience(),
                    u.token_endpoint(),
                    u.describe(),
                );
            }
            Err(r) => assert!(!r.message.is_empty()),
        }
    }
}

#[test]
fn edit_distance_counts_transpositions_once() {
    assert_eq!(edit_distance("login", "login"), 0);
    assert_eq!(edit_distance("logn", "login"), 1);
    assert_eq!(edit_distance("lgoin", "login"), 1);
    assert_eq!(edit_distance("saslesforce", "salesforce"), 1);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", ""), 3);
}

#[test]
fn labels_and_helpers() {
    assert!(is_instance_label("na1"));
    assert!(is_instance_label("usa3s"));
    assert!(is_instance_label("eu10"));
    assert!(!is_instance_label("login"));
    assert!(!is_instance_label("a1"));
    assert!(!is_instance_label("na"));
    assert!(is_cs_label("cs42"));
    assert!(!is_cs_label("cs"));
    assert_eq!(
        split_sandbox("acme--uat"),
        Some(("acme".into(), Some("uat".into())))
    );
    assert_eq!(split_sandbox("acme"), Some(("acme".into(), None)));
    assert_eq!(split_sandbox("acme--"), None);
    assert_eq!(describe_whitespace("a\tb"), "a tab inside it");
    assert_eq!(describe_whitespace("a\r"), "a trailing carriage return");
    assert_eq!(Environment::Sandbox.to_string(), "sandbox");
    for code in [
        WarningCode::ServicesPath,
        WarningCode::PathIgnored,
        WarningCode::SitePagePath,
        WarningCode::QueryOrFragment,
        WarningCode::NonStandardPort,
        WarningCode::LegacyInstanceHost,
        WarningCode::UnrecognisedSalesforceHost,
    ] {
        assert!(!code.as_str().is_empty());
    }
}

/// The derived names are the evidence strings reports have always carried.
#[test]
fn derived_names_are_the_stable_strings() {
    use HostKind as K;
    let kinds = [
        (K::Production, "production"),
        (K::Sandbox, "sandbox"),
        (K::MyDomain, "my-domain"),
        (K::MyDomainSandbox, "my-domain-sandbox"),
        (K::MyDomainPartition(Partition::Demo), "my-domain-partition"),
        (K::ExperienceCloudSite, "experience-cloud-site"),
        (K::LegacySite, "legacy-site"),
        (K::LegacySandboxInstance, "legacy-sandbox-instance"),
        (K::LegacyInstance, "legacy-instance"),
        (K::UnrecognisedSalesforce, "unrecognised-salesforce-host"),
        (K::Loopback, "loopback"),
    ];
    for (k, s) in kinds {
        assert_eq!(k.as_str(), s);
    }
    assert_eq!(RejectionCode::UserInfo.as_str(), "userinfo");
    assert_eq!(
        RejectionCode::Pasted(Pasted::Secret).as_str(),
        "looks-like-secret"
    );
    assert_eq!(RejectionCode::NonAscii.as_str(), "non-ascii");
    assert_eq!(WarningCode::QueryOrFragment.as_str(), "query-or-fragment");
    assert_eq!(
        WarningCode::UnrecognisedSalesforceHost.as_str(),
        "unrecognised-salesforce-host"
    );
    assert_eq!(Cloud::GovernmentCloud.as_str(), "government-cloud");
    assert_eq!(Environment::Unknown.as_str(), "unknown");
    assert_eq!(Partition::Trailblaze.label(), "trailblaze");
    use crate::salesforce::identity::SecretFormat as F;
    assert_eq!(F::UpperHex64.as_str(), "hex-64-upper");
    assert_eq!(F::LegacyDigits19.as_str(), "digits-19");
    assert_eq!(F::LowerHex64.as_str(), "hex-64-lower");
    assert_eq!(F::ConsumerKey.as_str(), "consumer-key");
}

mod custom_domains;
