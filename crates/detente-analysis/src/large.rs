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
//! Witnesses are kept as back-pointers and returned as value indices, so the space may have any
//! finite size ([`frontier_by_issue_dp_values`]); [`frontier_by_issue_dp`] converts them to
//! outcome indices when those fit in `u64`.
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
use serde::Serialize;

/// A frontier point found without enumeration: its utilities and one outcome attaining them,
/// as value indices (one per issue), so that spaces of any size can be described.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WitnessedPoint {
    /// Each party's utility.
    pub utilities: Vec<f64>,
    /// A witness outcome: the value index of every issue.
    pub values: Vec<u32>,
}

/// The exact Pareto frontier of an additive scenario of any finite size, without enumerating
/// its outcomes; one witness per vector, given as value indices. See the module docs for the
/// guarantee. Points are ordered like a [`Frontier`] (utilities lexicographically descending).
///
/// `names` label the parties in errors; `max_points` bounds every intermediate frontier.
pub fn frontier_by_issue_dp_values(
    space: &OutcomeSpace,
    utilities: &[&Utility],
    names: &[&str],
    max_points: usize,
) -> Result<Vec<WitnessedPoint>, AnalysisError> {
    let tables = additive_tables(space, utilities, names)?;
    let radices = space.radices().ok_or_else(|| AnalysisError::NotEnumerable { reason: "an issue is continuous (no grid)".into() })?;
    if radices.contains(&0) {
        return Err(AnalysisError::NotEnumerable { reason: "the outcome space is empty".into() });
    }
    let d = tables.len();
    // States after each issue, ordered by their witness prefix (= outcome-index order), with
    // back-pointers (parent state, value index) to rebuild the witnesses.
    let mut utils: Vec<f64> = tables.iter().map(|t| t.bias).collect();
    let mut states = 1usize;
    let mut back: Vec<Vec<(u32, u32)>> = Vec::with_capacity(radices.len());
    for (j, &radix) in radices.iter().enumerate() {
        let radix =
            u32::try_from(radix).map_err(|_| AnalysisError::NotEnumerable { reason: "an issue has more than 2^32 values".into() })?;
        // P_j: the Pareto set of this issue's value vectors, one (lowest) value per vector,
        // in ascending value order.
        let vals: Vec<f64> = (0..radix as usize).flat_map(|v| tables.iter().map(move |t| t.tables[j][v])).collect();
        let vids: Vec<u64> = (0..u64::from(radix)).collect();
        let mut pj: Vec<(u32, Vec<f64>)> = skyline(d, &vals, &vids).iter().map(|p| (p.outcome() as u32, p.utilities.to_vec())).collect();
        pj.sort_by_key(|p| p.0);
        let m = pj.len() as u64;
        let mut nu = Vec::with_capacity(states * pj.len() * d);
        let mut ni = Vec::with_capacity(states * pj.len());
        for s in 0..states {
            let state = &utils[s * d..(s + 1) * d];
            for (r, (_, p)) in pj.iter().enumerate() {
                for (x, y) in state.iter().zip(p) {
                    nu.push(x + y);
                }
                ni.push(s as u64 * m + r as u64);
            }
        }
        let f = skyline(d, &nu, &ni);
        if f.len() > max_points {
            return Err(AnalysisError::FrontierTooLarge { limit: max_points, issue: space.issues()[j].id.clone() });
        }
        // Candidate ids grow with the witness prefix, so the smallest id of a vector is its
        // lowest-index witness, and sorting by id keeps the states in outcome-index order.
        let mut kept: Vec<(u64, &[f64])> = f.iter().map(|p| (p.outcome(), p.utilities)).collect();
        kept.sort_by_key(|k| k.0);
        back.push(kept.iter().map(|&(id, _)| ((id / m) as u32, pj[(id % m) as usize].0)).collect());
        utils = kept.iter().flat_map(|k| k.1.to_vec()).collect();
        states = kept.len();
    }
    for row in utils.chunks_mut(d) {
        for (u, t) in row.iter_mut().zip(&tables) {
            if let Some((lo, hi)) = t.clamp {
                *u = u.clamp(lo, hi);
            }
        }
    }
    let ids: Vec<u64> = (0..states as u64).collect();
    let last = skyline(d, &utils, &ids);
    Ok(last
        .iter()
        .map(|p| {
            let mut values = vec![0u32; back.len()];
            let mut s = p.outcome() as usize;
            for j in (0..back.len()).rev() {
                let (parent, v) = back[j][s];
                values[j] = v;
                s = parent as usize;
            }
            WitnessedPoint { utilities: p.utilities.to_vec(), values }
        })
        .collect())
}

/// [`frontier_by_issue_dp_values`] as a [`Frontier`] with outcome indices (one witness per
/// point), for spaces whose outcome indices fit in `u64`.
pub fn frontier_by_issue_dp(
    space: &OutcomeSpace,
    utilities: &[&Utility],
    names: &[&str],
    max_points: usize,
) -> Result<Frontier, AnalysisError> {
    if space.cardinality().as_u64().is_none() {
        return Err(AnalysisError::NotEnumerable {
            reason: "the space has more than 2^64 outcomes, so outcome indices do not fit (use the value-index witnesses)".into(),
        });
    }
    let radices = space.radices().unwrap_or_default();
    let pts = frontier_by_issue_dp_values(space, utilities, names, max_points)?;
    let d = utilities.len();
    let utils: Vec<f64> = pts.iter().flat_map(|p| p.utilities.iter().copied()).collect();
    let idx: Vec<u64> = pts.iter().map(|p| p.values.iter().zip(&radices).fold(0u64, |acc, (&v, &r)| acc * r + u64::from(v))).collect();
    Ok(Frontier::of_points(d, &utils, &idx))
}

/// Refuses a space with an issue too large to tabulate, before any table is allocated.
pub(crate) fn check_tabulable(space: &OutcomeSpace) -> Result<(), AnalysisError> {
    use detente_core::limits::MAX_TABULATED_VALUES;
    match space.issues().iter().find(|i| i.cardinality().is_some_and(|n| n > MAX_TABULATED_VALUES)) {
        Some(i) => Err(AnalysisError::IssueTooLarge {
            issue: i.id.clone(),
            values: i.cardinality().unwrap_or(u64::MAX),
            limit: MAX_TABULATED_VALUES,
        }),
        None => Ok(()),
    }
}

pub(crate) fn additive_tables(space: &OutcomeSpace, utilities: &[&Utility], names: &[&str]) -> Result<Vec<AdditiveTables>, AnalysisError> {
    check_tabulable(space)?;
    utilities
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let t = u
                .additive_tables(space)
                .ok_or_else(|| AnalysisError::NotAdditive { actor: names.get(k).copied().unwrap_or("?").to_string() })?;
            if t.non_finite().is_some() {
                return Err(AnalysisError::NonFinite { actor: names.get(k).copied().unwrap_or("?").to_string() });
            }
            Ok(t)
        })
        .collect()
}
