//! Who takes part in a protocol and who mediates: the one place that decides.
//!
//! - **Who mediates**: the actor `[protocol] mediator` names, else the first actor with role
//!   `mediator` (validation allows at most one unnamed). Only the mediated protocols have one.
//! - **Who sits at the table**: at the joint table the parties that must agree — the required
//!   parties, or every party when fewer than two are required (a table needs two); at a mediated
//!   table every actor with role `party`. Always in scenario order, which is the speaking order.
//! - **Whose acceptance a deal needs**: at the joint table every seat (alternating offers end
//!   only when all accept); at a mediated table the parties flagged `required`.
//! - **Who is left out**, and why ([`LeftOut`]): observers, a mediator at the joint table, a
//!   mediator-role actor that does not mediate, and at the joint table the parties whose
//!   acceptance is not required. The mediator of a mediated protocol takes part as the mediator
//!   and is not listed.
//!
//! A deal's zone of possible agreement asks a different question with the same flags — whose
//! acceptance it needs among the stakeholders — and answers it in [`must_agree`]: the required
//! ones, or every one when none is required (one required party makes a zone; a table needs two).
//!
//! ```
//! use detente_core::{Actor, Issue, Loss, OutcomeSpace, Position, Preferences, ProtocolName, Role, ScenarioDraft, Spatial, Utility};
//! let space = OutcomeSpace::new(vec![Issue::integer("x", 0, 100, 50)]);
//! let spatial = Utility::Spatial(Spatial { positions: vec![Some(Position::new(50.0, 1.0))], loss: Loss::Linear });
//! let party = |id: &str| Actor::party(id, Preferences::new(spatial.clone()));
//! let mediator = Actor { role: Role::Mediator, required: false, ..party("m") };
//! let s = ScenarioDraft::new("s", space, vec![party("a"), mediator, party("b")]).validate()?;
//! // the one mediator-role actor mediates, named in [protocol] or not
//! let shuttle = s.seating(ProtocolName::Shuttle);
//! assert_eq!((shuttle.parties, shuttle.required, shuttle.mediator), (vec![0, 2], vec![true, true], Some(1)));
//! assert!(shuttle.left_out.is_empty());
//! let table = s.seating(ProtocolName::JointTable);
//! assert_eq!((table.parties, table.mediator), (vec![0, 2], None));
//! assert_eq!(table.left_out[0].1.describe(), "a mediator has no seat at the joint table");
//! # Ok::<(), detente_core::ModelErrors>(())
//! ```

use crate::actor::Role;
use crate::scenario::{ProtocolName, Scenario};

/// Who takes part in one protocol on one scenario ([`Scenario::seating`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seating {
    /// The actors at the table (indices into the scenario's actors), in speaking order.
    pub parties: Vec<usize>,
    /// Per seat (same order as `parties`), whether an agreement needs that party's acceptance.
    pub required: Vec<bool>,
    /// Who mediates (an actor index); `None` at the joint table and when nobody does.
    pub mediator: Option<usize>,
    /// The actors with no seat and not mediating, in scenario order, each with the reason.
    pub left_out: Vec<(usize, LeftOut)>,
}

/// Why an actor has no seat ([`Seating::left_out`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeftOut {
    /// An observer, whatever the protocol.
    Observer,
    /// A mediator-role actor at the joint table.
    MediatorAtJointTable,
    /// A mediator-role actor in a mediated protocol that another actor mediates.
    AnotherMediates,
    /// A party whose acceptance is not required, at a joint table that seats the required ones.
    NotRequired,
}

impl LeftOut {
    /// The reason in words, as reports print it after "left out: ".
    pub fn describe(self) -> &'static str {
        match self {
            LeftOut::Observer => "an observer neither offers nor votes",
            LeftOut::MediatorAtJointTable => "a mediator has no seat at the joint table",
            LeftOut::AnotherMediates => "another actor mediates",
            LeftOut::NotRequired => "its acceptance is not required, and the joint table seats the parties that must agree",
        }
    }
}

impl Scenario {
    /// Who mediates the mediated protocols: the actor `[protocol] mediator` names, else the
    /// first actor with role `mediator`; `None` when there is neither (the mediator is then a
    /// neutral party outside the scenario).
    pub fn mediator(&self) -> Option<usize> {
        let named = self.protocol.mediator.as_deref().and_then(|id| self.actor_index(id));
        named.or_else(|| self.actors.iter().position(|a| a.role == Role::Mediator))
    }

    /// Who takes part in `protocol` and who mediates (see the [module docs](crate::seating)).
    /// Every mediated protocol seats alike. O(actors).
    pub fn seating(&self, protocol: ProtocolName) -> Seating {
        let parties: Vec<usize> = (0..self.actors.len()).filter(|&i| self.actors[i].role == Role::Party).collect();
        let joint = protocol == ProtocolName::JointTable;
        let (parties, required, mediator) = if joint {
            let req: Vec<usize> = parties.iter().copied().filter(|&i| self.actors[i].required).collect();
            let seated = if req.len() >= 2 { req } else { parties };
            let n = seated.len();
            (seated, vec![true; n], None)
        } else {
            let required = parties.iter().map(|&i| self.actors[i].required).collect();
            (parties, required, self.mediator())
        };
        let left_out = (0..self.actors.len())
            .filter(|i| !parties.contains(i) && Some(*i) != mediator)
            .map(|i| {
                let why = match self.actors[i].role {
                    Role::Observer => LeftOut::Observer,
                    Role::Mediator if joint => LeftOut::MediatorAtJointTable,
                    Role::Mediator => LeftOut::AnotherMediates,
                    Role::Party => LeftOut::NotRequired,
                };
                (i, why)
            })
            .collect();
        Seating { parties, required, mediator, left_out }
    }
}

/// Whose acceptance a deal needs among actors with these `required` flags (the analysis' zone
/// of possible agreement, over the stakeholders): the required ones, or every one when none is.
pub fn must_agree(required: &[bool]) -> Vec<bool> {
    let any = required.contains(&true);
    required.iter().map(|&r| r || !any).collect()
}
