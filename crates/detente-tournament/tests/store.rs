//! The tournament store: round trip, byte identity, resume, shards, merge, refusals.

use detente_agents::Protocol;
use detente_tournament::store::{self, Definition, RunOptions, RunOutcome, ScenarioSource, Shard, ShardError, StoreError};
use detente_tournament::{parse_negotiators, Plan, Prepared, Record, Tournament};
use proptest::prelude::*;
use std::path::Path;

const SCENARIOS: [&str; 2] = ["textbook-bilateral.toml", "textbook-three-party.toml"];

fn tournament(repetitions: u32, seed: u64) -> Tournament {
    let negotiators = parse_negotiators(["boulware", "conceder", "linear"]).expect("negotiators");
    let scenarios = SCENARIOS.iter().map(|s| Prepared::new(detente_testkit::shipped_scenario(s)).expect("prepared")).collect();
    // the joint table: the three-party scenario's own single text refuses its mediator rule
    Tournament { repetitions, seed, protocol: Some(Protocol::JointTable), ..Tournament::new(negotiators, scenarios) }
}

fn definition(plan: &Plan) -> Definition {
    let sources =
        SCENARIOS.iter().map(|s| ScenarioSource { source: format!("scenarios/{s}"), fingerprint: format!("digest of {s}") }).collect();
    Definition::new(plan, sources).expect("definition")
}

fn run(plan: &Plan, dir: &Path, options: &RunOptions) -> Result<RunOutcome, StoreError> {
    store::run(plan, &definition(plan), dir, options, &mut |_, _| {})
}

fn with_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("pool").install(f)
}

/// The deterministic files of a directory.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["tournament.json", "results.parquet", "results.csv"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))))
        .collect()
}

fn records(dir: &Path) -> Vec<Record> {
    store::read_records(dir).expect("open").collect::<Result<Vec<_>, _>>().expect("read")
}

fn direct(plan: &Plan) -> Vec<Record> {
    let mut out = Vec::new();
    plan.try_run(0..plan.len(), |row| {
        out.push(Record::from(&row));
        Ok::<(), ()>(())
    })
    .expect("run");
    out
}

fn timings_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("timings.csv")).expect("timings").lines().map(str::to_string).collect()
}

#[test]
fn round_trip_and_layout() {
    let t = tournament(2, 7);
    let plan = t.plan().expect("plan");
    assert_eq!(plan.max_parties(), 3);
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("out");
    let mut calls = Vec::new();
    let outcome = store::run(&plan, &definition(&plan), &dir, &RunOptions { checkpoint: 20, ..RunOptions::default() }, &mut |d, n| {
        calls.push((d, n))
    })
    .expect("run");
    let n = plan.len();
    assert_eq!(outcome, RunOutcome { total: n, already_done: 0, ran: n, complete: true });
    // once at the start, then per part of 20 and the last
    let expected: Vec<(u64, u64)> = std::iter::once(0).chain((20..n).step_by(20)).chain([n]).map(|d| (d, n)).collect();
    assert_eq!(calls, expected);

    let read = records(&dir);
    assert_eq!(read, direct(&plan));
    assert!(read.iter().any(|r| r.seats.len() == 2) && read.iter().any(|r| r.seats.len() == 3));

    let mut names: Vec<String> =
        std::fs::read_dir(&dir).expect("dir").map(|e| e.expect("entry").file_name().into_string().expect("utf8")).collect();
    names.sort();
    assert_eq!(names, ["results.csv", "results.parquet", "summary.json", "timings.csv", "tournament.json"]);
    let summary = store::read_summary(&dir).expect("summary");
    let mut built =
        detente_tournament::SummaryBuilder::new(plan.negotiator_names(), &["textbook-bilateral".into(), "textbook-three-party".into()]);
    read.iter().for_each(|r| built.push(r));
    assert_eq!(summary, built.finish(), "summary.json is the summary of the rows");
    let manifest = store::read_manifest(&dir).expect("manifest");
    assert!(manifest.complete);
    assert_eq!((manifest.schema, manifest.shard, manifest.total), (1, None, n));
    assert_eq!(manifest.definition, definition(&plan));

    let csv = std::fs::read_to_string(dir.join("results.csv")).expect("csv");
    let header = csv.lines().next().expect("header");
    assert!(header.starts_with("index,scenario,scenario_index,seating,opener,repetition,seed,protocol,status,reason,agreement,round,"));
    assert!(header.ends_with("seat3_actor,seat3_negotiator,seat3_utility,seat3_reservation,seat3_advantage,seat3_score"));
    assert_eq!(csv.lines().count() as u64, n + 1);
    let timings = timings_lines(&dir);
    assert_eq!(timings[0], "index,time_s");
    assert_eq!(timings.len() as u64, n + 1);
    assert!(timings[1].starts_with("0,"));

    // complete: nothing runs again
    let again = run(&plan, &dir, &RunOptions::default()).expect("again");
    assert_eq!(again, RunOutcome { total: n, already_done: n, ran: 0, complete: true });
}

