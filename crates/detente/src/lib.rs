//! detente as one library: every lens under one name, and batches of negotiations.
//!
//! - The lenses, re-exported as modules: [`core`] (the model), [`formats`] (reading scenario
//!   files), [`analysis`], [`protocol`], [`agents`] (negotiators and one simulated
//!   negotiation), [`forecast`], [`conflict`], [`study`] and [`tournament`].
//! - [`Prepared`]: a scenario made ready for negotiation that owns the scenario, so the two
//!   cannot be paired wrongly; it measures results against the scenario's analysis, computed
//!   once.
//! - [`Tournament`]: negotiators × scenarios × seatings × repetitions on all cores (rayon),
//!   each negotiation seeded from the tournament seed and its coordinates
//!   ([`negotiation_seed`]), results streamed in a fixed order as [`Row`]s (`Serialize`).
//! - [`prelude`]: the few names a batch needs.
//!
//! ```no_run
//! use detente::prelude::*;
//!
//! let scenario = Prepared::new(load_path("../shared/data/genius/Laptop".as_ref())?)?;
//! let negotiators = parse_negotiators(["boulware", "conceder", "micro"])?;
//! let tournament = Tournament { repetitions: 10, ..Tournament::new(negotiators, vec![scenario]) };
//! tournament.run(|row| println!("{}", row.status))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use detente_agents as agents;
pub use detente_analysis as analysis;
pub use detente_conflict as conflict;
pub use detente_core as core;
pub use detente_forecast as forecast;
pub use detente_formats as formats;
pub use detente_protocol as protocol;
pub use detente_study as study;

pub use detente_tournament as tournament;

pub use detente_tournament::{
    negotiation_seed, parse_negotiators, splitmix64, BatchError, Coordinates, Plan, Prepared, Row, Tournament, DEFAULT_CHUNK,
};

/// The names a batch needs: `use detente::prelude::*;`.
pub mod prelude {
    pub use crate::{negotiation_seed, parse_negotiators, BatchError, Plan, Prepared, Row, Tournament};
    pub use detente_agents::{Protocol, Simulation, SimulationSpec};
    pub use detente_core::{NegotiatorSpec, Scenario};
    pub use detente_formats::load_path;
}
