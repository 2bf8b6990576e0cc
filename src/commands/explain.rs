//! `sfjwt explain [TEXT|-|CHECK_ID] [--format text|json] [--list]`: from an error text to its
//! causes, setup steps and fix; from a check id (or an error id) to its documentation.
//!
//! Exit codes: 0 when the text was recognised, an id was explained or `--list` listed; 1 when
//! the text holds no known error (like `grep` finding nothing: not a failure of the tool); 2 when
//! there was nothing to explain (no input on a terminal, empty or unreadable input, bad flags).

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};

use colored::Colorize;
use serde::Serialize;

use super::{Colour, Format};
use crate::checks::{self, Check, Group};
use crate::exit::{ExitStatus, RunError};
use crate::report;
use crate::salesforce::errors::{self, Kind, MAX_TEXT_BYTES, Match, MatchJson};
use crate::salesforce::paste::floor_char_boundary;
use crate::steps::Step;

/// Text output is wrapped at this width (fixed, so output is the same everywhere).
const WIDTH: usize = 100;
/// The width of the label column ("Passes when: ").
const LABEL: usize = 13;

/// What `explain` was asked about.
#[derive(Debug, Clone)]
pub enum Subject {
    List,
    Check(&'static Check),
    Entry(&'static errors::Entry),
    Text(String),
}

/// Decides what the input is: an exact check id, an exact error id, or text to match.
pub fn subject(input: &str) -> Subject {
    let id = input.trim();
    if let Some(check) = checks::find(id) {
        return Subject::Check(check);
    }
    if let Some(entry) = errors::catalog().get(id) {
        return Subject::Entry(entry);
    }
    Subject::Text(input.to_string())
}

/// What `sfjwt explain` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// The error text (its words), `-`, a check id or an error id; empty: standard input.
    pub input: Vec<String>,
    /// `--list`: every error and every check.
    pub list: bool,
    pub format: Format,
    pub colour: Colour,
}

/// Runs `sfjwt explain`.
pub fn run(args: &Settings, known: &crate::redact::Redactor) -> Result<ExitStatus, RunError> {
    let subject = if args.list {
        Subject::List
    } else {
        let text = match args.input.as_slice() {
            [] => {
                if std::io::stdin().is_terminal() {
                    return Err(RunError(
                        "nothing to explain. Give the error text, `-` to read it from standard \
                         input, or a check id:\n  \
                         sfjwt explain \"invalid_grant: audience is invalid\"\n  \
                         sf org login jwt ... 2>&1 | sfjwt explain -\n  \
                         sfjwt explain cert.matches-key\n  \
                         sfjwt explain --list"
                            .into(),
                    ));
                }
                read_stdin()?
            }
            [dash] if dash == "-" => read_stdin()?,
            words => {
                let joined = words.join(" ");
                let cut = floor_char_boundary(&joined, MAX_TEXT_BYTES);
                joined[..cut].to_string()
            }
        };
        if text.trim().is_empty() {
            return Err(RunError(
                "nothing to explain: the text is empty. Paste the error message, or pipe it in \
                 with `-`"
                    .into(),
            ));
        }
        subject(&text)
    };

    args.colour.apply_to_stdout();
    let (rendered, code) = match &subject {
        Subject::List => (
            match args.format {
                Format::Text => list_text(),
                Format::Json => to_json_text(&list_json()),
            },
            ExitStatus::Ok,
        ),
        Subject::Check(check) => (
            match args.format {
                Format::Text => check_text(check),
                Format::Json => to_json_text(&check_json(check)),
            },
            ExitStatus::Ok,
        ),
        Subject::Entry(entry) => {
            let m = [Match::of_entry(entry)];
            (render(&m, args.format), ExitStatus::Ok)
        }
        Subject::Text(text) => explain_text(text, args.format, known),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`sfjwt explain ... | head`) is not an error worth a message.
    let _ = stdout.write_all(rendered.as_bytes());
    let _ = stdout.flush();
    Ok(code)
}

/// `sfjwt explain TEXT`: the matches, the Salesforce CLI's retries and, when nothing matched, a
/// hint; exit 0 when something matched.
fn explain_text(
    text: &str,
    format: Format,
    known: &crate::redact::Redactor,
) -> (String, ExitStatus) {
    let (mut found, mut fan_out) = errors::match_text_with_fan_out(text);
    for m in &mut found {
        shown_from_the_paste(m, known);
    }
    for r in fan_out.iter_mut().flat_map(|f| f.retries.iter_mut()) {
        for url in [&mut r.audience, &mut r.login].into_iter().flatten() {
            clean_paste_text(url, known);
        }
    }
    let hint = if found.is_empty() {
        hint_for(text)
    } else {
        None
    };
    let rendered = match format {
        Format::Text => {
            let mut out = matches_text(&found);
            if let Some(f) = &fan_out {
                fan_out_text(&mut out, f);
            }
            if let Some(h) = &hint {
                out.push('\n');
                wrap(&mut out, "", 0, 0, 0, h);
            }
            out
        }
        Format::Json => {
            let mut j = matches_json(&found);
            j.hint = hint;
            j.fan_out = fan_out;
            to_json_text(&j)
        }
    };
    let code = if found.is_empty() {
        ExitStatus::Findings
    } else {
        ExitStatus::Ok
    };
    (rendered, code)
}

/// The parts of a match that are words of the paste (the error code and description, the URLs
/// the Salesforce CLI appended): redacted of the run's secrets and of anything shaped like a
/// credential, and display-safe, as everything sfjwt prints of a text it did not write.
fn shown_from_the_paste(m: &mut errors::Match, known: &crate::redact::Redactor) {
    let clean = |text: &mut String| clean_paste_text(text, known);
    if let Some(e) = &mut m.error {
        clean(e);
    }
    clean(&mut m.error_description);
    for (_, v) in &mut m.evidence {
        clean(v);
    }
}

/// Words of a paste made fit to print: anything shaped like a credential and the run's own
/// secrets redacted, display-safe.
fn clean_paste_text(text: &mut String, known: &crate::redact::Redactor) {
    *text = crate::lookalike::redact_lookalikes(text).into_owned();
    known.sanitize(text);
}

/// Reads standard input, up to [`MAX_TEXT_BYTES`]; more is left unread, with a note.
fn read_stdin() -> Result<String, RunError> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| RunError(format!("cannot read standard input: {e}")))?;
    if buf.len() > MAX_TEXT_BYTES {
        buf.truncate(MAX_TEXT_BYTES);
        eprintln!(
            "sfjwt: note: standard input is larger than 1 MiB; only its first 1 MiB is explained. \
             For a long log, pick the error lines first: grep -i error app.log | sfjwt explain -"
        );
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn to_json_text(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

fn render(found: &[Match], format: Format) -> String {
    match format {
        Format::Text => matches_text(found),
        Format::Json => to_json_text(&matches_json(found)),
    }
}

/// The JSON of `sfjwt explain TEXT` (contract: `schema_version` and `matches`, each with `id`,
/// `error`, `error_description`, `steps`, `cause`, `fix`).
#[derive(Debug, Serialize)]
pub struct MatchesJson<'a> {
    pub schema_version: u32,
    pub matches: Vec<MatchJson<'a>>,
    /// When nothing matched and the input looks like something else (a JWT, a mistyped check
    /// id): what to run instead. Never holds the input itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The Salesforce CLI's retries, when the text is its fan-out error: labelled, never causes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fan_out: Option<errors::FanOut>,
}

pub fn matches_json(found: &[Match]) -> MatchesJson<'_> {
    MatchesJson {
        schema_version: report::SCHEMA_VERSION,
        matches: found.iter().map(Match::json).collect(),
        hint: None,
        fan_out: None,
    }
}

