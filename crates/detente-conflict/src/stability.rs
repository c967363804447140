//! Stability: Nash, GMR, SMR, SEQ (spec §2) for every DM and state, and SIM (gmcr-py's
//! simultaneous sanctions, option form).
//!
//! Two engines compute the same definitions:
//! - [`individual_stability`], for the DMs themselves, in time and memory linear in
//!   states × DMs × moves. For each focal DM i it builds, implicitly, the graph of pairs
//!   (state, last mover) over the opponents N−i — a legal sequence never lets the same DM move
//!   twice in a row, but any opponent may move again later (spec §1.3) — and finds its strongly
//!   connected components (iterative Tarjan). Components come out sinks first, so the least
//!   value (i's rank, or for SMR the worst i can escape to) reachable from each pair is one
//!   pass. Then s1 is sanctioned iff that least value over `R_{N−i}(s1)` is ≤ rank_i(s).
//!   SEQ uses the same with only the opponents' unilateral improvements as arcs (`R⁺_{N−i}`).
//! - [`Movers`], direct per-state search with witnesses (the sanction path), for coalitions
//!   as movers (an improvement must improve every member; anything else sanctions it) and for
//!   explanations.

use std::collections::VecDeque;

use serde::Serialize;

use crate::model::{Adjacency, Conflict, DmIndex, Graph};

/// A stability concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Concept {
    /// Nash (rational): no unilateral improvement.
    Nash,
    /// General metarationality: every UI can be sanctioned by the others' legal moves.
    #[serde(rename = "GMR")]
    Gmr,
    /// Symmetric metarationality: GMR with sanctions the DM cannot escape in one move.
    #[serde(rename = "SMR")]
    Smr,
    /// Sequential stability: sanctions made of the others' own improvements.
    #[serde(rename = "SEQ")]
    Seq,
    /// Simultaneous stability (gmcr-py, option form).
    #[serde(rename = "SIM")]
    Sim,
    /// SEQ ∩ SIM.
    #[serde(rename = "SEQ+SIM")]
    SeqSim,
}

impl Concept {
    /// The four graph-model concepts.
    pub const CORE: [Concept; 4] = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq];
    /// Every concept.
    pub const ALL: [Concept; 6] = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq, Concept::Sim, Concept::SeqSim];
    /// Short name (`Nash`, `GMR`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Concept::Nash => "Nash",
            Concept::Gmr => "GMR",
            Concept::Smr => "SMR",
            Concept::Seq => "SEQ",
            Concept::Sim => "SIM",
            Concept::SeqSim => "SEQ+SIM",
        }
    }
}

impl std::fmt::Display for Concept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Per DM, per core concept, a flag per state: `flags[dm][c][s]` with `c` indexing
/// [`Concept::CORE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stabilities {
    /// The flags.
    pub flags: Vec<[Vec<bool>; 4]>,
}

impl Stabilities {
    /// Whether state `s` is stable for `dm` under a core concept (false for SIM/SEQ+SIM).
    pub fn is_stable(&self, dm: DmIndex, c: Concept, s: usize) -> bool {
        let Some(k) = Concept::CORE.iter().position(|&x| x == c) else { return false };
        self.flags.get(dm).and_then(|f| f[k].get(s)).copied().unwrap_or(false)
    }
}

const INF: u32 = u32::MAX;

