//! `detente._detente`: the extension module under the `detente` Python package
//! (`python/detente/__init__.py` wraps it; `_detente.pyi` types it).
//!
//! A printer like the CLI and the web app: every result is a report type of the library crates,
//! handed to Python as its JSON (one schema with the CLI's `--json`), and every table — a
//! negotiation's events, a tournament's rows — an Arrow table handed to pyarrow through the C
//! data interface, without a copy. The GIL is released while Rust runs; a negotiator written in
//! Python (`negotiator::PyNegotiator`) takes it back only for its own calls.

mod negotiator;
mod tables;

use detente_agents::{OwnSeat, Protocol, SimulationSpec};
use detente_core::Scenario as CoreScenario;
use detente_tournament::{parse_negotiators, Prepared, Tournament};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use std::path::PathBuf;
use std::sync::Arc;

create_exception!(_detente, DetenteError, PyException, "Something detente was asked cannot be done; the message says why.");
create_exception!(
    _detente,
    ScenarioError,
    DetenteError,
    "A scenario file that does not read, or edits that leave it invalid; `problems` lists each (file, line, column, message)."
);

/// A file's name and its text.
type NamedText = (String, String);

/// One problem of a scenario, as Python gets it: file, line, column (1-based, when known), message.
type Problem = (Option<String>, Option<usize>, Option<usize>, String);

fn error(e: impl std::fmt::Display) -> PyErr {
    DetenteError::new_err(e.to_string())
}

/// A scenario file's problems as a `ScenarioError`: `file:line:column: message` per problem,
/// and the same as tuples in `problems`.
fn format_error(py: Python<'_>, file: &str, e: &detente_formats::FormatError) -> PyErr {
    let problems: Vec<Problem> = e
        .errors()
        .iter()
        .map(|p| {
            let at = p.location();
            let file = at.map_or_else(|| file.to_string(), |l| l.file.clone());
            (Some(file), at.map(|l| l.line).filter(|&n| n > 0), at.map(|l| l.column).filter(|&n| n > 0), p.detail())
        })
        .collect();
    // each problem as the formats crate prints it (`file:line:column: message`), named by file
    let lines: Vec<String> = e
        .errors()
        .iter()
        .map(|p| {
            let line = p.to_string();
            if p.location().is_some() || line.starts_with(file) {
                line
            } else {
                format!("{file}: {line}")
            }
        })
        .collect();
    let n = problems.len();
    let err = ScenarioError::new_err(format!(
        "{file} is not a valid scenario ({n} problem{}):\n{}",
        if n == 1 { "" } else { "s" },
        lines.join("\n")
    ));
    let _ = err.value(py).setattr("problems", problems);
    err
}

fn model_error(py: Python<'_>, what: &str, errors: &detente_core::ModelErrors) -> PyErr {
    let problems: Vec<Problem> = errors.iter().map(|e| (None, None, None, e.to_string())).collect();
    let lines: Vec<String> = problems.iter().map(|p| p.3.clone()).collect();
    let err = ScenarioError::new_err(format!("{what}:\n{}", lines.join("\n")));
    let _ = err.value(py).setattr("problems", problems);
    err
}

/// A scenario, valid by construction, made ready for negotiation once.
#[pyclass(frozen, module = "detente._detente")]
pub struct Scenario {
    inner: Prepared,
    /// Where it came from: a path, `builtin`, or `<toml>`.
    source: String,
    /// Where its `[conflict]` part (the stability lens's model) is read from, when asked for.
    conflict: ConflictPart,
}

/// Where a scenario's `[conflict]` part comes from: the study reads it when it runs, as
/// `detente study` does.
#[derive(Debug, Clone)]
enum ConflictPart {
    /// None: a GENIUS or GeniusWeb scenario, a seat's view.
    Absent,
    /// The built-in scenario's.
    Builtin,
    /// The scenario file's, if it has one (`detente_formats::conflict::load_part`).
    File(PathBuf),
    /// Detente TOML text that has one, and its name.
    Toml(Arc<str>, String),
}

impl ConflictPart {
    fn read(&self, py: Python<'_>) -> PyResult<Option<detente_conflict::Conflict>> {
        match self {
            ConflictPart::Absent => Ok(None),
            ConflictPart::Builtin => {
                detente_formats::reference::conflict().map(Some).map_err(|e| format_error(py, detente_formats::reference::NAME, &e))
            }
            ConflictPart::File(path) => {
                detente_formats::conflict::load_part(path).map_err(|e| format_error(py, &path.display().to_string(), &e))
            }
            ConflictPart::Toml(text, name) => {
                detente_formats::conflict::from_toml_str(text, name).map(Some).map_err(|e| format_error(py, name, &e))
            }
        }
    }
}

