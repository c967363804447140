//! Preferences: utility functions over outcomes, discounting, and the value of walking away.
//!
//! The closed set a scenario file can describe is the enum [`Utility`]; anything else can
//! implement the open trait [`UtilityFunction`]. Every built-in utility is *additive over issues*
//! except [`TableUtility`]; [`UtilityFunction::additive_tables`] exposes that decomposition so
//! that analysis can evaluate millions of outcomes from per-issue lookup tables.

use crate::error::{ErrorKind, ModelError, ModelErrors, Sink, Step};
use crate::issue::{Issue, IssueKind, Value};
use crate::outcome::{Outcome, OutcomeSpace};
use crate::select::{argmax, argmin};
use crate::spread::Spread;

/// Anything that assigns a utility to a complete outcome.
pub trait UtilityFunction: Send + Sync {
    /// The utility of a complete outcome of `space`.
    fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64;

    /// The per-issue decomposition `u(ω) = clamp(bias + Σ_i table_i[ω_i])` over value indices,
    /// when the function is additive and the space enumerable.
    fn additive_tables(&self, _space: &OutcomeSpace) -> Option<AdditiveTables> {
        None
    }
}

/// `u(ω) = clamp(bias + Σ_i tables[i][ω_i], lo, hi)` over value indices.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditiveTables {
    /// Constant term.
    pub bias: f64,
    /// One table per issue, indexed by value index, weights already applied.
    pub tables: Vec<Vec<f64>>,
    /// Optional clamp of the total (GENIUS clamps at 1 from above only).
    pub clamp: Option<(f64, f64)>,
}

impl AdditiveTables {
    /// Evaluates at value indices.
    #[inline]
    pub fn eval(&self, idx: &[u32]) -> f64 {
        let mut u = self.bias;
        for (t, &v) in self.tables.iter().zip(idx) {
            u += t[v as usize];
        }
        match self.clamp {
            Some((lo, hi)) => u.clamp(lo, hi),
            None => u,
        }
    }

    /// An outcome whose total is not a finite number, if there is one: its value indices and
    /// its total *before* the clamp (a clamp at 1 would turn a sum that overflowed to `inf`
    /// into a plausible 1). Checks the bias and every entry, then the largest and the smallest
    /// total (the left fold of per-issue maxima, minima): IEEE addition is monotone in each
    /// argument, so when those two are finite every total is. The one rule by which the
    /// analysis and the negotiation refuse utilities that overflow. O(Σ table lengths).
    pub fn non_finite(&self) -> Option<(Vec<u32>, f64)> {
        if self.tables.iter().any(Vec::is_empty) {
            return None; // no outcomes
        }
        let total = |idx: &[u32]| self.tables.iter().zip(idx).fold(self.bias, |u, (t, &v)| u + t[v as usize]);
        let mut idx = vec![0u32; self.tables.len()];
        for (k, t) in self.tables.iter().enumerate() {
            if let Some((v, _)) = (0..=u32::MAX).zip(t).find(|(_, x)| !x.is_finite()) {
                idx[k] = v;
                return Some((idx.clone(), total(&idx)));
            }
        }
        if !self.bias.is_finite() {
            return Some((idx.clone(), total(&idx)));
        }
        // Every entry is finite now (no NaN): the extremes are well defined; ties to the lowest index.
        for highest in [true, false] {
            for (slot, t) in idx.iter_mut().zip(&self.tables) {
                let values = (0..=u32::MAX).zip(t.iter().copied());
                *slot = if highest { argmax(values) } else { argmin(values) }.map_or(0, |(i, _)| i);
            }
            let u = total(&idx);
            if !u.is_finite() {
                return Some((idx, u));
            }
        }
        None
    }
}

