//! Red lines: outcomes an actor will never accept, whatever their utility.
//!
//! Additive utilities trade everything against everything: a party that scores NATO membership
//! at 0 may still "accept" it when the rest of the package is good enough. Real negotiators say
//! some things are not for sale. A [`RedLine`] is a conjunction of conditions on issues (`nato =
//! membership`; `nato = membership` *and* `security_guarantee = article5_with_us`; `deterrent_force
//! ≥ 100`): an outcome that meets every condition **crosses** it. An actor never proposes,
//! votes for or accepts an outcome that crosses one of its own red lines; analysis leaves such
//! outcomes out of the zone of agreement and the frontier of acceptable deals.
//!
//! [`RedLines`] compiles an actor's lines against an enumerable space into per-issue value-index
//! masks, so that lenses test millions of outcomes without looking at values.

use crate::error::{ErrorKind, ModelError, Sink, Step};
use crate::issue::{format_real, Issue, IssueKind, Value};
use crate::outcome::{Outcome, OutcomeSpace};

/// What one issue must be for a red line to be crossed.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The issue takes one of these values.
    OneOf(Vec<Value>),
    /// The issue's (numeric) value lies in this closed range; an open end is `None`.
    Range {
        /// Lowest value included.
        min: Option<f64>,
        /// Highest value included.
        max: Option<f64>,
    },
}

impl Condition {
    /// Whether `value` of `issue` meets the condition.
    pub fn matches(&self, issue: &Issue, value: &Value) -> bool {
        match self {
            Condition::OneOf(vs) => vs.iter().any(|v| same_value(issue, v, value)),
            Condition::Range { min, max } => {
                let x = match value {
                    Value::Int(v) => *v as f64,
                    Value::Real(x) => *x,
                    Value::Option(_) => return false,
                };
                min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
            }
        }
    }

    /// The condition in words, as a file would write it (`membership`, `≥ 100`, `25..=75`).
    pub fn describe(&self, issue: &Issue) -> String {
        match self {
            Condition::OneOf(vs) => vs.iter().map(|v| issue.format_value(v)).collect::<Vec<_>>().join(" or "),
            Condition::Range { min: Some(a), max: Some(b) } => format!("{}..={}", format_real(*a), format_real(*b)),
            Condition::Range { min: Some(a), max: None } => format!("≥ {}", format_real(*a)),
            Condition::Range { min: None, max: Some(b) } => format!("≤ {}", format_real(*b)),
            Condition::Range { min: None, max: None } => "any value".into(),
        }
    }
}

fn same_value(issue: &Issue, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Real(x), Value::Real(y)) => match (issue.index_of(a), issue.index_of(b)) {
            (Some(i), Some(j)) => i == j,
            _ => x == y,
        },
        _ => a == b,
    }
}

/// An outcome an actor will never accept: every condition met at once.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// `(issue id, condition)` pairs, in file order; at least one, each issue once.
    pub terms: Vec<(String, Condition)>,
    /// Where the red line comes from (a citation), or why.
    pub description: Option<String>,
}

impl RedLine {
    /// A red line on one issue taking one value.
    pub fn one(issue: impl Into<String>, value: Value) -> Self {
        RedLine { terms: vec![(issue.into(), Condition::OneOf(vec![value]))], description: None }
    }

    /// Whether `outcome` (complete, of `space`) crosses the red line. Terms on unknown issues
    /// never match (validation refuses them).
    pub fn crosses(&self, space: &OutcomeSpace, outcome: &Outcome) -> bool {
        self.terms.iter().all(|(id, c)| match space.issue_index(id) {
            Some(k) => outcome.0.get(k).is_some_and(|v| c.matches(&space.issues()[k], v)),
            None => false,
        })
    }

