//! Per-scenario precomputation shared by every negotiation on the scenario.
//!
//! A negotiation needs, for each party, the utility of every outcome and the outcomes sorted
//! by utility (a time-based negotiator's offer is a binary search in that order). NegMAS
//! rebuilds both for every negotiator of every negotiation (its "inverse utility function":
//! 1 s at 188k outcomes); here they are built once per scenario and party and shared through
//! an [`Arc`] across any number of negotiations and threads.
//!
//! A party's [red lines](detente_core::RedLine) are compiled in at the same time: the sorted
//! order holds only the outcomes the party may accept, so a strategy that offers from it can
//! never cross its own red line.

use crate::action::OutcomeId;
use detente_core::{
    Discount, ErrorKind, ModelError, OutcomeSpace, Preferences, RedLine, RedLines, Reservation, Scenario, Step, UtilityFunction,
};
use std::sync::Arc;

/// The largest space [`PartyUtility::new`] enumerates (20 bytes per outcome per party).
pub const MAX_OUTCOMES: u64 = detente_core::limits::MAX_NEGOTIATED_OUTCOMES;

/// Why a scenario cannot be prepared for negotiation.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The outcome space is continuous or larger than [`MAX_OUTCOMES`].
    #[error(transparent)]
    Space(#[from] ModelError),
    /// A utility is NaN or infinite somewhere (for an additive utility: its sum before any
    /// clamp, by [`detente_core::AdditiveTables::non_finite`], the rule the analysis applies too).
    #[error("actor `{actor}` has a non-finite utility ({value}) at outcome {outcome}")]
    NonFinite {
        /// Actor id.
        actor: String,
        /// Outcome index.
        outcome: OutcomeId,
        /// The value.
        value: f64,
    },
    /// The space has no outcomes.
    #[error("the outcome space is empty: some issue has no values")]
    Empty,
}

/// One party's utilities over the whole space, with the sorted order negotiators search.
///
/// **The tie rule.** The order is ascending in utility with equal utilities by **lowest outcome
/// index first** — NegMAS's inverter order under a stable `argsort` (the `stable_ties`
/// convention of the NegMAS reference vectors; NegMAS itself uses numpy's unstable `argsort`,
/// whose tie order depends on the CPU's SIMD level). Every negotiator reads ties from this one
/// order: searching *up* from a utility level ("the worst outcome at least this good",
/// [`Self::rank_at_least`]) meets the lowest index among equals first; walking *down* from the
/// best ([`Self::best`] is the last of the order, then the one before, …) meets the highest
/// index first.
///
/// **Red lines.** An outcome that crosses one of the party's red lines is not *acceptable*
/// ([`Self::acceptable`]): it never appears in [`Self::order`] / [`Self::sorted`], and
/// [`Self::best`], [`Self::min`], [`Self::max`] and the rank searches are over acceptable
/// outcomes only, so every rank-based strategy proposes acceptable outcomes and nothing else.
/// [`Self::utility`] stays the true utility of any outcome. Without red lines every outcome is
/// acceptable and nothing changes (no mask is stored). When *no* outcome is acceptable the
/// order is empty, and `best`, `min` and `max` fall back to the whole space; the protocols never
/// ask such a party to offer (it walks away, see [`crate::Negotiator`]).
#[derive(Debug, Clone)]
pub struct PartyUtility {
    utils: Vec<f64>,
    order: Vec<u32>,
    sorted: Vec<f64>,
    min: f64,
    max: f64,
    best: u32,
    reservation: Option<f64>,
    reservation_value: f64,
    /// One bit per outcome, set when acceptable; `None` when every outcome is.
    acceptable: Option<Box<[u64]>>,
    red_lines: Vec<RedLine>,
    /// The party's discount: the utilities above are undiscounted; [`Self::discounted`]
    /// applies it at a moment of the negotiation.
    discount: Discount,
}

