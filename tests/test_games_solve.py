"""solve(..., rules=...) and the command line's --rules: counts, proofs of none, nearest values, exit codes."""

import json
from fractions import Fraction

import pytest

from bracketsolve import BracketError, TooLargeError, solve, values
from bracketsolve.cli import main
from bracketsolve.games.result import GameResult

from .games_brute import sub_multisets, trees, value


def brute_count(numbers, target, every=True, tv=False, ops="+-*/"):
    distinct = list(dict.fromkeys(Fraction(x) for x in numbers))
    labels = tuple(sorted(distinct.index(Fraction(x)) for x in numbers))
    parts = [labels] if every else sub_multisets(labels)
    return sum(value(t, distinct, tv) == target for part in parts for t in trees(part, ops))


@pytest.mark.parametrize("numbers, target", [([4, 7, 8, 8], 24), ([3, 3, 8, 8], 24), ([1, 1, 1, 1], 24),
                                             ([1, 5, 5, 5], 24), ([0, 2, 3], 0), ([-2, 3, "1.5"], 3)])
def test_24_counts_match_the_brute_force(numbers, target):
    r = solve(numbers, target=target, rules="24")
    assert isinstance(r, GameResult)
    assert r.count == brute_count(numbers, target)
    assert len(list(r.solutions)) == r.count
    assert all(s.value == target and sorted(s.numbers) == sorted(map(str, numbers)) for s in r.solutions)


@pytest.mark.parametrize("rules, tv", [("countdown", False), ("countdown-tv", True)])
def test_countdown_counts_every_sub_multiset(rules, tv):
    numbers = [2, 3, 3, 5]
    for target in (1, 5, 6, 10, 30, 45):
        r = solve(numbers, target=target, rules=rules)
        assert r.count == brute_count(numbers, target, every=False, tv=tv)
        assert len(set(map(str, r.solutions))) == r.count


def test_inputs_of_every_shape_give_the_same_answer():
    want = solve("4 7 8 8 -> 24", rules="24").count
    assert solve("[4, 7, 8, 8], 24", rules="24").count == want
    assert solve([4, 7, 8, 8], rules="24").count == want
    assert solve({"numbers": [4, 7, 8, 8], "target": 24}, rules="24").count == want
    assert solve("4 7 8 8", target=24, rules="24").count == want


def test_no_solution_is_proved_with_the_values_and_the_nearest():
    r = solve("1 1 1 1 -> 24", rules="24")
    assert not r and r.count == 0 and r.total == 320
    assert r.undefined == 320 - sum(r.values().values())
    text = r.summary()
    assert "No expression of 1 1 1 1" in text and "All 320 expressions evaluated exactly" in text
    assert "they reach 11 values: -2, -1, -1/2, 0, 1/3, 1/2, 1, 3/2, 2, 3, 4" in text
    near = r.nearest(2)
    assert [n.value for n in near] == [3, 4]
    assert all(n.witness.value == n.value == r.game.evaluate(n.witness.tree) for n in near)


def test_values_are_in_increasing_order_and_count_expressions():
    table = values("2 3 4", rules="24")
    assert list(table) == sorted(table)
    assert sum(table.values()) == solve("2 3 4", rules="24").total - solve("2 3 4", rules="24").undefined
    assert values("8 8", rules="countdown") == {0: 1, 1: 1, 8: 1, 16: 1, 64: 1}


def test_limit_first_and_backends():
    r = solve("25 50 75 100 3 6 -> 952", rules="countdown-tv", limit=5)
    assert len(list(r.solutions)) == 5 and r.count == 88
    assert str(r.first) in {str(s) for s in r.solutions} or r.first.value == 952
    fast = solve("25 50 75 100 3 6 -> 952", rules="countdown-tv", backend="numba")
    assert (fast.count, fast.total, fast.undefined, fast.backend) == (r.count, r.total, r.undefined, "numba")


def test_ops_narrow_the_operators():
    r = solve("4 7 8 8 -> 24", rules="24", ops="+-*")
    assert r.count == brute_count([4, 7, 8, 8], 24, ops="+-*")
    assert all("/" not in str(s) for s in r.solutions)


@pytest.mark.parametrize("call", [
    lambda: solve("4 7 8 8", rules="countdown"),                        # no target
    lambda: solve("4 7 8 8 -> 24", rules="25"),
    lambda: solve("4 7 8 8 -> 24", rules="24", distinct="some"),
    lambda: solve("4 7 8 8 -> 24", rules="24", limit=-1),
    lambda: solve("4 7 8 8 -> 24", rules="24", backend="gpu"),
    lambda: solve("4 7 8 8 -> 24", rules="24", ops="+^"),
])
def test_bad_calls_are_bracket_errors(call):
    with pytest.raises(BracketError):
        call()


def test_tv_target_that_is_not_a_positive_integer_has_no_solution():
    assert solve("4 7 8 8", rules="24-tv", target=0).count == 0


def test_the_bracket_rules_are_unchanged():
    assert solve("8 + 28 / 4 - 2 * 3 = 6").count == 1
    assert solve("8 + 28 / 4 - 2 * 3 = 6", rules="brackets").count == 1


# --- the command line -----------------------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_solves_with_rules(capsys):
    code, out, err = run(capsys, "--rules", "24", "3 3 8 8 -> 24")
    assert code == 0 and err == ""
    assert out.splitlines()[0] == "8 / (3 - 8 / 3) = 24"
    assert "1 of 1,920 expressions of 3 3 8 8" in out


