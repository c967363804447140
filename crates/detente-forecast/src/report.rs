//! Report-level entry points for the CLI and `detente study`: one model beside the baselines,
//! every model side by side, and the Monte Carlo, all serialisable.

use detente_core::Scenario;
use serde::Serialize;

use crate::error::ForecastError;
use crate::eu::EuPreset;
use crate::exchange::{ExchangeParams, ExchangeRun};
use crate::input::ForecastTable;
use crate::model::{forecast_table, Model, TableForecast};
use crate::smp::SmpParams;
use crate::uncertainty::{monte_carlo, MonteCarlo, Uncertainty};

/// What `detente forecast` computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastReport {
    /// How the scenario's file was read (`genius`, `negmas`) when its format has two readings
    /// (a GENIUS folder: the positions come from its utilities); `null` for formats with one.
    pub read_with: Option<&'static str>,
    /// The model run.
    pub model: Model,
    /// What the model implements and which reference it reproduces.
    pub model_source: String,
    /// Its forecast (with trajectories for dynamic models).
    pub forecast: TableForecast,
    /// The weighted-mean baseline, always shown beside the model.
    pub mean: TableForecast,
    /// The weighted-median baseline.
    pub median: TableForecast,
    /// The Monte Carlo, when runs were asked for.
    pub monte_carlo: Option<MonteCarlo>,
    /// Which of the scenario's stated spreads the Monte Carlo samples, and which it cannot.
    pub spreads: SpreadUse,
    /// Per issue, the closed-form lever of the weighted mean: how far it moves per unit an
    /// actor's position moves, `∂mean/∂x_i = c_i s_i / Σ c s` (shares summing to 1).
    pub levers: Vec<IssueLevers>,
    /// The scenario's actors the forecast leaves out, with the reason.
    pub left_out: Vec<(String, String)>,
}

/// The weighted mean's sensitivity to each actor's position on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueLevers {
    /// Issue id.
    pub issue: String,
    /// `(actor, c·s / Σ c·s)`, largest first (ties: table order).
    pub shares: Vec<(String, f64)>,
}

/// Which stated spreads a forecast samples: those on the inputs of the actors it forecasts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpreadUse {
    /// Spreads on inputs the forecast uses (ideal points, saliences, capabilities).
    pub sampled: usize,
    /// Actors whose stated spreads the forecast cannot use, because it leaves them out
    /// (observers, actors without positions on a scale): `(actor, spreads stated)`.
    pub ignored: Vec<(String, usize)>,
}

/// [`SpreadUse`] of a scenario, given the table the forecast runs on.
pub fn spread_use(scenario: &Scenario, table: &ForecastTable) -> SpreadUse {
    let mut out = SpreadUse { sampled: 0, ignored: Vec::new() };
    for a in &scenario.actors {
        let mut n = usize::from(a.capability_spread.is_some());
        if let detente_core::Utility::Spatial(sp) = &a.preferences.utility {
            n += sp
                .positions
                .iter()
                .flatten()
                .map(|p| usize::from(p.ideal_spread.is_some()) + usize::from(p.salience_spread.is_some()))
                .sum::<usize>();
        }
        if n == 0 {
            continue;
        }
        if table.actor_index(&a.id).is_some() {
            out.sampled += n;
        } else {
            out.ignored.push((a.id.clone(), n));
        }
    }
    out
}

/// The levers of every forecast issue (skipped issues have none).
pub fn levers(table: &ForecastTable) -> Vec<IssueLevers> {
    (0..table.issues.len())
        .filter_map(|k| {
            let input = table.issue_input(k);
            let total: f64 = input.actors.iter().map(|a| a.weight()).sum();
            if total <= 0.0 {
                return None;
            }
            let mut shares: Vec<(String, f64)> = input.actors.iter().map(|a| (a.name.clone(), a.weight() / total)).collect();
            shares.sort_by(|a, b| b.1.total_cmp(&a.1));
            Some(IssueLevers { issue: input.issue, shares })
        })
        .collect()
}

