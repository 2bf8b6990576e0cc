//! The HTTP side of `sfjwt check --live`: posting the test assertion to the token endpoint,
//! introspecting and revoking the token it issues, and reading the answers.
//!
//! Nothing here decides *whether* to send: `checks::live` does that (HTTPS to a host that
//! `hosts::parse` accepted, or `http://` to loopback). This module only makes requests the way
//! every request of sfjwt must be made:
//!
//! - the client is built on first use only ([`Http`]), so runs without `--live` never initialise
//!   TLS or an HTTP runtime;
//! - redirects are never followed (a redirect turns the POST into a GET and is itself a finding);
//! - each request has a connect timeout and a total timeout ([`Http::timeout`]), and the body is
//!   read against a deadline, at most [`MAX_RESPONSE_BYTES`] of it; the requests of one bundle
//!   share one [`Budget`], [`BUDGET_TIMEOUTS`] × the timeout from the first, so a bundle's
//!   `--live` ends within it whatever the endpoint does (stalls, trickles, 5xx and the retry);
//! - the system proxy variables (`HTTPS_PROXY`, `NO_PROXY`, ...) are honoured for HTTPS hosts;
//!   loopback hosts are always reached directly, so a plain-`http://` assertion never crosses a
//!   proxy;
//! - nothing retries on its own: reqwest's own retries are off, and `checks::live` retries a
//!   transient answer at most once;
//! - errors are described from their kinds and causes, never with reqwest's `Display` of the
//!   request (which carries the URL); the caller scrubs every text of the credentials it sent.
//!
//! TLS is rustls with the `ring` provider and the platform's certificate store (through
//! rustls-platform-verifier): nothing is downloaded or compiled with cmake at build time. The CA
//! files of `--ca-file` and `$SSL_CERT_FILE` are trusted beside that store ([`trust`]); the
//! certificate chain and the host name are always verified.

use std::error::Error as StdError;
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use serde_json::{Map, Value};

mod answers;
#[cfg(debug_assertions)]
pub mod test_resolve;
pub mod trust;
mod userinfo;

pub use answers::{
    AccessToken, IntrospectAnswer, Issued, NotJson, Session, TokenAnswer, identity_ids,
    json_object, parse_introspection, parse_token_response,
};
pub use userinfo::{USERINFO_PATH, UserInfo, UserInfoAnswer, parse_userinfo};

/// `--timeout` when it is not given, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 15;
/// The most of a response body that is read; the token endpoint's answers are a few hundred
/// bytes, and its HTML error pages a few kilobytes.
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;
/// The JWT bearer grant type (RFC 7523).
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Where the issued token is introspected, below the login URL.
pub const INTROSPECT_PATH: &str = "/services/oauth2/introspect";
/// Where the issued token is revoked, below the login URL.
pub const REVOKE_PATH: &str = "/services/oauth2/revoke";
/// How many `--timeout`s the requests of one bundle share, retries included ([`Budget`]).
pub const BUDGET_TIMEOUTS: u32 = 2;
/// A request is not started with less than this left of its bundle's [`Budget`]: it could only
/// time out.
pub const MIN_REQUEST_TIME: Duration = Duration::from_millis(100);
/// How long `checks::live` waits before the one retry of a transient answer, unless
/// [`Http::retry_pause`] says otherwise.
pub const DEFAULT_RETRY_PAUSE: Duration = Duration::from_secs(1);

/// The HTTP clients of one run: none is built until a request needs it. One for HTTPS hosts
/// (system proxies honoured, HTTPS only), one for loopback emulators (never through a proxy).
pub struct Http {
    /// The bound on each request: connecting, and the whole exchange up to the last byte of the
    /// body. The requests of one bundle together get [`BUDGET_TIMEOUTS`] times this.
    pub timeout: Duration,
    /// The wait before the one retry of a transient answer ([`DEFAULT_RETRY_PAUSE`]; tests set
    /// it to zero).
    pub retry_pause: Duration,
    /// CA files trusted beside the system store (and the debug builds' test hook): see
    /// [`trust`].
    pub extras: trust::Extras,
    remote: OnceLock<Result<Client, String>>,
    loopback: OnceLock<Result<Client, String>>,
}

