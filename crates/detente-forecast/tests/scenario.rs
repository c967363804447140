//! Forecasts of the reference scenario, input validation, and the Monte Carlo's reproducibility.

use crate::common;
use detente_core::Spread;
use detente_core::{Role, Utility};
use detente_forecast::eu::EuPreset;
use detente_forecast::uncertainty::{monte_carlo, Uncertainty};
use detente_forecast::{forecast_table, ForecastError, ForecastTable, Model};

fn table() -> ForecastTable {
    ForecastTable::from_scenario(&common::reference_scenario()).unwrap()
}

fn models() -> Vec<Model> {
    vec![Model::Mean, Model::Median, Model::Eu(EuPreset::ScholzCode.params()), Model::Smp(Default::default())]
}

#[test]
fn the_shipped_file_states_the_seed_table() {
    let file = table();
    let seed = ForecastTable::from_scenario(&common::seed_scenario()).unwrap();
    assert_eq!(file.issues.iter().map(|i| &i.id).collect::<Vec<_>>(), seed.issues.iter().map(|i| &i.id).collect::<Vec<_>>());
    assert_eq!(file.actors, seed.actors, "positions, saliences and capabilities of the file and the seed table");
}

#[test]
fn every_model_forecasts_every_issue_within_the_actors_range() {
    let t = table();
    for m in models() {
        let f = forecast_table(&t, &m).unwrap();
        assert_eq!(f.issues.len(), 10, "{}", m.name());
        for (k, issue) in f.issues.iter().enumerate() {
            let xs: Vec<f64> = common::TABLE.iter().map(|a| a.2[k].0).collect();
            let (lo, hi) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
            // the table is on the axis: compare the forecast's point on the scale
            let x = issue.scale_value;
            assert!(x >= lo - 1e-9 && x <= hi + 1e-9, "{} {}: {}", m.name(), issue.issue, x);
            assert!(issue.option.is_some(), "ordinal and integer-with-options issues report the nearest option");
        }
    }
}

#[test]
fn baselines_by_hand_on_territory() {
    // c·s: usa 20, russia 72, ukraine 36, europe 30 → mean (20·67 + 72·100 + 36·10 + 30·20)/158
    let f = forecast_table(&table(), &Model::Mean).unwrap();
    let want = (20.0 * 67.0 + 72.0 * 100.0 + 36.0 * 10.0 + 30.0 * 20.0) / 158.0;
    assert!((f.issues[0].value - want).abs() < 1e-9);
    assert_eq!(f.issues[0].option.as_deref(), Some("current_line"));
    // sorted: ukraine 10 (36), europe 20 (66), usa 67 (86 ≥ 79) → 67
    let f = forecast_table(&table(), &Model::Median).unwrap();
    assert_eq!(f.issues[0].value, 67.0);
}

#[test]
fn observers_and_non_spatial_actors_are_left_out() {
    let s = common::reference_scenario().edited(|s| s.actors[3].role = Role::Observer).unwrap();
    let t = ForecastTable::from_scenario(&s).unwrap();
    assert_eq!(t.actors.len(), 3);
    assert!(t.actor_index("europe").is_none());
    let s = s
        .edited(|s| {
            s.actors[2].red_lines.clear();
            // a table cannot be re-indexed by the variants that remove options
            s.variants.clear();
            s.actors[2].preferences.utility = Utility::Table(detente_core::TableUtility { entries: vec![], default: 0.0 });
            s.actors[2].preferences.reservation = detente_core::Reservation::None;
        })
        .unwrap();
    assert_eq!(ForecastTable::from_scenario(&s).unwrap().actors.len(), 2);
}

#[test]
fn the_spreads_of_actors_left_out_are_reported_not_silently_dropped() {
    let s = common::reference_scenario();
    let all = detente_forecast::spread_use(&s, &ForecastTable::from_scenario(&s).unwrap());
    assert!(all.sampled >= 4 && all.ignored.is_empty(), "{all:?}");
    // europe (a capability and a nato spread) becomes an observer: the forecast leaves it out
    let s = s.edited(|s| s.actors[3].role = Role::Observer).unwrap();
    let some = detente_forecast::spread_use(&s, &ForecastTable::from_scenario(&s).unwrap());
    assert_eq!(some.ignored, vec![("europe".to_string(), 2)]);
    assert_eq!(some.sampled + 2, all.sampled);
}

