"""detente on a Dask cluster: tournaments split into the same deterministic shards as
``detente tournament --shard k/N``, and forecasts' Monte Carlo runs split into shares, run on the
workers of a ``dask.distributed`` client and merged into exactly what one machine gives.

>>> from dask.distributed import Client, LocalCluster
>>> import detente, detente.dask
>>> client = Client(LocalCluster(n_workers=2, threads_per_worker=1))
>>> t = detente.dask.tournament(client, ["boulware", "conceder", MyAgent], [detente.load("a.toml")], repetitions=100)
>>> t.rows.num_rows, t.summary.negotiators[0].negotiator

Scenarios travel to the workers as how to read them (a path, the built-in one, or TOML text with
the what-ifs applied): a path must be readable there too (a shared file system, as for Slurm).
Python negotiator classes travel by cloudpickle. Each shard is a task; the rows come back as Arrow
tables and the summary is computed once from all of them (``summary.json``'s numbers, not an
average of shards').
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence, Union

import pyarrow as pa

from . import Report, Scenario, Tournament, _summarize
from . import tournament as _tournament

__all__ = ["monte_carlo", "tournament"]


def _shard(negotiators: list, scenarios: list, k: int, n: int, options: dict) -> pa.Table:
    return _tournament(negotiators, scenarios, shard=(k, n), **options).rows


def tournament(
    client: Any,
    negotiators: Sequence[Union[str, type]],
    scenarios: Sequence[Scenario],
    shards: Optional[int] = None,
    repetitions: int = 1,
    rounds: Optional[int] = None,
    seed: int = 0,
    protocol: Optional[str] = None,
    rotate: bool = False,
    self_play: bool = True,
    timeout: Optional[float] = 10.0,
) -> Tournament:
    """:func:`detente.tournament` on the cluster behind ``client`` (a ``dask.distributed.Client``):
    ``shards`` tasks (default: two per worker thread), each the shard ``k/shards`` of the same
    numbering, seeds and order; the merged rows and summary equal a single-machine run's."""
    negotiators, scenarios = list(negotiators), list(scenarios)
    if shards is None:
        shards = max(1, 2 * sum(client.nthreads().values()))
    options = dict(repetitions=repetitions, rounds=rounds, seed=seed, protocol=protocol, rotate=rotate, self_play=self_play)
    futures = [
        # pure=False: a fresh key per task, so two runs never share a result
        client.submit(_shard, negotiators, scenarios, k, shards, dict(options, timeout=timeout), pure=False)
        for k in range(1, shards + 1)
    ]
    tables = client.gather(futures)
    rows = pa.concat_tables(tables).sort_by("index").combine_chunks()
    summary = _summarize(rows, negotiators, [s._inner for s in scenarios], **options)
    return Tournament(rows, Report(json.loads(summary)))


def _runs(scenario: Scenario, model: str, preset: Optional[str], seed: int, start: int, end: int) -> str:
    return scenario._inner._monte_carlo_runs(model, preset, seed, start, end)


def monte_carlo(
    client: Any,
    scenario: Scenario,
    model: str = "eu",
    runs: int = 1000,
    seed: int = 0,
    preset: Optional[str] = None,
    shards: Optional[int] = None,
) -> Report:
    """The Monte Carlo of ``scenario.forecast(model, runs=runs, seed=seed)`` (its ``monte_carlo``
    report) on the cluster behind ``client``: the runs split into ``shards`` consecutive shares
    (default: two per worker thread), each run seeded from ``seed`` and its own number as on one
    machine, and summarised once from all of them: equal to the single-machine report."""
    if runs < 1:
        raise ValueError("runs: expected at least 1")
    if shards is None:
        shards = max(1, 2 * sum(client.nthreads().values()))
    bounds = [(runs * k // shards, runs * (k + 1) // shards) for k in range(shards)]
    futures = [
        client.submit(_runs, scenario, model, preset, seed, a, b, pure=False)
        for a, b in bounds
        if b > a
    ]
    shares = client.gather(futures)
    return Report(json.loads(scenario._inner._monte_carlo_summary(model, preset, seed, shares)))
