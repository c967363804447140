//! Which outcomes the required parties' red lines rule out, chunk by chunk.
//!
//! A deal that crosses a required party's red line is not a deal: that party will never accept
//! it. The analysis therefore works on the *acceptable* outcomes — those crossing no red line of
//! a party whose acceptance is required — and reports, for every such red line, how many deals
//! it rules out that would otherwise beat walking away for every required party (the lines that
//! *bind*).

use crate::AnalysisError;
use detente_core::{Actor, OutcomeSpace, RedLines};
use serde::Serialize;

/// The compiled red lines of the required parties.
pub(crate) struct Check {
    radices: Vec<u32>,
    /// `(party position in the analysis, that party's compiled lines)`.
    parties: Vec<(usize, RedLines)>,
    /// `(party position, line number within the party)` for every line, in order.
    pub(crate) lines: Vec<(usize, usize)>,
}

impl Check {
    /// `None` when no required party states a red line (the analysis then runs unchanged).
    pub(crate) fn new(space: &OutcomeSpace, actors: &[&Actor], required: &[bool]) -> Result<Option<Check>, AnalysisError> {
        let mut parties = Vec::new();
        let mut lines = Vec::new();
        for (p, a) in actors.iter().enumerate() {
            if !required[p] || a.red_lines.is_empty() {
                continue;
            }
            let compiled = RedLines::compile(space, &a.red_lines).ok_or_else(|| AnalysisError::NotEnumerable {
                reason: format!("a red line of `{}` names an issue without a finite list of values", a.id),
            })?;
            lines.extend((0..compiled.len()).map(|l| (parties.len(), l)));
            parties.push((p, compiled));
        }
        if parties.is_empty() {
            return Ok(None);
        }
        let radices = space
            .radices()
            .and_then(|r| r.into_iter().map(|x| u32::try_from(x).ok()).collect::<Option<Vec<u32>>>())
            .ok_or_else(|| AnalysisError::NotEnumerable { reason: "red lines need an enumerable space".into() })?;
        Ok(Some(Check { radices, parties, lines }))
    }

    /// The analysis position of the party owning line `i`.
    pub(crate) fn owner(&self, i: usize) -> usize {
        self.parties[self.lines[i].0].0
    }

    /// `ok[j]` = outcome `start + j` crosses no required party's red line.
    pub(crate) fn fill(&self, space: &OutcomeSpace, start: u64, ok: &mut [bool]) {
        let mut idx = vec![0u32; self.radices.len()];
        if !space.value_indices_at(start, &mut idx) {
            ok.fill(false);
            return;
        }
        for slot in ok.iter_mut() {
            *slot = !self.parties.iter().any(|(_, l)| l.crossed(&idx));
            let mut k = idx.len();
            while k > 0 {
                k -= 1;
                idx[k] += 1;
                if idx[k] < self.radices[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
    }

    /// Adds to `per_line[i]` every outcome `start + j` with `which[j]` that crosses line `i`.
    pub(crate) fn count_lines(&self, space: &OutcomeSpace, start: u64, which: &[bool], per_line: &mut [u64]) {
        let mut idx = vec![0u32; self.radices.len()];
        for (j, _) in which.iter().enumerate().filter(|(_, &w)| w) {
            if !space.value_indices_at(start + j as u64, &mut idx) {
                continue;
            }
            for (i, &(p, l)) in self.lines.iter().enumerate() {
                if self.parties[p].1.crosses_line(l, &idx) {
                    per_line[i] += 1;
                }
            }
        }
    }
}

/// What one required party's red line does to the deals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedLineEffect {
    /// The actor whose red line it is.
    pub actor: String,
    /// The red line in words (`nato = membership`).
    pub red_line: String,
    /// Its citation or reason, when the scenario gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Deals it rules out that beat walking away for every required party (0: it does not bind).
    pub rules_out: u64,
}

/// The red lines' effect on the zone of agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedLineSummary {
    /// Outcomes crossing at least one required party's red line.
    pub excluded: u64,
    /// Deals beating walking away for every required party before red lines are applied.
    pub zone_without_red_lines: u64,
    /// Every required party's red line, in actor then file order.
    pub lines: Vec<RedLineEffect>,
}

impl RedLineSummary {
    /// The red lines that rule out at least one deal of the zone.
    pub fn binding(&self) -> impl Iterator<Item = &RedLineEffect> {
        self.lines.iter().filter(|l| l.rules_out > 0)
    }
}
