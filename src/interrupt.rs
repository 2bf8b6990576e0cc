//! What must be cleaned up if a `sfjwt check` run is cut short: the temporary report files not
//! yet renamed into place (see `outputs`).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary files that exist and are not yet renamed into place (see `outputs`).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The list of temporary files to remove when a run is cut short. Whoever creates, renames or
/// removes one holds this lock while doing it, so the list is never out of step with the disk.
pub fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}
