//! More time does not make the single negotiating text worse (issue #10,
//! `mediation-protocols.md` §2.4): over seeds, the mean distance of the result to the Pareto
//! frontier at a 200-round deadline is no larger than at 30 rounds, on generated scenarios.
//!
//! The property holds by construction of the stop rules for voters that never accept a loss —
//! the spec's default voter (`u(T') ≥ u(T)`) and NegMAS's strict voter — under every move rule
//! and mediator rule: the text only ever improves for every required party, and a longer
//! deadline only lets it improve further (the stall rule that ended every run after ~15 rounds
//! is gone); it is asserted for them, under the votes-only mediator that is the default.
//!
//! Detente's time-based voters accept losses down to their falling threshold, so that deadlocks
//! can melt, and for them the property does not hold in general. Under `veto` moves a random
//! candidate anywhere in the space that both voters' lowered thresholds admit replaces a good
//! text, so the text drifts, and more rounds mean more drift. Under neighbour-based moves
//! (hill climbing, steepest) it mostly holds — a longer deadline reaches the local optimum
//! while they still concede little — but not always: a run cut off at 30 rounds while the
//! voters concede fast can end nearer the frontier than one that walks, slowly conceding,
//! along a ridge for 200 (an earlier version asserted it and failed on about a third of the
//! random draws). Those cases are measured, not asserted, below (docs/negotiation-engine.md
//! gives the figures).

use detente_agents::build;
use detente_core::{strategies, Role, Scenario};
use detente_protocol::{
    Action, MediatedSession, MediationConfig, MediationRules, MediationSetup, MoveRule, Negotiator, Objective, PreparedScenario, View,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The spec's default voter (GENIUS's HillClimber): yes iff the candidate is at least as good as
