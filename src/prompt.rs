//! The passphrase prompt on the terminal (`/dev/tty`). Echo is turned off for the typing and
//! turned back on however the prompt ends: Enter, Ctrl-D, Ctrl-C (which exits with 130, as
//! SIGINT does), or a signal from elsewhere (SIGINT, SIGTERM, SIGHUP: [`crate::interrupt`] puts the
//! terminal back before it exits). rpassword reads and edits what is typed; this module owns the
//! terminal's settings, so that a signal can restore them.

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

/// Puts the terminal back as it was before a prompt that is still open, for a process about to
/// exit. The guard returned keeps any other thread from changing the terminal until then.
#[cfg(unix)]
pub(crate) fn restore_for_exit() -> impl Sized {
    unix::restore_for_exit()
}

#[cfg(not(unix))]
pub(crate) fn restore_for_exit() -> impl Sized {}

#[cfg(unix)]
mod unix {
    use std::fs::{File, OpenOptions};
    use std::io::{self, Write};
    use std::os::fd::AsRawFd;
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// A terminal whose settings a prompt changed, and its settings before.
    pub struct Saved {
        tty: File,
        settings: libc::termios,
    }

    /// The terminal of the open prompt, if any. Its settings change only under this lock.
    static SAVED: Mutex<Option<Saved>> = Mutex::new(None);

    fn saved() -> MutexGuard<'static, Option<Saved>> {
        SAVED.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn passphrase(prompt: &str) -> io::Result<String> {
        crate::interrupt::install();
        let tty = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
        quiet(&tty)?;
        let typed = read(&tty, prompt);
        let mut slot = saved();
        put_back(slot.take());
        drop(slot);
        match typed {
            // rpassword's Ctrl-C: it raised SIGINT, which the signal thread may be handling;
            // exit the same way in case it is not (SIGINT was ignored when sfjwt started).
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                crate::interrupt::exit_on_signal(libc::SIGINT)
            }
            other => other,
        }
    }

    /// Saves the terminal's settings, then turns off echo, line editing and signal keys
    /// (rpassword reads key by key, and raises SIGINT itself on Ctrl-C), as rpassword does.
    fn quiet(tty: &File) -> io::Result<()> {
        let settings = get(tty)?;
        let mut quiet = settings;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL | libc::ICANON | libc::ISIG);
        quiet.c_cc[libc::VMIN] = 1;
        quiet.c_cc[libc::VTIME] = 0;
        let saved_tty = tty.try_clone()?;
        let mut slot = saved();
        set(tty, &quiet)?;
        *slot = Some(Saved {
            tty: saved_tty,
            settings,
        });
        Ok(())
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

    /// Restores a saved terminal and ends the prompt's line (echo was off for the Enter key).
    fn put_back(saved: Option<Saved>) {
        if let Some(Saved { tty, settings }) = saved {
            let _ = set(&tty, &settings);
            let _ = (&tty).write_all(b"\n");
        }
    }

    pub fn restore_for_exit() -> MutexGuard<'static, Option<Saved>> {
        let mut slot = saved();
        put_back(slot.take());
        slot
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
