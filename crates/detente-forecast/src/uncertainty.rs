//! Uncertain inputs and the Monte Carlo over them.
//!
//! Every position, salience and capability of a [`ForecastTable`] may carry a [`Spread`] (the
//! core model's type: a scenario states them on its positions and actors, and
//! [`Uncertainty::from_scenario`] collects them). A
//! Monte Carlo run draws one value for every uncertain input, forecasts the sampled table with the
//! chosen model, and the runs are summarised per issue (median, quantiles, option probabilities).
//!
//! Reproducibility: run `k` draws from `ChaCha8Rng::seed_from_u64(seed)` switched to stream `k`,
//! so its inputs depend only on `(seed, k)`; runs execute in parallel (rayon) and are collected in
//! index order, so the report is the same byte for byte whatever the thread count. Within a run the
//! draws happen in a fixed order: for each actor (table order) its capability, then for each issue
//! its position and its salience; certain inputs (no spread) draw nothing.
//!
//! Sampled values are clipped to their valid range (positions to 0–100, salience to [0, 1],
//! capability to ≥ 0); clipping, not rejection, so a normal spread piles mass at the bounds.
//! Quantiles use linear interpolation between order statistics (Hyndman & Fan type 7, the default
//! of R and NumPy). Cost: `runs ×` the model's cost, divided over the cores.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Triangular};
use rayon::prelude::*;
use serde::Serialize;

use detente_core::{Scenario, Spread, Utility};

use crate::error::ForecastError;
use crate::input::{ForecastTable, IssueShape};
use crate::model::{forecast_table, Model};

/// One draw of an input whose stated value is `base` (the value itself when there is no spread),
/// clipped to `[min, max]`. A normal spread is centred on `base`; zero-width spreads draw nothing.
pub fn draw(spread: Option<Spread>, base: f64, min: f64, max: f64, rng: &mut ChaCha8Rng) -> f64 {
    let x = match spread {
        None => return base,
        Some(Spread::Uniform { lo, hi }) => {
            if lo < hi {
                rng.gen_range(lo..=hi)
            } else {
                lo
            }
        }
        Some(Spread::Triangular { lo, mode, hi }) => {
            if lo < hi {
                Triangular::new(lo, hi, mode).expect("invariant: checked lo ≤ mode ≤ hi").sample(rng)
            } else {
                lo
            }
        }
        Some(Spread::Normal { sd }) => {
            if sd > 0.0 {
                Normal::new(base, sd).expect("invariant: checked sd ≥ 0").sample(rng)
            } else {
                base
            }
        }
    };
    x.clamp(min, max)
}

/// One sampled cell: `(position, salience)`, `None` where the actor takes no position.
pub type Cell = Option<(f64, f64)>;

/// The uncertainty of every input of a table (same actor and issue order).
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// `positions[actor][issue]` (`None`: certain).
    pub positions: Vec<Vec<Option<Spread>>>,
    /// `saliences[actor][issue]`.
    pub saliences: Vec<Vec<Option<Spread>>>,
    /// `capabilities[actor]`.
    pub capabilities: Vec<Option<Spread>>,
}

impl Uncertainty {
    /// Everything certain.
    pub fn none(table: &ForecastTable) -> Self {
        let (na, ni) = (table.actors.len(), table.issues.len());
        Uncertainty { positions: vec![vec![None; ni]; na], saliences: vec![vec![None; ni]; na], capabilities: vec![None; na] }
    }

