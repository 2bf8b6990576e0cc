//! `sfjwt completions SHELL` and `sfjwt man [SUBCOMMAND]`: shell completion scripts and man
//! pages, generated from the clap definitions in [`crate::cli`], so they never drift from the
//! flags.

use std::io::Write;

use clap::CommandFactory;
use clap_mangen::roff::Roff;

use super::args::{Cli, CompletionsArgs, ManArgs};
use crate::exit::{ExitStatus, RunError};

/// Prints the completion script for a shell.
pub fn completions(args: &CompletionsArgs) -> Result<ExitStatus, RunError> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "sfjwt", &mut out);
    print(&out)
}

/// Prints the man page of sfjwt, or of one subcommand (`sfjwt-check(1)`).
pub fn man(args: &ManArgs) -> Result<ExitStatus, RunError> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = match args.subcommand.as_deref() {
        None => cmd,
        Some(name) => {
            let names: Vec<String> = cmd
                .get_subcommands()
                .filter(|c| c.get_name() != "help")
                .map(|c| c.get_name().to_string())
                .collect();
            let sub = cmd.find_subcommand(name).cloned().ok_or_else(|| {
                RunError(format!(
                    "no subcommand `{name}`; the man pages are for {}",
                    names.join(", ")
                ))
            })?;
            let title = format!("sfjwt-{}", sub.get_name());
            sub.name(title.clone()).bin_name(title)
        }
    };
    let extra = super::man_sections::render(&page, args.subcommand.as_deref());
    let out = render_page(page, &extra)
        .map_err(|e| RunError(format!("cannot render the man page: {e}")))?;
    print(&out)
}

/// clap_mangen's sections in its order (as `Man::render` writes them), with `extra` (EXIT
/// STATUS, ENVIRONMENT, FILES, EXAMPLES) after the options, subcommands and after-help text and
/// before VERSION. Each `render_*` writes roff's apostrophe preamble; only the first is kept.
fn render_page(page: clap::Command, extra: &Roff) -> std::io::Result<Vec<u8>> {
    let has_args = page.get_arguments().any(|a| !a.is_hide_set());
    let has_subcommands = page.get_subcommands().any(|c| !c.is_hide_set());
    let has_after_help = page.get_after_long_help().is_some() || page.get_after_help().is_some();
    let has_version = page.get_version().or(page.get_long_version()).is_some();
    let has_author = page.get_author().is_some();
    let man = clap_mangen::Man::new(page);
    type Section = fn(&clap_mangen::Man, &mut dyn Write) -> std::io::Result<()>;
    let before: [(bool, Section); 7] = [
        (true, clap_mangen::Man::render_title),
        (true, clap_mangen::Man::render_name_section),
        (true, clap_mangen::Man::render_synopsis_section),
        (true, clap_mangen::Man::render_description_section),
        (has_args, clap_mangen::Man::render_options_section),
        (
            has_subcommands,
            clap_mangen::Man::render_subcommands_section,
        ),
        (has_after_help, clap_mangen::Man::render_extra_section),
    ];
    let after: [(bool, Section); 2] = [
        (has_version, clap_mangen::Man::render_version_section),
        (has_author, clap_mangen::Man::render_authors_section),
    ];
    let preamble = Roff::new().render();
    let mut out = preamble.clone().into_bytes();
    let mut push = |text: &str| out.extend_from_slice(strip(text, &preamble).as_bytes());
    for (wanted, section) in before {
        if wanted {
            let mut buf = Vec::new();
            section(&man, &mut buf)?;
            push(&String::from_utf8_lossy(&buf));
        }
    }
    push(&extra.render());
    for (wanted, section) in after {
        if wanted {
            let mut buf = Vec::new();
            section(&man, &mut buf)?;
            push(&String::from_utf8_lossy(&buf));
        }
    }
    Ok(out)
}

/// `text` without roff's apostrophe preamble, which the page already starts with.
fn strip<'a>(text: &'a str, preamble: &str) -> &'a str {
    text.strip_prefix(preamble).unwrap_or(text)
}

fn print(bytes: &[u8]) -> Result<ExitStatus, RunError> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`sfjwt man | head`) is not an error worth a message.
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
    Ok(ExitStatus::Ok)
}