impl Scenario {
    /// A scenario already prepared (a seat's view of it).
    pub(crate) fn shared(inner: Prepared, source: String) -> Scenario {
        Scenario { inner, source, conflict: ConflictPart::Absent }
    }

    fn new(py: Python<'_>, scenario: CoreScenario, source: String, conflict: ConflictPart) -> PyResult<Scenario> {
        let inner = py.detach(|| Prepared::new(scenario)).map_err(error)?;
        Ok(Scenario { inner, source, conflict })
    }

    fn scenario(&self) -> &CoreScenario {
        self.inner.scenario()
    }
}

/// A `reading` or `semantics` argument: `genius` or `negmas` (`detente_core::Semantics::parse`).
fn semantics(what: &str, given: Option<&str>) -> PyResult<Option<detente_core::Semantics>> {
    given
        .map(|s| {
            detente_core::Semantics::parse(s)
                .ok_or_else(|| PyValueError::new_err(format!("{what}: expected `genius` or `negmas`, got `{s}`")))
        })
        .transpose()
}

/// Reads a scenario file: detente TOML or JSON, a GENIUS domain folder or XML, a GeniusWeb
/// folder or JSON, a KTAB CSV (as the CLI reads them). `reading` picks a GENIUS folder's
/// reading: `genius` (the default) or `negmas`.
#[pyfunction]
#[pyo3(signature = (path, reading = None))]
fn load(py: Python<'_>, path: PathBuf, reading: Option<&str>) -> PyResult<Scenario> {
    let options = detente_formats::LoadOptions { semantics: semantics("reading", reading)? };
    let name = path.display().to_string();
    let loaded = py.detach(|| detente_formats::load_path_with(&path, &options));
    match loaded {
        Ok((s, _)) => Scenario::new(py, s, name, ConflictPart::File(path)),
        Err(e) => Err(format_error(py, &name, &e)),
    }
}

/// The reference scenario: the US-mediated Russia–Ukraine ceasefire talks of February 2025.
#[pyfunction]
fn builtin(py: Python<'_>) -> PyResult<Scenario> {
    let s = detente_formats::reference::scenario().map_err(|e| format_error(py, detente_formats::reference::NAME, &e))?;
    Scenario::new(py, s, "builtin".into(), ConflictPart::Builtin)
}

/// A scenario from detente TOML text; `name` is the file name errors give.
#[pyfunction]
#[pyo3(signature = (text, name = "<toml>"))]
fn from_toml(py: Python<'_>, text: &str, name: &str) -> PyResult<Scenario> {
    match detente_formats::native::from_toml_str(text, name) {
        Ok(s) => {
            let conflict = match detente_formats::conflict::toml_has_conflict(text) {
                true => ConflictPart::Toml(text.into(), name.to_string()),
                false => ConflictPart::Absent,
            };
            Scenario::new(py, s, name.to_string(), conflict)
        }
        Err(e) => Err(format_error(py, name, &e)),
    }
}

/// A scenario from GENIUS XML texts: the domain's (file name, text) and the profiles'; `reading`
/// as for `load`.
#[pyfunction]
#[pyo3(signature = (domain, profiles, reading = None))]
fn from_genius(py: Python<'_>, domain: NamedText, profiles: Vec<NamedText>, reading: Option<&str>) -> PyResult<Scenario> {
    let semantics = semantics("reading", reading)?.unwrap_or(detente_core::Semantics::Genius);
    let refs: Vec<(&str, &str)> = profiles.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    match detente_formats::genius::from_strs(&domain.0, &domain.1, &refs, semantics) {
        Ok(s) => Scenario::new(py, s, domain.0.clone(), ConflictPart::Absent),
        Err(e) => Err(format_error(py, &domain.0, &e)),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(error)
}

/// One entry of `negotiators`: a spec text, or a Python negotiator.
enum Entry<'py> {
    Spec(String),
    Own(Bound<'py, PyAny>, String),
}

fn entries<'py>(negotiators: Option<&Bound<'py, PyList>>) -> PyResult<Option<Vec<Entry<'py>>>> {
    let Some(list) = negotiators else { return Ok(None) };
    list.iter()
        .map(|item| {
            if item.is_instance_of::<PyString>() {
                return Ok(Entry::Spec(item.extract::<String>()?));
            }
            if !item.hasattr("propose")? {
                return Err(PyValueError::new_err(format!(
                    "a negotiator is a spec text (`boulware`, `timebased(e=2)`) or an object with `propose(view)` (and `respond(view, offer)`), not {}",
                    item.repr()?
                )));
            }
            // a class plays as a fresh instance of it, as in a tournament
            let item = if item.is_instance_of::<pyo3::types::PyType>() { item.call0()? } else { item };
            let name = negotiator::name_of(&item)?;
            Ok(Entry::Own(item, name))
        })
        .collect::<PyResult<Vec<_>>>()
        .map(Some)
}

