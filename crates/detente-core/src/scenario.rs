//! Scenarios: metadata, the outcome space, the actors, protocol defaults and named variants.

use crate::actor::{Actor, Role};
use crate::error::{ErrorKind, ModelError, ModelErrors, Sink, Step};
use crate::issue::{is_identifier, IssueKind, Value};
use crate::limits::MAX_ACTORS;
use crate::negotiator::NegotiatorSpec;
use crate::outcome::{Outcome, OutcomeSpace};
use crate::preferences::{Position, Reservation, Utility, ValueFunction};
use crate::red_line::{Condition, RedLine};
use std::collections::HashSet;

/// Where a scenario's facts come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// Short id used in citations (`seed`).
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Path or address.
    pub location: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// Descriptive metadata.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// A statement of what is assumed (numbers are illustrative, …).
    pub assumptions: Option<String>,
    /// Sources.
    pub sources: Vec<Source>,
    /// The rules a file with more than one reading was read by (a GENIUS folder: see
    /// [`crate::Semantics`]); `None` for formats with one reading (detente TOML/JSON,
    /// GeniusWeb, KTAB). Reports state it, so a result never hides which reading produced it.
    pub read_with: Option<crate::Semantics>,
}

/// How a mediator chooses among texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediatorRule {
    /// The mediator's own utility among texts every required party accepts.
    Biased,
    /// The Nash product of required parties' gains over reservation.
    Neutral,
    /// The sum of required parties' utilities.
    Welfare,
}

impl MediatorRule {
    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            MediatorRule::Biased => "biased",
            MediatorRule::Neutral => "neutral",
            MediatorRule::Welfare => "welfare",
        }
    }

    /// Every rule.
    pub const ALL: [MediatorRule; 3] = [MediatorRule::Biased, MediatorRule::Neutral, MediatorRule::Welfare];

    /// The names [`MediatorRule::parse`] accepts, for messages (from [`MediatorRule::as_str`]:
    /// one table).
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// Parses `biased`, `neutral`, `welfare`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a scenario's saliences mean. Every model reads a salience as the weight of an issue to
/// an actor; the conventions differ in how one actor's saliences relate across issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SalienceConvention {
    /// Each salience, in [0, 1], is how much that issue matters to the actor, independently of
    /// the others (the default): an actor may give 0.9 to every issue.
    #[default]
    Intensities,
    /// An actor's saliences are shares of its attention, KTAB's convention: each in [0, 1] and
    /// summing to at most 1 over the issues it takes a position on.
    AttentionShares,
}

impl SalienceConvention {
    /// Every convention.
    pub const ALL: [SalienceConvention; 2] = [SalienceConvention::Intensities, SalienceConvention::AttentionShares];

    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            SalienceConvention::Intensities => "intensities",
            SalienceConvention::AttentionShares => "attention_shares",
        }
    }

    /// The names [`SalienceConvention::parse`] accepts, for messages.
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// Parses `intensities`, `attention_shares`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The negotiation protocols a scenario can name as its default (the simulate lens runs them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProtocolName {
    /// Alternating offers at a joint table (SAO).
    JointTable,
    /// The mediated single negotiating text, hill climbing.
    SingleText,
    /// Single text where any party's no vetoes a move.
    SingleTextVeto,
    /// Single text taking the mediator's best move each round.
    SingleTextSteepest,
    /// Shuttle mediation.
    Shuttle,
}

impl ProtocolName {
    /// Every protocol, in the order they are listed to users.
    pub const ALL: [ProtocolName; 5] = [
        ProtocolName::JointTable,
        ProtocolName::SingleText,
        ProtocolName::SingleTextVeto,
        ProtocolName::SingleTextSteepest,
        ProtocolName::Shuttle,
    ];

