//! Checking many bundles in one run: which directories are bundles, and running them on every
//! core with the results in a stable order.
//!
//! **The directory-of-bundles rule.** A directory given on the command line is a *bundle* when it
//! holds any of `sfjwt.toml`, `server.key`, `server.pass.key` or `server.crt`. Otherwise it is a
//! *directory of bundles* when any of its immediate subdirectories is a bundle by the same test:
//! those subdirectories are checked, sorted by name (byte order), in place of the directory;
//! subdirectories that are not bundles, and hidden ones (`.git`), are passed over. Only one level
//! is looked at, never deeper. A directory that is neither is an error (exit 2): it is most likely
//! a wrong path, and checking it would only report missing inputs.
//!
//! Bundles are checked in parallel, one worker per core, each taking the next bundle from a
//! shared counter. A worker keeps nothing of a bundle but its findings: the file bytes, the
//! decoded key and certificate are dropped as soon as its checks ran. Results are put back in the
//! order the bundles were given, so the report is the same whatever the timing.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::bundle::gather::{self, Inputs};
use crate::checks;
use crate::context::Context;
use crate::exit::RunError;
use crate::report::BundleReport;

/// The files whose presence makes a directory a bundle.
pub const BUNDLE_FILES: &[&str] = &[
    gather::CONFIG_FILE,
    gather::DEFAULT_KEY_FILE,
    gather::ENCRYPTED_KEY_FILE,
    gather::DEFAULT_CERT_FILE,
];

/// From this many bundles on, a run on a terminal shows its progress on standard error.
pub const PROGRESS_MIN_BUNDLES: usize = 20;

/// True when `dir` directly holds one of the [`BUNDLE_FILES`] (of any kind: a broken one is
/// still the bundle's, and its check says what is wrong).
pub fn is_bundle(dir: &Path) -> bool {
    BUNDLE_FILES
        .iter()
        .any(|f| std::fs::symlink_metadata(dir.join(f)).is_ok())
}

/// Expands the directories given on the command line into the bundles to check, in order.
pub fn expand(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, RunError> {
    Ok(expand_compact(dirs)?.iter().flatten().collect())
}

/// The bundles of a run, in the order they are checked: their paths in one buffer, so that a
/// fleet of 100,000 bundles keeps about 2 MiB for its list rather than 6 (a `PathBuf` each), or
/// one bundle made of flags alone.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Bundles {
    bytes: Vec<u8>,
    /// Where each path ends in `bytes`.
    ends: Vec<u32>,
    /// No directory: the flags and the environment are the one bundle.
    flags_only: bool,
}

impl Bundles {
    /// The one bundle of flags alone.
    pub fn flags_only() -> Self {
        Bundles {
            flags_only: true,
            ..Bundles::default()
        }
    }

    pub fn push(&mut self, path: &Path) -> Result<(), RunError> {
        self.bytes
            .extend_from_slice(path.as_os_str().as_encoded_bytes());
        let end = u32::try_from(self.bytes.len())
            .map_err(|_| RunError("the bundles' paths add up to more than 4 GiB".into()))?;
        self.ends.push(end);
        Ok(())
    }

