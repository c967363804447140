# %% [markdown]
# # Your own negotiator in a tournament, from Python
#
# A notebook as a script (`# %%` cells: open it in Jupyter with jupytext, VS Code or Spyder, or
# run it with `python`): load a GENIUS domain, put a negotiator written in Python among
# detente's built-in ones, run an ANAC-style tournament, and plot the scores.
#
#     python examples/python/tournament.py [GENIUS folder] [--out scores.png]
#
# The default domain is GENIUS's Laptop from the reference data beside the repository
# (`../shared/data/genius/Laptop`). CI runs this file (crates/detente-py/pytests/test_example.py).

# %%
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

import detente  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("domain", nargs="?", default=str(Path(__file__).resolve().parents[3] / "shared/data/genius/Laptop"))
ap.add_argument("--out", default="scores.png")
ap.add_argument("--repetitions", type=int, default=5)
args = ap.parse_args()

# %% [markdown]
# ## The scenario
# A GENIUS folder (a domain and its profiles), read as GENIUS reads it (utilities normalised per
# issue, discounts per unit of time). `reading="negmas"` reads it as NegMAS does: raw evaluations,
# discounts per round — Laptop's discount then leaves almost nothing to agree on within 100 rounds.

# %%
scenario = detente.load(args.domain)
print(scenario, "parties:", scenario.parties("sao"))


# %% [markdown]
# ## A negotiator of our own
# It concedes along a quadratic curve through its own ranked outcomes and accepts an offer
# worth at least what it would offer next. It sees only its own utility (`view`).

# %%
class Quadratic(detente.Negotiator):
    name = "py-quadratic"

    def target(self, view):
        hi, lo = view.utility(view.best()), view.reservation
        return hi - (hi - lo) * view.time**2

    def propose(self, view):
        return view.worst_at_least(self.target(view)) or view.best()

    def respond(self, view, offer):
        return "accept" if view.utility(offer) >= self.target(view) else "reject"


# %% [markdown]
# ## The tournament
# Every seating of five negotiators over the two parties, each party opening in turn, five
# repetitions; rows come back as an Arrow table, the standings as the summary.

# %%
t = detente.tournament(
    ["boulware", "conceder", "linear", "aspiration", Quadratic],
    [scenario],
    repetitions=args.repetitions,
    rounds=100,
    rotate=True,
    protocol="sao",
)
rows = t.rows
print(rows.num_rows, "negotiations;", pc.sum(rows.column("agreement")).as_py(), "agreed")
for n in t.summary.negotiators:
    print(f"{n.rank}. {n.negotiator:14} score {n.score:.3f} ± {n.scores.ci:.3f}, agreement rate {n.agreement_rate:.2f}")

# %% [markdown]
# ## The scores, with their 95% intervals

# %%
standings = sorted(t.summary.negotiators, key=lambda n: n.score)
fig, ax = plt.subplots(figsize=(6, 3))
ax.barh([n.negotiator for n in standings], [n.score for n in standings], xerr=[n.scores.ci for n in standings], color="#0072B2")
ax.set_xlabel("score (NegMAS's advantage, mean per seat)")
ax.set_title(f"{scenario.id}: {rows.num_rows} negotiations")
fig.tight_layout()
fig.savefig(args.out, dpi=120)
print("wrote", args.out)
