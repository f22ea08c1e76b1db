"""A whole side's values in increasing order as text ("-7/2") with their counts, for `bracketsolve --values`:
read from the numba engine's reduced int64 pairs, sorted in place, without a Fraction per value.

`values()` keeps returning {Fraction: count}; this is the same table, rendered as `format_value` renders it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ..solver.model import Value, format_value

if TYPE_CHECKING:
    from ..solver.limits import Limits
    from ..solver.result import Side
    from .fast import NumbaSide

Listing = tuple[list[str], list[int]]   # (values as text, increasing; their counts), like (["-1", "7/2"], [2, 1])

TEXT_BYTES = 150                        # budget: one value's text, its count and two list slots (about 120)


def _text(v: Value) -> str:
    """`format_value(v)` of a table value (an int, or a Fraction in lowest terms), without a new Fraction."""
    if isinstance(v, int) or v.denominator == 1:
        return str(v.numerator)
    return f"{v.numerator}/{v.denominator}"


def listing(side: Side) -> Listing:
    """(texts, counts) of every value the side reaches, increasing; each text is `format_value`'s.

    Takes: an engine's side (`solve.engine_for(..., root=True)`). Returns: two lists of equal length.
    Raises: `TooLargeError` past the memory budget (the texts are reserved first).

    >>> from bracketsolve import parse
    >>> from bracketsolve.engines.reference import PythonSide
    >>> listing(PythonSide(parse("1 / 2 - 3 * 4").left))
    (['-23/2', '-10', '-4', '-1/4', '-1/10'], [1, 1, 1, 1, 1])
    """
    if side.name == "numba":
        return _from_arrays(cast("NumbaSide", side))
    root = side.values_raw()
    limits: Limits = getattr(side, "limits")        # every engine's side has its budget (Side does not say so)
    limits.reserve(len(root) * TEXT_BYTES, "the list of this puzzle's values as text")
    ordered = sorted(root.items())
    return [_text(v) for v, _ in ordered], [c for _, c in ordered]


def _from_arrays(side: NumbaSide) -> Listing:
    """The numba engine's root table sorted exactly by its kernel, rendered from the int64 pairs; a table with
    values past int64 (a big part, kept as Python numbers) goes through `values()` instead."""
    from . import kernels as K

    root = side.values_raw()
    side.limits.reserve(len(root) * TEXT_BYTES, "the list of this puzzle's values as text")
    if root._only_big or root._also_big:
        table = side.values()
        return [format_value(v) for v in table], list(table.values())
    start, _, stop = root._bounds
    at = K.order(side.tn, side.td, start, stop)
    counts = side._residues.column(side.tc0[at], side.tcx[at])
    texts = [str(n) if d == 1 else f"{n}/{d}" for n, d in zip(side.tn[at].tolist(), side.td[at].tolist())]
    return texts, counts
