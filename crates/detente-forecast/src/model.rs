//! One trait over the one-dimensional models, the closed set of models the CLI names, and the
//! table-level forecast (every issue of a scenario).

use serde::Serialize;

use crate::baseline::{weighted_mean, weighted_median, weighted_plurality};
use crate::error::ForecastError;
use crate::eu::{run_eu, EuParams, EuPreset};
use crate::exchange::{run_exchange, ExchangeParams, ExchangeRun};
use crate::input::{ForecastTable, IssueInput, IssueShape};
use crate::smp::{run_smp, SmpInput, SmpParams};

/// The positions of every actor, round by round (round 0 = the inputs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trajectory {
    /// Actor names, in the order of each round's positions.
    pub actors: Vec<String>,
    /// `rounds[t][k]`: actor k's position after round t.
    pub rounds: Vec<Vec<f64>>,
    /// SMP only: `win_probability[t][k]`, the probability after turn t that actor k's position is
    /// the group's choice (KTAB's per-turn "prob" history, [`crate::smp::SmpState::position_probability`]).
    /// The SMP bargains over all issues jointly, so this is the probability of the actor's whole
    /// position vector: the same on every issue it takes part in. Actors on equivalent positions
    /// share one probability, so a turn's probabilities can sum to more than 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub win_probability: Option<Vec<Vec<f64>>>,
}

/// The c·s weighted median and mean of the positions after each round (round 0 = the inputs), as
/// a forecaster checks them against a published run (Scholz's Table 2 prints both per round).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundStats {
    /// `median[t]`: the lower c·s weighted median after round t.
    pub median: Vec<f64>,
    /// `mean[t]`: the c·s weighted mean after round t.
    pub mean: Vec<f64>,
}

/// What a model says about one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueRun {
    /// The point forecast on the issue's scale.
    pub value: f64,
    /// The c·s weighted mean of the final positions, for dynamic models (Scholz: report the mean
    /// beside the median).
    pub final_mean: Option<f64>,
    /// The round-by-round positions, for dynamic models.
    pub trajectory: Option<Trajectory>,
    /// The median and mean of every round, for the expected-utility model.
    pub round_stats: Option<RoundStats>,
}

/// A one-dimensional spatial model: one issue's actors in, a forecast out.
pub trait SpatialModel: Sync {
    /// Short name (`mean`, `median`, `eu`, `smp`).
    fn name(&self) -> &'static str;
    /// Forecasts one issue. Errors on invalid input (see [`IssueInput::validate`]).
    fn forecast_issue(&self, input: &IssueInput) -> Result<IssueRun, ForecastError>;
}

/// The capability × salience weighted mean (the "compromise model"). O(n log n).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMean;

/// The capability × salience weighted (lower) median (the Condorcet winner among positions).
/// O(n log n).
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMedian;

/// The expected-utility challenge model ([`crate::eu`]). O(rounds · n³).
#[derive(Debug, Clone, Default)]
pub struct ExpectedUtility(pub EuParams);

impl SpatialModel for WeightedMean {
    fn name(&self) -> &'static str {
        "mean"
    }
    fn forecast_issue(&self, input: &IssueInput) -> Result<IssueRun, ForecastError> {
        input.validate()?;
        let value =
            weighted_mean(&input.positions(), &input.weights()).ok_or_else(|| ForecastError::NoPower { issue: input.issue.clone() })?;
        Ok(IssueRun { value, final_mean: None, trajectory: None, round_stats: None })
    }
}

impl SpatialModel for WeightedMedian {
    fn name(&self) -> &'static str {
        "median"
    }
    fn forecast_issue(&self, input: &IssueInput) -> Result<IssueRun, ForecastError> {
        input.validate()?;
        let value =
            weighted_median(&input.positions(), &input.weights()).ok_or_else(|| ForecastError::NoPower { issue: input.issue.clone() })?;
        Ok(IssueRun { value, final_mean: None, trajectory: None, round_stats: None })
    }
}