#[test]
fn bytes_identical_across_checkpoints_and_threads() {
    let t = tournament(2, 11);
    let plan = t.plan().expect("plan");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut reference: Option<Vec<(String, Vec<u8>)>> = None;
    for threads in [1, 2] {
        for checkpoint in [1, 7, 10_000] {
            let dir = tmp.path().join(format!("t{threads}-c{checkpoint}"));
            with_threads(threads, || run(&plan, &dir, &RunOptions { checkpoint, ..RunOptions::default() })).expect("run");
            let got = files(&dir);
            match &reference {
                None => reference = Some(got),
                Some(r) => assert!(r == &got, "threads {threads}, checkpoint {checkpoint}: different bytes"),
            }
        }
    }
}

#[test]
fn resume_after_interruptions() {
    let t = tournament(2, 3);
    let plan = t.plan().expect("plan");
    let n = plan.len();
    let tmp = tempfile::tempdir().expect("tmp");
    let whole = tmp.path().join("whole");
    run(&plan, &whole, &RunOptions::default()).expect("whole");

    let dir = tmp.path().join("resumed");
    let options = |stop_after| RunOptions { checkpoint: 4, stop_after, ..RunOptions::default() };
    let first = run(&plan, &dir, &options(Some(10))).expect("first slice");
    assert_eq!(first, RunOutcome { total: n, already_done: 0, ran: 10, complete: false });
    assert!(!store::read_manifest(&dir).expect("manifest").complete);
    assert!(matches!(store::read_records(&dir), Err(StoreError::Incomplete { .. })));
    let parts: Vec<String> =
        std::fs::read_dir(dir.join("parts")).expect("parts").map(|e| e.expect("entry").file_name().into_string().expect("utf8")).collect();
    assert_eq!(parts.len(), 3, "{parts:?}"); // 0-4, 4-8, 8-10
                                             // what a crash mid-write leaves
    std::fs::write(dir.join("parts/.tmp-x"), b"half a part").expect("garbage");
    std::fs::write(dir.join("parts").join(format!("{}{:020}.arrow", ".tmp-", 10)), b"half").expect("garbage");

    let second = with_threads(2, || run(&plan, &dir, &options(Some(25)))).expect("second slice");
    assert_eq!(second, RunOutcome { total: n, already_done: 10, ran: 25, complete: false });
    assert!(!dir.join("parts/.tmp-x").exists());
    let third = with_threads(1, || run(&plan, &dir, &options(None))).expect("rest");
    assert_eq!(third, RunOutcome { total: n, already_done: 35, ran: n - 35, complete: true });
    assert!(!dir.join("parts").exists());

    assert_eq!(files(&dir), files(&whole));
    let indices: Vec<u64> = records(&dir).iter().map(|r| r.index).collect();
    assert_eq!(indices, (0..n).collect::<Vec<_>>());
    assert_eq!(timings_lines(&dir).len() as u64, n + 1);
}

