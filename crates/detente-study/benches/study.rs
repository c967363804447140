//! The study of the reference scenario: every lens on the base and five variants (`runs = 0`),
//! and the robustness runs on top (`runs = 20`; the default is 100, each run re-runs every lens).
//! `cargo bench -p detente-study --bench study`

use criterion::{criterion_group, criterion_main, Criterion};
use detente_study::{study, StudyConfig};

fn reference() -> detente_core::Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-ceasefire-2025.toml");
    let text = std::fs::read_to_string(&path).expect("the reference scenario");
    detente_formats::native::from_toml_str(&text, "ukraine-ceasefire-2025.toml").expect("a valid scenario")
}

fn bench(c: &mut Criterion) {
    let s = reference();
    let mut g = c.benchmark_group("study");
    g.sample_size(10);
    for runs in [0, 20] {
        let config = StudyConfig { runs, ..StudyConfig::default() };
        g.bench_function(format!("reference, runs = {runs}"), |b| b.iter(|| study(&s, &config).expect("study")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
