"""Exact numbers: user input (int, float, decimal string, Fraction, sympy) as exact rationals,
integral values as Python ints, rationals as short decimal text, exact values of any size to 3
significant digits, and `evaluate`, the exact substitution of sizes into a closed form.

A float is read through its shortest repr, so 0.01 is 1/100 (the decimal a user typed), never
the binary expansion 0.01000000000000000020816681711721685...
"""

import math
import numbers
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Union

import numpy as np
import sympy

from qlaci_cost.errors import InputError, describe_value

__all__ = [
    "Number",
    "decimal_text",
    "evaluate",
    "fraction",
    "integral",
    "is_symbolic_expr",
    "rational",
    "rational_or_same",
    "significant_text",
]

Number = Union[int, float, str, Fraction, sympy.Expr]


def is_symbolic_expr(x: Any) -> bool:
    """A sympy expression with free symbols."""
    return isinstance(x, sympy.Basic) and bool(x.free_symbols)


def rational(x: Any, name: str = "value", what: str = "an exact number is needed") -> sympy.Expr:
    """An exact sympy number (or the symbolic expression itself) from int, float, str,
    Fraction, sympy or a numpy scalar.

    Raises:
        InputError: `'{name}={x!r} is not allowed: {what}'` for a bool, a non-finite or
            complex value or anything that is not a number.
    """
    bad = InputError(f"{name}={describe_value(x)} is not allowed: {what}")
    if isinstance(x, (bool, np.bool_)):
        raise bad
    if isinstance(x, sympy.Basic):
        if is_symbolic_expr(x):
            return x
        if x.is_extended_real is not True or x.is_finite is not True:  # nan, oo, zoo, I
            raise bad
        return sympy.Rational(str(x)) if x.is_Float else x
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    if isinstance(x, (int, np.integer)) and not isinstance(x, np.bool_):
        return sympy.Integer(int(x))
    if isinstance(x, float):
        if not math.isfinite(x):
            raise bad
        return sympy.Rational(repr(float(x)))
    if isinstance(x, str):
        try:
            value = sympy.Rational(x.strip())
        except (TypeError, ValueError, SyntaxError) as exc:
            raise bad from exc
        if not value.is_finite:
            raise bad
        return value
    try:  # numpy scalars and other numbers
        return rational(float(x), name, what)
    except (TypeError, ValueError) as exc:
        raise bad from exc


def rational_or_same(x: Any) -> Any:
    """`rational(x)`, or `x` unchanged when it is not a number (an attrs converter: the
    validator after it names the bad value)."""
    try:
        return rational(x)
    except ValueError:
        return x


