//! `detente negotiate`: one simulated negotiation with a trace.

use super::Options;
use crate::load::{load, Failure};
use crate::render::{print_serialized, table, util};
use detente_agents::{Protocol, Setting, SimulateError, SimulationSpec, Unread};
use detente_core::{MediatorRule, NegotiatorKind, NegotiatorSpec, Scenario};
use detente_protocol::{Knowledge, MediationRules, PreparedScenario, Rules};
use detente_study::NegotiationReport;
use std::path::Path;
use std::sync::Arc;

/// The `negotiate` arguments after parsing.
pub(crate) struct Args<'a> {
    pub(crate) protocol: Option<Protocol>,
    pub(crate) negotiators: Option<&'a str>,
    pub(crate) rounds: Option<u32>,
    pub(crate) seed: u64,
    pub(crate) trace: Option<&'a Path>,
    pub(crate) mediator_rule: Option<MediatorRule>,
    pub(crate) rules: Option<Rules>,
    pub(crate) stall: Option<u32>,
    pub(crate) least_satisfied_first: bool,
    pub(crate) knowledge: Option<Knowledge>,
    pub(crate) time_limit: Option<f64>,
    /// `--opener ACTOR`: who speaks first at the joint table.
    pub(crate) opener: Option<&'a str>,
    pub(crate) list_negotiators: bool,
    /// `--html FILE`.
    pub(crate) html: Option<&'a Path>,
    /// `--force`: replace an existing `--html` or `--trace` file.
    pub(crate) force: bool,
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

/// The longest deadline `--rounds` accepts (the library's limit).
pub(crate) const MAX_ROUNDS: u32 = detente_core::limits::MAX_ROUNDS;

fn spec_from(args: &Args<'_>) -> Result<SimulationSpec, Failure> {
    let (protocol, mediator_rule) = (args.protocol, args.mediator_rule);
    let rules = args.rules.unwrap_or(Rules::Negmas);
    if let Some(l) = args.time_limit {
        if l.is_nan() || l <= 0.0 {
            return Err(Failure::Usage(format!("--time-limit: expected a positive number of seconds, got {l}")));
        }
    }
    if args.stall == Some(0) {
        return Err(Failure::Usage("--stall: a stall limit must be at least 1 round".into()));
    }
    if args.rounds == Some(0) {
        return Err(Failure::Usage("--rounds: the deadline must be at least 1 round".into()));
    }
    if let Some(r) = args.rounds.filter(|&r| r > MAX_ROUNDS) {
        return Err(Failure::Usage(format!("--rounds: expected at most {MAX_ROUNDS} rounds, got {r}")));
    }
    // Every spec is read here, before the count is checked, so that a typo is a usage error.
    let negotiators = match args.negotiators.map(split_specs) {
        Some(texts) => Some(
            texts
                .iter()
                .map(|t| NegotiatorSpec::parse(t).map(|n| n.to_string()).map_err(|e| Failure::Usage(format!("--negotiators: {e}"))))
                .collect::<Result<_, _>>()?,
        ),
        None => None,
    };
    Ok(SimulationSpec {
        protocol,
        negotiators,
        rounds: args.rounds,
        seed: args.seed,
        rules,
        mediation_rules: MediationRules::Detente,
        mediator_rule,
        stall: args.stall,
        least_satisfied_first: args.least_satisfied_first,
        knowledge: args.knowledge,
        trace: args.trace.is_some(),
        time_limit: args.time_limit,
        opener: 0,
    })
}

/// The library's refusals in the CLI's words: a setting the protocol would not read is a usage
/// error naming the flag (the rule itself is [`detente_agents::check_applicable`]); anything
/// else the scenario makes impossible.
fn refusal(e: SimulateError) -> Failure {
    let flag = |setting: Setting| match setting {
        Setting::MediatorRule => "--mediator-rule".to_string(),
        Setting::LeastSatisfiedFirst => "--least-satisfied-first".into(),
        Setting::Knowledge => "--knowledge".into(),
        Setting::Stall => "--stall".into(),
        Setting::Negotiators => "--negotiators".into(),
        Setting::MediationRules(_) => "--rules negmas".into(),
        Setting::SaoRules(r) => format!("--rules {}", r.as_str()),
        Setting::TimeLimit => "--time-limit".into(),
        Setting::Opener => "--opener".into(),
        other => other.to_string(),
    };
    match e {
        SimulateError::NotApplicable { setting, why: Unread::Protocol { applies_to, protocol } } => {
            // `--rules negmas` also names the joint table's rule set
            let sao = if matches!(setting, Setting::MediationRules(_)) { "sao, " } else { "" };
            Failure::Usage(format!(
                "{} has no effect: it applies to {sao}{} only, and the protocol here is {}",
                flag(setting),
                applies_to.describe(),
                protocol.as_str()
            ))
        }
        SimulateError::NotApplicable { setting, why: Unread::NegmasRules { why } } => {
            Failure::Usage(format!("{} has no effect with --rules negmas: {why}", flag(setting)))
        }
        e => Failure::Input(e.to_string()),
    }
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

/// What a mediator knew, after its rule: `knowing only the votes`, `(omniscient)`.
pub(crate) fn knowing(k: Option<&str>) -> &'static str {
    match k {
        Some("votes") => " knowing only the votes",
        Some("omniscient") => " (omniscient)",
        _ => "",
    }
}

