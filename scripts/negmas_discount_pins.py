#!/usr/bin/env python3
"""Pins NegMAS 0.16 negotiations under a per-round discount, for detente's test
`crates/detente-agents/tests/negmas_discount.rs` (which needs no Python).

Scenarios are the project's own: random linear-additive utility tables drawn here with a
fixed seed (no third-party data). Each profile is wrapped as NegMAS's GENIUS loader wraps a
discounted profile: `ExpDiscountedUFun(ufun, discount=d, factor="step")`, whose reserved
value is -inf (the wrapper does not inherit the profile's). NegMAS's presorting inverter is
run with a stable argsort (ties by lowest outcome index), as `tools/negmas-peer/vectors.py`
does for its `stable_ties` runs.

Usage: /path/to/venv-with-negmas-0.16/bin/python scripts/negmas_discount_pins.py \
           > crates/detente-agents/tests/negmas_discount.json
"""

from __future__ import annotations

import itertools
import json
import random
import sys

import numpy as np
import negmas
import negmas.preferences.inv_ufun.presorting as presorting
from negmas import SAOMechanism, make_issue
from negmas.gb.negotiators.timebased import (
    AspirationNegotiator,
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
)
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.discounted import ExpDiscountedUFun

CLASSES = {
    "boulware": BoulwareTBNegotiator,
    "linear": LinearTBNegotiator,
    "conceder": ConcederTBNegotiator,
    "aspiration": AspirationNegotiator,
}


class StableNumpy:
    """numpy with a stable argsort (ties keep enumeration order)."""

    def __getattr__(self, name):
        return getattr(np, name)

    def argsort(self, a, *args, **kwargs):
        kwargs["kind"] = "stable"
        return np.argsort(a, *args, **kwargs)


def scenario(rng: random.Random, sizes: list[int], n_parties: int):
    issues = [make_issue(k, f"i{j}") for j, k in enumerate(sizes)]
    ufuns = []
    for _ in range(n_parties):
        values = [{v: round(rng.random(), 6) for v in range(k)} for k in sizes]
        w = [rng.random() + 0.1 for _ in sizes]
        total = sum(w)
        ufuns.append(LinearAdditiveUtilityFunction(values=values, weights=[x / total for x in w], issues=issues))
    return issues, ufuns


def run(issues, ufuns, names, discounts, n_steps):
    m = SAOMechanism(issues=issues, n_steps=n_steps)
    wrapped = []
    for u, name, d in zip(ufuns, names, discounts):
        w = ExpDiscountedUFun(u, discount=d, factor="step") if d is not None else u
        wrapped.append(w)
        m.add(CLASSES[name](), ufun=w)
    state = m.run()
    outcomes = list(itertools.product(*[range(i.cardinality) for i in issues]))
    index = {o: k for k, o in enumerate(outcomes)}
    trace = [[step, names_index, index[tuple(offer)]] for step, names_index, offer in offers(m, len(names))]
    agreement = None if state.agreement is None else index[tuple(state.agreement)]
    return dict(
        negotiators=names,
        discounts=discounts,
        n_steps=n_steps,
        agreement_index=agreement,
        # the 0-based step whose responses completed the agreement (the last offer's step or
        # the next one), recorded from NegMAS's own state
        agreement_step=None if agreement is None else state.step - 1,
        timedout=bool(state.timedout),
        trace=trace,
    )


def offers(m, n):
    """(step, negotiator index, offer) for every offer, in order."""
    ids = [neg.id for neg in m.negotiators]
    for step, nid, offer in [(t[0], t[1], t[2]) for t in m.extended_trace]:
        yield step, ids.index(nid), offer


def main():
    presorting.np = StableNumpy()
    rng = random.Random(20261130)
    cases = []
    shapes = [([5, 4], 2), ([6, 5, 3], 2), ([8, 8], 2), ([4, 3, 3], 3), ([7, 6], 2), ([3, 3, 3, 2], 3)]
    pairs2 = [("boulware", "linear"), ("linear", "conceder"), ("aspiration", "linear"), ("conceder", "boulware")]
    for sizes, n in shapes:
        issues, ufuns = scenario(rng, sizes, n)
        outcomes = list(itertools.product(*[range(i.cardinality) for i in issues]))
        table = [[float(u(o)) for o in outcomes] for u in ufuns]
        runs = []
        pairs = pairs2 if n == 2 else [("linear", "conceder", "aspiration"), ("conceder", "linear", "linear")]
        for names in pairs:
            for d in (0.8, 0.95, 0.99):
                for n_steps in (10, 40):
                    discounts = [d] * n
                    runs.append(run(issues, ufuns, list(names), discounts, n_steps))
            # one party discounted, the other not
            runs.append(run(issues, ufuns, list(names), [0.9] + [None] * (n - 1), 30))
        cases.append(dict(sizes=sizes, utilities=table, runs=runs))
    json.dump(
        dict(
            generator="scripts/negmas_discount_pins.py",
            negmas_version=negmas.__version__,
            ties="stable argsort in NegMAS's presorting inverter (lowest outcome index first)",
            reserved_value="-inf (ExpDiscountedUFun's default; undiscounted profiles here state none either)",
            cases=cases,
        ),
        sys.stdout,
        indent=None,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
