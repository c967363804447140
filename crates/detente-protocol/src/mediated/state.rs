//! The mediated protocols as a pure state machine, like [`crate::SaoState`]: who moves next,
//! whether a move is legal ([`MediatedState::check`]) and the state after it
//! ([`MediatedState::apply`]). No negotiator, no mediator strategy, no RNG, no clock: the
//! [`super::MediatedSession`] drives it with a [`super::Mediator`] and the parties'
//! negotiators, and a trace replays through it alone.
//!
//! # Single negotiating text (`mediation-protocols.md` §2)
//! Each round: the mediator puts a candidate ([`Move::Candidate`]); every party, in party
//! order, votes candidate against text ([`Move::Vote`]); if every party whose vote counts said
//! yes, the candidate becomes the text. Then, in the last round or after `stall` rounds without
//! a change, the mediator must put the text to the parties as final ([`Move::Final`]) and each
//! party whose vote counts votes on it; all yes is the agreement. A mediator with no candidate
//! left may put the text as final in place of a candidate (a local optimum; only under a move
//! rule that stops at one), and a refusal there breaks the talks. A refused final text at the
//! deadline is a time-out; after a stall the rounds go on.
//!
//! # Shuttle mediation (§3)
//! Each round the mediator visits every party once, in an order it chooses
//! ([`Move::Visit`], presenting the current text); the party accepts, counters
//! ([`Move::Answer`] with `Offer`, after which the mediator must revise the text,
//! [`Move::Revise`]), rejects, or walks away (`End`: a required party's breaks the talks). When
//! every required party accepted the same text in a round, that text is put as final.
//!
//! Rounds are 0-based here, as in [`crate::SaoState`]; traces and reports number them from 1.

use crate::action::{Action, OutcomeId};
use crate::sao::Violation;
use crate::session::Status;

/// Which mediated protocol a session runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediatedProtocol {
    /// The single negotiating text.
    #[default]
    SingleText,
    /// Shuttle mediation.
    Shuttle,
}

/// Fixed parameters of one mediated negotiation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextConfig {
    /// Single text or shuttle.
    pub protocol: MediatedProtocol,
    /// Number of parties (the mediator is participant `n_parties`).
    pub n_parties: u32,
    /// Deadline in rounds (≥ 1).
    pub n_rounds: u32,
    /// Size of the outcome space.
    pub n_outcomes: u64,
    /// Per party: whether its "yes" is needed for an agreement (and it is asked on a final
    /// text). Detente rules: the required parties; NegMAS rules: every party.
    pub counts: Vec<bool>,
    /// Per party: whether it is required (shuttle: a required party's `End` breaks the talks
    /// and only required parties' acceptances make a round's agreement).
    pub required: Vec<bool>,
    /// Single text: put the text as final after this many rounds without a change.
    pub stall: Option<u32>,
    /// Single text: whether the move rule stops at a local optimum (hill climbing, steepest),
    /// so the mediator may put the text as final in place of a candidate.
    pub local_optimum: bool,
}

/// A move in a mediated negotiation. The mediator's are `Candidate`, `Visit`, `Revise`,
/// `Final` and `Withdraw`; the parties' are `Vote` and `Answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Single text: the mediator puts a candidate to every party.
    Candidate(OutcomeId),
    /// Shuttle: the mediator presents the current text to `party`.
    Visit {
        /// The party visited (not yet visited this round).
        party: u32,
        /// The text presented (the current text).
        text: OutcomeId,
    },
    /// Shuttle: after a counter-proposal, the mediator's new text.
    Revise(OutcomeId),
    /// The mediator puts the current text to the parties as final.
    Final,
    /// The mediator cannot mediate (every text crosses its own red lines): the talks break.
    Withdraw,
    /// Single text: a party's vote on the candidate or on the text as final.
    Vote(bool),
    /// Shuttle: a party's answer to a visit: `Accept`, a counter-`Offer`, `Reject` or `End`.
    Answer(Action),
}

impl Move {
    /// The move's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Move::Candidate(_) => "candidate",
            Move::Visit { .. } => "visit",
            Move::Revise(_) => "revise",
            Move::Final => "final",
            Move::Withdraw => "withdraw",
            Move::Vote(_) => "vote",
            Move::Answer(_) => "answer",
        }
    }
}

