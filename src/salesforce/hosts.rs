//! Classifying the authorization server (login) URL: which kind of Salesforce login host it is,
//! which environment it points at, and the values later code needs (origin, default `aud`, token
//! endpoint).
//!
//! [`parse`] is a pure function: no network, no panics on any input. It returns either a
//! [`LoginUrl`] or a [`Rejection`]. A `LoginUrl` always has an HTTPS scheme and a Salesforce
//! host, or is a loopback URL (`http://127.0.0.1:PORT` and friends, for a local emulator of the
//! token endpoint): it is safe to send an assertion to. It may still carry [`UrlWarning`]s
//! (a pasted token path, a query string, an unusual port, a legacy instance host).
//!
//! Sources: salesforce-jwt.md §2.4 (`aud`), §2.10 (token endpoint hosts), §3.4 (host patterns),
//! §1C rows 28-31 (what goes wrong with the wrong host).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest input [`parse`] looks at; a login URL is a few dozen characters.
pub const MAX_URL_LEN: usize = 2048;

/// The path sfjwt appends to the origin (and the site path) to reach the token endpoint.
pub const TOKEN_PATH: &str = "/services/oauth2/token";

/// The generic production login host, as a URL (also its `aud`).
pub const GENERIC_PRODUCTION: &str = "https://login.salesforce.com";
/// The generic sandbox login host, as a URL (also its `aud`).
pub const GENERIC_SANDBOX: &str = "https://test.salesforce.com";

/// Which kind of org the login URL reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    Production,
    Sandbox,
    /// Not knowable from the host alone (legacy sites, loopback, some partitions).
    Unknown,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
            Environment::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Salesforce cloud (domain family) a host belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
        match self {
            Cloud::Commercial => "commercial",
            Cloud::GovernmentCloud => "government-cloud",
            Cloud::AlibabaCloud => "alibaba-cloud",
            Cloud::AlternativeDomain => "alternative-domain",
        }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
        match self {
            Partition::Develop => "develop",
            Partition::Scratch => "scratch",
            Partition::Patch => "patch",
            Partition::Demo => "demo",
            Partition::Trailblaze => "trailblaze",
            Partition::Free => "free",
        }
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    UnrecognisedSalesforce,
    /// `127.0.0.0/8`, `::1` or `localhost`: a local emulator of the token endpoint.
    Loopback,
}

impl HostKind {
    /// Stable identifier, used as evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            HostKind::Production => "production",
            HostKind::Sandbox => "sandbox",
            HostKind::MyDomain => "my-domain",
            HostKind::MyDomainSandbox => "my-domain-sandbox",
            HostKind::MyDomainPartition(_) => "my-domain-partition",
            HostKind::ExperienceCloudSite => "experience-cloud-site",
            HostKind::LegacySite => "legacy-site",
            HostKind::LegacySandboxInstance => "legacy-sandbox-instance",
            HostKind::LegacyInstance => "legacy-instance",
            HostKind::UnrecognisedSalesforce => "unrecognised-salesforce-host",
            HostKind::Loopback => "loopback",
        }
    }

    /// Whether this is one of the two generic hosts (`login.` / `test.salesforce.com`).
    pub fn is_generic(self) -> bool {
        matches!(self, HostKind::Production | HostKind::Sandbox)
    }
}

/// A valid login URL, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
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
            HostKind::ExperienceCloudSite | HostKind::LegacySite => self.base_url(),
            _ => self.origin(),
        }
    }

    /// Every `aud` Salesforce is known to accept for this host (salesforce-jwt.md §2.4): the
    /// default one first, then the generic host of the environment, when there is one.
    pub fn accepted_audiences(&self) -> Vec<String> {
        let mut out = vec![self.default_audience()];
        let generic = match self.kind {
            HostKind::Loopback | HostKind::ExperienceCloudSite | HostKind::LegacySite => None,
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
        };
        match self.cloud {
            Cloud::Commercial => base,
            c => format!("{base}, on {}", c.describe()),
        }
    }
}

