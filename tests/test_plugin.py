"""The pytest plugin: the bracket_oracle fixture, its backend option, and opting out."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.skipif(
    not any(e.name == "bracketsolve" for e in importlib.metadata.entry_points(group="pytest11")),
    reason="bracketsolve is not installed, so its pytest11 entry point is not registered")

USES_THE_ORACLE = """
from fractions import Fraction

def test_oracle(bracket_oracle):
    assert str(bracket_oracle.solve("8 + 28 / 4 - 2 * 3 = 6").first) == "(8 + 28) / ((4 - 2) * 3)"
    assert not bracket_oracle.solve("8 + 28 / 4 - 2 * 3", target=7).solvable
    assert bracket_oracle.values("2 * 3 + 4") == {Fraction(10): 1, Fraction(14): 1}
    assert bracket_oracle.check("8 + 28 / 4 - 2 * 3 = 6", "(8 + 28) / ((4 - 2) * 3)").ok
    assert bracket_oracle.parse("1 + 2 = 3").target == 3
"""


def test_the_fixture_works_without_any_setup(pytester):
    pytester.makepyfile(USES_THE_ORACLE)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_opting_out_removes_the_fixture(pytester):
    pytester.makepyfile(USES_THE_ORACLE)
    result = pytester.runpytest("-p", "no:bracketsolve", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'bracket_oracle' not found*"])


def test_the_backend_option_reaches_the_oracle(pytester):
    pytester.makepyfile("""
        def test_backend(bracket_oracle):
            assert bracket_oracle.backend == "python"
            assert bracket_oracle.solve("1 + 2 = 3").backend == "python"
            assert bracket_oracle.solve("1 + 2 = 3", backend="auto").count == 1
    """)
    result = pytester.runpytest("--bracket-backend=python", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["bracketsolve: bracket_oracle backend python"])


def test_the_fixture_works_under_given(pytester):
    pytester.makepyfile("""
        from hypothesis import given, settings
        from bracketsolve.strategies import solvable_puzzles

        @settings(max_examples=20, deadline=None)
        @given(solvable_puzzles(max_operands=4))
        def test_solves(bracket_oracle, puzzle):
            assert bracket_oracle.solve(puzzle).solvable
    """)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_worked_example_in_the_docs_finds_the_toy_solvers_bug(pytester):
    example = Path(__file__).parents[1] / "docs" / "examples" / "test_toy_solver.py"
    pytester.makepyfile(test_toy_solver=example.read_text(encoding="utf-8"))
    # hypothesis draws constants from the package's source, so any change moves its examples: give it room to
    # find the bug (it stops at the first failure) rather than rely on one seed's first 100 draws
    pytester.makeconftest("from hypothesis import settings\n"
                          "settings.register_profile('room', max_examples=2000)\nsettings.load_profile('room')\n")
    # a subprocess: hypothesis' seed and example database are per process
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--hypothesis-seed=0")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*the toy found no solution to *", "*puzzle=parse('* = *'),"])
    shown = re.search(r"puzzle=parse\('(.*)'\)", result.stdout.str()).group(1)
    from bracketsolve import solve

    assert solve(shown).solvable and "/" in shown           # a real solution, hidden behind a division by 0


def test_grade_is_there_when_the_grader_is():
    from bracketsolve.testing.plugin import Oracle

    assert Oracle().grade("8 + 28 / 4 - 2 * 3 = 6", "<answer>(8 + 28) / ((4 - 2) * 3)</answer>").ok


def test_an_oracle_refuses_an_unknown_backend():
    from bracketsolve.testing.plugin import Oracle

    with pytest.raises(ValueError):
        Oracle("fortran")


def test_loading_the_plugin_imports_no_engine():
    code = ("import sys, bracketsolve.testing.plugin; "
            "print(sorted({'numba', 'numpy', 'hypothesis', 'bracketsolve.engines.fast'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
