//! Classifying the authorization server (login) URL: which kind of Salesforce login host it is,
//! which environment it points at, and the values later code needs (origin, default `aud`, token
//! endpoint).
//!
//! [`parse`] is a pure function: no network, no panics on any input. It returns either a
//! [`LoginUrl`] or a [`Rejection`]. A `LoginUrl` always has an HTTPS scheme and a Salesforce
//! host, or a host the user declared their custom domain ([`parse_declared`], [`CustomDomain`]),
//! or is a loopback URL (`http://127.0.0.1:PORT` and friends, for a local emulator of the
//! token endpoint): it is safe to send an assertion to ([`LoginUrl::may_receive_assertion`]).
//! It may still carry [`UrlWarning`]s (a pasted token path, a query string, an unusual port, a
//! legacy instance host).
//!
//! Placeholders of the setup guide and of Salesforce's docs (`site.force.com/customers`,
//! `MyDomainName.my.salesforce.com`, ...) are rejected as such: the list is in `placeholders`.
//!
//! Sources: salesforce-jwt.md §2.4 (`aud`), §2.10 (token endpoint hosts), §3.4 (host patterns),
//! §1C rows 28-31 (what goes wrong with the wrong host).

use std::fmt;

use super::identity::Pasted;
use crate::finding::Judgement;
use crate::text::quoted;

mod classify;
mod parsing;
mod placeholders;
mod typos;

#[cfg(test)]
pub(crate) use parsing::PARSED;
pub use parsing::{parse, parse_as, parse_as_for, parse_declared};
pub use typos::edit_distance;

/// Longest input [`parse`] looks at; a login URL is a few dozen characters.
pub const MAX_URL_LEN: usize = 2048;

/// The path sfjwt appends to the origin (and the site path) to reach the token endpoint.
pub const TOKEN_PATH: &str = "/services/oauth2/token";

/// The generic production login host, as a URL (also its `aud`).
pub const GENERIC_PRODUCTION: &str = "https://login.salesforce.com";
/// The generic sandbox login host, as a URL (also its `aud`).
pub const GENERIC_SANDBOX: &str = "https://test.salesforce.com";

/// What the user declared the login URL's host to be, when sfjwt cannot know it: a custom
/// domain of theirs (a CNAME to Salesforce, or an Experience Cloud site on their own domain).
/// Its names are the values of `--custom-domain`, `$SFJWT_CUSTOM_DOMAIN` and `custom_domain`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase")]
pub enum CustomDomain {
    /// The host is a custom domain serving the org's Salesforce login (`login.acme.com`): the
    /// origin is the `aud`, a path is not part of it.
    Login,
    /// The URL is an Experience Cloud site on a custom domain (`https://partners.acme.com`,
    /// `https://acme.com/customers`): the site URL with its path is the `aud`.
    Site,
}

impl CustomDomain {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// What the declaration says, in words.
    pub fn describe(self) -> &'static str {
        match self {
            CustomDomain::Login => "a custom domain serving Salesforce login",
            CustomDomain::Site => "an Experience Cloud site on a custom domain",
        }
    }
}

/// Which kind of org the login URL reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Environment {
    Production,
    Sandbox,
    /// Not knowable from the host alone (legacy sites, loopback, some partitions).
    Unknown,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Salesforce cloud (domain family) a host belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Cloud {
    /// `salesforce.com`, `force.com`, `site.com`.
    Commercial,
    /// Government Cloud on `.mil` (`*.my.salesforce.mil`).
    GovernmentCloud,
    /// Salesforce on Alibaba Cloud, China (`*.my.sfcrmproducts.cn`).
    AlibabaCloud,
    /// Alternative domains (`*.my-salesforce.com`).
    AlternativeDomain,
}

impl Cloud {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
    /// In words, for messages ("" for the commercial cloud).
    pub fn describe(self) -> &'static str {
        match self {
            Cloud::Commercial => "",
            Cloud::GovernmentCloud => "Government Cloud (.mil)",
            Cloud::AlibabaCloud => "Salesforce on Alibaba Cloud (China)",
            Cloud::AlternativeDomain => "alternative domains (my-salesforce.com)",
        }
    }
}

