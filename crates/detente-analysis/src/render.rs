//! Plain-text rendering of an [`Analysis`] for people: outcomes as issue options, each party's
//! utility beside them.

use crate::analysis::{Analysis, Method};
use crate::solutions::{OutcomeRef, Solution};
use detente_core::Scenario;
use std::fmt::Write;

/// An outcome index written as `issue=value, …` (or `outcome #i` if out of range).
pub fn describe_outcome(scenario: &Scenario, outcome: u64) -> String {
    match scenario.space.outcome_at(outcome) {
        Some(o) => scenario.space.format(&o),
        None => format!("outcome #{outcome}"),
    }
}

fn num(x: f64) -> String {
    if x == f64::NEG_INFINITY {
        // a NegMAS-read discounted profile's walk-away value (see `walk_away`)
        "−∞".into()
    } else if x == 0.0 {
        "0".into()
    } else if x.abs() >= 1000.0 || x.abs() < 0.001 {
        format!("{x:.4e}")
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn utilities(a: &Analysis, u: &[f64]) -> String {
    a.parties.iter().zip(u).map(|(p, u)| format!("{} {}", p.id, num(*u))).collect::<Vec<_>>().join(", ")
}

fn deal(a: &Analysis, s: &Scenario, o: &OutcomeRef) -> String {
    format!("{}  [{}]", describe_outcome(s, o.outcome), utilities(a, &o.utilities))
}

fn solution_line(out: &mut String, a: &Analysis, s: &Scenario, name: &str, sol: &Solution) {
    match sol.chosen() {
        Some(o) => {
            let more = if sol.points.len() > 1 { format!(" (+{} tied)", sol.points.len() - 1) } else { String::new() };
            let _ = writeln!(out, "  {name:<22} {}{more}", deal(a, s, o));
        }
        None => {
            let _ = writeln!(out, "  {name:<22} none (no outcome satisfies every reservation)");
        }
    }
}

/// The analysis as text. `scenario` must be the one analysed (same variant).
pub fn render_text(a: &Analysis, s: &Scenario) -> String {
    let mut out = String::new();
    let title = if s.meta.title.is_empty() { &s.meta.id } else { &s.meta.title };
    // A GENIUS folder has two readings: say which one gave these utilities.
    let read = s.meta.read_with.map_or(String::new(), |r| format!("; read as {} reads GENIUS files", r.platform()));
    let _ = writeln!(out, "Analysis of {title} ({} semantics{read})", a.semantics.as_str());
    let method = match a.method {
        Method::Enumerated => "every outcome evaluated",
        Method::PerIssueDp => "too many to enumerate: frontier by per-issue dynamic programming",
    };
    let _ = writeln!(out, "  outcomes: {} ({method}); issues: {}; parties: {}", a.outcomes, s.space.issues().len(), a.parties.len());
    if let Some(o) = a.opposition {
        let _ = writeln!(out, "  opposition: {} (0 = every party can have its best at once; higher = more opposed)", num(o));
    }
    if let Some(r) = a.rational_fraction {
        let _ = writeln!(out, "  rational: {:.4}% of outcomes beat walking away for every party", 100.0 * r);
    }
    let _ = writeln!(out, "  Pareto frontier: {} points ({} outcomes)", a.frontier.len(), a.frontier.outcome_count());

    let _ = writeln!(out, "\nZone of possible agreement (required: {})", a.zopa.required.join(", "));
    if a.zopa.exists {
        match a.zopa.count {
            Some(c) => {
                let _ = writeln!(out, "  {c} outcomes beat walking away for every required party");
            }
            None => {
                let _ = writeln!(out, "  some outcomes beat walking away for every required party");
            }
        }
        for (id, o) in &a.zopa.best_for {
            let _ = writeln!(out, "  best for {id}: {}", deal(a, s, o));
        }
    } else {
        for id in &a.zopa.no_deal_for {
            let _ = writeln!(out, "  no deal beats walking away for {id}");
        }
        if a.zopa.no_deal_for.is_empty() {
            let _ = writeln!(out, "  no single deal beats walking away for {} at once", a.zopa.required.join(", "));
        }
        if let Some(c) = &a.zopa.closest {
            let _ = writeln!(out, "  closest deal: {}", deal(a, s, &c.deal));
            let short: Vec<String> = c.gains.iter().filter(|g| g.1 <= 0.0).map(|(id, g)| format!("{id} short by {}", num(-g))).collect();
            if !short.is_empty() {
                let _ = writeln!(out, "    there: {}", short.join(", "));
            }
        }
    }

    if let Some(r) = &a.zopa.red_lines {
        let _ = writeln!(
            out,
            "  red lines: {} outcomes cross a required party's red line and are left out of the zone, the frontier and the solutions",
            r.excluded
        );
        if !a.zopa.exists && r.zone_without_red_lines > 0 {
            let _ = writeln!(
                out,
                "  no acceptable deal: {} deals would beat walking away for every required party, but each crosses a red line",
                r.zone_without_red_lines
            );
        }
        for l in &r.lines {
            let effect =
                if l.rules_out > 0 { format!("rules out {} otherwise agreeable deals", l.rules_out) } else { "does not bind".into() };
            let _ = writeln!(out, "    {} never accepts {}: {effect}", l.actor, l.red_line);
        }
    }

    let _ = writeln!(out, "\nSolutions");
    let sol = &a.solutions;
    solution_line(&mut out, a, s, "Nash", &sol.nash);
    solution_line(&mut out, a, s, "Kalai-Smorodinsky", &sol.kalai_smorodinsky);
    solution_line(&mut out, a, s, "egalitarian", &sol.egalitarian);
    solution_line(&mut out, a, s, "max welfare", &sol.max_welfare);
    solution_line(&mut out, a, s, "max relative welfare", &sol.max_relative_welfare);
    solution_line(&mut out, a, s, "modified KS", &sol.modified_kalai_smorodinsky);
    solution_line(&mut out, a, s, "modified egalitarian", &sol.modified_egalitarian);

    let _ = writeln!(out, "\nParties");
    for p in &a.parties {
        let req = if p.required { "required" } else { "not required" };
        let walk = p.prefers_to_walking_away.map(|c| format!(", prefers {c} outcomes to walking away")).unwrap_or_default();
        let _ = writeln!(out, "  {} ({req}): reservation {}, utility {} to {}{walk}", p.name, num(p.reservation), num(p.min), num(p.max));
        if let Some(b) = &p.best {
            let _ = writeln!(out, "    best:  {}", deal(a, s, b));
        }
        if let Some(w) = &p.worst {
            let _ = writeln!(out, "    worst: {}", deal(a, s, w));
        }
    }
    out
}

/// The frontier as text, one point per line (utilities, then the lowest-index outcome).
pub fn render_frontier(a: &Analysis, s: &Scenario) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Pareto frontier ({} points)", a.frontier.len());
    for p in a.frontier.iter() {
        let more =
            if p.outcomes.len() > 1 { format!(" (+{} outcomes with the same utilities)", p.outcomes.len() - 1) } else { String::new() };
        let _ = writeln!(out, "  [{}]  {}{more}", utilities(a, p.utilities), describe_outcome(s, p.outcome()));
    }
    out
}
