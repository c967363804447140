//! The forecast lens's error type: every message names the actor and issue at fault and says what
//! was expected.

use thiserror::Error;

/// Why a forecast could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ForecastError {
    /// An issue on which no actor takes a position (or the input has no actors at all).
    #[error("issue `{issue}` has no actors with a position on it; expected at least one")]
    NoActors {
        /// The issue id.
        issue: String,
    },
    /// A position that is not a finite number, or lies outside the issue's scale.
    #[error("actor `{actor}`: position {position} on issue `{issue}` is out of range, expected a number in [{lo}, {hi}]")]
    PositionOutOfRange {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
        /// The offending position.
        position: f64,
        /// Lower end of the scale.
        lo: f64,
        /// Upper end of the scale.
        hi: f64,
    },
    /// A salience outside [0, 1].
    #[error("actor `{actor}`: salience {salience} on issue `{issue}` is out of range, expected a number in [0, 1]")]
    SalienceOutOfRange {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
        /// The offending salience.
        salience: f64,
    },
    /// A negative or non-finite capability.
    #[error("actor `{actor}`: capability {capability} is out of range, expected a finite number ≥ 0")]
    BadCapability {
        /// The actor.
        actor: String,
        /// The offending capability.
        capability: f64,
    },
    /// Every actor on the issue has zero capability × salience, so no actor exercises power.
    #[error(
        "issue `{issue}`: every actor has capability × salience 0, so nobody exercises power; expected at least one actor with both > 0"
    )]
    NoPower {
        /// The issue id.
        issue: String,
    },
    /// The scenario has no issue any actor takes a spatial position on.
    #[error(
        "the scenario has no issue on which any party or mediator takes a spatial position; spatial forecasts need `Spatial` preferences"
    )]
    NoSpatialIssues,
    /// An unknown id (issue, actor, model, preset).
    #[error("unknown {what} `{id}`; expected one of: {known}")]
    Unknown {
        /// What kind of thing.
        what: &'static str,
        /// The id given.
        id: String,
        /// What exists.
        known: String,
    },
    /// A model parameter out of range.
    #[error("parameter `{name}` = {value} is out of range, expected {expected}")]
    BadParameter {
        /// Parameter name.
        name: &'static str,
        /// The value as given.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// An uncertainty specification that cannot be sampled.
    #[error("uncertainty for actor `{actor}` on {what}: {reason}")]
    BadSpread {
        /// The actor.
        actor: String,
        /// Which input (`position on territory`, `capability`, ...).
        what: String,
        /// What is wrong.
        reason: String,
    },
}
