//! Property tests against a brute-force solver written straight from the definitions
//! (spec §1.3 and §2.2): the coalition reachable set `R_H(s)` and its last-mover sets
//! `Ω_H(s,t)` computed by iterating the two inductive rules to a fixpoint, and each concept's
//! quantifiers evaluated literally.

use std::collections::BTreeSet;

use detente_conflict::*;
use proptest::prelude::*;

/// A random graph-form model: `moves[d][s]` targets, `util[d][s]` utilities (ties likely).
#[derive(Debug, Clone)]
struct Model {
    n: usize,
    moves: Vec<Vec<Vec<usize>>>,
    util: Vec<Vec<u8>>,
}

fn model() -> impl Strategy<Value = Model> {
    (2usize..=4, 1usize..=7).prop_flat_map(|(dms, n)| {
        let moves = proptest::collection::vec(proptest::collection::vec(proptest::collection::vec(0..n, 0..3), n), dms);
        let util = proptest::collection::vec(proptest::collection::vec(0u8..4, n), dms);
        (Just(n), moves, util).prop_map(|(n, moves, util)| {
            let moves = moves
                .into_iter()
                .map(|per| {
                    per.into_iter()
                        .enumerate()
                        .map(|(s, ts)| ts.into_iter().filter(|&t| t != s).collect::<BTreeSet<_>>().into_iter().collect())
                        .collect()
                })
                .collect();
            Model { n, moves, util }
        })
    })
}

fn conflict(m: &Model) -> Conflict {
    let dms = m.moves.len();
    ConflictSpec {
        name: "random".into(),
        dms: (0..dms).map(|d| DecisionMaker::new(format!("dm{d}"))).collect(),
        structure: Structure::Graph {
            states: (0..m.n).map(|s| StateDef { id: format!("s{}", s + 1), name: String::new(), pattern: None }).collect(),
            moves_by_dm: m
                .moves
                .iter()
                .map(|per| per.iter().enumerate().flat_map(|(s, ts)| ts.iter().map(move |&t| (s + 1, t + 1))).collect())
                .collect(),
        },
        preferences: m
            .util
            .iter()
            .map(|u| Preference::Cardinal(u.iter().enumerate().map(|(s, &x)| (StateRef::Number(s + 1), x as f64)).collect()))
            .collect(),
        status_quo: Some(StateRef::Number(1)),
    }
    .validate()
    .expect("valid random model")
}

/// R_H(s) by the inductive definition: pairs (t, j) with j ∈ Ω_H(s, t), to a fixpoint.
/// With `ui_only`, each move must be a UI of its mover from where it is made.
fn brute_reach(m: &Model, h: &[usize], s: usize, ui_only: bool) -> BTreeSet<usize> {
    let ok = |j: usize, from: usize, to: usize| !ui_only || m.util[j][to] > m.util[j][from];
    let mut omega: BTreeSet<(usize, usize)> = BTreeSet::new();
    for &j in h {
        for &t in &m.moves[j][s] {
            if ok(j, s, t) {
                omega.insert((t, j));
            }
        }
    }
    loop {
        let mut added = false;
        let snapshot: Vec<(usize, usize)> = omega.iter().copied().collect();
        for &(t, _) in &snapshot {
            // Ω_H(s, t) as a set.
            let lasts: BTreeSet<usize> = snapshot.iter().filter(|(x, _)| *x == t).map(|&(_, j)| j).collect();
            for &j in h {
                if lasts.len() == 1 && lasts.contains(&j) {
                    continue;
                }
                for &u in &m.moves[j][t] {
                    if ok(j, t, u) && omega.insert((u, j)) {
                        added = true;
                    }
                }
            }
        }
        if !added {
            return omega.into_iter().map(|(t, _)| t).collect();
        }
    }
}

