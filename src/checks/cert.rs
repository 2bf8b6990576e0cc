//! cert.parse, cert.matches-key, cert.validity, cert.signature-algorithm. STUB.
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

pub static CERT_PARSE: Check = Check {
    id: "cert.parse",
    title: "Certificate reads",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static CERT_MATCHES_KEY: Check = Check {
    id: "cert.matches-key",
    title: "Certificate matches key",
    steps: &[1, 2],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static CERT_VALIDITY: Check = Check {
    id: "cert.validity",
    title: "Certificate validity",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
pub static CERT_SIGNATURE_ALGORITHM: Check = Check {
    id: "cert.signature-algorithm",
    title: "Certificate signature algorithm",
    steps: &[1],
    group: Group::Offline,
    docs: STUB_DOCS,
    run: stub,
};
