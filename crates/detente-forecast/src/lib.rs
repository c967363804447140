//! Spatial bargaining forecasts for detente: where does each issue settle, given each actor's
//! position, salience and capability, and how sure is that?
//!
//! - [`baseline`]: the capability × salience weighted mean and median — the baselines every
//!   model is shown beside (on EU legislative data the mean matches or beats the models);
//! - [`eu`]: Bueno de Mesquita's expected-utility ("challenge") model as reconstructed by Scholz,
//!   Calbert & Smith (2011), every interpretive choice a parameter, the published
//!   reconstructions as presets;
//! - [`smp`]: KTAB's Spatial Model of Politics, deterministic mode (ported from the MIT-licensed
//!   C++ with attribution);
//! - [`exchange`]: Stokman & Van Oosten's exchange model (Decide's Equal Gain variant): actors
//!   trade moves across issues where both gain, with seeded tie-breaks;
//! - [`uncertainty`]: spreads on inputs and a seeded, parallel, thread-count-independent Monte
//!   Carlo;
//! - [`report`]: the entry points the CLI calls ([`forecast_scenario`], [`compare_models`]).
//!
//! Models read plain tables ([`IssueInput`], [`ForecastTable`]), so published test vectors feed
//! them directly; [`ForecastTable::from_scenario`] bridges from a scenario. No I/O, no clock, no
//! global RNG. See `docs/forecasting.md` for sources, semantics choices and the vectors matched.
//!
//! ```
//! use detente_forecast::{IssueInput, SpatialActor, SpatialModel};
//! use detente_forecast::model::{WeightedMean, ExpectedUtility};
//! use detente_forecast::eu::EuPreset;
//! let issue = IssueInput::new("territory", vec![
//!     SpatialActor::new("russia", 100.0, 0.9, 80.0),
//!     SpatialActor::new("ukraine", 10.0, 0.9, 40.0),
//!     SpatialActor::new("usa", 67.0, 0.2, 100.0),
//! ]);
//! let mean = WeightedMean.forecast_issue(&issue)?.value;
//! assert!((mean - (72.0 * 100.0 + 36.0 * 10.0 + 20.0 * 67.0) / 128.0).abs() < 1e-9);
//! let eu = ExpectedUtility(EuPreset::ScholzCode.params()).forecast_issue(&issue)?;
//! assert!(eu.trajectory.is_some());
//! # Ok::<(), detente_forecast::ForecastError>(())
//! ```
#![deny(missing_docs)]

pub mod baseline;
pub mod error;
pub mod eu;
pub mod exchange;
pub mod input;
pub mod model;
pub mod report;
pub mod smp;
pub mod uncertainty;

pub use error::ForecastError;
pub use input::{ForecastTable, IssueInput, IssueShape, SpatialActor, TableActor, TableIssue};
pub use model::{forecast_table, IssueForecast, Model, RoundStats, SpatialModel, TableForecast, Trajectory};
pub use report::{
    compare_models, forecast_scenario, levers, reads, spread_use, ComparisonRow, ForecastReport, IssueLevers, ModelComparison, SpreadUse,
};
pub use uncertainty::{monte_carlo, monte_carlo_runs, monte_carlo_summary, MonteCarlo, RunForecasts, Uncertainty};
