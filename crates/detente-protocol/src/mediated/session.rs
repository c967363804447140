//! The driver of a mediated negotiation: it asks the [`Mediator`] or the party whose move the
//! [`MediatedState`] awaits, checks the move (the state machine's rules, and a party's own red
//! lines, which only the session knows), applies it, records it and tells the observer.

use super::mediator::{Mediator, NegmasMediator, ObjectiveMediator};
use super::setup::MediationSetup;
use super::state::{FinalWhy, MediatedProtocol, MediatedState, Move, Stage, TextConfig};
use super::{MediatedResult, MediationConfig, MediationError, MediationRules, Objective, StartSource, LEARNT_SAMPLE};
use crate::action::{Action, Event, OutcomeId};
use crate::mediator_model::{rank_correlation, Knowledge, MediatorModel};
use crate::negotiator::{Negotiator, Standing, View};
use crate::sao::Violation;
use crate::session::{Observer, Status};
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A mediated negotiation: single text or shuttle ([`MediationConfig::protocol`]).
pub struct MediatedSession {
    setup: MediationSetup,
    cfg: MediationConfig,
    rules: TextConfig,
    state: MediatedState,
    mediator: Box<dyn Mediator>,
    negotiators: Vec<Box<dyn Negotiator>>,
    seen: Vec<Vec<Event>>,
    log: Vec<Event>,
    start: Option<OutcomeId>,
    start_source: StartSource,
    why: Option<String>,
    /// Shuttle: this round's visiting order, once the mediator has chosen it.
    order: Option<(u32, Vec<u32>)>,
    /// Shuttle: every visit's text and the party's answer, by round.
    visits: Vec<Visit>,
    /// Shuttle: per party, its last counter-proposal and what the mediator made of it.
    counters: Vec<Option<Counter>>,
    /// Shuttle: per party, its counter-proposals so far and how many the mediator resisted.
    countered: Vec<(u32, u32)>,
    result: Option<MediatedResult>,
}

/// A shuttle visit: the text shown to a party and its answer.
#[derive(Debug, Clone, Copy)]
struct Visit {
    round: u32,
    party: usize,
    shown: OutcomeId,
    answer: Action,
}

/// A shuttle counter-proposal and the mediator's answer to it.
#[derive(Debug, Clone)]
struct Counter {
    round: u32,
    from: OutcomeId,
    proposal: OutcomeId,
    composed: OutcomeId,
    /// Issues the mediator resisted, with its utility loss had it let each through.
    resisted: Vec<(usize, f64)>,
}

impl std::fmt::Debug for MediatedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediatedSession").field("cfg", &self.cfg).field("state", &self.state).finish_non_exhaustive()
    }
}

impl MediatedSession {
    /// A session; `negotiators` play the setup's parties in order; `rng` drives the mediator
    /// the configuration describes: an [`ObjectiveMediator`] under detente rules (its first
    /// text: the scenario's opening text, else [`MediationSetup::objective_text`] when
    /// omniscient or [`MediationSetup::votes_text`] with votes only, which may draw from
    /// `rng`), a [`NegmasMediator`] under NegMAS rules (the opening text, else none or a random
    /// outcome drawn from `rng`).
    pub fn new(
        setup: MediationSetup,
        negotiators: Vec<Box<dyn Negotiator>>,
        cfg: MediationConfig,
        rng: ChaCha8Rng,
    ) -> Result<Self, MediationError> {
        Self::check(&setup, &negotiators, &cfg)?;
        let mediator: Box<dyn Mediator> = match cfg.rules {
            MediationRules::Negmas => {
                if cfg.protocol == MediatedProtocol::Shuttle {
                    return Err(MediationError::NotInNegmas("shuttle mediation"));
                }
                let m = NegmasMediator::new(cfg.move_rule, rng)?;
                if cfg.stall.is_some() {
                    return Err(MediationError::NotInNegmas("stall limit"));
                }
                Box::new(m)
            }
            MediationRules::Detente => {
                Box::new(ObjectiveMediator::new(&setup, cfg.objective, cfg.move_rule, cfg.least_satisfied_first, cfg.knowledge, rng)?)
            }
        };
        Self::with_mediator(setup, negotiators, cfg, mediator)
    }

