//! The full analysis of a scenario: sizes, opposition, the frontier, every solution, the ZOPA.

use crate::eval::Evaluator;
use crate::frontier::Frontier;
use crate::large::{additive_tables, frontier_by_issue_dp};
use crate::red_lines::{Check, RedLineEffect, RedLineSummary};
use crate::scan::{frontier_only, rational_scan, scan, ScanParams};
use crate::solutions::{genius_solutions, negmas_nash, negmas_solutions, OutcomeRef, Solution, Solutions};
use crate::AnalysisError;
use detente_core::seating::must_agree;
use detente_core::select::argmax;
use detente_core::{Actor, Cardinality, Scenario, Utility};
use serde::Serialize;

/// Whose definitions the numbers follow (see `docs/analysis.md`): the one
/// [`detente_core::Semantics`] choice. [`Semantics::Negmas`] is NegMAS 0.16.0
/// `calc_scenario_stats`: solutions on the frontier of the outcomes every party rates at least
/// its reservation; opposition `min √Σ(1 − u_i/max_i)²` over those outcomes; rational fraction
/// with strict `>`. [`Semantics::Genius`] is GENIUS 10.4 `MultilateralAnalysis`: solutions on
/// the full frontier; opposition `min √Σ(1 − u_i)²` over all outcomes; GENIUS's Nash and KS
/// definitions. The analysis defaults to NegMAS's.
pub use detente_core::Semantics;

/// Serialises a [`Semantics`] as its name (`negmas`, `genius`).
pub(crate) fn semantics_name<S: serde::Serializer>(s: &Semantics, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// How the analysis went over the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every outcome was evaluated (streamed in chunks on all cores).
    Enumerated,
    /// The space was too large; the frontier came from per-issue dynamic programming
    /// ([`crate::frontier_by_issue_dp`]); counts over all outcomes are unavailable.
    PerIssueDp,
}

/// Options of [`analyze`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Definitions to follow.
    pub semantics: Semantics,
    /// Spaces with more outcomes than this are not enumerated (default 10⁹).
    pub enumeration_limit: u64,
    /// Bound on intermediate frontiers of the non-enumerating method (default 10⁷ points).
    pub max_frontier: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { semantics: Semantics::Negmas, enumeration_limit: detente_core::limits::MAX_ANALYSED_OUTCOMES, max_frontier: 10_000_000 }
    }
}

/// One analysed party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyReport {
    /// Actor id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether an agreement needs this party's acceptance.
    pub required: bool,
    /// Reservation value (0 when the scenario states none).
    pub reservation: f64,
    /// Lowest utility over the space.
    pub min: f64,
    /// Highest utility over the space.
    pub max: f64,
    /// Its best outcome: the efficient (frontier) outcome maximising its utility; ties → lowest
    /// outcome index.
    pub best: Option<OutcomeRef>,
    /// Its worst outcome (lowest outcome index among the minimisers; with the non-enumerating
    /// method, the outcome of per-issue minima).
    pub worst: Option<OutcomeRef>,
    /// How many outcomes it strictly prefers to walking away (`None` when not enumerated).
    pub prefers_to_walking_away: Option<u64>,
}

/// The zone of possible agreement: outcomes every *required* party strictly prefers to its
/// reservation value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Zopa {
    /// Ids of the required parties (all parties when none is marked required).
    pub required: Vec<String>,
    /// Whether some outcome beats walking away for every required party.
    pub exists: bool,
    /// How many outcomes do (`None` when the space was not enumerated).
    pub count: Option<u64>,
    /// For each required party, its best outcome inside the ZOPA (efficient; ties → lowest index).
    pub best_for: Vec<(String, OutcomeRef)>,
    /// Required parties for which no outcome at all beats walking away.
    pub no_deal_for: Vec<String>,
    /// When the ZOPA is empty: the outcome with the largest smallest gain over reservation
    /// among the required parties, and each required party's gain there (negative = short).
    /// With red lines, only acceptable outcomes are candidates.
    pub closest: Option<Closest>,
    /// When a required party states red lines: what they rule out (`None` without red lines).
    /// Every count, the frontier and every solution above are then over the *acceptable*
    /// outcomes, those crossing no required party's red line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub red_lines: Option<RedLineSummary>,
}