/// A My Domain partition (`<name>.<partition>.my.salesforce.com`), used by special org types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Partition {
    /// `develop`: Developer Edition.
    Develop,
    /// `scratch`: scratch org.
    Scratch,
    /// `patch`: patch org.
    Patch,
    /// `demo`: demo org.
    Demo,
    /// `trailblaze`: Trailhead Playground.
    Trailblaze,
    /// `free`: reserved for internal use.
    Free,
}

impl Partition {
    pub const ALL: [Partition; 6] = [
        Partition::Develop,
        Partition::Scratch,
        Partition::Patch,
        Partition::Demo,
        Partition::Trailblaze,
        Partition::Free,
    ];

    /// The label in the host name.
    pub fn label(self) -> &'static str {
        self.into()
    }

    /// The kind of org, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Partition::Develop => "Developer Edition",
            Partition::Scratch => "scratch org",
            Partition::Patch => "patch org",
            Partition::Demo => "demo org",
            Partition::Trailblaze => "Trailhead Playground",
            Partition::Free => "internal (reserved) org",
        }
    }

    pub fn from_label(label: &str) -> Option<Partition> {
        Partition::ALL.into_iter().find(|p| p.label() == label)
    }

    /// Developer Edition, demo orgs and Trailhead Playgrounds are production-type orgs; scratch
    /// orgs are sandbox-type (their generic `aud` is test.salesforce.com); patch and internal
    /// orgs are not documented either way.
    pub fn environment(self) -> Environment {
        match self {
            Partition::Develop | Partition::Demo | Partition::Trailblaze => Environment::Production,
            Partition::Scratch => Environment::Sandbox,
            Partition::Patch | Partition::Free => Environment::Unknown,
        }
    }
}

/// What kind of login host a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum HostKind {
    /// `login.salesforce.com`: generic production (and Developer Edition) login host.
    Production,
    /// `test.salesforce.com`: generic sandbox (and scratch org) login host.
    Sandbox,
    /// `<name>.my.salesforce.com` (or the same on another cloud): a production My Domain.
    MyDomain,
    /// `<name>--<sandbox>.sandbox.my.salesforce.com` (or the pre-enhanced-domains
    /// `<name>--<sandbox>.my.salesforce.com`): a sandbox My Domain.
    MyDomainSandbox,
    /// `<name>.<partition>.my.salesforce.com`: Developer Edition, scratch org, and so on.
    MyDomainPartition(Partition),
    /// `<name>.my.site.com[/<site path>]`: an Experience Cloud site (enhanced domains).
    ExperienceCloudSite,
    /// `<name>.force.com/<site path>`: a legacy (non-enhanced) Experience Cloud site.
    LegacySite,
    /// `csNN.salesforce.com`, `csNN.my.salesforce.com`, `<name>--<sbx>.csNN.my.salesforce.com`.
    LegacySandboxInstance,
    /// `na1.salesforce.com`, `eu6.salesforce.com`: an instanced host.
    LegacyInstance,
    /// Under a Salesforce domain, but not a shape sfjwt knows as a login host.
    #[strum(serialize = "unrecognised-salesforce-host")]
    UnrecognisedSalesforce,
    /// `127.0.0.0/8`, `::1` or `localhost`: a local emulator of the token endpoint.
    Loopback,
    /// A host that is not Salesforce's, declared a custom domain serving Salesforce login
    /// ([`CustomDomain::Login`]): it can't be verified offline.
    CustomDomain,
    /// A site on a host that is not Salesforce's, declared an Experience Cloud site on a custom
    /// domain ([`CustomDomain::Site`]): it can't be verified offline.
    CustomDomainSite,
}

