"""The puzzle generator: determinism by (seed, index), and every knob re-verified by solving."""

import json
import random
from fractions import Fraction
from itertools import islice

import pytest

from bracketsolve import parse, solve
from bracketsolve.solver.bracketings import bracketings
from bracketsolve.errors import BracketError
from bracketsolve.solver.forms import form
from bracketsolve.evaluation.generate import KINDS, _evaluate, _plan, _shapes, _tree, generate
from bracketsolve.evaluation.grade import grade, score
from bracketsolve.solver.model import depth, pairs, render


def verify(entry):
    """Re-derive an entry's metadata by solving its puzzle text; return the solve() result."""
    meta = entry["metadata"]
    puzzle = parse(meta["puzzle"])
    assert meta["puzzle"] in entry["question"]
    result = solve(puzzle)
    classes = solve(puzzle, distinct="form")
    assert str(puzzle.target) == meta["target"]
    assert meta["solutions"] == result.count
    assert meta["classes"] == classes.count
    assert meta["total"] == result.total == puzzle.total()
    assert meta["numbers"] == list(puzzle.left.literals)
    assert meta["ops"] == "".join(puzzle.left.slots)
    depths = [s.depth for s in result.solutions]
    assert meta["min_depth"] == (min(depths) if depths else None)
    assert score(entry["answer"], entry) == 1.0
    assert grade(entry, entry["answer"]).ok
    json.dumps(entry)                      # plain JSON: rationals are strings
    return result


# --- the seed puzzle's numbers ------------------------------------------------------------------------

def test_plan_depths_pairs_and_classes_match_the_model():
    rng = random.Random(2)
    for _ in range(20):
        ops = tuple(rng.choice("+-*/") for _ in range(4))
        plan, roots, classes, depths, prs, texts, _ = _plan(ops)
        side = parse(" ".join(f"{i + 1} {op}" for i, op in enumerate(ops)) + " 5").left
        for r, node in enumerate(roots):
            tree = _tree(5, node, ops)
            assert depths[r] == depth(tree) and prs[r] == pairs(tree)
            assert texts[r].format(*side.literals) == render(side, tree)         # the fewest parentheses
        keys = [form(_tree(5, node, ops)) for node in roots]
        assert [keys.index(k) for k in keys] == [classes.index(c) for c in classes]     # the same partition


def test_plan_evaluates_like_the_brute_force_enumerator():
    text = "8 + 28 / 4 - 2 * 3"
    puzzle = parse(text)
    ops = tuple(puzzle.left.slots)
    plan, roots, *_ = _plan(ops)
    values = _evaluate([8, 28, 4, 2, 3], plan)
    by_tree = {b.tree: b.value for b in bracketings(puzzle)}
    assert len(roots) == len(by_tree) == 14
    for node in roots:
        v = values[node]
        expected = by_tree[_tree(5, node, ops)]
        assert (v if v is None or type(v) is int else Fraction(*v)) == expected


def test_seed_answer_has_depth_two():
    assert depth(parse("(8 + 28) / ((4 - 2) * 3)").left.written) == 2
    assert len(_shapes(6)[1]) == 42


# --- determinism ------------------------------------------------------------------------------------

def test_same_call_same_entries():
    a = list(generate(20, operands=5, seed=3))
    b = list(generate(20, operands=5, seed=3))
    assert a == b


def test_entry_depends_only_on_seed_and_index():
    whole = list(generate(12, operands=5, seed="run-1", kind="any"))
    shard = list(generate(4, operands=5, seed="run-1", kind="any", start=8))
    assert whole[8:] == shard
    assert [e["metadata"]["index"] for e in shard] == [8, 9, 10, 11]
    assert list(islice(generate(3, operands=5, seed="run-1", kind="any"), 3)) == whole[:3]


def test_different_seeds_differ():
    a = [e["metadata"]["puzzle"] for e in generate(10, operands=5, seed=1)]
    b = [e["metadata"]["puzzle"] for e in generate(10, operands=5, seed=2)]
    assert a != b


# --- kinds ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("operands", [2, 3, 4, 5, 6])
def test_unique_puzzles_have_one_class(operands):
    for entry in generate(15, operands=operands, kind="unique", seed=operands):
        verify(entry)
        assert entry["metadata"]["classes"] == 1 and entry["metadata"]["kind"] == "unique"


