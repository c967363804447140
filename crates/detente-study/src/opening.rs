//! The opening-concession test: for each variant that adds an opening concession, do the other
//! parties demand more when a party concedes early? The joint table is run with and without the
//! concession; the conceding parties keep their strategies and every other party plays the
//! reference-dependent negotiator (`refdep`: its aspiration rises with the other side's early
//! generosity), so the test can find the effect if the mechanism the claim names is at work.

use crate::simulation::{prepare, status_text};
use detente_agents::{actor_negotiator, participants, simulate, Protocol, Simulation, SimulationSpec};
use detente_core::{NegotiatorKind, NegotiatorSpec, Opening, Patch, Scenario};
use detente_protocol::PreparedScenario;
use serde::Serialize;

/// One issue on which a party's final demand changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Issue id.
    pub issue: String,
    /// Without the concession.
    pub from: String,
    /// With it.
    pub to: String,
}

/// How a party's final demand moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// It demands more (its last offer is worth more to it).
    More,
    /// It demands less.
    Less,
    /// The same.
    Same,
    /// It made no offer in one of the runs.
    Unknown,
}

/// One non-conceding party's final demand (its last offer) with and without the concession.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinalDemand {
    /// Actor id.
    pub party: String,
    /// Its utility of its final demand without the concession.
    pub without: Option<f64>,
    /// With it.
    pub with: Option<f64>,
    /// Which way it moved.
    pub direction: Direction,
    /// The issues on which the demand changed.
    pub changes: Vec<Change>,
}

/// The test on one variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningTest {
    /// The variant's id.
    pub variant: String,
    /// Its title.
    pub title: Option<String>,
    /// The concessions it adds, in words (`ukraine concedes territory = current_line`).
    pub concessions: Vec<String>,
    /// The conceding actors.
    pub conceding: Vec<String>,
    /// The negotiator each participating party plays, in seat order.
    pub negotiators: Vec<(String, String)>,
    /// The other parties' final demands.
    pub demands: Vec<FinalDemand>,
    /// How the run without the concession ended.
    pub without: String,
    /// How the run with it ended.
    pub with: String,
    /// Did any other party demand more with the concession than without?
    pub larger_demands: bool,
}

/// The test for every variant (of `base`) that adds an opening concession, in variant order.
pub(crate) fn opening_tests(base: &Scenario, cases: &[(String, Scenario)], seed: u64) -> Vec<Result<OpeningTest, String>> {
    let mut out = Vec::new();
    for (label, s) in cases {
        let Some(v) = base.variants.iter().find(|v| &v.id == label) else { continue };
        if !v.patches.iter().any(|p| matches!(p, Patch::Opening(_))) {
            continue;
        }
        let added: Vec<&Opening> = s.openings.iter().filter(|o| !base.openings.contains(o)).collect();
        if added.is_empty() {
            continue;
        }
        out.push(one_test(base, s, v.id.clone(), v.title.clone(), &added, seed));
    }
    out
}

fn one_test(
    base: &Scenario,
    s: &Scenario,
    variant: String,
    title: Option<String>,
    added: &[&Opening],
    seed: u64,
) -> Result<OpeningTest, String> {
    let conceding: Vec<String> = added.iter().map(|o| o.actor.clone()).collect();
    let concessions = added
        .iter()
        .map(|o| {
            let v = s.space.issue_index(&o.issue).map_or_else(|| format!("{:?}", o.value), |k| s.space.issues()[k].format_value(&o.value));
            format!("{} concedes {} = {v}", o.actor, o.issue)
        })
        .collect();
    let seat = participants(s, Protocol::JointTable);
    let negotiators: Vec<(String, String)> = seat
        .iter()
        .map(|&i| {
            let a = &s.actors[i];
            let n = if conceding.contains(&a.id) { actor_negotiator(a) } else { NegotiatorSpec::new(NegotiatorKind::RefDep) };
            Ok((a.id.clone(), n.to_string()))
        })
        .collect::<Result<_, String>>()?;
    let spec = SimulationSpec {
        protocol: Some(Protocol::JointTable),
        negotiators: Some(negotiators.iter().map(|(_, n)| n.clone()).collect()),
        seed,
        ..Default::default()
    };
    // An opening changes no preferences: the variant reuses the base's prepared utilities.
    let prepared_base = prepare(base)?;
    let prepared = PreparedScenario::update(&prepared_base, base, s).map(std::sync::Arc::new).map_err(|e| e.to_string())?;
    let without = simulate(base, &prepared_base, &spec).map_err(|e| e.to_string())?;
    let with = simulate(s, &prepared, &spec).map_err(|e| e.to_string())?;
    let mut demands = Vec::new();
    for (k, &i) in seat.iter().enumerate() {
        let a = &s.actors[i];
        if conceding.contains(&a.id) {
            continue;
        }
        let demand = |sim: &Simulation| sim.final_offers.get(k).copied().flatten().and_then(|o| s.space.outcome_at(o));
        let (d0, d1) = (demand(&without), demand(&with));
        let u = |o: &Option<detente_core::Outcome>| o.as_ref().map(|o| a.preferences.utility(&s.space, o));
        let (u0, u1) = (u(&d0), u(&d1));
        let changes = match (&d0, &d1) {
            (Some(x), Some(y)) => s
                .space
                .issues()
                .iter()
                .zip(x.0.iter().zip(&y.0))
                .filter(|(_, (p, q))| p != q)
                .map(|(issue, (p, q))| Change { issue: issue.id.clone(), from: issue.format_value(p), to: issue.format_value(q) })
                .collect(),
            _ => Vec::new(),
        };
        let direction = match (u0, u1) {
            (Some(x), Some(y)) if y > x + 1e-12 => Direction::More,
            (Some(x), Some(y)) if y < x - 1e-12 => Direction::Less,
            (Some(_), Some(_)) => Direction::Same,
            _ => Direction::Unknown,
        };
        demands.push(FinalDemand { party: a.id.clone(), without: u0, with: u1, direction, changes });
    }
    Ok(OpeningTest {
        variant,
        title,
        concessions,
        conceding,
        negotiators,
        larger_demands: demands.iter().any(|d| d.direction == Direction::More),
        demands,
        without: status_text(&without),
        with: status_text(&with),
    })
}
