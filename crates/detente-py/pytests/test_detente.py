"""The detente package as a researcher uses it, from a fresh venv (crates/detente-py/tests/python.rs
builds the wheel, installs it and runs these)."""

import json
import subprocess
import sys

import pyarrow as pa
import pytest

import detente


@pytest.fixture(scope="module")
def s():
    return detente.builtin()


def test_the_scenario_reads_as_the_command_line_reads_it(s):
    assert s.id == "ukraine-ceasefire-2025"
    assert s.parties("sao") == ["russia", "ukraine"]
    assert "europe_at_the_table" in s.variants
    assert [i for i, _ in s.issues][:2] == ["territory", "nato"]
    assert s.n_outcomes == 163296
    again = detente.from_toml(s.to_toml(), "again.toml")
    assert again.n_outcomes == s.n_outcomes


def test_reports_are_the_command_lines_json(s, tmp_path):
    # the same JSON `detente analyze --json` prints, read by attribute
    a = s.analyze()
    assert a.outcome_count == s.n_outcomes
    assert a.zopa is not None
    f = s.forecast(model="smp")
    assert "forecast" in f
    # a report is plain data too
    assert json.dumps(a.to_dict())


def test_a_negotiation_gives_its_report_and_its_events_as_an_arrow_table(s):
    n = s.negotiate(protocol="sao", negotiators=["boulware", "conceder"], rounds=50, seed=1)
    assert n.status == "agreed"
    assert set(n.agreement) == {i for i, _ in s.issues}
    ev = n.events
    assert isinstance(ev, pa.Table)
    assert ev.schema.names[:4] == ["round", "actor", "action", "outcome_index"]
    assert ev.num_rows == len(n.report.offers) + 1  # every offer, then the acceptance
    assert ev.column("action").to_pylist()[-1] == "accept"
    # the same inputs and seed, the same negotiation
    again = s.negotiate(protocol="sao", negotiators=["boulware", "conceder"], rounds=50, seed=1)
    assert again.events.equals(ev)
    assert "<svg" in n.html


class Conceder(detente.Negotiator):
    """A Python negotiator: concedes linearly through its ranked outcomes, accepts what beats its
    next offer."""

    name = "py-linear"

    def propose(self, view):
        k = int(view.time * (view.n_acceptable - 1) * 0.5)
        return view.ranked(k)

    def respond(self, view, offer):
        nxt = Conceder.propose(self, view)
        return "accept" if view.utility(offer) >= view.utility(nxt) else "reject"


def test_a_python_negotiator_takes_a_seat_in_every_protocol(s):
    n = s.negotiate(protocol="sao", negotiators=[Conceder(), "conceder"], rounds=60, seed=2)
    assert n.status in ("agreed", "timed_out"), n.report.reason
    assert [p.negotiator for p in n.report.parties] == ["py-linear", "conceder"]
    # offers as dicts of issue → option work too
    class Dict(Conceder):
        def propose(self, view):
            return view.outcome(super().propose(view))
    assert s.negotiate(protocol="sao", negotiators=[Dict(), "conceder"], rounds=60, seed=2).events.equals(n.events)
    # a class plays as a fresh instance; respond may answer True / False
    class Bools(Conceder):
        def respond(self, view, offer):
            return super().respond(view, offer) == "accept"

    assert s.negotiate(protocol="sao", negotiators=[Conceder, "conceder"], rounds=60, seed=2).events.equals(n.events)
    assert s.negotiate(protocol="sao", negotiators=[Bools(), "conceder"], rounds=60, seed=2).events.equals(n.events)
    # single text: it votes (the default HillClimber voter, or its own vote)
    st = s.negotiate(protocol="single_text", negotiators=[Conceder(), "conceder", "boulware"], rounds=20)
    assert st.status != "errored", st.report.reason
    # shuttle: it answers the mediator's visits
    sh = s.negotiate(protocol="shuttle", negotiators=[Conceder(), "conceder", "boulware"], rounds=20)
    assert sh.status != "errored", sh.report.reason


def test_a_misbehaving_python_negotiator_errors_its_negotiation_not_the_process(s):
    class Raises(detente.Negotiator):
        def propose(self, view):
            raise RuntimeError("boom")

    n = s.negotiate(protocol="sao", negotiators=[Raises(), "conceder"], rounds=20)
    assert n.status == "errored"
    assert "RuntimeError: boom" in n.report.reason
    assert "propose" in n.report.reason  # the traceback

    class Invalid(detente.Negotiator):
        def propose(self, view):
            return 10**12  # outside the space

    n = s.negotiate(protocol="sao", negotiators=[Invalid(), "conceder"], rounds=20)
    assert n.status == "errored"

    class NotAMove(detente.Negotiator):
        def propose(self, view):
            return "a fine offer"

    n = s.negotiate(protocol="sao", negotiators=[NotAMove(), "conceder"], rounds=20)
    assert n.status == "errored" and "not an outcome" in n.report.reason

    class Slow(detente.Negotiator):
        def propose(self, view):
            import time
            time.sleep(0.05)
            return view.best()

    n = s.negotiate(protocol="sao", negotiators=[Slow(), "conceder"], rounds=20, timeout=0.01)
    assert n.status == "errored" and "over its limit" in n.report.reason
    # and the process goes on
    assert s.negotiate(protocol="sao", negotiators=["boulware", "conceder"], rounds=20).status