    pub fn len(&self) -> usize {
        if self.flags_only { 1 } else { self.ends.len() }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bundle `i`: its directory, or `Some(None)` for the bundle of flags alone.
    pub fn get(&self, i: usize) -> Option<Option<PathBuf>> {
        if self.flags_only {
            return (i == 0).then_some(None);
        }
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        // SAFETY: the bytes are exactly those of one path that `as_encoded_bytes` gave on this
        // platform in this process (`push`), which is what `from_encoded_bytes_unchecked` asks.
        let os = unsafe { std::ffi::OsStr::from_encoded_bytes_unchecked(&self.bytes[start..end]) };
        Some(Some(PathBuf::from(os)))
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<PathBuf>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl FromIterator<PathBuf> for Bundles {
    fn from_iter<I: IntoIterator<Item = PathBuf>>(paths: I) -> Self {
        let mut out = Bundles::default();
        for p in paths {
            out.push(&p).expect("test lists are small");
        }
        out
    }
}

/// [`expand`], into the compact list a run checks.
pub fn expand_compact(dirs: &[PathBuf]) -> Result<Bundles, RunError> {
    let mut out = Bundles::default();
    for dir in dirs {
        refuse_non_directory(dir)?;
        if is_bundle(dir) {
            out.push(dir)?;
            continue;
        }
        let before = out.len();
        bundles_into(dir, &mut out)?;
        if out.len() == before {
            return Err(holds_no_bundle(dir));
        }
    }
    out.shrink_to_fit();
    Ok(out)
}

/// Appends the bundle directories of a directory of bundles to `out`, sorted by name: the
/// names are listed once, sorted by index, and only then joined to the directory.
fn bundles_into(dir: &Path, out: &mut Bundles) -> Result<(), RunError> {
    let listing =
        |e: std::io::Error| RunError(format!("cannot list the directory {}: {e}", dir.display()));
    let mut names = Bundles::default();
    for entry in std::fs::read_dir(dir).map_err(listing)? {
        let name = entry.map_err(listing)?.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = dir.join(&name);
        if path.is_dir() && is_bundle(&path) {
            names.push(Path::new(&name))?;
        }
    }
    let name_of = |i: usize| {
        let end = names.ends[i] as usize;
        let start = if i == 0 {
            0
        } else {
            names.ends[i - 1] as usize
        };
        &names.bytes[start..end]
    };
    let mut order: Vec<u32> = (0..names.ends.len() as u32).collect();
    order.sort_by(|&a, &b| name_of(a as usize).cmp(name_of(b as usize)));
    for i in order {
        let Some(Some(name)) = names.get(i as usize) else {
            continue;
        };
        out.push(&dir.join(name))?;
    }
    Ok(())
}

fn refuse_non_directory(dir: &Path) -> Result<(), RunError> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(RunError(format!(
            "{} is a file, not a bundle directory; give the directory that holds \
             server.key, server.crt and sfjwt.toml, or the file with --key or --cert",
            dir.display()
        ))),
        Err(_) => Err(RunError(format!(
            "bundle directory {} does not exist",
            dir.display()
        ))),
    }
}

fn holds_no_bundle(dir: &Path) -> RunError {
    RunError(format!(
        "{} holds no bundle: neither sfjwt.toml, server.key nor server.crt, and no \
         subdirectory that holds them; give a bundle directory or a directory of bundles",
        dir.display()
    ))
}

/// Environment lookups for `sfjwt.toml`'s `*_env` settings, shareable between workers.
pub type SharedEnv<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);
/// A passphrase prompt, shareable between workers (they take turns at it).
pub type SharedPrompt<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// What one run checks, and how.
pub struct Run<'a> {
    pub inputs: &'a Inputs,
    pub ctx: &'a Context,
    pub env: SharedEnv<'a>,
    pub prompt: Option<SharedPrompt<'a>>,
    /// Draw a progress line on standard error (only when it is a terminal).
    pub progress: bool,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// How a bundle is named in reports.
pub fn bundle_name(dir: Option<&Path>) -> String {
    match dir {
        Some(d) => d.display().to_string(),
        None => "command line".to_string(),
    }
}

/// Gathers and checks one bundle, keeping only its findings.
fn check_one(
    dir: Option<&Path>,
    run: &Run<'_>,
    prompt: Option<gather::PassphrasePrompt<'_>>,
) -> BundleReport {
    let name = bundle_name(dir);
    let mut bundle = gather::gather(&name, dir, run.inputs, run.env, prompt);
    let mut scratch = checks::Scratch::default();
    let mut findings = checks::run_all(&bundle, run.ctx, &mut scratch);
    // The one redaction step of a bundle's report: everything it printed, scrubbed of every
    // secret the bundle held, the credentials the run made for it included.
    let secrets = checks::run_secrets(&mut bundle, run.ctx, &scratch);
    let overridden = std::mem::take(&mut bundle.overridden);
    drop(scratch);
    drop(bundle);
    for f in &mut findings {
        f.sanitize(&secrets);
    }
    let mut name = name;
    secrets.sanitize(&mut name);
    // Messages are made with format!, whose buffers may be up to twice their length; a report of
    // thousands of bundles keeps every one of them.
    findings.shrink_to_fit();
    for f in &mut findings {
        f.message.shrink_to_fit();
        if let Some(fix) = &mut f.fix {
            fix.shrink_to_fit();
        }
    }
    let mut report = BundleReport::new(name, findings);
    report.overridden = overridden;
    report
}

/// Checks every bundle and returns their reports in the order given (tests and small runs).
pub fn check_all(dirs: &Bundles, run: &Run<'_>) -> Vec<BundleReport> {
    let mut out = Vec::with_capacity(dirs.len());
    let _ = check_each(dirs, run, &mut |b| {
        out.push(b);
        Ok(())
    });
    out
}

