//! Is there a deal? The analyse lens per case: the zone of possible agreement, the Nash and
//! Kalai–Smorodinsky deals as options with what each party gives up, and the utility space of
//! two parties for the picture.

use detente_analysis::{analysed_parties, analyze, Analysis, Evaluator, OutcomeRef, Semantics};
use detente_core::Scenario;
use serde::Serialize;

/// One issue's option in a deal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Term {
    /// Issue id.
    pub issue: String,
    /// The value, as files name it.
    pub value: String,
}

/// The terms of outcome `index`, issue by issue.
pub fn terms(s: &Scenario, index: u64) -> Vec<Term> {
    match s.space.outcome_at(index) {
        Some(o) => s.space.issues().iter().zip(&o.0).map(|(i, v)| Term { issue: i.id.clone(), value: i.format_value(v) }).collect(),
        None => Vec::new(),
    }
}

/// What one party gets from a deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyShare {
    /// Actor id.
    pub party: String,
    /// Its utility of the deal.
    pub utility: f64,
    /// Its best utility on the frontier.
    pub best: f64,
    /// `best − utility`.
    pub gives_up: f64,
    /// Issues where the deal differs from the party's own best deal.
    pub differs_on: Vec<String>,
}

/// A bargaining solution's deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deal {
    /// Outcome index.
    pub outcome: u64,
    /// The deal, issue by issue.
    pub terms: Vec<Term>,
    /// Each analysed party's share.
    pub parties: Vec<PartyShare>,
}

/// The analysis of one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDeal {
    /// `base` or the variant id.
    pub case: String,
    /// Who must accept.
    pub must_agree: Vec<String>,
    /// The parties whose utilities are listed (every non-observer).
    pub parties: Vec<String>,
    /// Possible outcomes.
    pub outcomes: String,
    /// Does some deal beat walking away for every required party?
    pub zone_exists: bool,
    /// How many deals do (when enumerated).
    pub zone_size: Option<u64>,
    /// Parties for which no deal at all beats walking away.
    pub no_deal_for: Vec<String>,
    /// Without a zone: the closest deal's shortfall per party (`gain < 0`).
    pub shortfall: Vec<(String, f64)>,
    /// The Nash deal (maximum product of gains over walking away).
    pub nash: Option<Deal>,
    /// The Kalai–Smorodinsky deal.
    pub kalai_smorodinsky: Option<Deal>,
    /// Points on the Pareto frontier of all analysed parties.
    pub frontier_size: usize,
    /// Each analysed party's reservation value.
    pub reservations: Vec<f64>,
    /// What the required parties' red lines rule out (`None` when none states one).
    pub red_lines: Option<detente_analysis::RedLineSummary>,
}

/// Whom a case's Nash (and Kalai–Smorodinsky) deal counts, where that is more than the parties
/// that must agree. The deal lens's solutions count every analysed party; simulated results are
/// measured against the Nash deal of the parties that must agree (`QualitySpace`). The words
/// say which Nash deal is meant wherever both are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NashScope {
    /// The mediator is among the parties counted.
    Mediator,
    /// Parties whose acceptance is optional are counted; no mediator is.
    Optional,
}

impl NashScope {
    /// `with the mediator counted`, to follow "the Nash deal".
    pub fn phrase(&self) -> &'static str {
        match self {
            NashScope::Mediator => "with the mediator counted",
            NashScope::Optional => "of every party, not only those that must agree",
        }
    }

    /// `mediator counted`, for a label in brackets.
    pub fn short(&self) -> &'static str {
        match self {
            NashScope::Mediator => "mediator counted",
            NashScope::Optional => "every party counted",
        }
    }
}

impl CaseDeal {
    /// Whom the case's Nash deal counts beyond the parties that must agree (`None`: exactly
    /// them, so it is also the deal simulated results are measured against). `mediator`: the
    /// scenario's mediating actor ([`crate::ScenarioSummary::mediator`]).
    pub fn nash_scope(&self, mediator: Option<&str>) -> Option<NashScope> {
        if self.parties.iter().all(|p| self.must_agree.contains(p)) {
            return None;
        }
        Some(if mediator.is_some_and(|m| self.parties.iter().any(|p| p == m)) { NashScope::Mediator } else { NashScope::Optional })
    }

    /// ` (mediator counted)`: [`CaseDeal::nash_scope`] in brackets, to follow "the Nash deal"
    /// (empty where it counts exactly the parties that must agree).
    pub fn nash_counted(&self, mediator: Option<&str>) -> String {
        self.nash_scope(mediator).map_or(String::new(), |x| format!(" ({})", x.short()))
    }

    /// What a section showing the case's Nash and KS deals beside simulated results says about
    /// whom they count (`None` where they count exactly the parties that must agree).
    pub fn nash_note(&self, mediator: Option<&str>) -> Option<String> {
        let scope = self.nash_scope(mediator)?;
        Some(format!(
            "Both count every party listed ({}): the Nash deal here is the one {}; simulated results are measured \
             against the Nash deal of the parties that must agree.",
            self.parties.join(", "),
            scope.phrase()
        ))
    }
}

