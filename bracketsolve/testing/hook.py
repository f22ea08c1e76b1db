"""hypothesis' entry point: `st.from_type(Puzzle)` draws `strategies.puzzles()`. Imports nothing heavy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ..solver.model import Puzzle


def setup() -> None:
    """Called by hypothesis once it is imported; the strategy itself is imported only when drawn from."""
    from hypothesis import strategies as st

    from ..solver.model import Puzzle

    def puzzles(_: type) -> SearchStrategy[Puzzle]:
        from .puzzles import puzzles

        return puzzles()

    st.register_type_strategy(Puzzle, puzzles)
