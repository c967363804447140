//! KTAB's Spatial Model of Politics (SMP), deterministic mode.
//!
//! Source: the KAPSARC Toolkit for Behavioral Analysis (KTAB, MIT licence, © 2015 King Abdullah
//! Petroleum Studies and Research Center), `examples/smp/libsrc/smp.cpp`, `smpbcn.cpp` and
//! `KTAB/kmodel/libsrc/kmodel.cpp` (read at lsyaseen/KTAB, the fork the spec used); described in
//! Efird, Lester & Wise (2016), *J. East Asian Studies* 16:117–145, and Wise, Lester & Efird
//! (2015). Ported with attribution under the MIT licence; only the defaults of the CSV front end
//! are implemented (Linear victory probabilities, Proportional voting, Conditional PCE,
//! InitOnlyInterp bargains), with the risk range, risk anchoring, third-party commitment and
//! bargain interpolation exposed as parameters.
//!
//! One turn, from positions `p` (ideals track positions: KTAB's identity accommodation matrix):
//! 1. weighted distance `d_ij = sqrt(Σ_d (σ_id (p_id − p_jd))² / Σ_d σ_id²)`, utility
//!    `u(d, R) = (1 − d)(1 + d R)`;
//! 2. risk-neutral Condorcet probabilities of each position (votes `c_k (u_ki − u_kj)`,
//!    `P[i>j] = C(i:j)/(C(i:j)+C(j:i))`, `p_i ∝ Π_j P[i>j]`), risk attitudes from them
//!    ([`BigRRange`]), and each actor h's estimate of i's risk ([`BigRAdjust`]);
//! 3. each actor i evaluates challenging every j (principals' and third parties' contributions,
//!    [`ThirdPartyCommit`]) and targets the j with the largest expected gain above 1e-5;
//! 4. the bargain is interpolated from i's perspective ([`InterVecBrgn`], rounded to 4 decimals
//!    on the [0, 1] scale) and queued for both i and j;
//! 5. each actor picks, by a scalar PCE over its queue (its status quo first in the order KTAB
//!    builds queues), the most probable bargain and adopts its coordinate in it.
//!
//! Stops after turn t when t ≥ 100, or t ≥ 2 and `D(t)/(D(1) + 1e-4) < 0.02` with
//! `D(t) = Σ_i ‖p_i(t) − p_i(t−1)‖`. Complexity per turn O(n³·D + n²·b) with b bargains per
//! queue (≤ n + 1): the n² challenge evaluations each sum over n third parties.
//!
//! Deviations: where every position has the same Condorcet probability (all positions equal),
//! KTAB divides 0/0; here every risk attitude is then 0.
//!
//! KTAB's licence, which covers the ported parts of this module:
//!
//! > The MIT License (MIT). Copyright (c) 2015 King Abdullah Petroleum Studies and Research
//! > Center. Permission is hereby granted, free of charge, to any person obtaining a copy of this
//! > software and associated documentation files (the "Software"), to deal in the Software
//! > without restriction, including without limitation the rights to use, copy, modify, merge,
//! > publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
//! > to whom the Software is furnished to do so, subject to the following conditions: The above
//! > copyright notice and this permission notice shall be included in all copies or substantial
//! > portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
//! > EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
//! > FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT
//! > HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
//! > CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
//! > USE OR OTHER DEALINGS IN THE SOFTWARE.

use detente_core::select::argmax;
use detente_core::SalienceConvention;
use serde::Serialize;

use crate::error::ForecastError;
use crate::input::{ForecastTable, IssueShape};
use crate::model::Trajectory;

/// How risk attitudes are derived from the risk-neutral probabilities of the positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BigRRange {
    /// `R ∈ [0, 1]`.
    Min,
    /// `R ∈ [−0.5, 1]` (KTAB default).
    Mid,
    /// `R ∈ [−1, 1]`.
    Max,
}

/// How actor h estimates actor i's risk attitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BigRAdjust {
    /// `r^h_i = r_i`.
    Full,
    /// `(r_h + 2 r_i)/3`.
    TwoThirds,
    /// `(r_h + r_i)/2`.
    Half,
    /// `(2 r_h + r_i)/3` (KTAB default).
    OneThird,
    /// `r_h`.
    None,
}

