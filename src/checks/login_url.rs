//! login-url.host: the authorization server URL is HTTPS on a Salesforce login host, and which
//! kind of host it is.

use serde_json::Value;

use super::{Check, Docs, Group, Scratch, Skip, require};
use crate::bundle::Bundle;
use crate::context::Context;
use crate::finding::Outcome;
use crate::salesforce::hosts::{HostKind, LoginUrl};
use crate::steps::Step;

pub static LOGIN_URL_HOST: Check = Check {
    id: "login-url.host",
    title: "Login URL host",
    steps: &[Step::LoginUrl],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The URL is HTTPS on a Salesforce login host, and says which kind: production, sandbox, My Domain, Experience Cloud site.",
        what: "Parses the authorization server (login) URL and classifies its host: login.salesforce.com, test.salesforce.com, a My Domain (<name>.my.salesforce.com, <name>--<sandbox>.sandbox.my.salesforce.com, partitions such as <name>.develop.my.salesforce.com or .scratch.), an Experience Cloud site (<name>.my.site.com/<path>, legacy <name>.force.com/<path>), Government Cloud (.my.salesforce.mil), Alibaba Cloud (.my.sfcrmproducts.cn), alternative domains (.my-salesforce.com), legacy instance hosts (na1, csNN), or a loopback address for a local emulator. A bare host is accepted and https:// assumed. From the URL sfjwt derives the origin, the default aud and the token endpoint <origin>[/<site path>]/services/oauth2/token; the evidence lists them.",
        why: "The token POST must reach the org that holds the app and the user, over HTTPS, on a host that serves /services/oauth2/token. http:// and Lightning (*.lightning.force.com), Visualforce or file hosts answer with a redirect that turns the POST into a GET, and Salesforce then says unsupported_grant_type (or 405). A misspelt host answers with a parking page; a look-alike host would receive a signed assertion, a credential for its lifetime. The host also decides the aud claim: a production aud on a sandbox host gives 'audience is invalid', and past Spring '26 External Client Apps may reject the generic hosts with app_not_found ('External client app is not installed in this org').",
        fix: "Use the login URL of the org that holds the External Client App and the user: https://login.salesforce.com for production, https://test.salesforce.com for sandboxes, or (preferred, and required by External Client Apps on some orgs past Spring '26) the org's My Domain URL from Setup > My Domain, such as https://acme.my.salesforce.com or https://acme--uat.sandbox.my.salesforce.com. For an Experience Cloud site, use the site URL with its path (https://acme.my.site.com/customers) from Setup > Digital Experiences > All Sites. Give only the scheme and host (plus a site path): sfjwt appends /services/oauth2/token itself. Set it with --login-url, $SFJWT_LOGIN_URL, or login_url in sfjwt.toml.",
        references: &[
            "Salesforce Help, OAuth Endpoints (remoteaccess_oauth_endpoints): HTTPS required; login.salesforce.com, test.salesforce.com, My Domain and Experience Cloud site hosts",
            "Salesforce Help, OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (remoteaccess_oauth_jwt_flow): the aud values",
            "Salesforce Help, My Domain URL formats; OrgDomainLog.DomainPartition (develop, scratch, patch, demo, trailblaze, free)",
            "forcedotcom/sfdx-core src/util/sfdcUrl.ts: isSandboxUrl, getLoginAudienceCombos, Lightning domain mapping",
            "n8n-io/n8n#28990 and PR#29016, simstudioai/sim PR#6508, forcedotcom/cli#3482: External Client Apps past Spring '26 reject generic hosts with app_not_found",
            "jsforce/jsforce#1161 and #1352, SalesforceCommerceCloud/b2c-crm-sync#16, aaronhuggins/sf-jwt-token#1: redirects (http://, Lightning hosts) turn the POST into a GET",
            "newrelic/newrelic-salesforce-exporter#6: a misspelt host (test.saslesforce.com) answering with a parking page",
            "simple-salesforce/simple-salesforce#814: known issue of intermittent 500 errors from test.salesforce.com",
        ],
    },
    run,
};