#[pymethods]
impl Scenario {
    /// The scenario's id.
    #[getter]
    fn id(&self) -> String {
        self.scenario().meta.id.clone()
    }

    /// Its title.
    #[getter]
    fn title(&self) -> String {
        self.scenario().meta.title.clone()
    }

    /// Where it was read from: a path, `builtin` or the TOML text's name.
    #[getter]
    fn source(&self) -> String {
        self.source.clone()
    }

    /// The actor ids, in the scenario's order.
    #[getter]
    fn actors(&self) -> Vec<String> {
        self.scenario().actors.iter().map(|a| a.id.clone()).collect()
    }

    /// Each issue's id and its options' labels.
    #[getter]
    fn issues(&self) -> Vec<(String, Vec<String>)> {
        self.scenario()
            .space
            .issues()
            .iter()
            .map(|i| {
                let options = (0..i.cardinality().unwrap_or(0) as u32).filter_map(|v| i.value_at(v)).map(|v| i.format_value(&v)).collect();
                (i.id.clone(), options)
            })
            .collect()
    }

    /// The number of outcomes.
    #[getter]
    fn n_outcomes(&self) -> u64 {
        self.inner.prepared().n_outcomes()
    }

    /// The ids of its what-if variants.
    #[getter]
    fn variants(&self) -> Vec<String> {
        self.scenario().variants.iter().map(|v| v.id.clone()).collect()
    }

    /// The scenario with what-if `id` applied.
    fn variant(&self, py: Python<'_>, id: &str) -> PyResult<Scenario> {
        let s = self.scenario().with_variant(id).map_err(|e| model_error(py, &format!("variant `{id}`"), &e))?;
        Scenario::new(py, s, format!("{}#{id}", self.source), self.conflict.clone())
    }

    /// The parties that take part under `protocol` (`sao`, `single_text`, …), in scenario order.
    #[pyo3(signature = (protocol = None))]
    fn parties(&self, protocol: Option<&str>) -> PyResult<Vec<String>> {
        let p = protocol_of(self.scenario(), protocol)?;
        Ok(detente_agents::participants(self.scenario(), p).into_iter().map(|a| self.scenario().actors[a].id.clone()).collect())
    }

    /// The scenario as GENIUS XML texts: the domain's (file name, text) and each actor's profile
    /// (file name `<actor id>.xml`, text), as `detente scenario export --genius` writes them.
    fn to_genius(&self) -> PyResult<(NamedText, Vec<NamedText>)> {
        let files = detente_formats::genius::to_strings(self.scenario()).map_err(error)?;
        Ok((files.domain, files.profiles))
    }

