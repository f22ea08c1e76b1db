"""Generate free-order puzzles (the 24 game, Countdown) for evaluating reasoning models: solvable, with exactly
one solution class, or unsolvable next to reachable values; entry `i` reproducible from (seed, i) alone.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import islice
from typing import Any, Iterable, Iterator, Optional, Union, cast

from ..errors import BracketError
from ..games.classes import ClassCounter
from ..engines.subsets import PythonSubsets
from ..games.game import MAX_NUMBERS, Game, RulesLike, Tree, leaves, nesting
from . import games_difficulty
from ..games.rules import rules_of
from ..games.solve import engine_for
from ..solver.model import format_value
from ..solver.symbols import exact, normalize_ops
from .formats import Entry
from .generate import check_range, check_seed

KINDS = ("solvable", "unique", "unsolvable", "any")
TRIES = 1000                # draws per entry before giving up
FILTERED_TRIES = 100_000    # ... with filters on the solutions (a rejected multiset costs a lookup: see _Facts)
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

Bounds = tuple[Union[int, Fraction], Union[int, Fraction]]     # a target range, like (100, 999) or (24, 24)
Deck = Union[str, Iterable[object], None]                       # "countdown", cards like (1, 1, 2, 2, ...), or None
Built = tuple[str, str, dict[str, Any]]                         # (question, answer, metadata) of an accepted draw
Known = dict[str, Any]      # what a draw's facts computed: "count" (int), "classes" (int or None), "figures" (dict)


class _Options:
    """The validated knobs of one `generate_games` call."""

    def __init__(self, rules: RulesLike, numbers: int, values: object, deck: Deck, target: object, ops: str, kind: str,
                 lang: str, template: Optional[str], backend: str, needs_fractions: Optional[bool] = None,
                 needs_negatives: Optional[bool] = None, min_depth: int = 0, min_effort: Optional[int] = None,
                 max_effort: Optional[int] = None) -> None:
        self.rules = rules_of(rules)
        for name, flag in (("needs_fractions", needs_fractions), ("needs_negatives", needs_negatives)):
            if flag not in (None, True, False):
                raise BracketError(f"{name} must be True, False or None, not {flag!r}")
        if isinstance(min_depth, bool) or not isinstance(min_depth, int) or min_depth < 0:
            raise BracketError(f"min_depth must be a non-negative int, not {min_depth!r}")
        self.wants = {k: v for k, v in (("needs_fractions", needs_fractions), ("needs_negatives", needs_negatives))
                      if v is not None}
        self.min_depth = min_depth
        for name, bound in (("min_effort", min_effort), ("max_effort", max_effort)):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int) or bound < 0):
                raise BracketError(f"{name} must be a non-negative int or None, not {bound!r}")
        if min_effort is not None and max_effort is not None and min_effort > max_effort:
            raise BracketError(f"min_effort {min_effort} is greater than max_effort {max_effort}")
        self.min_effort, self.max_effort = min_effort or 0, max_effort
        self.filtered = bool(self.wants or min_depth or self.min_effort or max_effort is not None)
        self.built: dict[tuple[tuple[str, ...], Optional[Fraction]], Built] = {}
        if (self.wants or min_depth) and kind not in ("solvable", "unique"):
            raise BracketError("needs_fractions, needs_negatives and min_depth describe solutions: use them with "
                               "kind 'solvable' or 'unique'")
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
        cards: Optional[tuple[int, ...]] = None
        if deck is not None:
            cards = tuple(_whole(x, "deck") for x in deck)
            if len(cards) < numbers:
                raise BracketError(f"the deck has {len(cards)} cards, fewer than numbers={numbers}")
        lo, hi = _range(values, "values")
        if self.rules.tv and (cards and min(cards) <= 0 or not cards and lo <= 0):
            raise BracketError("the TV rule takes positive whole numbers: values must start at 1 or more")
        if target is None:
            target = 24 if self.rules.name == "24" else (100, 999)
        self.target: Bounds = _range(target, "target") if isinstance(target, (tuple, list)) else (exact(target),) * 2
        self.numbers, self.deck, self.lo, self.hi = numbers, cards, lo, hi
        self.ops, self.kind, self.lang, self.template, self.backend = normalize_ops(ops), kind, lang, template, backend

    def draw(self, rng: random.Random) -> list[int]:
        if self.deck is not None:
            return sorted(rng.sample(self.deck, self.numbers), reverse=True)
        return [rng.randint(self.lo, self.hi) for _ in range(self.numbers)]

    def in_range(self, v: Union[int, Fraction]) -> bool:
        lo, hi = self.target
        return lo <= v <= hi and (Fraction(v).denominator == 1 or lo != hi)


def _whole(x: object, name: str) -> int:
    value = exact(x)
    if value.denominator != 1:
        raise BracketError(f"{name}: {x!r} is not a whole number")
    return int(value)


def _range(value: object, name: str) -> tuple[int, int]:
    try:
        a, b = cast(tuple[object, object], value)       # anything else raises TypeError or ValueError here
    except (TypeError, ValueError):
        raise BracketError(f"{name} must be a pair (lo, hi), not {value!r}") from None
    lo, hi = _whole(a, name), _whole(b, name)
    if lo > hi:
        raise BracketError(f"{name}: lo {lo} is greater than hi {hi}")
    return lo, hi


def _integers(engine: PythonSubsets, sets: list[int]) -> dict[int, int]:
    """Every whole value the tables reach, with how many expressions reach it (arrays when numba built them)."""
    out: dict[int, int] = {}
    for s in sets:
        arrays = getattr(engine, "arrays", None)
        if arrays is None:
            items: Iterable[tuple[int, int]] = ((v, c) for v, c in engine.table(s).items() if isinstance(v, int))
        else:
            tn, td, tc, big = arrays(s)
            whole = td == 1
            pairs = list(zip(tn[whole].tolist(), tc[whole].tolist()))
            pairs += [(v, c) for v, c in big.items() if type(v) is int]
            items = pairs
        for v, c in items:
            out[v] = out.get(v, 0) + c
    return out


def _entry(options: _Options, seed: object, index: int) -> Entry:
    rng = random.Random(f"{seed}:{index}")
    rules, kind = options.rules, options.kind
    for _ in range(FILTERED_TRIES if options.filtered else TRIES):
        numbers = options.draw(rng)
        game = Game.of(numbers, None, rules=rules, ops=options.ops)
        lo, hi = options.target
        if lo == hi:                                            # a fixed target, like 24
            facts = _Facts(options, game.with_target(lo))
            if (kind == "unsolvable") == (facts.count == 0) or kind == "any":
                chosen = lo
            else:
                continue
            if kind == "unique" and facts.classes != 1:
                continue
            if not facts.fits():
                continue
            return _build(options, seed, index, facts)
        engine = engine_for(game, options.backend)
        sets = _sets(game, engine)
        reach = _integers(engine, sets)
        solvable = sorted(v for v in reach if options.in_range(v))
        if kind == "unique":
            rng.shuffle(solvable)
            solvable = [v for v in islice(solvable, 8) if _classes(game, sets, v) == 1][:1]
        misses = _near_misses(reach, options) if kind in ("unsolvable", "any") else []
        pool = {"solvable": solvable, "unique": solvable, "unsolvable": misses, "any": solvable + misses}[kind]
        if pool:
            facts = _Facts(options, game.with_target(rng.choice(sorted(pool))), engine)
            if facts.fits():
                return _build(options, seed, index, facts)
    tries = FILTERED_TRIES if options.filtered else TRIES
    raise BracketError(f"entry {index}: no {kind} {rules} puzzle in {tries:,} draws; widen values or target"
                       + (" or relax the filters" if options.filtered else ""))


def _sets(game: Game, engine: PythonSubsets) -> list[int]:
    return [engine.space.full] if game.rules.every_number else engine.space.by_size()


# (rules, ops, sorted numbers, target) -> what a rejected draw computed (bounded)
_SEEN: dict[tuple[object, ...], Known] = {}
SEEN_MAX = 200_000


class _Facts:
    """What a draw's acceptance turns on, computed when asked: the solution count, the classes, the figures
    over every solution. The count and the figures are the same for every order of the numbers, so they are
    kept by multiset: the 24 game has only 1,820 multisets of four numbers from 1 to 13."""

    def __init__(self, options: _Options, game: Game, engine: Optional[PythonSubsets] = None) -> None:
        self.options, self.game, self._engine = options, game, engine
        key = (str(game.rules), game.ops, tuple(sorted(game.numbers)), game.target)
        if len(_SEEN) > SEEN_MAX:
            _SEEN.clear()
        self.known = _SEEN.setdefault(key, {})

    @property
    def engine(self) -> PythonSubsets:
        if self._engine is None:
            self._engine = engine_for(self.game, self.options.backend)
        return self._engine

    @property
    def sets(self) -> list[int]:
        return _sets(self.game, self.engine)

    @property
    def count(self) -> int:
        if "count" not in self.known:
            self.known["count"] = sum(self.engine.count(self.target, s) for s in self.sets)
        count: int = self.known["count"]
        return count

    @property
    def target(self) -> Fraction:
        return cast(Fraction, self.game.target)     # a draw's facts are asked with its target set

    @property
    def classes(self) -> Optional[int]:
        if "classes" not in self.known:
            self.known["classes"] = games_difficulty.class_count(self.game, self.sets, self.target) \
                if self.count else 0
        classes: Optional[int] = self.known["classes"]
        return classes

    def trees(self) -> list[list[Tree]]:
        """Per part, every solution tree (when there are at most MAX_TREES), else the first WALKED."""
        walked = None if self.count <= games_difficulty.MAX_TREES else WALKED
        return [list(islice(self.engine.trees(self.target, s), walked)) for s in self.sets] if self.count else []

    @property
    def figures(self) -> dict[str, Any]:
        if "figures" not in self.known:
            trees = [t for part in self.trees() for t in part]
            self.known["figures"] = games_difficulty.solution_figures(self.game, trees) \
                if self.count and len(trees) == self.count else {}
        figures: dict[str, Any] = self.known["figures"]
        return figures

    @property
    def effort(self) -> Optional[int]:
        if "effort" not in self.known:
            self.known["effort"] = games_difficulty.game_effort(self.game)
        effort: Optional[int] = self.known["effort"]
        return effort

    def fits(self) -> bool:
        """Do the solutions have what the options ask for (fractions needed or not, negatives, depth), and
        does the canonical search cost what they ask (an effort past its cap is more than any bound)?"""
        o = self.options
        if not o.filtered:
            return True
        if o.min_effort or o.max_effort is not None:
            effort = self.effort
            if effort is not None and effort < o.min_effort or o.max_effort is not None and (
                    effort is None or effort > o.max_effort):
                return False
        if not o.wants and not o.min_depth:
            return True
        figures = self.figures
        depth = figures.get("min_depth")
        return all(figures.get(k) is v for k, v in o.wants.items()) and (not o.min_depth or (
            depth is not None and depth >= o.min_depth))


def _classes(game: Game, sets: list[int], target: Union[int, Fraction]) -> int:
    counter = ClassCounter(game.distinct, game.counts, game.ops, tv=game.rules.tv)
    return sum(counter.count(target, s) for s in sets)


def _near_misses(reach: dict[int, int], options: _Options) -> list[int]:
    """Whole targets in range, one away from a reachable value, reached by nothing, and between the least and
    greatest reachable values in range."""
    inside = sorted(v for v in reach if options.in_range(v))
    if not inside:
        return []
    near = {v + step for v in inside for step in (-1, 1)}
    return [v for v in near if v not in reach and options.in_range(v) and inside[0] < v < inside[-1]]


FIGURES = ("fraction", "undefined", "values", "near_1", "near_1pct", "needs_fractions", "needs_negatives", "effort")


def _build(options: _Options, seed: object, index: int, facts: _Facts) -> Entry:
    """The entry of an accepted draw; what does not depend on (seed, index) is kept by the options for the
    same numbers in the same order (the 24 game has 28,561 such draws from 1 to 13)."""
    key = (facts.game.literals, facts.game.target)
    built = options.built.get(key)
    if built is None:
        if len(options.built) > SEEN_MAX:
            options.built.clear()
        built = options.built[key] = _built(options, facts)
    question, answer, metadata = built
    return {"question": question, "answer": answer,
            "metadata": {**metadata, "kind": options.kind, "seed": seed, "index": index}}


def _built(options: _Options, facts: _Facts) -> Built:
    game, engine, sets = facts.game, facts.engine, facts.sets
    target = facts.target
    count = facts.count
    parts = facts.trees()
    trees = [t for part in parts for t in part]
    classes = facts.classes if len(game.numbers) <= games_difficulty.MAX_CLASS_NUMBERS else None
    d = games_difficulty.measure(game, engine, sets, classes=classes, trees=trees, count=count,
                                 effort=facts.effort).as_dict()
    metadata: dict[str, Any] = {
        "puzzle": str(game), "rules": str(game.rules), "numbers": list(game.literals), "target": format_value(target),
        "ops": game.ops, "solutions": count, "total": d["total"], "kind": None, "seed": None, "index": None,
        "lang": options.lang, "classes": d["classes"], "min_depth": d["min_depth"], "min_numbers": d["min_numbers"],
    }
    if count:
        best = min((t for part in parts for t in part), key=lambda t: (nesting(t), len(leaves(t)),
                                                                                 game.render(t)))
        answer = game.render(best)
    else:
        reach = sorted({Fraction(v) for s in sets for v in engine.table(s)})
        below = [v for v in reach if v < target][-1:]
        above = [v for v in reach if v > target][:1]
        metadata["nearest"] = [format_value(v) for v in below + above]
        answer = NO_SOLUTION[options.lang]
    metadata.update((k, d[k]) for k in FIGURES)
    return _question(options, game), answer, metadata


def _question(options: _Options, game: Game) -> str:
    lang = options.lang
    numbers = ", ".join(game.literals)
    if options.template is not None:
        return options.template.format(puzzle=str(game))
    ops = " ".join(game.ops)
    return QUESTIONS[lang].format(numbers=numbers, target=format_value(game.target), ops=ops,
                                  use=USE[lang][0 if game.rules.every_number else 1],
                                  tv=TV_RULE[lang] if game.rules.tv else "")


AUTO_NUMBA = 50             # from this many entries "auto" means the numba engine (4x the Python one at 4 numbers)


def _numba_here() -> bool:
    try:
        from ..engines.subsets_fast import NumbaSubsets  # noqa: F401
    except ImportError:
        return False
    return True


def generate_games(count: int, *, rules: RulesLike = "24", numbers: int = 4, values: object = (1, 13),
                   deck: Deck = None, target: object = None, ops: str = "+-*/", kind: str = "solvable",
                   seed: object = 0, start: int = 0, lang: str = "en",
                   template: Optional[str] = None, backend: str = "auto", needs_fractions: Optional[bool] = None,
                   needs_negatives: Optional[bool] = None, min_depth: int = 0, min_effort: Optional[int] = None,
                   max_effort: Optional[int] = None) -> Iterator[Entry]:
    """Yield `count` free-order puzzle entries {question, answer, metadata}, entry i depending only on (seed, i).

    Takes: `rules` "24", "countdown" (or "-tv"); `numbers` per puzzle, drawn from `values` = (lo, hi) or
    without replacement from a `deck` (a list, or "countdown": 25 50 75 100 and two each of 1..10);
    `target`: a number (24 by default for the 24 rules) or a range (lo, hi) (default (100, 999) for
    countdown); `ops`; `kind`: "solvable", "unique" (exactly one class of solutions, see games/forms.py),
    "unsolvable" (no expression reaches the target: for a range, a target one away from a reachable value)
    or "any"; `lang` "en" or "zh"; `template` a question with "{puzzle}"; `start` the first index; filters on
    the solutions (kinds "solvable" and "unique"): `needs_fractions` True (every solution passes through a
    fraction) or False (some solution keeps every step whole), `needs_negatives` likewise for negative steps,
    `min_depth` (even the shallowest solution nests parentheses this deep); for every kind, `min_effort` and
    `max_effort`, bounds on the states the canonical search visits (`games_difficulty.game_effort`).
    Returns: an iterator of dicts; `answer` is a solution with the fewest parentheses, or "no solution";
    `metadata` has puzzle (text that `read_game` reads), rules, numbers, target, ops, solutions (written
    expressions), classes, total, min_depth, min_numbers, kind, seed, index, lang, the figures of
    `game_difficulty` (fraction, undefined, values, near_1, near_1pct, needs_fractions, needs_negatives, effort),
    and for unsolvable puzzles the nearest reachable values.
    Raises: `BracketError` for bad options, or when no puzzle fits after many draws.

    >>> entry = next(generate_games(1, rules="24", kind="unique", seed=3))
    >>> entry["metadata"]["classes"], entry["metadata"]["target"]
    (1, '24')
    """
    check_range(count, start)
    check_seed(seed)
    if backend == "auto" and count >= AUTO_NUMBA:
        backend = "numba" if _numba_here() else "python"
    options = _Options(rules, numbers, values, deck, target, ops, kind, lang, template, backend, needs_fractions,
                       needs_negatives, min_depth, min_effort, max_effort)
    return (_entry(options, seed, index) for index in range(start, start + count))
