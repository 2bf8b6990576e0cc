//! The app side as its retrieved metadata holds it: an External Client App (the
//! `ExternalClientApplication` with its `ExtlClntAppGlobalOauthSettings`,
//! `ExtlClntAppOauthSettings` and `ExtlClntAppOauthConfigurablePolicies`) or a `ConnectedApp`,
//! as `sf project retrieve` writes them (source format, `NAME.eca-meta.xml`) or as a retrieve in
//! metadata format holds them (with `package.xml`, `NAME.eca`). Read into [`AppMetadata`], one per
//! app, and [`choose`]n for a bundle; the `app.*` checks judge it. Element names and folders:
//! `fixtures/app/README.md`.

pub mod judge;
mod xml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::bundle::source::{ReadError, read_file_capped};

/// At most this many directory entries are looked at when walking down a project (a large
/// Salesforce DX project holds some thousands of files); `node_modules` and hidden directories
/// (`.git`, `.sf`, `.sfdx`) are not entered.
pub const MAX_ENTRIES: usize = 50_000;
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
    /// OAuth is on: an External Client App's `isOauthPluginEnabled` (and `isEnabled`) in its
    /// `.ecaPlcy`, a Connected App's `oauthConfig`; `None` when no file says.
    pub oauth_enabled: Option<bool>,
    /// As the metadata spells them (`Api`, `RefreshToken`, ...).
    pub scopes: Vec<String>,
    pub admin_approved: Option<bool>,
    pub profiles: Vec<String>,
    pub permission_sets: Vec<String>,
    pub ip_relaxation: Option<String>,
    pub introspect_all_tokens: Option<bool>,
    pub consumer_secret: Option<ConsumerSecret>,
    /// The file that holds the consumer secret.
    pub secret_file: Option<PathBuf>,
    /// Where the elements of [`LOCATED`] are: the element, its file and its 1-based line, so
    /// that reports point at the line a finding is about.
    pub places: Vec<(&'static str, PathBuf, u32)>,
}

/// The elements whose place in the files is kept ([`AppMetadata::places`]).
pub const LOCATED: &[&str] = &[
    "consumerKey",
    "certificate",
    "isIntrospectAllTokens",
    "commaSeparatedOauthScopes",
    "scopes",
    "permittedUsersPolicyType",
    "isAdminApproved",
    "commaSeparatedProfile",
    "profileName",
    "isOauthPluginEnabled",
];

impl AppMetadata {
    fn new(name: &str, kind: AppKind) -> Self {
        AppMetadata {
            name: name.to_owned(),
            kind,
            files: Vec::new(),
            consumer_key: None,
            certificate_pem: None,
            jwt_bearer_enabled: None,
            oauth_enabled: None,
            scopes: Vec::new(),
            admin_approved: None,
            profiles: Vec::new(),
            permission_sets: Vec::new(),
            ip_relaxation: None,
            introspect_all_tokens: None,
            consumer_secret: None,
            secret_file: None,
            places: Vec::new(),
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

/// The file kinds sfjwt reads, by the suffix of their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Eca,
    GlobalOauth,
    Oauth,
    OauthPolicy,
    Policies,
    ConnectedApp,
}

/// Each type's suffix; in source format the file name adds `-meta.xml`.
pub const SUFFIXES: &[(&str, FileKind)] = &[
    (".eca", FileKind::Eca),
    (".ecaGlblOauth", FileKind::GlobalOauth),
    (".ecaOauth", FileKind::Oauth),
    (".ecaOauthPlcy", FileKind::OauthPolicy),
    (".ecaPlcy", FileKind::Policies),
    (".connectedApp", FileKind::ConnectedApp),
];

/// The kind of a metadata file, by its suffix, and the app's name it carries.
pub fn file_kind(path: &Path) -> Option<(FileKind, String)> {
    let name = path.file_name()?.to_str()?;
    let base = name.strip_suffix("-meta.xml").unwrap_or(name);
    SUFFIXES.iter().find_map(|(suffix, kind)| {
        base.strip_suffix(suffix)
            .filter(|stem| !stem.is_empty())
            .map(|stem| (*kind, stem.to_owned()))
    })
}

/// The metadata type of a file kind, as the Metadata API names it.
pub fn type_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Eca => "ExternalClientApplication",
        FileKind::GlobalOauth => "ExtlClntAppGlobalOauthSettings",
        FileKind::Oauth => "ExtlClntAppOauthSettings",
        FileKind::OauthPolicy => "ExtlClntAppOauthConfigurablePolicies",
        FileKind::Policies => "ExtlClntAppConfigurablePolicies",
        FileKind::ConnectedApp => "ConnectedApp",
    }
}

