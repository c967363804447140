//! The tournament summary against a brute-force oracle (every value kept, two-pass moments),
//! against hand-computed Welch and Holm examples, and against a small real tournament.

use detente_tournament::summary::{holm, welch, Moments};
use detente_tournament::{parse_negotiators, Estimate, Prepared, Record, SeatRecord, Status, Summary, SummaryBuilder, Tournament};
use proptest::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

const NEGOTIATORS: [&str; 3] = ["boulware", "conceder", "linear"];
const SCENARIOS: [&str; 2] = ["s0", "s1"];

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A seat's outcome: negotiator index, utility, reservation.
type Seat = (usize, f64, f64);

fn record(index: u64, scenario: usize, status: Status, round: u32, quality: [Option<f64>; 4], seats: &[Seat]) -> Record {
    let refused = status == Status::Refused;
    let agreed = status == Status::Agreed;
    let keep = |x: Option<f64>| if refused { None } else { x };
    Record {
        index,
        scenario: SCENARIOS[scenario].to_string(),
        scenario_index: scenario as u64,
        seating: 0,
        opener: 0,
        repetition: 0,
        seed: 0,
        protocol: "alternating".into(),
        status,
        reason: None,
        agreement: agreed,
        round: agreed.then_some(round),
        rounds: if refused { 0 } else { round },
        deadline: 100,
        outcome_index: None,
        deal: None,
        welfare: keep(quality[0]),
        pareto_distance: keep(quality[1]),
        nash_distance: keep(quality[2]),
        ks_distance: keep(quality[3]),
        seats: seats
            .iter()
            .enumerate()
            .map(|(k, &(n, u, r))| SeatRecord {
                actor: format!("a{k}"),
                negotiator: NEGOTIATORS[n].to_string(),
                utility: keep(Some(u)),
                reservation: keep(Some(r)),
                advantage: keep(Some(u - r)),
                score: keep(Some(detente_tournament::negmas_advantage(u, r, (0.0, 1.0)))),
            })
            .collect(),
    }
}

fn arb_record() -> impl Strategy<Value = (usize, Status, u32, [Option<f64>; 4], Vec<Seat>)> {
    let status = prop_oneof![
        4 => Just(Status::Agreed),
        2 => Just(Status::TimedOut),
        1 => Just(Status::Broken),
        1 => Just(Status::Errored),
        1 => Just(Status::Refused),
    ];
    let q = proptest::option::weighted(0.8, 0.0..2.0f64);
    (
        0..SCENARIOS.len(),
        status,
        1..100u32,
        [q.clone(), q.clone(), q.clone(), q],
        prop::collection::vec((0..NEGOTIATORS.len(), 0.0..1.0f64, 0.0..0.6f64), 2..4),
    )
}

fn arb_records() -> impl Strategy<Value = Vec<Record>> {
    prop::collection::vec(arb_record(), 0..60)
        .prop_map(|v| v.into_iter().enumerate().map(|(i, (s, st, round, q, seats))| record(i as u64, s, st, round, q, &seats)).collect())
}

fn summarise<'a>(records: impl IntoIterator<Item = &'a Record>) -> Summary {
    let mut b = SummaryBuilder::new(&names(&NEGOTIATORS), &names(&SCENARIOS));
    for r in records {
        b.push(r);
    }
    b.finish()
}

