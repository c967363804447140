//! Who is at the table and what the mediator knows of the issues: texts, neighbours, starting texts, compositions.

use super::*;
use crate::mediator_model::{MediatorModel, ModelObjective};
use crate::prepared::{PartyUtility, PreparedScenario};
use detente_core::seating::Seating;
use detente_core::{IssueKind, ProtocolName, Scenario, UtilityFunction};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// Who is at the table and what the mediator knows about the issues.
#[derive(Debug, Clone)]
pub struct MediationSetup {
    prepared: Arc<PreparedScenario>,
    /// Parties' actor indices (scenario order), in visiting order.
    pub parties: Vec<usize>,
    /// Whether each party's acceptance is required.
    pub required: Vec<bool>,
    /// The mediating actor, if the scenario names one with role `mediator`.
    pub mediator: Option<usize>,
    /// The scenario's stated opening text (`[protocol] opening_text`), if any.
    pub opening_text: Option<OutcomeId>,
    radices: Vec<u32>,
    ordered: Vec<bool>,
    integer: Vec<bool>,
    positions: Vec<Vec<f64>>,
    /// Per party, per issue: how much the issue matters to it, scaled so that its most
    /// important issue has 1 (from the utility's per-issue range).
    weights: Vec<Vec<f64>>,
}

impl MediationSetup {
    /// From a scenario and its preparation: the parties are the actors with role `party` (in
    /// scenario order), the mediator the actor named by `protocol.mediator` or else the first
    /// with role `mediator`; the opening text is the scenario's `[protocol] opening_text`.
    pub fn new(scenario: &Scenario, prepared: Arc<PreparedScenario>) -> Result<Self, MediationError> {
        // who takes part is decided in one place, the scenario's seating (every mediated
        // protocol seats the same way)
        let Seating { parties, required, mediator, .. } = scenario.seating(ProtocolName::Shuttle);
        if parties.len() < 2 {
            return Err(MediationError::TooFewParties(parties.len()));
        }
        if !required.contains(&true) {
            return Err(MediationError::NoRequiredParty);
        }
        let mut radices = Vec::new();
        let mut ordered = Vec::new();
        let mut integer = Vec::new();
        let mut positions = Vec::new();
        for issue in scenario.space.issues() {
            let k = issue.cardinality().ok_or(MediationError::NotEnumerable)? as u32;
            radices.push(k);
            ordered.push(!matches!(issue.kind, IssueKind::Categorical { .. }));
            integer.push(matches!(issue.kind, IssueKind::Integer { .. }));
            positions.push(
                (0..k)
                    .map(|v| {
                        issue.value_at(v).and_then(|x| issue.scale_of(&x)).unwrap_or(if k > 1 {
                            100.0 * f64::from(v) / f64::from(k - 1)
                        } else {
                            50.0
                        })
                    })
                    .collect(),
            );
        }
        let weights = scenario
            .actors
            .iter()
            .map(|a| match a.preferences.utility.additive_tables(&scenario.space) {
                Some(t) => {
                    let r: Vec<f64> = t
                        .tables
                        .iter()
                        .map(|tab| {
                            tab.iter().copied().fold(f64::NEG_INFINITY, f64::max) - tab.iter().copied().fold(f64::INFINITY, f64::min)
                        })
                        .collect();
                    let m = r.iter().copied().fold(0.0, f64::max);
                    r.iter().map(|x| if m > 0.0 { x / m } else { 1.0 }).collect()
                }
                None => vec![1.0; radices.len()],
            })
            .collect();
        // the scenario is valid: a stated opening text is an outcome of its space
        let opening_text = scenario.protocol.opening_text.as_ref().and_then(|o| scenario.space.index_of(o));
        Ok(MediationSetup { prepared, parties, required, mediator, opening_text, radices, ordered, integer, positions, weights })
    }

    /// The prepared scenario.
    pub fn prepared(&self) -> &Arc<PreparedScenario> {
        &self.prepared
    }

    pub(crate) fn u(&self, actor: usize) -> &PartyUtility {
        self.prepared.utility(actor)
    }