    /// A session with a mediator of the caller's own (the configuration's objective,
    /// knowledge and visiting order are then the mediator's business; its move rule says
    /// whether it may stop at a local optimum).
    pub fn with_mediator(
        setup: MediationSetup,
        negotiators: Vec<Box<dyn Negotiator>>,
        cfg: MediationConfig,
        mut mediator: Box<dyn Mediator>,
    ) -> Result<Self, MediationError> {
        Self::check(&setup, &negotiators, &cfg)?;
        let (text, start_source) = mediator.start(&setup)?;
        let n = setup.parties.len();
        let negmas = cfg.rules == MediationRules::Negmas;
        let rules = TextConfig {
            protocol: cfg.protocol,
            n_parties: n as u32,
            n_rounds: cfg.n_rounds,
            n_outcomes: setup.prepared().n_outcomes(),
            counts: setup.required.iter().map(|&r| r || negmas).collect(),
            required: setup.required.clone(),
            stall: cfg.stall,
            local_optimum: cfg.move_rule.stops_at_local_optimum(),
        };
        Ok(MediatedSession {
            state: MediatedState::new(&rules, text),
            rules,
            setup,
            cfg,
            mediator,
            negotiators,
            seen: vec![Vec::new(); n],
            log: Vec::new(),
            start: text,
            start_source,
            why: None,
            order: None,
            visits: Vec::new(),
            counters: vec![None; n],
            countered: vec![(0, 0); n],
            result: None,
        })
    }

    fn check(setup: &MediationSetup, negotiators: &[Box<dyn Negotiator>], cfg: &MediationConfig) -> Result<(), MediationError> {
        if negotiators.len() != setup.parties.len() {
            return Err(MediationError::Mismatch { parties: setup.parties.len(), negotiators: negotiators.len() });
        }
        if cfg.n_rounds == 0 {
            return Err(MediationError::NoRounds);
        }
        if cfg.stall == Some(0) {
            return Err(MediationError::NoStall);
        }
        if let Objective::Biased { mediator } = cfg.objective {
            if mediator >= setup.prepared().utilities().len() {
                return Err(MediationError::NoMediator);
            }
        }
        Ok(())
    }

    /// The mediator's participant index in events (after the parties).
    pub fn mediator_index(&self) -> u32 {
        self.setup.parties.len() as u32
    }

    /// Every event so far (rounds 0-based).
    pub fn history(&self) -> &[Event] {
        &self.log
    }

    /// The setup.
    pub fn setup(&self) -> &MediationSetup {
        &self.setup
    }

    /// The protocol's rules for this session.
    pub fn rules(&self) -> &TextConfig {
        &self.rules
    }

    /// The protocol's state.
    pub fn state(&self) -> &MediatedState {
        &self.state
    }

    /// A votes-only mediator's model of the parties as it stands (`None`: the mediator is
    /// omniscient, or NegMAS rules).
    pub fn model(&self) -> Option<&MediatorModel> {
        self.mediator.model()
    }

    /// What the mediator knows (`None` under NegMAS rules, whose mediator consults no
    /// objective).
    pub fn knowledge(&self) -> Option<Knowledge> {
        self.mediator.knowledge()
    }

    /// The first text (`None`: NegMAS veto without an opening text) and where it came from.
    pub fn start(&self) -> (Option<OutcomeId>, StartSource) {
        (self.start, self.start_source)
    }

    /// The result, once the session has ended.
    pub fn result(&self) -> Option<&MediatedResult> {
        self.result.as_ref()
    }

    /// The current text (`None` only under NegMAS veto rules before a candidate was accepted).
    pub fn text(&self) -> Option<OutcomeId> {
        self.state.text
    }

    /// The current round (0-based).
    pub fn round(&self) -> u32 {
        self.state.round
    }

    /// Runs the session to the end.
    pub fn run<O: Observer + ?Sized>(&mut self, obs: &mut O) -> MediatedResult {
        while self.step(obs) {}
        self.result.clone().expect("invariant: a finished session has a result")
    }

