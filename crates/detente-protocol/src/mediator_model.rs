//! What a mediator that sees only votes and counter-proposals learns of the parties'
//! preferences (`mediation-protocols.md`, "What the mediator knows": the `votes` setting).
//!
//! [`MediatorModel`] knows the structure of the outcome space — the issues and how many values
//! each has — and nothing of any party's utility. It observes, per party:
//!
//! - [`vote`](MediatorModel::vote)`(party, candidate, text, yes)` — a single-text vote on a
//!   candidate against the current text;
//! - [`counter`](MediatorModel::counter)`(party, text, counter)` — a shuttle counter-proposal to
//!   a presented text;
//! - [`verdict`](MediatorModel::verdict)`(party, text, accepted)` — an answer on a text alone: a
//!   ratification vote, or a shuttle `Accept`.
//!
//! and estimates each party's utility as an **additive** function of the issue values, in
//! `[0, 1]` ([`estimate`](MediatorModel::estimate)), the probability that a party votes yes on
//! a candidate against a text ([`p_yes`](MediatorModel::p_yes)), a party's walk-away level on
//! the same scale ([`reservation`](MediatorModel::reservation)), and the mediator's objective
//! under the estimate ([`objective`](MediatorModel::objective)).
//!
//! # Method
//!
//! Two channels, pooled.
//!
//! **Comparisons (Bayesian, every observation that compares two outcomes).** Each party's
//! utility is modelled as `Σ_j θ_j[o_j]`, one latent score per issue value, with independent
//! Gaussian beliefs `θ_j[v] ~ N(μ, σ²)` (prior `N(0, prior_sd²)`). A comparison of `a` against
//! `b` is a Thurstone–Mosteller (probit) observation of the sign of
//! `d = Σ_{j: a_j ≠ b_j} (θ_j[a_j] − θ_j[b_j]) + ε`, `ε ~ N(0, noise_sd²)`; the posterior is
//! projected back onto independent Gaussians by moment matching (assumed-density filtering,
//! Minka 2001 — the update of TrueSkill, Herbrich, Minka & Graepel 2006, with the issues that
//! differ as the two "teams" and no draw margin). With `m = Σ (μ_a − μ_b)`,
//! `c² = noise_sd² + Σ (σ_a² + σ_b²)`, `t = s·m/c` (`s = +1` if `a` won, `−1` if not),
//! `v = φ(t)/Φ(t)`, `w = v·(v + t)`: each score of `a` moves by `+s·σ²/c·v`, each of `b` by
//! `−s·σ²/c·v`, and each variance shrinks by the factor `1 − σ²/c²·w`. A **yes vote** is the
//! observation `candidate ≽ text`, a **no vote** `text ≻ candidate` (the spec's default voter
//! is exactly "yes iff `u(candidate) ≥ u(text)`"), and a **counter-proposal** `counter ≻ text`
//! (a party counters because the text is not good enough for it now and the counter is).
//! Outcomes that differ on no issue teach nothing.
//!
//! Why this rather than a perceptron or logistic regression on one-hot differences (the other
//! candidates): the votes a mediator sees are few and each is a single bit, so the update must
//! weigh a bit by how surprising it is (ADF does: `v(t)` is large when the estimate predicted the
//! other answer and near zero when it predicted this one, where a perceptron ignores correct
//! predictions and SGD needs a step size); it keeps a per-value uncertainty, so values never
//! put to a vote stay uncertain rather than looking neutral; it gives the probability of a yes
//! in closed form, `Φ(m/c)`, which is what a mediator choosing candidates needs; and it is one
//! pass, deterministic, O(issues that differ) per observation, with no learning rate. The
//! noise term is what lets time-dependent voters (who accept small losses late in the talks)
//! and red lines (a "no" to an otherwise good text) be absorbed without breaking the
//! estimate. Truthful votes on additive preferences — every built-in utility except the
//! explicit table is additive — are exactly representable by the model.
//!
//! **Frequency (counter-proposals only).** The HardHeaded frequency model (van Krimpen,
//! Looije & Hajizadeh, ANAC 2011; analysed in Baarslag, Hendrikx, Hindriks & Jonker, "Predicting
//! the performance of opponent models in automated negotiation", 2013, where it is among the
//! best): issue weights start at `1/n`; from the second counter-proposal on, with `g = l/n` and
//! `k` issues unchanged since the previous one, `total = 1 + g·k`, an unchanged issue whose
//! weight is below `1 − n·g/total` gets `(w + g)/total`, every other `w/total` (a conceding
//! party keeps its important issues fixed and concedes on the others); the count of each value
//! the counter names grows by one — from the first counter on (GENIUS counts from the second:
//! the first counter is a party's clearest statement of what it wants). Its estimate
//! `Σ_j w_j·n_j[o_j]/max n_j`, rescaled to `[0, 1]`. This is the negotiators' own model
//! (`detente-agents`' `FrequencyModel`), written again here because the protocol crate cannot
//! depend on the agents.
//!
//! **Pooling.** The estimate is the linear opinion pool of the two channels' `[0, 1]` estimates,
//! each weighted by the number of observations it has learnt from (comparisons that differ on
//! some issue; counter-proposals). Under single text there are only votes and the estimate is
//! the comparison channel's; under shuttle each counter-proposal feeds both. The pool is
//! additive, so [`tables`](MediatorModel::tables) gives its per-issue decomposition.
//!
//! **Walk-away level.** Pairwise votes say nothing about a party's reservation value; answers
//! on a text alone do. [`reservation`](MediatorModel::reservation) is the midpoint between the
//! highest estimate of a text the party refused as final and the lowest estimate of a text it
//! accepted (a refused one only: that estimate; none refused: 0).
//!
//! Everything is deterministic (no RNG) and costs O(issues·values) at most per observation
//! and O(issues) per estimate.

