//! `detente analyze`: the analyse lens — sizes, opposition, the Pareto frontier, every
//! bargaining solution as issue options with each party's utility, and the ZOPA.

use super::Options;
use crate::load::{load, Failure};
use crate::render::print_json;
use detente_analysis::{analyze, describe_outcome, render_frontier, render_text, Analysis, Semantics};
use detente_core::Scenario;
use serde_json::{json, Value};
use std::path::Path;

/// `--semantics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SemanticsArg {
    /// NegMAS 0.16.0 `calc_scenario_stats` definitions.
    Negmas,
    /// GENIUS 10.4 `MultilateralAnalysis` definitions.
    Genius,
}

impl From<SemanticsArg> for Semantics {
    fn from(s: SemanticsArg) -> Self {
        match s {
            SemanticsArg::Negmas => Semantics::Negmas,
            SemanticsArg::Genius => Semantics::Genius,
        }
    }
}

/// Runs the analysis of one scenario, or a failure naming the source.
pub(crate) fn analysis(s: &Scenario, semantics: Semantics, source: &str) -> Result<Analysis, Failure> {
    analyze(s, &detente_analysis::Options { semantics, ..Default::default() }).map_err(|e| Failure::Input(format!("{source}: {e}")))
}

pub(crate) fn run(file: Option<&Path>, frontier: bool, semantics: SemanticsArg, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, opts.variant)?;
    let s = &loaded.scenario;
    let a = analysis(s, semantics.into(), &loaded.source)?;
    if opts.json {
        print_json(&analysis_json(&a, s, frontier));
        return Ok(());
    }
    out!("{}", render_text(&a, s));
    if frontier {
        outln!();
        out!("{}", render_frontier(&a, s));
    }
    Ok(())
}

/// The analysis as JSON, every referenced outcome also written as issue options (`deals`);
/// the frontier points only when `frontier` is set.
pub(crate) fn analysis_json(a: &Analysis, s: &Scenario, frontier: bool) -> Value {
    let mut v = serde_json::to_value(a).expect("invariant: the analysis serialises");
    let mut deals = serde_json::Map::new();
    collect_outcomes(&v, &mut |o| {
        deals.entry(o.to_string()).or_insert_with(|| json!(describe_outcome(s, o)));
    });
    if let Value::Object(m) = &mut v {
        m.insert("scenario".into(), json!(s.meta.id));
        m.insert("frontier_size".into(), json!(a.frontier.len()));
        m.insert("frontier_outcomes".into(), json!(a.frontier.outcome_count()));
        if !frontier {
            m.remove("frontier");
        }
        m.insert("deals".into(), Value::Object(deals));
    }
    v
}

/// Calls `f` on every `"outcome": n` field outside the frontier.
fn collect_outcomes(v: &Value, f: &mut dyn FnMut(u64)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "frontier" {
                    continue;
                }
                if k == "outcome" {
                    if let Some(o) = x.as_u64() {
                        f(o);
                    }
                }
                collect_outcomes(x, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_outcomes(x, f)),
        _ => {}
    }
}
