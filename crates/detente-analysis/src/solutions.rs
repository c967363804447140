//! Bargaining solutions on a Pareto frontier, with NegMAS's and GENIUS's exact definitions.
//!
//! Every solution is the *set* of frontier points that are optimal up to NegMAS's tolerance
//! `eps = 1e-12` (GENIUS: exact ties only), ordered by their lowest outcome index; the reported
//! deal ([`Solution::chosen`]) is the first, i.e. **ties go to the lowest outcome index**.
//!
//! NegMAS 0.16.0 (`negmas.preferences.ops`), with `ranges` = each party's (min, max) utility
//! over the whole space and `r` = reservation values:
//! - disagreement point `d_i = r_i` if `r_i` is finite and `r_i ≥ min_i`, else `min_i`; if any
//!   `max_i − d_i ≤ eps` every frontier point is returned (NegMAS's "tiny range" rule);
//! - **Nash**: maximise `Π_i (u_i − d_i)`;
//! - **Kalai** (egalitarian, NegMAS's name): maximise `min_i (u_i − d_i)` over points with every
//!   `u_i ≥ r_i`; **modified Kalai**: maximise `min_i u_i` (reservations ignored);
//! - **Kalai–Smorodinsky**: minimise `max_i a_i − min_i a_i` with `a_i = (u_i − d_i)/(max_i − d_i)`
//!   (or `u_i − d_i` when the denominator is 0); **modified KS**: `a_i = u_i / max_i` (or `u_i`);
//! - **max welfare**: maximise `Σ u_i` (tiny-range rule on the raw ranges);
//! - **max relative welfare**: maximise `Σ_i (u_i − min_i) / δ_i` with
//!   `δ_i = max_i − max(r_i, min_i)` (1 when 0), over points with every `u_i ≥ r_i` — NegMAS
//!   subtracts the *minimum*, not the reservation, in the numerator; we follow it.
//!
//! GENIUS 10.4 (`MultilateralAnalysis`): **Nash** maximises `Π_i (u_i − r_i)` over the whole
//! frontier (points below a reservation can win through the sign, as in GENIUS); the
//! **Kalai–Smorodinsky** point minimises `Σ_{i<j} |u_i − u_j|` (GENIUS's egalitarian proxy);
//! **max welfare** maximises `Σ u_i`. GENIUS has no Kalai, modified or relative-welfare
//! points; under GENIUS semantics those are computed with the NegMAS formulas above.

use crate::frontier::Frontier;
use serde::Serialize;

/// NegMAS's tolerance for ties between solution values.
pub const EPS: f64 = 1e-12;

/// An outcome (by index) and each party's utility of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRef {
    /// Outcome index (mixed radix, first issue slowest).
    pub outcome: u64,
    /// Each party's utility, in party order.
    pub utilities: Vec<f64>,
}

/// The optimal frontier points of one solution concept.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Solution {
    /// Every optimal point (within the tolerance), by ascending outcome index.
    pub points: Vec<OutcomeRef>,
}

impl Solution {
    /// The reported deal: the optimal point with the lowest outcome index.
    pub fn chosen(&self) -> Option<&OutcomeRef> {
        self.points.first()
    }

    fn from_indices(frontier: &Frontier, idx: Vec<usize>) -> Self {
        let mut points: Vec<OutcomeRef> = idx
            .into_iter()
            .map(|i| {
                let p = frontier.point(i);
                OutcomeRef { outcome: p.outcome(), utilities: p.utilities.to_vec() }
            })
            .collect();
        points.sort_by_key(|p| p.outcome);
        Solution { points }
    }
}

