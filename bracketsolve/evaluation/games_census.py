"""A census of a free-order family (the 24 game, Countdown): every multiset of k numbers from a range or from a
deck, every whole target in a range; the exact figures of each puzzle as Parquet rows and the exact distributions
over the family, run by census.py's shard machinery (in this process or on Dask).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from fractions import Fraction
from itertools import combinations_with_replacement, islice
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, cast

from ..errors import BracketError, SolveTimeout
from ..games.game import MAX_NUMBERS, Game
from ..games.rules import rules_of
from ..games.solve import engine_for
from ..solver.limits import Limits, Memory
from ..solver.symbols import normalize_ops
from . import formats
from .census import HISTOGRAMS, MAX_ROWS, Budget, budget_of, past, puzzle_limits, run_shards
from .datasets import Run, sequential
from .formats import Manifest

Multiset = tuple[int, ...]  # numbers in increasing order, like (1, 1, 3, 8)
HISTOGRAMS_FREE = HISTOGRAMS + ("needs_fractions", "needs_negatives")
COLUMNS = ("solutions", "classes", "min_depth", "min_numbers", "needs_fractions", "needs_negatives", "effort",
           "values", "undefined", "total")


class GameFamily:
    """Every multiset of `numbers` numbers, each from lo..hi (`values`) or drawn without replacement from a
    `deck` ("countdown": 25 50 75 100 and two each of 1..10), under `rules` with `ops`, and every whole target
    in `target` (default 24 for the 24 rules, 100..999 for Countdown). Multiset i is the i-th in lexicographic
    order of the increasing tuples.

    >>> f = GameFamily("24", 4, values=(1, 13))
    >>> f.multisets, f.target, f.multiset(0), f.multiset(1819)
    (1820, (24, 24), (1, 1, 1, 1), (13, 13, 13, 13))
    >>> GameFamily("countdown", 6, deck="countdown").multisets
    13243
    """

    def __init__(self, rules: str, numbers: int, values: object = None, deck: object = None,
                 target: object = None, ops: str = "+-*/") -> None:
        from .games_generate import COUNTDOWN_DECK, _range, _whole

        self.rules = rules_of(rules)
        if not self.rules.free:
            raise BracketError("a free-order census takes rules 24 or countdown (or -tv)")
        if isinstance(numbers, bool) or not isinstance(numbers, int) or not 1 <= numbers <= MAX_NUMBERS:
            raise BracketError(f"numbers must be an int from 1 to {MAX_NUMBERS}, not {numbers!r}")
        self.numbers, self.ops = numbers, normalize_ops(ops)
        if deck is not None and values is not None:
            raise BracketError("give the numbers as a range (values) or a deck, not both")
        if deck is None:
            self.lo, self.hi = _range((1, 13) if values is None else values, "values")
            self.cards: dict[int, int] = {v: numbers for v in range(self.lo, self.hi + 1)}
        else:
            pool = COUNTDOWN_DECK if deck == "countdown" else tuple(_whole(x, "deck") for x in cast(Iterable[object], deck))
            self.cards = dict(sorted(Counter(pool).items()))
            self.lo, self.hi = min(self.cards), max(self.cards)
        self.deck = None if deck is None else sorted(Counter(self.cards).elements())
        if self.rules.tv and self.lo <= 0:
            raise BracketError("the TV rule takes positive whole numbers: values must start at 1 or more")
        if target is None:
            target = (24, 24) if self.rules.name == "24" else (100, 999)
        self.target = _range(target, "target")
        self.multisets = _count(list(self.cards.values()), numbers)
        self.targets = self.target[1] - self.target[0] + 1
        if self.multisets * self.targets > MAX_ROWS:
            raise BracketError(f"this census has {self.multisets * self.targets:,} puzzles, past the cap of "
                               f"{MAX_ROWS:,}: fewer numbers, a narrower range or fewer targets")

    def each(self, first: int, stop: int) -> Iterator[Multiset]:
        """Multisets first..stop-1."""
        if self.deck is None:
            every: Iterator[Multiset] = combinations_with_replacement(range(self.lo, self.hi + 1), self.numbers)
        else:
            every = _multisets(list(self.cards.items()), self.numbers)
        return islice(every, first, stop)

    def multiset(self, i: int) -> Multiset:
        return next(self.each(i, i + 1))

    def spec(self) -> dict[str, Any]:
        return {"rules": str(self.rules), "numbers": self.numbers, "ops": self.ops, "target": list(self.target),
                "values": None if self.deck is not None else [self.lo, self.hi], "deck": self.deck}


def _count(limits: list[int], k: int) -> int:
    """Multisets of size k with at most limits[i] copies of value i."""
    ways = [1] + [0] * k
    for most in limits:
        ways = [sum(ways[j - c] for c in range(min(most, j) + 1)) for j in range(k + 1)]
    return ways[k]


def _multisets(cards: list[tuple[int, int]], k: int) -> Iterator[Multiset]:
    """Multisets of size k from (value, copies) in increasing value order, lexicographically."""
    if k == 0:
        yield ()
        return
    for at, (value, copies) in enumerate(cards):
        for rest in _multisets([(value, copies - 1)] + cards[at + 1:] if copies > 1 else cards[at + 1:], k - 1):
            yield (value,) + rest


def schema() -> Any:
    """The Arrow schema (a `pyarrow.Schema`) of a free-order census row."""
    pa = formats.pyarrow()
    types = {"needs_fractions": pa.bool_(), "needs_negatives": pa.bool_()}
    return pa.schema([("numbers", pa.list_(pa.int64())), ("target", pa.int64())]
                     + [(c, types.get(c, pa.int64())) for c in COLUMNS])


def game_census_shard(directory: str, number: int, first: int, stop: int, spec: dict[str, Any]) -> dict[str, Any]:
    """One shard as a task: multisets first..stop-1, a row per (multiset, target), and the shard's counts."""
    started = time.process_time()
    spec = dict(spec)
    budget: Budget = spec.pop("budget", None) or {}
    family = GameFamily(**spec)
    pa = formats.pyarrow()
    shape = schema()
    counts: dict[str, Any] = {"puzzles": 0, "solvable": 0, "effort_sum": 0, "effort_known": 0,
                              **{k: Counter() for k in HISTOGRAMS_FREE}}
    name = f"part-{number:05d}.parquet"
    rows: list[dict[str, Any]] = []
    timed_out = False
    with pa.parquet.ParquetWriter(os.path.join(directory, name), shape) as writer:
        for numbers in family.each(first, stop):
            if past(budget):
                timed_out = True
                break
            try:
                rows += puzzle_rows(family, numbers, lambda: puzzle_limits(budget))
            except SolveTimeout:
                timed_out = True
                break
        for row in rows:
            counts["puzzles"] += 1
            counts["solvable"] += row["solutions"] > 0
            for k in HISTOGRAMS_FREE:
                counts[k][row[k]] += 1
            if row["effort"] is not None:
                counts["effort_known"] += 1
                counts["effort_sum"] += row["effort"]
        writer.write_table(pa.Table.from_pylist(rows, schema=shape))
    return {"file": name, "number": number, "start": first, "stop": stop, "counts": counts,
            "cpu_seconds": time.process_time() - started, "timed_out": timed_out}