    /// Plays moves until the round changes or the session ends. Returns whether it is still
    /// running.
    pub fn step_round<O: Observer + ?Sized>(&mut self, obs: &mut O) -> bool {
        let round = self.state.round;
        while self.step(obs) {
            if self.state.round != round {
                return true;
            }
        }
        false
    }

    /// One move: the mediator's or a party's. Returns whether the session is still running;
    /// the result is then [`Self::result`].
    pub fn step<O: Observer + ?Sized>(&mut self, obs: &mut O) -> bool {
        if self.result.is_some() {
            return false;
        }
        let m = self.mediator_index();
        let round = self.state.round;
        match self.state.next_actor(&self.rules) {
            Some(a) if a == m => self.mediator_move(obs),
            Some(p) => self.party_move(p as usize, obs),
            None => {}
        }
        self.after_move(round, obs)
    }

    /// The party whose vote or answer is due now (a place in the setup's parties), if it is a
    /// party's move at all: what a caller playing a party from outside waits for before
    /// [`Self::submit`].
    pub fn party_to_move(&self) -> Option<u32> {
        self.state.next_actor(&self.rules).filter(|&a| a < self.mediator_index())
    }

    /// Party `p`'s move, made from outside (a person at a UI, a replayed trace) in place of its
    /// negotiator's: in single text a vote on the candidate or the final text (`Accept` is yes,
    /// `Reject` no); in shuttle an answer to the visit (`Accept`, a counter-`Offer`, `Reject`,
    /// `End`). The same rules hold as for a negotiator's move: an illegal one (out of turn, not
    /// a move of this stage, across the party's own red line) errors the session, as
    /// [`crate::Session::submit`] does, and is returned. Returns whether the session is still
    /// running.
    pub fn submit<O: Observer + ?Sized>(&mut self, p: u32, action: Action, obs: &mut O) -> Result<bool, Violation> {
        if self.result.is_some() || !self.state.is_running() {
            return Err(Violation::Finished);
        }
        let mv = match (&self.state.stage, action) {
            (Stage::Vote { .. } | Stage::Ratify { .. }, Action::Accept) => Move::Vote(true),
            (Stage::Vote { .. } | Stage::Ratify { .. }, Action::Reject) => Move::Vote(false),
            (Stage::Vote { .. } | Stage::Ratify { .. }, a) => {
                return self.refuse(
                    p,
                    Violation::NotAllowed { action: a.name(), rules: "a vote, where a party says yes (accept) or no (reject)" },
                    obs,
                )
            }
            (_, a) => Move::Answer(a),
        };
        let round = self.state.round;
        if let Err(v) = self.party_plays(p as usize, mv, obs) {
            return self.refuse(p, v, obs);
        }
        Ok(self.after_move(round, obs))
    }

    /// An illegal move from outside: the session errors, by `p` when it is a party.
    fn refuse<O: Observer + ?Sized>(&mut self, p: u32, v: Violation, obs: &mut O) -> Result<bool, Violation> {
        let round = self.state.round;
        self.state = self.state.errored(p.min(self.mediator_index()), v.to_string());
        self.after_move(round, obs);
        Err(v)
    }

    /// After a move begun in `round`: the words a shuttle time-out needs, and the result once
    /// the session is over. Returns whether it is still running.
    fn after_move<O: Observer + ?Sized>(&mut self, round: u32, obs: &mut O) -> bool {
        if self.rules.protocol == MediatedProtocol::Shuttle && self.state.status == Status::TimedOut {
            // whatever the last round's final text came to, the deadline says why
            self.why = Some(self.shuttle_deadline_why(round));
        }
        if self.state.is_running() {
            return true;
        }
        let r = self.finish(obs);
        self.result = Some(r);
        false
    }

    /// Applies a legal move; the caller has recorded it. Tells the mediator.
    fn apply(&mut self, actor: u32, mv: Move) -> Result<MediatedState, Violation> {
        let after = self.state.apply(&self.rules, actor, mv)?;
        let before = std::mem::replace(&mut self.state, after);
        self.mediator.observe(&self.setup, &before, &self.state, actor, mv);
        Ok(before)
    }