/// Relative closeness, with a floor for values at zero.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-12)
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => close(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The oracle: mean, sample standard deviation and CI half-width of all `xs` at once.
fn oracle(xs: &[f64]) -> Estimate {
    let n = xs.len();
    let mean = (n > 0).then(|| xs.iter().sum::<f64>() / n as f64);
    let var = (n > 1).then(|| {
        let m = mean.unwrap();
        xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64
    });
    let std_dev = var.map(f64::sqrt);
    let ci = std_dev.map(|s| StudentsT::new(0.0, 1.0, (n - 1) as f64).unwrap().inverse_cdf(0.975) * s / (n as f64).sqrt());
    Estimate { n: n as u64, mean, std_dev, ci }
}

fn same(a: &Estimate, b: &Estimate) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.n, b.n);
    prop_assert!(close_opt(a.mean, b.mean), "mean {:?} vs {:?}", a.mean, b.mean);
    // a standard deviation of (numerically) zero is compared absolutely
    match (a.std_dev, b.std_dev) {
        (Some(x), Some(y)) if y < 1e-12 => prop_assert!(x < 1e-9),
        (x, y) => prop_assert!(close_opt(x, y), "sd {:?} vs {:?}", x, y),
    }
    match (a.ci, b.ci) {
        (Some(x), Some(y)) if y < 1e-12 => prop_assert!(x < 1e-9),
        (x, y) => prop_assert!(close_opt(x, y), "ci {:?} vs {:?}", x, y),
    }
    Ok(())
}

fn moments(xs: &[f64]) -> Moments {
    let mut m = Moments::new();
    xs.iter().for_each(|&x| m.push(x));
    m
}

