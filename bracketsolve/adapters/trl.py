"""A reward function for TRL's GRPOTrainer, `(prompts, completions, **kwargs) -> list[float]`: each completion is
graded exactly against the puzzle in its row, fixed-order (a `puzzle` column, or `metadata` with one) or free-order
(24, Countdown: a `rules` column beside `puzzle`, generated entries' `metadata`, `numbers` and `target` columns,
reasoning-gym's `metadata`, or a verl/TinyZero `reward_model`/`ground_truth` with numbers and target).

    >>> reward(prompts=["..."], completions=["<answer>(8 + 28) / ((4 - 2) * 3)</answer>"],
    ...        puzzle=["8 + 28 / 4 - 2 * 3 = 6"])
    [1.0]
    >>> reward(prompts=["..."], completions=["<answer>(7 - 8 / 8) * 4</answer>"], puzzle=["4 7 8 8 -> 24"],
    ...        rules=["24"])
    [1.0]
    >>> reward(prompts=["..."], completions=["<answer>25 * 4 - 1</answer>"], numbers=[[25, 4, 1, 9]], target=[99],
    ...        rules=["countdown"])
    [1.0]
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Sequence

from ..errors import BracketError
from ..evaluation.games_grade import is_free_order, score_game
from ..evaluation.grade import score

PUZZLE_COLUMNS = ("puzzle", "rules", "ops", "numbers", "nums", "target", "metadata", "reward_model", "ground_truth")
_FIXED = (None, "brackets")


def _text(completion: object) -> object:
    """A completion's text: the string itself (standard format), or the assistant messages' contents, joined
    (conversational format, a list of {"role", "content"} dicts; a content may be a list of {"type": "text"}
    parts). Tool, user and system messages are not the model's: never graded. None when there is no text."""
    if isinstance(completion, dict):
        completion = [completion]
    if not isinstance(completion, list):
        return completion
    texts = [_content(m.get("content")) for m in completion if isinstance(m, dict) and m.get("role") == "assistant"]
    joined = [text for text in texts if text is not None]
    return "\n\n".join(joined) if joined else None


def _content(content: object) -> Optional[str]:
    """A message's text: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [part.get("text") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        texts = [part for part in parts if isinstance(part, str)]
        return "".join(texts) if texts else None
    return None


def _rows(n: int, kwargs: dict[str, Any]) -> list[dict[str, Any]]:
    """The puzzle columns of each row (TRL passes each dataset column as a list aligned with the completions)."""
    columns = {key: list(kwargs[key]) for key in PUZZLE_COLUMNS if kwargs.get(key) is not None}
    if not columns:
        raise BracketError("the dataset needs a 'puzzle' column (with 'rules' for 24 or Countdown), 'metadata' (a "
                           "generated or reasoning-gym entry's), 'numbers' and 'target', or 'reward_model' / "
                           "'ground_truth': TRL passes the dataset's columns to reward functions as keyword arguments")
    for key, values in columns.items():
        if len(values) != n:
            raise BracketError(f"{len(values)} values in the {key!r} column for {n} completions")
    return [{key: values[i] for key, values in columns.items()} for i in range(n)]


def _free_order(row: dict[str, Any]) -> bool:
    """Does the row hold a free-order puzzle (rules other than brackets, or numbers and a target)?"""
    if row.get("rules") not in _FIXED:
        return True
    meta = row.get("metadata")
    if isinstance(meta, dict) and (is_free_order({"metadata": meta}) or
                                   ("puzzle" not in meta and "numbers" in meta)):
        return True
    truth = row.get("reward_model", {}).get("ground_truth") if isinstance(row.get("reward_model"), dict) \
        else row.get("ground_truth")
    return (isinstance(truth, dict) and "numbers" in truth) or "numbers" in row or "nums" in row


def _fixed_puzzle(row: dict[str, Any]) -> object:
    """The fixed-order puzzle of a row: its `puzzle`, its metadata's, or a verl row's ground truth text."""
    if row.get("puzzle") is not None:
        return row["puzzle"]
    meta = row.get("metadata")
    if isinstance(meta, dict) and meta.get("puzzle") is not None:
        return meta["puzzle"]
    truth = row.get("reward_model", {}).get("ground_truth") if isinstance(row.get("reward_model"), dict) \
        else row.get("ground_truth")
    if isinstance(truth, str):
        return truth
    raise BracketError(f"no puzzle in the row's columns {sorted(row)}: give 'puzzle' (text), or 'rules' beside it "
                       "for 24 or Countdown")


def make_reward(*, wrong_format_credit: float = 0.0) -> Callable[..., list[float]]:
    """A GRPO reward function with the given partial credit for well-formed wrong answers (see `score`).

    Each row is graded by `score` (fixed-order: the `puzzle` text, or `metadata["puzzle"]`) or by `score_game`
    (free-order, under the row's rules: "24" unless given; reasoning-gym's countdown uses every number once, so
    it is "24" here too; pass `rules` "countdown" to allow any sub-multiset). Raises `BracketError` for a dataset
    without puzzle columns, or a column whose length is not the number of completions.
    """

    def bracketsolve_reward(prompts: object, completions: Sequence[object], **kwargs: Any) -> list[float]:
        rewards = []
        for completion, row in zip(completions, _rows(len(completions), kwargs)):
            text = _text(completion)
            if _free_order(row):
                entry = {key: value for key, value in row.items() if value is not None}
                if entry.get("rules") in _FIXED:
                    entry.pop("rules", None)
                rewards.append(score_game(text, entry, wrong_format_credit=wrong_format_credit))
            else:
                rewards.append(score(text, {"metadata": {"puzzle": _fixed_puzzle(row)}},
                                     wrong_format_credit=wrong_format_credit))
        return rewards

    return bracketsolve_reward


reward = make_reward()


def rows(entries: Iterable[dict[str, Any]], *, conversational: bool = True) -> list[dict[str, Any]]:
    """Dataset rows for GRPOTrainer: "prompt" (chat messages, or the text), "puzzle" (for the reward), and for the
    free-order entries of `generate_games`, "rules" and "ops" too."""
    out = []
    for e in entries:
        meta = e["metadata"]
        row = {"prompt": [{"role": "user", "content": e["question"]}] if conversational else e["question"],
               "puzzle": meta["puzzle"]}
        if meta.get("rules") not in _FIXED:
            row.update(rules=meta["rules"], ops=meta.get("ops", "+-*/"))
        out.append(row)
    return out
