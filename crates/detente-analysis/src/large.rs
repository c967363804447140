//! Exact frontiers of spaces too large to enumerate, for additive utilities: per-issue dynamic
//! programming over Pareto sets of partial sums.
//!
//! With `u(ω) = bias + t_0[v_0] + … + t_{k−1}[v_{k−1}]` summed left to right (the order NegMAS
//! and [`detente_core::AdditiveTables::eval`] use), the state after issue `j` is the vector of
//! partial sums of every party. Let `F_j` be the Pareto set of those states (one witness per
//! distinct vector). Then `F_{j+1} = frontier(F_j ⊕ P_{j+1})`, where `P_{j+1}` is the Pareto
//! set of issue `j+1`'s per-value utility vectors, and the final clamp (if any) is applied before
//! one last frontier.
//!
//! **What it guarantees.** IEEE-754 addition (round to nearest) and the clamp are monotone in
//! each argument, so if a state (or value) weakly dominates another, every completion of it
//! weakly dominates the same completion of the other *in floating point*. Hence no pruned
//! prefix can produce a frontier vector that a kept prefix does not also produce: the result's
//! **set of utility vectors is bit-identical to the frontier of the enumerated space**. Each
//! vector carries **one witness outcome** (the lowest index among the witnesses the recursion
//! keeps), not every outcome that attains it, and not necessarily the lowest such index.
//!
//! **Cost.** `O(Σ_j |F_j| · |P_{j+1}| · log)` time and `O(max_j |F_j|)` memory, independent of
//! the number of outcomes; it fails with [`AnalysisError::FrontierTooLarge`] when an intermediate
//! frontier exceeds `max_points` (fully opposed preferences put the whole space on the frontier,
//! which no exact method can list). This is a dynamic-programming analogue of the Pareto
//! dynamic programming used for multi-objective knapsack problems (Bazgan, Hugot & Vanderpooten
//! 2009), specialised to one choice per issue.

use crate::frontier::{skyline, Frontier};
use crate::AnalysisError;
use detente_core::{AdditiveTables, OutcomeSpace, Utility, UtilityFunction};

/// The exact Pareto frontier (as a set of utility vectors, one witness outcome each) of an
/// additive scenario without enumerating its outcomes. See the module docs for the guarantee.
///
/// `names` label the parties in errors; `max_points` bounds every intermediate frontier.
pub fn frontier_by_issue_dp(
    space: &OutcomeSpace,
    utilities: &[&Utility],
    names: &[&str],
    max_points: usize,
) -> Result<Frontier, AnalysisError> {
    let tables = additive_tables(space, utilities, names)?;
    let radices = space.radices().ok_or_else(|| AnalysisError::NotEnumerable { reason: "an issue is continuous (no grid)".into() })?;
    if space.cardinality().as_u64().is_none() {
        return Err(AnalysisError::NotEnumerable { reason: "the space has more than 2^64 outcomes, so outcome indices do not fit".into() });
    }
    let d = tables.len();
    let mut utils: Vec<f64> = tables.iter().map(|t| t.bias).collect();
    let mut idx: Vec<u64> = vec![0];
    for (j, &radix) in radices.iter().enumerate() {
        // P_j: the Pareto set of this issue's value vectors (lowest value index per vector).
        let vals: Vec<f64> = (0..radix as usize).flat_map(|v| tables.iter().map(move |t| t.tables[j][v])).collect();
        let vids: Vec<u64> = (0..radix).collect();
        let pj = dedup(skyline(d, &vals, &vids));
        let mut nu = Vec::with_capacity(idx.len() * pj.len() * d);
        let mut ni = Vec::with_capacity(idx.len() * pj.len());
        for (s, &o) in idx.iter().enumerate() {
            let state = &utils[s * d..(s + 1) * d];
            for p in pj.iter() {
                for (x, y) in state.iter().zip(p.utilities) {
                    nu.push(x + y);
                }
                ni.push(o * radix + p.outcome());
            }
        }
        let f = dedup(skyline(d, &nu, &ni));
        if f.len() > max_points {
            return Err(AnalysisError::FrontierTooLarge { limit: max_points, issue: space.issues()[j].id.clone() });
        }
        utils = f.iter().flat_map(|p| p.utilities.to_vec()).collect();
        idx = f.iter().map(|p| p.outcome()).collect();
    }
    for row in utils.chunks_mut(d) {
        for (u, t) in row.iter_mut().zip(&tables) {
            if let Some((lo, hi)) = t.clamp {
                *u = u.clamp(lo, hi);
            }
        }
    }
    Ok(skyline(d, &utils, &idx))
}

/// One witness (the lowest outcome index) per frontier point.
fn dedup(f: Frontier) -> Frontier {
    let utils: Vec<f64> = f.iter().flat_map(|p| p.utilities.to_vec()).collect();
    let idx: Vec<u64> = f.iter().map(|p| p.outcome()).collect();
    Frontier::of_points(f.parties(), &utils, &idx)
}

pub(crate) fn additive_tables(space: &OutcomeSpace, utilities: &[&Utility], names: &[&str]) -> Result<Vec<AdditiveTables>, AnalysisError> {
    utilities
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let t = u
                .additive_tables(space)
                .ok_or_else(|| AnalysisError::NotAdditive { actor: names.get(k).copied().unwrap_or("?").to_string() })?;
            if !t.bias.is_finite() || t.tables.iter().flatten().any(|x| !x.is_finite()) {
                return Err(AnalysisError::NonFinite { actor: names.get(k).copied().unwrap_or("?").to_string() });
            }
            Ok(t)
        })
        .collect()
}
