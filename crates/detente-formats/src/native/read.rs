//! From the parsed file to the model: ids resolved, ranges checked, every error tied to the
//! path of the offending key or value (turned into file:line:column by the caller).

use super::dto::*;
use super::spans::Path;
use detente_core::{
    Actor, Condition, Discount, ErrorKind, Issue, IssueKind, IssueOption, LinearAdditive, Loss, MediatorRule, Metadata, ModelError,
    NegotiatorSpec, Opening, Outcome, OutcomeSpace, Patch, Position, Preferences, ProtocolDefaults, ProtocolName, RedLine, Reservation,
    Role, SalienceConvention, ScenarioDraft, Source, Spatial, Step, TableUtility, Utility, Value, ValueFunction, Variant,
};

/// A semantic error before it has a line and column.
#[derive(Debug)]
pub(crate) struct PathError {
    pub(crate) path: Path,
    pub(crate) message: String,
}

type R<T> = Result<T, PathError>;

fn err<T>(path: Path, message: impl Into<String>) -> R<T> {
    Err(PathError { path, message: message.into() })
}

/// The separator the reader uses to keep a `source` citation inside a `description`.
pub(crate) const SOURCE_SEP: &str = "\n\nSource: ";
/// The prefix used when there is a `source` but no `description`.
pub(crate) const SOURCE_PREFIX: &str = "Source: ";

/// Folds a `source` citation into the model's description slot (split back by the writer).
pub(crate) fn join_source(description: Option<String>, source: Option<String>) -> Option<String> {
    match (description, source) {
        (Some(d), Some(s)) => Some(format!("{d}{SOURCE_SEP}{s}")),
        (None, Some(s)) => Some(format!("{SOURCE_PREFIX}{s}")),
        (d, None) => d,
    }
}

fn list(ids: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    ids.into_iter().map(|s| s.as_ref().to_string()).collect::<Vec<_>>().join(", ")
}

fn issue_of<'a>(space: &'a OutcomeSpace, path: Path, id: &str) -> R<(usize, &'a Issue)> {
    match space.issue_index(id) {
        Some(k) => Ok((k, &space.issues()[k])),
        None => err(path, format!("unknown issue `{id}`; expected one of: {}", list(space.issues().iter().map(|i| i.id.as_str())))),
    }
}

fn actor_of(actors: &[Actor], path: Path, id: &str) -> R<usize> {
    actors
        .iter()
        .position(|a| a.id == id)
        .map_or_else(|| err(path, format!("unknown actor `{id}`; expected one of: {}", list(actors.iter().map(|a| a.id.as_str())))), Ok)
}

fn option_ids(issue: &Issue) -> String {
    list(issue.options().unwrap_or(&[]).iter().map(|o| o.id.as_str()))
}

/// A value of `issue` as written in the file (option id, integer, number).
pub(crate) fn value_of(issue: &Issue, path: Path, s: &Scalar) -> R<Value> {
    match &issue.kind {
        IssueKind::Categorical { .. } | IssueKind::Ordinal { .. } => match s {
            Scalar::Str(id) => match issue.option_index(id) {
                Some(i) => Ok(Value::Option(i)),
                None => err(path, format!("unknown option `{id}` of issue `{}`; expected one of: {}", issue.id, option_ids(issue))),
            },
            other => err(path, format!("found {other}, expected an option id of issue `{}` (one of: {})", issue.id, option_ids(issue))),
        },
        IssueKind::Integer { min, max, step, .. } => {
            let expected = if *step == 1 {
                format!("an integer in {min}..={max}")
            } else {
                format!("an integer in {min}..={max} in steps of {step} from {min}")
            };
            match s {
                Scalar::Int(v) if issue.admits(&Value::Int(*v)) => Ok(Value::Int(*v)),
                other => err(path, format!("found {other}, expected a value of issue `{}`: {expected}", issue.id)),
            }
        }
        IssueKind::Real { .. } => match s.as_number() {
            Some(x) if issue.admits(&Value::Real(x)) => Ok(Value::Real(x)),
            // on a grid: the grid and its nearest points
            x => err(path, format!("found {s}, expected a value of issue `{}`: {}", issue.id, issue.expected(x.map(Value::Real).as_ref()))),
        },
    }
}

