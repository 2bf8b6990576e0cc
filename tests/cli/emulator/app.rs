//! The emulator as one app would answer: [`Emulator::for_app`] loads retrieved app metadata
//! (fixtures/app/*) with sfjwt's own reader, so a test ties the offline verdict of the app.*
//! checks to what the token endpoint then does.
//!
//! How Salesforce answers for each setting, per reference/salesforce-jwt.md:
//! - another certificate (or none: the JWT Bearer flow is off): `invalid_grant` / `invalid
//!   assertion`, as for any signature that does not verify (for no certificate at all the exact
//!   answer is UNCONFIRMED);
//! - another consumer key, or OAuth off: `invalid_client_id` / `client identifier invalid` (for
//!   OAuth off UNCONFIRMED);
//! - no `refresh_token` scope: `invalid_request` / `refresh_token scope is required and the
//!   connected app should be installed and preauthorized.` (seen live);
//! - "All users may self-authorize" (no user of the emulator ever approved interactively), or
//!   admin-approved with no profile or permission set: `user hasn't approved this consumer`;
//! - "Introspect all Tokens" off: introspection answers `{"active":false}`.

use super::{APPROVED, CONSUMER_SECRET, Emulator, User, spki_of};
use sfjwt::salesforce::app_metadata::{self, judge};

impl Emulator {
    /// An emulator whose app is the one of the metadata at `dir` (relative to the crate): the
    /// only app there, or the one with the fixtures' consumer key.
    pub fn for_app(dir: &str) -> Emulator {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let apps = app_metadata::read(&path).expect("the app metadata reads");
        let app = app_metadata::choose(apps, None, Some(super::CONSUMER_KEY))
            .expect("one app")
            .app;
        let emu = Emulator::start();
        {
            let mut config = emu.config();
            config.consumer_key = match app.oauth_enabled {
                Some(false) => String::new(),
                _ => app.consumer_key.clone().unwrap_or_default(),
            };
            config.spki = app
                .certificate_pem
                .as_deref()
                .map(|text| {
                    // A bare base64 body (as some deploy tools write it) is PEM without its lines.
                    let pem = if text.contains("-----BEGIN") {
                        text.to_string()
                    } else {
                        format!(
                            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                            text.trim()
                        )
                    };
                    spki_of(pem.as_bytes())
                })
                .unwrap_or_default();
            config.consumer_secret = app
                .consumer_secret
                .as_ref()
                .map_or(CONSUMER_SECRET, |s| s.expose())
                .to_string();
            config.introspect_all_tokens = app.introspect_all_tokens == Some(true);
            let scopes: Vec<String> = app.scopes.iter().map(|s| judge::oauth_scope(s)).collect();
            config.scope = scopes.join(" ");
            if !scopes
                .iter()
                .any(|s| s == "refresh_token" || s == "offline_access")
            {
                config.grant_refusal = Some((
                    "invalid_request",
                    "refresh_token scope is required and the connected app should be installed and preauthorized.",
                ));
            }
            let approved = app.admin_approved == Some(true)
                && !(app.profiles.is_empty() && app.permission_sets.is_empty());
            if !approved {
                config.users.insert(APPROVED.to_string(), User::NotApproved);
            }
        }
        emu
    }
}