impl Http {
    /// Clients with this timeout, not built yet.
    pub fn new(timeout: Duration) -> Self {
        Http {
            timeout,
            retry_pause: DEFAULT_RETRY_PAUSE,
            extras: trust::Extras::default(),
            remote: OnceLock::new(),
            loopback: OnceLock::new(),
        }
    }

    /// The client for a host: built on first use, shared by every bundle of the run (fleets run
    /// in threads; a `Client` is shared between them).
    pub fn client(&self, loopback: bool) -> Result<&Client, String> {
        let cell = if loopback {
            &self.loopback
        } else {
            &self.remote
        };
        cell.get_or_init(|| build_client(self.timeout, loopback, &self.extras))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Whether any client was built (for the test that offline runs build none).
    pub fn built(&self) -> bool {
        self.remote.get().is_some() || self.loopback.get().is_some()
    }
}

impl Clone for Http {
    fn clone(&self) -> Self {
        Http {
            timeout: self.timeout,
            retry_pause: self.retry_pause,
            extras: self.extras.clone(),
            remote: self.remote.clone(),
            loopback: self.loopback.clone(),
        }
    }
}

impl fmt::Debug for Http {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Http")
            .field("timeout", &self.timeout)
            .field("retry_pause", &self.retry_pause)
            .field("extras", &self.extras)
            .field("built", &self.built())
            .finish()
    }
}

impl Default for Http {
    fn default() -> Self {
        Http::new(Duration::from_secs(DEFAULT_TIMEOUT_SECS))
    }
}

/// The time one bundle's `--live` requests share: [`BUDGET_TIMEOUTS`] × `--timeout` from its
/// first request. Each request is bounded by `--timeout` or by what is left, whichever is less;
/// a retry (and its pause) happens only when time is left for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    timeout: Duration,
    deadline: Instant,
}

impl Budget {
    /// A budget that starts now, for requests bounded by `timeout` each.
    pub fn start(timeout: Duration) -> Self {
        Budget {
            timeout,
            deadline: Instant::now() + timeout * BUDGET_TIMEOUTS,
        }
    }

    /// The whole budget: [`BUDGET_TIMEOUTS`] × `--timeout`.
    pub fn total(&self) -> Duration {
        self.timeout * BUDGET_TIMEOUTS
    }

    /// What is left of it.
    pub fn left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The bound for the next request: `--timeout`, or what is left when that is less; `None`
    /// when less than [`MIN_REQUEST_TIME`] is left.
    pub fn next_request(&self) -> Option<Duration> {
        let left = self.left();
        (left >= MIN_REQUEST_TIME).then(|| left.min(self.timeout))
    }

    /// Like [`Budget::next_request`], taking at most half of what is left, so that a request
    /// that must come after this one (revoking the token) keeps the other half.
    pub fn next_request_sharing(&self) -> Option<Duration> {
        let half = self.left() / 2;
        (half >= MIN_REQUEST_TIME).then(|| half.min(self.timeout))
    }

    /// Waits `pause` and returns the bound for the request after it, when the budget leaves
    /// time for both; otherwise returns `None` at once, without waiting.
    pub fn pause_then_request(&self, pause: Duration) -> Option<Duration> {
        if self.left() < pause + MIN_REQUEST_TIME {
            return None;
        }
        std::thread::sleep(pause);
        self.next_request()
    }

    /// What bounded a request, for a finding: "2 s (--timeout)", or "1.3 s, what was left of
    /// this bundle's 4 s for --live (2 × --timeout)" when the budget cut it.
    pub fn describe(&self, bound: Duration) -> String {
        if bound >= self.timeout {
            format!("{} (--timeout)", seconds(bound))
        } else {
            format!(
                "{}, what was left of this bundle's {} for --live ({BUDGET_TIMEOUTS} × --timeout)",
                seconds(bound),
                seconds(self.total())
            )
        }
    }
}

fn build_client(
    timeout: Duration,
    loopback: bool,
    extras: &trust::Extras,
) -> Result<Client, String> {
    extras
        .apply(builder(timeout, loopback), loopback)
        .build()
        .map_err(|e| {
            format!(
                "the HTTP client could not be set up: {}",
                describe_chain(&e)
            )
        })
}

