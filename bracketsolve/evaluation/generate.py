"""Generate bracket puzzles for evaluating reasoning models: one solution up to equivalence, solvable,
or unsolvable next to reachable values; as deep as asked; entry `i` reproducible from (seed, i) alone.
"""

from __future__ import annotations

import random
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Iterator, Optional

from ..errors import BracketError
from ..solver.forms import KIND, Forms, wraps
from ..solver.model import Expr, format_value, render
from ..solver.symbols import exact, normalize_ops

Value = object              # like 6 or (7, 2): an int, or a reduced (numerator, denominator > 1) pair
Node = int                  # like 7: an operand index (< n), or n + the index of the step that builds it

KINDS = ("unique", "solvable", "unsolvable", "any")
MAX_OPERANDS = 10           # 4,862 bracketings each; every one is evaluated per try
TRIES = 1000                # draws per entry before giving up
PLACES = 2                  # with decimals=True: operands have one decimal place, targets at most two

QUESTIONS = {
    "en": ("Add brackets to the equation below so that it holds. You may add as many pairs of brackets as you "
           "like, but do not change, remove or reorder the numbers and the operators. If no placement of "
           "brackets makes it hold, say that there is no solution. Put your final answer, the left-hand side "
           "with its brackets or \"no solution\", inside <answer></answer>.\n\n{puzzle}"),
    "zh": ("给如下等式添加括号,可以加多个括号,使得等式成立: {puzzle}\n"
           "不要改变、删除或调换数字和运算符。如果无论怎样加括号等式都不能成立,请回答“无解”。"
           "把最终答案(加好括号的等式左边,或“无解”)写在 <answer></answer> 中。"),
}
NO_SOLUTION = {"en": "no solution", "zh": "无解"}


# --- every bracketing of n operands, shared by all puzzles of that size ---------------------------

@lru_cache(maxsize=None)
def _shapes(n: int) -> tuple:
    """(steps, roots): node n + s is `steps[s]` = (slot, left node, right node); nodes 0..n-1 are the
    operands; `roots` are the nodes spanning all n operands, one per tree shape (Catalan(n - 1))."""
    spans = {(i, i): [i] for i in range(n)}
    steps = []
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            here = spans[(i, j)] = []
            for k in range(i, j):
                for left in spans[(i, k)]:
                    for right in spans[(k + 1, j)]:
                        here.append(n + len(steps))
                        steps.append((k, left, right))
    return tuple(steps), tuple(spans[(0, n - 1)])


@lru_cache(maxsize=8192)
def _plan(ops: tuple) -> tuple:
    """For one operator sequence: (steps as (node, op, left, right), roots, and per root its class
    (canonical form), nesting depth and parenthesis pairs when rendered with the fewest)."""
    n = len(ops) + 1
    steps, roots = _shapes(n)
    forms = Forms()
    form = [forms.leaf(i) for i in range(n)]
    kind = ["#"] * n
    depth = [0] * n
    pairs = [0] * n
    plan = []
    for s, (k, left, right) in enumerate(steps):
        op = ops[k]
        wl, wr = wraps(op, kind[left], False), wraps(op, kind[right], True)
        form.append(forms.combine(op, form[left], form[right]))
        kind.append(KIND[op])
        depth.append(max(depth[left] + wl, depth[right] + wr))
        pairs.append(pairs[left] + pairs[right] + wl + wr)
        plan.append((n + s, op, left, right))
    return (tuple(plan), roots, tuple(form[r] for r in roots), tuple(depth[r] for r in roots),
            tuple(pairs[r] for r in roots))


def _tree(n: int, node: Node, ops: tuple):
    """The bracketing tree of a node."""
    if node < n:
        return node
    k, left, right = _shapes(n)[0][node - n]
    return (ops[k], _tree(n, left, ops), _tree(n, right, ops))


def _ratio(p: int, q: int) -> Value:
    """p/q reduced: an int when whole, else a (p, q) pair with q > 1."""
    g = gcd(p, q)
    if q < 0:
        g = -g
    p, q = p // g, q // g
    return p if q == 1 else (p, q)


def _apply(op: str, a: Value, b: Value) -> Optional[Value]:
    """`a op b` for ints and pairs alike (None for a division by zero)."""
    p, q = (a, 1) if type(a) is int else a
    r, s = (b, 1) if type(b) is int else b
    if op == "+":
        return _ratio(p * s + r * q, q * s)
    if op == "-":
        return _ratio(p * s - r * q, q * s)
    if op == "*":
        return _ratio(p * r, q * s)
    return None if r == 0 else _ratio(p * s, q * r)


def _fraction(v: Value):
    """A value as a number that sorts and compares exactly: the int itself, or a Fraction."""
    return v if type(v) is int else Fraction(*v)


