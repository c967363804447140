//! Stacked alternating offers (SAO / SAOP) as a pure state machine.
//!
//! The state is a small `Copy` value; [`SaoState::check`] says whether an action is legal and
//! [`SaoState::apply`] returns the next state (the GeniusWeb `SAOPState.with(actor, action)`
//! shape). No clock, no I/O, no negotiator: sessions, tournaments and a UI all drive it.
//!
//! # Semantics (NegMAS 0.16 `SAOMechanism`, verified against its 96 reference negotiations)
//! - Participants act strictly round-robin in index order; participant 0 opens. A **round**
//!   (NegMAS "step") is one action by each participant, so every round starts with 0.
//! - `Offer(o)` replaces the standing offer (rejecting the old one); the proposer counts as
//!   accepting it (`offering_is_accepting`), so the acceptance counter restarts at 1.
//! - `Accept` adds one to the counter; when it reaches the number of participants — every
//!   other participant accepted the standing offer consecutively, possibly across a round
//!   boundary — the offer is the agreement and the negotiation ends at once.
//! - `End` (NegMAS `END_NEGOTIATION`) or `Reject` with no counter-offer (NegMAS `REJECT` with
//!   no offer) ends it with no agreement (`Broken`).
//! - **Deadline**: after round `n_rounds − 1` ends without agreement the state is `TimedOut`;
//!   the final counter-offer is never answered. A wall-clock limit is applied by the session
//!   at the start of a round ([`SaoState::time_out`]).
//!
//! # GENIUS SAOP rules ([`Rules::GeniusSaop`])
//! Aydoğan et al.'s SAOP as in GENIUS 10 / GeniusWeb `SAOPState`: the same turn order,
//! agreement rule (an offer followed by n−1 accepts) and round-based deadline, with two
//! differences: `Reject` is not a legal move (GENIUS has only Offer/Accept/EndNegotiation, so
//! it is a protocol violation), and the relative time agents see ignores the wall clock when a
//! rounds deadline is given (GeniusWeb `ProgressRounds`: the time cap only ends the session).

use crate::action::{Action, OutcomeId};
use crate::session::Status;
use serde::{Deserialize, Serialize};

/// Which published rule set an alternating-offers session follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rules {
    /// NegMAS 0.16 `SAOMechanism` (the default, and the reference-vector semantics).
    #[default]
    Negmas,
    /// GENIUS 10 / GeniusWeb SAOP.
    GeniusSaop,
}

impl Rules {
    /// Every rule set.
    pub const ALL: [Rules; 2] = [Rules::Negmas, Rules::GeniusSaop];

    /// The names [`Rules::parse`] accepts, for messages (from [`Rules::as_str`]: one table;
    /// aliases not listed).
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// The name used in traces and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Rules::Negmas => "negmas",
            Rules::GeniusSaop => "genius_saop",
        }
    }

    /// Parses `negmas`, `genius_saop` (also `saop`, `genius`).
    pub fn parse(s: &str) -> Option<Rules> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).or(match s {
            "sao" => Some(Rules::Negmas),
            "saop" | "genius" => Some(Rules::GeniusSaop),
            _ => None,
        })
    }

    /// The relative time agents see (and a GENIUS discount `d^t` is taken at) in round
    /// `round` (0-based) of `n_rounds`, given the elapsed fraction of a wall-clock limit if one
    /// is set. Both rule sets: `(round+1)/(n_rounds+1)` — NegMAS's step time, and GENIUS's
    /// discrete timeline `r/(R+1)` with 1-based `r` — or, with a time limit, whichever deadline
    /// is nearer: `min(1, max(that, elapsed))` (NegMAS's rule; GENIUS's continuous timeline
    /// for a deadline in seconds is `elapsed`, which this is whenever the clock binds first).
    #[inline]
    pub fn relative_time(self, round: u32, n_rounds: u32, elapsed_fraction: Option<f64>) -> f64 {
        let t = f64::from(round + 1) / (f64::from(n_rounds) + 1.0);
        match elapsed_fraction {
            Some(e) => t.max(e).min(1.0),
            None => t,
        }
    }
}