#[test]
fn an_issue_nobody_takes_a_position_on_is_skipped_with_a_note() {
    let s = common::reference_scenario()
        .edited(|s| {
            for a in &mut s.actors {
                if let Utility::Spatial(sp) = &mut a.preferences.utility {
                    sp.positions[9] = None;
                }
            }
        })
        .unwrap();
    let f = forecast_table(&ForecastTable::from_scenario(&s).unwrap(), &Model::Mean).unwrap();
    assert_eq!(f.issues.len(), 9);
    assert_eq!(f.skipped[0].0, "prisoners");
}

#[test]
fn bad_inputs_get_clear_errors() {
    // A scenario with a position off the scale, a negative capability or no actors cannot
    // exist (it is refused when built), so the forecast never sees one.
    let e = common::reference_scenario()
        .edited(|s| {
            if let Utility::Spatial(sp) = &mut s.actors[1].preferences.utility {
                sp.positions[0].as_mut().unwrap().ideal = 120.0;
            }
            s.actors[0].capability = -1.0;
        })
        .unwrap_err();
    assert_eq!(e.len(), 2, "{e}");
    assert!(e.to_string().contains("russia") && e.to_string().contains("territory") && e.to_string().contains("120"), "{e}");
    assert!(e.to_string().contains("usa") && e.to_string().contains("capability -1"), "{e}");
    assert!(common::reference_scenario().edited(|s| s.actors.clear()).is_err());
    // The forecast's own input (a library user's table) is checked by the forecast.
    let e = detente_forecast::IssueInput::new("x", vec![detente_forecast::SpatialActor::new("a", 120.0, 0.5, 1.0)]).validate().unwrap_err();
    assert!(matches!(e, ForecastError::PositionOutOfRange { .. }), "{e}");

    let input = detente_forecast::IssueInput::new("x", vec![]);
    let e = detente_forecast::eu::run_eu(&input, &EuPreset::ScholzCode.params()).unwrap_err();
    assert!(e.to_string().contains("no actors"), "{e}");
}

#[test]
fn bad_spreads_are_rejected() {
    let t = table();
    let mut u = Uncertainty::none(&t);
    assert!(u.set_position(&t, "russia", "territory", Spread::Uniform { lo: 90.0, hi: 110.0 }).is_err());
    assert!(u.set_position(&t, "russia", "territory", Spread::Uniform { lo: 90.0, hi: 80.0 }).is_err());
    assert!(u.set_salience(&t, "russia", "territory", Spread::Normal { sd: -1.0 }).is_err());
    assert!(u.set_capability(&t, "nobody", Spread::Normal { sd: 0.0 }).is_err());
    assert!(u.set_position(&t, "russia", "territory", Spread::Triangular { lo: 80.0, mode: 100.0, hi: 100.0 }).is_ok());
}

fn uncertain(t: &ForecastTable) -> Uncertainty {
    let mut u = Uncertainty::none(t);
    u.set_position(t, "russia", "territory", Spread::Triangular { lo: 67.0, mode: 100.0, hi: 100.0 }).unwrap();
    u.set_position(t, "usa", "territory", Spread::Uniform { lo: 33.0, hi: 80.0 }).unwrap();
    u.set_salience(t, "usa", "nato", Spread::Normal { sd: 0.2 }).unwrap();
    u.set_capability(t, "europe", Spread::Uniform { lo: 20.0, hi: 80.0 }).unwrap();
    u
}

#[test]
fn monte_carlo_is_reproducible_for_a_seed_whatever_the_thread_count() {
    let t = table();
    let u = uncertain(&t);
    let m = Model::Eu(EuPreset::ScholzCode.params());
    let a = monte_carlo(&t, &m, &u, 300, 42).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let b = one.install(|| monte_carlo(&t, &m, &u, 300, 42).unwrap());
    let three = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
    let c = three.install(|| monte_carlo(&t, &m, &u, 300, 42).unwrap());
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&c).unwrap());
    let d = monte_carlo(&t, &m, &u, 300, 43).unwrap();
    assert_ne!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&d).unwrap(), "another seed gives other draws");
}

#[test]
fn a_monte_carlo_split_into_shares_of_runs_is_the_whole_one() {
    use detente_forecast::{monte_carlo_runs, monte_carlo_summary};
    let t = table();
    let u = uncertain(&t);
    for m in [Model::Eu(EuPreset::ScholzCode.params()), Model::Median] {
        let whole = monte_carlo(&t, &m, &u, 250, 7).unwrap();
        // shares of uneven sizes, in run order
        let mut runs = Vec::new();
        for range in [0..1, 1..100, 100..101, 101..250] {
            runs.extend(monte_carlo_runs(&t, &m, &u, 7, range).unwrap());
        }
        let merged = monte_carlo_summary(&t, &m, 7, &runs).unwrap();
        assert_eq!(serde_json::to_string(&merged).unwrap(), serde_json::to_string(&whole).unwrap());
        assert!(monte_carlo_summary(&t, &m, 7, &[]).is_err());
    }
}

