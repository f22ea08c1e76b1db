"""The public API: seed cases by hand, laziness, limits, nearest values, the proof summary."""

from fractions import Fraction
from itertools import islice

import pytest

from bracketsolve import BracketError, ParseError, Solution, TooLargeError, parse, solve, values
from bracketsolve.engines.reference import PythonSide


def test_seed_puzzle_has_one_answer():
    result = solve("8 + 28 / 4 - 2 * 3 = 6")
    assert result.solvable and result.count == 1 and result.total == 14 and result.undefined == 0
    (only,) = list(result.solutions)
    assert isinstance(only, Solution)
    assert str(only) == "(8 + 28) / ((4 - 2) * 3)"
    assert only.equation == "(8 + 28) / ((4 - 2) * 3) = 6"
    assert (only.depth, only.pairs, only.value) == (2, 3, 6)


def test_seed_puzzle_with_target_7_is_proved_impossible():
    result = solve("8 + 28 / 4 - 2 * 3 = 7")
    assert not result.solvable and result.count == 0 and result.total == 14 and result.undefined == 0
    assert list(result.solutions) == []
    reached = result.values()
    assert len(reached) == 12 and Fraction(7) not in reached and sum(reached.values()) == 14
    summary = result.summary()
    assert summary.startswith("No bracketing of 8 + 28 / 4 - 2 * 3 equals 7. All 14 bracketings evaluated exactly;")
    assert "12 values: -18, -6, 3, 6, 9, 38/3," in summary
    assert "Nearest: 6 = (8 + 28) / ((4 - 2) * 3); 9 = " in summary


def test_target_keyword_overrides_and_accepts_exact_strings():
    assert solve("8 + 28 / 4 - 2 * 3", target=6).count == 1
    assert solve("8 + 28 / 4 - 2 * 3 = 7", target=Fraction(6)).count == 1
    assert solve("8 + 28 / 4 - 2 * 3", target="38/3").count == 1
    with pytest.raises(BracketError):
        solve("1 + 2", target=3.0)


def test_nothing_to_solve_for():
    with pytest.raises(BracketError):
        solve("1 + 2 + 3")


def test_bad_text_raises_parse_error():
    with pytest.raises(ParseError):
        solve("1 + + 2 = 3")


def test_nearest_values_below_and_above_with_witnesses():
    near = solve("8 + 28 / 4 - 2 * 3 = 7").nearest(2)
    assert [n.value for n in near] == [3, 6, 9, Fraction(38, 3)]
    for n in near:
        assert n.witness.value == n.value
    assert [n.count for n in near] == [1, 1, 2, 1]


def test_limit_and_laziness():
    puzzle = "1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 = 1"
    result = solve(puzzle, limit=3)
    assert result.count == 58786           # Catalan(11)
    assert len(list(result.solutions)) == 3
    assert len(list(islice(solve(puzzle).solutions, 5))) == 5


def test_first_solution_without_enumerating_the_rest():
    # 1 * 1 * ... (20 ones): 1,767,263,190 solutions; the first comes at once.
    result = solve(" * ".join(["1"] * 20) + " = 1")
    assert result.count == 1767263190
    assert str(result.first).startswith("1 * ")


def test_operator_slots_and_narrowing():
    result = solve("10 ? 9 ? 8 ? 7 = 27")
    assert result.total == 5 * 4 ** 3
    plus_only = solve("10 ? 9 ? 8 ? 7 = 34", ops="+")
    assert plus_only.count == 5 and plus_only.total == 5
    for s in solve("4 ? 2 ? 2 = 0").solutions:
        assert s.value == 0 and "?" not in str(s)


def test_fixed_groups_only_count_bracketings_that_contain_them():
    free = solve("8 + 28 / 4 - 2 * 3 = 6")
    fixed = solve("8 + 28 / (4 - 2 * 3) = -6")
    assert free.total == 14 and fixed.total == 2 * 2   # 2 shapes inside the group, 2 around it
    assert [str(s) for s in fixed.solutions] == ["8 + 28 / (4 - 2 * 3)"]
    assert solve("(8 + 28) / 4 - 2 * 3 = 6").solvable


