"""NegMAS interop: a scenario to NegMAS and back.

>>> import detente, detente.negmas
>>> ns = detente.negmas.to_negmas(detente.load("scenarios/textbook-bilateral.toml"))   # negmas.inout.Scenario
>>> s = detente.negmas.from_negmas(ns)                     # back, read with NegMAS's semantics

Both directions go through GENIUS XML, the format both read and write: to NegMAS, detente's export
(``Scenario.to_genius``) loaded with ``negmas.inout.Scenario.from_genius_folder``; from NegMAS, its
``to_genius_folder`` read by detente with NegMAS's semantics (``reading="negmas"``). So a linear
additive NegMAS scenario (discrete issues, table, affine or linear value functions, weights,
reserved values, an exponential discount) comes through; what GENIUS cannot hold does not.

NegMAS is imported only here (``pip install negmas``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from . import Scenario, from_genius

__all__ = ["from_negmas", "to_negmas"]


def _write(files: tuple, folder: Path) -> None:
    (domain_name, domain_text), profiles = files
    (folder / domain_name).write_text(domain_text)
    for name, text in profiles:
        (folder / name).write_text(text)


def to_negmas(scenario: Scenario):
    """The scenario as a ``negmas.inout.Scenario`` (outcome space and one linear additive
    utility function per actor, named ``<actor id>.xml``)."""
    from negmas.inout import Scenario as NScenario

    with tempfile.TemporaryDirectory() as d:
        _write(scenario.to_genius(), Path(d))
        ns = NScenario.from_genius_folder(d, safe_parsing=False)
    if ns is None:
        raise ValueError(f"NegMAS could not read {scenario.id} as GENIUS XML")
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
