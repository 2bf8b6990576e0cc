use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;

use super::*;

fn response(status: u16, content_type: Option<&str>, body: &str) -> Response {
    Response {
        status,
        content_type: content_type.map(str::to_string),
        location: None,
        date: None,
        body: body.as_bytes().to_vec(),
        truncated: false,
        elapsed: Duration::ZERO,
    }
}

const JSON: Option<&str> = Some("application/json;charset=UTF-8");

// --- parsing ---------------------------------------------------------------------------------

#[test]
fn identity_urls_give_the_org_and_user_ids() {
    assert_eq!(
        identity_ids("https://login.salesforce.com/id/00D5g000004XyZ1EAK/0055g00000ABcDeAAF"),
        Some(("00D5g000004XyZ1EAK".into(), "0055g00000ABcDeAAF".into()))
    );
    // 15-character ids, a My Domain host, a trailing slash.
    assert_eq!(
        identity_ids("https://acme.my.salesforce.com/id/00D5g000004XyZ1/0055g00000ABcDe/"),
        Some(("00D5g000004XyZ1".into(), "0055g00000ABcDe".into()))
    );
    for bad in [
        "",
        "not a url",
        "https://login.salesforce.com/id/00D5g000004XyZ1EAK",
        "https://login.salesforce.com/id/00D5g000004XyZ1EAK/short",
        "https://login.salesforce.com/other/00D5g000004XyZ1EAK/0055g00000ABcDeAAF",
        "https://login.salesforce.com/id/00D5g000004XyZ1E!K/0055g00000ABcDeAAF",
    ] {
        assert_eq!(identity_ids(bad), None, "{bad}");
    }
}

#[test]
fn a_token_answer_is_read_field_by_field() {
    let r = response(
        200,
        JSON,
        r#"{"access_token":"00D5g000004XyZ1!AQ4AQabc","scope":"api refresh_token","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004XyZ1EAK/0055g00000ABcDeAAF","token_type":"Bearer"}"#,
    );
    let TokenAnswer::Issued(i) = parse_token_response(&r) else {
        panic!("not issued");
    };
    assert_eq!(i.access_token.expose(), "00D5g000004XyZ1!AQ4AQabc");
    assert_eq!(i.access_token.kind(), "opaque");
    assert_eq!(i.org_id.as_deref(), Some("00D5g000004XyZ1EAK"));
    assert_eq!(i.user_id.as_deref(), Some("0055g00000ABcDeAAF"));
    assert_eq!(
        i.instance_url.as_deref(),
        Some("https://acme.my.salesforce.com")
    );
    assert_eq!(i.scope.as_deref(), Some("api refresh_token"));
    assert_eq!(i.token_type.as_deref(), Some("Bearer"));
    assert!(i.unexpected.is_empty());
    // Debug never shows the token.
    assert!(!format!("{i:?}").contains("AQ4AQabc"));
}

#[test]
fn a_refresh_token_in_the_answer_is_noted_and_jwt_access_tokens_are_recognised() {
    let r = response(
        200,
        JSON,
        r#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln","refresh_token":"5Aep861","token_type":"Bearer"}"#,
    );
    let TokenAnswer::Issued(i) = parse_token_response(&r) else {
        panic!("not issued");
    };
    assert_eq!(i.access_token.kind(), "jwt");
    assert_eq!(i.unexpected, ["refresh_token"]);
    assert_eq!(i.org_id, None);
}

