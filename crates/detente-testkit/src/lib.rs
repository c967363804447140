//! Test support, not published: the helpers that tests of several crates share.
//!
//! - [`shared_dir`] finds the third-party reference data in `../shared` (beside the repository).
//!   A test that needs it is marked `#[ignore = "needs ../shared"]`, so `cargo test` lists it as
//!   ignored, never as passed; `cargo test -- --include-ignored` (CI, the README) runs it, and a
//!   missing folder then fails the test. The data are never copied into the repository (unclear
//!   licence).
//! - [`negmas_vectors`] and [`vector_scenario`] build scenarios straight from the ufun
//!   definitions recorded in `negmas-vectors/vectors.json`, an oracle independent of our
//!   GENIUS reader.
//! - [`shipped_scenario`] and [`reference_scenario`] read the scenarios of the repository's
//!   `scenarios/` folder.

use detente_core::{
    Actor, Issue, LinearAdditive, Metadata, OutcomeSpace, Preferences, ProtocolDefaults, Reservation, Scenario, ScenarioDraft, Utility,
    ValueFunction,
};
use serde_json::Value as Json;
use std::path::PathBuf;

/// The reason every test that reads `../shared` is ignored by a plain `cargo test`.
pub const NEEDS_SHARED: &str = "needs ../shared";

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scenario of the repository's `scenarios/` folder, e.g. `ukraine-ceasefire-2025.toml`.
///
/// # Panics
/// When the file does not read: the shipped scenarios are fixed input.
pub fn shipped_scenario(name: &str) -> Scenario {
    let p = repo_root().join("scenarios").join(name);
    detente_formats::load_path(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The reference scenario, `scenarios/ukraine-ceasefire-2025.toml` (the CLI's built-in one).
pub fn reference_scenario() -> Scenario {
    shipped_scenario("ukraine-ceasefire-2025.toml")
}

/// `../shared` relative to the workspace root.
///
/// # Panics
/// When the folder is missing: a test that calls this is `#[ignore = "needs ../shared"]`, and
/// one that is run anyway must fail rather than pass without having checked anything.
pub fn shared_dir() -> PathBuf {
    let shared = repo_root().join("../shared");
    if shared.join("data").is_dir() {
        return shared.canonicalize().unwrap_or(shared);
    }
    panic!(
        "reference data missing: expected {} beside the repository (tests marked `{NEEDS_SHARED}` fail without it; `cargo test` without --include-ignored leaves them out)",
        shared.display()
    );
}

/// A file or folder under `../shared/data`.
///
/// # Panics
/// When it is missing (see [`shared_dir`]).
pub fn shared_data(rel: &str) -> PathBuf {
    let p = shared_dir().join("data").join(rel);
    if !p.exists() {
        panic!("reference data missing: {} (../shared is present but incomplete)", p.display());
    }
    p
}

/// A JSON file under `../shared/data`, parsed.
///
/// # Panics
/// When it is missing or malformed.
pub fn shared_json(rel: &str) -> Json {
    let p = shared_data(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The parsed `negmas-vectors/vectors.json`.
///
/// # Panics
/// When it is missing or malformed.
pub fn negmas_vectors() -> Json {
    shared_json("negmas-vectors/vectors.json")
}

/// Builds the scenario that one entry of `vectors.json["scenarios"]` describes: categorical
/// issues in NegMAS order, linear additive ufuns with raw table values (NegMAS semantics: no
/// normalisation, no clamp), and the recorded reserved values. Actors are `u0`, `u1`, ….
///
/// # Panics
/// On a malformed entry: the reference file is fixed input, and a test should stop there.
pub fn vector_scenario(entry: &Json) -> Scenario {
    let issues: Vec<Issue> = entry["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            let values: Vec<&str> = i["values"].as_array().expect("values").iter().map(|v| v.as_str().expect("string value")).collect();
            assert_eq!(i["type"], "CategoricalIssue", "only categorical issues occur in the vectors");
            Issue::categorical(i["name"].as_str().expect("name"), &values)
        })
        .collect();
    let space = OutcomeSpace::new(issues);
    let actors = entry["ufuns"]
        .as_array()
        .expect("ufuns")
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let weights: Vec<f64> = u["weights"].as_array().expect("weights").iter().map(|w| w.as_f64().expect("weight")).collect();
            let values = u["values"]
                .as_array()
                .expect("values")
                .iter()
                .zip(space.issues())
                .map(|(v, issue)| {
                    assert_eq!(v["kind"], "table");
                    let map: Vec<(String, f64)> = v["mapping"]
                        .as_array()
                        .expect("mapping")
                        .iter()
                        .map(|p| (p[0].as_str().expect("key").to_string(), p[1].as_f64().expect("value")))
                        .collect();
                    let opts = issue.options().expect("categorical");
                    ValueFunction::Table(
                        opts.iter()
                            .map(|o| map.iter().find(|(k, _)| *k == o.id).map(|(_, x)| *x).expect("every option has a value"))
                            .collect(),
                    )
                })
                .collect();
            let la = LinearAdditive { bias: u["bias"].as_f64().unwrap_or(0.0), weights, values, clamp: None };
            let mut prefs = Preferences::new(Utility::LinearAdditive(la));
            prefs.reservation = Reservation::Value(u["reserved_value"].as_f64().unwrap_or(0.0));
            Actor::party(format!("u{k}"), prefs)
        })
        .collect();
    ScenarioDraft {
        meta: Metadata {
            id: entry["path"].as_str().unwrap_or("vector").to_string(),
            title: entry["name"].as_str().unwrap_or("").to_string(),
            ..Default::default()
        },
        space,
        actors,
        protocol: ProtocolDefaults::default(),
        salience: Default::default(),
        openings: vec![],
        variants: vec![],
    }
    .validate()
    .expect("invariant: a valid scenario")
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::UtilityFunction;

    /// The recorded utility table (outcome index order) agrees with our model of the ufuns.
    #[test]
    #[ignore = "needs ../shared"]
    fn vector_scenarios_reproduce_recorded_utility_tables() {
        let v = negmas_vectors();
        let scenarios = v["scenarios"].as_array().expect("scenarios");
        assert_eq!(scenarios.len(), 9);
        for entry in scenarios {
            let s = vector_scenario(entry);
            assert_eq!(s.space.cardinality().as_u64(), entry["n_outcomes"].as_u64());
            let Some(table) = entry["utility_table"].as_array() else { continue };
            for (i, row) in table.iter().enumerate() {
                let o = s.space.outcome_at(i as u64).expect("index in range");
                for (k, a) in s.actors.iter().enumerate() {
                    let want = row[k].as_f64().expect("utility");
                    let got = a.preferences.utility.utility(&s.space, &o);
                    assert!((got - want).abs() < 1e-9, "{} outcome {i} actor {k}: {got} vs {want}", entry["path"]);
                }
            }
        }
    }
}
