//! `SFJWT_TEST_RESOLVE`: a test hook of **debug builds only** (this module is compiled under
//! `cfg(debug_assertions)`; a release build has no trace of it). It points Salesforce host names
//! at a loopback address, so that the tests can run `--live` over real HTTPS against the
//! emulator's TLS front:
//!
//! ```text
//! SFJWT_TEST_RESOLVE="login.salesforce.com=127.0.0.1:PORT,acme.my.salesforce.com=127.0.0.1:PORT"
//! ```
//!
//! Only loopback addresses (127.0.0.0/8, `::1`) are accepted: anything else stops the run
//! (exit 2), so the hook can never send an assertion to another machine. It changes where the
//! HTTPS client connects, nothing else: TLS is verified as always (the tests trust the
//! emulator's CA with `--ca-file`), and the client that uses it goes through no proxy.

use std::net::{IpAddr, SocketAddr};

/// The variable.
pub const TEST_RESOLVE: &str = "SFJWT_TEST_RESOLVE";

/// Parses `HOST=ADDR[,HOST=ADDR...]`, where ADDR is `IP:PORT`, `[IPv6]:PORT` or a bare IP (the
/// URL's port then, 443 for HTTPS). An error says what is wrong with which entry.
pub fn parse(value: &str) -> Result<Vec<(String, SocketAddr)>, String> {
    let mut out = Vec::new();
    for entry in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let shown = crate::text::one_line_limited(entry, 120);
        let Some((host, addr)) = entry.split_once('=') else {
            return Err(format!(
                "${TEST_RESOLVE}: `{shown}` is not HOST=ADDRESS (for example login.salesforce.com=127.0.0.1:8443)"
            ));
        };
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty()
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(format!(
                "${TEST_RESOLVE}: `{shown}` does not start with a host name"
            ));
        }
        let addr = addr.trim();
        let socket = addr
            .parse::<SocketAddr>()
            .or_else(|_| addr.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 0)))
            .map_err(|_| {
                format!("${TEST_RESOLVE}: `{shown}`: the address is not IP:PORT or an IP address")
            })?;
        if !socket.ip().is_loopback() {
            return Err(format!(
                "${TEST_RESOLVE}: `{shown}`: {} is not a loopback address; this test hook points host names only at 127.0.0.0/8 or ::1",
                socket.ip()
            ));
        }
        out.push((host, socket));
    }
    Ok(out)
}

/// The client with these overrides, and no proxy (a proxy would connect to the real host).
pub fn apply(
    b: reqwest::blocking::ClientBuilder,
    overrides: &[(String, SocketAddr)],
) -> reqwest::blocking::ClientBuilder {
    if overrides.is_empty() {
        return b;
    }
    overrides
        .iter()
        .fold(b.no_proxy(), |b, (host, addr)| b.resolve(host, *addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_overrides_are_read() {
        let got = parse(
            " login.salesforce.com=127.0.0.1:8443, ACME.my.salesforce.com.=127.1.2.3 ,x.test=[::1]:9,",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                (
                    "login.salesforce.com".to_string(),
                    "127.0.0.1:8443".parse().unwrap()
                ),
                (
                    "acme.my.salesforce.com".to_string(),
                    "127.1.2.3:0".parse().unwrap()
                ),
                ("x.test".to_string(), "[::1]:9".parse().unwrap()),
            ]
        );
        assert_eq!(parse("").unwrap(), []);
    }

    #[test]
    fn anything_but_loopback_is_refused() {
        for (value, why) in [
            (
                "login.salesforce.com=10.0.0.1:443",
                "10.0.0.1 is not a loopback address",
            ),
            (
                "login.salesforce.com=136.146.1.1",
                "is not a loopback address",
            ),
            (
                "login.salesforce.com=[::ffff:127.0.0.1]:443",
                "is not a loopback address",
            ),
            (
                "login.salesforce.com=[2001:db8::1]:443",
                "is not a loopback address",
            ),
            ("login.salesforce.com=localhost:443", "is not IP:PORT"),
            ("login.salesforce.com", "is not HOST=ADDRESS"),
            ("=127.0.0.1:1", "does not start with a host name"),
            ("a b=127.0.0.1:1", "does not start with a host name"),
        ] {
            let err = parse(value).unwrap_err();
            assert!(err.contains(why), "{value}: {err}");
            assert!(err.starts_with("$SFJWT_TEST_RESOLVE: "), "{err}");
        }
    }
}
