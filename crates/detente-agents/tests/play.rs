//! A seat played from outside (`simulate_with_moves`): a person's moves replayed with the
//! agents' in between. The oracle is `simulate` itself: fed the moves an agent made, the outside
//! seat gives the agent's negotiation, action for action.

use detente_agents::{simulate, simulate_with_moves, Protocol, Replayed, SimulationSpec};
use detente_protocol::{Action, PreparedScenario};
use detente_testkit::{reference_scenario, shipped_scenario};
use std::sync::Arc;

fn spec(negotiators: &[&str], rounds: u32, seed: u64) -> SimulationSpec {
    SimulationSpec {
        protocol: Some(Protocol::JointTable),
        negotiators: Some(negotiators.iter().map(|s| s.to_string()).collect()),
        rounds: Some(rounds),
        seed,
        ..Default::default()
    }
}

#[test]
fn the_moves_an_agent_made_replay_its_negotiation() {
    for (scenario, negotiators, rounds) in [
        (reference_scenario(), ["boulware", "conceder"], 40),
        (shipped_scenario("textbook-bilateral.toml"), ["linear", "tft"], 30),
        (shipped_scenario("textbook-bilateral.toml"), ["conceder", "boulware"], 5),
    ] {
        let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
        for seed in 0..3 {
            let spec = spec(&negotiators, rounds, seed);
            let sim = simulate(&scenario, &prepared, &spec).unwrap();
            for (k, actor) in sim.parties.iter().enumerate() {
                let moves: Vec<Action> = sim.history.iter().filter(|e| e.actor as usize == k).map(|e| e.action).collect();
                // the outside seat's own negotiator is never asked: give it another one
                let mut other = negotiators.map(String::from).to_vec();
                other[k] = "hardliner".into();
                let replay = SimulationSpec { negotiators: Some(other), ..spec.clone() };
                match simulate_with_moves(&scenario, &prepared, &replay, actor, &moves).unwrap() {
                    Replayed::Finished(played) => {
                        assert_eq!(played.history, sim.history, "{actor} seed {seed}");
                        assert_eq!(played.status, sim.status);
                        assert_eq!(played.utilities, sim.utilities);
                    }
                    other => panic!("{actor} seed {seed}: {other:?}"),
                }
                // one move fewer: it waits for that move, with the history up to it
                if let Some((last, earlier)) = moves.split_last() {
                    match simulate_with_moves(&scenario, &prepared, &replay, actor, earlier).unwrap() {
                        Replayed::Waiting(w) => {
                            assert_eq!(w.parties[w.you as usize], *actor);
                            let at = sim.history.iter().filter(|e| e.actor as usize == k).nth(earlier.len()).unwrap();
                            assert_eq!(w.round, at.round);
                            assert_eq!(w.history.len(), sim.history.iter().position(|e| e == at).unwrap());
                            assert_eq!(at.action, *last);
                        }
                        other => panic!("{actor}: {other:?}"),
                    }
                }
            }
        }
    }
}

#[test]
fn a_move_that_breaks_a_rule_is_refused_not_played() {
    let scenario = reference_scenario();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let spec = spec(&["boulware", "conceder"], 20, 0);
    let parties = detente_agents::participants(&scenario, Protocol::JointTable);
    let first = scenario.actors[parties[0]].id.clone();
    // accepting with nothing on the table: the opener has no offer to accept
    match simulate_with_moves(&scenario, &prepared, &spec, &first, &[Action::Accept]).unwrap() {
        Replayed::Refused { index: 0, reason } => assert!(!reason.is_empty()),
        other => panic!("{other:?}"),
    }
    // an offer across the party's own red line
    let u = prepared.utility(parties[0]);
    if let Some(o) = (0..prepared.n_outcomes()).find(|&o| !u.acceptable(o)) {
        match simulate_with_moves(&scenario, &prepared, &spec, &first, &[Action::Offer(o)]).unwrap() {
            Replayed::Refused { index: 0, reason } => assert!(reason.contains("red line"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn only_a_party_at_the_joint_table_can_be_played_from_outside() {
    let scenario = reference_scenario();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let e = simulate_with_moves(&scenario, &prepared, &spec(&["boulware", "conceder"], 20, 0), "atlantis", &[]).unwrap_err();
    assert!(e.to_string().contains("atlantis"), "{e}");
    let shuttle = SimulationSpec { protocol: Some(Protocol::Shuttle), ..Default::default() };
    let e = simulate_with_moves(&scenario, &prepared, &shuttle, "russia", &[]).unwrap_err();
    assert!(e.to_string().contains("joint table"), "{e}");
}
