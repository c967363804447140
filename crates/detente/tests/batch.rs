//! A batch gives the same rows whatever the threads, and each row is what one negotiation run
//! alone gives.

use crate::{shipped, tournament};
use detente::agents::SimulationSpec;
use detente::protocol::PreparedScenario;
use detente::tournament::Status;
use detente::Tournament;
use std::sync::Arc;

fn json_with_threads(t: &Tournament, threads: usize) -> Vec<u8> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let mut out = Vec::new();
    pool.install(|| {
        t.run(|row| {
            serde_json::to_writer(&mut out, &row).expect("serialises");
            out.push(b'\n');
        })
    })
    .expect("runs");
    out
}

fn mixed() -> Tournament {
    Tournament {
        chunk: 7,
        ..tournament(
            &["boulware", "conceder", "random", "boa(e=0.5,ac=combi)"],
            vec![shipped("textbook-bilateral.toml"), shipped("ukraine-ceasefire-2025.toml")],
            3,
        )
    }
}

#[test]
fn rows_do_not_depend_on_threads_or_chunks() {
    let t = mixed();
    let one = json_with_threads(&t, 1);
    assert_eq!(one.iter().filter(|&&b| b == b'\n').count(), 3 * (16 + 64));
    assert_eq!(one, json_with_threads(&t, 2), "1 thread vs 2");
    assert_eq!(one, json_with_threads(&t, 3), "1 thread vs 3");
    let whole = Tournament { chunk: 1_000, ..t };
    assert_eq!(one, json_with_threads(&whole, 2), "chunk 7 vs one chunk");
}

/// What `detente negotiate FILE --negotiators … --seed S [--rounds R]` computes for one row:
/// its own preparation, `simulate`, and the report with the analysis it runs itself.
/// The row's seats are in speaking order; `negotiate` takes the negotiators in the scenario's
/// order and who opens (`--opener`).
fn alone(scenario: &detente::core::Scenario, row: &detente::Row, rounds: Option<u32>) -> detente::study::NegotiationReport {
    let prepared = Arc::new(PreparedScenario::new(scenario).expect("prepares"));
    let n = row.seats.len();
    let spec = SimulationSpec {
        negotiators: Some((0..n).map(|j| row.seats[(j + n - row.opener) % n].negotiator.clone()).collect()),
        rounds,
        seed: row.seed,
        opener: row.opener,
        ..SimulationSpec::default()
    };
    let sim = detente::agents::simulate(scenario, &prepared, &spec).expect("simulates");
    detente::study::negotiation::report(scenario, &prepared, &sim, row.seed)
}

fn check_against_alone(t: &Tournament) {
    let rows = t.collect().expect("runs");
    assert!(rows.iter().any(|r| r.agreement), "some negotiations agree");
    assert!(rows.iter().all(|r| r.status != Status::Refused), "the plan refuses up front what the protocol would");
    for row in &rows {
        let scenario = t.scenarios[row.scenario_index].scenario();
        let r = alone(scenario, row, t.rounds);
        let at = format!("row {} ({:?})", row.index, row.seats);
        assert_eq!(row.seats, r.parties, "{at}");
        assert_eq!(row.protocol, r.protocol, "{at}");
        assert_eq!(row.status.as_str(), r.status, "{at}");
        assert_eq!(row.reason, r.reason, "{at}");
        assert_eq!(row.round, r.round, "{at}");
        assert_eq!(row.rounds, r.rounds, "{at}");
        assert_eq!(row.deadline, r.deadline, "{at}");
        assert_eq!(row.outcome_index, r.outcome_index, "{at}");
        assert_eq!(row.utilities, r.utilities, "{at}");
        let q = r.quality.as_ref().map(|q| &q.measures);
        assert_eq!(row.welfare, q.map(|q| q.welfare), "{at}");
        assert_eq!(row.pareto_distance, q.and_then(|q| q.pareto_distance), "{at}");
        assert_eq!(row.nash_distance, q.and_then(|q| q.nash_distance), "{at}");
        assert_eq!(row.ks_distance, q.and_then(|q| q.ks_distance), "{at}");
        let deal = r.deal.map(|terms| terms.iter().map(|t| format!("{}={}", t.issue, t.value)).collect::<Vec<_>>().join(", "));
        assert_eq!(row.deal, deal, "{at}");
    }
}

#[test]
fn each_row_is_the_negotiation_run_alone() {
    // each negotiation alone analyses its scenario again, as `detente negotiate` does: fewer rows
    let t = tournament(
        &["boulware", "random", "boa(e=0.5,ac=combi)"],
        vec![shipped("textbook-bilateral.toml"), shipped("ukraine-ceasefire-2025.toml")],
        1,
    );
    check_against_alone(&t);
    check_against_alone(&Tournament { rounds: Some(12), seed: 7, ..t });
}

#[test]
fn rotated_rows_are_the_negotiation_run_alone_with_that_opener() {
    let t = Tournament { rotate: true, ..tournament(&["boulware", "conceder", "tft"], vec![shipped("textbook-bilateral.toml")], 2) };
    let rows = t.collect().expect("runs");
    assert_eq!(rows.len(), 9 * 2 * 2, "seatings × openers × repetitions");
    // numbered seating, then opener, then repetition; the seed is shared by the two openers
    assert_eq!(
        rows.iter().map(|r| (r.seating, r.opener, r.repetition)).take(4).collect::<Vec<_>>(),
        [(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1)]
    );
    assert_eq!(rows[0].seed, rows[2].seed);
    // the second party opens: the seats come in speaking order
    let second = &t.scenarios[0].scenario().actors[1].id;
    assert!(rows.iter().filter(|r| r.opener == 1).all(|r| &r.seats[0].actor == second));
    check_against_alone(&t);
}

#[test]
fn rotating_a_mediated_protocol_is_refused() {
    let t = Tournament { rotate: true, ..tournament(&["boulware"], vec![shipped("ukraine-ceasefire-2025.toml")], 1) };
    let e = t.plan().expect_err("the mediator speaks first");
    assert!(matches!(e, detente::BatchError::Rotate { .. }), "{e}");
}

#[test]
#[ignore = "needs ../shared"]
fn each_row_is_the_negotiation_run_alone_on_a_genius_domain() {
    let laptop = detente::formats::load_path(&detente_testkit::shared_data("genius/Laptop")).expect("reads");
    let t = Tournament {
        rounds: Some(50),
        rotate: true,
        ..tournament(&["boulware", "linear", "micro", "hardheaded", "tft"], vec![detente::Prepared::new(laptop).expect("prepares")], 2)
    };
    check_against_alone(&t);
}
