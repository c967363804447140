//! The exchange model (Equal Gain): round-0 means, hand-computed exchanges, the tie-break seed and
//! the gain/range properties.

use detente_forecast::exchange::{run_exchange, ExchangeParams, ExchangeRun};
use detente_forecast::{forecast_table, ForecastTable, IssueShape, Model, TableActor, TableIssue};
use proptest::prelude::*;

/// One actor: `(id, capability, [(x, s); issues])`.
type Row<'a> = (&'a str, f64, Vec<(f64, f64)>);

/// A table over issues `p`, `q`, ...
fn table(rows: &[Row<'_>]) -> ForecastTable {
    let n = rows.first().map_or(0, |r| r.2.len());
    ForecastTable {
        issues: (0..n).map(|k| TableIssue::new(["p", "q", "r", "t"][k % 4], IssueShape::Continuous)).collect(),
        actors: rows
            .iter()
            .map(|(id, c, cells)| TableActor { id: id.to_string(), capability: *c, cells: cells.iter().map(|&v| Some(v)).collect() })
            .collect(),
        left_out: vec![],
        salience: Default::default(),
    }
}

fn run(t: &ForecastTable, params: &ExchangeParams) -> ExchangeRun {
    run_exchange(t, &(0..t.issues.len()).collect::<Vec<_>>(), params).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn round_zero_is_the_weighted_mean_per_issue() {
    let t = table(&[
        ("a", 2.0, vec![(10.0, 0.5), (90.0, 0.25)]),
        ("b", 1.0, vec![(60.0, 1.0), (30.0, 0.75)]),
        ("c", 4.0, vec![(35.0, 0.25), (0.0, 0.5)]),
    ]);
    let r = run(&t, &ExchangeParams::default());
    // p: (10·1 + 60·1 + 35·1) / 3 = 35; q: (90·0.5 + 30·0.75 + 0·2) / 3.25.
    assert!(close(r.initial_mean[0], 35.0), "{:?}", r.initial_mean);
    assert!(close(r.initial_mean[1], (45.0 + 22.5) / 3.25), "{:?}", r.initial_mean);
    let mean = forecast_table(&t, &Model::Mean).unwrap();
    for (d, f) in mean.issues.iter().enumerate() {
        assert!(close(r.initial_mean[d], f.value));
    }
}

/// A at 0 cares about p (s_p/s_q = 2), B at 100 about q (0.4): B moves on p all the way to A, the
/// mean of p reaches A (dp = 100·0.2/0.8 = 25); equal gains (k = (0.6+0.2)/(0.3+0.5) = 1) give
/// dq = 25, so A moves on q by 25·0.8/0.3 = 66.67; each gains 25·0.6 − 25·0.3 = 7.5.
#[test]
fn equal_gain_supplier_of_p_moves_all_the_way() {
    let t = table(&[("a", 1.0, vec![(0.0, 0.6), (0.0, 0.3)]), ("b", 1.0, vec![(100.0, 0.2), (100.0, 0.5)])]);
    let r = run(&t, &ExchangeParams { rounds: 1, ..Default::default() });
    assert_eq!(r.rounds.len(), 1);
    let e = &r.rounds[0].exchanges;
    assert_eq!(e.len(), 1, "{e:?}");
    let [a, b] = &e[0].moves;
    assert_eq!((a.actor.as_str(), a.issue.as_str(), b.actor.as_str(), b.issue.as_str()), ("a", "q", "b", "p"));
    assert!(close(a.from, 0.0) && close(a.to, 200.0 / 3.0), "{a:?}");
    assert!(close(b.from, 100.0) && close(b.to, 0.0), "{b:?}");
    assert!(close(a.mean_shift, 25.0) && close(b.mean_shift, 25.0));
    assert!(close(e[0].gain, 7.5), "{}", e[0].gain);
    assert!(close(r.final_mean[0], 0.0) && close(r.final_mean[1], 87.5), "{:?}", r.final_mean);
    assert_eq!(r.trades(), vec!["round 1: a moves on q toward b (0.0 → 66.7); b moves on p toward a (100.0 → 0.0)".to_string()]);
}

/// When A's matching move would pass B (k = (0.9+0.5)/(0.1+0.5) = 7/3), A moves all the way on q
/// instead: dq = 100·0.1/0.6 = 50/3, dp = dq·3/7 = 50/7, B moves 50/7·1.4/0.5 = 20 on p; the gain is
/// 0.9·50/7 − 0.1·50/3 = 100/21. The next start positions follow Decide's rule: B on p
/// 0.3·80 + 0.7·100 = 94, A on q 0.46·100 = 46.
#[test]
fn equal_gain_supplier_of_q_moves_all_the_way_when_the_other_would_overshoot() {
    let t = table(&[("a", 1.0, vec![(0.0, 0.9), (0.0, 0.1)]), ("b", 1.0, vec![(100.0, 0.5), (100.0, 0.5)])]);
    let r = run(&t, &ExchangeParams { rounds: 2, ..Default::default() });
    let [a, b] = &r.rounds[0].exchanges[0].moves;
    assert!(close(a.to, 100.0) && close(b.to, 80.0), "{a:?} {b:?}");
    assert!(close(r.rounds[0].exchanges[0].gain, 100.0 / 21.0));
    assert!(close(r.rounds[0].mean[0], 40.0 / 1.4) && close(r.rounds[0].mean[1], 100.0), "{:?}", r.rounds[0].mean);
    // Round 2 starts from the blended positions: the first move of each is from there.
    let second = &r.rounds[1].exchanges[0].moves;
    assert!(close(second[0].from, 46.0) && close(second[1].from, 94.0), "{second:?}");
}

#[test]
fn equal_salience_ratios_allow_no_exchange() {
    let t = table(&[("a", 1.0, vec![(0.0, 0.6), (0.0, 0.3)]), ("b", 3.0, vec![(100.0, 0.4), (100.0, 0.2)])]);
    let r = run(&t, &ExchangeParams::default());
    assert!(r.rounds.is_empty());
    assert_eq!(r.final_mean, r.initial_mean);
    let f = forecast_table(&t, &Model::Exchange(ExchangeParams::default())).unwrap();
    assert!(close(f.issues[0].value, 100.0 * 0.4 * 3.0 / (0.6 + 1.2)), "{:?}", f.issues[0]);
    assert!(f.exchange.as_ref().is_some_and(|e| e.trades().is_empty()));
}

/// Actors on the same side of the mean on an issue never trade.
#[test]
fn actors_on_one_side_do_not_trade() {
    let t = table(&[
        ("a", 1.0, vec![(0.0, 0.9), (0.0, 0.1)]),
        ("b", 1.0, vec![(10.0, 0.1), (100.0, 0.9)]),
        ("c", 9.0, vec![(90.0, 0.5), (50.0, 0.5)]),
    ]);
    let r = run(&t, &ExchangeParams { rounds: 1, ..Default::default() });
    for e in r.rounds.iter().flat_map(|r| &r.exchanges) {
        assert!(!(e.moves.iter().any(|m| m.actor == "a") && e.moves.iter().any(|m| m.actor == "b")), "{e:?}");
    }
}

/// As in Decide, an actor may take part in several exchanges in one round: A trades with B and
/// then with C (the highest gain first); B and C are twins, so the order is the seed's. The first
/// trade (k = 0.9/1.1): the twin moves on p all the way to 0 (dp = 100·0.3/1.2 = 25), A moves on q
/// by dq·1.8/0.4 with dq = 25·0.9/1.1; the second: A moves on q again, the same way, until the
/// mean of q reaches the other twin's position (100).
#[test]
fn an_actor_may_trade_several_times_a_round_and_ties_follow_the_seed() {
    let t = table(&[
        ("a", 1.0, vec![(0.0, 0.6), (0.0, 0.4)]),
        ("b", 1.0, vec![(100.0, 0.3), (100.0, 0.7)]),
        ("c", 1.0, vec![(100.0, 0.3), (100.0, 0.7)]),
    ]);
    let mut firsts = std::collections::BTreeSet::new();
    for seed in 0..16 {
        let params = ExchangeParams { rounds: 1, seed, ..Default::default() };
        let r = run(&t, &params);
        assert_eq!(r, run(&t, &params), "same seed, same run");
        let round = &r.rounds[0];
        let with_a = round.exchanges.iter().filter(|e| e.moves.iter().any(|m| m.actor == "a")).count();
        assert_eq!(with_a, 2, "{:?}", round.exchanges);
        let first = &round.exchanges[0].moves;
        assert!(close(first[1].to, 0.0) && close(first[0].to, 25.0 * 0.9 / 1.1 * 1.8 / 0.4), "{first:?}");
        assert!(close(round.exchanges[0].gain, 25.0 * 0.6 - 25.0 * 0.9 / 1.1 * 0.4));
        let second = &round.exchanges[1].moves;
        assert!(second[0].actor == "a" && second[0].from == first[0].to && second[0].to > second[0].from, "{second:?}");
        assert!(close(round.mean[1], 100.0), "{:?}", round.mean);
        assert!(r.ties >= 1);
        firsts.insert(round.exchanges[0].moves.iter().find(|m| m.actor != "a").map(|m| m.actor.clone()).unwrap());
        // Gains are realised highest first at the time of choosing: the first is the largest.
        assert!(round.exchanges.iter().all(|e| e.gain <= round.exchanges[0].gain + 1e-12));
    }
    assert_eq!(firsts.into_iter().collect::<Vec<_>>(), vec!["b".to_string(), "c".to_string()], "both twins go first for some seed");
}

#[test]
fn bad_parameters_and_inputs_are_errors_not_panics() {
    let t = table(&[("a", 1.0, vec![(0.0, 0.9), (0.0, 0.1)]), ("b", 1.0, vec![(100.0, 0.5), (100.0, 0.5)])]);
    assert!(run_exchange(&t, &[0, 1], &ExchangeParams { fixed_weight: 0.8, ..Default::default() }).is_err());
    assert!(run_exchange(&t, &[0, 7], &ExchangeParams::default()).is_err());
    let bad = table(&[("a", 1.0, vec![(120.0, 0.9), (0.0, 0.1)])]);
    assert!(run_exchange(&bad, &[0, 1], &ExchangeParams::default()).is_err());
    let none = table(&[("a", 0.0, vec![(10.0, 0.9), (0.0, 0.1)])]);
    assert!(run_exchange(&none, &[0, 1], &ExchangeParams::default()).is_err());
}

fn rows(max: usize, issues: usize) -> impl Strategy<Value = Vec<(f64, Vec<(f64, f64)>)>> {
    prop::collection::vec((0.1..=10.0f64, prop::collection::vec((0.0..=100.0f64, 0.0..=1.0f64), issues)), 2..=max)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every exchange makes both parties gain the same positive amount, from the shifts of the
    /// means their moves cause; every position stays on 0–100; the same seed gives the same run.
    #[test]
    fn every_exchange_is_an_equal_positive_gain(rs in rows(6, 3), seed in any::<u64>()) {
        let names: Vec<String> = (0..rs.len()).map(|i| format!("x{i}")).collect();
        let borrowed: Vec<Row<'_>> = names.iter().zip(&rs).map(|(n, (c, v))| (n.as_str(), *c, v.clone())).collect();
        let t = table(&borrowed);
        let params = ExchangeParams { seed, ..Default::default() };
        let Ok(r) = run_exchange(&t, &[0, 1, 2], &params) else { return Ok(()) };
        prop_assert_eq!(&r, &run_exchange(&t, &[0, 1, 2], &params).unwrap());
        let sal = |actor: &str, issue: &str| {
            let a = t.actor_index(actor).unwrap();
            t.actors[a].cells[t.issue_index(issue).unwrap()].unwrap().1
        };
        for round in &r.rounds {
            for e in &round.exchanges {
                prop_assert!(e.gain > 0.0);
                let [mi, mj] = &e.moves;
                // i moved on q (its supply issue), j on p: i gains dp·s_ip − dq·s_iq.
                let gi = mj.mean_shift * sal(&mi.actor, &mj.issue) - mi.mean_shift * sal(&mi.actor, &mi.issue);
                let gj = mi.mean_shift * sal(&mj.actor, &mi.issue) - mj.mean_shift * sal(&mj.actor, &mj.issue);
                prop_assert!((gi - e.gain).abs() < 1e-6 && (gj - e.gain).abs() < 1e-6, "{:?} {} {}", e, gi, gj);
                for m in [mi, mj] {
                    prop_assert!((0.0..=100.0).contains(&m.to) && m.to != m.from);
                }
            }
            for x in round.positions.iter().flatten().flatten() {
                prop_assert!((0.0..=100.0).contains(x));
            }
            for m in &round.mean {
                prop_assert!((0.0..=100.0 + 1e-9).contains(m));
            }
        }
    }
}
