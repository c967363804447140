//! The scenarios a server offers: the built-in reference scenario, the scenario files of the
//! folder it was started with (by name only: a request never names a path), and uploads kept
//! in memory.

use crate::ApiError;
use detente_core::Scenario;
use detente_formats::FormatError;
use serde::Serialize;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use utoipa::ToSchema;

/// The name of the built-in scenario.
pub const BUILTIN: &str = "builtin";

/// Why a catalog could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The served path cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The built-in scenario does not load (a build defect).
    #[error("the built-in scenario: {0}")]
    Builtin(FormatError),
}

/// Where a scenario comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The reference scenario built into detente.
    Builtin,
    /// A file (or GENIUS/GeniusWeb folder) in the folder the server was started with.
    Folder,
    /// Uploaded to this server.
    Upload,
}

/// One scenario on offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Entry {
    /// The name to ask for it by.
    pub name: String,
    /// Where it comes from.
    pub origin: Origin,
    /// Its title, when it loads.
    pub title: Option<String>,
    /// Why it does not load (a file in the served folder may be invalid; it is listed, not
    /// hidden).
    pub error: Option<String>,
}

/// An uploaded scenario.
#[derive(Debug)]
struct Upload {
    name: String,
    scenario: Arc<Scenario>,
}

/// The scenarios of one server.
#[derive(Debug)]
pub struct Catalog {
    builtin: Arc<Scenario>,
    /// The served folder and the names in it, sorted.
    folder: Option<(PathBuf, Vec<String>)>,
    uploads: Mutex<(u64, VecDeque<Upload>)>,
    keep: usize,
}

impl Catalog {
    /// A catalog of the built-in scenario and, with `served`, a scenario file (offered by its
    /// name) or every scenario in a folder: `.toml`, `.json` and `.csv` (KTAB) files and
    /// GENIUS/GeniusWeb subfolders. `keep` uploads are kept.
    pub fn new(served: Option<&Path>, keep: usize) -> Result<Catalog, CatalogError> {
        let builtin = Arc::new(detente_formats::reference::scenario().map_err(CatalogError::Builtin)?);
        let folder = match served {
            None => None,
            Some(p) if p.is_dir() => {
                let io = |source| CatalogError::Io { path: p.to_path_buf(), source };
                let mut names = Vec::new();
                for entry in std::fs::read_dir(p).map_err(io)? {
                    let entry = entry.map_err(io)?;
                    let path = entry.path();
                    let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
                    if name.starts_with('.') {
                        continue;
                    }
                    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                    if path.is_dir() || (path.is_file() && ["toml", "json", "csv"].contains(&ext)) {
                        names.push(name);
                    }
                }
                names.sort();
                Some((p.to_path_buf(), names))
            }
            Some(p) => {
                let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
                let name = p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .ok_or_else(|| CatalogError::Io { path: p.to_path_buf(), source: std::io::Error::other("not a file name") })?;
                std::fs::metadata(p).map_err(|source| CatalogError::Io { path: p.to_path_buf(), source })?;
                Some((parent.to_path_buf(), vec![name.to_string()]))
            }
        };
        Ok(Catalog { builtin, folder, uploads: Mutex::new((0, VecDeque::new())), keep: keep.max(1) })
    }

    /// The name of the scenario to show first: the served file, else the built-in one.
    pub fn first(&self) -> String {
        match &self.folder {
            Some((_, names)) if names.len() == 1 => names[0].clone(),
            _ => BUILTIN.to_string(),
        }
    }

    /// Every scenario on offer, each loaded to show its title or why it does not load.
    pub fn list(&self) -> Vec<Entry> {
        let mut out =
            vec![Entry { name: BUILTIN.into(), origin: Origin::Builtin, title: Some(self.builtin.meta.title.clone()), error: None }];
        if let Some((dir, names)) = &self.folder {
            for name in names {
                let (title, error) = match load_file(&dir.join(name)) {
                    Ok(s) => (Some(s.meta.title.clone()), None),
                    Err(e) => (None, Some(e.to_string())),
                };
                out.push(Entry { name: name.clone(), origin: Origin::Folder, title, error });
            }
        }
        let uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        for u in &uploads.1 {
            out.push(Entry { name: u.name.clone(), origin: Origin::Upload, title: Some(u.scenario.meta.title.clone()), error: None });
        }
        out
    }

    /// The scenario called `name`: the built-in one, a name listed in the served folder, or an
    /// upload. Any other name (a path included) is not found.
    pub fn load(&self, name: &str) -> Result<Arc<Scenario>, ApiError> {
        if name == BUILTIN {
            return Ok(self.builtin.clone());
        }
        if let Some((dir, names)) = &self.folder {
            if names.iter().any(|n| n == name) {
                return load_file(&dir.join(name)).map(Arc::new).map_err(|e| ApiError::from_format(name, &e));
            }
        }
        let uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        uploads
            .1
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.scenario.clone())
            .ok_or_else(|| ApiError::NotFound(format!("no scenario `{name}` here")))
    }

    /// Reads an uploaded scenario (`file` names it: its extension says the format, `.toml` or
    /// `.json`) and keeps it under a new name, dropping the oldest upload beyond the limit.
    pub fn upload(&self, file: &str, text: &str) -> Result<String, ApiError> {
        let stem: String = Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("scenario")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '_' })
            .take(60)
            .collect();
        let scenario = if stem.ends_with(".json") {
            detente_formats::native::from_json_str(text, &stem)
        } else if stem.ends_with(".toml") {
            detente_formats::native::from_toml_str(text, &stem)
        } else {
            return Err(ApiError::BadRequest(format!("`{file}`: upload a .toml or .json scenario file")));
        }
        .map_err(|e| ApiError::from_format(&stem, &e))?;
        let mut uploads = self.uploads.lock().unwrap_or_else(|e| e.into_inner());
        uploads.0 += 1;
        let name = format!("upload-{}-{stem}", uploads.0);
        uploads.1.push_back(Upload { name: name.clone(), scenario: Arc::new(scenario) });
        while uploads.1.len() > self.keep {
            uploads.1.pop_front();
        }
        Ok(name)
    }
}

fn load_file(path: &Path) -> Result<Scenario, FormatError> {
    detente_formats::load_path(path)
}
