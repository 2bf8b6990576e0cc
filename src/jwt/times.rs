//! NumericDate claims (`exp`, `iat`, `nbf`) and how they read to a person: RFC 3339 and
//! "in 3 minutes" / "2 hours ago".

use serde_json::Value;
use time::OffsetDateTime;

use crate::words::count;

/// How a NumericDate claim was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// A JSON integer: what RFC 7519 and Salesforce expect.
    Integer,
    /// A JSON number with a fraction or an exponent.
    Fraction,
    /// A string holding a number (`"exp": "1333685628"`, as in Salesforce's doc example).
    String,
}

/// A NumericDate claim read as seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericDate {
    pub seconds: f64,
    pub form: DateForm,
}

impl NumericDate {
    /// Reads a claim value; `Err` names what it is instead of a number.
    pub fn read(value: &Value) -> Result<NumericDate, &'static str> {
        match value {
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Ok(NumericDate {
                        seconds: i as f64,
                        form: DateForm::Integer,
                    })
                } else if let Some(u) = n.as_u64() {
                    Ok(NumericDate {
                        seconds: u as f64,
                        form: DateForm::Integer,
                    })
                } else {
                    match n.as_f64() {
                        Some(f) if f.is_finite() => Ok(NumericDate {
                            seconds: f,
                            form: DateForm::Fraction,
                        }),
                        _ => Err("a number out of range"),
                    }
                }
            }
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() && s.trim() == s && !s.is_empty() => Ok(NumericDate {
                    seconds: f,
                    form: DateForm::String,
                }),
                _ => Err("a string that is not a number"),
            },
            Value::Null => Err("null"),
            Value::Bool(_) => Err("true or false"),
            Value::Array(_) => Err("an array"),
            Value::Object(_) => Err("an object"),
        }
    }
}

/// Seconds since the epoch as RFC 3339 (UTC, to the second), or the year when the calendar
/// can't hold it (a millisecond `exp` read as seconds lands around the year 58000).
pub fn describe_instant(seconds: f64) -> String {
    let whole = seconds.floor();
    if whole.abs() < 1e15
        && let Ok(t) = OffsetDateTime::from_unix_timestamp(whole as i64)
    {
        return crate::text::rfc3339(t);
    }
    let year = 1970.0 + seconds / 31_556_952.0;
    if year.abs() < 1e12 {
        format!("around the year {}", thousands(year.floor() as i64))
    } else {
        "a date beyond any calendar".to_string()
    }
}

/// `delta` seconds (the instant minus now) in words: "in 3 minutes", "2 hours ago", "now".
pub fn relative(delta: f64) -> String {
    if delta.abs() < 1.0 {
        return "now".to_string();
    }
    let span = span(delta.abs());
    if delta > 0.0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// A positive duration in seconds, in its largest fitting unit and the next one down, floored:
/// "90 seconds", "57 minutes", "2 hours 57 minutes", "12 days 3 hours", "56,902 years".
pub fn span(seconds: f64) -> String {
    let s = seconds.abs();
    let two = |big: i64, big_unit: (&str, &str), small: i64, small_unit: (&str, &str)| {
        let head = count(big, big_unit.0, big_unit.1);
        if small > 0 {
            format!("{head} {}", count(small, small_unit.0, small_unit.1))
        } else {
            head
        }
    };
    if s < 120.0 {
        count(s.floor() as i64, "second", "seconds")
    } else if s < 90.0 * 60.0 {
        count((s / 60.0).floor() as i64, "minute", "minutes")
    } else if s < 48.0 * 3600.0 {
        let minutes = (s / 60.0).floor() as i64;
        two(
            minutes / 60,
            ("hour", "hours"),
            minutes % 60,
            ("minute", "minutes"),
        )
    } else if s < 730.0 * 86_400.0 {
        let hours = (s / 3600.0).floor() as i64;
        two(hours / 24, ("day", "days"), hours % 24, ("hour", "hours"))
    } else {
        let years = s / 31_556_952.0;
        if years < 1e12 {
            format!("{} years", thousands(years.floor() as i64))
        } else {
            "longer than any calendar".to_string()
        }
    }
}

/// `56902` → `56,902`.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_dates_read_integers_fractions_and_numeric_strings() {
        assert_eq!(
            NumericDate::read(&json!(1795957380)).unwrap(),
            NumericDate {
                seconds: 1795957380.0,
                form: DateForm::Integer
            }
        );
        assert_eq!(
            NumericDate::read(&json!(1.5e9)).unwrap().form,
            DateForm::Fraction
        );
        assert_eq!(
            NumericDate::read(&json!("1333685628")).unwrap().form,
            DateForm::String
        );
        assert_eq!(
            NumericDate::read(&json!(u64::MAX)).unwrap().form,
            DateForm::Integer
        );
        assert_eq!(NumericDate::read(&json!(-5)).unwrap().seconds, -5.0);
        assert!(NumericDate::read(&json!("soon")).is_err());
        assert!(NumericDate::read(&json!(" 12")).is_err());
        assert!(NumericDate::read(&json!("NaN")).is_err());
        assert!(NumericDate::read(&json!(null)).is_err());
        assert!(NumericDate::read(&json!([1])).is_err());
    }

    #[test]
    fn instants_read_as_rfc3339_or_as_a_year() {
        assert_eq!(describe_instant(1795957380.0), "2026-11-29T13:03:00Z");
        assert_eq!(describe_instant(1795957380.9), "2026-11-29T13:03:00Z");
        assert_eq!(describe_instant(1795957200300.0), "around the year 58,881");
        assert_eq!(describe_instant(1e300), "a date beyond any calendar");
        assert_eq!(describe_instant(-1e300), "a date beyond any calendar");
        assert_eq!(describe_instant(0.0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(0.2), "now");
        assert_eq!(relative(1.0), "in 1 second");
        assert_eq!(relative(90.0), "in 90 seconds");
        assert_eq!(relative(180.0), "in 3 minutes");
        assert_eq!(relative(-3.0 * 3600.0 - 5.0), "3 hours ago");
        assert_eq!(relative(-86_400.0 * 3.0), "3 days ago");
        assert_eq!(relative(1795957200300.0 - 1795957200.0), "in 56,854 years");
        assert_eq!(relative(1e300), "in longer than any calendar");
        assert_eq!(span(7200.0), "2 hours");
        assert_eq!(span(7199.0), "1 hour 59 minutes");
        assert_eq!(span(3600.0), "60 minutes");
        assert_eq!(span(10_620.0), "2 hours 57 minutes");
        assert_eq!(span(86_400.0 * 3.0 + 7200.0), "3 days 2 hours");
    }
}
