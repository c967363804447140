//! Throughput of bilateral SAO negotiations: the detente side of
//! `scripts/bench-sao-vs-negmas.sh`.
//!
//! Input: a JSON file holding one scenario in the `negmas-vectors/vectors.json` entry format
//! (issues + linear-additive ufuns with raw values, as NegMAS loaded them). The scenario is
//! prepared once (per-party utilities evaluated and sorted, shared by `Arc`); then fresh
//! negotiators and a fresh session are built for every negotiation, as a tournament does.
//!
//! Or: a GENIUS folder, read by detente's own reader with NegMAS semantics
//! (`detente_formats::genius::load_folder(path, Semantics::Negmas)`).
//!
//! Usage: `sao_throughput SCENARIO.json|GENIUS_FOLDER NEG_A NEG_B N_STEPS [SECONDS]`
//! Prints one JSON line: preparation time, negotiations/s, rounds/s, the result.

use detente_protocol::{PreparedScenario, Session, SessionConfig};
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: sao_throughput SCENARIO.json NEG_A NEG_B N_STEPS [SECONDS]");
        std::process::exit(2);
    }
    let path = std::path::Path::new(&args[1]);
    let (scenario, name) = if path.is_dir() {
        let s = detente_formats::genius::load_folder(path, detente_formats::genius::Semantics::Negmas)
            .unwrap_or_else(|e| panic!("{}: {e}", args[1]));
        (s, serde_json::json!(args[1]))
    } else {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", args[1]));
        let entry: serde_json::Value = serde_json::from_str(&text).expect("scenario JSON");
        (detente_testkit::vector_scenario(&entry), entry["path"].clone())
    };
    let n_steps: u32 = args[4].parse().expect("N_STEPS");
    let budget: f64 = args.get(5).map_or(1.0, |s| s.parse().expect("SECONDS"));
    let t0 = Instant::now();
    let prepared = Arc::new(PreparedScenario::new(&scenario).expect("prepare"));
    let t_prepare = t0.elapsed().as_secs_f64();
    let run = || {
        let negs =
            vec![detente_agents::build(&args[2], 0).expect("negotiator A"), detente_agents::build(&args[3], 1).expect("negotiator B")];
        let mut s = Session::new(Arc::clone(&prepared), vec![0, 1], negs, SessionConfig::rounds(n_steps)).expect("session");
        s.run(&mut ())
    };
    let first = run();
    // batches of negotiations; the median batch gives the rate
    let mut rates = Vec::new();
    let start = Instant::now();
    let mut batch = 1u64;
    let mut total = 1u64;
    while start.elapsed().as_secs_f64() < budget || rates.len() < 5 {
        let t = Instant::now();
        let mut rounds = 0u64;
        for _ in 0..batch {
            rounds += u64::from(std::hint::black_box(run()).rounds);
        }
        let dt = t.elapsed().as_secs_f64();
        total += batch;
        if dt < 0.02 {
            batch *= 2;
            continue;
        }
        rates.push((batch as f64 / dt, rounds as f64 / dt));
    }
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (neg_s, rounds_s) = rates[rates.len() / 2];
    let out = serde_json::json!({
        "scenario": name,
        "actors": scenario.actors.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        "n_outcomes": prepared.n_outcomes(),
        "pair": [args[2], args[3]],
        "n_steps": n_steps,
        "prepare_s": t_prepare,
        "negotiations_per_s": neg_s,
        "rounds_per_s": rounds_s,
        "rounds": first.rounds,
        "status": first.status.name(),
        "agreement_index": first.status.agreement(),
        "utilities": first.utilities,
        "batches": rates.len(),
        "total_negotiations": total,
    });
    println!("{out}");
}
