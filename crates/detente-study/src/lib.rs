//! The study: every lens on a scenario and on each of its what-if variants, findings in plain
//! sentences that point to their evidence, and how robust those findings are to the scenario's
//! stated input spreads.
//!
//! [`study`] computes a [`StudyReport`], plain data that derives `Serialize`; the text briefing,
//! the HTML report and `--json` are printers over it (`detente-report`, `detente-cli`). The
//! experiments live here, not in a front end: the protocol comparison, the opening-concession
//! test, the robustness runs and the one-at-a-time sensitivity table.
//!
//! ```
//! # fn demo(scenario: &detente_core::Scenario) -> Result<(), detente_study::StudyError> {
//! let report = detente_study::study(scenario, &detente_study::StudyConfig { runs: 0, ..Default::default() })?;
//! for finding in &report.findings {
//!     println!("{} (see {})", finding.text, finding.evidence);
//! }
//! # Ok(()) }
//! ```

pub mod comparison;
pub mod deal;
pub mod findings;
pub mod forecast;
pub mod negotiation;
pub mod opening;
pub mod robustness;
pub mod scenario;
pub mod simulation;

use detente_core::{ModelErrors, Scenario};
use serde::Serialize;

pub use comparison::{Arm, ArmResult, Comparison, Contrast, Summary, DEFAULT_SEEDS, MAX_SEEDS};
pub use deal::{CaseDeal, Deal, DealPage, Mark, NashScope, PartyShare, Term, UtilitySpace};
pub use detente_forecast::{ComparisonRow, ModelComparison};
pub use findings::{Finding, Topic};
pub use forecast::{CaseForecast, Disagreement, ForecastPage, ForecastSection, IssueTrajectory};
pub use negotiation::{NegotiationReport, OfferPoint};
pub use opening::{Direction, FinalDemand, OpeningTest};
pub use robustness::{Probability, Robustness, Sensitivity, UncertainInput};
pub use scenario::{ActorSummary, CaseSummary, IssueSummary, PositionSummary, ScenarioSummary};
pub use simulation::{CaseRuns, Concessions, Curve, Measure, Run, StudyProtocol};

/// The version of the report's JSON schema (`docs/study.md`). Bumped on any change that is not
/// a pure addition.
pub const SCHEMA: &str = "detente-study/2";

/// The default number of robustness runs.
pub const DEFAULT_RUNS: usize = 100;

/// The most robustness runs a study accepts (each re-runs every lens).
pub const MAX_RUNS: usize = 100_000;

/// What to study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudyConfig {
    /// Study this variant alone (default: the base and every variant).
    pub variant: Option<String>,
    /// The seed of the simulations and the robustness runs.
    pub seed: u64,
    /// Robustness runs over the stated spreads (0: none).
    pub runs: usize,
    /// Seeds per protocol and mediator rule in the comparison over seeds (0: none; default
    /// [`DEFAULT_SEEDS`]).
    pub seeds: usize,
    /// The two actors whose utility space the picture shows (default: the first two required
    /// parties, else the first two analysed ones).
    pub pair: Option<(String, String)>,
}

impl Default for StudyConfig {
    fn default() -> Self {
        StudyConfig { variant: None, seed: 0, runs: DEFAULT_RUNS, seeds: DEFAULT_SEEDS, pair: None }
    }
}

/// Why a study could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StudyError {
    /// The variant asked for does not exist or does not apply.
    #[error(transparent)]
    Variant(#[from] ModelErrors),
    /// Too many robustness runs.
    #[error("runs: expected at most {MAX_RUNS} robustness runs, got {0}")]
    TooManyRuns(usize),
    /// Too many seeds per arm of the comparison.
    #[error("seeds: expected at most {MAX_SEEDS} seeds per protocol and rule, got {0}")]
    TooManySeeds(usize),
    /// The pair asked for is not two different actors of the scenario.
    #[error("pair: {0}")]
    Pair(String),
    /// The conflict part could not be analysed.
    #[error("conflict: {0}")]
    Conflict(String),
}

/// A section that ran, or why it did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Section<T> {
    /// It ran.
    Ran(T),
    /// It did not run, and why.
    NotRun {
        /// Why.
        reason: String,
    },
}

impl<T> Section<T> {
    /// The section's content when it ran.
    pub fn ran(&self) -> Option<&T> {
        match self {
            Section::Ran(t) => Some(t),
            Section::NotRun { .. } => None,
        }
    }
}

