//! Running a command: from parsed arguments to a report on its way out, and an exit code.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use time::OffsetDateTime;

use crate::bundle::gather::{self, GatherError, Inputs, KeySource};
use crate::bundle::source::{MAX_INPUT_BYTES, ReadError, read_capped};
use crate::bundle::{Origin, Secret, Setting};
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, FailOn};
use crate::context::Context;
use crate::fleet;
use crate::outputs::Outputs;
use crate::report::{self, Report, RunInfo, Verdict};

use crate::exit::ExitStatus;
pub use crate::exit::RunError;

/// Exit code: no check failed (and none warned, under `--fail-on warning`).
pub const EXIT_OK: i32 = ExitStatus::Ok as i32;
/// Exit code: at least one check failed (or warned, under `--fail-on warning`).
pub const EXIT_FINDINGS: i32 = ExitStatus::Findings as i32;
/// Exit code: the run itself could not happen.
pub const EXIT_ERROR: i32 = ExitStatus::Error as i32;

/// Runs sfjwt with these arguments (the first is the program name) and returns the exit code.
pub fn main<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Before anything can print an argument: what the run's secrets are, and whether one of
    // them (or a key) was given where it would be echoed.
    let known = crate::argv::known_secrets(&args, &|var| std::env::var_os(var));
    let mut cmd = Cli::command();
    if let Err(message) = crate::argv::screen(&args, &cmd, &known) {
        eprintln!("sfjwt: error: {message}");
        return EXIT_ERROR;
    }
    let matches = match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => m,
        Err(e) => return print_clap_error(&e, &known),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return print_clap_error(&e, &known),
    };
    let result = match &cli.command {
        Command::Check(args) => {
            let sub = matches
                .subcommand_matches("check")
                .expect("clap parsed the check subcommand");
            run_check(args, sub)
        }
        Command::Decode(args) => crate::decode::run(args, &known),
        Command::Explain(args) => crate::explain::run(args, &known),
        Command::Completions(args) => crate::generate::completions(args),
        Command::Man(args) => crate::generate::man(args),
    };
    match result {
        Ok(code) => code,
        Err(RunError(message)) => {
            eprintln!(
                "sfjwt: error: {}",
                crate::argv::clean(&message, &known).trim_end()
            );
            EXIT_ERROR
        }
    }
}

/// Prints what clap has to say (help, version, or an error) with the run's secrets and
/// anything shaped like a credential taken out; returns its exit code.
fn print_clap_error(e: &clap::Error, known: &crate::redact::Redactor) -> i32 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // sfjwt's own text, with no argument in it.
        let _ = e.print();
    } else {
        eprint!("{}", crate::argv::clean(&e.render().to_string(), known));
    }
    e.exit_code()
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A secret from an environment variable; one that is set but not UTF-8 stops the run.
fn env_secret(name: &str) -> Result<Option<Secret>, RunError> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(Secret::new(v, Origin::Env(name.to_string())))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(RunError(format!(
            "${name} is set but is not UTF-8 text; set it to the value exactly as Salesforce shows it"
        ))),
    }
}

/// A plain setting from a flag or its environment variable, with the right origin.
fn setting(
    value: &Option<String>,
    matches: &ArgMatches,
    id: &str,
    flag: &'static str,
    var: &str,
) -> Option<Setting> {
    let value = value.as_ref()?;
    let origin = match matches.value_source(id) {
        Some(ValueSource::EnvVariable) => Origin::Env(var.to_string()),
        _ => Origin::Flag(flag),
    };
    Some(Setting::new(value.clone(), origin))
}

