//! Time-based concession: NegMAS's `*TBNegotiator` family and `AspirationNegotiator`, and the
//! GENIUS/Faratin time-dependent agent (Boulware, Linear, Conceder, Hardliner).

use detente_core::select::argmax;
use detente_protocol::{Action, Negotiator, OutcomeId, PartyUtility, View};
use std::cmp::Reverse;

/// NegMAS's presorting inverter takes an outcome up to this much *below* the threshold when it
/// is strictly nearer than the first one above (`PresortingInverseUtilityFunction`).
pub const NEGMAS_INVERTER_EPS: f64 = 1e-6;

/// A NegMAS time-based negotiator (negmas 0.16 `TimeBasedConcedingNegotiator` with a
/// `PolyAspiration` curve; `AspirationNegotiator` is the same with a larger tolerance).
///
/// With `lo = max(min u, reserved)` (reserved = −∞ when none is stated), `hi = max u`:
///
/// ```text
/// a(t)         = max_aspiration · (1 − t^exponent)
/// threshold(t) = clip(lo + a(t)·(hi − lo) − eps, lo, hi)
/// accept  o    iff threshold(t) ≤ u_now(o) ≤ hi + eps
/// propose      the worst outcome with u ≥ threshold(t) — or one up to 1e-6 below it if that
///              is strictly nearer — from the outcomes presorted by utility
/// ```
///
/// Defaults (negmas 0.16, `vectors.json` `negotiator_params`): Boulware exponent 4, Linear 1,
/// Conceder 0.25, all with `eps = 1e-4`; `AspirationNegotiator` exponent 4 (its default
/// "boulware" curve) with `tolerance = 1e-3`; `max_aspiration = 1`; `stochastic = False`.
/// Ties in utility resolve to the lowest outcome index (NegMAS: numpy's unstable `argsort`,
/// CPU-dependent). Cost: one `powf` and an O(log n) binary search per proposal.
///
/// **Discounting.** `u_now(o)` is the offer's utility discounted at this moment
/// ([`View::utility_now`]: `d^round` for a NegMAS reading, `d^t` for a GENIUS one), while `lo`,
/// `hi`, the threshold and the outcomes it proposes stay on the undiscounted scale — as in
/// NegMAS, whose `ufun(offer)` is the discounted ufun at the current step but whose inverter and
/// `minmax` were evaluated once at step 0. A discount thus makes it harder to please, not
/// quicker to concede (NegMAS's behaviour, checked on its own runs in `tests/negmas_discount.rs`).
///
/// Answering a mediator's text (shuttle mediation), it counters with the acceptable outcome
/// nearest to that text ([`nearest_acceptable`]) rather than its own next offer.
///
/// Source: negmas 0.16.0 `sao/negotiators/timebased.py`, `negotiators/helpers.py`
/// (`PolyAspiration`), `preferences/inv_ufun.py` (`PresortingInverseUtilityFunction`);
/// reproduced on all 96 NegMAS reference negotiations (`tests/negmas_vectors.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeBased {
    /// Curve exponent `e` in `1 − t^e` (4 Boulware, 1 linear, 0.25 Conceder).
    pub exponent: f64,
    /// Subtracted from the threshold (NegMAS `eps`; `tolerance` for `AspirationNegotiator`).
    pub eps: f64,
    /// Scale of the aspiration curve (NegMAS `max_aspiration`, default 1).
    pub max_aspiration: f64,
    /// Where the last proposal sat in the sorted order (a search hint only: results do not
    /// depend on it).
    hint: usize,
}

impl TimeBased {
    /// NegMAS `BoulwareTBNegotiator`: exponent 4, eps 1e-4.
    pub const BOULWARE: TimeBased = TimeBased::new(4.0, 1e-4, 1.0);
    /// NegMAS `LinearTBNegotiator`: exponent 1, eps 1e-4.
    pub const LINEAR: TimeBased = TimeBased::new(1.0, 1e-4, 1.0);
    /// NegMAS `ConcederTBNegotiator`: exponent 0.25, eps 1e-4.
    pub const CONCEDER: TimeBased = TimeBased::new(0.25, 1e-4, 1.0);
    /// NegMAS `AspirationNegotiator`: boulware curve (exponent 4), tolerance 1e-3.
    pub const ASPIRATION: TimeBased = TimeBased::new(4.0, 1e-3, 1.0);

