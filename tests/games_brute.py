"""Free-order brute force, independent of the package: every written tree over a multiset, its exact value,
and its canonical form (written here from the definition in docs/rules.md, not from games/forms.py).

A tree is a label (a leaf: an index of a distinct number) or (op, left, right). Equal numbers share a label,
so the set of trees never holds two that differ only by swapping equal numbers.
"""

from __future__ import annotations

import random
from collections import Counter
from fractions import Fraction
from functools import lru_cache
from itertools import product


@lru_cache(maxsize=None)
def trees(labels: tuple, ops: str) -> frozenset:
    """Every written tree using exactly the multiset `labels` (a sorted tuple) once each, with `ops`."""
    if len(labels) == 1:
        return frozenset(labels)
    counts = Counter(labels)
    keys = sorted(counts)
    out = set()
    for take in product(*[range(counts[k] + 1) for k in keys]):
        if sum(take) in (0, len(labels)):
            continue
        left = tuple(k for k, n in zip(keys, take) for _ in range(n))
        right = tuple(k for k, n in zip(keys, take) for _ in range(counts[k] - n))
        for a in trees(left, ops):
            for b in trees(right, ops):
                for op in ops:
                    out.add((op, a, b))
    return frozenset(out)


def sub_multisets(labels: tuple) -> list:
    """Every non-empty sub-multiset of `labels`, as sorted tuples."""
    counts = Counter(labels)
    keys = sorted(counts)
    return [tuple(k for k, n in zip(keys, take) for _ in range(n))
            for take in product(*[range(counts[k] + 1) for k in keys]) if sum(take)]


def value(tree, numbers: list, tv: bool = False):
    """The exact value, or None for a division by zero or (tv) a step outside the positive integers."""
    if not isinstance(tree, tuple):
        return Fraction(numbers[tree])
    op, a, b = tree
    x = value(a, numbers, tv)
    y = None if x is None else value(b, numbers, tv)
    if y is None:
        return None
    if op == "/" and y == 0:
        return None
    v = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "/": lambda: x / y}[op]()
    if tv and (v <= 0 or v.denominator != 1):
        return None
    return v


# --- the canonical form, from the definition ---------------------------------------------------------
# A sum is a Counter of (sign, part); a product a Counter of (exponent, part); a part is a leaf label or a
# frozen sum/product. Signs are normalized: a product's factors are taken in their "least" orientation
# and the sign collected in front; a sum is oriented by comparing it with its negation.

def canonical(tree):
    """(sign, body): equal exactly for trees equivalent under the identities of docs/rules.md."""
    if not isinstance(tree, tuple):
        return (1, ("leaf", tree))
    op, a, b = tree
    (sa, ba), (sb, bb) = canonical(a), canonical(b)
    if op in "+-":
        terms = Counter()
        for sign, body, flip in ((sa, ba, 1), (sb, bb, 1 if op == "+" else -1)):
            if body[0] == "sum":
                for (s, part), n in body[1]:
                    terms[(s * sign * flip, part)] += n
            else:
                terms[(sign * flip, body)] += 1
        return _orient(terms)
    factors = Counter()
    for body, exponent in ((ba, 1), (bb, 1 if op == "*" else -1)):
        if body[0] == "product":
            for (e, part), n in body[1]:
                factors[(e * exponent, part)] += n
        else:
            factors[(exponent, body)] += 1
    body = ("product", _frozen(factors))
    return (1 if _odd_free(body) else sa * sb, body)


def _frozen(counter: Counter) -> tuple:
    return tuple(sorted(counter.items(), key=repr))


def _orient(terms: Counter) -> tuple:
    fixed = Counter()
    for (s, part), n in terms.items():          # a part equal to its negation keeps sign +1
        fixed[(1 if _odd_free(part) else s, part)] += n
    negated = Counter({(-s, part): n for (s, part), n in fixed.items()})
    mine, theirs = _frozen(fixed), _frozen(negated)
    if mine == theirs:
        return (1, ("sum", mine))
    return (1, ("sum", mine)) if repr(mine) < repr(theirs) else (-1, ("sum", theirs))


def _odd_free(body) -> bool:
    """Is `body` equal to its own negation?"""
    if body[0] == "sum":
        items = dict(body[1])
        return all(items.get((-s, part)) == n for (s, part), n in body[1])
    if body[0] == "product":
        return any(_odd_free(part) for (_, part), _ in body[1])
    return False


def classes(numbers: list, labels: tuple, ops: str, tv: bool = False) -> tuple:
    """(Counter value -> classes with that value, number of classes): a class has a value when some member
    is defined (under tv, when some member keeps every step a positive integer)."""
    found: dict = {}
    for tree in trees(labels, ops):
        key = canonical(tree)
        v = value(tree, numbers, tv)
        if found.get(key) is None:
            found[key] = v
        elif v is not None:
            assert found[key] == v, (tree, found[key], v)
    return Counter(v for v in found.values() if v is not None), len(found)


def functions(n: int, ops: str = "+-*/", trials: int = 2) -> int:
    """The number of distinct rational functions among the trees over n distinct symbols, by evaluating each
    tree at random points modulo a large prime (equal functions agree everywhere; unequal ones almost never)."""
    prime = 2**61 - 1
    rng = random.Random(n)
    points = [[rng.randrange(2, prime) for _ in range(n)] for _ in range(trials)]

    def at(tree, xs):
        if not isinstance(tree, tuple):
            return xs[tree]
        op, a, b = tree
        x, y = at(a, xs), at(b, xs)
        if op == "+":
            return (x + y) % prime
        if op == "-":
            return (x - y) % prime
        if op == "*":
            return x * y % prime
        return x * pow(y, prime - 2, prime) % prime      # y = 0 has probability ~1e-18 at random points

    return len({tuple(at(t, xs) for xs in points) for t in trees(tuple(range(n)), ops)})
