//! Where a `sfjwt check` report goes: standard output in `--format`, or a file with
//! `--output PATH`, plus any number of `--output FORMAT=PATH` files. The files are created before
//! the checks run, so an unwritable path stops the run at once (exit 2), not after thousands of
//! bundles; a run that then fails removes them again.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::app::{RunError, use_color};
use crate::cli::{ColorChoice, OutputSpec, ReportFormat};
use crate::report::{self, Report};

/// The report's destinations, with their files already created.
pub struct Outputs {
    /// The `--format` report on standard output, unless `--output PATH` took it.
    stdout: Option<ReportFormat>,
    files: Vec<(ReportFormat, PathBuf, File)>,
}

impl Outputs {
    /// Creates every output file; a path that cannot be written, is given twice, or is one of the
    /// run's inputs (`inputs`: the key, certificate, `sfjwt.toml` and secret files) is an error:
    /// `--output server.key` must never replace the private key with a report.
    pub fn open(
        format: ReportFormat,
        specs: &[OutputSpec],
        inputs: &[PathBuf],
    ) -> Result<Outputs, RunError> {
        let mut outputs = Outputs {
            stdout: Some(format),
            files: Vec::with_capacity(specs.len()),
        };
        for spec in specs {
            if outputs.files.iter().any(|(_, p, _)| *p == spec.path) {
                outputs.discard();
                return Err(RunError(format!(
                    "{} is given to --output twice; give each report its own path",
                    spec.path.display()
                )));
            }
            if let Some(input) = inputs.iter().find(|i| same_file(i, &spec.path)) {
                outputs.discard();
                return Err(RunError(format!(
                    "--output {} is {}, an input of this run: sfjwt never writes over its inputs; \
                     give the report another path",
                    spec.path.display(),
                    input.display()
                )));
            }
            let file = match File::create(&spec.path) {
                Ok(f) => f,
                Err(e) => {
                    outputs.discard();
                    return Err(RunError(format!(
                        "cannot write the report to {}: {e}",
                        spec.path.display()
                    )));
                }
            };
            let file_format = match spec.format {
                Some(f) => f,
                None => {
                    outputs.stdout = None;
                    format
                }
            };
            outputs.files.push((file_format, spec.path.clone(), file));
        }
        Ok(outputs)
    }

    /// Removes the files made by [`Outputs::open`]: the run did not happen.
    pub fn discard(self) {
        for (_, path, file) in self.files {
            drop(file);
            let _ = std::fs::remove_file(path);
        }
    }

    /// Writes the report to every destination: the files first (never coloured), then standard
    /// output (coloured as `--color` says, when it is text).
    pub fn write(self, report: &Report, color: ColorChoice) -> Result<(), RunError> {
        colored::control::set_override(false);
        for (format, path, file) in self.files {
            let mut file = std::io::BufWriter::new(file);
            report::write(report, format, &mut file)
                .and_then(|()| file.flush())
                .map_err(|e| {
                    RunError(format!(
                        "cannot write the report to {}: {e}",
                        path.display()
                    ))
                })?;
        }
        if let Some(format) = self.stdout {
            let stdout = std::io::stdout();
            colored::control::set_override(use_color(color, stdout.is_terminal()));
            let mut lock = stdout.lock();
            // A closed pipe (`sfjwt check | head`) is not an error worth a message.
            let _ = report::write(report, format, &mut lock).and_then(|()| lock.flush());
        }
        Ok(())
    }
}

/// Whether two paths name the same existing file (the same inode, through links and `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}
