//! Every rule, passing and not passing.

use super::*;
use crate::jwt::decode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use time::macros::datetime;

const KEY: &str =
    "3MVG9u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8.KLzdocJ2isAjIhKtJ0RlgLKOmxgJT_KdNnFRIBXuDL7D";
const USER: &str = "integration@acme.com";
const LOGIN: &str = "https://login.salesforce.com";
/// 2026-11-29T13:00:00Z
const NOW: i64 = 1_795_957_200;

fn at() -> OffsetDateTime {
    datetime!(2026-11-29 13:00 UTC)
}

fn good_claims() -> Value {
    json!({"iss": KEY, "sub": USER, "aud": LOGIN, "exp": NOW + 180})
}

fn token(header: &Value, claims: &Value) -> Decoded {
    let t = format!(
        "{}.{}.AAAA",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    decode(&t).unwrap()
}

fn expect_all() -> Expectations<'static> {
    Expectations {
        consumer_key: Some(KEY),
        username: Some(USER),
        login_url: Some(LOGIN),
        ..Default::default()
    }
}

fn run_with(header: Value, claims: Value, expect: Expectations<'_>) -> Vec<RuleResult> {
    lint(&token(&header, &claims), &expect, at())
}

fn run(claims: Value) -> Vec<RuleResult> {
    run_with(json!({"alg": "RS256"}), claims, expect_all())
}