/// The Salesforce CLI's retries under the matches: each attempt after the first, what it
/// matched and the hosts it went to, said to be the CLI's retries and not causes.
fn fan_out_text(out: &mut String, f: &errors::FanOut) {
    out.push('\n');
    wrap(
        out,
        "",
        0,
        0,
        0,
        &format!(
            "{} attempts are listed. The first is Salesforce's answer for the login URL you gave \
             (explained above); the {} after it are the {}'s retries with other audiences and \
             generic login hosts, not causes. Each retry sent (or tried to send) the signed \
             assertion to another host.",
            f.attempts,
            f.retries.len(),
            f.tool
        ),
    );
    let cat = errors::catalog();
    for r in &f.retries {
        let what = match r.id.and_then(|id| cat.get(id)) {
            Some(e) => format!("{} [{}]", e.title, e.id),
            None => "not a known error".to_string(),
        };
        let hosts: Vec<String> = [
            r.audience.as_ref().map(|a| format!("audience {a}")),
            r.login.as_ref().map(|l| format!("sent to {l}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let _ = write!(out, "  retry {}: {what}", r.attempt);
        if !hosts.is_empty() {
            let _ = write!(out, " ({})", hosts.join(", "));
        }
        out.push('\n');
    }
}

/// For a text no error matched: a JWT gets `sfjwt decode`, a word shaped like an id gets the
/// nearest check or error id. The hint names no part of a token (it may be a live one).
pub fn hint_for(text: &str) -> Option<String> {
    let t = text.trim();
    if crate::jwt::decode(t).is_ok() {
        return Some(
            "This is a JWT, not an error message. Take it apart and lint its claims with \
             `sfjwt decode -` (paste it on standard input: a token given as an argument stays in \
             the shell history); `sfjwt decode - --at TIME` judges it as of when it was sent."
                .into(),
        );
    }
    let id_shaped = !t.is_empty()
        && t.len() <= 64
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !id_shaped {
        return None;
    }
    let word = t.to_ascii_lowercase();
    let ids = checks::REGISTRY
        .iter()
        .map(|c| c.id)
        .chain(errors::catalog().entries().iter().map(|e| e.id.as_str()));
    let (best, distance) = ids
        .map(|id| (id, crate::salesforce::hosts::edit_distance(id, &word)))
        .min_by_key(|(_, d)| *d)?;
    let limit = (word.len() / 4).clamp(1, 3);
    (distance <= limit).then(|| {
        let kind = if checks::find(best).is_some() {
            "check"
        } else {
            "error"
        };
        format!(
            "No check id or error id is spelt this way; did you mean the {kind} `{best}`? \
             `sfjwt explain {best}` explains it; `sfjwt explain --list` lists them all."
        )
    })
}

/// The JSON of `sfjwt explain CHECK_ID`: the check's docs under `check`, and an empty `matches`
/// list so that every `explain` answer has one.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    pub schema_version: u32,
    pub check: CheckDocsJson,
    pub matches: [(); 0],
}

/// A check's metadata and docs.
#[derive(Debug, Serialize)]
pub struct CheckDocsJson {
    pub id: &'static str,
    pub title: &'static str,
    pub steps: &'static [Step],
    pub group: &'static str,
    pub passes_when: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub references: &'static [&'static str],
}

pub fn check_json(check: &'static Check) -> CheckJson {
    CheckJson {
        schema_version: report::SCHEMA_VERSION,
        check: CheckDocsJson {
            id: check.id,
            title: check.title,
            steps: check.steps,
            group: group_name(check.group),
            passes_when: check.docs.passes_when,
            what: check.docs.what,
            why: check.docs.why,
            fix: check.docs.fix,
            references: check.docs.references,
        },
        matches: [],
    }
}

/// The JSON of `sfjwt explain --list`: every error entry and every check.
#[derive(Debug, Serialize)]
pub struct ListJson {
    pub schema_version: u32,
    pub errors: Vec<ListedError>,
    pub checks: Vec<ListedCheck>,
}

#[derive(Debug, Serialize)]
pub struct ListedError {
    pub id: &'static str,
    pub title: &'static str,
    pub error: Option<&'static str>,
    pub error_description: Option<&'static str>,
    pub steps: &'static [u8],
    pub kind: &'static str,
    pub origin: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ListedCheck {
    pub id: &'static str,
    pub title: &'static str,
    pub steps: &'static [Step],
    pub group: &'static str,
}

pub fn list_json() -> ListJson {
    ListJson {
        schema_version: report::SCHEMA_VERSION,
        errors: errors::catalog()
            .entries()
            .iter()
            .map(|e| ListedError {
                id: &e.id,
                title: &e.title,
                error: e.error(),
                error_description: e.description(),
                steps: &e.steps,
                kind: e.kind.as_str(),
                origin: e.origin.as_str(),
            })
            .collect(),
        checks: checks::REGISTRY
            .iter()
            .map(|c| ListedCheck {
                id: c.id,
                title: c.title,
                steps: c.steps,
                group: group_name(c.group),
            })
            .collect(),
    }
}

pub fn group_name(group: Group) -> &'static str {
    group.name()
}

pub use crate::steps::in_words as steps_in_words;

/// Appends `text` word-wrapped to `WIDTH`: after `lead` (a label, possibly coloured, of visible
/// width `lead_width`) padded to column `start`, continuation lines starting at column `cont`.
fn wrap(out: &mut String, lead: &str, lead_width: usize, start: usize, cont: usize, text: &str) {
    out.push_str(lead);
    let mut col = lead_width;
    while col < start {
        out.push(' ');
        col += 1;
    }
    let mut at_start = true;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if !at_start && col + 1 + w > WIDTH {
            out.push('\n');
            out.push_str(&" ".repeat(cont));
            col = cont;
            at_start = true;
        }
        if !at_start {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += w;
        at_start = false;
    }
    out.push('\n');
}

/// One labelled field: `   Label:      text…`.
fn field(out: &mut String, label: &str, text: &str) {
    let lead = format!("   {}", format!("{label}:").bold());
    wrap(out, &lead, 3 + label.len() + 1, 3 + LABEL, 3 + LABEL, text);
}

/// A labelled list: the first item after the label, the others under it, each after a dash,
/// its continuation lines under its text.
fn list_field(out: &mut String, label: &str, items: &[String]) {
    for (i, item) in items.iter().enumerate() {
        let mut lead = String::new();
        let mut width = 0;
        if i == 0 {
            lead = format!("   {}", format!("{label}:").bold());
            width = 3 + label.len() + 1;
        }
        lead.push_str(&" ".repeat((3 + LABEL).saturating_sub(width)));
        lead.push_str("- ");
        let col = width.max(3 + LABEL) + 2;
        wrap(out, &lead, col, col, col, item);
    }
}

/// The text of `sfjwt explain TEXT`: each match with its causes, steps, fix and references.
pub fn matches_text(found: &[Match]) -> String {
    let mut out = String::new();
    if found.is_empty() {
        out.push_str("No known Salesforce JWT error in this text.\n\n");
        wrap(
            &mut out,
            "",
            0,
            0,
            0,
            "Paste the whole error: the JSON body of the token endpoint's answer (its \"error\" \
             and \"error_description\"), or the full message of the tool that failed. \
             `sfjwt explain --list` lists the errors sfjwt knows; `sfjwt check` tests the \
             credentials themselves.",
        );
        return out;
    }
    let n = found.len();
    if n > 1 {
        let _ = writeln!(out, "{n} known errors, in order of appearance.\n");
    }
    for (i, m) in found.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        entry_text(&mut out, m, (n > 1).then_some(i + 1));
    }
    out
}

