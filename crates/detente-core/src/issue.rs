//! Issues: what is negotiated, and the values each issue can take.
//!
//! Every issue is finite once discretised: categorical and ordinal issues list options, integer
//! issues step from `min` to `max`, real intervals carry an explicit number of grid points when
//! they must be enumerated. A value of an issue is addressed by its *value index*
//! (`0..issue.cardinality()`), which is what outcomes store.

use crate::error::{ErrorKind, ModelError, ModelErrors, Sink, Step};

/// One named option of a categorical or ordinal issue.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueOption {
    /// Stable identifier, unique within the issue (`current_line`).
    pub id: String,
    /// Human label; defaults to the id.
    pub label: Option<String>,
    /// Where the option sits on the issue's 0–100 spatial scale (ordinal issues only).
    pub scale: Option<f64>,
}

impl IssueOption {
    /// An option with only an id.
    pub fn new(id: impl Into<String>) -> Self {
        IssueOption { id: id.into(), label: None, scale: None }
    }

    /// An option placed on the 0–100 scale.
    pub fn at(id: impl Into<String>, scale: f64) -> Self {
        IssueOption { id: id.into(), label: None, scale: Some(scale) }
    }

    /// The label, or the id when there is none.
    pub fn display(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

/// The kind of an issue and its value set.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// Unordered named options.
    Categorical {
        /// The options, in file order.
        options: Vec<IssueOption>,
    },
    /// Ordered named options, each with a position on the 0–100 scale.
    Ordinal {
        /// The options, in order; every option has `scale = Some(..)`.
        options: Vec<IssueOption>,
    },
    /// Integers `min, min+step, …, ≤ max`.
    Integer {
        /// Smallest value.
        min: i64,
        /// Largest value (included when reachable by `step`).
        max: i64,
        /// Step, ≥ 1.
        step: i64,
        /// Scale position of `min` and of `max` on 0–100 (a linear map; e.g. `(100, 0)` reverses).
        scale: (f64, f64),
    },
    /// The real interval `[min, max]`.
    Real {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
        /// Number of evenly spaced grid points used when the space is enumerated (≥ 2); `None`
        /// means the issue is continuous and the outcome space cannot be enumerated.
        grid: Option<u32>,
        /// Scale position of `min` and of `max` on 0–100.
        scale: (f64, f64),
    },
}

/// A negotiated issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Stable identifier, unique within the scenario (`territory`).
    pub id: String,
    /// Human name; defaults to the id.
    pub name: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Value set.
    pub kind: IssueKind,
}

/// A single value of an issue, as a user names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A named option (categorical/ordinal), by index into the option list.
    Option(u32),
    /// An integer value.
    Int(i64),
    /// A real value.
    Real(f64),
}

impl Issue {
    /// Builds a categorical issue.
    pub fn categorical(id: impl Into<String>, options: &[&str]) -> Self {
        Issue {
            id: id.into(),
            name: None,
            description: None,
            kind: IssueKind::Categorical { options: options.iter().map(|o| IssueOption::new(*o)).collect() },
        }
    }

    /// Builds an ordinal issue from `(id, scale)` pairs.
    pub fn ordinal(id: impl Into<String>, options: &[(&str, f64)]) -> Self {
        Issue {
            id: id.into(),
            name: None,
            description: None,
            kind: IssueKind::Ordinal { options: options.iter().map(|(o, s)| IssueOption::at(*o, *s)).collect() },
        }
    }

    /// Builds an integer issue with the default scale (min → 0, max → 100).
    pub fn integer(id: impl Into<String>, min: i64, max: i64, step: i64) -> Self {
        Issue { id: id.into(), name: None, description: None, kind: IssueKind::Integer { min, max, step, scale: (0.0, 100.0) } }
    }

    /// Builds a real issue with the default scale.
    pub fn real(id: impl Into<String>, min: f64, max: f64, grid: Option<u32>) -> Self {
        Issue { id: id.into(), name: None, description: None, kind: IssueKind::Real { min, max, grid, scale: (0.0, 100.0) } }
    }

