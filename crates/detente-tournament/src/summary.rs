//! A tournament's summary, accumulated record by record: counts, per-negotiator standings with
//! 95% confidence intervals, pairwise significance of score differences and per-scenario
//! results, in memory that does not grow with the number of negotiations.
//!
//! # The score
//!
//! A negotiator's **score** is its mean **NegMAS advantage** over every seat it played
//! ([`crate::SeatRecord::score`]): NegMAS's `cartesian_tournament` scores with
//! `final_score=("advantage", "mean")`, the mean over a strategy's score rows of
//! `(u − r) / (max − r)` — the gain over walking away as a share of the most the party could
//! gain, `max` from the utility function's `minmax()` over the outcome space; 0 when
//! `max == r`; `u − min` when `r` is −∞ or not a number (`make_scores` in
//! `negmas/tournaments/neg/simple/cartesian.py`, NegMAS 0.16). The unnormalised advantage
//! `u − r` ([`crate::SeatRecord::advantage`]) is summarised beside it.
//!
//! # What counts
//!
//! - `refused` negotiations count in the status counts (overall, per negotiator and per
//!   scenario) and in no mean and no rate: they have no utilities.
//! - `errored` negotiations count everywhere: each party gets its reservation value (what the
//!   record holds), so an advantage of 0, and no agreement.
//! - `timed_out` and `broken` ones likewise count with the walk-away values the record holds.
//! - Distances and welfare are averaged over the records that have them (a scenario without an
//!   analysis has none); each [`Estimate`] says how many values it rests on.
//!
//! Negotiator and scenario statistics that describe a negotiation (welfare, distances) count a
//! negotiation once per negotiator that sat in it, even when it sat in several seats; those
//! that describe a seat (utility, advantage, agreement rate, statuses) count every seat.
//!
//! # Intervals and tests
//!
//! Means and variances are accumulated with Welford's online algorithm ([`Moments`]). Each
//! [`Estimate`] has a 95% confidence interval for its mean, `mean ± t(0.975, n − 1) · s / √n`
//! (Student t). Each pair of negotiators gets Welch's t-test of the difference of their scores
//! ([`welch`]: unequal variances, degrees of freedom by Welch–Satterthwaite, two-sided p), with
//! p-values adjusted for the number of pairs tested by Holm–Bonferroni ([`holm`]); a difference
//! is significant when its adjusted p is below [`ALPHA`]. The test treats the two negotiators'
//! seats as independent samples; in a tournament they share negotiations (they face each other),
//! so the p-values are a guide, not an exact error rate.

use crate::{Plan, Record, Status};

/// The version of a tournament summary's JSON schema (`docs/tournaments.md`). Bumped on any
/// change that is not a pure addition.
pub const SCHEMA: &str = "detente-tournament/1";
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::collections::BTreeMap;

/// Confidence level of every interval of a [`Summary`].
pub const CONFIDENCE: f64 = 0.95;

/// Significance level of the pairwise tests, applied to Holm-adjusted p-values.
pub const ALPHA: f64 = 0.05;

/// Running count, mean and sum of squared deviations of a sample (Welford's algorithm): one
/// value at a time, numerically stable, constant memory.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// No values yet.
    pub fn new() -> Self {
        Moments::default()
    }

    /// Adds one value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Adds a value when there is one.
    pub fn push_some(&mut self, x: Option<f64>) {
        if let Some(x) = x {
            self.push(x);
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Their mean (`None` without values).
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// Their sample variance, with `n − 1` in the denominator (`None` with fewer than two).
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2 / (self.n - 1) as f64).max(0.0))
    }

    /// The estimate of the mean, with its [`CONFIDENCE`] interval.
    pub fn estimate(&self) -> Estimate {
        let std_dev = self.variance().map(f64::sqrt);
        let ci = std_dev.map(|s| t_quantile(self.n - 1) * s / (self.n as f64).sqrt());
        Estimate { n: self.n, mean: self.mean(), std_dev, ci }
    }
}

/// The two-sided [`CONFIDENCE`] quantile of Student's t with `df` degrees of freedom.
fn t_quantile(df: u64) -> f64 {
    let t = StudentsT::new(0.0, 1.0, df as f64).expect("df ≥ 1 is a valid Student t");
    t.inverse_cdf(0.5 + CONFIDENCE / 2.0)
}