impl HostKind {
    /// Stable identifier, used as evidence.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether this is one of the two generic hosts (`login.` / `test.salesforce.com`).
    pub fn is_generic(self) -> bool {
        matches!(self, HostKind::Production | HostKind::Sandbox)
    }

    /// Whether the host is one the user declared (a custom domain), not one sfjwt recognised.
    pub fn is_declared(self) -> bool {
        matches!(self, HostKind::CustomDomain | HostKind::CustomDomainSite)
    }

    /// Whether the URL is a site: its path is the site path, part of the `aud`.
    pub fn is_site(self) -> bool {
        matches!(
            self,
            HostKind::ExperienceCloudSite | HostKind::LegacySite | HostKind::CustomDomainSite
        )
    }
}

/// A valid login URL, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginUrl {
    /// `https`, or `http` for loopback only.
    pub scheme: &'static str,
    /// Lower case, without a trailing dot; IPv6 addresses in brackets.
    pub host: String,
    /// An explicit port other than the scheme's default.
    pub port: Option<u16>,
    pub kind: HostKind,
    pub cloud: Cloud,
    pub environment: Environment,
    /// The My Domain name (`acme` in `acme--uat.sandbox.my.salesforce.com`), when there is one.
    pub my_domain: Option<String>,
    /// The sandbox name, when the host names it (`uat` above).
    pub sandbox: Option<String>,
    pub partition: Option<Partition>,
    /// The Experience Cloud site path prefix (`/customers`), without a trailing slash.
    pub site_path: Option<String>,
    /// The input had no scheme, and `https://` was assumed.
    pub assumed_https: bool,
    /// The custom-domain declaration the URL was parsed with, used or not: on a Salesforce host
    /// (whose kind is not [`HostKind::is_declared`]) it was not needed.
    pub declared: Option<CustomDomain>,
    /// Things that are worth fixing but still give a usable URL.
    pub warnings: Vec<UrlWarning>,
}

impl LoginUrl {
    /// `scheme://host[:port]`.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// The origin plus the site path, if any: the URL a user should configure.
    pub fn base_url(&self) -> String {
        format!(
            "{}{}",
            self.origin(),
            self.site_path.as_deref().unwrap_or("")
        )
    }

    /// The `aud` sfjwt puts in an assertion for this login URL, unless `--audience` overrides it:
    /// the generic host for the generic and legacy instance hosts, the site URL (with its path)
    /// for Experience Cloud sites, and the origin for My Domain and loopback hosts.
    pub fn default_audience(&self) -> String {
        match self.kind {
            HostKind::Production | HostKind::LegacyInstance => GENERIC_PRODUCTION.to_string(),
            HostKind::Sandbox | HostKind::LegacySandboxInstance => GENERIC_SANDBOX.to_string(),
            kind if kind.is_site() => self.base_url(),
            _ => self.origin(),
        }
    }

    /// Whether `--live` may send a signed assertion (a credential) to this URL's token
    /// endpoint: over HTTPS to a Salesforce host or to a host the user declared their custom
    /// domain, over plain `http://` only to loopback. [`parse`] returns no other URL; this is
    /// the rule itself, asked again where the request is made.
    pub fn may_receive_assertion(&self) -> Result<(), String> {
        match (self.scheme, self.kind) {
            ("http", HostKind::Loopback) | ("https", _) => Ok(()),
            (scheme, _) => Err(format!(
                "{} is {scheme}://, not HTTPS: a signed assertion goes over plain http:// only to a loopback emulator",
                self.base_url()
            )),
        }
    }

    /// Every `aud` Salesforce is known to accept for this host (salesforce-jwt.md §2.4): the
    /// default one first, then the generic host of the environment, when there is one.
    pub fn accepted_audiences(&self) -> Vec<String> {
        let mut out = vec![self.default_audience()];
        let generic = match self.kind {
            kind if kind == HostKind::Loopback || kind.is_site() || kind.is_declared() => None,
            _ => match self.environment {
                Environment::Production => Some(GENERIC_PRODUCTION),
                Environment::Sandbox => Some(GENERIC_SANDBOX),
                Environment::Unknown => None,
            },
        };
        if let Some(g) = generic
            && !out.iter().any(|a| a == g)
        {
            out.push(g.to_string());
        }
        out
    }

