//! A negotiator written in Python, in any seat of any protocol.
//!
//! The Python object has `propose(view)` (an outcome: its index, or a dict of issue → option
//! label), optionally `respond(view, offer)` (`"accept"` or `True`, `"reject"` or `False` — then
//! `propose` is asked for the counter-offer —, or `"end"`; without it, every offer is answered with a counter-offer)
//! and optionally `vote(view, proposal, current)` (a bool; without it, GENIUS's HillClimber
//! voter). `view` is a [`View`]: the same read-only facts a Rust negotiator gets, owned.
//!
//! A call that raises, returns something that is not a move, or takes longer than its time limit
//! errors the negotiation — `Errored`, with the Python error and traceback as the reason — and
//! never the process: the adapter unwinds with the reason (`resume_unwind` of a
//! `detente_protocol::Failed`, so no panic hook prints), and the session's `catch_unwind` turns
//! it into the errored status with that reason, as it does a panicking Rust negotiator. An offer outside the space or across the seat's red line is
//! refused by the protocol as for any negotiator. A call is not interrupted: the limit is
//! checked when it returns.

use detente_core::OutcomeSpace;
use detente_protocol::{Action, Event, Failed, Negotiator, OutcomeId, PartyUtility};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::Arc;
use std::time::Instant;

/// What a Python negotiator sees when it is asked: the round and the clock, the offer on the
/// table, its own utility (never the others'), the outcome space and what it has seen so far.
#[pyclass(frozen, module = "detente._detente")]
pub struct View {
    actor: String,
    scenario: detente_tournament::Prepared,
    source: String,
    me: u32,
    n_parties: u32,
    round: u32,
    n_rounds: u32,
    time: f64,
    offer: Option<(OutcomeId, u32)>,
    utility: Arc<PartyUtility>,
    space: Arc<OutcomeSpace>,
    history: Vec<Event>,
}

#[pymethods]
impl View {
    /// The party you play (its actor id).
    #[getter]
    fn actor(&self) -> String {
        self.actor.clone()
    }
    /// The scenario (for an adapter that needs the whole of it, such as `detente.negmas.seat`;
    /// a negotiator reads only its own utility through the view).
    #[getter]
    fn scenario(&self) -> crate::Scenario {
        crate::Scenario::shared(self.scenario.clone(), self.source.clone())
    }
    /// Your place among the participants.
    #[getter]
    fn me(&self) -> u32 {
        self.me
    }
    /// The number of participants.
    #[getter]
    fn n_parties(&self) -> u32 {
        self.n_parties
    }
    /// The round, 0-based.
    #[getter]
    fn round(&self) -> u32 {
        self.round
    }
    /// The deadline in rounds.
    #[getter]
    fn n_rounds(&self) -> u32 {
        self.n_rounds
    }
    /// Relative time in (0, 1]: NegMAS's `(round + 1) / (n_rounds + 1)`.
    #[getter]
    fn time(&self) -> f64 {
        self.time
    }
    /// The outcome on the table (an index), if any.
    #[getter]
    fn offer(&self) -> Option<OutcomeId> {
        self.offer.map(|o| o.0)
    }
    /// Who put it there (a participant's place; the mediator's is `n_parties`).
    #[getter]
    fn offer_by(&self) -> Option<u32> {
        self.offer.map(|o| o.1)
    }
    /// The number of outcomes.
    #[getter]
    fn n_outcomes(&self) -> u64 {
        self.utility.len() as u64
    }
    /// Your walk-away value.
    #[getter]
    fn reservation(&self) -> f64 {
        self.utility.reservation_value()
    }
    /// How many outcomes cross none of your red lines.
    #[getter]
    fn n_acceptable(&self) -> usize {
        self.utility.n_acceptable()
    }
    /// Your utility of outcome `o`.
    fn utility(&self, o: OutcomeId) -> PyResult<f64> {
        self.utility.get(o).ok_or_else(|| PyValueError::new_err(format!("outcome {o} is outside the space")))
    }
    /// Whether `o` crosses none of your red lines (only such outcomes may be offered or accepted).
    fn acceptable(&self, o: OutcomeId) -> bool {
        o < self.utility.len() as u64 && self.utility.acceptable(o)
    }
    /// Your best acceptable outcome.
    fn best(&self) -> OutcomeId {
        self.utility.best()
    }
    /// The `k`-th best acceptable outcome (0: the best), or `None` past the last.
    fn ranked(&self, k: usize) -> Option<OutcomeId> {
        let n = self.utility.n_acceptable();
        (k < n).then(|| self.utility.at_rank(n - 1 - k))
    }
    /// The worst acceptable outcome worth at least `x` to you, or `None`.
    fn worst_at_least(&self, x: f64) -> Option<OutcomeId> {
        let r = self.utility.rank_at_least(x);
        (r < self.utility.n_acceptable()).then(|| self.utility.at_rank(r))
    }
    /// Outcome `o` as a dict of issue id → option label.
    fn outcome<'py>(&self, py: Python<'py>, o: OutcomeId) -> PyResult<Bound<'py, PyDict>> {
        let values = self.space.outcome_at(o).ok_or_else(|| PyValueError::new_err(format!("outcome {o} is outside the space")))?;
        let d = PyDict::new(py);
        for (issue, v) in self.space.issues().iter().zip(values.0.iter()) {
            d.set_item(&issue.id, issue.format_value(v))?;
        }
        Ok(d)
    }
    /// The index of the outcome given as a dict of issue id → option label.
    fn index(&self, values: &Bound<'_, PyDict>) -> PyResult<OutcomeId> {
        index_of(&self.space, values)
    }
    /// What you have seen, in order: `(round, participant, action, outcome)` with action
    /// `offer`, `accept`, `reject` or `end` and the outcome of an offer.
    #[getter]
    fn history(&self) -> Vec<(u32, u32, &'static str, Option<OutcomeId>)> {
        self.history
            .iter()
            .map(|e| {
                let o = match e.action {
                    Action::Offer(o) => Some(o),
                    _ => None,
                };
                (e.round, e.actor, e.action.name(), o)
            })
            .collect()
    }
    fn __repr__(&self) -> String {
        format!("<detente.View round {} of {}, offer {:?}>", self.round + 1, self.n_rounds, self.offer.map(|o| o.0))
    }
}

