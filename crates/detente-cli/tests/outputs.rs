//! Every output (`--trace`, `--html`, `scenario convert`) is written whole or not at all, never
//! over an existing file without `--force`, never over an input, and only as a regular file
//! (issue #11, "data loss"). A kill midway is simulated for real: the run gets a file-size
//! limit (`ulimit -f`) and the kernel kills it with SIGXFSZ when a write crosses it.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const UKRAINE: &str = "scenarios/ukraine-ceasefire-2025.toml";
const BILATERAL: &str = "scenarios/textbook-bilateral.toml";

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A copy of a shipped scenario in a fresh temporary folder.
fn scenario_copy(shipped: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("s.toml");
    std::fs::copy(repo().join(shipped), &p).expect("copy");
    (dir, p)
}

/// Runs `detente` with a file-size limit of `blocks` (512-byte blocks, as `sh` counts them):
/// the first write past it kills the process, as a crash or `kill -9` midway would.
fn detente_killed_by_file_limit(blocks: u32, args: &[&str]) -> Output {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f {blocks} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("sh runs");
    use std::os::unix::process::ExitStatusExt;
    // SIGXFSZ: the write was really cut off midway (the test would prove nothing otherwise).
    assert_eq!(o.status.signal(), Some(25), "expected a kill by SIGXFSZ; status {:?}, stderr: {}", o.status, stderr(&o));
    o
}

/// Every name in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The names in `dir` but the hidden leftovers a killed run cannot clean up.
fn visible(dir: &Path) -> Vec<String> {
    listing(dir).into_iter().filter(|n| !n.starts_with(".detente-partial-")).collect()
}

#[test]
fn negotiate_trace_never_replaces_an_existing_file_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = dir.path().join("t.jsonl");
    std::fs::write(&t, "precious\n").expect("write");
    let o = detente(&["negotiate", BILATERAL, "--rounds", "5", "--trace", s(&t)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("t.jsonl: already exists; give --force to replace it"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&t).expect("read"), "precious\n");
    let o = detente(&["negotiate", BILATERAL, "--rounds", "5", "--trace", s(&t), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&t).expect("read").starts_with("{\"trace\":\"detente/2\""));
    // --force alone (without an output) is a usage error, as before
    assert_eq!(detente(&["negotiate", "--force"]).status.code(), Some(2));
}

#[test]
fn convert_never_replaces_an_existing_file_without_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.json");
    std::fs::write(&out, "precious\n").expect("write");
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "json", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("out.json: already exists; give --force to replace it"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "precious\n");
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "json", s(&out), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(detente(&["scenario", "validate", s(&out)]).status.success());
}

#[test]
fn an_input_is_never_overwritten_even_with_force() {
    let (dir, p) = scenario_copy(BILATERAL);
    let before = std::fs::read(&p).expect("read");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&p, &link).expect("symlink");
    let roundabout = dir.path().join(".").join("s.toml");
    let cases: Vec<Vec<&str>> = vec![
        vec!["negotiate", s(&p), "--rounds", "5", "--trace", s(&p)],
        vec!["scenario", "convert", s(&p), "--to", "toml", s(&p)],
        vec!["negotiate", s(&p), "--rounds", "5", "--trace", s(&p), "--force"],
        vec!["negotiate", s(&p), "--rounds", "5", "--trace", s(&roundabout), "--force"],
        vec!["negotiate", s(&p), "--rounds", "5", "--trace", s(&link), "--force"],
        vec!["negotiate", s(&p), "--rounds", "5", "--html", s(&p), "--force"],
        vec!["scenario", "convert", s(&p), "--to", "toml", s(&p), "--force"],
        vec!["scenario", "convert", s(&p), "--to", "json", s(&link), "--force"],
        vec!["scenario", "convert", s(&p), "--to", "genius", s(dir.path()), "--force"],
        vec!["study", s(&p), "--runs", "0", "--html", s(&p), "--force"],
        vec!["analyze", s(&p), "--html", s(&p), "--force"],
        vec!["forecast", s(&p), "--html", s(&p), "--force"],
    ];
    for args in cases {
        let o = detente(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("an input is never overwritten, even with --force"), "{args:?}: {err}");
        assert_eq!(std::fs::read(&p).expect("read"), before, "{args:?} changed the input");
    }
    // A GENIUS folder as input: neither itself nor a file inside it is an output.
    let folder = dir.path().join("g");
    assert!(detente(&["scenario", "convert", BILATERAL, "--to", "genius", s(&folder)]).status.success());
    let files = visible(&folder);
    for args in [
        vec!["scenario", "convert", s(&folder), "--to", "genius", s(&folder), "--force"],
        vec!["scenario", "convert", s(&folder), "--to", "toml", s(&folder.join("x.toml")), "--force"],
    ] {
        let o = detente(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        assert!(stderr(&o).contains("input"), "{args:?}: {}", stderr(&o));
        assert_eq!(visible(&folder), files, "{args:?} changed the input folder");
    }
    assert!(detente(&["scenario", "validate", s(&folder)]).status.success());
}

