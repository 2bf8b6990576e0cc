//! assertion.claims, assertion.signature: the JWT bearer assertion itself (setup step 7, with
//! `aud` pointing at step 5).
//!
//! In `sfjwt check` both work on the test assertion: minted once per bundle from the key and
//! the identity inputs, decoded back, linted with [`crate::jwt::lint`] and verified with the
//! certificate. `sfjwt decode` builds the same findings from a token it is given, with
//! [`claims_outcome`] and [`signature_outcome`].

use std::sync::Arc;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::consumer::CONSUMER_KEY_FORMAT;
use super::scratch::Scratch;
use super::username::USERNAME_FORMAT;
use super::{Check, Docs, Group, Skip, require};
use crate::bundle::inputs;
use crate::bundle::key::{CMD_CERT, CMD_CSR, PrivateKey, UPLOAD_CERT};
use crate::bundle::{Bundle, Setting};
use crate::context::Context;
use crate::finding::{Finding, Outcome, Status};
use crate::jwt::{
    self, AssertionClaims, Decoded, Expectations, JudgedBy, MintError, Minted, NumericDate,
    RuleResult, Verification, describe_instant, relative,
};
use crate::salesforce::identity::shorten_key;
use crate::steps::Step;
use crate::text::{one_line_json, one_line_limited};

pub static ASSERTION_CLAIMS: Check = Check {
    id: "assertion.claims",
    title: "Assertion header and claims",
    steps: &[Step::LoginUrl, Step::Assertion],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The test assertion (or the decoded one) has the header and claims Salesforce requires.",
        what: "With a private key, the consumer key, the username and an audience (derived from the login URL, or --audience), sfjwt builds the assertion the way Salesforce's doc does: header {\"alg\":\"RS256\"}, claims iss (the consumer key), sub (the username), aud, and exp (the run's instant plus 180 seconds, in whole seconds). It signs it, decodes it back and runs Salesforce's rules over it; `sfjwt decode` runs the same rules over a token you give it. The rules, whose ids and results are in the evidence: encoding (base64url, no padding), duplicates, alg (RS256 only: none, HS256 and the rest fail), typ, header.unexpected, iss.present / iss.format / iss.matches, sub.present / sub.format / sub.matches (the legacy prn is accepted, and wins when both are given), aud.present / aud.format (one string with its scheme) / aud.salesforce / aud.matches (against the login URL), exp.present / exp.unit (seconds, not milliseconds) / exp.expired (60 seconds of clock skew warn, beyond that fail) / exp.window (the documented 3 minutes), iat, nbf (not in the future), claims.unexpected. The check takes the worst rule's status. A millisecond exp (the Salesforce CLI's Date.now() + 300) and a window longer than 3 minutes warn or inform rather than fail, because Salesforce accepts them today. The decoded header and claims are shown; the signed token never is, unless --show-assertion is given.",
        why: "Salesforce rejects an assertion whose claims are wrong, each mistake with its own error: a missing or wrong iss gives invalid_client_id (client identifier invalid); an aud that is an array, a bare host or another environment's server gives audience is invalid; an exp in the past gives expired authorization code; a sub that names no user of that org gives user hasn't approved this consumer; anything but RS256 gives invalid assertion. Client code builds the assertion by hand more often than not, and the setup guide never shows it.",
        fix: "Build the assertion as Salesforce's doc says: header {\"alg\":\"RS256\"}; iss = the app's Consumer Key; sub = the Username (Setup > Users); aud = the authorization server URL as one string (https://login.salesforce.com, https://test.salesforce.com, the My Domain URL, or the Experience Cloud site URL; since Spring '26 some External Client Apps need the My Domain URL for both aud and the token endpoint); exp = the current UTC time in whole seconds plus 180. The finding names each rule that failed and its fix.",
        references: &[
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm",
            "reference/salesforce-jwt.md §2.1-2.6 (header and claims), §0.4 (aud since Spring '26), §0.5 (exp in practice)",
            "forcedotcom/sfdx-core src/org/authInfo.ts: the Salesforce CLI signs exp: Date.now() + 300 (milliseconds)",
            "forcedotcom/datacloud-jdbc PR#132: an array or host-only aud gives audience is invalid",
            "n8n-io/n8n#28990 and PR#29016, simstudioai/sim PR#6508: External Client Apps past Spring '26 need the My Domain URL as aud",
            "simple-salesforce/simple-salesforce#371 and #491: exp in local time instead of UTC gives expired authorization code",
            "Salesforce Winter '15 release notes (KB 000204593): prn is accepted, and wins over sub",
            "RFC 7519 (JWT), RFC 7515 (JWS compact serialization), RFC 7523 (JWT bearer grant)",
        ],
    },
    run: run_claims,
};

