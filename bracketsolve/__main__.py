"""`python -m bracketsolve`: the command line."""
from .cli import main

raise SystemExit(main())
