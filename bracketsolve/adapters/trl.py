"""A reward function for TRL's GRPOTrainer, `(prompts, completions, **kwargs) -> list[float]`: each completion is
graded exactly against the puzzle in its row (a dataset column `puzzle`, or `metadata` with one).

    >>> reward(prompts=["..."], completions=["<answer>(8 + 28) / ((4 - 2) * 3)</answer>"],
    ...        puzzle=["8 + 28 / 4 - 2 * 3 = 6"])
    [1.0]
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..errors import BracketError
from ..evaluation.grade import score


def _text(completion: object) -> object:
    """A completion's text: the string itself (standard format), or the last message's content
    (conversational format, a list of {"role", "content"} dicts)."""
    if isinstance(completion, list):
        contents = [m.get("content") for m in completion if isinstance(m, dict)]
        return contents[-1] if contents else None
    return completion


def _puzzles(n: int, kwargs: dict[str, Any]) -> list[object]:
    if "puzzle" in kwargs:
        puzzles = list(kwargs["puzzle"])
    elif "metadata" in kwargs:
        puzzles = [m.get("puzzle") if isinstance(m, dict) else None for m in kwargs["metadata"]]
    else:
        raise BracketError("the dataset needs a 'puzzle' column (or 'metadata' with a puzzle): TRL passes the "
                           "dataset's columns to reward functions as keyword arguments")
    if len(puzzles) != n:
        raise BracketError(f"{len(puzzles)} puzzles for {n} completions")
    return puzzles


def make_reward(*, wrong_format_credit: float = 0.0) -> Callable[..., list[float]]:
    """A GRPO reward function with the given partial credit for well-formed wrong answers (see `score`)."""

    def bracketsolve_reward(prompts: object, completions: Sequence[object], **kwargs: Any) -> list[float]:
        puzzles = _puzzles(len(completions), kwargs)
        return [score(_text(c), {"metadata": {"puzzle": p}}, wrong_format_credit=wrong_format_credit)
                for c, p in zip(completions, puzzles)]

    return bracketsolve_reward


reward = make_reward()


def rows(entries: Iterable[dict[str, Any]], *, conversational: bool = True) -> list[dict[str, Any]]:
    """Dataset rows for GRPOTrainer: "prompt" (chat messages, or the text) and "puzzle" (for the reward)."""
    return [{"prompt": [{"role": "user", "content": e["question"]}] if conversational else e["question"],
             "puzzle": e["metadata"]["puzzle"]} for e in entries]
