//! Why a batch cannot run.

use detente_agents::SimulateError;
use detente_core::limits::{MAX_REPETITIONS, MAX_ROUNDS};
use detente_core::SpecError;
use detente_protocol::PrepareError;

/// Why a batch (or a scenario for one) is refused, before any negotiation runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The scenario cannot be negotiated (too many outcomes, no parties…).
    #[error("cannot negotiate on {scenario}: {source}")]
    Prepare {
        /// Scenario id.
        scenario: String,
        /// Why.
        #[source]
        source: Box<PrepareError>,
    },
    /// A negotiator spec does not parse.
    #[error("negotiator {index} (`{text}`): {source}")]
    Negotiator {
        /// 0-based position in the list.
        index: usize,
        /// The text given.
        text: String,
        /// Why.
        #[source]
        source: Box<SpecError>,
    },
    /// No negotiators.
    #[error("a tournament needs at least one negotiator")]
    NoNegotiators,
    /// No scenarios.
    #[error("a tournament needs at least one scenario")]
    NoScenarios,
    /// A deadline outside 1..=[`MAX_ROUNDS`].
    #[error("rounds: expected 1 to {MAX_ROUNDS} rounds, got {0}")]
    Rounds(u32),
    /// A scenario's own deadline beyond [`MAX_ROUNDS`] with no `rounds` to override it.
    #[error("{scenario}: its deadline of {rounds} rounds is more than the {MAX_ROUNDS} a negotiation may last; give `rounds`")]
    ScenarioRounds {
        /// Scenario id.
        scenario: String,
        /// Its deadline.
        rounds: u32,
    },
    /// Repetitions outside 1..=[`MAX_REPETITIONS`].
    #[error("repetitions: expected 1 to {MAX_REPETITIONS}, got {0}")]
    Repetitions(u32),
    /// A time limit that is not a positive number of seconds.
    #[error("time limit: expected a positive number of seconds, got {0}")]
    TimeLimit(f64),
    /// A chunk of no negotiations.
    #[error("chunk: expected at least 1 negotiation per chunk")]
    Chunk,
    /// Fewer than one party takes part in a scenario under the protocol.
    #[error("{scenario}: no party takes part in {protocol}")]
    NoParties {
        /// Scenario id.
        scenario: String,
        /// Protocol name.
        protocol: &'static str,
    },
    /// Rotating who opens on a mediated protocol (the mediator speaks first).
    #[error("{scenario}: who opens rotates at the joint table only, and the protocol here is {protocol}")]
    Rotate {
        /// Scenario id.
        scenario: String,
        /// Protocol name.
        protocol: &'static str,
    },
    /// The protocol refuses a setting on this scenario.
    #[error("{scenario}: {source}")]
    Simulate {
        /// Scenario id.
        scenario: String,
        /// Why.
        #[source]
        source: Box<SimulateError>,
    },
    /// A negotiator of the caller's own named like another, or like a built-in spec.
    #[error("a negotiator of your own is named `{0}`, as another negotiator is (or a built-in spec reads): give it a name of its own")]
    OwnName(String),
    /// A wall-clock limit with negotiators of the caller's own.
    #[error("a time limit applies to built-in negotiators only: a tournament with negotiators of your own runs to its deadline in rounds")]
    OwnTimeLimit,
    /// More negotiations than a `u64` counts.
    #[error("the tournament has more than 2^64 negotiations")]
    TooMany,
}
