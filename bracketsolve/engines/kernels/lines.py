"""The bulk reader: plain ASCII puzzle lines tokenized in one call, each flagged for the full parser unless
the parser would read it exactly as this does.
"""

from __future__ import annotations

import numba
import numpy as np

from .arith import _jit, _reduce

# read(): what a line is
PLAIN, OTHER, NO_EQUALS = 0, 1, 2          # a one-target puzzle; for the full parser; an expression (no '=')
MAX_OPERANDS = 32                          # operands per puzzle the kernels take (the reader gives OTHER past it)
_DEPTH = 32                                # bracket nesting the reader follows
_DIGITS = 18                               # digits of one literal (so that it fits int64)
_SPACE, _TAB, _EQUALS, _MINUS, _POINT, _QUERY = 32, 9, 61, 45, 46, 63


@numba.njit
def _op_code(c):
    """The operator code of an ASCII glyph (+ - * x X / :), 4 for `?`, -1 for anything else."""
    if c == 43:
        return 0
    if c == 45:
        return 1
    if c == 42 or c == 120 or c == 88:
        return 2
    if c == 47 or c == 58:
        return 3
    if c == _QUERY:
        return 4
    return -1


@numba.njit
def _closer(c):
    """The closing bracket of an ASCII opening one, or 0."""
    if c == 40:
        return 41
    if c == 91:
        return 93
    if c == 123:
        return 125
    return 0


@numba.njit
def _number(buf, pos, stop):
    """(end, n, d, how) for the literal at `pos`: how 0 as the parser writes it back, 1 written otherwise
    (leading zeros, ".5"), 2 not for the reader (too long, a lone point, a sign without digits)."""
    negative = buf[pos] == _MINUS
    if negative:
        pos += 1
        if pos >= stop or not (48 <= buf[pos] <= 57 or buf[pos] == _POINT):
            return pos, 0, 1, 2
    start = pos
    value, scale, digits, places, point = 0, 1, 0, 0, False
    while pos < stop:
        c = buf[pos]
        if 48 <= c <= 57:
            digits += 1
            if digits > _DIGITS:
                return pos, 0, 1, 2
            value = value * 10 + (np.int64(c) - 48)
            if point:
                scale *= 10
                places += 1
        elif c == _POINT and not point:
            point = True
        else:
            break
        pos += 1
    if point and places == 0:
        return pos, 0, 1, 2
    whole = digits - places
    how = 1 if whole == 0 or (whole > 1 and buf[start] == 48) else 0
    n, d, _ = _reduce(-value if negative else value, scale)
    return pos, n, d, how


@numba.njit
def _precedence(op):
    return 2 if op >= 2 else 1


@numba.njit
def _last(tree, nodes):
    """The last operand under a tree of the shunting-yard's output."""
    return tree if tree < MAX_OPERANDS else nodes[tree - MAX_OPERANDS, 3]


@numba.njit
def _reduce_tree(pending, npending, output, noutput, nodes, nnodes):
    """The parser's reduce: the top operator joins the top two trees (a bracket mark is just dropped)."""
    npending -= 1
    op = pending[npending]
    if op < 0:
        return npending, noutput, nnodes
    left, right = output[noutput - 2], output[noutput - 1]
    nodes[nnodes, 0], nodes[nnodes, 1], nodes[nnodes, 2] = op, left, right
    nodes[nnodes, 3] = _last(right, nodes)
    output[noutput - 2] = MAX_OPERANDS + nnodes
    return npending, noutput - 1, nnodes + 1


@numba.njit
def _preorder(root, nodes, e, wop, wpre):
    """The tree `root` as codes: wop[e + k] the operator at slot k, wpre[e..] the slots in preorder."""
    stack = np.zeros(MAX_OPERANDS + 1, np.int64)
    stack[0] = root
    waiting, at = 1, 0
    while waiting:
        waiting -= 1
        tree = stack[waiting]
        if tree < MAX_OPERANDS:
            continue
        op, left, right = nodes[tree - MAX_OPERANDS, 0], nodes[tree - MAX_OPERANDS, 1], nodes[tree - MAX_OPERANDS, 2]
        k = _last(left, nodes)
        wop[e + k] = op
        wpre[e + at] = k
        at += 1
        stack[waiting] = right
        stack[waiting + 1] = left
        waiting += 2


@numba.njit
def _skip(buf, pos, stop):
    while pos < stop and (buf[pos] == _SPACE or buf[pos] == _TAB):
        pos += 1
    return pos


