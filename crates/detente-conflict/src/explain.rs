//! Explanations as data: for a (DM, state, concept), each unilateral improvement and the
//! sanction that deters it (the path of moves), or that nothing does — with a description in
//! words using the DMs' and options' names.

use std::fmt;

use serde::Serialize;

use crate::model::Conflict;
use crate::stability::{Concept, Movers, RawStep};

/// One move of a path: who moves, to which state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The mover's name (a DM, or a coalition `A+B`).
    pub mover: String,
    /// The state moved to (1-based number).
    pub to: usize,
    /// That state in words (the options taken, or the graph-form name).
    pub to_name: String,
}

/// One unilateral improvement and whether (how) it is deterred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImprovementVerdict {
    /// The improved state (1-based).
    pub to: usize,
    /// That state in words.
    pub to_name: String,
    /// The sanction: the others' moves after the improvement, ending in a state the DM likes
    /// no better than where it started; `None` when the improvement is not deterred. For SIM
    /// the steps are simultaneous.
    pub sanction: Option<Vec<Step>>,
}

/// Why a state is or is not stable for a DM under a concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The DM (or coalition) name.
    pub dm: String,
    /// The state (1-based).
    pub state: usize,
    /// The state in words.
    pub state_name: String,
    /// The concept.
    pub concept: Concept,
    /// Whether the state is stable: every improvement deterred.
    pub stable: bool,
    /// The DM's unilateral improvements from the state.
    pub improvements: Vec<ImprovementVerdict>,
}

pub(crate) fn steps(conflict: &Conflict, movers: &Movers<'_>, raw: &[RawStep]) -> Vec<Step> {
    raw.iter().map(|r| Step { mover: movers.movers[r.mover].name.clone(), to: r.to + 1, to_name: conflict.state_name(r.to) }).collect()
}

/// The explanation for mover `i` at state `s` (0-based) under `c`; `None` for SIM in graph
/// form, or when there is no such mover or state.
pub fn explain(conflict: &Conflict, movers: &Movers<'_>, i: usize, s: usize, c: Concept) -> Option<Explanation> {
    let verdicts = movers.verdicts(i, s, c)?;
    let improvements: Vec<ImprovementVerdict> = verdicts
        .iter()
        .map(|v| ImprovementVerdict {
            to: v.to + 1,
            to_name: conflict.state_name(v.to),
            sanction: v.sanction.as_ref().map(|p| steps(conflict, movers, p)),
        })
        .collect();
    Some(Explanation {
        dm: movers.movers[i].name.clone(),
        state: s + 1,
        state_name: conflict.state_name(s),
        concept: c,
        stable: improvements.iter().all(|u| u.sanction.is_some()),
        improvements,
    })
}

impl Explanation {
    /// The explanation in words.
    pub fn describe(&self) -> String {
        self.to_string()
    }
}

/// `3 (Modify + Accept)`, or just `3` when the state's name is its number.
fn named(n: usize, name: &str) -> String {
    if name == n.to_string() || name.is_empty() {
        n.to_string()
    } else {
        format!("{n} ({name})")
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.stable { "stable" } else { "unstable" };
        write!(f, "State {} is {} {} for {}", named(self.state, &self.state_name), self.concept, verdict, self.dm)?;
        if self.improvements.is_empty() {
            return write!(f, ": {} has no unilateral improvement from it.", self.dm);
        }
        write!(f, ".")?;
        for u in &self.improvements {
            write!(f, " {} could improve to {}", self.dm, named(u.to, &u.to_name))?;
            match &u.sanction {
                None if self.concept == Concept::Nash => write!(f, ".")?,
                None => write!(f, ", and nothing the others can do deters it.")?,
                Some(path) => {
                    let simultaneous = matches!(self.concept, Concept::Sim) && path.len() > 1;
                    let moves: Vec<String> = if simultaneous {
                        vec![format!(
                            "{} moving at the same time to {}",
                            path.iter().map(|s| s.mover.as_str()).collect::<Vec<_>>().join(" and "),
                            named(path[0].to, &path[0].to_name)
                        )]
                    } else {
                        path.iter().map(|s| format!("{} moves to {}", s.mover, named(s.to, &s.to_name))).collect()
                    };
                    write!(f, ", but is deterred: then {}, which {} likes no better than {}.", moves.join(", then "), self.dm, self.state)?;
                }
            }
        }
        Ok(())
    }
}
