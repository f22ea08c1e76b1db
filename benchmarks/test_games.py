"""pytest-benchmark timings of the free-order engines: a 6-number Countdown with every value, and the 24 game
over all 1,820 multisets of 1..13; each with the TV rule and without.

    python -m pytest benchmarks/test_games.py --benchmark-group-by=param:workload

Not part of the normal test run. A warm-up compiles the kernels first; the Python engine and the
Norvig-style baseline run once (`python -m benchmarks.games_compare` prints the ratios of one run).
"""

from __future__ import annotations

import pytest

from bracketsolve.engines.subsets import PythonSubsets
from bracketsolve.engines.subsets_fast import NumbaSubsets, warmup

from .games_compare import classify_24, countdown_tables, norvig_classify_24

ENGINES = {"numba": NumbaSubsets, "python": PythonSubsets}
COUNTDOWN_VALUES = {False: (351312, 33606010), True: (18131, 4675753)}     # distinct values, expressions
SOLVABLE_24 = {False: 1362, True: 1346}


@pytest.fixture(scope="session", autouse=True)
def compiled():
    warmup()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("tv", [False, True], ids=["countdown", "countdown-tv"])
def test_countdown_every_value(benchmark, engine, tv):
    rounds = 3 if engine == "numba" else 1
    out = benchmark.pedantic(countdown_tables, args=(ENGINES[engine],), kwargs={"tv": tv}, rounds=rounds,
                             warmup_rounds=1 if engine == "numba" else 0)
    assert out == COUNTDOWN_VALUES[tv]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("tv", [False, True], ids=["24", "24-tv"])
def test_24_every_multiset(benchmark, engine, tv):
    rounds = 3 if engine == "numba" else 1
    out = benchmark.pedantic(classify_24, args=(ENGINES[engine],), kwargs={"tv": tv}, rounds=rounds)
    assert out == SOLVABLE_24[tv]


@pytest.mark.parametrize("tv", [False, True], ids=["24", "24-tv"])
def test_24_every_multiset_norvig_style(benchmark, tv):
    out = benchmark.pedantic(norvig_classify_24, kwargs={"tv": tv}, rounds=1)
    assert out == SOLVABLE_24[tv]
