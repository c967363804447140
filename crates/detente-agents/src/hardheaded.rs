//! HardHeaded (Krimpen, Looije & Hajizadeh; winner of ANAC 2011) and Nice Tit-for-Tat
//! (Baarslag, Hindriks & Jonker, ANAC 2011), both over the HardHeaded frequency model.

use crate::boa::Acceptance;
use crate::opponent::{FrequencyModel, OpponentModel};
use crate::util::{denormalize, kth_best, normalized, radices, ranks_between, time_of_round};
use detente_core::select::argmax;
use detente_protocol::{Action, Negotiator, OutcomeId, PartyUtility, View};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

/// HardHeaded, as in GENIUS `HardHeaded_Offering` + `AC_HardHeaded` + its frequency model,
/// for undiscounted negotiations, on the party's normalised utility `ũ`:
///
/// ```text
/// Fa(t) = Ka + (1 − Ka)·t^(1/e)        Ka = 0.05, e = 0.05 (very Boulware)
/// p(t)  = minU + (1 − Fa(t))·(1 − minU)      minU = 0.585
/// ```
///
/// - **Bidding**: the first bid is the best outcome; then it walks down its outcomes in
///   descending utility, collecting the next ones that are within 0.01 below its last bid and
///   still ≥ p(t) (at least the next one if that is ≥ p(t)); when more than 4 are collected it
///   keeps the 4 the opponent model rates best; it offers them in turn. When nothing above
///   p(t) is left it repeats one of its earlier bids at random (seeded). If the opponent's best
///   bid so far (of those its red lines allow) is at least as good for it as the bid it is about
///   to make, it offers that.
/// - **Acceptance**: `ũ(offer) > ` the lowest `ũ` it has offered, or `≥ ũ(its next bid)`.
///
/// Omitted: the discount-dependent two-phase schedule (GENIUS uses it when d < 0.9).
#[derive(Debug)]
pub struct HardHeaded {
    /// `Ka`.
    pub ka: f64,
    /// `e`.
    pub e: f64,
    /// `minU` (normalised).
    pub min_u: f64,
    model: Option<FrequencyModel>,
    cursor: usize,
    last_walked: f64,
    queue: VecDeque<OutcomeId>,
    offered: Vec<OutcomeId>,
    lowest_offered: f64,
    opp_best: Option<(f64, OutcomeId)>,
    seen: usize,
    rng: ChaCha8Rng,
}

impl HardHeaded {
    /// With GENIUS's constants.
    pub fn new(rng: ChaCha8Rng) -> Self {
        HardHeaded {
            ka: 0.05,
            e: 0.05,
            min_u: 0.585,
            model: None,
            cursor: 0,
            last_walked: 1.0,
            queue: VecDeque::new(),
            offered: Vec::new(),
            lowest_offered: f64::INFINITY,
            opp_best: None,
            seen: 0,
            rng,
        }
    }

    /// The concession limit `p(t)` (normalised).
    pub fn limit(&self, t: f64) -> f64 {
        let fa = self.ka + (1.0 - self.ka) * t.powf(1.0 / self.e);
        self.min_u + (1.0 - fa) * (1.0 - self.min_u)
    }

    fn next_bid(&mut self, u: &PartyUtility, t: f64) -> OutcomeId {
        if self.offered.is_empty() {
            self.cursor = 0;
            self.last_walked = 1.0;
            return kth_best(u, 0).expect("invariant: spaces are not empty");
        }
        if self.queue.is_empty() {
            let p = self.limit(t);
            let mut collected = Vec::new();
            let mut k = self.cursor + 1;
            while let Some(o) = kth_best(u, k) {
                let x = normalized(u, o);
                if x < p || (x < self.last_walked - 0.01 && !collected.is_empty()) {
                    break;
                }
                collected.push(o);
                k += 1;
                if x < self.last_walked - 0.01 {
                    break;
                }
            }
            if collected.is_empty() {
                return self.offered[self.rng.gen_range(0..self.offered.len())];
            }
            self.cursor = k - 1;
            self.last_walked = normalized(u, *collected.last().expect("not empty"));
            if collected.len() > 4 {
                if let Some(m) = &self.model {
                    // stable sort: equal estimates keep the walk order
                    collected.sort_by(|a, b| m.eval(*b).total_cmp(&m.eval(*a)));
                }
                collected.truncate(4);
            }
            self.queue.extend(collected);
        }
        let bid = self.queue.pop_front().expect("invariant: just filled");
        match self.opp_best {
            Some((x, o)) if x >= normalized(u, bid) => o,
            _ => bid,
        }
    }
}