@_jit
def read(buf, starts, stops):
    """Tokenize the lines buf[starts[p]:stops[p]] that are plain puzzles: ASCII digits, + - * x / : ?,
    brackets, spaces, and `= t` with t a number or a fraction of two integers.

    Returns (kind, size, first, num, den, lit0, lit1, mask, glyph, wop, wpre, gfirst, gcount, glo, ghi, tnum,
    tden, right): per line its kind (PLAIN, NO_EQUALS, or OTHER for the full parser: errors, Unicode, two
    sides, ...), operand count and first operand row; per operand row its reduced value, its literal as
    buf[lit0:lit1], the operator mask of the slot after it, that slot's glyph position in buf (-1 for `?`)
    and the tree as written (under the usual precedence, `?` as `+`: the operator of each slot in wop, the
    slots in preorder in wpre); per line its fixed groups (rows gfirst..gfirst+gcount of glo, ghi), its
    target and where the target's literals are (right[p] = start, end, and for a fraction the
    denominator's start and end, else -1, -1).
    """
    lines = starts.shape[0]
    rows = 1
    for p in range(lines):
        rows += (stops[p] - starts[p] + 2) // 2
    kind = np.full(lines, OTHER, np.int8)
    size = np.zeros(lines, np.int64)
    first = np.zeros(lines, np.int64)
    num, den = np.zeros(rows, np.int64), np.ones(rows, np.int64)
    lit0, lit1 = np.zeros(rows, np.int64), np.zeros(rows, np.int64)
    mask, glyph = np.zeros(rows, np.int64), np.full(rows, -1, np.int64)
    gfirst, gcount = np.zeros(lines, np.int64), np.zeros(lines, np.int64)
    glo, ghi = np.zeros(rows, np.int64), np.zeros(rows, np.int64)
    tnum, tden = np.zeros(lines, np.int64), np.ones(lines, np.int64)
    wop, wpre = np.zeros(rows, np.int64), np.zeros(rows, np.int64)
    right = np.full((lines, 4), -1, np.int64)
    closers = np.zeros(_DEPTH, np.uint8)
    opened = np.zeros(_DEPTH, np.int64)
    pending = np.zeros(MAX_OPERANDS + _DEPTH + 1, np.int64)      # shunting-yard: operators, -1 for a bracket
    output = np.zeros(MAX_OPERANDS + 1, np.int64)                # trees: operand i, or MAX_OPERANDS + node
    nodes = np.zeros((MAX_OPERANDS, 4), np.int64)                # node: operator, left, right, last operand
    e = 0
    g = 0
    for p in range(lines):
        pos, stop = starts[p], stops[p]
        first[p], gfirst[p] = e, g
        n, depth, groups, operand, ok = 0, 0, 0, True, True
        npending, noutput, nnodes = 0, 0, 0
        while ok:
            pos = _skip(buf, pos, stop)
            if pos >= stop or buf[pos] == _EQUALS:
                break
            c = buf[pos]
            if operand:
                if _closer(c):
                    if depth == _DEPTH:
                        ok = False
                        break
                    closers[depth] = _closer(c)
                    opened[depth] = n
                    depth += 1
                    pending[npending] = -1
                    npending += 1
                    pos += 1
                elif 48 <= c <= 57 or c == _POINT or c == _MINUS:
                    if n == MAX_OPERANDS:
                        ok = False
                        break
                    lit0[e + n] = pos           # taken only when written as the parser writes it back
                    pos, xn, xd, how = _number(buf, pos, stop)
                    if how != 0:
                        ok = False
                        break
                    num[e + n], den[e + n] = xn, xd
                    lit1[e + n] = pos
                    output[noutput] = n
                    noutput += 1
                    n += 1
                    operand = False
                else:
                    ok = False
            else:
                op = _op_code(c)
                if op >= 0:
                    mask[e + n - 1] = 15 if op == 4 else 1 << op
                    glyph[e + n - 1] = -1 if op == 4 else pos
                    written = 0 if op == 4 else op      # as written, a `?` slot is a `+`
                    while npending and pending[npending - 1] >= 0 and \
                            _precedence(pending[npending - 1]) >= _precedence(written):
                        npending, noutput, nnodes = _reduce_tree(pending, npending, output, noutput, nodes, nnodes)
                    pending[npending] = written
                    npending += 1
                    operand = True
                    pos += 1
                elif depth and c == closers[depth - 1]:
                    while pending[npending - 1] >= 0:
                        npending, noutput, nnodes = _reduce_tree(pending, npending, output, noutput, nodes, nnodes)
                    npending -= 1
                    depth -= 1
                    if n - 1 > opened[depth]:
                        glo[g + groups], ghi[g + groups] = opened[depth], n - 1
                        groups += 1
                    pos += 1
                else:
                    ok = False
        if not ok or operand or depth:
            continue
        while npending:
            npending, noutput, nnodes = _reduce_tree(pending, npending, output, noutput, nodes, nnodes)
        _preorder(output[0], nodes, e, wop, wpre)
        end = e + n
        if pos >= stop:
            kind[p] = NO_EQUALS
        else:
            pos = _skip(buf, pos + 1, stop)
            if pos >= stop or not (48 <= buf[pos] <= 57 or buf[pos] == _POINT or buf[pos] == _MINUS):
                continue
            right[p, 0] = pos
            pos, an, ad, how = _number(buf, pos, stop)
            if how != 0:
                continue
            right[p, 1] = pos
            pos = _skip(buf, pos, stop)
            if pos < stop and (buf[pos] == 47 or buf[pos] == 58):
                pos = _skip(buf, pos + 1, stop)
                if pos >= stop or not (48 <= buf[pos] <= 57 or buf[pos] == _POINT or buf[pos] == _MINUS):
                    continue
                right[p, 2] = pos
                pos, bn, bd, how = _number(buf, pos, stop)
                if how != 0 or ad != 1 or bd != 1 or bn == 0:
                    continue
                right[p, 3] = pos
                pos = _skip(buf, pos, stop)
                an, ad, _ = _reduce(an, bn)
            if pos < stop:
                continue
            tnum[p], tden[p] = an, ad
            kind[p] = PLAIN
        size[p], gcount[p] = n, groups
        e, g = end, g + groups
    return kind, size, first, num, den, lit0, lit1, mask, glyph, wop, wpre, gfirst, gcount, glo, ghi, tnum, tden, right
