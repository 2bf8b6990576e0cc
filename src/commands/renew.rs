//! placeholder
use crate::exit::{ExitStatus, RunError};
#[derive(Debug)]
pub struct Settings {
    pub dir: Option<std::path::PathBuf>,
    pub key: Option<std::path::PathBuf>,
    pub cert: Option<std::path::PathBuf>,
    pub days: u32,
    pub out: Option<std::path::PathBuf>,
    pub at: Option<time::OffsetDateTime>,
    pub passphrase: Option<crate::bundle::Secret>,
    pub prompt: bool,
}
pub fn run(_s: &Settings) -> Result<ExitStatus, RunError> { Err(RunError("todo".into())) }