#[test]
fn a_convert_killed_midway_leaves_the_old_file_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    // the reference scenario's TOML is ~20 KB: the limit of 2 KB cuts it off midway; a new file
    // is not there at all rather than half there
    let new = dir.path().join("new.json");
    detente_killed_by_file_limit(4, &["scenario", "convert", UKRAINE, "--to", "json", s(&new)]);
    assert!(!new.exists(), "a killed write left a partial {}", new.display());
    // and an old file replaced with --force is still whole
    let out = dir.path().join("out.toml");
    std::fs::copy(repo().join(BILATERAL), &out).expect("copy");
    let before = std::fs::read(&out).expect("read");
    detente_killed_by_file_limit(4, &["scenario", "convert", UKRAINE, "--to", "toml", s(&out), "--force"]);
    assert_eq!(std::fs::read(&out).expect("read"), before, "the killed write truncated the old file");
    assert_eq!(visible(dir.path()), ["out.toml"]);
}

#[test]
fn a_negotiate_trace_killed_midway_leaves_the_old_trace_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let t = dir.path().join("t.jsonl");
    detente_killed_by_file_limit(1, &["negotiate", BILATERAL, "--rounds", "50", "--trace", s(&t)]);
    assert!(!t.exists(), "a killed run left a partial trace");
    std::fs::write(&t, "the previous trace\n").expect("write");
    detente_killed_by_file_limit(1, &["negotiate", BILATERAL, "--rounds", "50", "--trace", s(&t), "--force"]);
    assert_eq!(std::fs::read_to_string(&t).expect("read"), "the previous trace\n");
}

#[test]
fn a_genius_export_killed_midway_leaves_no_folder_and_the_old_export_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    detente_killed_by_file_limit(1, &["scenario", "convert", UKRAINE, "--to", "genius", s(&out)]);
    assert!(!out.exists(), "the killed export left a partial folder: {:?}", visible(&out));
    // replacing an earlier export: killed midway, the earlier one is still whole and reads
    assert!(detente(&["scenario", "convert", BILATERAL, "--to", "genius", s(&out)]).status.success());
    let files = visible(&out);
    detente_killed_by_file_limit(1, &["scenario", "convert", UKRAINE, "--to", "genius", s(&out), "--force"]);
    assert_eq!(visible(&out), files);
    let o = detente(&["scenario", "validate", s(&out)]);
    assert!(stdout(&o).contains("2 actors"), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn concurrent_exports_into_one_new_folder_never_mix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let alone = |scenario: &str| {
        let d = dir.path().join(format!("alone-{}", scenario.len()));
        assert!(detente(&["scenario", "convert", scenario, "--to", "genius", s(&d)]).status.success());
        visible(&d)
    };
    let (a, b) = (alone(UKRAINE), alone(BILATERAL));
    for round in 0..8 {
        let out = dir.path().join(format!("race-{round}"));
        let spawn = |scenario: &str| {
            Command::new(env!("CARGO_BIN_EXE_detente"))
                .args(["scenario", "convert", scenario, "--to", "genius", s(&out)])
                .current_dir(repo())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (x, y) = (spawn(UKRAINE), spawn(BILATERAL));
        let (x, y) = (x.wait_with_output().expect("wait"), y.wait_with_output().expect("wait"));
        let ok = [x.status.success(), y.status.success()];
        assert_eq!(ok.iter().filter(|&&k| k).count(), 1, "round {round}: exactly one export wins: {ok:?}; {} {}", stderr(&x), stderr(&y));
        let loser = if ok[0] { &y } else { &x };
        assert_eq!(loser.status.code(), Some(1));
        assert!(stderr(loser).contains("the folder is not empty"), "round {round}: {}", stderr(loser));
        let got = visible(&out);
        assert!(got == if ok[0] { a.clone() } else { b.clone() }, "round {round}: mixed files {got:?}");
        assert_eq!(listing(dir.path()).len(), 3 + round, "round {round}: no temporary folder is left: {:?}", listing(dir.path()));
    }
}

#[test]
fn force_replaces_an_earlier_export_but_never_a_folder_holding_anything_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    assert!(detente(&["scenario", "convert", BILATERAL, "--to", "genius", s(&out)]).status.success());
    let o = detente(&["scenario", "convert", UKRAINE, "--to", "genius", s(&out), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = detente(&["scenario", "validate", s(&out)]);
    assert!(stdout(&o).contains("4 actors"), "only the new export is there: {}{}", stdout(&o), stderr(&o));
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "genius", s(&out), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("holds more than an earlier GENIUS export"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).expect("read"), "mine");
    assert_eq!(listing(dir.path()), ["out"], "nothing left beside it");
}

#[test]
fn outputs_are_regular_files_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let null = dir.path().join("t.jsonl");
    std::os::unix::fs::symlink("/dev/null", &null).expect("symlink");
    let o = detente(&["negotiate", BILATERAL, "--rounds", "5", "--trace", s(&null), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("is not a regular file"), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&null).expect("still there").file_type().is_symlink());
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "json", s(dir.path()), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    let file = dir.path().join("f");
    std::fs::write(&file, "x").expect("write");
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "genius", s(&file), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "x");
    let o = detente(&["scenario", "convert", BILATERAL, "--to", "json", s(&dir.path().join("no/such/folder.json"))]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("does not exist") && !stderr(&o).contains(".detente-partial-"), "{}", stderr(&o));
}

#[test]
fn two_outputs_of_one_command_never_share_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = dir.path().join("x");
    let o = detente(&["negotiate", BILATERAL, "--rounds", "5", "--trace", s(&f), "--html", s(&f)]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("name the same file"), "{}", stderr(&o));
    assert!(!f.exists());
}
