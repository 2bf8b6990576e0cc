//! username.format, username.environment: the username the JWT acts for (setup step 6).

use super::login_url::LOGIN_URL_HOST;
use super::{Check, Docs, Group, Scratch, Skip, require};
use crate::bundle::{Bundle, Origin, inputs};
use crate::context::Context;
use crate::finding::{Judgement, Outcome, Status};
use crate::salesforce::identity::{
    assess_username, assess_username_environment, sandbox_suffix, split_username,
};
use crate::steps::Step;

pub static USERNAME_FORMAT: Check = Check {
    id: "username.format",
    title: "Username shape",
    steps: &[Step::Username],
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
    steps: &[Step::LoginUrl, Step::Username],
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

pub(super) fn into_outcome(a: Judgement) -> Outcome {
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
pub(super) fn from(mut out: Outcome, origin: &Origin) -> Outcome {
    let shown = origin.to_string();
    if out.status != Status::Skip {
        out.message = format!("{} (from {shown})", out.message);
    }
    super::key::file_evidence(out.with("source", shown), origin)
}

fn run_username_format(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let setting = require::username(bundle)?;
    let value = &setting.value;
    let mut out = from(into_outcome(assess_username(value)), &setting.origin)
        .with("username", value.as_str())
        .with("length", value.chars().count());
    if let Some(parts) = split_username(value)
        && let Some(s) = sandbox_suffix(parts.domain)
    {
        out = out.with("suffix", s);
    }
    Ok(out)
}

fn run_username_environment(
    bundle: &Bundle,
    _ctx: &Context,
    _scratch: &mut Scratch,
) -> Result<Outcome, Skip> {
    let user = require::username(bundle)?;
    let login = bundle.login_url.as_ref().ok_or_else(|| {
        Skip::new(format!(
            "no login URL was given, so there is no environment to compare the username with: {}",
            bundle.how_to_give(&inputs::LOGIN_URL)
        ))
    })?;
    if assess_username(&user.value).status == Status::Fail {
        return Err(Skip::see(
            "the username doesn't have the shape of a username",
            &USERNAME_FORMAT,
        ));
    }
    let url = match bundle.login_url_parsed() {
        Some(Ok(url)) => url,
        _ => {
            return Err(Skip::see(
                "the login URL can't be used, so its environment is unknown",
                &LOGIN_URL_HOST,
            ));
        }
    };
    let mut out = from(
        into_outcome(assess_username_environment(&user.value, url)),
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
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Origin, Setting};

    use crate::checks::testing::{run, with_user, with_user_and_url};

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
    fn docs_are_complete() {
        for c in [
            &USERNAME_FORMAT,
            &USERNAME_ENVIRONMENT,
            &crate::checks::login_url::LOGIN_URL_HOST,
        ] {
            for text in [c.docs.passes_when, c.docs.what, c.docs.why, c.docs.fix] {
                assert!(text.trim().len() > 20, "{}", c.id);
            }
            assert!(c.docs.references.len() >= 3, "{}", c.id);
            assert!(crate::checks::find(c.id).is_some(), "{}", c.id);
        }
    }
}
