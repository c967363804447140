//! One call from a scenario to a simulated negotiation: what the CLI's `negotiate` and the
//! study's simulation section run.

use crate::refdep::WithOpening;
use crate::registry::build_spec;
use detente_core::{Actor, MediatorRule, NegotiatorKind, NegotiatorSpec, Outcome, ProtocolName, Scenario, SpecError};
use detente_protocol::{
    Clock, JsonlTrace, Knowledge, MediatedProtocol, MediatedSession, MediationConfig, MediationError, MediationRules, MediationSetup,
    MoveRule, Negotiator, Objective, Observer, OutcomeId, PrepareError, PreparedScenario, Rules, Session, SessionConfig, SessionError,
    Stage, StartSource, Status, TraceHeader, TraceParty,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::sync::Arc;

/// The protocols a simulation can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Alternating offers at a joint table (SAO) among the required parties.
    JointTable,
    /// The mediated single negotiating text with this move rule.
    SingleText(MoveRule),
    /// Shuttle mediation.
    Shuttle,
}

impl From<ProtocolName> for Protocol {
    fn from(name: ProtocolName) -> Self {
        match name {
            ProtocolName::JointTable => Protocol::JointTable,
            ProtocolName::SingleText => Protocol::SingleText(MoveRule::HillClimbing),
            ProtocolName::SingleTextVeto => Protocol::SingleText(MoveRule::Veto),
            ProtocolName::SingleTextSteepest => Protocol::SingleText(MoveRule::Steepest),
            ProtocolName::Shuttle => Protocol::Shuttle,
        }
    }
}

impl From<Protocol> for ProtocolName {
    fn from(p: Protocol) -> Self {
        match p {
            Protocol::JointTable => ProtocolName::JointTable,
            Protocol::SingleText(MoveRule::HillClimbing) => ProtocolName::SingleText,
            Protocol::SingleText(MoveRule::Veto) => ProtocolName::SingleTextVeto,
            Protocol::SingleText(MoveRule::Steepest) => ProtocolName::SingleTextSteepest,
            Protocol::Shuttle => ProtocolName::Shuttle,
        }
    }
}

impl Protocol {
    /// Parses a protocol name as the scenario format does ([`ProtocolName::parse`]: `sao`, also
    /// `joint_table`, `alternating`; `single_text`, `single_text_veto`, `single_text_steepest`;
    /// `shuttle`).
    pub fn parse(s: &str) -> Option<Protocol> {
        ProtocolName::parse(s).map(Protocol::from)
    }

    /// Name used in traces and reports.
    pub fn as_str(self) -> &'static str {
        ProtocolName::from(self).as_str()
    }

    /// Known names, for error messages.
    pub fn names() -> String {
        ProtocolName::names()
    }
}

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    /// The protocol (default: the scenario's, else `sao`).
    pub protocol: Option<Protocol>,
    /// Negotiator specs (text, read with [`NegotiatorSpec::parse`]), one per participating
    /// party in order (default: [`actor_negotiator`] of each).
    pub negotiators: Option<Vec<String>>,
    /// Deadline in rounds (default: the scenario's, else 100).
    pub rounds: Option<u32>,
    /// Seed for every random choice.
    pub seed: u64,
    /// SAO rule set.
    pub rules: Rules,
    /// Single-text rule set: detente's (`mediation-protocols.md` §2, the default) or NegMAS
    /// 0.16's `VetoSTMechanism` / `HillClimbingSTMechanism` ([`MediationRules::Negmas`]: veto
    /// and hill-climbing single text only; no mediator rule is read and the parties vote on
    /// their utilities, so neither `mediator_rule` nor `negotiators` may be given).
    pub mediation_rules: MediationRules,
    /// Mediator rule (default: the scenario's; else biased when a mediator exists, neutral
    /// otherwise).
    pub mediator_rule: Option<MediatorRule>,
    /// Single text: a stall limit (rounds without an accepted candidate before the text is put
    /// to ratification); off by default.
    pub stall: Option<u32>,
    /// Shuttle: least satisfied party first.
    pub least_satisfied_first: bool,
    /// Single text and shuttle under detente rules: what the mediator knows (default
    /// [`Knowledge::Votes`], see [`DEFAULT_KNOWLEDGE`]); refused where no mediator consults an
    /// objective (the joint table, NegMAS single-text rules).
    pub knowledge: Option<Knowledge>,
    /// Produce the JSONL trace.
    pub trace: bool,
    /// Wall-clock limit in seconds for the joint table (needs a clock: see
    /// [`simulate_with_clock`]); results then depend on machine speed.
    pub time_limit: Option<f64>,
    /// Who opens at the joint table: the position, among the participating parties in the
    /// scenario's order, of the party that speaks first; the others follow in the scenario's
    /// order, cyclically (0, the default: the scenario's own order). `negotiators` stay one
    /// per party in the scenario's order. NegMAS's `cartesian_tournament(rotate_ufuns=True)`
    /// runs every such rotation.
    pub opener: usize,
}

/// The deadline in rounds when neither the spec nor the scenario states one.
pub const DEFAULT_ROUNDS: u32 = 100;

