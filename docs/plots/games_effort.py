"""Makes docs/games_effort.png: the free-order canonical search's effort against the number count, per rule.

    pip install ".[plot]" && python docs/plots/games_effort.py      (several minutes: the searches of five numbers are long)

For each rule (24, 24-tv: numbers 1..13, target 24; countdown, countdown-tv: cards of the TV show's deck,
targets 100..999 for five cards, 10..99 for fewer), 2 to 5 numbers, solvable and unsolvable puzzles, COUNT
generated puzzles per point (seed "plot"; 8 for five numbers): the median effort (`game_effort`, states visited)
and the 10th to 90th percentile band.
A search past the cap (2,000,000 states) counts as the cap, so a band that touches the dotted line is a lower
bound there; the script prints, per point, how many searches passed it.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bracketsolve.evaluation.difficulty import MAX_STATES  # noqa: E402
from bracketsolve.evaluation.games_generate import generate_games  # noqa: E402

NUMBERS = range(2, 6)
RULES = ("24", "24-tv", "countdown", "countdown-tv")
KINDS = ("solvable", "unsolvable")
COUNT = 16                  # puzzles per point; 8 for five numbers (seconds each)
OUT = Path(__file__).resolve().parent.parent / "games_effort.png"


def options(rules: str, n: int) -> dict:
    if rules.startswith("24"):
        return dict(values=(1, 13), target=24)
    return dict(deck="countdown", target=(100, 999) if n >= 5 else (10, 99))


def efforts(rules: str, n: int, kind: str) -> tuple[list[int], int]:
    """(efforts with the capped ones at the cap, how many were capped); [] when no such puzzle is found."""
    try:
        count = 8 if n >= 5 else COUNT
        found = [e["metadata"]["effort"] for e in generate_games(count, rules=rules, numbers=n, kind=kind,
                                                                 seed="plot", backend="numba", **options(rules, n))]
    except ValueError:                      # no puzzle of that kind (a 24-tv pair rarely makes 24 uniquely...)
        return [], 0
    capped = sum(1 for x in found if x is None)
    return [MAX_STATES if x is None else x for x in found], capped


def main() -> None:
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.6), dpi=110, sharex=True)
    for ax, rules in zip(axes.flat, RULES):
        for kind in KINDS:
            xs, mid, lo, hi = [], [], [], []
            for n in NUMBERS:
                values, capped = efforts(rules, n, kind)
                if len(values) < 2:
                    continue
                print(f"{rules:>12} {n} {kind:>10}: median {statistics.median(values):>11,.0f}, "
                      f"{capped} of {len(values)} past the cap", flush=True)
                deciles = statistics.quantiles(sorted(values), n=10)
                xs.append(n)
                mid.append(statistics.median(values))
                lo.append(deciles[0])
                hi.append(deciles[-1])
            line, = ax.plot(xs, mid, marker="o", label=kind)
            ax.fill_between(xs, lo, hi, color=line.get_color(), alpha=0.15)
        ax.axhline(MAX_STATES, color="k", linestyle=":", linewidth=1)
        ax.set_yscale("log")
        ax.set_title(f"--rules {rules}", fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.set_xticks(list(NUMBERS))
    for ax in axes[1]:
        ax.set_xlabel("numbers")
    for ax in axes[:, 0]:
        ax.set_ylabel("states visited")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle("Canonical search effort of generated free-order puzzles (median, 10th-90th percentile;\n"
                 "dotted: the 2,000,000-state cap)", fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
