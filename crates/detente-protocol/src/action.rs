//! Actions and events: what a negotiator does, and the record of it.

use serde::{Deserialize, Serialize};

/// An outcome, named by its index in the scenario's outcome space (mixed radix, first issue
/// slowest — the GENIUS/NegMAS enumeration order). Every protocol in this crate works on
/// enumerable spaces, where an index names an outcome exactly and costs 8 bytes.
pub type OutcomeId = u64;

/// One move by one participant.
///
/// The same four moves cover every protocol here:
/// - alternating offers: `Offer` puts a new standing offer on the table (and rejects the old
///   one), `Accept` accepts the standing offer, `End` walks away;
/// - mediated protocols: the mediator's `Offer` is a text put to the parties, a party's
///   `Accept`/`Reject` is its vote, and an `Offer` by a party is a counter-proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", content = "outcome", rename_all = "snake_case")]
pub enum Action {
    /// Propose this outcome (in SAO: reject the standing offer, if any, and counter with this).
    Offer(OutcomeId),
    /// Accept the outcome currently on the table.
    Accept,
    /// Reject the outcome on the table without a counter-offer. In NegMAS SAO this breaks the
    /// negotiation (`REJECT` with no offer); in GENIUS SAOP it is not a legal move; in mediated
    /// protocols it is a "no" vote.
    Reject,
    /// Walk away: the negotiation ends with no agreement for everybody.
    End,
}

impl Action {
    /// The short name used in traces: `offer`, `accept`, `reject`, `end`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Offer(_) => "offer",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::End => "end",
        }
    }
}

/// One action as it happened: who, in which round, what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Event {
    /// 0-based round index (serialised from 1, as every report and trace numbers rounds:
    /// [`one_based`]).
    #[serde(serialize_with = "one_based")]
    pub round: u32,
    /// The actor's index among the session's participants.
    pub actor: u32,
    /// What it did.
    pub action: Action,
}

/// Serialises a 0-based round index as the round's number from 1: the one rule by which every
/// serialised form (JSON reports, the study, traces) numbers rounds, so that "a deal in round 17
/// of 20" reads `17` wherever it is printed. In memory, rounds stay 0-based indices (NegMAS's
/// `step`), as the state machines and negotiators use them.
pub fn one_based<S: serde::Serializer>(round: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(round.saturating_add(1))
}
