//! Which pairs of token host and `aud` the emulated org takes, as each kind of org is reported
//! to (reference/salesforce-jwt.md §2.4): the rule is judged on the `Host` a request came to
//! through the TLS front (`login.salesforce.com`, the My Domain [`MY_DOMAIN`]).

use super::*;

const GENERIC: &str = "https://login.salesforce.com";

/// An org's rule for host and `aud`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HostRules {
    /// `aud` must be the origin the request came to (loopback, and the default).
    #[default]
    Origin,
    /// As documented: the generic host takes its own `aud`; the My Domain takes the generic
    /// `aud` or its own.
    Documented,
    /// An External Client App since Spring '26 (n8n PR#29016, simstudio PR#6508): only the My
    /// Domain as `aud`, at either host; the generic `aud` gets `app_not_found`.
    EcaMyDomainOnly,
    /// GovCloud, or an org that turned off logins through the generic hosts (restforce PR#886,
    /// simple-salesforce PR#711): only through the My Domain, with the generic `aud`; the
    /// generic host answers "user hasn't approved this consumer".
    MyDomainEndpointGenericAud,
}

impl Endpoint {
    /// The refusal of this request's host and `aud` under the org's rule, if any.
    pub(super) fn host_refusal(
        &self,
        req: &Received,
        aud: &str,
        rules: HostRules,
    ) -> Option<ResponseTemplate> {
        let host = tls::tls_host(req).map(|h| format!("https://{h}"));
        let at_my_domain = host.as_deref() == Some(MY_DOMAIN);
        let invalid = || oauth_error(400, "invalid_grant", "audience is invalid");
        match rules {
            HostRules::Origin => (aud != self.audience(req)).then(invalid),
            HostRules::Documented => {
                let ok = aud == GENERIC || (at_my_domain && aud == MY_DOMAIN);
                (!ok).then(invalid)
            }
            HostRules::EcaMyDomainOnly => match aud {
                MY_DOMAIN => None,
                GENERIC => Some(oauth_error(
                    400,
                    "app_not_found",
                    "External client app is not installed in this org",
                )),
                _ => Some(invalid()),
            },
            HostRules::MyDomainEndpointGenericAud if !at_my_domain => Some(oauth_error(
                400,
                "invalid_grant",
                "user hasn't approved this consumer",
            )),
            HostRules::MyDomainEndpointGenericAud => (aud != GENERIC).then(invalid),
        }
    }
}
