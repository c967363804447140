//! The one tie rule: among equally good candidates, the one with the **lowest index** wins.
//!
//! Every "best outcome", "nearest option" and "first text" in detente breaks ties this way
//! (GENIUS and NegMAS enumerate outcomes first issue slowest, so the lowest index is the one a
//! reader finds first in their listings). Candidates may come in any order: the index, not
//! the iteration order, decides a tie. A score that is not comparable with itself (NaN) never
//! wins.
//!
//! ```
//! use detente_core::select::{argmax, argmin};
//! // outcome 7 and 2 tie at 0.9: the lower index wins, whatever the order given
//! assert_eq!(argmax([(7u64, 0.9), (2, 0.9), (5, 0.1)]), Some((2, 0.9)));
//! // lexicographic scores: first by the margin, then by the objective
//! assert_eq!(argmax([(0u64, (0.0, 1.0)), (1, (0.0, 2.0))]), Some((1, (0.0, 2.0))));
//! assert_eq!(argmin([(3usize, f64::NAN), (4, 2.0)]), Some((4, 2.0)));
//! ```

/// The candidate with the largest score, ties to the lowest index; `None` when there is none
/// (or every score is NaN).
pub fn argmax<I: Ord, S: PartialOrd>(candidates: impl IntoIterator<Item = (I, S)>) -> Option<(I, S)> {
    best(candidates, |s, b| s > b)
}

/// The candidate with the smallest score, ties to the lowest index (the nearest option, the
/// smallest distance); `None` when there is none (or every score is NaN).
pub fn argmin<I: Ord, S: PartialOrd>(candidates: impl IntoIterator<Item = (I, S)>) -> Option<(I, S)> {
    best(candidates, |s, b| s < b)
}

fn best<I: Ord, S: PartialOrd>(candidates: impl IntoIterator<Item = (I, S)>, better: impl Fn(&S, &S) -> bool) -> Option<(I, S)> {
    let mut best: Option<(I, S)> = None;
    for (i, s) in candidates {
        // NaN is the one score not comparable with itself
        if s.partial_cmp(&s).is_none() {
            continue;
        }
        let wins = match &best {
            None => true,
            Some((bi, bs)) => better(&s, bs) || (s == *bs && i < *bi),
        };
        if wins {
            best = Some((i, s));
        }
    }
    best
}
