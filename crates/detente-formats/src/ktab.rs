//! KTAB's SMP CSV input (the `smpc --csv` scenario file), read as it is.
//!
//! The layout, as KTAB's reader `SMPModel::csvRead` (`examples/smp/libsrc/smpread.cpp`) reads it:
//!
//! ```text
//! scenario name, description, number of actors, number of dimensions
//! Actor, Description, Power, <dimension 1 name>, <salience 1 heading>, …, <dimension D name>, <salience D heading>
//! name, description, power, position 1, salience 1, …, position D, salience D     (one row per actor)
//! ```
//!
//! Positions and saliences are on 0–100; an actor's saliences sum to at most 100 (its whole
//! attention); power is ≥ 0 and below 1e8; 3 to 250 actors, at least one dimension. Trailing
//! empty fields (KTAB's files end every line with a comma) and blank lines are allowed; fields
//! are trimmed and may be double-quoted.
//!
//! The scenario: one real issue per dimension on 0–100 (named by the header), one party per
//! actor with spatial preferences (position as stated, salience ÷ 100), capability = power, the
//! description as the actor's description, and `salience = "attention_shares"`. Every error in
//! the file is reported, each at its line and column.

use crate::error::{FormatError, Location};
use detente_core::{
    Actor, Discount, Issue, Metadata, OutcomeSpace, Position, Preferences, ProtocolDefaults, Reservation, SalienceConvention, Scenario,
    ScenarioDraft, Spatial, Step, Utility,
};
use std::path::Path;

/// KTAB's fewest actors (`SMPModel::minNumActor`).
pub const MIN_ACTORS: usize = 3;
/// KTAB's most actors (`SMPModel::maxNumActor`).
pub const MAX_ACTORS: usize = 250;
/// KTAB's sanity bound on power (`aCap < 1E8`).
pub const MAX_POWER: f64 = 1e8;
/// The most dimensions read (KTAB sets no bound; this one keeps a typo from allocating).
pub const MAX_DIMENSIONS: usize = 1_000;

/// One field of a line: its trimmed text (quotes removed) and its 1-based column.
#[derive(Debug, Clone)]
struct Field {
    text: String,
    column: usize,
}

/// Splits a line on commas; a field may be double-quoted (a quote inside written twice).
fn fields(line: &str) -> Vec<Field> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        let mut text = String::new();
        let mut quoted = false;
        while i < chars.len() && chars[i] != ',' {
            if chars[i] == '"' {
                quoted = !quoted;
                if !quoted && chars.get(i + 1) == Some(&'"') {
                    text.push('"');
                    quoted = true;
                    i += 1;
                }
                i += 1;
                continue;
            }
            if quoted {
                text.push(chars[i]);
                i += 1;
                // a comma inside quotes belongs to the field
                while quoted && i < chars.len() && chars[i] == ',' {
                    text.push(',');
                    i += 1;
                }
                continue;
            }
            text.push(chars[i]);
            i += 1;
        }
        let lead = chars[start..i].iter().take_while(|c| c.is_whitespace()).count();
        out.push(Field { text: text.trim().to_string(), column: start + lead + 1 });
        if i >= chars.len() {
            return out;
        }
        i += 1; // the comma
    }
}

/// Collects located errors.
struct Errors<'a> {
    file: &'a str,
    found: Vec<FormatError>,
}

impl Errors<'_> {
    fn at(&mut self, line: usize, column: usize, message: impl Into<String>) {
        let location = Location { file: self.file.to_string(), line, column };
        self.found.push(FormatError::Invalid { location, message: message.into() });
    }
}

/// A number field, or an error at it.
fn number(errors: &mut Errors<'_>, line: usize, f: &Field, what: &str) -> Option<f64> {
    match f.text.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            errors.at(line, f.column, format!("{what}: expected a number, found `{}`", f.text));
            None
        }
    }
}

/// The field at `k`, or an error at the end of the line.
fn field<'f>(errors: &mut Errors<'_>, line: usize, fs: &'f [Field], text: &str, k: usize, what: &str) -> Option<&'f Field> {
    match fs.get(k) {
        Some(f) if f.text.is_empty() && k >= 2 => {
            errors.at(line, f.column, format!("missing {what} (field {} is empty)", k + 1));
            None
        }
        Some(f) => Some(f),
        None => {
            errors.at(line, text.chars().count() + 1, format!("missing {what} (field {})", k + 1));
            None
        }
    }
}

/// Non-empty fields after the `expected` ones are an error (empty ones, such as the trailing
/// comma KTAB writes, are not).
fn no_extra(errors: &mut Errors<'_>, line: usize, fs: &[Field], expected: usize, why: &str) {
    if let Some(f) = fs.iter().skip(expected).find(|f| !f.text.is_empty()) {
        errors.at(line, f.column, format!("unexpected field `{}`: {why}", f.text));
    }
}

