"""detente.dask on a LocalCluster of worker processes: the shards' rows and summary are the
single-machine run's."""

import time

import pytest
from dask.distributed import Client, LocalCluster

import detente
import detente.dask


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_a_tournament_on_the_cluster_is_the_single_machine_run(client):
    s = detente.builtin()

    class Stubborn(detente.Negotiator):
        # defined here, so cloudpickle ships it to the workers by value
        name = "py-stubborn"

        def propose(self, view):
            return view.ranked(min(view.round // 4, view.n_acceptable - 1))

        def respond(self, view, offer):
            return "accept" if view.utility(offer) >= 0.55 else "reject"

    names = ["boulware", "conceder", Stubborn]
    options = dict(repetitions=3, rounds=60, protocol="sao", rotate=True, seed=9)
    local = detente.tournament(names, [s], **options)
    for shards in (1, 3, 7, 3):
        remote = detente.dask.tournament(client, names, [s], shards=shards, **options)
        assert remote.rows.equals(local.rows), shards
        assert remote.summary == local.summary, shards
    # a second tournament with the same shards on the same client is its own
    other = dict(options, repetitions=1)
    assert detente.dask.tournament(client, names, [s], shards=3, **other).rows.equals(detente.tournament(names, [s], **other).rows)
    assert "py-stubborn" in set(local.rows.column("seat1_negotiator").to_pylist())


def test_a_monte_carlo_on_the_cluster_is_the_single_machine_one(client):
    s = detente.builtin()
    for model in ("eu", "smp"):
        local = s.forecast(model=model, runs=200, seed=5).monte_carlo
        for shards in (1, 4, 9):
            remote = detente.dask.monte_carlo(client, s, model=model, runs=200, seed=5, shards=shards)
            assert remote == local, (model, shards)