def test_solvable_puzzles_have_a_solution():
    for entry in generate(30, operands=5, kind="solvable", seed=5):
        assert verify(entry).solvable


def test_unsolvable_puzzles_are_near_misses():
    for entry in generate(30, operands=5, kind="unsolvable", seed=6):
        result = verify(entry)
        meta = entry["metadata"]
        assert not result.solvable and entry["answer"] == "no solution"
        target = Fraction(meta["target"])
        reachable = solve(meta["puzzle"]).values()
        assert target - 1 in reachable or target + 1 in reachable
        assert min(reachable) < target < max(reachable)        # not trivially out of range
        assert [Fraction(v) for v in meta["nearest"]] == [n.value for n in result.nearest(1)]
        assert score("There is no solution.", entry) == 1.0


def test_any_mixes_both():
    entries = list(generate(40, operands=4, kind="any", seed=8))
    solvable = [verify(e).solvable for e in entries]
    assert any(solvable) and not all(solvable)


@pytest.mark.parametrize("min_depth", [1, 2, 3])
def test_min_depth(min_depth):
    for entry in generate(10, operands=6, kind="unique", min_depth=min_depth, seed=min_depth):
        verify(entry)
        assert entry["metadata"]["min_depth"] >= min_depth
        assert parse(entry["answer"]).left.written is not None


# --- knobs ------------------------------------------------------------------------------------------

def test_numbers_and_ops():
    for entry in generate(20, operands=5, numbers=(2, 9), ops="+*", kind="solvable", seed=9):
        verify(entry)
        numbers = [Fraction(x) for x in entry["metadata"]["numbers"]]
        assert all(2 <= x <= 9 for x in numbers)
        assert set(entry["metadata"]["ops"]) <= set("+*")


def test_whole_positive_numbers_by_default():
    for entry in generate(20, operands=5, kind="any", seed=10):
        verify(entry)
        meta = entry["metadata"]
        assert all(x.isdigit() for x in meta["numbers"])
        assert Fraction(meta["target"]).denominator == 1 and Fraction(meta["target"]) >= 0


def test_decimals_and_negatives():
    seen_decimal = seen_negative = False
    for entry in generate(40, operands=4, kind="any", decimals=True, negatives=True, seed=11):
        verify(entry)
        meta = entry["metadata"]
        for literal in meta["numbers"]:
            assert len(literal.partition(".")[2]) <= 1
            seen_decimal |= "." in literal
            seen_negative |= literal.startswith("-")
        assert (Fraction(meta["target"]) * 100).denominator == 1
    assert seen_decimal and seen_negative


def test_target_range():
    for entry in generate(20, operands=5, kind="any", target=(10, 20), seed=12):
        verify(entry)
        assert 10 <= Fraction(entry["metadata"]["target"]) <= 20


def test_chinese_questions():
    entry = next(generate(1, operands=5, lang="zh", seed=13))
    assert entry["question"].startswith("给如下等式添加括号,可以加多个括号,使得等式成立: ")
    verify(entry)
    unsolvable = next(generate(1, operands=5, lang="zh", kind="unsolvable", seed=13))
    assert unsolvable["answer"] == "无解"
    verify(unsolvable)


def test_custom_template():
    entry = next(generate(1, operands=3, template="Solve: {puzzle} {{in JSON}}", seed=14))
    assert entry["question"] == "Solve: " + entry["metadata"]["puzzle"] + " {in JSON}"


def test_metadata_records_the_call():
    entry = next(generate(1, operands=4, kind="solvable", seed=15, start=7))
    meta = entry["metadata"]
    assert (meta["kind"], meta["seed"], meta["index"], meta["lang"]) == ("solvable", 15, 7, "en")


@pytest.mark.parametrize("kwargs", [
    dict(operands=1), dict(operands=11), dict(operands=5.0), dict(operands=5, kind="hard"),
    dict(operands=5, min_depth=-1), dict(operands=4, min_depth=3), dict(operands=5, lang="fr"),
    dict(operands=5, numbers=(5, 1)), dict(operands=5, numbers=(-3, 3)), dict(operands=5, numbers=(1.5, 3)),
    dict(operands=5, ops="^"), dict(operands=5, target=(1.0, 2)), dict(operands=5, target=(9, 1)),
    dict(operands=5, template="no placeholder"), dict(operands=5, template="{puzzle} in {lang}"),
    dict(operands=5, template="{puzzle} {0}"), dict(operands=5, template=7),
])
def test_bad_options_raise_at_call_time(kwargs):
    with pytest.raises(BracketError):
        generate(1, **kwargs)


