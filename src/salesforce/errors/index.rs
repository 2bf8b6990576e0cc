//! The matching index: every phrase of the catalog (descriptions, error codes, aliases, pattern
//! anchors, wrappers), normalised, by its first word.

use super::*;

/// What a phrase found in the text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Description {
        entry: usize,
        form: usize,
    },
    Code {
        code: usize,
    },
    Alias {
        entry: usize,
    },
    Pattern {
        entry: usize,
        pattern: usize,
    },
    Wrapper {
        wrapper: usize,
    },
    /// A key that holds a description (`error_description`): its presence near an error code
    /// means the description is there, even if it is not a known one.
    DescriptionKey,
}

#[derive(Debug)]
pub(super) struct Needle {
    pub(super) text: Vec<u8>,
    pub(super) target: Target,
}

#[derive(Debug, Default)]
pub(super) struct Index {
    /// Needles by their first word.
    pub(super) by_first_word: HashMap<Vec<u8>, Vec<Needle>>,
    /// Error codes, and the entry each answers for when it comes alone.
    pub(super) codes: Vec<(String, Option<usize>)>,
}

/// A description or phrase as the matcher compares it: normalised, without trailing punctuation.
pub(super) fn needle_text(s: &str) -> Vec<u8> {
    let mut n = paste::normalize(s);
    while n.last().is_some_and(|c| !is_word(*c)) {
        n.pop();
    }
    while n.first().is_some_and(|c| !is_word(*c)) {
        n.remove(0);
    }
    n
}

impl Index {
    fn add(&mut self, text: Vec<u8>, target: Target) {
        let first: Vec<u8> = text.iter().copied().take_while(|&c| is_word(c)).collect();
        if first.is_empty() {
            return;
        }
        let bucket = self.by_first_word.entry(first).or_default();
        bucket.push(Needle { text, target });
        // Longest first: where two descriptions start at the same place ("ip restricted" and
        // "ip restricted or invalid login hours"), the longer one is the one found.
        bucket.sort_by_key(|n| std::cmp::Reverse(n.text.len()));
    }

    pub(super) fn build(entries: &[Entry], wrappers: &[Wrapper]) -> Self {
        let mut index = Index::default();
        let mut code_ids: HashMap<String, usize> = HashMap::new();
        for (ei, entry) in entries.iter().enumerate() {
            for (fi, form) in entry.forms.iter().enumerate() {
                let code = form.error.to_ascii_lowercase();
                if !code_ids.contains_key(&code) {
                    code_ids.insert(code.clone(), index.codes.len());
                    index.codes.push((code, None));
                }
                if let Some(d) = &form.description {
                    index.add(
                        needle_text(d),
                        Target::Description {
                            entry: ei,
                            form: fi,
                        },
                    );
                }
            }
            for alias in &entry.aliases {
                index.add(needle_text(alias), Target::Alias { entry: ei });
            }
            for (pi, pattern) in entry.patterns.iter().enumerate() {
                if let Some(anchor) = pattern.all.first() {
                    index.add(
                        needle_text(anchor),
                        Target::Pattern {
                            entry: ei,
                            pattern: pi,
                        },
                    );
                }
            }
        }
        // Which entry a code answers for alone: the one declaring it, or the only one using it.
        for (code, alone) in index.codes.iter_mut() {
            let declared = entries
                .iter()
                .position(|e| e.code_alone.as_deref() == Some(code.as_str()));
            let users: Vec<usize> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.has_code(code))
                .map(|(i, _)| i)
                .collect();
            *alone = declared.or(if users.len() == 1 {
                Some(users[0])
            } else {
                None
            });
        }
        let codes: Vec<(Vec<u8>, usize)> = index
            .codes
            .iter()
            .enumerate()
            .map(|(ci, (code, _))| (code.as_bytes().to_vec(), ci))
            .collect();
        for (text, ci) in codes {
            index.add(text, Target::Code { code: ci });
        }
        for (wi, w) in wrappers.iter().enumerate() {
            index.add(needle_text(&w.text), Target::Wrapper { wrapper: wi });
        }
        for key in ["error_description", "errordescription", "error description"] {
            index.add(key.as_bytes().to_vec(), Target::DescriptionKey);
        }
        index
    }
}
