"""Generate free-order puzzles (the 24 game, Countdown) for evaluating reasoning models: solvable, with exactly
one solution class, or unsolvable next to reachable values; entry `i` reproducible from (seed, i) alone.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import islice
from typing import Iterator, Optional

from ..errors import BracketError
from ..games.classes import ClassCounter
from ..games.game import MAX_NUMBERS, Game, leaves, nesting
from ..games.rules import rules_of
from ..games.solve import engine_for
from ..solver.model import format_value
from ..solver.symbols import exact, normalize_ops

KINDS = ("solvable", "unique", "unsolvable", "any")
TRIES = 1000                # draws per entry before giving up
WALKED = 2000               # solutions looked at when choosing the one shown as the answer
COUNTDOWN_DECK = (25, 50, 75, 100) + tuple(range(1, 11)) * 2     # the TV show's cards

QUESTIONS = {
    "en": ("Using the numbers {numbers}, make {target}. {use} You may use {ops} and brackets.{tv} If it cannot be "
           "done, say that there is no solution. Put your final answer, an expression or \"no solution\", inside "
           "<answer></answer>."),
    "zh": ("用数字 {numbers} 算出 {target}。{use}可以使用 {ops} 和括号。{tv}如果无法做到,请回答“无解”。"
           "把最终答案(算式或“无解”)写在 <answer></answer> 中。"),
}
USE = {"en": ("Use every number exactly once, in any order.", "Use each number at most once, in any order."),
       "zh": ("每个数字恰好用一次,顺序不限。", "每个数字最多用一次,顺序不限。")}
TV_RULE = {"en": " Every intermediate result must be a positive whole number.", "zh": "每一步的结果都必须是正整数。"}
NO_SOLUTION = {"en": "no solution", "zh": "无解"}


class _Options:
    """The validated knobs of one `generate_games` call."""

    def __init__(self, rules, numbers, values, deck, target, ops, kind, lang, template, backend):
        self.rules = rules_of(rules)
        if not self.rules.free:
            raise BracketError("generate_games makes free-order puzzles: rules '24' or 'countdown' (or -tv); "
                               "generate() makes bracket puzzles")
        if isinstance(numbers, bool) or not isinstance(numbers, int) or not 1 <= numbers <= MAX_NUMBERS:
            raise BracketError(f"numbers must be an int from 1 to {MAX_NUMBERS}, not {numbers!r}")
        if kind not in KINDS:
            raise BracketError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if lang not in QUESTIONS:
            raise BracketError(f"lang must be one of {', '.join(QUESTIONS)}, not {lang!r}")
        if template is not None:
            try:
                ok = isinstance(template, str) and "{puzzle}" in template and bool(template.format(puzzle=""))
            except (KeyError, IndexError, ValueError):
                ok = False
            if not ok:
                raise BracketError("template must be a str with {puzzle} and no other {fields} (write {{ for {)")
        if deck == "countdown":
            deck = COUNTDOWN_DECK
        if deck is not None:
            deck = tuple(_whole(x, "deck") for x in deck)
            if len(deck) < numbers:
                raise BracketError(f"the deck has {len(deck)} cards, fewer than numbers={numbers}")
        lo, hi = _range(values, "values")
        if self.rules.tv and (deck and min(deck) <= 0 or not deck and lo <= 0):
            raise BracketError("the TV rule takes positive whole numbers: values must start at 1 or more")
        if target is None:
            target = 24 if self.rules.name == "24" else (100, 999)
        self.target = _range(target, "target") if isinstance(target, (tuple, list)) else (exact(target),) * 2
        self.numbers, self.deck, self.lo, self.hi = numbers, deck, lo, hi
        self.ops, self.kind, self.lang, self.template, self.backend = normalize_ops(ops), kind, lang, template, backend

    def draw(self, rng: random.Random) -> list:
        if self.deck is not None:
            return sorted(rng.sample(self.deck, self.numbers), reverse=True)
        return [rng.randint(self.lo, self.hi) for _ in range(self.numbers)]

    def in_range(self, v) -> bool:
        lo, hi = self.target
        return lo <= v <= hi and (Fraction(v).denominator == 1 or lo != hi)


def _whole(x, name: str) -> int:
    value = exact(x)
    if value.denominator != 1:
        raise BracketError(f"{name}: {x!r} is not a whole number")
    return int(value)


def _range(value, name: str) -> tuple:
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise BracketError(f"{name} must be a pair (lo, hi), not {value!r}") from None
    lo, hi = _whole(lo, name), _whole(hi, name)
    if lo > hi:
        raise BracketError(f"{name}: lo {lo} is greater than hi {hi}")
    return lo, hi


def _integers(engine, sets: list) -> dict:
    """Every whole value the tables reach, with how many expressions reach it (arrays when numba built them)."""
    out: dict = {}
    for s in sets:
        arrays = getattr(engine, "arrays", None)
        if arrays is None:
            items = ((v, c) for v, c in engine.table(s).items() if type(v) is int)
        else:
            tn, td, tc, big = arrays(s)
            whole = td == 1
            items = list(zip(tn[whole].tolist(), tc[whole].tolist()))
            items += [(v, c) for v, c in big.items() if type(v) is int]
        for v, c in items:
            out[v] = out.get(v, 0) + c
    return out


def _entry(options: _Options, seed, index: int) -> dict:
    rng = random.Random(f"{seed}:{index}")
    rules, kind = options.rules, options.kind
    for _ in range(TRIES):
        numbers = options.draw(rng)
        game = Game.of(numbers, None, rules=rules, ops=options.ops)
        engine = engine_for(game, options.backend)
        sets = [engine.space.full] if rules.every_number else engine.space.by_size()
        lo, hi = options.target
        if lo == hi:                                            # a fixed target, like 24
            count = sum(engine.count(lo, s) for s in sets)
            if (kind == "unsolvable") == (count == 0) or kind == "any":
                chosen = lo
            else:
                continue
            if kind == "unique" and _classes(game, sets, chosen) != 1:
                continue
            return _build(options, seed, index, game.with_target(chosen), engine, sets)
        reach = _integers(engine, sets)
        solvable = sorted(v for v in reach if options.in_range(v))
        if kind == "unique":
            rng.shuffle(solvable)
            solvable = [v for v in islice(solvable, 8) if _classes(game, sets, v) == 1][:1]
        misses = _near_misses(reach, options) if kind in ("unsolvable", "any") else []
        pool = {"solvable": solvable, "unique": solvable, "unsolvable": misses, "any": solvable + misses}[kind]
        if pool:
            return _build(options, seed, index, game.with_target(rng.choice(sorted(pool))), engine, sets)
    raise BracketError(f"entry {index}: no {kind} {rules} puzzle in {TRIES} draws; widen values or target")


def _classes(game: Game, sets: list, target) -> int:
    counter = ClassCounter(game.distinct, game.counts, game.ops, tv=game.rules.tv)
    return sum(counter.count(target, s) for s in sets)


def _near_misses(reach: dict, options: _Options) -> list:
    """Whole targets in range, one away from a reachable value, reached by nothing, and between the least and
    greatest reachable values in range."""
    inside = sorted(v for v in reach if options.in_range(v))
    if not inside:
        return []
    near = {v + step for v in inside for step in (-1, 1)}
    return [v for v in near if v not in reach and options.in_range(v) and inside[0] < v < inside[-1]]


def _build(options: _Options, seed, index: int, game: Game, engine, sets: list) -> dict:
    target = game.target
    count = sum(engine.count(target, s) for s in sets)
    total = sum(engine.total(s) for s in sets)
    metadata = {
        "puzzle": str(game), "rules": str(game.rules), "numbers": list(game.literals), "target": format_value(target),
        "ops": game.ops, "solutions": count, "total": total, "kind": options.kind, "seed": seed, "index": index,
        "lang": options.lang,
    }
    if count:
        trees = [t for s in sets for t in islice(engine.trees(target, s), WALKED)]
        best = min(trees, key=lambda t: (nesting(t), len(leaves(t)), game.render(t)))
        metadata["classes"] = _classes(game, sets, target) if len(game.numbers) <= 6 else None
        metadata["min_depth"] = min(nesting(t)[0] for t in trees)
        metadata["min_numbers"] = min(len(leaves(t)) for t in trees)
        answer = game.render(best)
    else:
        metadata["classes"] = 0
        metadata["min_depth"] = metadata["min_numbers"] = None
        reach = sorted({Fraction(v) for s in sets for v in engine.table(s)})
        below = [v for v in reach if v < target][-1:]
        above = [v for v in reach if v > target][:1]
        metadata["nearest"] = [format_value(v) for v in below + above]
        answer = NO_SOLUTION[options.lang]
    return {"question": _question(options, game), "answer": answer, "metadata": metadata}


def _question(options: _Options, game: Game) -> str:
    lang = options.lang
    numbers = ", ".join(game.literals)
    if options.template is not None:
        return options.template.format(puzzle=str(game))
    ops = " ".join(game.ops)
    return QUESTIONS[lang].format(numbers=numbers, target=format_value(game.target), ops=ops,
                                  use=USE[lang][0 if game.rules.every_number else 1],
                                  tv=TV_RULE[lang] if game.rules.tv else "")


def generate_games(count: int, *, rules="24", numbers: int = 4, values=(1, 13), deck=None, target=None,
                   ops: str = "+-*/", kind: str = "solvable", seed=0, start: int = 0, lang: str = "en",
                   template: Optional[str] = None, backend: str = "auto") -> Iterator[dict]:
    """Yield `count` free-order puzzle entries {question, answer, metadata}, entry i depending only on (seed, i).

    Takes: `rules` "24", "countdown" (or "-tv"); `numbers` per puzzle, drawn from `values` = (lo, hi) or
    without replacement from a `deck` (a list, or "countdown": 25 50 75 100 and two each of 1..10);
    `target`: a number (24 by default for the 24 rules) or a range (lo, hi) (default (100, 999) for
    countdown); `ops`; `kind`: "solvable", "unique" (exactly one class of solutions, see games/forms.py),
    "unsolvable" (no expression reaches the target: for a range, a target one away from a reachable value)
    or "any"; `lang` "en" or "zh"; `template` a question with "{puzzle}"; `start` the first index.
    Returns: an iterator of dicts; `answer` is a solution with the fewest parentheses, or "no solution";
    `metadata` has puzzle (text that `read_game` reads), rules, numbers, target, ops, solutions (written
    expressions), classes, total, min_depth, min_numbers, kind, seed, index, lang, and for unsolvable
    puzzles the nearest reachable values.
    Raises: `BracketError` for bad options, or when no puzzle fits after many draws.

    >>> entry = next(generate_games(1, rules="24", kind="unique", seed=3))
    >>> entry["metadata"]["classes"], entry["metadata"]["target"]
    (1, '24')
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise BracketError(f"count must be a non-negative int, not {count!r}")
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise BracketError(f"start must be a non-negative int, not {start!r}")
    options = _Options(rules, numbers, values, deck, target, ops, kind, lang, template, backend)
    return (_entry(options, seed, index) for index in range(start, start + count))
