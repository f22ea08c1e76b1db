"""Generate bracket puzzles for evaluating reasoning models: one solution up to equivalence, solvable,
or unsolvable next to reachable values; as deep as asked; entry `i` reproducible from (seed, i) alone.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Iterator, Optional, Union, cast

from ..errors import BracketError
from ..solver.symbols import exact, normalize_ops
from .batch import Drawn, kernel_entries
from .candidates import Candidate, Offer, offer
from .formats import Entry
from .plans import Ops, Value, _evaluate, _plan, _ratio, _shapes, _tree

if TYPE_CHECKING:
    import numpy as np

__all__ = ["KINDS", "MAX_INDEX", "MAX_OPERANDS", "QUESTIONS", "check_range", "check_seed", "generate", "_evaluate", "_plan", "_shapes", "_tree"]

KINDS = ("unique", "solvable", "unsolvable", "any")
MAX_OPERANDS = 10           # 4,862 bracketings each; every one is evaluated per try
TRIES = 1000                # draws per entry before giving up
PLACES = 2                  # with decimals=True: operands have one decimal place, targets at most two
BACKENDS = ("auto", "python", "numba")
CHUNK = 512                 # entries drawn together, one kernel call per round of draws
KERNEL_FROM = 50_000        # "auto" compiles the batch kernel (20 s or more, once: it is cached on disk) for
                            # this many entries; fewer run in Python unless it is compiled or cached already
LOAD_FROM = 200             # "auto" loads numba (about 0.5 s) to look for the compiled kernel from this many
INT64 = 2**63 - 1
MAX_INDEX = INT64           # start + count at most this: an entry's index is an int64 in Parquet and the kernels

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


# --- the knobs ----------------------------------------------------------------------------------------

FILTERS = ("min_effort", "max_effort", "min_solutions", "max_solutions", "min_near")


class _Options:
    """The validated knobs of one `generate` call."""

    def __init__(self, operands: int, numbers: object, ops: str, kind: str, min_depth: int, lang: str,
                 decimals: bool, negatives: bool, target: object, template: Optional[str],
                 filters: dict[str, Optional[int]]) -> None:
        if isinstance(operands, bool) or not isinstance(operands, int) or not 2 <= operands <= MAX_OPERANDS:
            raise BracketError(f"operands must be an int from 2 to {MAX_OPERANDS}, not {operands!r}")
        if kind not in KINDS:
            raise BracketError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        _whole("min_depth", min_depth)
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
        for name, value in filters.items():
            if value is not None:
                _whole(name, value)
        self.operands, self.kind, self.min_depth, self.lang = operands, kind, min_depth, lang
        self.lo, self.hi = int(lo), int(hi)
        self.ops = normalize_ops(ops)
        self.decimals, self.negatives = bool(decimals), bool(negatives)
        self.target: Optional[tuple[Fraction, Fraction]] = None if target is None else _pair(target, "target")
        self.template = template or QUESTIONS[lang]
        self.question = self.template.format(puzzle="\0").split("\0")     # text.join(...) fills in the puzzle
        self.step: Value = (1, 10) if self.decimals else 1
        self.filters = {name: filters.get(name) for name in FILTERS}
        f = self.filters
        self.min_effort, self.max_effort = f["min_effort"] or 0, f["max_effort"]
        self.min_solutions, self.max_solutions = f["min_solutions"] or 0, f["max_solutions"]
        self.min_near = f["min_near"] or 0

    def target_ok(self, v: Value) -> bool:
        """May `v` be shown as a target: whole (or a short decimal), signed as allowed, within range?"""
        num, den = (v, 1) if isinstance(v, int) else v
        if num < 0 and not self.negatives:
            return False
        if den != 1 and (not self.decimals or (10 ** PLACES) % den):
            return False
        if self.target is None:
            return True
        lo, hi = self.target
        return lo.numerator * den <= num * lo.denominator and num * hi.denominator <= hi.numerator * den

    def keep(self, c: Candidate) -> bool:
        """Do a candidate's figures pass the effort, solution-count and near-miss filters?"""
        return (self.min_effort <= c.effort and (self.max_effort is None or c.effort <= self.max_effort)
                and self.min_solutions <= c.solutions
                and (self.max_solutions is None or c.solutions <= self.max_solutions)
                and c.near_1 >= self.min_near)

    def kernel_options(self) -> Optional[np.ndarray]:
        """The knobs as the batch kernel's int64 array, or None when a bound does not fit in int64."""
        import numpy as np

        from ..engines.kernels import generate as K

        bounds = [self.hi * 10] + [abs(x.numerator) for x in self.target or ()] + \
                 [x.denominator for x in self.target or ()] + [v for v in self.filters.values() if v is not None]
        if max(bounds) > INT64 // 4:
            return None
        lo, hi = self.target or (Fraction(0), Fraction(0))
        opt = np.zeros(K.O_COUNT, dtype=np.int64)
        opt[K.O_KIND] = KINDS.index(self.kind)
        opt[[K.O_MIN_DEPTH, K.O_NEGATIVES, K.O_DECIMALS]] = self.min_depth, self.negatives, self.decimals
        opt[[K.O_HAS_LO, K.O_LO_N, K.O_LO_D]] = self.target is not None, lo.numerator, lo.denominator
        opt[[K.O_HAS_HI, K.O_HI_N, K.O_HI_D]] = self.target is not None, hi.numerator, hi.denominator
        opt[[K.O_STEP_N, K.O_STEP_D]] = (1, 10) if self.decimals else (1, 1)
        opt[[K.O_MIN_EFFORT, K.O_MAX_EFFORT]] = self.min_effort, -1 if self.max_effort is None else self.max_effort
        opt[[K.O_MIN_SOLUTIONS, K.O_MAX_SOLUTIONS]] = (self.min_solutions,
                                                       -1 if self.max_solutions is None else self.max_solutions)
        opt[K.O_MIN_NEAR] = self.min_near
        return opt

    def draw(self, rng: random.Random) -> tuple[list[Value], Ops]:
        """Operands (ints, or pairs for decimals) and the operator of each slot: what `rng.randint` and
        `rng.choice` draw, inlined (a uniform draw below w takes w.bit_length() random bits until they are < w)."""
        bits, lo, width = rng.getrandbits, self.lo, self.hi - self.lo + 1
        if self.decimals:
            lo, width = lo * 10, width * 10 - 9
        k = width.bit_length()
        numbers: list[Value] = []
        for _ in range(self.operands):
            x = bits(k)
            while x >= width:
                x = bits(k)
            x += lo
            number = _ratio(x, 10) if self.decimals else x
            if self.negatives and rng.random() < 0.25:
                number = -number if isinstance(number, int) else (-number[0], number[1])
            numbers.append(number)
        ops, count = self.ops, len(self.ops)
        k = count.bit_length()
        chosen: list[str] = []
        for _ in range(self.operands - 1):
            x = bits(k)
            while x >= count:
                x = bits(k)
            chosen.append(ops[x])
        return numbers, tuple(chosen)


