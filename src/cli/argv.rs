//! The command line before the argument parser sees it: a secret given as an argument is
//! refused here, by what it is and where it was given, and never echoed.
//!
//! clap prints the arguments it cannot place: a PEM key given as `--key "$PEM"` starts with
//! `-----`, so clap takes it for a flag, and its "unexpected argument" error would print the
//! whole key, twice. So every argument is looked at first ([`screen`]): a private key (PEM, the
//! base64 of a PEM file or of a DER key), a certificate's text where a path goes, a value that
//! holds a secret sfjwt knows (from `$SFJWT_CONSUMER_SECRET`, `$SFJWT_KEY_PASSPHRASE`, a secret
//! file named on the command line), or any value of a secret flag (`--consumer-secret`) stops
//! the run with a message that names the flag and what it takes. What clap prints afterwards
//! still passes through [`clean`].

use std::borrow::Cow;
use std::ffi::OsString;

use crate::bundle::inputs;
use crate::bundle::source::read_file_capped;
use crate::lookalike::{Class, Shape, secret_shape};
use crate::redact::Redactor;

/// Flags that would carry a secret as their value, and where that secret goes instead.
const SECRET_FLAGS: &[(&str, &str)] = &[
    ("consumer-secret", CONSUMER_SECRET_INSTEAD),
    ("client-secret", CONSUMER_SECRET_INSTEAD),
    ("secret", CONSUMER_SECRET_INSTEAD),
    ("key-passphrase", PASSPHRASE_INSTEAD),
    ("passphrase", PASSPHRASE_INSTEAD),
    ("password", PASSPHRASE_INSTEAD),
    ("key-password", PASSPHRASE_INSTEAD),
    ("private-key", KEY_INSTEAD),
];

const CONSUMER_SECRET_INSTEAD: &str =
    "Set SFJWT_CONSUMER_SECRET, or use --consumer-secret-file PATH (a file only you can read)";
const PASSPHRASE_INSTEAD: &str =
    "Set SFJWT_KEY_PASSPHRASE, use --key-passphrase-file PATH, or type it at the prompt";
const KEY_INSTEAD: &str = "Give the key file's path with --key PATH, pipe it in with --key -, or set SFJWT_PRIVATE_KEY to its text";

/// What sfjwt knows before it parses anything: the secrets of the environment, of the env files
/// and of the secret files the command line names, and the private key `$SFJWT_PRIVATE_KEY`
/// holds.
pub fn known_secrets(args: &[OsString], env: &dyn Fn(&str) -> Option<OsString>) -> Redactor {
    // An env file that does not read is the run's error later; nothing is learnt from it here.
    let files: Vec<_> = values_of(args, "--env-file")
        .iter()
        .filter_map(|p| crate::bundle::env_file::read(std::path::Path::new(p)).ok())
        .collect();
    let env = |var: &str| {
        env(var)
            .filter(|v| !v.is_empty())
            .or_else(|| files.iter().find_map(|f| f.get(var).map(OsString::from)))
    };
    let mut known = Redactor::new();
    for (var, what) in inputs::secret_env_vars() {
        if let Some(v) = env(var).and_then(|v| v.into_string().ok()) {
            known.add(&v, what);
        }
    }
    if let Some(pem) = inputs::PRIVATE_KEY.env.and_then(env) {
        crate::lookalike::add_key_material(&mut known, pem.as_encoded_bytes());
    }
    // The secret files the command line names: read before parsing, so that an argument that
    // holds one of their secrets is known for what it is.
    for (flag, what) in inputs::secret_file_flags() {
        for path in values_of(args, flag) {
            if let Ok(mut bytes) = read_file_capped(std::path::Path::new(&path)) {
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    known.add(text.trim_end_matches(['\r', '\n']), what);
                }
                zeroize::Zeroize::zeroize(&mut bytes);
            }
        }
    }
    known
}

/// Every value given to `flag` (`--flag VALUE` or `--flag=VALUE`).
fn values_of(args: &[OsString], flag: &str) -> Vec<OsString> {
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let bytes = arg.as_encoded_bytes();
        if bytes == flag.as_bytes() {
            if let Some(next) = args.get(i + 1) {
                out.push(next.clone());
            }
        } else if let Some(rest) = bytes
            .strip_prefix(flag.as_bytes())
            .and_then(|r| r.strip_prefix(b"="))
        {
            out.push(OsString::from(String::from_utf8_lossy(rest).into_owned()));
        }
    }
    out
}

/// One argument as the parser will see it: the flag it belongs to, if any, and its value.
struct Given<'a> {
    /// `--key`, `-o`; `None` for a positional argument.
    flag: Option<String>,
    value: Cow<'a, str>,
}

