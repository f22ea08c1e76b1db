"""pytest-benchmark timings of proofs of none: the count, then summary() + nearest(3) by near questions, and
the same with the whole side's table built first (the path before near questions); the exact sort of the
Countdown-2016 root table and `--values`' lines from it, before (a Fraction per value) and after (from the
engine's integers).

    python -m pytest benchmarks/test_proofs.py --benchmark-group-by=param:name

`python -m benchmarks.compare --proofs` prints the same proofs as one interleaved table with ratios.
"""

from __future__ import annotations

import pytest

from bracketsolve import parse, solve
from bracketsolve.engines import kernels as K
from bracketsolve.engines.fast import NumbaSide, warmup

from .compare import listing_seconds, proof
from .workloads import COUNTDOWN, proofs_of_none

CASES = [pytest.param(name, text, target, id=name) for name, text, target in proofs_of_none()]


@pytest.fixture(scope="session", autouse=True)
def compiled():
    warmup()


@pytest.mark.parametrize("name, text, target", CASES)
def test_count(benchmark, name, text, target):
    result = benchmark.pedantic(solve, args=(text,), kwargs=dict(target=target, backend="numba"), rounds=3,
                                warmup_rounds=1)
    assert result.count == 0


@pytest.mark.parametrize("name, text, target", CASES)
@pytest.mark.parametrize("before", [False, True], ids=["near questions", "whole table"])
def test_summary_and_nearest(benchmark, name, text, target, before):
    seconds = benchmark.pedantic(proof, args=(text, target, "numba", before), rounds=3 if not before else 1,
                                 warmup_rounds=1 if not before else 0)
    assert seconds[1] > 0


def test_exact_sort_of_the_countdown_root_table(benchmark):
    side = NumbaSide(parse(COUNTDOWN[0]).left)
    root = side.values_raw()
    start, _, stop = root._bounds
    at = benchmark.pedantic(K.order, args=(side.tn, side.td, start, stop), rounds=1, warmup_rounds=0)
    assert len(at) == len(root) == 3_458_197


@pytest.mark.parametrize("before", [False, True], ids=["from the integers", "a Fraction per value"])
def test_values_lines_of_the_countdown_root_table(benchmark, before):
    seconds, lines = benchmark.pedantic(listing_seconds, args=(COUNTDOWN[0], before), rounds=1, warmup_rounds=0)
    assert len(lines) == 3_458_197 and seconds > 0
