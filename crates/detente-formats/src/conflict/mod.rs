//! The stability lens's conflicts (Graph Model for Conflict Resolution) at the edge:
//!
//! - the `[conflict]` part of a detente TOML/JSON file (alone with `format = 2`, or beside a
//!   scenario so one file drives every lens; `docs/scenario-format.md`);
//! - gmcr-py / GMCR+ project files (`*.gmcr`, JSON), imported as gmcr-py reads them (`gmcr.rs`).
//!
//! Both are read into one intermediate form and built into a `detente_conflict::Conflict`.

mod gmcr;
mod native;
pub(crate) mod spec;

use crate::{FormatError, Location};
use detente_conflict::{
    Conflict, ConflictSpec, DecisionMaker, Literal, OptionDef, Pattern, Preference, Reversibility, StateRef, Statement,
};
use spec::{Direction, Expr, PrefSpec, Spec};
use std::path::Path;

/// A conflict as a file states it: the model, and the coalitions a gmcr-py project asks the
/// analysis to treat as single movers (`detente_conflict::AnalysisOptions::coalitions`).
#[derive(Debug, Clone)]
pub struct Project {
    /// The model.
    pub conflict: Conflict,
    /// A partition of the DMs (indices) with at least one coalition of two or more; `None`:
    /// every DM moves alone.
    pub coalitions: Option<Vec<Vec<usize>>>,
}

/// [`load_path`] with the file's coalitions (only gmcr-py projects state them).
pub fn load_project(path: &Path) -> Result<Project, FormatError> {
    let is_gmcr = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("gmcr"));
    if is_gmcr {
        let file = path.display().to_string();
        return project_from_gmcr_str(&crate::input::read_text(path, "JSON")?, &file);
    }
    load_path(path).map(|conflict| Project { conflict, coalitions: None })
}

/// A gmcr-py / GMCR+ project's text, with its coalitions.
pub fn project_from_gmcr_str(text: &str, file: &str) -> Result<Project, FormatError> {
    let mut spec = gmcr::read(text, file)?;
    let coalitions = spec.coalitions.take();
    Ok(Project { conflict: build(spec, file)?, coalitions })
}

/// Reads a conflict from a path: a gmcr-py / GMCR+ project (`*.gmcr`), or a detente `*.toml` /
/// `*.json` file with a `[conflict]` part (alone or beside a scenario). A project's coalitions
/// are not part of the model: [`load_project`] returns them too.
pub fn load_path(path: &Path) -> Result<Conflict, FormatError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let file = path.display().to_string();
    match ext.as_deref() {
        Some("gmcr") => from_gmcr_str(&crate::input::read_text(path, "JSON")?, &file),
        Some("toml") => from_toml_str(&crate::input::read_text(path, "TOML")?, &file),
        Some("json") => from_json_str(&crate::input::read_text(path, "JSON")?, &file),
        _ => Err(FormatError::UnknownFormat {
            path: path.to_path_buf(),
            reason: "expected a gmcr-py project (.gmcr) or a detente .toml or .json file with a `[conflict]` part".into(),
        }),
    }
}

/// The `[conflict]` part of a detente scenario file (`*.toml`, `*.json`), or `None` when the
/// file has none or is in another format (a scenario that is not a detente file has no
/// conflict part): how `detente study` finds the conflict beside a scenario.
pub fn load_part(path: &Path) -> Result<Option<Conflict>, FormatError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let file = path.display().to_string();
    match ext.as_deref() {
        Some("toml") => {
            let text = crate::input::read_text(path, "TOML")?;
            if toml_has_conflict(&text) {
                from_toml_str(&text, &file).map(Some)
            } else {
                Ok(None)
            }
        }
        Some("json") if path.is_file() => {
            let text = crate::input::read_text(path, "JSON")?;
            if serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v.get("conflict").is_some()) {
                from_json_str(&text, &file).map(Some)
            } else {
                Ok(None)
            }
        }
        _ => Ok(None),
    }
}

/// Whether a detente TOML file has a `[conflict]` part (without reading it).
pub fn toml_has_conflict(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("conflict"))
}

/// Reads a gmcr-py / GMCR+ project's text; `file` names it in locations.
pub fn from_gmcr_str(text: &str, file: &str) -> Result<Conflict, FormatError> {
    build(gmcr::read(text, file)?, file)
}

/// Reads the `[conflict]` part of a detente TOML file.
pub fn from_toml_str(text: &str, file: &str) -> Result<Conflict, FormatError> {
    build(native::read(text, file, crate::native::Syntax::Toml)?, file)
}