impl SimulationSpec {
    /// The deadline this spec runs `scenario` with: its own `rounds`, else the scenario's,
    /// else [`DEFAULT_ROUNDS`].
    pub fn deadline(&self, scenario: &Scenario) -> u32 {
        self.rounds.or(scenario.protocol.rounds).unwrap_or(DEFAULT_ROUNDS)
    }
}

impl Default for SimulationSpec {
    fn default() -> Self {
        SimulationSpec {
            protocol: None,
            negotiators: None,
            rounds: None,
            seed: 0,
            rules: Rules::Negmas,
            mediation_rules: MediationRules::Detente,
            mediator_rule: None,
            stall: None,
            least_satisfied_first: false,
            knowledge: None,
            trace: false,
            time_limit: None,
            opener: 0,
        }
    }
}

/// Why a simulation cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// A seat played from outside ([`simulate_with_moves`]) that cannot be.
    #[error("{0}")]
    Seat(String),
    /// Preparing the scenario failed.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// A negotiator spec is wrong.
    #[error(transparent)]
    Agent(#[from] SpecError),
    /// The SAO session refused the set-up.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The mediated session refused the set-up.
    #[error(transparent)]
    Mediation(#[from] MediationError),
    /// Wrong number of negotiators.
    #[error("{protocol} here has {parties} participating parties ({names}), but {given} negotiators were given")]
    NegotiatorCount {
        /// Protocol.
        protocol: &'static str,
        /// Participants.
        parties: usize,
        /// Their ids.
        names: String,
        /// Negotiators given.
        given: usize,
    },
    /// `opener` is not the position of a participating party.
    #[error("the opener is party {opener} (0-based), but {parties} parties take part")]
    Opener {
        /// The position given.
        opener: usize,
        /// Participating parties.
        parties: usize,
    },
    /// An opening concession names something that does not exist, or crosses the actor's own
    /// red lines.
    #[error("opening concession of `{actor}`: {reason}")]
    Opening {
        /// Actor.
        actor: String,
        /// What is wrong.
        #[source]
        reason: crate::refdep::OpeningError,
    },
    /// A mediated protocol with no mediator for a biased rule.
    #[error("the biased mediator rule needs a mediator: name one in [protocol] mediator or give an actor role = \"mediator\"")]
    NoMediator,
    /// A setting the chosen protocol or rule set does not read (nothing given is dropped).
    #[error("{}", not_applicable(setting, why))]
    NotApplicable {
        /// The setting.
        setting: Setting,
        /// Why it is not read.
        why: Unread,
    },
}

/// A setting of a [`SimulationSpec`] that a protocol or rule set may not read
/// ([`SimulateError::NotApplicable`]); a front end names it its own way (the CLI by its flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// `mediator_rule`.
    MediatorRule,
    /// `least_satisfied_first`.
    LeastSatisfiedFirst,
    /// `knowledge`.
    Knowledge,
    /// `stall`.
    Stall,
    /// `negotiators`.
    Negotiators,
    /// `mediation_rules` other than detente's.
    MediationRules(MediationRules),
    /// `rules` (the joint table's) other than the default.
    SaoRules(Rules),
    /// `time_limit`.
    TimeLimit,
    /// `opener` other than 0.
    Opener,
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::MediatorRule => f.write_str("a mediator rule"),
            Setting::LeastSatisfiedFirst => f.write_str("least satisfied first"),
            Setting::Knowledge => f.write_str("the mediator's knowledge"),
            Setting::Stall => f.write_str("a stall limit"),
            Setting::Negotiators => f.write_str("negotiators"),
            Setting::MediationRules(MediationRules::Negmas) => f.write_str("NegMAS single-text rules"),
            Setting::MediationRules(r) => write!(f, "the {} single-text rules", r.as_str()),
            Setting::SaoRules(r) => write!(f, "the {} alternating-offers rules", r.as_str()),
            Setting::TimeLimit => f.write_str("a wall-clock time limit"),
            Setting::Opener => f.write_str("who opens"),
        }
    }
}

/// Why a [`Setting`] is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unread {
    /// It applies to other protocols only.
    Protocol {
        /// The protocols it applies to.
        applies_to: Scope,
        /// The protocol of the run.
        protocol: Protocol,
    },
    /// NegMAS's single-text rules read no such setting; `why` says why in words.
    NegmasRules {
        /// Why not, in words.
        why: &'static str,
    },
    /// A mediator that knows only the votes and follows the welfare rule would be the neutral
    /// one in veto or hill-climbing single text ([`Protocol::rule_change_matters`]).
    WelfareIsNeutral,
}

/// The protocols a [`Setting`] applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// The joint table.
    JointTable,
    /// Single text and shuttle.
    Mediated,
    /// The single-text protocols.
    SingleText,
    /// Shuttle mediation.
    Shuttle,
    /// Veto and hill-climbing single text (NegMAS's single-text mechanisms).
    NegmasSingleText,
}

impl Scope {
    /// The protocols in words, by their names.
    pub fn describe(self) -> &'static str {
        match self {
            Scope::JointTable => "sao (the joint table)",
            Scope::Mediated => "the mediated protocols (single_text*, shuttle)",
            Scope::SingleText => "the single-text protocols (single_text*)",
            Scope::Shuttle => "shuttle",
            Scope::NegmasSingleText => "single_text and single_text_veto (NegMAS has no steepest or shuttle mechanism)",
        }
    }
}

