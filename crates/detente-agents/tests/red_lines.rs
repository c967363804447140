//! Red lines in play: every built-in negotiator, under every protocol, on random scenarios
//! with random red lines, never offers, accepts or votes for an outcome across its own red
//! line, and a biased mediator never puts forward a text across its own. Checked from the
//! event history against `RedLine::crosses` (not the compiled masks the engine uses).

use detente_agents::{simulate, Protocol, SimulateError, Simulation, SimulationSpec, NAMES};
use detente_core::strategies::scenario;
use detente_core::{Actor, Condition, Issue, IssueKind, MediatorRule, Opening, OutcomeSpace, RedLine, Role, Scenario, Value};
use detente_protocol::{Action, MoveRule, OutcomeId, PreparedScenario, Status};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::sync::Arc;

const PROTOCOLS: [Protocol; 5] = [
    Protocol::JointTable,
    Protocol::SingleText(MoveRule::HillClimbing),
    Protocol::SingleText(MoveRule::Veto),
    Protocol::SingleText(MoveRule::Steepest),
    Protocol::Shuttle,
];

/// A red line drawn from `seed` over `space`: one or two issues, each with one or two values
/// (or, on a numeric issue, a range from a value up); `None` if it does not validate.
fn red_line(space: &OutcomeSpace, seed: u64) -> Option<RedLine> {
    let n = space.issues().len() as u64;
    let first = (seed % n) as usize;
    let mut issues = vec![first];
    if seed >> 4 & 1 == 1 && n > 1 {
        issues.push((first + 1 + (seed >> 5) as usize % (n as usize - 1)) % n as usize);
    }
    let terms = issues
        .iter()
        .enumerate()
        .map(|(t, &k)| {
            let issue = &space.issues()[k];
            let card = issue.cardinality().unwrap_or(1);
            let bits = seed >> (12 + 16 * t);
            let a = issue.value_at((bits % card) as u32)?;
            let condition = match (&issue.kind, &a) {
                (IssueKind::Integer { .. }, Value::Int(v)) if bits >> 8 & 1 == 1 => Condition::Range { min: Some(*v as f64), max: None },
                _ => Condition::OneOf(vec![a, issue.value_at((bits >> 4) as u32 % card as u32)?]),
            };
            Some((issue.id.clone(), condition))
        })
        .collect::<Option<Vec<_>>>()?;
    let line = RedLine { terms, description: None };
    line.check(space).ok().map(|()| line)
}

fn crosses(s: &Scenario, actor: &Actor, o: OutcomeId) -> bool {
    let outcome = s.space.outcome_at(o).expect("outcomes in the history are in the space");
    actor.red_lines.iter().any(|l| l.crosses(&s.space, &outcome))
}

/// Runs every registered negotiator (party `k` of a run plays `NAMES[(i + k) % len]`) under
/// every protocol and checks the history: no error, no party's offer, accept or yes-vote across
/// its own red line, no agreement across a required party's, no biased mediator's text across
/// its own.
fn check_all(s: &Scenario, rounds: u32, seed: u64) -> Result<(), TestCaseError> {
    let prepared = Arc::new(PreparedScenario::new(s).unwrap());
    let mediator = s.actors.iter().position(|a| a.role == Role::Mediator);
    for protocol in PROTOCOLS {
        let n = detente_agents::participants(s, protocol).len();
        for i in 0..NAMES.len() {
            let names: Vec<String> = (0..n).map(|k| NAMES[(i + k) % NAMES.len()].0.to_string()).collect();
            let spec = SimulationSpec {
                protocol: Some(protocol),
                negotiators: Some(names.clone()),
                rounds: Some(rounds),
                seed,
                // the joint table reads no mediator rule, and refuses one
                mediator_rule: mediator.filter(|_| protocol != Protocol::JointTable).map(|_| MediatorRule::Biased),
                ..SimulationSpec::default()
            };
            let sim = simulate(s, &prepared, &spec).map_err(|e| TestCaseError::fail(format!("{protocol:?} {names:?}: {e}")))?;
            check_history(s, &sim, mediator).map_err(|e| TestCaseError::fail(format!("{protocol:?} {names:?}: {e}")))?;
        }
    }
    Ok(())
}