    /// Every outcome's utility to every actor, as an Arrow table: `outcome_index`, then one
    /// column per actor (its id; its utility of the outcome, the red lines aside).
    fn _utilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        tables::utilities(py, self.scenario(), self.inner.prepared())
    }

    /// The scenario as detente TOML.
    fn to_toml(&self) -> PyResult<String> {
        detente_formats::native::to_toml_string(self.scenario()).map_err(error)
    }

    /// `detente scenario --json`'s summary: actors, issues, positions (JSON).
    fn _summary(&self) -> PyResult<String> {
        to_json(&detente_study::scenario::summarise(self.scenario()))
    }

    /// `detente analyze --json` (JSON): the Pareto frontier's size, every bargaining solution,
    /// the zone of agreement; `semantics`: `negmas` (the default) or `genius`.
    #[pyo3(signature = (semantics = None, frontier = false))]
    fn _analyze(&self, py: Python<'_>, semantics: Option<&str>, frontier: bool) -> PyResult<String> {
        let semantics = crate::semantics("semantics", semantics)?.unwrap_or(detente_analysis::Semantics::Negmas);
        let s = self.scenario();
        py.detach(|| {
            let a = detente_analysis::analyze(s, &detente_analysis::Options { semantics, ..Default::default() }).map_err(error)?;
            to_json(&detente_analysis::analysis_report(&a, s, frontier))
        })
    }

    /// `detente forecast --json`'s report (JSON).
    #[pyo3(signature = (model = "eu", preset = None, runs = None, seed = 0))]
    fn _forecast(&self, py: Python<'_>, model: &str, preset: Option<&str>, runs: Option<usize>, seed: u64) -> PyResult<String> {
        let model = model_of(model, preset, seed)?;
        let s = self.scenario();
        py.detach(|| to_json(&detente_forecast::forecast_scenario(s, &model, runs, seed).map_err(error)?))
    }

    /// Runs `start..end` of a forecast's Monte Carlo (each run seeded from `seed` and its
    /// number): each run's forecast per issue, as JSON, for `_monte_carlo_summary`.
    #[pyo3(signature = (model, preset, seed, start, end))]
    fn _monte_carlo_runs(
        &self,
        py: Python<'_>,
        model: &str,
        preset: Option<&str>,
        seed: u64,
        start: usize,
        end: usize,
    ) -> PyResult<String> {
        let model = model_of(model, preset, seed)?;
        let s = self.scenario();
        py.detach(|| {
            let table = detente_forecast::ForecastTable::from_scenario(s).map_err(error)?;
            let uncertainty = detente_forecast::Uncertainty::from_scenario(&table, s);
            to_json(&detente_forecast::monte_carlo_runs(&table, &model, &uncertainty, seed, start..end).map_err(error)?)
        })
    }

    /// The Monte Carlo summary (JSON, the forecast report's `monte_carlo`) of every run's
    /// forecasts, given as the JSON of consecutive shares in run order.
    #[pyo3(signature = (model, preset, seed, shares))]
    fn _monte_carlo_summary(&self, py: Python<'_>, model: &str, preset: Option<&str>, seed: u64, shares: Vec<String>) -> PyResult<String> {
        let model = model_of(model, preset, seed)?;
        let mut runs: Vec<detente_forecast::RunForecasts> = Vec::new();
        for share in &shares {
            let share: Vec<detente_forecast::RunForecasts> =
                serde_json::from_str(share).map_err(|e| PyValueError::new_err(format!("not a share of runs: {e}")))?;
            runs.extend(share);
        }
        let s = self.scenario();
        py.detach(|| {
            let table = detente_forecast::ForecastTable::from_scenario(s).map_err(error)?;
            to_json(&detente_forecast::monte_carlo_summary(&table, &model, seed, &runs).map_err(error)?)
        })
    }

    /// `detente study --json` (JSON) and the HTML report.
    #[pyo3(signature = (variant = None, runs = None, seeds = None, seed = 0))]
    fn _study(
        &self,
        py: Python<'_>,
        variant: Option<String>,
        runs: Option<usize>,
        seeds: Option<usize>,
        seed: u64,
    ) -> PyResult<(String, String)> {
        let d = detente_study::StudyConfig::default();
        let config =
            detente_study::StudyConfig { variant, seed, runs: runs.unwrap_or(d.runs), seeds: seeds.unwrap_or(d.seeds), pair: None };
        let s = self.scenario();
        let conflict = self.conflict.read(py)?;
        let source = self.source.clone();
        py.detach(|| {
            let report = detente_study::study_with_conflict(s, conflict.as_ref(), &config).map_err(error)?;
            Ok((to_json(&report)?, detente_report::html::render(&report, &source)))
        })
    }

    /// One negotiation: its events as an Arrow table, and its report (detente-study
    /// `NegotiationReport`), whose JSON and page are made when asked for.
    #[pyo3(signature = (protocol = None, negotiators = None, rounds = None, seed = 0, opener = 0, timeout = 10.0))]
    #[allow(clippy::too_many_arguments)]
    fn _negotiate<'py>(
        &self,
        py: Python<'py>,
        protocol: Option<&str>,
        negotiators: Option<&Bound<'py, PyList>>,
        rounds: Option<u32>,
        seed: u64,
        opener: usize,
        timeout: Option<f64>,
    ) -> PyResult<(Bound<'py, PyAny>, Page)> {
        let s = self.scenario();
        let protocol = protocol_of(s, protocol)?;
        let parties = detente_agents::participants(s, protocol);
        let entries = entries(negotiators)?;
        let mut own: Vec<Option<OwnSeat>> = Vec::new();
        let texts = match entries {
            None => None,
            Some(es) => {
                let mut texts = Vec::with_capacity(es.len());
                for (k, e) in es.into_iter().enumerate() {
                    match e {
                        Entry::Spec(t) => {
                            own.push(None);
                            texts.push(t);
                        }
                        Entry::Own(obj, name) => {
                            let actor = parties.get(k).copied().unwrap_or(0);
                            let seat = negotiator::PyNegotiator::new(obj, self.inner.clone(), self.source.clone(), actor, timeout)?;
                            own.push(Some(OwnSeat { name: name.clone(), negotiator: Box::new(seat) }));
                            texts.push(name);
                        }
                    }
                }
                Some(texts)
            }
        };
        let spec = SimulationSpec { protocol: Some(protocol), negotiators: texts, rounds, seed, opener, ..Default::default() };
        let p = &self.inner;
        let sim = py.detach(|| detente_agents::simulate_with_own(p.scenario(), p.prepared(), &spec, own)).map_err(error)?;
        let report = p.report(&sim, seed);
        let events = tables::events(py, s, p.prepared(), &sim)?;
        let page = Page { report, scenario: detente_study::scenario::summarise(s), source: self.source.clone() };
        Ok((events, page))
    }

    fn __repr__(&self) -> String {
        format!(
            "<detente.Scenario {} ({} actors, {} issues, {} outcomes) from {}>",
            self.id(),
            self.scenario().actors.len(),
            self.scenario().space.issues().len(),
            self.n_outcomes(),
            self.source
        )
    }
}

