//! One simulated negotiation as a report: `detente negotiate` prints it (text, `--json`,
//! `--html`), and so can any other front end.

use crate::deal::{terms, Term};
use crate::simulation::{concessions, mediator_utility, status_text, Concessions, Measure};
use detente_agents::Simulation;
use detente_analysis::{AgreementQuality, OutsideUtility, Semantics};
use detente_core::Scenario;
use detente_protocol::{PreparedScenario, Status};
use serde::Serialize;

/// A participating party and the negotiator it plays.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seat {
    /// Actor id.
    pub actor: String,
    /// Negotiator spec.
    pub negotiator: String,
}

/// What one actor gets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorResult {
    /// Actor id.
    pub actor: String,
    /// Utility of the deal, or its walk-away value without one — discounted at the moment
    /// the negotiation ended when the actor has a discount.
    pub utility: f64,
    /// The same before the discount, when the actor has one (`null` otherwise).
    pub undiscounted: Option<f64>,
    /// Walk-away value.
    pub reservation: f64,
    /// `utility − reservation`.
    pub margin: f64,
    /// Must it accept?
    pub required: bool,
    /// `party`, `mediator` or `observer`.
    pub role: &'static str,
}

/// A party's final demand (its last offer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Demand {
    /// Actor id.
    pub actor: String,
    /// The offer, as `issue=value, …` (none if it never offered).
    pub offer: Option<String>,
    /// Its utility to the party.
    pub utility: Option<f64>,
}

/// Texts a mediator put forward and how many were accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Texts {
    /// Proposed.
    pub proposed: u32,
    /// Accepted.
    pub accepted: u32,
}

/// The quality of the result, in the utility space of the parties that must agree
/// (`measures.parties`), with every other stakeholder's utility beside (`measures.outside`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// The distances and scores.
    #[serde(flatten)]
    pub measures: AgreementQuality,
    /// `negmas` (the definitions used).
    pub semantics: &'static str,
}

/// How well a votes-only mediator came to know one party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grasp {
    /// The party's actor id.
    pub party: String,
    /// Spearman's rank correlation between the mediator's estimate of the party's utility and
    /// the true utility over every outcome, at the end (1: it orders the outcomes as the party
    /// does; 0: no better than chance).
    pub rank_correlation: f64,
}

/// One negotiation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegotiationReport {
    /// Scenario id.
    pub scenario: String,
    /// How the scenario's file was read (`genius`, `negmas`: what its utilities and discounts
    /// mean) when its format has two readings (a GENIUS folder); `null` for formats with one.
    pub read_with: Option<&'static str>,
    /// Seed.
    pub seed: u64,
    /// Protocol name.
    pub protocol: &'static str,
    /// Mediator rule (mediated protocols).
    pub mediator_rule: Option<&'static str>,
    /// What the mediator knew of the parties (mediated protocols under detente rules):
    /// `votes` (only their votes and counter-proposals) or `omniscient`.
    pub knowledge: Option<&'static str>,
    /// What a votes-only mediator learnt of each party (`detente_protocol::MediatedResult::learnt`).
    pub learnt: Option<Vec<Grasp>>,
    /// Who negotiated, with which negotiator.
    pub parties: Vec<Seat>,
    /// The scenario's actors that did not take part, with the reason.
    pub left_out: Vec<(String, String)>,
    /// `agreed`, `timed_out`, `broken`, `errored`.
    pub status: &'static str,
    /// How it ended, in words.
    pub summary: String,
    /// Why there is no deal, in words (mediated protocols: which party refused which text, at
    /// what cost to whom).
    pub why: Option<String>,
    /// Was there a deal?
    pub agreement: bool,
    /// Why a negotiator failed (status `errored`).
    pub reason: Option<String>,
    /// Round of agreement (1-based).
    pub round: Option<u32>,
    /// Rounds run.
    pub rounds: u32,
    /// Deadline.
    pub deadline: u32,
    /// Outcome index of the deal.
    pub outcome_index: Option<u64>,
    /// The deal, issue by issue.
    pub deal: Option<Vec<Term>>,
    /// Every actor's result.
    pub utilities: Vec<ActorResult>,
    /// Each party's final demand.
    pub final_demands: Vec<Demand>,
    /// Mediated: texts proposed and accepted.
    pub texts: Option<Texts>,
    /// Distances to the frontier and the bargaining solutions (absent with `quality_error`).
    pub quality: Option<Quality>,
    /// The mediating actor's utility of the result and at the required parties' Nash deal (the
    /// price of its bias), for mediated protocols whose scenario names a mediator.
    pub mediator: Option<OutsideUtility>,
    /// Why the quality could not be measured (e.g. the space is too large to analyse).
    pub quality_error: Option<String>,
    /// Each party's concessions over the rounds.
    pub concessions: Concessions,
    /// Every offer in order (at the joint table each party's; mediated, the mediator's texts),
    /// with every participating party's utility of it: where the talks moved in the utility
    /// space, offer by offer.
    pub offers: Vec<OfferPoint>,
}

/// One offer of a negotiation, placed in the parties' utility space.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferPoint {
    /// Round, 1-based.
    pub round: u32,
    /// Who made it: a party's actor id, or `mediator`.
    pub by: String,
    /// The outcome's index.
    pub outcome: u64,
    /// Each participating party's utility of it (before discounts), in `parties` order.
    pub utilities: Vec<f64>,
}

