//! The one entry point, [`analyze`], and its serialisable [`StabilityReport`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::coalition::{coalition_improvements, partition_movers};
use crate::error::ConflictError;
use crate::explain::{explain, steps, Explanation, Step};
use crate::model::{Conflict, DmIndex};
use crate::stability::{individual_stability, Concept, Movers};
use crate::status_quo::reach_from;

/// The report schema version.
pub const SCHEMA: &str = "detente.stability/1";

/// Which (DM, state, concept) triples to explain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ExplainScope {
    /// Every state when the conflict has at most 64 states, none otherwise.
    #[default]
    Auto,
    /// None.
    None,
    /// Every state.
    All,
    /// These states (1-based numbers).
    States(Vec<usize>),
}

/// What [`analyze`] computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// The concepts to report (SIM and SEQ+SIM need option form and are skipped, with a note,
    /// in graph form). Nash, GMR, SMR and SEQ are always computed.
    pub concepts: Vec<Concept>,
    /// Which explanations to include.
    pub explain: ExplainScope,
    /// A partition of the DMs into coalitions acting as one mover (gmcr-py semantics), if any.
    pub coalitions: Option<Vec<Vec<DmIndex>>>,
    /// Compute coalition improvements `R_H^{++}` for every coalition of two or more DMs and the
    /// coalition-Nash states (only up to `coalition_limit` states and 8 DMs).
    pub coalition_improvements: bool,
    /// The most states for which coalition improvements are computed (their cost is quadratic).
    pub coalition_limit: usize,
    /// The most states for which SIM and SEQ+SIM are computed (each UI is tried against every
    /// combination of the others' simultaneous UIs).
    pub sim_limit: usize,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            concepts: Concept::ALL.to_vec(),
            explain: ExplainScope::Auto,
            coalitions: None,
            coalition_improvements: true,
            coalition_limit: 2000,
            sim_limit: 20_000,
        }
    }
}

impl AnalysisOptions {
    /// Nash, GMR, SMR and SEQ only, no explanations or coalitions: the fast path for large
    /// models.
    pub fn core_only() -> Self {
        AnalysisOptions {
            concepts: Concept::CORE.to_vec(),
            explain: ExplainScope::None,
            coalitions: None,
            coalition_improvements: false,
            coalition_limit: 0,
            sim_limit: 0,
        }
    }
}

/// A DM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DmInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A state of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateInfo {
    /// 1-based number (gmcr-py's ordered number in option form).
    pub number: usize,
    /// Y/N pattern (option form) or state id (graph form).
    pub label: String,
    /// The state in words.
    pub name: String,
    /// gmcr-py decimal value (option form, up to 64 options).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal: Option<u64>,
    /// Per DM, its rank of the state (higher = more preferred; equal = indifferent).
    pub ranks: Vec<u32>,
}

/// One mover's stable states per concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoverStability {
    /// The mover's name.
    pub mover: String,
    /// Its members' ids.
    pub members: Vec<String>,
    /// Per concept, the stable states (1-based, ascending).
    pub stable: BTreeMap<Concept, Vec<usize>>,
}

/// A path from the status quo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathReport {
    /// The state reached (1-based).
    pub state: usize,
    /// The moves, in order (empty for the status quo itself).
    pub steps: Vec<Step>,
}

/// How the status quo can evolve to an equilibrium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EquilibriumPath {
    /// The concept.
    pub concept: Concept,
    /// The equilibrium (1-based).
    pub state: usize,
    /// A shortest legal path of unilateral improvements, if any.
    pub by_improvements: Option<Vec<Step>>,
    /// A shortest legal path of any moves, if any.
    pub by_any_moves: Option<Vec<Step>>,
}

/// Status-quo analysis (spec §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusQuoReport {
    /// The status quo (1-based).
    pub state: usize,
    /// States reachable by legal paths of unilateral improvements, each with a shortest path.
    pub by_improvements: Vec<PathReport>,
    /// Least number of legal moves (any moves) to each reachable state.
    pub steps_any_moves: BTreeMap<usize, usize>,
    /// Paths to each equilibrium of each concept.
    pub to_equilibria: Vec<EquilibriumPath>,
    /// With the coalitions of [`AnalysisOptions::coalitions`] as movers: states reachable by
    /// legal paths of (coalition) improvements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_coalition_improvements: Option<Vec<PathReport>>,
}