/// Reads the `"conflict"` part of a detente JSON file.
pub fn from_json_str(text: &str, file: &str) -> Result<Conflict, FormatError> {
    build(native::read(text, file, crate::native::Syntax::Json)?, file)
}

fn expr(e: &Expr) -> detente_conflict::Expr {
    use detente_conflict::Expr as X;
    match e {
        Expr::Lit(k, y) => X::Lit(Literal { option: *k, taken: *y }),
        Expr::Not(a) => X::Not(Box::new(expr(a))),
        Expr::And(es) => X::And(es.iter().map(expr).collect()),
        Expr::Or(es) => X::Or(es.iter().map(expr).collect()),
        Expr::Implies(a, b) => X::Implies(Box::new(expr(a)), Box::new(expr(b))),
        Expr::Iff(a, b) => X::Iff(Box::new(expr(a)), Box::new(expr(b))),
    }
}

/// The model from what a reader found; the model's own rules are checked by the model.
fn build(s: Spec, file: &str) -> Result<Conflict, FormatError> {
    let states = s.feasible_states().unwrap_or_default();
    let options = s
        .options
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let dm = s.dms.iter().position(|d| d.options.contains(&k)).unwrap_or(0);
            let mut def = OptionDef::new(o.id.clone(), dm);
            def.name = o.name.clone();
            def.reversibility = match o.direction {
                Direction::Both => Reversibility::Both,
                Direction::OnlyOn => Reversibility::OnlyOn,
                Direction::OnlyOff => Reversibility::OnlyOff,
            };
            def
        })
        .collect();
    let constraints =
        s.infeasible.iter().map(|e| detente_conflict::Constraint::Require(detente_conflict::Expr::Not(Box::new(expr(e))))).collect();
    let preferences = s
        .dms
        .iter()
        .map(|d| match &d.preferences {
            PrefSpec::Statements(st) => Preference::Prioritization(st.iter().map(|(_, e)| Statement::from_expr(expr(e))).collect()),
            PrefSpec::Ranking(classes) => {
                let mut placed = vec![false; states.len()];
                let mut out: Vec<Vec<StateRef>> = Vec::new();
                for class in classes {
                    let mut c = Vec::new();
                    for (i, st) in states.iter().enumerate() {
                        if !placed[i] && class.iter().any(|e| e.holds(st)) {
                            placed[i] = true;
                            c.push(StateRef::Number(i + 1));
                        }
                    }
                    if !c.is_empty() {
                        out.push(c);
                    }
                }
                let rest: Vec<StateRef> = (0..states.len()).filter(|&i| !placed[i]).map(|i| StateRef::Number(i + 1)).collect();
                if !rest.is_empty() {
                    out.push(rest);
                }
                Preference::Ranking(out)
            }
        })
        .collect();
    let dms = s
        .dms
        .iter()
        .map(|d| {
            let mut dm = DecisionMaker::new(d.id.clone());
            dm.name = d.name.clone();
            dm
        })
        .collect();
    let spec = ConflictSpec {
        name: s.title.clone().unwrap_or_default(),
        dms,
        structure: detente_conflict::Structure::Options { options, constraints },
        preferences,
        status_quo: s.status_quo.as_ref().map(|sq| StateRef::Pattern(Pattern(sq.iter().map(|&b| Some(b)).collect()))),
    };
    spec.validate().map_err(|errors| {
        let all = errors.into_iter().map(|e| FormatError::Invalid { location: Location::file(file), message: e.to_string() }).collect();
        FormatError::from_many(all)
            .unwrap_or_else(|| FormatError::Invalid { location: Location::file(file), message: "invalid conflict".into() })
    })
}

/// The intermediate form of a `.gmcr` project's text (`file` names it in locations).
#[allow(dead_code)]
pub(crate) fn spec_from_gmcr_str(text: &str, file: &str) -> Result<spec::Spec, FormatError> {
    gmcr::read(text, file)
}

/// The intermediate form of a detente TOML file's `[conflict]`.
#[allow(dead_code)]
pub(crate) fn spec_from_toml_str(text: &str, file: &str) -> Result<spec::Spec, FormatError> {
    native::read(text, file, crate::native::Syntax::Toml)
}

#[cfg(test)]
mod tests {
    use super::spec::{yn, PrefSpec};
    use super::*;

