"""Generation on Dask: a sharded run on a LocalCluster writes exactly what a single-process run writes."""

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
