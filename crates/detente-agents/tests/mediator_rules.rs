//! Mediator rules that a protocol accepts must matter, or coincide by construction and be
//! documented and reported as such (`Protocol::rule_change_matters`).

use detente_agents::{simulate, Protocol, SimulationSpec};
use detente_core::{Input, MediatorRule, Scenario};
use detente_protocol::{MoveRule, PreparedScenario};
use std::sync::Arc;

fn reference() -> Scenario {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-ceasefire-2025.toml");
    detente_formats::load_path(&p).unwrap()
}

fn history(s: &Scenario, protocol: Protocol, rule: MediatorRule) -> Vec<detente_protocol::Event> {
    let p = Arc::new(PreparedScenario::new(s).unwrap());
    let spec = SimulationSpec { protocol: Some(protocol), mediator_rule: Some(rule), ..Default::default() };
    simulate(s, &p, &spec).unwrap().history
}

#[test]
fn every_rule_pair_differs_where_the_protocol_says_it_matters_and_coincides_where_it_says_not() {
    let s = reference();
    let rules = [MediatorRule::Biased, MediatorRule::Neutral, MediatorRule::Welfare];
    for protocol in [Protocol::SingleText(MoveRule::Steepest), Protocol::SingleText(MoveRule::HillClimbing), Protocol::Shuttle] {
        for (i, &a) in rules.iter().enumerate() {
            for &b in &rules[i + 1..] {
                let (ha, hb) = (history(&s, protocol, a), history(&s, protocol, b));
                if protocol.rule_change_matters(a, b) {
                    assert_ne!(ha, hb, "{protocol:?}: {a:?} and {b:?} are said to differ but give the same negotiation");
                } else {
                    assert_eq!(ha, hb, "{protocol:?}: {a:?} and {b:?} are said to coincide but differ");
                }
            }
        }
    }
    // the joint table has no mediator: it reads no rule at all
    assert!(!Protocol::JointTable.reads(Input::MediatorRule));
    assert!(!Protocol::JointTable.rule_change_matters(MediatorRule::Biased, MediatorRule::Neutral));
}

#[test]
fn openings_are_read_where_parties_make_offers_only() {
    assert!(Protocol::JointTable.reads(Input::Openings));
    assert!(Protocol::Shuttle.reads(Input::Openings));
    assert!(!Protocol::SingleText(MoveRule::Veto).reads(Input::Openings));
    // and a single-text run is byte-identical with and without the opening, as the claim says
    let s = reference();
    let v = s.with_variant("early_concession").unwrap();
    for rule in [MediatorRule::Biased, MediatorRule::Neutral] {
        let protocol = Protocol::SingleText(MoveRule::Steepest);
        assert_eq!(history(&s, protocol, rule), history(&v, protocol, rule));
    }
}
