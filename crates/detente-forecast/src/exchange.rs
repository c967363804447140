//! The exchange model of Stokman & Van Oosten (1994), *Equal Gain* variant, as in the Decide
//! tool (reference: the Python implementation foarsitter/decide-exchange-model,
//! `decide/model/{base,equalgain,calculations,utils}.py`; this is an independent rewrite of what
//! it computes, not a port of its code).
//!
//! Actors trade positions across issues: two actors `i`, `j` on opposite sides of the c·s weighted
//! mean (Decide's "NBS") on two issues `p`, `q` both gain when the one who cares relatively more
//! about `p` (its salience ratio `s_p / s_q` is the higher) is given a shift of the mean on `p`
//! (the other moves on `p` toward it) in return for moving on `q` toward the other. A round:
//!
//! 1. the mean of each issue, `Σ c s x / Σ c s`, on the round's start positions;
//! 2. every feasible exchange: issue pairs `p < q`, actor pairs on opposite sides of the mean on
//!    both issues (Decide's groups A–D and B–C; "left" is `x ≤ mean`), both with `c·s > 0` on both;
//! 3. the Equal Gain move sizes (below); exchanges with gain ≤ 1e-10 are dropped;
//! 4. repeatedly the exchange with the highest gain is realised; exact ties (within 1e-9 relative)
//!    are broken by a seeded [`ChaCha8Rng`] (Decide flips `random.random()`, so its runs differ);
//!    every remaining exchange on the two issues is recomputed on the moved positions and dropped
//!    when no longer valid. An actor may take part in several exchanges per round (as in Decide),
//!    but its moves on one issue within a round must all go the same way;
//! 5. the round's outcome is the mean of the voting positions; actors who moved start the next
//!    round from `x' = (1−s)·0.4·y + 0.1·y + (1 − (1−s)·0.4 − 0.1)·x` (Decide's
//!    `new_start_position`: a salient actor keeps closer to where it started).
//!
//! It stops after [`ExchangeParams::rounds`] rounds (Decide's default: 10) or after the first
//! round with no exchange (every later round would be the same).
//!
//! **Equal Gain.** Let `I` demand `p` and supply `q`, `J` demand `q` and supply `p`, `D_r = Σ c s`
//! on issue `r` and `w = c·s`. A move of `J` on `p` by `m` shifts the mean by `dp = m·w_Jp/D_p`
//! toward `I`; `I` gains `dp·s_Ip − dq·s_Iq`, `J` gains `dq·s_Jq − dp·s_Jp`. Equal gains give
//! `dq = dp·(s_Ip + s_Jp)/(s_Iq + s_Jq)`. `J` first moves all the way to `I`'s position on `p`; if
//! `I`'s matching move on `q` would pass `J`'s position, `I` moves all the way instead and `J`'s move
//! follows from the equation. Both shifts are further capped so that neither mean passes the
//! demanding actor's position (Decide's `check_nbs`).
//!
//! Saliences are read as stated (Decide's 0–1 intensities): the ratios do not depend on the
//! salience convention, only the start-position rule does.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::error::ForecastError;
use crate::input::ForecastTable;

/// Parameters of the exchange model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeParams {
    /// Maximum number of rounds (Decide's `--iterations`, default 10).
    pub rounds: usize,
    /// Seed of the tie-break between exchanges of equal gain.
    pub seed: u64,
    /// Weight of `(1 − s)` in the next start position (Decide's `SALIENCE_WEIGHT`, 0.4).
    pub salience_weight: f64,
    /// Fixed weight of the voting position in the next start position (Decide's
    /// `FIXED_WEIGHT`, 0.1).
    pub fixed_weight: f64,
}

impl Default for ExchangeParams {
    fn default() -> Self {
        ExchangeParams { rounds: 10, seed: 0, salience_weight: 0.4, fixed_weight: 0.1 }
    }
}

