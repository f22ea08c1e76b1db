"""Free-order grading honours every field of an entry that defines the puzzle (rules, ops, numbers, target),
refuses entries whose fields disagree or are unknown, reads hostile outputs in linear time, and is reached
from `grade`/`score` and the `grade` command for entries of `generate_games`."""

import json
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bracketsolve
from bracketsolve import BracketError
from bracketsolve.cli.main import main
from bracketsolve.evaluation.games_check import check_game
from bracketsolve.evaluation.games_generate import generate_games
from bracketsolve.evaluation.games_grade import CLOSING, OPENING, grade_game, last_tagged, score_game
from bracketsolve.evaluation.games_rewards import _last_answer, compute_score


def entry_of(puzzle, rules="24", ops="+-*/", **more):
    numbers, target = puzzle.split(" -> ")
    meta = {"puzzle": puzzle, "rules": rules, "numbers": numbers.split(), "target": target, "ops": ops}
    meta.update(more)
    return {"question": "...", "answer": "...", "metadata": meta}


def test_the_generators_entry_keeps_its_ops():
    entries = list(generate_games(3, rules="24", ops="+-", seed=7))
    first = entries[0]
    assert first["metadata"]["puzzle"] == "4 9 1 12 -> 24" and first["metadata"]["ops"] == "+-"
    verdict = grade_game(first, "<answer>(9 - 1) * (12 / 4)</answer>")
    assert verdict.reason == "operators_changed", verdict
    assert score_game("<answer>(9 - 1) * (12 / 4)</answer>", first) == 0.0
    for entry in entries:                            # the generator's own answers stay correct
        assert grade_game(entry, f"<answer>{entry['answer']}</answer>").ok


@pytest.mark.parametrize("rules", ["24", "24-tv"])
def test_ops_of_the_entry_decide_answers(rules):
    entry = entry_of("4 7 8 8 -> 24", rules=rules, ops="+-*")
    assert grade_game(entry, "(7-8/8)*4").reason == "operators_changed"
    assert score_game("(7-8/8)*4", entry) == 0.0
    assert check_game("4 7 8 8 -> 24", "(7-8/8)*4", rules=rules, ops="+-*").reason == "operators_changed"


@pytest.mark.parametrize("rules", ["24", "24-tv"])
def test_ops_of_the_entry_decide_claims_of_no_solution(rules):
    entry = entry_of("7 9 6 4 -> 24", rules=rules, ops="+-*")
    assert grade_game(entry, "<answer>no solution</answer>").reason == "correct_no_solution"
    assert score_game("<answer>no solution</answer>", entry) == 1.0
    entry = entry_of("7 9 6 4 -> 24", rules=rules)
    assert grade_game(entry, "<answer>no solution</answer>").reason == "wrong_no_solution"


def test_generated_unsolvable_entries_under_fewer_ops_grade_their_own_answer():
    for entry in generate_games(4, rules="24", ops="+-*", kind="unsolvable", seed=1):
        assert entry["answer"] == "no solution"
        assert grade_game(entry, f"<answer>{entry['answer']}</answer>").reason == "correct_no_solution"


@pytest.mark.parametrize("change, words", [
    ({"ops": "+-^"}, "not an operator"),
    ({"ops": 3}, "ops"),
    ({"rules": "foo"}, "'foo'"),
    ({"rules": "brackets"}, "brackets"),
    ({"numbers": ["4", "7", "8", "9"]}, "disagree"),
    ({"target": "25"}, "disagree"),
    ({"puzzle": "4 7 8 -> 24"}, "disagree"),
])
def test_entries_whose_fields_disagree_or_are_unknown_are_refused(change, words):
    entry = entry_of("4 7 8 8 -> 24")
    entry["metadata"].update(change)
    with pytest.raises(BracketError, match=words):
        grade_game(entry, "(7-8/8)*4")
    with pytest.raises(BracketError, match=words):
        score_game("(7-8/8)*4", entry)


def test_a_rules_argument_that_contradicts_the_entry_is_refused():
    entry = entry_of("4 7 8 8 -> 24", rules="24")
    assert grade_game(entry, "(7-8/8)*4", rules="24").ok
    with pytest.raises(BracketError, match="countdown"):
        grade_game(entry, "(7-8/8)*4", rules="countdown")


def test_rules_foo_names_the_rule_before_reading_the_puzzle():
    entry = {"metadata": {"puzzle": "1 + 2 = 3", "rules": "foo"}}
    with pytest.raises(BracketError, match="'foo'"):
        grade_game(entry, "1 + 2")


def test_score_and_grade_dispatch_on_the_entrys_rules():
    entry = entry_of("4 7 8 8 -> 24")
    assert bracketsolve.score("<answer>(7 - 8 / 8) * 4</answer>", entry) == 1.0
    assert bracketsolve.grade(entry, "<answer>(7 - 8 / 8) * 4</answer>").reason == "correct"
    assert bracketsolve.grade(entry=entry, output="4 * 6").reason == "numbers_changed"
    limited = entry_of("4 7 8 8 -> 24", ops="+-*")
    assert bracketsolve.score("(7 - 8 / 8) * 4", limited) == 0.0
    for generated in generate_games(3, rules="countdown", seed=2):
        answer = generated["answer"]
        assert bracketsolve.score(answer, generated) == 1.0
        assert bracketsolve.grade(generated, answer).ok
    with pytest.raises(BracketError, match="swapped"):
        bracketsolve.score(entry, "(7 - 8 / 8) * 4")


