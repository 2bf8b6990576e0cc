//! The app side as its retrieved metadata holds it: an External Client App (the
//! `ExternalClientApplication` with its `ExtlClntAppGlobalOauthSettings`,
//! `ExtlClntAppOauthSettings` and `ExtlClntAppOauthConfigurablePolicies`) or a `ConnectedApp`,
//! as `sf project retrieve` writes them (source format). Read into [`AppMetadata`], one per app;
//! not yet used by any check (issue 19). Element names and folders: `fixtures/app/README.md`.

mod xml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::bundle::source::read_file_capped;

/// At most this many directory entries are looked at when walking down a project.
pub const MAX_ENTRIES: usize = 4096;
/// At most this many directories deep below the path given.
pub const MAX_DEPTH: usize = 12;

/// Which kind of app the metadata describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    ExternalClientApp,
    ConnectedApp,
}

/// The consumer secret found in the metadata. Its `Debug` never shows it; it is zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsumerSecret(String);

impl ConsumerSecret {
    /// The secret itself, for the code that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for ConsumerSecret {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl fmt::Debug for ConsumerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConsumerSecret(<redacted>)")
    }
}

/// One app, merged from the files that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppMetadata {
    pub name: String,
    pub kind: AppKind,
    pub files: Vec<PathBuf>,
    pub consumer_key: Option<String>,
    pub certificate_pem: Option<String>,
    /// A Connected App's certificate, or an External Client App's (the docs: "When provided, it
    /// enables the JWT Bearer flow"), means the flow is on; `None` when no file says.
    pub jwt_bearer_enabled: Option<bool>,
    /// As the metadata spells them (`Api`, `RefreshToken`, ...).
    pub scopes: Vec<String>,
    pub admin_approved: Option<bool>,
    pub profiles: Vec<String>,
    pub permission_sets: Vec<String>,
    pub ip_relaxation: Option<String>,
    pub introspect_all_tokens: Option<bool>,
    pub consumer_secret: Option<ConsumerSecret>,
}

impl AppMetadata {
    fn new(name: &str, kind: AppKind) -> Self {
        AppMetadata {
            name: name.to_owned(),
            kind,
            files: Vec::new(),
            consumer_key: None,
            certificate_pem: None,
            jwt_bearer_enabled: None,
            scopes: Vec::new(),
            admin_approved: None,
            profiles: Vec::new(),
            permission_sets: Vec::new(),
            ip_relaxation: None,
            introspect_all_tokens: None,
            consumer_secret: None,
        }
    }
}

/// Why the metadata could not be read: the file and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppMetadataError {
    pub path: PathBuf,
    pub problem: String,
}

impl fmt::Display for AppMetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.problem)
    }
}

impl std::error::Error for AppMetadataError {}

fn error(path: &Path, problem: impl Into<String>) -> AppMetadataError {
    AppMetadataError {
        path: path.to_owned(),
        problem: problem.into(),
    }
}

/// The file kinds sfjwt reads, by the suffix of their source-format name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Eca,
    GlobalOauth,
    Oauth,
    OauthPolicy,
    ConnectedApp,
}

const SUFFIXES: &[(&str, FileKind)] = &[
    (".eca-meta.xml", FileKind::Eca),
    (".ecaGlblOauth-meta.xml", FileKind::GlobalOauth),
    (".ecaOauth-meta.xml", FileKind::Oauth),
    (".ecaOauthPlcy-meta.xml", FileKind::OauthPolicy),
    (".connectedApp-meta.xml", FileKind::ConnectedApp),
];

fn file_kind(path: &Path) -> Option<(FileKind, String)> {
    let name = path.file_name()?.to_str()?;
    SUFFIXES.iter().find_map(|(suffix, kind)| {
        name.strip_suffix(suffix)
            .filter(|stem| !stem.is_empty())
            .map(|stem| (*kind, stem.to_owned()))
    })
}

/// Reads the apps under `path` (a directory, walked down) or in `path` (one file), sorted by name.
pub fn read(path: &Path) -> Result<Vec<AppMetadata>, AppMetadataError> {
    let files = if path.is_dir() {
        let mut found = Vec::new();
        let mut seen = 0;
        walk(path, 0, &mut seen, &mut found)?;
        found.sort();
        found
    } else {
        vec![path.to_owned()]
    };
    let mut apps: BTreeMap<String, AppMetadata> = BTreeMap::new();
    for file in &files {
        let Some((kind, stem)) = file_kind(file) else {
            if !path.is_dir() {
                return Err(error(file, "not an app metadata file (no known suffix)"));
            }
            continue;
        };
        let doc = xml::parse(&read_capped(file)?).map_err(|problem| error(file, problem))?;
        merge(&mut apps, kind, &stem, file, &doc);
    }
    Ok(apps.into_values().collect())
}