fn get<'a>(results: &'a [RuleResult], id: &str) -> &'a RuleResult {
    results
        .iter()
        .find(|r| r.id.as_str() == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// The status of one rule, with the claims changed by `edit`.
fn status_with(id: &str, edit: impl FnOnce(&mut Map<String, Value>)) -> (Status, String) {
    let mut c = good_claims();
    edit(c.as_object_mut().unwrap());
    let results = run(c);
    let r = get(&results, id);
    (r.status, r.message.clone())
}

fn assert_status(id: &str, want: Status, edit: impl FnOnce(&mut Map<String, Value>), phrase: &str) {
    let (got, message) = status_with(id, edit);
    assert_eq!(got, want, "{id}: {message}");
    assert!(
        message.to_lowercase().contains(&phrase.to_lowercase()),
        "{id}: {message:?} lacks {phrase:?}"
    );
}

#[test]
fn a_good_assertion_passes_every_rule_it_can() {
    let results = run(good_claims());
    assert_eq!(
        results.iter().map(|r| r.id).collect::<Vec<_>>(),
        RULES.iter().map(|r| r.id).collect::<Vec<_>>(),
        "lint reports every rule, in RULES order"
    );
    for r in &results {
        match r.id {
            RuleId::Iat | RuleId::Nbf => assert_eq!(r.status, Status::Skip, "{r:?}"),
            _ => assert_eq!(r.status, Status::Pass, "{r:?}"),
        }
        assert!(!r.message.contains('\n'), "{r:?}");
        assert_eq!(
            r.fix.is_some(),
            matches!(r.status, Status::Warn | Status::Fail)
        );
    }
}

#[test]
fn rule_ids_are_unique_and_have_steps() {
    let mut seen = std::collections::HashSet::new();
    for r in RULES {
        assert!(seen.insert(r.id), "{}", r.id);
        assert!(!r.steps.is_empty() && r.steps.iter().all(|s| (1..=7).contains(s)));
        assert!(r.passes_when.len() > 10);
    }
    assert_eq!(rule(RuleId::AudMatches).steps, &[5, 7]);
    use strum::IntoEnumIterator;
    assert_eq!(
        RuleId::iter().collect::<Vec<_>>(),
        RULES.iter().map(|r| r.id).collect::<Vec<_>>(),
        "RULES lists every RuleId once, in declaration order"
    );
    let names: Vec<&str> = RuleId::iter().map(RuleId::as_str).collect();
    assert_eq!(
        names.join(" "),
        "encoding duplicates alg typ header.unexpected iss.present iss.format iss.matches \
         sub.present sub.format sub.matches aud.present aud.format aud.salesforce aud.matches \
         exp.present exp.unit exp.expired exp.window iat nbf claims.unexpected"
    );
}

#[test]
fn without_expectations_the_comparisons_skip_and_say_which_flag() {
    let results = run_with(
        json!({"alg": "RS256"}),
        good_claims(),
        Expectations::default(),
    );
    for (id, flag) in [
        ("iss.matches", "--consumer-key"),
        ("sub.matches", "--username"),
        ("aud.matches", "--login-url"),
    ] {
        let r = get(&results, id);
        assert_eq!(r.status, Status::Skip);
        assert!(r.message.contains(flag), "{}", r.message);
    }
}

#[test]
fn encoding_rule() {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let claims = good_claims().to_string();
    let header = r#"{"alg":"RS256"}"#;
    let lint_text = |t: String| lint(&decode(&t).unwrap(), &expect_all(), at());
    assert_eq!(
        get(
            &lint_text(format!(
                "{}.{}.AAAA",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(&claims)
            )),
            "encoding"
        )
        .status,
        Status::Pass
    );
    let explicit = format!(
        "{}.{}==.AAAA",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(&claims)
    );
    assert_eq!(get(&lint_text(explicit), "encoding").status, Status::Warn);
    // Standard alphabet: a claim whose encoding has + or /.
    let odd =
        json!({"iss": KEY, "sub": "a>>>?@acme.com", "aud": LOGIN, "exp": NOW + 180}).to_string();
    let std = STANDARD_NO_PAD.encode(&odd);
    assert!(std.contains('+') || std.contains('/'), "{std}");
    let r = lint_text(format!(
        "{}.{std}.AAAA",
        STANDARD.encode(header).trim_end_matches('=')
    ));
    assert_eq!(get(&r, "encoding").status, Status::Fail);
    assert!(get(&r, "encoding").message.contains("base64url"));
}

#[test]
fn duplicates_rule() {
    let t = format!(
        "{}.{}.AAAA",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(format!(
            r#"{{"iss":"{KEY}","sub":"{USER}","aud":"{LOGIN}","exp":1,"exp":{}}}"#,
            NOW + 180
        ))
    );
    let results = lint(&decode(&t).unwrap(), &expect_all(), at());
    let r = get(&results, "duplicates");
    assert_eq!(r.status, Status::Warn);
    assert!(r.message.contains("claims.exp"));
    // The last value is the one judged.
    assert_eq!(get(&results, "exp.expired").status, Status::Pass);
}

#[test]
fn alg_rule() {
    let with = |h: Value| {
        let results = run_with(h, good_claims(), expect_all());
        let r = get(&results, "alg").clone();
        (r.status, r.judgement.message)
    };
    assert_eq!(with(json!({"alg": "RS256"})).0, Status::Pass);
    for (h, phrase) in [
        (json!({"alg": "none"}), "unsigned"),
        (json!({"alg": "HS256"}), "HMAC"),
        (json!({"alg": "HS512"}), "consumer secret"),
        (json!({"alg": "rs256"}), "case-sensitive"),
        (json!({"alg": "RS512"}), "only RS256"),
        (json!({"alg": "PS256"}), "only RS256"),
        (json!({"alg": "ES256"}), "elliptic"),
        (json!({"alg": 256}), "not a string"),
        (json!({}), "no alg"),
    ] {
        let (status, message) = with(h.clone());
        assert_eq!(status, Status::Fail, "{h}");
        assert!(message.contains(phrase), "{h}: {message}");
    }
}

#[test]
fn typ_and_header_rules() {
    let results = run_with(
        json!({"alg": "RS256", "typ": "JWT"}),
        good_claims(),
        expect_all(),
    );
    assert_eq!(get(&results, "typ").status, Status::Pass);
    assert_eq!(get(&results, "header.unexpected").status, Status::Pass);
    let results = run_with(
        json!({"alg": "RS256", "typ": "at+jwt"}),
        good_claims(),
        expect_all(),
    );
    assert_eq!(get(&results, "typ").status, Status::Info);
    let results = run_with(
        json!({"alg": "RS256", "kid": "1", "x5t": "abc"}),
        good_claims(),
        expect_all(),
    );
    let r = get(&results, "header.unexpected");
    assert_eq!(r.status, Status::Info);
    assert!(r.message.contains("kid, x5t"), "{}", r.message);
    let results = run_with(
        json!({"alg": "RS256", "crit": ["exp"]}),
        good_claims(),
        expect_all(),
    );
    assert_eq!(get(&results, "header.unexpected").status, Status::Warn);
}

#[test]
fn iss_rules() {
    assert_status(
        "iss.present",
        Status::Fail,
        |c| {
            c.remove("iss");
        },
        "no iss",
    );
    assert_status(
        "iss.present",
        Status::Fail,
        |c| {
            c.insert("iss".into(), json!(5));
        },
        "not a string",
    );
    assert_status(
        "iss.format",
        Status::Skip,
        |c| {
            c.remove("iss");
        },
        "iss.present",
    );
    assert_status("iss.format", Status::Pass, |_| {}, "3MVG9u8j…");
    assert_status(
        "iss.format",
        Status::Fail,
        |c| {
            c.insert("iss".into(), json!("my-app"));
        },
        "3MVG",
    );
    assert_status(
        "iss.format",
        Status::Fail,
        |c| {
            c.insert(
                "iss".into(),
                json!("8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8"),
            );
        },
        "secret",
    );
    assert_status(
        "iss.format",
        Status::Warn,
        |c| {
            c.insert("iss".into(), json!("3MVG9short"));
        },
        "characters",
    );
    assert_status("iss.matches", Status::Pass, |_| {}, "consumer key given");
    assert_status(
        "iss.matches",
        Status::Fail,
        |c| {
            c.insert("iss".into(), json!(format!("{}x", &KEY[..84])));
        },
        "client identifier invalid",
    );
    assert_status(
        "iss.matches",
        Status::Fail,
        |c| {
            c.insert("iss".into(), json!(format!("{KEY} ")));
        },
        "whitespace",
    );
    // A secret in iss is never shown in full.
    let (_, m) = status_with("iss.matches", |c| {
        c.insert(
            "iss".into(),
            json!("8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8"),
        );
    });
    assert!(!m.contains("8B1A9953C4"), "{m}");
}

#[test]
fn sub_rules() {
    assert_status("sub.present", Status::Pass, |_| {}, "present");
    assert_status(
        "sub.present",
        Status::Fail,
        |c| {
            c.remove("sub");
        },
        "no sub",
    );
    assert_status(
        "sub.present",
        Status::Fail,
        |c| {
            c.insert("sub".into(), json!(["a"]));
        },
        "array",
    );
    assert_status(
        "sub.present",
        Status::Info,
        |c| {
            c.remove("sub");
            c.insert("prn".into(), json!(USER));
        },
        "legacy prn",
    );
    assert_status(
        "sub.present",
        Status::Info,
        |c| {
            c.insert("prn".into(), json!(USER));
        },
        "same value",
    );
    assert_status(
        "sub.present",
        Status::Warn,
        |c| {
            c.insert("prn".into(), json!("other@acme.com"));
        },
        "Salesforce uses prn",
    );
    assert_status(
        "sub.present",
        Status::Fail,
        |c| {
            c.insert("prn".into(), json!(1));
        },
        "prn is a number",
    );
    // prn wins: it is the one formatted and compared.
    assert_status(
        "sub.matches",
        Status::Fail,
        |c| {
            c.insert("prn".into(), json!("other@acme.com"));
        },
        "prn \"other@acme.com\"",
    );
    assert_status("sub.format", Status::Pass, |_| {}, "shape");
}

#[test]
fn sub_format_and_matches_rules() {
    assert_status(
        "sub.format",
        Status::Fail,
        |c| {
            c.insert("sub".into(), json!("jane%40acme.com"));
        },
        "URL-encoded",
    );
    assert_status(
        "sub.format",
        Status::Fail,
        |c| {
            c.insert("sub".into(), json!("005000000000001AAA"));
        },
        "User Id",
    );
    assert_status("sub.matches", Status::Pass, |_| {}, "username given");
    assert_status(
        "sub.matches",
        Status::Warn,
        |c| {
            c.insert("sub".into(), json!("Integration@Acme.com"));
        },
        "case",
    );
    assert_status(
        "sub.matches",
        Status::Fail,
        |c| {
            c.insert("sub".into(), json!("integration@acme.com.uat"));
        },
        "hasn't approved",
    );
}

#[test]
fn aud_rules() {
    assert_status(
        "aud.present",
        Status::Fail,
        |c| {
            c.remove("aud");
        },
        "no aud",
    );
    assert_status(
        "aud.format",
        Status::Skip,
        |c| {
            c.remove("aud");
        },
        "aud.present",
    );
    assert_status("aud.format", Status::Pass, |_| {}, "one string");
    assert_status(
        "aud.format",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!([LOGIN]));
        },
        "array",
    );
    assert_status(
        "aud.format",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!("login.salesforce.com"));
        },
        "without a scheme",
    );
    assert_status(
        "aud.format",
        Status::Warn,
        |c| {
            c.insert("aud".into(), json!("https://login.salesforce.com/"));
        },
        "slash",
    );
    assert_status(
        "aud.format",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!(1));
        },
        "a number",
    );
    assert_status(
        "aud.format",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!("https://login.salesforce.com "));
        },
        "whitespace",
    );

    assert_status("aud.salesforce", Status::Pass, |_| {}, "generic production");
}