    /// A negotiator with these parameters.
    pub const fn new(exponent: f64, eps: f64, max_aspiration: f64) -> Self {
        TimeBased { exponent, eps, max_aspiration, hint: 0 }
    }

    /// `t^exponent` as Python's `t ** exponent` (C `pow`; `pow(t, 1) = t` exactly).
    #[inline]
    fn curve(&self, t: f64) -> f64 {
        if self.exponent == 1.0 {
            t
        } else {
            t.powf(self.exponent)
        }
    }

    /// The concession floor `lo = max(min u, reserved)`.
    #[inline]
    pub fn lo(u: &PartyUtility) -> f64 {
        match u.reservation() {
            Some(r) => u.min().max(r),
            None => u.min(),
        }
    }

    /// `threshold(t)` for a party.
    #[inline]
    pub fn threshold(&self, u: &PartyUtility, t: f64) -> f64 {
        let (lo, hi) = (Self::lo(u), u.max());
        let a = self.max_aspiration * (1.0 - self.curve(t));
        let th = lo + a * (hi - lo) - self.eps;
        // Python's min(hi, max(lo, th)): NaN-free inputs, so f64::max/min agree
        hi.min(lo.max(th))
    }

    /// Whether the party accepts `o` at threshold `th`.
    #[inline]
    pub fn accepts_at(&self, u: &PartyUtility, o: OutcomeId, th: f64) -> bool {
        self.accepts_value(u, u.utility(o), th)
    }

    /// Whether the party accepts an offer worth `x` to it at threshold `th`.
    #[inline]
    pub fn accepts_value(&self, u: &PartyUtility, x: f64, th: f64) -> bool {
        th <= x && x <= u.max().min(u.max() + self.eps)
    }

    /// The offer at threshold `th`.
    #[inline]
    pub fn propose_at(&mut self, u: &PartyUtility, th: f64) -> OutcomeId {
        let (o, rank) = negmas_nearest_above_from(u, th, self.hint);
        self.hint = rank;
        o
    }

    /// The offer at threshold `th` when every utility is worth `factor` times as much now (a
    /// discount): NegMAS re-sorts a discounted ufun's outcomes at every call and searches the
    /// discounted values against the undiscounted threshold — so once the threshold is above
    /// every discounted utility it offers its best outcome.
    #[inline]
    pub fn propose_discounted(&mut self, u: &PartyUtility, th: f64, factor: f64) -> OutcomeId {
        if factor == 1.0 {
            return self.propose_at(u, th);
        }
        negmas_nearest_above_scaled(u, th, factor)
    }
}

/// [`negmas_nearest_above`] on the utilities scaled by `factor > 0` (`u·factor` compared with
/// `th`, as NegMAS compares its discounted values: the same floating-point products). Scaling
/// keeps the order, so the sorted order is searched with a monotone predicate. O(log n).
fn negmas_nearest_above_scaled(u: &PartyUtility, th: f64, factor: f64) -> OutcomeId {
    let sorted = u.sorted();
    let p = sorted.partition_point(|&x| x * factor < th);
    if p == sorted.len() {
        return u.best();
    }
    let above = sorted[p] * factor;
    if p > 0 {
        let below = sorted[p - 1] * factor;
        if below >= th - NEGMAS_INVERTER_EPS && (below - th).abs() < (above - th).abs() {
            // lowest index among the outcomes worth exactly that much
            return u.at_rank(sorted.partition_point(|&x| x * factor < below));
        }
    }
    u.at_rank(p)
}

/// NegMAS's presorting inverter at `th`: the worst outcome with `u ≥ th` (lowest index among
/// equals); if the best outcome just below (within [`NEGMAS_INVERTER_EPS`]) is strictly nearer
/// to `th`, that one instead (lowest index among its equals); the best outcome if nothing
/// reaches `th`.
#[inline]
pub fn negmas_nearest_above(u: &PartyUtility, th: f64) -> OutcomeId {
    negmas_nearest_above_from(u, th, 0).0
}