/// The analysis every negotiation report measures quality in ([`Measure`]): NegMAS's
/// definitions, over the required parties. A caller that reports many negotiations of one
/// scenario builds it once and passes it to [`report_measured`].
pub fn measure(s: &Scenario) -> Result<Measure, detente_analysis::AnalysisError> {
    let analysis = detente_analysis::analyze(s, &detente_analysis::Options { semantics: MEASURED_WITH, ..Default::default() })?;
    Ok(Measure::new(s, &analysis))
}

/// The semantics of the quality measures ([`measure`]).
pub const MEASURED_WITH: Semantics = Semantics::Negmas;

/// The report of `sim`, a negotiation of `s` (prepared as `prepared`) run with `seed`.
pub fn report(s: &Scenario, prepared: &PreparedScenario, sim: &Simulation, seed: u64) -> NegotiationReport {
    let measure = measure(s).map_err(|e| e.to_string());
    report_measured(s, prepared, sim, seed, measure.as_ref().map_err(String::as_str))
}

/// [`report`] with the quality measure built once by the caller ([`measure`]), or why it could
/// not be.
pub fn report_measured(
    s: &Scenario,
    prepared: &PreparedScenario,
    sim: &Simulation,
    seed: u64,
    measure: Result<&Measure, &str>,
) -> NegotiationReport {
    let (quality, quality_error) = match measure {
        Ok(m) => (Some(Quality { measures: m.quality(&sim.undiscounted), semantics: MEASURED_WITH.as_str() }), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let final_demands = sim
        .parties
        .iter()
        .zip(&sim.final_offers)
        .map(|(p, o)| {
            let outcome = o.and_then(|o| s.space.outcome_at(o));
            let utility = match (&outcome, s.actor_index(p)) {
                (Some(x), Some(k)) => Some(s.actors[k].preferences.utility(&s.space, x)),
                _ => None,
            };
            Demand { actor: p.clone(), offer: outcome.as_ref().map(|x| s.space.format(x)), utility }
        })
        .collect();
    NegotiationReport {
        scenario: s.meta.id.clone(),
        read_with: s.meta.read_with.map(detente_core::Semantics::as_str),
        seed,
        protocol: sim.protocol.as_str(),
        mediator_rule: sim.mediator_rule.map(|r| r.as_str()),
        knowledge: sim.knowledge.map(|k| k.as_str()),
        learnt: sim
            .learnt
            .as_ref()
            .map(|l| sim.parties.iter().zip(l).map(|(p, &rank_correlation)| Grasp { party: p.clone(), rank_correlation }).collect()),
        left_out: detente_agents::left_out(s, sim.protocol),
        parties: seats(sim),
        status: sim.status.name(),
        summary: status_text(sim),
        why: sim.why.clone(),
        agreement: sim.agreement.is_some(),
        reason: failure(&sim.status),
        round: agreed_round(&sim.status),
        rounds: sim.rounds,
        deadline: sim.deadline,
        outcome_index: sim.agreement,
        deal: sim.agreement.map(|o| terms(s, o)),
        utilities: actor_results(s, sim),
        final_demands,
        texts: sim.texts.map(|(proposed, accepted)| Texts { proposed, accepted }),
        mediator: mediator_utility(quality.as_ref().map(|q| &q.measures), sim),
        quality,
        quality_error,
        concessions: concessions(s, prepared, sim),
        offers: offers(s, prepared, sim),
    }
}

/// Every offer of `sim` with each participating party's utility of it.
fn offers(s: &Scenario, prepared: &PreparedScenario, sim: &Simulation) -> Vec<OfferPoint> {
    let idx: Vec<usize> = sim.parties.iter().filter_map(|p| s.actor_index(p)).collect();
    let utils = prepared.utilities();
    sim.history
        .iter()
        .filter_map(|e| match e.action {
            detente_protocol::Action::Offer(o) => Some(OfferPoint {
                round: e.round + 1,
                by: sim.parties.get(e.actor as usize).cloned().unwrap_or_else(|| "mediator".into()),
                outcome: o,
                utilities: idx.iter().map(|&k| utils[k].utility(o)).collect(),
            }),
            _ => None,
        })
        .collect()
}

/// What each scenario actor gets from `sim` (scenario order): its utility, reservation value
/// and margin over it.
pub fn actor_results(s: &Scenario, sim: &Simulation) -> Vec<ActorResult> {
    s.actors
        .iter()
        .zip(sim.utilities.iter().zip(&sim.undiscounted))
        .map(|(a, (&u, &plain))| {
            let r = a.preferences.reservation_value(&s.space);
            let undiscounted = (a.preferences.discount != detente_core::Discount::None).then_some(plain);
            ActorResult {
                actor: a.id.clone(),
                utility: u,
                undiscounted,
                reservation: r,
                margin: u - r,
                required: a.required,
                role: a.role.as_str(),
            }
        })
        .collect()
}

/// Who negotiated, with which negotiator, in speaking order.
pub fn seats(sim: &Simulation) -> Vec<Seat> {
    sim.parties.iter().zip(&sim.negotiators).map(|(a, n)| Seat { actor: a.clone(), negotiator: n.clone() }).collect()
}

/// Why a negotiator failed (status `errored`).
pub fn failure(status: &Status) -> Option<String> {
    match status {
        Status::Errored { reason, .. } => Some(reason.clone()),
        _ => None,
    }
}

/// The round of agreement, 1-based.
pub fn agreed_round(status: &Status) -> Option<u32> {
    match status {
        Status::Agreed { round, .. } => Some(round + 1),
        _ => None,
    }
}