#[test]
fn aud_salesforce_rules() {
    assert_status(
        "aud.salesforce",
        Status::Pass,
        |c| {
            c.insert("aud".into(), json!("https://acme.my.salesforce.com"));
        },
        "Spring '26",
    );
    assert_status(
        "aud.salesforce",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!("https://evil.example"));
        },
        "aud",
    );
    assert_status(
        "aud.salesforce",
        Status::Fail,
        |c| {
            c.insert("aud".into(), json!("http://login.salesforce.com"));
        },
        "http://",
    );
    assert_status(
        "aud.salesforce",
        Status::Warn,
        |c| {
            c.insert(
                "aud".into(),
                json!("https://login.salesforce.com/services/oauth2/token"),
            );
        },
        "services/oauth2/token",
    );
    assert_status(
        "aud.salesforce",
        Status::Warn,
        |c| {
            c.insert("aud".into(), json!("https://na1.salesforce.com"));
        },
        "legacy instance",
    );
    assert_status(
        "aud.salesforce",
        Status::Info,
        |c| {
            c.insert("aud".into(), json!("http://127.0.0.1:8080"));
        },
        "tests only",
    );
    // A host without scheme is still judged as a host.
    assert_status(
        "aud.salesforce",
        Status::Pass,
        |c| {
            c.insert("aud".into(), json!("login.salesforce.com"));
        },
        "generic production",
    );
    assert_status(
        "aud.salesforce",
        Status::Skip,
        |c| {
            c.insert("aud".into(), json!([LOGIN]));
        },
        "aud.format",
    );
}

