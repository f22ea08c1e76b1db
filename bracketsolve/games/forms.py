"""Classes of free-order expressions: the canonical form of a tree, equal exactly for equivalent trees.

Two expressions are equivalent when these identities turn one into the other: + and * commute and
associate; a - (b - c) = a - b + c and a / (b / c) = a * c / b (a chain of + and - is a multiset of signed
terms, a chain of * and / a multiset of factors with exponents +1 and -1); and a sign moves through a
product: (a - b) * (c - d) = (b - a) * (d - c), x - (a - b) * c = x + (b - a) * c. Nothing else: no
cancelling (8 - 8 is not 3 - 3), no distributing, no 1 * x = x. For distinct numbers taken as symbols
these are exactly the expressions equal as rational functions (OEIS A140606: 1, 6, 68, 1170, 27142, ...).
Leaves are the distinct numbers, so equal numbers are one symbol.
"""

from __future__ import annotations

from typing import Any

from .game import Tree

Core = tuple[str, Any]  # ("#", 2) a number; ("+", ((1, core), (-1, core))) signed terms; ("*", ((1, core), ...))
#                         factors (the body is Any: a number, or parts that sort as tuples)
Form = tuple[int, Core]     # (sign, core): sign +1 or -1, and +1 whenever the core equals its own negation


def form(tree: Tree) -> Form:
    """The canonical form of a free-order tree (leaves index the distinct numbers).

    >>> form(("+", 0, 1)) == form(("+", 1, 0))
    True
    >>> form(("*", ("-", 0, 1), ("-", 2, 3))) == form(("*", ("-", 1, 0), ("-", 3, 2)))
    True
    >>> form(("-", ("-", 0, 1), 2)) == form(("-", 0, ("-", 1, 2)))
    False
    """
    if isinstance(tree, int):
        return (1, ("#", tree))
    op, left, right = tree
    a, b = form(left), form(right)
    if op in "+-":
        terms = _parts(a, "+", 1) + _parts(b, "+", 1 if op == "+" else -1)
        return _sum(terms)
    sign = a[0] * b[0]
    factors = _parts((1, a[1]), "*", 1) + _parts((1, b[1]), "*", 1 if op == "*" else -1)
    core = ("*", tuple(sorted(factors)))
    return (1 if _self_negating(core) else sign, core)


def _parts(f: Form, kind: str, flip: int) -> list[Form]:
    """The signed terms (kind "+") or factors (kind "*") that `f` contributes to a chain, times `flip`."""
    sign, core = f
    if core[0] == kind:
        scale = sign * flip if kind == "+" else flip
        return [(scale * s, c) for s, c in core[1]]
    return [(sign * flip if kind == "+" else flip, core)]


def _sum(terms: list[Form]) -> Form:
    """A chain of signed terms, oriented canonically: the sorted terms or their negation, whichever is less."""
    terms = [(1 if _self_negating(c) else s, c) for s, c in terms]
    mine = tuple(sorted(terms))
    negated = tuple(sorted((-s, c) for s, c in terms))
    if mine <= negated:
        return (1, ("+", mine))
    return (-1, ("+", negated))


def _self_negating(core: Core) -> bool:
    """Does the core equal its own negation (8 - 8, (8 - 8) * 3)?"""
    kind, body = core
    if kind == "+":
        return bool(body == tuple(sorted((-s, c) for s, c in body)))
    if kind == "*":
        return any(_self_negating(c) for _, c in body)
    return False
