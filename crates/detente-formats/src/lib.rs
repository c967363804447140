//! File formats at the edge of detente. Only this crate knows TOML, JSON and XML.
//!
//! - [`native`]: detente's own scenario format, TOML (`format = 1`) with a JSON twin.
//! - [`genius`]: GENIUS XML domains and profiles (import with GENIUS or NegMAS semantics, export).
//! - [`geniusweb`]: GeniusWeb JSON domains and linear additive profiles.
//! - [`ktab`]: KTAB's SMP CSV input (import).
//!
//! [`load_path`] reads any of them from a file or folder, deciding by extension and content.
#![deny(missing_docs)]

pub mod conflict;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod genius;
pub mod geniusweb;
mod input;
mod json_spans;
pub mod ktab;
pub mod native;
pub mod reference;

pub(crate) use error::{near_miss, note};
pub use error::{FormatError, Location};

/// Something a reader should be told about a file that was read: the file is valid and read as
/// meant, but not as a newer file would say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A format 1 scenario whose positions on these integer and real issues are written on the
    /// issue's 0–100 scale: they were read so and mapped into the issue's units.
    ScalePositions {
        /// The file, as shown in locations.
        file: String,
        /// The issues concerned, in issue order.
        issues: Vec<String>,
    },
    /// A GENIUS profile evaluates a discrete value twice (AMPOvsCity): the last evaluation is
    /// used, as GENIUS and NegMAS both do.
    GeniusEvaluatedTwice {
        /// Where the evaluation that is used stands (`file:line:column`).
        location: Location,
        /// The issue.
        issue: String,
        /// The value evaluated twice.
        value: String,
        /// The evaluation used (the last one), as written.
        kept: String,
        /// The evaluation passed over (the earlier one), as written.
        dropped: String,
    },
    /// NegMAS semantics: the domain's issue indices have gaps, which NegMAS fills with one-value
    /// placeholder issues; in a profile with discrete issues each adds `weight × 1` (weight 1
    /// unless a `<weight>` names its index) to every utility. detente adds the same constant.
    NegmasPlaceholderConstant {
        /// The profile file.
        file: String,
        /// The missing indices NegMAS fills.
        indices: Vec<i64>,
        /// The constant added to every utility (shortest round-trip decimal).
        constant: String,
    },
    /// NegMAS semantics: the profile has a discount factor in (0, 1), so NegMAS wraps it in
    /// `ExpDiscountedUFun`, whose reserved value is −∞: the profile's `<reservation>` (or
    /// NegMAS's default 0) is dropped. detente cannot state −∞ yet and gives no reservation.
    NegmasReservationDropped {
        /// The profile file.
        file: String,
        /// The actor read from it.
        actor: String,
        /// The reservation written in the file, as written (`None`: none written, NegMAS's
        /// default 0).
        written: Option<String>,
        /// The discount factor, as written.
        discount: String,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::ScalePositions { file, issues } => write!(
                f,
                "{file}: format 1 writes positions on integer and real issues on the issue's 0–100 scale; read so for `{}`. \
                 Format 2 writes them in the issue's own units: `detente scenario convert {file} --to toml NEW.toml` writes it so",
                issues.join("`, `")
            ),
            Notice::GeniusEvaluatedTwice { location, issue, value, kept, dropped } => write!(
                f,
                "{location}: value `{value}` of issue `{issue}` is evaluated twice; the last evaluation ({kept}) is used and \
                 the earlier one ({dropped}) ignored, as GENIUS and NegMAS do"
            ),
            Notice::NegmasPlaceholderConstant { file, indices, constant } => write!(
                f,
                "{file}: the domain has no issue with index {}; NegMAS fills each gap with a one-value placeholder issue, \
                 which adds {constant} to every utility of this profile (read so, as a constant term: NegMAS semantics)",
                indices.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            ),
            Notice::NegmasReservationDropped { file, actor, written, discount } => {
                let what = match written {
                    Some(r) => format!("its reservation {r}"),
                    None => "NegMAS's default reservation 0".to_string(),
                };
                write!(
                    f,
                    "{file}: actor `{actor}` has discount factor {discount}, so NegMAS's discounted utility function reports a \
                     reserved value of −∞ and drops {what}; read with no reservation (NegMAS semantics)"
                )
            }
        }
    }
}

