"""Makes docs/effort.png: the canonical search's effort against the operand count, for each kind of puzzle.

    pip install ".[plot]" && python docs/plots/effort.py      (about a minute)

For 3 to 9 operands and each kind, 400 generated puzzles (seed "plot", numbers 1..30, + - * /): the median
effort and the 10th to 90th percentile band; the dashed line is the whole search (the Catalan number C(n)).
"""

from __future__ import annotations

import statistics
from math import comb
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bracketsolve import generate  # noqa: E402

OPERANDS = range(3, 10)
KINDS = {"unique": dict(kind="unique"), "unique, depth >= 2": dict(kind="unique", min_depth=2),
         "solvable": dict(kind="solvable"), "unsolvable": dict(kind="unsolvable")}
COUNT = 400
OUT = Path(__file__).resolve().parent.parent / "effort.png"


def catalan(n: int) -> int:
    return comb(2 * n, n) // (n + 1)


def efforts(n: int, options: dict) -> list:
    if options.get("min_depth", 0) > n - 2:
        return []
    return [e["metadata"]["effort"] for e in generate(COUNT, operands=n, seed="plot", backend="numba", **options)]


def main() -> None:
    fig, ax = plt.subplots(figsize=(7.5, 4.6), dpi=120)
    for label, options in KINDS.items():
        xs, mid, lo, hi = [], [], [], []
        for n in OPERANDS:
            values = sorted(efforts(n, options))
            if not values:
                continue
            deciles = statistics.quantiles(values, n=10)
            xs.append(n)
            mid.append(statistics.median(values))
            lo.append(deciles[0])
            hi.append(deciles[-1])
        line, = ax.plot(xs, mid, marker="o", label=label)
        ax.fill_between(xs, lo, hi, color=line.get_color(), alpha=0.15)
    ax.plot(list(OPERANDS), [catalan(n) for n in OPERANDS], "k--", linewidth=1, label="whole search, C(n)")
    ax.set_yscale("log")
    ax.set_xlabel("operands")
    ax.set_ylabel("states visited by the canonical search")
    ax.set_title("Search effort of generated puzzles (median, 10th-90th percentile)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
