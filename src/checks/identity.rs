//! username.format, username.environment, consumer-key.format, consumer-secret.format. STUB.
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

pub static USERNAME_FORMAT: Check = Check {
    id: "username.format",
    title: "Username shape",
    steps: &[6],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static USERNAME_ENVIRONMENT: Check = Check {
    id: "username.environment",
    title: "Username fits environment",
    steps: &[5, 6],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static CONSUMER_KEY_FORMAT: Check = Check {
    id: "consumer-key.format",
    title: "Consumer key shape",
    steps: &[3],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static CONSUMER_SECRET_FORMAT: Check = Check {
    id: "consumer-secret.format",
    title: "Consumer secret shape",
    steps: &[3],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
