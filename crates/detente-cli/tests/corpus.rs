//! The front door against the reference platforms, on every GENIUS folder the project has: the
//! nine NegMAS vector domains and the nine GENIUS domains of `../shared/data`, read by
//! `detente analyze` itself under both semantics (issue #14: the library read NegMAS's way, but
//! the command line always read GENIUS's way).
//!
//! - `--semantics negmas`: the frontier and the Nash point equal NegMAS 0.16's — for the vector
//!   domains its `calc_scenario_stats` in `vectors.json`; for the GENIUS domains the figures
//!   below, measured with NegMAS 0.16.0 (`Scenario.load(folder)`, `pareto_frontier` over every
//!   outcome, `nash_points`; the script is in the closing note of #14).
//! - `--semantics genius` (and no option: GENIUS folders default to GENIUS's reading): the
//!   GENIUS 10.4 goldens of `../shared/data/genius/SOURCES.md`.
//! - every report says how its file was read (`read_with`).

use crate::common::{detente, json, stderr};
use detente_testkit::{negmas_vectors, shared_data};
use serde_json::Value as Json;

fn analyze(folder: &str, semantics: Option<&str>) -> Json {
    let path = shared_data(folder);
    let path = path.to_str().expect("a UTF-8 path");
    let mut args = vec!["analyze", path, "--json", "--frontier"];
    if let Some(s) = semantics {
        args.extend(["--semantics", s]);
    }
    let out = detente(&args);
    assert!(out.status.success(), "{folder} {semantics:?}: {}", stderr(&out));
    json(&out)
}