#[test]
fn shards_cover_and_merge_to_the_unsharded_bytes() {
    // 2 160 negotiations: three blocks of 1 024, so each of three shards gets work
    let t = tournament(60, 5);
    let plan = t.plan().expect("plan");
    let n = plan.len();
    assert!(n > 2 * store::SHARD_BLOCK);
    let tmp = tempfile::tempdir().expect("tmp");
    let whole = tmp.path().join("whole");
    run(&plan, &whole, &RunOptions::default()).expect("whole");

    let mut covered = vec![0u32; n as usize];
    let mut dirs = Vec::new();
    for k in 1..=3 {
        let shard = Shard::new(k, 3).expect("shard");
        let dir = tmp.path().join(format!("shard{k}"));
        let outcome = run(&plan, &dir, &RunOptions { shard: Some(shard), checkpoint: 500, ..RunOptions::default() }).expect("shard");
        let share: u64 = store::shard_ranges(n, Some(shard)).iter().map(|r| r.end - r.start).sum();
        assert_eq!(outcome.total, share);
        for r in records(&dir) {
            covered[r.index as usize] += 1;
        }
        assert_eq!(store::read_manifest(&dir).expect("manifest").shard, Some(shard));
        dirs.push(dir);
    }
    assert!(covered.iter().all(|&c| c == 1), "each negotiation in exactly one shard");

    let merged = tmp.path().join("merged");
    let outcome = store::merge(&[dirs[2].clone(), dirs[0].clone(), dirs[1].clone()], &merged, false).expect("merge");
    assert_eq!(outcome.total, n);
    assert_eq!(files(&merged), files(&whole));
    assert_eq!(timings_lines(&merged).len() as u64, n + 1);

    // a shard missing, one given twice, one of another tournament, one not finished
    let out = tmp.path().join("bad");
    match store::merge(&[dirs[0].clone(), dirs[2].clone()], &out, false) {
        Err(StoreError::MissingShards { count: 3, missing }) => assert_eq!(missing, [2]),
        other => panic!("{other:?}"),
    }
    match store::merge(&[dirs[0].clone(), dirs[1].clone(), dirs[0].clone()], &out, false) {
        Err(StoreError::DuplicateShard { index: 1, count: 3, .. }) => {}
        other => panic!("{other:?}"),
    }
    let t2 = tournament(60, 6);
    let plan2 = t2.plan().expect("plan");
    let other = tmp.path().join("other2");
    let shard2 = Some(Shard::new(2, 3).expect("shard"));
    run(&plan2, &other, &RunOptions { shard: shard2, stop_after: Some(10), ..RunOptions::default() }).expect("other");
    match store::merge(&[dirs[0].clone(), other.clone(), dirs[2].clone()], &out, false) {
        Err(StoreError::Different { what, .. }) => assert!(what.starts_with("definition"), "{what}"),
        other => panic!("{other:?}"),
    }
    let unfinished = tmp.path().join("unfinished2");
    run(&plan, &unfinished, &RunOptions { shard: shard2, stop_after: Some(10), ..RunOptions::default() }).expect("unfinished");
    assert!(matches!(
        store::merge(&[dirs[0].clone(), unfinished.clone(), dirs[2].clone()], &out, false),
        Err(StoreError::Incomplete { dir }) if dir == unfinished
    ));
    assert!(matches!(store::merge(std::slice::from_ref(&whole), &out, false), Err(StoreError::Unsharded { .. })));
    assert!(matches!(store::merge(&[], &out, false), Err(StoreError::NoShards)));
    assert!(matches!(store::merge(&dirs, &dirs[0], true), Err(StoreError::Different { .. })));
    assert!(dirs[0].join("results.parquet").exists());
}

