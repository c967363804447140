//! Agreement quality is measured over the required parties (issue #10, item 6): a mediator or a
//! party whose acceptance is not needed is reported beside the measures, never inside the space.

use detente_analysis::{agreement_quality, analyze, AgreementQuality, Frontier, Options, QualitySpace, Semantics};
use detente_core::{
    strategies, Actor, Issue, Loss, OutcomeSpace, Position, Preferences, Reservation, Role, Scenario, ScenarioDraft, Spatial, Utility,
};
use proptest::prelude::*;

/// The same scenario with every stakeholder whose acceptance is not required turned into an
/// observer: the analysis of the required parties alone, the oracle of the measured space.
fn required_only(s: &Scenario) -> Scenario {
    let any = s.actors.iter().any(|a| a.is_stakeholder() && a.required);
    s.edited(|d| {
        for a in &mut d.actors {
            if any && !a.required {
                a.role = Role::Observer;
            }
        }
    })
    .expect("an observer more is still a valid scenario")
}

/// The measures that depend on utilities only (which of several outcomes with the same
/// utilities is named may differ).
fn measures(q: &AgreementQuality) -> [Option<f64>; 6] {
    [q.pareto_distance, q.nash_distance, q.ks_distance, q.egalitarian_distance, Some(q.welfare), q.fairness]
}

