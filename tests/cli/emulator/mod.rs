//! An emulator of Salesforce's OAuth endpoints for the `--live` tests: the token endpoint (JWT
//! bearer grant), token introspection and token revocation, on `127.0.0.1` only.
//!
//! Built on `wiremock`: each endpoint is a [`wiremock::Respond`] implementation that gets the
//! whole request, so the emulator can do what Salesforce does with it rather than replay canned
//! answers. The token endpoint, per reference/salesforce-jwt.md:
//!
//! 1. wants a POST of `application/x-www-form-urlencoded` with
//!    `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` (else `unsupported_grant_type` /
//!    `grant type not supported`) and no `scope` (else `invalid_request` / `scope parameter not
//!    supported`);
//! 2. reads the assertion: header `alg` RS256; `iss` must be the registered consumer key (else
//!    `invalid_client_id` / `client identifier invalid`);
//! 3. verifies the RS256 signature with the registered certificate's public key, with the `rsa`
//!    crate directly: independent of sfjwt's own verification (else `invalid_grant` / `invalid
//!    assertion`);
//! 4. `aud` must be its own origin, as for a loopback login URL (else `audience is invalid`);
//! 5. `exp` must be ahead of its clock, which tests can set ahead (else `expired authorization
//!    code`);
//! 6. `sub` must be a known user: approved users get a token; not approved and unknown users get
//!    `user hasn't approved this consumer`, inactive ones `inactive user`, IP-restricted ones
//!    `ip restricted`.
//!
//! Errors are HTTP 400 with `application/json;charset=UTF-8` and Salesforce's `Cache-Control`;
//! a token answer has exactly `access_token`, `scope`, `instance_url`, `id`, `token_type`.
//! Introspection answers active (known, unrevoked token, "Introspect all Tokens" on), inactive
//! (`{"active":false}`), or 401 `invalid_client` for another secret. Revocation answers 200 and
//! records the token, or 400 `invalid_token`.
//!
//! Faults ([`Fault`]) replace the token endpoint's answer: a delay beyond the client's timeout,
//! 5xx (always, or once), `unknown_error`, an HTML page (also one that echoes the request, to
//! prove sfjwt scrubs what it shows), a redirect, JSON cut short, a 200 without a token, a body
//! far over sfjwt's cap. A refused connection is [`closed_port`]. An answer whose body never
//! ends is [`Stalling::start`]: the one fault wiremock cannot play (its hyper server refuses a
//! Content-Length its body does not match, and cannot stream), so it is a few lines of plain
//! socket code: headers, the start of a body, then silence. One that trickles its body a byte
//! at a time, so that no single read waits long, is [`Stalling::trickling`].
//!
//! The server runs on its own tokio runtime, so the tests stay plain synchronous functions that
//! run the real binary while the emulator answers.
//!
//! Over HTTPS: [`Emulator::start_https`] ([`tls`]) puts a TLS front before it, with the
//! certificate of fixtures/tls for the Salesforce host names; a request that comes through it
//! (its `Host` is a host name, not 127.0.0.1) is judged as sent to `https://HOST`: that is the
//! `aud` it wants, and its answers name the My Domain `https://acme.my.salesforce.com` (or
//! [`Emulator::set_instance_url`]) as `instance_url` and in `id`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod app;
mod tls;
use tls::identity_url;
pub use tls::{HttpsEmulator, MY_DOMAIN, tls_fixture};
pub mod hosts;
pub mod userinfo;

/// The consumer key of every fixture bundle.
pub const CONSUMER_KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";
/// The consumer secret the emulator's app has: a canary the tests look for in every output.
pub const CONSUMER_SECRET: &str =
    "CA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1ECA11AB1E";
pub const ORG_ID: &str = "00D5g000004XyZ1EAK";
pub const USER_ID: &str = "0055g00000ABcDeAAF";

pub const APPROVED: &str = "integration@acme.com";
pub const NOT_APPROVED: &str = "notapproved@acme.com";
pub const INACTIVE: &str = "inactive@acme.com";
pub const IP_RESTRICTED: &str = "iprestricted@acme.com";

