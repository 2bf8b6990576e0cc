//! OAuth scopes as Salesforce grants them (Salesforce Help: "OAuth Tokens and Scopes"): which
//! granted scopes satisfy a required one.

/// Scopes that name the same access: `refresh_token` is `offline_access`; `id` is `profile`,
/// `email`, `address` and `phone` (each gives the identity URL service).
const SYNONYMS: &[&[&str]] = &[
    &["refresh_token", "offline_access"],
    &["id", "profile", "email", "address", "phone"],
];

/// `full` gives everything but a refresh token.
const FULL: &str = "full";

/// The scopes of a token response's `scope` field (space-separated).
pub fn split(scope: &str) -> Vec<&str> {
    scope.split_whitespace().collect()
}

/// Whether the granted scopes give `required`.
pub fn covers(granted: &[&str], required: &str) -> bool {
    let required = required.trim();
    let same = |a: &str, b: &str| {
        a.eq_ignore_ascii_case(b)
            || SYNONYMS.iter().any(|group| {
                group.iter().any(|g| g.eq_ignore_ascii_case(a))
                    && group.iter().any(|g| g.eq_ignore_ascii_case(b))
            })
    };
    let refresh = SYNONYMS[0].iter().any(|s| s.eq_ignore_ascii_case(required));
    granted.iter().any(|g| same(g, required)) || (!refresh && granted.contains(&FULL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_and_full_count_but_full_gives_no_refresh_token() {
        let g = split("api refresh_token");
        assert!(covers(&g, "api"));
        assert!(covers(&g, "offline_access"));
        assert!(!covers(&g, "web"));
        let full = split("full");
        assert!(covers(&full, "api"));
        assert!(covers(&full, "web"));
        assert!(!covers(&full, "refresh_token"));
        assert!(covers(&split("profile"), "id"));
        assert!(!covers(&[], "api"));
    }
}