#[test]
fn error_bodies_are_read_as_salesforce_sends_them() {
    let r = response(
        400,
        JSON,
        r#"{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}"#,
    );
    assert_eq!(
        parse_token_response(&r),
        TokenAnswer::OAuthError {
            error: Some("invalid_grant".into()),
            description: Some("user hasn't approved this consumer".into()),
        }
    );
    // An access token in an error status is not a success.
    let r = response(400, JSON, r#"{"access_token":"x","error":"invalid_grant"}"#);
    assert!(matches!(
        parse_token_response(&r),
        TokenAnswer::OAuthError { .. }
    ));
    // And the catalog knows the body.
    let m = crate::salesforce::errors::match_response(
        r.status,
        JSON,
        br#"{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}"#,
    );
    assert_eq!(m[0].steps(), [4, 6]);
}

#[test]
fn answers_that_are_not_token_json_say_why() {
    let cases: [(Response, TokenAnswer); 7] = [
        (
            response(200, JSON, r#"{"access_token":"00D!AQ","instance_ur"#),
            TokenAnswer::NotJson {
                reason: NotJson::InvalidJson,
            },
        ),
        (
            response(200, Some("text/html"), "<html><title>Login</title></html>"),
            TokenAnswer::NotJson {
                reason: NotJson::Html,
            },
        ),
        (
            response(200, JSON, "  \n"),
            TokenAnswer::NotJson {
                reason: NotJson::Empty,
            },
        ),
        (
            response(200, JSON, "[1,2]"),
            TokenAnswer::NotJson {
                reason: NotJson::NotAnObject,
            },
        ),
        (
            response(200, Some("text/plain"), "hello"),
            TokenAnswer::NotJson {
                reason: NotJson::Other,
            },
        ),
        (
            response(200, JSON, r#"{"instance_url":"https://x","id":"y"}"#),
            TokenAnswer::NoToken {
                fields: vec!["id".into(), "instance_url".into()],
            },
        ),
        (
            Response {
                location: Some("https://acme.lightning.force.com/".into()),
                ..response(302, None, "")
            },
            TokenAnswer::Redirect {
                location: Some("https://acme.lightning.force.com/".into()),
            },
        ),
    ];
    for (r, want) in cases {
        assert_eq!(parse_token_response(&r), want, "{r:?}");
    }
}

#[test]
fn introspection_answers() {
    let active = response(
        200,
        JSON,
        r#"{"active":true,"username":"u@acme.com","exp":1}"#,
    );
    assert!(
        matches!(parse_introspection(&active), IntrospectAnswer::Active(m) if m["username"] == "u@acme.com")
    );
    assert_eq!(
        parse_introspection(&response(200, JSON, r#"{"active":false}"#)),
        IntrospectAnswer::Inactive
    );
    assert_eq!(
        parse_introspection(&response(
            401,
            JSON,
            r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#
        )),
        IntrospectAnswer::OAuthError {
            error: Some("invalid_client".into()),
            description: Some("invalid client credentials".into())
        }
    );
    assert_eq!(
        parse_introspection(&response(500, Some("text/html"), "<html>")),
        IntrospectAnswer::Unexpected
    );
    assert_eq!(
        parse_introspection(&response(500, JSON, r#"{"active":true}"#)),
        IntrospectAnswer::Unexpected
    );
}

// --- reading -----------------------------------------------------------------------------------

#[test]
fn bodies_are_read_up_to_the_cap_and_no_further() {
    let far = Instant::now() + Duration::from_secs(60);
    let (body, truncated) = read_capped(&mut std::io::repeat(b'x'), far, 1000).unwrap();
    assert_eq!((body.len(), truncated), (1000, true));
    let (body, truncated) = read_capped(&mut &b"short"[..], far, 1000).unwrap();
    assert_eq!((body, truncated), (b"short".to_vec(), false));
    // Exactly the cap is not "more than the cap".
    let exact = vec![b'y'; 1000];
    let (body, truncated) = read_capped(&mut exact.as_slice(), far, 1000).unwrap();
    assert_eq!((body.len(), truncated), (1000, false));
    let (body, truncated) =
        read_capped(&mut std::io::repeat(b'z'), far, MAX_RESPONSE_BYTES).unwrap();
    assert_eq!((body.len(), truncated), (MAX_RESPONSE_BYTES, true));
}

#[test]
fn a_read_past_the_deadline_stops() {
    let past = Instant::now() - Duration::from_millis(1);
    let err = read_capped(&mut std::io::repeat(b'x'), past, 1000).unwrap_err();
    assert!(err.error.is_none());
}

#[test]
fn no_client_is_built_until_asked_for() {
    let http = Http::default();
    assert!(!http.built());
    assert_eq!(http.timeout, Duration::from_secs(DEFAULT_TIMEOUT_SECS));
    assert!(!format!("{http:?}").is_empty());
}

// --- one bundle's time for --live --------------------------------------------------------------

#[test]
fn a_budget_is_twice_the_timeout_and_bounds_each_request_by_both() {
    let budget = Budget::start(Duration::from_secs(2));
    assert_eq!(budget.total(), Duration::from_secs(4));
    assert!(budget.left() <= Duration::from_secs(4));
    // Fresh: the next request gets the whole --timeout; a shared one half of what is left.
    assert_eq!(budget.next_request(), Some(Duration::from_secs(2)));
    let shared = budget.next_request_sharing().unwrap();
    assert!(shared <= Duration::from_secs(2) && shared > Duration::from_millis(1900));
    assert_eq!(budget.describe(Duration::from_secs(2)), "2 s (--timeout)");
    assert_eq!(
        budget.describe(Duration::from_millis(1500)),
        "1.5 s, what was left of this bundle's 4 s for --live (2 × --timeout)"
    );
}

#[test]
fn a_spent_budget_starts_no_request_and_waits_for_no_retry() {
    let spent = Budget::start(Duration::ZERO);
    assert_eq!(spent.left(), Duration::ZERO);
    assert_eq!(spent.next_request(), None);
    assert_eq!(spent.next_request_sharing(), None);
    // A pause longer than what is left is not taken: the call returns at once.
    let budget = Budget::start(Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(budget.pause_then_request(Duration::from_secs(30)), None);
    assert!(started.elapsed() < Duration::from_secs(1));
    // A zero pause with time left is the retry's bound at once.
    let bound = budget.pause_then_request(Duration::ZERO).unwrap();
    assert!(bound <= Duration::from_millis(300), "{bound:?}");
    assert_eq!(Http::default().retry_pause, DEFAULT_RETRY_PAUSE);
}

#[test]
fn a_body_that_trickles_ends_at_the_requests_timeout() {
    // A byte every 20 ms, forever: each read returns at once, so only a deadline on the whole
    // body can end it.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut b = [0u8; 4096];
        let _ = s.read(&mut b);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{");
        while s.write_all(b" ").is_ok() {
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let http = Http::new(Duration::from_secs(5));
    let started = Instant::now();
    let err = post_form(
        http.client(true).unwrap(),
        &format!("http://127.0.0.1:{port}/services/oauth2/token"),
        &[],
        Duration::from_millis(700),
    )
    .unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.fault, Fault::Timeout, "{err:?}");
    assert_eq!(err.status, Some(200));
    assert!(err.partial_bytes > 2, "{err:?}");
    // 0.7 s asked for; generous slack for a loaded machine, far below the client's 5 s.
    assert!(took < Duration::from_millis(2500), "{took:?}");
    t.join().unwrap();
}

// --- transport faults, on loopback only ------------------------------------------------------------

/// A server on 127.0.0.1 that answers one connection with `reply` (after reading the request).
fn one_shot(reply: &'static [u8]) -> (u16, std::thread::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut b = [0u8; 4096];
        let _ = s.read(&mut b);
        let _ = s.write_all(reply);
        std::thread::sleep(Duration::from_millis(100));
    });
    (port, t)
}

#[test]
fn tls_to_a_plain_http_port_is_a_tls_fault() {
    let (port, t) = one_shot(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    let http = Http::new(Duration::from_secs(3));
    let err = post_form(
        http.client(true).unwrap(),
        &format!("https://127.0.0.1:{port}/services/oauth2/token"),
        &[("a", "b")],
        http.timeout,
    )
    .unwrap_err();
    assert_eq!(err.fault, Fault::Tls, "{err:?}");
    assert!(!err.detail.contains("127.0.0.1"), "{}", err.detail);
    t.join().unwrap();
}

#[test]
fn a_closed_port_is_refused_and_the_url_is_not_in_the_detail() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let http = Http::new(Duration::from_secs(3));
    let err = post_form(
        http.client(true).unwrap(),
        &format!("http://127.0.0.1:{port}/services/oauth2/token?secret=CANARY"),
        &[],
        http.timeout,
    )
    .unwrap_err();
    assert_eq!(err.fault, Fault::Refused, "{err:?}");
    assert!(
        !err.detail.contains("CANARY") && !err.detail.contains("oauth2"),
        "{}",
        err.detail
    );
}

#[test]
fn a_body_cut_short_by_the_server_is_incomplete() {
    let (port, t) = one_shot(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n{\"access",
    );
    let http = Http::new(Duration::from_secs(3));
    let err = post_form(
        http.client(true).unwrap(),
        &format!("http://127.0.0.1:{port}/services/oauth2/token"),
        &[],
        http.timeout,
    )
    .unwrap_err();
    t.join().unwrap();
    assert_eq!(err.fault, Fault::Incomplete, "{err:?}");
    assert_eq!(err.status, Some(200));
}

#[test]
fn redirects_are_answers_not_followed() {
    let (port, t) = one_shot(
        b"HTTP/1.1 302 Found\r\nLocation: https://acme.lightning.force.com/\r\nContent-Length: 0\r\n\r\n",
    );
    let http = Http::new(Duration::from_secs(3));
    let r = post_form(
        http.client(true).unwrap(),
        &format!("http://127.0.0.1:{port}/services/oauth2/token"),
        &[],
        http.timeout,
    )
    .unwrap();
    t.join().unwrap();
    assert_eq!(r.status, 302);
    assert_eq!(
        r.location.as_deref(),
        Some("https://acme.lightning.force.com/")
    );
}

/// A resolver that fails every lookup, as a host that does not exist does; no DNS traffic.
struct NoSuchHost;

impl reqwest::dns::Resolve for NoSuchHost {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async {
            Err(Box::new(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "failed to lookup address information: Name or service not known",
            )) as Box<dyn std::error::Error + Send + Sync>)
        })
    }
}

#[test]
fn a_host_that_does_not_resolve_is_a_dns_fault() {
    let client = builder(Duration::from_secs(3), false)
        .no_proxy()
        .dns_resolver(Arc::new(NoSuchHost))
        .build()
        .unwrap();
    let err = post_form(
        &client,
        "https://no-such-org.my.salesforce.com/services/oauth2/token",
        &[],
        Duration::from_secs(3),
    )
    .unwrap_err();
    assert_eq!(err.fault, Fault::Dns, "{err:?}");
    assert!(
        err.detail.contains("Name or service not known"),
        "{}",
        err.detail
    );
}

#[test]
fn the_https_client_refuses_plain_http() {
    let http = Http::new(Duration::from_secs(1));
    let err = post_form(
        http.client(false).unwrap(),
        "http://127.0.0.1:9/services/oauth2/token",
        &[],
        http.timeout,
    )
    .unwrap_err();
    assert_ne!(
        err.fault,
        Fault::Refused,
        "https_only did not stop it: {err:?}"
    );
}

/// The fault names are derived from the variant names (two renamed): pinned here.
#[test]
fn fault_names() {
    let names = [
        Fault::Dns,
        Fault::Refused,
        Fault::Tls,
        Fault::Timeout,
        Fault::Incomplete,
        Fault::Connect,
        Fault::Other,
    ]
    .map(Fault::as_str);
    assert_eq!(
        names,
        [
            "dns",
            "connection-refused",
            "tls",
            "timeout",
            "incomplete-response",
            "connect",
            "other"
        ]
    );
}
