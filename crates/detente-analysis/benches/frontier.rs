//! Criterion benchmarks of the analysis lens on synthetic linear additive scenarios.
//!
//! `cargo bench -p detente-analysis --bench frontier` (the side-by-side comparison with NegMAS
//! is `scripts/bench-analysis-vs-negmas.sh`; figures in `docs/performance.md`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use detente_analysis::{analyze, pareto_frontier, Frontier, Options};
use detente_core::{Actor, Issue, LinearAdditive, OutcomeSpace, Preferences, Reservation, Scenario, ScenarioDraft, Utility, ValueFunction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `parties` random linear additive utilities over `issues` issues of `values` values
/// (weights and table entries ~U[0,1), weights normalised), or zero-sum when `opposed`.
fn scenario(parties: usize, issues: usize, values: u32, opposed: bool, seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let opts: Vec<String> = (0..values).map(|v| format!("v{v}")).collect();
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    let space = OutcomeSpace::new((0..issues).map(|i| Issue::categorical(format!("i{i}"), &opts)).collect());
    let actors = (0..parties)
        .map(|p| {
            let (weights, values) = if opposed {
                let w: Vec<f64> = (0..issues).map(|j| 10f64.powi(-(j as i32))).collect();
                let s: f64 = w.iter().sum();
                let t = |v: u32| if p == 0 { f64::from(v) / f64::from(values - 1) } else { 1.0 - f64::from(v) / f64::from(values - 1) };
                (w.iter().map(|x| x / s).collect(), (0..issues).map(|_| ValueFunction::Table((0..values).map(t).collect())).collect())
            } else {
                let w: Vec<f64> = (0..issues).map(|_| rng.gen::<f64>()).collect();
                let s: f64 = w.iter().sum();
                (
                    w.iter().map(|x| x / s).collect(),
                    (0..issues).map(|_| ValueFunction::Table((0..values).map(|_| rng.gen::<f64>()).collect())).collect(),
                )
            };
            let mut prefs = Preferences::new(Utility::LinearAdditive(LinearAdditive { bias: 0.0, weights, values, clamp: None }));
            prefs.reservation = Reservation::Value(0.0);
            Actor::party(format!("p{p}"), prefs)
        })
        .collect();
    ScenarioDraft::new("generated", space, actors).validate().expect("invariant: a valid scenario")
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("analysis");
    g.sample_size(10);
    let s = scenario(2, 6, 10, false, 2025);
    g.bench_function("frontier 2 parties random 1e6", |b| b.iter(|| pareto_frontier(&s, u64::MAX).unwrap()));
    let s = scenario(2, 5, 10, true, 2025);
    g.bench_function("frontier 2 parties zero-sum 1e5", |b| b.iter(|| pareto_frontier(&s, u64::MAX).unwrap()));
    let s = scenario(3, 5, 10, false, 7);
    g.bench_function("frontier 3 parties random 1e5", |b| b.iter(|| pareto_frontier(&s, u64::MAX).unwrap()));
    let s = scenario(2, 8, 5, false, 11);
    g.bench_function("full analysis 2 parties 390625 (Energy-sized)", |b| b.iter(|| analyze(&s, &Options::default()).unwrap()));
    // Skylines of points on a simplex (everything on the frontier) — the O(n²) trap.
    for d in [3usize, 4] {
        let mut rng = ChaCha8Rng::seed_from_u64(d as u64);
        let n = 20_000;
        let mut pts = Vec::with_capacity(n * d);
        for _ in 0..n {
            let mut row: Vec<f64> = (0..d - 1).map(|_| rng.gen::<f64>()).collect();
            let s: f64 = row.iter().sum();
            row.push(d as f64 - s);
            pts.extend(row);
        }
        let idx: Vec<u64> = (0..n as u64).collect();
        g.bench_function(format!("skyline {d} parties opposed 2e4 points"), |b| {
            b.iter_batched(|| (), |_| Frontier::of_points(d, &pts, &idx), BatchSize::SmallInput)
        });
    }
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
