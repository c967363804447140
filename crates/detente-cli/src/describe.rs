//! Describing a scenario: the JSON summary and the text a person reads.

use crate::render::{table, util};
use detente_core::{format_real, Actor, Discount, Issue, IssueKind, Reservation, Scenario, Utility};
use serde_json::{json, Value as Json};

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

fn issue_json(issue: &Issue) -> Json {
    let mut v = json!({ "id": issue.id, "name": issue.display(), "kind": issue.kind_name(), "values": issue.cardinality() });
    match &issue.kind {
        IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
            v["options"] = options.iter().map(|o| json!({ "id": o.id, "label": o.display(), "scale": o.scale })).collect();
        }
        IssueKind::Integer { min, max, step, scale } => {
            v["min"] = json!(min);
            v["max"] = json!(max);
            v["step"] = json!(step);
            v["scale"] = json!([scale.0, scale.1]);
        }
        IssueKind::Real { min, max, grid, scale } => {
            v["min"] = json!(min);
            v["max"] = json!(max);
            v["grid"] = json!(grid);
            v["scale"] = json!([scale.0, scale.1]);
        }
    }
    v
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

/// A stated spread as JSON: `{ "shape": "uniform" | "triangular" | "normal", lo, mode, hi, sd }`.
fn spread_json(spread: &detente_core::Spread) -> Json {
    match *spread {
        detente_core::Spread::Uniform { lo, hi } => json!({ "shape": "uniform", "lo": lo, "hi": hi }),
        detente_core::Spread::Triangular { lo, mode, hi } => json!({ "shape": "triangular", "lo": lo, "mode": mode, "hi": hi }),
        detente_core::Spread::Normal { sd } => json!({ "shape": "normal", "sd": sd }),
    }
}

fn actor_json(s: &Scenario, a: &Actor) -> Json {
    let mut v = json!({
        "id": a.id,
        "name": a.display(),
        "role": a.role.as_str(),
        "required": a.required,
        "capability": a.capability,
        "strategy": a.strategy,
        "preferences": preference_kind(a),
        "reservation_value": a.preferences.reservation_value(&s.space),
        "discount": discount_text(a.preferences.discount),
    });
    if let Some(sp) = &a.capability_spread {
        v["capability_spread"] = spread_json(sp);
    }
    if let Utility::Spatial(sp) = &a.preferences.utility {
        let mut positions = serde_json::Map::new();
        for (issue, p) in s.space.issues().iter().zip(&sp.positions) {
            if let Some(p) = p {
                let mut e = json!({ "ideal": p.ideal, "salience": p.salience });
                if let Some(sp) = &p.ideal_spread {
                    e["ideal_spread"] = spread_json(sp);
                }
                if let Some(sp) = &p.salience_spread {
                    e["salience_spread"] = spread_json(sp);
                }
                positions.insert(issue.id.clone(), e);
            }
        }
        v["positions"] = Json::Object(positions);
    }
    v
}

/// The scenario as JSON: metadata, sizes, issues, actors, protocol, variants.
pub(crate) fn scenario_json(s: &Scenario, source: &str) -> Json {
    json!({
        "source": source,
        "id": s.meta.id,
        "title": s.meta.title,
        "description": s.meta.description,
        "assumptions": s.meta.assumptions,
        "outcomes": s.space.cardinality().to_string(),
        "issues": s.space.issues().iter().map(issue_json).collect::<Vec<_>>(),
        "parties": s.actors.iter().map(|a| actor_json(s, a)).collect::<Vec<_>>(),
        "protocol": {
            "protocol": s.protocol.protocol,
            "rounds": s.protocol.rounds,
            "mediator": s.protocol.mediator,
            "mediator_rule": s.protocol.mediator_rule.map(|r| r.as_str()),
        },
        "openings": s.openings.iter().map(|o| {
            let issue = s.space.issue_index(&o.issue).map(|k| &s.space.issues()[k]);
            json!({ "actor": o.actor, "issue": o.issue, "value": issue.map(|i| i.format_value(&o.value)) })
        }).collect::<Vec<_>>(),
        "variants": s.variants.iter().map(|v| json!({ "id": v.id, "title": v.title, "description": v.description, "patches": v.patches.len() })).collect::<Vec<_>>(),
    })
}

/// The issues table.
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
                a.strategy.clone().unwrap_or_else(|| "-".into()),
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
