//! Several new files written together, whole or not at all, never over an existing file: every
//! file is first written complete to a temporary file beside its final path ([`TempFile`]),
//! and only when all of them are ready are they put in place ([`TempFile::link_as_new`], which
//! refuses a name that exists, however late it appeared). If one cannot be put in place, the
//! ones this run already placed are removed: the directory is left as it was.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::temp::TempFile;

/// One file to write.
pub struct NewFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Mode 0600 from the moment it exists (a private key); otherwise the umask's default.
    pub owner_only: bool,
}

/// Why the files were not written; nothing was left behind.
#[derive(Debug)]
pub enum NewFilesError {
    /// These paths exist already: nothing was written.
    Exist(Vec<PathBuf>),
    /// Writing one of them failed.
    Io(PathBuf, io::Error),
}

/// The paths of `files` that exist (as anything: a file, a directory, a symlink).
pub fn existing(files: &[NewFile]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| std::fs::symlink_metadata(&f.path).is_ok())
        .map(|f| f.path.clone())
        .collect()
}

/// Writes every file of `files`, or none.
pub fn write_new_files(files: &[NewFile]) -> Result<(), NewFilesError> {
    let exist = existing(files);
    if !exist.is_empty() {
        return Err(NewFilesError::Exist(exist));
    }
    let mut ready = Vec::new();
    for file in files {
        ready.push(prepare(file).map_err(|e| NewFilesError::Io(file.path.clone(), e))?);
    }
    let mut placed: Vec<&Path> = Vec::new();
    for (temp, file) in ready.into_iter().zip(files) {
        if let Err(e) = temp.link_as_new(&file.path) {
            for path in placed {
                let _ = std::fs::remove_file(path);
            }
            return Err(match e.kind() {
                io::ErrorKind::AlreadyExists => NewFilesError::Exist(vec![file.path.clone()]),
                _ => NewFilesError::Io(file.path.clone(), e),
            });
        }
        placed.push(&file.path);
    }
    Ok(())
}

fn prepare(file: &NewFile) -> io::Result<TempFile> {
    let temp = if file.owner_only {
        TempFile::owner_only_beside(&file.path)?
    } else {
        TempFile::beside(&file.path, None)?
    };
    let mut handle = temp.file();
    handle.write_all(&file.bytes)?;
    handle.flush()?;
    Ok(temp)
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

    fn file(dir: &Path, name: &str, bytes: &[u8]) -> NewFile {
        NewFile {
            path: dir.join(name),
            bytes: bytes.to_vec(),
            owner_only: name.ends_with(".key"),
        }
    }

    #[test]
    fn all_files_are_written_and_a_key_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            file(dir.path(), "a.key", b"k"),
            file(dir.path(), "a.crt", b"c"),
        ];
        write_new_files(&files).unwrap();
        assert_eq!(names(dir.path()), ["a.crt", "a.key"]);
        assert_eq!(std::fs::read(dir.path().join("a.key")).unwrap(), b"k");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("a.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn one_existing_file_stops_all_of_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b"), "old").unwrap();
        let files = [file(dir.path(), "a", b"1"), file(dir.path(), "b", b"2")];
        match write_new_files(&files) {
            Err(NewFilesError::Exist(paths)) => assert_eq!(paths, [dir.path().join("b")]),
            other => panic!("{other:?}"),
        }
        assert_eq!(names(dir.path()), ["b"]);
        assert_eq!(std::fs::read(dir.path().join("b")).unwrap(), b"old");
    }

    #[test]
    fn a_file_that_cannot_be_prepared_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // The second file's directory does not exist: preparing it fails, nothing is placed.
        let files = [
            file(dir.path(), "a", b"1"),
            file(&dir.path().join("no"), "b", b"2"),
        ];
        assert!(matches!(
            write_new_files(&files),
            Err(NewFilesError::Io(..))
        ));
        assert!(names(dir.path()).is_empty());
    }

    /// A name that appears after the check, while the files are put in place (here: the first
    /// file's own, given twice), stops the run and takes back what it already placed.
    #[test]
    fn a_name_taken_while_placing_rolls_back_the_files_placed() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            file(dir.path(), "server.key", b"key"),
            file(dir.path(), "server.crt", b"cert"),
            file(dir.path(), "server.key", b"again"),
        ];
        match write_new_files(&files) {
            Err(NewFilesError::Exist(paths)) => {
                assert_eq!(paths, vec![dir.path().join("server.key")]);
            }
            other => panic!("expected Exist, got {other:?}"),
        }
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    }
}
