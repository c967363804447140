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
//! 4. **meaning** — the rows of an `[actor_table]` become actors (`table.rs`: each row is read
//!    as the `[[actors]]` entry it stands for, its own errors and the errors found in its actor
//!    located at its row or cell); ids are resolved while the model's draft is built (an unknown issue, option
//!    or actor; a value of the wrong kind), then the draft is checked by the model itself
//!    ([`detente_core::ScenarioDraft::validate`]: ranges, duplicates, roles, variants). The
//!    reader does not repeat the model's rules: every model error carries a model path
//!    (`actor russia › preferences › positions › nato › salience`), which `read::file_path`
//!    turns into the file's keys (`actors[2].preferences.positions.nato.salience`) and a span
//!    tree of the document (built with `toml::Spanned` for TOML, from `json_spans` for JSON)
//!    into file:line:column: a [`FormatError::Invalid`].
//!
//! Steps 1–2 stop at the first error (a parser cannot go on after malformed text). Step 3
//! reports every wrong shape: serde stops at the first, so the parsed document is read again
//! piece by piece (each issue, actor, source, opening and variant, then the top level), each
//! wrong key set aside in turn (`shape_errors`). Step 4 reports every error it finds. Both list
//! them in file order ([`FormatError::Many`]): for step 4, every unresolved reference of the
//! issues, then (when they resolve) of the actors, openings and variants, then every broken rule
//! of the model.
//!
//! Writing builds one document tree from the model and prints it as TOML (tables laid out for
//! people: `[[issues]]`, `[[actors]]`, `[actors.preferences]`, positions one per line) or JSON.
//! `read(write(s)) == s` holds for every valid scenario whose numbers are finite (JSON has no
//! infinity); comments and `source` fields on elements the model has no slot for are not kept
//! (see the format documentation for exactly what round-trips).

mod dto;
mod legacy;
pub(crate) mod read;
pub(crate) mod spans;
mod spreads;
mod table;
mod write;

use crate::{FormatError, Location};
use detente_core::Scenario;
use spans::Node;

/// The format version this build writes. It reads this one and format 1 (see [`FORMAT_VERSIONS`]).
pub const FORMAT_VERSION: i64 = 2;

/// The format versions this build reads: 2, and 1, whose positions on integer and real issues
/// are on the issue's 0–100 scale (read as meant, with a [`Notice`](crate::Notice)); format 2
/// writes them in the issue's own units.
pub const FORMAT_VERSIONS: [i64; 2] = [1, 2];

