//! Agreement quality: how far a utility vector (an agreement, or the reservation values when
//! there is none) lies from the frontier and from the bargaining solutions — NegMAS's
//! `calc_outcome_distances` / `calc_outcome_optimality` definitions — measured in the utility
//! space of the **required parties**, the ones whose acceptance makes an agreement.
//!
//! A mediator with interests of its own, or a party whose acceptance is not needed, is an
//! analysed party (a stakeholder), but it does not make the deal: measuring inside a space that
//! includes it would call a deal "efficient" merely because it is the mediator's own best
//! outcome. Those actors' utilities are reported beside the measures instead
//! ([`AgreementQuality::outside`]): what each gets, and what it would get at the required
//! parties' Nash deal (for a biased mediator, the price of its bias).

use crate::analysis::{Analysis, Semantics};
use crate::frontier::Frontier;
use crate::solutions::{genius_solutions, negmas_solutions, Solution};
use serde::Serialize;

/// Distances (Euclidean, in the measured parties' utility space) and derived scores of one
/// utility vector, with the utilities of the analysed parties left outside that space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementQuality {
    /// The parties whose utilities span the space measured in (the required parties), in
    /// analysis order.
    pub parties: Vec<String>,
    /// Distance to the nearest frontier point the solutions are searched in (NegMAS: rational
    /// frontier; GENIUS: full frontier); `None` when that frontier is empty.
    pub pareto_distance: Option<f64>,
    /// Distance to the nearest Nash point.
    pub nash_distance: Option<f64>,
    /// Distance to the nearest Kalai–Smorodinsky point.
    pub ks_distance: Option<f64>,
    /// Distance to the nearest egalitarian (NegMAS "Kalai") point.
    pub egalitarian_distance: Option<f64>,
    /// Sum of the measured parties' utilities.
    pub welfare: f64,
    /// NegMAS's fairness: `max(1 − dist/D, 0)` for the nearest of Nash, egalitarian and KS,
    /// where `D = √Σ(max_i − min_i)²` is the diagonal of the utility ranges; 1 = at a fair point.
    pub fairness: Option<f64>,
    /// The measured parties' Nash deal (outcome index; ties → lowest index among the outcomes
    /// that are efficient for every analysed party), the point `outside` compares with.
    pub nash_outcome: Option<u64>,
    /// Every analysed party outside the measured space (the mediator, parties whose acceptance
    /// is not required), in analysis order.
    pub outside: Vec<OutsideUtility>,
}

/// What an analysed party outside the measured space gets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutsideUtility {
    /// Actor id.
    pub actor: String,
    /// Its utility of the result (of the deal, or its reservation value without one, as the
    /// vector passed in).
    pub utility: f64,
    /// Its utility of the measured parties' Nash deal ([`AgreementQuality::nash_outcome`]).
    pub at_nash: Option<f64>,
    /// `utility − at_nash`: what the result gives it beyond the neutral benchmark (for a biased
    /// mediator, the price of its bias, paid by the parties).
    pub over_nash: Option<f64>,
}

/// The space agreement quality is measured in, built once per analysis: the frontier and the
/// bargaining solutions of some of the analysed parties ([`QualitySpace::required`]: those
/// whose acceptance makes an agreement).
#[derive(Debug, Clone, PartialEq)]
pub struct QualitySpace {
    /// Indices of the measured parties in the analysis.
    measured: Vec<usize>,
    ids: Vec<String>,
    /// `(index, id)` of every other analysed party.
    outside: Vec<(usize, String)>,
    searched: Frontier,
    nash: Solution,
    ks: Solution,
    egalitarian: Solution,
    /// The diagonal of the measured parties' utility ranges.
    diag: f64,
    /// Every analysed party's utility of the measured parties' Nash deal.
    nash_deal: Option<(u64, Vec<f64>)>,
}

impl QualitySpace {
    /// The space of the required parties (every analysed party when none is marked required):
    /// what every report of a simulated negotiation measures in.
    pub fn required(analysis: &Analysis) -> Self {
        let measured: Vec<usize> = (0..analysis.parties.len()).filter(|&k| analysis.parties[k].required).collect();
        Self::of(analysis, &measured)
    }

    /// The space of every analysed party (NegMAS's own measure, which knows no mediator).
    pub fn all(analysis: &Analysis) -> Self {
        Self::of(analysis, &(0..analysis.parties.len()).collect::<Vec<_>>())
    }

