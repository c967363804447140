//! Mediated protocols: the single negotiating text and shuttle mediation
//! (`mediation-protocols.md` §2–3), with biased, neutral and welfare mediator objectives and
//! required vs optional parties.
//!
//! The mediator here is part of the mechanism, not a [`Negotiator`]: it generates texts by a
//! [`MoveRule`] and an [`Objective`], with a seeded RNG passed in, and it is **omniscient** — it
//! evaluates every party's utility (the spec's `omniscient` knowledge setting; the `votes`
//! setting is not implemented). Parties are negotiators: they vote through
//! [`Negotiator::vote`] (single text, ratification) and answer a presented text through
//! [`Negotiator::act`] (shuttle: `Accept`, or a counter-`Offer`).
//!
//! Only **required** parties' acceptance makes an agreement. Optional parties vote and are
//! consulted (in shuttle mediation their counter-proposals move the text like anyone's), but
//! their "no" blocks nothing. Each party sees only the mediator's texts and its own answers
//! (its [`View::history`]), never another party's moves.
//!
//! **Red lines.** A party never votes yes for, accepts or counter-proposes a text across its own
//! red line: the session treats it as an illegal move (`Errored`, naming the actor and the
//! line); a party with no acceptable outcome at all is not asked (its votes are "no", its
//! answer to a shuttle visit is `End`). A biased mediator never puts forward a text across its
//! own red lines (initial text, candidates, shuttle moves); if every outcome crosses one, it
//! cannot mediate and the session ends at once, `Broken` by the mediator. The mediator does not
//! know the parties' red lines: they simply vote such texts down. Neutral and welfare mediators
//! have no red lines of their own.
//!
//! Traces use the same [`Event`]s as SAO: the mediator is participant `n_parties` (after the
//! parties); its `Offer` is a text put to the parties, a party's `Accept`/`Reject` is its vote,
//! a party's `Offer` in shuttle mediation is its counter-proposal.

use crate::action::{Action, Event, OutcomeId};
use crate::negotiator::{Negotiator, Standing, View};
use crate::prepared::{PartyUtility, PreparedScenario};
use crate::sao::Violation;
use crate::session::{Observer, Status};
use detente_core::{IssueKind, Role, Scenario, UtilityFunction};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// How the single-text mediator generates the next candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoveRule {
    /// A uniformly random outcome (NegMAS `VetoSTMechanism`).
    Veto,
    /// A random neighbour of the text: one issue changed to an adjacent option (ordered issues)
    /// or any other option (categorical) (NegMAS `HillClimbingSTMechanism`).
    #[default]
    HillClimbing,
    /// The neighbour best by the mediator's objective, among those not yet put to the parties
    /// since the text last changed (ties: lowest outcome index); when all were refused, the
    /// round starts over from the best.
    Steepest,
}

impl MoveRule {
    /// Parses `veto`, `hill_climbing`, `steepest`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "veto" => Some(MoveRule::Veto),
            "hill_climbing" | "hill-climbing" | "hillclimbing" => Some(MoveRule::HillClimbing),
            "steepest" => Some(MoveRule::Steepest),
            _ => None,
        }
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveRule::Veto => "veto",
            MoveRule::HillClimbing => "hill_climbing",
            MoveRule::Steepest => "steepest",
        }
    }
}

/// What the mediator pursues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Its own utility (actor index in the scenario): the seed's US position.
    Biased {
        /// The mediating actor.
        mediator: usize,
    },
    /// The Nash product of the required parties' gains over their reservation values (as a
    /// sum of logs, a gain below 1e-9 counted as 1e-9).
    Neutral,
    /// The sum of the required parties' utilities.
    Welfare,
}

impl Objective {
    /// `biased`, `neutral`, `welfare`.
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Biased { .. } => "biased",
            Objective::Neutral => "neutral",
            Objective::Welfare => "welfare",
        }
    }
}

