//! A [`Session`] runs one alternating-offers negotiation: it asks each negotiator in turn,
//! validates the answer against the [`SaoState`] machine, records it, and tells an
//! [`Observer`]. One stepping API ([`Session::step`]) serves the CLI, tournaments and a UI.
//!
//! Robustness: every negotiator call runs under [`std::panic::catch_unwind`]; a panic or an
//! illegal action ends the negotiation as [`Status::Errored`] naming the culprit and the reason.
//! Offering or accepting an outcome across the actor's own red line is illegal too
//! ([`Violation::CrossesRedLine`]); a party with no acceptable outcome at all walks away
//! (`End`, so `Broken`) at its first turn without being asked.
//! The process never goes down with a negotiator. (The panic hook still prints the panic
//! message; a binary that wants silence installs its own hook.)
//!
//! Time: the core reads no clock. A wall-clock limit needs a [`Clock`] passed in; without
//! one, only the rounds deadline applies (the default, and what makes runs reproducible).

use crate::action::{Action, Event, OutcomeId};
use crate::negotiator::{Negotiator, Standing, View};
use crate::prepared::{PartyUtility, PreparedScenario};
use crate::sao::{Rules, SaoConfig, SaoState, Violation};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// Seconds elapsed since the session started, from whatever clock the caller trusts.
pub trait Clock {
    /// Elapsed seconds.
    fn elapsed_secs(&self) -> f64;
}

impl<F: Fn() -> f64> Clock for F {
    fn elapsed_secs(&self) -> f64 {
        self()
    }
}

/// How the negotiation ended (or that it has not): the [`SaoState`] machine's own status, plus
/// `Errored`, which only a session sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Still running.
    Running,
    /// Agreement on `outcome` in round `round` (0-based; serialised from 1,
    /// [`crate::one_based`]).
    Agreed {
        /// The agreement.
        outcome: OutcomeId,
        /// The round of the final acceptance.
        #[serde(serialize_with = "crate::action::one_based")]
        round: u32,
    },
    /// The deadline (rounds or wall time) passed with no agreement.
    TimedOut,
    /// A participant walked away or rejected without countering.
    Broken {
        /// Participant index.
        by: u32,
    },
    /// A participant broke the rules or panicked.
    Errored {
        /// Participant index.
        by: u32,
        /// What went wrong.
        reason: String,
    },
}

impl Status {
    /// `running`, `agreed`, `timed_out`, `broken`, `errored`.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Agreed { .. } => "agreed",
            Status::TimedOut => "timed_out",
            Status::Broken { .. } => "broken",
            Status::Errored { .. } => "errored",
        }
    }

    /// The agreement, if any.
    pub fn agreement(&self) -> Option<OutcomeId> {
        match self {
            Status::Agreed { outcome, .. } => Some(*outcome),
            _ => None,
        }
    }
}

/// Told about every action and the end of a session (a trace writer, a UI, a counter).
pub trait Observer {
    /// After each accepted action.
    fn on_event(&mut self, _event: &Event) {}
    /// A mediator's text put to the parties as final (ratification in mediated protocols); by
    /// default an ordinary event. The votes that follow are ordinary events.
    fn on_final(&mut self, event: &Event) {
        self.on_event(event);
    }
    /// A shuttle mediator's new text after a counter-proposal (seen by no party until the
    /// next visit); by default an ordinary event.
    fn on_revised(&mut self, event: &Event) {
        self.on_event(event);
    }
    /// Once, when the session ends (`utilities`: each participant's final utility).
    fn on_end(&mut self, _status: &Status, _rounds: u32, _utilities: &[f64]) {}
}

/// The observer that does nothing.
impl Observer for () {}

/// Deadline and rules of a session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionConfig {
    /// Deadline in rounds (≥ 1).
    pub n_rounds: u32,
    /// Optional wall-clock limit in seconds (needs a [`Clock`]; off by default).
    pub time_limit: Option<f64>,
    /// Rule set.
    pub rules: Rules,
}

impl SessionConfig {
    /// A rounds deadline under NegMAS rules.
    pub fn rounds(n_rounds: u32) -> Self {
        SessionConfig { n_rounds, time_limit: None, rules: Rules::Negmas }
    }
}

