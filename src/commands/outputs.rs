//! Where a `sfjwt check` report goes: standard output in `--format`, or a file with
//! `--output PATH` (`-`: standard output), plus any number of `--output FORMAT=PATH` files. A
//! plain PATH is written in `--format`, or, when it was not given, in the format its extension
//! says.
//!
//! No report is lost or left half written. Each file is written to a temporary file beside it
//! ([`temp`]), created before the checks run (an unwritable path stops the run at once, exit 2,
//! not after thousands of bundles), and renamed onto the final path only when every report is
//! complete and flushed to disk: a run that fails, a panic or a signal leaves files that existed
//! before it as they were, and no temporary file. A replaced file keeps its mode; a symlink stays a
//! symlink (the file it points to is replaced). Streams ([`target`]: a FIFO with a reader, a
//! terminal, `/dev/null`, the file behind standard output) cannot be replaced whole and are
//! written as they are. A path that is one of the run's inputs, or given twice, is refused.

pub(super) mod new_files;
mod target;
pub(super) mod temp;

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::Colour;
use crate::exit::RunError;
use crate::report::totals::Totals;
use crate::report::{self, BundleReport, Head, Render, ReportFormat};
use clap::ValueEnum;
use target::{Identity, Kind, StdStream};
use temp::TempFile;

/// One `--output`: a path, and the format written there (`None`: the `--format` report, which
/// then goes to the path instead of standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Option<ReportFormat>,
    pub path: PathBuf,
}

impl OutputSpec {
    /// Reads `PATH` or `FORMAT=PATH`. A value whose part before the first `=` is not a format
    /// name is a path (`./a=b.txt`); one that looks like a misspelt format name is refused.
    pub fn parse(value: &std::ffi::OsStr) -> Result<OutputSpec, String> {
        let whole = || OutputSpec {
            format: None,
            path: PathBuf::from(value),
        };
        let Some((prefix, rest)) = split_at_equals(value) else {
            return if value.is_empty() {
                Err("--output needs a path".into())
            } else {
                Ok(whole())
            };
        };
        let names: Vec<&str> = ReportFormat::value_variants()
            .iter()
            .map(|f| f.name())
            .collect();
        match ReportFormat::from_str(&prefix, true) {
            Ok(format) if rest.is_empty() => Err(format!(
                "--output {prefix}= needs a path after the `=`, e.g. --output {}=report",
                format.name()
            )),
            Ok(format) => Ok(OutputSpec {
                format: Some(format),
                path: PathBuf::from(rest),
            }),
            Err(_) if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric()) => {
                Err(format!(
                    "`{prefix}` in --output {prefix}=... is not a report format; the formats are {} \
                     (a path that holds `=` can be written ./{prefix}=...)",
                    names.join(", ")
                ))
            }
            Err(_) => Ok(whole()),
        }
    }
}