/// Who is at the table and what the mediator knows about the issues.
#[derive(Debug, Clone)]
pub struct MediationSetup {
    prepared: Arc<PreparedScenario>,
    /// Parties' actor indices (scenario order), in visiting order.
    pub parties: Vec<usize>,
    /// Whether each party's acceptance is required.
    pub required: Vec<bool>,
    /// The mediating actor, if the scenario names one with role `mediator`.
    pub mediator: Option<usize>,
    radices: Vec<u32>,
    ordered: Vec<bool>,
    positions: Vec<Vec<f64>>,
    /// Per party, per issue: how much the issue matters to it, scaled so that its most
    /// important issue has 1 (from the utility's per-issue range).
    weights: Vec<Vec<f64>>,
}

/// Why a mediated session cannot be set up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediationError {
    /// Fewer than two parties.
    #[error("mediation needs at least 2 parties (actors with role `party`), got {0}")]
    TooFewParties(usize),
    /// No required party.
    #[error("no party's acceptance is required: mark at least one party `required = true`")]
    NoRequiredParty,
    /// Negotiators and parties differ in number.
    #[error("{parties} parties but {negotiators} negotiators")]
    Mismatch {
        /// Parties.
        parties: usize,
        /// Negotiators.
        negotiators: usize,
    },
    /// A biased objective without a mediator with preferences.
    #[error("a biased mediator needs a mediating actor")]
    NoMediator,
    /// Zero rounds.
    #[error("the deadline must be at least 1 round")]
    NoRounds,
    /// The space is not enumerable.
    #[error("the outcome space has an issue without a finite list of values")]
    NotEnumerable,
}

impl MediationSetup {
    /// From a scenario and its preparation: the parties are the actors with role `party` (in
    /// scenario order), the mediator the actor named by `protocol.mediator` or else the first
    /// with role `mediator`.
    pub fn new(scenario: &Scenario, prepared: Arc<PreparedScenario>) -> Result<Self, MediationError> {
        let parties: Vec<usize> = scenario.actors.iter().enumerate().filter(|(_, a)| a.role == Role::Party).map(|(i, _)| i).collect();
        if parties.len() < 2 {
            return Err(MediationError::TooFewParties(parties.len()));
        }
        let required: Vec<bool> = parties.iter().map(|&i| scenario.actors[i].required).collect();
        if !required.contains(&true) {
            return Err(MediationError::NoRequiredParty);
        }
        let mediator = scenario
            .protocol
            .mediator
            .as_deref()
            .and_then(|id| scenario.actor_index(id))
            .or_else(|| scenario.actors.iter().position(|a| a.role == Role::Mediator));
        let mut radices = Vec::new();
        let mut ordered = Vec::new();
        let mut positions = Vec::new();
        for issue in scenario.space.issues() {
            let k = issue.cardinality().ok_or(MediationError::NotEnumerable)? as u32;
            radices.push(k);
            let is_ordered = !matches!(issue.kind, IssueKind::Categorical { .. });
            ordered.push(is_ordered);
            positions.push(
                (0..k)
                    .map(|v| {
                        issue.value_at(v).and_then(|x| issue.scale_of(&x)).unwrap_or(if k > 1 {
                            100.0 * f64::from(v) / f64::from(k - 1)
                        } else {
                            50.0
                        })
                    })
                    .collect(),
            );
        }
        let weights = scenario
            .actors
            .iter()
            .map(|a| match a.preferences.utility.additive_tables(&scenario.space) {
                Some(t) => {
                    let r: Vec<f64> = t
                        .tables
                        .iter()
                        .map(|tab| {
                            tab.iter().copied().fold(f64::NEG_INFINITY, f64::max) - tab.iter().copied().fold(f64::INFINITY, f64::min)
                        })
                        .collect();
                    let m = r.iter().copied().fold(0.0, f64::max);
                    r.iter().map(|x| if m > 0.0 { x / m } else { 1.0 }).collect()
                }
                None => vec![1.0; radices.len()],
            })
            .collect();
        Ok(MediationSetup { prepared, parties, required, mediator, radices, ordered, positions, weights })
    }

