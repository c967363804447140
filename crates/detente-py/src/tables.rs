//! Tables for Python: a negotiation's events, and record batches handed to pyarrow.

use arrow_array::builder::{Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_pyarrow::{IntoPyArrow, Table};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use detente_agents::Simulation;
use detente_core::Scenario;
use detente_protocol::{Action, PreparedScenario};
use pyo3::prelude::*;
use std::sync::Arc;

/// Record batches as one `pyarrow.Table`, through the C data interface (no copy).
pub(crate) fn to_pyarrow(py: Python<'_>, batches: Vec<RecordBatch>, schema: SchemaRef) -> PyResult<Bound<'_, PyAny>> {
    let table = Table::try_new(batches, schema).map_err(|e| crate::DetenteError::new_err(e.to_string()))?;
    table.into_pyarrow(py)
}

/// A negotiation's events, one row each: `round` (1-based), `actor` (the mediator's events name
/// the mediator), `action` (`offer`, `accept`, `reject`, `end`), `outcome_index` and one column
/// per issue (the offer's option labels; null for other actions), and `u_<actor>` per
/// participating party: its utility of the offer.
pub(crate) fn events<'py>(py: Python<'py>, s: &Scenario, prepared: &PreparedScenario, sim: &Simulation) -> PyResult<Bound<'py, PyAny>> {
    let issues = s.space.issues();
    let mediator = sim.mediator.clone().unwrap_or_else(|| "mediator".to_string());
    let party_index: Vec<usize> = sim.parties.iter().map(|p| s.actor_index(p).unwrap_or(0)).collect();
    let mut round = UInt32Builder::new();
    let mut actor = StringBuilder::new();
    let mut action = StringBuilder::new();
    let mut outcome = UInt64Builder::new();
    let mut values: Vec<StringBuilder> = issues.iter().map(|_| StringBuilder::new()).collect();
    let mut utilities: Vec<Float64Builder> = sim.parties.iter().map(|_| Float64Builder::new()).collect();
    let mut idx = vec![0u32; issues.len()];
    for e in &sim.history {
        round.append_value(e.round + 1);
        actor.append_value(sim.parties.get(e.actor as usize).unwrap_or(&mediator));
        action.append_value(e.action.name());
        match e.action {
            Action::Offer(o) => {
                outcome.append_value(o);
                s.space.value_indices_at(o, &mut idx);
                for ((b, issue), &k) in values.iter_mut().zip(issues).zip(&idx) {
                    b.append_option(issue.value_at(k).map(|v| issue.format_value(&v)));
                }
                for (b, &a) in utilities.iter_mut().zip(&party_index) {
                    b.append_option(prepared.utility(a).get(o));
                }
            }
            _ => {
                outcome.append_null();
                values.iter_mut().for_each(|b| b.append_null());
                utilities.iter_mut().for_each(|b| b.append_null());
            }
        }
    }
    let mut fields = vec![
        Field::new("round", DataType::UInt32, false),
        Field::new("actor", DataType::Utf8, false),
        Field::new("action", DataType::Utf8, false),
        Field::new("outcome_index", DataType::UInt64, true),
    ];
    let mut columns: Vec<ArrayRef> =
        vec![Arc::new(round.finish()), Arc::new(actor.finish()), Arc::new(action.finish()), Arc::new(outcome.finish())];
    for (issue, mut b) in issues.iter().zip(values) {
        fields.push(Field::new(issue.id.clone(), DataType::Utf8, true));
        columns.push(Arc::new(b.finish()));
    }
    for (p, mut b) in sim.parties.iter().zip(utilities) {
        fields.push(Field::new(format!("u_{p}"), DataType::Float64, true));
        columns.push(Arc::new(b.finish()));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns).map_err(|e| crate::DetenteError::new_err(e.to_string()))?;
    to_pyarrow(py, vec![batch], schema)
}

/// Every outcome's utility to every actor: `outcome_index`, then a column per actor.
pub(crate) fn utilities<'py>(py: Python<'py>, s: &Scenario, prepared: &PreparedScenario) -> PyResult<Bound<'py, PyAny>> {
    let n = prepared.n_outcomes();
    let mut fields = vec![Field::new("outcome_index", DataType::UInt64, false)];
    let mut columns: Vec<ArrayRef> = vec![Arc::new(arrow_array::UInt64Array::from_iter_values(0..n))];
    for (a, u) in s.actors.iter().zip(prepared.utilities()) {
        fields.push(Field::new(a.id.clone(), DataType::Float64, false));
        columns.push(Arc::new(arrow_array::Float64Array::from(u.utilities().to_vec())));
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns).map_err(|e| crate::DetenteError::new_err(e.to_string()))?;
    to_pyarrow(py, vec![batch], schema)
}
