//! From the arguments to a command's settings and its exit status: the screen before clap, the
//! merge of flags and environment into inputs, the colour decided once, the dispatch.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use super::args::{
    CheckArgs, Cli, ColorChoice, Command, ConvertArgs, DecodeArgs, ExplainArgs, FailOn, InputArgs,
    MintArgs, NewArgs, RenewArgs, ReportFormat,
};
use crate::bundle::env_file::{self, EnvFile};
use crate::bundle::gather::{self, Inputs, KeySource};
use crate::bundle::inputs::{self, InputSpec};
use crate::bundle::source::{MAX_INPUT_BYTES, ReadError, read_capped};
use crate::bundle::{Declared, Origin, Secret, Setting};
use crate::commands::{self, Colour};
use crate::exit::{ExitStatus, RunError};
use crate::redact::Redactor;

/// Runs sfjwt with these arguments (the first is the program name) and returns the exit code.
pub fn main<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // Before anything can print an argument: what the run's secrets are, and whether one of
    // them (or a key) was given where it would be echoed.
    let known = super::argv::known_secrets(&args, &|var| std::env::var_os(var));
    let mut cmd = Cli::command();
    if let Err(message) = super::argv::screen(&args, &cmd, &known) {
        eprintln!("sfjwt: error: {message}");
        return ExitStatus::Error.into();
    }
    let matches = match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => m,
        Err(e) => return print_clap_error(&e, &known),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return print_clap_error(&e, &known),
    };
    match dispatch(&cli.command, &matches, &known) {
        Ok(status) => status.into(),
        Err(RunError(message)) => {
            eprintln!(
                "sfjwt: error: {}",
                super::argv::clean(&message, &known).trim_end()
            );
            ExitStatus::Error.into()
        }
    }
}

fn dispatch(
    command: &Command,
    matches: &ArgMatches,
    known: &Redactor,
) -> Result<ExitStatus, RunError> {
    match command {
        Command::Check(args) => {
            let sub = matches
                .subcommand_matches("check")
                .expect("clap parsed the check subcommand");
            commands::check::run(&check_settings(args, sub)?)
        }
        Command::Mint(args) => {
            let sub = matches
                .subcommand_matches("mint")
                .expect("clap parsed the mint subcommand");
            commands::mint::run(&mint_settings(args, sub)?)
        }
        Command::Decode(args) => commands::decode::run(&decode_settings(args), known),
        Command::Explain(args) => commands::explain::run(&explain_settings(args), known),
        Command::Convert(args) => commands::convert::run(&convert_settings(args)?),
        Command::New(args) => commands::new::run(&new_settings(args)),
        Command::Renew(args) => commands::renew::run(&renew_settings(args)?),
        Command::Completions(args) => super::generate::completions(args),
        Command::Man(args) => super::generate::man(args),
    }
}

/// Prints what clap has to say (help, version, or an error) with the run's secrets and
/// anything shaped like a credential taken out; returns its exit code.
fn print_clap_error(e: &clap::Error, known: &Redactor) -> i32 {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // sfjwt's own text, with no argument in it.
        let _ = e.print();
    } else {
        eprint!("{}", super::argv::clean(&e.render().to_string(), known));
    }
    e.exit_code()
}

/// The variable that, set and not empty, turns colour off under `--color auto`.
pub(crate) const NO_COLOR: &str = "NO_COLOR";
/// The variable that, `dumb`, turns colour off under `--color auto`.
pub(crate) const TERM: &str = "TERM";

/// `--color`, `NO_COLOR` and `TERM`, decided once for the run.
pub fn colour(choice: ColorChoice) -> Colour {
    match choice {
        ColorChoice::Always => Colour::Always,
        ColorChoice::Never => Colour::Never,
        ColorChoice::Auto => {
            let no_color = std::env::var_os(NO_COLOR).is_some_and(|v| !v.is_empty());
            let dumb = std::env::var(TERM).is_ok_and(|t| t == "dumb");
            if no_color || dumb {
                Colour::Never
            } else {
                Colour::OnTerminal
            }
        }
    }
}

fn decode_settings(args: &DecodeArgs) -> commands::decode::Settings {
    commands::decode::Settings {
        token: args.token.clone(),
        cert: args.cert.clone(),
        consumer_key: args.consumer_key.clone(),
        username: args.username.clone(),
        login_url: args.login_url.clone(),
        custom_domain: args.custom_domain.as_deref().and_then(|v| v.parse().ok()),
        at: args.at,
        format: args.format,
        colour: colour(args.color),
    }
}

