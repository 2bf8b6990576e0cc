use super::*;
use crate::bundle::{Origin, Secret, Setting};
use crate::finding::Status;
use time::OffsetDateTime;

fn ctx(live: bool) -> Context {
    let mut c = Context::new(OffsetDateTime::now_utc());
    c.live = live;
    c
}

fn bundle(login_url: Option<&str>) -> Bundle {
    let mut b = Bundle::empty("t");
    b.login_url = login_url.map(|u| Setting::new(u, Origin::Flag("--login-url")));
    b
}

#[test]
fn no_login_url_or_a_rejected_one_sends_nothing() {
    for (url, phrase) in [
        (None, "no login URL"),
        (Some("http://login.salesforce.com"), "was not accepted"),
        (Some("https://acme.lightning.force.com"), "was not accepted"),
        (
            Some("https://login.salesforce.com.evil.example"),
            "was not accepted",
        ),
    ] {
        let c = ctx(true);
        let out = TOKEN_EXCHANGE.outcome(&bundle(url), &c, &mut Scratch::default());
        assert_eq!(out.status, Status::Skip, "{url:?}: {}", out.message);
        assert!(
            out.message.starts_with("no request was sent"),
            "{}",
            out.message
        );
        assert!(out.message.contains(phrase), "{}", out.message);
        assert!(!c.http.built(), "{url:?} built an HTTP client");
    }
}

#[test]
fn without_an_assertion_nothing_is_sent() {
    // An accepted URL, but no key: the skip names the missing input, and no client is built.
    let c = ctx(true);
    let out = TOKEN_EXCHANGE.outcome(
        &bundle(Some("https://login.salesforce.com")),
        &c,
        &mut Scratch::default(),
    );
    assert_eq!(out.status, Status::Skip);
    assert!(
        out.message.contains("no request was sent"),
        "{}",
        out.message
    );
    assert!(!c.http.built());
}

#[test]
fn offline_runs_leave_the_live_checks_out_and_build_no_client() {
    let c = ctx(false);
    let findings = crate::checks::run_all(
        &bundle(Some("https://login.salesforce.com")),
        &c,
        &mut Scratch::default(),
    );
    assert!(findings.iter().all(|f| !f.id.starts_with("token.")));
    assert!(!c.http.built());
}

#[test]
fn introspection_skips_without_a_secret_or_a_token() {
    let c = ctx(true);
    let mut b = bundle(Some("https://login.salesforce.com"));
    let out = TOKEN_INTROSPECTION.outcome(&b, &c, &mut Scratch::default());
    assert_eq!(out.status, Status::Skip);
    assert!(
        out.message.contains("no consumer secret"),
        "{}",
        out.message
    );
    b.consumer_secret = Some(Secret::new(
        "A".repeat(64),
        Origin::Env("SFJWT_CONSUMER_SECRET".into()),
    ));
    let out = TOKEN_INTROSPECTION.outcome(&b, &c, &mut Scratch::default());
    assert_eq!(out.status, Status::Skip);
    assert!(out.message.contains("got no token"), "{}", out.message);
    assert!(!c.http.built());
}

#[test]
fn scrubbing_reaches_the_message_the_fix_and_nested_evidence() {
    let mut b = bundle(None);
    let secret = "C0FFEE".repeat(11);
    b.consumer_secret = Some(Secret::new(secret.clone(), Origin::Env("X".into())));
    let assertion = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
    let s = Secrets::new(&b, assertion, None);
    let out = Outcome::fail(format!("saw {assertion}"), format!("fix {secret}"))
        .with("details", Value::from(vec![format!("line {secret}")]))
        .with("nested", serde_json::json!({"a": [assertion]}));
    let out = s.scrub(out);
    let all = format!("{} {:?} {:?}", out.message, out.fix, out.evidence);
    assert!(!all.contains(assertion) && !all.contains(&secret), "{all}");
    assert!(all.contains("[redacted: consumer secret]"), "{all}");
}

#[test]
fn answers_are_scrubbed_before_they_are_cut() {
    let mut b = bundle(None);
    let secret = "C0FFEE".repeat(11);
    b.consumer_secret = Some(Secret::new(secret.clone(), Origin::Env("X".into())));
    let assertion = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl";
    let s = Secrets::new(&b, assertion, None);
    // An endpoint that echoes its input: the secret and the assertion's signature straddle
    // the cut. Cut first and scrubbed after, their first characters would show.
    for echoed in [secret.as_str(), assertion] {
        let text = format!("{}{echoed}", "x".repeat(190));
        let shown = s.cut(&text, 200);
        assert!(!shown.contains(&echoed[..8]), "{shown}");
        let body = format!("{{\"error\":\"invalid_grant\",\"error_description\":\"{text}\"}}");
        let resp = Response {
            status: 400,
            content_type: Some(format!("application/json; x={echoed}")),
            location: None,
            date: None,
            body: body.into_bytes(),
            truncated: false,
            elapsed: Duration::from_millis(1),
        };
        let copy = s.response(&resp);
        let all = format!("{copy:?} {}", String::from_utf8_lossy(&copy.body));
        assert!(!all.contains(&echoed[4..20]), "{all}");
    }
}

