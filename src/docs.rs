//! Reference pages generated from the data: `docs/errors.md` from the error catalog,
//! `docs/checks.md` from the check registry, and `docs/troubleshooting.md` from both, by setup step. `tests/cli/docs.rs` compares the committed files with
//! these functions' output; `UPDATE_DOCS=1 cargo test docs` rewrites them.

use std::fmt::Write as _;

use crate::checks::{self, Group};
use crate::report::text::step_title;
use crate::salesforce::errors::{self, Entry, Kind, Origin, Seen};
use crate::steps::Step;

/// The command that regenerates the generated pages.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test docs";

/// Escapes Markdown outside code spans: `<`, `>`, `*`, `|` and `_` at word edges would
/// otherwise turn into tags, emphasis or table cells.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '*' => out.push_str("\\*"),
                '|' => out.push_str("\\|"),
                _ => out.push(c),
            }
        }
    }
    out
}

/// A value in a code span, safe for any backticks it holds.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn steps_short(steps: &[u8]) -> String {
    if steps.is_empty() {
        return "-".to_string();
    }
    steps
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn header(out: &mut String, title: &str, source: &str, function: &str) {
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "<!-- Generated from {source} by {function}; do not edit by hand.\n     \
         Regenerate with: {REGENERATE} -->\n"
    );
}

fn steps_legend(out: &mut String) {
    out.push_str("The setup steps are those of the setup guide:\n\n");
    for s in Step::ALL {
        let _ = writeln!(out, "{}. {}", s.number(), s.title());
    }
    out.push('\n');
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Setup => "setup: fix the setup",
        Kind::Transient => "transient: retry with backoff",
        Kind::OtherGrant => "not the JWT grant: the tool used another grant type",
        Kind::Unexplained => "no known cause",
    }
}

/// A section of docs/errors.md: its title, its introduction, and which entries it holds.
type Section = (&'static str, &'static str, fn(&Entry) -> bool);

fn sections() -> [Section; 4] {
    [
        (
            "JSON errors from the token endpoint",
            "What Salesforce's `/services/oauth2/token` answers, as `{\"error\": …, \
             \"error_description\": …}` with HTTP 400, when it refuses a JWT Bearer assertion.",
            |e| e.origin == Origin::Salesforce && e.kind != Kind::OtherGrant,
        ),
        (
            "Errors of other grant types",
            "These do not come from the JWT Bearer grant: seeing one means the tool sent another \
             grant type (username-password, client credentials, refresh token).",
            |e| e.origin == Origin::Salesforce && e.kind == Kind::OtherGrant,
        ),
        (
            "HTML pages and HTTP-level failures",
            "Answers that are not an OAuth error body: redirects, HTML pages, server errors, TLS.",
            |e| e.origin == Origin::Http,
        ),
        (
            "Messages of client tools",
            "Printed by the Salesforce CLI, OpenSSL or a client library, before or around the \
             request; often confused with Salesforce's errors.",
            |e| e.origin == Origin::Client,
        ),
    ]
}

/// `docs/errors.md`: every catalog entry, with its forms, causes, steps, fix and references.
pub fn errors_markdown() -> String {
    let cat = errors::catalog();
    let mut out = String::new();
    header(
        &mut out,
        "Salesforce JWT Bearer errors",
        "src/salesforce/errors.toml",
        "sfjwt::docs::errors_markdown()",
    );
    out.push_str(
        "What each failure of a Salesforce JWT Bearer login means, which setup step to fix, and \
         how. `sfjwt explain` prints the same for an error you paste: the JSON body, a log line, \
         or the message of the Salesforce CLI or a client library.\n\n",
    );
    steps_legend(&mut out);

    out.push_str("## Index\n\n| id | error | description or text | steps | kind |\n");
    out.push_str("|---|---|---|---|---|\n");
    for e in cat.entries() {
        let error = e.error().map_or(String::from("—"), code);
        let description = e.description().map_or(String::from("—"), md);
        let _ = writeln!(
            out,
            "| [{id}](#{id}) | {error} | {description} | {} | {} |",
            steps_short(&e.steps),
            e.kind.as_str(),
            id = e.id,
        );
    }
    out.push('\n');

    for (title, intro, wanted) in sections() {
        let _ = writeln!(out, "## {title}\n\n{}\n", md(intro));
        for e in cat.entries().iter().filter(|e| wanted(e)) {
            entry_markdown(&mut out, e);
        }
    }

    out.push_str("## Wrappers\n\n");
    out.push_str(
        "Text that tools put around Salesforce's errors. Near one of these, sfjwt also \
         recognises short descriptions without their error code, and names the tool.\n\n",
    );
    for w in cat.wrappers() {
        match &w.tool {
            Some(tool) => {
                let _ = writeln!(out, "- {} ({tool})", code(&w.text));
            }
            None => {
                let _ = writeln!(out, "- {}", code(&w.text));
            }
        }
    }
    out
}