/// How a third party weighs the states after a little i:j contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ThirdPartyCommit {
    /// The third party joins the winner fully.
    Full,
    /// KTAB default.
    Semi,
    /// The third party keeps its position.
    No,
}

/// How a bargain between i and j is interpolated per dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InterVecBrgn {
    /// Weights `σ·P`.
    S1P1,
    /// Weights `σ²·P²` (KTAB default; approximates the asymmetric Nash bargaining solution).
    S2P2,
    /// Moves by the probability difference.
    S2PMax,
}

/// SMP parameters (deterministic state transitions; KTAB's CSV defaults).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpParams {
    /// Risk range.
    pub big_r_range: BigRRange,
    /// Risk anchoring.
    pub big_r_adjust: BigRAdjust,
    /// Third-party commitment.
    pub third_party: ThirdPartyCommit,
    /// Bargain interpolation.
    pub interpolation: InterVecBrgn,
    /// Turn limit (KTAB: 100).
    pub max_turns: u32,
    /// Turns before the ratio rule may stop the run (KTAB: 2).
    pub min_turns: u32,
    /// Stop when the turn's movement is below this fraction of the first turn's (KTAB: 0.02).
    pub min_delta_ratio: f64,
}

impl Default for SmpParams {
    fn default() -> Self {
        SmpParams {
            big_r_range: BigRRange::Mid,
            big_r_adjust: BigRAdjust::OneThird,
            third_party: ThirdPartyCommit::Semi,
            interpolation: InterVecBrgn::S2P2,
            max_turns: 100,
            min_turns: 2,
            min_delta_ratio: 0.02,
        }
    }
}

/// One SMP actor.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpActor {
    /// Name.
    pub name: String,
    /// Capability, > 0.
    pub capability: f64,
    /// Position per dimension on 0–100.
    pub positions: Vec<f64>,
    /// Salience per dimension in [0, 1], summing to at most 1 and to more than 0.
    pub saliences: Vec<f64>,
}

/// The SMP's input: actors with a position and salience on every dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpInput {
    /// Dimension names.
    pub dims: Vec<String>,
    /// Actors.
    pub actors: Vec<SmpActor>,
}

impl SmpInput {
    /// Checks sizes and ranges (KTAB's own limits, with clear errors instead of assertions).
    pub fn validate(&self) -> Result<(), ForecastError> {
        let issue = self.dims.join("+");
        if self.actors.is_empty() {
            return Err(ForecastError::NoActors { issue });
        }
        for a in &self.actors {
            if !(a.capability.is_finite() && a.capability > 0.0) {
                return Err(ForecastError::BadCapability { actor: a.name.clone(), capability: a.capability });
            }
            if a.positions.len() != self.dims.len() || a.saliences.len() != self.dims.len() {
                return Err(ForecastError::BadParameter {
                    name: "dims",
                    value: format!("{} positions, {} saliences", a.positions.len(), a.saliences.len()),
                    expected: format!("{} of each for actor `{}`", self.dims.len(), a.name),
                });
            }
            for (d, (&x, &s)) in a.positions.iter().zip(&a.saliences).enumerate() {
                if !x.is_finite() || !(0.0..=100.0).contains(&x) {
                    return Err(ForecastError::PositionOutOfRange {
                        actor: a.name.clone(),
                        issue: self.dims[d].clone(),
                        position: x,
                        lo: 0.0,
                        hi: 100.0,
                    });
                }
                if !(0.0..=1.0).contains(&s) {
                    return Err(ForecastError::SalienceOutOfRange { actor: a.name.clone(), issue: self.dims[d].clone(), salience: s });
                }
            }
            let total: f64 = a.saliences.iter().sum();
            if !(total > 0.0 && total <= 1.0 + 1e-9) {
                return Err(ForecastError::BadParameter {
                    name: "salience",
                    value: total.to_string(),
                    expected: format!("actor `{}`'s saliences to sum to more than 0 and at most 1", a.name),
                });
            }
        }
        Ok(())
    }

