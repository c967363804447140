//! Every mediated run replays from its `detente/2` trace (issue #10 item 3, issue #11 item 3):
//! the header records the first text and who must agree; the recorded candidates, votes,
//! counter-proposals, revisions and texts put as final reproduce the final text and the status
//! — once by the protocol's rules written out here, once through the pure state machine
//! ([`MediatedState`]) with no mediator and no negotiator, move by move.

use detente_agents::{simulate, Protocol, Simulation, SimulationSpec};
use detente_core::MediatorRule;
use detente_protocol::{
    Action, Knowledge, MediatedProtocol, MediatedState, MediationRules, MediationSetup, MediatorModel, ModelConfig, Move, MoveRule,
    Objective, PreparedScenario, Status, TextConfig, TraceHeader,
};
use serde_json::Value;
use std::sync::Arc;

use detente_testkit::reference_scenario as reference;

/// What a trace says happened.
#[derive(Debug, PartialEq)]
struct Replayed {
    text: Option<u64>,
    end: String,
    agreement: Option<u64>,
}

/// A trace's header, the parties whose acceptance counts, and every later line.
fn parse(trace: &str) -> (TraceHeader, Vec<u64>, Vec<Value>) {
    let mut lines = trace.lines();
    let header: TraceHeader = serde_json::from_str(lines.next().unwrap()).unwrap();
    let counted = header.required.clone().unwrap().into_iter().map(u64::from).collect();
    (header, counted, lines.map(|l| serde_json::from_str(l).unwrap()).collect())
}

/// Replays a single-text trace: a mediator's offer is a candidate (every party votes; it becomes
/// the text iff every party whose acceptance counts said yes — the required ones, or all under
/// NegMAS rules) or, marked `final`, a text put to ratification (an agreement iff every one of
/// them accepts). The status follows from the last ratification and the rounds run.
fn replay_single_text(trace: &str) -> Replayed {
    let (header, counted, events) = parse(trace);
    let mediator = (header.parties.len() - 1) as u64;
    let mut text = header.start.clone().unwrap().outcome;
    let (end, events) = events.split_last().unwrap();
    let mut last_ratified = None;
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        assert_eq!(e["actor"], mediator, "a mediator's text at {i}");
        let offered = e["outcome"].as_u64().unwrap();
        let votes: Vec<&Value> = events[i + 1..].iter().take_while(|v| v["actor"] != mediator).collect();
        let yes = counted.iter().all(|k| votes.iter().any(|v| v["actor"] == *k && v["action"] == "accept"));
        if e["final"] == true {
            assert_eq!(Some(offered), text, "the text put as final is the current one");
            last_ratified = Some(yes);
        } else {
            assert_eq!(votes.len(), header.parties.len() - 1, "every party votes on a candidate");
            if yes {
                text = Some(offered);
            }
        }
        i += 1 + votes.len();
    }
    let rounds = end["rounds"].as_u64().unwrap();
    let status = match last_ratified {
        Some(true) => "agreed",
        // a refusal before the deadline: the talks broke at a local optimum
        Some(false) if rounds < u64::from(header.rounds) => "broken",
        _ => "timed_out",
    };
    Replayed { text, end: status.into(), agreement: (status == "agreed").then_some(text).flatten() }
}

