#!/usr/bin/env python3
"""detente's single negotiating text beside NegMAS 0.16's VetoST and HillClimbingST, over seeds.

For every scenario, mechanism pair and deadline this script runs
  * NegMAS 0.16 `VetoSTMechanism` / `HillClimbingSTMechanism` with one
    `BinaryComparatorNegotiator` per party (NegMAS's own voter: yes iff u(new) > u(current)),
    `n_steps` = the deadline, seeded with `random.seed(k)` / `numpy.random.seed(k)` (NegMAS
    draws from Python's global `random`, so single runs cannot match detente's, only
    distributions), and
  * `detente negotiate --json --protocol single_text_veto | single_text --rounds N --seed k`
    (optionally `--rules R`, e.g. `--rules negmas`: detente's NegMAS 0.16 single-text rules),
and reports, per deadline (30, 100 and 1,000 rounds/steps by default): the agreement rate with its
95 % Wilson interval, each party's mean utility (over every seed; without a deal, its reservation
value), the mean distance from the Pareto frontier over the deals, and two-sample tests:

  * **Mann-Whitney U** (two-sided, normal approximation with tie correction) on the per-seed
    distances from the frontier, where a seed without a deal counts at the distance of the
    reservation vector (NegMAS's `calc_outcome_distances` convention), so the whole outcome
    distribution is compared. Why this test: the distances are discrete (a finite outcome
    space), full of ties and point masses (every deal on the frontier is 0; every failure is the
    same reservation point), and far from normal; the question is whether one side's deals land
    systematically farther from the frontier, which is what U tests (stochastic ordering).
    Kolmogorov-Smirnov's p-values assume continuous distributions and are wrong with this many
    ties; a t-test assumes what these samples are not.
  * **Fisher's exact test** on the 2x2 table of deals / no deals.

Same utilities on both sides: a GENIUS folder is loaded by NegMAS (`Scenario.load`, NegMAS
semantics; a discounted profile's inner, undiscounted utility is used, since single text has no
discounting in detente) and written as a detente JSON scenario (issues and options in NegMAS's
order, weights and per-option values exactly as NegMAS holds them, the profile's reservation
value), so the outcome index, the utilities and the frontier are one table for both. Every
detente run's reported utilities are checked against that table.

The reference scenario (`scenarios/ukraine-ceasefire-2025.toml`) is run by detente as written
(roles, who must agree, red lines) and by NegMAS from `detente scenario convert --to genius`,
with one voter per party (russia, ukraine, europe). That comparison is *not* like for like:
NegMAS has no red lines and no optional parties (europe's "no" blocks a NegMAS text, not a
detente one); read it as context. Distances there are over the parties that must agree (russia,
ukraine), as detente's reports measure them.

NegMAS's own defects, documented here and not copied: `HillClimbingSTMechanism` sets the
agreement to a 1-tuple `(outcome,)` when it runs out of neighbours, and its end-of-negotiation
check replaces it by the outcome only when every party accepts it, so a tuple left in place is
an *unratified* text reported as an agreement (unwrapped here, as NegMAS reports it, and counted
in `hc_tuple_agreements`: subtract them for the texts every party accepts); its integer-issue
neighbours are wrong (`[max(0, v-1), min(v+1,
issue.values)]`, not adjacent values; the default scenario set here is all-categorical), and its
next neighbour is `pop(randint(0, n) - 1)` (index -1 twice as likely).

With `--protocols P... [--knowledge votes omniscient]` it sets each of those detente protocols
(single_text_veto, single_text, single_text_steepest, shuttle), under each knowledge setting,
beside NegMAS's VetoST instead (the same NegMAS runs for every row of a scenario and deadline),
and reports a votes-only mediator's mean Spearman correlation with the parties' utilities
("learnt"). Those rows are not like for like (detente's parties vote and counter with their
default time-based negotiators; NegMAS's with its strict comparator): they measure detente's
mediated protocols as a user runs them, with NegMAS's VetoST as the yardstick.

Usage (normally via scripts/compare-mediation-negmas.sh):
  python compare_mediation_negmas.py --detente-bin target/release/detente \
      --data ../shared/data/genius --reference scenarios/ukraine-ceasefire-2025.toml \
      [--seeds 40] [--deadlines 30 100 1000] [--rules negmas] [--scenarios Laptop Grocery] \
      [--out results.json]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import itertools
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402

DEFAULT_SCENARIOS = ["Laptop", "ItexvsCypress", "EnglandZimbabwe", "Grocery", "Politics", "Party", "Travel"]
MECHANISMS = [("VetoST", "single_text_veto"), ("HillClimbingST", "single_text")]


# ---------------------------------------------------------------- statistics


def wilson(k: int, n: int) -> tuple[float, float, float]:
    if n == 0:
        return (float("nan"), 0.0, 1.0)
    z = 1.959963984540054
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (p, min(max(c - h, 0.0), p), max(min(c + h, 1.0), p))


def mann_whitney(a: list[float], b: list[float]) -> float:
    from scipy.stats import mannwhitneyu

    if len(set(a) | set(b)) == 1:
        return 1.0  # identical constant samples: nothing to tell apart
    return float(mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True).pvalue)


def fisher(k1: int, n1: int, k2: int, n2: int) -> float:
    from scipy.stats import fisher_exact

    return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


# ---------------------------------------------------------------- scenarios


class Table:
    """Every outcome's utilities (one column per party), the reservation values, who must
    agree, and the rational frontier of those parties."""

    def __init__(self, names, radices, utils, rs, required):
        self.names = names
        self.radices = radices
        self.utils = utils  # (n_outcomes, n_parties)
        self.rs = np.array(rs, dtype=float)
        self.required = required  # indices of the parties that must agree
        req = self.utils[:, required]
        rational = np.all(req >= self.rs[required], axis=1)
        self.frontier = pareto(req[rational])

    def index(self, positions) -> int:
        i = 0
        for p, r in zip(positions, self.radices):
            i = i * r + p
        return i

    def distance(self, outcome: int | None) -> float:
        u = self.rs[self.required] if outcome is None else self.utils[outcome, self.required]
        if len(self.frontier) == 0:
            return float("nan")
        return float(np.sqrt(((self.frontier - u) ** 2).sum(axis=1)).min())

    def utilities(self, outcome: int | None) -> list[float]:
        return list(self.rs) if outcome is None else [float(x) for x in self.utils[outcome]]


def pareto(points: np.ndarray) -> np.ndarray:
    """The distinct non-dominated rows of `points` (maximising every column)."""
    pts = np.unique(points, axis=0)
    if len(pts) == 0:
        return pts
    if pts.shape[1] == 2:
        order = np.lexsort((-pts[:, 1], -pts[:, 0]))
        keep, best = [], -np.inf
        for i in order:
            if pts[i, 1] > best:
                keep.append(i)
                best = pts[i, 1]
        return pts[keep]
    keep = []
    for i in range(len(pts)):
        dom = np.all(pts >= pts[i], axis=1) & np.any(pts > pts[i], axis=1)
        if not dom.any():
            keep.append(i)
    return pts[keep]


def inner(u):
    """A discounted profile's undiscounted utility (single text has no discounting here)."""
    return getattr(u, "ufun", u)