/// Splits the arguments into flags and their values, as clap will: `--flag=value`, `--flag
/// value` for flags that take one, `-oVALUE`, and everything after `--` positional.
fn given<'a>(args: &'a [OsString], cmd: &clap::Command) -> (Vec<Given<'a>>, Option<String>) {
    let mut out = Vec::new();
    let mut sub: Option<&clap::Command> = None;
    let mut positional_only = false;
    let mut i = 1;
    while i < args.len() {
        let value = args[i].to_string_lossy();
        i += 1;
        let here = sub.unwrap_or(cmd);
        if value == "--" && !positional_only {
            positional_only = true;
            continue;
        }
        if positional_only || !looks_like_a_flag(&value) {
            if sub.is_none()
                && !positional_only
                && let Some(s) = cmd.find_subcommand(value.as_ref())
            {
                sub = Some(s);
                continue;
            }
            out.push(Given { flag: None, value });
            continue;
        }
        if let Some((flag, v)) = value.split_once('=').filter(|(f, _)| f.starts_with("--")) {
            out.push(Given {
                flag: Some(flag.to_string()),
                value: Cow::Owned(v.to_string()),
            });
            continue;
        }
        let (flag, attached) = match value.strip_prefix("--") {
            Some(_) => (value.to_string(), None),
            None => {
                // A short flag: `-o PATH` or `-oPATH`.
                let mut chars = value.chars().skip(1);
                let short = chars.next().map(|c| format!("-{c}")).unwrap_or_default();
                let rest: String = chars.collect();
                (short, (!rest.is_empty()).then_some(rest))
            }
        };
        let takes = takes_value(here, &flag) || secret_flag(&flag).is_some();
        match attached {
            Some(v) if takes => out.push(Given {
                flag: Some(flag),
                value: Cow::Owned(v),
            }),
            _ if takes && i < args.len() => {
                out.push(Given {
                    flag: Some(flag),
                    value: args[i].to_string_lossy(),
                });
                i += 1;
            }
            // A flag without a value (or one clap does not know): its name is looked at as a
            // value, so that a secret written as a flag (`--C0FFEE...`) is caught too.
            _ => out.push(Given {
                flag: None,
                value: Cow::Owned(flag.trim_start_matches('-').to_string()),
            }),
        }
    }
    (out, sub.map(|s| s.get_name().to_string()))
}

/// `--name`, `--name=value` or `-x...`, the way clap tells flags from values; `-----BEGIN` is
/// a value (clap would disagree, which is why this module exists).
fn looks_like_a_flag(arg: &str) -> bool {
    let name = match arg.strip_prefix("--") {
        Some(long) => long.split('=').next().unwrap_or(""),
        None => match arg.strip_prefix('-') {
            Some(short) => short.get(..1).unwrap_or(""),
            None => return false,
        },
    };
    name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether `flag` (`--key`, `-o`) takes a value in `cmd`.
fn takes_value(cmd: &clap::Command, flag: &str) -> bool {
    find_arg(cmd, flag).is_some_and(|a| a.get_action().takes_values())
}

fn find_arg<'c>(cmd: &'c clap::Command, flag: &str) -> Option<&'c clap::Arg> {
    cmd.get_arguments().find(|a| match flag.strip_prefix("--") {
        Some(long) => {
            a.get_long() == Some(long) || a.get_all_aliases().is_some_and(|al| al.contains(&long))
        }
        None => flag
            .strip_prefix('-')
            .and_then(|s| s.chars().next())
            .is_some_and(|c| a.get_short() == Some(c)),
    })
}

/// The advice for a flag that carries a secret, when `flag` is one.
fn secret_flag(flag: &str) -> Option<&'static str> {
    let name = flag.strip_prefix("--")?;
    SECRET_FLAGS
        .iter()
        .find(|(f, _)| *f == name)
        .map(|(_, instead)| *instead)
}

/// Refuses a command line that holds a secret where it does not belong, with a message that
/// says where and what to do instead; the value itself is never in it.
pub fn screen(args: &[OsString], cmd: &clap::Command, known: &Redactor) -> Result<(), String> {
    let (given, sub) = given(args, cmd);
    let here = sub
        .as_deref()
        .and_then(|s| cmd.find_subcommand(s))
        .unwrap_or(cmd);
    for g in &given {
        if let Some(flag) = &g.flag
            && let Some(instead) = secret_flag(flag)
        {
            return Err(format!(
                "{flag} is not accepted: a secret on the command line lands in shell history and \
                 process lists. {instead}. (Its value is not shown.)"
            ));
        }
        if let Some(message) = refusal(g, sub.as_deref(), here, known) {
            return Err(message);
        }
    }
    Ok(())
}

