//! Mediator rules that a protocol accepts must matter, or the combination is refused
//! (`Protocol::rule_change_matters`, issue #10 item 5).

use detente_agents::{simulate, Protocol, Setting, SimulateError, SimulationSpec, Unread};
use detente_core::{Input, MediatorRule, Scenario};
use detente_protocol::{Knowledge, MediationRules, MoveRule, PreparedScenario};
use std::sync::Arc;

use detente_testkit::reference_scenario as reference;

fn run(s: &Scenario, protocol: Protocol, knowledge: Knowledge, rule: MediatorRule) -> Result<Vec<detente_protocol::Event>, SimulateError> {
    let p = Arc::new(PreparedScenario::new(s).unwrap());
    let spec = SimulationSpec { protocol: Some(protocol), mediator_rule: Some(rule), knowledge: Some(knowledge), ..Default::default() };
    simulate(s, &p, &spec).map(|r| r.history)
}

fn history(s: &Scenario, protocol: Protocol, knowledge: Knowledge, rule: MediatorRule) -> Vec<detente_protocol::Event> {
    run(s, protocol, knowledge, rule).unwrap()
}

const MEDIATED: [Protocol; 4] = [
    Protocol::SingleText(MoveRule::Veto),
    Protocol::SingleText(MoveRule::HillClimbing),
    Protocol::SingleText(MoveRule::Steepest),
    Protocol::Shuttle,
];
const RULES: [MediatorRule; 3] = [MediatorRule::Biased, MediatorRule::Neutral, MediatorRule::Welfare];

#[test]
fn every_pair_of_rules_said_to_differ_does_and_the_others_are_refused() {
    // omniscient: each rule starts from its own text (the mediator's best rational text, the
    // Nash-best, the welfare-best), so on the reference scenario every pair gives a different
    // negotiation. Votes only: biased starts from its ideal, neutral and welfare from the middle
    // of the scales; they differ wherever the mediator consults its estimate (steepest,
    // shuttle), and welfare is refused in veto and hill climbing, where it would be neutral.
    let s = reference();
    for knowledge in Knowledge::ALL {
        for protocol in MEDIATED {
            let runs = RULES.map(|r| run(&s, protocol, knowledge, r));
            for (i, &a) in RULES.iter().enumerate() {
                for (j, &b) in RULES.iter().enumerate().skip(i + 1) {
                    let said = protocol.rule_change_matters(knowledge, a, b);
                    assert_eq!(said, protocol.rule_change_matters(knowledge, b, a));
                    assert_eq!(said, protocol.rule_change_matters_in(&s, knowledge, a, b));
                    if let (Ok(ha), Ok(hb)) = (&runs[i], &runs[j]) {
                        assert!(said, "{knowledge:?} {protocol:?}: {a:?} and {b:?} both run but are said to coincide");
                        assert!(ha != hb, "{knowledge:?} {protocol:?}: {a:?} and {b:?} give the same negotiation");
                    }
                }
                assert!(!protocol.rule_change_matters(knowledge, a, a));
            }
            // the one refusal: a votes-only welfare mediator where it would be the neutral one
            for (r, result) in RULES.iter().zip(&runs) {
                if let Err(e) = result {
                    assert!(matches!(e, SimulateError::NotApplicable { why: Unread::WelfareIsNeutral, .. }), "{e}");
                    assert_eq!(*r, MediatorRule::Welfare);
                    assert!(!protocol.rule_change_matters(knowledge, MediatorRule::Neutral, MediatorRule::Welfare), "{protocol:?}");
                }
            }
        }
    }
    let single = |m| Protocol::SingleText(m);
    for m in [MoveRule::Veto, MoveRule::HillClimbing] {
        assert!(!single(m).rule_change_matters(Knowledge::Votes, MediatorRule::Neutral, MediatorRule::Welfare));
        assert!(single(m).rule_change_matters(Knowledge::Omniscient, MediatorRule::Neutral, MediatorRule::Welfare));
    }
    // the joint table has no mediator: it reads no rule at all
    assert!(!Protocol::JointTable.reads(Input::MediatorRule));
    assert!(!Protocol::JointTable.rule_change_matters(Knowledge::Omniscient, MediatorRule::Biased, MediatorRule::Neutral));
}