fn check_history(s: &Scenario, sim: &Simulation, mediator: Option<usize>) -> Result<(), String> {
    if let Status::Errored { by, reason } = &sim.status {
        return Err(format!("errored by {by}: {reason}"));
    }
    let actor = |id: &str| &s.actors[s.actor_index(id).expect("parties are actors")];
    let parties: Vec<&Actor> = sim.parties.iter().map(|id| actor(id)).collect();
    let mut table: Option<OutcomeId> = None;
    for e in &sim.history {
        let by = e.actor as usize;
        match (parties.get(by), e.action) {
            (Some(a), Action::Offer(o)) if crosses(s, a, o) => return Err(format!("`{}` offered {o} across its red line", a.id)),
            (Some(a), Action::Accept) => {
                let o = table.ok_or("an accept with nothing on the table")?;
                if crosses(s, a, o) {
                    return Err(format!("`{}` accepted or voted for {o} across its red line", a.id));
                }
            }
            (None, Action::Offer(o)) if sim.mediator_rule == Some(MediatorRule::Biased) => {
                let m = &s.actors[mediator.ok_or("a biased rule without a mediator")?];
                if crosses(s, m, o) {
                    return Err(format!("the mediator `{}` put forward {o} across its red line", m.id));
                }
            }
            _ => {}
        }
        if let Action::Offer(o) = e.action {
            table = Some(o);
        }
    }
    if let Some(o) = sim.agreement {
        let joint = sim.protocol == Protocol::JointTable;
        if let Some(a) = parties.iter().find(|a| (joint || a.required) && crosses(s, a, o)) {
            return Err(format!("agreement {o} crosses the red line of `{}`, a required party", a.id));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn no_negotiator_or_mediator_crosses_its_own_red_lines(
        s in scenario(4, 3, 5),
        seeds in proptest::collection::vec(proptest::collection::vec(any::<u64>(), 0..3), 4),
        with_mediator in any::<bool>(),
        rounds in 1u32..30,
        seed in any::<u64>(),
    ) {
        let s = s.edited(|s| {
            let space = s.space.clone();
            for (a, lines) in s.actors.iter_mut().zip(&seeds) {
                a.red_lines = lines.iter().filter_map(|&x| red_line(&space, x)).collect();
            }
            if with_mediator && s.actors.len() >= 3 {
                let last = s.actors.last_mut().unwrap();
                last.role = Role::Mediator;
                last.required = false;
            }
        }).unwrap();
        check_all(&s, rounds, seed)?;
    }
}

/// A small scenario with a mediator, for the deterministic cases below.
fn fixed_scenario() -> Scenario {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut s = scenario(4, 3, 4).new_tree(&mut runner).unwrap().current();
    while s.actors.len() < 3 || s.space.issues().len() < 2 || s.space.issues().iter().all(|i| i.cardinality() == Some(1)) {
        s = scenario(4, 3, 4).new_tree(&mut runner).unwrap().current();
    }
    s.edited(|s| s.actors.last_mut().unwrap().role = Role::Mediator).unwrap()
}

/// Runs every protocol with every negotiator in every seat for `rounds` rounds and hands each
/// simulation to `check`.
fn every_run(s: &Scenario, rounds: u32, mut check: impl FnMut(Protocol, &str, detente_agents::Simulation)) {
    let prepared = Arc::new(PreparedScenario::new(s).unwrap());
    for protocol in PROTOCOLS {
        for (name, _) in NAMES {
            let n = detente_agents::participants(s, protocol).len();
            let spec = SimulationSpec {
                protocol: Some(protocol),
                negotiators: Some(vec![name.to_string(); n]),
                rounds: Some(rounds),
                ..SimulationSpec::default()
            };
            check(protocol, name, simulate(s, &prepared, &spec).unwrap());
        }
    }
}

/// Every value of `issue`: a red line no outcome escapes.
fn everything(issue: &Issue) -> RedLine {
    let n = issue.cardinality().unwrap() as u32;
    RedLine { terms: vec![(issue.id.clone(), Condition::OneOf((0..n).filter_map(|v| issue.value_at(v)).collect()))], description: None }
}

#[test]
fn a_party_or_mediator_with_every_outcome_forbidden_does_not_panic_or_error() {
    let base = fixed_scenario();
    let all = everything(&base.space.issues()[0]);
    // a required party that can accept nothing: no agreement, no error, under every protocol
    let s = base
        .clone()
        .edited(|s| {
            s.actors[1].red_lines = vec![all.clone()];
        })
        .unwrap();
    check_all(&s, 12, 5).unwrap();
    every_run(&s, 12, |protocol, name, sim| assert_eq!(sim.agreement, None, "{protocol:?} {name}: {:?}", sim.status));
    // a biased mediator that can put forward nothing: broken at once, no text
    let m = base.actors.len() - 1;
    let s = base.edited(|s| s.actors[m].red_lines = vec![all]).unwrap();
    check_all(&s, 12, 5).unwrap();
    let prepared = Arc::new(PreparedScenario::new(&s).unwrap());
    for protocol in &PROTOCOLS[1..] {
        let spec = SimulationSpec { protocol: Some(*protocol), mediator_rule: Some(MediatorRule::Biased), ..SimulationSpec::default() };
        let sim = simulate(&s, &prepared, &spec).unwrap();
        let m = sim.parties.len() as u32;
        assert_eq!(sim.status, Status::Broken { by: m });
        // no text was put forward: the mediator's one move is to walk away
        assert_eq!(sim.history, [detente_protocol::Event { round: 0, actor: m, action: detente_protocol::Action::End }]);
    }
}

#[test]
fn an_opening_concession_across_ones_own_red_line_is_refused_and_one_beside_it_is_kept_clear() {
    let space = OutcomeSpace::new(vec![
        Issue::ordinal("nato", &[("member", 0.0), ("deferred", 50.0), ("neutral", 100.0)]),
        Issue::integer("force", 0, 150, 50),
    ]);
    let mut s = fixed_scenario().into_draft();
    s.space = space;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for a in &mut s.actors {
        a.preferences.utility = detente_core::Utility::LinearAdditive(
            detente_core::strategies::linear_additive(&s.space).new_tree(&mut runner).unwrap().current(),
        );
        a.preferences.reservation = detente_core::Reservation::None;
        a.red_lines.clear();
    }
    let member_with_force = RedLine {
        terms: vec![
            ("nato".into(), Condition::OneOf(vec![Value::Option(0)])),
            ("force".into(), Condition::Range { min: Some(100.0), max: None }),
        ],
        description: None,
    };
    s.actors[0].red_lines = vec![member_with_force];
    s.openings = vec![Opening { actor: s.actors[0].id.clone(), issue: "nato".into(), value: Value::Option(0) }];
    let s = s.validate().unwrap();
    // conceding `member` leaves force 0 or 50: every offer keeps the concession and stays clear
    every_run(&s, 20, |protocol, name, sim| {
        check_history(&s, &sim, Some(s.actors.len() - 1)).unwrap_or_else(|e| panic!("{protocol:?} {name}: {e}"));
        for e in sim.history.iter().filter(|e| e.actor == 0) {
            if let Action::Offer(o) = e.action {
                assert_eq!(o / 4, 0, "{protocol:?} {name}: the conceded `member` is kept in {o}");
            }
        }
    });
    // a red line on the conceded value alone: the opening itself crosses it
    let s = s.edited(|s| s.actors[0].red_lines.push(RedLine::one("nato", Value::Option(0)))).unwrap();
    let prepared = Arc::new(PreparedScenario::new(&s).unwrap());
    let err = simulate(&s, &prepared, &SimulationSpec::default()).unwrap_err();
    assert!(matches!(&err, SimulateError::Opening { .. }), "{err}");
    assert!(err.to_string().contains("crosses its own red line `nato = member`"), "{err}");
}