def puzzle_rows(family: GameFamily, numbers: Sequence[int],
                limits: Callable[[], Limits] = Limits) -> list[dict[str, Any]]:
    """The figures of each target for one multiset, from one set of tables (games_difficulty's definitions);
    `limits()` gives the budget of the tables, and afresh of each target's class tables and search."""
    from . import games_difficulty as gd

    game = Game.of(numbers, None, rules=family.rules, ops=family.ops)
    engine = engine_for(game, "auto", limits())
    sets = gd._sets(game, engine)
    total = sum(engine.total(s) for s in sets)
    values = gd.reach_figures(engine, sets, Fraction(family.target[0]))[0] if hasattr(engine, "arrays") else \
        len({v for s in sets for v in engine.table(s)})
    shared = {"values": values, "total": total,
              "undefined": total - sum(engine.defined(s) for s in sets)}
    missed: Optional[dict[str, Any]] = None         # every unreachable target has the same figures
    out: list[dict[str, Any]] = []
    for t in range(family.target[0], family.target[1] + 1):
        aimed = game.with_target(t)
        count = sum(engine.count(t, s) for s in sets)
        if count:
            trees = _trees(engine, sets, t, limits()) if count <= gd.MAX_TREES else None
            over = gd.solution_figures(aimed, trees, limits()) if trees is not None else \
                dict.fromkeys(("min_depth", "min_numbers", "needs_fractions", "needs_negatives"))
            figures = {"solutions": count, "classes": gd.class_count(aimed, sets, t, limits()), **over,
                       "effort": gd.game_effort(aimed, limits=limits())}
        else:
            if missed is None:
                missed = {"solutions": 0, "classes": 0, "effort": gd.game_effort(aimed, limits=limits()),
                          **dict.fromkeys(("min_depth", "min_numbers", "needs_fractions", "needs_negatives"))}
            figures = missed
        out.append({"numbers": list(numbers), "target": t, **figures, **shared})
    return out


def _trees(engine: Any, sets: list[int], target: int, limits: Limits) -> list[Any]:
    """The solution trees over `sets`, the deadline checked every MEMO_STEP of them."""
    from .games_difficulty import MEMO_STEP

    out: list[Any] = []
    for s in sets:
        for tree in engine.trees(target, s):
            if len(out) % MEMO_STEP == 0:
                limits.check("the solutions")
            out.append(tree)
    return out


def run_game_census(directory: str, *, rules: str = "24", numbers: int = 4, values: object = None,
                    deck: object = None, target: object = None, ops: str = "+-*/", shards: int = 1,
                    run: Run = sequential, scheduler: str = "none", timeout: Optional[float] = None,
                    max_memory: Memory = None, max_work: Optional[int] = None) -> Manifest:
    """Census a free-order family (see `GameFamily`) into a directory of Parquet shards, a row per puzzle, with
    a manifest whose "summary" holds the exact distributions (solution counts, classes, depths, efforts, the
    needs_* flags, the solvable fraction and the mean effort); `run` as in census.run_census. `timeout`: seconds
    for the whole census, checked between multisets and passed into each one's solves; `max_memory`,
    `max_work`: the budget of each multiset's tables, and of each target's class tables and search.

    Returns: the manifest. Raises: `BracketError` for a bad family or one past MAX_ROWS puzzles,
    `TooLargeError` past a puzzle's budget, `SolveTimeout` past `timeout` (saying how many puzzles were done).
    """
    family = GameFamily(rules, numbers, values, deck, target, ops)
    spec = {"rules": str(family.rules), "numbers": numbers, "ops": family.ops, "target": family.target,
            "values": None if family.deck is not None else (family.lo, family.hi), "deck": family.deck}
    return run_shards(directory, game_census_shard, spec, family.multisets, shards, run, scheduler,
                      {"family": family.spec(), "multisets": family.multisets}, HISTOGRAMS_FREE,
                      budget=budget_of(timeout, max_memory, max_work), rows=family.targets)
