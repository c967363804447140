# Type stubs for the detente package (the engine is the Rust extension `detente._detente`).
from os import PathLike
from typing import Any, Iterable, Optional, Sequence, Union

import pyarrow

__version__: str

class DetenteError(Exception):
    """Something detente was asked cannot be done; the message says why."""

class ScenarioError(DetenteError):
    """A scenario that does not read: every problem as (file, line, column, message)."""
    problems: list[tuple[Optional[str], Optional[int], Optional[int], str]]

Outcome = Union[int, dict[str, str]]

class View:
    """What a Python negotiator sees: its own utility only, the clock, the offer on the table."""
    me: int
    n_parties: int
    round: int
    n_rounds: int
    time: float
    offer: Optional[int]
    offer_by: Optional[int]
    n_outcomes: int
    reservation: float
    n_acceptable: int
    history: list[tuple[int, int, str, Optional[int]]]
    def utility(self, o: int) -> float: ...
    def acceptable(self, o: int) -> bool: ...
    def best(self) -> int: ...
    def ranked(self, k: int) -> Optional[int]: ...
    def worst_at_least(self, x: float) -> Optional[int]: ...
    def outcome(self, o: int) -> dict[str, str]: ...
    def index(self, values: dict[str, str]) -> int: ...

class Report:
    """A report as attributes: the JSON detente's --json writes."""
    def __getattr__(self, name: str) -> Any: ...
    def __getitem__(self, name: str) -> Any: ...
    def __contains__(self, name: str) -> bool: ...
    def keys(self) -> Iterable[str]: ...
    def to_dict(self) -> dict: ...

class Negotiator:
    name: Optional[str]
    def propose(self, view: View) -> Optional[Outcome]: ...
    def respond(self, view: View, offer: int) -> str: ...

class Negotiation:
    report: Report
    events: pyarrow.Table
    html: str
    @property
    def status(self) -> str: ...
    @property
    def agreement(self) -> Optional[dict[str, str]]: ...

class Scenario:
    id: str
    title: str
    source: str
    actors: list[str]
    issues: list[tuple[str, list[str]]]
    n_outcomes: int
    variants: list[str]
    def variant(self, id: str) -> Scenario: ...
    def parties(self, protocol: Optional[str] = ...) -> list[str]: ...
    def to_toml(self) -> str: ...
    def utilities(self) -> pyarrow.Table: ...
    def to_genius(self) -> tuple[tuple[str, str], list[tuple[str, str]]]: ...
    def summary(self) -> Report: ...
    def analyze(self, semantics: Optional[str] = ..., frontier: bool = ...) -> Report: ...
    def forecast(self, model: str = ..., preset: Optional[str] = ..., runs: Optional[int] = ..., seed: int = ...) -> Report: ...
    def study(self, variant: Optional[str] = ..., runs: Optional[int] = ..., seeds: Optional[int] = ..., seed: int = ...) -> Report: ...
    def negotiate(
        self,
        protocol: Optional[str] = ...,
        negotiators: Optional[Sequence[Union[str, Negotiator, Any]]] = ...,
        rounds: Optional[int] = ...,
        seed: int = ...,
        opener: int = ...,
        timeout: Optional[float] = ...,
    ) -> Negotiation: ...

class Tournament:
    rows: pyarrow.Table
    summary: Report

def load(path: Union[str, PathLike[str]], reading: Optional[str] = ...) -> Scenario: ...
def builtin() -> Scenario: ...
def from_toml(text: str, name: str = ...) -> Scenario: ...
def from_genius(domain: tuple[str, str], profiles: Sequence[tuple[str, str]], reading: Optional[str] = ...) -> Scenario: ...
def negotiator_names() -> list[tuple[str, str]]: ...
def tournament(
    negotiators: Sequence[Union[str, type]],
    scenarios: Sequence[Scenario],
    repetitions: int = ...,
    rounds: Optional[int] = ...,
    seed: int = ...,
    protocol: Optional[str] = ...,
    rotate: bool = ...,
    self_play: bool = ...,
    shard: Optional[tuple[int, int]] = ...,
    timeout: Optional[float] = ...,
) -> Tournament: ...
