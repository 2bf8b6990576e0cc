//! consumer-key.format, consumer-secret.format: the External Client App's consumer key and
//! secret (setup step 3).

use super::username::{from, into_outcome};
use super::{Check, Docs, Group, Scratch, Skip, require};
use crate::bundle::Bundle;
use crate::context::Context;
use crate::finding::{Outcome, Status};
use crate::fingerprint::fingerprint;
use crate::salesforce::identity::{
    assess_consumer_key, assess_consumer_secret, secret_format, shorten_key,
};
use crate::steps::Step;

pub static CONSUMER_KEY_FORMAT: Check = Check {
    id: "consumer-key.format",
    title: "Consumer key shape",
    steps: &[Step::ConsumerKeyAndSecret],
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
    steps: &[Step::ConsumerKeyAndSecret],
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

fn run_consumer_key_format(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let setting = require::consumer_key(bundle)?;
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
    Ok(out)
}

fn run_consumer_secret_format(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let secret = require::consumer_secret(
        bundle,
        "no consumer secret was given; it is optional, since the JWT grant doesn't use it (set $SFJWT_CONSUMER_SECRET, or consumer_secret_env in sfjwt.toml, to enable token introspection)",
    )?;
    let value = secret.expose();
    Ok(
        from(into_outcome(assess_consumer_secret(value)), &secret.origin)
            .with("length", value.chars().count())
            .with("format", secret_format(value).as_str())
            .with("fingerprint", fingerprint(value.as_bytes())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Origin, Secret, Setting};

    use crate::checks::testing::run;
    use serde_json::Value;

    const KEY: &str =
        "3MVG99OxTyEMCQ3gNp2PjkqeZKxnmAiG1xV4oHh9AKL_rSK.BoSVPGZHQukXnVjzRgSuQqGn75NL7yfkQcyy7";
    const SECRET: &str = "8B1A9953C4611296A827ABF8C47804D7E6C49C6B8B1A9953C4611296A827ABF8";

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
        for c in [&CONSUMER_KEY_FORMAT, &CONSUMER_SECRET_FORMAT] {
            for text in [c.docs.passes_when, c.docs.what, c.docs.why, c.docs.fix] {
                assert!(text.trim().len() > 20, "{}", c.id);
            }
            assert!(c.docs.references.len() >= 3, "{}", c.id);
            assert!(crate::checks::find(c.id).is_some(), "{}", c.id);
        }
    }
}