#[test]
fn aud_matches_compares_with_the_login_url() {
    let with = |aud: &str, login: &str| {
        let mut c = good_claims();
        c["aud"] = json!(aud);
        let e = Expectations {
            login_url: Some(login),
            ..expect_all()
        };
        let results = run_with(json!({"alg": "RS256"}), c, e);
        let r = get(&results, "aud.matches").clone();
        (r.status, r.judgement.message)
    };
    let (s, m) = with(LOGIN, LOGIN);
    assert_eq!(s, Status::Pass);
    assert!(m.contains("app_not_found"), "the Spring '26 note: {m}");
    assert_eq!(with(LOGIN, "login.salesforce.com").0, Status::Pass);
    assert_eq!(with("https://login.salesforce.com/", LOGIN).0, Status::Pass);
    assert_eq!(
        with(
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com"
        )
        .0,
        Status::Pass
    );
    assert_eq!(
        with(
            "https://acme.my.site.com/customers",
            "https://acme.my.site.com/customers"
        )
        .0,
        Status::Pass
    );
    // Generic aud with a My Domain endpoint: accepted, with the Spring '26 caveat.
    let (s, m) = with(LOGIN, "https://acme.my.salesforce.com");
    assert_eq!(s, Status::Info);
    assert!(m.contains("Spring '26"), "{m}");
    assert_eq!(
        with(
            "https://test.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com"
        )
        .0,
        Status::Info
    );
    // Environment mismatch: audience is invalid.
    let (s, m) = with(LOGIN, "https://test.salesforce.com");
    assert_eq!(s, Status::Fail);
    assert!(m.contains("audience is invalid"), "{m}");
    assert_eq!(
        with(
            "https://test.salesforce.com",
            "https://acme.my.salesforce.com"
        )
        .0,
        Status::Fail
    );
    // Another org's My Domain.
    assert_eq!(
        with(
            "https://other.my.salesforce.com",
            "https://acme.my.salesforce.com"
        )
        .0,
        Status::Fail
    );
    // My Domain aud posted to the generic host of the same environment.
    assert_eq!(
        with("https://acme.my.salesforce.com", LOGIN).0,
        Status::Warn
    );
    // A login URL that can't be used.
    let (s, m) = with(LOGIN, "http://login.salesforce.com");
    assert_eq!(s, Status::Warn);
    assert!(m.contains("can't be used"), "{m}");
    // An aud that is no Salesforce URL is judged by aud.salesforce only.
    assert_eq!(with("https://evil.example", LOGIN).0, Status::Skip);
}

