//! Stability: Nash, GMR, SMR, SEQ (spec §2) for every DM and state, and SIM (gmcr-py's
//! simultaneous sanctions, option form).
//!
//! Two engines compute the same definitions:
//! - [`individual_stability`], for the DMs themselves, in time and memory linear in
//!   states × DMs × moves. For each focal DM i it builds, implicitly, the graph of pairs
//!   (state, last mover) over the opponents N−i — a legal sequence never lets the same DM move
//!   twice in a row, but any opponent may move again later (spec §1.3) — and gives each pair
//!   the least value (i's rank, or for SMR the best i can escape to) reachable from it, by
//!   backward searches from the states in increasing order of value (each pair assigned
//!   once). Then s1 is sanctioned iff that least value over `R_{N−i}(s1)` is ≤ rank_i(s).
//!   SEQ uses the same with only the opponents' unilateral improvements as arcs (`R⁺_{N−i}`).
//! - [`Movers`], direct per-state search with witnesses (the sanction path), for coalitions
//!   as movers (an improvement must improve every member; anything else sanctions it) and for
//!   explanations.

use std::collections::VecDeque;

use serde::Serialize;

use crate::error::{ConflictError, ErrorKind};
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

/// Nash, GMR, SMR and SEQ for every DM and state of a graph (fast engine, module docs). The
/// focal DMs are independent and run on up to [`std::thread::available_parallelism`] threads;
/// the result does not depend on the thread count.
pub fn individual_stability(g: &Graph) -> Stabilities {
    let n = g.n_states();
    let dms = g.n_dms();
    let empty = Adjacency::default();
    let rev: Vec<Adjacency> = (0..dms).map(|d| reversed(g.adjacency(d).unwrap_or(&empty), n)).collect();
    let threads = std::thread::available_parallelism().map(|t| t.get()).unwrap_or(1).min(dms).max(1);
    let mut flags: Vec<Option<[Vec<bool>; 4]>> = vec![None; dms];
    if threads <= 1 || n < 2048 {
        for (i, f) in flags.iter_mut().enumerate() {
            *f = Some(focal(g, &rev, i));
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(&mut flags);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= dms {
                        break;
                    }
                    let f = focal(g, &rev, i);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(f);
                    }
                });
            }
        });
        // A poisoned lock or a lost result (cannot happen without a panic) is recomputed here.
        for (i, f) in flags.iter_mut().enumerate() {
            if f.is_none() {
                *f = Some(focal(g, &rev, i));
            }
        }
    }
    Stabilities { flags: flags.into_iter().map(|f| f.unwrap_or_default()).collect() }
}

/// The four flags of every state for focal DM i.
fn focal(g: &Graph, rev: &[Adjacency], i: DmIndex) -> [Vec<bool>; 4] {
    let n = g.n_states();
    let dms = g.n_dms();
    let opp: Vec<DmIndex> = (0..dms).filter(|&j| j != i).collect();
    let rank = g.ranks(i);
    // SMR value: the best i can reach from u in one move, or u itself.
    let smr_val: Vec<u32> = (0..n).map(|u| g.moves(i, u).iter().map(|&t| rank[t as usize]).fold(rank[u], u32::max)).collect();
    let m = opp.len();
    // Least value over R_{N-i}(s1) (or R+ for SEQ), per s1, from the closures of the pairs.
    let start = |mins: Vec<u32>, ui_only: bool| -> Vec<u32> {
        (0..n)
            .map(|s1| {
                let mut best = INF;
                for (jj, &j) in opp.iter().enumerate() {
                    let rj = g.ranks(j);
                    for &t in g.moves(j, s1) {
                        if !ui_only || rj[t as usize] > rj[s1] {
                            best = best.min(mins[t as usize * m + jj]);
                        }
                    }
                }
                best
            })
            .collect()
    };
    let gmr = start(closure_min(g, rev, &opp, false, rank), false);
    let smr = start(closure_min(g, rev, &opp, false, &smr_val), false);
    let seq = start(closure_min(g, rev, &opp, true, rank), true);
    let mut f: [Vec<bool>; 4] = [vec![true; n], vec![true; n], vec![true; n], vec![true; n]];
    for s in 0..n {
        let r = rank[s];
        for &s1 in g.moves(i, s) {
            let s1 = s1 as usize;
            if rank[s1] <= r {
                continue;
            }
            f[0][s] = false;
            f[1][s] &= gmr[s1] <= r;
            f[2][s] &= smr[s1] <= r;
            f[3][s] &= seq[s1] <= r;
        }
    }
    f
}