use crate::action::OutcomeId;
use crate::mediated::Objective;
use crate::prepared::{PartyUtility, PreparedScenario};
use detente_core::OutcomeSpace;

/// What the mediator knows of the parties' preferences (`mediation-protocols.md`, common
/// ground). Results say which produced them. [`MediationConfig`](crate::MediationConfig)
/// defaults to `Votes`, as the spec has it for single text and shuttle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Knowledge {
    /// It evaluates every party's utility: a benchmark.
    Omniscient,
    /// It sees only yes/no votes, answers on texts and counter-proposals, and learns each
    /// party's preferences from them ([`MediatorModel`]).
    Votes,
}

impl Knowledge {
    /// Every setting (from [`Knowledge::as_str`]: one table of names).
    pub const ALL: [Knowledge; 2] = [Knowledge::Omniscient, Knowledge::Votes];

    /// The name used in options and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Knowledge::Omniscient => "omniscient",
            Knowledge::Votes => "votes",
        }
    }

    /// Parses `omniscient`, `votes`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The known names, for messages: `omniscient, votes`.
    pub fn names() -> String {
        Self::ALL.map(Knowledge::as_str).join(", ")
    }
}

/// The model's tunable constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelConfig {
    /// Prior standard deviation of each issue value's latent score.
    pub prior_sd: f64,
    /// Standard deviation of the comparison noise: how far a vote may stray from the latent
    /// scores (larger: each vote moves the estimate less).
    pub noise_sd: f64,
    /// HardHeaded learning coefficient `l` of the frequency channel.
    pub learning_rate: f64,
}

impl Default for ModelConfig {
    /// `prior_sd = 1`, `noise_sd = 0.5` (TrueSkill's ratio β = σ₀/2), `l = 0.2` (HardHeaded).
    fn default() -> Self {
        ModelConfig { prior_sd: 1.0, noise_sd: 0.5, learning_rate: 0.2 }
    }
}

/// What the mediator pursues, as it can evaluate it under the model: a biased mediator knows
/// its own utility; a neutral or welfare mediator only the estimates.
#[derive(Debug, Clone, Copy)]
pub enum ModelObjective<'a> {
    /// The mediator's own utility (known to it exactly).
    Biased(&'a PartyUtility),
    /// The Nash product of the required parties' estimated gains over their estimated
    /// walk-away levels (as a sum of logs, a gain below 1e-9 counted as 1e-9).
    Neutral,
    /// The sum of the required parties' estimated utilities.
    Welfare,
}