#[test]
fn exp_present_rule() {
    assert_status("exp.present", Status::Pass, |_| {}, "exp is");
    assert_status(
        "exp.present",
        Status::Fail,
        |c| {
            c.remove("exp");
        },
        "no exp",
    );
    assert_status(
        "exp.present",
        Status::Fail,
        |c| {
            c.insert("exp".into(), json!("soon"));
        },
        "not a number",
    );
    assert_status(
        "exp.present",
        Status::Fail,
        |c| {
            c.insert("exp".into(), json!(null));
        },
        "null",
    );
    assert_status(
        "exp.present",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!((NOW + 180).to_string()));
        },
        "string",
    );
    assert_status(
        "exp.present",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!(NOW as f64 + 180.5));
        },
        "fraction",
    );
    for id in ["exp.unit", "exp.expired", "exp.window"] {
        assert_status(
            id,
            Status::Skip,
            |c| {
                c.remove("exp");
            },
            "exp.present",
        );
    }
}

#[test]
fn exp_unit_rule_flags_the_salesforce_cli_milliseconds() {
    assert_status("exp.unit", Status::Pass, |_| {}, "seconds");
    let cli = NOW * 1000 + 300;
    let (s, m) = status_with("exp.unit", |c| {
        c.insert("exp".into(), json!(cli));
    });
    assert_eq!(s, Status::Warn);
    assert!(m.contains("milliseconds"), "{m}");
    assert!(m.contains("Date.now() + 300"), "{m}");
    assert!(m.contains("2026-11-29T13:00:00Z as milliseconds"), "{m}");
    assert!(m.contains("around the year 58,881"), "{m}");
    // Read as seconds, as Salesforce does, it has not expired; its window isn't judged.
    assert_status(
        "exp.expired",
        Status::Pass,
        |c| {
            c.insert("exp".into(), json!(cli));
        },
        "years",
    );
    assert_status(
        "exp.window",
        Status::Skip,
        |c| {
            c.insert("exp".into(), json!(cli));
        },
        "exp.unit",
    );
    assert_status(
        "exp.unit",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!(1e20));
        },
        "far too large",
    );
}

#[test]
fn exp_expired_rule_allows_clock_skew_and_says_how_far_off() {
    assert_status("exp.expired", Status::Pass, |_| {}, "in 3 minutes");
    assert_status(
        "exp.expired",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!(NOW));
        },
        "clock skew",
    );
    assert_status(
        "exp.expired",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!(NOW - 60));
        },
        "60 seconds ago",
    );
    let (s, m) = status_with("exp.expired", |c| {
        c.insert("exp".into(), json!(NOW - 3 * 3600));
    });
    assert_eq!(s, Status::Fail);
    assert!(m.contains("3 hours ago") && m.contains("by 3 hours"), "{m}");
    assert!(m.contains("expired authorization code"), "{m}");
    assert_status(
        "exp.expired",
        Status::Fail,
        |c| {
            c.insert("exp".into(), json!(180));
        },
        "lifetime",
    );
    assert_status(
        "exp.expired",
        Status::Fail,
        |c| {
            c.insert("exp".into(), json!(-5));
        },
        "ago",
    );
}

