//! From the parsed file to the model: ids resolved, ranges checked, every error tied to the
//! path of the offending key or value (turned into file:line:column by the caller).

use super::dto::*;
use super::spans::Path;
use detente_core::{
    is_identifier, Actor, Condition, Discount, Issue, IssueKind, IssueOption, LinearAdditive, Loss, MediatorRule, Metadata, ModelError,
    Opening, Outcome, OutcomeSpace, Patch, Position, Preferences, ProtocolDefaults, RedLine, Reservation, Role, Scenario, Source, Spatial,
    TableUtility, Utility, Value, ValueFunction, Variant,
};

/// A semantic error before it has a line and column.
#[derive(Debug)]
pub(crate) struct PathError {
    pub(crate) path: Path,
    pub(crate) message: String,
}

type R<T> = Result<T, PathError>;

fn at(path: Path, message: impl Into<String>) -> ReadError {
    ReadError::At(PathError { path, message: message.into() })
}

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

fn check_id(path: Path, what: &str, id: &str) -> R<()> {
    if is_identifier(id) {
        Ok(())
    } else {
        err(
            path,
            format!("{what} id `{id}` is not valid: expected a non-empty name without `=`, `,` or line breaks, and no surrounding spaces"),
        )
    }
}

fn in_range(path: Path, what: &str, x: f64, lo: f64, hi: f64) -> R<()> {
    if x.is_finite() && x >= lo && x <= hi {
        Ok(())
    } else {
        err(path, format!("{what} {x} is out of range: expected a number in [{lo}, {hi}]"))
    }
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
        (_, Scalar::Int(_) | Scalar::Float(_)) => {
            let x = s.as_number().expect("invariant: numeric scalar");
            in_range(path, &format!("position on issue `{}`", issue.id), x, 0.0, 100.0)?;
            Ok(x)
        }
        (_, other) => err(path, format!("found {other}, expected a position on the 0–100 scale of issue `{}`", issue.id)),
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
        ReservationDto::Value(v) => {
            if !v.is_finite() {
                return err(path.clone(), format!("reservation value {v} is not a finite number"));
            }
            Ok(Reservation::Value(*v))
        }
        ReservationDto::Outcome(map) => Ok(Reservation::Outcome(outcome_of(space, path, map)?)),
    }
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

