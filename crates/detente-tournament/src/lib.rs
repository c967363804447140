//! Tournaments: every negotiator in every seat of every scenario, repeated, on all cores, with
//! seeds derived from each negotiation's coordinates and rows streamed in a fixed order.
//!
//! - [`Prepared`]: a scenario made ready for negotiation that owns the scenario, so the two
//!   cannot be paired wrongly; it measures results against the scenario's analysis, computed
//!   once.
//! - [`Tournament`] → [`Plan`]: the checked, numbered negotiations, run for any range of
//!   numbers ([`Plan::try_run`]), so a resumed run or one shard of several runs exactly its
//!   part.
//! - [`Row`]: one negotiation's result (`Serialize`); [`Record`]: the same, flattened to a
//!   table's columns.
//! - [`store`]: a tournament's results in a directory (Parquet and CSV), crash-safe, resumable,
//!   shardable and byte-deterministic.
//! - [`SummaryBuilder`] → [`Summary`]: a tournament's standings (an ANAC-style score with
//!   confidence intervals and pairwise Welch tests, Holm-adjusted), per-scenario results and
//!   counts, accumulated record by record in constant memory.
//!
//! The facade crate `detente` re-exports all of it.

mod error;
mod plan;
mod prepared;
mod record;
mod seed;
pub mod store;
pub mod summary;

pub use error::BatchError;
pub use plan::{parse_negotiators, Coordinates, Entrant, MakeNegotiator, Plan, Row, SeatFor, Status, Tournament, DEFAULT_CHUNK};
pub use prepared::Prepared;
pub use record::{negmas_advantage, Record, SeatRecord};
pub use seed::{negotiation_seed, splitmix64};
pub use summary::{Estimate, NegotiatorSummary, PairSummary, PairTest, ScenarioSummary, StatusCounts, Summary, SummaryBuilder};
