"""Scaling analysis: fitted log-log slopes and leading-order terms of symbolic counts."""

import math
import re
from typing import Optional, Sequence

import sympy
from qualtran.symbolics import is_symbolic

__all__ = ["leading_order", "loglog_slope", "top_decade"]


def top_decade(sizes: Sequence[int]) -> list[int]:
    """Indices of the sizes within the top decade of N: N >= max(N) / 10."""
    top = max(sizes)
    return [i for i, n in enumerate(sizes) if 10 * n >= top]


def loglog_slope(sizes: Sequence[int], values: Sequence) -> Optional[float]:
    """Least-squares slope of log(value) against log(N) over the top decade of N.

    Exact integers of any size are fine (`math.log` takes big ints). Returns None when fewer
    than two points have a positive value, or when N does not vary.
    """
    points = [
        (math.log(sizes[i]), math.log(values[i]))
        for i in top_decade(sizes)
        if not is_symbolic(values[i]) and values[i] > 0
    ]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def leading_order(expr, n: sympy.Symbol) -> str:
    """The big-O class of `expr` as N -> infinity, other symbols held constant: 'O(N log N)'.

    Constants become 'O(1)'. log(N)/log(2) and log(1/N) are written as log N.
    """
    if not isinstance(expr, sympy.Basic) or n not in expr.free_symbols:
        return "O(1)"
    try:
        order = sympy.O(_without_max_min(expr, n), (n, sympy.oo))
    except (NotImplementedError, ValueError, TypeError):
        return "O(?)"
    term = order.expr if isinstance(order, sympy.Order) else order
    term = term.subs(sympy.log(1 / n), sympy.log(n))
    coeff, rest = term.as_coeff_Mul()
    text = sympy.sstr(rest if rest != 1 else term)
    name = str(n)
    text = re.sub(rf"log\({name}\)\*\*(\d+)", rf"log^\1 {name}", text)
    text = text.replace(f"log({name})", f"log {name}").replace(f"sqrt({name})", f"{name}^0.5")
    return f"O({text.replace('**', '^').replace('*', ' ')})"


def _without_max_min(expr: sympy.Basic, n: sympy.Symbol) -> sympy.Basic:
    """Max(a, b, ...) -> a + b + ... (the same order for positive terms); Min -> the argument
    that is smallest at a huge N (other symbols 8). sympy has no series for Max and Min."""

    def at_huge(e):
        values = {s: 8 for s in e.free_symbols if s != n}
        return sympy.N(e.subs(values).subs(n, sympy.Integer(2) ** 256), 30)

    def rewrite(e):
        if isinstance(e, sympy.Max):
            return sympy.Add(*(rewrite(a) for a in e.args))
        if isinstance(e, sympy.Min):
            return rewrite(min(e.args, key=at_huge))
        if e.args:
            return e.func(*(rewrite(a) for a in e.args))
        return e

    return rewrite(expr)