/// Per concept (Nash, GMR, SMR, SEQ), the brute-force stable flag of s for i.
fn brute(m: &Model, i: usize, s: usize) -> [bool; 4] {
    let dms = m.moves.len();
    let others: Vec<usize> = (0..dms).filter(|&j| j != i).collect();
    let u = &m.util[i];
    let uis: Vec<usize> = m.moves[i][s].iter().copied().filter(|&t| u[t] > u[s]).collect();
    let nash = uis.is_empty();
    let gmr = uis.iter().all(|&s1| brute_reach(m, &others, s1, false).iter().any(|&s2| u[s2] <= u[s]));
    let smr = uis
        .iter()
        .all(|&s1| brute_reach(m, &others, s1, false).iter().any(|&s2| u[s2] <= u[s] && m.moves[i][s2].iter().all(|&s3| u[s3] <= u[s])));
    let seq = uis.iter().all(|&s1| brute_reach(m, &others, s1, true).iter().any(|&s2| u[s2] <= u[s]));
    [nash, gmr, smr, seq]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The fast engine, the direct engine and the explanations all equal the brute force.
    #[test]
    fn engines_equal_brute_force(m in model()) {
        let c = conflict(&m);
        let fast = individual_stability(c.graph());
        let direct = Movers::individuals(&c);
        for i in 0..m.moves.len() {
            for s in 0..m.n {
                let b = brute(&m, i, s);
                for (k, &concept) in Concept::CORE.iter().enumerate() {
                    prop_assert_eq!(fast.flags[i][k][s], b[k], "fast {} dm{} state {}", concept, i, s + 1);
                    prop_assert_eq!(direct.is_stable(i, s, concept), Some(b[k]), "direct {} dm{} state {}", concept, i, s + 1);
                    let e = detente_conflict::explain::explain(&c, &direct, i, s, concept).expect("explanation");
                    prop_assert_eq!(e.stable, b[k]);
                    // Every sanction path is legal and ends no better for i.
                    for imp in &e.improvements {
                        if let Some(path) = &imp.sanction {
                            prop_assert!(!path.is_empty());
                            let last = path.last().expect("step").to - 1;
                            prop_assert!(m.util[i][last] <= m.util[i][s]);
                            for w in path.windows(2) {
                                prop_assert_ne!(&w[0].mover, &w[1].mover);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Status quo: the states reachable from state 1 by legal paths (any moves, and UIs only)
    /// are `R_N(1)` and `R⁺_N(1)` of the brute force, plus state 1; the paths are legal and
    /// follow the moves; coalition improvements are `R_H(s)` filtered.
    #[test]
    fn status_quo_reach_equals_brute_force(m in model()) {
        let c = conflict(&m);
        let r = analyze(&c, &AnalysisOptions::default()).expect("analysis");
        let sq = r.status_quo.as_ref().expect("status quo");
        let dms: Vec<usize> = (0..m.moves.len()).collect();
        let name = |d: usize| format!("dm{d}");
        for ui_only in [false, true] {
            let mut want = brute_reach(&m, &dms, 0, ui_only);
            want.insert(0);
            let got: BTreeSet<usize> = if ui_only {
                sq.by_improvements.iter().map(|p| p.state - 1).collect()
            } else {
                sq.steps_any_moves.keys().map(|s| s - 1).collect()
            };
            prop_assert_eq!(got, want);
        }
        for p in &sq.by_improvements {
            let mut at = 0usize;
            for (k, st) in p.steps.iter().enumerate() {
                let d = dms.iter().copied().find(|&d| name(d) == st.mover).expect("mover");
                prop_assert!(m.moves[d][at].contains(&(st.to - 1)));
                prop_assert!(m.util[d][st.to - 1] > m.util[d][at]);
                if k > 0 {
                    prop_assert_ne!(&p.steps[k - 1].mover, &st.mover);
                }
                at = st.to - 1;
            }
            prop_assert_eq!(at + 1, p.state);
        }
        if let Some(imps) = r.coalitions.as_ref().and_then(|c| c.improvements.as_ref()) {
            for imp in imps {
                let h: Vec<usize> = imp.coalition.iter().map(|id| id[2..].parse::<usize>().expect("dm id")).collect();
                let want: Vec<usize> = brute_reach(&m, &h, imp.from - 1, false)
                    .into_iter()
                    .filter(|&t| h.iter().all(|&k| m.util[k][t] > m.util[k][imp.from - 1]))
                    .map(|t| t + 1)
                    .collect();
                prop_assert_eq!(&imp.to, &want);
            }
        }
    }

    /// Nash ⊆ SEQ ⊆ GMR and Nash ⊆ SMR ⊆ GMR, per DM.
    #[test]
    fn inclusions(m in model()) {
        let c = conflict(&m);
        let r = analyze(&c, &AnalysisOptions::default()).expect("analysis");
        for d in 0..m.moves.len() {
            let set = |k: Concept| r.stable_states(d, k).iter().copied().collect::<BTreeSet<_>>();
            let (nash, gmr, smr, seq) = (set(Concept::Nash), set(Concept::Gmr), set(Concept::Smr), set(Concept::Seq));
            prop_assert!(nash.is_subset(&seq) && seq.is_subset(&gmr));
            prop_assert!(nash.is_subset(&smr) && smr.is_subset(&gmr));
        }
    }

    /// Renaming (reordering) the DMs permutes the per-DM results and keeps the equilibria.
    #[test]
    fn invariant_under_dm_order(m in model(), rot in 0usize..4) {
        let dms = m.moves.len();
        let perm: Vec<usize> = (0..dms).map(|d| (d + rot) % dms).collect();
        let p = Model { n: m.n, moves: perm.iter().map(|&d| m.moves[d].clone()).collect(), util: perm.iter().map(|&d| m.util[d].clone()).collect() };
        let (a, b) = (analyze(&conflict(&m), &AnalysisOptions::default()).expect("a"), analyze(&conflict(&p), &AnalysisOptions::default()).expect("b"));
        for c in Concept::CORE {
            prop_assert_eq!(a.equilibria(c), b.equilibria(c));
            for (k, &d) in perm.iter().enumerate() {
                prop_assert_eq!(a.stable_states(d, c), b.stable_states(k, c));
            }
        }
    }
}

/// A random option-form model: `owner[o]`, infeasible patterns, utilities per full pattern.
#[derive(Debug, Clone)]
struct OptModel {
    dms: usize,
    owner: Vec<usize>,
    rev: Vec<u8>,
    infeasible: Vec<Vec<Option<bool>>>,
    util: Vec<Vec<u8>>, // per DM, per assignment (index = Σ bit o · 2^o)
}

fn opt_model() -> impl Strategy<Value = OptModel> {
    (2usize..=3, 2usize..=5).prop_flat_map(|(dms, k)| {
        let owner = proptest::collection::vec(0..dms, k).prop_map(move |mut o| {
            // every DM controls an option
            o.iter_mut().enumerate().take(dms).for_each(|(d, x)| *x = d);
            o
        });
        let rev = proptest::collection::vec(0u8..3, k);
        let infeasible = proptest::collection::vec(proptest::collection::vec(proptest::option::weighted(0.4, any::<bool>()), k), 0..3);
        let util = proptest::collection::vec(proptest::collection::vec(0u8..5, 1 << k), dms);
        (Just(dms), owner, rev, infeasible, util).prop_map(|(dms, owner, rev, infeasible, util)| OptModel {
            dms,
            owner,
            rev,
            infeasible,
            util,
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Reordering the options renumbers the states but not what is stable (SIM included).
    #[test]
    fn invariant_under_option_order(m in opt_model(), seed in any::<u64>()) {
        let k = m.owner.len();
        let mut order: Vec<usize> = (0..k).collect();
        let mut x = seed;
        for i in (1..k).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(i, (x >> 33) as usize % (i + 1));
        }
        let ident: Vec<usize> = (0..k).collect();
        let (Some(a), Some(b)) = (opt_conflict_feasible(&m, &ident), opt_conflict_feasible(&m, &order)) else { return Ok(()) };
        let ra = analyze(&a, &AnalysisOptions::default()).expect("a");
        let rb = analyze(&b, &AnalysisOptions::default()).expect("b");
        // State key: the assignment in original option order.
        let key_a = |s: usize| (0..k).map(|o| a.graph().option_taken(s - 1, o)).collect::<Vec<_>>();
        let key_b = |s: usize| { let mut v = vec![false; k]; for (pos, &o) in order.iter().enumerate() { v[o] = b.graph().option_taken(s - 1, pos); } v };
        for c in Concept::ALL {
            for d in 0..m.dms {
                let sa: BTreeSet<Vec<bool>> = ra.stable_states(d, c).iter().map(|&s| key_a(s)).collect();
                let sb: BTreeSet<Vec<bool>> = rb.stable_states(d, c).iter().map(|&s| key_b(s)).collect();
                prop_assert_eq!(sa, sb, "{} dm{}", c, d);
            }
        }
    }
}

fn opt_conflict_feasible(m: &OptModel, order: &[usize]) -> Option<Conflict> {
    // Build once to learn the feasible states, then give utilities for those only.
    let k = m.owner.len();
    let probe = ConflictSpec {
        name: String::new(),
        dms: (0..m.dms).map(|d| DecisionMaker::new(format!("dm{d}"))).collect(),
        structure: Structure::Options {
            options: order.iter().map(|&o| OptionDef::new(format!("o{o}"), m.owner[o])).collect(),
            constraints: m.infeasible.iter().map(|p| Constraint::Infeasible(Pattern(order.iter().map(|&o| p[o]).collect()))).collect(),
        },
        preferences: (0..m.dms).map(|_| Preference::Prioritization(vec![])).collect(),
        status_quo: None,
    }
    .validate()
    .ok()?;
    let g = probe.graph();
    let feasible: BTreeSet<usize> =
        (0..g.n_states()).map(|s| (0..k).filter(|&pos| g.option_taken(s, pos)).map(|pos| 1usize << order[pos]).sum()).collect();
    // Utilities are given for the feasible assignments only.
    opt_conflict_subset(m, order, &feasible)
}

fn opt_conflict_subset(m: &OptModel, order: &[usize], feasible: &BTreeSet<usize>) -> Option<Conflict> {
    let options = order
        .iter()
        .map(|&o| OptionDef {
            id: format!("o{o}"),
            name: format!("option {o}"),
            dm: m.owner[o],
            reversibility: [Reversibility::Both, Reversibility::OnlyOn, Reversibility::OnlyOff][m.rev[o] as usize],
        })
        .collect();
    let constraints = m.infeasible.iter().map(|p| Constraint::Infeasible(Pattern(order.iter().map(|&o| p[o]).collect()))).collect();
    let preferences = (0..m.dms)
        .map(|d| {
            Preference::Cardinal(
                feasible
                    .iter()
                    .map(|&a| (StateRef::Pattern(Pattern(order.iter().map(|&o| Some(a >> o & 1 == 1)).collect())), m.util[d][a] as f64))
                    .collect(),
            )
        })
        .collect();
    ConflictSpec {
        name: "random options".into(),
        dms: (0..m.dms).map(|d| DecisionMaker::new(format!("dm{d}"))).collect(),
        structure: Structure::Options { options, constraints },
        preferences,
        status_quo: None,
    }
    .validate()
    .ok()
}

/// Arbitrary (mostly invalid) specs: validation and analysis return errors, never panic.
fn garbage_spec() -> impl Strategy<Value = (ConflictSpec, Option<Vec<Vec<usize>>>)> {
    let dms = 0usize..4;
    let opts = proptest::collection::vec((0usize..5, 0u8..3), 0..6);
    let cons = proptest::collection::vec((0u8..6, proptest::collection::vec(0usize..7, 0..4), "[YN-]{0,7}"), 0..3);
    let refs = proptest::collection::vec(proptest::collection::vec((0u8..3, 0usize..40, "[YN-]{0,6}"), 0..4), 0..8);
    let graph = proptest::option::of(proptest::collection::vec(proptest::collection::vec((0usize..6, 0usize..6), 0..6), 0..4));
    let coal = proptest::option::of(proptest::collection::vec(proptest::collection::vec(0usize..4, 0..3), 0..4));
    let sq = proptest::option::of(0usize..10);
    (dms, opts, cons, refs, graph, coal, sq, 0u8..3).prop_map(|(dms, opts, cons, refs, graph, coal, sq, kind)| {
        let sref = |(k, n, p): (u8, usize, String)| match k {
            0 => StateRef::Number(n),
            1 => StateRef::Id(format!("s{n}")),
            _ => StateRef::Pattern(Pattern::parse(&p).unwrap_or(Pattern(vec![]))),
        };
        let structure = match graph {
            Some(moves) => Structure::Graph {
                states: (1..=5).map(|s| StateDef { id: format!("s{s}"), name: String::new(), pattern: None }).collect(),
                moves_by_dm: moves,
            },
            None => Structure::Options {
                options: opts
                    .iter()
                    .enumerate()
                    .map(|(o, &(dm, r))| OptionDef {
                        id: format!("o{o}"),
                        name: String::new(),
                        dm,
                        reversibility: [Reversibility::Both, Reversibility::OnlyOn, Reversibility::OnlyOff][r as usize],
                    })
                    .collect(),
                constraints: cons
                    .into_iter()
                    .map(|(k, v, p)| match k {
                        0 => Constraint::MutuallyExclusive(v),
                        1 => Constraint::AtLeastOne(v),
                        2 => Constraint::ExactlyOne(v),
                        3 => Constraint::Dependency {
                            if_: Literal::yes(v.first().copied().unwrap_or(9)),
                            then: Literal::no(v.last().copied().unwrap_or(0)),
                        },
                        4 => Constraint::Infeasible(Pattern::parse(&p).unwrap_or(Pattern(vec![]))),
                        _ => Constraint::Require(Expr::Or(v.into_iter().map(|o| Expr::Lit(Literal::yes(o))).collect())),
                    })
                    .collect(),
            },
        };
        let preferences = (0..dms)
            .map(|d| match if kind == 2 { 2 } else { (kind + d as u8) % 3 } {
                0 => Preference::Ranking(refs.iter().cloned().map(|c| c.into_iter().map(sref).collect()).collect()),
                1 => Preference::Cardinal(refs.iter().flatten().cloned().enumerate().map(|(i, r)| (sref(r), i as f64)).collect()),
                _ => Preference::Prioritization(["1", "-2", "1 | 3", "NY-"].iter().filter_map(|t| Statement::parse(t).ok()).collect()),
            })
            .collect();
        let spec = ConflictSpec {
            name: String::new(),
            dms: (0..dms).map(|d| DecisionMaker::new(format!("d{d}"))).collect(),
            structure,
            preferences,
            status_quo: sq.map(StateRef::Number),
        };
        (spec, coal)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn garbage_never_panics((spec, coal) in garbage_spec()) {
        if let Ok(c) = spec.validate() {
            let opts = AnalysisOptions { coalitions: coal, explain: ExplainScope::All, ..AnalysisOptions::default() };
            if let Ok(r) = analyze(&c, &opts) {
                prop_assert_eq!(r.states.len(), c.graph().n_states());
                let _ = serde_json::to_string(&r).expect("serialises");
                for e in &r.explanations {
                    let _ = e.describe();
                }
            }
        }
    }
}
