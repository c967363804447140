//! Tidy checks: the crate boundaries ARCHITECTURE.md states are enforced here, so they cannot
//! rot silently (rust-analyzer's `xtask tidy` idea, as a plain test).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `[dependencies]` names of each workspace crate (dev-dependencies are free).
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(crates_dir()).expect("crates/ is readable") {
        let dir = entry.expect("entry").path();
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else { continue };
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_deps = line == "[dependencies]";
                continue;
            }
            if in_deps && !line.is_empty() && !line.starts_with('#') {
                let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim().to_string();
                deps.push(name);
            }
        }
        out.insert(dir.file_name().expect("name").to_string_lossy().into_owned(), deps);
    }
    out
}

/// Which detente crates each crate may depend on (ARCHITECTURE.md, "Boundaries").
const ALLOWED: &[(&str, &[&str])] = &[
    ("detente-core", &[]),
    ("detente-conflict", &[]),
    ("detente-formats", &["detente-core", "detente-conflict"]),
    ("detente-analysis", &["detente-core"]),
    ("detente-protocol", &["detente-core"]),
    ("detente-agents", &["detente-core", "detente-protocol"]),
    ("detente-forecast", &["detente-core"]),
    ("detente-testkit", &["detente-core", "detente-formats"]),
    ("detente-study", &["detente-core", "detente-analysis", "detente-protocol", "detente-agents", "detente-forecast", "detente-conflict"]),
    ("detente-report", &["detente-study", "detente-conflict", "detente-tournament"]),
    ("detente-tournament", &["detente-core", "detente-protocol", "detente-agents", "detente-study"]),
    ("detente-server", &["detente-core", "detente-formats", "detente-protocol", "detente-agents", "detente-study", "detente-report"]),
    (
        "detente",
        &[
            "detente-core",
            "detente-formats",
            "detente-analysis",
            "detente-protocol",
            "detente-agents",
            "detente-forecast",
            "detente-study",
            "detente-conflict",
            "detente-tournament",
        ],
    ),
    (
        "detente-py",
        &[
            "detente-core",
            "detente-conflict",
            "detente-formats",
            "detente-analysis",
            "detente-protocol",
            "detente-agents",
            "detente-forecast",
            "detente-study",
            "detente-report",
            "detente-tournament",
        ],
    ),
    (
        "detente-cli",
        &[
            "detente-core",
            "detente-formats",
            "detente-analysis",
            "detente-protocol",
            "detente-agents",
            "detente-forecast",
            "detente-study",
            "detente-report",
            "detente-conflict",
            "detente-tournament",
            "detente-server",
        ],
    ),
];

#[test]
fn crate_dependencies_point_only_downwards() {
    let deps = dependencies();
    for (krate, list) in &deps {
        let allowed = ALLOWED
            .iter()
            .find(|(k, _)| k == krate)
            .unwrap_or_else(|| panic!("{krate} is not listed in ALLOWED: add it here and in ARCHITECTURE.md"))
            .1;
        for d in list.iter().filter(|d| d.starts_with("detente")) {
            assert!(allowed.contains(&d.as_str()), "{krate} depends on {d}, which ARCHITECTURE.md does not allow");
        }
    }
}

#[test]
fn the_core_knows_no_formats_clock_or_randomness() {
    let deps = dependencies();
    let core = &deps["detente-core"];
    for banned in ["serde", "serde_json", "toml", "quick-xml", "rand", "rand_chacha", "rayon", "clap"] {
        assert!(!core.iter().any(|d| d == banned), "detente-core must not depend on {banned}");
    }
    for file in std::fs::read_dir(crates_dir().join("detente-core/src")).expect("core src") {
        let path = file.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("source");
        for banned in ["std::fs", "std::time", "SystemTime", "Instant::now", "thread_rng", "std::io::"] {
            assert!(!text.contains(banned), "{} uses {banned}: the core does no I/O and reads no clock", path.display());
        }
    }
}

#[test]
fn only_formats_and_the_cli_read_scenario_formats() {
    for (krate, list) in dependencies() {
        if krate == "detente-formats" || krate == "detente-cli" || krate == "detente-testkit" {
            continue;
        }
        for banned in ["toml", "quick-xml", "jsonc-parser", "encoding_rs"] {
            assert!(!list.iter().any(|d| d == banned), "{krate} depends on {banned}: only detente-formats knows file formats");
        }
    }
}

#[test]
fn every_library_opens_with_a_crate_doc() {
    for (krate, _) in dependencies() {
        let lib = crates_dir().join(&krate).join("src/lib.rs");
        let Ok(text) = std::fs::read_to_string(&lib) else { continue };
        assert!(text.trim_start().starts_with("//!"), "{} must open with a //! overview", lib.display());
    }
}

#[test]
fn the_cli_assembles_no_json_by_hand() {
    // Front ends print report types; a `json!` value in the CLI is a result computed or shaped
    // outside the libraries, which no other front end could reuse.
    let dir = crates_dir().join("detente-cli/src");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("cli sources") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                assert!(!text.contains("json!("), "{} builds JSON by hand: print a Serialize report type instead", path.display());
            }
        }
    }
}
