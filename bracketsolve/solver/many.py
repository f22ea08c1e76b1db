"""Many puzzles at once: `solve_many` hands the small ones to the bulk kernel in chunks, the rest to `solve`.

Results come back in input order, as compact `Row`s or as `Result`s; a bad puzzle gives its error in
its place and never stops the batch.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice
from types import ModuleType
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Literal, Optional, Union, cast, overload

from ..engines.plan import ALL_LEVELS, ALL_SHAPES, every_level
from ..errors import BracketError
from .bracketings import Bracketing, Solution
from .model import Puzzle, Tree
from .limits import limits_for
from .result import Near, Result, Side
from .solve import BACKENDS, as_puzzle, solve
from .symbols import exact, normalize_ops

if TYPE_CHECKING:
    from ..engines.bulk import Batch, Code, Record, Solved

MANY_BACKENDS = BACKENDS + ("bulk",)
RESULTS = ("compact", "full")
CHUNK = 4096                # puzzles per kernel call
LISTED = 20                 # solutions the kernel lists for a full result when solve_many has no limit
MOST_LISTED = 100           # and at most, per puzzle (the reference engine lists any more, when asked)
RECORDS = 1 << 18           # rendered solutions one kernel call may hold: full results come in smaller chunks
MAX_TOTAL = ALL_LEVELS      # bracketings and tree shapes of one puzzle the bulk kernel takes (every table, as solve()
MAX_SHAPES = ALL_SHAPES     # builds them for such a puzzle, `plan.every_level`, so both list solutions in one order);
#                             bigger ones are worth solve() (the cost model answers them faster than every table)
BULK_MEMORY = 256 << 20     # a memory budget below this sends every puzzle to solve(), which accounts for it
NEAR, SHOWN = 3, 12         # for a full result without solution: values the kernel finds near the target, smallest

Answer = Union["Row", Result, BracketError]     # what solve_many yields per puzzle: a Row (compact), else a Result
#                                                 or the error


class Row:
    """One puzzle's compact result: `.count`, `.total`, `.undefined` (exact ints), `.first` (the first
    solution rendered, or None), `.tree` (its tree, or None), `.backend` ("bulk" or the engine `solve`
    used); for a bad puzzle `.error` (the `BracketError`) and None elsewhere.
    """

    __slots__ = ("count", "total", "undefined", "first", "error", "backend", "_tree", "_code")

    def __init__(self, count: Optional[int] = None, total: Optional[int] = None, undefined: Optional[int] = None,
                 first: Optional[str] = None, error: Optional[BracketError] = None, backend: Optional[str] = None,
                 tree: Optional[Tree] = None,
                 code: Optional[tuple[Solved, int]] = None) -> None:  # (kernel answers, puzzle number): the tree's
        self.count, self.total, self.undefined, self.first = count, total, undefined, first
        self.error, self.backend, self._tree, self._code = error, backend, tree, code

    @property
    def solvable(self) -> Optional[bool]:
        return None if self.error is not None else cast(int, self.count) > 0     # counted when not an error

    @property
    def tree(self) -> Optional[Tree]:
        """The first solution's tree (leaves are operand indices), decoded when first asked."""
        if self._tree is None and self._code is not None:
            from ..engines.bulk import tree

            solved, p = self._code
            self._tree = tree(cast("Code", solved.code(p)))       # a Row has a code when it has a solution
        return self._tree

    def __repr__(self) -> str:
        if self.error is not None:
            return f"Row(error={self.error.__class__.__name__}: {str(self.error).splitlines()[0]!r})"
        return f"Row(count={self.count}, total={self.total}, undefined={self.undefined}, first={self.first!r})"


class _Rendered:
    """A bracketing the kernel rendered: its text at once, its tree decoded from the kernel's code when asked."""

    __slots__ = ()              # a mixin: the slots are its subclasses' (and Bracketing's)
    puzzle: Puzzle
    values: tuple[Optional[Fraction], ...]
    _code: Code
    _text: str
    _trees: Optional[tuple[Tree, ...]]

    def __init__(self, puzzle: Puzzle, code: Code, value: Fraction, text: str) -> None:
        self.puzzle, self.values = puzzle, (value,)      # type: ignore[misc]  # Bracketing's slots
        self._code, self._text, self._trees = code, text, None  # type: ignore[misc]  # the subclasses' slots

    @property
    def trees(self) -> tuple[Tree, ...]:
        if self._trees is None:
            from ..engines.bulk import tree

            self._trees = (tree(self._code),)      # type: ignore[misc]  # the subclasses' slot
        return self._trees

    def __str__(self) -> str:
        return self._text


class _Shown(_Rendered, Solution):  # type: ignore[override]  # `trees`: read-only, decoded when asked
    """A solution the kernel listed."""

    __slots__ = ("_code", "_text", "_trees")