pub static ASSERTION_SIGNATURE: Check = Check {
    id: "assertion.signature",
    title: "Assertion signature",
    steps: &[Step::KeyAndCert, Step::App, Step::Assertion],
    group: Group::Offline,
    docs: Docs {
        passes_when: "The assertion's signature verifies against the certificate.",
        what: "Verifies the test assertion's RS256 signature (SHA-256 with RSA, PKCS#1 v1.5) with the public key of the certificate given as --cert or server.crt, as Salesforce does with the certificate uploaded to the External Client App: one RSA signature and one verification per bundle. `sfjwt decode --cert` verifies a given token the same way, and says plainly when no certificate was given and nothing was verified. Fails when the signature does not verify (the key and the certificate don't belong together, or the token was changed after signing), when the token is unsigned (alg none), signed with an HMAC (HS256) or an algorithm a certificate can't verify, cut short (the signature is not as long as the key), or when the certificate's key is not RSA.",
        why: "Salesforce accepts an assertion only when its signature verifies with the certificate uploaded to the app; otherwise it answers invalid_grant / invalid assertion. cert.matches-key compares the two public keys; this check proves end to end that an assertion signed with this key verifies with this certificate.",
        fix: "Sign with the private key the uploaded certificate was made from, or make the certificate from this key and upload it: `openssl req -new -key server.key -out server.csr`, `openssl x509 -req -sha256 -days 365 -in server.csr -signkey server.key -out server.crt`, then upload server.crt to the External Client App (Settings → OAuth Settings → Flow Enablement → Enable JWT Bearer Flow). For a token built elsewhere: sign header.payload with RS256 and send all three parts exactly as signed.",
        references: &[
            "reference/salesforce-jwt.md §1A row 3: invalid_grant / invalid assertion when the signature doesn't verify",
            "frankkessler/salesforce-laravel-oauth2-rest#68, forcedotcom/sfdx-travisci#135: the wrong key",
            "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration (sign the string with SHA256 with RSA)",
            "RFC 7518 §3.3: RS256 (RSASSA-PKCS1-v1_5 with SHA-256)",
        ],
    },
    run: run_signature,
};

/// How to give the audience: through the login URL it derives from (or `--audience`).
fn how_to_give_audience() -> String {
    let (login, aud) = (&inputs::LOGIN_URL, &inputs::AUDIENCE);
    format!(
        "pass {} (or {}), set ${}, or put {} in sfjwt.toml",
        login.flag,
        aud.flag,
        login.env.unwrap_or_default(),
        login.toml.unwrap_or_default()
    )
}

/// Lines of a details entry longer than this are cut.
const MAX_DETAIL: usize = 1000;

#[cfg(test)]
thread_local! {
    /// How many RSA signatures this thread made, for the one-signature-per-bundle test.
    static SIGNATURES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn mint_counted(key: &PrivateKey, claims: AssertionClaims) -> Result<Minted, MintError> {
    #[cfg(test)]
    SIGNATURES.with(|c| c.set(c.get() + 1));
    jwt::mint_decoded(key, claims)
}

/// The bundle's test assertion: minted on first use and kept in the bundle's scratch, so both
/// assertion checks (and the live exchange) use one RSA signature. Claims that differ from the
/// kept ones (not expected within one run) are minted afresh.
fn mint_once(
    scratch: &mut Scratch,
    key: &PrivateKey,
    claims: AssertionClaims,
) -> Result<Arc<Minted>, MintError> {
    let kept = scratch
        .minted
        .get_or_insert_with(|| mint_counted(key, claims.clone()).map(Arc::new));
    match kept {
        Ok(m) if m.claims == claims => Ok(Arc::clone(m)),
        Ok(_) => mint_counted(key, claims).map(Arc::new),
        Err(e) => Err(e.clone()),
    }
}

/// What the test assertion is made from.
struct Inputs<'a> {
    key: &'a PrivateKey,
    iss: &'a Setting,
    sub: &'a Setting,
    aud: String,
    /// Where the aud came from, in words.
    aud_source: String,
    login_url: Option<&'a Setting>,
}

