//! config.parse: a bundle directory's `sfjwt.toml` reads as valid settings.

use super::{Check, Docs, Group, Skip, require};
use crate::bundle::Bundle;
use crate::bundle::config::ConfigError;
use crate::bundle::inputs::{self, InputSpec};
use crate::finding::Outcome;
use crate::steps::Step;

pub static CONFIG_PARSE: Check = Check {
    id: "config.parse",
    title: "sfjwt.toml reads",
    // The file is read before anything else, and it names the key and certificate of step 1:
    // listed there, first, a broken file is the first thing the report says, above the skips
    // it causes.
    steps: &[Step::KeyAndCert],
    group: Group::Config,
    docs: Docs {
        passes_when: "The bundle directory's sfjwt.toml reads as valid settings (reported for bundle directories that have one).",
        what: "Reads sfjwt.toml as TOML and its settings as the ones sfjwt knows: consumer_key, username, login_url, audience, key and cert (paths relative to the bundle directory), consumer_secret_env and key_passphrase_env (names of environment variables), and the table [checks] (allow, warn and deny: check ids or prefixes, each checked against the registry with a did-you-mean). A setting sfjwt does not know is named with the known one it is closest to; a secret written in plain text (consumer_secret, key_passphrase), a key or certificate written where its path goes, and a secret written where a variable's name goes are refused without repeating them. The finding names the file, the line and the column. When the file reads but a variable it names for a setting (username_env, consumer_key_env, login_url_env, audience_env, consumer_secret_env) is not set and nothing else gives that setting, it fails (warns for the consumer secret, which only token introspection uses): a CI job that forgot a secret does not go green.",
        why: "The file holds the bundle's consumer key, username, login URL and the paths of its key and certificate: when it does not read, none of them is known, so the bundle's other checks are skipped rather than judged on the wrong inputs. In a fleet the other bundles are still checked and reported.",
        fix: "Open the file at the line and column given and correct the setting: TOML wants `name = \"value\"`, one per line, with the value in double quotes. Use only the known settings; give secrets through environment variables and name those variables with consumer_secret_env and key_passphrase_env. `sfjwt explain config.parse` lists the settings.",
        references: &[
            "TOML v1.0.0, https://toml.io/en/v1.0.0",
            "docs/ci.md: bundle directories and sfjwt.toml",
        ],
    },
    run: |bundle, _ctx, _scratch| config_parse(bundle),
};

fn config_parse(bundle: &Bundle) -> Result<Outcome, Skip> {
    Ok(match require::config(bundle)? {
        Ok(path) => unset(bundle, path)
            .unwrap_or_else(|| Outcome::pass(format!("{} reads as valid settings", path.display())))
            .with("file", path.display().to_string()),
        Err(e) => broken(e),
    })
}

/// The file reads, but a variable it names for a setting is not set, and nothing else gives
/// the setting: the bundle's own declaration does not hold in this environment (a CI job that
/// forgot a secret). A setting a login needs fails, as a bundle without its key does; the
/// consumer secret, which only token introspection uses, warns.
fn unset(bundle: &Bundle, path: &std::path::Path) -> Option<Outcome> {
    let unset: Vec<(&InputSpec, &str)> = bundle.unset_settings().collect();
    if unset.is_empty() {
        return None;
    }
    let message = format!(
        "{} ({})",
        unset
            .iter()
            .map(|(_, hint)| *hint)
            .collect::<Vec<_>>()
            .join("; "),
        path.display()
    );
    let names: Vec<&str> = unset
        .iter()
        .filter_map(|(s, _)| s.toml_env.or(s.toml))
        .collect();
    let fix = format!(
        "Set the variable{} in the environment sfjwt runs in (a CI secret, or --env-file), or correct the name in {}",
        if unset.len() == 1 { "" } else { "s" },
        path.display()
    );
    let optional = unset.iter().all(|(s, _)| *s == &inputs::CONSUMER_SECRET);
    let outcome = if optional {
        Outcome::warn(message, fix)
    } else {
        Outcome::fail(message, fix)
    };
    Some(outcome.with("unset", serde_json::Value::from(names)))
}

fn broken(e: &ConfigError) -> Outcome {
    let mut out = Outcome::fail(
        format!("{e}"),
        format!(
            "Correct {} where it says, or remove the setting: `sfjwt explain config.parse` lists \
             the settings sfjwt.toml may hold",
            e.path.display()
        ),
    )
    .with("file", e.path.display().to_string());
    if let Some(line) = e.line {
        out = out.with("line", line);
    }
    if let Some(column) = e.column {
        out = out.with("column", column);
    }
    out
}

/// The reason every other check of a bundle gives when its `sfjwt.toml` did not read.
pub fn unread() -> Skip {
    Skip::see("the bundle's sfjwt.toml did not read", &CONFIG_PARSE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Scratch;
    use crate::checks::testing::ctx;

    use crate::finding::Status;
    use std::path::PathBuf;

    #[test]
    fn a_settings_file_that_reads_passes_and_names_itself() {
        let mut b = Bundle::empty("b");
        b.config = Some(Ok(PathBuf::from("b/sfjwt.toml")));
        let o = CONFIG_PARSE.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Pass);
        assert_eq!(o.evidence["file"], "b/sfjwt.toml");
    }

    #[test]
    fn a_broken_file_fails_with_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sfjwt.toml");
        std::fs::write(&path, "consumer_key = \"3MVG9x\"\nusrname = \"a@b.c\"\n").unwrap();
        let e = crate::bundle::config::load(&path).unwrap_err();
        let mut b = Bundle::empty("b");
        b.config = Some(Err(e));
        let o = CONFIG_PARSE.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Fail);
        assert_eq!(o.evidence["line"], 2);
        assert_eq!(o.evidence["column"], 1);
        assert!(o.message.contains("sfjwt.toml:2:1"), "{}", o.message);
        assert!(
            o.message.contains("did you mean `username`?"),
            "{}",
            o.message
        );
    }

    #[test]
    fn a_named_variable_that_is_not_set_fails_and_only_the_consumer_secret_warns() {
        let mut b = Bundle::empty("b");
        b.config = Some(Ok(PathBuf::from("b/sfjwt.toml")));
        let hint = |var: &str, what: &str| {
            format!("sfjwt.toml names ${var} for {what}, but it is not set")
        };
        b.unset = vec![(&inputs::CONSUMER_SECRET, hint("S", "the consumer secret"))];
        let o = CONFIG_PARSE.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Warn, "{}", o.message);
        b.unset.push((&inputs::USERNAME, hint("U", "the username")));
        let o = CONFIG_PARSE.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Fail);
        assert_eq!(
            o.message,
            "sfjwt.toml names $S for the consumer secret, but it is not set; sfjwt.toml names $U \
             for the username, but it is not set (b/sfjwt.toml)"
        );
        assert_eq!(o.evidence["file"], "b/sfjwt.toml");
        // A flag that gives the username anyway leaves only the secret unset.
        b.username = crate::checks::testing::with_user("a@b.c").username;
        let o = CONFIG_PARSE.outcome(&b, &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Warn);
    }

    #[test]
    fn without_a_settings_file_it_skips() {
        let o = CONFIG_PARSE.outcome(&Bundle::empty("b"), &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Skip);
    }
}
