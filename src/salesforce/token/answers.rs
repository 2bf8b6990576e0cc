//! Reading the token endpoint's answers: the issued token (a credential, never shown), the
//! error bodies, and the introspection answer.

use super::*;

/// The access token the endpoint issued. It is a credential: `Debug` never shows it, and only
/// [`AccessToken::expose`] gives it, to the code that introspects and revokes it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// `sha256:` and 12 hex digits: enough to compare with a token seen elsewhere.
    pub fn fingerprint(&self) -> String {
        crate::fingerprint::fingerprint(self.0.as_bytes())
    }
    /// `jwt` when the org issues JWT-based access tokens, `opaque` for the classic `00D…!…`.
    pub fn kind(&self) -> &'static str {
        if self.0.split('.').count() == 3 && !self.0.contains('!') {
            "jwt"
        } else {
            "opaque"
        }
    }
}

impl Drop for AccessToken {
    /// Wiped when dropped (reqwest's own buffers that carried it are out of reach).
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken(<redacted>)")
    }
}

/// What a successful exchange leaves for the checks after it (introspection, revocation): the
/// token, where it came from, and the assertion that was sent, so every text can be scrubbed of
/// both. `Debug` shows neither.
pub struct Session {
    pub access_token: AccessToken,
    /// The login URL the token came from (origin and site path): introspection and revocation
    /// go there, never to the `instance_url` of the answer.
    pub base_url: String,
    pub loopback: bool,
    pub assertion: String,
    /// The bundle's time for `--live`, started by the exchange: introspection and revocation
    /// take their bounds from what is left of it.
    pub budget: Budget,
    /// What the token answer said of itself (scrubbed): where the org's API is, whose token it
    /// is, and its scopes. token.usable tries the token at `instance_url`.
    pub instance_url: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub scope: Option<String>,
}

impl Session {
    /// The session of a token `issued` at the login URL `url` (see [`Session::base_url`]) for
    /// `assertion`, with the bundle's `budget`.
    pub fn of(
        issued: Issued,
        url: &crate::salesforce::hosts::LoginUrl,
        assertion: String,
        budget: Budget,
    ) -> Self {
        Session {
            base_url: url.base_url(),
            loopback: url.is_loopback(),
            assertion,
            budget,
            instance_url: issued.instance_url,
            org_id: issued.org_id,
            user_id: issued.user_id,
            scope: issued.scope,
            access_token: issued.access_token,
        }
    }
}

impl Drop for Session {
    /// The assertion is a credential until its `exp`: wiped when the session is dropped.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.assertion);
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("loopback", &self.loopback)
            .finish_non_exhaustive()
    }
}

/// A token response with an access token (salesforce-jwt.md §2.11).
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub access_token: AccessToken,
    pub instance_url: Option<String>,
    /// The identity URL, `https://login.salesforce.com/id/<orgId>/<userId>`.
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub user_id: Option<String>,
    pub scope: Option<String>,
    pub token_type: Option<String>,
    /// Fields Salesforce does not send in a JWT bearer response (`refresh_token`, ...).
    pub unexpected: Vec<String>,
}

/// What a token endpoint response says.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenAnswer {
    /// 2xx with an access token.
    Issued(Box<Issued>),
    /// A JSON body with `error` and/or `error_description`.
    OAuthError {
        error: Option<String>,
        description: Option<String>,
    },
    /// 3xx.
    Redirect { location: Option<String> },
    /// 2xx JSON object without an access token: the names of the fields it had.
    NoToken { fields: Vec<String> },
    /// A body that is not a JSON object (HTML, text, empty, cut short, invalid JSON).
    NotJson { reason: NotJson },
}

/// Why a body is not the JSON the endpoint sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotJson {
    Empty,
    Html,
    /// It starts like JSON but does not parse: cut short or invalid.
    InvalidJson,
    /// JSON, but not an object.
    NotAnObject,
    /// Something else (text, binary).
    Other,
}

