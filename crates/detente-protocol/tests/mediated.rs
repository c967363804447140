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
        salience: Default::default(),
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
    let rational: Vec<OutcomeId> = (0..p.n_outcomes()).filter(|&o| m.rational_for_required(o)).collect();
    assert!(!rational.is_empty());
    let argmax = |f: &dyn Fn(OutcomeId) -> f64| {
        rational.iter().copied().fold(None::<OutcomeId>, |b, o| match b {
            Some(b) if f(b) >= f(o) => Some(b),
            _ => Some(o),
        })
    };
    let gain = |a: usize, o: OutcomeId| p.utility(a).utility(o) - p.utility(a).reservation_value();
    // biased: the mediator's best among the texts every required party finds rational
    assert_eq!(
        m.objective_text(Objective::Biased { mediator: 3 }),
        (argmax(&|o| p.utility(3).utility(o)).unwrap(), StartSource::Objective)
    );
    // neutral: the Nash-best rational text (required parties only: europe is optional)
    assert_eq!(m.objective_text(Objective::Neutral), (argmax(&|o| gain(0, o) * gain(1, o)).unwrap(), StartSource::Objective));
    // welfare: the welfare-best rational text
    let welfare = argmax(&|o| p.utility(0).utility(o) + p.utility(1).utility(o)).unwrap();
    assert_eq!(m.objective_text(Objective::Welfare), (welfare, StartSource::Objective));
    let texts = [Objective::Biased { mediator: 3 }, Objective::Neutral, Objective::Welfare].map(|o| m.initial_text(o));
    assert!(texts[0] != texts[1] && texts[1] != texts[2] && texts[0] != texts[2], "each rule starts elsewhere here: {texts:?}");
    // a stated opening text is where every rule starts
    let opened = s.edited(|d| d.protocol.opening_text = Some(d.space.outcome_at(22).unwrap())).unwrap();
    let mo = setup(&opened);
    assert_eq!(mo.opening_text, Some(22));
    for obj in [Objective::Biased { mediator: 3 }, Objective::Neutral, Objective::Welfare] {
        assert_eq!(mo.initial_text(obj), 22);
        let sess =
            MediatedSession::new(setup(&opened), negs(&["yes", "yes", "yes"]), MediationConfig::new(5, obj), ChaCha8Rng::seed_from_u64(0))
                .unwrap();
        assert_eq!(sess.start(), (Some(22), StartSource::OpeningText));
    }
}

#[test]
fn with_no_rational_text_neutral_and_welfare_start_nearest_to_one_and_biased_at_the_mediators_ideal() {
    // russia walks away from anything short of its best outcome, and ukraine's best is not it
    let s = scenario()
        .edited(|s| {
            s.actors[1].preferences.reservation = Reservation::Value(1.0);
            s.actors[0].preferences.reservation = Reservation::Value(1.0);
        })
        .unwrap();
    let m = setup(&s);
    let p = m.prepared().clone();
    assert!((0..p.n_outcomes()).all(|o| !m.rational_for_required(o)));
    for obj in [Objective::Neutral, Objective::Welfare] {
        let (o, from) = m.objective_text(obj);
        assert_eq!(from, StartSource::Fallback);
        let worst = m.worst_margin(o);
        assert!((0..p.n_outcomes()).all(|x| m.worst_margin(x) <= worst), "{obj:?}: the smallest worst shortfall");
    }
    let (o, from) = m.objective_text(Objective::Biased { mediator: 3 });
    assert_eq!(from, StartSource::Fallback);
    assert_eq!(p.utility(3).utility(o), p.utility(3).max(), "the mediator's ideal");
}

#[test]
fn compose_moves_the_most_salient_issue_fully_and_resists_moves_against_the_mediators_objective() {
    let m = setup(&scenario());
    // ukraine (party 0) counters (a, green, 0) = 5 to the text (c, blue, 100) = 44:
    // territory (its top issue, weight 1) moves all the way to a; money (weight 0.5) half way
    // (100 -> 50); flag (weight 1/6 < 0.5) stays blue. Every move helps ukraine's gains and
    // the welfare mediator's objective is the sum of ukraine's and russia's utilities, which
    // territory (ukraine 0.6, russia 0.6) leaves even: no resistance.
    let t = m.compose(Objective::Welfare, 44, 0, 5);
    assert_eq!(t, 2 * 5 + 2, "(a, blue, 50)");
    // from the text (b, blue, 50) = 27 the same counter is resisted by a biased mediator whose
    // ideal is 50 on both: halving would snap both moves back to the text, so each still moves
    // one option (territory b -> a, money 50 -> 25): shortened, never cancelled
    assert_eq!(m.compose(Objective::Biased { mediator: 3 }, 27, 0, 5), 11, "(a, blue, 25)");
}