/// The file names sfjwt looks for, for a message: "*.eca-meta.xml, *.ecaGlblOauth-meta.xml, ...".
pub fn looked_for() -> String {
    SUFFIXES
        .iter()
        .map(|(suffix, _)| format!("*{suffix}-meta.xml"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the apps under `path` (a directory, walked down) or in `path` (one file), sorted by name.
pub fn read(path: &Path) -> Result<Vec<AppMetadata>, AppMetadataError> {
    read_capped_at(path, MAX_ENTRIES)
}

fn read_capped_at(path: &Path, max_entries: usize) -> Result<Vec<AppMetadata>, AppMetadataError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(error(path, io_problem(&e)));
    }
    let files = if path.is_dir() {
        let mut found = Vec::new();
        let mut walk = Walk {
            seen: 0,
            max_entries,
            found: &mut found,
        };
        walk.dir(path, 0)?;
        found.sort();
        found
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return Err(error(
            path,
            "a zip file: sfjwt reads the retrieved files, not the archive; unzip it first (unzip unpackaged.zip -d retrieved) and give the directory",
        ));
    } else {
        vec![path.to_owned()]
    };
    let mut apps: BTreeMap<(String, bool), AppMetadata> = BTreeMap::new();
    for file in &files {
        let Some((kind, stem)) = file_kind(file) else {
            if !path.is_dir() {
                return Err(error(file, "not an app metadata file (no known suffix)"));
            }
            continue;
        };
        let mut text = read_capped(file)?;
        let doc = xml::parse(&text).map_err(|problem| error(file, problem));
        // The text may hold the consumer secret.
        zeroize::Zeroize::zeroize(&mut text);
        let doc = doc?;
        merge(&mut apps, kind, &stem, file, &doc)?;
    }
    Ok(apps.into_values().collect())
}

fn read_capped(file: &Path) -> Result<String, AppMetadataError> {
    let bytes = read_file_capped(file).map_err(|e| match e {
        ReadError::TooLarge { limit } => error(
            file,
            format!(
                "it is larger than {} KiB, far more than any app metadata file",
                limit / 1024
            ),
        ),
        e => error(file, e.to_string()),
    })?;
    String::from_utf8(bytes).map_err(|_| error(file, "not UTF-8 text"))
}

/// A walk down a project: the entries seen so far, the cap, and the app files found.
struct Walk<'a> {
    seen: usize,
    max_entries: usize,
    found: &'a mut Vec<PathBuf>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, depth: usize) -> Result<(), AppMetadataError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let entries = std::fs::read_dir(dir).map_err(|e| error(dir, io_problem(&e)))?;
        for entry in entries {
            let entry = entry.map_err(|e| error(dir, io_problem(&e)))?;
            self.seen += 1;
            if self.seen > self.max_entries {
                return Err(error(
                    dir,
                    format!(
                        "more than {} entries under the path given: give the directory that holds the app (force-app/main/default) or its files",
                        self.max_entries
                    ),
                ));
            }
            // file_type does not follow symbolic links: neither loops nor files outside the tree.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            let name = entry.file_name();
            let skipped = name == "node_modules" || name.to_string_lossy().starts_with('.');
            if kind.is_dir() && !skipped {
                self.dir(&path, depth + 1)?;
            } else if kind.is_file() && file_kind(&path).is_some() {
                self.found.push(path);
            }
        }
        Ok(())
    }
}

/// An I/O error as the end of a sentence, without the OS error number.
fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission to read it was denied".to_owned(),
        _ => format!("it could not be read ({})", e.kind()),
    }
}

