//! Negotiation protocols as pure state machines, and the sessions that run them.
//!
//! - [`SaoState`]: stacked alternating offers (bilateral and multilateral), NegMAS 0.16
//!   semantics by default and GENIUS SAOP as [`Rules::GeniusSaop`]. `check(actor, action)` →
//!   `Result<(), Violation>`, `apply` → the next state. No clock, no I/O.
//! - [`Negotiator`]: a strategy. It acts on a read-only [`View`]: its own utility
//!   ([`PartyUtility`], precomputed and sorted once per scenario and party, shared by `Arc`),
//!   relative time, round, the standing offer and the public history — never another party's
//!   utility, nor its red lines. Its own red lines are compiled into its `PartyUtility`, and
//!   every protocol refuses an offer, accept or yes-vote across them.
//! - [`MediatedState`]: the single negotiating text (veto / hill-climbing / steepest moves, or
//!   NegMAS 0.16's single-text rules, [`MediationRules::Negmas`]) and shuttle mediation as a
//!   pure state machine like [`SaoState`] (`check`/`apply` a [`Move`]); a [`Mediator`] is the
//!   mediator's strategy (an [`ObjectiveMediator`]: biased, neutral or welfare, knowing only
//!   the votes or everything; a [`NegmasMediator`]), and [`MediatedSession`] the driver that
//!   asks the mediator and the parties' negotiators in turn.
//! - [`MediatorModel`]: what a mediator that sees only votes and counter-proposals learns of
//!   each party's preferences (the spec's `votes` [`Knowledge`]), and its rule's objective under
//!   that estimate ([`ModelObjective`]).
//! - [`Session`]: runs one negotiation with a stepping API, isolates negotiator panics and
//!   illegal moves (`Status::Errored`), and reports to an [`Observer`] such as [`JsonlTrace`].
//!
//! ```
//! use detente_protocol::*;
//! use std::sync::Arc;
//!
//! /// Offers its best outcome, accepts anything at least as good as its reservation (and not
//! /// across its red lines: `acceptable_offer` hides an offer it may not accept).
//! struct Easy;
//! impl Negotiator for Easy {
//!     fn act(&mut self, v: &View<'_>) -> Action {
//!         match v.acceptable_offer() {
//!             Some(s) if v.utility.utility(s.outcome) >= v.utility.reservation_value() => Action::Accept,
//!             _ => Action::Offer(v.utility.best()),
//!         }
//!     }
//! }
//! let a = PartyUtility::from_utilities(vec![0.0, 0.5, 1.0], None, "a")?;
//! let b = PartyUtility::from_utilities(vec![1.0, 0.5, 0.0], None, "b")?;
//! let space = detente_core::OutcomeSpace::new(vec![detente_core::Issue::categorical("x", &["p", "q", "r"])]);
//! let prepared = Arc::new(PreparedScenario::from_parts(space, vec!["a".into(), "b".into()], vec![Arc::new(a), Arc::new(b)]));
//! let mut s = Session::new(prepared, vec![0, 1], vec![Box::new(Easy), Box::new(Easy)], SessionConfig::rounds(10))?;
//! let r = s.run(&mut ());
//! assert_eq!(r.status, Status::Agreed { outcome: 2, round: 0 });
//! assert_eq!(r.utilities, vec![1.0, 0.0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod action;
mod mediated;
mod mediator_model;
mod negotiator;
mod prepared;
mod sao;
mod session;
mod trace;

pub use action::{one_based, Action, Event, OutcomeId};
pub use mediated::{
    votes_weights, FinalWhy, MediatedProtocol, MediatedResult, MediatedSession, MediatedState, MediationConfig, MediationError,
    MediationRules, MediationSetup, Mediator, Move, MoveRule, NegmasMediator, Objective, ObjectiveMediator, Revision, Stage, StartSource,
    TextConfig, LEARNT_SAMPLE,
};
pub use mediator_model::{rank_correlation, Knowledge, MediatorModel, ModelConfig, ModelObjective};
pub use negotiator::{failure_reason, hill_climber_vote, Failed, Negotiator, Standing, View};
pub use prepared::{PartyUtility, PrepareError, PreparedScenario, MAX_OUTCOMES};
pub use sao::{Rules, SaoConfig, SaoState, Violation};
pub use session::{Clock, Observer, Session, SessionConfig, SessionError, SessionResult, Status};
pub use trace::{JsonlTrace, TraceHeader, TraceParty, TraceStart, TRACE_FORMAT};
