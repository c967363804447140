"""detente: model, simulate, analyse and forecast multi-party, multi-issue negotiations.

The engine is Rust (the `detente` command's own crates); this package is a printer over its
report types, as the command line and the web app are:

>>> import detente
>>> s = detente.builtin()                     # or detente.load("scenario.toml"), a GENIUS folder, …
>>> s.analyze().zone.exists                    # the analyse lens (`detente analyze --json`)
>>> n = s.negotiate(protocol="sao", negotiators=["boulware", "conceder"], rounds=100, seed=1)
>>> n.report.status, n.events.to_pandas()      # a report, and the events as an Arrow table
>>> t = detente.tournament(["boulware", "conceder", MyAgent()], [s], repetitions=10)

Reports are :class:`Report` objects: the JSON the command line writes with ``--json`` (one schema),
read by attribute (``report.deal.nash.terms``) or as plain data (``report.to_dict()``). Tables are
``pyarrow.Table`` objects built on Rust's memory without a copy (``.to_pandas()``,
``polars.from_arrow(...)``).

Your own negotiator is a class with ``propose(view)`` and optionally ``respond(view, offer)`` and
``vote(view, proposal, current)``: see :class:`Negotiator`.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional, Sequence, Union

from ._detente import (  # noqa: F401  (re-exported)
    _summarize,
    DetenteError,
    Scenario as _Scenario,
    ScenarioError,
    View,
    __version__,
    builtin as _builtin,
    from_toml as _from_toml,
    from_genius as _from_genius,
    load as _load,
    negotiator_names,
    _tournament,
)

__all__ = [
    "DetenteError",
    "Negotiation",
    "Negotiator",
    "Report",
    "Scenario",
    "ScenarioError",
    "Tournament",
    "View",
    "builtin",
    "from_genius",
    "from_toml",
    "load",
    "negotiator_names",
    "tournament",
]


class Report:
    """A report as attributes: the JSON detente's ``--json`` writes, read as ``r.field.sub``.

    Lists stay lists (of Reports where they hold objects); ``to_dict()`` gives the plain data and
    ``r["field"]`` works as well as ``r.field``.
    """

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    @staticmethod
    def _wrap(value: Any) -> Any:
        if isinstance(value, dict):
            return Report(value)
        if isinstance(value, list):
            return [Report._wrap(v) for v in value]
        return value

    def __getattr__(self, name: str) -> Any:
        try:
            return Report._wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"this report has no `{name}`; it has: {', '.join(self._data)}") from None

    def __getitem__(self, name: str) -> Any:
        return Report._wrap(self._data[name])

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("reports are read-only")

    def __dir__(self) -> list:
        return list(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Report) and self._data == other._data

    def keys(self) -> Iterable[str]:
        return self._data.keys()

    def to_dict(self) -> dict:
        """The plain data (a deep copy)."""
        return json.loads(json.dumps(self._data))

    def __repr__(self) -> str:
        text = json.dumps(self._data)
        return f"Report({text[:200]}{'…' if len(text) > 200 else ''})"


class Negotiator:
    """A negotiator written in Python. Subclass it (or write any class with these methods) and put
    an instance among ``negotiators`` beside the built-in names.

    - ``propose(view)`` → the outcome to offer: its index (``view.best()``, ``view.ranked(k)``) or a
      dict of issue id → option label; ``None`` walks away.
    - ``respond(view, offer)`` → ``"accept"`` (or ``True``), ``"reject"`` (or ``False``; then
      ``propose`` is asked for the counter-offer) or ``"end"``. The default rejects every offer:
      override it to ever accept.
    - ``vote(view, proposal, current)`` → bool, in single-text mediation; without it, GENIUS's
      HillClimber voter (yes to what beats the current text and crosses no red line of yours).

    ``view`` is read-only: ``view.utility(o)``, ``view.reservation``, ``view.time``, ``view.round``,
    ``view.offer``, ``view.outcome(o)``, ``view.history`` — your own utility only, never the others'.
    An exception, an answer that is not a move, or a call longer than the time limit errors that
    negotiation (status ``errored`` with the traceback as the reason), never the process.
    """

    #: The name reports, traces and tournament rows give it (default: the class name).
    name: Optional[str] = None

    def propose(self, view: View) -> Union[int, dict, None]:
        raise NotImplementedError("a negotiator proposes: define propose(view)")

    def respond(self, view: View, offer: int) -> str:
        return "reject"


class Negotiation:
    """One negotiation: its report (``detente negotiate --json``), its events as an Arrow table, and
    its page (``detente negotiate --html``). The report and the page are made on first use; the
    status and the deal are at hand without them."""

    def __init__(self, events: Any, page: Any):
        #: pyarrow.Table: round, actor, action, outcome_index, one column per issue, u_<party>.
        self.events = events
        self._page = page
        self._report: Optional[Report] = None

    @property
    def report(self) -> Report:
        """The report (detente-study's NegotiationReport, as ``detente negotiate --json``)."""
        if self._report is None:
            self._report = Report(json.loads(self._page.json()))
        return self._report

    @property
    def html(self) -> str:
        """The negotiation's page (``detente negotiate --html``)."""
        return self._page.html()

    @property
    def status(self) -> str:
        """``agreed``, ``timed_out``, ``broken`` or ``errored``."""
        return self._page.status

    @property
    def agreement(self) -> Optional[dict]:
        """The deal as issue id → option label, or None."""
        deal = self._page.deal
        return None if deal is None else dict(deal)

    def __repr__(self) -> str:
        return f"<detente.Negotiation {self.report.summary}>"


class Scenario:
    """A scenario, valid by construction. Read one with :func:`load`, :func:`builtin` or
    :func:`from_toml`."""

    def __init__(self, inner: _Scenario, origin: tuple):
        self._inner = inner
        # how to read it again elsewhere (a Dask worker): ("path", path, reading, variants…),
        # ("builtin", variants…) or ("toml", text, name, variants…)
        self._origin = origin

    def __reduce__(self):
        return (_restore, (self._origin,))

    id = property(lambda self: self._inner.id, doc="The scenario's id.")
    title = property(lambda self: self._inner.title, doc="Its title.")
    source = property(lambda self: self._inner.source, doc="Where it was read from.")
    actors = property(lambda self: self._inner.actors, doc="The actor ids, in order.")
    issues = property(lambda self: self._inner.issues, doc="Each issue's id and its options.")
    n_outcomes = property(lambda self: self._inner.n_outcomes, doc="The number of outcomes.")
    variants = property(lambda self: self._inner.variants, doc="The ids of its what-ifs.")

    def variant(self, id: str) -> "Scenario":
        """The scenario with what-if ``id`` applied."""
        return Scenario(self._inner.variant(id), self._origin + (id,))

    def parties(self, protocol: Optional[str] = None) -> list:
        """Who takes part under ``protocol`` (the scenario's own by default), in order."""
        return self._inner.parties(protocol)

    def to_toml(self) -> str:
        return self._inner.to_toml()

    def to_genius(self) -> tuple:
        """The scenario as GENIUS XML: ``((domain file, text), [(profile file, text), …])``, a
        profile ``<actor id>.xml`` per actor (what ``detente scenario export --genius`` writes)."""
        return self._inner.to_genius()

    def utilities(self) -> Any:
        """Every outcome's utility to every actor: a pyarrow.Table with ``outcome_index`` and one
        column per actor (red lines aside: an outcome across one is still valued)."""
        return self._inner._utilities()

    def summary(self) -> Report:
        """The actors, issues and positions (``detente scenario --json``'s summary)."""
        return Report(json.loads(self._inner._summary()))

    def analyze(self, semantics: Optional[str] = None, frontier: bool = False) -> Report:
        """The analyse lens (``detente analyze --json``): every bargaining solution, the zone of
        agreement. ``semantics``: ``negmas`` (default) or ``genius``."""
        return Report(json.loads(self._inner._analyze(semantics, frontier)))

    def forecast(self, model: str = "eu", preset: Optional[str] = None, runs: Optional[int] = None, seed: int = 0) -> Report:
        """The forecast lens (``detente forecast --json``'s report): ``model`` one of ``mean``,
        ``median``, ``eu``, ``smp``, ``exchange``; ``runs`` Monte Carlo runs over the stated spreads."""
        return Report(json.loads(self._inner._forecast(model, preset, runs, seed)))

    def study(self, variant: Optional[str] = None, runs: Optional[int] = None, seeds: Optional[int] = None, seed: int = 0) -> Report:
        """The main job (``detente study --json``): every lens, every what-if, how robust each
        finding is. The HTML report is ``.html`` on the result."""
        text, html = self._inner._study(variant, runs, seeds, seed)
        return Report(dict(json.loads(text), html=html))

    def negotiate(
        self,
        protocol: Optional[str] = None,
        negotiators: Optional[Sequence[Union[str, Any]]] = None,
        rounds: Optional[int] = None,
        seed: int = 0,
        opener: int = 0,
        timeout: Optional[float] = 10.0,
    ) -> Negotiation:
        """One negotiation (``detente negotiate``). ``negotiators``: one per party (see
        :meth:`parties`), each a spec text (``"boulware"``, ``"timebased(e=2)"``) or a Python
        negotiator (an instance, or a class: a fresh instance plays); ``timeout``: seconds each
        call of a Python negotiator may take."""
        events, page = self._inner._negotiate(protocol, None if negotiators is None else list(negotiators), rounds, seed, opener, timeout)
        return Negotiation(events, page)

    def __repr__(self) -> str:
        return repr(self._inner)


def load(path, reading: Optional[str] = None) -> Scenario:
    """Reads a scenario: detente TOML/JSON, a GENIUS domain (folder or XML), GeniusWeb, KTAB CSV.
    ``reading`` (GENIUS only): ``genius`` (default) or ``negmas``. A file that does not read raises
    :class:`ScenarioError` with every problem located (``err.problems``). Pickled (to a Dask
    worker), it is read again from the same path."""
    path = str(path)
    return Scenario(_load(path, reading), ("path", path, reading))


def builtin() -> Scenario:
    """The reference scenario: the US-mediated Russia–Ukraine ceasefire talks, February 2025."""
    return Scenario(_builtin(), ("builtin",))


def from_toml(text: str, name: str = "<toml>") -> Scenario:
    """A scenario from detente TOML text."""
    return Scenario(_from_toml(text, name), ("toml", text, name))


def from_genius(domain: tuple, profiles: Sequence[tuple], reading: Optional[str] = None) -> Scenario:
    """A scenario from GENIUS XML texts: ``domain`` and each profile as ``(file name, text)``;
    ``reading`` as for :func:`load`."""
    profiles = [tuple(p) for p in profiles]
    return Scenario(_from_genius(tuple(domain), profiles, reading), ("genius", tuple(domain), tuple(profiles), reading))


def _restore(origin: tuple) -> Scenario:
    kind = origin[0]
    if kind == "path":
        s, rest = load(origin[1], origin[2]), origin[3:]
    elif kind == "genius":
        s, rest = from_genius(origin[1], origin[2], origin[3]), origin[4:]
    elif kind == "builtin":
        s, rest = builtin(), origin[1:]
    else:
        s, rest = from_toml(origin[1], origin[2]), origin[3:]
    for variant in rest:
        s = s.variant(variant)
    return s


class Tournament:
    """A tournament's rows (``results.parquet``'s columns, as a pyarrow.Table) and summary."""

    def __init__(self, rows: Any, summary: Report):
        self.rows = rows
        self.summary = summary

    def __repr__(self) -> str:
        return f"<detente.Tournament {self.rows.num_rows} negotiations>"


def tournament(
    negotiators: Sequence[Union[str, type]],
    scenarios: Sequence[Scenario],
    repetitions: int = 1,
    rounds: Optional[int] = None,
    seed: int = 0,
    protocol: Optional[str] = None,
    rotate: bool = False,
    self_play: bool = True,
    shard: Optional[tuple] = None,
    timeout: Optional[float] = 10.0,
) -> Tournament:
    """Every seating of ``negotiators`` on every scenario, ``repetitions`` times, on all cores
    (``detente tournament``). Rows come in a fixed order with seeds from their coordinates, so the
    result does not depend on threads; ``shard=(k, n)`` runs the k-th of n shares (1-based), whose
    rows, concatenated in order, are the whole run's.

    ``negotiators``: spec texts (``"boulware"``) and Python negotiator classes (or factories
    without arguments): a new instance plays each seat of each negotiation, named by its ``name``
    attribute or class name; the classes are numbered after the spec texts. Rust negotiators run
    in parallel with the GIL released; Python ones take it for their calls."""
    rows, summary = _tournament(
        list(negotiators), [s._inner for s in scenarios], repetitions, rounds, seed, protocol, rotate, self_play, shard, timeout
    )
    return Tournament(rows, Report(json.loads(summary)))