fn entry_text(out: &mut String, m: &Match, number: Option<usize>) {
    let e = m.entry;
    let headline = match (&m.error, m.error_description.is_empty()) {
        (Some(code), false) => format!("{code}: {}", m.error_description),
        (Some(code), true) => code.clone(),
        (None, _) => m.error_description.clone(),
    };
    let prefix = number.map_or(String::new(), |k| format!("{k}. "));
    let _ = writeln!(
        out,
        "{prefix}{}  {}",
        headline.red().bold(),
        format!("[{}]", e.id).dimmed()
    );
    let mut title = String::new();
    wrap(&mut title, "   ", 3, 3, 3, &e.title);
    out.push_str(&title);
    out.push('\n');
    how_it_matched(out, m);
    what_it_is(out, e);
    if !m.evidence.is_empty() {
        let sent: Vec<String> = m.evidence.iter().map(|(k, v)| format!("{k}={v}")).collect();
        field(out, "Sent", &sent.join(", "));
    }
    if let Some(hint) = &m.hint {
        field(out, "Likely", hint);
    }
    causes_and_fix(out, e);
}

/// How the text matched the entry, unless it was named by its id.
fn how_it_matched(out: &mut String, m: &Match) {
    if m.matched_on != errors::MatchedOn::Id {
        let mut how = format!(
            "{} ({} confidence)",
            m.matched_on.describe(),
            m.confidence.as_str()
        );
        if let Some(tool) = &m.via {
            let _ = write!(how, ", in {tool} output");
        }
        field(out, "Matched", &how);
    }
}