/// An ideal point: a number on the 0–100 scale, or an option id (ordinal: its scale position;
/// categorical: the option itself).
fn ideal_of(issue: &Issue, path: Path, s: &Scalar) -> R<f64> {
    match (&issue.kind, s) {
        (IssueKind::Categorical { .. }, Scalar::Str(_)) | (IssueKind::Ordinal { .. }, Scalar::Str(_)) => {
            let Value::Option(i) = value_of(issue, path.clone(), s)? else { unreachable!("option issues give option values") };
            match &issue.kind {
                IssueKind::Categorical { .. } => Ok(f64::from(i)),
                _ => Ok(issue.options().and_then(|o| o[i as usize].scale).unwrap_or(0.0)),
            }
        }
        (IssueKind::Categorical { .. }, other) => {
            err(path, format!("found {other}, expected an option id of categorical issue `{}` (one of: {})", issue.id, option_ids(issue)))
        }
        (_, Scalar::Int(_) | Scalar::Float(_)) => Ok(s.as_number().expect("invariant: numeric scalar")),
        (IssueKind::Ordinal { .. }, other) => {
            err(path, format!("found {other}, expected an option id or a position on the 0–100 scale of ordinal issue `{}`", issue.id))
        }
        (_, other) => {
            let (lo, hi) = issue.position_range();
            err(
                path,
                format!(
                    "found {other}, expected a position on issue `{}`: a number from {} to {}, in the issue's units",
                    issue.id,
                    detente_core::format_real(lo),
                    detente_core::format_real(hi)
                ),
            )
        }
    }
}

fn outcome_of(space: &OutcomeSpace, path: &Path, map: &IdMap<Scalar>) -> R<Outcome> {
    let mut values: Vec<Option<Value>> = vec![None; space.issues().len()];
    for (k, s) in &map.0 {
        let (i, issue) = issue_of(space, path.key(k).the_key(), k)?;
        values[i] = Some(value_of(issue, path.key(k), s)?);
    }
    let missing: Vec<&str> = values.iter().zip(space.issues()).filter(|(v, _)| v.is_none()).map(|(_, i)| i.id.as_str()).collect();
    if !missing.is_empty() {
        return err(path.clone(), format!("the outcome is partial: no value for {}; every issue needs a value", missing.join(", ")));
    }
    Ok(Outcome(values.into_iter().map(|v| v.expect("invariant: checked above")).collect()))
}

fn reservation_of(space: &OutcomeSpace, path: &Path, r: &ReservationDto) -> R<Reservation> {
    match r {
        ReservationDto::None => Ok(Reservation::None),
        ReservationDto::Value(v) => Ok(Reservation::Value(*v)),
        ReservationDto::Outcome(map) => Ok(Reservation::Outcome(outcome_of(space, path, map)?)),
    }
}

/// A negotiator spec (`boulware`, `timebased(exponent=2)`), checked where it is written.
fn strategy_of(path: &Path, text: &str) -> R<NegotiatorSpec> {
    NegotiatorSpec::parse(text).map_err(|e| PathError { path: path.clone(), message: format!("strategy `{text}`: {e}") })
}

fn role_of(r: RoleDto) -> Role {
    match r {
        RoleDto::Party => Role::Party,
        RoleDto::Mediator => Role::Mediator,
        RoleDto::Observer => Role::Observer,
    }
}

fn rule_of(r: RuleDto) -> MediatorRule {
    match r {
        RuleDto::Biased => MediatorRule::Biased,
        RuleDto::Neutral => MediatorRule::Neutral,
        RuleDto::Welfare => MediatorRule::Welfare,
    }
}

