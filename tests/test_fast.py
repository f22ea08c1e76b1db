"""The numba engine against the Python engine: values, counts, totals, undefined and solution sets agree.

Run a second time with NUMBA_DISABLE_JIT=1 so the kernel bodies run as Python (fewer examples then).
"""

import functools
import importlib
import os
import subprocess
import sys
from contextlib import contextmanager
from fractions import Fraction
from itertools import islice

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bracketsolve import ParseError, TooLargeError, bracketings, parse, solve, values
from bracketsolve.engines.reference import PythonSide
from bracketsolve.engines.fast import NumbaSide, warmup
from bracketsolve.solver.model import Expr, evaluate

from .helpers import catalan, expression_texts
from .test_near import assert_near, brute, near_cases

NO_JIT = os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0")
few = settings(max_examples=15) if NO_JIT else settings()     # the kernels run as Python: fewer examples

SOLUTIONS_COMPARED = 3000      # solution sets are compared in full up to this many


def side(numbers, ops) -> Expr:
    """A side from numbers and one operator set per slot (a string, canonical order)."""
    return Expr(tuple(Fraction(x) for x in numbers), tuple(ops))


def assert_same(expr: Expr, targets=()) -> None:
    """Both engines agree on `expr`: counts of `targets` (target-directed, then from the root), solutions,
    defined bracketings, the value table."""
    python, numba = PythonSide(expr, max_work=10**9), NumbaSide(expr)
    fresh = NumbaSide(expr)
    table = python.values_raw()
    for t in targets:
        want = table.get(t, 0)
        assert fresh.count(t) == want, t
        if want <= SOLUTIONS_COMPARED:
            trees = list(numba.trees(t))
            assert len(trees) == want
            assert set(trees) == set(python.trees(t))
            assert all(evaluate(expr, tree) == t for tree in trees)
    assert numba.defined() == python.defined()
    assert numba.values_raw() == table
    assert len(numba.values_raw()) == len(table)
    assert all(numba.values_raw()[v] == c for v, c in islice(table.items(), 50))
    beyond = max(table, default=0) + Fraction(1, 3)
    assert beyond not in numba.values_raw() and numba.values_raw().get(beyond) is None
    assert all(type(v) is int for v in numba.values_raw() if Fraction(v).denominator == 1)
    assert list(numba.values().items()) == list(python.values().items())      # in the same (increasing) order
    assert numba.defined() == sum(table.values())
    for t in targets:
        assert numba.count(t) == table.get(t, 0)


@st.composite
def sides_with_targets(draw, max_operands=7, **options):
    """A side of a parsed expression, and targets: some values it reaches, and some it may not."""
    expr = parse(draw(expression_texts(max_operands=max_operands, **options))).left
    reached = sorted(PythonSide(expr, max_work=10**9).values_raw(), key=Fraction)
    targets = draw(st.lists(st.sampled_from(reached), max_size=3)) if reached else []
    targets += draw(st.lists(st.integers(-30, 30), max_size=2))
    return expr, targets


@few
@given(sides_with_targets())
def test_agrees_with_the_python_engine(case):
    expr, targets = case
    assert_same(expr, targets)


@few
@given(sides_with_targets(max_operands=9), st.sampled_from([1, 2, None]))
def test_the_first_solution_in_one_kernel_call_is_the_walks_first(case, depth):
    expr, targets = case
    for t in targets:
        numba = NumbaSide(expr, depth=depth)
        questions = numba._kernel_questions()
        assume(questions is not None)               # (values past int64: the Python walk lists them)
        n = expr.size
        walked = next(questions.walk(0, n - 1, t), None)
        first = questions._first(0, n - 1, t)
        assert first is None or first == walked
        assert next(numba.trees(t), None) == walked
        assert len(list(islice(numba.trees(t), 50))) == min(50, numba.count(t))     # the first is not listed twice