fn not_applicable(setting: &Setting, why: &Unread) -> String {
    match why {
        Unread::Protocol { applies_to, protocol } => {
            format!(
                "{setting} has no effect here: it applies to {} only, and the protocol here is {}",
                applies_to.describe(),
                protocol.as_str()
            )
        }
        Unread::NegmasRules { why } => format!("{setting} has no effect under NegMAS single-text rules: {why}"),
        Unread::WelfareIsNeutral => "the welfare mediator rule has no effect here: a mediator that knows only the votes consults no \
                                     objective in veto or hill-climbing single text (welfare and neutral both start from the opening \
                                     text or the middle of the scales and draw the same candidates); choose neutral, \
                                     single_text_steepest or shuttle, or an omniscient mediator (--knowledge omniscient)"
            .to_string(),
    }
}

/// The result of one simulated negotiation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Protocol run.
    #[serde(serialize_with = "ser_protocol")]
    pub protocol: Protocol,
    /// Mediator rule (mediated protocols).
    #[serde(serialize_with = "ser_rule")]
    pub mediator_rule: Option<MediatorRule>,
    /// The actor that mediated (mediated protocols whose scenario names one; its utility is
    /// among `utilities`, beside the parties').
    pub mediator: Option<String>,
    /// Participating parties' actor ids, in speaking/visiting order.
    pub parties: Vec<String>,
    /// Their negotiator specs, in canonical text ([`NegotiatorSpec`]'s `Display`).
    pub negotiators: Vec<String>,
    /// How it ended.
    pub status: Status,
    /// The agreement (index) if any.
    pub agreement: Option<OutcomeId>,
    /// The agreement as issue values (not serialised: `agreement` is its index, and a report
    /// writes it as options with the scenario at hand).
    #[serde(skip)]
    pub outcome: Option<Outcome>,
    /// Rounds run.
    pub rounds: u32,
    /// The deadline.
    pub deadline: u32,
    /// Every scenario actor's utility (scenario order): of the agreement, or its reservation
    /// value — discounted at the moment the negotiation ended for an actor with a discount.
    pub utilities: Vec<f64>,
    /// The same before any discount: where the deal lies in the utility space (what distances
    /// to the frontier and the bargaining solutions are measured on, as GENIUS's and NegMAS's
    /// analyses measure them). Equal to `utilities` for actors without a discount.
    pub undiscounted: Vec<f64>,
    /// Mediated: texts proposed and accepted.
    pub texts: Option<(u32, u32)>,
    /// Mediated: the first text and where it came from.
    pub start: Option<FirstText>,
    /// Mediated: the final text, agreed or not (`None` under NegMAS veto rules when no
    /// candidate was ever accepted, and at the joint table).
    pub text: Option<OutcomeId>,
    /// Mediated: the single-text rule set (`None` for the joint table and shuttle).
    #[serde(serialize_with = "ser_mediation_rules")]
    pub mediation_rules: Option<MediationRules>,
    /// Mediated under detente rules: what the mediator knew (`votes` or `omniscient`).
    pub knowledge: Option<Knowledge>,
    /// A votes-only mediator's grasp of each party at the end, in `parties` order: Spearman's
    /// rank correlation between its estimate and the party's true utility over every outcome
    /// (see `detente_protocol::MediatedResult::learnt`).
    pub learnt: Option<Vec<f64>>,
    /// Why the negotiation ended without an agreement, in words (which party refused which
    /// text, at what cost to whom), when the protocol can say more than the status; `None` on
    /// agreement and at the joint table.
    pub why: Option<String>,
    /// Each participating party's last offer (its final demand), in `parties` order; `None`
    /// if it never made one (it accepted everything put to it).
    pub final_offers: Vec<Option<OutcomeId>>,
    /// Every action in order (participant index as in `parties`; in mediated protocols the
    /// mediator's index is `parties.len()` and its offers are the texts it puts forward).
    pub history: Vec<detente_protocol::Event>,
    /// The JSONL trace, if asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

/// The first text of a mediated negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FirstText {
    /// The outcome (`None`: NegMAS veto rules without an opening text start from no text).
    pub outcome: Option<OutcomeId>,
    /// Where it came from: the scenario's opening text, the mediator's objective, its
    /// fallback, or NegMAS's random / empty start.
    pub from: StartSource,
}

fn ser_protocol<S: serde::Serializer>(p: &Protocol, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.as_str())
}

fn ser_rule<S: serde::Serializer>(r: &Option<MediatorRule>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_some(r.as_str()),
        None => s.serialize_none(),
    }
}

fn ser_mediation_rules<S: serde::Serializer>(r: &Option<MediationRules>, s: S) -> Result<S::Ok, S::Error> {
    match r {
        Some(r) => s.serialize_some(r.as_str()),
        None => s.serialize_none(),
    }
}