    /// The SMP input for the given (non-categorical) issues of a table, and per dimension the
    /// indices (into the returned actors) of the actors that take a position there.
    ///
    /// Saliences: KTAB wants an actor's saliences to sum to at most 1 (its total attention, also
    /// its probability of resisting a challenge). Under [`SalienceConvention::AttentionShares`]
    /// they already do and are used as stated, as KTAB does. Under
    /// [`SalienceConvention::Intensities`] each issue's salience is in [0, 1] independently; they
    /// are divided by the number of dimensions, so an actor's total is its mean salience.
    /// Actors without a position on an issue get salience 0 there and, as a
    /// neutral filler, the issue's c·s weighted mean position; they are left out of that issue's
    /// reported result. Actors with zero capability or zero total salience take no part.
    pub fn from_table(table: &ForecastTable, dims: &[usize]) -> (SmpInput, Vec<Vec<usize>>) {
        let nd = match table.salience {
            SalienceConvention::Intensities => dims.len() as f64,
            SalienceConvention::AttentionShares => 1.0,
        };
        let fill: Vec<f64> = dims
            .iter()
            .map(|&k| {
                let input = table.issue_input(k);
                crate::baseline::weighted_mean(&input.positions(), &input.weights()).unwrap_or(50.0)
            })
            .collect();
        let mut actors = Vec::new();
        let mut members = vec![Vec::new(); dims.len()];
        for a in &table.actors {
            let mut saliences: Vec<f64> = dims.iter().map(|&k| a.cells[k].map_or(0.0, |(_, s)| s) / nd).collect();
            // A scenario's shares sum to at most 1 (checked on load); a Monte Carlo draw may
            // take them above, and is scaled back to a total of 1 (the slack of the load check
            // lets decimals written in a file through unchanged).
            let total: f64 = saliences.iter().sum();
            if total > 1.0 + 1e-9 {
                saliences.iter_mut().for_each(|s| *s /= total);
            }
            if a.capability.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) || saliences.iter().sum::<f64>() <= 0.0 {
                continue;
            }
            for (d, &k) in dims.iter().enumerate() {
                if a.cells[k].is_some() {
                    members[d].push(actors.len());
                }
            }
            let positions = dims.iter().enumerate().map(|(d, &k)| a.cells[k].map_or(fill[d], |(x, _)| x)).collect();
            actors.push(SmpActor { name: a.id.clone(), capability: a.capability, positions, saliences });
        }
        let dims = dims.iter().map(|&k| table.issues[k].id.clone()).collect();
        (SmpInput { dims, actors }, members)
    }
}

/// One state of an SMP run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpState {
    /// `positions[i][d]`, 0–100.
    pub positions: Vec<Vec<f64>>,
    /// Probability that actor i's position is the group's choice (KTAB's "prob" history; actors
    /// on equivalent positions share one probability, so these can sum to more than 1).
    pub position_probability: Vec<f64>,
    /// The distinct positions (indices of first occurrences) and their probabilities (sum 1).
    pub unique: Vec<(usize, f64)>,
    /// `D(t)/(D(1) + 1e-4)`, for t ≥ 1.
    pub fractional_change: Option<f64>,
}

/// A full SMP run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpRun {
    /// Actor names.
    pub actors: Vec<String>,
    /// Dimension names.
    pub dims: Vec<String>,
    /// States 0..=T.
    pub states: Vec<SmpState>,
    /// `weights[i][d]`: capability × salience of actor i on dimension d.
    pub weights: Vec<Vec<f64>>,
}

impl SmpRun {
    /// The forecast on dimension `d` from the final state, over the actors in `members`: the
    /// lower weighted median of their final positions with weights capability × salience on `d`
    /// (the Condorcet winner among the bargained positions), and the members' trajectory with
    /// their per-turn win probabilities (of their whole positions, the same on every `d`).
    ///
    /// KTAB itself reports a probability per distinct position rather than a point. That
    /// distribution is kept in [`SmpState::unique`], but it is not used as the forecast: KTAB's
    /// position equivalence (within 1e-3) is not transitive, so which positions count as distinct
    /// — and hence the distribution — depends on the actors' order, while the weighted median does
    /// not.
    pub fn issue_summary(&self, d: usize, members: &[usize]) -> (f64, Trajectory) {
        let last = self.states.last().expect("invariant: a run has at least its initial state");
        let xs: Vec<f64> = members.iter().map(|&m| last.positions[m][d]).collect();
        let ws: Vec<f64> = members.iter().map(|&m| self.weights[m][d]).collect();
        let value = crate::baseline::weighted_median(&xs, &ws).unwrap_or_else(|| xs.iter().sum::<f64>() / xs.len().max(1) as f64);
        let trajectory = Trajectory {
            actors: members.iter().map(|&m| self.actors[m].clone()).collect(),
            rounds: self.states.iter().map(|s| members.iter().map(|&m| s.positions[m][d]).collect()).collect(),
            win_probability: Some(self.states.iter().map(|s| members.iter().map(|&m| s.position_probability[m]).collect()).collect()),
        };
        (value, trajectory)
    }
}

