//! `sfjwt check`: every bundle's checks into one report, written to its outputs, and the exit
//! status its verdict gives under `--fail-on`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use time::OffsetDateTime;

use super::Colour;
use super::fleet;
use super::outputs::{OutputSpec, Outputs, Primary};
use crate::bundle::env_file::EnvFile;
use crate::bundle::gather::{self, Inputs};
use crate::context::Context;
use crate::exit::{ExitStatus, RunError};
use crate::report::{self, Head, ReportFormat, RunInfo, Verdict};
#[cfg(debug_assertions)]
use crate::salesforce::token::test_resolve;
use crate::salesforce::token::trust::{self, CaFile, CaOrigin, Extras};
use crate::text::rfc3339;

/// What `sfjwt check` was asked to do.
#[derive(Debug)]
pub struct Settings {
    /// What the flags and the environment give, shared by every bundle.
    pub inputs: Inputs,
    /// `--env-file`: variables for sfjwt alone, after the real environment's. The variables that
    /// sfjwt.toml's `*_env` settings name are looked up in both.
    pub env_file: EnvFile,
    /// The bundle directories (or directories of bundles) given.
    pub bundles: Vec<PathBuf>,
    /// Files the run reads that `--output` must not name: the key, certificate and secret files
    /// given on the command line.
    pub input_files: Vec<PathBuf>,
    /// `--key -`: the file behind standard input is an input too.
    pub key_on_stdin: bool,
    pub at: Option<OffsetDateTime>,
    pub expiry_warn_days: u32,
    /// `--expiry-fail-days`: an expired certificate, or one expiring within this many days,
    /// fails.
    pub expiry_fail_days: Option<u32>,
    pub show_assertion: bool,
    pub live: bool,
    /// `--ca-file`: CA certificates trusted beside the system store by `--live` (read only with
    /// it).
    pub ca_files: Vec<PathBuf>,
    pub timeout: Duration,
    pub retry_pause: Duration,
    /// `--require-scope`: scopes the issued token must have (token.usable).
    pub require_scopes: Vec<String>,
    /// `--probe-audiences`: try the other host × aud pairs when the exchange is refused.
    pub probe_audiences: bool,
    /// `--allow`, `--warn`, `--deny`, in the order given.
    pub policy: Vec<crate::checks::policy::Rule>,
    /// Ask for a passphrase on the terminal when one is needed and there is a terminal.
    pub prompt: bool,
    pub format: ReportFormat,
    /// `--format` (or `--json`) was given, not defaulted: a plain `--output PATH` is then written
    /// in it whatever its extension, and `--output FORMAT=-` cannot take its place on standard
    /// output.
    pub format_given: bool,
    /// `--quiet`: text and markdown show a passing bundle as one line.
    pub quiet: bool,
    pub outputs: Vec<OutputSpec>,
    pub fail_on_warning: bool,
    pub colour: Colour,
}

/// Runs `sfjwt check`.
pub fn run(settings: &Settings) -> Result<ExitStatus, RunError> {
    let dirs = bundle_dirs(settings)?;
    if let Some(next) = &settings.inputs.next_cert
        && dirs.len() > 1
    {
        return Err(RunError(format!(
            "--next-cert {} names one certificate, and this run checks {} bundles: give one bundle directory (or --key and --cert) with --next-cert",
            crate::text::display_safe(&next.display().to_string()),
            dirs.len()
        )));
    }
    let ctx = context(settings)?;
    // Created before the checks run: an unwritable path stops the run at once.
    let outputs = Outputs::open(
        Primary {
            format: settings.format,
            given: settings.format_given,
        },
        &settings.outputs,
        &|path| input_named(settings, &dirs, path),
        settings.key_on_stdin,
    )?;
    for warning in &outputs.warnings {
        eprintln!("sfjwt: warning: {}", crate::text::display_safe(warning));
    }
    let run = fleet::Run {
        inputs: &settings.inputs,
        ctx: &ctx,
        env: &|name: &str| settings.env_file.lookup(name),
        prompt: if settings.prompt {
            Some(&super::terminal_prompt)
        } else {
            None
        },
        // The report on a terminal shows the run's progress itself.
        progress: fleet::progress_wanted() && !outputs.on_terminal(),
        jobs: 0,
    };
    let tool = report::Tool::this();
    let evaluated_at = rfc3339(ctx.at);
    let info = RunInfo {
        generated_at: rfc3339(OffsetDateTime::now_utc()),
        at_given: settings.at.is_some(),
        fail_on_warning: settings.fail_on_warning,
        expiry_warn_days: settings.expiry_warn_days,
        quiet: settings.quiet,
        notes: Vec::new(),
    };
    let head = Head {
        schema_version: report::SCHEMA_VERSION,
        tool: &tool,
        evaluated_at: &evaluated_at,
        run: &info,
        bundles: dirs.len(),
    };
    // Each report is written as its bundle (and every one before it) is done.
    let mut streaming = outputs.start(&head, settings.colour)?;
    fleet::check_each(&dirs, &run, &mut |b| streaming.bundle(&head, &b))?;
    let totals = streaming.finish(&head)?;
    // Said once per run, whatever the format: standard error is where a pipeline's log shows it.
    for note in &totals.notes {
        eprintln!("sfjwt: note: {}", crate::text::display_safe(note));
    }
    Ok(exit_status(totals.verdict(), settings.fail_on_warning))
}