impl Negotiator for HardHeaded {
    fn act(&mut self, v: &View<'_>) -> Action {
        let u = v.utility;
        let model = self.model.get_or_insert_with(|| FrequencyModel::new(radices(v), 0.2));
        let mut best = self.opp_best;
        self.seen = crate::util::new_offers(v, self.seen, |_, o| {
            model.update(o);
            let x = normalized(u, o);
            if u.acceptable(o) && best.is_none_or(|(b, _)| x > b) {
                best = Some((x, o));
            }
        });
        self.opp_best = best;
        let bid = self.next_bid(u, v.time);
        if let Some(s) = v.acceptable_offer() {
            let x = normalized(u, s.outcome);
            if x > self.lowest_offered || x >= normalized(u, bid) {
                return Action::Accept;
            }
        }
        self.offered.push(bid);
        self.lowest_offered = self.lowest_offered.min(normalized(u, bid));
        Action::Offer(bid)
    }
}

/// Nice Tit-for-Tat (Baarslag, Hindriks & Jonker, "A Tit for Tat Negotiation Strategy for
/// Real-Time Bilateral Negotiations", 2013; GENIUS `NiceTitForTat_Offering`): it reciprocates
/// the opponent's concession *towards the estimated Nash point*, in its own normalised utility.
///
/// - Opening bid: its best outcome.
/// - `myNash`: its utility at the Nash point of (own `ũ`, opponent model `Û`) over the
///   outcomes its red lines allow (spaces under 200,000 outcomes; 0.7 otherwise or before any opponent bid), times
///   `1.4 − 0.6·gap` with `gap = 1 − minOppFirst`, clamped to [0.5, 1]; `minOppFirst` = the
///   lowest `ũ` among the opponent's bids at `t ≤ 0.01`, or its first bid.
/// - Target: `concedeFactor = min(1, (bestOpp − minOppFirst)/(myNash − minOppFirst))`,
///   `target = 1 − concedeFactor·(1 − myNash)`, then
///   `target −= bonus·max(0, target − myNash)`, `bonus = max(0.5 − 0.4·d, timeBonus)` with
///   `d = 1` (undiscounted) and `timeBonus = min(1, 20(t − 0.91))` after `t = 0.91` (0.85 in
///   spaces over 3,000 outcomes).
/// - Bid: among outcomes with `ũ ∈ [0.98·target, target + 0.04 + 0.01k]`, `k = 1, 2, …` widened
///   until ≥ 2 (or ≥ 1 once the top reaches 1), the one `Û` rates best (ties: lowest index);
///   the opponent's best bid instead if that is at least as good for it (and its red lines
///   allow it).
/// - Acceptance: `AC_combi_MAX_W(0.98)` (the condition the same authors found dominant). The
///   GENIUS agent's own end-game rule (a probabilistic estimate of the remaining bids) is not
///   reproduced.
///
/// The opponent model is the HardHeaded frequency model (GENIUS's default is the Scalable
/// Bayesian model; NegMAS's port uses a frequency model too). Cost: O(n·issues) per turn for
/// the Nash estimate.
#[derive(Debug)]
pub struct NiceTitForTat {
    model: Option<FrequencyModel>,
    history: Vec<(f64, f64)>,
    first_min: Option<f64>,
    opp_best: Option<(f64, OutcomeId)>,
    seen: usize,
}

impl Default for NiceTitForTat {
    fn default() -> Self {
        Self::new()
    }
}

impl NiceTitForTat {
    /// A fresh agent.
    pub fn new() -> Self {
        NiceTitForTat { model: None, history: Vec::new(), first_min: None, opp_best: None, seen: 0 }
    }

    /// `myNash` after the multiplier and clamp.
    pub fn my_nash(&self, u: &PartyUtility) -> f64 {
        let est = match &self.model {
            Some(m) if m.observed() > 0 && u.len() < 200_000 => {
                let products = (0..u.len() as u64).filter(|&o| u.acceptable(o)).filter_map(|o| {
                    let x = normalized(u, o);
                    (x >= 0.0).then(|| (o, x * m.eval(o)))
                });
                argmax(products).map_or(0.7, |(o, _)| normalized(u, o))
            }
            _ => 0.7,
        };
        let gap = 1.0 - self.first_min.unwrap_or(0.0);
        (est * (1.4 - 0.6 * gap)).clamp(0.5, 1.0)
    }

