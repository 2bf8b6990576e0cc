//! [`parse`]: from the text a user gave to a [`LoginUrl`] or a [`Rejection`].

use std::net::{Ipv4Addr, Ipv6Addr};

use super::classify::{HostClass, classify_host};
use super::placeholders::{WHERE_TO_FIND, bracketed};
use super::*;

/// A rejection whose message names the value by its noun.
fn reject_input(
    code: RejectionCode,
    message: impl Into<String>,
    fix: impl Into<String>,
) -> Rejection {
    Rejection {
        names_input: true,
        ..reject(code, message, fix)
    }
}

#[cfg(test)]
thread_local! {
    /// What this thread parsed, by noun: tests count how often the login URL is parsed.
    pub(crate) static PARSED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Parses and classifies a login URL. Never panics, never touches the network.
pub fn parse(input: &str) -> Result<LoginUrl, Rejection> {
    parse_as(input, "the login URL")
}

/// [`parse`], with what the user declared the host to be: a host that is not Salesforce's (and
/// could be a company's own: not a typo, a look-alike or a placeholder) is then taken for their
/// custom domain, [`HostKind::CustomDomain`] or [`HostKind::CustomDomainSite`]. A Salesforce
/// host is classified as usual, the declaration kept in [`LoginUrl::declared`]. HTTPS is
/// required all the same.
pub fn parse_declared(input: &str, declared: Option<CustomDomain>) -> Result<LoginUrl, Rejection> {
    parse_inner(input, "the login URL", declared)
}

/// [`parse`], for a value that is not the login URL itself (the `aud` claim): `noun` names the
/// value in the messages ("the login URL", "aud"). The rejections whose message names it have
/// [`Rejection::names_input`] set; the others are about the host alone.
pub fn parse_as(input: &str, noun: &str) -> Result<LoginUrl, Rejection> {
    parse_inner(input, noun, None)
}

/// [`parse_as`], for a value judged against a login URL (the `aud` claim): the host that login
/// URL declared a custom domain is that custom domain here too, and no other host is.
pub fn parse_as_for(
    input: &str,
    noun: &str,
    login: Option<&LoginUrl>,
) -> Result<LoginUrl, Rejection> {
    let declared = login
        .filter(|l| l.kind.is_declared())
        .and_then(|l| Some((l.declared?, l.host.as_str())));
    let Some((declared, host)) = declared else {
        return parse_as(input, noun);
    };
    match parse_inner(input, noun, Some(declared)) {
        Ok(url) if url.kind.is_declared() && url.host == host => Ok(url),
        _ => parse_as(input, noun),
    }
}

fn parse_inner(
    input: &str,
    noun: &str,
    declared: Option<CustomDomain>,
) -> Result<LoginUrl, Rejection> {
    #[cfg(test)]
    PARSED.with(|n| n.borrow_mut().push(noun.to_string()));
    screen_value(input, noun)?;
    screen_text(input, noun)?;
    let (url_text, assumed_https) = split_scheme(input, noun)?;
    let url = url::Url::parse(&url_text).map_err(|e| {
        reject_input(
            RejectionCode::Malformed,
            format!("{noun} {} is not a valid URL ({e})", quoted(input)),
            format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
        )
    })?;
    reject_userinfo(&url, input, noun)?;
    let (host, loopback) = host_of(&url, input, noun)?;
    let mut class = classify_url_host(&url, &host, loopback, noun, declared)?;
    let scheme = url.scheme();
    let port = url.port();
    if !loopback {
        class.warnings.extend(port.map(|p| port_warning(p, &host)));
    }
    let site_kind = class.kind.is_site();
    let origin = match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    };
    let site_path = split_path(url.path(), site_kind, &origin, &mut class.warnings);
    if scheme == "http" && !loopback {
        return Err(insecure_http(input, noun, &host, site_path.as_deref()));
    }
    class
        .warnings
        .extend(query_warning(&url, &origin, site_path.as_deref()));
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
        declared,
        warnings: class.warnings,
    })
}

