//! The expected-utility ("challenge") model of Bueno de Mesquita, as reconstructed by Scholz,
//! Calbert & Smith (2011), with every interpretive choice the published reconstructions disagree
//! on exposed as a named parameter ([`EuParams`]) and the known reconstructions as presets
//! ([`EuPreset`]).
//!
//! Sources: Scholz, Calbert & Smith, "Unravelling Bueno de Mesquita's group decision model",
//! ICAART 2011 pp. 18–30 (equation numbers below are theirs); BDM 1985 (APSR 79), BDM 1994 (in
//! Bueno de Mesquita & Stokman, *European Community Decision Making*, ch. 4). Written from the
//! equations; the presets were calibrated against the trajectories recorded in
//! `shared/data/spatial/vectors.json` (no third-party code is translated here).
//!
//! One round, from start-of-round positions `x` (all moves applied simultaneously at the end):
//! 1. the median μ (only used when `Q < 1`), the range `R`;
//! 2. probabilities of success `P_ij` ([`ProbabilityRule`]);
//! 3. a first pass with every risk exponent `r = 1`, giving security
//!    `Sec_i = Σ_{j≠i} E(U_ji)` and `R_i = (2Sec_i − max − min)/(max − min)`,
//!    `r_i = (1 − R_i/3)/(1 + R_i/3) ∈ [0.5, 2]` (eqs. 32–34; all Sec equal → r = 1);
//! 4. a second pass with those `r`: expected utilities of challenging
//!    `E(U_ij) = s_j[P U_s + (1−P) U_f] + (1−s_j) U_s − Q U_sq − (1−Q)[T U_b + (1−T) U_w]`
//!    (eqs. 5–7, 15–25a);
//! 5. offers by octant of `(a, b) = (E(U_ij), E(U_ji))` — confrontation, compromise (eq. 35),
//!    capitulation (when [`CapitulationRule::FullMove`]) — and each actor takes one offer
//!    ([`OfferSelection`]).
//!
//! Complexity per round: O(n³) (the `P` matrix; the issue-wide denominator of
//! [`ProbabilityRule::ScholzCode`] is computed once per pass, not per dyad, which is what makes the
//! naive reading O(n⁵)). Memory O(n²).

use detente_core::select::argmax;
use serde::Serialize;

use crate::baseline::{weighted_mean, weighted_median};
use crate::error::ForecastError;
use crate::input::IssueInput;

/// How the median μ is found (it matters only when `Q < 1`, through `U_b`, `U_w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MedianRule {
    /// The lower c·s weighted median of positions (= the Condorcet winner among positions).
    WeightedMedian,
    /// The c·s weighted mean (dmasad's choice).
    WeightedMean,
    /// The position with the largest total of pairwise votes `Σ_j v^{ij}` (eum; ties: lowest index).
    VoteArgmax,
}

/// How the probability that i prevails over j is computed (Scholz eqs. 30–31 and variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ProbabilityRule {
    /// Eq. 31 as printed: votes of i's supporters over all |votes| on the dyad; `P_ij + P_ji = 1`.
    Paper,
    /// dmasad: `max(0, net votes) / Σ|votes|` on the dyad.
    NetVotes,
    /// Scholz's own code as jmckib preserved it: risk-curved votes
    /// `c_k s_k ((|x_k−x_j|/R)^{r_k} − (|x_k−x_i|/R)^{r_k})`, supporters of i over the issue-wide
    /// sum of |votes| over every (k, a, b). `P` is tiny and `P_ij + P_ji ≠ 1`.
    ScholzCode,
}

/// Whose salience is the resistance probability in the responder's expected utility `E(U_ji)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ResponderSalience {
    /// `s_i`: the i↔j symmetry of eq. 6 (jmckib, schelling).
    Symmetric,
    /// `s_j` in both lines, as Appendix step 7 prints it (eum).
    Literal,
}

