"""The scratch table an interval's results are summed in: open addressing, in partitions sized to the L2 cache.

A big table's results wait in a buffer, a block per partition, and go in one partition at a time, so that
their probes stay in cache and in a few pages; the table doubles in place, a partition at a time. When no
partition can fill up, the partitions take their results independently (`flush_parts`: in parallel in
`parallel.build`, with the same table as one thread makes).
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import _helper, _slot, _wadd

SUB_BITS = 15           # a partition: 2**15 slots of 24 bytes (768 KB) stay in L2 while its results go in
BUFFER = 1 << 20        # results waiting for their partitions (rows n, d, count: 24 MB), at most the table's slots,
MIN_BLOCK = 64          # at least this many per partition
BITS, FILLED, PARTS, EACH, AT_BLOCK, AT_ROW = 0, 1, 2, 3, 4, 5   # sc[:]: the table's and the buffer's state


@_helper
def buffer_rows(cap):
    """Rows of waiting results a table of `cap` slots wants (0 when it is one partition, filled directly)."""
    return 0 if cap <= 1 << SUB_BITS else max(min(BUFFER, cap), (cap >> SUB_BITS) * MIN_BLOCK)


@_helper
def layout(bits, rows):
    """(parts, each): a table of 2**bits slots in an arena of `rows` has `parts` partitions whose results wait
    in blocks of `each` rows at the arena's end; (0, 0) when it is one partition, filled directly. `each` is
    below MIN_BLOCK only when the arena is short."""
    size = buffer_rows(1 << bits)
    if size == 0:
        return 0, 0
    parts = (1 << bits) >> SUB_BITS
    return parts, min(size, rows - (1 << bits)) // parts


@_helper
def crowded(filled, part, bits):
    """Whether a table of 2**bits slots with `filled` entries, `part` of them in one partition, must double:
    past 3/4 full, or 7/8 in that partition."""
    return 4 * filled > 3 << bits or 8 * part > 7 << min(SUB_BITS, bits)


@_helper
def add(h, n, d, c, bits):
    """Sum count c of n/d into the table of 2**bits slots at the start of `h`; returns (slot, is it new).

    Probes wrap around within the value's partition, so a partition's entries stay in its slots.
    (Small, so that it is inlined; the caller sums the prime lanes with `add_lanes`.)
    """
    inner = (1 << min(SUB_BITS, bits)) - 1
    slot = _slot(n, d, (1 << bits) - 1)
    lo = slot - (slot & inner)
    while h[slot, 1] != 0:
        if h[slot, 0] == n and h[slot, 1] == d:
            h[slot, 2] = _wadd(h[slot, 2], c)
            return slot, False
        slot = lo | ((slot + 1) & inner)
    h[slot, 0] = n
    h[slot, 1] = d
    h[slot, 2] = c
    return slot, True


@_helper
def add_lanes(hx, slot, new, primes, lanes, row):
    """Sum the lane counts lanes[row] into slot `slot` of the table's lanes `hx` (set them when `new`)."""
    for x in range(primes.shape[0]):
        hx[slot, x] = lanes[row, x] if new else (hx[slot, x] + lanes[row, x]) % primes[x]


@_helper
def double(h, hx, primes, bits, fills, temp, tempx):
    """The table of 2**bits slots (rows of `h`, lanes `hx`, which has room for twice as many) doubled in
    place, its partitions' entries recounted in `fills`.

    Old partition q's entries go to new partitions q and q + parts: one partition is moved out to `temp` at
    a time and put back.
    """
    cap = 1 << bits
    h[cap:2 * cap, 1] = 0
    old = 1 << min(SUB_BITS, bits)
    new_sub = min(SUB_BITS, bits + 1)
    fills[:(2 * cap) >> new_sub] = 0
    for lo in range(0, cap, old):
        m = 0
        for s in range(lo, lo + old):
            if h[s, 1] != 0:
                temp[m, 0] = h[s, 0]
                temp[m, 1] = h[s, 1]
                temp[m, 2] = h[s, 2]
                for x in range(primes.shape[0]):
                    tempx[m, x] = hx[s, x]
                h[s, 1] = 0
                m += 1
        for t in range(m):
            slot, new = add(h, temp[t, 0], temp[t, 1], temp[t, 2], bits + 1)     # (always new)
            if primes.shape[0]:
                add_lanes(hx, slot, new, primes, tempx, t)
            fills[slot >> new_sub] += 1


@_helper
def fits(fills, blocks, sc):
    """Whether all the waiting results go in without the table doubling even if every one is new (a fresh
    flush, partitions as laid out): then `flush_parts` puts them in, in the order `flush` would."""
    bits, parts = sc[BITS], sc[PARTS]
    if sc[AT_BLOCK] != 0 or sc[AT_ROW] != 0 or parts != (1 << bits) >> SUB_BITS:
        return False
    total = sc[FILLED]
    none = np.int64(0)              # (a literal 0 would compile `crowded` once more for each place)
    for q in range(parts):
        if crowded(none, fills[q] + blocks[q], bits):
            return False
        total += blocks[q]
    return not crowded(total, none, bits)


@_helper
def flush_parts(h, hx, primes, buf, bx, blocks, fills, sc):
    """The waiting results into the table when they `fit`: each partition's alone (prange: the parallel
    kernel gives each thread whole partitions, whose slots no other touches; one thread runs them in turn)."""
    bits, parts, each = sc[BITS], sc[PARTS], sc[EACH]
    for q in numba.prange(parts):
        for r in range(q * each, q * each + blocks[q]):
            slot, new = add(h, buf[r, 0], buf[r, 1], buf[r, 2], bits)
            if primes.shape[0]:
                add_lanes(hx, slot, new, primes, bx, r)
            if new:
                fills[q] += 1
        blocks[q] = 0
    filled = 0
    for q in range(parts):
        filled += fills[q]
    sc[FILLED] = filled


@_helper
def flush(h, hx, primes, buf, bx, blocks, fills, sc):
    """The waiting results (blocks[q] of them at buf[q * each:] for each partition q) into the table, from
    block sc[AT_BLOCK], row sc[AT_ROW] on. Returns True when all are in; False when the table must double
    first (sc then says where to go on from)."""
    bits, filled, parts, each = sc[BITS], sc[FILLED], sc[PARTS], sc[EACH]
    q, r = sc[AT_BLOCK], sc[AT_ROW]
    while q < parts:
        r = max(r, q * each)
        while r < q * each + blocks[q]:
            slot, new = add(h, buf[r, 0], buf[r, 1], buf[r, 2], bits)
            if primes.shape[0]:
                add_lanes(hx, slot, new, primes, bx, r)
            r += 1
            if new:
                filled += 1
                p = slot >> min(SUB_BITS, bits)
                fills[p] += 1
                if crowded(filled, fills[p], bits):
                    sc[FILLED], sc[AT_BLOCK], sc[AT_ROW] = filled, q, r
                    return False
        blocks[q] = 0
        q += 1
    sc[FILLED], sc[AT_BLOCK], sc[AT_ROW] = filled, 0, 0
    return True