/// An issue as the file states it; its rules (ids, ranges, scales) are the model's
/// ([`Issue::validate`], checked by the caller).
fn issue_from(dto: &IssueDto, path: &Path) -> R<Issue> {
    let kind_name = match dto.kind {
        KindDto::Categorical => "categorical",
        KindDto::Ordinal => "ordinal",
        KindDto::Integer => "integer",
        KindDto::Real => "real",
    };
    let not_for = |field: &str, present: bool| -> R<()> {
        if present {
            err(path.key(field).the_key(), format!("`{field}` does not apply to a {kind_name} issue"))
        } else {
            Ok(())
        }
    };
    let scale = |default: (f64, f64)| -> (f64, f64) { dto.scale.map_or(default, |[a, b]| (a, b)) };
    let kind = match dto.kind {
        KindDto::Categorical | KindDto::Ordinal => {
            for (f, p) in
                [("min", dto.min.is_some()), ("max", dto.max.is_some()), ("step", dto.step.is_some()), ("grid", dto.grid.is_some())]
            {
                not_for(f, p)?;
            }
            not_for("scale", dto.scale.is_some())?;
            let Some(opts) = &dto.options else {
                return err(path.clone(), format!("missing field `options` of {kind_name} issue `{}`", dto.id));
            };
            let options: Vec<IssueOption> =
                opts.iter().map(|o| IssueOption { id: o.id.clone(), label: o.label.clone(), scale: o.scale }).collect();
            if dto.kind == KindDto::Categorical {
                IssueKind::Categorical { options }
            } else {
                IssueKind::Ordinal { options }
            }
        }
        KindDto::Integer => {
            not_for("options", dto.options.is_some())?;
            not_for("grid", dto.grid.is_some())?;
            let int = |field: &str, v: Option<Num>| -> R<i64> {
                match v {
                    Some(Num::Int(v)) => Ok(v),
                    Some(Num::Float(x)) => err(path.key(field), format!("found {x}, expected an integer `{field}`")),
                    None => err(path.clone(), format!("missing field `{field}` of integer issue `{}`", dto.id)),
                }
            };
            let (min, max) = (int("min", dto.min)?, int("max", dto.max)?);
            IssueKind::Integer { min, max, step: dto.step.unwrap_or(1), scale: scale((0.0, 100.0)) }
        }
        KindDto::Real => {
            not_for("options", dto.options.is_some())?;
            not_for("step", dto.step.is_some())?;
            let num = |field: &str, v: Option<Num>| -> R<f64> {
                match v {
                    Some(Num::Int(v)) => Ok(v as f64),
                    Some(Num::Float(x)) => Ok(x),
                    None => err(path.clone(), format!("missing field `{field}` of real issue `{}`", dto.id)),
                }
            };
            let (min, max) = (num("min", dto.min)?, num("max", dto.max)?);
            IssueKind::Real { min, max, grid: dto.grid, scale: scale((0.0, 100.0)) }
        }
    };
    Ok(Issue { id: dto.id.clone(), name: dto.name.clone(), description: join_source(dto.description.clone(), dto.source.clone()), kind })
}

fn spatial_from(space: &OutcomeSpace, path: &Path, p: &PreferencesDto) -> R<Spatial> {
    let Some(positions) = &p.positions else {
        return err(path.clone(), "missing field `positions` of spatial preferences: expected `positions.<issue> = { ideal, salience }`");
    };
    let mut out: Vec<Option<Position>> = vec![None; space.issues().len()];
    let pp = path.key("positions");
    for (k, pos) in &positions.0 {
        let (i, issue) = issue_of(space, pp.key(k).the_key(), k)?;
        let ideal = ideal_of(issue, pp.key(k).key("ideal"), &pos.ideal)?;
        out[i] = Some(Position::new(ideal, pos.salience));
    }
    let loss = match p.loss {
        None | Some(LossDto::Linear) => Loss::Linear,
        Some(LossDto::Quadratic) => Loss::Quadratic,
    };
    Ok(Spatial { positions: out, loss })
}

fn numeric_fn(issue: &Issue, path: &Path, t: &IdMap<Scalar>) -> R<ValueFunction> {
    let get = |k: &str| t.0.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let num = |k: &str, default: Option<f64>| -> R<f64> {
        match get(k) {
            Some(s) => match s.as_number() {
                Some(x) => Ok(x),
                _ => err(path.key(k), format!("found {s}, expected a number for `{k}`")),
            },
            None => {
                default.map_or_else(|| err(path.clone(), format!("missing field `{k}` in the value function of issue `{}`", issue.id)), Ok)
            }
        }
    };
    let shape = match get("type") {
        None => "affine",
        Some(Scalar::Str(s)) if matches!(s.as_str(), "affine" | "interpolate" | "triangular") => s.as_str(),
        Some(other) => {
            return err(path.key("type"), format!("found {other}, expected one of `affine`, `interpolate`, `triangular`"));
        }
    };
    let allowed: &[&str] = match shape {
        "affine" => &["type", "slope", "offset", "origin", "clamp"],
        "interpolate" => &["type", "low_value", "low_utility", "high_value", "high_utility"],
        _ => &["type", "lower", "upper", "top", "height"],
    };
    if let Some((k, _)) = t.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return err(
            path.key(k).the_key(),
            format!(
                "unknown key `{k}` in the {shape} value function of numeric issue `{}`; expected: {}",
                issue.id,
                allowed[1..].join(", ")
            ),
        );
    }
    Ok(match shape {
        "affine" => {
            let clamp01 = match get("clamp") {
                None => false,
                Some(Scalar::Bool(b)) => *b,
                Some(other) => return err(path.key("clamp"), format!("found {other}, expected true or false")),
            };
            ValueFunction::Affine {
                slope: num("slope", None)?,
                offset: num("offset", Some(0.0))?,
                origin: num("origin", Some(0.0))?,
                clamp01,
            }
        }
        "interpolate" => ValueFunction::Interpolate {
            low_value: num("low_value", None)?,
            low_utility: num("low_utility", None)?,
            high_value: num("high_value", None)?,
            high_utility: num("high_utility", None)?,
        },
        _ => ValueFunction::Triangular {
            lower: num("lower", None)?,
            upper: num("upper", None)?,
            top: num("top", None)?,
            height: num("height", Some(1.0))?,
        },
    })
}

