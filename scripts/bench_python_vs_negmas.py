#!/usr/bin/env python3
"""From Python, side by side: `detente.tournament` and NegMAS's `cartesian_tournament` on the same
work (scripts/bench_tournament_vs_negmas.py's: the nine negmas-vector scenarios read as NegMAS
reads them, boulware/linear/conceder/aspiration, every seating with self-play, every party
opening in turn), then detente with a Python negotiator among the built-ins. One run, one
interpreter with both installed (the detente wheel built with --release, and negmas==0.16.0);
the ratio from this run is the figure.

    python scripts/bench_python_vs_negmas.py --root ../shared/data/negmas-vectors/scenarios \
        [--rounds 100] [--repetitions 2] [--jobs 2]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tournament_vs_negmas import NEGOTIATORS, SCENARIOS, negmas_tournament  # noqa: E402

import detente  # noqa: E402

warnings.filterwarnings("ignore")


class Linear(detente.Negotiator):
    """NegMAS's linear time-based concession written in Python (not NegMAS-exact: its own)."""

    name = "py-linear"

    def target(self, view):
        hi = view.utility(view.best())
        lo = max(view.reservation, view.utility(view.ranked(view.n_acceptable - 1)))
        return lo + (1.0 - view.time) * (hi - lo)

    def propose(self, view):
        return view.worst_at_least(self.target(view)) or view.best()

    def respond(self, view, offer):
        return "accept" if view.utility(offer) >= self.target(view) else "reject"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--repetitions", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip-negmas", action="store_true")
    a = ap.parse_args()
    root = Path(a.root)
    names = [n for _, n in NEGOTIATORS]

    def run(negotiators):
        t0 = time.perf_counter()
        scenarios = [detente.load(root / s, reading="negmas") for s in SCENARIOS]
        t = detente.tournament(negotiators, scenarios, repetitions=a.repetitions, rounds=a.rounds, rotate=True, protocol="sao")
        return time.perf_counter() - t0, t

    walls = []
    for _ in range(3):
        wall, t = run(names)
        walls.append(wall)
    d_wall = sorted(walls)[1]
    n = t.rows.num_rows
    agreed = sum(t.rows.column("agreement").to_pylist())
    print(f"detente from Python: {n} negotiations, {agreed} agreements in {d_wall:.3f} s (median of 3) = {n / d_wall:,.0f} per second")
    if not a.skip_negmas:
        nm = negmas_tournament(root, SCENARIOS, a.rounds, a.repetitions, a.jobs)
        print(f"NegMAS cartesian_tournament (njobs={a.jobs}): {nm['negotiations']} negotiations, {nm['agreements']} agreements in {nm['wall_s']:.3f} s = {nm['negotiations'] / nm['wall_s']:,.0f} per second")
        print(f"ratio NegMAS / detente = {nm['wall_s'] / d_wall:,.0f}x")
    walls = []
    for _ in range(3):
        wall, t = run(names + [Linear])
        walls.append(wall)
    p_wall = sorted(walls)[1]
    n = t.rows.num_rows
    with_py = sum(1 for r in t.rows.select(["seat1_negotiator", "seat2_negotiator", "seat3_negotiator"]).to_pylist() if "py-linear" in r.values())
    print(f"detente with a Python negotiator among them: {n} negotiations ({with_py} with a Python seat) in {p_wall:.3f} s (median of 3) = {n / p_wall:,.0f} per second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
