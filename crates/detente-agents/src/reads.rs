//! What each protocol reads of a scenario, so that a what-if it cannot see is said so.

use crate::simulate::Protocol;
use detente_core::{Input, MediatorRule, Scenario};
use detente_protocol::{Knowledge, MoveRule};

impl Protocol {
    /// Whether the protocol reads this kind of input.
    ///
    /// Every protocol reads roles, who must agree, walk-away values, preferences, strategies,
    /// red lines and the options. Only the mediated protocols read the mediator's rule. Opening
    /// concessions fix a party's first *offer*: the joint table and shuttle mediation, where
    /// parties make offers, read them; the single-text protocols, where parties only vote on
    /// the mediator's texts, do not. No protocol reads the salience convention: a spatial
    /// utility divides by the actor's total salience, so it is the same under either reading.
    pub fn reads(self, input: Input) -> bool {
        match input {
            Input::Capabilities | Input::SalienceConvention => false,
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

    /// Whether changing the mediator's rule from `from` to `to` changes what the protocol does
    /// when the mediator knows `knowledge` (under the detente mediation rules; NegMAS's
    /// single-text rules read no mediator rule).
    ///
    /// An omniscient mediator's every rule chooses its own starting text
    /// (`detente_protocol::MediationSetup::objective_text`: the mediator's best rational text,
    /// the Nash-best rational text, the welfare-best rational text), so in every mediated
    /// protocol any change of rule changes where it starts — and with it the whole negotiation,
    /// unless the two rules happen to pick the same text on a scenario. Steepest single text
    /// also consults the objective at every move, and in shuttle mediation every mediator
    /// resists moves against its objective. A votes-only mediator starts from its ideal
    /// (biased) or the middle of the scales (neutral and welfare alike), so in veto and
    /// hill-climbing single text, which draw candidates at random, neutral and welfare
    /// coincide (and are refused: `simulate` names the welfare rule not applicable there);
    /// steepest moves and shuttle mediation consult the estimated objective, so every pair
    /// differs there. The joint table has no mediator. (`tests/mediator_rules.rs` shows a
    /// scenario where each pair said to differ does.) See [`Protocol::rule_change_matters_in`]
    /// for a scenario that states an opening text.
    pub fn rule_change_matters(self, knowledge: Knowledge, from: MediatorRule, to: MediatorRule) -> bool {
        let neutral_welfare =
            matches!((from, to), (MediatorRule::Neutral, MediatorRule::Welfare) | (MediatorRule::Welfare, MediatorRule::Neutral));
        match self {
            Protocol::JointTable => false,
            Protocol::SingleText(MoveRule::Veto | MoveRule::HillClimbing) if knowledge == Knowledge::Votes => {
                from != to && !neutral_welfare
            }
            Protocol::SingleText(_) | Protocol::Shuttle => from != to,
        }
    }

    /// [`Protocol::rule_change_matters`] on `scenario`. A scenario that states an opening text
    /// (`[protocol] opening_text`) starts every rule from it, so the rule then acts only where
    /// the mediator consults its objective or its own red lines: steepest single text (every
    /// move), shuttle mediation (every mediator resists moves against its objective), and veto
    /// and hill-climbing single text only for a biased mediator with red lines of its own (it
    /// never proposes across them); neutral and welfare coincide there.
    pub fn rule_change_matters_in(self, scenario: &Scenario, knowledge: Knowledge, from: MediatorRule, to: MediatorRule) -> bool {
        if !self.rule_change_matters(knowledge, from, to) {
            return false;
        }
        if scenario.protocol.opening_text.is_none() {
            return true;
        }
        let biased_changes = (from == MediatorRule::Biased) != (to == MediatorRule::Biased);
        match self {
            Protocol::SingleText(MoveRule::Steepest) | Protocol::Shuttle => true,
            Protocol::SingleText(_) => {
                let mediator_has_red_lines = scenario.mediator().is_some_and(|m| !scenario.actors[m].red_lines.is_empty());
                biased_changes && mediator_has_red_lines
            }
            Protocol::JointTable => false,
        }
    }
}
