//! Runs every protocol on the reference scenario and its variants (a quick look; the CLI's
//! `detente study` shows the same in its simulation section).
use detente_agents::{simulate, Protocol, SimulationSpec};
use detente_core::MediatorRule;
use detente_protocol::{MoveRule, PreparedScenario};
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/ukraine-ceasefire-2025.toml").into());
    let base = detente_formats::load_path(std::path::Path::new(&path)).expect("scenario");
    let mut cases = vec![("base".to_string(), base.clone())];
    for v in &base.variants {
        cases.push((v.id.clone(), base.with_variant(&v.id).expect("variant")));
    }
    for (label, s) in &cases {
        let t = Instant::now();
        let p = Arc::new(PreparedScenario::new(s).expect("prepare"));
        println!("== {label}: prepared {} outcomes in {:.1} ms", p.n_outcomes(), t.elapsed().as_secs_f64() * 1e3);
        for (name, proto, rule) in [
            ("joint table", Protocol::JointTable, None),
            ("biased single text", Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Biased)),
            ("neutral single text", Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Neutral)),
            ("shuttle", Protocol::Shuttle, None),
        ] {
            let spec = SimulationSpec { protocol: Some(proto), mediator_rule: rule, ..Default::default() };
            let t = Instant::now();
            let r = simulate(s, &p, &spec).expect("simulate");
            let ids: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
            let us: Vec<String> = ids.iter().zip(&r.utilities).map(|(i, u)| format!("{i}={u:.3}")).collect();
            println!(
                "  {name:20} {:10} round {:>3}/{} {:?} [{}] {} ({:.1} ms)",
                r.status.name(),
                r.rounds,
                r.deadline,
                r.parties,
                us.join(" "),
                r.outcome.as_ref().map(|o| s.space.format(o)).unwrap_or_default(),
                t.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
