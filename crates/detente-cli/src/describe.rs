//! Describing a scenario: the JSON summary and the text a person reads.

use crate::render::{table, util};
use detente_core::{format_real, Actor, Discount, Issue, IssueKind, Reservation, Scenario, Utility};
use serde::Serialize;

/// One-line description of an issue's value set.
pub(crate) fn issue_values(issue: &Issue) -> String {
    match &issue.kind {
        IssueKind::Categorical { options } => options.iter().map(|o| o.id.clone()).collect::<Vec<_>>().join(" | "),
        IssueKind::Ordinal { options } => options
            .iter()
            .map(|o| format!("{} ({})", o.id, o.scale.map_or_else(|| "?".into(), format_real)))
            .collect::<Vec<_>>()
            .join(" < "),
        IssueKind::Integer { min, max, step, scale } => {
            format!("integer {min}..={max} step {step} (scale {} → {})", format_real(scale.0), format_real(scale.1))
        }
        IssueKind::Real { min, max, grid, .. } => match grid {
            Some(g) => format!("real [{}, {}] on {g} grid points", format_real(*min), format_real(*max)),
            None => format!("real [{}, {}] (continuous)", format_real(*min), format_real(*max)),
        },
    }
}

/// An issue in `scenario show --json`.
#[derive(Serialize)]
struct IssueJson<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    values: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<OptionJson<'a>>>,
    #[serde(flatten)]
    range: Option<RangeJson>,
}

#[derive(Serialize)]
struct OptionJson<'a> {
    id: &'a str,
    label: &'a str,
    scale: Option<f64>,
}

/// The bounds of an integer or real issue and its map onto the 0–100 scale.
#[derive(Serialize)]
#[serde(untagged)]
enum RangeJson {
    Integer { min: i64, max: i64, step: i64, scale: [f64; 2] },
    Real { min: f64, max: f64, grid: Option<u32>, scale: [f64; 2] },
}

fn issue_json(issue: &Issue) -> IssueJson<'_> {
    let (options, range) = match &issue.kind {
        IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
            (Some(options.iter().map(|o| OptionJson { id: &o.id, label: o.display(), scale: o.scale }).collect()), None)
        }
        IssueKind::Integer { min, max, step, scale } => {
            (None, Some(RangeJson::Integer { min: *min, max: *max, step: *step, scale: [scale.0, scale.1] }))
        }
        IssueKind::Real { min, max, grid, scale } => {
            (None, Some(RangeJson::Real { min: *min, max: *max, grid: *grid, scale: [scale.0, scale.1] }))
        }
    };
    IssueJson { id: &issue.id, name: issue.display(), kind: issue.kind_name(), values: issue.cardinality(), options, range }
}

fn preference_kind(actor: &Actor) -> &'static str {
    match actor.preferences.utility {
        Utility::LinearAdditive(_) => "linear_additive",
        Utility::Spatial(_) => "spatial",
        Utility::Table(_) => "table",
    }
}

/// The reservation as people read it.
pub(crate) fn reservation_text(s: &Scenario, actor: &Actor) -> String {
    match &actor.preferences.reservation {
        Reservation::None => "none (0)".into(),
        Reservation::Value(v) => util(*v),
        Reservation::Outcome(o) => format!("{} (outcome: {})", util(actor.preferences.reservation_value(&s.space)), s.space.format(o)),
    }
}

fn discount_text(d: Discount) -> Option<String> {
    match d {
        Discount::None => None,
        Discount::Time { factor } => Some(format!("{factor} per unit of normalised time")),
        Discount::PerRound { factor } => Some(format!("{factor} per round")),
    }
}

/// A stated spread: `{ "shape": "uniform" | "triangular" | "normal", lo, mode, hi, sd }`.
#[derive(Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
enum SpreadJson {
    Uniform { lo: f64, hi: f64 },
    Triangular { lo: f64, mode: f64, hi: f64 },
    Normal { sd: f64 },
}

impl From<detente_core::Spread> for SpreadJson {
    fn from(s: detente_core::Spread) -> Self {
        match s {
            detente_core::Spread::Uniform { lo, hi } => SpreadJson::Uniform { lo, hi },
            detente_core::Spread::Triangular { lo, mode, hi } => SpreadJson::Triangular { lo, mode, hi },
            detente_core::Spread::Normal { sd } => SpreadJson::Normal { sd },
        }
    }
}

