//! The emulator over HTTPS: a TLS front on `127.0.0.1` that terminates TLS with the committed
//! certificate of `fixtures/tls/server.crt` (signed by `fixtures/tls/ca.crt`, for
//! login.salesforce.com, test.salesforce.com, acme.my.salesforce.com, ... and 127.0.0.1) and pipes
//! the plain bytes of each connection to the wiremock emulator's port.
//!
//! sfjwt reaches it under a Salesforce host name through its debug-build test hook
//! `SFJWT_TEST_RESOLVE` ([`HttpsEmulator::resolve_env`]), and must verify the certificate as
//! always: the tests trust the test CA with `--ca-file` or `SSL_CERT_FILE`, or see the handshake
//! fail without it. The front counts the connections it accepted and the handshakes that
//! completed, so a test can tell "sfjwt connected, and refused the certificate" from "sfjwt never
//! connected".
//!
//! A request that came through the front carries the Salesforce host in its `Host` header: the
//! token endpoint then wants `https://HOST` as `aud` ([`Endpoint::audience`]), and answers with
//! the My Domain [`MY_DOMAIN`] as `instance_url` (unless [`Emulator::set_instance_url`]).

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::{Config, Emulator, Endpoint, ORG_ID, Received, USER_ID};

/// The org's My Domain: the `instance_url` of answers that came over TLS.
pub const MY_DOMAIN: &str = "https://acme.my.salesforce.com";

/// `fixtures/tls/NAME`.
pub fn tls_fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/tls")
        .join(name)
}

/// A running emulator behind its TLS front. Derefs to the [`Emulator`], so its settings and
/// logs read as usual.
pub struct HttpsEmulator {
    emu: Emulator,
    port: u16,
    connections: Arc<AtomicU64>,
    handshakes: Arc<AtomicU64>,
}

impl Deref for HttpsEmulator {
    type Target = Emulator;
    fn deref(&self) -> &Emulator {
        &self.emu
    }
}

impl Emulator {
    /// [`Emulator::start`] behind a TLS front: see [`HttpsEmulator`].
    pub fn start_https() -> HttpsEmulator {
        HttpsEmulator::front(Emulator::start())
    }

    /// The `instance_url` (and the base of `id`) the token endpoint answers with, whatever the
    /// request was sent to.
    pub fn set_instance_url(&self, url: &str) -> &Self {
        self.config().instance_url = Some(url.to_string());
        self
    }
}

impl HttpsEmulator {
    /// Puts a TLS front before `emu`, on its tokio runtime.
    pub fn front(emu: Emulator) -> HttpsEmulator {
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config()));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let upstream = *emu.server.address();
        let connections = Arc::new(AtomicU64::new(0));
        let handshakes = Arc::new(AtomicU64::new(0));
        let (accepted, completed) = (Arc::clone(&connections), Arc::clone(&handshakes));
        emu.runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                accepted.fetch_add(1, Ordering::SeqCst);
                let (acceptor, completed) = (acceptor.clone(), Arc::clone(&completed));
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to pipe.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    completed.fetch_add(1, Ordering::SeqCst);
                    let Ok(mut plain) = tokio::net::TcpStream::connect(upstream).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                });
            }
        });
        HttpsEmulator {
            emu,
            port,
            connections,
            handshakes,
        }
    }

    /// The front's port on 127.0.0.1.
    pub fn https_port(&self) -> u16 {
        self.port
    }

    /// `SFJWT_TEST_RESOLVE` pointing each of `hosts` at the front.
    pub fn resolve_env(&self, hosts: &[&str]) -> String {
        hosts
            .iter()
            .map(|h| format!("{h}=127.0.0.1:{}", self.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// TCP connections the front accepted.
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }

    /// TLS handshakes that completed (the client accepted the certificate).
    pub fn handshakes(&self) -> u64 {
        self.handshakes.load(Ordering::SeqCst)
    }
}

/// TLS 1.2 and 1.3 with the ring provider, `fixtures/tls/server.crt` and its key, HTTP/1.1.
fn server_config() -> rustls::ServerConfig {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(tls_fixture("server.crt"))
            .expect("fixtures/tls/server.crt")
            .collect::<Result<_, _>>()
            .expect("PEM certificates");
    let key = PrivateKeyDer::from_pem_file(tls_fixture("server.key")).expect("its key");
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("the certificate and its key");
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

/// `BASE/id/ORG/USER`: the identity URL of the emulated user.
pub fn identity_url(base: &str) -> String {
    format!("{base}/id/{ORG_ID}/{USER_ID}")
}

/// The host name of a request that came through the TLS front: its `Host` header without the
/// port, when it is not a loopback address (requests sent straight to wiremock name
/// `127.0.0.1:PORT`).
pub(super) fn tls_host(req: &Received) -> Option<String> {
    let host = req.host.as_deref()?;
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    };
    let loopback = name == "localhost"
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| name.to_ascii_lowercase())
}

impl Endpoint {
    /// The `aud` the token endpoint wants: `https://HOST` over TLS, else its own origin.
    pub(super) fn audience(&self, req: &Received) -> String {
        match tls_host(req) {
            Some(host) => format!("https://{host}"),
            None => self.state.origin.clone(),
        }
    }

    /// The `instance_url` of an answer: the one set, or the My Domain over TLS, else its own
    /// origin.
    pub(super) fn instance_url(&self, req: &Received, config: &Config) -> String {
        match (&config.instance_url, tls_host(req)) {
            (Some(url), _) => url.clone(),
            (None, Some(_)) => MY_DOMAIN.to_string(),
            (None, None) => self.state.origin.clone(),
        }
    }
}
