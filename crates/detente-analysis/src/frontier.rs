//! Exact Pareto frontiers (skylines) of utility vectors.
//!
//! **Dominance** (NegMAS and GENIUS): `q` dominates `p` when `q_i ≥ p_i` for every party and
//! `q ≠ p`, compared as raw `f64` with no epsilon (a 1-ulp difference dominates). Outcomes with
//! *identical* utility vectors are either all on the frontier or all off it; a [`Frontier`] keeps
//! one point per distinct vector with the list of every outcome that attains it.
//!
//! **Algorithm** (one implementation for every party count): sort the candidate rows by utility
//! vector, lexicographically descending (ties: outcome index ascending), and sweep. Every point
//! that dominates `p` comes before `p` in that order, so `p` is on the frontier iff no earlier
//! *frontier* point `q` has `q_i ≥ p_i` on parties `1..n`. That query is answered by
//! - 1 party: "is there an earlier point" — O(1);
//! - 2 parties: the running maximum of `u_1` — the classic sort-and-sweep, O(n log n);
//! - 3 parties: a 2-D staircase of `(u_1, u_2)` in a B-tree — O(n log n) (Kung, Luccio &
//!   Preparata 1975, the 3-D maxima sweep);
//! - 4+ parties: a static k-d tree over `(u_1, …, u_{n−1})` of the candidates, with per-node
//!   maxima over the points inserted so far; each orthant-emptiness query costs
//!   O(m^{1−1/(n−1)}) in the worst case for m candidates (Lee & Wong 1977), so opposed
//!   preferences (everything on the frontier) cost O(m^{2−1/(n−1)}), not O(m²).
//!
//! **Streaming**: [`crate::scan`] evaluates the space in chunks on all cores; each chunk's
//! frontier is computed after a linear *probe filter* (drop points dominated by a handful of
//! maximisers of weighted sums, which are real outcomes of the chunk), and chunk frontiers are
//! merged pairwise (`frontier(A ∪ B) = frontier(frontier(A) ∪ frontier(B))`). Memory is the
//! chunk buffers plus the frontiers, never the space.

use detente_core::select::argmax;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The Pareto frontier: distinct non-dominated utility vectors, each with every outcome index
/// that attains it.
///
/// Points are ordered by utility vector lexicographically descending (party 0 first); each
/// point's outcomes ascend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Frontier {
    parties: usize,
    utils: Vec<f64>,
    starts: Vec<usize>,
    outcomes: Vec<u64>,
}

/// One point of a [`Frontier`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrontierPoint<'a> {
    /// Each party's utility, in party order.
    pub utilities: &'a [f64],
    /// Every outcome index with exactly these utilities, ascending.
    pub outcomes: &'a [u64],
}

impl FrontierPoint<'_> {
    /// The lowest outcome index with these utilities (the representative used for ties).
    pub fn outcome(&self) -> u64 {
        self.outcomes[0]
    }
}

impl Frontier {
    /// An empty frontier over `parties` parties.
    pub fn empty(parties: usize) -> Self {
        Frontier { parties, utils: Vec::new(), starts: vec![0], outcomes: Vec::new() }
    }

    /// The exact frontier of arbitrary points: `utils` is row-major (`outcomes.len()` rows of
    /// `parties` utilities), `outcomes` labels the rows. Non-finite utilities are not allowed.
    ///
    /// # Panics
    /// If `utils.len() != parties * outcomes.len()`.
    pub fn of_points(parties: usize, utils: &[f64], outcomes: &[u64]) -> Self {
        assert_eq!(utils.len(), parties * outcomes.len(), "row-major utilities, one row per outcome");
        skyline(parties, utils, outcomes)
    }

    /// Number of parties.
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// Number of distinct frontier points (utility vectors).
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether the frontier is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of outcomes on the frontier (≥ [`Frontier::len`] when outcomes share vectors).
    pub fn outcome_count(&self) -> usize {
        self.outcomes.len()
    }