/// A mean with its sample size, standard deviation and confidence interval. Every field that a
/// small sample cannot give is `None` (never NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Number of values.
    pub n: u64,
    /// Their mean (`None` without values).
    pub mean: Option<f64>,
    /// Sample standard deviation (`n − 1` denominator; `None` with fewer than two values).
    pub std_dev: Option<f64>,
    /// Half-width of the [`CONFIDENCE`] interval of the mean, `t(0.975, n − 1) · s / √n`
    /// (`None` with fewer than two values).
    pub ci: Option<f64>,
}

/// Welch's t-test of the difference of two means.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Welch {
    /// `(mean_a − mean_b) / √(s_a²/n_a + s_b²/n_b)`.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value, `2 · P(T > |t|)`.
    pub p: f64,
}

/// Welch's t-test of `mean(a) − mean(b)`; `None` when a sample has fewer than two values or
/// both have zero variance (no test is possible).
pub fn welch(a: &Moments, b: &Moments) -> Option<Welch> {
    let (va, vb) = (a.variance()?, b.variance()?);
    let (na, nb) = (a.n as f64, b.n as f64);
    let (qa, qb) = (va / na, vb / nb);
    let se2 = qa + qb;
    if se2 <= 0.0 {
        return None;
    }
    let t = (a.mean - b.mean) / se2.sqrt();
    let df = se2 * se2 / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let p = (2.0 * dist.sf(t.abs())).min(1.0);
    Some(Welch { t, df, p })
}

/// Holm–Bonferroni adjusted p-values, in the order given: the `k`-th smallest of `m` p-values
/// is multiplied by `m − k + 1` (k from 1), made non-decreasing in that order, and capped at 1.
/// Ties keep their given order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (k, &i) in order.iter().enumerate() {
        running = running.max(((m - k) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// How many negotiations (or seats) ended each way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatusCounts {
    /// With a deal.
    pub agreed: u64,
    /// Past the deadline.
    pub timed_out: u64,
    /// A party walked away.
    pub broken: u64,
    /// A negotiator failed.
    pub errored: u64,
    /// Could not be set up.
    pub refused: u64,
}

impl StatusCounts {
    /// The count of `status`.
    pub fn get(&self, status: Status) -> u64 {
        match status {
            Status::Agreed => self.agreed,
            Status::TimedOut => self.timed_out,
            Status::Broken => self.broken,
            Status::Errored => self.errored,
            Status::Refused => self.refused,
        }
    }

    /// All of them.
    pub fn total(&self) -> u64 {
        Status::ALL.iter().map(|&s| self.get(s)).sum()
    }

    /// The share that agreed among those not refused (`None` when all were refused).
    pub fn agreement_rate(&self) -> Option<f64> {
        let run = self.total() - self.refused;
        (run > 0).then(|| self.agreed as f64 / run as f64)
    }

    fn add(&mut self, status: Status) {
        let c = match status {
            Status::Agreed => &mut self.agreed,
            Status::TimedOut => &mut self.timed_out,
            Status::Broken => &mut self.broken,
            Status::Errored => &mut self.errored,
            Status::Refused => &mut self.refused,
        };
        *c += 1;
    }
}

/// A tournament in numbers: what `detente tournament` writes as `summary.json`. Lists are in
/// tournament order (negotiators, scenarios, pairs `(0,1) (0,2) … (1,2) …`); ranks say the
/// standings. See the [module documentation](self) for what counts and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The JSON schema of the summary ([`SCHEMA`]): `summary.json` and `tournament --json`.
    pub schema: String,
    /// Negotiations summarised.
    pub negotiations: u64,
    /// How they ended.
    pub statuses: StatusCounts,
    /// Share of the negotiations not refused that agreed.
    pub agreement_rate: Option<f64>,
    /// One row per negotiator.
    pub negotiators: Vec<NegotiatorSummary>,
    /// One row per pair of negotiators: the difference of their scores and its test.
    pub pairs: Vec<PairSummary>,
    /// One row per scenario.
    pub scenarios: Vec<ScenarioSummary>,
}

