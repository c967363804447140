//! Invalid specs and limits are typed errors, before any negotiation runs.

use crate::{shipped, tournament};
use detente::core::limits::{MAX_REPETITIONS, MAX_ROUNDS};
use detente::{parse_negotiators, BatchError, Tournament};

#[test]
fn a_negotiator_spec_that_does_not_parse_is_named_with_its_position() {
    let e = parse_negotiators(["boulware", "boa(e=nope)", "nosuch"]).unwrap_err();
    assert!(matches!(&e, BatchError::Negotiator { index: 1, text, .. } if text == "boa(e=nope)"), "{e:?}");
    assert!(matches!(parse_negotiators(["nosuch"]), Err(BatchError::Negotiator { index: 0, .. })));
}

#[test]
fn limits_are_checked_by_the_library() {
    let t = || tournament(&["boulware"], vec![shipped("textbook-bilateral.toml")], 1);
    let refuse = |t: Tournament| t.plan().map(|p| p.len()).unwrap_err();
    assert!(matches!(refuse(Tournament { rounds: Some(0), ..t() }), BatchError::Rounds(0)));
    assert!(matches!(refuse(Tournament { rounds: Some(MAX_ROUNDS + 1), ..t() }), BatchError::Rounds(r) if r == MAX_ROUNDS + 1));
    assert!(matches!(refuse(Tournament { repetitions: 0, ..t() }), BatchError::Repetitions(0)));
    assert!(matches!(refuse(Tournament { repetitions: MAX_REPETITIONS + 1, ..t() }), BatchError::Repetitions(_)));
    assert!(matches!(refuse(Tournament { chunk: 0, ..t() }), BatchError::Chunk));
    assert!(matches!(refuse(Tournament { negotiators: vec![], ..t() }), BatchError::NoNegotiators));
    assert!(matches!(refuse(Tournament { scenarios: vec![], ..t() }), BatchError::NoScenarios));
    assert!(matches!(t().run(|_| ()), Ok(1)));
    assert!(Tournament { rounds: Some(MAX_ROUNDS), ..t() }.plan().is_ok());
}

#[test]
fn a_scenario_deadline_beyond_the_limit_needs_rounds() {
    let mut draft = detente_testkit::shipped_scenario("textbook-bilateral.toml").into_draft();
    draft.protocol.rounds = Some(MAX_ROUNDS + 1);
    let long = detente::Prepared::new(draft.validate().expect("valid")).expect("prepares");
    let t = tournament(&["boulware"], vec![long], 1);
    assert!(matches!(t.plan().map(|p| p.len()), Err(BatchError::ScenarioRounds { rounds, .. }) if rounds == MAX_ROUNDS + 1));
    assert!(Tournament { rounds: Some(10), ..t }.plan().is_ok());
}

#[test]
fn a_scenario_the_protocol_refuses_is_one_error_up_front() {
    // its welfare mediator, knowing only the votes, would be the neutral one in single text
    let t = tournament(&["boulware"], vec![shipped("textbook-three-party.toml")], 1);
    let e = t.plan().map(|p| p.len()).unwrap_err();
    assert!(matches!(&e, BatchError::Simulate { scenario, .. } if scenario == "textbook-three-party"), "{e:?}");
    let shuttle = Tournament { protocol: Some(detente::agents::Protocol::Shuttle), ..t };
    assert_eq!(shuttle.plan().map(|p| p.len()).expect("shuttle runs"), 1);
}
