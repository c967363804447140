//! Times detente's analysis on a synthetic linear additive scenario read from JSON, for the
//! side-by-side comparison with NegMAS (`scripts/bench-analysis-vs-negmas.sh`).
//!
//! ```text
//! cargo run --release -p detente-analysis --example analysis_bench -- INPUT.json TASK REPS
//! ```
//! INPUT: `{"radices": [k_0, …], "parties": [{"weights": [w_i], "tables": [[v_i(0), …], …],
//! "reserved": r}, …]}` — the same per-issue tables the Python driver hands to NegMAS
//! (`u = Σ_i w_i · tables[i][x_i]`, summed in issue order). TASK: `frontier` (evaluate every
//! outcome and compute the exact Pareto frontier), `analysis` (the full [`analyze`], NegMAS
//! semantics) or `analysis-genius` (GENIUS semantics).
//! Prints one JSON line with the median and every run's seconds, the frontier size, the Nash
//! point and the process's peak resident memory (VmHWM, KiB).

use detente_analysis::{analyze, pareto_frontier, Options, Semantics};
use detente_core::{Actor, Issue, LinearAdditive, OutcomeSpace, Preferences, Reservation, ScenarioDraft, Utility, ValueFunction};
use serde_json::Value as Json;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        return Err("usage: analysis_bench INPUT.json frontier|analysis REPS".into());
    }
    let input: Json = serde_json::from_str(&std::fs::read_to_string(&args[1])?)?;
    let task = args[2].as_str();
    let reps: usize = args[3].parse()?;
    let radices: Vec<u64> = input["radices"].as_array().ok_or("radices")?.iter().filter_map(Json::as_u64).collect();
    let space = OutcomeSpace::new(
        radices
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                Issue::categorical(
                    format!("i{i}"),
                    &(0..k).map(|v| format!("v{v}")).collect::<Vec<_>>().iter().map(String::as_str).collect::<Vec<_>>(),
                )
            })
            .collect(),
    );
    let mut actors = Vec::new();
    for (p, party) in input["parties"].as_array().ok_or("parties")?.iter().enumerate() {
        let weights: Vec<f64> = party["weights"].as_array().ok_or("weights")?.iter().filter_map(Json::as_f64).collect();
        let values = party["tables"]
            .as_array()
            .ok_or("tables")?
            .iter()
            .map(|t| ValueFunction::Table(t.as_array().map(|a| a.iter().filter_map(Json::as_f64).collect()).unwrap_or_default()))
            .collect();
        let mut prefs = Preferences::new(Utility::LinearAdditive(LinearAdditive { bias: 0.0, weights, values, clamp: None }));
        prefs.reservation = Reservation::Value(party["reserved"].as_f64().unwrap_or(0.0));
        actors.push(Actor::party(format!("p{p}"), prefs));
    }
    let s = ScenarioDraft::new("generated", space, actors).validate()?;
    let mut times = Vec::new();
    let mut frontier = 0;
    let mut nash: Option<Vec<f64>> = None;
    let mut opposition = None;
    for _ in 0..reps {
        let t0 = Instant::now();
        match task {
            "frontier" => frontier = pareto_frontier(&s, u64::MAX)?.len(),
            "analysis" | "analysis-genius" => {
                let semantics = if task == "analysis" { Semantics::Negmas } else { Semantics::Genius };
                let a = analyze(&s, &Options { enumeration_limit: u64::MAX, semantics, ..Options::default() })?;
                opposition = a.opposition;
                frontier = a.solution_frontier_size;
                nash = a.solutions.nash.chosen().map(|p| p.utilities.clone());
            }
            other => return Err(format!("unknown task `{other}`").into()),
        }
        times.push(t0.elapsed().as_secs_f64());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if sorted.is_empty() { f64::NAN } else { sorted[sorted.len() / 2] };
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()));
    let out = serde_json::json!({
        "task": task, "outcomes": s.space.cardinality().as_u64(), "threads": rayon_threads(),
        "median_s": median, "times_s": times, "frontier": frontier, "nash": nash, "opposition": opposition, "peak_rss_kib": rss,
    });
    println!("{out}");
    Ok(())
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
