//! cert.rotation: the candidate certificate of `--next-cert`, judged against the current
//! certificate and the key: the same key is a zero-downtime rotation, a new key is not.

use super::rfc3339;
use crate::bundle::cert::{Certificate, HashStrength};
use crate::bundle::{Bundle, Loaded};
use crate::checks::key::unreadable;
use crate::checks::{Check, Docs, Group, Scratch, Skip, files};
use crate::context::Context;
use crate::finding::{Outcome, Status};
use crate::steps::Step;

const KEY_ROTATION_PLAN: &str = "Plan the switch: 1. give the new key to every client first (installed, not yet used); 2. upload the new certificate to the External Client App at an agreed time (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow); 3. allow up to ~10 minutes for it to propagate (expect invalid_grant meanwhile); 4. switch every client to the new key; 5. run `sfjwt check --live` on each. For zero downtime instead, keep the key and make a new certificate from it (`sfjwt renew`), or create a second app for the new key and move clients one by one.";

pub static CERT_ROTATION: Check = Check {
    id: "cert.rotation",
    title: "The next certificate is a safe rotation",
    steps: &[Step::KeyAndCert, Step::App],
    group: Group::Rotation,
    docs: Docs {
        passes_when: "The candidate certificate given with --next-cert carries the same public key as the private key (and the current certificate), and is valid at --at for longer than the current one.",
        what: "Reads the --next-cert file like the certificate (PEM or DER) and compares its public key with the private key's and the current certificate's. The same key passes: a zero-downtime rotation. A different key warns: a key rotation, with the plan. It warns too when the candidate is the current certificate, expired, not yet valid, expiring within --expiry-warn-days or before the current one, or SHA-1 signed; expiry fails under --expiry-fail-days. A file that is not a certificate fails.",
        why: "Salesforce verifies the assertion with the public key of the one certificate uploaded to the External Client App. A new certificate from the same key changes nothing for running clients; one from a new key breaks every client still signing with the old key from the moment it is uploaded, and an upload can take up to 10 minutes to propagate.",
        fix: "For zero downtime, make the next certificate from the same key (`sfjwt renew DIR`), check it with `sfjwt check DIR --next-cert FILE`, upload it, then replace server.crt with it. For a key rotation, give every client the new key first, upload at an agreed time, allow up to 10 minutes, switch clients and run `sfjwt check --live` on each.",
        references: &[
            "reference/salesforce-jwt.md §3.5: changes can take up to 10 minutes to take effect",
            "reference/salesforce-jwt.md row 3: `invalid_grant` / `invalid assertion` when the key does not match the uploaded certificate",
            "Salesforce StackExchange 313488: expired certificates do not block JWT logins",
        ],
    },
    run: cert_rotation,
};

fn cert_rotation(bundle: &Bundle, ctx: &Context, _scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let next = bundle
        .next_cert
        .as_ref()
        .ok_or_else(|| Skip::new("no --next-cert was given"))?;
    let path = next.origin.as_ref().and_then(|o| o.file());
    let shown = path
        .map(files::shown)
        .unwrap_or_else(|| "--next-cert".into());
    let with_file = |o: Outcome| match path {
        Some(p) => o.with("file", p.display().to_string()),
        None => o,
    };
    let candidate = match &next.state {
        Loaded::Ok(file) => &file.first,
        Loaded::Unreadable(err) => {
            return Ok(with_file(unreadable(
                "next certificate",
                next.origin.as_ref(),
                err,
            )));
        }
        Loaded::Invalid(err) => {
            return Ok(with_file(
                Outcome::fail(
                    format!("--next-cert {shown}: {}", err.message()),
                    "Give --next-cert the new certificate itself (-----BEGIN CERTIFICATE-----, PEM or DER): make one from the same key with `sfjwt renew`, and run `sfjwt check --next-cert` on it again.",
                )
                .with("error", err.code()),
            ));
        }
        Loaded::Missing(_) | Loaded::NotInBundle(_) => {
            return Err(Skip::new("no --next-cert was given"));
        }
    };
    let current = bundle.certificate().map(|f| &f.first);
    let key = bundle.private_key().map(|k| k.spki_der.as_slice());
    if key.is_none() && current.is_none() {
        return Err(Skip::new(
            "there is no private key and no current certificate to compare with (see key.parse, cert.parse)",
        ));
    }
    // Where the candidate goes once uploaded: the current certificate's file.
    let target = bundle
        .cert
        .origin
        .as_ref()
        .and_then(|o| o.file())
        .map(files::shown)
        .unwrap_or_else(|| "server.crt".into());
    let judged = judge(
        candidate,
        current,
        key,
        &Names {
            shown: &shown,
            target: &target,
        },
        ctx,
    );
    Ok(with_file(judged))
}

