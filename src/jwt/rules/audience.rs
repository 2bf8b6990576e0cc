//! `aud`: one string, a Salesforce login URL, the one the token is sent to.

use serde_json::{Map, Value};

use super::*;

// --- aud -------------------------------------------------------------------------------------

const AUD_FIX: &str = "Set aud to the authorization server URL as one string: https://login.salesforce.com (production), https://test.salesforce.com (sandbox), your My Domain URL (required by some External Client Apps since Spring '26; then use it as the login URL too), or the Experience Cloud site URL.";

const SPRING_26: &str = "since Spring '26, External Client Apps on some orgs reject the generic login.salesforce.com / test.salesforce.com aud with app_not_found (\"External client app is not installed in this org\"): then use the My Domain URL for both aud and the token endpoint";

pub(super) fn aud(c: &Map<String, Value>, expect: &Expectations<'_>) -> Vec<RuleResult> {
    let (mut out, aud) = match aud_present(c) {
        Ok(found) => found,
        Err(results) => return results,
    };
    let shown = crate::text::quoted(aud);
    out.push(aud_format(aud, &shown));
    let parsed_here;
    let login = match (expect.login_url_parsed, expect.login_url) {
        (Some(given), _) => Some(given),
        (None, Some(text)) => {
            parsed_here = hosts::parse_declared(text, expect.custom_domain);
            Some(&parsed_here)
        }
        (None, None) => None,
    };
    // The host the login URL declared a custom domain is that custom domain in aud too.
    let parsed = hosts::parse_as_for(aud, "aud", login.and_then(|l| l.as_ref().ok()));
    out.push(match &parsed {
        Err(rej) => fail(
            RuleId::AudSalesforce,
            if rej.names_input {
                rej.message.clone()
            } else {
                format!("aud {shown}: {}", rej.message)
            },
            match &rej.suggestion {
                Some(s) => format!("Use {s}. {AUD_FIX}"),
                None => AUD_FIX.to_string(),
            },
        ),
        Ok(url) => aud_kind(url, &shown),
    });

    out.push(aud_compared(aud, &parsed, login));
    out
}

/// `aud.present`, and `aud` as a string; every `aud` result when there is no string to judge.
fn aud_present(c: &Map<String, Value>) -> Result<(Vec<RuleResult>, &str), Vec<RuleResult>> {
    let skip_rest = |why: &str| {
        vec![
            see(RuleId::AudFormat, why, RuleId::AudPresent),
            see(RuleId::AudSalesforce, why, RuleId::AudPresent),
            see(RuleId::AudMatches, why, RuleId::AudPresent),
        ]
    };
    let Some(value) = c.get("aud") else {
        let mut v = vec![fail(
            RuleId::AudPresent,
            "there is no aud claim: Salesforce requires the authorization server URL there (audience is invalid)",
            AUD_FIX,
        )];
        v.extend(skip_rest("no aud"));
        return Err(v);
    };
    let mut out = vec![pass(RuleId::AudPresent, "aud is present")];
    let aud: &str = match value {
        Value::String(s) => s,
        Value::Array(items) => {
            let hint = match items.as_slice() {
                [Value::String(one)] => {
                    format!(" Send it as the string \"{}\".", crate::text::one_line(one))
                }
                _ => String::new(),
            };
            out.push(fail(
                RuleId::AudFormat,
                format!(
                    "aud is an array ({}); JWT allows that, but Salesforce needs one string and answers audience is invalid",
                    crate::text::one_line_json(value, false)
                ),
                format!("{AUD_FIX}{hint}"),
            ));
            out.extend(left_to_aud_format());
            return Err(out);
        }
        other => {
            out.push(fail(
                RuleId::AudFormat,
                format!("aud is {}, not a string", json_kind(other)),
                AUD_FIX,
            ));
            out.extend(left_to_aud_format());
            return Err(out);
        }
    };
    Ok((out, aud))
}

/// When aud is not one string, the rules that judge its value skip, pointing at aud.format.
fn left_to_aud_format() -> [RuleResult; 2] {
    [RuleId::AudSalesforce, RuleId::AudMatches]
        .map(|id| see(id, "aud is not a string", RuleId::AudFormat))
}

fn aud_format(aud: &str, shown: &str) -> RuleResult {
    if aud.chars().any(char::is_whitespace) || aud.is_empty() {
        fail(
            RuleId::AudFormat,
            format!(
                "aud {shown} is empty or has whitespace; Salesforce compares it exactly (audience is invalid)"
            ),
            AUD_FIX,
        )
    } else if !aud.contains("://") {
        fail(
            RuleId::AudFormat,
            format!(
                "aud {shown} is a host without a scheme; Salesforce needs the URL with https:// and answers audience is invalid"
            ),
            format!("Use https://{aud}. {AUD_FIX}"),
        )
    } else if aud.ends_with('/') {
        warn(
            RuleId::AudFormat,
            format!(
                "aud {shown} ends in a slash; working clients have sent it, but whether Salesforce always ignores it is not documented"
            ),
            format!("Use {}.", aud.trim_end_matches('/')),
        )
    } else {
        pass(
            RuleId::AudFormat,
            format!("aud {shown} is one string with its scheme"),
        )
    }
}

