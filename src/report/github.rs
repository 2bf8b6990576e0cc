//! `--format github`: GitHub Actions workflow commands, one annotation per failure
//! (`::error`) or warning (`::warning`), and a `::notice` for a finding the per-check policy
//! allowed; nothing else, so a clean run prints nothing. Each points
//! at the bundle's file the finding is about, when it is known: the key file for `key.*`, the
//! certificate for `cert.*`, `sfjwt.toml` for a value read from it.
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n` become `%25`, `%0D`
//! and `%0A`; in properties (`file`, `title`) `:` and `,` also become `%3A` and `%2C`.
//! GitHub matches `file` against the repository, so run sfjwt from the repository root with
//! relative bundle paths.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::totals::Totals;
use super::{BundleReport, Head, Render, Report};
use crate::finding::Status;

pub fn render(report: &Report) -> String {
    super::render(report, super::ReportFormat::Github)
}

/// One annotation per failing or warning finding, in report order, as each bundle finishes; the
/// run's notes at the end.
#[derive(Debug, Default)]
pub struct Github;

impl Render for Github {
    fn bundle(&mut self, _: &Head<'_>, bundle: &BundleReport, w: &mut dyn Write) -> io::Result<()> {
        let mut out = String::new();
        for f in &bundle.checks {
            let level = match f.status {
                Status::Fail => "error",
                Status::Warn => "warning",
                // Allowed by the per-check policy: a notice, so it is never silently gone.
                Status::Info if f.evidence.contains_key("policy") => "notice",
                _ => continue,
            };
            out.push_str("::");
            out.push_str(level);
            out.push(' ');
            if let Some(place) = super::location::of(bundle, f) {
                let _ = write!(out, "file={},", property(place.file));
                for (n, name) in [(place.line, "line"), (place.column, "col")] {
                    if let Some(n) = n {
                        let _ = write!(out, "{name}={n},");
                    }
                }
            }
            let title = format!("sfjwt {} ({}): {}", f.id, bundle.name, f.title);
            let _ = write!(out, "title={}", property(&title));
            out.push_str("::");
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                let _ = write!(message, "\nFix: {fix}");
            }
            let _ = write!(message, "\n(sfjwt explain {})", f.id);
            out.push_str(&data(&message));
            out.push('\n');
        }
        w.write_all(out.as_bytes())
    }

    fn finish(&mut self, _: &Head<'_>, totals: &mut Totals, w: &mut dyn Write) -> io::Result<()> {
        for note in &totals.notes {
            writeln!(w, "::notice title=sfjwt::{}", data(note))?;
        }
        Ok(())
    }
}

/// Escapes a workflow command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped_as_the_runner_expects() {
        assert_eq!(
            data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
        assert_eq!(property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        // `::` in a message cannot end the command early: only the first `::` after the
        // properties separates them from the message.
        assert_eq!(data("x::y"), "x::y");
    }
}
