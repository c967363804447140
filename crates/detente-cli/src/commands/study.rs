//! `detente study`: the main job. One readable report on a scenario and every variant, built
//! from sections — the overview and the what-ifs here; each lens adds its own section.

use super::{Options, Section};
use crate::describe;
use crate::load::{load, Failure};
use crate::render::print_json;
use detente_core::{Patch, Reservation, Scenario};
use serde_json::json;
use std::path::Path;

/// One scenario the study looks at: the base, or a variant applied to it.
pub(crate) struct Case {
    /// `base` or the variant id.
    pub(crate) label: String,
    /// The scenario with the variant applied.
    pub(crate) scenario: Scenario,
}

pub(crate) fn run(file: Option<&Path>, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, None)?;
    let base = &loaded.scenario;
    // With --variant, study that variant alone; otherwise the base and every variant.
    let cases: Vec<Case> = match opts.variant {
        Some(v) => vec![Case {
            label: v.to_string(),
            scenario: base.with_variant(v).map_err(|error| Failure::Model { file: loaded.source.clone(), error })?,
        }],
        None => {
            let mut cases = vec![Case { label: "base".into(), scenario: base.clone() }];
            for v in &base.variants {
                let scenario = base.with_variant(&v.id).map_err(|error| Failure::Model { file: loaded.source.clone(), error })?;
                cases.push(Case { label: v.id.clone(), scenario });
            }
            cases
        }
    };
    let sections = vec![
        overview(base, &loaded.source),
        variants(base, &cases),
        match super::analyze::study_section(&cases, &loaded.source) {
            Ok(s) => s,
            // e.g. a continuous issue: the rest of the study still says what it can.
            Err(Failure::Input(m)) => super::Section {
                id: "analysis",
                title: "Is there a deal? Efficient and fair deals".into(),
                text: format!("Not analysed: {m}\n"),
                json: json!({ "error": m }),
            },
            Err(e) => return Err(e),
        },
        super::simulation::section(&cases, 0)?,
        super::forecast::study_section(&cases),
    ];
    if opts.json {
        let mut report = serde_json::Map::new();
        report.insert("scenario".into(), json!(base.meta.id));
        report.insert("cases".into(), json!(cases.iter().map(|c| c.label.clone()).collect::<Vec<_>>()));
        for s in &sections {
            report.insert(s.id.into(), s.json.clone());
        }
        print_json(&serde_json::Value::Object(report));
        return Ok(());
    }
    for (i, s) in sections.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        outln!("## {}\n", s.title);
        out!("{}", s.text);
    }
    Ok(())
}

fn overview(s: &Scenario, source: &str) -> Section {
    let mut text = describe::header_text(s, source);
    text.push_str("\nIssues\n\n");
    text.push_str(&describe::issues_text(s));
    text.push_str("\nActors\n\n");
    text.push_str(&describe::actors_text(s));
    if let Some(t) = describe::positions_text(s) {
        text.push_str("\nPositions (ideal point on the 0-100 scale / salience 0-1)\n\n");
        text.push_str(&t);
    }
    Section { id: "scenario", title: "The scenario".into(), text, json: describe::scenario_json(s, source) }
}

/// Says in words what a patch changes.
pub(crate) fn describe_patch(base: &Scenario, p: &Patch) -> String {
    let issue_value = |issue: &str, v: &detente_core::Value| {
        base.space.issue_index(issue).map_or_else(|| format!("{v:?}"), |k| base.space.issues()[k].format_value(v))
    };
    match p {
        Patch::Role { actor, role } => format!("{actor} becomes a {}", role.as_str()),
        Patch::Required { actor, required: true } => format!("{actor}'s acceptance becomes required"),
        Patch::Required { actor, required: false } => format!("{actor}'s acceptance is no longer required"),
        Patch::Reservation { actor, reservation } => match reservation {
            Reservation::None => format!("{actor} states no reservation"),
            Reservation::Value(v) => format!("{actor}'s walk-away value becomes {v}"),
            Reservation::Outcome(o) => format!("{actor}'s walk-away becomes the outcome {}", base.space.format(o)),
        },
        Patch::Position { actor, issue, ideal, salience } => {
            let mut parts = Vec::new();
            if let Some(x) = ideal {
                parts.push(format!("ideal point {x}"));
            }
            if let Some(s) = salience {
                parts.push(format!("salience {s}"));
            }
            format!("{actor} on {issue}: {}", parts.join(", "))
        }
        Patch::Capability { actor, capability } => format!("{actor}'s capability becomes {capability}"),
        Patch::Strategy { actor, strategy } => format!("{actor} negotiates with strategy {strategy}"),
        Patch::MediatorRule(r) => format!("the mediator follows the {} rule", r.as_str()),
        Patch::Opening(o) => format!("{} opens by conceding {} = {}", o.actor, o.issue, issue_value(&o.issue, &o.value)),
        Patch::ExcludeOptions { issue, options } => format!("{issue} loses the option(s) {}", options.join(", ")),
    }
}

fn required_ids(s: &Scenario) -> Vec<String> {
    s.required_actors().map(|(_, a)| a.id.clone()).collect()
}

fn variants(base: &Scenario, cases: &[Case]) -> Section {
    let mut text = format!("Base: must agree: {}\n\n", required_ids(base).join(", "));
    let mut list = Vec::new();
    for v in &base.variants {
        let studied = cases.iter().any(|c| c.label == v.id);
        let changes: Vec<String> = v.patches.iter().map(|p| describe_patch(base, p)).collect();
        text.push_str(&format!("- {}{}\n", v.id, v.title.as_ref().map_or(String::new(), |t| format!(": {t}"))));
        if let Some(d) = &v.description {
            text.push_str(&indent(d, "    "));
        }
        if changes.is_empty() {
            text.push_str("    changes nothing: the base scenario as stated.\n");
        }
        for c in &changes {
            text.push_str(&format!("    * {c}\n"));
        }
        let must_agree = cases.iter().find(|c| c.label == v.id).map(|c| required_ids(&c.scenario));
        if let Some(ids) = &must_agree {
            text.push_str(&format!("    must agree: {}\n", ids.join(", ")));
        }
        list.push(json!({ "id": v.id, "title": v.title, "description": v.description, "changes": changes, "studied": studied, "must_agree": must_agree }));
    }
    if base.variants.is_empty() {
        text.push_str("The scenario defines no variants.\n");
    }
    Section { id: "variants", title: "What-if variants".into(), text, json: json!(list) }
}

/// Indents every line of `text`; blank lines stay empty (no trailing spaces).
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.trim().lines().map(|l| if l.trim().is_empty() { "\n".to_string() } else { format!("{prefix}{}\n", l.trim_end()) }).collect()
}