/// Nash, GMR, SMR and SEQ for every DM and state of a graph (fast engine, module docs).
pub fn individual_stability(g: &Graph) -> Stabilities {
    let n = g.n_states();
    let dms = g.n_dms();
    let mut flags = Vec::with_capacity(dms);
    for i in 0..dms {
        let opp: Vec<DmIndex> = (0..dms).filter(|&j| j != i).collect();
        let rank = g.ranks(i);
        // SMR value: the best i can reach from u in one move, or u itself.
        let smr_val: Vec<u32> = (0..n).map(|u| g.moves(i, u).iter().map(|&t| rank[t as usize]).fold(rank[u], u32::max)).collect();
        let all = closure_min(g, &opp, false, &[rank, &smr_val]);
        let seq = closure_min(g, &opp, true, &[rank]);
        let mut f: [Vec<bool>; 4] = [vec![true; n], vec![true; n], vec![true; n], vec![true; n]];
        let m = opp.len();
        let start_min = |mins: &[u32], s1: usize| -> u32 {
            let mut best = INF;
            for (jj, &j) in opp.iter().enumerate() {
                for &t in g.moves(j, s1) {
                    best = best.min(mins[t as usize * m + jj]);
                }
            }
            best
        };
        let start_min_seq = |mins: &[u32], s1: usize| -> u32 {
            let mut best = INF;
            for (jj, &j) in opp.iter().enumerate() {
                let rj = g.ranks(j);
                for &t in g.moves(j, s1) {
                    if rj[t as usize] > rj[s1] {
                        best = best.min(mins[t as usize * m + jj]);
                    }
                }
            }
            best
        };
        for s in 0..n {
            let r = rank[s];
            for &s1 in g.moves(i, s) {
                let s1 = s1 as usize;
                if rank[s1] <= r {
                    continue;
                }
                f[0][s] = false;
                if f[1][s] && start_min(&all[0], s1) > r {
                    f[1][s] = false;
                }
                if f[2][s] && start_min(&all[1], s1) > r {
                    f[2][s] = false;
                }
                if f[3][s] && start_min_seq(&seq[0], s1) > r {
                    f[3][s] = false;
                }
            }
        }
        flags.push(f);
    }
    Stabilities { flags }
}

/// For every pair (u, jj) — at state u, opponent `opp[jj]` moved last — the least value of
/// each `values` vector over the states reachable from it by legal sequences (u included).
/// Pairs are numbered `u * opp.len() + jj`. With `ui_only`, arcs are the movers' UIs.
fn closure_min(g: &Graph, opp: &[DmIndex], ui_only: bool, values: &[&[u32]]) -> Vec<Vec<u32>> {
    let m = opp.len();
    let nodes = g.n_states() * m;
    let k = values.len();
    let mut out: Vec<Vec<u32>> = vec![vec![INF; nodes]; k];
    if m == 0 {
        return out;
    }
    // Successors of (u, jj): (t, kk) for kk != jj, t in moves of opp[kk] from u.
    let succ = |node: usize, idx: usize| -> Option<(usize, usize)> {
        // Enumerate successors lazily: idx runs over the concatenated move lists of the other movers.
        let (u, jj) = (node / m, node % m);
        let mut idx = idx;
        for (kk, &kd) in opp.iter().enumerate() {
            if kk == jj {
                continue;
            }
            let mv = g.moves(kd, u);
            if idx < mv.len() {
                return Some((idx, mv[idx] as usize * m + kk));
            }
            idx -= mv.len();
        }
        None
    };
    let allowed = |node: usize, target: usize| -> bool {
        if !ui_only {
            return true;
        }
        let (u, t, kk) = (node / m, target / m, target % m);
        let r = g.ranks(opp[kk]);
        r[t] > r[u]
    };
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; nodes];
    let mut low = vec![0u32; nodes];
    let mut on_stack = vec![false; nodes];
    let mut stack: Vec<u32> = Vec::new();
    let mut call: Vec<(u32, u32)> = Vec::new(); // (node, next successor idx)
    let mut next_index = 0u32;
    let mut comp_min = vec![INF; k];
    for root in 0..nodes {
        if index[root] != UNSEEN {
            continue;
        }
        call.push((root as u32, 0));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            let v = v as usize;
            match succ(v, *ei as usize) {
                Some((_, w)) => {
                    *ei += 1;
                    if !allowed(v, w) {
                        continue;
                    }
                    if index[w] == UNSEEN {
                        index[w] = next_index;
                        low[w] = next_index;
                        next_index += 1;
                        stack.push(w as u32);
                        on_stack[w] = true;
                        call.push((w as u32, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                }
                None => {
                    call.pop();
                    if let Some(&(p, _)) = call.last() {
                        let p = p as usize;
                        low[p] = low[p].min(low[v]);
                    }
                    if low[v] == index[v] {
                        // Pop the component; its successors outside are final already.
                        let start = stack.iter().rposition(|&x| x as usize == v).unwrap_or(0);
                        comp_min.iter_mut().for_each(|c| *c = INF);
                        for &x in &stack[start..] {
                            let x = x as usize;
                            let u = x / m;
                            for (c, vals) in values.iter().enumerate() {
                                comp_min[c] = comp_min[c].min(vals[u]);
                            }
                            let mut e = 0;
                            while let Some((_, w)) = succ(x, e) {
                                e += 1;
                                if allowed(x, w) && !on_stack[w] {
                                    for (c, o) in out.iter().enumerate() {
                                        comp_min[c] = comp_min[c].min(o[w]);
                                    }
                                }
                            }
                        }
                        for &x in &stack[start..] {
                            let x = x as usize;
                            on_stack[x] = false;
                            for (c, o) in out.iter_mut().enumerate() {
                                o[x] = comp_min[c];
                            }
                        }
                        stack.truncate(start);
                    }
                }
            }
        }
    }
    out
}

/// A mover: one DM or a coalition acting as one.
#[derive(Debug, Clone)]
pub struct Mover {
    /// Display name (`MoE`, `MoE+UR`).
    pub name: String,
    /// Its members.
    pub members: Vec<DmIndex>,
    /// Its moves.
    pub moves: Adjacency,
}

/// A set of movers over a graph, with the direct (witness-producing) engine.
#[derive(Debug, Clone)]
pub struct Movers<'a> {
    graph: &'a Graph,
    bits: Option<&'a Conflict>,
    /// The movers.
    pub movers: Vec<Mover>,
}