#[test]
fn exp_window_warns_on_a_lifetime_of_seconds() {
    // One helper signs assertions valid for 3 s: skew or latency makes them arrive expired.
    assert_status(
        "exp.window",
        Status::Warn,
        |c| {
            c.insert("iat".into(), json!(NOW));
            c.insert("exp".into(), json!(NOW + 3));
        },
        "too short to survive clock skew and network latency",
    );
    // 60 s is the shortest lifetime that passes; without iat the remaining time is not a lifetime.
    assert_status(
        "exp.window",
        Status::Pass,
        |c| {
            c.insert("iat".into(), json!(NOW));
            c.insert("exp".into(), json!(NOW + 60));
        },
        "within the documented 3 minutes",
    );
    assert_status(
        "exp.window",
        Status::Pass,
        |c| {
            c.insert("exp".into(), json!(NOW + 3));
        },
        "within the documented 3 minutes",
    );
}

#[test]
fn exp_window_rule_is_advice_not_a_failure() {
    assert_status(
        "exp.window",
        Status::Pass,
        |_| {},
        "3 minutes after 2026-11-29T13:00:00Z",
    );
    assert_status(
        "exp.window",
        Status::Info,
        |c| {
            c.insert("exp".into(), json!(NOW + 300));
        },
        "longer than the documented 3 minutes",
    );
    assert_status(
        "exp.window",
        Status::Warn,
        |c| {
            c.insert("exp".into(), json!(NOW + 86_400));
        },
        "24 hours",
    );
    // With iat, the window is the token's lifetime, whenever it is decoded.
    assert_status(
        "exp.window",
        Status::Pass,
        |c| {
            c.insert("iat".into(), json!(NOW - 3600));
            c.insert("exp".into(), json!(NOW - 3600 + 120));
        },
        "after iat",
    );
    assert_status(
        "exp.window",
        Status::Info,
        |c| {
            c.insert("iat".into(), json!(NOW));
            c.insert("exp".into(), json!(NOW + 3600));
        },
        "60 minutes after iat",
    );
    assert_status(
        "exp.window",
        Status::Fail,
        |c| {
            c.insert("iat".into(), json!(NOW + 200));
        },
        "not after iat",
    );
    assert_status(
        "exp.window",
        Status::Skip,
        |c| {
            c.insert("exp".into(), json!(NOW - 600));
        },
        "exp.expired",
    );
}

#[test]
fn iat_rule() {
    assert_status("iat", Status::Skip, |_| {}, "optional");
    assert_status(
        "iat",
        Status::Pass,
        |c| {
            c.insert("iat".into(), json!(NOW));
        },
        "now",
    );
    assert_status(
        "iat",
        Status::Pass,
        |c| {
            c.insert("iat".into(), json!(NOW + 30));
        },
        "in 30 seconds",
    );
    assert_status(
        "iat",
        Status::Warn,
        |c| {
            c.insert("iat".into(), json!(NOW + 600));
        },
        "future",
    );
    assert_status(
        "iat",
        Status::Warn,
        |c| {
            c.insert("iat".into(), json!(NOW * 1000));
        },
        "milliseconds",
    );
    assert_status(
        "iat",
        Status::Warn,
        |c| {
            c.insert("iat".into(), json!("x"));
        },
        "not a number",
    );
}

#[test]
fn nbf_rule() {
    assert_status("nbf", Status::Skip, |_| {}, "optional");
    assert_status(
        "nbf",
        Status::Pass,
        |c| {
            c.insert("nbf".into(), json!(NOW - 10));
        },
        "10 seconds ago",
    );
    assert_status(
        "nbf",
        Status::Warn,
        |c| {
            c.insert("nbf".into(), json!(NOW + 3600));
        },
        "not valid before",
    );
    assert_status(
        "nbf",
        Status::Warn,
        |c| {
            c.insert("nbf".into(), json!(true));
        },
        "not a number",
    );
}

#[test]
fn claims_unexpected_rule() {
    assert_status(
        "claims.unexpected",
        Status::Pass,
        |c| {
            c.insert("jti".into(), json!("1"));
            c.insert("iat".into(), json!(NOW));
        },
        "no claims besides",
    );
    assert_status(
        "claims.unexpected",
        Status::Info,
        |c| {
            c.insert("scope".into(), json!("api"));
            c.insert("foo".into(), json!(1));
        },
        "foo, scope",
    );
    assert_status(
        "claims.unexpected",
        Status::Info,
        |c| {
            c.insert("scope".into(), json!("api"));
        },
        "no scope is needed",
    );
    // A claim name is printed safely.
    let (_, m) = status_with("claims.unexpected", |c| {
        c.insert("\u{1b}[2J".into(), json!(1));
    });
    assert!(!m.contains('\u{1b}'), "{m}");
}

