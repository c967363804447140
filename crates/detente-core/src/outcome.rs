//! Outcome spaces: the cartesian product of the issues, indexed in mixed radix with the **first
//! issue slowest** (the order GENIUS and NegMAS enumerate in), so outcome indices agree with
//! NegMAS's `enumerate_or_sample()` and the reference vectors.

use crate::error::{ErrorKind, ModelError};
use crate::issue::{Issue, Value};
use std::fmt;

/// A complete outcome: one value per issue, in issue order.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome(pub Vec<Value>);

/// A partial outcome: some issues may be unset.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialOutcome(pub Vec<Option<Value>>);

impl PartialOutcome {
    /// The ids of issues left unset.
    pub fn missing<'a>(&self, space: &'a OutcomeSpace) -> Vec<&'a str> {
        self.0.iter().zip(space.issues()).filter(|(v, _)| v.is_none()).map(|(_, i)| i.id.as_str()).collect()
    }

    /// Completes the outcome, or says which issues are missing.
    pub fn complete(self, space: &OutcomeSpace) -> Result<Outcome, ModelError> {
        let missing = self.missing(space);
        if !missing.is_empty() {
            return Err(ModelError::new(ErrorKind::PartialOutcome { missing: missing.iter().map(|s| s.to_string()).collect() }));
        }
        Ok(Outcome(self.0.into_iter().map(|v| v.expect("invariant: checked above")).collect()))
    }
}

/// How many outcomes a space has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cardinality {
    /// A finite count that fits in `u128`.
    Finite(u128),
    /// Finite but beyond `u128`; `log10` of the count.
    Huge {
        /// Decimal logarithm of the count.
        log10: f64,
    },
    /// At least one continuous issue without a grid.
    Infinite,
}

impl Cardinality {
    /// The count when it fits in a `u64`.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Cardinality::Finite(n) => u64::try_from(n).ok(),
            _ => None,
        }
    }
}

impl fmt::Display for Cardinality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cardinality::Finite(n) => write!(f, "{n}"),
            Cardinality::Huge { log10 } => write!(f, "about 10^{log10:.1}"),
            Cardinality::Infinite => write!(f, "infinite (continuous issue without a grid)"),
        }
    }
}

/// The cartesian product of a list of issues.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeSpace {
    issues: Vec<Issue>,
}

