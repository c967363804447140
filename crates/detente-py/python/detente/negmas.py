"""NegMAS interop: a scenario to NegMAS and back, and a NegMAS SAO negotiator in a detente seat.

>>> import detente, detente.negmas
>>> from negmas.sao import AspirationNegotiator
>>> ns = detente.negmas.to_negmas(detente.load("scenarios/textbook-bilateral.toml"))   # negmas.inout.Scenario
>>> s = detente.negmas.from_negmas(ns)                     # back, read with NegMAS's semantics
>>> Asp = detente.negmas.seat(AspirationNegotiator)        # a detente negotiator class
>>> s.negotiate(protocol="sao", negotiators=[Asp(), "boulware"])
>>> detente.tournament(["boulware", "conceder", Asp], [s], rotate=True, protocol="sao")

Both directions go through GENIUS XML, the format both read and write: to NegMAS, detente's export
(``Scenario.to_genius``) loaded with ``negmas.inout.Scenario.from_genius_folder``; from NegMAS, its
``to_genius_folder`` read by detente with NegMAS's semantics (``reading="negmas"``). So a linear
additive NegMAS scenario (discrete issues, table, affine or linear value functions, weights,
reserved values, an exponential discount) comes through; what GENIUS cannot hold does not.

A seat (:func:`seat`) holds one NegMAS negotiator in an ``SAOMechanism`` of its own, over the
scenario as NegMAS reads it through GENIUS (the seat's profile ``<actor id>.xml``), with the
negotiation's deadline. At each turn the mechanism's step is set to detente's round — NegMAS's
discounted utilities read it — and the negotiator is called as NegMAS's own mechanism calls it,
with an ``SAOState`` of that round, NegMAS's relative time ``(step + 1)/(n_steps + 1)`` and the
offer on the table; its ``SAOResponse`` is the seat's move. The joint table only (NegMAS's
single-text mechanisms take no SAO negotiator), any number of parties.

NegMAS is imported only here (``pip install negmas``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Optional

from . import Negotiator, Scenario, from_genius

__all__ = ["from_negmas", "seat", "to_negmas"]


def _write(files: tuple, folder: Path) -> None:
    (domain_name, domain_text), profiles = files
    (folder / domain_name).write_text(domain_text)
    for name, text in profiles:
        (folder / name).write_text(text)


def to_negmas(scenario: Scenario):
    """The scenario as a ``negmas.inout.Scenario`` (outcome space and one linear additive
    utility function per actor, named ``<actor id>.xml``)."""
    return _negmas_of(scenario.to_genius(), scenario.id)


def _negmas_of(files: tuple, name: str):
    """A ``negmas.inout.Scenario`` from a scenario's GENIUS files (``Scenario.to_genius()``)."""
    from negmas.inout import Scenario as NScenario

    with tempfile.TemporaryDirectory() as d:
        _write(files, Path(d))
        ns = NScenario.from_genius_folder(d, safe_parsing=False)
    if ns is None:
        raise ValueError(f"NegMAS could not read {name} as GENIUS XML")
    return ns


def from_negmas(ns: Any, reading: str = "negmas") -> Scenario:
    """A ``negmas.inout.Scenario`` as a detente scenario (its GENIUS form, read with NegMAS's
    semantics by default: raw evaluations, reserved values as stated)."""
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        ns.to_genius_folder(folder)
        files = sorted(p for p in folder.iterdir() if p.is_file())
        # the domain is the one file whose root is <negotiation_template>; the rest are profiles
        domain = next(p for p in files if "<negotiation_template" in p.read_text())
        profiles = [(p.name if p.suffix == ".xml" else p.name + ".xml", p.read_text()) for p in files if p != domain]
        return from_genius((domain.name, domain.read_text()), profiles, reading)


class _Seat(Negotiator):
    """A NegMAS SAO negotiator in a detente seat (made by :func:`seat`)."""

    negmas_class: Any = None
    negmas_kwargs: dict = {}

    def __init__(self) -> None:
        self._neg = None
        self._pending: Optional[tuple] = None

    def _setup(self, view) -> None:
        from negmas.sao import SAOMechanism

        ns = _negmas_of(view.scenario.to_genius(), view.scenario.id)
        ufun = {Path(u.name).stem: u for u in ns.ufuns}[view.actor]
        self._mechanism = SAOMechanism(outcome_space=ns.outcome_space, n_steps=view.n_rounds)
        self._neg = self.negmas_class(**self.negmas_kwargs)
        self._mechanism.add(self._neg, ufun=ufun)
        # each issue's NegMAS values by detente's label (GENIUS writes the option ids detente labels)
        self._values = [{str(v): v for v in issue.all} for issue in ns.outcome_space.issues]
        self._started = False

    def _ask(self, view, offer: Optional[int]):
        from negmas.sao import SAOState

        if self._neg is None:
            self._setup(view)
        current = None if offer is None else tuple(self._values[k][label] for k, label in enumerate(view.outcome(offer).values()))
        # NegMAS's discounted utility functions read the mechanism's step
        self._mechanism._current_state.step = view.round
        state = SAOState(
            running=True,
            started=True,
            step=view.round,
            time=0.0,
            relative_time=view.time,
            current_offer=current,
            current_proposer=None if offer is None else "opponent",
            n_negotiators=view.n_parties,
        )
        if not self._started:
            self._started = True
            self._neg._on_negotiation_start(state)
        return self._neg(state)

    def respond(self, view, offer: int) -> str:
        from negmas.gb.common import ResponseType

        r = self._ask(view, offer)
        if r.response == ResponseType.ACCEPT_OFFER:
            return "accept"
        if r.response == ResponseType.END_NEGOTIATION:
            return "end"
        self._pending = (view.round, r.outcome)
        return "reject"

    def propose(self, view):
        from negmas.gb.common import ResponseType

        if self._pending is not None and self._pending[0] == view.round:
            outcome, self._pending = self._pending[1], None
        else:
            r = self._ask(view, None)
            if r.response == ResponseType.END_NEGOTIATION:
                return None
            outcome = r.outcome
        if outcome is None:
            return None
        return {issue: str(v) for issue, v in zip(view.outcome(view.best()).keys(), outcome)}


def seat(negmas_class: Any, name: Optional[str] = None, **kwargs) -> type:
    """A detente negotiator class playing ``negmas_class(**kwargs)``, a NegMAS ``SAONegotiator``:
    give the class to :func:`detente.tournament` (a fresh NegMAS negotiator per seat), or an
    instance of it to ``Scenario.negotiate``. Named ``negmas:<class name>`` unless ``name``."""
    label = name or f"negmas:{negmas_class.__name__}"
    return type(label.replace(":", "_"), (_Seat,), {"negmas_class": negmas_class, "negmas_kwargs": dict(kwargs), "name": label})