/// The client settings every request of sfjwt uses.
pub fn builder(timeout: Duration, loopback: bool) -> reqwest::blocking::ClientBuilder {
    // One process-wide provider; a second install (another client) is refused harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let b = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .connect_timeout(timeout)
        .timeout(timeout)
        .referer(false)
        .tls_version_min(reqwest::tls::Version::TLS_1_2)
        .user_agent(concat!("sfjwt/", env!("CARGO_PKG_VERSION")));
    if loopback {
        // An assertion sent over plain http:// must not leave the machine: no proxy, and
        // `localhost` pinned to the loopback addresses whatever the resolver says.
        let pinned = [
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
        ];
        b.no_proxy().resolve_to_addrs("localhost", &pinned)
    } else {
        b.https_only(true)
    }
}

/// A response, read up to [`MAX_RESPONSE_BYTES`].
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
    /// The `Date` header: the server's clock when it answered (RFC 9110 §6.6.1).
    pub date: Option<String>,
    pub body: Vec<u8>,
    /// The body was longer than [`MAX_RESPONSE_BYTES`]: the rest was not read.
    pub truncated: bool,
    pub elapsed: Duration,
}

/// Why a request got no complete answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "kebab-case")]
pub enum Fault {
    /// The host name did not resolve.
    Dns,
    /// Nothing listens on the port (or a firewall refused).
    #[strum(serialize = "connection-refused")]
    Refused,
    /// The TLS handshake failed (not TLS on that port, a certificate not trusted, ...).
    Tls,
    /// No answer, or no complete answer, within the timeout.
    Timeout,
    /// The connection closed before the body was complete.
    #[strum(serialize = "incomplete-response")]
    Incomplete,
    /// Another connection failure (unreachable network, a proxy that refused the tunnel, ...).
    Connect,
    /// Anything else.
    Other,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A request that failed, described without its URL or body.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub fault: Fault,
    /// What the HTTP stack said, causes joined by `: `.
    pub detail: String,
    /// The status, when the headers had come before the failure.
    pub status: Option<u16>,
    /// How much of the body had come.
    pub partial_bytes: usize,
    pub elapsed: Duration,
}

/// POSTs `fields` as `application/x-www-form-urlencoded` to `url`, within `timeout` from the
/// start to the last byte (see [`send`]).
pub fn post_form(
    client: &Client,
    url: &str,
    fields: &[(&str, &str)],
    timeout: Duration,
) -> Result<Response, Failure> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    send(
        client
            .post(url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body),
        timeout,
    )
}

/// GETs `url` with `Authorization: Bearer <token>`, within `timeout` (see [`send`]).
pub fn get_with_bearer(
    client: &Client,
    url: &str,
    token: &AccessToken,
    timeout: Duration,
) -> Result<Response, Failure> {
    let mut value = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Failure {
        fault: Fault::Other,
        detail: "the access token is not a valid header value".into(),
        status: None,
        partial_bytes: 0,
        elapsed: Duration::ZERO,
    })?;
    // Kept out of any debug output of the request.
    value.set_sensitive(true);
    send(
        client
            .get(url)
            .header(reqwest::header::AUTHORIZATION, value),
        timeout,
    )
}

/// Sends a request built on `client` (asking for JSON), within `timeout` from the start to the
/// last byte: reqwest's total timeout of the request covers connecting, sending and the body;
/// the body is also read against the same deadline here, at most [`MAX_RESPONSE_BYTES`] of it,
/// since the blocking reader bounds each read on its own.
fn send(
    request: reqwest::blocking::RequestBuilder,
    timeout: Duration,
) -> Result<Response, Failure> {
    let start = Instant::now();
    let deadline = start + timeout;
    let fail = |fault: Fault, detail: String, status: Option<u16>, partial: usize| Failure {
        fault,
        detail,
        status,
        partial_bytes: partial,
        elapsed: start.elapsed(),
    };
    let mut resp = request
        .header(reqwest::header::ACCEPT, "application/json")
        .timeout(timeout)
        .send()
        .map_err(|e| fail(classify(&e), describe_chain(&e), None, 0))?;
    let status = resp.status().as_u16();
    let header = |name| {
        resp.headers()
            .get(name)
            .map(|v: &reqwest::header::HeaderValue| {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            })
    };
    let content_type = header(CONTENT_TYPE);
    let location = header(LOCATION);
    let date = header(reqwest::header::DATE);
    match read_capped(&mut resp, deadline, MAX_RESPONSE_BYTES) {
        Ok((body, truncated)) => Ok(Response {
            status,
            content_type,
            location,
            date,
            body,
            truncated,
            elapsed: start.elapsed(),
        }),
        Err(ReadFailure { error, read }) => {
            let (fault, detail) = match &error {
                None => (
                    Fault::Timeout,
                    format!("the body had not finished after {}", seconds(timeout)),
                ),
                Some(e) if io_is_timeout(e) => (
                    Fault::Timeout,
                    format!("the body had not finished after {}", seconds(timeout)),
                ),
                Some(e) => (Fault::Incomplete, describe_io(e)),
            };
            Err(fail(fault, detail, Some(status), read))
        }
    }
}

