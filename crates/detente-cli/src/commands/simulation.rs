//! The study's simulation section: every protocol on the base scenario and each variant, and
//! the opening-concession test of "early concessions invite larger demands" (seed L29).

use super::negotiate::{analysis_for, dist, prepare, quality, quality_json, run_simulation, simulation_json, status_text};
use super::study::Case;
use super::Section;
use crate::load::Failure;
use crate::render::{table, util};
use detente_agents::{participants, Protocol, Simulation, SimulationSpec};
use detente_core::{MediatorRule, Patch, Scenario};
use detente_protocol::MoveRule;
use serde_json::json;

/// The protocols the study compares: label, protocol, mediator rule.
const PROTOCOLS: [(&str, Protocol, Option<MediatorRule>); 4] = [
    ("joint table", Protocol::JointTable, None),
    ("biased single text", Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Biased)),
    ("neutral single text", Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Neutral)),
    ("shuttle", Protocol::Shuttle, None),
];

fn applicable(s: &Scenario, proto: Protocol, rule: Option<MediatorRule>) -> Result<(), String> {
    if participants(s, proto).len() < 2 {
        return Err("fewer than two parties".into());
    }
    let has_mediator = s.protocol.mediator.is_some() || s.actors.iter().any(|a| a.role == detente_core::Role::Mediator);
    let rule = rule.or(s.protocol.mediator_rule);
    if proto != Protocol::JointTable && rule == Some(MediatorRule::Biased) && !has_mediator {
        return Err("no mediator for a biased rule".into());
    }
    Ok(())
}

