//! Status-quo analysis (spec §5): from the status quo s0, which states can the conflict reach
//! by legal paths (consecutive moves by different movers), in how many steps, and by which
//! moves — with every move a unilateral improvement for its mover, or with any moves.
//!
//! A breadth-first search over (state, last mover) pairs gives, for each state, the least
//! number of steps and one shortest path.

use std::collections::VecDeque;

use crate::stability::{Movers, RawStep};

/// Shortest legal paths from one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reach {
    /// Per state, the shortest legal path (empty for the start), or `None` if unreachable.
    pub paths: Vec<Option<Vec<RawStep>>>,
}

/// Shortest legal paths from `start` by the movers (UIs only or any moves).
pub(crate) fn reach_from(movers: &Movers<'_>, start: usize, ui_only: bool) -> Reach {
    let g = movers.graph();
    let n = g.n_states();
    let m = movers.movers.len();
    let none = m; // "no mover yet"
    let w = m + 1;
    let mut parent: Vec<u32> = vec![u32::MAX; n * w];
    let mut seen = vec![false; n * w];
    let mut first: Vec<Option<usize>> = vec![None; n]; // node that first reached each state
    let mut q = VecDeque::new();
    if start >= n {
        return Reach { paths: vec![None; n] };
    }
    seen[start * w + none] = true;
    first[start] = Some(start * w + none);
    q.push_back((start, none));
    while let Some((u, last)) = q.pop_front() {
        for k in 0..m {
            if k == last {
                continue;
            }
            for &t in movers.movers[k].moves.of(u) {
                let t = t as usize;
                if ui_only && !movers.improves(k, u, t) {
                    continue;
                }
                let node = t * w + k;
                if seen[node] {
                    continue;
                }
                seen[node] = true;
                parent[node] = (u * w + last) as u32;
                if first[t].is_none() {
                    first[t] = Some(node);
                }
                q.push_back((t, k));
            }
        }
    }
    let paths = first
        .iter()
        .map(|f| {
            f.map(|mut node| {
                let mut path = Vec::new();
                while node % w != none {
                    path.push(RawStep { mover: node % w, to: node / w });
                    node = parent[node] as usize;
                }
                path.reverse();
                path
            })
        })
        .collect();
    Reach { paths }
}