use detente_core::Scenario;
use std::path::Path;

/// Reads a scenario from a path:
/// - `*.toml` — detente TOML; `*.json` — detente JSON, or a GeniusWeb profile/domain;
/// - `*.xml` — a GENIUS domain (its profiles are found beside it) or profile;
/// - `*.csv` — KTAB's SMP CSV input ([`ktab`]);
/// - a folder — a GENIUS folder (one domain XML plus profiles; checked first) or a GeniusWeb
///   folder (profile JSONs sharing one domain).
///
/// GENIUS files are read with GENIUS semantics ([`genius::Semantics::Genius`]); see
/// [`load_path_with`] for the other reading.
pub fn load_path(path: &Path) -> Result<Scenario, FormatError> {
    load_path_noting(path).map(|(s, _)| s)
}

/// How to read a file whose format has more than one reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The reading of a GENIUS domain and its profiles ([`genius::Semantics`]); `None` reads
    /// them as GENIUS does. Other formats have one reading each and are not affected: the
    /// loaded scenario's `meta.read_with` says whether this was used.
    pub semantics: Option<detente_core::Semantics>,
}

/// A scenario read with nothing to tell.
fn quiet(s: Scenario) -> (Scenario, Vec<Notice>) {
    (s, Vec::new())
}

/// [`load_path`], with what a reader should be told about the file ([`Notice`]).
pub fn load_path_noting(path: &Path) -> Result<(Scenario, Vec<Notice>), FormatError> {
    load_path_with(path, &LoadOptions::default())
}

/// [`load_path_noting`] with a choice of reading ([`LoadOptions`]).
pub fn load_path_with(path: &Path, options: &LoadOptions) -> Result<(Scenario, Vec<Notice>), FormatError> {
    let semantics = options.semantics.unwrap_or(genius::Semantics::Genius);
    let io = |source| FormatError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        if genius::is_genius_folder(path) {
            return genius::load_folder_noting(path, semantics);
        }
        if geniusweb::is_geniusweb_folder(path) {
            return geniusweb::load_folder(path).map(quiet);
        }
        // A file the probes could not read may be the domain or a profile: say so rather than
        // call the folder "neither" (a folder never skips a file it failed to read).
        if let Some(e) = FormatError::from_many(unreadable_entries(path, &["xml", "json"])) {
            return Err(e);
        }
        return Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "is a folder with neither a GENIUS domain (an .xml file with <negotiation_template>) nor GeniusWeb profiles (.json files with a LinearAdditiveUtilitySpace)".into(),
        });
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let file = path.display().to_string();
    match ext.as_deref() {
        Some("toml") => {
            let text = input::read_text(path, "TOML")?;
            native::from_toml_str_noting(&text, &file)
        }
        Some("json") => {
            let text = input::read_text(path, "JSON")?;
            if geniusweb::looks_like_geniusweb(&text) {
                geniusweb::load_file(path).map(quiet)
            } else {
                native::from_json_str_noting(&text, &file)
            }
        }
        Some("xml") => genius::load_file_noting(path, semantics),
        Some("csv") => ktab::load_file(path).map(quiet),
        _ => Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "expected a .toml or .json detente scenario, a GENIUS .xml domain or folder, a GeniusWeb .json profile or folder, or a KTAB SMP .csv"
                .into(),
        }),
    }
}

/// The entries of a folder with one of these extensions that cannot be read as input files
/// (not regular files, too large, unreadable), each as its error, in name order.
pub(crate) fn unreadable_entries(dir: &Path, exts: &[&str]) -> Vec<FormatError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut paths: Vec<std::path::PathBuf> =
        entries.flatten().map(|e| e.path()).filter(|p| p.extension().and_then(|x| x.to_str()).is_some_and(|x| exts.contains(&x))).collect();
    paths.sort();
    paths.into_iter().filter_map(|p| input::read_bytes(&p).err()).collect()
}