/// Whose risk exponent evaluates a dyad when the receiver decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Perspective {
    /// The receiver j evaluates both `E(U_ij)` and `E(U_ji)` with its own `r_j` (BDM's perspective
    /// calculations; reproduces jmckib).
    Receiver,
    /// Each actor's expected utility uses its own `r` (dmasad).
    Own,
}

/// Whose estimate of `E(U_ji)` enters i's security (ambiguity A2). In the two-pass scheme the
/// security pass runs with every `r = 1`, so the two readings give identical numbers; the
/// parameter is kept so that the choice is explicit and logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SecurityRule {
    /// The challengers' own expected utility `E^j(U_ji)` (§5 prose; eum, jmckib, schelling).
    Challengers,
    /// i's estimate `E^i(U_ji)` (Appendix step 8 as printed).
    Target,
}

/// What happens when both sides expect to gain from challenging (a > 0, b > 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ConflictRule {
    /// The side with the lower expected utility moves fully to the other's position.
    FullMove,
    /// Uncertain outcome, nobody moves (schelling).
    NoMove,
}

/// How a receiver picks among several offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OfferSelection {
    /// Priority confrontation lost > compromise > capitulation; least move within each class
    /// (Scholz §6.2).
    LeastMove,
    /// As `LeastMove`, but among compromises the offer with the lowest EU-weighted point
    /// `(|a| x_i + |b| x_j)/(|a| + |b|)` is taken (Scholz's code as jmckib preserved it; not
    /// reflection-symmetric).
    ScholzCode,
    /// The offer from the challenger with the highest expected utility, whatever its class; ties:
    /// least move (schelling's "most enforceable first").
    MostEnforceable,
    /// dmasad: take the highest-EU challenger's offer, then "lose" if `0 < b < a`, "compromise"
    /// if `b < 0, |b| < a`, "capitulate" if `b < 0, |b| ≥ a`, else stay.
    HighestEu,
}

/// Where a compromise moves the weaker actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompromiseRule {
    /// Eq. 35: `x_j + (x_i − x_j)·|b/a|`.
    Eq35,
    /// The EU-weighted point `(|a| x_i + |b| x_j)/(|a| + |b|)` (eum).
    EuWeighted,
}

/// Whether the capitulation branch of offer classification can fire: a challenger that expects to
/// gain (`a > 0`) against a receiver that expects to lose by more (`b < 0`, `|b| > a`).
///
/// Scholz's paper (fig. 6) has the receiver give in and move fully to the challenger's position.
/// Scholz's code as jmckib preserved it tests `eu_ji < abs(eu_ji)` where `abs(eu_ij)` is meant, a
/// condition that is always false: the branch never fires there, and a receiver whose only offers
/// lie in the capitulation region stays where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CapitulationRule {
    /// The receiver capitulates: it moves fully to the challenger's position (the paper's reading).
    FullMove,
    /// The branch never fires: no capitulation offer is made (Scholz's code, jmckib@55f63e9).
    NoMove,
}

/// Whether the range `R` is fixed at the start or recomputed each round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RangeRule {
    /// `R = max − min` of the initial positions.
    Fixed,
    /// Recomputed from each round's start positions.
    PerRound,
}

/// Every parameter of the expected-utility model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuParams {
    /// Status-quo probability `Q` ∈ [0, 1] (Scholz chose 1.0; BDM & Lalman 0.5).
    pub q: f64,
    /// μ method.
    pub median: MedianRule,
    /// P normaliser.
    pub probability: ProbabilityRule,
    /// Responder salience.
    pub responder_salience: ResponderSalience,
    /// Dyad perspective.
    pub perspective: Perspective,
    /// Security definition.
    pub security: SecurityRule,
    /// Conflict rule.
    pub conflict: ConflictRule,
    /// Capitulation switch: whether a receiver in the capitulation region gives in.
    pub capitulation: CapitulationRule,
    /// Offer selection.
    pub selection: OfferSelection,
    /// Compromise formula.
    pub compromise: CompromiseRule,
    /// Range rule.
    pub range: RangeRule,
    /// Round limit (Scholz: a fixed τ; the presets use 10).
    pub max_rounds: u32,
    /// Stop early once no actor moves by more than this in a round (`None`: always run
    /// `max_rounds`, as the published runs do).
    pub stop_tolerance: Option<f64>,
}

