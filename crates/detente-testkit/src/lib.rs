//! Test support, not published.
//!
//! - [`shared_dir`] finds the third-party reference data in `../shared` (beside the repository).
//!   In CI (`CI` set) a missing folder is a loud failure; elsewhere the caller skips with a
//!   printed reason. The data are never copied into the repository (unclear licence).
//! - [`negmas_vectors`] and [`vector_scenario`] build scenarios straight from the ufun
//!   definitions recorded in `negmas-vectors/vectors.json`, an oracle independent of our
//!   GENIUS reader.

use detente_core::{
    Actor, Issue, LinearAdditive, Metadata, OutcomeSpace, Preferences, ProtocolDefaults, Reservation, Scenario, ScenarioDraft, Utility,
    ValueFunction,
};
use serde_json::Value as Json;
use std::path::PathBuf;

/// `../shared` relative to the workspace root, if present.
///
/// # Panics
/// When the folder is missing and the `CI` environment variable is set: CI always has it, so
/// its absence there is a broken set-up, not a reason to skip.
pub fn shared_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared");
    if shared.join("data").is_dir() {
        return Some(shared.canonicalize().unwrap_or(shared));
    }
    if std::env::var_os("CI").is_some() {
        panic!("reference data missing: expected {} (CI must lay ../shared beside the clone)", shared.display());
    }
    eprintln!("skipping: reference data {} not found (tests that need ../shared skip outside CI)", shared.display());
    None
}

/// A file or folder under `../shared/data`, or `None` (with the printed reason) outside CI.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let p = shared_dir()?.join("data").join(rel);
    if !p.exists() {
        panic!("reference data missing: {} (../shared is present but incomplete)", p.display());
    }
    Some(p)
}

/// The parsed `negmas-vectors/vectors.json`.
pub fn negmas_vectors() -> Option<Json> {
    let p = shared_data("negmas-vectors/vectors.json")?;
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
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
    fn vector_scenarios_reproduce_recorded_utility_tables() {
        let Some(v) = negmas_vectors() else { return };
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
