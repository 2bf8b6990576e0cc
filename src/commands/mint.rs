//! `sfjwt mint`: one signed JWT bearer assertion, from the inputs `check` takes, for a tool that
//! needs one pre-made (AWS AppFlow and Glue, Postman, curl).
//!
//! Standard output holds the assertion alone on one line, so `ASSERTION=$(sfjwt mint DIR)`
//! works; the warning that it is a credential until its `exp`, and the `curl` command that
//! would post it (the assertion as `$ASSERTION`, never inline), go to standard error. The
//! assertion is never written to a file, and appears in no other output.
//!
//! A certificate given (`--cert`, `server.crt`) that does not carry the key's public key stops
//! the run: Salesforce verifies the assertion with the certificate uploaded to the app, so an
//! assertion that does not verify with the one at hand is of no use, and a warning on standard
//! error is easily lost in a pipeline.

mod lifetime;

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

pub use lifetime::{Lifetime, MAX_SECS, parse_lifetime};

use super::fleet;
use crate::bundle::env_file::EnvFile;
use crate::bundle::gather::{self, Inputs};
use crate::bundle::key::PrivateKey;
use crate::bundle::{Bundle, Loaded, inputs};
use crate::exit::{ExitStatus, RunError};
use crate::finding::Status;
use crate::jwt::{ASSERTION_LIFETIME_SECS, AssertionClaims};
use crate::text::rfc3339;

/// What `sfjwt mint` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// What the flags and the environment give, as for `check`.
    pub inputs: Inputs,
    /// `--env-file`, as for `check`.
    pub env_file: EnvFile,
    /// The bundle directory given (one at most).
    pub bundles: Vec<PathBuf>,
    pub lifetime: Lifetime,
    /// `--at`: the instant `exp` counts from, instead of now.
    pub at: Option<OffsetDateTime>,
    /// Ask for a passphrase on the terminal when one is needed and there is a terminal.
    pub prompt: bool,
}

/// What the assertion is made from, every input present.
struct Ready<'a> {
    key: &'a PrivateKey,
    iss: &'a str,
    sub: &'a str,
    aud: String,
    /// The token endpoint the curl recipe posts to.
    token_url: String,
    /// A certificate was given, and carries the key's public key.
    cert_checked: bool,
}

/// Runs `sfjwt mint`.
pub fn run(settings: &Settings) -> Result<ExitStatus, RunError> {
    let dir = bundle_dir(settings)?;
    let prompt: Option<gather::PassphrasePrompt<'_>> = if settings.prompt {
        Some(&super::terminal_prompt)
    } else {
        None
    };
    let bundle = gather::gather(
        &fleet::bundle_name(dir.as_deref()),
        dir.as_deref(),
        &settings.inputs,
        &|name: &str| settings.env_file.lookup(name),
        prompt,
    );
    let ready = ready(&bundle).map_err(|RunError(m)| RunError(bundle.secrets.scrub(&m).into()))?;
    let at = settings
        .at
        .unwrap_or_else(OffsetDateTime::now_utc)
        .to_offset(time::UtcOffset::UTC);
    let claims = AssertionClaims::with_lifetime(
        ready.iss,
        ready.sub,
        ready.aud.as_str(),
        at,
        settings.lifetime.secs(),
    );
    let exp = claims.exp;
    let token = crate::jwt::mint(ready.key, &claims).map_err(|e| RunError(e.to_string()))?;
    let linted = lint(&token, &bundle, &ready, at)
        .map_err(|RunError(m)| RunError(bundle.secrets.scrub(&m).into()))?;
    // The assertion alone, on one line: nothing redacts or decorates it.
    println!("{token}");
    drop(token);
    for line in linted {
        eprintln!(
            "{}",
            crate::text::display_safe(&bundle.secrets.scrub(&line))
        );
    }
    for line in stderr_lines(&ready, at, exp, settings.lifetime) {
        eprintln!("{}", crate::text::display_safe(&line));
    }
    Ok(ExitStatus::Ok)
}

