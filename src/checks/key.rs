//! key.parse, key.strength, key.file-permissions. STUB.
use super::{Check, Docs, Group};
use crate::bundle::Bundle;
use crate::context::Context;
use crate::finding::Outcome;

const STUB_DOCS: Docs = Docs {
    passes_when: "",
    what: "",
    why: "",
    fix: "",
    references: &[],
};
fn stub(_: &Bundle, _: &Context) -> Outcome {
    Outcome::skip("not implemented")
}

pub static KEY_PARSE: Check = Check {
    id: "key.parse",
    title: "Private key reads",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static KEY_STRENGTH: Check = Check {
    id: "key.strength",
    title: "Key size",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static KEY_FILE_PERMISSIONS: Check = Check {
    id: "key.file-permissions",
    title: "Key file permissions",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