/// A step of a path: who moves, to which state (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawStep {
    pub mover: usize,
    pub to: usize,
}

/// The direct engine's verdict on one UI: the sanction path if deterred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawUi {
    pub to: usize,
    pub sanction: Option<Vec<RawStep>>,
}

impl<'a> Movers<'a> {
    /// The DMs themselves as movers.
    pub fn individuals(conflict: &'a Conflict) -> Self {
        let g = conflict.graph();
        let movers = (0..g.n_dms())
            .map(|d| Mover { name: conflict.dms()[d].name.clone(), members: vec![d], moves: g.adjacency(d).cloned().unwrap_or_default() })
            .collect();
        Movers { graph: g, bits: Some(conflict), movers }
    }

    /// Explicit movers over a conflict's graph.
    pub fn new(conflict: &'a Conflict, movers: Vec<Mover>) -> Self {
        Movers { graph: conflict.graph(), bits: Some(conflict), movers }
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        self.graph
    }

    /// Whether `to` improves on `from` for every member of mover `m`.
    pub fn improves(&self, m: usize, from: usize, to: usize) -> bool {
        self.movers[m].members.iter().all(|&k| self.graph.rank(k, to) > self.graph.rank(k, from))
    }

    /// Mover `m`'s unilateral improvements from `s`.
    pub fn uis(&self, m: usize, s: usize) -> Vec<usize> {
        self.movers[m].moves.of(s).iter().map(|&t| t as usize).filter(|&t| self.improves(m, s, t)).collect()
    }

    /// BFS over (state, last mover) from `start` by the movers in `who`; returns the first
    /// reached state satisfying `goal`, with its (shortest) path.
    pub(crate) fn search(&self, who: &[usize], start: usize, ui_only: bool, goal: &dyn Fn(usize) -> bool) -> Option<Vec<RawStep>> {
        let n = self.graph.n_states();
        let m = self.movers.len();
        // parent[(state, mover)] = previous (state, mover) node; None-mover start encoded as m.
        let mut parent: std::collections::HashMap<(usize, usize), (usize, usize)> = std::collections::HashMap::new();
        let mut q = VecDeque::new();
        q.push_back((start, m));
        let mut seen = vec![false; n * (m + 1)];
        seen[start * (m + 1) + m] = true;
        while let Some((u, last)) = q.pop_front() {
            for &k in who {
                if k == last {
                    continue;
                }
                for &t in self.movers[k].moves.of(u) {
                    let t = t as usize;
                    if ui_only && !self.improves(k, u, t) {
                        continue;
                    }
                    if seen[t * (m + 1) + k] {
                        continue;
                    }
                    seen[t * (m + 1) + k] = true;
                    parent.insert((t, k), (u, last));
                    if goal(t) {
                        let mut path = vec![RawStep { mover: k, to: t }];
                        let mut cur = (u, last);
                        while cur.1 != m {
                            path.push(RawStep { mover: cur.1, to: cur.0 });
                            cur = parent[&cur];
                        }
                        path.reverse();
                        return Some(path);
                    }
                    q.push_back((t, k));
                }
            }
        }
        None
    }