/// Every solution concept the analysis reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Solutions {
    /// Nash bargaining solution (maximum product of gains over the disagreement point).
    pub nash: Solution,
    /// Kalai–Smorodinsky solution.
    pub kalai_smorodinsky: Solution,
    /// KS ignoring reservations (NegMAS "modified").
    pub modified_kalai_smorodinsky: Solution,
    /// Egalitarian solution (Kalai 1977: maximum minimum gain; NegMAS "kalai").
    pub egalitarian: Solution,
    /// Egalitarian ignoring reservations (NegMAS "modified kalai").
    pub modified_egalitarian: Solution,
    /// Maximum sum of utilities.
    pub max_welfare: Solution,
    /// Maximum sum of range-normalised gains (NegMAS "max relative welfare").
    pub max_relative_welfare: Solution,
}

fn select(vals: &[f64], maximize: bool, eps: f64) -> Vec<usize> {
    let mut opt = if maximize { f64::NEG_INFINITY } else { f64::INFINITY };
    let mut found = false;
    for &v in vals {
        if (maximize && v > opt) || (!maximize && v < opt) {
            opt = v;
            found = true;
        }
    }
    if !found {
        return Vec::new();
    }
    (0..vals.len()).filter(|&i| if maximize { vals[i] >= opt - eps } else { vals[i] <= opt + eps }).collect()
}

fn disagreement(ranges: &[(f64, f64)], rs: &[f64]) -> Vec<(f64, f64)> {
    ranges.iter().zip(rs).map(|(&(lo, hi), &r)| if r.is_finite() && r >= lo { (r, hi) } else { (lo, hi) }).collect()
}

fn tiny(ranges: &[(f64, f64)]) -> bool {
    ranges.iter().any(|&(lo, hi)| hi - lo <= EPS)
}

fn below(u: &[f64], rs: &[f64]) -> bool {
    u.iter().zip(rs).any(|(u, r)| u < r)
}

fn all(frontier: &Frontier) -> Vec<usize> {
    (0..frontier.len()).collect()
}

/// NegMAS's Nash points.
pub fn negmas_nash(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64]) -> Solution {
    let dr = disagreement(ranges, rs);
    if tiny(&dr) {
        return Solution::from_indices(frontier, all(frontier));
    }
    let vals: Vec<f64> = frontier.iter().map(|p| p.utilities.iter().zip(&dr).fold(1.0, |acc, (u, (d, _))| acc * (u - d))).collect();
    Solution::from_indices(frontier, select(&vals, true, EPS))
}

/// NegMAS's Kalai (egalitarian) points; `subtract_reserved_value = false` is the modified one.
pub fn negmas_egalitarian(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64], subtract_reserved_value: bool) -> Solution {
    let dr = disagreement(ranges, rs);
    if tiny(&dr) {
        return Solution::from_indices(frontier, all(frontier));
    }
    let vals: Vec<f64> = frontier
        .iter()
        .map(|p| {
            if below(p.utilities, rs) {
                f64::NEG_INFINITY
            } else if subtract_reserved_value {
                p.utilities.iter().zip(&dr).map(|(u, (d, _))| u - d).fold(f64::INFINITY, f64::min)
            } else {
                p.utilities.iter().copied().fold(f64::INFINITY, f64::min)
            }
        })
        .collect();
    Solution::from_indices(frontier, select(&vals, true, EPS))
}

/// NegMAS's Kalai–Smorodinsky points; `subtract_reserved_value = false` is the modified one.
pub fn negmas_ks(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64], subtract_reserved_value: bool) -> Solution {
    let dr = disagreement(ranges, rs);
    if tiny(&dr) {
        return Solution::from_indices(frontier, all(frontier));
    }
    let vals: Vec<f64> = frontier
        .iter()
        .map(|p| {
            if below(p.utilities, rs) {
                return f64::INFINITY;
            }
            let adv = p.utilities.iter().zip(&dr).map(|(&u, &(d, x))| {
                if subtract_reserved_value {
                    if x - d != 0.0 {
                        (u - d) / (x - d)
                    } else {
                        u - d
                    }
                } else if x != 0.0 {
                    u / x
                } else {
                    u
                }
            });
            let (mn, mx) = adv.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
            mx - mn
        })
        .collect();
    Solution::from_indices(frontier, select(&vals, false, EPS))
}