fn party_seed(seed: u64, k: usize) -> u64 {
    // splitmix64 of (seed, k): independent streams per party
    let mut z = seed.wrapping_add((k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The negotiator an actor plays unless the caller names one: its `strategy`, else
/// `boulware`.
pub fn actor_negotiator(actor: &Actor) -> NegotiatorSpec {
    actor.strategy.clone().unwrap_or_else(|| NegotiatorSpec::new(NegotiatorKind::Boulware))
}

/// The default protocol of a scenario.
pub fn scenario_protocol(scenario: &Scenario) -> Protocol {
    scenario.protocol.protocol.map_or(Protocol::JointTable, Protocol::from)
}

/// The mediator rule the mediated protocols follow when neither the scenario nor the caller
/// states one: biased when the scenario has a mediator ([`Scenario::mediator`]), neutral
/// otherwise.
pub fn default_mediator_rule(scenario: &Scenario) -> MediatorRule {
    if scenario.mediator().is_some() {
        MediatorRule::Biased
    } else {
        MediatorRule::Neutral
    }
}

/// The actors [`participants`] leaves out of `protocol`, each with the reason in words
/// ([`Scenario::seating`]): the mediator of a mediated protocol takes part as the mediator, not
/// as a party, and is not listed.
pub fn left_out(scenario: &Scenario, protocol: Protocol) -> Vec<(String, String)> {
    let seating = scenario.seating(protocol.into());
    seating.left_out.into_iter().map(|(i, why)| (scenario.actors[i].id.clone(), why.describe().to_string())).collect()
}

/// Who takes part, in speaking order ([`Scenario::seating`]): for the joint table the required
/// parties (all parties if fewer than two are required); for mediated protocols every actor
/// with role `party`.
pub fn participants(scenario: &Scenario, protocol: Protocol) -> Vec<usize> {
    scenario.seating(protocol.into()).parties
}

/// Runs one negotiation on `scenario` (prepared once by the caller and shared). Reads no clock:
/// a `time_limit` in the spec is refused here; use [`simulate_with_clock`].
pub fn simulate(scenario: &Scenario, prepared: &Arc<PreparedScenario>, spec: &SimulationSpec) -> Result<Simulation, SimulateError> {
    simulate_with_clock(scenario, prepared, spec, None)
}

/// [`simulate`] with a clock for a wall-clock limit at the joint table.
pub fn simulate_with_clock(
    scenario: &Scenario,
    prepared: &Arc<PreparedScenario>,
    spec: &SimulationSpec,
    clock: Option<&dyn Clock>,
) -> Result<Simulation, SimulateError> {
    match run(scenario, prepared, spec, clock, None)? {
        Replayed::Finished(sim) => Ok(*sim),
        // without a seat played from outside, the session runs to its end: neither can happen
        Replayed::Waiting(_) | Replayed::Refused { .. } => {
            Err(SimulateError::Seat("a negotiation without an outside seat stopped for one".into()))
        }
    }
}

/// A negotiator of the caller's own for one seat of [`simulate_with_own`]: a Python class, a
/// test double, anything implementing [`Negotiator`].
pub struct OwnSeat {
    /// The name reports and traces give it (in place of a spec text).
    pub name: String,
    /// The negotiator.
    pub negotiator: Box<dyn Negotiator>,
}

impl std::fmt::Debug for OwnSeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnSeat").field("name", &self.name).finish_non_exhaustive()
    }
}

/// [`simulate`] with some seats played by the caller's own negotiators: `own[k]`, when given,
/// plays the `k`-th participating party (scenario order, as the spec's `negotiators`), and that
/// party's entry in `negotiators` is not read (give the seat's name). Everything else — the
/// rules, red lines, openings, a panicking negotiator erroring its session — is as for a
/// built-in negotiator. `own` may be shorter than the parties; more entries than parties are
/// refused.
pub fn simulate_with_own(
    scenario: &Scenario,
    prepared: &Arc<PreparedScenario>,
    spec: &SimulationSpec,
    own: Vec<Option<OwnSeat>>,
) -> Result<Simulation, SimulateError> {
    match run_seated(scenario, prepared, spec, None, None, own)? {
        Replayed::Finished(sim) => Ok(*sim),
        Replayed::Waiting(_) | Replayed::Refused { .. } => {
            Err(SimulateError::Seat("a negotiation without an outside seat stopped for one".into()))
        }
    }
}

/// A negotiation in which the party `actor` (a scenario actor id) is played from outside — a
/// person at a UI — by `moves`, its actions in order; every other seat is played by its
/// negotiator as in [`simulate`] (the spec's `negotiators` name one per party; the outside
/// party's is not asked). The negotiation is replayed from the start on every call, so a game
/// is its spec and its moves: the same ones give the same negotiation.
///
/// Every protocol has a seat: at the joint table a move is an offer, an acceptance or walking
/// away; in single text a vote on the mediator's candidate or final text (`Accept` yes,
/// `Reject` no); in shuttle an answer to the mediator's visit (accept, counter-offer, reject,
/// walk away). [`Waiting::asked`] says which is due. Not under NegMAS's single-text rules,
/// where no negotiator votes.
///
/// Gives the negotiation waiting for the outside party's next move, finished, or the first of
/// `moves` that breaks a rule (an offer across its own red line, an acceptance with nothing on
/// the table, an offer where a vote is due) with why: that move is not part of the game.
pub fn simulate_with_moves(
    scenario: &Scenario,
    prepared: &Arc<PreparedScenario>,
    spec: &SimulationSpec,
    actor: &str,
    moves: &[detente_protocol::Action],
) -> Result<Replayed, SimulateError> {
    let protocol = spec.protocol.unwrap_or_else(|| scenario_protocol(scenario));
    if protocol != Protocol::JointTable && spec.mediation_rules == MediationRules::Negmas {
        return Err(SimulateError::Seat(
            "under NegMAS's single-text rules the parties' votes are their utilities compared, so no seat can be played from outside: use detente's rules".into(),
        ));
    }
    if spec.time_limit.is_some() {
        return Err(SimulateError::Seat("a seat played from outside has no wall-clock limit: the deadline is in rounds".into()));
    }
    let parties = participants(scenario, protocol);
    let Some(k) = parties.iter().position(|&a| scenario.actors[a].id == actor) else {
        let names: Vec<&str> = parties.iter().map(|&a| scenario.actors[a].id.as_str()).collect();
        return Err(SimulateError::Seat(format!("`{actor}` does not take part here; the parties are {}", names.join(", "))));
    };
    run(scenario, prepared, spec, None, Some((k, moves)))
}

/// A negotiation with a seat played from outside, where it stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Replayed {
    /// Waiting for the outside party's next move.
    Waiting(Waiting),
    /// It ended.
    Finished(Box<Simulation>),
    /// Move `index` of the outside party broke a rule.
    Refused {
        /// Its place among the moves.
        index: usize,
        /// The rule it broke.
        reason: String,
    },
}