fn aud_compared(
    aud: &str,
    parsed: &Result<LoginUrl, hosts::Rejection>,
    login: Option<&Result<LoginUrl, hosts::Rejection>>,
) -> RuleResult {
    let Some(login) = login else {
        return skip(
            RuleId::AudMatches,
            "no login URL was given to compare aud with (--login-url)",
        );
    };
    match (login, parsed) {
        (Err(rej), _) => warn(
            RuleId::AudMatches,
            format!(
                "the login URL given can't be used, so aud was not compared with it: {}",
                rej.message
            ),
            rej.fix(),
        ),
        (_, Err(_)) => see(
            RuleId::AudMatches,
            "aud is not a Salesforce URL",
            RuleId::AudSalesforce,
        ),
        (Ok(login), Ok(aud_url)) => aud_matches(aud, aud_url, login),
    }
}

fn aud_kind(url: &LoginUrl, shown: &str) -> RuleResult {
    if !url.warnings.is_empty() {
        let problems: Vec<&str> = url.warnings.iter().map(|w| w.message.as_str()).collect();
        let fixes: Vec<&str> = url.warnings.iter().map(|w| w.fix()).collect();
        return warn(
            RuleId::AudSalesforce,
            format!(
                "aud {shown} is {}, but {}; aud should be exactly the authorization server URL",
                url.describe(),
                problems.join("; ")
            ),
            fixes.join(" "),
        );
    }
    match url.kind {
        HostKind::Production | HostKind::Sandbox => pass(
            RuleId::AudSalesforce,
            format!("aud {shown} is {}", url.describe()),
        ),
        HostKind::MyDomain
        | HostKind::MyDomainSandbox
        | HostKind::MyDomainPartition(_)
        | HostKind::ExperienceCloudSite
        | HostKind::LegacySite => pass(
            RuleId::AudSalesforce,
            format!(
                "aud {shown} is {}: accepted when the assertion is posted to that host (and required there by some External Client Apps since Spring '26)",
                url.describe()
            ),
        ),
        HostKind::Loopback => info(
            RuleId::AudSalesforce,
            format!("aud {shown} is {}: for tests only", url.describe()),
        ),
        HostKind::CustomDomain | HostKind::CustomDomainSite => info(
            RuleId::AudSalesforce,
            format!(
                "aud {shown} is {}, as declared for the login URL: sfjwt can't verify offline that Salesforce accepts it (--live shows it)",
                url.describe()
            ),
        ),
        HostKind::LegacyInstance
        | HostKind::LegacySandboxInstance
        | HostKind::UnrecognisedSalesforce => warn(
            RuleId::AudSalesforce,
            format!(
                "aud {shown} is {}, not an authorization server Salesforce documents as an aud",
                url.describe()
            ),
            AUD_FIX,
        ),
    }
}

fn aud_matches(aud: &str, aud_url: &LoginUrl, login: &LoginUrl) -> RuleResult {
    let base = aud_url.base_url();
    let accepted = login.accepted_audiences();
    let default = login.default_audience();
    let login_shown = login.base_url();
    let normalised = aud.trim_end_matches('/');
    if normalised == default || base == default {
        let note = if login.kind.is_generic() {
            "; if an External Client App answers app_not_found, use the My Domain URL for both aud and the login URL (a Spring '26 change)".to_string()
        } else {
            String::new()
        };
        return pass(
            RuleId::AudMatches,
            format!("aud is the audience of the login URL {login_shown}{note}"),
        );
    }
    if accepted.iter().any(|a| a == normalised || *a == base) {
        return info_fix(
            RuleId::AudMatches,
            format!(
                "aud {} is the generic host of the login URL's environment, which Salesforce accepts with {login_shown}; but {SPRING_26}",
                crate::text::quoted(aud)
            ),
            format!("If Salesforce answers app_not_found, use {default} as aud."),
        );
    }
    let fix = format!(
        "Use {default} as aud when posting to {}, or change the login URL to the server the aud names.",
        login.token_endpoint()
    );
    let (ae, le) = (effective_environment(aud_url), effective_environment(login));
    if ae != Environment::Unknown && le != Environment::Unknown && ae != le {
        return fail(
            RuleId::AudMatches,
            format!(
                "aud {} is a {ae} audience, but the login URL {login_shown} is a {le} host: Salesforce answers audience is invalid",
                crate::text::quoted(aud)
            ),
            fix,
        );
    }
    if aud_url.kind.is_generic() || login.kind.is_generic() {
        return warn(
            RuleId::AudMatches,
            format!(
                "aud {} names another server than the login URL {login_shown}; Salesforce expects the aud to name the server the assertion is posted to, and mixed pairs work only on some orgs",
                crate::text::quoted(aud)
            ),
            fix,
        );
    }
    fail(
        RuleId::AudMatches,
        format!(
            "aud {} names another org or site than the login URL {login_shown}: Salesforce answers audience is invalid",
            crate::text::quoted(aud)
        ),
        fix,
    )
}

fn effective_environment(url: &LoginUrl) -> Environment {
    match url.kind {
        HostKind::Loopback => Environment::Unknown,
        _ => url.environment,
    }
}