fn floats(j: &Json) -> Vec<f64> {
    j.as_array().expect("an array").iter().map(|x| x.as_f64().expect("a number")).collect()
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

fn frontier(report: &Json) -> Vec<Vec<f64>> {
    report["frontier"].as_array().expect("--frontier lists the points").iter().map(|p| floats(&p["utilities"])).collect()
}

fn nash(report: &Json) -> Vec<(u64, Vec<f64>)> {
    report["solutions"]["nash"]["points"]
        .as_array()
        .expect("Nash points")
        .iter()
        .map(|p| (p["outcome"].as_u64().expect("an outcome index"), floats(&p["utilities"])))
        .collect()
}

#[test]
#[ignore = "needs ../shared"]
fn the_nine_negmas_vector_domains_read_with_negmas_semantics_give_negmas_frontiers_and_nash_points() {
    let v = negmas_vectors();
    let mut checked = 0;
    for entry in v["scenarios"].as_array().expect("scenarios") {
        let path = entry["path"].as_str().expect("a path");
        let r = analyze(&format!("negmas-vectors/scenarios/{path}"), Some("negmas"));
        assert_eq!(r["read_with"], "negmas", "{path}");
        assert_eq!(r["semantics"], "negmas", "{path}");
        let stats = &entry["stats"];
        // NegMAS's frontier is over the outcomes every party rates at least its reservation
        let got = frontier(&r);
        let rational: Vec<&Vec<f64>> = got
            .iter()
            .filter(|p| {
                p.iter()
                    .zip(r["parties"].as_array().unwrap())
                    .all(|(u, party)| *u >= party["reservation"].as_f64().unwrap_or(f64::NEG_INFINITY))
            })
            .collect();
        let want: Vec<Vec<f64>> = stats["pareto_utils"].as_array().expect("pareto").iter().map(floats).collect();
        assert_eq!(rational.len(), want.len(), "{path}: rational frontier size");
        for w in &want {
            assert!(rational.iter().any(|g| close(g, w, 1e-9)), "{path}: NegMAS frontier point {w:?} missing");
        }
        let want_nash: Vec<Vec<f64>> = stats["nash_utils"].as_array().expect("nash").iter().map(floats).collect();
        for (_, g) in nash(&r) {
            assert!(want_nash.iter().any(|w| close(&g, w, 1e-9)), "{path}: our Nash {g:?} is not NegMAS's {want_nash:?}");
        }
        checked += 1;
    }
    assert_eq!(checked, 9);
}

/// NegMAS 0.16.0 on the GENIUS domains: (folder, outcomes, frontier size, a Nash outcome and its
/// utilities). Laptop and Grocery are discounted: NegMAS then reports no reservation (−∞).
const NEGMAS_ON_GENIUS: [(&str, u64, usize, u64, &[f64]); 9] = [
    ("Energy", 390_625, 252, 334_050, &[5.449999999999999, 4.23]),
    ("EnglandZimbabwe", 576, 23, 377, &[8.207494443337346, 8.544396576863491]),
    ("Grocery", 1_600, 7, 349, &[8.399999999999999, 8.95]),
    ("ItexvsCypress", 180, 17, 157, &[22.699524634769652, 18.51841656520257]),
    ("Laptop", 27, 4, 9, &[25.549428353496992, 16.213247442421853]),
    (
        "Party",
        3_072,
        1_157,
        487,
        &[
            2.6100000000000003,
            7.094162312296719,
            15.692481789213867,
            3.0952354,
            4.8493468387623135,
            15.870902637358505,
            8.350169533705309,
            3.8484197703170477,
            8.350169533705309,
        ],
    ),
    ("Politics", 23_040, 121, 20_647, &[3.7230477299656113, 4.932753274984913, 7.241559672452845]),
    ("SmartEnergyGrid", 984, 103, 961, &[2.9979371678051447, 8.439774167380449, 3.792728405868749]),
    ("Travel", 188_160, 21, 163_604, &[337.91430180040345, 287.9892172774065]),
];

#[test]
#[ignore = "needs ../shared"]
fn the_nine_genius_domains_read_with_negmas_semantics_give_negmas_frontiers_and_nash_points() {
    let mut wrong = Vec::new();
    for (folder, outcomes, size, nash_outcome, nash_utils) in NEGMAS_ON_GENIUS {
        let r = analyze(&format!("genius/{folder}"), Some("negmas"));
        assert_eq!(r["read_with"], "negmas", "{folder}");
        assert_eq!(r["outcome_count"].as_u64(), Some(outcomes), "{folder}");
        if r["frontier_size"].as_u64() != Some(size as u64) {
            wrong.push(format!("{folder}: frontier {} points, NegMAS {size}", r["frontier_size"]));
        }
        if ["Laptop", "Grocery"].contains(&folder) {
            // discounted: NegMAS's wrapper walks away with −∞, so every outcome is rational
            assert!(r["parties"].as_array().unwrap().iter().all(|p| p["reservation"].is_null()), "{folder}: {}", r["parties"]);
            assert_eq!(r["rational_fraction"].as_f64(), Some(1.0), "{folder}");
        }
        let ours = nash(&r);
        if !ours.iter().any(|(o, u)| *o == nash_outcome && close(u, nash_utils, 1e-9)) {
            wrong.push(format!("{folder}: Nash {ours:?}, NegMAS {nash_outcome} {nash_utils:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// GENIUS 10.4 goldens (`SOURCES.md`) for the domains whose every profile they cover: (folder,
/// opposition, frontier size if stated, Nash utilities if stated — compared as a set of
/// values, since GENIUS lists the parties in its own order).
type Golden = (&'static str, f64, Option<u64>, Option<[f64; 2]>);

const GENIUS_GOLDENS: [Golden; 8] = [
    ("Laptop", 0.15961, Some(4), Some([1.0, 0.81511])),
    ("ItexvsCypress", 0.43146, Some(18), Some([0.72148, 0.67048])),
    ("EnglandZimbabwe", 0.27212, Some(25), Some([0.91092, 0.73322])),
    ("Grocery", 0.19138, Some(7), Some([0.84, 0.895])),
    ("SmartEnergyGrid", 0.40140, None, None),
    ("Politics", 0.46350, None, None),
    ("Travel", 0.23027, Some(12), Some([0.88241, 0.80202])),
    ("Party", 0.73145, None, None),
];

#[test]
#[ignore = "needs ../shared"]
fn the_genius_domains_read_by_default_and_with_genius_semantics_give_the_genius_goldens() {
    for (folder, opposition, size, nash_utils) in GENIUS_GOLDENS {
        let default = analyze(&format!("genius/{folder}"), Some("genius"));
        assert_eq!(default["read_with"], "genius", "{folder}");
        assert_eq!(default["semantics"], "genius", "{folder}");
        let opp = default["opposition"].as_f64().expect("opposition");
        assert!((opp - opposition).abs() < 5e-5, "{folder}: opposition {opp} vs GENIUS {opposition}");
        if let Some(n) = size {
            assert_eq!(default["frontier_size"].as_u64(), Some(n), "{folder}: frontier size");
        }
        if let Some(want) = nash_utils {
            let mut want = want.to_vec();
            want.sort_by(f64::total_cmp);
            let got: Vec<Vec<f64>> = nash(&default)
                .into_iter()
                .map(|(_, mut u)| {
                    u.sort_by(f64::total_cmp);
                    u
                })
                .collect();
            assert!(got.iter().any(|u| close(u, &want, 5e-5)), "{folder}: Nash {got:?} vs GENIUS {want:?}");
        }
    }
    // Without --semantics a GENIUS folder is read as GENIUS reads it (the solutions then follow
    // NegMAS's definitions, the analysis's default): the report says both.
    let r = analyze("genius/Laptop", None);
    assert_eq!((r["read_with"].as_str(), r["semantics"].as_str()), (Some("genius"), Some("negmas")));
}
