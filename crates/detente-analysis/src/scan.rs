//! One parallel pass over an enumerable space: the Pareto frontier plus the statistics that need
//! every outcome (worst outcomes, counts of outcomes that beat walking away, GENIUS opposition).
//!
//! The space is cut into chunks of [`CHUNK`] consecutive outcome indices; rayon evaluates and
//! summarises chunks on all cores and merges the summaries pairwise. Every merge is
//! order-independent (sums, minima with lowest-index ties, frontier unions), so the result does
//! not depend on scheduling. Peak memory is a few chunk buffers per thread plus the frontiers.

use crate::eval::Evaluator;
use crate::frontier::{chunk_frontier, Frontier};
use crate::red_lines::Check;
use rayon::prelude::*;

/// Outcomes per chunk.
pub(crate) const CHUNK: usize = 1 << 16;

/// What the pass needs to know about the parties.
pub(crate) struct ScanParams<'a> {
    /// Each party's reservation value.
    pub reservations: Vec<f64>,
    /// Whether each party's acceptance is required (ZOPA membership).
    pub required: Vec<bool>,
    /// The required parties' red lines, when any states one: outcomes crossing them are left
    /// out of every count and of the frontier (worst outcomes and GENIUS opposition still range
    /// over the whole space: they describe utilities, not deals).
    pub red_lines: Option<&'a Check>,
}

/// The pass's result.
#[derive(Debug, Clone)]
pub(crate) struct Scan {
    pub frontier: Frontier,
    /// Per party: (lowest utility, lowest outcome index attaining it).
    pub worst: Vec<(f64, u64)>,
    /// Outcomes where every party gets strictly more than its reservation (NegMAS
    /// `rational_fraction` numerator).
    pub all_rational: u64,
    /// Outcomes where every required party gets strictly more than its reservation.
    pub zopa: u64,
    /// Per party: outcomes it strictly prefers to its reservation.
    pub individually: Vec<u64>,
    /// min over outcomes of Σ_i (1 − u_i)² (GENIUS opposition, squared).
    pub genius_opposition_sq: f64,
    /// Outcomes where every required party gets strictly more than its reservation, red lines
    /// ignored (equal to `zopa` when there are none).
    pub zone_without_red_lines: u64,
    /// Outcomes crossing a required party's red line.
    pub excluded: u64,
    /// Per red line (in [`Check::lines`] order): deals of the red-line-free zone it rules out.
    pub per_line: Vec<u64>,
}

impl Scan {
    fn empty(d: usize) -> Self {
        Scan {
            frontier: Frontier::empty(d),
            worst: vec![(f64::INFINITY, u64::MAX); d],
            all_rational: 0,
            zopa: 0,
            individually: vec![0; d],
            genius_opposition_sq: f64::INFINITY,
            zone_without_red_lines: 0,
            excluded: 0,
            per_line: Vec::new(),
        }
    }

    fn merge(mut self, other: Scan) -> Scan {
        for (a, b) in self.worst.iter_mut().zip(&other.worst) {
            if b.0 < a.0 || (b.0 == a.0 && b.1 < a.1) {
                *a = *b;
            }
        }
        self.all_rational += other.all_rational;
        self.zopa += other.zopa;
        for (a, b) in self.individually.iter_mut().zip(&other.individually) {
            *a += b;
        }
        self.genius_opposition_sq = self.genius_opposition_sq.min(other.genius_opposition_sq);
        self.zone_without_red_lines += other.zone_without_red_lines;
        self.excluded += other.excluded;
        if self.per_line.len() < other.per_line.len() {
            self.per_line.resize(other.per_line.len(), 0);
        }
        for (a, b) in self.per_line.iter_mut().zip(&other.per_line) {
            *a += b;
        }
        self.frontier = self.frontier.merge(other.frontier);
        self
    }
}

/// Evaluates the space chunk by chunk on all cores and reduces the per-chunk results.
/// `per_chunk(scratch, utilities, len, start)` sees the chunk's utilities party-major
/// (`utilities[p * len + j]` is party `p`'s utility of outcome `start + j`); `scratch` is
/// per-thread working memory made once by `scratch()`.
fn par_chunks<S, T: Send>(
    ev: &Evaluator<'_>,
    scratch: impl Fn() -> S + Sync + Send,
    per_chunk: impl Fn(&mut S, &[f64], usize, u64) -> T + Sync + Send,
    identity: impl Fn() -> T + Sync + Send,
    reduce: impl Fn(T, T) -> T + Sync + Send,
) -> T {
    let d = ev.parties();
    let n = ev.len();
    (0..n.div_ceil(CHUNK as u64))
        .into_par_iter()
        .map_init(
            || (vec![0.0f64; d * CHUNK], scratch()),
            |(buf, scratch), c| {
                let start = c * CHUNK as u64;
                let len = ((n - start) as usize).min(CHUNK);
                let buf = &mut buf[..d * len];
                ev.eval(start, len, buf);
                per_chunk(scratch, buf, len, start)
            },
        )
        .reduce(identity, reduce)
}

/// Runs the pass.
pub(crate) fn scan(ev: &Evaluator<'_>, params: &ScanParams<'_>) -> Scan {
    let d = ev.parties();
    par_chunks(
        ev,
        || ChunkScratch { all: vec![0u8; CHUNK], req: vec![0u8; CHUNK], sq: vec![0.0f64; CHUNK], ok: vec![true; CHUNK] },
        |scratch, buf, len, start| chunk_scan(ev, d, buf, len, start, params, scratch),
        || Scan::empty(d),
        Scan::merge,
    )
}

