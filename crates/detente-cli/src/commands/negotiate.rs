//! `detente negotiate`: one simulated negotiation with a trace.

use super::Options;
use crate::load::{load, Failure};
use crate::render::{print_json, table, util};
use detente_agents::{Protocol, Simulation, SimulationSpec};
use detente_analysis::{agreement_quality, AgreementQuality, Analysis, Semantics};
use detente_core::{MediatorRule, Scenario};
use detente_protocol::{PreparedScenario, Rules, Status};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// The `negotiate` arguments after parsing.
pub(crate) struct Args<'a> {
    pub(crate) protocol: Option<&'a str>,
    pub(crate) negotiators: Option<&'a str>,
    pub(crate) rounds: Option<u32>,
    pub(crate) seed: u64,
    pub(crate) trace: Option<&'a Path>,
    pub(crate) mediator_rule: Option<&'a str>,
    pub(crate) rules: Option<&'a str>,
    pub(crate) least_satisfied_first: bool,
    pub(crate) time_limit: Option<f64>,
    pub(crate) list_negotiators: bool,
}

/// Splits `a,b(x=1,y=2),c` at top-level commas.
pub(crate) fn split_specs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() || !out.is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// The longest deadline `--rounds` accepts.
pub(crate) const MAX_ROUNDS: u32 = 1_000_000;

fn spec_from(args: &Args<'_>) -> Result<SimulationSpec, Failure> {
    let protocol = match args.protocol {
        None => None,
        Some(p) => Some(
            Protocol::parse(p).ok_or_else(|| Failure::Input(format!("--protocol: unknown protocol `{p}`; known: {}", Protocol::NAMES)))?,
        ),
    };
    let mediator_rule = match args.mediator_rule {
        None => None,
        Some(r) => Some(
            MediatorRule::parse(r)
                .ok_or_else(|| Failure::Input(format!("--mediator-rule: unknown rule `{r}`; known: biased, neutral, welfare")))?,
        ),
    };
    let rules = match args.rules {
        None => Rules::Negmas,
        Some(r) => Rules::parse(r).ok_or_else(|| Failure::Input(format!("--rules: unknown rule set `{r}`; known: negmas, genius_saop")))?,
    };
    if let Some(l) = args.time_limit {
        if l.is_nan() || l <= 0.0 {
            return Err(Failure::Input(format!("--time-limit: expected a positive number of seconds, got {l}")));
        }
    }
    if args.rounds == Some(0) {
        return Err(Failure::Input("--rounds: the deadline must be at least 1 round".into()));
    }
    if let Some(r) = args.rounds.filter(|&r| r > MAX_ROUNDS) {
        // The trace is kept in memory and mediated rounds cost ~0.5 ms each: beyond this the
        // command would run for hours or exhaust memory instead of answering.
        return Err(Failure::Input(format!("--rounds: expected at most {MAX_ROUNDS} rounds, got {r}")));
    }
    let negotiators = args.negotiators.map(split_specs);
    // Check every name before the count, so a typo is reported as such.
    for n in negotiators.iter().flatten() {
        detente_agents::build(n, 0).map_err(|e| Failure::Input(format!("--negotiators: {e}")))?;
    }
    Ok(SimulationSpec {
        protocol,
        negotiators,
        rounds: args.rounds,
        seed: args.seed,
        rules,
        mediator_rule,
        least_satisfied_first: args.least_satisfied_first,
        trace: args.trace.is_some(),
        time_limit: args.time_limit,
    })
}

/// Refuses options the chosen protocol would ignore (nothing the user gives is dropped).
fn check_applicable(args: &Args<'_>, protocol: Protocol) -> Result<(), Failure> {
    let name = protocol.as_str();
    let refuse =
        |opt: &str, applies: &str| Err(Failure::Input(format!("{opt} applies to {applies} only, and the protocol here is {name}")));
    match protocol {
        Protocol::JointTable => {
            if args.mediator_rule.is_some() {
                return refuse("--mediator-rule", "the mediated protocols (single_text*, shuttle)");
            }
            if args.least_satisfied_first {
                return refuse("--least-satisfied-first", "shuttle");
            }
        }
        Protocol::SingleText(_) | Protocol::Shuttle => {
            if args.rules.is_some() {
                return refuse("--rules", "sao (the joint table)");
            }
            if args.time_limit.is_some() {
                return refuse("--time-limit", "sao (the joint table)");
            }
            if args.least_satisfied_first && protocol != Protocol::Shuttle {
                return refuse("--least-satisfied-first", "shuttle");
            }
        }
    }
    Ok(())
}

/// Refuses a scenario deadline beyond [`MAX_ROUNDS`] when no `--rounds` overrides it.
fn check_deadline(scenario: &Scenario, spec: &SimulationSpec) -> Result<(), Failure> {
    match scenario.protocol.rounds.filter(|&r| spec.rounds.is_none() && r > MAX_ROUNDS) {
        Some(r) => Err(Failure::Input(format!(
            "[protocol] rounds = {r} is more than the {MAX_ROUNDS} rounds a negotiation may last; give a shorter deadline (negotiate: --rounds)"
        ))),
        None => Ok(()),
    }
}