/// Checks `s` against the records, recomputed from scratch.
fn check_against_oracle(s: &Summary, records: &[Record]) -> Result<(), TestCaseError> {
    let run: Vec<&Record> = records.iter().filter(|r| r.status != Status::Refused).collect();
    prop_assert_eq!(s.negotiations, records.len() as u64);
    for st in Status::ALL {
        prop_assert_eq!(s.statuses.get(st), records.iter().filter(|r| r.status == st).count() as u64);
    }
    let agreed = run.iter().filter(|r| r.agreement).count();
    prop_assert!(close_opt(s.agreement_rate, (!run.is_empty()).then(|| agreed as f64 / run.len() as f64)));

    let mut scores = Vec::new();
    for (k, name) in NEGOTIATORS.iter().enumerate() {
        let n = &s.negotiators[k];
        prop_assert_eq!(&n.negotiator, name);
        let seats: Vec<(&Record, &SeatRecord)> =
            records.iter().flat_map(|r| r.seats.iter().map(move |x| (r, x))).filter(|(_, x)| x.negotiator == *name).collect();
        prop_assert_eq!(n.seats, seats.len() as u64);
        prop_assert_eq!(n.statuses.refused, seats.iter().filter(|(r, _)| r.status == Status::Refused).count() as u64);
        prop_assert_eq!(n.statuses.errored, seats.iter().filter(|(r, _)| r.status == Status::Errored).count() as u64);
        let played: Vec<&SeatRecord> = seats.iter().filter(|(r, _)| r.status != Status::Refused).map(|(_, x)| *x).collect();
        let agreed = seats.iter().filter(|(r, _)| r.agreement).count();
        prop_assert!(close_opt(n.agreement_rate, (!played.is_empty()).then(|| agreed as f64 / played.len() as f64)));
        let utility: Vec<f64> = played.iter().map(|x| x.utility.unwrap()).collect();
        let advantage: Vec<f64> = played.iter().map(|x| x.advantage.unwrap()).collect();
        same(&n.utility, &oracle(&utility))?;
        same(&n.advantage, &oracle(&advantage))?;
        let score: Vec<f64> = played.iter().map(|x| x.score.unwrap()).collect();
        same(&n.scores, &oracle(&score))?;
        prop_assert!(close_opt(n.score, oracle(&score).mean));
        // negotiations it sat in, each once
        let sat: Vec<&Record> = records.iter().filter(|r| r.seats.iter().any(|x| x.negotiator == *name)).collect();
        prop_assert_eq!(n.negotiations, sat.len() as u64);
        let welfare: Vec<f64> = sat.iter().filter_map(|r| r.welfare).collect();
        let nash: Vec<f64> = sat.iter().filter_map(|r| r.nash_distance).collect();
        same(&n.welfare, &oracle(&welfare))?;
        same(&n.nash_distance, &oracle(&nash))?;
        scores.push(score);
    }
    // ranks: 1 + the number of strictly better scores
    for n in &s.negotiators {
        let better = s.negotiators.iter().filter(|o| o.score.zip(n.score).is_some_and(|(x, y)| x > y)).count() as u32;
        prop_assert_eq!(n.rank, n.score.map(|_| 1 + better));
    }
    // pairs: Welch from the two-pass moments, Holm over those tested
    prop_assert_eq!(s.pairs.len(), 3);
    let mut k = 0;
    let mut ps = Vec::new();
    for i in 0..NEGOTIATORS.len() {
        for j in i + 1..NEGOTIATORS.len() {
            let pair = &s.pairs[k];
            k += 1;
            prop_assert_eq!((&pair.a[..], &pair.b[..]), (NEGOTIATORS[i], NEGOTIATORS[j]));
            let (a, b) = (oracle(&scores[i]), oracle(&scores[j]));
            let want = match (a.std_dev, b.std_dev) {
                (Some(sa), Some(sb)) if sa > 1e-12 || sb > 1e-12 => {
                    let (qa, qb) = (sa * sa / a.n as f64, sb * sb / b.n as f64);
                    let t = (a.mean.unwrap() - b.mean.unwrap()) / (qa + qb).sqrt();
                    let df = (qa + qb).powi(2) / (qa * qa / (a.n - 1) as f64 + qb * qb / (b.n - 1) as f64);
                    Some((t, df))
                }
                _ => None,
            };
            match (&pair.test, want) {
                (Some(test), Some((t, df))) => {
                    prop_assert!(close(test.t, t), "t {} vs {}", test.t, t);
                    prop_assert!(close(test.df, df), "df {} vs {}", test.df, df);
                    prop_assert!(test.p.is_finite() && (0.0..=1.0).contains(&test.p));
                    ps.push(test.p);
                }
                (None, None) => {}
                (got, want) => prop_assert!(false, "test {:?} vs {:?}", got, want),
            }
        }
    }
    let adjusted = holm(&ps);
    for (test, p) in s.pairs.iter().filter_map(|p| p.test.as_ref()).zip(adjusted) {
        prop_assert_eq!(test.p_holm, p);
        prop_assert_eq!(test.significant, p < 0.05);
        prop_assert!(test.p_holm >= test.p);
    }
    // scenarios
    for (k, id) in SCENARIOS.iter().enumerate() {
        let sc = &s.scenarios[k];
        prop_assert_eq!(&sc.scenario, id);
        let on: Vec<&Record> = records.iter().filter(|r| r.scenario == *id).collect();
        prop_assert_eq!(sc.negotiations, on.len() as u64);
        prop_assert_eq!(sc.statuses.refused, on.iter().filter(|r| r.status == Status::Refused).count() as u64);
        let rounds: Vec<f64> = on.iter().filter(|r| r.agreement).map(|r| f64::from(r.round.unwrap())).collect();
        same(&sc.rounds, &oracle(&rounds))?;
        let ks: Vec<f64> = on.iter().filter_map(|r| r.ks_distance).collect();
        same(&sc.ks_distance, &oracle(&ks))?;
        let pareto: Vec<f64> = on.iter().filter_map(|r| r.pareto_distance).collect();
        same(&sc.pareto_distance, &oracle(&pareto))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every count, mean, standard deviation, interval, test and rank of the streaming builder
    /// equals the one computed from the full list of records.
    #[test]
    fn builder_matches_the_oracle(records in arb_records()) {
        let s = summarise(&records);
        check_against_oracle(&s, &records)?;
    }

    /// The records' order and how the pushes are split do not matter: the same records,
    /// shuffled and pushed through builders cloned at arbitrary chunk boundaries, give the same
    /// counts and, to rounding, the same numbers (the oracle holds for both).
    #[test]
    fn order_and_chunking_do_not_matter(
        (records, shuffled) in arb_records().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        cut in 1..20usize,
    ) {
        let mut b = SummaryBuilder::new(&names(&NEGOTIATORS), &names(&SCENARIOS));
        for chunk in shuffled.chunks(cut) {
            let mut next = b.clone();
            chunk.iter().for_each(|r| next.push(r));
            b = next;
        }
        let chunked = b.finish();
        check_against_oracle(&chunked, &records)?;
        let whole = summarise(&records);
        prop_assert_eq!(chunked.statuses, whole.statuses);
        for (x, y) in chunked.negotiators.iter().zip(&whole.negotiators) {
            prop_assert_eq!(x.seats, y.seats);
            prop_assert!(close_opt(x.score, y.score));
        }
    }

    /// The JSON (`summary.json`) reads back equal (so it holds no NaN: serde_json writes NaN as
    /// `null`, which reads back as `None` or fails).
    #[test]
    fn json_round_trips(records in arb_records()) {
        let s = summarise(&records);
        let text = serde_json::to_string(&s).unwrap();
        let back: Summary = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, s);
    }
}

