"""`bracketsolve stats --rules`: the difficulty of a free-order puzzle on the command line."""

import json

from bracketsolve.cli.main import main
from bracketsolve.evaluation.games_difficulty import game_difficulty


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_of_a_24_puzzle_matches_game_difficulty(capsys):
    code, out, _ = run(capsys, "stats", "--rules", "24", "--json", "3 3 8 8 -> 24")
    assert code == 0
    body = json.loads(out)
    assert body["rules"] == "24" and body == {**game_difficulty("3 3 8 8 -> 24").as_dict(), "puzzle": body["puzzle"]}
    code, out, _ = run(capsys, "stats", "--rules", "24-tv", "3 3 8 8 -> 24")
    assert code == 1 and "solutions    0" in out


def test_stats_rules_text_lists_the_figures(capsys):
    code, out, _ = run(capsys, "stats", "--rules", "countdown", "25 50 75 100 3 6 -> 952")
    d = game_difficulty("25 50 75 100 3 6 -> 952", rules="countdown")
    assert code == 0 and f"solutions    {d.solutions:,}" in out and "needs fractions" in out


def test_stats_rules_refuses_bracket_only_words(capsys):
    code, _, err = run(capsys, "stats", "--rules", "24", "1 + 2 = 3")
    assert code == 2 and "error" in err
