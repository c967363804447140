//! The actor table: many spatial party actors written one row each.
//!
//! ```toml
//! [actor_table]
//! issues = ["oil_price", "quota"]   # the order of each row's (position, salience) pairs
//! rows = [
//!   # id,     capability, oil_price, salience, quota, salience
//!   ["saudi", 100,        13.9,      0.9,      40,    0.5],
//!   ["iran",  30,         "-",       "-",      60,    0.8],   # "-": no position on that issue
//! ]
//! ```
//!
//! Each row is read as if it were written as an `[[actors]]` entry with only `id`,
//! `capability` and `[actors.preferences] type = "spatial"` with one
//! `positions.<issue> = { ideal, salience }` per issue whose pair is not `"-", "-"`: [`desugar`]
//! appends those actor DTOs to the file's `actors` (after the written ones), so every rule of
//! positions (the 0–100 scale, option ids, saliences, duplicate ids) applies to rows unchanged.
//! A capability of `"-"` is the default (1). What the table itself can get wrong (a row of the
//! wrong length, a cell of the wrong kind, an unknown or repeated issue in `issues`) is reported
//! here, every error at its row or cell; the errors the common conversion finds in a row's
//! actor are moved from `actors[i]…` to that row's cell by [`Rows::locate`].

use super::dto::{ActorDto, Cell, FileDto, IdMap, PositionDto, PrefKind, PreferencesDto, Scalar};
use super::read::PathError;
use super::spans::{Path, Seg};

/// The cell that stands for "no value".
const NONE: &str = "-";

/// Where the actors [`desugar`] appended came from.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    /// How many actors the file wrote as `[[actors]]` (the table's come after them).
    written: usize,
    /// For each appended actor: its row, and the column of each issue's position.
    rows: Vec<(usize, Vec<(String, usize)>)>,
    /// The rows with errors of their own (their actors lack the cells at fault).
    broken: Vec<usize>,
}

impl Rows {
    /// Whether the file has an actor table.
    pub(crate) fn any(&self) -> bool {
        !self.rows.is_empty()
    }

    /// Whether an error at `path` (after [`Rows::locate`]) is at the whole of a row that already
    /// has errors of its own: a consequence of the cells left out (an actor with no salience
    /// left), not news.
    pub(crate) fn is_consequence(&self, path: &Path) -> bool {
        match path.segs.as_slice() {
            [Seg::Key(t), Seg::Key(rows), Seg::Index(r)] => t == "actor_table" && rows == "rows" && self.broken.contains(r),
            _ => false,
        }
    }

    /// The path in the file of what `path` names: unchanged, unless it is inside an actor that
    /// came from a row, where it becomes that row's cell (`id`, `capability`, a position's
    /// `ideal` or `salience`) or the row itself.
    pub(crate) fn locate(&self, path: Path) -> Path {
        let (Some(Seg::Key(actors)), Some(Seg::Index(i))) = (path.segs.first(), path.segs.get(1)) else { return path };
        if actors != "actors" || *i < self.written {
            return path;
        }
        let Some((r, columns)) = self.rows.get(i - self.written) else { return path };
        let row = Path::root().key("actor_table").key("rows").index(*r);
        let key = |j: usize| match path.segs.get(j) {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        match (key(2), key(3), key(4)) {
            (Some("id"), _, _) => row.index(0),
            (Some("capability"), _, _) => row.index(1),
            (Some("preferences"), Some("positions"), Some(issue)) => match columns.iter().find(|(id, _)| id == issue) {
                Some((_, c)) if key(5) == Some("salience") => row.index(c + 1),
                Some((_, c)) => row.index(*c),
                None => row,
            },
            _ => row,
        }
    }
}

fn err(errors: &mut Vec<PathError>, path: Path, message: impl Into<String>) {
    errors.push(PathError { path, message: message.into() });
}

fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Scalar(s) => s.to_string(),
        Cell::Array => "an array".into(),
        Cell::Table => "a table".into(),
    }
}

fn is_none(cell: &Cell) -> bool {
    matches!(cell, Cell::Scalar(Scalar::Str(s)) if s == NONE)
}