/// A negotiation waiting for the party played from outside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    /// The participating parties: at the joint table in speaking order, in mediation in the
    /// scenario's order (the mediator's events name participant `parties.len()`).
    pub parties: Vec<String>,
    /// Their negotiators' spec texts (the outside party's is the one that was not asked).
    pub negotiators: Vec<String>,
    /// In mediation, who mediates: the mediator actor's id, else `mediator`.
    pub mediator: Option<String>,
    /// The outside party's place in `parties`.
    pub you: u32,
    /// The round, 0-based.
    pub round: u32,
    /// The deadline in rounds.
    pub deadline: u32,
    /// What the outside party is asked.
    pub asked: Asked,
    /// Every action so far.
    pub history: Vec<detente_protocol::Event>,
}

/// What a party played from outside is asked, by protocol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Asked {
    /// The joint table: offer, accept the offer on the table (if any), or walk away.
    Table {
        /// The offer on the table and who made it (a place in `parties`).
        standing: Option<(OutcomeId, u32)>,
    },
    /// Single text: vote for the mediator's candidate in place of the text (accept) or against
    /// it (reject).
    Candidate {
        /// The candidate.
        candidate: OutcomeId,
        /// The current text (none before any candidate was accepted).
        text: Option<OutcomeId>,
    },
    /// The text is put as final (single text: at the deadline, after a stall or at a local
    /// optimum; shuttle: once every required party accepted it in a round): yes (accept) makes
    /// it the agreement if every required party says yes.
    Final {
        /// The text.
        text: OutcomeId,
    },
    /// Shuttle: the mediator shows the text; accept, counter-offer, reject, or walk away.
    Visit {
        /// The text shown.
        text: OutcomeId,
    },
}

/// [`simulate_with_clock`], with one seat (a place among the participating parties, scenario
/// order) played by `external` moves.
fn run(
    scenario: &Scenario,
    prepared: &Arc<PreparedScenario>,
    spec: &SimulationSpec,
    clock: Option<&dyn Clock>,
    external: Option<(usize, &[detente_protocol::Action])>,
) -> Result<Replayed, SimulateError> {
    run_seated(scenario, prepared, spec, clock, external, Vec::new())
}

/// A seat's negotiator before it is built: a spec of the registry, or the caller's own.
enum Seated {
    Spec(NegotiatorSpec),
    Own(OwnSeat),
}

impl Seated {
    fn name(&self) -> String {
        match self {
            Seated::Spec(s) => s.to_string(),
            Seated::Own(o) => o.name.clone(),
        }
    }
}

