#!/usr/bin/env python3
"""Pins NegMAS 0.16 runs of the NegMAS-native negotiators detente reproduces.

Generates a few small random linear-additive scenarios (fixed seed; 2-3 issues, 10-300
outcomes, deliberate ties, some with reserved values, one with three parties), runs NegMAS's
own negotiators on them in an `SAOMechanism` with ties broken the stable way, and writes one
JSON fixture that `crates/detente-agents/tests/negmas_pins.rs` replays without Python:

- per scenario: the utility of every outcome for every party (outcome index order: the
  cartesian product of the issues, first issue slowest) as NegMAS computed it, and the
  reserved values (null when the party states none: NegMAS's -inf);
- per run: the negotiator classes (in mechanism order; `Class(key=value)` with parameters), n_steps, NegMAS's full offer trace as
  [step, proposer index, outcome index], and the result (agreement index and step, timed out,
  broken).

Stable ties: NegMAS's presorting inverter orders outcomes with numpy's default (unstable,
CPU-dependent) `argsort`; here that module's `np` is replaced by a proxy whose `argsort` always
uses `kind="stable"`, so equal utilities are ordered by lowest outcome index, which is the
order detente uses.

Randomness: MiCRO repeats "one of its earlier offers at random" (`random.choice` over a Python
set) when the opponent has not sent as many distinct offers as it has. detente uses its own
seeded generator, so such a choice cannot be matched; the script records the first step at
which MiCRO made a random choice among two or more outcomes (`random_from_step`), and the test
compares the trace only before it.

Usage: /work/venv-negmas/bin/python scripts/negmas-pins/pins.py [--out PATH]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "crates/detente-agents/tests/negmas_pins/pins.json"
SEED = 20261130

TB = ["AspirationNegotiator", "BoulwareTBNegotiator", "LinearTBNegotiator", "ConcederTBNegotiator"]
TFT = "NaiveTitForTatNegotiator"
MICRO = "MiCRONegotiator"
TOUGH = "ToughNegotiator"

# (issue value counts, tie grid: utilities per issue are k/grid, reserved?, parties)
SCENARIOS = [
    ([5, 2], 4, False, 2),
    ([4, 3, 2], 2, False, 2),
    ([6, 5], 3, True, 2),
    ([10, 10, 3], 4, False, 2),
    ([7, 4, 3], 0, True, 2),
    ([3, 3, 2], 2, True, 2),
    ([5, 4], 3, False, 3),
]

BILATERAL = [
    (TFT, TFT),
    (TFT, "AspirationNegotiator"),
    ("AspirationNegotiator", TFT),
    (TFT, "BoulwareTBNegotiator"),
    ("LinearTBNegotiator", TFT),
    (MICRO, MICRO),
    (MICRO, "AspirationNegotiator"),
    ("BoulwareTBNegotiator", MICRO),
    (MICRO, TFT),
    (TOUGH, "AspirationNegotiator"),
    ("ConcederTBNegotiator", TOUGH),
    (TOUGH, MICRO),
    (TFT, TOUGH),
    (TFT + "(kindness=0.05)", "AspirationNegotiator"),
    ("BoulwareTBNegotiator", TFT + "(punish=True)"),
    (TOUGH, "BoulwareTBNegotiator"),
    ("BoulwareTBNegotiator", "ConcederTBNegotiator"),
    ("LinearTBNegotiator", "AspirationNegotiator"),
]
TRILATERAL = [
    (TFT, "AspirationNegotiator", "LinearTBNegotiator"),
    (MICRO, MICRO, "ConcederTBNegotiator"),
    ("AspirationNegotiator", "BoulwareTBNegotiator", TOUGH),
]
N_STEPS = [12, 40]


class _StableArgsort:
    """numpy, except that `argsort` is stable (ties keep enumeration order)."""

    def __init__(self, np_module):
        self._np = np_module

    def __getattr__(self, name):
        return getattr(self._np, name)

    def argsort(self, a, *args, **kwargs):
        kwargs["kind"] = "stable"
        return self._np.argsort(a, *args, **kwargs)


def make_scenario(rng: np.random.Generator, counts, grid, reserved, n_parties):
    """The outcome space, its outcomes, and a function making fresh ufuns (a ufun caches its
    inverter, whose `next_worse` walk is state: reusing a ufun across negotiations would carry
    that state over)."""
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = [make_issue(k, f"i{j}") for j, k in enumerate(counts)]
    os_ = make_os(issues)
    outcomes = list(os_.enumerate())
    assert outcomes == list(itertools.product(*[range(k) for k in counts])), "index order"
    specs = []
    for _ in range(n_parties):
        tables = []
        for k in counts:
            if grid:
                vals = rng.integers(0, grid + 1, size=k) / grid  # ties on purpose
            else:
                vals = rng.random(k)
            tables.append({v: float(x) for v, x in enumerate(vals)})
        if grid:
            w = rng.integers(1, 4, size=len(counts)).astype(float)
        else:
            w = rng.random(len(counts)) + 0.1
        w = [float(x) for x in w / w.sum()]
        r = float(rng.uniform(0.1, 0.5)) if reserved else None
        specs.append((tables, w, r))

    def ufuns():
        out = []
        for tables, w, r in specs:
            u = LinearAdditiveUtilityFunction(values=[TableFun(dict(t)) for t in tables], weights=list(w), outcome_space=os_)
            if r is not None:
                lo, hi = u.minmax()
                u.reserved_value = float(lo + r * (hi - lo))
            out.append(u)
        return out

    return os_, outcomes, ufuns


def run(os_, outcomes, make_ufuns, classes, n_steps):
    import negmas.gb.components.offering as offering
    import negmas.preferences.inv_ufun.presorting as pres
    import negmas.sao as sao
    from negmas.sao import SAOMechanism

    index = {tuple(o): i for i, o in enumerate(outcomes)}
    random_steps: list[int] = []
    old_np, old_sample = pres.np, offering.MiCROOfferingPolicy.sample_sent

    def sample_sent(self):
        if len(self._sent) >= 2:
            random_steps.append(int(self.negotiator.nmi.state.step))
        return old_sample(self)

    pres.np = _StableArgsort(np)
    offering.MiCROOfferingPolicy.sample_sent = sample_sent
    try:
        m = SAOMechanism(outcome_space=os_, n_steps=n_steps)
        for c, u in zip(classes, make_ufuns()):
            name, _, params = c.partition("(")
            kwargs = dict(kv.split("=") for kv in params.rstrip(")").split(",") if kv)
            kwargs = {k: (v == "True") if v in ("True", "False") else float(v) for k, v in kwargs.items()}
            m.add(getattr(sao, name)(**kwargs), ufun=u)
        m.run()
    finally:
        pres.np = old_np
        offering.MiCROOfferingPolicy.sample_sent = old_sample
    st = m.state
    ids = [n.id for n in m.negotiators]
    agr = st.agreement
    return dict(
        negotiators=list(classes),
        n_steps=n_steps,
        trace=[[int(step), ids.index(nid), index[tuple(o)]] for step, nid, o in m.extended_trace],
        agreement=index[tuple(agr)] if agr is not None else None,
        agreement_round=(st.step - 1) if agr is not None else None,
        timedout=bool(st.timedout),
        broken=bool(st.broken),
        random_from_step=min(random_steps) if random_steps else None,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    args = ap.parse_args()
    import negmas

    random.seed(SEED)
    rng = np.random.default_rng(SEED)
    out = dict(
        generator="scripts/negmas-pins/pins.py",
        negmas_version=negmas.__version__,
        numpy_version=np.__version__,
        ties="stable argsort (equal utilities ordered by lowest outcome index)",
        scenarios=[],
    )
    for n, (counts, grid, reserved, n_parties) in enumerate(SCENARIOS):
        os_, outcomes, make_ufuns = make_scenario(rng, counts, grid, reserved, n_parties)
        ufuns = make_ufuns()
        rec = dict(
            name=f"pin{n}",
            issues=list(counts),
            utilities=[[float(u(o)) for o in outcomes] for u in ufuns],
            reserved=[None if u.reserved_value == float("-inf") else float(u.reserved_value) for u in ufuns],
            runs=[],
        )
        pairs = BILATERAL if n_parties == 2 else TRILATERAL
        for classes in pairs:
            for n_steps in N_STEPS:
                random.seed(SEED)
                r1 = run(os_, outcomes, make_ufuns, classes, n_steps)
                if r1["random_from_step"] is None:
                    random.seed(SEED + 1)
                    r2 = run(os_, outcomes, make_ufuns, classes, n_steps)
                    assert r1 == r2, f"not deterministic: {classes}"
                rec["runs"].append(r1)
        out["scenarios"].append(rec)
        print(rec["name"], counts, "runs", len(rec["runs"]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