    fn mediator_move<O: Observer + ?Sized>(&mut self, obs: &mut O) {
        let m = self.mediator_index();
        if !self.mediator.can_mediate(&self.setup) {
            // every text crosses one of the mediator's own red lines: it cannot mediate
            self.record(m, Action::End, obs, Audience::All);
            self.why = Some(format!("every text crosses a red line of the mediator {}: it cannot mediate", self.mediator_name()));
            self.must(m, Move::Withdraw);
            return;
        }
        match self.state.stage.clone() {
            Stage::Propose => match self.mediator.candidate(&self.setup, &self.state) {
                Some(c) => {
                    self.record(m, Action::Offer(c), obs, Audience::All);
                    self.must(m, Move::Candidate(c));
                }
                // a local optimum: every neighbour the mediator may propose was put to the
                // parties since the text last changed: the text is put as final now
                None => self.put_final(obs),
            },
            Stage::PutFinal { .. } => self.put_final(obs),
            Stage::Visit { visited, .. } => {
                let round = self.state.round;
                if self.order.as_ref().is_none_or(|(r, _)| *r != round) {
                    self.order = Some((round, self.mediator.visiting_order(&self.setup, &self.state)));
                }
                let order = self.order.as_ref().map_or(&[][..], |o| &o.1[..]);
                let party = order.iter().copied().chain(0..m).find(|&p| !visited[p as usize]).expect("invariant: a party is left to visit");
                let text = self.state.text.expect("invariant: shuttle mediation always has a text");
                self.record(m, Action::Offer(text), obs, Audience::Party(party as usize));
                self.must(m, Move::Visit { party, text });
            }
            Stage::Revise { party, .. } => {
                let p = party as usize;
                let t = self.state.text.expect("invariant: shuttle mediation always has a text");
                let Some(&Visit { answer: Action::Offer(c), .. }) = self.visits.last() else {
                    unreachable!("invariant: a revision follows a counter-proposal")
                };
                let rev = self.mediator.revise(&self.setup, t, p, c);
                self.countered[p].0 += 1;
                self.countered[p].1 += u32::from(!rev.resisted.is_empty());
                self.counters[p] =
                    Some(Counter { round: self.state.round, from: t, proposal: c, composed: rev.text, resisted: rev.resisted });
                self.record(m, Action::Offer(rev.text), obs, Audience::Revision);
                if let Err(v) = self.apply(m, Move::Revise(rev.text)) {
                    // a mediator of the caller's own may revise to an outcome outside the space
                    self.state = self.state.errored(m, v.to_string());
                }
            }
            Stage::Vote { .. } | Stage::Ratify { .. } | Stage::Answer { .. } | Stage::Over => {
                unreachable!("invariant: the mediator moves only in its own stages")
            }
        }
    }

    /// Applies a mediator move the session built itself (legal by construction; a violation
    /// would be a mediator of the caller's own misbehaving, and errors the session).
    fn must(&mut self, m: u32, mv: Move) {
        if let Err(v) = self.apply(m, mv) {
            self.state = self.state.errored(m, v.to_string());
        }
    }

    /// The mediator puts the text to the parties as final (no event without a text: NegMAS
    /// veto before any accepted candidate asks nobody).
    fn put_final<O: Observer + ?Sized>(&mut self, obs: &mut O) {
        let m = self.mediator_index();
        if let Some(text) = self.state.text {
            self.record(m, Action::Offer(text), obs, Audience::Final);
        }
        let why = match self.state.stage {
            Stage::PutFinal { why } => why,
            _ => FinalWhy::LocalOptimum,
        };
        let before = self.state.clone();
        self.must(m, Move::Final);
        if !matches!(self.state.stage, Stage::Ratify { .. }) {
            // nobody was asked: every party counted as refusing
            let all: Vec<u32> = (0..m).collect();
            self.after_final(&before, why, &all);
        }
    }

