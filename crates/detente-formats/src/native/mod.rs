//! detente's own scenario format: TOML (`format = 1`) with a JSON twin of the same structure.
//!
//! The format is documented, with a complete annotated example, in `docs/scenario-format.md`.
//! Reading happens in four steps, each with its own kind of error:
//!
//! 1. **syntax** — the text is parsed (`toml` / `serde_json`); a malformed file is a
//!    [`FormatError::Syntax`] at the parser's position;
//! 2. **version** — `format` must be `1`; any other value is a [`FormatError::Invalid`] naming the
//!    supported version (checked before the rest, so a newer file is not reported as a list of
//!    unknown keys);
//! 3. **shape** — the file is deserialised into private `serde` structs that deny unknown keys;
//!    a wrong type, a missing field or an unknown key is a [`FormatError::Syntax`] at the
//!    position `toml` (through its span support) or `serde_json` reports;
//! 4. **meaning** — ids are resolved while the model's draft is built (an unknown issue, option
//!    or actor; a value of the wrong kind), then the draft is checked by the model itself
//!    ([`detente_core::ScenarioDraft::validate`]: ranges, duplicates, roles, variants). The
//!    reader does not repeat the model's rules: every model error carries a model path
//!    (`actor russia › preferences › positions › nato › salience`), which `read::file_path`
//!    turns into the file's keys (`actors[2].preferences.positions.nato.salience`) and a span
//!    tree of the document (built with `toml::Spanned` for TOML, from `json_spans` for JSON)
//!    into file:line:column: a [`FormatError::Invalid`].
//!
//! Steps 1–3 stop at the first error (a parser cannot go on after malformed text, and serde
//! stops at the first wrong shape); step 4 reports every error it finds, in file order
//! ([`FormatError::Many`]): every unresolved reference of the issues, then (when they resolve)
//! of the actors, openings and variants, then every broken rule of the model.
//!
//! Writing builds one document tree from the model and prints it as TOML (tables laid out for
//! people: `[[issues]]`, `[[actors]]`, `[actors.preferences]`, positions one per line) or JSON.
//! `read(write(s)) == s` holds for every valid scenario whose numbers are finite (JSON has no
//! infinity); comments and `source` fields on elements the model has no slot for are not kept
//! (see the format documentation for exactly what round-trips).

mod dto;
mod read;
mod spans;
mod spreads;
mod write;

use crate::{FormatError, Location};
use detente_core::Scenario;
use spans::Node;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: i64 = 1;

#[derive(Clone, Copy)]
enum Syntax {
    Toml,
    Json,
}

/// Turns a path error into file:line:column. The span tree is built only here, on the error
/// path, so reading a valid file parses it twice (probe, shape) and no more.
fn located(file: &str, text: &str, syntax: Syntax, e: read::PathError) -> FormatError {
    located_all(file, text, syntax, vec![e])
}

/// Turns path errors into one error (several: [`FormatError::Many`], in file order), building
/// the span tree once.
fn located_all(file: &str, text: &str, syntax: Syntax, errors: Vec<read::PathError>) -> FormatError {
    let tree = match syntax {
        Syntax::Toml => Node::from_toml(text),
        Syntax::Json => Node::from_json(text),
    };
    let errors = errors
        .into_iter()
        .map(|e| {
            let location = tree
                .as_ref()
                .and_then(|t| t.locate(&e.path))
                .map_or_else(|| Location::file(file), |off| Location::from_offset(file, text, off));
            FormatError::Invalid { location, message: e.message }
        })
        .collect();
    FormatError::from_many(errors).expect("invariant: called with at least one error")
}

