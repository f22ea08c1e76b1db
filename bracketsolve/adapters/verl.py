"""verl's custom reward function, `compute_score(data_source, solution_str, ground_truth, extra_info=None)`, and
the Parquet rows verl reads (`rows`): grading is bracketsolve's exact `grade`, hardened against reward hacks.

    >>> compute_score("bracketsolve", "<answer>(8 + 28) / ((4 - 2) * 3)</answer>", "8 + 28 / 4 - 2 * 3 = 6")
    1.0
    >>> compute_score("bracketsolve", "<answer>8 + 28 / 4 - 2 * 3</answer>", "8 + 28 / 4 - 2 * 3 = 6")
    0.0
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ..errors import BracketError
from ..evaluation.games_grade import grade_game, is_free_order, score_game
from ..evaluation.grade import grade, score
from ..evaluation.spans import after_prompt

DATA_SOURCE = "bracketsolve"


def _puzzle(ground_truth: object) -> str:
    """The puzzle text from a ground truth: the text itself, or a mapping with "puzzle" (or "metadata")."""
    if isinstance(ground_truth, str):
        return ground_truth
    if isinstance(ground_truth, dict):
        puzzle = ground_truth.get("puzzle")
        if isinstance(puzzle, str):
            return puzzle
        meta = ground_truth.get("metadata")
        puzzle = meta.get("puzzle") if isinstance(meta, dict) else None
        if isinstance(puzzle, str):
            return puzzle
    raise BracketError("ground_truth must be the puzzle text or a mapping with 'puzzle'; "
                       f"got {type(ground_truth).__name__}")


def _game(ground_truth: object) -> object:
    """The free-order puzzle of a ground truth, as an entry `score_game` reads: a mapping with rules other than
    brackets (or numbers and no puzzle text), or text with '->' (24 unless the mapping says); None when fixed-order."""
    if isinstance(ground_truth, str):
        return ground_truth if "->" in ground_truth else None
    if not isinstance(ground_truth, dict):
        return None
    fields = {key: value for key, value in ground_truth.items() if value is not None}
    rules = fields.get("rules")
    if rules not in (None, "brackets") or ("numbers" in fields and "puzzle" not in fields) or \
            (isinstance(fields.get("puzzle"), str) and "->" in fields["puzzle"]):
        if "puzzle" in fields and "rules" not in fields:
            fields["rules"] = "24"
        return fields
    return None


def _response(solution_str: object) -> object:
    """The response of a solution string that may still hold the prompt (anything else as it is)."""
    return after_prompt(solution_str) if isinstance(solution_str, str) else solution_str


def compute_score(data_source: object, solution_str: object, ground_truth: object, extra_info: object = None, *,
                  wrong_format_credit: float = 0.0, **kwargs: object) -> float:
    """The reward of one response, by keyword as verl's reward managers call it.

    Takes: `data_source` (any; verl routes by it), `solution_str` (the decoded response; verl passes the response
    only, TinyZero the prompt and response: only the text after the last assistant marker of a chat template is
    graded, see `spans.after_prompt`, so an answer in the prompt is never paid), `ground_truth` (the row's
    `reward_model.ground_truth`: the puzzle text, or a mapping with "puzzle"), `extra_info` (ignored; verl
    adds keys to it); `wrong_format_credit` (via verl's `reward_kwargs`) as in `score`.
    Returns: 1.0 for a correct answer or a correct claim of no solution, else 0.0 (or the credit).
    Free-order rows (24, Countdown: a ground truth with "rules", as `rows` writes for `generate_games` entries,
    or text like "4 7 8 8 -> 24") are graded by `score_game` under their rules.
    Raises: `BracketError` when the ground truth holds no puzzle (a data error, not a model's).
    """
    game = _game(ground_truth)
    if game is not None:
        return score_game(_response(solution_str), game, wrong_format_credit=wrong_format_credit)
    return score(_response(solution_str), {"metadata": {"puzzle": _puzzle(ground_truth)}},
                 wrong_format_credit=wrong_format_credit)


def compute_score_details(data_source: object, solution_str: object, ground_truth: object, extra_info: object = None,
                          **kwargs: object) -> dict[str, float]:
    """As `compute_score`, as verl's dict form: {"score", "acc"}; verl logs "acc" per sample."""
    game = _game(ground_truth)
    verdict = grade_game(game, _response(solution_str)) if game is not None else \
        grade(_puzzle(ground_truth), _response(solution_str))
    value = 1.0 if verdict.ok else 0.0
    return {"score": value, "acc": value}


def rows(entries: Iterable[dict[str, Any]], *, split: str = "train", data_source: str = DATA_SOURCE,
         system: Optional[str] = None) -> list[dict[str, Any]]:
    """verl's row shape for generated entries: data_source, prompt (chat messages), ability, reward_model
    {style: "rule", ground_truth: the puzzle text; for free-order entries {puzzle, rules, ops}}, extra_info
    {split, index, and the difficulty figures}."""
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(entries):
        meta = entry["metadata"]
        prompt = ([{"role": "system", "content": system}] if system else []) + \
            [{"role": "user", "content": entry["question"]}]
        out.append({"data_source": data_source, "prompt": prompt, "ability": "math",
                    "reward_model": {"style": "rule", "ground_truth": _truth(entry)},
                    "extra_info": {"split": split, "index": i, "solutions": meta.get("solutions"),
                                   "effort": meta.get("effort"), "min_depth": meta.get("min_depth")}})
    return out


def _truth(entry: dict[str, Any]) -> object:
    """A generated entry's ground truth: its puzzle text, with the rules and operators for a free-order one."""
    meta = entry["metadata"]
    if is_free_order(entry):
        return {"puzzle": meta["puzzle"], "rules": meta["rules"], "ops": meta.get("ops", "+-*/")}
    return meta["puzzle"]


def write_parquet(path: str, entries: Iterable[dict[str, Any]], **kwargs: Any) -> int:
    """Write `rows(entries)` to a Parquet file verl's RLHFDataset reads (the name must end in .parquet)."""
    from ..evaluation.formats import pyarrow

    if not str(path).endswith(".parquet"):
        raise BracketError("verl reads files whose names end in .parquet")
    pa = pyarrow()
    table = pa.Table.from_pylist(rows(entries, **kwargs))
    pa.parquet.write_table(table, path)
    written: int = table.num_rows
    return written
