//! `--env-file PATH`: `KEY=VALUE` lines in dotenv syntax, read as environment variables for sfjwt
//! alone. The process environment is never changed, and a variable that is set in it wins over
//! the file (the dotenv convention: the file gives defaults, the real environment decides).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::gather::GatherError;
use super::source::read_file_capped;

/// The variables an env file sets, in the order it sets them; a variable set twice has its
/// last value. Values are wiped when the file is dropped: some are secrets.
#[derive(Debug, Clone)]
pub struct EnvFile {
    pub path: PathBuf,
    vars: Vec<(String, Zeroizing<String>)>,
}

impl EnvFile {
    /// An env file that sets nothing (no `--env-file`).
    pub fn none() -> Self {
        EnvFile {
            path: PathBuf::new(),
            vars: Vec::new(),
        }
    }

    /// The file's value of `name`, if it sets it (to a value that is not empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The variable as sfjwt sees it: the real environment's (when set and not empty), else
    /// the file's.
    pub fn lookup(&self, name: &str) -> Option<String> {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| self.get(name).map(str::to_string))
    }
}

/// Reads an env file (at most 1 MiB, UTF-8). A line that is not dotenv syntax stops the run,
/// naming the file and the line, never its text: it may hold a secret.
pub fn read(path: &Path) -> Result<EnvFile, GatherError> {
    let shown = path.display();
    let bytes =
        read_file_capped(path).map_err(|e| GatherError(format!("--env-file {shown}: {e}")))?;
    let text = Zeroizing::new(String::from_utf8(bytes).map_err(|e| {
        zeroize::Zeroize::zeroize(&mut e.into_bytes());
        GatherError(format!("--env-file {shown}: the file is not UTF-8 text"))
    })?);
    let mut vars = Vec::new();
    // dotenvy parses only (`from_read_iter` without `load`): nothing is set in the process.
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        match item {
            Ok((key, value)) => vars.push((key, Zeroizing::new(value))),
            Err(dotenvy::Error::LineParse(mut line, at)) => {
                let number = line_number(&text, &line, at);
                zeroize::Zeroize::zeroize(&mut line);
                return Err(GatherError(format!(
                    "--env-file {shown}:{number}: the line is not KEY=VALUE in dotenv syntax \
                     (its text is not shown: it may hold a secret); write NAME=value, quote a \
                     value with spaces or line breaks, and start comments with #"
                )));
            }
            Err(e) => return Err(GatherError(format!("--env-file {shown}: {e}"))),
        }
    }
    Ok(EnvFile {
        path: path.to_path_buf(),
        vars,
    })
}

/// The 1-based line of the file at which a logical line (one `KEY=VALUE`, which a quoted value
/// can spread over several lines) failed at byte `at`: logical lines start at a line's start.
/// dotenvy's error holds the logical line's text (or its value's), so it is found in the file,
/// not shown.
fn line_number(text: &str, logical: &str, at: usize) -> usize {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        if text[offset..].starts_with(logical) && !logical.is_empty() {
            start = Some(offset);
            break;
        }
        offset += line.len();
    }
    // Or only the value's part of it, which dotenvy's value parser reports.
    let start = start
        .or_else(|| text.find(logical).filter(|_| !logical.is_empty()))
        .unwrap_or(text.len());
    // At its end: a quote never closed, best named where it opened.
    let at = if at >= logical.trim_end().len() {
        0
    } else {
        at
    };
    let upto = (start + at).min(text.len());
    let upto = text.floor_char_boundary(upto);
    text[..upto].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<EnvFile, GatherError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn reads_dotenv_syntax() {
        let f = parsed(
            "# a comment\n\
             export SFJWT_USERNAME=integration@acme.com\n\
             SINGLE='a b # not a comment'\n\
             DOUBLE=\"line1\\nline2\"\n\
             PEM=\"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\"\n\
             \n\
             TWICE=1\nTWICE=2  # trailing comment\n\
             EMPTY=\n",
        )
        .unwrap();
        assert_eq!(f.get("SFJWT_USERNAME"), Some("integration@acme.com"));
        assert_eq!(f.get("SINGLE"), Some("a b # not a comment"));
        assert_eq!(f.get("DOUBLE"), Some("line1\nline2"));
        assert_eq!(
            f.get("PEM"),
            Some("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----")
        );
        assert_eq!(f.get("TWICE"), Some("2"));
        assert_eq!(f.get("EMPTY"), None);
        assert_eq!(f.get("MISSING"), None);
    }

    #[test]
    fn a_bad_line_is_named_by_its_number_without_its_text() {
        for (text, line) in [
            ("A=1\n# c\nS3CRET-VALUE PART\n", 3),
            ("A=1\nB=\"unterminated S3CRET\nC=3\n", 2),
            ("A=1\n\nB=x y S3CRET\n", 3),
        ] {
            let err = parsed(text).unwrap_err().0;
            assert!(err.contains(&format!(".env:{line}: ")), "{text:?}: {err}");
            assert!(!err.contains("S3CRET"), "{err}");
        }
    }

    #[test]
    fn a_file_that_is_too_large_or_not_text_is_refused() {
        let err = parsed(&"A=1\n".repeat(300_000)).unwrap_err().0;
        assert!(err.contains("larger than 1024 KiB"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bin");
        std::fs::write(&path, [0xff, 0xfe, b'=']).unwrap();
        assert!(read(&path).unwrap_err().0.contains("not UTF-8"));
    }
}