/// The nearest thing to a deal when the ZOPA is empty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closest {
    /// The outcome.
    pub deal: OutcomeRef,
    /// `(party id, utility − reservation)` for every required party.
    pub gains: Vec<(String, f64)>,
}

/// The result of [`analyze`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Definitions followed.
    #[serde(serialize_with = "semantics_name")]
    pub semantics: Semantics,
    /// How the space was covered.
    pub method: Method,
    /// The number of outcomes, as text (it may exceed `u64`).
    pub outcomes: String,
    /// The number of outcomes when it fits in `u64`.
    pub outcome_count: Option<u64>,
    /// The analysed parties (every non-observer actor), in scenario order.
    pub parties: Vec<PartyReport>,
    /// Opposition level (see [`Semantics`]); `None` if undefined (no rational outcome).
    pub opposition: Option<f64>,
    /// Fraction of outcomes where every party gets strictly more than its reservation.
    pub rational_fraction: Option<f64>,
    /// The Pareto frontier over all outcomes (serialised only on request, by [`AnalysisReport`]:
    /// it can hold millions of points).
    #[serde(skip)]
    pub frontier: Frontier,
    /// Size of the frontier the solutions are searched in (NegMAS: its rational part).
    pub solution_frontier_size: usize,
    /// The bargaining solutions.
    pub solutions: Solutions,
    /// The zone of possible agreement.
    pub zopa: Zopa,
}

/// The parties the analysis counts: every actor that is not an observer.
pub fn analysed_parties(scenario: &Scenario) -> Vec<&Actor> {
    scenario.actors.iter().filter(|a| a.is_stakeholder()).collect()
}

/// The Pareto frontier of a scenario's parties over the acceptable outcomes (every outcome when
/// no required party states a red line), streamed on all cores (no statistics). Errors when the
/// space has more than `limit` outcomes.
pub fn pareto_frontier(scenario: &Scenario, limit: u64) -> Result<Frontier, AnalysisError> {
    let Parties { actors, utils, names, required, .. } = parties_of(scenario)?;
    let ev = Evaluator::new(&scenario.space, &utils, &names, limit)?;
    let check = Check::new(&scenario.space, &actors, &required)?;
    Ok(frontier_only(&ev, check.as_ref()))
}

/// The analysed parties and what every pass needs of them: one rule for who counts and who must agree.
struct Parties<'a> {
    actors: Vec<&'a Actor>,
    utils: Vec<&'a Utility>,
    names: Vec<&'a str>,
    /// Reservation values (all finite).
    rs: Vec<f64>,
    /// Whose acceptance a deal in the ZOPA needs: the required parties, or every party when none is.
    required: Vec<bool>,
}

/// A party's walk-away value `r_i`: its reservation value (0 when none is stated, GENIUS's
/// default) — except for a profile read as NegMAS reads GENIUS files and left without a
/// reservation, which walks away with −∞ as in NegMAS (its reader drops the reservation of a
/// discounted profile: the discount wrapper reports −∞). Everything is then rational for it,
/// and its disagreement point is its minimum utility.
pub fn walk_away(scenario: &Scenario, a: &Actor) -> f64 {
    match (&a.preferences.reservation, scenario.meta.read_with) {
        (detente_core::Reservation::None, Some(detente_core::Semantics::Negmas)) => f64::NEG_INFINITY,
        _ => a.preferences.reservation_value(&scenario.space),
    }
}

fn parties_of(scenario: &Scenario) -> Result<Parties<'_>, AnalysisError> {
    let actors = analysed_parties(scenario);
    if actors.is_empty() {
        return Err(AnalysisError::NoParties);
    }
    let utils: Vec<&Utility> = actors.iter().map(|a| &a.preferences.utility).collect();
    let names: Vec<&str> = actors.iter().map(|a| a.id.as_str()).collect();
    let rs: Vec<f64> = actors.iter().map(|a| walk_away(scenario, a)).collect();
    if let Some(k) = rs.iter().position(|r| r.is_nan() || *r == f64::INFINITY) {
        return Err(AnalysisError::NonFinite { actor: names[k].to_string() });
    }
    let required = must_agree(&actors.iter().map(|a| a.required).collect::<Vec<_>>());
    Ok(Parties { actors, utils, names, rs, required })
}

