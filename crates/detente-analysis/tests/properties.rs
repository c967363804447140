//! Property tests against brute-force oracles on random scenarios (2–5 parties, every issue
//! kind, linear additive and spatial utilities, random reservations and required flags).

use detente_analysis::{analyze, frontier_by_issue_dp, pareto_frontier, zone_and_nash, Frontier, Options, Semantics};
use detente_core::{
    strategies, Condition, Issue, LinearAdditive, OutcomeSpace, Preferences, RedLine, Scenario, ScenarioDraft, Utility, ValueFunction,
};
use proptest::prelude::*;

/// Every outcome's utility vector, by direct evaluation of the model (no tables, no chunks).
fn table(s: &Scenario) -> Vec<Vec<f64>> {
    s.space.iter().map(|o| s.utilities(&o)).collect()
}

fn dominates(q: &[f64], p: &[f64]) -> bool {
    q != p && q.iter().zip(p).all(|(a, b)| a >= b)
}

/// Whether outcome `i` crosses no red line of a required party (the analysis's one rule for who
/// must agree: the required parties, or every non-observer when none is required).
fn acceptable_outcomes(s: &Scenario) -> Vec<bool> {
    let parties: Vec<_> = s.actors.iter().filter(|a| a.is_stakeholder()).collect();
    let any_required = parties.iter().any(|a| a.required);
    let binding: Vec<_> = parties.iter().filter(|a| a.required || !any_required).flat_map(|a| a.red_lines.iter()).collect();
    s.space.iter().map(|o| !binding.iter().any(|l| l.crosses(&s.space, &o))).collect()
}

fn check(s: &Scenario, semantics: Semantics) -> Result<(), TestCaseError> {
    let t = table(s);
    let n = t.len();
    let acc = acceptable_outcomes(s);
    let a = analyze(s, &Options { semantics, ..Options::default() }).expect("analysis");
    if !acc.contains(&true) {
        // every outcome crosses a red line: no deal, no frontier, nothing to call closest
        prop_assert_eq!(a.zopa.count, Some(0));
        prop_assert!(a.frontier.is_empty() && a.zopa.closest.is_none());
        prop_assert_eq!(a.zopa.red_lines.as_ref().map(|r| r.excluded), Some(n as u64));
        return Ok(());
    }
    // Frontier membership equals the brute-force non-dominated set of the acceptable outcomes,
    // outcome by outcome.
    let mut on: Vec<u64> = a.frontier.iter().flat_map(|p| p.outcomes.to_vec()).collect();
    on.sort_unstable();
    let want: Vec<u64> = (0..n).filter(|&i| acc[i] && !(0..n).any(|j| acc[j] && dominates(&t[j], &t[i]))).map(|i| i as u64).collect();
    prop_assert_eq!(&on, &want);
    for p in a.frontier.iter() {
        for &o in p.outcomes {
            prop_assert_eq!(p.utilities, t[o as usize].as_slice());
        }
    }
    // Every other acceptable outcome is dominated by a frontier point.
    for (i, u) in t.iter().enumerate() {
        if acc[i] && want.binary_search(&(i as u64)).is_err() {
            prop_assert!(a.frontier.iter().any(|p| dominates(p.utilities, u)), "outcome {} undominated", i);
        }
    }
    // From here on, "the space" is the acceptable outcomes, except for worst outcomes and
    // GENIUS opposition, which describe utilities over every outcome.
    let all = t.clone();
    let t: Vec<Vec<f64>> = t.into_iter().zip(&acc).map(|(u, &ok)| if ok { u } else { vec![f64::NAN; u.len()] }).collect();
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
        // worst: lowest index among minimisers over every outcome; best: max acceptable utility
        let mn = all.iter().map(|u| u[k]).fold(f64::INFINITY, f64::min);
        let wi = all.iter().position(|u| u[k] == mn).unwrap() as u64;
        prop_assert_eq!(p.worst.as_ref().unwrap().outcome, wi);
        let mx = t.iter().map(|u| u[k]).filter(|u| !u.is_nan()).fold(f64::NEG_INFINITY, f64::max);
        prop_assert_eq!((p.min, p.max), (mn, mx));
        prop_assert_eq!(p.best.as_ref().unwrap().utilities[k], mx);
    }
    if !a.zopa.exists {
        let c = a.zopa.closest.as_ref().expect("closest deal");
        let margin = |u: &[f64]| (0..u.len()).filter(|&k| req[k]).map(|k| u[k] - rs[k]).fold(f64::INFINITY, f64::min);
        let best = t.iter().filter(|u| !u[0].is_nan()).map(|u| margin(u)).fold(f64::NEG_INFINITY, f64::max);
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
        Semantics::Genius => all.iter().map(|u| u.iter().fold(0.0, |acc, x| acc + (1.0 - x) * (1.0 - x))).fold(f64::INFINITY, f64::min),
    };
    prop_assert_eq!(a.opposition, opp.is_finite().then(|| opp.sqrt()));
    // What the red lines rule out, line by line.
    if let Some(r) = &a.zopa.red_lines {
        prop_assert_eq!(r.excluded, acc.iter().filter(|&&ok| !ok).count() as u64);
        let zone_free = all.iter().filter(|u| in_zopa(u)).count() as u64;
        prop_assert_eq!(r.zone_without_red_lines, zone_free);
        let lines: Vec<&detente_core::RedLine> = s
            .actors
            .iter()
            .filter(|x| x.is_stakeholder() && req[a.parties.iter().position(|p| p.id == x.id).unwrap()])
            .flat_map(|x| x.red_lines.iter())
            .collect();
        prop_assert_eq!(r.lines.len(), lines.len());
        for (effect, line) in r.lines.iter().zip(lines) {
            let rules_out = s.space.iter().zip(&all).filter(|(o, u)| in_zopa(u) && line.crosses(&s.space, o)).count() as u64;
            prop_assert_eq!(effect.rules_out, rules_out);
        }
    } else {
        prop_assert!(acc.iter().all(|&ok| ok));
    }
    Ok(())
}