const TOKEN_PATH: &str = "/services/oauth2/token";
const INTROSPECT_PATH: &str = "/services/oauth2/introspect";
const REVOKE_PATH: &str = "/services/oauth2/revoke";
pub const USERINFO_PATH: &str = "/services/oauth2/userinfo";
const JSON_UTF8: &str = "application/json;charset=UTF-8";
const CACHE_CONTROL: &str = "no-cache,must-revalidate,max-age=0,no-store,private";

/// A user of the emulated org.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum User {
    Approved,
    NotApproved,
    Inactive,
    IpRestricted,
}

/// What the token endpoint does instead of its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answers normally, but only after this long.
    Delay(Duration),
    /// Answers with this 5xx status and an HTML error page, every time.
    ServerError(u16),
    /// Answers HTTP 500 the first time, then normally.
    ServerErrorOnce,
    /// `{"error":"unknown_error","error_description":"retry your request"}`, every time.
    UnknownError,
    /// A 200 HTML page (Salesforce's "URL No Longer Exists"-style page).
    Html,
    /// A 200 HTML page that echoes the request body (the assertion) back.
    HtmlEcho,
    /// A 302 to a Lightning host, as a wrong login host answers.
    Redirect,
    /// A 200 JSON answer cut short in the middle of the access token.
    TruncatedJson,
    /// A 200 JSON answer without an access token.
    NoToken,
    /// A 200 whose body is 2 MiB long.
    Huge,
    /// An OAuth error whose description echoes the form body (the assertion) after 280
    /// characters, so a cut at 300 would leave the assertion's first characters; the content
    /// type echoes it too.
    JsonEcho,
}

/// One request the emulator received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub form: Vec<(String, String)>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    pub at: std::time::Instant,
    /// The `Host` header.
    pub host: Option<String>,
}

impl Received {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct Config {
    consumer_key: String,
    consumer_secret: String,
    /// The certificate's SubjectPublicKeyInfo, DER.
    spki: Vec<u8>,
    users: HashMap<String, User>,
    introspect_all_tokens: bool,
    /// Added to the emulator's clock when it judges `exp`.
    clock_ahead_secs: i64,
    fault: Option<Fault>,
    /// Revocation answers this status (with an error body) instead of 200.
    revoke_status: Option<u16>,
    /// Every token endpoint answer (the fault's too) comes only after this long.
    token_delay: Option<Duration>,
    /// Introspection and revocation answer only after this long.
    after_token_delay: Option<Duration>,
    /// Introspection and revocation answer an error that echoes what they were sent (the
    /// token, the consumer secret) after 180 characters.
    echo_after_token: bool,
    /// The `instance_url` (and base of `id`) of answers, instead of the origin the request was
    /// sent to.
    instance_url: Option<String>,
    /// The scope of the tokens it issues.
    scope: String,
    /// Which pairs of host and `aud` it takes.
    host_rules: hosts::HostRules,
    /// The app refuses every grant that got this far with this error (the `refresh_token`
    /// scope missing: [`Emulator::for_app`]).
    grant_refusal: Option<(&'static str, &'static str)>,
    /// What the UserInfo endpoint answers (see `userinfo.rs`).
    userinfo: userinfo::Mode,
    /// Added to the clock of every answer's `Date` header: a server clock that is ahead (or,
    /// negative, behind) this machine's.
    date_ahead_secs: Option<i64>,
}

#[derive(Debug, Default)]
struct Log {
    received: Vec<Received>,
    /// Tokens issued, in order.
    issued: Vec<String>,
    /// Tokens revoked, in order.
    revoked: Vec<String>,
    /// The user each token was issued for.
    issued_for: HashMap<String, String>,
    token_requests: usize,
}

/// The emulator's state, shared by its endpoints.
#[derive(Debug)]
struct State {
    origin: String,
    config: Mutex<Config>,
    log: Mutex<Log>,
    counter: AtomicU64,
}

/// A running emulator.
pub struct Emulator {
    server: MockServer,
    state: Arc<State>,
    runtime: tokio::runtime::Runtime,
}

/// The SubjectPublicKeyInfo (DER) of a PEM certificate.
pub fn spki_of(cert_pem: &[u8]) -> Vec<u8> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(cert_pem).expect("a PEM certificate");
    let cert = pem.parse_x509().expect("an X.509 certificate");
    cert.tbs_certificate.subject_pki.raw.to_vec()
}

