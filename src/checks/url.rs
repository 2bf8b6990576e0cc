//! login-url.host. STUB.
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

pub static LOGIN_URL_HOST: Check = Check {
    id: "login-url.host",
    title: "Login URL host",
    steps: &[5],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
