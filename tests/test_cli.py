"""The command line through main([...]): output, JSON, exit codes, errors without tracebacks."""

import json
import subprocess
import sys

import pytest

from bracketsolve.cli import main

SEED = "8 + 28 / 4 - 2 * 3 = 6"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solves_the_seed_puzzle(capsys):
    code, out, err = run(capsys, SEED)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "(8 + 28) / ((4 - 2) * 3) = 6"
    assert "1 of 14 bracketings" in lines[-1]


def test_unsolvable_exits_1_with_the_proof(capsys):
    code, out, _ = run(capsys, "8 + 28 / 4 - 2 * 3 = 7")
    assert code == 1
    assert "No bracketing of 8 + 28 / 4 - 2 * 3 equals 7. All 14 bracketings evaluated exactly" in out
    assert "Nearest: 6 = (8 + 28) / ((4 - 2) * 3)" in out


def test_bad_input_exits_2_with_a_caret_and_no_traceback(capsys):
    code, out, err = run(capsys, "8 + * 2 = 3")
    assert code == 2 and out == ""
    assert "two operators in a row" in err and "      ^" in err and "Traceback" not in err


def test_json_anywhere_on_the_line(capsys):
    for argv in (["--json", SEED], [SEED, "--json"]):
        code, out, _ = run(capsys, *argv)
        body = json.loads(out)
        assert code == 0
        assert body["solutions"] == ["(8 + 28) / ((4 - 2) * 3)"]
        assert (body["count"], body["total"], body["undefined"], body["solvable"]) == (1, 14, 0, True)
        assert body["target"] == "6"


def test_json_unsolvable_has_nearest(capsys):
    code, out, _ = run(capsys, "8 + 28 / 4 - 2 * 3 = 7", "--json")
    body = json.loads(out)
    assert code == 1 and body["solvable"] is False and body["solutions"] == []
    assert {"value": "38/3", "count": 1, "witness": "8 + 28 / ((4 - 2) * 3)"} in body["nearest"]


def test_json_error(capsys):
    code, out, err = run(capsys, "--json", "1 + (2")
    assert code == 2
    body = json.loads(out)
    assert body["code"] == "unbalanced" and body["position"] == 4


def test_limit_and_all(capsys):
    puzzle = "1 * 1 * 1 * 1 * 1 * 1 * 1 = 1"          # Catalan(6) = 132 solutions
    _, out, _ = run(capsys, puzzle)
    assert len([l for l in out.splitlines() if l.endswith("= 1")]) == 20
    assert "... and 112 more" in out
    _, out, _ = run(capsys, puzzle, "--limit", "3")
    assert len([l for l in out.splitlines() if l.endswith("= 1")]) == 3
    _, out, _ = run(capsys, puzzle, "--all", "--json")
    assert len(json.loads(out)["solutions"]) == 132


def test_values(capsys):
    code, out, _ = run(capsys, "--values", "2 * 3 * 4 * 5 + 1")
    assert code == 0 and out.splitlines()[0].split() == ["121", "5"]
    code, out, _ = run(capsys, "--values", "2 * 3 * 4 * 5 + 1", "--json")
    body = json.loads(out)
    assert body["values"] == {"121": 5, "122": 2, "126": 2, "144": 5}
    assert (body["total"], body["undefined"]) == (14, 0)
    _, out, _ = run(capsys, "--json", "--values", "1 / (1 - 1) + 2")
    assert json.loads(out)["undefined"] == 1


def test_target_and_ops_options(capsys):
    code, out, _ = run(capsys, "8 + 28 / 4 - 2 * 3", "--target", "38/3", "--json")
    assert code == 0 and json.loads(out)["count"] == 1
    code, out, _ = run(capsys, "3 ? 3 = 9", "--ops", "+-", "--json")
    assert code == 1 and json.loads(out)["total"] == 2


def test_check(capsys):
    assert run(capsys, "check", SEED, "(8 + 28) / ((4 - 2) * 3)")[0] == 0
    code, out, _ = run(capsys, "check", SEED, "8 + 28 / 4 - 2 * 3", "--json")
    assert code == 1 and json.loads(out) == {"ok": False, "reason": "wrong_value", "value": "9",
                                             "detail": "the answer equals 9, not 6"}
    assert run(capsys, "check", "8 + = 6", "8")[0] == 2