/// Why the text is put to the parties as final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalWhy {
    /// Single text: the last round.
    Deadline,
    /// Single text: `stall` rounds without a change.
    Stall,
    /// Single text: the mediator has no candidate left.
    LocalOptimum,
    /// Shuttle: every required party accepted this text in the round.
    Accepted,
}

/// What happens next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Single text: the mediator's candidate (or, at a local optimum, the final text).
    Propose,
    /// Single text: party `next` votes on `candidate`; `all`: every counting vote so far yes.
    Vote {
        /// The candidate.
        candidate: OutcomeId,
        /// Who votes next.
        next: u32,
        /// Whether every counting party so far voted yes.
        all: bool,
    },
    /// The mediator must put the text as final.
    PutFinal {
        /// Why.
        why: FinalWhy,
    },
    /// Party `next` (one whose vote counts) votes on the text as final.
    Ratify {
        /// Why the text is final.
        why: FinalWhy,
        /// Who votes next.
        next: u32,
        /// Who refused so far.
        refused: Vec<u32>,
    },
    /// Shuttle: the mediator visits a party it has not visited this round.
    Visit {
        /// Parties visited this round.
        visited: Vec<bool>,
        /// The text every required party accepted so far this round (`Some(None)`: none
        /// answered yet; `None`: one did not accept, or they accepted different texts).
        agreed: Option<Option<OutcomeId>>,
    },
    /// Shuttle: `party` answers the visit.
    Answer {
        /// The party.
        party: u32,
        /// Parties visited this round.
        visited: Vec<bool>,
        /// As in `Visit`.
        agreed: Option<Option<OutcomeId>>,
    },
    /// Shuttle: the mediator revises the text after `party`'s counter-proposal.
    Revise {
        /// The party that countered.
        party: u32,
        /// Parties visited this round.
        visited: Vec<bool>,
        /// As in `Visit`.
        agreed: Option<Option<OutcomeId>>,
    },
    /// Over: see the status.
    Over,
}

/// The state of a mediated negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct MediatedState {
    /// 0-based current round (`n_rounds` once timed out).
    pub round: u32,
    /// The current text (`None` only under NegMAS veto rules before a candidate was accepted).
    pub text: Option<OutcomeId>,
    /// Running, or how it ended.
    pub status: Status,
    /// What happens next.
    pub stage: Stage,
    /// Single text: rounds in a row without a change.
    pub stall: u32,
    /// Texts the mediator put to the parties (candidates; shuttle: visits).
    pub proposed: u32,
    /// Texts accepted (candidates that became the text; shuttle: acceptances).
    pub accepted: u32,
}

impl MediatedState {
    /// The state before the first move, from the first text.
    pub fn new(cfg: &TextConfig, text: Option<OutcomeId>) -> Self {
        MediatedState { round: 0, text, status: Status::Running, stage: Self::round_start(cfg), stall: 0, proposed: 0, accepted: 0 }
    }

    fn round_start(cfg: &TextConfig) -> Stage {
        match cfg.protocol {
            MediatedProtocol::SingleText => Stage::Propose,
            MediatedProtocol::Shuttle => Stage::Visit { visited: vec![false; cfg.n_parties as usize], agreed: Some(None) },
        }
    }

    /// Whether the negotiation is still running.
    pub fn is_running(&self) -> bool {
        matches!(self.status, Status::Running)
    }

    /// Who moves next (`n_parties`: the mediator), if anyone.
    pub fn next_actor(&self, cfg: &TextConfig) -> Option<u32> {
        let m = cfg.n_parties;
        match &self.stage {
            _ if !self.is_running() => None,
            Stage::Propose | Stage::PutFinal { .. } | Stage::Visit { .. } | Stage::Revise { .. } => Some(m),
            Stage::Vote { next, .. } | Stage::Ratify { next, .. } => Some(*next),
            Stage::Answer { party, .. } => Some(*party),
            Stage::Over => None,
        }
    }

    /// Rounds played or begun: the agreement round + 1 on agreement, the round reached + 1 when
    /// broken or errored, the deadline on a time-out.
    pub fn rounds_run(&self) -> u32 {
        match self.status {
            Status::Agreed { round, .. } => round + 1,
            Status::Broken { .. } | Status::Errored { .. } => self.round + 1,
            Status::Running | Status::TimedOut => self.round,
        }
    }