    /// The names [`ProtocolName::parse`] accepts, for messages (aliases not listed; from
    /// [`ProtocolName::as_str`]: one table).
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }

    /// The name used in files, traces and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolName::JointTable => "sao",
            ProtocolName::SingleText => "single_text",
            ProtocolName::SingleTextVeto => "single_text_veto",
            ProtocolName::SingleTextSteepest => "single_text_steepest",
            ProtocolName::Shuttle => "shuttle",
        }
    }

    /// Parses a name, case-insensitively, `-` read as `_`: `sao` (also `joint_table`,
    /// `alternating`, `alternating_offers`, `saop`), `single_text` (also `st`,
    /// `single_text_hill_climbing`), `single_text_veto` (`veto`), `single_text_steepest`
    /// (`steepest`), `shuttle`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|p| p.as_str() == s).or(match s.as_str() {
            "joint_table" | "alternating" | "alternating_offers" | "saop" => Some(ProtocolName::JointTable),
            "st" | "single_text_hill_climbing" => Some(ProtocolName::SingleText),
            "veto" => Some(ProtocolName::SingleTextVeto),
            "steepest" => Some(ProtocolName::SingleTextSteepest),
            _ => None,
        })
    }
}

/// Protocol defaults stated by the scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtocolDefaults {
    /// Default protocol.
    pub protocol: Option<ProtocolName>,
    /// Default deadline in rounds.
    pub rounds: Option<u32>,
    /// The mediating actor, by id.
    pub mediator: Option<String>,
    /// The mediator's rule.
    pub mediator_rule: Option<MediatorRule>,
    /// The text the mediated protocols start from (a complete outcome of the space), when the
    /// scenario states one — a draft already on the table. Every mediator rule then starts from
    /// it instead of the text its objective would choose.
    pub opening_text: Option<Outcome>,
}

/// An actor's opening concession: its first offer or vote fixes `issue` at `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// The conceded value.
    pub value: Value,
}

/// One typed change a variant makes to the base scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Patch {
    /// Change an actor's role.
    Role {
        /// Actor id.
        actor: String,
        /// New role.
        role: Role,
    },
    /// Make an actor's acceptance required or not.
    Required {
        /// Actor id.
        actor: String,
        /// Required?
        required: bool,
    },
    /// Replace an actor's reservation.
    Reservation {
        /// Actor id.
        actor: String,
        /// New reservation.
        reservation: Reservation,
    },
    /// Change an actor's spatial position and/or salience on an issue. A stated spread moves with
    /// its value: a range shifts by the change, clipped to the valid range, so it still contains
    /// the new value (a normal spread is centred on the value anyway).
    Position {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// New ideal point on 0–100 (kept if `None`).
        ideal: Option<f64>,
        /// New salience (kept if `None`).
        salience: Option<f64>,
    },
    /// Change an actor's capability.
    Capability {
        /// Actor id.
        actor: String,
        /// New capability.
        capability: f64,
    },
    /// Change an actor's default strategy.
    Strategy {
        /// Actor id.
        actor: String,
        /// The strategy.
        strategy: NegotiatorSpec,
    },
    /// Change the mediator's rule.
    MediatorRule(MediatorRule),
    /// Add an opening concession.
    Opening(Opening),
    /// Replace an actor's red lines (an empty list drops them: "what if Russia gave up its NATO
    /// red line?").
    RedLines {
        /// Actor id.
        actor: String,
        /// The new red lines.
        red_lines: Vec<RedLine>,
    },
    /// Remove options from a categorical or ordinal issue (e.g. the US leaves the guarantee).
    ExcludeOptions {
        /// Issue id.
        issue: String,
        /// Option ids to remove.
        options: Vec<String>,
    },
}

/// The kind of scenario input a patch changes. Each lens and protocol says which inputs it
/// reads (`detente_analysis::reads`, `Protocol::reads`, `detente_forecast::reads`), so that a
/// what-if whose change a lens never looks at is reported instead of silently giving the base's
/// results again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    /// Who is a party, a mediator or an observer.
    Roles,
    /// Whose acceptance an agreement needs.
    Required,
    /// The value of walking away.
    Reservations,
    /// Utility functions, incl. spatial positions and saliences.
    Preferences,
    /// Capabilities (power in the talks).
    Capabilities,
    /// Default negotiation strategies.
    Strategies,
    /// The mediator's rule.
    MediatorRule,
    /// Opening concessions.
    Openings,
    /// What the saliences mean ([`SalienceConvention`]); no patch changes it, but a lens that
    /// does not read it says so when a scenario states attention shares.
    SalienceConvention,
    /// Red lines.
    RedLines,
    /// The options on the table.
    Options,
}

