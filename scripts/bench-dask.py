#!/usr/bin/env python3
"""The speed-up of detente.dask.tournament with 2 workers over 1 (issue #17's figure): one
LocalCluster of worker processes each time, each worker one thread with RAYON_NUM_THREADS=1 so a
worker is one core. Run with the interpreter the detente wheel (release) and dask[distributed]
are installed in:

    python scripts/bench-dask.py [--repetitions 400] [--rounds 100]
"""

import argparse
import time

from dask.distributed import Client, LocalCluster

import detente
import detente.dask


def run(workers, names, scenarios, options, shards):
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, env={"RAYON_NUM_THREADS": "1"}) as cluster, Client(cluster) as client:
        detente.dask.tournament(client, names, scenarios, shards=shards, **dict(options, repetitions=1))  # warm the workers
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            t = detente.dask.tournament(client, names, scenarios, shards=shards, **options)
            took = time.perf_counter() - t0
            best = took if best is None else min(best, took)
        return best, t.rows.num_rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repetitions", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--shards", type=int, default=8)
    a = ap.parse_args()
    s = detente.builtin()
    names = ["boulware", "conceder", "linear", "aspiration"]
    options = dict(repetitions=a.repetitions, rounds=a.rounds, protocol="sao", rotate=True)
    one, n = run(1, names, [s], options, a.shards)
    two, _ = run(2, names, [s], options, a.shards)
    print(f"{n} negotiations, {a.shards} shards: 1 worker {one:.2f} s, 2 workers {two:.2f} s, speed-up {one / two:.2f}x")


if __name__ == "__main__":
    main()