    /// `<origin>[<site path>]/services/oauth2/token`.
    pub fn token_endpoint(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }

    pub fn is_loopback(&self) -> bool {
        self.kind == HostKind::Loopback
    }

    /// The host kind in words, e.g. "a My Domain login host of the sandbox \"uat\"".
    pub fn describe(&self) -> String {
        let base = match self.kind {
            HostKind::Production => "the generic production login host".into(),
            HostKind::Sandbox => "the generic sandbox login host".into(),
            HostKind::MyDomain => "a My Domain login host (production)".into(),
            HostKind::MyDomainSandbox => match &self.sandbox {
                Some(s) => format!("a My Domain login host of the sandbox \"{s}\""),
                None => "a My Domain sandbox login host".into(),
            },
            HostKind::MyDomainPartition(p) => {
                format!("a My Domain login host of a {}", p.describe())
            }
            HostKind::ExperienceCloudSite => match &self.sandbox {
                Some(s) => format!("an Experience Cloud site of the sandbox \"{s}\""),
                None => "an Experience Cloud site".into(),
            },
            HostKind::LegacySite => "a legacy (force.com) Experience Cloud site".into(),
            HostKind::LegacySandboxInstance => "a legacy sandbox instance host".into(),
            HostKind::LegacyInstance => "a legacy instance host".into(),
            HostKind::UnrecognisedSalesforce => {
                "a Salesforce host that is not a known login host".into()
            }
            HostKind::Loopback => "a loopback address (a local token endpoint emulator)".into(),
            HostKind::CustomDomain => CustomDomain::Login.describe().into(),
            HostKind::CustomDomainSite => CustomDomain::Site.describe().into(),
        };
        match self.cloud {
            Cloud::Commercial => base,
            c => format!("{base}, on {}", c.describe()),
        }
    }
}

/// Why a usable login URL still deserves a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum WarningCode {
    /// A Salesforce API path (`/services/oauth2/token`, `/services/Soap/...`) was pasted.
    ServicesPath,
    /// Some other path was pasted on a host that has no site path.
    PathIgnored,
    /// The Lightning page part of an Experience Cloud URL (`/s/...`) was pasted.
    SitePagePath,
    QueryOrFragment,
    NonStandardPort,
    /// An instanced host (`na1.salesforce.com`, `csNN...`).
    LegacyInstanceHost,
    /// A Salesforce domain, but not a shape sfjwt knows as a login host.
    UnrecognisedSalesforceHost,
}

impl WarningCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One warning about a usable login URL: a warn [`Judgement`] (its code is the
/// [`WarningCode`]'s name; the message is one line, the fix names the value to use), read
/// through `Deref`.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlWarning {
    pub code: WarningCode,
    pub judgement: Judgement,
}

impl UrlWarning {
    pub(crate) fn new(
        code: WarningCode,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        UrlWarning {
            code,
            judgement: Judgement::warn(code.as_str(), message, fix),
        }
    }

    /// What to change (a warning always has a fix).
    pub fn fix(&self) -> &str {
        self.judgement.fix.as_deref().unwrap_or_default()
    }
}

impl std::ops::Deref for UrlWarning {
    type Target = Judgement;
    fn deref(&self) -> &Judgement {
        &self.judgement
    }
}

/// Why a login URL can't be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum RejectionCode {
    Empty,
    TooLong,
    Quoted,
    Whitespace,
    NonAscii,
    MalformedScheme,
    UnsupportedScheme,
    Malformed,
    #[strum(serialize = "userinfo")]
    UserInfo,
    InsecureHttp,
    /// A Salesforce host that never serves the token endpoint (Lightning, Visualforce, files).
    NotLoginHost,
    /// A Salesforce domain with a name missing or invalid (`my.salesforce.com`,
    /// `acme.sandbox.my.salesforce.com`).
    IncompleteHost,
    Typo,
    LookAlike,
    NotSalesforce,
    /// A placeholder of the setup guide or of Salesforce's docs (`site.force.com/customers`).
    Placeholder,
    /// A value meant for another input (a secret, a username): the code is the pasted value's.
    Pasted(Pasted),
}