    /// Party `p`'s move, asked of its negotiator; a move it may not make errors the session.
    fn party_move<O: Observer + ?Sized>(&mut self, p: usize, obs: &mut O) {
        let before = self.state.clone();
        let decided = match before.stage {
            Stage::Vote { candidate, .. } => self.vote(p, candidate, before.text, false).map(Move::Vote),
            Stage::Ratify { .. } => {
                let text = before.text.expect("invariant: a final text exists");
                self.vote(p, text, None, true).map(Move::Vote)
            }
            Stage::Answer { .. } => {
                let text = before.text.expect("invariant: shuttle mediation always has a text");
                self.act(p, text).map(Move::Answer)
            }
            _ => unreachable!("invariant: a party moves only when it votes or answers"),
        };
        match decided.and_then(|mv| self.party_plays(p, mv, obs).map_err(|v| v.to_string())) {
            Ok(()) => {}
            Err(reason) => self.error(p, reason),
        }
    }

    /// Party `p` makes `mv`, however it was chosen: checked against the state machine and the
    /// party's own red lines (a violation leaves everything as it was), then recorded, applied,
    /// and what it settled put in words.
    fn party_plays<O: Observer + ?Sized>(&mut self, p: usize, mv: Move, obs: &mut O) -> Result<(), Violation> {
        self.state.check(&self.rules, p as u32, mv)?;
        let before = self.state.clone();
        let (verb, outcome) = match (&before.stage, mv) {
            (Stage::Vote { candidate, .. }, Move::Vote(yes)) => (yes.then_some("voted for"), Some(*candidate)),
            (Stage::Ratify { .. }, Move::Vote(yes)) => (yes.then_some("voted for"), before.text),
            (Stage::Answer { .. }, Move::Answer(Action::Accept)) => (Some("accepted"), before.text),
            (Stage::Answer { .. }, Move::Answer(Action::Offer(c))) => (Some("offered"), Some(c)),
            _ => (None, None),
        };
        if let (Some(verb), Some(o)) = (verb, outcome) {
            if let Some(v) = self.crossing(p, verb, o) {
                return Err(v);
            }
        }
        let action = match mv {
            Move::Vote(true) => Action::Accept,
            Move::Vote(false) => Action::Reject,
            Move::Answer(a) => a,
            _ => unreachable!("invariant: a party votes or answers"),
        };
        self.record(p as u32, action, obs, Audience::Party(p));
        if let Stage::Answer { .. } = before.stage {
            let shown = before.text.expect("invariant: shuttle mediation always has a text");
            self.visits.push(Visit { round: before.round, party: p, shown, answer: action });
        }
        self.must(p as u32, mv);
        // what the move settled, in words
        match (&before.stage, mv) {
            (Stage::Ratify { why, refused, .. }, Move::Vote(yes)) if !matches!(self.state.stage, Stage::Ratify { .. }) => {
                let mut refused = refused.clone();
                if !yes {
                    refused.push(p as u32);
                }
                self.after_final(&before, *why, &refused);
            }
            (Stage::Answer { .. }, Move::Answer(Action::End)) if matches!(self.state.status, Status::Broken { .. }) => {
                self.why = Some(format!("{} walked away in round {}", self.party_name(p), before.round + 1));
            }
            _ => {}
        }
        Ok(())
    }

    /// The words for a vote on a final text that did not end in agreement.
    fn after_final(&mut self, before: &MediatedState, why: FinalWhy, refused: &[u32]) {
        if refused.is_empty() {
            return;
        }
        let refused: Vec<usize> = refused.iter().map(|&p| p as usize).collect();
        let round = before.round + 1;
        match why {
            FinalWhy::LocalOptimum => {
                self.why = Some(format!(
                    "the text reached a local optimum in round {round} (each of its neighbours was put to the parties since it last changed, and each was voted down), and {} refused it as final",
                    self.refusals(&refused)
                ))
            }
            FinalWhy::Deadline => {
                self.why = Some(match self.state.text {
                    Some(_) => format!("at the deadline {} refused the text as final", self.refusals(&refused)),
                    None => "no candidate was ever better than walking away for every party, so no text was put to them as final".to_string(),
                })
            }
            FinalWhy::Stall => {}
            FinalWhy::Accepted => {
                self.why = Some(format!("{} refused the text as final in round {round}", self.refusals(&refused)));
            }
        }
    }