    /// The required parties' actor indices.
    fn required_actors(&self) -> impl Iterator<Item = usize> + '_ {
        self.parties.iter().zip(&self.required).filter(|(_, &r)| r).map(|(&a, _)| a)
    }

    /// Whether the mediator may put `o` forward under `obj`: a biased mediator never proposes
    /// a text across its own red lines; neutral and welfare mediators have none.
    pub fn mediator_accepts(&self, obj: Objective, o: OutcomeId) -> bool {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).acceptable(o),
            Objective::Neutral | Objective::Welfare => true,
        }
    }

    /// The omniscient mediator's objective value of an outcome: it evaluates every party's
    /// utility (a votes-only mediator evaluates its estimate: [`MediatorModel::objective`]).
    pub fn objective(&self, obj: Objective, o: OutcomeId) -> f64 {
        match obj {
            Objective::Biased { mediator } => self.u(mediator).utility(o),
            Objective::Neutral => {
                self.required_actors().map(|a| (self.u(a).utility(o) - self.u(a).reservation_value()).max(1e-9).ln()).sum()
            }
            Objective::Welfare => self.required_actors().map(|a| self.u(a).utility(o)).sum(),
        }
    }

    /// How far `o` is from being rational for every required party: the smallest margin
    /// `u_i(o) − reservation_i` over the required parties (≥ 0 iff it is rational for all).
    pub fn worst_margin(&self, o: OutcomeId) -> f64 {
        self.required_actors().map(|a| self.u(a).utility(o) - self.u(a).reservation_value()).fold(f64::INFINITY, f64::min)
    }

    fn decode(&self, mut o: OutcomeId) -> Vec<u32> {
        let mut out = vec![0; self.radices.len()];
        for (slot, &r) in out.iter_mut().zip(&self.radices).rev() {
            *slot = (o % u64::from(r)) as u32;
            o /= u64::from(r);
        }
        out
    }

    fn encode(&self, idx: &[u32]) -> OutcomeId {
        idx.iter().zip(&self.radices).fold(0, |acc, (&v, &r)| acc * u64::from(r) + u64::from(v))
    }

    /// The neighbours of a text (§2): one issue changed to an adjacent value (ordered issues)
    /// or to any other value (categorical), in ascending outcome index.
    pub fn neighbours(&self, o: OutcomeId) -> Vec<OutcomeId> {
        self.neighbours_under(o, MediationRules::Detente)
    }

    /// The neighbours of a text under a rule set: [`Self::neighbours`], or NegMAS's (any other
    /// value of an option or grid issue, the adjacent values of an integer issue), in ascending
    /// outcome index.
    pub fn neighbours_under(&self, o: OutcomeId, rules: MediationRules) -> Vec<OutcomeId> {
        let base = self.decode(o);
        let mut out = Vec::new();
        for (j, &r) in self.radices.iter().enumerate() {
            let v = base[j];
            let adjacent = match rules {
                MediationRules::Detente => self.ordered[j],
                MediationRules::Negmas => self.integer[j],
            };
            let candidates: Vec<u32> = if adjacent {
                [v.checked_sub(1), (v + 1 < r).then_some(v + 1)].into_iter().flatten().collect()
            } else {
                (0..r).filter(|&x| x != v).collect()
            };
            for c in candidates {
                let mut idx = base.clone();
                idx[j] = c;
                out.push(self.encode(&idx));
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether every required party finds `o` rational: at or above its reservation value, and
    /// across none of its red lines (the analysis lens's zone of agreement).
    pub fn rational_for_required(&self, o: OutcomeId) -> bool {
        self.required_actors().all(|a| self.u(a).acceptable(o) && self.u(a).utility(o) >= self.u(a).reservation_value())
    }

    /// The first text of an omniscient mediator's session under `obj`: the scenario's stated
    /// opening text if any (every objective starts from it), else [`Self::objective_text`].
    pub fn initial_text(&self, obj: Objective) -> OutcomeId {
        self.opening_text.unwrap_or_else(|| self.objective_text(obj).0)
    }

    /// The text the mediator's objective starts from, and whether it is rational for every
    /// required party ([`StartSource::Objective`]) or a fallback ([`StartSource::Fallback`]).
    /// Ties: lowest outcome index. The mediator is omniscient here: it knows every party's
    /// utility and reservation (a votes-only mediator starts from [`Self::votes_text`]).
    ///
    /// - `biased`: the outcome best for the mediator among those every required party finds
    ///   rational and its own red lines allow; if none is rational for all, its best outcome
    ///   its red lines allow (its ideal); outcome 0 if they allow none (the session then ends
    ///   at once).
    /// - `neutral`: the rational outcome with the largest Nash product of the required parties'
    ///   gains over their reservation values (the Nash deal itself, a benchmark);
    /// - `welfare`: the rational outcome with the largest sum of the required parties' utilities.
    ///
    /// For `neutral` and `welfare`, when no outcome is rational for every required party, the
    /// fallback is the outcome whose worst shortfall below a required party's reservation is
    /// smallest (the largest [`Self::worst_margin`]; then the objective): the text nearest to
    /// one everyone could ratify, independent of the order issues and options are listed in.
    pub fn objective_text(&self, obj: Objective) -> (OutcomeId, StartSource) {
        let n = self.prepared.n_outcomes();
        let best = |keep: &dyn Fn(OutcomeId) -> bool, score: &dyn Fn(OutcomeId) -> (f64, f64)| {
            detente_core::select::argmax((0..n).filter(|&o| keep(o)).map(|o| (o, score(o)))).map(|b| b.0)
        };
        let by_objective = |o: OutcomeId| (self.objective(obj, o), 0.0);
        let rational = |o: OutcomeId| self.rational_for_required(o) && self.mediator_accepts(obj, o);
        if let Some(o) = best(&rational, &by_objective) {
            return (o, StartSource::Objective);
        }
        let fallback = match obj {
            Objective::Biased { .. } => best(&|o| self.mediator_accepts(obj, o), &by_objective),
            Objective::Neutral | Objective::Welfare => best(&|_| true, &|o| (self.worst_margin(o), self.objective(obj, o))),
        };
        (fallback.unwrap_or(0), StartSource::Fallback)
    }

    /// The text a votes-only mediator starts from when the scenario states no opening text
    /// (`mediation-protocols.md` §2, "The mediator's objective"): knowing nothing of the
    /// parties' utilities, a biased mediator starts from its own ideal
    /// ([`StartSource::Ideal`]), a neutral or welfare one from the middle of the scales
    /// ([`StartSource::Middle`]; `rng` draws the option of each unordered issue).
    pub fn votes_text(&self, obj: Objective, rng: &mut ChaCha8Rng) -> (OutcomeId, StartSource) {
        match obj {
            Objective::Biased { mediator } => {
                let u = self.u(mediator);
                // the lowest-index outcome among its best acceptable ones (outcome 0 when its
                // red lines allow none: the session then ends at once)
                let o = if u.n_acceptable() == 0 { 0 } else { u64::from(u.order()[u.rank_at_least(u.max())]) };
                (o, StartSource::Ideal)
            }
            Objective::Neutral | Objective::Welfare => {
                let idx: Vec<u32> = (0..self.radices.len())
                    .map(|j| {
                        if self.ordered[j] {
                            let pos = &self.positions[j];
                            let lo = pos.iter().copied().fold(f64::INFINITY, f64::min);
                            let hi = pos.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                            nearest(pos, 0.5 * (lo + hi), None)
                        } else {
                            rng.gen_range(0..self.radices[j])
                        }
                    })
                    .collect();
                (self.encode(&idx), StartSource::Middle)
            }
        }
    }

    /// The shuttle mediator's next text after party `p` (index into `parties`) counters `c`
    /// to text `t` (§3.2): on each issue, a move from `t` towards `c` by the party's weight on
    /// the issue (its most important issue moves all the way), snapped to the nearest value
    /// (ties: the smaller move); a categorical issue changes iff the weight is at least 0.5.
    ///
    /// Under a biased objective, a move that lowers the mediator's utility (the issue moved
    /// alone) is *resisted*: halved. Resisting shortens a move but never cancels it: when the
    /// halved move would snap back to `t`'s option while the full move would not, the issue
    /// still moves one option towards `c`. A categorical move is all or nothing, so resisting
    /// cannot shorten it and it goes through. A counter-proposal always moves the text: when
    /// every issue's move snaps back to `t` (a low weight on a coarse scale), the issue that
    /// matters most to the party among those `c` changes (ties: the first) moves one option
    /// towards `c`. If the resulting text would cross the mediator's
    /// red lines, the issues move one at a time in issue order, each only if the text so far
    /// stays clear of them (so a text `t` clear of them gives a text clear of them).
    ///
    /// This is the omniscient mediator's composition: the party's weights are read from its
    /// utility, and the objective is evaluated on the true utilities. A votes-only mediator
    /// composes with [`Self::compose_votes`].
    pub fn compose(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId) -> OutcomeId {
        self.compose_revision(obj, t, p, c).0
    }

    /// [`Self::compose`] by a votes-only mediator that has learnt `model` (its observations up
    /// to and including this counter-proposal): the move on each issue is the party's
    /// [`votes_weights`], and a move is resisted when it lowers the objective as the mediator
    /// can evaluate it ([`MediatorModel::objective`]: its own utility when biased, the
    /// estimates otherwise). A pure function of the model, so a trace replays.
    pub fn compose_votes(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId, model: &MediatorModel) -> OutcomeId {
        self.compose_votes_revision(obj, t, p, c, model).0
    }

    /// [`Self::compose`], with the issues the mediator resisted.
    pub(crate) fn compose_revision(&self, obj: Objective, t: OutcomeId, p: usize, c: OutcomeId) -> (OutcomeId, Vec<(usize, f64)>) {
        let w = &self.weights[self.parties[p]];
        self.compose_moves(obj, t, c, w, &|o| self.objective(obj, o))
    }

    /// [`Self::compose_votes`], with the issues the mediator resisted.
    pub(crate) fn compose_votes_revision(
        &self,
        obj: Objective,
        t: OutcomeId,
        p: usize,
        c: OutcomeId,
        model: &MediatorModel,
    ) -> (OutcomeId, Vec<(usize, f64)>) {
        let w = votes_weights(model, p);
        self.compose_moves(obj, t, c, &w, &|o| self.model_objective(model, obj, o))
    }

    /// The objective of `o` as a votes-only mediator evaluates it.
    fn model_objective(&self, model: &MediatorModel, obj: Objective, o: OutcomeId) -> f64 {
        ModelObjective::of(obj, &self.prepared).map_or(f64::NEG_INFINITY, |m| model.objective(m, o))
    }

    /// [`Self::compose`] with the party's weights `w` and the objective `value`, and the
    /// issues the mediator resisted (their index, and the objective lost had it let the full
    /// move through on that issue alone).
    fn compose_moves(
        &self,
        obj: Objective,
        t: OutcomeId,
        c: OutcomeId,
        w: &[f64],
        value: &dyn Fn(OutcomeId) -> f64,
    ) -> (OutcomeId, Vec<(usize, f64)>) {
        let (ti, ci) = (self.decode(t), self.decode(c));
        // (once: under votes knowledge each evaluation re-reads the model's walk-away levels)
        let at_t = value(t);
        let mut out = ti.clone();
        let mut resisted = Vec::new();
        for j in 0..self.radices.len() {
            if ti[j] == ci[j] {
                continue;
            }
            let full = self.step_towards(j, ti[j], ci[j], w[j]);
            out[j] = full;
            {
                let mut probe = ti.clone();
                probe[j] = ci[j];
                let loss = at_t - value(self.encode(&probe));
                // (a loss within rounding noise is none)
                if loss > 1e-12 && self.ordered[j] && full != ti[j] {
                    let half = self.step_towards(j, ti[j], ci[j], 0.5 * w[j]);
                    out[j] = if half != ti[j] { half } else { self.one_option_towards(j, ti[j], ci[j]) };
                    resisted.push((j, loss));
                }
            }
        }
        if out == ti && ti != ci {
            // every move snapped back: the counter-proposal is not dropped, the issue that
            // matters most to the party among those it changed moves one option towards it
            let j = (0..ti.len()).filter(|&j| ti[j] != ci[j]).fold(None::<usize>, |b, j| match b {
                Some(b) if w[b] >= w[j] => Some(b),
                _ => Some(j),
            });
            if let Some(j) = j {
                out[j] = if self.ordered[j] { self.one_option_towards(j, ti[j], ci[j]) } else { ci[j] };
            }
        }
        let text = self.encode(&out);
        if self.mediator_accepts(obj, text) {
            return (text, resisted);
        }
        let mut g = ti;
        for (j, &v) in out.iter().enumerate() {
            let was = std::mem::replace(&mut g[j], v);
            if !self.mediator_accepts(obj, self.encode(&g)) {
                g[j] = was;
            }
        }
        (self.encode(&g), resisted)
    }

    /// The option of ordered issue `j` next to `from` on the scale in the direction of `to`:
    /// of the options whose position lies beyond `from`'s, up to `to`'s, the nearest to `from`
    /// (ties: `to` itself, then the lowest index).
    fn one_option_towards(&self, j: usize, from: u32, to: u32) -> u32 {
        let pos = &self.positions[j];
        let (a, b) = (pos[from as usize], pos[to as usize]);
        let (lo, hi) = (a.min(b), a.max(b));
        let mut best = to;
        for (i, &x) in pos.iter().enumerate() {
            if i as u32 != from && x >= lo && x <= hi && x != a && (x - a).abs() < (pos[best as usize] - a).abs() {
                best = i as u32;
            }
        }
        best
    }

    /// Issue `j` moved from option `from` towards `to` by the fraction `step` of the way,
    /// snapped to the nearest option (ties: the smaller move); a categorical issue moves iff
    /// `step ≥ 0.5`.
    fn step_towards(&self, j: usize, from: u32, to: u32, step: f64) -> u32 {
        if self.ordered[j] {
            let (a, b) = (self.positions[j][from as usize], self.positions[j][to as usize]);
            nearest(&self.positions[j], a + step * (b - a), Some(a))
        } else if step >= 0.5 {
            to
        } else {
            from
        }
    }
}

/// Index of the position nearest `x` (ties: nearest to `toward`, then lowest index).
fn nearest(pos: &[f64], x: f64, toward: Option<f64>) -> u32 {
    let score = |p: f64| ((p - x).abs(), toward.map_or(0.0, |a| (p - a).abs()));
    detente_core::select::argmin(pos.iter().enumerate().map(|(i, &p)| (i as u32, score(p)))).map_or(0, |b| b.0)
}

/// How far a votes-only shuttle mediator moves each issue towards party `p`'s
/// counter-proposal (the omniscient mediator's per-issue weights, estimated): the party's
/// estimated issue weights ([`MediatorModel::issue_weights`]) rescaled so that the issue it
/// seems to care most about has 1, shrunk towards splitting the difference (0.5 on every
/// issue) by how little the mediator has seen of the party: with `k` comparisons and
/// counter-proposals observed and `n` issues, `0.5 + k/(k+n)·(ŵ − 0.5)`. Before its first
/// counter-proposal a party's text is met halfway on every issue; the estimate takes over as
/// evidence accumulates (a shrinkage estimator with `n` pseudo-observations, one per issue).
pub fn votes_weights(model: &MediatorModel, p: usize) -> Vec<f64> {
    let est = model.issue_weights(p);
    let top = est.iter().copied().fold(0.0, f64::max);
    let (comparisons, counters, _) = model.observed(p);
    let k = f64::from(comparisons + counters);
    let trust = k / (k + est.len().max(1) as f64);
    est.iter().map(|&w| 0.5 + trust * ((if top > 0.0 { w / top } else { 1.0 }) - 0.5)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_prefers_the_smaller_move_on_ties() {
        let pos = [0.0, 50.0, 100.0];
        assert_eq!(nearest(&pos, 25.0, Some(0.0)), 0);
        assert_eq!(nearest(&pos, 25.0, Some(50.0)), 1);
        assert_eq!(nearest(&pos, 74.0, None), 1);
        assert_eq!(nearest(&pos, 76.0, None), 2);
    }
}