/// The analysis of one case: the section's row, and the full analysis for later use.
pub(crate) fn analyse_case(case: &str, s: &Scenario) -> Result<(CaseDeal, Analysis), detente_analysis::AnalysisError> {
    let a = analyze(s, &detente_analysis::Options { semantics: Semantics::Negmas, ..Default::default() })?;
    let deal = |r: Option<&OutcomeRef>| r.map(|d| deal_of(s, &a, d));
    let shortfall = a.zopa.closest.iter().flat_map(|c| c.gains.iter().filter(|g| g.1 <= 0.0).map(|(id, g)| (id.clone(), -g))).collect();
    Ok((
        CaseDeal {
            case: case.to_string(),
            must_agree: a.zopa.required.clone(),
            parties: a.parties.iter().map(|p| p.id.clone()).collect(),
            outcomes: a.outcomes.clone(),
            zone_exists: a.zopa.exists,
            zone_size: a.zopa.count,
            no_deal_for: a.zopa.no_deal_for.clone(),
            shortfall,
            nash: deal(a.solutions.nash.chosen()),
            kalai_smorodinsky: deal(a.solutions.kalai_smorodinsky.chosen()),
            frontier_size: a.frontier.len(),
            reservations: a.parties.iter().map(|p| p.reservation).collect(),
            red_lines: a.zopa.red_lines.clone(),
        },
        a,
    ))
}

fn deal_of(s: &Scenario, a: &Analysis, d: &OutcomeRef) -> Deal {
    let outcome = s.space.outcome_at(d.outcome);
    let parties = a
        .parties
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let best = p.best.as_ref().map_or(p.max, |b| b.utilities[k]);
            let differs_on = match (p.best.as_ref().and_then(|b| s.space.outcome_at(b.outcome)), &outcome) {
                (Some(bo), Some(o)) => {
                    s.space.issues().iter().zip(o.0.iter().zip(&bo.0)).filter(|(_, (x, y))| x != y).map(|(i, _)| i.id.clone()).collect()
                }
                _ => Vec::new(),
            };
            PartyShare { party: p.id.clone(), utility: d.utilities[k], best, gives_up: best - d.utilities[k], differs_on }
        })
        .collect();
    Deal { outcome: d.outcome, terms: terms(s, d.outcome), parties }
}

/// A labelled point in the utility space of two parties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    /// What it is (`Nash`, `Kalai-Smorodinsky`, a protocol's result).
    pub label: String,
    /// Utility to the first party.
    pub x: f64,
    /// Utility to the second.
    pub y: f64,
}

/// Every outcome in the utility space of two parties, as a density, with their own Pareto
/// frontier, their walk-away values and the study's deals marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UtilitySpace {
    /// The party on the x axis.
    pub x_party: String,
    /// The party on the y axis.
    pub y_party: String,
    /// Grid size per axis: utilities `[0, 1]` in `bins` equal steps.
    pub bins: usize,
    /// Outcomes per cell, row-major from the bottom (`counts[j * bins + i]`: x in bin i, y in bin j).
    pub counts: Vec<u32>,
    /// The two parties' own Pareto frontier, by increasing x.
    pub frontier: Vec<(f64, f64)>,
    /// Walk-away value of the x party.
    pub x_reservation: f64,
    /// Walk-away value of the y party.
    pub y_reservation: f64,
    /// Deals marked: the bargaining solutions and each protocol's result.
    pub marks: Vec<Mark>,
}

impl UtilitySpace {
    /// Marks outcome `outcome` of `s` (the scenario the space was drawn from) as `label`.
    pub(crate) fn mark(&mut self, s: &Scenario, label: &str, outcome: u64) {
        let (Some(x), Some(y), Some(o)) = (s.actor_index(&self.x_party), s.actor_index(&self.y_party), s.space.outcome_at(outcome)) else {
            return;
        };
        let (a, b) = (s.actors[x].preferences.utility(&s.space, &o), s.actors[y].preferences.utility(&s.space, &o));
        self.marks.push(Mark { label: label.into(), x: a, y: b });
    }

    /// Marks the Nash and Kalai–Smorodinsky deals of `d`, an analysis of `s`.
    pub(crate) fn mark_solutions(&mut self, s: &Scenario, d: &CaseDeal) {
        for (label, deal) in [("Nash", &d.nash), ("Kalai-Smorodinsky", &d.kalai_smorodinsky)] {
            if let Some(deal) = deal {
                self.mark(s, label, deal.outcome);
            }
        }
    }
}

/// The most outcomes the utility-space picture enumerates.
pub const UTILITY_SPACE_LIMIT: u64 = 4_000_000;
const BINS: usize = 100;