/// One negotiator over every seat it played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NegotiatorSummary {
    /// Canonical spec text.
    pub negotiator: String,
    /// Seats played (a self-play negotiation gives several).
    pub seats: u64,
    /// Negotiations sat in.
    pub negotiations: u64,
    /// How its seats' negotiations ended (per seat).
    pub statuses: StatusCounts,
    /// Share of its seats, refused ones aside, whose negotiation agreed.
    pub agreement_rate: Option<f64>,
    /// Utility per seat.
    pub utility: Estimate,
    /// Advantage `utility − reservation` per seat.
    pub advantage: Estimate,
    /// NegMAS's advantage per seat ([`crate::SeatRecord::score`]): the score's sample.
    pub scores: Estimate,
    /// The score: the mean of `scores` (NegMAS's default final score; see the
    /// [module documentation](self)).
    pub score: Option<f64>,
    /// Place in the standings by score, 1 first; equal scores share a rank (1, 2, 2, 4).
    /// `None` without a score.
    pub rank: Option<u32>,
    /// Welfare of the negotiations it sat in (each once).
    pub welfare: Estimate,
    /// Their distance to the Pareto frontier.
    pub pareto_distance: Estimate,
    /// Their distance to the Nash point.
    pub nash_distance: Estimate,
    /// Their distance to the Kalai–Smorodinsky point.
    pub ks_distance: Estimate,
}

/// The difference of two negotiators' scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairSummary {
    /// The first negotiator (earlier in tournament order).
    pub a: String,
    /// The second.
    pub b: String,
    /// `score(a) − score(b)` (`None` when one has no score).
    pub difference: Option<f64>,
    /// Welch's test of the difference; `None` when it cannot be run: fewer than two seats on a
    /// side, or zero variance on both.
    pub test: Option<PairTest>,
}

/// Welch's test of one pair, adjusted for all pairs tested.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairTest {
    /// The t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Holm–Bonferroni adjusted p-value, over the pairs that have a test.
    pub p_holm: f64,
    /// `p_holm < ALPHA`.
    pub significant: bool,
}

/// One scenario over all its negotiations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    /// Scenario id.
    pub scenario: String,
    /// Negotiations run on it.
    pub negotiations: u64,
    /// How they ended.
    pub statuses: StatusCounts,
    /// Share of those not refused that agreed.
    pub agreement_rate: Option<f64>,
    /// Round of agreement (1-based) of the agreed ones.
    pub rounds: Estimate,
    /// Welfare.
    pub welfare: Estimate,
    /// Distance to the Pareto frontier.
    pub pareto_distance: Estimate,
    /// Distance to the Nash point.
    pub nash_distance: Estimate,
    /// Distance to the Kalai–Smorodinsky point.
    pub ks_distance: Estimate,
}

#[derive(Debug, Clone, Default)]
struct Quality {
    welfare: Moments,
    pareto: Moments,
    nash: Moments,
    ks: Moments,
}

impl Quality {
    fn push(&mut self, r: &SummaryRow<'_>) {
        self.welfare.push_some(r.welfare);
        self.pareto.push_some(r.pareto_distance);
        self.nash.push_some(r.nash_distance);
        self.ks.push_some(r.ks_distance);
    }
}

/// What a summary reads of one negotiation, borrowed: from a [`Record`], or straight from a
/// row of a results table (the store summarises its batches without building records).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SummaryRow<'a> {
    pub(crate) scenario: &'a str,
    pub(crate) status: Status,
    pub(crate) round: Option<u32>,
    pub(crate) welfare: Option<f64>,
    pub(crate) pareto_distance: Option<f64>,
    pub(crate) nash_distance: Option<f64>,
    pub(crate) ks_distance: Option<f64>,
}

/// What a summary reads of one seat.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SummarySeat<'a> {
    pub(crate) negotiator: &'a str,
    pub(crate) utility: Option<f64>,
    pub(crate) advantage: Option<f64>,
    pub(crate) score: Option<f64>,
}

#[derive(Debug, Clone)]
struct NegotiatorAcc {
    name: String,
    seats: u64,
    negotiations: u64,
    statuses: StatusCounts,
    utility: Moments,
    advantage: Moments,
    score: Moments,
    quality: Quality,
}

