//! Hand-made cases: the gmcr-py n ≥ 3 defect (spec §9.4) is not reproduced, explanations.

use detente_conflict::*;

/// Three DMs; DM a's UI 1 → 2 is sanctioned only by the chain b, c, b (2 → 3 → 4 → 5), each
/// move a UI for its mover. gmcr-py lets each opponent move once in a sanction chain and so
/// calls state 1 GMR- and SEQ-unstable for a; by the definitions (legal sequences where an
/// opponent may move again, spec §1.3) it is stable. This crate follows the definitions.
#[test]
fn repeated_opponent_in_a_sanction_chain_counts() {
    let spec = ConflictSpec {
        name: "chain".into(),
        dms: vec![DecisionMaker::new("a"), DecisionMaker::new("b"), DecisionMaker::new("c")],
        structure: Structure::Graph {
            states: (1..=5).map(|s| StateDef { id: format!("s{s}"), name: String::new(), pattern: None }).collect(),
            moves_by_dm: vec![vec![(1, 2)], vec![(2, 3), (4, 5)], vec![(3, 4)]],
        },
        preferences: vec![
            // a: 2 > 3 = 4 > 1 > 5
            Preference::Ranking(vec![
                vec![StateRef::Number(2)],
                vec![StateRef::Number(3), StateRef::Number(4)],
                vec![StateRef::Number(1)],
                vec![StateRef::Number(5)],
            ]),
            // b: 5 > 4 > 3 > 2 > 1
            Preference::Ranking((1..=5).rev().map(|s| vec![StateRef::Number(s)]).collect()),
            // c: 4 > 3 > others
            Preference::Ranking(vec![
                vec![StateRef::Number(4)],
                vec![StateRef::Number(3)],
                vec![1, 2, 5].into_iter().map(StateRef::Number).collect(),
            ]),
        ],
        status_quo: Some(StateRef::Number(1)),
    };
    let c = spec.validate().expect("valid");
    let r = analyze(&c, &AnalysisOptions::default()).expect("analysis");
    assert!(!r.stable_states(0, Concept::Nash).contains(&1));
    assert!(r.stable_states(0, Concept::Gmr).contains(&1), "definition: b, c, b sanctions (gmcr-py would say unstable)");
    assert!(r.stable_states(0, Concept::Seq).contains(&1), "definition: b, c, b sanctions (gmcr-py would say unstable)");
    let e = r.explanations.iter().find(|e| e.dm == "a" && e.state == 1 && e.concept == Concept::Seq).expect("explanation");
    let path: Vec<(String, usize)> =
        e.improvements[0].sanction.as_ref().expect("sanction").iter().map(|s| (s.mover.clone(), s.to)).collect();
    assert_eq!(path, [("b".to_string(), 3), ("c".to_string(), 4), ("b".to_string(), 5)]);
    let words = e.describe();
    assert!(words.contains("a could improve to 2") && words.contains("b moves to 5"), "{words}");
    // The report serialises, with its schema.
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["schema"], SCHEMA);
    assert_eq!(json["equilibria"]["Nash"], serde_json::json!([5]));
}

/// Coalitions must partition the DMs.
#[test]
fn bad_coalitions_are_errors() {
    let spec = ConflictSpec {
        name: String::new(),
        dms: vec![DecisionMaker::new("a"), DecisionMaker::new("b"), DecisionMaker::new("c")],
        structure: Structure::Graph {
            states: (1..=2).map(|s| StateDef { id: format!("s{s}"), name: String::new(), pattern: None }).collect(),
            moves_by_dm: vec![vec![(1, 2)], vec![], vec![]],
        },
        preferences: (0..3).map(|_| Preference::Cardinal(vec![(StateRef::Number(1), 0.0), (StateRef::Number(2), 1.0)])).collect(),
        status_quo: None,
    };
    let c = spec.validate().expect("valid");
    for bad in [vec![vec![0, 1]], vec![vec![0, 1], vec![1, 2]], vec![vec![0], vec![1], vec![2], vec![7]], vec![vec![], vec![0, 1, 2]]] {
        let opts = AnalysisOptions { coalitions: Some(bad.clone()), ..AnalysisOptions::default() };
        assert!(analyze(&c, &opts).is_err(), "{bad:?}");
    }
}