/// The certificate of `fixtures/<name>/server.crt`.
pub fn fixture_cert(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
            .join("server.crt"),
    )
    .expect("the fixture certificate")
}

impl Emulator {
    /// An emulator whose app has the fixtures' consumer key, [`CONSUMER_SECRET`] and the
    /// `valid` fixture's certificate, with "Introspect all Tokens" on and the four users.
    pub fn start() -> Emulator {
        Emulator::with_cert(&fixture_cert("valid"))
    }

    /// Like [`Emulator::start`], with another certificate uploaded to the app.
    pub fn with_cert(cert_pem: &[u8]) -> Emulator {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        let server = runtime.block_on(MockServer::builder().listener(listener).start());
        let users = HashMap::from([
            (APPROVED.to_string(), User::Approved),
            (NOT_APPROVED.to_string(), User::NotApproved),
            (INACTIVE.to_string(), User::Inactive),
            (IP_RESTRICTED.to_string(), User::IpRestricted),
        ]);
        let state = Arc::new(State {
            origin: server.uri(),
            config: Mutex::new(Config {
                consumer_key: CONSUMER_KEY.to_string(),
                consumer_secret: CONSUMER_SECRET.to_string(),
                spki: spki_of(cert_pem),
                users,
                introspect_all_tokens: true,
                clock_ahead_secs: 0,
                fault: None,
                revoke_status: None,
                token_delay: None,
                after_token_delay: None,
                echo_after_token: false,
                instance_url: None,
                scope: "api refresh_token".to_string(),
                host_rules: hosts::HostRules::default(),
                grant_refusal: None,
                userinfo: userinfo::Mode::default(),
                date_ahead_secs: None,
            }),
            log: Mutex::new(Log::default()),
            counter: AtomicU64::new(0),
        });
        runtime.block_on(async {
            Mock::given(method("POST"))
                .and(path(TOKEN_PATH))
                .respond_with(Endpoint::new(&state, Kind::Token))
                .mount(&server)
                .await;
            Mock::given(method("POST"))
                .and(path(INTROSPECT_PATH))
                .respond_with(Endpoint::new(&state, Kind::Introspect))
                .mount(&server)
                .await;
            Mock::given(method("POST"))
                .and(path(REVOKE_PATH))
                .respond_with(Endpoint::new(&state, Kind::Revoke))
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(path(USERINFO_PATH))
                .respond_with(Endpoint::new(&state, Kind::UserInfo))
                .mount(&server)
                .await;
            // Anything else (a GET after a redirect, another path): recorded, and answered
            // like Salesforce answers a GET on the token endpoint.
            Mock::given(wiremock::matchers::any())
                .respond_with(Endpoint::new(&state, Kind::Other))
                .with_priority(u8::MAX)
                .mount(&server)
                .await;
        });
        Emulator {
            server,
            state,
            runtime,
        }
    }

    /// `http://127.0.0.1:PORT`: the login URL, and the audience the emulator accepts.
    pub fn origin(&self) -> String {
        self.state.origin.clone()
    }

    pub fn port(&self) -> u16 {
        self.server.address().port()
    }