    /// The prepared scenario.
    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.prepared
    }

    fn u(&self, actor: usize) -> &PartyUtility {
        self.prepared.utility(actor)
    }

    /// Whether the mediator may put `o` forward under `obj`: a biased mediator never proposes
    /// a text across its own red lines; neutral and welfare mediators have none.
    pub fn mediator_accepts(&self, obj: Objective, o: OutcomeId) -> bool {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).acceptable(o),
            Objective::Neutral | Objective::Welfare => true,
        }
    }

    /// The mediator's objective value of an outcome.
    pub fn objective(&self, obj: Objective, o: OutcomeId) -> f64 {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).utility(o),
            Objective::Neutral => self
                .parties
                .iter()
                .zip(&self.required)
                .filter(|(_, &r)| r)
                .map(|(&a, _)| (self.u(a).utility(o) - self.u(a).reservation_value()).max(1e-9).ln())
                .sum(),
            Objective::Welfare => self.parties.iter().zip(&self.required).filter(|(_, &r)| r).map(|(&a, _)| self.u(a).utility(o)).sum(),
        }
    }

    fn decode(&self, mut o: OutcomeId) -> Vec<u32> {
        let mut out = vec![0; self.radices.len()];
        for (slot, &r) in out.iter_mut().zip(&self.radices).rev() {
            *slot = (o % u64::from(r)) as u32;
            o /= u64::from(r);
        }
        out
    }

    fn encode(&self, idx: &[u32]) -> OutcomeId {
        idx.iter().zip(&self.radices).fold(0, |acc, (&v, &r)| acc * u64::from(r) + u64::from(v))
    }

    /// The neighbours of a text: one issue changed to an adjacent value (ordered issues) or to
    /// any other value (categorical), in ascending outcome index.
    pub fn neighbours(&self, o: OutcomeId) -> Vec<OutcomeId> {
        let base = self.decode(o);
        let mut out = Vec::new();
        for (j, &r) in self.radices.iter().enumerate() {
            let v = base[j];
            let candidates: Vec<u32> = if self.ordered[j] {
                [v.checked_sub(1), (v + 1 < r).then_some(v + 1)].into_iter().flatten().collect()
            } else {
                (0..r).filter(|&x| x != v).collect()
            };
            for c in candidates {
                let mut idx = base.clone();
                idx[j] = c;
                out.push(self.encode(&idx));
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether every required party is at or above its reservation at `o`.
    pub fn rational_for_required(&self, o: OutcomeId) -> bool {
        self.parties.iter().zip(&self.required).filter(|(_, &r)| r).all(|(&a, _)| self.u(a).utility(o) >= self.u(a).reservation_value())
    }

    /// The first text: under `biased`, the outcome best for the mediator among those every
    /// required party finds rational (any outcome if none is), of those its red lines allow
    /// (outcome 0 if they allow none: the session then ends at once); under `neutral` and `welfare`,
    /// the outcome nearest the middle of every scale (categorical: the middle option). Ties:
    /// lowest outcome index.
    pub fn initial_text(&self, obj: Objective) -> OutcomeId {
        match obj {
            Objective::Biased { mediator } => {
                let u = self.u(mediator);
                let n = u.len() as u64;
                let pick = |filter: bool| {
                    let mut best: Option<(f64, OutcomeId)> = None;
                    for o in 0..n {
                        if (filter && !self.rational_for_required(o)) || !u.acceptable(o) {
                            continue;
                        }
                        let x = u.utility(o);
                        if best.is_none_or(|(b, _)| x > b) {
                            best = Some((x, o));
                        }
                    }
                    best.map(|b| b.1)
                };
                pick(true).or_else(|| pick(false)).unwrap_or(0)
            }
            Objective::Neutral | Objective::Welfare => {
                let idx: Vec<u32> = self
                    .positions
                    .iter()
                    .zip(&self.ordered)
                    .map(|(pos, &ord)| if ord { nearest(pos, 50.0, None) } else { (pos.len() as u32 - 1) / 2 })
                    .collect();
                self.encode(&idx)
            }
        }
    }

    /// The shuttle mediator's next text after party `p` (index into `parties`) counters `c`
    /// to text `t`: on each issue, a move from `t` towards `c` by the party's weight on the issue
    /// (its most important issue moves all the way), snapped to the nearest value (ties: the
    /// smaller move); a categorical issue changes iff the weight is at least 0.5. Under a
    /// biased objective, a move that lowers the mediator's utility (issue by issue) is halved,
    /// and if the resulting text would cross the mediator's red lines the issues move one at a
    /// time in issue order, each only if the text so far stays clear of them (so a text `t`
    /// clear of them gives a text clear of them).
    pub fn compose(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId) -> OutcomeId {
        let (ti, ci) = (self.decode(t), self.decode(c));
        let w = &self.weights[self.parties[p]];
        let mut out = ti.clone();
        for j in 0..self.radices.len() {
            if ti[j] == ci[j] {
                continue;
            }
            let mut step = w[j];
            if let Objective::Biased { mediator } = obj {
                let mut probe = ti.clone();
                probe[j] = ci[j];
                if self.u(mediator).utility(self.encode(&probe)) < self.u(mediator).utility(t) {
                    step *= 0.5;
                }
            }
            out[j] = if self.ordered[j] {
                let (a, b) = (self.positions[j][ti[j] as usize], self.positions[j][ci[j] as usize]);
                nearest(&self.positions[j], a + step * (b - a), Some(a))
            } else if step >= 0.5 {
                ci[j]
            } else {
                ti[j]
            };
        }
        let text = self.encode(&out);
        if self.mediator_accepts(obj, text) {
            return text;
        }
        let mut g = ti;
        for (j, &v) in out.iter().enumerate() {
            let was = std::mem::replace(&mut g[j], v);
            if !self.mediator_accepts(obj, self.encode(&g)) {
                g[j] = was;
            }
        }
        self.encode(&g)
    }
}

/// Index of the position nearest `x` (ties: nearest to `toward`, then lowest index).
fn nearest(pos: &[f64], x: f64, toward: Option<f64>) -> u32 {
    let mut best = 0usize;
    for (i, &p) in pos.iter().enumerate().skip(1) {
        let (d, bd) = ((p - x).abs(), (pos[best] - x).abs());
        let closer_to_anchor = toward.is_some_and(|a| (p - a).abs() < (pos[best] - a).abs());
        if d < bd || (d == bd && closer_to_anchor) {
            best = i;
        }
    }
    best as u32
}

/// Deadline and rules of a mediated session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediationConfig {
    /// Deadline in rounds.
    pub n_rounds: u32,
    /// The mediator's objective.
    pub objective: Objective,
    /// Single text: how candidates are generated.
    pub move_rule: MoveRule,
    /// Single text: rounds without an accepted candidate before the text is put to
    /// ratification (default 10).
    pub stall: u32,
    /// Shuttle: visit the least satisfied party first (lowest `u − reservation` at the current
    /// text; ties by party order) instead of in party order.
    pub least_satisfied_first: bool,
}

impl MediationConfig {
    /// Defaults: hill climbing, stall 10, fixed visiting order.
    pub fn new(n_rounds: u32, objective: Objective) -> Self {
        MediationConfig { n_rounds, objective, move_rule: MoveRule::HillClimbing, stall: 10, least_satisfied_first: false }
    }
}

/// The result of a mediated session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MediatedResult {
    /// How it ended (`Agreed` after a successful ratification).
    pub status: Status,
    /// Rounds run.
    pub rounds: u32,
    /// The final text (agreed or not); the text it would have started from when a biased
    /// mediator could put none forward.
    pub text: OutcomeId,
    /// Every scenario actor's utility (scenario order): of the agreement, or its reservation
    /// value without one — the mediator's own included (the price of its bias).
    pub utilities: Vec<f64>,
    /// Texts the mediator put to the parties (single text: candidates; shuttle: visits).
    pub proposed: u32,
    /// Texts accepted (single text: candidates that became the text; shuttle: acceptances).
    pub accepted: u32,
}