impl<'a> ModelObjective<'a> {
    /// The objective of a session's [`Objective`], the biased mediator's utility taken from
    /// `prepared` (`None` if the mediator index is out of range).
    pub fn of(objective: Objective, prepared: &'a PreparedScenario) -> Option<Self> {
        Some(match objective {
            Objective::Biased { mediator } => ModelObjective::Biased(prepared.utilities().get(mediator)?),
            Objective::Neutral => ModelObjective::Neutral,
            Objective::Welfare => ModelObjective::Welfare,
        })
    }
}

/// One party's beliefs.
#[derive(Debug, Clone)]
struct PartyBeliefs {
    /// Comparison channel: per issue, per value, posterior mean and variance of the score.
    mean: Vec<Vec<f64>>,
    var: Vec<Vec<f64>>,
    /// Per issue, the lowest and highest mean (kept up to date).
    lo: Vec<f64>,
    hi: Vec<f64>,
    comparisons: u32,
    /// Frequency channel: issue weights, value counts and their extremes.
    weights: Vec<f64>,
    counts: Vec<Vec<f64>>,
    count_lo: Vec<f64>,
    count_hi: Vec<f64>,
    last_counter: Option<Vec<u32>>,
    counters: u32,
    /// Answers on texts alone: (text, accepted).
    verdicts: Vec<(OutcomeId, bool)>,
}

impl PartyBeliefs {
    fn new(radices: &[u32], cfg: &ModelConfig) -> Self {
        let n = radices.len();
        PartyBeliefs {
            mean: radices.iter().map(|&r| vec![0.0; r as usize]).collect(),
            var: radices.iter().map(|&r| vec![cfg.prior_sd * cfg.prior_sd; r as usize]).collect(),
            lo: vec![0.0; n],
            hi: vec![0.0; n],
            comparisons: 0,
            weights: vec![1.0 / n.max(1) as f64; n],
            counts: radices.iter().map(|&r| vec![1.0; r as usize]).collect(),
            count_lo: vec![1.0; n],
            count_hi: vec![1.0; n],
            last_counter: None,
            counters: 0,
            verdicts: Vec::new(),
        }
    }

    /// Total range of the comparison channel's sum of scores (0: it has learnt nothing).
    fn mean_range(&self) -> f64 {
        self.hi.iter().zip(&self.lo).map(|(h, l)| h - l).sum()
    }

    /// The frequency channel's `[0, 1]` rescaling: its lowest possible estimate and the span.
    fn frequency_span(&self) -> (f64, f64) {
        let low: f64 = self.weights.iter().zip(self.count_lo.iter().zip(&self.count_hi)).map(|(w, (l, h))| w * l / h).sum();
        let high: f64 = self.weights.iter().sum();
        (low, high - low)
    }

    /// The pool's weights on the comparison and frequency channels (both 0: nothing learnt).
    fn pool(&self) -> (f64, f64) {
        let b = if self.mean_range() > 0.0 { f64::from(self.comparisons) } else { 0.0 };
        let f = if self.frequency_span().1 > 0.0 { f64::from(self.counters) } else { 0.0 };
        if b + f == 0.0 {
            (0.0, 0.0)
        } else {
            (b / (b + f), f / (b + f))
        }
    }
}

/// A votes-only mediator's estimate of every party's preferences (see the module docs for the
/// method). Parties are numbered `0..n` in the session's party order.
#[derive(Debug, Clone)]
pub struct MediatorModel {
    radices: Vec<u32>,
    required: Vec<bool>,
    cfg: ModelConfig,
    parties: Vec<PartyBeliefs>,
}

impl MediatorModel {
    /// A model over a space with these per-issue value counts (first issue slowest, as
    /// [`OutcomeSpace`] numbers outcomes), for parties whose acceptance is `required` or not.
    ///
    /// # Panics
    /// If an issue has no value.
    pub fn new(radices: Vec<u32>, required: Vec<bool>, cfg: ModelConfig) -> Self {
        assert!(radices.iter().all(|&r| r > 0), "every issue needs a value");
        let parties = required.iter().map(|_| PartyBeliefs::new(&radices, &cfg)).collect();
        MediatorModel { radices, required, cfg, parties }
    }