/// Fixed parameters of one alternating-offers negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaoConfig {
    /// Number of participants (≥ 2).
    pub n_parties: u32,
    /// Deadline in rounds (≥ 1).
    pub n_rounds: u32,
    /// Size of the outcome space (offers must be `< n_outcomes`).
    pub n_outcomes: u64,
    /// Rule set.
    pub rules: Rules,
}

/// An illegal action: the state machine refuses it and the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// The negotiation is over.
    #[error("the negotiation is already over")]
    Finished,
    /// Not this participant's turn.
    #[error("acted out of turn: it is participant {expected}'s turn, not {got}'s")]
    OutOfTurn {
        /// Whose turn it is.
        expected: u32,
        /// Who acted.
        got: u32,
    },
    /// The offered outcome index is outside the space.
    #[error("offered outcome {outcome}, but the space has {n_outcomes} outcomes")]
    InvalidOutcome {
        /// The index offered.
        outcome: OutcomeId,
        /// Size of the space.
        n_outcomes: u64,
    },
    /// `Accept` with no offer on the table.
    #[error("accepted, but no offer is on the table")]
    NothingToAccept,
    /// The action is not a move of these rules.
    #[error("`{action}` is not a legal move under the {rules} rules")]
    NotAllowed {
        /// The action's name.
        action: &'static str,
        /// The rules' name.
        rules: &'static str,
    },
    /// The actor offered, accepted or voted for an outcome across its own red line. The state
    /// machine knows no preferences: sessions, which know each party's, raise this one.
    #[error("`{actor}` {action} outcome {outcome}, which crosses its own red line `{line}`")]
    CrossesRedLine {
        /// The actor's id.
        actor: String,
        /// `offered`, `accepted` or `voted for`.
        action: &'static str,
        /// The outcome.
        outcome: OutcomeId,
        /// The red line, in words.
        line: String,
    },
}

impl Violation {
    /// The violation of `actor` (id), whose utility is `u`, doing `action` (`offered`,
    /// `accepted`, `voted for`) with `outcome`, if that crosses one of its red lines.
    pub fn red_line(
        u: &crate::PartyUtility,
        space: &detente_core::OutcomeSpace,
        actor: &str,
        action: &'static str,
        outcome: OutcomeId,
    ) -> Option<Violation> {
        if u.acceptable(outcome) || outcome >= u.len() as u64 {
            return None;
        }
        let line = u.crossed_line(space, outcome).map_or_else(|| "(unknown)".to_string(), |l| l.describe(space));
        Some(Violation::CrossesRedLine { actor: actor.to_string(), action, outcome, line })
    }
}

/// The state of an alternating-offers negotiation. Small and cheap to clone (only an
/// [`Status::Errored`] reason owns memory, and a running state has none): applying an action
/// returns a new value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaoState {
    /// 0-based current round (equals `n_rounds` once timed out).
    pub round: u32,
    /// Whose turn it is (participant index).
    pub turn: u32,
    /// The standing offer.
    pub offer: Option<OutcomeId>,
    /// Who made the standing offer.
    pub proposer: u32,
    /// How many participants accept the standing offer (its proposer included).
    pub accepts: u32,
    /// Running or how it ended. The machine itself never ends in [`Status::Errored`]: a
    /// [`Session`](crate::Session) sets that one when a participant breaks the rules or panics.
    pub status: Status,
}

impl SaoState {
    /// The initial state: round 0, participant 0 to move, nothing on the table.
    pub const fn new() -> Self {
        SaoState { round: 0, turn: 0, offer: None, proposer: 0, accepts: 0, status: Status::Running }
    }

    /// Whether the negotiation is still running.
    #[inline]
    pub fn is_running(&self) -> bool {
        matches!(self.status, Status::Running)
    }

    /// Who moves next, if anyone.
    #[inline]
    pub fn next_actor(&self) -> Option<u32> {
        self.is_running().then_some(self.turn)
    }

    /// Number of rounds played or begun: the agreement round + 1 on agreement (NegMAS's final
    /// `state.step`), `n_rounds` on a rounds timeout, the current round + 1 when someone walked
    /// away or erred (the round in which they acted had begun).
    #[inline]
    pub fn rounds_run(&self) -> u32 {
        match self.status {
            Status::Agreed { round, .. } => round + 1,
            Status::Broken { .. } | Status::Errored { .. } => self.round + 1,
            Status::Running | Status::TimedOut => self.round,
        }
    }

