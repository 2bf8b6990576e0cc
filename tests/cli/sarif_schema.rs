//! The SARIF validator itself (`common::sarif_schema_errors`): a minimal valid SARIF 2.1.0 log
//! passes, and logs that break the schema in known ways fail, so a test that finds no error in
//! `--format sarif` output has really checked it.

use crate::common::sarif_schema_errors;
use serde_json::{Value, json};

/// `tests/data/sarif/minimal-valid.sarif`: one run, one rule, one result with a file and line
/// (the file `scripts/sarif-validate.sh` can also give Microsoft's SARIF multitool).
fn minimal_log() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif/minimal-valid.sarif"
    );
    let text = std::fs::read_to_string(path).expect("minimal-valid.sarif is committed");
    serde_json::from_str(&text).expect("minimal-valid.sarif is JSON")
}

#[test]
fn a_minimal_sarif_log_is_valid() {
    let log = minimal_log();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(sarif_schema_errors(&log), Vec::<String>::new());
}

/// One change to the minimal log that breaks the schema.
type Breakage = fn(&mut Value);

/// Each breakage alone, and the error names where it is.
#[test]
fn logs_that_break_the_schema_are_invalid() {
    let cases: [(&str, Breakage, &str); 5] = [
        (
            "a result without a message",
            |log| {
                log["runs"][0]["results"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("message");
            },
            "/runs/0/results/0",
        ),
        (
            "level fatal",
            |log| log["runs"][0]["results"][0]["level"] = json!("fatal"),
            "/runs/0/results/0/level",
        ),
        (
            "version 2.0.0",
            |log| log["version"] = json!("2.0.0"),
            "/version",
        ),
        (
            "a tool without a driver name",
            |log| {
                log["runs"][0]["tool"]["driver"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            },
            "/runs/0/tool/driver",
        ),
        (
            "a start line of 0 (lines count from 1)",
            |log| {
                log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
                    json!(0);
            },
            "/runs/0/results/0/locations/0/physicalLocation/region/startLine",
        ),
    ];
    for (what, breakage, path) in cases {
        let mut log = minimal_log();
        breakage(&mut log);
        let errors = sarif_schema_errors(&log);
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{path}: "))),
            "{what}: expected an error at {path}, got {errors:?}"
        );
    }
}