/// KTAB's position-equivalence tolerance: 1e-3 on the [0, 1] scale.
const POS_TOL: f64 = 1e-3;

/// Utility of a normalised distance with risk attitude `r` (KTAB `bsUtil`).
fn bs_util(sd: f64, r: f64) -> f64 {
    if sd <= 1.0 {
        (1.0 - sd) * (1.0 + sd * r)
    } else {
        (1.0 - sd) * (1.0 + r)
    }
}

/// Salience-weighted distance (KTAB `bvDiff`).
fn bv_diff(a: &[f64], b: &[f64], s: &[f64]) -> f64 {
    let (mut ds, mut ss) = (0.0, 0.0);
    for d in 0..a.len() {
        let x = (a[d] - b[d]) * s[d];
        ds += x * x;
        ss += s[d] * s[d];
    }
    (ds / ss).sqrt()
}

/// Conditional PCE over options from a coalition-strength function (KTAB `coalitions`, Linear
/// `vProb`, `condPCE`): `votes(k, i, j)` is voter k's vote for option i over j.
fn scalar_pce(n_voters: usize, n_opt: usize, votes: impl Fn(usize, usize, usize) -> f64) -> Vec<f64> {
    const MIN_C: f64 = 1e-8;
    let mut c = vec![0.0; n_opt * n_opt];
    for i in 0..n_opt {
        for j in 0..i {
            let (mut cij, mut cji) = (MIN_C, MIN_C);
            for k in 0..n_voters {
                let v = votes(k, i, j);
                if v > 0.0 {
                    cij += v;
                }
                if v < 0.0 {
                    cji -= v;
                }
            }
            c[i * n_opt + j] = cij;
            c[j * n_opt + i] = cji;
        }
        c[i * n_opt + i] = MIN_C;
    }
    let mut pv = vec![0.5; n_opt * n_opt];
    for i in 0..n_opt {
        for j in 0..i {
            let (cij, cji) = (c[i * n_opt + j], c[j * n_opt + i]);
            pv[i * n_opt + j] = cij / (cij + cji);
            pv[j * n_opt + i] = cji / (cij + cji);
        }
    }
    let mut p: Vec<f64> = (0..n_opt).map(|i| (0..n_opt).map(|j| pv[i * n_opt + j]).product()).collect();
    let total: f64 = p.iter().sum();
    for x in &mut p {
        *x /= total;
    }
    p
}

/// Index of the first maximum (KTAB `ndxMaxAbs` on probabilities).
fn argmax_first(p: &[f64]) -> usize {
    argmax(p.iter().map(|x| x.abs()).enumerate()).map_or(0, |(i, _)| i)
}

/// The assessment of one state: distances, risk attitudes and every actor's utility estimates.
struct Assessment {
    n: usize,
    /// `a_util[(h * n + i) * n + j]`: h's estimate of i's utility for j's position.
    a_util: Vec<f64>,
    /// Each actor's own risk attitude.
    nra: Vec<f64>,
}

impl Assessment {
    fn u(&self, h: usize, i: usize, j: usize) -> f64 {
        self.a_util[(h * self.n + i) * self.n + j]
    }
}

