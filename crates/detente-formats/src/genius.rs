//! GENIUS XML domains and profiles.
//!
//! PLACEHOLDER: implemented on the `formats-genius` branch; this file only fixes the API.

use crate::FormatError;
use detente_core::Scenario;
use std::path::Path;

/// Which reading of a GENIUS file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Semantics {
    /// GENIUS 10.4: discrete evaluations divided by the issue maximum, total clamped at 1,
    /// discount `d^t` on normalised time.
    Genius,
    /// NegMAS `Scenario.load` defaults: raw evaluations, no clamp, discount per round.
    Negmas,
}

/// Loads a GENIUS folder: one domain file and every profile beside it.
pub fn load_folder(path: &Path, _semantics: Semantics) -> Result<Scenario, FormatError> {
    Err(FormatError::UnknownFormat { path: path.into(), reason: "the GENIUS reader is not built yet".into() })
}

/// Loads a GENIUS domain file (profiles found beside it) or a profile file (its domain beside it).
pub fn load_file(path: &Path, _semantics: Semantics) -> Result<Scenario, FormatError> {
    Err(FormatError::UnknownFormat { path: path.into(), reason: "the GENIUS reader is not built yet".into() })
}

/// Writes the scenario as a GENIUS domain plus one profile per actor into `dir`; returns the
/// files written.
pub fn export(_scenario: &Scenario, _dir: &Path) -> Result<Vec<std::path::PathBuf>, FormatError> {
    Err(FormatError::Unsupported { format: "genius", reason: "not built yet".into() })
}
