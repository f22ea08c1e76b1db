"""The targets one draw of operands and operators offers a generator, each with its exact difficulty figures:
in pure Python (the readable specification) and, for many draws at once, by the batch kernel.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from fractions import Fraction
from collections import OrderedDict
from functools import lru_cache
from itertools import chain
from math import gcd
from typing import NamedTuple, Optional

from ..solver.forms import KIND, Forms, wraps

Value = object              # like 6 or (7, 2): an int, or a reduced (numerator, denominator > 1) pair
Node = int                  # like 7: an operand index (< n), or n + the index of the step that builds it
CODES = {"+": 0, "-": 1, "*": 2, "/": 3}    # the kernels' operator codes


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

    candidates: list
    values: int
    undefined: int
    states: int


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


@lru_cache(maxsize=None)
def _search(n: int) -> tuple:
    """The canonical search of difficulty.effort over n operands, as a preorder of its states: per state
    the node its move builds (-1 for the start), the end of its subtree, and the root it completes (or -1)."""
    steps, roots = _shapes(n)
    node_of = {step: n + s for s, step in enumerate(steps)}
    root_of = {node: r for r, node in enumerate(roots)}
    last_operand = list(range(n)) + [0] * len(steps)
    for s, (k, left, right) in enumerate(steps):
        last_operand[n + s] = last_operand[right]
    made, skip, leaf = [], [], []

    def visit(blocks: list, last: int, node: int) -> None:
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
        self.plans: OrderedDict = OrderedDict()
        self.steps = 0

    def get(self, ops: tuple) -> tuple:
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


def _plan(ops: tuple) -> tuple:
    """For one operator sequence: (steps as (node, op, left, right), roots, and per root its class
    (canonical form), nesting depth, parenthesis pairs when rendered with the fewest, and that rendering
    with {0}, {1}, ... for the operands; then the puzzle's text with {n} for the target)."""
    return _PLANS.get(ops)


def _make_plan(ops: tuple) -> tuple:
    n = len(ops) + 1
    steps, roots = _shapes(n)
    forms = Forms()
    form = [forms.leaf(i) for i in range(n)]
    kind = ["#"] * n
    depth = [0] * n
    pairs = [0] * n
    text = [f"{{{i}}}" for i in range(n)]
    plan = []
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


def _tree(n: int, node: Node, ops: tuple):
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
    """The exact value of every node (None where a division by zero happens below it)."""
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


# --- the specification: one draw in pure Python -----------------------------------------------------

def offer(options, numbers: list, ops: tuple) -> Offer:
    """The candidates of one draw under `options` (generate's validated knobs), in pure Python."""
    n = len(numbers)
    plan, roots, classes, depths, pairs = _plan(ops)[:5]
    values = _evaluate(numbers, plan)
    reach: dict = {}
    for r, node in enumerate(roots):
        v = values[node]
        if v is not None:
            reach.setdefault(v, []).append(r)
    undefined = len(roots) - sum(len(rs) for rs in reach.values())
    ordered = sorted(reach, key=_fraction)
    keys = [_fraction(v) for v in ordered]
    first, visited = _efforts(values, roots, n)
    found = []
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
        near = {_apply(op, v, options.step) for v in ordered for op in "+-"}
        near = [v for v in near if v not in reach and options.target_ok(v)]
        if n != 2:                                      # past every reachable value is too easy
            near = [v for v in near if keys[0] < _fraction(v) < keys[-1]]
        found += [_candidate(v, keys, ordered, visited, 0, 0, -1, -1, -1) for v in near]
    found = sorted((c for c in found if options.keep(c)), key=lambda c: _fraction(c.value))
    return Offer(found, len(ordered), undefined, visited)


def _efforts(values: list, roots: tuple, n: int) -> tuple:
    """({value: states the canonical search visits until it first completes that value}, states in all)."""
    made, skip, leaf = _search(n)
    first: dict = {}
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


def _candidate(v, keys, ordered, effort, solutions, classes, min_depth, min_pairs, best) -> Candidate:
    t = _fraction(v)
    one = bisect_right(keys, t + 1) - bisect_left(keys, t - 1)
    pct = bisect_right(keys, t + abs(Fraction(t)) / 100) - bisect_left(keys, t - abs(Fraction(t)) / 100)
    i = bisect_left(keys, t)
    reached = 1 if i < len(keys) and keys[i] == t else 0
    j = i + reached
    return Candidate(v, solutions, classes, min_depth, min_pairs, best, effort, one - reached, pct - reached,
                     ordered[i - 1] if i > 0 else None, ordered[j] if j < len(ordered) else None)


# --- many draws at once: the batch kernel -------------------------------------------------------------

class _Rows:
    """A draw's candidates as rows of the kernel's output, made into `Candidate`s only when read."""

    __slots__ = ("pool", "start", "size")

    def __init__(self, pool, start: int, size: int) -> None:
        self.pool, self.start, self.size = pool, start, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Candidate:
        if not 0 <= i < self.size:
            raise IndexError(i)
        return _candidate_row(self.pool[self.start + i].tolist())


class _Table:
    """Per operator sequence, its operator codes and (class, depth, pairs) of each root, as rows of arrays the
    kernel reads; rows are added as sequences are first seen, and the table starts over when it is full."""

    ENTRIES = 1 << 22           # int64s kept in `attrs` (32 MB), but always room for a chunk of new rows

    def __init__(self, n: int, chunk: int) -> None:
        import numpy as np

        roots = len(_shapes(n)[1])
        self.capacity = max(chunk, self.ENTRIES // (3 * roots))
        self.attrs = np.empty((self.capacity, 3, roots), dtype=np.int64)
        self.codes = np.empty((self.capacity, n - 1), dtype=np.int64)
        self.index: dict = {}

    def rows(self, sequences: list) -> list:
        """The row of each operator sequence, adding those not yet in the table."""
        index = self.index
        new = {ops for ops in sequences if ops not in index}
        if len(index) + len(new) > self.capacity:
            index.clear()
            new = set(sequences)
        for ops in new:
            at = index[ops] = len(index)
            classes, depths, pairs = _plan(ops)[2:5]
            self.attrs[at] = (classes, depths, pairs)
            self.codes[at] = [CODES[op] for op in ops]
        return [index[ops] for ops in sequences]


@lru_cache(maxsize=None)
def _table(n: int, chunk: int) -> _Table:
    return _Table(n, chunk)


@lru_cache(maxsize=None)
def _arrays(n: int) -> tuple:
    """The plan and the search of n operands as int64 arrays, for the kernel."""
    import numpy as np

    steps, roots = _shapes(n)
    made, skip, leaf = _search(n)
    k, left, right = (np.array([s[i] for s in steps], dtype=np.int64) for i in range(3))
    return (k, left, right, np.array(roots, dtype=np.int64), np.array(made, dtype=np.int64),
            np.array(skip, dtype=np.int64), np.array(leaf, dtype=np.int64))


def kernel():
    """The batch kernel, or None when numba does not import."""
    try:
        from ..engines.kernels import generate as K
    except ImportError:
        return None
    return K


def offers(options, draws: list, backend: str = "auto") -> list:
    """The offer of each draw [(numbers, ops), ...]: by the batch kernel unless `backend` is "python", numba
    is missing or the options' bounds leave int64; draws whose arithmetic leaves int64 are redone in Python."""
    K = kernel() if backend != "python" else None
    limits = options.kernel_options()
    if K is None or limits is None or not draws:
        return [offer(options, numbers, ops) for numbers, ops in draws]
    import numpy as np

    n = options.operands
    if options.decimals:
        pairs = [[(x, 1) if type(x) is int else x for x in numbers] for numbers, _ in draws]
        num = np.array([[p for p, _ in row] for row in pairs], dtype=np.int64)
        den = np.array([[q for _, q in row] for row in pairs], dtype=np.int64)
    else:
        num = np.fromiter(chain.from_iterable(numbers for numbers, _ in draws), dtype=np.int64,
                          count=n * len(draws)).reshape(len(draws), n)
        den = np.ones_like(num)
    table = _table(n, max(512, len(draws)))
    row = np.array(table.rows([ops for _, ops in draws]), dtype=np.int64)
    k, left, right, roots, made, skip, leaf = _arrays(n)
    pool = np.empty((len(draws) * 3 * len(roots) + 2, K.F_COUNT), dtype=np.int64)
    info = np.empty((len(draws), K.I_COUNT), dtype=np.int64)
    K.candidates(num, den, table.codes, k, left, right, roots, table.attrs, row, made, skip, leaf, limits, pool,
                 info)
    out = []
    for (status, start, size, values, undefined, states), (numbers, ops) in zip(info.tolist(), draws):
        if status == K.OK:
            out.append(Offer(_Rows(pool, start, size), values, undefined, states))
        else:
            out.append(offer(options, numbers, ops))
    return out


# --- whole entries in the kernel: its own copy of Python's Mersenne Twister ---------------------------------

class Drawn(NamedTuple):
    """An entry the kernel made: its draw, the candidate it picked, and the draw's figures (as an Offer has)."""

    numbers: list
    ops: tuple
    candidate: Candidate
    values: int
    undefined: int


def mt_key(text: str):
    """The key random.Random(text) seeds its Mersenne Twister with (CPython's version-2 seeding of a str: the
    text and its SHA-512 as one big-endian int, in 32-bit words, least significant first)."""
    import numpy as np
    from hashlib import sha512

    a = text.encode()
    n = int.from_bytes(a + sha512(a).digest(), "big")
    words = max(1, (n.bit_length() + 31) // 32)
    return np.frombuffer(n.to_bytes(words * 4, "little"), dtype="<u4").astype(np.int64)


def mt_keys(seed, indices) -> tuple:
    """`mt_key(f"{seed}:{i}")` for every index at once: (keys as rows, zero-padded; their lengths). The key is
    the blob's bytes reversed, in little-endian words, without the zero words at the top."""
    import numpy as np
    from hashlib import sha512

    blobs = []
    for i in indices:
        a = f"{seed}:{i}".encode()
        blobs.append((a + sha512(a).digest())[::-1])
    stride = (max(map(len, blobs)) + 3) // 4 * 4
    flat = b"".join(blob.ljust(stride, b"\0") for blob in blobs)
    words = np.frombuffer(flat, dtype="<u4").astype(np.int64).reshape(len(blobs), stride // 4)
    nonzero = words != 0
    top = words.shape[1] - np.argmax(nonzero[:, ::-1], axis=1)
    lengths = np.where(nonzero.any(axis=1), top, 1).astype(np.int64)
    return words, lengths


class _Sequences:
    """Root attributes by operator-sequence number (digit k, base len(ops), is slot k's operator), as rows the
    kernel reads; filled as sequences are first drawn, and started over when full."""

    ENTRIES = 1 << 22

    def __init__(self, n: int, ops: str) -> None:
        import numpy as np

        self.n, self.ops = n, ops
        roots = len(_shapes(n)[1])
        self.capacity = max(1100, self.ENTRIES // (3 * roots))      # room for every sequence one entry may draw
        self.row_of = np.full(len(ops) ** (n - 1), -1, dtype=np.int64)
        self.attrs = np.empty((self.capacity, 3, roots), dtype=np.int64)
        self.used = 0

    def fill(self, codes) -> None:
        m = len(self.ops)
        for code in codes:
            if self.row_of[code] >= 0:
                continue
            if self.used == self.capacity:
                self.row_of[:] = -1
                self.used = 0
            ops = tuple(self.ops[(code // m ** k) % m] for k in range(self.n - 1))
            classes, depths, pairs = _plan(ops)[2:5]
            self.attrs[self.used] = (classes, depths, pairs)
            self.row_of[code] = self.used
            self.used += 1


@lru_cache(maxsize=64)
def _sequences(n: int, ops: str) -> _Sequences:
    return _Sequences(n, ops)


def kernel_entries(options, seed, indices, tries: int) -> Optional[list]:
    """Entries made whole by the kernel: per index a `Drawn`, "python" (redo it in Python: past int64) or
    "failed" (no draw offered a candidate); None when the kernel cannot run these options."""
    K = kernel()
    limits = options.kernel_options() if K is not None else None
    if limits is None or options.hi * 10 >= 1 << 60:
        return None
    import numpy as np

    from ..engines.kernels import mt

    n, ops = options.operands, options.ops
    lo, width = options.lo, options.hi - options.lo + 1
    if options.decimals:
        lo, width = lo * 10, width * 10 - 9
    draw = np.array([n, lo, width, width.bit_length(), options.decimals, options.negatives, len(ops),
                     len(ops).bit_length()], dtype=np.int64)
    packed, lengths = mt_keys(seed, indices)
    opcodes = np.array([CODES[op] for op in ops], dtype=np.int64)
    table = _sequences(n, ops)
    k, left, right, roots, made, skip, leaf = _arrays(n)
    start = _start_state()
    chosen = np.zeros((len(indices), K.F_COUNT), dtype=np.int64)
    drawn = np.zeros((len(indices), 3 * n - 1), dtype=np.int64)
    done = np.zeros((len(indices), K.E_COUNT), dtype=np.int64)
    todo = np.arange(len(indices))
    while len(todo):
        c, d, e = chosen[todo], drawn[todo], done[todo]
        K.entries(packed[todo], lengths[todo], start, draw, opcodes, table.row_of, table.attrs, tries, k, left, right,
                  roots, made, skip, leaf, limits, c, d, e)
        chosen[todo], drawn[todo], done[todo] = c, d, e
        need = e[:, K.E_STATUS] == K.NEED_ROW
        table.fill(sorted(set(e[need, K.E_MISSING].tolist())))
        todo = todo[need]
    out = []
    whole = not options.decimals
    for c, d, e in zip(chosen.tolist(), drawn.tolist(), done.tolist()):
        status = e[K.E_STATUS]
        if status == K.DONE_:
            numbers = d[:n] if whole else [p if q == 1 else (p, q) for p, q in zip(d[:n], d[n:2 * n])]
            out.append(Drawn(numbers, tuple([ops[j] for j in d[2 * n:]]), _candidate_row(c), e[K.E_VALUES],
                             e[K.E_UNDEFINED]))
        else:
            out.append("failed" if status == K.FAILED else "python")
    return out


@lru_cache(maxsize=None)
def _start_state():
    from ..engines.kernels import mt

    return mt.start_state()


def _candidate_row(row: list) -> Candidate:
    (n, d, solutions, classes, min_depth, min_pairs, best, effort, near_1, near_1pct, has_below, bn, bd,
     has_above, an, ad) = row
    return Candidate(n if d == 1 else (n, d), solutions, classes, min_depth, min_pairs, best, effort, near_1,
                     near_1pct, (bn if bd == 1 else (bn, bd)) if has_below else None,
                     (an if ad == 1 else (an, ad)) if has_above else None)