/// The published reconstructions, as parameter sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EuPreset {
    /// Scholz's code as preserved by jmckib/bdm-scholz-expected-utility-model (commit 55f63e9):
    /// closest to Scholz's printed Table 2 (7 of 8 rounds of the median to one decimal), and
    /// reproduces that code's trajectories (every position, median and mean each round) to 1e-9,
    /// including its capitulation branch that never fires ([`CapitulationRule::NoMove`]).
    ScholzCode,
    /// The paper read literally where it is unambiguous: eq. 31 probabilities, symmetric
    /// responder salience, least-move offer selection, eq. 35 compromises, and capitulation as
    /// the paper draws it ([`CapitulationRule::FullMove`]).
    ScholzPaper,
    /// dmasad/BDM_DecisionModel_Replication: net-vote probabilities, own-r perspective,
    /// highest-EU offer taken (a 2-cycle on the EU case).
    Dmasad,
    /// schelling's choice: confrontation produces no move; most enforceable offer first.
    NoMoveConflict,
}

impl EuPreset {
    /// Every preset.
    pub const ALL: [EuPreset; 4] = [EuPreset::ScholzCode, EuPreset::ScholzPaper, EuPreset::Dmasad, EuPreset::NoMoveConflict];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EuPreset::ScholzCode => "scholz_code",
            EuPreset::ScholzPaper => "scholz_paper",
            EuPreset::Dmasad => "dmasad",
            EuPreset::NoMoveConflict => "no_move_conflict",
        }
    }

    /// Parses a preset name.
    pub fn parse(s: &str) -> Result<Self, ForecastError> {
        EuPreset::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| ForecastError::Unknown {
            what: "expected-utility preset",
            id: s.to_string(),
            known: EuPreset::ALL.map(EuPreset::as_str).join(", "),
        })
    }

    /// The parameter set.
    pub fn params(self) -> EuParams {
        let base = EuParams {
            q: 1.0,
            median: MedianRule::WeightedMedian,
            probability: ProbabilityRule::Paper,
            responder_salience: ResponderSalience::Symmetric,
            perspective: Perspective::Receiver,
            security: SecurityRule::Challengers,
            conflict: ConflictRule::FullMove,
            capitulation: CapitulationRule::FullMove,
            selection: OfferSelection::LeastMove,
            compromise: CompromiseRule::Eq35,
            range: RangeRule::Fixed,
            max_rounds: 10,
            stop_tolerance: None,
        };
        match self {
            EuPreset::ScholzCode => EuParams {
                probability: ProbabilityRule::ScholzCode,
                selection: OfferSelection::ScholzCode,
                capitulation: CapitulationRule::NoMove,
                ..base
            },
            EuPreset::ScholzPaper => base,
            EuPreset::Dmasad => EuParams {
                median: MedianRule::WeightedMean,
                probability: ProbabilityRule::NetVotes,
                perspective: Perspective::Own,
                selection: OfferSelection::HighestEu,
                ..base
            },
            EuPreset::NoMoveConflict => EuParams { conflict: ConflictRule::NoMove, selection: OfferSelection::MostEnforceable, ..base },
        }
    }
}

impl Default for EuParams {
    fn default() -> Self {
        EuPreset::ScholzCode.params()
    }
}