fn assess(pos: &[Vec<f64>], sal: &[Vec<f64>], cap: &[f64], params: &SmpParams) -> Assessment {
    let n = pos.len();
    let mut vdiff = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            vdiff[i * n + j] = bv_diff(&pos[i], &pos[j], &sal[i]);
        }
    }
    let rn: Vec<f64> = vdiff.iter().map(|&d| bs_util(d, 0.0)).collect();
    let p = scalar_pce(n, n, |k, i, j| cap[k] * (rn[k * n + i] - rn[k * n + j]));
    let (mut p_min, mut p_max) = (1.0f64, 0.0f64);
    for &x in &p {
        p_min = p_min.min(x);
        p_max = p_max.max(x);
    }
    let nra: Vec<f64> = p
        .iter()
        .map(|&x| {
            if p_max <= p_min {
                return 0.0;
            }
            match params.big_r_range {
                BigRRange::Min => (x - p_min) / (p_max - p_min),
                BigRRange::Mid => (3.0 * x - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min)),
                BigRRange::Max => (2.0 * x - (p_max + p_min)) / (p_max - p_min),
            }
        })
        .collect();
    let est = |rh: f64, ri: f64| match params.big_r_adjust {
        BigRAdjust::Full => ri,
        BigRAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        BigRAdjust::Half => (rh + ri) / 2.0,
        BigRAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        BigRAdjust::None => rh,
    };
    let mut a_util = vec![0.0; n * n * n];
    for h in 0..n {
        for i in 0..n {
            let rhi = est(nra[h], nra[i]);
            for j in 0..n {
                a_util[(h * n + i) * n + j] = bs_util(vdiff[i * n + j], rhi);
            }
        }
    }
    Assessment { n, a_util, nra }
}

/// KTAB `probEduChlg(h, k, i, j)`: h's estimate of the probability that i beats j, and of the
/// expected gain to k of i challenging j.
#[allow(clippy::too_many_arguments)] // mirrors KTAB's signature (h, k, i, j) plus the state
fn prob_edu_chlg(a: &Assessment, cap: &[f64], stot: &[f64], tpc: ThirdPartyCommit, h: usize, k: usize, i: usize, j: usize) -> (f64, f64) {
    let (uii, uij, uji, ujj) = (a.u(h, i, i), a.u(h, i, j), a.u(h, j, i), a.u(h, j, j));
    let eu_sq = a.u(h, k, i) + a.u(h, k, j);
    let u_kij = a.u(h, k, i) + a.u(h, k, i);
    let u_kji = a.u(h, k, j) + a.u(h, k, j);
    const MIN_CLTN: f64 = 1e-10;
    let contrib_i = stot[i] * cap[i] * (uii - uij);
    let contrib_j = stot[j] * cap[j] * (uji - ujj);
    let (mut chij, mut chji) = (MIN_CLTN, MIN_CLTN);
    if contrib_i > 0.0 {
        chij += contrib_i;
    }
    if contrib_i < 0.0 {
        chji -= contrib_i;
    }
    if contrib_j > 0.0 {
        chij += contrib_j;
    }
    if contrib_j < 0.0 {
        chji -= contrib_j;
    }
    let (ci, cj) = (chij, chji);
    for nn in 0..a.n {
        if nn == i || nn == j {
            continue;
        }
        let wn = stot[nn] * cap[nn];
        let (uni, unj, unn) = (a.u(h, nn, i), a.u(h, nn, j), a.u(h, nn, nn));
        // the little contest: n adds its vote to the side it prefers
        let cn = wn * (uni - unj);
        let cni = if cn > 0.0 { ci + cn } else { ci };
        let cnj = if cn < 0.0 { cj - cn } else { cj };
        let pin = cni / (cni + cnj);
        let pjn = 1.0 - pin;
        let (ik_def_j, j_def_ik, i_def_jk, jk_def_i) = match tpc {
            ThirdPartyCommit::Full => (3.0 * uni, 3.0 * unj, 3.0 * uni, 3.0 * unj),
            ThirdPartyCommit::Semi => (uni + uni + unn, unj + unj + unj, uni + uni + uni, unj + unj + unn),
            ThirdPartyCommit::No => (uni + uni + unn, unj + unj + unn, uni + uni + unn, unj + unj + unn),
        };
        let u_ik_j = pin * ik_def_j + pjn * j_def_ik;
        let u_i_jk = pin * i_def_jk + pjn * jk_def_i;
        let vn = wn * (u_ik_j - u_i_jk);
        if vn > 0.0 {
            chij += vn;
        }
        if vn < 0.0 {
            chji -= vn;
        }
    }
    let phij = chij / (chij + chji);
    let phji = chji / (chij + chji);
    let eu_cntst = phij * u_kij + phji * u_kji;
    let eu_chlg = (1.0 - stot[j]) * u_kij + stot[j] * eu_cntst;
    (phij, eu_chlg - eu_sq)
}

fn round4(x: f64) -> f64 {
    (0.5 + x * 10000.0).floor() / 10000.0
}

