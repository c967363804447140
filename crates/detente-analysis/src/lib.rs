//! The analyse lens: is there a deal every required party prefers to walking away, and which
//! deals are efficient and fair?
//!
//! Pure functions over the core model ([`detente_core::Scenario`]); no I/O, clock or RNG.
//!
//! - [`analyze`] → [`Analysis`]: sizes, each party's range, best and worst outcomes, opposition,
//!   rational fraction, the exact Pareto [`Frontier`], the bargaining [`Solutions`] (Nash,
//!   Kalai–Smorodinsky, egalitarian, max welfare, max relative welfare and NegMAS's "modified"
//!   variants) and the [`Zopa`]. [`Semantics`] selects NegMAS's or GENIUS's definitions.
//! - [`pareto_frontier`] streams the frontier alone; [`Frontier::of_points`] works on any points;
//!   [`frontier_by_issue_dp`] handles additive spaces too large to enumerate.
//! - [`agreement_quality`] / [`QualitySpace`] score an agreement for the later lenses in the
//!   required parties' utility space (distance to the frontier, to Nash and KS, welfare,
//!   fairness), with every other stakeholder's utility (a mediator's) beside it.
//! - [`render_text`] writes the analysis for people, with outcomes as issue options.
//!
//! **Ties** are resolved by the lowest outcome index (mixed radix, first issue slowest — the
//! order GENIUS and NegMAS enumerate in). **Floats** are summed in issue order exactly as
//! NegMAS does, so frontiers match NegMAS's bit for bit. Definitions, semantics choices and
//! guarantees: `docs/analysis.md`.
#![deny(missing_docs)]

mod analysis;
mod eval;
mod frontier;
mod large;
mod quality;
mod red_lines;
mod render;
mod scan;
mod solutions;

pub use analysis::{
    analysed_parties, analysis_report, analyze, pareto_frontier, walk_away, zone_and_nash, Analysis, AnalysisReport, Closest, Method,
    Options, PartyReport, Semantics, ZoneAndNash, Zopa,
};
pub use eval::Evaluator;
pub use frontier::{Frontier, FrontierPoint};
pub use large::{frontier_by_issue_dp, frontier_by_issue_dp_values, WitnessedPoint};
pub use quality::{
    agreement_quality, distance, distance_to_frontier, distance_to_solution, welfare, AgreementQuality, OutsideUtility, QualitySpace,
};
/// Whether the analyse lens reads this kind of input: roles (observers are not analysed), who
/// must agree, walk-away values, preferences, red lines and the options; not capabilities,
/// strategies, mediator rules or opening concessions, which only change how parties bargain; nor
/// the salience convention (a spatial utility divides by the actor's total salience, so it is
/// the same under either reading).
pub fn reads(input: detente_core::Input) -> bool {
    use detente_core::Input;
    matches!(input, Input::Roles | Input::Required | Input::Reservations | Input::Preferences | Input::RedLines | Input::Options)
}

pub use red_lines::{RedLineEffect, RedLineSummary};
pub use render::{describe_outcome, render_frontier, render_text};
pub use solutions::{
    genius_ks, genius_nash, genius_solutions, negmas_egalitarian, negmas_ks, negmas_max_relative_welfare, negmas_max_welfare, negmas_nash,
    negmas_solutions, OutcomeRef, Solution, Solutions, EPS,
};

use detente_core::ModelError;
use thiserror::Error;

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// Every actor is an observer.
    #[error("the scenario has no parties to analyse (every actor is an observer)")]
    NoParties,
    /// The space is too large to enumerate (and the non-enumerating method does not apply).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The space cannot be enumerated at all.
    #[error("the outcome space cannot be analysed: {reason}")]
    NotEnumerable {
        /// Why.
        reason: String,
    },
    /// An issue has more values than the analysis tabulates per issue
    /// ([`detente_core::limits::MAX_TABULATED_VALUES`]): refused before any table is built.
    #[error(
        "issue `{issue}` has {values} values, more than the analysis tabulates per issue (limit {limit}); narrow the range or take a larger step (or a coarser grid)"
    )]
    IssueTooLarge {
        /// The issue id.
        issue: String,
        /// Its number of values.
        values: u64,
        /// The limit.
        limit: u64,
    },
    /// A utility table or reservation holds a non-finite number.
    #[error("actor `{actor}` has a utility or reservation value that is not a finite number")]
    NonFinite {
        /// The actor id.
        actor: String,
    },
    /// The non-enumerating method needs additive utilities.
    #[error(
        "the space is too large to enumerate and actor `{actor}` has a non-additive (explicit table) utility, so the per-issue method cannot be used"
    )]
    NotAdditive {
        /// The actor id.
        actor: String,
    },
    /// Red lines need every outcome checked, and the space is too large to enumerate.
    #[error(
        "the space has more outcomes than the analysis enumerates (limit {limit}), and red lines (of {actors}) need every outcome checked"
    )]
    RedLinesTooLarge {
        /// The enumeration limit.
        limit: u64,
        /// The actors with red lines.
        actors: String,
    },
    /// An intermediate frontier of the non-enumerating method grew past its bound.
    #[error("the Pareto frontier grew past {limit} points after issue `{issue}` (preferences are too opposed to list it exactly)")]
    FrontierTooLarge {
        /// The bound.
        limit: usize,
        /// The issue after which it was exceeded.
        issue: String,
    },
}