/// Welch's test on a = [1, 2, 3, 4], b = [2, 4, 6, 8, 10], by hand (exact fractions):
/// mean_a = 5/2, s_a² = 5/3, s_a²/n_a = 5/12; mean_b = 6, s_b² = 10, s_b²/n_b = 2;
/// se² = 29/12, t = (5/2 − 6)/√(29/12) = −2.251436323159…;
/// df = (29/12)² / ((5/12)²/3 + 2²/4) = 2523/457 = 5.520787746170…;
/// p = 2·P(T_df > 2.2514…) = 0.069133593… (Simpson's rule on the t density, 2·10⁵ steps,
/// outside statrs; scipy was not at hand to cross-check).
#[test]
fn welch_by_hand() {
    let w = welch(&moments(&[1.0, 2.0, 3.0, 4.0]), &moments(&[2.0, 4.0, 6.0, 8.0, 10.0])).unwrap();
    assert!(close(w.t, -2.251_436_323_159_369_5), "{w:?}");
    assert!(close(w.df, 2523.0 / 457.0), "{w:?}");
    assert!((w.p - 0.069_133_593_192_393).abs() < 1e-9, "{w:?}");
    // symmetric
    let v = welch(&moments(&[2.0, 4.0, 6.0, 8.0, 10.0]), &moments(&[1.0, 2.0, 3.0, 4.0])).unwrap();
    assert!(close(v.t, -w.t) && close(v.p, w.p));
}

#[test]
fn welch_needs_two_values_and_some_variance() {
    assert_eq!(welch(&moments(&[1.0]), &moments(&[1.0, 2.0])), None);
    assert_eq!(welch(&moments(&[1.0, 1.0]), &moments(&[2.0, 2.0, 2.0])), None);
    // zero variance on one side only is a test
    let w = welch(&moments(&[1.0, 1.0]), &moments(&[1.0, 2.0, 3.0])).unwrap();
    assert!(close(w.t, -1.0 / (1.0f64 / 3.0).sqrt()) && close(w.df, 2.0));
}

/// Holm on p = (0.01, 0.04, 0.03, 0.005): sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06,
/// 0.04·1 = 0.04 → raised to 0.06 (monotone); back in the given order (0.03, 0.06, 0.06, 0.02).
#[test]
fn holm_by_hand() {
    let got = holm(&[0.01, 0.04, 0.03, 0.005]);
    for (g, w) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        assert!((g - w).abs() < 1e-15, "{got:?}");
    }
    assert_eq!(holm(&[0.5, 0.6]), vec![1.0, 1.0]);
    assert!(holm(&[]).is_empty());
}

/// t(0.975, 3) = 3.182446305284… (tables), so the CI of [1, 2, 3, 4] is 3.1824… · √(5/3)/2.
#[test]
fn interval_by_hand() {
    let e = moments(&[1.0, 2.0, 3.0, 4.0]).estimate();
    assert_eq!(e.n, 4);
    assert_eq!(e.mean, Some(2.5));
    assert!(close(e.ci.unwrap(), 3.182_446_305_284_263 * (5.0f64 / 3.0).sqrt() / 2.0));
    let one = moments(&[7.0]).estimate();
    assert_eq!((one.mean, one.std_dev, one.ci), (Some(7.0), None, None));
    assert_eq!(Moments::new().estimate().mean, None);
}