/// Why one argument is refused, if it is. `cmd` is the (sub)command it was given to.
fn refusal(
    g: &Given<'_>,
    sub: Option<&str>,
    cmd: &clap::Command,
    known: &Redactor,
) -> Option<String> {
    let value = g.value.as_ref();
    let refused = |s: &Shape| match s.class {
        Class::PrivateKey => true,
        // A token is what `decode` reads; `explain` reads error texts, tokens and all, and
        // never prints them. Anywhere else a token is a credential in the shell's history.
        Class::Token => !(g.flag.is_none() && matches!(sub, Some("decode" | "explain"))),
        // A certificate's text where a path goes.
        Class::Certificate => takes_a_path(g, sub, cmd),
        // Only a shape: `consumer-key.format` and the other checks say what is wrong with it,
        // and describe it instead of showing it.
        Class::SecretShaped => false,
    };
    let what: Cow<'_, str> = match secret_shape(value) {
        Some(s) if refused(&s) => Cow::Borrowed(s.what),
        _ => Cow::Owned(format!(
            "or holds the {}, which sfjwt was given elsewhere",
            known.found_in(value)?
        )),
    };
    let place = match (&g.flag, sub) {
        (Some(flag), _) => format!("the value given to {flag}"),
        (None, Some("decode")) => "the token given to sfjwt decode".to_string(),
        (None, Some("explain")) => "the text given to sfjwt explain".to_string(),
        (None, _) => "an argument".to_string(),
    };
    Some(format!(
        "{place} is {what} ({} characters; not shown). {} A value on the command line is also \
         in the shell's history and the process list: if it is a real credential, remove it from \
         the history and treat it as exposed.",
        value.chars().count(),
        advice(g.flag.as_deref(), sub)
    ))
}

/// Whether the argument is a path (so that any PEM text there is misplaced).
fn takes_a_path(g: &Given<'_>, sub: Option<&str>, cmd: &clap::Command) -> bool {
    match g.flag.as_deref() {
        // Bundle directories.
        None => sub == Some("check"),
        // As the flag's definition says: `--key PATH|-`, `--output [FORMAT=]PATH`, ...
        Some(flag) => find_arg(cmd, flag)
            .and_then(clap::Arg::get_value_names)
            .is_some_and(|names| names.iter().any(|n| n.as_str().contains("PATH"))),
    }
}

/// What the flag takes, and where the value that was given belongs.
fn advice(flag: Option<&str>, sub: Option<&str>) -> String {
    match (flag, sub) {
        (Some("--key"), _) => "--key takes the path of the key file, or - to read it from standard input; to give the key's text, set SFJWT_PRIVATE_KEY to it (as PEM, or as the base64 of the file).".into(),
        (Some("--cert"), _) => "--cert takes the path of the certificate file (server.crt): save the certificate to a file and give its path.".into(),
        (Some("--consumer-secret-file" | "--key-passphrase-file"), _) => "It takes the path of a file that holds the secret, readable only by you (chmod 600).".into(),
        (Some("--username"), _) => "--username takes the Salesforce username the JWT acts for, e.g. integration@acme.com.".into(),
        (Some("--consumer-key"), _) => "--consumer-key takes the app's consumer key (it starts with 3MVG); the consumer secret goes in SFJWT_CONSUMER_SECRET.".into(),
        (Some("--login-url" | "--audience"), _) => "It takes a URL such as https://login.salesforce.com or https://MyDomain.my.salesforce.com.".into(),
        (Some(flag), _) => format!("{flag} does not take a credential; see sfjwt {} --help.", sub.unwrap_or("check")),
        (None, Some("decode")) => "sfjwt decode reads a signed JWT (it starts with eyJ); to check a private key, run sfjwt check --key PATH.".into(),
        (None, Some("explain")) => "sfjwt explain reads the error a login printed, which never needs the key; paste the error alone.".into(),
        (None, _) => "Bundle directories are paths; the key goes in the bundle as server.key, or in SFJWT_PRIVATE_KEY.".into(),
    }
}