/// A distance for people.
fn dist(d: Option<f64>) -> String {
    d.map_or("-".into(), |x| format!("{x:.3}"))
}

/// `--list-negotiators --json`: one row per negotiator.
#[derive(serde::Serialize)]
struct NegotiatorInfo {
    name: &'static str,
    description: &'static str,
}

/// `negotiate --json`: the report, and where the trace went.
#[derive(serde::Serialize)]
struct Output<'a> {
    #[serde(flatten)]
    report: &'a NegotiationReport,
    trace_file: Option<String>,
}

pub(crate) fn run(file: Option<&Path>, args: &Args<'_>, opts: &Options<'_>) -> Result<(), Failure> {
    if args.list_negotiators {
        if opts.json {
            let list: Vec<NegotiatorInfo> =
                NegotiatorKind::ALL.iter().map(|k| NegotiatorInfo { name: k.name(), description: k.describe() }).collect();
            print_serialized(&list);
        } else {
            let rows: Vec<Vec<String>> = NegotiatorKind::ALL.iter().map(|k| vec![k.name().to_string(), k.describe().to_string()]).collect();
            out!("{}", table(&["negotiator".to_string(), "algorithm and parameters".to_string()], &rows));
        }
        return Ok(());
    }
    if let Some(path) = args.html {
        crate::render::check_page(path, args.force, opts.json, file)?;
    }
    if let Some(path) = args.trace {
        crate::output::check_file(path, args.force, file)?;
    }
    if let (Some(html), Some(trace)) = (args.html, args.trace) {
        crate::output::distinct(("--html", html), ("--trace", trace))?;
    }
    let loaded = load(file, opts.variant, opts.semantics)?;
    let s = &loaded.scenario;
    let mut spec = spec_from(args)?;
    let protocol = spec.protocol.unwrap_or_else(|| detente_agents::scenario_protocol(s));
    if let Some(id) = args.opener {
        let parties = detente_agents::participants(s, protocol);
        spec.opener = parties.iter().position(|&a| s.actors[a].id == id).ok_or_else(|| {
            let names: Vec<&str> = parties.iter().map(|&a| s.actors[a].id.as_str()).collect();
            Failure::Usage(format!("--opener: `{id}` is not a participating party here; expected one of {}", names.join(", ")))
        })?;
    }
    // `--rules negmas` at a mediated table asks for NegMAS's single-text rules
    if protocol != Protocol::JointTable && args.rules == Some(Rules::Negmas) {
        spec.mediation_rules = MediationRules::Negmas;
    }
    detente_agents::check_applicable(&spec, protocol).map_err(refusal)?;
    let negmas_st = spec.mediation_rules == MediationRules::Negmas;
    loaded.note_unread(opts.variant, &format!("the {} protocol with these options", protocol.as_str()), |p, rule| match p {
        // NegMAS's single-text rules read no mediator rule and no strategy
        detente_core::Patch::MediatorRule(to) => {
            !negmas_st
                && spec.mediator_rule.is_none()
                && protocol.rule_change_matters_in(s, spec.knowledge.unwrap_or(detente_agents::DEFAULT_KNOWLEDGE), rule, *to)
        }
        detente_core::Patch::Strategy { .. } => !negmas_st && spec.negotiators.is_none(),
        p => protocol.reads(p.input()),
    });
    let prepared = prepare(s)?;
    let start = std::time::Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    check_deadline(s, &spec)?;
    let sim = detente_agents::simulate_with_clock(s, &prepared, &spec, spec.time_limit.map(|_| &clock as &dyn detente_protocol::Clock))
        .map_err(refusal)?;
    let report = detente_study::negotiation::report(s, &prepared, &sim, args.seed);
    if let (Some(path), Some(trace)) = (args.trace, sim.trace.as_ref()) {
        crate::output::write_file(path, trace.as_bytes(), args.force, file)?;
    }
    if let Some(path) = args.html {
        let html = detente_report::html::negotiation(&report, &detente_study::scenario::summarise(s), &loaded.source);
        crate::output::write_file(path, html.as_bytes(), args.force, file)?;
        outln!("Wrote {} ({} KB): open it in any browser; it needs no network.", path.display(), html.len().div_ceil(1024));
        return Ok(());
    }
    if opts.json {
        print_serialized(&Output { report: &report, trace_file: args.trace.map(|p| p.display().to_string()) });
        return Ok(());
    }
    let r = &report;
    let who: Vec<String> = r.parties.iter().map(|p| format!("{} ({})", p.actor, p.negotiator)).collect();
    outln!("Scenario: {}", r.scenario);
    if let Some(how) = r.read_with.and_then(detente_core::Semantics::parse) {
        outln!("Read as:  {} reads GENIUS files (utilities and discounts)", how.platform());
    }
    outln!(
        "Protocol: {}{}{}; deadline {} rounds; seed {}",
        r.protocol,
        r.mediator_rule.map_or(String::new(), |m| format!(", {m} mediator{}", knowing(r.knowledge))),
        if sim.mediation_rules == Some(MediationRules::Negmas) { ", NegMAS 0.16 rules" } else { "" },
        r.deadline,
        r.seed
    );
    outln!("Parties:  {}", who.join(", "));
    for (a, why) in &r.left_out {
        outln!("Left out: {a} ({why})");
    }
    outln!("\nResult: {}", r.summary);
    if let Some(why) = &r.why {
        outln!("Why: {why}");
    }
    if let Some(t) = r.texts {
        outln!("Texts put to the parties: {}, accepted: {}", t.proposed, t.accepted);
    }
    if let Some(learnt) = &r.learnt {
        let each: Vec<String> = learnt.iter().map(|g| format!("{} {:.2}", g.party, g.rank_correlation)).collect();
        outln!(
            "What the mediator learnt from the votes: how well its estimate orders the outcomes as each party does (Spearman; 1 exactly, 0 chance): {}",
            each.join(", ")
        );
    }
    if let Some(deal) = &r.deal {
        outln!("\nThe deal\n");
        let rows: Vec<Vec<String>> = deal.iter().map(|t| vec![t.issue.clone(), t.value.clone()]).collect();
        out!("{}", table(&["issue".to_string(), "option".to_string()], &rows));
    }
    outln!("\nUtilities{}\n", if r.agreement { "" } else { " (no agreement: each gets its reservation value)" });
    let rows: Vec<Vec<String>> = r
        .utilities
        .iter()
        .map(|a| {
            vec![
                a.actor.clone(),
                a.role.to_string(),
                util(a.utility),
                util(a.reservation),
                util(a.margin),
                if a.required { "yes".into() } else { "no".into() },
            ]
        })
        .collect();
    out!("{}", table(&["actor", "role", "utility", "reservation", "margin", "required"].map(String::from), &rows));
    let discounted: Vec<String> = r
        .utilities
        .iter()
        .filter_map(|a| a.undiscounted.map(|u| format!("{} {} (undiscounted {})", a.actor, util(a.utility), util(u))))
        .collect();
    if !discounted.is_empty() {
        outln!("Discounted at the end of the negotiation: {}; the margin is against walking away at the start.", discounted.join(", "));
    }
    match (&r.quality, &r.quality_error) {
        (Some(q), _) => {
            let m = &q.measures;
            outln!(
                "\nQuality ({}, in the utility space of the parties that must agree: {}):\n  distance to their Pareto frontier {}, to their Nash point {}, to Kalai-Smorodinsky {}; their welfare {}",
                if r.agreement { "of the deal" } else { "of walking away" },
                m.parties.join(", "),
                dist(m.pareto_distance),
                dist(m.nash_distance),
                dist(m.ks_distance),
                util(m.welfare)
            );
            for o in &m.outside {
                let mediator = r.mediator.as_ref().is_some_and(|x| x.actor == o.actor);
                let nash = match (o.at_nash, o.over_nash) {
                    (Some(a), Some(d)) => {
                        // only a deal has a price of bias; walking away is not the mediator's choice
                        let bias = if mediator && r.agreement { ": the price of its bias" } else { "" };
                        format!(", {} at their Nash deal ({d:+.3}{bias})", util(a))
                    }
                    _ => String::new(),
                };
                outln!("  {}{} gets {}{nash}", o.actor, if mediator { " (the mediator)" } else { "" }, util(o.utility));
            }
        }
        (None, e) => outln!("\nQuality: not computed ({}).", e.as_deref().unwrap_or("no analysis")),
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