/// Replays a shuttle trace: the mediator presents the text to one party; a counter-proposal
/// moves it — [`MediationSetup::compose`], a pure function of the text, the party and its
/// counter, for an omniscient mediator; [`MediationSetup::compose_votes`] for a votes-only one,
/// whose model is rebuilt here from the answers the trace records (an acceptance or a refusal
/// of a text alone, a counter-proposal to a text); a round in which every required party
/// accepted the same text is followed by its ratification.
fn replay_shuttle(trace: &str, setup: &MediationSetup, objective: Objective) -> Replayed {
    let (header, required, events) = parse(trace);
    let mediator = (header.parties.len() - 1) as u64;
    let mut model = match header.knowledge.as_deref() {
        Some("votes") => Some(MediatorModel::for_space(setup.prepared().space(), setup.required.clone(), ModelConfig::default()).unwrap()),
        Some("omniscient") => None,
        k => panic!("a shuttle trace says what the mediator knows: {k:?}"),
    };
    let mut text = header.start.clone().unwrap().outcome.unwrap();
    let (end, events) = events.split_last().unwrap();
    let mut agreed = false;
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        assert_eq!(e["actor"], mediator);
        assert_eq!(e["outcome"].as_u64().unwrap(), text, "the mediator presents the current text (event {i})");
        if e["final"] == true {
            let votes: Vec<&Value> = events[i + 1..].iter().take_while(|v| v["actor"] != mediator).collect();
            agreed = required.iter().all(|k| votes.iter().any(|v| v["actor"] == *k && v["action"] == "accept"));
            if let Some(model) = &mut model {
                for v in &votes {
                    model.verdict(v["actor"].as_u64().unwrap() as usize, text, v["action"] == "accept");
                }
            }
            i += 1 + votes.len();
            continue;
        }
        let answer = &events[i + 1];
        let p = answer["actor"].as_u64().unwrap() as usize;
        let composed = match (answer["action"].as_str().unwrap(), &mut model) {
            ("offer", None) => Some(setup.compose(objective, text, p, answer["outcome"].as_u64().unwrap())),
            ("offer", Some(model)) => {
                let c = answer["outcome"].as_u64().unwrap();
                model.counter(p, text, c);
                Some(setup.compose_votes(objective, text, p, c, model))
            }
            ("accept", Some(model)) => {
                model.verdict(p, text, true);
                None
            }
            ("reject", Some(model)) => {
                model.verdict(p, text, false);
                None
            }
            _ => None,
        };
        i += 2;
        if let Some(composed) = composed {
            // the trace records the revision: it is the composition, a pure function of the trace so far
            let revised = &events[i];
            assert_eq!((revised["actor"].as_u64(), revised["revised"].as_bool()), (Some(mediator), Some(true)), "event {i}");
            assert_eq!(revised["outcome"].as_u64(), Some(composed), "the revision is the composition (event {i})");
            text = composed;
            i += 1;
        }
    }
    let status = if agreed { "agreed" } else { end["end"].as_str().unwrap() };
    Replayed { text: Some(text), end: status.into(), agreement: agreed.then_some(text) }
}

/// Replays any mediated trace through the pure state machine: every event line becomes a
/// [`Move`] (`final` marks [`Move::Final`], `revised` [`Move::Revise`], a mediator's `end` is
/// [`Move::Withdraw`]) and must be legal; returns the final state. No mediator, no negotiator,
/// no RNG: what the trace says is all there is.
fn replay_through_the_state_machine(trace: &str) -> MediatedState {
    let (header, counted, events) = parse(trace);
    let n = header.parties.len() as u32 - 1;
    let m = u64::from(n);
    let shuttle = header.protocol == "shuttle";
    let counted: Vec<bool> = (0..u64::from(n)).map(|k| counted.contains(&k)).collect();
    let cfg = TextConfig {
        protocol: if shuttle { MediatedProtocol::Shuttle } else { MediatedProtocol::SingleText },
        n_parties: n,
        n_rounds: header.rounds,
        n_outcomes: header.outcomes,
        // a shuttle's `required` are the required parties; a single text's, the parties whose
        // yes counts (all of them under NegMAS rules)
        required: counted.clone(),
        counts: counted,
        stall: header.stall,
        local_optimum: header.protocol != "single_text_veto",
    };
    let mut state = MediatedState::new(&cfg, header.start.clone().unwrap().outcome);
    let (end, events) = events.split_last().unwrap();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["round"].as_u64(), Some(u64::from(state.round) + 1), "rounds are numbered from 1 (event {i})");
        let actor = e["actor"].as_u64().unwrap();
        let outcome = e["outcome"].as_u64();
        let action = e["action"].as_str().unwrap();
        let mv = if actor == m {
            match (action, e["final"] == true, e["revised"] == true) {
                ("end", _, _) => Move::Withdraw,
                (_, true, _) => Move::Final,
                (_, _, true) => Move::Revise(outcome.unwrap()),
                // a visit goes to the party that answers next
                _ if shuttle => Move::Visit { party: events[i + 1]["actor"].as_u64().unwrap() as u32, text: outcome.unwrap() },
                _ => Move::Candidate(outcome.unwrap()),
            }
        } else if shuttle && !matches!(state.stage, detente_protocol::Stage::Ratify { .. }) {
            Move::Answer(match action {
                "accept" => Action::Accept,
                "reject" => Action::Reject,
                "end" => Action::End,
                _ => Action::Offer(outcome.unwrap()),
            })
        } else {
            Move::Vote(action == "accept")
        };
        state = state.apply(&cfg, actor as u32, mv).unwrap_or_else(|v| panic!("event {i} ({e}) is legal: {v}"));
    }
    if state.is_running() {
        // an error by a party ends the session without a move (its move was refused)
        assert_eq!(end["end"], "errored");
    } else {
        assert_eq!(end["end"], state.status.name(), "the end line");
        assert_eq!(end["rounds"].as_u64(), Some(u64::from(state.rounds_run())), "rounds run");
        if let Status::Agreed { round, .. } = state.status {
            assert_eq!(end["round"].as_u64(), Some(u64::from(round) + 1), "the round of agreement, from 1");
        }
    }
    state
}

