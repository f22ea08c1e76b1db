"""A census's budget: a deadline for the whole census (checked between puzzles and passed into each solve),
and the memory and work budgets of each puzzle; past the deadline, one line saying how far it got."""

import json
import pickle
import time

import pytest

pytest.importorskip("pyarrow")

from bracketsolve.cli import main  # noqa: E402
from bracketsolve.errors import BracketError, SolveTimeout, TooLargeError  # noqa: E402
from bracketsolve.evaluation.census import run_census  # noqa: E402
from bracketsolve.evaluation.games_census import run_game_census  # noqa: E402

BIG = ["--operands", "6", "--numbers", "1,6"]           # 47,775,744 bracket puzzles: some 20 minutes
BIG_FREE = ["--rules", "24", "--operands", "6"]         # 18,564 multisets of six, seconds each


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load the kernels first, so that the deadlines below time the census, not the compiler."""
    from bracketsolve.evaluation.distributed import warm

    warm()


def timed(capsys, *argv):
    started = time.perf_counter()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err, time.perf_counter() - started


@pytest.mark.parametrize("family", [BIG, BIG_FREE], ids=["brackets", "24"])
def test_past_the_timeout_the_census_stops_with_how_far_it_got(tmp_path, capsys, family):
    code, out, err, took = timed(capsys, "census", *family, "--out", str(tmp_path / "c"), "--timeout", "1")
    assert code == 2 and out == "" and took < 2
    assert err.count("\n") == 1 and "Traceback" not in err
    total = "47,775,744" if family is BIG else "18,564"
    assert "the census ran past the time limit of 1 s" in err and f" of {total} puzzles done" in err
    assert "raise it with --timeout " in err


def test_the_timeout_under_json(tmp_path, capsys):
    code, out, err, took = timed(capsys, "census", *BIG, "--out", str(tmp_path / "c"), "--timeout", "0.5",
                                 "--json")
    body = json.loads(out)
    assert code == 2 and took < 1.5
    assert body["code"] == "timeout" and body["limit"] == "timeout" and body["budget"] == 0.5
    assert "puzzles done" in body["error"] and "--timeout" in body["error"]


def test_a_census_inside_its_timeout_is_the_census(tmp_path, capsys):
    plain = str(tmp_path / "plain")
    timed_out = str(tmp_path / "timed")
    assert main(["census", "--operands", "3", "--numbers", "1,4", "--out", plain, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["census", "--operands", "3", "--numbers", "1,4", "--out", timed_out, "--json", "--timeout", "60",
                 "--max-memory", "1G", "--max-work", "1000"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == first["summary"]


def test_the_python_api_takes_the_budget(tmp_path):
    started = time.perf_counter()
    with pytest.raises(SolveTimeout) as caught:
        run_census(str(tmp_path / "b"), operands=6, numbers=(1, 6), target=(24, 24), timeout=0.5)
    assert time.perf_counter() - started < 1.5
    assert caught.value.code == "timeout" and "of 47,775,744 puzzles done" in str(caught.value)
    assert "raise it with timeout=" in str(caught.value)
    with pytest.raises(SolveTimeout):
        run_game_census(str(tmp_path / "g"), rules="24", numbers=6, timeout=0.5)
    assert time.perf_counter() - started < 3


def test_each_puzzle_has_the_memory_and_work_budgets(tmp_path, capsys):
    with pytest.raises(TooLargeError) as caught:
        run_game_census(str(tmp_path / "g"), rules="24", numbers=4, values=(1, 6), max_work=10)
    assert caught.value.limit == "max_work"
    with pytest.raises(TooLargeError) as caught:
        run_census(str(tmp_path / "b"), operands=6, numbers=(1, 2), max_work=10)
    assert caught.value.limit == "max_work"
    with pytest.raises(TooLargeError) as caught:
        run_census(str(tmp_path / "m"), operands=6, numbers=(1, 2), max_memory="1K")
    assert caught.value.limit == "max_memory"
    code, out, err, _ = timed(capsys, "census", "--rules", "24", "--numbers", "1,6", "--out", str(tmp_path / "c"),
                              "--max-work", "10")
    assert code == 2 and "--max-work" in err and "Traceback" not in err


def test_bad_budgets_are_refused_before_any_work(tmp_path, capsys):
    for flag, value in (("--timeout", "0"), ("--max-memory", "lots"), ("--max-work", "0")):
        code, _, err, _ = timed(capsys, "census", *BIG, "--out", str(tmp_path / "c"), flag, value)
        assert code == 2 and flag in err and "Traceback" not in err
    with pytest.raises(BracketError):
        run_census(str(tmp_path / "c"), operands=3, numbers=(1, 4), timeout=-1)


def test_budget_errors_cross_process_boundaries():
    """A worker process's TooLargeError comes back to the client whole (Dask pickles it)."""
    e = SolveTimeout("the census ran past", limit="timeout", value=1.5, budget=1, unit="seconds", raise_to=4)
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is SolveTimeout and str(back) == str(e) and back.explain("cli") == e.explain("cli")
    assert (back.limit, back.value, back.budget, back.raise_to) == ("timeout", 1.5, 1, 4)