/// The assertion's identity claims (`iss`, `sub`, `aud`) linted as `sfjwt decode` lints a
/// token. One Salesforce would refuse stops the run before anything is printed (exit 2), as a
/// certificate that is not the key's does: an assertion that cannot log in is of no use, and a
/// warning is easily lost in a pipeline. One worth a look is a warning line for standard error,
/// and so is a refused `aud` the user gave on purpose.
/// mint sets the header and the times itself (`--lifetime` has its own warning).
fn lint(
    token: &str,
    bundle: &Bundle,
    ready: &Ready<'_>,
    at: OffsetDateTime,
) -> Result<Vec<String>, RunError> {
    let decoded = crate::jwt::decode(token)
        .map_err(|e| RunError(format!("the assertion just made does not decode: {e:?}")))?;
    let expect = crate::jwt::Expectations {
        consumer_key: Some(ready.iss),
        username: Some(ready.sub),
        login_url: bundle.login_url.as_ref().map(|s| s.value.as_str()),
        login_url_parsed: bundle.login_url_parsed(),
        custom_domain: bundle.custom_domain.as_ref().map(|d| d.kind),
        judged: crate::jwt::JudgedBy::default(),
    };
    let mut warnings = Vec::new();
    for result in crate::jwt::lint(&decoded, &expect, at) {
        let id = result.id.as_str();
        if !["iss.", "sub.", "aud."].iter().any(|p| id.starts_with(p)) {
            continue;
        }
        let j = &result.judgement;
        let fix = j
            .fix
            .as_deref()
            .map(|f| format!(" Fix: {f}"))
            .unwrap_or_default();
        // An audience given on purpose (--audience, `audience`) is the user's to choose: its
        // failure is said, not enforced (a host rule sfjwt does not know may apply).
        let chosen_aud = id.starts_with("aud.") && bundle.audience.is_some();
        match j.status {
            Status::Fail if chosen_aud => warnings.push(format!(
                "sfjwt: warning: the assertion's {id} (the audience given): {}.{fix}",
                j.message
            )),
            Status::Fail => {
                return Err(RunError(format!(
                    "no assertion was made: its {id} would be refused: {}.{fix}",
                    j.message
                )));
            }
            Status::Warn => warnings.push(format!(
                "sfjwt: warning: the assertion's {id}: {}.{fix}",
                j.message
            )),
            _ => {}
        }
    }
    Ok(warnings)
}

/// The one bundle: the directory given, or the current directory when it is a bundle, or the
/// flags and environment alone.
fn bundle_dir(settings: &Settings) -> Result<Option<PathBuf>, RunError> {
    if !settings.bundles.is_empty() {
        let mut dirs = fleet::expand(&settings.bundles)?;
        if dirs.len() != 1 {
            let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            return Err(RunError(format!(
                "mint makes one assertion, from one bundle, and {} bundles were given ({}); \
                 give one bundle directory",
                dirs.len(),
                names.join(", ")
            )));
        }
        return Ok(dirs.pop());
    }
    if fleet::is_bundle(Path::new(".")) {
        return Ok(Some(PathBuf::from(".")));
    }
    if settings.inputs.is_empty() {
        return Err(RunError(
            "nothing to mint from: give a bundle directory (sfjwt mint DIR), or --key, \
             --consumer-key, --username and --login-url"
                .into(),
        ));
    }
    Ok(None)
}

/// The inputs of the assertion, or the error naming the first one missing and where it could
/// come from.
fn ready(bundle: &Bundle) -> Result<Ready<'_>, RunError> {
    let key = key(bundle)?;
    let cert_checked = matches_cert(bundle, key)?;
    let missing = |spec: &inputs::InputSpec, claim: &str| {
        RunError(format!(
            "no {} for the assertion's {claim}: {}",
            spec.noun.trim_start_matches("the "),
            bundle.how_to_give(spec)
        ))
    };
    let iss = bundle
        .consumer_key
        .as_ref()
        .ok_or_else(|| missing(&inputs::CONSUMER_KEY, "iss"))?;
    let sub = bundle
        .username
        .as_ref()
        .ok_or_else(|| missing(&inputs::USERNAME, "sub"))?;
    let (aud, token_url) = audience(bundle)?;
    Ok(Ready {
        key,
        iss: &iss.value,
        sub: &sub.value,
        aud,
        token_url,
        cert_checked,
    })
}

/// The decoded private key, or why there is none (with its fix).
fn key(bundle: &Bundle) -> Result<&PrivateKey, RunError> {
    let why = match &bundle.key.state {
        Loaded::Ok(key) => return Ok(key),
        Loaded::Missing(text) => text.clone(),
        Loaded::NotInBundle(missing) => format!(
            "the bundle {} holds no {} ({})",
            missing.dir.display(),
            missing.file.display(),
            bundle.how_to_give(&inputs::PRIVATE_KEY)
        ),
        Loaded::Unreadable(e) => format!("the private key could not be read: {e}"),
        Loaded::Invalid(e) => {
            let hint = bundle
                .key
                .passphrase_hint
                .as_deref()
                .map(|h| format!(" ({h})"));
            format!("{}{}. {}", e.message(), hint.unwrap_or_default(), e.fix())
        }
    };
    Err(RunError(format!("no assertion was made: {why}")))
}

