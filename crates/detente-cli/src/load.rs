//! Loading scenarios: the built-in reference scenario, files and folders, and variants.

use detente_core::{ModelErrors, Scenario};
use detente_formats::FormatError;
use std::path::{Path, PathBuf};

/// The built-in reference scenario (the ceasefire talks), embedded at compile time.
pub(crate) const BUILTIN_TOML: &str = detente_formats::reference::TOML;
/// How the built-in scenario is named in messages.
pub(crate) const BUILTIN_NAME: &str = detente_formats::reference::NAME;

/// Why a command failed on its input. Carries enough to render a located report.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A format error (with location when the format gives one).
    Format(FormatError),
    /// Model errors about a loaded scenario (e.g. an unknown variant, or a variant that does
    /// not apply).
    Model { file: String, error: ModelErrors },
    /// Anything else the user got wrong in the input (message says what was expected): exit 1.
    Input(String),
    /// Options that cannot go together, or that would have no effect: a usage error, exit 2
    /// (as clap's own).
    Usage(String),
    /// The command ran and found failures it has already reported (e.g. `validate`).
    Reported,
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Self {
        Failure::Format(e)
    }
}

/// A loaded scenario and the name to show for its source.
pub(crate) struct Loaded {
    pub(crate) scenario: Scenario,
    pub(crate) source: String,
    /// The scenario before the variant was applied, when one was.
    pub(crate) base: Option<Scenario>,
}

/// Loads `file` (or the built-in scenario) and applies `variant` if given. `semantics` is
/// `--semantics`: the reading of a GENIUS folder (default GENIUS's own); for an input with one
/// reading it changes nothing here, and a note says so.
pub(crate) fn load(file: Option<&Path>, variant: Option<&str>, semantics: Option<detente_core::Semantics>) -> Result<Loaded, Failure> {
    let options = detente_formats::LoadOptions { semantics };
    let (scenario, source) = match file {
        None => (detente_formats::native::from_toml_str(BUILTIN_TOML, BUILTIN_NAME)?, BUILTIN_NAME.to_string()),
        Some(p) => match detente_formats::load_path_with(p, &options) {
            Ok((s, notices)) => {
                for n in notices {
                    eprintln!("note: {n}");
                }
                (s, p.display().to_string())
            }
            Err(_) if p.is_dir() && holds_ext(p, "toml") && !holds_ext(p, "xml") => {
                return Err(Failure::Input(format!(
                    "{}: is a folder of scenario files, not one scenario (a folder must hold a GENIUS domain or GeniusWeb profiles); pass the files themselves, e.g. {}",
                    p.display(),
                    p.join("*.toml").display()
                )))
            }
            Err(e) => return Err(e.into()),
        },
    };
    if let (Some(sem), None) = (semantics, scenario.meta.read_with) {
        eprintln!(
            "note: --semantics {sem}: {source} has one reading (only GENIUS folders are read differently by GENIUS and NegMAS); \
             it is read as written"
        );
    }
    let (scenario, base) = match variant {
        None => (scenario, None),
        Some(v) => (scenario.with_variant(v).map_err(|error| Failure::Model { file: source.clone(), error })?, Some(scenario)),
    };
    Ok(Loaded { scenario, source, base })
}

impl Loaded {
    /// Says on stderr which changes of the variant (if one was applied) a lens does not read,
    /// so that results identical to the base's are never left unexplained.
    pub(crate) fn note_unread(
        &self,
        variant: Option<&str>,
        lens: &str,
        reads: impl Fn(&detente_core::Patch, detente_core::MediatorRule) -> bool,
    ) {
        if let (Some(base), Some(id)) = (&self.base, variant) {
            for note in detente_study::scenario::unread_by(base, id, lens, reads) {
                eprintln!("note: variant `{id}`: {note}");
            }
        }
    }
}

/// Whether a folder holds a file with this extension (`.toml`: detente scenarios; GENIUS is XML).
fn holds_ext(dir: &Path, ext: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|it| it.flatten().any(|e| e.path().extension().is_some_and(|x| x == ext)))
}

/// The source text of a file for error snippets (the built-in scenario included).
pub(crate) fn source_text(file: &str) -> Option<String> {
    if file == BUILTIN_NAME {
        return Some(BUILTIN_TOML.to_string());
    }
    let p = PathBuf::from(file);
    if p.is_file() {
        std::fs::read(&p).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
    } else {
        None
    }
}
