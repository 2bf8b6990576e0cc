//! `sfjwt man [SUBCOMMAND]`: the sections clap_mangen does not write (EXIT STATUS, ENVIRONMENT,
//! FILES, EXAMPLES) list what the code declares, and the pages render with man(1).

use sfjwt::bundle::gather::{CONFIG_FILE, DEFAULT_CERT_FILE, DEFAULT_KEY_FILE, ENCRYPTED_KEY_FILE};
use sfjwt::bundle::inputs::INPUTS;
use sfjwt::exit::ExitStatus;

use crate::common::sfjwt;

fn page(args: &[&str]) -> String {
    let out = sfjwt().arg("man").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "sfjwt man {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of section `name` of a roff page, up to the next `.SH`.
fn section<'a>(page: &'a str, name: &str) -> Vec<&'a str> {
    page.lines()
        .skip_while(|l| *l != format!(".SH {name}"))
        .skip(1)
        .take_while(|l| !l.starts_with(".SH "))
        .collect()
}

#[test]
fn man_pages_have_exit_status_environment_files_and_examples() {
    for args in [&[][..], &["check"][..]] {
        let page = page(args);
        let exit = section(&page, "\"EXIT STATUS\"");
        for status in ExitStatus::ALL {
            let code = format!("\\fB{}\\fR", status.code());
            assert!(
                exit.contains(&code.as_str()),
                "{args:?}: code {code}: {exit:?}"
            );
        }
        let env = section(&page, "ENVIRONMENT");
        for var in INPUTS
            .iter()
            .filter_map(|s| s.env)
            .chain(["NO_COLOR", "TERM"])
        {
            let line = format!("\\fB{var}\\fR");
            assert!(env.contains(&line.as_str()), "{args:?}: ${var}: {env:?}");
        }
        let files = section(&page, "FILES");
        for file in [
            CONFIG_FILE,
            DEFAULT_KEY_FILE,
            ENCRYPTED_KEY_FILE,
            DEFAULT_CERT_FILE,
        ] {
            let line = format!("\\fB{file}\\fR");
            assert!(
                files.contains(&line.as_str()),
                "{args:?}: {file}: {files:?}"
            );
        }
        let examples = section(&page, "EXAMPLES");
        assert!(
            examples.iter().any(|l| l.starts_with("\\fBsfjwt check")),
            "{args:?}: {examples:?}"
        );
        // The new sections come before VERSION, and roff's preamble is written once.
        let at = |s: &str| page.find(s).unwrap_or_else(|| panic!("{args:?}: no {s}"));
        assert!(at(".SH EXAMPLES") < at(".SH VERSION"), "{args:?}");
        assert!(at(".SH OPTIONS") < at(".SH \"EXIT STATUS\""), "{args:?}");
        assert_eq!(page.matches(".ie \\n(.g .ds Aq").count(), 1, "{args:?}");
    }
}

#[test]
fn man_check_examples_use_flags_check_has() {
    let page = page(&["check"]);
    for flag in ["format", "output", "at", "fail\\-on"] {
        let example = format!("\\-\\-{flag} ");
        let option = format!("\\fB\\-\\-{flag}\\fR");
        assert!(page.contains(&example), "an example uses --{flag}");
        assert!(page.contains(&option), "--{flag} is an option of check");
    }
}

#[test]
fn man_pages_without_bundles_leave_out_files() {
    // `sfjwt completions` reads no bundle, no variable and prints no findings.
    let page = page(&["completions"]);
    for name in ["\"EXIT STATUS\"", "ENVIRONMENT", "FILES", "EXAMPLES"] {
        assert!(!page.contains(&format!(".SH {name}\n")), "{name}: {page}");
    }
}

#[test]
fn man_pages_render_with_man() {
    let Ok(probe) = std::process::Command::new("man").arg("--version").output() else {
        eprintln!("man is not installed: skipped");
        return;
    };
    if !probe.status.success() {
        eprintln!("man does not run: skipped");
        return;
    }
    for args in [&[][..], &["check"][..]] {
        let path = std::env::temp_dir().join(format!("sfjwt-man-test-{}.1", args.len()));
        std::fs::write(&path, page(args)).unwrap();
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for heading in [
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
            "SFJWT_USERNAME",
        ] {
            assert!(text.contains(heading), "{args:?}: {heading}: {text}");
        }
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(!warnings.contains("warning"), "{args:?}: {warnings}");
    }
}