fn explain_settings(args: &ExplainArgs) -> commands::explain::Settings {
    commands::explain::Settings {
        input: args.input.clone(),
        list: args.list,
        format: args.format,
        colour: colour(args.color),
    }
}

fn new_settings(args: &NewArgs) -> commands::new::Settings {
    commands::new::Settings {
        dir: args.dir.clone(),
        bits: args.bits,
        days: args.days,
        subject: args.subject.clone(),
        csr: args.csr,
        consumer_key: args.consumer_key.clone(),
        username: args.username.clone(),
        login_url: args.login_url.clone(),
        at: args.at,
    }
}

fn renew_settings(args: &RenewArgs) -> Result<commands::renew::Settings, RunError> {
    Ok(commands::renew::Settings {
        dir: args.dir.clone(),
        key: args.key.clone(),
        cert: args.cert.clone(),
        days: args.days,
        out: args.out.clone(),
        at: args.at,
        passphrase: secret(
            args.key_passphrase_file.as_deref(),
            &inputs::KEY_PASSPHRASE,
            &EnvFile::none(),
        )?,
        prompt: !args.no_prompt,
    })
}

fn convert_settings(args: &ConvertArgs) -> Result<commands::convert::Settings, RunError> {
    let key_on_stdin = args.key.as_os_str() == "-";
    let key = if key_on_stdin {
        KeySource::Bytes {
            bytes: read_capped(std::io::stdin().lock()),
            origin: Origin::Stdin,
        }
    } else {
        KeySource::Path(args.key.clone())
    };
    let input_files = [
        Some(&args.key).filter(|_| !key_on_stdin),
        args.cert.as_ref(),
        args.key_passphrase_file.as_ref(),
        args.key_password_file.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    Ok(commands::convert::Settings {
        key,
        cert: args.cert.clone(),
        to: args.to,
        out: args.out.clone(),
        alias: args.key_alias.clone(),
        passphrase: secret(
            args.key_passphrase_file.as_deref(),
            &inputs::KEY_PASSPHRASE,
            &EnvFile::none(),
        )?,
        key_password: secret(
            args.key_password_file.as_deref(),
            &inputs::KEY_PASSWORD,
            &EnvFile::none(),
        )?,
        prompt: !args.no_prompt,
        input_files,
    })
}

/// What the input flags (shared by `check` and `mint`) and the environment give: the inputs,
/// the env file, the files given on the command line, and whether the key is standard input.
struct Given {
    inputs: Inputs,
    env_file: EnvFile,
    input_files: Vec<PathBuf>,
    key_on_stdin: bool,
}

fn given(args: &InputArgs, matches: &ArgMatches) -> Result<Given, RunError> {
    let key_on_stdin = args.key.as_deref().is_some_and(|k| k.as_os_str() == "-");
    let env_file = match &args.env_file {
        Some(path) => env_file::read(path)?,
        None => EnvFile::none(),
    };
    let input_files: Vec<PathBuf> = [
        args.key.as_ref().filter(|_| !key_on_stdin),
        args.cert.as_ref(),
        args.consumer_secret_file.as_ref(),
        args.key_passphrase_file.as_ref(),
        args.key_password_file.as_ref(),
        args.env_file.as_ref(),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    Ok(Given {
        inputs: check_inputs(args, matches, &env_file)?,
        env_file,
        input_files,
        key_on_stdin,
    })
}

fn check_settings(
    args: &CheckArgs,
    matches: &ArgMatches,
) -> Result<commands::check::Settings, RunError> {
    let mut given = given(&args.inputs, matches)?;
    given.inputs.expect_org = setting(
        &args.expect_org,
        matches,
        &inputs::EXPECT_ORG,
        &given.env_file,
    );
    given.inputs.app_metadata = setting(
        &args
            .app_metadata
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned()),
        matches,
        &inputs::APP_METADATA,
        &given.env_file,
    );
    given.inputs.app = setting(&args.app, matches, &inputs::APP, &given.env_file);
    if let Some(metadata) = &given.inputs.app_metadata {
        given.input_files.push(PathBuf::from(&metadata.value));
    }
    if let Some(next) = &args.next_cert {
        given.inputs.next_cert = Some(next.clone());
        given.input_files.push(next.clone());
    }
    if args.live {
        given.input_files.extend(args.ca_file.iter().cloned());
    }
    let (format, format_given) = report_format(args, matches)?;
    Ok(commands::check::Settings {
        policy: policy(args, matches),
        inputs: given.inputs,
        env_file: given.env_file,
        bundles: args.inputs.bundles.clone(),
        input_files: given.input_files,
        key_on_stdin: given.key_on_stdin,
        at: args.at,
        expiry_warn_days: args.expiry_warn_days,
        expiry_fail_days: args.expiry_fail_days,
        show_assertion: args.show_assertion,
        live: args.live,
        ca_files: args.ca_file.clone(),
        timeout: std::time::Duration::from_secs(args.timeout),
        retry_pause: std::time::Duration::from_millis(args.retry_pause_ms),
        require_scopes: args.require_scope.clone(),
        probe_audiences: args.probe_audiences,
        prompt: !args.inputs.no_prompt,
        format,
        format_given,
        quiet: args.quiet,
        outputs: args.output.clone(),
        fail_on_warning: args.fail_on == FailOn::Warning,
        colour: colour(args.color),
    })
}

/// `--allow`, `--warn` and `--deny`, in the order they were given (a later one wins a tie).
fn policy(args: &CheckArgs, matches: &ArgMatches) -> Vec<crate::checks::policy::Rule> {
    use crate::checks::policy::{Level, Rule};
    let mut rules: Vec<(usize, Rule)> = Vec::new();
    for (id, level, values) in [
        ("allow", Level::Allow, &args.allow),
        ("warn", Level::Warn, &args.warn),
        ("deny", Level::Deny, &args.deny),
    ] {
        let indices = matches.indices_of(id).into_iter().flatten();
        for (index, pattern) in indices.zip(values) {
            let by = format!("--{id} {pattern}");
            let pattern = pattern.clone();
            rules.push((index, Rule { level, pattern, by }));
        }
    }
    rules.sort_by_key(|(i, _)| *i);
    rules.into_iter().map(|(_, r)| r).collect()
}

fn mint_settings(
    args: &MintArgs,
    matches: &ArgMatches,
) -> Result<commands::mint::Settings, RunError> {
    let given = given(&args.inputs, matches)?;
    Ok(commands::mint::Settings {
        inputs: given.inputs,
        env_file: given.env_file,
        bundles: args.inputs.bundles.clone(),
        at: args.at,
        lifetime: args.lifetime,
        prompt: !args.inputs.no_prompt,
    })
}

/// The `--format` report's format, and whether it was asked for (`--format`, `--json`) rather
/// than the default: `--json` is `--format json`, and refuses another `--format` beside it.
fn report_format(args: &CheckArgs, matches: &ArgMatches) -> Result<(ReportFormat, bool), RunError> {
    let given = matches.value_source("format") == Some(ValueSource::CommandLine);
    if !args.json {
        return Ok((args.format, given));
    }
    if given && args.format != ReportFormat::Json {
        return Err(RunError(format!(
            "--json is --format json, and --format {} asks for another format; give one of them",
            args.format.name()
        )));
    }
    Ok((ReportFormat::Json, true))
}

/// A secret from an environment variable (or the env file); one that is set but not UTF-8
/// stops the run.
fn env_secret(name: &str, file: &EnvFile) -> Result<Option<Secret>, RunError> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(file_secret(name, file)),
        Ok(v) => Ok(Some(Secret::new(v, Origin::Env(name.to_string())))),
        Err(std::env::VarError::NotPresent) => Ok(file_secret(name, file)),
        Err(std::env::VarError::NotUnicode(_)) => Err(RunError(format!(
            "${name} is set but is not UTF-8 text; set it to the value exactly as Salesforce shows it"
        ))),
    }
}

