//! Property tests against brute-force oracles on random scenarios (2–5 parties, every issue
//! kind, linear additive and spatial utilities, random reservations and required flags).

use detente_analysis::{analyze, frontier_by_issue_dp, pareto_frontier, zone_and_nash, Frontier, Options, Semantics};
use detente_core::{strategies, Issue, LinearAdditive, OutcomeSpace, Preferences, Scenario, Utility, ValueFunction};
use proptest::prelude::*;

/// Every outcome's utility vector, by direct evaluation of the model (no tables, no chunks).
fn table(s: &Scenario) -> Vec<Vec<f64>> {
    s.space.iter().map(|o| s.utilities(&o)).collect()
}

fn dominates(q: &[f64], p: &[f64]) -> bool {
    q != p && q.iter().zip(p).all(|(a, b)| a >= b)
}

fn check(s: &Scenario, semantics: Semantics) -> Result<(), TestCaseError> {
    let t = table(s);
    let n = t.len();
    let a = analyze(s, &Options { semantics, ..Options::default() }).expect("analysis");
    // Frontier membership equals the brute-force non-dominated set, outcome by outcome.
    let mut on: Vec<u64> = a.frontier.iter().flat_map(|p| p.outcomes.to_vec()).collect();
    on.sort_unstable();
    let want: Vec<u64> = (0..n).filter(|&i| !(0..n).any(|j| dominates(&t[j], &t[i]))).map(|i| i as u64).collect();
    prop_assert_eq!(&on, &want);
    for p in a.frontier.iter() {
        for &o in p.outcomes {
            prop_assert_eq!(p.utilities, t[o as usize].as_slice());
        }
    }
    // Every other outcome is dominated by a frontier point.
    for (i, u) in t.iter().enumerate() {
        if want.binary_search(&(i as u64)).is_err() {
            prop_assert!(a.frontier.iter().any(|p| dominates(p.utilities, u)), "outcome {} undominated", i);
        }
    }
    // Solutions lie on the frontier.
    let on_frontier = |u: &[f64], o: u64| a.frontier.iter().any(|p| p.utilities == u && p.outcomes.contains(&o));
    for sol in [&a.solutions.nash, &a.solutions.kalai_smorodinsky, &a.solutions.max_welfare, &a.solutions.egalitarian] {
        for p in &sol.points {
            prop_assert!(on_frontier(&p.utilities, p.outcome));
        }
    }
    // ZOPA by direct check.
    let rs: Vec<f64> = a.parties.iter().map(|p| p.reservation).collect();
    let req: Vec<bool> = a.parties.iter().map(|p| p.required).collect();
    let in_zopa = |u: &[f64]| u.iter().zip(&rs).zip(&req).all(|((u, r), &q)| !q || u > r);
    let count = t.iter().filter(|u| in_zopa(u)).count() as u64;
    prop_assert_eq!(a.zopa.count, Some(count));
    prop_assert_eq!(a.zopa.exists, count > 0);
    for (id, o) in &a.zopa.best_for {
        let k = a.parties.iter().position(|p| &p.id == id).unwrap();
        prop_assert!(in_zopa(&t[o.outcome as usize]));
        let best = t.iter().filter(|u| in_zopa(u)).map(|u| u[k]).fold(f64::NEG_INFINITY, f64::max);
        prop_assert_eq!(o.utilities[k], best);
    }
    for (k, p) in a.parties.iter().enumerate() {
        let c = t.iter().filter(|u| u[k] > rs[k]).count() as u64;
        prop_assert_eq!(p.prefers_to_walking_away, Some(c));
        prop_assert_eq!(a.zopa.no_deal_for.contains(&p.id), p.required && c == 0);
        // worst: lowest index among minimisers; best: max utility
        let mn = t.iter().map(|u| u[k]).fold(f64::INFINITY, f64::min);
        let wi = t.iter().position(|u| u[k] == mn).unwrap() as u64;
        prop_assert_eq!(p.worst.as_ref().unwrap().outcome, wi);
        let mx = t.iter().map(|u| u[k]).fold(f64::NEG_INFINITY, f64::max);
        prop_assert_eq!((p.min, p.max), (mn, mx));
        prop_assert_eq!(p.best.as_ref().unwrap().utilities[k], mx);
    }
    if !a.zopa.exists {
        let c = a.zopa.closest.as_ref().expect("closest deal");
        let margin = |u: &[f64]| (0..u.len()).filter(|&k| req[k]).map(|k| u[k] - rs[k]).fold(f64::INFINITY, f64::min);
        let best = t.iter().map(|u| margin(u)).fold(f64::NEG_INFINITY, f64::max);
        prop_assert_eq!(margin(&c.deal.utilities), best);
    }
    let all_rational = t.iter().filter(|u| u.iter().zip(&rs).all(|(u, r)| u > r)).count();
    prop_assert_eq!(a.rational_fraction, Some(all_rational as f64 / n as f64));
    // Opposition by its definition over every outcome.
    let opp = match semantics {
        Semantics::Negmas => t
            .iter()
            .filter(|u| u.iter().zip(&rs).all(|(u, r)| u >= r))
            .map(|u| {
                u.iter().zip(&a.parties).fold(0.0, |acc, (&x, p)| {
                    let e = if p.max != 0.0 { 1.0 - x / p.max } else { 1.0 - x };
                    acc + e * e
                })
            })
            .fold(f64::INFINITY, f64::min),
        Semantics::Genius => t.iter().map(|u| u.iter().fold(0.0, |acc, x| acc + (1.0 - x) * (1.0 - x))).fold(f64::INFINITY, f64::min),
    };
    prop_assert_eq!(a.opposition, opp.is_finite().then(|| opp.sqrt()));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn analysis_agrees_with_brute_force(s in strategies::scenario(5, 4, 5), genius in any::<bool>()) {
        check(&s, if genius { Semantics::Genius } else { Semantics::Negmas })?;
    }

    #[test]
    fn zone_and_nash_equals_the_full_analysis(s in strategies::scenario(5, 4, 5)) {
        // The lean pass the study's robustness runs use: the same ZOPA count and Nash points.
        let a = analyze(&s, &Options { semantics: Semantics::Negmas, ..Options::default() }).expect("analysis");
        let z = zone_and_nash(&s, u64::MAX).expect("lean analysis");
        prop_assert_eq!(Some(z.zone_count), a.zopa.count);
        prop_assert_eq!(&z.nash, &a.solutions.nash);
    }

    #[test]
    fn per_issue_dp_finds_exactly_the_frontier_vectors(s in strategies::scenario(4, 5, 5)) {
        let parties: Vec<&Utility> = s.actors.iter().map(|a| &a.preferences.utility).collect();
        let names: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
        let dp = frontier_by_issue_dp(&s.space, &parties, &names, 1_000_000).expect("dp");
        let full = pareto_frontier(&s, u64::MAX).expect("enumerated");
        prop_assert_eq!(dp.len(), full.len());
        for (a, b) in dp.iter().zip(full.iter()) {
            prop_assert_eq!(a.utilities, b.utilities);
            prop_assert_eq!(a.outcomes.len(), 1);
            prop_assert!(b.outcomes.contains(&a.outcome()));
        }
    }
}

