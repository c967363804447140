//! The reference-dependent negotiator (our own, for the seed's claim L29 that early
//! concessions invite larger demands), and the opening-concession wrapper.

use crate::time_based::{negmas_nearest_above, TimeBased};
use crate::util::time_of_round;
use detente_core::{Condition, OutcomeSpace, Value};
use detente_protocol::{Action, Negotiator, OutcomeId, PartyUtility, View};

/// A time-based negotiator whose reference point — its maximum aspiration — rises when the
/// other side concedes early (mediation-protocols.md §4; Kahneman & Tversky's reference
/// dependence applied to demands: a concession is read as a signal of weakness).
///
/// It concedes like a NegMAS time-based negotiator ([`TimeBased`]) with exponent `e` and
/// `max_aspiration = m`. It starts at `m = m0`. While `t ≤ τ`, with `Δ` how much the opponents'
/// offers have given it — in its utility normalised over its whole range `[min, max]` — it
/// sets `m = min(1, m0 + κ·Δ)`; after `τ` the reference stays where it is (it never goes down).
///
/// `Δ` is measured from a reference (parameter `from`):
/// - [`Reference::FirstOffer`] (the spec's wording): the rise since the opponent's first offer
///   (best early offer minus first). Concessions *during* `[0, τ]` count; an opening
///   concession, already in the first offer, does not.
/// - [`Reference::Floor`] (default): the best early offer minus the party's worst outcome — how
///   generous the opponent has been from the start, so an opening concession counts (the
///   `early_concession` variant fixes Ukraine's offers from round 0).
///
/// Defaults: `e = 2`, `m0 = 0.6` (it opens asking 60% of its range, leaving room to harden),
/// `τ = 0.2`, `κ = 1`, `eps = 1e-4`, `from = floor`. With `κ = 0` it is a plain time-based
/// negotiator with `max_aspiration = m0`.
#[derive(Debug, Clone)]
pub struct ReferenceDependent {
    /// Curve exponent.
    pub exponent: f64,
    /// Initial maximum aspiration (normalised).
    pub m0: f64,
    /// Fraction of the time during which concessions move the reference.
    pub tau: f64,
    /// How much a unit of opponent concession raises the aspiration.
    pub kappa: f64,
    /// Threshold slack.
    pub eps: f64,
    /// Where concessions are measured from.
    pub from: Reference,
    m: f64,
    first: Option<f64>,
    best: f64,
    seen: usize,
}

impl ReferenceDependent {
    /// With these parameters.
    pub fn new(exponent: f64, m0: f64, tau: f64, kappa: f64) -> Self {
        ReferenceDependent {
            exponent,
            m0,
            tau,
            kappa,
            eps: 1e-4,
            from: Reference::Floor,
            m: m0,
            first: None,
            best: f64::NEG_INFINITY,
            seen: 0,
        }
    }

    /// The same, measuring concessions from `from`.
    pub fn with_reference(mut self, from: Reference) -> Self {
        self.from = from;
        self
    }

    /// The documented defaults.
    pub fn default_params() -> Self {
        Self::new(2.0, 0.6, 0.2, 1.0)
    }

    /// The current maximum aspiration.
    pub fn aspiration(&self) -> f64 {
        self.m
    }

    /// Feeds the opponent's offers seen so far (updates the reference).
    pub fn observe(&mut self, v: &View<'_>) {
        let (mut first, mut best) = (self.first, self.best);
        let (m0, kappa, tau, from) = (self.m0, self.kappa, self.tau, self.from);
        let mut m = self.m;
        let u = v.utility;
        let range = u.max() - u.min();
        self.seen = crate::util::new_offers(v, self.seen, |ev, o| {
            let x = if range > 0.0 { (u.utility(o) - u.min()) / range } else { 1.0 };
            if time_of_round(ev.round, v.n_rounds) > tau {
                return;
            }
            let f = *first.get_or_insert(x);
            best = best.max(x);
            let delta = match from {
                Reference::FirstOffer => best - f,
                Reference::Floor => best,
            };
            m = m.max((m0 + kappa * delta).min(1.0));
        });
        self.first = first;
        self.best = best;
        self.m = m;
    }
}

impl Negotiator for ReferenceDependent {
    fn act(&mut self, v: &View<'_>) -> Action {
        self.observe(v);
        let tb = TimeBased::new(self.exponent, self.eps, self.m);
        let th = tb.threshold(v.utility, v.time);
        if let Some(s) = v.acceptable_offer() {
            if tb.accepts_at(v.utility, s.outcome, th) {
                return Action::Accept;
            }
        }
        Action::Offer(negmas_nearest_above(v.utility, th))
    }
}

/// Where the reference-dependent negotiator measures the opponent's concessions from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The opponent's first offer.
    FirstOffer,
    /// The party's own worst outcome.
    Floor,
}

