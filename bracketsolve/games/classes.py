"""Counting classes of free-order expressions by value, with a DP over sub-multisets (never by listing).

A class is a canonical form (see `forms`): a sum is a multiset of signed components (leaves and products),
a product a multiset of factors (leaves and sums) with exponents +1 or -1, up to moving a sign through a
product. Each sub-multiset gets, per (value, flags), the number of components, factors, and multisets of
them; multisets of items come from Polya's formula differentiated by size (n M[s] = sum over blocks b and
k >= 1 of |b| psi_k(I[b]) M[s - k b]), so repeated numbers never double-count identical parts.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd
from typing import Any, Callable, Iterable, Optional, Union, cast
from ..engines.subsets import ENTRY_BYTES, Multisets
from ..errors import BracketError
from ..solver.limits import Limits

MAX_WORK = 50_000_000       # (value, flags) pairs convolved, over all sub-multisets

Value = Union[int, tuple[int, int]]     # like 6 or (7, 2): an int, or a reduced (numerator, denominator > 1) pair
V = Optional[Value]         # a value, or None when classes are counted whatever their value
Key = tuple[V, int]         # (value, flags)
Table = dict[Key, int]      # (value, flags) -> how many

# flags of a signed component or a sum: which orientations can be written (f itself, -f)
POS, NEG = 1, 2
# flags of a factor item, a product or a multiset of factors
NUM, BOTH, SELF = 1, 2, 4       # has a numerator factor; a factor can flip sign; a factor equals its negation


class ClassCounter:
    """Classes of expressions over every sub-multiset, counted by value.

    `values`, `counts`, `ops` and `tv` as for `engines.subsets.PythonSubsets`; `valued=False` counts every
    class whatever its value (dividing by zero or breaking the TV rule included): the totals.
    `.classes(s)` is value -> classes over exactly `s` (an int when not valued).
    Raises `BracketError` for operator sets the class rules do not cover ('-' without '+', '/' without
    '*'), `TooLargeError` past `max_work` or the budget of `limits` (`SolveTimeout` past its deadline).

    >>> from fractions import Fraction as F
    >>> ClassCounter((F(1), F(2), F(3), F(4)), (1, 1, 1, 1), "+-*/", valued=False).classes(15)
    1170
    """

    def __init__(self, values: Iterable[Union[int, Fraction]], counts: Iterable[int], ops: str, *, tv: bool = False,
                 valued: bool = True,
                 max_work: int = MAX_WORK, limits: Optional[Limits] = None) -> None:
        if ("-" in ops and "+" not in ops) or ("/" in ops and "*" not in ops):
            raise BracketError("distinct='form' needs '+' wherever '-' is allowed and '*' wherever '/' is")
        self.values = tuple(Fraction(v) for v in values)
        self.ops, self.tv, self.valued = ops, tv and valued, valued
        self.space = space = Multisets(counts)
        self.max_work, self.work = max_work, 0
        self.limits = limits if limits is not None else Limits()       # budget: memory, work, deadline
        zero: Table = {(0 if valued else None, 0): 1}
        one: Table = {(1 if valued else None, 0): 1}
        self._msum: dict[int, Table] = {0: zero}           # multisets of components
        self._mprod: dict[int, Table] = {0: one}           # multisets of factors
        self._comps: dict[int, Table] = {}                 # items over exactly s
        self._facs: dict[int, Table] = {}
        self._all: dict[int, int] = {}                     # component counts, self-negating ones, for Z
        self._selfneg: dict[int, int] = {}
        self._mz: dict[int, int] = {0: 1}
        self._classes: dict[int, dict[Optional[Union[int, Fraction]], int]] = {}
        inner = [s for s in space.by_size() if s != space.full or space.size(s) == 1]
        for done, s in enumerate(inner, 1):
            self._build(s)
            self.limits.progress(done, len(inner), "counting classes", "sub-multisets")

    def classes(self, s: int) -> Any:     # dict[value, int] when valued, else an int
        """Value -> number of classes over exactly `s` (or the number of classes when not valued); the whole
        multiset's table is built when first asked."""
        if s not in self._classes:
            self._build(s)
        table = self._classes[s]
        return sum(table.values()) if not self.valued else table

    def count(self, target: Union[int, Fraction], s: int) -> int:
        """Classes over `s` whose value is `target`; for the whole multiset, by looking up only the partners
        of the target instead of building its table."""
        t = _value(target)
        if s in self._classes or not self.valued:
            found: int = self.classes(s).get(_fraction(t), 0) if self.valued else self.classes(s)
            return found
        if self.tv and not _positive_int(t):
            return 0
        count = 0
        if "*" in self.ops:
            for (r, bits), c in self._at(s, self._facs, self._mprod, tuple({t: 0, _neg(t): 0}), _over).items():
                if not bits & NUM or (self.tv and not _positive_int(r)):
                    continue
                if bits & SELF or not bits & BOTH:
                    count += c if r == t else 0
                else:                               # R and -R: a class at t for R = t and for R = -t
                    count += c * ((r == t) + (_neg(r) == t))
        if "+" in self.ops:
            for (v, flags), c in self._at(s, self._comps, self._msum, (t,), _minus).items():
                if flags & POS or self.tv:
                    count += c
        return count

    # --- one sub-multiset -----------------------------------------------------------------------------

    def _build(self, s: int) -> None:
        space, ops = self.space, self.ops
        if space.size(s) == 1:
            x = _value(self.values[space.digits(s).index(1)]) if self.valued else None
            comps: Table = {(x, POS): 1}
            if "-" in ops:
                comps[(_neg(x), NEG)] = 1
            facs: Table = {(x, NUM): 1}
            if "/" in ops and (x is None or x != 0):      # an int 0 is the only zero value
                facs[(_inv(x), 0)] = 1
            self._store(s, comps, facs, {}, {}, {x: 1}, 0)
            return
        products = self._multisets(s, self._facs, self._mprod, _mul, _pow) if "*" in ops else {}
        comps = {}
        classes: dict[V, int] = {}
        selfneg = 0
        for (r, bits), c in products.items():
            if not bits & NUM or (self.tv and not _positive_int(r)):
                continue
            if bits & SELF:                         # equal to its own negation: one class, one component
                selfneg += c
                _add(comps, (r, POS | NEG), c)
                _add(classes, r, c)
            elif bits & BOTH:                       # both signs can be written: two classes
                _add(comps, (r, POS | NEG), c)
                _add(comps, (_neg(r), POS | NEG), c)
                _add(classes, r, c)
                _add(classes, _neg(r), c)
            else:
                _add(comps, (r, POS), c)
                if "-" in ops:
                    _add(comps, (_neg(r), NEG), c)
                _add(classes, r, c)
        self._selfneg[s] = selfneg
        self._all[s] = sum(comps.values())
        z = self._self_negating(s) if "-" in ops and not self.tv else 0
        self._mz.setdefault(s, 0)
        sums = self._multisets(s, self._comps, self._msum, _plus, _times) if "+" in ops else {}
        facs = {}
        for (v, flags), c in sums.items():
            if self.tv:
                if _sign(v) > 0:
                    _add(classes, v, c)
                    self._factor(facs, v, 0, c)
                continue
            if flags & POS:
                _add(classes, v, c)
            if flags == POS:                        # only this orientation can be written
                self._factor(facs, v, 0, c)
            elif flags == POS | NEG and (v is None or v == 0):
                pairs, rest = divmod(c - z, 2)      # f and -f both counted, except where f == -f
                if rest:
                    raise AssertionError(f"odd count of paired sums over {s}")
                self._factor(facs, v, BOTH, pairs)
                self._factor(facs, v, BOTH | SELF, z)
            elif flags == POS | NEG and _sign(v) > 0:   # -f is counted at -v: take f once
                self._factor(facs, v, BOTH, c)
        self._store(s, comps, facs, sums, products, classes, z)

    def _factor(self, facs: Table, r: V, bits: int, c: int) -> None:
        """The factor items of `c` sums with (reference) value `r`: as a numerator, and as a denominator."""
        if not c:
            return
        _add(facs, (r, NUM | bits), c)
        if "/" in self.ops and (r is None or r != 0):   # counting every class, a zero denominator counts too
            _add(facs, (_inv(r), bits), c)

    def _store(self, s: int, comps: Table, facs: Table, sums: Table, products: Table, classes: dict[V, int],
               z: int) -> None:
        self._comps[s], self._facs[s] = comps, facs
        if self.space.size(s) == 1:
            self._all[s], self._selfneg[s] = sum(comps.values()), 0
        msum, mprod = dict(sums), dict(products)
        for key, c in comps.items():
            _add(msum, key, c)
        for key, c in facs.items():
            _add(mprod, key, c)
        self._msum[s], self._mprod[s] = msum, mprod
        self.limits.reserve((len(msum) + len(mprod) + len(comps) + len(facs)) * ENTRY_BYTES, "counting classes")
        if self.space.size(s) == 1:
            self._mz[s] = 0
        self._classes[s] = {v if v is None else _fraction(v): c for v, c in classes.items() if c}

    def _multisets(self, s: int, items: dict[int, Table], multisets: dict[int, Table], combine: Callable[[V, V], V],
                   power: Callable[[V, int], V]) -> Table:
        """Multisets of at least two items over exactly `s`, by (value, flags): Polya's formula, pointed."""
        space = self.space
        n = space.size(s)
        acc: Table = {}
        for b in space.splits(s) + [s]:
            ib = items.get(b)
            if not ib:
                continue
            k = 1
            while _fits(space, k, b, s):
                if not (k == 1 and b == s):
                    self._convolve(ib, multisets[s - k * b], k, space.size(b), combine, power, acc)
                k += 1
        out = {}
        for key, c in acc.items():
            q, r = divmod(c, n)
            if r:
                raise AssertionError(f"Polya's formula left a remainder over {s}")
            if q:
                out[key] = q
        return out

    def _at(self, s: int, items: dict[int, Table], multisets: dict[int, Table], targets: tuple[V, ...],
            partner: Callable[[V, V], object]) -> Table:
        """The multisets of `_multisets(s, ...)` whose value is one of `targets`, by (value, flags)."""
        space = self.space
        acc: Table = {}
        power: Callable[[V, int], V] = _times if partner is _minus else _pow
        flags = sorted({g for table in multisets.values() for _, g in table})
        for b in space.splits(s):
            ib = items.get(b)
            if not ib:
                continue
            k = 1
            while _fits(space, k, b, s):
                rest = multisets[s - k * b]
                self._spend(len(ib) * len(targets))
                weight = space.size(b)
                for (v, f), c in ib.items():
                    pv = power(v, k)
                    for t in targets:
                        w = partner(t, pv)
                        matched: Iterable[tuple[Key, int]]
                        if w is _ANY:                   # 0 * anything is 0
                            matched = rest.items()
                        else:
                            u = cast(V, w)
                            matched = [((u, g), rest[(u, g)]) for g in flags if (u, g) in rest] if u is not None \
                                else []
                        for (_, g), d in matched:
                            key = (t, f | g)
                            acc[key] = acc.get(key, 0) + weight * c * d
                k += 1
        out = {}
        for key, c in acc.items():
            q, r = divmod(c, space.size(s))
            if r:
                raise AssertionError(f"Polya's formula left a remainder over {s}")
            if q:
                out[key] = q
        return out

    def _convolve(self, items: Table, multisets: Table, k: int, weight: int, combine: Callable[[V, V], V],
                  power: Callable[[V, int], V], acc: Table) -> None:
        self._spend(len(items) * len(multisets))
        for (v, f), c in items.items():
            pv = power(v, k)
            for (w, g), d in multisets.items():
                key = (combine(pv, w), f | g)
                acc[key] = acc.get(key, 0) + weight * c * d

    def _spend(self, pairs: int) -> None:
        self.limits.check("counting classes")      # (between convolutions: one sub-multiset can take seconds)
        self.work += pairs
        self.limits.spend(pairs, self.max_work, "counting classes", (("use distinct='all'", "use --distinct all"),))

    def _self_negating(self, s: int) -> int:
        """Sums over `s` equal to their own negation: pairs {g, -g} of components and self-negating ones."""
        space = self.space
        acc = 0
        for b in space.splits(s) + [s]:
            size = space.size(b)
            single, paired = self._selfneg.get(b, 0), (self._all.get(b, 0) - self._selfneg.get(b, 0)) // 2
            k = 1
            while _fits(space, k, b, s):
                if single:
                    acc += size * single * self._mz[s - k * b]
                if k % 2 == 0 and paired:           # a pair {g, -g} takes two copies of b
                    acc += 2 * size * paired * self._mz[s - k * b]
                k += 1
        mz, r = divmod(acc, space.size(s))
        if r:
            raise AssertionError(f"Polya's formula left a remainder over {s}")
        self._mz[s] = mz
        return mz - self._selfneg[s]


