//! Agreement quality: how far a utility vector (an agreement, or the reservation values when
//! there is none) lies from the frontier and from the bargaining solutions — NegMAS's
//! `calc_outcome_distances` / `calc_outcome_optimality` definitions.

use crate::analysis::{Analysis, Semantics};
use crate::frontier::Frontier;
use crate::solutions::Solution;
use serde::Serialize;

/// Distances (Euclidean, in utility space) and derived scores of one utility vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementQuality {
    /// Distance to the nearest frontier point the solutions are searched in (NegMAS: rational
    /// frontier; GENIUS: full frontier); `None` when that frontier is empty.
    pub pareto_distance: Option<f64>,
    /// Distance to the nearest Nash point.
    pub nash_distance: Option<f64>,
    /// Distance to the nearest Kalai–Smorodinsky point.
    pub ks_distance: Option<f64>,
    /// Distance to the nearest egalitarian (NegMAS "Kalai") point.
    pub egalitarian_distance: Option<f64>,
    /// Sum of utilities.
    pub welfare: f64,
    /// NegMAS's fairness: `max(1 − dist/D, 0)` for the nearest of Nash, egalitarian and KS,
    /// where `D = √Σ(max_i − min_i)²` is the diagonal of the utility ranges; 1 = at a fair point.
    pub fairness: Option<f64>,
}

/// Euclidean distance between two utility vectors.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// Distance from `u` to the nearest point of `frontier` (`None` if empty).
pub fn distance_to_frontier(frontier: &Frontier, u: &[f64]) -> Option<f64> {
    frontier.iter().map(|p| distance(p.utilities, u)).min_by(f64::total_cmp)
}

/// Distance from `u` to the nearest point of a solution (`None` if it has none).
pub fn distance_to_solution(solution: &Solution, u: &[f64]) -> Option<f64> {
    solution.points.iter().map(|p| distance(&p.utilities, u)).min_by(f64::total_cmp)
}

/// Welfare: the sum of utilities.
pub fn welfare(u: &[f64]) -> f64 {
    u.iter().sum()
}

/// The quality of the utility vector `u` (one entry per analysed party, in party order).
pub fn agreement_quality(analysis: &Analysis, u: &[f64]) -> AgreementQuality {
    let searched = match analysis.semantics {
        Semantics::Negmas => {
            let rs: Vec<f64> = analysis.parties.iter().map(|p| p.reservation).collect();
            analysis.frontier.filter(|x| x.iter().zip(&rs).all(|(a, r)| a >= r))
        }
        Semantics::Genius => analysis.frontier.clone(),
    };
    let s = &analysis.solutions;
    let nash = distance_to_solution(&s.nash, u);
    let ks = distance_to_solution(&s.kalai_smorodinsky, u);
    let eg = distance_to_solution(&s.egalitarian, u);
    let diag = analysis.parties.iter().map(|p| (p.max - p.min) * (p.max - p.min)).sum::<f64>().sqrt();
    let fairness = if diag.abs() < 1e-12 {
        None
    } else {
        [nash, eg, ks].into_iter().flatten().map(|d| (1.0 - d / diag).max(0.0)).max_by(f64::total_cmp)
    };
    AgreementQuality {
        pareto_distance: distance_to_frontier(&searched, u),
        nash_distance: nash,
        ks_distance: ks,
        egalitarian_distance: eg,
        welfare: welfare(u),
        fairness,
    }
}
