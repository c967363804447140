//! Simulated negotiations: every protocol the study compares on each case, with the quality of
//! each result and each party's concessions over the rounds.

use crate::deal::{terms, Term};
use detente_agents::{participants, simulate, Protocol, Simulation, SimulationSpec};
use detente_analysis::{AgreementQuality, Analysis, OutsideUtility, QualitySpace};
use detente_core::{MediatorRule, Scenario};
use detente_protocol::{Action, MoveRule, PreparedScenario, Status};
use serde::Serialize;
use std::sync::Arc;

/// The protocols the study compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyProtocol {
    /// Alternating offers at a joint table among the required parties.
    JointTable,
    /// Single negotiating text, steepest moves, the mediator maximising its own utility.
    BiasedSingleText,
    /// Single negotiating text, steepest moves, the mediator maximising the Nash product.
    NeutralSingleText,
    /// Shuttle mediation with the scenario's mediator rule.
    Shuttle,
}

impl StudyProtocol {
    /// Every protocol, in the order the study shows them.
    pub const ALL: [StudyProtocol; 4] =
        [StudyProtocol::JointTable, StudyProtocol::BiasedSingleText, StudyProtocol::NeutralSingleText, StudyProtocol::Shuttle];

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            StudyProtocol::JointTable => "joint table",
            StudyProtocol::BiasedSingleText => "biased single text",
            StudyProtocol::NeutralSingleText => "neutral single text",
            StudyProtocol::Shuttle => "shuttle",
        }
    }

    fn engine(self) -> (Protocol, Option<MediatorRule>) {
        match self {
            StudyProtocol::JointTable => (Protocol::JointTable, None),
            StudyProtocol::BiasedSingleText => (Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Biased)),
            StudyProtocol::NeutralSingleText => (Protocol::SingleText(MoveRule::Steepest), Some(MediatorRule::Neutral)),
            StudyProtocol::Shuttle => (Protocol::Shuttle, None),
        }
    }

    /// Why this protocol ignores a change of the mediator's rule from `from` to `to` on `s`, if
    /// it does (the library's rule, `Protocol::rule_change_matters_in`, for the default mediator
    /// knowledge).
    pub fn ignores_rule_change(self, s: &Scenario, from: MediatorRule, to: MediatorRule) -> Option<RuleIgnored> {
        let (proto, fixed_rule) = self.engine();
        if !proto.reads(detente_core::Input::MediatorRule) {
            Some(RuleIgnored::NoMediator)
        } else if fixed_rule.is_some() {
            Some(RuleIgnored::OwnRule)
        } else if !proto.rule_change_matters_in(s, detente_agents::DEFAULT_KNOWLEDGE, from, to) {
            Some(RuleIgnored::Alike)
        } else {
            None
        }
    }

    /// Whether a patch of this kind can change this protocol's result on `s` (the scenario the
    /// patch applies to); `rule_before` is the mediator rule in force before the patch (for a
    /// mediator-rule patch, which matters only where the protocol takes the scenario's rule and
    /// the two rules differ for it).
    pub fn reads(self, s: &Scenario, patch: &detente_core::Patch, rule_before: MediatorRule) -> bool {
        match patch {
            detente_core::Patch::MediatorRule(to) => self.ignores_rule_change(s, rule_before, *to).is_none(),
            p => self.engine().0.reads(p.input()),
        }
    }

    /// Why this protocol cannot run on `s`, if it cannot.
    pub fn not_applicable(self, s: &Scenario) -> Option<String> {
        let (proto, rule) = self.engine();
        if participants(s, proto).len() < 2 {
            return Some("fewer than two parties".into());
        }
        if proto != Protocol::JointTable && rule.or(s.protocol.mediator_rule) == Some(MediatorRule::Biased) && s.mediator().is_none() {
            return Some("no mediator for a biased rule".into());
        }
        None
    }
}

/// Why a study protocol ignores a change of the mediator's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleIgnored {
    /// The protocol has no mediator (the joint table).
    NoMediator,
    /// The study runs it with a rule of its own (the biased and neutral single texts).
    OwnRule,
    /// The two rules coincide by construction there (see `Protocol::rule_change_matters`).
    Alike,
}

/// One party's utility over the rounds: of its own offers (joint table), or of the texts the
/// mediator put forward (mediated protocols).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    /// Actor id.
    pub party: String,
    /// `(round, utility to this party)`, round 1-based.
    pub points: Vec<(u32, f64)>,
}

