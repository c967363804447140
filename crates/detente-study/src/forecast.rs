//! Forecasts: every spatial model beside the baselines per case, the expected-utility model's
//! rounds for the first case, and which actors the models leave out.

use detente_core::Scenario;
use detente_forecast::baseline::weighted_median;
use detente_forecast::eu::EuPreset;
use detente_forecast::{compare_models, forecast_table, ForecastTable, Model, ModelComparison};
use serde::Serialize;

/// The models side by side on one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseForecast {
    /// `base` or the variant id.
    pub case: String,
    /// The forecasts, or `None` with `error`.
    pub comparison: Option<ModelComparison>,
    /// Why there is no forecast.
    pub error: Option<String>,
    /// The first earlier case with the same forecasts, if any.
    pub same_as: Option<String>,
    /// Issues whose forecast differs from the base's (variants only).
    pub changed: Vec<String>,
}

/// The expected-utility model's rounds on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueTrajectory {
    /// Issue id.
    pub issue: String,
    /// Actors, in the order of each round's positions.
    pub actors: Vec<String>,
    /// `positions[t][k]`: actor k's position after round t (round 0: the inputs), in the
    /// issue's units as every forecast number.
    pub positions: Vec<Vec<f64>>,
    /// The forecast after each round: the c·s weighted median of the positions.
    pub forecast: Vec<f64>,
    /// Monte Carlo bands of that forecast per round, `[p5, p25, p50, p75, p95]`, from the
    /// robustness runs (when they ran).
    pub bands: Option<Vec<[f64; 5]>>,
}

/// How far apart the models are on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Issue id.
    pub issue: String,
    /// Largest minus smallest of mean, median, EU, SMP and exchange, on the issue's 0–100 scale
    /// (so that issues in different units compare).
    pub range: f64,
    /// Do all five name the same nearest option?
    pub same_option: bool,
}

/// The expected-utility model under one preset (one reading of the model's ambiguous rules).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetForecast {
    /// Preset name (`scholz_code`, `scholz_paper`, `dmasad`, `no_move_conflict`).
    pub preset: &'static str,
    /// Per forecast issue: `(issue, final median, nearest option)`.
    pub issues: Vec<(String, f64, Option<String>)>,
}

/// The forecast section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastSection {
    /// The EU preset the study runs.
    pub eu_preset: &'static str,
    /// Per case.
    pub cases: Vec<CaseForecast>,
    /// Actors the spatial models leave out, with the reason.
    pub left_out: Vec<(String, String)>,
    /// When the first case states a salience convention other than the default: a note naming
    /// the models shown that do not read it (`Model::reads`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salience_note: Option<String>,
    /// The first case's EU trajectories, one per forecast issue.
    pub trajectories: Vec<IssueTrajectory>,
    /// The first case's model disagreement per issue, widest first.
    pub disagreement: Vec<Disagreement>,
    /// The first case's expected-utility forecast under every preset: how much it depends on
    /// how the model is read (the presets reproduce different published codes).
    pub presets: Vec<PresetForecast>,
}

/// The expected-utility forecast of `s` under every preset.
pub(crate) fn presets(s: &Scenario) -> Vec<PresetForecast> {
    let Ok(table) = ForecastTable::from_scenario(s) else { return Vec::new() };
    EuPreset::ALL
        .iter()
        .filter_map(|p| {
            let f = forecast_table(&table, &Model::Eu(p.params())).ok()?;
            Some(PresetForecast { preset: p.as_str(), issues: f.issues.into_iter().map(|i| (i.issue, i.value, i.option)).collect() })
        })
        .collect()
}

/// Which of the models the study shows do not read the scenario's salience convention, in words,
/// when it states one other than the default.
pub fn salience_note(s: &Scenario) -> Option<String> {
    if s.salience == detente_core::SalienceConvention::default() {
        return None;
    }
    let models = [Model::Mean, Model::Median, Model::Eu(EuPreset::ScholzCode.params()), Model::Smp(Default::default())];
    let unread: Vec<&str> = models.iter().filter(|m| !m.reads(detente_core::Input::SalienceConvention)).map(Model::name).collect();
    (!unread.is_empty()).then(|| {
        format!(
            "the saliences are {} (salience = \"{}\"); only smp reads that: {} run issue by issue and use each salience as stated",
            s.salience.as_str().replace('_', " "),
            s.salience.as_str(),
            unread.join(", ")
        )
    })
}

/// Actors a forecast leaves out, with the reason (the forecast lens's rule).
pub fn left_out(s: &Scenario) -> Vec<(String, String)> {
    ForecastTable::from_scenario(s).map(|t| t.left_out).unwrap_or_default()
}

