//! `sfjwt decode`: take a JWT bearer assertion apart, lint it with the same rules as
//! `sfjwt check` ([`crate::jwt::lint`]), verify its signature with `--cert`, and report it as
//! text or JSON. The token and its signature are never printed back.

use crate::text::{one_line, one_line_json};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};

use colored::Colorize;

use crate::report::text::mark;
use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::{Colour, Format};
use crate::bundle::cert::decode_certificates;
use crate::bundle::source::{read_capped, read_file_capped};
use crate::checks::assertion::{
    ASSERTION_CLAIMS, ASSERTION_SIGNATURE, claims_outcome, finding, signature_outcome,
};
use crate::exit::{ExitStatus, RunError};
use crate::finding::{Finding, Outcome, Status};
use crate::jwt::{
    self, Decoded, Expectations, NumericDate, RuleResult, describe_instant, relative,
};
use crate::report::{SCHEMA_VERSION, Tool, Verdict};
use crate::text::rfc3339;

/// The noun findings use for a decoded token.
const NOUN: &str = "the token";

/// The claims shown first, in this order; the others follow sorted.
const CLAIM_ORDER: &[&str] = &["iss", "sub", "prn", "aud", "exp", "iat", "nbf", "jti"];

/// `sfjwt decode --format json` (contract: schema_version, header, claims, checks).
#[derive(Debug, Serialize)]
pub struct DecodeReport {
    pub schema_version: u32,
    pub tool: Tool,
    /// RFC 3339, UTC: the instant exp, iat and nbf were judged at.
    pub evaluated_at: String,
    pub verdict: Verdict,
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub signature: SignatureInfo,
    /// What was dropped around the token to read it (`Bearer `, quotes...).
    pub input_notes: Vec<String>,
    /// The `assertion.claims` and `assertion.signature` findings.
    pub checks: Vec<Finding>,
    /// The rule results behind `assertion.claims` (also in its evidence).
    #[serde(skip)]
    pub rules: Vec<RuleResult>,
    /// Whether a certificate was given to verify the signature with (`--cert`).
    #[serde(skip)]
    pub cert_given: bool,
}

/// What is known about the signature, never the signature itself.
#[derive(Debug, Serialize)]
pub struct SignatureInfo {
    pub bytes: usize,
    pub verified: bool,
}

/// What `sfjwt decode` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// The token, `-` or nothing (standard input).
    pub token: Option<String>,
    /// The certificate to verify the signature with.
    pub cert: Option<std::path::PathBuf>,
    /// What iss, sub and aud must fit.
    pub consumer_key: Option<String>,
    pub username: Option<String>,
    pub login_url: Option<String>,
    /// The login URL's host declared a custom domain (`--custom-domain`).
    pub custom_domain: Option<crate::salesforce::hosts::CustomDomain>,
    /// The instant exp, iat and nbf are judged at (now when not given).
    pub at: Option<OffsetDateTime>,
    pub format: Format,
    pub colour: Colour,
}

/// Runs `sfjwt decode` and returns its exit status.
pub fn run(args: &Settings, known: &crate::redact::Redactor) -> Result<ExitStatus, RunError> {
    let (bytes, from_argument) = read_input(args)?;
    // The token itself is a credential until its exp: nothing of it is printed back, and
    // neither is a secret of the run's environment that the claims may hold.
    let mut secrets = known.clone();
    secrets.add(&String::from_utf8_lossy(&bytes), "token");
    let decoded = match jwt::decode_bytes(&bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("sfjwt: error: {}", e.message());
            eprintln!("sfjwt: fix: {}", e.fix());
            return Ok(ExitStatus::Error);
        }
    };
    let at = args
        .at
        .unwrap_or_else(OffsetDateTime::now_utc)
        .to_offset(time::UtcOffset::UTC);
    let at = at.replace_nanosecond(0).unwrap_or(at);

    let cert = match &args.cert {
        None => None,
        Some(path) => Some(read_file_capped(path).map_err(|e| {
            RunError(format!(
                "--cert {}: {e}; give the certificate uploaded to the app (server.crt)",
                path.display()
            ))
        })?),
    };

    let expect = Expectations {
        consumer_key: args.consumer_key.as_deref(),
        username: args.username.as_deref(),
        login_url: args.login_url.as_deref(),
        custom_domain: args.custom_domain,
        ..Default::default()
    };
    let mut report = build(&decoded, &expect, cert.as_deref(), args.cert.as_deref(), at);
    report.sanitize(&secrets);

    if from_argument {
        warn_about_argument(&decoded, at);
    }
    let rendered = match args.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report).map_err(|e| {
                RunError(format!("internal error: the report did not serialise: {e}"))
            })?;
            s.push('\n');
            s
        }
        Format::Text => {
            args.colour.apply_to_stdout();
            render_text(&report, &decoded, at)
        }
    };
    // The report is sanitized; this covers the text rendering's raw header line, which comes
    // from the token as it was sent.
    let rendered = secrets.scrub(&rendered);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(rendered.as_bytes());
    let _ = stdout.flush();
    Ok(match report.verdict {
        Verdict::Fail => ExitStatus::Findings,
        _ => ExitStatus::Ok,
    })
}