def evaluate(os_, ufuns) -> tuple[np.ndarray, list[list[float]], list[float]]:
    """The utility table from each ufun's weights and per-value evaluations (summed in issue
    order, as NegMAS and detente do), the per-issue tables, and the biases."""
    issues = os_.issues
    values = [list(i.all) for i in issues]
    cols, tabs = [], []
    for u in ufuns:
        per_issue = [np.array([float(vf(v)) for v in vals]) for vf, vals in zip(u.values, values)]
        tabs.append(per_issue)
        acc = np.full(1, float(getattr(u, "bias", 0.0) or 0.0))
        for w, t in zip(u.weights, per_issue):
            acc = (acc[:, None] + w * t[None, :]).reshape(-1)
        cols.append(acc)
    return np.stack(cols, axis=1), tabs, values


def export_detente(name, os_, ufuns, tabs, values, rs, path: Path):
    """The scenario as NegMAS holds it, as a detente JSON scenario (ids i0.., v0..)."""
    issues = [
        {"id": f"i{k}", "name": str(i.name), "kind": "categorical", "options": [{"id": f"v{j}", "label": str(v)} for j, v in enumerate(values[k])]}
        for k, i in enumerate(os_.issues)
    ]
    actors = []
    for a, (u, t, r) in enumerate(zip(ufuns, tabs, rs)):
        prefs = {
            "type": "linear",
            "bias": float(getattr(u, "bias", 0.0) or 0.0),
            "weights": {f"i{k}": float(w) for k, w in enumerate(u.weights)},
            "values": {f"i{k}": [float(x) for x in tab] for k, tab in enumerate(t)},
        }
        actor = {"id": f"p{a}", "name": str(getattr(u, "name", f"p{a}")), "preferences": prefs}
        if math.isfinite(r):
            actor["reservation"] = float(r)
        actors.append(actor)
    doc = {"format": 1, "id": name, "title": f"{name} (as NegMAS 0.16 loads it)", "issues": issues, "actors": actors}
    path.write_text(json.dumps(doc))


