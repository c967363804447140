//! Naive tit-for-tat, MiCRO and the random negotiator.

use crate::time_based::negmas_nearest_above;
use crate::util::kth_best;
use detente_protocol::{Action, Negotiator, OutcomeId, PartyUtility, View};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// NegMAS `NaiveTitForTatNegotiator` (= `SimpleTitForTatNegotiator`, negmas 0.16
/// `gb/negotiators/titfortat.py` with `KindConcessionRecommender`, `ZeroSumModel`,
/// `TFTOfferingPolicy`/`TFTAcceptancePolicy`): it mirrors the opponent in its own utility,
/// assuming a zero-sum game. With `ũ` its utility normalised over `[max(min, reservation), max]`
/// (NegMAS `eval_normalized(above_reserve=True)`: `(u − lo)·(1/(max − lo))`, 1 when the range
/// is under 1e-5) and `x = ũ(offer)` (the opponent's concession; 0 with no offer):
///
/// ```text
/// concession(round) = 0                                 round ≤ no_concession_step (0)
///                   = max(x, 0 unless punish) + kindness    round ≥ kindness_start_step (3)
///                   = (u(o₁) − u(o₂) + 1e-12)/(max − min)   otherwise (must_concede)
/// accept  iff ũ(offer) ≥ 1 − concession
/// offer   the worst outcome with u ≥ min + (1 − concession)·(max − min), or one up to 1e-6
///         below it if strictly nearer (NegMAS `worst_in`, normalised over [min, max]:
///         the reservation does not enter)
/// ```
///
/// Defaults `kindness = 0`, `punish = false`, `must_concede = true`. A concession outside
/// [−1e-6, 1 + 1e-7] or not finite is replaced by 0, as NegMAS does.
///
/// **The forced minimal concession walks.** NegMAS computes it from the ufun's cached
/// inverter: `o₁ = next_worse()`, `o₂ = next_worse()`, and `next_worse` is stateful (the first
/// call returns the best outcome, each later one the next outcome down the stable ascending
/// order). The recommender is consulted once to answer an offer (whenever there is one) and
/// once to make an offer, so in rounds 1 and 2 successive consultations use the gaps between
/// the 1st and 2nd best outcomes, then the 3rd and 4th, the 5th and 6th, … This reproduces
/// that walk exactly, consultation by consultation; past the worst outcome `next_worse`
/// returns nothing, whose utility NegMAS takes as the reserved value (−∞ when none is stated).
///
/// Reproduces NegMAS 0.16 offer by offer on `tests/negmas_pins.rs` (stable ties).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NaiveTitForTat {
    /// Added to the mirrored concession from `kindness_start_step` on.
    pub kindness: f64,
    /// Mirror negative concessions too (punish).
    pub punish: bool,
    /// NegMAS's inverter `_last_returned_from_next`: the rank (ascending) of the outcome
    /// `next_worse` returned last, `None` before the first call.
    walked: Option<usize>,
}

impl NaiveTitForTat {
    /// NegMAS defaults.
    pub const DEFAULT: NaiveTitForTat = NaiveTitForTat::new(0.0, false);

    /// With these parameters (a fresh negotiator).
    pub const fn new(kindness: f64, punish: bool) -> Self {
        NaiveTitForTat { kindness, punish, walked: None }
    }

    /// NegMAS `PresortingInverseUtilityFunction.next_worse`.
    fn next_worse(&mut self, u: &PartyUtility) -> Option<OutcomeId> {
        let n = u.n_acceptable();
        match self.walked {
            _ if n == 0 => None,
            None => {
                self.walked = Some(n - 1);
                Some(u.at_rank(n - 1))
            }
            Some(k) if k > 0 => {
                self.walked = Some(k - 1);
                Some(u.at_rank(k - 1))
            }
            Some(_) => None,
        }
    }