    fn locate(table: &ForecastTable, actor: &str, issue: Option<&str>) -> Result<(usize, usize), ForecastError> {
        let a = table.actor_index(actor).ok_or_else(|| ForecastError::Unknown {
            what: "actor",
            id: actor.to_string(),
            known: table.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", "),
        })?;
        let Some(issue) = issue else { return Ok((a, 0)) };
        let k = table.issue_index(issue).ok_or_else(|| ForecastError::Unknown {
            what: "issue",
            id: issue.to_string(),
            known: table.issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", "),
        })?;
        if table.actors[a].cells[k].is_none() {
            return Err(ForecastError::BadSpread {
                actor: actor.to_string(),
                what: format!("issue `{issue}`"),
                reason: "the actor takes no position on this issue".into(),
            });
        }
        Ok((a, k))
    }

    /// The spreads `scenario` states on the inputs of `table` (built from that scenario): actors
    /// the table leaves out (observers, non-spatial actors) and positions it has no cell for
    /// contribute nothing. The scenario validated them ([`Spread::check`]).
    pub fn from_scenario(table: &ForecastTable, scenario: &Scenario) -> Self {
        let mut u = Uncertainty::none(table);
        for actor in &scenario.actors {
            let Some(a) = table.actor_index(&actor.id) else { continue };
            u.capabilities[a] = actor.capability_spread;
            let Utility::Spatial(sp) = &actor.preferences.utility else { continue };
            for (issue, p) in scenario.space.issues().iter().zip(&sp.positions) {
                let (Some(p), Some(k)) = (p, table.issue_index(&issue.id)) else { continue };
                if table.actors[a].cells[k].is_some() {
                    // stated in the issue's units, sampled on the scale the table is on
                    u.positions[a][k] = p.ideal_spread.map(|s| s.on_scale(&table.issues[k].units));
                    u.saliences[a][k] = p.salience_spread;
                }
            }
        }
        u
    }

    /// Sets the spread of an actor's position on an issue (0–100; categorical issues cannot vary).
    pub fn set_position(&mut self, table: &ForecastTable, actor: &str, issue: &str, spread: Spread) -> Result<(), ForecastError> {
        let (a, k) = Self::locate(table, actor, Some(issue))?;
        if matches!(table.issues[k].shape, IssueShape::Categorical { .. }) {
            return Err(ForecastError::BadSpread {
                actor: actor.into(),
                what: format!("position on `{issue}`"),
                reason: "a categorical issue has no scale to vary a position on".into(),
            });
        }
        spread.check_shape("ideal", 0.0, 100.0).map_err(|e| ForecastError::BadSpread {
            actor: actor.into(),
            what: format!("position on `{issue}`"),
            reason: e.kind.to_string(),
        })?;
        self.positions[a][k] = Some(spread);
        Ok(())
    }

    /// Sets the spread of an actor's salience on an issue.
    pub fn set_salience(&mut self, table: &ForecastTable, actor: &str, issue: &str, spread: Spread) -> Result<(), ForecastError> {
        let (a, k) = Self::locate(table, actor, Some(issue))?;
        spread.check_shape("salience", 0.0, 1.0).map_err(|e| ForecastError::BadSpread {
            actor: actor.into(),
            what: format!("salience on `{issue}`"),
            reason: e.kind.to_string(),
        })?;
        self.saliences[a][k] = Some(spread);
        Ok(())
    }

    /// Sets the spread of an actor's capability.
    pub fn set_capability(&mut self, table: &ForecastTable, actor: &str, spread: Spread) -> Result<(), ForecastError> {
        let (a, _) = Self::locate(table, actor, None)?;
        spread.check_shape("capability", 0.0, f64::INFINITY).map_err(|e| ForecastError::BadSpread {
            actor: actor.into(),
            what: "capability".into(),
            reason: e.kind.to_string(),
        })?;
        self.capabilities[a] = Some(spread);
        Ok(())
    }

    /// Whether any input is uncertain.
    pub fn is_uncertain(&self) -> bool {
        self.capabilities.iter().chain(self.positions.iter().flatten()).chain(self.saliences.iter().flatten()).any(Option::is_some)
    }

    /// One draw of every input as plain numbers: capabilities and `cells[actor][issue]`, in the
    /// same draw order as [`Uncertainty::sample`].
    pub fn sample_numbers(&self, table: &ForecastTable, rng: &mut ChaCha8Rng) -> (Vec<f64>, Vec<Vec<Cell>>) {
        let mut cap = Vec::with_capacity(table.actors.len());
        let mut cells = Vec::with_capacity(table.actors.len());
        for (a, actor) in table.actors.iter().enumerate() {
            cap.push(draw(self.capabilities[a], actor.capability, 0.0, f64::MAX, rng));
            cells.push(
                actor
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(k, cell)| {
                        cell.map(|(x, s)| {
                            let x = draw(self.positions[a][k], x, 0.0, 100.0, rng);
                            (x, draw(self.saliences[a][k], s, 0.0, 1.0, rng))
                        })
                    })
                    .collect(),
            );
        }
        (cap, cells)
    }

    /// One sampled table.
    pub fn sample(&self, table: &ForecastTable, rng: &mut ChaCha8Rng) -> ForecastTable {
        let mut out = table.clone();
        for (a, actor) in out.actors.iter_mut().enumerate() {
            actor.capability = draw(self.capabilities[a], actor.capability, 0.0, f64::MAX, rng);
            for (k, cell) in actor.cells.iter_mut().enumerate() {
                if let Some((x, s)) = cell {
                    *x = draw(self.positions[a][k], *x, 0.0, 100.0, rng);
                    *s = draw(self.saliences[a][k], *s, 0.0, 1.0, rng);
                }
            }
        }
        out
    }
}

