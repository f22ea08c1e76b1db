"""pytest-benchmark timings of both engines and the C++ baseline on the fixed-seed workloads.

    python -m pytest benchmarks/ --benchmark-group-by=param:name

Not part of the normal test run (pyproject's testpaths). A warm-up call comes before each timing, so
compilation is not measured; the Python engine runs only where it finishes in reasonable time.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bracketsolve import parse
from bracketsolve.engines.fast import NumbaSide, warmup

from .compare import CPP_DEFAULT, build_cpp, python_engine, solve_first, target_query, value_table
from .workloads import PYTHON_UP_TO, cpp_line, workloads

WORKLOADS = workloads()
ENGINES = {"numba": NumbaSide, "python": python_engine}


def _feasible(engine: str, text: str) -> bool:
    return engine == "numba" or parse(text).left.size <= PYTHON_UP_TO


CASES = [pytest.param(name, text, target, engine, id=f"{name}-{engine}")
         for name, text, target in WORKLOADS for engine in ENGINES if _feasible(engine, text)]


@pytest.fixture(scope="session", autouse=True)
def compiled():
    warmup()


@pytest.fixture(scope="session")
def cpp_binary():
    if not (CPP_DEFAULT / "build.sh").exists() or shutil.which("g++") is None:
        pytest.skip("the C++ baseline or g++ is not available")
    where = tempfile.mkdtemp()
    yield build_cpp(CPP_DEFAULT, Path(where))[0]
    shutil.rmtree(where)


def _rounds(text: str) -> int:
    expr = parse(text).left
    return 1 if expr.size >= 16 or "?" in text else 3


@pytest.mark.parametrize("name, text, target, engine", CASES)
def test_with_target(benchmark, name, text, target, engine):
    expr = parse(text).left
    count, _, _ = benchmark.pedantic(target_query, args=(ENGINES[engine], expr, target), rounds=_rounds(text),
                                  warmup_rounds=0 if engine == "python" else 1)
    assert count >= 1


@pytest.mark.parametrize("name, text, target", [w for w in WORKLOADS if w[0] in ("16x1d", "18x1d", "16x2d")],
                         ids=["16x1d", "18x1d", "16x2d"])
def test_solve_and_first_solution(benchmark, name, text, target):
    """Through the API, as a user asks: `solve` (parse, count, defined count) and `.first` (numba engine)."""
    count, first = benchmark.pedantic(solve_first, args=(text, target), rounds=20, warmup_rounds=1)
    assert count >= 1 and first is not None


@pytest.mark.parametrize("name, text, target, engine", [c for c in CASES if parse(c.values[1]).left.size <= 18])
def test_value_table(benchmark, name, text, target, engine):
    expr = parse(text).left
    distinct = benchmark.pedantic(value_table, args=(ENGINES[engine], expr), rounds=_rounds(text),
                                  warmup_rounds=0 if engine == "python" else 1)
    assert distinct >= 1


@pytest.mark.parametrize("name, text, target", WORKLOADS, ids=[w[0] for w in WORKLOADS])
def test_cpp_baseline(benchmark, cpp_binary, name, text, target):
    """The whole C++ process, start-up included (`python -m benchmarks.compare` uses its own timing)."""
    line = cpp_line(text, target) + "\n"
    run = lambda: subprocess.run([str(cpp_binary)], input=line, capture_output=True, text=True, check=True)
    out = benchmark.pedantic(run, rounds=_rounds(text), warmup_rounds=1 if _rounds(text) > 1 else 0)
    assert int(out.stdout.split()[2]) >= 1
