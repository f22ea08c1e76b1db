"""Free-order puzzles as people and datasets write them: "4 7 8 8 -> 24", "[4, 7, 8, 8], 24", question texts
(reasoning-gym, TinyZero) and entries ({"numbers", "target"}, reasoning-gym metadata, verl ground truth).
"""

from __future__ import annotations

import json
import re
from numbers import Integral
from fractions import Fraction
from typing import Any, Callable, Optional, Union, cast

from ..errors import BracketError, ParseError
from ..solver.parser import MAX_TEXT
from ..solver.symbols import exact, normalize_ops, read_number
from .game import MAX_NUMBERS, Game, RulesLike
from .rules import rules_of

Number = Union[int, Integral, str, Fraction]   # a number as an entry gives it: 4, "2.5", Fraction(7, 2)

_NUMBER = r"[-−]?(?:\d+(?:\.\d+)?|\.\d+)(?:/\d+)?"
_ARROW = re.compile(r"\s*(?:->|→|=>|⇒|=|\btarget\b\s*:?|\|)\s*", re.I)
_LIST_THEN_TARGET = re.compile(                    # [4, 7, 8, 8], 24
    rf"\s*[\[(]([^\[\]()]*)[\])]\s*[,;]?\s*(?:(?:->|→|=>|=|\btarget\b\s*:?)\s*)?({_NUMBER})\s*")
_QUESTION_TARGET = re.compile(                     # ... create an equation that equals 98
    rf"\b(?:equals?|equal to|make|calculate|reach|get|target(?:\s+is)?\s*:?)\s+({_NUMBER})(?!\d|\.\d)", re.I)
_QUESTION_NUMBERS = re.compile(                    # Using the numbers [44, 19, 35]; using 4, 3, 9, 8
    rf"\b(?:numbers|using)\s*(?:are\s*|:\s*)?[\[(]?\s*({_NUMBER}(?:\s*,\s*{_NUMBER})+)\s*[\])]?", re.I)
_WORDS = re.compile(r"[^\W\d_]{2,}")
_TARGET_WORD = re.compile(r"\btarget\b", re.I)
TARGET_KEYS = ("target", "result")
NUMBER_KEYS = ("numbers", "nums")


def read_game(source: object, *, rules: Optional[RulesLike] = None, target: object = None,
              ops: Optional[str] = None, default_target: bool = True) -> Game:
    """A free-order puzzle from text, an entry, a list of numbers, or a `Game`.

    Takes: text such as "4 7 8 8 -> 24", "4 7 8 8 = 24", "[4, 7, 8, 8], 24", "25 50 75 100 3 6" (no target),
    a question ("Using the numbers [44, 19, 35], create an equation that equals 98.", "Make 24 using 4, 3,
    9, 8."); a dict with numbers and a target ({"numbers"|"nums", "target"}, a reasoning-gym entry with
    `metadata`, a verl/TinyZero row with `reward_model.ground_truth`, a JSON object as text); or a list of
    numbers. `target` replaces the puzzle's; under the "24" rules a puzzle without one aims at 24 (unless
    `default_target` is False). `rules` is "24", "countdown" (with "-tv" for the TV rule) or a `Rules`; by
    default a Game's own, an entry's `rules` field, else "24".
    An entry's fields that define the puzzle are all honoured: `rules`, `ops`, and `puzzle` text beside
    `numbers` and `target` (generated entries have all of them); fields that disagree with each other or with
    the `rules`/`ops` given, and unknown rules or operators, are refused.
    Returns: a `Game`. Raises: `ParseError` for text that is not a puzzle (position and reason),
    `BracketError` for other bad input.

    >>> str(read_game("[4, 7, 8, 8], 24")), str(read_game("Make 24 using 4, 3, 9, 8."))
    ('4 7 8 8 -> 24', '4 3 9 8 -> 24')
    """
    if isinstance(source, Game):
        game = source.with_rules(rules) if rules is not None else source
    elif isinstance(source, str):
        game = _from_text(source, rules or "24", ops)
    elif isinstance(source, dict):
        game = _from_entry(source, rules, ops)
    elif isinstance(source, (list, tuple)) or hasattr(source, "tolist"):
        game = Game.of(_listed(source), None, rules=rules or "24", ops=ops)
    else:
        raise BracketError(f"expected puzzle text, an entry, a list of numbers or a Game, not {type(source).__name__}")
    if target is not None:
        game = game.with_target(target)
    if ops is not None:
        game = game.with_ops(ops)
    if game.target is None and game.rules.name == "24" and default_target:
        game = game.with_target(24)
    return game