fn check(sim: &Simulation, replayed: Replayed) {
    let machine = replay_through_the_state_machine(sim.trace.as_deref().unwrap());
    if !matches!(sim.status, Status::Errored { .. }) {
        assert_eq!(machine.status, sim.status, "the state machine replays the status");
    }
    assert_eq!(machine.text, sim.text, "the state machine replays the final text");
    assert_eq!(machine.rounds_run(), sim.rounds);
    let trace = sim.trace.as_deref().unwrap();
    let end: Value = serde_json::from_str(trace.lines().last().unwrap()).unwrap();
    assert_eq!(replayed.end, end["end"], "status");
    assert_eq!(replayed.end, sim.status.name());
    assert_eq!(replayed.agreement, sim.agreement);
    assert_eq!(replayed.text, sim.text, "final text");
}

#[test]
fn every_single_text_run_replays_from_its_trace() {
    let base = reference();
    let opened = base
        .edited(|d| {
            d.protocol.opening_text = Some(
                d.space
                    .parse(
                        "territory=current_line, nato=deferred, security_guarantee=coalition_without_us, deterrent_force=75, \
                         demilitarization=partial_cap, sanctions=phased_relief, resources=partnership_with_guarantees, \
                         elections=after_martial_law, europe_role=consulted, prisoners=all_for_all",
                    )
                    .unwrap(),
            )
        })
        .unwrap();
    let mut outcomes = std::collections::BTreeSet::new();
    for s in [&base, &opened] {
        let p = Arc::new(PreparedScenario::new(s).unwrap());
        for rule in [MoveRule::Veto, MoveRule::HillClimbing, MoveRule::Steepest] {
            for (mediation_rules, mediator_rule, knowledge) in [
                (MediationRules::Detente, Some(MediatorRule::Biased), Some(Knowledge::Votes)),
                (MediationRules::Detente, Some(MediatorRule::Neutral), Some(Knowledge::Votes)),
                (MediationRules::Detente, Some(MediatorRule::Welfare), Some(Knowledge::Votes)),
                (MediationRules::Detente, Some(MediatorRule::Biased), Some(Knowledge::Omniscient)),
                (MediationRules::Detente, Some(MediatorRule::Neutral), Some(Knowledge::Omniscient)),
                (MediationRules::Detente, Some(MediatorRule::Welfare), Some(Knowledge::Omniscient)),
                (MediationRules::Negmas, None, None),
            ] {
                if mediation_rules == MediationRules::Negmas && rule == MoveRule::Steepest {
                    continue;
                }
                if knowledge == Some(Knowledge::Votes) && mediator_rule == Some(MediatorRule::Welfare) && rule != MoveRule::Steepest {
                    continue; // refused: it would be the neutral mediator (tests/mediator_rules.rs)
                }
                for (rounds, seed) in [(30, 0), (200, 1), (1000, 2)] {
                    let spec = SimulationSpec {
                        protocol: Some(Protocol::SingleText(rule)),
                        mediation_rules,
                        mediator_rule,
                        knowledge,
                        rounds: Some(rounds),
                        seed,
                        trace: true,
                        ..Default::default()
                    };
                    let sim = simulate(s, &p, &spec).unwrap();
                    assert_eq!(sim.knowledge, knowledge, "the result says what the mediator knew");
                    let header: TraceHeader = serde_json::from_str(sim.trace.as_deref().unwrap().lines().next().unwrap()).unwrap();
                    assert_eq!(header.start.as_ref().unwrap().outcome, sim.start.unwrap().outcome, "the header records the first text");
                    outcomes.insert(sim.status.name());
                    check(&sim, replay_single_text(sim.trace.as_deref().unwrap()));
                }
            }
        }
    }
    assert!(outcomes.len() >= 2, "the runs end in more than one way: {outcomes:?}");
}