impl PartyUtility {
    /// Evaluates `prefs` (undiscounted) on every outcome of `space`, marks the outcomes that
    /// cross one of `red_lines` (validated against `space`, as [`ScenarioDraft::validate`](detente_core::ScenarioDraft::validate) does) as
    /// not acceptable, and sorts the acceptable ones.
    ///
    /// Additive utilities are evaluated from per-issue tables with an odometer over value
    /// indices (`bias + t₁[v₁] + t₂[v₂] + …`, summed in issue order — the same float operations
    /// as NegMAS's linear-additive ufun, so raw GENIUS utilities match to the bit); others via
    /// [`UtilityFunction::utility`] on each outcome. O(n·issues + n log n).
    pub fn new(space: &OutcomeSpace, prefs: &Preferences, red_lines: &[RedLine], actor: &str) -> Result<Self, PrepareError> {
        let n = space.enumerable("negotiate", MAX_OUTCOMES)?;
        if n == 0 {
            return Err(PrepareError::Empty);
        }
        let mut utils = Vec::with_capacity(n as usize);
        if let Some(tables) = prefs.utility.additive_tables(space) {
            let radices: Vec<u32> = tables.tables.iter().map(|t| t.len() as u32).collect();
            // A sum that overflows is refused even where a clamp would hide it (the analysis
            // refuses by the same rule).
            if let Some((idx, value)) = tables.non_finite() {
                let outcome = idx.iter().zip(&radices).fold(0u64, |acc, (&v, &r)| acc * u64::from(r) + u64::from(v));
                return Err(PrepareError::NonFinite { actor: actor.to_string(), outcome, value });
            }
            let mut idx = vec![0u32; radices.len()];
            for _ in 0..n {
                utils.push(tables.eval(&idx));
                advance(&mut idx, &radices);
            }
        } else {
            for o in space.iter() {
                utils.push(prefs.utility(space, &o));
            }
        }
        let mask = acceptable_mask(space, red_lines, actor)?;
        Self::build(utils, reservation_of(space, prefs), actor, mask, red_lines.to_vec()).map(|u| u.with_discount(prefs.discount))
    }

    /// The same utilities with this discount ([`Self::discounted`]); [`Self::new`] takes the
    /// preferences' own, [`Self::from_utilities`] starts with none.
    pub fn with_discount(mut self, discount: Discount) -> Self {
        self.discount = discount;
        self
    }

    /// The party's discount over time.
    #[inline]
    pub fn discount(&self) -> Discount {
        self.discount
    }

    /// A utility `x` discounted at relative time `time` and 0-based round `round` — what the
    /// party gets from it at that moment: `x·d^t` for a GENIUS discount (`t` the normalised
    /// time: round-based `(round + 1)/(n_rounds + 1)`, GENIUS's discrete timeline, or the
    /// fraction of the time limit spent), `x·d^round` for a NegMAS per-round discount (its
    /// `ExpDiscountedUFun(factor="step")`: the exponent is the mechanism step), `x` without.
    #[inline]
    pub fn discounted(&self, x: f64, time: f64, round: u32) -> f64 {
        self.discount.apply(x, time, u64::from(round))
    }

    /// What one unit of utility is worth at that moment ([`Self::discounted`] of 1): 1 without
    /// a discount.
    #[inline]
    pub fn discount_factor(&self, time: f64, round: u32) -> f64 {
        self.discounted(1.0, time, round)
    }

    /// What the party ends with at relative time `time` and round `round`: the discounted
    /// utility of `agreement`, or without one its discounted [`Self::reservation_value`] (GENIUS
    /// discounts the reservation value with the end time; a NegMAS-read discounted profile has
    /// no reservation, worth 0).
    #[inline]
    pub fn final_utility(&self, agreement: Option<OutcomeId>, time: f64, round: u32) -> f64 {
        self.discounted(agreement.map_or(self.reservation_value, |o| self.utility(o)), time, round)
    }

    /// From a ready utility vector (outcome index order). `reservation` is `None` when the
    /// party states none: NegMAS then uses `-inf` as the reserved value (so the concession
    /// floor is the minimum utility), and reports 0 as the value of no agreement.
    pub fn from_utilities(utils: Vec<f64>, reservation: Option<f64>, actor: &str) -> Result<Self, PrepareError> {
        Self::build(utils, reservation, actor, None, Vec::new())
    }