def test_bad_count_raises():
    with pytest.raises(BracketError):
        generate(-1, operands=5)
    with pytest.raises(BracketError):
        generate(1, operands=5, start=-2)


def test_impossible_constraints_give_up_with_a_message():
    entries = generate(1, operands=2, numbers=(1, 1), ops="+", kind="unique", target=(5, 6))
    with pytest.raises(BracketError, match="no unique puzzle"):
        next(entries)


def test_kinds_are_listed():
    assert KINDS == ("unique", "solvable", "unsolvable", "any")


# --- the command line -------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    from bracketsolve.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_generate_writes_the_api_entries_as_json_lines(capsys):
    code, out, err = run_cli(capsys, "generate", "--count", "3", "--operands", "5", "--kind", "unique",
                             "--min-depth", "2", "--seed", "7")
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == list(generate(3, operands=5, kind="unique", min_depth=2, seed=7))


def test_cli_generate_knobs(capsys):
    code, out, _ = run_cli(capsys, "generate", "--count", "2", "--operands", "4", "--kind", "unsolvable", "--lang",
                           "zh", "--numbers", "1,9", "--ops", "+-*", "--target", "0,50", "--seed", "x", "--json")
    assert code == 0
    for line in out.splitlines():
        entry = json.loads(line)
        verify(entry)
        assert entry["answer"] == "无解" and entry["metadata"]["seed"] == "x"
        assert 0 <= Fraction(entry["metadata"]["target"]) <= 50


def test_cli_generate_bad_options_exit_2(capsys):
    code, out, err = run_cli(capsys, "generate", "--operands", "1")
    assert code == 2 and "operands" in err and out == ""