impl EuParams {
    /// Checks parameter ranges.
    pub fn validate(&self) -> Result<(), ForecastError> {
        if !(0.0..=1.0).contains(&self.q) {
            return Err(ForecastError::BadParameter { name: "q", value: self.q.to_string(), expected: "a number in [0, 1]".into() });
        }
        if let Some(t) = self.stop_tolerance {
            if !(t >= 0.0 && t.is_finite()) {
                return Err(ForecastError::BadParameter {
                    name: "stop_tolerance", value: t.to_string(), expected: "a number ≥ 0".into()
                });
            }
        }
        Ok(())
    }
}

/// One round of the model: the state *after* the round's moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuRound {
    /// Round number, from 1.
    pub round: u32,
    /// Positions after the round, in actor order.
    pub positions: Vec<f64>,
    /// The risk exponents used in the round's decision pass.
    pub risk: Vec<f64>,
    /// Lower c·s weighted median of the new positions.
    pub median: f64,
    /// c·s weighted mean of the new positions.
    pub mean: f64,
}

/// A full run: the trajectory, and the forecast (BDM's "dominant outcome", the last median).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EuRun {
    /// The initial positions (round 0).
    pub initial: Vec<f64>,
    /// Median and mean of the initial positions.
    pub initial_median: f64,
    /// Weighted mean of the initial positions.
    pub initial_mean: f64,
    /// Rounds played.
    pub rounds: Vec<EuRound>,
}

impl EuRun {
    /// The forecast: the weighted median after the last round (the initial median if no round
    /// was played).
    pub fn forecast(&self) -> f64 {
        self.rounds.last().map_or(self.initial_median, |r| r.median)
    }

    /// The weighted mean after the last round, reported beside the median (Scholz's advice).
    pub fn final_mean(&self) -> f64 {
        self.rounds.last().map_or(self.initial_mean, |r| r.mean)
    }
}

#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Class {
    Confrontation = 0,
    Compromise = 1,
    Capitulation = 2,
}

struct Offer {
    class: Class,
    target: f64,
    key: f64,
    eu: f64,
}

/// Runs the model on one issue.
pub fn run_eu(input: &IssueInput, params: &EuParams) -> Result<EuRun, ForecastError> {
    input.validate()?;
    params.validate()?;
    let w = input.weights();
    let s: Vec<f64> = input.actors.iter().map(|a| a.salience).collect();
    let x = input.positions();
    let mut rounds = Vec::new();
    let (initial_median, initial_mean) = stats(&x, &w);
    simulate(&x, &w, &s, params, Some(&mut rounds));
    Ok(EuRun { initial: x, initial_median, initial_mean, rounds })
}

/// The forecast (final weighted median) only, without recording rounds: the Monte Carlo's hot
/// path. Inputs must be valid (finite positions, salience in [0, 1], weights ≥ 0 with a positive
/// total); gives exactly [`EuRun::forecast`] of [`run_eu`] on the same inputs.
pub fn eu_forecast(x: &[f64], w: &[f64], s: &[f64], params: &EuParams) -> f64 {
    simulate(x, w, s, params, None).0
}

fn stats(x: &[f64], w: &[f64]) -> (f64, f64) {
    (
        weighted_median(x, w).expect("invariant: validated total weight > 0"),
        weighted_mean(x, w).expect("invariant: validated total weight > 0"),
    )
}

/// Plays the rounds; returns the final (median, mean) and records rounds if asked.
fn simulate(x0: &[f64], w: &[f64], s: &[f64], params: &EuParams, mut record: Option<&mut Vec<EuRound>>) -> (f64, f64) {
    let mut x = x0.to_vec();
    let n = x.len();
    let range0 = spread(&x);
    let mut ws = Workspace::new(n);
    for round in 1..=params.max_rounds {
        let range = match params.range {
            RangeRule::Fixed => range0,
            RangeRule::PerRound => spread(&x),
        };
        if range <= 0.0 {
            break; // everyone agrees: nothing left to challenge
        }
        let (new, risk) = step(&x, w, s, range, params, &mut ws);
        let moved = x.iter().zip(&new).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        x = new;
        if let Some(rounds) = record.as_deref_mut() {
            let (median, mean) = stats(&x, w);
            rounds.push(EuRound { round, positions: x.clone(), risk, median, mean });
        } else if moved == 0.0 {
            // A round without moves is a fixed point: every later round would repeat it exactly.
            break;
        }
        if params.stop_tolerance.is_some_and(|t| moved <= t) {
            break;
        }
    }
    stats(&x, w)
}

