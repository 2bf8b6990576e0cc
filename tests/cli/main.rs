//! The integration tests: one binary (as ruff and ripgrep), one module per concern. Each module
//! runs the real `sfjwt` binary or calls the library; `common` and `emulator` are their helpers.
//!
//! Run one module with `cargo test --test cli MODULE::`, e.g. `cargo test --test cli decode::`.

mod common;
mod emulator;

mod app;
mod check_assertion;
mod check_fixtures;
mod check_outputs;
mod cli_errors;
mod cli_inputs;
mod convert;
mod custom_domain;
mod decode;
mod decode_snapshots;
mod docs;
mod encrypted_keys;
mod env_file;
mod explain;
mod fleet;
mod fuzz_corpus;
mod hostile;
mod hostile_inputs;
mod ids;
mod keystores;
mod leaks;
mod live;
mod live_app;
mod live_probe;
mod live_tls;
mod man;
mod mint;
mod new;
mod openssl_enc;
mod policy;
mod renderers;
mod renew;
mod reports;
mod required;
mod rotation;
mod sarif_schema;
mod secrets;
mod snapshots;
mod sources;
mod writes;

/// The tests stay one binary: a file `tests/NAME.rs` or a directory `tests/NAME/main.rs` would
/// be a second one, linked and run on its own (add a module here instead).
#[test]
fn the_integration_tests_are_one_binary() {
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut others = Vec::new();
    for entry in std::fs::read_dir(&tests).expect("tests/ exists") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let binary = if path.is_dir() {
            path.join("main.rs").is_file()
        } else {
            name.ends_with(".rs")
        };
        if binary && name != "cli" {
            others.push(name);
        }
    }
    assert!(
        others.is_empty(),
        "more integration-test binaries than tests/cli: {others:?}"
    );
}