#[test]
fn with_a_stated_opening_text_rules_matter_only_where_the_objective_acts_and_the_library_says_so() {
    // every rule starts from the stated text; neutral and welfare then coincide except under
    // steepest moves and shuttle mediation (where every mediator resists moves against its
    // objective); biased differs there and wherever the mediator's red lines bind (the usa
    // has some: it never proposes NATO membership or an Article 5 guarantee)
    let base = reference();
    let text = "territory=current_line, nato=deferred, security_guarantee=coalition_without_us, deterrent_force=75, \
                demilitarization=partial_cap, sanctions=phased_relief, resources=partnership_with_guarantees, \
                elections=after_martial_law, europe_role=consulted, prisoners=all_for_all";
    let s = base.edited(|d| d.protocol.opening_text = Some(d.space.parse(text).unwrap())).unwrap();
    for knowledge in Knowledge::ALL {
        for protocol in MEDIATED {
            for (i, &a) in RULES.iter().enumerate() {
                for &b in &RULES[i + 1..] {
                    let said = protocol.rule_change_matters_in(&s, knowledge, a, b);
                    match (run(&s, protocol, knowledge, a), run(&s, protocol, knowledge, b)) {
                        (Ok(ha), Ok(hb)) => assert_eq!(ha != hb, said, "{knowledge:?} {protocol:?}: {a:?} vs {b:?} said to matter: {said}"),
                        // refused: welfare, where it would be the neutral mediator
                        _ => assert!(!protocol.rule_change_matters(knowledge, MediatorRule::Neutral, MediatorRule::Welfare)),
                    }
                }
            }
        }
    }
    let k = Knowledge::Omniscient;
    assert!(!Protocol::SingleText(MoveRule::Veto).rule_change_matters_in(&s, k, MediatorRule::Neutral, MediatorRule::Welfare));
    assert!(Protocol::Shuttle.rule_change_matters_in(&s, k, MediatorRule::Neutral, MediatorRule::Welfare));
}

#[test]
fn negmas_single_text_rules_read_no_mediator_rule_and_refuse_one() {
    let s = reference();
    let p = Arc::new(PreparedScenario::new(&s).unwrap());
    let spec = |protocol, rule| SimulationSpec {
        protocol: Some(protocol),
        mediation_rules: MediationRules::Negmas,
        mediator_rule: rule,
        ..Default::default()
    };
    let veto = Protocol::SingleText(MoveRule::Veto);
    let e = simulate(&s, &p, &spec(veto, Some(MediatorRule::Neutral))).unwrap_err();
    assert!(matches!(e, SimulateError::NotApplicable { setting: Setting::MediatorRule, .. }), "{e}");
    // without one, the scenario's rule (biased) is not read: the run has no mediator rule
    let r = simulate(&s, &p, &spec(veto, None)).unwrap();
    assert_eq!(r.mediator_rule, None);
    assert_eq!(r.mediation_rules, Some(MediationRules::Negmas));
    // NegMAS has no steepest or shuttle mechanism
    for protocol in [Protocol::SingleText(MoveRule::Steepest), Protocol::Shuttle, Protocol::JointTable] {
        assert!(matches!(simulate(&s, &p, &spec(protocol, None)).unwrap_err(), SimulateError::NotApplicable { .. }), "{protocol:?}");
    }
    // negotiators are not consulted, so naming them is refused
    let mut sp = spec(veto, None);
    sp.negotiators = Some(vec!["boulware".into(); 3]);
    assert!(matches!(simulate(&s, &p, &sp).unwrap_err(), SimulateError::NotApplicable { setting: Setting::Negotiators, .. }));
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
        for k in Knowledge::ALL {
            assert_eq!(history(&s, protocol, k, rule), history(&v, protocol, k, rule));
        }
    }
}
