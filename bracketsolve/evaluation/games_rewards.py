"""Drop-in exact reward functions for the free-order datasets RL projects train on, with those projects'
signatures and reward levels: TinyZero/verl's countdown `compute_score`, reasoning-gym's `score_answer`
for `countdown` and `puzzle24`. The answer is read strictly and checked with exact rationals: the
puzzle's numbers exactly (no `**`, `//`, decimals standing for two numbers), never `eval`.
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import BracketError
from ..games.game import Game
from ..games.reader import read_game
from .check import Verdict
from .games_check import check_game
from .games_grade import _example, answer_span, outside
from .spans import after_prompt, chained

_OPEN, _CLOSE = "<answer>", "</answer>"        # TinyZero's tags, exactly


def compute_score(solution_str: object = None, ground_truth: object = None, method: str = "strict",
                  format_score: float = 0.1, score: float = 1.0, *, data_source: object = None,
                  extra_info: object = None, rules: Optional[str] = None, judge_no_solution: bool = False,
                  **kwargs: object) -> float:
    """TinyZero's countdown reward (`verl/utils/reward_score/countdown.py`), exact; also verl's custom reward.

    Takes what both call it with, by keyword: `solution_str` (TinyZero: prompt + response; verl: the
    response), `ground_truth` = {"target": int, "numbers": [int, ...]} (a list or numpy array),
    `format_score`, `score`; verl's `data_source` and `extra_info` are accepted and ignored.
    Returns, as TinyZero does: 0 when no <answer>...</answer> is found, `score` when the last one is an
    expression using every number of `numbers` exactly once (as TinyZero's check requires; `rules=
    "countdown"` allows any sub-multiset; `ops` and `rules` in the ground truth are honoured) with + - * /
    and brackets whose exact value is `target`, and
    `format_score` for any other answer. `judge_no_solution=True` also gives `score` to an answer saying
    there is no solution when none exists (proved by solving).
    Differences from TinyZero, each closing a hole: the text after the last "Assistant:" (or
    "<|im_start|>assistant", or another chat template's marker: `spans.after_prompt`) is searched when present,
    else the whole text (verl passes the response alone, where TinyZero finds nothing; an example answer in the
    prompt after an earlier marker is never paid); the answer may span lines; `**`, `//`, "2.5" for the numbers 2
    and 5, and float near-misses score `format_score`, not `score`.

    >>> compute_score("Assistant: <think>...</think> <answer>(1 + 2) * 3</answer>", {"target": 9, "numbers": [1, 2, 3]})
    1.0
    >>> compute_score("Assistant: <answer>2**3</answer>", {"target": 8, "numbers": [2, 3]})
    0.1
    """
    if not isinstance(solution_str, str):
        return 0
    text = after_prompt(solution_str)
    found = _last_answer_at(text)
    if found is None:
        return 0
    start, end = found
    answer = text[start + len(_OPEN):end - len(_CLOSE)].strip()
    game = _game(ground_truth, rules)
    claimed = judge_no_solution and answer_span(f"<answer>{answer}</answer>").kind == "no_solution"
    if outside(text, start, end, claim=claimed) is not None:    # "<answer>X</answer> is wrong", "Maybe <answer>none"
        return format_score
    lead, tail, glued = chained(text, start, end)            # "<answer>X</answer> = 23": the chain must hold
    if glued or ((lead or tail) and not check_game(game, f"{lead} {answer} {tail}", allow_equals=True).ok):
        return format_score
    if check_game(game, answer, allow_equals=False).ok:
        return float(score)
    if claimed and _example(game) is None:
        return float(score)
    return format_score


def _last_answer(text: str) -> Optional[str]:
    """What TinyZero's `re.findall(r"<answer>(.*?)</answer>", text)[-1]` finds (see `_last_answer_at`)."""
    at = _last_answer_at(text)
    return None if at is None else text[at[0] + len(_OPEN):at[1] - len(_CLOSE)]


def _last_answer_at(text: str) -> Optional[tuple[int, int]]:
    """Where TinyZero's `re.findall(r"<answer>(.*?)</answer>", text)[-1]` is (from its opening tag to the end of its
    closing tag), by five substring searches.

    After any closing tag a left-to-right reader looks for an opening one, so the last pair opens at the first
    opening tag after the last closing tag before the last opening tag `o` that some closing tag follows.
    """
    last_close = text.rfind(_CLOSE)
    o = text.rfind(_OPEN, 0, max(last_close, 0))
    if last_close < 0 or o < 0:
        return None
    close = text.find(_CLOSE, o + len(_OPEN))
    before = text.rfind(_CLOSE, 0, o)
    start = text.find(_OPEN, 0 if before < 0 else before + len(_CLOSE))
    return start, close + len(_CLOSE)


def _game(ground_truth: object, rules: Optional[str]) -> Game:
    if not isinstance(ground_truth, dict) or "numbers" not in ground_truth or "target" not in ground_truth:
        raise BracketError('ground_truth must be {"target": ..., "numbers": [...]}')
    fields = {key: ground_truth[key] for key in ("numbers", "target", "ops", "rules") if key in ground_truth}
    return read_game(fields, rules=rules)          # ops and rules of the ground truth, when it has them


def countdown_score_answer(answer: Optional[str], entry: dict[str, Any], *, rules: str = "24") -> float:
    """reasoning-gym's `CountdownDataset.score_answer(answer, entry)`, exact.

    Takes the extracted answer (reasoning-gym's `extract_answer`, the text of the last <answer> tag) and an
    entry with `metadata` {"numbers", "target"}. Returns reasoning-gym's levels: 1.0 for an expression over
    exactly the entry's numbers (every one once, as reasoning-gym's check requires; `rules="countdown"`
    allows any sub-multiset) whose exact value is the target; 0.05 for an expression that reads but uses
    other numbers, other operators or misses the value; 0.01 for None, empty or unreadable text.
    Differences, each closing a hole: exact rationals instead of `np.isclose` (1000 + 1/200 is not 1000);
    "1.5*2" is not the numbers 1, 5, 2; only + - * / and brackets (no `**`, `sqrt`, `!`); no `eval`.

    >>> entry = {"metadata": {"numbers": [36, 29, 95, 32, 4, 15], "target": 139}}
    >>> countdown_score_answer("15 - 4 + 95 + 36 - 32 + 29", entry), countdown_score_answer("139", entry)
    (1.0, 0.05)
    """
    if not isinstance(answer, str) or not answer.strip():
        return 0.01
    game = read_game(entry.get("metadata", entry), rules=rules)
    verdict = check_game(game, answer.strip(), allow_equals=False)
    if verdict.ok:
        return 1.0
    if verdict.reason in ("unparsable", "unbalanced", "too_large") or _foreign(verdict):
        return 0.01
    return 0.05


def puzzle24_score_answer(answer: Optional[str], entry: dict[str, Any]) -> float:
    """reasoning-gym's `Puzzle24Dataset.score_answer(answer, entry)`, exact: 1.0 for an expression using the
    entry's four `metadata["numbers"]` exactly once with + - * / and brackets whose exact value is 24,
    else 0.01 (reasoning-gym's two levels).
    Differences, each closing a hole: the numbers must be the entry's (reasoning-gym checks only that four
    numbers in range appear, so 4*6*1*1 scored 1.0 on any puzzle); the value must be exactly 24 (reasoning-
    gym truncates with int(), so 24.5 scored 1.0); no `eval`.

    >>> entry = {"metadata": {"source_dataset": "puzzle24", "numbers": [4, 3, 9, 8]}}
    >>> puzzle24_score_answer("(9 - 3) * (8 - 4)", entry), puzzle24_score_answer("4*6*1*1", entry)
    (1.0, 0.01)
    """
    if not isinstance(answer, str) or not answer.strip():
        return 0.01
    meta = entry.get("metadata", entry)
    game = read_game({"numbers": meta["numbers"], "target": 24}, rules="24")
    return 1.0 if check_game(game, answer.strip(), allow_equals=False).ok else 0.01


def score_answer(answer: Optional[str], entry: dict[str, Any]) -> float:
    """reasoning-gym's `score_answer(answer, entry)` for an entry of `countdown` or `puzzle24`, picked by its
    `metadata["source_dataset"]` (as reasoning-gym's composite datasets do). Raises `BracketError` otherwise."""
    source = entry.get("metadata", {}).get("source_dataset") if isinstance(entry, dict) else None
    if source == "countdown":
        return countdown_score_answer(answer, entry)
    if source == "puzzle24":
        return puzzle24_score_answer(answer, entry)
    raise BracketError(f"score_answer takes reasoning-gym countdown or puzzle24 entries, not {source!r}")


def _foreign(verdict: Verdict) -> bool:
    """An answer that only reads as arithmetic once foreign operators are ignored (`**`, `//`, ...)."""
    return verdict.reason == "operators_changed" and "is not part of an answer" in verdict.detail
