//! Small shared pieces: normalised utility, searches in the sorted order, decoding outcomes.

use crate::time_based::TimeBased;
use detente_protocol::{Event, OutcomeId, PartyUtility, View};

/// The party's utility normalised to [0, 1] over `[lo, hi]`, `lo = max(min u, reservation)`
/// (NegMAS `eval_normalized(above_reserve=True)`); outcomes below `lo` map below 0. A flat
/// utility maps to 1.
#[inline]
pub fn normalized(u: &PartyUtility, o: OutcomeId) -> f64 {
    normalize(u, u.utility(o))
}

/// [`normalized`] of a utility value.
#[inline]
pub(crate) fn normalize(u: &PartyUtility, x: f64) -> f64 {
    let lo = TimeBased::lo(u);
    let d = u.max() - lo;
    if d <= 0.0 {
        1.0
    } else {
        (x - lo) / d
    }
}

/// The utility value at normalised level `a`.
#[inline]
pub(crate) fn denormalize(u: &PartyUtility, a: f64) -> f64 {
    let lo = TimeBased::lo(u);
    lo + a * (u.max() - lo)
}

/// The worst acceptable outcome with utility ≥ `x` (lowest index among equals), or the best
/// acceptable outcome if none reaches `x`. O(log n).
#[inline]
pub fn worst_at_least(u: &PartyUtility, x: f64) -> OutcomeId {
    let p = u.rank_at_least(x);
    if p == u.n_acceptable() {
        u.best()
    } else {
        u.at_rank(p)
    }
}

/// The `k`-th best acceptable outcome (0 = best, [`PartyUtility::best`]), `None` past the end:
/// the sorted order read from the top. O(1).
///
/// **The tie rule** (one rule for every negotiator, NegMAS's under a stable sort): outcomes are
/// ordered by ascending utility, equal utilities by lowest outcome index
/// ([`PartyUtility::order`]). A search *up* from a utility level ("the worst outcome at least
/// this good", [`worst_at_least`]) therefore meets the lowest index among equals first, and a
/// walk *down* from the best (this function; NegMAS `outcome_at(k)`, `next_worse()`) meets
/// the highest index first.
#[inline]
pub fn kth_best(u: &PartyUtility, k: usize) -> Option<OutcomeId> {
    let n = u.n_acceptable();
    (k < n).then(|| u.at_rank(n - 1 - k))
}

/// Outcomes `o` (ascending utility rank order) with `lo ≤ u(o) ≤ hi`.
#[inline]
pub(crate) fn ranks_between(u: &PartyUtility, lo: f64, hi: f64) -> std::ops::Range<usize> {
    let a = u.rank_at_least(lo);
    let b = u.sorted().partition_point(|&y| y <= hi);
    a..b.max(a)
}

/// Decodes an outcome index into value indices (mixed radix, first issue slowest).
#[inline]
pub(crate) fn decode(radices: &[u32], mut o: OutcomeId, out: &mut [u32]) {
    for (slot, &r) in out.iter_mut().zip(radices).rev() {
        *slot = (o % u64::from(r)) as u32;
        o /= u64::from(r);
    }
}

/// Per-issue value counts of the space.
pub(crate) fn radices(v: &View<'_>) -> Vec<u32> {
    v.space.issues().iter().map(|i| i.cardinality().unwrap_or(1) as u32).collect()
}

/// Offers by other participants that appeared in `history` since position `from`, with their
/// round. Returns the new position.
pub(crate) fn new_offers(v: &View<'_>, from: usize, mut f: impl FnMut(&Event, OutcomeId)) -> usize {
    for ev in &v.history[from.min(v.history.len())..] {
        if ev.actor != v.me {
            if let detente_protocol::Action::Offer(o) = ev.action {
                f(ev, o);
            }
        }
    }
    v.history.len()
}

/// NegMAS relative time of a past round.
#[inline]
pub(crate) fn time_of_round(round: u32, n_rounds: u32) -> f64 {
    f64::from(round + 1) / (f64::from(n_rounds) + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tie_rule_walking_down_highest_index_first_searching_up_lowest_first() {
        let u = PartyUtility::from_utilities(vec![0.5, 1.0, 0.5, 1.0, 0.0], None, "a").unwrap();
        assert_eq!(u.order(), &[4, 0, 2, 1, 3]);
        let all: Vec<_> = (0..6).map(|k| kth_best(&u, k)).collect();
        assert_eq!(all, vec![Some(3), Some(1), Some(2), Some(0), Some(4), None]);
        assert_eq!(kth_best(&u, 0), Some(u.best()));
        assert_eq!(worst_at_least(&u, 0.5), 0);
        assert_eq!(worst_at_least(&u, 0.7), 1);
        assert_eq!(worst_at_least(&u, 2.0), 3, "nothing reaches: the best");
    }

    #[test]
    fn searches_and_normalisation() {
        let u = PartyUtility::from_utilities(vec![10.0, 20.0, 30.0, 20.0], Some(15.0), "a").unwrap();
        assert_eq!(normalized(&u, 2), 1.0);
        assert_eq!(normalized(&u, 1), (20.0 - 15.0) / 15.0);
        assert_eq!(denormalize(&u, 0.5), 22.5);
        assert_eq!(worst_at_least(&u, 15.0), 1);
        assert_eq!(worst_at_least(&u, 99.0), 2);
        assert_eq!(ranks_between(&u, 20.0, 20.0), 1..3);
        assert_eq!(ranks_between(&u, 21.0, 20.0), 3..3);
        let mut out = [0; 3];
        decode(&[2, 3, 4], 23, &mut out);
        assert_eq!(out, [1, 2, 3]);
    }
}
