//! Mediated protocols: who votes, when the text moves, what ratification requires, what
//! optional parties can and cannot do, what each party sees, and the Errored path.

use detente_core::{
    Actor, Issue, Loss, Metadata, OutcomeSpace, Position, Preferences, Reservation, Role, Scenario, ScenarioDraft, Spatial, Utility,
};
use detente_protocol::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::{Arc, Mutex};

fn spatial(ideals: [f64; 3], saliences: [f64; 3], reservation: f64) -> Preferences {
    let positions = ideals.iter().zip(saliences).map(|(&ideal, salience)| Some(Position::new(ideal, salience))).collect();
    let mut p = Preferences::new(Utility::Spatial(Spatial { positions, loss: Loss::Linear }));
    p.reservation = Reservation::Value(reservation);
    p
}

/// Two required parties, an optional one, and a mediator with interests of its own.
fn scenario() -> Scenario {
    let space = OutcomeSpace::new(vec![
        Issue::ordinal("territory", &[("a", 0.0), ("b", 50.0), ("c", 100.0)]),
        Issue::categorical("flag", &["red", "green", "blue"]),
        Issue::integer("money", 0, 100, 25),
    ]);
    let mut europe = Actor::party("europe", spatial([0.0, 0.0, 0.0], [0.5, 0.1, 0.4], 0.1));
    europe.required = false;
    let mut usa = Actor::party("usa", spatial([50.0, 2.0, 50.0], [0.2, 0.2, 0.6], 0.0));
    usa.role = Role::Mediator;
    ScenarioDraft {
        meta: Metadata { id: "toy".into(), ..Default::default() },
        space,
        actors: vec![
            Actor::party("ukraine", spatial([0.0, 1.0, 0.0], [0.6, 0.1, 0.3], 0.2)),
            Actor::party("russia", spatial([100.0, 0.0, 100.0], [0.6, 0.1, 0.3], 0.2)),
            europe,
            usa,
        ],
        protocol: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .expect("invariant: a valid scenario")
}

fn setup(s: &Scenario) -> MediationSetup {
    MediationSetup::new(s, Arc::new(PreparedScenario::new(s).unwrap())).unwrap()
}

/// Votes by the default (GENIUS HillClimber) rule; counters with its best outcome.
struct Climber;
impl Negotiator for Climber {
    fn act(&mut self, v: &View<'_>) -> Action {
        match v.offer {
            Some(s) if v.utility.utility(s.outcome) >= v.utility.reservation_value() + 0.3 => Action::Accept,
            _ => Action::Offer(v.utility.best()),
        }
    }
}

struct AlwaysNo;
impl Negotiator for AlwaysNo {
    fn act(&mut self, v: &View<'_>) -> Action {
        Action::Offer(v.utility.best())
    }
    fn vote(&mut self, _v: &View<'_>, _p: OutcomeId, _c: Option<OutcomeId>) -> bool {
        false
    }
}

struct AlwaysYes;
impl Negotiator for AlwaysYes {
    fn act(&mut self, _v: &View<'_>) -> Action {
        Action::Accept
    }
    fn vote(&mut self, _v: &View<'_>, _p: OutcomeId, _c: Option<OutcomeId>) -> bool {
        true
    }
}

fn negs(kinds: &[&str]) -> Vec<Box<dyn Negotiator>> {
    kinds
        .iter()
        .map(|k| match *k {
            "climber" => Box::new(Climber) as Box<dyn Negotiator>,
            "no" => Box::new(AlwaysNo),
            _ => Box::new(AlwaysYes),
        })
        .collect()
}

#[test]
fn setup_finds_parties_required_flags_and_the_mediator() {
    let s = scenario();
    let m = setup(&s);
    assert_eq!(m.parties, vec![0, 1, 2]);
    assert_eq!(m.required, vec![true, true, false]);
    assert_eq!(m.mediator, Some(3));
}

#[test]
fn neighbours_move_one_issue_one_step_or_to_any_other_category() {
    let m = setup(&scenario());
    // outcome (b, green, 50): index = 1*15 + 1*5 + 2 = 22
    let nb = m.neighbours(22);
    // territory a/c, flag red/blue, money 25/75
    assert_eq!(nb, vec![7, 17, 21, 23, 27, 37]);
    // a corner has fewer ordered neighbours
    assert_eq!(m.neighbours(0), vec![1, 5, 10, 15]);
}

#[test]
fn initial_texts_follow_the_mediator_rule() {
    let s = scenario();
    let m = setup(&s);
    let p = m.prepared().clone();
    // neutral and welfare: the middle of every scale (categorical: the middle option)
    assert_eq!(m.initial_text(Objective::Neutral), 22);
    assert_eq!(m.initial_text(Objective::Welfare), 22);
    // biased: the mediator's best among outcomes every required party finds rational
    let b = m.initial_text(Objective::Biased { mediator: 3 });
    assert!(m.rational_for_required(b));
    for o in 0..p.n_outcomes() {
        if m.rational_for_required(o) {
            assert!(p.utility(3).utility(o) <= p.utility(3).utility(b));
        }
    }
}

#[test]
fn compose_moves_the_most_salient_issue_fully_and_resists_for_a_biased_mediator() {
    let m = setup(&scenario());
    // ukraine (party 0) counters (a, green, 0) = 5 to the text (c, blue, 100) = 44:
    // territory (its top issue, weight 1) moves all the way to a; money (weight 0.5) half way
    // (100 -> 50); flag (weight 1/6 < 0.5) stays blue
    let t = m.compose(Objective::Neutral, 44, 0, 5);
    assert_eq!(t, 2 * 5 + 2, "(a, blue, 50)");
    // from the text (b, blue, 50) = 27 the same counter moves territory to a and money half
    // way (50 -> 25) for a neutral mediator; a biased mediator whose ideal is 50 on both
    // halves both moves (they hurt it), and they snap back: the text stays
    assert_eq!(m.compose(Objective::Neutral, 27, 0, 5), 11, "(a, blue, 25)");
    assert_eq!(m.compose(Objective::Biased { mediator: 3 }, 27, 0, 5), 27);
}

#[test]
fn single_text_only_moves_to_texts_every_required_party_accepts() {
    let s = scenario();
    let m = setup(&s);
    let p = m.prepared().clone();
    for rule in [MoveRule::Veto, MoveRule::HillClimbing, MoveRule::Steepest] {
        let mut cfg = MediationConfig::new(60, Objective::Welfare);
        cfg.move_rule = rule;
        let mut sess = MediatedSession::new(setup(&s), negs(&["climber", "climber", "no"]), cfg, ChaCha8Rng::seed_from_u64(3)).unwrap();
        let r = sess.run_single_text(&mut ());
        assert!(!matches!(r.status, Status::Errored { .. }));
        // replay: the text changes only when both required parties voted yes, and then no
        // required party loses (hill-climbing voters); europe's constant "no" never blocks
        let mut text = m.initial_text(Objective::Welfare);
        let h = sess.history();
        let med = sess.mediator_index();
        let mut i = 0;
        while i < h.len() {
            let Action::Offer(c) = h[i].action else { panic!("{rule:?}: expected a mediator text at {i}") };
            assert_eq!(h[i].actor, med);
            let votes: Vec<&Event> = h[i + 1..].iter().take_while(|e| e.actor != med).collect();
            let ratification = votes.len() == 2;
            if !ratification {
                assert_eq!(votes.len(), 3, "{rule:?}: everyone votes on a candidate");
                let yes_required = votes.iter().filter(|e| e.actor < 2).all(|e| e.action == Action::Accept);
                assert_eq!(votes[2].action, Action::Reject);
                if yes_required && c != text {
                    for k in 0..2 {
                        assert!(p.utility(k).utility(c) >= p.utility(k).utility(text));
                    }
                    text = c;
                }
            }
            i += 1 + votes.len();
        }
        assert_eq!(text, r.text, "{rule:?}");
        assert!(r.proposed > 0);
    }
}

#[test]
fn ratification_needs_every_required_party_and_fails_without_a_rational_text() {
    let s = scenario()
        .edited(|s| {
            // russia now walks away from anything short of its best outcome (worth 1)
            s.actors[1].preferences.reservation = Reservation::Value(1.0);
        })
        .unwrap();
    let cfg = MediationConfig::new(15, Objective::Welfare);
    let mut sess = MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run_single_text(&mut ());
    assert!(r.status.agreement().is_none(), "{:?}", r.status);
    assert_eq!(r.utilities[1], 1.0, "no agreement: reservation values");
    // everyone says yes to everything: agreement at the first ratification
    let cfg = MediationConfig::new(15, Objective::Welfare);
    let mut sess = MediatedSession::new(setup(&scenario()), negs(&["yes", "yes", "no"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run_single_text(&mut ());
    assert!(matches!(r.status, Status::Agreed { .. }), "{:?}", r.status);
}

#[test]
fn single_text_is_deterministic_for_a_seed() {
    let s = scenario();
    let run = |seed| {
        let mut cfg = MediationConfig::new(40, Objective::Biased { mediator: 3 });
        cfg.move_rule = MoveRule::Veto;
        let mut sess =
            MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap();
        let r = sess.run_single_text(&mut ());
        (r, sess.history().to_vec())
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9).1, run(10).1);
}

#[test]
fn shuttle_agrees_when_required_parties_accept_the_same_text_and_optional_ones_cannot_block() {
    let s = scenario();
    let initial = setup(&s).initial_text(Objective::Neutral);
    // everyone accepts: round 0 is stable, ratification succeeds on the initial text
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["yes", "yes", "yes"]),
        MediationConfig::new(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let r = sess.run_shuttle(&mut ());
    assert_eq!(r.status, Status::Agreed { outcome: initial, round: 0 });
    assert_eq!((r.proposed, r.accepted), (3, 3));
    // the optional party counters every visit, moving the text after the required parties
    // accepted it: it cannot hold the agreement up
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["yes", "yes", "no"]),
        MediationConfig::new(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let r = sess.run_shuttle(&mut ());
    assert_eq!(r.status, Status::Agreed { outcome: initial, round: 0 });
    // a required party that counters every time blocks it
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["no", "yes", "yes"]),
        MediationConfig::new(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    assert_eq!(sess.run_shuttle(&mut ()).status, Status::TimedOut);
    // required parties that always counter: no agreement at the deadline
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["no", "no", "yes"]),
        MediationConfig::new(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let r = sess.run_shuttle(&mut ());
    assert_eq!(r.status, Status::TimedOut);
    assert_eq!(r.rounds, 10);
    assert_eq!(r.proposed, 30, "three visits per round");
}

#[test]
fn in_shuttle_mediation_a_party_sees_only_the_mediator_and_itself() {
    type Seen = Arc<Mutex<Vec<Vec<Event>>>>;
    struct Probe(Seen);
    impl Negotiator for Probe {
        fn act(&mut self, v: &View<'_>) -> Action {
            self.0.lock().unwrap().push(v.history.to_vec());
            Action::Offer(v.utility.best())
        }
    }
    let seen: Seen = Arc::default();
    let s = scenario();
    let negotiators: Vec<Box<dyn Negotiator>> = vec![Box::new(Climber), Box::new(Probe(Arc::clone(&seen))), Box::new(Climber)];
    let mut sess =
        MediatedSession::new(setup(&s), negotiators, MediationConfig::new(5, Objective::Welfare), ChaCha8Rng::seed_from_u64(0)).unwrap();
    sess.run_shuttle(&mut ());
    let med = sess.mediator_index();
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty());
    for h in seen.iter() {
        assert!(h.iter().all(|e| e.actor == 1 || e.actor == med), "{h:?}");
    }
}

#[test]
fn a_panicking_voter_ends_the_session_as_errored() {
    struct Bad;
    impl Negotiator for Bad {
        fn act(&mut self, _v: &View<'_>) -> Action {
            panic!("bad act")
        }
        fn vote(&mut self, _v: &View<'_>, _p: OutcomeId, _c: Option<OutcomeId>) -> bool {
            panic!("bad vote")
        }
    }
    let s = scenario();
    let negotiators: Vec<Box<dyn Negotiator>> = vec![Box::new(Climber), Box::new(Bad), Box::new(Climber)];
    let mut sess =
        MediatedSession::new(setup(&s), negotiators, MediationConfig::new(5, Objective::Welfare), ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert_eq!(sess.run_single_text(&mut ()).status, Status::Errored { by: 1, reason: "panicked: bad vote".into() });
    let negotiators: Vec<Box<dyn Negotiator>> = vec![Box::new(Climber), Box::new(Bad), Box::new(Climber)];
    let mut sess =
        MediatedSession::new(setup(&s), negotiators, MediationConfig::new(5, Objective::Welfare), ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert_eq!(sess.run_shuttle(&mut ()).status, Status::Errored { by: 1, reason: "panicked: bad act".into() });
}

#[test]
fn setup_errors_are_typed() {
    let s = scenario()
        .edited(|s| {
            s.actors[0].required = false;
            s.actors[1].required = false;
        })
        .unwrap();
    let p = Arc::new(PreparedScenario::new(&s).unwrap());
    assert_eq!(MediationSetup::new(&s, p).unwrap_err(), MediationError::NoRequiredParty);
    let s = scenario();
    let e = MediatedSession::new(setup(&s), negs(&["yes"]), MediationConfig::new(5, Objective::Neutral), ChaCha8Rng::seed_from_u64(0))
        .unwrap_err();
    assert_eq!(e, MediationError::Mismatch { parties: 3, negotiators: 1 });
}

#[test]
fn stepping_round_by_round_equals_running() {
    let s = scenario();
    let mk = || {
        MediatedSession::new(
            setup(&s),
            negs(&["climber", "climber", "climber"]),
            MediationConfig::new(12, Objective::Welfare),
            ChaCha8Rng::seed_from_u64(2),
        )
        .unwrap()
    };
    for shuttle in [false, true] {
        let mut a = mk();
        let ra = if shuttle { a.run_shuttle(&mut ()) } else { a.run_single_text(&mut ()) };
        let mut b = mk();
        let mut rounds = 0;
        while if shuttle { b.step_shuttle(&mut ()) } else { b.step_single_text(&mut ()) } {
            rounds += 1;
            assert_eq!(b.round(), rounds);
        }
        assert_eq!(b.result(), Some(&ra));
        assert_eq!(a.history(), b.history());
        assert!(!b.step_single_text(&mut ()), "a finished session stays finished");
    }
}

fn one_of(issue: &str, values: &[u32]) -> detente_core::RedLine {
    detente_core::RedLine {
        terms: vec![(issue.into(), detente_core::Condition::OneOf(values.iter().map(|&v| detente_core::Value::Option(v)).collect()))],
        description: None,
    }
}

#[test]
fn a_yes_vote_or_an_accept_across_ones_own_red_line_is_errored() {
    // ukraine will never see the flag red or green; it votes yes to everything regardless
    let s = scenario()
        .edited(|s| {
            s.actors[0].red_lines = vec![one_of("flag", &[0, 1])];
        })
        .unwrap();
    let mut cfg = MediationConfig::new(30, Objective::Welfare);
    cfg.move_rule = MoveRule::Veto;
    let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "climber", "no"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run_single_text(&mut ());
    let Status::Errored { by: 0, reason } = &r.status else { panic!("{:?}", r.status) };
    assert!(
        reason.starts_with("`ukraine` voted for outcome ") && reason.ends_with("crosses its own red line `flag = red or green`"),
        "{reason}"
    );
    // shuttle: the neutral first text (b, green, 50) is put to ukraine, which accepts it
    let cfg = MediationConfig::new(30, Objective::Neutral);
    let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run_shuttle(&mut ());
    assert_eq!(
        r.status,
        Status::Errored { by: 0, reason: "`ukraine` accepted outcome 22, which crosses its own red line `flag = red or green`".into() }
    );
}

#[test]
fn a_party_with_every_outcome_forbidden_says_no_or_leaves_without_being_asked() {
    struct Bad;
    impl Negotiator for Bad {
        fn act(&mut self, _v: &View<'_>) -> Action {
            panic!("asked to act")
        }
        fn vote(&mut self, _v: &View<'_>, _p: OutcomeId, _c: Option<OutcomeId>) -> bool {
            panic!("asked to vote")
        }
    }
    let s = scenario()
        .edited(|s| {
            s.actors[1].red_lines = vec![one_of("flag", &[0, 1, 2])];
        })
        .unwrap();
    let negotiators = || -> Vec<Box<dyn Negotiator>> { vec![Box::new(AlwaysYes), Box::new(Bad), Box::new(AlwaysYes)] };
    let mut sess =
        MediatedSession::new(setup(&s), negotiators(), MediationConfig::new(12, Objective::Welfare), ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run_single_text(&mut ());
    assert_eq!(r.status, Status::TimedOut, "russia votes no to every text");
    assert!(sess.history().iter().filter(|e| e.actor == 1).all(|e| e.action == Action::Reject));
    let mut sess =
        MediatedSession::new(setup(&s), negotiators(), MediationConfig::new(12, Objective::Welfare), ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert_eq!(sess.run_shuttle(&mut ()).status, Status::Broken { by: 1 }, "a required party that can accept nothing leaves");
}

#[test]
fn a_biased_mediator_never_puts_forward_a_text_across_its_own_red_lines() {
    let s = scenario()
        .edited(|s| {
            // the usa will not have the flag blue, nor territory a with money 0
            s.actors[3].red_lines = vec![
                one_of("flag", &[2]),
                detente_core::RedLine {
                    terms: vec![
                        ("territory".into(), detente_core::Condition::OneOf(vec![detente_core::Value::Option(0)])),
                        ("money".into(), detente_core::Condition::OneOf(vec![detente_core::Value::Int(0)])),
                    ],
                    description: None,
                },
            ];
        })
        .unwrap();
    let m = setup(&s);
    let p = m.prepared().clone();
    let biased = Objective::Biased { mediator: 3 };
    let ok = |o: OutcomeId| p.utility(3).acceptable(o);
    assert!(p.utility(3).n_acceptable() < p.utility(3).len());
    assert!(ok(m.initial_text(biased)));
    // shuttle moves from every text the mediator may hold, on every counter: never across its
    // red lines, and the plain move whenever that crosses nothing
    let plain = setup(&scenario());
    let mut crossing = 0;
    for t in (0..p.n_outcomes()).filter(|&t| ok(t)) {
        for c in 0..p.n_outcomes() {
            for party in 0..3 {
                let (free, bound) = (plain.compose(biased, t, party, c), m.compose(biased, t, party, c));
                assert!(ok(bound), "{t} -> {c} by {party}: {bound}");
                if ok(free) {
                    assert_eq!(bound, free, "the same move when it crosses nothing");
                } else {
                    crossing += 1;
                }
            }
        }
    }
    assert!(crossing > 0, "some plain move crosses, so the test means something");
    for rule in [MoveRule::Veto, MoveRule::HillClimbing, MoveRule::Steepest] {
        for seed in 0..4 {
            let mut cfg = MediationConfig::new(40, biased);
            cfg.move_rule = rule;
            let mut sess =
                MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let r = sess.run_single_text(&mut ());
            assert!(!matches!(r.status, Status::Errored { .. }), "{r:?}");
            let med = sess.mediator_index();
            let texts: Vec<OutcomeId> = sess
                .history()
                .iter()
                .filter_map(|e| match e.action {
                    Action::Offer(o) if e.actor == med => Some(o),
                    _ => None,
                })
                .collect();
            assert!(texts.len() > 2);
            assert!(texts.iter().all(|&o| ok(o)), "{rule:?}: {texts:?}");
        }
    }
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["climber", "climber", "climber"]),
        MediationConfig::new(40, biased),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    sess.run_shuttle(&mut ());
    let med = sess.mediator_index();
    assert!(sess.history().iter().all(|e| e.actor != med || matches!(e.action, Action::Offer(o) if ok(o))));
}

#[test]
fn a_biased_mediator_whose_red_lines_forbid_everything_cannot_mediate() {
    let s = scenario()
        .edited(|s| {
            s.actors[3].red_lines = vec![one_of("flag", &[0, 1, 2])];
        })
        .unwrap();
    for shuttle in [false, true] {
        let cfg = MediationConfig::new(10, Objective::Biased { mediator: 3 });
        let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
        let r = if shuttle { sess.run_shuttle(&mut ()) } else { sess.run_single_text(&mut ()) };
        assert_eq!(r.status, Status::Broken { by: 3 });
        assert!(sess.history().is_empty(), "no text was put forward");
    }
    // a neutral mediator has no red lines of its own: the usa's do not bind it
    let cfg = MediationConfig::new(10, Objective::Neutral);
    let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert!(matches!(sess.run_single_text(&mut ()).status, Status::Agreed { .. }));
}