/// How many bundles past the next one to hand on the workers may check ahead, per worker:
/// what a slow bundle holds back waits in memory, and no more than this.
const AHEAD_PER_WORKER: usize = 8;

/// Checks every bundle, in parallel when there are several, and hands each report to `emit` in
/// the order given, as soon as it and every one before it are done: a fleet's report is written
/// as it goes and never held whole. A broken bundle is reported as such: it never stops the
/// others. An error from `emit` (a report that cannot be written) stops the run.
pub fn check_each(
    dirs: &Bundles,
    run: &Run<'_>,
    emit: &mut dyn FnMut(BundleReport) -> Result<(), RunError>,
) -> Result<(), RunError> {
    // One bundle needs no worker count (asking for it reads the cgroup's CPU quota files).
    let workers = match (run.jobs, dirs.len()) {
        (_, 0 | 1) => 1,
        (0, _) => std::thread::available_parallelism().map_or(1, |n| n.get()),
        (n, _) => n,
    }
    .min(dirs.len())
    .max(1);
    // Prompts and the progress line share standard error: one at a time.
    let stderr_lock = Mutex::new(());
    let show_progress = run.progress && dirs.len() >= PROGRESS_MIN_BUNDLES;
    let prompt_fn = |what: &str| -> Option<String> {
        let ask = run.prompt?;
        let _turn = stderr_lock.lock().unwrap_or_else(|e| e.into_inner());
        if show_progress {
            clear_progress_line();
        }
        ask(what)
    };
    // Made in each thread from the (shareable) closure above.
    let prompt = || -> Option<gather::PassphrasePrompt<'_>> { run.prompt.map(|_| &prompt_fn as _) };

    if workers == 1 && !show_progress {
        for d in dirs.iter() {
            emit(check_one(d.as_deref(), run, prompt()))?;
        }
        return Ok(());
    }
    let pool = Pool {
        dirs,
        run,
        workers,
        stderr_lock: &stderr_lock,
        show_progress,
    };
    pool.run(&prompt, emit)
}

/// The workers of a parallel run and what they share.
struct Pool<'a, 'r> {
    dirs: &'a Bundles,
    run: &'a Run<'r>,
    workers: usize,
    stderr_lock: &'a Mutex<()>,
    show_progress: bool,
}

/// The workers' shared place in the list: the next bundle to take, how many are done, and how
/// many were handed on (a worker waits while it is too far ahead of that).
struct Queue {
    next: AtomicUsize,
    done: AtomicUsize,
    emitted: Mutex<usize>,
    moved: Condvar,
    /// The run stopped (a report could not be written): take no more bundles.
    stop: AtomicBool,
}