impl Input {
    /// The input in words, plural, for notes (`openings`, `mediator rules`).
    pub fn describe(self) -> &'static str {
        match self {
            Input::Roles => "roles",
            Input::Required => "who must agree",
            Input::Reservations => "walk-away values",
            Input::Preferences => "preferences",
            Input::Capabilities => "capabilities",
            Input::Strategies => "negotiation strategies",
            Input::MediatorRule => "mediator rules",
            Input::Openings => "opening concessions",
            Input::SalienceConvention => "the salience convention",
            Input::RedLines => "red lines",
            Input::Options => "the options on the table",
        }
    }
}

impl Patch {
    /// The input the patch changes.
    pub fn input(&self) -> Input {
        match self {
            Patch::Role { .. } => Input::Roles,
            Patch::Required { .. } => Input::Required,
            Patch::Reservation { .. } => Input::Reservations,
            Patch::Position { .. } => Input::Preferences,
            Patch::Capability { .. } => Input::Capabilities,
            Patch::Strategy { .. } => Input::Strategies,
            Patch::MediatorRule(_) => Input::MediatorRule,
            Patch::Opening(_) => Input::Openings,
            Patch::RedLines { .. } => Input::RedLines,
            Patch::ExcludeOptions { .. } => Input::Options,
        }
    }
}

/// A named what-if: typed patches over the base scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Stable id (`europe_at_the_table`).
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// What the variant asks.
    pub description: Option<String>,
    /// The patches, applied in order.
    pub patches: Vec<Patch>,
}

/// A scenario as written or built, not yet checked: every field public, so that readers, tests
/// and tools can assemble and edit one freely. Nothing takes a draft but
/// [`ScenarioDraft::validate`], which turns it into a [`Scenario`] or says everything that is
/// wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioDraft {
    /// Metadata.
    pub meta: Metadata,
    /// The issues and their product.
    pub space: OutcomeSpace,
    /// The actors.
    pub actors: Vec<Actor>,
    /// Protocol defaults.
    pub protocol: ProtocolDefaults,
    /// What the saliences mean (checked: under attention shares an actor's sum to at most 1).
    pub salience: SalienceConvention,
    /// Opening concessions in force.
    pub openings: Vec<Opening>,
    /// Named what-ifs.
    pub variants: Vec<Variant>,
}

/// A complete negotiation scenario, valid by construction: the only ways to obtain one are
/// [`ScenarioDraft::validate`] and [`Scenario::with_variant`], so every lens may rely on every
/// invariant (ids resolve, numbers in range, roles consistent, every variant applies). Fields are
/// read through [`Deref`](std::ops::Deref) to the draft; to change a scenario, take its draft
/// ([`Scenario::into_draft`] or `clone`), edit it and validate again.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario(ScenarioDraft);

impl std::ops::Deref for Scenario {
    type Target = ScenarioDraft;
    fn deref(&self) -> &ScenarioDraft {
        &self.0
    }
}

impl Scenario {
    /// The scenario as an editable draft.
    pub fn into_draft(self) -> ScenarioDraft {
        self.0
    }

    /// A copy of the scenario changed by `edit` and validated again: what-ifs in code
    /// (`s.edited(|d| d.actors[1].capability = 80.0)`), with the same checks as a file.
    pub fn edited(&self, edit: impl FnOnce(&mut ScenarioDraft)) -> Result<Scenario, ModelErrors> {
        let mut draft = self.0.clone();
        edit(&mut draft);
        draft.validate()
    }

    /// The base scenario with variant `id` applied and validated. The result has no variants
    /// of its own and its metadata id is `base-id/variant-id`.
    pub fn with_variant(&self, id: &str) -> Result<Scenario, ModelErrors> {
        self.0.variant_applied(id).map(Scenario)
    }