def genius_case(folder: Path, tmp: Path):
    from negmas.inout import Scenario

    s = Scenario.load(str(folder))
    ufuns = [inner(u) for u in s.ufuns]
    for i in s.outcome_space.issues:
        if type(i).__name__ != "CategoricalIssue":
            raise SystemExit(f"{folder}: issue {i.name} is {type(i).__name__}; this script compares categorical domains only")
    utils, tabs, values = evaluate(s.outcome_space, ufuns)
    rs = [u.reserved_value if u.reserved_value is not None and math.isfinite(u.reserved_value) else 0.0 for u in ufuns]
    out = tmp / f"{folder.name}.json"
    export_detente(folder.name, s.outcome_space, ufuns, tabs, values, [u.reserved_value if u.reserved_value is not None else float("nan") for u in ufuns], out)
    table = Table([f"p{a}" for a in range(len(ufuns))], [len(v) for v in values], utils, rs, list(range(len(ufuns))))
    return dict(name=folder.name, os=s.outcome_space, ufuns=ufuns, values=values, table=table, detente_file=str(out), like_for_like=True)


def reference_case(toml: Path, detente_bin: str, tmp: Path):
    """The reference scenario: detente reads the TOML; NegMAS the GENIUS export of its parties."""
    import tomllib

    from negmas.inout import Scenario
    from negmas.preferences import LinearAdditiveUtilityFunction  # noqa: F401

    doc = tomllib.loads(toml.read_text())
    actors = doc["actors"]
    parties = [a["id"] for a in actors if a.get("role", "party") == "party"]
    required = [a["id"] for a in actors if a.get("role", "party") == "party" and a.get("required", True)]
    out = tmp / "reference-genius"
    subprocess.run([detente_bin, "scenario", "convert", str(toml), "--to", "genius", str(out)], check=True, capture_output=True)
    domain = next(out.glob("*_domain.xml"))
    files = [str(out / f"{p}.xml") for p in parties]
    s = Scenario.from_genius_files(domain=str(domain), ufuns=files) if hasattr(Scenario, "from_genius_files") else Scenario.load(str(out))
    ufuns = [inner(u) for u in s.ufuns][: len(parties)]
    utils, _, values = evaluate(s.outcome_space, ufuns)
    rs = [float(a.get("reservation", 0.0)) if isinstance(a.get("reservation", 0.0), (int, float)) else 0.0 for a in actors if a["id"] in parties]
    table = Table(parties, [len(v) for v in values], utils, rs, [parties.index(r) for r in required])
    return dict(name="reference", os=s.outcome_space, ufuns=ufuns, values=values, table=table, detente_file=str(toml), like_for_like=False)


# ---------------------------------------------------------------- runs


