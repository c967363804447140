//! A scenario made ready for negotiation, owning the scenario.

use crate::BatchError;
use detente_agents::{SimulateError, Simulation, SimulationSpec};
use detente_core::Scenario;
use detente_protocol::PreparedScenario;
use detente_study::{Measure, NegotiationReport};
use std::sync::{Arc, OnceLock};

/// A scenario and its [`PreparedScenario`] (each party's utilities over every outcome, built
/// once), held together so that no negotiation can pair a scenario with another's preparation.
/// Cloning is cheap (one reference count): every thread of a batch shares one.
///
/// The quality measure (the scenario's analysis: frontier, Nash and Kalai–Smorodinsky points,
/// NegMAS's definitions, as `detente negotiate` reports them) is computed on first use and kept.
#[derive(Clone)]
pub struct Prepared(Arc<Inner>);

struct Inner {
    scenario: Scenario,
    prepared: Arc<PreparedScenario>,
    measure: OnceLock<Result<Measure, String>>,
}

impl Prepared {
    /// Prepares `scenario` for negotiation ([`PreparedScenario::new`]).
    pub fn new(scenario: Scenario) -> Result<Self, BatchError> {
        let prepared = PreparedScenario::new(&scenario)
            .map_err(|source| BatchError::Prepare { scenario: scenario.meta.id.clone(), source: Box::new(source) })?;
        Ok(Prepared(Arc::new(Inner { scenario, prepared: Arc::new(prepared), measure: OnceLock::new() })))
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.0.scenario
    }

    /// Its preparation.
    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.0.prepared
    }

    /// The scenario's id.
    pub fn id(&self) -> &str {
        &self.0.scenario.meta.id
    }

    /// The quality measure of results on this scenario ([`detente_study::negotiation::measure`]),
    /// or why the analysis failed (e.g. a space too large to enumerate); computed once.
    pub fn measure(&self) -> Result<&Measure, &str> {
        let m = self.0.measure.get_or_init(|| detente_study::negotiation::measure(&self.0.scenario).map_err(|e| e.to_string()));
        m.as_ref().map_err(String::as_str)
    }

    /// One negotiation: [`detente_agents::simulate`], what `detente negotiate` runs; with a
    /// `time_limit` in the spec, against a wall clock started here (as `detente negotiate
    /// --time-limit` does).
    pub fn simulate(&self, spec: &SimulationSpec) -> Result<Simulation, SimulateError> {
        match spec.time_limit {
            None => detente_agents::simulate(&self.0.scenario, &self.0.prepared, spec),
            Some(_) => {
                let start = std::time::Instant::now();
                let clock = move || start.elapsed().as_secs_f64();
                detente_agents::simulate_with_clock(&self.0.scenario, &self.0.prepared, spec, Some(&clock))
            }
        }
    }

    /// One negotiation with some seats played by the caller's own negotiators
    /// ([`detente_agents::simulate_with_own`]; no wall clock).
    pub fn simulate_with_own(&self, spec: &SimulationSpec, own: Vec<Option<detente_agents::OwnSeat>>) -> Result<Simulation, SimulateError> {
        detente_agents::simulate_with_own(&self.0.scenario, &self.0.prepared, spec, own)
    }

    /// The report of one negotiation, what `detente negotiate --json` prints
    /// ([`detente_study::negotiation::report`], with the measure computed once).
    pub fn report(&self, sim: &Simulation, seed: u64) -> NegotiationReport {
        detente_study::negotiation::report_measured(&self.0.scenario, &self.0.prepared, sim, seed, self.measure())
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared").field("scenario", &self.id()).finish_non_exhaustive()
    }
}