fn spread(x: &[f64]) -> f64 {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    hi - lo
}

/// Scratch matrices reused across rounds.
struct Workspace {
    p: Vec<f64>,
    curved: Vec<f64>,
}

impl Workspace {
    fn new(n: usize) -> Self {
        Workspace { p: vec![0.0; n * n], curved: vec![0.0; n * n] }
    }
}

/// The terms of one expected-utility evaluation.
struct Ctx<'a> {
    x: &'a [f64],
    range: f64,
    q: f64,
    mu: f64,
}

/// `base^r`, exact and cheap for the first pass's `r = 1`.
fn powr(base: f64, r: f64) -> f64 {
    if r == 1.0 {
        base
    } else {
        base.powf(r)
    }
}

/// The utilities of one dyad at normalised distance `d` for exponent `r`: `(U_s, U_f, U_sq)`.
fn terms(d: f64, r: f64) -> (f64, f64, f64) {
    let u = |base: f64| 2.0 - 4.0 * powr(base, r);
    (u(0.5 - 0.5 * d), u(0.5 + 0.5 * d), u(0.5))
}

impl Ctx<'_> {
    /// `E(U_ij)`: i challenges j, j resists with probability `resist`, evaluated with exponent `r`
    /// and success probability `p`; `t = terms(d_ij, r)`.
    fn eu(&self, i: usize, j: usize, r: f64, resist: f64, p: f64, t: (f64, f64, f64)) -> f64 {
        let (us, uf, usq) = t;
        let challenge = resist * (p * us + (1.0 - p) * uf) + (1.0 - resist) * us;
        if self.q >= 1.0 {
            return challenge - usq;
        }
        let d = (self.x[i] - self.x[j]).abs() / self.range;
        let dm = (self.x[i] - self.mu).abs() / self.range;
        let u = |base: f64| 2.0 - 4.0 * powr(base, r);
        let ub = u(0.5 - 0.25 * (dm + d));
        let uw = u(0.5 + 0.25 * (dm + d));
        let tb = if dm < d { ub } else { uw };
        challenge - self.q * usq - (1.0 - self.q) * tb
    }

    fn d(&self, i: usize, j: usize) -> f64 {
        (self.x[i] - self.x[j]).abs() / self.range
    }
}

/// The matrix of success probabilities `P[i·n + j]` that i prevails over j, for positions `x`,
/// weights `w = c·s`, risk exponents `r` (used by [`ProbabilityRule::ScholzCode`] only) and range
/// `R` — the input of BDM's quad-map (perspective) charts. O(n³).
pub fn success_probabilities(x: &[f64], w: &[f64], r: &[f64], range: f64, rule: ProbabilityRule) -> Vec<f64> {
    let n = x.len();
    let (mut p, mut curved) = (vec![0.0; n * n], vec![0.0; n * n]);
    fill_probabilities(x, w, r, range, rule, &mut p, &mut curved);
    p
}

