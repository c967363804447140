//! GeniusWeb JSON domains and linear additive profiles.
//!
//! PLACEHOLDER: implemented on the `formats-genius` branch; this file only fixes the API.

use crate::FormatError;
use detente_core::Scenario;
use std::path::Path;

/// Whether a folder holds GeniusWeb JSON profiles.
pub fn is_geniusweb_folder(_path: &Path) -> bool {
    false
}

/// Whether JSON text is a GeniusWeb object (`{"LinearAdditiveUtilitySpace": …}` or a domain).
pub fn looks_like_geniusweb(_text: &str) -> bool {
    false
}

/// Loads a GeniusWeb folder (profiles, and the domain they share).
pub fn load_folder(path: &Path) -> Result<Scenario, FormatError> {
    Err(FormatError::UnknownFormat { path: path.into(), reason: "the GeniusWeb reader is not built yet".into() })
}

/// Loads one GeniusWeb profile file (its domain is embedded).
pub fn load_file(path: &Path) -> Result<Scenario, FormatError> {
    Err(FormatError::UnknownFormat { path: path.into(), reason: "the GeniusWeb reader is not built yet".into() })
}
