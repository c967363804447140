//! Coalition analysis (spec §2.4).
//!
//! - [`coalition_improvements`]: Kilgour, Hipel, Fang & Peng (2001) — for a coalition H,
//!   `R_H^{++}(s)` = states reachable by legal sequences of members' moves that every member
//!   strictly prefers to s. A state is coalition-Nash stable when no coalition (of two or more
//!   DMs) has such an improvement (and no DM alone: it is Nash).
//! - [`partition_movers`]: gmcr-py's semantics — a partition of the DMs into coalitions, each
//!   acting as one mover. In option form a coalition's moves are joint changes of its members'
//!   options that land on a feasible state (irreversibility applied), as in gmcr-py; in graph
//!   form they are `R_H(s) \ {s}`, the states reachable by legal sequences of members' moves.
//!   An improvement must improve every member; any other state sanctions a coalition. The
//!   ordinary concepts then run over these movers ([`crate::stability::Movers`]).

use std::collections::VecDeque;

use crate::error::{ConflictError, ErrorKind};
use crate::model::{option_moves, Adjacency, Conflict, DmIndex, Graph, OptionDef};
use crate::stability::{Mover, Movers};

/// `R_H(s)`: every state reachable from `s` by a legal sequence (no DM twice in a row) of
/// moves by members of `h`, after at least one move (s itself may be included).
pub fn coalition_reach(g: &Graph, h: &[DmIndex], s: usize) -> Vec<usize> {
    let m = h.len();
    let n = g.n_states();
    let mut seen = vec![false; n * m];
    let mut reached = vec![false; n];
    let mut q = VecDeque::new();
    for (jj, &j) in h.iter().enumerate() {
        for &t in g.moves(j, s) {
            let t = t as usize;
            if !seen[t * m + jj] {
                seen[t * m + jj] = true;
                reached[t] = true;
                q.push_back((t, jj));
            }
        }
    }
    while let Some((u, last)) = q.pop_front() {
        for (kk, &k) in h.iter().enumerate() {
            if kk == last {
                continue;
            }
            for &t in g.moves(k, u) {
                let t = t as usize;
                if !seen[t * m + kk] {
                    seen[t * m + kk] = true;
                    reached[t] = true;
                    q.push_back((t, kk));
                }
            }
        }
    }
    (0..n).filter(|&t| reached[t]).collect()
}

/// `R_H^{++}(s)`: the states of `R_H(s)` every member of `h` strictly prefers to `s`.
pub fn coalition_improvements(g: &Graph, h: &[DmIndex], s: usize) -> Vec<usize> {
    coalition_reach(g, h, s).into_iter().filter(|&t| h.iter().all(|&k| g.rank(k, t) > g.rank(k, s))).collect()
}

/// The movers of a partition of the DMs (each DM in exactly one block; a block of one is
/// the DM itself). Errors when `blocks` is not a partition.
pub fn partition_movers<'a>(conflict: &'a Conflict, blocks: &[Vec<DmIndex>]) -> Result<Movers<'a>, ConflictError> {
    let g = conflict.graph();
    let n = g.n_dms();
    let mut owner = vec![usize::MAX; n];
    for (b, block) in blocks.iter().enumerate() {
        if block.is_empty() {
            return Err(ConflictError::new(format!("coalitions[{b}]"), ErrorKind::Analysis("empty coalition".into())));
        }
        for &d in block {
            if d >= n {
                return Err(ConflictError::new(format!("coalitions[{b}]"), ErrorKind::NoSuchDm(d)));
            }
            if owner[d] != usize::MAX {
                return Err(ConflictError::new(
                    format!("coalitions[{b}]"),
                    ErrorKind::Analysis(format!("`{}` is in two coalitions", conflict.dms()[d].id)),
                ));
            }
            owner[d] = b;
        }
    }
    if let Some(d) = owner.iter().position(|&o| o == usize::MAX) {
        return Err(ConflictError::new(
            "coalitions",
            ErrorKind::Analysis(format!("`{}` is in no coalition; the coalitions must partition the DMs", conflict.dms()[d].id)),
        ));
    }
    let option_form = g.n_options() > 0;
    let joint: Vec<Adjacency> = if option_form {
        let remapped: Vec<OptionDef> = conflict.options().iter().map(|o| OptionDef { dm: owner[o.dm], ..o.clone() }).collect();
        option_moves(&remapped, blocks.len(), g.words, &g.bits, g.n_states())?
    } else {
        Vec::new()
    };
    let movers = blocks
        .iter()
        .enumerate()
        .map(|(b, block)| {
            let moves = if block.len() == 1 {
                g.adjacency(block[0]).cloned().unwrap_or_default()
            } else if option_form {
                joint[b].clone()
            } else {
                Adjacency::from_lists(
                    (0..g.n_states())
                        .map(|s| coalition_reach(g, block, s).into_iter().filter(|&t| t != s).map(|t| t as u32).collect())
                        .collect(),
                )
            };
            Mover {
                name: block.iter().map(|&d| conflict.dms()[d].name.as_str()).collect::<Vec<_>>().join("+"),
                members: block.clone(),
                moves,
            }
        })
        .collect();
    Movers::new(conflict, movers)
}