    /// Point `i`.
    pub fn point(&self, i: usize) -> FrontierPoint<'_> {
        FrontierPoint {
            utilities: &self.utils[i * self.parties..(i + 1) * self.parties],
            outcomes: &self.outcomes[self.starts[i]..self.starts[i + 1]],
        }
    }

    /// The points in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = FrontierPoint<'_>> + '_ {
        (0..self.len()).map(move |i| self.point(i))
    }

    /// The frontier restricted to points where `keep` holds (a subset of a frontier is the
    /// frontier of its points when `keep` is upward closed, e.g. "every party at least its
    /// reservation").
    pub fn filter(&self, mut keep: impl FnMut(&[f64]) -> bool) -> Frontier {
        let mut f = Frontier::empty(self.parties);
        for p in self.iter() {
            if keep(p.utilities) {
                f.push(p.utilities, p.outcomes);
            }
        }
        f
    }

    fn push(&mut self, utils: &[f64], outcomes: &[u64]) {
        self.utils.extend_from_slice(utils);
        self.outcomes.extend_from_slice(outcomes);
        self.starts.push(self.outcomes.len());
    }

    /// The frontier of some of the parties (`parties`: indices, in the order wanted): the
    /// non-dominated points among the projections of this frontier's points.
    ///
    /// This is exactly the frontier of those parties over the same outcomes: if `v` is
    /// non-dominated for them, the outcomes attaining `v` include one that no outcome dominates
    /// for everyone (a dominator for everyone still gives them `v`; the space is finite), so `v`
    /// is the projection of a point here. Each point lists the outcomes of *this* frontier
    /// that project to it: every outcome giving those parties `v` that is also efficient for
    /// the others, ascending.
    ///
    /// # Panics
    /// If an index is not a party of this frontier.
    pub fn project(&self, parties: &[usize]) -> Frontier {
        assert!(parties.iter().all(|&k| k < self.parties), "party index out of range");
        let mut utils = Vec::with_capacity(self.outcomes.len() * parties.len());
        let mut idx = Vec::with_capacity(self.outcomes.len());
        for p in self.iter() {
            for &o in p.outcomes {
                utils.extend(parties.iter().map(|&k| p.utilities[k]));
                idx.push(o);
            }
        }
        if idx.is_empty() {
            return Frontier::empty(parties.len());
        }
        skyline(parties.len(), &utils, &idx)
    }

    /// The frontier of the union of two frontiers over the same parties.
    pub fn merge(self, other: Frontier) -> Frontier {
        if self.is_empty() {
            return other;
        }
        if other.is_empty() {
            return self;
        }
        let d = self.parties;
        let mut utils = Vec::with_capacity((self.outcomes.len() + other.outcomes.len()) * d);
        let mut idx = Vec::with_capacity(self.outcomes.len() + other.outcomes.len());
        for f in [&self, &other] {
            for p in f.iter() {
                for &o in p.outcomes {
                    utils.extend_from_slice(p.utilities);
                    idx.push(o);
                }
            }
        }
        skyline(d, &utils, &idx)
    }
}

impl Serialize for Frontier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for p in self.iter() {
            seq.serialize_element(&p)?;
        }
        seq.end()
    }
}

