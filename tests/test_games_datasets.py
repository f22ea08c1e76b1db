"""Free-order puzzles at scale: filters checked by brute force, shards and manifests, Parquet, audits that re-check."""

import json
from fractions import Fraction

import pytest

from bracketsolve.evaluation import datasets
from bracketsolve.evaluation.audit import audit
from bracketsolve.evaluation.games_generate import generate_games
from bracketsolve.games.game import Game

from .games_brute import classes, trees, value

OPTIONS = dict(rules="24", values=(1, 6), seed=3)     # a small family: duplicates across shards


def brute_solutions(puzzle: str):
    numbers, target = puzzle.split(" -> ")
    game = Game.of(numbers.split(), target, rules="24")
    labels = tuple(sorted(i for i, c in enumerate(game.counts) for _ in range(c)))
    values = list(game.distinct)
    return game, values, labels, [t for t in trees(labels, "+-*/") if value(t, values) == Fraction(target)]


def steps(t, values):
    return [] if not isinstance(t, tuple) else steps(t[1], values) + steps(t[2], values) + [value(t, values)]


@pytest.mark.parametrize("needs", [True, False])
def test_needs_fractions_is_what_every_solution_needs(needs):
    for e in generate_games(6, needs_fractions=needs, seed=5, backend="python"):
        _, values, _, solutions = brute_solutions(e["metadata"]["puzzle"])
        whole = [all(v.denominator == 1 for v in steps(t, values)) for t in solutions]
        assert solutions and e["metadata"]["needs_fractions"] is needs
        assert (not any(whole)) is needs


def test_unique_unsolvable_and_deep_puzzles_by_brute_force():
    for e in generate_games(5, kind="unique", seed=1):
        game, values, labels, solutions = brute_solutions(e["metadata"]["puzzle"])
        assert classes(values, labels, "+-*/")[0][Fraction(24)] == 1 == e["metadata"]["classes"]
    for e in generate_games(5, kind="unsolvable", seed=1):
        assert brute_solutions(e["metadata"]["puzzle"])[3] == [] and e["answer"] == "no solution"
    for e in generate_games(3, min_depth=1, seed=1, backend="python"):
        game, values, _, solutions = brute_solutions(e["metadata"]["puzzle"])
        depths = [max(0, *(_depth(game.render(t)),)) for t in solutions]
        assert min(depths) == e["metadata"]["min_depth"] >= 1


def _depth(text):
    d = best = 0
    for ch in text:
        d += ch == "("
        d -= ch == ")"
        best = max(best, d)
    return best


def test_filters_need_a_solvable_kind():
    from bracketsolve.errors import BracketError

    with pytest.raises(BracketError, match="solvable"):
        generate_games(1, kind="unsolvable", needs_fractions=True)
    with pytest.raises(BracketError):
        generate_games(1, needs_fractions="yes")


def test_jsonl_shards_equal_the_single_run_minus_repeats(tmp_path):
    manifest = datasets.write_dataset(str(tmp_path), 120, shards=3, fmt="jsonl", **OPTIONS)
    seen, expected = set(), []
    for e in generate_games(120, **OPTIONS):
        if e["metadata"]["puzzle"] not in seen:
            seen.add(e["metadata"]["puzzle"])
            expected.append(e)
    assert datasets.read_dataset(str(tmp_path)) == expected and manifest["duplicates"] == 120 - len(expected) > 0
    on_disk = json.load(open(tmp_path / "_manifest.json"))
    assert on_disk["options"]["rules"] == "24" and on_disk["rows"] == len(expected)


def test_parquet_round_trip_and_a_clean_audit_that_checks_every_row(tmp_path):
    pytest.importorskip("pyarrow")
    datasets.write_dataset(str(tmp_path), 40, shards=2, kind="any", **{**OPTIONS, "values": (1, 13)})
    back = datasets.read_dataset(str(tmp_path))
    original = {e["metadata"]["puzzle"]: e for e in generate_games(40, kind="any", **{**OPTIONS, "values": (1, 13)})}
    assert any(e["answer"] == "no solution" for e in back) and any(e["answer"] != "no solution" for e in back)
    for e in back:
        assert e["metadata"] == {**original[e["metadata"]["puzzle"]]["metadata"], "seed": "3"}
    report = audit(str(tmp_path))
    assert report.ok and report.rows == len(back) and not report.unchecked


def test_audit_finds_each_planted_wrong_label(tmp_path):
    entries = list(generate_games(4, kind="solvable", seed=2)) + list(generate_games(2, kind="unsolvable", seed=2))
    entries[0]["answer"] = "no solution"                            # solvable, labelled none
    entries[1]["answer"] = "1 + 1"                                  # does not verify
    entries[2]["metadata"]["solutions"] += 1                        # a wrong figure
    entries[3]["metadata"]["needs_fractions"] = not entries[3]["metadata"]["needs_fractions"]
    entries[4]["answer"] = entries[0]["metadata"]["puzzle"].split(" -> ")[0].replace(" ", " + ")  # none exists
    entries.append(entries[5])                                      # a repeat
    path = tmp_path / "g.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    found = {f.row: f.kind for f in audit(str(path)).findings}
    assert found == {1: "solvable_claimed_none", 2: "answer_wrong", 3: "metadata_wrong", 4: "metadata_wrong",
                     5: "unsolvable_claimed_solvable", 7: "duplicate"}
    assert {f.row: f.kind for f in audit(str(path), figures=False).findings} == {
        1: "solvable_claimed_none", 2: "answer_wrong", 3: "metadata_wrong", 5: "unsolvable_claimed_solvable",
        7: "duplicate"}


def test_cli_writes_free_order_shards(tmp_path):
    from bracketsolve.cli.main import main

    out = tmp_path / "d"
    assert main(["generate", "--rules", "24", "--count", "30", "--seed", "1", "--needs-fractions", "--format",
                 "jsonl", "--out", str(out), "--shards", "2", "--scheduler", "none"]) == 0
    rows = datasets.read_dataset(str(out))
    assert rows and all(r["metadata"]["needs_fractions"] is True for r in rows)
    assert main(["audit", str(out)]) == 0
    assert main(["generate", "--count", "2", "--needs-fractions"]) == 2       # a bracket puzzle: bad input
