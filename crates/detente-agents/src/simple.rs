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
            let n = u.len();
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
        if let Some(o) = offer {
            if normalized(v.utility, o) >= target {
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
        if let Some(s) = v.offer {
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
/// (`p_end` = 0.1); with nothing on the table it offers a random outcome. Seeded.
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
        let n = v.utility.len() as u64;
        if v.offer.is_some() {
            let r: f64 = self.rng.gen();
            if r < self.p_accept {
                return Action::Accept;
            }
            if r >= self.p_accept + self.p_reject {
                return Action::End;
            }
        }
        Action::Offer(self.rng.gen_range(0..n))
    }
}
