//! The integration tests: one binary (as ruff and ripgrep), one module per concern. Each module
//! runs the real `sfjwt` binary or calls the library; `common` and `emulator` are their helpers.
//!
//! Run one module with `cargo test --test cli MODULE::`, e.g. `cargo test --test cli decode::`.

mod common;
mod emulator;

mod check_assertion;
mod check_fixtures;
mod cli_errors;
mod cli_inputs;
mod decode;
mod decode_snapshots;
mod docs;
mod explain;
mod fleet;
mod fuzz_corpus;
mod hostile;
mod hostile_inputs;
mod ids;
mod leaks;
mod live;
mod reports;
mod secrets;
mod snapshots;
mod writes;
