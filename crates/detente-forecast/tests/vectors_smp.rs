//! KTAB's SMP against the PUBLISHED deterministic reference run `ktab-smp-dummyData_3Dim`
//! (KTAB's own regression reference, reproduced bit-exactly by the spec's KTAB build).

use detente_forecast::smp::{run_smp, SmpActor, SmpInput, SmpParams};
use detente_testkit::shared_json;
use serde_json::Value as Json;

fn vectors() -> Json {
    shared_json("spatial/vectors.json")
}

/// Positions to the printed precision (0.1 on 0–100, i.e. |ours − printed| ≤ 0.05), win
/// probabilities to 1e-4, fractional changes to 1e-4, and the number of states (11).
#[test]
#[ignore = "needs ../shared"]
fn smp_reproduces_ktab_dummy_data_3dim() {
    let all = vectors();
    let v = all["vectors"].as_array().unwrap().iter().find(|v| v["id"] == "ktab-smp-dummyData_3Dim").unwrap();
    let actors: Vec<SmpActor> = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| SmpActor {
            name: a["name"].as_str().unwrap().into(),
            capability: a["capability"].as_f64().unwrap(),
            positions: a["positions_0_100"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect(),
            saliences: a["saliences_0_100"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap() / 100.0).collect(),
        })
        .collect();
    let names: Vec<String> = actors.iter().map(|a| a.name.clone()).collect();
    let input = SmpInput { dims: vec!["Pstn1".into(), "Pstn2".into(), "Pstn3".into()], actors };
    let run = run_smp(&input, &SmpParams::default()).unwrap();
    let exp = &v["expected"];
    assert_eq!(run.states.len() as u64, exp["states"].as_u64().unwrap(), "number of states");
    for (t, s) in run.states.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            for (d, dim) in ["Pstn1", "Pstn2", "Pstn3"].iter().enumerate() {
                let want = exp["positions_by_turn_0_100"][name][dim][t].as_f64().unwrap();
                assert!(
                    (s.positions[i][d] - want).abs() <= 0.05 + 1e-9,
                    "state {t} {name} {dim}: ours {:.4} printed {want}",
                    s.positions[i][d]
                );
            }
            let want = exp["position_win_probability_by_turn"][name][t].as_f64().unwrap();
            assert!(
                (s.position_probability[i] - want).abs() <= 0.5e-4 + 1e-9,
                "state {t} {name} prob: ours {:.6} printed {want}",
                s.position_probability[i]
            );
        }
        if t > 0 {
            let want = exp["fractional_change_per_turn"][t - 1].as_f64().unwrap();
            let ours = s.fractional_change.unwrap();
            assert!((ours - want).abs() <= 0.5e-4 + 1e-9, "state {t} fractional change: ours {ours:.6} printed {want}");
        }
    }
}

/// The spec's COMPUTED KTAB runs of one-dimensional cases (positions rescaled to 0–100, salience
/// ×100, capability ×100, KTAB CSV defaults): `(vector id, scale lo, scale hi)`.
fn one_dim_case(all: &Json, id: &str, lo: f64, hi: f64) -> (SmpInput, Vec<String>, Json) {
    let v = all["vectors"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap();
    let actors: Vec<SmpActor> = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| SmpActor {
            name: a["name"].as_str().unwrap().into(),
            capability: a["capability"].as_f64().unwrap() * 100.0,
            positions: vec![(a["position"].as_f64().unwrap() - lo) / (hi - lo) * 100.0],
            saliences: vec![a["salience"].as_f64().unwrap()],
        })
        .collect();
    let names = actors.iter().map(|a| a.name.clone()).collect();
    (SmpInput { dims: vec!["Pstn1".into()], actors }, names, v["implementation_runs"]["ktab_smp_1d_rescaled"].clone())
}

fn assert_ktab_run(input: &SmpInput, names: &[String], exp: &Json, label: &str, prob_tol: f64) {
    let run = run_smp(input, &SmpParams::default()).unwrap();
    assert_eq!(run.states.len() as u64, exp["states"].as_u64().unwrap(), "{label}: number of states");
    for (t, s) in run.states.iter().enumerate() {
        for (i, name) in names.iter().enumerate() {
            let want = exp["positions_by_turn_0_100"][name]["Pstn1"][t].as_f64().unwrap();
            assert!(
                (s.positions[i][0] - want).abs() <= 0.05 + 1e-9,
                "{label} state {t} {name}: ours {:.4} printed {want}",
                s.positions[i][0]
            );
            let want = exp["position_win_probability_by_turn"][name][t].as_f64().unwrap();
            assert!(
                (s.position_probability[i] - want).abs() <= prob_tol,
                "{label} state {t} {name} prob: ours {:.6} printed {want}",
                s.position_probability[i]
            );
        }
    }
}

#[test]
#[ignore = "needs ../shared"]
fn smp_reproduces_ktab_eu_emissions_1d() {
    let all = vectors();
    let (input, names, exp) = one_dim_case(&all, "bdm1994-eu-emission-standards", 4.0, 10.0);
    assert_ktab_run(&input, &names, &exp, "eu-emissions", 0.5e-4 + 1e-9);
}

/// Iran's rescaled positions `(x − 1)/9·100` do not terminate (11.111…), and the precision of the
/// CSV the spec fed KTAB is not recorded: positions match to the printed 0.1 in all 16 states, the
/// probabilities to 1e-4 (largest difference 8.3e-5, against 5e-5 for pure print rounding).
#[test]
#[ignore = "needs ../shared"]
fn smp_reproduces_ktab_iran_2013_1d() {
    let all = vectors();
    let (input, names, exp) = one_dim_case(&all, "preana2014-iran-2013-election", 1.0, 10.0);
    assert_ktab_run(&input, &names, &exp, "iran", 1e-4);
}