    fn name(&self, actor: usize) -> String {
        self.setup.prepared().actor_ids().get(actor).cloned().unwrap_or_else(|| format!("actor {actor}"))
    }

    fn party_name(&self, p: usize) -> String {
        self.name(self.setup.parties[p])
    }

    fn mediator_name(&self) -> String {
        match self.cfg.objective {
            Objective::Biased { mediator } => self.name(mediator),
            _ => "the mediator".into(),
        }
    }

    /// Records an event for the observer and the parties who see it. A text put as final and a
    /// shuttle revision reach the observer through [`Observer::on_final`] and
    /// [`Observer::on_revised`], so a trace marks them; a revision is seen by no party (each sees
    /// the text when visited), yet kept in the history and the trace, so that a trace replays
    /// through the state machine alone.
    fn record<O: Observer + ?Sized>(&mut self, actor: u32, action: Action, obs: &mut O, to: Audience) {
        let ev = Event { round: self.state.round, actor, action };
        self.log.push(ev);
        match to {
            Audience::Final => obs.on_final(&ev),
            Audience::Revision => obs.on_revised(&ev),
            Audience::All | Audience::Party(_) => obs.on_event(&ev),
        }
        match to {
            Audience::Party(p) => self.seen[p].push(ev),
            Audience::All | Audience::Final => self.seen.iter_mut().for_each(|s| s.push(ev)),
            Audience::Revision => {}
        }
    }

    /// Whether party `p` can accept anything at all (else it is not asked: it can only say no,
    /// or leave).
    fn can_accept_anything(&self, p: usize) -> bool {
        self.setup.u(self.setup.parties[p]).n_acceptable() > 0
    }

    /// Party `p`'s vote on `proposal` against the text `current` (`None`: as final), by the
    /// rule set: its negotiator's [`Negotiator::vote`] (detente), or NegMAS's strict comparison
    /// of its utilities (`u(proposal) > u(current)`, with no text worth the reservation value;
    /// as final, `u ≥ reservation`), never for a text across its red lines. A panic is caught
    /// and returned as the reason.
    fn vote(&mut self, p: usize, proposal: OutcomeId, current: Option<OutcomeId>, is_final: bool) -> Result<bool, String> {
        match self.cfg.rules {
            MediationRules::Detente => {
                if !self.can_accept_anything(p) {
                    return Ok(false);
                }
                let view = view(&self.setup, &self.seen[p], self.state.round, self.cfg.n_rounds, p, proposal);
                let neg = &mut self.negotiators[p];
                catch_unwind(AssertUnwindSafe(|| neg.vote(&view, proposal, current))).map_err(|p| crate::negotiator::failure_reason(&*p))
            }
            MediationRules::Negmas => {
                let u = self.setup.u(self.setup.parties[p]);
                let x = u.utility(proposal);
                Ok(u.acceptable(proposal)
                    && if is_final { x >= u.reservation_value() } else { x > current.map_or(u.reservation_value(), |c| u.utility(c)) })
            }
        }
    }

    /// Party `p`'s answer to a shuttle visit presenting `text`.
    fn act(&mut self, p: usize, text: OutcomeId) -> Result<Action, String> {
        if !self.can_accept_anything(p) {
            return Ok(Action::End);
        }
        let view = view(&self.setup, &self.seen[p], self.state.round, self.cfg.n_rounds, p, text);
        let neg = &mut self.negotiators[p];
        catch_unwind(AssertUnwindSafe(|| neg.act(&view))).map_err(|p| crate::negotiator::failure_reason(&*p))
    }

    /// Why party `p` may not do `verb` (`voted for`, `accepted`, `offered`) with `o`: it crosses
    /// the party's own red line.
    fn crossing(&self, p: usize, verb: &'static str, o: OutcomeId) -> Option<Violation> {
        let u = self.setup.u(self.setup.parties[p]);
        if u.acceptable(o) {
            return None;
        }
        Violation::red_line(u, self.setup.prepared().space(), &self.party_name(p), verb, o)
    }