#[test]
fn monte_carlo_reports_spread_and_option_probabilities() {
    let t = table();
    let u = uncertain(&t);
    let mc = monte_carlo(&t, &Model::Mean, &u, 2000, 7).unwrap();
    let territory = &mc.issues[0];
    assert_eq!(territory.runs, 2000);
    assert!(territory.min < territory.median && territory.median < territory.max, "the territory forecast varies");
    let qs: Vec<f64> = territory.quantiles.iter().map(|q| q.1).collect();
    assert!(qs.windows(2).all(|w| w[0] <= w[1]), "quantiles are ordered");
    let total: f64 = territory.options.iter().map(|o| o.probability).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // with only a position uncertain, the other issues have zero spread
    let mut u = Uncertainty::none(&t);
    u.set_position(&t, "russia", "territory", Spread::Uniform { lo: 50.0, hi: 100.0 }).unwrap();
    let mc = monte_carlo(&t, &Model::Mean, &u, 100, 7).unwrap();
    assert!(mc.issues[0].min < mc.issues[0].max);
    let resources = &mc.issues[6];
    assert_eq!(resources.min, resources.max);
    assert_eq!(resources.median, resources.deterministic);
}

#[test]
fn smp_forecasts_the_reference_scenario_jointly() {
    let f = forecast_table(&table(), &Model::Smp(Default::default())).unwrap();
    for i in &f.issues {
        let tr = i.trajectory.as_ref().unwrap();
        assert_eq!(tr.actors.len(), 4);
        assert!(tr.rounds.len() >= 2);
    }
}

/// The SMP's per-turn win probabilities ride on each issue's trajectory, one per turn and actor;
/// they are of each actor's whole position, so the same on every issue, and equal the run's own.
/// The closed-form and EU models carry none.
#[test]
fn smp_trajectories_carry_the_per_turn_win_probabilities_of_the_joint_run() {
    use detente_forecast::smp::{run_smp, SmpInput};
    let t = table();
    let f = forecast_table(&t, &Model::Smp(Default::default())).unwrap();
    let dims: Vec<usize> =
        (0..t.issues.len()).filter(|&k| !matches!(t.issues[k].shape, detente_forecast::IssueShape::Categorical { .. })).collect();
    let (input, _) = SmpInput::from_table(&t, &dims);
    let run = run_smp(&input, &Default::default()).unwrap();
    for i in &f.issues {
        let Some(tr) = &i.trajectory else { continue };
        let p = tr.win_probability.as_ref().expect("an SMP trajectory has win probabilities");
        assert_eq!(p.len(), tr.rounds.len(), "one row per turn");
        for (turn, (row, state)) in p.iter().zip(&run.states).enumerate() {
            assert_eq!(row.len(), tr.actors.len());
            for (k, a) in tr.actors.iter().enumerate() {
                let m = run.actors.iter().position(|b| b == a).unwrap();
                assert_eq!(row[k], state.position_probability[m], "{} turn {turn} {a}", i.issue);
                assert!((0.0..=1.0).contains(&row[k]));
            }
        }
    }
    for m in [Model::Mean, Model::Median, Model::Eu(EuPreset::ScholzCode.params())] {
        let f = forecast_table(&t, &m).unwrap();
        assert!(f.issues.iter().filter_map(|i| i.trajectory.as_ref()).all(|tr| tr.win_probability.is_none()), "{}", m.name());
    }
}

#[test]
fn levers_are_the_mean_s_derivatives() {
    let t = table();
    let lv = detente_forecast::levers(&t);
    assert_eq!(lv.len(), 10);
    // territory: russia 72/158 is the largest share; shares sum to 1
    assert_eq!(lv[0].shares[0].0, "russia");
    assert!((lv[0].shares[0].1 - 72.0 / 158.0).abs() < 1e-12);
    assert!((lv[0].shares.iter().map(|s| s.1).sum::<f64>() - 1.0).abs() < 1e-12);
    // the derivative by finite difference: move russia's territory position by -1
    let base = forecast_table(&t, &Model::Mean).unwrap().issues[0].value;
    let mut moved = t.clone();
    let r = moved.actor_index("russia").unwrap();
    moved.actors[r].cells[0] = moved.actors[r].cells[0].map(|(x, s)| (x - 1.0, s));
    let after = forecast_table(&moved, &Model::Mean).unwrap().issues[0].value;
    assert!((base - after - 72.0 / 158.0).abs() < 1e-9);
}

