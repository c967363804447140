//! The built-in reference scenario: the US-mediated Russia–Ukraine ceasefire talks of February
//! 2025 (`scenarios/ukraine-ceasefire-2025.toml`), embedded at compile time so that every front
//! end (the CLI without a file, the web app's first page) starts from the same scenario.

use crate::FormatError;
use detente_core::Scenario;

/// The scenario file's text.
pub const TOML: &str = include_str!("../../../scenarios/ukraine-ceasefire-2025.toml");

/// How the built-in scenario is named in messages and locations.
pub const NAME: &str = "<built-in>/ukraine-ceasefire-2025.toml";

/// The reference scenario, read from [`TOML`].
pub fn scenario() -> Result<Scenario, FormatError> {
    crate::native::from_toml_str(TOML, NAME)
}

/// The reference scenario's `[conflict]` part (the stability lens's model), read from [`TOML`].
pub fn conflict() -> Result<detente_conflict::Conflict, FormatError> {
    crate::conflict::from_toml_str(TOML, NAME)
}