impl ExchangeParams {
    /// Checks the weights: each in [0, 1], summing to at most 1.
    pub fn validate(&self) -> Result<(), ForecastError> {
        for (name, v) in [("salience_weight", self.salience_weight), ("fixed_weight", self.fixed_weight)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ForecastError::BadParameter { name, value: v.to_string(), expected: "a number in [0, 1]".into() });
            }
        }
        if self.salience_weight + self.fixed_weight > 1.0 {
            return Err(ForecastError::BadParameter {
                name: "salience_weight",
                value: self.salience_weight.to_string(),
                expected: "salience_weight + fixed_weight ≤ 1".into(),
            });
        }
        Ok(())
    }
}

/// One actor's move in an exchange.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Move {
    /// Actor id.
    pub actor: String,
    /// The issue it moves on (its supply issue).
    pub issue: String,
    /// The actor it moves toward (who demands this issue).
    pub toward: String,
    /// Position before the move.
    pub from: f64,
    /// Position after the move.
    pub to: f64,
    /// How far the issue's weighted mean shifts (toward the other actor).
    pub mean_shift: f64,
}

/// One realised exchange: two moves of equal gain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exchange {
    /// Each actor's utility gain (equal by construction).
    pub gain: f64,
    /// The two moves: the first actor moves on the second's demand issue, and vice versa.
    pub moves: [Move; 2],
}

/// One round of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeRound {
    /// The exchanges realised, in the order they were.
    pub exchanges: Vec<Exchange>,
    /// Voting positions at the end of the round, `[issue][actor]` (`None`: no position).
    pub positions: Vec<Vec<Option<f64>>>,
    /// The c·s weighted mean of the voting positions per issue: the round's outcome.
    pub mean: Vec<f64>,
}

/// A run of the exchange model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeRun {
    /// Issue ids, in the order of every per-issue vector.
    pub issues: Vec<String>,
    /// Actor ids, in the order of every per-actor vector.
    pub actors: Vec<String>,
    /// The input positions, `[issue][actor]`.
    pub initial: Vec<Vec<Option<f64>>>,
    /// Round 0: the c·s weighted mean of the inputs per issue.
    pub initial_mean: Vec<f64>,
    /// The rounds with at least one exchange.
    pub rounds: Vec<ExchangeRound>,
    /// The forecast: the mean after the last round (the inputs' when no exchange is possible).
    pub final_mean: Vec<f64>,
    /// Rounds at which several exchanges had the highest gain and the seed chose.
    pub ties: usize,
    /// Each issue's units, for showing its positions ([`detente_core::Units::format_forecast`];
    /// set when the run is moved into the issues' units, the scale itself before).
    #[serde(skip)]
    units: Vec<detente_core::Units>,
}

impl ExchangeRun {
    /// The trades in words, one line per exchange: `round 1: russia moves on sanctions toward
    /// usa (80.0 → 62.0); usa moves on territory toward russia (20.0 → 35.0)`.
    pub fn trades(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (t, r) in self.rounds.iter().enumerate() {
            for e in &r.exchanges {
                let [a, b] = &e.moves;
                let m = |m: &Move| {
                    let u = self.issues.iter().position(|i| *i == m.issue).and_then(|k| self.units.get(k)).copied();
                    let x = |v: f64| u.unwrap_or(detente_core::Units::IDENTITY).format_forecast(v);
                    format!("{} moves on {} toward {} ({} → {})", m.actor, m.issue, m.toward, x(m.from), x(m.to))
                };
                out.push(format!("round {}: {}; {}", t + 1, m(a), m(b)));
            }
        }
        out
    }
}

/// Per-round state of the model over issues `d` and actors `a`.
struct State<'a> {
    /// `w[a][d] = c·s`, 0 without a position.
    w: Vec<Vec<f64>>,
    s: &'a [Vec<f64>],
    /// `Σ c s` per issue.
    den: Vec<f64>,
    /// Current positions.
    x: Vec<Vec<Option<f64>>>,
    /// Current mean per issue.
    mean: Vec<f64>,
    /// Direction of the moves made this round, per actor and issue (0: none yet).
    dir: Vec<Vec<i8>>,
}

/// A candidate exchange: `i` demands `p`, supplies `q`; `j` demands `q`, supplies `p`.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    i: usize,
    j: usize,
    p: usize,
    q: usize,
}

