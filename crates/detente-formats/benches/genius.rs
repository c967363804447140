//! GENIUS XML import and export throughput on a synthetic domain (20 issues × 10 values,
//! 3 profiles, ~60 KB of XML per profile set), and GeniusWeb JSON import.
//!
//! `cargo bench -p detente-formats --bench genius`

use criterion::{criterion_group, criterion_main, Criterion};
use detente_core::{
    Actor, Issue, LinearAdditive, Metadata, OutcomeSpace, Preferences, ProtocolDefaults, Scenario, ScenarioDraft, Utility, ValueFunction,
};
use detente_formats::genius::{self, Semantics};
use std::hint::black_box;

fn scenario() -> Scenario {
    let n_issues = 20;
    let n_values = 10;
    let issues: Vec<Issue> = (0..n_issues)
        .map(|i| {
            let values: Vec<String> = (0..n_values).map(|v| format!("value {v} of issue {i}")).collect();
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            Issue::categorical(format!("issue {i}"), &refs)
        })
        .collect();
    let actors = (0..3)
        .map(|a| {
            let values = (0..n_issues)
                .map(|i| {
                    ValueFunction::Table(
                        (0..n_values).map(|v| ((v * 7 + i * 3 + a * 5) % n_values) as f64 / (n_values - 1) as f64).collect(),
                    )
                })
                .collect();
            let la =
                LinearAdditive { bias: 0.0, weights: vec![1.0 / n_issues as f64; n_issues], values, clamp: Some((f64::NEG_INFINITY, 1.0)) };
            Actor::party(format!("party{a}"), Preferences::new(Utility::LinearAdditive(la)))
        })
        .collect();
    ScenarioDraft {
        meta: Metadata { id: "bench".into(), title: "bench".into(), ..Metadata::default() },
        space: OutcomeSpace::new(issues),
        actors,
        protocol: ProtocolDefaults::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .expect("invariant: a valid scenario")
}

fn bench(c: &mut Criterion) {
    let s = scenario();
    let files = genius::to_strings(&s).expect("exportable");
    let profiles: Vec<(&str, &str)> = files.profiles.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    c.bench_function("genius_import_20x10_3_profiles", |b| {
        b.iter(|| genius::from_strs(&files.domain.0, black_box(&files.domain.1), black_box(&profiles), Semantics::Genius).expect("valid"))
    });
    c.bench_function("genius_export_20x10_3_profiles", |b| b.iter(|| genius::to_strings(black_box(&s)).expect("exportable")));
}

criterion_group!(benches, bench);
criterion_main!(benches);