#[test]
fn html_titles_are_read_and_cut() {
    assert_eq!(
        html_title(b"<html><head><TITLE>\n  URL No Longer\n Exists </TITLE>"),
        Some("URL No Longer Exists".into())
    );
    assert_eq!(html_title(b"<html><title></title>"), None);
    assert_eq!(html_title(b"no html"), None);
    assert_eq!(html_title(b"<title>unclosed"), None);
    let long = format!("<title>{}</title>", "x".repeat(500));
    assert!(html_title(long.as_bytes()).unwrap().chars().count() < 140);
}

#[test]
fn transient_answers_are_5xx_and_unknown_error_only() {
    let r = |status: u16, body: &str| -> Result<Response, Failure> {
        Ok(Response {
            status,
            content_type: Some("application/json".into()),
            location: None,
            date: None,
            body: body.as_bytes().to_vec(),
            truncated: false,
            elapsed: Duration::ZERO,
        })
    };
    assert_eq!(transient(&r(503, "")).as_deref(), Some("HTTP 503"));
    assert_eq!(
        transient(&r(
            400,
            r#"{"error":"unknown_error","error_description":"retry your request"}"#
        ))
        .as_deref(),
        Some("HTTP 400 unknown_error")
    );
    assert_eq!(transient(&r(400, r#"{"error":"invalid_grant"}"#)), None);
    assert_eq!(transient(&r(200, r#"{"access_token":"x"}"#)), None);
    let timeout: Result<Response, Failure> = Err(Failure {
        fault: Fault::Timeout,
        detail: String::new(),
        status: None,
        partial_bytes: 0,
        elapsed: Duration::ZERO,
    });
    assert_eq!(transient(&timeout), None, "a timeout is never retried");
}

/// A bundle whose exchange got a token at a loopback URL where nothing listens, with this
/// budget, and the exchange's finding.
fn issued(budget: Budget) -> (Bundle, Scratch, Vec<Finding>) {
    let b = bundle(Some("http://127.0.0.1:9"));
    let scratch = Scratch {
        live: Some(Session {
            access_token: token::AccessToken::new("00D5g000004XyZ1!AQ4AQnot-a-real-token"),
            base_url: "http://127.0.0.1:9".into(),
            loopback: true,
            assertion: "eyJ.eyJ.sig-not-a-real-assertion".into(),
            budget,
            instance_url: Some("http://127.0.0.1:9".into()),
            org_id: None,
            user_id: None,
            scope: None,
        }),
        ..Scratch::default()
    };
    let finding = Finding {
        id: TOKEN_EXCHANGE.id,
        status: Status::Pass,
        steps: vec![2],
        title: TOKEN_EXCHANGE.title,
        message: "the token endpoint issued an access token.".into(),
        fix: None,
        evidence: Default::default(),
    };
    (b, scratch, vec![finding])
}

#[test]
fn with_no_time_left_revocation_is_not_sent_and_the_finding_says_how_to_end_the_session() {
    let (b, scratch, mut findings) = issued(Budget::start(Duration::ZERO));
    let c = ctx(true);
    finish(&b, &c, &scratch, &mut findings);
    assert!(!c.http.built(), "no request was sent");
    let f = &findings[0];
    assert!(
        f.message.contains("sfjwt did not revoke it")
            && f.message
                .contains("not sent: no time was left of this bundle's 0 s for --live")
            && f.message.contains("Setup > Session Management")
            && f.message.contains("OAuth Connected Apps > Revoke"),
        "{}",
        f.message
    );
    let evidence = f.evidence.to_map();
    assert_eq!(evidence["revoked"], false);
    assert!(
        evidence["revoke_error"]
            .as_str()
            .unwrap()
            .starts_with("not sent")
    );
}

#[test]
fn with_no_time_left_introspection_is_not_sent_and_says_why() {
    let (mut b, mut scratch, _) = issued(Budget::start(Duration::ZERO));
    b.consumer_secret = Some(Secret::new(
        "A".repeat(64),
        Origin::Env("SFJWT_CONSUMER_SECRET".into()),
    ));
    b.consumer_key = Some(Setting::new(
        "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D",
        Origin::Flag("--consumer-key"),
    ));
    let c = ctx(true);
    let out = TOKEN_INTROSPECTION.outcome(&b, &c, &mut scratch);
    assert_eq!(out.status, Status::Warn, "{}", out.message);
    assert!(
        out.message.contains("was not sent: too little was left"),
        "{}",
        out.message
    );
    assert_eq!(out.evidence["problem"], "no-time-left");
}
