//! Builds the bench's generated conflict (98 304 states, 4 DMs), runs the exact core analysis
//! once, and prints the times, the equilibria counts and the peak resident memory (VmHWM).
//! `cargo run --release -p detente-conflict --example large`

use std::time::Instant;

use detente_conflict::{analyze, AnalysisOptions, Concept};

include!("../benches/generator.rs");

fn main() {
    let t0 = Instant::now();
    let conflict = large_conflict(13);
    let built = t0.elapsed();
    let arcs: usize = (0..4).map(|d| conflict.graph().adjacency(d).map(|a| a.arcs()).unwrap_or(0)).sum();
    let t1 = Instant::now();
    let report = analyze(&conflict, &AnalysisOptions::core_only()).unwrap_or_else(|e| panic!("{e}"));
    let analysed = t1.elapsed();
    let t2 = Instant::now();
    let _ = detente_conflict::individual_stability(conflict.graph());
    println!("individual_stability alone {:.3} s", t2.elapsed().as_secs_f64());
    println!("states {}, DMs 4, arcs {arcs}", conflict.graph().n_states());
    println!("build (enumerate + moves + preferences) {:.3} s, analysis {:.3} s", built.as_secs_f64(), analysed.as_secs_f64());
    for c in Concept::CORE {
        println!("{c}: {} equilibria", report.equilibria(c).len());
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status.lines().filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS")) {
            println!("{line}");
        }
    }
}