/// Why a usable login URL still deserves a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
        match self {
            WarningCode::ServicesPath => "services-path",
            WarningCode::PathIgnored => "path-ignored",
            WarningCode::SitePagePath => "site-page-path",
            WarningCode::QueryOrFragment => "query-or-fragment",
            WarningCode::NonStandardPort => "non-standard-port",
            WarningCode::LegacyInstanceHost => "legacy-instance-host",
            WarningCode::UnrecognisedSalesforceHost => "unrecognised-salesforce-host",
        }
    }
}

/// One warning about a usable login URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlWarning {
    pub code: WarningCode,
    /// One line, plain words.
    pub message: String,
    /// What to change, naming the value to use.
    pub fix: String,
}

/// Why a login URL can't be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectionCode {
    Empty,
    TooLong,
    Quoted,
    Whitespace,
    NonAscii,
    MalformedScheme,
    UnsupportedScheme,
    LooksLikeUsername,
    Malformed,
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
    /// A private key, a token or a secret where the URL goes: described, never shown.
    LooksLikeSecret,
}

impl RejectionCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RejectionCode::Empty => "empty",
            RejectionCode::LooksLikeSecret => "looks-like-secret",
            RejectionCode::TooLong => "too-long",
            RejectionCode::Quoted => "quoted",
            RejectionCode::Whitespace => "whitespace",
            RejectionCode::NonAscii => "non-ascii",
            RejectionCode::MalformedScheme => "malformed-scheme",
            RejectionCode::UnsupportedScheme => "unsupported-scheme",
            RejectionCode::LooksLikeUsername => "looks-like-username",
            RejectionCode::Malformed => "malformed",
            RejectionCode::UserInfo => "userinfo",
            RejectionCode::InsecureHttp => "insecure-http",
            RejectionCode::NotLoginHost => "not-login-host",
            RejectionCode::IncompleteHost => "incomplete-host",
            RejectionCode::Typo => "typo",
            RejectionCode::LookAlike => "look-alike",
            RejectionCode::NotSalesforce => "not-salesforce",
        }
    }
}

/// A login URL that can't be used, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: RejectionCode,
    /// One line, plain words; never contains more than [`MAX_SHOWN`] characters of the input.
    pub message: String,
    pub fix: String,
    /// A corrected login URL, when one can be guessed ("did you mean ...").
    pub suggestion: Option<String>,
    /// The host as parsed, when it got that far.
    pub host: Option<String>,
}

/// The most characters of a bad input a message quotes.
pub const MAX_SHOWN: usize = 80;

const LOGIN_HOSTS_HINT: &str = "https://login.salesforce.com (production), https://test.salesforce.com (sandbox), your My Domain URL (https://<name>.my.salesforce.com, sandboxes https://<name>--<sandbox>.sandbox.my.salesforce.com), or an Experience Cloud site URL";