#[derive(Debug, Clone)]
struct ScenarioAcc {
    name: String,
    statuses: StatusCounts,
    rounds: Moments,
    quality: Quality,
}

/// Accumulates a [`Summary`] one [`Record`] at a time, in memory proportional to the number of
/// negotiators and scenarios, whatever the number of negotiations.
#[derive(Debug, Clone)]
pub struct SummaryBuilder {
    statuses: StatusCounts,
    negotiators: Vec<NegotiatorAcc>,
    negotiator_index: BTreeMap<String, usize>,
    scenarios: Vec<ScenarioAcc>,
    scenario_index: BTreeMap<String, usize>,
    /// Scratch: negotiators seen in the record being pushed.
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl Plan<'_> {
    /// Runs the negotiations `range` and summarises them in memory, without keeping a row:
    /// rows become records on the pool, the summary takes them in order of number (so it is
    /// the one a stored run writes). `progress` is called after each negotiation is counted.
    pub fn summarize(&self, range: std::ops::Range<u64>, progress: &mut dyn FnMut()) -> Summary {
        let scenarios: Vec<String> = self.tournament().scenarios.iter().map(|p| p.id().to_string()).collect();
        let mut summary = SummaryBuilder::new(self.negotiator_names(), &scenarios);
        let Ok(()) = self.try_run_map(
            range,
            |row, _| Record::from(&row),
            |record| {
                summary.push(&record);
                progress();
                Ok::<(), std::convert::Infallible>(())
            },
        );
        summary.finish()
    }
}

impl SummaryBuilder {
    /// A builder for a tournament of `negotiators` (canonical spec texts, as records name them)
    /// on `scenarios` (ids), each in tournament order. A record naming a negotiator or scenario
    /// not listed adds it after the listed ones, in the order first seen.
    pub fn new(negotiators: &[String], scenarios: &[String]) -> Self {
        let mut b = SummaryBuilder {
            statuses: StatusCounts::default(),
            negotiators: Vec::new(),
            negotiator_index: BTreeMap::new(),
            scenarios: Vec::new(),
            scenario_index: BTreeMap::new(),
            seen: Vec::new(),
            touched: Vec::new(),
        };
        for n in negotiators {
            b.negotiator(n);
        }
        for s in scenarios {
            b.scenario(s);
        }
        b
    }

    fn negotiator(&mut self, name: &str) -> usize {
        if let Some(&k) = self.negotiator_index.get(name) {
            return k;
        }
        let k = self.negotiators.len();
        self.negotiators.push(NegotiatorAcc {
            name: name.to_string(),
            seats: 0,
            negotiations: 0,
            statuses: StatusCounts::default(),
            utility: Moments::new(),
            advantage: Moments::new(),
            score: Moments::new(),
            quality: Quality::default(),
        });
        self.negotiator_index.insert(name.to_string(), k);
        self.seen.push(false);
        k
    }

    fn scenario(&mut self, name: &str) -> usize {
        if let Some(&k) = self.scenario_index.get(name) {
            return k;
        }
        let k = self.scenarios.len();
        self.scenarios.push(ScenarioAcc {
            name: name.to_string(),
            statuses: StatusCounts::default(),
            rounds: Moments::new(),
            quality: Quality::default(),
        });
        self.scenario_index.insert(name.to_string(), k);
        k
    }

    /// Adds one negotiation.
    pub fn push(&mut self, r: &Record) {
        let row = SummaryRow {
            scenario: &r.scenario,
            status: r.status,
            round: r.round,
            welfare: r.welfare,
            pareto_distance: r.pareto_distance,
            nash_distance: r.nash_distance,
            ks_distance: r.ks_distance,
        };
        let seats =
            r.seats.iter().map(|s| SummarySeat { negotiator: &s.negotiator, utility: s.utility, advantage: s.advantage, score: s.score });
        self.push_row(&row, seats);
    }

