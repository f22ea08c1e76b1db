"""A reasoning-gym procedural dataset of bracket puzzles: `BracketPuzzleConfig`, `BracketPuzzleDataset`, registered
as "bracket_puzzle" when reasoning-gym is importable; scoring is bracketsolve's exact `score`.

    >>> from bracketsolve.adapters.reasoning_gym import BracketPuzzleConfig, BracketPuzzleDataset
    >>> data = BracketPuzzleDataset(BracketPuzzleConfig(seed=42, size=3))
    >>> entry = data[0]
    >>> data.score_answer(entry["answer"], entry), data.score_answer("8 + 1", entry)
    (1.0, 0.0)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import BracketError
from ..evaluation.generate import KINDS, MAX_OPERANDS, QUESTIONS, generate
from ..evaluation.grade import score
from ..evaluation.spans import after_prompt

DATASET_NAME = "bracket_puzzle"

try:
    from reasoning_gym.dataset import ProceduralDataset as _Base
    from reasoning_gym.factory import register_dataset as _register
except ImportError:             # the dataset still works alone, with the same interface
    _register = None

    class _Base:  # type: ignore[no-redef]  # the same interface, when reasoning-gym is not installed
        """reasoning-gym's ProceduralDataset interface: a config, a seed, a size, indexing and iteration."""

        def __init__(self, config: Any, seed: Optional[int] = None, size: int = 500) -> None:
            if hasattr(config, "validate"):
                config.validate()
            self.config = config
            self.size = size
            self.seed = seed if seed is not None else random.Random().randint(0, 2**32)

        def __len__(self) -> int:
            return self.size

        def __iter__(self) -> _Base:
            self._current_idx = 0
            return self

        def __next__(self) -> dict[str, Any]:
            if self._current_idx >= self.size:
                raise StopIteration
            item: dict[str, Any] = self[self._current_idx]  # type: ignore[index]  # the subclass's __getitem__
            self._current_idx += 1
            return item


@dataclass
class BracketPuzzleConfig:
    """The knobs of `bracketsolve.generate`, in reasoning-gym's config style (`seed` and `size` included).

    `min_operands`..`max_operands`: each entry draws its operand count from (seed, idx).
    """

    min_operands: int = 5
    max_operands: int = 6
    min_value: int = 1
    max_value: int = 30
    operators: tuple[str, ...] = ("+", "-", "*", "/")
    kind: str = "unique"
    min_depth: int = 1
    lang: str = "en"
    seed: Optional[int] = None
    size: int = 500

    def validate(self) -> None:
        """Raises `BracketError` (a ValueError, not an assert) for a bad knob."""
        for name in ("min_operands", "max_operands", "min_value", "max_value", "min_depth", "size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise BracketError(f"{name} must be a non-negative int, not {value!r}")
        if not 2 <= self.min_operands <= self.max_operands <= MAX_OPERANDS:
            raise BracketError(f"need 2 <= min_operands <= max_operands <= {MAX_OPERANDS}")
        if self.min_value > self.max_value:
            raise BracketError("min_value is greater than max_value")
        if self.kind not in KINDS or self.lang not in QUESTIONS:
            raise BracketError(f"kind must be one of {', '.join(KINDS)} and lang one of {', '.join(QUESTIONS)}")
        if self.min_depth > max(0, self.min_operands - 2):
            raise BracketError(f"min_depth {self.min_depth} is out of reach with {self.min_operands} operands")
        if not self.operators or any(op not in "+-*/" for op in self.operators):
            raise BracketError(f"operators must be a non-empty subset of + - * /, not {self.operators!r}")


class BracketPuzzleDataset(_Base):  # type: ignore[misc]  # reasoning-gym's base is untyped (Any)
    """Entry idx is `generate(...)`'s entry idx for (seed, idx): {question, answer, metadata} with
    reasoning-gym's `source_dataset`, `source_index` and `difficulty` added to the metadata."""

    def __init__(self, config: BracketPuzzleConfig) -> None:
        super().__init__(config=config, seed=config.seed, size=config.size)

    def __getitem__(self, idx: int) -> dict[str, Any]:
        c = self.config
        operands = c.min_operands + random.Random(f"{self.seed}:{idx}:operands").randrange(
            c.max_operands - c.min_operands + 1)
        entry = next(generate(1, start=idx, seed=self.seed, operands=operands, numbers=(c.min_value, c.max_value),
                              ops="".join(c.operators), kind=c.kind, min_depth=c.min_depth, lang=c.lang))
        entry["metadata"].update(source_dataset=DATASET_NAME, source_index=idx, difficulty={
            "operands": (c.min_operands, c.max_operands), "value": (c.min_value, c.max_value),
            "min_depth": c.min_depth})
        return entry

    def score_answer(self, answer: Optional[str], entry: dict[str, Any]) -> float:
        """1.0 when bracketsolve's exact grader accepts the answer (or a correct claim of no solution), else 0.0.

        An answer that is a whole transcript is graded after its last assistant marker (`spans.after_prompt`),
        and after the entry's question when it is quoted back: an answer in the prompt is never paid."""
        if isinstance(answer, str):
            answer = after_prompt(answer)
            question = entry.get("question") if isinstance(entry, dict) else None
            if isinstance(question, str) and question.strip() and question in answer:
                answer = answer[answer.rfind(question) + len(question):]
        return score(answer, entry)


if _register is not None:
    try:
        _register(DATASET_NAME, BracketPuzzleDataset, BracketPuzzleConfig)
    except ValueError:          # registered already (the module was loaded twice under two names)
        pass
