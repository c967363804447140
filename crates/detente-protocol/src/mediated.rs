//! Mediated protocols: the single negotiating text and shuttle mediation
//! (`mediation-protocols.md` §2–3), with biased, neutral and welfare mediator objectives and
//! required vs optional parties, and NegMAS 0.16's single-text mechanisms as a second rule set
//! ([`MediationRules::Negmas`]).
//!
//! The mediator here is part of the mechanism, not a [`Negotiator`]: it generates texts by a
//! [`MoveRule`] and an [`Objective`], with a seeded RNG passed in. What it knows of the parties
//! is [`MediationConfig::knowledge`] (`mediation-protocols.md`, common ground):
//!
//! - [`Knowledge::Votes`] (the default): it sees only the parties' yes/no votes, their answers
//!   on texts put as final, and (shuttle) their acceptances and counter-proposals, and learns
//!   each party's preferences from them with a [`MediatorModel`] (a Bayesian probit comparison
//!   model pooled with the HardHeaded frequency model; see that module). It starts from the
//!   scenario's opening text, else its own ideal (biased) or the middle of the scales
//!   ([`MediationSetup::votes_text`]); steepest moves take the neighbour best by its objective
//!   under the estimate; shuttle moves follow the estimated issue weights
//!   ([`votes_weights`]) and resist moves that lower the estimated objective
//!   ([`MediationSetup::compose_votes`]); least-satisfied-first orders the visits by the
//!   estimated margins. A biased mediator always knows its own utility.
//! - [`Knowledge::Omniscient`] (a benchmark): it evaluates every party's utility
//!   ([`MediationSetup::objective`], [`MediationSetup::objective_text`],
//!   [`MediationSetup::compose`]).
//!
//! Under [`MediationRules::Negmas`] the mediator consults no objective, so knowledge is not
//! read. Parties are
//! negotiators: they vote through [`Negotiator::vote`] (single text, ratification) and answer a
//! presented text through [`Negotiator::act`] (shuttle: `Accept`, or a counter-`Offer`).
//!
//! Only **required** parties' acceptance makes an agreement. Optional parties vote and are
//! consulted (in shuttle mediation their counter-proposals move the text like anyone's), but
//! their "no" blocks nothing. Each party sees only the mediator's texts and its own answers
//! (its [`View::history`]), never another party's moves.
//!
//! **Starting text**: the scenario's stated opening text when it states one (every objective
//! and knowledge starts from it); else, omniscient, the objective's own choice among the texts
//! every required party finds rational ([`MediationSetup::objective_text`]); votes only, the
//! mediator's ideal or the middle of the scales ([`MediationSetup::votes_text`]).
//!
//! **When the single text stops** (§2.4): at the deadline; or, for `hill_climbing` and
//! `steepest`, at a local optimum — a round in which every neighbour of the text the mediator may
//! propose has already been put to the parties since the text last changed, so it has no
//! candidate left; `veto` never stops early. Either way the text is put to ratification. A
//! failed ratification at a local optimum breaks the talks (`Broken` by the mediator: no better
//! text is left to try, and the parties refused this one); at the deadline it is a time-out. An
//! optional stall limit ([`MediationConfig::stall`], off by default) also puts the text to
//! ratification after that many rounds without a change; failing there, the rounds go on.
//!
//! **Red lines.** A party never votes yes for, accepts or counter-proposes a text across its own
//! red line: the session treats it as an illegal move (`Errored`, naming the actor and the
//! line); a party with no acceptable outcome at all is not asked (its votes are "no", its
//! answer to a shuttle visit is `End`). A biased mediator never puts forward a text across its
//! own red lines (initial text, candidates, shuttle moves); if every outcome crosses one, it
//! cannot mediate and the session ends at once, `Broken` by the mediator. The omniscient
//! mediator's starting text is one every required party finds rational, its red lines
//! included (a votes-only mediator cannot know the parties' lines before they vote); its candidates and shuttle moves are not screened for the parties' red lines: the
//! parties simply vote such texts down or counter them. Neutral and welfare mediators have no
//! red lines of their own.
//!
//! Traces use the same [`Event`]s as SAO: the mediator is participant `n_parties` (after the
//! parties); its `Offer` is a text put to the parties, a party's `Accept`/`Reject` is its vote,
//! a party's `Offer` in shuttle mediation is its counter-proposal. A text put to the parties as
//! final (ratification) is reported to observers through [`Observer::on_final`], so a trace
//! marks it.

use crate::action::{Action, Event, OutcomeId};
use crate::mediator_model::{rank_correlation, Knowledge, MediatorModel, ModelConfig, ModelObjective};
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
    /// A uniformly random outcome (NegMAS `VetoSTMechanism`). Never stops before the deadline.
    Veto,
    /// A random neighbour of the text not yet put to the parties since the text last changed:
    /// one issue changed to an adjacent option (ordered issues) or any other option
    /// (categorical) (NegMAS `HillClimbingSTMechanism`, which draws without replacement too).
    #[default]
    HillClimbing,
    /// The neighbour best by the mediator's objective, among those not yet put to the parties
    /// since the text last changed (ties: lowest outcome index).
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

    /// Whether the rule walks the text's neighbourhood, and so stops at a local optimum.
    pub fn stops_at_local_optimum(self) -> bool {
        !matches!(self, MoveRule::Veto)
    }
}

/// The rule set of the single negotiating text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediationRules {
    /// `mediation-protocols.md` §2: the mediator's objective chooses the starting text (and
    /// steepest moves); parties vote with their negotiators' [`Negotiator::vote`]; only required
    /// parties' votes count.
    #[default]
    Detente,
    /// NegMAS 0.16 `VetoSTMechanism` / `HillClimbingSTMechanism` (veto and hill-climbing moves
    /// only; no steepest, no shuttle, no stall): every party — optional ones included — votes,
    /// strictly on its utility (`u(T') > u(T)`, `u` of no text being the reservation value; the
    /// negotiators are not consulted, as NegMAS's `BinaryComparatorNegotiator` consults only its
    /// utility function), and every party must agree. Start: the stated opening text (NegMAS's
    /// `initial_outcome`), else no text at all (veto: the first candidate is measured against
    /// walking away) or a uniformly random outcome (hill climbing). Neighbours: any other value
    /// of an option or grid issue, the adjacent values of an integer issue. Stop: veto at the
    /// deadline; hill climbing also when every neighbour was tried; then every party must find
    /// the text at least as good as walking away. No mediator objective: the mediator rule is
    /// not read. NegMAS's own defects are not copied: its integer-issue neighbour is always the
    /// issue's minimum (a `(min, max)` tuple taken for a continuous range of width 0), a local
    /// optimum no party can ratify is reported as the agreement `(text,)` (here: no agreement),
    /// and its draw of the next neighbour (`randint(0, n) − 1`) picks the last one twice as often
    /// (here: uniform).
    Negmas,
}

