//! Every kept fuzz input — the seed and minimised corpora in `fuzz/corpus/<target>/` and the
//! crash, hang and out-of-memory reproducers in `fuzz/regressions/<target>/` — runs through its
//! target's body (`detente_formats::fuzzing`) on stable Rust: a fixed defect stays fixed.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn every_kept_fuzz_input_runs_clean() {
    let mut ran = 0;
    for (target, body) in detente_formats::fuzzing::TARGETS {
        let mut inputs = 0;
        for kind in ["corpus", "regressions"] {
            let dir = root().join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a readable entry").path()).collect();
            files.sort();
            for f in files {
                let data = std::fs::read(&f).expect("a readable input");
                let outcome = std::panic::catch_unwind(|| body(&data));
                assert!(outcome.is_ok(), "{target}: {} panics", f.display());
                inputs += 1;
            }
        }
        assert!(inputs > 0, "{target}: no corpus kept in fuzz/corpus/{target}");
        ran += inputs;
    }
    println!("{ran} fuzz inputs ran clean");
}
