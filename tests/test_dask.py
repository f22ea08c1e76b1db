"""Generation on Dask: a sharded run on a LocalCluster writes exactly what a single-process run writes."""

import json
import time

import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from bracketsolve.evaluation import datasets  # noqa: E402
from bracketsolve.evaluation import distributed as bd  # noqa: E402

OPTIONS = dict(operands=4, kind="any", seed=11, numbers=(1, 4), ops="+-*")


@pytest.fixture(scope="module")
def client():
    with bd.client("local", workers=2, processes=False) as c:
        yield c


def test_sharded_run_equals_the_single_process_run(tmp_path, client):
    single = datasets.write_dataset(str(tmp_path / "single"), 600, **OPTIONS)
    sharded = datasets.write_dataset(str(tmp_path / "dask"), 600, shards=5, run=bd.runner(client),
                                     scheduler="local", **OPTIONS)
    assert datasets.read_dataset(str(tmp_path / "single")) == datasets.read_dataset(str(tmp_path / "dask"))
    assert single["rows"] == sharded["rows"] and single["duplicates"] == sharded["duplicates"] > 0
    assert len(sharded["shards"]) == 5


def test_worker_processes_load_the_kernel_from_the_cache_without_compiling():
    with bd.client("local", workers=2) as c:                # two processes: each loads what this one compiled
        report = bd.worker_kernels(c)
    assert len(report) == 2 and len({r["pid"] for r in report.values()}) == 2
    assert all(r["compiled"] == 0 and r["cache_hits"] >= 1 for r in report.values())


def test_census_on_dask_equals_in_process(tmp_path, client):
    from bracketsolve.evaluation import census

    here = census.run_census(str(tmp_path / "here"), operands=3, numbers=(1, 6), ops="+-*/", target=(0, 12),
                             shards=3)
    there = census.run_census(str(tmp_path / "there"), operands=3, numbers=(1, 6), ops="+-*/", target=(0, 12),
                              shards=3, run=bd.runner(client), scheduler="local")
    assert here["summary"] == there["summary"]
    assert census.read_census(str(tmp_path / "here")) == census.read_census(str(tmp_path / "there"))


def test_free_order_shards_on_dask_equal_the_single_process_run(tmp_path, client):
    options = dict(rules="24", values=(1, 6), seed=4, kind="any")
    single = datasets.write_dataset(str(tmp_path / "single"), 90, **options)
    sharded = datasets.write_dataset(str(tmp_path / "dask"), 90, shards=3, run=bd.runner(client), scheduler="local",
                                     **options)
    assert datasets.read_dataset(str(tmp_path / "single")) == datasets.read_dataset(str(tmp_path / "dask"))
    assert single["rows"] == sharded["rows"] and sharded["options"]["rules"] == "24"


def test_a_census_past_its_timeout_stops_its_tasks(tmp_path, client):
    """The deadline reaches every task; the client comes back within it and is still usable."""
    from bracketsolve.errors import SolveTimeout
    from bracketsolve.evaluation import census, games_census

    started = time.perf_counter()
    with pytest.raises(SolveTimeout) as caught:
        census.run_census(str(tmp_path / "big"), operands=6, numbers=(1, 6), target=(24, 24), shards=4,
                          run=bd.runner(client), scheduler="local", timeout=1)
    assert time.perf_counter() - started < 2
    assert "of 47,775,744 puzzles done" in str(caught.value)
    started = time.perf_counter()
    with pytest.raises(SolveTimeout):
        games_census.run_game_census(str(tmp_path / "free"), rules="24", numbers=6, shards=4,
                                     run=bd.runner(client), scheduler="local", timeout=1)
    assert time.perf_counter() - started < 2.5
    assert not client.processing() or not any(client.processing().values())
    small = census.run_census(str(tmp_path / "small"), operands=3, numbers=(1, 3), shards=2,
                              run=bd.runner(client), scheduler="local", timeout=30)
    assert small["summary"]["puzzles"] == 27 * 16 * 101


def test_a_task_past_its_budget_is_the_error(tmp_path, client):
    from bracketsolve.errors import TooLargeError
    from bracketsolve.evaluation import games_census

    with pytest.raises(TooLargeError) as caught:
        games_census.run_game_census(str(tmp_path / "w"), rules="24", numbers=4, values=(1, 5), shards=2,
                                     run=bd.runner(client), scheduler="local", max_work=10)
    assert caught.value.limit == "max_work"


def test_the_cli_census_on_dask_stops_at_its_timeout(tmp_path, capsys):
    from bracketsolve.cli import main

    started = time.perf_counter()
    code = main(["census", "--operands", "6", "--numbers", "1,6", "--out", str(tmp_path / "c"), "--shards", "2",
                 "--workers", "1", "--timeout", "4", "--json"])
    took = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert code == 2 and took < 8 and json.loads(out)["code"] == "timeout"
    assert err.count("\n") == 1 and "puzzles done" in err and "Traceback" not in err


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


def test_tasks_that_overrun_the_deadline_are_cancelled(client, monkeypatch):
    """A task that never looks at the deadline is cancelled GRACE seconds past it and comes back as None."""
    monkeypatch.setattr(bd, "GRACE", 0.3)
    started = time.perf_counter()
    assert bd.runner(client)(_sleep, [(0,), (1.5,)], deadline=time.time() + 0.2) == [0, None]
    assert time.perf_counter() - started < 1.2
