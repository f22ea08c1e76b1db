"""How backend="auto" picks an engine: the Python engine first, handing over to the numba engine once the work
ahead is big enough that numba, loading or compiling its kernels included, will finish first.

The number of operands says little about the work (18 two-digit operands took 1.4 s in Python, 12 `?` slots
45 s): the plan's cost model does. Before each level of tables the Python engine knows that level's cost
exactly (`plan.level_pairs`) and estimates the questions after it (`plan.query_work`, within about 2x); the
chooser turns them into seconds at the rate measured so far and hands over when numba would win. When the
kernels are not compiled, a child process compiles them (into numba's cache) while the Python engine goes on,
and the numba engine takes over once they are ready, if it still pays. Figures: benchmarks/auto.py
(docs/performance.md, "What auto chooses").
"""

from __future__ import annotations

import glob
import hashlib
import os
import subprocess
import sys
import time
from functools import lru_cache
from typing import Optional

from ..engines import plan
from ..engines.reference import PythonSide
from .limits import Handover, Limits
from .model import Expr, Value

START_SECONDS = 2.0     # importing numba and loading the cached kernels in a fresh process (measured 1.8-2.6 s)
LOAD_SECONDS = 0.5      # loading the cached kernels once numba is imported
SPEEDUP = 20            # the numba engine does the same work at least this much faster (measured 20-100x)
MARGIN = 1.25           # hand over only when the Python engine's predicted time left is this much longer
COMPILE_SECONDS = 20.0  # compiling the kernels takes at least this (measured 20 s idle, 80 s loaded): with less
                        # Python work left, a child compiling would only slow the Python engine down
FIRST_LOOK = 0.3        # seconds of Python work before the first prediction (cheap puzzles never look)
_CHILD: list[Optional[subprocess.Popen[bytes]]] = []     # the background compile started by this process, if any


class Chooser:
    """When the Python engine should hand over: asked by `WatchedSide` before each level and during questions."""

    def __init__(self, root: bool = False) -> None:
        self.root = root                            # every level will be built (values()), not questions
        self.started = time.monotonic()
        self.questions: Optional[tuple[float, float]] = None     # (when the questions began, their estimated pairs)
        self.last_level = 0.0                       # the pairs of the level built last

    def level(self, side: PythonSide, length: int) -> None:
        """Before building the tables of `length` operands: raise Handover when numba should take over."""
        expr, n = side.expr, side.expr.size
        sizes = {(i, j): len(t) for i, row in enumerate(side.table) for j, t in enumerate(row) if t is not None}
        cost = plan.level_pairs(expr, sizes, length)
        if self.root:                               # every level to the whole side's, growing as the last did
            growth = min(50.0, max(1.5, cost / self.last_level)) if self.last_level else 4.0
            ahead: float
            step: float
            ahead, step = cost, cost
            for _ in range(length + 1, n + 1):
                step *= growth
                ahead += step
        else:                                       # this level, then at most the questions without it
            ahead = cost + plan.QUESTION_WEIGHT * plan.query_work(expr, sizes, length - 1)
        self.last_level = cost
        self._decide(side.work, ahead)

    def asking(self, side: PythonSide) -> None:
        """During the questions (every 1024 new ones): raise Handover when numba should take over."""
        now = time.monotonic()
        if self.questions is None:
            n = side.expr.size
            sizes = {(i, j): len(t) for i, row in enumerate(side.table) for j, t in enumerate(row) if t is not None}
            self.questions = now, plan.QUESTION_WEIGHT * plan.query_work(side.expr, sizes, side.built) if \
                side.built < n else 0.0
        began, estimate = self.questions
        spent = now - self.started
        if spent < FIRST_LOOK or not side.work:
            return
        rate = side.work / max(1e-9, began - self.started) if began > self.started else side.work / spent
        asked = now - began
        left = max(estimate / rate - asked, asked)  # past the estimate: as long again (doubling)
        self._hand_over(left, (side.work + estimate) / rate)

    def _decide(self, work: float, ahead: float) -> None:
        spent = time.monotonic() - self.started
        if spent < FIRST_LOOK or not work:
            return
        rate = work / spent                         # pairs a second, in this process, as loaded as it is
        self._hand_over(ahead / rate, (work + ahead) / rate)

    def _hand_over(self, python_left: float, python_total: float) -> None:
        """Raise Handover when numba, starting now, finishes well before the Python engine's `python_left`."""
        numba = python_total / SPEEDUP + _start_seconds()
        if python_left > MARGIN * numba and _numba_ready(python_left):
            raise Handover


class WatchedSide(PythonSide):
    """The Python engine, asking a `Chooser` before each level of tables and every 1024 new questions."""

    def __init__(self, expr: Expr, *, limits: Limits, chooser: Chooser) -> None:
        self.chooser = chooser
        super().__init__(expr, limits=limits)

    def _level(self, length: int) -> None:
        self.chooser.level(self, length)
        super()._level(length)

    def _remember(self, key: tuple[int, int, Value], count: int) -> None:
        if len(self._memo) % 1024 == 0:
            self.chooser.asking(self)
        super()._remember(key, count)


def _start_seconds() -> float:
    if "bracketsolve.engines.fast" in sys.modules:
        return LOAD_SECONDS
    return START_SECONDS


def _numba_ready(python_left: float) -> bool:
    """Whether the numba engine can start now; when it cannot (not compiled), start compiling it in a child."""
    if "bracketsolve.engines.fast" not in sys.modules and not _maybe_compiled():
        if not _CHILD:                  # numba not imported, nothing in its cache: importing it would be wasted
            if python_left < COMPILE_SECONDS:
                return False
            _CHILD.append(_compile_in_background())
        if _CHILD[0] is None or _CHILD[0].poll() != 0:
            return False
    try:
        from ..engines.fast import compiled
    except ImportError:
        return False
    if compiled():
        return True
    if not _CHILD and python_left >= COMPILE_SECONDS:
        _CHILD.append(_compile_in_background())
    return False


def _maybe_compiled() -> bool:
    """Whether numba's cache seems to hold the build kernel, looked for without importing numba (1.5 s):
    NUMBA_CACHE_DIR's, the __pycache__ beside the kernels, the user's cache (numba's own places)."""
    kernels = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engines", "kernels")
    sub = "kernels_" + hashlib.sha1(kernels.encode()).hexdigest()
    places = [os.path.join(kernels, "__pycache__"), os.path.join(os.path.expanduser("~/.cache/numba"), sub)]
    if os.environ.get("NUMBA_CACHE_DIR"):
        places = [os.path.join(os.environ["NUMBA_CACHE_DIR"], sub)]
    name = f"build.build-*.py{sys.version_info[0]}{sys.version_info[1]}.nbi"
    return any(glob.glob(os.path.join(place, name)) for place in places)


def _compile_in_background() -> Optional[subprocess.Popen[bytes]]:
    """A child process that compiles the kernels into numba's cache (and exits); None when it cannot start.

    It is left to finish if this process ends first: the next run then finds the kernels compiled."""
    try:
        return subprocess.Popen([sys.executable, "-c", "import os; os.nice(19)\n"   # the Python engine goes first
                                 "from bracketsolve.engines.fast import warmup; warmup()"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError:
        return None


def wanted(expr: Expr) -> bool:
    """Whether "auto" should watch the Python engine for a handover: numba present, compiling for real."""
    if os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False                                # the kernels would run as Python: never faster
    return expr.size >= 8 and _has_numba()


@lru_cache(maxsize=1)
def _has_numba() -> bool:
    from importlib.util import find_spec

    return find_spec("numba") is not None
