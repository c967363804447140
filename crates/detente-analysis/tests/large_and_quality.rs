//! The non-enumerating path of `analyze` against the enumerated one, a space far beyond
//! enumeration, and the agreement-quality functions.

use detente_analysis::{agreement_quality, analyze, distance, Method, Options, Semantics};
use detente_core::{Actor, Issue, LinearAdditive, OutcomeSpace, Preferences, Reservation, Scenario, ScenarioDraft, Utility, ValueFunction};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_scenario(parties: usize, issues: usize, values: u32, seed: u64, reservation: f64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let opts: Vec<String> = (0..values).map(|v| format!("v{v}")).collect();
    let opts: Vec<&str> = opts.iter().map(String::as_str).collect();
    let space = OutcomeSpace::new((0..issues).map(|i| Issue::categorical(format!("i{i}"), &opts)).collect());
    let actors = (0..parties)
        .map(|p| {
            let w: Vec<f64> = (0..issues).map(|_| rng.gen::<f64>()).collect();
            let s: f64 = w.iter().sum();
            let la = LinearAdditive {
                bias: 0.0,
                weights: w.iter().map(|x| x / s).collect(),
                values: (0..issues).map(|_| ValueFunction::Table((0..values).map(|_| rng.gen::<f64>()).collect())).collect(),
                clamp: Some((f64::NEG_INFINITY, 1.0)),
            };
            let mut prefs = Preferences::new(Utility::LinearAdditive(la));
            prefs.reservation = Reservation::Value(reservation);
            Actor::party(format!("p{p}"), prefs)
        })
        .collect();
    ScenarioDraft::new("generated", space, actors).validate().expect("invariant: a valid scenario")
}

#[test]
fn per_issue_dp_analysis_agrees_with_enumeration() {
    for (parties, seed, r) in [(2usize, 1u64, 0.3), (3, 2, 0.4), (2, 3, 0.95)] {
        let s = random_scenario(parties, 5, 6, seed, r);
        for semantics in [Semantics::Negmas, Semantics::Genius] {
            let full = analyze(&s, &Options { semantics, ..Options::default() }).unwrap();
            let dp = analyze(&s, &Options { semantics, enumeration_limit: 100, ..Options::default() }).unwrap();
            assert_eq!(full.method, Method::Enumerated);
            assert_eq!(dp.method, Method::PerIssueDp);
            let fv: Vec<&[f64]> = full.frontier.iter().map(|p| p.utilities).collect();
            let dv: Vec<&[f64]> = dp.frontier.iter().map(|p| p.utilities).collect();
            assert_eq!(fv, dv);
            let u = |sol: &detente_analysis::Solution| sol.points.iter().map(|p| p.utilities.clone()).collect::<Vec<_>>();
            assert_eq!(u(&full.solutions.nash), u(&dp.solutions.nash));
            assert_eq!(u(&full.solutions.kalai_smorodinsky), u(&dp.solutions.kalai_smorodinsky));
            assert_eq!(u(&full.solutions.max_welfare), u(&dp.solutions.max_welfare));
            assert_eq!(full.opposition, dp.opposition);
            assert_eq!(full.zopa.exists, dp.zopa.exists);
            assert_eq!(full.zopa.no_deal_for, dp.zopa.no_deal_for);
            assert_eq!(dp.zopa.count, None);
            for (a, b) in full.zopa.best_for.iter().zip(&dp.zopa.best_for) {
                assert_eq!(a.1.utilities, b.1.utilities);
            }
            for (a, b) in full.parties.iter().zip(&dp.parties) {
                assert_eq!((a.min, a.max), (b.min, b.max));
                assert_eq!(a.best.as_ref().unwrap().utilities, b.best.as_ref().unwrap().utilities);
                assert_eq!(a.worst.as_ref().unwrap().utilities, b.worst.as_ref().unwrap().utilities);
            }
        }
    }
}

#[test]
fn a_space_of_ten_to_the_fourteen_outcomes_is_analysed_without_enumeration() {
    let s = random_scenario(2, 14, 10, 7, 0.2);
    let a = analyze(&s, &Options::default()).unwrap();
    assert_eq!(a.method, Method::PerIssueDp);
    assert_eq!(a.outcome_count, Some(100_000_000_000_000));
    assert!(!a.frontier.is_empty());
    // Every witness really has the reported utilities; no point dominates another.
    for p in a.frontier.iter() {
        let o = s.space.outcome_at(p.outcome()).unwrap();
        assert_eq!(s.utilities(&o), p.utilities);
    }
    for p in a.frontier.iter() {
        for q in a.frontier.iter() {
            assert!(!(p.utilities != q.utilities && q.utilities.iter().zip(p.utilities).all(|(x, y)| x >= y)));
        }
    }
    assert!(a.solutions.nash.chosen().is_some());
}