/// How the finding names the candidate and the file it replaces.
struct Names<'a> {
    shown: &'a str,
    target: &'a str,
}

/// The candidate against the key (what signs) and the current certificate.
fn judge(
    cand: &Certificate,
    current: Option<&Certificate>,
    key: Option<&[u8]>,
    names: &Names<'_>,
    ctx: &Context,
) -> Outcome {
    let (shown, target) = (names.shown, names.target);
    let reference = key
        .or(current.map(|c| c.spki_der.as_slice()))
        .unwrap_or_default();
    let same = cand.spki_der == reference;
    let identical = current.is_some_and(|c| c.der == cand.der);
    let mut notes = Vec::new();
    match (key, current) {
        (Some(_), None) => notes.push(
            "the current certificate did not read (see cert.parse): judged against the key alone"
                .to_string(),
        ),
        (None, Some(_)) => notes.push(
            "there is no private key (see key.parse): judged against the current certificate alone"
                .to_string(),
        ),
        _ => {}
    }
    let days_left = (cand.not_after - ctx.at).whole_days();
    let problems = problems(cand, current, ctx, days_left);
    let (status, message, fix) = if identical {
        (
            Status::Warn,
            format!("nothing to rotate: {shown} is the current certificate"),
            Some("Give --next-cert the new certificate: make one from the same key with `sfjwt renew`.".to_string()),
        )
    } else if same && problems.is_empty() {
        (
            Status::Pass,
            format!(
                "same key: zero-downtime rotation — upload {shown} to the app in place of the current certificate; clients need no change; then replace {target} with it (`mv {shown} {target}`)"
            ),
            None,
        )
    } else if same {
        // Same key, but the candidate itself has a problem: do not tell anyone to upload it.
        (
            Status::Pass,
            format!("same key (a zero-downtime rotation), yet do not upload {shown} as it is"),
            None,
        )
    } else {
        (
            Status::Warn,
            format!(
                "a key rotation: every client must switch to the new key when {shown} is uploaded"
            ),
            Some(KEY_ROTATION_PLAN.to_string()),
        )
    };
    let mut out = Outcome::pass(message);
    out.status = status;
    out.fix = fix;
    for (s, m, f) in problems {
        out.status = out.status.max(s);
        notes.push(m);
        out.fix = Some(match out.fix.take() {
            Some(prev) => format!("{prev} {f}"),
            None => f.to_string(),
        });
    }
    if !notes.is_empty() {
        out.message = format!("{}; {}", out.message, notes.join("; "));
    }
    let mut out = out
        .with("same_public_key", same)
        .with("candidate_fingerprint", cand.fingerprint())
        .with(
            "candidate_certificate",
            crate::fingerprint::fingerprint(&cand.der),
        )
        .with("not_before", rfc3339(cand.not_before))
        .with("not_after", rfc3339(cand.not_after))
        .with("days_left", days_left);
    if let Some(c) = current {
        out = out.with("current_fingerprint", c.fingerprint()).with(
            "current_certificate",
            crate::fingerprint::fingerprint(&c.der),
        );
    }
    out
}

const RENEW: &str =
    "Make a fresh certificate from the same key (`sfjwt renew`) and check it again.";