/// Analyses a scenario (see the crate docs for every definition).
pub fn analyze(scenario: &Scenario, options: &Options) -> Result<Analysis, AnalysisError> {
    let Parties { actors: parties, utils, names, rs, required } = parties_of(scenario)?;
    let d = parties.len();
    let card = scenario.space.cardinality();
    let enumerable = matches!(card.as_u64(), Some(n) if n <= options.enumeration_limit);

    let check = if parties.iter().zip(&required).any(|(a, &q)| q && !a.red_lines.is_empty()) {
        if !enumerable {
            return Err(AnalysisError::RedLinesTooLarge {
                limit: options.enumeration_limit,
                actors: parties
                    .iter()
                    .zip(&required)
                    .filter(|(a, &q)| q && !a.red_lines.is_empty())
                    .map(|(a, _)| a.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Check::new(&scenario.space, &parties, &required)?
    } else {
        None
    };
    let mut red_summary = None;
    let (method, frontier, ranges, worst, counts, genius_opp_sq) = if enumerable {
        let ev = Evaluator::new(&scenario.space, &utils, &names, options.enumeration_limit)?;
        if ev.is_empty() {
            return Err(AnalysisError::NotEnumerable { reason: "the outcome space is empty".into() });
        }
        let s = scan(&ev, &ScanParams { reservations: rs.clone(), required: required.clone(), red_lines: check.as_ref() });
        if let Some(check) = &check {
            red_summary = Some(RedLineSummary {
                excluded: s.excluded,
                zone_without_red_lines: s.zone_without_red_lines,
                lines: check
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, &(_, l))| {
                        let a = parties[check.owner(i)];
                        let line = &a.red_lines[l];
                        RedLineEffect {
                            actor: a.id.clone(),
                            red_line: line.describe(&scenario.space),
                            source: line.description.clone(),
                            rules_out: s.per_line.get(i).copied().unwrap_or(0),
                        }
                    })
                    .collect(),
            });
        }
        let maxs: Vec<f64> = (0..d).map(|p| s.frontier.iter().map(|q| q.utilities[p]).fold(f64::NEG_INFINITY, f64::max)).collect();
        let ranges: Vec<(f64, f64)> = s.worst.iter().zip(&maxs).map(|(w, &m)| (w.0, m)).collect();
        let mut buf = vec![0.0; d];
        let worst: Vec<OutcomeRef> = s
            .worst
            .iter()
            .map(|&(_, o)| {
                ev.eval(o, 1, &mut buf);
                OutcomeRef { outcome: o, utilities: buf.clone() }
            })
            .collect();
        let counts = Some((s.all_rational, s.zopa, s.individually.clone(), ev.len()));
        (Method::Enumerated, s.frontier, ranges, worst, counts, Some(s.genius_opposition_sq))
    } else {
        if matches!(card, Cardinality::Infinite) {
            return Err(AnalysisError::NotEnumerable { reason: "an issue is continuous (give it a grid to analyse it)".into() });
        }
        let frontier = frontier_by_issue_dp(&scenario.space, &utils, &names, options.max_frontier)?;
        let tables = additive_tables(&scenario.space, &utils, &names)?;
        let mut ranges = Vec::with_capacity(d);
        let mut worst = Vec::with_capacity(d);
        for t in &tables {
            // The left fold of per-issue minima is the floating-point minimum (monotone sums).
            let idx: Vec<u32> = t
                .tables
                .iter()
                .map(|tab| {
                    let mut b = 0;
                    for (v, &x) in tab.iter().enumerate() {
                        if x < tab[b] {
                            b = v;
                        }
                    }
                    b as u32
                })
                .collect();
            let lo = t.eval(&idx);
            let hi = {
                let mut u = t.bias;
                for tab in &t.tables {
                    u += tab.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                }
                t.clamp.map_or(u, |(a, b)| u.clamp(a, b))
            };
            ranges.push((lo, hi));
            let outcome = scenario.space.outcome_from_indices(&idx).and_then(|o| scenario.space.index_of(&o)).unwrap_or(0);
            worst.push(OutcomeRef { outcome, utilities: tables.iter().map(|t| t.eval(&idx)).collect() });
        }
        (Method::PerIssueDp, frontier, ranges, worst, None, None)
    };

    // Solutions and opposition.
    let rational = frontier.filter(|u| u.iter().zip(&rs).all(|(u, r)| u >= r));
    let (solution_frontier_size, solutions, opposition) = match options.semantics {
        Semantics::Negmas => {
            let sol = negmas_solutions(&rational, &ranges, &rs);
            // NegMAS's opposition is non-increasing in every utility, so its minimum over the
            // rational outcomes is attained on the rational frontier.
            let opp = rational
                .iter()
                .map(|p| {
                    p.utilities.iter().zip(&ranges).fold(0.0, |acc, (&u, &(_, mx))| {
                        let e = if mx != 0.0 { 1.0 - u / mx } else { 1.0 - u };
                        acc + e * e
                    })
                })
                .fold(f64::INFINITY, f64::min);
            (rational.len(), sol, opp.is_finite().then(|| opp.sqrt()))
        }
        Semantics::Genius => {
            let sol = genius_solutions(&frontier, &ranges, &rs);
            let opp = match genius_opp_sq {
                Some(sq) => Some(sq.sqrt()),
                // Without enumeration: Σ(1 − u)² is non-increasing where every u ≤ 1.
                None if ranges.iter().all(|r| r.1 <= 1.0) => Some(
                    frontier
                        .iter()
                        .map(|p| p.utilities.iter().fold(0.0, |a, &u| a + (1.0 - u) * (1.0 - u)))
                        .fold(f64::INFINITY, f64::min)
                        .sqrt(),
                ),
                None => None,
            };
            (frontier.len(), sol, opp)
        }
    };

    // Per party.
    let best_on = |f: &Frontier, k: usize, keep: &dyn Fn(&[f64]) -> bool| -> Option<OutcomeRef> {
        // candidates by (outcome, position): ties to the lowest outcome
        let best = argmax(f.iter().enumerate().filter(|(_, p)| keep(p.utilities)).map(|(i, p)| ((p.outcome(), i), p.utilities[k])));
        best.map(|((o, i), _)| OutcomeRef { outcome: o, utilities: f.point(i).utilities.to_vec() })
    };
    let party_reports: Vec<PartyReport> = parties
        .iter()
        .enumerate()
        .map(|(k, a)| PartyReport {
            id: a.id.clone(),
            name: a.display().to_string(),
            required: required[k],
            reservation: rs[k],
            min: ranges[k].0,
            max: ranges[k].1,
            best: best_on(&frontier, k, &|_| true),
            worst: Some(worst[k].clone()),
            prefers_to_walking_away: counts.as_ref().map(|c| c.2[k]),
        })
        .collect();

    // ZOPA.
    let in_zopa = |u: &[f64]| u.iter().zip(&rs).zip(&required).all(|((u, r), &q)| !q || u > r);
    let exists = match &counts {
        Some(c) => c.1 > 0,
        None => frontier.iter().any(|p| in_zopa(p.utilities)),
    };
    let req_idx: Vec<usize> = (0..d).filter(|&k| required[k]).collect();
    let best_for = if exists {
        req_idx.iter().filter_map(|&k| best_on(&frontier, k, &in_zopa).map(|o| (names[k].to_string(), o))).collect()
    } else {
        Vec::new()
    };
    let no_deal_for: Vec<String> = req_idx
        .iter()
        .filter(|&&k| match &counts {
            Some(c) => c.2[k] == 0,
            None => ranges[k].1 <= rs[k],
        })
        .map(|&k| names[k].to_string())
        .collect();
    let closest = if exists {
        None
    } else {
        let margin = |u: &[f64]| req_idx.iter().map(|&k| u[k] - rs[k]).fold(f64::INFINITY, f64::min);
        let best = argmax(frontier.iter().enumerate().map(|(i, p)| ((p.outcome(), i), margin(p.utilities))));
        best.map(|((o, i), _)| {
            let u = frontier.point(i).utilities.to_vec();
            Closest {
                gains: req_idx.iter().map(|&k| (names[k].to_string(), u[k] - rs[k])).collect(),
                deal: OutcomeRef { outcome: o, utilities: u },
            }
        })
    };
    let zopa = Zopa {
        required: req_idx.iter().map(|&k| names[k].to_string()).collect(),
        exists,
        count: counts.as_ref().map(|c| c.1),
        best_for,
        no_deal_for,
        closest,
        red_lines: red_summary,
    };

    Ok(Analysis {
        semantics: options.semantics,
        method,
        outcomes: card.to_string(),
        outcome_count: card.as_u64(),
        parties: party_reports,
        opposition,
        rational_fraction: counts.as_ref().map(|c| c.0 as f64 / c.3 as f64),
        frontier,
        solution_frontier_size,
        solutions,
        zopa,
    })
}

/// The two numbers a robustness sweep needs, without the rest of the analysis: how many deals
/// beat walking away for every required party, and NegMAS's Nash deal. Equal to
/// `analyze(.., Semantics::Negmas)`'s `zopa.count` and `solutions.nash` (a property test checks
/// it), at a fraction of the cost: only the frontier of the rational outcomes is built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneAndNash {
    /// Outcomes where every required party gets strictly more than its reservation.
    pub zone_count: u64,
    /// The Nash points (NegMAS definitions; ties by lowest outcome index).
    pub nash: Solution,
}

/// [`ZoneAndNash`] of an enumerable scenario (at most `limit` outcomes).
pub fn zone_and_nash(scenario: &Scenario, limit: u64) -> Result<ZoneAndNash, AnalysisError> {
    let Parties { actors, utils, names, rs, required } = parties_of(scenario)?;
    let ev = Evaluator::new(&scenario.space, &utils, &names, limit)?;
    if ev.is_empty() {
        return Err(AnalysisError::NotEnumerable { reason: "the outcome space is empty".into() });
    }
    let check = Check::new(&scenario.space, &actors, &required)?;
    let s = rational_scan(&ev, &ScanParams { reservations: rs.clone(), required, red_lines: check.as_ref() });
    Ok(ZoneAndNash { zone_count: s.zopa, nash: negmas_nash(&s.rational, &s.ranges, &rs) })
}

impl Analysis {
    /// Every outcome the analysis names outside the frontier (solutions, each party's best and
    /// worst, the ZOPA's best deals and closest deal), ascending.
    pub fn named_outcomes(&self) -> Vec<u64> {
        let s = &self.solutions;
        let mut out: Vec<u64> = [
            &s.nash,
            &s.kalai_smorodinsky,
            &s.modified_kalai_smorodinsky,
            &s.egalitarian,
            &s.modified_egalitarian,
            &s.max_welfare,
            &s.max_relative_welfare,
        ]
        .iter()
        .flat_map(|sol| sol.points.iter().map(|p| p.outcome))
        .chain(self.parties.iter().flat_map(|p| p.best.iter().chain(p.worst.iter()).map(|r| r.outcome)))
        .chain(self.zopa.best_for.iter().map(|(_, r)| r.outcome))
        .chain(self.zopa.closest.iter().map(|c| c.deal.outcome))
        .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// What `detente analyze --json` prints: the analysis, every outcome it names written as
/// `issue=value, …`, and the frontier points when asked for.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisReport<'a> {
    /// Scenario id.
    pub scenario: &'a str,
    /// How the scenario's file was read (`genius`, `negmas`) when its format has two readings
    /// (a GENIUS folder), else `null`; `semantics` names the solutions' definitions.
    pub read_with: Option<&'static str>,
    /// The analysis.
    #[serde(flatten)]
    pub analysis: &'a Analysis,
    /// Points on the frontier.
    pub frontier_size: usize,
    /// Outcomes on the frontier (several may share a point).
    pub frontier_outcomes: usize,
    /// The frontier points, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frontier: Option<&'a Frontier>,
    /// Outcome index (as text) → the deal as options, for every outcome named above.
    pub deals: std::collections::BTreeMap<String, String>,
}

/// The [`AnalysisReport`] of `analysis`, an analysis of `scenario`.
pub fn analysis_report<'a>(analysis: &'a Analysis, scenario: &'a Scenario, with_frontier: bool) -> AnalysisReport<'a> {
    AnalysisReport {
        scenario: &scenario.meta.id,
        read_with: scenario.meta.read_with.map(Semantics::as_str),
        analysis,
        frontier_size: analysis.frontier.len(),
        frontier_outcomes: analysis.frontier.outcome_count(),
        frontier: with_frontier.then_some(&analysis.frontier),
        deals: analysis.named_outcomes().into_iter().map(|o| (o.to_string(), crate::render::describe_outcome(scenario, o))).collect(),
    }
}
