//! The BOA framework (Baarslag, Hindriks, Hendrikx, Dirkzwager & Jonker 2014, "Decoupling
//! negotiating agents to explore the space of negotiation strategies"; GENIUS
//! `genius.core.boaframework`): an agent = a **B**idding strategy + an **O**pponent model (with
//! an OM strategy that picks among near-equal bids) + an **A**cceptance condition.

use crate::opponent::{FrequencyModel, OpponentModel};
use crate::time_based::{nearest_utility, TimeDependent};
use crate::util::{normalize, normalized, radices, ranks_between, time_of_round};
use detente_core::select::argmax;
use detente_protocol::{Action, Negotiator, OutcomeId, PartyUtility, View};

/// Acceptance conditions (Baarslag, Hindriks & Jonker, "Effective acceptance conditions in
/// real-time automated negotiation", 2014; GENIUS `acceptanceconditions.other.*`). `x` is the
/// normalised utility of the opponent's offer, `x'` that of my next planned bid, `t` the time.
/// Utilities are normalised to [0, 1] over the party's range, so GENIUS's constants (stated for
/// [0, 1] utilities) keep their meaning on any scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// `AC_next(α, β)`: `α·x + β ≥ x'` (GENIUS defaults α = 1, β = 0).
    Next {
        /// α.
        a: f64,
        /// β.
        b: f64,
    },
    /// `AC_const(c)`: `x > c` (default c = 0.9).
    Const {
        /// c.
        c: f64,
    },
    /// `AC_time(T)`: `t > T` (default T = 0.99).
    Time {
        /// T.
        t: f64,
    },
    /// `AC_combi(α, β, T)`: `AC_next(α, β) ∨ t ≥ T`.
    Combi {
        /// α.
        a: f64,
        /// β.
        b: f64,
        /// T.
        t: f64,
    },
    /// `AC_combi_MAX_W(T)`: `AC_next ∨ (t ≥ T ∧ x ≥ max x of the opponent's bids in the window
    /// [t − (1 − t), t])` (default T = 0.98).
    CombiMaxW {
        /// T.
        t: f64,
    },
}

impl Acceptance {
    /// Whether to accept: `x` the offer, `x_next` my next bid, `t` now, `history` the opponent's
    /// bids so far as (time, normalised utility) — the current offer included.
    pub fn accepts(&self, x: f64, x_next: f64, t: f64, history: &[(f64, f64)]) -> bool {
        match *self {
            Acceptance::Next { a, b } => a * x + b >= x_next,
            Acceptance::Const { c } => x > c,
            Acceptance::Time { t: tt } => t > tt,
            Acceptance::Combi { a, b, t: tt } => a * x + b >= x_next || t >= tt,
            Acceptance::CombiMaxW { t: tt } => {
                if x >= x_next {
                    return true;
                }
                if t < tt {
                    return false;
                }
                let from = t - (1.0 - t);
                let best = history.iter().filter(|(s, _)| *s >= from && *s <= t).map(|&(_, y)| y).fold(f64::NEG_INFINITY, f64::max);
                x >= best
            }
        }
    }

    /// `name`, for specs and reports.
    pub fn name(&self) -> &'static str {
        match self {
            Acceptance::Next { .. } => "next",
            Acceptance::Const { .. } => "const",
            Acceptance::Time { .. } => "time",
            Acceptance::Combi { .. } => "combi",
            Acceptance::CombiMaxW { .. } => "combi_max_w",
        }
    }
}

/// GENIUS's OM strategy `BestBid` over the window of GENIUS `TimeDependent_Offering` +
/// `OMStrategy.getBid`: the bids with normalised utility in `[p, p + 0.01]`, the window's top
/// widened by 0.01 until it holds a bid, and among them the one the model rates best for the
/// opponent (ties: lowest outcome index). The best outcome if `p` is above everything.
pub fn best_for_opponent_near(u: &PartyUtility, p_norm: f64, model: &dyn OpponentModel) -> OutcomeId {
    let mut hi = p_norm + 0.01;
    loop {
        let r = ranks_between(u, crate::util::denormalize(u, p_norm), crate::util::denormalize(u, hi));
        if !r.is_empty() {
            let best = argmax(r.map(|k| u.at_rank(k)).map(|o| (o, model.eval(o))));
            return best.expect("invariant: the range is not empty").0;
        }
        if hi > 1.0 + 1e-9 {
            return u.best();
        }
        hi += 0.01;
    }
}

/// A BOA agent: a time-dependent bidding strategy (GENIUS `TimeDependent_Offering`: see
/// [`TimeDependent`]), an optional opponent model used through the `BestBid` OM strategy, and
/// an [`Acceptance`] condition. As in GENIUS `BOAagentBilateral`, the next bid is computed
/// *before* the acceptance decision so that `AC_next` can compare with it.
pub struct Boa {
    /// Bidding strategy.
    pub offering: TimeDependent,
    /// Acceptance condition.
    pub acceptance: Acceptance,
    model: Option<Box<dyn OpponentModel>>,
    model_l: Option<f64>,
    history: Vec<(f64, f64)>,
    seen: usize,
}