/// Interpolated bargain (KTAB `interpolateBrgn`) on [0, 1] coordinates.
fn interpolate(ivb: InterVecBrgn, ti: &[f64], si: &[f64], pi: f64, tj: &[f64], sj: &[f64], pj: f64) -> (Vec<f64>, Vec<f64>) {
    const MIN_W: f64 = 1e-6;
    let mut bi = vec![0.0; ti.len()];
    let mut bj = vec![0.0; ti.len()];
    for k in 0..ti.len() {
        match ivb {
            InterVecBrgn::S1P1 | InterVecBrgn::S2P2 => {
                let e = if ivb == InterVecBrgn::S1P1 { 1 } else { 2 };
                let wik = si[k].powi(e) * pi.powi(e);
                let wjk = sj[k].powi(e) * pj.powi(e);
                bi[k] = round4(((wik + MIN_W) * ti[k] + wjk * tj[k]) / (wik + MIN_W + wjk));
                bj[k] = round4((wik * ti[k] + (MIN_W + wjk) * tj[k]) / (wik + MIN_W + wjk));
            }
            InterVecBrgn::S2PMax => {
                let di = (pj - pi).max(0.0);
                let dj = (pi - pj).max(0.0);
                let (si2, sj2) = (si[k] * si[k], sj[k] * sj[k]);
                let dik = (di * sj2) / ((di * sj2) + MIN_W + ((1.0 - di) * si2));
                let djk = (dj * si2) / ((dj * si2) + MIN_W + ((1.0 - dj) * sj2));
                bi[k] = ti[k] + dik * (tj[k] - ti[k]);
                bj[k] = tj[k] + djk * (ti[k] - tj[k]);
            }
        }
    }
    (bi, bj)
}

struct Bargain {
    init: usize,
    rcvr: usize,
    pos_init: Vec<f64>,
    pos_rcvr: Vec<f64>,
}

/// Probabilities of each position being the group choice (KTAB `pDist(-1)` and `posProb`).
fn position_probabilities(pos: &[Vec<f64>], a: &Assessment, cap: &[f64]) -> (Vec<f64>, Vec<(usize, f64)>) {
    let n = pos.len();
    let mut uniq: Vec<usize> = Vec::new();
    for i in 0..n {
        if !uniq.iter().any(|&u| unit_equivalent(&pos[i], &pos[u])) {
            uniq.push(i);
        }
    }
    let p = scalar_pce(n, uniq.len(), |k, i, j| cap[k] * (a.u(k, k, uniq[i]) - a.u(k, k, uniq[j])));
    let per_actor = (0..n)
        .map(|i| {
            // KTAB takes the last equivalent distinct position
            let k = (0..uniq.len())
                .rev()
                .find(|&j| unit_equivalent(&pos[i], &pos[uniq[j]]))
                .expect("invariant: every position is equivalent to a distinct one");
            p[k]
        })
        .collect();
    (per_actor, uniq.iter().copied().zip(p).collect())
}

fn unit_equivalent(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt() < POS_TOL
}

fn state_dist(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q) * (p - q)).sum::<f64>().sqrt()).sum()
}

