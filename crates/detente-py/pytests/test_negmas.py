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