    /// Whether s2 sanctions a UI of mover `i` from `s`: s ≿_i s2 (for a coalition: not an
    /// improvement for every member).
    pub fn sanctions(&self, i: usize, s: usize, s2: usize) -> bool {
        !self.improves(i, s, s2)
    }

    /// Every UI of mover `i` at `s` with its sanction under concept `c` (Nash: none).
    /// `None` for SIM/SEQ+SIM where they cannot be computed (graph form).
    pub(crate) fn verdicts(&self, i: usize, s: usize, c: Concept) -> Option<Vec<RawUi>> {
        let others: Vec<usize> = (0..self.movers.len()).filter(|&j| j != i).collect();
        let mut out = Vec::new();
        for s1 in self.uis(i, s) {
            let sanction = match c {
                Concept::Nash => None,
                Concept::Gmr => self.search(&others, s1, false, &|s2| self.sanctions(i, s, s2)),
                Concept::Seq => self.search(&others, s1, true, &|s2| self.sanctions(i, s, s2)),
                Concept::Smr => self.search(&others, s1, false, &|s2| {
                    self.sanctions(i, s, s2) && self.movers[i].moves.of(s2).iter().all(|&s3| self.sanctions(i, s, s3 as usize))
                }),
                Concept::Sim => self.sim_sanction(i, s, s1)?,
                Concept::SeqSim => {
                    let a = self.search(&others, s1, true, &|s2| self.sanctions(i, s, s2));
                    let b = self.sim_sanction(i, s, s1)?;
                    a.and(b)
                }
            };
            out.push(RawUi { to: s1, sanction });
        }
        Some(out)
    }

    /// Whether `s` is stable for mover `i` under `c` (`None`: SIM not computable).
    pub fn is_stable(&self, i: usize, s: usize, c: Concept) -> Option<bool> {
        Some(self.verdicts(i, s, c)?.iter().all(|u| u.sanction.is_some()))
    }

    /// gmcr-py's SIM sanction of i's UI s → s1: the others each stay or play one of their
    /// own UIs from s, at the same time (their option changes combined); a combined state
    /// that is feasible and not better for i sanctions it. `None` (outer) in graph form or
    /// when the combinations exceed 10^6; the path lists the simultaneous moves.
    fn sim_sanction(&self, i: usize, s: usize, s1: usize) -> Option<Option<Vec<RawStep>>> {
        let conflict = self.bits?;
        let g = self.graph;
        if g.n_options() == 0 {
            return None;
        }
        let others: Vec<usize> = (0..self.movers.len()).filter(|&j| j != i).collect();
        let choices: Vec<Vec<usize>> = others.iter().map(|&j| self.uis(j, s)).collect();
        let total: f64 = choices.iter().map(|c| (c.len() + 1) as f64).product();
        if total > 1e6 {
            return None;
        }
        // Option masks per mover.
        let words = g.state_bits(s).len();
        let mask_of = |m: usize| -> Vec<u64> {
            let mut mk = vec![0u64; words];
            for (o, def) in conflict.options().iter().enumerate() {
                if self.movers[m].members.contains(&def.dm) {
                    mk[o / 64] |= 1 << (o % 64);
                }
            }
            mk
        };
        let masks: Vec<Vec<u64>> = others.iter().map(|&j| mask_of(j)).collect();
        let mut idx = vec![0usize; others.len()];
        loop {
            let mut b = g.state_bits(s1).to_vec();
            let mut steps = Vec::new();
            for (k, &c) in idx.iter().enumerate() {
                if c > 0 {
                    let t = choices[k][c - 1];
                    let tb = g.state_bits(t);
                    for w in 0..words {
                        b[w] = (b[w] & !masks[k][w]) | (tb[w] & masks[k][w]);
                    }
                    steps.push((others[k], t));
                }
            }
            if !steps.is_empty() {
                if let Some(st) = g.find_state(&b) {
                    if self.sanctions(i, s, st) {
                        return Some(Some(steps.iter().map(|&(m, _)| RawStep { mover: m, to: st }).collect()));
                    }
                }
            }
            // next combination
            let mut k = 0;
            loop {
                if k == idx.len() {
                    return Some(None);
                }
                idx[k] += 1;
                if idx[k] <= choices[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
        }
    }
}