def _evaluate(numbers: list, plan: tuple) -> list:
    """The exact value of every node (None where a division by zero happens below it); whole values as
    ints, the rest as reduced pairs, which hash and compare far faster than Fractions."""
    values = list(numbers)
    append = values.append
    for _, op, left, right in plan:
        a, b = values[left], values[right]
        if a is None or b is None:
            append(None)
        elif type(a) is not int or type(b) is not int:
            append(_apply(op, a, b))
        elif op == "+":
            append(a + b)
        elif op == "-":
            append(a - b)
        elif op == "*":
            append(a * b)
        elif b == 0:
            append(None)
        else:
            q, r = divmod(a, b)
            append(q if r == 0 else _ratio(a, b))
    return values


# --- one entry --------------------------------------------------------------------------------------

class _Options:
    """The validated knobs of one `generate` call."""

    def __init__(self, operands, numbers, ops, kind, min_depth, lang, decimals, negatives, target, template):
        if isinstance(operands, bool) or not isinstance(operands, int) or not 2 <= operands <= MAX_OPERANDS:
            raise BracketError(f"operands must be an int from 2 to {MAX_OPERANDS}, not {operands!r}")
        if kind not in KINDS:
            raise BracketError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if isinstance(min_depth, bool) or not isinstance(min_depth, int) or min_depth < 0:
            raise BracketError(f"min_depth must be a non-negative int, not {min_depth!r}")
        if min_depth > max(0, operands - 2):
            raise BracketError(f"min_depth {min_depth} is out of reach: {operands} operands nest at most "
                               f"{max(0, operands - 2)} deep")
        if lang not in QUESTIONS:
            raise BracketError(f"lang must be one of {', '.join(QUESTIONS)}, not {lang!r}")
        lo, hi = _pair(numbers, "numbers")
        if lo < 0 or lo != int(lo) or hi != int(hi):
            raise BracketError(f"numbers must be whole magnitudes (lo, hi) with 0 <= lo <= hi, not {numbers!r}; "
                               "negatives=True makes some operands negative")
        if template is not None:
            try:
                ok = isinstance(template, str) and "{puzzle}" in template and bool(template.format(puzzle=""))
            except (KeyError, IndexError, ValueError):
                ok = False
            if not ok:
                raise BracketError("template must be a str with {puzzle} and no other {fields} (write {{ for {)")
        self.operands, self.kind, self.min_depth, self.lang = operands, kind, min_depth, lang
        self.lo, self.hi = int(lo), int(hi)
        self.ops = normalize_ops(ops)
        self.decimals, self.negatives = bool(decimals), bool(negatives)
        self.target = None if target is None else _pair(target, "target")
        self.template = template or QUESTIONS[lang]
        self.step = (1, 10) if self.decimals else 1

    def target_ok(self, v: Value) -> bool:
        """May `v` be shown as a target: whole (or a short decimal), signed as allowed, within range?"""
        num, den = (v, 1) if type(v) is int else v
        if num < 0 and not self.negatives:
            return False
        if den != 1 and (not self.decimals or (10 ** PLACES) % den):
            return False
        if self.target is None:
            return True
        lo, hi = self.target
        return lo.numerator * den <= num * lo.denominator and num * hi.denominator <= hi.numerator * den

    def draw(self, rng: random.Random) -> tuple:
        """Operands (ints, or pairs for decimals) and the operator of each slot."""
        numbers = []
        for _ in range(self.operands):
            x = _ratio(rng.randint(self.lo * 10, self.hi * 10), 10) if self.decimals else rng.randint(self.lo, self.hi)
            if self.negatives and rng.random() < 0.25:
                x = -x if type(x) is int else (-x[0], x[1])
            numbers.append(x)
        return numbers, tuple(rng.choice(self.ops) for _ in range(self.operands - 1))


def _pair(value, name: str) -> tuple:
    try:
        lo, hi = value
        lo, hi = exact(lo), exact(hi)
    except (TypeError, ValueError):
        raise BracketError(f"{name} must be a pair (lo, hi) of ints or exact numbers, not {value!r}") from None
    if lo > hi:
        raise BracketError(f"{name}: lo {lo} is greater than hi {hi}")
    return lo, hi