/// Numeric comparison for finite utilities (`-0.0 == 0.0`, as NegMAS compares).
#[inline]
pub(crate) fn cmp_f64(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// Order-preserving integer key of a finite float, with `-0.0` and `0.0` equal.
#[inline]
fn key(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The frontier of row-major points (see the module docs).
pub(crate) fn skyline(d: usize, utils: &[f64], idx: &[u64]) -> Frontier {
    let n = idx.len();
    let mut out = Frontier::empty(d);
    if n == 0 || d == 0 {
        return out;
    }
    let row = |i: u32| &utils[i as usize * d..(i as usize + 1) * d];
    let mut perm: Vec<u32> = (0..n as u32).collect();
    // Stable sort: merging two sorted frontiers is a linear run merge.
    perm.sort_by(|&a, &b| {
        let (ra, rb) = (row(a), row(b));
        for k in 0..d {
            match cmp_f64(rb[k], ra[k]) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        idx[a as usize].cmp(&idx[b as usize])
    });
    // Groups of identical vectors.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    for i in 1..=n {
        if i == n || row(perm[i]) != row(perm[s]) {
            groups.push((s, i));
            s = i;
        }
    }
    let reps: Vec<&[f64]> = groups.iter().map(|&(s, _)| row(perm[s])).collect();
    let mut dom = Dominance::new(d, &reps);
    let mut outs: Vec<u64> = Vec::new();
    for (g, &(s, e)) in groups.iter().enumerate() {
        let p = reps[g];
        if dom.dominated(p) {
            continue;
        }
        dom.insert(g, p);
        outs.clear();
        outs.extend(perm[s..e].iter().map(|&i| idx[i as usize]));
        out.push(p, &outs);
    }
    out
}

enum Dominance {
    One { seen: bool },
    Two { best: f64 },
    Three { stair: BTreeMap<u64, f64> },
    Many(KdTree),
}

impl Dominance {
    fn new(d: usize, reps: &[&[f64]]) -> Self {
        match d {
            1 => Dominance::One { seen: false },
            2 => Dominance::Two { best: f64::NEG_INFINITY },
            3 => Dominance::Three { stair: BTreeMap::new() },
            _ => Dominance::Many(KdTree::build(reps)),
        }
    }

    /// Whether an inserted point `q` has `q_i ≥ p_i` for every party `i ≥ 1`.
    fn dominated(&self, p: &[f64]) -> bool {
        match self {
            Dominance::One { seen } => *seen,
            Dominance::Two { best } => *best >= p[1],
            Dominance::Three { stair } => stair.range(key(p[1])..).next().is_some_and(|(_, &u2)| u2 >= p[2]),
            Dominance::Many(t) => t.any_at_least(&p[1..]),
        }
    }

    fn insert(&mut self, g: usize, p: &[f64]) {
        match self {
            Dominance::One { seen } => *seen = true,
            Dominance::Two { best } => *best = best.max(p[1]),
            Dominance::Three { stair } => {
                // Keep a staircase: as u1 grows, u2 strictly falls. Drop what p covers.
                let k = key(p[1]);
                let covered: Vec<u64> = stair.range(..=k).rev().take_while(|(_, &u2)| u2 <= p[2]).map(|(&k, _)| k).collect();
                for c in covered {
                    stair.remove(&c);
                }
                stair.insert(k, p[2]);
            }
            Dominance::Many(t) => t.insert(g),
        }
    }
}

/// A static k-d tree over the projections `p[1..]` of the candidate points, in an implicit
/// layout (node = middle of its index range), with per-node maxima over inserted points.
struct KdTree {
    m: usize,
    pts: Vec<f64>,
    maxs: Vec<f64>,
    inserted: Vec<bool>,
    split: Vec<u8>,
    pos: Vec<u32>,
}

impl KdTree {
    fn build(reps: &[&[f64]]) -> Self {
        let n = reps.len();
        let m = reps.first().map_or(1, |r| r.len() - 1);
        let mut items: Vec<u32> = (0..n as u32).collect();
        let mut split = vec![0u8; n];
        let mut stack = vec![(0usize, n, 0usize)];
        while let Some((lo, hi, depth)) = stack.pop() {
            if lo >= hi {
                continue;
            }
            let mid = lo + (hi - lo) / 2;
            let dim = depth % m;
            items[lo..hi].select_nth_unstable_by(mid - lo, |&a, &b| cmp_f64(reps[a as usize][1 + dim], reps[b as usize][1 + dim]));
            split[mid] = dim as u8;
            stack.push((lo, mid, depth + 1));
            stack.push((mid + 1, hi, depth + 1));
        }
        let mut pts = Vec::with_capacity(n * m);
        let mut pos = vec![0u32; n];
        for (i, &it) in items.iter().enumerate() {
            pts.extend_from_slice(&reps[it as usize][1..]);
            pos[it as usize] = i as u32;
        }
        KdTree { m, pts, maxs: vec![f64::NEG_INFINITY; n * m], inserted: vec![false; n], split, pos }
    }

    fn insert(&mut self, g: usize) {
        let t = self.pos[g] as usize;
        let m = self.m;
        let (mut lo, mut hi) = (0usize, self.inserted.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            for k in 0..m {
                let v = self.pts[t * m + k];
                if v > self.maxs[mid * m + k] {
                    self.maxs[mid * m + k] = v;
                }
            }
            match t.cmp(&mid) {
                Ordering::Equal => {
                    self.inserted[mid] = true;
                    return;
                }
                Ordering::Less => hi = mid,
                Ordering::Greater => lo = mid + 1,
            }
        }
    }

    fn any_at_least(&self, q: &[f64]) -> bool {
        let m = self.m;
        let mut stack = vec![(0usize, self.inserted.len())];
        while let Some((lo, hi)) = stack.pop() {
            if lo >= hi {
                continue;
            }
            let mid = lo + (hi - lo) / 2;
            let mx = &self.maxs[mid * m..(mid + 1) * m];
            if mx.iter().zip(q).any(|(a, b)| a < b) {
                continue;
            }
            let p = &self.pts[mid * m..(mid + 1) * m];
            if self.inserted[mid] && p.iter().zip(q).all(|(a, b)| a >= b) {
                return true;
            }
            let s = self.split[mid] as usize;
            stack.push((mid + 1, hi));
            if p[s] >= q[s] {
                stack.push((lo, mid));
            }
        }
        false
    }
}

/// The frontier of one evaluated chunk: `buf` is party-major (`buf[p * len + j]`), outcome `j`
/// has index `start + j`. A linear probe filter first drops points dominated by maximisers of a
/// few positive weighted sums (scaled by the chunk's ranges); the survivors go to [`skyline`].
pub(crate) fn chunk_frontier(d: usize, buf: &[f64], len: usize, start: u64, keep: Option<&[bool]>) -> Frontier {
    let col = |p: usize| &buf[p * len..(p + 1) * len];
    let live = |j: usize| keep.is_none_or(|k| k[j]);
    // Scale by the chunk's ranges so that directions mean the same for every party.
    let mut scale = vec![1.0; d];
    for (p, s) in scale.iter_mut().enumerate() {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &x in col(p) {
            lo = lo.min(x);
            hi = hi.max(x);
        }
        if hi > lo {
            *s = 1.0 / (hi - lo);
        }
    }
    let mut dirs: Vec<Vec<f64>> = vec![vec![1.0; d]];
    if d > 1 {
        for boost in [3.0, 10.0] {
            for k in 0..d {
                let mut w = vec![1.0; d];
                w[k] += boost;
                dirs.push(w);
            }
        }
    }
    let mut probes: Vec<Vec<f64>> = Vec::with_capacity(dirs.len());
    let mut score = vec![0.0f64; len];
    for w in &dirs {
        score.iter_mut().for_each(|s| *s = 0.0);
        for p in 0..d {
            let c = w[p] * scale[p];
            for (s, &x) in score.iter_mut().zip(col(p)) {
                *s += c * x;
            }
        }
        if let Some((b, _)) = argmax(score.iter().enumerate().filter(|&(j, _)| live(j))) {
            let v: Vec<f64> = (0..d).map(|p| col(p)[b]).collect();
            if !probes.contains(&v) {
                probes.push(v);
            }
        }
    }
    let mut utils = Vec::new();
    let mut idx = Vec::new();
    let mut row = vec![0.0; d];
    for j in 0..len {
        if !live(j) {
            continue;
        }
        for (p, r) in row.iter_mut().enumerate() {
            *r = buf[p * len + j];
        }
        let dominated = probes.iter().any(|q| q.iter().zip(&row).all(|(a, b)| a >= b) && q.iter().zip(&row).any(|(a, b)| a > b));
        if !dominated {
            utils.extend_from_slice(&row);
            idx.push(start + j as u64);
        }
    }
    skyline(d, &utils, &idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(d: usize, utils: &[f64]) -> Vec<usize> {
        let n = utils.len() / d;
        let r = |i: usize| &utils[i * d..(i + 1) * d];
        (0..n).filter(|&i| !(0..n).any(|j| r(j) != r(i) && r(j).iter().zip(r(i)).all(|(a, b)| a >= b))).collect()
    }

    #[test]
    fn skyline_matches_brute_force_for_every_dimension() {
        let mut x: u64 = 12345;
        let mut rnd = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 7) as f64 // few distinct values: many ties and duplicates
        };
        for d in 1..=6 {
            for n in [0usize, 1, 2, 5, 40, 200] {
                let utils: Vec<f64> = (0..n * d).map(|_| rnd()).collect();
                let idx: Vec<u64> = (0..n as u64).collect();
                let f = skyline(d, &utils, &idx);
                let mut got: Vec<u64> = f.iter().flat_map(|p| p.outcomes.to_vec()).collect();
                got.sort_unstable();
                let want: Vec<u64> = brute(d, &utils).into_iter().map(|i| i as u64).collect();
                assert_eq!(got, want, "d={d} n={n}");
                // chunked + merged gives the same
                let buf: Vec<f64> = (0..d).flat_map(|p| (0..n).map(move |j| (p, j))).map(|(p, j)| utils[j * d + p]).collect();
                let c = chunk_frontier(d, &buf, n, 0, None);
                assert_eq!(c, f, "probe filter d={d} n={n}");
                let half = n / 2;
                let a = skyline(d, &utils[..half * d], &idx[..half]);
                let b = skyline(d, &utils[half * d..], &idx[half..]);
                assert_eq!(a.merge(b), f, "merge d={d} n={n}");
            }
        }
    }
}