/// The EU trajectories of a scenario (preset `scholz_code`): positions and the weighted-median
/// forecast per round.
pub(crate) fn trajectories(s: &Scenario) -> Result<Vec<IssueTrajectory>, String> {
    // The model alone on the table (no baselines, levers or spread counts: robustness runs
    // call this on every draw).
    let table = ForecastTable::from_scenario(s).map_err(|e| e.to_string())?;
    let forecast = forecast_table(&table, &Model::Eu(EuPreset::ScholzCode.params())).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for f in &forecast.issues {
        let Some(tr) = &f.trajectory else { continue };
        let Some(k) = table.issue_index(&f.issue) else { continue };
        let weights: Vec<f64> = tr
            .actors
            .iter()
            .map(|id| {
                table.actor_index(id).map_or(0.0, |a| {
                    let actor = &table.actors[a];
                    actor.cells[k].map_or(0.0, |(_, sal)| actor.capability * sal)
                })
            })
            .collect();
        // The lower weighted median on the issue's scale (where the model computes; on a reversed
        // scale the lower end in units is the upper on the scale), reported in units.
        let units = &table.issues[k].units;
        let forecast = tr
            .rounds
            .iter()
            .map(|xs| {
                let on_scale: Vec<f64> = xs.iter().map(|&x| units.to_scale(x)).collect();
                weighted_median(&on_scale, &weights).map_or(f64::NAN, |m| units.from_scale(m))
            })
            .collect();
        out.push(IssueTrajectory {
            issue: f.issue.clone(),
            actors: tr.actors.clone(),
            positions: tr.rounds.clone(),
            forecast,
            bands: None,
        });
    }
    Ok(out)
}

fn disagreement(cmp: &ModelComparison, s: &Scenario) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = cmp
        .rows
        .iter()
        .map(|r| {
            let units = s.space.issue_index(&r.issue).and_then(|k| s.space.issues()[k].units());
            let xs = [r.mean, r.median, r.eu, r.smp, r.exchange].map(|x| units.map_or(x, |u| u.to_scale(x)));
            let range = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max) - xs.iter().copied().fold(f64::INFINITY, f64::min);
            let same_option = r.options.as_ref().is_some_and(|o| o.iter().all(|x| *x == o[0]));
            Disagreement { issue: r.issue.clone(), range, same_option }
        })
        .collect();
    out.sort_by(|a, b| b.range.total_cmp(&a.range));
    out
}

/// The forecast section over the cases (the first is the reference for `same_as` and `changed`).
pub(crate) fn section(cases: &[(String, Scenario)]) -> ForecastSection {
    let mut out: Vec<CaseForecast> = Vec::new();
    for (label, s) in cases {
        match compare_models(s) {
            Ok(cmp) => {
                let same_as = out.iter().find(|c| c.comparison.as_ref() == Some(&cmp)).map(|c| c.case.clone());
                let changed = match out.first().and_then(|c| c.comparison.as_ref()) {
                    Some(first) if same_as.is_none() => {
                        cmp.rows.iter().zip(&first.rows).filter(|(a, b)| a != b).map(|(a, _)| a.issue.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                out.push(CaseForecast { case: label.clone(), comparison: Some(cmp), error: None, same_as, changed });
            }
            Err(e) => out.push(CaseForecast {
                case: label.clone(),
                comparison: None,
                error: Some(e.to_string()),
                same_as: None,
                changed: Vec::new(),
            }),
        }
    }
    let first = cases.first().map(|c| &c.1);
    ForecastSection {
        eu_preset: "scholz_code",
        left_out: first.map(left_out).unwrap_or_default(),
        salience_note: first.and_then(salience_note),
        trajectories: first.and_then(|s| trajectories(s).ok()).unwrap_or_default(),
        disagreement: out.first().and_then(|c| c.comparison.as_ref()).zip(first).map(|(c, s)| disagreement(c, s)).unwrap_or_default(),
        presets: first.map(presets).unwrap_or_default(),
        cases: out,
    }
}

/// The forecast lens on one scenario, as a page shows it: every model beside the baselines,
/// the expected-utility rounds, and the scenario's positions for the position map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastPage {
    /// The scenario.
    pub scenario: crate::ScenarioSummary,
    /// The forecasts (one case).
    pub forecast: ForecastSection,
}

/// [`ForecastPage`] of a scenario (`case` names it: `base` or the variant applied).
pub fn page(s: &Scenario, case: &str) -> ForecastPage {
    ForecastPage { scenario: crate::scenario::summarise(s), forecast: section(&[(case.to_string(), s.clone())]) }
}