/// A coalition's improvements from a state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoalitionImprovement {
    /// The coalition's DM ids.
    pub coalition: Vec<String>,
    /// From state (1-based).
    pub from: usize,
    /// To states every member strictly prefers (1-based).
    pub to: Vec<usize>,
}

/// The stability of a partition of the DMs into coalitions acting as movers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionReport {
    /// The movers' names (`MoE+UR`).
    pub movers: Vec<String>,
    /// Per mover, stable states per concept.
    pub stability: Vec<MoverStability>,
    /// Per concept, the states stable for every mover.
    pub equilibria: BTreeMap<Concept, Vec<usize>>,
}

/// Coalition analysis (spec §2.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoalitionReport {
    /// Coalition improvements `R_H^{++}(s)` (non-empty ones), when computed.
    pub improvements: Option<Vec<CoalitionImprovement>>,
    /// States from which no DM and no coalition has an improvement (coalition Nash), when
    /// computed.
    pub coalition_nash: Option<Vec<usize>>,
    /// The partition analysis, when coalitions were given.
    pub partition: Option<PartitionReport>,
}

/// Everything [`analyze`] found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StabilityReport {
    /// Schema version ([`SCHEMA`]).
    pub schema: &'static str,
    /// The conflict's title.
    pub conflict: String,
    /// The DMs.
    pub dms: Vec<DmInfo>,
    /// The options' names (option form).
    pub options: Vec<String>,
    /// The feasible states.
    pub states: Vec<StateInfo>,
    /// The concepts reported.
    pub concepts: Vec<Concept>,
    /// Per DM, stable states per concept.
    pub stability: Vec<MoverStability>,
    /// Per concept, the equilibria: states stable for every DM.
    pub equilibria: BTreeMap<Concept, Vec<usize>>,
    /// Status-quo analysis, when the conflict has a status quo.
    pub status_quo: Option<StatusQuoReport>,
    /// Coalition analysis.
    pub coalitions: Option<CoalitionReport>,
    /// Explanations, per [`AnalysisOptions::explain`].
    pub explanations: Vec<Explanation>,
    /// What was left out and why.
    pub notes: Vec<String>,
}

impl StabilityReport {
    /// The stable states (1-based) of DM `dm` under `c` (empty when not computed).
    pub fn stable_states(&self, dm: DmIndex, c: Concept) -> &[usize] {
        self.stability.get(dm).and_then(|m| m.stable.get(&c)).map(|v| v.as_slice()).unwrap_or(&[])
    }
    /// The equilibria (1-based) under `c` (empty when not computed).
    pub fn equilibria(&self, c: Concept) -> &[usize] {
        self.equilibria.get(&c).map(|v| v.as_slice()).unwrap_or(&[])
    }
}

fn equilibria_of(stability: &[MoverStability], concepts: &[Concept], n: usize) -> BTreeMap<Concept, Vec<usize>> {
    let mut out = BTreeMap::new();
    for &c in concepts {
        let mut count = vec![0usize; n + 1];
        let mut all = true;
        for m in stability {
            match m.stable.get(&c) {
                Some(v) => v.iter().for_each(|&s| count[s] += 1),
                None => all = false,
            }
        }
        if all {
            out.insert(c, (1..=n).filter(|&s| count[s] == stability.len()).collect());
        }
    }
    out
}

/// Stable states of every mover under the concepts, by the direct engine (SEQ+SIM from SEQ
/// and SIM). Concepts that cannot be computed are left out.
fn direct_stability(movers: &Movers<'_>, conflict: &Conflict, concepts: &[Concept]) -> Vec<MoverStability> {
    let n = movers.graph().n_states();
    movers
        .movers
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut stable = BTreeMap::new();
            for &c in concepts {
                let v: Option<Vec<usize>> = (0..n)
                    .map(|s| movers.is_stable(i, s, c).map(|b| (b, s + 1)))
                    .collect::<Option<Vec<_>>>()
                    .map(|v| v.into_iter().filter(|(b, _)| *b).map(|(_, s)| s).collect());
                if let Some(v) = v {
                    stable.insert(c, v);
                }
            }
            MoverStability { mover: m.name.clone(), members: m.members.iter().map(|&d| conflict.dms()[d].id.clone()).collect(), stable }
        })
        .collect()
}