impl OutcomeSpace {
    /// The values of `o` (one per issue, in issue order) that their issue does not admit, each
    /// with its issue id and the error; `admits` is the one rule (options, integer steps, a real
    /// issue's grid within tolerance). The caller checks the length and places the errors.
    pub(crate) fn bad_values<'a>(&'a self, o: &'a Outcome) -> impl Iterator<Item = (&'a str, ModelError)> + 'a {
        o.0.iter().zip(&self.issues).filter(|(v, issue)| !issue.admits(v)).map(|(v, issue)| {
            let e = ModelError::new(ErrorKind::BadValue {
                issue: issue.id.clone(),
                value: issue.format_value(v),
                expected: issue.expected(Some(v)),
            });
            (issue.id.as_str(), e)
        })
    }

    /// A space over these issues (validated by [`crate::ScenarioDraft::validate`], not here).
    pub fn new(issues: Vec<Issue>) -> Self {
        OutcomeSpace { issues }
    }

    /// The issues, in order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Mutable access for scenario building and variants (validated afterwards).
    pub(crate) fn issues_mut(&mut self) -> &mut Vec<Issue> {
        &mut self.issues
    }

    /// Index of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }

    /// The number of outcomes, never overflowing.
    pub fn cardinality(&self) -> Cardinality {
        let mut n: u128 = 1;
        let mut log10 = 0.0f64;
        let mut overflow = false;
        for issue in &self.issues {
            // The exact count (an integer issue over all of i64 has 2^64 values, past u64).
            let Some(k) = issue.value_count() else { return Cardinality::Infinite };
            if k == 0 {
                return Cardinality::Finite(0);
            }
            log10 += (k as f64).log10();
            if !overflow {
                match n.checked_mul(k) {
                    Some(m) => n = m,
                    None => overflow = true,
                }
            }
        }
        if overflow {
            Cardinality::Huge { log10 }
        } else {
            Cardinality::Finite(n)
        }
    }

    /// The number of outcomes if the space can be enumerated with `u64` indices and has at most
    /// `limit` outcomes; otherwise an [`ErrorKind::SpaceTooLarge`] naming the operation.
    pub fn enumerable(&self, operation: &str, limit: u64) -> Result<u64, ModelError> {
        let card = self.cardinality();
        match card.as_u64() {
            Some(n) if n <= limit => Ok(n),
            _ => Err(ModelError::new(ErrorKind::SpaceTooLarge { operation: operation.to_string(), cardinality: card.to_string(), limit })),
        }
    }

    /// Per-issue radices (value counts), or `None` if some issue is continuous.
    pub fn radices(&self) -> Option<Vec<u64>> {
        self.issues.iter().map(Issue::cardinality).collect()
    }

    /// Value indices of an outcome (each value must be an enumerated value of its issue).
    pub fn value_indices(&self, outcome: &Outcome) -> Option<Vec<u32>> {
        if outcome.0.len() != self.issues.len() {
            return None;
        }
        self.issues.iter().zip(&outcome.0).map(|(i, v)| i.index_of(v)).collect()
    }

    /// The outcome index (mixed radix, first issue slowest).
    pub fn index_of(&self, outcome: &Outcome) -> Option<u64> {
        let idx = self.value_indices(outcome)?;
        let mut acc: u64 = 0;
        for (issue, v) in self.issues.iter().zip(idx) {
            acc = acc.checked_mul(issue.cardinality()?)?.checked_add(u64::from(v))?;
        }
        Some(acc)
    }

    /// Writes the value indices of outcome `index` into `out` (len = number of issues).
    /// Returns `false` when the index is out of range or the space is continuous.
    pub fn value_indices_at(&self, mut index: u64, out: &mut [u32]) -> bool {
        if out.len() != self.issues.len() {
            return false;
        }
        for (slot, issue) in out.iter_mut().zip(&self.issues).rev() {
            let Some(k) = issue.cardinality() else { return false };
            if k == 0 {
                return false;
            }
            // A digit beyond u32 is no value index (such an issue fails `Issue::validate`).
            let Ok(digit) = u32::try_from(index % k) else { return false };
            *slot = digit;
            index /= k;
        }
        index == 0
    }

    /// The outcome at an index.
    pub fn outcome_at(&self, index: u64) -> Option<Outcome> {
        let mut idx = vec![0u32; self.issues.len()];
        if !self.value_indices_at(index, &mut idx) {
            return None;
        }
        self.outcome_from_indices(&idx)
    }

    /// The outcome with these value indices.
    pub fn outcome_from_indices(&self, idx: &[u32]) -> Option<Outcome> {
        self.issues.iter().zip(idx).map(|(i, &v)| i.value_at(v)).collect::<Option<Vec<_>>>().map(Outcome)
    }

    /// Iterates over all outcomes in index order without materialising the space.
    /// Empty for a continuous space (and for an invalid one with an issue of more than
    /// [`Issue::MAX_VALUES`] values, whose value indices do not fit `u32`).
    pub fn iter(&self) -> OutcomeIter<'_> {
        let radices = self.radices();
        let done = match &radices {
            None => true,
            Some(r) => r.iter().any(|&k| k == 0 || k > Issue::MAX_VALUES),
        };
        OutcomeIter { space: self, radices: radices.unwrap_or_default(), current: vec![0; self.issues.len()], done }
    }

    /// Formats an outcome as `issue=value, ...`.
    pub fn format(&self, outcome: &Outcome) -> String {
        self.issues.iter().zip(&outcome.0).map(|(i, v)| format!("{}={}", i.id, i.format_value(v))).collect::<Vec<_>>().join(", ")
    }

    /// Parses `issue=value,issue=value` into a partial outcome. Unknown issues, repeated issues
    /// and inadmissible values are errors.
    pub fn parse_partial(&self, text: &str) -> Result<PartialOutcome, ModelError> {
        let mut values: Vec<Option<Value>> = vec![None; self.issues.len()];
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) =
                part.split_once('=').ok_or_else(|| ModelError::new(ErrorKind::BadOutcomeSyntax { part: part.to_string() }))?;
            let key = key.trim();
            let i = self
                .issue_index(key)
                .ok_or_else(|| ModelError::new(ErrorKind::UnknownId { what: "issue", id: key.to_string(), known: self.issue_ids() }))?;
            if values[i].is_some() {
                return Err(ModelError::new(ErrorKind::Duplicate { what: "issue", id: key.to_string(), within: "the outcome".into() }));
            }
            values[i] = Some(self.issues[i].parse_value(value)?);
        }
        Ok(PartialOutcome(values))
    }

    /// Parses a complete outcome (see [`OutcomeSpace::parse_partial`]).
    pub fn parse(&self, text: &str) -> Result<Outcome, ModelError> {
        self.parse_partial(text)?.complete(self)
    }

    pub(crate) fn issue_ids(&self) -> String {
        self.issues.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// Odometer iterator over an enumerable space (last issue fastest).
#[derive(Debug)]
pub struct OutcomeIter<'a> {
    space: &'a OutcomeSpace,
    radices: Vec<u64>,
    current: Vec<u32>,
    done: bool,
}

impl Iterator for OutcomeIter<'_> {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        if self.done {
            return None;
        }
        let out = self.space.outcome_from_indices(&self.current);
        // advance
        let mut k = self.current.len();
        loop {
            if k == 0 {
                self.done = true;
                break;
            }
            k -= 1;
            self.current[k] += 1;
            if u64::from(self.current[k]) < self.radices[k] {
                break;
            }
            self.current[k] = 0;
        }
        out
    }
}