/// The inputs of the test assertion, or the skip that says which are missing.
fn inputs(bundle: &Bundle) -> Result<Inputs<'_>, Skip> {
    let key = require::key(bundle).map_err(|skip| skip.prefixed("no test assertion: "))?;
    let mut missing = Vec::new();
    if bundle.consumer_key.is_none() {
        missing.push(format!(
            "no consumer key for iss ({})",
            bundle.how_to_give(&inputs::CONSUMER_KEY)
        ));
    }
    if bundle.username.is_none() {
        missing.push(format!(
            "no username for sub ({})",
            bundle.how_to_give(&inputs::USERNAME)
        ));
    }
    let aud = match (&bundle.audience, &bundle.login_url) {
        (Some(a), _) => Some((a.value.clone(), a.origin.to_string())),
        (None, Some(login)) => match bundle.login_url_parsed() {
            Some(Ok(url)) => Some((
                url.default_audience(),
                format!("derived from the login URL ({})", login.origin),
            )),
            _ => {
                missing.push(
                    "no aud, because the login URL can't be used (see login-url.host; or give --audience)"
                        .to_string(),
                );
                None
            }
        },
        (None, None) => {
            missing.push(format!(
                "no login URL or audience for aud ({})",
                how_to_give_audience()
            ));
            None
        }
    };
    match (&bundle.consumer_key, &bundle.username, aud) {
        (Some(iss), Some(sub), Some((aud, aud_source))) if missing.is_empty() => Ok(Inputs {
            key,
            iss,
            sub,
            aud,
            aud_source,
            login_url: bundle.login_url.as_ref(),
        }),
        _ => Err(Skip::new(format!(
            "no test assertion was made: {}",
            missing.join("; ")
        ))),
    }
}

/// The test assertion and what it was made from; a missing input is the skip, and the inner
/// `Err` the failure of a mint that should not fail.
fn test_assertion<'a>(
    bundle: &'a Bundle,
    ctx: &Context,
    scratch: &mut Scratch,
) -> Result<Result<(Inputs<'a>, Arc<Minted>), Outcome>, Skip> {
    let inputs = inputs(bundle)?;
    let claims = AssertionClaims::new(
        inputs.iss.value.as_str(),
        inputs.sub.value.as_str(),
        inputs.aud.as_str(),
        ctx.at,
    );
    Ok(match mint_once(scratch, inputs.key, claims) {
        Ok(m) => Ok((inputs, m)),
        Err(e) => Err(Outcome::fail(
            e.to_string(),
            "This is a bug in sfjwt if key.parse passed: please report it with the output of `openssl pkey -in server.key -noout -text | head -1` (never the key itself).",
        )),
    })
}

/// The assertion `--live` sends: the bundle's test assertion (the one both assertion checks
/// used: no second signature) when the run is evaluated at the real time. Under an `--at` more
/// than a minute away from the clock, its `exp` would be judged by Salesforce against another
/// time, so one is made for the real time instead; the flag says which. The outcome, when
/// there is no assertion, is a skip naming the missing input.
pub(crate) fn live_assertion(
    bundle: &Bundle,
    ctx: &Context,
    scratch: &mut Scratch,
) -> Result<(Arc<Minted>, bool), Skip> {
    let now = OffsetDateTime::now_utc();
    let real_time = (ctx.at - now).whole_seconds().abs() > 60;
    let inputs = inputs(bundle)?;
    let at = if real_time { now } else { ctx.at };
    let claims = AssertionClaims::new(
        inputs.iss.value.as_str(),
        inputs.sub.value.as_str(),
        inputs.aud.as_str(),
        at,
    );
    mint_once(scratch, inputs.key, claims)
        .map(|m| (m, real_time))
        .map_err(|e| Skip::new(format!("no test assertion: {e}")))
}