    /// A model over an enumerable space (`None` if an issue has no finite list of values or
    /// none at all).
    pub fn for_space(space: &OutcomeSpace, required: Vec<bool>, cfg: ModelConfig) -> Option<Self> {
        let radices = space
            .issues()
            .iter()
            .map(|i| i.cardinality().and_then(|k| u32::try_from(k).ok()).filter(|&k| k > 0))
            .collect::<Option<Vec<u32>>>()?;
        Some(Self::new(radices, required, cfg))
    }

    /// Number of parties.
    pub fn n_parties(&self) -> usize {
        self.parties.len()
    }

    /// The configuration.
    pub fn config(&self) -> &ModelConfig {
        &self.cfg
    }

    /// Per issue, the value index of an outcome.
    pub fn decode(&self, mut o: OutcomeId) -> Vec<u32> {
        let mut out = vec![0; self.radices.len()];
        for (slot, &r) in out.iter_mut().zip(&self.radices).rev() {
            *slot = (o % u64::from(r)) as u32;
            o /= u64::from(r);
        }
        out
    }

    /// Party `party` voted `yes` (or not) on `candidate` against the current `text`.
    pub fn vote(&mut self, party: usize, candidate: OutcomeId, text: OutcomeId, yes: bool) {
        if yes {
            self.compare(party, candidate, text);
        } else {
            self.compare(party, text, candidate);
        }
    }

    /// Party `party` answered `text` with the counter-proposal `counter`.
    pub fn counter(&mut self, party: usize, text: OutcomeId, counter: OutcomeId) {
        self.compare(party, counter, text);
        let cur = self.decode(counter);
        let cfg = self.cfg;
        let b = &mut self.parties[party];
        b.counters += 1;
        if let Some(prev) = &b.last_counter {
            let n = cur.len() as f64;
            let g = cfg.learning_rate / n;
            let unchanged = prev.iter().zip(&cur).filter(|(a, c)| a == c).count() as f64;
            let total = 1.0 + g * unchanged;
            let max_w = 1.0 - n * g / total;
            for (j, w) in b.weights.iter_mut().enumerate() {
                *w = if prev[j] == cur[j] && *w < max_w { (*w + g) / total } else { *w / total };
            }
        }
        for (j, &v) in cur.iter().enumerate() {
            let c = &mut b.counts[j][v as usize];
            *c += 1.0;
            b.count_hi[j] = b.count_hi[j].max(*c);
            b.count_lo[j] = b.counts[j].iter().copied().fold(f64::INFINITY, f64::min);
        }
        b.last_counter = Some(cur);
    }

    /// Party `party` accepted `text` as it stands (a ratification vote, a shuttle `Accept`), or
    /// refused it as final (a ratification "no"). A counter-proposal is not a refusal in this
    /// sense: it says the text is below what the party asks for now, not below its walk-away.
    pub fn verdict(&mut self, party: usize, text: OutcomeId, accepted: bool) {
        self.parties[party].verdicts.push((text, accepted));
    }

    /// One comparison: `party` values `better` at least as much as `worse` (ADF probit update).
    fn compare(&mut self, party: usize, better: OutcomeId, worse: OutcomeId) {
        let (a, b) = (self.decode(better), self.decode(worse));
        let diff: Vec<usize> = (0..a.len()).filter(|&j| a[j] != b[j]).collect();
        if diff.is_empty() {
            return;
        }
        let noise = self.cfg.noise_sd * self.cfg.noise_sd;
        let p = &mut self.parties[party];
        let mut m = 0.0;
        let mut c2 = noise;
        for &j in &diff {
            let (x, y) = (a[j] as usize, b[j] as usize);
            m += p.mean[j][x] - p.mean[j][y];
            c2 += p.var[j][x] + p.var[j][y];
        }
        let c = c2.sqrt();
        let t = m / c;
        let v = truncation_v(t);
        let w = v * (v + t);
        for &j in &diff {
            for (k, sign) in [(a[j] as usize, 1.0), (b[j] as usize, -1.0)] {
                let s2 = p.var[j][k];
                p.mean[j][k] += sign * s2 / c * v;
                p.var[j][k] = s2 * (1.0 - s2 / c2 * w).max(1e-6);
            }
            p.lo[j] = p.mean[j].iter().copied().fold(f64::INFINITY, f64::min);
            p.hi[j] = p.mean[j].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        }
        p.comparisons += 1;
    }