def fraction(x: Any, name: str = "value", what: str = "an exact rational is needed") -> Fraction:
    """A Python `Fraction` from an int, Fraction, sympy rational (a sympy expression with
    floats is read through `nsimplify`), decimal string or float (through its repr).

    Raises:
        InputError: `'{name}={x!r} is not allowed: {what}'` for anything else.
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return Fraction(x)
    if isinstance(x, float) and math.isfinite(x):
        return Fraction(repr(float(x)))  # what `rational` gives, without sympy
    y = sympy.nsimplify(x) if isinstance(x, sympy.Basic) and x.has(sympy.Float) else x
    value = rational(y, name, what)
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    raise InputError(f"{name}={x!r} is not allowed: {what}")


def integral(value: Any) -> Any:
    """A sympy Integer, an integral float or an integral Fraction as a Python int; anything
    else (symbolic expressions included) unchanged."""
    if isinstance(value, sympy.Basic):
        return int(value) if value.is_Integer else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


def decimal_text(x: Any) -> str:
    """A rational as decimal text when it terminates (1/100 -> '0.01'), else `str(x)` ('1/3')."""
    if isinstance(x, Fraction):
        x = sympy.Rational(x.numerator, x.denominator)
    if not isinstance(x, sympy.Basic) or not x.is_Rational:
        return str(x)
    q = int(x.q)
    while q % 2 == 0:
        q //= 2
    while q % 5 == 0:
        q //= 5
    if q != 1:
        return str(x)
    frac = Fraction(int(x.p), int(x.q))
    scale = 0
    while (frac * 10**scale).denominator != 1:
        scale += 1
    text = f"{frac.numerator * 10**scale // frac.denominator}"
    if scale == 0:
        return text
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-").rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


def significant_text(x: Any) -> str:
    """`x` to 3 significant digits as Python's `.3g` prints a float (`1.5`, `0.00123`,
    `1.07e+30`), for an int, Fraction or float of any size: beyond float range (above 1e300 or
    below 1e-300) the same notation from the exact value (`3e+400`, never `inf` or `0`)."""
    if isinstance(x, float):
        return f"{x:.3g}"
    try:
        x = Fraction(x)
    except TypeError:  # another real type (a sympy Float, a numpy float32): through float
        return f"{float(x):.3g}"
    if x == 0:
        return "0"
    if Fraction(1, 10**300) < abs(x) < 10**300:
        return f"{float(x):.3g}"
    k = len(str(abs(x.numerator))) - len(str(x.denominator))  # floor(log10 |x|) is k or k - 1
    if abs(x) < Fraction(10) ** k:
        k -= 1
    mantissa = f"{float(abs(x) / Fraction(10) ** k):.3g}"  # in [1, 10): no exponent of its own
    if mantissa == "10":  # 9.995... rounds up to the next power of ten
        mantissa, k = "1", k + 1
    return f"{'-' if x < 0 else ''}{mantissa}e{k:+d}"


def _finite_or_symbolic(v: Any) -> bool:
    if isinstance(v, sympy.Basic):
        return bool(v.free_symbols) or (v.is_extended_real is True and v.is_finite is True)
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.number)):
        return False
    return isinstance(v, (int, np.integer, Fraction)) or math.isfinite(v)


def evaluate(expr: Any, values: Mapping[Union[str, sympy.Symbol], Any]) -> Any:
    """`expr` with symbols replaced by `values` (keyed by Symbol or name), exactly.

    log(N) of a symbol given a power of two 2^k becomes k log(2) first, so log2 N evaluates to
    the integer k (sympy leaves log(2^k)/log(2) unevaluated). Integer results become Python ints
    and never pass through floats, so N = 2^200 stays exact.

    Raises:
        InputError: naming a value that is not a finite real number or a sympy expression
            (NaN, an infinity, a bool, a string).
    """
    by_name = {str(k): v for k, v in values.items()}
    for name, v in by_name.items():
        if not _finite_or_symbolic(v):
            raise InputError(
                f"{name}={describe_value(v)} is not allowed: a finite real number or a sympy "
                "expression is needed"
            )
    if not isinstance(expr, sympy.Basic):
        return expr
    mapping, logs = {}, {}
    for s in expr.free_symbols:
        if s.name not in by_name:
            continue
        v = by_name[s.name]
        mapping[s] = v
        if isinstance(v, (int, sympy.Integer)) and v > 0 and (int(v) & (int(v) - 1)) == 0:
            logs[sympy.log(s)] = (int(v).bit_length() - 1) * sympy.log(2)
    # xreplace, not subs: a structural replacement that rebuilds each node once (subs retries
    # every Max/Min at each partial step: seconds per metric on the QLACI closed forms). One
    # pass: a log(N) node is replaced whole before its N is reached, and each Max/Min is
    # rebuilt once, from numbers (a first pass for the logs alone rebuilt every Max with its
    # symbolic arguments, comparing them: most of the time of a substitution).
    values_in = {s: sympy.sympify(v) for s, v in mapping.items()}
    out = expr.xreplace({**values_in, **logs})
    if out.free_symbols:
        return out
    out = sympy.nsimplify(out) if out.has(sympy.Float) else out
    if out.is_Integer:
        return int(out)
    simplified = sympy.simplify(out)
    return int(simplified) if simplified.is_Integer else simplified
