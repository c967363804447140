//! The expected-utility model against the BDM 1994 EU car-emission case (Scholz et al. 2011
//! Table 1) and the Iran 2013 case, from `shared/data/spatial/vectors.json`.

use detente_forecast::eu::{run_eu, EuPreset, EuRun};
use detente_forecast::{IssueInput, SpatialActor};
use detente_testkit::shared_json;
use serde_json::Value as Json;

fn vectors() -> Json {
    shared_json("spatial/vectors.json")
}

fn vector<'a>(all: &'a Json, id: &str) -> &'a Json {
    all["vectors"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("vector {id}"))
}

fn input(v: &Json) -> (IssueInput, Vec<String>) {
    let input = issue_input(v["id"].as_str().unwrap(), &v["actors"]);
    let names = input.actors.iter().map(|a| a.name.clone()).collect();
    (input, names)
}

/// One issue from a JSON list of actors `{name, position, salience, capability}`, on the scale
/// spanned by their positions (the layout of the shared vectors and of our own fixtures).
pub(crate) fn issue_input(id: &str, actors: &Json) -> IssueInput {
    let actors: Vec<SpatialActor> = actors
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            SpatialActor::new(
                a["name"].as_str().unwrap(),
                a["position"].as_f64().unwrap(),
                a["salience"].as_f64().unwrap(),
                a["capability"].as_f64().unwrap(),
            )
        })
        .collect();
    let lo = actors.iter().map(|a| a.position).fold(f64::INFINITY, f64::min);
    let hi = actors.iter().map(|a| a.position).fold(f64::NEG_INFINITY, f64::max);
    IssueInput { issue: id.to_string(), scale: (lo, hi), actors }
}

/// Compares a run with a recorded trajectory (rounds 1..=10): every actor's position, the median
/// and the mean, to `tol`.
fn assert_trajectory(run: &EuRun, names: &[String], recorded: &Json, tol: f64, label: &str) {
    let rounds = recorded["rounds"].as_array().unwrap();
    assert_eq!(run.rounds.len() + 1, rounds.len(), "{label}: number of rounds");
    for (ours, theirs) in run.rounds.iter().zip(&rounds[1..]) {
        let t = ours.round;
        assert_eq!(u64::from(t), theirs["round"].as_u64().unwrap());
        for (k, name) in names.iter().enumerate() {
            let want = theirs["positions"][name].as_f64().unwrap();
            assert!((ours.positions[k] - want).abs() < tol, "{label} round {t} {name}: ours {} recorded {want}", ours.positions[k]);
        }
        let (m, mean) = (theirs["median"].as_f64().unwrap(), theirs["mean"].as_f64().unwrap());
        assert!((ours.median - m).abs() < tol, "{label} round {t} median: ours {} recorded {m}", ours.median);
        assert!((ours.mean - mean).abs() < tol, "{label} round {t} mean: ours {} recorded {mean}", ours.mean);
        if let Some(risk) = theirs.get("risk_r_used").filter(|r| !r.is_null()) {
            for (k, name) in names.iter().enumerate() {
                let want = risk[name].as_f64().unwrap();
                assert!((ours.risk[k] - want).abs() < tol, "{label} round {t} r[{name}]: ours {} recorded {want}", ours.risk[k]);
            }
        }
    }
}

/// `scholz_code` reproduces the COMPUTED jmckib trajectory (positions, median, mean and the risk
/// exponents of all 10 rounds). The recorded values are printed to 6 decimals, so the tolerance
/// is 1e-6. The raw program output, at full precision, is pinned to 1e-9 in
/// `eu_capitulation` (case `jmckib-example-bdm1994`).
#[test]
#[ignore = "needs ../shared"]
fn scholz_code_reproduces_jmckib_on_eu_emissions() {
    let all = vectors();
    let v = vector(&all, "bdm1994-eu-emission-standards");
    let (input, names) = input(v);
    let run = run_eu(&input, &EuPreset::ScholzCode.params()).unwrap();
    assert_trajectory(&run, &names, &v["implementation_runs"]["jmckib_scholz_code_faithful"], 1e-6, "scholz_code");
}

