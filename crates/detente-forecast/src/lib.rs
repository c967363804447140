//! Spatial bargaining forecasts for detente.
#![deny(missing_docs)]

pub mod baseline;
pub mod error;
pub mod eu;
pub mod input;
pub mod model;
pub mod smp;
pub mod uncertainty;

pub use error::ForecastError;
pub use input::{ForecastTable, IssueInput, IssueShape, SpatialActor, TableActor, TableIssue};
pub use model::{forecast_table, IssueForecast, Model, SpatialModel, TableForecast, Trajectory};
