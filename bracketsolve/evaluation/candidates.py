"""The targets one draw of operands and operators offers a generator, each with its exact difficulty figures,
in pure Python: the readable specification that the batch kernels (batch.py) must match.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from typing import TYPE_CHECKING, NamedTuple, Optional, Sequence, Union

from .plans import Node, Ops, Value, _apply, _evaluate, _fraction, _plan, _search

if TYPE_CHECKING:
    from .generate import _Options


class Candidate(NamedTuple):
    """A target a draw offers: its value and the exact figures of the puzzle it makes (see difficulty.py).

    `best` is the root (an index into the plan's roots) of the shallowest solution with the fewest pairs,
    -1 without one; `below` and `above` are the reachable values next to it (None past the ends).
    """

    value: Value
    solutions: int
    classes: int
    min_depth: int          # -1 without a solution
    min_pairs: int
    best: int
    effort: int
    near_1: int
    near_1pct: int
    below: Optional[Value]
    above: Optional[Value]


class Offer(NamedTuple):
    """What one draw offers: its candidates in increasing order of value, distinct values, undefined roots,
    and the states of the whole canonical search (the effort of every unreachable target)."""

    candidates: Sequence[Candidate]
    values: int
    undefined: int
    states: int


# --- the specification: one draw in pure Python -----------------------------------------------------

def offer(options: _Options, numbers: list[Value], ops: Ops) -> Offer:
    """The candidates of one draw under `options` (generate's validated knobs), in pure Python."""
    n = len(numbers)
    plan, roots, classes, depths, pairs = _plan(ops)[:5]
    values = _evaluate(numbers, plan)
    reach: dict[Value, list[int]] = {}
    for r, node in enumerate(roots):
        v = values[node]
        if v is not None:
            reach.setdefault(v, []).append(r)
    undefined = len(roots) - sum(len(rs) for rs in reach.values())
    ordered = sorted(reach, key=_fraction)
    keys = [_fraction(v) for v in ordered]
    first, visited = _efforts(values, roots, n)
    found: list[Candidate] = []
    if options.kind != "unsolvable":
        for v in ordered:
            rs = reach[v]
            if not options.target_ok(v) or min(depths[r] for r in rs) < options.min_depth:
                continue
            distinct = len({classes[r] for r in rs})
            if options.kind == "unique" and distinct != 1:
                continue
            best = min(rs, key=lambda r: (depths[r], pairs[r], r))
            found.append(_candidate(v, keys, ordered, first[v], len(rs), distinct, min(depths[r] for r in rs),
                                    min(pairs[r] for r in rs), best))
    if options.kind in ("unsolvable", "any") and ordered:
        nearby = {_apply(op, v, options.step) for v in ordered for op in "+-"}
        near = [v for v in nearby if v is not None and v not in reach and options.target_ok(v)]
        if n != 2:                                      # past every reachable value is too easy
            near = [v for v in near if keys[0] < _fraction(v) < keys[-1]]
        found += [_candidate(v, keys, ordered, visited, 0, 0, -1, -1, -1) for v in near]
    found = sorted((c for c in found if options.keep(c)), key=lambda c: _fraction(c.value))
    return Offer(found, len(ordered), undefined, visited)


def _efforts(values: list[Optional[Value]], roots: tuple[Node, ...], n: int) -> tuple[dict[Optional[Value], int], int]:
    """({value: states the canonical search visits until it first completes that value}, states in all)."""
    made, skip, leaf = _search(n)
    first: dict[Optional[Value], int] = {}
    visited, s, states = 0, 0, len(made)
    while s < states:
        node = made[s]
        if node >= 0 and values[node] is None:          # that move divides by zero: not made
            s = skip[s]
            continue
        visited += 1
        if leaf[s] >= 0:
            first.setdefault(values[roots[leaf[s]]], visited)
        s += 1
    return first, visited


def _candidate(v: Value, keys: list[Union[int, Fraction]], ordered: list[Value], effort: int, solutions: int,
               classes: int, min_depth: int, min_pairs: int, best: int) -> Candidate:
    t = _fraction(v)
    one = bisect_right(keys, t + 1) - bisect_left(keys, t - 1)
    pct = bisect_right(keys, t + abs(Fraction(t)) / 100) - bisect_left(keys, t - abs(Fraction(t)) / 100)
    i = bisect_left(keys, t)
    reached = 1 if i < len(keys) and keys[i] == t else 0
    j = i + reached
    return Candidate(v, solutions, classes, min_depth, min_pairs, best, effort, one - reached, pct - reached,
                     ordered[i - 1] if i > 0 else None, ordered[j] if j < len(ordered) else None)


