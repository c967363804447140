//! Spatial bargaining forecasts for detente.
#![deny(missing_docs)]

pub mod baseline;
pub mod error;
pub mod eu;
pub mod input;
pub mod model;
pub mod report;
pub mod smp;
pub mod uncertainty;

pub use error::ForecastError;
pub use input::{ForecastTable, IssueInput, IssueShape, SpatialActor, TableActor, TableIssue};
pub use model::{forecast_table, IssueForecast, Model, SpatialModel, TableForecast, Trajectory};
pub use report::{compare_models, forecast_scenario, ComparisonRow, ForecastReport, ModelComparison};
pub use uncertainty::{monte_carlo, InputSpread, MonteCarlo, Spread, UncertainInput, Uncertainty};
