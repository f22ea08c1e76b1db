"""The numba free-order engine against the Python one: tables, counts, solutions, values past int64.

Run a second time with NUMBA_DISABLE_JIT=1 so the kernel bodies run as Python (fewer examples then).
"""

import os
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve.engines.subsets import PythonSubsets
from bracketsolve.engines.subsets_fast import NumbaSubsets, warmup

from .test_games_engine import games

NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")
few = settings(max_examples=10) if NO_JIT else settings(max_examples=60)
BIG = [10**12, 3 * 10**9, Fraction(1, 10**10), 2**62, -(2**40)]


def assert_same(values, counts, ops, tv, targets=()):
    python, numba = PythonSubsets(values, counts, ops, tv=tv), NumbaSubsets(values, counts, ops, tv=tv)
    full = python.space.full
    fresh_python, fresh_numba = PythonSubsets(values, counts, ops, tv=tv), NumbaSubsets(values, counts, ops, tv=tv)
    for t in list(python.table(full))[:3] + list(targets):
        want = fresh_python.count(t, full)
        assert fresh_numba.count(t, full) == want, t
        if want <= 2000:
            assert sorted(map(repr, fresh_numba.trees(t, full))) == sorted(map(repr, fresh_python.trees(t, full)))
    assert fresh_numba.defined(full) == fresh_python.defined(full)
    sets = python.space.by_size()
    merged = python.merged(sets)
    assert numba.merged(sets) == merged == sorted(merged, key=lambda item: Fraction(item[0]))
    for s in python.space.by_size():
        assert numba.table(s) == python.table(s)
        assert numba.total(s) == python.total(s)
        assert numba.defined(s) == python.defined(s)


@few
@given(games(max_numbers=5))
def test_agrees_with_the_python_engine(game):
    values, counts, ops, tv = game
    assert_same(values, counts, ops, tv, targets=(0, 24, -1, Fraction(1, 2)))


@few
@given(games(max_numbers=4, pool=BIG + [0, 1, 2, -3, Fraction(1, 3)], tv=False))
def test_values_past_int64_are_redone_exactly(game):
    values, counts, ops, tv = game
    assert_same(values, counts, ops, tv, targets=(0, 10**24))


def test_values_that_floats_cannot_tell_apart_are_ordered_exactly():
    from bracketsolve.engines.subsets import exact_order

    a, b = Fraction(10**17, 10**17 + 1), Fraction(10**17 + 1, 10**17 + 2)      # one float, a < b
    assert float(a) == float(b) and exact_order([(b, 1), (a, 2), (10**400, 3), (-1, 4)]) == \
        [(-1, 4), (a, 2), (b, 1), (10**400, 3)]
    values = (Fraction(10**17), Fraction(1), Fraction(2))
    assert_same(values, (1, 1, 1), "+-/", False)


def test_tv_countdown_agrees():
    values = tuple(Fraction(x) for x in (25, 50, 75, 3, 6))
    assert_same(values, (1,) * 5, "+-*/", True, targets=(952, 100, 1))


def test_warmup_reports():
    assert "ready" in warmup()


@pytest.mark.parametrize("kernel", ["build", "leaves", "matches", "find"])
def test_compiled_means_every_kernel_a_free_order_solve_needs(monkeypatch, kernel):
    from bracketsolve.engines import subsets_fast
    from bracketsolve.engines.kernels import subsets

    from .test_fast import _Uncompiled

    monkeypatch.setattr(subsets, kernel, _Uncompiled())
    assert not subsets_fast.compiled()