#[test]
fn refusals() {
    let t = tournament(1, 1);
    let plan = t.plan().expect("plan");
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("d");
    run(&plan, &dir, &RunOptions::default()).expect("run");
    std::fs::write(dir.join("notes.txt"), b"mine").expect("notes");

    // another definition: refused, then replaced with force, the foreign file kept
    let t2 = tournament(1, 2);
    let plan2 = t2.plan().expect("plan");
    match run(&plan2, &dir, &RunOptions::default()) {
        Err(StoreError::Different { what, .. }) => assert_eq!(what, "definition"),
        other => panic!("{other:?}"),
    }
    // the same tournament as a shard: refused too
    let shard = Some(Shard::new(1, 2).expect("shard"));
    assert!(matches!(run(&plan, &dir, &RunOptions { shard, ..RunOptions::default() }), Err(StoreError::Different { .. })));
    run(&plan2, &dir, &RunOptions { force: true, ..RunOptions::default() }).expect("forced");
    assert_eq!(records(&dir), direct(&plan2));
    assert_eq!(std::fs::read(dir.join("notes.txt")).expect("notes kept"), b"mine");

    // a definition that does not describe the plan
    assert!(matches!(
        store::run(&plan, &definition(&plan2), &tmp.path().join("x"), &RunOptions::default(), &mut |_, _| {}),
        Err(StoreError::NotThePlan { what: "seed" })
    ));
    let too_few = Definition::new(&plan, Vec::new());
    assert!(matches!(too_few, Err(StoreError::Sources { expected: 2, got: 0 })));

    // a directory that is not a tournament's, even with force; a file
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("data.csv"), b"a,b").expect("write");
    for force in [false, true] {
        assert!(matches!(run(&plan, &foreign, &RunOptions { force, ..RunOptions::default() }), Err(StoreError::NotATournament { .. })));
    }
    assert_eq!(std::fs::read(foreign.join("data.csv")).expect("kept"), b"a,b");
    let file = foreign.join("data.csv");
    assert!(matches!(run(&plan, &file, &RunOptions::default()), Err(StoreError::NotADirectory { .. })));
    // an empty directory is fine
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    run(&plan, &empty, &RunOptions::default()).expect("empty dir");
}

#[test]
fn shard_texts() {
    assert_eq!("2/5".parse::<Shard>(), Ok(Shard { index: 2, count: 5 }));
    assert_eq!(Shard { index: 2, count: 5 }.to_string(), "2/5");
    assert_eq!("0/3".parse::<Shard>(), Err(ShardError::OutOfRange { index: 0, count: 3 }));
    assert_eq!("4/3".parse::<Shard>(), Err(ShardError::OutOfRange { index: 4, count: 3 }));
    assert!(matches!("a/b".parse::<Shard>(), Err(ShardError::Syntax(_))));
    assert!(matches!("1/0".parse::<Shard>(), Err(ShardError::NoShards(_))));
    for bad in ["", "1", "1/", "/3", "1/3/4", "-1/3", "1 /3x", "99999999999/3"] {
        assert!(matches!(bad.parse::<Shard>(), Err(ShardError::Syntax(_))), "{bad}");
    }
}

#[test]
fn shard_ranges_edges() {
    assert_eq!(store::shard_ranges(0, None), Vec::<std::ops::Range<u64>>::new());
    assert_eq!(store::shard_ranges(5000, None), vec![0..5000]);
    assert_eq!(store::shard_ranges(5000, Some(Shard { index: 1, count: 1 })), vec![0..5000]);
    assert_eq!(store::shard_ranges(5000, Some(Shard { index: 2, count: 2 })), vec![1024..2048, 3072..4096]);
    assert_eq!(store::shard_ranges(5000, Some(Shard { index: 1, count: 2 })), vec![0..1024, 2048..3072, 4096..5000]);
    assert_eq!(store::shard_ranges(100, Some(Shard { index: 2, count: 3 })), Vec::<std::ops::Range<u64>>::new());
}