def _from_text(text: str, rules: Optional[RulesLike], ops: Optional[str]) -> Game:
    if len(text) > MAX_TEXT:
        raise ParseError(f"input longer than {MAX_TEXT:,} characters", text, MAX_TEXT, "too_long")
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            entry = json.loads(stripped)
        except ValueError as e:
            raise ParseError(f"not a JSON object: {e}", text, text.index("{"), "bad_json") from None
        if isinstance(entry, dict):
            return _from_entry(entry, rules, ops)
    rules = rules or "24"
    listed = _LIST_THEN_TARGET.fullmatch(text)
    if listed:
        return Game.of(_numbers(text, listed.start(1), listed.group(1)), read_number(listed.group(2)),
                       rules=rules, ops=ops)
    if _WORDS.search(_TARGET_WORD.sub(" ", text)):
        return _from_question(text, rules, ops)
    parts = _ARROW.split(text)
    if len(parts) > 2:
        arrow = list(_ARROW.finditer(text))[1]
        second = arrow.start() + len(arrow.group()) - len(arrow.group().lstrip())
        raise ParseError("a second target: write the numbers, then one '->' and the target", text, second,
                         "two_equals")
    numbers = _numbers(text, 0, parts[0].strip().strip("[]()"))
    goal = None
    if len(parts) == 2:
        at = cast("re.Match[str]", _ARROW.search(text)).end()        # two parts: an arrow
        try:
            goal = read_number(parts[1].strip())
        except ParseError as e:
            raise ParseError(f"the target must be one number: {e.reason}", text, at + e.position, e.code) from None
    return Game.of(numbers, goal, rules=rules, ops=ops)


def _numbers(text: str, start: int, chunk: str) -> list[str]:
    """The numbers in `chunk` (text[start:] begins with it), separated by spaces or commas, as exact strings."""
    out: list[str] = []
    for token in re.finditer(r"[^\s,]+", chunk):
        try:
            read_number(token.group())
        except ParseError as e:
            raise ParseError(f"expected numbers separated by spaces or commas: {e.reason}", text,
                             start + token.start() + e.position, "not_a_number") from None
        out.append(token.group())
        if len(out) > MAX_NUMBERS:
            raise ParseError(f"more than {MAX_NUMBERS} numbers: free-order puzzles take at most {MAX_NUMBERS}", text,
                             start + token.start(), "too_many_operands")
    if not out:
        raise ParseError("no numbers", text, start, "empty_side")
    return out


def _from_question(text: str, rules: RulesLike, ops: Optional[str]) -> Game:
    """Numbers and target from a question in words (the dataset templates and the like)."""
    numbers = _QUESTION_NUMBERS.search(text)
    if numbers is None:
        raise ParseError("no list of numbers (like 'using the numbers 4, 7, 8, 8')", text, 0, "empty_side")
    goal = None
    for match in _QUESTION_TARGET.finditer(text):
        if not numbers.start(1) <= match.start(1) < numbers.end(1):
            goal = read_number(match.group(1))
            break
    listed = [x.strip() for x in numbers.group(1).split(",")]
    return Game.of(listed, goal, rules=rules, ops=ops)


def _from_entry(entry: dict[str, Any], rules: Optional[RulesLike], ops: Optional[str]) -> Game:
    """Numbers and target from a dict: the fields themselves, or under metadata, meta, reward_model.ground_truth."""
    for path in ((), ("metadata",), ("meta",), ("reward_model", "ground_truth"), ("ground_truth",)):
        node: Any = entry
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and path == ("meta",):
            try:
                node = json.loads(node)
            except ValueError:
                node = None
        if isinstance(node, dict):
            found = _fields(node)
            described = isinstance(node.get("puzzle"), str) and node.get("rules") is not None
            if found is not None or described:
                rules, ops = _entry_rules(node, rules), _entry_ops(node, ops)
                if described or found is None:
                    return _agreeing(node, found, rules, ops)
                numbers, goal = found
                if goal is None and (node.get("source_dataset") == "puzzle24" or "24" in str(
                        node.get("dataset_name", ""))):
                    goal = 24
                return Game.of(numbers, goal, rules=rules, ops=ops)
    if isinstance(entry.get("question"), str):
        return _from_question(entry["question"], rules or "24", ops)
    raise BracketError("the entry has no numbers: expected numbers (or nums) and target, under metadata, "
                       "reward_model.ground_truth or at the top")