/// A certificate given must carry the key's public key: true when one was given and does, false
/// when none was given.
fn matches_cert(bundle: &Bundle, key: &PrivateKey) -> Result<bool, RunError> {
    let file = match &bundle.cert.state {
        Loaded::Ok(file) => file,
        Loaded::Missing(_) | Loaded::NotInBundle(_) => return Ok(false),
        Loaded::Unreadable(e) => {
            return Err(RunError(format!(
                "no assertion was made: the certificate could not be read: {e}"
            )));
        }
        Loaded::Invalid(e) => {
            return Err(RunError(format!(
                "no assertion was made: the certificate does not read: {}. {}",
                e.message(),
                e.fix()
            )));
        }
    };
    if file.first.spki_der == key.spki_der {
        return Ok(true);
    }
    Err(RunError(format!(
        "no assertion was made: the certificate was not made from this private key (key {}, \
         certificate {}), so Salesforce, which verifies the assertion with the certificate \
         uploaded to the app, would answer invalid_grant / invalid assertion. Sign with the key \
         the certificate was made from, or run `sfjwt check` to see which is which",
        key.fingerprint(),
        file.first.fingerprint()
    )))
}

/// The aud (`--audience`, else derived from the login URL, as check derives it) and the token
/// endpoint of the login URL.
fn audience(bundle: &Bundle) -> Result<(String, String), RunError> {
    let parsed = match bundle.login_url_parsed() {
        Some(Ok(url)) => Some(url),
        Some(Err(rejection)) => {
            let declare = if rejection.custom_domain_possible {
                " If the host is your org's custom domain, declare it: --custom-domain login (or \
                 site for an Experience Cloud site), $SFJWT_CUSTOM_DOMAIN, or custom_domain in \
                 sfjwt.toml."
            } else {
                ""
            };
            return Err(RunError(format!(
                "no assertion was made: the login URL can't be used: {}. {}{declare}",
                rejection.message.trim_end_matches('.'),
                rejection.fix()
            )));
        }
        None => None,
    };
    let aud = match (&bundle.audience, parsed) {
        (Some(a), _) => a.value.clone(),
        (None, Some(url)) => url.default_audience(),
        (None, None) => {
            return Err(RunError(format!(
                "no login URL or audience for the assertion's aud: {}, or give {}",
                bundle.how_to_give(&inputs::LOGIN_URL),
                inputs::AUDIENCE.flag
            )));
        }
    };
    let token_url = match parsed {
        Some(url) => url.token_endpoint(),
        None => crate::salesforce::hosts::parse(&aud)
            .map(|url| url.token_endpoint())
            .unwrap_or_else(|_| "https://LOGIN_HOST/services/oauth2/token".into()),
    };
    Ok((aud, token_url))
}

/// What standard error says beside the assertion: that it is a credential until its exp, why a
/// long lifetime matters, and the curl command that would post it.
fn stderr_lines(
    ready: &Ready<'_>,
    at: OffsetDateTime,
    exp: i64,
    lifetime: Lifetime,
) -> Vec<String> {
    let until = OffsetDateTime::from_unix_timestamp(exp)
        .map(rfc3339)
        .unwrap_or_else(|_| exp.to_string());
    let mut lines = Vec::new();
    if !ready.cert_checked {
        lines.push(
            "sfjwt: note: no certificate was given (--cert, or server.crt in the bundle): the key \
             was not compared with the one uploaded to the app; `sfjwt check` compares them"
                .to_string(),
        );
    }
    lines.push(format!(
        "sfjwt: warning: the assertion on standard output is a credential until its exp, {until} \
         ({lifetime} from {}): anyone who holds it can log in as {} until then. Keep it out of \
         logs, tickets and files.",
        rfc3339(at),
        ready.sub
    ));
    if lifetime.secs() > ASSERTION_LIFETIME_SECS {
        lines.push(format!(
            "sfjwt: warning: --lifetime {lifetime} is longer than the 3 minutes Salesforce \
             documents (\"within 3 minutes\"). Salesforce does not enforce that today and accepts \
             it, but the assertion can be replayed until its exp and cannot be revoked: give \
             the shortest lifetime the tool needs."
        ));
    }
    lines.push(
        "sfjwt: to exchange it for an access token, with the assertion in $ASSERTION \
         (ASSERTION=$(sfjwt mint ...)):"
            .to_string(),
    );
    lines.push(format!(
        "  curl -sS {} -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer \
         --data-urlencode \"assertion=$ASSERTION\"",
        shell_word(&ready.token_url)
    ));
    lines
}

/// A URL as one shell word: as it is when it holds only characters no shell treats specially,
/// else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || ":/._-%".contains(c);
    if s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_one_shell_word() {
        let url = "https://login.salesforce.com/services/oauth2/token";
        assert_eq!(shell_word(url), url);
        assert_eq!(shell_word("https://a.com/x y"), "'https://a.com/x y'");
        assert_eq!(shell_word("https://a.com/it's"), r"'https://a.com/it'\''s'");
    }
}