/// The concessions of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concessions {
    /// `own_offers` (each party's offers in its own utility) or `texts` (the last text the
    /// mediator put forward in each round, in each party's utility).
    pub kind: &'static str,
    /// One curve per participating party.
    pub curves: Vec<Curve>,
    /// Each participating party's walk-away value, in curve order.
    pub reservations: Vec<f64>,
    /// The round of agreement (1-based), if any.
    pub agreed_round: Option<u32>,
    /// The deadline.
    pub deadline: u32,
}

/// One protocol's run on one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// The protocol.
    pub protocol: StudyProtocol,
    /// Why it did not run (e.g. no mediator), if it did not.
    pub not_run: Option<String>,
    /// Did it reach a deal?
    pub agreed: bool,
    /// How it ended, in words.
    pub summary: String,
    /// The deal, issue by issue.
    pub deal: Option<Vec<Term>>,
    /// Every actor's utility (scenario order): of the deal, or its walk-away value.
    pub utilities: Vec<(String, f64)>,
    /// Distances from the result to the frontier and the bargaining solutions (NegMAS
    /// definitions), in the utility space of the parties that must agree; every other
    /// stakeholder's utility beside.
    pub quality: Option<AgreementQuality>,
    /// The mediating actor's utility of the result and at the required parties' Nash deal (the
    /// price of its bias), for mediated protocols whose scenario names a mediator.
    pub mediator: Option<OutsideUtility>,
    /// Concession curves.
    pub concessions: Option<Concessions>,
    /// The engine's own record of the negotiation.
    pub simulation: Option<Simulation>,
}

impl Run {
    /// The part of a run that says what happened (not how it is recorded), to find cases whose
    /// results are the same.
    pub(crate) fn same_result(&self, other: &Run) -> bool {
        self.not_run == other.not_run && self.summary == other.summary && self.deal == other.deal && self.utilities == other.utilities
    }

    /// The same result, measured the same way (a variant that changes who must agree changes the
    /// space its quality is measured in), so that one table can show both.
    pub(crate) fn same_shown(&self, other: &Run) -> bool {
        self.same_result(other) && self.quality == other.quality && self.mediator == other.mediator
    }
}

/// Every protocol on one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseRuns {
    /// `base` or the variant id.
    pub case: String,
    /// Why nothing ran (the space cannot be prepared), if so.
    pub error: Option<String>,
    /// One run per protocol, in [`StudyProtocol::ALL`] order.
    pub runs: Vec<Run>,
    /// The first earlier case whose results are identical, if any.
    pub same_as: Option<String>,
}

/// One line saying how a negotiation ended.
pub fn status_text(sim: &Simulation) -> String {
    match &sim.status {
        Status::Agreed { round, .. } => format!("deal in round {} of {}", round + 1, sim.deadline),
        Status::TimedOut => format!("no deal: the deadline of {} rounds passed", sim.deadline),
        Status::Broken { by } => match sim.parties.get(*by as usize) {
            Some(p) => format!("no deal: {p} walked away in round {}", sim.rounds),
            None => format!("no deal: the mediator found no text to propose (round {})", sim.rounds),
        },
        Status::Errored { by, reason } => {
            format!("no deal: {}'s negotiator failed: {reason}", sim.parties.get(*by as usize).map_or("?", String::as_str))
        }
        Status::Running => "still running".into(),
    }
}

/// Where results are measured: the required parties' space of one case's analysis, and which
/// scenario actor each analysed party is. Built once per analysis, it measures any number of
/// results ([`crate::negotiation::report`] builds one per report; a batch builds one per
/// scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    space: QualitySpace,
    actors: Vec<Option<usize>>,
}

impl Measure {
    /// The required parties' space of `a`, an analysis of `s`.
    pub fn new(s: &Scenario, a: &Analysis) -> Self {
        Measure { space: QualitySpace::required(a), actors: a.parties.iter().map(|p| s.actor_index(&p.id)).collect() }
    }

    /// The quality of a result: `utilities` has one entry per scenario actor.
    pub fn quality(&self, utilities: &[f64]) -> AgreementQuality {
        let u: Vec<f64> = self.actors.iter().map(|k| k.map_or(0.0, |k| utilities[k])).collect();
        self.space.measure(&u)
    }
}

/// The mediator's entry of a quality's outside utilities.
pub(crate) fn mediator_utility(q: Option<&AgreementQuality>, sim: &Simulation) -> Option<OutsideUtility> {
    let m = sim.mediator.as_deref()?;
    q?.outside.iter().find(|o| o.actor == m).cloned()
}

