//! What the checks of one bundle make as they run, for the checks after them: the test
//! assertion (minted once, signed once) and the live session. Run state, not input: it lives
//! beside the checks, one per bundle, and is dropped with the bundle's findings.

use std::sync::Arc;

use crate::jwt::{MintError, Minted};
use crate::salesforce::token::Session;

/// The run state of one bundle's checks.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The test assertion, minted from the bundle's inputs on first use (see `checks::assertion`).
    pub minted: Option<Result<Arc<Minted>, MintError>>,
    /// What `token.exchange` got with `--live`: the issued token, for introspection and
    /// revocation (see `checks::token`).
    pub live: Option<Session>,
}