    /// The concession (normalised) at `round` given the opponent's offer: one consultation of
    /// NegMAS's recommender (in rounds 1 and 2 it advances the inverter walk, see the type's
    /// docs).
    pub fn concession(&mut self, v: &View<'_>, offer: Option<OutcomeId>) -> f64 {
        let u = v.utility;
        // ZeroSumModel: the partner's utility is 1 − ũ; its concession 1 − that
        let pc = offer.map_or(0.0, |o| 1.0 - (-negmas_normalized(u, u.utility(o)) + 1.0));
        let concession = if pc < 0.0 && !self.punish { 0.0 } else { pc };
        let c = if v.round == 0 {
            0.0
        } else if v.round >= 3 {
            concession + self.kindness
        } else {
            let value = |o: Option<OutcomeId>| o.map_or(u.reservation().unwrap_or(f64::NEG_INFINITY), |o| u.utility(o));
            let best = self.next_worse(u);
            let next = self.next_worse(u);
            (value(best) - value(next) + 1e-12) / (u.max() - u.min())
        };
        if c.is_finite() && (-1e-6..=1.0000001).contains(&c) {
            c
        } else {
            0.0
        }
    }
}

/// NegMAS `eval_normalized(u, above_reserve=True)` of a utility value, operation for operation.
fn negmas_normalized(u: &PartyUtility, x: f64) -> f64 {
    let r = u.reservation().unwrap_or(f64::NEG_INFINITY);
    let (mut mn, mut mx) = (u.min(), u.max());
    if mx < r {
        (mn, mx) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    } else if mn < r {
        mn = r;
    }
    let d = mx - mn;
    if d < 1e-5 {
        return if mx.is_finite() { 1.0 } else { 0.0 };
    }
    (x - mn) * (1.0 / d)
}

/// NegMAS `worst_in((target, 1), normalized=True)` on the presorting inverter: normalised over
/// `[min, max]`, a target above 1 (by at most 0.1) swapped with 1.
fn negmas_worst_in(u: &PartyUtility, target: f64) -> OutcomeId {
    let (mn, mx) = (u.min(), u.max());
    let d = mx - mn;
    let th = if d < 1e-6 { 0.0 } else { target.min(1.0) * d + mn };
    negmas_nearest_above(u, th)
}

impl Negotiator for NaiveTitForTat {
    fn act(&mut self, v: &View<'_>) -> Action {
        let u = v.utility;
        let offer = v.offer.map(|s| s.outcome);
        if let Some(o) = offer {
            let target = 1.0 - self.concession(v, Some(o));
            if v.acceptable_offer().is_some() && negmas_normalized(u, u.utility(o)) >= target {
                return Action::Accept;
            }
        }
        let target = 1.0 - self.concession(v, offer);
        Action::Offer(negmas_worst_in(u, target))
    }
}

/// MiCRO (de Jonge, "An Analysis of the Linear Bilateral ANAC Domains Using the MiCRO
/// Benchmark Strategy", IJCAI 2022; negmas 0.16 `MiCRONegotiator`): monotonic concession with
/// rational offers, one new outcome per new outcome received.
///
/// - Its outcomes walked down from the best ([`kth_best`]: among equal utilities the highest
///   index first, NegMAS's `outcome_at(k)` on its stably sorted inverter), rational ones only
///   (`u ≥ reservation`, −∞ when none is stated); `next` starts at 0.
/// - **Propose**: if the next outcome exists, is rational, and it has sent no more distinct
///   offers than it received ("ready to concede"), offer it and move on; otherwise repeat one
///   of its earlier offers chosen uniformly at random (seeded); with none to repeat it ends the
///   negotiation (NegMAS proposes nothing).
/// - **Accept** iff `u(offer) ≥ u(mine)`, `mine` = the next outcome if ready to concede, else
///   the lowest it has offered; the reservation value if that is better or there is no such
///   outcome (`accept_same`).
///
/// Reproduces NegMAS 0.16 offer by offer (`tests/negmas_pins.rs`, stable ties) up to its first
/// random repeat among two or more earlier offers: NegMAS draws it with Python's `random.choice`
/// over a set (hash order), detente with its own seeded generator, so seeded runs are not
/// expected to match from there on.
#[derive(Debug, Clone)]
pub struct Micro {
    next: usize,
    sent: Vec<OutcomeId>,
    sent_set: HashSet<OutcomeId>,
    received: HashSet<OutcomeId>,
    seen: usize,
    rng: ChaCha8Rng,
}

