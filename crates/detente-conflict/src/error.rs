//! Typed errors: a [`ConflictError`] is an [`ErrorKind`] at a path into the spec
//! (`options[2].dm`, `preferences[1].ranking[0][3]`), in the manner of the core's `ModelError`.

use std::fmt;

/// What is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Fewer than two decision makers.
    #[error("{0} decision maker(s); a conflict needs at least two")]
    TooFewDms(usize),
    /// An empty id.
    #[error("the {0} id is empty")]
    EmptyId(&'static str),
    /// Two elements share an id.
    #[error("duplicate {what} id `{id}` (first at index {first})")]
    Duplicate {
        /// What kind of element.
        what: &'static str,
        /// The id.
        id: String,
        /// Index of the first one.
        first: usize,
    },
    /// A DM index out of range.
    #[error("decision maker index {0} does not exist")]
    NoSuchDm(usize),
    /// An option index out of range (0-based; statements show it 1-based).
    #[error("option {} does not exist", .0 + 1)]
    NoSuchOption(usize),
    /// A state reference that names no state.
    #[error("state `{0}` does not exist")]
    NoSuchState(String),
    /// An arc that is a loop or names a state that does not exist (1-based numbers).
    #[error("move {from} -> {to} is not a move between two different existing states")]
    BadMove {
        /// From state (1-based).
        from: usize,
        /// To state (1-based).
        to: usize,
    },
    /// A Y/N/- pattern of the wrong length.
    #[error("pattern has {found} positions; expected {expected} (one per option)")]
    PatternLength {
        /// Its length.
        found: usize,
        /// The number of options.
        expected: usize,
    },
    /// A state appears twice in a ranking or utility table (1-based number).
    #[error("state {0} is ranked twice")]
    Repeated(usize),
    /// States missing from a ranking or utility table (1-based numbers).
    #[error("states {} are not ranked; a ranking must place every state", list(.0))]
    Unranked(Vec<usize>),
    /// Something exceeds a size limit.
    #[error("{count} {what} exceed the limit of {limit}")]
    TooLarge {
        /// What.
        what: &'static str,
        /// How many (at least).
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A statement or pattern that does not parse.
    #[error("cannot parse `{text}`: {reason}")]
    Parse {
        /// The text.
        text: String,
        /// Why, in words.
        reason: String,
    },
    /// A request the analysis cannot serve (a coalition that is not a partition, ...).
    #[error("{0}")]
    Analysis(String),
    /// Any other inconsistency, said in words.
    #[error("{0}")]
    Invalid(String),
}

fn list(v: &[usize]) -> String {
    let mut s: Vec<String> = v.iter().take(12).map(|x| x.to_string()).collect();
    if v.len() > 12 {
        s.push(format!("... ({} in all)", v.len()));
    }
    s.join(", ")
}

/// An error at a place in the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictError {
    /// Where (`options[2].dm`); empty for the conflict as a whole.
    pub path: String,
    /// What.
    pub kind: ErrorKind,
}

impl ConflictError {
    /// An error of this kind at this path.
    pub fn new(path: impl Into<String>, kind: ErrorKind) -> Self {
        ConflictError { path: path.into(), kind }
    }

    /// The same error one level further out: `outer` is put in front of the path.
    pub fn within(mut self, outer: impl Into<String>) -> Self {
        let outer = outer.into();
        self.path = if self.path.is_empty() {
            outer
        } else if self.path.starts_with('[') {
            format!("{outer}{}", self.path)
        } else {
            format!("{outer}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for ConflictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

impl std::error::Error for ConflictError {}