#[derive(Serialize)]
struct PositionJson {
    ideal: f64,
    salience: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ideal_spread: Option<SpreadJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    salience_spread: Option<SpreadJson>,
}

#[derive(Serialize)]
struct ActorJson<'a> {
    id: &'a str,
    name: &'a str,
    role: &'static str,
    required: bool,
    capability: f64,
    strategy: Option<String>,
    preferences: &'static str,
    reservation_value: f64,
    discount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capability_spread: Option<SpreadJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    positions: Option<std::collections::BTreeMap<&'a str, PositionJson>>,
}

fn actor_json<'a>(s: &'a Scenario, a: &'a Actor) -> ActorJson<'a> {
    let positions = match &a.preferences.utility {
        Utility::Spatial(sp) => Some(
            s.space
                .issues()
                .iter()
                .zip(&sp.positions)
                .filter_map(|(issue, p)| {
                    let p = p.as_ref()?;
                    Some((
                        issue.id.as_str(),
                        PositionJson {
                            ideal: p.ideal,
                            salience: p.salience,
                            ideal_spread: p.ideal_spread.map(SpreadJson::from),
                            salience_spread: p.salience_spread.map(SpreadJson::from),
                        },
                    ))
                })
                .collect(),
        ),
        _ => None,
    };
    ActorJson {
        id: &a.id,
        name: a.display(),
        role: a.role.as_str(),
        required: a.required,
        capability: a.capability,
        strategy: a.strategy.as_ref().map(ToString::to_string),
        preferences: preference_kind(a),
        reservation_value: a.preferences.reservation_value(&s.space),
        discount: discount_text(a.preferences.discount),
        capability_spread: a.capability_spread.map(SpreadJson::from),
        positions,
    }
}

#[derive(Serialize)]
struct ProtocolJson<'a> {
    protocol: Option<&'a str>,
    rounds: Option<u32>,
    mediator: Option<&'a str>,
    mediator_rule: Option<&'static str>,
}

#[derive(Serialize)]
struct OpeningJson<'a> {
    actor: &'a str,
    issue: &'a str,
    value: Option<String>,
}

#[derive(Serialize)]
struct VariantJson<'a> {
    id: &'a str,
    title: Option<&'a str>,
    description: Option<&'a str>,
    patches: usize,
}

/// `scenario show --json`: metadata, sizes, issues, actors, protocol, variants.
#[derive(Serialize)]
pub(crate) struct ScenarioJson<'a> {
    source: &'a str,
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    assumptions: Option<&'a str>,
    outcomes: String,
    issues: Vec<IssueJson<'a>>,
    parties: Vec<ActorJson<'a>>,
    protocol: ProtocolJson<'a>,
    openings: Vec<OpeningJson<'a>>,
    variants: Vec<VariantJson<'a>>,
}

/// The scenario as `scenario show --json` prints it.
pub(crate) fn scenario_json<'a>(s: &'a Scenario, source: &'a str) -> ScenarioJson<'a> {
    ScenarioJson {
        source,
        id: &s.meta.id,
        title: &s.meta.title,
        description: s.meta.description.as_deref(),
        assumptions: s.meta.assumptions.as_deref(),
        outcomes: s.space.cardinality().to_string(),
        issues: s.space.issues().iter().map(issue_json).collect(),
        parties: s.actors.iter().map(|a| actor_json(s, a)).collect(),
        protocol: ProtocolJson {
            protocol: s.protocol.protocol.map(|p| p.as_str()),
            rounds: s.protocol.rounds,
            mediator: s.protocol.mediator.as_deref(),
            mediator_rule: s.protocol.mediator_rule.map(|r| r.as_str()),
        },
        openings: s
            .openings
            .iter()
            .map(|o| {
                let issue = s.space.issue_index(&o.issue).map(|k| &s.space.issues()[k]);
                OpeningJson { actor: &o.actor, issue: &o.issue, value: issue.map(|i| i.format_value(&o.value)) }
            })
            .collect(),
        variants: s
            .variants
            .iter()
            .map(|v| VariantJson { id: &v.id, title: v.title.as_deref(), description: v.description.as_deref(), patches: v.patches.len() })
            .collect(),
    }
}
pub(crate) fn issues_text(s: &Scenario) -> String {
    let rows: Vec<Vec<String>> = s.space.issues().iter().map(|i| vec![i.id.clone(), i.kind_name().into(), issue_values(i)]).collect();
    table(&["issue".into(), "kind".into(), "values (scale 0-100)".into()], &rows)
}