    fn error(&mut self, p: usize, reason: String) {
        self.state = self.state.errored(p as u32, reason);
    }

    /// The refusals of a failed ratification in words: `russia (0.512 against its walk-away
    /// 0.550)`.
    fn refusals(&self, refused: &[usize]) -> String {
        let Some(text) = self.state.text else { return String::new() };
        let each: Vec<String> = refused
            .iter()
            .map(|&p| {
                let u = self.setup.u(self.setup.parties[p]);
                let x = u.utility(text);
                if !u.acceptable(text) {
                    format!("{} (it crosses its red line)", self.party_name(p))
                } else if x < u.reservation_value() {
                    format!("{} ({x:.3}, below its walk-away value {:.3})", self.party_name(p), u.reservation_value())
                } else {
                    format!("{} ({x:.3} against its walk-away value {:.3})", self.party_name(p), u.reservation_value())
                }
            })
            .collect();
        each.join(", ")
    }

    fn finish<O: Observer + ?Sized>(&mut self, obs: &mut O) -> MediatedResult {
        let status = self.state.status.clone();
        let prepared = self.setup.prepared();
        // discounted at the round the mediation ended in (its relative time as the parties saw it)
        let round = self.state.round.min(self.cfg.n_rounds.saturating_sub(1));
        let time = f64::from(round + 1) / (f64::from(self.cfg.n_rounds) + 1.0);
        let utilities: Vec<f64> = prepared.utilities().iter().map(|u| u.final_utility(status.agreement(), time, round)).collect();
        let rounds = self.state.rounds_run();
        let parts: Vec<f64> = self.setup.parties.iter().map(|&a| utilities[a]).collect();
        obs.on_end(&status, rounds, &parts);
        let why = if status.agreement().is_some() { None } else { self.why.clone() };
        let learnt = self.mediator.model().map(|model| {
            let n = prepared.n_outcomes();
            let sample: Vec<OutcomeId> = if n <= LEARNT_SAMPLE {
                (0..n).collect()
            } else {
                (0..LEARNT_SAMPLE).map(|i| (u128::from(i) * u128::from(n) / u128::from(LEARNT_SAMPLE)) as OutcomeId).collect()
            };
            (0..self.setup.parties.len())
                .map(|p| {
                    let u = self.setup.u(self.setup.parties[p]);
                    let est: Vec<f64> = sample.iter().map(|&o| model.estimate(p, o)).collect();
                    let truth: Vec<f64> = sample.iter().map(|&o| u.utility(o)).collect();
                    rank_correlation(&est, &truth)
                })
                .collect()
        });
        MediatedResult {
            status,
            rounds,
            text: self.state.text,
            start: self.start,
            start_source: self.start_source,
            utilities,
            proposed: self.state.proposed,
            accepted: self.state.accepted,
            why,
            knowledge: self.knowledge(),
            learnt,
        }
    }

