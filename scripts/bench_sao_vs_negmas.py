#!/usr/bin/env python3
"""Side-by-side throughput of bilateral SAO negotiations: NegMAS vs detente, in one run.

For every (scenario, pair, n_steps) this script
  1. times NegMAS exactly as `shared/tools/negmas-peer/bench_sao.py` does: the scenario is
     loaded once; every negotiation builds a fresh SAOMechanism and fresh negotiators (so each
     pays NegMAS's per-negotiator inverse-utility build) and runs to the end; median of runs;
  2. exports the scenario *as NegMAS loaded it* (issues, raw linear-additive weights and value
     tables, reserved values) to JSON — or, with `--reader genius`, hands detente the GENIUS
     folder to read itself (NegMAS semantics) — and times detente's `sao_throughput` example:
     the scenario is prepared once (every party's utilities evaluated and sorted, shared by
     Arc), then fresh negotiators + a fresh session per negotiation; median of batches;
  3. prints negotiations/s for both, the ratio, detente's rounds/s and one-off preparation
     time, a "cold" ratio that charges detente's preparation to every negotiation, and
     whether both sides reached the same agreement and round: against NegMAS as timed (it
     breaks utility ties with numpy's unstable, CPU-dependent argsort) and against one extra,
     untimed NegMAS run with a stable argsort (ties by lowest outcome index, detente's rule),
     which must agree.

Both sides therefore negotiate over identical utility functions. Absolute figures on a shared
machine are noise; the ratio from one run is the figure.

Usage (normally via scripts/bench-sao-vs-negmas.sh):
  python bench_sao_vs_negmas.py --detente-bin target/release/examples/sao_throughput \
      --root ../shared/data/negmas-vectors/scenarios [--out results.json] [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import platform
import statistics as st
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

SCENARIOS = ["anac/y2012/LaptopC", "anac/y2011/Amsterdam", "anac/y2012/CarB", "anac/y2010/Travel"]
PAIRS = {"Boulware-Linear": (("BoulwareTBNegotiator", "boulware"), ("LinearTBNegotiator", "linear"))}


def fnum(x):
    x = float(x)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def export_scenario(path: str, s) -> dict:
    """The scenario in the `negmas-vectors/vectors.json` entry format (as NegMAS loaded it)."""
    issues = [dict(name=i.name, type=type(i).__name__, values=[str(v) for v in i.all]) for i in s.outcome_space.issues]
    ufuns = []
    for u in s.ufuns:
        tabs = []
        for vf in u.values:
            m = getattr(vf, "mapping", None)
            if not isinstance(m, dict):
                raise SystemExit(f"{path}: value function {type(vf).__name__} is not a table; this driver handles table ufuns only")
            tabs.append({"kind": "table", "mapping": [[str(k), fnum(v)] for k, v in m.items()]})
        ufuns.append(dict(reserved_value=fnum(u.reserved_value), bias=fnum(getattr(u, "_bias", 0.0)), weights=[fnum(w) for w in u.weights], values=tabs))
    for i in issues:
        if i["type"] != "CategoricalIssue":
            # vector_scenario builds categorical issues; discrete GENIUS issues load as categorical
            raise SystemExit(f"{path}: issue {i['name']} is {i['type']}")
    return dict(path=path, name=s.outcome_space.name, n_outcomes=int(s.outcome_space.cardinality), issues=issues, ufuns=ufuns)


def negmas_one(s, classes, n_steps):
    import negmas.sao as sao
    from negmas.sao import SAOMechanism

    t0 = time.perf_counter()
    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=n_steps)
    for c, u in zip(classes, s.ufuns):
        m.add(getattr(sao, c)(), ufun=u)
    m.run()
    dt = time.perf_counter() - t0
    return dt, m.state.step, m.state.agreement


class _StableArgsortNumpy:
    """numpy proxy whose argsort is stable: NegMAS then breaks utility ties by lowest outcome
    index, as detente does (same trick as shared/tools/negmas-peer/vectors.py)."""

    def __init__(self, np):
        self._np = np

    def __getattr__(self, name):
        return getattr(self._np, name)

    def argsort(self, a, *args, **kwargs):
        kwargs["kind"] = "stable"
        return self._np.argsort(a, *args, **kwargs)


def negmas_stable_ties(s, classes, n_steps):
    """One untimed NegMAS run with stable tie-breaking (for the agreement check only)."""
    import numpy as np
    import negmas.preferences.inv_ufun.presorting as pres

    old = pres.np
    pres.np = _StableArgsortNumpy(np)
    try:
        return negmas_one(s, classes, n_steps)
    finally:
        pres.np = old


def negmas_bench(s, classes, n_steps, min_reps, max_reps, budget):
    runs = []
    start = time.perf_counter()
    while len(runs) < max_reps:
        runs.append(negmas_one(s, classes, n_steps))
        if len(runs) >= min_reps and time.perf_counter() - start > budget:
            break
    warm = runs[1:] if len(runs) > 2 else runs
    t = st.median(r[0] for r in warm)
    return dict(reps=len(runs), t_neg=t, negotiations_per_s=1.0 / t, rounds=runs[-1][1], agreement=runs[-1][2])


def main() -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser()
    ap.add_argument("--detente-bin", default=str(here.parent / "target/release/examples/sao_throughput"))
    ap.add_argument("--root", default=str(here.parent.parent / "shared/data/negmas-vectors/scenarios"))
    ap.add_argument("--scenarios", nargs="*", default=SCENARIOS)
    ap.add_argument("--n-steps", nargs="*", type=int, default=[100, 1000])
    ap.add_argument("--min-reps", type=int, default=5)
    ap.add_argument("--max-reps", type=int, default=30)
    ap.add_argument("--budget", type=float, default=5.0, help="NegMAS seconds per row after min-reps")
    ap.add_argument("--detente-seconds", type=float, default=1.0)
    ap.add_argument(
        "--reader",
        choices=["negmas-export", "genius"],
        default="negmas-export",
        help="detente's input: the ufuns NegMAS loaded, exported to JSON (default), or the GENIUS folder read by detente's own reader with NegMAS semantics",
    )
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.quick:
        args.min_reps, args.max_reps, args.budget, args.detente_seconds = 3, 5, 1.0, 0.3

    import negmas
    from negmas.inout import Scenario

    rows = []
    hdr = f"{'scenario':22s} {'outcomes':>8s} {'pair':16s} {'steps':>5s} {'rounds N/d':>11s} {'NegMAS neg/s':>12s} {'detente neg/s':>13s} {'ratio':>8s} {'detente rounds/s':>16s} {'prep ms':>8s} {'cold ratio':>10s} agreement"
    print(f"negmas {negmas.__version__}, python {sys.version.split()[0]}, {platform.platform()}; detente input: {args.reader}", flush=True)
    print(hdr, flush=True)
    with tempfile.TemporaryDirectory() as td:
        for scen in args.scenarios:
            s = Scenario.load(Path(args.root) / scen, load_stats=False, load_info=False)
            entry = export_scenario(scen, s)
            jf = Path(td) / (scen.replace("/", "_") + ".json")
            jf.write_text(json.dumps(entry))
            outcomes = list(s.outcome_space.enumerate())
            index = {tuple(o): i for i, o in enumerate(outcomes)}
            for pair_name, ((ca, da), (cb, db)) in PAIRS.items():
                for n in args.n_steps:
                    nm = negmas_bench(s, (ca, cb), n, args.min_reps, args.max_reps, args.budget)
                    src = str(jf) if args.reader == "negmas-export" else str(Path(args.root) / scen)
                    out = subprocess.run([args.detente_bin, src, da, db, str(n), str(args.detente_seconds)], check=True, capture_output=True, text=True)
                    dt = json.loads(out.stdout)
                    n_agr = index[tuple(nm["agreement"])] if nm["agreement"] is not None else None
                    ratio = dt["negotiations_per_s"] / nm["negotiations_per_s"]
                    cold = (1.0 / nm["negotiations_per_s"]) / (1.0 / dt["negotiations_per_s"] + dt["prepare_s"])
                    _, st_rounds, st_agr = negmas_stable_ties(s, (ca, cb), n)
                    st_idx = index[tuple(st_agr)] if st_agr is not None else None
                    same_default = n_agr == dt["agreement_index"] and nm["rounds"] == dt["rounds"]
                    same_stable = st_idx == dt["agreement_index"] and st_rounds == dt["rounds"]
                    same = ("same" if same_default else f"tie order: NegMAS default {n_agr}@{nm['rounds']}") + (
                        "; = NegMAS stable-ties" if same_stable else f"; DIFFERS from NegMAS stable-ties {st_idx}@{st_rounds} (detente {dt['agreement_index']}@{dt['rounds']})"
                    )
                    row = dict(
                        scenario=scen,
                        n_outcomes=entry["n_outcomes"],
                        pair=pair_name,
                        n_steps=n,
                        negmas=dict(reps=nm["reps"], negotiations_per_s=nm["negotiations_per_s"], rounds=nm["rounds"], agreement_index=n_agr),
                        detente=dt,
                        ratio=ratio,
                        cold_ratio=cold,
                        agreement=same,
                        same_as_negmas_default=same_default,
                        same_as_negmas_stable_ties=same_stable,
                    )
                    rows.append(row)
                    print(
                        f"{scen.rsplit('/', 1)[-1]:22s} {entry['n_outcomes']:>8d} {pair_name:16s} {n:>5d} {str(nm['rounds']) + '/' + str(dt['rounds']):>11s} "
                        f"{nm['negotiations_per_s']:>12.2f} {dt['negotiations_per_s']:>13.0f} {ratio:>7.0f}x {dt['rounds_per_s']:>16.0f} {dt['prepare_s'] * 1e3:>8.2f} {cold:>9.0f}x {same}",
                        flush=True,
                    )
    worst = min(r["ratio"] for r in rows)
    print(f"minimum ratio {worst:.0f}x over {len(rows)} rows (>= 1000x required: {'yes' if worst >= 1000 else 'NO'})")
    n_same = sum(r["same_as_negmas_stable_ties"] for r in rows)
    print(f"agreement and round equal to NegMAS with stable tie-breaking: {n_same}/{len(rows)} rows")
    if args.out:
        Path(args.out).write_text(json.dumps(dict(negmas_version=negmas.__version__, python=sys.version.split()[0], platform=platform.platform(), args=vars(args), rows=rows), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