def _whole(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BracketError(f"{name} must be a non-negative int, not {value!r}")


def _pair(value: object, name: str) -> tuple[Fraction, Fraction]:
    try:
        a, b = cast(tuple[object, object], value)       # anything else raises TypeError or ValueError here
        lo, hi = exact(a), exact(b)
    except (TypeError, ValueError):
        raise BracketError(f"{name} must be a pair (lo, hi) of ints or exact numbers, not {value!r}") from None
    if lo > hi:
        raise BracketError(f"{name}: lo {lo} is greater than hi {hi}")
    return lo, hi


# --- entries --------------------------------------------------------------------------------------------

def _entries(options: _Options, seed: object, start: int, count: int, backend: str) -> Iterator[Entry]:
    """Entries start..start+count-1; entry i from its own random.Random(f"{seed}:{i}"), a chunk at a time in the
    kernel (its Mersenne Twister is Python's, bit for bit), or one at a time in Python."""
    for first in range(start, start + count, CHUNK):
        indices = range(first, min(first + CHUNK, start + count))
        made = kernel_entries(options, seed, indices, TRIES) if backend == "numba" else None
        for p, index in enumerate(indices):
            result = "python" if made is None else made[p]
            if result == "python":
                yield _python_entry(options, seed, index)
            elif isinstance(result, str):             # "failed"
                raise _failed(options, index)
            else:
                yield _build(options, seed, index, result.numbers, result.ops, result.candidate, result)


def _python_entry(options: _Options, seed: object, index: int) -> Entry:
    """Entry `index` in pure Python: draw until a draw offers candidates, then pick one as rng.choice does."""
    rng = random.Random(f"{seed}:{index}")
    for _ in range(TRIES):
        numbers, ops = options.draw(rng)
        found = offer(options, numbers, ops)
        pool = found.candidates
        if pool:
            pick = rng._randbelow(len(pool))  # type: ignore[attr-defined]  # rng.choice's own draw, not in the stubs
            return _build(options, seed, index, numbers, ops, pool[pick], found)
    raise _failed(options, index)


def _failed(options: _Options, index: int) -> BracketError:
    return BracketError(f"entry {index}: no {options.kind} puzzle with these options in {TRIES} draws; widen "
                        "numbers or target, or relax min_depth and the filters")


def _literal(x: Value) -> str:
    """An operand or target as a literal: 6, -2.5, 0.25."""
    return str(x) if isinstance(x, int) else _decimal(Fraction(*x))


def _decimal(x: Union[int, Fraction]) -> str:
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


def _text(v: Value) -> str:
    """A value as exact text: "6", "-7/2"."""
    return str(v) if isinstance(v, int) else f"{v[0]}/{v[1]}"


def _build(options: _Options, seed: object, index: int, numbers: list[Value], ops: Ops, c: Candidate,
           offer: Union[Offer, Drawn]) -> Entry:
    literals = [str(x) if type(x) is int else _literal(x) for x in numbers]
    value = c.value
    whole = type(value) is int
    plan = _plan(ops)
    text = plan[6].format(*literals, str(value) if whole else _literal(value))
    total = len(plan[1])
    solved = c.solutions > 0
    metadata: dict[str, Any] = {
        "puzzle": text, "target": _text(value), "numbers": literals,
        "ops": "".join(ops), "solutions": c.solutions, "classes": c.classes,
        "min_depth": c.min_depth if solved else None, "total": total, "kind": options.kind, "seed": seed,
        "index": index, "lang": options.lang, "rules": "brackets", "min_pairs": c.min_pairs if solved else None,
        "fraction": _text(_ratio(c.solutions, total)), "undefined": offer.undefined, "values": offer.values,
        "near_1": c.near_1, "near_1pct": c.near_1pct, "effort": c.effort,
    }
    if solved:
        answer = plan[5][c.best].format(*literals)
    else:
        answer = NO_SOLUTION[options.lang]
        metadata["nearest"] = [_text(v) for v in (c.below, c.above) if v is not None]
    return {"question": text.join(options.question), "answer": answer, "metadata": metadata}


def generate(count: int, *, operands: int, numbers: object = (1, 30), ops: str = "+-*/", kind: str = "unique",
             min_depth: int = 0, seed: object = 0, lang: str = "en", decimals: bool = False, negatives: bool = False,
             target: object = None, start: int = 0, template: Optional[str] = None, min_effort: Optional[int] = None,
             max_effort: Optional[int] = None, min_solutions: Optional[int] = None,
             max_solutions: Optional[int] = None, min_near: Optional[int] = None,
             backend: str = "auto") -> Iterator[Entry]:
    """Yield `count` puzzle entries {question, answer, metadata}, entry i depending only on (seed, i).

    Takes: `operands` (2 to 10) per puzzle; operand magnitudes drawn from `numbers` = (lo, hi); each slot's
    operator drawn from `ops`; `kind`: "unique" (exactly one solution up to equivalence, see forms.py),
    "solvable", "unsolvable" (the target is one step from a reachable value, yet unreachable) or "any";
    `min_depth`: the shallowest solution nests brackets at least this deep ((8 + 28) / ((4 - 2) * 3) has
    depth 2); `decimals` (operands with one decimal place), `negatives` (some operands and targets
    negative), `target` = (lo, hi) bounds on the target; `lang` "en" or "zh"; `template` a question with
    "{puzzle}"; `start` the first index (for shards); filters on the exact difficulty (difficulty.py):
    `min_effort`/`max_effort` (states of the canonical search), `min_solutions`/`max_solutions`
    (bracketings that work), `min_near` (reachable values within 1 of the target); `backend` "auto",
    "python" or "numba" (the batch kernel; the entries are the same whichever runs).
    Returns: an iterator of dicts; `answer` is the shallowest solution, or the no-solution answer that
    `grade` scores 1.0; `metadata` has puzzle, target (a rational as text), numbers, ops, solutions,
    classes, min_depth, total, kind, seed, index, lang, the difficulty figures (rules, min_pairs, fraction,
    undefined, values, near_1, near_1pct, effort), and for unsolvable puzzles the nearest values.
    Raises: `BracketError` (a ValueError) for bad options, or when no puzzle fits after many draws.

    >>> entry = next(generate(1, operands=5, min_depth=2, seed=7))
    >>> entry["metadata"]["classes"], entry["metadata"]["min_depth"] >= 2
    (1, True)
    """
    check_range(count, start)
    check_seed(seed)
    if backend not in BACKENDS:
        raise BracketError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    filters = dict(min_effort=min_effort, max_effort=max_effort, min_solutions=min_solutions,
                   max_solutions=max_solutions, min_near=min_near)
    options = _Options(operands, numbers, ops, kind, min_depth, lang, decimals, negatives, target, template,
                       filters)
    if backend == "auto":
        import sys

        loaded = "bracketsolve.engines.kernels.entries" in sys.modules
        backend = "numba" if count >= KERNEL_FROM or ((loaded or count >= LOAD_FROM) and _kernel_ready()) \
            else "python"
    return _entries(options, seed, start, count, backend)


def check_range(count: object, start: object) -> None:
    """Refuse a count or start that is not a non-negative int, or indices past MAX_INDEX."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise BracketError(f"count must be a non-negative int, not {count!r}")
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise BracketError(f"start must be a non-negative int, not {start!r}")
    if start + count > MAX_INDEX:
        raise BracketError("start + count must be at most 2**63 - 1 (an entry's index is an int64 in data sets "
                           "and the batch kernel)")


def check_seed(seed: object) -> None:
    """Refuse a seed that cannot be written as text (entry i is seeded with f"{seed}:{i}")."""
    try:
        f"{seed}"
    except ValueError:
        raise BracketError("seed is an int too long to write as text (past Python's digit limit): pass its "
                           "digits as a str") from None


def _kernel_ready() -> bool:
    """True when the batch kernel needs no compiling: compiled in this process, or in numba's disk cache."""
    import os

    from .batch import kernel

    K = kernel()
    if K is None:
        return False
    if getattr(K.entries, "overloads", None):
        return True
    cache = getattr(K.entries, "_cache", None)
    index = getattr(getattr(cache, "_cache_file", None), "_index_path", None)
    return cache is None or (index is not None and os.path.exists(index))