/// A negotiation's report, kept in Rust: its JSON and its page (`detente negotiate --html`)
/// made when asked for, its status and deal read without either.
#[pyclass(frozen, module = "detente._detente")]
pub struct Page {
    report: detente_study::NegotiationReport,
    scenario: detente_study::ScenarioSummary,
    source: String,
}

#[pymethods]
impl Page {
    /// How it ended (`agreed`, `timed_out`, `broken`, `errored`).
    #[getter]
    fn status(&self) -> &'static str {
        self.report.status
    }

    /// The deal's terms as (issue, option) pairs, or `None`.
    #[getter]
    fn deal(&self) -> Option<Vec<(String, String)>> {
        self.report.deal.as_ref().map(|terms| terms.iter().map(|t| (t.issue.clone(), t.value.clone())).collect())
    }

    /// The report as JSON (`detente negotiate --json`).
    fn json(&self) -> PyResult<String> {
        to_json(&self.report)
    }

    /// The page as HTML.
    fn html(&self) -> String {
        detente_report::html::negotiation(&self.report, &self.scenario, &self.source)
    }
}

/// A forecast model by name (`mean`, `median`, `eu` with an optional preset, `smp`,
/// `exchange` seeded with `seed`), as `detente forecast --model` reads it.
fn model_of(model: &str, preset: Option<&str>, seed: u64) -> PyResult<detente_forecast::Model> {
    Ok(match detente_forecast::Model::parse(model, preset).map_err(|e| PyValueError::new_err(e.to_string()))? {
        detente_forecast::Model::Exchange(p) => detente_forecast::Model::Exchange(detente_forecast::exchange::ExchangeParams { seed, ..p }),
        m => m,
    })
}

fn protocol_of(s: &CoreScenario, protocol: Option<&str>) -> PyResult<Protocol> {
    match protocol {
        None => Ok(detente_agents::scenario_protocol(s)),
        Some(p) => Protocol::parse(p).ok_or_else(|| PyValueError::new_err(format!("unknown protocol `{p}`; known: {}", Protocol::names()))),
    }
}

