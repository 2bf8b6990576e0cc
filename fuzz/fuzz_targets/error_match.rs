//! The error-text matcher behind `sfjwt explain`: normalisation, the catalog patterns, the
//! wrappers, and the text and JSON renderings of what matched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::explain;
use sfjwt::salesforce::errors;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = errors::match_text(&text);
    let _ = explain::matches_text(&found);
    let _ = serde_json::to_string(&explain::matches_json(&found));
    let _ = explain::subject(&text);
    if let Some((first, rest)) = text.split_once('\u{1f}') {
        let _ = errors::match_pair(Some(first), Some(rest));
    }
});
