//! username.format, username.environment, consumer-key.format, consumer-secret.format.

use super::url::HOW_TO_GIVE_LOGIN_URL;
use super::{Check, Docs, Group};
use crate::bundle::{Bundle, Origin};
use crate::context::Context;
use crate::finding::{Outcome, Status};
use crate::fingerprint::fingerprint;
use crate::salesforce::hosts;
use crate::salesforce::identity::{
    Assessment, assess_consumer_key, assess_consumer_secret, assess_username,
    assess_username_environment, sandbox_suffix, secret_format, shorten_key, split_username,
};

const HOW_TO_GIVE_USERNAME: &str =
    "pass --username, set $SFJWT_USERNAME, or put username in sfjwt.toml";
const HOW_TO_GIVE_CONSUMER_KEY: &str =
    "pass --consumer-key, set $SFJWT_CONSUMER_KEY, or put consumer_key in sfjwt.toml";

pub static USERNAME_FORMAT: Check = Check {
    id: "username.format",
    title: "Username shape",
    steps: &[6],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The username has the shape of a Salesforce username.",
        what: "Checks the username (the sub claim of the assertion) looks like local@domain.tld and has at most 80 characters, and that it is not something else: a value with whitespace, quotes or invisible characters, an email header with a display name (Jane <jane@acme.com>), a mailto: link, a URL-encoded value (jane%40acme.com), a User Id (005...), an Organization Id (00D...), or a sandbox user's Email, which ends in .invalid.",
        why: "Salesforce looks the user up by its exact Username. The Email, an Id, or an encoded or padded value matches no user, and the token endpoint then answers invalid_grant \"user hasn't approved this consumer\", which sends people looking at the app's policies instead of the username.",
        fix: "In the org the login URL points at, open Setup > Users, open a user whose profile or permission set the app allows (the app's Policies tab), and copy its Username field exactly (not the Email). Set it with --username, $SFJWT_USERNAME, or username in sfjwt.toml.",
        references: &[
            "Salesforce Help, OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (remoteaccess_oauth_jwt_flow): sub is the username",
            "Salesforce Help, Sandbox users and contacts (data_sandbox_users_and_contacts.htm): usernames get .<sandbox name>, emails get .invalid",
            "simple-salesforce/simple-salesforce PR#612: a URL-encoded sub",
            "salesforce.stackexchange.com/questions/207685 and omniphx/forrest#278: user hasn't approved this consumer",
        ],
    },
    run: run_username_format,
};

pub static USERNAME_ENVIRONMENT: Check = Check {
    id: "username.environment",
    title: "Username fits environment",
    steps: &[5, 6],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The username fits the environment of the login URL (sandbox suffix on sandbox hosts, none on production).",
        what: "Compares the end of the username with the environment of the login URL. On a sandbox My Domain host (acme--uat.sandbox.my.salesforce.com) the username should end in that sandbox's name (.uat, case-insensitive); on test.salesforce.com or a legacy csNN host it should end in some .<sandbox> suffix; on a production host it shouldn't end in a typical sandbox suffix (.dev .uat .qa .test .staging .full .partial .sit .int .preprod .sandbox). A suffix is told from a top-level domain with a compact list of common TLDs, so this is a heuristic: it warns, it never fails. Skipped when an input is missing, when the username has no email shape, and when the host doesn't say which environment it is (legacy sites, loopback, patch orgs).",
        why: "A sandbox copy appends the sandbox name to every username (jane@acme.com becomes jane@acme.com.uat). A production username posted to a sandbox, or a sandbox username posted to production, names a user that doesn't exist there, and Salesforce answers \"user hasn't approved this consumer\", not \"no such user\".",
        fix: "Use the username from the org the login URL points at: in a sandbox, Setup > Users shows it with the .<sandbox> suffix. Or point the login URL at the org where the user lives: https://test.salesforce.com or https://<name>--<sandbox>.sandbox.my.salesforce.com for a sandbox, https://login.salesforce.com or https://<name>.my.salesforce.com for production. If the username was renamed on purpose, ignore the warning.",
        references: &[
            "Salesforce Help, Sandbox users and contacts (data_sandbox_users_and_contacts.htm): the sandbox name is appended to usernames",
            "jsforce/jsforce#1192: a sandbox username with a .testing suffix",
            "omniphx/forrest#278, restforce/restforce PR#886: user hasn't approved this consumer from the wrong org",
            "forcedotcom/cli#1640: scratch org usernames (test-<random>@example.com) carry no suffix",
        ],
    },
    run: run_username_environment,
};

