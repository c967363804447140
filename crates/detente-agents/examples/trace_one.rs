//! Prints the trace of one simulation on a scenario: `trace_one FILE PROTOCOL [RULE]`.
use detente_agents::{simulate, Protocol, SimulationSpec};
use detente_protocol::PreparedScenario;
use std::sync::Arc;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let s = detente_formats::load_path(std::path::Path::new(&a[1])).expect("scenario");
    let s = if let Some(v) = a.get(4) { s.with_variant(v).expect("variant") } else { s };
    let p = Arc::new(PreparedScenario::new(&s).expect("prepare"));
    let spec = SimulationSpec {
        protocol: Protocol::parse(&a[2]),
        mediator_rule: a.get(3).and_then(|r| detente_core::MediatorRule::parse(r)),
        trace: true,
        ..Default::default()
    };
    let r = simulate(&s, &p, &spec).expect("simulate");
    print!("{}", r.trace.unwrap_or_default());
}