    fn config(&self) -> std::sync::MutexGuard<'_, Config> {
        self.state.config.lock().unwrap()
    }

    pub fn set_fault(&self, fault: Fault) -> &Self {
        self.config().fault = Some(fault);
        self
    }

    /// Back to answering normally.
    pub fn clear_fault(&self) -> &Self {
        self.config().fault = None;
        self
    }

    pub fn set_introspect_all_tokens(&self, on: bool) -> &Self {
        self.config().introspect_all_tokens = on;
        self
    }

    pub fn set_clock_ahead(&self, secs: i64) -> &Self {
        self.config().clock_ahead_secs = secs;
        self
    }

    pub fn set_revoke_status(&self, status: u16) -> &Self {
        self.config().revoke_status = Some(status);
        self
    }

    /// Every answer of the token endpoint, faults included, comes only after `delay`.
    pub fn set_token_delay(&self, delay: Duration) -> &Self {
        self.config().token_delay = Some(delay);
        self
    }

    /// Introspection and revocation answer only after `delay` (a stalled endpoint when it is
    /// longer than the client waits).
    pub fn set_after_token_delay(&self, delay: Duration) -> &Self {
        self.config().after_token_delay = Some(delay);
        self
    }

    /// Introspection and revocation echo what they were sent (see `Config::echo_after_token`).
    pub fn set_echo_after_token(&self, on: bool) -> &Self {
        self.config().echo_after_token = on;
        self
    }

    /// Which pairs of token host and `aud` it takes from now on.
    pub fn set_host_rules(&self, rules: hosts::HostRules) -> &Self {
        self.config().host_rules = rules;
        self
    }

    /// The scope of the tokens issued from now on.
    pub fn set_scope(&self, scope: &str) -> &Self {
        self.config().scope = scope.to_string();
        self
    }

    /// What the UserInfo endpoint answers from now on.
    pub fn set_userinfo(&self, mode: userinfo::Mode) -> &Self {
        self.config().userinfo = mode;
        self
    }

    /// Every answer's `Date` header says this many seconds ahead of this machine's clock
    /// (negative: behind).
    pub fn set_date_ahead(&self, secs: i64) -> &Self {
        self.config().date_ahead_secs = Some(secs);
        self
    }

    /// The UserInfo requests received.
    pub fn userinfo_requests(&self) -> Vec<Received> {
        self.received_on(USERINFO_PATH)
    }

    pub fn add_user(&self, name: &str, user: User) -> &Self {
        self.config().users.insert(name.to_string(), user);
        self
    }

    /// Every request received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.state.log.lock().unwrap().received.clone()
    }

    /// The requests received on one path.
    pub fn received_on(&self, p: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path == p)
            .collect()
    }

    pub fn token_requests(&self) -> Vec<Received> {
        self.received_on(TOKEN_PATH)
    }

    pub fn introspections(&self) -> Vec<Received> {
        self.received_on(INTROSPECT_PATH)
    }

    pub fn revocations(&self) -> Vec<Received> {
        self.received_on(REVOKE_PATH)
    }

    /// The access tokens issued.
    pub fn issued(&self) -> Vec<String> {
        self.state.log.lock().unwrap().issued.clone()
    }

    /// The access tokens revoked.
    pub fn revoked(&self) -> Vec<String> {
        self.state.log.lock().unwrap().revoked.clone()
    }

    /// The assertions posted to the token endpoint.
    pub fn assertions(&self) -> Vec<String> {
        self.token_requests()
            .iter()
            .filter_map(|r| r.field("assertion").map(str::to_string))
            .collect()
    }

    /// Every credential that went over the wire: assertions, issued tokens, the secret.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = self.assertions();
        out.extend(self.issued());
        out.push(CONSUMER_SECRET.to_string());
        out
    }

    /// Keeps the runtime (and the server) alive until the emulator is dropped.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then closed): connecting is refused.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    l.local_addr().unwrap().port()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Token,
    Introspect,
    Revoke,
    UserInfo,
    Other,
}

struct Endpoint {
    state: Arc<State>,
    kind: Kind,
}

impl Endpoint {
    fn new(state: &Arc<State>, kind: Kind) -> Self {
        Endpoint {
            state: Arc::clone(state),
            kind,
        }
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Salesforce's JSON error answer: HTTP 400, its headers, `{"error", "error_description"}`.
fn oauth_error(status: u16, error: &str, description: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("Cache-Control", CACHE_CONTROL)
        .set_body_raw(
            json!({"error": error, "error_description": description}).to_string(),
            JSON_UTF8,
        )
}

fn json_answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("Cache-Control", CACHE_CONTROL)
        .set_body_raw(body.to_string(), JSON_UTF8)
}

fn html(status: u16, title: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        format!(
            "<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"
        ),
        "text/html;charset=UTF-8",
    )
}

