//! `detente utility`: each actor's utility of one complete outcome.

use super::Options;
use crate::load::{load, Failure};
use crate::render::{print_serialized, table, util};
use std::path::Path;

/// `utility --json`: what each actor gets from one outcome.
#[derive(serde::Serialize)]
struct OutcomeUtilities<'a> {
    scenario: &'a str,
    /// How a GENIUS folder was read (`genius`, `negmas`); `null` for formats with one reading.
    read_with: Option<&'static str>,
    outcome: String,
    index: Option<u64>,
    utilities: Vec<ActorUtility<'a>>,
}

#[derive(serde::Serialize)]
struct ActorUtility<'a> {
    actor: &'a str,
    utility: f64,
    reservation: f64,
    beats_reservation: bool,
    required: bool,
}

pub(crate) fn run(file: Option<&Path>, outcome: &str, opts: &Options<'_>) -> Result<(), Failure> {
    let loaded = load(file, opts.variant, opts.semantics)?;
    let s = &loaded.scenario;
    let outcome = s.space.parse(outcome).map_err(|e| Failure::Input(format!("--outcome: {e}")))?;
    let rows: Vec<(String, f64, f64, bool)> = s
        .actors
        .iter()
        .map(|a| {
            let u = a.preferences.utility(&s.space, &outcome);
            let r = a.preferences.reservation_value(&s.space);
            (a.id.clone(), u, r, a.required)
        })
        .collect();
    if opts.json {
        print_serialized(&OutcomeUtilities {
            scenario: &s.meta.id,
            read_with: s.meta.read_with.map(detente_core::Semantics::as_str),
            outcome: s.space.format(&outcome),
            index: s.space.index_of(&outcome),
            utilities: rows
                .iter()
                .map(|(id, u, r, req)| ActorUtility { actor: id, utility: *u, reservation: *r, beats_reservation: u > r, required: *req })
                .collect(),
        });
        return Ok(());
    }
    outln!("Outcome: {}", s.space.format(&outcome));
    if let Some(how) = s.meta.read_with {
        outln!("Read as {} reads GENIUS files.", how.platform());
    }
    outln!();
    let text_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(id, u, r, req)| {
            vec![
                id.clone(),
                util(*u),
                util(*r),
                if u > r {
                    "yes".into()
                } else if u == r {
                    "indifferent".into()
                } else {
                    "no".into()
                },
                if *req { "yes".into() } else { "no".into() },
            ]
        })
        .collect();
    out!("{}", table(&["actor", "utility", "reservation", "beats walking away", "required"].map(String::from), &text_rows));
    let blockers: Vec<&str> = rows.iter().filter(|(_, u, r, req)| *req && u <= r).map(|(id, ..)| id.as_str()).collect();
    if blockers.is_empty() {
        outln!("\nEvery required party prefers this deal to walking away.");
    } else {
        outln!("\nNot acceptable to: {} (no better than walking away).", blockers.join(", "));
    }
    Ok(())
}
