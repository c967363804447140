//! The mediator's strategy, apart from the protocol: what it starts from, which candidate it
//! puts next, in what order it visits, how it revises a text after a counter-proposal, and
//! what it learns from the parties' moves. What it knows is its own state: an
//! [`ObjectiveMediator`] that knows only the votes carries its [`MediatorModel`]; an
//! omniscient one reads the parties' utilities from the [`MediationSetup`].

use super::setup::MediationSetup;
use super::state::{MediatedState, Move, Stage};
use super::{MediationError, MediationRules, MoveRule, Objective, StartSource};
use crate::action::{Action, OutcomeId};
use crate::mediator_model::{Knowledge, MediatorModel, ModelConfig, ModelObjective};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A shuttle mediator's new text after a counter-proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The new text.
    pub text: OutcomeId,
    /// The issues it moved only part of the way (their index, and the objective it would have
    /// lost had it let the full move through on that issue alone).
    pub resisted: Vec<(usize, f64)>,
}

/// A mediator: the decisions the mediated protocols leave to it. Every method is told the
/// setup (who is at the table, the issues) and, where it matters, the protocol's state.
pub trait Mediator: Send {
    /// The first text and where it came from (called once, when the session is set up).
    fn start(&mut self, setup: &MediationSetup) -> Result<(Option<OutcomeId>, StartSource), MediationError>;
    /// Whether it can put any text forward at all (a biased mediator whose red lines forbid
    /// every outcome cannot; the session then ends at once).
    fn can_mediate(&self, _setup: &MediationSetup) -> bool {
        true
    }
    /// Single text: the next candidate; `None` when it has none left (a local optimum).
    fn candidate(&mut self, setup: &MediationSetup, state: &MediatedState) -> Option<OutcomeId>;
    /// Shuttle: the order of this round's visits (party indices).
    fn visiting_order(&mut self, setup: &MediationSetup, state: &MediatedState) -> Vec<u32>;
    /// Shuttle: the new text after party `p` countered `c` to the text `t`.
    fn revise(&mut self, setup: &MediationSetup, t: OutcomeId, p: usize, c: OutcomeId) -> Revision;
    /// Every legal move as it is made, with the states before and after it.
    fn observe(&mut self, _setup: &MediationSetup, _before: &MediatedState, _after: &MediatedState, _actor: u32, _mv: Move) {}
    /// What it knows of the parties (`None`: it consults no objective).
    fn knowledge(&self) -> Option<Knowledge>;
    /// A votes-only mediator's model of the parties.
    fn model(&self) -> Option<&MediatorModel> {
        None
    }
}

/// What an [`ObjectiveMediator`] knows.
#[derive(Debug, Clone)]
enum Knowing {
    /// Every party's utility.
    Omniscient,
    /// What it learnt from the votes and counter-proposals.
    Votes(Box<MediatorModel>),
}

/// The mediator of `mediation-protocols.md`: it pursues an [`Objective`] (biased, neutral,
/// welfare) knowing either only the votes ([`Knowledge::Votes`], learning a
/// [`MediatorModel`]) or every party's utility ([`Knowledge::Omniscient`], a benchmark).
#[derive(Debug, Clone)]
pub struct ObjectiveMediator {
    objective: Objective,
    move_rule: MoveRule,
    least_satisfied_first: bool,
    knowing: Knowing,
    rng: ChaCha8Rng,
    /// Candidates put to the parties since the text last changed (neighbour rules).
    tried: Vec<OutcomeId>,
}

impl ObjectiveMediator {
    /// A mediator for `setup` with this objective, move rule, visiting order and knowledge;
    /// `rng` draws its random choices.
    pub fn new(
        setup: &MediationSetup,
        objective: Objective,
        move_rule: MoveRule,
        least_satisfied_first: bool,
        knowledge: Knowledge,
        rng: ChaCha8Rng,
    ) -> Result<Self, MediationError> {
        let knowing = match knowledge {
            Knowledge::Omniscient => Knowing::Omniscient,
            Knowledge::Votes => Knowing::Votes(Box::new(
                MediatorModel::for_space(setup.prepared().space(), setup.required.clone(), ModelConfig::default())
                    .ok_or(MediationError::NotEnumerable)?,
            )),
        };
        Ok(ObjectiveMediator { objective, move_rule, least_satisfied_first, knowing, rng, tried: Vec::new() })
    }

