//! Evaluating every party's utility over ranges of outcome indices, without building outcomes.
//!
//! Additive utilities (every built-in utility except explicit tables) are evaluated from their
//! per-issue tables with an *odometer over value indices*: the partial sums
//! `bias + t_0[v_0] + … + t_j[v_j]` are kept per issue level and only the levels below the digit
//! that changed are recomputed, so an outcome costs about one addition per party. The sum is the
//! same left fold, in issue order, as [`detente_core::AdditiveTables::eval`] and as NegMAS's
//! `LinearAdditiveUtilityFunction`, so the floats are bit-identical (NegMAS's Pareto membership
//! depends on 1-ulp differences). Explicit tables are read by outcome index; anything else falls
//! back to [`UtilityFunction::utility`] on the decoded outcome.

use crate::AnalysisError;
use detente_core::{AdditiveTables, OutcomeSpace, TableUtility, Utility, UtilityFunction};

enum Source<'a> {
    Additive(AdditiveTables),
    Table(&'a TableUtility),
    Generic(&'a Utility),
}

/// Evaluates a fixed list of utility functions over an enumerable outcome space.
pub struct Evaluator<'a> {
    space: &'a OutcomeSpace,
    radices: Vec<u32>,
    n: u64,
    sources: Vec<Source<'a>>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator for `utilities` (one per party, in party order) over `space`, which must have
    /// at most `limit` outcomes. `names` label the parties in errors.
    pub fn new(space: &'a OutcomeSpace, utilities: &[&'a Utility], names: &[&str], limit: u64) -> Result<Self, AnalysisError> {
        let n = space.enumerable("the analysis", limit)?;
        let radices = space
            .radices()
            .and_then(|r| r.into_iter().map(|x| u32::try_from(x).ok()).collect::<Option<Vec<u32>>>())
            .ok_or_else(|| AnalysisError::NotEnumerable { reason: "an issue has more than 2^32 values".into() })?;
        crate::large::check_tabulable(space)?;
        let mut sources = Vec::with_capacity(utilities.len());
        for (k, u) in utilities.iter().enumerate() {
            let name = names.get(k).copied().unwrap_or("?");
            let src = match u.additive_tables(space) {
                Some(t) => {
                    // every entry finite, and no sum of them overflowing to infinity either (the
                    // negotiation refuses by the same rule)
                    if t.non_finite().is_some() {
                        return Err(AnalysisError::NonFinite { actor: name.to_string() });
                    }
                    Source::Additive(t)
                }
                None => match u {
                    Utility::Table(t) => {
                        if !t.default.is_finite() || t.entries.iter().any(|e| !e.1.is_finite()) {
                            return Err(AnalysisError::NonFinite { actor: name.to_string() });
                        }
                        Source::Table(t)
                    }
                    other => Source::Generic(other),
                },
            };
            sources.push(src);
        }
        Ok(Evaluator { space, radices, n, sources })
    }

    /// The space evaluated.
    pub fn space(&self) -> &'a OutcomeSpace {
        self.space
    }

    /// Number of parties.
    pub fn parties(&self) -> usize {
        self.sources.len()
    }

    /// Number of outcomes.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether the space is empty.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Whether every party is evaluated from additive tables.
    pub fn all_additive(&self) -> bool {
        self.sources.iter().all(|s| matches!(s, Source::Additive(_)))
    }

    /// Exact (min, max) of each party's utility over the whole space, where it can be had without
    /// enumeration: for additive tables the left fold of per-issue minima (maxima) *is* the
    /// floating-point minimum (maximum) of all left folds, because IEEE addition is monotone in
    /// each argument (and so is the clamp); for explicit tables, the extreme entries (and the
    /// default when some outcome is unlisted). `None` for a generic utility.
    pub fn exact_ranges(&self) -> Vec<Option<(f64, f64)>> {
        self.sources
            .iter()
            .map(|s| match s {
                Source::Additive(t) => {
                    let (mut lo, mut hi) = (t.bias, t.bias);
                    for tab in &t.tables {
                        lo += tab.iter().copied().fold(f64::INFINITY, f64::min);
                        hi += tab.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    }
                    if let Some((a, b)) = t.clamp {
                        lo = lo.clamp(a, b);
                        hi = hi.clamp(a, b);
                    }
                    Some((lo, hi))
                }
                Source::Table(t) => {
                    let mut lo = f64::INFINITY;
                    let mut hi = f64::NEG_INFINITY;
                    for e in &t.entries {
                        lo = lo.min(e.1);
                        hi = hi.max(e.1);
                    }
                    if (t.entries.len() as u64) < self.n {
                        lo = lo.min(t.default);
                        hi = hi.max(t.default);
                    }
                    Some((lo, hi))
                }
                Source::Generic(_) => None,
            })
            .collect()
    }

    /// Evaluates outcomes `start .. start + len` for every party into `out`, party-major:
    /// `out[p * len + j]` is party `p`'s utility of outcome `start + j`.
    ///
    /// # Panics
    /// If `out` is shorter than `parties() * len` or the range exceeds the space (caller bug).
    pub fn eval(&self, start: u64, len: usize, out: &mut [f64]) {
        assert!(out.len() >= self.sources.len() * len, "invariant: output buffer sized by the caller");
        assert!(start + len as u64 <= self.n, "invariant: range inside the space");
        if len == 0 {
            return;
        }
        let additive: Vec<(usize, &AdditiveTables)> = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(p, s)| match s {
                Source::Additive(t) => Some((p, t)),
                _ => None,
            })
            .collect();
        if !additive.is_empty() {
            self.eval_additive(&additive, start, len, out);
        }
        let mut idx = vec![0u32; self.radices.len()];
        for (p, s) in self.sources.iter().enumerate() {
            let o = &mut out[p * len..(p + 1) * len];
            match s {
                Source::Additive(_) => {}
                Source::Table(t) => {
                    // Walk the sorted entries alongside the indices.
                    let mut e = t.entries.partition_point(|x| x.0 < start);
                    for (j, slot) in o.iter_mut().enumerate() {
                        let i = start + j as u64;
                        while e < t.entries.len() && t.entries[e].0 < i {
                            e += 1;
                        }
                        *slot = if e < t.entries.len() && t.entries[e].0 == i { t.entries[e].1 } else { t.default };
                    }
                }
                Source::Generic(u) => {
                    for (j, slot) in o.iter_mut().enumerate() {
                        let ok = self.space.value_indices_at(start + j as u64, &mut idx);
                        debug_assert!(ok);
                        *slot = match self.space.outcome_from_indices(&idx) {
                            Some(outcome) => u.utility(self.space, &outcome),
                            None => f64::NAN,
                        };
                    }
                }
            }
        }
    }

    fn eval_additive(&self, parties: &[(usize, &AdditiveTables)], start: u64, len: usize, out: &mut [f64]) {
        let k = self.radices.len();
        let mut digits = vec![0u32; k];
        let ok = self.space.value_indices_at(start, &mut digits);
        debug_assert!(ok, "invariant: start is inside the space");
        if k == 0 {
            for &(p, t) in parties {
                out[p * len] = finish(t.bias, t.clamp);
            }
            return;
        }
        // pre[q * k + j] = bias + t_0[v_0] + … + t_j[v_j] (left fold), for j < k - 1.
        let mut pre = vec![0.0f64; parties.len() * k];
        let recompute = |pre: &mut [f64], digits: &[u32], from: usize| {
            for (q, &(_, t)) in parties.iter().enumerate() {
                for j in from..k.saturating_sub(1) {
                    let base = if j == 0 { t.bias } else { pre[q * k + j - 1] };
                    pre[q * k + j] = base + t.tables[j][digits[j] as usize];
                }
            }
        };
        recompute(&mut pre, &digits, 0);
        let last = k - 1;
        let r_last = self.radices[last];
        let mut pos = 0usize;
        while pos < len {
            let v0 = digits[last] as usize;
            let m = ((r_last as usize) - v0).min(len - pos);
            for (q, &(p, t)) in parties.iter().enumerate() {
                let base = if last == 0 { t.bias } else { pre[q * k + last - 1] };
                let tab = &t.tables[last][v0..v0 + m];
                let o = &mut out[p * len + pos..p * len + pos + m];
                match t.clamp {
                    None => {
                        for (o, &x) in o.iter_mut().zip(tab) {
                            *o = base + x;
                        }
                    }
                    Some((lo, hi)) => {
                        for (o, &x) in o.iter_mut().zip(tab) {
                            *o = (base + x).clamp(lo, hi);
                        }
                    }
                }
            }
            pos += m;
            if pos >= len {
                break;
            }
            // Carry into the slower digits.
            digits[last] = 0;
            let mut level = last;
            loop {
                if level == 0 {
                    break; // wrapped past the end: cannot happen inside the space
                }
                level -= 1;
                digits[level] += 1;
                if digits[level] < self.radices[level] {
                    break;
                }
                digits[level] = 0;
            }
            recompute(&mut pre, &digits, level);
        }
    }
}