def negmas_run(case, mech: str, steps: int, seed: int):
    from negmas.negotiators.simple import BinaryComparatorNegotiator
    from negmas.st import HillClimbingSTMechanism, VetoSTMechanism

    random.seed(seed)
    np.random.seed(seed)
    M = VetoSTMechanism if mech == "VetoST" else HillClimbingSTMechanism
    m = M(outcome_space=case["os"], n_steps=steps)
    for k, u in enumerate(case["ufuns"]):
        m.add(BinaryComparatorNegotiator(name=f"p{k}", preferences=u))
    st = m.run()
    a = st.agreement
    wrapped = isinstance(a, tuple) and len(a) == 1 and isinstance(a[0], tuple)
    if wrapped:
        a = a[0]  # NegMAS's HillClimbingST reports (outcome,) at a local optimum
    if a is None:
        return dict(outcome=None, steps=st.step, wrapped=False)
    pos = [vals.index(v) for vals, v in zip(case["values"], a)]
    return dict(outcome=case["table"].index(pos), steps=st.step, wrapped=wrapped)


def detente_run(bin_, case, protocol: str, steps: int, seed: int, rules: str | None, knowledge: str | None = None):
    cmd = [bin_, "negotiate", case["detente_file"], "--json", "--protocol", protocol, "--rounds", str(steps), "--seed", str(seed)]
    if rules:
        cmd += ["--rules", rules]
    if knowledge:
        cmd += ["--knowledge", knowledge]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    r = json.loads(p.stdout)
    learnt = r.get("learnt") or []
    return dict(
        outcome=r["outcome_index"],
        steps=r["rounds"],
        utilities={u["actor"]: u["utility"] for u in r["utilities"]},
        learnt={g["party"]: g["rank_correlation"] for g in learnt},
    )


