"""Building on several threads: the same tables, slot for slot, as one thread; and the storage the caller grows.

Run a second time with NUMBA_DISABLE_JIT=1 with the rest of the kernels' tests (prange is then range).
"""

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bracketsolve import parse
from bracketsolve.engines import fast
from bracketsolve.engines.fast import NumbaSide
from bracketsolve.engines.reference import PythonSide

from .test_fast import (BIG, NO_JIT, _kernel_module, _largest_table, _reference, big_operands, few, side,
                        sides_with_targets, small_partitions)


def _arrays(s: NumbaSide) -> list:
    used = int(s.state[fast.K.USED])
    return [s.tn[:used], s.td[:used], s.tc0[:used], s.tcx[:used], s.meta]


def assert_threads_agree(expr, targets=()) -> None:
    """One thread and two (every level on the parallel kernel) build the same arrays, the Python engine's
    tables, counts and solutions."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "PARALLEL_PAIRS", 0)
        one, two = NumbaSide(expr, threads=1), NumbaSide(expr, threads=2)
        for t in targets:
            assert one.count(t) == two.count(t)
            assert list(one.trees(t)) == list(two.trees(t))     # the same solutions, in the same order
        one.values_raw(), two.values_raw()
    assert all(np.array_equal(a, b) for a, b in zip(_arrays(one), _arrays(two)))
    python = PythonSide(expr, max_work=10**9)
    assert two.values_raw() == python.values_raw()
    assert list(two.values().items()) == list(python.values().items())


def test_big_tables_on_two_threads_are_the_one_thread_tables():
    expr = parse(BIG).left
    with small_partitions() as slots:
        assert_threads_agree(expr, [2016, 26, 0, Fraction(1, 2)])
        two = NumbaSide(expr, threads=2)
        two.values_raw()
        assert _largest_table(two) > slots              # the root's table has several partitions


@few
@given(sides_with_targets(max_operands=6 if NO_JIT else 7))
def test_threads_agree_on_random_sides(case):
    expr, targets = case
    with small_partitions():
        assert_threads_agree(expr, targets)


@settings(max_examples=10 if NO_JIT else 25)
@given(st.lists(big_operands, min_size=4, max_size=5), st.data())
def test_threads_agree_past_int64(numbers, data):
    expr = side(numbers, ["+-*/"] * (len(numbers) - 1))
    with small_partitions():
        assert_threads_agree(expr, data.draw(st.lists(st.sampled_from(list(PythonSide(expr).values_raw())),
                                                      max_size=2)))


def test_threads_agree_on_logged_overflows():
    text = ("123456 ? 654321 ? 111111 ? 987654 ? 3" if NO_JIT else
            "74 * 46 * 44 * 97 * 89 - 83 * 79 * 73 + 71 * 67 * 61 * 59 * 53 * 47")
    expr = parse(text).left
    with small_partitions():
        assert any(NumbaSide(expr, threads=2, depth=expr.size - 1).big[0][expr.size - 2])
        assert_threads_agree(expr, [0])


def test_threads_agree_with_prime_lanes(monkeypatch):
    monkeypatch.setattr(fast, "_lanes", lambda total: 2)
    with small_partitions():
        assert NumbaSide(parse(BIG).left, threads=2).tcx.shape[1] == 2
        assert_threads_agree(parse(BIG).left, [2016])


def test_small_levels_stay_on_the_serial_kernel(monkeypatch):
    parallel = []
    monkeypatch.setattr(fast.K.parallel, "use_threads", lambda count: parallel.append(count))
    NumbaSide(parse("3 ? 7 ? 2 ? 9 ? 4 ? 5").left, threads=2).values()
    assert parallel == []
    monkeypatch.setattr(fast, "PARALLEL_PAIRS", 0)
    NumbaSide(parse("3 ? 7 ? 2 ? 9 ? 4 ? 5").left, threads=1).values()
    assert parallel == []
    NumbaSide(parse("3 ? 7 ? 2 ? 9 ? 4 ? 5").left, threads=2).values()
    assert parallel and set(parallel) == {2}


def test_one_thread_unless_numba_num_threads_is_set(monkeypatch):
    monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    assert fast.default_threads() == 1
    monkeypatch.setenv("NUMBA_NUM_THREADS", "2")
    assert fast.default_threads() == fast.K.parallel.threads()
    assert NumbaSide(parse("3 ? 7").left).threads == fast.K.parallel.threads()


@pytest.mark.skipif(NO_JIT, reason="compiling is what is checked")
def test_warmup_and_a_typical_solve_leave_the_parallel_kernel_uncompiled():
    code = ("from bracketsolve import solve; from bracketsolve.engines import fast; fast.warmup(); "
            "from benchmarks.workloads import workloads; "
            "[solve(f'{text} = {target}', backend='numba').count for name, text, target in workloads() "
            "if name in ('12x2d', '18x2d', 'countdown-2016')]; "
            "print(len(fast.K.parallel.build.overloads), len(fast.K.build.overloads))")
    env = dict(os.environ, NUMBA_NUM_THREADS="2")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                         cwd=Path(__file__).resolve().parent.parent).stdout.split()
    assert out == ["0", "1"]


def test_the_caller_grows_the_storage_and_the_index(monkeypatch):
    """Storage and index grown in Python (NEED_STORAGE), also in the middle of a level: the same tables."""
    statuses = []
    build = fast.K.build

    def counted(*args):
        out = build(*args)
        statuses.append((out[0], int(args[-3][fast.K.ARENA]), int(args[-3][fast.K.IX_WANT])))
        return out

    expr = parse(BIG).left
    with small_partitions():
        s = NumbaSide(expr, threads=1, depth=expr.size // 2)
        used, iused = int(s.state[fast.K.USED]), int(s.state[fast.K.IUSED])
        s.tn, s.td, s.tc0, s.tcx = (a[:used].copy() for a in (s.tn, s.td, s.tc0, s.tcx))   # full: it must grow
        s.ix = s.ix[:iused].copy()
        s._sync(1)
        monkeypatch.setattr(fast.K, "build", counted)
        assert s.values_raw() == _reference(BIG)
        assert s.count(2016) == _reference(BIG).get(2016, 0)
    grown = [(entries, slots) for status, entries, slots in statuses if status == fast.K.NEED_STORAGE]
    assert any(entries for entries, _ in grown) and any(slots for _, slots in grown)


def test_the_kernel_still_grows_the_storage_without_the_budget_hooks():
    """Called without the hooks (a short state), the kernel grows the arrays itself."""
    expr = parse("3 ? 7 ? 2 ? 9 ? 4 ? 5").left
    s = NumbaSide(expr, depth=1)
    n = expr.size
    state = np.zeros(6, np.int64)
    state[:] = s.state[:6]
    tn, td, tc0, tcx, ix = s.tn[:int(state[0])].copy(), s.td[:int(state[0])].copy(), s.tc0[:int(state[0])].copy(), \
        s.tcx[:int(state[0])].copy(), s.ix.copy()
    status, tn, td, tc0, tcx, ix, log = fast.K.build(2, 0, n, s._masks, s._allowed, s._primes, s.meta, tn, td, tc0,
                                                     tcx, ix, np.empty((1 << 16, 3), np.int64), state, 10**9, 10**9)
    assert status == fast.K.OK
    root = s.meta[0, n - 1]
    assert sorted(zip(tn[root[0]:root[1]].tolist(), td[root[0]:root[1]].tolist())) == sorted(
        (Fraction(v).numerator, Fraction(v).denominator) for v in PythonSide(expr).values_raw())


def test_the_budget_counts_the_lane_arrays_of_a_build(monkeypatch):
    """The scratch table's reservation covers the arena, its prime lanes (hx, half again while doubling), the
    waiting results' lanes (bx) and the partition moved out while doubling (temp, tempx)."""
    scratch = _kernel_module("scratch")
    monkeypatch.setattr(fast, "_lanes", lambda total: 2)
    s = NumbaSide(parse("3 ? 7 ? 2").left)
    lanes = 8 * 2
    buffer_rows = getattr(scratch.buffer_rows, "py_func", scratch.buffer_rows)   # (a helper: no Python wrapper)
    for rows in (48, 3 << 14, 1 << 16, 1 << 22, 3 << 23):
        table = 1 << (rows.bit_length() - 1)
        waiting = int(buffer_rows(table))
        temp = min(1 << scratch.SUB_BITS, rows)
        assert s._arena_bytes(rows) >= 24 * rows + lanes * (table + table // 2 + waiting) + temp * (24 + lanes)
    reserved = []
    monkeypatch.setattr(s.limits, "reserve", lambda nbytes, what: reserved.append((nbytes, what)))
    s._run(3, 3)
    assert reserved[0][0] == s._arena_bytes(fast.ARENA_ROWS) > 24 * fast.ARENA_ROWS + lanes * fast.ARENA_ROWS