fn entry_markdown(out: &mut String, e: &Entry) {
    let _ = writeln!(
        out,
        "<a id=\"{id}\"></a>\n### `{id}`: {}\n",
        md(&e.title),
        id = e.id
    );
    for f in &e.forms {
        let seen = match f.seen {
            Seen::Live => "seen live",
            Seen::Documented => "documented only",
        };
        match &f.description {
            Some(d) => {
                let _ = writeln!(
                    out,
                    "- **Error:** {} / {} ({seen})",
                    code(&f.error),
                    code(d)
                );
            }
            None => {
                let _ = writeln!(out, "- **Error:** {} without a description", code(&f.error));
            }
        }
    }
    for s in &e.signatures {
        let _ = writeln!(out, "- **Text:** {}", code(s));
    }
    for a in &e.aliases {
        let _ = writeln!(out, "- **Also logged as:** {}", code(a));
    }
    if let Some(status) = &e.http_status {
        let _ = writeln!(out, "- **HTTP status:** {}", md(status));
    }
    let _ = writeln!(out, "- **Kind:** {}", kind_words(e.kind));
    if !e.confirmed {
        out.push_str("- **Evidence:** documented or vendor-reported only, never captured live\n");
    }
    let _ = writeln!(
        out,
        "- **Setup steps:** {}",
        crate::steps::in_words(&e.steps)
    );
    if let Some(note) = &e.note {
        let _ = writeln!(out, "- **Note:** {}", md(note));
    }
    let _ = writeln!(out, "\n**Cause.** {}\n", md(&e.cause));
    out.push_str("**Known causes:**\n\n");
    for c in &e.causes {
        let steps = match c.steps.as_slice() {
            [] => String::new(),
            [s] => format!(" (step {s})"),
            many => format!(" (steps {})", steps_short(many)),
        };
        let _ = writeln!(out, "- {}{steps}", md(&c.text));
    }
    let _ = writeln!(out, "\n**Fix.** {}\n", md(&e.fix));
    out.push_str("**Seen as:**\n\n```text\n");
    for ex in &e.examples {
        let _ = writeln!(out, "{}", ex.replace("```", "'''"));
    }
    out.push_str("```\n\n**References:**\n\n");
    for r in &e.references {
        if r.starts_with("https://") && !r.contains(char::is_whitespace) {
            let _ = writeln!(out, "- <{r}>");
        } else {
            let _ = writeln!(out, "- {}", md(r));
        }
    }
    out.push('\n');
}

/// `docs/checks.md`: every check of the registry with its documentation.
/// The check table of README.md, between its `<!-- checks -->` markers: one row per check of
/// the registry, linking to its section of docs/checks.md.
pub fn readme_checks_table() -> String {
    let mut out = String::from("| id | title | steps | runs |\n|---|---|---|---|\n");
    for c in checks::REGISTRY {
        let _ = writeln!(
            out,
            "| [`{id}`](docs/checks.md#{anchor}) | {} | {} | {} |",
            md(c.title),
            steps_short(&c.step_numbers()),
            group_words(c.group),
            id = c.id,
            anchor = anchor(c.id),
        );
    }
    out
}