def test_two_sided_equation_solutions_are_pairs():
    result = solve("1 + 2 * 3 = 3 * 3")
    assert result.total == 2 and result.count == 1
    assert [str(s) for s in result.solutions] == ["(1 + 2) * 3 = 3 * 3"]
    assert not solve("1 - 2 - 3 = 4 - 5").solvable


def test_decimals_and_negatives_are_exact():
    assert solve("0.1 + 0.2 = 0.3").count == 1
    assert solve("2.5 * -2 = -5").count == 1
    assert [str(s) for s in solve("1 / 3 * 3 = 1").solutions] == ["1 / 3 * 3"]   # not 1 / (3 * 3)


def test_values_of_an_expression():
    table = values("2 * 3 * 4 * 5 + 1")
    assert table == {121: 5, 122: 2, 126: 2, 144: 5}
    assert all(isinstance(v, Fraction) for v in table)
    assert values("1 / 0") == {}
    assert values("1 + 2 = 3") == {3: 1}
    with pytest.raises(BracketError):
        values("1 + 2 = 1 + 2")


def test_unknown_backend():
    with pytest.raises(BracketError):
        solve("1 + 2 = 3", backend="gpu")


def test_work_cap_gives_a_clear_error():
    puzzle = parse(" ? ".join(str(d) for d in range(1, 10)))
    with pytest.raises(TooLargeError) as info:
        PythonSide(puzzle.left, max_work=10_000)
    assert info.value.limit == "max_work" and "10,000" in str(info.value)


def test_big_literals_stay_exact():
    big = "123456789012345678901234567890"
    result = solve(f"{big} * {big} - {big} = {int(big) ** 2 - int(big)}")
    assert result.count == 1


def test_solutions_convert_to_sympy():
    import sympy

    (expr,) = solve("8 + 28 / 4 - 2 * 3 = 6").first.to_sympy()
    assert expr.doit() == sympy.Integer(6)
    left, right = solve("1 + 2 * 3 = 3 * 3").first.to_sympy()
    assert left.doit() == right.doit() == 9


def test_targets_of_any_exact_number_type():
    from decimal import Decimal

    import numpy

    assert solve("8 + 28 / 4 - 2 * 3", target=numpy.int64(6)).count == 1
    assert solve("0.5 + 0.25", target=Decimal("0.75")).count == 1
    with pytest.raises(BracketError):
        solve("0.5 + 0.25", target=float("0.75"))


def test_holds_is_none_for_an_expression():
    from bracketsolve import bracketings

    assert {b.holds for b in bracketings("8 + 2 * 3")} == {None}
    assert [b.holds for b in bracketings("1 / (1 - 1) = 1")] == [False]


def test_summary_grammar_for_a_single_bracketing():
    assert solve("1 + 1 = 2").summary() == "1 of 1 bracketing makes 1 + 1 = 2 true."
    assert solve("1 + 1 = 3").summary().startswith("No bracketing of 1 + 1 equals 3. The only bracketing was "
                                                   "evaluated exactly; it reaches 1 value: 2.")


@pytest.mark.parametrize("call", [lambda: parse(None), lambda: parse(5), lambda: solve(5), lambda: solve(None),
                                  lambda: values([1, 2]), lambda: solve("1 + 2 = 3", limit=True)])
def test_wrong_types_are_bracket_errors_naming_what_was_expected(call):
    with pytest.raises(BracketError) as caught:
        call()
    assert "str" in str(caught.value) or "int" in str(caught.value)


def test_a_limit_past_sys_maxsize_lists_every_solution(capsys, tmp_path):
    from bracketsolve.cli import main

    huge = 10**32
    assert [str(s) for s in solve("8 + 28 / 4 - 2 * 3 = 6", limit=huge).solutions] == ["(8 + 28) / ((4 - 2) * 3)"]
    assert len(list(solve("4 7 8 8 -> 24", rules="24", limit=huge).solutions)) == 22
    assert main(["--limit", str(huge), "8 + 28 / 4 - 2 * 3 = 6"]) == 0
    (tmp_path / "p.txt").write_text("8 + 28 / 4 - 2 * 3 = 6\n")
    assert main(["--limit", str(huge), "--file", str(tmp_path / "p.txt")]) == 0
    assert main(["--limit", str(huge), "--rules", "24", "4 7 8 8 -> 24"]) == 0
    out, err = capsys.readouterr()
    assert "internal error" not in err and err == ""
