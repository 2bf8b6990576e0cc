//! What an `--output` path names, looked at before anything is opened: a regular file (or nothing
//! yet), which is replaced whole by a rename; a stream (a FIFO, a character device such as
//! `/dev/null` or a terminal), which is written as it is; the file behind standard output or
//! standard error, which is written through that stream; or something a report cannot go to.

use std::ffi::OsString;
use std::fs::{File, Metadata, OpenOptions};
use std::path::{Path, PathBuf};

/// One of the process's own output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdStream {
    Out,
    Err,
}

/// How a report reaches an `--output` path.
#[derive(Debug)]
pub enum Kind {
    /// A regular file, or no file yet: the report goes to a temporary file beside `rename_to`
    /// (the path given, or the file its symlinks lead to), renamed onto it when complete.
    File {
        rename_to: PathBuf,
        existing: Option<Metadata>,
    },
    /// A FIFO or a character device, opened and written as it is.
    Stream { fifo: bool },
    /// The file behind standard output or error (`-o /dev/stdout >> log`): written through the
    /// stream, so that the shell's redirection (its append mode) holds.
    Std(StdStream),
}

/// Which file an `--output` names, to find the same one given twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The directory (symlinks and `..` resolved) and the name a regular file is renamed to.
    place: Option<(PathBuf, OsString)>,
    /// The device and inode of an existing file.
    pub inode: Option<(u64, u64)>,
}

impl Identity {
    pub fn same(&self, other: &Identity) -> bool {
        (self.place.is_some() && self.place == other.place)
            || (self.inode.is_some() && self.inode == other.inode)
    }
}

#[derive(Debug)]
pub struct Target {
    pub kind: Kind,
    pub id: Identity,
}

/// Looks at what `path` names. An error is the whole message for the user.
pub fn look(path: &Path) -> Result<Target, String> {
    match std::fs::metadata(path) {
        Ok(meta) => existing(path, meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => absent(path),
        Err(e) => Err(cannot_write(path, &e)),
    }
}

/// `-`: standard output itself, whatever is behind it (no identity to compare: two outputs to
/// standard output are refused as such, see `outputs::Outputs::open`).
pub fn stdout() -> Target {
    Target {
        kind: Kind::Std(StdStream::Out),
        id: Identity {
            place: None,
            inode: None,
        },
    }
}

pub fn cannot_write(path: &Path, e: &std::io::Error) -> String {
    format!("cannot write the report to {}: {e}", path.display())
}

/// Refuses to replace an existing file the user may not write (mode 0444): a rename could, but
/// the file's mode says no. Opening it for writing, without truncating, changes nothing.
pub fn writable(path: &Path) -> Result<(), String> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .map(drop)
        .map_err(|e| cannot_write(path, &e))
}

/// The message for a temporary file that cannot be made beside `path`; when the directory is
/// what refuses, it says that a report needs a writable directory.
pub fn cannot_make_temporary(path: &Path, e: &std::io::Error) -> String {
    let message = cannot_write(path, e);
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => format!(
            "{message} (a report is written whole: to a temporary file in the same directory, \
             then renamed onto the path, so the directory must be writable)"
        ),
        _ => message,
    }
}

fn existing(path: &Path, meta: Metadata) -> Result<Target, String> {
    let inode = inode(&meta);
    if let Some(stream) = std_stream_behind(inode) {
        let id = Identity { place: None, inode };
        return Ok(Target {
            kind: Kind::Std(stream),
            id,
        });
    }
    let shown = path.display();
    let file_type = meta.file_type();
    if file_type.is_file() {
        let rename_to = resolve_links(path).map_err(|e| cannot_write(path, &e))?;
        let id = Identity {
            place: place(&rename_to),
            inode,
        };
        return Ok(Target {
            kind: Kind::File {
                rename_to,
                existing: Some(meta),
            },
            id,
        });
    }
    if file_type.is_dir() {
        return Err(format!(
            "--output {shown} is a directory; give the path of a file, e.g. {}",
            path.join("report.json").display()
        ));
    }
    let id = Identity { place: None, inode };
    special(path, &meta).map(|kind| Target { kind, id })
}

/// A FIFO or a character device is a stream; a socket or a block device is refused.
#[cfg(unix)]
fn special(path: &Path, meta: &Metadata) -> Result<Kind, String> {
    use std::os::unix::fs::FileTypeExt;
    let file_type = meta.file_type();
    let shown = path.display();
    if file_type.is_fifo() || file_type.is_char_device() {
        Ok(Kind::Stream {
            fifo: file_type.is_fifo(),
        })
    } else if file_type.is_socket() {
        Err(format!(
            "--output {shown} is a socket; a report is written to a file, a FIFO (named pipe) \
             or a terminal"
        ))
    } else if file_type.is_block_device() {
        Err(format!(
            "--output {shown} is a block device (a disk or a partition); a report is written \
             to a file, a FIFO (named pipe) or a terminal"
        ))
    } else {
        Err(format!(
            "--output {shown} is neither a file nor a stream sfjwt can write a report to"
        ))
    }
}

