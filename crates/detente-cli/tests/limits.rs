//! The binary at and past the limits of `detente_core::limits` (issue #11): every bad input is
//! an error report with exit code 1 — never a panic (101), an abort (134) or a hang. Inputs are
//! generated here.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn run(args: &[&str]) -> Output {
    detente(args)
}

/// Runs the binary, killing it (and failing) if it has not finished after a minute: a guard
/// against a hang, not a timing assertion (the inputs take milliseconds).
fn run_guarded(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("detente {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn assert_reported(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit code; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(needle), "stderr lacks {needle:?}:\n{}", &err[..err.len().min(3000)]);
}

fn two_parties(issue: &str) -> String {
    let mut s = format!("format = 1\nid = \"x\"\ntitle = \"x\"\n{issue}");
    for (id, slope, offset) in [("p", "-1e-12", "1"), ("q", "1e-12", "0")] {
        s.push_str(&format!(
            "[[actors]]\nid = \"{id}\"\nrole = \"party\"\n[actors.preferences]\ntype = \"linear\"\n[actors.preferences.weights]\na = 1\n\
             [actors.preferences.values]\na = {{ slope = {slope}, offset = {offset} }}\n"
        ));
    }
    s
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn an_error_past_column_65536_is_reported_not_a_panic() {
    // Before: miette's renderer panicked ("Formatting argument out of range"), exit 101.
    let dir = tempfile::tempdir().unwrap();
    let options: Vec<String> = (0..10_000).map(|i| format!("\"o{i}\"")).collect();
    // Native JSON, minified, over 64 KB, one mistake at its end.
    let json = format!(
        "{{\"format\":1,\"id\":\"x\",\"title\":\"x\",\"issues\":[{{\"id\":\"a\",\"kind\":\"categorical\",\"options\":[{}]}}],\"actors\":[],\"titel\":1}}",
        options.join(",")
    );
    assert!(json.len() > 70_000);
    let f = write(dir.path(), "min.json", &json);
    let o = run(&["scenario", "validate", &f]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = run(&["scenario", "show", &f]);
    assert_reported(&o, "min.json:1:");
    assert!(stderr(&o).contains("^ here"), "{}", stderr(&o));
    assert!(stderr(&o).lines().all(|l| l.chars().count() < 1_100), "the line is clipped");
    // TOML: a long array on one line, a wrong value at its end.
    let toml = format!(
        "format = 1\nid = \"x\"\ntitle = \"x\"\n[[issues]]\nid = \"a\"\nkind = \"categorical\"\noptions = [{}, 5]\n",
        options.join(", ")
    );
    let f = write(dir.path(), "long.toml", &toml);
    assert_reported(&run(&["scenario", "show", &f]), "long.toml:7:");
    // GENIUS XML on one line, an unclosed tag at its end.
    let items: String = (0..5_000).map(|i| format!("<item index=\"{i}\" value=\"v{i}\"/>")).collect();
    let xml = format!("<negotiation_template><utility_space><objective index=\"0\" name=\"o\"><issue index=\"1\" name=\"a\">{items}</objective></utility_space></negotiation_template>");
    let f = write(dir.path(), "d.xml", &xml);
    assert_reported(&run(&["scenario", "show", &f]), "d.xml:1:");
}

#[test]
fn analyze_and_study_refuse_an_issue_too_large_to_tabulate() {
    // Before: the per-issue tables were allocated until the allocator aborted (exit 134).
    let dir = tempfile::tempdir().unwrap();
    let int = write(
        dir.path(),
        "int.toml",
        &two_parties("[[issues]]\nid = \"a\"\nkind = \"integer\"\nmin = 0\nmax = 1000000000000\nstep = 1000\n"),
    );
    let real =
        write(dir.path(), "real.toml", &two_parties("[[issues]]\nid = \"a\"\nkind = \"real\"\nmin = 0\nmax = 1\ngrid = 4000000000\n"));
    for f in [&int, &real] {
        assert_reported(&run(&["analyze", f]), "more than the analysis tabulates per issue (limit 10000000)");
    }
    let o = run(&["study", &int, "--runs", "0", "--seeds", "1"]);
    let err = stderr(&o);
    assert!(!err.contains("panicked") && o.status.code() != Some(134), "{err}");
    assert!(format!("{}{err}", stdout(&o)).contains("more than the analysis tabulates per issue"), "{err}");
}

#[test]
fn a_scenario_with_too_many_actors_is_refused() {
    // Before: `study` with 5,000 actors aborted allocating 2.6 GB.
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::from("format = 1\nid = \"x\"\ntitle = \"x\"\n[[issues]]\nid = \"a\"\nkind = \"integer\"\nmin = 0\nmax = 100\n");
    for i in 0..5_000 {
        s.push_str(&format!(
            "[[actors]]\nid = \"p{i}\"\nrole = \"party\"\n[actors.preferences]\ntype = \"spatial\"\n[actors.preferences.positions]\na = {{ ideal = {}, salience = 1 }}\n",
            i % 101
        ));
    }
    let f = write(dir.path(), "crowd.toml", &s);
    assert_reported(&run(&["study", &f]), "5000 actors are too many: expected at most 1000");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO named *.xml in a scenario folder: before, `validate` blocked forever.
    let folder = dir.path().join("g");
    std::fs::create_dir(&folder).unwrap();
    let fifo = folder.join("domain.xml");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs").success());
    let o = run_guarded(&["scenario", "validate", &folder.display().to_string()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(format!("{}{}", stdout(&o), stderr(&o)).contains("is a FIFO (named pipe); expected a regular file"), "{}", stderr(&o));
    // A *.toml symlink to /dev/zero: before, read until memory ran out.
    let zero = dir.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    assert_reported(&run_guarded(&["scenario", "show", &zero.display().to_string()]), "is a character device; expected a regular file");
}

#[test]
fn a_byte_that_is_not_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.toml");
    std::fs::write(&p, b"format = 1\nid = \"x\"\ntitle = \"caf\xe9\"\n").unwrap();
    assert_reported(&run(&["scenario", "show", &p.display().to_string()]), "latin1.toml:3:13: byte 0xe9 is not UTF-8");
}
