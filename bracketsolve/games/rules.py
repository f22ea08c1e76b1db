"""The rules of a puzzle family as data: which numbers an answer uses, in what order, and what it may compute."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BracketError

NAMES = ("brackets", "24", "countdown")
SPELLINGS = ("brackets", "24", "24-tv", "countdown", "countdown-tv")


@dataclass(frozen=True)
class Rules:
    """What an answer may do with the puzzle's numbers.

    `name`: "brackets" (numbers and operators in the order given, only brackets added), "24" (every number
    exactly once, in any order, operators from `ops`) or "countdown" (any sub-multiset of the numbers, each
    at most once, in any order). `tv`: Countdown's TV rule, every intermediate result a positive integer
    (no fractions, no zero, no negatives); free-order rules only.

    >>> Rules("countdown", tv=True), str(Rules("24"))
    (Rules('countdown-tv'), '24')
    """

    name: str = "brackets"
    tv: bool = False

    def __post_init__(self) -> None:
        if self.name not in NAMES:
            raise BracketError(f"rules must be one of {', '.join(SPELLINGS)}, not {self.name!r}")
        if self.tv and self.name == "brackets":
            raise BracketError("the TV rule (-tv) applies to the free-order rules 24 and countdown")

    @property
    def free(self) -> bool:
        """True when the numbers may be used in any order (24, countdown)."""
        return self.name != "brackets"

    @property
    def every_number(self) -> bool:
        """True when an answer uses every number exactly once (brackets, 24); False for countdown."""
        return self.name != "countdown"

    def __str__(self) -> str:
        return self.name + ("-tv" if self.tv else "")

    def __repr__(self) -> str:
        return f"Rules({str(self)!r})"


def rules_of(spec: object) -> Rules:
    """`spec` as `Rules`: a `Rules`, or one of "brackets", "24", "24-tv", "countdown", "countdown-tv".

    Raises: `BracketError` for anything else.

    >>> rules_of("Countdown-TV")
    Rules('countdown-tv')
    """
    if isinstance(spec, Rules):
        return spec
    if not isinstance(spec, str):
        raise BracketError(f"rules must be one of {', '.join(SPELLINGS)} or a Rules, not {type(spec).__name__}")
    word = spec.strip().lower()
    tv = word.endswith("-tv")
    name = word[:-3] if tv else word
    if name not in NAMES:
        raise BracketError(f"rules must be one of {', '.join(SPELLINGS)}, not {spec!r}")
    return Rules(name, tv)