/// How one issue's value maps to a number (before weighting).
#[derive(Debug, Clone, PartialEq)]
pub enum ValueFunction {
    /// A table by value index (discrete options; or every grid value of a numeric issue).
    Table(Vec<f64>),
    /// `offset + slope·(x − origin)`, optionally clamped to [0, 1] (GENIUS integer and real
    /// `linear` evaluators; NegMAS affine functions).
    Affine {
        /// Slope.
        slope: f64,
        /// Value at `origin`.
        offset: f64,
        /// Where `offset` applies (GENIUS integer: the lower bound; GENIUS real: 0).
        origin: f64,
        /// Clamp the result to [0, 1] (GENIUS semantics).
        clamp01: bool,
    },
    /// Linear interpolation between `(low_value, low_utility)` and `(high_value, high_utility)`,
    /// zero outside the interval (GeniusWeb `NumberValueSetUtilities`).
    Interpolate {
        /// Lower end of the interval.
        low_value: f64,
        /// Utility there.
        low_utility: f64,
        /// Upper end.
        high_value: f64,
        /// Utility there.
        high_utility: f64,
    },
    /// GENIUS `triangular`: 0 outside `[lower, upper]`, rising to `height` at `top`.
    Triangular {
        /// Left foot.
        lower: f64,
        /// Right foot.
        upper: f64,
        /// Peak position.
        top: f64,
        /// Peak height (1 in GENIUS's `triangular`).
        height: f64,
    },
}

impl ValueFunction {
    /// Evaluates on a value of `issue`.
    pub fn eval(&self, issue: &Issue, value: &Value) -> f64 {
        match self {
            ValueFunction::Table(t) => issue.index_of(value).and_then(|i| t.get(i as usize).copied()).unwrap_or(0.0),
            _ => {
                let x = match value {
                    Value::Int(v) => *v as f64,
                    Value::Real(x) => *x,
                    Value::Option(i) => f64::from(*i),
                };
                self.eval_number(x)
            }
        }
    }

    /// Evaluates a numeric function at `x` (a table is read at index `x`).
    pub fn eval_number(&self, x: f64) -> f64 {
        match *self {
            ValueFunction::Table(ref t) => t.get(x as usize).copied().unwrap_or(0.0),
            ValueFunction::Affine { slope, offset, origin, clamp01 } => {
                let y = offset + slope * (x - origin);
                if clamp01 {
                    y.clamp(0.0, 1.0)
                } else {
                    y
                }
            }
            ValueFunction::Interpolate { low_value, low_utility, high_value, high_utility } => {
                if x < low_value || x > high_value {
                    0.0
                } else if high_value == low_value {
                    low_utility
                } else {
                    low_utility + (high_utility - low_utility) * (x - low_value) / (high_value - low_value)
                }
            }
            ValueFunction::Triangular { lower, upper, top, height } => {
                if x < lower || x > upper {
                    0.0
                } else if x < top {
                    if top == lower {
                        height
                    } else {
                        height * (x - lower) / (top - lower)
                    }
                } else if upper == top {
                    height
                } else {
                    height * (upper - x) / (upper - top)
                }
            }
        }
    }
}

/// Linear additive utility: `u(ω) = bias + Σ_i w_i · v_i(ω_i)`, optionally clamped.
///
/// GENIUS files load with the discrete evaluations already divided by their issue maximum and
/// `clamp = Some((f64::NEG_INFINITY, 1.0))`; NegMAS files load raw, unclamped.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearAdditive {
    /// Constant term.
    pub bias: f64,
    /// One weight per issue, in issue order (taken as written, not renormalised).
    pub weights: Vec<f64>,
    /// One value function per issue.
    pub values: Vec<ValueFunction>,
    /// Optional clamp of the total.
    pub clamp: Option<(f64, f64)>,
}

impl LinearAdditive {
    /// Checks dimensions and numbers against the space: every error, with its path.
    pub fn validate(&self, space: &OutcomeSpace) -> Result<(), ModelErrors> {
        let mut sink = Sink::default();
        self.check(space, &mut sink);
        sink.finish()
    }