/// Whether the forecast lens reads this kind of input: positions and saliences, capabilities,
/// roles (observers are left out) and the options on the table; not walk-away values, who must
/// agree, strategies, mediator rules, opening concessions or red lines, which belong to bargaining.
/// The salience convention is read by the SMP alone ([`Model::reads`]).
pub fn reads(input: detente_core::Input) -> bool {
    use detente_core::Input;
    matches!(input, Input::Roles | Input::Preferences | Input::Capabilities | Input::Options | Input::SalienceConvention)
}

/// Forecasts a scenario with one model, beside both baselines; with `runs`, also the Monte Carlo
/// over the spreads the scenario states on its inputs (seeded by `seed`).
pub fn forecast_scenario(scenario: &Scenario, model: &Model, runs: Option<usize>, seed: u64) -> Result<ForecastReport, ForecastError> {
    let table = ForecastTable::from_scenario(scenario)?;
    let uncertainty = Uncertainty::from_scenario(&table, scenario);
    Ok(ForecastReport {
        read_with: scenario.meta.read_with.map(detente_core::Semantics::as_str),
        model: model.clone(),
        model_source: model.source().to_string(),
        forecast: forecast_table(&table, model)?,
        mean: forecast_table(&table, &Model::Mean)?,
        median: forecast_table(&table, &Model::Median)?,
        monte_carlo: runs.map(|n| monte_carlo(&table, model, &uncertainty, n, seed)).transpose()?,
        spreads: spread_use(scenario, &table),
        levers: levers(&table),
        left_out: table.left_out.clone(),
    })
}

/// One issue's forecast by every model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// Issue id.
    pub issue: String,
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Expected-utility model (`scholz_code` preset): the final median.
    pub eu: f64,
    /// Expected-utility model: the final weighted mean.
    pub eu_mean: Option<f64>,
    /// KTAB SMP (deterministic).
    pub smp: f64,
    /// The exchange model (Equal Gain, seed 0): the final c·s weighted mean.
    pub exchange: f64,
    /// Nearest option per model, in the order mean, median, eu, smp, exchange (issues with
    /// options).
    pub options: Option<[String; 5]>,
}

/// Every model side by side on one scenario: the `detente study` forecast section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelComparison {
    /// One row per forecast issue.
    pub rows: Vec<ComparisonRow>,
    /// Issues skipped, with the reason.
    pub skipped: Vec<(String, String)>,
    /// The exchange model's run: its rounds and the trades it predicts ([`ExchangeRun::trades`]).
    pub exchange: Option<ExchangeRun>,
}

/// Runs the baselines, the expected-utility model (`scholz_code`), the SMP and the exchange model
/// (seed 0) on a scenario.
pub fn compare_models(scenario: &Scenario) -> Result<ModelComparison, ForecastError> {
    let table = ForecastTable::from_scenario(scenario)?;
    let mut runs = [
        Model::Mean,
        Model::Median,
        Model::Eu(EuPreset::ScholzCode.params()),
        Model::Smp(SmpParams::default()),
        Model::Exchange(ExchangeParams::default()),
    ]
    .iter()
    .map(|m| forecast_table(&table, m))
    .collect::<Result<Vec<_>, _>>()?;
    let rows = runs[0]
        .issues
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let at = |m: usize| &runs[m].issues[k];
            let options = (0..5)
                .map(|m| at(m).option.clone())
                .collect::<Option<Vec<String>>>()
                .map(|o| [o[0].clone(), o[1].clone(), o[2].clone(), o[3].clone(), o[4].clone()]);
            ComparisonRow {
                issue: f.issue.clone(),
                mean: at(0).value,
                median: at(1).value,
                eu: at(2).value,
                eu_mean: at(2).final_mean,
                smp: at(3).value,
                exchange: at(4).value,
                options,
            }
        })
        .collect();
    let exchange = runs[4].exchange.take();
    Ok(ModelComparison { rows, skipped: runs[0].skipped.clone(), exchange })
}
