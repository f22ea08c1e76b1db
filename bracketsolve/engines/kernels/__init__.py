"""Every numba kernel of bracketsolve, and nothing else imports numba.

Kernels take plain numpy arrays and return arrays plus a status code; each compiles on its first call.
Arithmetic that would leave int64 is reported (never wrapped); `engines.fast` redoes it with Python ints.
"""

from .arith import ADD, DIV, INT64_MAX, MUL, SUB
from .build import (IX_WANT, LOG_CAP, LOG_FULL, NEED_ARENA, NEED_STORAGE, OK, PAUSE_AT, PAUSED, STATE_SIZE,
                    TOO_MANY_ENTRIES, TOO_MUCH_WORK, build)
from . import parallel
from .order import order
from .select import nearest, smallest
from .tables import AT_I, AT_LENGTH, ARENA, ICAP, ISTART, IUSED, NINT, START, STOP, USED, WORK, find, index

__all__ = ["ADD", "ARENA", "AT_I", "AT_LENGTH", "DIV", "ICAP", "INT64_MAX", "ISTART", "IUSED", "IX_WANT", "LOG_CAP",
           "LOG_FULL", "MUL", "NEED_ARENA", "NEED_STORAGE", "NINT", "OK", "PAUSED", "PAUSE_AT", "START", "STATE_SIZE",
           "STOP", "SUB", "TOO_MANY_ENTRIES", "TOO_MUCH_WORK", "USED", "WORK", "build", "find", "index", "nearest",
           "order", "parallel", "smallest"]
