//! `detente tournament`, as a person (or a cluster) runs it: the summary, the folder of results,
//! resuming after SIGKILL, shards and their merge, the Parquet read back by pyarrow, and each
//! row equal to `detente negotiate` run alone.

use crate::common::{detente, json, repo, stderr, stdout};
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The files a finished tournament folder holds that are a function of the tournament alone
/// (`timings.csv`, wall times, is not).
const DETERMINISTIC: [&str; 4] = ["tournament.json", "results.parquet", "results.csv", "summary.json"];

const NEGOTIATORS: &str = "boulware,conceder,linear,tft";

/// A tournament on the shipped bilateral and three-party scenarios, seed 11.
fn args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    seeded(out, "11", extra)
}

fn seeded<'a>(out: &'a str, seed: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "tournament",
        "--negotiators",
        NEGOTIATORS,
        "--scenarios",
        "scenarios/textbook-bilateral.toml",
        "scenarios/textbook-three-party.toml",
        // the three-party scenario's own protocol (single text, welfare rule) is refused with
        // a mediator that knows only the votes: the joint table for both
        "--protocol",
        "sao",
        "--seed",
        seed,
        "--out",
        out,
    ];
    if !extra.contains(&"--repetitions") {
        v.extend_from_slice(&["--repetitions", "3"]);
    }
    v.extend_from_slice(extra);
    v
}

fn files(dir: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    DETERMINISTIC.iter().map(|&f| (f, std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", dir.display())))).collect()
}

fn assert_same_files(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    for f in DETERMINISTIC {
        assert!(fa[f] == fb[f], "{f} differs between {} and {}", a.display(), b.display());
    }
}

/// The rows of results.csv, each as column name → text.
fn csv_rows(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir.join("results.csv")).expect("results.csv");
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_string).collect();
    reader.records().map(|r| header.iter().cloned().zip(r.expect("a CSV row").iter().map(str::to_string)).collect()).collect()
}

