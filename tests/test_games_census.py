"""The free-order census: the family's multisets, its figures against brute force and against game_difficulty,
the known count of solvable 24 puzzles, and the same result in this process and on a LocalCluster."""

import json
from fractions import Fraction
from functools import lru_cache
from itertools import combinations

import pytest

pytest.importorskip("pyarrow")

from bracketsolve.cli import main  # noqa: E402
from bracketsolve.errors import BracketError  # noqa: E402
from bracketsolve.evaluation.census import read_census  # noqa: E402
from bracketsolve.evaluation.games_census import GameFamily, run_game_census  # noqa: E402
from bracketsolve.evaluation.games_difficulty import game_difficulty  # noqa: E402
from bracketsolve.evaluation.games_generate import COUNTDOWN_DECK  # noqa: E402

from .games_brute import trees, value  # noqa: E402
from .test_games_effort import plain  # noqa: E402


@lru_cache(maxsize=None)
def reaches(numbers: tuple, target: Fraction) -> bool:
    """Can the numbers (every one, once) make the target with + - * /? Pick two, combine, recurse."""
    if len(numbers) == 1:
        return numbers[0] == target
    for i, j in combinations(range(len(numbers)), 2):
        a, b = numbers[i], numbers[j]
        rest = tuple(x for k, x in enumerate(numbers) if k not in (i, j))
        made = [a + b, a - b, b - a, a * b] + ([a / b] if b else []) + ([b / a] if a else [])
        if any(reaches(tuple(sorted(rest + (v,))), target) for v in made):
            return True
    return False


@pytest.fixture(scope="module")
def census24(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("c24"))
    return run_game_census(directory, rules="24", numbers=4, values=(1, 13)), read_census(directory)


def test_the_24_game_over_1_to_13(census24):
    manifest, rows = census24
    assert [r["numbers"] for r in rows] == [list(m) for m in GameFamily("24", 4).each(0, 1820)]
    mine = {tuple(r["numbers"]) for r in rows if r["solutions"]}
    brute = {tuple(r["numbers"]) for r in rows if reaches(tuple(Fraction(x) for x in r["numbers"]), Fraction(24))}
    assert mine == brute and len(brute) == 1362
    summary = manifest["summary"]
    assert summary["puzzles"] == 1820 and summary["solvable"] == 1362 and summary["solvable_fraction"] == "681/910"
    assert sum(summary["solutions"].values()) == 1820 and summary["solutions"]["0"] == 458
    efforts = [r["effort"] for r in rows]
    assert summary["mean_effort"] == str(Fraction(sum(efforts), len(efforts)))
    assert sum(summary["needs_fractions"].get(k, 0) for k in ("True", "False")) == 1362


def test_rows_are_the_figures_of_each_puzzle(census24):
    _, rows = census24
    for r in rows[::97]:                                            # 19 multisets across the family
        numbers = [Fraction(x) for x in r["numbers"]]
        every = trees(tuple(sorted(range(4))), "+-*/")
        values = [value(t, numbers) for t in every]
        assert r["effort"] == plain(r["numbers"], 24)
        d = game_difficulty(r["numbers"], rules="24", target=24)
        assert {k: r[k] for k in ("solutions", "classes", "min_depth", "needs_fractions", "values", "total")} == \
            {k: getattr(d, k) for k in ("solutions", "classes", "min_depth", "needs_fractions", "values", "total")}
        if len(set(numbers)) == 4:                                  # the brute force's trees: distinct leaves
            assert r["solutions"] == values.count(24) and r["total"] == len(every)


def test_the_countdown_family_is_every_draw_of_the_deck():
    for k in (2, 3, 6):
        draws = {tuple(sorted(c)) for c in combinations(COUNTDOWN_DECK, k)}
        family = GameFamily("countdown", k, deck="countdown")
        assert family.multisets == len(draws)
        if k < 6:
            assert list(family.each(0, family.multisets)) == sorted(draws)
    assert GameFamily("countdown", 6, deck="countdown").multisets == 13243


def test_a_countdown_census_row_by_row(tmp_path):
    manifest = run_game_census(str(tmp_path), rules="countdown-tv", numbers=3, deck=[1, 2, 3, 3, 10, 25],
                               target=(20, 40))
    rows = read_census(str(tmp_path))
    assert len(rows) == manifest["summary"]["puzzles"] == manifest["multisets"] * 21
    for r in rows[::17]:
        d = game_difficulty(r["numbers"], rules="countdown-tv", target=r["target"])
        assert r["solutions"] == d.solutions and r["effort"] == d.effort and r["min_numbers"] == d.min_numbers
        assert r["effort"] == plain(r["numbers"], r["target"], "countdown-tv")


@pytest.mark.parametrize("bad", [dict(rules="brackets"), dict(numbers=0), dict(values=(1, 5), deck="countdown"),
                                 dict(rules="countdown", numbers=6, deck="countdown", target=(1, 100000))])
def test_bad_families_are_errors(tmp_path, bad):
    with pytest.raises(BracketError):
        run_game_census(str(tmp_path), **{"rules": "24", "numbers": 4, **bad})


def test_cli(tmp_path, capsys):
    out = str(tmp_path / "c")
    assert main(["census", "--rules", "24", "--numbers", "1,6", "--out", out, "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["multisets"] == 126 and manifest["family"]["rules"] == "24"
    assert manifest["summary"]["solvable"] == sum(reaches(tuple(Fraction(x) for x in m), Fraction(24))
                                                  for m in GameFamily("24", 4, values=(1, 6)).each(0, 126))
    assert main(["census", "--rules", "24", "--sequence", "+++", "--out", out]) == 2


@pytest.mark.parametrize("spec", [dict(rules="24", numbers=4, values=(1, 7)),
                                  dict(rules="countdown", numbers=3, deck="countdown", target=(100, 120))])
def test_one_and_two_workers_give_the_single_process_result(tmp_path, spec):
    pytest.importorskip("distributed")
    from bracketsolve.evaluation import distributed as bd

    here = run_game_census(str(tmp_path / "here"), shards=3, **spec)
    for workers in (1, 2):
        with bd.client("local", workers=workers, processes=False) as client:
            there = run_game_census(str(tmp_path / f"w{workers}"), shards=3, run=bd.runner(client),
                                    scheduler="local", **spec)
        assert there["summary"] == here["summary"] and len(there["shards"]) == 3
        assert read_census(str(tmp_path / f"w{workers}")) == read_census(str(tmp_path / "here"))