def test_grade_command_reports_a_bad_entry_line_and_grades_the_others(tmp_path, capsys):
    entries = list(generate_games(3, rules="24", seed=5))
    entries[1]["metadata"]["rules"] = "foo"
    code, report, err = grade_files(tmp_path, capsys, "".join(json.dumps(e) + "\n" for e in entries),
                                    "".join(json.dumps({"output": f"<answer>{e['answer']}</answer>"}) + "\n"
                                            for e in entries))
    assert code == 2
    assert [item["reason"] for item in report["items"]] == ["correct", "bad_entry", "correct"]
    assert "line 2" in report["items"][1]["detail"] and "'foo'" in report["items"][1]["detail"]
    assert "line 2" in err and "'foo'" in err


def grade_files(tmp_path, capsys, puzzles: str, outputs: str) -> tuple:
    """`bracketsolve grade P O --json` on these two files' texts: (exit code, the JSON report, stderr)."""
    (tmp_path / "p.jsonl").write_text(puzzles)
    (tmp_path / "o.jsonl").write_text(outputs)
    code = main(["grade", str(tmp_path / "p.jsonl"), str(tmp_path / "o.jsonl"), "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err
    assert report["correct"] == 2


HOSTILE = {     # name -> output of n repetitions
    "open answer tags": lambda n: "<answer>" * n,
    "open answer tags with a number": lambda n: "<answer> 1 " * n,
    "open tags, then a closed one": lambda n: "<answer> (" * n + "<answer>1</answer>",
}
GAME = {"target": 24, "numbers": [4, 7, 8, 8]}


def _cpu(fn, output) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        fn(output)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("reader", ["grade_game", "score_game", "compute_score"])
def test_hostile_outputs_take_linear_time(name, reader):
    """Not a timing assert: 4x the output must cost well under 16x (it cost 16x: 141.8 s for 176 KB)."""
    fn = {"grade_game": lambda out: grade_game("4 7 8 8 -> 24", out),
          "score_game": lambda out: score_game(out, entry_of("4 7 8 8 -> 24")),
          "compute_score": lambda out: compute_score(out, GAME)}[reader]
    small, large = HOSTILE[name](1000), HOSTILE[name](4000)
    fn(small)                                          # warm: the puzzle's solving is cached
    floor = 0.002                                      # CPU seconds under which the clock's grain dominates
    assert _cpu(fn, large) <= 8 * max(_cpu(fn, small), floor)


@given(st.lists(st.sampled_from(["<answer>", "</answer>", "<answer", "answer>", "1", " ", "\n"]), max_size=14))
def test_compute_score_finds_tinyzeros_last_tag(parts):
    """The linear search finds what TinyZero's re.findall(r"<answer>(.*?)</answer>")[-1] finds."""
    text = "".join(parts)
    found = re.findall(r"<answer>(.*?)</answer>", text, re.S)
    assert _last_answer(text) == (found[-1] if found else None)


@given(st.lists(st.sampled_from(["<answer>", "</answer>", "< Answer >", "</ANSWER>", "1", " ", "\n"]), max_size=14))
def test_last_tagged_reads_as_the_lazy_regex_did(parts):
    text = "".join(parts)
    old = [m.group(1) for m in re.finditer(r"<\s*answer\s*>(.*?)<\s*/\s*answer\s*>", text, re.I | re.S)
           if m.group(1).strip()]
    assert last_tagged(text, OPENING, CLOSING, nonempty=True) == (old[-1] if old else None)


def test_solving_an_entry_or_a_game_keeps_its_rules_and_ops():
    from bracketsolve.games.game import Game
    from bracketsolve.games.solve import solve_game

    assert solve_game(entry_of("7 9 6 4 -> 24", ops="+-*")).count == 0
    assert solve_game(entry_of("7 9 6 4 -> 24")).count > 0
    assert solve_game(Game.of([3, 4, 5], 7, rules="countdown")).count > 0       # 3 + 4: not every number
    assert solve_game(Game.of([3, 4, 5], 7, rules="24")).count == solve_game("3 4 5 -> 7").count


def test_compute_score_honours_ops_and_rules_in_the_ground_truth():
    assert compute_score("<answer>(7 - 8 / 8) * 4</answer>", GAME) == 1.0
    assert compute_score("<answer>(7 - 8 / 8) * 4</answer>", dict(GAME, ops="+-*")) == 0.1
    assert compute_score("<answer>3 + 4</answer>", {"target": 7, "numbers": [3, 4, 5], "rules": "countdown"}) == 1.0
    with pytest.raises(BracketError, match="disagrees"):
        compute_score("<answer>3 + 4</answer>", {"target": 7, "numbers": [3, 4, 5], "rules": "countdown"}, rules="24")


def test_grade_command_reports_a_puzzle_without_a_target_as_a_bad_entry_line(tmp_path, capsys):
    code, report, err = grade_files(tmp_path, capsys, '{"metadata": {"puzzle": "3 + 4 = 7"}}\n5\n"1 + 2"\n',
                                    '"<answer>3 + 4</answer>"\n"5"\n"1 + 2"\n')     # lines 2 and 3 have no "= target"
    assert code == 2
    assert [item["reason"] for item in report["items"]] == ["correct", "bad_entry", "bad_entry"]
    assert "line 2" in report["items"][1]["detail"] and "target" in report["items"][1]["detail"]
    assert "line 3" in err
