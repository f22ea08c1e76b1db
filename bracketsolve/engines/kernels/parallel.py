"""`build` on several threads: the same source compiled again with its partition flush under prange.

Compiled (or loaded from the cache) only when a call uses it: `parallel=True` compiles slower, and only big
tables gain. Each partition takes its results in the same order on any number of threads, so the tables are
the ones one thread builds, slot for slot.
"""

from __future__ import annotations

import importlib
import types as pytypes
from typing import Any, Callable

import numba
from numba.core import config

from .arith import _helper, _jit

_build = importlib.import_module(".build", __package__)        # (the package's `build` is the kernel)
_scratch = importlib.import_module(".scratch", __package__)


def _twin(fn: Any, name: str, **names: Any) -> Callable[..., Any]:
    """A copy of kernel `fn`'s Python function named `name` (so that numba caches it apart), whose globals
    `names` are replaced."""
    py = getattr(fn, "py_func", fn)
    scope = dict(py.__globals__, **names)
    twin = pytypes.FunctionType(py.__code__, scope, name, py.__defaults__, py.__closure__)
    twin.__qualname__, twin.__doc__, twin.__module__ = name, py.__doc__, py.__module__
    return twin


if config.DISABLE_JIT:          # run as Python there is one thread: the serial kernel is the same code
    build = _build.build
else:
    _flush_parts = numba.njit(parallel=True)(_twin(_scratch.flush_parts, "flush_parts_parallel"))
    _table = _helper(_twin(_build._table, "_table_parallel", flush_parts=_flush_parts))
    build = _jit(_twin(_build.build, "build_parallel", _table=_table))


def threads() -> int:
    """The threads numba may use: NUMBA_NUM_THREADS, by default the machine's cores."""
    return int(config.NUMBA_NUM_THREADS)


def use_threads(count: int) -> None:
    """Run the next parallel kernels of this thread on `count` threads (at most `threads()`)."""
    if not config.DISABLE_JIT:
        numba.set_num_threads(max(1, min(count, threads())))