impl Queue {
    fn new() -> Self {
        Queue {
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            emitted: Mutex::new(0),
            moved: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }
}

impl Pool<'_, '_> {
    fn run<'p>(
        &self,
        prompt: &(dyn Fn() -> Option<gather::PassphrasePrompt<'p>> + Sync),
        emit: &mut dyn FnMut(BundleReport) -> Result<(), RunError>,
    ) -> Result<(), RunError> {
        let ahead = self.workers * AHEAD_PER_WORKER;
        let queue = Queue::new();
        let finished = AtomicBool::new(false);
        let (send, receive) = std::sync::mpsc::sync_channel::<(usize, BundleReport)>(ahead);
        let mut result = Ok(());
        std::thread::scope(|scope| {
            let progress = self.show_progress.then(|| {
                scope.spawn(|| {
                    draw_progress(&queue.done, self.dirs.len(), &finished, self.stderr_lock)
                })
            });
            let handles: Vec<_> = (0..self.workers)
                .map(|_| {
                    let send = send.clone();
                    scope.spawn(|| self.work(&queue, ahead, prompt, send))
                })
                .collect();
            drop(send);
            result = in_order(&receive, &queue, emit);
            if result.is_err() {
                queue.stop.store(true, Ordering::Relaxed);
                queue.moved.notify_all();
                // Drain, so that no worker blocks on a full channel.
                while receive.recv().is_ok() {}
            }
            for handle in handles {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            finished.store(true, Ordering::Relaxed);
            if let Some(p) = progress {
                p.thread().unpark();
                let _ = p.join();
            }
        });
        result
    }

    /// One worker: takes the next bundle until there is none, never more than `ahead` past the
    /// next one to hand on; sends each report with its place.
    fn work<'p>(
        &self,
        queue: &Queue,
        ahead: usize,
        prompt: &(dyn Fn() -> Option<gather::PassphrasePrompt<'p>> + Sync),
        send: std::sync::mpsc::SyncSender<(usize, BundleReport)>,
    ) {
        loop {
            if queue.stop.load(Ordering::Relaxed) {
                break;
            }
            let i = queue.next.fetch_add(1, Ordering::Relaxed);
            let Some(dir) = self.dirs.get(i) else { break };
            let dir = dir.as_deref();
            {
                let mut emitted = queue.emitted.lock().unwrap_or_else(|e| e.into_inner());
                while i >= *emitted + ahead && !queue.stop.load(Ordering::Relaxed) {
                    emitted = queue.moved.wait(emitted).unwrap_or_else(|e| e.into_inner());
                }
            }
            let report = check_one(dir, self.run, prompt());
            queue.done.fetch_add(1, Ordering::Relaxed);
            if send.send((i, report)).is_err() {
                break;
            }
        }
    }
}

/// Hands the reports on in the order given, whatever order the workers finish them in: a
/// report that comes early waits (at most `ahead` of them) for the ones before it.
fn in_order(
    receive: &std::sync::mpsc::Receiver<(usize, BundleReport)>,
    queue: &Queue,
    emit: &mut dyn FnMut(BundleReport) -> Result<(), RunError>,
) -> Result<(), RunError> {
    let mut waiting: std::collections::BTreeMap<usize, BundleReport> = Default::default();
    let mut next = 0;
    while let Ok((i, report)) = receive.recv() {
        waiting.insert(i, report);
        while let Some(report) = waiting.remove(&next) {
            emit(report)?;
            next += 1;
            *queue.emitted.lock().unwrap_or_else(|e| e.into_inner()) = next;
            queue.moved.notify_all();
        }
    }
    Ok(())
}

/// Shows `checking bundles: N/M` on standard error until the run is finished, then clears it.
fn draw_progress(done: &AtomicUsize, total: usize, finished: &AtomicBool, lock: &Mutex<()>) {
    let mut first = true;
    loop {
        {
            let _turn = lock.lock().unwrap_or_else(|e| e.into_inner());
            let mut err = std::io::stderr().lock();
            // Drawn at least once, so a quick run still shows that it ran.
            if finished.load(Ordering::Relaxed) && !first {
                let _ = write!(err, "\r{:width$}\r", "", width = progress_width(total));
                let _ = err.flush();
                return;
            }
            let n = done.load(Ordering::Relaxed);
            let _ = write!(err, "\rsfjwt: checking bundles: {n}/{total}");
            let _ = err.flush();
            first = false;
        }
        std::thread::park_timeout(Duration::from_millis(100));
    }
}

fn progress_width(total: usize) -> usize {
    let digits = total.to_string().len();
    "sfjwt: checking bundles: /".len() + 2 * digits
}

fn clear_progress_line() {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "\r{:60}\r", "");
    let _ = err.flush();
}

/// Whether a progress line may be drawn: standard error is a terminal.
pub fn progress_wanted() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle_dir(parent: &Path, name: &str, file: &str) -> PathBuf {
        let d = parent.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(file), "").unwrap();
        d
    }

    #[test]
    fn a_directory_with_bundle_files_is_a_bundle_even_with_bundle_subdirectories() {
        let t = tempfile::tempdir().unwrap();
        let top = bundle_dir(t.path(), "top", "sfjwt.toml");
        bundle_dir(&top, "inner", "server.key");
        assert_eq!(expand(std::slice::from_ref(&top)).unwrap(), vec![top]);
    }

    #[test]
    fn a_directory_of_bundles_expands_to_its_bundles_sorted_by_name() {
        let t = tempfile::tempdir().unwrap();
        let fleet = t.path().join("fleet");
        for (name, file) in [
            ("b", "server.crt"),
            ("a", "sfjwt.toml"),
            ("c", "server.pass.key"),
        ] {
            bundle_dir(&fleet, name, file);
        }
        bundle_dir(&fleet, ".hidden", "sfjwt.toml");
        std::fs::create_dir_all(fleet.join("not-a-bundle/deeper")).unwrap();
        std::fs::write(fleet.join("deeper-file"), "").unwrap();
        bundle_dir(&fleet.join("not-a-bundle"), "deeper", "sfjwt.toml");
        let got = expand(std::slice::from_ref(&fleet)).unwrap();
        assert_eq!(got, vec![fleet.join("a"), fleet.join("b"), fleet.join("c")]);
    }

    /// The bundles' names, in report order, each with its config.parse status.
    fn run_with_jobs(dirs: &[Option<PathBuf>], jobs: usize) -> Vec<(String, String)> {
        let dirs: Bundles = dirs.iter().flatten().cloned().collect();
        let inputs = Inputs::default();
        let ctx = Context::new(time::macros::datetime!(2026-11-29 13:00 UTC));
        let no_env = |_: &str| None;
        let run = Run {
            inputs: &inputs,
            ctx: &ctx,
            env: &no_env,
            prompt: None,
            progress: false,
            jobs,
        };
        check_all(&dirs, &run)
            .into_iter()
            .map(|b| {
                let config = b
                    .checks
                    .iter()
                    .find(|f| f.id == "config.parse")
                    .map(|f| f.status.as_str().to_string())
                    .unwrap_or_default();
                (b.name, config)
            })
            .collect()
    }

    #[test]
    fn parallel_runs_keep_the_order_given_and_report_every_bundle_broken_ones_included() {
        let t = tempfile::tempdir().unwrap();
        let mut dirs = Vec::new();
        for i in (0..40).rev() {
            let d = t.path().join(format!("b{i:02}"));
            std::fs::create_dir(&d).unwrap();
            std::fs::write(
                d.join("sfjwt.toml"),
                format!("username = \"u{i}@acme.com\"\n"),
            )
            .unwrap();
            dirs.push(Some(d));
        }
        let names: Vec<String> = dirs.iter().map(|d| bundle_name(d.as_deref())).collect();
        for jobs in [1, 3, 8] {
            let got: Vec<String> = run_with_jobs(&dirs, jobs)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            assert_eq!(got, names, "{jobs} workers");
        }
        // A broken sfjwt.toml is its bundle's config.parse finding (DESIGN.md, exit codes):
        // it stops nothing, and every bundle is reported in the order given.
        for i in [7, 30] {
            std::fs::write(
                dirs[i].as_ref().unwrap().join("sfjwt.toml"),
                "username = \n",
            )
            .unwrap();
        }
        for jobs in [1, 3, 8] {
            let got = run_with_jobs(&dirs, jobs);
            let got_names: Vec<&String> = got.iter().map(|(n, _)| n).collect();
            assert_eq!(
                got_names,
                names.iter().collect::<Vec<_>>(),
                "{jobs} workers"
            );
            for (i, (name, config)) in got.iter().enumerate() {
                let want = if i == 7 || i == 30 { "fail" } else { "pass" };
                assert_eq!(config, want, "{jobs} workers: {name}");
            }
        }
    }

    /// Reports that finish out of order are handed on in order, each as soon as every one
    /// before it is there, and the workers' window moves with them.
    #[test]
    fn reports_are_handed_on_in_order_as_soon_as_they_can_be() {
        let queue = Queue::new();
        let (send, receive) = std::sync::mpsc::sync_channel(16);
        for i in [2usize, 0, 3, 1, 5, 4] {
            send.send((i, BundleReport::new(format!("b{i}"), vec![])))
                .unwrap();
        }
        drop(send);
        let mut seen = Vec::new();
        in_order(&receive, &queue, &mut |b| {
            // What was handed on before this one is what `emitted` says.
            seen.push((b.name, *queue.emitted.lock().unwrap()));
            Ok(())
        })
        .unwrap();
        let want: Vec<(String, usize)> = (0..6).map(|i| (format!("b{i}"), i)).collect();
        assert_eq!(seen, want);
        assert_eq!(*queue.emitted.lock().unwrap(), 6);
    }

    #[test]
    fn the_compact_list_gives_back_every_path() {
        let paths = [
            PathBuf::from("a/b"),
            PathBuf::from("ü/ß x"),
            PathBuf::from("."),
        ];
        let list: Bundles = paths.iter().cloned().collect();
        assert_eq!(list.len(), 3);
        let back: Vec<PathBuf> = list.iter().flatten().collect();
        assert_eq!(back, paths);
        assert_eq!(Bundles::flags_only().iter().collect::<Vec<_>>(), vec![None]);
    }

    #[test]
    fn given_order_is_kept_and_an_empty_directory_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let z = bundle_dir(t.path(), "z", "sfjwt.toml");
        let a = bundle_dir(t.path(), "a", "sfjwt.toml");
        assert_eq!(expand(&[z.clone(), a.clone()]).unwrap(), vec![z, a]);
        let empty = t.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let err = expand(&[empty]).unwrap_err();
        assert!(err.0.contains("holds no bundle"), "{}", err.0);
    }
}