fn run_claims(bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let (inputs, minted) = match test_assertion(bundle, ctx, scratch)? {
        Ok(x) => x,
        Err(failed) => return Ok(failed),
    };
    let expect = Expectations {
        consumer_key: Some(&inputs.iss.value),
        username: Some(&inputs.sub.value),
        login_url: inputs.login_url.map(|s| s.value.as_str()),
        login_url_parsed: inputs.login_url.and_then(|_| bundle.login_url_parsed()),
        custom_domain: bundle.custom_domain.as_ref().map(|d| d.kind),
        // One mistake, one finding: the input checks judge the username and the consumer key,
        // and the claims that carry them point there instead of failing a second time.
        judged: JudgedBy {
            username: Some(USERNAME_FORMAT.id),
            consumer_key: Some(CONSUMER_KEY_FORMAT.id),
        },
    };
    let results = jwt::lint(&minted.decoded, &expect, ctx.at);
    let mut out = claims_outcome("the test assertion", &minted.decoded, &results);
    let mut details = vec![
        format!(
            "header {}",
            one_line_limited(&minted.decoded.header_json(), MAX_DETAIL)
        ),
        format!(
            "claims {}",
            one_line_limited(&minted.decoded.claims_json(), MAX_DETAIL)
        ),
    ];
    details.extend(date_lines(&minted.decoded.claims, ctx.at));
    details.extend(
        results
            .iter()
            .filter(|r| r.status >= Status::Info)
            .map(|r| format!("{} {}: {}", r.status.as_str(), r.id, r.message)),
    );
    out = out
        .with("iss_source", inputs.iss.origin.to_string())
        .with("sub_source", inputs.sub.origin.to_string())
        .with("aud_source", inputs.aud_source.as_str());
    if ctx.show_assertion {
        let warning = format!(
            "WARNING: the assertion below is a credential until {}: anyone holding it can log in to Salesforce as {} until then. Don't paste it anywhere shared.",
            describe_instant(minted.claims.exp as f64),
            crate::text::quoted(&minted.claims.sub)
        );
        details.push(warning.clone());
        details.push(format!("assertion {}", minted.token));
        out = out
            .with("assertion", minted.token.as_str())
            .with("assertion_warning", warning);
    }
    Ok(out.with("details", Value::from(details)))
}

fn run_signature(bundle: &Bundle, ctx: &Context, scratch: &mut Scratch) -> Result<Outcome, Skip> {
    let file = require::cert(bundle)?;
    let (inputs, minted) = match test_assertion(bundle, ctx, scratch)? {
        Ok(x) => x,
        Err(failed) => return Ok(failed),
    };
    let v = jwt::verify(&minted.decoded, &file.first.spki_der);
    Ok(signature_outcome(
        "the test assertion",
        &v,
        Some(&file.first),
        Some(&inputs.key.fingerprint()),
    ))
}

// --- shared with `sfjwt decode` ---------------------------------------------------------------

/// The `assertion.claims` outcome from the rule results of a token: the worst status, a
/// one-line message, the fixes of what failed or warned, and as evidence the header, the claims
/// and every rule's result. `noun` names the token ("the test assertion", "the token").
pub fn claims_outcome(noun: &str, decoded: &Decoded, results: &[RuleResult]) -> Outcome {
    let worst = results
        .iter()
        .map(|r| r.status)
        .max()
        .unwrap_or(Status::Pass);
    let mut bad: Vec<&RuleResult> = results
        .iter()
        .filter(|r| r.status >= Status::Warn)
        .collect();
    bad.sort_by_key(|r| std::cmp::Reverse(r.status));
    let infos: Vec<&str> = results
        .iter()
        .filter(|r| r.status == Status::Info)
        .map(|r| r.id.as_str())
        .collect();
    let summary = summary(decoded);
    let mut out = if !bad.is_empty() {
        failing(noun, &bad, worst)
    } else if !infos.is_empty() {
        Outcome::info(format!(
            "{noun} has the header and claims Salesforce requires ({summary}){}; worth knowing: {}",
            left_to_input_checks(results),
            infos.join(", ")
        ))
    } else {
        Outcome::pass(format!(
            "{noun} has the header and claims Salesforce requires ({summary}){}",
            left_to_input_checks(results)
        ))
    };
    if !bad.is_empty() {
        let mut steps: Vec<u8> = bad.iter().flat_map(|r| r.steps().iter().copied()).collect();
        steps.push(7);
        steps.sort_unstable();
        steps.dedup();
        out = out.with_steps(&steps);
    }
    let rules: Vec<Value> = results.iter().map(rule_json).collect();
    out = out
        .with("header", Value::Object(decoded.shown_header()))
        .with("claims", Value::Object(decoded.shown_claims()))
        .with("rules", Value::from(rules));
    if !decoded.notes.is_empty() {
        out = out.with("input_notes", Value::from(decoded.notes.clone()));
    }
    out
}