fn value_fn(issue: &Issue, path: &Path, spec: &ValueSpec) -> R<ValueFunction> {
    match spec {
        ValueSpec::Array(xs) => Ok(ValueFunction::Table(xs.clone())),
        ValueSpec::Table(t) => match issue.options() {
            Some(options) => {
                let mut table = vec![f64::NAN; options.len()];
                let lookup = issue.option_lookup();
                for (k, s) in &t.0 {
                    let Some(&i) = lookup.get(k.as_str()) else {
                        return err(
                            path.key(k).the_key(),
                            format!("unknown option `{k}` of issue `{}`; expected one of: {}", issue.id, option_ids(issue)),
                        );
                    };
                    match s.as_number() {
                        Some(x) => table[i as usize] = x,
                        _ => return err(path.key(k), format!("found {s}, expected a number")),
                    }
                }
                if let Some(i) = table.iter().position(|x| x.is_nan()) {
                    return err(
                        path.clone(),
                        format!(
                            "the value table of issue `{}` has no value for option `{}`; every option needs one",
                            issue.id, options[i].id
                        ),
                    );
                }
                Ok(ValueFunction::Table(table))
            }
            None => numeric_fn(issue, path, t),
        },
    }
}

fn linear_from(space: &OutcomeSpace, path: &Path, p: &PreferencesDto) -> R<LinearAdditive> {
    let n = space.issues().len();
    let mut weights: Vec<Option<f64>> = vec![None; n];
    let mut values: Vec<Option<ValueFunction>> = vec![None; n];
    let wp = path.key("weights");
    for (k, w) in p.weights.as_ref().map_or(&[][..], |m| &m.0[..]) {
        let (i, _) = issue_of(space, wp.key(k).the_key(), k)?;
        weights[i] = Some(*w);
    }
    let vp = path.key("values");
    for (k, spec) in p.values.as_ref().map_or(&[][..], |m| &m.0[..]) {
        let (i, issue) = issue_of(space, vp.key(k).the_key(), k)?;
        if weights[i].is_none() {
            return err(vp.key(k).the_key(), format!("issue `{k}` has a value function but no weight: add `weights.{k}`"));
        }
        values[i] = Some(value_fn(issue, &vp.key(k), spec)?);
    }
    let mut vf = Vec::with_capacity(n);
    for (i, issue) in space.issues().iter().enumerate() {
        match (weights[i], values[i].take()) {
            (Some(_), Some(f)) => vf.push(f),
            (None, None) => vf.push(match issue.cardinality() {
                Some(k) if issue.options().is_some() => ValueFunction::Table(vec![0.0; k as usize]),
                _ => ValueFunction::Affine { slope: 0.0, offset: 0.0, origin: 0.0, clamp01: false },
            }),
            _ => {
                return err(
                    wp.key(&issue.id).the_key(),
                    format!("issue `{}` has a weight but no value function: add `values.{}`", issue.id, issue.id),
                );
            }
        }
    }
    let clamp = p.clamp.as_ref().map(|c| (c.min.unwrap_or(f64::NEG_INFINITY), c.max.unwrap_or(f64::INFINITY)));
    let bias = p.bias.unwrap_or(0.0);
    Ok(LinearAdditive { bias, weights: weights.into_iter().map(|w| w.unwrap_or(0.0)).collect(), values: vf, clamp })
}