/// A mediated negotiation: single text or shuttle.
pub struct MediatedSession {
    setup: MediationSetup,
    cfg: MediationConfig,
    negotiators: Vec<Box<dyn Negotiator>>,
    rng: ChaCha8Rng,
    seen: Vec<Vec<Event>>,
    log: Vec<Event>,
    round: u32,
    text: OutcomeId,
    status: Status,
    proposed: u32,
    accepted: u32,
    stall: u32,
    tried: Vec<OutcomeId>,
    result: Option<MediatedResult>,
}

impl std::fmt::Debug for MediatedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediatedSession")
            .field("cfg", &self.cfg)
            .field("round", &self.round)
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

enum Answer {
    Vote(bool),
    Act(Action),
}

impl MediatedSession {
    /// A session; `negotiators` play the setup's parties in order; `rng` drives the mediator.
    pub fn new(
        setup: MediationSetup,
        negotiators: Vec<Box<dyn Negotiator>>,
        cfg: MediationConfig,
        rng: ChaCha8Rng,
    ) -> Result<Self, MediationError> {
        if negotiators.len() != setup.parties.len() {
            return Err(MediationError::Mismatch { parties: setup.parties.len(), negotiators: negotiators.len() });
        }
        if cfg.n_rounds == 0 {
            return Err(MediationError::NoRounds);
        }
        if let Objective::Biased { mediator } = cfg.objective {
            if mediator >= setup.prepared.utilities().len() {
                return Err(MediationError::NoMediator);
            }
        }
        let n = setup.parties.len();
        let text = setup.initial_text(cfg.objective);
        Ok(MediatedSession {
            setup,
            cfg,
            negotiators,
            rng,
            seen: vec![Vec::new(); n],
            log: Vec::new(),
            round: 0,
            text,
            status: Status::Running,
            proposed: 0,
            accepted: 0,
            stall: 0,
            tried: Vec::new(),
            result: None,
        })
    }