impl SpatialModel for ExpectedUtility {
    fn name(&self) -> &'static str {
        "eu"
    }
    fn forecast_issue(&self, input: &IssueInput) -> Result<IssueRun, ForecastError> {
        let run = run_eu(input, &self.0)?;
        let mut rounds = vec![run.initial.clone()];
        rounds.extend(run.rounds.iter().map(|r| r.positions.clone()));
        let mut stats = RoundStats { median: vec![run.initial_median], mean: vec![run.initial_mean] };
        stats.median.extend(run.rounds.iter().map(|r| r.median));
        stats.mean.extend(run.rounds.iter().map(|r| r.mean));
        Ok(IssueRun {
            value: run.forecast(),
            final_mean: Some(run.final_mean()),
            trajectory: Some(Trajectory { actors: input.actors.iter().map(|a| a.name.clone()).collect(), rounds, win_probability: None }),
            round_stats: Some(stats),
        })
    }
}

/// KTAB's Spatial Model of Politics on one issue alone ([`crate::smp`]); scenarios run it jointly
/// over all issues instead ([`forecast_table`]). Actors with capability × salience 0 take no part
/// (KTAB needs both > 0). O(turns · n³).
#[derive(Debug, Clone, Default)]
pub struct SpatialModelOfPolitics(pub SmpParams);

impl SpatialModel for SpatialModelOfPolitics {
    fn name(&self) -> &'static str {
        "smp"
    }
    fn forecast_issue(&self, input: &IssueInput) -> Result<IssueRun, ForecastError> {
        input.validate()?;
        let actors: Vec<_> = input
            .actors
            .iter()
            .filter(|a| a.weight() > 0.0)
            .map(|a| crate::smp::SmpActor {
                name: a.name.clone(),
                capability: a.capability,
                positions: vec![a.position],
                saliences: vec![a.salience],
            })
            .collect();
        let n = actors.len();
        let run = run_smp(&SmpInput { dims: vec![input.issue.clone()], actors }, &self.0)?;
        let (value, trajectory) = run.issue_summary(0, &(0..n).collect::<Vec<_>>());
        Ok(IssueRun { value, final_mean: None, trajectory: Some(trajectory), round_stats: None })
    }
}

/// The models the CLI and `detente study` offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Model {
    /// Weighted mean baseline.
    Mean,
    /// Weighted median baseline.
    Median,
    /// Expected-utility model with its parameters.
    Eu(EuParams),
    /// KTAB's Spatial Model of Politics, run jointly over all issues.
    Smp(SmpParams),
    /// Stokman & Van Oosten's exchange model (Equal Gain), run jointly over all issues.
    Exchange(ExchangeParams),
}

impl Model {
    /// Names accepted by [`Model::parse`].
    pub const NAMES: [&'static str; 5] = ["mean", "median", "eu", "smp", "exchange"];

    /// `mean`, `median`, `eu`, `smp`, `exchange` (seed 0); `eu_preset` selects an expected-utility preset (default
    /// `scholz_code`; see [`EuPreset`]).
    pub fn parse(name: &str, eu_preset: Option<&str>) -> Result<Model, ForecastError> {
        let preset = eu_preset.map(EuPreset::parse).transpose()?;
        match name {
            "mean" => Ok(Model::Mean),
            "median" => Ok(Model::Median),
            "eu" => Ok(Model::Eu(preset.unwrap_or(EuPreset::ScholzCode).params())),
            "smp" => Ok(Model::Smp(SmpParams::default())),
            "exchange" => Ok(Model::Exchange(ExchangeParams::default())),
            _ => Err(ForecastError::Unknown { what: "model", id: name.to_string(), known: Model::NAMES.join(", ") }),
        }
    }

    /// What the model implements, pinned to the reference it reproduces (KTAB results drift
    /// between code versions, so outputs say which one).
    pub fn source(&self) -> &'static str {
        match self {
            Model::Mean => "capability x salience weighted mean (Achen 2006 compromise model)",
            Model::Median => "capability x salience lower weighted median (Condorcet winner among positions)",
            Model::Eu(_) => {
                "Bueno de Mesquita expected-utility model, Scholz, Calbert & Smith 2011 reconstruction; scholz_code = jmckib@55f63e9"
            }
            Model::Smp(_) => "KTAB Spatial Model of Politics, deterministic, ported from lsyaseen/KTAB; reproduces its reference run dummyData_3Dim (built at 3b5b063)",
            Model::Exchange(_) => {
                "Stokman & Van Oosten 1994 exchange model, Equal Gain variant of Decide (foarsitter/decide-exchange-model), ties broken by a seeded ChaCha8"
            }
        }
    }