/// [`run`], with the caller's own negotiators in some seats ([`simulate_with_own`]).
fn run_seated(
    scenario: &Scenario,
    prepared: &Arc<PreparedScenario>,
    spec: &SimulationSpec,
    clock: Option<&dyn Clock>,
    external: Option<(usize, &[detente_protocol::Action])>,
    mut own: Vec<Option<OwnSeat>>,
) -> Result<Replayed, SimulateError> {
    let protocol = spec.protocol.unwrap_or_else(|| scenario_protocol(scenario));
    check_applicable(spec, protocol)?;
    let parties = participants(scenario, protocol);
    if own.len() > parties.len() {
        return Err(SimulateError::Seat(format!("{} negotiators of your own for {} parties", own.len(), parties.len())));
    }
    own.resize_with(parties.len(), || None);
    // Every spec is read before the count is checked, so that a typo is reported as such; a
    // seat of the caller's own is not read.
    let specs: Vec<Seated> = match &spec.negotiators {
        Some(n) => n
            .iter()
            .enumerate()
            .map(|(k, text)| match own.get_mut(k).and_then(Option::take) {
                Some(o) => Ok(Seated::Own(o)),
                None => NegotiatorSpec::parse(text).map(Seated::Spec),
            })
            .collect::<Result<_, _>>()?,
        None => parties
            .iter()
            .zip(own.iter_mut())
            .map(|(&i, o)| match o.take() {
                Some(o) => Seated::Own(o),
                None => Seated::Spec(actor_negotiator(&scenario.actors[i])),
            })
            .collect(),
    };
    if specs.len() != parties.len() {
        return Err(SimulateError::NegotiatorCount {
            protocol: protocol.as_str(),
            parties: parties.len(),
            names: parties.iter().map(|&i| scenario.actors[i].id.as_str()).collect::<Vec<_>>().join(", "),
            given: specs.len(),
        });
    }
    if spec.opener >= parties.len().max(1) {
        return Err(SimulateError::Opener { opener: spec.opener, parties: parties.len() });
    }
    // who opens: the parties (and their negotiators) in speaking order, rotated; each keeps
    // the seed of its place in the scenario's order
    let order: Vec<usize> = (0..parties.len()).map(|i| (i + spec.opener) % parties.len()).collect();
    let parties: Vec<usize> = order.iter().map(|&k| parties[k]).collect();
    let mut specs: Vec<Option<Seated>> = specs.into_iter().map(Some).collect();
    let specs: Vec<Seated> = order.iter().filter_map(|&k| specs[k].take()).collect();
    let names: Vec<String> = specs.iter().map(Seated::name).collect();
    let mut negotiators: Vec<Box<dyn Negotiator>> = Vec::new();
    for (&k, (&a, s)) in order.iter().zip(parties.iter().zip(specs)) {
        let n = match s {
            Seated::Spec(s) => build_spec(&s, party_seed(spec.seed, k)),
            Seated::Own(o) => o.negotiator,
        };
        let actor = &scenario.actors[a];
        let fixes: Vec<_> = scenario.openings.iter().filter(|o| o.actor == actor.id).map(|o| (o.issue.clone(), o.value.clone())).collect();
        negotiators.push(if fixes.is_empty() {
            n
        } else {
            let opening = WithOpening::new(n, &scenario.space, &fixes)
                .and_then(|w| w.check_red_lines(prepared.utility(a), &scenario.space).map(|()| w))
                .map_err(|reason| SimulateError::Opening { actor: actor.id.clone(), reason })?;
            Box::new(opening)
        });
    }
    let deadline = spec.deadline(scenario);
    let party_ids: Vec<String> = parties.iter().map(|&i| scenario.actors[i].id.clone()).collect();
    let specs: Vec<String> = names;
    let mut trace_parties: Vec<TraceParty> =
        party_ids.iter().zip(&specs).map(|(a, n)| TraceParty { actor: a.clone(), negotiator: n.clone() }).collect();
    match protocol {
        Protocol::JointTable => {
            let header = TraceHeader::new(
                protocol.as_str(),
                spec.rules.as_str(),
                &scenario.meta.id,
                &scenario.space,
                deadline,
                spec.seed,
                trace_parties,
            );
            let cfg = SessionConfig { n_rounds: deadline, time_limit: spec.time_limit, rules: spec.rules };
            let mut s = Session::with_clock(Arc::clone(prepared), parties.clone(), negotiators, cfg, clock)?;
            let mut tracer = spec.trace.then(|| JsonlTrace::new(Vec::new(), &header, Arc::clone(prepared.space())));
            let mut quiet = ();
            let obs: &mut dyn Observer = match tracer.as_mut() {
                Some(t) => t,
                None => &mut quiet,
            };
            let r = match external {
                None => s.run(obs),
                Some((k, moves)) => {
                    // the outside party's place in speaking order, after the opener's rotation
                    let me = order.iter().position(|&o| o == k).unwrap_or(0) as u32;
                    let mut next = 0;
                    while s.state().is_running() {
                        if s.state().turn != me {
                            s.step(obs);
                            continue;
                        }
                        let Some(&m) = moves.get(next) else {
                            return Ok(Replayed::Waiting(Waiting {
                                parties: party_ids,
                                negotiators: specs,
                                mediator: None,
                                you: me,
                                round: s.state().round,
                                deadline,
                                asked: Asked::Table { standing: s.state().offer.map(|o| (o, s.state().proposer)) },
                                history: s.history().to_vec(),
                            }));
                        };
                        if let Err(v) = s.submit(me, m, obs) {
                            return Ok(Replayed::Refused { index: next, reason: v.to_string() });
                        }
                        next += 1;
                    }
                    s.result()
                }
            };
            let agreement = r.status.agreement();
            let round = s.history().last().map_or(0, |e| e.round);
            let utilities = all_utilities(prepared, agreement, s.time(), round);
            let final_offers = last_offers(s.history(), party_ids.len());
            let history = s.history().to_vec();
            Ok(Replayed::Finished(Box::new(Simulation {
                protocol,
                mediator_rule: None,
                mediator: None,
                parties: party_ids,
                negotiators: specs,
                agreement,
                outcome: agreement.and_then(|o| scenario.space.outcome_at(o)),
                status: r.status,
                rounds: r.rounds,
                deadline,
                utilities,
                undiscounted: undiscounted_utilities(prepared, agreement),
                texts: None,
                start: None,
                text: None,
                mediation_rules: None,
                knowledge: None,
                learnt: None,
                why: None,
                final_offers,
                history,
                trace: tracer.map(finish_trace),
            })))
        }
        Protocol::SingleText(_) | Protocol::Shuttle => {
            let setup = MediationSetup::new(scenario, Arc::clone(prepared))?;
            let negmas = spec.mediation_rules == MediationRules::Negmas;
            // NegMAS's mechanisms have no mediator objective: the rule is not read
            let rule = (!negmas)
                .then(|| spec.mediator_rule.or(scenario.protocol.mediator_rule).unwrap_or_else(|| default_mediator_rule(scenario)));
            let objective = match rule {
                Some(MediatorRule::Biased) => Objective::Biased { mediator: setup.mediator.ok_or(SimulateError::NoMediator)? },
                Some(MediatorRule::Neutral) | None => Objective::Neutral,
                Some(MediatorRule::Welfare) => Objective::Welfare,
            };
            let knowledge = spec.knowledge.unwrap_or(DEFAULT_KNOWLEDGE);
            if knowledge == Knowledge::Votes && !negmas {
                refuse_coinciding_rule(protocol, objective)?;
            }
            let mut cfg = MediationConfig::new(deadline, objective);
            cfg.knowledge = knowledge;
            if protocol == Protocol::Shuttle {
                cfg.protocol = MediatedProtocol::Shuttle;
            }
            if let Protocol::SingleText(m) = protocol {
                cfg.move_rule = m;
                cfg.rules = spec.mediation_rules;
                cfg.stall = spec.stall;
            }
            cfg.least_satisfied_first = spec.least_satisfied_first;
            let mediator_actor = setup.mediator.map(|m| scenario.actors[m].id.clone());
            let mediator_id = mediator_actor.clone().unwrap_or_else(|| "mediator".to_string());
            let rules_name = rule.map_or(MediationRules::Negmas.as_str(), MediatorRule::as_str);
            if negmas {
                // the mechanism votes on each party's utility (NegMAS's BinaryComparatorNegotiator)
                for p in &mut trace_parties {
                    p.negotiator = NEGMAS_VOTER.to_string();
                }
            }
            trace_parties.push(TraceParty { actor: mediator_id, negotiator: format!("mediator({rules_name})") });
            let s = MediatedSession::new(setup, negotiators, cfg, ChaCha8Rng::seed_from_u64(spec.seed))?;
            // the parties whose yes an agreement needs, as the protocol's rules count them
            let required: Vec<u32> = s.rules().counts.iter().enumerate().filter(|(_, &c)| c).map(|(k, _)| k as u32).collect();
            let (start, from) = s.start();
            let header =
                TraceHeader::new(protocol.as_str(), rules_name, &scenario.meta.id, &scenario.space, deadline, spec.seed, trace_parties)
                    .mediated(&scenario.space, required, start, from, cfg.stall, s.knowledge());
            let mut s = s;
            let mut tracer = spec.trace.then(|| JsonlTrace::new(Vec::new(), &header, Arc::clone(prepared.space())));
            let obs: &mut dyn Observer = match tracer.as_mut() {
                Some(t) => t,
                None => &mut (),
            };
            let r = match external {
                None => s.run(obs),
                Some((k, moves)) => {
                    // mediation keeps the scenario's order: the outside party's place is `k`
                    let me = k as u32;
                    let mut next = 0;
                    loop {
                        if s.party_to_move() != Some(me) {
                            if s.step(obs) {
                                continue;
                            }
                            break;
                        }
                        let Some(&m) = moves.get(next) else {
                            let text = s.state().text;
                            let asked = match s.state().stage {
                                Stage::Vote { candidate, .. } => Asked::Candidate { candidate, text },
                                Stage::Ratify { .. } => Asked::Final { text: text.expect("invariant: a final text exists") },
                                _ => Asked::Visit { text: text.expect("invariant: shuttle mediation always has a text") },
                            };
                            return Ok(Replayed::Waiting(Waiting {
                                parties: party_ids,
                                negotiators: specs,
                                mediator: Some(mediator_actor.clone().unwrap_or_else(|| "mediator".to_string())),
                                you: me,
                                round: s.round(),
                                deadline,
                                asked,
                                history: s.history().to_vec(),
                            }));
                        };
                        if let Err(v) = s.submit(me, m, obs) {
                            return Ok(Replayed::Refused { index: next, reason: v.to_string() });
                        }
                        next += 1;
                    }
                    s.result().cloned().expect("invariant: a finished session has a result")
                }
            };
            let agreement = r.status.agreement();
            let final_offers = last_offers(s.history(), party_ids.len());
            let history = s.history().to_vec();
            Ok(Replayed::Finished(Box::new(Simulation {
                protocol,
                mediator_rule: rule,
                mediator: mediator_actor,
                parties: party_ids,
                negotiators: if negmas { vec![NEGMAS_VOTER.to_string(); specs.len()] } else { specs },
                agreement,
                outcome: agreement.and_then(|o| scenario.space.outcome_at(o)),
                status: r.status,
                rounds: r.rounds,
                deadline,
                utilities: r.utilities,
                undiscounted: undiscounted_utilities(prepared, agreement),
                texts: Some((r.proposed, r.accepted)),
                start: Some(FirstText { outcome: r.start, from: r.start_source }),
                text: r.text,
                mediation_rules: matches!(protocol, Protocol::SingleText(_)).then_some(spec.mediation_rules),
                knowledge: r.knowledge,
                learnt: r.learnt,
                why: r.why,
                final_offers,
                history,
                trace: tracer.map(finish_trace),
            })))
        }
    }
}