/// A variable's value from the env file, as a secret.
fn file_secret(name: &str, file: &EnvFile) -> Option<Secret> {
    file.get(name)
        .map(|v| Secret::new(v, Origin::Env(name.to_string())))
}

/// A plain input from its flag or its environment variable (clap reads the real environment;
/// the env file comes after it), with the right origin.
fn setting(
    value: &Option<String>,
    matches: &ArgMatches,
    spec: &'static InputSpec,
    file: &EnvFile,
) -> Option<Setting> {
    let Some(value) = value.as_ref() else {
        let var = spec.env?;
        return file
            .get(var)
            .map(|v| Setting::new(v, Origin::Env(var.to_string())));
    };
    let id = spec.flag.trim_start_matches("--").replace('-', "_");
    let origin = match (matches.value_source(&id), spec.env) {
        (Some(ValueSource::EnvVariable), Some(var)) => Origin::Env(var.to_string()),
        _ => Origin::Flag(spec.flag),
    };
    Some(Setting::new(value.clone(), origin))
}

/// The custom-domain declaration from `--custom-domain` or its variable (clap took only the
/// declarations' names; the env file's value is checked here).
fn declared(
    value: &Option<String>,
    matches: &ArgMatches,
    file: &EnvFile,
) -> Result<Option<Declared>, RunError> {
    let Some(setting) = setting(value, matches, &inputs::CUSTOM_DOMAIN, file) else {
        return Ok(None);
    };
    match setting.value.parse() {
        Ok(kind) => Ok(Some(Declared {
            kind,
            origin: setting.origin,
        })),
        Err(_) => Err(RunError(format!(
            "--env-file {}: {} is not a declaration; it takes login or site",
            file.path.display(),
            inputs::CUSTOM_DOMAIN.env.unwrap_or_default()
        ))),
    }
}