impl Respond for Endpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let received = Received {
            method: request.method.to_string(),
            path: request.url.path().to_string(),
            content_type: content_type.clone(),
            form,
            authorization: request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            at: std::time::Instant::now(),
            host: request
                .headers
                .get("host")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        };
        self.state
            .log
            .lock()
            .unwrap()
            .received
            .push(received.clone());
        let (token_delay, after_token_delay, date_ahead) = {
            let config = self.state.config.lock().unwrap();
            (
                config.token_delay,
                config.after_token_delay,
                config.date_ahead_secs,
            )
        };
        let delayed = |answer: ResponseTemplate, delay: Option<Duration>| match delay {
            Some(d) => answer.set_delay(d),
            None => answer,
        };
        let answer = match self.kind {
            Kind::Token => delayed(self.token(&received, &request.body), token_delay),
            Kind::Introspect => delayed(self.introspect(&received), after_token_delay),
            Kind::Revoke => delayed(self.revoke(&received), after_token_delay),
            Kind::UserInfo => delayed(self.userinfo(&received), after_token_delay),
            Kind::Other => html(
                405,
                "Error 405 Only POST allowed",
                "<h2>HTTP ERROR 405</h2><p>Only POST allowed</p>",
            ),
        };
        match date_ahead {
            Some(secs) => answer.insert_header("Date", userinfo::http_date(secs)),
            None => answer,
        }
    }
}

impl Endpoint {
    fn token(&self, req: &Received, raw_body: &[u8]) -> ResponseTemplate {
        let nth = {
            let mut log = self.state.log.lock().unwrap();
            log.token_requests += 1;
            log.token_requests
        };
        let fault = self.state.config.lock().unwrap().fault.clone();
        match fault {
            None => self.grant(req),
            Some(Fault::Delay(d)) => self.grant(req).set_delay(d),
            Some(Fault::ServerError(status)) => html(
                status,
                "Service Unavailable",
                "<h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p>",
            ),
            Some(Fault::ServerErrorOnce) if nth == 1 => html(
                500,
                "Internal Server Error",
                "<h1>Internal Server Error</h1>",
            ),
            Some(Fault::ServerErrorOnce) => self.grant(req),
            Some(Fault::UnknownError) => oauth_error(400, "unknown_error", "retry your request"),
            Some(Fault::Html) => html(
                200,
                "URL No Longer Exists",
                "<p>You have attempted to reach a URL that no longer exists on salesforce.com.</p>",
            ),
            Some(Fault::HtmlEcho) => html(
                200,
                "Welcome",
                &format!(
                    "<p>You sent: {}</p><p>assertion: {}</p>",
                    String::from_utf8_lossy(raw_body),
                    req.field("assertion").unwrap_or("")
                ),
            ),
            Some(Fault::Redirect) => ResponseTemplate::new(302)
                .insert_header(
                    "Location",
                    "https://acme.lightning.force.com/services/oauth2/token",
                )
                .set_body_raw("", "text/html"),
            Some(Fault::TruncatedJson) => {
                let token = self.new_token();
                let full = json!({
                    "access_token": token,
                    "instance_url": self.state.origin,
                })
                .to_string();
                // Cut in the middle of the access token.
                let cut = full.find("!AQ").map_or(full.len() / 2, |i| i + 20);
                ResponseTemplate::new(200).set_body_raw(full[..cut].to_string(), JSON_UTF8)
            }
            Some(Fault::NoToken) => json_answer(
                200,
                &json!({"instance_url": self.state.origin, "id": self.identity_url()}),
            ),
            Some(Fault::Huge) => ResponseTemplate::new(200).set_body_raw(
                format!("{{\"padding\":\"{}\"}}", "x".repeat(2 << 20)),
                JSON_UTF8,
            ),
            Some(Fault::JsonEcho) => {
                let assertion = req.field("assertion").unwrap_or("");
                echo(400, 280, &req.form)
                    .insert_header("Content-Type", format!("application/json; x={assertion}"))
            }
        }
    }

    fn identity_url(&self) -> String {
        format!("{}/id/{ORG_ID}/{USER_ID}", self.state.origin)
    }