/// The entry's HTTP status, kind, how well it is known, and its note.
fn what_it_is(out: &mut String, e: &errors::Entry) {
    if let Some(status) = &e.http_status {
        field(out, "HTTP", status);
    }
    match e.kind {
        Kind::Setup => {}
        Kind::Transient => field(
            out,
            "Kind",
            "transient: retrying with backoff usually helps",
        ),
        Kind::OtherGrant => field(
            out,
            "Kind",
            "not the JWT grant: this comes from another grant type, so the tool is not using \
             the JWT Bearer flow",
        ),
        Kind::Unexplained => field(out, "Kind", "no known cause"),
    }
    if !e.confirmed {
        field(
            out,
            "Seen",
            "documented (or reported by a vendor) only, never captured from a live response",
        );
    }
    if let Some(note) = &e.note {
        field(out, "Note", note);
    }
}

/// The steps, the cause (and the causes, when there are several), the fix and the references.
fn causes_and_fix(out: &mut String, e: &errors::Entry) {
    field(out, "Steps", &steps_in_words(&e.steps));
    field(out, "Cause", &e.cause);
    let causes: Vec<String> = e
        .causes
        .iter()
        .map(|c| match c.steps.as_slice() {
            [] => c.text.clone(),
            [s] => format!("{} (step {s})", c.text),
            many => format!(
                "{} (steps {})",
                c.text,
                many.iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
        .collect();
    if causes.len() > 1
        || causes
            .first()
            .is_some_and(|c| !e.cause.contains(c.as_str()))
    {
        list_field(out, "Causes", &causes);
    }
    field(out, "Fix", &e.fix);
    let refs: Vec<String> = e.references.clone();
    list_field(out, "References", &refs);
}

/// The text of `sfjwt explain CHECK_ID`.
pub fn check_text(check: &Check) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", check.id.bold(), check.title);
    let group = format!("{}: runs {}", check.group.name(), check.group.runs_when());
    field(&mut out, "Group", &group);
    field(&mut out, "Steps", &steps_in_words(&check.step_numbers()));
    let missing = "(not documented yet)";
    let or_missing = |s: &'static str| if s.trim().is_empty() { missing } else { s };
    field(&mut out, "Passes when", or_missing(check.docs.passes_when));
    field(&mut out, "What", or_missing(check.docs.what));
    field(&mut out, "Why", or_missing(check.docs.why));
    field(&mut out, "Fix", or_missing(check.docs.fix));
    let refs: Vec<String> = check
        .docs
        .references
        .iter()
        .map(|r| r.to_string())
        .collect();
    if refs.is_empty() {
        field(&mut out, "References", missing);
    } else {
        list_field(&mut out, "References", &refs);
    }
    out
}

/// The text of `sfjwt explain --list`.
pub fn list_text() -> String {
    let mut out = String::new();
    let entries = errors::catalog().entries();
    let width = entries
        .iter()
        .map(|e| e.id.len())
        .chain(checks::REGISTRY.iter().map(|c| c.id.len()))
        .max()
        .unwrap_or(0);
    let steps = |s: &[u8]| {
        if s.is_empty() {
            "-".to_string()
        } else {
            s.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
        }
    };
    let _ = writeln!(
        out,
        "{}",
        "Errors (sfjwt explain ID shows one; steps are the setup steps to fix)".bold()
    );
    for e in entries {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<11}  {}",
            e.id,
            steps(&e.steps),
            e.headline()
        );
    }
    let _ = writeln!(out, "\n{}", "Checks (sfjwt explain ID shows one)".bold());
    for c in checks::REGISTRY {
        let _ = writeln!(
            out,
            "  {:<width$}  {:<11}  {}",
            c.id,
            steps(&c.step_numbers()),
            c.title
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain<T>(f: impl FnOnce() -> T) -> T {
        colored::control::set_override(false);
        f()
    }

    #[test]
    fn a_jwt_is_sent_to_decode_without_being_repeated() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSIsInN1YiI6ImFAYi5jIn0.c2ln";
        let hint = hint_for(&format!("  {jwt}\n")).expect("a JWT gets a hint");
        assert!(hint.contains("sfjwt decode -"), "{hint}");
        assert!(
            !hint.contains("eyJ"),
            "the hint never repeats the token: {hint}"
        );
    }

    #[test]
    fn a_mistyped_id_gets_the_nearest_one() {
        let hint = hint_for("cert.matchs-key").expect("one letter off");
        assert!(
            hint.contains("did you mean the check `cert.matches-key`"),
            "{hint}"
        );
        let hint = hint_for("audience-invalide").expect("one letter off");
        assert!(
            hint.contains("did you mean the error `audience-invalid`"),
            "{hint}"
        );
        assert_eq!(hint_for("hello world, something failed"), None);
        assert_eq!(
            hint_for("zzzzzzzzzzzzzzzzzzzz"),
            None,
            "nothing near: no guess"
        );
    }

    #[test]
    fn exact_ids_are_ids_and_everything_else_is_text() {
        assert!(
            matches!(subject("cert.matches-key"), Subject::Check(c) if c.id == "cert.matches-key")
        );
        assert!(matches!(subject("  key.parse\n"), Subject::Check(_)));
        assert!(
            matches!(subject("user-not-approved"), Subject::Entry(e) if e.id == "user-not-approved")
        );
        assert!(matches!(subject("key.parse failed"), Subject::Text(_)));
        assert!(matches!(subject("KEY.PARSE"), Subject::Text(_)));
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let m = errors::match_text("invalid_grant: user hasn't approved this consumer");
        let text = plain(|| matches_text(&m));
        for line in text.lines() {
            // References are URLs and may be longer than a line.
            if !line.contains("https://") {
                assert!(line.chars().count() <= WIDTH, "{line:?}");
            }
        }
        assert!(text.contains("   Steps:       4 (Policies: pre-authorized users), 6 (Username)"));
        assert!(text.contains("   Fix:         In Setup open App Manager"));
    }

    #[test]
    fn steps_read_as_words() {
        assert_eq!(steps_in_words(&[5]), "5 (Authorization server URL)");
        assert_eq!(steps_in_words(&[]), "none known");
    }

    #[test]
    fn unrecognised_text_says_so_and_how_to_go_on() {
        let text = plain(|| matches_text(&[]));
        assert!(text.starts_with("No known Salesforce JWT error in this text."));
        assert!(text.contains("sfjwt explain --list"));
        let j = serde_json::to_value(matches_json(&[])).unwrap();
        assert_eq!(j["matches"], serde_json::json!([]));
    }

    #[test]
    fn a_check_without_docs_yet_says_so() {
        let check = checks::find("key.parse").unwrap();
        let text = plain(|| check_text(check));
        assert!(text.starts_with("key.parse  "));
        assert!(text.contains("Passes when:"));
        let j = serde_json::to_value(check_json(check)).unwrap();
        assert_eq!(j["check"]["id"], "key.parse");
        assert_eq!(j["matches"], serde_json::json!([]));
    }

    #[test]
    fn the_list_has_both_kinds() {
        let text = plain(list_text);
        assert!(text.contains("user-not-approved"));
        assert!(text.contains("cert.matches-key"));
        let j = serde_json::to_value(list_json()).unwrap();
        assert!(j["errors"].as_array().is_some_and(|a| a.len() >= 30));
        assert_eq!(
            j["checks"].as_array().map(Vec::len),
            Some(checks::REGISTRY.len())
        );
    }
}
