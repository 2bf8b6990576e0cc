//! The passphrase prompt on the terminal (`/dev/tty`). Echo is turned off for the typing and
//! turned back on however the prompt ends: Enter, Ctrl-D, Ctrl-C (which exits with 130, as
//! SIGINT does), or a signal from elsewhere (SIGINT, SIGTERM, SIGHUP: [`crate::interrupt`] puts the
//! terminal back before it exits). rpassword reads and edits what is typed; this module owns the
//! terminal's settings, so that a signal can restore them. Prompts take turns (the fleet's
//! workers ask one at a time, under the lock of standard error).

/// Asks for a passphrase on the controlling terminal, without echo.
pub fn passphrase(prompt: &str) -> std::io::Result<String> {
    #[cfg(unix)]
    {
        unix::passphrase(prompt)
    }
    #[cfg(not(unix))]
    {
        rpassword::prompt_password(prompt)
    }
}

/// Puts the terminal back as it was before a prompt that is still open. Async-signal-safe: the
/// signal handler of [`crate::interrupt`] calls it.
#[cfg(unix)]
pub(crate) fn restore_in_signal_handler() {
    unix::restore_in_signal_handler();
}

#[cfg(not(unix))]
pub(crate) fn restore_in_signal_handler() {}

#[cfg(unix)]
mod unix {
    use std::fs::{File, OpenOptions};
    use std::io::{self, Write};
    use std::os::fd::AsRawFd;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The terminal, opened at the first prompt, and its settings from before it: what every
    /// prompt puts back (the prompts of a run take turns, and each leaves them as it found them).
    static TERMINAL: OnceLock<(File, libc::termios)> = OnceLock::new();

    /// A prompt has the terminal's settings changed: a signal must put them back.
    static CHANGED: AtomicBool = AtomicBool::new(false);

    pub fn passphrase(prompt: &str) -> io::Result<String> {
        crate::interrupt::install();
        let (tty, before) = terminal()?;
        let mut quiet = *before;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::ISIG);
        quiet.c_cc[libc::VMIN] = 1;
        quiet.c_cc[libc::VTIME] = 0;
        // Marked first: a signal from here on puts the settings back (to what they still are,
        // until the next line).
        CHANGED.store(true, Ordering::SeqCst);
        set(tty, &quiet)?;
        let typed = read(tty, prompt);
        // Put back first, unmarked after: a signal in between puts back the same settings.
        let _ = set(tty, before);
        CHANGED.store(false, Ordering::SeqCst);
        // Echo was off for the Enter key: end the prompt's line.
        let _ = (&*tty).write_all(b"\n");
        match typed {
            // rpassword's Ctrl-C: it raised SIGINT, which exits through the handler; when SIGINT
            // was ignored at start, nothing did, so exit the same way here.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                crate::interrupt::exit_on_signal(libc::SIGINT)
            }
            other => other,
        }
    }

    /// The terminal and its settings before any prompt, opened and read once.
    fn terminal() -> io::Result<&'static (File, libc::termios)> {
        if let Some(t) = TERMINAL.get() {
            return Ok(t);
        }
        let tty = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        let settings = get(&tty)?;
        Ok(TERMINAL.get_or_init(|| (tty, settings)))
    }

    fn read(tty: &File, prompt: &str) -> io::Result<String> {
        let mut out = tty;
        out.write_all(prompt.as_bytes())?;
        out.flush()?;
        let config = rpassword::ConfigBuilder::new()
            .input_reader(tty.try_clone()?)
            .output_discard()
            .build();
        rpassword::read_password_with_config(config)
    }

    /// Async-signal-safe: atomic loads and `tcsetattr`.
    pub fn restore_in_signal_handler() {
        if CHANGED.load(Ordering::SeqCst)
            && let Some((tty, before)) = TERMINAL.get()
        {
            let _ = set(tty, before);
        }
    }

    fn get(tty: &File) -> io::Result<libc::termios> {
        let mut settings = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: the descriptor is open for as long as `tty` lives, and tcgetattr writes a whole
        // termios into `settings` when it returns 0.
        if unsafe { libc::tcgetattr(tty.as_raw_fd(), settings.as_mut_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: initialised by the successful tcgetattr above.
        Ok(unsafe { settings.assume_init() })
    }

    fn set(tty: &File, settings: &libc::termios) -> io::Result<()> {
        // SAFETY: an open descriptor, and a termios that tcsetattr only reads.
        if unsafe { libc::tcsetattr(tty.as_raw_fd(), libc::TCSANOW, settings) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}