    /// Whether this model reads the kind of input, beyond what the forecast lens reads as a whole
    /// ([`crate::reads`]). The salience convention is read by the SMP alone, the one model that
    /// compares an actor's saliences across issues: the baselines and the expected-utility model
    /// run issue by issue and use each salience as stated under either convention.
    pub fn reads(&self, input: detente_core::Input) -> bool {
        match input {
            detente_core::Input::SalienceConvention => matches!(self, Model::Smp(_)),
            other => crate::reads(other),
        }
    }

    /// The short name.
    pub fn name(&self) -> &'static str {
        match self {
            Model::Mean => "mean",
            Model::Median => "median",
            Model::Eu(_) => "eu",
            Model::Smp(_) => "smp",
            Model::Exchange(_) => "exchange",
        }
    }
}

/// One issue's forecast in a table forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    /// Issue id.
    pub issue: String,
    /// Point forecast in the issue's own units, as positions are written: a number from `min` to
    /// `max` on integer and real issues, the 0–100 scale on ordinal issues, the option index on
    /// categorical issues. Every other number of the forecast (final mean, trajectories, round
    /// statistics) is in the same units.
    pub value: f64,
    /// The same point on the issue's 0–100 scale, where the models compute (equal to `value`
    /// on ordinal and categorical issues).
    pub scale_value: f64,
    /// The nearest option (ordinal: by scale; categorical: the forecast option), if the issue has
    /// options.
    pub option: Option<String>,
    /// Index of that option.
    pub option_index: Option<usize>,
    /// Final weighted mean, for dynamic models.
    pub final_mean: Option<f64>,
    /// Round-by-round positions, for dynamic models.
    pub trajectory: Option<Trajectory>,
    /// Round-by-round median and mean, for the expected-utility model.
    pub round_stats: Option<RoundStats>,
}

impl IssueForecast {
    /// Moves every number computed on the 0–100 scale into the issue's units.
    fn convert_to_units(&mut self, units: &detente_core::Units) {
        let f = |x: f64| units.from_scale(x);
        self.scale_value = self.value;
        self.value = f(self.value);
        self.final_mean = self.final_mean.map(f);
        if let Some(t) = &mut self.trajectory {
            t.rounds.iter_mut().flatten().for_each(|x| *x = f(*x));
        }
        if let Some(r) = &mut self.round_stats {
            r.median.iter_mut().chain(r.mean.iter_mut()).for_each(|x| *x = f(*x));
        }
    }
}

/// A model's forecast of every issue of a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableForecast {
    /// Model name.
    pub model: String,
    /// Per issue, in table order (skipped issues left out).
    pub issues: Vec<IssueForecast>,
    /// Issues nobody takes a position on (or where nobody exercises power), with the reason.
    pub skipped: Vec<(String, String)>,
    /// The exchange model's rounds and trades, for `Model::Exchange` (its issues: the
    /// non-categorical ones forecast).
    pub exchange: Option<ExchangeRun>,
}