/// What is wrong with the candidate itself: its dates and its signature.
fn problems(
    cand: &Certificate,
    current: Option<&Certificate>,
    ctx: &Context,
    days_left: i64,
) -> Vec<(Status, String, &'static str)> {
    let mut out = Vec::new();
    let expiry = match ctx.expiry_fail_days {
        Some(n) if days_left <= n => Status::Fail,
        _ => Status::Warn,
    };
    let until = rfc3339(cand.not_after);
    if ctx.at > cand.not_after {
        out.push((expiry, format!("but it expired on {until}"), RENEW));
    } else if ctx.at < cand.not_before {
        out.push((
            Status::Warn,
            format!(
                "but it is not valid yet: it starts on {}",
                rfc3339(cand.not_before)
            ),
            RENEW,
        ));
    } else if days_left <= ctx.expiry_warn_days || expiry == Status::Fail {
        out.push((
            expiry,
            format!(
                "but it expires on {until}, in {}",
                crate::words::count(days_left, "day", "days")
            ),
            RENEW,
        ));
    }
    if let Some(c) = current.filter(|c| cand.not_after < c.not_after) {
        out.push((
            Status::Warn,
            format!(
                "and it expires before the current certificate ({until}, the current one {})",
                rfc3339(c.not_after)
            ),
            "Make the next certificate last longer than the current one (`sfjwt renew --days N`).",
        ));
    }
    if cand.signature_algorithm.strength != HashStrength::Strong {
        out.push((
            Status::Warn,
            format!(
                "and it is signed with {}, not SHA-256 or stronger (see cert.signature-algorithm)",
                cand.signature_algorithm.name
            ),
            "Re-sign it with SHA-256 (`sfjwt renew` does).",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::CertInput;
    use crate::bundle::Origin;
    use crate::bundle::cert::decode_certificates;
    use crate::bundle::key::decode_private_key;
    use crate::checks::testing::ctx;
    use std::path::PathBuf;

    const KEY: &[u8] = include_bytes!("../../../fixtures/valid/server.key");
    const CURRENT: &[u8] = include_bytes!("../../../fixtures/valid/server.crt");
    const RENEWED: &[u8] = include_bytes!("../../../fixtures/rotation/renewed.crt");
    const NEW_KEY: &[u8] = include_bytes!("../../../fixtures/rotation/new-key.crt");
    const EXPIRED: &[u8] = include_bytes!("../../../fixtures/rotation/expired.crt");

    fn bundle(next: Option<&[u8]>, with_current: bool) -> Bundle {
        let mut b = Bundle::empty("t");
        b.key.state = Loaded::Ok(decode_private_key(KEY, None).unwrap());
        if with_current {
            b.cert.state = Loaded::Ok(decode_certificates(CURRENT).unwrap());
            b.cert.origin = Some(Origin::File(PathBuf::from("acme/server.crt")));
        }
        b.next_cert = next.map(|bytes| CertInput {
            state: Loaded::Ok(decode_certificates(bytes).unwrap()),
            origin: Some(Origin::File(PathBuf::from("acme/next.crt"))),
        });
        b
    }

    fn run(b: &Bundle, ctx: &Context) -> Outcome {
        CERT_ROTATION.outcome(b, ctx, &mut Scratch::default())
    }

    #[test]
    fn same_key_passes_and_names_the_file_it_replaces() {
        let o = run(&bundle(Some(RENEWED), true), &ctx());
        assert_eq!(o.status, Status::Pass, "{}", o.message);
        assert!(
            o.message.contains("`mv acme/next.crt acme/server.crt`"),
            "{}",
            o.message
        );
        assert_eq!(o.evidence["same_public_key"], true);
        assert_eq!(
            o.evidence["candidate_fingerprint"],
            o.evidence["current_fingerprint"]
        );
    }

    #[test]
    fn a_new_key_warns_with_the_plan() {
        let o = run(&bundle(Some(NEW_KEY), true), &ctx());
        assert_eq!(o.status, Status::Warn);
        assert!(o.message.starts_with("a key rotation"));
        assert!(o.fix.unwrap().contains("up to ~10 minutes"));
        assert_eq!(o.evidence["same_public_key"], false);
    }

    #[test]
    fn without_the_current_certificate_it_judges_against_the_key_and_says_so() {
        let o = run(&bundle(Some(RENEWED), false), &ctx());
        assert_eq!(o.status, Status::Pass);
        assert!(
            o.message.contains("judged against the key alone"),
            "{}",
            o.message
        );
        assert!(o.evidence.get("current_fingerprint").is_none());
    }

    #[test]
    fn an_expired_candidate_warns_and_fails_under_expiry_fail_days() {
        let b = bundle(Some(EXPIRED), true);
        let o = run(&b, &ctx());
        assert_eq!(o.status, Status::Warn);
        assert!(
            o.message.contains("do not upload acme/next.crt"),
            "{}",
            o.message
        );
        let mut strict = ctx();
        strict.expiry_fail_days = Some(0);
        assert_eq!(run(&b, &strict).status, Status::Fail);
    }

    #[test]
    fn without_next_cert_it_is_not_in_the_run() {
        let b = bundle(None, true);
        assert!(!CERT_ROTATION.group.runs(&b, &ctx()));
        assert_eq!(run(&b, &ctx()).status, Status::Skip);
    }
}