fn table_from(space: &OutcomeSpace, path: &Path, p: &PreferencesDto) -> R<TableUtility> {
    let default = p.default.unwrap_or(0.0);
    if !default.is_finite() {
        return err(path.key("default"), format!("default {default} is not a finite number"));
    }
    let mut entries: Vec<(u64, f64, usize)> = Vec::new();
    for (j, row) in p.rows.as_ref().map_or(&[][..], |r| &r[..]).iter().enumerate() {
        let rp = path.key("rows").index(j);
        let o = outcome_of(space, &rp.key("outcome"), &row.outcome)?;
        let Some(index) = space.index_of(&o) else {
            return err(
                rp.key("outcome"),
                "this outcome has no index: a real value off its issue's grid, or a space too large or continuous for an outcome table",
            );
        };
        if !row.utility.is_finite() {
            return err(rp.key("utility"), format!("utility {} is not a finite number", row.utility));
        }
        if let Some((_, _, first)) = entries.iter().find(|e| e.0 == index) {
            return err(rp.key("outcome"), format!("this outcome is already listed in row {}", first + 1));
        }
        entries.push((index, row.utility, j));
    }
    entries.sort_by_key(|e| e.0);
    Ok(TableUtility { entries: entries.into_iter().map(|(i, u, _)| (i, u)).collect(), default })
}

fn preferences_from(space: &OutcomeSpace, path: &Path, a: &ActorDto) -> R<Preferences> {
    let pp = path.key("preferences");
    let p = &a.preferences;
    let (name, allowed): (&str, &[&str]) = match p.kind {
        PrefKind::Spatial => ("spatial", &["loss", "positions"]),
        PrefKind::Linear => ("linear", &["bias", "weights", "values", "clamp"]),
        PrefKind::Table => ("table", &["rows", "default"]),
    };
    let present = [
        ("loss", p.loss.is_some()),
        ("positions", p.positions.is_some()),
        ("bias", p.bias.is_some()),
        ("weights", p.weights.is_some()),
        ("values", p.values.is_some()),
        ("clamp", p.clamp.is_some()),
        ("rows", p.rows.is_some()),
        ("default", p.default.is_some()),
    ];
    if let Some((f, _)) = present.iter().find(|(f, on)| *on && !allowed.contains(f)) {
        return err(pp.key(f).the_key(), format!("`{f}` does not apply to {name} preferences, which take: {}", allowed.join(", ")));
    }
    let utility = match p.kind {
        PrefKind::Spatial => Utility::Spatial(spatial_from(space, &pp, p)?),
        PrefKind::Linear => Utility::LinearAdditive(linear_from(space, &pp, p)?),
        PrefKind::Table => Utility::Table(table_from(space, &pp, p)?),
    };
    let discount = match &a.discount {
        None => Discount::None,
        Some(d) => match d.kind {
            DiscountKind::Time => Discount::Time { factor: d.factor },
            DiscountKind::Round => Discount::PerRound { factor: d.factor },
        },
    };
    let reservation = match &a.reservation {
        None => Reservation::None,
        Some(r) => reservation_of(space, &path.key("reservation"), r)?,
    };
    Ok(Preferences { utility, discount, reservation })
}

/// An actor as the file states it (ids of issues and options resolved); its rules are the
/// model's.
fn actor_from(space: &OutcomeSpace, path: &Path, a: &ActorDto) -> R<Actor> {
    let role = a.role.map_or(Role::Party, role_of);
    Ok(Actor {
        id: a.id.clone(),
        name: a.name.clone(),
        role,
        required: a.required.unwrap_or(role == Role::Party),
        capability: a.capability.unwrap_or(1.0),
        capability_spread: None,
        preferences: preferences_from(space, path, a)?,
        red_lines: match &a.red_lines {
            Some(lines) => red_lines_of(space, &path.key("red_lines"), lines)?,
            None => Vec::new(),
        },
        strategy: a.strategy.as_deref().map(|text| strategy_of(&path.key("strategy"), text)).transpose()?,
        description: join_source(a.description.clone(), a.source.clone()),
    })
}