impl Micro {
    /// A fresh MiCRO negotiator.
    pub fn new(rng: ChaCha8Rng) -> Self {
        Micro { next: 0, sent: Vec::new(), sent_set: HashSet::new(), received: HashSet::new(), seen: 0, rng }
    }

    fn ready(&self) -> bool {
        self.sent_set.len() <= self.received.len()
    }
}

impl Negotiator for Micro {
    fn act(&mut self, v: &View<'_>) -> Action {
        let u = v.utility;
        // NegMAS's reserved value: −∞ when the party states none
        let rv = u.reservation().unwrap_or(f64::NEG_INFINITY);
        self.seen = crate::util::new_offers(v, self.seen, |_, o| {
            self.received.insert(o);
        });
        if let Some(s) = v.acceptable_offer() {
            let mine = if self.ready() { kth_best(u, self.next) } else { self.next.checked_sub(1).and_then(|k| kth_best(u, k)) };
            let mine_u = mine.map_or(rv, |m| u.utility(m)).max(rv);
            if u.utility(s.outcome) >= mine_u {
                return Action::Accept;
            }
        }
        match kth_best(u, self.next) {
            Some(o) if u.utility(o) >= rv && self.ready() => {
                self.next += 1;
                if self.sent_set.insert(o) {
                    self.sent.push(o);
                }
                Action::Offer(o)
            }
            _ if !self.sent.is_empty() => Action::Offer(self.sent[self.rng.gen_range(0..self.sent.len())]),
            // nothing rational to offer: NegMAS returns no offer, which ends the negotiation
            _ => Action::End,
        }
    }
}

/// NegMAS `RandomNegotiator` (negmas 0.16 `gb/negotiators/randneg.py`): with an offer on the
/// table it accepts with probability `p_accept` (0.15), rejects and counters with a uniformly
/// random outcome with probability `p_reject` (0.75), and ends the negotiation with the rest
/// (`p_end` = 0.1); with nothing on the table it offers a random outcome. Seeded. With red
/// lines its outcomes are drawn uniformly from the acceptable ones, and a draw to accept an
/// offer across a red line counters instead.
///
/// The same probabilities as NegMAS, not the same runs: NegMAS draws from Python's `random`,
/// detente from its own seeded generator, so no run is pinned against NegMAS.
#[derive(Debug, Clone)]
pub struct RandomNegotiator {
    /// Probability of accepting.
    pub p_accept: f64,
    /// Probability of rejecting with a counter-offer.
    pub p_reject: f64,
    rng: ChaCha8Rng,
}

impl RandomNegotiator {
    /// With these probabilities (`p_end = 1 − p_accept − p_reject`).
    pub fn new(p_accept: f64, p_reject: f64, rng: ChaCha8Rng) -> Self {
        RandomNegotiator { p_accept, p_reject, rng }
    }
}