#[test]
fn a_shortened_move_against_a_biased_mediator_still_moves_and_a_long_one_is_halved() {
    // one ordinal issue with five options; the mediator's ideal is the first, the party's the last
    let space = OutcomeSpace::new(vec![Issue::ordinal("x", &[("o0", 0.0), ("o1", 25.0), ("o2", 50.0), ("o3", 75.0), ("o4", 100.0)])]);
    let one = |ideal: f64| {
        let mut p = Preferences::new(Utility::Spatial(Spatial { positions: vec![Some(Position::new(ideal, 1.0))], loss: Loss::Linear }));
        p.reservation = Reservation::Value(0.0);
        p
    };
    let mut usa = Actor::party("usa", one(0.0));
    usa.role = Role::Mediator;
    let s = ScenarioDraft {
        meta: Metadata { id: "one".into(), ..Default::default() },
        space,
        actors: vec![Actor::party("a", one(100.0)), Actor::party("b", one(0.0)), usa],
        protocol: Default::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .unwrap();
    let m = setup(&s);
    let biased = Objective::Biased { mediator: 2 };
    // party a asks to go from o0 all the way to o4: a full move (weight 1) goes to o4; resisted,
    // half way: o2
    assert_eq!(m.compose(biased, 0, 0, 4), 2);
    // from o0 to o1: half of one option snaps back to o0, so it still moves one option
    assert_eq!(m.compose(biased, 0, 0, 1), 1);
    // a move towards the mediator is not resisted: party b pulls o4 to o0 in full
    assert_eq!(m.compose(biased, 4, 1, 0), 0);
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
        let r = sess.run(&mut ());
        assert!(!matches!(r.status, Status::Errored { .. }));
        // replay: the text changes only when both required parties voted yes, and then no
        // required party loses (hill-climbing voters); europe's constant "no" never blocks
        let mut text = sess.start().0.unwrap();
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
        assert_eq!(Some(text), r.text, "{rule:?}");
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
    let r = sess.run(&mut ());
    assert!(r.status.agreement().is_none(), "{:?}", r.status);
    assert_eq!(r.utilities[1], 1.0, "no agreement: reservation values");
    // everyone says yes to everything: agreement at the first ratification
    let cfg = MediationConfig::new(15, Objective::Welfare);
    let mut sess = MediatedSession::new(setup(&scenario()), negs(&["yes", "yes", "no"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run(&mut ());
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
        let r = sess.run(&mut ());
        (r, sess.history().to_vec())
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9).1, run(10).1);
}

#[test]
fn shuttle_agrees_when_required_parties_accept_the_same_text_and_optional_ones_cannot_block() {
    let s = scenario();
    // everyone accepts: round 0 is stable, ratification succeeds on the initial text
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["yes", "yes", "yes"]),
        MediationConfig::shuttle(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let initial = sess.start().0.unwrap();
    let r = sess.run(&mut ());
    assert_eq!(r.status, Status::Agreed { outcome: initial, round: 0 });
    assert_eq!((r.proposed, r.accepted), (3, 3));
    // the optional party counters every visit, moving the text after the required parties
    // accepted it: it cannot hold the agreement up
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["yes", "yes", "no"]),
        MediationConfig::shuttle(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let r = sess.run(&mut ());
    assert_eq!(r.status, Status::Agreed { outcome: initial, round: 0 });
    // a required party that counters every time blocks it
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["no", "yes", "yes"]),
        MediationConfig::shuttle(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    assert_eq!(sess.run(&mut ()).status, Status::TimedOut);
    // required parties that always counter: no agreement at the deadline
    let mut sess = MediatedSession::new(
        setup(&s),
        negs(&["no", "no", "yes"]),
        MediationConfig::shuttle(10, Objective::Neutral),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    let r = sess.run(&mut ());
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
        MediatedSession::new(setup(&s), negotiators, MediationConfig::shuttle(5, Objective::Welfare), ChaCha8Rng::seed_from_u64(0))
            .unwrap();
    sess.run(&mut ());
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
    assert_eq!(sess.run(&mut ()).status, Status::Errored { by: 1, reason: "panicked: bad vote".into() });
    let negotiators: Vec<Box<dyn Negotiator>> = vec![Box::new(Climber), Box::new(Bad), Box::new(Climber)];
    let mut sess =
        MediatedSession::new(setup(&s), negotiators, MediationConfig::shuttle(5, Objective::Welfare), ChaCha8Rng::seed_from_u64(0))
            .unwrap();
    assert_eq!(sess.run(&mut ()).status, Status::Errored { by: 1, reason: "panicked: bad act".into() });
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
    let mk = |cfg: MediationConfig| {
        MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(2)).unwrap()
    };
    for cfg in [MediationConfig::new(12, Objective::Welfare), MediationConfig::shuttle(12, Objective::Welfare)] {
        let mut a = mk(cfg);
        let ra = a.run(&mut ());
        let mut b = mk(cfg);
        let mut rounds = 0;
        while b.step_round(&mut ()) {
            rounds += 1;
            assert_eq!(b.round(), rounds);
        }
        assert_eq!(b.result(), Some(&ra));
        assert_eq!(a.history(), b.history());
        assert!(!b.step_round(&mut ()) && !b.step(&mut ()), "a finished session stays finished");
        // move by move, through the pure state machine: every logged move replays
        let mut c = mk(cfg);
        let mut states = vec![c.state().clone()];
        while c.step(&mut ()) {
            states.push(c.state().clone());
        }
        assert_eq!(c.result(), Some(&ra));
        assert!(states.len() > c.history().len() / 2, "one state per move");
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
    let r = sess.run(&mut ());
    let Status::Errored { by: 0, reason } = &r.status else { panic!("{:?}", r.status) };
    assert!(
        reason.starts_with("`ukraine` voted for outcome ") && reason.ends_with("crosses its own red line `flag = red or green`"),
        "{reason}"
    );
    // shuttle: the stated opening text (b, green, 50) is put to ukraine, which accepts it
    let s = s.edited(|d| d.protocol.opening_text = Some(d.space.outcome_at(22).unwrap())).unwrap();
    let cfg = MediationConfig::shuttle(30, Objective::Neutral);
    let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run(&mut ());
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
    let r = sess.run(&mut ());
    // russia votes no to every text: the mediator runs out of neighbours to try, and the talks
    // break at that local optimum when russia refuses the text as final
    assert_eq!(r.status, Status::Broken { by: 3 }, "russia votes no to every text");
    assert!(r.why.as_deref().is_some_and(|w| w.contains("local optimum") && w.contains("russia (it crosses its red line)")), "{:?}", r.why);
    assert!(sess.history().iter().filter(|e| e.actor == 1).all(|e| e.action == Action::Reject));
    let mut sess =
        MediatedSession::new(setup(&s), negotiators(), MediationConfig::shuttle(12, Objective::Welfare), ChaCha8Rng::seed_from_u64(0))
            .unwrap();
    assert_eq!(sess.run(&mut ()).status, Status::Broken { by: 1 }, "a required party that can accept nothing leaves");
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
            let r = sess.run(&mut ());
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
        MediationConfig::shuttle(40, biased),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap();
    sess.run(&mut ());
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
        let cfg = if shuttle { MediationConfig::shuttle } else { MediationConfig::new }(10, Objective::Biased { mediator: 3 });
        let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
        let r = sess.run(&mut ());
        assert_eq!(r.status, Status::Broken { by: 3 });
        assert_eq!(sess.history(), [Event { round: 0, actor: 3, action: Action::End }], "no text was put forward: the mediator walks away");
    }
    // a neutral mediator has no red lines of its own: the usa's do not bind it
    let cfg = MediationConfig::new(10, Objective::Neutral);
    let mut sess = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert!(matches!(sess.run(&mut ()).status, Status::Agreed { .. }));
}

/// The candidates put to the parties since the text last changed, replayed from a single-text
/// history (candidates are the mediator's offers not followed by... the ratification offers are
/// recognised by `finals`, the indices of texts put as final).
fn replay_single_text(h: &[Event], med: u32, required: &[bool], start: OutcomeId, finals: &[usize]) -> (OutcomeId, Vec<OutcomeId>) {
    let mut text = start;
    let mut tried = Vec::new();
    let mut i = 0;
    while i < h.len() {
        let Action::Offer(c) = h[i].action else { panic!("expected a mediator text at {i}") };
        assert_eq!(h[i].actor, med);
        let votes: Vec<&Event> = h[i + 1..].iter().take_while(|e| e.actor != med).collect();
        if !finals.contains(&i) {
            let yes = votes.iter().filter(|e| required[e.actor as usize]).all(|e| e.action == Action::Accept);
            if yes && c != text {
                text = c;
                tried.clear();
            } else {
                tried.push(c);
            }
        }
        i += 1 + votes.len();
    }
    (text, tried)
}

/// Records which events were texts put to the parties as final.
#[derive(Default)]
struct Finals {
    n: usize,
    finals: Vec<usize>,
}
impl Observer for Finals {
    fn on_event(&mut self, _e: &Event) {
        self.n += 1;
    }
    fn on_final(&mut self, _e: &Event) {
        self.finals.push(self.n);
        self.n += 1;
    }
}

#[test]
fn neighbour_rules_stop_early_only_at_a_local_optimum_and_veto_runs_to_the_deadline() {
    let s = scenario();
    let m = setup(&s);
    let mut stopped_early = 0;
    for rule in [MoveRule::HillClimbing, MoveRule::Steepest] {
        for seed in 0..6 {
            let mut cfg = MediationConfig::new(200, Objective::Welfare);
            cfg.move_rule = rule;
            let mut sess =
                MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let mut finals = Finals::default();
            let r = sess.run(&mut finals);
            assert_eq!(finals.finals.len(), 1, "{rule:?}: put to ratification once, at the end");
            let (text, tried) = replay_single_text(sess.history(), sess.mediator_index(), &m.required, r.start.unwrap(), &finals.finals);
            assert_eq!(Some(text), r.text);
            if r.rounds < 200 {
                stopped_early += 1;
                // every neighbour of the final text was put to the parties since it last changed
                for nb in m.neighbours(text) {
                    assert!(tried.contains(&nb), "{rule:?} seed {seed}: stopped at {text} before trying {nb}");
                }
                assert!(r.status.agreement().is_some() || matches!(r.status, Status::Broken { by: 3 }), "{:?}", r.status);
            }
        }
    }
    assert!(stopped_early > 0, "a 200-round deadline is enough to reach a local optimum here");
    // veto never stops before the deadline, whatever happens to the text
    for seed in 0..6 {
        let mut cfg = MediationConfig::new(60, Objective::Welfare);
        cfg.move_rule = MoveRule::Veto;
        let mut sess =
            MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap();
        let r = sess.run(&mut ());
        assert_eq!(r.rounds, 60, "{:?}", r.status);
        assert!(matches!(r.status, Status::Agreed { round: 59, .. } | Status::TimedOut), "{:?}", r.status);
    }
}

#[test]
fn a_stall_limit_is_off_by_default_and_when_set_puts_the_text_to_ratification_and_resumes_on_refusal() {
    let s = scenario();
    assert_eq!(MediationConfig::new(10, Objective::Welfare).stall, None);
    // the required parties refuse every candidate and every final text: with a stall limit of
    // 4, veto puts the text to ratification after rounds 4, 8, 12 and at the deadline (16)
    let mut cfg = MediationConfig::new(16, Objective::Welfare);
    cfg.move_rule = MoveRule::Veto;
    cfg.stall = Some(4);
    let mut sess = MediatedSession::new(setup(&s), negs(&["no", "no", "yes"]), cfg, ChaCha8Rng::seed_from_u64(1)).unwrap();
    let mut finals = Finals::default();
    let r = sess.run(&mut finals);
    assert_eq!(r.status, Status::TimedOut);
    let rounds: Vec<u32> = finals.finals.iter().map(|&i| sess.history()[i].round).collect();
    assert_eq!(rounds, vec![3, 7, 11, 15]);
    assert!(r.why.as_deref().is_some_and(|w| w.starts_with("at the deadline ukraine")), "{:?}", r.why);
    // without one, only at the deadline
    let mut cfg = MediationConfig::new(16, Objective::Welfare);
    cfg.move_rule = MoveRule::Veto;
    let mut sess = MediatedSession::new(setup(&s), negs(&["no", "no", "yes"]), cfg, ChaCha8Rng::seed_from_u64(1)).unwrap();
    let mut finals = Finals::default();
    sess.run(&mut finals);
    assert_eq!(finals.finals.iter().map(|&i| sess.history()[i].round).collect::<Vec<_>>(), vec![15]);
    // a zero stall limit is refused
    let mut cfg = MediationConfig::new(16, Objective::Welfare);
    cfg.stall = Some(0);
    assert_eq!(
        MediatedSession::new(setup(&s), negs(&["no", "no", "yes"]), cfg, ChaCha8Rng::seed_from_u64(1)).unwrap_err(),
        MediationError::NoStall
    );
}

/// Votes yes to everything as a candidate, refuses every text as final.
struct YesThenNo;
impl Negotiator for YesThenNo {
    fn act(&mut self, _v: &View<'_>) -> Action {
        Action::Accept
    }
    fn vote(&mut self, _v: &View<'_>, _p: OutcomeId, c: Option<OutcomeId>) -> bool {
        c.is_some()
    }
}

#[test]
fn a_refusal_at_a_local_optimum_breaks_the_talks_and_says_why() {
    // ukraine accepts every candidate but refuses every final text; russia refuses every
    // candidate: the text never moves, the mediator tries every neighbour, then ratification
    // fails and the talks break (Broken by the mediator) long before the deadline
    let s = scenario();
    let negotiators: Vec<Box<dyn Negotiator>> = vec![Box::new(YesThenNo), Box::new(AlwaysNo), Box::new(AlwaysYes)];
    let mut cfg = MediationConfig::new(500, Objective::Neutral);
    cfg.move_rule = MoveRule::Steepest;
    let mut sess = MediatedSession::new(setup(&s), negotiators, cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    let r = sess.run(&mut ());
    let n = setup(&s).neighbours(r.start.unwrap()).len() as u32;
    assert_eq!(r.status, Status::Broken { by: 3 });
    assert_eq!(r.rounds, n + 1, "one round per neighbour, then the round that finds none left");
    assert_eq!(r.proposed, n);
    let why = r.why.unwrap();
    assert!(why.starts_with(&format!("the text reached a local optimum in round {}", n + 1)), "{why}");
    assert!(why.contains("ukraine (") && why.contains("refused it as final"), "{why}");
}

#[test]
fn negmas_neighbours_change_an_option_issue_to_any_value_and_an_integer_by_one_step() {
    let m = setup(&scenario());
    // (b, green, 50) = 22: territory is ordinal but NegMAS lists it, so a and c; flag red and
    // blue; money (integer) 25 and 75 only
    assert_eq!(m.neighbours_under(22, MediationRules::Negmas), vec![7, 17, 21, 23, 27, 37]);
    // (a, red, 0) = 0: territory b and c (not only the adjacent b), money 25 only
    assert_eq!(m.neighbours_under(0, MediationRules::Negmas), vec![1, 5, 10, 15, 30]);
    assert_eq!(m.neighbours(0), vec![1, 5, 10, 15]);
}

#[test]
fn negmas_rules_vote_strictly_on_utilities_need_every_party_and_start_as_negmas_does() {
    let s = scenario();
    let m = setup(&s);
    let p = m.prepared().clone();
    let negmas = |rule: MoveRule, rounds: u32, seed: u64| {
        let mut cfg = MediationConfig::new(rounds, Objective::Neutral);
        cfg.move_rule = rule;
        cfg.rules = MediationRules::Negmas;
        // the negotiators say yes to everything: NegMAS's voters consult only their utilities
        MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap()
    };
    for seed in 0..5 {
        // veto: no text at first; a candidate becomes the text iff it is strictly better for
        // every party (europe included) than the text, no text being worth the reservation
        let mut sess = negmas(MoveRule::Veto, 80, seed);
        assert_eq!(sess.start(), (None, StartSource::NoText));
        let mut finals = Finals::default();
        let r = sess.run(&mut finals);
        assert_eq!(r.rounds, 80, "veto never stops early");
        let mut text: Option<OutcomeId> = None;
        let h = sess.history();
        let mut i = 0;
        while i < h.len() {
            let Action::Offer(c) = h[i].action else { panic!() };
            let votes = &h[i + 1..i + 4];
            for (k, v) in votes.iter().enumerate() {
                let u = p.utility(k);
                let want = if finals.finals.contains(&i) {
                    u.utility(c) >= u.reservation_value()
                } else {
                    u.utility(c) > text.map_or(u.reservation_value(), |t| u.utility(t))
                };
                assert_eq!(v.action == Action::Accept, want, "seed {seed}, event {i}, party {k}");
            }
            if !finals.finals.contains(&i) && votes.iter().all(|v| v.action == Action::Accept) {
                text = Some(c);
            }
            i += 4;
        }
        assert_eq!(text, r.text);
        // every accepted text was strictly better than walking away for all: it is ratified
        assert_eq!(r.status.agreement(), text, "seed {seed}");
        // hill climbing: a random first text, then neighbours until none is left
        let mut sess = negmas(MoveRule::HillClimbing, 500, seed);
        let (start, from) = sess.start();
        assert_eq!(from, StartSource::Random);
        let r = sess.run(&mut ());
        assert!(r.rounds < 500, "a local optimum is reached");
        let t = r.text.unwrap();
        assert!(start.is_some());
        for nb in m.neighbours_under(t, MediationRules::Negmas) {
            assert!((0..3).any(|k| p.utility(k).utility(nb) <= p.utility(k).utility(t)), "{nb} is better for every party than {t}");
        }
        // at the local optimum, an agreement iff every party finds the text rational (NegMAS
        // reports `(text,)` as the agreement otherwise; here there is none)
        let rational = (0..3).all(|k| p.utility(k).utility(t) >= p.utility(k).reservation_value());
        assert_eq!(r.status.agreement().is_some(), rational, "{:?}", r.status);
        if !rational {
            assert_eq!(r.status, Status::Broken { by: 3 });
        }
    }
    // a stated opening text is NegMAS's initial outcome
    let opened = s.edited(|d| d.protocol.opening_text = Some(d.space.outcome_at(22).unwrap())).unwrap();
    let mut cfg = MediationConfig::new(10, Objective::Neutral);
    cfg.move_rule = MoveRule::Veto;
    cfg.rules = MediationRules::Negmas;
    let sess = MediatedSession::new(setup(&opened), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert_eq!(sess.start(), (Some(22), StartSource::OpeningText));
    // NegMAS has no steepest moves and no stall limit
    cfg.move_rule = MoveRule::Steepest;
    let e = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap_err();
    assert_eq!(e, MediationError::NotInNegmas("steepest moves"));
    cfg.move_rule = MoveRule::Veto;
    cfg.stall = Some(3);
    let e = MediatedSession::new(setup(&s), negs(&["yes", "yes", "yes"]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap_err();
    assert_eq!(e, MediationError::NotInNegmas("stall limit"));
}

#[test]
fn a_counter_proposal_always_moves_the_text_and_only_towards_it() {
    // every text, every counter, every party, every objective: the composed text differs from
    // the text whenever the counter does (no move is silently cancelled, resisted or not), and
    // on every issue it lies between the text and the counter (ordered issues by scale)
    let s = scenario();
    let m = setup(&s);
    let n = m.prepared().n_outcomes();
    let space = m.prepared().space().clone();
    let pos = |j: usize, o: OutcomeId| {
        let v = space.outcome_at(o).unwrap().0[j].clone();
        let issue = &space.issues()[j];
        issue.scale_of(&v).unwrap_or_else(|| match v {
            detente_core::Value::Option(i) => f64::from(i),
            _ => unreachable!(),
        })
    };
    let mut resisted_moves = 0;
    for obj in [Objective::Biased { mediator: 3 }, Objective::Neutral, Objective::Welfare] {
        for t in 0..n {
            for c in (0..n).filter(|&c| c != t) {
                for p in 0..3 {
                    let next = m.compose(obj, t, p, c);
                    assert_ne!(next, t, "{obj:?}: party {p}'s counter {c} to {t} was dropped");
                    for j in 0..space.issues().len() {
                        let (a, b, x) = (pos(j, t), pos(j, c), pos(j, next));
                        if space.issues()[j].options().is_some()
                            && matches!(space.issues()[j].kind, detente_core::IssueKind::Categorical { .. })
                        {
                            assert!(x == a || x == b);
                        } else {
                            assert!(x >= a.min(b) && x <= a.max(b), "{obj:?}: issue {j} moved outside [{a}, {b}] to {x}");
                        }
                    }
                    if matches!(obj, Objective::Biased { .. }) && m.compose(Objective::Neutral, t, p, c) != next {
                        resisted_moves += 1;
                    }
                }
            }
        }
    }
    assert!(resisted_moves > 0, "the biased mediator does resist some moves");
}

fn knowing(n_rounds: u32, obj: Objective, knowledge: Knowledge) -> MediationConfig {
    let mut cfg = MediationConfig::new(n_rounds, obj);
    cfg.knowledge = knowledge;
    cfg
}

#[test]
fn a_votes_only_mediator_starts_from_its_ideal_or_the_middle_of_the_scales() {
    let s = scenario();
    let m = setup(&s);
    let start = |obj, knowledge, seed| {
        MediatedSession::new(setup(&s), negs(&["yes"; 3]), knowing(5, obj, knowledge), ChaCha8Rng::seed_from_u64(seed)).unwrap().start()
    };
    // biased: the usa's own best outcome (lowest index among equal bests), whatever the parties
    let usa = m.prepared().utility(3);
    let ideal = (0..45).fold(0, |b, o| if usa.utility(o) > usa.utility(b) { o } else { b });
    assert_eq!(start(Objective::Biased { mediator: 3 }, Knowledge::Votes, 0), (Some(ideal), StartSource::Ideal));
    // neutral and welfare: territory b (50 of 0..100), money 50; the unordered flag is drawn
    let mut flags = std::collections::BTreeSet::new();
    for seed in 0..20 {
        for obj in [Objective::Neutral, Objective::Welfare] {
            let (Some(o), StartSource::Middle) = start(obj, Knowledge::Votes, seed) else { panic!("{obj:?}: not the middle") };
            assert_eq!((o / 15, o % 5), (1, 2), "{obj:?}: outcome {o}");
            flags.insert((o / 5) % 3);
        }
        assert_eq!(start(Objective::Neutral, Knowledge::Votes, seed), start(Objective::Welfare, Knowledge::Votes, seed));
    }
    assert_eq!(flags.len(), 3, "the flag is a draw, not the first option listed");
    // the omniscient mediator starts from its objective's best rational text
    let (o, from) = start(Objective::Neutral, Knowledge::Omniscient, 0);
    assert_eq!((o, from), (Some(m.objective_text(Objective::Neutral).0), StartSource::Objective));
    // a stated opening text overrides both
    let opened = s.edited(|d| d.protocol.opening_text = Some(d.space.outcome_at(22).unwrap())).unwrap();
    for knowledge in Knowledge::ALL {
        let r = MediatedSession::new(
            setup(&opened),
            negs(&["yes"; 3]),
            knowing(5, Objective::Neutral, knowledge),
            ChaCha8Rng::seed_from_u64(0),
        );
        assert_eq!(r.unwrap().start(), (Some(22), StartSource::OpeningText));
    }
}

/// Replays a votes-only single-text session: the model is rebuilt from the votes in the history,
/// and every steepest candidate must be the best untried neighbour by the mediator's objective
/// under the model as it stood (`MediatorModel::best`), the mediator learning nothing else.
#[test]
fn a_votes_only_steepest_mediator_proposes_the_best_neighbour_by_its_estimate() {
    let s = scenario();
    let m = setup(&s);
    for obj in [Objective::Neutral, Objective::Welfare, Objective::Biased { mediator: 3 }] {
        let mut cfg = knowing(80, obj, Knowledge::Votes);
        cfg.move_rule = MoveRule::Steepest;
        let mut sess =
            MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(1)).unwrap();
        let r = sess.run(&mut ());
        let mut model = MediatorModel::for_space(m.prepared().space(), m.required.clone(), ModelConfig::default()).unwrap();
        let mut text = sess.start().0.unwrap();
        let mut tried: Vec<OutcomeId> = Vec::new();
        let (h, med) = (sess.history(), sess.mediator_index());
        let mut i = 0;
        let mut candidates = 0;
        while i < h.len() {
            let Action::Offer(c) = h[i].action else { panic!("{obj:?}: expected a mediator text at {i}") };
            let votes: Vec<&Event> = h[i + 1..].iter().take_while(|e| e.actor != med).collect();
            if votes.len() == 2 {
                // ratification: the required parties' answers on the text alone
                votes.iter().for_each(|v| model.verdict(v.actor as usize, text, v.action == Action::Accept));
            } else {
                let mut nb = m.neighbours(text);
                nb.retain(|o| !tried.contains(o) && m.mediator_accepts(obj, *o));
                let want = model.best(ModelObjective::of(obj, m.prepared()).unwrap(), nb);
                assert_eq!(Some(c), want, "{obj:?}: candidate {candidates}");
                candidates += 1;
                votes.iter().for_each(|v| model.vote(v.actor as usize, c, text, v.action == Action::Accept));
                if votes[..2].iter().all(|v| v.action == Action::Accept) && c != text {
                    text = c;
                    tried.clear();
                } else {
                    tried.push(c);
                }
            }
            i += 1 + votes.len();
        }
        assert!(candidates > 5, "{obj:?}: {candidates} candidates");
        assert_eq!(Some(text), r.text);
        assert_eq!(r.knowledge, Some(Knowledge::Votes));
    }
}

#[test]
fn a_votes_only_mediator_learns_the_parties_preferences_from_their_votes() {
    // truthful voters (yes iff the candidate is at least as good as the text), random
    // candidates: after a few hundred votes the estimate orders the outcomes nearly as each
    // party does, and it knows more than after ten
    let s = scenario();
    let mean_learnt = |rounds: u32| {
        let mut sum = [0.0; 3];
        for seed in 0..10 {
            let mut cfg = knowing(rounds, Objective::Neutral, Knowledge::Votes);
            cfg.move_rule = MoveRule::Veto;
            let r = MediatedSession::new(setup(&s), negs(&["climber", "climber", "climber"]), cfg, ChaCha8Rng::seed_from_u64(seed))
                .unwrap()
                .run(&mut ());
            let learnt = r.learnt.expect("a votes-only mediator reports what it learnt");
            for (a, x) in sum.iter_mut().zip(learnt) {
                assert!((-1.0..=1.0).contains(&x));
                *a += x / 10.0;
            }
        }
        sum
    };
    let (early, late) = (mean_learnt(10), mean_learnt(300));
    for p in 0..3 {
        assert!(late[p] > 0.9, "party {p}: ρ = {} after 300 rounds", late[p]);
        assert!(late[p] > early[p], "party {p}: {} after 10 rounds, {} after 300", early[p], late[p]);
    }
    // an omniscient mediator reports nothing learnt; NegMAS's mediator consults no objective
    let r = MediatedSession::new(
        setup(&s),
        negs(&["climber"; 3]),
        knowing(10, Objective::Neutral, Knowledge::Omniscient),
        ChaCha8Rng::seed_from_u64(0),
    )
    .unwrap()
    .run(&mut ());
    assert_eq!((r.knowledge, r.learnt), (Some(Knowledge::Omniscient), None));
    let mut cfg = MediationConfig::new(10, Objective::Neutral);
    cfg.rules = MediationRules::Negmas;
    let r = MediatedSession::new(setup(&s), negs(&["climber"; 3]), cfg, ChaCha8Rng::seed_from_u64(0)).unwrap().run(&mut ());
    assert_eq!((r.knowledge, r.learnt), (None, None));
}

#[test]
fn a_votes_only_shuttle_mediator_meets_an_unknown_party_halfway_and_then_follows_its_estimate() {
    let s = scenario();
    let m = setup(&s);
    let mut model = MediatorModel::for_space(m.prepared().space(), m.required.clone(), ModelConfig::default()).unwrap();
    assert_eq!(votes_weights(&model, 0), vec![0.5; 3], "nothing seen: split the difference on every issue");
    // (a, red, 0) countered with (c, red, 100): both ordered issues move halfway
    assert_eq!(m.compose_votes(Objective::Neutral, 0, 0, 34, &model), 17, "(b, red, 50)");
    // ukraine shows, over many answers, that territory is what it cares about
    for _ in 0..30 {
        model.vote(0, 15, 0, true); // territory b over a
        model.vote(0, 1, 0, true); // money 25 over 0, barely
        model.vote(0, 16, 1, true);
    }
    let w = votes_weights(&model, 0);
    assert!(w[0] > w[2] && w[0] > 0.9, "{w:?}");
}

/// A party played from outside: `submit` takes its vote where its negotiator's would go, and
/// refuses (erroring the session, as `Session::submit` does) a move out of turn or of the wrong
/// kind.
#[test]
fn a_vote_submitted_from_outside_counts_as_a_negotiators_and_a_wrong_move_errors_the_session() {
    let s = scenario();
    let run = |outside: bool| {
        let cfg = MediationConfig::new(30, Objective::Welfare);
        let mut sess = MediatedSession::new(setup(&s), negs(&["climber", "climber", "no"]), cfg, ChaCha8Rng::seed_from_u64(5)).unwrap();
        let p = sess.setup().prepared().clone();
        while sess.state().is_running() {
            match sess.party_to_move() {
                // party 0 from outside, voting as the climber does (yes to what is at least as
                // good as the text, or as walking away without one)
                Some(0) if outside => {
                    let u = p.utility(0);
                    let (proposal, floor) = match sess.state().stage {
                        Stage::Vote { candidate, .. } => (candidate, sess.state().text.map_or(u.reservation_value(), |t| u.utility(t))),
                        _ => (sess.state().text.unwrap(), u.reservation_value()),
                    };
                    let yes = u.acceptable(proposal) && u.utility(proposal) >= floor;
                    sess.submit(0, if yes { Action::Accept } else { Action::Reject }, &mut ()).unwrap();
                }
                _ => {
                    sess.step(&mut ());
                }
            }
        }
        (sess.result().cloned().unwrap(), sess.history().to_vec())
    };
    assert_eq!(run(true), run(false));

    // out of turn: the mediator moves first
    let cfg = MediationConfig::new(30, Objective::Welfare);
    let mut sess = MediatedSession::new(setup(&s), negs(&["climber", "climber", "no"]), cfg, ChaCha8Rng::seed_from_u64(5)).unwrap();
    assert_eq!(sess.party_to_move(), None);
    assert!(matches!(sess.submit(0, Action::Accept, &mut ()), Err(Violation::OutOfTurn { .. })));
    assert!(matches!(sess.result().unwrap().status, Status::Errored { .. }));
    assert!(matches!(sess.submit(0, Action::Accept, &mut ()), Err(Violation::Finished)));
    // an offer is no vote
    let cfg = MediationConfig::new(30, Objective::Welfare);
    let mut sess = MediatedSession::new(setup(&s), negs(&["climber", "climber", "no"]), cfg, ChaCha8Rng::seed_from_u64(5)).unwrap();
    sess.step(&mut ());
    assert_eq!(sess.party_to_move(), Some(0));
    let v = sess.submit(0, Action::Offer(0), &mut ()).unwrap_err();
    assert!(v.to_string().contains("vote"), "{v}");
    assert!(matches!(sess.result().unwrap().status, Status::Errored { by: 0, .. }));
}
