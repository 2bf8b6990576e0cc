//! The credentials of one bundle's live run, and the scrubbing of every answer and outcome.

use super::*;
use crate::text::one_line_limited;

/// Makes `known` know what a live exchange made: the access token issued and, unless it is to
/// be printed (`--show-assertion`), the assertion sent.
pub(in crate::checks) fn know_session(
    known: &mut Redactor,
    session: &Session,
    assertion_too: bool,
) {
    known.add(session.access_token.expose(), "access token");
    if assertion_too {
        known.add(&session.assertion, "signed assertion");
    }
}

/// The credentials of one bundle's live run: every secret the bundle holds, the assertion
/// sent and the token issued. Every answer is scrubbed of them before any of it is read for
/// display, so that nothing is cut short (or quoted, or escaped) before it is redacted; and
/// every outcome is scrubbed again before it leaves.
pub(super) struct Secrets(pub(super) Redactor);

impl Secrets {
    pub(super) fn new(bundle: &Bundle, assertion: &str, session: Option<&Session>) -> Self {
        let mut known = bundle.secrets.clone();
        if let Some(s) = &bundle.consumer_secret {
            known.add(s.expose(), "consumer secret");
        }
        known.add(assertion, "signed assertion");
        if let Some(s) = session {
            know_session(&mut known, s, true);
        }
        Secrets(known)
    }

    /// Knows the access token an answer issued, too.
    pub(super) fn with_token(mut self, token: &token::AccessToken) -> Self {
        self.0.add(token.expose(), "access token");
        self
    }

    /// The copy of an answer that is read for display: its body, content type and location
    /// scrubbed whole, before any of it is cut.
    pub(super) fn response(&self, r: &Response) -> Response {
        let scrub = |v: &Option<String>| v.as_deref().map(|t| self.0.scrub(t).into_owned());
        let text = String::from_utf8_lossy(&r.body);
        Response {
            status: r.status,
            content_type: scrub(&r.content_type),
            location: scrub(&r.location),
            date: r.date.clone(),
            body: match self.0.scrub(&text) {
                std::borrow::Cow::Borrowed(_) => r.body.clone(),
                std::borrow::Cow::Owned(clean) => clean.into_bytes(),
            },
            truncated: r.truncated,
            elapsed: r.elapsed,
        }
    }

    /// An issued answer with what it shows scrubbed (the token itself is kept, to use).
    pub(super) fn issued(&self, mut i: Issued) -> Issued {
        for field in [
            &mut i.instance_url,
            &mut i.id,
            &mut i.org_id,
            &mut i.user_id,
            &mut i.scope,
            &mut i.token_type,
        ]
        .into_iter()
        .flatten()
        {
            self.0.scrub_string(field);
        }
        for field in &mut i.unexpected {
            self.0.scrub_string(field);
        }
        i
    }

    /// A text of the answer, scrubbed, then cut to `max` characters as one printable line.
    pub(super) fn cut(&self, text: &str, max: usize) -> String {
        one_line_limited(&self.0.scrub(text), max)
    }

    pub(super) fn scrub(&self, mut out: Outcome) -> Outcome {
        self.0.scrub_string(&mut out.message);
        if let Some(fix) = &mut out.fix {
            self.0.scrub_string(fix);
        }
        out.evidence.values_mut().for_each(|v| {
            self.0.scrub_json(v);
        });
        out
    }
}