    /// How much the model has seen of a party: (comparisons that differed on some issue,
    /// counter-proposals, answers on texts alone).
    pub fn observed(&self, party: usize) -> (u32, u32, usize) {
        let p = &self.parties[party];
        (p.comparisons, p.counters, p.verdicts.len())
    }

    /// Per issue, per value, the party's estimated utility contribution: the estimate of an
    /// outcome is the sum over issues of its values' entries; every issue's lowest entry is 0
    /// and the highest entries sum to 1 (all entries 0.5/n before anything was learnt).
    pub fn tables(&self, party: usize) -> Vec<Vec<f64>> {
        (0..self.radices.len()).map(|j| (0..self.radices[j]).map(|v| self.entry(party, j, v as usize)).collect()).collect()
    }

    fn entry(&self, party: usize, j: usize, v: usize) -> f64 {
        let p = &self.parties[party];
        let (pb, pf) = p.pool();
        if pb + pf == 0.0 {
            return 0.5 / self.radices.len() as f64;
        }
        let mut x = 0.0;
        if pb > 0.0 {
            x += pb * (p.mean[j][v] - p.lo[j]) / p.mean_range();
        }
        if pf > 0.0 {
            let (_, span) = p.frequency_span();
            x += pf * p.weights[j] * (p.counts[j][v] / p.count_hi[j] - p.count_lo[j] / p.count_hi[j]) / span;
        }
        x
    }

    /// The estimated utility of `o` to `party`, in `[0, 1]` (0.5 before anything was learnt).
    pub fn estimate(&self, party: usize, o: OutcomeId) -> f64 {
        let p = &self.parties[party];
        let (pb, pf) = p.pool();
        if pb + pf == 0.0 {
            return 0.5;
        }
        let idx = self.decode(o);
        let mut x = 0.0;
        if pb > 0.0 {
            let s: f64 = idx.iter().enumerate().map(|(j, &v)| p.mean[j][v as usize] - p.lo[j]).sum();
            x += pb * s / p.mean_range();
        }
        if pf > 0.0 {
            let (low, span) = p.frequency_span();
            let s: f64 = idx.iter().enumerate().map(|(j, &v)| p.weights[j] * p.counts[j][v as usize] / p.count_hi[j]).sum();
            x += pf * (s - low) / span;
        }
        x.clamp(0.0, 1.0)
    }

    /// Every outcome's estimated utility to `party`, in outcome order (O(outcomes·issues)).
    pub fn estimates(&self, party: usize) -> Vec<f64> {
        let n: u64 = self.radices.iter().map(|&r| u64::from(r)).product();
        (0..n).map(|o| self.estimate(party, o)).collect()
    }

    /// The issue weights of the estimate: each issue's share of the estimate's range (its
    /// highest table entry), summing to 1 (equal before anything was learnt).
    pub fn issue_weights(&self, party: usize) -> Vec<f64> {
        let t = self.tables(party);
        let r: Vec<f64> = t.iter().map(|row| row.iter().copied().fold(0.0, f64::max)).collect();
        let s: f64 = r.iter().sum();
        if s > 0.0 {
            r.iter().map(|x| x / s).collect()
        } else {
            vec![1.0 / r.len().max(1) as f64; r.len()]
        }
    }

    /// The frequency channel's issue weights (HardHeaded), summing to 1.
    pub fn frequency_weights(&self, party: usize) -> &[f64] {
        &self.parties[party].weights
    }

    /// The probability that `party` votes yes on `candidate` against `text` (the comparison
    /// channel's predictive probability `Φ(m/c)`; 1 when they are the same outcome, 0.5 before
    /// anything was learnt about the issues where they differ).
    pub fn p_yes(&self, party: usize, candidate: OutcomeId, text: OutcomeId) -> f64 {
        let (a, b) = (self.decode(candidate), self.decode(text));
        let p = &self.parties[party];
        let mut m = 0.0;
        let mut c2 = self.cfg.noise_sd * self.cfg.noise_sd;
        let mut differ = false;
        for j in 0..a.len() {
            if a[j] != b[j] {
                differ = true;
                let (x, y) = (a[j] as usize, b[j] as usize);
                m += p.mean[j][x] - p.mean[j][y];
                c2 += p.var[j][x] + p.var[j][y];
            }
        }
        if differ {
            normal_cdf(m / c2.sqrt())
        } else {
            1.0
        }
    }