    /// The same utilities with `red_lines` (validated against `space`, whose outcomes these
    /// utilities are, in index order) added to the party's own. Sorts again.
    pub fn with_red_lines(self, space: &OutcomeSpace, red_lines: &[RedLine], actor: &str) -> Result<Self, PrepareError> {
        let lines: Vec<RedLine> = self.red_lines.iter().chain(red_lines).cloned().collect();
        if space.enumerable("negotiate", MAX_OUTCOMES)? != self.utils.len() as u64 {
            return Err(PrepareError::Space(
                ModelError::invalid(format!("{} utilities for a space of {} outcomes", self.utils.len(), space.cardinality()))
                    .within(Step::Actor(actor.to_string())),
            ));
        }
        let mask = acceptable_mask(space, &lines, actor)?;
        let discount = self.discount;
        Self::build(self.utils, self.reservation, actor, mask, lines).map(|u| u.with_discount(discount))
    }

    fn build(
        utils: Vec<f64>,
        reservation: Option<f64>,
        actor: &str,
        acceptable: Option<Box<[u64]>>,
        red_lines: Vec<RedLine>,
    ) -> Result<Self, PrepareError> {
        if utils.is_empty() {
            return Err(PrepareError::Empty);
        }
        if let Some((i, &v)) = utils.iter().enumerate().find(|(_, u)| !u.is_finite()) {
            return Err(PrepareError::NonFinite { actor: actor.to_string(), outcome: i as u64, value: v });
        }
        if utils.len() as u64 > MAX_OUTCOMES {
            return Err(PrepareError::Space(ModelError::new(ErrorKind::SpaceTooLarge {
                operation: "negotiate".into(),
                cardinality: utils.len().to_string(),
                limit: MAX_OUTCOMES,
            })));
        }
        // sort (order-preserving key, index) pairs by key with a stable radix sort: ties keep
        // index order, so they fall to the lowest index (as sorting the pairs would), in linear time
        let mut keyed: Vec<(u64, u32)> = match &acceptable {
            None => utils.iter().enumerate().map(|(i, &u)| (sort_key(u), i as u32)).collect(),
            Some(mask) => utils.iter().enumerate().filter(|&(i, _)| bit(mask, i)).map(|(i, &u)| (sort_key(u), i as u32)).collect(),
        };
        radsort::sort_by_key(&mut keyed, |&(k, _)| k);
        let order: Vec<u32> = keyed.iter().map(|&(_, i)| i).collect();
        drop(keyed);
        let sorted: Vec<f64> = order.iter().map(|&i| utils[i as usize]).collect();
        let (min, max, best) = match (sorted.first(), sorted.last(), order.last()) {
            (Some(&lo), Some(&hi), Some(&b)) => (lo, hi, b),
            // nothing acceptable: the whole space (highest index among equal maxima, as above)
            _ => {
                let (lo, hi) = utils.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &u| (a.min(u), b.max(u)));
                let b = utils.iter().rposition(|&u| u == hi).unwrap_or(0) as u32;
                (lo, hi, b)
            }
        };
        Ok(PartyUtility {
            utils,
            order,
            sorted,
            min,
            max,
            best,
            reservation,
            reservation_value: reservation.unwrap_or(0.0),
            acceptable,
            red_lines,
            discount: Discount::None,
        })
    }

    /// Number of outcomes.
    #[inline]
    pub fn len(&self) -> usize {
        self.utils.len()
    }

    /// Always false (an empty space is refused at construction).
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.utils.is_empty()
    }

    /// Utility of an outcome (`NaN`-free; panics on an index out of range — the protocols
    /// validate offers before anyone evaluates them).
    #[inline]
    pub fn utility(&self, outcome: OutcomeId) -> f64 {
        self.utils[outcome as usize]
    }

    /// Utility of an outcome, `None` when out of range.
    #[inline]
    pub fn get(&self, outcome: OutcomeId) -> Option<f64> {
        self.utils.get(outcome as usize).copied()
    }

    /// Utilities in outcome-index order.
    #[inline]
    pub fn utilities(&self) -> &[f64] {
        &self.utils
    }

    /// Whether the party may accept `outcome`: it crosses none of the party's red lines (false
    /// for an index out of range).
    #[inline]
    pub fn acceptable(&self, outcome: OutcomeId) -> bool {
        outcome < self.utils.len() as u64 && self.acceptable.as_ref().is_none_or(|m| bit(m, outcome as usize))
    }

    /// Number of acceptable outcomes (`order().len()`; `len()` without red lines).
    #[inline]
    pub fn n_acceptable(&self) -> usize {
        self.order.len()
    }

    /// The party's red lines (empty when it has none).
    pub fn red_lines(&self) -> &[RedLine] {
        &self.red_lines
    }

    /// The first of the party's red lines that `outcome` (of `space`) crosses, if any — to say
    /// which line an illegal move crossed.
    pub fn crossed_line(&self, space: &OutcomeSpace, outcome: OutcomeId) -> Option<&RedLine> {
        if self.acceptable(outcome) {
            return None;
        }
        let o = space.outcome_at(outcome)?;
        self.red_lines.iter().find(|l| l.crosses(space, &o))
    }

    /// Acceptable outcome indices in ascending utility, ties by lowest index.
    #[inline]
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Utilities of the acceptable outcomes in ascending order (`sorted()[k] ==
    /// utility(order()[k])`).
    #[inline]
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// Lowest utility over the acceptable outcomes (the whole space if none is).
    #[inline]
    pub fn min(&self) -> f64 {
        self.min
    }

    /// Highest utility over the acceptable outcomes (the whole space if none is).
    #[inline]
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The stated reservation value, `None` if the party states none.
    #[inline]
    pub fn reservation(&self) -> Option<f64> {
        self.reservation
    }

    /// The value of no agreement (the reservation, 0 when none is stated).
    #[inline]
    pub fn reservation_value(&self) -> f64 {
        self.reservation_value
    }

    /// The best acceptable outcome: the last in the sorted order (among equal maxima, the
    /// highest index — what NegMAS's `order[-1]` picks under a stable sort). The best outcome of
    /// the whole space if none is acceptable.
    #[inline]
    pub fn best(&self) -> OutcomeId {
        u64::from(self.best)
    }

    /// Position in [`Self::order`] of the first outcome with utility ≥ `x` (`n_acceptable()`
    /// if none).
    /// O(log n).
    #[inline]
    pub fn rank_at_least(&self, x: f64) -> usize {
        self.sorted.partition_point(|&u| u < x)
    }

    /// [`Self::rank_at_least`] searched from a hint (e.g. the previous answer): galloping out
    /// from `hint` then binary search, O(log d) for an answer `d` positions away — O(1) for a
    /// negotiator whose threshold moves a little each round. Same result for any hint.
    #[inline]
    pub fn rank_at_least_near(&self, x: f64, hint: usize) -> usize {
        let s = &self.sorted[..];
        let n = s.len();
        let h = hint.min(n);
        let (lo, hi) = if h < n && s[h] < x {
            // the answer is above h: s[lo - 1] < x throughout
            let mut lo = h + 1;
            let mut step = 1;
            loop {
                let probe = lo + step - 1;
                if probe >= n {
                    break (lo, n);
                }
                if s[probe] >= x {
                    break (lo, probe);
                }
                lo = probe + 1;
                step *= 2;
            }
        } else {
            // the answer is at most h: s[hi] >= x (or hi == n) throughout
            let mut hi = h;
            let mut step = 1;
            loop {
                if hi == 0 {
                    break (0, 0);
                }
                let probe = hi.saturating_sub(step);
                if s[probe] < x {
                    break (probe + 1, hi);
                }
                hi = probe;
                step *= 2;
            }
        };
        lo + s[lo..hi].partition_point(|&u| u < x)
    }

    /// The outcome at a position of the sorted order.
    #[inline]
    pub fn at_rank(&self, rank: usize) -> OutcomeId {
        u64::from(self.order[rank])
    }
}