def test_errors_are_exceptions_with_every_located_problem(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 2\n[meta]\nid = "x"\n[[issues]]\nid = 3\n')
    with pytest.raises(detente.ScenarioError) as e:
        detente.load(bad)
    assert "bad.toml:" in str(e.value)
    assert all(len(p) == 4 for p in e.value.problems)
    assert any(p[1] is not None for p in e.value.problems), e.value.problems
    with pytest.raises(detente.DetenteError):
        detente.builtin().negotiate(protocol="sao", negotiators=["nobody"])
    with pytest.raises(ValueError):
        detente.builtin().negotiate(protocol="auction")


def test_a_tournament_gives_its_rows_as_arrow_and_its_shards_make_the_whole(s):
    t = detente.tournament(["boulware", "conceder", "linear"], [s], repetitions=2, rotate=True, protocol="sao", seed=3)
    rows = t.rows
    assert isinstance(rows, pa.Table)
    assert rows.num_rows == t.summary.negotiations
    assert rows.column("index").to_pylist() == list(range(rows.num_rows))
    shards = [detente.tournament(["boulware", "conceder", "linear"], [s], repetitions=2, rotate=True, protocol="sao", seed=3, shard=(k, 3)).rows for k in (1, 2, 3)]
    whole = pa.concat_tables(shards).sort_by("index")
    assert whole.equals(rows)
    # the summary's standings count every row
    assert sum(n.negotiations for n in t.summary.negotiators) >= rows.num_rows


def test_a_python_negotiator_class_plays_a_tournament_beside_the_builtins(s):
    names = ["boulware", "conceder", Conceder]
    t = detente.tournament(names, [s], repetitions=2, rotate=True, protocol="sao", seed=4)
    rows = t.rows
    seats = set(rows.column("seat1_negotiator").to_pylist()) | set(rows.column("seat2_negotiator").to_pylist())
    assert seats == {"boulware", "conceder", "py-linear"}
    assert rows.num_rows == 3 * 3 * 2 * 2  # seatings × openers × repetitions
    assert "errored" not in rows.column("status").to_pylist()
    assert "py-linear" in [n.negotiator for n in t.summary.negotiators]
    # deterministic negotiators, the same rows again (whatever the threads did)
    assert detente.tournament(names, [s], repetitions=2, rotate=True, protocol="sao", seed=4).rows.equals(rows)

    class Broken(detente.Negotiator):
        name = "broken"

        def __init__(self):
            raise RuntimeError("cannot start")

    t = detente.tournament(["boulware", Broken], [s], protocol="sao")
    rows = t.rows.to_pylist()
    for r in rows:
        with_broken = "broken" in (r["seat1_negotiator"], r["seat2_negotiator"])
        # a class that cannot be made errors the negotiations it sits in, and only those
        assert (r["status"] == "errored") == with_broken, r
        if with_broken:
            assert "cannot start" in r["reason"], r["reason"]
    with pytest.raises(ValueError):
        detente.tournament(["boulware", Conceder()], [s], protocol="sao")  # an instance, not a class

    class Unnamed(Conceder):
        name = None  # then its class name names it

    t = detente.tournament(["boulware", Unnamed], [s], protocol="sao")
    assert [n.negotiator for n in t.summary.negotiators] == ["boulware", "Unnamed"]
    assert s.negotiate(protocol="sao", negotiators=[Unnamed(), "boulware"]).report.parties[0].negotiator == "Unnamed"


def test_the_gil_is_released_while_rust_negotiates(s):
    # a Python thread keeps running while a long tournament runs in Rust
    import threading
    import time

    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    th = threading.Thread(target=tick)
    th.start()
    t0 = time.perf_counter()
    detente.tournament(["boulware", "conceder", "linear", "aspiration"], [s], repetitions=100, rounds=200, protocol="sao")
    t1 = time.perf_counter()
    stop.set()
    th.join()
    during = [t for t in ticks if t0 < t < t1]
    # with the GIL held the thread could not tick at all until the tournament ended
    assert len(during) >= 3, f"{len(during)} ticks in {t1 - t0:.3f} s"


def test_a_scenario_pickles_as_how_to_read_it_again(s, tmp_path):
    import pickle

    v = s.variant("europe_at_the_table")
    again = pickle.loads(pickle.dumps(v))
    assert again.parties("sao") == v.parties("sao") and again.n_outcomes == v.n_outcomes
    assert again.analyze() == v.analyze()
    t = detente.from_toml(s.to_toml(), "copy.toml")
    assert pickle.loads(pickle.dumps(t)).to_toml() == t.to_toml()


def test_the_type_stubs_name_what_the_package_has():
    import ast
    from pathlib import Path

    stub = ast.parse((Path(detente.__file__).parent / "__init__.pyi").read_text())
    top = {n.name for n in stub.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    assert set(detente.__all__) <= top, set(detente.__all__) - top
    for cls in ("Scenario", "View", "Negotiation", "Tournament"):
        body = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == cls).body
        typed = {n.name for n in body if isinstance(n, ast.FunctionDef)} | {n.target.id for n in body if isinstance(n, ast.AnnAssign)}
        public = {a for a in dir(getattr(detente, cls)) if not a.startswith("_")}
        assert public <= typed, f"{cls}: {sorted(public - typed)} not in the stubs"


def test_a_study_reads_the_conflict_part_wherever_the_scenario_came_from(tmp_path):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "scenarios/ukraine-ceasefire-2025.toml").read_text()
    (tmp_path / "talks.toml").write_text(text)
    # the built-in scenario, the same file, and the same TOML text each carry the [conflict] part
    for s in (detente.builtin(), detente.load(tmp_path / "talks.toml"), detente.from_toml(text, "talks.toml")):
        assert s.study(runs=0, seeds=0).stability is not None, s.source