/// Analyses a conflict: stability of every state for every DM under the requested concepts,
/// equilibria, status-quo paths, coalitions and explanations.
pub fn analyze(conflict: &Conflict, options: &AnalysisOptions) -> Result<StabilityReport, ConflictError> {
    let g = conflict.graph();
    let n = g.n_states();
    if n.saturating_mul(g.n_dms() + 1) >= u32::MAX as usize {
        return Err(ConflictError::new(
            "",
            crate::error::ErrorKind::TooLarge {
                what: "states × decision makers",
                count: n.saturating_mul(g.n_dms() + 1),
                limit: u32::MAX as usize,
            },
        ));
    }
    let mut notes = Vec::new();
    let mut concepts: Vec<Concept> = Concept::ALL.iter().copied().filter(|c| options.concepts.contains(c)).collect();
    let option_form = g.n_options() > 0;
    if !option_form && concepts.iter().any(|c| matches!(c, Concept::Sim | Concept::SeqSim)) {
        concepts.retain(|c| !matches!(c, Concept::Sim | Concept::SeqSim));
        notes.push("SIM and SEQ+SIM need option form (simultaneous moves combine option changes); not computed".into());
    }
    if n > options.sim_limit && concepts.iter().any(|c| matches!(c, Concept::Sim | Concept::SeqSim)) {
        concepts.retain(|c| !matches!(c, Concept::Sim | Concept::SeqSim));
        notes.push(format!(
            "SIM and SEQ+SIM not computed: {n} states exceed the limit of {} (AnalysisOptions::sim_limit)",
            options.sim_limit
        ));
    }
    let fast = individual_stability(g);
    let individuals = Movers::individuals(conflict);
    let mut stability: Vec<MoverStability> = (0..g.n_dms())
        .map(|d| {
            let mut stable = BTreeMap::new();
            for (k, &c) in Concept::CORE.iter().enumerate() {
                if concepts.contains(&c) {
                    stable.insert(c, (0..n).filter(|&s| fast.flags[d][k][s]).map(|s| s + 1).collect());
                }
            }
            MoverStability { mover: conflict.dms()[d].name.clone(), members: vec![conflict.dms()[d].id.clone()], stable }
        })
        .collect();
    if concepts.contains(&Concept::Sim) || concepts.contains(&Concept::SeqSim) {
        let sim = direct_stability(&individuals, conflict, &[Concept::Sim]);
        for (d, m) in stability.iter_mut().enumerate() {
            let Some(simv) = sim[d].stable.get(&Concept::Sim).cloned() else {
                notes.push(format!("SIM for {} has too many combinations of simultaneous moves; not computed", m.mover));
                continue;
            };
            if concepts.contains(&Concept::SeqSim) {
                let seq: Vec<usize> = fast.flags[d][3].iter().enumerate().filter(|(_, &b)| b).map(|(s, _)| s + 1).collect();
                m.stable.insert(Concept::SeqSim, seq.into_iter().filter(|s| simv.binary_search(s).is_ok()).collect());
            }
            if concepts.contains(&Concept::Sim) {
                m.stable.insert(Concept::Sim, simv);
            }
        }
    }
    let equilibria = equilibria_of(&stability, &concepts, n);

    // Coalitions.
    let partition_movers_opt = match &options.coalitions {
        Some(blocks) => Some(partition_movers(conflict, blocks)?),
        None => None,
    };
    let mut coalition_report = None;
    if options.coalition_improvements || partition_movers_opt.is_some() {
        let mut rep = CoalitionReport { improvements: None, coalition_nash: None, partition: None };
        let dms = g.n_dms();
        if options.coalition_improvements {
            if n <= options.coalition_limit && dms <= 8 {
                let mut imps = Vec::new();
                let mut cnash = vec![true; n];
                for (s, flag) in cnash.iter_mut().enumerate() {
                    if !fast.flags.iter().all(|f| f[0][s]) {
                        *flag = false;
                    }
                }
                for mask in 1u32..(1 << dms) {
                    if mask.count_ones() < 2 {
                        continue;
                    }
                    let h: Vec<DmIndex> = (0..dms).filter(|&d| mask >> d & 1 == 1).collect();
                    for (s, flag) in cnash.iter_mut().enumerate() {
                        let to = coalition_improvements(g, &h, s);
                        if !to.is_empty() {
                            *flag = false;
                            imps.push(CoalitionImprovement {
                                coalition: h.iter().map(|&d| conflict.dms()[d].id.clone()).collect(),
                                from: s + 1,
                                to: to.into_iter().map(|t| t + 1).collect(),
                            });
                        }
                    }
                }
                rep.improvements = Some(imps);
                rep.coalition_nash = Some((0..n).filter(|&s| cnash[s]).map(|s| s + 1).collect());
            } else {
                notes.push(format!(
                    "coalition improvements not computed: {n} states and {dms} DMs exceed the limits ({} states, 8 DMs)",
                    options.coalition_limit
                ));
            }
        }
        if let Some(pm) = &partition_movers_opt {
            let st = direct_stability(pm, conflict, &concepts);
            let eq = equilibria_of(&st, &concepts, n);
            rep.partition =
                Some(PartitionReport { movers: pm.movers.iter().map(|m| m.name.clone()).collect(), stability: st, equilibria: eq });
        }
        coalition_report = Some(rep);
    }

    // Status quo.
    let status_quo = conflict.status_quo().map(|s0| {
        let ui = reach_from(&individuals, s0, true);
        let any = reach_from(&individuals, s0, false);
        let paths = |r: &crate::status_quo::Reach, movers: &Movers<'_>| -> Vec<PathReport> {
            r.paths
                .iter()
                .enumerate()
                .filter_map(|(s, p)| p.as_ref().map(|p| PathReport { state: s + 1, steps: steps(conflict, movers, p) }))
                .collect()
        };
        let mut to_equilibria = Vec::new();
        for (&c, eqs) in &equilibria {
            for &e in eqs {
                to_equilibria.push(EquilibriumPath {
                    concept: c,
                    state: e,
                    by_improvements: ui.paths[e - 1].as_ref().map(|p| steps(conflict, &individuals, p)),
                    by_any_moves: any.paths[e - 1].as_ref().map(|p| steps(conflict, &individuals, p)),
                });
            }
        }
        StatusQuoReport {
            state: s0 + 1,
            by_improvements: paths(&ui, &individuals),
            steps_any_moves: any.paths.iter().enumerate().filter_map(|(s, p)| p.as_ref().map(|p| (s + 1, p.len()))).collect(),
            to_equilibria,
            by_coalition_improvements: partition_movers_opt.as_ref().map(|pm| paths(&reach_from(pm, s0, true), pm)),
        }
    });

    // Explanations.
    let states: Vec<usize> = match &options.explain {
        ExplainScope::Auto if n <= 64 => (0..n).collect(),
        ExplainScope::Auto | ExplainScope::None => Vec::new(),
        ExplainScope::All => (0..n).collect(),
        ExplainScope::States(v) => v.iter().filter(|&&s| s >= 1 && s <= n).map(|s| s - 1).collect(),
    };
    let mut explanations = Vec::new();
    for &s in &states {
        for d in 0..g.n_dms() {
            for &c in &concepts {
                if let Some(e) = explain(conflict, &individuals, d, s, c) {
                    explanations.push(e);
                }
            }
        }
    }

    Ok(StabilityReport {
        schema: SCHEMA,
        conflict: conflict.name().to_string(),
        dms: conflict.dms().iter().map(|d| DmInfo { id: d.id.clone(), name: d.name.clone() }).collect(),
        options: conflict.options().iter().map(|o| o.name.clone()).collect(),
        states: (0..n)
            .map(|s| StateInfo {
                number: s + 1,
                label: conflict.state_label(s),
                name: conflict.state_name(s),
                decimal: g.decimal(s),
                ranks: (0..g.n_dms()).map(|d| g.rank(d, s)).collect(),
            })
            .collect(),
        concepts,
        stability,
        equilibria,
        status_quo,
        coalitions: coalition_report,
        explanations,
        notes,
    })
}