/// Prepares a scenario for negotiation.
pub(crate) fn prepare(scenario: &Scenario) -> Result<Arc<PreparedScenario>, Failure> {
    PreparedScenario::new(scenario).map(Arc::new).map_err(|e| Failure::Input(format!("cannot negotiate on {}: {e}", scenario.meta.id)))
}

/// The analysis of a scenario for quality measures (NegMAS definitions), or why it is missing.
pub(crate) fn analysis_for(s: &Scenario) -> Result<Analysis, String> {
    detente_analysis::analyze(s, &detente_analysis::Options { semantics: Semantics::Negmas, ..Default::default() })
        .map_err(|e| e.to_string())
}

/// The quality of a simulation's result: distances (in utility space over the analysed
/// parties) from its utility vector — the deal's, or the reservation values without one — to
/// the Pareto frontier and the bargaining solutions.
pub(crate) fn quality(s: &Scenario, a: &Analysis, sim: &Simulation) -> AgreementQuality {
    let u: Vec<f64> = a.parties.iter().map(|p| s.actor_index(&p.id).map_or(0.0, |k| sim.utilities[k])).collect();
    agreement_quality(a, &u)
}

/// JSON of the quality (or the reason it is missing).
pub(crate) fn quality_json(s: &Scenario, a: &Result<Analysis, String>, sim: &Simulation) -> serde_json::Value {
    match a {
        Ok(a) => {
            let mut v = serde_json::to_value(quality(s, a, sim)).expect("invariant: the quality serialises");
            v["parties"] = json!(a.parties.iter().map(|p| p.id.clone()).collect::<Vec<_>>());
            v["semantics"] = json!(a.semantics.as_str());
            v
        }
        Err(e) => json!({ "error": e }),
    }
}

/// A distance for people.
pub(crate) fn dist(d: Option<f64>) -> String {
    d.map_or("-".into(), |x| format!("{x:.3}"))
}

/// One line saying how the negotiation ended.
pub(crate) fn status_text(sim: &Simulation) -> String {
    match &sim.status {
        Status::Agreed { round, .. } => format!("agreement in round {} of {}", round + 1, sim.deadline),
        Status::TimedOut => format!("no agreement: the deadline of {} rounds passed", sim.deadline),
        Status::Broken { by } => match sim.parties.get(*by as usize) {
            Some(p) => format!("no agreement: {p} walked away in round {}", sim.rounds),
            None => format!("no agreement: the mediator found no text to propose (round {})", sim.rounds),
        },
        Status::Errored { by, reason } => {
            format!("no agreement: {}'s negotiator failed: {reason}", sim.parties.get(*by as usize).map_or("?", String::as_str))
        }
        Status::Running => "still running".into(),
    }
}

/// The JSON of a simulation (shared with the study).
pub(crate) fn simulation_json(s: &Scenario, sim: &Simulation) -> serde_json::Value {
    let deal = sim
        .outcome
        .as_ref()
        .map(|o| s.space.issues().iter().zip(&o.0).map(|(i, v)| json!({ "issue": i.id, "value": i.format_value(v) })).collect::<Vec<_>>());
    let demands: Vec<serde_json::Value> = sim
        .parties
        .iter()
        .zip(&sim.final_offers)
        .map(|(p, o)| {
            let k = s.actor_index(p).unwrap_or(0);
            json!({
                "actor": p,
                "offer": o.and_then(|o| s.space.outcome_at(o)).map(|x| s.space.format(&x)),
                "utility": o.and_then(|o| s.space.outcome_at(o)).map(|x| s.actors[k].preferences.utility(&s.space, &x)),
            })
        })
        .collect();
    json!({
        "protocol": sim.protocol.as_str(),
        "mediator_rule": sim.mediator_rule.map(|r| r.as_str()),
        "parties": sim.parties.iter().zip(&sim.negotiators).map(|(p, n)| json!({ "actor": p, "negotiator": n })).collect::<Vec<_>>(),
        "status": sim.status.name(),
        "agreement": sim.agreement.is_some(),
        "reason": match &sim.status { Status::Errored { reason, .. } => Some(reason.clone()), _ => None },
        "round": match sim.status { Status::Agreed { round, .. } => Some(round + 1), _ => None },
        "rounds": sim.rounds,
        "deadline": sim.deadline,
        "outcome_index": sim.agreement,
        "deal": deal,
        "utilities": s.actors.iter().zip(&sim.utilities).map(|(a, u)| {
            let r = a.preferences.reservation_value(&s.space);
            json!({ "actor": a.id, "utility": u, "reservation": r, "margin": u - r, "required": a.required, "role": a.role.as_str() })
        }).collect::<Vec<_>>(),
        "final_demands": demands,
        "texts": sim.texts.map(|(p, a)| json!({ "proposed": p, "accepted": a })),
        "quality": serde_json::Value::Null,
    })
}

