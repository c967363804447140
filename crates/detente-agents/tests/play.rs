//! A seat played from outside (`simulate_with_moves`): a person's moves replayed with the
//! agents' in between. The oracle is `simulate` itself: fed the moves an agent made, the outside
//! seat gives the agent's negotiation, action for action.

use detente_agents::{simulate, simulate_with_moves, Asked, Protocol, Replayed, SimulationSpec};
use detente_protocol::{Action, MoveRule, PreparedScenario};
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

/// The mediated protocols: the outside party's votes (single text) and answers (shuttle), as
/// its negotiator made them, replay the negotiation event for event, the mediator's learning
/// from them included; one move fewer waits for it, asking what the protocol asks.
#[test]
fn a_mediated_seat_replays_the_votes_and_answers_an_agent_gave() {
    let protocols = [
        Protocol::SingleText(MoveRule::HillClimbing),
        Protocol::SingleText(MoveRule::Veto),
        Protocol::SingleText(MoveRule::Steepest),
        Protocol::Shuttle,
    ];
    let mut asked = std::collections::BTreeSet::new();
    for scenario in [reference_scenario(), shipped_scenario("textbook-bilateral.toml")] {
        let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
        for protocol in protocols {
            let parties = detente_agents::participants(&scenario, protocol);
            for seed in 0..3 {
                let own: Vec<String> = parties.iter().map(|&a| detente_agents::actor_negotiator(&scenario.actors[a]).to_string()).collect();
                let spec = SimulationSpec {
                    protocol: Some(protocol),
                    negotiators: Some(own.clone()),
                    rounds: Some(30),
                    seed,
                    ..Default::default()
                };
                let sim = simulate(&scenario, &prepared, &spec).unwrap();
                for (k, actor) in sim.parties.iter().enumerate() {
                    let moves: Vec<Action> = sim.history.iter().filter(|e| e.actor as usize == k).map(|e| e.action).collect();
                    let mut other = own.clone();
                    other[k] = "hardliner".into();
                    let replay = SimulationSpec { negotiators: Some(other), ..spec.clone() };
                    let what = format!("{} {actor} seed {seed}", protocol.as_str());
                    match simulate_with_moves(&scenario, &prepared, &replay, actor, &moves).unwrap() {
                        Replayed::Finished(played) => {
                            assert_eq!(played.history, sim.history, "{what}");
                            assert_eq!(played.status, sim.status, "{what}");
                            assert_eq!(played.utilities, sim.utilities, "{what}");
                            assert_eq!(played.why, sim.why, "{what}");
                        }
                        other => panic!("{what}: {other:?}"),
                    }
                    let Some((last, earlier)) = moves.split_last() else { continue };
                    match simulate_with_moves(&scenario, &prepared, &replay, actor, earlier).unwrap() {
                        Replayed::Waiting(w) => {
                            assert_eq!(w.parties[w.you as usize], *actor, "{what}");
                            assert!(w.mediator.is_some(), "{what}");
                            // the place of the seat's last move (a party votes twice in a
                            // round when the text is put as final: events are not unique)
                            let (i, at) = sim.history.iter().enumerate().filter(|(_, e)| e.actor as usize == k).nth(earlier.len()).unwrap();
                            assert_eq!(w.round, at.round, "{what}");
                            assert_eq!(w.history, sim.history[..i], "{what}");
                            assert_eq!(at.action, *last, "{what}");
                            // what is asked is what the protocol asks at that point
                            let kind = match (protocol, w.asked) {
                                (Protocol::Shuttle, Asked::Visit { .. }) => "visit",
                                (Protocol::SingleText(_), Asked::Candidate { .. }) => "candidate",
                                (Protocol::SingleText(_), Asked::Final { .. }) => "final",
                                (Protocol::Shuttle, Asked::Final { .. }) => "final after a shuttle round",
                                (_, a) => panic!("{what}: asked {a:?}"),
                            };
                            asked.insert(kind);
                        }
                        other => panic!("{what}: {other:?}"),
                    }
                }
            }
        }
    }
    // the cases above reach every kind of question a mediated seat is asked
    assert_eq!(asked.into_iter().collect::<Vec<_>>(), ["candidate", "final", "final after a shuttle round", "visit"]);
}

#[test]
fn a_vote_is_refused_where_an_answer_is_due_and_the_other_way_round() {
    let scenario = reference_scenario();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let single = SimulationSpec { protocol: Some(Protocol::SingleText(MoveRule::HillClimbing)), rounds: Some(20), ..Default::default() };
    let seat = scenario.actors[detente_agents::participants(&scenario, Protocol::Shuttle)[0]].id.clone();
    // single text: an offer or walking away is no vote
    for bad in [Action::Offer(0), Action::End] {
        match simulate_with_moves(&scenario, &prepared, &single, &seat, &[bad]).unwrap() {
            Replayed::Refused { index: 0, reason } => assert!(reason.contains("vote"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
    // a yes for a candidate across the seat's own red line is refused, a no never is: each
    // party says no to everything until the mediator puts one across its red line
    let mut refused = 0;
    for rule in [MoveRule::HillClimbing, MoveRule::Veto, MoveRule::Steepest] {
        let spec = SimulationSpec { protocol: Some(Protocol::SingleText(rule)), rounds: Some(60), ..Default::default() };
        for &a in &detente_agents::participants(&scenario, Protocol::SingleText(rule)) {
            let (seat, u) = (&scenario.actors[a].id, prepared.utility(a));
            let mut moves = Vec::new();
            while let Replayed::Waiting(w) = simulate_with_moves(&scenario, &prepared, &spec, seat, &moves).unwrap() {
                match w.asked {
                    Asked::Candidate { candidate: o, .. } | Asked::Final { text: o } if !u.acceptable(o) => {
                        let mut yes = moves.clone();
                        yes.push(Action::Accept);
                        match simulate_with_moves(&scenario, &prepared, &spec, seat, &yes).unwrap() {
                            Replayed::Refused { index, reason } => {
                                assert_eq!(index, moves.len());
                                assert!(reason.contains("red line"), "{reason}");
                                refused += 1;
                            }
                            other => panic!("{other:?}"),
                        }
                    }
                    _ => {}
                }
                moves.push(Action::Reject);
            }
        }
    }
    assert!(refused > 0, "no candidate crossed a red line: the case is not covered");
    // NegMAS's single-text rules have no negotiator to replace
    let negmas = SimulationSpec { mediation_rules: detente_protocol::MediationRules::Negmas, ..single };
    let e = simulate_with_moves(&scenario, &prepared, &negmas, &seat, &[]).unwrap_err();
    assert!(e.to_string().contains("NegMAS"), "{e}");
}

#[test]
fn only_a_participating_party_can_be_played_from_outside() {
    let scenario = reference_scenario();
    let prepared = Arc::new(PreparedScenario::new(&scenario).unwrap());
    let e = simulate_with_moves(&scenario, &prepared, &spec(&["boulware", "conceder"], 20, 0), "atlantis", &[]).unwrap_err();
    assert!(e.to_string().contains("atlantis"), "{e}");
}
