//! The stability lens of detente: the Graph Model for Conflict Resolution (GMCR).
//!
//! - [`model`]: decision makers, options, feasibility and preferences ([`ConflictSpec`]), and
//!   the validated [`Conflict`] with its prepared [`Graph`] of feasible states, moves and ranks;
//! - [`expr`]: option literals, Y/N/- patterns, Boolean formulas and the GMCR II / gmcr-py
//!   preference-statement language ([`Statement::parse`]);
//! - [`error`]: typed errors with paths into the spec.
//!
//! The definitions followed are those of `docs/stability.md` (Fang, Hipel & Kilgour 1993 for
//! n decision makers, with coalition reachable sets built over legal move sequences).

pub mod error;
pub mod expr;
pub mod model;

pub use error::{ConflictError, ErrorKind};
pub use expr::{Expr, Literal, Pattern, Statement};
pub use model::{
    Adjacency, Conflict, ConflictSpec, Constraint, DecisionMaker, DmIndex, Graph, OptIdx, OptionDef, Preference, Reversibility, StateDef,
    StateRef, Structure,
};
