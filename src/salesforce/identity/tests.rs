use super::username::percent_decode;
use super::*;
use crate::salesforce::hosts::parse;

const KEY: &str =
    "3MVG99OxTyEMCQ3gNp2PjkqeZKxnmAiG1xV4oHh9AKL_rSK.BoSVPGZHQukXnVjzRgSuQqGn75NL7yfkQcyy7";
const SECRET: &str = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";

fn user(u: &str) -> (Status, &'static str) {
    let a = assess_username(u);
    assert!(!a.message.contains('\n'), "{u:?}: {a:?}");
    assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{u:?}: {a:?}");
    (a.status, a.code)
}

#[test]
fn usernames_of_the_right_shape_pass() {
    for u in [
        "jane@acme.com",
        "jane.doe@acme.com.uat",
        "integration+jwt@acme.co.uk",
        "o'brien@acme.com",
        "00x7Vquser@acme.com.test",
        "test-abc123@example.com",
        "Jane@Acme.COM",
        "a@b.c",
    ] {
        assert_eq!(user(u), (Status::Pass, "valid"), "{u}");
    }
    let eighty = format!("{}@acme.com", "a".repeat(MAX_USERNAME_LEN - 9));
    assert_eq!(eighty.len(), MAX_USERNAME_LEN);
    assert_eq!(user(&eighty).0, Status::Pass);
}

#[test]
fn usernames_of_the_wrong_shape_fail_with_the_reason() {
    for (u, code) in [
        ("", "empty"),
        ("  ", "empty"),
        ("\"jane@acme.com\"", "quoted"),
        ("'jane@acme.com'", "quoted"),
        ("Jane Doe <jane@acme.com>", "display-name"),
        ("<jane@acme.com>", "display-name"),
        ("jane@acme.com\n", "whitespace"),
        (" jane@acme.com", "whitespace"),
        ("jane @acme.com", "whitespace"),
        ("jane@acme.com\u{00A0}", "whitespace"),
        ("jane@acme.com\u{200B}", "invisible-character"),
        ("mailto:jane@acme.com", "mailto"),
        ("https://login.salesforce.com", "looks-like-url"),
        ("jane%40acme.com", "url-encoded"),
        ("jane%2Bjwt@acme.com", "url-encoded"),
        ("005000000000001", "user-id"),
        ("005000000000001AAA", "user-id"),
        ("00D000000000001AAA", "org-id"),
        ("jane", "no-at"),
        ("jane@acme@com", "several-at"),
        ("@acme.com", "missing-part"),
        ("jane@", "missing-part"),
        ("jane,doe@acme.com", "invalid-character"),
        ("jane@acme_corp.com", "invalid-character"),
        ("jane@acme", "bad-domain"),
        ("jane@acme..com", "bad-domain"),
        ("jane@.acme.com", "bad-domain"),
        ("jane@acme.com.", "bad-domain"),
        ("jane@acme.com.invalid", "sandbox-email"),
        ("jane@acme.com.uat.invalid", "sandbox-email"),
    ] {
        assert_eq!(user(u), (Status::Fail, code), "{u:?}");
    }
    let long = format!("{}@acme.com", "a".repeat(MAX_USERNAME_LEN));
    assert_eq!(user(&long), (Status::Fail, "too-long"));
    assert_eq!(user("jöns@acme.se"), (Status::Warn, "non-ascii"));
}

#[test]
fn username_fixes_name_the_corrected_value() {
    let a = assess_username("jane%40acme.com");
    assert!(a.fix.unwrap().contains("jane@acme.com"));
    let a = assess_username("Jane Doe <jane@acme.com>");
    assert!(a.fix.unwrap().contains("jane@acme.com"));
    let a = assess_username("jane@acme.com\n");
    assert!(a.fix.unwrap().contains("use jane@acme.com."));
    assert!(a.message.contains("trailing newline"));
    let a = assess_username("mailto:jane@acme.com");
    assert!(a.fix.unwrap().contains("jane@acme.com"));
    let a = assess_username("jane@acme.com.invalid");
    assert!(a.fix.unwrap().contains("Username"));
    let a = assess_username("005000000000001AAA");
    assert!(a.fix.unwrap().contains("Setup > Users"));
    assert_eq!(percent_decode("a%4"), Some("a%4".into()));
    assert_eq!(percent_decode("%e9"), None);
}