#[test]
fn agreement_quality_is_zero_distance_and_full_fairness_at_the_nash_point() {
    let s = random_scenario(2, 4, 5, 11, 0.1);
    let a = analyze(&s, &Options::default()).unwrap();
    let nash = a.solutions.nash.chosen().unwrap().utilities.clone();
    let q = agreement_quality(&a, &nash);
    assert_eq!(q.nash_distance, Some(0.0));
    assert_eq!(q.pareto_distance, Some(0.0));
    assert_eq!(q.fairness, Some(1.0));
    assert_eq!(q.welfare, nash.iter().sum::<f64>());
    // Walking away (the reservation values) is strictly worse on every count.
    let rs: Vec<f64> = a.parties.iter().map(|p| p.reservation).collect();
    let w = agreement_quality(&a, &rs);
    assert!(w.pareto_distance.unwrap() > 0.0);
    assert!((w.nash_distance.unwrap() - distance(&rs, &nash)).abs() < 1e-15);
    assert!(w.fairness.unwrap() < 1.0);
    let ks = a.solutions.kalai_smorodinsky.chosen().unwrap().utilities.clone();
    assert_eq!(agreement_quality(&a, &ks).ks_distance, Some(0.0));
}

/// An explicit outcome table (the non-additive utility) is read by index and analysed exactly;
/// such a scenario cannot use the per-issue method.
#[test]
fn explicit_tables_are_analysed_by_index_and_refuse_the_per_issue_method() {
    use detente_core::TableUtility;
    let s = random_scenario(3, 4, 7, 5, 0.3);
    let n = s.space.cardinality().as_u64().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let entries: Vec<(u64, f64)> = (0..n).filter(|i| i % 3 != 0).map(|i| (i, (rng.gen::<f64>() * 8.0).floor() / 8.0)).collect();
    let s = s
        .edited(|s| {
            s.actors[1].preferences.utility = Utility::Table(TableUtility { entries, default: 0.5 });
            s.actors[1].preferences.reservation = detente_core::Reservation::None;
        })
        .unwrap();
    let a = analyze(&s, &Options::default()).unwrap();
    let t: Vec<Vec<f64>> = s.space.iter().map(|o| s.utilities(&o)).collect();
    let dom = |q: &[f64], p: &[f64]| q != p && q.iter().zip(p).all(|(x, y)| x >= y);
    let want: Vec<u64> = (0..t.len()).filter(|&i| !t.iter().any(|q| dom(q, &t[i]))).map(|i| i as u64).collect();
    let mut got: Vec<u64> = a.frontier.iter().flat_map(|p| p.outcomes.to_vec()).collect();
    got.sort_unstable();
    assert_eq!(got, want);
    let err = analyze(&s, &Options { enumeration_limit: 10, ..Options::default() }).unwrap_err();
    assert!(err.to_string().contains("non-additive"), "{err}");
}

/// 10^30 outcomes (beyond u64 indices): the per-issue method still gives the exact frontier,
/// with witnesses as value indices.
#[test]
fn a_space_of_ten_to_the_thirty_outcomes_has_value_index_witnesses() {
    use detente_analysis::frontier_by_issue_dp_values;
    let s = random_scenario(2, 30, 10, 13, 0.0);
    assert_eq!(s.space.cardinality().as_u64(), None);
    let us: Vec<&Utility> = s.actors.iter().map(|a| &a.preferences.utility).collect();
    let pts = frontier_by_issue_dp_values(&s.space, &us, &["p0", "p1"], 1_000_000).unwrap();
    assert!(pts.len() > 1);
    for p in &pts {
        let o = s.space.outcome_from_indices(&p.values).unwrap();
        assert_eq!(s.utilities(&o), p.utilities);
    }
    for p in &pts {
        for q in &pts {
            assert!(!(p.utilities != q.utilities && q.utilities.iter().zip(&p.utilities).all(|(x, y)| x >= y)));
        }
    }
    // The report needs u64 outcome indices, and says so.
    let err = analyze(&s, &Options::default()).unwrap_err();
    assert!(err.to_string().contains("2^64"), "{err}");
}