/// An opening concession (scenario `openings`, e.g. the `early_concession` variant): the wrapped
/// negotiator's offers all carry the conceded value on the given issues — a concession once
/// made is not withdrawn. Acceptance decisions are the inner negotiator's.
///
/// Red lines: an opening that leaves the party no acceptable outcome is refused at set-up
/// ([`WithOpening::check_red_lines`]). When the inner negotiator's offer, with the conceded
/// values, crosses a red line (a line on conceded and free issues together), it offers instead
/// the worst acceptable outcome with the conceded values that is at least as good for it (the
/// best such outcome if none is).
pub struct WithOpening {
    inner: Box<dyn Negotiator>,
    /// (issue index, value index) pairs.
    fixes: Vec<(usize, u32)>,
    radices: Vec<u64>,
}

impl std::fmt::Debug for WithOpening {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithOpening").field("fixes", &self.fixes).finish_non_exhaustive()
    }
}

/// Why an opening concession cannot be played.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningError {
    /// The outcome space has a continuous issue, so outcomes have no index to fix.
    #[error("the outcome space is continuous")]
    Continuous,
    /// The concession names an issue the space does not have.
    #[error("unknown issue `{0}`")]
    UnknownIssue(String),
    /// The conceded value is not one of the issue's.
    #[error("value not admitted by issue `{0}`")]
    NotAdmitted(String),
    /// The concession alone crosses one of the party's own red lines.
    #[error("the opening concession crosses its own red line `{0}`")]
    CrossesRedLine(String),
    /// With the concession every outcome crosses one of the party's red lines.
    #[error("with the opening concession every outcome crosses one of its own red lines")]
    NothingAcceptable,
}

impl WithOpening {
    /// Wraps `inner`; `fixes` are (issue id, value) pairs checked against `space`.
    pub fn new(inner: Box<dyn Negotiator>, space: &OutcomeSpace, fixes: &[(String, Value)]) -> Result<Self, OpeningError> {
        let radices = space.radices().ok_or(OpeningError::Continuous)?;
        let mut out = Vec::new();
        for (issue, value) in fixes {
            let i = space.issue_index(issue).ok_or_else(|| OpeningError::UnknownIssue(issue.clone()))?;
            let v = space.issues()[i].index_of(value).ok_or_else(|| OpeningError::NotAdmitted(issue.clone()))?;
            out.push((i, v));
        }
        Ok(WithOpening { inner, fixes: out, radices })
    }

    /// Refuses an opening that crosses one of the party's red lines (`u` its utility, over
    /// `space`) on its own, or that leaves it no acceptable outcome; the reason otherwise.
    pub fn check_red_lines(&self, u: &PartyUtility, space: &OutcomeSpace) -> Result<(), OpeningError> {
        if u.n_acceptable() == u.len() {
            return Ok(());
        }
        let fixed = |k: usize| self.fixes.iter().rev().find(|f| f.0 == k).map(|f| f.1);
        let crossed = |c: &Condition, k: usize| {
            let issue = &space.issues()[k];
            fixed(k).and_then(|v| issue.value_at(v)).is_some_and(|v| c.matches(issue, &v))
        };
        for line in u.red_lines() {
            if line.terms.iter().all(|(id, c)| space.issue_index(id).is_some_and(|k| crossed(c, k))) {
                return Err(OpeningError::CrossesRedLine(line.describe(space)));
            }
        }
        if !u.order().iter().any(|&o| self.fix(u64::from(o)) == u64::from(o)) {
            return Err(OpeningError::NothingAcceptable);
        }
        Ok(())
    }

    /// `o` with the fixed issues set to their conceded values.
    pub fn fix(&self, o: OutcomeId) -> OutcomeId {
        let mut digits = vec![0u64; self.radices.len()];
        let mut x = o;
        for (d, &r) in digits.iter_mut().zip(&self.radices).rev() {
            *d = x % r;
            x /= r;
        }
        for &(i, v) in &self.fixes {
            digits[i] = u64::from(v);
        }
        digits.iter().zip(&self.radices).fold(0, |acc, (&d, &r)| acc * r + d)
    }
}

impl Negotiator for WithOpening {
    fn act(&mut self, v: &View<'_>) -> Action {
        match self.inner.act(v) {
            Action::Offer(o) => {
                let f = self.fix(o);
                let u = v.utility;
                if u.acceptable(f) {
                    return Action::Offer(f);
                }
                // the worst acceptable outcome with the conceded values at least as good as
                // `f`, else the best below it; none only if `check_red_lines` was skipped
                let from = u.rank_at_least(u.get(f).unwrap_or(f64::INFINITY));
                let keeps = |&r: &usize| self.fix(u.at_rank(r)) == u.at_rank(r);
                match (from..u.n_acceptable()).find(keeps).or_else(|| (0..from).rev().find(keeps)) {
                    Some(r) => Action::Offer(u.at_rank(r)),
                    None => Action::End,
                }
            }
            a => a,
        }
    }

    fn vote(&mut self, v: &View<'_>, proposal: OutcomeId, current: Option<OutcomeId>) -> bool {
        self.inner.vote(v, proposal, current)
    }
}
