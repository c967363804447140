//! The baselines: capability × salience weighted mean and weighted median.
//!
//! Sources: the "compromise model" of Achen (2006) and Stokman's NBS/MDS (the weighted mean), and
//! the Condorcet winner among actors' positions under single-peaked preferences in one dimension
//! (the weighted median; Black 1948; BDM's "median voter" step, Scholz et al. 2011 §3). On EU
//! legislative data (DEU III) the weighted mean matches or beats the expected-utility model, which
//! is why every forecast is reported beside them.
//!
//! Complexity: mean O(n), median O(n log n) (one sort).

use detente_core::select::argmax;

/// `Σ wᵢ xᵢ / Σ wᵢ`; `None` when the weights sum to 0.
///
/// Summation runs in the order of `(x, w)` sorted ascending, so permuting the actors cannot change
/// a single bit of the result.
pub fn weighted_mean(xs: &[f64], ws: &[f64]) -> Option<f64> {
    let order = sorted_order(xs, ws);
    let (mut num, mut den) = (0.0, 0.0);
    for &k in &order {
        num += ws[k] * xs[k];
        den += ws[k];
    }
    (den > 0.0).then(|| clamp_to_range(num / den, xs, ws))
}

/// The lower weighted median: the smallest `x` whose cumulative weight (positions ascending) is
/// at least half the total. Equals the Condorcet winner among the actors' positions when utility
/// falls with distance. `None` when the weights sum to 0.
pub fn weighted_median(xs: &[f64], ws: &[f64]) -> Option<f64> {
    let order = sorted_order(xs, ws);
    let total: f64 = order.iter().map(|&k| ws[k]).sum();
    if total <= 0.0 {
        return None;
    }
    let mut acc = 0.0;
    for &k in &order {
        acc += ws[k];
        // Relative tolerance: a cumulative weight that is half the total up to rounding counts.
        if acc * 2.0 >= total * (1.0 - 1e-12) {
            return Some(xs[k]);
        }
    }
    order.last().map(|&k| xs[k])
}

/// The option index with the largest total weight (ties: lowest index): the forecast on a
/// categorical issue, whose positions are option indices with no order.
pub fn weighted_plurality(options: &[f64], ws: &[f64], n_options: usize) -> Option<usize> {
    let mut tally = vec![0.0; n_options];
    for (&x, &w) in options.iter().zip(ws) {
        let i = x.round();
        if i >= 0.0 && (i as usize) < n_options {
            tally[i as usize] += w;
        }
    }
    argmax(tally.into_iter().enumerate().filter(|&(_, t)| t > 0.0)).map(|(i, _)| i)
}

/// Actor indices sorted by (position, weight) — a permutation-invariant summation order.
fn sorted_order(xs: &[f64], ws: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]).then(ws[a].total_cmp(&ws[b])));
    order
}

/// Rounding can put a mean a hair outside the positions it averages; clamp it back.
fn clamp_to_range(m: f64, xs: &[f64], ws: &[f64]) -> f64 {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (&x, &w) in xs.iter().zip(ws) {
        if w > 0.0 {
            lo = lo.min(x);
            hi = hi.max(x);
        }
    }
    m.clamp(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median_by_hand() {
        let xs = [0.0, 50.0, 100.0];
        let ws = [1.0, 1.0, 2.0];
        assert_eq!(weighted_mean(&xs, &ws), Some(62.5));
        // cumulative 1, 2 (= half of 4) → 50 is the lower median
        assert_eq!(weighted_median(&xs, &ws), Some(50.0));
        assert_eq!(weighted_median(&xs, &[1.0, 1.0, 2.1]), Some(100.0));
        assert_eq!(weighted_mean(&xs, &[0.0; 3]), None);
    }

    #[test]
    fn plurality_ties_go_to_lowest_index() {
        assert_eq!(weighted_plurality(&[2.0, 0.0], &[1.0, 1.0], 3), Some(0));
        assert_eq!(weighted_plurality(&[2.0, 0.0, 2.0], &[1.0, 1.0, 0.5], 3), Some(2));
    }
}
