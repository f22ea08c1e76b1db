"""Generator throughput: verified unique-answer puzzles per second, the batch kernel against the pure-Python path;
and free-order entries per CPU second (the 24 game, Countdown-6), the numba tables engine.

    python -m pytest benchmarks/test_generate.py --benchmark-group-by=param:options
    python -m benchmarks.test_generate          # a table of puzzles per CPU second, both paths interleaved
    python -m benchmarks.test_generate games    # the free-order table

Every entry is exact (each bracketing of each draw evaluated in rationals, its class, depth and the canonical
search's effort computed); the two paths give the same entries (tests/test_generate.py). A warm-up run with the
same options comes first, so compiling and the per-operator-sequence caches are not measured.
"""

from __future__ import annotations

import time

import pytest

from bracketsolve.evaluation.games_generate import generate_games
from bracketsolve.evaluation.generate import generate

COUNT = 20_000
OPTIONS = {
    "unique-6": dict(operands=6, kind="unique"),
    "unique-6-depth-2": dict(operands=6, kind="unique", min_depth=2),
    "unsolvable-6": dict(operands=6, kind="unsolvable"),
    "any-5": dict(operands=5, kind="any"),
}


def run(options: dict, backend: str, count: int = COUNT, seed: int = 1) -> int:
    return sum(1 for _ in generate(count, seed=seed, backend=backend, **options))


@pytest.fixture(scope="module", autouse=True)
def warm():
    for options in OPTIONS.values():
        run(options, "numba", 4000, seed=0)


@pytest.mark.parametrize("backend", ["numba", "python"])
@pytest.mark.parametrize("options", list(OPTIONS))
def test_generate(benchmark, options, backend):
    count = COUNT if backend == "numba" else COUNT // 10
    made = benchmark.pedantic(run, args=(OPTIONS[options], backend, count), rounds=3, warmup_rounds=0)
    assert made == count
    benchmark.extra_info["puzzles_per_second"] = round(count / benchmark.stats["min"])


def table(rounds: int = 3) -> str:
    """Puzzles per CPU second of each path, the best of `rounds` interleaved runs, and their ratio."""
    lines = ["| options | batch kernel | pure Python | ratio |", "| --- | --- | --- | --- |"]
    for name, options in OPTIONS.items():
        run(options, "numba", 4000, seed=0)
        best = {"numba": 0.0, "python": 0.0}
        for _ in range(rounds):
            for backend, count in (("numba", COUNT), ("python", COUNT // 10)):
                start = time.process_time()
                run(options, backend, count)
                best[backend] = max(best[backend], count / (time.process_time() - start))
        lines.append(f"| {name} | {best['numba']:,.0f} | {best['python']:,.0f} | "
                     f"{best['numba'] / best['python']:.1f} |")
    return "\n".join(lines)


GAMES = {       # (options, entries per run): every entry with all of game_difficulty's figures, effort included
    "24 solvable": (dict(rules="24"), 2000),
    "24 unique": (dict(rules="24", kind="unique"), 2000),
    "24 needs-fractions": (dict(rules="24", needs_fractions=True), 500),
    "countdown-6 solvable": (dict(rules="countdown", numbers=6, deck="countdown"), 20),
    "countdown-tv-6 solvable": (dict(rules="countdown-tv", numbers=6, deck="countdown"), 40),
}


def run_games(options: dict, count: int, seed: object = 1) -> int:
    return sum(1 for _ in generate_games(count, seed=seed, backend="numba", **options))


@pytest.mark.parametrize("options", list(GAMES))
def test_generate_games(benchmark, options):
    chosen, count = GAMES[options]
    run_games(chosen, 2, seed="warm")
    made = benchmark.pedantic(run_games, args=(chosen, count), rounds=1, warmup_rounds=0)
    assert made == count
    benchmark.extra_info["entries_per_second"] = round(count / benchmark.stats["min"], 1)


def games_table() -> str:
    """Free-order entries per CPU second (one run each after a warm-up; the numba tables engine)."""
    lines = ["| options | entries | entries per CPU second |", "| --- | --- | --- |"]
    for name, (options, count) in GAMES.items():
        run_games(options, 2, seed="warm")
        start = time.process_time()
        run_games(options, count)
        lines.append(f"| {name} | {count:,} | {count / (time.process_time() - start):,.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(games_table() if sys.argv[1:] == ["games"] else table())