fn index_of(space: &OutcomeSpace, values: &Bound<'_, PyDict>) -> PyResult<OutcomeId> {
    let mut idx = Vec::with_capacity(space.issues().len());
    for issue in space.issues() {
        let v = values
            .get_item(&issue.id)?
            .ok_or_else(|| PyValueError::new_err(format!("the outcome names no option for issue `{}`", issue.id)))?;
        let label: String = v.str()?.extract()?;
        let n = issue.cardinality().unwrap_or(0) as u32;
        let k = (0..n)
            .find(|&k| issue.value_at(k).is_some_and(|x| issue.format_value(&x) == label))
            .ok_or_else(|| PyValueError::new_err(format!("issue `{}` has no option `{label}`", issue.id)))?;
        idx.push(k);
    }
    space.outcome_from_indices(&idx).and_then(|o| space.index_of(&o)).ok_or_else(|| PyValueError::new_err("not an outcome of the space"))
}

/// The name a Python negotiator (an instance or a class) goes by: its `name` attribute, else its
/// class name.
pub(crate) fn name_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(n) = obj.getattr("name") {
        if n.is_instance_of::<PyString>() {
            return n.extract();
        }
    }
    if let Ok(class) = obj.cast::<pyo3::types::PyType>() {
        return class.name()?.extract();
    }
    obj.get_type().name()?.extract()
}

/// A Python object in a seat.
pub(crate) struct PyNegotiator {
    obj: Py<PyAny>,
    /// Whether it has `respond` and `vote` (else every offer is countered, and it votes as
    /// GENIUS's HillClimber voter).
    responds: bool,
    votes: bool,
    scenario: detente_tournament::Prepared,
    source: String,
    /// The actor id it plays.
    actor: String,
    utility: Arc<PartyUtility>,
    space: Arc<OutcomeSpace>,
    timeout: Option<f64>,
}

impl PyNegotiator {
    /// `obj` plays `actor` (an index into the scenario's actors) of `scenario`.
    pub(crate) fn new(
        obj: Bound<'_, PyAny>,
        scenario: detente_tournament::Prepared,
        source: String,
        actor: usize,
        timeout: Option<f64>,
    ) -> PyResult<Self> {
        let (responds, votes) = (obj.hasattr("respond")?, obj.hasattr("vote")?);
        let utility = Arc::clone(scenario.prepared().utility(actor));
        let space = Arc::clone(scenario.prepared().space());
        let actor = scenario.scenario().actors[actor].id.clone();
        Ok(PyNegotiator { obj: obj.unbind(), responds, votes, scenario, source, actor, utility, space, timeout })
    }

    fn view(&self, v: &detente_protocol::View<'_>) -> View {
        View {
            actor: self.actor.clone(),
            scenario: self.scenario.clone(),
            source: self.source.clone(),
            me: v.me,
            n_parties: v.n_parties,
            round: v.round,
            n_rounds: v.n_rounds,
            time: v.time,
            offer: v.offer.map(|s| (s.outcome, s.by)),
            utility: Arc::clone(&self.utility),
            space: Arc::clone(&self.space),
            history: v.history.to_vec(),
        }
    }

