"""How backend="auto" picks an engine: the Python engine first, handing over to the numba engine once the tables
turn out big enough that numba, loading or compiling its kernels included, will finish first.

The number of operands says little about the work (18 one-digit operands took 2.9 s in Python, 16 took 30 s):
the tables' growth does. While the Python engine builds, `Chooser` extrapolates the work left from how it grew
per interval length; when the numba engine would win and its kernels are not compiled, a child process compiles
them (into numba's cache) while the Python engine goes on, and the numba engine takes over once they are ready.
Figures measured with benchmarks/auto.py (docs/performance.md, "What auto chooses").
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

START_SECONDS = 2.0     # importing numba and loading the cached kernels in a fresh process (measured 1.8-2.6 s)
LOAD_SECONDS = 0.5      # loading the cached kernels once numba is imported
SPEEDUP = 30            # the numba engine combines value pairs at least this much faster (measured 30-100x)
MARGIN = 1.25           # hand over only when the Python engine's predicted time left is this much longer
COMPILE_SECONDS = 20.0  # compiling the kernels takes at least this (measured 20 s idle, 80 s loaded): with less
                        # Python work left, a child compiling would only slow the Python engine down
FIRST_LOOK = 0.3        # seconds of Python work before the first prediction (the first lengths say little)
LOOK_EVERY = 0.1        # seconds between predictions
_CHILD: list = []       # the background compile started by this process, if any


class Chooser:
    """The handover predicate of one side: `chooser(done, total, work, elapsed)` after each interval, True
    when the numba engine should take over. `root` counts the whole side's table too (`values()`)."""

    def __init__(self, n: int, root: bool = False) -> None:
        self.n, self.root = n, root
        self.started = time.monotonic()
        self.ends = {}                              # length -> intervals built once it is done
        built = 0
        for length in range(2, n):
            built += n - length + 1
            self.ends[length] = built
        self.done_work = {}                         # length -> work when it was done
        self.looked = 0.0

    def __call__(self, done: int, total: int, work: int, elapsed: float) -> bool:
        now = time.monotonic()
        spent = now - self.started
        length = next((m for m, end in self.ends.items() if done <= end), self.n - 1)
        if done == self.ends.get(length):
            self.done_work[length] = work
        if spent < FIRST_LOOK or now - self.looked < LOOK_EVERY or not work:
            return False
        self.looked = now
        left = self.work_left(length, done, work)
        rate = work / spent                         # pairs a second, in this process, as loaded as it is
        python_left = left / rate
        if python_left < START_SECONDS * MARGIN:
            return False
        numba = (work + left) / (rate * SPEEDUP)
        return python_left > MARGIN * (numba + _start_seconds()) and _numba_ready(python_left)

    def work_left(self, length: int, done: int, work: int) -> float:
        """Value pairs still to combine, extrapolated from the work per interval of the last lengths."""
        n = self.n
        before = self.done_work.get(length - 1, 0)
        first = self.ends.get(length - 1, 0)
        count = n - length + 1
        here = done - first                         # intervals of this length built
        per = (work - before) / max(1, here)        # work per interval of this length
        earlier = self.done_work.get(length - 2, 0)
        per_before = (before - earlier) / max(1, n - length + 2) if length > 2 else 0
        growth = min(50.0, max(1.5, per / per_before)) if per_before > 0 and per > 0 else 4.0
        left = per * (count - here)
        for m in range(length + 1, n + (1 if self.root else 0)):
            per *= growth
            left += per * (n - m + 1)
        return left


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


def _compile_in_background() -> Optional[subprocess.Popen]:
    """A child process that compiles the kernels into numba's cache (and exits); None when it cannot start.

    It is left to finish if this process ends first: the next run then finds the kernels compiled."""
    try:
        return subprocess.Popen([sys.executable, "-c", "import os; os.nice(19)\n"   # the Python engine goes first
                                 "from bracketsolve.engines.fast import warmup; warmup()"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError:
        return None


def wanted(expr) -> bool:
    """Whether "auto" should watch the Python engine for a handover: numba present, compiling for real."""
    if os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False                                # the kernels would run as Python: never faster
    return expr.size >= 8 and _has_numba()


@lru_cache(maxsize=1)
def _has_numba() -> bool:
    from importlib.util import find_spec

    return find_spec("numba") is not None
