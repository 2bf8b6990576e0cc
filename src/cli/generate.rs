//! `sfjwt completions SHELL` and `sfjwt man [SUBCOMMAND]`: shell completion scripts and man
//! pages, generated from the clap definitions in [`crate::cli`], so they never drift from the
//! flags.

use std::io::Write;

use clap::CommandFactory;

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
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| RunError(format!("cannot render the man page: {e}")))?;
    print(&out)
}

fn print(bytes: &[u8]) -> Result<ExitStatus, RunError> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`sfjwt man | head`) is not an error worth a message.
    let _ = stdout.write_all(bytes);
    let _ = stdout.flush();
    Ok(ExitStatus::Ok)
}