#[test]
fn sandbox_suffixes_are_told_from_top_level_domains() {
    for (domain, suffix) in [
        ("acme.com", None),
        ("acme.com.uat", Some("uat")),
        ("acme.com.UAT", Some("uat")),
        ("acme.com.full", Some("full")),
        ("acme.com.dev", Some("dev")),
        ("acme.dev", None),
        ("acme.co.uk", None),
        ("acme.co.uk.qa", Some("qa")),
        ("acme.com.au", None),
        ("acme.com.qa", Some("qa")),
        ("acme.test", Some("test")),
        ("acme.io.partial", Some("partial")),
        ("acme.com.testing", Some("testing")),
        ("acme.com.int", Some("int")),
        ("acme", None),
        ("acme..com", None),
    ] {
        assert_eq!(sandbox_suffix(domain).as_deref(), suffix, "{domain}");
    }
    assert!(is_typical_sandbox_suffix("uat2"));
    assert!(is_typical_sandbox_suffix("DEV"));
    assert!(!is_typical_sandbox_suffix("acme"));
    assert!(is_common_tld("COM"));
}

fn env(username: &str, url: &str) -> (Status, &'static str) {
    let u = parse(url).unwrap();
    let a = assess_username_environment(username, &u);
    assert!(!a.message.contains('\n'));
    assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
    (a.status, a.code)
}

/// (username, login URL, status, code).
const ENVIRONMENT_CASES: &[(&str, &str, Status, &str)] = &[
    // My Domain sandbox: the suffix must be the sandbox name.
    (
        "jane@acme.com.uat",
        "https://acme--uat.sandbox.my.salesforce.com",
        Status::Pass,
        "matches-sandbox",
    ),
    (
        "jane@acme.com.UAT",
        "https://acme--uat.sandbox.my.salesforce.com",
        Status::Pass,
        "matches-sandbox",
    ),
    (
        "jane@acme.com.uat",
        "https://ACME--UAT.sandbox.my.salesforce.com",
        Status::Pass,
        "matches-sandbox",
    ),
    (
        "jane@acme.com.qa",
        "https://acme--uat.sandbox.my.salesforce.com",
        Status::Warn,
        "other-sandbox-suffix",
    ),
    (
        "jane@acme.com",
        "https://acme--uat.sandbox.my.salesforce.com",
        Status::Warn,
        "no-sandbox-suffix",
    ),
    (
        "jane@acme.com.uat",
        "https://acme--uat.my.salesforce.com",
        Status::Pass,
        "matches-sandbox",
    ),
    (
        "jane@acme.com.uat",
        "https://acme--uat.sandbox.my.site.com/partners",
        Status::Pass,
        "matches-sandbox",
    ),
    (
        "jane@acme.com.uat",
        "https://acme--uat.cs42.my.salesforce.com",
        Status::Pass,
        "matches-sandbox",
    ),
    // Generic sandbox host: any suffix.
    (
        "jane@acme.com.uat",
        "https://test.salesforce.com",
        Status::Pass,
        "sandbox-suffix",
    ),
    (
        "jane@acme.com",
        "https://test.salesforce.com",
        Status::Warn,
        "no-sandbox-suffix",
    ),
    (
        "jane@acme.com.full",
        "https://cs42.salesforce.com",
        Status::Pass,
        "sandbox-suffix",
    ),
    // Production.
    (
        "jane@acme.com",
        "https://login.salesforce.com",
        Status::Pass,
        "no-sandbox-suffix",
    ),
    (
        "jane@acme.dev",
        "https://login.salesforce.com",
        Status::Pass,
        "no-sandbox-suffix",
    ),
    (
        "jane@acme.co.uk",
        "https://acme.my.salesforce.com",
        Status::Pass,
        "no-sandbox-suffix",
    ),
    (
        "jane@acme.com.uat",
        "https://login.salesforce.com",
        Status::Warn,
        "sandbox-suffix-on-production",
    ),
    (
        "jane@acme.com.dev",
        "https://acme.my.salesforce.com",
        Status::Warn,
        "sandbox-suffix-on-production",
    ),
    (
        "jane@acme.com.qa2",
        "https://acme.develop.my.salesforce.com",
        Status::Warn,
        "sandbox-suffix-on-production",
    ),
    (
        "jane@acme.com.preprod",
        "https://na1.salesforce.com",
        Status::Warn,
        "sandbox-suffix-on-production",
    ),
    (
        "jane@acme.com.mysbx",
        "https://login.salesforce.com",
        Status::Info,
        "uncommon-tld-on-production",
    ),
    // Nothing to compare.
    (
        "test-abc@example.com",
        "https://acme.scratch.my.salesforce.com",
        Status::Pass,
        "scratch-org",
    ),
    (
        "jane@acme.com",
        "http://127.0.0.1:8080",
        Status::Skip,
        "loopback",
    ),
    (
        "jane@acme.com",
        "https://acme.force.com/customers",
        Status::Skip,
        "unknown-environment",
    ),
    (
        "jane@acme.com",
        "https://acme.patch.my.salesforce.com",
        Status::Skip,
        "unknown-environment",
    ),
    (
        "jane",
        "https://login.salesforce.com",
        Status::Skip,
        "no-domain",
    ),
];