    /// Whether `actor` may make `mv` now.
    pub fn check(&self, cfg: &TextConfig, actor: u32, mv: Move) -> Result<(), Violation> {
        let Some(expected) = self.next_actor(cfg) else { return Err(Violation::Finished) };
        if actor != expected {
            return Err(Violation::OutOfTurn { expected, got: actor });
        }
        let outcome = |o: OutcomeId| {
            if o < cfg.n_outcomes {
                Ok(())
            } else {
                Err(Violation::InvalidOutcome { outcome: o, n_outcomes: cfg.n_outcomes })
            }
        };
        let not_allowed = || Err(Violation::NotAllowed { action: mv.name(), rules: self.stage_name() });
        match (&self.stage, mv) {
            (_, Move::Withdraw) if actor == cfg.n_parties => Ok(()),
            (Stage::Propose, Move::Candidate(o)) => outcome(o),
            (Stage::Propose, Move::Final) if cfg.local_optimum => Ok(()),
            (Stage::PutFinal { .. }, Move::Final) => Ok(()),
            (Stage::Vote { .. } | Stage::Ratify { .. }, Move::Vote(_)) => Ok(()),
            (Stage::Visit { visited, .. }, Move::Visit { party, text }) => {
                if party >= cfg.n_parties || visited[party as usize] {
                    return Err(Violation::NotAllowed { action: "visit of a party already visited this round", rules: "shuttle" });
                }
                if Some(text) != self.text {
                    return Err(Violation::NotAllowed { action: "visit with a text other than the current one", rules: "shuttle" });
                }
                Ok(())
            }
            (Stage::Answer { .. }, Move::Answer(a)) => match a {
                Action::Offer(o) => outcome(o),
                _ => Ok(()),
            },
            (Stage::Revise { .. }, Move::Revise(o)) => outcome(o),
            _ => not_allowed(),
        }
    }