fn read_capped(file: &Path) -> Result<String, AppMetadataError> {
    let bytes = read_file_capped(file).map_err(|e| error(file, format!("{e:?}")))?;
    String::from_utf8(bytes).map_err(|_| error(file, "not UTF-8 text"))
}

fn walk(
    dir: &Path,
    depth: usize,
    seen: &mut usize,
    found: &mut Vec<PathBuf>,
) -> Result<(), AppMetadataError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| error(dir, e.to_string()))?;
    for entry in entries {
        let entry = entry.map_err(|e| error(dir, e.to_string()))?;
        *seen += 1;
        if *seen > MAX_ENTRIES {
            return Err(error(dir, format!("more than {MAX_ENTRIES} entries")));
        }
        // file_type does not follow symbolic links: neither loops nor files outside the tree.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, depth + 1, seen, found)?;
        } else if kind.is_file() && file_kind(&path).is_some() {
            found.push(path);
        }
    }
    Ok(())
}

fn split_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn merge(
    apps: &mut BTreeMap<String, AppMetadata>,
    kind: FileKind,
    stem: &str,
    file: &Path,
    doc: &xml::Document,
) {
    let app_kind = match kind {
        FileKind::ConnectedApp => AppKind::ConnectedApp,
        _ => AppKind::ExternalClientApp,
    };
    // The ECA's parts name their app; the .eca file and a Connected App are named by the file.
    let name = doc
        .first("externalClientApplication")
        .unwrap_or(stem)
        .to_owned();
    let app = apps
        .entry(name.clone())
        .or_insert_with(|| AppMetadata::new(&name, app_kind));
    app.files.push(file.to_owned());
    match kind {
        FileKind::Eca => {}
        FileKind::GlobalOauth => read_global(app, doc),
        FileKind::Oauth => {
            if let Some(scopes) = doc.first("commaSeparatedOauthScopes") {
                app.scopes.extend(split_list(scopes));
            }
        }
        FileKind::OauthPolicy => read_policy(app, doc),
        FileKind::ConnectedApp => read_connected_app(app, doc),
    }
}

fn flag(doc: &xml::Document, name: &str) -> Option<bool> {
    doc.first(name)
        .map(|v| v.trim().eq_ignore_ascii_case("true"))
}

fn read_global(app: &mut AppMetadata, doc: &xml::Document) {
    app.consumer_key = doc.first("consumerKey").map(str::to_owned);
    app.certificate_pem = doc.first("certificate").map(str::to_owned);
    app.jwt_bearer_enabled = Some(app.certificate_pem.is_some());
    app.introspect_all_tokens = flag(doc, "isIntrospectAllTokens");
    app.consumer_secret = doc
        .first("consumerSecret")
        .map(|s| ConsumerSecret(s.to_owned()));
}

fn read_policy(app: &mut AppMetadata, doc: &xml::Document) {
    app.admin_approved = doc
        .first("permittedUsersPolicyType")
        .map(|v| v == "AdminApprovedPreAuthorized");
    if let Some(list) = doc.first("commaSeparatedProfile") {
        app.profiles.extend(split_list(list));
    }
    if let Some(list) = doc.first("commaSeparatedPermissionSet") {
        app.permission_sets.extend(split_list(list));
    }
    app.ip_relaxation = doc.first("ipRelaxationPolicyType").map(str::to_owned);
}

fn read_connected_app(app: &mut AppMetadata, doc: &xml::Document) {
    let oauth = ["ConnectedApp", "oauthConfig"];
    app.consumer_key = doc.at(&oauth, "consumerKey").map(str::to_owned);
    app.certificate_pem = doc.at(&oauth, "certificate").map(str::to_owned);
    app.jwt_bearer_enabled = Some(app.certificate_pem.is_some());
    app.scopes = doc.all_at(&oauth, "scopes");
    app.introspect_all_tokens = doc
        .at(&oauth, "isIntrospectAllTokens")
        .map(|v| v.trim() == "true");
    app.consumer_secret = doc
        .at(&oauth, "consumerSecret")
        .map(|s| ConsumerSecret(s.to_owned()));
    let policy = ["ConnectedApp", "oauthPolicy"];
    app.ip_relaxation = doc.at(&policy, "ipRelaxation").map(str::to_owned);
    app.admin_approved = doc
        .at(&oauth, "isAdminApproved")
        .or_else(|| doc.at(&policy, "isAdminApproved"))
        .map(|v| v.trim() == "true");
    app.profiles = doc.all_at(&["ConnectedApp"], "profileName");
    app.permission_sets = doc.all_at(&["ConnectedApp"], "permissionSetName");
}

#[cfg(test)]
mod tests;
