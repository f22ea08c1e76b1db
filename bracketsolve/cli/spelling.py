"""The library's error messages in the command line's words: `--max-work 3000`, not `max_work=3000`.

`cli_text(e, command)` is the one place an error's text is worded for a command line; budgets use
`TooLargeError.explain("cli")`, other messages go through the table below (per command, since `numbers`
means `--operands` to `generate --rules 24` and `--numbers` to `generate`).
"""

from __future__ import annotations

import re

from ..errors import BracketError, TooLargeError

EVERYWHERE = "*"

# (commands, pattern, replacement), tried in order; a pattern names a library message by its words.
RESPELLINGS = (
    (EVERYWHERE, r"\bvalues\(\) takes an expression", "--values takes an expression"),
    (EVERYWHERE, r"\bbackend='(\w+)'", r"--backend \1"),
    (EVERYWHERE, r"\bdistinct='(\w+)'", r"--distinct \1"),
    (EVERYWHERE, r"nothing to solve for: add '= target' to the puzzle or give a target \(target= in Python, "
                 r"--target on the command line\), or ask for its values",
     "nothing to solve for: add '= target' to the puzzle, give --target T, or list its values with --values"),
    (EVERYWHERE, r"nothing to solve for: give a target \('([^']*)', target= in Python, --target on the command "
                 r"line\), or ask for the values",
     r"nothing to solve for: give a target ('\1' or --target T), or list the values with --values"),
    (EVERYWHERE, r"give a target \(target= in Python, --target on the command line\)", "give --target T"),
    (EVERYWHERE, r"^difficulty needs", "stats needs"),
    (EVERYWHERE, r"the target must be one number: the number divides by zero", "the target divides by zero"),
    ("generate", r"\bmin_depth (\d+)", r"--min-depth \1"),
    ("generate census", r"^operands must be an int from", "--operands must be a whole number from"),
    ("generate", r"^numbers must be an int from", "--operands must be a whole number from"),   # free-order
    ("generate", r"fewer than numbers=(\d+)", r"fewer than --operands \1"),
    ("generate", r"^numbers must be whole magnitudes \(lo, hi\) with 0 <= lo <= hi, not \((-?\d+), (-?\d+)\); "
                 r"negatives=True",
     r"--numbers must be whole magnitudes LO,HI with 0 <= LO <= HI, not \1,\2; --negatives"),
    ("generate census", r"^(numbers|values|target): lo (\S+) is greater than hi (\S+)", r"--\1: LO \2 is greater "
                                                                                        r"than HI \3"),
    ("generate", r"^(values|numbers): (\S+) is not a whole number", r"--numbers: \2 is not a whole number"),
    ("generate", r"^--values:", "--numbers:"),
    ("generate", r"\bvalues must start at", "--numbers must start at"),
    ("generate", r"widen values or target", "widen --numbers or --target"),
    ("generate", r"^shards must be an int from", "--shards must be a whole number from"),
    ("generate", r"^start \+ count must be", "--start + --count must be"),
    ("generate", r"^seed is an int too long", "--seed is a number too long"),
    ("census", r"^sequence must have", "--sequence must have"),
    ("stats", r"(,? or|;) use --(backend|distinct) \w+", ""),                  # stats has neither flag
)


def respell(text: str, command: str) -> str:
    """`text` with every library phrase that has a command-line spelling replaced by it."""
    for commands, pattern, replacement in RESPELLINGS:
        if commands == EVERYWHERE or command in commands.split():
            text = re.sub(pattern, replacement, text)
    return text


def cli_text(e: BracketError, command: str = "solve") -> str:
    """The error's whole text for the command line (a parse error keeps its caret display)."""
    return respell(e.explain("cli") if isinstance(e, TooLargeError) else str(e), command)


def cli_reason(e: BracketError, command: str = "solve") -> str:
    """The error's reason alone (no caret display), for a JSON body."""
    if isinstance(e, TooLargeError):
        return respell(e.explain("cli"), command)
    return respell(getattr(e, "reason", str(e)), command)
