//! Session behaviour: the Errored paths (panics, illegal moves), wall-clock deadlines, the
//! stepping API and trace determinism.

use detente_core::{Issue, OutcomeSpace};
use detente_protocol::*;
use std::cell::Cell;
use std::sync::{Arc, Mutex};

fn prepared() -> Arc<PreparedScenario> {
    let space = OutcomeSpace::new(vec![Issue::categorical("x", &["p", "q", "r", "s"])]);
    let a = PartyUtility::from_utilities(vec![0.0, 0.3, 0.6, 1.0], Some(0.2), "a").unwrap();
    let b = PartyUtility::from_utilities(vec![1.0, 0.6, 0.3, 0.0], None, "b").unwrap();
    Arc::new(PreparedScenario::from_parts(space, vec!["a".into(), "b".into()], vec![Arc::new(a), Arc::new(b)]))
}

/// Plays a fixed script of actions, then panics if asked again.
struct Script(Vec<Action>);
impl Negotiator for Script {
    fn act(&mut self, _v: &View<'_>) -> Action {
        assert!(!self.0.is_empty(), "script exhausted");
        self.0.remove(0)
    }
}

struct Panics;
impl Negotiator for Panics {
    fn act(&mut self, _v: &View<'_>) -> Action {
        panic!("boom at round {}", _v.round)
    }
}

/// Offers its best outcome forever.
struct Stubborn;
impl Negotiator for Stubborn {
    fn act(&mut self, v: &View<'_>) -> Action {
        Action::Offer(v.utility.best())
    }
}

fn session(a: Box<dyn Negotiator>, b: Box<dyn Negotiator>, rounds: u32) -> Session<'static> {
    Session::new(prepared(), vec![0, 1], vec![a, b], SessionConfig::rounds(rounds)).unwrap()
}

#[test]
fn a_panicking_negotiator_ends_the_session_as_errored() {
    let mut s = session(Box::new(Stubborn), Box::new(Panics), 5);
    let r = s.run(&mut ());
    assert_eq!(r.status, Status::Errored { by: 1, reason: "panicked: boom at round 0".into() });
    // no agreement: each gets its reservation value (0 when none is stated)
    assert_eq!(r.utilities, vec![0.2, 0.0]);
    assert_eq!(s.history().len(), 1);
}

#[test]
fn an_offer_outside_the_space_is_errored() {
    let mut s = session(Box::new(Script(vec![Action::Offer(4)])), Box::new(Stubborn), 5);
    let r = s.run(&mut ());
    assert_eq!(r.status, Status::Errored { by: 0, reason: "offered outcome 4, but the space has 4 outcomes".into() });
    assert!(s.history().is_empty(), "an illegal action is not recorded as an event");
}

#[test]
fn accepting_with_nothing_on_the_table_is_errored() {
    let mut s = session(Box::new(Script(vec![Action::Accept])), Box::new(Stubborn), 5);
    assert!(matches!(s.run(&mut ()).status, Status::Errored { by: 0, .. }));
}

#[test]
fn acting_out_of_turn_through_submit_is_errored() {
    let mut s = session(Box::new(Stubborn), Box::new(Stubborn), 5);
    assert_eq!(s.submit(1, Action::Offer(0), &mut ()), Err(Violation::OutOfTurn { expected: 0, got: 1 }));
    assert!(matches!(s.status(), Status::Errored { by: 1, .. }));
    assert!(!s.step(&mut ()));
}

#[test]
fn walking_away_breaks() {
    let mut s = session(Box::new(Stubborn), Box::new(Script(vec![Action::End])), 5);
    let r = s.run(&mut ());
    assert_eq!(r.status, Status::Broken { by: 1 });
    assert_eq!(r.rounds, 1);
}

#[test]
fn stubborn_parties_time_out_after_exactly_n_rounds() {
    let mut s = session(Box::new(Stubborn), Box::new(Stubborn), 7);
    let r = s.run(&mut ());
    assert_eq!(r.status, Status::TimedOut);
    assert_eq!(r.rounds, 7);
    assert_eq!(s.history().len(), 14);
    assert_eq!(s.history().last().unwrap().round, 6);
}