/// Why a body could not be read to its end: `error` is `None` when the deadline passed.
#[derive(Debug)]
pub struct ReadFailure {
    pub error: Option<std::io::Error>,
    /// How many bytes had been read.
    pub read: usize,
}

/// Reads `r` to its end or to `cap` bytes, whichever comes first; `true` when there was more
/// than `cap`. Stops with a [`ReadFailure`] once `deadline` has passed (each single read is
/// bounded by the client's own timeout).
pub fn read_capped(
    r: &mut impl Read,
    deadline: Instant,
    cap: usize,
) -> Result<(Vec<u8>, bool), ReadFailure> {
    let mut body = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if Instant::now() >= deadline {
            return Err(ReadFailure {
                error: None,
                read: body.len(),
            });
        }
        match r.read(&mut buf) {
            Ok(0) => return Ok((body, false)),
            Ok(n) => {
                let room = cap - body.len();
                if n > room {
                    body.extend_from_slice(&buf[..room]);
                    return Ok((body, true));
                }
                body.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(ReadFailure {
                    error: Some(e),
                    read: body.len(),
                });
            }
        }
    }
}

/// "15 s", "1 s", "0.5 s".
pub fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn io_is_timeout(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout)
}

fn describe_io(e: &std::io::Error) -> String {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
    {
        Some(r) => describe_chain(r),
        None => e.to_string(),
    }
}

/// What kind of failure a reqwest error is, from its flags and its chain of causes.
pub fn classify(e: &reqwest::Error) -> Fault {
    if e.is_timeout() {
        return Fault::Timeout;
    }
    let mut cause: Option<&(dyn StdError + 'static)> = e.source();
    while let Some(c) = cause {
        if is_tls_error(c) {
            return Fault::Tls;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Fault::Refused,
                std::io::ErrorKind::TimedOut => return Fault::Timeout,
                _ => {}
            }
        }
        let text = c.to_string().to_ascii_lowercase();
        if text.starts_with("dns error") || text.contains("failed to lookup address") {
            return Fault::Dns;
        }
        if text.contains("certificate") || text.contains("handshake") || text.contains("tls") {
            return Fault::Tls;
        }
        cause = c.source();
    }
    if e.is_connect() {
        Fault::Connect
    } else {
        Fault::Other
    }
}

/// A rustls error, possibly inside `io::Error`s (which wrap it twice on the way up, and whose
/// `source()` skips what they wrap).
fn is_tls_error(e: &(dyn StdError + 'static)) -> bool {
    if e.is::<rustls::Error>() {
        return true;
    }
    match e
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref)
    {
        Some(inner) => is_tls_error(inner),
        None => false,
    }
}

/// The causes of a reqwest error, joined by `: `: never the error's own `Display`, which names
/// the URL. Each cause is cut to a printable line.
pub fn describe_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cause: Option<&(dyn StdError + 'static)> = e.source();
    while let Some(c) = cause {
        let text = match c.downcast_ref::<std::io::Error>() {
            // An io::Error's source() skips the error it wraps: show that one here.
            Some(io) => io.to_string(),
            None => c.to_string(),
        };
        let text = crate::text::one_line_limited(text.trim(), 200);
        // hyper-util's "client error (Connect)" says nothing the causes below don't.
        let noise = text.starts_with("client error (");
        if !noise && !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    if parts.is_empty() {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() {
            "the request body could not be sent"
        } else if e.is_decode() {
            "the response could not be read"
        } else if e.is_builder() {
            "the request could not be built"
        } else {
            "the request failed"
        };
        parts.push(kind.to_string());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests;