#[test]
fn lint_never_panics_on_odd_claims() {
    for claims in [
        json!({}),
        json!({"exp": 1e308, "iat": -1e308, "nbf": 1e308}),
        json!({"exp": i64::MIN, "iat": u64::MAX}),
        json!({"aud": "", "iss": "", "sub": ""}),
        json!({"aud": [], "sub": {}, "prn": null}),
        json!({"aud": "é".repeat(5000), "iss": "3MVG".repeat(1000)}),
    ] {
        let results = run(claims);
        assert_eq!(results.len(), RULES.len());
    }
    let _ = run_with(
        json!({"alg": null, "typ": 1, "crit": 1}),
        good_claims(),
        expect_all(),
    );
}

/// In `sfjwt check` the input checks judged the username and the consumer key: the claim rules
/// holding the same values point at them instead of failing a second time; alone (`decode`),
/// they judge the claims.
#[test]
fn judged_inputs_are_pointed_at_not_judged_again() {
    let bad_user = "integration@acme";
    let mut c = good_claims();
    c.as_object_mut()
        .unwrap()
        .insert("sub".into(), json!(bad_user));
    let alone = Expectations {
        username: Some(bad_user),
        ..expect_all()
    };
    let results = run_with(json!({"alg": "RS256"}), c.clone(), alone);
    assert_eq!(get(&results, "sub.format").status, Status::Fail);
    let judged = Expectations {
        judged: JudgedBy {
            username: Some("username.format"),
            consumer_key: Some("consumer-key.format"),
        },
        ..alone
    };
    let results = run_with(json!({"alg": "RS256"}), c, judged);
    let r = get(&results, "sub.format");
    assert_eq!(r.status, Status::Skip);
    assert_eq!(r.message, "sub is the username given (see username.format)");
    assert_eq!(r.left_to, Some("username.format"));
    assert_eq!(get(&results, "sub.matches").status, Status::Pass);
    // A good value passes as before, judged or not.
    let results = run_with(json!({"alg": "RS256"}), good_claims(), judged);
    assert_eq!(get(&results, "iss.format").status, Status::Pass);
}

#[test]
fn aud_of_a_declared_custom_domain_is_its_origin_or_site_url() {
    use crate::salesforce::hosts::CustomDomain;
    let with = |aud: &str, login: &str, d: Option<CustomDomain>| {
        let mut c = good_claims();
        c["aud"] = json!(aud);
        let e = Expectations {
            login_url: Some(login),
            custom_domain: d,
            ..expect_all()
        };
        let results = run_with(json!({"alg": "RS256"}), c, e);
        let s = |id: &str| {
            let r = get(&results, id);
            (r.status, r.judgement.message.clone())
        };
        (s("aud.salesforce"), s("aud.matches"))
    };
    let login = Some(CustomDomain::Login);
    let ((s, m), (ms, mm)) = with("https://login.acme.com", "https://login.acme.com", login);
    assert_eq!(s, Status::Info, "{m}");
    assert!(m.contains("as declared for the login URL"), "{m}");
    assert_eq!(ms, Status::Pass, "{mm}");
    let site = Some(CustomDomain::Site);
    let (_, (ms, mm)) = with(
        "https://acme.com/customers",
        "https://acme.com/customers",
        site,
    );
    assert_eq!(ms, Status::Pass, "{mm}");
    // The site path is part of the site's aud.
    let (_, (ms, mm)) = with("https://acme.com", "https://acme.com/customers", site);
    assert_eq!(ms, Status::Fail, "{mm}");
    // Another host is no declared custom domain.
    let ((s, _), (ms, _)) = with("https://evil.example", "https://login.acme.com", login);
    assert_eq!(s, Status::Fail);
    assert_eq!(ms, Status::Skip);
    // Without the declaration, the login URL can't be used.
    let (_, (ms, mm)) = with("https://login.acme.com", "https://login.acme.com", None);
    assert_eq!(ms, Status::Warn, "{mm}");
    // The generic host is not known to be accepted on a custom domain.
    let (_, (ms, mm)) = with(
        "https://login.salesforce.com",
        "https://login.acme.com",
        login,
    );
    assert_eq!(ms, Status::Warn, "{mm}");
}