/// An actor's red lines: each entry a table of `issue = condition` plus an optional `source`.
fn red_lines_of(space: &OutcomeSpace, path: &Path, lines: &[IdMap<TermDto>]) -> R<Vec<RedLine>> {
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let lp = path.index(i);
        let mut terms: Vec<(String, Condition)> = Vec::new();
        let mut description = None;
        for (k, t) in &line.0 {
            if k == "source" {
                match t {
                    TermDto::One(Scalar::Str(s)) => description = Some(s.clone()),
                    _ => return err(lp.key(k), "found a value that is not a string, expected a `source` citation"),
                }
                continue;
            }
            let (_, issue) = issue_of(space, lp.key(k).the_key(), k)?;
            let c = match t {
                TermDto::One(v) => Condition::OneOf(vec![value_of(issue, lp.key(k), v)?]),
                TermDto::Many(vs) => {
                    Condition::OneOf(vs.iter().enumerate().map(|(j, v)| value_of(issue, lp.key(k).index(j), v)).collect::<R<Vec<_>>>()?)
                }
                TermDto::Range { min, max } => Condition::Range { min: *min, max: *max },
            };
            terms.push((k.clone(), c));
        }
        out.push(RedLine { terms, description });
    }
    Ok(out)
}

fn opening_from(s: &ScenarioDraft, path: &Path, actor: &str, issue: &str, value: &Scalar) -> R<Opening> {
    actor_of(&s.actors, path.key("actor"), actor)?;
    let (_, iss) = issue_of(&s.space, path.key("issue"), issue)?;
    let value = value_of(iss, path.key("value"), value)?;
    Ok(Opening { actor: actor.to_string(), issue: issue.to_string(), value })
}

fn patch_from(s: &ScenarioDraft, path: &Path, p: &PatchDto) -> R<Patch> {
    let (name, fields): (&str, &[&str]) = match p.kind {
        PatchKind::Role => ("role", &["actor", "role"]),
        PatchKind::Required => ("required", &["actor", "required"]),
        PatchKind::Reservation => ("reservation", &["actor", "reservation"]),
        PatchKind::Position => ("position", &["actor", "issue", "ideal", "salience"]),
        PatchKind::Capability => ("capability", &["actor", "capability"]),
        PatchKind::Strategy => ("strategy", &["actor", "strategy"]),
        PatchKind::MediatorRule => ("mediator_rule", &["rule"]),
        PatchKind::Opening => ("opening", &["actor", "issue", "value"]),
        PatchKind::RedLines => ("red_lines", &["actor", "red_lines"]),
        PatchKind::ExcludeOptions => ("exclude_options", &["issue", "options"]),
    };
    let present = [
        ("actor", p.actor.is_some()),
        ("role", p.role.is_some()),
        ("required", p.required.is_some()),
        ("reservation", p.reservation.is_some()),
        ("issue", p.issue.is_some()),
        ("ideal", p.ideal.is_some()),
        ("salience", p.salience.is_some()),
        ("capability", p.capability.is_some()),
        ("strategy", p.strategy.is_some()),
        ("rule", p.rule.is_some()),
        ("value", p.value.is_some()),
        ("options", p.options.is_some()),
        ("red_lines", p.red_lines.is_some()),
    ];
    if let Some((f, _)) = present.iter().find(|(f, on)| *on && !fields.contains(f)) {
        return err(path.key(f).the_key(), format!("`{f}` does not apply to a `{name}` patch, which takes: {}", fields.join(", ")));
    }
    let optional: &[&str] = if p.kind == PatchKind::Position { &["ideal", "salience"] } else { &[] };
    if let Some(f) = fields.iter().find(|f| !optional.contains(f) && !present.iter().any(|(g, on)| g == *f && *on)) {
        return err(path.clone(), format!("missing field `{f}` of a `{name}` patch, which takes: {}", fields.join(", ")));
    }
    let actor = || -> R<String> {
        let a = p.actor.clone().expect("invariant: required field checked");
        actor_of(&s.actors, path.key("actor"), &a)?;
        Ok(a)
    };
    let issue = || -> R<(usize, &Issue)> { issue_of(&s.space, path.key("issue"), p.issue.as_deref().expect("invariant: checked")) };
    Ok(match p.kind {
        PatchKind::Role => Patch::Role { actor: actor()?, role: role_of(p.role.expect("invariant: checked")) },
        PatchKind::Required => Patch::Required { actor: actor()?, required: p.required.expect("invariant: checked") },
        PatchKind::Reservation => {
            let actor = actor()?;
            let r = reservation_of(&s.space, &path.key("reservation"), p.reservation.as_ref().expect("invariant: checked"))?;
            Patch::Reservation { actor, reservation: r }
        }
        PatchKind::Position => {
            let actor = actor()?;
            let (_, iss) = issue()?;
            let ideal = p.ideal.as_ref().map(|x| ideal_of(iss, path.key("ideal"), x)).transpose()?;
            Patch::Position { actor, issue: iss.id.clone(), ideal, salience: p.salience }
        }
        PatchKind::Capability => Patch::Capability { actor: actor()?, capability: p.capability.expect("invariant: checked") },
        PatchKind::Strategy => Patch::Strategy {
            actor: actor()?,
            strategy: strategy_of(&path.key("strategy"), p.strategy.as_deref().expect("invariant: checked"))?,
        },
        PatchKind::MediatorRule => Patch::MediatorRule(rule_of(p.rule.expect("invariant: checked"))),
        PatchKind::Opening => Patch::Opening(opening_from(
            s,
            path,
            p.actor.as_deref().expect("invariant: checked"),
            p.issue.as_deref().expect("invariant: checked"),
            p.value.as_ref().expect("invariant: checked"),
        )?),
        PatchKind::RedLines => Patch::RedLines {
            actor: actor()?,
            red_lines: red_lines_of(&s.space, &path.key("red_lines"), p.red_lines.as_deref().expect("invariant: checked"))?,
        },
        PatchKind::ExcludeOptions => {
            let (_, iss) = issue()?;
            Patch::ExcludeOptions { issue: iss.id.clone(), options: p.options.clone().expect("invariant: checked") }
        }
    })
}

