//! The [`Negotiator`] trait and the read-only [`View`] it acts on.

use crate::action::{Action, Event, OutcomeId};
use crate::prepared::PartyUtility;
use detente_core::OutcomeSpace;

/// The offer currently on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The outcome offered.
    pub outcome: OutcomeId,
    /// Who offered it (participant index).
    pub by: u32,
}

/// What a negotiator sees when it is its turn: its **own** utility only (never the others'),
/// the clock of the negotiation, the offer on the table and the public record of actions.
///
/// Everything here is public information in the protocol (offers are seen by all in SAO, as
/// GENIUS's `listenToAll`), except `utility`, which is private to the viewer.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// The viewer's index among the participants.
    pub me: u32,
    /// Number of participants.
    pub n_parties: u32,
    /// 0-based round index.
    pub round: u32,
    /// The deadline in rounds.
    pub n_rounds: u32,
    /// Relative time in (0, 1]: NegMAS's `(round + 1) / (n_rounds + 1)`, or the wall-clock
    /// fraction when a time limit is set and is further along (see [`crate::Rules`]).
    pub time: f64,
    /// The standing offer, if any.
    pub offer: Option<Standing>,
    /// The viewer's own utilities (precomputed, sorted).
    pub utility: &'a PartyUtility,
    /// The outcome space (to decode an outcome index into issue values).
    pub space: &'a OutcomeSpace,
    /// The actions this participant has observed, in order: in SAO every action; in mediated
    /// protocols the mediator's texts and its own answers only.
    pub history: &'a [Event],
}

impl View<'_> {
    /// Whether the standing offer is a mediator's text (mediated protocols number the mediator
    /// after the parties) rather than a party's offer.
    #[inline]
    pub fn from_mediator(&self) -> bool {
        self.offer.is_some_and(|s| s.by >= self.n_parties)
    }

    /// The viewer's utility of `o` now: [`PartyUtility::utility`] with its discount applied at
    /// this moment ([`PartyUtility::discounted`] at [`View::time`] and [`View::round`]); the
    /// plain utility when the party has no discount. NegMAS's negotiators decide on this value
    /// (their `ufun(offer)` is the discounted one) while their aspiration thresholds stay on the
    /// undiscounted scale.
    #[inline]
    pub fn utility_now(&self, o: OutcomeId) -> f64 {
        self.utility.discounted(self.utility.utility(o), self.time, self.round)
    }

    /// The standing offer if the viewer may accept it — it crosses none of the viewer's red
    /// lines ([`PartyUtility::acceptable`]) — else `None`. Negotiators decide whether to accept
    /// from this rather than from [`View::offer`], so they never accept across a red line.
    #[inline]
    pub fn acceptable_offer(&self) -> Option<Standing> {
        self.offer.filter(|s| self.utility.acceptable(s.outcome))
    }
}

/// A negotiating strategy.
///
/// A session calls [`Negotiator::act`] when it is this negotiator's turn. The negotiator may
/// keep any state between calls (it is created fresh for every negotiation). A panic inside a
/// call is caught by the session and ends the negotiation as `Errored` with the message; so
/// does an illegal action (an outcome outside the space, accepting when nothing is on the
/// table, acting when the protocol does not allow it).
///
/// **Red lines.** A negotiator never offers, accepts or votes yes for an outcome that crosses
/// one of its own red lines (see [`PartyUtility::acceptable`]); the protocols treat such a move
/// as illegal. Offering from [`PartyUtility::order`] and accepting through
/// [`View::acceptable_offer`] is enough. Of the other parties' red lines a negotiator knows
/// nothing. A party none of whose outcomes is acceptable is never asked to act: at its turn the
/// protocol walks away for it (`End`), and its votes are "no".
pub trait Negotiator: Send {
    /// Chooses the next action. With a standing offer the usual answers are
    /// [`Action::Accept`] or a counter-[`Action::Offer`]; without one, an offer.
    fn act(&mut self, view: &View<'_>) -> Action;

    /// A vote in a mediated protocol: accept `proposal` in place of the current text
    /// `current` (`None` before any text was accepted)? The default is GENIUS's `HillClimber`
    /// voter: yes iff the proposal is at least as good as the current text, and, with no
    /// current text, at least as good as walking away — and never for a proposal across one of
    /// its red lines.
    fn vote(&mut self, view: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        hill_climber_vote(view, proposal, current)
    }
}

/// GENIUS's `HillClimber` voter, [`Negotiator::vote`]'s default: yes iff `proposal` crosses none
/// of the voter's red lines and is at least as good as `current` (with none, as walking away).
/// For negotiators that vote this way in some cases and otherwise in others.
pub fn hill_climber_vote(view: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
    if !view.utility.acceptable(proposal) {
        return false;
    }
    let u = view.utility.utility(proposal);
    match current {
        Some(c) => u >= view.utility.utility(c),
        None => u >= view.utility.reservation_value(),
    }
}

impl<N: Negotiator + ?Sized> Negotiator for Box<N> {
    fn act(&mut self, view: &View<'_>) -> Action {
        (**self).act(view)
    }
    fn vote(&mut self, view: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        (**self).vote(view, proposal, current)
    }
}

/// The payload a negotiator unwinds with (`std::panic::resume_unwind(Box::new(Failed(…)))`)
/// when it cannot act for a reason that is not a defect of its own code — an adapter over code
/// in another language that raised, or that took too long. The session errors the negotiation
/// with the reason as written; any other panic is reported as one (`panicked: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed(pub String);

/// The reason a negotiation errors with when a negotiator's call unwound with `payload`: a
/// [`Failed`]'s reason, or `panicked: ` and the panic's message.
pub fn failure_reason(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(Failed(reason)) = payload.downcast_ref::<Failed>() {
        return reason.clone();
    }
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-string panic payload)".to_string());
    format!("panicked: {message}")
}