struct ChunkScratch {
    all: Vec<u8>,
    req: Vec<u8>,
    sq: Vec<f64>,
    ok: Vec<bool>,
}

fn chunk_scan(
    ev: &Evaluator<'_>,
    d: usize,
    buf: &[f64],
    len: usize,
    start: u64,
    params: &ScanParams<'_>,
    scratch: &mut ChunkScratch,
) -> Scan {
    let mut s = Scan::empty(d);
    let (all, req, sq, ok) = (&mut scratch.all[..len], &mut scratch.req[..len], &mut scratch.sq[..len], &mut scratch.ok[..len]);
    all.fill(1);
    req.fill(1);
    sq.fill(0.0);
    match params.red_lines {
        Some(check) => check.fill(ev.space(), start, ok),
        None => ok.fill(true),
    }
    for p in 0..d {
        let col = &buf[p * len..(p + 1) * len];
        let r = params.reservations[p];
        let mut worst = (f64::INFINITY, 0usize);
        let mut count = 0u64;
        for (j, &u) in col.iter().enumerate() {
            if u < worst.0 {
                worst = (u, j);
            }
            let better = u8::from(u > r);
            let ok = better & u8::from(ok[j]);
            count += u64::from(ok);
            all[j] &= ok;
            let e = 1.0 - u;
            sq[j] += e * e;
        }
        if params.required[p] {
            for (q, &u) in req.iter_mut().zip(col) {
                *q &= u8::from(u > r);
            }
        }
        s.worst[p] = (worst.0, start + worst.1 as u64);
        s.individually[p] = count;
    }
    s.all_rational = all.iter().map(|&x| u64::from(x)).sum();
    s.zone_without_red_lines = req.iter().map(|&x| u64::from(x)).sum();
    s.zopa = req.iter().zip(ok.iter()).map(|(&x, &o)| u64::from(x & u8::from(o))).sum();
    s.genius_opposition_sq = sq.iter().copied().fold(f64::INFINITY, f64::min);
    match params.red_lines {
        Some(check) => {
            s.excluded = ok.iter().map(|&o| u64::from(!o)).sum();
            let ruled_out: Vec<bool> = req.iter().zip(ok.iter()).map(|(&x, &o)| x == 1 && !o).collect();
            s.per_line = vec![0; check.lines.len()];
            check.count_lines(ev.space(), start, &ruled_out, &mut s.per_line);
            s.frontier = chunk_frontier(d, buf, len, start, Some(ok));
        }
        None => s.frontier = chunk_frontier(d, buf, len, start, None),
    }
    s
}

/// The frontier alone (of the outcomes crossing no red line in `red_lines`), streamed over the
/// space on all cores.
pub(crate) fn frontier_only(ev: &Evaluator<'_>, red_lines: Option<&Check>) -> Frontier {
    let d = ev.parties();
    par_chunks(
        ev,
        || vec![true; CHUNK],
        |ok, buf, len, start| match red_lines {
            Some(check) => {
                check.fill(ev.space(), start, &mut ok[..len]);
                chunk_frontier(d, buf, len, start, Some(&ok[..len]))
            }
            None => chunk_frontier(d, buf, len, start, None),
        },
        || Frontier::empty(d),
        Frontier::merge,
    )
}

/// The lean pass: per-party utility ranges, the ZOPA count and the frontier of the outcomes
/// every party weakly prefers to walking away (which is the rational part of the full frontier:
/// whatever dominates a rational outcome is rational too).
#[derive(Debug, Clone)]
pub(crate) struct RationalScan {
    /// Per party: (lowest, highest) utility over the space.
    pub ranges: Vec<(f64, f64)>,
    /// Outcomes where every required party gets strictly more than its reservation.
    pub zopa: u64,
    /// The frontier of the outcomes with `u ≥ r` for every party.
    pub rational: Frontier,
}

pub(crate) fn rational_scan(ev: &Evaluator<'_>, params: &ScanParams<'_>) -> RationalScan {
    let d = ev.parties();
    par_chunks(
        ev,
        || (vec![false; CHUNK], vec![0u8; CHUNK]),
        |(keep, req), buf, len, start| {
            let (keep, req) = (&mut keep[..len], &mut req[..len]);
            match params.red_lines {
                Some(check) => check.fill(ev.space(), start, keep),
                None => keep.fill(true),
            }
            for (q, &k) in req.iter_mut().zip(keep.iter()) {
                *q = u8::from(k);
            }
            let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); d];
            for (p, range) in ranges.iter_mut().enumerate() {
                let col = &buf[p * len..(p + 1) * len];
                let r = params.reservations[p];
                for (j, &u) in col.iter().enumerate() {
                    range.0 = range.0.min(u);
                    range.1 = range.1.max(u);
                    keep[j] &= u >= r;
                }
                if params.required[p] {
                    for (q, &u) in req.iter_mut().zip(col) {
                        *q &= u8::from(u > r);
                    }
                }
            }
            RationalScan { ranges, zopa: req.iter().map(|&x| u64::from(x)).sum(), rational: chunk_frontier(d, buf, len, start, Some(keep)) }
        },
        || RationalScan { ranges: vec![(f64::INFINITY, f64::NEG_INFINITY); d], zopa: 0, rational: Frontier::empty(d) },
        |a, b| RationalScan {
            ranges: a.ranges.iter().zip(&b.ranges).map(|(x, y)| (x.0.min(y.0), x.1.max(y.1))).collect(),
            zopa: a.zopa + b.zopa,
            rational: a.rational.merge(b.rational),
        },
    )
}