const SPRING_26_NOTE: &str = "Past Spring '26, External Client Apps may reject generic hosts and aud with app_not_found (\"External client app is not installed in this org\"): then use the org's My Domain URL for both the token endpoint and aud";

fn run(bundle: &Bundle, _ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let (setting, parsed) = require::login_url_parsed(bundle).map_err(|skip| {
        Skip::new(format!(
            "{skip} (e.g. https://login.salesforce.com or your My Domain URL)"
        ))
    })?;
    let from = setting.origin.to_string();
    let outcome = match parsed {
        Err(r) => {
            let mut out = Outcome::fail(format!("{} (from {from})", r.message), r.fix())
                .with("source", from)
                .with("problem", r.code.as_str());
            if let Some(s) = &r.suggestion {
                out = out.with("suggestion", s.as_str());
            }
            if let Some(h) = &r.host {
                out = out.with("host", h.as_str());
            }
            out
        }
        Ok(url) => assess(url, &from).with("url", url.base_url()),
    };
    Ok(super::key::file_evidence(outcome, &setting.origin))
}

fn assess(url: &LoginUrl, from: &str) -> Outcome {
    let base = url.base_url();
    let assumed = if url.assumed_https {
        " (https:// assumed)"
    } else {
        ""
    };
    let head = format!("{base}{assumed} is {}", url.describe());
    let outcome = if !url.warnings.is_empty() {
        let problems: Vec<&str> = url.warnings.iter().map(|w| w.message.as_str()).collect();
        let fixes: Vec<&str> = url.warnings.iter().map(|w| w.fix()).collect();
        Outcome::warn(
            format!("{head}, but {} (from {from})", problems.join("; ")),
            fixes.join(" "),
        )
    } else {
        match url.kind {
            HostKind::Loopback => Outcome::info(format!(
                "{head}, used for tests only; its origin {} is the audience (from {from})",
                url.default_audience()
            )),
            HostKind::Production => {
                Outcome::pass(format!("{head} (from {from}). {SPRING_26_NOTE}."))
            }
            HostKind::Sandbox => Outcome::pass(format!(
                "{head} (from {from}). {SPRING_26_NOTE}, which also avoids the known intermittent 500 errors of test.salesforce.com."
            )),
            _ => Outcome::pass(format!("{head} (from {from})")),
        }
    };
    evidence(outcome, url, from)
}

fn evidence(mut out: Outcome, url: &LoginUrl, from: &str) -> Outcome {
    out = out
        .with("source", from)
        .with("host_kind", url.kind.as_str())
        .with("environment", url.environment.as_str())
        .with("cloud", url.cloud.as_str())
        .with("host", url.host.as_str())
        .with("origin", url.origin())
        .with("default_audience", url.default_audience())
        .with("accepted_audiences", Value::from(url.accepted_audiences()))
        .with("token_endpoint", url.token_endpoint())
        .with("assumed_https", url.assumed_https);
    if let Some(s) = &url.sandbox {
        out = out.with("sandbox", s.as_str());
    }
    if let Some(m) = &url.my_domain {
        out = out.with("my_domain", m.as_str());
    }
    if let Some(p) = url.partition {
        out = out
            .with("partition", p.label())
            .with("org_type", p.describe());
    }
    if let Some(p) = &url.site_path {
        out = out.with("site_path", p.as_str());
    }
    if let Some(p) = url.port {
        out = out.with("port", p);
    }
    if !url.warnings.is_empty() {
        let codes: Vec<&str> = url.warnings.iter().map(|w| w.code.as_str()).collect();
        out = out.with("warnings", Value::from(codes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Origin, Setting};
    use crate::checks::testing::ctx;
    use crate::finding::Status;

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
}
