//! `exp`, `iat` and `nbf`.

use serde_json::{Map, Value};

use super::*;

// --- exp, iat, nbf ---------------------------------------------------------------------------

const EXP_FIX: &str = "Set exp to the current UTC time in whole seconds plus 180 when the assertion is built, e.g. Math.floor(Date.now() / 1000) + 180 in JavaScript, int(time.time()) + 180 in Python.";

pub(super) fn exp(c: &Map<String, Value>, now: f64, at: OffsetDateTime) -> Vec<RuleResult> {
    let skip_rest = |why: &str| {
        vec![
            see(RuleId::ExpUnit, why, RuleId::ExpPresent),
            see(RuleId::ExpExpired, why, RuleId::ExpPresent),
            see(RuleId::ExpWindow, why, RuleId::ExpPresent),
        ]
    };
    let Some(raw) = c.get("exp") else {
        let mut v = vec![fail(
            RuleId::ExpPresent,
            "there is no exp claim: Salesforce requires the assertion's expiry",
            EXP_FIX,
        )];
        v.extend(skip_rest("no exp"));
        return v;
    };
    let date = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            let mut v = vec![fail(
                RuleId::ExpPresent,
                format!("exp is {what}, not a number of seconds"),
                EXP_FIX,
            )];
            v.extend(skip_rest("exp is not a number"));
            return v;
        }
    };
    let shown = crate::text::one_line_json(raw, true);
    let mut out = vec![match date.form {
        DateForm::Integer => pass(RuleId::ExpPresent, format!("exp is {shown}")),
        DateForm::String => warn(
            RuleId::ExpPresent,
            format!(
                "exp is the string {shown}; Salesforce's own doc example does this and it is accepted, but RFC 7519 wants a number"
            ),
            EXP_FIX,
        ),
        DateForm::Fraction => warn(
            RuleId::ExpPresent,
            format!("exp {shown} has a fraction; Salesforce's doc asks for whole seconds"),
            EXP_FIX,
        ),
    }];

    let secs = date.seconds;
    let millis = secs >= MILLIS_THRESHOLD;
    out.push(exp_unit(secs, millis, &shown));

    let delta = secs - now;
    let when = format!("{} ({})", describe_instant(secs), relative(delta));
    let at_shown = crate::text::rfc3339(at);
    out.push(exp_expired(secs, delta, &when, &at_shown, &shown));

    out.push(if millis {
        see(RuleId::ExpWindow, "exp is not in seconds", RuleId::ExpUnit)
    } else {
        window(c, secs, delta, &at_shown)
    });
    out
}

fn exp_unit(secs: f64, millis: bool, shown: &str) -> RuleResult {
    if millis && secs / 1000.0 < MILLIS_THRESHOLD {
        warn(
            RuleId::ExpUnit,
            format!(
                "exp {shown} looks like milliseconds since 1970 ({} as milliseconds), not seconds: read as seconds, as Salesforce reads it, it is {}. The Salesforce CLI sends Date.now() + 300 this way, and Salesforce accepts it today, but the assertion then never expires in practice",
                describe_instant(secs / 1000.0),
                describe_instant(secs)
            ),
            EXP_FIX,
        )
    } else if millis {
        warn(
            RuleId::ExpUnit,
            format!(
                "exp {shown} is far too large for a time in seconds (it is {})",
                describe_instant(secs)
            ),
            EXP_FIX,
        )
    } else {
        pass(RuleId::ExpUnit, "exp is in seconds")
    }
}

fn exp_expired(secs: f64, delta: f64, when: &str, at_shown: &str, shown: &str) -> RuleResult {
    if delta > 0.0 {
        pass(RuleId::ExpExpired, format!("exp is {when}"))
    } else if delta >= -(CLOCK_SKEW_SECS as f64) {
        warn(
            RuleId::ExpExpired,
            format!(
                "exp is {when}: expired as of {at_shown}, by less than the {CLOCK_SKEW_SECS} s of clock skew sfjwt allows; Salesforce's own allowance is not documented, and past it the answer is invalid_grant / expired authorization code"
            ),
            format!("{EXP_FIX} Keep the machine's clock in sync (NTP)."),
        )
    } else {
        let duration = if (0.0..1e9).contains(&secs) {
            format!(
                " (exp {shown} looks like a lifetime in seconds, not an instant: exp is the moment of expiry)"
            )
        } else {
            String::new()
        };
        fail(
            RuleId::ExpExpired,
            format!(
                "exp is {when}: expired as of {at_shown}, by {}; Salesforce answers invalid_grant / expired authorization code{duration}",
                span(delta)
            ),
            format!(
                "{EXP_FIX} Build a new assertion for each login, in UTC (time.mktime(datetime.utcnow().timetuple()) is a classic bug in timezones ahead of UTC), and keep the clock in sync. If this token came from a log, decode it with --at set to when it was sent."
            ),
        )
    }
}

