//! Property test: the engine (state machine + session + NegMAS time-based negotiators with the
//! galloping search) against a brute-force oracle transcribed from
//! `shared/tools/negmas-peer/check_semantics.py` (linear scans, no search, no hints), on random
//! utility tables full of ties, random reserved values, 2-4 parties and random deadlines.

use detente_agents::TimeBased;
use detente_protocol::{Action, Negotiator, PartyUtility, PreparedScenario, Session, SessionConfig, Status};
use proptest::prelude::*;
use std::sync::Arc;

struct Oracle {
    e: f64,
    eps: f64,
    u: Vec<f64>,
    lo: f64,
    hi: f64,
    order: Vec<usize>,
}

impl Oracle {
    fn new(tb: TimeBased, u: Vec<f64>, rv: Option<f64>) -> Self {
        let mn = u.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = mn.max(rv.unwrap_or(f64::NEG_INFINITY));
        let mut order: Vec<usize> = (0..u.len()).collect();
        order.sort_by(|&a, &b| u[a].partial_cmp(&u[b]).unwrap()); // stable: ties by index
        Oracle { e: tb.exponent, eps: tb.eps, u, lo, hi, order }
    }
    fn threshold(&self, t: f64) -> f64 {
        let a = 1.0 - t.powf(self.e);
        let th = self.lo + a * (self.hi - self.lo) - self.eps;
        self.hi.min(self.lo.max(th))
    }
    fn accepts(&self, o: usize, t: f64) -> bool {
        let th = self.threshold(t);
        th <= self.u[o] && self.u[o] <= self.hi.min(self.hi + self.eps)
    }
    fn propose(&self, t: f64) -> usize {
        let th = self.threshold(t);
        let cand: Vec<usize> = self.order.iter().copied().filter(|&i| self.u[i] >= th).collect();
        if cand.is_empty() {
            return *self.order.last().unwrap();
        }
        let mut best = cand[0];
        let below: Vec<usize> = self.order.iter().copied().filter(|&i| th - 1e-6 <= self.u[i] && self.u[i] < th).collect();
        if let Some(&last) = below.last() {
            if (self.u[last] - th).abs() < (self.u[best] - th).abs() {
                let d = below.iter().map(|&i| (self.u[i] - th).abs()).fold(f64::INFINITY, f64::min);
                best = *below.iter().find(|&&i| (self.u[i] - th).abs() == d).unwrap();
            }
        }
        best
    }
}

/// (agreement outcome and round, offers as (round, party, outcome)).
type Run = (Option<(usize, u32)>, Vec<(u32, usize, usize)>);

fn simulate(negs: &[Oracle], n_steps: u32) -> Run {
    let n = negs.len();
    let (mut offer, mut acc, mut trace) = (None::<usize>, 0, Vec::new());
    for step in 0..n_steps {
        let t = f64::from(step + 1) / (f64::from(n_steps) + 1.0);
        for (k, neg) in negs.iter().enumerate() {
            if let Some(o) = offer {
                if neg.accepts(o, t) {
                    acc += 1;
                    if acc == n {
                        return (Some((o, step)), trace);
                    }
                    continue;
                }
            }
            let o = neg.propose(t);
            offer = Some(o);
            acc = 1;
            trace.push((step, k, o));
        }
    }
    (None, trace)
}

const KINDS: [TimeBased; 4] = [TimeBased::BOULWARE, TimeBased::LINEAR, TimeBased::CONCEDER, TimeBased::ASPIRATION];

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn engine_equals_the_brute_force_oracle(
        n_outcomes in 1usize..60,
        parties in proptest::collection::vec((0usize..4, proptest::option::of(0u8..10)), 2..5),
        seed_utils in proptest::collection::vec(0u8..12, 240),
        n_steps in 1u32..60,
    ) {
        // coarse utility levels: many exact ties
        let tables: Vec<Vec<f64>> = (0..parties.len()).map(|k| (0..n_outcomes).map(|i| f64::from(seed_utils[(k * 60 + i) % 240]) / 4.0).collect()).collect();
        let oracles: Vec<Oracle> = parties.iter().zip(&tables).map(|(&(kind, rv), u)| Oracle::new(KINDS[kind], u.clone(), rv.map(|r| f64::from(r) / 4.0))).collect();
        let (want, want_trace) = simulate(&oracles, n_steps);
        let utils: Vec<Arc<PartyUtility>> = parties.iter().zip(&tables).map(|(&(_, rv), u)| Arc::new(PartyUtility::from_utilities(u.clone(), rv.map(|r| f64::from(r) / 4.0), "p").unwrap())).collect();
        let space = detente_core::OutcomeSpace::new(vec![detente_core::Issue::integer("x", 0, n_outcomes as i64 - 1, 1)]);
        let prepared = Arc::new(PreparedScenario::from_parts(space, (0..parties.len()).map(|k| format!("p{k}")).collect(), utils));
        let negs: Vec<Box<dyn Negotiator>> = parties.iter().map(|&(kind, _)| Box::new(KINDS[kind]) as Box<dyn Negotiator>).collect();
        let mut s = Session::new(prepared, (0..parties.len()).collect(), negs, SessionConfig::rounds(n_steps)).unwrap();
        let r = s.run(&mut ());
        let got_trace: Vec<(u32, usize, usize)> = s.history().iter().filter_map(|e| match e.action { Action::Offer(o) => Some((e.round, e.actor as usize, o as usize)), _ => None }).collect();
        let got = match r.status { Status::Agreed { outcome, round } => Some((outcome as usize, round)), Status::TimedOut => None, other => panic!("{other:?}") };
        prop_assert_eq!(got, want);
        prop_assert_eq!(got_trace, want_trace);
    }
}
