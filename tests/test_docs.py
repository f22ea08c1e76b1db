"""Every shell example in the README and docs/ runs, and prints what the page says it prints.

How a page writes examples the test runs:
- a ```console block holds commands after `$ `; the lines after a command, up to the next `$ ` line or the end of
  the block, are its standard output, compared exactly (trailing spaces aside), or as JSON when they parse as
  JSON (so a page may lay a JSON object out for reading); ```console abridged blocks run without comparing
  (for output cut with "..."), but a command must not fail with status 2;
- a block whose info string has `file=NAME` (```json file=outputs.jsonl) is written to NAME first;
- the commands of one page run in order, in one temporary directory, with this interpreter's `bin` first on PATH;
  `$?` is the status of the page's previous command.
Python examples (`>>>`) are doctests, collected through pyproject's testpaths.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


def blocks(page: Path) -> list:
    """(info string, body) of every fenced block of a page, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(page.read_text(encoding="utf-8"))]


def sessions(body: str) -> list:
    """(command, expected output lines) for each `$ ` line of a console block."""
    steps = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def same(expected: str, actual: str) -> bool:
    """Equal as JSON when the expected text is JSON, else line by line (trailing spaces aside)."""
    try:
        return json.loads(actual) == json.loads(expected)
    except ValueError:
        strip = lambda text: [line.rstrip() for line in text.rstrip("\n").splitlines()]
        return strip(actual) == strip(expected)


PAGES_WITH_EXAMPLES = [p for p in PAGES if any(info.startswith("console") or "file=" in info for info, _ in blocks(p))]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: p.name)
def test_shell_examples_print_what_the_page_shows(page, tmp_path):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               COLUMNS="100")
    status = 0
    for info, body in blocks(page):
        name = re.search(r"file=(\S+)", info)
        if name:
            (tmp_path / name.group(1)).write_text(body, encoding="utf-8")
        if not info.startswith("console"):
            continue
        for command, expected in sessions(body):
            run = subprocess.run(["bash", "-c", f"(exit {status}); {command}"], cwd=tmp_path, env=env, capture_output=True, text=True,
                                 timeout=300)
            assert "Traceback" not in run.stderr, (command, run.stderr)
            status = run.returncode                     # what the page's next `echo $?` shows
            if "abridged" in info:
                assert run.returncode != 2, (command, run.stderr)
                continue
            assert same("\n".join(expected), run.stdout), f"{page.name}: `{command}` printed\n{run.stdout}"