/// Forecasts every issue of the table with one model.
///
/// Categorical issues have no order, so every model forecasts them by weighted plurality (the
/// option with the most exercised power c·s; ties: lowest index). SMP runs jointly over the
/// non-categorical issues (see [`crate::smp`]); the others run issue by issue. An issue on which no
/// actor takes a position, or where every actor has c·s = 0, is skipped with a note.
pub fn forecast_table(table: &ForecastTable, model: &Model) -> Result<TableForecast, ForecastError> {
    let mut issues = Vec::new();
    let mut skipped = Vec::new();
    let mut spatial = Vec::new();
    for (k, issue) in table.issues.iter().enumerate() {
        let input = table.issue_input(k);
        if input.actors.is_empty() {
            skipped.push((issue.id.clone(), "no actor takes a position on it".to_string()));
            continue;
        }
        if !input.actors.iter().any(|a| a.weight() > 0.0) {
            skipped.push((issue.id.clone(), "every actor has capability × salience 0".to_string()));
            continue;
        }
        if let IssueShape::Categorical { options } = &issue.shape {
            input.validate()?;
            let i = weighted_plurality(&input.positions(), &input.weights(), options.len())
                .ok_or(ForecastError::NoPower { issue: issue.id.clone() })?;
            issues.push(IssueForecast {
                issue: issue.id.clone(),
                value: i as f64,
                scale_value: i as f64,
                option: Some(options[i].clone()),
                option_index: Some(i),
                final_mean: None,
                trajectory: None,
                round_stats: None,
            });
            continue;
        }
        spatial.push((k, issues.len()));
        let run = match model {
            Model::Mean => WeightedMean.forecast_issue(&input)?,
            Model::Median => WeightedMedian.forecast_issue(&input)?,
            Model::Eu(p) => ExpectedUtility(p.clone()).forecast_issue(&input)?,
            Model::Smp(_) | Model::Exchange(_) => IssueRun { value: f64::NAN, final_mean: None, trajectory: None, round_stats: None }, // filled below
        };
        let option_index = issue.shape.nearest_option(run.value);
        issues.push(IssueForecast {
            issue: issue.id.clone(),
            value: run.value,
            scale_value: run.value,
            option: option_index.and_then(|i| issue.shape.options().map(|o| o[i].clone())),
            option_index,
            final_mean: run.final_mean,
            trajectory: run.trajectory,
            round_stats: run.round_stats,
        });
    }
    if let Model::Smp(params) = model {
        if !spatial.is_empty() {
            let dims: Vec<usize> = spatial.iter().map(|&(k, _)| k).collect();
            let (input, members) = SmpInput::from_table(table, &dims);
            let run = run_smp(&input, params)?;
            for (d, &(k, slot)) in spatial.iter().enumerate() {
                let issue = &table.issues[k];
                let (value, trajectory) = run.issue_summary(d, &members[d]);
                let option_index = issue.shape.nearest_option(value);
                let f = &mut issues[slot];
                f.value = value;
                f.option_index = option_index;
                f.option = option_index.and_then(|i| issue.shape.options().map(|o| o[i].clone()));
                f.trajectory = Some(trajectory);
            }
        }
    }
    let mut exchange = None;
    if let Model::Exchange(params) = model {
        if !spatial.is_empty() {
            let dims: Vec<usize> = spatial.iter().map(|&(k, _)| k).collect();
            let run = run_exchange(table, &dims, params)?;
            for (d, &(k, slot)) in spatial.iter().enumerate() {
                let issue = &table.issues[k];
                let value = run.final_mean[d];
                let option_index = issue.shape.nearest_option(value);
                let f = &mut issues[slot];
                f.value = value;
                f.option_index = option_index;
                f.option = option_index.and_then(|i| issue.shape.options().map(|o| o[i].clone()));
                f.trajectory = Some(run.trajectory(d));
            }
            exchange = Some(run);
        }
    }
    // Everything above is on the 0–100 scale; forecasts are reported in the issues' units.
    for &(k, slot) in &spatial {
        issues[slot].convert_to_units(&table.issues[k].units);
    }
    if let Some(run) = &mut exchange {
        run.convert_to_units(&spatial.iter().map(|&(k, _)| table.issues[k].units).collect::<Vec<_>>());
    }
    Ok(TableForecast { model: model.name().to_string(), issues, skipped, exchange })
}