/// What a mediator knows unless the caller says: only the parties' votes and counter-proposals
/// (`mediation-protocols.md`: the default for single text and shuttle).
pub const DEFAULT_KNOWLEDGE: Knowledge = Knowledge::Votes;

/// Refuses a votes-only welfare mediator in veto and hill-climbing single text: there it
/// consults no objective (it starts, like the neutral one, from the opening text or the middle
/// of the scales, and draws its candidates at random), so it would be the neutral mediator
/// under another name ([`Protocol::rule_change_matters`]).
fn refuse_coinciding_rule(protocol: Protocol, objective: Objective) -> Result<(), SimulateError> {
    if objective == Objective::Welfare && !protocol.rule_change_matters(Knowledge::Votes, MediatorRule::Neutral, MediatorRule::Welfare) {
        return Err(SimulateError::NotApplicable { setting: Setting::MediatorRule, why: Unread::WelfareIsNeutral });
    }
    Ok(())
}

/// The negotiator a trace and a simulation name for every party under NegMAS single-text rules:
/// the mechanism votes on the party's utility, as NegMAS's `BinaryComparatorNegotiator` does.
pub const NEGMAS_VOTER: &str = "negmas-voter";

/// Refuses settings `protocol` or the spec's rule set would not read (nothing given is
/// dropped): the one rule, which [`simulate`] applies and a front end may apply first to refuse
/// before any work.
pub fn check_applicable(spec: &SimulationSpec, protocol: Protocol) -> Result<(), SimulateError> {
    let elsewhere = |setting, applies_to| Err(SimulateError::NotApplicable { setting, why: Unread::Protocol { applies_to, protocol } });
    let negmas = |setting, why| Err(SimulateError::NotApplicable { setting, why: Unread::NegmasRules { why } });
    let negmas_rules = spec.mediation_rules == MediationRules::Negmas;
    match protocol {
        Protocol::JointTable => {
            if spec.mediator_rule.is_some() {
                return elsewhere(Setting::MediatorRule, Scope::Mediated);
            }
            if spec.least_satisfied_first {
                return elsewhere(Setting::LeastSatisfiedFirst, Scope::Shuttle);
            }
            if spec.knowledge.is_some() {
                return elsewhere(Setting::Knowledge, Scope::Mediated);
            }
            if negmas_rules {
                return elsewhere(Setting::MediationRules(spec.mediation_rules), Scope::NegmasSingleText);
            }
        }
        Protocol::SingleText(_) | Protocol::Shuttle => {
            if negmas_rules {
                if !matches!(protocol, Protocol::SingleText(MoveRule::Veto | MoveRule::HillClimbing)) {
                    return elsewhere(Setting::MediationRules(spec.mediation_rules), Scope::NegmasSingleText);
                }
                if spec.mediator_rule.is_some() {
                    return negmas(Setting::MediatorRule, "NegMAS's single-text mechanisms have no mediator objective");
                }
                if spec.negotiators.is_some() {
                    return negmas(Setting::Negotiators, "every party votes on its own utility, as NegMAS's BinaryComparatorNegotiator");
                }
                if spec.stall.is_some() {
                    return negmas(Setting::Stall, "NegMAS's single-text mechanisms have none");
                }
                if spec.knowledge.is_some() {
                    return negmas(Setting::Knowledge, "NegMAS's single-text mediator consults no objective and learns nothing");
                }
            }
            if spec.rules != Rules::default() {
                return elsewhere(Setting::SaoRules(spec.rules), Scope::JointTable);
            }
            if spec.time_limit.is_some() {
                return elsewhere(Setting::TimeLimit, Scope::JointTable);
            }
            if spec.opener != 0 {
                return elsewhere(Setting::Opener, Scope::JointTable);
            }
            if spec.least_satisfied_first && protocol != Protocol::Shuttle {
                return elsewhere(Setting::LeastSatisfiedFirst, Scope::Shuttle);
            }
        }
    }
    if spec.stall.is_some() && !matches!(protocol, Protocol::SingleText(_)) {
        return elsewhere(Setting::Stall, Scope::SingleText);
    }
    Ok(())
}

fn last_offers(history: &[detente_protocol::Event], n: usize) -> Vec<Option<OutcomeId>> {
    let mut out = vec![None; n];
    for e in history {
        if let (Some(slot), detente_protocol::Action::Offer(o)) = (out.get_mut(e.actor as usize), e.action) {
            *slot = Some(o);
        }
    }
    out
}

/// Every actor's utility of the result (observers too) before any discount.
fn undiscounted_utilities(prepared: &PreparedScenario, agreement: Option<OutcomeId>) -> Vec<f64> {
    prepared.utilities().iter().map(|u| agreement.map_or(u.reservation_value(), |o| u.utility(o))).collect()
}

/// Every actor's final utility (observers too), discounted at the moment the session ended.
fn all_utilities(prepared: &PreparedScenario, agreement: Option<OutcomeId>, time: f64, round: u32) -> Vec<f64> {
    prepared.utilities().iter().map(|u| u.final_utility(agreement, time, round)).collect()
}

fn finish_trace(t: JsonlTrace<Vec<u8>>) -> String {
    // writing to a Vec cannot fail, and serde_json writes UTF-8
    String::from_utf8(t.finish().unwrap_or_default()).unwrap_or_default()
}