@few
@given(expression_texts(max_operands=5), expression_texts(max_operands=5))
def test_two_sided_equations_agree(left, right):
    text = f"{left} = {right}"
    try:
        puzzle = parse(text)
    except ParseError:              # "= 0 / 0" reads as a rational target, and divides by zero
        assume(False)
    numba, python = solve(puzzle, backend="numba"), solve(puzzle, backend="python")
    assert (numba.count, numba.total, numba.undefined) == (python.count, python.total, python.undefined)
    if python.count <= SOLUTIONS_COMPARED:
        assert {s.trees for s in numba.solutions} == {s.trees for s in python.solutions}


big_operands = st.one_of(st.integers(-10**20, 10**20), st.integers(10**9, 10**11), st.integers(-99, 99),
                         st.fractions(min_value=-10**12, max_value=10**12, max_denominator=10**10))


@few
@given(st.lists(big_operands, min_size=2, max_size=6), st.data())
def test_values_beyond_int64_are_exact(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["+", "-", "*", "/", "*/", "+-*/"]),
                             min_size=len(numbers) - 1, max_size=len(numbers) - 1))
    expr = side(numbers, ops)
    reached = list(PythonSide(expr).values_raw())
    targets = data.draw(st.lists(st.sampled_from(reached), max_size=3)) if reached else []
    assert_same(expr, targets)


@few
@given(st.lists(st.integers(10, 99), min_size=6, max_size=8 if NO_JIT else 10), st.data())
def test_two_digit_products_and_quotients_past_int64(numbers, data):
    ops = data.draw(st.lists(st.sampled_from("**//+-"), min_size=len(numbers) - 1, max_size=len(numbers) - 1))
    expr = side(numbers, ops)
    reached = list(PythonSide(expr, max_work=10**9).values_raw())
    assert_same(expr, data.draw(st.lists(st.sampled_from(reached), max_size=2)))


def test_long_product_chain_overflows_and_stays_exact():
    numbers = [97, 89, 83, 79, 73, 71, 67, 61, 59, 53, 47, 43]
    expr = side(numbers, "*" * 11)
    product = 1
    for x in numbers:
        product *= x
    assert product > 2**63
    assert NumbaSide(expr).values_raw() == {product: catalan(12)}
    assert_same(expr, [product])


def test_repeated_division_grows_denominators_past_int64():
    numbers = [97, 89, 83, 79, 73, 71, 67, 61, 59, 53, 47]
    expr = side(numbers, "/" * 10)
    assert_same(expr, [Fraction(97, 89 * 83 * 79 * 73 * 71 * 67 * 61 * 59 * 53 * 47)])


def test_fourteen_two_digit_operands():
    expr = parse("74 * 46 * 44 * 97 * 89 - 83 * 79 * 73 + 71 * 67 * 61 * 59 * 53 * 47").left
    assert any(NumbaSide(expr, depth=13).big[0][12])      # some values of operands 0..12 are past int64
    table = PythonSide(expr).values_raw()
    assert_same(expr, [max(table), min(table), 0])


@pytest.mark.parametrize("text", [" * ".join(["1"] * 41) + " = 1", " * ".join(["0"] * 41) + " = 0",
                                  " + ".join(["0"] * 41) + " = 0"])
def test_catalan_40_bracketings_are_counted_exactly(text):
    result = solve(text, backend="numba")
    assert result.count == catalan(41) == 2_622_127_042_276_492_108_820
    assert result.total == result.count and result.undefined == 0
    assert result.first.holds


def test_counts_past_2_to_the_64_with_every_operator():
    expr = side([0] * 41, ["+-*/"] * 40)
    assert expr.total() > 2**140
    numba, python = NumbaSide(expr), PythonSide(expr)
    assert numba.count(0) == python.count(0) == numba.defined() == python.defined()
    assert numba.values_raw() == python.values_raw()


def test_first_of_a_billion_solutions_comes_lazily():
    expr = side([1] * 20, ["*"] * 19)
    numba = NumbaSide(expr)
    assert numba.count(1) == catalan(20) > 10**9
    first = next(numba.trees(1))
    assert evaluate(expr, first) == 1