fn check(s: &Scenario, semantics: Semantics) -> Result<(), TestCaseError> {
    let opts = Options { semantics, ..Options::default() };
    let a = analyze(s, &opts).expect("analysis");
    let oracle = analyze(&required_only(s), &opts).expect("analysis of the required parties");
    let req: Vec<usize> = (0..a.parties.len()).filter(|&k| a.parties[k].required).collect();
    let space = QualitySpace::required(&a);
    let ids: Vec<String> = oracle.parties.iter().map(|p| p.id.clone()).collect();
    prop_assert_eq!(space.parties(), ids.as_slice());
    // Every outcome's utility vector, and the walk-away vector.
    let mut vectors: Vec<Vec<f64>> =
        s.space.iter().map(|o| a.parties.iter().map(|p| s.actor(&p.id).unwrap().preferences.utility(&s.space, &o)).collect()).collect();
    vectors.push(a.parties.iter().map(|p| p.reservation).collect());
    for u in &vectors {
        let got = agreement_quality(&a, u);
        let want = agreement_quality(&oracle, &req.iter().map(|&k| u[k]).collect::<Vec<_>>());
        prop_assert_eq!(measures(&got), measures(&want));
        prop_assert_eq!(got.outside.len(), a.parties.len() - req.len());
        for o in &got.outside {
            let k = a.parties.iter().position(|p| p.id == o.actor).unwrap();
            prop_assert!(!req.contains(&k));
            prop_assert_eq!(o.utility, u[k]);
        }
    }
    // The Nash deal it compares the outsiders with is a Nash deal of the required parties, and
    // efficient for every analysed party.
    if let Some((o, full)) = space.nash_deal() {
        let x = s.space.outcome_at(o).unwrap();
        let want = oracle.solutions.nash.chosen().unwrap();
        let mine: Vec<f64> = req.iter().map(|&k| full[k]).collect();
        prop_assert_eq!(&mine, &want.utilities);
        prop_assert_eq!(
            full.to_vec(),
            a.parties.iter().map(|p| s.actor(&p.id).unwrap().preferences.utility(&s.space, &x)).collect::<Vec<_>>()
        );
        prop_assert!(a.frontier.iter().any(|p| p.outcomes.contains(&o)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The measured space is exactly the required parties' own: every measure equals the one of
    /// an analysis where the other stakeholders are observers.
    #[test]
    fn quality_is_measured_in_the_required_parties_space(s in strategies::scenario(5, 3, 4), genius in any::<bool>()) {
        check(&s, if genius { Semantics::Genius } else { Semantics::Negmas })?;
    }

    /// Projecting a frontier on some of its parties gives the frontier of their utilities over the
    /// same outcomes.
    #[test]
    fn a_projected_frontier_is_the_frontier_of_the_projection(s in strategies::scenario(5, 3, 4), keep in any::<u8>()) {
        let a = analyze(&s, &Options::default()).expect("analysis");
        let n = a.parties.len();
        let parties: Vec<usize> = (0..n).filter(|k| keep >> k & 1 == 1).collect();
        prop_assume!(!parties.is_empty());
        let mut utils = Vec::new();
        let mut idx = Vec::new();
        for o in s.space.iter() {
            let u = s.utilities(&o);
            utils.extend(parties.iter().map(|&k| u[k]));
            idx.push(s.space.index_of(&o).unwrap());
        }
        let want = Frontier::of_points(parties.len(), &utils, &idx);
        let got = a.frontier.project(&parties);
        prop_assert_eq!(got.iter().map(|p| p.utilities.to_vec()).collect::<Vec<_>>(), want.iter().map(|p| p.utilities.to_vec()).collect::<Vec<_>>());
        for (g, w) in got.iter().zip(want.iter()) {
            prop_assert!(g.outcomes.iter().all(|o| w.outcomes.contains(o)));
        }
    }
}

/// Two parties on one issue, a mediator that wants the far end of another: its own best
/// outcome is efficient for all three (nobody can gain without it losing), but wasteful for the
/// two parties that make the deal.
fn mediated() -> Scenario {
    let space = OutcomeSpace::new(vec![Issue::integer("split", 0, 4, 1), Issue::integer("aid", 0, 4, 1)]);
    let spatial = |ideal: [f64; 2], salience: [f64; 2]| Preferences {
        reservation: Reservation::Value(0.3),
        ..Preferences::new(Utility::Spatial(Spatial {
            positions: ideal.iter().zip(salience).map(|(&i, s)| Some(Position::new(i, s))).collect(),
            loss: Loss::Linear,
        }))
    };
    // positions in the issues' units (0–4)
    let a = Actor::party("a", spatial([0.0, 4.0], [0.7, 0.3]));
    let b = Actor::party("b", spatial([4.0, 4.0], [0.7, 0.3]));
    let m = Actor { role: Role::Mediator, required: false, ..Actor::party("m", spatial([2.0, 0.0], [0.2, 0.8])) };
    ScenarioDraft::new("mediated", space, vec![m, a, b]).validate().expect("valid")
}

#[test]
fn a_mediators_own_best_deal_is_efficient_only_with_the_mediator_inside() {
    let s = mediated();
    let a = analyze(&s, &Options::default()).unwrap();
    assert_eq!(a.parties.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["m", "a", "b"]);
    // The mediator's best outcome: split 2, aid 0.
    let best = a.parties[0].best.clone().unwrap();
    let x = s.space.outcome_at(best.outcome).unwrap();
    assert_eq!(s.space.format(&x), "split=2, aid=0");
    // With the mediator inside, it is on the frontier; over the required parties it is not.
    assert_eq!(QualitySpace::all(&a).measure(&best.utilities).pareto_distance, Some(0.0));
    let q = agreement_quality(&a, &best.utilities);
    assert_eq!(q.parties, ["a", "b"]);
    let d = q.pareto_distance.unwrap();
    // a and b both gain 0.3 of aid (0 → 100 on a 100-point scale at salience 0.3).
    assert!((d - (0.3f64 * 0.3 * 2.0).sqrt()).abs() < 1e-12, "distance {d}");
    // The mediator's utility beside: of this deal, and at the parties' Nash deal (split 2, aid 4).
    let (nash, full) = QualitySpace::required(&a).nash_deal().map(|(o, u)| (o, u.to_vec())).unwrap();
    assert_eq!(s.space.format(&s.space.outcome_at(nash).unwrap()), "split=2, aid=4");
    assert_eq!(q.nash_outcome, Some(nash));
    assert_eq!(q.outside.len(), 1);
    let m = &q.outside[0];
    assert_eq!(m.actor, "m");
    assert_eq!(m.utility, best.utilities[0]);
    assert_eq!(m.at_nash, Some(full[0]));
    assert!((m.over_nash.unwrap() - 0.8).abs() < 1e-12, "{m:?}");
}
