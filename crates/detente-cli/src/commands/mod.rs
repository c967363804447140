//! One module per command. Each command loads its scenario through [`crate::load`], calls a
//! lens, and renders text or JSON; `study` prints the `detente-study` report.

pub(crate) mod analyze;
pub(crate) mod conflict;
pub(crate) mod forecast;
pub(crate) mod negotiate;
pub(crate) mod scenario;
pub(crate) mod serve;
pub(crate) mod study;
pub(crate) mod tournament;
pub(crate) mod utility;

/// Options every command takes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// `--variant`.
    pub(crate) variant: Option<&'a str>,
    /// `--json`.
    pub(crate) json: bool,
    /// `--semantics`: how GENIUS files are read and whose definitions solutions follow.
    pub(crate) semantics: Option<detente_core::Semantics>,
}
