//! Classifying a host name: which kind of Salesforce host it is, or why it is not a login host.

use super::placeholders::{placeholder_host, placeholder_in};
use super::typos::{login_label_typo, not_salesforce, typo};
use super::*;

/// The classification of a host name, before the URL's path and scheme are looked at.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct HostClass {
    pub(super) kind: HostKind,
    pub(super) cloud: Cloud,
    pub(super) environment: Environment,
    pub(super) my_domain: Option<String>,
    pub(super) sandbox: Option<String>,
    pub(super) partition: Option<Partition>,
    pub(super) warnings: Vec<UrlWarning>,
}

impl HostClass {
    pub(super) fn simple(kind: HostKind, cloud: Cloud, environment: Environment) -> Self {
        HostClass {
            kind,
            cloud,
            environment,
            my_domain: None,
            sandbox: None,
            partition: None,
            warnings: Vec::new(),
        }
    }
    fn warn(mut self, code: WarningCode, message: String, fix: String) -> Self {
        self.warnings.push(UrlWarning::new(code, message, fix));
        self
    }
}

/// My Domain login suffixes, with their cloud.
const MY_DOMAIN_SUFFIXES: &[(&str, Cloud)] = &[
    ("my.salesforce.com", Cloud::Commercial),
    ("my.salesforce.mil", Cloud::GovernmentCloud),
    ("my.sfcrmproducts.cn", Cloud::AlibabaCloud),
    ("my-salesforce.com", Cloud::AlternativeDomain),
];

/// Salesforce hosts that never serve the token endpoint: (suffix, what it is, the My Domain
/// suffix of the login host that goes with it, whether the first label carries a
/// `--<package>` part to strip).
const NOT_LOGIN_SUFFIXES: &[(&str, &str, &str, bool)] = &[
    (
        "lightning.force.com",
        "a Lightning Experience host",
        "my.salesforce.com",
        false,
    ),
    (
        "lightning.crmforce.mil",
        "a Government Cloud Lightning Experience host",
        "my.salesforce.mil",
        false,
    ),
    (
        "lightning.sfcrmapps.cn",
        "an Alibaba Cloud Lightning Experience host",
        "my.sfcrmproducts.cn",
        false,
    ),
    (
        "my-lightning.com",
        "an alternative-domain Lightning Experience host",
        "my-salesforce.com",
        false,
    ),
    (
        "my.salesforce-setup.com",
        "a Setup host",
        "my.salesforce.com",
        false,
    ),
    (
        "file.force.com",
        "a file (content) host",
        "my.salesforce.com",
        false,
    ),
    (
        "content.force.com",
        "a file (content) host",
        "my.salesforce.com",
        true,
    ),
    (
        "documentforce.com",
        "a file (content) host",
        "my.salesforce.com",
        true,
    ),
    (
        "vf.force.com",
        "a Visualforce host",
        "my.salesforce.com",
        true,
    ),
    (
        "visual.force.com",
        "a Visualforce host",
        "my.salesforce.com",
        true,
    ),
    (
        "visualforce.com",
        "a Visualforce host",
        "my.salesforce.com",
        true,
    ),
];

/// Registrable domains Salesforce owns (hosts under them are Salesforce hosts). `site.com` is
/// only Salesforce's under `my.site.com` as far as sfjwt is concerned.
const SALESFORCE_DOMAINS: &[&str] = &[
    "salesforce.com",
    "force.com",
    "my.site.com",
    "salesforce.mil",
    "crmforce.mil",
    "sfcrmproducts.cn",
    "sfcrmapps.cn",
    "my-salesforce.com",
    "my-lightning.com",
    "visualforce.com",
    "salesforce-setup.com",
    "salesforce-sites.com",
    "documentforce.com",
    "salesforce-experience.com",
    "salesforce-scrt.com",
    "cloudforce.com",
    "database.com",
];

/// Web hosts on salesforce.com that people paste by mistake.
const WEB_HOSTS: &[&str] = &[
    "www",
    "help",
    "developer",
    "developers",
    "trailhead",
    "appexchange",
    "status",
    "trust",
    "success",
    "partners",
    "admin",
    "setup",
    "lightning",
    "my",
    "api",
];

fn under(host: &str, suffix: &str) -> Option<String> {
    host.strip_suffix(suffix)
        .and_then(|p| p.strip_suffix('.'))
        .map(str::to_string)
}

