//! What each protocol reads of a scenario, so that a what-if it cannot see is said so.

use crate::simulate::Protocol;
use detente_core::{Input, MediatorRule};
use detente_protocol::MoveRule;

impl Protocol {
    /// Whether the protocol reads this kind of input.
    ///
    /// Every protocol reads roles, who must agree, walk-away values, preferences, strategies,
    /// red lines and the options. Only the mediated protocols read the mediator's rule. Opening
    /// concessions fix a party's first *offer*: the joint table and shuttle mediation, where
    /// parties make offers, read them; the single-text protocols, where parties only vote on
    /// the mediator's texts, do not.
    pub fn reads(self, input: Input) -> bool {
        match input {
            Input::Capabilities => false,
            Input::MediatorRule => !matches!(self, Protocol::JointTable),
            Input::Openings => !matches!(self, Protocol::SingleText(_)),
            Input::Roles
            | Input::Required
            | Input::Reservations
            | Input::Preferences
            | Input::Strategies
            | Input::RedLines
            | Input::Options => true,
        }
    }

    /// Whether changing the mediator's rule from `from` to `to` changes what the protocol does.
    ///
    /// The neutral and welfare rules coincide by construction everywhere except in steepest
    /// single text: both start from the middle of every scale (only a biased mediator starts from
    /// its own best rational text), and the objective chooses among candidates only where the
    /// mediator searches its neighbourhood for the best one (steepest). The veto and
    /// hill-climbing single texts draw candidates at random, and the shuttle mediator composes
    /// each next text from the party's counter-proposal and its issue weights, where the rule
    /// enters only as "a biased mediator halves moves that cost it" (see
    /// `detente_protocol::MediationSetup::compose`). So there only a change to or from `biased`
    /// matters. (`tests/mediator_rules.rs` checks both directions.)
    pub fn rule_change_matters(self, from: MediatorRule, to: MediatorRule) -> bool {
        match self {
            Protocol::JointTable => false,
            Protocol::SingleText(MoveRule::Steepest) => from != to,
            Protocol::SingleText(_) | Protocol::Shuttle => (from == MediatorRule::Biased) != (to == MediatorRule::Biased),
        }
    }
}