def test_batch_from_a_file_and_stdin(capsys, tmp_path, monkeypatch):
    path = tmp_path / "puzzles.txt"
    path.write_text(f"{SEED}\n\n# comment\n8 + 28 / 4 - 2 * 3 = 7\n1 +\n", encoding="utf-8")
    code, out, _ = run(capsys, "--file", str(path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r.get("solvable") for r in rows] == [True, False, None]
    assert rows[2]["code"] == "missing_operand"
    assert code == 2
    monkeypatch.setattr(sys, "stdin", open(path, encoding="utf-8"))
    code, out, _ = run(capsys, "-")
    assert len(out.splitlines()) == 3


def test_missing_file_is_a_clean_error(capsys, tmp_path):
    code, _, err = run(capsys, "--file", str(tmp_path / "nope.txt"))
    assert code == 2 and "Traceback" not in err


def test_module_entry_point():
    done = subprocess.run([sys.executable, "-m", "bracketsolve", SEED], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("(8 + 28) / ((4 - 2) * 3) = 6")


def test_importing_the_package_does_not_import_numba():
    done = subprocess.run([sys.executable, "-c", "import bracketsolve, sys; print('numba' in sys.modules)"],
                          capture_output=True, text=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"]])
def test_help(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0 and "bracketsolve" in capsys.readouterr().out


def test_batch_skips_a_byte_order_mark_and_reports_lines_that_are_not_utf8(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_bytes("\ufeff1 + 1 = 2\n".encode("utf-8") + b"8 \xd7 2 = 16\n")
    code, out, err = run(capsys, "--file", str(path))
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["solvable"] is True
    assert second["code"] == "not_utf8" and second["line"] == 2
    assert code == 2 and "Traceback" not in err


def test_batch_error_lines_do_not_echo_megabytes(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_text("1 +" + " 1 +" * 100_000 + "\n", encoding="utf-8")
    _, out, _ = run(capsys, "--file", str(path))
    assert len(out) < 1000


def test_puzzle_and_file_together_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "--file", str(tmp_path / "x.txt"), "1 + 1 = 2")
    assert code == 2 and "not both" in err


def test_usage_errors_are_json_with_json(capsys):
    for argv in (["--json", "8", "+", "28"], ["--json", "--limit", "-1", "1 = 1"], ["--json"],
                 ["--json", "--limit", "2", "--all", "1 = 1"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and json.loads(out)["code"] == "usage"
    code, _, err = run(capsys, "8", "+", "28")
    assert "quote the puzzle" in err


def test_check_without_a_target_is_bad_input(capsys):
    code, _, err = run(capsys, "check", "1 + 2", "1 + 2")
    assert code == 2 and "no '= target'" in err


def test_check_with_ops(capsys):
    assert run(capsys, "check", "3 ? 3 = 9", "3 * 3")[0] == 0
    assert run(capsys, "check", "--ops", "+-", "3 ? 3 = 9", "3 * 3")[0] == 1


def test_solutions_stream_and_a_closed_pipe_ends_quietly():
    # 1,767,263,190 solutions: the first line must come at once, and `| head -1` must end the process.
    puzzle = " * ".join(["1"] * 20) + " = 1"
    child = subprocess.Popen([sys.executable, "-m", "bracketsolve", "--all", puzzle], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    first = child.stdout.readline()
    child.stdout.close()
    code = child.wait(timeout=60)
    assert first.startswith(b"1 * ")
    assert code == 141 and b"Traceback" not in child.stderr.read()


# --- budgets and robustness (issue 8) ------------------------------------------------------------------------

BIG = "9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 2016"


def test_work_cap_flag_refuses_with_exit_2_in_the_command_lines_spelling(capsys):
    code, out, err = run(capsys, "--backend", "python", "--max-work", "1000", BIG)
    assert code == 2 and out == ""
    assert "--max-work" in err and "--backend numba" in err and "max_work=" not in err and "Traceback" not in err
    code, out, _ = run(capsys, "--json", "--backend", "python", "--max-work", "1000", BIG)
    body = json.loads(out)
    assert code == 2 and body["code"] == "too_large" and body["limit"] == "max_work"
    assert body["budget"] == 1000 and body["needed"] > 1000 and body["unit"] == "pairs"


def test_memory_flag_refuses_with_exit_2(capsys):
    code, out, err = run(capsys, "--json", "--backend", "python", "--max-memory", "2M", BIG)
    body = json.loads(out)
    assert code == 2 and body["limit"] == "max_memory" and body["budget"] == 2 << 20 and body["needed"] > 2 << 20
    assert "--max-memory" in body["error"] and "--max-memory" in err and "max_memory=" not in err


def test_timeout_flag_exits_2(capsys):
    code, out, err = run(capsys, "--json", "--backend", "python", "--timeout", "0.2",
                         "10 ? 9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 2016")
    assert code == 2 and json.loads(out)["code"] == "timeout" and "--timeout" in err


@pytest.mark.parametrize("flag, value", [("--max-memory", "4X"), ("--max-memory", "0"), ("--max-work", "-5"),
                                         ("--max-work", "lots"), ("--timeout", "0"), ("--timeout", "nan"),
                                         ("--timeout", "inf")])
def test_bad_budget_flags_are_usage_errors(capsys, flag, value):
    code, out, err = run(capsys, "--json", flag, value, "1 + 1 = 2")
    assert code == 2 and json.loads(out)["code"] == "usage" and flag in err


def test_an_unsolvable_puzzle_past_the_budget_for_its_value_list_is_still_proved(capsys):
    # the proof's values come from near questions, without the whole side's table: they fit a small budget
    code, out, _ = run(capsys, "--backend", "python", "--max-memory", "2M", "8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 100003")
    assert code == 1 and "No bracketing" in out and "All 7,028,736 bracketings evaluated exactly" in out
    assert "they reach more than 12 values from -10416 to 60480" in out and "Nearest: 60480 = " in out


def test_batch_errors_also_go_to_stderr_with_a_count(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_text("1 + 1 = 2\n1 +\n2 * 2 = 4\n(3\n", encoding="utf-8")
    code, out, err = run(capsys, "--file", str(path))
    assert code == 2 and len(out.splitlines()) == 4
    lines = err.splitlines()
    assert lines[0].endswith("line 2: missing number at the end") and "line 4:" in lines[1]
    assert lines[-1] == "bracketsolve: 2 lines of 4 failed (line 2, 4)"


def test_budget_flags_apply_to_each_line_of_a_batch(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_text(f"1 + 1 = 2\n{BIG}\n", encoding="utf-8")
    code, out, err = run(capsys, "--file", str(path), "--backend", "python", "--max-work", "1000")
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["solvable"] and second["code"] == "too_large" and second["line"] == 2 and code == 2
    assert "--max-work" in second["error"]


def test_empty_and_closed_standard_input_exit_2():
    empty = subprocess.run([sys.executable, "-m", "bracketsolve", "-"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
    assert empty.returncode == 2 and empty.stderr == "bracketsolve: error: no puzzles in standard input\n"
    closed = subprocess.run(["sh", "-c", f'"{sys.executable}" -m bracketsolve - <&-'], capture_output=True, text=True)
    assert closed.returncode == 2 and closed.stderr.startswith("bracketsolve: error: standard input is closed")


def test_an_argument_that_is_not_utf8_is_one_line_and_exit_2():
    done = subprocess.run([sys.executable, "-m", "bracketsolve", "--json", b"1 + \xff = 2"], capture_output=True)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert json.loads(done.stdout)["code"] == "usage"
    assert done.stderr == b"bracketsolve: error: argument 1 is not UTF-8 text (byte 0xff at character 5)\n"


@pytest.mark.parametrize("content, reason", [(b'"ok"\n\xff\xfe"x"\n', "line 2: not UTF-8 text (byte 1)"),
                                             (b"[" * 100_000 + b"\n", "line 1: JSON nested too deep"),
                                             (b'{"output": ' + b"9" * 5000 + b"}\n", "line 1: a number too long"),
                                             (b'"ok"\n{"output": \n', "line 2: not JSON")])
def test_grade_reads_bad_files_without_a_traceback(capsys, tmp_path, content, reason):
    puzzles, outputs = tmp_path / "puzzles.jsonl", tmp_path / "outputs.jsonl"
    puzzles.write_text(json.dumps({"question": "?", "answer": "1 + 1", "metadata": {"puzzle": "1 + 1 = 2"}}) + "\n")
    outputs.write_bytes(content)
    code, out, err = run(capsys, "grade", str(puzzles), str(outputs))
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"bracketsolve: error: {outputs}, {reason}")


def test_grade_takes_the_budget_flags(capsys, tmp_path):
    puzzles, outputs = tmp_path / "puzzles.jsonl", tmp_path / "outputs.jsonl"
    unsolvable = "8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 100003"
    puzzles.write_text(json.dumps({"question": "?", "answer": "no solution", "metadata": {"puzzle": unsolvable}}))
    outputs.write_text(json.dumps("no solution") + "\n")
    code, out, _ = run(capsys, "grade", "--json", "--max-work", "1000", str(puzzles), str(outputs))
    body = json.loads(out)
    assert code == 1 and body["items"][0]["reason"] == "too_large" and "work cap" in body["items"][0]["detail"]


def test_progress_and_the_compile_note_only_on_a_terminal_and_never_with_json_or_quiet(capsys, monkeypatch):
    from bracketsolve.cli import common
    from bracketsolve.solver import limits

    monkeypatch.setattr(limits, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(limits, "REPORT_EVERY", 0.0)
    puzzle = "7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 100"
    _, _, err = run(capsys, "--backend", "python", puzzle)
    assert err == ""                                    # pytest's stderr is not a terminal
    monkeypatch.setattr(common, "_terminal", lambda stream: True)
    _, out, err = run(capsys, "--backend", "python", puzzle)
    assert "intervals" in err and "bracketsolve: building tables" in err and "intervals" not in out
    for flag in ("--json", "--quiet"):
        _, _, err = run(capsys, "--backend", "python", flag, puzzle)
        assert err == ""


def test_a_memory_error_anywhere_is_too_large_and_exit_2(capsys, monkeypatch):
    from bracketsolve.cli import solving

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(solving, "solve_command", no_memory)
    code, out, err = run(capsys, "--json", SEED)
    assert code == 2 and json.loads(out)["code"] == "too_large" and "Traceback" not in err


def test_an_internal_error_is_one_line(capsys, monkeypatch):
    from bracketsolve.cli import solving

    def bug(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(solving, "solve_command", bug)
    monkeypatch.delenv("BRACKETSOLVE_DEBUG", raising=False)
    code, _, err = run(capsys, SEED)
    assert code == 2 and err == "bracketsolve: error: internal error, please report it: KeyError: 'oops'\n"
