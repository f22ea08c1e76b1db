"""pytest plugin: the `bracket_oracle` fixture, bracketsolve's exact solver and graders as ground truth.

Registered through the `pytest11` entry point as "bracketsolve"; opt out with `-p no:bracketsolve`.
Importing it is light: the engines (and numba) load only when a test calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

import pytest

if TYPE_CHECKING:                   # the plugin stays light: nothing of bracketsolve is imported at load
    from fractions import Fraction

    from ..evaluation.check import Verdict
    from ..evaluation.grade import PuzzleLike
    from ..games.result import GameResult
    from ..solver.model import Puzzle
    from ..solver.result import Result

BACKENDS = ("auto", "python", "numba")


class Oracle:
    """Ground truth for tests: `.solve`, `.values`, `.check`, `.grade`, `.parse`, solving with one backend.

    `solve` and `values` take the same arguments as `bracketsolve.solve` and `bracketsolve.values`;
    `backend` defaults to the run's `--bracket-backend`.
    """

    def __init__(self, backend: str = "auto") -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        self.backend = backend

    def solve(self, puzzle: Union[str, Puzzle], **options: Any) -> Union[Result, GameResult]:
        """`bracketsolve.solve(puzzle, **options)`, on this oracle's backend unless `backend=` is given."""
        from bracketsolve import solve

        options.setdefault("backend", self.backend)
        result: Union[Result, GameResult] = solve(puzzle, **options)
        return result

    def values(self, expression: Union[str, Puzzle], **options: Any) -> dict[Fraction, int]:
        """`bracketsolve.values(expression, **options)`, on this oracle's backend unless `backend=` is given."""
        from bracketsolve import values

        options.setdefault("backend", self.backend)
        return values(expression, **options)

    def check(self, puzzle: Union[str, Puzzle], answer: str) -> Verdict:
        """`bracketsolve.check(puzzle, answer)`: the `Verdict` on a bare answer expression."""
        from bracketsolve import check

        return check(puzzle, answer)

    def grade(self, puzzle_or_entry: PuzzleLike, output: str) -> Verdict:
        """`bracketsolve.grade(puzzle_or_entry, output)`: the `Verdict` on a model's whole output."""
        from bracketsolve import grade

        return grade(puzzle_or_entry, output)

    def parse(self, text: str) -> Puzzle:
        """`bracketsolve.parse(text)`: the `Puzzle`."""
        from bracketsolve import parse

        return parse(text)

    def __repr__(self) -> str:
        return f"Oracle(backend={self.backend!r})"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("bracketsolve").addoption(
        "--bracket-backend", choices=BACKENDS, default="auto",
        help="engine the bracket_oracle fixture solves with (default: auto)")


def pytest_report_header(config: pytest.Config) -> str:
    return f"bracketsolve: bracket_oracle backend {config.getoption('bracket_backend')}"


@pytest.fixture(scope="session")
def bracket_oracle(request: pytest.FixtureRequest) -> Oracle:
    """bracketsolve as ground truth: `.solve`, `.values`, `.check`, `.grade`, `.parse` (session-wide, stateless).

    Session-scoped, so it can be used in hypothesis `@given` tests.
    """
    return Oracle(request.config.getoption("bracket_backend"))