    /// Adds one negotiation, its seats in order.
    pub(crate) fn push_row<'a>(&mut self, r: &SummaryRow<'_>, seats: impl IntoIterator<Item = SummarySeat<'a>>) {
        let refused = r.status == Status::Refused;
        self.statuses.add(r.status);
        let s = self.scenario(r.scenario);
        let scenario = &mut self.scenarios[s];
        scenario.statuses.add(r.status);
        if !refused {
            if r.status == Status::Agreed {
                scenario.rounds.push_some(r.round.map(f64::from));
            }
            scenario.quality.push(r);
        }
        for seat in seats {
            let k = self.negotiator(seat.negotiator);
            let n = &mut self.negotiators[k];
            n.seats += 1;
            n.statuses.add(r.status);
            if !refused {
                n.utility.push_some(seat.utility);
                n.advantage.push_some(seat.advantage);
                n.score.push_some(seat.score);
            }
            if !self.seen[k] {
                self.seen[k] = true;
                self.touched.push(k);
                n.negotiations += 1;
                if !refused {
                    n.quality.push(r);
                }
            }
        }
        for k in self.touched.drain(..) {
            self.seen[k] = false;
        }
    }

    /// The summary.
    pub fn finish(self) -> Summary {
        let scores: Vec<Option<f64>> = self.negotiators.iter().map(|n| n.score.mean()).collect();
        let ranks = ranks(&scores);
        let mut pairs = Vec::new();
        let mut tests = Vec::new();
        for (i, a) in self.negotiators.iter().enumerate() {
            for (j, b) in self.negotiators.iter().enumerate().skip(i + 1) {
                let difference = scores[i].zip(scores[j]).map(|(x, y)| x - y);
                if let Some(w) = welch(&a.score, &b.score) {
                    tests.push((pairs.len(), w));
                }
                pairs.push(PairSummary { a: a.name.clone(), b: b.name.clone(), difference, test: None });
            }
        }
        let adjusted = holm(&tests.iter().map(|(_, w)| w.p).collect::<Vec<_>>());
        for ((k, w), p_holm) in tests.into_iter().zip(adjusted) {
            pairs[k].test = Some(PairTest { t: w.t, df: w.df, p: w.p, p_holm, significant: p_holm < ALPHA });
        }
        let negotiators = self
            .negotiators
            .into_iter()
            .zip(ranks)
            .map(|(n, rank)| NegotiatorSummary {
                agreement_rate: n.statuses.agreement_rate(),
                score: n.score.mean(),
                scores: n.score.estimate(),
                rank,
                utility: n.utility.estimate(),
                advantage: n.advantage.estimate(),
                welfare: n.quality.welfare.estimate(),
                pareto_distance: n.quality.pareto.estimate(),
                nash_distance: n.quality.nash.estimate(),
                ks_distance: n.quality.ks.estimate(),
                negotiator: n.name,
                seats: n.seats,
                negotiations: n.negotiations,
                statuses: n.statuses,
            })
            .collect();
        let scenarios = self
            .scenarios
            .into_iter()
            .map(|s| ScenarioSummary {
                negotiations: s.statuses.total(),
                agreement_rate: s.statuses.agreement_rate(),
                rounds: s.rounds.estimate(),
                welfare: s.quality.welfare.estimate(),
                pareto_distance: s.quality.pareto.estimate(),
                nash_distance: s.quality.nash.estimate(),
                ks_distance: s.quality.ks.estimate(),
                scenario: s.name,
                statuses: s.statuses,
            })
            .collect();
        Summary {
            schema: SCHEMA.to_string(),
            negotiations: self.statuses.total(),
            agreement_rate: self.statuses.agreement_rate(),
            statuses: self.statuses,
            negotiators,
            pairs,
            scenarios,
        }
    }
}

/// Competition ranks (1, 2, 2, 4) by descending score; `None` scores get no rank.
fn ranks(scores: &[Option<f64>]) -> Vec<Option<u32>> {
    scores.iter().map(|s| s.map(|x| 1 + scores.iter().filter(|o| o.is_some_and(|y| y > x)).count() as u32)).collect()
}

impl Summary {
    /// The negotiators in standings order: by rank, then tournament order; unranked last.
    pub fn standings(&self) -> Vec<&NegotiatorSummary> {
        let mut v: Vec<&NegotiatorSummary> = self.negotiators.iter().collect();
        v.sort_by_key(|n| n.rank.unwrap_or(u32::MAX));
        v
    }

    /// The pair of `a` and `b`, in either order.
    pub fn pair(&self, a: &str, b: &str) -> Option<&PairSummary> {
        self.pairs.iter().find(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a))
    }
}
