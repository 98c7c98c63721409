"""Scaling analysis: fitted log-log slopes and leading-order terms of symbolic counts."""

import math
import re
from typing import Any, NamedTuple, Optional, Sequence

import sympy

from qlaci_cost.symbolics.symbols import N as N_SYMBOL

__all__ = ["Growth", "growth", "leading_order", "loglog_slope", "slope_text", "top_decade"]

_n = sympy.Dummy("n", positive=True)  # N = 2^_n; a Dummy, so no symbol of `expr` is taken for it
_BIG = sympy.Integer(2) ** 4096
#: Value of every symbol other than N where Max / Min arguments are compared.
_OTHER = 8


def is_symbolic(value: Any) -> bool:
    """Qualtran's `is_symbolic` of one value (any sympy object, or an object whose own
    `is_symbolic()` says so), without importing Qualtran: the figures' worker processes read
    slopes and import only Matplotlib and sympy (tests/symbolics: the same answers)."""
    if isinstance(value, sympy.Basic):
        return True
    checker = getattr(value, "is_symbolic", None)
    return bool(checker()) if checker is not None else False


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


def slope_text(slope: Optional[float], shift: float = 0) -> str:
    """A fitted slope (+ shift) as text with two decimals, or "n/a" when there is none (a grid
    with fewer than two sizes in its top decade: one size, or sizes more than x10 apart)."""
    return "n/a" if slope is None else f"{slope + shift:.2f}"


class Growth(NamedTuple):
    """Leading term c N^a log^k N of an expression in N (a, k rational)."""

    a: sympy.Rational
    k: sympy.Rational

    def text(self, name: str = "N") -> str:
        """'O(N^a log^k N)' with the symbol written `name`: 'O(N log N)', 'O(N^0.5)', 'O(1)'."""

        def power(x) -> str:
            if x == 1:
                return ""
            x = sympy.Rational(x)
            return f"^{x}" if x.is_Integer else f"^{float(x):g}"

        parts = []
        if self.a != 0:
            parts.append(f"{name}{power(self.a)}")
        if self.k != 0:
            parts.append(f"log{power(self.k)} {name}")
        return f"O({' '.join(parts) or '1'})"


def _dominant(expr: sympy.Basic, n: sympy.Symbol) -> sympy.Basic:
    """Ceilings/floors -> their argument, Max/Min -> the argument that wins as N -> infinity.

    Arguments are compared at N = 2^4096 with every other symbol at 8 (a positive constant).
    """
    if not expr.args:
        return expr
    args = [_dominant(a, n) for a in expr.args]
    if isinstance(expr, (sympy.ceiling, sympy.floor)):
        return args[0]
    if isinstance(expr, (sympy.Max, sympy.Min)):
        values = [sympy.N(_at_big(a, n), 40) for a in args]
        best = max(values) if isinstance(expr, sympy.Max) else min(values)
        return args[values.index(best)]
    return expr.func(*args)


def _at_big(expr: sympy.Basic, n: sympy.Symbol) -> sympy.Basic:
    others = {s: _OTHER for s in expr.free_symbols if s != n}
    return expr.subs(others).subs(n, _BIG)


def _term_growth(term: sympy.Basic) -> Optional[Growth]:
    a, k = sympy.Integer(0), sympy.Integer(0)
    for base, exp in term.as_powers_dict().items():
        if not base.has(_n) and not exp.has(_n):
            continue
        if base == _n and not exp.has(_n):
            k += exp
        elif base.is_positive and base.is_number and sympy.diff(exp, _n, 2) == 0:
            a += sympy.nsimplify(sympy.diff(exp, _n) * sympy.log(base, 2))
        else:
            return None
    return Growth(sympy.nsimplify(a), sympy.nsimplify(k))


def growth(expr: Any, n: sympy.Symbol = N_SYMBOL) -> Growth:
    """The leading term N^a log^k N of `expr` as N -> oo (N = `n`, default `symbolics.symbols.N`).

    The leading term c N^a log^k N is found with N = 2^x: ceilings and floors are replaced by
    their arguments (they change a value by less than 1, or a power 2^x by less than a factor
    2), and every Max / Min by its argument that dominates as N -> infinity (compared at
    N = 2^4096, other symbols 8); then the term of largest (a, k). Other symbols are positive
    constants.

    Raises:
        ValueError: the expression has a factor this analysis does not recognise.
    """
    if not isinstance(expr, sympy.Basic) or n not in expr.free_symbols:
        return Growth(sympy.Integer(0), sympy.Integer(0))
    e = _dominant(sympy.sympify(expr), n).subs(n, 2**_n)
    e = sympy.expand(sympy.powsimp(sympy.expand_log(e, force=True), force=True))
    best: Optional[Growth] = None
    for term in sympy.Add.make_args(e):
        g = _term_growth(term)
        if g is None:
            raise ValueError(f"cannot find the growth of the term {term} of {expr}")
        if best is None or (g.a, g.k) > (best.a, best.k):
            best = g
    return best or Growth(sympy.Integer(0), sympy.Integer(0))


def leading_order(expr, n: sympy.Symbol) -> str:
    """The big-O class of `expr` as N -> infinity, other symbols held constant: 'O(N log N)'.

    Constants become 'O(1)'. `growth(expr, n)` in the name of `n`; where it does not recognise
    the expression, sympy's `O` (log(N)/log(2) and log(1/N) written as log N).
    """
    try:
        return growth(expr, n).text(str(n))
    except (ValueError, TypeError):
        return _sympy_order(expr, n)


def _sympy_order(expr, n: sympy.Symbol) -> str:
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
