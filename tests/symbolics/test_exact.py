"""One copy of each exact helper: rationals from user input, integral values, decimal text,
3 significant digits, ceilings and maxima on ints and symbols."""

import decimal
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from qlaci_cost.symbolics.exact import (
    decimal_text,
    evaluate,
    fraction,
    integral,
    rational,
    rational_or_same,
    significant_text,
)
from qlaci_cost.symbolics.rounding import ceil_div, exact_ceiling, smax, smin
from qlaci_cost.symbolics.symbols import B, N


@pytest.mark.parametrize(
    "given_, want",
    [
        (0.01, sympy.Rational(1, 100)),  # the typed decimal, not the binary float
        ("1e-3", sympy.Rational(1, 1000)),
        (" 0.05 ", sympy.Rational(1, 20)),
        (Fraction(3, 7), sympy.Rational(3, 7)),
        (5, sympy.Integer(5)),
        (np.float64(0.25), sympy.Rational(1, 4)),
        (np.int64(3), sympy.Integer(3)),
        (sympy.Float("0.5"), sympy.Rational(1, 2)),
    ],
)
def test_rational_reads_what_a_user_typed(given_, want):
    assert rational(given_) == want
    assert fraction(given_) == Fraction(int(want.p), int(want.q))


@pytest.mark.parametrize("bad", [True, float("inf"), float("nan"), "abc", "oo", None, [1]])
def test_rational_names_the_bad_value(bad):
    with pytest.raises(ValueError, match=r"^eps=.* is not allowed: must be a number"):
        rational(bad, "eps", "must be a number")
    assert rational_or_same(bad) is bad


def test_symbolic_values_pass_through():
    assert rational(N / 2) == N / 2 and rational_or_same(N) == N
    with pytest.raises(ValueError, match="runtime=N is not allowed"):
        fraction(N, "runtime")


def test_integral():
    assert integral(sympy.Integer(7)) == 7 and type(integral(sympy.Integer(7))) is int
    assert integral(4.0) == 4 and type(integral(4.0)) is int
    assert integral(Fraction(8, 2)) == 4 and type(integral(Fraction(8, 2))) is int
    assert integral(sympy.Rational(1, 2)) == sympy.Rational(1, 2)
    assert integral(N) == N and integral(2.5) == 2.5


@pytest.mark.parametrize(
    "x, text",
    [
        (sympy.Rational(1, 100), "0.01"), (sympy.Rational(1, 20), "0.05"), (Fraction(3, 2), "1.5"),
        (sympy.Integer(7), "7"), (sympy.Rational(1, 3), "1/3"), (-sympy.Rational(1, 8), "-0.125"),
        (N, "N"),
    ],
)  # fmt: skip
def test_decimal_text(x, text):
    assert decimal_text(x) == text


@given(st.integers(0, 10**40), st.integers(1, 10**6))
def test_ceil_div_matches_integer_ceiling(a, b):
    assert ceil_div(a, b) == (a + b - 1) // b
    assert ceil_div(Fraction(a, 3), b) == math.ceil(Fraction(a, 3) / b)


def test_ceil_div_symbolic():
    assert ceil_div(N, 1) == N
    expr = ceil_div(N, 3)
    assert isinstance(expr, sympy.ceiling) and evaluate(expr, {"N": 16}) == 6


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_smax_smin_equal_max_min_and_stay_unevaluated_on_symbols(a, b):
    assert smax(a, b) == max(a, b) and smin(a, b) == min(a, b)
    sym = smax(N + a, B, b)
    assert isinstance(sym, sympy.Max) and len(sym.args) == 3  # not simplified
    assert evaluate(sym, {"N": 64, "b": 5}) == max(64 + a, 5, b)
    assert evaluate(smin(N, b), {"N": 8}) == min(8, b)


def test_exact_ceiling_at_huge_values():
    # ceil(sqrt(2) 10^50): the digits of sqrt(2) (an independent constant), plus one.
    digits = 141421356237309504880168872420969807856967187537695
    assert exact_ceiling(sympy.sqrt(2) * 10**50) == digits
    assert str(exact_ceiling(N * sympy.pi)) == "ceiling(pi*N)"


def _three_digits(x: Fraction) -> str:
    """An independent `.3g` of an exact value: decimal division to 80 digits, rounded half to
    even, in the notation `.3g` uses for a float at or beyond 1e5."""
    quotient = decimal.Context(prec=80).divide(x.numerator, x.denominator)
    mantissa, exponent = format(quotient, ".2e").split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent):+d}"


@given(
    st.integers(1, 10**9),
    st.integers(1, 10**9),
    st.integers(-330, 330),
    st.sampled_from([1, -1]),
)
def test_significant_text_is_3g_within_float_range_and_exact_beyond(num, den, k, sign):
    """Inside float range the text is what Python's `.3g` prints for the float; beyond it
    (above 1e300, below 1e-300) the same notation from the exact decimal value."""
    x = sign * Fraction(num, den) * Fraction(10) ** k
    if Fraction(1, 10**300) < abs(x) < 10**300:
        assert significant_text(x) == f"{float(x):.3g}"
    else:
        assert significant_text(x) == _three_digits(x)


@pytest.mark.parametrize(
    "x, text",
    [
        (0, "0"),
        (12345, "1.23e+04"),  # an int is a quantity here (physical.arithmetic.sci keeps digits)
        (Fraction(3, 2), "1.5"),
        (0.000123456, "0.000123"),
        (3 * 10**400, "3e+400"),  # beyond float range: not inf
        (Fraction(1, 10**400), "1e-400"),  # below it: not 0
        (9996 * 10**397, "1e+401"),  # rounds up to the next power of ten
        (sympy.Float(2.5), "2.5"),
    ],
)
def test_significant_text_cases(x, text):
    assert significant_text(x) == text