/// The spreads a scenario states are the Monte Carlo's: `from_scenario` equals setting them by
/// hand, and an observer's spreads are left out with the observer.
#[test]
fn the_uncertainty_is_read_from_the_scenario() {
    let reference = common::reference_scenario();
    let t = ForecastTable::from_scenario(&reference).unwrap();
    assert!(Uncertainty::from_scenario(&t, &reference).is_uncertain(), "the reference file states spreads");
    let s = common::seed_scenario();
    let t = ForecastTable::from_scenario(&s).unwrap();
    assert_eq!(Uncertainty::from_scenario(&t, &s), Uncertainty::none(&t), "no spreads stated, none used");
    let mut s = s.into_draft();
    let russia = s.actors.iter().position(|a| a.id == "russia").unwrap();
    let Utility::Spatial(sp) = &mut s.actors[russia].preferences.utility else { panic!("spatial") };
    let territory = sp.positions[0].as_mut().unwrap();
    territory.ideal_spread = Some(Spread::Triangular { lo: 67.0, mode: territory.ideal, hi: territory.ideal });
    territory.salience_spread = Some(Spread::Normal { sd: 0.05 });
    let c = s.actors[russia].capability;
    s.actors[russia].capability_spread = Some(Spread::Uniform { lo: 0.8 * c, hi: 1.2 * c });
    let s = s.validate().unwrap();
    let t = ForecastTable::from_scenario(&s).unwrap();
    let mut by_hand = Uncertainty::none(&t);
    by_hand.set_position(&t, "russia", "territory", Spread::Triangular { lo: 67.0, mode: 100.0, hi: 100.0 }).unwrap();
    by_hand.set_salience(&t, "russia", "territory", Spread::Normal { sd: 0.05 }).unwrap();
    by_hand.set_capability(&t, "russia", Spread::Uniform { lo: 0.8 * c, hi: 1.2 * c }).unwrap();
    assert_eq!(Uncertainty::from_scenario(&t, &s), by_hand);
    // an observer is not forecast: its spreads go with it
    let s = s.edited(|s| s.actors[russia].role = Role::Observer).unwrap();
    let t = ForecastTable::from_scenario(&s).unwrap();
    assert!(!Uncertainty::from_scenario(&t, &s).is_uncertain());
}

/// Under attention shares the SMP runs on the saliences as stated (KTAB); under intensities on
/// each divided by the number of issues. Only the SMP reads the convention: the other models'
/// forecasts are the same under both.
#[test]
fn the_smp_reads_the_salience_convention_and_the_others_do_not() {
    use detente_core::{Input, SalienceConvention};
    use detente_forecast::smp::SmpInput;
    let mut t = table();
    // Make every actor's saliences shares: each row scaled to sum 1.
    for a in &mut t.actors {
        let total: f64 = a.cells.iter().flatten().map(|c| c.1).sum();
        for (_, s) in a.cells.iter_mut().flatten() {
            *s /= total;
        }
    }
    let dims: Vec<usize> =
        (0..t.issues.len()).filter(|&k| !matches!(t.issues[k].shape, detente_forecast::IssueShape::Categorical { .. })).collect();
    let intensities = t.clone();
    t.salience = SalienceConvention::AttentionShares;
    let (shares_in, _) = SmpInput::from_table(&t, &dims);
    let (plain_in, _) = SmpInput::from_table(&intensities, &dims);
    let nd = dims.len() as f64;
    for (s, p) in shares_in.actors.iter().zip(&plain_in.actors) {
        let i = t.actor_index(&s.name).unwrap();
        for (d, &k) in dims.iter().enumerate() {
            let stated = t.actors[i].cells[k].map_or(0.0, |c| c.1);
            assert_eq!(s.saliences[d], stated, "{} on {}: as stated", s.name, t.issues[k].id);
            assert!((p.saliences[d] - stated / nd).abs() < 1e-15, "{}: divided by the number of issues", s.name);
        }
    }
    for m in models() {
        assert_eq!(m.reads(Input::SalienceConvention), matches!(m, Model::Smp(_)), "{}", m.name());
        let a = forecast_table(&t, &m).unwrap();
        let b = forecast_table(&intensities, &m).unwrap();
        if m.reads(Input::SalienceConvention) {
            assert_ne!(a, b, "{}: the convention changes the SMP", m.name());
        } else {
            assert_eq!(a, b, "{}: a model that does not read the convention gives the same forecast", m.name());
        }
    }
}
