#!/usr/bin/env python3
"""Negotiations per second from Python (docs/python.md, issue #17's figures): the built-in
negotiators in a tournament, one negotiation at a time through Scenario.negotiate, and a Python
negotiator in one seat. Run with the interpreter the detente wheel is installed in (a release
build: `maturin build --release`):

    python scripts/bench-python.py [--repetitions 50] [--rounds 100]
"""

import argparse
import time

import detente


class Linear(detente.Negotiator):
    """NegMAS's linear time-based concession, in Python: offers the outcome of its ranked list at
    its aspiration, accepts what is worth at least its next offer."""

    name = "py-linear"

    def propose(self, view):
        u = 1.0 - view.time * (1.0 - view.reservation)
        return view.worst_at_least(u) or view.best()

    def respond(self, view, offer):
        return "accept" if view.utility(offer) >= view.utility(self.propose(view)) else "reject"


def best_of(n, f):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repetitions", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--single", type=int, default=300, help="negotiations run one call at a time")
    a = ap.parse_args()
    s = detente.builtin()
    names = ["boulware", "conceder", "linear", "aspiration"]
    took, t = best_of(3, lambda: detente.tournament(names, [s], repetitions=a.repetitions, rounds=a.rounds, protocol="sao", rotate=True))
    n = t.rows.num_rows
    print(f"tournament, built-in negotiators: {n} negotiations in {took:.3f} s = {n / took:,.0f} per second")

    def one_by_one(negotiators):
        return [s.negotiate(protocol="sao", negotiators=negotiators, rounds=a.rounds, seed=k).status for k in range(a.single)]

    took, _ = best_of(3, lambda: one_by_one(["linear", "conceder"]))
    print(f"negotiate() one at a time, built-in: {a.single} in {took:.3f} s = {a.single / took:,.0f} per second")
    took, statuses = best_of(3, lambda: one_by_one([Linear(), "conceder"]))
    errored = statuses.count("errored")
    print(f"negotiate() one at a time, a Python negotiator in one seat: {a.single} in {took:.3f} s = {a.single / took:,.0f} per second ({errored} errored)")


if __name__ == "__main__":
    main()
