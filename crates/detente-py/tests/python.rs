//! The Python package as a user gets it: the abi3 wheel built with maturin, installed with pip
//! into a fresh venv (with dask.distributed and NegMAS for the cluster and interop tests), and
//! its pytest suite (`pytests/`) run there.
//!
//! Needs an interpreter with maturin (`DETENTE_PYTHON`, as `.ci/run` sets up); ignored by a
//! plain `cargo test`, and failing — not passing — when run without one.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(what: &str, cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

#[test]
#[ignore = "needs DETENTE_PYTHON: a Python with maturin"]
fn the_wheel_installs_in_a_fresh_venv_and_its_tests_pass() {
    let python = std::env::var("DETENTE_PYTHON").expect("DETENTE_PYTHON names a Python with maturin (see .ci/run)");
    let tmp = tempfile::tempdir().expect("tempdir");
    let wheels = tmp.path().join("wheels");
    run(
        "maturin build",
        Command::new(&python)
            .args(["-m", "maturin", "build", "--quiet", "-m", "crates/detente-py/Cargo.toml", "-o"])
            .arg(&wheels)
            .current_dir(repo()),
    );
    let wheel = std::fs::read_dir(&wheels)
        .expect("wheels")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .expect("a wheel was built");
    let name = wheel.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.contains("-abi3-"), "not an abi3 wheel: {name}");
    let venv = tmp.path().join("venv");
    run("python -m venv", Command::new(&python).args(["-m", "venv"]).arg(&venv));
    let vpy = venv.join("bin/python");
    run(
        "pip install",
        // pytest; dask.distributed for detente.dask's LocalCluster test; NegMAS (the version the
        // peer scripts measure) for detente.negmas's conversion test
        Command::new(&vpy).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]).arg(&wheel).args([
            "pytest",
            "dask[distributed]",
            "negmas==0.16.0",
        ]),
    );
    // run from outside the repository, so that only the installed package can be imported
    let out = run(
        "pytest",
        Command::new(&vpy)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
            .arg(repo().join("crates/detente-py/pytests"))
            .current_dir(tmp.path()),
    );
    println!("{out}");
    assert!(out.contains(" passed"), "{out}");
    assert!(!out.contains("skipped"), "a Python test was skipped:\n{out}");
}