    /// The probability that every required party votes yes on `candidate` against `text`
    /// (votes taken as independent).
    pub fn p_all_yes(&self, candidate: OutcomeId, text: OutcomeId) -> f64 {
        (0..self.parties.len()).filter(|&p| self.required[p]).map(|p| self.p_yes(p, candidate, text)).product()
    }

    /// The party's estimated walk-away level on the estimate's scale: the midpoint between the
    /// highest estimate of a text it refused as final and the lowest estimate of a text it
    /// accepted; only refusals: the highest refused; no refusal: 0.
    pub fn reservation(&self, party: usize) -> f64 {
        let mut refused: Option<f64> = None;
        let mut accepted: Option<f64> = None;
        for &(o, yes) in &self.parties[party].verdicts {
            let x = self.estimate(party, o);
            if yes {
                accepted = Some(accepted.map_or(x, |a: f64| a.min(x)));
            } else {
                refused = Some(refused.map_or(x, |r: f64| r.max(x)));
            }
        }
        match (refused, accepted) {
            (Some(r), Some(a)) => 0.5 * (r + a),
            (Some(r), None) => r,
            (None, _) => 0.0,
        }
    }

    /// Whether every required party's estimate of `o` is at least its estimated walk-away level
    /// (`reservations` from [`reservations`](Self::reservations)).
    pub fn likely_rational(&self, o: OutcomeId, reservations: &[f64]) -> bool {
        (0..self.parties.len()).filter(|&p| self.required[p]).all(|p| self.estimate(p, o) >= reservations[p])
    }

    /// Every party's [`reservation`](Self::reservation), in party order.
    pub fn reservations(&self) -> Vec<f64> {
        (0..self.parties.len()).map(|p| self.reservation(p)).collect()
    }

    /// The mediator's objective of `o` under the estimate (O(issues·parties), plus the answers
    /// on texts alone under `Neutral`; [`best`](Self::best) pays for those once).
    pub fn objective(&self, obj: ModelObjective<'_>, o: OutcomeId) -> f64 {
        let res = if matches!(obj, ModelObjective::Neutral) { self.reservations() } else { Vec::new() };
        self.objective_at(obj, o, &res)
    }

    fn objective_at(&self, obj: ModelObjective<'_>, o: OutcomeId, reservations: &[f64]) -> f64 {
        let required = (0..self.parties.len()).filter(|&p| self.required[p]);
        match obj {
            ModelObjective::Biased(own) => own.utility(o),
            ModelObjective::Neutral => required.map(|p| (self.estimate(p, o) - reservations[p]).max(1e-9).ln()).sum(),
            ModelObjective::Welfare => required.map(|p| self.estimate(p, o)).sum(),
        }
    }

    /// The outcome best by `obj` among `candidates` (ties: lowest outcome index), `None` if there
    /// is none.
    pub fn best(&self, obj: ModelObjective<'_>, candidates: impl IntoIterator<Item = OutcomeId>) -> Option<OutcomeId> {
        let res = self.reservations();
        detente_core::select::argmax(candidates.into_iter().map(|o| (o, self.objective_at(obj, o, &res)))).map(|b| b.0)
    }
}

/// Spearman's rank correlation of two equally long samples (ties get their average rank; 0 if
/// either sample is constant or shorter than 2). O(n log n). For measuring how well an
/// estimate orders the outcomes.
pub fn rank_correlation(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "samples of equal length");
    if a.len() < 2 {
        return 0.0;
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        let (dx, dy) = (x - mean, y - mean);
        sab += dx * dy;
        saa += dx * dx;
        sbb += dy * dy;
    }
    if saa == 0.0 || sbb == 0.0 {
        0.0
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// 1-based ranks, ties averaged.
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&i, &j| x[i].total_cmp(&x[j]).then(i.cmp(&j)));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut k = i;
        while k + 1 < order.len() && x[order[k + 1]] == x[order[i]] {
            k += 1;
        }
        let avg = (i + k) as f64 / 2.0 + 1.0;
        for &o in &order[i..=k] {
            r[o] = avg;
        }
        i = k + 1;
    }
    r
}

