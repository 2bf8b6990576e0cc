//! The seven setup steps of the JWT Bearer flow (`reference/setup-guide.txt`), declared once:
//! checks name the steps they cover, the text report groups by them, `explain` and the docs name
//! them.

use serde::{Serialize, Serializer};

/// One setup step of the guide. The number is the contract (JSON `steps`, the catalog's `steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, strum::EnumIter)]
#[repr(u8)]
pub enum Step {
    /// 1: an RSA private key and a self-signed certificate, made with OpenSSL.
    KeyAndCert = 1,
    /// 2: the External Client App, with the certificate uploaded.
    App = 2,
    /// 3: the app's consumer key and secret.
    ConsumerKeyAndSecret = 3,
    /// 4: the app's policies, which pre-authorize the user.
    Policies = 4,
    /// 5: the authorization server (login) URL.
    LoginUrl = 5,
    /// 6: the username the JWT acts for.
    Username = 6,
    /// 7: the signed assertion and the token request.
    Assertion = 7,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 7] = [
        Step::KeyAndCert,
        Step::App,
        Step::ConsumerKeyAndSecret,
        Step::Policies,
        Step::LoginUrl,
        Step::Username,
        Step::Assertion,
    ];

    /// Its number in the setup guide, 1-7.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The step with this number.
    pub fn from_number(n: u8) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.number() == n)
    }

    /// What the step is about, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Step::KeyAndCert => "Private key and certificate (OpenSSL)",
            Step::App => "External Client App and its certificate",
            Step::ConsumerKeyAndSecret => "Consumer key and secret",
            Step::Policies => "Policies: pre-authorized users",
            Step::LoginUrl => "Authorization server URL",
            Step::Username => "Username",
            Step::Assertion => "Assertion and token request",
        }
    }

    /// What the user did in the step and what goes wrong there, for docs/troubleshooting.md.
    pub fn story(self) -> &'static str {
        match self {
            Step::KeyAndCert => {
                "You made `server.key`, an RSA private key, and from it the self-signed `server.crt` \
                  with OpenSSL. What goes wrong here: the key is encrypted and no passphrase was given, \
                  it was damaged on its way (copy and paste, a secret store that turned line breaks into \
                  `\\n`), it is too short, or it is not the key the certificate was made from; the \
                  certificate expired or is signed with SHA-1."
            }
            Step::App => {
                "You created the External Client App (OAuth on, the `api` and `refresh_token` scopes, \
                  JWT Bearer Flow on) and uploaded `server.crt` to it. What goes wrong here: another \
                  certificate was uploaded than the one whose key signs (a new key made later, a \
                  certificate of another environment), or the app was created in another org than the \
                  one the user logs in to."
            }
            Step::ConsumerKeyAndSecret => {
                "You copied the Consumer Key, which becomes the assertion's `iss`, and the Consumer \
                  Secret, which the JWT grant does not use (sfjwt uses it only to introspect the token \
                  with `--live`). What goes wrong here: the secret pasted where the key goes, a key cut \
                  short or with quotes or spaces around it, the key of another app."
            }
            Step::Policies => {
                "In the app's policies you chose \"Admin approved users are pre-authorized\" and added \
                  the profiles or permission sets of the user. No offline check can see these settings: \
                  the error Salesforce returns, or `sfjwt check --live`, tells whether they are right."
            }
            Step::LoginUrl => {
                "You chose the authorization server URL: `https://login.salesforce.com` for \
                  production, `https://test.salesforce.com` for a sandbox, the org's My Domain, or an \
                  Experience Cloud site. The assertion is posted to it, and it is the assertion's \
                  `aud`. What goes wrong here: a sandbox host with a production user or the other way \
                  round, a Lightning or Visualforce host, `http://`, a typo, the guide's placeholder \
                  (`site.force.com/customers`) pasted as it is, or the org's custom domain not \
                  declared as one (`--custom-domain login|site`, `custom_domain` in sfjwt.toml)."
            }
            Step::Username => {
                "You chose the username, the assertion's `sub`, of a user whose profile or permission \
                  set is authorized for the app, in the org of the login URL. What goes wrong here: a \
                  sandbox username without its sandbox suffix (or with one on production), an email \
                  address instead of the username, a deactivated user."
            }
            Step::Assertion => {
                "You (or the tool you configure) built the assertion (RS256, `iss`, `sub`, `aud`, an \
                  `exp` a few minutes ahead) and posted it to `/services/oauth2/token` with the JWT \
                  Bearer grant type. `sfjwt check` mints a test assertion the way Salesforce wants it; \
                  `sfjwt decode` lints one your tool made."
            }
        }
    }
}

/// Steps by number in words: `4 (Policies: pre-authorized users), 6 (Username)`.
pub fn in_words(steps: &[u8]) -> String {
    if steps.is_empty() {
        return "none known".to_string();
    }
    steps
        .iter()
        .map(|&n| {
            format!(
                "{n} ({})",
                Step::from_number(n).map_or("Other", Step::title)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.number())
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_one_to_seven_in_order() {
        let numbers: Vec<u8> = Step::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
        for s in Step::ALL {
            assert_eq!(Step::from_number(s.number()), Some(s));
        }
        assert_eq!(Step::from_number(0), None);
        assert_eq!(Step::from_number(8), None);
        assert_eq!(serde_json::to_string(&Step::Username).unwrap(), "6");
    }
}
