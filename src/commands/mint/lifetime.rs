//! `--lifetime`: how long a minted assertion is valid, as `90s`, `3m`, `1h`, `2d` or bare
//! seconds; more than zero and at most [`MAX_SECS`].

use std::fmt;

/// The longest lifetime `sfjwt mint` signs: a week. Salesforce accepts a far-future exp (it
/// does not enforce its documented 3 minutes, salesforce-jwt.md §2.5), so the cap is sfjwt's:
/// an assertion is a credential until it expires, and nothing can revoke it.
pub const MAX_SECS: i64 = 7 * 86_400;

/// How long a minted assertion is valid, in whole seconds (1 to [`MAX_SECS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime(i64);

impl Lifetime {
    /// The lifetime in seconds.
    pub fn secs(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Lifetime {
    /// In the largest unit that divides it: `3 minutes`, `1 hour`, `90 seconds`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = [
            (86_400, "day"),
            (3_600, "hour"),
            (60, "minute"),
            (1, "second"),
        ]
        .into_iter()
        .find(|(size, _)| self.0 % size == 0)
        .map(|(size, unit)| (self.0 / size, unit))
        .unwrap_or((self.0, "second"));
        write!(f, "{n} {unit}{}", if n == 1 { "" } else { "s" })
    }
}

const EXAMPLES: &str = "90s, 3m, 1h, 2d, or a number of seconds";

/// Parses a `--lifetime` value (clap's value parser): the error says what is wrong and what to
/// give instead.
pub fn parse_lifetime(text: &str) -> Result<Lifetime, String> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!(
            "a lifetime is how long the assertion stays valid, and cannot be negative; give {EXAMPLES}"
        ));
    }
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let size: i64 = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("not a duration; give {EXAMPLES} (default 3m)")),
    };
    if number.is_empty() {
        return Err(format!("not a duration; give {EXAMPLES} (default 3m)"));
    }
    let too_long = || {
        "longer than sfjwt signs (at most 7d): the assertion is a credential until it expires \
         and cannot be revoked; mint a fresh one when the tool needs it"
            .to_string()
    };
    let n: i64 = number.parse().map_err(|_| too_long())?;
    let secs = n.checked_mul(size).ok_or_else(too_long)?;
    match secs {
        0 => Err(format!(
            "an assertion valid for 0 seconds has expired as it is made; give {EXAMPLES} (default 3m)"
        )),
        s if s > MAX_SECS => Err(too_long()),
        s => Ok(Lifetime(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds_parse() {
        for (text, secs) in [
            ("90s", 90),
            ("3m", 180),
            ("1h", 3_600),
            ("2d", 172_800),
            ("45", 45),
            ("7d", MAX_SECS),
        ] {
            assert_eq!(parse_lifetime(text).map(Lifetime::secs), Ok(secs), "{text}");
        }
    }

    #[test]
    fn zero_negative_garbage_and_over_the_cap_are_refused_with_the_reason() {
        assert!(parse_lifetime("0").unwrap_err().contains("0 seconds"));
        assert!(parse_lifetime("0m").unwrap_err().contains("0 seconds"));
        assert!(parse_lifetime("-3m").unwrap_err().contains("negative"));
        for bad in ["abc", "", "3x", "m", "1.5h", "3 minutes"] {
            assert!(
                parse_lifetime(bad).unwrap_err().contains("not a duration"),
                "{bad}"
            );
        }
        for long in ["8d", "604801", "99999999999999999999", "9999999999999999d"] {
            assert!(
                parse_lifetime(long).unwrap_err().contains("at most 7d"),
                "{long}"
            );
        }
    }

    #[test]
    fn lifetimes_are_shown_in_the_largest_whole_unit() {
        let shown = |t: &str| parse_lifetime(t).unwrap().to_string();
        assert_eq!(shown("3m"), "3 minutes");
        assert_eq!(shown("1h"), "1 hour");
        assert_eq!(shown("90s"), "90 seconds");
        assert_eq!(shown("172800"), "2 days");
    }
}