fn reject(code: RejectionCode, message: impl Into<String>, fix: impl Into<String>) -> Rejection {
    Rejection {
        code,
        message: message.into(),
        fix: fix.into(),
        suggestion: None,
        host: None,
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

/// Quotes at most [`MAX_SHOWN`] characters of `s`, escaping control and invisible characters.
pub fn shown(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX_SHOWN {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) || (c.is_whitespace() && c != ' ') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    format!("\"{out}\"")
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

/// Parses and classifies a login URL. Never panics, never touches the network.
pub fn parse(input: &str) -> Result<LoginUrl, Rejection> {
    if input.trim().is_empty() {
        return Err(reject(
            RejectionCode::Empty,
            if input.is_empty() {
                "the login URL is empty".to_string()
            } else {
                format!("the login URL is only whitespace ({})", shown(input))
            },
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    if let Some(shape) = crate::lookalike::secret_shape(input) {
        return Err(reject(
            RejectionCode::LooksLikeSecret,
            format!(
                "the login URL is {} ({} characters; not shown), not a URL: a value meant for another setting was given here",
                shape.what,
                input.chars().count()
            ),
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    if input.len() > MAX_URL_LEN {
        return Err(reject(
            RejectionCode::TooLong,
            format!(
                "the login URL is {} bytes long, far longer than any login URL",
                input.len()
            ),
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    let trimmed = input.trim();
    let unquoted = trimmed.trim_matches(is_quote);
    if unquoted.len() != trimmed.len() {
        let suggestion = parse(unquoted).ok().map(|u| u.base_url());
        return Err(reject(
            RejectionCode::Quoted,
            format!(
                "the login URL {} has quotes around it, which become part of the value",
                shown(input)
            ),
            with_use(
                "Remove the quotes: in sfjwt.toml the TOML quotes are enough; in a shell or .env file, don't quote twice.",
                &suggestion,
            ),
        )
        .with_suggestion(suggestion));
    }
    if input.chars().any(char::is_whitespace) {
        let suggestion = if trimmed.chars().any(char::is_whitespace) {
            None
        } else {
            parse(trimmed).ok().map(|u| u.base_url())
        };
        return Err(reject(
            RejectionCode::Whitespace,
            format!(
                "the login URL {} has {}",
                shown(input),
                describe_whitespace(input)
            ),
            with_use(
                "Remove the whitespace (a stray newline often comes from a file or a copied cell).",
                &suggestion,
            ),
        )
        .with_suggestion(suggestion));
    }
    if let Some((i, c)) = input.char_indices().find(|(_, c)| !c.is_ascii()) {
        let what = if is_invisible(c) {
            "an invisible character"
        } else {
            "a non-ASCII character"
        };
        return Err(reject(
            RejectionCode::NonAscii,
            format!(
                "the login URL {} contains {what} (U+{:04X} at byte {i}); Salesforce login hosts are plain ASCII, so this is a copy-paste artefact or a look-alike",
                shown(input),
                c as u32
            ),
            format!("Type the URL again by hand: {LOGIN_HOSTS_HINT}."),
        ));
    }

    let (url_text, assumed_https) = split_scheme(input)?;
    let url = url::Url::parse(&url_text).map_err(|e| {
        reject(
            RejectionCode::Malformed,
            format!("the login URL {} is not a valid URL ({e})", shown(input)),
            format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
        )
    })?;

    if !url.username().is_empty() || url.password().is_some() {
        let host = url.host_str().unwrap_or("").to_string();
        return Err(reject(
            RejectionCode::UserInfo,
            format!(
                "the login URL {} has an '@' before the host: everything before it is a user name, and the real host is {}",
                shown(input),
                shown(&host)
            ),
            format!("Use the host alone, with nothing before '@': {LOGIN_HOSTS_HINT}."),
        )
        .with_host(&host));
    }

    let scheme = url.scheme();
    let (host, loopback) = match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            check_host_syntax(&d, input)?;
            let lb = d == "localhost";
            (d, lb)
        }
        Some(url::Host::Ipv4(ip)) => (ip.to_string(), is_loopback_v4(ip)),
        Some(url::Host::Ipv6(ip)) => (format!("[{ip}]"), ip == Ipv6Addr::LOCALHOST),
        None => {
            return Err(reject(
                RejectionCode::Malformed,
                format!("the login URL {} has no host", shown(input)),
                format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
            ));
        }
    };

    let mut class = if loopback {
        HostClass::simple(HostKind::Loopback, Cloud::Commercial, Environment::Unknown)
    } else if matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_))) {
        return Err(reject(
            RejectionCode::NotSalesforce,
            format!(
                "the login URL points at the IP address {host}, not a Salesforce login host"
            ),
            format!(
                "Use a host name: {LOGIN_HOSTS_HINT}. Only loopback addresses (127.0.0.1, ::1) are accepted, for a local emulator."
            ),
        )
        .with_host(&host));
    } else {
        classify_host(&host).map_err(|r| r.with_host(&host))?
    };

    let port = url.port();
    if let Some(p) = port
        && !loopback
    {
        class.warnings.push(UrlWarning {
            code: WarningCode::NonStandardPort,
            message: format!("it names port {p}, but Salesforce serves login only on 443"),
            fix: format!("Drop the port: https://{host}."),
        });
    }

    let site_kind = matches!(
        class.kind,
        HostKind::ExperienceCloudSite | HostKind::LegacySite
    );
    let origin = match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    };
    let site_path = split_path(url.path(), site_kind, &origin, &mut class.warnings);

    if scheme == "http" && !loopback {
        let https = format!("https://{host}{}", site_path.as_deref().unwrap_or(""));
        return Err(reject(
            RejectionCode::InsecureHttp,
            format!(
                "the login URL {} uses plain http://: Salesforce redirects it to https://, which turns the token POST into a GET and fails with unsupported_grant_type",
                shown(input)
            ),
            format!("Use https://, i.e. {https}."),
        )
        .with_suggestion(Some(https))
        .with_host(&host));
    }

    if url.query().is_some() || url.fragment().is_some() {
        let what = match (url.query().is_some(), url.fragment().is_some()) {
            (true, true) => "a query string and a fragment",
            (true, false) => "a query string (?...)",
            _ => "a fragment (#...)",
        };
        class.warnings.push(UrlWarning {
            code: WarningCode::QueryOrFragment,
            message: format!("it has {what}, which sfjwt ignores"),
            fix: format!(
                "Remove everything from '?' or '#' on: use {origin}{}.",
                site_path.as_deref().unwrap_or("")
            ),
        });
    }

    Ok(LoginUrl {
        scheme: if scheme == "http" { "http" } else { "https" },
        host,
        port,
        kind: class.kind,
        cloud: class.cloud,
        environment: class.environment,
        my_domain: class.my_domain,
        sandbox: class.sandbox,
        partition: class.partition,
        site_path,
        assumed_https,
        warnings: class.warnings,
    })
}

/// Splits off the scheme, or assumes `https://` for a bare host. Returns the text to hand to the
/// URL parser.
fn split_scheme(input: &str) -> Result<(String, bool), Rejection> {
    let hint = || format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}.");
    if let Some((scheme, rest)) = input.split_once("://") {
        let is_scheme = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            let lower = scheme.to_ascii_lowercase();
            if lower != "https" && lower != "http" {
                return Err(reject(
                    RejectionCode::UnsupportedScheme,
                    format!(
                        "the login URL {} uses the scheme {lower}://; the token endpoint is reached over https://",
                        shown(input)
                    ),
                    hint(),
                ));
            }
            if rest.starts_with(['/', '\\']) {
                return Err(malformed_scheme(input, rest));
            }
            if rest.contains('\\') {
                return Err(backslash(input));
            }
            return Ok((input.to_string(), false));
        }
    }
    let lower = input.to_ascii_lowercase();
    // "https:login...", "https//login...", "https:/login...", "https:\\login..."
    for s in ["https", "http"] {
        if let Some(rest) = lower.strip_prefix(s)
            && rest.starts_with([':', '/', '\\'])
        {
            return Err(malformed_scheme(input, &input[s.len()..]));
        }
    }
    if let Some((scheme, rest)) = input.split_once(':') {
        let scheme_like = scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        let port_like = rest.starts_with(|c: char| c.is_ascii_digit());
        if scheme_like && !port_like && !scheme.contains('.') {
            return Err(reject(
                RejectionCode::UnsupportedScheme,
                format!(
                    "the login URL {} starts with {}:, which is not https://",
                    shown(input),
                    scheme.to_ascii_lowercase()
                ),
                hint(),
            ));
        }
    }
    if input.contains('\\') {
        return Err(backslash(input));
    }
    let bare = input.strip_prefix("//").unwrap_or(input);
    if bare.contains('@') && !bare.contains('/') {
        return Err(reject(
            RejectionCode::LooksLikeUsername,
            format!(
                "the login URL {} looks like a username or an email address, not a URL",
                shown(input)
            ),
            format!(
                "Put the username in --username / username in sfjwt.toml, and set the login URL to {LOGIN_HOSTS_HINT}."
            ),
        ));
    }
    Ok((format!("https://{bare}"), true))
}

fn backslash(input: &str) -> Rejection {
    reject(
        RejectionCode::Malformed,
        format!(
            "the login URL {} contains a backslash; URLs use forward slashes",
            shown(input)
        ),
        format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
    )
}

fn malformed_scheme(input: &str, after_scheme: &str) -> Rejection {
    let rest = after_scheme.trim_start_matches([':', '/', '\\']);
    let candidate = format!("https://{rest}");
    let suggestion = if rest.contains('\\') {
        None
    } else {
        parse(&candidate).ok().map(|u| u.base_url())
    };
    reject(
        RejectionCode::MalformedScheme,
        format!(
            "the login URL {} has a malformed scheme separator; it must start with exactly https://",
            shown(input)
        ),
        match &suggestion {
            Some(s) => format!("Write it as {s}."),
            None => format!("Write it as https://<host>: {LOGIN_HOSTS_HINT}."),
        },
    )
    .with_suggestion(suggestion)
}

fn is_loopback_v4(ip: Ipv4Addr) -> bool {
    ip.octets()[0] == 127
}

fn check_host_syntax(host: &str, input: &str) -> Result<(), Rejection> {
    let ok = !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if ok {
        Ok(())
    } else {
        Err(reject(
            RejectionCode::Malformed,
            format!(
                "the login URL {} has a host name with empty labels or characters a host name can't contain",
                shown(input)
            ),
            format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
        ))
    }
}

/// Splits the URL path into the site path (for Experience Cloud hosts) and warnings about what
/// was pasted after it.
fn split_path(
    path: &str,
    site_kind: bool,
    origin: &str,
    warnings: &mut Vec<UrlWarning>,
) -> Option<String> {
    let path = path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return None;
    }
    let services = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("services"));
    let page = if site_kind {
        segments.iter().position(|s| *s == "s")
    } else {
        None
    };
    let keep_end = match (services, page) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => segments.len(),
    };
    let (kept, dropped) = if site_kind {
        segments.split_at(keep_end)
    } else {
        (&segments[..0], &segments[..])
    };
    let site_path = if kept.is_empty() {
        None
    } else {
        Some(format!("/{}", kept.join("/")))
    };
    if dropped.is_empty() {
        return site_path;
    }
    let base = format!("{origin}{}", site_path.as_deref().unwrap_or(""));
    let dropped_text = format!("/{}", dropped.join("/"));
    let shown_dropped = shown(&dropped_text);
    let first = dropped[0];
    let (code, message) = if first.eq_ignore_ascii_case("services") {
        let what = match dropped.get(1).map(|s| s.to_ascii_lowercase()) {
            Some(s) if s == "oauth2" => match dropped.get(2).map(|s| s.to_ascii_lowercase()) {
                Some(t) if t.starts_with("token") => "the token endpoint path",
                Some(t) if t.starts_with("authorize") => {
                    "the authorize endpoint path (a different OAuth flow)"
                }
                _ => "an OAuth endpoint path",
            },
            Some(s) if s == "soap" => "a SOAP API path",
            Some(s) if s == "data" => "a REST API path",
            _ => "a Salesforce API path",
        };
        (
            WarningCode::ServicesPath,
            format!(
                "it ends in {shown_dropped}, {what}; sfjwt (like most clients) appends {TOKEN_PATH} itself"
            ),
        )
    } else if site_kind {
        (
            WarningCode::SitePagePath,
            format!("it ends in {shown_dropped}, a page of the site, not part of the site URL"),
        )
    } else {
        (
            WarningCode::PathIgnored,
            format!(
                "it has the path {shown_dropped}, which a login URL doesn't take and sfjwt ignores"
            ),
        )
    };
    warnings.push(UrlWarning {
        code,
        message,
        fix: format!("Use {base} as the login URL."),
    });
    site_path
}

/// The classification of a host name, before the URL's path and scheme are looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HostClass {
    kind: HostKind,
    cloud: Cloud,
    environment: Environment,
    my_domain: Option<String>,
    sandbox: Option<String>,
    partition: Option<Partition>,
    warnings: Vec<UrlWarning>,
}

