//! SARIF validation: a document checked against the SARIF 2.1.0 JSON schema committed in
//! `tests/data/sarif/` (its source, checksum and licence are in the README there).
//!
//! The schema is JSON Schema draft-07 and is compiled once per test binary. Nothing is fetched:
//! the `jsonschema` crate is built without its network and file resolvers, and the SARIF schema
//! refers only to its own `#/definitions/...`. Formats (`uri`, `uri-reference`, `date-time`) are
//! checked too, not only noted: an artifact URI that is not a URI reference is an error.

use std::sync::OnceLock;

/// Where the committed schema is.
pub const SARIF_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/sarif/sarif-schema-2.1.0.json"
);

/// The language-tag pattern of SARIF 2.1.0 (`run.language`, `toolComponent.language`), which
/// is not a regular expression (an unopened `]`), and the one OASIS's Errata 01 replaced it with.
/// `jsonschema` checks every `pattern` against the draft-07 meta-schema's `"format": "regex"`
/// and refuses to compile the schema with the first, so the validator is built with the second.
/// The committed file stays as the package ships it; only its compiled copy is corrected.
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
const ERRATA_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";

/// The compiled schema, built at the first call and shared by every test after it.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(SARIF_SCHEMA)
            .unwrap_or_else(|e| panic!("reading {SARIF_SCHEMA}: {e}"));
        let broken = serde_json::to_string(BROKEN_LANGUAGE_PATTERN).unwrap();
        assert_eq!(
            text.matches(&broken).count(),
            2,
            "{SARIF_SCHEMA}: the two language patterns are not the known broken ones; \
             if the schema was replaced, drop the correction"
        );
        let text = text.replace(
            &broken,
            &serde_json::to_string(ERRATA_LANGUAGE_PATTERN).unwrap(),
        );
        let schema: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{SARIF_SCHEMA} is not JSON: {e}"));
        jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{SARIF_SCHEMA} does not compile as draft-07: {e}"))
    })
}

/// Every way `doc` breaks the SARIF 2.1.0 schema, one line each as "instance path: message"
/// (the path a JSON pointer such as `/runs/0/results/0/level`, or `(root)` for the document
/// itself); empty when `doc` is a valid SARIF log.
pub fn sarif_schema_errors(doc: &serde_json::Value) -> Vec<String> {
    validator()
        .iter_errors(doc)
        .map(|error| {
            let path = error.instance_path().as_str();
            let path = if path.is_empty() { "(root)" } else { path };
            format!("{path}: {error}")
        })
        .collect()
}