/// Text sfjwt did not write (clap's errors, a TOML parser's), as it may be printed: known
/// secrets and anything shaped like a credential redacted, control characters escaped.
pub fn clean(text: &str, known: &Redactor) -> String {
    let text = known.scrub(text);
    let text = crate::lookalike::redact_lookalikes(&text);
    text.split_inclusive('\n')
        .map(|line| {
            let (body, end) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            format!("{}{end}", crate::text::display_safe(body))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    const PEM: &str = include_str!("../../fixtures/valid/server.key");

    fn args(list: &[&str]) -> Vec<OsString> {
        std::iter::once("sfjwt")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn refused(list: &[&str]) -> String {
        let a = args(list);
        screen(&a, &Cli::command(), &Redactor::new()).expect_err("refused")
    }

    #[test]
    fn a_key_in_any_flag_or_position_is_refused_without_its_text() {
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, PEM);
        let key_eq = format!("--key={PEM}");
        for list in [
            vec!["check", "--key", PEM],
            vec!["check", &key_eq],
            vec!["check", "--key", &b64],
            vec!["check", "--username", PEM],
            vec!["check", PEM],
            vec!["check", "--bogus", PEM],
            vec!["decode", PEM],
            vec!["explain", PEM],
            vec!["check", "-o", PEM],
        ] {
            let message = refused(&list);
            assert!(!message.contains("MII"), "{list:?}: {message}");
            assert!(message.contains("private key"), "{list:?}: {message}");
        }
        let message = refused(&["check", "--key", PEM]);
        assert!(
            message.starts_with("the value given to --key is a PEM private key"),
            "{message}"
        );
        assert!(message.contains("SFJWT_PRIVATE_KEY"), "{message}");
        assert!(refused(&["check", PEM]).starts_with("an argument is a PEM private key"));
        assert!(refused(&["decode", PEM]).contains("sfjwt decode reads a signed JWT"));
    }

    #[test]
    fn a_certificate_s_text_is_refused_where_a_path_goes_only() {
        let cert = include_str!("../../fixtures/valid/server.crt");
        for list in [
            vec!["check", "--cert", cert],
            vec!["check", "--output", cert],
            vec!["check", cert],
        ] {
            assert!(refused(&list).contains("a PEM certificate"), "{list:?}");
        }
        // Not a path, not a secret: the check of that setting says what is wrong with it.
        let a = args(&["check", "--username", cert]);
        assert_eq!(screen(&a, &Cli::command(), &Redactor::new()), Ok(()));
    }

    #[test]
    fn a_known_secret_anywhere_is_refused() {
        let secret = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00";
        let mut known = Redactor::new();
        known.add("Canary-Passphrase-5b1d", "key passphrase");
        known.add(secret, "consumer secret");
        for list in [
            vec!["check", "--username", "Canary-Passphrase-5b1d"],
            vec![
                "check",
                "--login-url",
                "https://x:Canary-Passphrase-5b1d@login.salesforce.com",
            ],
            vec!["check", "--timeout", secret],
            vec!["check", "dir/Canary-Passphrase-5b1d"],
        ] {
            let message = screen(&args(&list), &Cli::command(), &known).expect_err("refused");
            assert!(
                !message.contains("Canary") && !message.contains("C0FFEE"),
                "{message}"
            );
            assert!(message.contains("or holds the "), "{message}");
        }
    }

    #[test]
    fn secret_flags_are_refused_whatever_their_value() {
        for list in [
            vec!["check", "--consumer-secret", "abc"],
            vec!["check", "--consumer-secret=abc"],
            vec!["check", "--key-passphrase", "-----BEGIN"],
            vec!["check", "--passphrase", "x"],
            vec!["check", "--client-secret", "x"],
        ] {
            let message = refused(&list);
            assert!(message.contains("is not accepted"), "{message}");
        }
    }

    #[test]
    fn ordinary_command_lines_pass() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl";
        for list in [
            vec!["check", "fixtures/valid", "--at", "2026-11-29"],
            vec![
                "check",
                "--key",
                "-",
                "--username",
                "a@b.co",
                "-o",
                "json=r.json",
            ],
            vec!["decode", token],
            vec![
                "explain",
                "invalid_grant:",
                "user hasn't approved this consumer",
            ],
            vec!["explain", "assertion=", token],
            vec!["check", "--", "-odd-dir-name"],
        ] {
            assert_eq!(
                screen(&args(&list), &Cli::command(), &Redactor::new()),
                Ok(()),
                "{list:?}"
            );
        }
    }

    #[test]
    fn values_of_reads_both_spellings() {
        let a = args(&[
            "check",
            "--consumer-secret-file",
            "a",
            "--consumer-secret-file=b",
        ]);
        assert_eq!(
            values_of(&a, "--consumer-secret-file"),
            vec![OsString::from("a"), "b".into()]
        );
    }

    #[test]
    fn clean_redacts_and_escapes_line_by_line() {
        let mut known = Redactor::new();
        known.add("Canary-Passphrase-5b1d", "key passphrase");
        let out = clean(
            "error: invalid value 'Canary-Passphrase-5b1d' \u{1b}[31m\n\ntip: x\n",
            &known,
        );
        assert_eq!(
            out,
            "error: invalid value '[redacted: key passphrase]' \\u{1b}[31m\n\ntip: x\n"
        );
    }
}