pub(crate) fn run(file: Option<&Path>, args: &Args<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if args.list_negotiators {
        if opts.json {
            print_json(&json!(detente_agents::NAMES.iter().map(|(n, d)| json!({ "name": n, "description": d })).collect::<Vec<_>>()));
        } else {
            let rows: Vec<Vec<String>> = detente_agents::NAMES.iter().map(|(n, d)| vec![n.to_string(), d.to_string()]).collect();
            out!("{}", table(&["negotiator".to_string(), "algorithm and parameters".to_string()], &rows));
        }
        return Ok(());
    }
    let loaded = load(file, opts.variant)?;
    let s = &loaded.scenario;
    let spec = spec_from(args)?;
    if spec.protocol.is_none() {
        if let Some(p) = s.protocol.protocol.as_deref().filter(|p| Protocol::parse(p).is_none()) {
            return Err(Failure::Input(format!(
                "{}: [protocol] protocol = `{p}` is not a known protocol; known: {} (or choose one with --protocol)",
                loaded.source,
                Protocol::NAMES
            )));
        }
    }
    check_applicable(args, spec.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s)))?;
    let prepared = prepare(s)?;
    let start = std::time::Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    check_deadline(s, &spec)?;
    let sim = detente_agents::simulate_with_clock(s, &prepared, &spec, spec.time_limit.map(|_| &clock as &dyn detente_protocol::Clock))
        .map_err(|e| Failure::Input(e.to_string()))?;
    let analysis = analysis_for(s);
    if let (Some(path), Some(trace)) = (args.trace, sim.trace.as_ref()) {
        std::fs::write(path, trace).map_err(|e| Failure::Input(format!("--trace {}: {e}", path.display())))?;
    }
    if opts.json {
        let mut v = simulation_json(s, &sim);
        v["quality"] = quality_json(s, &analysis, &sim);
        v["scenario"] = json!(s.meta.id);
        v["seed"] = json!(args.seed);
        v["trace_file"] = json!(args.trace.map(|p| p.display().to_string()));
        print_json(&v);
        return Ok(());
    }
    let who: Vec<String> = sim.parties.iter().zip(&sim.negotiators).map(|(p, n)| format!("{p} ({n})")).collect();
    outln!("Scenario: {}", s.meta.id);
    outln!(
        "Protocol: {}{}; deadline {} rounds; seed {}",
        sim.protocol.as_str(),
        sim.mediator_rule.map_or(String::new(), |r| format!(", {} mediator", r.as_str())),
        sim.deadline,
        args.seed
    );
    outln!("Parties:  {}", who.join(", "));
    outln!("\nResult: {}", status_text(&sim));
    if let Some((p, a)) = sim.texts {
        outln!("Texts put to the parties: {p}, accepted: {a}");
    }
    if let Some(o) = &sim.outcome {
        outln!("\nThe deal\n");
        let rows: Vec<Vec<String>> = s.space.issues().iter().zip(&o.0).map(|(i, v)| vec![i.id.clone(), i.format_value(v)]).collect();
        out!("{}", table(&["issue".to_string(), "option".to_string()], &rows));
    }
    outln!("\nUtilities{}\n", if sim.agreement.is_some() { "" } else { " (no agreement: each gets its reservation value)" });
    let rows: Vec<Vec<String>> = s
        .actors
        .iter()
        .zip(&sim.utilities)
        .map(|(a, u)| {
            let r = a.preferences.reservation_value(&s.space);
            vec![
                a.id.clone(),
                a.role.as_str().to_string(),
                util(*u),
                util(r),
                util(u - r),
                if a.required { "yes".into() } else { "no".into() },
            ]
        })
        .collect();
    out!("{}", table(&["actor", "role", "utility", "reservation", "margin", "required"].map(String::from), &rows));
    match &analysis {
        Ok(a) => {
            let q = quality(s, a, &sim);
            let ids: Vec<&str> = a.parties.iter().map(|p| p.id.as_str()).collect();
            outln!(
                "\nQuality ({}, in the utility space of {}):\n  distance to the Pareto frontier {}, to the Nash point {}, to Kalai-Smorodinsky {}; welfare {}",
                if sim.agreement.is_some() { "of the deal" } else { "of walking away" },
                ids.join(", "),
                dist(q.pareto_distance),
                dist(q.nash_distance),
                dist(q.ks_distance),
                util(q.welfare)
            );
        }
        Err(e) => outln!("\nQuality: not computed ({e})."),
    }
    if let Some(p) = args.trace {
        outln!("Trace written to {}", p.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_split_at_top_level_commas() {
        assert_eq!(split_specs("boulware, boa(e=0.2,ac=next),tft"), vec!["boulware", "boa(e=0.2,ac=next)", "tft"]);
        assert_eq!(split_specs("a"), vec!["a"]);
        assert_eq!(split_specs("a,"), vec!["a", ""]);
    }
}
