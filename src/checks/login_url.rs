//! login-url.host: the authorization server URL is HTTPS on a Salesforce login host, and which
//! kind of host it is.

use serde_json::Value;

use super::{Check, Docs, Group, Scratch, Skip, require};
use crate::bundle::{Bundle, Declared, inputs};
use crate::context::Context;
use crate::finding::Outcome;
use crate::salesforce::hosts::{HostKind, LoginUrl, Rejection, RejectionCode};
use crate::steps::Step;

pub static LOGIN_URL_HOST: Check = Check {
    id: "login-url.host",
    title: "Login URL host",
    steps: &[Step::LoginUrl],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The URL is HTTPS on a Salesforce login host, and says which kind: production, sandbox, My Domain, Experience Cloud site.",
        what: "Parses the authorization server (login) URL and classifies its host: login.salesforce.com, test.salesforce.com, a My Domain (<name>.my.salesforce.com, <name>--<sandbox>.sandbox.my.salesforce.com, partitions such as <name>.develop.my.salesforce.com or .scratch.), an Experience Cloud site (<name>.my.site.com/<path>, legacy <name>.force.com/<path>), Government Cloud (.my.salesforce.mil), Alibaba Cloud (.my.sfcrmproducts.cn), alternative domains (.my-salesforce.com), legacy instance hosts (na1, csNN), or a loopback address for a local emulator. A bare host is accepted and https:// assumed. A custom domain of the org (a CNAME to Salesforce such as login.acme.com, or an Experience Cloud site on the company's domain such as https://partners.acme.com or https://acme.com/customers) is no host sfjwt can recognise: declare it with --custom-domain login or --custom-domain site ($SFJWT_CUSTOM_DOMAIN, custom_domain in sfjwt.toml), and it is reported as declared, info, since it can't be verified offline (--live proves it); HTTPS is still required, and typos, look-alikes of Salesforce's domains and placeholders fail all the same. A declaration on a Salesforce host is not needed and warns. The placeholders of the setup guide and of Salesforce's docs (site.force.com/customers, MyDomainName.my.salesforce.com, MyDomainName--SandboxName.sandbox.my.salesforce.com, MyCompany, yourInstance, <name>) fail as such. From the URL sfjwt derives the origin, the default aud (the origin, or the site URL with its path for a site, declared or not) and the token endpoint <origin>[/<site path>]/services/oauth2/token; the evidence lists them.",
        why: "The token POST must reach the org that holds the app and the user, over HTTPS, on a host that serves /services/oauth2/token. http:// and Lightning (*.lightning.force.com), Visualforce or file hosts answer with a redirect that turns the POST into a GET, and Salesforce then says unsupported_grant_type (or 405). A misspelt host answers with a parking page; a look-alike host would receive a signed assertion, a credential for its lifetime. The host also decides the aud claim: a production aud on a sandbox host gives 'audience is invalid', and past Spring '26 External Client Apps may reject the generic hosts with app_not_found ('External client app is not installed in this org').",
        fix: "Use the login URL of the org that holds the External Client App and the user: https://login.salesforce.com for production, https://test.salesforce.com for sandboxes, or (preferred, and required by External Client Apps on some orgs past Spring '26) the org's My Domain URL from Setup > My Domain, such as https://acme.my.salesforce.com or https://acme--uat.sandbox.my.salesforce.com. For an Experience Cloud site, use the site URL with its path (https://acme.my.site.com/customers) from Setup > Digital Experiences > All Sites. A value copied from the setup guide or the docs (site.force.com/customers, MyDomainName...) is a placeholder: put the org's own URL. Give only the scheme and host (plus a site path): sfjwt appends /services/oauth2/token itself. Set it with --login-url, $SFJWT_LOGIN_URL, or login_url in sfjwt.toml. For the org's custom domain, add --custom-domain login (or site for an Experience Cloud site on your domain), or custom_domain = \"login\" in sfjwt.toml, then run sfjwt check --live to prove the host reaches the org.",
        references: &[
            "Salesforce Help, OAuth Endpoints (remoteaccess_oauth_endpoints): HTTPS required; login.salesforce.com, test.salesforce.com, My Domain and Experience Cloud site hosts",
            "Salesforce Help, OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (remoteaccess_oauth_jwt_flow): the aud values",
            "Salesforce Help, My Domain URL formats; OrgDomainLog.DomainPartition (develop, scratch, patch, demo, trailblaze, free)",
            "forcedotcom/sfdx-core src/util/sfdcUrl.ts: isSandboxUrl, getLoginAudienceCombos, Lightning domain mapping",
            "n8n-io/n8n#28990 and PR#29016, simstudioai/sim PR#6508, forcedotcom/cli#3482: External Client Apps past Spring '26 reject generic hosts with app_not_found",
            "jsforce/jsforce#1161 and #1352, SalesforceCommerceCloud/b2c-crm-sync#16, aaronhuggins/sf-jwt-token#1: redirects (http://, Lightning hosts) turn the POST into a GET",
            "newrelic/newrelic-salesforce-exporter#6: a misspelt host (test.saslesforce.com) answering with a parking page",
            "simple-salesforce/simple-salesforce#814: known issue of intermittent 500 errors from test.salesforce.com",
            "Salesforce Help, OAuth Endpoints: \"a custom URL\" among the supported hosts; forcedotcom/datacloud-jdbc PR#64 and PR#132: aud = scheme + host of the login URL, custom hosts included",
            "setup guide Step 5 (site.force.com/customers) and Salesforce Help, OAuth 2.0 JWT Bearer Flow (https://site.force.com/customers): placeholders, not real sites",
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
    let declared = bundle.custom_domain.as_ref();
    let outcome = match parsed {
        Err(r) => rejected(r, &from, declared),
        Ok(url) => assess(url, &from, declared).with("url", url.base_url()),
    };
    let outcome = match declared {
        Some(d) => outcome
            .with("custom_domain", d.kind.as_str())
            .with("custom_domain_source", d.origin.to_string()),
        None => outcome,
    };
    Ok(super::key::file_evidence(outcome, &setting.origin))
}

/// A login URL that can't be used. A host that could be the org's own domain is told how to
/// declare it; a declaration never covers a typo, a look-alike or a placeholder.
fn rejected(r: &Rejection, from: &str, declared: Option<&Declared>) -> Outcome {
    let mut fix = r.fix().to_string();
    let mut message = r.message.clone();
    match (declared, r.custom_domain_possible) {
        (None, true) => {
            let host = r.host.as_deref().unwrap_or("the host");
            fix.push_str(&format!(
                " If {host} is your org's custom domain (a CNAME to Salesforce: --custom-domain login) or an Experience Cloud site on your own domain (--custom-domain site), declare it: {}.",
                inputs::CUSTOM_DOMAIN.how_to_give()
            ));
        }
        (Some(d), false) if r.host.is_some() && r.code != RejectionCode::InsecureHttp => {
            // After a question ("did you mean ...?") a sentence of its own, else a clause.
            let declared = d.origin.to_string();
            message.push_str(&if message.ends_with('?') {
                format!(" The custom domain declaration ({declared}) does not cover it")
            } else {
                format!("; the custom domain declaration ({declared}) does not cover it")
            });
        }
        _ => {}
    }
    let mut out = Outcome::fail(format!("{message} (from {from})"), fix)
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

fn assess(url: &LoginUrl, from: &str, declared: Option<&Declared>) -> Outcome {
    let base = url.base_url();
    let assumed = if url.assumed_https {
        " (https:// assumed)"
    } else {
        ""
    };
    let head = format!("{base}{assumed} is {}", url.describe());
    let mut problems: Vec<String> = url.warnings.iter().map(|w| w.message.clone()).collect();
    let mut fixes: Vec<String> = url.warnings.iter().map(|w| w.fix().to_string()).collect();
    if let Some(d) = declared.filter(|_| !url.kind.is_declared()) {
        problems.push(format!(
            "it is declared a custom domain ({}), which a Salesforce host does not need: the declaration would let a wrong host through unchecked if the login URL changed",
            d.origin
        ));
        fixes.push(format!(
            "Remove the declaration ({}); it is for hosts that are not Salesforce's.",
            d.origin
        ));
    }
    let outcome = if !problems.is_empty() {
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
            HostKind::CustomDomain | HostKind::CustomDomainSite => {
                declared_outcome(url, &head, from, declared)
            }
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

/// A host the user declared their custom domain: what it is taken for, and how to prove it.
fn declared_outcome(
    url: &LoginUrl,
    head: &str,
    from: &str,
    declared: Option<&Declared>,
) -> Outcome {
    let by = declared.map_or_else(|| "the declaration".to_string(), |d| d.origin.to_string());
    let audience = if url.kind.is_site() {
        "its site URL"
    } else {
        "its origin"
    };
    let mut out = Outcome::info(format!(
        "{head}, as {by} declares; that it reaches your org can't be verified offline: `sfjwt check --live` proves it by getting a token at {} (HTTPS only); {audience} {} is the audience (from {from})",
        url.token_endpoint(),
        url.default_audience()
    ));
    out.fix = Some(format!(
        "Run `sfjwt check --live` to prove that {} is your org's; if Salesforce answers with an error, see token.exchange.",
        url.host
    ));
    out
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
mod tests;