/// Runs the simulations for the study. Scenarios whose space cannot be enumerated get a
/// section saying so instead.
pub(crate) fn section(cases: &[Case], seed: u64) -> Result<Section, Failure> {
    let mut text = String::from(
        "Each protocol, run with every party's default strategy (its `strategy`, else boulware),\n\
         the scenario's deadline and mediator, seed 0. Single text: steepest moves, the mediator's\n\
         rule as labelled. Utilities are of the deal, or each actor's reservation value without one.\n",
    );
    let mut json_cases = Vec::new();
    for case in cases {
        let s = &case.scenario;
        let prepared = match prepare(s) {
            Ok(p) => p,
            Err(Failure::Input(msg)) => {
                text.push_str(&format!("\n### {}\n\n{msg}\n", case.label));
                json_cases.push(json!({ "case": case.label, "error": msg }));
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut sims: Vec<(&str, Result<Simulation, String>)> = Vec::new();
        for (label, proto, rule) in PROTOCOLS {
            let r = applicable(s, proto, rule).and_then(|()| {
                let spec = SimulationSpec { protocol: Some(proto), mediator_rule: rule, seed, ..Default::default() };
                run_simulation(s, &prepared, &spec).map_err(|e| match e {
                    Failure::Input(m) => m,
                    _ => "failed".into(),
                })
            });
            sims.push((label, r));
        }
        let analysis = analysis_for(s);
        text.push_str(&format!("\n### {}\n\n", case.label));
        let mut header = vec!["protocol".to_string(), "result".to_string()];
        header.extend(s.actors.iter().map(|a| a.id.clone()));
        header.extend(["to Pareto".to_string(), "to Nash".to_string()]);
        let rows: Vec<Vec<String>> = sims
            .iter()
            .map(|(label, r)| {
                let mut row = vec![label.to_string()];
                match r {
                    Ok(sim) => {
                        row.push(short_status(sim));
                        row.extend(sim.utilities.iter().map(|u| util(*u)));
                        match &analysis {
                            Ok(a) => {
                                let q = quality(s, a, sim);
                                row.extend([dist(q.pareto_distance), dist(q.nash_distance)]);
                            }
                            Err(_) => row.extend(["-".to_string(), "-".to_string()]),
                        }
                    }
                    Err(e) => {
                        row.push(format!("not run: {e}"));
                        row.extend(s.actors.iter().map(|_| "-".to_string()));
                        row.extend(["-".to_string(), "-".to_string()]);
                    }
                }
                row
            })
            .collect();
        text.push_str(&table(&header, &rows));
        // the deals side by side, issue by issue
        if sims.iter().any(|(_, r)| r.as_ref().is_ok_and(|x| x.outcome.is_some())) {
            text.push('\n');
            let mut header = vec!["deal".to_string()];
            header.extend(sims.iter().map(|(l, _)| l.to_string()));
            let rows: Vec<Vec<String>> = s
                .space
                .issues()
                .iter()
                .enumerate()
                .map(|(j, issue)| {
                    let mut row = vec![issue.id.clone()];
                    row.extend(sims.iter().map(|(_, r)| match r.as_ref().ok().and_then(|x| x.outcome.as_ref()) {
                        Some(o) => issue.format_value(&o.0[j]),
                        None => "-".into(),
                    }));
                    row
                })
                .collect();
            text.push_str(&table(&header, &rows));
        }
        json_cases.push(json!({
            "case": case.label,
            "runs": sims.iter().map(|(label, r)| match r {
                Ok(sim) => {
                    let mut v = simulation_json(s, sim);
                    v["label"] = json!(label);
                    v["summary"] = json!(status_text(sim));
                    v["quality"] = quality_json(s, &analysis, sim);
                    v
                }
                Err(e) => json!({ "label": label, "error": e }),
            }).collect::<Vec<_>>(),
        }));
    }
    let (opening_text, opening_json) = opening_tests(cases, seed)?;
    text.push_str(&opening_text);
    text.push_str(
        "\nto Pareto / to Nash: Euclidean distance in utility space (all non-observer actors) from the\n\
         result — the deal, or everyone's reservation value without one — to the nearest point of the\n\
         rational Pareto frontier and to the Nash point (NegMAS definitions; see the analysis above).\n",
    );
    Ok(Section {
        id: "simulation",
        title: "Simulated negotiations".into(),
        text,
        json: json!({
            "protocols": PROTOCOLS.iter().map(|(l, p, r)| json!({ "label": l, "protocol": p.as_str(), "mediator_rule": r.map(|r| r.as_str()) })).collect::<Vec<_>>(),
            "seed": seed,
            "cases": json_cases,
            "opening_concessions": opening_json,
        }),
    })
}

fn short_status(sim: &Simulation) -> String {
    match sim.status {
        detente_protocol::Status::Agreed { round, .. } => format!("deal, round {}/{}", round + 1, sim.deadline),
        detente_protocol::Status::TimedOut => "no deal (deadline)".into(),
        detente_protocol::Status::Broken { .. } => "no deal (broken off)".into(),
        detente_protocol::Status::Errored { .. } => "no deal (error)".into(),
        detente_protocol::Status::Running => "running".into(),
    }
}

/// For each variant with an opening concession: the joint table with the other parties played
/// by the reference-dependent negotiator (`refdep`), with and without the concession; each
/// other party's final demand (its last offer) and what it is worth to it.
fn opening_tests(cases: &[Case], seed: u64) -> Result<(String, serde_json::Value), Failure> {
    let Some(base) = cases.iter().find(|c| c.label == "base") else { return Ok((String::new(), json!([]))) };
    let mut text = String::new();
    let mut out = Vec::new();
    for case in cases {
        let concessions: Vec<&detente_core::Opening> =
            case.scenario.openings.iter().filter(|o| !base.scenario.openings.contains(o)).collect();
        if concessions.is_empty()
            || !base.scenario.variants.iter().any(|v| v.id == case.label && v.patches.iter().any(|p| matches!(p, Patch::Opening(_))))
        {
            continue;
        }
        let conceders: Vec<&str> = concessions.iter().map(|o| o.actor.as_str()).collect();
        let seat = participants(&case.scenario, Protocol::JointTable);
        let negotiators: Vec<String> = seat
            .iter()
            .map(|&i| {
                let a = &case.scenario.actors[i];
                if conceders.contains(&a.id.as_str()) {
                    a.strategy.clone().unwrap_or_else(|| "boulware".into())
                } else {
                    "refdep".into()
                }
            })
            .collect();
        let spec =
            SimulationSpec { protocol: Some(Protocol::JointTable), negotiators: Some(negotiators.clone()), seed, ..Default::default() };
        let run = |s: &Scenario| -> Result<Simulation, Failure> { run_simulation(s, &prepare(s)?, &spec) };
        let (without, with) = (run(&base.scenario)?, run(&case.scenario)?);
        text.push_str(&format!(
            "\n### Opening concession test: {} (seed L29: \"concessions early invite larger demands\")\n\n\
             Joint table; {} concede(s) as the variant says and keep their strategy; the other parties\n\
             play the reference-dependent negotiator (refdep: its aspiration rises with the other side's\n\
             early generosity). Final demand = a party's last offer; its utility is to that party.\n\n",
            case.label,
            conceders.join(", ")
        ));
        let mut rows = Vec::new();
        let mut rows_json = Vec::new();
        for (k, &i) in seat.iter().enumerate() {
            let a = &case.scenario.actors[i];
            if conceders.contains(&a.id.as_str()) {
                continue;
            }
            let val = |sim: &Simulation| sim.final_offers[k].and_then(|o| case.scenario.space.outcome_at(o));
            let (d0, d1) = (val(&without), val(&with));
            let u = |o: &Option<detente_core::Outcome>| o.as_ref().map(|o| a.preferences.utility(&case.scenario.space, o));
            let changed: Vec<String> = match (&d0, &d1) {
                (Some(x), Some(y)) => case
                    .scenario
                    .space
                    .issues()
                    .iter()
                    .zip(x.0.iter().zip(&y.0))
                    .filter(|(_, (p, q))| p != q)
                    .map(|(issue, (p, q))| format!("{}: {} -> {}", issue.id, issue.format_value(p), issue.format_value(q)))
                    .collect(),
                _ => vec![],
            };
            rows.push(vec![
                a.id.clone(),
                u(&d0).map_or("-".into(), util),
                u(&d1).map_or("-".into(), util),
                if changed.is_empty() { "(same demand)".into() } else { changed.join("; ") },
            ]);
            rows_json.push(json!({
                "actor": a.id,
                "final_demand_without": d0.as_ref().map(|o| case.scenario.space.format(o)),
                "final_demand_with": d1.as_ref().map(|o| case.scenario.space.format(o)),
                "utility_without": u(&d0),
                "utility_with": u(&d1),
                "changed": changed,
            }));
        }
        text.push_str(&table(&["party", "final demand without", "with concession", "what changed"].map(String::from), &rows));
        text.push_str(&format!("\nwithout: {}; with: {}\n", status_text(&without), status_text(&with)));
        out.push(json!({
            "variant": case.label,
            "conceding": conceders,
            "negotiators": negotiators,
            "parties": without.parties,
            "without": simulation_json(&base.scenario, &without),
            "with": simulation_json(&case.scenario, &with),
            "final_demands": rows_json,
        }));
    }
    Ok((text, json!(out)))
}