    /// The neighbours of the text not put to the parties since it last changed, that the
    /// mediator may put forward (hill climbing and steepest moves choose among them).
    fn untried_neighbours(&self, setup: &MediationSetup, text: OutcomeId) -> Vec<OutcomeId> {
        let mut nb = setup.neighbours(text);
        nb.retain(|&o| !self.tried.contains(&o) && setup.mediator_accepts(self.objective, o));
        nb
    }
}

/// Remembers the candidates voted down since the text last changed (a neighbour rule's
/// memory): after the last vote on a candidate, a changed text clears it, an unchanged one
/// adds the candidate.
fn remember(tried: &mut Vec<OutcomeId>, rule: MoveRule, before: &MediatedState, after: &MediatedState) {
    if let Stage::Vote { candidate, .. } = before.stage {
        if matches!(after.stage, Stage::Vote { .. }) {
            return;
        }
        if after.text != before.text {
            tried.clear();
        } else if rule.stops_at_local_optimum() {
            tried.push(candidate);
        }
    }
}

impl Mediator for ObjectiveMediator {
    fn start(&mut self, setup: &MediationSetup) -> Result<(Option<OutcomeId>, StartSource), MediationError> {
        if let Some(o) = setup.opening_text {
            if !setup.mediator_accepts(self.objective, o) {
                let Objective::Biased { mediator } = self.objective else { unreachable!("only a biased mediator has red lines") };
                let id = setup.prepared().actor_ids().get(mediator).cloned().unwrap_or_default();
                return Err(MediationError::OpeningTextCrossesMediatorRedLine(id));
            }
            return Ok((Some(o), StartSource::OpeningText));
        }
        let (o, src) = match self.knowing {
            Knowing::Omniscient => setup.objective_text(self.objective),
            Knowing::Votes(_) => setup.votes_text(self.objective, &mut self.rng),
        };
        Ok((Some(o), src))
    }

    fn can_mediate(&self, setup: &MediationSetup) -> bool {
        match self.objective {
            Objective::Biased { mediator } => setup.prepared().utility(mediator).n_acceptable() > 0,
            Objective::Neutral | Objective::Welfare => true,
        }
    }

    fn candidate(&mut self, setup: &MediationSetup, state: &MediatedState) -> Option<OutcomeId> {
        let n = setup.prepared().n_outcomes();
        let obj = self.objective;
        match self.move_rule {
            MoveRule::Veto => match obj {
                // uniform over the outcomes its red lines allow (all of them without red lines)
                Objective::Biased { mediator } if setup.prepared().utility(mediator).n_acceptable() as u64 != n => {
                    let u = setup.prepared().utility(mediator);
                    let k = u.n_acceptable();
                    (k > 0).then(|| u.at_rank(self.rng.gen_range(0..k)))
                }
                _ => Some(self.rng.gen_range(0..n)),
            },
            MoveRule::HillClimbing => {
                let nb = self.untried_neighbours(setup, state.text?);
                (!nb.is_empty()).then(|| nb[self.rng.gen_range(0..nb.len())])
            }
            MoveRule::Steepest => {
                let nb = self.untried_neighbours(setup, state.text?);
                match &self.knowing {
                    Knowing::Votes(model) => model.best(ModelObjective::of(obj, setup.prepared())?, nb),
                    Knowing::Omniscient => detente_core::select::argmax(nb.into_iter().map(|o| (o, setup.objective(obj, o)))).map(|b| b.0),
                }
            }
        }
    }

    fn visiting_order(&mut self, setup: &MediationSetup, state: &MediatedState) -> Vec<u32> {
        let n = setup.parties.len() as u32;
        let mut order: Vec<u32> = (0..n).collect();
        let Some(text) = state.text.filter(|_| self.least_satisfied_first) else { return order };
        // by the true utilities, or as a votes-only mediator estimates them
        let margin: Vec<f64> = match &self.knowing {
            Knowing::Votes(model) => {
                let r = model.reservations();
                (0..n as usize).map(|p| model.estimate(p, text) - r[p]).collect()
            }
            Knowing::Omniscient => setup
                .parties
                .iter()
                .map(|&a| {
                    let u = setup.prepared().utility(a);
                    u.utility(text) - u.reservation_value()
                })
                .collect(),
        };
        order.sort_by(|&a, &b| margin[a as usize].total_cmp(&margin[b as usize]).then(a.cmp(&b)));
        order
    }