/// [`negmas_nearest_above`] searching from a rank hint; returns the outcome and its rank.
#[inline]
fn negmas_nearest_above_from(u: &PartyUtility, th: f64, hint: usize) -> (OutcomeId, usize) {
    let sorted = u.sorted();
    let p = u.rank_at_least_near(th, hint);
    if p == sorted.len() {
        return (u.best(), sorted.len() - 1);
    }
    let above = sorted[p];
    if p > 0 {
        let below = sorted[p - 1];
        if below >= th - NEGMAS_INVERTER_EPS && (below - th).abs() < (above - th).abs() {
            let q = u.rank_at_least_near(below, p - 1);
            return (u.at_rank(q), q);
        }
    }
    (u.at_rank(p), p)
}

/// The acceptable outcome nearest to the text `t` (fewest issues changed) among those the party
/// values at least `th`; ties: higher own utility, then lowest index. "Acceptable": crossing
/// none of the party's red lines. The mediation spec's counter-
/// proposal of a time-based negotiator to a mediator's text (§3). O(m·issues) for the `m`
/// outcomes at or above `th`.
pub fn nearest_acceptable(v: &View<'_>, t: OutcomeId, th: f64) -> OutcomeId {
    let u = v.utility;
    let radices: Vec<u64> = v.space.issues().iter().map(|i| i.cardinality().unwrap_or(1)).collect();
    let digits = |mut o: OutcomeId, out: &mut [u64]| {
        for (d, &r) in out.iter_mut().zip(&radices).rev() {
            *d = o % r;
            o /= r;
        }
    };
    let mut td = vec![0; radices.len()];
    digits(t, &mut td);
    // Fast paths with the same answer as the scan below: the text itself when acceptable (the
    // only outcome at distance 0), else the best acceptable outcome one issue away — there are
    // only Σ(radix − 1) of them, and no acceptable outcome is nearer.
    let Some(x_t) = u.get(t) else { return u.best() };
    if x_t >= th && u.acceptable(t) {
        return t;
    }
    let td = &td;
    let mut place = 1u64;
    let one_away = (0..radices.len()).rev().flat_map(|k| {
        let p = place;
        place = place.saturating_mul(radices[k]);
        (0..radices[k]).filter(move |&value| value != td[k]).map(move |value| t - td[k] * p + value * p)
    });
    let near = argmax(one_away.filter(|&o| u.acceptable(o)).map(|o| (o, u.utility(o))).filter(|&(_, x)| x >= th));
    if let Some((o, _)) = near {
        return o;
    }
    // fewest issues changed first, then the higher own utility
    let mut od = vec![0; radices.len()];
    let nearest = argmax((u.rank_at_least(th)..u.n_acceptable()).map(|rank| {
        let o = u.at_rank(rank);
        digits(o, &mut od);
        let d = td.iter().zip(&od).filter(|(a, b)| a != b).count();
        (o, (Reverse(d), u.utility(o)))
    }));
    nearest.map_or_else(|| u.best(), |(o, _)| o)
}

impl Negotiator for TimeBased {
    #[inline]
    fn act(&mut self, v: &View<'_>) -> Action {
        let th = self.threshold(v.utility, v.time);
        // NegMAS: the offer's *discounted* utility (`ufun(offer)` at the current step) against
        // a threshold on the undiscounted scale (its inverter and `minmax` are built once, at
        // step 0, where the discount is 1)
        if v.acceptable_offer().is_some_and(|s| self.accepts_value(v.utility, v.utility_now(s.outcome), th)) {
            return Action::Accept;
        }
        if let Some(s) = v.offer.filter(|_| v.from_mediator()) {
            return Action::Offer(nearest_acceptable(v, s.outcome, th));
        }
        Action::Offer(self.propose_discounted(v.utility, th, v.utility.discount_factor(v.time, v.round)))
    }

    /// The time-dependent voter of `mediation-protocols.md` §2: yes iff the proposal is at
    /// least as good as the current text, or already acceptable at the current threshold — so
    /// the loss it accepts grows with time and deadlocks can melt. As final text (`current =
    /// None`): yes iff at least its reservation value. Never for a proposal across its red lines.
    fn vote(&mut self, v: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        if !v.utility.acceptable(proposal) {
            return false;
        }
        let u = v.utility.utility(proposal);
        match current {
            Some(c) => u >= v.utility.utility(c) || self.accepts_at(v.utility, proposal, self.threshold(v.utility, v.time)),
            None => u >= v.utility.reservation_value(),
        }
    }
}