/// The computed moves of a candidate: `(gain, new x of i on q, new x of j on p, dq, dp)`.
type Sizing = (f64, f64, f64, f64, f64);

const EPS: f64 = 1e-10;

impl State<'_> {
    /// The Equal Gain moves of a candidate on the current positions, or `None` when it is not
    /// (or no longer) valid.
    fn size(&self, c: Candidate) -> Option<Sizing> {
        let Candidate { i, j, p, q } = c;
        let (xip, xiq, xjp, xjq) = (self.x[i][p]?, self.x[i][q]?, self.x[j][p]?, self.x[j][q]?);
        let (wjp, wiq) = (self.w[j][p], self.w[i][q]);
        let (sip, siq, sjp, sjq) = (self.s[i][p], self.s[i][q], self.s[j][p], self.s[j][q]);
        let (dist_p, dist_q) = ((xip - xjp).abs(), (xjq - xiq).abs());
        // The shifts of the means toward the demander, capped at the demander's own position
        // (the mean must not pass it) and at the full move of the supplier.
        let sign_p = (xip - xjp).signum();
        let sign_q = (xjq - xiq).signum();
        let room_p = (xip - self.mean[p]) * sign_p;
        let room_q = (xjq - self.mean[q]) * sign_q;
        if dist_p <= EPS || dist_q <= EPS || room_p <= EPS || room_q <= EPS {
            return None;
        }
        let k = (sip + sjp) / (siq + sjq);
        let dp_max = (dist_p * wjp / self.den[p]).min(room_p);
        let dq_max = (dist_q * wiq / self.den[q]).min(room_q);
        let dp = dp_max.min(dq_max / k);
        let dq = dp * k;
        let gain = dp * sip - dq * siq;
        let move_j = dp * self.den[p] / wjp;
        let move_i = dq * self.den[q] / wiq;
        if !gain.is_finite() || gain <= EPS || move_i.is_nan() || move_i <= EPS || move_j.is_nan() || move_j <= EPS {
            return None;
        }
        // An actor's moves on one issue within a round go one way (Decide's is_move_valid).
        let (di, dj) = (sign_q as i8, sign_p as i8);
        if self.dir[i][q] == -di || self.dir[j][p] == -dj {
            return None;
        }
        let yi = (xiq + sign_q * move_i.min(dist_q)).clamp(0.0, 100.0);
        let yj = (xjp + sign_p * move_j.min(dist_p)).clamp(0.0, 100.0);
        Some((gain, yi, yj, dq, dp))
    }

    fn set(&mut self, a: usize, d: usize, y: f64) {
        if let Some(x) = self.x[a][d] {
            self.mean[d] += self.w[a][d] * (y - x) / self.den[d];
            self.x[a][d] = Some(y);
        }
    }

    fn means(&mut self) {
        for d in 0..self.den.len() {
            let num: f64 = self.x.iter().zip(&self.w).filter_map(|(x, w)| x[d].map(|x| x * w[d])).sum();
            self.mean[d] = num / self.den[d];
        }
    }
}

