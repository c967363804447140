//! Proptest strategies that generate only valid model objects (nalgebra's `proptest-support`
//! model): downstream property tests draw issues, spaces and scenarios from here.

use crate::{
    Actor, Discount, Issue, IssueKind, IssueOption, LinearAdditive, Loss, Metadata, NegotiatorKind, NegotiatorSpec, OutcomeSpace,
    ParamDomain, ParamSpec, ParamValue, Position, Preferences, ProtocolDefaults, Reservation, Scenario, ScenarioDraft, Spatial, Spread,
    Utility, ValueFunction,
};
use proptest::prelude::*;

/// A valid issue of any kind with at most `max_values` values.
pub fn issue(id: String, max_values: u32) -> impl Strategy<Value = Issue> {
    let max = max_values.max(2);
    prop_oneof![
        (1..=max).prop_map(|n| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>()).prop_map({
            let id = id.clone();
            move |opts| Issue {
                id: id.clone(),
                name: None,
                description: None,
                kind: IssueKind::Categorical { options: opts.into_iter().map(IssueOption::new).collect() },
            }
        }),
        (1..=max).prop_map({
            let id = id.clone();
            move |n| Issue {
                id: id.clone(),
                name: None,
                description: None,
                kind: IssueKind::Ordinal {
                    options: (0..n)
                        .map(|i| IssueOption::at(format!("o{i}"), if n == 1 { 50.0 } else { 100.0 * f64::from(i) / f64::from(n - 1) }))
                        .collect(),
                },
            }
        }),
        (-20i64..20, 1..=max as i64, 1i64..4).prop_map({
            let id = id.clone();
            move |(min, n, step)| Issue::integer(id.clone(), min, min + (n - 1) * step, step)
        }),
        (-10.0f64..10.0, 0.5f64..20.0, 2..=max).prop_map(move |(min, w, g)| Issue::real(id.clone(), min, min + w, Some(g))),
    ]
}

/// A space of 1..=`max_issues` issues with at most `max_values` values each.
pub fn space(max_issues: usize, max_values: u32) -> impl Strategy<Value = OutcomeSpace> {
    (1..=max_issues)
        .prop_flat_map(move |n| (0..n).map(|i| issue(format!("i{i}"), max_values)).collect::<Vec<_>>())
        .prop_map(OutcomeSpace::new)
}

/// Normalised linear additive preferences over `space`: weights sum to 1, every table and
/// numeric evaluator lies in [0, 1], clamped at 1 as GENIUS does.
pub fn linear_additive(space: &OutcomeSpace) -> impl Strategy<Value = LinearAdditive> {
    let per_issue: Vec<_> = space
        .issues()
        .iter()
        .map(|issue| {
            let k = issue.cardinality().expect("strategies build enumerable spaces") as usize;
            let (lo, hi) = match issue.kind {
                IssueKind::Integer { min, max, .. } => (min as f64, max as f64),
                IssueKind::Real { min, max, .. } => (min, max),
                _ => (0.0, 0.0),
            };
            let numeric = !matches!(issue.kind, IssueKind::Categorical { .. } | IssueKind::Ordinal { .. });
            prop_oneof![
                proptest::collection::vec(0.0f64..=1.0, k).prop_map(ValueFunction::Table),
                any::<bool>().prop_map(move |up| if numeric && hi > lo {
                    let slope = if up { 1.0 / (hi - lo) } else { -1.0 / (hi - lo) };
                    ValueFunction::Affine { slope, offset: if up { 0.0 } else { 1.0 }, origin: lo, clamp01: true }
                } else {
                    ValueFunction::Table(vec![1.0; k])
                }),
            ]
            .boxed()
        })
        .collect();
    let n = space.issues().len();
    (proptest::collection::vec(0.01f64..1.0, n), per_issue).prop_map(|(w, values)| {
        let s: f64 = w.iter().sum();
        LinearAdditive { bias: 0.0, weights: w.iter().map(|x| x / s).collect(), values, clamp: Some((f64::NEG_INFINITY, 1.0)) }
    })
}

/// Sometimes a valid spread around `value` within `[min, max]` (`max` finite): none, uniform,
/// triangular or normal.
pub fn spread_around(value: f64, min: f64, max: f64) -> impl Strategy<Value = Option<Spread>> {
    (0u8..4, 0.0f64..=1.0, 0.0f64..=1.0, 0.0f64..=1.0).prop_map(move |(k, a, b, t)| {
        let lo = (value - a * (value - min)).clamp(min, value);
        let hi = (value + b * (max - value)).clamp(value, max);
        match k {
            0 => None,
            1 => Some(Spread::Uniform { lo, hi }),
            2 => Some(Spread::Triangular { lo, mode: (lo + t * (hi - lo)).clamp(lo, hi), hi }),
            _ => Some(Spread::Normal { sd: t * (max - min) / 4.0 }),
        }
    })
}

