//! The votes-only mediator's model ([`MediatorModel`]): what it learns from truthful votes on
//! generated linear additive scenarios, what counter-proposals teach it about issue weights,
//! and that it is deterministic.

use detente_core::strategies::{linear_additive, space};
use detente_core::{Issue, LinearAdditive, OutcomeSpace, Preferences, Utility, UtilityFunction, ValueFunction};
use detente_protocol::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A party's true utility of every outcome.
fn utilities(space: &OutcomeSpace, la: &LinearAdditive) -> Vec<f64> {
    let u = PartyUtility::new(space, &Preferences::new(Utility::LinearAdditive(la.clone())), &[], "p").unwrap();
    u.utilities().to_vec()
}

/// Feeds `n` truthful votes (yes iff `u(candidate) ≥ u(text)`) on uniformly random pairs.
fn truthful_votes(m: &mut MediatorModel, party: usize, u: &[f64], n: usize, rng: &mut ChaCha8Rng) {
    let len = u.len() as u64;
    for _ in 0..n {
        let (c, t) = (rng.gen_range(0..len), rng.gen_range(0..len));
        m.vote(party, c, t, u[c as usize] >= u[t as usize]);
    }
}

/// The rank correlation of the model's estimate with the truth after each number of votes in
/// `checkpoints` (cumulative), one model per call.
fn learning_curve(space: &OutcomeSpace, u: &[f64], checkpoints: &[usize], cfg: ModelConfig, seed: u64) -> Vec<f64> {
    let mut m = MediatorModel::for_space(space, vec![true], cfg).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut done = 0;
    checkpoints
        .iter()
        .map(|&k| {
            truthful_votes(&mut m, 0, u, k - done, &mut rng);
            done = k;
            rank_correlation(&m.estimates(0), u)
        })
        .collect()
}

/// `count` generated scenarios (2–4 issues of 2–6 values, linear additive preferences) whose
/// true utility is not constant, drawn deterministically.
fn generated(count: usize) -> Vec<(OutcomeSpace, Vec<f64>)> {
    generated_in(count, 4, 6)
}

fn generated_in(count: usize, max_issues: usize, max_values: u32) -> Vec<(OutcomeSpace, Vec<f64>)> {
    let mut runner = TestRunner::deterministic();
    let strategy = space(max_issues, max_values).prop_flat_map(|s| (Just(s.clone()), linear_additive(&s)));
    let mut out = Vec::new();
    while out.len() < count {
        let (s, la) = strategy.new_tree(&mut runner).unwrap().current();
        if s.issues().len() < 2 || s.cardinality().as_u64().is_none_or(|n| n < 8) {
            continue;
        }
        let u = utilities(&s, &la);
        if u.iter().any(|&x| x != u[0]) {
            out.push((s, u));
        }
    }
    out
}