/// Where in the file a model error points: the model path turned into the file's keys
/// (`actor russia › preferences › reservation` is `actors[2].reservation`). Where the file
/// has no such key (a default, or a change a variant made), the caller falls back to the
/// nearest enclosing key that exists.
pub(crate) fn file_path(f: &FileDto, e: &ModelError) -> Path {
    let duplicate = matches!(e.kind, ErrorKind::Duplicate { .. });
    // Of two elements with one id, a duplicate is reported at the later one.
    let find = |ids: Vec<&str>, id: &str| {
        let mut hits = ids.iter().enumerate().filter(|(_, x)| **x == id).map(|(i, _)| i);
        let first = hits.next();
        if duplicate {
            hits.next().or(first)
        } else {
            first
        }
    };
    let mut path = Path::root();
    let mut steps = e.path.steps().iter().peekable();
    while let Some(step) = steps.next() {
        match step {
            Step::Issue(id) => match find(f.issues.iter().map(|i| i.id.as_str()).collect(), id) {
                Some(i) => path = path.key("issues").index(i),
                None => return path,
            },
            Step::Actor(id) => match find(f.actors.iter().map(|a| a.id.as_str()).collect(), id) {
                Some(i) => {
                    path = path.key("actors").index(i);
                    // Reservation and discount sit on the actor in the file, in its preferences
                    // in the model.
                    if steps.peek() == Some(&&Step::Field("preferences")) {
                        steps.next();
                        match steps.peek() {
                            Some(Step::Field("reservation")) => {}
                            Some(Step::Field("discount")) => {
                                steps.next();
                                return path.key("discount").key("factor");
                            }
                            _ => path = path.key("preferences"),
                        }
                    }
                }
                None => return path,
            },
            Step::Variant(id) => match find(f.variants.iter().map(|v| v.id.as_str()).collect(), id) {
                Some(i) => {
                    path = path.key("variants").index(i);
                    // What a variant's patches produce has no place in the file but the
                    // variant, or the patch that failed to apply.
                    match steps.peek() {
                        Some(Step::Patch(_) | Step::Field("id")) => {}
                        _ => return path,
                    }
                }
                None => return path,
            },
            Step::Patch(j) => {
                path = path.key("patches").index(*j);
                // Inside a patch only its own fields have a place in the file: the actor or
                // issue it names is a field of the patch, not the element of the base.
                for step in steps.by_ref() {
                    match step {
                        Step::Field(name) => path = path.key(name),
                        Step::Index(j) => path = path.index(*j),
                        Step::Key(k) => path = path.key(k),
                        Step::Issue(_) | Step::Actor(_) | Step::Variant(_) | Step::Patch(_) => {}
                    }
                }
            }
            Step::Index(j) => path = path.index(*j),
            Step::Field("capability_spread") => return path.key("capability"),
            Step::Field(name) => path = path.key(name),
            Step::Key(k) => path = path.key(k),
        }
    }
    path
}