/// Collects what flags and the environment give, shared by every bundle.
fn inputs(args: &CheckArgs, matches: &ArgMatches) -> Result<Inputs, RunError> {
    if args.cert.as_deref().is_some_and(|p| p.as_os_str() == "-") {
        return Err(RunError(
            "--cert -: the certificate is read from a file, not from standard input (only --key \
             takes `-`); save the certificate to a file and give its path"
                .into(),
        ));
    }
    let key = match args.key.as_deref() {
        Some(p) if p.as_os_str() == "-" => Some(KeySource::Bytes {
            bytes: read_capped(std::io::stdin().lock()),
            origin: Origin::Stdin,
        }),
        Some(path) => Some(KeySource::Path(path.to_path_buf())),
        None => match std::env::var_os("SFJWT_PRIVATE_KEY") {
            Some(pem) if !pem.is_empty() => {
                let bytes = pem.into_encoded_bytes();
                Some(KeySource::Bytes {
                    bytes: if bytes.len() as u64 > MAX_INPUT_BYTES {
                        Err(ReadError::TooLarge {
                            limit: MAX_INPUT_BYTES,
                        })
                    } else {
                        Ok(bytes)
                    },
                    origin: Origin::Env("SFJWT_PRIVATE_KEY".into()),
                })
            }
            _ => None,
        },
    };
    let secret_file = |path: &std::path::Path, flag: &'static str, what: &str| {
        let secret = gather::read_secret_file(path, flag)?;
        if let Some(warning) = gather::loose_permissions_warning(path, flag, what) {
            eprintln!("sfjwt: warning: {}", crate::text::display_safe(&warning));
        }
        Ok::<_, GatherError>(secret)
    };
    let consumer_secret = match &args.consumer_secret_file {
        Some(path) => Some(secret_file(
            path,
            "--consumer-secret-file",
            "the consumer secret",
        )?),
        None => env_secret("SFJWT_CONSUMER_SECRET")?,
    };
    let key_passphrase = match &args.key_passphrase_file {
        Some(path) => Some(secret_file(
            path,
            "--key-passphrase-file",
            "the key's passphrase",
        )?),
        None => env_secret("SFJWT_KEY_PASSPHRASE")?,
    };
    Ok(Inputs {
        key,
        cert: args.cert.clone(),
        consumer_key: setting(
            &args.consumer_key,
            matches,
            "consumer_key",
            "--consumer-key",
            "SFJWT_CONSUMER_KEY",
        ),
        username: setting(
            &args.username,
            matches,
            "username",
            "--username",
            "SFJWT_USERNAME",
        ),
        login_url: setting(
            &args.login_url,
            matches,
            "login_url",
            "--login-url",
            "SFJWT_LOGIN_URL",
        ),
        audience: setting(
            &args.audience,
            matches,
            "audience",
            "--audience",
            "SFJWT_AUDIENCE",
        ),
        consumer_secret,
        key_passphrase,
    })
}

/// Asks for a passphrase on the terminal, when there is one to ask on.
fn terminal_prompt(what: &str) -> Option<String> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    crate::prompt::passphrase(what)
        .ok()
        .filter(|p| !p.is_empty())
}

/// Which bundles to check: the directories given (a directory of bundles gives its bundles, see
/// [`fleet`]), or the current directory when it is a bundle, or the flags and environment alone.
fn bundle_dirs(args: &CheckArgs, inputs: &Inputs) -> Result<Vec<Option<PathBuf>>, RunError> {
    if !args.bundles.is_empty() {
        return Ok(fleet::expand(&args.bundles)?
            .into_iter()
            .map(Some)
            .collect());
    }
    if fleet::is_bundle(std::path::Path::new(".")) {
        return Ok(vec![Some(PathBuf::from("."))]);
    }
    if inputs.is_empty() {
        return Err(RunError(
            "nothing to check: give a bundle directory (sfjwt check DIR), or inputs such as \
             --key, --cert, --consumer-key, --username and --login-url"
                .into(),
        ));
    }
    Ok(vec![None])
}

pub(crate) fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

pub use crate::text::rfc3339;