/// Splits `FORMAT=PATH` at the first `=`, when the part before it is text.
fn split_at_equals(value: &std::ffi::OsStr) -> Option<(String, std::ffi::OsString)> {
    if let Some(s) = value.to_str() {
        let (prefix, rest) = s.split_once('=')?;
        return Some((prefix.to_string(), rest.into()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::{OsStrExt, OsStringExt};
        let bytes = value.as_bytes();
        let i = bytes.iter().position(|&b| b == b'=')?;
        let prefix = std::str::from_utf8(&bytes[..i]).ok()?.to_string();
        Some((
            prefix,
            std::ffi::OsString::from_vec(bytes[i + 1..].to_vec()),
        ))
    }
    #[cfg(not(unix))]
    None
}

/// Where one `--output` report goes.
#[derive(Debug)]
enum Dest {
    /// A temporary file, renamed onto `rename_to` when the report in it is whole.
    File { temp: TempFile, rename_to: PathBuf },
    /// A FIFO or a device, written as it is.
    Stream(File),
    /// Standard output or error, which the path given is the file behind.
    Std(StdStream),
}

#[derive(Debug)]
struct Output {
    format: ReportFormat,
    /// The path as given, for messages.
    path: PathBuf,
    /// Given as `FORMAT=PATH`, not as a plain path.
    named: bool,
    id: Identity,
    dest: Dest,
}

impl Output {
    fn on_stdout(&self) -> bool {
        matches!(self.dest, Dest::Std(StdStream::Out))
    }

    /// The `--output` value as given, for messages.
    fn shown(&self) -> String {
        match self.named {
            true => format!("{}={}", self.format.name(), self.path.display()),
            false => self.path.display().to_string(),
        }
    }
}

/// Which of the run's input files a path is, when it is one (the same file under any spelling);
/// asked only of `--output` paths that exist, so that a fleet's inputs are never listed.
pub type Inputs<'a> = &'a dyn Fn(&Path) -> Option<PathBuf>;

/// The `--format` report: its format, and whether it was asked for (`--format`, `--json`)
/// rather than taken by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Primary {
    pub format: ReportFormat,
    pub given: bool,
}

/// The report's destinations, with their temporary files made and their streams open.
#[derive(Debug)]
pub struct Outputs {
    /// The `--format` report on standard output, unless an `--output` took it.
    stdout: Option<ReportFormat>,
    files: Vec<Output>,
    /// What the user should know about the outputs before the run (an extension that names no
    /// format), one sentence each.
    pub warnings: Vec<String>,
}

impl Outputs {
    /// Prepares every output; a path that cannot be written, is given twice (under any spelling),
    /// or is one of the run's inputs is an error: `inputs`, the key, certificate, `sfjwt.toml`
    /// and secret files, and with `stdin_is_input` (`--key -`) the file behind standard input.
    /// `--output server.key` must never replace the private key with a report.
    ///
    /// Standard output takes one report. `--output PATH` takes the `--format` report off it (to
    /// PATH, `-` being standard output itself); so does `--output FORMAT=-` when `--format` was
    /// not given. Two reports that both want it are an error.
    pub fn open(
        primary: Primary,
        specs: &[OutputSpec],
        inputs: Inputs<'_>,
        stdin_is_input: bool,
    ) -> Result<Outputs, RunError> {
        let stdin = if stdin_is_input {
            target::stdin_inode()
        } else {
            None
        };
        let mut outputs = Outputs {
            stdout: Some(primary.format),
            files: Vec::with_capacity(specs.len()),
            warnings: Vec::new(),
        };
        for spec in specs {
            // On an error, `outputs` is dropped: the temporary files made so far go with it.
            let (format, warning) = format_of(spec, primary);
            let output = open_one(spec, format, &outputs.files, inputs, stdin)?;
            outputs.warnings.extend(warning);
            if spec.format.is_none() {
                outputs.stdout = None;
            }
            outputs.files.push(output);
        }
        let on_stdout: Vec<&Output> = outputs.files.iter().filter(|o| o.on_stdout()).collect();
        if let [first, second, ..] = on_stdout[..] {
            return Err(RunError(format!(
                "--output {} and --output {} both write to standard output, which can take one \
                 report; give one of them a file path",
                first.shown(),
                second.shown()
            )));
        }
        if let (Some(format), Some(taker)) = (outputs.stdout, on_stdout.first()) {
            if primary.given {
                return Err(RunError(format!(
                    "--output {} writes to standard output, where the --format {} report goes; \
                     give one of them a file path (--output {}=PATH), or drop --format",
                    taker.shown(),
                    format.name(),
                    format.name()
                )));
            }
            outputs.stdout = None;
        }
        Ok(outputs)
    }

    /// Whether a report is written to standard output and that is a terminal: bundles then
    /// appear there as they finish, and a progress line on standard error would break into them.
    pub fn on_terminal(&self) -> bool {
        (self.stdout.is_some() || self.files.iter().any(|o| o.on_stdout()))
            && std::io::stdout().is_terminal()
    }

    /// Starts writing the report to every destination, bundle by bundle as they finish
    /// ([`Streaming`]): each renderer writes its head now.
    pub fn start(self, head: &Head<'_>, colour: Colour) -> Result<Streaming, RunError> {
        let mut sinks = Vec::with_capacity(self.files.len() + 1);
        for output in self.files {
            let format = output.format;
            let (writer, to, coloured) = match output.dest {
                Dest::File { temp, rename_to } => {
                    let file = temp
                        .file()
                        .try_clone()
                        .map_err(|e| RunError(target::cannot_write(&output.path, &e)))?;
                    (
                        Writer::File(BufWriter::new(file)),
                        Some((temp, rename_to)),
                        false,
                    )
                }
                Dest::Stream(file) => (Writer::File(BufWriter::new(file)), None, false),
                // Standard output is coloured as the `--format` report would be there.
                Dest::Std(stream) => (
                    Writer::Std(stream),
                    None,
                    stream == StdStream::Out && colour.on(std::io::stdout().is_terminal()),
                ),
            };
            sinks.push(Sink {
                render: report::renderer(format),
                writer,
                rename: to,
                path: Some(output.path),
                coloured,
                closed: false,
            });
        }
        if let Some(format) = self.stdout {
            sinks.push(Sink {
                render: report::renderer(format),
                writer: Writer::Std(StdStream::Out),
                rename: None,
                path: None,
                coloured: colour.on(std::io::stdout().is_terminal()),
                closed: false,
            });
        }
        let mut streaming = Streaming {
            sinks,
            totals: Totals::new(),
        };
        streaming.each(|r, h, w| r.start(h, w), head)?;
        Ok(streaming)
    }
}

/// Where one renderer writes.
enum Writer {
    File(BufWriter<File>),
    Std(StdStream),
}

/// One report being written: its renderer and its destination.
struct Sink {
    render: Box<dyn Render + Send>,
    writer: Writer,
    /// A temporary file, and the path it is renamed onto when the report is whole.
    rename: Option<(TempFile, PathBuf)>,
    /// The `--output` path, for messages (`None`: the `--format` report on standard output).
    path: Option<PathBuf>,
    coloured: bool,
    /// Standard output was closed by its reader (`sfjwt check | head`): not an error, and
    /// nothing more is written there.
    closed: bool,
}

impl Sink {
    /// Its destination, for messages.
    fn shown(&self) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from("standard output"))
    }
}