/// NegMAS's max-welfare points.
pub fn negmas_max_welfare(frontier: &Frontier, ranges: &[(f64, f64)]) -> Solution {
    if tiny(ranges) {
        return Solution::from_indices(frontier, all(frontier));
    }
    let vals: Vec<f64> = frontier.iter().map(|p| p.utilities.iter().fold(0.0, |a, u| a + u)).collect();
    Solution::from_indices(frontier, select(&vals, true, EPS))
}

/// NegMAS's max-relative-welfare points.
pub fn negmas_max_relative_welfare(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64]) -> Solution {
    if tiny(ranges) {
        return Solution::from_indices(frontier, all(frontier));
    }
    let diffs: Vec<f64> = ranges.iter().zip(rs).map(|(&(lo, hi), &r)| hi - r.max(lo)).collect();
    let vals: Vec<f64> = frontier
        .iter()
        .map(|p| {
            if below(p.utilities, rs) {
                return f64::NEG_INFINITY;
            }
            p.utilities.iter().zip(ranges).zip(&diffs).fold(0.0, |acc, ((u, (lo, _)), &d)| acc + (u - lo) / if d != 0.0 { d } else { 1.0 })
        })
        .collect();
    Solution::from_indices(frontier, select(&vals, true, EPS))
}

/// All solutions with NegMAS semantics. `frontier` must be NegMAS's: the Pareto frontier of
/// the outcomes where every party gets at least its reservation value.
pub fn negmas_solutions(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64]) -> Solutions {
    Solutions {
        nash: negmas_nash(frontier, ranges, rs),
        kalai_smorodinsky: negmas_ks(frontier, ranges, rs, true),
        modified_kalai_smorodinsky: negmas_ks(frontier, ranges, rs, false),
        egalitarian: negmas_egalitarian(frontier, ranges, rs, true),
        modified_egalitarian: negmas_egalitarian(frontier, ranges, rs, false),
        max_welfare: negmas_max_welfare(frontier, ranges),
        max_relative_welfare: negmas_max_relative_welfare(frontier, ranges, rs),
    }
}

/// GENIUS's Nash point: maximum `Π (u_i − r_i)` over the whole frontier, exact ties only.
pub fn genius_nash(frontier: &Frontier, rs: &[f64]) -> Solution {
    let vals: Vec<f64> = frontier.iter().map(|p| p.utilities.iter().zip(rs).fold(1.0, |acc, (u, r)| acc * (u - r))).collect();
    Solution::from_indices(frontier, select(&vals, true, 0.0))
}

/// GENIUS's Kalai–Smorodinsky point: minimum `Σ_{i<j} |u_i − u_j|`, exact ties only.
pub fn genius_ks(frontier: &Frontier) -> Solution {
    let vals: Vec<f64> = frontier
        .iter()
        .map(|p| {
            let u = p.utilities;
            let mut s = 0.0;
            for i in 0..u.len() {
                for j in i + 1..u.len() {
                    s += (u[i] - u[j]).abs();
                }
            }
            s
        })
        .collect();
    Solution::from_indices(frontier, select(&vals, false, 0.0))
}

/// All solutions with GENIUS semantics over the full frontier (see the module docs).
pub fn genius_solutions(frontier: &Frontier, ranges: &[(f64, f64)], rs: &[f64]) -> Solutions {
    let vals: Vec<f64> = frontier.iter().map(|p| p.utilities.iter().fold(0.0, |a, u| a + u)).collect();
    Solutions {
        nash: genius_nash(frontier, rs),
        kalai_smorodinsky: genius_ks(frontier),
        modified_kalai_smorodinsky: negmas_ks(frontier, ranges, rs, false),
        egalitarian: negmas_egalitarian(frontier, ranges, rs, true),
        modified_egalitarian: negmas_egalitarian(frontier, ranges, rs, false),
        max_welfare: Solution::from_indices(frontier, select(&vals, true, 0.0)),
        max_relative_welfare: negmas_max_relative_welfare(frontier, ranges, rs),
    }
}