/// Probability of one option in the Monte Carlo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionProbability {
    /// Option id.
    pub option: String,
    /// Share of runs whose forecast is (nearest to) this option.
    pub probability: f64,
}

/// The Monte Carlo summary of one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueDistribution {
    /// Issue id.
    pub issue: String,
    /// The forecast from the unperturbed inputs.
    pub deterministic: f64,
    /// Runs that produced a forecast for the issue (a run skips an issue when every sampled c·s is 0).
    pub runs: usize,
    /// Mean of the runs' forecasts.
    pub mean: f64,
    /// Median of the runs' forecasts.
    pub median: f64,
    /// `(p, quantile)` for p in [`QUANTILES`].
    pub quantiles: Vec<(f64, f64)>,
    /// Smallest forecast.
    pub min: f64,
    /// Largest forecast.
    pub max: f64,
    /// For issues with options: the share of runs per option (every option listed, file order).
    pub options: Vec<OptionProbability>,
}

/// The quantiles every Monte Carlo report gives.
pub const QUANTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// A Monte Carlo report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarlo {
    /// Model name.
    pub model: String,
    /// Number of runs.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Per issue.
    pub issues: Vec<IssueDistribution>,
}

/// Linear-interpolation quantile of sorted data (type 7).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Per table issue: the run's `(value, option index)`, `None` where the issue was skipped.
/// One Monte Carlo run's forecast of each issue, in the table's issue order: the value in the
/// issue's units and its nearest option, or `None` where the run forecasts nothing.
pub type RunForecasts = Vec<Option<(f64, Option<usize>)>>;

/// The forecast of every issue for run `k`.
///
/// The one-dimensional models run on the sampled numbers directly (no table clone, no names):
/// the same functions, on the same actor order, as [`forecast_table`], so a run whose draws equal
/// the inputs reproduces the deterministic forecast exactly. The SMP runs jointly on a sampled
/// table.
fn one_run(table: &ForecastTable, model: &Model, uncertainty: &Uncertainty, seed: u64, k: usize) -> Result<RunForecasts, ForecastError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(k as u64);
    if let Model::Smp(_) | Model::Exchange(_) = model {
        let sampled = uncertainty.sample(table, &mut rng);
        let f = forecast_table(&sampled, model)?;
        let mut out = vec![None; table.issues.len()];
        for issue in f.issues {
            let idx = table.issue_index(&issue.issue).expect("invariant: forecast issues come from the table");
            out[idx] = Some((issue.value, issue.option_index));
        }
        return Ok(out);
    }
    let (cap, cells) = uncertainty.sample_numbers(table, &mut rng);
    let mut out = Vec::with_capacity(table.issues.len());
    let (mut x, mut s, mut w) = (Vec::new(), Vec::new(), Vec::new());
    for (k, issue) in table.issues.iter().enumerate() {
        x.clear();
        s.clear();
        w.clear();
        for (a, row) in cells.iter().enumerate() {
            if let Some((xa, sa)) = row[k] {
                x.push(xa);
                s.push(sa);
                w.push(cap[a] * sa);
            }
        }
        if x.is_empty() || !w.iter().any(|&v| v > 0.0) {
            out.push(None);
            continue;
        }
        if let IssueShape::Categorical { options } = &issue.shape {
            out.push(crate::baseline::weighted_plurality(&x, &w, options.len()).map(|i| (i as f64, Some(i))));
            continue;
        }
        let value = match model {
            Model::Mean => crate::baseline::weighted_mean(&x, &w),
            Model::Median => crate::baseline::weighted_median(&x, &w),
            Model::Eu(p) => Some(crate::eu::eu_forecast(&x, &w, &s, p)),
            Model::Smp(_) | Model::Exchange(_) => unreachable!("handled above"),
        };
        // computed on the scale, reported in the issue's units as `forecast_table` does
        out.push(value.map(|v| (issue.units.from_scale(v), issue.shape.nearest_option(v))));
    }
    Ok(out)
}