    /// Why a shuttle ran out of time, in words: what each required party did in the last round
    /// — accepted the final text, accepted a text a later counter-proposal changed, or
    /// countered (what it asked for, and what the mediator made of it: the issues it moved only
    /// part of the way, at what cost to itself, and what the new text gave the party) — and
    /// who had not accepted the final text when time ran out.
    fn shuttle_deadline_why(&self, round: u32) -> String {
        let mut said = Vec::new();
        let mut holdouts = Vec::new();
        for v in self.visits.iter().filter(|v| v.round == round && self.setup.required[v.party]) {
            let p = v.party;
            let name = self.party_name(p);
            let u = self.setup.u(self.setup.parties[p]);
            let accepted_final = v.answer == Action::Accept && Some(v.shown) == self.state.text;
            if !accepted_final {
                holdouts.push(name.clone());
            }
            said.push(match v.answer {
                Action::Accept if accepted_final => format!("{name} accepted the final text ({:.3} to it)", u.utility(v.shown)),
                Action::Accept => format!("{name} accepted a text that a later counter-proposal changed"),
                Action::Offer(_) => match self.counters[p].as_ref().filter(|c| c.round == round) {
                    Some(c) => self.describe_counter(p, c),
                    None => format!("{name} countered"),
                },
                _ => format!("{name} rejected the text without a counter-proposal"),
            });
        }
        let mut why = format!("the deadline passed before every required party accepted the same text: in round {}, ", round + 1);
        why.push_str(&said.join("; "));
        if !holdouts.is_empty() {
            why.push_str(&format!("; no visit was left for {} to accept the final text", holdouts.join(" and ")));
        }
        let tally: Vec<String> = (0..self.setup.parties.len())
            .filter(|&p| self.setup.required[p] && self.countered[p].0 > 0)
            .map(|p| format!("{} of {}'s {}", self.countered[p].1, self.party_name(p), self.countered[p].0))
            .collect();
        if !tally.is_empty() {
            why.push_str(&format!(
                ". Over the {} rounds the mediator moved only part of the way on {} counter-proposals (it refused none outright)",
                round + 1,
                tally.join(" and ")
            ));
        }
        why
    }

    /// A counter-proposal and the mediator's answer to it, in words.
    fn describe_counter(&self, p: usize, c: &Counter) -> String {
        let name = self.party_name(p);
        let u = self.setup.u(self.setup.parties[p]);
        let mut s = format!(
            "{name} countered, asking for {:.3} where the text gave it {:.3} (its walk-away value is {:.3})",
            u.utility(c.proposal),
            u.utility(c.from),
            u.reservation_value()
        );
        if c.resisted.is_empty() {
            s.push_str(&format!(", and the new text gives it {:.3}", u.utility(c.composed)));
            return s;
        }
        let space = self.setup.prepared().space();
        let estimated = if self.mediator.model().is_some() { " as it estimates them" } else { "" };
        let cost = |loss: f64| match self.cfg.objective {
            Objective::Biased { .. } => format!("{loss:.3} of its utility"),
            Objective::Neutral => format!("{loss:.3} of the log Nash product of the required parties' gains{estimated}"),
            Objective::Welfare => format!("{loss:.3} of the required parties' total utility{estimated}"),
        };
        let issues: Vec<String> =
            c.resisted.iter().map(|&(j, loss)| format!("{} (in full: {})", space.issues()[j].id, cost(loss))).collect();
        let mediator = match self.cfg.objective {
            Objective::Biased { mediator } => format!("the mediator {}", self.name(mediator)),
            _ => "the mediator".to_string(),
        };
        s.push_str(&format!(
            "; {mediator} moved only part of the way on {}, so the new text gives {name} {:.3} instead",
            issues.join(", "),
            u.utility(c.composed)
        ));
        if let Objective::Biased { mediator } = self.cfg.objective {
            s.push_str(&format!(" and {} {:.3}", self.name(mediator), self.setup.u(mediator).utility(c.composed)));
        }
        s
    }
}

/// Who sees an event, and how the observer hears of it.
#[derive(Debug, Clone, Copy)]
enum Audience {
    /// Every party.
    All,
    /// One party.
    Party(usize),
    /// Every party: the text put to them as final.
    Final,
    /// No party: a shuttle mediator's revision.
    Revision,
}

/// The view party `p` acts on in round `round` of `n_rounds`, with `proposal` standing and
/// `seen` its history (the mediator's texts to it and its own answers).
fn view<'a>(setup: &'a MediationSetup, seen: &'a [Event], round: u32, n_rounds: u32, p: usize, proposal: OutcomeId) -> View<'a> {
    View {
        me: p as u32,
        n_parties: setup.parties.len() as u32,
        round,
        n_rounds,
        time: f64::from(round + 1) / (f64::from(n_rounds) + 1.0),
        offer: Some(Standing { outcome: proposal, by: setup.parties.len() as u32 }),
        utility: setup.prepared().utility(setup.parties[p]),
        space: setup.prepared().space(),
        history: seen,
    }
}
