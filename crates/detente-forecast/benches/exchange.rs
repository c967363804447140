//! The exchange model (Equal Gain, 10 rounds) on a seeded synthetic case of 15 actors × 13 issues.
//!
//! Run: `cargo bench -p detente-forecast --bench exchange -- exchange`

use criterion::{criterion_group, criterion_main, Criterion};
use detente_forecast::exchange::{run_exchange, ExchangeParams};
use detente_forecast::{ForecastTable, IssueShape, TableActor, TableIssue};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 15 actors with capabilities in 1–100 and, on each of 13 issues, a position in 0–100 and a
/// salience in 0.05–1, drawn from `ChaCha8Rng::seed_from_u64(seed)`.
fn synthetic(actors: usize, issues: usize, seed: u64) -> ForecastTable {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    ForecastTable {
        issues: (0..issues).map(|k| TableIssue::new(format!("i{k}"), IssueShape::Continuous)).collect(),
        actors: (0..actors)
            .map(|a| TableActor {
                id: format!("a{a}"),
                capability: rng.gen_range(1.0..100.0),
                cells: (0..issues).map(|_| Some((rng.gen_range(0.0..=100.0), rng.gen_range(0.05..=1.0)))).collect(),
            })
            .collect(),
        left_out: vec![],
        salience: Default::default(),
    }
}

fn bench(c: &mut Criterion) {
    let table = synthetic(15, 13, 7);
    let dims: Vec<usize> = (0..13).collect();
    let params = ExchangeParams::default();
    let run = run_exchange(&table, &dims, &params).unwrap();
    eprintln!("15x13 case: {} rounds, {} exchanges", run.rounds.len(), run.rounds.iter().map(|r| r.exchanges.len()).sum::<usize>());
    let mut g = c.benchmark_group("exchange");
    g.sample_size(20);
    g.bench_function("equal_gain_15x13_10_rounds", |b| b.iter(|| run_exchange(&table, &dims, &params).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
