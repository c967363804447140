//! One module per command. Each command loads its scenario through [`crate::load`], calls a
//! lens, and renders text or JSON. `study` is composed of [`Section`]s, one per lens.

pub(crate) mod analyze;
pub(crate) mod forecast;
pub(crate) mod negotiate;
pub(crate) mod scenario;
pub(crate) mod simulation;
pub(crate) mod study;
pub(crate) mod utility;

/// Options every command takes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// `--variant`.
    pub(crate) variant: Option<&'a str>,
    /// `--json`.
    pub(crate) json: bool,
}

/// One section of the study report: text for people, JSON for machines.
#[derive(Debug)]
pub(crate) struct Section {
    /// Stable key in the JSON report.
    pub(crate) id: &'static str,
    /// Heading.
    pub(crate) title: String,
    /// Body text (ends with a newline).
    pub(crate) text: String,
    /// The same content as JSON.
    pub(crate) json: serde_json::Value,
}