/// A refused negotiation counts in the statuses and nowhere else; an errored one counts with
/// the reservation values its record holds.
#[test]
fn refused_and_errored() {
    let q = [Some(1.0), Some(0.1), Some(0.2), Some(0.3)];
    let records = [
        record(0, 0, Status::Agreed, 5, q, &[(0, 0.8, 0.2), (1, 0.4, 0.2)]),
        record(1, 0, Status::Refused, 0, q, &[(0, 0.0, 0.0), (1, 0.0, 0.0)]),
        record(2, 1, Status::Errored, 3, [None; 4], &[(0, 0.2, 0.2), (1, 0.3, 0.3)]),
    ];
    let s = summarise(&records);
    assert_eq!(s.negotiations, 3);
    assert_eq!((s.statuses.agreed, s.statuses.refused, s.statuses.errored), (1, 1, 1));
    assert_eq!(s.agreement_rate, Some(0.5));
    let b = &s.negotiators[0];
    assert_eq!((b.seats, b.negotiations, b.statuses.refused, b.statuses.errored), (3, 3, 1, 1));
    assert_eq!(b.advantage.n, 2);
    // NegMAS's advantage, best utility 1: (0.8 − 0.2)/(1 − 0.2) agreed, 0 errored
    assert!(close(b.score.unwrap(), 0.375));
    assert_eq!(b.welfare.n, 1);
    assert_eq!(b.rank, Some(1));
    assert_eq!(s.negotiators[1].rank, Some(2));
    assert_eq!(s.negotiators[2].rank, None);
    assert_eq!(s.negotiators[2].seats, 0);
    assert_eq!(s.scenarios[0].rounds.mean, Some(5.0));
    assert_eq!(s.scenarios[1].statuses.errored, 1);
    assert_eq!(s.scenarios[1].agreement_rate, Some(0.0));
    // one negotiator pair has a test (advantages 0.6, 0 vs 0.2, 0); the others have no seats
    assert!(s.pair("conceder", "boulware").unwrap().test.is_some());
    assert!(s.pair("boulware", "linear").unwrap().test.is_none());
    assert_eq!(s.pair("boulware", "linear").unwrap().difference, None);
}

/// A small real tournament: the summary's counts are those of its rows.
#[test]
fn end_to_end_counts() {
    let negotiators = parse_negotiators(["boulware", "conceder"]).unwrap();
    let scenario = Prepared::new(detente_testkit::shipped_scenario("textbook-bilateral.toml")).unwrap();
    let mut t = Tournament::new(negotiators, vec![scenario]);
    t.repetitions = 3;
    let plan = t.plan().unwrap();
    let names = plan.negotiator_names().to_vec();
    let ids: Vec<String> = t.scenarios.iter().map(|p| p.id().to_string()).collect();
    let mut b = SummaryBuilder::new(&names, &ids);
    let mut rows = Vec::new();
    t.run(|row| {
        b.push(&Record::from(&row));
        rows.push(row);
    })
    .unwrap();
    let s = b.finish();
    assert_eq!(rows.len(), 12); // 2² seatings × 3 repetitions
    assert_eq!(s.negotiations, 12);
    for st in Status::ALL {
        assert_eq!(s.statuses.get(st), rows.iter().filter(|r| r.status == st).count() as u64, "{st}");
    }
    assert_eq!(s.scenarios.len(), 1);
    assert_eq!(s.scenarios[0].negotiations, 12);
    assert_eq!(s.scenarios[0].rounds.n, rows.iter().filter(|r| r.agreement).count() as u64);
    for n in &s.negotiators {
        let seats = rows.iter().flat_map(|r| &r.seats).filter(|x| x.negotiator == n.negotiator).count() as u64;
        assert_eq!(n.seats, seats);
        assert_eq!(n.seats, 12); // per repetition: 2 seats against itself, 1 in each mixed seating
        assert!(n.rank.is_some());
        assert_eq!(n.advantage.n, seats - n.statuses.refused);
    }
    assert_eq!(s.pairs.len(), 1);
    let back: Summary = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}
