"""Grade a model's whole output against a free-order puzzle: find the one answer span, read every character
of it strictly, decide claims that there is no solution by solving; `score_game` turns that into a reward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real
from typing import Optional

from ..errors import BracketError, TooLargeError
from ..games.game import Game, RulesLike
from ..games.reader import read_game
from .check import Verdict
from .claims import bare_none
from .games_check import REASONS as CHECK_REASONS
from .games_check import check_game
from .reading import read
from .spans import Wanted, chained, denied_outside, written_onto

REASONS = CHECK_REASONS + ("correct_no_solution", "wrong_no_solution", "missed_no_solution", "no_answer", "disowned",
                           "unclear_claim")
WELL_FORMED = ("wrong_value", "division_by_zero", "rule_broken", "wrong_no_solution")
TAIL = 65_536               # characters at the end of an output searched for the answer

_THINK_CLOSE = re.compile(r"(?s:.*)<\s*/\s*think(?:ing)?\s*>", re.I)
_THINK_OPEN = re.compile(r"<\s*think(?:ing)?\s*>", re.I)
OPENING = re.compile(r"<\s{0,8}answer\s{0,8}>", re.I)           # bounded spaces: linear on any text
CLOSING = re.compile(r"<\s{0,8}/\s{0,8}answer\s{0,8}>", re.I)
_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*[ \t]*\n?(.*?)```", re.S)
_LEAD = re.compile(r"^\s*(?:\**(?:final\s+)?answer\**\s*[:：]\s*|[-*]\s+)", re.I)
_LATEX = [(re.compile(r"\\(?:left|right)(?![a-zA-Z])"), ""), (re.compile(r"\\(?:times|cdot|ast)(?![a-zA-Z])"), "*"),
          (re.compile(r"\\div(?![a-zA-Z])"), "/"), (re.compile(r"\\[()\[\]]|\$"), " "),
          (re.compile(r"\\[,;:! ]|\\q?quad(?![a-zA-Z])"), " ")]
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Answer:
    """The answer span of an output: `.kind` (expression, no_solution, rejected, none), `.text`, `.source`
    (answer_tag, boxed, code_block, line), and `.denied`: (reason, detail) when the prose around the tag, box or
    block takes the answer back ("<answer>X</answer> is wrong": see `spans.denied_outside`), or when the span is a
    claim of no solution that its sentence negates or hedges (kind rejected, reason unclear_claim), else None."""

    kind: str
    text: str = ""
    source: str = ""
    denied: Optional[tuple[str, str]] = None


def answer_span(output: object, game: Optional[Game] = None) -> Answer:
    """The one answer in a model's whole output, or kind "none".

    The answer is the last complete <answer>...</answer>, else the last \\boxed{...}, else the last ``` block,
    else the last non-empty line (an "Answer:" lead and a final period aside); only text after the last
    </think> counts, and an output still inside <think> has none. LaTeX operators and fractions are read.
    The span is returned whole: `check_game` then accounts for every character of it. Whether it claims there
    is no solution is read as `grade` reads it (`reading.read`, `claims`): not a question, a negation or a
    condition; a claim its sentence hedges is rejected (unclear_claim). `game` (its numbers, in any order) says
    which arithmetic after a claim would be an answer instead.

    >>> answer_span("...so <answer>(7 - 8/8) * 4</answer>").text
    '(7 - 8/8) * 4'
    >>> answer_span("Answer: \\\\frac{8}{3 - 8/3}.").text
    '(8)/(3 - 8/3)'
    """
    if not isinstance(output, str) or not output.strip():
        return Answer("none")
    output = output[-TAIL:]
    thought = _THINK_CLOSE.match(output)
    if thought is not None:
        output = output[thought.end():]
    elif _THINK_OPEN.search(output):
        return Answer("none")
    found = None
    edges = None                                                            # of the tag, box or block
    tagged = last_tagged_at(output, OPENING, CLOSING, nonempty=True)        # an empty tag echoes the format
    if tagged is not None:
        found, edges = (output[tagged[1]:tagged[2]], "answer_tag"), (tagged[0], tagged[3])
    else:
        boxed = _boxed(output)
        if boxed is not None:
            found, edges = (output[boxed[1]:boxed[2]], "boxed"), (boxed[0], boxed[2] + 1)
        else:
            fences = list(_FENCE.finditer(output))
            if fences:
                found, edges = (fences[-1].group(1), "code_block"), fences[-1].span()
            else:
                lines = [line for line in output.splitlines() if line.strip()]
                if lines:
                    found = (_LEAD.sub("", lines[-1]).rstrip().rstrip("."), "line")
    if found is None:
        return Answer("none")
    text, source = found
    text = _plain(text).strip()
    read_claim = _claim(text, source, game)
    if read_claim is not None and read_claim[0] == "unclear_claim":
        return Answer("rejected", text, source, read_claim)
    claim = read_claim is not None
    denied = None if edges is None else outside(output, *edges, claim=claim)
    if edges is not None and denied is None:
        lead, tail, glued = chained(output, *edges)         # "24 = <answer>X</answer>", "\\boxed{X} = 23"
        if glued:
            denied = ("operators_changed", f"{glued!r} is written onto the chain after the answer")
        text = " ".join(part for part in (lead, text, tail) if part)
    if claim:
        return Answer("no_solution", text, source, denied)
    if not re.search(r"\d", text):                  # words and no claim ("it is not impossible"): no answer
        return Answer("none")
    return Answer("expression", text, source, denied)


def _claim(text: str, source: str, game: Optional[Game]) -> Optional[tuple[str, str]]:
    """("no_solution", the phrase) when the span claims there is none, ("unclear_claim", why) when it is a claim
    its sentence negates or hedges, else None: read by the fixed-order reader, so as `grade` reads claims (a
    bare "none" only as the whole of a tag, box or block, never as a last line)."""
    if source == "line" and bare_none(text):
        return None
    found = read(text, source, wanted=None if game is None else Wanted(game.numbers, ordered=False))
    if found.kind == "no_solution":
        return "no_solution", found.raw
    if found.kind == "rejected" and found.reason == "unclear_claim":
        return "unclear_claim", found.detail
    return None


def outside(output: str, start: int, end: int, *, claim: bool = False) -> Optional[tuple[str, str]]:
    """(reason, detail) when what stands around the tag, box or block output[start:end] changes or takes back its
    answer: arithmetic written onto it ("<answer>X</answer>^2"; operators_changed), or a denial in its sentence
    ("<answer>X</answer> is wrong", see `spans.denied_outside`); else None."""
    onto = written_onto(output, start, end)
    if onto:
        return "operators_changed", f"{onto!r} is written onto the answer from outside"
    return denied_outside(output, start, end, claim=claim)


def last_tagged(text: str, opening: re.Pattern[str], closing: re.Pattern[str], *,
                nonempty: bool = False) -> Optional[str]:
    """The contents of the last <answer>...</answer>, as `last_tagged_at` finds it, or None.

    >>> last_tagged("<answer>1</answer> <answer>2 <answer>3</answer> <answer>4", OPENING, CLOSING)
    '2 <answer>3'
    """
    at = last_tagged_at(text, opening, closing, nonempty=nonempty)
    return None if at is None else text[at[1]:at[2]]


def last_tagged_at(text: str, opening: re.Pattern[str], closing: re.Pattern[str], *,
                   nonempty: bool = False) -> Optional[tuple[int, int, int, int]]:
    """The contents of the last <answer>...</answer> as a lazy regex reads them left to right (an opening tag,
    then the first closing one after it), found by searches that only move forward (linear on any text);
    `opening` and `closing` are the tags' patterns. With `nonempty`, tags holding only spaces are passed over.
    Returns (start of the opening tag, start and end of the contents, end of the closing tag); None when no tag
    closes.
    """
    found, at = None, 0
    while True:
        opened = opening.search(text, at)
        closed = None if opened is None else closing.search(text, opened.end())
        if opened is None or closed is None:
            return found
        if not nonempty or text[opened.end():closed.start()].strip():
            found = (opened.start(), opened.end(), closed.start(), closed.end())
        at = closed.end()


def _boxed(output: str) -> Optional[tuple[int, int, int]]:
    """(start of the last "\\boxed{", start and end of its contents) when its braces close, else None."""
    at = max(output.rfind("\\boxed{"), output.rfind("\\fbox{"))
    if at < 0:
        return None
    start = output.index("{", at) + 1
    depth = 1
    for i in range(start, min(len(output), start + TAIL)):
        if output[i] == "{":
            depth += 1
        elif output[i] == "}":
            depth -= 1
            if depth == 0:
                return at, start, i
    return None


def _plain(text: str) -> str:
    """LaTeX operators, \\frac and delimiters as plain text; `\\text{...}` unwrapped."""
    if "\\" not in text and "$" not in text:
        return text
    text = re.sub(r"\\(?:text|mathrm|textbf)\s*\{([^{}]*)\}", r"\1", text)
    for _ in range(8):
        text, changed = _FRAC.subn(r"(\1)/(\2)", text)
        if not changed:
            break
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    return text


def game_of(puzzle_or_entry: object, rules: Optional[RulesLike] = None) -> Game:
    """The puzzle of a generated entry (every field that defines it: puzzle, rules, ops, numbers, target), of an
    entry from another dataset, of text, or a `Game`. Raises `BracketError` when there is none, or when the
    entry's fields disagree (with each other or with `rules`) or name unknown rules or operators."""
    return read_game(puzzle_or_entry, rules=rules)


def is_free_order(entry: object) -> bool:
    """Is `entry` a generated entry of free-order rules (its metadata has rules other than "brackets")?"""
    meta = entry.get("metadata") if isinstance(entry, dict) else None
    return isinstance(meta, dict) and meta.get("rules", "brackets") != "brackets"


def grade_game(puzzle_or_entry: object, output: object, *, rules: Optional[RulesLike] = None) -> Verdict:
    """Grade a model's whole output (or just its answer) against a free-order puzzle, exactly.

    Takes: a `Game`, puzzle text with `rules`, or an entry (from `generate_games`, or another dataset's with
    numbers and target); the output text. Returns: a `Verdict` whose `.reason` is one of `check_game`'s or
    correct_no_solution, wrong_no_solution (claimed none, but one exists), missed_no_solution (an answer,
    for a puzzle that has none), no_answer.
    Raises: `BracketError` when the puzzle itself is bad (never for a bad output).

    >>> grade_game("3 3 8 8 -> 24", "<answer>8 / (3 - 8 / 3)</answer>").reason
    'correct'
    >>> grade_game("1 1 1 1 -> 24", "<answer>no solution</answer>").reason
    'correct_no_solution'
    """
    return _grade(game_of(puzzle_or_entry, rules), output)[0]


def score_game(output: object, entry: object, *, rules: Optional[RulesLike] = None,
               wrong_format_credit: float = 0.0) -> float:
    """The reward for one output: 1.0 when `grade_game` says ok, `wrong_format_credit` for a well-formed wrong
    answer (a value that misses, a division by zero, a broken TV rule, a wrong claim of none), else 0.0.
    Usable as a reasoning-gym style `score_answer(answer, entry)` for entries of `generate_games`.
    """
    if isinstance(wrong_format_credit, bool) or not isinstance(wrong_format_credit, Real) or \
            not 0 <= wrong_format_credit <= 1:
        raise BracketError(f"wrong_format_credit must be a number in [0, 1], not {wrong_format_credit!r}")
    verdict, well_formed = _grade(game_of(entry, rules), output)
    if verdict.ok:
        return 1.0
    return float(wrong_format_credit) if well_formed else 0.0


def _grade(game: Game, output: object) -> tuple[Verdict, bool]:
    """(verdict, whether the answer was well formed)."""
    found = answer_span(output, game)
    if found.kind == "none":
        return Verdict(False, "no_answer", None, "found no answer and no claim that there is none"), False
    if found.denied is not None:
        reason, detail = found.denied
        if found.kind == "no_solution":
            reason, detail = "unclear_claim", f"the claim {found.text!r} is taken back: {detail}"
        return Verdict(False, reason, None, detail), False
    try:
        if found.kind == "no_solution":
            example = _example(game)
            if example is None:
                return Verdict(True, "correct_no_solution", None, "no expression works, as claimed"), True
            return Verdict(False, "wrong_no_solution", None, f"claimed none, but {example} works"), True
        verdict = check_game(game, found.text)
        if not verdict.ok and _example(game) is None:
            return Verdict(False, "missed_no_solution", verdict.value,
                           f"no expression works, and the answer is {verdict.reason}: {verdict.detail}"), \
                verdict.reason in WELL_FORMED
        return verdict, verdict.ok or verdict.reason in WELL_FORMED
    except TooLargeError as e:
        return Verdict(False, "too_large", None, f"cannot decide: {e.reason}"), False


@lru_cache(maxsize=4096)
def _example(game: Game) -> Optional[str]:
    """One solution as text, or None when the puzzle has none (proved by solving)."""
    from ..games.solve import solve_game

    first = solve_game(game, rules=game.rules, limit=1).first
    return None if first is None else str(first)