#[inline]
/// The value indices of the next outcome in index order (mixed radix, first issue slowest);
/// wraps to all zeros after the last.
fn advance(idx: &mut [u32], radices: &[u32]) {
    for k in (0..idx.len()).rev() {
        idx[k] += 1;
        if idx[k] < radices[k] {
            return;
        }
        idx[k] = 0;
    }
}

fn bit(mask: &[u64], i: usize) -> bool {
    mask[i / 64] >> (i % 64) & 1 == 1
}

/// The acceptable outcomes of `space` under `red_lines` as a bitset, `None` without red lines.
/// O(n·issues).
fn acceptable_mask(space: &OutcomeSpace, red_lines: &[RedLine], actor: &str) -> Result<Option<Box<[u64]>>, PrepareError> {
    if red_lines.is_empty() {
        return Ok(None);
    }
    let within = |e: ModelError, i: usize| {
        PrepareError::Space(e.within(Step::Index(i)).within(Step::Field("red_lines")).within(Step::Actor(actor.to_string())))
    };
    for (i, l) in red_lines.iter().enumerate() {
        l.check(space).map_err(|e| within(e, i))?;
    }
    let n = space.enumerable("negotiate", MAX_OUTCOMES)? as usize;
    let compiled = RedLines::compile(space, red_lines).ok_or_else(|| {
        PrepareError::Space(
            ModelError::invalid("a red line names an issue without a finite list of values").within(Step::Actor(actor.to_string())),
        )
    })?;
    let radices: Vec<u32> = space.issues().iter().map(|i| i.cardinality().unwrap_or(1) as u32).collect();
    let mut idx = vec![0u32; radices.len()];
    let mut mask = vec![0u64; n.div_ceil(64)];
    for i in 0..n {
        if !compiled.crossed(&idx) {
            mask[i / 64] |= 1 << (i % 64);
        }
        advance(&mut idx, &radices);
    }
    Ok(Some(mask.into_boxed_slice()))
}

