//! The `[conflict]` part of a detente TOML/JSON file (documented in `docs/scenario-format.md`).

use super::spec::{self, Direction, DmSpec, Expr, OptionSpec, PrefSpec, Spec};
use crate::native::read::PathError;
use crate::native::spans::Path;
use crate::native::{self as nat, Syntax};
use crate::{FormatError, Location};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConflictDto {
    pub(crate) title: Option<String>,
    #[allow(dead_code)]
    pub(crate) description: Option<String>,
    #[allow(dead_code)]
    pub(crate) source: Option<String>,
    pub(crate) dms: Vec<DmDto>,
    #[serde(default)]
    pub(crate) mutually_exclusive: Vec<Vec<String>>,
    #[serde(default)]
    pub(crate) at_least_one: Vec<Vec<String>>,
    #[serde(default)]
    pub(crate) requires: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) infeasible: Vec<String>,
    pub(crate) status_quo: Option<Vec<String>>,
    /// Where the feasibility rules come from.
    #[allow(dead_code)]
    pub(crate) feasibility_source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DmDto {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) options: Vec<OptionDto>,
    pub(crate) priorities: Option<Vec<String>>,
    pub(crate) ranking: Option<Vec<RankDto>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OptionDto {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) direction: DirectionDto,
    pub(crate) source: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DirectionDto {
    #[default]
    Both,
    OnlyOn,
    OnlyOff,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RankDto {
    One(String),
    Tie(Vec<String>),
}

#[derive(Deserialize)]
struct Probe {
    format: Option<serde::de::IgnoredAny>,
}

/// The conflict of a detente TOML/JSON file (`[conflict]`), every error located.
pub(crate) fn read(text: &str, file: &str, syntax: Syntax) -> Result<Spec, FormatError> {
    let root: serde_json::Value = match syntax {
        Syntax::Toml => {
            let v: toml::Value = toml::from_str(text).map_err(|e| nat::toml_error(file, text, &e))?;
            serde_json::to_value(v).map_err(|e| FormatError::Syntax { location: Location::file(file), message: e.to_string() })?
        }
        Syntax::Json => serde_json::from_str(text).map_err(|e| nat::json_error(file, text, &e))?,
    };
    let probe: Probe = serde_json::from_value(root.clone()).unwrap_or(Probe { format: None });
    if probe.format.is_none() {
        return Err(FormatError::Invalid {
            location: Location { file: file.to_string(), line: 1, column: 1 },
            message: "missing `format = 2`: a detente file starts with the version of the format it is written in".into(),
        });
    }
    let Some(c) = root.get("conflict").cloned() else {
        return Err(FormatError::Invalid {
            location: Location { file: file.to_string(), line: 1, column: 1 },
            message: "no `[conflict]` part; expected a `[conflict]` table (see docs/scenario-format.md) or a gmcr-py .gmcr file".into(),
        });
    };
    let at = Path::root().key("conflict");
    let fail = |errors: Vec<PathError>| nat::in_file_order(nat::located_all(file, text, syntax, errors));
    let dto: ConflictDto = match serde_json::from_value(c.clone()) {
        Ok(d) => d,
        Err(_) => {
            let mut errors = Vec::new();
            let mut top = c;
            if let Some(serde_json::Value::Array(dms)) = top.get_mut("dms") {
                for (i, d) in std::mem::take(dms).into_iter().enumerate() {
                    nat::shape_of::<DmDto>(d, &at.key("dms").index(i), &mut errors);
                }
            }
            nat::shape_of::<ConflictDto>(top, &at, &mut errors);
            if errors.is_empty() {
                errors.push(PathError { path: at, message: "expected a `[conflict]` table (see docs/scenario-format.md)".into() });
            }
            return Err(fail(errors));
        }
    };
    to_spec(&dto, &at).map_err(fail)
}

fn to_spec(c: &ConflictDto, at: &Path) -> Result<Spec, Vec<PathError>> {
    let mut errors = Vec::new();
    let mut options: Vec<OptionSpec> = Vec::new();
    let mut dms = Vec::new();
    if c.dms.len() < 2 {
        errors.push(PathError { path: at.key("dms"), message: format!("{} decision maker(s); expected at least two", c.dms.len()) });
    }
    for (i, d) in c.dms.iter().enumerate() {
        let dp = at.key("dms").index(i);
        if !valid_id(&d.id) {
            errors.push(PathError {
                path: dp.key("id"),
                message: format!("id \"{}\"; expected letters, digits and _ (starting with a letter)", d.id),
            });
        }
        if c.dms[..i].iter().any(|e| e.id == d.id) {
            errors
                .push(PathError { path: dp.key("id"), message: format!("decision maker \"{}\" appears twice; expected unique ids", d.id) });
        }
        if d.options.is_empty() {
            errors.push(PathError {
                path: dp.key("options"),
                message: format!("decision maker \"{}\" has no options; expected at least one", d.id),
            });
        }
        let mut own = Vec::new();
        for (j, o) in d.options.iter().enumerate() {
            if !valid_id(&o.id) {
                errors.push(PathError {
                    path: dp.key("options").index(j).key("id"),
                    message: format!("id \"{}\"; expected letters, digits and _ (starting with a letter)", o.id),
                });
            }
            if d.options[..j].iter().any(|p| p.id == o.id) {
                errors.push(PathError {
                    path: dp.key("options").index(j).key("id"),
                    message: format!("option \"{}.{}\" appears twice; expected unique ids", d.id, o.id),
                });
            }
            own.push(options.len());
            options.push(OptionSpec {
                id: format!("{}.{}", d.id, o.id),
                name: o.name.clone().unwrap_or_else(|| o.id.replace('_', " ")),
                direction: match o.direction {
                    DirectionDto::Both => Direction::Both,
                    DirectionDto::OnlyOn => Direction::OnlyOn,
                    DirectionDto::OnlyOff => Direction::OnlyOff,
                },
                source: o.source.clone(),
            });
        }
        dms.push(DmSpec {
            id: d.id.clone(),
            name: d.name.clone().unwrap_or_else(|| d.id.clone()),
            options: own,
            preferences: PrefSpec::Statements(Vec::new()),
            source: d.source.clone(),
        });
    }
    if options.len() > spec::MAX_OPTIONS {
        errors
            .push(PathError { path: at.key("dms"), message: format!("{} options; expected at most {}", options.len(), spec::MAX_OPTIONS) });
    }
    let ids: Vec<String> = options.iter().map(|o| o.id.clone()).collect();
    let lookup = |id: &str| -> Result<usize, String> {
        ids.iter().position(|k| k == id).ok_or_else(|| {
            let hint =
                if id.contains('.') { String::new() } else { " (option ids are written dm.option, e.g. `russia.fight`)".to_string() };
            format!("unknown option `{id}`{hint}; expected one of {}", ids.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))
        })
    };
    let k = options.len();
    let expr = |text: &str, path: Path, errors: &mut Vec<PathError>| -> Option<Expr> {
        let r = if spec::looks_like_pattern(text) { spec::pattern(text, k) } else { spec::parse_statement(text, &lookup) };
        r.map_err(|message| errors.push(PathError { path, message })).ok()
    };
    let mut infeasible = Vec::new();
    for (g, group) in c.mutually_exclusive.iter().enumerate() {
        let lits: Vec<Option<usize>> = group
            .iter()
            .enumerate()
            .map(|(j, id)| {
                lookup(id).map_err(|m| errors.push(PathError { path: at.key("mutually_exclusive").index(g).index(j), message: m })).ok()
            })
            .collect();
        if let Some(lits) = lits.into_iter().collect::<Option<Vec<_>>>() {
            for (a, &x) in lits.iter().enumerate() {
                for &y in &lits[a + 1..] {
                    infeasible.push(Expr::And(vec![Expr::Lit(x, true), Expr::Lit(y, true)]));
                }
            }
        }
    }
    for (g, group) in c.at_least_one.iter().enumerate() {
        let lits: Vec<Option<usize>> = group
            .iter()
            .enumerate()
            .map(|(j, id)| {
                lookup(id).map_err(|m| errors.push(PathError { path: at.key("at_least_one").index(g).index(j), message: m })).ok()
            })
            .collect();
        if let Some(lits) = lits.into_iter().collect::<Option<Vec<_>>>() {
            infeasible.push(Expr::And(lits.into_iter().map(|x| Expr::Lit(x, false)).collect()));
        }
    }
    for (id, needs) in &c.requires {
        let p = at.key("requires").key(id);
        let o = lookup(id).map_err(|m| errors.push(PathError { path: p.clone().the_key(), message: m })).ok();
        let e = expr(needs, p, &mut errors);
        if let (Some(o), Some(e)) = (o, e) {
            infeasible.push(Expr::And(vec![Expr::Lit(o, true), Expr::Not(Box::new(e))]));
        }
    }
    for (i, text) in c.infeasible.iter().enumerate() {
        if let Some(e) = expr(text, at.key("infeasible").index(i), &mut errors) {
            infeasible.push(e);
        }
    }
    for (i, d) in c.dms.iter().enumerate() {
        let dp = at.key("dms").index(i);
        dms[i].preferences = match (&d.priorities, &d.ranking) {
            (Some(_), Some(_)) => {
                errors.push(PathError {
                    path: dp.key("ranking").the_key(),
                    message: format!("decision maker \"{}\" has both `priorities` and `ranking`; expected one", d.id),
                });
                continue;
            }
            (None, None) => {
                errors.push(PathError {
                    path: dp.clone(),
                    message: format!(
                        "decision maker \"{}\" has no preferences; expected `priorities` (statements, most important first) or `ranking`",
                        d.id
                    ),
                });
                continue;
            }
            (Some(ps), None) => PrefSpec::Statements(
                ps.iter()
                    .enumerate()
                    .filter_map(|(j, t)| expr(t, dp.key("priorities").index(j), &mut errors).map(|e| (t.clone(), e)))
                    .collect(),
            ),
            (None, Some(rs)) => PrefSpec::Ranking(
                rs.iter()
                    .enumerate()
                    .map(|(j, r)| match r {
                        RankDto::One(t) => expr(t, dp.key("ranking").index(j), &mut errors).into_iter().collect(),
                        RankDto::Tie(ts) => {
                            ts.iter().enumerate().filter_map(|(l, t)| expr(t, dp.key("ranking").index(j).index(l), &mut errors)).collect()
                        }
                    })
                    .collect(),
            ),
        };
    }
    let status_quo = c.status_quo.as_ref().map(|taken| {
        let mut s = vec![false; k];
        for (j, id) in taken.iter().enumerate() {
            match lookup(id) {
                Ok(o) => s[o] = true,
                Err(m) => errors.push(PathError { path: at.key("status_quo").index(j), message: m }),
            }
        }
        s
    });
    let spec = Spec { title: c.title.clone(), options, dms, infeasible, status_quo, coalitions: None };
    if errors.is_empty() {
        if let Some(sq) = &spec.status_quo {
            if spec.infeasible.iter().any(|e| e.holds(sq)) {
                errors.push(PathError {
                    path: at.key("status_quo"),
                    message: format!(
                        "the status quo {} is infeasible by the conflict's own rules; expected a feasible state",
                        spec::yn(sq)
                    ),
                });
            }
        }
        if spec.feasible_states().is_some_and(|s| s.is_empty()) {
            errors.push(PathError {
                path: at.key("infeasible").the_key(),
                message: "no state is feasible; expected the rules to leave at least one".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(spec)
    } else {
        Err(errors)
    }
}

fn valid_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
