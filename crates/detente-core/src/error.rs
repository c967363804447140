//! The core's error types. An error is a *kind* (what is wrong, with what was expected) at a
//! *path* in the model (`actor russia › preferences › reservation`); the formats crate turns a
//! path into file, line and column, so the rules live here once and no reader re-checks them.

use std::fmt;
use thiserror::Error;

/// One step of a [`ModelPath`]: an element named by its id, a field, or a position in a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// The issue with this id (in the outcome space).
    Issue(String),
    /// The actor with this id.
    Actor(String),
    /// The variant with this id.
    Variant(String),
    /// The `n`-th patch of a variant (0-based).
    Patch(usize),
    /// The `n`-th element of a list (an option, a red line, a source, an opening; 0-based).
    Index(usize),
    /// A field of the element (`capability`, `preferences`, `reservation`, `protocol`, …).
    Field(&'static str),
    /// The entry for this issue inside an element (a position, a weight, a red-line term).
    Key(String),
}

/// Where in the model an error is: a list of [`Step`]s from the scenario down. Empty for the
/// scenario as a whole (or a request that has no place, such as parsing an outcome).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ModelPath(pub Vec<Step>);

impl ModelPath {
    /// The steps, outermost first.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }
}

impl fmt::Display for ModelPath {
    /// The element the error is about, for people: `actor `russia``, `variant `x` › patch 2 ›
    /// actor `y``. Fields are left to the message, which names them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            let part = match s {
                Step::Issue(id) => format!("issue `{id}`"),
                Step::Actor(id) => format!("actor `{id}`"),
                Step::Variant(id) => format!("variant `{id}`"),
                Step::Patch(n) => format!("patch {}", n + 1),
                Step::Index(_) | Step::Field(_) | Step::Key(_) => continue,
            };
            if !first {
                f.write_str(": ")?;
            }
            f.write_str(&part)?;
            first = false;
        }
        Ok(())
    }
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ErrorKind {
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
    /// A number outside the range its field admits.
    #[error("{what} {value} is out of range: expected {expected}")]
    OutOfRange {
        /// The field, in words (`capability`, `salience on issue `nato``).
        what: String,
        /// The value as written.
        value: String,
        /// What the field admits.
        expected: String,
    },
    /// A list that must not be empty.
    #[error("{what} is empty; expected {expected}")]
    Empty {
        /// The list, in words.
        what: &'static str,
        /// What it should hold.
        expected: &'static str,
    },
    /// Any other inconsistency, said in words (what was found and what was expected).
    #[error("{0}")]
    Invalid(String),
}

/// A violated invariant of the domain model, or a request the model cannot serve: a
/// [`kind`](ErrorKind) at a [`path`](ModelPath).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelError {
    /// Where.
    pub path: ModelPath,
    /// What.
    pub kind: ErrorKind,
}

impl ModelError {
    /// An error of this kind about the scenario as a whole (or with no place).
    pub fn new(kind: ErrorKind) -> Self {
        ModelError { path: ModelPath::default(), kind }
    }

    /// An [`ErrorKind::Invalid`] error, said in words.
    pub fn invalid(reason: impl Into<String>) -> Self {
        ModelError::new(ErrorKind::Invalid(reason.into()))
    }

    /// The same error one level further out: `step` is put in front of the path.
    pub fn within(mut self, step: Step) -> Self {
        self.path.0.insert(0, step);
        self
    }

    /// The same error further in: `step` is put at the end of the path.
    pub fn at(mut self, step: Step) -> Self {
        self.path.0.push(step);
        self
    }
}

impl From<ErrorKind> for ModelError {
    fn from(kind: ErrorKind) -> Self {
        ModelError::new(kind)
    }
}

impl fmt::Display for ModelError {
    /// `place: message`, where the place names the element (`variant `x`: patch 2: actor `y``).
    /// An error about an element's own id names the element once, in the message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut steps = self.path.0.as_slice();
        if let ErrorKind::BadId { .. } | ErrorKind::Duplicate { .. } = self.kind {
            if let [rest @ .., Step::Issue(_) | Step::Actor(_) | Step::Variant(_), Step::Field("id")] = steps {
                steps = rest;
            }
        }
        let place = ModelPath(steps.to_vec()).to_string();
        match &self.kind {
            // The place already says where the duplicate is.
            ErrorKind::Duplicate { what, id, .. } if !place.is_empty() => write!(f, "{place}: duplicate {what} id `{id}`"),
            kind if place.is_empty() => write!(f, "{kind}"),
            kind => write!(f, "{place}: {kind}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Every error found in one model, in model order (issues, actors, protocol, openings,
/// variants). Never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelErrors(Vec<ModelError>);

impl ModelErrors {
    /// The errors of a non-empty list; `None` when there are none.
    pub fn from_vec(errors: Vec<ModelError>) -> Option<Self> {
        (!errors.is_empty()).then_some(ModelErrors(errors))
    }

    /// The errors, in model order.
    pub fn iter(&self) -> std::slice::Iter<'_, ModelError> {
        self.0.iter()
    }

    /// The first error.
    pub fn first(&self) -> &ModelError {
        &self.0[0]
    }

    /// How many errors there are (at least one).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every error, each one level further out (see [`ModelError::within`]).
    pub fn within(self, step: Step) -> Self {
        ModelErrors(self.0.into_iter().map(|e| e.within(step.clone())).collect())
    }
}

impl From<ModelError> for ModelErrors {
    fn from(e: ModelError) -> Self {
        ModelErrors(vec![e])
    }
}

impl IntoIterator for ModelErrors {
    type Item = ModelError;
    type IntoIter = std::vec::IntoIter<ModelError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ModelErrors {
    type Item = &'a ModelError;
    type IntoIter = std::slice::Iter<'a, ModelError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for ModelErrors {
    /// One error per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ModelErrors {}

/// Collects errors while a check goes on (internal: the public APIs return
/// [`ModelErrors`]).
#[derive(Debug, Default)]
pub(crate) struct Sink(pub(crate) Vec<ModelError>);

impl Sink {
    pub(crate) fn push(&mut self, e: ModelError) {
        self.0.push(e);
    }

    /// Runs `check` collecting into a fresh sink and adds what it found, each with `step` in
    /// front. Returns whether it found nothing.
    pub(crate) fn within(&mut self, step: Step, check: impl FnOnce(&mut Sink)) -> bool {
        let mut inner = Sink::default();
        check(&mut inner);
        let ok = inner.0.is_empty();
        self.0.extend(inner.0.into_iter().map(|e| e.within(step.clone())));
        ok
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn finish(self) -> Result<(), ModelErrors> {
        ModelErrors::from_vec(self.0).map_or(Ok(()), Err)
    }
}