/// Reads a token endpoint response.
pub fn parse_token_response(r: &Response) -> TokenAnswer {
    if (300..400).contains(&r.status) {
        return TokenAnswer::Redirect {
            location: r.location.clone(),
        };
    }
    let obj = match json_object(r) {
        Ok(obj) => obj,
        Err(reason) => return TokenAnswer::NotJson { reason },
    };
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let error = text("error");
    let description = text("error_description");
    if let (Some(token), true) = (text("access_token"), (200..300).contains(&r.status)) {
        let id = text("id");
        let (org_id, user_id) = id
            .as_deref()
            .and_then(identity_ids)
            .map_or((None, None), |(o, u)| (Some(o), Some(u)));
        let unexpected = obj
            .keys()
            .filter(|k| {
                !matches!(
                    k.as_str(),
                    "access_token"
                        | "instance_url"
                        | "id"
                        | "scope"
                        | "token_type"
                        | "issued_at"
                        | "signature"
                        | "api_instance_url"
                        | "sfdc_community_url"
                        | "sfdc_community_id"
                )
            })
            .cloned()
            .collect();
        return TokenAnswer::Issued(Box::new(Issued {
            access_token: AccessToken::new(token),
            instance_url: text("instance_url"),
            id,
            org_id,
            user_id,
            scope: text("scope"),
            token_type: text("token_type"),
            unexpected,
        }));
    }
    if error.is_some() || description.is_some() {
        return TokenAnswer::OAuthError { error, description };
    }
    TokenAnswer::NoToken {
        fields: obj.keys().cloned().collect(),
    }
}

/// The body as a JSON object, or why it is not one.
pub fn json_object(r: &Response) -> Result<Map<String, Value>, NotJson> {
    let text = String::from_utf8_lossy(&r.body);
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.is_empty() {
        return Err(NotJson::Empty);
    }
    let ct = r.content_type.as_deref().unwrap_or("").to_ascii_lowercase();
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(NotJson::NotAnObject),
        Err(_) if trimmed.starts_with('{') || trimmed.starts_with('[') || ct.contains("json") => {
            Err(NotJson::InvalidJson)
        }
        Err(_) if trimmed.starts_with('<') || ct.contains("html") => Err(NotJson::Html),
        Err(_) => Err(NotJson::Other),
    }
}

/// The org id and user id of an identity URL, `https://login.salesforce.com/id/<orgId>/<userId>`
/// (15- or 18-character Salesforce ids). `None` for anything else.
pub fn identity_ids(id_url: &str) -> Option<(String, String)> {
    let url = url::Url::parse(id_url.trim()).ok()?;
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let [.., "id", org, user] = segments.as_slice() else {
        return None;
    };
    let is_id =
        |s: &str| matches!(s.len(), 15 | 18) && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (is_id(org) && is_id(user)).then(|| (org.to_string(), user.to_string()))
}

/// What an introspection response says.
#[derive(Debug, Clone, PartialEq)]
pub enum IntrospectAnswer {
    /// `{"active": true, ...}`: the other fields (never the token).
    Active(Map<String, Value>),
    /// `{"active": false}`.
    Inactive,
    /// A JSON error body.
    OAuthError {
        error: Option<String>,
        description: Option<String>,
    },
    /// Anything else.
    Unexpected,
}

/// Reads an introspection response (RFC 7662).
pub fn parse_introspection(r: &Response) -> IntrospectAnswer {
    let Ok(obj) = json_object(r) else {
        return IntrospectAnswer::Unexpected;
    };
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (error, description) = (text("error"), text("error_description"));
    if error.is_some() || description.is_some() {
        return IntrospectAnswer::OAuthError { error, description };
    }
    match (r.status, obj.get("active")) {
        (200..=299, Some(Value::Bool(true))) => IntrospectAnswer::Active(obj),
        (200..=299, Some(Value::Bool(false))) => IntrospectAnswer::Inactive,
        _ => IntrospectAnswer::Unexpected,
    }
}