/// GENIUS's time-dependent agent (Fatima, Wooldridge & Jennings form of Faratin, Sierra &
/// Jennings 1998), as in GENIUS 10.4 `agents.TimeDependentAgent` and the BOA
/// `TimeDependent_Offering`:
///
/// ```text
/// f(t) = k + (1 − k) · t^(1/e)          (f = k when e = 0)
/// p(t) = Pmin + (Pmax − Pmin) · (1 − f(t))
/// offer  the outcome whose utility is closest to p(t) (binary search, then neighbours;
///        ties: the lower utility, then the lowest index)
/// accept iff u(offer) ≥ u(my next offer)                (AC_next)
/// ```
///
/// Defaults: `k = 0`; `Pmax` = the party's maximum utility, `Pmin = max(min u, reservation)`
/// (GENIUS `TimeDependentAgent`). Conventions: Boulware `e = 0.2`, Linear 1, Conceder 2,
/// Hardliner 0 (never concedes). GENIUS time `t = r/(R+1)` with 1-based round `r` is the
/// [`View::time`] this crate provides. `e` here is Faratin's `1/β`: `e < 1` concedes late.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeDependent {
    /// Concession exponent `e` (0 = hardliner).
    pub e: f64,
    /// Initial constant `k`.
    pub k: f64,
    /// `Pmin` override (default: `max(min u, reservation)`).
    pub p_min: Option<f64>,
    /// `Pmax` override (default: max u).
    pub p_max: Option<f64>,
}

impl TimeDependent {
    /// GENIUS Boulware, `e = 0.2`.
    pub const BOULWARE: TimeDependent = TimeDependent { e: 0.2, k: 0.0, p_min: None, p_max: None };
    /// GENIUS Linear, `e = 1`.
    pub const LINEAR: TimeDependent = TimeDependent { e: 1.0, k: 0.0, p_min: None, p_max: None };
    /// GENIUS Conceder, `e = 2`.
    pub const CONCEDER: TimeDependent = TimeDependent { e: 2.0, k: 0.0, p_min: None, p_max: None };
    /// GENIUS Hardliner, `e = 0`: always its best outcome, accepts only that.
    pub const HARDLINER: TimeDependent = TimeDependent { e: 0.0, k: 0.0, p_min: None, p_max: None };

    /// `f(t)`.
    #[inline]
    pub fn f(&self, t: f64) -> f64 {
        if self.e == 0.0 {
            self.k
        } else {
            self.k + (1.0 - self.k) * t.powf(1.0 / self.e)
        }
    }

    /// `p(t)`, the target utility.
    #[inline]
    pub fn target(&self, u: &PartyUtility, t: f64) -> f64 {
        let p_min = self.p_min.unwrap_or_else(|| TimeBased::lo(u));
        let p_max = self.p_max.unwrap_or(u.max());
        p_min + (p_max - p_min) * (1.0 - self.f(t))
    }
}

/// The outcome whose utility is closest to `x` (GENIUS `SortedOutcomeSpace.getBidNearUtility`):
/// binary search, then the nearer neighbour; on equal distance the lower utility; among equal
/// utilities the lowest index. O(log n).
#[inline]
pub fn nearest_utility(u: &PartyUtility, x: f64) -> OutcomeId {
    let sorted = u.sorted();
    let p = u.rank_at_least(x);
    let pick = if p == sorted.len() {
        u.rank_at_least(sorted[p - 1])
    } else if p == 0 {
        0
    } else if (x - sorted[p - 1]) <= (sorted[p] - x) {
        u.rank_at_least(sorted[p - 1])
    } else {
        p
    };
    u.at_rank(pick)
}

impl Negotiator for TimeDependent {
    fn act(&mut self, v: &View<'_>) -> Action {
        let next = nearest_utility(v.utility, self.target(v.utility, v.time));
        if let Some(s) = v.acceptable_offer() {
            if v.utility.utility(s.outcome) >= v.utility.utility(next) {
                return Action::Accept;
            }
        }
        Action::Offer(next)
    }