pub static CONSUMER_KEY_FORMAT: Check = Check {
    id: "consumer-key.format",
    title: "Consumer key shape",
    steps: &[3],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The consumer key has the shape of a Salesforce consumer key.",
        what: "Checks the consumer key (the iss claim of the assertion) starts with 3MVG (fail otherwise) and has the shape of every key observed, 3MVG9 and 80 more letters, digits, '.' or '_', 85 in all (warn otherwise, with the length found). Whitespace, quotes and invisible characters from copy-paste fail. So do values that are something else: the consumer secret (64 hex characters, or 19 digits), a PEM block, a JWT or an access token; those are never shown. Messages show the key's first 8 characters only.",
        why: "Salesforce finds the app by the iss claim. A padded, truncated or wrong key gives invalid_client_id \"client identifier invalid\"; pasting the secret where the key goes is a common cause.",
        fix: "In the org that holds the app, open Setup > External Client App Manager (or App Manager), open the app, then Settings > OAuth Settings > Consumer Key and Secret; verify your identity and copy the Consumer Key with the copy button. Set it with --consumer-key, $SFJWT_CONSUMER_KEY, or consumer_key in sfjwt.toml. A new app can take up to 10 minutes before Salesforce recognises its key.",
        references: &[
            "Salesforce Help, OAuth 2.0 JWT Bearer Flow: iss is the client_id (consumer key); its doc example key has 85 characters",
            "trufflesecurity/trufflehog pkg/detectors/salesforceoauth2/salesforceoauth2.go: 3MVG9 key pattern",
            "kevinohara80/nforce#50: an 85-character key",
            "omniphx/forrest#184: client identifier invalid",
            "pozil/salesforce-react-integration#15: changes take 5-10 minutes to propagate",
        ],
    },
    run: run_consumer_key_format,
};

pub static CONSUMER_SECRET_FORMAT: Check = Check {
    id: "consumer-secret.format",
    title: "Consumer secret shape",
    steps: &[3],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The consumer secret, when given, has the shape of a Salesforce consumer secret.",
        what: "Checks the shape of the consumer secret without ever showing it: 64 upper-case hex characters (the current format) passes; 19 digits (the legacy format) is reported as info; 64 hex characters that are not upper-case, whitespace, quotes and any other shape warn; a value that starts with 3MVG fails, because the key and the secret were swapped. Only its length, its format and a sha256 fingerprint are reported.",
        why: "The JWT Bearer grant doesn't use the consumer secret at all; sfjwt uses it only for token introspection (--live). A wrong secret breaks introspection, not the login. A secret starting with 3MVG, though, usually means the key setting holds the secret, and that does break the login.",
        fix: "In Salesforce, open the app's Settings > OAuth Settings > Consumer Key and Secret, verify your identity, and copy the Consumer Secret with the copy button. Give it through $SFJWT_CONSUMER_SECRET, a variable named by consumer_secret_env in sfjwt.toml, or the interactive prompt, never as a flag. Compare it with the expected value by its fingerprint.",
        references: &[
            "NangoHQ/nango packages/providers/providers.yaml, provider salesforce-jwt: ^[A-F0-9]{64}$, used only for introspection",
            "kevinohara80/nforce#50: a legacy 19-digit secret",
            "trufflesecurity/trufflehog pkg/detectors/salesforceoauth2: secret patterns",
            "Salesforce Help, OAuth 2.0 JWT Bearer Flow: the token request needs no client secret",
        ],
    },
    run: run_consumer_secret_format,
};

fn into_outcome(a: Assessment) -> Outcome {
    let out = match a.status {
        Status::Skip => Outcome::skip(a.message),
        Status::Pass => Outcome::pass(a.message),
        Status::Info => Outcome::info(a.message),
        Status::Warn => Outcome::warn(a.message, a.fix.unwrap_or_default()),
        Status::Fail => Outcome::fail(a.message, a.fix.unwrap_or_default()),
    };
    out.with("result", a.code)
}

/// Adds "(from ORIGIN)" to a non-skip message, and where the value came from to the evidence.
fn from(mut out: Outcome, origin: &Origin) -> Outcome {
    let shown = origin.to_string();
    if out.status != Status::Skip {
        out.message = format!("{} (from {shown})", out.message);
    }
    super::key::file_evidence(out.with("source", shown), origin)
}

