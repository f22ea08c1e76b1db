"""The benchmark scripts run (a tiny workload each) and the report writes between its markers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks import bulk, report
from benchmarks.compare import CPP_DEFAULT


def test_report_sets_tables_off_and_fences_program_output():
    text = report._plain("title:\n| a | b |\n|---|---|\n| 1 | 2 |\nafter\n  nested: 1\nend")
    assert text.split("\n") == ["title:", "", "| a | b |", "|---|---|", "| 1 | 2 |", "", "after", "```text",
                                "  nested: 1", "```", "end"]
    assert report._plain("# a comment").startswith("\\#")
    assert report._plain("seconds | first | cached\n|---|---|---|\n| a | 1 | 2 |").split("\n")[0] == \
        "| seconds | first | cached |"
    assert report._plain("note\npuzzle   python   numba\n12?       32.9     24.2").split("\n") == \
        ["note", "```text", "puzzle   python   numba", "12?       32.9     24.2", "```"]


def test_report_replaces_only_what_lies_between_the_markers(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(f"# Title\n\nbefore\n{report.BEGIN}\nold figures\n{report.END}\nafter\n")
    report.write_into(page, "new figures")
    assert page.read_text() == f"# Title\n\nbefore\n{report.BEGIN}\nnew figures\n{report.END}\nafter\n"
    report.write_into(page, "newer")
    assert "new figures" not in page.read_text() and page.read_text().count(report.BEGIN) == 1


def test_report_refuses_a_page_without_markers(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("no markers\n")
    with pytest.raises(SystemExit, match="markers"):
        report.write_into(page, "x")


def test_report_refuses_an_unknown_section(capsys):
    with pytest.raises(SystemExit):
        report.main(["--sections", "bogus"])
    assert "unknown section 'bogus'" in capsys.readouterr().err


@pytest.mark.skipif(not (CPP_DEFAULT / "build.sh").exists() or shutil.which("g++") is None,
                    reason="the C++ baselines (../shared/baselines/cpp) or g++ are not here")
def test_bulk_script_builds_bdp_and_agrees_with_it(capsys):
    assert bulk.main(["--count", "40", "--repeat", "1"]) == 0      # it asserts bdp's counts equal ours
    out = capsys.readouterr().out
    assert "40 random 6-operand puzzles" in out and "| bdp (C++) |" in out