    /// Whether `actor` may do `action` now.
    #[inline]
    pub fn check(&self, cfg: &SaoConfig, actor: u32, action: Action) -> Result<(), Violation> {
        if !self.is_running() {
            return Err(Violation::Finished);
        }
        if actor != self.turn {
            return Err(Violation::OutOfTurn { expected: self.turn, got: actor });
        }
        match action {
            Action::Offer(o) if o >= cfg.n_outcomes => Err(Violation::InvalidOutcome { outcome: o, n_outcomes: cfg.n_outcomes }),
            Action::Accept if self.offer.is_none() => Err(Violation::NothingToAccept),
            Action::Reject if cfg.rules == Rules::GeniusSaop => Err(Violation::NotAllowed { action: "reject", rules: cfg.rules.as_str() }),
            _ => Ok(()),
        }
    }

    /// The state after `actor` does `action`, or the violation (state unchanged).
    #[inline]
    pub fn apply(&self, cfg: &SaoConfig, actor: u32, action: Action) -> Result<SaoState, Violation> {
        self.check(cfg, actor, action)?;
        let mut s = self.clone();
        match action {
            Action::Offer(o) => {
                s.offer = Some(o);
                s.proposer = actor;
                s.accepts = 1;
            }
            Action::Accept => {
                s.accepts += 1;
                if s.accepts >= cfg.n_parties {
                    s.status =
                        Status::Agreed { outcome: s.offer.expect("invariant: check() refuses Accept with no offer"), round: s.round };
                    return Ok(s);
                }
            }
            Action::Reject | Action::End => {
                s.status = Status::Broken { by: actor };
                return Ok(s);
            }
        }
        s.turn += 1;
        if s.turn == cfg.n_parties {
            s.turn = 0;
            s.round += 1;
            if s.round >= cfg.n_rounds {
                s.status = Status::TimedOut;
            }
        }
        Ok(s)
    }

    /// The state after a wall-clock deadline passes (no effect once finished).
    #[inline]
    pub fn time_out(&self) -> SaoState {
        let mut s = self.clone();
        if s.is_running() {
            s.status = Status::TimedOut;
        }
        s
    }
}

impl Default for SaoState {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(n: u32, rounds: u32) -> SaoConfig {
        SaoConfig { n_parties: n, n_rounds: rounds, n_outcomes: 10, rules: Rules::Negmas }
    }

    fn run(c: &SaoConfig, moves: &[(u32, Action)]) -> Result<SaoState, Violation> {
        moves.iter().try_fold(SaoState::new(), |s, &(a, m)| s.apply(c, a, m))
    }

    #[test]
    fn participant_zero_opens_and_turns_rotate() {
        let c = cfg(3, 5);
        let s = SaoState::new();
        assert_eq!(s.next_actor(), Some(0));
        assert_eq!(s.apply(&c, 1, Action::Offer(1)), Err(Violation::OutOfTurn { expected: 0, got: 1 }));
        let s = s.apply(&c, 0, Action::Offer(1)).unwrap();
        assert_eq!((s.turn, s.round, s.accepts), (1, 0, 1));
        let s = s.apply(&c, 1, Action::Offer(2)).unwrap();
        let s = s.apply(&c, 2, Action::Offer(3)).unwrap();
        // the round ends after the last participant; participant 0 starts the next one
        assert_eq!((s.turn, s.round, s.offer, s.proposer), (0, 1, Some(3), 2));
    }

    #[test]
    fn bilateral_agreement_when_the_other_accepts() {
        let c = cfg(2, 5);
        let s = run(&c, &[(0, Action::Offer(4)), (1, Action::Accept)]).unwrap();
        assert_eq!(s.status, Status::Agreed { outcome: 4, round: 0 });
        assert_eq!(s.rounds_run(), 1);
        assert_eq!(s.apply(&c, 0, Action::Accept), Err(Violation::Finished));
    }