_ANY = object()


def _minus(t: V, v: V) -> V:
    """The w with v + w == t."""
    return _plus(t, _neg(v))


def _over(t: V, v: V) -> object:
    """The w with v * w == t (_ANY when every w does, None when none does)."""
    if v == 0:
        return _ANY if t == 0 else None
    return _mul(t, _inv(v))


def _fits(space: Multisets, k: int, b: int, s: int) -> bool:
    """Is k copies of `b` a sub-multiset of `s`?"""
    return all(k * x <= y for x, y in zip(space.digits(b), space.digits(s)))


def _add(table: dict[Any, int], key: object, c: int) -> None:
    table[key] = table.get(key, 0) + c


def _positive_int(v: V) -> bool:
    return type(v) is int and v > 0


# --- values as ints or reduced (numerator, denominator > 1) pairs: they hash far faster than Fractions -----

def _value(x: Union[int, Fraction]) -> Value:
    x = Fraction(x)
    return x.numerator if x.denominator == 1 else (x.numerator, x.denominator)


def _fraction(v: Value) -> Union[int, Fraction]:
    return v if isinstance(v, int) else Fraction(*v)


def _ratio(p: int, q: int) -> Value:
    g = gcd(p, q)
    if q < 0:
        g = -g
    p, q = p // g, q // g
    return p if q == 1 else (p, q)


