//! The capitulation switch of the expected-utility model, on cases whose actors reach the
//! capitulation region (a > 0, b < 0, |b| > a) — which neither shared EU case does.
//!
//! Fixture `fixtures/eu_capitulation.json` is our own data, produced as follows: a seeded random
//! search over one-issue cases (4–8 actors; capability, position and salience on coarse grids)
//! kept the cases in which some actor capitulates in round 1 when capitulation can fire, and whose
//! runs stay clear of knife edges (every classification margin and every gap between distinct
//! positions above 1e-6 relative, the weighted median never tied). Each case was then run for 10
//! rounds through jmckib/bdm-scholz-expected-utility-model@55f63e9 (`bdm_scholz_model.py` with only
//! its print statements made python3, run from a scratch directory, not part of this repository):
//! - `code`: unmodified. Its capitulation test `eu_ji > 0 > eu_ij and eu_ji < abs(eu_ji)` is always
//!   false, so nobody capitulates; an actor whose only offers are capitulations stays put.
//! - `capitulation`: the same program with that test corrected to `abs(eu_ij)`.
//!
//! One more case, `jmckib-example-bdm1994`, is that program's own example input (the BDM 1994 EU
//! case, Scholz's Table 1), which never reaches the region: it pins the shared case's trajectory at
//! full precision (the shared vectors print 6 decimals).
//!
//! `scholz_code` must reproduce `code`, and `scholz_code` with [`CapitulationRule::FullMove`] must
//! reproduce `capitulation`: every actor's position, the median and the mean, every round, to 1e-9.

use detente_forecast::eu::{run_eu, CapitulationRule, EuParams, EuPreset, EuRun};
use detente_forecast::IssueInput;
use serde_json::Value as Json;

const TOL: f64 = 1e-9;

fn fixture() -> Json {
    serde_json::from_str(include_str!("fixtures/eu_capitulation.json")).expect("fixture parses")
}

fn input(case: &Json) -> IssueInput {
    crate::vectors_eu::issue_input(case["id"].as_str().unwrap(), &case["actors"])
}

fn f(v: &Json) -> f64 {
    v.as_f64().unwrap()
}

/// The largest absolute difference between a run and a recorded trajectory over every position,
/// median and mean of rounds 0..=10; panics on a different number of rounds.
fn max_diff(run: &EuRun, recorded: &Json, label: &str) -> f64 {
    let rounds = recorded["rounds"].as_array().unwrap();
    assert_eq!(run.rounds.len(), rounds.len(), "{label}: number of rounds");
    let mut worst =
        (run.initial_median - f(&recorded["initial_median"])).abs().max((run.initial_mean - f(&recorded["initial_mean"])).abs());
    for (ours, theirs) in run.rounds.iter().zip(rounds) {
        assert_eq!(u64::from(ours.round), theirs["round"].as_u64().unwrap(), "{label}");
        let want = theirs["positions"].as_array().unwrap();
        assert_eq!(ours.positions.len(), want.len(), "{label}");
        for (k, (x, w)) in ours.positions.iter().zip(want).enumerate() {
            let d = (x - f(w)).abs();
            assert!(d < TOL, "{label} round {} actor {k}: ours {x}, reference {}", ours.round, f(w));
            worst = worst.max(d);
        }
        for (what, x, w) in [("median", ours.median, &theirs["median"]), ("mean", ours.mean, &theirs["mean"])] {
            let d = (x - f(w)).abs();
            assert!(d < TOL, "{label} round {} {what}: ours {x}, reference {}", ours.round, f(w));
            worst = worst.max(d);
        }
    }
    worst
}

fn capitulations(recorded: &Json) -> u64 {
    recorded["rounds"].as_array().unwrap().iter().map(|r| r["capitulations"].as_u64().unwrap()).sum()
}

/// Both switch settings reproduce the reference runs to 1e-9 on every fixture case; the cases that
/// reach the region do exercise the switch (capitulations happen with it on, the two runs differ).
#[test]
fn scholz_code_reproduces_jmckib_with_and_without_capitulation() {
    let all = fixture();
    let cases = all["cases"].as_array().unwrap();
    let reaching = cases.iter().filter(|c| c["reaches_capitulation"].as_bool().unwrap()).count();
    assert!(reaching >= 4, "{reaching} cases reach the capitulation region");
    let code = EuPreset::ScholzCode.params();
    assert_eq!(code.capitulation, CapitulationRule::NoMove);
    let fixed = EuParams { capitulation: CapitulationRule::FullMove, ..code.clone() };
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let input = input(case);
        assert_eq!(capitulations(&case["code"]), 0, "{id}: the unmodified code never capitulates");
        let reaches = case["reaches_capitulation"].as_bool().unwrap();
        assert_eq!(capitulations(&case["capitulation"]) > 0, reaches, "{id}: the corrected code capitulates");
        let off = max_diff(&run_eu(&input, &code).unwrap(), &case["code"], &format!("{id} scholz_code"));
        let on = max_diff(&run_eu(&input, &fixed).unwrap(), &case["capitulation"], &format!("{id} scholz_code+capitulation"));
        let runs_differ = (0..10).any(|t| case["code"]["rounds"][t]["positions"] != case["capitulation"]["rounds"][t]["positions"]);
        assert_eq!(runs_differ, reaches, "{id}: the switch changes the run");
        eprintln!("{id}: max |diff| switch off {off:.3e}, switch on {on:.3e}");
    }
}

/// The presets' settings of the switch: only `scholz_code` (the code with the dead branch) has it
/// off; `scholz_paper` keeps the paper's reading.
#[test]
fn capitulation_switch_per_preset() {
    let want = [
        (EuPreset::ScholzCode, CapitulationRule::NoMove),
        (EuPreset::ScholzPaper, CapitulationRule::FullMove),
        (EuPreset::Dmasad, CapitulationRule::FullMove),
        (EuPreset::NoMoveConflict, CapitulationRule::FullMove),
    ];
    for (preset, rule) in want {
        assert_eq!(preset.params().capitulation, rule, "{}", preset.as_str());
    }
}

/// With the switch off, an actor whose best offer is a capitulation stays where it was in round 1
/// (the first fixture case has one), where with it on the same actor moves to its challenger.
#[test]
fn switched_off_capitulation_leaves_the_actor_in_place() {
    let all = fixture();
    let case = &all["cases"][0];
    let input = input(case);
    let code = EuPreset::ScholzCode.params();
    let off = run_eu(&input, &code).unwrap();
    let on = run_eu(&input, &EuParams { capitulation: CapitulationRule::FullMove, ..code }).unwrap();
    let moved_only_with_switch = (0..input.actors.len())
        .filter(|&k| off.rounds[0].positions[k] == off.initial[k] && on.rounds[0].positions[k] != on.initial[k])
        .count();
    assert!(moved_only_with_switch > 0, "some actor capitulates in round 1 only with the switch on");
}