    /// For each patch of variant `id`, in order: whether it changes the scenario it is applied to
    /// (`false`: it restates what is already there, e.g. `required = false` for an actor that is
    /// not required), and the mediator rule in force before it (for lenses to which only some
    /// rule changes matter).
    pub fn patch_changes(&self, id: &str) -> Result<Vec<(bool, Option<MediatorRule>)>, ModelError> {
        let variant = self.variant(id)?;
        let mut s = self.0.clone();
        s.variants.clear();
        let mut out = Vec::with_capacity(variant.patches.len());
        for (j, patch) in variant.patches.iter().enumerate() {
            let before = s.clone();
            s.apply(patch).map_err(|e| e.within(Step::Patch(j)).within(Step::Variant(id.to_string())))?;
            out.push((s != before, before.protocol.mediator_rule));
        }
        Ok(out)
    }
}

impl ScenarioDraft {
    /// A draft with this id (also its title), these issues and actors, and nothing else: no
    /// protocol defaults, openings or variants.
    pub fn new(id: impl Into<String>, space: OutcomeSpace, actors: Vec<Actor>) -> Self {
        let id = id.into();
        ScenarioDraft {
            meta: Metadata { title: id.clone(), id, ..Metadata::default() },
            space,
            actors,
            protocol: ProtocolDefaults::default(),
            salience: SalienceConvention::default(),
            openings: Vec::new(),
            variants: Vec::new(),
        }
    }

    /// Index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// The actor with this id, or an `UnknownId` error listing the actors.
    pub fn actor(&self, id: &str) -> Result<&Actor, ModelError> {
        self.actor_index(id).map(|i| &self.actors[i]).ok_or_else(|| self.unknown_actor(id))
    }

