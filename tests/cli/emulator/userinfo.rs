//! The emulator's UserInfo endpoint (`GET /services/oauth2/userinfo`), as Salesforce answers it
//! (Salesforce Help, "Query for User Information"): the token's user as JSON, or one of the
//! identity service's codes as a plain-text body (`403 Bad_OAuth_Token` for a token it does not
//! know or that was revoked).

use super::*;

/// Another org than [`ORG_ID`]: a refreshed sandbox, another org's consumer key.
pub const OTHER_ORG_ID: &str = "00D8d000009QwEr2AB";

/// What the UserInfo endpoint answers for a live token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mode {
    /// The token's user, active, in [`ORG_ID`].
    #[default]
    Normal,
    /// The same user, `"active": false`.
    InactiveUser,
    /// The user of [`OTHER_ORG_ID`].
    OtherOrg,
    /// This status and plain-text body for every request (`403`, `Bad_OAuth_Token`).
    Refuse(u16, String),
    /// A 401 JSON error whose description echoes the `Authorization` header (the token) after
    /// 180 characters, so that a cut at 200 would keep its first characters.
    Echo,
}

/// An HTTP date `secs` seconds from now.
pub fn http_date(secs: i64) -> String {
    let now = SystemTime::now();
    let at = if secs >= 0 {
        now + Duration::from_secs(secs as u64)
    } else {
        now - Duration::from_secs(secs.unsigned_abs())
    };
    httpdate::fmt_http_date(at)
}

fn plain(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "text/plain;charset=UTF-8")
}

impl Endpoint {
    pub(super) fn userinfo(&self, req: &Received) -> ResponseTemplate {
        let (mode, base) = {
            let config = self.state.config.lock().unwrap();
            (config.userinfo.clone(), self.instance_url(req, &config))
        };
        if mode == Mode::Echo {
            let sent = req.authorization.as_deref().unwrap_or("");
            return oauth_error(401, "invalid_token", &format!("{}{sent}", "x".repeat(180)));
        }
        let log = self.state.log.lock().unwrap();
        let token = req
            .authorization
            .as_deref()
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or("");
        let live = log.issued.iter().any(|t| t == token) && !log.revoked.iter().any(|t| t == token);
        let Some(user) = log.issued_for.get(token).filter(|_| live).cloned() else {
            return plain(403, "Bad_OAuth_Token");
        };
        drop(log);
        let org = match mode {
            Mode::Refuse(status, body) => return plain(status, &body),
            Mode::OtherOrg => OTHER_ORG_ID,
            _ => ORG_ID,
        };
        json_answer(
            200,
            &json!({
                "sub": format!("{base}/id/{org}/{USER_ID}"),
                "user_id": USER_ID,
                "organization_id": org,
                "preferred_username": user,
                "nickname": "integration",
                "name": "Integration User",
                "email": "integration@acme.example",
                "email_verified": true,
                "zoneinfo": "America/Los_Angeles",
                "active": mode != Mode::InactiveUser,
                "user_type": "STANDARD",
                "language": "en_US",
                "locale": "en_US",
                "utcOffset": -28_800_000,
                "urls": {"rest": format!("{base}/services/data/v{{version}}/")},
            }),
        )
    }
}