/// The private key: `--key PATH`, `--key -` (standard input), or `$SFJWT_PRIVATE_KEY`.
fn key_source(args: &InputArgs, file: &EnvFile) -> Option<KeySource> {
    match args.key.as_deref() {
        Some(p) if p.as_os_str() == "-" => Some(KeySource::Bytes {
            bytes: read_capped(std::io::stdin().lock()),
            origin: Origin::Stdin,
        }),
        Some(path) => Some(KeySource::Path(path.to_path_buf())),
        None => {
            let var = inputs::PRIVATE_KEY.env?;
            let pem = std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .or_else(|| file.get(var).map(OsString::from))?;
            let bytes = pem.into_encoded_bytes();
            Some(KeySource::Bytes {
                bytes: if bytes.len() as u64 > MAX_INPUT_BYTES {
                    Err(ReadError::TooLarge {
                        limit: MAX_INPUT_BYTES,
                    })
                } else {
                    Ok(bytes)
                },
                origin: Origin::Env(var.into()),
            })
        }
    }
}

/// A secret input: its file flag's file, else its environment variable.
fn secret(
    file: Option<&std::path::Path>,
    spec: &'static InputSpec,
    env_file: &EnvFile,
) -> Result<Option<Secret>, RunError> {
    let Some(path) = file else {
        return match spec.env {
            Some(var) => env_secret(var, env_file),
            None => Ok(None),
        };
    };
    let secret = gather::read_secret_file(path, spec.flag)?;
    if let Some(warning) = gather::loose_permissions_warning(path, spec.flag, spec.noun) {
        eprintln!("sfjwt: warning: {}", crate::text::display_safe(&warning));
    }
    Ok(Some(secret))
}

/// Collects what flags and the environment give, shared by every bundle.
fn check_inputs(
    args: &InputArgs,
    matches: &ArgMatches,
    file: &EnvFile,
) -> Result<Inputs, RunError> {
    if args.cert.as_deref().is_some_and(|p| p.as_os_str() == "-") {
        return Err(RunError(
            "--cert -: the certificate is read from a file, not from standard input (only --key \
             takes `-`); save the certificate to a file and give its path"
                .into(),
        ));
    }
    Ok(Inputs {
        key: key_source(args, file),
        cert: args.cert.clone(),
        // check's own flag (--next-cert), set by check_settings; mint has none.
        next_cert: None,
        app_metadata: None,
        app: None,
        consumer_key: setting(&args.consumer_key, matches, &inputs::CONSUMER_KEY, file),
        username: setting(&args.username, matches, &inputs::USERNAME, file),
        login_url: setting(&args.login_url, matches, &inputs::LOGIN_URL, file),
        custom_domain: declared(&args.custom_domain, matches, file)?,
        audience: setting(&args.audience, matches, &inputs::AUDIENCE, file),
        consumer_secret: secret(
            args.consumer_secret_file.as_deref(),
            &inputs::CONSUMER_SECRET,
            file,
        )?,
        key_passphrase: secret(
            args.key_passphrase_file.as_deref(),
            &inputs::KEY_PASSPHRASE,
            file,
        )?,
        key_password: secret(
            args.key_password_file.as_deref(),
            &inputs::KEY_PASSWORD,
            file,
        )?,
        key_alias: setting(&args.key_alias, matches, &inputs::KEY_ALIAS, file),
        // check's own flag (--expect-org), set by check_settings.
        expect_org: None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn instants_print_in_utc_to_the_second() {
        let t = crate::cli::args::parse_instant("2026-11-29T14:00:00.123+01:00").unwrap();
        assert_eq!(crate::text::rfc3339(t), "2026-11-29T13:00:00Z");
    }
}