fn issue_from(dto: &IssueDto, path: &Path, earlier: &[Issue]) -> R<Issue> {
    check_id(path.key("id"), "issue", &dto.id)?;
    if earlier.iter().any(|i| i.id == dto.id) {
        return err(path.key("id"), format!("duplicate issue id `{}`: issue ids must be unique", dto.id));
    }
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
    let scale = |default: (f64, f64)| -> R<(f64, f64)> {
        match dto.scale {
            None => Ok(default),
            Some([a, b]) => {
                in_range(path.key("scale"), "scale position", a, 0.0, 100.0)?;
                in_range(path.key("scale"), "scale position", b, 0.0, 100.0)?;
                Ok((a, b))
            }
        }
    };
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
            if opts.is_empty() {
                return err(path.key("options"), format!("issue `{}` has no options; expected at least one", dto.id));
            }
            let mut options: Vec<IssueOption> = Vec::new();
            for (j, o) in opts.iter().enumerate() {
                let op = path.key("options").index(j);
                let idp = if o.bare { op.clone() } else { op.key("id") };
                check_id(idp.clone(), "option", &o.id)?;
                if options.iter().any(|p| p.id == o.id) {
                    return err(idp, format!("duplicate option id `{}` in issue `{}`", o.id, dto.id));
                }
                if let Some(s) = o.scale {
                    in_range(op.key("scale"), &format!("scale of option `{}`", o.id), s, 0.0, 100.0)?;
                } else if dto.kind == KindDto::Ordinal {
                    return err(
                        op,
                        format!("option `{}` of ordinal issue `{}` has no `scale`: expected a position on 0–100", o.id, dto.id),
                    );
                }
                options.push(IssueOption { id: o.id.clone(), label: o.label.clone(), scale: o.scale });
            }
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
            let step = dto.step.unwrap_or(1);
            if step < 1 {
                return err(path.key("step"), format!("step {step} is out of range: expected an integer ≥ 1"));
            }
            if max < min {
                return err(path.key("max"), format!("max {max} is below min {min}"));
            }
            IssueKind::Integer { min, max, step, scale: scale((0.0, 100.0))? }
        }
        KindDto::Real => {
            not_for("options", dto.options.is_some())?;
            not_for("step", dto.step.is_some())?;
            let num = |field: &str, v: Option<Num>| -> R<f64> {
                match v {
                    Some(Num::Int(v)) => Ok(v as f64),
                    Some(Num::Float(x)) if x.is_finite() => Ok(x),
                    Some(Num::Float(x)) => err(path.key(field), format!("found {x}, expected a finite number")),
                    None => err(path.clone(), format!("missing field `{field}` of real issue `{}`", dto.id)),
                }
            };
            let (min, max) = (num("min", dto.min)?, num("max", dto.max)?);
            if max < min {
                return err(path.key("max"), format!("max {max} is below min {min}"));
            }
            if let Some(g) = dto.grid {
                if g < 2 {
                    return err(path.key("grid"), format!("grid {g} is out of range: expected at least 2 points"));
                }
            }
            IssueKind::Real { min, max, grid: dto.grid, scale: scale((0.0, 100.0))? }
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
        in_range(pp.key(k).key("salience"), &format!("salience on issue `{k}`"), pos.salience, 0.0, 1.0)?;
        out[i] = Some(Position::new(ideal, pos.salience));
    }
    if out.iter().flatten().map(|p| p.salience).sum::<f64>() <= 0.0 {
        return err(pp, "the total salience is zero: at least one issue must matter (salience > 0)");
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
                Some(x) if x.is_finite() => Ok(x),
                _ => err(path.key(k), format!("found {s}, expected a finite number for `{k}`")),
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
        ValueSpec::Array(xs) => {
            let k = issue.cardinality();
            if k != Some(xs.len() as u64) {
                let expected =
                    k.map_or_else(|| "a function, as the issue is continuous".to_string(), |k| format!("{k} entries, one per value"));
                return err(path.clone(), format!("value table of issue `{}` has {} entries, expected {expected}", issue.id, xs.len()));
            }
            if let Some(j) = xs.iter().position(|x| !x.is_finite()) {
                return err(path.index(j), format!("value {} is not a finite number", xs[j]));
            }
            Ok(ValueFunction::Table(xs.clone()))
        }
        ValueSpec::Table(t) => match issue.options() {
            Some(options) => {
                let mut table = vec![f64::NAN; options.len()];
                for (k, s) in &t.0 {
                    let Some(i) = issue.option_index(k) else {
                        return err(
                            path.key(k).the_key(),
                            format!("unknown option `{k}` of issue `{}`; expected one of: {}", issue.id, option_ids(issue)),
                        );
                    };
                    match s.as_number() {
                        Some(x) if x.is_finite() => table[i as usize] = x,
                        _ => return err(path.key(k), format!("found {s}, expected a finite number")),
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
        if !w.is_finite() || *w < 0.0 {
            return err(wp.key(k), format!("weight {w} on issue `{k}` is out of range: expected a finite number ≥ 0"));
        }
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
    if let Some((lo, hi)) = clamp {
        if lo.is_nan() || hi.is_nan() || lo > hi {
            return err(path.key("clamp"), format!("clamp [{lo}, {hi}] is not an interval with min ≤ max"));
        }
    }
    let bias = p.bias.unwrap_or(0.0);
    if !bias.is_finite() {
        return err(path.key("bias"), format!("bias {bias} is not a finite number"));
    }
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
        Some(d) => {
            if !(d.factor > 0.0 && d.factor <= 1.0) {
                return err(
                    path.key("discount").key("factor"),
                    format!("discount factor {} is out of range: expected a number in (0, 1]", d.factor),
                );
            }
            match d.kind {
                DiscountKind::Time => Discount::Time { factor: d.factor },
                DiscountKind::Round => Discount::PerRound { factor: d.factor },
            }
        }
    };
    let reservation = match &a.reservation {
        None => Reservation::None,
        Some(r) => reservation_of(space, &path.key("reservation"), r)?,
    };
    Ok(Preferences { utility, discount, reservation })
}

fn actor_from(space: &OutcomeSpace, path: &Path, a: &ActorDto, earlier: &[Actor]) -> R<Actor> {
    check_id(path.key("id"), "actor", &a.id)?;
    if earlier.iter().any(|b| b.id == a.id) {
        return err(path.key("id"), format!("duplicate actor id `{}`: actor ids must be unique", a.id));
    }
    let role = a.role.map_or(Role::Party, role_of);
    let capability = a.capability.unwrap_or(1.0);
    if !capability.is_finite() || capability < 0.0 {
        return err(path.key("capability"), format!("capability {capability} is out of range: expected a finite number ≥ 0"));
    }
    Ok(Actor {
        id: a.id.clone(),
        name: a.name.clone(),
        role,
        required: a.required.unwrap_or(role == Role::Party),
        capability,
        capability_spread: None,
        preferences: preferences_from(space, path, a)?,
        red_lines: match &a.red_lines {
            Some(lines) => red_lines_of(space, &path.key("red_lines"), lines)?,
            None => Vec::new(),
        },
        strategy: a.strategy.clone(),
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
                    if vs.is_empty() {
                        return err(lp.key(k), format!("red line on `{k}` lists no value"));
                    }
                    Condition::OneOf(vs.iter().enumerate().map(|(j, v)| value_of(issue, lp.key(k).index(j), v)).collect::<R<Vec<_>>>()?)
                }
                TermDto::Range { min, max } => Condition::Range { min: *min, max: *max },
            };
            terms.push((k.clone(), c));
        }
        if terms.is_empty() {
            return err(lp, "a red line needs at least one `issue = value` condition, e.g. { nato = \"membership\" }");
        }
        let line = RedLine { terms, description };
        if let Err(reason) = line.check(space) {
            return err(lp, reason);
        }
        out.push(line);
    }
    Ok(out)
}

fn opening_from(s: &Scenario, path: &Path, actor: &str, issue: &str, value: &Scalar) -> R<Opening> {
    actor_of(&s.actors, path.key("actor"), actor)?;
    let (_, iss) = issue_of(&s.space, path.key("issue"), issue)?;
    let value = value_of(iss, path.key("value"), value)?;
    Ok(Opening { actor: actor.to_string(), issue: issue.to_string(), value })
}

fn patch_from(s: &Scenario, path: &Path, p: &PatchDto) -> R<Patch> {
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
            if let Some(sal) = p.salience {
                in_range(path.key("salience"), &format!("salience on issue `{}`", iss.id), sal, 0.0, 1.0)?;
            }
            Patch::Position { actor, issue: iss.id.clone(), ideal, salience: p.salience }
        }
        PatchKind::Capability => {
            let actor = actor()?;
            let c = p.capability.expect("invariant: checked");
            if !c.is_finite() || c < 0.0 {
                return err(path.key("capability"), format!("capability {c} is out of range: expected a finite number ≥ 0"));
            }
            Patch::Capability { actor, capability: c }
        }
        PatchKind::Strategy => Patch::Strategy { actor: actor()?, strategy: p.strategy.clone().expect("invariant: checked") },
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
            if iss.options().is_none() {
                return err(path.key("issue"), format!("issue `{}` has no named options to exclude", iss.id));
            }
            let opts = p.options.as_ref().expect("invariant: checked");
            for (j, o) in opts.iter().enumerate() {
                if iss.option_index(o).is_none() {
                    return err(
                        path.key("options").index(j),
                        format!("unknown option `{o}` of issue `{}`; expected one of: {}", iss.id, option_ids(iss)),
                    );
                }
            }
            Patch::ExcludeOptions { issue: iss.id.clone(), options: opts.clone() }
        }
    })
}