fn split_list(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Adds one file to its app (keyed by name and kind: an External Client App and a Connected App
/// may share a name). A second file of the same type for one app (two retrieves under the path
/// given) is an error: which one Salesforce holds is not known.
fn merge(
    apps: &mut BTreeMap<(String, bool), AppMetadata>,
    kind: FileKind,
    stem: &str,
    file: &Path,
    doc: &xml::Document,
) -> Result<(), AppMetadataError> {
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
        .entry((name.clone(), app_kind == AppKind::ConnectedApp))
        .or_insert_with(|| AppMetadata::new(&name, app_kind));
    if let Some(first) = app
        .files
        .iter()
        .find(|f| file_kind(f).is_some_and(|(k, _)| k == kind))
    {
        return Err(error(
            file,
            format!(
                "a second {} file for the app {name} (the first is {}): give the directory of one retrieve, or one of them",
                type_name(kind),
                first.display()
            ),
        ));
    }
    app.files.push(file.to_owned());
    for name in LOCATED {
        if let Some(line) = doc.line_of(name) {
            app.places.push((name, file.to_owned(), line));
        }
    }
    match kind {
        FileKind::Eca => {}
        FileKind::GlobalOauth => read_global(app, doc),
        FileKind::Oauth => {
            if let Some(scopes) = doc.first("commaSeparatedOauthScopes") {
                app.scopes.extend(split_list(scopes));
            }
        }
        FileKind::OauthPolicy => read_policy(app, doc),
        FileKind::Policies => {
            let all = flag(doc, "isEnabled").unwrap_or(true);
            app.oauth_enabled = Some(all && flag(doc, "isOauthPluginEnabled").unwrap_or(true));
        }
        FileKind::ConnectedApp => read_connected_app(app, doc),
    }
    if app.consumer_secret.is_some() && app.secret_file.is_none() {
        app.secret_file = Some(file.to_owned());
    }
    Ok(())
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
    app.oauth_enabled = Some(doc.has_under(&oauth));
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

/// How the app of a bundle was chosen among those read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    /// It is the only app there.
    Only,
    /// `--app NAME` or `app` in sfjwt.toml named it.
    Name,
    /// It is the one app whose consumer key is the bundle's.
    ConsumerKey,
}

/// The app a bundle's `app.*` checks judge, and the names of the others read beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub app: AppMetadata,
    pub by: ChosenBy,
    pub others: Vec<String>,
}

/// Why no app could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotChosen {
    /// No app metadata file was found.
    NoApp,
    /// The name asked for is not among those read.
    NoSuchName { name: String, names: Vec<String> },
    /// Several apps, and neither a name nor the bundle's consumer key picks one.
    Ambiguous {
        names: Vec<String>,
        by_key: Option<usize>,
    },
}

/// Chooses the app of a bundle: the one `name` gives, else the only one, else the one whose
/// consumer key is `consumer_key`.
pub fn choose(
    apps: Vec<AppMetadata>,
    name: Option<&str>,
    consumer_key: Option<&str>,
) -> Result<Chosen, NotChosen> {
    let names: Vec<String> = apps.iter().map(|a| a.name.clone()).collect();
    let pick = |index: usize, by: ChosenBy, mut apps: Vec<AppMetadata>| {
        let app = apps.swap_remove(index);
        let others = names.iter().filter(|n| **n != app.name).cloned().collect();
        Ok(Chosen { app, by, others })
    };
    if let Some(name) = name.map(str::trim) {
        let index = apps
            .iter()
            .position(|a| a.name == name)
            .or_else(|| apps.iter().position(|a| a.name.eq_ignore_ascii_case(name)));
        return match index {
            Some(i) => pick(i, ChosenBy::Name, apps),
            None => Err(NotChosen::NoSuchName {
                name: name.to_owned(),
                names,
            }),
        };
    }
    match apps.len() {
        0 => return Err(NotChosen::NoApp),
        1 => return pick(0, ChosenBy::Only, apps),
        _ => {}
    }
    let key = consumer_key.map(str::trim);
    let with_key: Vec<usize> = (0..apps.len())
        .filter(|&i| key.is_some() && apps[i].consumer_key.as_deref().map(str::trim) == key)
        .collect();
    match with_key[..] {
        [i] => pick(i, ChosenBy::ConsumerKey, apps),
        _ => Err(NotChosen::Ambiguous {
            names,
            by_key: key.map(|_| with_key.len()),
        }),
    }
}

#[cfg(test)]
mod tests;