#[test]
fn usernames_are_compared_with_the_environment() {
    let cases = ENVIRONMENT_CASES;
    for &(username, url, status, code) in cases {
        assert_eq!(env(username, url), (status, code), "{username} on {url}");
    }
}

#[test]
fn environment_messages_are_honest_about_the_heuristic() {
    let u = parse("https://acme--uat.sandbox.my.salesforce.com").unwrap();
    let a = assess_username_environment("jane@acme.com", &u);
    assert!(a.message.contains("heuristic"));
    assert!(a.fix.unwrap().contains("jane@acme.com.uat"));
    let u = parse("https://login.salesforce.com").unwrap();
    let a = assess_username_environment("jane@acme.com.uat", &u);
    assert!(a.message.contains("heuristic"));
    assert!(a.fix.unwrap().contains("test.salesforce.com"));
    let u = parse("https://test.salesforce.com").unwrap();
    let a = assess_username_environment("jane@acme.com", &u);
    assert!(a.message.contains("heuristic"));
}

fn key(k: &str) -> (Status, &'static str) {
    let a = assess_consumer_key(k);
    assert!(!a.message.contains('\n'));
    assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
    (a.status, a.code)
}

#[test]
fn consumer_keys_are_checked() {
    assert_eq!(KEY.len(), CONSUMER_KEY_LEN);
    assert_eq!(key(KEY), (Status::Pass, "valid"));
    assert!(assess_consumer_key(KEY).message.contains("3MVG99Ox…"));
    assert!(!assess_consumer_key(KEY).message.contains(&KEY[8..]));

    let short = &KEY[..60];
    assert_eq!(key(short), (Status::Warn, "unusual-shape"));
    assert!(assess_consumer_key(short).message.contains("60 characters"));
    assert_eq!(
        key(&format!("3MVGA{}", &KEY[5..])),
        (Status::Warn, "unusual-shape")
    );
    // A character no key holds, or an ellipsis (the form sfjwt itself prints a key in):
    // Salesforce can only refuse it, so it fails.
    assert_eq!(
        key(&format!("{}-", &KEY[..84])),
        (Status::Fail, "invalid-character")
    );
    for truncated in [format!("{}...", &KEY[..40]), "3MVG9u8j…".to_string()] {
        assert_eq!(key(&truncated), (Status::Fail, "truncated"), "{truncated}");
        assert!(
            assess_consumer_key(&truncated)
                .message
                .contains("cut short")
        );
    }

    for bad in [
        format!("{KEY}\n"),
        format!(" {KEY}"),
        format!("\"{KEY}\""),
        format!("{} {}", &KEY[..40], &KEY[40..]),
        format!("{KEY}\u{200B}"),
    ] {
        assert_eq!(key(&bad), (Status::Fail, "copy-paste"), "{bad:?}");
    }
    assert!(
        assess_consumer_key(&format!("{KEY}\n"))
            .message
            .contains("trailing newline")
    );

    assert_eq!(key(""), (Status::Fail, "empty"));
    assert_eq!(key(" "), (Status::Fail, "empty"));
    assert_eq!(key(SECRET), (Status::Fail, "looks-like-secret"));
    assert_eq!(
        key(&SECRET.to_ascii_lowercase()),
        (Status::Fail, "looks-like-secret")
    );
    assert_eq!(
        key("8814408051617436252"),
        (Status::Fail, "looks-like-secret")
    );
    assert_eq!(
        key("-----BEGIN PRIVATE KEY-----MIIE"),
        (Status::Fail, "looks-like-secret")
    );
    assert_eq!(
        key("eyJhbGciOi.eyJzdWIi.c2ln"),
        (Status::Fail, "looks-like-secret")
    );
    assert_eq!(
        key("00Dxx0000001gPL!AQ4AQ"),
        (Status::Fail, "looks-like-secret")
    );
    assert_eq!(key("04580y4051234051"), (Status::Fail, "wrong-prefix"));
    assert_eq!(
        key(&KEY.to_ascii_lowercase()),
        (Status::Fail, "wrong-prefix")
    );
    assert!(
        assess_consumer_key(&KEY.to_ascii_lowercase())
            .message
            .contains("case")
    );
}

#[test]
fn key_messages_never_show_secret_lookalikes() {
    for value in [
        SECRET.to_string(),
        "8814408051617436252".into(),
        format!("{SECRET}\n"),
        "-----BEGIN PRIVATE KEY-----MIIEvQ".into(),
        "00Dxx0000001gPL!AQ4AQFakeToken".into(),
        "supersecretvalue".into(),
    ] {
        let a = assess_consumer_key(&value);
        let text = format!("{} {}", a.message, a.fix.unwrap_or_default());
        let trimmed = value.trim();
        assert!(!text.contains(&trimmed[..8]), "{value:?} leaked: {text}");
    }
    assert_eq!(shorten_key("3MVG9abc"), "3MVG9abc");
    assert_eq!(shorten_key("3MVG9abcd"), "3MVG9abc…");
    assert_eq!(shorten_key("ключ-ключ-ключ"), "ключ-клю…");
}

