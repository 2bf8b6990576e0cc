//! What a check needs from its bundle, or the skip that says why it cannot run: each function
//! hands out one typed input, so a check's `run` asks for its inputs with `?`.

use super::{Skip, cert::CERT_PARSE, key::KEY_PARSE, login_url::LOGIN_URL_HOST};
use crate::bundle::cert::CertificateFile;
use crate::bundle::config::ConfigError;
use crate::bundle::inputs;
use crate::bundle::key::PrivateKey;
use crate::bundle::{Bundle, Loaded, ParsedLoginUrl, Secret, Setting};
use crate::salesforce::app_metadata::Chosen;
use crate::salesforce::hosts::LoginUrl;

/// The bundle directory's `sfjwt.toml`: the path it was read from, or why it did not read;
/// without one, a skip (config.parse is then not reported).
pub fn config(bundle: &Bundle) -> Result<&Result<std::path::PathBuf, ConfigError>, Skip> {
    bundle
        .config
        .as_ref()
        .ok_or_else(|| Skip::new("the bundle has no sfjwt.toml"))
}

/// The decoded private key; missing, it skips with the reason gathering gave; unreadable or
/// invalid, "the key did not read (see key.parse)".
pub fn key(bundle: &Bundle) -> Result<&PrivateKey, Skip> {
    match &bundle.key.state {
        Loaded::Ok(key) => Ok(key),
        Loaded::Missing(_) | Loaded::NotInBundle(_) => Err(absent_key()),
        Loaded::Unreadable(_) | Loaded::Invalid(_) => {
            Err(Skip::see("the key did not read", &KEY_PARSE))
        }
    }
}

/// The skip of a check that needs the private key when there is none: key.parse says why.
pub fn absent_key() -> Skip {
    Skip::see("there is no private key", &KEY_PARSE)
}

/// The decoded certificate file; missing, it skips with the reason gathering gave; unreadable
/// or invalid, "the certificate did not read (see cert.parse)".
pub fn cert(bundle: &Bundle) -> Result<&CertificateFile, Skip> {
    match &bundle.cert.state {
        Loaded::Ok(file) => Ok(file),
        Loaded::Missing(_) | Loaded::NotInBundle(_) => {
            Err(Skip::see("there is no certificate", &CERT_PARSE))
        }
        Loaded::Unreadable(_) | Loaded::Invalid(_) => {
            Err(Skip::see("the certificate did not read", &CERT_PARSE))
        }
    }
}

/// The username as given; missing, "no username was given: pass --username, ...".
pub fn username(bundle: &Bundle) -> Result<&Setting, Skip> {
    bundle
        .username
        .as_ref()
        .ok_or_else(|| missing(bundle, &inputs::USERNAME))
}

/// The consumer key as given; missing, "no consumer key was given: pass --consumer-key, ...".
pub fn consumer_key(bundle: &Bundle) -> Result<&Setting, Skip> {
    bundle
        .consumer_key
        .as_ref()
        .ok_or_else(|| missing(bundle, &inputs::CONSUMER_KEY))
}

/// The login URL as given; missing, "no login URL was given: pass --login-url, ...".
pub fn login_url(bundle: &Bundle) -> Result<&Setting, Skip> {
    bundle
        .login_url
        .as_ref()
        .ok_or_else(|| missing(bundle, &inputs::LOGIN_URL))
}

/// The login URL as given and as validated once by gathering (its typed value, or why it
/// cannot be used); missing, as [`login_url`].
pub fn login_url_parsed(bundle: &Bundle) -> Result<(&Setting, &ParsedLoginUrl), Skip> {
    let setting = login_url(bundle)?;
    let parsed = bundle
        .login_url_parsed()
        .ok_or_else(|| Skip::missing(&inputs::LOGIN_URL))?;
    Ok((setting, parsed))
}

/// The login URL's typed value, when login-url.host accepted it; missing, as [`login_url`];
/// rejected, "the login URL can't be used (see login-url.host)". Checks with their own words
/// for either case ask [`login_url`] first and map the error.
pub fn accepted_login_url(bundle: &Bundle) -> Result<&LoginUrl, Skip> {
    match login_url_parsed(bundle)? {
        (_, Ok(url)) => Ok(url),
        (_, Err(_)) => Err(Skip::see("the login URL can't be used", &LOGIN_URL_HOST)),
    }
}

/// The app chosen from the retrieved metadata; without metadata, how to give it; when the
/// metadata did not read or no app could be chosen, why (app.consumer-key reports it).
pub fn app(bundle: &Bundle) -> Result<&Chosen, Skip> {
    let input = bundle
        .app
        .as_ref()
        .ok_or_else(|| Skip::missing(&inputs::APP_METADATA))?;
    input
        .state
        .as_ref()
        .map_err(|problem| Skip::new(problem.to_string()))
}

/// The consumer secret; missing, `why` says what it would have been for (and why it is
/// missing, when the variable sfjwt.toml names for it is not set).
pub fn consumer_secret<'a>(bundle: &'a Bundle, why: &str) -> Result<&'a Secret, Skip> {
    bundle.consumer_secret.as_ref().ok_or_else(|| {
        match bundle.unset_hint(&inputs::CONSUMER_SECRET) {
            Some(hint) => Skip::new(format!("{why}: {hint}")),
            None => Skip::new(why),
        }
    })
}

/// A plain input that is not there: "sfjwt.toml names $VAR for the username, but it is not
/// set" when that is why, else how to give it.
fn missing(bundle: &Bundle, spec: &inputs::InputSpec) -> Skip {
    match bundle.unset_hint(spec) {
        Some(hint) => Skip::new(hint),
        None => Skip::missing(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::key::KeyError;
    use crate::bundle::source::ReadError;

    #[test]
    fn skips_say_what_is_missing_and_which_check_judged_a_broken_input() {
        let mut b = Bundle::empty("t");
        assert_eq!(
            key(&b).unwrap_err().0,
            "there is no private key (see key.parse)"
        );
        assert_eq!(
            cert(&b).unwrap_err().0,
            "there is no certificate (see cert.parse)"
        );
        assert_eq!(
            username(&b).unwrap_err().0,
            "no username was given: pass --username, set $SFJWT_USERNAME, or put username or username_env in sfjwt.toml"
        );
        assert_eq!(
            consumer_key(&b).unwrap_err().0,
            "no consumer key was given: pass --consumer-key, set $SFJWT_CONSUMER_KEY, or put consumer_key or consumer_key_env in sfjwt.toml"
        );
        assert_eq!(
            login_url(&b).unwrap_err().0,
            "no login URL was given: pass --login-url, set $SFJWT_LOGIN_URL, or put login_url or login_url_env in sfjwt.toml"
        );
        assert!(
            accepted_login_url(&b)
                .unwrap_err()
                .0
                .starts_with("no login URL was given")
        );
        b.login_url = Some(Setting::new(
            "https://acme.lightning.force.com",
            crate::bundle::Origin::Flag("--login-url"),
        ));
        assert_eq!(
            accepted_login_url(&b).unwrap_err().0,
            "the login URL can't be used (see login-url.host)"
        );
        b.key.state = Loaded::Invalid(KeyError::Empty);
        assert_eq!(
            key(&b).unwrap_err().0,
            "the key did not read (see key.parse)"
        );
        b.cert.state = Loaded::Unreadable(ReadError::NotFound);
        assert_eq!(
            cert(&b).unwrap_err().0,
            "the certificate did not read (see cert.parse)"
        );
    }
}
