"""backend="auto": the Python engine first, the numba engine taking over when the tables turn out big."""

from fractions import Fraction

import pytest

from bracketsolve import TooLargeError, parse, solve
from bracketsolve.engines.reference import PythonSide
from bracketsolve.solver import choose, solve as solving
from bracketsolve.solver.limits import Handover, Limits

pytest.importorskip("numba")

BIG = "12 ? 7 ? 19 ? 6 ? 7 ? 17 ? 14 ? 1 ? 18 ? 1 ? 12 = 389/7"     # 9 s in the Python engine, 0.1 s in numba
MID = "4 ? 20 ? 11 ? 15 ? 11 ? 3 ? 18 ? 4 ? 13 ? 4 = 43673/13"      # 2 s in the Python engine
SMALL = "3 / 7 - 1 + 1 + 8 - 3 - 3 - 8 * 5 + 4 - 6 / 4 = -491/14"     # 12 operands, 0.03 s in Python


def test_the_prediction_uses_the_plans_exact_level_cost(monkeypatch):
    seen = []
    monkeypatch.setattr(choose.Chooser, "_hand_over", lambda self, left, total: seen.append((left, total)))
    monkeypatch.setattr(choose, "FIRST_LOOK", 0.0)
    side = choose.WatchedSide(parse(MID).left, limits=Limits(), chooser=choose.Chooser())
    side.count(Fraction(43673, 13))
    assert len(seen) >= side.built - 1             # asked before every level past the operands' own
    assert all(left > 0 and total >= left for left, total in seen)


def test_auto_hands_a_big_puzzle_over_to_numba(monkeypatch):
    from bracketsolve.engines.fast import warmup

    warmup()
    monkeypatch.setattr(solving, "_numba_pays", lambda expr: False)   # as in a process that has not loaded numba
    result = solve(BIG)
    assert result.backend == "numba" and result.count == solve(BIG, backend="numba").count > 0


def test_auto_keeps_the_python_engine_for_a_puzzle_it_finishes_soon(monkeypatch):
    monkeypatch.setattr(solving, "_numba_pays", lambda expr: False)
    assert solve(SMALL).backend == "python"


def test_a_handover_drops_the_python_tables_from_the_budget(monkeypatch):
    from bracketsolve.engines.fast import NumbaSide, warmup

    warmup()
    monkeypatch.setattr(solving, "_numba_pays", lambda expr: False)
    monkeypatch.setattr(choose, "FIRST_LOOK", 0.0)
    asked = []

    def hand_over(self, left, total):               # after a few levels, whatever the machine's speed
        asked.append(left)
        if len(asked) == 3:
            raise Handover

    monkeypatch.setattr(choose.Chooser, "_hand_over", hand_over)
    expr = parse(BIG).left
    limits = Limits()
    held = Limits()
    PythonSide(expr, limits=held)                   # the Python engine reserves for its tables
    side = solving.engine_for(expr, "auto", limits)
    alone = Limits()
    NumbaSide(expr, limits=alone)
    assert len(asked) == 3 and held.reserved > 0
    assert side.name == "numba" and limits.reserved == alone.reserved and limits.work == alone.work


def test_past_the_python_engines_work_cap_auto_goes_on_in_numba(monkeypatch):
    monkeypatch.setattr(solving, "_numba_pays", lambda expr: False)
    monkeypatch.setattr(choose.Chooser, "__call__", lambda self, *args: False)     # no prediction
    monkeypatch.setattr(PythonSide.__init__, "__kwdefaults__", {**PythonSide.__init__.__kwdefaults__,
                                                                 "max_work": 1000})
    assert solve(SMALL).backend == "numba"
    with pytest.raises(TooLargeError):                  # a cap the caller set holds for numba too
        solve(SMALL, max_work=1000)


def test_no_watching_when_the_kernels_would_run_as_python(monkeypatch):
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "1")
    assert not choose.wanted(parse(SMALL).left)
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "0")
    assert choose.wanted(parse(SMALL).left) and not choose.wanted(parse("1 + 2 + 3").left)


class FakeChild:
    def __init__(self):
        self.polls = 0

    def poll(self):
        self.polls += 1
        return 0 if self.polls >= 3 else None


def test_the_kernels_compile_in_a_child_only_when_the_python_engine_has_long_to_go(monkeypatch):
    from bracketsolve.engines import fast

    state = {"compiled": False}
    started = []
    monkeypatch.setattr(fast, "compiled", lambda: state["compiled"])
    monkeypatch.setattr(choose, "_CHILD", [])
    monkeypatch.setattr(choose, "_compile_in_background", lambda: started.append(FakeChild()) or started[-1])
    assert not choose._numba_ready(choose.COMPILE_SECONDS / 2) and not started     # not worth compiling now
    assert not choose._numba_ready(2 * choose.COMPILE_SECONDS) and len(started) == 1
    assert not choose._numba_ready(2 * choose.COMPILE_SECONDS)                     # still compiling
    state["compiled"] = True                                                      # the child wrote the cache
    assert choose._numba_ready(2 * choose.COMPILE_SECONDS) and len(started) == 1


def test_numba_is_not_imported_to_learn_that_nothing_is_compiled(monkeypatch, tmp_path):
    import sys

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert not choose._maybe_compiled()
    monkeypatch.delitem(sys.modules, "bracketsolve.engines.fast")
    monkeypatch.setattr(choose, "_CHILD", [])
    started = []
    monkeypatch.setattr(choose, "_compile_in_background", lambda: started.append(FakeChild()) or started[-1])
    assert not choose._numba_ready(choose.COMPILE_SECONDS / 2) and not started
    assert not choose._numba_ready(2 * choose.COMPILE_SECONDS) and len(started) == 1
    assert "bracketsolve.engines.fast" not in sys.modules          # still not imported while the child compiles
    kernels = tmp_path / ("kernels_" + __import__("hashlib").sha1(
        str(__import__("pathlib").Path(choose.__file__).parents[1] / "engines" / "kernels").encode()).hexdigest())
    kernels.mkdir()
    (kernels / f"build.build-15.py{sys.version_info[0]}{sys.version_info[1]}.nbi").write_bytes(b"")
    assert choose._maybe_compiled()


def test_warmup_compiles_what_a_target_query_needs_before_the_near_kernels(monkeypatch):
    """auto's background child runs warmup(): the handover waits for the query's kernels (fast.compiled()),
    so they come first, the near kernels (about 15 s more of compiling) after them."""
    from bracketsolve.engines import fast

    calls = []
    for name in ("trees", "count", "defined", "nearest"):
        method = getattr(fast.NumbaSide, name)
        monkeypatch.setattr(fast.NumbaSide, name,
                            lambda self, *a, _m=method, _n=name, **k: calls.append(_n) or _m(self, *a, **k))
    fast.warmup()
    assert "nearest" in calls
    assert {"trees", "count", "defined"} <= set(calls[:calls.index("nearest")])