/// the text; never a counter-proposal (single text only).
struct DefaultVoter;
impl Negotiator for DefaultVoter {
    fn act(&mut self, _v: &View<'_>) -> Action {
        Action::Accept
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Voters {
    Default,
    Boulware,
    Negmas,
}

/// The Euclidean distance of `utilities` (every actor's) to the Pareto frontier of the required
/// parties' utilities over the whole space.
fn distance(s: &Scenario, p: &PreparedScenario, utilities: &[f64]) -> f64 {
    let req: Vec<usize> = (0..s.actors.len()).filter(|&k| s.actors[k].required && s.actors[k].role == Role::Party).collect();
    let points: Vec<Vec<f64>> = (0..p.n_outcomes()).map(|o| req.iter().map(|&k| p.utility(k).utility(o)).collect()).collect();
    let dominated = |a: &Vec<f64>| points.iter().any(|b| b.iter().zip(a).all(|(x, y)| x >= y) && b.iter().zip(a).any(|(x, y)| x > y));
    let x: Vec<f64> = req.iter().map(|&k| utilities[k]).collect();
    points
        .iter()
        .filter(|a| !dominated(a))
        .map(|a| a.iter().zip(&x).map(|(u, v)| (u - v) * (u - v)).sum::<f64>().sqrt())
        .fold(f64::INFINITY, f64::min)
}

/// The distances of `seeds` runs.
fn distances(s: &Scenario, p: &Arc<PreparedScenario>, rule: MoveRule, obj: Objective, voters: Voters, rounds: u32, seeds: u64) -> Vec<f64> {
    (0..seeds)
        .map(|seed| {
            let setup = MediationSetup::new(s, Arc::clone(p)).unwrap();
            let n = setup.parties.len();
            let negotiators: Vec<Box<dyn Negotiator>> = (0..n)
                .map(|k| match voters {
                    Voters::Boulware => build("boulware", seed + k as u64).unwrap(),
                    Voters::Default | Voters::Negmas => Box::new(DefaultVoter) as Box<dyn Negotiator>,
                })
                .collect();
            let mut cfg = MediationConfig::new(rounds, obj);
            cfg.move_rule = rule;
            if voters == Voters::Negmas {
                cfg.rules = MediationRules::Negmas;
            }
            let mut sess = MediatedSession::new(setup, negotiators, cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap();
            let r = sess.run(&mut ());
            distance(s, p, &r.utilities)
        })
        .collect()
}

fn mean_and_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (m, x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0).max(1.0))
}

/// The cases the property covers on `s`: every move rule × every objective the scenario allows,
/// for each kind of voter that never accepts a loss.
fn cases(s: &Scenario) -> Vec<(MoveRule, Objective, Voters)> {
    let mediator = s.actors.iter().position(|a| a.role == Role::Mediator);
    let mut objectives = vec![Objective::Neutral, Objective::Welfare];
    objectives.extend(mediator.map(|m| Objective::Biased { mediator: m }));
    let mut out = Vec::new();
    for rule in [MoveRule::Veto, MoveRule::HillClimbing, MoveRule::Steepest] {
        for &obj in &objectives {
            out.push((rule, obj, Voters::Default));
        }
        if rule != MoveRule::Steepest {
            out.push((rule, Objective::Neutral, Voters::Negmas));
        }
    }
    out
}

const SEEDS: u64 = 20;

/// Whether the mean distance at 200 rounds exceeds the mean at 30 rounds by more than the
/// tolerance. The two means are estimates over `SEEDS` runs each, and a seed's runs at the two
/// deadlines are not paired draws once time enters the votes (time-based voters read
/// `t = (round+1)/(rounds+1)`, so the same round means a different time) or the run lengths
/// differ; the tolerance is two standard errors of the difference of the means, and at least
/// 0.005 (rounding noise in distances of utilities in [0, 1]).
fn worse(short: &[f64], long: &[f64]) -> Option<String> {
    let ((a, va), (b, vb)) = (mean_and_var(short), mean_and_var(long));
    let tol = (2.0 * (va / short.len() as f64 + vb / long.len() as f64).sqrt()).max(0.005);
    (b > a + tol).then(|| format!("mean distance {a:.4} at 30 rounds, {b:.4} at 200 (tolerance {tol:.4})"))
}

/// A generated scenario with at least two parties; with three or more actors, the last one
/// mediates (its acceptance not required), so the biased objective is covered too.
fn prepare(s: Scenario) -> Scenario {
    if s.actors.len() >= 3 {
        s.edited(|d| {
            let last = d.actors.last_mut().unwrap();
            last.role = Role::Mediator;
            last.required = false;
        })
        .unwrap()
    } else {
        s
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn a_longer_deadline_does_not_make_the_mean_result_worse(s in strategies::scenario(4, 3, 5)) {
        let s = prepare(s);
        let p = Arc::new(PreparedScenario::new(&s).unwrap());
        for (rule, obj, voters) in cases(&s) {
            let short = distances(&s, &p, rule, obj, voters, 30, SEEDS);
            let long = distances(&s, &p, rule, obj, voters, 200, SEEDS);
            if let Some(why) = worse(&short, &long) {
                prop_assert!(false, "{rule:?} {obj:?} {voters:?}: {why}");
            }
        }
    }
}

/// Voters that never accept a loss: each seed's result at 200 rounds is at least as good for
/// every required party as at 30 (the candidate stream is the same; the longer run continues
/// it), which is why the mean cannot get worse.
#[test]
fn with_loss_free_voters_a_longer_deadline_never_hurts_a_required_party_in_any_run() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut runs, mut helped) = (0, 0);
    for _ in 0..10 {
        let s = prepare(strategies::scenario(4, 3, 5).new_tree(&mut runner).unwrap().current());
        let p = Arc::new(PreparedScenario::new(&s).unwrap());
        let req: Vec<usize> = (0..s.actors.len()).filter(|&k| s.actors[k].required && s.actors[k].role == Role::Party).collect();
        for (rule, obj, voters) in cases(&s) {
            for seed in 0..SEEDS {
                let run = |rounds: u32| {
                    let setup = MediationSetup::new(&s, Arc::clone(&p)).unwrap();
                    let negotiators: Vec<Box<dyn Negotiator>> =
                        (0..setup.parties.len()).map(|_| Box::new(DefaultVoter) as Box<dyn Negotiator>).collect();
                    let mut cfg = MediationConfig::new(rounds, obj);
                    cfg.move_rule = rule;
                    if voters == Voters::Negmas {
                        cfg.rules = MediationRules::Negmas;
                    }
                    MediatedSession::new(setup, negotiators, cfg, ChaCha8Rng::seed_from_u64(seed)).unwrap().run(&mut ())
                };
                let (a, b) = (run(30), run(200));
                // count the runs that had room and reason to improve: cut off by the deadline
                // (not at a local optimum) off the frontier
                if a.rounds == 30 && distance(&s, &p, &a.utilities) > 1e-9 {
                    runs += 1;
                    helped += usize::from(
                        (b.status.agreement().is_some() && a.status.agreement().is_none())
                            || req.iter().any(|&k| b.utilities[k] > a.utilities[k]),
                    );
                }
                if a.status.agreement().is_some() {
                    assert!(b.status.agreement().is_some(), "{rule:?} {obj:?} {voters:?} seed {seed}: agreed at 30, not at 200");
                    for &k in &req {
                        assert!(
                            b.utilities[k] >= a.utilities[k],
                            "{rule:?} {obj:?} {voters:?} seed {seed}: party {k} loses with more time"
                        );
                    }
                }
            }
        }
    }
    println!("more time helped a required party in {helped} of the {runs} runs the 30-round deadline cut off the frontier");
    // and more time does help where there is room: with the old stall rule (ratify after 10
    // rounds without a change) the runs at 30 and 200 rounds were almost always identical
    assert!(helped > 0 && helped * 20 >= runs, "more time helped in only {helped} of {runs} runs");
}

/// Measures (does not assert) what a longer deadline does with time-based voters, for the
/// documentation: run with `--ignored --nocapture`.
#[test]
#[ignore]
fn measure_deadlines_with_time_based_voters() {
    for rule in [MoveRule::Veto, MoveRule::HillClimbing, MoveRule::Steepest] {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut sa, mut sb, mut n, mut w) = (0.0, 0.0, 0, 0);
        for _ in 0..40 {
            let s = prepare(strategies::scenario(4, 3, 5).new_tree(&mut runner).unwrap().current());
            let p = Arc::new(PreparedScenario::new(&s).unwrap());
            let short = distances(&s, &p, rule, Objective::Neutral, Voters::Boulware, 30, SEEDS);
            let long = distances(&s, &p, rule, Objective::Neutral, Voters::Boulware, 200, SEEDS);
            sa += mean_and_var(&short).0;
            sb += mean_and_var(&long).0;
            n += 1;
            w += usize::from(worse(&short, &long).is_some());
        }
        println!(
            "{rule:?}, neutral, boulware voters, 40 generated scenarios x {SEEDS} seeds: mean distance {:.4} at 30 rounds, {:.4} at 200; significantly worse on {w} of {n}",
            sa / n as f64,
            sb / n as f64
        );
    }
}
