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

mod mediator;
mod session;
mod setup;
mod state;

pub use mediator::{Mediator, NegmasMediator, ObjectiveMediator, Revision};
pub use session::MediatedSession;
pub use setup::{votes_weights, MediationSetup};
pub use state::{FinalWhy, MediatedProtocol, MediatedState, Move, Stage, TextConfig};

use crate::action::OutcomeId;
use crate::mediator_model::Knowledge;
use crate::session::Status;

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
    /// steepest moves); parties vote with their negotiators' [`Negotiator::vote`](crate::Negotiator::vote); only required
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
    /// ordered scale (the option nearest the midpoint of the scale; ties: lowest
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

/// Deadline and rules of a mediated session.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediationConfig {
    /// Deadline in rounds.
    pub n_rounds: u32,
    /// The mediator's objective (not read under [`MediationRules::Negmas`]).
    pub objective: Objective,
    /// Single text or shuttle.
    pub protocol: MediatedProtocol,
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
            protocol: MediatedProtocol::SingleText,
            move_rule: MoveRule::HillClimbing,
            stall: None,
            least_satisfied_first: false,
            rules: MediationRules::Detente,
            knowledge: Knowledge::Votes,
        }
    }

    /// [`Self::new`] for shuttle mediation.
    pub fn shuttle(n_rounds: u32, objective: Objective) -> Self {
        MediationConfig { protocol: MediatedProtocol::Shuttle, ..Self::new(n_rounds, objective) }
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
