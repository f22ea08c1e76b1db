"""The plan both engines share: which intervals get value tables and which are answered by queries.

Tables are built for the short intervals, level by level; a level is built only while that is estimated to
cost less than answering the queries that would reach it. Bounds on every interval's values prune queries.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb
from typing import Optional

from ..solver.model import Expr, Value

Sizes = dict[tuple[int, int], int]  # (i, j) -> entries of a built table, like {(0, 0): 1, (0, 1): 3}
Bounds = tuple[list[list[int]], list[list[int]]]   # (N, D): N[i][j] bounds numerators, D[i][j] denominators
OPEN = 2**64                # a bound this large or larger bounds nothing (bounds saturate here)


def bounds(expr: Expr) -> Bounds:
    """(N, D): N[i][j] bounds |numerator| and D[i][j] the denominator of every value of operands i..j.

    Exact and recursive (+ -: N1*D2 + N2*D1 over D1*D2; *: N1*N2 over D1*D2; /: N1*D2 over D1*N2), so a
    query whose value is outside them has no bracketing and needs no work. Saturated at `OPEN`.
    """
    n = expr.size
    N = [[0] * n for _ in range(n)]
    D = [[0] * n for _ in range(n)]
    for i, x in enumerate(expr.numbers):
        N[i][i], D[i][i] = min(abs(x.numerator), OPEN), min(x.denominator, OPEN)
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            nb = db = 0
            for k in range(i, j):
                n1, d1, n2, d2 = N[i][k], D[i][k], N[k + 1][j], D[k + 1][j]
                for op in expr.slots[k]:
                    if op in "+-":
                        a, b = n1 * d2 + n2 * d1, d1 * d2
                    elif op == "*":
                        a, b = n1 * n2, d1 * d2
                    else:
                        a, b = n1 * d2, d1 * n2
                    nb, db = max(nb, a), max(db, b)
            N[i][j], D[i][j] = min(nb, OPEN), min(db, OPEN)
    return N, D


def within(bound: Bounds, i: int, j: int, v: Value) -> bool:
    """Can operands i..j reach the value `v` at all, by the bounds?"""
    x = Fraction(v)
    nb, db = bound[0][i][j], bound[1][i][j]
    return (nb >= OPEN or abs(x.numerator) <= nb) and (db >= OPEN or x.denominator <= db)


def level_pairs(expr: Expr, sizes: Sizes, length: int) -> int:
    """Value pairs combined to build every table of `length` operands from the shorter ones (exact)."""
    n, total = expr.size, 0
    for i in range(n - length + 1):
        j = i + length - 1
        total += sum(sizes[i, k] * sizes[k + 1, j] * len(expr.slots[k]) for k in range(i, j))
    return total


def query_work(expr: Expr, sizes: Sizes, built: int) -> float:
    """Estimated pairs looked at to answer one root query when every interval of up to `built` operands
    has a table: queries flow down from the root, each enumerating a built child of every split; the
    distinct queries reaching an interval are capped by its estimated table size (grown from the top
    built level by that level's growth ratio)."""
    n = expr.size
    if built >= n:
        return 0.0
    size = [[sizes.get((i, j), 0) for j in range(n)] for i in range(n)]
    level = [sum(size[i][i + m - 1] for i in range(n - m + 1)) / (n - m + 1) for m in range(1, built + 1)]
    growth = max(level[-1] / level[-2], 1.0) if built > 1 and level[-2] else 2.0    # empty tables: no ratio
    ops = [len(slot) for slot in expr.slots]
    queries = [[0.0] * n for _ in range(n)]
    queries[0][n - 1] = 1.0
    work = 0.0
    for m in range(n, built, -1):
        cap = level[-1] * growth ** (m - built)
        for i in range(n - m + 1):
            j = i + m - 1
            q = min(queries[i][j], cap)
            if not q:
                continue
            for k in range(i, j):
                left, right = size[i][k], size[k + 1][j]
                if k + 1 - i > built or (j - k <= built and right < left):
                    spread = q * right * ops[k]
                    if k + 1 - i > built:
                        queries[i][k] += spread
                else:
                    spread = q * left * ops[k]
                    if j - k > built:
                        queries[k + 1][j] += spread
                work += spread
    return work


QUESTION_WEIGHT = 0.4      # a pair looked at by a question costs this many table pairs (measured: 0.3-1)
ALL_LEVELS = 1 << 16       # sides of at most this many bracketings and ALL_SHAPES tree shapes get every table but
ALL_SHAPES = 16796         # the whole side's (`every_level`), so that their solutions come in table order, the bulk
                           # kernel's (solve_many takes no other puzzle); past them the cost model decides: it was
                           # never slower, and 3-30x faster on 12-14 operands (Catalan(10) = 16796 shapes: 11 operands)
EVERY_TABLE = 1 << 20      # `distinct()`: sides of at most this many bracketings count their values from every table


def build_next(expr: Expr, sizes: Sizes, built: int, depth: Optional[int] = None) -> bool:
    """Should the tables of `built + 1` operands be built (for a target query)?

    Always up to half the operands (then every split has a built side to enumerate), never the whole side;
    `depth`, when given, forces the deepest table length (a knob for tests and benchmarks); the sides of
    `every_level` get every table but the whole side's. Otherwise when the next level pays (`pays`).
    """
    rule = forced(expr, built, depth)
    return pays(expr, sizes, built) if rule is None else rule


def forced(expr: Expr, built: int, depth: Optional[int] = None) -> Optional[bool]:
    """`build_next`'s answer when a rule gives it (no cost model needed); None when the cost model decides."""
    n = expr.size
    if built >= n - 1:
        return False
    if built < n // 2:
        return True
    if depth is not None:
        return built < depth
    if every_level(expr):
        return True
    return None


def every_level(expr: Expr) -> bool:
    """Does the side get every table but the whole side's: at most ALL_SHAPES tree shapes (fixed groups kept) and
    ALL_LEVELS bracketings? These are the sides the bulk kernel takes (`solve_many`), in the same table order."""
    shapes = expr.shapes()
    return shapes <= ALL_SHAPES and expr.total() <= ALL_LEVELS


def pays(expr: Expr, sizes: Sizes, built: int) -> bool:
    """Does building the tables of `built + 1` operands pay: is the exact cost of building them plus the
    estimated questions after them below the estimated questions without them (the next level's sizes guessed
    from its pairs and the collision ratio of the level below)? `kernels/plan.pays` is the numba engine's twin.
    """
    n = expr.size
    cost = level_pairs(expr, sizes, built + 1)
    now = QUESTION_WEIGHT * query_work(expr, sizes, built)
    if cost >= now:
        return False
    ratio = _ratio(expr, sizes, built)
    guess = dict(sizes)
    for i in range(n - built):
        j = i + built
        pairs = sum(sizes[i, k] * sizes[k + 1, j] * len(expr.slots[k]) for k in range(i, j))
        guess[i, j] = max(1, int(ratio * pairs))
    return cost + QUESTION_WEIGHT * query_work(expr, guess, built + 1) < now


def small(expr: Expr, most: int = EVERY_TABLE) -> bool:
    """Does the side have at most `most` bracketings (the Catalan bound first, exact with fixed groups)?"""
    bound = comb(2 * expr.size - 2, expr.size - 1) // expr.size
    for slot in expr.slots:
        bound *= len(slot)
    return bound <= most or (bool(expr.groups) and expr.total() <= most)


def _ratio(expr: Expr, sizes: Sizes, built: int) -> float:
    """Entries per pair combined at the top built level (how much the pairs collide)."""
    if built < 2:
        return 1.0
    pairs = level_pairs(expr, sizes, built)
    n = expr.size
    entries = sum(sizes[i, i + built - 1] for i in range(n - built + 1))
    return entries / pairs if pairs else 1.0
