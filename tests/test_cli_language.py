"""The command line speaks its own language (issue 13, item 3): words it understands (`help`, `solve`), hints
in its own spelling (`--`, `--target=-7/2`, `--max-work`), options that do not apply refused with a reason,
one message per kind of error, counts with the right plural, and a shell completion script."""

import json
import re
import subprocess
import sys

import pytest

from bracketsolve.cli import main

SEED = "8 + 28 / 4 - 2 * 3 = 6"
PYTHON_SPELLINGS = re.compile(r"\w\(\)|\b[a-z_]+=['\"\w(]|\b(max_work|max_memory|min_depth|target=|in Python)\b")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys, *argv) -> str:
    """The one-line reason of a command line refused with exit 2 (and, with --json, code "usage")."""
    code, out, err = run(capsys, "--json", *argv)
    assert code == 2, (argv, out, err)
    assert json.loads(out)["code"] == "usage", (argv, out)
    assert "Traceback" not in err
    return err.splitlines()[0]


# --- words the command line understands ---------------------------------------------------------------------

def test_a_puzzle_starting_with_minus_says_to_put_double_dash_before_it(capsys):
    code, out, err = run(capsys, "-3+4*2=2")
    assert code == 2 and out == ""
    assert "bracketsolve -- \"-3+4*2=2\"" in err and "quote the puzzle" not in err
    code, out, _ = run(capsys, "--", "-3+4*2=5")
    assert code == 0 and out.splitlines()[0] == "-3 + 4 * 2 = 5"


def test_a_minus_puzzle_after_a_subcommand_gets_the_same_hint(capsys):
    code, _, err = run(capsys, "check", "-3+4*2=5", "-3+4*2")
    assert code == 2 and "--" in err and "\"-3+4*2=5\"" in err


def test_a_negative_option_value_says_to_use_equals(capsys):
    assert "--target=-7/2" in usage_error(capsys, "--target", "-7/2", "1 - 2")
    code, out, _ = run(capsys, "--target=-1", "1 - 2")
    assert code == 0


def test_an_unknown_option_suggests_the_near_one_not_quoting(capsys):
    line = usage_error(capsys, "--limt", "3", SEED)
    assert "--limit" in line and "quote the puzzle" not in line


def test_an_unquoted_puzzle_still_says_quote_it(capsys):
    assert "quote the puzzle" in usage_error(capsys, "8", "+", "28")