/// Moves the rows of `f.actor_table` into `f.actors` as spatial party actors, and returns where
/// they came from with every error of the table's own shape. A row with errors still gives its
/// actor (with the cells that are right) when its id is a string, so the rest of the file is
/// checked as if the row were right.
pub(crate) fn desugar(f: &mut FileDto) -> (Rows, Vec<PathError>) {
    let mut errors = Vec::new();
    let Some(table) = f.actor_table.take() else { return (Rows::default(), errors) };
    let at = Path::root().key("actor_table");
    // The columns of the issues that can be read: (issue id, column of its position).
    let mut columns: Vec<(String, usize)> = Vec::new();
    for (k, id) in table.issues.iter().enumerate() {
        let ip = at.key("issues").index(k);
        if !f.issues.iter().any(|i| i.id == *id) {
            let known: Vec<&str> = f.issues.iter().map(|i| i.id.as_str()).collect();
            err(&mut errors, ip, format!("unknown issue `{id}`; expected one of: {}", known.join(", ")));
        } else if table.issues[..k].contains(id) {
            err(&mut errors, ip, format!("issue `{id}` is already a column of the actor table"));
        } else {
            columns.push((id.clone(), 2 + 2 * k));
        }
    }
    let width = 2 + 2 * table.issues.len();
    let order =
        format!("the actor's id, its capability, then a position and a salience for each issue of `issues` ({})", table.issues.join(", "));
    let written = f.actors.len();
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let before = errors.len();
        let rp = at.key("rows").index(r);
        if row.len() != width {
            err(&mut errors, rp.clone(), format!("a row of {} cells, expected {width}: {order}", row.len()));
        }
        let id = match row.first() {
            Some(Cell::Scalar(Scalar::Str(id))) if id != NONE => Some(id.clone()),
            Some(other) => {
                err(&mut errors, rp.index(0), format!("found {}, expected the actor's id (a string)", shown(other)));
                None
            }
            None => None,
        };
        let capability = match row.get(1) {
            Some(c) if is_none(c) => None,
            Some(Cell::Scalar(s)) if s.as_number().is_some() => s.as_number(),
            Some(other) => {
                err(&mut errors, rp.index(1), format!("found {}, expected the actor's capability (a number) or \"-\"", shown(other)));
                None
            }
            None => None,
        };
        let mut positions = Vec::new();
        for (issue, c) in &columns {
            let (Some(ideal), Some(salience)) = (row.get(*c), row.get(c + 1)) else { continue };
            let ideal = match ideal {
                _ if is_none(ideal) => None,
                Cell::Scalar(s @ (Scalar::Int(_) | Scalar::Float(_) | Scalar::Str(_))) => Some(s.clone()),
                other => {
                    let what = format!("found {}, expected the position of `{issue}` (a number or an option id) or \"-\"", shown(other));
                    err(&mut errors, rp.index(*c), what);
                    continue;
                }
            };
            let salience = match salience {
                _ if is_none(salience) => None,
                Cell::Scalar(s) if s.as_number().is_some() => s.as_number(),
                other => {
                    let what = format!("found {}, expected the salience of `{issue}` (a number) or \"-\"", shown(other));
                    err(&mut errors, rp.index(c + 1), what);
                    continue;
                }
            };
            match (ideal, salience) {
                (None, None) => {}
                (Some(ideal), Some(salience)) => positions.push((issue.clone(), position(ideal, salience))),
                (None, Some(_)) => {
                    err(&mut errors, rp.index(*c), format!("no position on `{issue}` but a salience: write \"-\" for both, or a position"))
                }
                (Some(_), None) => err(
                    &mut errors,
                    rp.index(c + 1),
                    format!("a position on `{issue}` but no salience: write a salience, or \"-\" for both"),
                ),
            }
        }
        if errors.len() > before {
            broken.push(r);
        }
        let Some(id) = id else { continue };
        rows.push((r, columns.clone()));
        f.actors.push(actor(id, capability, positions));
    }
    (Rows { written, rows, broken }, errors)
}

fn position(ideal: Scalar, salience: f64) -> PositionDto {
    PositionDto {
        ideal,
        salience,
        ideal_range: None,
        ideal_mode: None,
        ideal_sd: None,
        salience_range: None,
        salience_mode: None,
        salience_sd: None,
        source: None,
    }
}

fn actor(id: String, capability: Option<f64>, positions: Vec<(String, PositionDto)>) -> ActorDto {
    ActorDto {
        id,
        name: None,
        role: None,
        required: None,
        capability,
        capability_range: None,
        capability_mode: None,
        capability_sd: None,
        strategy: None,
        description: None,
        source: None,
        reservation: None,
        red_lines: None,
        discount: None,
        preferences: PreferencesDto {
            kind: PrefKind::Spatial,
            loss: None,
            positions: Some(IdMap(positions)),
            bias: None,
            weights: None,
            values: None,
            clamp: None,
            rows: None,
            default: None,
        },
    }
}
