//! A place to keep what a streamed report cannot write yet: in memory while it is small, in an
//! anonymous temporary file (deleted by the system when closed, even after a crash) past
//! [`IN_MEMORY`] bytes, so that a report of any number of bundles holds a bounded amount of
//! memory. Records are appended and read back in order, or at the place `push` returned.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};

/// The most bytes a spool keeps in memory.
pub const IN_MEMORY: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<io::BufWriter<File>>,
    len: u64,
}

impl Spool {
    pub fn new() -> Self {
        Spool::default()
    }

    /// Appends bytes; returns where they start.
    pub fn push(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.len;
        if self.file.is_none() && self.memory.len() + bytes.len() > IN_MEMORY {
            let mut file = io::BufWriter::new(tempfile::tempfile()?);
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(f) => f.write_all(bytes)?,
            None => self.memory.extend_from_slice(bytes),
        }
        self.len += bytes.len() as u64;
        Ok(at)
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Everything pushed, in order.
    pub fn reader(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        match &mut self.file {
            None => Ok(Box::new(&self.memory[..])),
            Some(f) => {
                f.flush()?;
                let mut file = f.get_ref().try_clone()?;
                file.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::new(file)))
            }
        }
    }

    /// Copies everything pushed to `out`.
    pub fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        io::copy(&mut self.reader()?, out)?;
        Ok(())
    }

    /// The `len` bytes pushed at `at`.
    pub fn read_at(&mut self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        match &mut self.file {
            None => Ok(self.memory[at as usize..at as usize + len].to_vec()),
            Some(f) => {
                f.flush()?;
                let mut file = f.get_ref().try_clone()?;
                file.seek(SeekFrom::Start(at))?;
                let mut buf = vec![0; len];
                file.read_exact(&mut buf)?;
                Ok(buf)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_read_back_from_memory_and_from_the_file_past_the_limit() {
        let mut s = Spool::new();
        let first = s.push(b"one\n").unwrap();
        let big = vec![b'x'; IN_MEMORY];
        s.push(&big).unwrap();
        assert!(s.file.is_some(), "spilled to a file");
        let last = s.push(b"two\n").unwrap();
        assert_eq!(s.read_at(first, 4).unwrap(), b"one\n");
        assert_eq!(s.read_at(last, 4).unwrap(), b"two\n");
        let mut all = Vec::new();
        s.copy_to(&mut all).unwrap();
        assert_eq!(all.len(), 8 + IN_MEMORY);
        assert!(all.ends_with(b"two\n"));
    }
}