impl RejectionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectionCode::Pasted(p) => p.code(),
            other => other.into(),
        }
    }
}

/// A login URL that can't be used, and what to do about it: a fail [`Judgement`] (its code is
/// the [`RejectionCode`]'s name; the message is one line and never quotes more than
/// [`MAX_SHOWN`] characters of the input), read through `Deref`, with what the parse found.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub code: RejectionCode,
    /// Boxed: a rejection is the `Err` of every parsing step, and stays small.
    pub judgement: Box<Judgement>,
    /// A corrected login URL, when one can be guessed ("did you mean ...").
    pub suggestion: Option<String>,
    /// The host as parsed, when it got that far.
    pub host: Option<String>,
    /// Whether the message names the value by the noun [`parse_as`] was given ("the login URL
    /// \"x\" has ..."); when false it is about the host alone ("acme.example is not ...").
    pub names_input: bool,
    /// The host could be the org's custom domain: declaring it ([`parse_declared`]) would make
    /// the URL usable. False for typos, look-alikes of Salesforce's domains and placeholders.
    pub custom_domain_possible: bool,
}

impl Rejection {
    /// What to do about it (a rejection always has a fix).
    pub fn fix(&self) -> &str {
        self.judgement.fix.as_deref().unwrap_or_default()
    }
}

impl std::ops::Deref for Rejection {
    type Target = Judgement;
    fn deref(&self) -> &Judgement {
        &self.judgement
    }
}

/// The most characters of a bad input a message quotes.
pub const MAX_SHOWN: usize = crate::text::MAX_QUOTED;

const LOGIN_HOSTS_HINT: &str = "https://login.salesforce.com (production), https://test.salesforce.com (sandbox), your My Domain URL (https://<name>.my.salesforce.com, sandboxes https://<name>--<sandbox>.sandbox.my.salesforce.com), or an Experience Cloud site URL";

fn reject(code: RejectionCode, message: impl Into<String>, fix: impl Into<String>) -> Rejection {
    Rejection {
        code,
        judgement: Box::new(Judgement::fail(code.as_str(), message, fix)),
        suggestion: None,
        host: None,
        names_input: false,
        custom_domain_possible: false,
    }
}

impl Rejection {
    fn with_suggestion(mut self, s: Option<String>) -> Self {
        self.suggestion = s;
        self
    }
    fn with_host(mut self, h: &str) -> Self {
        self.host = Some(h.to_string());
        self
    }
}

fn with_use(fix: &str, suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!("{fix} Use {s}."),
        None => fix.to_string(),
    }
}

/// Characters that render as nothing or as a plain space, typical of copy-paste.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202F}' | '\u{2060}' | '\u{FEFF}'
    )
}

pub(crate) fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{00AB}'
            | '\u{00BB}'
    )
}

/// Where whitespace sits in a value, in words ("a trailing newline", "a space inside").
pub(crate) fn describe_whitespace(s: &str) -> String {
    let name = |c: char| match c {
        '\n' => "newline",
        '\r' => "carriage return",
        '\t' => "tab",
        '\u{00A0}' => "non-breaking space",
        ' ' => "space",
        _ => "whitespace character",
    };
    if let Some(c) = s.chars().next().filter(|c| c.is_whitespace()) {
        return format!("a leading {}", name(c));
    }
    if let Some(c) = s.chars().next_back().filter(|c| c.is_whitespace()) {
        return format!("a trailing {}", name(c));
    }
    match s.chars().find(|c| c.is_whitespace()) {
        Some(c) => format!("a {} inside it", name(c)),
        None => "whitespace".into(),
    }
}

#[cfg(test)]
mod tests;