fn secret(s: &str) -> (Status, &'static str) {
    let a = assess_consumer_secret(s);
    let text = format!("{} {}", a.message, a.fix.clone().unwrap_or_default());
    if s.trim().len() >= 6 {
        assert!(!text.contains(s.trim()), "{s:?} leaked: {text}");
        assert!(!text.contains(&s.trim()[..6]), "{s:?} leaked: {text}");
    }
    assert!(!a.message.contains('\n'));
    assert_eq!(a.fix.is_some(), a.status >= Status::Warn, "{a:?}");
    (a.status, a.code)
}

#[test]
fn consumer_secrets_are_checked_without_being_shown() {
    assert_eq!(secret(SECRET), (Status::Pass, "valid"));
    assert!(
        assess_consumer_secret(SECRET)
            .message
            .contains("introspection")
    );
    assert_eq!(secret("8814408051617436252"), (Status::Info, "legacy"));
    assert_eq!(
        secret(&SECRET.to_ascii_lowercase()),
        (Status::Warn, "lower-case-hex")
    );
    assert_eq!(secret(KEY), (Status::Fail, "looks-like-consumer-key"));
    assert_eq!(secret("not-a-real-secret"), (Status::Warn, "unusual-shape"));
    assert_eq!(secret(&SECRET[..63]), (Status::Warn, "unusual-shape"));
    assert_eq!(secret(""), (Status::Warn, "blank"));
    assert_eq!(secret("\n"), (Status::Warn, "blank"));
    assert_eq!(secret(&format!("{SECRET}\n")), (Status::Warn, "whitespace"));
    assert_eq!(
        secret(&format!("{SECRET}\u{200B}")),
        (Status::Warn, "whitespace")
    );
    assert_eq!(secret(&format!("\"{SECRET}\"")), (Status::Warn, "quoted"));

    assert_eq!(secret_format(SECRET), SecretFormat::UpperHex64);
    assert_eq!(secret_format(KEY), SecretFormat::ConsumerKey);
    assert_eq!(secret_format("x"), SecretFormat::Other);
    assert_eq!(SecretFormat::LegacyDigits19.as_str(), "digits-19");
}

#[test]
fn never_panics_on_odd_input() {
    let big = "a".repeat(10 * 1024);
    let url = parse("https://acme--uat.sandbox.my.salesforce.com").unwrap();
    let inputs = [
        String::new(),
        "@".into(),
        "@@".into(),
        "%".into(),
        "%4".into(),
        "%%40".into(),
        "a@%40".into(),
        "\u{0}".into(),
        "<".into(),
        ">".into(),
        "<>".into(),
        "\"".into(),
        "3MVG".into(),
        "3MVG…".into(),
        "😀@😀.😀".into(),
        "a@b.".into(),
        ".@.".into(),
        "a@.".into(),
        big.clone(),
        format!("{big}@{big}.com"),
        format!("a@{}", ".".repeat(5000)),
        "é".repeat(5000),
        "%40".repeat(3000),
    ];
    for s in &inputs {
        let _ = assess_username(s);
        let _ = assess_username_environment(s, &url);
        let _ = assess_consumer_key(s);
        let _ = assess_consumer_secret(s);
        let _ = sandbox_suffix(s);
        let _ = shorten_key(s);
    }
}

/// One code per pasted value, whatever the input it landed in.
#[test]
fn pasted_values_have_one_code_each_whatever_the_input() {
    use strum::IntoEnumIterator;
    let codes: Vec<&str> = Pasted::iter().map(Pasted::code).collect();
    assert_eq!(
        codes,
        [
            "looks-like-secret",
            "looks-like-username",
            "looks-like-url",
            "looks-like-consumer-key"
        ]
    );
    let secret =
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    assert_eq!(assess_username(secret).code, Pasted::Secret.code());
    assert_eq!(assess_consumer_key(secret).code, Pasted::Secret.code());
    let url = crate::salesforce::hosts::parse(secret).unwrap_err();
    assert_eq!(url.code.as_str(), Pasted::Secret.code());
    assert_eq!(
        assess_username("https://login.salesforce.com").code,
        Pasted::Url.code()
    );
    assert_eq!(assess_consumer_secret(KEY).code, Pasted::ConsumerKey.code());
    let user = crate::salesforce::hosts::parse("jane@acme.com").unwrap_err();
    assert_eq!(user.code.as_str(), Pasted::Username.code());
}