def test_cli_proves_none_and_exits_1(capsys):
    code, out, _ = run(capsys, "--rules", "24", "1 1 1 1")
    assert code == 1 and "No expression of 1 1 1 1" in out and "Nearest: 4 = " in out


def test_cli_json_and_distinct_form(capsys):
    code, out, _ = run(capsys, "--json", "--rules", "24", "--distinct", "form", "4 7 8 8 -> 24")
    body = json.loads(out)
    assert code == 0 and body["count"] == 3 and body["rules"] == "24" and body["distinct"] == "form"
    assert len(body["solutions"]) == 3


def test_cli_values_with_rules(capsys):
    code, out, _ = run(capsys, "--json", "--rules", "countdown", "--values", "8 8")
    body = json.loads(out)
    assert code == 0 and body["values"] == {"0": 1, "1": 1, "8": 1, "16": 1, "64": 1} and body["total"] == 5


def test_cli_bad_free_order_input_exits_2(capsys):
    code, out, err = run(capsys, "--rules", "countdown-tv", "1.5 2 -> 3")
    assert code == 2 and "positive whole numbers" in err and "Traceback" not in err
    code, out, err = run(capsys, "--rules", "24", "4 7 x -> 24")
    assert code == 2 and "^" in err


def test_cli_file_of_free_order_puzzles(capsys, tmp_path):
    path = tmp_path / "games.txt"
    path.write_text("4 7 8 8 -> 24\n1 1 1 1 -> 24\n4 x\n", encoding="utf-8")
    code, out, _ = run(capsys, "--rules", "24", "--file", str(path))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("solvable") for line in lines] == [True, False, None] and code == 2


# --- budgets ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", ["python", "numba"])
def test_work_and_memory_budgets_stop_a_countdown(backend):
    from bracketsolve import TooLargeError

    with pytest.raises(TooLargeError) as e:
        solve("25 50 75 100 3 6 -> 952", rules="countdown", backend=backend, max_work=10_000)
    assert e.value.limit == "max_work"
    with pytest.raises(TooLargeError) as e:
        values("25 50 75 100 3 6", rules="countdown", backend=backend, max_memory="2M")
    assert e.value.limit in ("max_memory", "max_entries")


def test_timeout_and_progress():
    from bracketsolve.errors import SolveTimeout

    with pytest.raises(SolveTimeout):
        solve("25 50 75 100 3 6 -> 952", rules="countdown", backend="python", timeout=0.05)
    seen = []
    assert solve("2 3 4 5 6 -> 24", rules="countdown", backend="python", progress=seen.append).count > 0
    assert seen and seen[0].unit == "sub-multisets" and seen[-1].final


def test_a_budget_block_applies_to_free_order_solves():
    from bracketsolve import TooLargeError
    from bracketsolve.solver.limits import budget

    with budget(max_work=50):
        with pytest.raises(TooLargeError):
            solve("2 3 4 5 6 -> 24", rules="24", backend="python")
        with pytest.raises(TooLargeError):
            solve("2 3 4 5 -> 24", rules="24", distinct="form", backend="python")


def test_cli_budget_flags_with_rules(capsys):
    code, out, err = run(capsys, "--rules", "countdown", "--max-work", "1000", "25 50 75 100 3 6 -> 952")
    assert code == 2 and "value combinations" in err and "--max-work" in err


def test_cli_check_generate_and_grade_with_rules(capsys, tmp_path):
    code, out, _ = run(capsys, "check", "--rules", "24", "3 3 8 8 -> 24", "8 / (3 - 8 / 3)")
    assert code == 0 and out.startswith("correct")
    code, out, _ = run(capsys, "check", "--rules", "24", "--json", "3 3 8 8 -> 24", "8 * 3")
    assert code == 1 and json.loads(out)["reason"] == "numbers_missing"
    code, out, _ = run(capsys, "generate", "--rules", "countdown-tv", "--count", "2", "--operands", "4",
                       "--numbers", "1,10", "--target", "10,50", "--seed", "3")
    entries = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(entries) == 2 and all(e["metadata"]["rules"] == "countdown-tv" for e in entries)
    puzzles, outputs = tmp_path / "p.jsonl", tmp_path / "o.jsonl"
    puzzles.write_text(out, encoding="utf-8")
    outputs.write_text(json.dumps(f"<answer>{entries[0]['answer']}</answer>") + "\n" + json.dumps("1 + 2") + "\n",
                       encoding="utf-8")
    code, out, _ = run(capsys, "grade", "--json", str(puzzles), str(outputs))
    body = json.loads(out)
    assert code == 1 and body["correct"] == 1 and body["items"][0]["ok"] and not body["items"][1]["ok"]


def test_auto_leaves_a_game_past_the_numba_engines_int64_counts_to_python():
    """12 numbers make more than 2**63 trees: the numba engine refuses them before any work, and auto goes on in
    Python (here into its small work cap) instead of passing on numba's "use --backend python"."""
    from bracketsolve.games.reader import read_game
    from bracketsolve.games.solve import engine_for
    from bracketsolve.solver.limits import Limits

    game = read_game("1 2 3 4 5 6 7 8 9 10 11 12 -> 24", rules="24")
    pytest.importorskip("numba")
    with pytest.raises(TooLargeError) as numba:
        engine_for(game, "numba")
    assert numba.value.limit == "max_trees"
    with pytest.raises(TooLargeError) as auto:
        engine_for(game, "auto", Limits(max_work=1000))
    assert auto.value.limit == "max_work"
