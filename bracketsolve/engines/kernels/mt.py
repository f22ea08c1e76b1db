"""Python's `random.Random` inside the kernels: the Mersenne Twister seeded from a key as CPython seeds it, and the
draws the generator makes (`getrandbits`, `_randbelow`, `random() < 0.25`), bit for bit the same.

The state is an int64 array of 625: the 624 words (each below 2**32), then the position of the next word.
"""

from __future__ import annotations

import numba
import numpy as np

N, M = 624, 397
MASK32 = 0xFFFFFFFF
UPPER, LOWER, MATRIX = 0x80000000, 0x7FFFFFFF, 0x9908B0DF


def start_state() -> np.ndarray:
    """init_genrand(19650218), the state init_by_array starts from (the same for every key)."""
    mt = np.empty(N, np.int64)
    mt[0] = 19650218
    for i in range(1, N):
        mt[i] = (1812433253 * (int(mt[i - 1]) ^ (int(mt[i - 1]) >> 30)) + i) & MASK32
    return mt


@numba.njit
def seed(state, start, key, length):
    """init_by_array(key[:length]) into `state`, from `start` (CPython's random_seed for a positive int)."""
    mt = state
    for i in range(N):
        mt[i] = start[i]
    i, j, prev = 1, 0, mt[0]
    for _ in range(max(N, length)):
        x = prev ^ (prev >> 30)
        prev = ((mt[i] ^ ((x * 1664525) & MASK32)) + key[j] + j) & MASK32
        mt[i] = prev
        i += 1
        j += 1
        if i >= N:
            mt[0] = prev
            i = 1
        if j >= length:
            j = 0
    for _ in range(N - 1):
        x = prev ^ (prev >> 30)
        prev = ((mt[i] ^ ((x * 1566083941) & MASK32)) - i) & MASK32
        mt[i] = prev
        i += 1
        if i >= N:
            mt[0] = prev
            i = 1
    mt[0] = 0x80000000
    mt[N] = N


@numba.njit
def word(mt):
    """The next 32-bit output (genrand_uint32). Each word is twisted just before it is used, in order and in
    place, which reads exactly what the reference's twist of the whole block reads: so most never are."""
    i = mt[N]
    if i >= N:
        i = 0
    nxt = mt[i + 1] if i + 1 < N else mt[0]
    y = (mt[i] & UPPER) | (nxt & LOWER)
    far = mt[i + M] if i + M < N else mt[i + M - N]
    y = far ^ (y >> 1) ^ (MATRIX if y & 1 else 0)
    mt[i] = y
    mt[N] = i + 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    y ^= y >> 18
    return y & MASK32


@numba.njit
def bits(mt, k):
    """getrandbits(k), 1 <= k <= 62: 32-bit words, least significant first, the last one cut to what is left."""
    if k <= 32:
        return word(mt) >> (32 - k)
    r, shift = 0, 0
    while k > 0:
        w = word(mt)
        if k < 32:
            w >>= 32 - k
        r |= w << shift
        shift += 32
        k -= 32
    return r


@numba.njit
def below(mt, n, k):
    """_randbelow(n) with k = n.bit_length(): k random bits until they are below n."""
    r = bits(mt, k)
    while r >= n:
        r = bits(mt, k)
    return r


@numba.njit
def quarter(mt):
    """random() < 0.25: random() is (a * 2**26 + b) / 2**53 with a = word >> 5, b = word >> 6, so it is below
    1/4 exactly when a < 2**25; both words are drawn."""
    a = word(mt) >> 5
    word(mt)
    return a < (1 << 25)