    #[test]
    fn seed_conflict_reads_with_sixty_states() {
        let text = include_str!("../../../../scenarios/ukraine-ceasefire-2025.toml");
        let s = spec_from_toml_str(text, "seed.toml").unwrap();
        assert_eq!(s.dms.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["russia", "ukraine", "usa", "europe"]);
        assert_eq!(s.options.len(), 9);
        let states = s.feasible_states().unwrap();
        assert_eq!(states.len(), 60);
        assert_eq!(yn(s.status_quo.as_ref().unwrap()), "YNNYYNNNY");
        assert!(matches!(&s.dms[0].preferences, PrefSpec::Statements(v) if v.len() == 6));
        // and the scenario reader reads the same file as before
        crate::native::from_toml_str(text, "seed.toml").unwrap();
        let c = from_toml_str(text, "seed.toml").unwrap();
        assert_eq!(c.graph().n_states(), 60);
        assert_eq!(c.state_label(c.status_quo().unwrap()), "YNNYYNNNY");
        assert!(toml_has_conflict(text));
    }

    #[test]
    fn gmcr_options_are_reordered_as_gmcr_py_does() {
        // options [A, B, C]; DM 1 holds C, DM 2 holds A and B: gmcr-py moves C first -> [C, A, B]
        let text = r#"{"options": [{"name": "A", "permittedDirection": "both"}, {"name": "B", "permittedDirection": "fwd"},
            {"name": "C", "permittedDirection": "back"}],
            "decisionMakers": [{"name": "one", "options": [2], "preferences": [[[2, "Y"]]]},
                               {"name": "two", "options": [0, 1], "preferences": [{"compound": true, "members": [[[0, "Y"]], [[1, "N"]]]}]}],
            "infeasibles": [[[0, "Y"], [1, "Y"]]], "useManualPreferenceVectors": false}"#;
        let s = spec_from_gmcr_str(text, "t.gmcr").unwrap();
        assert_eq!(s.options.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["C", "A", "B"]);
        assert_eq!(s.dms[0].options, [0]);
        assert_eq!(s.dms[1].options, [1, 2]);
        let states = s.feasible_states().unwrap();
        assert_eq!(states.iter().map(|s| yn(s)).collect::<Vec<_>>(), ["NNN", "YNN", "NYN", "YYN", "NNY", "YNY"]);
    }

    #[test]
    fn gmcr_errors_are_all_located() {
        let text = "{\"options\": [{\"name\": \"A\", \"permittedDirection\": \"sideways\"}],\n \"decisionMakers\": [{\"name\": \"one\", \"options\": [3], \"preferences\": []},\n {\"name\": 2, \"options\": [0], \"preferences\": [[[0, \"X\"]]]}],\n \"infeasibles\": [], \"useManualPreferenceRanking\": false, \"extra\": 1}";
        let e = spec_from_gmcr_str(text, "t.gmcr").unwrap_err().to_string();
        assert!(e.starts_with("5 errors:"), "{e}");
        assert!(e.contains("t.gmcr:1:50: found \"sideways\"; expected \"both\", \"fwd\" or \"back\""), "{e}");
        assert!(e.contains("t.gmcr:2:49: option index 3; expected a whole number from 0 to 0"), "{e}");
        assert!(e.contains("t.gmcr:3:11: found a number; expected the decision maker's name"), "{e}");
        assert!(e.contains("expected \"Y\" or \"N\""), "{e}");
        assert!(e.contains("t.gmcr:4:58: unknown key \"extra\""), "{e}");
    }

    #[test]
    fn native_conflict_errors_are_all_located() {
        let text = "format = 2\n[conflict]\nstatus_quo = [\"a.x\", \"a.zz\"]\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\" }]\npriorities = [\"a.x &\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\", colour = 1 }]\nranking = [\"b.y\", \"Q\"]\n";
        let e = spec_from_toml_str(text, "c.toml").unwrap_err().to_string();
        assert!(e.contains("c.toml:10:24: unknown field `colour`"), "{e}");
        let text = "format = 2\n[conflict]\nstatus_quo = [\"a.x\", \"a.zz\"]\n[[conflict.dms]]\nid = \"a\"\noptions = [{ id = \"x\" }]\npriorities = [\"a.x &\"]\n[[conflict.dms]]\nid = \"b\"\noptions = [{ id = \"y\" }]\nranking = [\"b.y\", \"q\"]\n";
        let e = spec_from_toml_str(text, "c.toml").unwrap_err().to_string();
        assert!(e.starts_with("3 errors:"), "{e}");
        assert!(e.contains("c.toml:3:22: unknown option `a.zz`"), "{e}");
        assert!(e.contains("c.toml:7:15: the statement ends early"), "{e}");
        assert!(e.contains("c.toml:11:19: unknown option `q` (option ids are written dm.option"), "{e}");
    }
}
