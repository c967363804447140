"""The notebook-style example runs as a reader would run it, on the GENIUS Laptop domain from the
reference data beside the repository (which must be there: no pass without it)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_tournament_example_runs_and_plots(tmp_path):
    domain = REPO.parent / "shared/data/genius/Laptop"
    assert domain.is_dir(), f"{domain} is missing: the example reads ../shared beside the repository"
    out = tmp_path / "scores.png"
    r = subprocess.run(
        [sys.executable, str(REPO / "examples/python/tournament.py"), str(domain), "--out", str(out), "--repetitions", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "py-quadratic" in r.stdout
    assert out.stat().st_size > 10_000
