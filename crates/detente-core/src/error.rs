//! The core's error type. Messages name the offending id and say what was expected; the formats
//! crate adds file, line and column.

use thiserror::Error;

/// A violated invariant of the domain model, or a request the model cannot serve.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// An id that is empty or contains characters the outcome syntax reserves.
    #[error("{what} id `{id}` is not valid: expected a non-empty name without `=`, `,` or line breaks, and no surrounding spaces")]
    BadId {
        /// What kind of thing.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// Two things share an id.
    #[error("duplicate {what} id `{id}` in {within}")]
    Duplicate {
        /// What kind of thing.
        what: &'static str,
        /// The id.
        id: String,
        /// Where.
        within: String,
    },
    /// A variant was asked for, but the scenario defines none.
    #[error("unknown variant `{id}`: the scenario defines no variants")]
    NoVariants {
        /// The id asked for.
        id: String,
    },
    /// An id that names nothing.
    #[error("unknown {what} `{id}`; expected one of: {known}")]
    UnknownId {
        /// What kind of thing.
        what: &'static str,
        /// The id.
        id: String,
        /// The ids that exist.
        known: String,
    },
    /// An issue's definition is inconsistent.
    #[error("issue `{issue}` {reason}")]
    InvalidIssue {
        /// The issue id.
        issue: String,
        /// What is wrong.
        reason: String,
    },
    /// An actor's definition is inconsistent.
    #[error("actor `{actor}`: {reason}")]
    InvalidActor {
        /// The actor id.
        actor: String,
        /// What is wrong.
        reason: String,
    },
    /// A value that the issue does not admit.
    #[error("value `{value}` is not valid for issue `{issue}`: expected {expected}")]
    BadValue {
        /// The issue id.
        issue: String,
        /// The value as written.
        value: String,
        /// What the issue admits.
        expected: String,
    },
    /// `issue=value` syntax error in an outcome.
    #[error("`{part}` is not of the form issue=value")]
    BadOutcomeSyntax {
        /// The offending part.
        part: String,
    },
    /// A partial outcome where a complete one is needed.
    #[error("the outcome is partial: no value for {}; every issue needs a value", missing.join(", "))]
    PartialOutcome {
        /// The issues without a value.
        missing: Vec<String>,
    },
    /// An operation needs to enumerate a space that is too large or continuous.
    #[error("the outcome space has {cardinality} outcomes, too many to {operation} (limit {limit})")]
    SpaceTooLarge {
        /// The operation.
        operation: String,
        /// The space's cardinality, formatted.
        cardinality: String,
        /// The limit.
        limit: u64,
    },
    /// The scenario as a whole is inconsistent.
    #[error("scenario: {0}")]
    InvalidScenario(String),
    /// An error inside a variant.
    #[error("variant `{variant}`: {source}")]
    InVariant {
        /// The variant id.
        variant: String,
        /// The error.
        #[source]
        source: Box<ModelError>,
    },
}
