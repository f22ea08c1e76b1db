"""hypothesis' entry point: `st.from_type(Puzzle)` draws `strategies.puzzles()`. Imports nothing heavy."""


def setup() -> None:
    """Called by hypothesis once it is imported; the strategy itself is imported only when drawn from."""
    from hypothesis import strategies as st

    from ..solver.model import Puzzle

    def puzzles(_: type):
        from .puzzles import puzzles

        return puzzles()

    st.register_type_strategy(Puzzle, puzzles)