/// Is there a deal, per case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealSection {
    /// One row per case analysed.
    pub cases: Vec<CaseDeal>,
    /// Cases that could not be analysed, with the reason.
    pub not_analysed: Vec<(String, String)>,
    /// The first case's utility space for two parties (the picture), or why there is none.
    pub utility_space: Section<UtilitySpace>,
}

/// Simulated negotiations, per case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationSection {
    /// The seed.
    pub seed: u64,
    /// The protocols compared.
    pub protocols: Vec<StudyProtocol>,
    /// Per case.
    pub cases: Vec<CaseRuns>,
    /// The opening-concession tests, one per variant that adds an opening concession.
    pub opening_tests: Vec<Section<OpeningTest>>,
    /// Every protocol under every mediator rule over seeds, on the first case.
    pub comparison: Section<Comparison>,
}

/// The study of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyReport {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The scenario.
    pub scenario: ScenarioSummary,
    /// The cases studied: the base and every variant, or the one variant asked for.
    pub cases: Vec<CaseSummary>,
    /// The findings, in the order a reader needs them.
    pub findings: Vec<Finding>,
    /// Is there a deal?
    pub deal: DealSection,
    /// Simulated negotiations.
    pub simulation: SimulationSection,
    /// Spatial forecasts.
    pub forecast: ForecastSection,
    /// Robustness to the stated input spreads (when runs were asked for).
    pub robustness: Section<Robustness>,
    /// The stability lens on the scenario's conflict part, when it has one (see
    /// [`study_with_conflict`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability: Option<detente_conflict::StabilityReport>,
}

impl StudyReport {
    /// ` (mediator counted)`: whom the Nash deal of `case` counts beyond the parties that must
    /// agree, to follow "the Nash deal" where it could be taken for theirs (the one simulated
    /// results are measured against); empty where it counts exactly them.
    pub fn nash_counted(&self, case: &str) -> String {
        self.deal.cases.iter().find(|d| d.case == case).map_or(String::new(), |d| d.nash_counted(self.scenario.mediator.as_deref()))
    }
}

/// One case's analysis: the report row and the full analysis (for the quality of simulations).
type Analysed = Result<(CaseDeal, detente_analysis::Analysis), detente_analysis::AnalysisError>;

/// Studies `scenario` (which is valid: it exists).
pub fn study(scenario: &Scenario, config: &StudyConfig) -> Result<StudyReport, StudyError> {
    study_with_conflict(scenario, None, config)
}