/// Where the generated table sits in README.md.
pub const README_CHECKS_START: &str =
    "<!-- checks: generated by sfjwt::docs::readme_checks_table() -->\n";
pub const README_CHECKS_END: &str = "<!-- end of checks -->\n";

pub fn checks_markdown() -> String {
    let mut out = String::new();
    header(
        &mut out,
        "sfjwt checks",
        "the check registry (src/checks/)",
        "sfjwt::docs::checks_markdown()",
    );
    out.push_str(
        "Every check `sfjwt check` runs, with its stable id. `sfjwt explain ID` prints the same \
         for one check.\n\n",
    );
    out.push_str(
        "## Statuses: one severity rule\n\nEvery check gives one of five statuses, by the same \
         rule:\n\n",
    );
    for (status, rule) in crate::finding::SEVERITY_RULE {
        let _ = writeln!(out, "- `{}`: {}", status.as_str(), md(rule));
    }
    out.push('\n');
    steps_legend(&mut out);
    out.push_str("| id | title | steps | runs |\n|---|---|---|---|\n");
    for c in checks::REGISTRY {
        let _ = writeln!(
            out,
            "| [{id}](#{anchor}) | {} | {} | {} |",
            md(c.title),
            steps_short(&c.step_numbers()),
            group_words(c.group),
            id = c.id,
            anchor = anchor(c.id),
        );
    }
    out.push('\n');
    for c in checks::REGISTRY {
        let _ = writeln!(
            out,
            "<a id=\"{}\"></a>\n## `{}`: {}\n",
            anchor(c.id),
            c.id,
            md(c.title)
        );
        let _ = writeln!(
            out,
            "- **Setup steps:** {}",
            crate::steps::in_words(&c.step_numbers())
        );
        let _ = writeln!(out, "- **Runs:** {}\n", group_words(c.group));
        for (label, text) in [
            ("Passes when", c.docs.passes_when),
            ("What it checks", c.docs.what),
            ("Why it matters", c.docs.why),
            ("How to fix", c.docs.fix),
        ] {
            let text = if text.trim().is_empty() {
                "*Not documented yet.*".to_string()
            } else {
                md(text.trim())
            };
            let _ = writeln!(out, "**{label}.** {text}\n");
        }
        if c.docs.references.is_empty() {
            out.push_str("**References:** *none yet.*\n\n");
        } else {
            out.push_str("**References:**\n\n");
            for r in c.docs.references {
                if r.starts_with("https://") && !r.contains(char::is_whitespace) {
                    let _ = writeln!(out, "- <{r}>");
                } else {
                    let _ = writeln!(out, "- {}", md(r));
                }
            }
            out.push('\n');
        }
    }
    out
}

fn group_words(group: Group) -> String {
    match group {
        // As before groups had words of their own: "live, with `sfjwt check --live`" would
        // say it twice.
        Group::Live => group.runs_when().to_string(),
        Group::Offline | Group::Config | Group::Rotation | Group::App => {
            format!("{}, {}", group.name(), group.runs_when())
        }
    }
}

/// An HTML anchor for a check id (`cert.matches-key` → `cert-matches-key`).
fn anchor(id: &str) -> String {
    id.replace('.', "-")
}

