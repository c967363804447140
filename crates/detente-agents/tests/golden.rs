//! Golden traces: the JSONL trace of fixed negotiations on a small scenario written here (no
//! third-party data), compared byte for byte with the files in `tests/golden/`. Any change in
//! protocol semantics, a negotiator's algorithm, the RNG stream or the trace format shows up as
//! a diff. Regenerate deliberately with `DETENTE_UPDATE_GOLDEN=1 cargo test -p detente-agents
//! --test integration golden::` and review the diff.

use detente_core::{
    Actor, Issue, Loss, Metadata, OutcomeSpace, Position, Preferences, Reservation, Scenario, ScenarioDraft, Spatial, Utility,
};
use detente_protocol::{Action, JsonlTrace, Negotiator, PreparedScenario, Session, SessionConfig, TraceHeader, TraceParty, View};
use std::path::PathBuf;
use std::sync::Arc;

fn spatial(ideals: [f64; 3], saliences: [f64; 3], reservation: f64) -> Preferences {
    let positions = ideals.iter().zip(saliences).map(|(&ideal, salience)| Some(Position::new(ideal, salience))).collect();
    let mut p = Preferences::new(Utility::Spatial(Spatial { positions, loss: Loss::Linear }));
    p.reservation = Reservation::Value(reservation);
    p
}

/// A three-issue, three-party toy ceasefire (written for these tests).
fn toy() -> Scenario {
    let space = OutcomeSpace::new(vec![
        Issue::ordinal("territory", &[("current_line", 0.0), ("partial", 50.0), ("full_withdrawal", 100.0)]),
        Issue::ordinal("guarantees", &[("none", 0.0), ("eu_force", 50.0), ("nato", 100.0)]),
        Issue::integer("sanctions_relief", 0, 100, 25),
    ]);
    ScenarioDraft {
        meta: Metadata { id: "toy-ceasefire".into(), ..Default::default() },
        space,
        actors: vec![
            Actor::party("ukraine", spatial([100.0, 100.0, 0.0], [0.5, 0.3, 0.2], 0.3)),
            Actor::party("russia", spatial([0.0, 0.0, 100.0], [0.5, 0.3, 0.2], 0.3)),
            Actor::party("usa", spatial([50.0, 50.0, 50.0], [0.3, 0.3, 0.4], 0.2)),
        ],
        protocol: Default::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .expect("invariant: a valid scenario")
}

struct Panics;
impl Negotiator for Panics {
    fn act(&mut self, v: &View<'_>) -> Action {
        if v.round == 2 {
            panic!("deliberate failure in round {}", v.round);
        }
        Action::Offer(v.utility.best())
    }
}

fn trace(negotiators: &[&str], rounds: u32, seed: u64) -> String {
    let scenario = toy();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let parties: Vec<TraceParty> = negotiators
        .iter()
        .enumerate()
        .map(|(i, n)| TraceParty { actor: scenario.actors[i].id.clone(), negotiator: n.to_string() })
        .collect();
    let header = TraceHeader::new("sao", "negmas", &scenario.meta.id, &scenario.space, rounds, seed, parties);
    let mut out = JsonlTrace::new(Vec::new(), &header, Arc::clone(prepared.space()));
    let negs: Vec<Box<dyn Negotiator>> = negotiators
        .iter()
        .enumerate()
        .map(
            |(i, n)| {
                if *n == "panics" {
                    Box::new(Panics) as Box<dyn Negotiator>
                } else {
                    detente_agents::build(n, seed + i as u64).unwrap()
                }
            },
        )
        .collect();
    let mut s = Session::new(prepared, (0..negotiators.len()).collect(), negs, SessionConfig::rounds(rounds)).unwrap();
    s.run(&mut out);
    String::from_utf8(out.finish().unwrap()).unwrap()
}

fn golden(name: &str, negotiators: &[&str], rounds: u32, seed: u64) {
    let got = trace(negotiators, rounds, seed);
    assert_eq!(got, trace(negotiators, rounds, seed), "{name}: two runs differ");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.jsonl"));
    if std::env::var_os("DETENTE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (DETENTE_UPDATE_GOLDEN=1 creates it)", path.display()));
    assert_eq!(got, want, "{name}: trace differs from {}", path.display());
}

