//! What SIGINT, SIGTERM and SIGHUP do to a `sfjwt check` run that has something to clean up: the
//! temporary report files not yet renamed into place are removed, the terminal is put back as it
//! was before a passphrase prompt changed it, and the process exits with 128 + the signal's
//! number (130, 143, 129). The handlers are installed only by a run that writes a temporary file
//! or prompts ([`install`]); other runs keep the default actions.
//!
//! A signal that was ignored when sfjwt started (`nohup`, or a script's background job ignoring
//! SIGINT) stays ignored.
//!
//! The handler runs in the signal's context, so it does only what is async-signal-safe: it reads
//! atomics, calls `unlink` on paths made before the signal, `tcsetattr`, and `_exit`. No thread
//! is started for it (starting one cost a one-bundle run about a millisecond, a third of it).
//! The list of temporary files is a list that only grows, of nodes that are never freed (a
//! handful per run): a node is struck off by marking it done, so the handler never reads freed
//! memory, whichever thread it interrupts.

use std::ffi::CString;
use std::path::Path;
use std::ptr;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// One temporary file.
struct Node {
    /// Its path, for `unlink`.
    path: CString,
    /// Still to be removed by a signal: made (or about to be), not renamed nor removed yet.
    live: AtomicBool,
    next: *mut Node,
}

/// The head of the list of temporary files, newest first.
static HEAD: AtomicPtr<Node> = AtomicPtr::new(ptr::null_mut());

/// A temporary file listed for removal on a signal, until [`Tracked::done`].
#[derive(Debug)]
pub struct Tracked(&'static AtomicBool);

impl Tracked {
    /// The file was renamed into place or removed: a signal leaves it alone from now on.
    pub fn done(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Lists `path` for removal on a signal. Call it before the file is made, and
/// [`Tracked::done`] after it is renamed or removed: a signal in between removes a path that is
/// not there, which is harmless, and never leaves a file behind.
pub fn track(path: &Path) -> Tracked {
    track_in(&HEAD, path)
}

fn c_path(path: &Path) -> CString {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    CString::new(bytes).unwrap_or_default()
}

fn track_in(list: &AtomicPtr<Node>, path: &Path) -> Tracked {
    let node: &'static mut Node = Box::leak(Box::new(Node {
        path: c_path(path),
        live: AtomicBool::new(true),
        next: ptr::null_mut(),
    }));
    let mut head = list.load(Ordering::SeqCst);
    loop {
        node.next = head;
        match list.compare_exchange(head, node, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => break,
            Err(now) => head = now,
        }
    }
    Tracked(&node.live)
}

/// The nodes of a list, newest first.
fn nodes(list: &AtomicPtr<Node>) -> impl Iterator<Item = &'static Node> {
    let mut at = list.load(Ordering::SeqCst);
    std::iter::from_fn(move || {
        // SAFETY: nodes are leaked, never freed, and fully made before they are published.
        let node: &'static Node = unsafe { at.as_ref() }?;
        at = node.next;
        Some(node)
    })
}

/// Whether `path` is listed and not done (for tests).
pub fn is_tracked(path: &Path) -> bool {
    let path = c_path(path);
    nodes(&HEAD).any(|n| n.live.load(Ordering::SeqCst) && n.path == path)
}

/// Removes every listed temporary file that is not done. Async-signal-safe: an iterator over
/// atomics and `unlink`.
fn remove_pending(list: &AtomicPtr<Node>) {
    for node in nodes(list) {
        if node.live.load(Ordering::SeqCst) {
            #[cfg(unix)]
            // SAFETY: unlink only reads the NUL-terminated path, which lives forever.
            unsafe {
                libc::unlink(node.path.as_ptr());
            }
        }
    }
}

/// Installs the handlers, once per process.
pub fn install() {
    static ONCE: Once = Once::new();
    #[cfg(unix)]
    ONCE.call_once(|| {
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            if !ignored(signal) {
                // SAFETY: the action only calls async-signal-safe functions (see `on_signal`).
                let _ =
                    unsafe { signal_hook::low_level::register(signal, move || on_signal(signal)) };
            }
        }
    });
    #[cfg(not(unix))]
    ONCE.call_once(|| {});
}

/// The signal's action: clean up, then `_exit(128 + signal)`. Async-signal-safe.
#[cfg(unix)]
fn on_signal(signal: i32) {
    remove_pending(&HEAD);
    crate::prompt::restore_in_signal_handler();
    signal_hook::low_level::exit(128 + signal)
}

/// The same as a signal's action, from ordinary code: rpassword's Ctrl-C when SIGINT was
/// ignored at start, so that no handler ran.
pub fn exit_on_signal(signal: i32) -> ! {
    remove_pending(&HEAD);
    crate::prompt::restore_in_signal_handler();
    std::process::exit(128 + signal)
}

/// Whether `signal` is ignored (SIG_IGN), as `nohup` leaves SIGHUP.
#[cfg(unix)]
fn ignored(signal: libc::c_int) -> bool {
    let mut current = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: with a null new action, sigaction only writes the current one into `current`,
    // which is valid for writes of a whole `sigaction`.
    let read = unsafe { libc::sigaction(signal, ptr::null(), current.as_mut_ptr()) };
    // SAFETY: zeroed is a valid `sigaction` (plain integers and pointers), and sigaction
    // filled it in when it returned 0.
    read == 0 && unsafe { current.assume_init() }.sa_sigaction == libc::SIG_IGN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_files_are_listed_until_done_and_removed_by_the_handler_s_sweep() {
        // A list of its own: the process's list holds other tests' files.
        static LIST: AtomicPtr<Node> = AtomicPtr::new(ptr::null_mut());
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept");
        let swept = dir.path().join("swept");
        std::fs::write(&kept, "x").unwrap();
        std::fs::write(&swept, "x").unwrap();
        let a = track_in(&LIST, &kept);
        let _b = track_in(&LIST, &swept);
        assert_eq!(nodes(&LIST).count(), 2);
        a.done();
        remove_pending(&LIST);
        assert!(kept.exists(), "done files are left alone");
        assert!(!swept.exists(), "listed files are removed");
        let t = track(&kept);
        assert!(is_tracked(&kept));
        t.done();
        assert!(!is_tracked(&kept));
    }
}