/// The checks' context: the instant they judge at (to the second, UTC) and the run's switches.
fn context(settings: &Settings) -> Result<Context, RunError> {
    let at = settings
        .at
        .unwrap_or_else(OffsetDateTime::now_utc)
        .to_offset(time::UtcOffset::UTC);
    let mut ctx = Context::new(at.replace_nanosecond(0).unwrap_or(at));
    ctx.expiry_warn_days = i64::from(settings.expiry_warn_days);
    ctx.expiry_fail_days = settings.expiry_fail_days.map(i64::from);
    ctx.show_assertion = settings.show_assertion;
    ctx.live = settings.live;
    // Only settings here: the HTTP clients are built by the first live request.
    ctx.http = crate::salesforce::token::Http::new(settings.timeout);
    ctx.http.retry_pause = settings.retry_pause;
    ctx.require_scopes = settings.require_scopes.clone();
    ctx.probe_audiences = settings.probe_audiences;
    ctx.policy = settings.policy.clone();
    if settings.live {
        ctx.http.extras = live_extras(settings)?;
    }
    Ok(ctx)
}

/// With `--live`: the CA files to trust beside the system store (`--ca-file`, then
/// `$SSL_CERT_FILE`), read now so that a bad one stops the run before anything is sent, and in
/// debug builds the test hook `$SFJWT_TEST_RESOLVE`. Runs without `--live` read none of them.
fn live_extras(settings: &Settings) -> Result<Extras, RunError> {
    let mut extras = Extras::default();
    for path in &settings.ca_files {
        extras
            .ca_files
            .push(CaFile::read(path, CaOrigin::Flag).map_err(RunError)?);
    }
    match std::env::var_os(trust::SSL_CERT_FILE) {
        Some(path) if !path.is_empty() => extras
            .ca_files
            .push(CaFile::read(std::path::Path::new(&path), CaOrigin::Env).map_err(RunError)?),
        _ => {}
    }
    #[cfg(debug_assertions)]
    if let Some(value) = std::env::var_os(test_resolve::TEST_RESOLVE) {
        let value = value
            .into_string()
            .map_err(|_| RunError(format!("${} is not UTF-8 text", test_resolve::TEST_RESOLVE)))?;
        extras.test_resolve = test_resolve::parse(&value).map_err(RunError)?;
    }
    Ok(extras)
}

/// Which bundles to check: the directories given (a directory of bundles gives its bundles, see
/// [`fleet`]), or the current directory when it is a bundle, or the flags and environment alone.
fn bundle_dirs(settings: &Settings) -> Result<fleet::Bundles, RunError> {
    if !settings.bundles.is_empty() {
        return fleet::expand_compact(&settings.bundles);
    }
    if fleet::is_bundle(std::path::Path::new(".")) {
        return Ok([PathBuf::from(".")].into_iter().collect());
    }
    if settings.inputs.is_empty() {
        return Err(RunError(
            "nothing to check: give a bundle directory (sfjwt check DIR), or inputs such as \
             --key, --cert, --consumer-key, --username and --login-url"
                .into(),
        ));
    }
    Ok(fleet::Bundles::flags_only())
}

/// The file the run reads that `path` is, when it is one: the key, certificate and secret
/// files given, and in each bundle directory its key, certificate and `sfjwt.toml` and the key
/// and certificate that file names. `--output` must not name one of them. Looked up for an
/// existing `--output` path only, one bundle at a time: a fleet's inputs are never listed.
fn input_named(settings: &Settings, dirs: &fleet::Bundles, path: &Path) -> Option<PathBuf> {
    std::fs::symlink_metadata(path).ok()?;
    let same = |p: &Path| super::outputs::same_file(p, path);
    if let Some(given) = settings.input_files.iter().find(|p| same(p)) {
        return Some(given.clone());
    }
    for dir in dirs.iter().flatten() {
        for name in [
            gather::DEFAULT_KEY_FILE,
            gather::ENCRYPTED_KEY_FILE,
            gather::DEFAULT_CERT_FILE,
            gather::CONFIG_FILE,
        ] {
            let file = dir.join(name);
            if same(&file) {
                return Some(file);
            }
        }
        if let Ok(Some(config)) = crate::bundle::config::load(&dir.join(gather::CONFIG_FILE))
            && let Some(file) = config
                .key
                .iter()
                .chain(config.cert.iter())
                .chain(config.next_cert.iter())
                .map(|p| dir.join(p))
                .find(|p| same(p))
        {
            return Some(file);
        }
    }
    None
}

/// Maps a run's verdict to the exit status under `--fail-on`.
pub fn exit_status(verdict: Verdict, fail_on_warning: bool) -> ExitStatus {
    match verdict {
        Verdict::Fail => ExitStatus::Findings,
        Verdict::Warn if fail_on_warning => ExitStatus::Findings,
        _ => ExitStatus::Ok,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_follow_fail_on() {
        assert_eq!(exit_status(Verdict::Pass, false), ExitStatus::Ok);
        assert_eq!(exit_status(Verdict::Warn, false), ExitStatus::Ok);
        assert_eq!(exit_status(Verdict::Warn, true), ExitStatus::Findings);
        assert_eq!(exit_status(Verdict::Fail, false), ExitStatus::Findings);
        assert_eq!(exit_status(Verdict::Pass, true), ExitStatus::Ok);
    }
}