fn run_username_format(bundle: &Bundle, _ctx: &Context) -> Outcome {
    let Some(setting) = &bundle.username else {
        return Outcome::skip(format!("no username was given: {HOW_TO_GIVE_USERNAME}"));
    };
    let value = &setting.value;
    let mut out = from(into_outcome(assess_username(value)), &setting.origin)
        .with("username", value.as_str())
        .with("length", value.chars().count());
    if let Some(parts) = split_username(value)
        && let Some(s) = sandbox_suffix(parts.domain)
    {
        out = out.with("suffix", s);
    }
    out
}

fn run_username_environment(bundle: &Bundle, _ctx: &Context) -> Outcome {
    let Some(user) = &bundle.username else {
        return Outcome::skip(format!("no username was given: {HOW_TO_GIVE_USERNAME}"));
    };
    let Some(login) = &bundle.login_url else {
        return Outcome::skip(format!(
            "no login URL was given, so there is no environment to compare the username with: {HOW_TO_GIVE_LOGIN_URL}"
        ));
    };
    if assess_username(&user.value).status == Status::Fail {
        return Outcome::skip(
            "the username doesn't have the shape of a username (see username.format)",
        );
    }
    let url = match hosts::parse(&login.value) {
        Ok(url) => url,
        Err(_) => {
            return Outcome::skip(
                "the login URL can't be used, so its environment is unknown (see login-url.host)",
            );
        }
    };
    let mut out = from(
        into_outcome(assess_username_environment(&user.value, &url)),
        &user.origin,
    )
    .with("login_url_source", login.origin.to_string())
    .with("environment", url.environment.as_str())
    .with("host_kind", url.kind.as_str());
    if let Some(s) = &url.sandbox {
        out = out.with("expected_suffix", format!(".{s}"));
    }
    if let Some(parts) = split_username(&user.value)
        && let Some(s) = sandbox_suffix(parts.domain)
    {
        out = out.with("suffix", s);
    }
    out
}

fn run_consumer_key_format(bundle: &Bundle, _ctx: &Context) -> Outcome {
    let Some(setting) = &bundle.consumer_key else {
        return Outcome::skip(format!(
            "no consumer key was given: {HOW_TO_GIVE_CONSUMER_KEY}"
        ));
    };
    let value = &setting.value;
    let a = assess_consumer_key(value);
    let shown = a.status != Status::Fail || a.code == "copy-paste";
    let mut out = from(into_outcome(a), &setting.origin)
        .with("length", value.chars().count())
        .with("fingerprint", fingerprint(value.as_bytes()));
    let trimmed = value.trim();
    if shown && trimmed.starts_with("3MVG") {
        out = out.with("key", shorten_key(trimmed));
    }
    out
}