    fn revise(&mut self, setup: &MediationSetup, t: OutcomeId, p: usize, c: OutcomeId) -> Revision {
        let obj = self.objective;
        let (text, resisted) = match &self.knowing {
            Knowing::Votes(model) => setup.compose_votes_revision(obj, t, p, c, model),
            Knowing::Omniscient => setup.compose_revision(obj, t, p, c),
        };
        Revision { text, resisted }
    }

    fn observe(&mut self, _setup: &MediationSetup, before: &MediatedState, after: &MediatedState, actor: u32, mv: Move) {
        remember(&mut self.tried, self.move_rule, before, after);
        let Knowing::Votes(model) = &mut self.knowing else { return };
        let p = actor as usize;
        match (&before.stage, mv, before.text) {
            (Stage::Vote { candidate, .. }, Move::Vote(yes), Some(text)) => model.vote(p, *candidate, text, yes),
            (Stage::Ratify { .. }, Move::Vote(yes), Some(text)) => model.verdict(p, text, yes),
            (Stage::Answer { .. }, Move::Answer(Action::Accept), Some(text)) => model.verdict(p, text, true),
            (Stage::Answer { .. }, Move::Answer(Action::Reject), Some(text)) => model.verdict(p, text, false),
            // the mediator learns from the counter-proposal before answering it
            (Stage::Answer { .. }, Move::Answer(Action::Offer(c)), Some(text)) => model.counter(p, text, c),
            _ => {}
        }
    }

    fn knowledge(&self) -> Option<Knowledge> {
        Some(match self.knowing {
            Knowing::Omniscient => Knowledge::Omniscient,
            Knowing::Votes(_) => Knowledge::Votes,
        })
    }

    fn model(&self) -> Option<&MediatorModel> {
        match &self.knowing {
            Knowing::Votes(m) => Some(m),
            Knowing::Omniscient => None,
        }
    }
}

/// NegMAS 0.16's single-text mediator ([`MediationRules::Negmas`]): no objective, random
/// candidates (veto: any outcome; hill climbing: an untried NegMAS neighbour), starting from
/// the opening text, else no text (veto) or a random outcome (hill climbing).
#[derive(Debug, Clone)]
pub struct NegmasMediator {
    move_rule: MoveRule,
    rng: ChaCha8Rng,
    tried: Vec<OutcomeId>,
}

impl NegmasMediator {
    /// A NegMAS mediator with this move rule (veto or hill climbing); `rng` draws its choices.
    pub fn new(move_rule: MoveRule, rng: ChaCha8Rng) -> Result<Self, MediationError> {
        if move_rule == MoveRule::Steepest {
            return Err(MediationError::NotInNegmas("steepest moves"));
        }
        Ok(NegmasMediator { move_rule, rng, tried: Vec::new() })
    }
}

impl Mediator for NegmasMediator {
    fn start(&mut self, setup: &MediationSetup) -> Result<(Option<OutcomeId>, StartSource), MediationError> {
        Ok(match (setup.opening_text, self.move_rule) {
            (Some(o), _) => (Some(o), StartSource::OpeningText),
            (None, MoveRule::Veto) => (None, StartSource::NoText),
            (None, _) => (Some(self.rng.gen_range(0..setup.prepared().n_outcomes())), StartSource::Random),
        })
    }

    fn candidate(&mut self, setup: &MediationSetup, state: &MediatedState) -> Option<OutcomeId> {
        match self.move_rule {
            MoveRule::HillClimbing | MoveRule::Steepest => {
                let mut nb = setup.neighbours_under(state.text?, MediationRules::Negmas);
                nb.retain(|o| !self.tried.contains(o));
                (!nb.is_empty()).then(|| nb[self.rng.gen_range(0..nb.len())])
            }
            MoveRule::Veto => Some(self.rng.gen_range(0..setup.prepared().n_outcomes())),
        }
    }

    fn visiting_order(&mut self, setup: &MediationSetup, _state: &MediatedState) -> Vec<u32> {
        (0..setup.parties.len() as u32).collect()
    }

    fn revise(&mut self, _setup: &MediationSetup, _t: OutcomeId, _p: usize, c: OutcomeId) -> Revision {
        // NegMAS has no shuttle mediation (the session refuses it); taking the counter-proposal
        // is the one revision that needs no objective
        Revision { text: c, resisted: Vec::new() }
    }

    fn observe(&mut self, _setup: &MediationSetup, before: &MediatedState, after: &MediatedState, _actor: u32, _mv: Move) {
        remember(&mut self.tried, self.move_rule, before, after);
    }

    fn knowledge(&self) -> Option<Knowledge> {
        None
    }
}