/// Why a session cannot be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// Fewer than two participants.
    #[error("a negotiation needs at least 2 participants, got {0}")]
    TooFewParties(usize),
    /// Participants and negotiators differ in number.
    #[error("{actors} participants but {negotiators} negotiators")]
    Mismatch {
        /// Participants.
        actors: usize,
        /// Negotiators.
        negotiators: usize,
    },
    /// A participant index names no actor.
    #[error("participant names actor index {0}, which the scenario does not have")]
    UnknownActor(usize),
    /// Zero rounds.
    #[error("the deadline must be at least 1 round")]
    NoRounds,
    /// A time limit without a clock, or not positive.
    #[error("a time limit must be a positive number of seconds and needs a clock")]
    BadTimeLimit,
}

/// The result of a finished session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionResult {
    /// How it ended.
    pub status: Status,
    /// Rounds run (agreement round + 1 on agreement; the deadline on a rounds timeout).
    pub rounds: u32,
    /// Each participant's utility: of the agreement, or its reservation value without one —
    /// discounted at the moment the negotiation ended ([`PartyUtility::final_utility`] at the
    /// time and round of the last action) for a party with a discount.
    pub utilities: Vec<f64>,
}

/// One alternating-offers negotiation in progress.
pub struct Session<'c> {
    prepared: Arc<PreparedScenario>,
    cfg: SaoConfig,
    time_limit: Option<f64>,
    clock: Option<&'c dyn Clock>,
    actors: Vec<usize>,
    utils: Vec<Arc<PartyUtility>>,
    negotiators: Vec<Box<dyn Negotiator>>,
    state: SaoState,
    history: Vec<Event>,
    time: f64,
}

impl std::fmt::Debug for Session<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("cfg", &self.cfg).field("actors", &self.actors).field("state", &self.state).finish_non_exhaustive()
    }
}

impl<'c> Session<'c> {
    /// A session between the scenario's actors `actors` (indices into the scenario's actors,
    /// in speaking order), played by `negotiators` (same order).
    pub fn new(
        prepared: Arc<PreparedScenario>,
        actors: Vec<usize>,
        negotiators: Vec<Box<dyn Negotiator>>,
        config: SessionConfig,
    ) -> Result<Self, SessionError> {
        Self::with_clock(prepared, actors, negotiators, config, None)
    }

    /// As [`Session::new`], with a clock for a wall-clock limit.
    pub fn with_clock(
        prepared: Arc<PreparedScenario>,
        actors: Vec<usize>,
        negotiators: Vec<Box<dyn Negotiator>>,
        config: SessionConfig,
        clock: Option<&'c dyn Clock>,
    ) -> Result<Self, SessionError> {
        if actors.len() < 2 {
            return Err(SessionError::TooFewParties(actors.len()));
        }
        if actors.len() != negotiators.len() {
            return Err(SessionError::Mismatch { actors: actors.len(), negotiators: negotiators.len() });
        }
        if let Some(&a) = actors.iter().find(|&&a| a >= prepared.utilities().len()) {
            return Err(SessionError::UnknownActor(a));
        }
        if config.n_rounds == 0 {
            return Err(SessionError::NoRounds);
        }
        if let Some(l) = config.time_limit {
            if l.is_nan() || l <= 0.0 || clock.is_none() {
                return Err(SessionError::BadTimeLimit);
            }
        }
        let cfg =
            SaoConfig { n_parties: actors.len() as u32, n_rounds: config.n_rounds, n_outcomes: prepared.n_outcomes(), rules: config.rules };
        let utils = actors.iter().map(|&a| Arc::clone(prepared.utility(a))).collect();
        let actors_len = actors.len();
        Ok(Session {
            prepared,
            cfg,
            time_limit: config.time_limit,
            clock,
            actors,
            utils,
            negotiators,
            state: SaoState::new(),
            history: Vec::with_capacity((config.n_rounds as usize).saturating_mul(actors_len).min(4096)),
            time: 0.0,
        })
    }

    /// The protocol state.
    pub fn state(&self) -> &SaoState {
        &self.state
    }

    /// The protocol configuration.
    pub fn config(&self) -> &SaoConfig {
        &self.cfg
    }

    /// Every action so far.
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The current status.
    pub fn status(&self) -> &Status {
        &self.state.status
    }

    /// Participants' actor indices (scenario order), in speaking order.
    pub fn actors(&self) -> &[usize] {
        &self.actors
    }

