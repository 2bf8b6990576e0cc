//! Hosts that are not Salesforce's: typos of its hosts, look-alikes, and the rest.

use super::classify::classify_host;
use super::*;

pub(super) fn typo(host: &str, suggestion: &str) -> Rejection {
    reject(
        RejectionCode::Typo,
        format!("{host} is not a Salesforce host; did you mean {suggestion}?"),
        format!(
            "Fix the spelling: {suggestion}. (A misspelt host can answer with a parking page instead of a token.)"
        ),
    )
    .with_suggestion(Some(suggestion.to_string()))
}

/// `logn` → `login`, `tset` → `test`.
pub(super) fn login_label_typo(label: &str) -> Option<&'static str> {
    if label != "login" && label.len() >= 3 && edit_distance(label, "login") <= 2 {
        Some("login")
    } else if label != "test" && label.len() >= 3 && edit_distance(label, "test") <= 1 {
        Some("test")
    } else {
        None
    }
}

/// A host under no Salesforce domain: a typo, a look-alike, or something else entirely.
pub(super) fn not_salesforce(host: &str) -> Rejection {
    let labels: Vec<&str> = host.split('.').collect();
    if let Some(s) = typo_suggestion(&labels) {
        return typo(host, &s);
    }
    let registrable = if labels.len() >= 2 {
        labels[labels.len() - 2..].join(".")
    } else {
        host.to_string()
    };
    let looks = ["salesforce", "force", "sfdc", "my.site"]
        .iter()
        .any(|w| host.contains(w));
    // A company's own domain may name Salesforce in a subdomain (salesforce.acme.com), never in
    // the domain it registered (login-salesforce.com) or by embedding Salesforce's
    // (login.salesforce.com.acme.com): those are look-alikes only.
    let owned_by_other = ["salesforce", "force", "sfdc", "site"]
        .iter()
        .any(|w| registrable.contains(w))
        || SALESFORCE_DOMAIN_WORDS
            .iter()
            .any(|d| host.contains(&format!("{d}.")));
    if looks {
        let mut r = reject(
            RejectionCode::LookAlike,
            format!(
                "{host} only looks like a Salesforce host: it belongs to {registrable}, not to Salesforce"
            ),
            format!("Never send an assertion there. Use one of: {LOGIN_HOSTS_HINT}."),
        );
        r.custom_domain_possible = !owned_by_other;
        return r;
    }
    let mut r = reject(
        RejectionCode::NotSalesforce,
        format!("{host} is not a Salesforce login host, and no custom domain was declared"),
        format!("Use one of: {LOGIN_HOSTS_HINT}."),
    );
    r.custom_domain_possible = true;
    r
}

/// Salesforce's domains, as they show inside a look-alike (`login.salesforce.com.acme.com`).
const SALESFORCE_DOMAIN_WORDS: &[&str] = &["salesforce.com", "force.com", "my.site.com"];

/// Guesses the Salesforce host meant by a misspelt one (`login.saleforce.com`,
/// `login.salesforce.co`, `test.saslesforce.com`).
fn typo_suggestion(labels: &[&str]) -> Option<String> {
    for (i, label) in labels.iter().enumerate() {
        let tail = &labels[i + 1..];
        if tail.len() > 2 || (tail.len() == 2 && tail[0] == "com") {
            continue;
        }
        let head = &labels[..i];
        let close =
            |target: &str, max: usize| label.len() >= 3 && edit_distance(label, target) <= max;
        let replacement = if !head.is_empty()
            && label.starts_with("my")
            && edit_distance(label[2..].trim_start_matches('-'), "salesforce") <= 1
        {
            "my.salesforce.com"
        } else if close("salesforce", 2) {
            "salesforce.com"
        } else if close("force", 1) && tail == ["com"] {
            "force.com"
        } else {
            continue;
        };
        let mut fixed: Vec<String> = head.iter().map(|s| s.to_string()).collect();
        if replacement == "salesforce.com"
            && let [only] = fixed.as_mut_slice()
            && let Some(l) = login_label_typo(only)
        {
            *only = l.to_string();
        }
        fixed.push(replacement.to_string());
        let candidate = fixed.join(".");
        if candidate == labels.join(".") {
            continue;
        }
        if let Ok(class) = classify_host(&candidate)
            && class.kind != HostKind::UnrecognisedSalesforce
        {
            let url = format!("https://{candidate}");
            return Some(url);
        }
    }
    None
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), on bytes.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}
