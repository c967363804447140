//! Opponent models: estimates of the other party's utility learnt from its offers.

use crate::util::decode;
use detente_protocol::OutcomeId;

/// An estimate of an opponent's utility, learnt from the offers it makes.
pub trait OpponentModel: Send {
    /// Observes the opponent's next offer.
    fn update(&mut self, offer: OutcomeId);
    /// Estimated opponent utility of an outcome, in [0, 1].
    fn eval(&self, outcome: OutcomeId) -> f64;
    /// Number of offers observed.
    fn observed(&self) -> usize;
}

/// The HardHeaded frequency model (Krimpen, Looije & Hajizadeh, ANAC 2011; GENIUS
/// `HardHeadedFrequencyModel`), the most reused opponent model:
///
/// - init: every issue weight `1/n`, every value count 1;
/// - from the 2nd offer on, comparing it with the previous one: with `u` = number of issues
///   whose value did not change, `g = l/n`, `total = 1 + g·u`, `max_w = 1 − n·g/total`:
///   an unchanged issue with `w < max_w` gets `w ← (w + g)/total`, every other `w ← w/total`;
///   then each issue's count of the new offer's value grows by 1;
/// - estimate `Û(ω) = Σ_i w_i · count_i(ω_i) / max_v count_i(v)`.
///
/// Default learning coefficient `l = 0.2`. Difference from GENIUS: GENIUS's `setWeight()`
/// renormalises the objective tree with a 0.05 correction; this is the clean formula (the
/// spec's recommendation). Cost: O(issues) per update and per evaluation.
#[derive(Debug, Clone)]
pub struct FrequencyModel {
    radices: Vec<u32>,
    weights: Vec<f64>,
    counts: Vec<Vec<f64>>,
    max_count: Vec<f64>,
    last: Option<Vec<u32>>,
    l: f64,
    n: usize,
    scratch: Vec<u32>,
}

impl FrequencyModel {
    /// A model for a space with these per-issue value counts, learning coefficient `l`.
    pub fn new(radices: Vec<u32>, l: f64) -> Self {
        let k = radices.len().max(1);
        FrequencyModel {
            weights: vec![1.0 / k as f64; radices.len()],
            counts: radices.iter().map(|&r| vec![1.0; r as usize]).collect(),
            max_count: vec![1.0; radices.len()],
            scratch: vec![0; radices.len()],
            radices,
            last: None,
            l,
            n: 0,
        }
    }

    /// Current issue weights.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Current value counts of an issue.
    pub fn counts(&self, issue: usize) -> &[f64] {
        &self.counts[issue]
    }
}

impl OpponentModel for FrequencyModel {
    fn update(&mut self, offer: OutcomeId) {
        self.n += 1;
        let mut cur = vec![0; self.radices.len()];
        decode(&self.radices, offer, &mut cur);
        if let Some(prev) = &self.last {
            let n = self.radices.len() as f64;
            let g = self.l / n;
            let unchanged = prev.iter().zip(&cur).filter(|(a, b)| a == b).count() as f64;
            let total = 1.0 + g * unchanged;
            let max_w = 1.0 - n * g / total;
            for (i, w) in self.weights.iter_mut().enumerate() {
                if prev[i] == cur[i] && *w < max_w {
                    *w = (*w + g) / total;
                } else {
                    *w /= total;
                }
            }
            for (i, &v) in cur.iter().enumerate() {
                let c = &mut self.counts[i][v as usize];
                *c += 1.0;
                if *c > self.max_count[i] {
                    self.max_count[i] = *c;
                }
            }
        }
        self.last = Some(cur);
    }

    fn eval(&self, outcome: OutcomeId) -> f64 {
        let mut idx = self.scratch.clone();
        decode(&self.radices, outcome, &mut idx);
        idx.iter().enumerate().map(|(i, &v)| self.weights[i] * self.counts[i][v as usize] / self.max_count[i]).sum()
    }

    fn observed(&self) -> usize {
        self.n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_model_follows_the_hardheaded_update() {
        // 2 issues with 3 values each; outcome = 3*a + b
        let mut m = FrequencyModel::new(vec![3, 3], 0.2);
        m.update(3 * 2 + 1);
        assert_eq!(m.weights(), &[0.5, 0.5], "the first offer teaches nothing");
        assert_eq!(m.counts(0), &[1.0, 1.0, 1.0]);
        // second offer keeps issue 0 (value 2), changes issue 1
        m.update(6); // (2, 0)
        let g = 0.2 / 2.0;
        let total = 1.0 + g;
        let max_w = 1.0 - 2.0 * g / total;
        assert!(0.5 < max_w);
        assert_eq!(m.weights(), &[(0.5 + g) / total, 0.5 / total]);
        assert_eq!(m.counts(0), &[1.0, 1.0, 2.0]);
        assert_eq!(m.counts(1), &[2.0, 1.0, 1.0]);
        // estimate: w0 * 2/2 + w1 * 2/2 for outcome (2, 0)
        let w = m.weights().to_vec();
        assert_eq!(m.eval(6), w[0] + w[1]);
        assert_eq!(m.eval(4), w[0] * 0.5 + w[1] * 0.5);
        assert_eq!(m.observed(), 2);
    }
}
