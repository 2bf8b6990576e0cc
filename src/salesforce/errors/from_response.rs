//! Matching a token endpoint's answer (status, `Content-Type`, body) or its `error` and
//! `error_description` fields to catalog entries.

use super::from_text::finish;
use super::*;

/// The catalog entries for one answer of the token endpoint: its HTTP status, `Content-Type` and
/// body (JSON error bodies, HTML pages such as 405 "Only POST allowed" or "URL No Longer
/// Exists", a page that is not Salesforce's, 5xx, an empty 400). An answer that is no error
/// (a 200 with an access token) gives an empty list. The body is read up to
/// [`MAX_TEXT_BYTES`]; nothing in it is ever copied into the result except Salesforce's own
/// `error` and `error_description`.
pub fn match_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Vec<Match> {
    let cat = catalog();
    let body = &body[..body.len().min(MAX_TEXT_BYTES)];
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let mut found: Vec<Match> = Vec::new();
    let by_id = |id: &str, on: MatchedOn, confidence: Confidence| {
        cat.get(id).map(|e| Match::new(e, on, confidence))
    };

    let empty = trimmed.trim().is_empty();
    if (300..400).contains(&status) {
        // A redirect: whatever its body says, the token request never reached a token endpoint.
        found.extend(by_id(
            ids::LIGHTNING_HOST_REDIRECT,
            MatchedOn::HttpStatus,
            Confidence::High,
        ));
    } else if empty {
        let status_entry = match status {
            405 => Some(ids::LIGHTNING_HOST_REDIRECT),
            400 => Some(ids::TLS_TOO_OLD),
            500..=599 => Some(ids::SERVER_ERROR),
            _ => None,
        };
        if let Some(id) = status_entry {
            found.extend(by_id(id, MatchedOn::HttpStatus, Confidence::Medium));
        }
    } else if ct.contains("json") || trimmed.starts_with('{') {
        match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(obj)) => {
                let error = obj.get("error").and_then(Value::as_str);
                let description = obj.get("error_description").and_then(Value::as_str);
                if error.is_some() || description.is_some() {
                    found.extend(match_pair(error, description));
                }
            }
            Ok(_) => {}
            Err(_) => found.extend(match_text(&text)),
        }
    } else if ct.contains("html") || trimmed.starts_with('<') {
        let lower = paste::normalize(&text);
        let from_text = match_text(&text);
        let salesforce = paste::find_word(&lower, b"salesforce").is_some()
            || paste::find_word(&lower, b"force.com").is_some();
        if status == 405 || paste::contains(&lower, b"only post allowed") {
            found.extend(by_id(
                ids::LIGHTNING_HOST_REDIRECT,
                MatchedOn::Phrase,
                Confidence::High,
            ));
        } else if !from_text.is_empty() {
            found.extend(from_text);
        } else if (500..=599).contains(&status) {
            // Added below.
        } else if !salesforce {
            found.extend(by_id(
                ids::NOT_SALESFORCE_HOST,
                MatchedOn::Phrase,
                Confidence::Medium,
            ));
        } else {
            found.extend(by_id(
                ids::HTML_INSTEAD_OF_JSON,
                MatchedOn::Phrase,
                Confidence::Medium,
            ));
        }
    } else {
        found.extend(match_text(&text));
    }
    if (500..=599).contains(&status) && !found.iter().any(|m| m.entry.kind == Kind::Transient) {
        found.extend(by_id(
            ids::SERVER_ERROR,
            MatchedOn::HttpStatus,
            Confidence::Medium,
        ));
    }
    for (i, m) in found.iter_mut().enumerate() {
        m.position = i;
    }
    finish(found)
}

/// Matches the `error` and `error_description` fields of a JSON body. Unlike free text, a body
/// from the token endpoint is Salesforce's for certain: a known code with an unknown description
/// still matches its code's entry (low confidence), carrying the description received.
pub fn match_pair(error: Option<&str>, description: Option<&str>) -> Vec<Match> {
    let cat = catalog();
    let error = error.map(str::trim).filter(|e| !e.is_empty());
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = description {
        let wanted = needle_text(d);
        for entry in cat.entries() {
            for form in &entry.forms {
                let Some(known) = &form.description else {
                    continue;
                };
                if needle_text(known) != wanted {
                    continue;
                }
                let paired = error.is_some_and(|e| entry.has_code(&e.to_ascii_lowercase()));
                let mut m = Match::new(
                    entry,
                    if paired {
                        MatchedOn::ErrorAndDescription
                    } else {
                        MatchedOn::Description
                    },
                    if paired {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                );
                m.error = error
                    .map(str::to_string)
                    .or_else(|| Some(form.error.clone()));
                m.error_description = known.clone();
                return vec![m];
            }
        }
        // Not an exact description: perhaps a longer text around a known one.
        let joined = format!("{}: {d}", error.unwrap_or(""));
        let from_text = match_text(&joined);
        if !from_text.is_empty() {
            return from_text;
        }
    }
    let Some(e) = error else {
        return Vec::new();
    };
    let code = e.to_ascii_lowercase();
    let Some((_, Some(entry))) = cat.index.codes.iter().find(|(c, _)| *c == code) else {
        return Vec::new();
    };
    let mut m = Match::new(&cat.entries[*entry], MatchedOn::ErrorCode, Confidence::Low);
    m.error = Some(e.to_string());
    m.error_description = description.unwrap_or("").chars().take(500).collect();
    vec![m]
}
