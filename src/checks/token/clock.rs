//! The clock of this machine against Salesforce's: the `Date` header of the token answer. A
//! clock that drifted (WSL after sleep, a container, a CI runner without NTP) makes Salesforce
//! refuse assertions as expired (`expired authorization code`) and makes sfjwt's own `exp`,
//! `nbf` and certificate dates wrong: the finding names the clock, not the credentials.

use std::time::SystemTime;

use super::*;
use crate::finding::Status;

/// How far the clocks may differ before it is a finding, in seconds: Salesforce's `Date` has a
/// resolution of one second and the request takes some, and Salesforce allows a little skew
/// itself.
pub(super) const MAX_SKEW_SECS: i64 = 60;

/// This machine's clock minus the server's, in whole seconds (positive: this machine is ahead),
/// from the `Date` header of an answer whose last byte came at `arrived`. `None` without a
/// header that reads as an HTTP date.
pub(super) fn offset(resp: &Response, arrived: SystemTime) -> Option<i64> {
    let server = httpdate::parse_http_date(resp.date.as_deref()?.trim()).ok()?;
    // The server wrote the header somewhere during the request: take the middle.
    let local = arrived - resp.elapsed / 2;
    Some(match local.duration_since(server) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    })
}

/// "95 s ahead of", "2 min 5 s behind".
fn describe(offset: i64) -> String {
    let secs = offset.unsigned_abs();
    let size = if secs >= 120 {
        format!("{} min {} s", secs / 60, secs % 60)
    } else {
        format!("{secs} s")
    };
    format!("{size} {}", if offset > 0 { "ahead of" } else { "behind" })
}

/// The exchange's outcome with the clocks' difference in its evidence and, beyond
/// [`MAX_SKEW_SECS`], in its message and fix.
pub(super) fn judged(mut out: Outcome, offset: Option<i64>, date: Option<&str>) -> Outcome {
    let Some(offset) = offset else {
        return out;
    };
    out = out.with("clock_offset_secs", offset);
    if let Some(d) = date {
        out = out.with("server_date", crate::text::one_line_limited(d, 64));
    }
    if offset.abs() <= MAX_SKEW_SECS {
        return out;
    }
    let sentence = format!(
        " This machine's clock is {} Salesforce's (the Date header of its answer): the clock is wrong, not the credentials. Salesforce judges the assertion's exp by its own clock, so assertions made here {}; sfjwt's own judgement of exp, nbf and the certificate's dates (without --at) is off by as much.",
        describe(offset),
        if offset > 0 {
            "expire early, or look not yet valid"
        } else {
            "are refused as expired (expired authorization code) once the difference reaches their lifetime"
        }
    );
    out.message.push_str(&sentence);
    let fix = "Set this machine's clock: turn on NTP (`timedatectl set-ntp true`; macOS: System Settings > General > Date & Time > Set time automatically; Windows: `w32tm /resync`); under WSL after sleep, `wsl --shutdown` and start again (or `sudo hwclock -s`); a container takes its host's clock: fix the host.";
    out.fix = Some(match out.fix.take() {
        Some(f) => format!("{fix} Then: {f}"),
        None => fix.to_string(),
    });
    if out.status == Status::Pass {
        out.status = Status::Warn;
    }
    let mut steps = out.steps.take().unwrap_or_default();
    if !steps.contains(&7) {
        steps.push(7);
        steps.sort_unstable();
    }
    out.with_steps(&steps).with("clock_skew", true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn answer(date: &str) -> Response {
        Response {
            status: 200,
            content_type: None,
            location: None,
            date: Some(date.into()),
            body: Vec::new(),
            truncated: false,
            elapsed: Duration::from_secs(2),
        }
    }

    #[test]
    fn the_offset_is_this_clock_minus_the_servers_at_the_middle_of_the_request() {
        // Arrived at 20:00:02 after 2 s: sent at 20:00:00, the middle is 20:00:01.
        let sent = httpdate::parse_http_date("Fri, 04 Dec 2026 20:00:02 GMT").unwrap();
        assert_eq!(
            offset(&answer("Fri, 04 Dec 2026 20:00:01 GMT"), sent),
            Some(0)
        );
        assert_eq!(
            offset(&answer("Fri, 04 Dec 2026 19:58:01 GMT"), sent),
            Some(120)
        );
        assert_eq!(
            offset(&answer("Fri, 04 Dec 2026 20:05:01 GMT"), sent),
            Some(-300)
        );
        assert_eq!(offset(&answer("yesterday"), sent), None);
    }

    #[test]
    fn beyond_a_minute_the_clock_is_named_and_a_pass_becomes_a_warning() {
        let out = judged(Outcome::pass("issued."), Some(30), None);
        assert_eq!(out.status, Status::Pass);
        assert_eq!(out.evidence["clock_offset_secs"], 30);
        let out = judged(
            Outcome::pass("issued."),
            Some(-95),
            Some("Fri, 04 Dec 2026 20:00:00 GMT"),
        );
        assert_eq!(out.status, Status::Warn);
        assert!(
            out.message.contains("95 s behind Salesforce's"),
            "{}",
            out.message
        );
        assert!(
            out.message.contains("not the credentials"),
            "{}",
            out.message
        );
        assert!(out.fix.unwrap().contains("NTP"));
        assert_eq!(out.steps, Some(vec![7]));
        let out = judged(
            Outcome::fail("expired.", "Sync.").with_steps(&[7]),
            Some(400),
            None,
        );
        assert_eq!(out.status, Status::Fail);
        assert!(
            out.message.contains("6 min 40 s ahead of"),
            "{}",
            out.message
        );
        assert_eq!(out.steps, Some(vec![7]));
    }
}
