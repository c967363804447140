"""NegMAS interop: a detente scenario to NegMAS and back keeps every utility, as both read it."""

import warnings

import detente
import detente.negmas

warnings.filterwarnings("ignore")


def test_a_scenario_goes_to_negmas_and_back_with_its_utilities(tmp_path):
    s = detente.from_genius(*detente.builtin().to_genius(), reading="negmas")
    ns = detente.negmas.to_negmas(s)
    ufuns = {u.name.removesuffix(".xml"): u for u in ns.ufuns}
    assert sorted(ufuns) == sorted(s.actors)
    assert ns.outcome_space.cardinality == s.n_outcomes
    # every actor's utilities, NegMAS's against detente's (as multisets: the two enumerate the
    # outcomes in their own orders)
    table = s.utilities()
    outcomes = list(ns.outcome_space.enumerate())
    for actor in s.actors:
        mine = sorted(table.column(actor).to_pylist())
        theirs = sorted(float(ufuns[actor](o)) for o in outcomes)
        assert len(mine) == len(theirs) == s.n_outcomes
        assert max(abs(x - y) for x, y in zip(mine, theirs)) < 1e-9, actor
    # and back: the same scenario as detente reads it
    back = detente.negmas.from_negmas(ns)
    assert back.n_outcomes == s.n_outcomes and sorted(back.actors) == sorted(s.actors)
    theirs = back.utilities()
    for actor in s.actors:
        assert sorted(theirs.column(actor).to_pylist()) == sorted(table.column(actor).to_pylist()), actor


def _first_difference(a, b):
    """The first event where two negotiations part, or None."""
    for x, y in zip(a.events.to_pylist(), b.events.to_pylist()):
        if (x["action"], x["outcome_index"]) != (y["action"], y["outcome_index"]):
            return x, y
    return None if a.events.num_rows == b.events.num_rows else ({}, {})


def test_negmas_negotiators_in_a_detente_seat_play_as_detentes_own_ports():
    from pathlib import Path

    from negmas.sao import AspirationNegotiator, BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator

    repo = Path(__file__).resolve().parents[3]
    # the scenario as NegMAS reads it, so both sides value every outcome alike
    s = detente.negmas.from_negmas(detente.negmas.to_negmas(detente.load(repo / "scenarios/textbook-bilateral.toml")))
    ports = [(AspirationNegotiator, "aspiration"), (BoulwareTBNegotiator, "boulware"), (ConcederTBNegotiator, "conceder"), (LinearTBNegotiator, "linear")]
    same = 0
    cases = 0
    for cls, builtin in ports:
        seat = detente.negmas.seat(cls)
        for opponent in ["boulware", "conceder", "linear", "aspiration"]:
            for k in (0, 1):
                ours, theirs = [opponent, opponent], [opponent, opponent]
                ours[k], theirs[k] = builtin, seat()
                a = s.negotiate(protocol="sao", negotiators=ours, rounds=40, seed=1)
                b = s.negotiate(protocol="sao", negotiators=theirs, rounds=40, seed=1)
                assert b.status != "errored", b.report.reason
                assert b.report.parties[k].negotiator == f"negmas:{cls.__name__}"
                cases += 1
                d = _first_difference(a, b)
                if d is None:
                    same += 1
                    continue
                # the stable-tie caveat: NegMAS sorts outcomes with numpy's unstable argsort,
                # detente breaks ties by the lowest index; the two may part only where the acting
                # party is indifferent between the two offers
                x, y = d
                assert x["action"] == y["action"] == "offer" and x["u_" + x["actor"]] == y["u_" + y["actor"]], (builtin, opponent, k, x, y)
    assert same >= cases * 3 // 4, f"only {same} of {cases} negotiations identical"
    # and in a tournament beside detente's own
    t = detente.tournament(["boulware", detente.negmas.seat(ConcederTBNegotiator)], [s], rotate=True, protocol="sao", rounds=40)
    assert "errored" not in t.rows.column("status").to_pylist()
    assert "negmas:ConcederTBNegotiator" in [n.negotiator for n in t.summary.negotiators]
