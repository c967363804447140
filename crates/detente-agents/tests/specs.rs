//! Negotiator specs in a simulation: read with core's `NegotiatorSpec`, reported in canonical
//! text, a typo reported before a wrong count.

use detente_agents::{simulate, Protocol, SimulateError, SimulationSpec};
use detente_core::Scenario;
use detente_protocol::PreparedScenario;
use std::sync::Arc;

fn bilateral() -> Scenario {
    detente_testkit::shipped_scenario("textbook-bilateral.toml")
}

fn run(s: &Scenario, negotiators: &[&str]) -> Result<detente_agents::Simulation, SimulateError> {
    let prepared = Arc::new(PreparedScenario::new(s).unwrap());
    let spec = SimulationSpec {
        protocol: Some(Protocol::JointTable),
        negotiators: Some(negotiators.iter().map(|n| n.to_string()).collect()),
        trace: true,
        ..Default::default()
    };
    simulate(s, &prepared, &spec)
}

#[test]
fn specs_are_reported_in_canonical_text_and_play_as_written() {
    let s = bilateral();
    let loose = run(&s, &["Boulware", " BOA( ac=Next , e = 0.2 )"]).unwrap();
    let canonical = run(&s, &["boulware", "boa(e=0.2,ac=next)"]).unwrap();
    assert_eq!(loose.negotiators, vec!["boulware", "boa(e=0.2,ac=next)"]);
    assert_eq!(loose, canonical);
}

#[test]
fn a_bad_spec_is_reported_before_a_wrong_count() {
    let s = bilateral();
    let err = run(&s, &["boulware", "linear", "nobody"]).unwrap_err();
    assert!(matches!(err, SimulateError::Agent(detente_core::SpecError::Unknown { .. })), "{err}");
    assert!(matches!(run(&s, &["boulware"]).unwrap_err(), SimulateError::NegotiatorCount { .. }));
}
