//! Reading the answer of the OpenID Connect UserInfo endpoint, `GET <instance_url>/services/
//! oauth2/userinfo` (Salesforce Help: "Query for User Information"): who the token is for, and
//! whether that user is active; or the code Salesforce's identity service refuses it with.

use super::*;

/// Where the token is tried, below the `instance_url` Salesforce returned.
pub const USERINFO_PATH: &str = "/services/oauth2/userinfo";

/// What a UserInfo answer says about the user (never the token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    /// The identity URL, `https://login.salesforce.com/id/<orgId>/<userId>`.
    pub sub: Option<String>,
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    pub preferred_username: Option<String>,
    /// `active`: false for a user that was deactivated (or frozen) after the login.
    pub active: Option<bool>,
    /// `STANDARD`, `PowerPartner`, ...
    pub user_type: Option<String>,
}

/// What a UserInfo response says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserInfoAnswer {
    /// 2xx with a JSON object.
    Info(UserInfo),
    /// An error: the code Salesforce's identity service sends as the whole plain-text body
    /// (`Bad_OAuth_Token`, `Wrong_Org`, `Inactive`, `No_Access`, ...), or the `error` /
    /// `errorCode` of a JSON body, and its description when there is one.
    Refused {
        code: Option<String>,
        description: Option<String>,
    },
    /// A 2xx that is not a JSON object.
    Unexpected,
}

/// Reads a UserInfo response.
pub fn parse_userinfo(r: &Response) -> UserInfoAnswer {
    let ok = (200..300).contains(&r.status);
    match json_value(r) {
        Some(Value::Object(obj)) if ok => UserInfoAnswer::Info(user_info(&obj)),
        Some(Value::Object(obj)) => {
            let text = |k: &str| obj.get(k).and_then(Value::as_str).map(clean);
            UserInfoAnswer::Refused {
                code: text("error").or_else(|| text("errorCode")),
                description: text("error_description").or_else(|| text("message")),
            }
        }
        // The REST API's shape: [{"message": ..., "errorCode": ...}].
        Some(Value::Array(items)) if !ok => {
            let first = items.first().and_then(Value::as_object);
            let text = |k: &str| {
                first
                    .and_then(|o| o.get(k))
                    .and_then(Value::as_str)
                    .map(clean)
            };
            UserInfoAnswer::Refused {
                code: text("errorCode"),
                description: text("message"),
            }
        }
        _ if ok => UserInfoAnswer::Unexpected,
        _ => UserInfoAnswer::Refused {
            code: plain_code(&r.body),
            description: None,
        },
    }
}

fn json_value(r: &Response) -> Option<Value> {
    let text = String::from_utf8_lossy(&r.body);
    serde_json::from_str(text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')).ok()
}

fn clean(s: &str) -> String {
    crate::text::one_line_limited(s.trim(), 200)
}

/// A body that is one identifier (`Bad_OAuth_Token`), as the identity service answers.
fn plain_code(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    let word = text.trim();
    (!word.is_empty()
        && word.len() <= 64
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then(|| word.to_string())
}

fn user_info(obj: &Map<String, Value>) -> UserInfo {
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(clean)
    };
    UserInfo {
        sub: text("sub"),
        user_id: text("user_id"),
        organization_id: text("organization_id"),
        preferred_username: text("preferred_username"),
        active: obj.get("active").and_then(Value::as_bool),
        user_type: text("user_type"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: Some("application/json;charset=UTF-8".into()),
            location: None,
            date: None,
            body: body.as_bytes().to_vec(),
            truncated: false,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn a_user_info_answer_is_read_field_by_field() {
        // The shape of Salesforce's answer (Salesforce Help, "Query for User Information").
        let body = r#"{"sub":"https://login.salesforce.com/id/00D5g000004XyZ1EAK/0055g00000ABcDeAAF",
            "user_id":"0055g00000ABcDeAAF","organization_id":"00D5g000004XyZ1EAK",
            "preferred_username":"integration@acme.com","nickname":"User1","active":true,
            "user_type":"STANDARD","urls":{"rest":"https://acme.my.salesforce.com/services/data/v{version}/"}}"#;
        let UserInfoAnswer::Info(u) = parse_userinfo(&response(200, body)) else {
            panic!("not read");
        };
        assert_eq!(u.organization_id.as_deref(), Some("00D5g000004XyZ1EAK"));
        assert_eq!(u.user_id.as_deref(), Some("0055g00000ABcDeAAF"));
        assert_eq!(
            u.preferred_username.as_deref(),
            Some("integration@acme.com")
        );
        assert_eq!(u.active, Some(true));
        assert_eq!(u.user_type.as_deref(), Some("STANDARD"));
    }

    #[test]
    fn refusals_give_their_code_in_every_shape_salesforce_uses() {
        for (status, body, code, description) in [
            (403, "Bad_OAuth_Token", Some("Bad_OAuth_Token"), None),
            (404, "Inactive\n", Some("Inactive"), None),
            (
                401,
                r#"[{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]"#,
                Some("INVALID_SESSION_ID"),
                Some("This session is not valid for use with the REST API"),
            ),
            (
                401,
                r#"{"error":"invalid_token","error_description":"expired"}"#,
                Some("invalid_token"),
                Some("expired"),
            ),
            (403, "<html>Forbidden</html>", None, None),
        ] {
            assert_eq!(
                parse_userinfo(&response(status, body)),
                UserInfoAnswer::Refused {
                    code: code.map(str::to_string),
                    description: description.map(str::to_string),
                },
                "{body}"
            );
        }
        assert_eq!(
            parse_userinfo(&response(200, "<html/>")),
            UserInfoAnswer::Unexpected
        );
    }
}
