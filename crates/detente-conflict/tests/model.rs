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

/// More than 64 options: states are multi-word bit vectors, numbered by decimal value.
#[test]
fn beyond_64_options() {
    let k = 70;
    let spec = ConflictSpec {
        name: "wide".into(),
        dms: vec![DecisionMaker::new("a"), DecisionMaker::new("b")],
        structure: Structure::Options {
            options: (0..k).map(|o| OptionDef::new(format!("o{o}"), usize::from(o >= 35))).collect(),
            constraints: vec![Constraint::ExactlyOne((0..k).collect())],
        },
        preferences: vec![
            Preference::Cardinal((1..=k).map(|s| (StateRef::Number(s), s as f64)).collect()),
            Preference::Cardinal((1..=k).map(|s| (StateRef::Number(s), -(s as f64))).collect()),
        ],
        status_quo: Some(StateRef::Number(1)),
    };
    let c = spec.validate().expect("valid");
    let g = c.graph();
    assert_eq!(g.n_states(), k);
    for s in 0..k {
        assert!(g.option_taken(s, s), "state {} takes option {}", s + 1, s + 1);
        assert_eq!(g.find_state(g.state_bits(s)), Some(s));
    }
    assert_eq!(g.decimal(63), Some(1 << 63));
    assert_eq!(g.decimal(64), None);
    // a switches among its own options only when one of them is taken.
    assert_eq!(g.moves(0, 0).len(), 34);
    assert!(g.moves(0, 40).is_empty());
    let r = analyze(&c, &AnalysisOptions::default()).expect("analysis");
    assert_eq!(r.states[69].label.len(), 70);
}

proptest::proptest! {
    /// The parsers never panic, whatever the text.
    #[test]
    fn parsers_never_panic(text in "\\PC{0,40}", picked in "[-0-9&|,()! ifIFYN]{0,30}") {
        let _ = Statement::parse(&text);
        let _ = Statement::parse(&picked);
        let _ = Pattern::parse(&text);
        let _ = Pattern::parse(&picked);
    }
}

/// A statement's text parses back to its formula (patterns inside compounds included).
#[test]
fn statement_text_round_trips() {
    let stmts = [
        Statement::from_conditions(vec![vec![Literal::yes(0), Literal::no(2)], vec![Literal::no(1)]]),
        Statement::from_expr(Expr::Or(vec![Expr::Pattern(Pattern::parse("N-Y").unwrap()), Expr::Pattern(Pattern::parse("Y--").unwrap())])),
        Statement::from_expr(Expr::Implies(Box::new(Expr::Lit(Literal::yes(2))), Box::new(Expr::Lit(Literal::no(1))))),
        Statement::parse("(1 | 2) & -3 iff 4").unwrap(),
    ];
    for s in stmts {
        let back = Statement::parse(s.text()).unwrap_or_else(|e| panic!("{}: {e}", s.text()));
        assert_eq!(back.expr(), s.expr(), "{}", s.text());
        let json = serde_json::to_string(&s).unwrap();
        let again: Statement = serde_json::from_str(&json).unwrap();
        assert_eq!(again.expr(), s.expr());
    }
    assert!(Statement::parse("N-Y | YN-").is_ok());
    assert!(Statement::parse("maybe").is_err());
}
