//! Reference negotiators for `detente-protocol`, each with its published algorithm and
//! defaults, documented with its source.
//!
//! - [`TimeBased`]: NegMAS `BoulwareTB`/`LinearTB`/`ConcederTB` and `AspirationNegotiator`
//!   (exact: all 96 NegMAS reference negotiations reproduced).
//!
//! Negotiators are built by name with [`build`] (`boulware`, `linear`, `conceder`,
//! `aspiration`, `timebased(exponent=2,eps=0.001)`, …; see [`NAMES`]).
#![deny(missing_docs)]

mod registry;
mod time_based;

pub use registry::{build, parse_spec, AgentError, Spec, NAMES};
pub use time_based::{nearest_utility, negmas_nearest_above, TimeBased, TimeDependent, NEGMAS_INVERTER_EPS};