    /// The prepared scenario.
    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.prepared
    }

    /// The relative time of the last action.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// Performs the next action (asks the negotiator whose turn it is). Returns whether the
    /// session is still running afterwards.
    pub fn step<O: Observer + ?Sized>(&mut self, obs: &mut O) -> bool {
        if !self.state.is_running() {
            return false;
        }
        let mut elapsed = None;
        if let (Some(limit), Some(clock)) = (self.time_limit, self.clock) {
            let e = clock.elapsed_secs() / limit;
            if self.state.turn == 0 && e > 1.0 {
                self.state = self.state.time_out();
                self.finish(obs);
                return false;
            }
            elapsed = Some(e);
        }
        let me = self.state.turn;
        let t = self.cfg.rules.relative_time(self.state.round, self.cfg.n_rounds, elapsed);
        self.time = t;
        if self.utils[me as usize].n_acceptable() == 0 {
            // every outcome crosses one of its red lines: it can neither offer nor accept
            return self.apply(me, Action::End, obs);
        }
        let view = View {
            me,
            n_parties: self.cfg.n_parties,
            round: self.state.round,
            n_rounds: self.cfg.n_rounds,
            time: t,
            offer: self.state.offer.map(|o| Standing { outcome: o, by: self.state.proposer }),
            utility: &self.utils[me as usize],
            space: self.prepared.space(),
            history: &self.history,
        };
        let neg = &mut self.negotiators[me as usize];
        let action = match catch_unwind(AssertUnwindSafe(|| neg.act(&view))) {
            Ok(a) => a,
            Err(payload) => {
                self.state.status = Status::Errored { by: me, reason: crate::negotiator::failure_reason(&*payload) };
                self.finish(obs);
                return false;
            }
        };
        self.apply(me, action, obs)
    }

    /// Applies an action by `actor` from outside (a human at a UI, a replayed trace). An
    /// illegal action ends the session as `Errored` and is returned.
    pub fn submit<O: Observer + ?Sized>(&mut self, actor: u32, action: Action, obs: &mut O) -> Result<bool, Violation> {
        if !self.state.is_running() {
            return Err(Violation::Finished);
        }
        if let Err(v) = self.state.check(&self.cfg, actor, action).and_then(|()| self.red_line_check(actor, action)) {
            self.state.status = Status::Errored { by: actor, reason: v.to_string() };
            self.finish(obs);
            return Err(v);
        }
        Ok(self.apply(actor, action, obs))
    }

    /// A red-line violation if `actor` (whose turn it is) offering or accepting with `action`
    /// crosses its own red line.
    fn red_line_check(&self, actor: u32, action: Action) -> Result<(), Violation> {
        let (verb, o) = match (action, self.state.offer) {
            (Action::Offer(o), _) => ("offered", o),
            (Action::Accept, Some(o)) => ("accepted", o),
            _ => return Ok(()),
        };
        let u = &self.utils[actor as usize];
        if u.acceptable(o) {
            return Ok(());
        }
        let id = self.prepared.actor_ids().get(self.actors[actor as usize]).cloned().unwrap_or_else(|| format!("participant {actor}"));
        Violation::red_line(u, self.prepared.space(), &id, verb, o).map_or(Ok(()), Err)
    }

    #[inline]
    fn apply<O: Observer + ?Sized>(&mut self, me: u32, action: Action, obs: &mut O) -> bool {
        match self.state.apply(&self.cfg, me, action).and_then(|next| self.red_line_check(me, action).map(|()| next)) {
            Ok(next) => {
                let ev = Event { round: self.state.round, actor: me, action };
                self.history.push(ev);
                obs.on_event(&ev);
                self.state = next;
                if self.state.is_running() {
                    return true;
                }
                self.finish(obs);
                false
            }
            Err(v) => {
                self.state.status = Status::Errored { by: me, reason: v.to_string() };
                self.finish(obs);
                false
            }
        }
    }

    fn finish<O: Observer + ?Sized>(&mut self, obs: &mut O) {
        let r = self.result_parts();
        obs.on_end(&self.state.status, r.0, &r.1);
    }

    fn result_parts(&self) -> (u32, Vec<f64>) {
        // the moment of the last action: an agreement's acceptance, a walk-away, the deadline
        let round = self.history.last().map_or(0, |e| e.round);
        let agreement = self.state.status.agreement();
        (self.state.rounds_run(), self.utils.iter().map(|u| u.final_utility(agreement, self.time, round)).collect())
    }

    /// Runs to the end.
    pub fn run<O: Observer + ?Sized>(&mut self, obs: &mut O) -> SessionResult {
        while self.step(obs) {}
        self.result()
    }

    /// The result so far (final once [`Session::status`] is not `Running`).
    pub fn result(&self) -> SessionResult {
        let (rounds, utilities) = self.result_parts();
        SessionResult { status: self.state.status.clone(), rounds, utilities }
    }
}
