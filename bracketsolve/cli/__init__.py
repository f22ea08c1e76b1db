"""The command line (`bracketsolve`): `main()` is the entry point."""

from .main import main

__all__ = ["main"]
