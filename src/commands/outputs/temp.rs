//! The temporary file a report is written to before it is renamed into place: beside its final
//! path (same directory, so the rename is atomic), created exclusively as
//! `.NAME.sfjwt-PID-N.tmp`, listed with [`crate::interrupt`] for as long as it exists so that a
//! signal removes it, and removed when dropped unless it was renamed: an error, a panic or an
//! early return leaves nothing behind.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::interrupt;

/// Numbers the temporary files of this process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// At most this many bytes of the final name go into the temporary one (names are limited to
/// 255 bytes on most file systems).
const NAME_BYTES: usize = 100;

#[derive(Debug)]
pub struct TempFile {
    path: PathBuf,
    file: Option<File>,
    renamed: bool,
    /// Its entry in the list a signal removes files from.
    tracked: interrupt::Tracked,
}

impl TempFile {
    /// Creates a temporary file beside `target`. When `existing` (the file it will replace) is
    /// given, the new file takes its permission bits, and its owner and group where the process
    /// may give them.
    pub fn beside(target: &Path, existing: Option<&Metadata>) -> io::Result<TempFile> {
        TempFile::create(target, existing, false)
    }

    /// Creates a temporary file beside `target` that only its owner may read or write (mode
    /// 0600 from the moment it exists, on Unix): for a file that holds a private key.
    pub fn owner_only_beside(target: &Path) -> io::Result<TempFile> {
        TempFile::create(target, None, true)
    }

    fn create(
        target: &Path,
        existing: Option<&Metadata>,
        owner_only: bool,
    ) -> io::Result<TempFile> {
        interrupt::install();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let mut cut = name.len().min(NAME_BYTES);
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        for attempt in 0.. {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                ".{}.sfjwt-{}-{n}.tmp",
                &name[..cut],
                std::process::id()
            ));
            // Listed before it is made: a signal in between removes a path not there yet.
            let tracked = interrupt::track(&path);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            if owner_only {
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            }
            #[cfg(not(unix))]
            let _ = owner_only;
            match options.open(&path) {
                Ok(file) => {
                    let temp = TempFile {
                        path,
                        file: Some(file),
                        renamed: false,
                        tracked,
                    };
                    if let Some(existing) = existing {
                        keep_mode(temp.file(), existing)?;
                    }
                    return Ok(temp);
                }
                // Left by an earlier process of the same id: try the next number.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    tracked.done();
                    continue;
                }
                Err(e) => {
                    tracked.done();
                    return Err(e);
                }
            }
        }
        unreachable!("the loop returns")
    }

    pub fn file(&self) -> &File {
        self.file.as_ref().expect("open until renamed")
    }

    /// Renames the (complete, flushed) file onto `target`.
    pub fn rename_onto(mut self, target: &Path) -> io::Result<()> {
        drop(self.file.take());
        // Struck off after the rename: a signal in between removes a path no longer there. On
        // an error, the drop removes the file.
        let renamed = std::fs::rename(&self.path, target);
        if renamed.is_ok() {
            self.tracked.done();
            self.renamed = true;
        }
        renamed
    }
}

impl TempFile {
    /// Puts the (complete, flushed) file in place as `target` only if no file of that name
    /// exists: a hard link to the new name (which fails with `AlreadyExists` rather than
    /// replace anything, however late the other file appeared), then the temporary name goes.
    /// Where the file system has no hard links, a rename after a last look for `target`.
    pub fn link_as_new(mut self, target: &Path) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        match std::fs::hard_link(&self.path, target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) if std::fs::symlink_metadata(target).is_ok() => {
                Err(io::Error::from(io::ErrorKind::AlreadyExists))
            }
            Err(_) => {
                let renamed = std::fs::rename(&self.path, target);
                if renamed.is_ok() {
                    self.tracked.done();
                    self.renamed = true;
                }
                renamed
            }
        }
        // On success through the link, the drop removes the temporary name.
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.renamed {
            return;
        }
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.path);
        self.tracked.done();
    }
}

#[cfg(unix)]
fn keep_mode(file: &File, existing: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, fchown};
    let mine = file.metadata()?;
    if (mine.uid(), mine.gid()) != (existing.uid(), existing.gid())
        && fchown(file, Some(existing.uid()), Some(existing.gid())).is_err()
    {
        // Only root gives a file away; a group the user is in can still be kept.
        let _ = fchown(file, None, Some(existing.gid()));
    }
    file.set_permissions(std::fs::Permissions::from_mode(existing.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode(file: &File, existing: &Metadata) -> io::Result<()> {
    file.set_permissions(existing.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_temporary_file_is_removed_when_dropped_and_kept_when_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        let temp = TempFile::beside(&target, None).unwrap();
        let name = names(dir.path()).remove(0);
        assert!(name.starts_with(".report.json.sfjwt-") && name.ends_with(".tmp"));
        assert!(interrupt::is_tracked(&dir.path().join(&name)));
        drop(temp);
        assert!(names(dir.path()).is_empty());
        assert!(!interrupt::is_tracked(&dir.path().join(&name)));

        let temp = TempFile::beside(&target, None).unwrap();
        io::Write::write_all(&mut temp.file(), b"whole").unwrap();
        temp.rename_onto(&target).unwrap();
        assert_eq!(names(dir.path()), ["report.json"]);
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
    }

    #[test]
    fn a_panic_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.xml");
        let result = std::panic::catch_unwind(|| {
            let _temp = TempFile::beside(&target, None).unwrap();
            panic!("in the middle of a run");
        });
        assert!(result.is_err());
        assert!(names(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_replacement_keeps_the_mode_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.md");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let existing = std::fs::metadata(&target).unwrap();
        let temp = TempFile::beside(&target, Some(&existing)).unwrap();
        temp.rename_onto(&target).unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o640);
    }

    #[test]
    fn a_new_file_is_put_in_place_only_where_there_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("server.p12");
        let temp = TempFile::owner_only_beside(&target).unwrap();
        io::Write::write_all(&mut temp.file(), b"new").unwrap();
        temp.link_as_new(&target).unwrap();
        assert_eq!(names(dir.path()), ["server.p12"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let temp = TempFile::owner_only_beside(&target).unwrap();
        io::Write::write_all(&mut temp.file(), b"second").unwrap();
        let e = temp.link_as_new(&target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["server.p12"]);
    }

    #[test]
    fn a_long_name_is_cut_on_a_character_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("é".repeat(120));
        let temp = TempFile::beside(&target, None).unwrap();
        let name = names(dir.path()).remove(0);
        assert!(name.len() < 160, "{name}");
        drop(temp);
    }
}
