"""Every bracketing of n operands as one shared plan of steps, and per operator sequence its classes, depths,
renderings (a bounded cache); exact values as ints and reduced pairs; the canonical search as a preorder.
"""

from __future__ import annotations

from collections import OrderedDict
from fractions import Fraction
from functools import lru_cache
from math import gcd
from typing import Optional, Union, cast

from ..solver.forms import KIND, Form, Forms, wraps
from ..solver.model import Tree

Value = Union[int, tuple[int, int]]     # like 6 or (7, 2): an int, or a reduced (numerator, denominator > 1) pair
Node = int                  # like 7: an operand index (< n), or n + the index of the step that builds it
Ops = tuple[str, ...]       # like ("+", "/", "-"): the operator of each slot
Step = tuple[Node, str, Node, Node]     # (node, op, left, right): one step of a plan
Plan = tuple[tuple[Step, ...], tuple[Node, ...], tuple[Form, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...],
             str]            # (steps, roots, and per root its class, depth, pairs, rendering; the puzzle's text)


# --- every bracketing of n operands, shared by all puzzles of that size ---------------------------

@lru_cache(maxsize=None)
def _shapes(n: int) -> tuple[tuple[tuple[int, Node, Node], ...], tuple[Node, ...]]:
    """(steps, roots): node n + s is `steps[s]` = (slot, left node, right node); nodes 0..n-1 are the
    operands; `roots` are the nodes spanning all n operands, one per tree shape (Catalan(n - 1))."""
    spans = {(i, i): [i] for i in range(n)}
    steps: list[tuple[int, Node, Node]] = []
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


@lru_cache(maxsize=None)
def _search(n: int) -> tuple[tuple[Node, ...], tuple[int, ...], tuple[int, ...]]:
    """The canonical search of difficulty.effort over n operands, as a preorder of its states: per state
    the node its move builds (-1 for the start), the end of its subtree, and the root it completes (or -1)."""
    steps, roots = _shapes(n)
    node_of = {step: n + s for s, step in enumerate(steps)}
    root_of = {node: r for r, node in enumerate(roots)}
    last_operand = list(range(n)) + [0] * len(steps)
    for s, (k, left, right) in enumerate(steps):
        last_operand[n + s] = last_operand[right]
    made: list[Node] = []
    skip: list[int] = []
    leaf: list[int] = []

    def visit(blocks: list[Node], last: int, node: int) -> None:
        at = len(made)
        made.append(node)
        skip.append(0)
        leaf.append(root_of[blocks[0]] if len(blocks) == 1 else -1)
        for j in range(max(0, last - 1), len(blocks) - 1):
            new = node_of[(last_operand[blocks[j]], blocks[j], blocks[j + 1])]
            visit(blocks[:j] + [new] + blocks[j + 2:], j, new)
        skip[at] = len(made)

    visit(list(range(n)), 0, -1)
    return tuple(made), tuple(skip), tuple(leaf)


class _Plans:
    """A least-recently-used cache of plans that holds at most STEPS steps in all (so few big ones, many small)."""

    STEPS = 2_000_000

    def __init__(self) -> None:
        self.plans: OrderedDict[Ops, Plan] = OrderedDict()
        self.steps = 0

    def get(self, ops: Ops) -> Plan:
        plan = self.plans.get(ops)
        if plan is not None:
            self.plans.move_to_end(ops)
            return plan
        plan = _make_plan(ops)
        self.plans[ops] = plan
        self.steps += len(plan[0])
        while self.steps > self.STEPS and len(self.plans) > 1:
            _, old = self.plans.popitem(last=False)
            self.steps -= len(old[0])
        return plan


_PLANS = _Plans()


def _plan(ops: Ops) -> Plan:
    """For one operator sequence: (steps as (node, op, left, right), roots, and per root its class
    (canonical form), nesting depth, parenthesis pairs when rendered with the fewest, and that rendering
    with {0}, {1}, ... for the operands; then the puzzle's text with {n} for the target)."""
    return _PLANS.get(ops)


def _make_plan(ops: Ops) -> Plan:
    n = len(ops) + 1
    steps, roots = _shapes(n)
    forms = Forms()
    form = [forms.leaf(i) for i in range(n)]
    kind = ["#"] * n
    depth = [0] * n
    pairs = [0] * n
    text = [f"{{{i}}}" for i in range(n)]
    plan: list[Step] = []
    for s, (k, left, right) in enumerate(steps):
        op = ops[k]
        wl, wr = wraps(op, kind[left], False), wraps(op, kind[right], True)
        form.append(forms.combine(op, form[left], form[right]))
        kind.append(KIND[op])
        depth.append(max(depth[left] + wl, depth[right] + wr))
        pairs.append(pairs[left] + pairs[right] + wl + wr)
        a, b = text[left], text[right]
        text.append(f"{'(' + a + ')' if wl else a} {op} {'(' + b + ')' if wr else b}")
        plan.append((n + s, op, left, right))
    puzzle = " ".join(f"{{{i}}} {op}" for i, op in enumerate(ops)) + f" {{{n - 1}}} = {{{n}}}"
    return (tuple(plan), roots, tuple(form[r] for r in roots), tuple(depth[r] for r in roots),
            tuple(pairs[r] for r in roots), tuple(text[r] for r in roots), puzzle)


def _tree(n: int, node: Node, ops: Ops) -> Tree:
    """The bracketing tree of a node."""
    if node < n:
        return node
    k, left, right = _shapes(n)[0][node - n]
    return (ops[k], _tree(n, left, ops), _tree(n, right, ops))


# --- exact values as ints and reduced pairs (they hash and compare far faster than Fractions) ----------

def _ratio(p: int, q: int) -> Value:
    """p/q reduced: an int when whole, else a (p, q) pair with q > 1."""
    g = gcd(p, q)
    if q < 0:
        g = -g
    p, q = p // g, q // g
    return p if q == 1 else (p, q)


def _apply(op: str, a: Value, b: Value) -> Optional[Value]:
    """`a op b` for ints and pairs alike (None for a division by zero)."""
    p, q = (a, 1) if type(a) is int else cast(tuple[int, int], a)
    r, s = (b, 1) if type(b) is int else cast(tuple[int, int], b)
    if op == "+":
        return _ratio(p * s + r * q, q * s)
    if op == "-":
        return _ratio(p * s - r * q, q * s)
    if op == "*":
        return _ratio(p * r, q * s)
    return None if r == 0 else _ratio(p * s, q * r)


def _fraction(v: Value) -> Union[int, Fraction]:
    """A value as a number that sorts and compares exactly: the int itself, or a Fraction."""
    return v if type(v) is int else Fraction(*cast(tuple[int, int], v))


def _evaluate(numbers: list[Value], plan: tuple[Step, ...]) -> list[Optional[Value]]:
    """The exact value of every node (None where a division by zero happens below it)."""
    values: list[Optional[Value]] = list(numbers)
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