@pytest.mark.parametrize("argv", [["help"], ["help", "solve"]])
def test_help_prints_the_help(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0 and err == ""
    assert out.startswith("usage: bracketsolve") and "--values" in out


def test_help_with_json_is_one_object(capsys):
    code, out, _ = run(capsys, "--json", "help")
    assert code == 0 and json.loads(out)["help"].startswith("usage: bracketsolve")


def test_help_of_a_subcommand(capsys):
    code, out, _ = run(capsys, "help", "check")
    assert code == 0 and out.startswith("usage: bracketsolve check")


def test_help_of_an_unknown_command_is_a_usage_error(capsys):
    assert "no command 'frobnicate'" in usage_error(capsys, "help", "frobnicate")


def test_solve_is_the_default_command_spelled_out(capsys):
    code, out, _ = run(capsys, "solve", "1+2=3")
    assert code == 0 and out.splitlines()[0] == "1 + 2 = 3"
    assert run(capsys, "solve", "1+2=4")[0] == 1
    code, out, _ = run(capsys, "solve", "--json", "--values", "2 * 3 + 4")
    assert code == 0 and json.loads(out)["values"] == {"10": 1, "14": 1}


def test_subcommands_are_still_dispatched(capsys):
    assert run(capsys, "check", SEED, "(8 + 28) / ((4 - 2) * 3)")[0] == 0
    code, out, _ = run(capsys, "stats", "--json", SEED)
    assert code == 0 and json.loads(out)["solutions"] == 1


# --- the library's messages in the command line's spelling --------------------------------------------------

@pytest.mark.parametrize("argv, expected", [
    (["--values", "1 ? 2 = 3 * 4"], "--values takes an expression"),
    (["1 + 2"], "give --target T, or list its values with --values"),
    (["--rules", "24", "4 7 8 8 ->"], None),
    (["stats", "1 + 2"], "--target"),
    (["--distinct", "form", "--rules", "24", "--ops", "-", "4 7 8 8 -> 24"], "--distinct form needs"),
    (["generate", "--count", "1", "--min-depth", "9", "--operands", "4"], "--min-depth 9 is out of reach"),
    (["generate", "--count", "1", "--operands", "1"], "--operands must be"),
    (["generate", "--count", "1", "--numbers", "5,3"], "--numbers: LO 5 is greater than HI 3"),
    (["generate", "--count", "1", "--numbers=-3,3"], "--negatives makes"),
    (["generate", "--count", "1", "--target", "5,3"], "--target: LO 5 is greater than HI 3"),
    (["generate", "--count", "1", "--rules", "24", "--numbers", "5,3"], "--numbers: LO 5"),
    (["generate", "--count", "1", "--rules", "24-tv", "--numbers", "0,5"], "--numbers must start at 1"),
    (["generate", "--count", "2", "--rules", "24", "--numbers", "1,1", "--target", "1000,1000"],
     "widen --numbers or --target"),
    (["census", "--operands", "1", "--out", "unused"], "--operands must be"),
    (["census", "--sequence", "+", "--out", "unused"], "--sequence must have 3 operators"),
    (["--backend", "python", "--max-work", "1000", "9 ? 8 ? 7 ? 6 ? 5 ? 4 ? 3 ? 2 ? 1 = 2016"], "--max-work"),
])
def test_errors_use_the_command_lines_spelling(capsys, argv, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--json", *argv)
    assert code == 2 and "Traceback" not in err
    body = json.loads(out)
    for text in (err, body["error"]):
        assert not PYTHON_SPELLINGS.search(text), text
        if expected:
            assert expected in text, text


def test_a_batch_line_error_uses_the_command_lines_spelling(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_text("1 ? 2 = 3 * 4\n", encoding="utf-8")
    code, out, err = run(capsys, "--values", "--file", str(path))
    assert code == 2 and "--values takes an expression" in json.loads(out)["error"]
    assert not PYTHON_SPELLINGS.search(err)


def test_the_target_dividing_by_zero_is_one_message_however_it_is_written(capsys):
    in_puzzle = run(capsys, "--json", "1 + 2 = 2/0")
    as_option = run(capsys, "--json", "--target", "2/0", "1 + 2")
    assert in_puzzle[0] == as_option[0] == 2
    first, second = json.loads(in_puzzle[1]), json.loads(as_option[1])
    assert first["error"] == second["error"] == "the target divides by zero"
    assert first["code"] == second["code"]
    assert in_puzzle[2].splitlines()[0].split(" (at")[0] == as_option[2].splitlines()[0].split(" (at")[0]
    for argv in (["--rules", "24", "4 7 -> 1/0"], ["--rules", "24", "--target", "1/0", "4 7"]):
        code, out, _ = run(capsys, "--json", *argv)
        assert code == 2 and json.loads(out)["error"] == "the target divides by zero"


# --- options that do not apply ------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, reason", [
    (["--ops", "+-", "1 + 2 = 3"], "--ops"),
    (["--values", "--ops", "+-", "1 + 2"], "--ops"),
    (["check", "--ops", "+-", "1 + 2 = 3", "1 + 2"], "--ops"),
    (["stats", "--ops", "+-", "1 + 2 = 3"], "--ops"),
    (["--values", "--target", "3", "1 + 2"], "--target"),
    (["--values", "--limit", "3", "1 + 2"], "--limit"),
    (["--values", "--all", "1 + 2"], "--all"),
    (["--values", "--distinct", "form", "1 + 2"], "--distinct"),
    (["--values", "--distinct", "all", "1 + 2"], "--distinct"),
    (["--values", "--rules", "24", "--target", "24", "4 7 8 8"], "--target"),
    (["--values", "--rules", "24", "--limit", "2", "4 7 8 8"], "--limit"),
    (["--version", SEED], "--version"),
    (["--values", "--target", "3", "--file", "unused.txt"], "--target"),
    (["generate", "--rules", "24", "--decimals"], "--decimals"),
    (["generate", "--rules", "24", "--negatives"], "--negatives"),
    (["generate", "--needs-fractions"], "--needs-fractions"),           # a free-order filter on bracket puzzles
    (["generate", "--workers", "2"], "--workers"),
    (["generate", "--scheduler", "none"], "--scheduler"),
    (["census", "--ops", "+-", "--sequence", "+-+", "--out", "unused"], "--sequence"),
    (["census", "--workers", "2", "--out", "unused"], "--workers"),
    (["generate", "--shards", "0", "--out", "unused"], "--shards"),
    (["census", "--shards", "0", "--out", "unused"], "--shards"),
])
def test_an_option_that_does_not_apply_is_a_one_line_usage_error(capsys, argv, reason, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = usage_error(capsys, *argv)
    assert reason in line and "usage:" not in line


@pytest.mark.parametrize("argv", [
    ["--ops", "+-", "3 ? 3 = 6"], ["--values", "--ops", "+-", "3 ? 3"], ["--rules", "24", "--ops", "+*", "4 7 8 8 -> 24"],
    ["--values", "--rules", "24", "--distinct", "form", "4 7"], ["--distinct", "form", SEED],
    ["--rules", "24", "--target", "30", "4 7 8 8"], ["check", "--ops", "+-", "3 ? 3 = 6", "3 + 3"],
])
def test_options_that_apply_still_work(capsys, argv):
    assert run(capsys, *argv)[0] in (0, 1)


def test_ops_in_a_batch_applies_to_the_lines_with_a_question_mark(capsys, tmp_path):
    path = tmp_path / "puzzles.txt"
    path.write_text("3 ? 3 = 9\n1 + 2 = 3\n", encoding="utf-8")
    code, out, _ = run(capsys, "--ops", "+-", "--file", str(path))
    first, second = (json.loads(line) for line in out.splitlines())
    assert (first["solvable"], first["total"], second["solvable"]) == (False, 2, True) and code == 1


def test_version_alone_and_as_json(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("bracketsolve ")
    code, out, _ = run(capsys, "--json", "--version")
    assert code == 0 and set(json.loads(out)) == {"version"}


# --- counts ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("expression, tail", [
    ("1 / (1 - 1) + 2", "1 value from 2 bracketings of 1 / (1 - 1) + 2; 1 divides by zero."),
    ("1 / (1 - 1) + 1 / (1 - 1)", "0 values from 5 bracketings of 1 / (1 - 1) + 1 / (1 - 1); 5 divide by zero."),
    ("1 + 2", "1 value from 1 bracketing of 1 + 2."),
    ("1 + 2 * 3", "2 values from 2 bracketings of 1 + 2 * 3."),
])
def test_values_counts_read_right(capsys, expression, tail):
    code, out, _ = run(capsys, "--values", expression)
    assert code == 0 and out.splitlines()[-1] == tail


def test_solve_summary_says_one_divides_by_zero(capsys):
    _, out, _ = run(capsys, "2 / (1 - 1) + 2 = 4")
    assert "(1 divides by zero)" in out
    _, out, _ = run(capsys, "1 / (1 - 1) + 1 / (1 - 1) + 2 = 4")
    assert re.search(r"\(\d+ divide by zero\)", out) and "divides" not in out


def test_stats_undefined_count_reads_right(capsys):
    _, out, _ = run(capsys, "stats", "1 / (1 - 1) + 2 = 2")
    assert "undefined    1 divides by zero" in out
    _, out, _ = run(capsys, "stats", SEED)
    assert "undefined    0 divide by zero" in out


def test_a_dataset_summary_counts_one_puzzle(capsys, tmp_path):
    code, out, _ = run(capsys, "generate", "--count", "1", "--out", str(tmp_path / "d"), "--scheduler", "none")
    assert code == 0 and out.startswith("wrote 1 puzzle (0 duplicates dropped) in 1 jsonl shard")


# --- completion -------------------------------------------------------------------------------------------------

def test_bash_completion_is_a_script_bash_accepts_naming_the_options_and_commands(capsys, tmp_path):
    code, out, _ = run(capsys, "--completion", "bash")
    assert code == 0
    for word in ("--values", "--max-memory", "check", "generate", "--min-depth", "-F _bracketsolve bracketsolve"):
        assert word in out
    script = tmp_path / "bracketsolve.bash"
    script.write_text(out, encoding="utf-8")
    done = subprocess.run(["bash", "-c", f'source "{script}" && COMP_WORDS=(bracketsolve gen) COMP_CWORD=1 '
                           '&& _bracketsolve && echo "${COMPREPLY[@]}"'], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.split() == ["generate"], done.stderr
    done = subprocess.run(["bash", "-c", f'source "{script}" && COMP_WORDS=(bracketsolve check --o) COMP_CWORD=2 '
                           '&& _bracketsolve && echo "${COMPREPLY[@]}"'], capture_output=True, text=True)
    assert done.stdout.split() == ["--ops"], done.stderr


def test_completion_of_another_shell_is_a_usage_error(capsys):
    assert "--completion" in usage_error(capsys, "--completion", "fish")


def test_completion_through_the_installed_program():
    done = subprocess.run([sys.executable, "-m", "bracketsolve", "--completion", "bash"], capture_output=True, text=True)
    assert done.returncode == 0 and "-F _bracketsolve bracketsolve" in done.stdout