/// What makes a value unusable before it is even read as a URL: nothing there, a secret, a
/// size no URL has.
fn screen_value(input: &str, noun: &str) -> Result<(), Rejection> {
    if input.trim().is_empty() {
        return Err(reject_input(
            RejectionCode::Empty,
            if input.is_empty() {
                format!("{noun} is empty")
            } else {
                format!("{noun} is only whitespace ({})", quoted(input))
            },
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    if let Some(shape) = crate::lookalike::secret_shape(input) {
        return Err(reject_input(
            RejectionCode::Pasted(Pasted::Secret),
            format!(
                "{noun} is {} ({} characters; not shown), not a URL: a value meant for another setting was given here",
                shape.what,
                input.chars().count()
            ),
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    if input.len() > MAX_URL_LEN {
        return Err(reject_input(
            RejectionCode::TooLong,
            format!(
                "{noun} is {} bytes long, far longer than any login URL",
                input.len()
            ),
            format!("Set it to the authorization server URL of your org: {LOGIN_HOSTS_HINT}."),
        ));
    }
    Ok(())
}

/// Copy-paste artefacts around or inside the text: quotes, whitespace, non-ASCII characters.
fn screen_text(input: &str, noun: &str) -> Result<(), Rejection> {
    if let Some(placeholder) = bracketed(input) {
        return Err(reject_input(
            RejectionCode::Placeholder,
            format!(
                "{noun} {} still has the placeholder {} of a guide or an example in it",
                quoted(input),
                quoted(placeholder)
            ),
            WHERE_TO_FIND,
        ));
    }
    let trimmed = input.trim();
    let unquoted = trimmed.trim_matches(is_quote);
    if unquoted.len() != trimmed.len() {
        let suggestion = parse(unquoted).ok().map(|u| u.base_url());
        return Err(reject_input(
            RejectionCode::Quoted,
            format!(
                "{noun} {} has quotes around it, which become part of the value",
                quoted(input)
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
        return Err(reject_input(
            RejectionCode::Whitespace,
            format!(
                "{noun} {} has {}",
                quoted(input),
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
        return Err(reject_input(
            RejectionCode::NonAscii,
            format!(
                "{noun} {} contains {what} (U+{:04X} at byte {i}); Salesforce login hosts are plain ASCII, so this is a copy-paste artefact or a look-alike",
                quoted(input),
                c as u32
            ),
            format!("Type the URL again by hand: {LOGIN_HOSTS_HINT}."),
        ));
    }
    Ok(())
}

fn reject_userinfo(url: &url::Url, input: &str, noun: &str) -> Result<(), Rejection> {
    if !url.username().is_empty() || url.password().is_some() {
        let host = url.host_str().unwrap_or("").to_string();
        return Err(reject_input(
            RejectionCode::UserInfo,
            format!(
                "{noun} {} has an '@' before the host: everything before it is a user name, and the real host is {}",
                quoted(input),
                quoted(&host)
            ),
            format!("Use the host alone, with nothing before '@': {LOGIN_HOSTS_HINT}."),
        )
        .with_host(&host));
    }
    Ok(())
}

/// The host, lower case, and whether it is a loopback address.
fn host_of(url: &url::Url, input: &str, noun: &str) -> Result<(String, bool), Rejection> {
    Ok(match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            check_host_syntax(&d, input, noun)?;
            let lb = d == "localhost";
            (d, lb)
        }
        Some(url::Host::Ipv4(ip)) => (ip.to_string(), is_loopback_v4(ip)),
        Some(url::Host::Ipv6(ip)) => (format!("[{ip}]"), ip == Ipv6Addr::LOCALHOST),
        None => {
            return Err(reject_input(
                RejectionCode::Malformed,
                format!("{noun} {} has no host", quoted(input)),
                format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
            ));
        }
    })
}

fn classify_url_host(
    url: &url::Url,
    host: &str,
    loopback: bool,
    noun: &str,
    declared: Option<CustomDomain>,
) -> Result<HostClass, Rejection> {
    let class = if loopback {
        HostClass::simple(HostKind::Loopback, Cloud::Commercial, Environment::Unknown)
    } else if matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_))) {
        return Err(reject_input(
            RejectionCode::NotSalesforce,
            format!(
                "{noun} points at the IP address {host}, not a Salesforce login host"
            ),
            format!(
                "Use a host name: {LOGIN_HOSTS_HINT}. Only loopback addresses (127.0.0.1, ::1) are accepted, for a local emulator."
            ),
        )
        .with_host(host));
    } else {
        match (classify_host(host), declared) {
            (Ok(class), _) => class,
            (Err(r), Some(declared)) if r.custom_domain_possible => {
                let kind = match declared {
                    CustomDomain::Login => HostKind::CustomDomain,
                    CustomDomain::Site => HostKind::CustomDomainSite,
                };
                HostClass::simple(kind, Cloud::Commercial, Environment::Unknown)
            }
            (Err(r), _) => return Err(r.with_host(host)),
        }
    };
    Ok(class)
}

fn port_warning(p: u16, host: &str) -> UrlWarning {
    UrlWarning::new(
        WarningCode::NonStandardPort,
        format!("it names port {p}, but Salesforce serves login only on 443"),
        format!("Drop the port: https://{host}."),
    )
}

fn insecure_http(input: &str, noun: &str, host: &str, site_path: Option<&str>) -> Rejection {
    let https = format!("https://{host}{}", site_path.unwrap_or(""));
    reject_input(
        RejectionCode::InsecureHttp,
        format!(
            "{noun} {} uses plain http://: Salesforce redirects it to https://, which turns the token POST into a GET and fails with unsupported_grant_type",
            quoted(input)
        ),
        format!("Use https://, i.e. {https}."),
    )
    .with_suggestion(Some(https))
    .with_host(host)
}

fn query_warning(url: &url::Url, origin: &str, site_path: Option<&str>) -> Option<UrlWarning> {
    if url.query().is_none() && url.fragment().is_none() {
        return None;
    }
    let what = match (url.query().is_some(), url.fragment().is_some()) {
        (true, true) => "a query string and a fragment",
        (true, false) => "a query string (?...)",
        _ => "a fragment (#...)",
    };
    Some(UrlWarning::new(
        WarningCode::QueryOrFragment,
        format!("it has {what}, which sfjwt ignores"),
        format!(
            "Remove everything from '?' or '#' on: use {origin}{}.",
            site_path.unwrap_or("")
        ),
    ))
}

/// Splits off the scheme, or assumes `https://` for a bare host. Returns the text to hand to the
/// URL parser.
fn split_scheme(input: &str, noun: &str) -> Result<(String, bool), Rejection> {
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
                return Err(reject_input(
                    RejectionCode::UnsupportedScheme,
                    format!(
                        "{noun} {} uses the scheme {lower}://; the token endpoint is reached over https://",
                        quoted(input)
                    ),
                    hint(),
                ));
            }
            if rest.starts_with(['/', '\\']) {
                return Err(malformed_scheme(input, noun, rest));
            }
            if rest.contains('\\') {
                return Err(backslash(input, noun));
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
            return Err(malformed_scheme(input, noun, &input[s.len()..]));
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
            return Err(reject_input(
                RejectionCode::UnsupportedScheme,
                format!(
                    "{noun} {} starts with {}:, which is not https://",
                    quoted(input),
                    scheme.to_ascii_lowercase()
                ),
                hint(),
            ));
        }
    }
    if input.contains('\\') {
        return Err(backslash(input, noun));
    }
    let bare = input.strip_prefix("//").unwrap_or(input);
    if bare.contains('@') && !bare.contains('/') {
        return Err(reject_input(
            RejectionCode::Pasted(Pasted::Username),
            format!(
                "{noun} {} looks like a username or an email address, not a URL",
                quoted(input)
            ),
            format!(
                "Put the username in --username / username in sfjwt.toml, and set the login URL to {LOGIN_HOSTS_HINT}."
            ),
        ));
    }
    Ok((format!("https://{bare}"), true))
}

fn backslash(input: &str, noun: &str) -> Rejection {
    reject_input(
        RejectionCode::Malformed,
        format!(
            "{noun} {} contains a backslash; URLs use forward slashes",
            quoted(input)
        ),
        format!("Use a URL of the form https://<host>: {LOGIN_HOSTS_HINT}."),
    )
}

fn malformed_scheme(input: &str, noun: &str, after_scheme: &str) -> Rejection {
    let rest = after_scheme.trim_start_matches([':', '/', '\\']);
    let candidate = format!("https://{rest}");
    let suggestion = if rest.contains('\\') {
        None
    } else {
        parse(&candidate).ok().map(|u| u.base_url())
    };
    reject_input(
        RejectionCode::MalformedScheme,
        format!(
            "{noun} {} has a malformed scheme separator; it must start with exactly https://",
            quoted(input)
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

fn check_host_syntax(host: &str, input: &str, noun: &str) -> Result<(), Rejection> {
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
        Err(reject_input(
            RejectionCode::Malformed,
            format!(
                "{noun} {} has a host name with empty labels or characters a host name can't contain",
                quoted(input)
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
    let shown_dropped = quoted(&dropped_text);
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
    warnings.push(UrlWarning::new(
        code,
        message,
        format!("Use {base} as the login URL."),
    ));
    site_path
}
