//! The app side of a bundle: the retrieved External Client App or Connected App metadata that
//! `--app-metadata` (or `app_metadata` in sfjwt.toml) names, read once and chosen for the bundle
//! (by `--app`, as the only app there, or by the bundle's consumer key).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{Origin, Setting};
use crate::redact::Redactor;
use crate::salesforce::app_metadata::{self, AppMetadata, AppMetadataError, Chosen, NotChosen};

/// What the metadata at one path read as.
type Read = Arc<Result<Vec<AppMetadata>, AppMetadataError>>;

/// The last path read and what it read as: a fleet given one `--app-metadata` reads it once, and
/// memory does not grow with the fleet (bundles whose sfjwt.toml names their own each read theirs).
static LAST: Mutex<Option<(PathBuf, Read)>> = Mutex::new(None);

/// Reads the metadata at `path`, or takes what the last read of that path gave.
fn read_once(path: &Path) -> Read {
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((p, read)) = last.as_ref()
        && p == path
    {
        return Arc::clone(read);
    }
    let read = Arc::new(app_metadata::read(path));
    *last = Some((path.to_path_buf(), Arc::clone(&read)));
    read
}

/// The metadata given to a bundle, and the app chosen from it or why none could be.
#[derive(Debug, Clone)]
pub struct AppInput {
    /// The path read: a directory walked down, or one file.
    pub path: PathBuf,
    /// Where the path was given.
    pub origin: Origin,
    pub state: Result<Chosen, AppProblem>,
}

/// Why the bundle has no app to judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppProblem {
    /// A file could not be read or parsed.
    Read(AppMetadataError),
    /// The files read, but no app could be chosen.
    NotChosen(NotChosen),
}

impl AppInput {
    /// The app chosen, when there is one.
    pub fn chosen(&self) -> Option<&Chosen> {
        self.state.as_ref().ok()
    }
}

/// Reads the metadata at `given` and chooses the bundle's app. Every consumer secret read (the
/// chosen app's and the others') goes to `secrets`, so no report can show one.
pub fn load(
    given: &Setting,
    path: PathBuf,
    name: Option<&Setting>,
    consumer_key: Option<&Setting>,
    secrets: &mut Redactor,
) -> AppInput {
    let read = read_once(&path);
    let state = match read.as_ref() {
        Err(e) => Err(AppProblem::Read(e.clone())),
        Ok(apps) => {
            let apps = apps.clone();
            for secret in apps.iter().filter_map(|a| a.consumer_secret.as_ref()) {
                secrets.add(secret.expose(), super::inputs::CONSUMER_SECRET.label);
            }
            app_metadata::choose(
                apps,
                name.map(|n| n.value.as_str()),
                consumer_key.map(|k| k.value.as_str()),
            )
            .map_err(AppProblem::NotChosen)
        }
    };
    AppInput {
        path,
        origin: given.origin.clone(),
        state,
    }
}

impl fmt::Display for AppProblem {
    /// What is wrong, as a sentence that starts with the file or the names concerned.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppProblem::Read(e) => write!(f, "{} did not read: {}", e.path.display(), e.problem),
            AppProblem::NotChosen(NotChosen::NoApp) => write!(
                f,
                "no External Client App or Connected App metadata was found (sfjwt looks for {})",
                app_metadata::looked_for()
            ),
            AppProblem::NotChosen(NotChosen::NoSuchName { name, names }) => write!(
                f,
                "no app named {} was found; the apps there are {}",
                crate::text::display_safe(name),
                names.join(", ")
            ),
            AppProblem::NotChosen(NotChosen::Ambiguous { names, by_key }) => {
                write!(f, "{} apps were found ({})", names.len(), names.join(", "))?;
                match by_key {
                    None => write!(f, " and the bundle has no consumer key to choose by"),
                    Some(0) => write!(f, " and none has the bundle's consumer key"),
                    Some(n) => write!(f, " and {n} of them have the bundle's consumer key"),
                }
            }
        }
    }
}