/// `docs/troubleshooting.md`: for each setup step, what was done there, the checks that look at
/// it and the errors whose fix is made there.
pub fn troubleshooting_markdown() -> String {
    let cat = errors::catalog();
    let mut out = String::new();
    header(
        &mut out,
        "Troubleshooting a Salesforce JWT Bearer login",
        "the check registry (src/checks/) and the error catalog (src/salesforce/errors.toml)",
        "sfjwt::docs::troubleshooting_markdown()",
    );
    out.push_str(
        "When a JWT Bearer login fails, work in this order:\n\n\
         1. **You have the error text?** `sfjwt explain '<the error>'` (or `sfjwt explain -` and \
         paste a whole log) names the error, the setup step to fix and how. It knows Salesforce's \
         answers and the wrappings of the Salesforce CLI and the client libraries.\n\
         2. **Check every input offline:** `sfjwt check BUNDLE` (a directory with `server.key`, \
         `server.crt` and `sfjwt.toml`), or the same inputs as flags. Each finding names its setup \
         step and its fix.\n\
         3. **Prove the whole chain:** `sfjwt check BUNDLE --live` sends a test assertion to the \
         token endpoint, with `SFJWT_CONSUMER_SECRET` set also introspects the token, and revokes \
         it.\n\
         4. **Hand it over:** `sfjwt check BUNDLE --format markdown` is a report without secrets, \
         with fingerprints to compare keys and certificates, to paste into a ticket.\n\n\
         Below, step by step, what each setup step is, the checks that look at it \
         ([docs/checks.md](checks.md)) and the errors whose fix is made there \
         ([docs/errors.md](errors.md)).\n\n",
    );
    for step in Step::ALL.map(Step::number) {
        let _ = writeln!(out, "## Step {step}: {}\n", step_title(step));
        let _ = writeln!(
            out,
            "{}\n",
            md(Step::from_number(step).map_or("", Step::story))
        );
        let step_checks: Vec<_> = checks::REGISTRY.iter().filter(|c| c.covers(step)).collect();
        if step_checks.is_empty() {
            out.push_str("**Checks:** none looks at this step.\n\n");
        } else {
            out.push_str("**Checks:**\n\n| check | passes when | runs |\n|---|---|---|\n");
            for c in step_checks {
                let _ = writeln!(
                    out,
                    "| [`{id}`](checks.md#{anchor}) | {} | {} |",
                    md(c.docs.passes_when.trim()),
                    group_words(c.group),
                    id = c.id,
                    anchor = anchor(c.id),
                );
            }
            out.push('\n');
        }
        let step_errors: Vec<_> = cat
            .entries()
            .iter()
            .filter(|e| e.steps.contains(&step))
            .collect();
        if step_errors.is_empty() {
            out.push_str("**Errors:** none in the catalog points here.\n\n");
        } else {
            out.push_str("**Errors:**\n\n| error | what it means | kind |\n|---|---|---|\n");
            for e in step_errors {
                let _ = writeln!(
                    out,
                    "| [{}](errors.md#{id}) | {} | {} |",
                    md(&e.headline()),
                    md(&e.cause),
                    e.kind.as_str(),
                    id = e.id,
                );
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_readme_check_table_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let start = readme
            .find(README_CHECKS_START)
            .expect("README.md has the start marker")
            + README_CHECKS_START.len();
        let end = readme[start..]
            .find(README_CHECKS_END)
            .expect("and the end marker")
            + start;
        let table = readme_checks_table();
        if readme[start..end] != table {
            if std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty()) {
                std::fs::write(
                    &path,
                    format!("{}{table}{}", &readme[..start], &readme[end..]),
                )
                .unwrap();
                return;
            }
            panic!("README.md's check table is stale; regenerate it with: {REGENERATE}");
        }
    }
    use super::*;

    #[test]
    fn markdown_is_escaped_outside_code_only() {
        assert_eq!(
            md("use *.my.salesforce.com, not `*.lightning.force.com` or <MyDomain>"),
            "use \\*.my.salesforce.com, not `*.lightning.force.com` or &lt;MyDomain&gt;"
        );
        assert_eq!(code("a`b"), "`` a`b ``");
    }

    #[test]
    fn every_entry_and_check_is_in_the_pages() {
        let errors = errors_markdown();
        for e in errors::catalog().entries() {
            assert!(
                errors.contains(&format!("<a id=\"{}\"></a>", e.id)),
                "{}",
                e.id
            );
        }
        let checks = checks_markdown();
        for c in checks::REGISTRY {
            assert!(checks.contains(&format!("## `{}`", c.id)), "{}", c.id);
        }
        assert!(errors.contains(REGENERATE) && checks.contains(REGENERATE));
    }

    #[test]
    fn every_entry_is_in_exactly_one_section() {
        for e in errors::catalog().entries() {
            let n = sections().iter().filter(|(_, _, f)| f(e)).count();
            assert_eq!(n, 1, "{}", e.id);
        }
    }
}
