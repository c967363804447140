//! Reference negotiators for `detente-protocol`, each with its published algorithm and
//! defaults, documented with its source.
//!
//! - [`TimeBased`]: NegMAS `BoulwareTB`/`LinearTB`/`ConcederTB` and `AspirationNegotiator`
//!   (exact: all 96 NegMAS reference negotiations reproduced).
//! - [`TimeDependent`]: GENIUS/Faratin time-dependent agents (Boulware e = 0.2, Linear,
//!   Conceder e = 2, Hardliner e = 0) with `AC_next`.
//! - [`NaiveTitForTat`] (NegMAS; exact on the pinned NegMAS runs), [`NiceTitForTat`] and
//!   [`HardHeaded`] (ANAC 2011) over the HardHeaded [`FrequencyModel`], [`Micro`] (NegMAS; exact
//!   up to its first random repeat), [`RandomNegotiator`] (NegMAS's probabilities, our
//!   generator).
//!
//! Ties: one rule, [`kth_best`]'s (NegMAS's stable order: walking down from the best meets the
//! highest index among equals first, searching up from a level the lowest). NegMAS-native
//! negotiators are checked run by run against NegMAS 0.16 in `tests/negmas_pins.rs`.
//! - [`Boa`]: bidding × [`Acceptance`] (`AC_next`, `AC_const`, `AC_time`, `AC_combi`,
//!   `AC_combi_MAX_W`) × [`OpponentModel`] composition.
//! - [`ReferenceDependent`]: our own test of "early concessions invite larger demands";
//!   [`WithOpening`] imposes a scenario's opening concessions on any negotiator.
//!
//! Every negotiator honours its own red lines: it offers from its acceptable outcomes only (the
//! sorted order of [`detente_protocol::PartyUtility`] holds nothing else), accepts through
//! [`detente_protocol::View::acceptable_offer`] and never votes for a text across them.
//!
//! [`simulate`] runs one negotiation of a scenario under any protocol (joint table, single
//! text, shuttle), with each party's default strategy and opening concessions applied.
//!
//! Negotiators are built by name with [`build`] (`boulware`, `linear`, `conceder`,
//! `aspiration`, `timebased(exponent=2,eps=0.001)`, …; see [`NAMES`]), or infallibly from a
//! validated [`detente_core::NegotiatorSpec`] with [`build_spec`].
#![deny(missing_docs)]

mod boa;
mod hardheaded;
mod opponent;
mod reads;
mod refdep;
mod registry;
mod simple;
mod simulate;
mod time_based;
mod util;

pub use boa::{best_for_opponent_near, Acceptance, Boa};
pub use hardheaded::{HardHeaded, NiceTitForTat};
pub use opponent::{FrequencyModel, OpponentModel};
pub use refdep::{OpeningError, Reference, ReferenceDependent, WithOpening};
pub use registry::{build, build_spec, AgentError, NAMES};
pub use simple::{Micro, NaiveTitForTat, RandomNegotiator};
pub use simulate::{
    actor_negotiator, check_applicable, default_mediator_rule, left_out, participants, scenario_protocol, simulate, simulate_with_clock,
    simulate_with_moves, simulate_with_own, Asked, FirstText, OwnSeat, Protocol, Replayed, Scope, Setting, SimulateError, Simulation,
    SimulationSpec, Unread, Waiting, DEFAULT_KNOWLEDGE, DEFAULT_ROUNDS, NEGMAS_VOTER,
};
pub use time_based::{nearest_acceptable, nearest_utility, negmas_nearest_above, TimeBased, TimeDependent, NEGMAS_INVERTER_EPS};
pub use util::{kth_best, normalized, worst_at_least};