    pub(crate) fn check(&self, space: &OutcomeSpace, sink: &mut Sink) {
        let n = space.issues().len();
        if self.weights.len() != n || self.values.len() != n {
            sink.push(ModelError::invalid(format!(
                "has {} weights and {} value functions for {n} issues",
                self.weights.len(),
                self.values.len()
            )));
            return;
        }
        if !self.bias.is_finite() {
            sink.push(out_of_range("bias", self.bias, "a finite number").at(Step::Field("bias")));
        }
        if let Some((lo, hi)) = self.clamp {
            if lo.is_nan() || hi.is_nan() || lo > hi {
                sink.push(ModelError::invalid(format!("clamp [{lo}, {hi}] is not an interval with min ≤ max")).at(Step::Field("clamp")));
            }
        }
        for ((w, f), issue) in self.weights.iter().zip(&self.values).zip(space.issues()) {
            if !w.is_finite() || *w < 0.0 {
                sink.push(
                    out_of_range(&format!("weight on issue `{}`", issue.id), *w, "a finite number ≥ 0")
                        .at(Step::Field("weights"))
                        .at(Step::Key(issue.id.clone())),
                );
            }
            let at = |e: ModelError| e.at(Step::Field("values")).at(Step::Key(issue.id.clone()));
            match f {
                ValueFunction::Table(t) => {
                    if issue.cardinality().is_none() {
                        sink.push(at(ModelError::invalid(format!(
                            "issue `{}` is continuous, so its value function cannot be a table; expected a function",
                            issue.id
                        ))));
                    }
                    if let Some(k) = issue.cardinality() {
                        if t.len() as u64 != k {
                            sink.push(at(ModelError::invalid(format!(
                                "value table for issue `{}` has {} entries, expected {k}, one per value",
                                issue.id,
                                t.len()
                            ))));
                        }
                    }
                    if let Some(x) = t.iter().find(|x| !x.is_finite()) {
                        sink.push(at(ModelError::invalid(format!(
                            "value table for issue `{}` holds {x}, expected finite numbers",
                            issue.id
                        ))));
                    }
                }
                ValueFunction::Affine { slope: a, offset: b, origin: c, .. }
                | ValueFunction::Interpolate { low_value: a, low_utility: b, high_value: c, .. }
                | ValueFunction::Triangular { lower: a, upper: b, top: c, .. } => {
                    let extra = match f {
                        ValueFunction::Interpolate { high_utility, .. } => *high_utility,
                        ValueFunction::Triangular { height, .. } => *height,
                        _ => 0.0,
                    };
                    if ![a, b, c, &extra].iter().all(|x| x.is_finite()) {
                        sink.push(at(ModelError::invalid(format!(
                            "value function for issue `{}` has a coefficient that is not a finite number",
                            issue.id
                        ))));
                    }
                }
            }
        }
    }
}

/// An [`ErrorKind::OutOfRange`] for a number.
fn out_of_range(what: &str, x: f64, expected: &str) -> ModelError {
    ModelError::new(ErrorKind::OutOfRange { what: what.to_string(), value: crate::format_real(x), expected: expected.to_string() })
}

impl UtilityFunction for LinearAdditive {
    fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64 {
        let mut u = self.bias;
        for (((w, f), issue), v) in self.weights.iter().zip(&self.values).zip(space.issues()).zip(&outcome.0) {
            u += w * f.eval(issue, v);
        }
        match self.clamp {
            Some((lo, hi)) => u.clamp(lo, hi),
            None => u,
        }
    }

    fn additive_tables(&self, space: &OutcomeSpace) -> Option<AdditiveTables> {
        let tables = space
            .issues()
            .iter()
            .zip(self.weights.iter().zip(&self.values))
            .map(|(issue, (w, f))| {
                let k = u32::try_from(issue.cardinality()?).ok()?;
                (0..k).map(|i| Some(w * f.eval(issue, &issue.value_at(i)?))).collect::<Option<Vec<f64>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(AdditiveTables { bias: self.bias, tables, clamp: self.clamp })
    }
}

/// How distance from the ideal point turns into loss on a spatial utility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loss {
    /// `|x − ideal| / 100`.
    #[default]
    Linear,
    /// `((x − ideal) / 100)²`.
    Quadratic,
}

/// Spatial preferences: an ideal point and a salience per issue.
///
/// `u(ω) = 1 − Σ_i s_i · loss(x_i(ω) − p_i) / Σ_i s_i`, with `x_i` and `p_i` on the issue's 0–100
/// scale (ideal points are stored in the issue's units and mapped by [`Issue::units`]), so
/// utilities lie in [0, 1], the ideal
/// outcome is worth 1, and an issue's salience is its share of what is at stake. A categorical
/// issue (no scale) contributes loss 0 when the outcome takes the `ideal_option`, 1 otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Spatial {
    /// Per issue: the actor's position (`None`: the actor takes no position).
    pub positions: Vec<Option<Position>>,
    /// Loss shape.
    pub loss: Loss,
}

/// An actor's stance on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Ideal point in the issue's units ([`Issue::position_range`]): a number from `min` to
    /// `max` on integer and real issues, on the 0–100 scale on ordinal issues, the preferred
    /// option's index on categorical issues.
    pub ideal: f64,
    /// Salience in [0, 1]: how much the issue matters to the actor.
    pub salience: f64,
    /// Uncertainty of the ideal point (in the same units; none on a categorical issue).
    pub ideal_spread: Option<Spread>,
    /// Uncertainty of the salience (within [0, 1]).
    pub salience_spread: Option<Spread>,
}

