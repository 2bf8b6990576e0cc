//! config.parse: a bundle directory's `sfjwt.toml` reads as valid settings.

use super::{Check, Docs, Group, Skip, require};
use crate::bundle::Bundle;
use crate::bundle::config::ConfigError;
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
        what: "Reads sfjwt.toml as TOML and its settings as the ones sfjwt knows: consumer_key, username, login_url, audience, key and cert (paths relative to the bundle directory), consumer_secret_env and key_passphrase_env (names of environment variables). A setting sfjwt does not know is named with the known one it is closest to; a secret written in plain text (consumer_secret, key_passphrase), a key or certificate written where its path goes, and a secret written where a variable's name goes are refused without repeating them. The finding names the file, the line and the column.",
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
        Ok(path) => Outcome::pass(format!("{} reads as valid settings", path.display()))
            .with("file", path.display().to_string()),
        Err(e) => broken(e),
    })
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
    fn without_a_settings_file_it_skips() {
        let o = CONFIG_PARSE.outcome(&Bundle::empty("b"), &ctx(), &mut Scratch::default());
        assert_eq!(o.status, Status::Skip);
    }
}