/// Where the model's own validation pointed, when it names an actor or issue.
fn model_error_path(s: &Scenario, e: &ModelError) -> Option<Path> {
    match e {
        ModelError::InvalidActor { actor, .. } => s.actor_index(actor).map(|i| Path::root().key("actors").index(i)),
        ModelError::InvalidIssue { issue, .. } | ModelError::BadValue { issue, .. } => {
            s.space.issue_index(issue).map(|i| Path::root().key("issues").index(i))
        }
        _ => None,
    }
}

/// What went wrong after parsing: located, or only the model's word.
#[derive(Debug)]
pub(crate) enum ReadError {
    At(PathError),
    Model(ModelError),
}

impl From<PathError> for ReadError {
    fn from(e: PathError) -> Self {
        ReadError::At(e)
    }
}

/// Builds and validates the scenario.
pub(crate) fn scenario_from(f: &FileDto) -> Result<Scenario, ReadError> {
    let root = Path::root();
    check_id(root.key("id"), "scenario", &f.id)?;
    let mut sources: Vec<Source> = Vec::new();
    for (i, s) in f.sources.iter().enumerate() {
        let p = root.key("sources").index(i);
        check_id(p.key("id"), "source", &s.id)?;
        if sources.iter().any(|t| t.id == s.id) {
            return Err(at(p.key("id"), format!("duplicate source id `{}`: source ids must be unique", s.id)));
        }
        sources.push(Source { id: s.id.clone(), title: s.title.clone(), location: s.location.clone(), note: s.note.clone() });
    }
    if f.issues.is_empty() {
        return Err(at(root.key("issues"), "the scenario has no issues; expected at least one"));
    }
    let mut issues: Vec<Issue> = Vec::new();
    for (i, dto) in f.issues.iter().enumerate() {
        let issue = issue_from(dto, &root.key("issues").index(i), &issues)?;
        issues.push(issue);
    }
    let space = OutcomeSpace::new(issues);
    if f.actors.is_empty() {
        return Err(at(root.key("actors"), "the scenario has no actors; expected at least one"));
    }
    let mut actors: Vec<Actor> = Vec::new();
    for (i, a) in f.actors.iter().enumerate() {
        let actor = actor_from(&space, &root.key("actors").index(i), a, &actors)?;
        actors.push(actor);
    }
    let pd = f.protocol.as_ref();
    let pp = root.key("protocol");
    let protocol = ProtocolDefaults {
        protocol: pd.and_then(|p| p.protocol.clone()),
        rounds: pd.and_then(|p| p.rounds),
        mediator: pd.and_then(|p| p.mediator.clone()),
        mediator_rule: pd.and_then(|p| p.mediator_rule).map(rule_of),
    };
    if protocol.rounds == Some(0) {
        return Err(at(pp.key("rounds"), "rounds 0 is out of range: expected at least 1"));
    }
    if let Some(m) = &protocol.mediator {
        let i = actor_of(&actors, pp.key("mediator"), m)?;
        if actors[i].role == Role::Observer {
            return Err(at(pp.key("mediator"), format!("actor `{m}` is named as mediator but is an observer")));
        }
    }
    let mut s = Scenario {
        meta: Metadata {
            id: f.id.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            assumptions: f.assumptions.clone(),
            sources,
        },
        space,
        actors,
        protocol,
        openings: Vec::new(),
        variants: Vec::new(),
    };
    for (i, o) in f.openings.iter().enumerate() {
        let op = opening_from(&s, &root.key("openings").index(i), &o.actor, &o.issue, &o.value)?;
        if s.openings.iter().any(|q| q.actor == op.actor && q.issue == op.issue) {
            return Err(at(root.key("openings").index(i), format!("actor `{}` already has an opening on issue `{}`", op.actor, op.issue)));
        }
        s.openings.push(op);
    }
    if let Err(e) = s.validate() {
        return Err(match model_error_path(&s, &e) {
            Some(path) => ReadError::At(PathError { path, message: e.to_string() }),
            None => ReadError::Model(e),
        });
    }
    let mut variants: Vec<Variant> = Vec::new();
    for (i, v) in f.variants.iter().enumerate() {
        let vp = root.key("variants").index(i);
        check_id(vp.key("id"), "variant", &v.id)?;
        if variants.iter().any(|w| w.id == v.id) {
            return Err(at(vp.key("id"), format!("duplicate variant id `{}`: variant ids must be unique", v.id)));
        }
        let mut cur = s.clone();
        let mut patches = Vec::new();
        for (j, p) in v.patches.iter().enumerate() {
            let pp = vp.key("patches").index(j);
            let patch = patch_from(&cur, &pp, p)?;
            cur.apply(&patch).map_err(|e| PathError { path: pp.clone(), message: format!("variant `{}`: {e}", v.id) })?;
            patches.push(patch);
        }
        cur.validate().map_err(|e| PathError { path: vp.clone(), message: format!("variant `{}`: {e}", v.id) })?;
        variants.push(Variant {
            id: v.id.clone(),
            title: v.title.clone(),
            description: join_source(v.description.clone(), v.source.clone()),
            patches,
        });
    }
    s.variants = variants;
    s.validate().map_err(ReadError::Model)?;
    Ok(s)
}
