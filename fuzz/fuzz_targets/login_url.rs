//! Login URL classification (`hosts::parse`), and the identity shapes judged against it:
//! username, consumer key, consumer secret.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sfjwt::salesforce::{hosts, identity};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match hosts::parse(&text) {
        Ok(url) => {
            let _ = url.origin();
            let _ = url.base_url();
            let _ = url.accepted_audiences();
            let _ = url.token_endpoint();
            let _ = url.describe();
            let _ = identity::assess_username_environment("integration@acme.com.uat", &url);
            let _ = identity::assess_username_environment(&text, &url);
        }
        Err(rejection) => {
            assert!(!rejection.message.is_empty() && !rejection.fix.is_empty());
        }
    }
    let _ = hosts::shown(&text);
    let _ = identity::assess_username(&text);
    let _ = identity::assess_consumer_key(&text);
    let _ = identity::assess_consumer_secret(&text);
    let _ = identity::shorten_key(&text);
    let _ = identity::sandbox_suffix(&text);
    // Split in two: an edit distance between arbitrary strings (used for "did you mean").
    let mid = sfjwt::salesforce::paste::floor_char_boundary(&text, text.len() / 2);
    let (a, b) = text.split_at(mid);
    if a.len() <= 256 && b.len() <= 256 {
        let _ = hosts::edit_distance(a, b);
    }
});
