//! Where a finding points: the file its value came from and, for a value written in
//! `sfjwt.toml`, the line. Added as evidence (`file`, `line`) to every finding that reports a
//! problem or a fact (fail, warn, info) and does not say it already, so that every report reads
//! it from one place: GitHub annotations get `file=` and `line=`, SARIF results their physical
//! location. Checks that know better (config.parse, with the line and column of a TOML error)
//! set their own.

use std::path::Path;

use serde_json::Value;

use crate::bundle::{Bundle, Origin};
use crate::finding::{Finding, Status};
use crate::salesforce::app_metadata::{self, AppKind, FileKind};

/// Adds `file` and `line` to the findings that report something, where the bundle knows them.
pub fn locate(bundle: &Bundle, findings: &mut [Finding]) {
    for f in findings
        .iter_mut()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn | Status::Info))
    {
        let origin = subject(bundle, f.id);
        if !f.evidence.contains_key("file") {
            if let Some((file, line)) = app_place(bundle, f.id) {
                f.evidence
                    .insert("file", Value::from(file.display().to_string()));
                if let Some(line) = line {
                    f.evidence.insert("line", Value::from(line));
                }
            } else if let Some(file) = origin.and_then(Origin::file) {
                f.evidence
                    .insert("file", Value::from(file.display().to_string()));
            }
        }
        if f.evidence.contains_key("line") {
            continue;
        }
        let written_in_config = origin.is_some_and(|o| {
            o.file()
                .is_some_and(|p| f.evidence.get("file").and_then(Value::as_str) == p.to_str())
        });
        if let Some(line) = origin
            .and_then(Origin::setting)
            .filter(|_| written_in_config)
            .and_then(|s| line_of(bundle, s))
        {
            f.evidence.insert("line", Value::from(line));
        }
    }
}

/// The line of `sfjwt.toml` where a setting is written.
fn line_of(bundle: &Bundle, setting: &str) -> Option<u32> {
    bundle
        .config_lines
        .iter()
        .find(|(k, _)| k == setting)
        .map(|(_, line)| *line)
}

/// Where the value a check judges came from, by the check's id prefix.
fn subject<'a>(bundle: &'a Bundle, id: &str) -> Option<&'a Origin> {
    let (prefix, _) = id.split_once('.')?;
    match prefix {
        "key" => bundle.key.origin.as_ref(),
        "cert" if id == "cert.rotation" => bundle.next_cert.as_ref()?.origin.as_ref(),
        "cert" => bundle.cert.origin.as_ref(),
        "login-url" => bundle.login_url.as_ref().map(|s| &s.origin),
        "username" => bundle.username.as_ref().map(|s| &s.origin),
        "consumer-key" => bundle.consumer_key.as_ref().map(|s| &s.origin),
        "consumer-secret" => bundle.consumer_secret.as_ref().map(|s| &s.origin),
        "app" => bundle.app.as_ref().map(|a| &a.origin),
        _ => None,
    }
}

/// The elements each `app.*` check judges, most telling first.
const APP_ELEMENTS: &[(&str, &[&str])] = &[
    ("app.consumer-key", &["consumerKey"]),
    ("app.certificate", &["certificate"]),
    ("app.jwt-flow", &["isOauthPluginEnabled", "certificate"]),
    ("app.scopes", &["commaSeparatedOauthScopes", "scopes"]),
    (
        "app.policy",
        &[
            "permittedUsersPolicyType",
            "isAdminApproved",
            "commaSeparatedProfile",
            "profileName",
        ],
    ),
    ("app.introspection", &["isIntrospectAllTokens"]),
];

/// Where an `app.*` check read its field: the element's file and line when the metadata has
/// it, else the file of the type that holds it (for an External Client App) or the app's one
/// file (a Connected App), without a line.
fn app_place<'a>(bundle: &'a Bundle, id: &str) -> Option<(&'a Path, Option<u32>)> {
    if !id.starts_with("app.") {
        return None;
    }
    let app = &bundle.app.as_ref()?.chosen()?.app;
    let elements = APP_ELEMENTS
        .iter()
        .find(|(check, _)| *check == id)
        .map_or(&[][..], |(_, e)| *e);
    let placed = elements.iter().find_map(|name| {
        app.places
            .iter()
            .find(|(element, _, _)| element == name)
            .map(|(_, file, line)| (file.as_path(), Some(*line)))
    });
    if placed.is_some() {
        return placed;
    }
    app_file(app, id).map(|f| (f, None))
}

/// The metadata file an `app.*` check read its field from: for an External Client App the
/// type that holds it, for a Connected App its one file.
fn app_file<'a>(app: &'a app_metadata::AppMetadata, id: &str) -> Option<&'a Path> {
    let wanted = match id {
        "app.scopes" => FileKind::Oauth,
        "app.policy" => FileKind::OauthPolicy,
        _ => FileKind::GlobalOauth,
    };
    let of_kind = |kind: FileKind| {
        app.files
            .iter()
            .find(|f| app_metadata::file_kind(f).is_some_and(|(k, _)| k == kind))
    };
    let file = match app.kind {
        AppKind::ConnectedApp => of_kind(FileKind::ConnectedApp),
        AppKind::ExternalClientApp => of_kind(wanted).or_else(|| of_kind(FileKind::Eca)),
    };
    file.or(app.files.first()).map(|p| p.as_path())
}