    /// The red line in words: `nato = membership and security_guarantee = article5_with_us`.
    pub fn describe(&self, space: &OutcomeSpace) -> String {
        self.terms
            .iter()
            .map(|(id, c)| match (space.issue_index(id), c) {
                (Some(k), Condition::OneOf(_)) => format!("{id} = {}", c.describe(&space.issues()[k])),
                (Some(k), Condition::Range { .. }) => format!("{id} {}", c.describe(&space.issues()[k])),
                (None, _) => format!("{id} (unknown issue)"),
            })
            .collect::<Vec<_>>()
            .join(" and ")
    }

    /// Checks the red line against the space; an error about one term has that issue's
    /// [`Step::Key`] as its path (the caller puts the actor and the line in front).
    pub fn check(&self, space: &OutcomeSpace) -> Result<(), ModelError> {
        if self.terms.is_empty() {
            return Err(ModelError::new(ErrorKind::Empty { what: "the red line", expected: "at least one `issue = value` condition" }));
        }
        for (t, (id, c)) in self.terms.iter().enumerate() {
            let Some(k) = space.issue_index(id) else {
                return Err(term_error(id, format!("red line names unknown issue `{id}`; expected one of: {}", space.issue_ids())));
            };
            if self.terms[..t].iter().any(|(j, _)| j == id) {
                return Err(term_error(id, format!("red line names issue `{id}` twice")));
            }
            let issue = &space.issues()[k];
            match c {
                Condition::OneOf(vs) => {
                    if vs.is_empty() {
                        return Err(term_error(id, format!("red line on `{id}` lists no value")));
                    }
                    if let Some(v) = vs.iter().find(|v| !issue.admits(v)) {
                        return Err(term_error(id, format!("red line value `{}` is not a value of issue `{id}`", issue.format_value(v))));
                    }
                }
                Condition::Range { min, max } => {
                    let (lo, hi) = match issue.kind {
                        IssueKind::Integer { min, max, .. } => (min as f64, max as f64),
                        IssueKind::Real { min, max, .. } => (min, max),
                        _ => {
                            return Err(term_error(
                                id,
                                format!("red line range on `{id}`: a range needs an integer or real issue; name options instead"),
                            ))
                        }
                    };
                    if min.is_none() && max.is_none() {
                        return Err(term_error(id, format!("red line range on `{id}` has neither `min` nor `max`")));
                    }
                    if min.is_some_and(|m| !m.is_finite()) || max.is_some_and(|m| !m.is_finite()) {
                        return Err(term_error(id, format!("red line range on `{id}` is not finite")));
                    }
                    if let (Some(a), Some(b)) = (min, max) {
                        if a > b {
                            return Err(term_error(
                                id,
                                format!("red line range on `{id}` is empty: min {} is above max {}", format_real(*a), format_real(*b)),
                            ));
                        }
                    }
                    let (a, b) = (min.unwrap_or(lo), max.unwrap_or(hi));
                    let matches_some = match issue.cardinality() {
                        Some(n) if n <= 1 << 20 => (0..n as u32).filter_map(|i| issue.value_at(i)).any(|v| c.matches(issue, &v)),
                        _ => a <= hi && b >= lo,
                    };
                    if !matches_some {
                        return Err(term_error(
                            id,
                            format!(
                                "red line range on `{id}` ({}) matches no value of the issue, so it could never be crossed",
                                c.describe(issue)
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// One actor's red lines compiled against an enumerable space: for each line, per constrained
/// issue, which value indices meet the condition.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RedLines {
    lines: Vec<Vec<(usize, Vec<bool>)>>,
}

impl RedLines {
    /// Compiles `lines` (validated) against `space`; `None` when an issue the lines name is not
    /// enumerable (a continuous real issue).
    pub fn compile(space: &OutcomeSpace, lines: &[RedLine]) -> Option<RedLines> {
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            let mut terms = Vec::with_capacity(line.terms.len());
            for (id, c) in &line.terms {
                let k = space.issue_index(id)?;
                let issue = &space.issues()[k];
                let n = issue.cardinality()?;
                let n = u32::try_from(n).ok()?;
                terms.push((k, (0..n).map(|i| issue.value_at(i).is_some_and(|v| c.matches(issue, &v))).collect()));
            }
            out.push(terms);
        }
        Some(RedLines { lines: out })
    }

    /// Whether there is no red line at all.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Number of red lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the outcome with these value indices crosses any line.
    #[inline]
    pub fn crossed(&self, idx: &[u32]) -> bool {
        self.lines.iter().any(|l| l.iter().all(|(k, m)| m[idx[*k] as usize]))
    }

    /// Whether the outcome with these value indices crosses line `i`.
    #[inline]
    pub fn crosses_line(&self, i: usize, idx: &[u32]) -> bool {
        self.lines[i].iter().all(|(k, m)| m[idx[*k] as usize])
    }
}

/// An error about the term of a red line on issue `id`.
fn term_error(id: &str, reason: String) -> ModelError {
    ModelError::invalid(reason).at(Step::Key(id.to_string()))
}

/// Checks an actor's red lines into `sink`, each error at `red_lines › n`.
pub(crate) fn check_all(lines: &[RedLine], space: &OutcomeSpace, sink: &mut Sink) {
    for (i, l) in lines.iter().enumerate() {
        if let Err(e) = l.check(space) {
            sink.push(e.within(Step::Index(i)).within(Step::Field("red_lines")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> OutcomeSpace {
        OutcomeSpace::new(vec![
            Issue::ordinal("nato", &[("membership", 0.0), ("deferred", 50.0), ("neutrality", 100.0)]),
            Issue::integer("force", 0, 150, 25),
        ])
    }

    #[test]
    fn a_conjunction_is_crossed_only_when_every_term_matches_and_compiles_to_the_same_answer() {
        let s = space();
        let line = RedLine {
            terms: vec![
                ("nato".into(), Condition::OneOf(vec![Value::Option(0)])),
                ("force".into(), Condition::Range { min: Some(100.0), max: None }),
            ],
            description: None,
        };
        line.check(&s).unwrap();
        assert_eq!(line.describe(&s), "nato = membership and force ≥ 100");
        let compiled = RedLines::compile(&s, std::slice::from_ref(&line)).unwrap();
        let mut idx = vec![0u32; 2];
        for (i, o) in s.iter().enumerate() {
            assert!(s.value_indices_at(i as u64, &mut idx));
            let want = matches!(o.0[0], Value::Option(0)) && matches!(o.0[1], Value::Int(v) if v >= 100);
            assert_eq!(line.crosses(&s, &o), want, "{}", s.format(&o));
            assert_eq!(compiled.crossed(&idx), want);
        }
    }

    #[test]
    fn invalid_red_lines_say_what_is_wrong() {
        let s = space();
        let bad = |terms: Vec<(&str, Condition)>| {
            RedLine { terms: terms.into_iter().map(|(a, b)| (a.to_string(), b)).collect(), description: None }
                .check(&s)
                .unwrap_err()
                .to_string()
        };
        assert!(bad(vec![]).contains("at least one"));
        assert!(bad(vec![("x", Condition::OneOf(vec![Value::Option(0)]))]).contains("unknown issue `x`"));
        assert!(bad(vec![("nato", Condition::Range { min: Some(1.0), max: None })]).contains("integer or real"));
        assert!(bad(vec![("force", Condition::Range { min: Some(160.0), max: None })]).contains("matches no value"));
        assert!(bad(vec![("force", Condition::Range { min: Some(90.0), max: Some(10.0) })]).contains("empty"));
        assert!(bad(vec![("force", Condition::OneOf(vec![Value::Int(10)]))]).contains("not a value"));
        assert!(bad(vec![("nato", Condition::OneOf(vec![Value::Option(0)])), ("nato", Condition::OneOf(vec![Value::Option(1)]))])
            .contains("twice"));
    }
}