#[test]
fn every_shuttle_run_replays_from_its_trace() {
    let s = reference();
    let p = Arc::new(PreparedScenario::new(&s).unwrap());
    let setup = MediationSetup::new(&s, Arc::clone(&p)).unwrap();
    for (rule, objective) in [
        (MediatorRule::Biased, Objective::Biased { mediator: 0 }),
        (MediatorRule::Neutral, Objective::Neutral),
        (MediatorRule::Welfare, Objective::Welfare),
    ] {
        for (rounds, knowledge) in [30, 100].into_iter().flat_map(|r| Knowledge::ALL.map(|k| (r, k))) {
            let spec = SimulationSpec {
                protocol: Some(Protocol::Shuttle),
                mediator_rule: Some(rule),
                rounds: Some(rounds),
                knowledge: Some(knowledge),
                least_satisfied_first: rounds == 100,
                trace: true,
                ..Default::default()
            };
            let sim = simulate(&s, &p, &spec).unwrap();
            assert_eq!(sim.knowledge, Some(knowledge));
            check(&sim, replay_shuttle(sim.trace.as_deref().unwrap(), &setup, objective));
        }
    }
}

#[test]
fn the_header_records_the_first_text_who_must_agree_and_where_the_text_came_from() {
    let s = reference();
    let p = Arc::new(PreparedScenario::new(&s).unwrap());
    let spec = SimulationSpec { protocol: Some(Protocol::SingleText(MoveRule::Veto)), trace: true, ..Default::default() };
    let sim = simulate(&s, &p, &spec).unwrap();
    let header: Value = serde_json::from_str(sim.trace.as_deref().unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["required"], serde_json::json!([0, 1]), "russia and ukraine; europe is optional");
    assert_eq!(header["start"]["from"], "ideal", "votes only, a biased mediator starts from its ideal");
    assert_eq!(header["knowledge"], "votes", "the default");
    assert_eq!(header["start"]["values"].as_array().unwrap().len(), 10);
    assert!(header.get("stall").is_none(), "no stall limit by default");
    // NegMAS veto starts from no text, and every party votes as NegMAS's comparator
    let spec = SimulationSpec {
        protocol: Some(Protocol::SingleText(MoveRule::Veto)),
        mediation_rules: MediationRules::Negmas,
        trace: true,
        ..Default::default()
    };
    let sim = simulate(&s, &p, &spec).unwrap();
    let header: Value = serde_json::from_str(sim.trace.as_deref().unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["rules"], "negmas");
    assert_eq!(header["required"], serde_json::json!([0, 1, 2]), "under NegMAS rules every party must agree");
    assert_eq!(header["start"], serde_json::json!({ "outcome": null, "values": [], "from": "none" }));
    assert!(header.get("knowledge").is_none(), "NegMAS's mediator consults no objective");
    assert_eq!(header["parties"][0]["negotiator"], detente_agents::NEGMAS_VOTER);
    // a stall limit, when set, is in the header; the joint table's header has none of these
    let spec = SimulationSpec { protocol: Some(Protocol::SingleText(MoveRule::Veto)), stall: Some(5), trace: true, ..Default::default() };
    let header: Value = serde_json::from_str(simulate(&s, &p, &spec).unwrap().trace.as_deref().unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["stall"], 5);
    let spec = SimulationSpec { protocol: Some(Protocol::JointTable), trace: true, ..Default::default() };
    let header: Value = serde_json::from_str(simulate(&s, &p, &spec).unwrap().trace.as_deref().unwrap().lines().next().unwrap()).unwrap();
    assert!(header.get("start").is_none() && header.get("required").is_none());
}