/// The `index` column of results.csv.
fn indices(dir: &Path) -> Vec<u64> {
    csv_rows(dir).iter().map(|r| r["index"].parse().expect("a number")).collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_tournament_prints_its_standings_and_writes_its_folder() {
    let t = tmp();
    let out = t.path().join("run");
    let o = detente(&args(path_str(&out), &[]));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    for name in NEGOTIATORS.split(',') {
        assert!(text.contains(name), "standings name {name}:\n{text}");
    }
    // 4² seatings × 3 on the bilateral scenario, 4³ × 3 on the three-party one
    let n = 3 * (16 + 64);
    assert_eq!(indices(&out), (0..n).collect::<Vec<u64>>(), "every negotiation once, in order");
    for f in DETERMINISTIC.iter().chain(&["timings.csv"]) {
        assert!(out.join(f).is_file(), "{f} written");
    }
    assert!(!out.join("parts").exists(), "checkpoints are removed once the results are final");
    // the same command again: nothing to do, same files
    let before = files(&out);
    let again = detente(&args(path_str(&out), &[]));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(before, files(&out));
    // the report of the folder is what the run printed
    let report = detente(&["tournament", "report", path_str(&out)]);
    assert!(report.status.success(), "{}", stderr(&report));
    assert_eq!(stdout(&report), text);
    // and as JSON
    let j = json(&detente(&["tournament", "report", path_str(&out), "--json"]));
    assert_eq!(j["negotiations"], serde_json::json!(n));
    assert_eq!(j["schema"], "detente-tournament/1", "the summary's JSON is versioned");
}

#[test]
fn the_rows_do_not_depend_on_jobs_or_checkpoints() {
    let t = tmp();
    let (a, b) = (t.path().join("a"), t.path().join("b"));
    assert!(detente(&args(path_str(&a), &["--jobs", "1", "--checkpoint", "7"])).status.success());
    assert!(detente(&args(path_str(&b), &["--jobs", "2"])).status.success());
    assert_same_files(&a, &b);
    // without --out: the same summary
    let mut mem = args("-", &[]);
    let at = mem.iter().position(|a| *a == "--out").expect("--out");
    mem.drain(at..at + 2);
    mem.push("--json");
    let summary = json(&detente(&mem));
    let stored: serde_json::Value = serde_json::from_slice(&std::fs::read(a.join("summary.json")).expect("summary.json")).expect("JSON");
    assert_eq!(summary, stored);
}

/// Checkpoints written so far in `dir/parts` (temporary files aside).
fn parts_written(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("parts")).map_or(0, |it| it.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
}

/// SIGKILL at random moments, then the same command again, until it finishes: the files are
/// byte-identical to an uninterrupted run, no negotiation lost and none duplicated. Several
/// times over, each with its own seeded kill points. A kill point is a number of checkpoints
/// to wait for (beyond those already written) plus a random few milliseconds, so kills land
/// while negotiations run, while a checkpoint is written and while the final files are
/// written, whatever the machine's speed (a kill by the clock alone misses on a loaded machine).
#[test]
fn killed_with_sigkill_and_run_again_it_completes_as_if_never_interrupted() {
    let t = tmp();
    let reference = t.path().join("reference");
    let extra = ["--repetitions", "200", "--checkpoint", "397", "--jobs", "2"];
    let o = detente(&args(path_str(&reference), &extra));
    assert!(o.status.success(), "{}", stderr(&o));
    let n = indices(&reference).len() as u64;
    assert_eq!(n, 200 * (16 + 64));
    let parts = n.div_ceil(397) as usize;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2025);
    let mut kills = 0;
    for attempt in 0..4 {
        let dir = t.path().join(format!("killed-{attempt}"));
        let mut finished = false;
        let before = kills;
        // five kills, then a run left to finish
        for run in 0..6 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
                .args(args(path_str(&dir), &extra))
                .current_dir(repo())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starts");
            let kill_at = (run < 5).then(|| {
                let have = parts_written(&dir);
                (rng.gen_range(have..=parts), Duration::from_micros(rng.gen_range(0..20_000)))
            });
            let status = loop {
                if let Some(status) = child.try_wait().expect("waits") {
                    break Some(status);
                }
                if let Some((target, delay)) = kill_at {
                    // the last checkpoint written, the run is finishing its files: kill then too
                    if parts_written(&dir) >= target || dir.join("results.parquet").exists() {
                        std::thread::sleep(delay);
                        break None;
                    }
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            match status {
                Some(s) => {
                    assert!(s.success(), "a resumed run fails: {s}");
                    finished = true;
                    break;
                }
                None => {
                    child.kill().expect("SIGKILL");
                    let s = child.wait().expect("reaped");
                    if s.success() {
                        // it finished in the last instant before the kill
                        finished = true;
                        break;
                    }
                    kills += 1;
                }
            }
        }
        assert!(finished, "attempt {attempt}: the tournament never finished");
        eprintln!("attempt {attempt}: killed {} times, then finished", kills - before);
        assert_eq!(indices(&dir), (0..n).collect::<Vec<u64>>(), "attempt {attempt}: none lost, none duplicated");
        assert_same_files(&reference, &dir);
        assert!(!dir.join("parts").exists(), "attempt {attempt}: the checkpoints are gone once the files are final");
    }
    assert!(kills >= 12, "the runs were killed {kills} times: too few to test anything");
}

#[test]
fn shards_merge_into_the_files_of_an_unsharded_run() {
    let t = tmp();
    let whole = t.path().join("whole");
    let extra = ["--repetitions", "20"];
    assert!(detente(&args(path_str(&whole), &extra)).status.success());
    let mut shards: Vec<PathBuf> = Vec::new();
    for k in 1..=3 {
        let dir = t.path().join(format!("shard-{k}"));
        let shard = format!("{k}/3");
        let o = detente(&args(path_str(&dir), &[extra[0], extra[1], "--shard", &shard]));
        assert!(o.status.success(), "{}", stderr(&o));
        shards.push(dir);
    }
    let merged = t.path().join("merged");
    let mut merge = vec!["tournament", "merge", "--out", path_str(&merged)];
    merge.extend(shards.iter().map(|s| path_str(s)));
    let o = detente(&merge);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_same_files(&whole, &merged);
    // a missing shard is named, and nothing is written
    let partial = t.path().join("partial");
    let o = detente(&["tournament", "merge", "--out", path_str(&partial), path_str(&shards[0]), path_str(&shards[2])]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains('2'), "names the missing shard: {}", stderr(&o));
    assert!(!partial.join("results.parquet").exists());
}

/// Each row is what `detente negotiate` gives for the same seats, seed and rounds.
#[test]
fn each_row_is_detente_negotiate_run_alone() {
    let t = tmp();
    let out = t.path().join("run");
    let o = detente(&[
        "tournament",
        "--negotiators",
        "boulware,conceder,aspiration",
        "--scenarios",
        "scenarios/textbook-bilateral.toml",
        "--rotate",
        "--rounds",
        "30",
        "--seed",
        "5",
        "--out",
        path_str(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 9 * 2);
    assert!(rows.iter().any(|r| r["status"] == "agreed"));
    for row in &rows {
        let seats = [
            (row["seat1_actor"].as_str(), row["seat1_negotiator"].as_str()),
            (row["seat2_actor"].as_str(), row["seat2_negotiator"].as_str()),
        ];
        // seats are in speaking order; negotiate takes them in the scenario's order and --opener
        let opener = seats[0].0;
        let mut ordered = seats;
        if row["opener"] == "1" {
            ordered.swap(0, 1);
        }
        let negotiators = format!("{},{}", ordered[0].1, ordered[1].1);
        let alone = json(&detente(&[
            "negotiate",
            "scenarios/textbook-bilateral.toml",
            "--negotiators",
            &negotiators,
            "--opener",
            opener,
            "--rounds",
            "30",
            "--seed",
            &row["seed"],
            "--json",
        ]));
        let at = format!("row {}", row["index"]);
        assert_eq!(alone["status"], row["status"].as_str(), "{at}");
        let round = &row["round"];
        assert_eq!(alone["round"].to_string(), if round.is_empty() { "null".to_string() } else { round.clone() }, "{at}");
        for (k, (actor, _)) in seats.iter().enumerate() {
            let u = alone["utilities"].as_array().expect("utilities").iter().find(|u| u["actor"] == *actor).expect("actor");
            let stored: f64 = row[&format!("seat{}_utility", k + 1)].parse().expect("a utility");
            assert_eq!(u["utility"].as_f64(), Some(stored), "{at}: {actor}");
        }
        if row["status"] == "agreed" {
            let deal = alone["deal"]
                .as_array()
                .expect("deal")
                .iter()
                .map(|t| format!("{}={}", t["issue"].as_str().unwrap_or_default(), t["value"].as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(", ");
            assert_eq!(deal, row["deal"], "{at}");
        }
    }
}

/// The Parquet file read back by pyarrow holds the rows of the CSV.
#[test]
#[ignore = "needs python3 with pyarrow (DETENTE_PYTHON; .ci/run installs it)"]
fn pyarrow_reads_the_parquet_rows_of_the_run() {
    let python = std::env::var("DETENTE_PYTHON").unwrap_or_else(|_| "python3".into());
    let t = tmp();
    let out = t.path().join("run");
    assert!(detente(&args(path_str(&out), &[])).status.success());
    let script = r#"
import csv, json, sys
import pyarrow.parquet as pq
table = pq.read_table(sys.argv[1] + "/results.parquet")
rows = table.to_pylist()
with open(sys.argv[1] + "/results.csv", newline="") as f:
    text = list(csv.DictReader(f))
assert len(rows) == len(text), (len(rows), len(text))
def same(p, c):
    if p is None:
        return c == ""
    if isinstance(p, bool):
        return c == ("true" if p else "false")
    if isinstance(p, float):
        return float(c) == p
    return str(p) == c
bad = [(i, k) for i, (p, c) in enumerate(zip(rows, text)) for k in p if not same(p[k], c[k])]
assert not bad, bad[:5]
print(json.dumps({"rows": len(rows), "columns": table.column_names, "types": [str(t) for t in table.schema.types],
                  "agreed": sum(r["status"] == "agreed" for r in rows)}))
"#;
    let o = Command::new(&python).arg("-c").arg(script).arg(&out).output().unwrap_or_else(|e| panic!("{python}: {e}"));
    assert!(o.status.success(), "pyarrow: {}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(j["rows"], serde_json::json!(3 * (16 + 64)));
    let columns: Vec<&str> = j["columns"].as_array().expect("columns").iter().map(|c| c.as_str().expect("name")).collect();
    for c in ["index", "scenario", "seed", "status", "agreement", "welfare", "seat1_utility", "seat3_advantage"] {
        assert!(columns.contains(&c), "column {c} in {columns:?}");
    }
    let summary = json(&detente(&["tournament", "report", path_str(&out), "--json"]));
    assert!(j["agreed"].as_u64().is_some_and(|a| a > 0));
    assert_eq!(summary["negotiations"], j["rows"]);
}

#[test]
fn refusals_are_located_and_change_nothing() {
    let t = tmp();
    let out = t.path().join("run");
    // usage errors: exit 2
    for (extra, needle) in [
        (&["--shard", "0/3"][..], "--shard"),
        (&["--shard", "4/3"][..], "--shard"),
        (&["--shard", "a/b"][..], "--shard"),
        (&["--checkpoint", "0"][..], "--checkpoint"),
        (&["--rounds", "0"][..], "--rounds"),
    ] {
        let o = detente(&args(path_str(&out), extra));
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{extra:?}: {}", stderr(&o));
    }
    let o = detente(&["tournament", "--negotiators", "boulware,nosuch", "--scenarios", "scenarios/textbook-bilateral.toml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nosuch"), "{}", stderr(&o));
    let o = detente(&["tournament", "--negotiators", "boulware", "--scenarios", "scenarios/textbook-bilateral.toml", "--shard", "1/2"]);
    assert_eq!(o.status.code(), Some(2), "--shard needs --out: {}", stderr(&o));
    // a pattern that matches nothing
    let o = detente(&["tournament", "--negotiators", "boulware", "--scenarios", "scenarios/*.nosuch"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("matches no file"), "{}", stderr(&o));
    // a folder holding another tournament is refused without --force
    assert!(detente(&args(path_str(&out), &[])).status.success());
    let before = files(&out);
    let o = detente(&seeded(path_str(&out), "12", &[]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(before, files(&out), "left as it was");
    assert!(detente(&seeded(path_str(&out), "12", &["--force"])).status.success());
    assert_ne!(before["results.csv"], files(&out)["results.csv"]);
    // a folder holding anything else is never touched
    let foreign = t.path().join("foreign");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "mine").expect("write");
    let o = detente(&args(path_str(&foreign), &["--force"]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(foreign.join("notes.txt")).expect("kept"), "mine");
}

/// A per-negotiation wall-clock limit ends each negotiation when it passes (here at once: every
/// negotiation times out), and the tournament goes on; a limit that is not a positive number,
/// and rotating who opens under a mediator, are usage errors.
#[test]
fn a_time_limit_ends_each_negotiation_and_the_tournament_goes_on() {
    let t = tmp();
    let out = t.path().join("run");
    let o = detente(&args(path_str(&out), &["--time-limit", "1e-9"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 3 * (16 + 64));
    assert!(rows.iter().all(|r| r["status"] == "timed_out"), "the clock binds before any deal");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("tournament.json")).expect("manifest")).expect("JSON");
    assert_eq!(manifest["definition"]["time_limit"], serde_json::json!(1e-9), "a resumed run must have the same limit");
    for bad in ["0", "-1", "nan"] {
        let o = detente(&args(path_str(&t.path().join("bad")), &["--time-limit", bad]));
        assert_eq!(o.status.code(), Some(2), "--time-limit {bad}: {}", stderr(&o));
    }
    let o = detente(&["tournament", "--negotiators", "boulware", "--scenarios", "scenarios/ukraine-ceasefire-2025.toml", "--rotate"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--rotate"), "{}", stderr(&o));
}