/// An actor row as read.
struct Row {
    line: usize,
    name: String,
    description: String,
    power: f64,
    cells: Vec<(f64, f64)>,
}

/// Reads KTAB's SMP CSV text. `file` names the input in errors.
pub fn from_csv_str(text: &str, file: &str) -> Result<Scenario, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Errors { file, found: Vec::new() };
    // (line number, text), blank lines left out
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().trim_matches(',').trim().is_empty());
    let Some((l1, first)) = lines.next() else {
        return Err(FormatError::Invalid {
            location: Location { file: file.to_string(), line: 1, column: 1 },
            message: "empty file: expected KTAB's SMP CSV (scenario name, description, number of actors, number of dimensions)".into(),
        });
    };
    let f1 = fields(first);
    let name = field(&mut errors, l1, &f1, first, 0, "scenario name").map(|f| f.text.clone()).unwrap_or_default();
    let description = f1.get(1).map(|f| f.text.clone()).unwrap_or_default();
    let count = |errors: &mut Errors<'_>, k: usize, what: &str, lo: usize, hi: usize| -> Option<usize> {
        let f = field(errors, l1, &f1, first, k, what)?;
        match f.text.parse::<usize>() {
            Ok(n) if (lo..=hi).contains(&n) => Some(n),
            Ok(n) => {
                errors.at(l1, f.column, format!("{n} is out of range for the {what}: KTAB reads {lo} to {hi}"));
                None
            }
            Err(_) => {
                errors.at(l1, f.column, format!("{what}: expected a whole number, found `{}`", f.text));
                None
            }
        }
    };
    let n_actors = count(&mut errors, 2, "number of actors", MIN_ACTORS, MAX_ACTORS);
    let n_dims = count(&mut errors, 3, "number of dimensions", 1, MAX_DIMENSIONS);
    no_extra(&mut errors, l1, &f1, 4, "the first line holds the scenario name, description, number of actors and number of dimensions");
    if !name.is_empty() && !detente_core::is_identifier(&name) {
        errors.at(l1, 1, format!("scenario name `{name}`: expected a name without `=`, `,` or line breaks"));
    }
    let (Some(n_actors), Some(n_dims)) = (n_actors, n_dims) else {
        return Err(FormatError::from_many(errors.found).expect("invariant: an error was recorded"));
    };
    // The header: Actor, Description, Power, then a position and a salience heading per dimension.
    let width = 3 + 2 * n_dims;
    let mut dims: Vec<(String, usize)> = Vec::with_capacity(n_dims);
    let mut end = (l1, first.chars().count() + 1);
    let header_line = match lines.next() {
        None => {
            errors.at(l1, first.chars().count() + 1, format!("missing the header line (Actor, Description, Power, then a position and a salience column for each of {n_dims} dimensions)"));
            0
        }
        Some((l2, header)) => {
            end = (l2, header.chars().count() + 1);
            let fs = fields(header);
            for d in 0..n_dims {
                if let Some(f) = field(&mut errors, l2, &fs, header, 3 + 2 * d, &format!("name of dimension {}", d + 1)) {
                    if let Some((_, c)) = dims.iter().find(|(n, _)| *n == f.text) {
                        errors.at(l2, f.column, format!("dimension `{}` is named twice (first at column {c})", f.text));
                    } else if !detente_core::is_identifier(&f.text) {
                        errors.at(l2, f.column, format!("dimension name `{}`: expected a name without `=` or `,`", f.text));
                    }
                    dims.push((f.text.clone(), f.column));
                }
                field(&mut errors, l2, &fs, header, 4 + 2 * d, &format!("salience heading of dimension {}", d + 1));
            }
            no_extra(&mut errors, l2, &fs, width, &format!("the first line states {n_dims} dimensions"));
            l2
        }
    };
    let mut rows: Vec<Row> = Vec::with_capacity(n_actors);
    // A missing row is reported at the end of the last line read.
    let mut read = 0;
    for (line, text) in lines.by_ref().take(n_actors) {
        end = (line, text.chars().count() + 1);
        read += 1;
        let fs = fields(text);
        let name = field(&mut errors, line, &fs, text, 0, "actor name").map(|f| f.text.clone()).unwrap_or_default();
        if name.is_empty() {
            errors.at(line, 1, "the actor has no name");
        } else if !detente_core::is_identifier(&name) {
            errors.at(line, 1, format!("actor name `{name}`: expected a name without `=` or `,`"));
        } else if let Some(r) = rows.iter().find(|r| r.name == name) {
            errors.at(line, 1, format!("actor `{name}` is named twice (first on line {})", r.line));
        }
        let description = fs.get(1).map(|f| f.text.clone()).unwrap_or_default();
        let power = field(&mut errors, line, &fs, text, 2, "power").and_then(|f| {
            let x = number(&mut errors, line, f, "power")?;
            if !(0.0..MAX_POWER).contains(&x) {
                errors.at(line, f.column, format!("power {x} is out of range: expected at least 0 and below 1e8 (KTAB's bound)"));
            }
            Some(x)
        });
        let mut cells = Vec::with_capacity(n_dims);
        let mut total = 0.0;
        let mut over = false;
        for d in 0..n_dims {
            let dim = dims.get(d).map_or_else(|| format!("dimension {}", d + 1), |(n, _)| format!("`{n}`"));
            let pos = field(&mut errors, line, &fs, text, 3 + 2 * d, &format!("position on {dim}")).and_then(|f| {
                let x = number(&mut errors, line, f, &format!("position on {dim}"))?;
                if !(0.0..=100.0).contains(&x) {
                    errors.at(line, f.column, format!("position on {dim} {x} is out of range: expected 0 to 100"));
                }
                Some(x)
            });
            let sal = field(&mut errors, line, &fs, text, 4 + 2 * d, &format!("salience on {dim}")).and_then(|f| {
                let s = number(&mut errors, line, f, &format!("salience on {dim}"))?;
                if !(0.0..=100.0).contains(&s) {
                    errors.at(line, f.column, format!("salience on {dim} {s} is out of range: expected 0 to 100"));
                } else {
                    total += s;
                    if total > 100.0 + 1e-9 && !over {
                        over = true;
                        errors.at(
                            line,
                            f.column,
                            format!("the actor's saliences add up to {total} by {dim}: expected at most 100 over all dimensions (its whole attention)"),
                        );
                    }
                }
                Some(s)
            });
            if let (Some(p), Some(s)) = (pos, sal) {
                cells.push((p, s));
            }
        }
        no_extra(&mut errors, line, &fs, width, &format!("the first line states {n_dims} dimensions"));
        if let Some(power) = power {
            rows.push(Row { line, name, description, power, cells });
        }
    }
    if read < n_actors && header_line > 0 {
        errors.at(end.0, end.1, format!("the first line states {n_actors} actors; the file has {read} actor rows"));
    }
    if let Some((line, _)) = lines.next() {
        errors.at(line, 1, format!("a row beyond the {n_actors} actors the first line states"));
    }
    if !errors.found.is_empty() {
        return Err(FormatError::from_many(errors.found).expect("invariant: an error was recorded"));
    }
    let issues = dims.iter().map(|(n, _)| Issue::real(n.clone(), 0.0, 100.0, None)).collect();
    let actors = rows
        .iter()
        .map(|r| Actor {
            capability: r.power,
            description: (!r.description.is_empty()).then(|| r.description.clone()),
            ..Actor::party(
                r.name.clone(),
                Preferences {
                    utility: Utility::Spatial(Spatial {
                        positions: r.cells.iter().map(|&(p, s)| Some(Position::new(p, s / 100.0))).collect(),
                        loss: Default::default(),
                    }),
                    discount: Discount::None,
                    reservation: Reservation::None,
                },
            )
        })
        .collect();
    let draft = ScenarioDraft {
        meta: Metadata {
            id: name.clone(),
            title: name,
            description: (!description.is_empty()).then_some(description),
            ..Metadata::default()
        },
        space: OutcomeSpace::new(issues),
        actors,
        protocol: ProtocolDefaults::default(),
        salience: SalienceConvention::AttentionShares,
        openings: Vec::new(),
        variants: Vec::new(),
    };
    draft.validate().map_err(|model| {
        // What the model still rejects (e.g. an actor with no salience anywhere) is placed on the
        // actor's row or the dimension's heading.
        let located = model
            .into_iter()
            .map(|e| {
                let (line, column) = e
                    .path
                    .steps()
                    .iter()
                    .find_map(|s| match s {
                        Step::Actor(id) => rows.iter().find(|r| &r.name == id).map(|r| (r.line, 1)),
                        Step::Issue(id) => dims.iter().find(|(n, _)| n == id).map(|&(_, c)| (header_line, c)),
                        _ => None,
                    })
                    .unwrap_or((l1, 1));
                FormatError::Invalid { location: Location { file: file.to_string(), line, column }, message: e.to_string() }
            })
            .collect();
        FormatError::from_many(located).expect("invariant: validation failed with at least one error")
    })
}

/// Reads a KTAB SMP CSV file.
pub fn load_file(path: &Path) -> Result<Scenario, FormatError> {
    let text = crate::input::read_text(path, "CSV")?;
    from_csv_str(&text, &path.display().to_string())
}
