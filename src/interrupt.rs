//! What SIGINT, SIGTERM and SIGHUP do to a `sfjwt check` run that has something to clean up: the
//! temporary report files not yet renamed into place are removed, the terminal is put back as it
//! was before a passphrase prompt changed it, and the process exits with 128 + the signal's
//! number (130, 143, 129). The handlers are installed only by a run that writes a temporary file
//! or prompts ([`install`]); other runs keep the default actions.
//!
//! A signal that was ignored when sfjwt started (`nohup`, or a script's background job ignoring
//! SIGINT) stays ignored.
//!
//! Signals come through signal-hook's iterator: the handler only writes to a pipe, and a thread of
//! this module reads it and does the cleaning, outside any signal handler, so it may take locks
//! and call into the standard library.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

/// Temporary files that exist and are not yet renamed into place (see `outputs`).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The list of temporary files to remove on a signal. Whoever creates, renames or removes one
/// holds this lock while doing it, so a signal never sees a file that is half made or gone.
pub fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Installs the handlers, once per process. Without a way to install them (no thread can be
/// started), signals keep their default actions, and only the drop guards clean up.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        unix::install();
    });
}

/// Removes the pending temporary files, restores the terminal, and exits with 128 + `signal`.
/// Both locks are held until the process ends: no other thread makes a new temporary file or
/// changes the terminal in between, and no second caller exits at the same time.
#[cfg_attr(not(unix), allow(dead_code))]
pub fn exit_on_signal(signal: i32) -> ! {
    let pending = pending();
    for path in pending.iter() {
        let _ = std::fs::remove_file(path);
    }
    let _terminal = crate::prompt::restore_for_exit();
    std::process::exit(128 + signal)
}

#[cfg(unix)]
mod unix {
    use libc::c_int;
    use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    /// Registers the signals that are not ignored on a thread of their own, and returns when
    /// they are registered (or could not be).
    pub fn install() {
        let caught: Vec<c_int> = [SIGINT, SIGTERM, SIGHUP]
            .into_iter()
            .filter(|&s| !ignored(s))
            .collect();
        if caught.is_empty() {
            return;
        }
        let (registered, wait) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("sfjwt-signals".into())
            .spawn(move || {
                let signals = Signals::new(&caught);
                let _ = registered.send(());
                if let Ok(mut signals) = signals
                    && let Some(signal) = signals.forever().next()
                {
                    super::exit_on_signal(signal);
                }
            });
        if thread.is_ok() {
            let _ = wait.recv();
        }
    }

    /// Whether `signal` is ignored (SIG_IGN), as `nohup` leaves SIGHUP.
    fn ignored(signal: c_int) -> bool {
        let mut current = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
        // SAFETY: with a null new action, sigaction only writes the current one into `current`,
        // which is valid for writes of a whole `sigaction`.
        let read = unsafe { libc::sigaction(signal, std::ptr::null(), current.as_mut_ptr()) };
        // SAFETY: zeroed is a valid `sigaction` (plain integers and pointers), and sigaction
        // filled it in when it returned 0.
        read == 0 && unsafe { current.assume_init() }.sa_sigaction == libc::SIG_IGN
    }
}
