"""Running shards as Dask tasks: a `LocalCluster` on this machine or any `distributed` scheduler, with the
numba kernels compiled once and loaded from numba's disk cache on every worker (the `dask` extra).
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, cast

from ..errors import BracketError

if TYPE_CHECKING:
    from .batch import _Kernels
    from .datasets import Run

GRACE = 5.0     # seconds past a deadline that tasks have to return (they check it themselves) before they are cancelled


def dask() -> ModuleType:
    """The `distributed` module, or a clear error naming the extra that brings it."""
    try:
        import distributed
    except ImportError:
        raise BracketError('--shards with a scheduler needs Dask: pip install "bracketsolve[dask]"') from None
    return distributed


def warm() -> dict[str, int]:
    """Load (or, the first time on a machine, compile) the generator's batch kernel in this process; says
    whether numba's disk cache answered. Run on each worker before the shards (`WarmKernels`)."""
    from .batch import kernel, offers
    from .generate import _Options, generate

    list(generate(2, operands=4, seed="warm", backend="numba"))                  # the entries kernel
    options = _Options(4, (1, 9), "+-*/", "solvable", 0, "en", False, True, (0, 9), None, {})
    offers(options, [([1, 2, 3, 4], ("+", "-", "*"))], "numba")                  # the census's batch kernel
    from ..games.game import Game
    from ..games.solve import engine_for

    game = Game.of([1, 2, 3, 4], 24, rules="24")                                 # the free-order tables kernel
    engine = engine_for(game, "numba")
    engine.count(24, engine.space.full)
    K = cast("_Kernels", kernel())      # not None: the generate() above ran the kernels
    hits = misses = 0
    for dispatcher in (K.entries, K.candidates):
        stats = getattr(dispatcher, "stats", None)
        if stats is not None:
            hits += sum(stats.cache_hits.values())
            misses += sum(stats.cache_misses.values())
    return {"pid": os.getpid(), "cache_hits": hits, "compiled": misses}


def _plugin_class() -> type:
    dask()                                  # (Dask missing: the clear error)
    import distributed

    class WarmKernels(distributed.WorkerPlugin):
        """Loads the kernels when a worker starts, or joins later (so no task pays for compiling)."""

        name = "bracketsolve-warm-kernels"

        def setup(self, worker: object) -> None:
            warm()

    return WarmKernels


@contextmanager
def client(scheduler: str = "local", *, workers: Optional[int] = None, processes: bool = True) -> Iterator[Any]:
    """A Dask client (a `distributed.Client`): "local" starts a `LocalCluster` here (`workers` processes of one
    thread each, no dashboard), anything else is a scheduler address such as tcp://10.0.0.5:8786. The kernels
    are compiled here first, so that local workers load them from the disk cache, and a worker plugin loads them
    on each worker (a machine of a remote cluster compiles once, into its own cache)."""
    distributed = dask()
    warm()
    if scheduler == "local":
        import warnings

        # the scheduler always serves /health over HTTP on its loopback host; with 8787 taken it picks a free port
        warnings.filterwarnings("ignore", message="Port 8787 is already in use")
        n = workers or os.cpu_count() or 1
        with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                                      dashboard_address=None, silence_logs=logging.CRITICAL) as cluster, \
                distributed.Client(cluster) as c:
            c.register_plugin(_plugin_class()())
            yield c
    else:
        with distributed.Client(scheduler) as c:
            c.register_plugin(_plugin_class()())
            yield c


def runner(c: Any) -> Run:
    """A `run(function, [args, ...], deadline=None)` for datasets.write_dataset that maps the calls onto Dask
    tasks (impure: each writes a file) and gathers their results in order; with a `deadline` (time.time()
    seconds), the tasks not done GRACE seconds past it are cancelled and come back as None."""

    def run(function: Callable[..., Any], arguments: list[tuple[Any, ...]],
            deadline: Optional[float] = None) -> list[Any]:
        if not arguments:
            return []
        futures = [c.submit(function, *args, pure=False) for args in arguments]
        if deadline is None:
            gathered: list[Any] = c.gather(futures)
            return gathered
        try:
            dask().wait(futures, timeout=max(0.0, deadline - time.time()) + GRACE)
        except TimeoutError:
            pass
        finished = [f.done() for f in futures]
        c.cancel([f for f, ok in zip(futures, finished) if not ok])
        done = iter(c.gather([f for f, ok in zip(futures, finished) if ok]))
        return [next(done) if ok else None for ok in finished]

    return run


def worker_kernels(c: Any) -> dict[str, dict[str, int]]:
    """What `warm()` says on every worker (for the tests and the docs: no worker compiled)."""
    said: dict[str, dict[str, int]] = c.run(warm)
    return said
