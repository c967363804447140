//! Issues: what is negotiated, and the values each issue can take.
//!
//! Every issue is finite once discretised: categorical and ordinal issues list options, integer
//! issues step from `min` to `max`, real intervals carry an explicit number of grid points when
//! they must be enumerated. A value of an issue is addressed by its *value index*
//! (`0..issue.cardinality()`), which is what outcomes store.

use crate::error::{ErrorKind, ModelError, ModelErrors, Sink, Step};
use crate::select::argmin;

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

/// Where a number falls on a real issue's grid.
enum GridHit {
    /// On the grid point with this index.
    On(u32),
    /// Off the grid, between the nearest grid values below and above (`None` past an end).
    Between(Option<f64>, Option<f64>),
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

    /// Index of the option with this id (a linear scan: for many lookups build
    /// [`Issue::option_lookup`] once).
    pub fn option_index(&self, id: &str) -> Option<u32> {
        self.options()?.iter().position(|o| o.id == id).and_then(|i| u32::try_from(i).ok())
    }

    /// Option id → index, for readers that look up many options (a table of utilities per
    /// option): O(1) per lookup where [`Issue::option_index`] is O(options). The first of
    /// duplicate ids wins, as with `option_index`. Empty for issues without named options.
    pub fn option_lookup(&self) -> std::collections::HashMap<&str, u32> {
        let mut map = std::collections::HashMap::new();
        for (i, o) in self.options().unwrap_or(&[]).iter().enumerate() {
            if let Ok(i) = u32::try_from(i) {
                map.entry(o.id.as_str()).or_insert(i);
            }
        }
        map
    }