pub(super) fn is_instance_label(l: &str) -> bool {
    let letters = l.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &l[letters..];
    let rest = rest.strip_suffix('s').unwrap_or(rest);
    (2..=4).contains(&letters) && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn is_cs_label(l: &str) -> bool {
    l.strip_prefix("cs")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

fn is_my_domain_name(n: &str) -> bool {
    !n.is_empty()
        && !n.starts_with('-')
        && !n.ends_with('-')
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `acme--uat` → (`acme`, Some(`uat`)); `acme` → (`acme`, None). `None` when malformed.
pub(super) fn split_sandbox(label: &str) -> Option<(String, Option<String>)> {
    match label.split_once("--") {
        None => is_my_domain_name(label).then(|| (label.to_string(), None)),
        Some((name, sbx)) => {
            let ok = is_my_domain_name(name)
                && !sbx.is_empty()
                && !sbx.contains("--")
                && sbx.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            ok.then(|| (name.to_string(), Some(sbx.to_string())))
        }
    }
}

fn legacy_instance_warning(host: &str, sandbox: bool) -> (WarningCode, String, String) {
    let generic = if sandbox {
        GENERIC_SANDBOX
    } else {
        GENERIC_PRODUCTION
    };
    (
        WarningCode::LegacyInstanceHost,
        format!(
            "{host} is a legacy instanced host: instance names change when orgs move, and such hosts are refused when the org turns on \"Prevent login from {generic}\" or requires its My Domain for API logins"
        ),
        format!("Use the org's My Domain URL (Setup > My Domain shows it), or {generic}."),
    )
}

fn incomplete(host: &str, why: &str, example: &str) -> Rejection {
    reject(
        RejectionCode::IncompleteHost,
        format!("{host} is not a complete Salesforce login host: {why}"),
        format!(
            "Copy the login URL from Setup > My Domain (it looks like {example}), or use {GENERIC_PRODUCTION} / {GENERIC_SANDBOX}."
        ),
    )
}

/// Classifies a My Domain-style prefix (everything before `my.salesforce.com` or `my.site.com`).
fn classify_my_domain_prefix(
    host: &str,
    prefix: &str,
    cloud: Cloud,
    site: bool,
    suffix: &str,
) -> Result<HostClass, Rejection> {
    let labels: Vec<&str> = prefix.split('.').collect();
    let example = format!("https://<name>.{suffix}");
    let bad_name = || {
        incomplete(
            host,
            &format!(
                "{} is not a valid My Domain name (letters, digits and single hyphens)",
                quoted(labels[0])
            ),
            &example,
        )
    };
    let (name, sbx) = split_sandbox(labels[0]).ok_or_else(bad_name)?;
    let base_kind = if site {
        HostKind::ExperienceCloudSite
    } else {
        HostKind::MyDomain
    };
    let mut class = HostClass::simple(base_kind, cloud, Environment::Production);
    class.my_domain = Some(name);
    match labels.as_slice() {
        [first] if !site && cloud == Cloud::Commercial && is_cs_label(first) => {
            class.kind = HostKind::LegacySandboxInstance;
            class.environment = Environment::Sandbox;
            class.my_domain = None;
            let (c, m, f) = legacy_instance_warning(host, true);
            class = class.warn(c, m, f);
        }
        [_] => {
            if let Some(s) = sbx {
                // Pre-enhanced-domains sandbox My Domain: acme--uat.my.salesforce.com.
                if !site {
                    class.kind = HostKind::MyDomainSandbox;
                }
                class.environment = Environment::Sandbox;
                class.sandbox = Some(s);
            }
        }
        [_, "sandbox"] => {
            let Some(s) = sbx else {
                return Err(incomplete(
                    host,
                    "a sandbox host names the sandbox after the My Domain name",
                    &format!("https://<name>--<sandbox>.sandbox.{suffix}"),
                ));
            };
            if !site {
                class.kind = HostKind::MyDomainSandbox;
            }
            class.environment = Environment::Sandbox;
            class.sandbox = Some(s);
        }
        [_, second] => class = classify_second_label(class, host, second, sbx, site, suffix),
        _ => class = unrecognised_shape(class, sbx, host, suffix),
    }
    Ok(class)
}

/// `<name>.<second>.<suffix>`: a partition, a legacy instance, or a shape sfjwt does not know.
fn classify_second_label(
    mut class: HostClass,
    host: &str,
    second: &str,
    sbx: Option<String>,
    site: bool,
    suffix: &str,
) -> HostClass {
    if let Some(part) = Partition::from_label(second).filter(|_| sbx.is_none()) {
        if !site {
            class.kind = HostKind::MyDomainPartition(part);
        }
        class.partition = Some(part);
        class.environment = part.environment();
        class
    } else if !site && is_cs_label(second) {
        class.kind = HostKind::LegacySandboxInstance;
        class.environment = Environment::Sandbox;
        class.sandbox = sbx;
        let (c, m, f) = legacy_instance_warning(host, true);
        class.warn(c, m, f)
    } else if !site && is_instance_label(second) && sbx.is_none() {
        class.kind = HostKind::LegacyInstance;
        let (c, m, f) = legacy_instance_warning(host, false);
        class.warn(c, m, f)
    } else {
        unrecognised_shape(class, sbx, host, suffix)
    }
}

fn unrecognised_shape(
    mut class: HostClass,
    sbx: Option<String>,
    host: &str,
    suffix: &str,
) -> HostClass {
    class.kind = HostKind::UnrecognisedSalesforce;
    class.environment = Environment::Unknown;
    class.sandbox = sbx;
    class.warn(
        WarningCode::UnrecognisedSalesforceHost,
        format!("{host} is under {suffix} but not in a shape sfjwt knows (<name>.{suffix}, <name>--<sandbox>.sandbox.{suffix}, <name>.<partition>.{suffix})"),
        "Copy the login URL from Setup > My Domain.".into(),
    )
}

/// Derives the login host that goes with a non-login Salesforce host, e.g.
/// `acme.lightning.force.com` → `acme.my.salesforce.com`.
fn login_host_for(prefix: &str, login_suffix: &str, strip_package: bool) -> Option<String> {
    let labels: Vec<&str> = prefix.split('.').collect();
    let first = labels.first().copied().filter(|l| !l.is_empty())?;
    let first = if strip_package {
        match first.rsplit_once("--") {
            Some((rest, _pkg)) => rest,
            None => first,
        }
    } else {
        first
    };
    let mut out = vec![first.to_string()];
    for l in &labels[1..] {
        if *l == "sandbox" || Partition::from_label(l).is_some() {
            out.push((*l).to_string());
        }
    }
    let candidate = format!("{}.{login_suffix}", out.join("."));
    classify_host(&candidate)
        .ok()
        .filter(|c| c.warnings.is_empty())
        .map(|_| candidate)
}

/// A host under a My Domain suffix (`my.salesforce.com` and the other clouds' ones) or under
/// `my.site.com`; `None` for any other host.
fn classify_my_domain(host: &str) -> Option<Result<HostClass, Rejection>> {
    for &(suffix, cloud) in MY_DOMAIN_SUFFIXES {
        if host == suffix {
            return Some(Err(incomplete(
                host,
                "the My Domain name is missing in front",
                &format!("https://<name>.{suffix}"),
            )));
        }
        if let Some(prefix) = under(host, suffix) {
            return Some(classify_my_domain_prefix(
                host, &prefix, cloud, false, suffix,
            ));
        }
    }

    if host == "my.site.com" {
        return Some(Err(incomplete(
            host,
            "the site's domain name is missing in front",
            "https://<name>.my.site.com/<site path>",
        )));
    }
    if let Some(prefix) = under(host, "my.site.com") {
        return Some(classify_my_domain_prefix(
            host,
            &prefix,
            Cloud::Commercial,
            true,
            "my.site.com",
        ));
    }
    None
}

/// Classifies a lower-case host name (no trailing dot, not an IP address, not loopback).
pub(super) fn classify_host(host: &str) -> Result<HostClass, Rejection> {
    use Environment::{Production, Sandbox, Unknown};
    if host.split('.').any(|l| l.starts_with("xn--")) {
        return Err(reject(
            RejectionCode::LookAlike,
            format!(
                "{host} has an internationalised (xn--) label, the encoded form of non-ASCII letters and a classic look-alike trick; Salesforce login hosts are plain ASCII"
            ),
            format!("Type the host again by hand: {LOGIN_HOSTS_HINT}."),
        ));
    }
    if let Some(p) = placeholder_in(host) {
        return Err(placeholder_host(host, p));
    }
    match host {
        "login.salesforce.com" => {
            return Ok(HostClass::simple(
                HostKind::Production,
                Cloud::Commercial,
                Production,
            ));
        }
        "test.salesforce.com" => {
            return Ok(HostClass::simple(
                HostKind::Sandbox,
                Cloud::Commercial,
                Sandbox,
            ));
        }
        _ => {}
    }
    if let Some(rejection) = not_login_host(host) {
        return Err(rejection);
    }

    if let Some(class) = classify_my_domain(host) {
        return class;
    }
    if host == "force.com" || host == "salesforce.com" {
        let suggestion = Some(GENERIC_PRODUCTION.to_string());
        return Err(incomplete(
            host,
            "a bare Salesforce domain has no token endpoint",
            "https://<name>.my.salesforce.com",
        )
        .with_suggestion(suggestion));
    }
    if let Some(prefix) = under(host, "force.com") {
        let env = if prefix.split('.').any(is_cs_label) {
            Sandbox
        } else {
            Unknown
        };
        return Ok(HostClass::simple(
            HostKind::LegacySite,
            Cloud::Commercial,
            env,
        ));
    }

    if let Some(prefix) = under(host, "salesforce.com") {
        return classify_salesforce_com(host, &prefix);
    }

    for domain in SALESFORCE_DOMAINS {
        if host == *domain {
            return Err(incomplete(
                host,
                "a bare Salesforce domain has no token endpoint",
                "https://<name>.my.salesforce.com",
            ));
        }
        if under(host, domain).is_some() {
            return Ok(unrecognised(host, domain));
        }
    }

    Err(not_salesforce(host))
}

/// A Salesforce host that never serves the token endpoint (Lightning, Visualforce, files), with
/// the login host that goes with it when it can be derived.
fn not_login_host(host: &str) -> Option<Rejection> {
    for &(suffix, what, login_suffix, strip) in NOT_LOGIN_SUFFIXES {
        if host == suffix || host.ends_with(&format!(".{suffix}")) {
            let prefix = under(host, suffix).unwrap_or_default();
            let suggestion =
                login_host_for(&prefix, login_suffix, strip).map(|h| format!("https://{h}"));
            let fix = match &suggestion {
                Some(s) => {
                    format!("Use the org's login host instead: {s} (Setup > My Domain shows it).")
                }
                None => format!(
                    "Use the org's login host (Setup > My Domain shows it): {LOGIN_HOSTS_HINT}."
                ),
            };
            let mut message = format!(
                "{host} is {what}, not a login host: it redirects the token POST, which arrives as a GET and fails (unsupported_grant_type or 405)"
            );
            if let Some(s) = &suggestion {
                message.push_str(&format!("; did you mean {s}?"));
            }
            return Some(
                reject(RejectionCode::NotLoginHost, message, fix).with_suggestion(suggestion),
            );
        }
    }
    None
}

/// A host under `salesforce.com` (not the two generic hosts).
fn classify_salesforce_com(host: &str, prefix: &str) -> Result<HostClass, Rejection> {
    use Environment::{Production, Sandbox};
    let labels: Vec<&str> = prefix.split('.').collect();
    if let [label] = labels.as_slice() {
        if is_cs_label(label) {
            let (c, m, f) = legacy_instance_warning(host, true);
            return Ok(HostClass::simple(
                HostKind::LegacySandboxInstance,
                Cloud::Commercial,
                Sandbox,
            )
            .warn(c, m, f));
        }
        if is_instance_label(label) {
            let (c, m, f) = legacy_instance_warning(host, false);
            return Ok(
                HostClass::simple(HostKind::LegacyInstance, Cloud::Commercial, Production)
                    .warn(c, m, f),
            );
        }
        if let Some(fixed) = login_label_typo(label) {
            let s = format!("https://{fixed}.salesforce.com");
            return Err(typo(host, &s));
        }
        if WEB_HOSTS.contains(label) {
            return Err(reject(
                RejectionCode::NotLoginHost,
                format!("{host} is a Salesforce web site, not a login host"),
                format!("Use one of: {LOGIN_HOSTS_HINT}."),
            ));
        }
        let s = format!("https://{label}.my.salesforce.com");
        return Err(reject(
            RejectionCode::NotLoginHost,
            format!(
                "{host} is not a Salesforce login host; if {label} is your My Domain name, did you mean {s}?"
            ),
            format!("Use {s} if that is your org's My Domain, or one of: {LOGIN_HOSTS_HINT}."),
        )
        .with_suggestion(Some(s)));
    }
    // Hyperforce ("falcon") sandbox instances, as sfdx-core's isSandboxUrl knows them:
    // usa123s.sfdc-abc123.salesforce.com.
    if let [inst, cell] = labels.as_slice()
        && cell.starts_with("sfdc-")
        && inst.len() > 4
        && inst.ends_with('s')
        && inst.bytes().take(3).all(|b| b.is_ascii_lowercase())
        && inst[3..inst.len() - 1].bytes().all(|b| b.is_ascii_digit())
    {
        let (c, m, f) = legacy_instance_warning(host, true);
        return Ok(
            HostClass::simple(HostKind::LegacySandboxInstance, Cloud::Commercial, Sandbox)
                .warn(c, m, f),
        );
    }
    Ok(unrecognised(host, "salesforce.com"))
}

fn unrecognised(host: &str, domain: &str) -> HostClass {
    HostClass::simple(
        HostKind::UnrecognisedSalesforce,
        Cloud::Commercial,
        Environment::Unknown,
    )
    .warn(
        WarningCode::UnrecognisedSalesforceHost,
        format!(
            "{host} is under {domain} but is not a known Salesforce login host; the token endpoint may not exist there"
        ),
        format!("Unless you know this host serves logins, use one of: {LOGIN_HOSTS_HINT}."),
    )
}