/// The tournament the Python arguments describe: spec texts, then Python classes (each made
/// afresh for every seat it plays).
#[allow(clippy::too_many_arguments)]
fn build_tournament(
    negotiators: &Bound<'_, PyList>,
    scenarios: &[PyRef<'_, Scenario>],
    repetitions: u32,
    rounds: Option<u32>,
    seed: u64,
    protocol: Option<&str>,
    rotate: bool,
    self_play: bool,
    timeout: Option<f64>,
) -> PyResult<Tournament> {
    let mut texts = Vec::new();
    let mut own = Vec::new();
    for item in negotiators.iter() {
        if item.is_instance_of::<PyString>() {
            texts.push(item.extract::<String>()?);
        } else if item.is_instance_of::<pyo3::types::PyType>() || (item.is_callable() && !item.hasattr("propose")?) {
            own.push(negotiator::entrant(&item, timeout)?);
        } else {
            return Err(PyValueError::new_err(format!(
                "a tournament negotiator is a spec text or a class (a new instance plays each negotiation), not {}",
                item.repr()?
            )));
        }
    }
    let specs = parse_negotiators(&texts).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let protocol = protocol
        .map(|p| Protocol::parse(p).ok_or_else(|| PyValueError::new_err(format!("unknown protocol `{p}`; known: {}", Protocol::names()))))
        .transpose()?;
    let prepared: Vec<Prepared> = scenarios.iter().map(|s| s.inner.clone()).collect();
    Ok(Tournament { repetitions, rounds, seed, protocol, rotate, self_play, own, ..Tournament::new(specs, prepared) })
}

/// A tournament in memory: its rows as an Arrow table (`results.parquet`'s columns) and its
/// summary (JSON). `shard = (k, n)` runs the k-th of n shares (1-based), as `--shard k/N`.
#[pyfunction]
#[pyo3(signature = (negotiators, scenarios, repetitions = 1, rounds = None, seed = 0, protocol = None, rotate = false, self_play = true, shard = None, timeout = 10.0))]
#[allow(clippy::too_many_arguments)]
fn _tournament<'py>(
    py: Python<'py>,
    negotiators: &Bound<'py, PyList>,
    scenarios: Vec<PyRef<'py, Scenario>>,
    repetitions: u32,
    rounds: Option<u32>,
    seed: u64,
    protocol: Option<&str>,
    rotate: bool,
    self_play: bool,
    shard: Option<(u32, u32)>,
    timeout: Option<f64>,
) -> PyResult<(Bound<'py, PyAny>, String)> {
    let t = build_tournament(negotiators, &scenarios, repetitions, rounds, seed, protocol, rotate, self_play, timeout)?;
    let shard =
        shard.map(|(k, n)| detente_tournament::store::Shard::new(k, n)).transpose().map_err(|e| PyValueError::new_err(e.to_string()))?;
    let memory = py.detach(|| -> Result<_, String> {
        let plan = t.plan().map_err(|e| e.to_string())?;
        detente_tournament::store::run_in_memory(&plan, shard).map_err(|e| e.to_string())
    });
    let memory = memory.map_err(DetenteError::new_err)?;
    let table = tables::to_pyarrow(py, memory.batches, memory.schema)?;
    Ok((table, to_json(&memory.summary)?))
}

/// The summary (JSON) of a tournament's rows gathered from its shards (`rows`: every row once,
/// in index order), the tournament given as to `_tournament`: what the whole run's summary is.
#[pyfunction]
#[pyo3(signature = (rows, negotiators, scenarios, repetitions = 1, rounds = None, seed = 0, protocol = None, rotate = false, self_play = true))]
#[allow(clippy::too_many_arguments)]
fn _summarize<'py>(
    py: Python<'py>,
    rows: &Bound<'py, PyAny>,
    negotiators: &Bound<'py, PyList>,
    scenarios: Vec<PyRef<'py, Scenario>>,
    repetitions: u32,
    rounds: Option<u32>,
    seed: u64,
    protocol: Option<&str>,
    rotate: bool,
    self_play: bool,
) -> PyResult<String> {
    use arrow_pyarrow::FromPyArrow;
    let t = build_tournament(negotiators, &scenarios, repetitions, rounds, seed, protocol, rotate, self_play, None)?;
    let (batches, _) = arrow_pyarrow::Table::from_pyarrow_bound(rows)?.into_inner();
    let summary = py.detach(|| -> Result<_, String> {
        let plan = t.plan().map_err(|e| e.to_string())?;
        detente_tournament::store::summarize_batches(&plan, &batches).map_err(|e| e.to_string())
    });
    to_json(&summary.map_err(DetenteError::new_err)?)
}

/// The negotiators the registry knows: each name with what it is.
#[pyfunction]
fn negotiator_names() -> Vec<(&'static str, &'static str)> {
    detente_agents::NAMES.to_vec()
}

#[pymodule]
fn _detente(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("DetenteError", m.py().get_type::<DetenteError>())?;
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add_class::<Scenario>()?;
    m.add_class::<negotiator::View>()?;
    m.add_class::<Page>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(builtin, m)?)?;
    m.add_function(wrap_pyfunction!(from_toml, m)?)?;
    m.add_function(wrap_pyfunction!(from_genius, m)?)?;
    m.add_function(wrap_pyfunction!(_tournament, m)?)?;
    m.add_function(wrap_pyfunction!(_summarize, m)?)?;
    m.add_function(wrap_pyfunction!(negotiator_names, m)?)?;
    Ok(())
}
