//! The stability lens of detente: the Graph Model for Conflict Resolution (GMCR).
//!
//! - [`model`]: decision makers, options, feasibility and preferences ([`ConflictSpec`]), and
//!   the validated [`Conflict`] with its prepared [`Graph`] of feasible states, moves and ranks;
//! - [`expr`]: option literals, Y/N/- patterns, Boolean formulas and the GMCR II / gmcr-py
//!   preference-statement language ([`Statement::parse`]);
//! - [`stability`]: Nash, GMR, SMR, SEQ and SIM for every DM and state;
//! - [`coalition`]: coalition reachable sets and improvements, coalitions as movers;
//! - `status_quo`: legal paths from the status quo (in the report);
//! - [`explain`]: why a state is (not) stable, as data and in words;
//! - [`report`]: the entry point [`analyze`] and its [`StabilityReport`];
//! - [`error`]: typed errors with paths into the spec.
//!
//! ```
//! use detente_conflict::*;
//! // Prisoner's dilemma in option form: each DM controls "defect".
//! let spec = ConflictSpec {
//!     name: "PD".into(),
//!     dms: vec![DecisionMaker::new("A"), DecisionMaker::new("B")],
//!     structure: Structure::Options {
//!         options: vec![OptionDef::new("A defects", 0), OptionDef::new("B defects", 1)],
//!         constraints: vec![],
//!     },
//!     // States NN=1, YN=2, NY=3, YY=4; most preferred first.
//!     preferences: vec![
//!         Preference::Ranking([2, 1, 4, 3].map(|s| vec![StateRef::Number(s)]).to_vec()),
//!         // B: A cooperating matters most, then B defecting: ranks 3 1 4 2.
//!         Preference::Prioritization(vec![Statement::parse("-1")?, Statement::parse("2")?]),
//!     ],
//!     status_quo: Some(StateRef::Number(1)),
//! };
//! let conflict = spec.validate().map_err(|e| e[0].clone())?;
//! let report = analyze(&conflict, &AnalysisOptions::default())?;
//! assert_eq!(report.equilibria(Concept::Nash), &[4]);
//! assert_eq!(report.equilibria(Concept::Seq), &[1, 4]);
//! # Ok::<(), ConflictError>(())
//! ```
//!
//! The definitions followed are those of `docs/stability.md` (Fang, Hipel & Kilgour 1993 for
//! n decision makers, with coalition reachable sets built over legal move sequences).

pub mod coalition;
pub mod error;
pub mod explain;
pub mod expr;
pub mod model;
pub mod report;
pub mod stability;
pub(crate) mod status_quo;

pub use error::{ConflictError, ErrorKind};
pub use explain::{Explanation, ImprovementVerdict, Step};
pub use expr::{Expr, Literal, Pattern, Statement};
pub use model::{
    Adjacency, Conflict, ConflictSpec, Constraint, DecisionMaker, DmIndex, Graph, OptIdx, OptionDef, Preference, Reversibility, StateDef,
    StateRef, Structure,
};
pub use report::{analyze, AnalysisOptions, ExplainScope, StabilityReport, SCHEMA};
pub use stability::{individual_stability, Concept, Mover, Movers, Stabilities};