impl Position {
    /// A certain position: no spreads.
    pub fn new(ideal: f64, salience: f64) -> Self {
        Position { ideal, salience, ideal_spread: None, salience_spread: None }
    }
}

impl Spatial {
    fn total_salience(&self) -> f64 {
        self.positions.iter().flatten().map(|p| p.salience).sum()
    }

    fn issue_loss(&self, issue: &Issue, p: &Position, value: &Value) -> f64 {
        match issue.kind {
            IssueKind::Categorical { .. } => match value {
                Value::Option(i) if f64::from(*i) == p.ideal => 0.0,
                _ => 1.0,
            },
            _ => {
                let ideal = issue.units().map_or(p.ideal, |u| u.to_scale(p.ideal));
                let x = issue.scale_of(value).unwrap_or(ideal);
                let d = (x - ideal).abs() / 100.0;
                match self.loss {
                    Loss::Linear => d,
                    Loss::Quadratic => d * d,
                }
            }
        }
    }

    /// Checks dimensions and ranges against the space: every error, with its path.
    pub fn validate(&self, space: &OutcomeSpace) -> Result<(), ModelErrors> {
        let mut sink = Sink::default();
        self.check(space, &mut sink);
        sink.finish()
    }

    pub(crate) fn check(&self, space: &OutcomeSpace, sink: &mut Sink) {
        if self.positions.len() != space.issues().len() {
            sink.push(ModelError::invalid(format!("has {} positions for {} issues", self.positions.len(), space.issues().len())));
            return;
        }
        for (p, issue) in self.positions.iter().zip(space.issues()) {
            let Some(p) = p else { continue };
            let at = |e: ModelError| e.at(Step::Field("positions")).at(Step::Key(issue.id.clone()));
            if !(0.0..=1.0).contains(&p.salience) {
                sink.push(
                    at(out_of_range(&format!("salience on issue `{}`", issue.id), p.salience, "a number in [0, 1]"))
                        .at(Step::Field("salience")),
                );
            }
            match issue.kind {
                IssueKind::Categorical { .. } => {
                    if !(p.ideal.fract() == 0.0 && p.ideal >= 0.0 && (p.ideal as u64) < issue.cardinality().unwrap_or(0)) {
                        sink.push(
                            at(ModelError::invalid(format!(
                                "position {} on categorical issue `{}` is not one of its options",
                                crate::format_real(p.ideal),
                                issue.id
                            )))
                            .at(Step::Field("ideal")),
                        );
                    }
                }
                _ => {
                    let (lo, hi) = issue.position_range();
                    if !(lo..=hi).contains(&p.ideal) {
                        let expected = match issue.kind {
                            IssueKind::Ordinal { .. } => "a number on the issue's 0–100 scale".to_string(),
                            _ => format!("a number from {} to {}, in the issue's units", crate::format_real(lo), crate::format_real(hi)),
                        };
                        sink.push(
                            at(out_of_range(&format!("position on issue `{}`", issue.id), p.ideal, &expected)).at(Step::Field("ideal")),
                        );
                    }
                }
            }
            if let Some(sp) = &p.ideal_spread {
                if matches!(issue.kind, IssueKind::Categorical { .. }) {
                    sink.push(at(ModelError::invalid(format!(
                        "issue `{}` is categorical: it has no scale to vary a position on",
                        issue.id
                    ))));
                } else if let Err(e) = {
                    let (lo, hi) = issue.position_range();
                    sp.check("ideal", p.ideal, lo, hi)
                } {
                    sink.push(at(ModelError::invalid(format!("on issue `{}`: {}", issue.id, e.kind))));
                }
            }
            if let Some(sp) = &p.salience_spread {
                if let Err(e) = sp.check("salience", p.salience, 0.0, 1.0) {
                    sink.push(at(ModelError::invalid(format!("on issue `{}`: {}", issue.id, e.kind))));
                }
            }
        }
        if self.total_salience() <= 0.0 {
            sink.push(ModelError::invalid("has zero total salience: at least one issue must matter").at(Step::Field("positions")));
        }
    }
}