#[derive(Clone, Copy)]
pub(crate) enum Syntax {
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
pub(crate) fn located_all(file: &str, text: &str, syntax: Syntax, errors: Vec<read::PathError>) -> FormatError {
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

pub(crate) fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> FormatError {
    let location = e.span().map_or_else(|| Location::file(file), |s| Location::from_offset(file, text, s.start));
    FormatError::Syntax { location, message: humanize(e.message()) }
}

pub(crate) fn json_error(file: &str, text: &str, e: &serde_json::Error) -> FormatError {
    let (location, message) = crate::json_spans::serde_json_error(file, text, 0, e);
    FormatError::Syntax { location, message: humanize(&message) }
}

fn read(text: &str, file: &str, syntax: Syntax) -> Result<(Scenario, Vec<crate::Notice>), FormatError> {
    let probe: dto::Probe = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| toml_error(file, text, &e))?,
        Syntax::Json => serde_json::from_str(text).map_err(|e| json_error(file, text, &e))?,
    };
    let version_path = spans::Path::root().key("format");
    let units = match probe.format {
        Some(dto::Version { int: Some(1), .. }) => legacy::PositionUnits::Scale,
        Some(dto::Version { int: Some(FORMAT_VERSION), .. }) => legacy::PositionUnits::Issue,
        Some(other) => {
            return Err(located(
                file,
                text,
                syntax,
                read::PathError {
                    path: version_path,
                    message: match other.int {
                        Some(v) => format!(
                            "unsupported format version {v}: this version of detente reads `format = {FORMAT_VERSION}` (and format 1)"
                        ),
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
    };
    // A file with only a `[conflict]` part is a conflict, not a broken scenario.
    let parts: dto::Parts = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| toml_error(file, text, &e))?,
        Syntax::Json => serde_json::from_str(text).map_err(|e| json_error(file, text, &e))?,
    };
    if parts.conflict.is_some() && parts.issues.is_none() && parts.actors.is_none() && parts.actor_table.is_none() {
        return Err(FormatError::ConflictOnly { file: file.to_string() });
    }
    let mut dto: dto::FileDto = match syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| shape_errors(text, file, syntax, toml_error(file, text, &e)))?,
        Syntax::Json => serde_json::from_str(text).map_err(|e| shape_errors(text, file, syntax, json_error(file, text, &e)))?,
    };
    // `positions = "scale"` keeps the 0–100 scale for integer and real issues on purpose (no
    // notice); `positions = "units"` reads a format 1 file in units.
    let said = dto.positions.is_some();
    let units = match dto.positions {
        Some(dto::PositionsDto::Scale) => legacy::PositionUnits::Scale,
        Some(dto::PositionsDto::Units) => legacy::PositionUnits::Issue,
        None => units,
    };
    // The actor table's rows become actors; its own errors are reported with the others.
    let (rows, table_errors) = table::desugar(&mut dto);
    let fail = |errors: Vec<read::PathError>| {
        let mut all: Vec<read::PathError> =
            table_errors.iter().map(|e| read::PathError { path: e.path.clone(), message: e.message.clone() }).collect();
        all.extend(
            errors
                .into_iter()
                .map(|e| read::PathError { path: rows.locate(e.path), message: e.message })
                .filter(|e| !rows.is_consequence(&e.path)),
        );
        let e = located_all(file, text, syntax, all);
        // a row's errors are found with the actors, wherever the table is in the file
        if rows.any() || !table_errors.is_empty() {
            in_file_order(e)
        } else {
            e
        }
    };
    let mut draft = read::scenario_from(&dto).map_err(&fail)?;
    spreads::attach(&dto, &mut draft, units).map_err(&fail)?;
    // A format 1 file's positions on numeric issues, mapped from the scale into units; those
    // off the scale are reported with the model's errors (and not again by the model).
    let mut notices = Vec::new();
    let mut legacy_errors = Vec::new();
    if units == legacy::PositionUnits::Scale {
        match legacy::scale_to_units(&mut draft) {
            Ok(issues) if !issues.is_empty() && !said => notices.push(crate::Notice::ScalePositions { file: file.to_string(), issues }),
            Ok(_) => {}
            Err(errors) => legacy_errors = errors,
        }
    }
    // The model's rules, once, in the model; each error is put at the key its path names.
    let model = match draft.validate() {
        Ok(s) if legacy_errors.is_empty() => s,
        Ok(_) => return Err(in_file_order(fail(legacy_errors))),
        Err(errors) => {
            let mut all: Vec<read::PathError> = errors
                .into_iter()
                .map(|e| read::PathError { path: read::file_path(&dto, &e), message: e.to_string() })
                .filter(|e| !legacy_errors.iter().any(|l| l.path == e.path))
                .collect();
            let sort = !legacy_errors.is_empty();
            all.append(&mut legacy_errors);
            let e = fail(all);
            return Err(if sort { in_file_order(e) } else { e });
        }
    };
    if table_errors.is_empty() {
        Ok((model, notices))
    } else {
        Err(fail(Vec::new()))
    }
}

/// The errors of `e` sorted by line and column (a stable sort: errors at one place keep their
/// order).
pub(crate) fn in_file_order(e: FormatError) -> FormatError {
    match e {
        FormatError::Many(mut all) => {
            all.sort_by_key(|e| e.location().map(|l| (l.line, l.column)));
            FormatError::Many(all)
        }
        one => one,
    }
}

/// Step 3 found a wrong shape, and serde stops at the first: look for every other one. The
/// parsed document is read again piece by piece — each element of the file's arrays (`sources`,
/// `issues`, `actors`, `openings`, `variants`) on its own, then the top level with those arrays
/// set aside — and within each piece every unknown key is reported (it is set aside and the
/// piece read again), then its first other wrong shape (a missing key, a wrong type or value).
/// Each error is located through the span tree, as the model's errors are. If the second
/// reading finds nothing (it reads a generic value, which can differ from the text in corner
/// cases such as TOML dates), serde's own first error stands.
fn shape_errors(text: &str, file: &str, syntax: Syntax, first: FormatError) -> FormatError {
    let root: Option<serde_json::Value> = match syntax {
        Syntax::Toml => toml::from_str::<toml::Value>(text).ok().and_then(|v| serde_json::to_value(v).ok()),
        Syntax::Json => serde_json::from_str(text).ok(),
    };
    let Some(serde_json::Value::Object(mut top)) = root else { return first };
    let mut errors = Vec::new();
    for field in ["sources", "issues", "actors", "openings", "variants"] {
        let Some(serde_json::Value::Array(items)) = top.get_mut(field) else { continue };
        for (i, item) in std::mem::take(items).into_iter().enumerate() {
            let at = spans::Path::root().key(field).index(i);
            match field {
                "sources" => shape_of::<dto::SourceDto>(item, &at, &mut errors),
                "issues" => shape_of::<dto::IssueDto>(item, &at, &mut errors),
                "actors" => shape_of::<dto::ActorDto>(item, &at, &mut errors),
                "openings" => shape_of::<dto::OpeningDto>(item, &at, &mut errors),
                _ => shape_of::<dto::VariantDto>(item, &at, &mut errors),
            }
        }
    }
    shape_of::<dto::FileDto>(serde_json::Value::Object(top), &spans::Path::root(), &mut errors);
    let said = match &first {
        FormatError::Syntax { message, .. } => message.clone(),
        _ => return first,
    };
    if !errors.iter().any(|e| e.message == said) {
        // the second reading did not find serde's error (see above): serde's alone stands
        return first;
    }
    // serde's own error keeps the parser's position; the others are located by path
    let mut first = Some(first);
    let all = match located_all(file, text, syntax, errors) {
        FormatError::Many(all) => all,
        one => vec![one],
    };
    let all = all
        .into_iter()
        .map(|e| match e {
            FormatError::Invalid { ref message, .. } if first.is_some() && *message == said => first.take().expect("checked"),
            e => e,
        })
        .collect();
    FormatError::from_many(all).expect("invariant: at least serde's error")
}

/// Every wrong shape of `value` read as a `T`, at paths under `at`: each error is recorded and
/// the key it is at set aside (an unknown key, or a key with a wrong value), and the piece read
/// again, until it reads or an error cannot be set aside (a missing key, a wrong element of an
/// array); a key reported missing because its wrong value was set aside is not reported twice.
pub(crate) fn shape_of<T: serde::de::DeserializeOwned>(mut value: serde_json::Value, at: &spans::Path, errors: &mut Vec<read::PathError>) {
    let mut set_aside: Vec<(Vec<spans::Seg>, String)> = Vec::new();
    // (a bound, not a loop guard in practice: each pass sets one key aside)
    for _ in 0..10_000 {
        let Err(e) = serde_path_to_error::deserialize::<_, T>(&value) else { return };
        let mut path = at.clone();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path = path.index(*index),
                serde_path_to_error::Segment::Map { key } => path = path.key(key),
                serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
            }
        }
        let message = humanize(&e.inner().to_string());
        let inner = path.segs[at.segs.len()..].to_vec();
        let named = |prefix: &str| message.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_string);
        if let Some(key) = named("unknown field `") {
            // serde_path_to_error's path ends at the unknown key itself
            let (path, inner) = match inner.split_last() {
                Some((spans::Seg::Key(k), parent)) if *k == key => (path, parent.to_vec()),
                _ => (path.key(&key), inner),
            };
            errors.push(read::PathError { path: path.the_key(), message });
            if !remove_at(&mut value, &inner, &key) {
                return;
            }
            continue;
        }
        if named("missing field `").is_some_and(|key| set_aside.contains(&(inner.clone(), key))) {
            return;
        }
        errors.push(read::PathError { path, message });
        // a wrong value: set its key aside and read on
        let Some((spans::Seg::Key(key), parent)) = inner.split_last() else { return };
        let (parent, key) = (parent.to_vec(), key.clone());
        if !remove_at(&mut value, &parent, &key) {
            return;
        }
        set_aside.push((parent, key));
    }
}