/// The outcome of claims that break rules or have warnings: the rules named, the first one's
/// message, every fix once.
fn failing(noun: &str, bad: &[&RuleResult], worst: Status) -> Outcome {
    let first = bad[0];
    let fails: Vec<&str> = bad
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| r.id.as_str())
        .collect();
    let warns: Vec<&str> = bad
        .iter()
        .filter(|r| r.status == Status::Warn)
        .map(|r| r.id.as_str())
        .collect();
    let mut head = Vec::new();
    if !fails.is_empty() {
        head.push(format!(
            "breaks {} ({})",
            crate::words::count(fails.len() as i64, "rule", "rules"),
            fails.join(", ")
        ));
    }
    if !warns.is_empty() {
        head.push(format!(
            "{} {} ({})",
            if fails.is_empty() { "has" } else { "and has" },
            crate::words::count(warns.len() as i64, "warning", "warnings"),
            warns.join(", ")
        ));
    }
    let message = format!("{noun} {}: {}", head.join(" "), first.message);
    let mut fixes: Vec<String> = Vec::new();
    for r in bad {
        if let Some(f) = &r.fix {
            let line = if bad.len() > 1 {
                format!("{}: {f}", r.id)
            } else {
                f.clone()
            };
            if !fixes.iter().any(|x| x.ends_with(f.as_str())) {
                fixes.push(line);
            }
        }
    }
    let fix = fixes.join(" ");
    if worst == Status::Fail {
        Outcome::fail(message, fix)
    } else {
        Outcome::warn(message, fix)
    }
}

/// The rules that left their value to an input check, for a passing summary: "; sub.format:
/// see username.format".
fn left_to_input_checks(results: &[RuleResult]) -> String {
    results
        .iter()
        .filter_map(|r| Some(format!("; {}: see {}", r.id, r.left_to?)))
        .collect()
}

/// One rule's result as evidence: `{"id", "status", "message"[, "fix"]}`.
pub fn rule_json(r: &RuleResult) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), r.id.as_str().into());
    m.insert("status".into(), r.status.as_str().into());
    m.insert("message".into(), r.message.clone().into());
    if let Some(f) = &r.fix {
        m.insert("fix".into(), f.clone().into());
    }
    Value::Object(m)
}

/// "alg RS256, iss 3MVG9u8j…, sub jane@acme.com, aud https://login.salesforce.com, exp in 3
/// minutes": what the token says, briefly.
fn summary(decoded: &Decoded) -> String {
    let claims = decoded.shown_claims();
    let mut parts = Vec::new();
    if let Some(alg) = decoded.header.get("alg") {
        parts.push(format!("alg {}", one_line_json(alg, false)));
    }
    if let Some(Value::String(iss)) = claims.get("iss") {
        let shown = if iss.trim().starts_with("3MVG") {
            shorten_key(iss.trim())
        } else {
            format!("({} characters)", iss.chars().count())
        };
        parts.push(format!("iss {shown}"));
    }
    for claim in ["prn", "sub", "aud"] {
        if let Some(v) = claims.get(claim) {
            parts.push(format!("{claim} {}", one_line_json(v, false)));
            if claim == "prn" {
                // prn wins over sub: don't show both.
                break;
            }
        }
    }
    if let Some(exp) = claims.get("exp") {
        match NumericDate::read(exp) {
            Ok(d) => parts.push(format!("exp {}", describe_instant(d.seconds))),
            Err(_) => parts.push(format!("exp {}", one_line_json(exp, true))),
        }
    }
    parts.join(", ")
}

/// `exp 1795957380 = 2026-11-29T13:03:00Z (in 3 minutes)`, and the same for iat and nbf.
pub fn date_lines(claims: &Map<String, Value>, at: OffsetDateTime) -> Vec<String> {
    let now = at.unix_timestamp() as f64;
    ["exp", "iat", "nbf"]
        .iter()
        .filter_map(|name| {
            let raw = claims.get(*name)?;
            let d = NumericDate::read(raw).ok()?;
            Some(format!(
                "{name} {} = {} ({})",
                one_line_json(raw, false),
                describe_instant(d.seconds),
                relative(d.seconds - now)
            ))
        })
        .collect()
}