impl Negotiator for RandomNegotiator {
    fn act(&mut self, v: &View<'_>) -> Action {
        let u = v.utility;
        if v.offer.is_some() {
            let r: f64 = self.rng.gen();
            if r < self.p_accept && v.acceptable_offer().is_some() {
                return Action::Accept;
            }
            if r >= self.p_accept + self.p_reject {
                return Action::End;
            }
        }
        if u.n_acceptable() == u.len() {
            Action::Offer(self.rng.gen_range(0..u.len() as u64))
        } else {
            Action::Offer(u.at_rank(self.rng.gen_range(0..u.n_acceptable())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{Issue, OutcomeSpace};
    use detente_protocol::{PartyUtility, Standing};

    #[test]
    fn naive_tft_concession_at_chosen_rounds() {
        let u = PartyUtility::from_utilities(vec![0.0, 0.2, 0.5, 0.9, 1.0], None, "a").unwrap();
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 4, 1)]);
        let view = |round: u32, offer: Option<OutcomeId>| View {
            me: 1,
            n_parties: 2,
            round,
            n_rounds: 10,
            time: 0.5,
            offer: offer.map(|o| Standing { outcome: o, by: 0 }),
            utility: &u,
            space: &space,
            history: &[],
        };
        let mut tft = NaiveTitForTat::DEFAULT;
        // round 0: no concession, whatever is on the table
        assert_eq!(tft.concession(&view(0, Some(2)), Some(2)), 0.0);
        // rounds 1-2: the forced minimal concession walks down the inverter, two outcomes a
        // consultation: the gap between the 1st and 2nd best, then the 3rd and 4th, then the
        // 5th and nothing (−∞ without a reservation: not finite, so no concession)
        assert_eq!(tft.concession(&view(1, Some(2)), Some(2)), (1.0 - 0.9 + 1e-12) / 1.0);
        assert_eq!(tft.concession(&view(1, None), None), (0.5 - 0.2 + 1e-12) / 1.0);
        assert_eq!(tft.concession(&view(2, Some(2)), Some(2)), 0.0);
        // from round 3: the mirror of the opponent's offer, ũ(offer) (+ kindness)
        assert_eq!(tft.concession(&view(3, Some(2)), Some(2)), 0.5);
        assert_eq!(NaiveTitForTat::new(0.1, false).concession(&view(3, Some(1)), Some(1)), (1.0 - (-0.2 + 1.0)) + 0.1);
        // acting: accept iff ũ(offer) ≥ 1 − concession; else offer the worst outcome above it
        let mut t = NaiveTitForTat::DEFAULT;
        assert_eq!(t.act(&view(3, Some(2))), Action::Accept, "0.5 ≥ 1 − 0.5");
        assert_eq!(t.act(&view(3, Some(1))), Action::Offer(3), "0.2 < 0.8: worst outcome with ũ ≥ 0.8 is 0.9");
        assert_eq!(t.act(&view(0, None)), Action::Offer(4));
        // a reservation bounds ũ from below but not the offer's normalisation ([min, max])
        let r = PartyUtility::from_utilities(vec![0.0, 0.2, 0.5, 0.9, 1.0], Some(0.5), "a").unwrap();
        assert_eq!(negmas_normalized(&r, 0.9), (0.9 - 0.5) * (1.0 / 0.5));
        assert_eq!(negmas_worst_in(&r, 0.45), 2, "th = 0.45: 0.5 is the worst above");
        assert_eq!(negmas_worst_in(&r, 0.4999995), 2, "0.5 is 5e-7 above: the worst above");
        assert_eq!(negmas_worst_in(&r, 0.5000005), 2, "0.5 is 5e-7 below and nearer than 0.9");
    }

    #[test]
    fn micro_concedes_one_outcome_per_new_offer_received() {
        use detente_protocol::Event;
        let u = PartyUtility::from_utilities(vec![0.1, 0.4, 0.6, 0.8, 1.0], Some(0.3), "a").unwrap();
        let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 4, 1)]);
        let mut m = Micro::new(rand::SeedableRng::seed_from_u64(0));
        let hist = [
            Event { round: 0, actor: 0, action: Action::Offer(0) },
            Event { round: 0, actor: 1, action: Action::Offer(4) },
            Event { round: 1, actor: 0, action: Action::Offer(0) },
            Event { round: 1, actor: 1, action: Action::Offer(3) },
            Event { round: 2, actor: 0, action: Action::Offer(0) },
        ];
        let view = |n: usize, offer: OutcomeId| View {
            me: 1,
            n_parties: 2,
            round: 0,
            n_rounds: 10,
            time: 0.5,
            offer: Some(Standing { outcome: offer, by: 0 }),
            utility: &u,
            space: &space,
            history: &hist[..n],
        };
        // received one distinct offer, sent none: concede to the best
        assert_eq!(m.act(&view(1, 0)), Action::Offer(4));
        // sent 1 distinct, received 1: it may concede once more
        assert_eq!(m.act(&view(3, 0)), Action::Offer(3));
        // the opponent repeats itself: sent 2 > received 1, so it repeats one of its own offers
        let a = m.act(&view(5, 0));
        assert!(a == Action::Offer(4) || a == Action::Offer(3), "{a:?}");
        // and it accepts an offer as good as the lowest it has offered (0.8)
        assert_eq!(m.act(&view(5, 3)), Action::Accept);
    }
}