fn run_consumer_secret_format(bundle: &Bundle, _ctx: &Context) -> Outcome {
    let Some(secret) = &bundle.consumer_secret else {
        return Outcome::skip(
            "no consumer secret was given; it is optional, since the JWT grant doesn't use it (set $SFJWT_CONSUMER_SECRET, or consumer_secret_env in sfjwt.toml, to enable token introspection)",
        );
    };
    let value = secret.expose();
    from(into_outcome(assess_consumer_secret(value)), &secret.origin)
        .with("length", value.chars().count())
        .with("format", secret_format(value).as_str())
        .with("fingerprint", fingerprint(value.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Origin, Secret, Setting};
    use crate::checks::Check;
    use serde_json::Value;
    use time::macros::datetime;

    const KEY: &str =
        "3MVG99OxTyEMCQ3gNp2PjkqeZKxnmAiG1xV4oHh9AKL_rSK.BoSVPGZHQukXnVjzRgSuQqGn75NL7yfkQcyy7";
    const SECRET: &str = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";

    fn ctx() -> Context {
        Context::new(datetime!(2026-11-29 13:00 UTC))
    }

    fn run(check: &Check, b: &Bundle) -> Outcome {
        (check.run)(b, &ctx())
    }

    fn with_user(u: &str) -> Bundle {
        let mut b = Bundle::empty("t");
        b.username = Some(Setting::new(u, Origin::Flag("--username")));
        b
    }

    fn with_user_and_url(u: &str, url: &str) -> Bundle {
        let mut b = with_user(u);
        b.login_url = Some(Setting::new(url, Origin::Env("SFJWT_LOGIN_URL".into())));
        b
    }

    fn with_key(k: &str) -> Bundle {
        let mut b = Bundle::empty("t");
        b.consumer_key = Some(Setting::new(
            k,
            Origin::Config {
                path: "bundle/sfjwt.toml".into(),
                setting: "consumer_key",
            },
        ));
        b
    }

    fn with_secret(s: &str) -> Bundle {
        let mut b = Bundle::empty("t");
        b.consumer_secret = Some(Secret::new(s, Origin::Env("SFJWT_CONSUMER_SECRET".into())));
        b
    }

    fn all_text(o: &Outcome) -> String {
        format!(
            "{} {} {}",
            o.message,
            o.fix.clone().unwrap_or_default(),
            Value::Object(o.evidence.clone())
        )
    }

    #[test]
    fn missing_inputs_are_skipped_with_how_to_give_them() {
        let empty = Bundle::empty("t");
        let o = run(&USERNAME_FORMAT, &empty);
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("--username") && o.message.contains("$SFJWT_USERNAME"));
        let o = run(&USERNAME_ENVIRONMENT, &empty);
        assert_eq!(o.status, Status::Skip);
        let o = run(&USERNAME_ENVIRONMENT, &with_user("jane@acme.com"));
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("--login-url"));
        let mut b = Bundle::empty("t");
        b.login_url = Some(Setting::new(
            "login.salesforce.com",
            Origin::Flag("--login-url"),
        ));
        let o = run(&USERNAME_ENVIRONMENT, &b);
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("--username"));
        let o = run(&CONSUMER_KEY_FORMAT, &empty);
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("--consumer-key") && o.message.contains("consumer_key"));
        let o = run(&CONSUMER_SECRET_FORMAT, &empty);
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("$SFJWT_CONSUMER_SECRET"));
        assert!(o.message.contains("consumer_secret_env"));
        assert!(o.message.contains("doesn't use it"));
    }

    #[test]
    fn username_format_reports_status_origin_and_evidence() {
        let o = run(&USERNAME_FORMAT, &with_user("jane@acme.com.uat"));
        assert_eq!(o.status, Status::Pass);
        assert!(o.message.ends_with("(from --username)"));
        assert_eq!(o.evidence["suffix"], "uat");
        assert_eq!(o.evidence["length"], 17);
        assert_eq!(o.evidence["result"], "valid");
        assert_eq!(o.evidence["source"], "--username");

        for (u, status, code) in [
            ("jane%40acme.com", Status::Fail, "url-encoded"),
            ("005000000000001AAA", Status::Fail, "user-id"),
            ("jane@acme.com.invalid", Status::Fail, "sandbox-email"),
            ("jane@acme.com\n", Status::Fail, "whitespace"),
            ("\"jane@acme.com\"", Status::Fail, "quoted"),
            ("Jane <jane@acme.com>", Status::Fail, "display-name"),
            ("jöns@acme.se", Status::Warn, "non-ascii"),
        ] {
            let o = run(&USERNAME_FORMAT, &with_user(u));
            assert_eq!(o.status, status, "{u:?}");
            assert_eq!(o.evidence["result"], code, "{u:?}");
            assert!(o.fix.is_some());
        }
    }

    #[test]
    fn username_environment_compares_with_the_login_url() {
        for (u, url, status, code) in [
            (
                "jane@acme.com.uat",
                "https://acme--uat.sandbox.my.salesforce.com",
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
                "test.salesforce.com",
                Status::Warn,
                "no-sandbox-suffix",
            ),
            (
                "jane@acme.com.uat",
                "https://login.salesforce.com",
                Status::Warn,
                "sandbox-suffix-on-production",
            ),
            (
                "jane@acme.com",
                "https://login.salesforce.com",
                Status::Pass,
                "no-sandbox-suffix",
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
        ] {
            let o = run(&USERNAME_ENVIRONMENT, &with_user_and_url(u, url));
            assert_eq!(o.status, status, "{u} on {url}: {o:?}");
            assert_eq!(o.evidence["result"], code, "{u} on {url}");
            if status != Status::Skip {
                assert!(o.message.ends_with("(from --username)"), "{}", o.message);
                assert_eq!(o.evidence["login_url_source"], "$SFJWT_LOGIN_URL");
            }
        }
        let o = run(
            &USERNAME_ENVIRONMENT,
            &with_user_and_url(
                "jane@acme.com",
                "https://acme--uat.sandbox.my.salesforce.com",
            ),
        );
        assert_eq!(o.evidence["expected_suffix"], ".uat");
        assert_eq!(o.evidence["environment"], "sandbox");
        assert_eq!(o.evidence["host_kind"], "my-domain-sandbox");

        // Skips rather than double-reports a bad username or an unusable URL.
        let o = run(
            &USERNAME_ENVIRONMENT,
            &with_user_and_url("jane%40acme.com", "https://login.salesforce.com"),
        );
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("username.format"));
        let o = run(
            &USERNAME_ENVIRONMENT,
            &with_user_and_url("jane@acme.com", "http://login.salesforce.com"),
        );
        assert_eq!(o.status, Status::Skip);
        assert!(o.message.contains("login-url.host"));
    }

    #[test]
    fn consumer_key_is_shown_shortened_and_never_when_it_looks_like_a_secret() {
        let o = run(&CONSUMER_KEY_FORMAT, &with_key(KEY));
        assert_eq!(o.status, Status::Pass);
        assert_eq!(o.evidence["key"], "3MVG99Ox…");
        assert_eq!(o.evidence["length"], 85);
        assert!(
            o.evidence["fingerprint"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert!(
            o.message
                .ends_with("(from consumer_key in bundle/sfjwt.toml)")
        );
        assert!(!all_text(&o).contains(&KEY[8..]));

        let o = run(&CONSUMER_KEY_FORMAT, &with_key(&KEY[..70]));
        assert_eq!(o.status, Status::Warn);
        assert!(o.message.contains("70 characters"));

        let o = run(&CONSUMER_KEY_FORMAT, &with_key(&format!("{KEY}\n")));
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.evidence["key"], "3MVG99Ox…");

        for secret_like in [SECRET, "8814408051617436252", "hunter2hunter2"] {
            let o = run(&CONSUMER_KEY_FORMAT, &with_key(secret_like));
            assert_eq!(o.status, Status::Fail);
            assert!(o.evidence.get("key").is_none());
            assert!(
                !all_text(&o).contains(&secret_like[..6]),
                "{}",
                all_text(&o)
            );
        }
        let o = run(&CONSUMER_KEY_FORMAT, &with_key(SECRET));
        assert!(o.message.contains("consumer secret"));
    }

    #[test]
    fn consumer_secret_never_appears_in_any_output() {
        for (s, status, format) in [
            (SECRET.to_string(), Status::Pass, "hex-64-upper"),
            ("8814408051617436252".to_string(), Status::Info, "digits-19"),
            (SECRET.to_ascii_lowercase(), Status::Warn, "hex-64-lower"),
            (KEY.to_string(), Status::Fail, "consumer-key"),
            ("Xq7pLm2vR9zK4wT8nBfJ".to_string(), Status::Warn, "other"),
            (format!("{SECRET}\n"), Status::Warn, "other"),
        ] {
            let o = run(&CONSUMER_SECRET_FORMAT, &with_secret(&s));
            assert_eq!(o.status, status, "{format}");
            assert_eq!(o.evidence["format"], format);
            assert_eq!(o.evidence["length"], s.chars().count());
            assert_eq!(
                o.evidence["fingerprint"],
                crate::fingerprint::fingerprint(s.as_bytes())
            );
            assert!(o.message.ends_with("(from $SFJWT_CONSUMER_SECRET)"));
            let text = all_text(&o);
            for window in s.trim().as_bytes().windows(6) {
                let w = std::str::from_utf8(window).unwrap();
                assert!(!text.contains(w), "secret fragment {w:?} leaked: {text}");
            }
        }
        let o = run(&CONSUMER_SECRET_FORMAT, &with_secret(SECRET));
        assert!(o.message.contains("introspection"));
    }

    #[test]
    fn docs_are_complete() {
        for c in [
            &USERNAME_FORMAT,
            &USERNAME_ENVIRONMENT,
            &CONSUMER_KEY_FORMAT,
            &CONSUMER_SECRET_FORMAT,
            &crate::checks::url::LOGIN_URL_HOST,
        ] {
            for text in [c.docs.passes_when, c.docs.what, c.docs.why, c.docs.fix] {
                assert!(text.trim().len() > 20, "{}", c.id);
            }
            assert!(c.docs.references.len() >= 3, "{}", c.id);
            assert!(crate::checks::find(c.id).is_some(), "{}", c.id);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let big = "x".repeat(10 * 1024);
        for v in ["", "\u{0}", "é", "@", "%", big.as_str(), "3MVG"] {
            let mut b = with_user_and_url(v, v);
            b.consumer_key = Some(Setting::new(v, Origin::Flag("--consumer-key")));
            b.consumer_secret = Some(Secret::new(v, Origin::Prompt));
            for c in [
                &USERNAME_FORMAT,
                &USERNAME_ENVIRONMENT,
                &CONSUMER_KEY_FORMAT,
                &CONSUMER_SECRET_FORMAT,
            ] {
                let _ = run(c, &b);
            }
        }
    }
}
