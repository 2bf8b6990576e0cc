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
