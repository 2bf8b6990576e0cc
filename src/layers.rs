//! The layers of the crate, from the bottom, and the test that keeps every arrow pointing down
//! (house rules 1): a file may name (`crate::...`, or `super::...` read as the path it stands
//! for) only modules of its own layer or below.
//!
//! ```text
//! 0 leaf       exit, text, steps, finding, redact, fingerprint, words, interrupt, prompt
//! 1 knowledge  bundle::{source,pem_text,kdf,key,salted,cert,issue}, lookalike; then salesforce; then jwt
//!              (jwt -> salesforce, not back)
//! 2 inputs     bundle (mod, inputs, gather, config)
//! 3 checks     checks, context
//! 4 report     report, docs
//! 5 commands   commands (check, decode, explain, fleet, outputs)
//! 6 cli        cli (args, argv, run, generate), fuzzing
//! 7 bin        main.rs
//! ```

/// Each module path prefix and its rank; the longest prefix that matches decides. Ranks within
/// the knowledge layer order its parts: `jwt` may name `salesforce`, not the other way.
pub const LAYERS: &[(&str, u8)] = &[
    ("exit", 0),
    ("text", 0),
    ("steps", 0),
    ("finding", 0),
    ("redact", 0),
    ("fingerprint", 0),
    ("words", 0),
    ("interrupt", 0),
    ("prompt", 0),
    ("layers", 0),
    ("bundle::source", 10),
    ("bundle::pem_text", 10),
    ("bundle::kdf", 10),
    ("bundle::key", 10),
    ("bundle::salted", 10),
    ("bundle::cert", 10),
    ("bundle::issue", 10),
    ("lookalike", 10),
    ("salesforce", 12),
    ("jwt", 14),
    ("bundle", 20),
    ("checks", 30),
    ("context", 30),
    ("report", 40),
    ("docs", 40),
    ("commands", 50),
    ("cli", 60),
    ("fuzzing", 60),
];

/// The rank of a module path (`checks::key`), or `None` for a module the table does not know.
pub fn rank(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .filter(|(prefix, _)| {
            module == *prefix
                || module
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with("::"))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|&(_, r)| r)
}

/// The module paths a piece of Rust source names with `crate::`, grouped imports
/// (`crate::{a, b::c}`) included. Comments are skipped.
pub fn named_modules(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let path = path_of(item.trim());
                    if !path.is_empty() {
                        found.push(path);
                    }
                }
            } else {
                let path = path_of(rest);
                if !path.is_empty() {
                    found.push(path);
                }
            }
        }
    }
    found
}

/// The leading `a::b::c` of a path, up to the first character that cannot be in one.
fn path_of(text: &str) -> String {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end].trim_end_matches(':').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// `src/checks/key.rs` -> `checks::key`; `src/checks/mod.rs` -> `checks`.
    fn module_of(src: &Path, file: &Path) -> String {
        let rel = file.strip_prefix(src).unwrap().with_extension("");
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .filter(|p| p != "mod")
            .collect();
        parts.join("::")
    }

    /// The production part of a file: test modules (a `tests.rs` file, or what follows
    /// `#[cfg(test)]`) may reach up to build what they test.
    fn production(source: &str) -> &str {
        source.split("#[cfg(test)]").next().unwrap_or(source)
    }

    #[test]
    fn every_arrow_points_down() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        files.sort();
        let mut wrong = Vec::new();
        for file in &files {
            let module = module_of(&src, file);
            if matches!(module.as_str(), "lib" | "main") || module.ends_with("::tests") {
                continue;
            }
            let Some(own) = rank(&module) else {
                wrong.push(format!("{module}: not in layers::LAYERS"));
                continue;
            };
            let text = std::fs::read_to_string(file).unwrap();
            // `super::x` in `a::b` is `crate::a::x`.
            let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
            let absolute = if parent.is_empty() {
                "crate::".to_string()
            } else {
                format!("crate::{parent}::")
            };
            let text = production(&text).replace("super::", &absolute);
            for named in named_modules(&text) {
                match rank(&named) {
                    Some(r) if r <= own => {}
                    Some(r) => wrong.push(format!(
                        "{module} (layer {own}) names crate::{named} (layer {r})"
                    )),
                    None => wrong.push(format!("{module} names crate::{named}, not in LAYERS")),
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "arrows that point up:\n{}",
            wrong.join("\n")
        );
    }

    #[test]
    fn imports_are_read_as_written() {
        let found = named_modules(
            "use crate::jwt::{self, Decoded};\nuse crate::{decode, explain::x};\n// crate::cli\nlet a = crate::text::rfc3339(t);",
        );
        assert_eq!(found, ["jwt", "decode", "explain::x", "text::rfc3339"]);
        assert_eq!(rank("checks::key"), Some(30));
        assert_eq!(rank("bundle::key::decode"), Some(10));
        assert_eq!(rank("bundle::gather"), Some(20));
        assert_eq!(rank("jwtx"), None);
    }
}