/// Spatial preferences over `space` (every issue gets a position).
pub fn spatial(space: &OutcomeSpace) -> impl Strategy<Value = Spatial> {
    let per_issue: Vec<_> = space
        .issues()
        .iter()
        .map(|issue| {
            let k = issue.cardinality().unwrap_or(1).max(1);
            let categorical = matches!(issue.kind, IssueKind::Categorical { .. });
            let (lo, hi) = issue.position_range();
            (0.0f64..=1.0, 0u64..k, 0.05f64..=1.0)
                .prop_flat_map(move |(t, c, s)| {
                    let ideal = if categorical { c as f64 } else { (lo + t * (hi - lo)).clamp(lo, hi) };
                    let ideal_spread = if categorical { Just(None).boxed() } else { spread_around(ideal, lo, hi).boxed() };
                    (Just(ideal), Just(s), ideal_spread, spread_around(s, 0.0, 1.0))
                })
                .prop_map(|(ideal, salience, ideal_spread, salience_spread)| {
                    Some(Position { ideal, salience, ideal_spread, salience_spread })
                })
        })
        .collect();
    (per_issue, any::<bool>()).prop_map(|(positions, q)| Spatial { positions, loss: if q { Loss::Quadratic } else { Loss::Linear } })
}

/// A valid scenario with 2..=`max_actors` actors over a random space.
pub fn scenario(max_actors: usize, max_issues: usize, max_values: u32) -> impl Strategy<Value = Scenario> {
    space(max_issues, max_values).prop_flat_map(move |space| {
        let utility = prop_oneof![linear_additive(&space).prop_map(Utility::LinearAdditive), spatial(&space).prop_map(Utility::Spatial)];
        let capability = (0.0f64..100.0).prop_flat_map(|c| (Just(c), spread_around(c, 0.0, 2.0 * c + 1.0)));
        let actor = (utility, proptest::option::of(0.0f64..0.8), capability, any::<bool>());
        (Just(space), proptest::collection::vec(actor, 2..=max_actors.max(2))).prop_map(|(space, actors)| {
            ScenarioDraft {
                meta: Metadata { id: "generated".into(), title: "generated".into(), ..Metadata::default() },
                space,
                actors: actors
                    .into_iter()
                    .enumerate()
                    .map(|(i, (u, r, (cap, capability_spread), req))| Actor {
                        capability: cap,
                        capability_spread,
                        required: req || i < 2,
                        ..Actor::party(
                            format!("a{i}"),
                            Preferences {
                                utility: u,
                                discount: Discount::None,
                                reservation: r.map_or(Reservation::None, Reservation::Value),
                            },
                        )
                    })
                    .collect(),
                protocol: ProtocolDefaults::default(),
                salience: Default::default(),
                openings: vec![],
                variants: vec![],
            }
            .validate()
            .expect("invariant: the strategies generate only valid scenarios")
        })
    })
}

/// A value in a parameter's domain: a bound, any number between, any finite number where the
/// domain is unbounded, or any choice.
pub fn param_value(p: &ParamSpec) -> BoxedStrategy<ParamValue> {
    match p.domain {
        ParamDomain::Number { min, max } if min.is_finite() && max.is_finite() => {
            prop_oneof![Just(min), Just(max), min..=max].prop_map(ParamValue::Number).boxed()
        }
        ParamDomain::Number { min, max } => any::<f64>()
            .prop_filter("a finite number in the domain", move |x| x.is_finite() && *x >= min && *x <= max)
            .prop_map(ParamValue::Number)
            .boxed(),
        ParamDomain::Choice(options) => proptest::sample::select(options).prop_map(ParamValue::Choice).boxed(),
    }
}

/// A valid negotiator spec: any kind, each of its parameters given or not (specs that break a
/// cross-parameter rule are left out).
pub fn negotiator_spec() -> impl Strategy<Value = NegotiatorSpec> {
    proptest::sample::select(NegotiatorKind::ALL.to_vec())
        .prop_flat_map(|kind| {
            let values: Vec<_> = kind.params().iter().map(|p| proptest::option::of(param_value(p))).collect();
            (Just(kind), values)
        })
        .prop_filter_map("breaks a cross-parameter rule", |(kind, values)| {
            kind.params()
                .iter()
                .zip(values)
                .filter_map(|(p, v)| Some((p.key, v?)))
                .try_fold(NegotiatorSpec::new(kind), |spec, (key, value)| spec.with(key, value))
                .ok()
        })
}