/// After `k` truthful votes on random pairs, the share of 500 fresh random pairs (differing
/// outcomes) whose truthful vote `p_yes ≥ 0.5` predicts.
fn held_out_accuracy(space: &OutcomeSpace, u: &[f64], k: usize, seed: u64) -> f64 {
    let mut m = MediatorModel::for_space(space, vec![true], ModelConfig::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    truthful_votes(&mut m, 0, u, k, &mut rng);
    let len = u.len() as u64;
    let mut right = 0;
    for _ in 0..500 {
        let (c, t) = loop {
            let (c, t) = (rng.gen_range(0..len), rng.gen_range(0..len));
            if c != t {
                break (c, t);
            }
        };
        right += usize::from((m.p_yes(0, c, t) >= 0.5) == (u[c as usize] >= u[t as usize]));
    }
    right as f64 / 500.0
}

const CHECKPOINTS: [usize; 5] = [10, 30, 100, 200, 1000];

fn mean_curve(cases: &[(OutcomeSpace, Vec<f64>)], cfg: ModelConfig) -> Vec<f64> {
    let mut sum = vec![0.0; CHECKPOINTS.len()];
    for (i, (s, u)) in cases.iter().enumerate() {
        for (acc, r) in sum.iter_mut().zip(learning_curve(s, u, &CHECKPOINTS, cfg, i as u64)) {
            *acc += r;
        }
    }
    sum.iter().map(|x| x / cases.len() as f64).collect()
}

/// Prints the mean learning curve for a few noise settings (`cargo test -p detente-protocol
/// --test integration -- --ignored measure_ --nocapture`).
#[test]
#[ignore = "measurement: prints a table"]
fn measure_learning_curve_table() {
    println!("votes: {CHECKPOINTS:?}");
    for (label, cases) in [("≤4 issues × ≤6 values", generated(60)), ("≤7 issues × ≤5 values", generated_in(60, 7, 5))] {
        println!("{label}");
        for noise_sd in [0.1, 0.25, 0.5, 1.0, 2.0] {
            let cfg = ModelConfig { noise_sd, ..ModelConfig::default() };
            let c = mean_curve(&cases, cfg);
            println!("  noise_sd {noise_sd:>4}: {}", c.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join("  "));
        }
        let cfg = ModelConfig::default();
        let curves: Vec<Vec<f64>> = cases.iter().enumerate().map(|(i, (s, u))| learning_curve(s, u, &CHECKPOINTS, cfg, i as u64)).collect();
        let min: Vec<f64> = (0..CHECKPOINTS.len()).map(|k| curves.iter().map(|c| c[k]).fold(1.0, f64::min)).collect();
        println!("  minimum:       {}", min.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join("  "));
        let acc: Vec<f64> = CHECKPOINTS
            .iter()
            .map(|&k| cases.iter().enumerate().map(|(i, (s, u))| held_out_accuracy(s, u, k, i as u64)).sum::<f64>() / cases.len() as f64)
            .collect();
        println!("  held-out yes/no accuracy of p_yes ≥ 0.5: {}", acc.iter().map(|x| format!("{x:.3}")).collect::<Vec<_>>().join("  "));
        let sizes: Vec<u64> = cases.iter().map(|(s, _)| s.cardinality().as_u64().unwrap()).collect();
        println!(
            "  outcomes: median {}, max {}",
            {
                let mut z = sizes.clone();
                z.sort();
                z[z.len() / 2]
            },
            sizes.iter().max().unwrap()
        );
    }
}

/// `n` counter-proposals of a time-based party that concedes over the better half of its
/// outcomes, each to a random text it values below what it asks for: either its own bids in
/// descending utility (`text_relative = false`, a bidder that ignores the text), or the outcome
/// fewest issues away from the text that it values at least its linearly falling threshold
/// (ties: higher utility, then lower index) — the time-based negotiators' answer to a
/// mediator's text.
fn counters(u: &[f64], radices: &[u32], n: usize, text_relative: bool, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    let len = u.len() as u64;
    let mut order: Vec<u64> = (0..len).collect();
    order.sort_by(|&a, &b| u[b as usize].total_cmp(&u[a as usize]).then(a.cmp(&b)));
    let (lo, hi) = (u[order[order.len() - 1] as usize], u[order[0] as usize]);
    let digits = |mut o: u64| {
        let mut d = vec![0u64; radices.len()];
        for (slot, &r) in d.iter_mut().zip(radices).rev() {
            *slot = o % u64::from(r);
            o /= u64::from(r);
        }
        d
    };
    // a text the party refuses at threshold `th` (it counters only texts below it)
    let mut below = |th: f64| loop {
        let t = rng.gen_range(0..len);
        if u[t as usize] < th {
            return t;
        }
    };
    (0..n)
        .map(|k| {
            if !text_relative {
                // the k-th of n bids walks down the better half of its outcomes
                let c = order[k * (order.len() / 2) / n];
                return (below(u[c as usize].max(lo + 1e-12)), c);
            }
            let th = hi - (hi - lo) * 0.5 * (k as f64 + 1.0) / (n as f64 + 1.0);
            let t = below(th);
            let td = digits(t);
            let c = (0..len)
                .filter(|&o| u[o as usize] >= th)
                .min_by(|&a, &b| {
                    let d = |o: u64| digits(o).iter().zip(&td).filter(|(x, y)| x != y).count();
                    d(a).cmp(&d(b)).then(u[b as usize].total_cmp(&u[a as usize])).then(a.cmp(&b))
                })
                .unwrap();
            (t, c)
        })
        .collect()
}

/// Prints, for counter-proposals, the rank correlation of the pooled estimate (comparisons +
/// HardHeaded frequencies) beside the comparison channel alone (counters fed as yes votes), and
/// how well the HardHeaded weights and the pooled estimate's issue weights order the issues.
#[test]
#[ignore = "measurement: prints a table"]
fn measure_counter_channels_table() {
    let cases = generated(40);
    for text_relative in [false, true] {
        for n in [5usize, 10, 20, 40] {
            let (mut pooled, mut cmp_only) = (0.0, 0.0);
            for (i, (s, u)) in cases.iter().enumerate() {
                let radices: Vec<u32> = s.issues().iter().map(|x| x.cardinality().unwrap() as u32).collect();
                let mut rng = ChaCha8Rng::seed_from_u64(i as u64);
                let cs = counters(u, &radices, n, text_relative, &mut rng);
                let mut a = MediatorModel::new(radices.clone(), vec![true], ModelConfig::default());
                let mut b = MediatorModel::new(radices, vec![true], ModelConfig::default());
                for &(t, c) in &cs {
                    a.counter(0, t, c);
                    b.vote(0, c, t, true);
                }
                pooled += rank_correlation(&a.estimates(0), u);
                cmp_only += rank_correlation(&b.estimates(0), u);
            }
            let k = cases.len() as f64;
            println!("text-relative {text_relative:5} counters {n:>3}: ρ pooled {:.3}  comparisons only {:.3}", pooled / k, cmp_only / k);
        }
    }
    let cases = importance_cases(40);
    for n in [5usize, 10, 20] {
        let (mut hh, mut pooled) = (0.0, 0.0);
        for (i, (radices, u, importance)) in cases.iter().enumerate() {
            let mut m = MediatorModel::new(radices.clone(), vec![true], ModelConfig::default());
            for (t, c) in counters(u, radices, n, false, &mut ChaCha8Rng::seed_from_u64(i as u64)) {
                m.counter(0, t, c);
            }
            hh += rank_correlation(m.frequency_weights(0), importance);
            pooled += rank_correlation(&m.issue_weights(0), importance);
        }
        let k = cases.len() as f64;
        println!(
            "issue weights after {n:>2} counters: Spearman with true importance, HardHeaded {:.3}, estimate {:.3}",
            hh / k,
            pooled / k
        );
    }
}

/// Test 1 (averaged): on 60 generated scenarios, the mean rank correlation of the estimate
/// with the truth grows with every checkpoint, and the estimate predicts held-out votes.
/// Measured (default config): ρ = 0.750, 0.911, 0.976, 0.987, 0.992 after 10, 30, 100, 200,
/// 1000 votes; held-out accuracy 0.784, 0.877, 0.936, 0.954, 0.966.
#[test]
fn truthful_votes_teach_the_ranking_and_more_votes_teach_more() {
    let cases = generated(60);
    let c = mean_curve(&cases, ModelConfig::default());
    assert!(c.windows(2).all(|w| w[1] > w[0]), "the mean correlation must grow with the votes: {c:?}");
    assert!(c[0] > 0.6, "after 10 votes: {c:?}");
    assert!(c[3] > 0.95, "after 200 votes: {c:?}");
    let acc: f64 = cases.iter().enumerate().map(|(i, (s, u))| held_out_accuracy(s, u, 200, i as u64)).sum::<f64>() / cases.len() as f64;
    assert!(acc > 0.9, "held-out accuracy after 200 votes: {acc}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Test 1 (per scenario): whatever the additive preferences, 300 truthful votes give an
    /// estimate that ranks the outcomes much as the party does (checked locally over 1,500
    /// cases; the lowest correlation in `measure_learning_curve_table` is 0.866, a utility with only 2
    /// distinct values, where the estimate separates outcomes the party ties), and the estimate
    /// stays in [0, 1].
    #[test]
    fn every_scenario_is_learnt((s, la) in space(5, 5).prop_flat_map(|s| (Just(s.clone()), linear_additive(&s))), seed in 0u64..1000) {
        let u = utilities(&s, &la);
        prop_assume!(u.len() >= 8 && u.iter().any(|&x| x != u[0]));
        let rho = learning_curve(&s, &u, &[300], ModelConfig::default(), seed)[0];
        prop_assert!(rho > 0.6, "ρ = {rho}");
        let mut m = MediatorModel::for_space(&s, vec![true], ModelConfig::default()).unwrap();
        truthful_votes(&mut m, 0, &u, 50, &mut ChaCha8Rng::seed_from_u64(seed));
        prop_assert!(m.estimates(0).iter().all(|x| (0.0..=1.0).contains(x)));
    }
}

/// Three issues of four values, worth 0.6, 0.3 and 0.1, each value worth `v/3`.
fn three_issues() -> (OutcomeSpace, Vec<f64>) {
    let space = OutcomeSpace::new((0..3).map(|j| Issue::categorical(format!("i{j}"), &["a", "b", "c", "d"])).collect());
    let la = LinearAdditive {
        bias: 0.0,
        weights: vec![0.6, 0.3, 0.1],
        values: (0..3).map(|_| ValueFunction::Table(vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0])).collect(),
        clamp: None,
    };
    let u = utilities(&space, &la);
    (space, u)
}

/// Test 2: the counter-proposals of a party conceding from its best outcomes teach the issue
/// weights — the HardHeaded weights and the pooled estimate's both rank the issues as the party
/// does, and the estimate ranks its outcomes well.
#[test]
fn counter_proposals_from_a_concession_teach_the_issue_weights() {
    let (three, u) = three_issues();
    let mut m = MediatorModel::for_space(&three, vec![true], ModelConfig::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for (t, c) in counters(&u, &[4, 4, 4], 16, false, &mut rng) {
        m.counter(0, t, c);
    }
    let hh = m.frequency_weights(0);
    assert!(hh[0] > hh[1] && hh[1] > hh[2], "HardHeaded weights {hh:?}");
    let w = m.issue_weights(0);
    assert!(w[0] > w[1] && w[1] > w[2], "estimate's issue weights {w:?}");
    let rho = rank_correlation(&m.estimates(0), &u);
    assert!(rho > 0.8, "ρ = {rho}");
    assert_eq!(m.observed(0), (16, 16, 0));

    // on average over generated scenarios with 3 or more issues, the estimate's issue weights
    // after 20 counter-proposals order the issues as their true importance (weight × value
    // range) does: measured mean Spearman 0.767 over 40 scenarios (the HardHeaded weights
    // alone: 0.071 — see `measure_counter_channels_table`)
    let cases = importance_cases(40);
    let mean = cases
        .iter()
        .enumerate()
        .map(|(i, (radices, u, importance))| {
            let mut m = MediatorModel::new(radices.clone(), vec![true], ModelConfig::default());
            for (t, c) in counters(u, radices, 20, false, &mut ChaCha8Rng::seed_from_u64(i as u64)) {
                m.counter(0, t, c);
            }
            rank_correlation(&m.issue_weights(0), importance)
        })
        .sum::<f64>()
        / cases.len() as f64;
    assert!(mean > 0.6, "mean Spearman of learnt and true issue importance: {mean}");
}

/// `count` generated scenarios with 3 or more issues and a non-constant utility: radices, true
/// utility, and each issue's true importance (weight × value range).
fn importance_cases(count: usize) -> Vec<(Vec<u32>, Vec<f64>, Vec<f64>)> {
    let mut runner = TestRunner::deterministic();
    let strategy = space(5, 5).prop_flat_map(|s| (Just(s.clone()), linear_additive(&s)));
    let mut out = Vec::new();
    while out.len() < count {
        let (s, la) = strategy.new_tree(&mut runner).unwrap().current();
        let u = utilities(&s, &la);
        if s.issues().len() < 3 || u.iter().all(|&x| x == u[0]) {
            continue;
        }
        let radices: Vec<u32> = s.issues().iter().map(|x| x.cardinality().unwrap() as u32).collect();
        let tables = la.additive_tables(&s).expect("linear additive");
        let range = |t: &Vec<f64>| t.iter().copied().fold(f64::NEG_INFINITY, f64::max) - t.iter().copied().fold(f64::INFINITY, f64::min);
        out.push((radices, u, tables.tables.iter().map(range).collect()));
    }
    out
}

/// Test 3: the same observations give bit-identical beliefs; a party's observations touch no
/// other party; with nothing learnt every estimate is 0.5 and ties go to the lowest index.
#[test]
fn the_model_is_deterministic() {
    let (space, u) = three_issues();
    let run = || {
        let mut m = MediatorModel::for_space(&space, vec![true, true], ModelConfig::default()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        truthful_votes(&mut m, 0, &u, 100, &mut rng);
        for (t, c) in counters(&u, &[4, 4, 4], 10, true, &mut rng) {
            m.counter(0, t, c);
        }
        m.verdict(0, 5, false);
        m
    };
    let (a, b) = (run(), run());
    assert_eq!(a.tables(0), b.tables(0));
    assert_eq!(a.estimates(0), b.estimates(0));
    assert_eq!(a.reservations(), b.reservations());
    assert_eq!(a.tables(1), MediatorModel::for_space(&space, vec![true, true], ModelConfig::default()).unwrap().tables(1));
    assert!(a.estimates(1).iter().all(|&x| x == 0.5));
    assert_eq!(a.best(ModelObjective::Neutral, [9, 4, 7]), a.best(ModelObjective::Neutral, [9, 4, 7]));
    let fresh = MediatorModel::for_space(&space, vec![true, true], ModelConfig::default()).unwrap();
    assert_eq!(fresh.best(ModelObjective::Welfare, [9, 4, 7]), Some(4), "ties: lowest index");
    assert_eq!(fresh.best(ModelObjective::Welfare, []), None);
}

/// The rules under the estimate: welfare sums the required parties' estimates, neutral takes
/// the log Nash product over their walk-away levels, biased reads the mediator's own utility.
#[test]
fn objectives_under_the_estimate() {
    let (space, u) = three_issues();
    let mut m = MediatorModel::for_space(&space, vec![true, true, false], ModelConfig::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let rev: Vec<f64> = u.iter().map(|x| 1.0 - x).collect();
    truthful_votes(&mut m, 0, &u, 200, &mut rng);
    truthful_votes(&mut m, 1, &rev, 200, &mut rng);
    truthful_votes(&mut m, 2, &u, 200, &mut rng);
    let o = 21;
    let w = m.objective(ModelObjective::Welfare, o);
    assert!((w - (m.estimate(0, o) + m.estimate(1, o))).abs() < 1e-12, "the optional party is not counted");
    let n = m.objective(ModelObjective::Neutral, o);
    assert!((n - (m.estimate(0, o).max(1e-9).ln() + m.estimate(1, o).max(1e-9).ln())).abs() < 1e-12);
    let own = PartyUtility::from_utilities(u.clone(), None, "m").unwrap();
    assert_eq!(m.objective(ModelObjective::Biased(&own), o), u[o as usize]);
    assert_eq!(m.best(ModelObjective::Biased(&own), 0..64), Some(63));
    // opposed parties: the neutral pick is interior, not either party's best
    let nash = m.best(ModelObjective::Neutral, 0..64).unwrap();
    assert!(nash != 63 && nash != 0, "{nash}");
    assert!(m.p_all_yes(63, 0) < 0.5, "party 1 votes no on its worst");
}