/// Adds red lines to some actors of `s`, drawn from `seeds`: each a value of one issue, sometimes
/// joined with a value of a second issue.
fn with_red_lines(s: Scenario, seeds: &[u64]) -> Scenario {
    let mut s = s.into_draft();
    let issues = s.space.issues().to_vec();
    for (i, &seed) in seeds.iter().enumerate() {
        let a = i % s.actors.len();
        let mut terms = Vec::new();
        for (j, part) in [seed, seed >> 20].into_iter().enumerate() {
            if j == 1 && part % 3 != 0 {
                break;
            }
            let k = (part as usize / 7) % issues.len();
            let n = issues[k].cardinality().unwrap_or(1).max(1);
            if terms.iter().any(|(id, _): &(String, Condition)| *id == issues[k].id) {
                break;
            }
            let v = issues[k].value_at(((part >> 8) % n) as u32).expect("in range");
            terms.push((issues[k].id.clone(), Condition::OneOf(vec![v])));
        }
        s.actors[a].red_lines.push(RedLine { terms, description: None });
    }
    s.validate().expect("generated red lines are valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn analysis_agrees_with_brute_force(s in strategies::scenario(5, 4, 5), genius in any::<bool>()) {
        check(&s, if genius { Semantics::Genius } else { Semantics::Negmas })?;
    }

    #[test]
    fn analysis_with_red_lines_agrees_with_brute_force(
        s in strategies::scenario(4, 4, 4),
        seeds in proptest::collection::vec(any::<u64>(), 1..5),
        genius in any::<bool>(),
    ) {
        let s = with_red_lines(s, &seeds);
        check(&s, if genius { Semantics::Genius } else { Semantics::Negmas })?;
        // The lean pass and the frontier alone honour red lines the same way.
        let a = analyze(&s, &Options::default()).expect("analysis");
        let z = zone_and_nash(&s, u64::MAX).expect("lean analysis");
        prop_assert_eq!(Some(z.zone_count), a.zopa.count);
        prop_assert_eq!(&z.nash, &a.solutions.nash);
        prop_assert_eq!(pareto_frontier(&s, u64::MAX).expect("frontier").len(), a.frontier.len());
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
        let s = ScenarioDraft::new("generated", space, actors).validate().expect("invariant: a valid scenario");
        let streamed = pareto_frontier(&s, u64::MAX).unwrap();
        let t = table(&s);
        let flat: Vec<f64> = t.iter().flatten().copied().collect();
        let idx: Vec<u64> = (0..t.len() as u64).collect();
        let one_shot = Frontier::of_points(parties, &flat, &idx);
        assert_eq!(streamed, one_shot, "{parties} parties");
        assert!(streamed.outcome_count() > 1);
    }
}