/// The same preset on the Iran 2013 case (scale 1–10) reproduces jmckib's run there too — a
/// second, independent check of the offer-selection quirk (compromises chosen by the lowest
/// EU-weighted point), which the EU case alone does not pin down.
#[test]
#[ignore = "needs ../shared"]
fn scholz_code_reproduces_jmckib_on_iran_2013() {
    let all = vectors();
    let v = vector(&all, "preana2014-iran-2013-election");
    let (input, names) = input(v);
    let run = run_eu(&input, &EuPreset::ScholzCode.params()).unwrap();
    assert_trajectory(&run, &names, &v["implementation_runs"]["jmckib_scholz_code_faithful"], 1e-6, "scholz_code/iran");
}

/// Scholz's printed Table 2 (PUBLISHED): the closest preset, `scholz_code`, matches the median
/// truncated to one decimal in rounds 1 and 3–8, and the mean within 0.1 in all 8 rounds. Round
/// 2 differs: Table 2 prints 9.9, the reconstruction gives 9.61 (Belgium's compromise towards
/// France/Italy moves it by |b/a| of the way; Scholz's own run evidently moved it further). The
/// best open reconstruction (jmckib) has exactly the same single discrepancy, so the difference
/// lies in Scholz's unpublished code, not in this port.
#[test]
#[ignore = "needs ../shared"]
fn scholz_code_matches_scholz_table2_except_round_2() {
    let all = vectors();
    let v = vector(&all, "bdm1994-eu-emission-standards");
    let (input, _) = input(v);
    let run = run_eu(&input, &EuPreset::ScholzCode.params()).unwrap();
    let table = &v["published_expected"];
    let medians: Vec<f64> = table["scholz_table2_median_by_round_1_to_8"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let means: Vec<f64> = table["scholz_table2_mean_by_round_1_to_8"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    let truncate = |x: f64| (x * 10.0 + 1e-9).floor() / 10.0;
    let mut differing = Vec::new();
    for t in 0..8 {
        if (truncate(run.rounds[t].median) - medians[t]).abs() > 1e-9 {
            differing.push(t + 1);
        }
        assert!((run.rounds[t].mean - means[t]).abs() <= 0.1 + 1e-9, "round {} mean {} vs Table 2 {}", t + 1, run.rounds[t].mean, means[t]);
    }
    assert_eq!(differing, vec![2], "rounds whose median differs from Table 2");
    assert!((run.rounds[1].median - 9.610859).abs() < 1e-6);
}

/// `dmasad` reproduces the COMPUTED port of dmasad's model (verified by the data's authors against
/// the notebook outputs): the 2-cycle 10 ↔ ≈7.1 of the median.
#[test]
#[ignore = "needs ../shared"]
fn dmasad_reproduces_its_trajectory() {
    let all = vectors();
    let v = vector(&all, "bdm1994-eu-emission-standards");
    let (input, names) = input(v);
    let run = run_eu(&input, &EuPreset::Dmasad.params()).unwrap();
    assert_trajectory(&run, &names, &v["implementation_runs"]["dmasad_port"], 1e-6, "dmasad");
}

/// dmasad's REPO_OUTPUT round-1 risk exponents (printed to full precision in its notebook).
#[test]
#[ignore = "needs ../shared"]
fn dmasad_round1_risk_matches_notebook() {
    let all = vectors();
    let v = vector(&all, "bdm1994-eu-emission-standards");
    let (input, names) = input(v);
    let run = run_eu(&input, &EuPreset::Dmasad.params()).unwrap();
    let want = &v["initial_checks"]["dmasad_risk_r_round1"];
    for (k, name) in names.iter().enumerate() {
        let w = want[name].as_f64().unwrap();
        assert!((run.rounds[0].risk[k] - w).abs() < 1e-12, "{name}: {} vs {w}", run.rounds[0].risk[k]);
    }
}