/// Runs `runs` seeded Monte Carlo forecasts in parallel and summarises them per issue:
/// [`monte_carlo_runs`] of every run, then [`monte_carlo_summary`].
pub fn monte_carlo(
    table: &ForecastTable,
    model: &Model,
    uncertainty: &Uncertainty,
    runs: usize,
    seed: u64,
) -> Result<MonteCarlo, ForecastError> {
    if runs == 0 {
        return Err(ForecastError::BadParameter { name: "runs", value: "0".into(), expected: "at least 1".into() });
    }
    let results = monte_carlo_runs(table, model, uncertainty, seed, 0..runs)?;
    monte_carlo_summary(table, model, seed, &results)
}

/// Runs `range` of a Monte Carlo's runs, in parallel, each seeded from `seed` and its own
/// number (so a run gives the same forecast whichever share it is run in): a share of the
/// runs, for splitting them across machines; [`monte_carlo_summary`] of every share's results,
/// concatenated in run order, is [`monte_carlo`].
pub fn monte_carlo_runs(
    table: &ForecastTable,
    model: &Model,
    uncertainty: &Uncertainty,
    seed: u64,
    range: std::ops::Range<usize>,
) -> Result<Vec<RunForecasts>, ForecastError> {
    if uncertainty.positions.len() != table.actors.len() || uncertainty.capabilities.len() != table.actors.len() {
        return Err(ForecastError::BadParameter {
            name: "uncertainty",
            value: format!("{} actors", uncertainty.capabilities.len()),
            expected: format!("{} actors, as in the table", table.actors.len()),
        });
    }
    range.into_par_iter().map(|k| one_run(table, model, uncertainty, seed, k)).collect()
}

/// The summary per issue of a Monte Carlo's runs (`results`: every run, in run order).
pub fn monte_carlo_summary(table: &ForecastTable, model: &Model, seed: u64, results: &[RunForecasts]) -> Result<MonteCarlo, ForecastError> {
    let runs = results.len();
    if runs == 0 {
        return Err(ForecastError::BadParameter { name: "runs", value: "0".into(), expected: "at least 1".into() });
    }
    if let Some(r) = results.iter().find(|r| r.len() != table.issues.len()) {
        return Err(ForecastError::BadParameter {
            name: "results",
            value: format!("a run of {} issues", r.len()),
            expected: format!("{} issues, as in the table", table.issues.len()),
        });
    }
    let base = forecast_table(table, model)?;
    let mut issues = Vec::new();
    for f in &base.issues {
        let k = table.issue_index(&f.issue).expect("invariant: forecast issues come from the table");
        let mut values: Vec<f64> = results.iter().filter_map(|r| r[k].map(|(v, _)| v)).collect();
        let n = values.len();
        values.sort_by(f64::total_cmp);
        let mean = if n > 0 { values.iter().sum::<f64>() / n as f64 } else { f64::NAN };
        let options = match table.issues[k].shape.options() {
            None => Vec::new(),
            Some(opts) => {
                let mut counts = vec![0usize; opts.len()];
                for r in results {
                    if let Some((_, Some(o))) = r[k] {
                        counts[o] += 1;
                    }
                }
                opts.iter().zip(counts).map(|(o, c)| OptionProbability { option: o.clone(), probability: c as f64 / runs as f64 }).collect()
            }
        };
        issues.push(IssueDistribution {
            issue: f.issue.clone(),
            deterministic: f.value,
            runs: n,
            mean,
            median: quantile_sorted(&values, 0.5),
            quantiles: QUANTILES.iter().map(|&p| (p, quantile_sorted(&values, p))).collect(),
            min: values.first().copied().unwrap_or(f64::NAN),
            max: values.last().copied().unwrap_or(f64::NAN),
            options,
        });
    }
    Ok(MonteCarlo { model: model.name().to_string(), runs, seed, issues })
}