#[test]
fn the_view_shows_negmas_time_and_the_standing_offer() {
    type Seen = Arc<Mutex<Vec<(u32, u32, f64, Option<Standing>, usize)>>>;
    struct Probe(Seen);
    impl Negotiator for Probe {
        fn act(&mut self, v: &View<'_>) -> Action {
            self.0.lock().unwrap().push((v.me, v.round, v.time, v.offer, v.history.len()));
            Action::Offer(v.utility.best())
        }
    }
    let seen: Seen = Arc::default();
    let mut s = session(Box::new(Stubborn), Box::new(Probe(Arc::clone(&seen))), 3);
    s.run(&mut ());
    let got = seen.lock().unwrap().clone();
    assert_eq!(
        got,
        vec![
            (1, 0, 0.25, Some(Standing { outcome: 3, by: 0 }), 1),
            (1, 1, 0.5, Some(Standing { outcome: 3, by: 0 }), 3),
            (1, 2, 0.75, Some(Standing { outcome: 3, by: 0 }), 5),
        ]
    );
}

#[test]
fn a_wall_clock_limit_ends_the_session_at_the_start_of_a_round() {
    let now = Cell::new(0.0);
    let clock = || now.get();
    let cfg = SessionConfig { n_rounds: 100, time_limit: Some(1.0), rules: Rules::Negmas };
    let mut s = Session::with_clock(prepared(), vec![0, 1], vec![Box::new(Stubborn), Box::new(Stubborn)], cfg, Some(&clock)).unwrap();
    assert!(s.step(&mut ()));
    assert!(s.step(&mut ()));
    now.set(0.6);
    assert!(s.step(&mut ()));
    // NegMAS time: max(step time, elapsed fraction)
    assert_eq!(s.time(), 0.6);
    now.set(1.5);
    // mid-round: the running round is not interrupted
    assert!(s.step(&mut ()));
    assert!(!s.step(&mut ()));
    assert_eq!(s.status(), &Status::TimedOut);
    assert_eq!(s.result().rounds, 2);
}

#[test]
fn a_time_limit_needs_a_clock() {
    let cfg = SessionConfig { n_rounds: 10, time_limit: Some(1.0), rules: Rules::Negmas };
    let e = Session::new(prepared(), vec![0, 1], vec![Box::new(Stubborn), Box::new(Stubborn)], cfg).unwrap_err();
    assert_eq!(e, SessionError::BadTimeLimit);
    let e = Session::new(prepared(), vec![0], vec![Box::new(Stubborn)], SessionConfig::rounds(3)).unwrap_err();
    assert_eq!(e, SessionError::TooFewParties(1));
}

fn traced(rounds: u32) -> String {
    let p = prepared();
    let header = TraceHeader::new(
        "sao",
        "negmas",
        "toy",
        p.space(),
        rounds,
        7,
        vec![TraceParty { actor: "a".into(), negotiator: "script".into() }, TraceParty { actor: "b".into(), negotiator: "script".into() }],
    );
    let mut trace = JsonlTrace::new(Vec::new(), &header, Arc::clone(p.space()));
    let a = Script(vec![Action::Offer(3), Action::Offer(2)]);
    let b = Script(vec![Action::Offer(0), Action::Accept]);
    let mut s = Session::new(p, vec![0, 1], vec![Box::new(a), Box::new(b)], SessionConfig::rounds(rounds)).unwrap();
    s.run(&mut trace);
    String::from_utf8(trace.finish().unwrap()).unwrap()
}

#[test]
fn trace_is_versioned_jsonl_and_byte_identical_across_runs() {
    let t = traced(5);
    assert_eq!(t, traced(5));
    // rounds numbered from 1, as the reports number them: the deal comes in round 2 of 2
    let want = r#"{"trace":"detente/2","protocol":"sao","rules":"negmas","scenario":"toy","issues":["x"],"outcomes":4,"rounds":5,"seed":7,"parties":[{"actor":"a","negotiator":"script"},{"actor":"b","negotiator":"script"}]}
{"i":0,"round":1,"actor":0,"action":"offer","outcome":3,"values":["s"]}
{"i":1,"round":1,"actor":1,"action":"offer","outcome":0,"values":["p"]}
{"i":2,"round":2,"actor":0,"action":"offer","outcome":2,"values":["r"]}
{"i":3,"round":2,"actor":1,"action":"accept"}
{"end":"agreed","round":2,"rounds":2,"outcome":2,"values":["r"],"utilities":[0.6,0.3]}
"#;
    assert_eq!(t, want);
    for line in t.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
}

#[test]
fn a_bare_reject_breaks_under_negmas_and_is_errored_under_genius_saop() {
    let mk = |rules| {
        let cfg = SessionConfig { n_rounds: 5, time_limit: None, rules };
        Session::new(prepared(), vec![0, 1], vec![Box::new(Stubborn), Box::new(Script(vec![Action::Reject]))], cfg).unwrap()
    };
    assert_eq!(mk(Rules::Negmas).run(&mut ()).status, Status::Broken { by: 1 });
    assert_eq!(
        mk(Rules::GeniusSaop).run(&mut ()).status,
        Status::Errored { by: 1, reason: "`reject` is not a legal move under the genius_saop rules".into() }
    );
}