/// For every pair (u, jj) — at state u, opponent `opp[jj]` moved last — the least value of
/// `values` over the states reachable from it by legal sequences (u included). Pairs are
/// numbered `u * opp.len() + jj`. With `ui_only`, arcs are the movers' UIs.
///
/// Backward search in increasing value order: the states of least value seed a breadth-first
/// search along reversed arcs (`rev[d]` = DM d's arcs reversed), which gives that value to
/// every pair that can reach them; then the next value, over the pairs still unassigned. Each
/// pair is assigned once and each reversed arc looked at once per pair it can lead to.
fn closure_min(g: &Graph, rev: &[Adjacency], opp: &[DmIndex], ui_only: bool, values: &[u32]) -> Vec<u32> {
    let m = opp.len();
    let n = g.n_states();
    let mut out = vec![INF; n * m];
    if m == 0 {
        return out;
    }
    // States by value (counting sort: values are ranks, at most n + 1 distinct small numbers).
    let maxv = values.iter().copied().max().unwrap_or(0) as usize;
    let mut count = vec![0u32; maxv + 2];
    for &v in values {
        count[v as usize + 1] += 1;
    }
    for k in 1..count.len() {
        count[k] += count[k - 1];
    }
    let mut order = vec![0u32; n];
    for (u, &v) in values.iter().enumerate() {
        order[count[v as usize] as usize] = u as u32;
        count[v as usize] += 1;
    }
    let ranks: Vec<&[u32]> = opp.iter().map(|&d| g.ranks(d)).collect();
    let revs: Vec<&Adjacency> = opp.iter().map(|&d| &rev[d]).collect();
    let mut queue: Vec<u32> = Vec::new();
    for &u in &order {
        let u = u as usize;
        let v = values[u];
        for jj in 0..m {
            let node = u * m + jj;
            if out[node] == INF {
                out[node] = v;
                queue.push(node as u32);
            }
        }
        let mut head = 0;
        while head < queue.len() {
            let node = queue[head] as usize;
            head += 1;
            let (t, kk) = (node / m, node % m);
            // Predecessors: (p, jj) with jj != kk and t reached from p by opp[kk].
            for &p in revs[kk].of(t) {
                let p = p as usize;
                if ui_only && ranks[kk][t] <= ranks[kk][p] {
                    continue;
                }
                for jj in 0..m {
                    if jj == kk {
                        continue;
                    }
                    let pn = p * m + jj;
                    if out[pn] == INF {
                        out[pn] = v;
                        queue.push(pn as u32);
                    }
                }
            }
        }
        queue.clear();
    }
    out
}

/// DM d's arcs reversed: `rev.of(t)` = the states from which d moves to t.
fn reversed(a: &Adjacency, n: usize) -> Adjacency {
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
    for s in 0..n {
        for &t in a.of(s) {
            lists[t as usize].push(s as u32);
        }
    }
    Adjacency::from_lists(lists)
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

    /// Explicit movers over a conflict's graph. Errors when a member is not a DM or a move
    /// leaves the states.
    pub fn new(conflict: &'a Conflict, movers: Vec<Mover>) -> Result<Self, ConflictError> {
        let g = conflict.graph();
        for (k, m) in movers.iter().enumerate() {
            if let Some(&d) = m.members.iter().find(|&&d| d >= g.n_dms()) {
                return Err(ConflictError::new(format!("movers[{k}]"), ErrorKind::NoSuchDm(d)));
            }
            if m.members.is_empty() {
                return Err(ConflictError::new(format!("movers[{k}]"), ErrorKind::Analysis("a mover needs a member".into())));
            }
            for s in 0..g.n_states() {
                if let Some(&t) = m.moves.of(s).iter().find(|&&t| t as usize >= g.n_states()) {
                    return Err(ConflictError::new(format!("movers[{k}]"), ErrorKind::BadMove { from: s + 1, to: t as usize + 1 }));
                }
            }
        }
        Ok(Movers { graph: g, bits: Some(conflict), movers })
    }

    /// The graph.
    pub fn graph(&self) -> &Graph {
        self.graph
    }

    /// Whether `to` improves on `from` for every member of mover `m`.
    pub fn improves(&self, m: usize, from: usize, to: usize) -> bool {
        self.movers.get(m).is_some_and(|mv| mv.members.iter().all(|&k| self.graph.rank(k, to) > self.graph.rank(k, from)))
    }

    /// Mover `m`'s unilateral improvements from `s`.
    pub fn uis(&self, m: usize, s: usize) -> Vec<usize> {
        let Some(mv) = self.movers.get(m) else { return Vec::new() };
        mv.moves.of(s).iter().map(|&t| t as usize).filter(|&t| self.improves(m, s, t)).collect()
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
        if i >= self.movers.len() || s >= self.graph.n_states() {
            return None;
        }
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

    /// Whether `s` is stable for mover `i` under `c` (`None`: SIM not computable, or no such
    /// mover or state).
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