    fn new_token(&self) -> String {
        let n = self.state.counter.fetch_add(1, Ordering::SeqCst);
        let digest = Sha256::digest(format!("{n}-{:?}", SystemTime::now()).as_bytes());
        let tail: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}!AQ4AQ{tail}", &ORG_ID[..15])
    }

    /// The JWT bearer grant, as Salesforce judges it.
    fn grant(&self, req: &Received) -> ResponseTemplate {
        let config = self.state.config.lock().unwrap();
        let form_ok = req
            .content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !form_ok
            || req.field("grant_type") != Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return oauth_error(400, "unsupported_grant_type", "grant type not supported");
        }
        if req.field("scope").is_some() {
            return oauth_error(400, "invalid_request", "scope parameter not supported");
        }
        let Some(assertion) = req.field("assertion") else {
            return oauth_error(400, "invalid_grant", "invalid assertion");
        };
        let parts: Vec<&str> = assertion.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else {
            return oauth_error(400, "invalid_grant", "invalid assertion");
        };
        let decode = |p: &str| -> Option<Value> {
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).ok()?).ok()
        };
        let (Some(header), Some(claims)) = (decode(header), decode(claims)) else {
            return oauth_error(400, "invalid_grant", "invalid assertion");
        };
        if claims["iss"].as_str() != Some(config.consumer_key.as_str()) {
            return oauth_error(400, "invalid_client_id", "client identifier invalid");
        }
        if header["alg"] != "RS256" {
            return oauth_error(400, "invalid_grant", "invalid assertion");
        }
        let signing_input = &assertion[..assertion.rfind('.').unwrap_or(0)];
        if !verifies(&config.spki, signing_input, signature) {
            return oauth_error(400, "invalid_grant", "invalid assertion");
        }
        if let Some(refusal) =
            self.host_refusal(req, claims["aud"].as_str().unwrap_or(""), config.host_rules)
        {
            return refusal;
        }
        let exp = claims["exp"]
            .as_i64()
            .or_else(|| claims["exp"].as_str().and_then(|s| s.parse().ok()));
        if exp.is_none_or(|exp| exp <= now_secs() + config.clock_ahead_secs) {
            return oauth_error(400, "invalid_grant", "expired authorization code");
        }
        let sub = claims["prn"]
            .as_str()
            .or_else(|| claims["sub"].as_str())
            .unwrap_or("");
        if let Some((error, description)) = config.grant_refusal {
            return oauth_error(400, error, description);
        }
        match config.users.get(sub) {
            Some(User::Approved) => {}
            None | Some(User::NotApproved) => {
                return oauth_error(400, "invalid_grant", "user hasn't approved this consumer");
            }
            Some(User::Inactive) => return oauth_error(400, "invalid_grant", "inactive user"),
            Some(User::IpRestricted) => return oauth_error(400, "invalid_grant", "ip restricted"),
        }
        let instance_url = self.instance_url(req, &config);
        let scope = config.scope.clone();
        drop(config);
        let token = self.new_token();
        let mut log = self.state.log.lock().unwrap();
        log.issued.push(token.clone());
        log.issued_for.insert(token.clone(), sub.to_string());
        drop(log);
        json_answer(
            200,
            &json!({
                "access_token": token,
                "scope": scope,
                "instance_url": instance_url,
                "id": identity_url(&instance_url),
                "token_type": "Bearer",
            }),
        )
    }

    fn introspect(&self, req: &Received) -> ResponseTemplate {
        let config = self.state.config.lock().unwrap();
        if config.echo_after_token {
            return echo(400, 180, &req.form);
        }
        if req.field("client_id") != Some(config.consumer_key.as_str())
            || req.field("client_secret") != Some(config.consumer_secret.as_str())
        {
            // RFC 6749 §5.2 gives 401 for client authentication failures; Salesforce's status
            // for introspection is not captured.
            return oauth_error(401, "invalid_client", "invalid client credentials");
        }
        let log = self.state.log.lock().unwrap();
        let token = req.field("token").unwrap_or("");
        let live = log.issued.iter().any(|t| t == token) && !log.revoked.iter().any(|t| t == token);
        if !(live && config.introspect_all_tokens) {
            return json_answer(200, &json!({"active": false}));
        }
        let now = now_secs();
        json_answer(
            200,
            &json!({
                "active": true,
                "scope": "api refresh_token",
                "client_id": config.consumer_key,
                "username": APPROVED,
                "sub": identity_url(&self.instance_url(req, &config)),
                "token_type": "access_token",
                "exp": now + 7200,
                "iat": now,
                "nbf": now,
            }),
        )
    }

    fn revoke(&self, req: &Received) -> ResponseTemplate {
        if self.state.config.lock().unwrap().echo_after_token {
            return echo(400, 180, &req.form);
        }
        if let Some(status) = self.state.config.lock().unwrap().revoke_status {
            return oauth_error(status, "unsupported_token_type", "Token type not supported");
        }
        let mut log = self.state.log.lock().unwrap();
        let token = req.field("token").unwrap_or("").to_string();
        if !log.issued.contains(&token) {
            return oauth_error(400, "invalid_token", "Token was invalid");
        }
        log.revoked.push(token);
        ResponseTemplate::new(200)
    }
}