def summarise(case, runs):
    t = case["table"]
    n = len(runs)
    deals = [r["outcome"] for r in runs if r["outcome"] is not None]
    p, lo, hi = wilson(len(deals), n)
    dist_all = [t.distance(r["outcome"]) for r in runs]
    dist_deals = [t.distance(o) for o in deals]
    util = np.array([t.utilities(r["outcome"]) for r in runs])
    return dict(
        runs=n,
        deals=len(deals),
        agreement=dict(p=p, lo=lo, hi=hi),
        mean_utilities=dict(zip(t.names, [float(x) for x in util.mean(axis=0)])),
        mean_distance_deals=float(np.mean(dist_deals)) if dist_deals else None,
        sd_distance_deals=float(np.std(dist_deals, ddof=1)) if len(dist_deals) > 1 else None,
        mean_distance_all=float(np.mean(dist_all)),
        mean_steps=float(np.mean([r["steps"] for r in runs])),
        # a votes-only mediator's Spearman correlation with each party's utility, mean over seeds
        mean_learnt=float(np.mean([np.mean(list(r["learnt"].values())) for r in runs if r.get("learnt")]))
        if any(r.get("learnt") for r in runs)
        else None,
        distances=dist_all,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--detente-bin", required=True)
    ap.add_argument("--data", required=True, help="folder of GENIUS scenario folders (../shared/data/genius)")
    ap.add_argument("--reference", help="the reference scenario TOML (omit to skip it)")
    ap.add_argument("--scenarios", nargs="*", default=DEFAULT_SCENARIOS)
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--deadlines", type=int, nargs="*", default=[30, 100, 1000])
    ap.add_argument("--rules", default=None, help="detente's --rules for the single-text runs (e.g. negmas); default: detente's default rules")
    ap.add_argument("--jobs", type=int, default=2, help="detente processes at once")
    ap.add_argument(
        "--protocols",
        nargs="*",
        help="instead of the like-for-like pairs, set each of these detente protocols (e.g. single_text_veto single_text "
        "single_text_steepest shuttle) beside NegMAS's VetoST",
    )
    ap.add_argument("--knowledge", nargs="*", default=[None], help="with --protocols: detente's --knowledge settings to run (votes omniscient)")
    ap.add_argument("--out", help="write every number (and the per-seed distances) as JSON here")
    a = ap.parse_args()

    import negmas
    import scipy

    t0 = time.time()
    tmp = Path(tempfile.mkdtemp(prefix="detente-vs-negmas-"))
    cases = [genius_case(Path(a.data) / name, tmp) for name in a.scenarios]
    if a.reference:
        cases.append(reference_case(Path(a.reference), a.detente_bin, tmp))
    rows, mismatches = [], 0
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for case in cases:
            t = case["table"]
            if a.protocols:
                pairs = [("VetoST", (p, k)) for p in a.protocols for k in a.knowledge]
            else:
                pairs = [(mech, (p, None)) for mech, p in MECHANISMS]
            negmas_cache = {}
            for (mech, (protocol, knowledge)), steps in itertools.product(pairs, a.deadlines):
                if (mech, steps) not in negmas_cache:
                    negmas_cache[(mech, steps)] = [negmas_run(case, mech, steps, k) for k in range(a.seeds)]
                nm = negmas_cache[(mech, steps)]
                dt = list(pool.map(lambda k: detente_run(a.detente_bin, case, protocol, steps, k, a.rules, knowledge), range(a.seeds)))
                # detente's own utilities of its deals must be the table's (exactly for an exported
                # GENIUS scenario; up to the GENIUS export's rounding for the reference).
                tol = 1e-9 if case["like_for_like"] else 1e-6
                for r in dt:
                    if r["outcome"] is not None:
                        want = t.utilities(r["outcome"])
                        if max(abs(x - r["utilities"][nm_]) for x, nm_ in zip(want, t.names)) > tol:
                            mismatches += 1
                sn, sd = summarise(case, nm), summarise(case, dt)
                row = dict(
                    scenario=case["name"],
                    outcomes=len(t.utils),
                    parties=len(t.names),
                    like_for_like=case["like_for_like"],
                    negmas=mech,
                    detente=protocol + (f" ({knowledge})" if knowledge else ""),
                    steps=steps,
                    negmas_result=sn,
                    detente_result=sd,
                    hc_tuple_agreements=sum(1 for r in nm if r["wrapped"]),
                    mann_whitney_p=mann_whitney(sn["distances"], sd["distances"]),
                    fisher_p=fisher(sn["deals"], sn["runs"], sd["deals"], sd["runs"]),
                )
                rows.append(row)
                print_row(row)
                sys.stdout.flush()
    meta = dict(
        negmas=negmas.__version__,
        numpy=np.__version__,
        scipy=scipy.__version__,
        python=sys.version.split()[0],
        seeds=a.seeds,
        deadlines=a.deadlines,
        rules=a.rules or "default",
        detente_bin=a.detente_bin,
        utility_mismatches=mismatches,
        seconds=round(time.time() - t0, 1),
    )
    print(f"\n{json.dumps(meta)}")
    if a.out:
        Path(a.out).write_text(json.dumps(dict(meta=meta, rows=rows), indent=1))


HEADER_PRINTED = False


def fmt_rate(r):
    a = r["agreement"]
    return f"{a['p'] * 100:.0f}% [{a['lo'] * 100:.0f}-{a['hi'] * 100:.0f}]"


def fmt_d(x):
    return "-" if x is None else f"{x:.3f}"


def fmt_u(r):
    return "/".join(f"{v:.2f}" for v in r["mean_utilities"].values())


def print_row(row):
    global HEADER_PRINTED
    if not HEADER_PRINTED:
        print("| scenario | NegMAS / detente | steps | agreement NegMAS | agreement detente | Fisher p | distance (deals) NegMAS | detente | U p (all seeds) | mean utilities NegMAS | detente | learnt |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|")
        HEADER_PRINTED = True
    n, d = row["negmas_result"], row["detente_result"]
    name = row["scenario"] + ("" if row["like_for_like"] else " (not like for like)")
    print(
        f"| {name} | {row['negmas']} / {row['detente']} | {row['steps']} | {fmt_rate(n)} | {fmt_rate(d)} | {row['fisher_p']:.3g} | "
        f"{fmt_d(n['mean_distance_deals'])} | {fmt_d(d['mean_distance_deals'])} | {row['mann_whitney_p']:.3g} | {fmt_u(n)} | {fmt_u(d)} | "
        f"{fmt_d(d.get('mean_learnt'))} |"
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