pub(crate) fn concessions(s: &Scenario, prepared: &PreparedScenario, sim: &Simulation) -> Concessions {
    let idx: Vec<usize> = sim.parties.iter().map(|p| s.actor_index(p).unwrap_or(0)).collect();
    let mediator = sim.parties.len() as u32;
    let mediated = sim.protocol != Protocol::JointTable;
    let mut curves: Vec<Curve> = sim.parties.iter().map(|p| Curve { party: p.clone(), points: Vec::new() }).collect();
    let utils = prepared.utilities();
    // Mediated: the text as it stood at the end of each round — the last the mediator put
    // forward or, in shuttle mediation, revised after a counter-proposal (shuttle shows several
    // texts within a round; one point per round keeps the curve readable).
    let mut last_text: Vec<(u32, u64)> = Vec::new();
    for e in &sim.history {
        let Action::Offer(o) = e.action else { continue };
        if mediated {
            if e.actor == mediator {
                match last_text.last_mut() {
                    Some(last) if last.0 == e.round => last.1 = o,
                    _ => last_text.push((e.round, o)),
                }
            }
        } else if let Some(c) = curves.get_mut(e.actor as usize) {
            c.points.push((e.round + 1, utils[idx[e.actor as usize]].utility(o)));
        }
    }
    for (round, o) in last_text {
        for (k, c) in curves.iter_mut().enumerate() {
            c.points.push((round + 1, utils[idx[k]].utility(o)));
        }
    }
    Concessions {
        kind: if mediated { "texts" } else { "own_offers" },
        reservations: idx.iter().map(|&i| utils[i].reservation_value()).collect(),
        curves,
        agreed_round: match sim.status {
            Status::Agreed { round, .. } => Some(round + 1),
            _ => None,
        },
        deadline: sim.deadline,
    }
}

/// Runs `protocol` on `s` with the parties' default strategies.
pub(crate) fn run_protocol(
    s: &Scenario,
    prepared: &Arc<PreparedScenario>,
    measure: Option<&Measure>,
    protocol: StudyProtocol,
    seed: u64,
) -> Run {
    let not_run = |why: String| Run {
        protocol,
        not_run: Some(why.clone()),
        agreed: false,
        summary: format!("not run: {why}"),
        deal: None,
        utilities: Vec::new(),
        quality: None,
        mediator: None,
        concessions: None,
        simulation: None,
    };
    if let Some(why) = protocol.not_applicable(s) {
        return not_run(why);
    }
    let (proto, rule) = protocol.engine();
    let spec = SimulationSpec { protocol: Some(proto), mediator_rule: rule, seed, ..Default::default() };
    match simulate(s, prepared, &spec) {
        Err(e) => not_run(e.to_string()),
        Ok(sim) => {
            let quality = measure.map(|m| m.quality(&sim.undiscounted));
            Run {
                protocol,
                not_run: None,
                agreed: sim.agreement.is_some(),
                summary: status_text(&sim),
                deal: sim.agreement.map(|o| terms(s, o)),
                utilities: s.actors.iter().map(|a| a.id.clone()).zip(sim.utilities.iter().copied()).collect(),
                mediator: mediator_utility(quality.as_ref(), &sim),
                quality,
                concessions: Some(concessions(s, prepared, &sim)),
                simulation: Some(sim),
            }
        }
    }
}

/// Prepares a scenario for negotiation, or says why it cannot be.
pub(crate) fn prepare(s: &Scenario) -> Result<Arc<PreparedScenario>, String> {
    PreparedScenario::new(s).map(Arc::new).map_err(|e| format!("cannot negotiate on {}: {e}", s.meta.id))
}

/// Every protocol on one case.
pub(crate) fn case_runs(case: &str, s: &Scenario, analysis: Option<&Analysis>, seed: u64) -> CaseRuns {
    match prepare(s) {
        Err(e) => CaseRuns { case: case.to_string(), error: Some(e), runs: Vec::new(), same_as: None },
        Ok(p) => {
            let measure = analysis.map(|a| Measure::new(s, a));
            CaseRuns {
                case: case.to_string(),
                error: None,
                runs: StudyProtocol::ALL.iter().map(|&proto| run_protocol(s, &p, measure.as_ref(), proto, seed)).collect(),
                same_as: None,
            }
        }
    }
}
