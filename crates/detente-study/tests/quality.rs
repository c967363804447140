//! Issue #10, item 6: every simulated result is measured over the parties that must agree, with
//! the mediator's own utility beside it (the price of its bias), in the study and in the report of
//! one negotiation.

use detente_analysis::{agreement_quality, analyze, Options};
use detente_core::{Role, Scenario};
use detente_study::{study, StudyConfig};
use std::sync::Arc;

use detente_testkit::shipped_scenario as load;

/// The oracle: the scenario with every stakeholder whose acceptance is not required turned
/// into an observer, so that its analysis knows the required parties alone.
fn required_only(s: &Scenario) -> Scenario {
    s.edited(|d| {
        d.protocol.mediator = None;
        for a in &mut d.actors {
            if !a.required {
                a.role = Role::Observer;
            }
        }
    })
    .expect("valid")
}

#[test]
fn every_simulated_result_is_measured_over_the_parties_that_must_agree() {
    let s = load("ukraine-ceasefire-2025.toml");
    let r = study(&s, &StudyConfig { runs: 0, ..StudyConfig::default() }).expect("study");
    let mut mediated = 0;
    for (case, runs) in r.cases.iter().zip(&r.simulation.cases) {
        let cs = if case.id == "base" { s.clone() } else { s.with_variant(&case.id).expect("variant") };
        let oracle = analyze(&required_only(&cs), &Options::default()).expect("analysis of the required parties");
        for run in runs.runs.iter().filter(|x| x.not_run.is_none()) {
            let q = run.quality.as_ref().expect("measured");
            assert_eq!(q.parties, case.must_agree, "{} {}", case.id, run.protocol.label());
            let u: Vec<f64> =
                oracle.parties.iter().map(|p| run.utilities.iter().find(|(a, _)| *a == p.id).expect("an actor's utility").1).collect();
            let want = agreement_quality(&oracle, &u);
            assert_eq!((q.pareto_distance, q.nash_distance, q.ks_distance), (want.pareto_distance, want.nash_distance, want.ks_distance));
            // Every other stakeholder (usa, the mediator; europe unless it must agree) is beside.
            let outside: Vec<&str> = q.outside.iter().map(|o| o.actor.as_str()).collect();
            let expected: Vec<&str> =
                cs.actors.iter().filter(|a| a.is_stakeholder() && !case.must_agree.contains(&a.id)).map(|a| a.id.as_str()).collect();
            assert_eq!(outside, expected);
            for o in &q.outside {
                assert_eq!(Some(o.utility), run.utilities.iter().find(|(a, _)| *a == o.actor).map(|x| x.1));
                assert!((o.utility - o.at_nash.expect("a Nash deal") - o.over_nash.expect("a difference")).abs() < 1e-12);
            }
            // The mediator is named where it mediated.
            let sim = run.simulation.as_ref().expect("the engine's record");
            match &sim.mediator {
                Some(m) => {
                    mediated += 1;
                    assert_eq!(m, "usa");
                    assert_eq!(run.mediator.as_ref(), q.outside.iter().find(|o| o.actor == "usa"));
                }
                None => assert!(run.mediator.is_none()),
            }
        }
    }
    assert!(mediated > 0);
}

#[test]
fn one_negotiations_report_names_the_mediator_and_the_space_it_is_measured_in() {
    use detente_agents::{simulate, Protocol, SimulationSpec};
    use detente_core::MediatorRule;
    use detente_protocol::{MoveRule, PreparedScenario};
    let s = load("ukraine-ceasefire-2025.toml");
    let p = Arc::new(PreparedScenario::new(&s).expect("prepared"));
    let spec = SimulationSpec {
        protocol: Some(Protocol::SingleText(MoveRule::Steepest)),
        mediator_rule: Some(MediatorRule::Biased),
        ..SimulationSpec::default()
    };
    let sim = simulate(&s, &p, &spec).expect("a run");
    let r = detente_study::negotiation::report(&s, &p, &sim, 0);
    let q = r.quality.as_ref().expect("measured");
    assert_eq!(q.measures.parties, ["russia", "ukraine"]);
    let m = r.mediator.as_ref().expect("the mediator's utility");
    assert_eq!(m.actor, "usa");
    assert_eq!(m.utility, r.utilities[0].utility);
    let json = serde_json::to_value(&r).expect("serialisable");
    assert_eq!(json["quality"]["parties"], serde_json::json!(["russia", "ukraine"]));
    assert_eq!(json["mediator"]["actor"], "usa");
    assert!(json["mediator"]["at_nash"].is_number() && json["quality"]["outside"].as_array().is_some_and(|o| o.len() == 2));
    // The joint table has no mediator; usa's utility is still beside the measures.
    let sim = simulate(&s, &p, &SimulationSpec { protocol: Some(Protocol::JointTable), ..SimulationSpec::default() }).expect("a run");
    let r = detente_study::negotiation::report(&s, &p, &sim, 0);
    assert!(r.mediator.is_none());
    assert!(r.quality.as_ref().expect("measured").measures.outside.iter().any(|o| o.actor == "usa"));
}