impl MediationRules {
    /// `detente`, `negmas`.
    pub fn as_str(self) -> &'static str {
        match self {
            MediationRules::Detente => "detente",
            MediationRules::Negmas => "negmas",
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

/// Where a session's first text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartSource {
    /// The scenario's stated opening text.
    OpeningText,
    /// The mediator's objective: its best text among those every required party finds rational.
    Objective,
    /// No text is rational for every required party: the objective's fallback (see
    /// [`MediationSetup::objective_text`]).
    Fallback,
    /// A votes-only biased mediator without an opening text: its own ideal (the outcome best
    /// for it among those its red lines allow; ties: lowest index).
    Ideal,
    /// A votes-only neutral or welfare mediator without an opening text: the middle of each
    /// ordered scale (the option nearest the midpoint of the issue's scale; ties: lowest
    /// index), and on each unordered issue an option drawn uniformly with the session's RNG
    /// (knowing nothing of the parties, the mediator has no better rule there, and a draw is
    /// at least not the order the options happen to be listed in).
    Middle,
    /// NegMAS hill climbing without an opening text: a uniformly random outcome.
    Random,
    /// NegMAS veto without an opening text: no text; the first candidate is measured against
    /// walking away.
    NoText,
}

impl StartSource {
    /// `opening_text`, `objective`, `fallback`, `ideal`, `middle`, `random`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            StartSource::OpeningText => "opening_text",
            StartSource::Objective => "objective",
            StartSource::Fallback => "fallback",
            StartSource::Ideal => "ideal",
            StartSource::Middle => "middle",
            StartSource::Random => "random",
            StartSource::NoText => "none",
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
    /// The scenario's stated opening text (`[protocol] opening_text`), if any.
    pub opening_text: Option<OutcomeId>,
    radices: Vec<u32>,
    ordered: Vec<bool>,
    integer: Vec<bool>,
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
    /// A stall limit of zero rounds.
    #[error("a stall limit must be at least 1 round")]
    NoStall,
    /// The space is not enumerable.
    #[error("the outcome space has an issue without a finite list of values")]
    NotEnumerable,
    /// Something NegMAS's single-text mechanisms do not have.
    #[error("NegMAS rules have no {0}: they cover veto and hill-climbing single text only, without a stall limit")]
    NotInNegmas(&'static str),
    /// The stated opening text crosses the biased mediator's own red line.
    #[error("the scenario's opening text crosses a red line of the mediator `{0}`, which never puts such a text forward; state another opening text or choose a neutral or welfare mediator")]
    OpeningTextCrossesMediatorRedLine(String),
}

impl MediationSetup {
    /// From a scenario and its preparation: the parties are the actors with role `party` (in
    /// scenario order), the mediator the actor named by `protocol.mediator` or else the first
    /// with role `mediator`; the opening text is the scenario's `[protocol] opening_text`.
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
        let mut integer = Vec::new();
        let mut positions = Vec::new();
        for issue in scenario.space.issues() {
            let k = issue.cardinality().ok_or(MediationError::NotEnumerable)? as u32;
            radices.push(k);
            ordered.push(!matches!(issue.kind, IssueKind::Categorical { .. }));
            integer.push(matches!(issue.kind, IssueKind::Integer { .. }));
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
        // the scenario is valid: a stated opening text is an outcome of its space
        let opening_text = scenario.protocol.opening_text.as_ref().and_then(|o| scenario.space.index_of(o));
        Ok(MediationSetup { prepared, parties, required, mediator, opening_text, radices, ordered, integer, positions, weights })
    }

    /// The prepared scenario.
    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.prepared
    }

    fn u(&self, actor: usize) -> &PartyUtility {
        self.prepared.utility(actor)
    }

    /// The required parties' actor indices.
    fn required_actors(&self) -> impl Iterator<Item = usize> + '_ {
        self.parties.iter().zip(&self.required).filter(|(_, &r)| r).map(|(&a, _)| a)
    }