fn window(c: &Map<String, Value>, exp: f64, delta: f64, at_shown: &str) -> RuleResult {
    let iat = c
        .get("iat")
        .and_then(|v| NumericDate::read(v).ok())
        .filter(|d| d.seconds < MILLIS_THRESHOLD);
    let (lifetime, from) = match iat {
        Some(i) => (exp - i.seconds, "iat".to_string()),
        None => (delta, at_shown.to_string()),
    };
    if lifetime <= 0.0 {
        return match iat {
            Some(_) => fail(
                RuleId::ExpWindow,
                "exp is not after iat: the assertion was expired when it was made",
                EXP_FIX,
            ),
            None => see(RuleId::ExpWindow, "exp has passed", RuleId::ExpExpired),
        };
    }
    let documented = ASSERTION_LIFETIME_SECS as f64;
    let long = format!("exp is {} after {from}", span(lifetime));
    if iat.is_some() && lifetime < SHORT_WINDOW_SECS {
        warn(
            RuleId::ExpWindow,
            format!(
                "{long}: too short to survive clock skew and network latency; a signer's clock a few seconds ahead of Salesforce's, or a slow request, and the assertion arrives expired (invalid_grant / expired authorization code)"
            ),
            "Set exp to iat plus 3 minutes (180 s, Salesforce's documented window); the window is what absorbs clock differences and latency. Keep the signer's clock in sync (NTP).",
        )
    } else if lifetime <= documented {
        pass(
            RuleId::ExpWindow,
            format!("{long}, within the documented 3 minutes"),
        )
    } else if lifetime <= LONG_WINDOW_SECS {
        info_fix(
            RuleId::ExpWindow,
            format!(
                "{long}, longer than the documented 3 minutes; Salesforce accepts longer windows in practice, but a leaked assertion stays usable that long"
            ),
            EXP_FIX,
        )
    } else {
        warn(
            RuleId::ExpWindow,
            format!(
                "{long}, far longer than the documented 3 minutes; Salesforce accepts it in practice, but a leaked assertion stays usable for {}",
                span(lifetime)
            ),
            EXP_FIX,
        )
    }
}

pub(super) fn iat(c: &Map<String, Value>, now: f64) -> RuleResult {
    let Some(raw) = c.get("iat") else {
        return skip(
            RuleId::Iat,
            "no iat (optional; Salesforce's doc doesn't use it)",
        );
    };
    const FIX: &str = "Set iat to the current UTC time in whole seconds, or leave it out.";
    let d = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            return warn(
                RuleId::Iat,
                format!("iat is {what}, not a number of seconds"),
                FIX,
            );
        }
    };
    if d.seconds >= MILLIS_THRESHOLD {
        return warn(
            RuleId::Iat,
            format!(
                "iat {} looks like milliseconds, not seconds",
                crate::text::one_line_json(raw, true)
            ),
            FIX,
        );
    }
    let delta = d.seconds - now;
    let when = format!("{} ({})", describe_instant(d.seconds), relative(delta));
    if delta > CLOCK_SKEW_SECS as f64 {
        warn(
            RuleId::Iat,
            format!(
                "iat is {when}, in the future: the clock of the machine that made the assertion is ahead"
            ),
            format!("{FIX} Keep the clock in sync (NTP)."),
        )
    } else {
        pass(RuleId::Iat, format!("iat is {when}"))
    }
}

pub(super) fn nbf(c: &Map<String, Value>, now: f64) -> RuleResult {
    let Some(raw) = c.get("nbf") else {
        return skip(RuleId::Nbf, "no nbf (optional)");
    };
    const FIX: &str = "Leave nbf out, or set it to the current UTC time in whole seconds.";
    let d = match NumericDate::read(raw) {
        Ok(d) => d,
        Err(what) => {
            return warn(
                RuleId::Nbf,
                format!("nbf is {what}, not a number of seconds"),
                FIX,
            );
        }
    };
    let delta = d.seconds - now;
    let when = format!("{} ({})", describe_instant(d.seconds), relative(delta));
    if delta > CLOCK_SKEW_SECS as f64 {
        warn(
            RuleId::Nbf,
            format!(
                "nbf is {when}: the assertion is not valid before then; whether Salesforce checks nbf is not documented, but if it does, it rejects the assertion until then"
            ),
            FIX,
        )
    } else {
        pass(RuleId::Nbf, format!("nbf is {when}"))
    }
}