/// serde names Rust types in its messages; say what the file should hold instead.
fn humanize(message: &str) -> String {
    let mut m = message.trim_end().replace('\n', "; ");
    // `expected struct FileDto` (our DTO names): a table of keys (an object in JSON).
    // `expected enum RoleDto`: one of the names the key takes (listed in the docs).
    for prefix in ["expected struct ", "expected enum "] {
        while let Some(at) = m.find(prefix) {
            let from = at + prefix.len();
            let end = m[from..].find(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(m.len(), |e| from + e);
            let what = match &m[from..end] {
                "Probe" | "FileDto" => "expected a detente scenario: a table of keys (an object in JSON) starting with `format = 1`",
                _ if prefix.contains("enum") => "expected one of the names this key takes (see docs/scenario-format.md)",
                _ => "expected a table of keys (an object in JSON)",
            };
            m.replace_range(at..end, what);
            // serde's "… with 1 element" (a sequence read as a struct) says nothing to a reader.
            if let Some(rest) = m[at + what.len()..].strip_prefix(" with ") {
                if let Some(n) = rest.find(" element") {
                    let cut = at + what.len() + " with ".len() + n + " element".len();
                    let cut = if m[cut..].starts_with('s') { cut + 1 } else { cut };
                    m.replace_range(at + what.len()..cut, "");
                }
            }
        }
    }
    for (from, to) in [
        ("expected f64", "expected a number"),
        ("expected i64", "expected an integer"),
        ("expected u32", "expected a non-negative integer"),
        ("expected a sequence", "expected an array"),
        ("expected a borrowed string", "expected a string"),
        ("unknown variant `", "unknown value `"),
    ] {
        m = m.replace(from, to);
    }
    m
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> FormatError {
    let location = e.span().map_or_else(|| Location::file(file), |s| Location::from_offset(file, text, s.start));
    FormatError::Syntax { location, message: humanize(e.message()) }
}

fn json_error(file: &str, text: &str, e: &serde_json::Error) -> FormatError {
    let (location, message) = crate::json_spans::serde_json_error(file, text, 0, e);
    FormatError::Syntax { location, message: humanize(&message) }
}

fn read(text: &str, file: &str, syntax: Syntax) -> Result<Scenario, FormatError> {
    let probe: dto::Probe = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| toml_error(file, text, &e))?,
        Syntax::Json => serde_json::from_str(text).map_err(|e| json_error(file, text, &e))?,
    };
    let version_path = spans::Path::root().key("format");
    match probe.format {
        Some(dto::Version { int: Some(FORMAT_VERSION), .. }) => {}
        Some(other) => {
            return Err(located(
                file,
                text,
                syntax,
                read::PathError {
                    path: version_path,
                    message: match other.int {
                        Some(v) => format!("unsupported format version {v}: this version of detente reads `format = {FORMAT_VERSION}`"),
                        None => format!("found {} for `format`, expected the integer version `format = {FORMAT_VERSION}`", other.shown),
                    },
                },
            ))
        }
        None => {
            return Err(FormatError::Invalid {
                location: Location { file: file.to_string(), line: 1, column: 1 },
                message: format!(
                    "missing `format = {FORMAT_VERSION}`: a detente scenario starts with the version of the format it is written in"
                ),
            })
        }
    }
    let dto: dto::FileDto = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| toml_error(file, text, &e))?,
        Syntax::Json => serde_json::from_str(text).map_err(|e| json_error(file, text, &e))?,
    };
    let mut draft = read::scenario_from(&dto).map_err(|errors| located_all(file, text, syntax, errors))?;
    spreads::attach(&dto, &mut draft).map_err(|errors| located_all(file, text, syntax, errors))?;
    // The model's rules, once, in the model; each error is put at the key its path names.
    draft.validate().map_err(|errors| {
        let errors = errors.into_iter().map(|e| read::PathError { path: read::file_path(&dto, &e), message: e.to_string() }).collect();
        located_all(file, text, syntax, errors)
    })
}

/// Parses a TOML scenario. `file` names the input in error locations. Stated spreads of uncertain
/// inputs (`ideal_range`, `salience_sd`, `capability_range`, … — see `docs/scenario-format.md`)
/// are read into the model's spread slots.
pub fn from_toml_str(text: &str, file: &str) -> Result<Scenario, FormatError> {
    read(text, file, Syntax::Toml)
}

/// Parses a JSON scenario (the TOML format's twin).
pub fn from_json_str(text: &str, file: &str) -> Result<Scenario, FormatError> {
    read(text, file, Syntax::Json)
}

/// Writes a scenario as TOML.
pub fn to_toml_string(scenario: &Scenario) -> Result<String, FormatError> {
    Ok(write::to_toml(&write::document(scenario)?))
}

/// Writes a scenario as JSON.
pub fn to_json_string(scenario: &Scenario) -> Result<String, FormatError> {
    write::to_json(&write::document(scenario)?)
}