/// A `u64` whose unsigned order is the numeric order of finite floats (`-0.0` and `0.0`, equal
/// as floats, get the same key so that their tie order is by index too).
#[inline]
fn sort_key(x: f64) -> u64 {
    let b = if x == 0.0 { 0.0f64.to_bits() } else { x.to_bits() };
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

fn reservation_of(space: &OutcomeSpace, prefs: &Preferences) -> Option<f64> {
    match prefs.reservation {
        Reservation::None => None,
        _ => Some(prefs.reservation_value(space)),
    }
}

/// A scenario made ready for negotiation: its space plus every actor's [`PartyUtility`],
/// each behind an [`Arc`] so that sessions and threads share them.
#[derive(Debug, Clone)]
pub struct PreparedScenario {
    space: Arc<OutcomeSpace>,
    actor_ids: Vec<String>,
    utilities: Vec<Arc<PartyUtility>>,
}

impl PreparedScenario {
    /// Prepares every actor of the scenario (parties, mediators and observers alike: a biased
    /// mediator needs its utility, and reports show observers').
    pub fn new(scenario: &Scenario) -> Result<Self, PrepareError> {
        let utilities = scenario
            .actors
            .iter()
            .map(|a| PartyUtility::new(&scenario.space, &a.preferences, &a.red_lines, &a.id).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PreparedScenario {
            space: Arc::new(scenario.space.clone()),
            actor_ids: scenario.actors.iter().map(|a| a.id.clone()).collect(),
            utilities,
        })
    }

    /// Prepares `scenario`, a variation of `previous` (prepared as `prepared`): an actor whose
    /// preferences and red lines did not change keeps its prepared utilities (shared, not recomputed). Robustness
    /// sweeps prepare hundreds of slightly different scenarios this way.
    pub fn update(prepared: &PreparedScenario, previous: &Scenario, scenario: &Scenario) -> Result<Self, PrepareError> {
        if previous.space != scenario.space || previous.actors.len() != scenario.actors.len() {
            return Self::new(scenario);
        }
        let utilities = scenario
            .actors
            .iter()
            .zip(&previous.actors)
            .zip(&prepared.utilities)
            .map(|((a, b), u)| {
                if a.id == b.id && a.preferences == b.preferences && a.red_lines == b.red_lines {
                    Ok(Arc::clone(u))
                } else {
                    PartyUtility::new(&scenario.space, &a.preferences, &a.red_lines, &a.id).map(Arc::new)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PreparedScenario { space: Arc::clone(&prepared.space), actor_ids: prepared.actor_ids.clone(), utilities })
    }

    /// From parts (e.g. utilities read from a reference file).
    pub fn from_parts(space: OutcomeSpace, actor_ids: Vec<String>, utilities: Vec<Arc<PartyUtility>>) -> Self {
        PreparedScenario { space: Arc::new(space), actor_ids, utilities }
    }

    /// The outcome space.
    pub fn space(&self) -> &Arc<OutcomeSpace> {
        &self.space
    }

    /// Actor ids, in scenario order.
    pub fn actor_ids(&self) -> &[String] {
        &self.actor_ids
    }

    /// The utility of actor `k` (scenario order).
    pub fn utility(&self, k: usize) -> &Arc<PartyUtility> {
        &self.utilities[k]
    }

    /// All actors' utilities, scenario order.
    pub fn utilities(&self) -> &[Arc<PartyUtility>] {
        &self.utilities
    }

    /// Number of outcomes.
    pub fn n_outcomes(&self) -> u64 {
        self.utilities.first().map_or(0, |u| u.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_sort_by_lowest_index_and_best_is_last() {
        let u = PartyUtility::from_utilities(vec![1.0, 0.5, 1.0, 0.5, 0.0], None, "a").unwrap();
        assert_eq!(u.order(), &[4, 1, 3, 0, 2]);
        // one tie rule: walking down from the best meets the highest index first, searching up
        // from a level the lowest
        assert_eq!(u.best(), 2);
        assert_eq!(u.at_rank(u.n_acceptable() - 2), 0);
        assert_eq!(u.at_rank(u.rank_at_least(1.0)), 0);
        assert_eq!(u.at_rank(u.rank_at_least(0.5)), 1);
        assert_eq!(u.rank_at_least(0.5), 1);
        assert_eq!(u.rank_at_least(0.6), 3);
        assert_eq!(u.rank_at_least(2.0), 5);
        assert_eq!((u.min(), u.max(), u.reservation(), u.reservation_value()), (0.0, 1.0, None, 0.0));
    }

    #[test]
    fn sort_key_orders_like_floats_and_merges_signed_zeros() {
        let xs = [-1e300, -2.5, -1e-300, -0.0, 0.0, 1e-300, 2.5, 1e300];
        for w in xs.windows(2) {
            assert!(sort_key(w[0]) <= sort_key(w[1]), "{} {}", w[0], w[1]);
            assert_eq!(sort_key(w[0]) == sort_key(w[1]), w[0] == w[1]);
        }
        let u = PartyUtility::from_utilities(vec![0.0, -0.0, 0.0], None, "a").unwrap();
        assert_eq!(u.order(), &[0, 1, 2]);
    }

    #[test]
    fn non_finite_and_empty_are_errors() {
        assert!(matches!(PartyUtility::from_utilities(vec![0.0, f64::NAN], None, "a"), Err(PrepareError::NonFinite { outcome: 1, .. })));
        assert!(matches!(PartyUtility::from_utilities(vec![], None, "a"), Err(PrepareError::Empty)));
    }

    #[test]
    fn a_sum_that_overflows_is_refused_even_under_a_clamp() {
        use detente_core::{Issue, LinearAdditive, Utility, ValueFunction};
        let space = OutcomeSpace::new(vec![Issue::categorical("a", &["x", "y"]), Issue::categorical("b", &["x", "y"])]);
        let la = LinearAdditive {
            bias: 0.0,
            weights: vec![1e308, 1e308],
            values: vec![ValueFunction::Table(vec![0.0, 1.5]), ValueFunction::Table(vec![0.0, 1.5])],
            // GENIUS's clamp: min(1, Σ) once turned the overflow into a utility of 1
            clamp: Some((f64::NEG_INFINITY, 1.0)),
        };
        let prefs = Preferences::new(Utility::LinearAdditive(la));
        let e = PartyUtility::new(&space, &prefs, &[], "p").unwrap_err();
        assert!(matches!(e, PrepareError::NonFinite { outcome: 3, value, .. } if value == f64::INFINITY), "{e:?}");
        assert_eq!(e.to_string(), "actor `p` has a non-finite utility (inf) at outcome 3");
    }

    fn nato_space() -> OutcomeSpace {
        use detente_core::Issue;
        // outcome = 3·nato + force; utilities 0..6 in index order
        OutcomeSpace::new(vec![Issue::categorical("nato", &["member", "neutral"]), Issue::integer("force", 0, 100, 50)])
    }

    #[test]
    fn red_lines_leave_crossing_outcomes_out_of_the_order_but_not_out_of_the_utilities() {
        use detente_core::{Condition, RedLine, Value};
        let space = nato_space();
        let line = RedLine {
            terms: vec![
                ("nato".into(), Condition::OneOf(vec![Value::Option(0)])),
                ("force".into(), Condition::Range { min: Some(50.0), max: None }),
            ],
            description: None,
        };
        let u = PartyUtility::from_utilities(vec![5.0, 4.0, 3.0, 2.0, 1.0, 0.0], None, "a").unwrap();
        let u = u.with_red_lines(&space, std::slice::from_ref(&line), "a").unwrap();
        // outcomes 1 and 2 (member with force 50, 100) cross the line
        assert_eq!(u.order(), &[5, 4, 3, 0]);
        assert_eq!(u.sorted(), &[0.0, 1.0, 2.0, 5.0]);
        assert_eq!((u.best(), u.min(), u.max(), u.n_acceptable(), u.len()), (0, 0.0, 5.0, 4, 6));
        assert_eq!(u.utility(1), 4.0, "the true utility of a forbidden outcome");
        assert!(!u.acceptable(1) && !u.acceptable(2) && u.acceptable(0) && !u.acceptable(6));
        assert_eq!(u.rank_at_least(2.5), 3);
        assert_eq!(u.crossed_line(&space, 2), Some(&line));
        assert_eq!(u.crossed_line(&space, 3), None);
        // the best outcome is forbidden: the best acceptable is the next one down
        let top = RedLine::one("force", Value::Int(0));
        let v = PartyUtility::from_utilities(vec![5.0, 4.0, 3.0, 2.0, 1.0, 0.0], None, "a").unwrap();
        let v = v.with_red_lines(&space, &[top], "a").unwrap();
        assert_eq!((v.best(), v.max(), v.min(), v.n_acceptable()), (1, 4.0, 0.0, 4));
    }

    #[test]
    fn with_every_outcome_forbidden_the_order_is_empty_and_the_extremes_fall_back_to_the_space() {
        use detente_core::{RedLine, Value};
        let space = nato_space();
        let lines = [RedLine::one("nato", Value::Option(0)), RedLine::one("nato", Value::Option(1))];
        let u = PartyUtility::from_utilities(vec![1.0, 4.0, 3.0, 4.0, 0.0, 2.0], None, "a").unwrap();
        let u = u.with_red_lines(&space, &lines, "a").unwrap();
        assert_eq!((u.n_acceptable(), u.rank_at_least(0.0)), (0, 0));
        assert_eq!((u.best(), u.min(), u.max()), (3, 0.0, 4.0));
        assert!((0..6).all(|o| !u.acceptable(o)));
    }

    #[test]
    fn invalid_red_lines_are_prepare_errors_and_update_follows_red_line_changes() {
        use detente_core::strategies::scenario;
        use detente_core::{RedLine, Value};
        use proptest::strategy::{Strategy, ValueTree};
        let u = PartyUtility::from_utilities(vec![0.0; 6], None, "a").unwrap();
        let err = u.with_red_lines(&nato_space(), &[RedLine::one("flag", Value::Option(0))], "a").unwrap_err();
        assert!(err.to_string().contains("unknown issue `flag`"), "{err}");
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let base = scenario(2, 2, 3).new_tree(&mut runner).unwrap().current();
        let p = PreparedScenario::new(&base).unwrap();
        let first = base.space.issues()[0].clone();
        let changed = base.edited(|c| c.actors[1].red_lines = vec![RedLine::one(first.id.clone(), first.value_at(0).unwrap())]).unwrap();
        let q = PreparedScenario::update(&p, &base, &changed).unwrap();
        assert!(Arc::ptr_eq(p.utility(0), q.utility(0)), "an unchanged actor is shared");
        assert!(q.utility(1).n_acceptable() < q.utility(1).len(), "the changed red lines are compiled in");
        assert_eq!(q.utility(1).red_lines(), changed.actors[1].red_lines.as_slice());
    }

    proptest::proptest! {
        /// The compiled mask agrees with `RedLine::crosses` outcome by outcome, and the order
        /// is exactly the acceptable outcomes sorted by (utility, index).
        #[test]
        fn the_order_is_the_acceptable_outcomes_sorted(s in detente_core::strategies::scenario(2, 3, 4), seeds in proptest::collection::vec(proptest::prelude::any::<u64>(), 1..4)) {
            use detente_core::{Condition, RedLine};
            let lines: Vec<RedLine> = seeds
                .iter()
                .map(|&x| {
                    let k = (x % s.space.issues().len() as u64) as usize;
                    let issue = &s.space.issues()[k];
                    let n = issue.cardinality().unwrap_or(1);
                    let vals = vec![issue.value_at(((x >> 8) % n) as u32).unwrap(), issue.value_at(((x >> 16) % n) as u32).unwrap()];
                    RedLine { terms: vec![(issue.id.clone(), Condition::OneOf(vals))], description: None }
                })
                .collect();
            let a = &s.actors[0];
            let u = PartyUtility::new(&s.space, &a.preferences, &lines, &a.id).unwrap();
            let mut want: Vec<u32> = Vec::new();
            for (i, o) in s.space.iter().enumerate() {
                let ok = !lines.iter().any(|l| l.crosses(&s.space, &o));
                proptest::prop_assert_eq!(u.acceptable(i as u64), ok);
                if ok {
                    want.push(i as u32);
                }
            }
            want.sort_by(|&x, &y| u.utility(u64::from(x)).total_cmp(&u.utility(u64::from(y))).then(x.cmp(&y)));
            proptest::prop_assert_eq!(u.order(), want.as_slice());
        }
    }

    proptest::proptest! {
        /// The hinted search agrees with the plain binary search for every hint.
        #[test]
        fn hinted_search_equals_binary_search(mut v in proptest::collection::vec(0u8..20, 1..60), x in 0u8..22, hint in 0usize..70) {
            v.sort_unstable();
            let u = PartyUtility::from_utilities(v.iter().map(|&b| f64::from(b)).collect(), None, "a").unwrap();
            let x = f64::from(x) - 0.5;
            proptest::prop_assert_eq!(u.rank_at_least_near(x, hint), u.rank_at_least(x));
            proptest::prop_assert_eq!(u.rank_at_least_near(x + 0.5, hint), u.rank_at_least(x + 0.5));
        }
    }

    proptest::proptest! {
        /// The odometer over additive tables gives the same utilities as evaluating each
        /// outcome, and the sorted order is a permutation sorted by (utility, index).
        #[test]
        fn odometer_matches_outcome_evaluation(s in detente_core::strategies::scenario(3, 4, 5)) {
            let Ok(p) = PreparedScenario::new(&s) else { return Ok(()) };
            for (k, a) in s.actors.iter().enumerate() {
                let u = p.utility(k);
                for (i, o) in s.space.iter().enumerate() {
                    let want = a.preferences.utility(&s.space, &o);
                    proptest::prop_assert!((u.utility(i as u64) - want).abs() <= 1e-12 * want.abs().max(1.0));
                }
                for w in u.order().windows(2) {
                    let (x, y) = (u.utility(u64::from(w[0])), u.utility(u64::from(w[1])));
                    proptest::prop_assert!(x < y || (x == y && w[0] < w[1]));
                }
            }
        }
    }
}
