"""Ceilings and maxima that work on ints and sympy expressions alike, exactly at any size.

- `ExactCeiling` / `exact_ceiling`: the ceiling of a real sympy number decided with enough
  digits (sympy's own ceiling gives up on values like 200 log(40) 2^400), left unevaluated on
  symbols so a later `subs(N, 2**200)` gives the exact integer.
- `ceil_div`: ceil(a / b) for ints, Fractions and sympy expressions.
- `smax` / `smin`: maxima and minima that leave symbolic arguments unsimplified (sympy's
  pairwise simplification of `Max` arguments dominated the symbolic derivations); equal in
  value at every size.
"""

from fractions import Fraction
from typing import Any, Union

import sympy
from qualtran.symbolics import SymbolicInt, is_symbolic

__all__ = ["ExactCeiling", "ceil_div", "exact_ceiling", "smax", "smin"]


def _ceil_number(x: sympy.Expr) -> sympy.Integer:
    """Ceiling of a real number given as a sympy expression, decided with enough digits."""
    if x.is_Rational:
        return sympy.Integer(-((-x.p) // x.q))
    approx = x.evalf(15)
    digits = len(str(int(abs(approx))))  # of the integer part, exactly (no float: N = 2^1024)
    for guard in (30, 100, 400):
        y = x.evalf(digits + guard)
        floor = sympy.floor(y)
        frac = y - floor
        tol = sympy.Float(10, digits + guard) ** (5 - guard)
        if tol < frac < 1 - tol:
            return sympy.Integer(floor) + 1
    exact = sympy.nsimplify(x)  # an integer, or a value too close to one to tell apart
    if digits <= 50 and exact.is_Integer and sympy.simplify(x - exact) == 0:
        return exact
    raise ValueError(f"cannot decide the ceiling of {x} (too close to an integer)")


class ExactCeiling(sympy.ceiling):
    """`sympy.ceiling` that evaluates numeric arguments exactly at any magnitude.

    sympy's own ceiling gives up (or hangs in `simplify`) on values like 200 log(40) 2^400;
    this one raises the working precision until the integer part is certain. Symbolic
    arguments stay unevaluated, so `expr.subs(N, 2**200)` later gives the exact integer.
    """

    @classmethod
    def eval(cls, arg):
        arg = sympy.sympify(arg)
        if arg.is_number and (arg.is_Rational or arg.evalf(15).is_Float):
            return _ceil_number(arg)  # a finite real number (evalf gives a Float)
        return super().eval(arg)

    def _plain(self) -> sympy.Expr:
        return sympy.ceiling(self.args[0], evaluate=False)

    def _sympystr(self, printer):
        return printer._print(self._plain())

    def _latex(self, printer):
        return printer._print(self._plain())

    def _pretty(self, printer):
        return printer._print(self._plain())


def exact_ceiling(x: Any) -> Union[int, sympy.Expr]:
    """Python int for a number, an unevaluated `ExactCeiling` for a symbolic expression."""
    out = ExactCeiling(x)
    return int(out) if out.is_Integer else out


def ceil_div(a: Any, b: Any) -> Any:
    """ceil(a / b): an int for ints and Fractions, `sympy.ceiling` of the quotient for symbolic
    values (a itself when b = 1)."""
    if is_symbolic(a, b):
        if not is_symbolic(b) and b == 1:
            return a
        return sympy.ceiling(sympy.sympify(a) / b)
    if isinstance(a, Fraction) or isinstance(b, Fraction):
        return -(-Fraction(a) // Fraction(b))
    return -(-int(a) // int(b))


def smax(*args: SymbolicInt) -> SymbolicInt:
    """max of ints; an unevaluated `sympy.Max` when any argument is symbolic."""
    if any(is_symbolic(a) for a in args):
        return sympy.Max(*args, evaluate=False)
    return max(args)


def smin(*args: SymbolicInt) -> SymbolicInt:
    """min of ints; an unevaluated `sympy.Min` when any argument is symbolic."""
    if any(is_symbolic(a) for a in args):
        return sympy.Min(*args, evaluate=False)
    return min(args)