    fn unknown_actor(&self, id: &str) -> ModelError {
        ModelError::new(ErrorKind::UnknownId {
            what: "actor",
            id: id.to_string(),
            known: self.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", "),
        })
    }

    fn unknown_issue(&self, id: &str) -> ModelError {
        ModelError::new(ErrorKind::UnknownId { what: "issue", id: id.to_string(), known: self.space.issue_ids() })
    }

    /// The variant with this id.
    pub fn variant(&self, id: &str) -> Result<&Variant, ModelError> {
        if self.variants.is_empty() {
            return Err(ModelError::new(ErrorKind::NoVariants { id: id.to_string() }));
        }
        self.variants.iter().find(|v| v.id == id).ok_or_else(|| {
            ModelError::new(ErrorKind::UnknownId {
                what: "variant",
                id: id.to_string(),
                known: self.variants.iter().map(|v| v.id.as_str()).collect::<Vec<_>>().join(", "),
            })
        })
    }

    /// Actors whose acceptance makes an agreement.
    pub fn required_actors(&self) -> impl Iterator<Item = (usize, &Actor)> {
        self.actors.iter().enumerate().filter(|(_, a)| a.required)
    }

    /// Each actor's utility of an outcome, in actor order.
    pub fn utilities(&self, outcome: &Outcome) -> Vec<f64> {
        self.actors.iter().map(|a| a.preferences.utility(&self.space, outcome)).collect()
    }

    /// How many uncertain inputs (spreads on capabilities, ideal points and saliences) the
    /// scenario states.
    pub fn spread_count(&self) -> usize {
        self.actors
            .iter()
            .map(|a| {
                let positions = match &a.preferences.utility {
                    Utility::Spatial(sp) => sp
                        .positions
                        .iter()
                        .flatten()
                        .map(|p| usize::from(p.ideal_spread.is_some()) + usize::from(p.salience_spread.is_some()))
                        .sum(),
                    _ => 0,
                };
                usize::from(a.capability_spread.is_some()) + positions
            })
            .sum()
    }

    /// The draft with variant `id` applied and checked (see [`Scenario::with_variant`]).
    fn variant_applied(&self, id: &str) -> Result<ScenarioDraft, ModelErrors> {
        let variant = self.variant(id)?;
        let mut s = self.clone();
        s.variants.clear();
        s.meta.id = format!("{}/{}", self.meta.id, id);
        for (j, patch) in variant.patches.iter().enumerate() {
            s.apply(patch).map_err(|e| e.within(Step::Patch(j)).within(Step::Variant(id.to_string())))?;
        }
        let mut sink = Sink::default();
        s.check_base(&mut sink);
        sink.finish().map_err(|e| e.within(Step::Variant(id.to_string())))?;
        Ok(s)
    }

    fn actor_mut(&mut self, id: &str) -> Result<&mut Actor, ModelError> {
        match self.actor_index(id) {
            Some(i) => Ok(&mut self.actors[i]),
            None => Err(self.unknown_actor(id)),
        }
    }

    /// Applies one patch in place (validation is the caller's next step).
    pub fn apply(&mut self, patch: &Patch) -> Result<(), ModelError> {
        match patch {
            Patch::Role { actor, role } => self.actor_mut(actor)?.role = *role,
            Patch::Required { actor, required } => self.actor_mut(actor)?.required = *required,
            Patch::Reservation { actor, reservation } => self.actor_mut(actor)?.preferences.reservation = reservation.clone(),
            Patch::Capability { actor, capability } => {
                if !capability.is_finite() || *capability < 0.0 {
                    return Err(ModelError::new(ErrorKind::OutOfRange {
                        what: "capability".into(),
                        value: crate::format_real(*capability),
                        expected: "a finite number ≥ 0".into(),
                    })
                    .at(Step::Field("capability")));
                }
                let a = self.actor_mut(actor)?;
                let delta = *capability - a.capability;
                a.capability_spread = a.capability_spread.map(|sp| sp.shifted(delta, 0.0, f64::INFINITY));
                a.capability = *capability;
            }
            Patch::Strategy { actor, strategy } => self.actor_mut(actor)?.strategy = Some(strategy.clone()),
            Patch::MediatorRule(rule) => self.protocol.mediator_rule = Some(*rule),
            Patch::Position { actor, issue, ideal, salience } => {
                if let Some(x) = salience.filter(|x| !(0.0..=1.0).contains(x)) {
                    return Err(ModelError::new(ErrorKind::OutOfRange {
                        what: format!("salience on issue `{issue}`"),
                        value: crate::format_real(x),
                        expected: "a number in [0, 1]".into(),
                    })
                    .at(Step::Field("salience")));
                }
                let k = self.space.issue_index(issue).ok_or_else(|| self.unknown_issue(issue))?;
                let (lo, hi) = self.space.issues()[k].position_range();
                let a = self.actor_mut(actor)?;
                let Utility::Spatial(sp) = &mut a.preferences.utility else {
                    return Err(ModelError::invalid("a position patch needs spatial preferences (ideal point and salience)")
                        .within(Step::Actor(actor.clone())));
                };
                let slot = &mut sp.positions[k];
                match slot {
                    Some(p) => {
                        if let Some(x) = ideal {
                            p.ideal_spread = p.ideal_spread.map(|sp| sp.shifted(*x - p.ideal, lo, hi));
                            p.ideal = *x;
                        }
                        if let Some(s) = salience {
                            p.salience_spread = p.salience_spread.map(|sp| sp.shifted(*s - p.salience, 0.0, 1.0));
                            p.salience = *s;
                        }
                    }
                    None => match ideal {
                        Some(x) => *slot = Some(Position::new(*x, salience.unwrap_or(0.0))),
                        None => {
                            return Err(ModelError::invalid(format!("has no position on issue `{issue}`, so the patch must give one"))
                                .within(Step::Actor(actor.clone())))
                        }
                    },
                }
            }
            Patch::Opening(o) => {
                self.actor(&o.actor)?;
                let k = self.space.issue_index(&o.issue).ok_or_else(|| self.unknown_issue(&o.issue))?;
                if !self.space.issues()[k].admits(&o.value) {
                    return Err(bad_opening(&self.space.issues()[k], &o.value));
                }
                self.openings.retain(|p| !(p.actor == o.actor && p.issue == o.issue));
                self.openings.push(o.clone());
            }
            Patch::RedLines { actor, red_lines } => self.actor_mut(actor)?.red_lines = red_lines.clone(),
            Patch::ExcludeOptions { issue, options } => self.exclude_options(issue, options)?,
        }
        Ok(())
    }

    /// Removes options from an issue and rewrites every preference that refers to them.
    fn exclude_options(&mut self, issue: &str, remove: &[String]) -> Result<(), ModelError> {
        let k = self.space.issue_index(issue).ok_or_else(|| self.unknown_issue(issue))?;
        let old = self.space.issues()[k].clone();
        let Some(options) = old.options() else {
            return Err(ModelError::invalid(format!("issue `{issue}` has no named options to exclude")).at(Step::Field("issue")));
        };
        for (j, r) in remove.iter().enumerate() {
            if old.option_index(r).is_none() {
                return Err(ModelError::new(ErrorKind::UnknownId {
                    what: "option",
                    id: r.clone(),
                    known: options.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", "),
                })
                .at(Step::Field("options"))
                .at(Step::Index(j))
                .within(Step::Issue(issue.to_string())));
            }
        }
        let keep: Vec<usize> = (0..options.len()).filter(|&i| !remove.contains(&options[i].id)).collect();
        if keep.is_empty() {
            return Err(ModelError::invalid("would have no options left").within(Step::Issue(issue.to_string())));
        }
        let remap = |v: &Value| match v {
            Value::Option(i) => keep.iter().position(|&j| j == *i as usize).map(|p| Value::Option(p as u32)),
            other => Some(other.clone()),
        };
        // Reject references to removed options before changing anything.
        for a in &self.actors {
            if let Reservation::Outcome(o) = &a.preferences.reservation {
                if remap(&o.0[k]).is_none() {
                    return Err(ModelError::invalid(format!("its reservation outcome uses an option removed from `{issue}`"))
                        .within(Step::Actor(a.id.clone())));
                }
            }
            if let Utility::Table(_) = a.preferences.utility {
                return Err(ModelError::invalid("has an explicit outcome table, which cannot be re-indexed when options are removed")
                    .within(Step::Actor(a.id.clone())));
            }
        }
        if let Some(text) = &self.protocol.opening_text {
            if remap(&text.0[k]).is_none() {
                return Err(ModelError::invalid(format!(
                    "the opening text ([protocol] opening_text) uses an option removed from `{issue}`"
                )));
            }
        }
        for o in &self.openings {
            if o.issue == issue && remap(&o.value).is_none() {
                return Err(ModelError::invalid(format!("the opening of `{}` uses an option removed from `{issue}`", o.actor)));
            }
        }
        for a in &mut self.actors {
            match &mut a.preferences.utility {
                Utility::LinearAdditive(la) => {
                    if let ValueFunction::Table(t) = &mut la.values[k] {
                        *t = keep.iter().map(|&i| t[i]).collect();
                    }
                }
                Utility::Spatial(sp) => {
                    if let (IssueKind::Categorical { .. }, Some(p)) = (&old.kind, &mut sp.positions[k]) {
                        match keep.iter().position(|&j| j as f64 == p.ideal) {
                            Some(n) => p.ideal = n as f64,
                            None => {
                                return Err(ModelError::invalid(format!("its ideal option on `{issue}` was removed"))
                                    .within(Step::Actor(a.id.clone())));
                            }
                        }
                    }
                }
                Utility::Table(_) => unreachable!("rejected above"),
            }
            if let Reservation::Outcome(o) = &mut a.preferences.reservation {
                o.0[k] = remap(&o.0[k]).expect("invariant: checked above");
            }
            // A red line on removed options can no longer be crossed there: keep the values that
            // remain, and drop a line none of whose values remain (it is moot, not violated).
            a.red_lines.retain_mut(|line| {
                line.terms.iter_mut().all(|(id, c)| {
                    if id != issue {
                        return true;
                    }
                    if let Condition::OneOf(vs) = c {
                        *vs = vs.iter().filter_map(&remap).collect();
                        !vs.is_empty()
                    } else {
                        true
                    }
                })
            });
        }
        for o in &mut self.openings {
            if o.issue == issue {
                o.value = remap(&o.value).expect("invariant: checked above");
            }
        }
        if let Some(text) = &mut self.protocol.opening_text {
            text.0[k] = remap(&text.0[k]).expect("invariant: checked above");
        }
        let issue_mut = &mut self.space.issues_mut()[k];
        if let IssueKind::Categorical { options } | IssueKind::Ordinal { options } = &mut issue_mut.kind {
            *options = keep.iter().map(|&i| options[i].clone()).collect();
        }
        Ok(())
    }

    /// Checks every invariant and returns the valid [`Scenario`], or every error found, in
    /// model order (issues, actors, protocol, openings, variants), each with its path. Variants
    /// are checked only when the base is valid (their errors would otherwise repeat the base's).
    pub fn validate(self) -> Result<Scenario, ModelErrors> {
        let mut sink = Sink::default();
        self.check_base(&mut sink);
        if sink.is_empty() {
            for (i, v) in self.variants.iter().enumerate() {
                let at = |e: ModelError| e.at(Step::Field("id")).within(Step::Variant(v.id.clone()));
                if !is_identifier(&v.id) {
                    sink.push(at(ModelError::new(ErrorKind::BadId { what: "variant", id: v.id.clone() })));
                } else if self.variants[..i].iter().any(|w| w.id == v.id) {
                    sink.push(at(ModelError::new(ErrorKind::Duplicate {
                        what: "variant",
                        id: v.id.clone(),
                        within: "the scenario".into(),
                    })));
                } else if let Err(errors) = self.variant_applied(&v.id) {
                    sink.0.extend(errors);
                }
            }
        }
        sink.finish()?;
        Ok(Scenario(self))
    }

    /// Checks the scenario without its variants into `sink`.
    fn check_base(&self, sink: &mut Sink) {
        if !is_identifier(&self.meta.id) {
            sink.push(ModelError::new(ErrorKind::BadId { what: "scenario", id: self.meta.id.clone() }).at(Step::Field("id")));
        }
        for (i, src) in self.meta.sources.iter().enumerate() {
            let at = |e: ModelError| e.at(Step::Field("sources")).at(Step::Index(i)).at(Step::Field("id"));
            if !is_identifier(&src.id) {
                sink.push(at(ModelError::new(ErrorKind::BadId { what: "source", id: src.id.clone() })));
            } else if self.meta.sources[..i].iter().any(|t| t.id == src.id) {
                sink.push(at(ModelError::new(ErrorKind::Duplicate { what: "source", id: src.id.clone(), within: "the scenario".into() })));
            }
        }
        let issues = self.space.issues();
        if issues.is_empty() {
            sink.push(
                ModelError::new(ErrorKind::Empty { what: "the list of issues", expected: "at least one issue" }).at(Step::Field("issues")),
            );
        }
        // Duplicate ids are found hashed: a scenario may be large.
        let mut issue_ids: HashSet<&str> = HashSet::with_capacity(issues.len());
        for issue in issues {
            let step = Step::Issue(issue.id.clone());
            if !issue_ids.insert(issue.id.as_str()) {
                sink.push(
                    ModelError::new(ErrorKind::Duplicate { what: "issue", id: issue.id.clone(), within: "the scenario".into() })
                        .at(Step::Field("id"))
                        .within(step.clone()),
                );
            }
            sink.within(step, |s| issue.check(s));
        }
        if self.actors.is_empty() {
            sink.push(
                ModelError::new(ErrorKind::Empty { what: "the list of actors", expected: "at least one actor" }).at(Step::Field("actors")),
            );
        }
        if self.actors.len() > MAX_ACTORS {
            sink.push(
                ModelError::invalid(format!(
                    "{} actors are too many: expected at most {MAX_ACTORS} (the forecasting models and the study keep tables over \
                     pairs of actors)",
                    self.actors.len()
                ))
                .at(Step::Field("actors")),
            );
        }
        let mut actor_ids: HashSet<&str> = HashSet::with_capacity(self.actors.len());
        for a in &self.actors {
            sink.within(Step::Actor(a.id.clone()), |sink| {
                if !is_identifier(&a.id) {
                    sink.push(ModelError::new(ErrorKind::BadId { what: "actor", id: a.id.clone() }).at(Step::Field("id")));
                } else if !actor_ids.insert(a.id.as_str()) {
                    sink.push(
                        ModelError::new(ErrorKind::Duplicate { what: "actor", id: a.id.clone(), within: "the scenario".into() })
                            .at(Step::Field("id")),
                    );
                }
                if !a.capability.is_finite() || a.capability < 0.0 {
                    sink.push(
                        ModelError::new(ErrorKind::OutOfRange {
                            what: "capability".into(),
                            value: crate::format_real(a.capability),
                            expected: "a finite number ≥ 0".into(),
                        })
                        .at(Step::Field("capability")),
                    );
                } else if let Some(sp) = &a.capability_spread {
                    if let Err(e) = sp.check("capability", a.capability, 0.0, f64::INFINITY) {
                        sink.push(e.at(Step::Field("capability_spread")));
                    }
                }
                sink.within(Step::Field("preferences"), |s| a.preferences.check(&self.space, s));
                if let (SalienceConvention::AttentionShares, Utility::Spatial(sp)) = (self.salience, &a.preferences.utility) {
                    let total: f64 = sp.positions.iter().flatten().map(|p| p.salience).sum();
                    // A little slack for decimals written in a file (0.1 + 0.2 + 0.7).
                    if total > 1.0 + 1e-9 {
                        sink.push(
                            ModelError::new(ErrorKind::OutOfRange {
                                what: "sum of saliences".into(),
                                value: crate::format_real(total),
                                expected: "at most 1: the scenario states salience = \"attention_shares\", so an actor's saliences are shares of its attention".into(),
                            })
                            .at(Step::Field("positions"))
                            .within(Step::Field("preferences")),
                        );
                    }
                }
                crate::red_line::check_all(&a.red_lines, &self.space, sink);
            });
        }
        let mediators: Vec<&str> = self.actors.iter().filter(|a| a.role == Role::Mediator).map(|a| a.id.as_str()).collect();
        let at_protocol = |e: ModelError, field: &'static str| e.at(Step::Field(field)).within(Step::Field("protocol"));
        if let Some(m) = &self.protocol.mediator {
            match self.actor(m) {
                Err(e) => sink.push(at_protocol(e, "mediator")),
                Ok(actor) if actor.role != Role::Mediator => {
                    let others = if mediators.is_empty() {
                        String::new()
                    } else {
                        format!(" (actor `{}` has the mediator role)", mediators.join("`, `"))
                    };
                    sink.push(at_protocol(
                        ModelError::invalid(format!(
                            "actor `{m}` is named as the protocol's mediator but has role `{}`{others}: a mediator neither offers nor votes, so give it role = \"mediator\" or name the mediating actor",
                            actor.role.as_str()
                        )),
                        "mediator",
                    ));
                }
                Ok(_) => {}
            }
        } else if mediators.len() > 1 {
            sink.push(at_protocol(
                ModelError::invalid(format!(
                    "actors `{}` all have the mediator role; name the one that mediates in [protocol] mediator",
                    mediators.join("`, `")
                )),
                "mediator",
            ));
        }
        if let Some(text) = &self.protocol.opening_text {
            let at = |e: ModelError| at_protocol(e, "opening_text");
            if text.0.len() != issues.len() {
                sink.push(at(ModelError::invalid(format!(
                    "the opening text has {} values but the space has {} issues: it must give one value for every issue",
                    text.0.len(),
                    issues.len()
                ))));
            } else {
                for (id, e) in self.space.bad_values(text) {
                    sink.push(at(e).at(Step::Key(id.to_string())));
                }
            }
        }
        if self.protocol.rounds == Some(0) {
            sink.push(at_protocol(
                ModelError::new(ErrorKind::OutOfRange { what: "rounds".into(), value: "0".into(), expected: "at least 1".into() }),
                "rounds",
            ));
        }
        for (i, o) in self.openings.iter().enumerate() {
            let at = |e: ModelError| e.within(Step::Index(i)).within(Step::Field("openings"));
            if let Err(e) = self.actor(&o.actor) {
                sink.push(at(e.at(Step::Field("actor"))));
                continue;
            }
            let Some(k) = self.space.issue_index(&o.issue) else {
                sink.push(at(self.unknown_issue(&o.issue).at(Step::Field("issue"))));
                continue;
            };
            if !issues[k].admits(&o.value) {
                sink.push(at(bad_opening(&issues[k], &o.value).at(Step::Field("value"))));
            } else if self.openings[..i].iter().any(|p| p.actor == o.actor && p.issue == o.issue) {
                sink.push(at(ModelError::invalid(format!("actor `{}` already has an opening on issue `{}`", o.actor, o.issue))));
            }
        }
    }
}

fn bad_opening(issue: &crate::Issue, value: &Value) -> ModelError {
    ModelError::new(ErrorKind::BadValue {
        issue: issue.id.clone(),
        value: issue.format_value(value),
        expected: "a value of the issue for the opening concession".into(),
    })
}