/// Runs the exchange model over issues `dims` of the table (non-categorical ones: positions on
/// 0–100). Errors: a position outside 0–100 or salience outside [0, 1], a negative capability, an
/// issue where nobody exercises power, bad parameters.
pub fn run_exchange(table: &ForecastTable, dims: &[usize], params: &ExchangeParams) -> Result<ExchangeRun, ForecastError> {
    params.validate()?;
    let nd = dims.len();
    let na = table.actors.len();
    let mut x0 = vec![vec![None; nd]; na];
    let mut s = vec![vec![0.0; nd]; na];
    let mut w = vec![vec![0.0; nd]; na];
    for (a, actor) in table.actors.iter().enumerate() {
        if !actor.capability.is_finite() || actor.capability < 0.0 {
            return Err(ForecastError::BadCapability { actor: actor.id.clone(), capability: actor.capability });
        }
        for (d, &k) in dims.iter().enumerate() {
            let issue = table.issues.get(k).ok_or_else(|| ForecastError::Unknown {
                what: "issue index",
                id: k.to_string(),
                known: format!("0..{}", table.issues.len()),
            })?;
            let Some((x, sal)) = actor.cells.get(k).copied().flatten() else { continue };
            if !x.is_finite() || !(0.0..=100.0).contains(&x) {
                return Err(ForecastError::PositionOutOfRange {
                    actor: actor.id.clone(),
                    issue: issue.id.clone(),
                    position: x,
                    lo: 0.0,
                    hi: 100.0,
                });
            }
            if !(0.0..=1.0).contains(&sal) {
                return Err(ForecastError::SalienceOutOfRange { actor: actor.id.clone(), issue: issue.id.clone(), salience: sal });
            }
            x0[a][d] = Some(x);
            s[a][d] = sal;
            w[a][d] = sal * actor.capability;
        }
    }
    let den: Vec<f64> = (0..nd).map(|d| w.iter().map(|w| w[d]).sum()).collect();
    for (d, &k) in dims.iter().enumerate() {
        if !den[d].is_finite() || den[d] <= 0.0 {
            return Err(ForecastError::NoPower { issue: table.issues[k].id.clone() });
        }
    }
    let issues: Vec<String> = dims.iter().map(|&k| table.issues[k].id.clone()).collect();
    let actors: Vec<String> = table.actors.iter().map(|a| a.id.clone()).collect();
    let by_issue = |x: &[Vec<Option<f64>>]| (0..nd).map(|d| x.iter().map(|r| r[d]).collect()).collect::<Vec<Vec<Option<f64>>>>();
    let mut st = State { w, s: &s, den, x: x0.clone(), mean: vec![0.0; nd], dir: vec![vec![0; nd]; na] };
    st.means();
    let initial_mean = st.mean.clone();
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut rounds = Vec::new();
    let mut ties = 0;
    for _ in 0..params.rounds {
        let start = st.x.clone();
        st.means();
        st.dir.iter_mut().for_each(|r| r.iter_mut().for_each(|v| *v = 0));
        let mut live: Vec<(Candidate, Sizing)> = Vec::new();
        for p in 0..nd {
            for q in p + 1..nd {
                let left = |a: usize, d: usize| st.x[a][d].map(|x| x <= st.mean[d]);
                for a in 0..na {
                    for b in a + 1..na {
                        let (Some(ap), Some(aq), Some(bp), Some(bq)) = (left(a, p), left(a, q), left(b, p), left(b, q)) else { continue };
                        if ap == bp || aq == bq || [st.w[a][p], st.w[a][q], st.w[b][p], st.w[b][q]].iter().any(|w| w.is_nan() || *w <= 0.0)
                        {
                            continue;
                        }
                        // The demander of p is the actor with the higher ratio s_p / s_q.
                        let (i, j) = if s[a][p] * s[b][q] < s[b][p] * s[a][q] { (b, a) } else { (a, b) };
                        let c = Candidate { i, j, p, q };
                        if let Some(z) = st.size(c) {
                            live.push((c, z));
                        }
                    }
                }
            }
        }
        let mut exchanges = Vec::new();
        while !live.is_empty() {
            let best = live.iter().map(|(_, z)| z.0).fold(f64::NEG_INFINITY, f64::max);
            let tol = 1e-9 * best.abs().max(1.0);
            let tied: Vec<usize> = (0..live.len()).filter(|&k| live[k].1 .0 >= best - tol).collect();
            let pick = if tied.len() > 1 {
                ties += 1;
                tied[rng.gen_range(0..tied.len())]
            } else {
                tied[0]
            };
            let (c, (gain, yi, yj, dq, dp)) = live.swap_remove(pick);
            let (xi, xj) = (st.x[c.i][c.q].unwrap_or(yi), st.x[c.j][c.p].unwrap_or(yj));
            st.set(c.i, c.q, yi);
            st.set(c.j, c.p, yj);
            st.dir[c.i][c.q] = (yi - xi).signum() as i8;
            st.dir[c.j][c.p] = (yj - xj).signum() as i8;
            exchanges.push(Exchange {
                gain,
                moves: [
                    Move {
                        actor: actors[c.i].clone(),
                        issue: issues[c.q].clone(),
                        toward: actors[c.j].clone(),
                        from: xi,
                        to: yi,
                        mean_shift: dq,
                    },
                    Move {
                        actor: actors[c.j].clone(),
                        issue: issues[c.p].clone(),
                        toward: actors[c.i].clone(),
                        from: xj,
                        to: yj,
                        mean_shift: dp,
                    },
                ],
            });
            // Recompute the exchanges on the two issues; keep the order otherwise (swap_remove
            // changed it, but the order only matters among exact ties, which the seed decides).
            live.retain_mut(|(o, z)| {
                if o.p != c.p && o.p != c.q && o.q != c.p && o.q != c.q {
                    return true;
                }
                match st.size(*o) {
                    Some(nz) => {
                        *z = nz;
                        true
                    }
                    None => false,
                }
            });
        }
        if exchanges.is_empty() {
            break;
        }
        st.means();
        let voting = st.x.clone();
        let mean = st.mean.clone();
        // Next start positions (Decide's new_start_position) for the actor-issues that moved.
        for (a, (from, to)) in start.iter().zip(&voting).enumerate() {
            for (d, (&x, &y)) in from.iter().zip(to).enumerate() {
                if let (Some(x), Some(y)) = (x, y) {
                    if y != x {
                        let f = (1.0 - s[a][d]) * params.salience_weight + params.fixed_weight;
                        st.x[a][d] = Some((f * y + (1.0 - f) * x).clamp(0.0, 100.0));
                    }
                }
            }
        }
        rounds.push(ExchangeRound { exchanges, positions: by_issue(&voting), mean });
    }
    let final_mean = rounds.last().map_or_else(|| initial_mean.clone(), |r: &ExchangeRound| r.mean.clone());
    Ok(ExchangeRun { issues, actors, initial: by_issue(&x0), initial_mean, rounds, final_mean, ties, units: Vec::new() })
}