class _Witness(_Rendered, Bracketing):  # type: ignore[override]  # `trees`: read-only, decoded when asked
    """A bracketing the kernel found for a value near the target."""

    __slots__ = ("_code", "_text", "_trees")


class BulkResult(Result):
    """A `Result` answered by the bulk kernel: counts, the first solutions (up to the `limit` of `solve_many`,
    20 without one) and, when there is none, the values nearest the target and the smallest ones. Anything
    past that comes from the reference engine, built when first asked, in the same order.
    """

    def __init__(self, source: Union[str, Puzzle], target: Optional[Fraction], ops: Optional[str], count: int,
                 total: int, limit: Optional[int], solved: Solved, p: int, budget: dict[str, Any]) -> None:
        self._source, self._target, self._ops, self._budget = source, target, ops, budget
        self._puzzle = source if isinstance(source, Puzzle) else None
        self._read = (solved.batch, p) if isinstance(source, str) else None
        self._built: Optional[tuple[Side, ...]] = None
        self._sorted = None
        self.limit = limit
        self.count, self.total = count, total
        self.undefined = total - solved.defined[p]
        self.backend = "bulk"
        self._listed, self._near = solved.records(p)
        self._distinct = solved.distinct[p]
        self._smallest = solved.smallest(p) if self._distinct >= 0 else None

    @property                   # read-only here: parsed when first asked
    def puzzle(self) -> Puzzle:  # type: ignore[override]
        if self._puzzle is None:
            source = self._source
            if self._read is not None:          # a line the kernel read: no parsing again
                batch, p = self._read
                source = batch.puzzle(p, cast(str, source))
            self._puzzle = as_puzzle(source, target=self._target, ops=self._ops)
        return self._puzzle

    @property                   # read-only here: built when first asked
    def _engines(self) -> tuple[Side, ...]:  # type: ignore[override]
        if self._built is None:
            from ..engines.reference import PythonSide

            self._built = (PythonSide(self.puzzle.left, limits=limits_for(**self._budget)),)
        return self._built

    @property
    def first(self) -> Optional[Solution]:
        return next(self._solutions(), None)

    def _solutions(self) -> Iterator[Solution]:
        for value, _, text, code in self._listed:
            yield _Shown(self.puzzle, code, value, text)
        if self.count > len(self._listed):
            yield from islice(super()._solutions(), len(self._listed), None)

    def nearest(self, k: int = 3) -> list[Near]:
        if self._distinct < 0 or k > NEAR:
            return super().nearest(k)
        target = cast(Fraction, self.puzzle.target)     # the kernel takes puzzles with a target
        below = [row for row in self._near if row[0] < target][-k:]
        above = [row for row in self._near if row[0] > target][:k]
        return [Near(v, c, _Witness(self.puzzle, code, v, text)) for v, c, text, code in below + above]

    def _reach(self, shown: int) -> tuple[Optional[int], list[Fraction]]:
        if self._smallest is None or shown > SHOWN:
            return super()._reach(shown)
        return self._distinct, self._smallest[:shown]


@overload
def solve_many(puzzles: Iterable[Union[str, Puzzle]], *, target: object = None, ops: Optional[str] = None,
               limit: Optional[int] = None, backend: str = "auto", results: Literal["compact"] = ...,
               max_memory: Union[int, str, None] = None, max_work: Optional[int] = None,
               timeout: Optional[float] = None, chunk: int = CHUNK) -> Iterator[Row]: ...


@overload
def solve_many(puzzles: Iterable[Union[str, Puzzle]], *, target: object = None, ops: Optional[str] = None,
               limit: Optional[int] = None, backend: str = "auto", results: Literal["full"],
               max_memory: Union[int, str, None] = None, max_work: Optional[int] = None,
               timeout: Optional[float] = None, chunk: int = CHUNK) -> Iterator[Union[Result, BracketError]]: ...


@overload
def solve_many(puzzles: Iterable[Union[str, Puzzle]], *, target: object = None, ops: Optional[str] = None,
               limit: Optional[int] = None, backend: str = "auto", results: str = ...,
               max_memory: Union[int, str, None] = None, max_work: Optional[int] = None,
               timeout: Optional[float] = None, chunk: int = CHUNK) -> Iterator[Answer]: ...