/// The two parties the picture shows: the first two required parties, else the first two
/// analysed parties.
pub fn picture_pair(s: &Scenario) -> Option<(usize, usize)> {
    let analysed: Vec<usize> = analysed_parties(s).iter().filter_map(|a| s.actor_index(&a.id)).collect();
    let required: Vec<usize> = analysed.iter().copied().filter(|&i| s.actors[i].required).collect();
    let pick = if required.len() >= 2 { required } else { analysed };
    (pick.len() >= 2).then(|| (pick[0], pick[1]))
}

/// The utility space of two actors (indices into `s.actors`), or why it cannot be drawn.
pub(crate) fn utility_space(s: &Scenario, x: usize, y: usize) -> Result<UtilitySpace, String> {
    let (ax, ay) = (&s.actors[x], &s.actors[y]);
    let utils = [&ax.preferences.utility, &ay.preferences.utility];
    let ev = Evaluator::new(&s.space, &utils, &[ax.id.as_str(), ay.id.as_str()], UTILITY_SPACE_LIMIT).map_err(|e| e.to_string())?;
    let n = ev.len();
    let mut counts = vec![0u32; BINS * BINS];
    let mut points: Vec<(f64, f64)> = Vec::new();
    const CHUNK: usize = 65_536;
    let mut buf = vec![0.0; 2 * CHUNK];
    let mut start = 0u64;
    let bin = |u: f64| ((u.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
    while start < n {
        let len = (n - start).min(CHUNK as u64) as usize;
        ev.eval(start, len, &mut buf);
        for j in 0..len {
            let (u, v) = (buf[j], buf[len + j]);
            if u.is_finite() && v.is_finite() {
                counts[bin(v) * BINS + bin(u)] += 1;
                points.push((u, v));
            }
        }
        start += len as u64;
    }
    // The two-party frontier: sort by x descending (ties: y descending), sweep the running max of y.
    points.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    let mut frontier = Vec::new();
    let mut best_y = f64::NEG_INFINITY;
    for p in points {
        if p.1 > best_y {
            frontier.push(p);
            best_y = p.1;
        }
    }
    frontier.reverse();
    Ok(UtilitySpace {
        x_party: ax.id.clone(),
        y_party: ay.id.clone(),
        bins: BINS,
        counts,
        frontier,
        x_reservation: ax.preferences.reservation_value(&s.space),
        y_reservation: ay.preferences.reservation_value(&s.space),
        marks: Vec::new(),
    })
}

/// The analyse lens on one scenario, as a page shows it: the zone, the bargaining solutions and
/// the utility space of two parties with the solutions marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealPage {
    /// The scenario.
    pub scenario: crate::ScenarioSummary,
    /// The analysis.
    pub deal: CaseDeal,
    /// The utility space of the first two required parties, or why there is none.
    pub utility_space: crate::Section<UtilitySpace>,
}

/// [`DealPage`] of a scenario, or why it cannot be analysed.
pub fn page(s: &Scenario, case: &str) -> Result<DealPage, detente_analysis::AnalysisError> {
    let (deal, _) = analyse_case(case, s)?;
    let utility_space = match picture_pair(s) {
        None => crate::Section::NotRun { reason: "fewer than two parties to plot".into() },
        Some((x, y)) => match utility_space(s, x, y) {
            Err(reason) => crate::Section::NotRun { reason },
            Ok(mut u) => {
                u.mark_solutions(s, &deal);
                crate::Section::Ran(u)
            }
        },
    };
    Ok(DealPage { scenario: crate::scenario::summarise(s), deal, utility_space })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(must_agree: &[&str], parties: &[&str]) -> CaseDeal {
        let ids = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        CaseDeal {
            case: "base".into(),
            must_agree: ids(must_agree),
            parties: ids(parties),
            outcomes: "4".into(),
            zone_exists: true,
            zone_size: Some(1),
            no_deal_for: Vec::new(),
            shortfall: Vec::new(),
            nash: None,
            kalai_smorodinsky: None,
            frontier_size: 1,
            reservations: vec![0.0; parties.len()],
            red_lines: None,
        }
    }

    #[test]
    fn the_nash_scope_says_whom_the_deal_lens_counts_beyond_the_parties_that_must_agree() {
        let mediated = case(&["a", "b"], &["m", "a", "b"]);
        assert_eq!(mediated.nash_scope(Some("m")), Some(NashScope::Mediator));
        assert_eq!(mediated.nash_counted(Some("m")), " (mediator counted)");
        assert!(mediated.nash_note(Some("m")).is_some_and(|n| n.contains("(m, a, b)") && n.contains("with the mediator counted")));
        // an optional party, no mediator among those counted
        let optional = case(&["a", "b"], &["a", "b", "c"]);
        assert_eq!(optional.nash_scope(Some("m")), Some(NashScope::Optional));
        assert_eq!(optional.nash_scope(None).map(|x| x.phrase()), Some("of every party, not only those that must agree"));
        // exactly the parties that must agree: one Nash deal, nothing to say
        let all = case(&["a", "b"], &["a", "b"]);
        assert_eq!((all.nash_scope(Some("m")), all.nash_counted(None), all.nash_note(None)), (None, String::new(), None));
    }
}
