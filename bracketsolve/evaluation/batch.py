"""Many draws at once, and whole entries, by the numba kernels: the arrays they read (plans, root attributes
by operator sequence, Mersenne Twister keys) and the objects they give back.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Optional, Union, cast

from .candidates import Candidate, Offer, offer
from .plans import Ops, Value, _plan, _search, _shapes

if TYPE_CHECKING:
    import numpy as np

    from .generate import _Options

Draw = tuple[list[Value], Ops]      # (numbers, operators) of one draw

CODES = {"+": 0, "-": 1, "*": 2, "/": 3}    # the kernels' operator codes


# --- many draws at once: the batch kernel -------------------------------------------------------------

class _Rows(Sequence[Candidate]):
    """A draw's candidates as rows of the kernel's output, made into `Candidate`s only when read."""

    __slots__ = ("pool", "start", "size")

    def __init__(self, pool: np.ndarray, start: int, size: int) -> None:
        self.pool, self.start, self.size = pool, start, size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Candidate:  # type: ignore[override]  # no slices
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
        self.index: dict[Ops, int] = {}

    def rows(self, sequences: list[Ops]) -> list[int]:
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
def _arrays(n: int) -> tuple[np.ndarray, ...]:       # (k, left, right, roots, made, skip, leaf)
    """The plan and the search of n operands as int64 arrays, for the kernel."""
    import numpy as np

    steps, roots = _shapes(n)
    made, skip, leaf = _search(n)
    k, left, right = (np.array([s[i] for s in steps], dtype=np.int64) for i in range(3))
    return (k, left, right, np.array(roots, dtype=np.int64), np.array(made, dtype=np.int64),
            np.array(skip, dtype=np.int64), np.array(leaf, dtype=np.int64))


def draw_cost(n: int) -> tuple[int, int]:
    """(bytes, value pairs) the batch kernel spends on one draw of n operands: its rows of candidates in the
    pool (`offers`), and the pairs its plan combines."""
    K = kernel()
    k, _, _, roots = _arrays(n)[:4]
    return 8 * 3 * len(roots) * (16 if K is None else K.F_COUNT), len(k)


def kernel() -> Optional[_Kernels]:
    """The kernels (kernels.generate's `candidates` and constants, kernels.entries' `entries`) as one
    namespace, or None when numba does not import."""
    try:
        from ..engines.kernels import entries as E
        from ..engines.kernels import generate as G
    except ImportError:
        return None
    return _Kernels(G, E)


class _Kernels:
    """Attribute lookups in kernels.entries first, then kernels.generate."""

    def __init__(self, *modules: object) -> None:
        self._modules = modules

    def __getattr__(self, name: str) -> Any:
        for module in reversed(self._modules):
            if hasattr(module, name):
                return getattr(module, name)
        raise AttributeError(name)


def offers(options: _Options, draws: list[Draw], backend: str = "auto") -> list[Offer]:
    """The offer of each draw [(numbers, ops), ...]: by the batch kernel unless `backend` is "python", numba
    is missing or the options' bounds leave int64; draws whose arithmetic leaves int64 are redone in Python."""
    K = kernel() if backend != "python" else None
    limits = options.kernel_options()
    if K is None or limits is None or not draws:
        return [offer(options, numbers, ops) for numbers, ops in draws]
    import numpy as np

    n = options.operands
    if options.decimals:
        pairs = [[(x, 1) if type(x) is int else cast(tuple[int, int], x) for x in numbers] for numbers, _ in draws]
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
    out: list[Offer] = []
    for (status, start, size, values, undefined, states), (numbers, ops) in zip(info.tolist(), draws):
        if status == K.OK:
            out.append(Offer(_Rows(pool, start, size), values, undefined, states))
        else:
            out.append(offer(options, numbers, ops))
    return out


# --- whole entries in the kernel: its own copy of Python's Mersenne Twister ---------------------------------

class Drawn(NamedTuple):
    """An entry the kernel made: its draw, the candidate it picked, and the draw's figures (as an Offer has)."""

    numbers: list[Value]
    ops: Ops
    candidate: Candidate
    values: int
    undefined: int


def mt_key(text: str) -> np.ndarray:
    """The key random.Random(text) seeds its Mersenne Twister with (CPython's version-2 seeding of a str: the
    text and its SHA-512 as one big-endian int, in 32-bit words, least significant first)."""
    import numpy as np
    from hashlib import sha512

    a = text.encode()
    n = int.from_bytes(a + sha512(a).digest(), "big")
    words = max(1, (n.bit_length() + 31) // 32)
    return np.frombuffer(n.to_bytes(words * 4, "little"), dtype="<u4").astype(np.int64)


def mt_keys(seed: object, indices: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """`mt_key(f"{seed}:{i}")` for every index at once: (keys as rows, zero-padded; their lengths). The key is
    the blob's bytes reversed, in little-endian words, without the zero words at the top."""
    import numpy as np
    from hashlib import sha512

    blobs: list[bytes] = []
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

    def fill(self, codes: Iterable[int]) -> None:
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


def kernel_entries(options: _Options, seed: object, indices: Sequence[int],
                   tries: int) -> Optional[list[Union[Drawn, str]]]:
    """Entries made whole by the kernel: per index a `Drawn`, "python" (redo it in Python: past int64) or
    "failed" (no draw offered a candidate); None when the kernel cannot run these options."""
    K = kernel()
    limits = options.kernel_options() if K is not None else None
    if K is None or limits is None or options.hi * 10 >= 1 << 60:
        return None
    import numpy as np

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
        picked, numbers_drawn, states = chosen[todo], drawn[todo], done[todo]
        K.entries(packed[todo], lengths[todo], start, draw, opcodes, table.row_of, table.attrs, tries, k, left, right,
                  roots, made, skip, leaf, limits, picked, numbers_drawn, states)
        chosen[todo], drawn[todo], done[todo] = picked, numbers_drawn, states
        need = states[:, K.E_STATUS] == K.NEED_ROW
        table.fill(sorted(set(states[need, K.E_MISSING].tolist())))
        todo = todo[need]
    out: list[Union[Drawn, str]] = []
    whole = not options.decimals
    status_at, values_at, undefined_at, ok, failed = K.E_STATUS, K.E_VALUES, K.E_UNDEFINED, K.DONE_, K.FAILED
    sequences: dict[tuple[int, ...], Ops] = {}     # operator indices -> the operator tuple, built once
    for c, d, e in zip(chosen.tolist(), drawn.tolist(), done.tolist()):
        status = e[status_at]
        if status == ok:
            numbers = cast(list[Value], d[:n]) if whole else \
                [p if q == 1 else (p, q) for p, q in zip(d[:n], d[n:2 * n])]
            picks = tuple(d[2 * n:])
            seq = sequences.get(picks)
            if seq is None:
                seq = sequences[picks] = tuple(ops[j] for j in picks)
            out.append(Drawn(numbers, seq, _candidate_row(c), e[values_at], e[undefined_at]))
        else:
            out.append("failed" if status == failed else "python")
    return out


@lru_cache(maxsize=None)
def _start_state() -> np.ndarray:
    from ..engines.kernels import mt

    return mt.start_state()


def _candidate_row(row: list[int]) -> Candidate:
    (n, d, solutions, classes, min_depth, min_pairs, best, effort, near_1, near_1pct, has_below, bn, bd,
     has_above, an, ad) = row
    return Candidate(n if d == 1 else (n, d), solutions, classes, min_depth, min_pairs, best, effort, near_1,
                     near_1pct, (bn if bd == 1 else (bn, bd)) if has_below else None,
                     (an if ad == 1 else (an, ad)) if has_above else None)