    /// Runs `f` with the GIL; a Python error or a call over the time limit unwinds with the
    /// reason (the session errors the negotiation).
    fn call<T>(&self, what: &str, f: impl FnOnce(Python<'_>, &Bound<'_, PyAny>) -> PyResult<T>) -> T {
        let start = Instant::now();
        let result = Python::attach(|py| {
            f(py, self.obj.bind(py)).map_err(|e| {
                let trace = e.traceback(py).and_then(|t| t.format().ok()).unwrap_or_default();
                format!("{what} raised {e}\n{trace}")
            })
        });
        let took = start.elapsed().as_secs_f64();
        match result {
            Ok(_) if self.timeout.is_some_and(|limit| took > limit) => std::panic::resume_unwind(Box::new(Failed(format!(
                "{what} took {took:.3} s, over its limit of {:.3} s",
                self.timeout.unwrap_or_default()
            )))),
            Ok(t) => t,
            Err(reason) => std::panic::resume_unwind(Box::new(Failed(reason))),
        }
    }

    fn outcome(&self, answer: &Bound<'_, PyAny>) -> PyResult<OutcomeId> {
        if let Ok(d) = answer.cast::<PyDict>() {
            return index_of(&self.space, d);
        }
        answer.extract::<OutcomeId>().map_err(|_| {
            PyValueError::new_err(format!(
                "propose returned {}, not an outcome (its index, or a dict of issue → option)",
                answer.repr().map(|r| r.to_string()).unwrap_or_default()
            ))
        })
    }
}

impl Negotiator for PyNegotiator {
    fn act(&mut self, view: &detente_protocol::View<'_>) -> Action {
        let offer = view.offer.map(|s| s.outcome);
        let snapshot = self.view(view);
        self.call("the negotiator", |py, obj| {
            let v = Py::new(py, snapshot)?;
            if let (Some(o), true) = (offer, self.responds) {
                let answer = obj.call_method1("respond", (v.clone_ref(py), o))?;
                // True / False read as accept / reject
                let answer: String = match answer.extract::<bool>() {
                    Ok(yes) if answer.is_instance_of::<pyo3::types::PyBool>() => (if yes { "accept" } else { "reject" }).to_string(),
                    _ => answer.str()?.extract()?,
                };
                match answer.to_ascii_lowercase().as_str() {
                    "accept" | "accept_offer" | "responsetype.accept_offer" => return Ok(Action::Accept),
                    "end" | "end_negotiation" | "responsetype.end_negotiation" => return Ok(Action::End),
                    "reject" | "reject_offer" | "responsetype.reject_offer" => {}
                    other => {
                        return Err(PyValueError::new_err(format!(
                            "respond returned `{other}`: expected \"accept\", \"reject\" or \"end\""
                        )))
                    }
                }
            }
            let proposal = obj.call_method1("propose", (v,))?;
            if proposal.is_none() {
                return Ok(Action::End);
            }
            self.outcome(&proposal).map(Action::Offer)
        })
    }

    fn vote(&mut self, view: &detente_protocol::View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        if !self.votes {
            return detente_protocol::hill_climber_vote(view, proposal, current);
        }
        let snapshot = self.view(view);
        self.call("the negotiator's vote", |py, obj| {
            let v = Py::new(py, snapshot)?;
            obj.call_method1("vote", (v, proposal, current))?.is_truthy()
        })
    }
}

/// A seat whose Python negotiator could not be made (its class raised): it errors the
/// negotiation at its first move, with why.
pub(crate) struct Unmade(pub(crate) String);

impl Negotiator for Unmade {
    fn act(&mut self, _view: &detente_protocol::View<'_>) -> Action {
        std::panic::resume_unwind(Box::new(Failed(self.0.clone())))
    }
    fn vote(&mut self, _view: &detente_protocol::View<'_>, _proposal: OutcomeId, _current: Option<OutcomeId>) -> bool {
        std::panic::resume_unwind(Box::new(Failed(self.0.clone())))
    }
}

/// A tournament entrant from a Python class (or any callable without arguments that returns a
/// negotiator): a fresh instance for every negotiation's seat.
pub(crate) fn entrant(class: &Bound<'_, PyAny>, timeout: Option<f64>) -> PyResult<detente_tournament::Entrant> {
    let name = name_of(class)?;
    let class: Py<PyAny> = class.clone().unbind();
    let make = move |seat: detente_tournament::SeatFor<'_>| -> Box<dyn Negotiator> {
        let (scenario, source) = (seat.scenario.clone(), seat.scenario.id().to_string());
        Python::attach(|py| match class.bind(py).call0().and_then(|obj| PyNegotiator::new(obj, scenario, source, seat.actor, timeout)) {
            Ok(seat) => Box::new(seat) as Box<dyn Negotiator>,
            Err(e) => Box::new(Unmade(format!("making the negotiator raised {e}"))),
        })
    };
    Ok(detente_tournament::Entrant { name, make: Arc::new(make) })
}