#[cfg(not(unix))]
fn special(_path: &Path, _meta: &Metadata) -> Result<Kind, String> {
    Ok(Kind::Stream { fifo: false })
}

fn absent(path: &Path) -> Result<Target, String> {
    // A dangling symlink: the report is made where it points, as the shell's `>` would.
    let rename_to = resolve_links(path).map_err(|e| cannot_write(path, &e))?;
    let names_a_dir = path.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if names_a_dir || rename_to.file_name().is_none() {
        return Err(format!(
            "--output {} does not name a file; give the path of a file, e.g. report.json",
            path.display()
        ));
    }
    let id = Identity {
        place: place(&rename_to),
        inode: None,
    };
    Ok(Target {
        kind: Kind::File {
            rename_to,
            existing: None,
        },
        id,
    })
}

/// Follows `path` while it is a symlink (40 links at most, as the kernel does), to the path a
/// report must be renamed onto so that the link stays a link.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The directory (resolved) and name of a file to be made or replaced.
fn place(path: &Path) -> Option<(PathBuf, OsString)> {
    let name = path.file_name()?.to_os_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some((
        std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()),
        name,
    ))
}

/// The device and inode of a file, where the platform has them.
pub fn inode(meta: &Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// The device and inode of the file behind standard input (`--key -`), by fstat on a duplicate
/// of descriptor 0.
pub fn stdin_inode() -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        inode_of(std::io::stdin().as_fd())
    }
    #[cfg(not(unix))]
    None
}

#[cfg(unix)]
fn inode_of(fd: std::os::fd::BorrowedFd<'_>) -> Option<(u64, u64)> {
    let file = File::from(fd.try_clone_to_owned().ok()?);
    inode(&file.metadata().ok()?)
}

/// Which of standard output and error is this file, if either.
fn std_stream_behind(file: Option<(u64, u64)>) -> Option<StdStream> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let file = file?;
        if inode_of(std::io::stdout().as_fd()) == Some(file) {
            return Some(StdStream::Out);
        }
        if inode_of(std::io::stderr().as_fd()) == Some(file) {
            return Some(StdStream::Err);
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

/// Opens a stream without waiting: a FIFO no process reads is refused (ENXIO) instead of
/// blocking until one does; a terminal does not become sfjwt's controlling terminal. Once open,
/// writes block again, as they do on standard output.
#[cfg(unix)]
pub fn open_stream(path: &Path, fifo: bool) -> Result<File, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let opened = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path);
    let file = match opened {
        Err(e) if fifo && e.raw_os_error() == Some(libc::ENXIO) => {
            let shown = path.display();
            return Err(format!(
                "--output {shown} is a FIFO (named pipe) that no process is reading: writing \
                 the report would wait for a reader forever. Start the reader first (e.g. \
                 `cat {shown} &`), or give the path of a file"
            ));
        }
        Err(e) => return Err(cannot_write(path, &e)),
        Ok(file) => file,
    };
    blocking(&file).map_err(|e| cannot_write(path, &e))?;
    Ok(file)
}

#[cfg(not(unix))]
pub fn open_stream(path: &Path, _fifo: bool) -> Result<File, String> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| cannot_write(path, &e))
}

/// Clears O_NONBLOCK, so that a slow reader makes writes wait instead of fail.
#[cfg(unix)]
fn blocking(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl with F_GETFL takes no pointer; `fd` is open for as long as `file` lives.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: as above, with an integer argument.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_new_file_have_one_identity() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let id = |p: &str| look(&dir.path().join(p)).unwrap().id;
        assert!(id("r").same(&id("./r")));
        assert!(id("r").same(&id("sub/../r")));
        assert!(!id("r").same(&id("sub/r")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_renamed_onto_through_its_chain() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real"), "old").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("one")).unwrap();
        std::os::unix::fs::symlink("one", dir.path().join("two")).unwrap();
        std::os::unix::fs::symlink("missing", dir.path().join("dangling")).unwrap();
        let to = |p: &str| match look(&dir.path().join(p)).unwrap().kind {
            Kind::File { rename_to, .. } => rename_to,
            _ => panic!("{p} is a file"),
        };
        assert_eq!(to("two"), dir.path().join("real"));
        assert_eq!(to("dangling"), dir.path().join("missing"));
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(look(&dir.path().join("loop")).is_err());
    }
}