fn mediated_trace(protocol: &str, rule: detente_core::MediatorRule, seed: u64) -> String {
    mediated_trace_knowing(protocol, rule, seed, None)
}

fn mediated_trace_knowing(
    protocol: &str,
    rule: detente_core::MediatorRule,
    seed: u64,
    knowledge: Option<detente_protocol::Knowledge>,
) -> String {
    // the usa mediates; europe-like optional party absent: ukraine and russia required
    let scenario = toy().edited(|s| s.actors[2].role = detente_core::Role::Mediator).unwrap();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let spec = detente_agents::SimulationSpec {
        protocol: detente_agents::Protocol::parse(protocol),
        negotiators: Some(vec!["boulware".into(), "conceder".into()]),
        rounds: Some(20),
        seed,
        mediator_rule: Some(rule),
        knowledge,
        trace: true,
        ..Default::default()
    };
    detente_agents::simulate(&scenario, &prepared, &spec).unwrap().trace.unwrap()
}

fn golden_text(name: &str, got: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.jsonl"));
    if std::env::var_os("DETENTE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (DETENTE_UPDATE_GOLDEN=1 creates it)", path.display()));
    assert_eq!(got, want, "{name}: trace differs from {}", path.display());
}

#[test]
fn golden_single_text_hill_climbing_biased() {
    let t = mediated_trace("single_text", detente_core::MediatorRule::Biased, 4);
    assert_eq!(t, mediated_trace("single_text", detente_core::MediatorRule::Biased, 4));
    golden_text("single-text-biased", t);
}

#[test]
fn golden_single_text_steepest_welfare() {
    golden_text("single-text-steepest-welfare", mediated_trace("single_text_steepest", detente_core::MediatorRule::Welfare, 0));
}

#[test]
fn golden_single_text_hill_climbing_negmas() {
    // NegMAS 0.16 HillClimbingST rules: a random first text, strict votes on utilities
    let scenario = toy().edited(|s| s.actors[2].role = detente_core::Role::Mediator).unwrap();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let spec = detente_agents::SimulationSpec {
        protocol: detente_agents::Protocol::parse("single_text"),
        mediation_rules: detente_protocol::MediationRules::Negmas,
        rounds: Some(20),
        seed: 3,
        trace: true,
        ..Default::default()
    };
    golden_text("single-text-negmas", detente_agents::simulate(&scenario, &prepared, &spec).unwrap().trace.unwrap());
}

#[test]
fn golden_shuttle_neutral() {
    let t = mediated_trace("shuttle", detente_core::MediatorRule::Neutral, 0);
    assert_eq!(t, mediated_trace("shuttle", detente_core::MediatorRule::Neutral, 0));
    golden_text("shuttle-neutral", t);
}

#[test]
fn golden_boulware_vs_linear() {
    golden("boulware-linear", &["boulware", "linear"], 20, 0);
}

#[test]
fn golden_random_vs_random_seeded() {
    golden("random-random", &["random", "random"], 20, 42);
}

#[test]
fn golden_hardheaded_vs_nice_tft() {
    golden("hardheaded-nice-tft", &["hardheaded", "nice-tft"], 30, 0);
}

#[test]
fn golden_three_party_stacked_offers() {
    golden("aspiration-tft-micro", &["aspiration", "tft", "micro"], 20, 5);
}

#[test]
fn golden_boa_and_reference_dependent() {
    golden("boa-refdep", &["boa(e=0.2,ac=combi_max_w)", "refdep"], 25, 1);
}

#[test]
fn golden_errored_trace_records_the_panic() {
    golden("errored", &["linear", "panics"], 10, 0);
}

#[test]
fn golden_shuttle_neutral_omniscient() {
    // the benchmark mediator: it reads the parties' weights from their utilities
    let k = Some(detente_protocol::Knowledge::Omniscient);
    golden_text("shuttle-neutral-omniscient", mediated_trace_knowing("shuttle", detente_core::MediatorRule::Neutral, 0, k));
}