proptest! {
    #[test]
    fn shard_ranges_partition_the_tournament(total in 0u64..20_000, count in 1u32..8) {
        let mut all: Vec<(u64, u64, u32)> = Vec::new();
        for index in 1..=count {
            let ranges = store::shard_ranges(total, Some(Shard { index, count }));
            for w in ranges.windows(2) {
                // ordered, disjoint and maximal (not adjacent)
                prop_assert!(w[0].end < w[1].start);
            }
            for r in &ranges {
                prop_assert!(r.start < r.end && r.end <= total);
                // whole blocks of this shard, only the last cut short
                prop_assert_eq!(r.start % store::SHARD_BLOCK, 0);
                prop_assert_eq!(((r.start / store::SHARD_BLOCK) % u64::from(count)) as u32, index - 1);
                all.push((r.start, r.end, index));
            }
        }
        all.sort();
        let mut at = 0;
        for (start, end, _) in &all {
            prop_assert_eq!(*start, at);
            at = *end;
        }
        prop_assert_eq!(at, total);
    }
}

/// In memory, a tournament is the table and summary its folder holds: the same rows as
/// `results.parquet` (read back with the parquet crate), the same `summary.json`; and its
/// shards, concatenated in order, are the whole.
#[test]
fn in_memory_rows_and_summary_are_the_folders() {
    use arrow_array::RecordBatch;
    let t = tournament(2, 11);
    let plan = t.plan().expect("plan");
    let dir = tempfile::tempdir().expect("tempdir");
    run(&plan, dir.path(), &RunOptions::default()).expect("run");
    let file = std::fs::File::open(dir.path().join("results.parquet")).expect("parquet");
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).expect("reader").build().expect("build");
    let stored: Vec<RecordBatch> = reader.collect::<Result<_, _>>().expect("batches");
    let concat = |schema, batches: &[RecordBatch]| arrow_select::concat::concat_batches(schema, batches).expect("concat");
    let memory = store::run_in_memory(&plan, None).expect("in memory");
    assert_eq!(concat(&memory.schema, &memory.batches), concat(&memory.schema, &stored));
    assert_eq!(memory.summary, store::read_summary(dir.path()).expect("summary"));
    // the shards' rows, in shard order, are the whole run's
    let shards: Vec<RecordBatch> =
        (1..=3).flat_map(|k| store::run_in_memory(&plan, Some(Shard::new(k, 3).expect("shard"))).expect("shard run").batches).collect();
    let mut rows = concat(&memory.schema, &shards);
    let index = arrow_array::cast::AsArray::as_primitive::<arrow_array::types::UInt64Type>(rows.column(0)).clone();
    let order = arrow_ord_free_sort(&index);
    rows = arrow_select::take::take_record_batch(&rows, &order).expect("take");
    assert_eq!(rows, concat(&memory.schema, &memory.batches));
    // and their summary is the whole run's
    assert_eq!(store::summarize_batches(&plan, std::slice::from_ref(&rows)).expect("summary"), memory.summary);
    // a row missing, or out of order, is refused
    assert!(store::summarize_batches(&plan, &[rows.slice(1, rows.num_rows() - 1)]).is_err());
    let reversed = arrow_array::UInt32Array::from((0..rows.num_rows() as u32).rev().collect::<Vec<_>>());
    assert!(store::summarize_batches(&plan, &[arrow_select::take::take_record_batch(&rows, &reversed).expect("take")]).is_err());
}

/// The permutation that sorts `index` (no arrow-ord in the tree: the indices are distinct).
fn arrow_ord_free_sort(index: &arrow_array::UInt64Array) -> arrow_array::UInt32Array {
    let mut order: Vec<u32> = (0..index.len() as u32).collect();
    order.sort_by_key(|&k| index.value(k as usize));
    arrow_array::UInt32Array::from(order)
}
