"""Dataset files: one schema per row (rationals as text), shards with a manifest, dedupe by canonical puzzle."""

import json
import os

import pytest

from bracketsolve.errors import BracketError
from bracketsolve.evaluation import datasets, formats
from bracketsolve.evaluation.generate import generate
from bracketsolve.evaluation.grade import score

OPTIONS = dict(operands=4, kind="any", seed=5, numbers=(1, 4), ops="+-")       # a small family: duplicates


def test_plan_covers_the_range_evenly():
    parts = datasets.plan(3, 10, 4)
    assert [(a, b) for _, a, b in parts] == [(3, 6), (6, 9), (9, 11), (11, 13)]
    assert datasets.plan(0, 2, 5) == [(0, 0, 1), (1, 1, 2)]
    with pytest.raises(BracketError):
        datasets.plan(0, 10, 0)


def test_jsonl_shards_hold_the_generated_entries_minus_repeats(tmp_path):
    manifest = datasets.write_dataset(str(tmp_path), 300, shards=3, fmt="jsonl", **OPTIONS)
    got = datasets.read_dataset(str(tmp_path))
    seen, expected = set(), []
    for e in generate(300, **OPTIONS):
        if e["metadata"]["puzzle"] not in seen:
            seen.add(e["metadata"]["puzzle"])
            expected.append(e)
    assert got == expected and manifest["duplicates"] == 300 - len(expected) > 0
    assert manifest["rows"] == len(expected) == sum(s["rows"] for s in manifest["shards"])
    on_disk = json.load(open(tmp_path / "_manifest.json"))
    assert on_disk["seed"] == 5 and on_disk["options"]["numbers"] == [1, 4] and on_disk["format"] == "jsonl"
    assert [(s["start"], s["stop"]) for s in on_disk["shards"]] == [(0, 100), (100, 200), (200, 300)]


def test_shard_count_does_not_change_the_rows(tmp_path):
    one = datasets.write_dataset(str(tmp_path / "one"), 250, fmt="jsonl", **OPTIONS)
    many = datasets.write_dataset(str(tmp_path / "many"), 250, shards=7, fmt="jsonl", **OPTIONS)
    assert datasets.read_dataset(str(tmp_path / "one")) == datasets.read_dataset(str(tmp_path / "many"))
    assert one["rows"] == many["rows"]


def test_bad_options_fail_before_any_file(tmp_path):
    with pytest.raises(BracketError):
        datasets.write_dataset(str(tmp_path / "x"), 10, operands=1)
    with pytest.raises(BracketError):
        datasets.write_dataset(str(tmp_path / "x"), 10, fmt="csv", operands=4)
    assert not (tmp_path / "x").exists()


# --- Parquet ------------------------------------------------------------------------------------------

pa = pytest.importorskip("pyarrow")


def test_parquet_rows_have_one_schema_and_round_trip(tmp_path):
    datasets.write_dataset(str(tmp_path), 200, shards=2, **OPTIONS)
    for name in ("part-00000.parquet", "part-00001.parquet"):
        table = pa.parquet.read_table(tmp_path / name)
        assert table.schema.equals(formats.schema(), check_metadata=False)
    back = datasets.read_dataset(str(tmp_path))
    jsonl = [e for e in generate(200, **OPTIONS)]
    by_puzzle: dict = {}
    for e in jsonl:
        by_puzzle.setdefault(e["metadata"]["puzzle"], e)                 # the first one is kept
    for e in back:
        original = by_puzzle[e["metadata"]["puzzle"]]
        assert e["metadata"] == {**original["metadata"], "seed": "5"}       # the seed is text in the schema
        assert score(e["answer"], e) == 1.0


def test_pandas_and_datasets_read_the_directory(tmp_path):
    pd = pytest.importorskip("pandas")
    datasets.write_dataset(str(tmp_path), 120, shards=3, **OPTIONS)
    frame = pd.read_parquet(tmp_path)                   # _manifest.json is skipped, as its name says
    assert len(frame) == len(datasets.read_dataset(str(tmp_path)))
    assert set(frame.columns) == {"question", "answer", "metadata"}
    hf = pytest.importorskip("datasets")
    ds = hf.load_dataset("parquet", data_files=str(tmp_path / "part-*.parquet"), split="train")
    assert ds.num_rows == len(frame) and ds[0]["metadata"]["puzzle"] in ds[0]["question"]


def test_unsolvable_rows_keep_nearest_and_null_depth(tmp_path):
    datasets.write_dataset(str(tmp_path), 30, operands=5, kind="unsolvable", seed=2)
    table = pa.parquet.read_table(tmp_path / "part-00000.parquet").to_pylist()
    assert all(r["metadata"]["min_depth"] is None and len(r["metadata"]["nearest"]) >= 1 for r in table)


def test_cli_writes_parquet_shards_in_this_process(tmp_path, capsys):
    from bracketsolve.cli import main

    out = tmp_path / "cli"
    code = main(["generate", "--count", "40", "--operands", "5", "--seed", "9", "--format", "parquet", "--out",
                 str(out), "--shards", "2", "--scheduler", "none", "--json"])
    manifest = json.loads(capsys.readouterr().out)
    assert code == 0 and manifest["rows"] == 40 and len(manifest["shards"]) == 2
    assert sorted(os.listdir(out)) == ["_manifest.json", "part-00000.parquet", "part-00001.parquet"]
    rows = datasets.read_dataset(str(out))
    assert [e["metadata"]["index"] for e in rows] == list(range(40))


def test_cli_parquet_needs_a_directory(capsys):
    from bracketsolve.cli import main

    assert main(["generate", "--count", "2", "--format", "parquet"]) == 2
    assert "--out" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--shards", "1000000"], ["--shards", "2", "--workers", "0"]])
def test_shard_and_worker_counts_are_refused_before_a_cluster_starts(capsys, tmp_path, monkeypatch, argv):
    from bracketsolve.cli import main
    from bracketsolve.evaluation import distributed

    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(distributed, "client", no_cluster)
    for command in (["generate", "--count", "1"], ["census", "--operands", "2"]):
        code = main([*command, *argv, "--out", str(tmp_path / "d")])
        out, err = capsys.readouterr()
        assert code == 2 and out == "" and ("--shards" in err or "--workers" in err), err