fn fill_probabilities(x: &[f64], w: &[f64], r: &[f64], range: f64, rule: ProbabilityRule, p: &mut [f64], curved: &mut [f64]) {
    let n = x.len();
    match rule {
        ProbabilityRule::Paper | ProbabilityRule::NetVotes => {
            for i in 0..n {
                for j in 0..n {
                    let (mut pos, mut net, mut abs) = (0.0, 0.0, 0.0);
                    for k in 0..n {
                        let v = w[k] * ((x[k] - x[j]).abs() - (x[k] - x[i]).abs());
                        pos += v.max(0.0);
                        net += v;
                        abs += v.abs();
                    }
                    let num = if rule == ProbabilityRule::Paper { pos } else { net.max(0.0) };
                    p[i * n + j] = if abs > 0.0 { num / abs } else { 0.0 };
                }
            }
        }
        ProbabilityRule::ScholzCode => {
            // curved[k][a] = (|x_k − x_a| / R)^{r_k}; vote of k for a over b = w_k (curved[k][b] − curved[k][a]).
            for k in 0..n {
                for a in 0..n {
                    curved[k * n + a] = powr((x[k] - x[a]).abs() / range, r[k]);
                }
            }
            let mut total = 0.0;
            for k in 0..n {
                let row = &curved[k * n..(k + 1) * n];
                let mut sum = 0.0;
                for a in 0..n {
                    for b in 0..n {
                        sum += (row[b] - row[a]).abs();
                    }
                }
                total += w[k] * sum;
            }
            for i in 0..n {
                for j in 0..n {
                    let mut num = 0.0;
                    for k in 0..n {
                        num += (w[k] * (curved[k * n + j] - curved[k * n + i])).max(0.0);
                    }
                    p[i * n + j] = if total > 0.0 { num / total } else { 0.0 };
                }
            }
        }
    }
}

fn median_of(x: &[f64], w: &[f64], rule: MedianRule) -> f64 {
    match rule {
        MedianRule::WeightedMedian => weighted_median(x, w).expect("invariant: validated total weight > 0"),
        MedianRule::WeightedMean => weighted_mean(x, w).expect("invariant: validated total weight > 0"),
        MedianRule::VoteArgmax => {
            let n = x.len();
            let votes = (0..n).map(|i| {
                let mut total = 0.0;
                for j in 0..n {
                    for k in 0..n {
                        total += w[k] * ((x[k] - x[j]).abs() - (x[k] - x[i]).abs());
                    }
                }
                (i, total)
            });
            x[argmax(votes).map_or(0, |(i, _)| i)]
        }
    }
}

/// Positions closer than this fraction of the range are the same position (no challenge).
const SAME_POSITION: f64 = 1e-9;