/// Builds the scenario the file describes, with every id resolved, and reports every error
/// of this step in file order: a file that names an unknown issue, option or actor, or holds a
/// value of the wrong kind. The model's own rules are checked by the caller on the draft
/// ([`ScenarioDraft::validate`]); issues are checked here already, since everything else
/// reads them.
pub(crate) fn scenario_from(f: &FileDto) -> Result<ScenarioDraft, Vec<PathError>> {
    let root = Path::root();
    let mut errors: Vec<PathError> = Vec::new();
    let mut issues: Vec<Issue> = Vec::new();
    for (i, dto) in f.issues.iter().enumerate() {
        match issue_from(dto, &root.key("issues").index(i)) {
            Ok(issue) => issues.push(issue),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The issues' own rules (the model's), before anything reads them.
    for (i, issue) in issues.iter().enumerate() {
        if let Err(model) = issue.validate() {
            let ip = root.key("issues").index(i);
            for e in model {
                let path = file_path(f, &e);
                errors.push(PathError { path: if path == Path::root() { ip.clone() } else { path }, message: e.to_string() });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let space = OutcomeSpace::new(issues);
    let mut actors: Vec<Actor> = Vec::new();
    for (i, a) in f.actors.iter().enumerate() {
        match actor_from(&space, &root.key("actors").index(i), a) {
            Ok(actor) => actors.push(actor),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let pd = f.protocol.as_ref();
    let pp = root.key("protocol");
    let protocol = ProtocolDefaults {
        protocol: match pd.and_then(|p| p.protocol.as_deref()) {
            None => None,
            Some(name) => match ProtocolName::parse(name) {
                Some(p) => Some(p),
                None => {
                    errors.push(PathError {
                        path: pp.key("protocol"),
                        message: format!("unknown protocol `{name}`; expected one of: {}", ProtocolName::names()),
                    });
                    None
                }
            },
        },
        rounds: pd.and_then(|p| p.rounds),
        mediator: pd.and_then(|p| p.mediator.clone()),
        mediator_rule: pd.and_then(|p| p.mediator_rule).map(rule_of),
        opening_text: match pd.and_then(|p| p.opening_text.as_ref()) {
            None => None,
            Some(map) => match outcome_of(&space, &pp.key("opening_text"), map) {
                Ok(o) => Some(o),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        },
    };
    let mut s = ScenarioDraft {
        meta: Metadata {
            id: f.id.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            assumptions: f.assumptions.clone(),
            sources: f
                .sources
                .iter()
                .map(|s| Source { id: s.id.clone(), title: s.title.clone(), location: s.location.clone(), note: s.note.clone() })
                .collect(),
            read_with: None,
        },
        space,
        actors,
        protocol,
        salience: match f.salience {
            None | Some(SalienceDto::Intensities) => SalienceConvention::Intensities,
            Some(SalienceDto::AttentionShares) => SalienceConvention::AttentionShares,
        },
        openings: Vec::new(),
        variants: Vec::new(),
    };
    for (i, o) in f.openings.iter().enumerate() {
        match opening_from(&s, &root.key("openings").index(i), &o.actor, &o.issue, &o.value) {
            Ok(op) => s.openings.push(op),
            Err(e) => errors.push(e),
        }
    }
    // Each variant's patches are read against the scenario as the earlier patches left it
    // (an option a patch excluded is gone for the next one). A patch that does not apply stops
    // its variant; the other variants go on.
    for (i, v) in f.variants.iter().enumerate() {
        let vp = root.key("variants").index(i);
        let mut cur = s.clone();
        let mut patches = Vec::new();
        for (j, p) in v.patches.iter().enumerate() {
            let pp = vp.key("patches").index(j);
            let patch = match patch_from(&cur, &pp, p) {
                Ok(patch) => patch,
                Err(e) => {
                    errors.push(e);
                    break;
                }
            };
            if let Err(e) = cur.apply(&patch) {
                let e = e.within(Step::Patch(j)).within(Step::Variant(v.id.clone()));
                errors.push(PathError { path: file_path(f, &e), message: e.to_string() });
                break;
            }
            patches.push(patch);
        }
        s.variants.push(Variant {
            id: v.id.clone(),
            title: v.title.clone(),
            description: join_source(v.description.clone(), v.source.clone()),
            patches,
        });
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}
