"""bracketsolve: place brackets in an arithmetic puzzle exactly, or prove that no placement works."""

from .bracketings import Bracketing, Solution, bracketings
from .check import Verdict, check
from .errors import BracketError, ParseError, TooLargeError
from .extract import Extracted, extract
from .forms import form
from .generate import generate
from .grade import grade, score
from .model import Expr, Puzzle
from .parser import parse
from .solve import Near, Result, solve, values

__all__ = ["BracketError", "Bracketing", "Expr", "Extracted", "Near", "ParseError", "Puzzle", "Result", "Solution",
           "TooLargeError", "Verdict", "bracketings", "check", "extract", "form", "generate", "grade", "parse",
           "score", "solve", "values"]
