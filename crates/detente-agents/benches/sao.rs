//! Criterion benchmarks of whole SAO negotiations (fresh negotiators and session each time;
//! the scenario prepared once and shared, as in a tournament), on the NegMAS reference
//! scenarios. Throughput is reported in rounds, so criterion prints rounds/s.
//!
//! Also every protocol on the built-in reference scenario.
//!
//! `cargo bench -p detente-agents --bench sao`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use detente_protocol::{PreparedScenario, Session, SessionConfig};
use std::hint::black_box;
use std::sync::Arc;

fn negotiate(prepared: &Arc<PreparedScenario>, a: &str, b: &str, n_steps: u32) -> u32 {
    let negs = vec![detente_agents::build(a, 0).expect("a"), detente_agents::build(b, 1).expect("b")];
    let mut s = Session::new(Arc::clone(prepared), vec![0, 1], negs, SessionConfig::rounds(n_steps)).expect("session");
    s.run(&mut ()).rounds
}

fn sao(c: &mut Criterion) {
    let v = detente_testkit::negmas_vectors();
    for path in ["anac/y2012/LaptopC", "anac/y2011/Amsterdam", "anac/y2012/CarB"] {
        let entry = v["scenarios"].as_array().expect("scenarios").iter().find(|s| s["path"] == path).expect("scenario in vectors");
        let scenario = detente_testkit::vector_scenario(entry);
        let name = path.rsplit('/').next().expect("name");
        let mut g = c.benchmark_group(format!("sao/{name}"));
        g.bench_function("prepare", |b| b.iter(|| PreparedScenario::new(black_box(&scenario)).expect("prepare")));
        let prepared = Arc::new(PreparedScenario::new(&scenario).expect("prepare"));
        for (a, bn) in [("boulware", "linear"), ("aspiration", "conceder")] {
            for n in [100u32, 1000] {
                let rounds = negotiate(&prepared, a, bn, n);
                g.throughput(Throughput::Elements(u64::from(rounds)));
                g.bench_function(format!("{a}-{bn}/{n}"), |b| b.iter(|| negotiate(black_box(&prepared), a, bn, n)));
            }
        }
        g.finish();
    }
}

/// Every protocol on the built-in reference scenario (163,296 outcomes, 4 actors).
fn reference(c: &mut Criterion) {
    use detente_agents::{simulate, Protocol, SimulationSpec};
    use detente_core::MediatorRule;
    use detente_protocol::MoveRule;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-ceasefire-2025.toml");
    let scenario = detente_formats::load_path(&path).expect("reference scenario");
    let mut g = c.benchmark_group("reference");
    g.bench_function("prepare", |b| b.iter(|| PreparedScenario::new(black_box(&scenario)).expect("prepare")));
    let prepared = Arc::new(PreparedScenario::new(&scenario).expect("prepare"));
    for (name, proto, rule) in [
        ("joint_table", Protocol::JointTable, None),
        ("single_text_steepest_biased", Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Biased)),
        ("single_text_hill_climbing_neutral", Protocol::SingleText(MoveRule::HillClimbing), Some(MediatorRule::Neutral)),
        ("shuttle", Protocol::Shuttle, None),
    ] {
        let spec = SimulationSpec { protocol: Some(proto), mediator_rule: rule, ..Default::default() };
        g.bench_function(name, |b| b.iter(|| simulate(black_box(&scenario), &prepared, &spec).expect("simulate")));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(std::time::Duration::from_millis(500)).measurement_time(std::time::Duration::from_secs(2));
    targets = sao, reference
}
criterion_main!(benches);
