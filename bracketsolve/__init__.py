"""bracketsolve: place brackets in an arithmetic puzzle exactly, or prove that no placement works."""

from importlib.metadata import PackageNotFoundError, version

from .errors import BracketError, ParseError, SolveTimeout, TooLargeError
from .evaluation.check import Verdict, check
from .evaluation.extract import Extracted, extract
from .evaluation.games_check import check_game
from .evaluation.games_generate import generate_games
from .evaluation.games_grade import grade_game, score_game
from .evaluation.generate import generate
from .evaluation.grade import grade, score
from .games.game import Game
from .games.reader import read_game
from .games.rules import Rules
from .solver.bracketings import Bracketing, Solution, bracketings
from .solver.forms import form
from .solver.model import Expr, Puzzle
from .solver.parser import parse
from .solver.many import solve_many
from .solver.result import Near, Result
from .solver.solve import solve, values

try:
    __version__ = version("bracketsolve")
except PackageNotFoundError:        # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["BracketError", "Bracketing", "Expr", "Extracted", "Near", "ParseError", "Puzzle", "Result", "Solution",
           "SolveTimeout", "TooLargeError", "Verdict", "__version__", "bracketings", "check", "extract", "form",
           "generate", "grade", "parse", "score", "solve", "solve_many", "values"]
__all__ += ["Game", "Rules", "check_game", "generate_games", "grade_game", "read_game", "score_game"]
