//! Exact Nash/GMR/SMR/SEQ for every DM of a generated conflict with 98 304 feasible states
//! and 4 DMs (issue #13: under 5 s). `cargo bench -p detente-conflict --bench stability`.

use criterion::{criterion_group, criterion_main, Criterion};
use detente_conflict::{analyze, individual_stability, AnalysisOptions};

include!("generator.rs");

fn bench(c: &mut Criterion) {
    let conflict = large_conflict(13);
    let mut group = c.benchmark_group("stability");
    group.sample_size(10);
    group.bench_function("core concepts, 98k states x 4 DMs", |b| b.iter(|| individual_stability(conflict.graph())));
    group.bench_function("analyze (core_only), 98k states x 4 DMs", |b| b.iter(|| analyze(&conflict, &AnalysisOptions::core_only())));
    group.bench_function("build graph, 98k states x 4 DMs", |b| b.iter(|| large_conflict(13)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