    fn stage_name(&self) -> &'static str {
        match self.stage {
            Stage::Propose => "the mediator's candidate stage",
            Stage::Vote { .. } => "the vote on a candidate",
            Stage::PutFinal { .. } => "the stage where the text is put as final",
            Stage::Ratify { .. } => "the vote on the final text",
            Stage::Visit { .. } => "the mediator's visit",
            Stage::Answer { .. } => "a party's answer to a visit",
            Stage::Revise { .. } => "the mediator's revision",
            Stage::Over => "the end",
        }
    }

    /// The state after `actor` makes `mv`, or the violation (state unchanged).
    pub fn apply(&self, cfg: &TextConfig, actor: u32, mv: Move) -> Result<MediatedState, Violation> {
        self.check(cfg, actor, mv)?;
        let mut s = self.clone();
        let m = cfg.n_parties;
        match (std::mem::replace(&mut s.stage, Stage::Over), mv) {
            (_, Move::Withdraw) => s.status = Status::Broken { by: m },
            (Stage::Propose, Move::Candidate(o)) => {
                s.proposed += 1;
                s.stage = Stage::Vote { candidate: o, next: 0, all: true };
            }
            (Stage::Propose, Move::Final) => s.put_final(cfg, FinalWhy::LocalOptimum),
            (Stage::PutFinal { why }, Move::Final) => s.put_final(cfg, why),
            (Stage::Vote { candidate, next, all }, Move::Vote(yes)) => {
                let all = all && (yes || !cfg.counts[next as usize]);
                if next + 1 < cfg.n_parties {
                    s.stage = Stage::Vote { candidate, next: next + 1, all };
                } else {
                    if all && Some(candidate) != s.text {
                        s.text = Some(candidate);
                        s.accepted += 1;
                        s.stall = 0;
                    } else {
                        s.stall += 1;
                    }
                    let last = s.round + 1 == cfg.n_rounds;
                    let stalled = cfg.stall.is_some_and(|k| s.stall >= k);
                    if last {
                        s.stage = Stage::PutFinal { why: FinalWhy::Deadline };
                    } else if stalled {
                        s.stage = Stage::PutFinal { why: FinalWhy::Stall };
                    } else {
                        s.next_round(cfg);
                    }
                }
            }
            (Stage::Ratify { why, next, mut refused }, Move::Vote(yes)) => {
                if !yes {
                    refused.push(next);
                }
                match (next + 1..cfg.n_parties).find(|&p| cfg.counts[p as usize]) {
                    Some(p) => s.stage = Stage::Ratify { why, next: p, refused },
                    None => s.ratified(cfg, why, refused.is_empty()),
                }
            }
            (Stage::Visit { mut visited, agreed }, Move::Visit { party, .. }) => {
                s.proposed += 1;
                visited[party as usize] = true;
                s.stage = Stage::Answer { party, visited, agreed };
            }
            (Stage::Answer { party, visited, agreed }, Move::Answer(a)) => {
                let required = cfg.required[party as usize];
                let text = s.text.expect("invariant: shuttle mediation always has a text");
                let agreed = match a {
                    Action::Accept => {
                        s.accepted += 1;
                        match agreed {
                            _ if !required => agreed,
                            Some(None) => Some(Some(text)),
                            Some(Some(t)) if t == text => Some(Some(t)),
                            _ => None,
                        }
                    }
                    Action::End if required => {
                        s.status = Status::Broken { by: party };
                        return Ok(s);
                    }
                    Action::Offer(_) | Action::Reject if required => None,
                    _ => agreed,
                };
                if let Action::Offer(_) = a {
                    s.stage = Stage::Revise { party, visited, agreed };
                } else {
                    s.end_visit(cfg, visited, agreed);
                }
            }
            (Stage::Revise { visited, agreed, .. }, Move::Revise(o)) => {
                s.text = Some(o);
                s.end_visit(cfg, visited, agreed);
            }
            _ => unreachable!("invariant: check() accepted only the moves matched above"),
        }
        Ok(s)
    }

    /// After a visit: the next visit, or at the round's end the final text (every required
    /// party accepted the same one) or the next round.
    fn end_visit(&mut self, cfg: &TextConfig, visited: Vec<bool>, agreed: Option<Option<OutcomeId>>) {
        if visited.iter().any(|v| !v) {
            self.stage = Stage::Visit { visited, agreed };
        } else if let Some(Some(t)) = agreed {
            // an optional party's counter-proposal after that does not hold it up
            self.text = Some(t);
            self.stage = Stage::PutFinal { why: FinalWhy::Accepted };
        } else {
            self.next_round(cfg);
        }
    }

    /// The mediator puts the text as final: the first party whose vote counts is asked; with
    /// no text (NegMAS veto before any accepted candidate) nobody is, and it fails at once.
    fn put_final(&mut self, cfg: &TextConfig, why: FinalWhy) {
        let first = (0..cfg.n_parties).find(|&p| cfg.counts[p as usize]);
        match (self.text, first) {
            (Some(_), Some(p)) => self.stage = Stage::Ratify { why, next: p, refused: Vec::new() },
            _ => self.ratified(cfg, why, false),
        }
    }

    /// The outcome of a vote on the final text.
    fn ratified(&mut self, cfg: &TextConfig, why: FinalWhy, all_yes: bool) {
        if all_yes {
            let outcome = self.text.expect("invariant: ratified a text");
            self.status = Status::Agreed { outcome, round: self.round };
            return;
        }
        match why {
            FinalWhy::LocalOptimum => self.status = Status::Broken { by: cfg.n_parties },
            FinalWhy::Stall | FinalWhy::Deadline | FinalWhy::Accepted => {
                self.stall = 0;
                self.next_round(cfg);
            }
        }
    }

    fn next_round(&mut self, cfg: &TextConfig) {
        self.round += 1;
        if self.round >= cfg.n_rounds {
            self.status = Status::TimedOut;
            self.stage = Stage::Over;
        } else {
            self.stage = Self::round_start(cfg);
        }
    }

    /// The state after a party breaks the rules or its negotiator fails (the driver's verdict:
    /// the state machine knows no preferences).
    pub fn errored(&self, by: u32, reason: String) -> MediatedState {
        let mut s = self.clone();
        s.status = Status::Errored { by, reason };
        s.stage = Stage::Over;
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(protocol: MediatedProtocol, rounds: u32) -> TextConfig {
        TextConfig {
            protocol,
            n_parties: 2,
            n_rounds: rounds,
            n_outcomes: 10,
            counts: vec![true, true],
            required: vec![true, true],
            stall: None,
            local_optimum: true,
        }
    }

    fn run(c: &TextConfig, start: Option<OutcomeId>, moves: &[(u32, Move)]) -> Result<MediatedState, Violation> {
        moves.iter().try_fold(MediatedState::new(c, start), |s, &(a, m)| s.apply(c, a, m))
    }

    #[test]
    fn a_unanimous_candidate_becomes_the_text_and_the_last_round_ends_in_ratification() {
        let c = cfg(MediatedProtocol::SingleText, 1);
        let s = run(&c, Some(1), &[(2, Move::Candidate(4)), (0, Move::Vote(true)), (1, Move::Vote(true))]).unwrap();
        assert_eq!((s.text, s.accepted, s.stage.clone()), (Some(4), 1, Stage::PutFinal { why: FinalWhy::Deadline }));
        let s = s.apply(&c, 2, Move::Final).unwrap().apply(&c, 0, Move::Vote(true)).unwrap();
        assert_eq!(s.apply(&c, 1, Move::Vote(true)).unwrap().status, Status::Agreed { outcome: 4, round: 0 });
        let refused = s.apply(&c, 1, Move::Vote(false)).unwrap();
        assert_eq!((refused.status.clone(), refused.rounds_run()), (Status::TimedOut, 1));
    }

    #[test]
    fn moves_out_of_turn_or_out_of_stage_are_violations() {
        let c = cfg(MediatedProtocol::SingleText, 3);
        let s = MediatedState::new(&c, Some(1));
        assert_eq!(s.check(&c, 0, Move::Vote(true)), Err(Violation::OutOfTurn { expected: 2, got: 0 }));
        assert_eq!(s.check(&c, 2, Move::Candidate(10)), Err(Violation::InvalidOutcome { outcome: 10, n_outcomes: 10 }));
        assert!(s.check(&c, 2, Move::Revise(3)).is_err());
        let veto = TextConfig { local_optimum: false, ..c.clone() };
        assert!(s.check(&veto, 2, Move::Final).is_err(), "veto never stops before the deadline");
        assert!(s.check(&c, 2, Move::Final).is_ok(), "a neighbour rule may stop at a local optimum");
    }

    #[test]
    fn a_refusal_at_a_local_optimum_breaks_the_talks() {
        let c = cfg(MediatedProtocol::SingleText, 5);
        let s = run(&c, Some(1), &[(2, Move::Final), (0, Move::Vote(false)), (1, Move::Vote(true))]).unwrap();
        assert_eq!((s.status.clone(), s.rounds_run()), (Status::Broken { by: 2 }, 1));
    }

    #[test]
    fn shuttle_visits_each_party_once_and_ratifies_a_text_every_required_party_accepted() {
        let c = cfg(MediatedProtocol::Shuttle, 5);
        let visit = |p| (2, Move::Visit { party: p, text: 1 });
        let s = run(&c, Some(1), &[visit(1), (1, Move::Answer(Action::Accept))]).unwrap();
        assert!(s.check(&c, 2, Move::Visit { party: 1, text: 1 }).is_err(), "one visit per party per round");
        let s = run(&c, Some(1), &[visit(1), (1, Move::Answer(Action::Accept)), visit(0), (0, Move::Answer(Action::Accept))]).unwrap();
        assert_eq!(s.stage, Stage::PutFinal { why: FinalWhy::Accepted });
        // a counter-proposal: the mediator must revise, and the round goes on without agreement
        let s = run(&c, Some(1), &[visit(0), (0, Move::Answer(Action::Offer(7))), (2, Move::Revise(5))]).unwrap();
        assert_eq!(s.text, Some(5));
        assert!(s.check(&c, 2, Move::Visit { party: 1, text: 1 }).is_err(), "the visit presents the current text");
        let s = s.apply(&c, 2, Move::Visit { party: 1, text: 5 }).unwrap().apply(&c, 1, Move::Answer(Action::Accept)).unwrap();
        assert_eq!((s.round, s.stage.clone()), (1, Stage::Visit { visited: vec![false, false], agreed: Some(None) }));
        let s = run(&c, Some(1), &[visit(0), (0, Move::Answer(Action::End))]).unwrap();
        assert_eq!(s.status, Status::Broken { by: 0 });
    }
}
