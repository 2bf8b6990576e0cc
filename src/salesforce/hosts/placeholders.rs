//! Placeholders: the example values of the setup guide and of Salesforce's docs that people paste
//! verbatim, where their org's own URL goes. Declared once, here.

use super::*;

/// How a placeholder shows in a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pattern {
    /// The whole host.
    Host(&'static str),
    /// A label of the host, or either part of a `<name>--<sandbox>` label (the last label, the
    /// top-level domain, is never one).
    Label(&'static str),
}

/// A placeholder, and where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placeholder {
    pub(super) pattern: Pattern,
    /// Where people copy it from, for the message.
    pub(super) source: &'static str,
}

/// Every placeholder sfjwt knows (setup-guide.txt Step 5; salesforce-jwt.md §2.4, §2.10, §3.4).
pub(super) const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        pattern: Pattern::Host("site.force.com"),
        source: "the setup guide (Step 5: site.force.com/customers) and Salesforce's JWT Bearer flow doc (https://site.force.com/customers as the aud of an Experience Cloud site)",
    },
    Placeholder {
        pattern: Pattern::Label("mydomainname"),
        source: "Salesforce's docs (MyDomainName.my.salesforce.com, MyDomainName.my.site.com, MyDomainName--SandboxName.sandbox.my.salesforce.com)",
    },
    Placeholder {
        pattern: Pattern::Label("sandboxname"),
        source: "Salesforce's docs (MyDomainName--SandboxName.sandbox.my.salesforce.com)",
    },
    Placeholder {
        pattern: Pattern::Label("mycompany"),
        source: "Salesforce's OAuth Endpoints doc (https://MyCompany.my.salesforce.com)",
    },
    Placeholder {
        pattern: Pattern::Label("mydomain"),
        source: "guides that write <MyDomain>.my.salesforce.com",
    },
    Placeholder {
        pattern: Pattern::Label("yourinstance"),
        source: "Salesforce's docs (https://yourInstance.salesforce.com)",
    },
    Placeholder {
        pattern: Pattern::Label("yourdomain"),
        source: "guides that write yourdomain.my.salesforce.com",
    },
    Placeholder {
        pattern: Pattern::Label("your-domain"),
        source: "guides that write your-domain.my.salesforce.com",
    },
    Placeholder {
        pattern: Pattern::Label("xxx"),
        source: "answers that write https://XXX.force.com",
    },
];

/// The placeholder a lower-case host is (or has in it), if any.
pub(super) fn placeholder_in(host: &str) -> Option<&'static Placeholder> {
    let labels: Vec<&str> = host.split('.').collect();
    let inner = &labels[..labels.len().saturating_sub(1)];
    let has_label = |word: &str| {
        inner
            .iter()
            .flat_map(|l| l.split("--"))
            .any(|part| part == word)
    };
    PLACEHOLDERS.iter().find(|p| match p.pattern {
        Pattern::Host(h) => host == h,
        Pattern::Label(word) => has_label(word),
    })
}

/// Where the org's own URL is found, for every placeholder's fix.
pub(super) const WHERE_TO_FIND: &str = "Put your org's own URL there: Setup > My Domain shows the org's My Domain URL (https://<name>.my.salesforce.com, sandboxes https://<name>--<sandbox>.sandbox.my.salesforce.com); for an Experience Cloud site, Setup > Digital Experiences > All Sites shows the site's URL (https://<name>.my.site.com/<path>).";

/// The rejection of a host that is a placeholder.
pub(super) fn placeholder_host(host: &str, p: &Placeholder) -> Rejection {
    let what = match p.pattern {
        Pattern::Host(_) => host.to_string(),
        Pattern::Label(word) => format!("{host} (\"{word}\")"),
    };
    reject(
        RejectionCode::Placeholder,
        format!(
            "{what} is a placeholder from {}, not a real login host: it stands for your org's own URL",
            p.source
        ),
        WHERE_TO_FIND,
    )
}

/// `<name>`, `<your domain>`, `<sitePath>`: a value with a placeholder in angle brackets.
pub(super) fn bracketed(input: &str) -> Option<&str> {
    let start = input.find('<')?;
    let len = input[start..].find('>')?;
    Some(&input[start..=start + len])
}
