//! The detente domain model: issues, outcome spaces, preferences, actors, scenarios and variants.
//!
//! This crate does no I/O, reads no clock and uses no global random number generator: file
//! formats live in `detente-formats`, and time and randomness are passed in by the lenses.
//!
//! ```
//! use detente_core::{Issue, OutcomeSpace};
//! let space = OutcomeSpace::new(vec![
//!     Issue::categorical("laptop", &["dell", "mac", "hp"]),
//!     Issue::integer("price", 0, 100, 50),
//! ]);
//! // First issue slowest, as GENIUS and NegMAS enumerate.
//! let o = space.parse("laptop=mac, price=50")?;
//! assert_eq!(space.index_of(&o), Some(4));
//! # Ok::<(), detente_core::ModelError>(())
//! ```
#![deny(missing_docs)]

mod actor;
mod error;
mod issue;
pub mod limits;
mod negotiator;
mod outcome;
mod preferences;
mod red_line;
mod scenario;
pub mod seating;
pub mod select;
mod semantics;
mod spread;

#[cfg(any(test, feature = "proptest"))]
pub mod strategies;

pub use actor::{Actor, Role};
pub use error::{ErrorKind, ModelError, ModelErrors, ModelPath, Step};
pub use issue::{format_real, is_identifier, Issue, IssueKind, IssueOption, Units, Value};
pub use negotiator::{NegotiatorKind, NegotiatorSpec, ParamDomain, ParamSpec, ParamValue, SpecError};
pub use outcome::{Cardinality, Outcome, OutcomeIter, OutcomeSpace, PartialOutcome};
pub use preferences::{
    AdditiveTables, Discount, LinearAdditive, Loss, Position, Preferences, Reservation, Spatial, TableUtility, Utility, UtilityFunction,
    ValueFunction,
};
pub use red_line::{Condition, RedLine, RedLines};
pub use scenario::{
    Input, MediatorRule, Metadata, Opening, Patch, ProtocolDefaults, ProtocolName, SalienceConvention, Scenario, ScenarioDraft, Source,
    Variant,
};
pub use semantics::Semantics;
pub use spread::Spread;
