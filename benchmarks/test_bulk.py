"""pytest-benchmark timings of small puzzles in bulk: solve_many, a loop over solve(), and the C++ `bdp`.

    python -m pytest benchmarks/test_bulk.py --benchmark-group-by=group

Not part of the normal test run. `python -m benchmarks.bulk` gives the CPU-time ratio in one run.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bracketsolve import solve
from bracketsolve.solver.many import solve_many

from .compare import CPP_DEFAULT, build_cpp
from .workloads import small_lines

LINES = small_lines(10_000)


@pytest.fixture(scope="module", autouse=True)
def loaded():
    list(solve_many(LINES[:10]))


def firsts(lines):
    return [row.first for row in solve_many(lines)]


def loop(lines):
    return [str(solve(line).first) for line in lines]


@pytest.mark.benchmark(group="10,000 six-operand puzzles")
def test_solve_many(benchmark):
    out = benchmark.pedantic(firsts, args=(LINES,), rounds=5, warmup_rounds=1)
    assert all(out)


@pytest.mark.benchmark(group="1,000 six-operand puzzles")
def test_solve_loop(benchmark):
    out = benchmark.pedantic(loop, args=(LINES[:1000],), rounds=1)
    assert out == firsts(LINES[:1000])


@pytest.fixture(scope="module")
def bdp():
    if not (CPP_DEFAULT / "build.sh").exists() or shutil.which("g++") is None:
        pytest.skip("the C++ baseline or g++ is not available")
    where = tempfile.mkdtemp()
    yield build_cpp(CPP_DEFAULT, Path(where))
    shutil.rmtree(where)


@pytest.mark.benchmark(group="10,000 six-operand puzzles")
def test_bdp(benchmark, bdp):
    text = "\n".join(LINES) + "\n"
    run = lambda: subprocess.run([str(bdp)], input=text, capture_output=True, text=True, check=True)
    out = benchmark.pedantic(run, rounds=5, warmup_rounds=1)
    assert len(out.stdout.splitlines()) == len(LINES)
