//! The man page sections clap_mangen does not write: EXIT STATUS, ENVIRONMENT, FILES and
//! EXAMPLES. Each is read from where the behaviour is declared ([`ExitStatus::ALL`],
//! [`inputs::INPUTS`] and the clap `env =` attributes, the bundle file names of
//! [`crate::bundle::gather`]), so the pages cannot drift from the code.

use clap::Command;
use clap_mangen::roff::{Roff, bold, roman};

use crate::bundle::gather::{CONFIG_FILE, DEFAULT_CERT_FILE, DEFAULT_KEY_FILE, ENCRYPTED_KEY_FILE};
use crate::bundle::inputs;
use crate::exit::ExitStatus;

/// The variables the colour decision reads under `--color auto` (see [`super::colour`]).
const COLOUR_ENV: [(&str, &str); 2] = [
    (
        super::run::NO_COLOR,
        "Set and not empty: no colour in text output under --color auto.",
    ),
    (
        super::run::TERM,
        "dumb: no colour in text output under --color auto.",
    ),
];

/// Example command lines of the page of sfjwt (`None`) or of a subcommand, with what each does.
fn examples(subcommand: Option<&str>) -> &'static [(&'static str, &'static str)] {
    match subcommand {
        None => &[
            ("sfjwt check fixtures/valid", "Check one bundle directory."),
            (
                "sfjwt explain \"user hasn't approved this consumer\"",
                "Say what a Salesforce error means and how to fix it.",
            ),
            (
                "sfjwt decode - < token.txt",
                "Decode a JWT bearer assertion read from a file and check its claims (an argument would \
                 leave the credential in the shell history).",
            ),
        ],
        Some("check") => &[
            ("sfjwt check fixtures/valid", "Check one bundle directory."),
            (
                "sfjwt check --format json --output report.json bundles/",
                "Check every bundle under bundles/ and write the JSON report to report.json.",
            ),
            (
                "sfjwt check --at +90d --fail-on warning .",
                "Fail if the bundle in the current directory will fail or warn in 90 days.",
            ),
        ],
        _ => &[],
    }
}

/// The extra sections of the page of `cmd`: the page of sfjwt (`subcommand` `None`) or of one
/// subcommand. Sections that say nothing for the command are left out.
pub fn render(cmd: &Command, subcommand: Option<&str>) -> Roff {
    let mut roff = Roff::new();
    if matches!(subcommand, None | Some("check")) {
        exit_status(&mut roff);
    }
    environment(&mut roff, cmd);
    if reads_bundles(cmd) {
        files(&mut roff);
    }
    let examples = examples(subcommand);
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        for (line, what) in examples {
            roff.control("TP", [])
                .text([bold(*line)])
                .text([roman(*what)]);
        }
    }
    roff
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for status in ExitStatus::ALL {
        roff.control("TP", [])
            .text([bold(status.code().to_string())])
            .text([roman(status.meaning().replace('`', ""))]);
    }
}

/// Every argument of `cmd` and of its subcommands.
fn all_args(cmd: &Command) -> Vec<&clap::Arg> {
    let mut args: Vec<&clap::Arg> = cmd.get_arguments().collect();
    for sub in cmd.get_subcommands() {
        args.extend(all_args(sub));
    }
    args
}

/// Whether `cmd` (or a subcommand) reads bundles, and so every input's variable (the secrets'
/// too, which no flag takes): it has the inputs' `--env-file`.
fn reads_bundles(cmd: &Command) -> bool {
    all_args(cmd).iter().any(|a| a.get_id() == "env_file")
}

fn environment(roff: &mut Roff, cmd: &Command) {
    let args = all_args(cmd);
    let clap_env = |name: &str| args.iter().find(|a| a.get_env().is_some_and(|e| e == name));
    let bundles = reads_bundles(cmd);
    let mut entries: Vec<(String, String)> = Vec::new();
    for spec in inputs::INPUTS {
        let Some(env) = spec.env else { continue };
        if !bundles && clap_env(env).is_none() {
            continue;
        }
        let what = if spec.secret {
            format!(
                "Sets {}, as text ({} names a file holding it).",
                spec.noun, spec.flag
            )
        } else {
            format!("Sets {}, as {} does.", spec.noun, spec.flag)
        };
        entries.push((env.to_string(), what));
    }
    // A flag's variable that is not an input's (none today): its help says what it sets.
    for arg in &args {
        let Some(env) = arg.get_env().and_then(|e| e.to_str()) else {
            continue;
        };
        if entries.iter().all(|(name, _)| name != env) {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            entries.push((env.to_string(), format!("As --{}: {help}", arg.get_id())));
        }
    }
    if args.iter().any(|a| a.get_id() == "color") {
        for (name, what) in COLOUR_ENV {
            entries.push((name.to_string(), what.to_string()));
        }
    }
    if entries.is_empty() {
        return;
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in entries {
        roff.control("TP", [])
            .text([bold(name)])
            .text([roman(what)]);
    }
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    let files = [
        (
            CONFIG_FILE,
            "A bundle directory's settings (consumer key, username, login URL, the variables \
             that hold its secrets, check policy).",
        ),
        (DEFAULT_KEY_FILE, "A bundle directory's private key."),
        (
            ENCRYPTED_KEY_FILE,
            &format!(
                "A bundle directory's encrypted private key, read when there is no \
                 {DEFAULT_KEY_FILE}."
            ),
        ),
        (
            DEFAULT_CERT_FILE,
            "A bundle directory's certificate, the one uploaded to the app.",
        ),
    ];
    for (name, what) in files {
        roff.control("TP", [])
            .text([bold(name)])
            .text([roman(what)]);
    }
}