impl UtilityFunction for Spatial {
    fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64 {
        let total = self.total_salience();
        if total <= 0.0 {
            return 0.0;
        }
        // The same left fold as `additive_tables` (1 + Σ_i −s_i·loss_i/Σs), so that evaluating by
        // outcome and by per-issue tables agree bit for bit (frontier membership compares raw floats).
        let mut u = 1.0;
        for ((p, issue), v) in self.positions.iter().zip(space.issues()).zip(&outcome.0) {
            if let Some(p) = p {
                u += -p.salience * self.issue_loss(issue, p, v) / total;
            }
        }
        u
    }

    fn additive_tables(&self, space: &OutcomeSpace) -> Option<AdditiveTables> {
        let total = self.total_salience();
        if total <= 0.0 {
            return None;
        }
        let tables = space
            .issues()
            .iter()
            .zip(&self.positions)
            .map(|(issue, p)| {
                let k = u32::try_from(issue.cardinality()?).ok()?;
                (0..k)
                    .map(|i| {
                        let v = issue.value_at(i)?;
                        Some(p.as_ref().map_or(0.0, |p| -p.salience * self.issue_loss(issue, p, &v) / total))
                    })
                    .collect::<Option<Vec<f64>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(AdditiveTables { bias: 1.0, tables, clamp: None })
    }
}

/// An explicit table: outcome index → utility, with a default for outcomes not listed.
#[derive(Debug, Clone, PartialEq)]
pub struct TableUtility {
    /// `(outcome index, utility)`, sorted by index, no duplicates.
    pub entries: Vec<(u64, f64)>,
    /// Utility of outcomes not listed.
    pub default: f64,
}

impl TableUtility {
    /// Looks up an outcome index.
    pub fn get(&self, index: u64) -> f64 {
        match self.entries.binary_search_by_key(&index, |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(_) => self.default,
        }
    }
}

impl UtilityFunction for TableUtility {
    fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64 {
        space.index_of(outcome).map_or(self.default, |i| self.get(i))
    }
}

/// The closed set of utility functions a scenario file describes.
#[derive(Debug, Clone, PartialEq)]
pub enum Utility {
    /// Weights × per-issue value functions.
    LinearAdditive(LinearAdditive),
    /// Ideal point and salience on the 0–100 scale.
    Spatial(Spatial),
    /// Outcome → utility.
    Table(TableUtility),
}

impl UtilityFunction for Utility {
    fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64 {
        match self {
            Utility::LinearAdditive(u) => u.utility(space, outcome),
            Utility::Spatial(u) => u.utility(space, outcome),
            Utility::Table(u) => u.utility(space, outcome),
        }
    }

    fn additive_tables(&self, space: &OutcomeSpace) -> Option<AdditiveTables> {
        match self {
            Utility::LinearAdditive(u) => u.additive_tables(space),
            Utility::Spatial(u) => u.additive_tables(space),
            Utility::Table(_) => None,
        }
    }
}

/// Time discounting of utilities.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Discount {
    /// No discounting.
    #[default]
    None,
    /// GENIUS: `u · d^t` on normalised time `t ∈ [0, 1]`.
    Time {
        /// The factor `d ∈ (0, 1]`.
        factor: f64,
    },
    /// NegMAS `discount_per_round`: `u · d^round`.
    PerRound {
        /// The factor `d ∈ (0, 1]`.
        factor: f64,
    },
}

impl Discount {
    /// GENIUS's `validateDiscount`: a factor outside `(0, 1]` means no discount.
    pub fn genius(factor: f64) -> Self {
        if factor > 0.0 && factor < 1.0 {
            Discount::Time { factor }
        } else {
            Discount::None
        }
    }

    /// Applies the discount to a utility at normalised time `t` (clamped to [0, 1]) and round.
    pub fn apply(self, u: f64, t: f64, round: u64) -> f64 {
        match self {
            Discount::None => u,
            Discount::Time { factor } => u * factor.powf(t.clamp(0.0, 1.0)),
            Discount::PerRound { factor } => u * factor.powf(round as f64),
        }
    }
}

/// What an actor gets when there is no agreement.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Reservation {
    /// Nothing stated: walking away is worth 0 (GENIUS's default) — reported as "none".
    #[default]
    None,
    /// A utility value.
    Value(f64),
    /// An outcome whose utility is the walk-away value (GeniusWeb `reservationBid`).
    Outcome(Outcome),
}

/// An actor's preferences: a utility function, its discounting and its reservation.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// The utility function.
    pub utility: Utility,
    /// Discounting over time.
    pub discount: Discount,
    /// The value of walking away.
    pub reservation: Reservation,
}

