//! A capped pull parse of one metadata file into its leaf elements: (the path of element names,
//! the text). No DTD is read and no entity expanded: a `<!DOCTYPE` is an error, and only the five
//! predefined entities and character references are resolved.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Elements nested deeper than this make the document an error.
pub const MAX_DEPTH: usize = 64;

/// The leaf elements of a document, in document order.
#[derive(Debug, Default)]
pub struct Document {
    /// Each leaf: its path of element names, its text, and the line its start tag is on.
    leaves: Vec<(Vec<String>, String, u32)>,
}

impl Document {
    /// The text of the first leaf element called `name`, at any depth.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.leaves
            .iter()
            .find(|(path, _, _)| path.last().is_some_and(|n| n == name))
            .map(|(_, text, _)| text.as_str())
    }

    /// The 1-based line of the first leaf element called `name`, at any depth.
    pub fn line_of(&self, name: &str) -> Option<u32> {
        self.leaves
            .iter()
            .find(|(path, _, _)| path.last().is_some_and(|n| n == name))
            .map(|(_, _, line)| *line)
    }

    /// The text of the first element `name` directly under `parent` (a path from the root).
    pub fn at(&self, parent: &[&str], name: &str) -> Option<&str> {
        self.leaves
            .iter()
            .find(|(path, _, _)| is_at(path, parent, name))
            .map(|(_, text, _)| text.as_str())
    }

    /// Whether any element sits under `parent` (a path from the root).
    pub fn has_under(&self, parent: &[&str]) -> bool {
        self.leaves.iter().any(|(path, _, _)| {
            path.len() > parent.len() && path.iter().zip(parent).all(|(a, b)| a == b)
        })
    }

    /// The texts of every element `name` directly under `parent`.
    pub fn all_at(&self, parent: &[&str], name: &str) -> Vec<String> {
        self.leaves
            .iter()
            .filter(|(path, _, _)| is_at(path, parent, name))
            .map(|(_, text, _)| text.clone())
            .collect()
    }
}

impl Drop for Document {
    /// A global OAuth settings file holds the consumer secret: no copy of it is left in freed
    /// memory.
    fn drop(&mut self) {
        for (_, text, _) in &mut self.leaves {
            zeroize::Zeroize::zeroize(text);
        }
    }
}

fn is_at(path: &[String], parent: &[&str], name: &str) -> bool {
    path.len() == parent.len() + 1
        && path.iter().zip(parent).all(|(a, b)| a == b)
        && path.last().is_some_and(|n| n == name)
}

fn resolve(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(code)
        }
    }
}

/// Parses `text` (already checked to be UTF-8 and within the size cap).
pub fn parse(text: &str) -> Result<Document, String> {
    let mut reader = Reader::from_str(text);
    let mut doc = Document::default();
    let mut path: Vec<String> = Vec::new();
    // The line of each open element's start tag, counted as the reader moves on.
    let mut lines: Vec<u32> = Vec::new();
    let (mut line, mut counted) = (1u32, 0usize);
    let mut buf = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                if path.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {MAX_DEPTH}"));
                }
                path.push(lossy(start.local_name().into_inner()));
                let at = (reader.buffer_position() as usize).min(text.len());
                line += text.as_bytes()[counted.min(at)..at]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u32;
                counted = at;
                lines.push(line);
                buf.clear();
            }
            Event::End(_) => {
                let start_line = lines.pop().unwrap_or(line);
                if !buf.trim().is_empty() {
                    doc.leaves
                        .push((path.clone(), buf.trim().to_owned(), start_line));
                }
                buf.clear();
                path.pop();
            }
            Event::Text(t) => buf.push_str(&lossy(&t)),
            Event::CData(t) => buf.push_str(&lossy(&t)),
            Event::GeneralRef(r) => {
                let name = lossy(&r);
                let c = resolve(&name)
                    .ok_or_else(|| format!("entity &{name}; is not expanded (no DTD is read)"))?;
                buf.push(c);
            }
            Event::DocType(_) => return Err("a DOCTYPE is not allowed (no DTD is read)".into()),
            Event::Eof => break,
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !path.is_empty() {
        return Err(format!("truncated XML: <{}> is not closed", path.join("/")));
    }
    if doc.leaves.is_empty() && !text.contains('<') {
        return Err("no XML element".into());
    }
    Ok(doc)
}

fn lossy<T: AsRef<str> + ?Sized>(text: &T) -> String {
    text.as_ref().to_owned()
}
