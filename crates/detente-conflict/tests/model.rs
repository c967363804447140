//! The model: validation, enumeration order, moves, statements.

use detente_conflict::*;

fn opt(id: &str, dm: usize, r: Reversibility) -> OptionDef {
    OptionDef { id: id.into(), name: id.into(), dm, reversibility: r }
}

/// Syria–Iraq (spec §3.2): states, numbering and the prioritization ranking 1 3 6 2 4 5.
#[test]
fn syria_iraq_prioritization() {
    let spec = ConflictSpec {
        name: "Syria-Iraq".into(),
        dms: vec![DecisionMaker::new("Syria"), DecisionMaker::new("Iraq")],
        structure: Structure::Options {
            options: vec![
                opt("release", 0, Reversibility::Both),
                opt("escalate", 0, Reversibility::Both),
                opt("attack", 1, Reversibility::Both),
            ],
            constraints: vec![Constraint::MutuallyExclusive(vec![0, 1])],
        },
        preferences: vec![
            Preference::Prioritization(["NNN", "2", "-3", "-1"].iter().map(|s| Statement::parse(s).unwrap()).collect()),
            Preference::Ranking([2, 4, 6, 1, 5, 3].iter().map(|&n| vec![StateRef::Number(n)]).collect()),
        ],
        status_quo: Some(StateRef::Number(1)),
    };
    let c = spec.validate().unwrap();
    let g = c.graph();
    let pats: Vec<String> = (0..g.n_states()).map(|s| g.pattern(s).unwrap()).collect();
    assert_eq!(pats, ["NNN", "YNN", "NYN", "NNY", "YNY", "NYY"]);
    assert_eq!(c.scores(0).unwrap(), &[11.0, 2.0, 7.0, 1.0, 0.0, 5.0]);
    let mut order: Vec<usize> = (0..6).collect();
    order.sort_by_key(|&s| std::cmp::Reverse(g.rank(0, s)));
    assert_eq!(order.iter().map(|s| s + 1).collect::<Vec<_>>(), [1, 3, 6, 2, 4, 5]);
    // Syria's moves from 1 (NNN): release (2) or escalate (3); from 2 to 1 or 3.
    assert_eq!(g.moves(0, 0), &[1, 2]);
    assert_eq!(g.moves(0, 1), &[0, 2]);
    assert_eq!(g.moves(1, 0), &[3]);
}

#[test]
fn statements_parse() {
    let cases =
        [("1", "1"), ("-1", "-1"), ("1&2", "1 & 2"), ("1|-3", "1 | -3"), ("1 iff 2", "1 iff 2"), ("1 IF 2", "1 if 2"), ("1, -3", "1 & -3")];
    for (text, canon) in cases {
        let s = Statement::parse(text).unwrap();
        assert_eq!(s.expr().to_text(), canon, "{text}");
    }
    // `q if p` is p → q: false only where p holds and q does not.
    let s = Statement::parse("2 if 3").unwrap();
    let eval = |taken: [bool; 3]| s.expr().eval(&|o| taken[o]);
    assert!(!eval([false, false, true]));
    assert!(eval([false, true, true]) && eval([false, false, false]) && eval([false, true, false]));
    assert!(matches!(Statement::parse("N-Y").unwrap().expr(), Expr::Pattern(_)));
    for bad in ["", "1 &", "0", "(1", "1 2", "x", "1 if 2 if 3", "99999999999999999999999"] {
        let e = Statement::parse(bad).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Parse { .. }), "{bad}: {e}");
    }
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(Statement::parse(&deep).is_err());
}

#[test]
fn validation_collects_every_error() {
    let spec = ConflictSpec {
        name: String::new(),
        dms: vec![DecisionMaker::new("a"), DecisionMaker::new("a")],
        structure: Structure::Options {
            options: vec![opt("x", 0, Reversibility::Both), opt("y", 5, Reversibility::Both)],
            constraints: vec![Constraint::AtLeastOne(vec![7])],
        },
        preferences: vec![],
        status_quo: None,
    };
    let errs = spec.validate().unwrap_err();
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert!(paths.contains(&"dms[1].id"), "{paths:?}");
    assert!(paths.contains(&"preferences"), "{paths:?}");
    assert!(paths.contains(&"options[1].dm"), "{paths:?}");
    assert!(paths.contains(&"constraints[0]"), "{paths:?}");
}
