//! One negotiation as a flat record: the row of a results table (Parquet, CSV), with a fixed
//! set of columns per seat.

use crate::{Row, Status};
use serde::Serialize;

/// One negotiation of a tournament as analysts load it: everything a [`Row`] says that fits a
/// table, with one [`SeatRecord`] per participating party in speaking order. A table of a
/// tournament has [`crate::Plan::max_parties`] groups of seat columns; a negotiation with fewer
/// parties leaves the rest empty.
///
/// Not in a record: the utilities of actors who are not seated (mediators and observers;
/// [`Row::utilities`] has them), and the wall time (not a function of the tournament and its
/// seed, so kept apart: a table of records is the same bytes on every run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Number in the tournament ([`crate::Coordinates::index`]).
    pub index: u64,
    /// Scenario id.
    pub scenario: String,
    /// Index of the scenario in the tournament.
    pub scenario_index: u64,
    /// Seating ([`crate::Coordinates::seating`]).
    pub seating: u64,
    /// Who opens ([`crate::Coordinates::opener`]): the seats are in speaking order.
    pub opener: u64,
    /// Repetition, 0-based.
    pub repetition: u32,
    /// The negotiation's seed ([`crate::negotiation_seed`]).
    pub seed: u64,
    /// Protocol name.
    pub protocol: String,
    /// How it ended.
    pub status: Status,
    /// Why it errored or was refused.
    pub reason: Option<String>,
    /// Was there a deal?
    pub agreement: bool,
    /// Round of agreement, 1-based.
    pub round: Option<u32>,
    /// Rounds run.
    pub rounds: u32,
    /// The deadline.
    pub deadline: u32,
    /// Outcome index of the deal.
    pub outcome_index: Option<u64>,
    /// The deal as `issue=value, …`.
    pub deal: Option<String>,
    /// Sum of the required parties' utilities (before discounts).
    pub welfare: Option<f64>,
    /// Distance to the Pareto frontier.
    pub pareto_distance: Option<f64>,
    /// Distance to the Nash point.
    pub nash_distance: Option<f64>,
    /// Distance to the Kalai–Smorodinsky point.
    pub ks_distance: Option<f64>,
    /// The participating parties, in speaking order.
    pub seats: Vec<SeatRecord>,
}

/// One seat of a [`Record`]: a party, who played it, and what it got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeatRecord {
    /// Actor id.
    pub actor: String,
    /// The negotiator's canonical spec text.
    pub negotiator: String,
    /// Utility of the deal, or its walk-away value without one (discounted when the party has
    /// a discount); empty for a refused negotiation.
    pub utility: Option<f64>,
    /// Walk-away value; empty for a refused negotiation.
    pub reservation: Option<f64>,
    /// `utility − reservation`: the advantage over walking away.
    pub advantage: Option<f64>,
    /// NegMAS's tournament advantage (`cartesian_tournament`'s `make_scores`): the advantage
    /// as a share of the most the party could gain, `(u − r)/(max − r)`; 0 when `max = r`;
    /// `u − min` when the reservation is −∞ (NegMAS's reading of a discounted GENIUS profile)
    /// or not a number. `max` and `min` are the party's highest and lowest utility over the
    /// outcomes ([`Row::ranges`]). The summary's score is its mean.
    pub score: Option<f64>,
}

/// [`SeatRecord::score`] of utility `u`, reservation `r` and the party's utility range.
pub fn negmas_advantage(u: f64, r: f64, (min, max): (f64, f64)) -> f64 {
    if r.is_nan() || r == f64::NEG_INFINITY {
        if min.is_nan() {
            0.0
        } else {
            u - min
        }
    } else if max != r {
        (u - r) / (max - r)
    } else {
        0.0
    }
}

impl From<&Row> for Record {
    fn from(row: &Row) -> Record {
        let seats = row
            .seats
            .iter()
            .enumerate()
            .map(|(k, seat)| {
                let result = row.utilities.iter().find(|u| u.actor == seat.actor);
                let range = row.ranges.get(k).copied();
                SeatRecord {
                    actor: seat.actor.clone(),
                    negotiator: seat.negotiator.clone(),
                    utility: result.map(|u| u.utility),
                    reservation: result.map(|u| u.reservation),
                    advantage: result.map(|u| u.margin),
                    score: result.zip(range).map(|(u, range)| negmas_advantage(u.utility, u.reservation, range)),
                }
            })
            .collect();
        Record {
            index: row.index,
            scenario: row.scenario.clone(),
            scenario_index: row.scenario_index as u64,
            seating: row.seating,
            opener: row.opener as u64,
            repetition: row.repetition,
            seed: row.seed,
            protocol: row.protocol.to_string(),
            status: row.status,
            reason: row.reason.clone(),
            agreement: row.agreement,
            round: row.round,
            rounds: row.rounds,
            deadline: row.deadline,
            outcome_index: row.outcome_index,
            deal: row.deal.clone(),
            welfare: row.welfare,
            pareto_distance: row.pareto_distance,
            nash_distance: row.nash_distance,
            ks_distance: row.ks_distance,
            seats,
        }
    }
}