    /// The space of the analysed parties at `measured` (indices into `analysis.parties`,
    /// ascending), under the analysis's semantics: the frontier of those parties (the
    /// projection of the analysis's frontier, [`Frontier::project`]) and their solutions,
    /// with their utility ranges and reservation values.
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn of(analysis: &Analysis, measured: &[usize]) -> Self {
        let parties: Vec<_> = measured.iter().map(|&k| &analysis.parties[k]).collect();
        let ranges: Vec<(f64, f64)> = parties.iter().map(|p| (p.min, p.max)).collect();
        let rs: Vec<f64> = parties.iter().map(|p| p.reservation).collect();
        let projected =
            if measured.len() == analysis.parties.len() { analysis.frontier.clone() } else { analysis.frontier.project(measured) };
        let (searched, solutions) = match analysis.semantics {
            Semantics::Negmas => {
                let rational = projected.filter(|x| x.iter().zip(&rs).all(|(a, r)| a >= r));
                let s = negmas_solutions(&rational, &ranges, &rs);
                (rational, s)
            }
            Semantics::Genius => {
                let s = genius_solutions(&projected, &ranges, &rs);
                (projected, s)
            }
        };
        let nash_deal = solutions.nash.chosen().and_then(|n| {
            let p = analysis.frontier.iter().find(|p| p.outcomes.binary_search(&n.outcome).is_ok())?;
            Some((n.outcome, p.utilities.to_vec()))
        });
        let outside = (0..analysis.parties.len()).filter(|k| !measured.contains(k)).map(|k| (k, analysis.parties[k].id.clone())).collect();
        QualitySpace {
            ids: parties.iter().map(|p| p.id.clone()).collect(),
            measured: measured.to_vec(),
            outside,
            searched,
            diag: ranges.iter().map(|(lo, hi)| (hi - lo) * (hi - lo)).sum::<f64>().sqrt(),
            nash: solutions.nash,
            ks: solutions.kalai_smorodinsky,
            egalitarian: solutions.egalitarian,
            nash_deal,
        }
    }

    /// The measured parties' ids.
    pub fn parties(&self) -> &[String] {
        &self.ids
    }

    /// The measured parties' Nash deal and every analysed party's utility of it.
    pub fn nash_deal(&self) -> Option<(u64, &[f64])> {
        self.nash_deal.as_ref().map(|(o, u)| (*o, u.as_slice()))
    }

    /// The quality of `u`, a utility vector with one entry per *analysed* party (in analysis
    /// order): the measured parties' entries are placed in their space, the others reported
    /// beside.
    ///
    /// # Panics
    /// If `u` has fewer entries than the analysis has parties.
    pub fn measure(&self, u: &[f64]) -> AgreementQuality {
        let m: Vec<f64> = self.measured.iter().map(|&k| u[k]).collect();
        let nash = distance_to_solution(&self.nash, &m);
        let ks = distance_to_solution(&self.ks, &m);
        let eg = distance_to_solution(&self.egalitarian, &m);
        let fairness = if self.diag.abs() < 1e-12 {
            None
        } else {
            [nash, eg, ks].into_iter().flatten().map(|d| (1.0 - d / self.diag).max(0.0)).max_by(f64::total_cmp)
        };
        AgreementQuality {
            parties: self.ids.clone(),
            pareto_distance: distance_to_frontier(&self.searched, &m),
            nash_distance: nash,
            ks_distance: ks,
            egalitarian_distance: eg,
            welfare: welfare(&m),
            fairness,
            nash_outcome: self.nash_deal.as_ref().map(|(o, _)| *o),
            outside: self
                .outside
                .iter()
                .map(|(k, id)| {
                    let at_nash = self.nash_deal.as_ref().map(|(_, v)| v[*k]);
                    OutsideUtility { actor: id.clone(), utility: u[*k], at_nash, over_nash: at_nash.map(|a| u[*k] - a) }
                })
                .collect(),
        }
    }
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

/// The quality of the utility vector `u` (one entry per analysed party, in party order),
/// measured over the required parties: [`QualitySpace::required`] then
/// [`QualitySpace::measure`]. Build the space once to measure many vectors.
pub fn agreement_quality(analysis: &Analysis, u: &[f64]) -> AgreementQuality {
    QualitySpace::required(analysis).measure(u)
}
