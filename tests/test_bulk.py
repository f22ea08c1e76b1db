"""solve_many and the bulk kernels: the same answers as a loop over solve(backend="python"), first solution
included; the line reader reads exactly what the parser reads, or leaves the line to it."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from bracketsolve import BracketError, ParseError, parse, solve
from bracketsolve.engines import bulk
from bracketsolve.engines.kernels import lines as KL
from bracketsolve.solver.many import BulkResult, Row, solve_many
from bracketsolve.solver.model import evaluate

SEED = "8 + 28 / 4 - 2 * 3 = 6"
BIG = ["999999999999999999", "4000000000", "3037000500", "-9223372036854775807"]
GLYPHS = {"+": ["+"], "-": ["-", "−"], "*": ["*", "x", "×"], "/": ["/", ":", "÷"], "?": ["?"]}


@st.composite
def numbers(draw) -> str:
    """A literal: mostly small ints, some decimals, zeros, negatives, int64-straining ones, odd forms."""
    kind = draw(st.integers(0, 19))
    if kind < 11:
        return str(draw(st.integers(-9, 20)))
    if kind < 13:
        return f"{draw(st.integers(-3, 9))}.{draw(st.integers(0, 99))}"
    if kind < 15:
        return "0"
    if kind < 17:
        return draw(st.sampled_from(BIG))
    return draw(st.sampled_from(["07", ".5", "-.25", "00", "12345678901234567890", "- 3", "1.50"]))


@st.composite
def puzzle_texts(draw, max_operands: int = 6) -> str:
    """A puzzle text: operands, glyphs (some Unicode, some `?`), maybe fixed groups, odd spacing, and a right
    side that is the value as written, a number, a fraction, another expression, or nothing."""
    n = draw(st.integers(1, max_operands))
    parts = [draw(numbers()) for _ in range(n)]
    ops = [draw(st.sampled_from("+-*/?")) for _ in range(n - 1)]
    glyphs = [draw(st.sampled_from(GLYPHS[op])) for op in ops]
    opens, closes = [""] * n, [""] * n
    for _ in range(draw(st.integers(0, 2)) if n >= 2 else 0):
        i = draw(st.integers(0, n - 2))
        j = draw(st.integers(i + 1, n - 1))
        left, right = draw(st.sampled_from([("(", ")"), ("[", "]"), ("{", "}")]))
        opens[i] += left
        closes[j] = right + closes[j]
    space = draw(st.sampled_from([" ", "", "  ", "\t"]))
    text = parts[0] and opens[0] + parts[0] + closes[0]
    for k in range(1, n):
        text += f"{space}{glyphs[k - 1]}{space}{opens[k]}{parts[k]}{closes[k]}"
    right = draw(st.integers(0, 6))
    if right == 0:
        try:
            expr = parse(text).left
            value = evaluate(expr, expr.written)
        except (ValueError, ZeroDivisionError):
            value = None
        return text if value is None else f"{text} = {value}"
    if right == 1:
        return text
    if right == 2:
        return f"{text} = {draw(st.integers(-3, 9))}/{draw(st.integers(-3, 9))}"
    if right == 3:
        return f"{text}={draw(st.integers(-2, 3))} {draw(st.sampled_from('x?+'))} {draw(st.integers(0, 3))}"
    return f"{text} = {draw(numbers())}"


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """The kernels compiled (or loaded) first, so that `auto` takes them."""
    bulk.warmup()


def reference(text, **options):
    """What a loop over solve() with the Python engine gives for one puzzle: the result, or the error."""
    try:
        return solve(text, backend="python", **options)
    except BracketError as error:
        return error


def same_row(row: Row, expected) -> None:
    if isinstance(expected, BracketError):
        assert row.error is not None and type(row.error) is type(expected) and str(row.error) == str(expected)
        assert row.count is None
        return
    assert row.error is None
    assert (row.count, row.total, row.undefined) == (expected.count, expected.total, expected.undefined)
    first = expected.first
    assert row.first == (None if first is None else str(first))
    assert row.tree == (None if first is None else first.tree)


def same_result(result, expected) -> None:
    if isinstance(expected, BracketError):
        assert type(result) is type(expected) and str(result) == str(expected)
        return
    assert (result.count, result.total, result.undefined) == (expected.count, expected.total, expected.undefined)
    assert result.puzzle == expected.puzzle
    assert [s.equation for s in result.solutions][:30] == [s.equation for s in expected.solutions][:30]
    assert result.summary() == expected.summary()


@given(st.lists(puzzle_texts(), min_size=1, max_size=12), st.integers(1, 5))
def test_rows_are_the_reference_loop(texts, chunk):
    rows = list(solve_many(texts, chunk=chunk))
    assert len(rows) == len(texts)
    for text, row in zip(texts, rows):
        same_row(row, reference(text))


@given(st.lists(puzzle_texts(max_operands=5), min_size=1, max_size=6))
def test_full_results_are_the_reference_loop(texts):
    for text, result in zip(texts, solve_many(texts, results="full")):
        same_result(result, reference(text))


MANY = ["0 * 0 * 0 * 0 * 0 * 0 = 0", "1 ? 1 ? 1 ? 1 ? 1 = 1", "2 ? 2 ? 2 ? 2 ? 2 ? 2 = 4", "0 ? 3 ? 0 ? 2 ? 0 = 0",
        "1 * 1 * 1 * 1 * 1 * 1 * 1 * 1 = 1", "6 ? 0 ? 2 ? 0 ? 3 ? 1 = 6", "(1 ? 1 ? 1) ? (1 ? 1 ? 1) = 2"]


@pytest.mark.parametrize("text", MANY)
def test_every_solution_in_the_reference_order(text):
    (result,) = solve_many([text], results="full", limit=1000)
    expected = [s.equation for s in solve(text, backend="python").solutions][:1000]
    assert len(expected) > 20
    assert [s.equation for s in result.solutions] == expected


@given(puzzle_texts(max_operands=7).filter(lambda t: "?" in t or " 0" in t), st.sampled_from([3, 50, 400]))
def test_listed_solutions_are_the_reference_order(text, limit):
    (result,) = solve_many([text], results="full", limit=limit)
    expected = reference(text)
    if isinstance(expected, BracketError):
        return
    assert [s.equation for s in result.solutions] == [s.equation for s in expected.solutions][:limit]


@given(st.lists(puzzle_texts(max_operands=5), min_size=1, max_size=6),
       st.sampled_from([None, 6, "7/2", "-2.5", Fraction(1, 3), 0, 10**20]), st.sampled_from([None, "+-", "*/", "x+"]))
def test_target_and_ops_as_solve_takes_them(texts, target, ops):
    rows = solve_many(texts, target=target, ops=ops)
    for text, row in zip(texts, rows):
        same_row(row, reference(text, target=target, ops=ops))


@given(st.lists(puzzle_texts(max_operands=5), min_size=1, max_size=6))
def test_puzzles_given_parsed(texts):
    puzzles = []
    for text in texts:
        try:
            puzzles.append(parse(text))
        except ParseError:
            pass
    for puzzle, row in zip(puzzles, solve_many(puzzles)):
        same_row(row, reference(puzzle))


@given(st.lists(puzzle_texts(max_operands=5), min_size=1, max_size=6), st.sampled_from([1, 4, 12, 30, 200]))
def test_a_work_budget_as_the_reference_counts_it(texts, max_work):
    for text, row in zip(texts, solve_many(texts, max_work=max_work)):
        same_row(row, reference(text, max_work=max_work))
    for text, result in zip(texts, solve_many(texts, max_work=max_work, results="full")):
        same_result(result, reference(text, max_work=max_work))


def test_a_small_memory_budget_sends_every_puzzle_to_solve():
    (row,) = solve_many([SEED], max_memory="100M")
    assert row.backend == "python" and row.count == 1
    (row,) = solve_many([SEED], max_memory="4G", timeout=5)
    assert row.backend == "bulk"


def test_a_budget_from_the_context_applies():
    from bracketsolve.solver.limits import budget

    with budget(max_work=1):
        (row,) = solve_many([SEED])
    assert row.error is not None and row.error.code == "too_large"


@given(st.lists(puzzle_texts(), min_size=1, max_size=8))
def test_python_backend_is_the_loop_itself(texts):
    for text, row in zip(texts, solve_many(texts, backend="python")):
        same_row(row, reference(text))
        assert row.error is not None or row.backend == "python"


# --- the reader ----------------------------------------------------------------------------------------

def read_one(text: str):
    batch = bulk.Batch()
    kind = int(batch.read([text])[0])
    return kind, batch


@given(st.one_of(puzzle_texts(), st.text(st.sampled_from("0123456789 .-+*x/:?()[]{}=×−"), max_size=24)))
def test_the_reader_reads_what_the_parser_reads_or_leaves_the_line(text):
    kind, batch = read_one(text)
    if kind == KL.OTHER:
        return
    puzzle = parse(text)                            # the reader takes no line that the parser refuses
    side = puzzle.left
    n, f = int(batch.size[0]), int(batch.first[0])
    assert n == side.size
    assert [Fraction(int(a), int(b)) for a, b in zip(batch.num[f:f + n], batch.den[f:f + n])] == list(side.numbers)
    raw = batch.text.tobytes()
    assert [raw[a:b].decode() for a, b in zip(batch.lit0[f:f + n], batch.lit1[f:f + n])] == list(side.literals)
    assert [int(m) for m in batch.mask[f:f + n - 1]] == [bulk.mask_of(s) for s in side.slots]
    assert ["?" if g < 0 else chr(raw[g]) for g in batch.glyph[f:f + n - 1]] == list(side.glyphs)
    g0, gn = int(batch.gfirst[0]), int(batch.gcount[0])
    groups = set(zip(batch.glo[g0:g0 + gn].tolist(), batch.ghi[g0:g0 + gn].tolist())) - {(0, n - 1)}
    assert groups == set(side.groups)
    if kind == KL.NO_EQUALS:
        assert not puzzle.is_equation
    else:
        assert puzzle.target == Fraction(int(batch.tnum[0]), int(batch.tden[0]))
    assert batch.puzzle(0, text) == puzzle          # literals, glyphs, groups, the tree as written, the target


@pytest.mark.parametrize("text", ["8 + 28 / 4 - 2 * 3 = 6", "10 ? 9 ? 8 = 26", "8 x (2 - 3) * 4 = -32", "2 * 3 = 7/2",
                                  "-2 * -3 = 6", "1.5 * 2 = 3", "5 = 5", "[1 + 2] * {3 - 4} = -3", "2:4 = 1/2",
                                  "6 / 3 = -7/-2"])
def test_the_reader_takes_plain_lines(text):
    assert read_one(text)[0] == KL.PLAIN


@pytest.mark.parametrize("text", ["8 + 28 / 4 - 2 * 3 = 6 - 0", "２ + 3 = 5", "8 × 2 = 16", "07 + 1 = 8", ".5 * 2 = 1",
                                  "1 + = 2", "1 + 2 = 3 = 3", "(1 + 2 = 3", "1 + 2 = 3/0", "1 + 2 =", "1 +\v2 = 3",
                                  "- 3 + 4 = 1", "1 + 2 = (3)", "12345678901234567890 + 1 = 2", "1 + 2 = 1.5/2"])
def test_the_reader_leaves_other_lines_to_the_parser(text):
    assert read_one(text)[0] == KL.OTHER


def test_an_expression_without_equals_is_read_as_one():
    assert read_one("1 + 2 * 3")[0] == KL.NO_EQUALS


# --- what goes where ---------------------------------------------------------------------------------------

def test_the_seed_puzzle_in_bulk():
    (row,) = solve_many([SEED])
    assert (row.count, row.total, row.undefined, row.first, row.backend) == (1, 14, 0, "(8 + 28) / ((4 - 2) * 3)",
                                                                               "bulk")
    assert row.tree == ("/", ("+", 0, 1), ("*", ("-", 2, 3), 4))
    (result,) = solve_many([SEED], results="full")
    assert isinstance(result, BulkResult) and str(result.first) == "(8 + 28) / ((4 - 2) * 3)"


def test_bad_puzzles_give_errors_in_their_place_and_the_batch_goes_on():
    texts = [SEED, "8 + * 2 = 10", "1 + 2 * 3", "1 + 2 = 3"]
    rows = list(solve_many(texts))
    assert [r.error.code if r.error else r.count for r in rows] == [1, "two_operators", "invalid", 1]
    full = list(solve_many(texts, results="full"))
    assert isinstance(full[1], ParseError) and full[1].position == 4
    assert isinstance(full[2], BracketError) and "nothing to solve for" in str(full[2])


def test_overflowing_arithmetic_is_redone_by_solve():
    text = "999999999999999999 * 999999999999999999 - 3 / 7 = 1"
    (row,) = solve_many([text])
    assert row.backend != "bulk"
    same_row(row, reference(text))


def test_puzzles_past_the_kernels_size_go_through_solve():
    text = " * ".join(["1"] * 15) + " = 1"                 # Catalan(14) bracketings, every one a solution
    assert parse(text).total() > bulk.MAX_TOTAL
    (row,) = solve_many([text])
    assert row.backend != "bulk" and row.count == solve(text).count


def test_twelve_operands_go_through_solve_in_its_order():
    """12 operands have Catalan(11) = 58,786 shapes, past MAX_SHAPES: solve() answers them by the cost model
    (not every table), so the kernel leaves them, and solve_many lists what solve() lists."""
    text = "3 + 8 * 2 - 6 / 3 * 9 + 4 - 7 * 2 + 5 * 1 - 8 = 10"
    batch = bulk.Batch()
    batch.read([SEED, text])
    assert batch.solve([0, 1]).status == [bulk.SOLVED, bulk.TOO_BIG]
    (result,) = solve_many([text], results="full", limit=50)
    expected = solve(text, limit=50)                        # the engine auto picks, as solve_many asks it
    assert result.count == expected.count > 0
    assert [s.equation for s in result.solutions] == [s.equation for s in expected.solutions]


def test_auto_solves_one_at_a_time_until_the_kernels_are_compiled(monkeypatch):
    monkeypatch.setattr(bulk, "compiled", lambda: False)
    (row,) = solve_many([SEED])
    assert row.backend == "python" and row.first == "(8 + 28) / ((4 - 2) * 3)"
    (row,) = solve_many([SEED], backend="bulk")
    assert row.backend == "bulk"


def test_warmup_says_both_engines_are_ready():
    from bracketsolve.cli.main import run

    body, code = run(["warmup", "--json"])
    assert code == 0 and "bulk kernels ready" in body["warmup"]


def test_two_sided_puzzles_go_through_solve():
    (row,) = solve_many(["1 + 2 * 3 = 3 * 3"])
    assert row.backend != "bulk" and row.count == solve("1 + 2 * 3 = 3 * 3").count


def test_results_are_streamed_chunk_by_chunk():
    def texts():
        yield SEED
        raise RuntimeError("read past the first chunk")

    rows = solve_many(texts(), chunk=1)
    assert next(rows).count == 1
    with pytest.raises(RuntimeError):
        next(rows)


@pytest.mark.parametrize("options, message", [({"backend": "fast"}, "backend"), ({"results": "arrays"}, "results"),
                                              ({"limit": -1}, "limit"), ({"chunk": 0}, "chunk"),
                                              ({"max_work": 0}, "max_work"), ({"timeout": -1}, "timeout"),
                                              ({"max_memory": "lots"}, "max_memory"),
                                              ({"target": 0.5}, "floats"), ({"ops": "^"}, "operator")])
def test_bad_options_raise_at_the_call(options, message):
    with pytest.raises(BracketError, match=message):
        solve_many([SEED], **options)


# --- the command line's batch path --------------------------------------------------------------------------

def batch_lines(lines: list, *options: str) -> list:
    """The JSON objects `bracketsolve --file` prints for these lines, and those of one `solve_command` a line."""
    import json
    import os
    import tempfile

    from bracketsolve.cli import solving
    from bracketsolve.cli.common import Stderr, error_body
    from bracketsolve.cli.main import run

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    try:
        body, _ = run(["--file", f.name, *options])
        batch = [json.loads(line) for line in body if not isinstance(line, Stderr)]
    finally:
        os.unlink(f.name)
    args = solving.parser().parse_args(["--json", *options])
    if args.backend == "auto":
        args.backend = "python"     # what `bracketsolve PUZZLE` picks for these small puzzles in a fresh process
    one_by_one = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            command = solving.values_command if args.values else solving.solve_command
            one_by_one.append(command(text, args)[0])
        except BracketError as e:
            one_by_one.append({"line": number, **error_body(e, text)})
    return batch, json.loads(json.dumps(one_by_one))


def without_backend(rows: list) -> list:
    return [{k: v for k, v in row.items() if k != "backend"} for row in rows]


@given(st.lists(st.one_of(puzzle_texts(max_operands=5), st.sampled_from(["", "# note", "  1 + 1 = 2  "])),
                min_size=1, max_size=10))
def test_the_batch_command_prints_what_it_printed_one_line_at_a_time(lines):
    batch, one_by_one = batch_lines(lines)
    assert without_backend(batch) == without_backend(one_by_one)
    assert all(row.get("backend") in (None, "bulk", "python") for row in batch)


@pytest.mark.parametrize("options", [["--target", "7/2"], ["--ops", "+-"], ["--all"], ["--limit", "1"],
                                     ["--target", "x"], ["--backend", "python"], ["--values"]])
def test_the_batch_command_with_options(options):
    lines = [SEED, "1 + 2 + 3 + 4 = 10", "10 ? 9 ? 8 = 26", "8 + * 2 = 10", "3 * 4 / 2 = 1 + 5"]
    batch, one_by_one = batch_lines(lines, *options)
    assert without_backend(batch) == without_backend(one_by_one)


def test_the_batch_command_answers_each_line_as_it_arrives():
    import subprocess
    import sys
    import threading

    child = subprocess.Popen([sys.executable, "-m", "bracketsolve", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    timer = threading.Timer(120, child.kill)
    timer.start()
    try:
        child.stdin.write(SEED + "\n")
        child.stdin.flush()
        first = child.stdout.readline()             # before the input ends
        child.stdin.write("1 + 2 = 4\n")
        child.stdin.close()
        rest = child.stdout.read()
    finally:
        timer.cancel()
        child.wait()
    assert '"count": 1' in first and '"solvable": false' in rest and child.returncode == 1


# --- memory: the kernel's tables within the budget; a kernel out of memory loses no puzzle ---------------------

WRAPPED = "(" * 5 + "2 ? 3 ? 5 ? 7 ? 11 ? 13" + "".join(f") + {i + 1}" for i in range(5)) + " = 1000003"


def test_the_kernel_leaves_a_puzzle_whose_tables_pass_its_byte_cap():
    assert parse(WRAPPED).total() <= bulk.MAX_TOTAL          # a puzzle the kernel takes, but not in 1 MiB
    batch = bulk.Batch()
    batch.read([SEED, WRAPPED])
    capped = batch.solve([0, 1], max_bytes=1 << 20)
    assert capped.status == [bulk.SOLVED, bulk.TOO_BIG] and capped.count[0] == 1
    free = batch.solve([0, 1])
    assert free.status == [bulk.SOLVED, bulk.SOLVED]
    (row,) = solve_many([WRAPPED], backend="bulk")
    assert (row.count, row.total) == (0, parse(WRAPPED).total())


def test_solve_many_gives_the_kernel_half_the_memory_budget(monkeypatch):
    from bracketsolve.solver.limits import parse_size

    caps = []
    solve = bulk.Batch.solve

    def recording(self, todo, **options):
        caps.append(options.get("max_bytes"))
        return solve(self, todo, **options)

    monkeypatch.setattr(bulk.Batch, "solve", recording)
    for results in ("compact", "full"):
        (row,) = solve_many([SEED], max_memory="300M", results=results)
        assert row.count == 1
    assert caps == [parse_size("300M") // 2] * 2


def test_a_kernel_out_of_memory_sends_its_chunk_to_solve(monkeypatch):
    def out_of_memory(self, todo, **options):
        raise MemoryError

    monkeypatch.setattr(bulk.Batch, "solve", out_of_memory)
    texts = [SEED, "1 + 2 = 4", "8 + * 2 = 10", "10 ? 9 ? 8 = 26"]
    for text, row in zip(texts, solve_many(texts, backend="bulk")):
        same_row(row, reference(text))
    for text, result in zip(texts, solve_many(texts, backend="bulk", results="full")):
        same_result(result, reference(text))


def test_the_batch_command_answers_every_line_when_the_kernel_runs_out_of_memory(monkeypatch):
    def out_of_memory(self, todo, **options):
        raise MemoryError

    monkeypatch.setattr(bulk.Batch, "solve", out_of_memory)
    batch, one_by_one = batch_lines([SEED, "1 + 2 = 4", "10 ? 9 ? 8 = 26"])
    assert without_backend(batch) == without_backend(one_by_one)