def test_cli_generate_progress_bar_only_on_a_terminal(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run_cli(capsys, "generate", "--count", "5", "--operands", "4")
    assert code == 0 and "5/5" in err and "#" in err
    assert len(out.splitlines()) == 5


# --- the exact difficulty figures, the filters, and the batch kernel ------------------------------------

from bracketsolve.evaluation.difficulty import difficulty  # noqa: E402

DIFFICULTY = ("rules", "total", "solutions", "classes", "undefined", "values", "min_depth", "min_pairs", "near_1",
              "near_1pct", "effort", "fraction")


@pytest.mark.parametrize("kwargs", [
    dict(operands=5, kind="any", seed=21), dict(operands=6, kind="unique", min_depth=2, seed=22),
    dict(operands=4, kind="unsolvable", decimals=True, negatives=True, seed=23),
    dict(operands=3, kind="solvable", ops="/-", numbers=(0, 4), seed=24),
])
def test_difficulty_metadata_is_what_difficulty_computes(kwargs):
    for entry in generate(25, **kwargs):
        meta = entry["metadata"]
        assert {k: meta[k] for k in DIFFICULTY} == difficulty(meta["puzzle"]).as_dict()


OPTION_SETS = [
    dict(operands=2, kind="any"), dict(operands=3, kind="unsolvable", numbers=(0, 3)),
    dict(operands=5, kind="any", decimals=True, negatives=True, target=(-10, 10)),
    dict(operands=6, kind="unique", min_depth=1), dict(operands=6, kind="any", ops="/*", numbers=(0, 9)),
    dict(operands=7, kind="solvable", target=(0, 100), max_solutions=3),
    dict(operands=6, kind="any", min_effort=40, min_near=1),
    dict(operands=5, kind="unique", numbers=(10**17, 10**17 + 50)),          # leaves int64: redone in Python
]


@pytest.mark.parametrize("kwargs", OPTION_SETS)
def test_the_batch_kernel_gives_the_python_entries(kwargs):
    python = list(generate(40, seed=31, backend="python", **kwargs))
    assert list(generate(40, seed=31, backend="numba", **kwargs)) == python


def test_auto_backend_gives_the_same_entries():
    assert list(generate(30, operands=6, seed=32)) == list(generate(30, operands=6, seed=32, backend="python"))


def test_filters_hold():
    for entry in generate(30, operands=6, kind="any", seed=33, min_effort=60, max_effort=120, max_solutions=2):
        meta = entry["metadata"]
        assert 60 <= meta["effort"] <= 120 and meta["solutions"] <= 2
        verify(entry)
    for entry in generate(20, operands=6, kind="solvable", seed=34, min_solutions=3, min_near=2):
        assert entry["metadata"]["solutions"] >= 3 and entry["metadata"]["near_1"] >= 2


def test_unsolvable_effort_is_the_whole_search():
    for entry in generate(10, operands=6, kind="unsolvable", seed=35):
        meta = entry["metadata"]
        assert meta["effort"] <= 132 and meta["effort"] == difficulty(meta["puzzle"]).effort


@pytest.mark.parametrize("kwargs", [dict(min_effort=-1), dict(max_solutions=1.5), dict(min_near=True),
                                    dict(backend="gpu")])
def test_bad_filters_raise(kwargs):
    with pytest.raises(BracketError):
        generate(1, operands=5, **kwargs)


# --- the kernels' copy of Python's Mersenne Twister ------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.integers(0, 10**6), st.integers(1, 2**40), st.integers(1, 700))
def test_the_kernel_twister_draws_what_random_random_draws(seed, index, width, count):
    import numpy as np

    from bracketsolve.engines.kernels import mt
    from bracketsolve.evaluation.batch import mt_key, mt_keys

    text = f"{seed}:{index}"
    key = mt_key(text)
    words, lengths = mt_keys(seed, [index])
    assert lengths[0] == len(key) and (words[0, :len(key)] == key).all()
    state = np.empty(625, np.int64)
    mt.seed(state, mt.start_state(), key, len(key))
    rng = random.Random(text)
    k = width.bit_length()
    got = [int(mt.below(state, width, k)) for _ in range(count)] + [bool(mt.quarter(state)) for _ in range(5)]
    assert got == [rng._randbelow(width) for _ in range(count)] + [rng.random() < 0.25 for _ in range(5)]


# --- hostile options: refused in one line, or accepted deterministically -----------------------------

def test_indices_past_int64_are_refused_at_call_time():
    from bracketsolve.evaluation.games_generate import generate_games
    from bracketsolve.evaluation.generate import MAX_INDEX

    for make, options in ((generate, dict(operands=4)), (generate_games, {})):
        with pytest.raises(BracketError, match="start \\+ count"):
            make(10**30, **options)
        with pytest.raises(BracketError, match="start \\+ count"):
            make(2, start=MAX_INDEX, **options)
        assert next(iter(make(1, start=MAX_INDEX - 1, **options)))["metadata"]["index"] == MAX_INDEX - 1


def test_a_seed_that_cannot_be_written_as_text_is_refused():
    with pytest.raises(BracketError, match="seed"):
        generate(1, operands=4, seed=10**5000)


@pytest.mark.parametrize("argv", [
    ["--count", str(10**30)], ["--count", "2", "--start", str(10**38)],
    ["--count", "2", "--operands", "0"], ["--count", "2", "--rules", "24", "--operands", "0"],
    ["--count", "2", "--operands=-1"],
])
def test_cli_generate_refuses_out_of_range_options_in_one_line(capsys, argv):
    code, out, err = run_cli(capsys, "generate", *argv)
    assert code == 2 and out == "" and "Traceback" not in err and "internal error" not in err
    first = err.splitlines()[0]
    assert first.startswith("bracketsolve: error:") and any(flag in first for flag in ("--count", "--start",
                                                                                        "--operands"))


def test_cli_generate_refuses_indices_past_int64_before_writing_a_data_set(capsys, tmp_path):
    code, out, err = run_cli(capsys, "generate", "--count", str(10**30), "--out", str(tmp_path / "d"))
    assert code == 2 and "--count" in err and not (tmp_path / "d").exists()


@pytest.mark.parametrize("seed, same", [
    ("-5", -5), ("1.5", "1.5"), ("²", "²"), ("٣", "٣"), (str(10**40), 10**40), ("9" * 5000, "9" * 5000),
])
def test_cli_generate_takes_any_seed_deterministically(capsys, seed, same):
    code, out, err = run_cli(capsys, "generate", "--count", "2", "--operands", "4", f"--seed={seed}")
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == list(generate(2, operands=4, seed=same))
    assert lines[0]["metadata"]["seed"] == same
