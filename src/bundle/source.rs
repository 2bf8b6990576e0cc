//! Reading inputs with a cap, so that no file, pipe or device can make sfjwt hang or eat memory.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most sfjwt reads from any one key, certificate, token or config file, or from stdin.
/// A real key or certificate chain is a few kilobytes.
pub const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    IsDirectory,
    /// A FIFO, socket or device: reading it could block forever or never end.
    NotARegularFile,
    TooLarge {
        limit: u64,
    },
    PermissionDenied,
    /// The environment variable that was to hold it is not set: the sentence that says so.
    Unset(String),
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => write!(f, "the file does not exist"),
            ReadError::IsDirectory => write!(f, "it is a directory, not a file"),
            ReadError::NotARegularFile => {
                write!(f, "it is not a regular file (a pipe, socket or device)")
            }
            ReadError::TooLarge { limit } => {
                write!(
                    f,
                    "it is larger than {} KiB, far more than any key or certificate",
                    limit / 1024
                )
            }
            ReadError::PermissionDenied => write!(f, "permission to read it was denied"),
            ReadError::Unset(why) => write!(f, "{why}"),
            ReadError::Other(e) => write!(f, "it could not be read: {e}"),
        }
    }
}

impl ReadError {
    fn from_io(e: &io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            io::ErrorKind::IsADirectory => ReadError::IsDirectory,
            _ => ReadError::Other(e.to_string()),
        }
    }
}

/// Reads a regular file of at most [`MAX_INPUT_BYTES`].
pub fn read_file_capped(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| ReadError::from_io(&e))?;
    if meta.is_dir() {
        return Err(ReadError::IsDirectory);
    }
    if !meta.is_file() {
        return Err(ReadError::NotARegularFile);
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            limit: MAX_INPUT_BYTES,
        });
    }
    let file = File::open(path).map_err(|e| ReadError::from_io(&e))?;
    // Sized up front: a growing buffer would leave copies of a key in freed memory.
    read_capped_into(file, Vec::with_capacity(meta.len() as usize + 1))
}

/// Reads at most [`MAX_INPUT_BYTES`] from a reader; one byte more is an error, not a truncation.
pub fn read_capped(reader: impl Read) -> Result<Vec<u8>, ReadError> {
    read_capped_into(reader, Vec::new())
}

fn read_capped_into(reader: impl Read, mut buf: Vec<u8>) -> Result<Vec<u8>, ReadError> {
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ReadError::from_io(&e))?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_file_capped(dir.path()), Err(ReadError::IsDirectory));
    }

    #[test]
    fn a_missing_file_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_file_capped(&dir.path().join("nope")),
            Err(ReadError::NotFound)
        );
    }

    #[test]
    fn an_endless_reader_stops_at_the_cap() {
        let endless = std::io::repeat(b'A');
        assert_eq!(
            read_capped(endless),
            Err(ReadError::TooLarge {
                limit: MAX_INPUT_BYTES
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_not_read() {
        assert_eq!(
            read_file_capped(Path::new("/dev/zero")),
            Err(ReadError::NotARegularFile)
        );
    }
}
