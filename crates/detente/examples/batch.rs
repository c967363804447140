//! 1,000 negotiations on a GENIUS domain: 5 negotiators in every seat (25 seatings) × 40
//! repetitions, on all cores, one JSON line per negotiation on stdout, in a fixed order.
//! `cargo run --release -p detente --example batch [-- PATH]` (default `../shared/data/genius/Laptop`).

use detente::prelude::*;
use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/genius/Laptop".into());
    let scenario = Prepared::new(load_path(path.as_ref())?)?;
    let negotiators = parse_negotiators(["boulware", "linear", "conceder", "micro", "hardheaded"])?;
    let tournament = Tournament { repetitions: 40, seed: 1, ..Tournament::new(negotiators, vec![scenario]) };
    let (plan, mut out) = (tournament.plan()?, std::io::BufWriter::new(std::io::stdout().lock()));
    plan.try_run(0..plan.len(), |row| writeln!(out, "{}", serde_json::to_string(&row)?))?;
    Ok(())
}