/// An OAuth error whose description is `pad` characters of padding, then what was sent: an
/// endpoint that echoes its input.
fn echo(status: u16, pad: usize, form: &[(String, String)]) -> ResponseTemplate {
    let sent: String = form.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    oauth_error(
        status,
        "invalid_request",
        &format!("{}{sent}", "x".repeat(pad)),
    )
}

/// RS256 verification with the `rsa` crate (PKCS#1 v1.5, SHA-256).
fn verifies(spki: &[u8], signing_input: &str, signature_b64: &str) -> bool {
    let Ok(key) = rsa::PublicKey::from_public_key_der(spki) else {
        return false;
    };
    let Ok(sig_bytes) = URL_SAFE_NO_PAD.decode(signature_b64) else {
        return false;
    };
    let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig_bytes.as_slice()) else {
        return false;
    };
    rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
        .verify(signing_input.as_bytes(), &sig)
        .is_ok()
}

/// A token endpoint that starts an answer and never finishes it: it reads the request, sends
/// `200 OK` with a `Content-Length` of 100000 and the first bytes of a JSON body, then either
/// keeps the connection silent ([`Stalling::never_ending`]) or trickles one more byte every
/// `interval` ([`Stalling::trickling`], so that no single read waits long), until dropped (30 s at
/// most). Counts the requests it got.
pub struct Stalling {
    port: u16,
    stop: Arc<std::sync::atomic::AtomicBool>,
    hits: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Stalling {
    /// Silent after `{"access_token":"`.
    pub fn start() -> Stalling {
        Stalling::serve(b"{\"access_token\":\"", None)
    }

    /// A space every `interval` after `{`.
    pub fn trickling(interval: Duration) -> Stalling {
        Stalling::serve(b"{", Some(interval))
    }

    fn serve(body_start: &'static [u8], trickle: Option<Duration>) -> Stalling {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hits = Arc::new(AtomicU64::new(0));
        let (stop2, hits2) = (Arc::clone(&stop), Arc::clone(&hits));
        let thread = std::thread::spawn(move || {
            // Until the test drops it, or past any test's patience.
            let until = std::time::Instant::now() + crate::common::FOREVER;
            let mut open: Vec<std::net::TcpStream> = Vec::new();
            while !stop2.load(Ordering::SeqCst) && std::time::Instant::now() < until {
                if let Ok((mut s, _)) = listener.accept() {
                    hits2.fetch_add(1, Ordering::SeqCst);
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut buf = [0u8; 16384];
                    let _ = s.read(&mut buf);
                    let _ = s.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: 100000\r\n\r\n",
                    );
                    let _ = s.write_all(body_start);
                    let _ = s.flush();
                    open.push(s);
                }
                match trickle {
                    // One more byte on every open connection; a closed one is dropped.
                    Some(interval) => {
                        open.retain_mut(|s| s.write_all(b" ").and_then(|()| s.flush()).is_ok());
                        std::thread::sleep(interval);
                    }
                    // Polling the non-blocking listener, not pacing the test.
                    None => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Stalling {
            port,
            stop,
            hits,
            thread: Some(thread),
        }
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }
}

impl Drop for Stalling {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