    /// The exact number of values, or `None` for a continuous real issue without a grid. Never
    /// overflows: the integer range `i64::MIN..=i64::MAX` has 2^64 values, which `u128` holds.
    pub fn value_count(&self) -> Option<u128> {
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => Some(options.len() as u128),
            IssueKind::Integer { min, max, step, .. } => {
                if max < min || *step < 1 {
                    Some(0)
                } else {
                    // ≤ 2^64 − 1 before the + 1: no overflow in i128.
                    Some(((i128::from(*max) - i128::from(*min)) / i128::from(*step) + 1) as u128)
                }
            }
            IssueKind::Real { grid, .. } => grid.map(u128::from),
        }
    }

    /// Number of values, or `None` for a continuous real issue without a grid. Saturates at
    /// `u64::MAX` rather than wrapping (only an integer issue over the whole `i64` range has
    /// more); [`Issue::validate`] refuses any issue with more than [`Issue::MAX_VALUES`] values,
    /// so on a valid issue this is exact. [`Issue::value_count`] is exact always.
    pub fn cardinality(&self) -> Option<u64> {
        self.value_count().map(|n| u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// The most values one issue may have: value indices are `u32` everywhere (outcomes,
    /// utility tables, the lenses' odometers), so a valid issue has at most `u32::MAX` values
    /// (indices `0..u32::MAX`).
    pub const MAX_VALUES: u64 = crate::limits::MAX_ISSUE_VALUES;

    /// The value at a value index (`index < cardinality`).
    pub fn value_at(&self, index: u32) -> Option<Value> {
        let n = self.cardinality()?;
        if u64::from(index) >= n {
            return None;
        }
        Some(match &self.kind {
            IssueKind::Categorical { .. } | IssueKind::Ordinal { .. } => Value::Option(index),
            // In i128: `step · index` can pass i64::MAX on a wide range; the sum is ≤ max.
            IssueKind::Integer { min, step, .. } => Value::Int((i128::from(*min) + i128::from(*step) * i128::from(index)) as i64),
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
                // In i128: `v − min` overflows i64 on a wide range. An index beyond u32 is no index
                // (such an issue fails `validate`), never a wrapped one.
                let d = i128::from(*v) - i128::from(*min);
                (v >= min && v <= max && d % i128::from(*step) == 0).then(|| u32::try_from(d / i128::from(*step)).ok()).flatten()
            }
            (IssueKind::Real { .. }, Value::Real(x)) => match self.grid_search(*x)? {
                GridHit::On(i) => Some(i),
                GridHit::Between(..) => None,
            },
            _ => None,
        }
    }

    /// Where `x` falls on a real issue's grid: on a grid point (within `1e-9·(1 + |x|)`, the
    /// closest, ties to the lowest index), or between the nearest points below and above.
    /// `None` for a continuous issue, another kind, an empty grid or a non-finite `x`.
    fn grid_search(&self, x: f64) -> Option<GridHit> {
        let IssueKind::Real { min, max, grid: Some(g), .. } = self.kind else { return None };
        if g == 0 || !x.is_finite() {
            return None;
        }
        let at = |i: u32| match self.value_at(i) {
            Some(Value::Real(y)) => y,
            _ => min,
        };
        // The grid points are evenly spaced: the nearest is within one step of the rounded
        // fractional position, so three candidates decide (no scan over the grid).
        let last = g - 1;
        let t = if g > 1 && max > min { (x - min) / (max - min) * f64::from(last) } else { 0.0 };
        let k = t.round().clamp(0.0, f64::from(last)) as u32;
        let tol = 1e-9 * (1.0 + x.abs());
        let near = [k.saturating_sub(1), k, k.saturating_add(1).min(last)].map(|i| (i, (at(i) - x).abs()));
        if let Some((i, _)) = argmin(near.into_iter().filter(|&(_, d)| d <= tol)) {
            return Some(GridHit::On(i));
        }
        // Off the grid: the nearest points below and above (the points ascend with the index).
        let f = t.floor().clamp(0.0, f64::from(last)) as u32;
        let around: Vec<u32> = (f.saturating_sub(2)..=f.saturating_add(2).min(last)).collect();
        let below = around.iter().rev().copied().find(|&i| at(i) < x).map(at);
        let above = around.iter().copied().find(|&i| at(i) > x).map(at);
        Some(GridHit::Between(below, above))
    }

    /// Whether `value` is a value of this issue: an option of a categorical or ordinal issue,
    /// a step of an integer range, a point of a real issue's grid (within `1e-9·(1 + |x|)`), or
    /// any finite number in `[min, max]` of a continuous real issue. The one rule that parsing
    /// (`--outcome`, [`Issue::parse_value`]), the readers and validation (reservation outcomes,
    /// red lines, openings) apply.
    pub fn admits(&self, value: &Value) -> bool {
        match (&self.kind, value) {
            (IssueKind::Real { min, max, grid: None, .. }, Value::Real(x)) => x.is_finite() && *x >= *min && *x <= *max,
            _ => self.index_of(value).is_some(),
        }
    }

    /// What the issue admits, in words, for an error about `value` (which it does not admit):
    /// `one of a, b`, `an integer in 0..=10`, `a number in [0, 1]`, or for a real issue with a
    /// grid, its grid and the grid values nearest to `value`.
    pub fn expected(&self, value: Option<&Value>) -> String {
        match &self.kind {
            IssueKind::Categorical { options } | IssueKind::Ordinal { options } => {
                format!("one of {}", options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", "))
            }
            IssueKind::Integer { min, max, step, .. } => {
                if *step == 1 {
                    format!("an integer in {min}..={max}")
                } else {
                    format!("an integer in {min}..={max} in steps of {step} from {min}")
                }
            }
            IssueKind::Real { min, max, grid: None, .. } => format!("a number in [{}, {}]", format_real(*min), format_real(*max)),
            IssueKind::Real { min, max, grid: Some(g), .. } => {
                let mut s =
                    format!("a point of the issue's grid of {g} evenly spaced values from {} to {}", format_real(*min), format_real(*max));
                let near = match value {
                    Some(Value::Real(x)) => self.grid_search(*x),
                    _ => None,
                };
                match near {
                    Some(GridHit::Between(Some(a), Some(b))) => {
                        s += &format!(" (the nearest are {} and {})", format_real(a), format_real(b))
                    }
                    Some(GridHit::Between(Some(a), None) | GridHit::Between(None, Some(a))) => {
                        s += &format!(" (the nearest is {})", format_real(a))
                    }
                    _ => {}
                }
                s
            }
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

    /// The range an actor's position (ideal point) on this issue lies in, in the units positions
    /// are written in: the issue's own units for integer and real issues (`min..=max`), the 0–100
    /// scale for ordinal issues (positions may fall between options), option indices for
    /// categorical issues. The one rule every reader, patch and sampler checks positions by.
    pub fn position_range(&self) -> (f64, f64) {
        match &self.kind {
            IssueKind::Categorical { options } => (0.0, options.len().saturating_sub(1) as f64),
            IssueKind::Ordinal { .. } => (0.0, 100.0),
            IssueKind::Integer { min, max, .. } => (*min as f64, *max as f64),
            IssueKind::Real { min, max, .. } => (*min, *max),
        }
    }

    /// The map from a position in the issue's units ([`Issue::position_range`]) to the 0–100
    /// scale every spatial model computes on: the issue's linear `scale` for integer and real
    /// issues, the identity for ordinal issues; `None` for categorical issues (no scale).
    pub fn units(&self) -> Option<Units> {
        match &self.kind {
            IssueKind::Categorical { .. } => None,
            IssueKind::Ordinal { .. } => Some(Units::IDENTITY),
            IssueKind::Integer { min, max, scale, .. } => Some(Units::between(*min as f64, *max as f64, *scale)),
            IssueKind::Real { min, max, scale, .. } => Some(Units::between(*min, *max, *scale)),
        }
    }

    /// Whether the issue has a spatial scale (ordinal, integer, real).
    pub fn is_spatial(&self) -> bool {
        !matches!(self.kind, IssueKind::Categorical { .. })
    }

    /// The value closest to a scale position (ties: lowest index; none for a NaN position). For
    /// forecasts on ordinal issues.
    pub fn nearest_to_scale(&self, position: f64) -> Option<u32> {
        let n = u32::try_from(self.cardinality()?).ok()?;
        let scale: Vec<f64> = (0..n).map(|i| self.scale_of(&self.value_at(i)?)).collect::<Option<_>>()?;
        argmin((0..n).zip(scale).map(|(i, s)| (i, (s - position).abs()))).map(|(i, _)| i)
    }

    /// Formats a value for people (`current_line`, `75`, `12.5`).
    pub fn format_value(&self, value: &Value) -> String {
        match value {
            Value::Option(i) => self.options().and_then(|o| o.get(*i as usize)).map_or_else(|| format!("#{i}"), |o| o.id.clone()),
            Value::Int(v) => v.to_string(),
            Value::Real(x) => format_real(*x),
        }
    }

    /// Parses a user-written value (`current_line`, `75`, `12.5`) into a value the issue
    /// [admits](Issue::admits); a number on a real issue's grid becomes that grid point. The
    /// error says what the issue admits (for a grid, the nearest grid values).
    pub fn parse_value(&self, text: &str) -> Result<Value, ModelError> {
        let text = text.trim();
        let bad = |near: Option<&Value>| {
            ModelError::new(ErrorKind::BadValue { issue: self.id.clone(), value: text.to_string(), expected: self.expected(near) })
        };
        let v = match &self.kind {
            IssueKind::Categorical { .. } | IssueKind::Ordinal { .. } => Value::Option(self.option_index(text).ok_or_else(|| bad(None))?),
            IssueKind::Integer { .. } => Value::Int(text.parse().map_err(|_| bad(None))?),
            IssueKind::Real { .. } => Value::Real(text.parse().map_err(|_| bad(None))?),
        };
        if !self.admits(&v) {
            return Err(bad(Some(&v)));
        }
        Ok(match (&self.kind, &v) {
            (IssueKind::Real { grid: Some(_), .. }, Value::Real(_)) => self.index_of(&v).and_then(|i| self.value_at(i)).unwrap_or(v),
            _ => v,
        })
    }

    /// Checks the issue's own invariants; every error, each with its path (the issue, then
    /// the field).
    pub fn validate(&self) -> Result<(), ModelErrors> {
        let mut sink = Sink::default();
        sink.within(Step::Issue(self.id.clone()), |s| self.check(s));
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
                // Hashed: an issue may have hundreds of thousands of options.
                let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::with_capacity(options.len());
                for (i, o) in options.iter().enumerate() {
                    let at = |e: ModelError| e.at(Step::Field("options")).at(Step::Index(i));
                    // Option ids are free text (GENIUS domains have commas and trailing spaces in
                    // theirs); only an empty one is refused.
                    if o.id.is_empty() {
                        sink.push(at(ModelError::invalid(format!("option {} has an empty id", i + 1))));
                    } else if !seen.insert(o.id.as_str()) {
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
        // Value indices are u32: a count beyond that would wrap an index (value 2^32 + 3 read as
        // value 3). Real grids are u32 already.
        if let Some(n) = self.value_count().filter(|&n| n > u128::from(Issue::MAX_VALUES)) {
            let max_values = Issue::MAX_VALUES;
            let (field, reason) = match &self.kind {
                IssueKind::Integer { min, max, step, .. } => (
                    "max",
                    format!(
                        "{n} values (integers {min}..={max} in steps of {step}) are too many: expected at most {max_values} (value \
                         indices are 32-bit); narrow the range or take a larger step"
                    ),
                ),
                _ => ("options", format!("{n} values are too many: expected at most {max_values} (value indices are 32-bit)")),
            };
            sink.push(invalid(field, reason));
        }
    }
}

fn check_scale(sink: &mut Sink, (a, b): (f64, f64)) {
    if !((0.0..=100.0).contains(&a) && (0.0..=100.0).contains(&b)) {
        sink.push(ModelError::invalid(format!("scale [{a}, {b}] must lie in [0, 100]")).at(Step::Field("scale")));
    }
}

/// A linear map between an issue's own units and its 0–100 scale ([`Issue::units`]): positions
/// are written, stored and reported in units; the spatial models compute on the scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Units {
    /// `(lo, hi, (s0, s1))`: `lo` sits at `s0`, `hi` at `s1`; `None` for the identity.
    linear: Option<(f64, f64, (f64, f64))>,
}

impl Units {
    /// Units that are the scale itself (ordinal issues).
    pub const IDENTITY: Units = Units { linear: None };

    /// The map sending `lo` to `scale.0` and `hi` to `scale.1`.
    pub fn between(lo: f64, hi: f64, scale: (f64, f64)) -> Units {
        Units { linear: Some((lo, hi, scale)) }
    }

    /// Whether units and scale are the same numbers (so outputs need no second column).
    pub fn is_identity(&self) -> bool {
        self.linear.is_none_or(|(lo, hi, (s0, s1))| lo == s0 && hi == s1)
    }

    /// A position in units on the 0–100 scale, by the same arithmetic as [`Issue::scale_of`], so
    /// an ideal point on a value of the issue lands exactly on that value's scale position.
    pub fn to_scale(&self, x: f64) -> f64 {
        match self.linear {
            None => x,
            Some((lo, hi, scale)) => lerp(lo, hi, scale, x),
        }
    }

    /// A scale position in units (the inverse of [`Units::to_scale`]; an issue with a single
    /// value maps every scale position to it).
    pub fn from_scale(&self, s: f64) -> f64 {
        match self.linear {
            None => s,
            Some((lo, _, (s0, s1))) if s1 == s0 => lo,
            Some((lo, hi, (s0, s1))) => lo + (hi - lo) * (s - s0) / (s1 - s0),
        }
    }

    /// Decimals that show a position in units to about a hundredth of the issue's range (a
    /// point of its 0–100 scale): 0 for the scale itself and ranges of 100 or more, 2 for a
    /// range of 5, and so on.
    pub fn decimals(&self) -> usize {
        match self.linear {
            None => 0,
            Some((lo, hi, _)) => {
                let step = (hi - lo).abs() / 100.0;
                if step.is_finite() && step > 0.0 && step < 1.0 {
                    ((-step.log10()).ceil() as usize).min(9)
                } else {
                    0
                }
            }
        }
    }

    /// A position in units, for people, with [`Units::decimals`] decimals.
    pub fn format(&self, x: f64) -> String {
        format!("{x:.*}", self.decimals())
    }

    /// A forecast in units, for tables: one decimal more than [`Units::format`] (a tenth of a
    /// point of the scale: `{:.1}` on the scale itself, `{:.3}` on an issue from 10 to 15).
    pub fn format_forecast(&self, x: f64) -> String {
        format!("{x:.*}", self.decimals() + 1)
    }

    /// The map the other way, from the scale into units (ranges and spreads stated on the scale).
    pub fn inverse(&self) -> Units {
        match self.linear {
            None => Units::IDENTITY,
            Some((lo, hi, (s0, s1))) => Units::between(s0, s1, (lo, hi)),
        }
    }

    /// Scale points per unit (negative for a reversed scale; 0 for a single-valued issue).
    pub fn slope(&self) -> f64 {
        match self.linear {
            None => 1.0,
            Some((lo, hi, _)) if hi == lo => 0.0,
            Some((lo, hi, (s0, s1))) => (s1 - s0) / (hi - lo),
        }
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