    /// The mediator's participant index in events (after the parties).
    pub fn mediator_index(&self) -> u32 {
        self.setup.parties.len() as u32
    }

    /// Every event so far.
    pub fn history(&self) -> &[Event] {
        &self.log
    }

    /// The setup.
    pub fn setup(&self) -> &MediationSetup {
        &self.setup
    }

    fn record<O: Observer + ?Sized>(&mut self, actor: u32, action: Action, obs: &mut O, to: Option<usize>) {
        let ev = Event { round: self.round, actor, action };
        self.log.push(ev);
        obs.on_event(&ev);
        match to {
            Some(p) => self.seen[p].push(ev),
            None => self.seen.iter_mut().for_each(|s| s.push(ev)),
        }
    }

    /// Asks party `p`: a vote on `proposal` vs `current`, or (`vote = false`) its action on the
    /// presented text. A panic is caught and returned as the reason.
    fn ask(&mut self, p: usize, proposal: OutcomeId, current: Option<OutcomeId>, vote: bool) -> Result<Answer, String> {
        let actor = self.setup.parties[p];
        if self.setup.u(actor).n_acceptable() == 0 {
            // every outcome crosses one of its red lines: it can only say no, or leave
            return Ok(if vote { Answer::Vote(false) } else { Answer::Act(Action::End) });
        }
        let view = View {
            me: p as u32,
            n_parties: self.setup.parties.len() as u32,
            round: self.round,
            n_rounds: self.cfg.n_rounds,
            time: f64::from(self.round + 1) / (f64::from(self.cfg.n_rounds) + 1.0),
            offer: Some(Standing { outcome: proposal, by: self.setup.parties.len() as u32 }),
            utility: self.setup.prepared.utility(actor),
            space: self.setup.prepared.space(),
            history: &self.seen[p],
        };
        let neg = &mut self.negotiators[p];
        let r = catch_unwind(AssertUnwindSafe(|| {
            if vote {
                Answer::Vote(neg.vote(&view, proposal, current))
            } else {
                Answer::Act(neg.act(&view))
            }
        }));
        r.map_err(|payload| {
            let msg = payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned());
            format!("panicked: {}", msg.unwrap_or_else(|| "(non-string panic payload)".into()))
        })
    }

    /// Why party `p` may not do `verb` (`voted for`, `accepted`, `offered`) with `o`: it crosses
    /// the party's own red line.
    fn crossing(&self, p: usize, verb: &'static str, o: OutcomeId) -> Option<String> {
        let actor = self.setup.parties[p];
        let u = self.setup.u(actor);
        if u.acceptable(o) {
            return None;
        }
        let id = self.setup.prepared.actor_ids().get(actor).cloned().unwrap_or_else(|| format!("party {p}"));
        Violation::red_line(u, self.setup.prepared.space(), &id, verb, o).map(|v| v.to_string())
    }

    fn error<O: Observer + ?Sized>(&mut self, p: usize, reason: String, obs: &mut O) -> MediatedResult {
        self.status = Status::Errored { by: p as u32, reason };
        self.finish(obs)
    }

    /// Puts the text to every required party as final (their `vote(text, None)`); all yes ⇒
    /// agreement. Optional parties are not asked.
    fn ratify<O: Observer + ?Sized>(&mut self, obs: &mut O) -> Result<bool, MediatedResult> {
        let m = self.mediator_index();
        let text = self.text;
        self.record(m, Action::Offer(text), obs, None);
        let mut all = true;
        for p in 0..self.setup.parties.len() {
            if !self.setup.required[p] {
                continue;
            }
            match self.ask(p, text, None, true) {
                Ok(Answer::Vote(yes)) => {
                    if let Some(reason) = yes.then(|| self.crossing(p, "voted for", text)).flatten() {
                        return Err(self.error(p, reason, obs));
                    }
                    self.record(p as u32, if yes { Action::Accept } else { Action::Reject }, obs, Some(p));
                    all &= yes;
                }
                Ok(Answer::Act(_)) => unreachable!("invariant: vote requested"),
                Err(reason) => return Err(self.error(p, reason, obs)),
            }
        }
        Ok(all)
    }

    fn finish<O: Observer + ?Sized>(&mut self, obs: &mut O) -> MediatedResult {
        if matches!(self.status, Status::Running) {
            self.status = Status::TimedOut;
        }
        let utilities: Vec<f64> = match self.status.agreement() {
            Some(o) => self.setup.prepared.utilities().iter().map(|u| u.utility(o)).collect(),
            None => self.setup.prepared.utilities().iter().map(|u| u.reservation_value()).collect(),
        };
        let rounds = match self.status {
            Status::Agreed { round, .. } => round + 1,
            Status::Errored { .. } | Status::Broken { .. } => self.round + 1,
            _ => self.round,
        };
        let parts: Vec<f64> = self.setup.parties.iter().map(|&a| utilities[a]).collect();
        obs.on_end(&self.status, rounds, &parts);
        MediatedResult { status: self.status.clone(), rounds, text: self.text, utilities, proposed: self.proposed, accepted: self.accepted }
    }

    /// The next candidate text, never one across a biased mediator's own red lines.
    fn candidate(&mut self) -> Option<OutcomeId> {
        let n = self.setup.prepared.n_outcomes();
        let obj = self.cfg.objective;
        match self.cfg.move_rule {
            MoveRule::Veto => match obj {
                // uniform over the outcomes its red lines allow (all of them without red lines)
                Objective::Biased { mediator } if self.setup.u(mediator).n_acceptable() as u64 != n => {
                    let u = self.setup.u(mediator);
                    let k = u.n_acceptable();
                    (k > 0).then(|| u.at_rank(self.rng.gen_range(0..k)))
                }
                _ => Some(self.rng.gen_range(0..n)),
            },
            MoveRule::HillClimbing => {
                let mut nb = self.setup.neighbours(self.text);
                nb.retain(|&o| self.setup.mediator_accepts(obj, o));
                (!nb.is_empty()).then(|| nb[self.rng.gen_range(0..nb.len())])
            }
            MoveRule::Steepest => {
                let mut best: Option<(f64, OutcomeId)> = None;
                for o in self.setup.neighbours(self.text) {
                    if self.tried.contains(&o) || !self.setup.mediator_accepts(obj, o) {
                        continue;
                    }
                    let v = self.setup.objective(obj, o);
                    if best.is_none_or(|(b, _)| v > b) {
                        best = Some((v, o));
                    }
                }
                best.map(|b| b.1)
            }
        }
    }

    /// Runs the single negotiating text protocol to the end (§2): each round the mediator puts
    /// a candidate; every party votes candidate vs text; unanimity of the required parties
    /// makes it the text. After `stall` rounds without a change, and at the deadline, the text
    /// is put to ratification; a failed ratification before the deadline resumes the rounds.
    pub fn run_single_text<O: Observer + ?Sized>(&mut self, obs: &mut O) -> MediatedResult {
        while self.step_single_text(obs) {}
        self.result.clone().expect("invariant: a finished session has a result")
    }

    /// One round of the single negotiating text (a candidate, every vote, any ratification).
    /// Returns whether the session is still running; the result is then [`Self::result`].
    pub fn step_single_text<O: Observer + ?Sized>(&mut self, obs: &mut O) -> bool {
        self.step_with(obs, Self::round_single_text)
    }

    /// One round of shuttle mediation (a visit to every party, any ratification). Returns
    /// whether the session is still running.
    pub fn step_shuttle<O: Observer + ?Sized>(&mut self, obs: &mut O) -> bool {
        self.step_with(obs, Self::round_shuttle)
    }

    /// The result, once the session has ended.
    pub fn result(&self) -> Option<&MediatedResult> {
        self.result.as_ref()
    }

    /// The current text.
    pub fn text(&self) -> OutcomeId {
        self.text
    }

    /// The current round (0-based).
    pub fn round(&self) -> u32 {
        self.round
    }

    fn step_with<O: Observer + ?Sized>(&mut self, obs: &mut O, round: fn(&mut Self, &mut O) -> Option<MediatedResult>) -> bool {
        if self.result.is_some() {
            return false;
        }
        let blocked = match self.cfg.objective {
            Objective::Biased { mediator } => self.setup.u(mediator).n_acceptable() == 0,
            _ => false,
        };
        let done = if blocked {
            // every text crosses one of the mediator's own red lines: it cannot mediate
            self.status = Status::Broken { by: self.mediator_index() };
            Some(self.finish(obs))
        } else if self.round >= self.cfg.n_rounds {
            Some(self.finish(obs))
        } else {
            round(self, obs)
        };
        let done = match done {
            Some(r) => Some(r),
            None => {
                self.round += 1;
                (self.round >= self.cfg.n_rounds).then(|| self.finish(obs))
            }
        };
        match done {
            Some(r) => {
                self.result = Some(r);
                false
            }
            None => true,
        }
    }

    fn round_single_text<O: Observer + ?Sized>(&mut self, obs: &mut O) -> Option<MediatedResult> {
        let m = self.mediator_index();
        let cand = match self.candidate() {
            Some(c) => Some(c),
            None => {
                // every neighbour was refused at this text: try them again (time has moved
                // on, and time-dependent voters accept more as it does)
                self.tried.clear();
                self.candidate()
            }
        };
        let Some(cand) = cand else {
            // a one-outcome space, or the mediator's red lines fence the text in: nothing to
            // propose but the text itself
            match self.ratify(obs) {
                Ok(true) => self.status = Status::Agreed { outcome: self.text, round: self.round },
                Ok(false) => self.status = Status::Broken { by: m },
                Err(r) => return Some(r),
            }
            return Some(self.finish(obs));
        };
        self.proposed += 1;
        self.record(m, Action::Offer(cand), obs, None);
        let mut all = true;
        for p in 0..self.setup.parties.len() {
            match self.ask(p, cand, Some(self.text), true) {
                Ok(Answer::Vote(yes)) => {
                    if let Some(reason) = yes.then(|| self.crossing(p, "voted for", cand)).flatten() {
                        return Some(self.error(p, reason, obs));
                    }
                    self.record(p as u32, if yes { Action::Accept } else { Action::Reject }, obs, Some(p));
                    if self.setup.required[p] {
                        all &= yes;
                    }
                }
                Ok(Answer::Act(_)) => unreachable!("invariant: vote requested"),
                Err(reason) => return Some(self.error(p, reason, obs)),
            }
        }
        if all && cand != self.text {
            self.text = cand;
            self.accepted += 1;
            self.stall = 0;
            self.tried.clear();
        } else {
            self.stall += 1;
            self.tried.push(cand);
        }
        let last = self.round + 1 == self.cfg.n_rounds;
        if self.stall >= self.cfg.stall || last {
            match self.ratify(obs) {
                Ok(true) => {
                    self.status = Status::Agreed { outcome: self.text, round: self.round };
                    return Some(self.finish(obs));
                }
                Ok(false) => self.stall = 0,
                Err(r) => return Some(r),
            }
        }
        None
    }

    /// Runs shuttle mediation to the end (§3): each round the mediator visits every party in
    /// turn (party order, or least satisfied first), presenting the text; the party accepts, or
    /// counters and the mediator composes the next text ([`MediationSetup::compose`]). A round
    /// in which every required party accepted the same text is followed by ratification of
    /// that text; success is the agreement. `End` from a required party breaks the talks.
    pub fn run_shuttle<O: Observer + ?Sized>(&mut self, obs: &mut O) -> MediatedResult {
        while self.step_shuttle(obs) {}
        self.result.clone().expect("invariant: a finished session has a result")
    }

    fn round_shuttle<O: Observer + ?Sized>(&mut self, obs: &mut O) -> Option<MediatedResult> {
        let m = self.mediator_index();
        let n = self.setup.parties.len();
        let mut order: Vec<usize> = (0..n).collect();
        if self.cfg.least_satisfied_first {
            let t = self.text;
            let margin = |p: usize| {
                let u = self.setup.prepared.utility(self.setup.parties[p]);
                u.utility(t) - u.reservation_value()
            };
            order.sort_by(|&a, &b| margin(a).total_cmp(&margin(b)).then(a.cmp(&b)));
        }
        // the text each required party accepted this round (None once one did not)
        let mut agreed: Option<Option<OutcomeId>> = Some(None);
        for p in order {
            self.proposed += 1;
            let text = self.text;
            let required = self.setup.required[p];
            self.record(m, Action::Offer(text), obs, Some(p));
            match self.ask(p, text, None, false) {
                Ok(Answer::Act(Action::Accept)) => {
                    if let Some(reason) = self.crossing(p, "accepted", text) {
                        return Some(self.error(p, reason, obs));
                    }
                    self.accepted += 1;
                    self.record(p as u32, Action::Accept, obs, Some(p));
                    if required {
                        agreed = match agreed {
                            Some(None) => Some(Some(text)),
                            Some(Some(t)) if t == text => Some(Some(t)),
                            _ => None,
                        };
                    }
                }
                Ok(Answer::Act(Action::Offer(c))) => {
                    if c >= self.setup.prepared.n_outcomes() {
                        let reason = format!("offered outcome {c}, but the space has {} outcomes", self.setup.prepared.n_outcomes());
                        return Some(self.error(p, reason, obs));
                    }
                    if let Some(reason) = self.crossing(p, "offered", c) {
                        return Some(self.error(p, reason, obs));
                    }
                    self.record(p as u32, Action::Offer(c), obs, Some(p));
                    if required {
                        agreed = None;
                    }
                    self.text = self.setup.compose(self.cfg.objective, text, p, c);
                }
                Ok(Answer::Act(Action::Reject)) => {
                    self.record(p as u32, Action::Reject, obs, Some(p));
                    if required {
                        agreed = None;
                    }
                }
                Ok(Answer::Act(Action::End)) => {
                    self.record(p as u32, Action::End, obs, Some(p));
                    if required {
                        self.status = Status::Broken { by: p as u32 };
                        return Some(self.finish(obs));
                    }
                }
                Ok(Answer::Vote(_)) => unreachable!("invariant: action requested"),
                Err(reason) => return Some(self.error(p, reason, obs)),
            }
        }
        if let Some(Some(t)) = agreed {
            // every required party accepted the same text: put it to them as final (an
            // optional party's counter-proposal after that does not hold it up)
            self.text = t;
            match self.ratify(obs) {
                Ok(true) => {
                    self.status = Status::Agreed { outcome: self.text, round: self.round };
                    return Some(self.finish(obs));
                }
                Ok(false) => {}
                Err(r) => return Some(r),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_prefers_the_smaller_move_on_ties() {
        let pos = [0.0, 50.0, 100.0];
        assert_eq!(nearest(&pos, 25.0, Some(0.0)), 0);
        assert_eq!(nearest(&pos, 25.0, Some(50.0)), 1);
        assert_eq!(nearest(&pos, 74.0, None), 1);
        assert_eq!(nearest(&pos, 76.0, None), 2);
    }
}