/// One BCN turn (KTAB `doBCN`, deterministic, InitOnlyInterp).
fn turn(pos: &[Vec<f64>], sal: &[Vec<f64>], cap: &[f64], stot: &[f64], a: &Assessment, params: &SmpParams) -> Vec<Vec<f64>> {
    let n = pos.len();
    let mut queues: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut bargains: Vec<Bargain> = Vec::new();
    for i in 0..n {
        bargains.push(Bargain { init: i, rcvr: i, pos_init: pos[i].clone(), pos_rcvr: pos[i].clone() });
        queues[i].push(bargains.len() - 1);
        let mut best: Option<(usize, f64)> = None;
        let mut best_eu = -1.0;
        for j in 0..n {
            if j == i {
                continue;
            }
            let (p, edu) = prob_edu_chlg(a, cap, stot, params.third_party, i, i, i, j);
            if 1e-5 < edu && best_eu < edu {
                best = Some((j, p));
                best_eu = edu;
            }
        }
        if let Some((j, piij)) = best {
            let (bi, bj) = interpolate(params.interpolation, &pos[i], &sal[i], piij, &pos[j], &sal[j], 1.0 - piij);
            bargains.push(Bargain { init: i, rcvr: j, pos_init: bi, pos_rcvr: bj });
            queues[i].push(bargains.len() - 1);
            queues[j].push(bargains.len() - 1);
        }
    }
    let own_sum: Vec<f64> = (0..n).map(|h| (0..n).map(|m| a.u(h, h, m)).sum()).collect();
    let mut next = Vec::with_capacity(n);
    for (k, queue) in queues.iter().enumerate() {
        // utility to actor h of the state after bargain b: mean over all n positions
        let util = |h: usize, b: &Bargain| -> f64 {
            if b.init == b.rcvr {
                return own_sum[h] / n as f64;
            }
            let pu = |x: &[f64]| bs_util(bv_diff(&pos[h], x, &sal[h]), a.nra[h]);
            let mut u = pu(&b.pos_init) + pu(&b.pos_rcvr);
            for m in 0..n {
                if m != b.init && m != b.rcvr {
                    u += a.u(h, h, m);
                }
            }
            u / n as f64
        };
        let u_im: Vec<Vec<f64>> = (0..n).map(|h| queue.iter().map(|&b| util(h, &bargains[b])).collect()).collect();
        let p = scalar_pce(n, queue.len(), |h, x, y| cap[h] * (u_im[h][x] - u_im[h][y]));
        let b = &bargains[queue[argmax_first(&p)]];
        next.push(if b.init == b.rcvr {
            pos[k].clone()
        } else if b.init == k {
            b.pos_init.clone()
        } else {
            b.pos_rcvr.clone()
        });
    }
    next
}

/// Runs the SMP (deterministic mode) to its stopping rule.
pub fn run_smp(input: &SmpInput, params: &SmpParams) -> Result<SmpRun, ForecastError> {
    input.validate()?;
    if params.max_turns == 0 || params.min_delta_ratio.is_nan() || params.min_delta_ratio < 0.0 {
        return Err(ForecastError::BadParameter {
            name: "max_turns/min_delta_ratio",
            value: format!("{}/{}", params.max_turns, params.min_delta_ratio),
            expected: "max_turns ≥ 1 and min_delta_ratio ≥ 0".into(),
        });
    }
    let mut pos: Vec<Vec<f64>> = input.actors.iter().map(|a| a.positions.iter().map(|x| x / 100.0).collect()).collect();
    let sal: Vec<Vec<f64>> = input.actors.iter().map(|a| a.saliences.clone()).collect();
    let cap: Vec<f64> = input.actors.iter().map(|a| a.capability).collect();
    let stot: Vec<f64> = sal.iter().map(|s| s.iter().sum()).collect();
    let to_report = |p: &[Vec<f64>]| p.iter().map(|x| x.iter().map(|v| v * 100.0).collect()).collect::<Vec<Vec<f64>>>();

    let mut a = assess(&pos, &sal, &cap, params);
    let (pp, uq) = position_probabilities(&pos, &a, &cap);
    let mut states = vec![SmpState { positions: to_report(&pos), position_probability: pp, unique: uq, fractional_change: None }];
    let mut history = vec![pos.clone()];
    let mut t = 0;
    loop {
        t += 1;
        let next = turn(&pos, &sal, &cap, &stot, &a, params);
        pos = next;
        a = assess(&pos, &sal, &cap, params);
        history.push(pos.clone());
        let d01 = state_dist(&history[0], &history[1]) + 1e-4;
        let dxy = state_dist(&history[t], &history[t - 1]);
        let ratio = dxy / d01;
        let (pp, uq) = position_probabilities(&pos, &a, &cap);
        states.push(SmpState { positions: to_report(&pos), position_probability: pp, unique: uq, fractional_change: Some(ratio) });
        let too_long = params.max_turns as usize <= t;
        let quiet = params.min_turns as usize <= t && ratio < params.min_delta_ratio;
        if too_long || quiet {
            break;
        }
    }
    let weights = input.actors.iter().map(|a| a.saliences.iter().map(|s| a.capability * s).collect()).collect();
    Ok(SmpRun { actors: input.actors.iter().map(|a| a.name.clone()).collect(), dims: input.dims.clone(), states, weights })
}

/// Whether any issue of the table is spatial (SMP runs over those).
pub fn spatial_dims(table: &ForecastTable) -> Vec<usize> {
    table.issues.iter().enumerate().filter(|(_, i)| !matches!(i.shape, IssueShape::Categorical { .. })).map(|(k, _)| k).collect()
}