    /// Whether the mediator may put `o` forward under `obj`: a biased mediator never proposes
    /// a text across its own red lines; neutral and welfare mediators have none.
    pub fn mediator_accepts(&self, obj: Objective, o: OutcomeId) -> bool {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).acceptable(o),
            Objective::Neutral | Objective::Welfare => true,
        }
    }

    /// The omniscient mediator's objective value of an outcome: it evaluates every party's
    /// utility (a votes-only mediator evaluates its estimate: [`MediatorModel::objective`]).
    pub fn objective(&self, obj: Objective, o: OutcomeId) -> f64 {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).utility(o),
            Objective::Neutral => {
                self.required_actors().map(|a| (self.u(a).utility(o) - self.u(a).reservation_value()).max(1e-9).ln()).sum()
            }
            Objective::Welfare => self.required_actors().map(|a| self.u(a).utility(o)).sum(),
        }
    }

    /// How far `o` is from being rational for every required party: the smallest margin
    /// `u_i(o) − reservation_i` over the required parties (≥ 0 iff it is rational for all).
    pub fn worst_margin(&self, o: OutcomeId) -> f64 {
        self.required_actors().map(|a| self.u(a).utility(o) - self.u(a).reservation_value()).fold(f64::INFINITY, f64::min)
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

    /// The neighbours of a text (§2): one issue changed to an adjacent value (ordered issues)
    /// or to any other value (categorical), in ascending outcome index.
    pub fn neighbours(&self, o: OutcomeId) -> Vec<OutcomeId> {
        self.neighbours_under(o, MediationRules::Detente)
    }

    /// The neighbours of a text under a rule set: [`Self::neighbours`], or NegMAS's (any other
    /// value of an option or grid issue, the adjacent values of an integer issue), in ascending
    /// outcome index.
    pub fn neighbours_under(&self, o: OutcomeId, rules: MediationRules) -> Vec<OutcomeId> {
        let base = self.decode(o);
        let mut out = Vec::new();
        for (j, &r) in self.radices.iter().enumerate() {
            let v = base[j];
            let adjacent = match rules {
                MediationRules::Detente => self.ordered[j],
                MediationRules::Negmas => self.integer[j],
            };
            let candidates: Vec<u32> = if adjacent {
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

    /// Whether every required party finds `o` rational: at or above its reservation value, and
    /// across none of its red lines (the analysis lens's zone of agreement).
    pub fn rational_for_required(&self, o: OutcomeId) -> bool {
        self.required_actors().all(|a| self.u(a).acceptable(o) && self.u(a).utility(o) >= self.u(a).reservation_value())
    }

    /// The first text of an omniscient mediator's session under `obj`: the scenario's stated
    /// opening text if any (every objective starts from it), else [`Self::objective_text`].
    pub fn initial_text(&self, obj: Objective) -> OutcomeId {
        self.opening_text.unwrap_or_else(|| self.objective_text(obj).0)
    }

    /// The text the mediator's objective starts from, and whether it is rational for every
    /// required party ([`StartSource::Objective`]) or a fallback ([`StartSource::Fallback`]).
    /// Ties: lowest outcome index. The mediator is omniscient here: it knows every party's
    /// utility and reservation (a votes-only mediator starts from [`Self::votes_text`]).
    ///
    /// - `biased`: the outcome best for the mediator among those every required party finds
    ///   rational and its own red lines allow; if none is rational for all, its best outcome
    ///   its red lines allow (its ideal); outcome 0 if they allow none (the session then ends
    ///   at once).
    /// - `neutral`: the rational outcome with the largest Nash product of the required parties'
    ///   gains over their reservation values (the Nash deal itself, a benchmark);
    /// - `welfare`: the rational outcome with the largest sum of the required parties' utilities.
    ///
    /// For `neutral` and `welfare`, when no outcome is rational for every required party, the
    /// fallback is the outcome whose worst shortfall below a required party's reservation is
    /// smallest (the largest [`Self::worst_margin`]; then the objective): the text nearest to
    /// one everyone could ratify, independent of the order issues and options are listed in.
    pub fn objective_text(&self, obj: Objective) -> (OutcomeId, StartSource) {
        let n = self.prepared.n_outcomes();
        let best = |keep: &dyn Fn(OutcomeId) -> bool, score: &dyn Fn(OutcomeId) -> (f64, f64)| {
            let mut best: Option<((f64, f64), OutcomeId)> = None;
            for o in (0..n).filter(|&o| keep(o)) {
                let s = score(o);
                if best.is_none_or(|(b, _)| s.0 > b.0 || (s.0 == b.0 && s.1 > b.1)) {
                    best = Some((s, o));
                }
            }
            best.map(|b| b.1)
        };
        let by_objective = |o: OutcomeId| (self.objective(obj, o), 0.0);
        let rational = |o: OutcomeId| self.rational_for_required(o) && self.mediator_accepts(obj, o);
        if let Some(o) = best(&rational, &by_objective) {
            return (o, StartSource::Objective);
        }
        let fallback = match obj {
            Objective::Biased { .. } => best(&|o| self.mediator_accepts(obj, o), &by_objective),
            Objective::Neutral | Objective::Welfare => best(&|_| true, &|o| (self.worst_margin(o), self.objective(obj, o))),
        };
        (fallback.unwrap_or(0), StartSource::Fallback)
    }

    /// The text a votes-only mediator starts from when the scenario states no opening text
    /// (`mediation-protocols.md` §2, "The mediator's objective"): knowing nothing of the
    /// parties' utilities, a biased mediator starts from its own ideal
    /// ([`StartSource::Ideal`]), a neutral or welfare one from the middle of the scales
    /// ([`StartSource::Middle`]; `rng` draws the option of each unordered issue).
    pub fn votes_text(&self, obj: Objective, rng: &mut ChaCha8Rng) -> (OutcomeId, StartSource) {
        match obj {
            Objective::Biased { mediator } => {
                let u = self.u(mediator);
                // the lowest-index outcome among its best acceptable ones (outcome 0 when its
                // red lines allow none: the session then ends at once)
                let o = if u.n_acceptable() == 0 { 0 } else { u64::from(u.order()[u.rank_at_least(u.max())]) };
                (o, StartSource::Ideal)
            }
            Objective::Neutral | Objective::Welfare => {
                let idx: Vec<u32> = (0..self.radices.len())
                    .map(|j| {
                        if self.ordered[j] {
                            let pos = &self.positions[j];
                            let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
                            let hi = pos.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                            nearest(pos, 0.5 * (lo + hi), None)
                        } else {
                            rng.gen_range(0..self.radices[j])
                        }
                    })
                    .collect();
                (self.encode(&idx), StartSource::Middle)
            }
        }
    }

    /// The shuttle mediator's next text after party `p` (index into `parties`) counters `c`
    /// to text `t` (§3.2): on each issue, a move from `t` towards `c` by the party's weight on
    /// the issue (its most important issue moves all the way), snapped to the nearest value
    /// (ties: the smaller move); a categorical issue changes iff the weight is at least 0.5.
    ///
    /// Under a biased objective, a move that lowers the mediator's utility (the issue moved
    /// alone) is *resisted*: halved. Resisting shortens a move but never cancels it: when the
    /// halved move would snap back to `t`'s option while the full move would not, the issue
    /// still moves one option towards `c`. A categorical move is all or nothing, so resisting
    /// cannot shorten it and it goes through. A counter-proposal always moves the text: when
    /// every issue's move snaps back to `t` (a low weight on a coarse scale), the issue that
    /// matters most to the party among those `c` changes (ties: the first) moves one option
    /// towards `c`. If the resulting text would cross the mediator's
    /// red lines, the issues move one at a time in issue order, each only if the text so far
    /// stays clear of them (so a text `t` clear of them gives a text clear of them).
    ///
    /// This is the omniscient mediator's composition: the party's weights are read from its
    /// utility, and the objective is evaluated on the true utilities. A votes-only mediator
    /// composes with [`Self::compose_votes`].
    pub fn compose(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId) -> OutcomeId {
        let w = &self.weights[self.parties[p]];
        self.encode(&self.compose_moves(obj, t, c, w, &|o| self.objective(obj, o)).0)
    }

    /// [`Self::compose`] by a votes-only mediator that has learnt `model` (its observations up
    /// to and including this counter-proposal): the move on each issue is the party's
    /// [`votes_weights`], and a move is resisted when it lowers the objective as the mediator
    /// can evaluate it ([`MediatorModel::objective`]: its own utility when biased, the
    /// estimates otherwise). A pure function of the model, so a trace replays.
    pub fn compose_votes(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId, model: &MediatorModel) -> OutcomeId {
        self.encode(&self.compose_votes_moves(obj, t, p, c, model).0)
    }

    /// [`Self::compose_votes`], with the issues the mediator resisted.
    fn compose_votes_moves(
        &self,
        obj: Objective,
        t: OutcomeId,
        p: usize,
        c: OutcomeId,
        model: &MediatorModel,
    ) -> (Vec<u32>, Vec<(usize, f64)>) {
        let w = votes_weights(model, p);
        self.compose_moves(obj, t, c, &w, &|o| self.model_objective(model, obj, o))
    }

    /// The objective of `o` as a votes-only mediator evaluates it.
    fn model_objective(&self, model: &MediatorModel, obj: Objective, o: OutcomeId) -> f64 {
        ModelObjective::of(obj, &self.prepared).map_or(f64::NEG_INFINITY, |m| model.objective(m, o))
    }

    /// [`Self::compose`] with the party's weights `w` and the objective `value`, and the
    /// issues the mediator resisted (their index, and the objective lost had it let the full
    /// move through on that issue alone).
    fn compose_moves(
        &self,
        obj: Objective,
        t: OutcomeId,
        c: OutcomeId,
        w: &[f64],
        value: &dyn Fn(OutcomeId) -> f64,
    ) -> (Vec<u32>, Vec<(usize, f64)>) {
        let (ti, ci) = (self.decode(t), self.decode(c));
        // (once: under votes knowledge each evaluation re-reads the model's walk-away levels)
        let at_t = value(t);
        let mut out = ti.clone();
        let mut resisted = Vec::new();
        for j in 0..self.radices.len() {
            if ti[j] == ci[j] {
                continue;
            }
            let full = self.step_towards(j, ti[j], ci[j], w[j]);
            out[j] = full;
            {
                let mut probe = ti.clone();
                probe[j] = ci[j];
                let loss = at_t - value(self.encode(&probe));
                // (a loss within rounding noise is none)
                if loss > 1e-12 && self.ordered[j] && full != ti[j] {
                    let half = self.step_towards(j, ti[j], ci[j], 0.5 * w[j]);
                    out[j] = if half != ti[j] { half } else { self.one_option_towards(j, ti[j], ci[j]) };
                    resisted.push((j, loss));
                }
            }
        }
        if out == ti && ti != ci {
            // every move snapped back: the counter-proposal is not dropped, the issue that
            // matters most to the party among those it changed moves one option towards it
            let j = (0..ti.len()).filter(|&j| ti[j] != ci[j]).fold(None::<usize>, |b, j| match b {
                Some(b) if w[b] >= w[j] => Some(b),
                _ => Some(j),
            });
            if let Some(j) = j {
                out[j] = if self.ordered[j] { self.one_option_towards(j, ti[j], ci[j]) } else { ci[j] };
            }
        }
        let text = self.encode(&out);
        if self.mediator_accepts(obj, text) {
            return (out, resisted);
        }
        let mut g = ti;
        for (j, &v) in out.iter().enumerate() {
            let was = std::mem::replace(&mut g[j], v);
            if !self.mediator_accepts(obj, self.encode(&g)) {
                g[j] = was;
            }
        }
        (g, resisted)
    }

    /// The option of ordered issue `j` next to `from` on the scale in the direction of `to`:
    /// of the options whose position lies beyond `from`'s, up to `to`'s, the nearest to `from`
    /// (ties: lowest index).
    fn one_option_towards(&self, j: usize, from: u32, to: u32) -> u32 {
        let pos = &self.positions[j];
        let (a, b) = (pos[from as usize], pos[to as usize]);
        let (lo, hi) = (a.min(b), a.max(b));
        let mut best = to;
        for (i, &x) in pos.iter().enumerate() {
            if i as u32 != from && x >= lo && x <= hi && x != a && (x - a).abs() < (pos[best as usize] - a).abs() {
                best = i as u32;
            }
        }
        best
    }

    /// Issue `j` moved from option `from` towards `to` by the fraction `step` of the way,
    /// snapped to the nearest option (ties: the smaller move); a categorical issue moves iff
    /// `step ≥ 0.5`.
    fn step_towards(&self, j: usize, from: u32, to: u32, step: f64) -> u32 {
        if self.ordered[j] {
            let (a, b) = (self.positions[j][from as usize], self.positions[j][to as usize]);
            nearest(&self.positions[j], a + step * (b - a), Some(a))
        } else if step >= 0.5 {
            to
        } else {
            from
        }
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

/// How far a votes-only shuttle mediator moves each issue towards party `p`'s
/// counter-proposal (the omniscient mediator's per-issue weights, estimated): the party's
/// estimated issue weights ([`MediatorModel::issue_weights`]) rescaled so that the issue it
/// seems to care most about has 1, shrunk towards splitting the difference (0.5 on every
/// issue) by how little the mediator has seen of the party: with `k` comparisons and
/// counter-proposals observed and `n` issues, `0.5 + k/(k+n)·(ŵ − 0.5)`. Before its first
/// counter-proposal a party's text is met halfway on every issue; the estimate takes over as
/// evidence accumulates (a shrinkage estimator with `n` pseudo-observations, one per issue).
pub fn votes_weights(model: &MediatorModel, p: usize) -> Vec<f64> {
    let est = model.issue_weights(p);
    let top = est.iter().copied().fold(0.0, f64::max);
    let (comparisons, counters, _) = model.observed(p);
    let k = f64::from(comparisons + counters);
    let trust = k / (k + est.len().max(1) as f64);
    est.iter().map(|&w| 0.5 + trust * ((if top > 0.0 { w / top } else { 1.0 }) - 0.5)).collect()
}

/// Deadline and rules of a mediated session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediationConfig {
    /// Deadline in rounds.
    pub n_rounds: u32,
    /// The mediator's objective (not read under [`MediationRules::Negmas`]).
    pub objective: Objective,
    /// Single text: how candidates are generated.
    pub move_rule: MoveRule,
    /// Single text: put the text to ratification after this many rounds in a row without an
    /// accepted candidate (a failed ratification then resumes the rounds). Off by default
    /// (§2.4): the text is put to ratification only at the deadline or a local optimum.
    pub stall: Option<u32>,
    /// Shuttle: visit the least satisfied party first (lowest `u − reservation` at the current
    /// text; ties by party order) instead of in party order.
    pub least_satisfied_first: bool,
    /// Single text: the rule set ([`MediationRules::Detente`] by default). Shuttle mediation
    /// has only the detente rules; it does not read this.
    pub rules: MediationRules,
    /// What the mediator knows of the parties' utilities ([`Knowledge::Votes`] by default, as
    /// the spec has it for single text and shuttle). Not read under [`MediationRules::Negmas`],
    /// whose mediator consults no objective.
    pub knowledge: Knowledge,
}

impl MediationConfig {
    /// Defaults: hill climbing, no stall limit, fixed visiting order, detente rules, a
    /// votes-only mediator.
    pub fn new(n_rounds: u32, objective: Objective) -> Self {
        MediationConfig {
            n_rounds,
            objective,
            move_rule: MoveRule::HillClimbing,
            stall: None,
            least_satisfied_first: false,
            rules: MediationRules::Detente,
            knowledge: Knowledge::Votes,
        }
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
    /// mediator could put none forward; `None` only under NegMAS veto rules when no candidate
    /// was ever accepted.
    pub text: Option<OutcomeId>,
    /// The first text, and where it came from.
    pub start: Option<OutcomeId>,
    /// Where the first text came from.
    pub start_source: StartSource,
    /// Every scenario actor's utility (scenario order): of the agreement, or its reservation
    /// value without one — the mediator's own included (the price of its bias).
    pub utilities: Vec<f64>,
    /// Texts the mediator put to the parties (single text: candidates; shuttle: visits).
    pub proposed: u32,
    /// Texts accepted (single text: candidates that became the text; shuttle: acceptances).
    pub accepted: u32,
    /// Why the talks ended without an agreement, in words (which party refused which text, at
    /// what cost to whom), when the session can say more than its status; `None` on agreement.
    pub why: Option<String>,
    /// What the mediator knew (`None` under NegMAS rules: their mediator consults no
    /// objective).
    pub knowledge: Option<Knowledge>,
    /// A votes-only mediator's grasp of each party at the end, in party order: Spearman's rank
    /// correlation between its estimate of the party's utility and the true utility (1: it
    /// orders the outcomes as the party does; 0: no better than chance), over every outcome,
    /// or in a space of more than [`LEARNT_SAMPLE`] outcomes over that many spread evenly
    /// through the outcome order (outcome `⌊i·N/LEARNT_SAMPLE⌋`; the standard error of ρ is
    /// then about 0.015). `None` for an omniscient mediator and under NegMAS rules.
    pub learnt: Option<Vec<f64>>,
}

/// How many outcomes [`MediatedResult::learnt`] compares at most.
pub const LEARNT_SAMPLE: u64 = 4096;

/// A mediated negotiation: single text or shuttle.
pub struct MediatedSession {
    setup: MediationSetup,
    cfg: MediationConfig,
    negotiators: Vec<Box<dyn Negotiator>>,
    rng: ChaCha8Rng,
    seen: Vec<Vec<Event>>,
    log: Vec<Event>,
    round: u32,
    text: Option<OutcomeId>,
    start: Option<OutcomeId>,
    start_source: StartSource,
    status: Status,
    proposed: u32,
    accepted: u32,
    stall: u32,
    tried: Vec<OutcomeId>,
    why: Option<String>,
    /// Shuttle: per party, its last counter-proposal and what the mediator made of it.
    counters: Vec<Option<Counter>>,
    /// Shuttle: per party, its counter-proposals so far and how many the mediator resisted.
    countered: Vec<(u32, u32)>,
    /// A votes-only mediator's model of the parties (`None`: omniscient, or NegMAS rules).
    model: Option<MediatorModel>,
    result: Option<MediatedResult>,
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
    /// The first text is chosen here: the scenario's opening text; else by the knowledge
    /// ([`MediationSetup::objective_text`] when omniscient, [`MediationSetup::votes_text`]
    /// with votes only, which may draw from `rng`); under NegMAS rules the opening text, else
    /// none or a random outcome drawn from `rng`.
    pub fn new(
        setup: MediationSetup,
        negotiators: Vec<Box<dyn Negotiator>>,
        cfg: MediationConfig,
        mut rng: ChaCha8Rng,
    ) -> Result<Self, MediationError> {
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
            if mediator >= setup.prepared.utilities().len() {
                return Err(MediationError::NoMediator);
            }
        }
        let (text, start_source) = match cfg.rules {
            MediationRules::Negmas => {
                if cfg.move_rule == MoveRule::Steepest {
                    return Err(MediationError::NotInNegmas("steepest moves"));
                }
                if cfg.stall.is_some() {
                    return Err(MediationError::NotInNegmas("stall limit"));
                }
                match (setup.opening_text, cfg.move_rule) {
                    (Some(o), _) => (Some(o), StartSource::OpeningText),
                    (None, MoveRule::Veto) => (None, StartSource::NoText),
                    (None, _) => (Some(rng.gen_range(0..setup.prepared.n_outcomes())), StartSource::Random),
                }
            }
            MediationRules::Detente => match setup.opening_text {
                Some(o) => {
                    if !setup.mediator_accepts(cfg.objective, o) {
                        let Objective::Biased { mediator } = cfg.objective else { unreachable!("only a biased mediator has red lines") };
                        let id = setup.prepared.actor_ids().get(mediator).cloned().unwrap_or_default();
                        return Err(MediationError::OpeningTextCrossesMediatorRedLine(id));
                    }
                    (Some(o), StartSource::OpeningText)
                }
                None => {
                    let (o, src) = match cfg.knowledge {
                        Knowledge::Omniscient => setup.objective_text(cfg.objective),
                        Knowledge::Votes => setup.votes_text(cfg.objective, &mut rng),
                    };
                    (Some(o), src)
                }
            },
        };
        let model = match (cfg.rules, cfg.knowledge) {
            (MediationRules::Detente, Knowledge::Votes) => Some(
                MediatorModel::for_space(setup.prepared.space(), setup.required.clone(), ModelConfig::default())
                    .ok_or(MediationError::NotEnumerable)?,
            ),
            _ => None,
        };
        let n = setup.parties.len();
        Ok(MediatedSession {
            setup,
            cfg,
            negotiators,
            rng,
            seen: vec![Vec::new(); n],
            log: Vec::new(),
            round: 0,
            text,
            start: text,
            start_source,
            status: Status::Running,
            proposed: 0,
            accepted: 0,
            stall: 0,
            tried: Vec::new(),
            why: None,
            counters: vec![None; n],
            countered: vec![(0, 0); n],
            model,
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

    /// A votes-only mediator's model of the parties as it stands (`None`: the mediator is
    /// omniscient, or NegMAS rules).
    pub fn model(&self) -> Option<&MediatorModel> {
        self.model.as_ref()
    }

    /// What the mediator knows (`None` under NegMAS rules, whose mediator consults no
    /// objective).
    pub fn knowledge(&self) -> Option<Knowledge> {
        (self.cfg.rules == MediationRules::Detente).then_some(self.cfg.knowledge)
    }

    /// The first text (`None`: NegMAS veto without an opening text) and where it came from.
    pub fn start(&self) -> (Option<OutcomeId>, StartSource) {
        (self.start, self.start_source)
    }

    fn name(&self, actor: usize) -> String {
        self.setup.prepared.actor_ids().get(actor).cloned().unwrap_or_else(|| format!("actor {actor}"))
    }

    fn party_name(&self, p: usize) -> String {
        self.name(self.setup.parties[p])
    }

    /// Records an event; `to`: the one party that sees it (all when `None`); `final_text`: a
    /// text put to the parties as final (observers hear it through [`Observer::on_final`]).
    fn record<O: Observer + ?Sized>(&mut self, actor: u32, action: Action, obs: &mut O, to: Option<usize>, final_text: bool) {
        let ev = Event { round: self.round, actor, action };
        self.log.push(ev);
        if final_text {
            obs.on_final(&ev);
        } else {
            obs.on_event(&ev);
        }
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

    /// Party `p`'s vote on `proposal` against the text `current` (`None`: as final), by the
    /// rule set: its negotiator's [`Negotiator::vote`] (detente), or NegMAS's strict comparison
    /// of its utilities (`u(proposal) > u(current)`, with no text worth the reservation value;
    /// as final, `u ≥ reservation`), never for a text across its red lines.
    fn vote(&mut self, p: usize, proposal: OutcomeId, current: Option<OutcomeId>, is_final: bool) -> Result<bool, String> {
        match self.cfg.rules {
            MediationRules::Detente => match self.ask(p, proposal, current, true)? {
                Answer::Vote(yes) => Ok(yes),
                Answer::Act(_) => unreachable!("invariant: vote requested"),
            },
            MediationRules::Negmas => {
                let u = self.setup.u(self.setup.parties[p]);
                let x = u.utility(proposal);
                Ok(u.acceptable(proposal)
                    && if is_final { x >= u.reservation_value() } else { x > current.map_or(u.reservation_value(), |c| u.utility(c)) })
            }
        }
    }

    /// Whether party `p`'s vote counts towards unanimity: required parties' (detente), every
    /// party's (NegMAS).
    fn counts(&self, p: usize) -> bool {
        self.setup.required[p] || self.cfg.rules == MediationRules::Negmas
    }

    /// Why party `p` may not do `verb` (`voted for`, `accepted`, `offered`) with `o`: it crosses
    /// the party's own red line.
    fn crossing(&self, p: usize, verb: &'static str, o: OutcomeId) -> Option<String> {
        let actor = self.setup.parties[p];
        let u = self.setup.u(actor);
        if u.acceptable(o) {
            return None;
        }
        let id = self.party_name(p);
        Violation::red_line(u, self.setup.prepared.space(), &id, verb, o).map(|v| v.to_string())
    }

    fn error<O: Observer + ?Sized>(&mut self, p: usize, reason: String, obs: &mut O) -> MediatedResult {
        self.status = Status::Errored { by: p as u32, reason };
        self.finish(obs)
    }

    /// Puts the text to the parties as final: every required party's `vote(text, None)`
    /// (detente; optional parties are not asked), every party's utility against its
    /// reservation (NegMAS). Returns the parties that refused (none ⇒ agreement). Under NegMAS
    /// rules without a text nobody is asked and nothing can be agreed.
    fn ratify<O: Observer + ?Sized>(&mut self, obs: &mut O) -> Result<Vec<usize>, Box<MediatedResult>> {
        let m = self.mediator_index();
        let Some(text) = self.text else {
            return Ok((0..self.setup.parties.len()).collect());
        };
        self.record(m, Action::Offer(text), obs, None, true);
        let mut refused = Vec::new();
        for p in 0..self.setup.parties.len() {
            if !self.counts(p) {
                continue;
            }
            match self.vote(p, text, None, true) {
                Ok(yes) => {
                    if let Some(reason) = yes.then(|| self.crossing(p, "voted for", text)).flatten() {
                        return Err(Box::new(self.error(p, reason, obs)));
                    }
                    self.record(p as u32, if yes { Action::Accept } else { Action::Reject }, obs, Some(p), false);
                    if let Some(model) = &mut self.model {
                        model.verdict(p, text, yes);
                    }
                    if !yes {
                        refused.push(p);
                    }
                }
                Err(reason) => return Err(Box::new(self.error(p, reason, obs))),
            }
        }
        Ok(refused)
    }

    /// The refusals of a failed ratification in words: `russia (0.512 against its walk-away
    /// 0.550)`.
    fn refusals(&self, refused: &[usize]) -> String {
        let Some(text) = self.text else { return String::new() };
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
        let why = if self.status.agreement().is_some() { None } else { self.why.clone() };
        let learnt = self.model.as_ref().map(|model| {
            let n = self.setup.prepared.n_outcomes();
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
            status: self.status.clone(),
            rounds,
            text: self.text,
            start: self.start,
            start_source: self.start_source,
            utilities,
            proposed: self.proposed,
            accepted: self.accepted,
            why,
            knowledge: self.knowledge(),
            learnt,
        }
    }

    /// The next candidate text, never one across a biased mediator's own red lines; `None` when
    /// a neighbour-based rule has tried every neighbour since the text last changed (a local
    /// optimum) or the text has none.
    fn candidate(&mut self) -> Option<OutcomeId> {
        let n = self.setup.prepared.n_outcomes();
        let obj = self.cfg.objective;
        let negmas = self.cfg.rules == MediationRules::Negmas;
        match self.cfg.move_rule {
            MoveRule::Veto => match obj {
                // uniform over the outcomes its red lines allow (all of them without red lines)
                Objective::Biased { mediator } if !negmas && self.setup.u(mediator).n_acceptable() as u64 != n => {
                    let u = self.setup.u(mediator);
                    let k = u.n_acceptable();
                    (k > 0).then(|| u.at_rank(self.rng.gen_range(0..k)))
                }
                _ => Some(self.rng.gen_range(0..n)),
            },
            MoveRule::HillClimbing => {
                let text = self.text?;
                let mut nb = self.setup.neighbours_under(text, self.cfg.rules);
                nb.retain(|&o| !self.tried.contains(&o) && (negmas || self.setup.mediator_accepts(obj, o)));
                (!nb.is_empty()).then(|| nb[self.rng.gen_range(0..nb.len())])
            }
            MoveRule::Steepest if self.model.is_some() => {
                let text = self.text?;
                let mut nb = self.setup.neighbours(text);
                nb.retain(|&o| !self.tried.contains(&o) && self.setup.mediator_accepts(obj, o));
                let model = self.model.as_ref()?;
                model.best(ModelObjective::of(obj, &self.setup.prepared)?, nb)
            }
            MoveRule::Steepest => {
                let text = self.text?;
                let mut best: Option<(f64, OutcomeId)> = None;
                for o in self.setup.neighbours(text) {
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
    /// (every party under NegMAS rules) makes it the text. The text is put to ratification at
    /// the deadline, at a local optimum (hill climbing, steepest: a round with no untried
    /// neighbour left; a refusal there breaks the talks), and after `stall` rounds without a
    /// change when a stall limit is set (a refusal there resumes the rounds).
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

    /// The current text (`None` only under NegMAS veto rules before a candidate was accepted).
    pub fn text(&self) -> Option<OutcomeId> {
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
        let blocked = match (self.cfg.objective, self.cfg.rules) {
            (Objective::Biased { mediator }, MediationRules::Detente) => self.setup.u(mediator).n_acceptable() == 0,
            _ => false,
        };
        let done = if blocked {
            // every text crosses one of the mediator's own red lines: it cannot mediate
            self.status = Status::Broken { by: self.mediator_index() };
            self.why = Some(format!("every text crosses a red line of the mediator {}: it cannot mediate", self.mediator_name()));
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

    fn mediator_name(&self) -> String {
        match self.cfg.objective {
            Objective::Biased { mediator } => self.name(mediator),
            _ => "the mediator".into(),
        }
    }

    fn round_single_text<O: Observer + ?Sized>(&mut self, obs: &mut O) -> Option<MediatedResult> {
        let m = self.mediator_index();
        let Some(cand) = self.candidate() else {
            // a local optimum: every neighbour the mediator may propose was put to the parties
            // since the text last changed (or the text has none): no better text is left to
            // try, so the text is put to ratification now, and a refusal ends the talks
            match self.ratify(obs) {
                Ok(refused) if refused.is_empty() => {
                    let outcome = self.text.expect("invariant: ratified a text");
                    self.status = Status::Agreed { outcome, round: self.round };
                }
                Ok(refused) => {
                    self.status = Status::Broken { by: m };
                    self.why = Some(format!(
                        "the text reached a local optimum in round {} (each of its neighbours was put to the parties since it last changed, and each was voted down), and {} refused it as final",
                        self.round + 1,
                        self.refusals(&refused)
                    ));
                }
                Err(r) => return Some(*r),
            }
            return Some(self.finish(obs));
        };
        self.proposed += 1;
        self.record(m, Action::Offer(cand), obs, None, false);
        let mut all = true;
        let current = self.text;
        for p in 0..self.setup.parties.len() {
            match self.vote(p, cand, current, false) {
                Ok(yes) => {
                    if let Some(reason) = yes.then(|| self.crossing(p, "voted for", cand)).flatten() {
                        return Some(self.error(p, reason, obs));
                    }
                    self.record(p as u32, if yes { Action::Accept } else { Action::Reject }, obs, Some(p), false);
                    if let (Some(model), Some(text)) = (&mut self.model, current) {
                        model.vote(p, cand, text, yes);
                    }
                    if self.counts(p) {
                        all &= yes;
                    }
                }
                Err(reason) => return Some(self.error(p, reason, obs)),
            }
        }
        if all && Some(cand) != self.text {
            self.text = Some(cand);
            self.accepted += 1;
            self.stall = 0;
            self.tried.clear();
        } else {
            self.stall += 1;
            if self.cfg.move_rule.stops_at_local_optimum() {
                self.tried.push(cand);
            }
        }
        let last = self.round + 1 == self.cfg.n_rounds;
        let stalled = self.cfg.stall.is_some_and(|k| self.stall >= k);
        if stalled || last {
            match self.ratify(obs) {
                Ok(refused) if refused.is_empty() => {
                    let outcome = self.text.expect("invariant: ratified a text");
                    self.status = Status::Agreed { outcome, round: self.round };
                    return Some(self.finish(obs));
                }
                Ok(refused) => {
                    self.stall = 0;
                    if last {
                        self.why = Some(match self.text {
                            Some(_) => format!("at the deadline {} refused the text as final", self.refusals(&refused)),
                            None => "no candidate was ever better than walking away for every party, so no text was put to them as final"
                                .to_string(),
                        });
                    }
                }
                Err(r) => return Some(*r),
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
        let Some(mut text) = self.text else { unreachable!("invariant: shuttle mediation always has a text") };
        let mut order: Vec<usize> = (0..n).collect();
        if self.cfg.least_satisfied_first {
            // by the true utilities, or as a votes-only mediator estimates them
            let reservations = self.model.as_ref().map(MediatorModel::reservations);
            let margin = |p: usize| match (&self.model, &reservations) {
                (Some(model), Some(r)) => model.estimate(p, text) - r[p],
                _ => {
                    let u = self.setup.prepared.utility(self.setup.parties[p]);
                    u.utility(text) - u.reservation_value()
                }
            };
            order.sort_by(|&a, &b| margin(a).total_cmp(&margin(b)).then(a.cmp(&b)));
        }
        // the text each required party accepted this round (None once one did not)
        let mut agreed: Option<Option<OutcomeId>> = Some(None);
        for p in order {
            self.proposed += 1;
            let required = self.setup.required[p];
            self.record(m, Action::Offer(text), obs, Some(p), false);
            match self.ask(p, text, None, false) {
                Ok(Answer::Act(Action::Accept)) => {
                    if let Some(reason) = self.crossing(p, "accepted", text) {
                        return Some(self.error(p, reason, obs));
                    }
                    self.accepted += 1;
                    self.record(p as u32, Action::Accept, obs, Some(p), false);
                    if let Some(model) = &mut self.model {
                        model.verdict(p, text, true);
                    }
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
                    self.record(p as u32, Action::Offer(c), obs, Some(p), false);
                    if required {
                        agreed = None;
                    }
                    let obj = self.cfg.objective;
                    let (idx, resisted) = match &mut self.model {
                        Some(model) => {
                            // the mediator learns from the counter-proposal before answering it
                            model.counter(p, text, c);
                            self.setup.compose_votes_moves(obj, text, p, c, model)
                        }
                        None => {
                            let w = &self.setup.weights[self.setup.parties[p]];
                            self.setup.compose_moves(obj, text, c, w, &|o| self.setup.objective(obj, o))
                        }
                    };
                    let composed = self.setup.encode(&idx);
                    self.countered[p].0 += 1;
                    self.countered[p].1 += u32::from(!resisted.is_empty());
                    self.counters[p] = Some(Counter { round: self.round, from: text, proposal: c, composed, resisted });
                    text = composed;
                    self.text = Some(text);
                }
                Ok(Answer::Act(Action::Reject)) => {
                    self.record(p as u32, Action::Reject, obs, Some(p), false);
                    if let Some(model) = &mut self.model {
                        model.verdict(p, text, false);
                    }
                    if required {
                        agreed = None;
                    }
                }
                Ok(Answer::Act(Action::End)) => {
                    self.record(p as u32, Action::End, obs, Some(p), false);
                    if required {
                        self.status = Status::Broken { by: p as u32 };
                        self.why = Some(format!("{} walked away in round {}", self.party_name(p), self.round + 1));
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
            self.text = Some(t);
            match self.ratify(obs) {
                Ok(refused) if refused.is_empty() => {
                    self.status = Status::Agreed { outcome: t, round: self.round };
                    return Some(self.finish(obs));
                }
                Ok(refused) => {
                    self.why = Some(format!("{} refused the text as final in round {}", self.refusals(&refused), self.round + 1))
                }
                Err(r) => return Some(*r),
            }
        }
        if self.round + 1 == self.cfg.n_rounds {
            self.why = Some(self.shuttle_deadline_why());
        }
        None
    }

    /// Why a shuttle ran out of time, in words: what each required party did in the last round
    /// — accepted the final text, accepted a text a later counter-proposal changed, or
    /// countered (what it asked for, and what the mediator made of it: the issues it moved only
    /// part of the way, at what cost to itself, and what the new text gave the party) — and
    /// who had not accepted the final text when time ran out.
    fn shuttle_deadline_why(&self) -> String {
        let m = self.mediator_index();
        let last: Vec<&Event> = self.log.iter().filter(|e| e.round == self.round).collect();
        let mut said = Vec::new();
        let mut holdouts = Vec::new();
        for pair in last.chunks(2) {
            let [offer, answer] = pair else { continue };
            let (Action::Offer(shown), true) = (offer.action, offer.actor == m) else { continue };
            let p = answer.actor as usize;
            if p >= self.setup.parties.len() || !self.setup.required[p] {
                continue;
            }
            let name = self.party_name(p);
            let u = self.setup.u(self.setup.parties[p]);
            let accepted_final = answer.action == Action::Accept && Some(shown) == self.text;
            if !accepted_final {
                holdouts.push(name.clone());
            }
            said.push(match answer.action {
                Action::Accept if accepted_final => format!("{name} accepted the final text ({:.3} to it)", u.utility(shown)),
                Action::Accept => format!("{name} accepted a text that a later counter-proposal changed"),
                Action::Offer(_) => match self.counters[p].as_ref().filter(|c| c.round == self.round) {
                    Some(c) => self.describe_counter(p, c),
                    None => format!("{name} countered"),
                },
                _ => format!("{name} rejected the text without a counter-proposal"),
            });
        }
        let mut why = format!("the deadline passed before every required party accepted the same text: in round {}, ", self.round + 1);
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
                self.round + 1,
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
        let space = self.setup.prepared.space();
        let estimated = if self.model.is_some() { " as it estimates them" } else { "" };
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