/// The token's bytes, and whether they came from the command line.
fn read_input(args: &Settings) -> Result<(Vec<u8>, bool), RunError> {
    match args.token.as_deref() {
        Some("-") => read_stdin().map(|b| (b, false)),
        Some(token) => Ok((token.as_bytes().to_vec(), true)),
        None if std::io::stdin().is_terminal() => Err(RunError(
            "no token given: pass it as an argument, or pipe it in (`sfjwt decode - < token.txt`, `pbpaste | sfjwt decode`)"
                .into(),
        )),
        None => read_stdin().map(|b| (b, false)),
    }
}

fn read_stdin() -> Result<Vec<u8>, RunError> {
    read_capped(std::io::stdin().lock()).map_err(|e| match e {
        crate::bundle::source::ReadError::TooLarge { limit } => RunError(format!(
            "standard input is larger than {} KiB: give one token, not a whole log or file",
            limit / 1024
        )),
        other => RunError(format!("standard input: {other}")),
    })
}

/// A token given as an argument sits in shell history; say so while it is still usable.
fn warn_about_argument(decoded: &Decoded, at: OffsetDateTime) {
    let exp = decoded
        .claims
        .get("exp")
        .and_then(|v| NumericDate::read(v).ok());
    if let Some(exp) = exp
        && exp.seconds > at.unix_timestamp() as f64
    {
        eprintln!(
            "sfjwt: note: the token was given as an argument, so it is in your shell history and the process list; it is a credential until {}. Pipe it in next time: sfjwt decode - < token.txt",
            describe_instant(exp.seconds)
        );
    }
}

impl DecodeReport {
    /// Redacts `secrets` from everything the report shows of the token, and makes it
    /// display-safe, before any of it is rendered (and cut short).
    pub fn sanitize(&mut self, secrets: &crate::redact::Redactor) {
        for map in [&mut self.header, &mut self.claims] {
            let mut value = Value::Object(std::mem::take(map));
            secrets.sanitize_json(&mut value);
            if let Value::Object(clean) = value {
                *map = clean;
            }
        }
        for note in &mut self.input_notes {
            secrets.sanitize(note);
        }
        for f in &mut self.checks {
            f.sanitize(secrets);
        }
        for r in &mut self.rules {
            for text in std::iter::once(&mut r.judgement.message).chain(r.judgement.fix.as_mut()) {
                secrets.sanitize(text);
            }
        }
    }
}

/// Builds the report: the findings of the shared checks over the decoded token.
pub fn build(
    decoded: &Decoded,
    expect: &Expectations<'_>,
    cert_bytes: Option<&[u8]>,
    cert_path: Option<&std::path::Path>,
    at: OffsetDateTime,
) -> DecodeReport {
    let results = jwt::lint(decoded, expect, at);
    let claims = claims_outcome(NOUN, decoded, &results);
    let signature = match cert_bytes {
        None => match jwt::precheck(decoded) {
            Err(v) => signature_outcome(NOUN, &v, None, None),
            Ok(()) if !jwt::plausible_rsa_length(decoded) => Outcome::warn(
                format!(
                    "signature NOT verified (no --cert), and its {} match no RSA key size (a 2048-bit key makes 256): the token looks cut short",
                    crate::words::count(decoded.signature_len() as i64, "byte", "bytes")
                ),
                "Copy the whole token again, and give the certificate uploaded to the app with --cert server.crt to verify it.",
            ),
            Ok(()) => Outcome::skip(
                "signature NOT verified (no --cert): give the certificate uploaded to the app, e.g. --cert server.crt",
            ),
        },
        Some(bytes) => match decode_certificates(bytes) {
            Err(e) => Outcome::fail(
                format!(
                    "signature NOT verified: {}{}",
                    e.message(),
                    cert_path
                        .map(|p| format!(" (--cert {})", p.display()))
                        .unwrap_or_default()
                ),
                e.fix(),
            ),
            Ok(file) => signature_outcome(
                NOUN,
                &jwt::verify(decoded, &file.first.spki_der),
                Some(&file.first),
                None,
            ),
        },
    };
    let verified = signature.evidence.get("verified") == Some(&Value::Bool(true));
    let signature = signature
        .with("verified", verified)
        .with("signature_bytes", decoded.signature_len());
    let checks = vec![
        finding(&ASSERTION_CLAIMS, claims),
        finding(&ASSERTION_SIGNATURE, signature),
    ];
    DecodeReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        evaluated_at: rfc3339(at),
        verdict: Verdict::of(&checks),
        header: decoded.shown_header(),
        claims: decoded.shown_claims(),
        signature: SignatureInfo {
            bytes: decoded.signature_len(),
            verified,
        },
        input_notes: decoded.notes.clone(),
        checks,
        rules: results,
        cert_given: cert_bytes.is_some(),
    }
}

// --- text ------------------------------------------------------------------------------------

