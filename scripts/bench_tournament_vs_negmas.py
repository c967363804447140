#!/usr/bin/env python3
"""Side-by-side tournaments: NegMAS's `cartesian_tournament` vs `detente tournament`, one run.

Identical work on both sides:
  negotiators  the time-based family and Aspiration: NegMAS BoulwareTBNegotiator,
               LinearTBNegotiator, ConcederTBNegotiator, AspirationNegotiator; detente
               boulware, linear, conceder, aspiration (NegMAS-exact ports)
  scenarios    the nine negmas-vector scenarios (seven bilateral, two with three parties),
               GENIUS folders read as NegMAS reads them (detente: --semantics negmas)
  seatings     every ordered assignment of the negotiators to the parties, self-play included
               (NegMAS: self_play=True; detente's default)
  rotations    every party opens in turn (NegMAS: rotate_ufuns=True; detente: --rotate)
  repetitions  10 (both), deadline 100 and 1,000 rounds (NegMAS n_steps; detente --rounds)
  cores        the same J cores (NegMAS njobs=J worker processes; detente --jobs J)

Whole wall times: for NegMAS, loading the nine scenarios plus `cartesian_tournament` (after
`import negmas`, which is not charged to it; path=None, so it writes nothing); for detente, the
whole `detente tournament` process: start, reading the folders, preparing and analysing each
scenario, every negotiation, and writing results.parquet, results.csv, timings.csv and
summary.json. The ratio is NegMAS's time over detente's, from this one run (the machine is
shared; absolute figures are noise, a ratio from one run is the figure).

Then, detente alone: its scaling from 1 to J jobs on a tournament large enough to time
(--scaling-repetitions), and its peak resident memory on a tournament of --rss-negotiations
negotiations or more (rows are streamed to disk: memory stays flat), from the kernel's rusage of
the child process.

Usage (normally via scripts/bench-tournament-vs-negmas.sh):
  python bench_tournament_vs_negmas.py --detente-bin target/release/detente \
      --root ../shared/data/negmas-vectors/scenarios [--out results.json] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

SCENARIOS = [
    "anac/y2012/LaptopC",
    "anac/y2013/DefensiveCharms",
    "anac/y2012/ItexvsCypressC",
    "anac/y2012/AcquisitionA",
    "anac/y2010/EnglandZimbabwe",
    "anac/y2011/Amsterdam",
    "anac/y2012/CarB",
    "anac/y2016/Caduceus",
    "anac/y2015/group2-new_sporthal",
]
NEGOTIATORS = [
    ("BoulwareTBNegotiator", "boulware"),
    ("LinearTBNegotiator", "linear"),
    ("ConcederTBNegotiator", "conceder"),
    ("AspirationNegotiator", "aspiration"),
]


def negmas_tournament(root: Path, scenarios, n_steps: int, repetitions: int, jobs: int):
    import negmas.sao as sao
    from negmas.inout import Scenario
    from negmas.tournaments.neg import cartesian_tournament

    classes = [getattr(sao, name) for name, _ in NEGOTIATORS]
    t0 = time.perf_counter()
    loaded = [Scenario.load(root / s) for s in scenarios]
    res = cartesian_tournament(
        competitors=classes,
        scenarios=loaded,
        n_repetitions=repetitions,
        n_steps=n_steps,
        path=None,
        verbosity=0,
        save_scenario_figs=False,
        plot_fraction=0.0,
        self_play=True,
        rotate_ufuns=True,
        njobs=jobs,
    )
    wall = time.perf_counter() - t0
    details = res.details
    agreements = int(details["agreement"].notna().sum()) if "agreement" in details else None
    return dict(wall_s=wall, negotiations=len(details), agreements=agreements)


def run_child(cmd):
    """Runs cmd; returns (wall seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{err.decode()}")
    return wall, out.decode()


# A small interpreter (no NegMAS loaded) starts the measured command and reports its peak RSS
# from os.wait4: a child forked straight from this process would count this process's pages
# (NegMAS and numpy, ~400 MiB) in its high-water mark until it execs.
RSS_WRAPPER = """
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_child_rss(cmd):
    """Runs cmd; returns (wall seconds, peak RSS in MiB) of that process alone."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-I", "-S", "-c", RSS_WRAPPER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    code, kib = out.stdout.split()
    if out.returncode != 0 or int(code) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    return wall, int(kib) / 1024.0  # KiB on Linux


def detente_cmd(binary, root, scenarios, rounds, repetitions, jobs, out_dir):
    return [
        str(binary),
        "--semantics",
        "negmas",
        "tournament",
        "--negotiators",
        ",".join(n for _, n in NEGOTIATORS),
        "--scenarios",
        *[str(root / s) for s in scenarios],
        "--rotate",
        "--rounds",
        str(rounds),
        "--repetitions",
        str(repetitions),
        "--jobs",
        str(jobs),
        "--out",
        str(out_dir),
        "--json",
    ]


def detente_counts(out_dir: Path):
    n = agreed = 0
    with open(out_dir / "results.csv", newline="") as f:
        for row in csv.DictReader(f):
            n += 1
            agreed += row["status"] == "agreed"
    return n, agreed


def expected_negotiations(scenario_parties, repetitions):
    m = len(NEGOTIATORS)
    return sum(m**k * k * repetitions for k in scenario_parties)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--detente-bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--steps", type=int, nargs="*", default=[100, 1000])
    ap.add_argument("--repetitions", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scaling-repetitions", type=int, default=400)
    ap.add_argument("--scaling-runs", type=int, default=3, help="alternating runs per job count; the fastest of each counts")
    ap.add_argument("--rss-negotiations", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100 rounds, 2 repetitions, small scaling and memory runs")
    ap.add_argument("--skip-negmas", action="store_true")
    ap.add_argument("--skip-scaling", action="store_true", help="no scaling run")
    ap.add_argument("--skip-memory", action="store_true", help="no memory run")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.quick:
        args.steps, args.repetitions, args.scaling_repetitions, args.rss_negotiations = [100], 2, 40, 20_000
    root = Path(args.root)
    binary = Path(args.detente_bin)
    parties = [3 if s.startswith(("anac/y2016/Caduceus", "anac/y2015/")) else 2 for s in SCENARIOS]
    result = dict(
        platform=platform.platform(),
        cpus=os.cpu_count(),
        python=sys.version.split()[0],
        scenarios=SCENARIOS,
        negotiators=[n for _, n in NEGOTIATORS],
        repetitions=args.repetitions,
        jobs=args.jobs,
        runs=[],
    )
    if not args.skip_negmas:
        import negmas

        result["negmas_version"] = negmas.__version__
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        tmp = Path(tmp)
        for steps in args.steps:
            expected = expected_negotiations(parties, args.repetitions)
            out_dir = tmp / f"detente-{steps}"
            # three runs, the median counts: the first run after a build pays for reading the
            # binary from disk, which is not what is compared (NegMAS's import is not charged)
            d_walls = []
            for _ in range(3):
                shutil.rmtree(out_dir, ignore_errors=True)
                wall, _ = run_child(detente_cmd(binary, root, SCENARIOS, steps, args.repetitions, args.jobs, out_dir))
                d_walls.append(wall)
            d_wall = sorted(d_walls)[1]
            d_n, d_agreed = detente_counts(out_dir)
            if d_n != expected:
                raise SystemExit(f"detente ran {d_n} negotiations, expected {expected}")
            run = dict(rounds=steps, expected_negotiations=expected, detente=dict(wall_s=d_wall, runs_s=d_walls, negotiations=d_n, agreements=d_agreed))
            runs = ", ".join(f"{w:.3f}" for w in d_walls)
            print(f"rounds {steps:5d}: detente  {d_wall:9.3f} s  {d_n} negotiations, {d_agreed} agreements  (--jobs {args.jobs}; median of {runs})", flush=True)
            if not args.skip_negmas:
                nm = negmas_tournament(root, SCENARIOS, steps, args.repetitions, args.jobs)
                run["negmas"] = nm
                if nm["negotiations"] != expected:
                    print(f"warning: NegMAS ran {nm['negotiations']} negotiations, expected {expected}: not identical work", flush=True)
                run["ratio"] = nm["wall_s"] / d_wall
                print(
                    f"rounds {steps:5d}: NegMAS   {nm['wall_s']:9.3f} s  {nm['negotiations']} negotiations, {nm['agreements']} agreements  (njobs={args.jobs})",
                    flush=True,
                )
                print(f"rounds {steps:5d}: ratio NegMAS / detente = {run['ratio']:,.0f}x", flush=True)
            result["runs"].append(run)

        if not args.skip_scaling:
            scaling_run(args, binary, root, parties, tmp, result)
        if not args.skip_memory:
            memory_run(args, binary, root, parties, tmp, result)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))
    return 0


def scaling_run(args, binary, root, parties, tmp, result):
    """The same tournament, many more repetitions, on 1 job and on J jobs, alternating
    (--scaling-runs times each, a fresh folder each time); the fastest run of each counts, the
    usual estimate on a machine shared with other work, and every run is kept in the JSON."""
    reps = args.scaling_repetitions
    scaling = dict(rounds=args.steps[-1], repetitions=reps, negotiations=expected_negotiations(parties, reps), runs={})
    for run in range(args.scaling_runs):
        for jobs in (1, args.jobs):
            out_dir = tmp / f"scale-{jobs}-{run}"
            wall, _ = run_child(detente_cmd(binary, root, SCENARIOS, args.steps[-1], reps, jobs, out_dir))
            shutil.rmtree(out_dir, ignore_errors=True)
            scaling["runs"].setdefault(jobs, []).append(wall)
    for jobs in (1, args.jobs):
        wall = min(scaling["runs"][jobs])
        scaling[f"wall_s_jobs_{jobs}"] = wall
        scaling[f"negotiations_per_s_jobs_{jobs}"] = scaling["negotiations"] / wall
        runs = ", ".join(f"{w:.2f}" for w in scaling["runs"][jobs])
        print(f"scaling: {scaling['negotiations']:,} negotiations, {args.steps[-1]} rounds, --jobs {jobs}: {wall:8.2f} s ({scaling['negotiations'] / wall:,.0f}/s; runs {runs})", flush=True)
    scaling["speedup"] = scaling["wall_s_jobs_1"] / scaling[f"wall_s_jobs_{args.jobs}"]
    print(f"scaling: 1 -> {args.jobs} jobs: x{scaling['speedup']:.2f}", flush=True)
    result["scaling"] = scaling


def memory_run(args, binary, root, parties, tmp, result):
    """A tournament of at least --rss-negotiations negotiations, 100 rounds: peak RSS."""
    per_rep = expected_negotiations(parties, 1)
    reps = math.ceil(args.rss_negotiations / per_rep)
    n = per_rep * reps
    wall, rss = run_child_rss(detente_cmd(binary, root, SCENARIOS, 100, reps, args.jobs, tmp / "rss"))
    d_n, _ = detente_counts(tmp / "rss")
    assert d_n == n, (d_n, n)
    result["memory"] = dict(negotiations=n, repetitions=reps, rounds=100, wall_s=wall, peak_rss_mib=rss)
    print(f"memory: {n:,} negotiations in {wall:.1f} s, peak RSS {rss:.1f} MiB", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