#[inline]
fn finish(u: f64, clamp: Option<(f64, f64)>) -> f64 {
    match clamp {
        Some((lo, hi)) => u.clamp(lo, hi),
        None => u,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detente_core::{Issue, LinearAdditive, ValueFunction};

    #[test]
    fn odometer_matches_direct_evaluation_bit_for_bit() {
        let space = OutcomeSpace::new(vec![
            Issue::categorical("a", &["x", "y", "z"]),
            Issue::integer("b", 0, 4, 1),
            Issue::categorical("c", &["p", "q"]),
        ]);
        let u = Utility::LinearAdditive(LinearAdditive {
            bias: 0.1,
            weights: vec![0.3, 0.7, 0.123],
            values: vec![
                ValueFunction::Table(vec![0.1, 0.55, 1.0]),
                ValueFunction::Affine { slope: 0.21, offset: 0.1, origin: 0.0, clamp01: false },
                ValueFunction::Table(vec![0.3, 0.9]),
            ],
            clamp: Some((f64::NEG_INFINITY, 1.0)),
        });
        let ev = Evaluator::new(&space, &[&u], &["u"], 1000).unwrap();
        for start in 0..30u64 {
            let len = (30 - start) as usize;
            let mut out = vec![0.0; len];
            ev.eval(start, len, &mut out);
            for (j, got) in out.iter().enumerate() {
                let o = space.outcome_at(start + j as u64).unwrap();
                assert_eq!(got.to_bits(), u.utility(&space, &o).to_bits(), "outcome {}", start + j as u64);
            }
        }
    }
}