/// The `assertion.signature` outcome for a verification against `cert` (`None` for the
/// verdicts that need no certificate, from [`jwt::precheck`]). `key_fingerprint` is the signing
/// key's, when known (in `check`).
pub fn signature_outcome(
    noun: &str,
    v: &Verification,
    cert: Option<&crate::bundle::cert::Certificate>,
    key_fingerprint: Option<&str>,
) -> Outcome {
    let cert_fp = cert.map_or_else(|| "no certificate".to_string(), |c| c.fingerprint());
    let sign_again = "Sign header.payload with RS256 (SHA256withRSA) using the private key the uploaded certificate was made from, and send the three parts exactly as signed.";
    let out = match v {
        Verification::Verified { alg } => Outcome::pass(format!(
            "{noun}'s {alg} signature verifies with the certificate's public key ({cert_fp})"
        )),
        Verification::Mismatch { alg } => {
            let (message, fix) = match key_fingerprint {
                Some(key_fp) => (
                    format!(
                        "{noun}, signed with this private key ({key_fp}), does not verify with the certificate ({cert_fp}): Salesforce will answer invalid_grant / invalid assertion"
                    ),
                    format!(
                        "Make server.crt again from this server.key: `{CMD_CSR}`, then `{CMD_CERT}`; and {UPLOAD_CERT}. Or sign with the private key the uploaded certificate was made from."
                    ),
                ),
                None => (
                    format!(
                        "{noun}'s {alg} signature does not verify with the certificate ({cert_fp}): it was signed by another key, or changed after signing; Salesforce will answer invalid_grant / invalid assertion"
                    ),
                    "Sign with the private key this certificate was made from (compare `openssl pkey -in server.key -pubout | openssl sha256` with `openssl x509 -in server.crt -noout -pubkey | openssl sha256`), or upload the certificate of the key that signs (setup step 2); then send the token exactly as signed.".to_string(),
                ),
            };
            Outcome::fail(message, fix)
        }
        Verification::Unsigned => Outcome::fail(
            format!(
                "{noun} has no signature (alg none, or nothing after the second dot): Salesforce accepts only RS256-signed assertions (invalid assertion)"
            ),
            sign_again,
        ),
        Verification::Hmac { alg } => Outcome::fail(
            format!(
                "{noun} is signed with {}, an HMAC with a shared secret: no certificate can verify it, and Salesforce answers invalid assertion",
                crate::text::one_line(alg)
            ),
            sign_again,
        ),
        Verification::Unsupported { alg } => Outcome::fail(
            format!(
                "{noun} is signed with {}, which a certificate's RSA key can't verify; Salesforce takes RS256",
                crate::text::one_line(alg)
            ),
            sign_again,
        ),
        Verification::NoAlg => Outcome::fail(
            format!("{noun}'s header names no algorithm (alg), so its signature can't be verified"),
            sign_again,
        ),
        Verification::CertKeyNotRsa => Outcome::fail(
            format!(
                "the certificate's public key is {}, not RSA, so it can't verify an RS256 signature; Salesforce needs an RSA certificate",
                cert.map_or_else(|| "unknown".to_string(), |c| c.public_key.to_string())
            ),
            format!(
                "Make an RSA key and a certificate for it: `{}`, `{CMD_CSR}`, `{CMD_CERT}`; and {UPLOAD_CERT}.",
                crate::bundle::key::CMD_GENKEY
            ),
        ),
        Verification::WrongLength { got, expected } => Outcome::fail(
            format!(
                "{noun}'s signature is {got} bytes, but the certificate's {}-bit key makes {expected}-byte signatures: the token was cut short, or signed by a key of another size (invalid assertion)",
                expected * 8
            ),
            format!("Copy the whole token again if it was cut short; otherwise: {sign_again}"),
        ),
    };
    let mut out = out.with("verified", v.is_verified());
    if cert.is_some() {
        out = out.with("cert_fingerprint", cert_fp);
    }
    if let Some(k) = key_fingerprint {
        out = out.with("key_fingerprint", k);
    }
    out
}

/// A finding from an outcome built outside a bundle run (`sfjwt decode`), as
/// [`Check::evaluate`] makes one.
pub fn finding(check: &'static Check, outcome: Outcome) -> Finding {
    check.finding(outcome)
}

#[cfg(test)]
mod tests;