def _sign(v: V) -> int:
    x = v if isinstance(v, int) else cast(tuple[int, int], v)[0]      # never None: valued tables
    return (x > 0) - (x < 0)


def _neg(v: V) -> V:
    if v is None:
        return None
    return -v if isinstance(v, int) else (-v[0], v[1])


def _inv(v: V) -> V:
    if v is None:
        return None
    p, q = (v, 1) if isinstance(v, int) else v
    return _ratio(q, p)


def _plus(a: V, b: V) -> V:
    if a is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    p, q = (a, 1) if isinstance(a, int) else a
    r, s = (b, 1) if isinstance(b, int) else cast(tuple[int, int], b)       # valued: b is not None either
    return _ratio(p * s + r * q, q * s)


def _times(v: V, k: int) -> V:
    if v is None:
        return None
    return k * v if isinstance(v, int) else _ratio(k * v[0], v[1])


def _mul(a: V, b: V) -> V:
    if a is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    p, q = (a, 1) if isinstance(a, int) else a
    r, s = (b, 1) if isinstance(b, int) else cast(tuple[int, int], b)       # valued: b is not None either
    return _ratio(p * r, q * s)


def _pow(v: V, k: int) -> V:
    if v is None:
        return None
    if isinstance(v, int):
        power: int = v ** k
        return power
    return (v[0] ** k, v[1] ** k)      # coprime stays coprime
