//! Naive tit-for-tat, MiCRO and the random negotiator.

use crate::util::{denormalize, kth_best, normalized, worst_at_least};
use detente_protocol::{Action, Negotiator, OutcomeId, View};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// NegMAS `NaiveTitForTatNegotiator` (= `SimpleTitForTatNegotiator`, negmas 0.16
/// `gb/negotiators/titfortat.py` with `KindConcessionRecommender`, `ZeroSumModel`,
/// `TFTOfferingPolicy`/`TFTAcceptancePolicy`): it mirrors the opponent in its own utility,
/// assuming a zero-sum game. With `ũ` its utility normalised over `[max(min, reservation), max]`
/// and `x = ũ(standing offer)` (the opponent's concession so far; 0 with no offer):
///
/// ```text
/// concession(round) = 0                              round ≤ no_concession_step (0)
///                   = max(x, 0 unless punish) + kindness      round ≥ kindness_start_step (3)
///                   = (u(best) − u(2nd best) + 1e-12)/(max − min)   otherwise (must_concede)
/// accept  iff ũ(offer) ≥ 1 − concession
/// offer   the worst outcome with ũ ≥ 1 − concession
/// ```
///
/// Defaults `kindness = 0`, `punish = false`, `must_concede = true`. A concession outside
/// [−1e-6, 1 + 1e-7] is replaced by 0, as NegMAS does. Difference: NegMAS's forced minimal
/// concession reads a stateful inverter (`next_worse()` twice per call, so successive calls walk
/// further down); here it is always the gap between the two best outcomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NaiveTitForTat {
    /// Added to the mirrored concession from `kindness_start_step` on.
    pub kindness: f64,
    /// Mirror negative concessions too (punish).
    pub punish: bool,
}

impl NaiveTitForTat {
    /// NegMAS defaults.
    pub const DEFAULT: NaiveTitForTat = NaiveTitForTat { kindness: 0.0, punish: false };

    /// The concession (normalised) at `round` given the opponent's offer.
    pub fn concession(&self, v: &View<'_>, offer: Option<OutcomeId>) -> f64 {
        let u = v.utility;
        let pc = offer.map_or(0.0, |o| normalized(u, o));
        let concession = if pc < 0.0 && !self.punish { 0.0 } else { pc };
        let c = if v.round == 0 {
            0.0
        } else if v.round >= 3 {
            concession + self.kindness
        } else {
            let d = u.max() - u.min();
            let n = u.n_acceptable();
            if n < 2 || d <= 0.0 {
                concession
            } else {
                (u.sorted()[n - 1] - u.sorted()[n - 2] + 1e-12) / d
            }
        };
        if c.is_finite() && (-1e-6..=1.0000001).contains(&c) {
            c
        } else {
            0.0
        }
    }
}

impl Negotiator for NaiveTitForTat {
    fn act(&mut self, v: &View<'_>) -> Action {
        let offer = v.offer.map(|s| s.outcome);
        let target = 1.0 - self.concession(v, offer);
        if let Some(s) = v.acceptable_offer() {
            if normalized(v.utility, s.outcome) >= target {
                return Action::Accept;
            }
        }
        Action::Offer(worst_at_least(v.utility, denormalize(v.utility, target)))
    }
}

/// MiCRO (de Jonge, "An Analysis of the Linear Bilateral ANAC Domains Using the MiCRO
/// Benchmark Strategy", IJCAI 2022; negmas 0.16 `MiCRONegotiator`): monotonic concession with
/// rational offers, one new outcome per new outcome received.
///
/// - Its outcomes in descending utility (ties by lowest index), rational ones only
///   (`u ≥ reservation`); `next` starts at 0.
/// - **Propose**: if the next outcome exists, is rational, and it has sent no more distinct
///   offers than it received ("ready to concede"), offer it and move on; otherwise repeat one
///   of its earlier offers chosen uniformly at random (seeded).
/// - **Accept** iff `u(offer) ≥ u(mine)`, `mine` = the next outcome if ready to concede, else
///   the lowest it has offered; the reservation value if that is better (`accept_same`).
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
        let rv = u.reservation_value();
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
        let tft = NaiveTitForTat::DEFAULT;
        // round 0: no concession, whatever is on the table
        assert_eq!(tft.concession(&view(0, Some(2)), Some(2)), 0.0);
        // rounds 1-2: the forced minimal concession, the gap between the two best outcomes
        assert_eq!(tft.concession(&view(1, Some(2)), Some(2)), (1.0 - 0.9 + 1e-12) / 1.0);
        // from round 3: the mirror of the opponent's offer, ũ(offer) (+ kindness)
        assert_eq!(tft.concession(&view(3, Some(2)), Some(2)), 0.5);
        assert_eq!(NaiveTitForTat { kindness: 0.1, punish: false }.concession(&view(3, Some(1)), Some(1)), 0.2 + 0.1);
        // acting: accept iff ũ(offer) ≥ 1 − concession; else offer the worst outcome above it
        let mut t = tft;
        assert_eq!(t.act(&view(3, Some(2))), Action::Accept, "0.5 ≥ 1 − 0.5");
        assert_eq!(t.act(&view(3, Some(1))), Action::Offer(3), "0.2 < 0.8: worst outcome with ũ ≥ 0.8 is 0.9");
        assert_eq!(t.act(&view(0, None)), Action::Offer(4));
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