/// `erfc` (Numerical Recipes' Chebyshev fit `erfcc`: relative error below 1.2e-7 everywhere).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07 + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// The standard normal CDF `Φ`.
fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// `φ(t)/Φ(t)`, the mean shift of a normal truncated below at `−t` (its asymptote `−t` far in
/// the tail, where both underflow).
fn truncation_v(t: f64) -> f64 {
    if t < -30.0 {
        return -t;
    }
    let pdf = (-0.5 * t * t).exp() / (2.0 * std::f64::consts::PI).sqrt();
    pdf / normal_cdf(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knowledge_names_round_trip() {
        for k in Knowledge::ALL {
            assert_eq!(Knowledge::parse(k.as_str()), Some(k));
        }
        assert_eq!(Knowledge::parse("psychic"), None);
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        for (x, want) in [(0.0, 0.5), (1.0, 0.841_344_746), (-1.0, 0.158_655_254), (2.5, 0.993_790_335), (-4.0, 3.167_124e-5)] {
            assert!((normal_cdf(x) - want).abs() < 1e-7 * want.max(1e-3), "Φ({x}) = {} ≠ {want}", normal_cdf(x));
        }
        assert!((truncation_v(0.0) - 0.797_884_56).abs() < 1e-6);
        assert!(truncation_v(-40.0) == 40.0 && truncation_v(-29.0) > 29.0);
    }

    #[test]
    fn rank_correlation_averages_ties() {
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), 1.0);
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0);
        assert_eq!(rank_correlation(&[1.0, 1.0, 1.0], &[3.0, 2.0, 1.0]), 0.0);
        assert_eq!(ranks(&[5.0, 1.0, 5.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        let r = rank_correlation(&[1.0, 2.0, 2.0, 3.0], &[1.0, 3.0, 2.0, 4.0]);
        assert!((r - 0.948_683_3).abs() < 1e-6, "{r}");
    }

    #[test]
    fn one_vote_moves_only_the_values_that_differ() {
        // 2 issues × 3 values; outcome = 3a + b
        let mut m = MediatorModel::new(vec![3, 3], vec![true, true], ModelConfig::default());
        assert_eq!(m.estimate(0, 4), 0.5);
        assert!((m.p_yes(0, 1, 2) - 0.5).abs() < 1e-7);
        m.vote(0, 1, 2, true); // (0,1) ≽ (0,2): issue 1 only
        let t = m.tables(0);
        assert_eq!(t[0], vec![0.0; 3], "issue 0 did not differ");
        assert!(t[1][1] > t[1][0] && t[1][0] > t[1][2], "{t:?}");
        assert!(m.p_yes(0, 1, 2) > 0.5 && m.p_yes(0, 2, 1) < 0.5);
        assert_eq!(m.p_yes(0, 4, 4), 1.0);
        assert_eq!(m.estimate(1, 1), 0.5, "other parties unaffected");
        // a vote on identical texts teaches nothing
        let before = m.tables(0);
        m.vote(0, 4, 4, false);
        assert_eq!(m.tables(0), before);
        assert_eq!(m.observed(0), (1, 0, 0));
    }

    #[test]
    fn verdicts_bound_the_walk_away_level() {
        let mut m = MediatorModel::new(vec![4], vec![true, false], ModelConfig::default());
        for (a, b) in [(3, 2), (2, 1), (1, 0), (3, 0), (2, 0)] {
            m.vote(0, a, b, true);
        }
        assert_eq!(m.reservation(0), 0.0);
        m.verdict(0, 1, false);
        assert_eq!(m.reservation(0), m.estimate(0, 1));
        m.verdict(0, 3, true);
        m.verdict(0, 2, true);
        let want = 0.5 * (m.estimate(0, 1) + m.estimate(0, 2));
        assert_eq!(m.reservation(0), want);
        let r = m.reservations();
        assert!(m.likely_rational(2, &r) && !m.likely_rational(1, &r));
    }
}