impl HostClass {
    fn simple(kind: HostKind, cloud: Cloud, environment: Environment) -> Self {
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
        self.warnings.push(UrlWarning { code, message, fix });
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

fn is_instance_label(l: &str) -> bool {
    let letters = l.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &l[letters..];
    let rest = rest.strip_suffix('s').unwrap_or(rest);
    (2..=4).contains(&letters) && !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
}

fn is_cs_label(l: &str) -> bool {
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
fn split_sandbox(label: &str) -> Option<(String, Option<String>)> {
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
                shown(labels[0])
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
    let unrecognised_shape = |mut class: HostClass, sbx: Option<String>| {
        class.kind = HostKind::UnrecognisedSalesforce;
        class.environment = Environment::Unknown;
        class.sandbox = sbx;
        class.warn(
            WarningCode::UnrecognisedSalesforceHost,
            format!("{host} is under {suffix} but not in a shape sfjwt knows (<name>.{suffix}, <name>--<sandbox>.sandbox.{suffix}, <name>.<partition>.{suffix})"),
            "Copy the login URL from Setup > My Domain.".into(),
        )
    };
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
        [_, second] => {
            if let Some(part) = Partition::from_label(second).filter(|_| sbx.is_none()) {
                if !site {
                    class.kind = HostKind::MyDomainPartition(part);
                }
                class.partition = Some(part);
                class.environment = part.environment();
            } else if !site && is_cs_label(second) {
                class.kind = HostKind::LegacySandboxInstance;
                class.environment = Environment::Sandbox;
                class.sandbox = sbx;
                let (c, m, f) = legacy_instance_warning(host, true);
                class = class.warn(c, m, f);
            } else if !site && is_instance_label(second) && sbx.is_none() {
                class.kind = HostKind::LegacyInstance;
                let (c, m, f) = legacy_instance_warning(host, false);
                class = class.warn(c, m, f);
            } else {
                class = unrecognised_shape(class, sbx);
            }
        }
        _ => class = unrecognised_shape(class, sbx),
    }
    Ok(class)
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

/// Classifies a lower-case host name (no trailing dot, not an IP address, not loopback).
fn classify_host(host: &str) -> Result<HostClass, Rejection> {
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
            return Err(
                reject(RejectionCode::NotLoginHost, message, fix).with_suggestion(suggestion)
            );
        }
    }

    for &(suffix, cloud) in MY_DOMAIN_SUFFIXES {
        if host == suffix {
            return Err(incomplete(
                host,
                "the My Domain name is missing in front",
                &format!("https://<name>.{suffix}"),
            ));
        }
        if let Some(prefix) = under(host, suffix) {
            return classify_my_domain_prefix(host, &prefix, cloud, false, suffix);
        }
    }

    if host == "my.site.com" {
        return Err(incomplete(
            host,
            "the site's domain name is missing in front",
            "https://<name>.my.site.com/<site path>",
        ));
    }
    if let Some(prefix) = under(host, "my.site.com") {
        return classify_my_domain_prefix(host, &prefix, Cloud::Commercial, true, "my.site.com");
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
                return Ok(HostClass::simple(
                    HostKind::LegacyInstance,
                    Cloud::Commercial,
                    Production,
                )
                .warn(c, m, f));
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
            return Ok(HostClass::simple(
                HostKind::LegacySandboxInstance,
                Cloud::Commercial,
                Sandbox,
            )
            .warn(c, m, f));
        }
        return Ok(unrecognised(host, "salesforce.com"));
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

fn typo(host: &str, suggestion: &str) -> Rejection {
    reject(
        RejectionCode::Typo,
        format!("{host} is not a Salesforce host; did you mean {suggestion}?"),
        format!(
            "Fix the spelling: {suggestion}. (A misspelt host can answer with a parking page instead of a token.)"
        ),
    )
    .with_suggestion(Some(suggestion.to_string()))
}

/// `logn` → `login`, `tset` → `test`.
fn login_label_typo(label: &str) -> Option<&'static str> {
    if label != "login" && label.len() >= 3 && edit_distance(label, "login") <= 2 {
        Some("login")
    } else if label != "test" && label.len() >= 3 && edit_distance(label, "test") <= 1 {
        Some("test")
    } else {
        None
    }
}

/// A host under no Salesforce domain: a typo, a look-alike, or something else entirely.
fn not_salesforce(host: &str) -> Rejection {
    let labels: Vec<&str> = host.split('.').collect();
    if let Some(s) = typo_suggestion(&labels) {
        return typo(host, &s);
    }
    let registrable = if labels.len() >= 2 {
        labels[labels.len() - 2..].join(".")
    } else {
        host.to_string()
    };
    let looks = ["salesforce", "force", "sfdc", "my.site"]
        .iter()
        .any(|w| host.contains(w));
    if looks {
        return reject(
            RejectionCode::LookAlike,
            format!(
                "{host} only looks like a Salesforce host: it belongs to {registrable}, not to Salesforce"
            ),
            format!("Never send an assertion there. Use one of: {LOGIN_HOSTS_HINT}."),
        );
    }
    reject(
        RejectionCode::NotSalesforce,
        format!("{host} is not a Salesforce login host"),
        format!(
            "Use one of: {LOGIN_HOSTS_HINT}. A custom domain of your org can't be checked offline: use the org's My Domain URL instead."
        ),
    )
}

/// Guesses the Salesforce host meant by a misspelt one (`login.saleforce.com`,
/// `login.salesforce.co`, `test.saslesforce.com`).
fn typo_suggestion(labels: &[&str]) -> Option<String> {
    for (i, label) in labels.iter().enumerate() {
        let tail = &labels[i + 1..];
        if tail.len() > 2 || (tail.len() == 2 && tail[0] == "com") {
            continue;
        }
        let head = &labels[..i];
        let close =
            |target: &str, max: usize| label.len() >= 3 && edit_distance(label, target) <= max;
        let replacement = if !head.is_empty()
            && label.starts_with("my")
            && edit_distance(label[2..].trim_start_matches('-'), "salesforce") <= 1
        {
            "my.salesforce.com"
        } else if close("salesforce", 2) {
            "salesforce.com"
        } else if close("force", 1) && tail == ["com"] {
            "force.com"
        } else {
            continue;
        };
        let mut fixed: Vec<String> = head.iter().map(|s| s.to_string()).collect();
        if replacement == "salesforce.com"
            && let [only] = fixed.as_mut_slice()
            && let Some(l) = login_label_typo(only)
        {
            *only = l.to_string();
        }
        fixed.push(replacement.to_string());
        let candidate = fixed.join(".");
        if candidate == labels.join(".") {
            continue;
        }
        if let Ok(class) = classify_host(&candidate)
            && class.kind != HostKind::UnrecognisedSalesforce
        {
            let url = format!("https://{candidate}");
            return Some(url);
        }
    }
    None
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), on bytes.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
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
            "site.force.com/customers",
            "legacy-site",
            Environment::Unknown,
            "https://site.force.com/customers",
            "https://site.force.com/customers/services/oauth2/token",
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
                u.warnings[0].fix.contains(&format!("Use {} ", u.origin())),
                "{input}: {u:?}"
            );
            assert_eq!(u.site_path, None);
            assert_eq!(u.token_endpoint(), format!("{}{TOKEN_PATH}", u.origin()));
        }

        let u = ok("https://acme.my.salesforce.com/lightning/page/home");
        assert_eq!(codes(&u), [WarningCode::PathIgnored]);
        assert!(u.warnings[0].fix.contains("https://acme.my.salesforce.com"));

        let u = ok("https://acme.my.site.com/customers/services/oauth2/token");
        assert_eq!(codes(&u), [WarningCode::ServicesPath]);
        assert_eq!(u.site_path.as_deref(), Some("/customers"));
        assert!(
            u.warnings[0]
                .fix
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
        assert!(u.warnings[0].fix.contains("https://acme.my.site.com/c."));

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
        ("jane@acme.com", RejectionCode::LooksLikeUsername, None),
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
            assert!(!r.message.is_empty() && !r.fix.is_empty(), "{input:?}");
            assert!(!r.message.contains('\n'), "{input:?}: one line");
            if let Some(s) = suggestion {
                // A suggestion is always itself a clean login URL.
                let u = ok(s);
                assert!(u.warnings.is_empty(), "{s}");
                assert!(
                    r.message.contains(s) || r.fix.contains(s),
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
        assert!(r.fix.contains("custom domain"));
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
        assert!(shown(&"x".repeat(500)).chars().count() < MAX_SHOWN + 5);
    }

    #[test]
    fn never_panics_on_odd_input() {
        let big = "a".repeat(10 * 1024);
        let mut inputs: Vec<String> = [
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
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
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
}