def solve_many(puzzles: Iterable[Union[str, Puzzle]], *, target: object = None, ops: Optional[str] = None,
               limit: Optional[int] = None, backend: str = "auto", results: str = "compact",
               max_memory: Union[int, str, None] = None, max_work: Optional[int] = None,
               timeout: Optional[float] = None, chunk: int = CHUNK) -> Iterator[Answer]:
    """Solve many puzzles, paying Python's per-puzzle costs once per chunk instead of once per puzzle.

    Takes: an iterable of puzzle texts or `Puzzle`s (read lazily, `chunk` at a time), and the options of
    `solve` applied to each (`target`, `ops`, `limit`). `backend`: "bulk" hands every one-target puzzle
    of at most MAX_TOTAL (2**16) bracketings and MAX_SHAPES tree shapes (11 operands) to one kernel call per chunk (compiling the kernels first if need be;
    a BracketError without numba); "auto" (default) does the same once the kernels are compiled or in
    numba's cache (`bracketsolve warmup`), else calls `solve` for each; "python" and "numba" call
    `solve` with that engine for each puzzle. `results`: "compact" yields a `Row` per puzzle (counts and the first solution as text),
    "full" a `Result` (a `BulkResult` from the kernel), the same as `solve` gives.
    Budget (as `solve` takes it, for each puzzle; defaults from an enclosing `limits.budget(...)`):
    `max_work` (value pairs, tables and target questions as the reference engine counts them): when given,
    every puzzle goes to `solve`, which says when a puzzle needs more;
    `timeout` (seconds for each puzzle `solve` answers: the kernel's take microseconds each);
    `max_memory`: the kernel's tables for one puzzle may take half of it (a puzzle that needs more goes to
    `solve`, which accounts for it); below BULK_MEMORY every puzzle goes to `solve`.
    Returns: an iterator, one item per puzzle in input order; for a puzzle that `solve` would refuse
    (bad text, no target, too large) a `Row` with `.error` (compact) or the `BracketError` itself (full).
    Counts, totals, undefined counts and solutions are exactly `solve(puzzle, backend="python")`'s,
    its first solution included; puzzles with both sides free or past the kernel's size, and any whose
    arithmetic leaves int64, are passed to `solve`.
    Raises: `BracketError` for bad options (at the call, before any puzzle is read).

    >>> [row.first for row in solve_many(["8 + 28 / 4 - 2 * 3 = 6", "1 + 2 = 4"])]
    ['(8 + 28) / ((4 - 2) * 3)', None]
    >>> row = next(solve_many(["8 + * 2 = 10"]))
    >>> row.error.code, row.count
    ('two_operators', None)
    """
    if backend not in MANY_BACKENDS:
        raise BracketError(f"backend must be one of {', '.join(MANY_BACKENDS)}, not {backend!r}")
    if results not in RESULTS:
        raise BracketError(f"results must be one of {', '.join(RESULTS)}, not {results!r}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise BracketError(f"limit must be a non-negative int, not {limit!r}")
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise BracketError(f"chunk must be a positive int, not {chunk!r}")
    goal = None if target is None else exact(target)
    ops = None if ops is None else normalize_ops(ops)
    budget: dict[str, Any] = {"max_memory": max_memory, "max_work": max_work, "timeout": timeout}
    limits = limits_for(**budget)                   # the options checked here, once; the context's defaults
    engine: Optional[ModuleType] = None
    if backend in ("auto", "bulk"):
        try:
            from ..engines import bulk
        except ImportError as error:
            if backend == "bulk":
                raise BracketError(f"backend='bulk' needs numba and numpy: {error}") from error
        else:
            engine = bulk
            if backend == "auto" and not bulk.compiled():
                engine = None           # compiling first (a minute) pays only over many batches: `warmup` does it
            elif limits.max_memory is not None and limits.max_memory < BULK_MEMORY:
                engine = None
            elif limits.max_work is not None:
                engine = None           # the reference engine's work also counts its target questions, which the
                                        # kernel (every split, no questions) cannot count the same way
    job = _Job(goal, ops, limit, backend, results == "full", engine, budget, limits.max_work,
               limits.budget // 2 if engine is not None else 0)
    return _chunks(iter(puzzles), job, max(1, min(chunk, RECORDS // max(1, job.listed))))


class _Job:
    """The options of one `solve_many` call, and how to answer one puzzle through `solve`."""

    def __init__(self, target: Optional[Fraction], ops: Optional[str], limit: Optional[int], backend: str, full: bool,
                 engine: Optional[ModuleType], budget: dict[str, Any], max_work: Optional[int],
                 max_bytes: int) -> None:            # engine: engines.bulk, or None to call `solve` for each
        self.target, self.ops, self.limit, self.backend, self.full, self.engine = target, ops, limit, backend, full, \
            engine
        self.budget, self.max_work, self.max_bytes = budget, max_work, max_bytes
        self.solve_backend = "auto" if backend == "bulk" else backend

    def one(self, puzzle: Union[str, Puzzle, BracketError]) -> Answer:
        """The answer of `solve` for one puzzle (text, a `Puzzle`, or a `BracketError` already raised)."""
        try:
            if isinstance(puzzle, BracketError):
                raise puzzle
            parsed = as_puzzle(puzzle, target=self.target, ops=self.ops)
            backend = self.solve_backend
            if backend == "auto" and parsed.total() <= MAX_TOTAL and all(map(every_level, parsed.free_sides)):
                backend = "python"          # what the kernel would have answered: the reference engine's order
            result: Result = solve(parsed, limit=self.limit, backend=backend, **self.budget)
        except BracketError as error:
            return error if self.full else Row(error=error)
        if self.full:
            return result
        first = result.first
        return Row(result.count, result.total, result.undefined, None if first is None else str(first),
                   backend=result.backend, tree=None if first is None else first.tree)

    def takes(self, solved: Solved, p: int) -> bool:
        """Did the kernel answer puzzle p, within the work budget as the reference engine counts it?"""
        if solved.status[p] != cast(ModuleType, self.engine).SOLVED:
            return False
        if self.max_work is None:
            return True
        needs: int = solved.work[p] + (solved.rootwork[p] if self.full and not solved.count[p] else 0)
        return needs <= self.max_work

    def kernel(self, solved: Solved, p: int, source: Union[str, Puzzle]) -> Answer:
        """The answer for puzzle p of a solved batch."""
        count, total = solved.count[p], solved.total[p]
        if self.full:
            return BulkResult(source, self.target, self.ops, count, total, self.limit, solved, p, self.budget)
        return Row(count, total, total - solved.defined[p], solved.first[p], backend="bulk",
                   code=None if count == 0 else (solved, p))

    def solve(self, batch: Batch, todo: list[int]) -> Solved:
        """The kernel's answers for the puzzles `todo` of a batch: for full results, up to the limit's
        solutions and the values near the target of those with none; else the first solution only."""
        if not self.full:
            return batch.solve(todo, max_bytes=self.max_bytes)
        return batch.solve(todo, listed=self.listed, near=NEAR, shown=SHOWN, max_bytes=self.max_bytes)

    @property
    def listed(self) -> int:
        """Solutions the kernel lists per puzzle."""
        if not self.full:
            return 1
        return LISTED if self.limit is None else min(self.limit, MOST_LISTED)


def _chunks(puzzles: Iterator[Union[str, Puzzle]], job: _Job, size: int) -> Iterator[Answer]:
    while True:
        items = list(islice(puzzles, size))
        if not items:
            return
        if job.engine is None:
            yield from map(job.one, items)
        else:
            yield from _bulk(items, job)


def _bulk(items: list[Union[str, Puzzle]], job: _Job) -> list[Answer]:
    """The answers for one chunk: texts read by the kernel where it can, everything it can take solved in one
    kernel call, the rest through `solve`."""
    engine = cast(ModuleType, job.engine)          # `_chunks` calls this only with one
    batch = engine.Batch()
    texts = [(i, x) for i, x in enumerate(items) if isinstance(x, str)]
    kinds = batch.read([x for _, x in texts]).tolist() if texts else []
    number: dict[int, int] = {}                     # item index -> puzzle number in the batch
    for p, ((i, _), kind) in enumerate(zip(texts, kinds)):
        if kind == engine.PLAIN or (kind == engine.NO_EQUALS and job.target is not None):
            number[i] = p
    if number and job.target is not None and not engine.fits(job.target):
        number.clear()
    read = list(number.values())
    if read and job.target is not None:
        batch.retarget(read, job.target)
    if read and job.ops is not None:
        batch.narrow(engine.mask_of(job.ops))
    answers: list[Optional[Answer]] = [None] * len(items)
    sources: list[Union[str, Puzzle]] = list(items)
    for i, x in enumerate(items):                   # the rest: parsed here, then the kernel's if it takes them
        if i in number or not isinstance(x, (str, Puzzle)):
            continue
        try:
            puzzle = as_puzzle(x, target=job.target, ops=job.ops)
        except BracketError as error:
            answers[i] = error if job.full else Row(error=error)
            continue
        sources[i] = puzzle
        if engine.Batch.takes(puzzle):
            number[i] = batch.add(puzzle)
    try:
        solved = job.solve(batch, sorted(number.values())) if number else None
    except MemoryError:             # the system had less than the budget said: the chunk goes to solve(), which
        solved = None               # accounts for its memory puzzle by puzzle
        number.clear()
    for i, x in enumerate(items):
        if answers[i] is None:
            q = number.get(i)
            done = q is not None and solved is not None and job.takes(solved, q)
            answers[i] = job.kernel(cast("Solved", solved), cast(int, q), sources[i]) if done else job.one(x)
    return cast(list[Answer], answers)              # every item answered