/// Removes `key` from the table at `segs` under `value`; whether it was there.
fn remove_at(value: &mut serde_json::Value, segs: &[spans::Seg], key: &str) -> bool {
    let mut v = value;
    for seg in segs {
        v = match (seg, v) {
            (spans::Seg::Key(k), serde_json::Value::Object(m)) => match m.get_mut(k) {
                Some(child) => child,
                None => return false,
            },
            (spans::Seg::Index(i), serde_json::Value::Array(a)) => match a.get_mut(*i) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match v {
        serde_json::Value::Object(m) => m.remove(key).is_some(),
        _ => false,
    }
}

/// Parses a TOML scenario. `file` names the input in error locations. Stated spreads of uncertain
/// inputs (`ideal_range`, `salience_sd`, `capability_range`, … — see `docs/scenario-format.md`)
/// are read into the model's spread slots.
pub fn from_toml_str(text: &str, file: &str) -> Result<Scenario, FormatError> {
    read(text, file, Syntax::Toml).map(|(s, _)| s)
}

/// Parses a JSON scenario (the TOML format's twin).
pub fn from_json_str(text: &str, file: &str) -> Result<Scenario, FormatError> {
    read(text, file, Syntax::Json).map(|(s, _)| s)
}

/// [`from_toml_str`], with what a reader should be told about the file (a format 1 file's
/// positions read on the 0–100 scale).
pub fn from_toml_str_noting(text: &str, file: &str) -> Result<(Scenario, Vec<crate::Notice>), FormatError> {
    read(text, file, Syntax::Toml)
}

/// [`from_json_str`], with what a reader should be told about the file.
pub fn from_json_str_noting(text: &str, file: &str) -> Result<(Scenario, Vec<crate::Notice>), FormatError> {
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