    /// The target utility (normalised) at time `t`.
    pub fn target(&self, u: &PartyUtility, t: f64) -> f64 {
        let my_nash = self.my_nash(u);
        let first = self.first_min.unwrap_or(0.0);
        let best_opp = self.opp_best.map_or(first, |b| b.0);
        let denom = my_nash - first;
        let factor = if denom <= 0.0 { 1.0 } else { ((best_opp - first) / denom).min(1.0) };
        let mut target = 1.0 - factor * (1.0 - my_nash);
        let start = if u.len() > 3000 { 0.85 } else { 0.91 };
        let time_bonus = if t > start { (20.0 * (t - start)).min(1.0) } else { 0.0 };
        let bonus = (0.5f64 - 0.4).max(time_bonus);
        target -= bonus * (target - my_nash).max(0.0);
        target
    }
}

impl Negotiator for NiceTitForTat {
    fn act(&mut self, v: &View<'_>) -> Action {
        let u = v.utility;
        let model = self.model.get_or_insert_with(|| FrequencyModel::new(radices(v), 0.2));
        let (mut best, mut first_min, history) = (self.opp_best, self.first_min, &mut self.history);
        self.seen = crate::util::new_offers(v, self.seen, |ev, o| {
            model.update(o);
            let x = normalized(u, o);
            let t = time_of_round(ev.round, v.n_rounds);
            history.push((t, x));
            if first_min.is_none() || t <= 0.01 {
                first_min = Some(first_min.map_or(x, |m: f64| m.min(x)));
            }
            if best.is_none_or(|(b, _)| x > b) {
                best = Some((x, o));
            }
        });
        self.opp_best = best;
        self.first_min = first_min;
        let bid = if self.history.is_empty() {
            kth_best(u, 0).expect("invariant: spaces are not empty")
        } else {
            let target = self.target(u, v.time);
            let m = self.model.as_ref().expect("invariant: set above");
            let mut k = 1.0;
            let pick = loop {
                let hi = target + 0.04 + 0.01 * k;
                let r = ranks_between(u, denormalize(u, 0.98 * target), denormalize(u, hi));
                if r.len() >= 2 || (!r.is_empty() && hi >= 1.0) {
                    let b = argmax(r.map(|rank| u.at_rank(rank)).map(|o| (o, m.eval(o))));
                    break b.expect("not empty").0;
                }
                if hi > 2.0 {
                    break u.best();
                }
                k += 1.0;
            };
            match self.opp_best {
                Some((x, o)) if x >= normalized(u, pick) && u.acceptable(o) => o,
                _ => pick,
            }
        };
        if let Some(s) = v.acceptable_offer() {
            if (Acceptance::CombiMaxW { t: 0.98 }).accepts(normalized(u, s.outcome), normalized(u, bid), v.time, &self.history) {
                return Action::Accept;
            }
        }
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hardheaded_limit_at_chosen_times() {
        let h = HardHeaded::new(ChaCha8Rng::seed_from_u64(0));
        // t^(1/0.05) = t^20: at t = 0.5 almost nothing is conceded
        assert_eq!(h.limit(0.0), 0.585 + (1.0 - 0.05) * (1.0 - 0.585));
        assert_eq!(h.limit(0.5), 0.585 + (1.0 - (0.05 + (1.0 - 0.05) * 0.5f64.powf(20.0))) * (1.0 - 0.585));
        assert_eq!(h.limit(1.0), 0.585);
    }

    #[test]
    fn nice_tft_target_reciprocates_towards_nash() {
        let u = PartyUtility::from_utilities((0..11).map(|i| f64::from(i) / 10.0).collect(), None, "a").unwrap();
        let mut n = NiceTitForTat::new();
        // no opponent model data: myNash = 0.7·(1.4 − 0.6·gap), gap = 1 − 0.2
        n.first_min = Some(0.2);
        n.opp_best = Some((0.2, 2));
        let my_nash = 0.7 * (1.4 - 0.6 * 0.8);
        assert_eq!(n.my_nash(&u), my_nash);
        // the opponent has not conceded: target 1, minus the 0.1 discount bonus towards myNash
        let t0 = 1.0 - (0.5 - 0.4) * (1.0 - my_nash);
        assert_eq!(n.target(&u, 0.5), t0);
        // the opponent conceded all the way to myNash: target = myNash
        n.opp_best = Some((my_nash, 7));
        assert!((n.target(&u, 0.5) - my_nash).abs() < 1e-12);
        // late: the time bonus pulls the target to myNash
        n.opp_best = Some((0.2, 2));
        assert!((n.target(&u, 0.99) - my_nash).abs() < 1e-12);
    }
}