/// [`study`], with the stability lens on `conflict` (the scenario file's `[conflict]` part):
/// its equilibria, status-quo paths and explanations go in [`StudyReport::stability`]. The
/// conflict has no variants; it is the same for every case.
pub fn study_with_conflict(
    scenario: &Scenario,
    conflict: Option<&detente_conflict::Conflict>,
    config: &StudyConfig,
) -> Result<StudyReport, StudyError> {
    if config.runs > MAX_RUNS {
        return Err(StudyError::TooManyRuns(config.runs));
    }
    if config.seeds > MAX_SEEDS {
        return Err(StudyError::TooManySeeds(config.seeds));
    }
    let cases: Vec<(String, Scenario)> = match &config.variant {
        Some(v) => vec![(v.clone(), scenario.with_variant(v)?)],
        None => {
            let mut c = vec![("base".to_string(), scenario.clone())];
            for v in &scenario.variants {
                c.push((v.id.clone(), scenario.with_variant(&v.id)?));
            }
            c
        }
    };
    let summaries = cases
        .iter()
        .map(|(label, s)| {
            let v = scenario.variants.iter().find(|v| &v.id == label);
            CaseSummary {
                id: label.clone(),
                title: v.map_or_else(|| Some(scenario.meta.title.clone()), |v| v.title.clone()),
                description: v.and_then(|v| v.description.clone()),
                changes: v.map(|v| v.patches.iter().map(|p| scenario::describe_patch(scenario, p)).collect()).unwrap_or_default(),
                must_agree: scenario::must_agree(s),
                unread: if v.is_some() { scenario::unread_changes(scenario, label, &StudyProtocol::ALL) } else { Vec::new() },
            }
        })
        .collect();

    // Analyse, then simulate with the analyses at hand (for the quality of each result).
    let analysed: Vec<(String, Analysed)> = cases.iter().map(|(label, s)| (label.clone(), deal::analyse_case(label, s))).collect();
    let mut runs: Vec<CaseRuns> = cases
        .iter()
        .zip(&analysed)
        .map(|((label, s), (_, a))| simulation::case_runs(label, s, a.as_ref().ok().map(|x| &x.1), config.seed))
        .collect();
    for k in 0..runs.len() {
        let same = runs[..k]
            .iter()
            .find(|r| {
                r.same_as.is_none() && r.runs.len() == runs[k].runs.len() && r.runs.iter().zip(&runs[k].runs).all(|(a, b)| a.same_shown(b))
            })
            .map(|r| r.case.clone());
        runs[k].same_as = same;
    }

    let comparison = if config.seeds == 0 {
        Section::NotRun { reason: "no seeds were asked for (seeds = 0)".into() }
    } else {
        let (label, s) = &cases[0];
        match comparison::compare(label, s, analysed[0].1.as_ref().ok().map(|x| &x.1), config.seed, config.seeds) {
            Ok(c) => Section::Ran(c),
            Err(reason) => Section::NotRun { reason },
        }
    };
    let pair = match &config.pair {
        None => cases.first().and_then(|(_, s)| deal::picture_pair(s)),
        Some((a, b)) => {
            let known = || scenario.actors.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join(", ");
            let find =
                |id: &str| scenario.actor_index(id).ok_or_else(|| StudyError::Pair(format!("unknown actor `{id}`; known: {}", known())));
            let (x, y) = (find(a)?, find(b)?);
            if x == y {
                return Err(StudyError::Pair(format!("expected two different actors, got `{a}` twice")));
            }
            Some((x, y))
        }
    };
    let utility_space = match (cases.first(), pair) {
        (Some((_, s)), Some((x, y))) => match deal::utility_space(s, x, y) {
            Ok(mut u) => {
                if let Ok((d, _)) = &analysed[0].1 {
                    u.mark_solutions(s, d);
                }
                for r in &runs[0].runs {
                    if let Some(o) = r.simulation.as_ref().and_then(|sim| sim.agreement) {
                        u.mark(s, r.protocol.label(), o);
                    }
                }
                Section::Ran(u)
            }
            Err(reason) => Section::NotRun { reason },
        },
        _ => Section::NotRun { reason: "fewer than two parties to plot".into() },
    };
    let mut deal_cases = Vec::new();
    let mut not_analysed = Vec::new();
    for (label, a) in analysed {
        match a {
            Ok((d, _)) => deal_cases.push(d),
            Err(e) => not_analysed.push((label, e.to_string())),
        }
    }
    let opening_tests = opening::opening_tests(scenario, &cases, config.seed)
        .into_iter()
        .map(|t| match t {
            Ok(t) => Section::Ran(t),
            Err(reason) => Section::NotRun { reason },
        })
        .collect();
    let mut forecast = forecast::section(&cases);
    let robustness = if config.runs == 0 {
        Section::NotRun { reason: "no robustness runs were asked for (runs = 0)".into() }
    } else if scenario.spread_count() == 0 {
        Section::NotRun { reason: "the scenario states no spreads on its inputs, so there is nothing to sample".into() }
    } else {
        let (label, s) = &cases[0];
        let r = robustness::robustness(label, s, config.runs, config.seed);
        for t in &mut forecast.trajectories {
            t.bands = r.forecast_bands.iter().find(|(i, _)| *i == t.issue).map(|(_, b)| b.clone());
        }
        Section::Ran(r)
    };
    let mut report = StudyReport {
        schema: SCHEMA,
        scenario: scenario::summarise(scenario),
        cases: summaries,
        findings: Vec::new(),
        deal: DealSection { cases: deal_cases, not_analysed, utility_space },
        simulation: SimulationSection { seed: config.seed, protocols: StudyProtocol::ALL.to_vec(), cases: runs, opening_tests, comparison },
        forecast,
        robustness,
        stability: None,
    };
    if let Some(c) = conflict {
        let stability =
            detente_conflict::analyze(c, &detente_conflict::AnalysisOptions::default()).map_err(|e| StudyError::Conflict(e.to_string()))?;
        report.stability = Some(stability);
    }
    report.findings = findings::findings(&report);
    Ok(report)
}
