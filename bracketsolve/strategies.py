"""Hypothesis strategies for bracket puzzles, their bracketings and answers (needs the `hypothesis` extra)."""

from .testing.answers import answers
from .testing.puzzles import bracketings, decimal, puzzles, solvable_puzzles, unsolvable_puzzles

__all__ = ["answers", "bracketings", "decimal", "puzzles", "solvable_puzzles", "unsolvable_puzzles"]