impl std::fmt::Debug for Boa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Boa").field("offering", &self.offering).field("acceptance", &self.acceptance).field("model", &self.model_l).finish()
    }
}

impl Boa {
    /// A BOA agent; `frequency_model`: `Some(l)` to learn a [`FrequencyModel`] with learning
    /// coefficient `l`, `None` for no opponent model (bids nearest the target utility).
    pub fn new(offering: TimeDependent, acceptance: Acceptance, frequency_model: Option<f64>) -> Self {
        Boa { offering, acceptance, model: None, model_l: frequency_model, history: Vec::new(), seen: 0 }
    }

    fn next_bid(&self, v: &View<'_>) -> OutcomeId {
        let target = self.offering.target(v.utility, v.time);
        match &self.model {
            Some(m) if m.observed() > 0 => best_for_opponent_near(v.utility, normalize(v.utility, target), m.as_ref()),
            _ => nearest_utility(v.utility, target),
        }
    }
}

impl Negotiator for Boa {
    fn act(&mut self, v: &View<'_>) -> Action {
        if self.model.is_none() {
            if let Some(l) = self.model_l {
                self.model = Some(Box::new(FrequencyModel::new(radices(v), l)));
            }
        }
        let (u, n_rounds) = (v.utility, v.n_rounds);
        let mut fresh = Vec::new();
        self.seen = crate::util::new_offers(v, self.seen, |ev, o| fresh.push((ev.round, o)));
        for (round, o) in fresh {
            self.history.push((time_of_round(round, n_rounds), normalized(u, o)));
            if let Some(m) = self.model.as_mut() {
                m.update(o);
            }
        }
        let bid = self.next_bid(v);
        if let Some(s) = v.acceptable_offer() {
            if self.acceptance.accepts(normalized(u, s.outcome), normalized(u, bid), v.time, &self.history) {
                return Action::Accept;
            }
        }
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceptance_conditions_at_chosen_points() {
        let h = [(0.5, 0.4), (0.97, 0.6), (0.985, 0.55)];
        assert!(Acceptance::Next { a: 1.0, b: 0.0 }.accepts(0.7, 0.7, 0.1, &h));
        assert!(!Acceptance::Next { a: 1.0, b: 0.0 }.accepts(0.69, 0.7, 0.1, &h));
        assert!(Acceptance::Next { a: 1.0, b: 0.02 }.accepts(0.69, 0.7, 0.1, &h));
        assert!(!Acceptance::Const { c: 0.9 }.accepts(0.9, 1.0, 0.1, &h));
        assert!(Acceptance::Const { c: 0.9 }.accepts(0.91, 1.0, 0.1, &h));
        assert!(!Acceptance::Time { t: 0.99 }.accepts(0.0, 1.0, 0.99, &h));
        assert!(Acceptance::Time { t: 0.99 }.accepts(0.0, 1.0, 0.995, &h));
        assert!(Acceptance::Combi { a: 1.0, b: 0.0, t: 0.98 }.accepts(0.1, 0.9, 0.98, &h));
        assert!(!Acceptance::Combi { a: 1.0, b: 0.0, t: 0.98 }.accepts(0.1, 0.9, 0.97, &h));
        // MAX_W at t = 0.99: window [0.98, 0.99] holds only the 0.55 bid
        assert!(Acceptance::CombiMaxW { t: 0.98 }.accepts(0.55, 0.9, 0.99, &h));
        assert!(!Acceptance::CombiMaxW { t: 0.98 }.accepts(0.54, 0.9, 0.99, &h));
        assert!(!Acceptance::CombiMaxW { t: 0.98 }.accepts(0.55, 0.9, 0.97, &h));
    }

    #[test]
    fn best_bid_om_strategy_picks_the_opponents_favourite_in_the_window() {
        struct Fav(OutcomeId);
        impl OpponentModel for Fav {
            fn update(&mut self, _o: OutcomeId) {}
            fn eval(&self, o: OutcomeId) -> f64 {
                if o == self.0 {
                    1.0
                } else {
                    0.0
                }
            }
            fn observed(&self) -> usize {
                1
            }
        }
        let u = PartyUtility::from_utilities(vec![0.0, 0.500, 0.505, 0.509, 0.52, 1.0], None, "a").unwrap();
        assert_eq!(best_for_opponent_near(&u, 0.5, &Fav(3)), 3);
        assert_eq!(best_for_opponent_near(&u, 0.5, &Fav(4)), 1, "4 is outside [0.5, 0.51]: lowest index among equals");
        assert_eq!(best_for_opponent_near(&u, 0.511, &Fav(9)), 4, "the window widens until it holds a bid");
        assert_eq!(best_for_opponent_near(&u, 1.5, &Fav(9)), 5);
    }
}