def test_targets_beyond_int64():
    expr = side([10**10, 10**10, 10**10, 7], ["*", "*", "+-*/"])
    target = 10**30 * 7
    assert_same(expr, [target, 10**30 + 7, 10**30])


def test_arena_restarts_give_the_same_tables(monkeypatch):
    import bracketsolve.engines.fast as fast

    expr = parse("8 + 2 * 7 - 5 / 3 * 4 + 9 - 6").left
    want = NumbaSide(expr).values_raw()
    monkeypatch.setattr(fast, "ARENA_ROWS", 48)
    assert NumbaSide(expr).values_raw() == want == PythonSide(expr).values_raw()


def test_the_value_table_answers_like_a_dict():
    table = NumbaSide(parse("1 / 2 + 3").left).values_raw()
    plain = PythonSide(parse("1 / 2 + 3").left).values_raw()
    for key in (Fraction(7, 2), 3.5, 0.5, 1, "7/2", None, float("nan"), True):
        assert (key in table) == (key in plain) and table.get(key) == plain.get(key), key


def test_work_cap_raises():
    with pytest.raises(TooLargeError):
        NumbaSide(parse("1 ? 2 ? 3 ? 4 ? 5 ? 6").left, max_work=100)


def test_backends_agree_through_the_api():
    text = "10 ? 9 ? 8 ? 7 ? 6 ? 5 = 26"
    brute = sum(b.holds for b in bracketings(parse(text)))
    assert solve(text, backend="numba").count == solve(text, backend="python").count == brute == 35
    assert values("2 * 3 + 4", backend="numba") == {Fraction(10): 1, Fraction(14): 1}


def test_warmup_compiles_and_says_so():
    assert "ready" in warmup()