fn ordered_claims(claims: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut out: Vec<(&String, &Value)> = Vec::new();
    for name in CLAIM_ORDER {
        if let Some((k, v)) = claims.get_key_value(*name) {
            out.push((k, v));
        }
    }
    out.extend(
        claims
            .iter()
            .filter(|(k, _)| !CLAIM_ORDER.contains(&k.as_str())),
    );
    out
}

/// The text report: header, claims with readable times, signature, then the two findings with
/// every rule under assertion.claims.
pub fn render_text(report: &DecodeReport, decoded: &Decoded, at: OffsetDateTime) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        "JWT".bold(),
        format!("(evaluated at {})", report.evaluated_at).dimmed()
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<9}  {}",
        "header".bold(),
        one_line(&crate::lookalike::redact_lookalikes(&decoded.header_json()))
    );
    claim_lines(&mut out, report, at);
    signature_lines(&mut out, report);
    let _ = writeln!(out);
    finding_lines(&mut out, report);
    verdict_line(&mut out, report);
    out
}

/// The claims, one per line, exp, iat and nbf with the instant they mean and how far it is.
fn claim_lines(out: &mut String, report: &DecodeReport, at: OffsetDateTime) {
    let now = at.unix_timestamp() as f64;
    let claims = ordered_claims(&report.claims);
    let width = claims
        .iter()
        .map(|(k, _)| one_line(k).chars().count())
        .max()
        .unwrap_or(0);
    if claims.is_empty() {
        let _ = writeln!(out, "  {:<9}  {{}}", "claims".bold());
    }
    for (i, (name, value)) in claims.iter().enumerate() {
        let label = if i == 0 { "claims" } else { "" };
        let mut shown = one_line_json(value, false);
        if matches!(name.as_str(), "exp" | "iat" | "nbf")
            && let Ok(d) = NumericDate::read(value)
        {
            shown = format!(
                "{shown} = {} ({})",
                describe_instant(d.seconds),
                relative(d.seconds - now)
            );
        }
        let _ = writeln!(
            out,
            "  {:<9}  {:<width$}  {shown}",
            label.bold(),
            one_line(name)
        );
    }
}

/// The signature's size and whether it was verified, and what was dropped around the token.
fn signature_lines(out: &mut String, report: &DecodeReport) {
    let sig = &report.signature;
    let state = if sig.verified {
        "verified with --cert".green().to_string()
    } else if !report.cert_given {
        "NOT verified (no --cert)".yellow().bold().to_string()
    } else {
        "NOT verified".red().bold().to_string()
    };
    let _ = writeln!(
        out,
        "  {:<9}  {}, {state}",
        "signature".bold(),
        crate::words::count(sig.bytes as i64, "byte", "bytes")
    );
    for note in &report.input_notes {
        let _ = writeln!(out, "  {:<9}  {}", "input".bold(), note);
    }
}

/// The two findings, every rule under assertion.claims, each fix under what it fixes.
fn finding_lines(out: &mut String, report: &DecodeReport) {
    let id_width = report.checks.iter().map(|f| f.id.len()).max().unwrap_or(0);
    let rules = &report.rules;
    let rule_width = rules.iter().map(|r| r.id.as_str().len()).max().unwrap_or(0);
    let fix_line = |out: &mut String, indent: &str, width: usize, fix: &str| {
        let _ = writeln!(
            out,
            "{indent}{:<4}  {:<width$}  {} {fix}",
            "",
            "",
            "fix:".bold()
        );
    };
    for f in &report.checks {
        let _ = writeln!(
            out,
            "  {}  {:<id_width$}  {}",
            mark(f.status),
            f.id,
            f.message
        );
        if f.id == ASSERTION_CLAIMS.id {
            for r in rules {
                let _ = writeln!(
                    out,
                    "        {}  {:<rule_width$}  {}",
                    mark(r.status),
                    r.id,
                    r.message
                );
                if let (Some(fix), Status::Warn | Status::Fail) = (&r.fix, r.status) {
                    fix_line(out, "        ", rule_width, fix);
                }
            }
        } else if let (Some(fix), Status::Warn | Status::Fail) = (&f.fix, f.status) {
            fix_line(out, "  ", id_width, fix);
        }
    }
}

/// The token's verdict and the count of rules by status.
fn verdict_line(out: &mut String, report: &DecodeReport) {
    let count = |s: Status| report.rules.iter().filter(|r| r.status == s).count();
    let verdict = match report.verdict {
        Verdict::Pass => "pass".green().bold(),
        Verdict::Warn => "warn".yellow().bold(),
        Verdict::Fail => "FAIL".red().bold(),
    };
    let _ = writeln!(
        out,
        "\n  token {verdict}: rules {} pass, {} info, {} warn, {} fail, {} skip; signature {}",
        count(Status::Pass),
        count(Status::Info),
        count(Status::Warn),
        count(Status::Fail),
        count(Status::Skip),
        report
            .checks
            .iter()
            .find(|f| f.id == ASSERTION_SIGNATURE.id)
            .map_or("skip", |f| f.status.as_str())
    );
}