    /// Time-dependent voter: yes iff the proposal is at least as good as the current text or
    /// reaches the target `p(t)`; as final text, iff at least the reservation value. Never for
    /// a proposal across its red lines.
    fn vote(&mut self, v: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        if !v.utility.acceptable(proposal) {
            return false;
        }
        let u = v.utility.utility(proposal);
        match current {
            Some(c) => u >= v.utility.utility(c) || u >= self.target(v.utility, v.time),
            None => u >= v.utility.reservation_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pu(u: Vec<f64>, r: Option<f64>) -> PartyUtility {
        PartyUtility::from_utilities(u, r, "a").unwrap()
    }

    #[test]
    fn negmas_threshold_at_chosen_times() {
        let u = pu(vec![10.0, 20.0, 30.0], None);
        // Boulware at t = 0.5: a = 1 - 0.5^4 = 0.9375; 10 + 0.9375*20 - 1e-4
        assert_eq!(TimeBased::BOULWARE.threshold(&u, 0.5), 10.0 + 0.9375 * 20.0 - 1e-4);
        assert_eq!(TimeBased::LINEAR.threshold(&u, 0.25), 10.0 + 0.75 * 20.0 - 1e-4);
        // Conceder at t = 1/16: a = 1 - 0.5 = 0.5
        assert_eq!(TimeBased::CONCEDER.threshold(&u, 0.0625), 10.0 + 0.5 * 20.0 - 1e-4);
        assert_eq!(TimeBased::ASPIRATION.threshold(&u, 0.5), 10.0 + 0.9375 * 20.0 - 1e-3);
        // clipped to [lo, hi]
        assert_eq!(TimeBased::LINEAR.threshold(&u, 1.0), 10.0);
        assert_eq!(TimeBased::new(1.0, -5.0, 1.0).threshold(&u, 0.0), 30.0);
        // the reservation raises the floor
        let r = pu(vec![10.0, 20.0, 30.0], Some(15.0));
        assert_eq!(TimeBased::LINEAR.threshold(&r, 0.5), 15.0 + 0.5 * 15.0 - 1e-4);
    }

    #[test]
    fn negmas_proposal_is_the_worst_above_threshold_or_a_nearer_one_just_below() {
        let u = pu(vec![0.3, 0.5, 0.5, 0.7, 0.9], None);
        assert_eq!(negmas_nearest_above(&u, 0.45), 1, "worst above, lowest index among ties");
        assert_eq!(negmas_nearest_above(&u, 0.5), 1);
        assert_eq!(negmas_nearest_above(&u, 0.5000005), 1, "0.5 is 5e-7 below: nearer than 0.7 and within 1e-6");
        assert_eq!(negmas_nearest_above(&u, 0.500002), 3, "2e-6 below is too far below");
        assert_eq!(negmas_nearest_above(&u, 0.95), 4, "nothing reaches: the best");
        assert_eq!(negmas_nearest_above(&u, 0.0), 0);
    }

    #[test]
    fn genius_time_dependent_target_at_chosen_times() {
        let u = pu(vec![0.2, 0.4, 0.6, 0.8, 1.0], None);
        // Boulware e = 0.2: f(0.5) = 0.5^5 = 0.03125 -> p = 0.2 + 0.8*0.96875
        assert_eq!(TimeDependent::BOULWARE.target(&u, 0.5), 0.2 + 0.8 * (1.0 - 0.5f64.powf(5.0)));
        assert_eq!(TimeDependent::CONCEDER.target(&u, 0.25), 0.2 + 0.8 * 0.5);
        assert_eq!(TimeDependent::LINEAR.target(&u, 0.5), 0.2 + 0.8 * 0.5);
        assert_eq!(TimeDependent::HARDLINER.target(&u, 0.99), 1.0);
        let k = TimeDependent { k: 0.5, ..TimeDependent::LINEAR };
        assert_eq!(k.target(&u, 0.0), 0.2 + 0.8 * 0.5);
        assert_eq!(nearest_utility(&u, 0.69), 2);
        assert_eq!(nearest_utility(&u, 0.71), 3);
        assert_eq!(nearest_utility(&u, 0.7), 2, "equal distance: the lower utility");
        assert_eq!(nearest_utility(&u, 2.0), 4);
        assert_eq!(nearest_utility(&u, -1.0), 0);
    }
}