fn run_check(args: &CheckArgs, matches: &ArgMatches) -> Result<i32, RunError> {
    let inputs = inputs(args, matches)?;
    let dirs = bundle_dirs(args, &inputs)?;
    let at = args
        .at
        .unwrap_or_else(OffsetDateTime::now_utc)
        .to_offset(time::UtcOffset::UTC);
    let mut ctx = Context::new(at.replace_nanosecond(0).unwrap_or(at));
    ctx.expiry_warn_days = i64::from(args.expiry_warn_days);
    ctx.show_assertion = args.show_assertion;
    ctx.live = args.live;
    // Only a timeout is set here: the HTTP clients are built by the first live request.
    ctx.http = crate::salesforce::token::Http::new(std::time::Duration::from_secs(args.timeout));
    ctx.http.retry_pause = std::time::Duration::from_millis(args.retry_pause_ms);

    // Created before the checks run: an unwritable path stops the run at once.
    let key_on_stdin = args.key.as_deref().is_some_and(|k| k.as_os_str() == "-");
    let outputs = Outputs::open(
        args.format,
        &args.output,
        &input_files(args, &dirs),
        key_on_stdin,
    )?;
    let run = fleet::Run {
        inputs: &inputs,
        ctx: &ctx,
        env: &env_var,
        prompt: if args.no_prompt {
            None
        } else {
            Some(&terminal_prompt)
        },
        progress: fleet::progress_wanted(),
        jobs: 0,
    };
    let bundles = match fleet::check_all(&dirs, &run) {
        Ok(b) => b,
        Err(e) => {
            outputs.discard();
            return Err(e);
        }
    };
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::this(),
        evaluated_at: rfc3339(ctx.at),
        bundles,
        run: RunInfo {
            generated_at: rfc3339(OffsetDateTime::now_utc()),
            at_given: args.at.is_some(),
            fail_on_warning: args.fail_on == FailOn::Warning,
            expiry_warn_days: args.expiry_warn_days,
        },
    };
    outputs.write(&report, args.color)?;
    Ok(exit_code(report.verdict(), args.fail_on))
}

/// Every file the run may read: `--output` must not name one of them.
fn input_files(args: &CheckArgs, dirs: &[Option<PathBuf>]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        args.key.as_ref().filter(|k| k.as_os_str() != "-"),
        args.cert.as_ref(),
        args.consumer_secret_file.as_ref(),
        args.key_passphrase_file.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    for dir in dirs.iter().flatten() {
        for name in [
            gather::DEFAULT_KEY_FILE,
            gather::ENCRYPTED_KEY_FILE,
            gather::DEFAULT_CERT_FILE,
            gather::CONFIG_FILE,
        ] {
            files.push(dir.join(name));
        }
        if let Ok(Some(config)) = crate::bundle::config::load(&dir.join(gather::CONFIG_FILE)) {
            files.extend(
                config
                    .key
                    .iter()
                    .chain(config.cert.iter())
                    .map(|p| dir.join(p)),
            );
        }
    }
    files
}

/// Maps a run's verdict to the exit code under `--fail-on`.
pub fn exit_code(verdict: Verdict, fail_on: FailOn) -> i32 {
    match (verdict, fail_on) {
        (Verdict::Fail, _) => EXIT_FINDINGS,
        (Verdict::Warn, FailOn::Warning) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_fail_on() {
        assert_eq!(exit_code(Verdict::Pass, FailOn::Error), 0);
        assert_eq!(exit_code(Verdict::Warn, FailOn::Error), 0);
        assert_eq!(exit_code(Verdict::Warn, FailOn::Warning), 1);
        assert_eq!(exit_code(Verdict::Fail, FailOn::Error), 1);
        assert_eq!(exit_code(Verdict::Pass, FailOn::Warning), 0);
    }

    #[test]
    fn instants_print_in_utc_to_the_second() {
        let t = crate::cli::parse_instant("2026-11-29T14:00:00.123+01:00").unwrap();
        assert_eq!(rfc3339(t), "2026-11-29T13:00:00Z");
    }
}