/// Many chunks, several threads: the streamed frontier equals the one-shot skyline of all points.
#[test]
fn streamed_frontier_equals_one_shot_skyline_over_many_chunks() {
    for parties in [2usize, 3, 4] {
        // 6 issues × 7 values = 117,649 outcomes (two chunks and a bit), coarse values for ties.
        let space = OutcomeSpace::new((0..6).map(|i| Issue::integer(format!("i{i}"), 0, 6, 1)).collect());
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ parties as u64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 5) as f64 / 4.0
        };
        let actors = (0..parties)
            .map(|p| {
                let la = LinearAdditive {
                    bias: 0.0,
                    weights: vec![1.0; 6],
                    values: (0..6).map(|_| ValueFunction::Table((0..7).map(|_| rnd()).collect())).collect(),
                    clamp: None,
                };
                detente_core::Actor::party(format!("p{p}"), Preferences::new(Utility::LinearAdditive(la)))
            })
            .collect();
        let s = Scenario { meta: Default::default(), space, actors, protocol: Default::default(), openings: vec![], variants: vec![] };
        let streamed = pareto_frontier(&s, u64::MAX).unwrap();
        let t = table(&s);
        let flat: Vec<f64> = t.iter().flatten().copied().collect();
        let idx: Vec<u64> = (0..t.len() as u64).collect();
        let one_shot = Frontier::of_points(parties, &flat, &idx);
        assert_eq!(streamed, one_shot, "{parties} parties");
        assert!(streamed.outcome_count() > 1);
    }
}