def test_importing_the_package_or_solving_small_puzzles_leaves_numba_unloaded():
    code = ("import sys, bracketsolve; r = bracketsolve.solve('8 + 28 / 4 - 2 * 3 = 6'); "
            "print(r.count, r.backend, 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "python", "False"]


def test_kernels_compile_where_no_cache_directory_is_writable():
    from bracketsolve.engines.kernels.arith import _jit

    namespace = {}
    exec("def twice(x):\n    return 2 * x\n", namespace)     # no source file, so numba has nowhere to cache it
    assert _jit(namespace["twice"])(21) == 42


def _called(helper):
    """A kernel helper (compiled without a Python wrapper) called from Python, through a jitted caller."""
    import numba

    return numba.njit(lambda *args: helper(*args))


def test_grown_arrays_keep_every_row():
    # the storage arrays grow by a flat copy loop (`tables._copy`), not numpy's slice assignment (whose
    # shape-mismatch message took about 3 s of compiling for each number of dimensions)
    import numpy as np
    from bracketsolve.engines.kernels.tables import _extend, _grow

    lanes = np.arange(1, 13, dtype=np.int64).reshape(4, 3)
    grown = _called(_grow)(lanes, 7)
    assert grown.shape == (7, 3) and grown[:4].tolist() == lanes.tolist() and not grown[4:].any()
    index = np.array([5, 0, 2**31 - 1, 7], np.int32)
    extended = _called(_extend)(index, 9)
    assert extended.dtype == np.int32 and extended.shape == (9,) and extended[:4].tolist() == index.tolist()


class _Uncompiled:
    """A kernel compiled neither in this process nor in numba's cache."""
    overloads: dict = {}

    class _cache:
        class _cache_file:
            _index_path = "/nonexistent/kernel.nbi"


@pytest.mark.parametrize("module, kernel", [("", "build"), ("query", "down"), ("query", "up"), ("query", "ask"),
                                            ("query", "find"), ("query", "next_row"), ("plan", "bounds"),
                                            ("plan", "pays"), ("first", "first")])
def test_compiled_means_every_kernel_a_solve_needs(monkeypatch, module, kernel):
    # it used to look at `build` only: a solve then compiled the question kernels (about 10 s) unannounced
    import bracketsolve.engines.fast as fast
    from bracketsolve.engines import kernels

    monkeypatch.setattr(importlib.import_module(f"bracketsolve.engines.kernels.{module}") if module else kernels,
                        kernel, _Uncompiled())
    assert not fast.compiled()


@pytest.mark.skipif(NO_JIT, reason="numba's disk cache exists only when compiling")
def test_cached_kernels_go_stale_when_any_kernel_module_changes():
    # numba checks a cached kernel against its own file only: with a new slot hash in arith.py, a stale build
    # (build.py unchanged) and a fresh find disagreed, and `1 * 1 = 1` had no solution.
    import hashlib
    from pathlib import Path

    build, tables = _kernel_module("build"), _kernel_module("tables")
    here = Path(tables.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for kernel in (build.build, tables.find, tables.index):
        own, sources = kernel._cache._cache_file._source_stamp
        assert own == hashlib.sha256(Path(kernel.py_func.__code__.co_filename).read_bytes()).digest()
        assert sources == digest.digest()


int64_fractions = st.builds(Fraction, st.integers(-2**63 + 1, 2**63 - 1), st.integers(1, 2**63 - 1))


@few
@given(int64_fractions, int64_fractions)
def test_kernel_order_of_fractions_is_exact(a, b):
    from bracketsolve.engines.kernels.order import _less

    assert _less(a.numerator, a.denominator, b.numerator, b.denominator) == (a < b)


@few
@given(st.sets(st.one_of(int64_fractions, st.integers(-2**63 + 1, 2**63 - 1).map(Fraction),
                         st.fractions(-30, 30, max_denominator=12)), max_size=60), st.integers(0, 3))
def test_kernel_order_sorts_a_table_exactly(values, pad):
    """`order`: a table's integers first (as the kernels store them), then its fractions; any start."""
    import numpy as np
    from bracketsolve.engines.kernels import order

    table = [Fraction(0)] * pad + sorted(values, key=lambda v: v.denominator != 1)
    tn = np.array([v.numerator for v in table], np.int64)
    td = np.array([v.denominator for v in table], np.int64)
    at = order(tn, td, pad, len(table))
    assert [table[p] for p in at.tolist()] == sorted(values)


def test_auto_waits_for_compiled_kernels_on_mid_sized_puzzles(monkeypatch):
    import bracketsolve.engines.fast as fast
    from bracketsolve.solver.solve import engine_for

    fourteen, eighteen = parse(" + ".join(["1"] * 14)).left, parse(" + ".join(["1"] * 18)).left
    assert fast.compiled()
    assert engine_for(fourteen).name == "numba"
    monkeypatch.setattr(fast, "compiled", lambda: False)
    # not compiled: the Python engine starts, and hands over only when the work ahead pays for compiling
    # (tests/test_choose.py); these tables are tiny
    assert engine_for(fourteen).name == engine_for(eighteen).name == "python"


# --- the scratch tables' partitions (kernels/scratch.py): big tables, flushes, doublings, restarts --------

def _kernel_module(name: str):
    return importlib.import_module(f"bracketsolve.engines.kernels.{name}")     # (the package's `build` is the kernel)


@contextmanager
def small_partitions():
    """When the kernels run as Python: partitions of 16 slots, a 64-row buffer, a 16-row overflow log, so that
    small puzzles go through many partitions, flushes, doublings and log growths. Compiled kernels keep
    theirs (2**15 slots), so the tests below use big tables then."""
    with pytest.MonkeyPatch.context() as patch:
        if NO_JIT:
            for module in (_kernel_module("build"), _kernel_module("scratch")):
                patch.setattr(module, "SUB_BITS", 4)
                patch.setattr(module, "MIN_BLOCK", 4)
            patch.setattr(_kernel_module("scratch"), "BUFFER", 64)
            patch.setattr(_kernel_module("build"), "_LOG_ROWS", 16)
        yield 1 << _kernel_module("scratch").SUB_BITS


def _largest_table(side: NumbaSide) -> int:
    n = side.expr.size
    return max(int(side.meta[i, j, 1] - side.meta[i, j, 0]) for i in range(n) for j in range(i, n))


BIG = "10 ? 9 ? 8 ? 7 ? 6" if NO_JIT else "10 ? 9 ? 8 ? 7 ? 6 ? 5 ? 4"     # tables of 1,101 / 48,391 values


@functools.lru_cache(maxsize=None)
def _reference(text: str) -> dict:
    return dict(PythonSide(parse(text).left, max_work=10**9).values_raw())


def test_big_tables_go_through_partitions():
    expr = parse(BIG).left
    with small_partitions() as slots:
        side = NumbaSide(expr)
        side.values_raw()
        assert _largest_table(side) > slots              # the root's table has several partitions
        assert_same(expr, [2016, 26, 0, Fraction(1, 2)])


@few
@given(sides_with_targets(max_operands=6 if NO_JIT else 7))
def test_partitioned_tables_agree_with_the_python_engine(case):
    expr, targets = case
    with small_partitions():
        assert_same(expr, targets)


@settings(max_examples=15 if NO_JIT else 30)
@given(st.lists(big_operands, min_size=4, max_size=5), st.data())
def test_partitioned_tables_beyond_int64_are_exact(numbers, data):
    expr = side(numbers, ["+-*/"] * (len(numbers) - 1))
    with small_partitions():
        assert_same(expr, data.draw(st.lists(st.sampled_from(list(PythonSide(expr).values_raw())), max_size=2)))


def test_restarts_in_the_middle_of_a_partitioned_table_give_the_same_tables(monkeypatch):
    """A small arena: builds stop for a bigger one at an interval's start and while its table doubles."""
    import bracketsolve.engines.fast as fast

    builds, tables = [], []
    build, table = fast.K.build, _kernel_module("build")._table

    def counted_build(*args):
        out = build(*args)
        builds.append(out[0])
        return out

    def counted_table(*args):
        out = table(*args)
        tables.append(out[0])
        return out

    expr = parse(BIG).left
    want = _reference(BIG)
    monkeypatch.setattr(fast, "ARENA_ROWS", 48)
    monkeypatch.setattr(fast.K, "build", counted_build)
    monkeypatch.setattr(_kernel_module("build"), "_table", counted_table)     # seen only when run as Python
    with small_partitions():
        assert NumbaSide(expr).values_raw() == want
    assert builds.count(fast.K.NEED_ARENA) >= 2
    assert tables.count(fast.K.NEED_ARENA) >= 1 or not NO_JIT       # one in the middle of a table


def test_partitions_double_while_results_wait():
    """The estimate of a Countdown table is low: its partitions double in place while flushing."""
    if not NO_JIT:
        pytest.skip("counts calls inside the kernels, which only the Python-run kernels make visible")
    build = _kernel_module("build")
    events = []
    flush = build.flush

    def counted_flush(*args):
        done = flush(*args)
        events.append("flushed" if done else "doubled")
        return done

    with small_partitions(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(build, "flush", counted_flush)
        assert NumbaSide(parse(BIG).left).values_raw() == _reference(BIG)
    assert "doubled" in events and "flushed" in events


def test_prime_lanes_go_through_partitions(monkeypatch):
    """Counts kept in two prime lanes as well (forced): the lanes follow their values through the buffer."""
    import bracketsolve.engines.fast as fast

    monkeypatch.setattr(fast, "_lanes", lambda total: 2)
    with small_partitions():
        side = NumbaSide(parse(BIG).left)
        assert side.tcx.shape[1] == 2
        assert side.values_raw() == _reference(BIG)


def test_overflow_log_grows_with_partitions():
    text = ("123456 ? 654321 ? 111111 ? 987654 ? 3" if NO_JIT else
            "74 * 46 * 44 * 97 * 89 - 83 * 79 * 73 + 71 * 67 * 61 * 59 * 53 * 47")    # 1,173 logged pairs
    expr = parse(text).left
    with small_partitions():
        assert any(NumbaSide(expr, depth=expr.size - 1).big[0][expr.size - 2])
        assert_same(expr, [0])


def test_values_equal_far_up_in_their_bits_spread_over_slots():
    """Values k * 2**50 agree in their low 50 bits; the slots (and partitions) still differ."""
    from bracketsolve.engines.kernels.arith import _slot

    slot = _called(_slot)
    slots = {int(slot(k << 50, 1, (1 << 10) - 1)) for k in range(1, 2000)}
    assert len(slots) > 900
    parts = {int(slot(k << 50, 1, (1 << 25) - 1)) >> 15 for k in range(1, 2000)}
    assert len(parts) > 800                      # of 1,024 (the old hash had 1 slot, 16 partitions)


def test_values_equal_far_up_in_their_bits_build_exactly():
    expr = side([k << 50 for k in (3, 5, 7, 11, 13, 17)], ["+-"] * 5)
    with small_partitions():
        assert_same(expr, [0, 56 << 50])


def test_entries_cap_raises_in_the_middle_of_a_table():
    with small_partitions():
        with pytest.raises(TooLargeError):
            NumbaSide(parse(BIG).left, max_entries=500).values_raw()


# --- nearest values without the whole side's table (kernels/near.py): against the table, as in test_near.py ---

@few
@given(near_cases())
def test_near_questions_agree_with_brute_force(case):
    expr, depth, targets = case
    assert_near(NumbaSide(expr, depth=depth), brute(expr), targets)


@few
@given(st.lists(big_operands, min_size=2, max_size=6), st.data())
def test_near_questions_past_int64_are_exact(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["+", "-", "*", "/", "*/", "+-*/"]),
                             min_size=len(numbers) - 1, max_size=len(numbers) - 1))
    expr = side(numbers, ops)
    depth = data.draw(st.integers(1, len(numbers) - 1))
    table = {Fraction(v): c for v, c in PythonSide(expr).values_raw().items()}
    targets = data.draw(st.lists(st.sampled_from(sorted(table)), max_size=2)) if table else []
    targets += [0, 10**19 + Fraction(1, 3), -10**25]
    assert_near(NumbaSide(expr, depth=depth), table, targets, ks=(1, 3))


@few
@given(st.lists(st.sampled_from([0, 0, 1, -1, 2, -3, 5, Fraction(1, 2)]), min_size=2, max_size=7), st.data())
def test_near_questions_with_zeros_and_zero_divisors(numbers, data):
    ops = data.draw(st.lists(st.sampled_from(["/", "-", "*", "+-*/", "*/", "-/"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = side(numbers, ops)
    table = brute(expr)
    engine = NumbaSide(expr, depth=data.draw(st.integers(1, len(numbers) - 1)))
    assert_near(engine, table, [0, Fraction(1, 3), -1] + list(table)[:2])


# --- the question kernels pause for the budget; a pause changes no count --------------------------------------

@few
@given(st.lists(st.sampled_from([0, 1, -1, 2, 3, -3, 5, 7, Fraction(1, 2)]), min_size=3, max_size=8), st.data())
def test_question_kernels_paused_often_count_the_same(numbers, data):
    from bracketsolve.engines import questions
    from bracketsolve.solver.limits import Limits

    ops = data.draw(st.lists(st.sampled_from(["+", "-", "*", "/", "+-*/", "*/"]), min_size=len(numbers) - 1,
                             max_size=len(numbers) - 1))
    expr = side(numbers, ops)
    table = brute(expr)
    depth = data.draw(st.integers(1, len(numbers) - 1))
    targets = list(table)[:3] + [Fraction(1, 3)]
    steady = NumbaSide(expr, depth=depth)
    old = questions.PAUSE_PAIRS
    questions.PAUSE_PAIRS = 1                                   # pause at every question
    try:
        paused = NumbaSide(expr, depth=depth, limits=Limits(timeout=3600))
        assert paused.limits.pausing
        for t in targets:
            assert paused.count(t) == steady.count(t) == table.get(t, 0)
        assert paused.defined() == steady.defined() == sum(table.values())
    finally:
        questions.PAUSE_PAIRS = old