/// The same two parties; `b` will never accept `x = p` (outcome 0), its favourite.
fn prepared_with_red_line(b_forbids: &[&str]) -> Arc<PreparedScenario> {
    use detente_core::{Condition, RedLine, Value};
    let space = OutcomeSpace::new(vec![Issue::categorical("x", &["p", "q", "r", "s"])]);
    let a = PartyUtility::from_utilities(vec![0.0, 0.3, 0.6, 1.0], Some(0.2), "a").unwrap();
    let values = b_forbids.iter().map(|v| Value::Option(["p", "q", "r", "s"].iter().position(|x| x == v).unwrap() as u32)).collect();
    let line = RedLine { terms: vec![("x".into(), Condition::OneOf(values))], description: None };
    let b = PartyUtility::from_utilities(vec![1.0, 0.6, 0.3, 0.0], None, "b").unwrap().with_red_lines(&space, &[line], "b").unwrap();
    Arc::new(PreparedScenario::from_parts(space, vec!["a".into(), "b".into()], vec![Arc::new(a), Arc::new(b)]))
}

/// Accepts whatever is on the table; opens with outcome 0.
struct AcceptsAnything;
impl Negotiator for AcceptsAnything {
    fn act(&mut self, v: &View<'_>) -> Action {
        if v.offer.is_some() {
            Action::Accept
        } else {
            Action::Offer(0)
        }
    }
}

#[test]
fn accepting_across_ones_own_red_line_is_stopped_by_the_protocol() {
    let p = prepared_with_red_line(&["p"]);
    let mut s =
        Session::new(p, vec![0, 1], vec![Box::new(Script(vec![Action::Offer(0)])), Box::new(AcceptsAnything)], SessionConfig::rounds(5))
            .unwrap();
    let r = s.run(&mut ());
    assert_eq!(
        r.status,
        Status::Errored { by: 1, reason: "`b` accepted outcome 0, which crosses its own red line `x = p`".into() },
        "a negotiator that ignores its red line cannot make the deal"
    );
    assert_eq!(r.utilities, vec![0.2, 0.0]);
    assert_eq!(s.history().len(), 1, "the illegal accept is not recorded");
}

#[test]
fn offering_across_ones_own_red_line_is_errored_in_step_and_submit() {
    let p = prepared_with_red_line(&["p", "q"]);
    let mut s =
        Session::new(Arc::clone(&p), vec![0, 1], vec![Box::new(Stubborn), Box::new(AcceptsAnything)], SessionConfig::rounds(5)).unwrap();
    // a's best (3) is acceptable to b, so b accepts it; b's own opening 0 would cross
    assert_eq!(s.run(&mut ()).status, Status::Agreed { outcome: 3, round: 0 });
    let mut s = Session::new(p, vec![1, 0], vec![Box::new(AcceptsAnything), Box::new(Stubborn)], SessionConfig::rounds(5)).unwrap();
    let v = s.submit(0, Action::Offer(1), &mut ()).unwrap_err();
    assert_eq!(v, Violation::CrossesRedLine { actor: "b".into(), action: "offered", outcome: 1, line: "x = p or q".into() });
    assert!(matches!(s.status(), Status::Errored { by: 0, reason } if reason.contains("red line `x = p or q`")));
}

#[test]
fn a_party_with_every_outcome_forbidden_walks_away_without_being_asked() {
    let p = prepared_with_red_line(&["p", "q", "r", "s"]);
    assert_eq!(p.utility(1).n_acceptable(), 0);
    // b would panic if asked; it walks away at its first turn instead
    let mut s = Session::new(Arc::clone(&p), vec![0, 1], vec![Box::new(Stubborn), Box::new(Panics)], SessionConfig::rounds(5)).unwrap();
    let r = s.run(&mut ());
    assert_eq!(r.status, Status::Broken { by: 1 });
    assert_eq!(s.history().iter().map(|e| (e.actor, e.action)).collect::<Vec<_>>(), vec![(0, Action::Offer(3)), (1, Action::End)]);
    // speaking first, it walks away before anyone offers
    let mut s = Session::new(p, vec![1, 0], vec![Box::new(Panics), Box::new(Stubborn)], SessionConfig::rounds(5)).unwrap();
    assert_eq!(s.run(&mut ()).status, Status::Broken { by: 0 });
}