    /// The display name (name, or id).
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The kind's name in files and output: `categorical`, `ordinal`, `integer` or `real`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            IssueKind::Categorical { .. } => "categorical",
            IssueKind::Ordinal { .. } => "ordinal",
            IssueKind::Integer { .. } => "integer",
            IssueKind::Real { .. } => "real",
        }
    }

    /// The named options, for categorical and ordinal issues.
    pub fn options(&self) -> Option<&[IssueOption]> {
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => Some(options),
            _ => None,
        }
    }

    /// Index of the option with this id.
    pub fn option_index(&self, id: &str) -> Option<u32> {
        self.options()?.iter().position(|o| o.id == id).map(|i| i as u32)
    }

    /// Number of values, or `None` for a continuous real issue without a grid.
    pub fn cardinality(&self) -> Option<u64> {
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => Some(options.len() as u64),
            IssueKind::Integer { min, max, step, .. } => {
                if max < min || *step < 1 {
                    Some(0)
                } else {
                    Some(((*max as i128 - *min as i128) / *step as i128) as u64 + 1)
                }
            }
            IssueKind::Real { grid, .. } => grid.map(u64::from),
        }
    }

    /// The value at a value index (`index < cardinality`).
    pub fn value_at(&self, index: u32) -> Option<Value> {
        let n = self.cardinality()?;
        if u64::from(index) >= n {
            return None;
        }
        Some(match &self.kind {
            IssueKind::Categorical { .. } | IssueKind::Ordinal { .. } => Value::Option(index),
            IssueKind::Integer { min, step, .. } => Value::Int(min + step * i64::from(index)),
            IssueKind::Real { min, max, grid, .. } => {
                let g = grid.expect("invariant: cardinality is Some only with a grid");
                if g <= 1 {
                    Value::Real(*min)
                } else if index + 1 == g {
                    // The last grid point is `max` exactly (as numpy's `linspace` makes it):
                    // `min + (max − min)` can round past `max`, which `admits` then rejects.
                    Value::Real(*max)
                } else {
                    Value::Real(min + (max - min) * f64::from(index) / f64::from(g - 1))
                }
            }
        })
    }

    /// The value index of a value, if the value is one of the issue's enumerated values.
    pub fn index_of(&self, value: &Value) -> Option<u32> {
        let n = self.cardinality()?;
        match (&self.kind, value) {
            (IssueKind::Categorical { .. } | IssueKind::Ordinal { .. }, Value::Option(i)) => (u64::from(*i) < n).then_some(*i),
            (IssueKind::Integer { min, max, step, .. }, Value::Int(v)) => {
                (v >= min && v <= max && (v - min) % step == 0).then(|| ((v - min) / step) as u32)
            }
            (IssueKind::Real { .. }, Value::Real(x)) => {
                (0..n as u32).find(|&i| matches!(self.value_at(i), Some(Value::Real(y)) if (y - x).abs() <= 1e-9 * (1.0 + x.abs())))
            }
            _ => None,
        }
    }

    /// Whether `value` is admissible on this issue (continuous reals accept any value in range).
    pub fn admits(&self, value: &Value) -> bool {
        match (&self.kind, value) {
            (IssueKind::Real { min, max, .. }, Value::Real(x)) => x.is_finite() && *x >= *min && *x <= *max,
            _ => self.index_of(value).is_some(),
        }
    }

    /// Position of a value on the issue's 0–100 scale; `None` for categorical issues (and for
    /// options without a scale).
    pub fn scale_of(&self, value: &Value) -> Option<f64> {
        match (&self.kind, value) {
            (IssueKind::Ordinal { options }, Value::Option(i)) => options.get(*i as usize)?.scale,
            (IssueKind::Integer { min, max, scale, .. }, Value::Int(v)) => Some(lerp(*min as f64, *max as f64, *scale, *v as f64)),
            (IssueKind::Real { min, max, scale, .. }, Value::Real(x)) => Some(lerp(*min, *max, *scale, *x)),
            _ => None,
        }
    }

    /// Whether the issue has a spatial scale (ordinal, integer, real).
    pub fn is_spatial(&self) -> bool {
        !matches!(self.kind, IssueKind::Categorical { .. })
    }

    /// The value closest to a scale position (ties: lowest index). For forecasts on ordinal issues.
    pub fn nearest_to_scale(&self, position: f64) -> Option<u32> {
        let n = self.cardinality()? as u32;
        let mut best: Option<(u32, f64)> = None;
        for i in 0..n {
            let s = self.scale_of(&self.value_at(i)?)?;
            let d = (s - position).abs();
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Formats a value for people (`current_line`, `75`, `12.5`).
    pub fn format_value(&self, value: &Value) -> String {
        match value {
            Value::Option(i) => self.options().and_then(|o| o.get(*i as usize)).map_or_else(|| format!("#{i}"), |o| o.id.clone()),
            Value::Int(v) => v.to_string(),
            Value::Real(x) => format_real(*x),
        }
    }

    /// Parses a user-written value (`current_line`, `75`, `12.5`) into an admissible value.
    pub fn parse_value(&self, text: &str) -> Result<Value, ModelError> {
        let text = text.trim();
        let bad = |expected: String| ModelError::new(ErrorKind::BadValue { issue: self.id.clone(), value: text.to_string(), expected });
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => options
                .iter()
                .position(|o| o.id == text)
                .map(|i| Value::Option(i as u32))
                .ok_or_else(|| bad(format!("one of {}", options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ")))),
            IssueKind::Integer { min, max, step, .. } => {
                let expected = if *step == 1 {
                    format!("an integer in {min}..={max}")
                } else {
                    format!("an integer in {min}..={max} in steps of {step} from {min}")
                };
                let v: i64 = text.parse().map_err(|_| bad(expected.clone()))?;
                let v = Value::Int(v);
                if self.admits(&v) {
                    Ok(v)
                } else {
                    Err(bad(expected))
                }
            }
            IssueKind::Real { min, max, .. } => {
                let expected = format!("a number in [{}, {}]", format_real(*min), format_real(*max));
                let x: f64 = text.parse().map_err(|_| bad(expected.clone()))?;
                let v = Value::Real(x);
                if self.admits(&v) {
                    Ok(v)
                } else {
                    Err(bad(expected))
                }
            }
        }
    }

    /// Checks the issue's own invariants; every error, each with its path inside the issue.
    pub fn validate(&self) -> Result<(), ModelErrors> {
        let mut sink = Sink::default();
        self.check(&mut sink);
        sink.finish()
    }

    /// Checks the issue's own invariants into `sink` (paths relative to the issue).
    pub(crate) fn check(&self, sink: &mut Sink) {
        let invalid = |field: &'static str, reason: String| ModelError::invalid(reason).at(Step::Field(field));
        if !is_identifier(&self.id) {
            sink.push(ModelError::new(ErrorKind::BadId { what: "issue", id: self.id.clone() }).at(Step::Field("id")));
        }
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
                if options.is_empty() {
                    sink.push(
                        ModelError::new(ErrorKind::Empty { what: "the list of options", expected: "at least one option" })
                            .at(Step::Field("options")),
                    );
                }
                let ordinal = matches!(self.kind, IssueKind::Ordinal { .. });
                for (i, o) in options.iter().enumerate() {
                    let at = |e: ModelError| e.at(Step::Field("options")).at(Step::Index(i));
                    // Option ids are free text (GENIUS domains have commas and trailing spaces in
                    // theirs); only an empty one is refused.
                    if o.id.is_empty() {
                        sink.push(at(ModelError::invalid(format!("option {} has an empty id", i + 1))));
                    } else if options[..i].iter().any(|p| p.id == o.id) {
                        sink.push(at(ModelError::new(ErrorKind::Duplicate {
                            what: "option",
                            id: o.id.clone(),
                            within: format!("issue `{}`", self.id),
                        })));
                    }
                    match o.scale {
                        Some(s) if !(0.0..=100.0).contains(&s) => sink.push(at(ModelError::new(ErrorKind::OutOfRange {
                            what: format!("scale position of option `{}`", o.id),
                            value: format_real(s),
                            expected: "a number in [0, 100]".into(),
                        }))),
                        None if ordinal => sink.push(at(ModelError::invalid(format!(
                            "ordinal option `{}` has no scale position; expected `scale` on 0–100",
                            o.id
                        )))),
                        _ => {}
                    }
                }
            }
            IssueKind::Integer { min, max, step, scale } => {
                if step < &1 {
                    sink.push(invalid("step", format!("step is {step}, expected an integer ≥ 1")));
                }
                if max < min {
                    sink.push(invalid("max", format!("max {max} is below min {min}")));
                }
                check_scale(sink, *scale);
            }
            IssueKind::Real { min, max, grid, scale } => {
                if !(min.is_finite() && max.is_finite()) || max < min {
                    sink.push(invalid("max", format!("interval [{min}, {max}] is not a finite interval with min ≤ max")));
                }
                if let Some(g) = grid {
                    if *g < 2 {
                        sink.push(invalid("grid", format!("grid is {g}, expected at least 2 points")));
                    }
                }
                check_scale(sink, *scale);
            }
        }
    }
}

fn check_scale(sink: &mut Sink, (a, b): (f64, f64)) {
    if !((0.0..=100.0).contains(&a) && (0.0..=100.0).contains(&b)) {
        sink.push(ModelError::invalid(format!("scale [{a}, {b}] must lie in [0, 100]")).at(Step::Field("scale")));
    }
}

fn lerp(lo: f64, hi: f64, (s0, s1): (f64, f64), x: f64) -> f64 {
    if hi == lo {
        return s0;
    }
    s0 + (s1 - s0) * (x - lo) / (hi - lo)
}

/// Formats a real without trailing noise (`12.5`, `3`, `0.333333`).
pub fn format_real(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Identifiers: non-empty, ASCII letters, digits, `_`, `-`, `.`; GENIUS names with spaces are
/// allowed too (anything printable without `=` or `,`, which the outcome syntax uses).
pub fn is_identifier(id: &str) -> bool {
    !id.trim().is_empty() && id.trim() == id && !id.contains(['=', ',', '\n', '\r'])
}