/// The reports of a run being written as its bundles finish, in order, to every destination at
/// once, with the totals counted along the way. Files are temporary until [`Streaming::finish`]
/// renames them into place, every one of them whole; a run that stops before leaves none.
pub struct Streaming {
    sinks: Vec<Sink>,
    totals: Totals,
}

impl Streaming {
    /// Runs one step of every renderer on its destination.
    fn each(
        &mut self,
        mut step: impl FnMut(&mut dyn Render, &Head<'_>, &mut dyn Write) -> std::io::Result<()>,
        head: &Head<'_>,
    ) -> Result<(), RunError> {
        for sink in &mut self.sinks {
            if sink.closed {
                continue;
            }
            colored::control::set_override(sink.coloured);
            let written = match &mut sink.writer {
                Writer::File(w) => step(&mut *sink.render, head, w),
                Writer::Std(StdStream::Out) => {
                    let mut out = std::io::stdout().lock();
                    step(&mut *sink.render, head, &mut out).and_then(|()| out.flush())
                }
                Writer::Std(StdStream::Err) => {
                    let mut out = std::io::stderr().lock();
                    step(&mut *sink.render, head, &mut out).and_then(|()| out.flush())
                }
            };
            colored::control::set_override(false);
            match written {
                Err(e)
                    if e.kind() == std::io::ErrorKind::BrokenPipe
                        && matches!(sink.writer, Writer::Std(_)) =>
                {
                    sink.closed = true;
                }
                Err(e) => return Err(RunError(target::cannot_write(&sink.shown(), &e))),
                Ok(()) => {}
            }
        }
        Ok(())
    }

    /// Writes one bundle's report everywhere, and counts it in.
    pub fn bundle(&mut self, head: &Head<'_>, b: &BundleReport) -> Result<(), RunError> {
        self.totals
            .add(b)
            .map_err(|e| RunError(format!("cannot keep the report's totals: {e}")))?;
        self.each(|r, h, w| r.bundle(h, b, w), head)
    }

    /// Ends every report, then renames the files into place, each flushed and synced to disk
    /// first (a crash after the rename cannot leave an empty file under the final name). Returns
    /// the totals.
    pub fn finish(mut self, head: &Head<'_>) -> Result<Totals, RunError> {
        let mut totals = std::mem::take(&mut self.totals);
        totals.notes = totals.override_notes();
        self.each(|r, h, w| r.finish(h, &mut totals, w), head)?;
        for sink in &mut self.sinks {
            let shown = sink.shown();
            if let Writer::File(w) = &mut sink.writer {
                w.flush()
                    .map_err(|e| RunError(target::cannot_write(&shown, &e)))?;
            }
            if let Some((temp, _)) = &sink.rename {
                temp.file()
                    .sync_all()
                    .map_err(|e| RunError(target::cannot_write(&shown, &e)))?;
            }
        }
        for sink in self.sinks {
            if let Some((temp, rename_to)) = sink.rename {
                let shown = sink.path.unwrap_or_default();
                temp.rename_onto(&rename_to)
                    .map_err(|e| RunError(target::cannot_write(&shown, &e)))?;
            }
        }
        Ok(totals)
    }
}

/// The format one `--output` writes: `FORMAT=`, else `--format` when it was given, else what
/// the path's extension says ([`ReportFormat::extensions`]); an extension that says none is
/// written in `--format` (text by default), with a warning.
fn format_of(spec: &OutputSpec, primary: Primary) -> (ReportFormat, Option<String>) {
    if let Some(format) = spec.format {
        return (format, None);
    }
    if primary.given {
        return (primary.format, None);
    }
    if let Some(format) = ReportFormat::from_extension(&spec.path) {
        return (format, None);
    }
    let Some(ext) = spec.path.extension() else {
        return (primary.format, None);
    };
    let known: Vec<String> = ReportFormat::value_variants()
        .iter()
        .flat_map(|f| {
            f.extensions()
                .iter()
                .map(move |e| format!(".{e} {}", f.name()))
        })
        .collect();
    let warning = format!(
        "--output {}: the extension .{} names no report format, so the {} report is written \
         there; say which with --output FORMAT=PATH or --format, or use an extension that names \
         one ({})",
        spec.path.display(),
        ext.to_string_lossy(),
        primary.format.name(),
        known.join(", ")
    );
    (primary.format, Some(warning))
}

/// Looks at one `--output` path, refuses it when it repeats an earlier one or is an input, and
/// makes its temporary file or opens its stream.
fn open_one(
    spec: &OutputSpec,
    format: ReportFormat,
    earlier: &[Output],
    inputs: Inputs<'_>,
    stdin: Option<(u64, u64)>,
) -> Result<Output, RunError> {
    let target::Target { kind, id } = if spec.path.as_os_str() == "-" {
        target::stdout()
    } else {
        let target = target::look(&spec.path).map_err(RunError)?;
        refuse_repeats_and_inputs(&spec.path, &target.id, earlier, inputs, stdin)?;
        target
    };
    let dest = match kind {
        Kind::File {
            rename_to,
            existing,
        } => {
            if existing.is_some() {
                target::writable(&spec.path).map_err(RunError)?;
            }
            let temp = TempFile::beside(&rename_to, existing.as_ref())
                .map_err(|e| RunError(target::cannot_make_temporary(&spec.path, &e)))?;
            Dest::File { temp, rename_to }
        }
        Kind::Stream { fifo } => {
            Dest::Stream(target::open_stream(&spec.path, fifo).map_err(RunError)?)
        }
        Kind::Std(stream) => Dest::Std(stream),
    };
    Ok(Output {
        format,
        path: spec.path.clone(),
        named: spec.format.is_some(),
        id,
        dest,
    })
}

/// The same file given twice (under any spelling), and a file the run reads, are refused.
fn refuse_repeats_and_inputs(
    path: &Path,
    id: &Identity,
    earlier: &[Output],
    inputs: Inputs<'_>,
    stdin: Option<(u64, u64)>,
) -> Result<(), RunError> {
    let shown = path.display();
    if let Some(first) = earlier.iter().find(|o| o.id.same(id)) {
        return Err(RunError(if first.path == path {
            format!("{shown} is given to --output twice; give each report its own path")
        } else {
            format!(
                "--output {shown} is the same file as --output {}: one path is given to \
                 --output twice; give each report its own path",
                first.path.display()
            )
        }));
    }
    let input = if let Some(input) = inputs(path) {
        input.display().to_string()
    } else if stdin.is_some() && id.inode == stdin {
        "the file on standard input (--key -)".to_string()
    } else {
        return Ok(());
    };
    Err(RunError(format!(
        "--output {shown} is {input}, an input of this run: sfjwt never writes over its \
         inputs; give the report another path"
    )))
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