    #[test]
    fn multilateral_unanimity_may_cross_a_round_boundary() {
        let c = cfg(3, 5);
        // round 0: 0 offers, 1 counters, 2 accepts 1's offer; round 1: 0 accepts -> all three
        let s = run(&c, &[(0, Action::Offer(4)), (1, Action::Offer(5)), (2, Action::Accept)]).unwrap();
        assert!(s.is_running());
        assert_eq!((s.round, s.accepts), (1, 2));
        let s = s.apply(&c, 0, Action::Accept).unwrap();
        assert_eq!(s.status, Status::Agreed { outcome: 5, round: 1 });
        assert_eq!(s.rounds_run(), 2);
    }

    #[test]
    fn a_counter_offer_resets_the_acceptance_count() {
        let c = cfg(3, 5);
        let s = run(&c, &[(0, Action::Offer(4)), (1, Action::Accept), (2, Action::Offer(4))]).unwrap();
        // 2 re-offered the same outcome: it is a new offer, accepted by its proposer only
        assert_eq!((s.accepts, s.proposer), (1, 2));
        let s = run(&c, &[(0, Action::Offer(4)), (1, Action::Accept), (2, Action::Accept)]).unwrap();
        assert_eq!(s.status, Status::Agreed { outcome: 4, round: 0 });
    }

    #[test]
    fn deadline_after_the_last_round_and_the_last_offer_goes_unanswered() {
        let c = cfg(2, 2);
        let s = run(&c, &[(0, Action::Offer(1)), (1, Action::Offer(2)), (0, Action::Offer(3))]).unwrap();
        assert!(s.is_running());
        let s = s.apply(&c, 1, Action::Offer(4)).unwrap();
        assert_eq!(s.status, Status::TimedOut);
        assert_eq!(s.rounds_run(), 2);
        assert_eq!(s.apply(&c, 0, Action::Accept), Err(Violation::Finished));
    }

    #[test]
    fn end_and_bare_reject_break_under_negmas() {
        let c = cfg(2, 5);
        assert_eq!(run(&c, &[(0, Action::Offer(1)), (1, Action::End)]).unwrap().status, Status::Broken { by: 1 });
        assert_eq!(run(&c, &[(0, Action::Offer(1)), (1, Action::Reject)]).unwrap().status, Status::Broken { by: 1 });
        assert_eq!(run(&c, &[(0, Action::Reject)]).unwrap().status, Status::Broken { by: 0 });
    }

    #[test]
    fn genius_saop_forbids_bare_reject() {
        let c = SaoConfig { rules: Rules::GeniusSaop, ..cfg(2, 5) };
        assert_eq!(
            run(&c, &[(0, Action::Offer(1)), (1, Action::Reject)]),
            Err(Violation::NotAllowed { action: "reject", rules: "genius_saop" })
        );
    }

    #[test]
    fn illegal_moves_are_typed_violations() {
        let c = cfg(2, 5);
        assert_eq!(SaoState::new().apply(&c, 0, Action::Accept), Err(Violation::NothingToAccept));
        assert_eq!(SaoState::new().apply(&c, 0, Action::Offer(10)), Err(Violation::InvalidOutcome { outcome: 10, n_outcomes: 10 }));
    }

    #[test]
    fn wall_clock_timeout_only_while_running() {
        let c = cfg(2, 5);
        assert_eq!(SaoState::new().time_out().status, Status::TimedOut);
        let agreed = run(&c, &[(0, Action::Offer(4)), (1, Action::Accept)]).unwrap();
        assert_eq!(agreed.time_out(), agreed);
    }

    #[test]
    fn relative_time_is_negmas_step_time() {
        assert_eq!(Rules::Negmas.relative_time(0, 9, None), 0.1);
        assert_eq!(Rules::Negmas.relative_time(8, 9, None), 0.9);
        assert_eq!(Rules::Negmas.relative_time(0, 9, Some(0.5)), 0.5);
        assert_eq!(Rules::Negmas.relative_time(0, 9, Some(1.5)), 1.0);
        assert_eq!(Rules::GeniusSaop.relative_time(0, 9, None), 0.1);
        assert_eq!(Rules::GeniusSaop.relative_time(0, 9, Some(0.5)), 0.5);
    }
}