/// The actors table.
pub(crate) fn actors_text(s: &Scenario) -> String {
    let rows: Vec<Vec<String>> = s
        .actors
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.display().to_string(),
                a.role.as_str().into(),
                if a.required { "yes".into() } else { "no".into() },
                format_real(a.capability),
                reservation_text(s, a),
                a.strategy.as_ref().map_or_else(|| "-".into(), ToString::to_string),
                preference_kind(a).into(),
            ]
        })
        .collect();
    table(&["actor", "name", "role", "required", "capability", "reservation", "strategy", "preferences"].map(String::from), &rows)
}

/// The positions / salience table (spatial actors only); `None` if no actor is spatial.
pub(crate) fn positions_text(s: &Scenario) -> Option<String> {
    let spatial: Vec<(&Actor, &detente_core::Spatial)> = s
        .actors
        .iter()
        .filter_map(|a| match &a.preferences.utility {
            Utility::Spatial(sp) => Some((a, sp)),
            _ => None,
        })
        .collect();
    if spatial.is_empty() {
        return None;
    }
    let mut header = vec!["issue (ideal / salience)".to_string()];
    header.extend(spatial.iter().map(|(a, _)| a.id.clone()));
    let rows: Vec<Vec<String>> = s
        .space
        .issues()
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let mut row = vec![issue.id.clone()];
            for (_, sp) in &spatial {
                row.push(match &sp.positions[k] {
                    Some(p) => match issue.kind {
                        IssueKind::Categorical { .. } => {
                            format!("{} / {}", issue.format_value(&detente_core::Value::Option(p.ideal as u32)), format_real(p.salience))
                        }
                        _ => format!("{} / {}", format_real(p.ideal), format_real(p.salience)),
                    },
                    None => "-".into(),
                });
            }
            row
        })
        .collect();
    Some(table(&header, &rows))
}

/// Header lines: title, source, description, assumptions, sizes.
pub(crate) fn header_text(s: &Scenario, source: &str) -> String {
    let mut out = format!("{}\n{}\n", s.meta.title, "=".repeat(s.meta.title.chars().count().max(3)));
    out.push_str(&format!("source: {source}\n"));
    if let Some(d) = &s.meta.description {
        out.push_str(&format!("\n{}\n", d.trim()));
    }
    if let Some(a) = &s.meta.assumptions {
        out.push_str(&format!("\nAssumptions: {}\n", a.trim()));
    }
    out.push_str(&format!(
        "\n{} issues, {} actors, {} possible outcomes.\n",
        s.space.issues().len(),
        s.actors.len(),
        s.space.cardinality()
    ));
    if let Some(m) = &s.protocol.mediator {
        out.push_str(&format!("Mediator: {m} (rule: {}).\n", s.protocol.mediator_rule.map_or("unspecified", |r| r.as_str())));
    }
    for o in &s.openings {
        if let Some(k) = s.space.issue_index(&o.issue) {
            out.push_str(&format!(
                "Opening concession: {} offers {} = {} from the start.\n",
                o.actor,
                o.issue,
                s.space.issues()[k].format_value(&o.value)
            ));
        }
    }
    out
}

/// The variants list.
pub(crate) fn variants_text(s: &Scenario) -> String {
    if s.variants.is_empty() {
        return "The scenario has no variants.\n".into();
    }
    let mut out = String::new();
    for v in &s.variants {
        out.push_str(&format!("- {}", v.id));
        if let Some(t) = &v.title {
            out.push_str(&format!(": {t}"));
        }
        out.push('\n');
        if let Some(d) = &v.description {
            out.push_str(&indent(d, "    "));
        }
    }
    out
}

/// Indents every line of `text`; blank lines stay empty (no trailing spaces).
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.trim().lines().map(|l| if l.trim().is_empty() { "\n".to_string() } else { format!("{prefix}{}\n", l.trim_end()) }).collect()
}