def _entry_field(node: dict[str, Any], name: str, example: str, read: Callable[[str], Any]) -> tuple[Any, Any]:
    """(the entry's text in field `name`, that text read by `read`), or (None, None) when the field is absent."""
    own = node.get(name)
    if own is None:
        return None, None
    if not isinstance(own, str):
        raise BracketError(f"the entry's {name} must be text{example}, not {type(own).__name__}")
    try:
        return own, read(own)
    except BracketError as e:
        raise BracketError(f"the entry's {e}") from None


def _entry_rules(node: dict[str, Any], rules: Optional[RulesLike]) -> RulesLike:
    """The rules of an entry: its `rules` field, checked against `rules` when both are given; else "24"."""
    own, mine = _entry_field(node, "rules", "", rules_of)
    if own is None:
        return rules or "24"
    if not mine.free:
        raise BracketError(f"the entry's rules are {own!r}, not free-order ones (24, countdown, -tv): grade bracket "
                           "puzzles with grade()")
    if rules is not None and rules_of(rules) != mine:
        raise BracketError(f"rules={str(rules_of(rules))!r} disagrees with the entry's rules {own!r}")
    return cast(RulesLike, mine)


def _entry_ops(node: dict[str, Any], ops: Optional[str]) -> Optional[str]:
    """The operators of an entry: its `ops` field, checked against `ops` when both are given."""
    own, mine = _entry_field(node, "ops", " such as '+-*/'", normalize_ops)
    if own is None:
        return ops
    if ops is not None and normalize_ops(ops) != mine:
        raise BracketError(f"ops={ops!r} disagrees with the entry's ops {own!r}")
    return cast(str, mine)


def _agreeing(node: dict[str, Any], found: Optional[tuple[list[Number], Optional[Number]]], rules: RulesLike,
              ops: Optional[str]) -> Game:
    """The game of a generated entry's `puzzle` text, when its `numbers` and `target` fields (if any) agree."""
    game = _from_text(node["puzzle"], rules, ops)
    if found is not None:
        numbers, goal = found
        listed = Game.of(numbers, goal, rules=rules, ops=ops)
        if game.target is None and goal is not None:
            game = game.with_target(goal)
        if sorted(listed.numbers) != sorted(game.numbers) or (goal is not None and listed.target != game.target):
            raise BracketError(f"the entry's puzzle {node['puzzle']!r} and its numbers {' '.join(listed.literals)} "
                               f"and target {node.get('target', node.get('result'))!r} disagree")
    return game


def _fields(node: dict[str, Any]) -> Optional[tuple[list[Number], Optional[Number]]]:
    for key in NUMBER_KEYS + ("question",):
        if key in node and not isinstance(node[key], str):
            numbers = _listed(node[key])
            break
    else:
        return None
    goal = next((node[key] for key in TARGET_KEYS if node.get(key) is not None), None)
    return numbers, None if goal is None else _entry_number(goal, "target")


def _listed(values: object) -> list[Number]:
    """A list of exact numbers from a list, tuple or numpy array (integral floats from parquet are exact)."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    if not isinstance(values, (list, tuple)):
        raise BracketError(f"numbers must be a list, not {type(values).__name__}")
    if len(values) > MAX_NUMBERS:
        raise BracketError(f"{len(values)} numbers: free-order puzzles take at most {MAX_NUMBERS}")
    return [_entry_number(x) for x in values]


def _entry_number(x: object, name: str = "number") -> Number:
    if isinstance(x, float):
        if x.is_integer():
            return int(x)
        raise BracketError(f"{name} {x!r}: give an int, a Fraction or a string such as '2.5'; floats are inexact")
    if isinstance(x, Integral) or isinstance(x, str):
        return x
    return exact(x)