/// One round: returns the new positions and the risk exponents used.
fn step(x: &[f64], w: &[f64], s: &[f64], range: f64, params: &EuParams, ws: &mut Workspace) -> (Vec<f64>, Vec<f64>) {
    let n = x.len();
    let mu = if params.q < 1.0 { median_of(x, w, params.median) } else { 0.0 };
    let ctx = Ctx { x, range, q: params.q, mu };

    // Pass 1: every r = 1, security of each actor.
    let ones = vec![1.0; n];
    fill_probabilities(x, w, &ones, range, params.probability, &mut ws.p, &mut ws.curved);
    let sec: Vec<f64> = (0..n)
        .map(|i| {
            (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    // j challenges i; i resists with s_i. Both security readings use r = 1 here.
                    let r = match params.security {
                        SecurityRule::Challengers => ones[j],
                        SecurityRule::Target => ones[i],
                    };
                    ctx.eu(j, i, r, s[i], ws.p[j * n + i], terms(ctx.d(j, i), r))
                })
                .sum()
        })
        .collect();
    let (lo, hi) = sec.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let risk: Vec<f64> = sec
        .iter()
        .map(|&v| {
            let big_r = if hi > lo { (2.0 * v - hi - lo) / (hi - lo) } else { 0.0 };
            (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
        })
        .collect();

    // Pass 2: decisions with the new exponents.
    fill_probabilities(x, w, &risk, range, params.probability, &mut ws.p, &mut ws.curved);
    let p = &ws.p;
    let mut new = x.to_vec();
    for j in 0..n {
        let mut chosen: Option<Offer> = None;
        let consider = |offer: Offer, chosen: &mut Option<Offer>| {
            let better = match chosen {
                None => true,
                Some(c) => better_offer(&offer, c, x[j], params.selection),
            };
            if better {
                *chosen = Some(offer);
            }
        };
        for i in 0..n {
            // Actors on the same position have nothing to challenge: E(U_ij) is exactly 0 there,
            // but `p·U_s + (1 − p)·U_f` with U_s = U_f can round to ±1e-17, which would create a
            // zero-length "compromise" that outranks real offers — depending on actor order. The
            // same noise decides between near-equal positions (repeated compromises converge
            // geometrically), so positions closer than 1e-9 of the range count as the same.
            if i == j || (x[i] - x[j]).abs() <= SAME_POSITION * range {
                continue;
            }
            let (ra, rb) = match params.perspective {
                Perspective::Receiver => (risk[j], risk[j]),
                Perspective::Own => (risk[i], risk[j]),
            };
            let resist_b = match params.responder_salience {
                ResponderSalience::Symmetric => s[i],
                ResponderSalience::Literal => s[j],
            };
            let d = ctx.d(i, j);
            let ta = terms(d, ra);
            let a = ctx.eu(i, j, ra, s[j], p[i * n + j], ta);
            if a <= 0.0 {
                continue;
            }
            let tb = if rb == ra { ta } else { terms(d, rb) };
            let b = ctx.eu(j, i, rb, resist_b, p[j * n + i], tb);
            let compromise = || match params.compromise {
                CompromiseRule::Eq35 => x[j] + (x[i] - x[j]) * (b / a).abs(),
                CompromiseRule::EuWeighted => (a.abs() * x[i] + b.abs() * x[j]) / (a.abs() + b.abs()),
            };
            let key = (a.abs() * x[i] + b.abs() * x[j]) / (a.abs() + b.abs());
            let offer = if params.selection == OfferSelection::HighestEu {
                // dmasad classifies only the best challenger's offer; collect all, decide below.
                if 0.0 < b && b < a {
                    Offer { class: Class::Confrontation, target: x[i], key, eu: a }
                } else if b < 0.0 && b.abs() < a {
                    Offer { class: Class::Compromise, target: compromise(), key, eu: a }
                } else if b < 0.0 && params.capitulation == CapitulationRule::FullMove {
                    Offer { class: Class::Capitulation, target: x[i], key, eu: a }
                } else {
                    Offer { class: Class::Capitulation, target: x[j], key, eu: a }
                    // stays put
                }
            } else if b > 0.0 {
                if a > b && params.conflict == ConflictRule::FullMove {
                    Offer { class: Class::Confrontation, target: x[i], key, eu: a }
                } else {
                    continue;
                }
            } else if b < 0.0 && -b < a {
                Offer { class: Class::Compromise, target: compromise(), key, eu: a }
            } else if b < 0.0 && -b > a && params.capitulation == CapitulationRule::FullMove {
                Offer { class: Class::Capitulation, target: x[i], key, eu: a }
            } else {
                // The boundaries b = 0 and |b| = a belong to no region (the regions are open, in
                // the paper's table and in Scholz's code), and capitulation may be switched off.
                continue;
            };
            consider(offer, &mut chosen);
        }
        if let Some(o) = chosen {
            new[j] = o.target;
        }
    }
    (new, risk)
}

/// Whether `o` beats the incumbent `c` for a receiver at `xj` (strict: ties keep the earlier,
/// lower-index challenger).
fn better_offer(o: &Offer, c: &Offer, xj: f64, selection: OfferSelection) -> bool {
    let mv = |f: &Offer| (f.target - xj).abs();
    match selection {
        OfferSelection::HighestEu => o.eu > c.eu,
        OfferSelection::MostEnforceable => o.eu > c.eu || (o.eu == c.eu && mv(o) < mv(c)),
        OfferSelection::LeastMove | OfferSelection::ScholzCode => {
            if o.class != c.class {
                return o.class < c.class;
            }
            if selection == OfferSelection::ScholzCode && o.class == Class::Compromise {
                o.key < c.key
            } else {
                mv(o) < mv(c)
            }
        }
    }
}