def _decimal(x) -> str:
    """An exact value with a short decimal expansion, as a literal: 6, -2.5, 0.25."""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    places = 1
    while (x * 10 ** places).denominator != 1:
        places += 1
    scaled = abs(x.numerator * 10 ** places // x.denominator)
    digits = str(scaled).rjust(places + 1, "0")
    return f"{'-' if x < 0 else ''}{digits[:-places]}.{digits[-places:]}"


def _entry(options: _Options, seed, index: int) -> dict:
    rng = random.Random(f"{seed}:{index}")
    for _ in range(TRIES):
        numbers, ops = options.draw(rng)
        plan, roots, classes, depths, pairs = _plan(ops)
        if options.kind in ("unique", "solvable") and max(depths) < options.min_depth:
            continue                                    # no bracketing of these operators nests that deep
        values = _evaluate(numbers, plan)
        reach: dict = {}
        for r, node in enumerate(roots):
            v = values[node]
            if v is not None:
                seen = reach.get(v)
                if seen is None:
                    reach[v] = [r]
                else:
                    seen.append(r)
        solvable = [v for v, rs in reach.items() if options.target_ok(v)
                    and min(depths[r] for r in rs) >= options.min_depth
                    and (options.kind != "unique" or len({classes[r] for r in rs}) == 1)]
        misses = _near_misses(reach, options) if options.kind in ("unsolvable", "any") else []
        candidates = {"unique": solvable, "solvable": solvable, "unsolvable": misses, "any": solvable + misses}
        pool = sorted(candidates[options.kind], key=_fraction)
        if pool:
            return _build(options, seed, index, numbers, ops, rng.choice(pool), reach)
    raise BracketError(f"entry {index}: no {options.kind} puzzle with min_depth {options.min_depth} in {TRIES} "
                       "draws; widen numbers or target, or lower min_depth")


def _near_misses(reach: dict, options: _Options) -> list:
    """Unreachable targets one step from a reachable value and between the least and greatest reachable
    values (with two operands there is only one value, so one step past it)."""
    near = {_apply(op, v, options.step) for v in reach for op in "+-"}
    near = [v for v in near if v not in reach and options.target_ok(v)]
    if not near:
        return near
    ordered = sorted(map(_fraction, reach))
    inside = [v for v in near if ordered[0] < _fraction(v) < ordered[-1]]
    return inside or (near if options.operands == 2 else [])       # past every reachable value is too easy


def _build(options: _Options, seed, index: int, numbers: list, ops: tuple, target: Value, reach: dict) -> dict:
    n = options.operands
    exact = tuple(Fraction(_fraction(x)) for x in numbers)
    literals = [_decimal(x) for x in exact]
    goal = Fraction(_fraction(target))
    text = " ".join(f"{literal} {op}" for literal, op in zip(literals, ops)) + f" {literals[-1]} = {_decimal(goal)}"
    side = Expr(exact, ops, ops, tuple(literals))          # what parse(text).left gives, built directly
    plan, roots, classes, depths, pairs = _plan(ops)
    solving = reach.get(target, [])
    metadata = {
        "puzzle": text, "target": format_value(goal), "numbers": literals, "ops": "".join(ops),
        "solutions": len(solving), "classes": len({classes[r] for r in solving}),
        "min_depth": min((depths[r] for r in solving), default=None), "total": len(roots),
        "kind": options.kind, "seed": seed, "index": index, "lang": options.lang,
    }
    if solving:
        best = min(solving, key=lambda r: (depths[r], pairs[r], r))
        answer = render(side, _tree(n, roots[best], ops))
    else:
        answer = NO_SOLUTION[options.lang]
        ordered = sorted(map(_fraction, reach))
        below = [v for v in ordered if v < goal][-1:]
        above = [v for v in ordered if v > goal][:1]
        metadata["nearest"] = [format_value(Fraction(v)) for v in below + above]
    return {"question": options.template.format(puzzle=text), "answer": answer, "metadata": metadata}


def generate(count: int, *, operands: int, numbers=(1, 30), ops: str = "+-*/", kind: str = "unique",
             min_depth: int = 0, seed=0, lang: str = "en", decimals: bool = False, negatives: bool = False,
             target=None, start: int = 0, template: Optional[str] = None) -> Iterator[dict]:
    """Yield `count` puzzle entries {question, answer, metadata}, entry i depending only on (seed, i).

    Takes: `operands` (2 to 10) per puzzle; operand magnitudes drawn from `numbers` = (lo, hi); each slot's
    operator drawn from `ops`; `kind`: "unique" (exactly one solution up to equivalence, see forms.py),
    "solvable", "unsolvable" (the target is one step from a reachable value, yet unreachable) or "any";
    `min_depth`: the shallowest solution nests brackets at least this deep ((8 + 28) / ((4 - 2) * 3) has
    depth 2); `decimals` (operands with one decimal place), `negatives` (some operands and targets
    negative), `target` = (lo, hi) bounds on the target; `lang` "en" or "zh"; `template` a question with
    "{puzzle}"; `start` the first index (for shards).
    Returns: an iterator of dicts; `answer` is the shallowest solution, or the no-solution answer that
    `grade` scores 1.0; `metadata` has puzzle, target (a rational as text), numbers, ops, solutions,
    classes, min_depth, total, kind, seed, index, lang, and for unsolvable puzzles the nearest values.
    Raises: `BracketError` (a ValueError) for bad options, or when no puzzle fits after many draws.

    >>> entry = next(generate(1, operands=5, min_depth=2, seed=7))
    >>> entry["metadata"]["classes"], entry["metadata"]["min_depth"] >= 2
    (1, True)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise BracketError(f"count must be a non-negative int, not {count!r}")
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise BracketError(f"start must be a non-negative int, not {start!r}")
    options = _Options(operands, numbers, ops, kind, min_depth, lang, decimals, negatives, target, template)
    return (_entry(options, seed, index) for index in range(start, start + count))
