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
