//! Actors: the parties, mediators and observers of a negotiation.

use crate::negotiator::NegotiatorSpec;
use crate::preferences::Preferences;
use crate::red_line::RedLine;
use crate::spread::Spread;

/// What an actor does in the negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Offers, votes and must be satisfied if its acceptance is required.
    #[default]
    Party,
    /// Proposes texts in mediated protocols; may have interests of its own (a biased mediator).
    Mediator,
    /// Neither offers nor votes; its utility is reported.
    Observer,
}

impl Role {
    /// The name used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Party => "party",
            Role::Mediator => "mediator",
            Role::Observer => "observer",
        }
    }

    /// Every role.
    pub const ALL: [Role; 3] = [Role::Party, Role::Mediator, Role::Observer];

    /// Parses `party`, `mediator`, `observer` (the names of [`Role::as_str`]: one table).
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Stable id (`russia`).
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Role.
    pub role: Role,
    /// Whether an agreement needs this actor's acceptance.
    pub required: bool,
    /// Relative power in the talks (≥ 0), used by spatial forecasts.
    pub capability: f64,
    /// Uncertainty of the capability (within ≥ 0), for the forecast lens's Monte Carlo.
    pub capability_spread: Option<Spread>,
    /// Preferences.
    pub preferences: Preferences,
    /// Outcomes the actor will never accept, whatever their utility (see [`RedLine`]).
    pub red_lines: Vec<RedLine>,
    /// Default negotiation strategy (checked when the scenario is read: a spec that exists is
    /// one the agents can build).
    pub strategy: Option<NegotiatorSpec>,
    /// Free-text description or source note.
    pub description: Option<String>,
}

impl Actor {
    /// A required party with capability 1.
    pub fn party(id: impl Into<String>, preferences: Preferences) -> Self {
        Actor {
            id: id.into(),
            name: None,
            role: Role::Party,
            required: true,
            capability: 1.0,
            capability_spread: None,
            preferences,
            red_lines: Vec::new(),
            strategy: None,
            description: None,
        }
    }

    /// The display name.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// Whether the actor has a stake that analysis counts (parties and mediators, not observers).
    pub fn is_stakeholder(&self) -> bool {
        self.role != Role::Observer
    }
}