impl Preferences {
    /// Preferences with no discount and no reservation.
    pub fn new(utility: Utility) -> Self {
        Preferences { utility, discount: Discount::None, reservation: Reservation::None }
    }

    /// The undiscounted utility of an outcome.
    pub fn utility(&self, space: &OutcomeSpace, outcome: &Outcome) -> f64 {
        self.utility.utility(space, outcome)
    }

    /// The reservation value (0 when none is stated; the utility of the reservation outcome).
    pub fn reservation_value(&self, space: &OutcomeSpace) -> f64 {
        match &self.reservation {
            Reservation::None => 0.0,
            Reservation::Value(v) => *v,
            Reservation::Outcome(o) => self.utility(space, o),
        }
    }

    /// Checks the utility function and numbers against the space: every error, with its path
    /// (`weights › nato`, `reservation`).
    pub fn validate(&self, space: &OutcomeSpace) -> Result<(), ModelErrors> {
        let mut sink = Sink::default();
        self.check(space, &mut sink);
        sink.finish()
    }

    pub(crate) fn check(&self, space: &OutcomeSpace, sink: &mut Sink) {
        let before = sink.0.len();
        match &self.utility {
            Utility::LinearAdditive(u) => u.check(space, sink),
            Utility::Spatial(u) => u.check(space, sink),
            Utility::Table(t) => {
                if let Some(w) = t.entries.windows(2).find(|w| w[0].0 >= w[1].0) {
                    sink.push(ModelError::invalid(format!("table lists outcome {} twice or out of order", w[1].0)).at(Step::Field("rows")));
                }
                if let Some(n) = space.cardinality().as_u64() {
                    if let Some(e) = t.entries.iter().find(|e| e.0 >= n) {
                        sink.push(
                            ModelError::invalid(format!("table names outcome index {}, but the space has {n} outcomes", e.0))
                                .at(Step::Field("rows")),
                        );
                    }
                }
            }
        }
        let utility_ok = sink.0.len() == before;
        match self.discount {
            Discount::None => {}
            Discount::Time { factor } | Discount::PerRound { factor } => {
                if !(factor > 0.0 && factor <= 1.0) {
                    sink.push(out_of_range("discount factor", factor, "a number in (0, 1]").at(Step::Field("discount")));
                }
            }
        }
        let at = |e: ModelError| e.at(Step::Field("reservation"));
        match &self.reservation {
            Reservation::Value(v) if !v.is_finite() => sink.push(at(out_of_range("reservation", *v, "a finite number"))),
            // The range needs a valid utility function; its own errors were reported above.
            Reservation::Value(v) if utility_ok => {
                let (lo, hi) = self.utility_bounds(space).map_or((0.0, 1.0), |(lo, hi)| (lo.min(0.0), hi.max(1.0)));
                if *v < lo || *v > hi {
                    sink.push(at(out_of_range(
                        "reservation",
                        *v,
                        &format!(
                            "a utility in [{}, {}] (walking away cannot be worth more than the best deal or less than the worst)",
                            crate::format_real(lo),
                            crate::format_real(hi)
                        ),
                    )));
                }
            }
            Reservation::Outcome(o) if o.0.len() != space.issues().len() => {
                sink.push(at(ModelError::invalid("reservation outcome is not an outcome of the space")))
            }
            Reservation::Outcome(o) => {
                for (id, e) in space.bad_values(o) {
                    sink.push(at(e).at(Step::Key(id.to_string())));
                }
            }
            _ => {}
        }
    }

    /// The lowest and highest utility the function can take over the space, when it is
    /// additive over an enumerable space (per-issue extremes summed, then clamped); spatial
    /// utilities lie in [0, 1] by construction.
    pub fn utility_bounds(&self, space: &OutcomeSpace) -> Option<(f64, f64)> {
        if let Utility::Spatial(_) = self.utility {
            return Some((0.0, 1.0));
        }
        if space.issues().iter().any(|i| i.cardinality().is_none_or(|n| n > 1 << 24)) {
            return None;
        }
        let t = self.utility.additive_tables(space)?;
        let (mut lo, mut hi) = (t.bias, t.bias);
        for tab in &t.tables {
            lo += tab.iter().copied().fold(f64::INFINITY, f64::min);
            hi += tab.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        Some(match t.clamp {
            Some((a, b)) => (lo.clamp(a, b), hi.clamp(a, b)),
            None => (lo, hi),
        })
    }
}
