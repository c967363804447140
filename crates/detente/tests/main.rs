//! Integration tests of the `detente` facade: one test binary (faster to build and smaller than
//! one per file); each module is one topic, so a test is named `<module>::<test>`.

mod batch;
mod errors;
mod seeds;

use detente::prelude::*;

/// A shipped scenario of `scenarios/`, prepared.
pub(crate) fn shipped(name: &str) -> Prepared {
    Prepared::new(detente_testkit::shipped_scenario(name)).expect("the shipped scenarios negotiate")
}

/// A tournament of `negotiators` on `scenarios` with a fixed seed.
pub(crate) fn tournament(negotiators: &[&str], scenarios: Vec<Prepared>, repetitions: u32) -> Tournament {
    let negotiators = parse_negotiators(negotiators).expect("specs parse");
    Tournament { repetitions, seed: 2026, ..Tournament::new(negotiators, scenarios) }
}
