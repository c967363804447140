//! 10,000 Monte Carlo runs of the expected-utility model (`scholz_code`) on the reference
//! scenario (4 actors × 10 issues), with every position, salience and capability uncertain.
//!
//! Run: `cargo bench -p detente-forecast --bench monte_carlo`

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use detente_core::Spread;
use detente_forecast::eu::EuPreset;
use detente_forecast::smp::SmpParams;
use detente_forecast::{monte_carlo, ForecastTable, Model, Uncertainty};

fn uncertain(table: &ForecastTable) -> Uncertainty {
    let mut u = Uncertainty::none(table);
    for a in &table.actors {
        u.set_capability(table, &a.id, Spread::Uniform { lo: a.capability * 0.8, hi: a.capability * 1.2 }).unwrap();
        for (k, issue) in table.issues.iter().enumerate() {
            let Some((x, _)) = a.cells[k] else { continue };
            u.set_position(table, &a.id, &issue.id, Spread::Triangular { lo: (x - 10.0).max(0.0), mode: x, hi: (x + 10.0).min(100.0) })
                .unwrap();
            u.set_salience(table, &a.id, &issue.id, Spread::Normal { sd: 0.1 }).unwrap();
        }
    }
    u
}

fn bench(c: &mut Criterion) {
    let table = ForecastTable::from_scenario(&common::reference_scenario()).unwrap();
    let u = uncertain(&table);
    let eu = Model::Eu(EuPreset::ScholzCode.params());
    let mut g = c.benchmark_group("monte_carlo");
    g.sample_size(10);
    g.bench_function("eu_scholz_code_10000_runs", |b| b.iter(|| monte_carlo(&table, &eu, &u, 10_000, 1).unwrap()));
    g.bench_function("mean_10000_runs", |b| b.iter(|| monte_carlo(&table, &Model::Mean, &u, 10_000, 1).unwrap()));
    g.bench_function("smp_1000_runs", |b| b.iter(|| monte_carlo(&table, &Model::Smp(SmpParams::default()), &u, 1_000, 1).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