impl ExchangeRun {
    /// Issue `d`'s positions round by round (round 0: the inputs; then the voting positions of
    /// each round), over the actors with a position on it.
    pub fn trajectory(&self, d: usize) -> crate::model::Trajectory {
        let members: Vec<usize> = (0..self.actors.len()).filter(|&a| self.initial[d][a].is_some()).collect();
        let row = |x: &[Option<f64>]| members.iter().map(|&a| x[a].unwrap_or(f64::NAN)).collect::<Vec<f64>>();
        let mut rounds = vec![row(&self.initial[d])];
        rounds.extend(self.rounds.iter().map(|r| row(&r.positions[d])));
        crate::model::Trajectory { actors: members.iter().map(|&a| self.actors[a].clone()).collect(), rounds, win_probability: None }
    }

    /// Moves every position, mean and move of the run from the 0–100 scale it computes on into
    /// the issues' units (`units[d]` for issue `d`); gains are utilities and stay.
    pub(crate) fn convert_to_units(&mut self, units: &[detente_core::Units]) {
        let at = |d: usize, x: f64| units.get(d).map_or(x, |u| u.from_scale(x));
        let rows = |rows: &mut Vec<Vec<Option<f64>>>| {
            for (d, row) in rows.iter_mut().enumerate() {
                row.iter_mut().flatten().for_each(|x| *x = at(d, *x));
            }
        };
        rows(&mut self.initial);
        for means in [&mut self.initial_mean, &mut self.final_mean] {
            means.iter_mut().enumerate().for_each(|(d, m)| *m = at(d, *m));
        }
        for r in &mut self.rounds {
            rows(&mut r.positions);
            r.mean.iter_mut().enumerate().for_each(|(d, m)| *m = at(d, *m));
            for m in r.exchanges.iter_mut().flat_map(|e| e.moves.iter_mut()) {
                let Some(d) = self.issues.iter().position(|i| *i == m.issue) else { continue };
                (m.from, m.to) = (at(d, m.from), at(d, m.to));
                let slope = units[d].slope().abs();
                if slope > 0.0 {
                    m.mean_shift /= slope;
                }
            }
        }
        self.units = units.to_vec();
    }
}
